package dev.chorus.tokenizer;

/**
 * Per-code-point category flags as llama.cpp's unicode tables define them (general category groups plus the
 * Unicode White_Space property). The pre-tokenizers consult these instead of java.util.regex's notion of
 * {@code \p{L}} or {@code \s} so that splits match llama.cpp, which for example treats U+0085 and U+00A0 as
 * whitespace but not U+001C..U+001F. Categories come from the JDK's Unicode tables.
 */
final class UnicodeFlags {
    static final int UNDEFINED = 0;
    static final int NUMBER = 1;
    static final int LETTER = 1 << 1;
    static final int SEPARATOR = 1 << 2;
    static final int ACCENT_MARK = 1 << 3;
    static final int PUNCTUATION = 1 << 4;
    static final int SYMBOL = 1 << 5;
    static final int CONTROL = 1 << 6;
    static final int WHITESPACE = 1 << 7;

    static final int MAX_CODEPOINT = 0x110000;

    /** One byte of flags per code point, built once (about 1 MiB). */
    private static final byte[] TABLE = build();

    private UnicodeFlags() {
    }

    static int of(int cp) {
        return cp >= 0 && cp < MAX_CODEPOINT ? TABLE[cp] & 0xFF : UNDEFINED;
    }

    static boolean isLetter(int cp) {
        return (of(cp) & LETTER) != 0;
    }

    static boolean isNumber(int cp) {
        return (of(cp) & NUMBER) != 0;
    }

    static boolean isWhitespace(int cp) {
        return (of(cp) & WHITESPACE) != 0;
    }

    /** The category part of the flags (without whitespace), as llama.cpp's category_flag(). */
    static int category(int flags) {
        return flags & 0x7F;
    }

    private static byte[] build() {
        byte[] t = new byte[MAX_CODEPOINT];
        for (int cp = 0; cp < MAX_CODEPOINT; cp++) {
            t[cp] = (byte) categoryOf(Character.getType(cp));
        }
        int[] whitespace = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
                0x3000};
        for (int cp : whitespace) {
            t[cp] |= (byte) WHITESPACE;
        }
        for (int cp = 0x2000; cp <= 0x200A; cp++) {
            t[cp] |= (byte) WHITESPACE;
        }
        return t;
    }

    private static int categoryOf(int type) {
        return switch (type) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SEPARATOR;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> ACCENT_MARK;
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> PUNCTUATION;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> SYMBOL;
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE -> CONTROL;
            default -> UNDEFINED;
        };
    }
}
