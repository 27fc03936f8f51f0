package dev.chorus.chat;

/**
 * Rewrites Python slices {@code x[a:b]} and {@code x[a:b:c]} into {@code (x|chorus_slice(a, b, c))}: Jinjava's
 * parser rejects extended slices (e.g. {@code messages[::-1]}), and it slices strings by UTF-16 unit where Python
 * slices by code point (an emoji is one character).
 */
final class ExtendedSlices {
    private ExtendedSlices() {
    }

    static String rewrite(String code) {
        String current = code;
        while (true) {
            String next = rewriteFirst(current);
            if (next == null) {
                return current;
            }
            current = next;
        }
    }

    private static String rewriteFirst(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = CodeScan.endOfLiteral(s, i);
                continue;
            }
            if (c == '[') {
                int close = CodeScan.matchingClose(s, i);
                if (close < 0) {
                    return null;
                }
                int colon1 = CodeScan.topLevelIndexOf(s, ':', i + 1, close);
                int colon2 = colon1 < 0 ? -1 : CodeScan.topLevelIndexOf(s, ':', colon1 + 1, close);
                int operandStart = colon1 < 0 ? -1 : operandStart(s, i);
                if (operandStart >= 0 && operandStart < i) {
                    String operand = s.substring(operandStart, i);
                    int stopEnd = colon2 < 0 ? close : colon2;
                    String args = arg(s.substring(i + 1, colon1)) + ", " + arg(s.substring(colon1 + 1, stopEnd))
                            + ", " + (colon2 < 0 ? "none" : arg(s.substring(colon2 + 1, close)));
                    return s.substring(0, operandStart) + "(" + operand + "|chorus_slice(" + args + "))"
                            + s.substring(close + 1);
                }
            }
            i++;
        }
        return null;
    }

    private static String arg(String part) {
        return part.isBlank() ? "none" : part.strip();
    }

    /** Start of the postfix expression (name, attribute chain, calls, subscripts, literal) ending before {@code at}. */
    private static int operandStart(String s, int at) {
        int i = at - 1;
        while (i >= 0) {
            char c = s.charAt(i);
            if (CodeScan.isIdentifierChar(c) || c == '.') {
                i--;
            } else if (c == ')' || c == ']') {
                int open = matchingOpen(s, i);
                if (open < 0) {
                    return -1;
                }
                i = open - 1;
            } else if (c == '\'' || c == '"') {
                int open = s.lastIndexOf(c, i - 1);
                while (open > 0 && s.charAt(open - 1) == '\\') {
                    open = s.lastIndexOf(c, open - 2);
                }
                if (open < 0) {
                    return -1;
                }
                i = open - 1;
            } else {
                break;
            }
        }
        return i + 1;
    }

    private static int matchingOpen(String s, int closeAt) {
        int depth = 0;
        for (int i = closeAt; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == ')' || c == ']' || c == '}') {
                depth++;
            } else if (c == '(' || c == '[' || c == '{') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
