package dev.chorus.chat;

/**
 * Rejects filters and tests Jinjava does not have. Jinja2 refuses them when compiling; Jinjava silently yields null
 * for an unknown filter, which would render a wrong prompt without any error.
 */
final class KnownNames {
    private KnownNames() {
    }

    static String check(String code) {
        int i = 0;
        String previousWord = "";
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                i = CodeScan.endOfLiteral(code, i);
                previousWord = "";
            } else if (c == '|') {
                String name = wordAt(code, skipSpaces(code, i + 1));
                if (!name.isEmpty() && HfJinja.engine().getGlobalContext().getFilter(name) == null) {
                    throw new ChatTemplateException("chat template uses the filter '" + name
                            + "', which the renderer does not support");
                }
                i++;
            } else if (CodeScan.isIdentifierChar(c)) {
                String word = wordAt(code, i);
                if (previousWord.equals("is") && !word.equals("not") || previousWord.equals("is not")) {
                    if (HfJinja.engine().getGlobalContext().getExpTest(word) == null && !isLiteralTest(word)) {
                        throw new ChatTemplateException("chat template uses the test '" + word
                                + "', which the renderer does not support");
                    }
                }
                previousWord = previousWord.equals("is") && word.equals("not") ? "is not" : word;
                i += word.length();
            } else {
                if (!Character.isWhitespace(c)) {
                    previousWord = "";
                }
                i++;
            }
        }
        return code;
    }

    /** {@code x is none}, {@code x is true}: keywords Jinjava resolves without its test library. */
    private static boolean isLiteralTest(String word) {
        return switch (word) {
            case "none", "None", "true", "True", "false", "False" -> true;
            default -> false;
        };
    }

    private static int skipSpaces(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String wordAt(String s, int from) {
        int end = from;
        while (end < s.length() && CodeScan.isIdentifierChar(s.charAt(end))) {
            end++;
        }
        return s.substring(from, end);
    }
}
