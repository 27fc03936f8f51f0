package dev.chorus.tokenizer;

/**
 * Per-code-point category flags as llama.cpp's unicode tables define them: one general-category group per code
 * point (unassigned code points carry their own UNDEFINED flag, so they count as "other" characters) plus the
 * Unicode White_Space property. The pre-tokenizers consult these instead of java.util.regex's notion of
 * {@code \p{L}} or {@code \s}, so that splits match llama.cpp, which for example treats U+0085 and U+00A0 as
 * whitespace but not U+001C..U+001F. Categories come from the JDK's Unicode tables. The flag values mirror
 * llama.cpp's; 0 means "no code point" (past the end of a chunk).
 */
final class UnicodeFlags {
    static final int UNDEFINED = 0x001;
    static final int NUMBER = 0x002;
    static final int LETTER = 0x004;
    static final int SEPARATOR = 0x008;
    static final int ACCENT_MARK = 0x010;
    static final int PUNCTUATION = 0x020;
    static final int SYMBOL = 0x040;
    static final int CONTROL = 0x080;
    static final int WHITESPACE = 0x100;

    static final int MAX_CODEPOINT = 0x110000;

    /** Category flags by the category index stored in the table's low three bits. */
    private static final int[] CATEGORIES = {UNDEFINED, NUMBER, LETTER, SEPARATOR, ACCENT_MARK, PUNCTUATION, SYMBOL,
            CONTROL};
    private static final int WHITESPACE_BIT = 8;
    /** Flags for each table byte (category index | whitespace bit). */
    private static final int[] DECODE = new int[16];
    /** One byte per code point, built once (about 1 MiB). */
    private static final byte[] TABLE;

    static {
        for (int i = 0; i < 16; i++) {
            DECODE[i] = CATEGORIES[i & 7] | ((i & WHITESPACE_BIT) != 0 ? WHITESPACE : 0);
        }
        TABLE = build();
    }

    private UnicodeFlags() {
    }

    static int of(int cp) {
        return cp >= 0 && cp < MAX_CODEPOINT ? DECODE[TABLE[cp]] : UNDEFINED;
    }

    static boolean isWhitespace(int cp) {
        return (of(cp) & WHITESPACE) != 0;
    }

    /** The category part of the flags (without whitespace), as llama.cpp's category_flag(). */
    static int category(int flags) {
        return flags & 0xFF;
    }

    private static byte[] build() {
        byte[] t = new byte[MAX_CODEPOINT];
        for (int cp = 0; cp < MAX_CODEPOINT; cp++) {
            t[cp] = (byte) categoryIndex(Character.getType(cp));
        }
        int[] whitespace = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
                0x3000};
        for (int cp : whitespace) {
            t[cp] |= WHITESPACE_BIT;
        }
        for (int cp = 0x2000; cp <= 0x200A; cp++) {
            t[cp] |= WHITESPACE_BIT;
        }
        return t;
    }

    /** The index into {@link #CATEGORIES} of a java.lang.Character general category. */
    private static int categoryIndex(int type) {
        return switch (type) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> 1;
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> 2;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> 3;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> 4;
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> 5;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> 6;
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE -> 7;
            default -> 0; // unassigned
        };
    }
}
