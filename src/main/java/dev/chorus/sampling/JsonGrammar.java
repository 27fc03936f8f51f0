package dev.chorus.sampling;

/**
 * An incremental, byte-level recogniser of one JSON object (RFC 8259 with UTF-8 text): it takes an answer's bytes
 * one at a time and says whether they can still be the start of a valid object. Stricter than the RFC where a model
 * could stall (as llama.cpp's JSON grammar is): whitespace between tokens is at most {@link #MAX_WHITESPACE} bytes
 * with at most one line break, at most one byte comes before the opening brace, and nesting stops at
 * {@link #MAX_DEPTH} levels. Copyable in constant time, so a sampler can try a token's bytes on a copy.
 */
public final class JsonGrammar {
    public static final int MAX_DEPTH = 64;
    public static final int MAX_WHITESPACE = 32;

    private static final int START = 0;        // before the top-level '{'
    private static final int VALUE = 1;        // after ':' or ',' in an array
    private static final int ARRAY_FIRST = 2;  // after '[': a value or ']'
    private static final int OBJECT_FIRST = 3; // after '{': a key or '}'
    private static final int KEY = 4;          // after ',' in an object
    private static final int COLON = 5;        // after a key
    private static final int AFTER = 6;        // after a value inside a container: ',' or its closing bracket
    private static final int STRING = 7;
    private static final int ESCAPE = 8;
    private static final int UNICODE = 9;
    private static final int NUM_MINUS = 10;
    private static final int NUM_ZERO = 11;
    private static final int NUM_INT = 12;
    private static final int NUM_DOT = 13;
    private static final int NUM_FRAC = 14;
    private static final int NUM_E = 15;
    private static final int NUM_E_SIGN = 16;
    private static final int NUM_EXP = 17;
    private static final int LITERAL = 18;
    private static final int DONE = 19;        // the top-level object is closed

    private static final String[] LITERALS = {"true", "false", "null"};

    private int state = START;
    private final byte[] stack = new byte[MAX_DEPTH];
    private int depth;
    private boolean inKey;
    private int hexLeft;
    private int utf8Left;
    private int literal;
    private int literalPos;
    private int whitespace;
    private boolean lineBreak;

    /** Makes this recogniser the same as {@code other}. */
    public void copyFrom(JsonGrammar other) {
        state = other.state;
        depth = other.depth;
        System.arraycopy(other.stack, 0, stack, 0, depth);
        inKey = other.inKey;
        hexLeft = other.hexLeft;
        utf8Left = other.utf8Left;
        literal = other.literal;
        literalPos = other.literalPos;
        whitespace = other.whitespace;
        lineBreak = other.lineBreak;
    }

    /** True when the object is complete: nothing but whitespace may follow. */
    public boolean complete() {
        return state == DONE;
    }

    /** True inside a string with no escape or multi-byte character open: every plain text byte is welcome. */
    public boolean inPlainString() {
        return state == STRING && utf8Left == 0;
    }

