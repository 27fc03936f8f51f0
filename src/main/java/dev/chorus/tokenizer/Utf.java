package dev.chorus.tokenizer;

/** Small UTF-16/UTF-8 helpers. */
final class Utf {
    private Utf() {
    }

    /** The code points of a string (a lone surrogate is taken as U+FFFD, as an invalid UTF-8 byte would be). */
    static int[] codePoints(String s) {
        return codePoints(s, 0, s.length());
    }

    /** The code points of s[from, to). */
    static int[] codePoints(String s, int from, int to) {
        int[] out = new int[to - from];
        int n = 0;
        for (int i = from; i < to; ) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) {
                out[n++] = c;
                i++;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                out[n++] = Character.toCodePoint(c, s.charAt(i + 1));
                i += 2;
            } else {
                out[n++] = 0xFFFD;
                i++;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** The UTF-16 length of n code points starting at cps[from]. */
    static int utf16Length(int[] cps, int from, int n) {
        int length = n;
        for (int i = from; i < from + n; i++) {
            if (cps[i] >= 0x10000) {
                length++;
            }
        }
        return length;
    }

    /** Replaces lone surrogates by U+FFFD so that every later step sees well-formed text. */
    static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1));
                if (!pair) {
                    int[] cps = codePoints(s);
                    return new String(cps, 0, cps.length);
                }
                i++;
            }
        }
        return s;
    }
}
