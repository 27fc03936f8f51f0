package dev.chorus.router;

import java.util.Arrays;
import java.util.function.Function;

/**
 * How an over-long prompt is cut to the encoder window: the first three quarters of the window come from the start
 * of the text (where the instruction usually is) and the rest from its end (where "summarise the above" style
 * instructions go), joined by the tokens of an ellipsis. Only the two ends of a huge text are tokenized, so a 1 MB
 * prompt costs about as much as one that just overflows the window.
 */
public record TokenWindow(int maxContentTokens) {
    /** Characters tokenized per end in the first attempt, per content token (English averages ~4-5 per token). */
    private static final int CHARS_PER_TOKEN_GUESS = 16;

    public TokenWindow {
        if (maxContentTokens < 16) {
            throw new IllegalArgumentException("encoder window must hold at least 16 tokens, got " + maxContentTokens);
        }
    }

    public int headTokens() {
        return maxContentTokens * 3 / 4;
    }

    /** Cuts a token sequence to the window, or returns it unchanged when it fits. */
    public int[] apply(int[] ids, int[] ellipsis) {
        if (ids.length <= maxContentTokens) {
            return ids;
        }
        return join(Arrays.copyOf(ids, headTokens()), ellipsis, Arrays.copyOfRange(ids, ids.length - tailTokens(ellipsis), ids.length));
    }

    private int tailTokens(int[] ellipsis) {
        return maxContentTokens - headTokens() - ellipsis.length;
    }

    /** Where a tokenizer's output is known not to depend on what lies on the other side of a cut. */
    @FunctionalInterface
    public interface Boundaries {
        /** True when tokenizing {@code text[0, index)} and {@code text[index, end)} gives the tokens of the whole. */
        boolean isBoundary(String text, int index);

        /** Spaces, tabs and line breaks: right for any tokenizer that splits words at whitespace. */
        Boundaries WHITESPACE = (text, index) -> {
            char c = text.charAt(index);
            return c == ' ' || c == '\n' || c == '\t' || c == '\r';
        };
    }

    /**
     * The window of {@code text} under {@code tokenize}. Long texts are tokenized only near their two ends, cut where
     * {@code boundaries} says the tokens do not depend on the other side, so the result equals
     * {@code apply(tokenize(text))}.
     */
    public int[] fit(String text, Function<String, int[]> tokenize, Boundaries boundaries, int[] ellipsis) {
        int tail = tailTokens(ellipsis);
        for (long chars = (long) maxContentTokens * CHARS_PER_TOKEN_GUESS; ; chars *= 2) {
            int cut = chars >= text.length() ? -1 : breakAtOrBefore(text, (int) chars, boundaries);
            if (cut <= 0) {
                return apply(tokenize.apply(text), ellipsis);
            }
            int[] head = tokenize.apply(text.substring(0, cut));
            if (head.length > maxContentTokens) {
                return join(Arrays.copyOf(head, headTokens()), ellipsis, lastTokens(text, tokenize, boundaries, tail));
            }
        }
    }

    private int[] lastTokens(String text, Function<String, int[]> tokenize, Boundaries boundaries, int count) {
        for (long chars = (long) count * CHARS_PER_TOKEN_GUESS; ; chars *= 2) {
            int cut = chars >= text.length() ? -1 : breakAtOrAfter(text, text.length() - (int) chars, boundaries);
            int[] ids = tokenize.apply(cut < 0 ? text : text.substring(cut));
            if (ids.length >= count || cut < 0) {
                return Arrays.copyOfRange(ids, Math.max(0, ids.length - count), ids.length);
            }
        }
    }

    private static int breakAtOrBefore(String text, int index, Boundaries boundaries) {
        for (int i = index; i > 0; i--) {
            if (boundaries.isBoundary(text, i)) {
                return i;
            }
        }
        return breakAtOrAfter(text, index, boundaries);
    }

    /** -1 when there is no boundary from {@code index} on. */
    private static int breakAtOrAfter(String text, int index, Boundaries boundaries) {
        for (int i = Math.max(1, index); i < text.length(); i++) {
            if (boundaries.isBoundary(text, i)) {
                return i;
            }
        }
        return -1;
    }

    private static int[] join(int[] head, int[] middle, int[] tail) {
        int[] out = Arrays.copyOf(head, head.length + middle.length + tail.length);
        System.arraycopy(middle, 0, out, head.length, middle.length);
        System.arraycopy(tail, 0, out, head.length + middle.length, tail.length);
        return out;
    }
}
