package dev.chorus.chat;

/**
 * Adds parentheses where Jinja2's grammar groups differently from Jinjava's (JUEL) grammar:
 * <ul>
 *   <li>{@code not} binds looser than comparisons and tests in Jinja2 ({@code not x is defined} means
 *       {@code not (x is defined)}; {@code not a|length == 1} means {@code not (a|length == 1)}), but tighter in
 *       Jinjava. Each {@code not} operand is wrapped up to the next top-level {@code and}/{@code or}/{@code if}/
 *       {@code else}/comma.</li>
 *   <li>A keyword argument's value runs to the next comma in Jinja2 ({@code namespace(i=xs|length - 1)}), while
 *       Jinjava parses {@code (i=xs|length) - 1}. Each keyword value is wrapped in parentheses.</li>
 * </ul>
 */
final class Precedence {
    private Precedence() {
    }

    static String rewrite(String code) {
        StringBuilder out = new StringBuilder(code.length() + 16);
        int i = 0;
        String previousWord = "";
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = CodeScan.endOfLiteral(code, i);
                out.append(code, i, end);
                i = end;
                previousWord = "";
            } else if (c == '(' || c == '[' || c == '{') {
                int close = CodeScan.matchingClose(code, i);
                if (close < 0) {
                    out.append(code.substring(i));
                    break;
                }
                boolean call = c == '(' && isCallee(out);
                String inner = rewrite(code.substring(i + 1, close));
                out.append(c).append(call ? wrapKeywordValues(inner) : inner).append(code.charAt(close));
                i = close + 1;
                previousWord = "";
            } else if (CodeScan.isIdentifierChar(c)) {
                int end = i;
                while (end < code.length() && CodeScan.isIdentifierChar(code.charAt(end))) {
                    end++;
                }
                String word = code.substring(i, end);
                if (word.equals("not") && !previousWord.equals("is") && !nextWordIs(code, end, "in")) {
                    int stop = operandEnd(code, end);
                    out.append("not (").append(rewrite(code.substring(end, stop)).strip()).append(')');
                    if (stop < code.length() && !Character.isWhitespace(code.charAt(stop))) {
                        out.append(' ');
                    }
                    i = stop;
                    previousWord = "";
                    continue;
                }
                out.append(word);
                previousWord = word;
                i = end;
            } else {
                out.append(c);
                if (!Character.isWhitespace(c)) {
                    previousWord = "";
                }
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isCallee(StringBuilder before) {
        int k = before.length() - 1;
        while (k >= 0 && Character.isWhitespace(before.charAt(k))) {
            k--;
        }
        return k >= 0 && (CodeScan.isIdentifierChar(before.charAt(k)) || before.charAt(k) == ')');
    }

    private static boolean nextWordIs(String code, int from, String word) {
        int k = from;
        while (k < code.length() && Character.isWhitespace(code.charAt(k))) {
            k++;
        }
        int end = k;
        while (end < code.length() && CodeScan.isIdentifierChar(code.charAt(end))) {
            end++;
        }
        return code.substring(k, end).equals(word);
    }

    /** End of a {@code not} operand: the next top-level and/or/if/else keyword, comma or colon. */
    private static int operandEnd(String code, int from) {
        int end = code.length();
        for (String keyword : new String[] {"and", "or", "if", "else"}) {
            int at = CodeScan.topLevelKeyword(code, keyword, from);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        for (char stop : new char[] {',', ':'}) {
            int at = CodeScan.topLevelIndexOf(code, stop, from, end);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return end;
    }

    /** {@code f(a, k=x|length - 1)} becomes {@code f(a, k=(x|length - 1))}. */
    private static String wrapKeywordValues(String args) {
        StringBuilder out = new StringBuilder(args.length() + 8);
        int start = 0;
        while (start <= args.length()) {
            int comma = CodeScan.topLevelIndexOf(args, ',', start, args.length());
            int end = comma < 0 ? args.length() : comma;
            out.append(wrapKeywordValue(args.substring(start, end)));
            if (comma < 0) {
                break;
            }
            out.append(',');
            start = comma + 1;
        }
        return out.toString();
    }

    private static String wrapKeywordValue(String arg) {
        int k = 0;
        while (k < arg.length() && Character.isWhitespace(arg.charAt(k))) {
            k++;
        }
        int nameEnd = k;
        while (nameEnd < arg.length() && CodeScan.isIdentifierChar(arg.charAt(nameEnd))) {
            nameEnd++;
        }
        int eq = nameEnd;
        while (eq < arg.length() && Character.isWhitespace(arg.charAt(eq))) {
            eq++;
        }
        boolean keyword = nameEnd > k && !Character.isDigit(arg.charAt(k)) && eq < arg.length()
                && arg.charAt(eq) == '=' && (eq + 1 >= arg.length() || arg.charAt(eq + 1) != '=');
        if (!keyword || arg.substring(eq + 1).isBlank()) {
            return arg;
        }
        return arg.substring(0, eq + 1) + "(" + arg.substring(eq + 1).strip() + ")";
    }
}