    /** Takes all of {@code bytes}; false (leaving this recogniser in an undefined state) at the first one refused. */
    public boolean accept(byte[] bytes) {
        for (byte b : bytes) {
            if (!accept(b & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** Takes one byte (0..255); false (leaving this recogniser in an undefined state) when it cannot come next. */
    public boolean accept(int b) {
        return switch (state) {
            case STRING -> string(b);
            case ESCAPE -> escape(b);
            case UNICODE -> {
                if (Character.digit(b, 16) < 0) {
                    yield false;
                }
                if (--hexLeft == 0) {
                    state = STRING;
                }
                yield true;
            }
            case LITERAL -> {
                String word = LITERALS[literal];
                if (b != word.charAt(literalPos)) {
                    yield false;
                }
                if (++literalPos == word.length()) {
                    valueDone();
                }
                yield true;
            }
            case NUM_MINUS, NUM_ZERO, NUM_INT, NUM_DOT, NUM_FRAC, NUM_E, NUM_E_SIGN, NUM_EXP -> number(b);
            default -> structural(b);
        };
    }

    private boolean structural(int b) {
        if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
            if (b == '\n') {
                if (lineBreak) {
                    return false;
                }
                lineBreak = true;
            }
            return ++whitespace <= (state == START ? 1 : MAX_WHITESPACE);
        }
        whitespace = 0;
        lineBreak = false;
        return switch (state) {
            case START -> b == '{' && push(b, OBJECT_FIRST);
            case VALUE -> valueStart(b);
            case ARRAY_FIRST -> b == ']' ? close() : valueStart(b);
            case OBJECT_FIRST -> b == '}' ? close() : keyStart(b);
            case KEY -> keyStart(b);
            case COLON -> {
                if (b != ':') {
                    yield false;
                }
                state = VALUE;
                yield true;
            }
            case AFTER -> {
                byte open = stack[depth - 1];
                if (b == ',') {
                    state = open == '{' ? KEY : VALUE;
                    yield true;
                }
                yield (b == '}' && open == '{' || b == ']' && open == '[') && close();
            }
            default -> false; // DONE: only whitespace may follow
        };
    }

    private boolean valueStart(int b) {
        switch (b) {
            case '{':
                return push(b, OBJECT_FIRST);
            case '[':
                return push(b, ARRAY_FIRST);
            case '"':
                inKey = false;
                state = STRING;
                return true;
            case '-':
                state = NUM_MINUS;
                return true;
            case '0':
                state = NUM_ZERO;
                return true;
            case 't', 'f', 'n':
                literal = b == 't' ? 0 : b == 'f' ? 1 : 2;
                literalPos = 1;
                state = LITERAL;
                return true;
            default:
                if (b >= '1' && b <= '9') {
                    state = NUM_INT;
                    return true;
                }
                return false;
        }
    }

    private boolean keyStart(int b) {
        if (b != '"') {
            return false;
        }
        inKey = true;
        state = STRING;
        return true;
    }

    private boolean string(int b) {
        if (utf8Left > 0) {
            if (b < 0x80 || b > 0xbf) {
                return false;
            }
            utf8Left--;
            return true;
        }
        if (b == '"') {
            if (inKey) {
                state = COLON;
            } else {
                valueDone();
            }
            return true;
        }
        if (b == '\\') {
            state = ESCAPE;
            return true;
        }
        if (b < 0x20) {
            return false; // control characters must be escaped
        }
        if (b < 0x80) {
            return true;
        }
        utf8Left = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
        if (utf8Left < 0) {
            utf8Left = 0;
            return false;
        }
        return true;
    }

    private boolean escape(int b) {
        if (b == 'u') {
            hexLeft = 4;
            state = UNICODE;
            return true;
        }
        if ("\"\\/bfnrt".indexOf(b) < 0) {
            return false;
        }
        state = STRING;
        return true;
    }

    private boolean number(int b) {
        boolean digit = b >= '0' && b <= '9';
        boolean exponent = b == 'e' || b == 'E';
        int next = switch (state) {
            case NUM_MINUS -> b == '0' ? NUM_ZERO : digit ? NUM_INT : -1;
            case NUM_ZERO -> b == '.' ? NUM_DOT : exponent ? NUM_E : -2;
            case NUM_INT -> digit ? NUM_INT : b == '.' ? NUM_DOT : exponent ? NUM_E : -2;
            case NUM_DOT -> digit ? NUM_FRAC : -1;
            case NUM_FRAC -> digit ? NUM_FRAC : exponent ? NUM_E : -2;
            case NUM_E -> b == '+' || b == '-' ? NUM_E_SIGN : digit ? NUM_EXP : -1;
            case NUM_E_SIGN -> digit ? NUM_EXP : -1;
            default -> digit ? NUM_EXP : -2; // NUM_EXP
        };
        if (next >= 0) {
            state = next;
            return true;
        }
        if (next == -1) {
            return false;
        }
        // -2: a complete number ends at the first byte that cannot continue it; that byte comes after the value
        valueDone();
        return accept(b);
    }

    private boolean push(int open, int next) {
        if (depth == MAX_DEPTH) {
            return false;
        }
        stack[depth++] = (byte) open;
        state = next;
        return true;
    }

    private boolean close() {
        depth--;
        valueDone();
        return true;
    }

    private void valueDone() {
        state = depth == 0 ? DONE : AFTER;
    }
}
