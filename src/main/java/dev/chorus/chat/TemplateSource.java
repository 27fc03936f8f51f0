package dev.chorus.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a Hugging Face (Python Jinja2) template into text Jinjava renders the same way. Each rewrite bridges one
 * gap; text, comments and raw blocks are never re-interpreted:
 * <ul>
 *   <li>Whitespace control is applied here, exactly by Jinja2's lexer rules ({@code trim_blocks},
 *       {@code lstrip_blocks} only at line starts, {@code -}/{@code +} marks, one trailing newline of the source
 *       dropped), and the marks are removed: Jinjava's own lstrip also eats spaces before mid-line tags and it does
 *       not know {@code +}.</li>
 *   <li>Jinja2 string literals use Python escapes ({@code '\n'} is a newline); Jinjava only knows
 *       {@code \\ \' \"}, so each literal is decoded the Python way and re-emitted with only those.</li>
 *   <li>{@code {{ x }}} prints Python's {@code str(x)} ({@code True}, {@code None}, {@code {'a': 1}},
 *       {@code 1e+20}): it becomes {@code {{ chorus_print(x) }}}; an undefined value (Java null) prints nothing, as
 *       in Jinja2 (None itself is {@link PyNone}).</li>
 *   <li>Python grammar and truthiness ({@link Expressions}), slices ({@link ExtendedSlices}) and filtered loops
 *       ({@link LoopFilters}) are rewritten in code.</li>
 * </ul>
 */
final class TemplateSource {
    private TemplateSource() {
    }

    private enum Kind { TEXT, EXPR, TAG, COMMENT, RAW }

    /** One lexed piece; marks are '-', '+' or 0. For RAW, code is the raw content. */
    private static final class Piece {
        final Kind kind;
        String code;
        final char left;
        final char right;
        char endLeft;
        char endRight;

        Piece(Kind kind, String code, char left, char right) {
            this.kind = kind;
            this.code = code;
            this.left = left;
            this.right = right;
        }
    }

    static String toJinjava(String source) {
        String s = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        List<Piece> pieces = lex(s);
        applyWhitespaceControl(pieces);
        StringBuilder out = new StringBuilder(s.length() + 64);
        for (Piece p : pieces) {
            switch (p.kind) {
                case TEXT -> out.append(p.code);
                case EXPR -> {
                    if (!p.code.isBlank()) {
                        out.append("{{ chorus_print(").append(separateBraces(rewriteExpression(p.code))).append(") }}");
                    }
                }
                case TAG -> out.append("{% ").append(separateBraces(rewriteTag(p.code))).append(" %}");
                case RAW -> out.append("{% raw %}").append(p.code).append("{% endraw %}");
                case COMMENT -> { }
            }
        }
        return out.toString();
    }

    // ---- lexing ----

