package dev.chorus.chat;

/**
 * Rewrites {@code for TARGETS in ITER if COND} (Jinja2's filtered loop, which Jinjava silently ignores) into
 * {@code for TARGETS in (ITER)|chorus_loop_filter('TARGETS', 'COND')}: the filter keeps the items for which COND
 * holds, so {@code loop.index}/{@code loop.last} count only kept items, exactly as in Jinja2.
 */
final class LoopFilters {
    private LoopFilters() {
    }

    static String rewrite(String tagCode) {
        int start = 0;
        while (start < tagCode.length() && (Character.isWhitespace(tagCode.charAt(start))
                || tagCode.charAt(start) == '-' || tagCode.charAt(start) == '+')) {
            start++;
        }
        if (!tagCode.startsWith("for", start) || start + 3 >= tagCode.length()
                || !Character.isWhitespace(tagCode.charAt(start + 3))) {
            return tagCode;
        }
        int in = CodeScan.topLevelKeyword(tagCode, "in", start + 3);
        if (in < 0) {
            return tagCode;
        }
        int ifAt = CodeScan.topLevelKeyword(tagCode, "if", in + 2);
        if (ifAt < 0) {
            return tagCode;
        }
        int end = tagCode.length();
        while (end > ifAt && Character.isWhitespace(tagCode.charAt(end - 1))) {
            end--;
        }
        if (end > ifAt && (tagCode.charAt(end - 1) == '-' || tagCode.charAt(end - 1) == '+')) {
            end--;
        }
        String targets = tagCode.substring(start + 3, in).strip();
        String iterable = tagCode.substring(in + 2, ifAt).strip();
        String condition = tagCode.substring(ifAt + 2, end).strip();
        return tagCode.substring(0, start) + "for " + targets + " in (" + iterable + ")|chorus_loop_filter("
                + TemplateSource.jinjavaLiteral(targets, '\'') + ", " + TemplateSource.jinjavaLiteral(condition, '\'')
                + ") " + tagCode.substring(end);
    }
}
