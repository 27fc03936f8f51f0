package dev.chorus.chat;

/** Small scanning helpers over Jinja expression code that skip string literals and nested brackets. */
final class CodeScan {
    private CodeScan() {
    }

    /** Index just past the string literal starting at {@code quoteAt} (backslash escapes skipped). */
    static int endOfLiteral(String s, int quoteAt) {
        char q = s.charAt(quoteAt);
        int i = quoteAt + 1;
        while (i < s.length() && s.charAt(i) != q) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }

    /** Index of the bracket closing the one at {@code openAt}, or -1. */
    static int matchingClose(String s, int openAt) {
        int depth = 0;
        int i = openAt;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfLiteral(s, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
            i++;
        }
        return -1;
    }

    /**
     * Index just past the string literal or bracketed group that starts at {@code i} (the end of s when the group is
     * never closed), or -1 when s[i] starts neither.
     */
    static int skipNested(String s, int i) {
        char c = s.charAt(i);
        if (c == '\'' || c == '"') {
            return endOfLiteral(s, i);
        }
        if (c == '(' || c == '[' || c == '{') {
            int close = matchingClose(s, i);
            return close < 0 ? s.length() : close + 1;
        }
        return -1;
    }

    /** Index of the first top-level occurrence of {@code ch} in s[from, to), or -1. */
    static int topLevelIndexOf(String s, char ch, int from, int to) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == ch) {
                return i;
            }
            int skipped = skipNested(s, i);
            i = skipped >= 0 ? skipped : i + 1;
        }
        return -1;
    }

    /** Index of the first top-level keyword {@code word} (whole identifier) in s[from, end), or -1. */
    static int topLevelKeyword(String s, String word, int from) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            int skipped = skipNested(s, i);
            if (skipped >= 0) {
                i = skipped;
            } else if (isIdentifierChar(c)) {
                int start = i;
                while (i < s.length() && isIdentifierChar(s.charAt(i))) {
                    i++;
                }
                if (s.substring(start, i).equals(word)) {
                    return start;
                }
            } else {
                i++;
            }
        }
        return -1;
    }

    static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