    private static List<Piece> lex(String s) {
        List<Piece> pieces = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int open = nextOpening(s, i);
            if (open < 0) {
                pieces.add(new Piece(Kind.TEXT, s.substring(i), (char) 0, (char) 0));
                break;
            }
            pieces.add(new Piece(Kind.TEXT, s.substring(i, open), (char) 0, (char) 0));
            char kind = s.charAt(open + 1);
            if (kind == '#') {
                int end = s.indexOf("#}", open + 2);
                if (end < 0) {
                    throw new ChatTemplateException("unclosed comment '{#' at offset " + open);
                }
                String body = s.substring(open + 2, end);
                pieces.add(new Piece(Kind.COMMENT, "", leftMark(body), rightMark(body)));
                i = end + 2;
                continue;
            }
            String closing = kind == '{' ? "}}" : "%}";
            int end = findClosing(s, open + 2, closing);
            if (end < 0) {
                throw new ChatTemplateException("unclosed '" + s.substring(open, open + 2) + "' at offset " + open);
            }
            String body = s.substring(open + 2, end);
            char left = leftMark(body);
            char right = rightMark(body);
            String code = body.substring(left == 0 ? 0 : 1, body.length() - (right == 0 ? 0 : 1));
            if (kind == '%' && code.strip().equals("raw")) {
                i = lexRaw(s, end + 2, new Piece(Kind.RAW, null, left, right), pieces);
                continue;
            }
            pieces.add(new Piece(kind == '{' ? Kind.EXPR : Kind.TAG, code, left, right));
            i = end + 2;
        }
        return pieces;
    }

    private static int lexRaw(String s, int contentStart, Piece raw, List<Piece> pieces) {
        int search = contentStart;
        while (true) {
            int open = s.indexOf("{%", search);
            int end = open < 0 ? -1 : s.indexOf("%}", open + 2);
            if (end < 0) {
                throw new ChatTemplateException("{% raw %} without {% endraw %}");
            }
            String body = s.substring(open + 2, end);
            char left = leftMark(body);
            char right = rightMark(body);
            if (body.substring(left == 0 ? 0 : 1, body.length() - (right == 0 ? 0 : 1)).strip().equals("endraw")) {
                raw.code = s.substring(contentStart, open);
                raw.endLeft = left;
                raw.endRight = right;
                pieces.add(raw);
                return end + 2;
            }
            search = open + 2;
        }
    }

    private static char leftMark(String body) {
        return !body.isEmpty() && (body.charAt(0) == '-' || body.charAt(0) == '+') ? body.charAt(0) : 0;
    }

    private static char rightMark(String body) {
        char c = body.length() > 1 ? body.charAt(body.length() - 1) : 0;
        return c == '-' || c == '+' ? c : 0;
    }

    private static int nextOpening(String s, int from) {
        for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Index of the closing delimiter, skipping string literals and, like Jinja2's lexer, anything inside brackets
     * (so {@code {{ f({'a': {'b': 1}}) }}} ends at the last braces).
     */
    private static int findClosing(String s, int from, String closing) {
        int i = from;
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int end = CodeScan.endOfLiteral(s, i);
                if (end >= s.length() && s.charAt(s.length() - 1) != c) {
                    throw new ChatTemplateException("unterminated string literal at offset " + i);
                }
                i = end;
                continue;
            }
            if (depth == 0 && s.startsWith(closing, i)) {
                return i;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            i++;
        }
        return -1;
    }

    // ---- whitespace control, as Jinja2's lexer does it with trim_blocks=True and lstrip_blocks=True ----

    private static void applyWhitespaceControl(List<Piece> pieces) {
        boolean lineStarting = true; // Jinja2: the previous match ended with a newline (or nothing came before)
        for (int k = 0; k < pieces.size(); k++) {
            Piece p = pieces.get(k);
            if (p.kind == Kind.TEXT) {
                continue;
            }
            Piece before = k > 0 && pieces.get(k - 1).kind == Kind.TEXT ? pieces.get(k - 1) : null;
            if (before != null) {
                before.code = stripBefore(before.code, p.left, p.kind != Kind.EXPR, lineStarting);
            }
            if (p.kind == Kind.RAW) {
                if (p.right == '-') {
                    p.code = PyStrings.lstrip(p.code, null);
                }
                // The raw-begin tag never ends with a newline of its own, so the content is no line start.
                p.code = stripBefore(p.code, p.endLeft, true, false);
            }
            char right = p.kind == Kind.RAW ? p.endRight : p.right;
            Piece after = k + 1 < pieces.size() && pieces.get(k + 1).kind == Kind.TEXT ? pieces.get(k + 1) : null;
            lineStarting = false;
            if (after != null) {
                String text = after.code;
                if (right == '-') {
                    after.code = PyStrings.lstrip(text, null);
                    lineStarting = after.code.length() < text.length() && text.charAt(text.length()
                            - after.code.length() - 1) == '\n';
                } else if (right != '+' && p.kind != Kind.EXPR && text.startsWith("\n")) {
                    after.code = text.substring(1);
                    lineStarting = true;
                }
            }
        }
    }

    /** Whitespace removed from the text before a tag: all of it for '-', else the line's indentation (lstrip). */
    private static String stripBefore(String text, char mark, boolean lstripApplies, boolean lineStarting) {
        if (mark == '-') {
            return PyStrings.rstrip(text, null);
        }
        if (mark == '+' || !lstripApplies) {
            return text;
        }
        int lineStart = text.lastIndexOf('\n') + 1;
        if ((lineStart > 0 || lineStarting) && lineStart < text.length()
                && PyStrings.lstrip(text.substring(lineStart), null).isEmpty()) {
            return text.substring(0, lineStart);
        }
        return text;
    }

    // ---- code rewrites ----

    /**
     * Jinjava's tokenizer ends an expression at the first "}}" outside quotes, even inside a dict literal
     * ({@code f({'a': {'b': 1}})}); a space between closing braces keeps the code intact.
     */
    private static String separateBraces(String code) {
        StringBuilder out = new StringBuilder(code.length() + 4);
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = CodeScan.endOfLiteral(code, i);
                out.append(code, i, end);
                i = end;
                continue;
            }
            out.append(c);
            if ((c == '}' || c == '%' || c == '{') && i + 1 < code.length() && code.charAt(i + 1) == '}'
                    || c == '{' && i + 1 < code.length() && (code.charAt(i + 1) == '{' || code.charAt(i + 1) == '%')) {
                out.append(' ');
            }
            i++;
        }
        return out.toString();
    }

    private static String rewriteExpression(String code) {
        return KnownNames.check(Expressions.value(ExtendedSlices.rewrite(rewriteLiterals(code))));
    }

    /** Rewrites the expression parts of if/elif/set/for tags; other tags are passed on as written. */
    private static String rewriteTag(String code) {
        String body = ExtendedSlices.rewrite(rewriteLiterals(code)).strip();
        int wordEnd = 0;
        while (wordEnd < body.length() && CodeScan.isIdentifierChar(body.charAt(wordEnd))) {
            wordEnd++;
        }
        String rewritten = switch (body.substring(0, wordEnd)) {
            case "if", "elif" -> body.substring(0, wordEnd) + " " + Expressions.condition(body.substring(wordEnd));
            case "set" -> {
                int eq = CodeScan.topLevelIndexOf(body, '=', wordEnd, body.length());
                yield eq < 0 ? body : body.substring(0, eq).strip() + " = " + Expressions.value(body.substring(eq + 1));
            }
            case "for" -> LoopFilters.rewrite(body);
            default -> body;
        };
        return KnownNames.check(rewritten);
    }

    /** Decodes every Python string literal and re-encodes it for Jinjava's scanner. */
    static String rewriteLiterals(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = CodeScan.endOfLiteral(code, i);
                out.append(jinjavaLiteral(PyStrings.unescapeLiteral(code.substring(i + 1, end - 1)), c));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    static String jinjavaLiteral(String value, char quote) {
        StringBuilder b = new StringBuilder(value.length() + 2).append(quote);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == quote) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append(quote).toString();
    }
}
