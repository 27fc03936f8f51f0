package dev.chorus.chat;

/**
 * Rewrites the expressions of a {@code for} tag. The iterable goes through {@code chorus_iter} (see
 * {@link PyOps#iterable}): Python loops over a string's characters and fails on None. Jinja2's filtered loop {@code for TARGETS in ITER if COND}, which
 * Jinjava silently ignores, becomes {@code for TARGETS in (ITER)|chorus_loop_filter('TARGETS', 'COND')}: the
 * filter keeps the items for which COND holds, so {@code loop.index}/{@code loop.last} count only kept items,
 * exactly as in Jinja2.
 */
final class LoopFilters {
    private LoopFilters() {
    }

    /** @param body the tag code without delimiters and whitespace marks, starting with "for" */
    static String rewrite(String body) {
        int in = CodeScan.topLevelKeyword(body, "in", 3);
        if (in < 0) {
            return body;
        }
        String targets = body.substring(3, in).strip();
        String rest = body.substring(in + 2);
        String recursive = "";
        int recursiveAt = CodeScan.topLevelKeyword(rest, "recursive", 0);
        if (recursiveAt >= 0) {
            recursive = " recursive";
            rest = rest.substring(0, recursiveAt);
        }
        int ifAt = CodeScan.topLevelKeyword(rest, "if", 0);
        if (ifAt < 0) {
            return "for " + targets + " in chorus_iter(" + Expressions.value(rest) + ")" + recursive;
        }
        String iterable = "chorus_iter(" + Expressions.value(rest.substring(0, ifAt)) + ")";
        String condition = Expressions.condition(rest.substring(ifAt + 2));
        return "for " + targets + " in (" + iterable + ")|chorus_loop_filter("
                + TemplateSource.jinjavaLiteral(targets, '\'') + ", " + TemplateSource.jinjavaLiteral(condition, '\'')
                + ")" + recursive;
    }
}
