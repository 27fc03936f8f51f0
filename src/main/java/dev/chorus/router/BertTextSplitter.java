package dev.chorus.router;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * The normalizer and pre-tokenizer of a HuggingFace BERT tokenizer ({@code BertNormalizer} then
 * {@code BertPreTokenizer}), with the same character classes as the HuggingFace {@code tokenizers} library: drops NUL,
 * U+FFFD and control/format/private-use characters, turns whitespace into spaces, surrounds CJK ideographs
 * with spaces, optionally strips accents (NFD, then drops non-spacing marks) and lower-cases code point by code point;
 * then splits at whitespace and makes every punctuation character (ASCII punctuation or a Unicode P* category) a word
 * of its own.
 */
record BertTextSplitter(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

    /** Appends the words of {@code text} to {@code words}. */
    void split(String text, List<String> words) {
        String normalized = normalize(text);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (isWhitespace(cp)) {
                flush(word, words);
            } else if (isPunctuation(cp)) {
                flush(word, words);
                words.add(new String(Character.toChars(cp)));
            } else {
                word.appendCodePoint(cp);
            }
        }
        flush(word, words);
    }

    String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        boolean ascii = true;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                    continue;
                }
                if (isWhitespace(cp)) {
                    cp = ' ';
                }
            }
            if (handleChineseChars && isChinese(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
            ascii &= cp < 0x80;
        }
        String s = sb.toString();
        if (ascii) { // the common case: NFD and accent stripping change nothing
            return lowercase ? s.toLowerCase(Locale.ROOT) : s;
        }
        if (stripAccents) {
            s = stripNonSpacingMarks(Normalizer.normalize(s, Normalizer.Form.NFD));
        }
        return lowercase ? lowercasePerCodePoint(s) : s;
    }

    private static String stripNonSpacingMarks(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    /**
     * Lower-cases each code point on its own, as the Rust library does: no context rules (a final capital sigma
     * becomes σ, not ς); U+0130 is the only code point whose lower case is two code points.
     */
    private static String lowercasePerCodePoint(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0x130) {
                sb.append("i\u0307");
            } else {
                sb.appendCodePoint(Character.toLowerCase(cp));
            }
        }
        return sb.toString();
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** The Unicode White_Space property (Rust's {@code char::is_whitespace}). */
    static boolean isWhitespace(int cp) {
        return switch (cp) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /**
     * Categories Cc, Cf, Co, Cs, except tab, newline and carriage return (which are whitespace). Unassigned code points
     * (Cn) are kept, as the HuggingFace library does in practice (they become [UNK]).
     */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE,
                 Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** ASCII punctuation (which includes symbols such as $ + < = > ^ ` | ~) or any Unicode punctuation category. */
    static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK ideograph blocks BERT treats as words of their own. */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
