package dev.chorus.chat;

/** Helpers for markup a model writes into its answer, which a stream must recognise before it is complete. */
public final class Markup {
    private Markup() {
    }

    /**
     * The length of the longest end of {@code text} that is a proper beginning of {@code marker} (0 if none): text a
     * stream must hold back because the next token may complete the marker.
     */
    public static int partialAtEnd(CharSequence text, String marker) {
        for (int k = Math.min(marker.length() - 1, text.length()); k > 0; k--) {
            if (regionEquals(text, text.length() - k, marker, k)) {
                return k;
            }
        }
        return 0;
    }

    private static boolean regionEquals(CharSequence text, int from, String marker, int length) {
        for (int i = 0; i < length; i++) {
            if (text.charAt(from + i) != marker.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
