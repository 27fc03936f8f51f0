package dev.chorus.tokenizer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pre-tokenizer regex run the way llama.cpp runs patterns it has no hand-written splitter for. A pattern that
 * uses \p{L}, \p{N} or \p{P} runs over "collapsed" text where each non-ASCII code point is replaced by one
 * stand-in character for its category (whitespace by U+000B), and each \p{..} in the pattern by that stand-in
 * plus the category's ASCII members. Other patterns run over the code points themselves, with non-ASCII
 * whitespace replaced by U+000B. Either way \s means ASCII whitespace only, as in C++'s std::regex.
 */
final class RegexSplit implements PreTokenizer.SplitStep {
    private static final char OTHER = '\uE0D0';
    private static final char NUMBER = '\uE0D1';
    private static final char LETTER = '\uE0D2';
    private static final char PUNCTUATION = '\uE0D3';
    private static final Map<String, String> CATEGORY_CLASS = Map.of(
            "\\p{N}", NUMBER + "0-9",
            "\\p{L}", LETTER + "A-Za-z",
            "\\p{P}", PUNCTUATION + "!-#%-*,-/:-;?-@\\[-\\]_\\{\\}");

    private final Pattern pattern;
    private final boolean collapsed;

    RegexSplit(String regex) {
        collapsed = CATEGORY_CLASS.keySet().stream().anyMatch(regex::contains);
        String javaRegex = collapsed ? collapse(regex) : regex;
        if (javaRegex.endsWith("$") && !javaRegex.endsWith("\\$")) {
            // std::regex's $ matches only at the very end; java.util.regex's also before a final line terminator
            javaRegex = javaRegex.substring(0, javaRegex.length() - 1) + "\\z";
        }
        pattern = Pattern.compile(javaRegex);
    }

    /** Rewrites each \p{X} into the collapsed character class, as llama.cpp's unicode_regex_split does. */
    private static String collapse(String regex) {
        StringBuilder sb = new StringBuilder();
        boolean inside = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '[' && (i == 0 || regex.charAt(i - 1) != '\\')) {
                sb.append('[');
                inside = true;
                continue;
            }
            if (inside && c == ']' && regex.charAt(i - 1) != '\\') {
                sb.append(']');
                inside = false;
                continue;
            }
            if (c == '\\' && i + 4 < regex.length() && regex.charAt(i + 1) == 'p' && regex.charAt(i + 2) == '{'
                    && regex.charAt(i + 4) == '}') {
                String cls = CATEGORY_CLASS.get(regex.substring(i, i + 5));
                if (cls != null) {
                    sb.append(inside ? cls : "[" + cls + "]");
                    i += 4;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    @Override
    public void split(int[] cps, IntList chunks, IntList out) {
        if (collapsed) {
            char[] text = new char[cps.length];
            for (int i = 0; i < cps.length; i++) {
                text[i] = collapse(cps[i]);
            }
            splitChunks(new String(text), chunks, out);
        } else {
            StringBuilder text = new StringBuilder(cps.length + 8);
            int[] utf16ToCp = new int[cps.length * 2 + 1];
            for (int i = 0; i < cps.length; i++) {
                int cp = cps[i];
                if (cp > 0x7F && UnicodeFlags.isWhitespace(cp)) {
                    cp = 0x0B;
                }
                utf16ToCp[text.length()] = i;
                text.appendCodePoint(cp);
            }
            utf16ToCp[text.length()] = cps.length;
            int[] cpToUtf16 = new int[cps.length + 1];
            int u = 0;
            for (int i = 0; i < cps.length; i++) {
                cpToUtf16[i] = u;
                u += Character.charCount(cps[i] > 0x7F && UnicodeFlags.isWhitespace(cps[i]) ? 0x0B : cps[i]);
            }
            cpToUtf16[cps.length] = u;
            splitChunksWide(text.toString(), cpToUtf16, utf16ToCp, chunks, out);
        }
    }

    private static char collapse(int cp) {
        if (cp < 128) {
            return (char) cp;
        }
        int flags = UnicodeFlags.of(cp);
        if ((flags & UnicodeFlags.WHITESPACE) != 0) {
            return 0x0B;
        }
        return switch (UnicodeFlags.category(flags)) {
            case UnicodeFlags.NUMBER -> NUMBER;
            case UnicodeFlags.LETTER -> LETTER;
            case UnicodeFlags.PUNCTUATION -> PUNCTUATION;
            default -> OTHER;
        };
    }

    private void splitChunks(String text, IntList chunks, IntList out) {
        Matcher m = pattern.matcher(text);
        int start = 0;
        for (int c = 0; c < chunks.size(); c++) {
            int end = start + chunks.get(c);
            m.region(start, end);
            int prev = start;
            while (m.find()) {
                if (m.start() > prev) {
                    out.add(m.start() - prev);
                }
                out.add(m.end() - m.start());
                prev = m.end();
            }
            if (prev < end) {
                out.add(end - prev);
            }
            start = end;
        }
    }

    private void splitChunksWide(String text, int[] cpToUtf16, int[] utf16ToCp, IntList chunks, IntList out) {
        Matcher m = pattern.matcher(text);
        int start = 0;
        for (int c = 0; c < chunks.size(); c++) {
            int end = start + chunks.get(c);
            m.region(cpToUtf16[start], cpToUtf16[end]);
            int prev = start;
            while (m.find()) {
                int ms = utf16ToCp[m.start()];
                int me = utf16ToCp[m.end()];
                if (ms > prev) {
                    out.add(ms - prev);
                }
                out.add(me - ms);
                prev = me;
            }
            if (prev < end) {
                out.add(end - prev);
            }
            start = end;
        }
    }
}
