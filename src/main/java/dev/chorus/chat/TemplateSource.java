package dev.chorus.chat;

/**
 * Rewrites a Hugging Face (Python Jinja2) template into text Jinjava parses the same way. Each rewrite bridges one
 * syntax gap, and only inside {@code {{ }}} / {@code {% %}} code (text, comments and raw blocks are copied verbatim):
 * <ul>
 *   <li>Jinja2 drops one trailing newline of the source ({@code keep_trailing_newline=False}); Jinjava keeps it.</li>
 *   <li>Jinja2 string literals use Python escapes ({@code '\n'} is a newline); Jinjava only knows {@code \\ \' \"},
 *       so each literal is decoded the Python way and re-emitted with only those three escapes.</li>
 *   <li>Extended slices {@code x[a:b:c]} (e.g. {@code messages[::-1]}) do not parse in Jinjava: they become the
 *       {@code chorus_slice} filter.</li>
 *   <li>Jinjava ignores the filter in {@code {% for x in xs if cond %}}: it becomes the {@code chorus_loop_filter}
 *       filter, so the loop (and {@code loop.last}) only sees the kept items, as in Jinja2.</li>
 * </ul>
 */
final class TemplateSource {
    private TemplateSource() {
    }

    static String toJinjava(String source) {
        String s = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        StringBuilder out = new StringBuilder(s.length() + 64);
        int i = 0;
        while (i < s.length()) {
            int open = nextOpening(s, i);
            if (open < 0) {
                out.append(s, i, s.length());
                break;
            }
            out.append(s, i, open);
            char kind = s.charAt(open + 1);
            if (kind == '#') {
                int end = s.indexOf("#}", open + 2);
                int stop = end < 0 ? s.length() : end + 2;
                out.append(s, open, stop);
                i = stop;
                continue;
            }
            String closing = kind == '{' ? "}}" : "%}";
            int end = findClosing(s, open + 2, closing);
            if (end < 0) {
                throw new ChatTemplateException("unclosed '" + s.substring(open, open + 2) + "' at offset " + open);
            }
            String code = s.substring(open + 2, end);
            if (kind == '%' && isTag(code, "raw")) {
                int endRaw = findEndRaw(s, end + 2);
                out.append(s, open, endRaw);
                i = endRaw;
                continue;
            }
            out.append(s, open, open + 2).append(rewriteCode(code, kind == '%')).append(closing);
            i = end + 2;
        }
        return out.toString();
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

    /** Index of the closing delimiter, skipping string literals (which may contain it). */
    private static int findClosing(String s, int from, String closing) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfLiteral(s, i);
            } else if (s.startsWith(closing, i)) {
                return i;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static int endOfLiteral(String s, int quoteAt) {
        char q = s.charAt(quoteAt);
        int i = quoteAt + 1;
        while (i < s.length() && s.charAt(i) != q) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        if (i >= s.length()) {
            throw new ChatTemplateException("unterminated string literal at offset " + quoteAt);
        }
        return i + 1;
    }

    private static boolean isTag(String code, String name) {
        return stripWhitespaceControl(code).equals(name);
    }

    private static String stripWhitespaceControl(String code) {
        String c = code.strip();
        if (c.startsWith("-") || c.startsWith("+")) {
            c = c.substring(1);
        }
        if (c.endsWith("-") || c.endsWith("+")) {
            c = c.substring(0, c.length() - 1);
        }
        return c.strip();
    }

    private static int findEndRaw(String s, int from) {
        int i = from;
        while (true) {
            int open = s.indexOf("{%", i);
            if (open < 0) {
                throw new ChatTemplateException("{% raw %} without {% endraw %}");
            }
            int end = s.indexOf("%}", open + 2);
            if (end < 0) {
                throw new ChatTemplateException("{% raw %} without {% endraw %}");
            }
            if (isTag(s.substring(open + 2, end), "endraw")) {
                return end + 2;
            }
            i = open + 2;
        }
    }

    /** Rewrites the code between the delimiters, keeping the whitespace-control marks ({@code -}/{@code +}) apart. */
    private static String rewriteCode(String code, boolean isTag) {
        int start = 0;
        int end = code.length();
        if (start < end && (code.charAt(start) == '-' || code.charAt(start) == '+')) {
            start++;
        }
        if (end > start && (code.charAt(end - 1) == '-' || code.charAt(end - 1) == '+')) {
            end--;
        }
        String body = ExtendedSlices.rewrite(rewriteLiterals(code.substring(start, end)));
        body = isTag ? LoopFilters.rewrite(rewriteTagExpressions(body)) : Precedence.rewrite(body);
        return code.substring(0, start) + body + code.substring(end);
    }

    /** Applies {@link Precedence} to a tag's expression part (after its keyword and, for set/for, the target). */
    private static String rewriteTagExpressions(String body) {
        int k = 0;
        while (k < body.length() && Character.isWhitespace(body.charAt(k))) {
            k++;
        }
        int wordEnd = k;
        while (wordEnd < body.length() && CodeScan.isIdentifierChar(body.charAt(wordEnd))) {
            wordEnd++;
        }
        String keyword = body.substring(k, wordEnd);
        int exprStart = switch (keyword) {
            case "if", "elif", "do" -> wordEnd;
            case "set" -> {
                int eq = CodeScan.topLevelIndexOf(body, '=', wordEnd, body.length());
                yield eq < 0 ? -1 : eq + 1;
            }
            case "for" -> {
                int in = CodeScan.topLevelKeyword(body, "in", wordEnd);
                yield in < 0 ? -1 : in + 2;
            }
            default -> -1;
        };
        if (exprStart < 0) {
            return body;
        }
        return body.substring(0, exprStart) + " " + Precedence.rewrite(body.substring(exprStart));
    }

    /** Decodes every Python string literal and re-encodes it for Jinjava's scanner. */
    static String rewriteLiterals(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfLiteral(code, i);
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
