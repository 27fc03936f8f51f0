package dev.chorus.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a Jinja2 (Python) expression so that Jinjava evaluates it with Python's grammar and truthiness:
 * <ul>
 *   <li>Precedence: {@code not} binds looser than comparisons and tests in Python ({@code not x is defined} is
 *       {@code not (x is defined)}) but tighter in Jinjava; a keyword argument's value runs to the next comma
 *       ({@code namespace(i=xs|length - 1)}), Jinjava parses {@code (i=xs|length) - 1}. The rewrite splits the
 *       expression by Python's levels (conditional, or, and, not) and parenthesizes each part.</li>
 *   <li>{@code +} and {@code ~} follow Python ({@link PyOps}): a string plus a list or None is an error, as in
 *       transformers, instead of Jinjava's silent concatenation.</li>
 *   <li>Truthiness: Jinjava treats the strings "false"/"False" as false and its {@code and} returns a boolean.
 *       Conditions are evaluated through {@code chorus_truth} (Python's truth value), and value-producing
 *       {@code a or b} / {@code a and b} become conditionals that return an operand, as in Python.</li>
 * </ul>
 */
final class Expressions {
    private Expressions() {
    }

    /** An expression whose value is used (printed, assigned, passed). */
    static String value(String code) {
        return rewrite(code, false);
    }

    /** An expression used only as a condition: the result is a boolean with Python's truth value. */
    static String condition(String code) {
        return rewrite(code, true);
    }

    private static String rewrite(String code, boolean condition) {
        String s = code.strip();
        if (s.isEmpty()) {
            return s;
        }
        int ifAt = CodeScan.topLevelKeyword(s, "if", 0);
        if (ifAt > 0) {
            String rest = s.substring(ifAt + 2);
            int elseAt = CodeScan.topLevelKeyword(rest, "else", 0);
            String result = "(" + rewrite(s.substring(0, ifAt), false) + " if "
                    + rewrite(elseAt < 0 ? rest : rest.substring(0, elseAt), true)
                    + (elseAt < 0 ? "" : " else " + rewrite(rest.substring(elseAt + 4), false)) + ")";
            return condition ? truth(result) : result;
        }
        List<String> ors = splitAtKeyword(s, "or");
        if (ors.size() > 1) {
            return condition ? joinConditions(ors, " or ")
                    : fold(ors, (a, b) -> "(" + a + " if " + truth(a) + " else " + b + ")");
        }
        List<String> ands = splitAtKeyword(s, "and");
        if (ands.size() > 1) {
            return condition ? joinConditions(ands, " and ")
                    : fold(ands, (a, b) -> "(" + b + " if " + truth(a) + " else " + a + ")");
        }
        if (CodeScan.topLevelKeyword(s, "not", 0) == 0) {
            return "(not " + rewrite(s.substring(3), true) + ")";
        }
        String leaf = rewriteArithmetic(s);
        return condition ? truth(leaf) : leaf;
    }

    /**
     * Python's {@code +} and Jinja2's {@code ~} as functions ({@link PyOps}) inside each comparison operand:
     * {@code a ~ b + c == d} becomes {@code chorus_concat(a, chorus_add(b, c)) == d}. The part after {@code is} is a
     * test and stays as written.
     */
    private static String rewriteArithmetic(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        int segmentStart = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int skipped = CodeScan.skipNested(s, i);
            if (skipped >= 0) {
                i = skipped;
                continue;
            }
            if (CodeScan.isIdentifierChar(c) && (i == 0 || !CodeScan.isIdentifierChar(s.charAt(i - 1)))) {
                int end = wordEnd(s, i);
                String word = s.substring(i, end);
                int operatorEnd = switch (word) {
                    case "in" -> end;
                    case "not" -> followedByIn(s, end);
                    case "is" -> -2;
                    default -> -1;
                };
                if (operatorEnd == -2) {
                    out.append(concatLevel(s.substring(segmentStart, i))).append(rewriteGroups(s.substring(i)));
                    return out.toString();
                }
                if (operatorEnd > 0) {
                    out.append(concatLevel(s.substring(segmentStart, i))).append(s, i, operatorEnd);
                    segmentStart = operatorEnd;
                }
                i = Math.max(end, operatorEnd);
                continue;
            }
            int comparison = comparisonLength(s, i);
            if (comparison > 0) {
                out.append(concatLevel(s.substring(segmentStart, i))).append(s, i, i + comparison);
                i += comparison;
                segmentStart = i;
                continue;
            }
            i++;
        }
        return out.append(concatLevel(s.substring(segmentStart))).toString();
    }

    private static int wordEnd(String s, int from) {
        int end = from;
        while (end < s.length() && CodeScan.isIdentifierChar(s.charAt(end))) {
            end++;
        }
        return end;
    }

    /** For {@code not in}: the index after "in", else -1. */
    private static int followedByIn(String s, int from) {
        int k = from;
        while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
            k++;
        }
        return s.startsWith("in", k) && wordEnd(s, k) == k + 2 ? k + 2 : -1;
    }

    private static int comparisonLength(String s, int i) {
        char c = s.charAt(i);
        char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
        if ((c == '=' || c == '!' || c == '<' || c == '>') && next == '=') {
            return 2;
        }
        return c == '<' || c == '>' ? 1 : 0;
    }

    private static String concatLevel(String segment) {
        if (segment.isBlank()) {
            return segment;
        }
        List<String> parts = splitAtBinary(segment, '~');
        if (parts.size() == 1) {
            return padded(segment, plusLevel(segment.strip()));
        }
        String acc = plusLevel(parts.getFirst().strip());
        for (int k = 1; k < parts.size(); k++) {
            acc = "chorus_concat(" + acc + ", " + plusLevel(parts.get(k).strip()) + ")";
        }
        return padded(segment, acc);
    }

    private static String plusLevel(String part) {
        List<String> terms = splitAtBinary(part, '+');
        if (terms.size() == 1) {
            return productLevel(part);
        }
        String acc = productLevel(terms.getFirst().strip());
        for (int k = 1; k < terms.size(); k++) {
            acc = "chorus_add(" + acc + ", " + productLevel(terms.get(k).strip()) + ")";
        }
        return acc;
    }

    /**
     * {@code a * b / c // d % e}, folded left as in Python: {@code *} and {@code %} through {@link PyOps} (string
     * repetition, floor modulo), {@code /} and {@code //} left to Jinjava, which already follows Python there.
     */
    private static String productLevel(String term) {
        List<String> operands = new ArrayList<>();
        List<String> operators = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < term.length()) {
            char c = term.charAt(i);
            int skipped = CodeScan.skipNested(term, i);
            if (skipped >= 0) {
                i = skipped;
                continue;
            }
            char next = i + 1 < term.length() ? term.charAt(i + 1) : 0;
            if (c == '*' && next == '*') {
                i += 2; // power: left to Jinjava
                continue;
            }
            String op = c == '*' || c == '%' ? String.valueOf(c) : c == '/' ? (next == '/' ? "//" : "/") : null;
            if (op != null && followsOperand(term, i)) {
                operands.add(term.substring(start, i));
                operators.add(op);
                i += op.length();
                start = i;
                continue;
            }
            i++;
        }
        if (operators.isEmpty()) {
            return rewriteGroups(term);
        }
        operands.add(term.substring(start));
        String acc = rewriteGroups(operands.getFirst().strip());
        for (int k = 0; k < operators.size(); k++) {
            String right = rewriteGroups(operands.get(k + 1).strip());
            acc = switch (operators.get(k)) {
                case "*" -> "chorus_mul(" + acc + ", " + right + ")";
                case "%" -> "chorus_mod(" + acc + ", " + right + ")";
                default -> "(" + acc + " " + operators.get(k) + " " + right + ")";
            };
        }
        return acc;
    }

    /** Keeps the whitespace around a rewritten segment, so operators stay separated. */
    private static String padded(String original, String rewritten) {
        String lead = original.substring(0, original.length() - original.stripLeading().length());
        String trail = original.substring(original.stripTrailing().length());
        return lead + rewritten + trail;
    }

    /** Splits at top-level binary uses of {@code op} (after an operand, not in literals or brackets). */
    private static List<String> splitAtBinary(String s, char op) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int skipped = CodeScan.skipNested(s, i);
            if (skipped >= 0) {
                i = skipped;
                continue;
            }
            if (c == op && followsOperand(s, i) && !(op == '+' && isExponentSign(s, i))) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
            i++;
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static boolean followsOperand(String s, int at) {
        int k = at - 1;
        while (k >= 0 && Character.isWhitespace(s.charAt(k))) {
            k--;
        }
        if (k < 0) {
            return false;
        }
        char c = s.charAt(k);
        return CodeScan.isIdentifierChar(c) || c == ')' || c == ']' || c == '}' || c == '\'' || c == '"';
    }

    /** The '+' of a float literal like 1e+5. */
    private static boolean isExponentSign(String s, int at) {
        if (at < 2 || (s.charAt(at - 1) != 'e' && s.charAt(at - 1) != 'E')) {
            return false;
        }
        int k = at - 2;
        while (k >= 0 && (Character.isDigit(s.charAt(k)) || s.charAt(k) == '.')) {
            k--;
        }
        return k < at - 2 && (k < 0 || !CodeScan.isIdentifierChar(s.charAt(k)));
    }

    private static String truth(String expression) {
        return "chorus_truth(" + expression + ")";
    }

    private static String joinConditions(List<String> parts, String operator) {
        List<String> out = new ArrayList<>(parts.size());
        parts.forEach(p -> out.add(rewrite(p, true)));
        return String.join(operator, out);
    }

    private static String fold(List<String> parts, java.util.function.BinaryOperator<String> combine) {
        String acc = rewrite(parts.getFirst(), false);
        for (int i = 1; i < parts.size(); i++) {
            acc = combine.apply(acc, rewrite(parts.get(i), false));
        }
        return acc;
    }

    private static List<String> splitAtKeyword(String s, String keyword) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = CodeScan.topLevelKeyword(s, keyword, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + keyword.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** Rewrites the expressions inside brackets: call arguments, subscripts, list/tuple/dict items. */
    private static String rewriteGroups(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int end = CodeScan.endOfLiteral(s, i);
                out.append(s, i, end);
                i = end;
            } else if (c == '(' || c == '[' || c == '{') {
                int close = CodeScan.matchingClose(s, i);
                if (close < 0) {
                    throw new ChatTemplateException("unbalanced '" + c + "' in expression: " + s);
                }
                boolean call = c == '(' && isCallee(out);
                out.append(c).append(rewriteItems(s.substring(i + 1, close), call, c == '{')).append(s.charAt(close));
                i = close + 1;
            } else if (CodeScan.isIdentifierChar(c)) {
                int end = i;
                while (end < s.length() && CodeScan.isIdentifierChar(s.charAt(end))) {
                    end++;
                }
                String word = s.substring(i, end);
                out.append(isTestName(out) || isAttribute(out) ? word : literal(word));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Python's literals: None is a real value ({@link PyNone}); True/False are Jinjava's true/false. */
    private static String literal(String word) {
        return switch (word) {
            case "none", "None" -> PyNone.VARIABLE;
            case "True" -> "true";
            case "False" -> "false";
            default -> word;
        };
    }

    private static boolean isAttribute(StringBuilder before) {
        int k = before.length() - 1;
        while (k >= 0 && Character.isWhitespace(before.charAt(k))) {
            k--;
        }
        return k >= 0 && before.charAt(k) == '.';
    }

    /** True right after {@code is} or {@code is not}: the next word names a test ({@code x is none}). */
    private static boolean isTestName(StringBuilder before) {
        String text = before.toString().stripTrailing();
        if (text.endsWith(" not") || text.equals("not")) {
            text = text.substring(0, text.length() - 3).stripTrailing();
        }
        return (text.endsWith(" is") || text.equals("is"))
                && (text.length() == 2 || !CodeScan.isIdentifierChar(text.charAt(text.length() - 3)));
    }

    private static String rewriteItems(String inner, boolean call, boolean dict) {
        if (inner.isBlank()) {
            return inner;
        }
        List<String> items = new ArrayList<>();
        int start = 0;
        while (true) {
            int comma = CodeScan.topLevelIndexOf(inner, ',', start, inner.length());
            String item = inner.substring(start, comma < 0 ? inner.length() : comma);
            items.add(item.isBlank() ? item : rewriteItem(item, call, dict));
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return String.join(", ", items);
    }

    private static String rewriteItem(String item, boolean call, boolean dict) {
        if (dict) {
            int colon = CodeScan.topLevelIndexOf(item, ':', 0, item.length());
            if (colon >= 0) {
                return value(item.substring(0, colon)) + ": " + value(item.substring(colon + 1));
            }
        }
        if (call) {
            int eq = keywordArgument(item);
            if (eq >= 0) {
                return item.substring(0, eq).strip() + "=(" + value(item.substring(eq + 1)) + ")";
            }
        }
        return value(item);
    }

    /** Index of the '=' of {@code name=value}, or -1. */
    private static int keywordArgument(String item) {
        int k = 0;
        while (k < item.length() && Character.isWhitespace(item.charAt(k))) {
            k++;
        }
        int nameEnd = k;
        while (nameEnd < item.length() && CodeScan.isIdentifierChar(item.charAt(nameEnd))) {
            nameEnd++;
        }
        int eq = nameEnd;
        while (eq < item.length() && Character.isWhitespace(item.charAt(eq))) {
            eq++;
        }
        boolean isKeyword = nameEnd > k && !Character.isDigit(item.charAt(k)) && eq < item.length()
                && item.charAt(eq) == '=' && (eq + 1 >= item.length() || item.charAt(eq + 1) != '=');
        return isKeyword ? eq : -1;
    }

    private static boolean isCallee(StringBuilder before) {
        int k = before.length() - 1;
        while (k >= 0 && Character.isWhitespace(before.charAt(k))) {
            k--;
        }
        return k >= 0 && (CodeScan.isIdentifierChar(before.charAt(k)) || before.charAt(k) == ')');
    }
}
