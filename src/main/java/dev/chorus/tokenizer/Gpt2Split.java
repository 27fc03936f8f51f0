package dev.chorus.tokenizer;

/**
 * GPT-2's split {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}, hand-written
 * like llama.cpp's unicode_regex_split_custom_gpt2.
 */
final class Gpt2Split implements PreTokenizer.SplitStep {
    private static final int OUT = -1;

    @Override
    public void split(int[] cps, IntList chunks, IntList out) {
        int start = 0;
        for (int c = 0; c < chunks.size(); c++) {
            int end = start + chunks.get(c);
            splitChunk(cps, start, end, out);
            start = end;
        }
    }

    private static void splitChunk(int[] cps, int ini, int end, IntList out) {
        int prevEnd = ini;
        int pos = ini;
        while (pos < end) {
            int cpt = cps[pos];
            int flags = UnicodeFlags.of(cpt);
            if (cpt == '\'' && pos + 1 < end) {
                int next = cps[pos + 1];
                if (next == 's' || next == 't' || next == 'm' || next == 'd') {
                    pos += 2;
                    prevEnd = add(out, prevEnd, pos);
                    continue;
                }
                if (pos + 2 < end) {
                    int next2 = cps[pos + 2];
                    if ((next == 'r' && next2 == 'e') || (next == 'v' && next2 == 'e') || (next == 'l' && next2 == 'l')) {
                        pos += 3;
                        prevEnd = add(out, prevEnd, pos);
                        continue;
                    }
                }
            }
            int flags2 = cpt == ' ' ? flagsAt(cps, pos + 1, end) : flags;
            if ((flags2 & UnicodeFlags.LETTER) != 0) {
                if (cpt == ' ') {
                    pos++;
                }
                while ((flags2 & UnicodeFlags.LETTER) != 0) {
                    flags2 = flagsAt(cps, ++pos, end);
                }
                prevEnd = add(out, prevEnd, pos);
                continue;
            }
            if ((flags2 & UnicodeFlags.NUMBER) != 0) {
                if (cpt == ' ') {
                    pos++;
                }
                while ((flags2 & UnicodeFlags.NUMBER) != 0) {
                    flags2 = flagsAt(cps, ++pos, end);
                }
                prevEnd = add(out, prevEnd, pos);
                continue;
            }
            if (isOther(flags2)) {
                if (cpt == ' ') {
                    pos++;
                }
                while (isOther(flags2)) {
                    flags2 = flagsAt(cps, ++pos, end);
                }
                prevEnd = add(out, prevEnd, pos);
                continue;
            }
            int spaces = 0;
            while ((flagsAt(cps, pos + spaces, end) & UnicodeFlags.WHITESPACE) != 0) {
                spaces++;
            }
            if (spaces > 1 && pos + spaces < end) {
                pos += spaces - 1;
                prevEnd = add(out, prevEnd, pos);
                continue;
            }
            if (spaces > 0) {
                pos += spaces;
                prevEnd = add(out, prevEnd, pos);
                continue;
            }
            prevEnd = add(out, prevEnd, ++pos);
        }
    }

    /** [^\s\p{L}\p{N}] for a code point inside the chunk (flags 0 means past its end). */
    static boolean isOther(int flags) {
        return (flags & (UnicodeFlags.WHITESPACE | UnicodeFlags.LETTER | UnicodeFlags.NUMBER)) == 0 && flags != 0;
    }

    static int flagsAt(int[] cps, int pos, int end) {
        return pos < end ? UnicodeFlags.of(cps[pos]) : 0;
    }

    static int cptAt(int[] cps, int pos, int end) {
        return pos < end ? cps[pos] : OUT;
    }

    /** Emits the word [prevEnd, end) if not empty; returns the new previous end. */
    static int add(IntList out, int prevEnd, int end) {
        if (end > prevEnd) {
            out.add(end - prevEnd);
        }
        return end;
    }
}
