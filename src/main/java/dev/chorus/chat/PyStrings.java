package dev.chorus.chat;

import java.util.ArrayList;
import java.util.List;

/** Python {@code str} semantics that templates rely on and Java's String does differently. */
final class PyStrings {
    private PyStrings() {
    }

    /** Decodes the body of a Python string literal (Jinja2 decodes literals with Python's unicode-escape). */
    static String unescapeLiteral(String body) {
        if (body.indexOf('\\') < 0) {
            return body;
        }
        StringBuilder b = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                b.append(c);
                i++;
                continue;
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case '\\' -> b.append('\\');
                case '\'' -> b.append('\'');
                case '"' -> b.append('"');
                case 'a' -> b.append('\u0007');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'v' -> b.append('\u000b');
                case '\n' -> { } // backslash-newline continues the line
                case 'x' -> i = appendHex(b, body, i, 2);
                case 'u' -> i = appendHex(b, body, i, 4);
                case 'U' -> i = appendHex(b, body, i, 8);
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int start = i - 1;
                    int end = start;
                    while (end < body.length() && end < start + 3 && body.charAt(end) >= '0' && body.charAt(end) <= '7') {
                        end++;
                    }
                    b.appendCodePoint(Integer.parseInt(body.substring(start, end), 8));
                    i = end;
                }
                default -> b.append('\\').append(e); // Python keeps unknown escapes as written
            }
        }
        return b.toString();
    }

    private static int appendHex(StringBuilder b, String body, int from, int digits) {
        if (from + digits > body.length()) {
            throw new ChatTemplateException("truncated \\x/\\u escape in a string literal");
        }
        b.appendCodePoint(Integer.parseInt(body.substring(from, from + digits), 16));
        return from + digits;
    }

    /** Python's {@code str.isspace()} for one char (Java's Character.isWhitespace differs on NBSP and others). */
    static boolean isSpace(char c) {
        return switch (c) {
            case ' ', '\t', '\n', '\u000b', '\f', '\r', '\u001c', '\u001d', '\u001e', '\u001f', '\u0085', '\u00a0',
                 '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200a';
        };
    }

    private static boolean strips(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }

    static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && strips(s.charAt(i), chars)) {
            i++;
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int i = s.length();
        while (i > 0 && strips(s.charAt(i - 1), chars)) {
            i--;
        }
        return s.substring(0, i);
    }

    /** {@code str.split(sep, maxsplit)}: with a separator, empty pieces are kept (Java's split drops them). */
    static List<String> split(String s, String sep, int maxSplit) {
        List<String> parts = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            while (true) {
                while (i < s.length() && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    return parts;
                }
                if (maxSplit >= 0 && parts.size() == maxSplit) {
                    parts.add(rstrip(s.substring(i), null));
                    return parts;
                }
                int j = i;
                while (j < s.length() && !isSpace(s.charAt(j))) {
                    j++;
                }
                parts.add(s.substring(i, j));
                i = j;
            }
        }
        if (sep.isEmpty()) {
            throw new ChatTemplateException("empty separator in str.split()");
        }
        int from = 0;
        int at;
        while ((maxSplit < 0 || parts.size() < maxSplit) && (at = s.indexOf(sep, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** {@code str.splitlines()}: line breaks removed; \r\n counts as one. */
    static List<String> splitlines(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean lineBreak = switch (c) {
                case '\n', '\r', '\u000b', '\f', '\u001c', '\u001d', '\u001e', '\u0085', '\u2028', '\u2029' -> true;
                default -> false;
            };
            if (!lineBreak) {
                i++;
                continue;
            }
            lines.add(s.substring(start, i));
            i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
            start = i;
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    /** {@code str.title()}: first letter of each run of letters upper case, the rest lower case. */
    static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            previousCased = Character.isLetter(c);
        }
        return b.toString();
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toTitleCase(s.charAt(0)) + s.substring(1).toLowerCase();
    }

    /** {@code str.replace(old, new, count)}; count < 0 replaces all, and an empty {@code old} inserts between chars. */
    static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            if (old.isEmpty()) {
                StringBuilder b = new StringBuilder(replacement);
                for (int i = 0; i < s.length(); i++) {
                    b.append(s.charAt(i)).append(replacement);
                }
                return b.toString();
            }
            return s.replace(old, replacement);
        }
        StringBuilder b = new StringBuilder();
        int from = 0;
        int done = 0;
        int at;
        while (done < count && !old.isEmpty() && (at = s.indexOf(old, from)) >= 0) {
            b.append(s, from, at).append(replacement);
            from = at + old.length();
            done++;
        }
        return b.append(s.substring(from)).toString();
    }

    /** Python's {@code repr(str)}: single quotes unless the text has ' and no ". */
    static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder(s.length() + 2).append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c == quote) {
                        b.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append(quote).toString();
    }
}
