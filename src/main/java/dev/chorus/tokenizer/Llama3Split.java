package dev.chorus.tokenizer;

import static dev.chorus.tokenizer.Gpt2Split.add;
import static dev.chorus.tokenizer.Gpt2Split.cptAt;
import static dev.chorus.tokenizer.Gpt2Split.flagsAt;

/**
 * Llama 3's split {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|
 * \s*[\r\n]+|\s+(?!\S)|\s+}, hand-written like llama.cpp's unicode_regex_split_custom_llama3.
 */
final class Llama3Split implements PreTokenizer.SplitStep {
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
                int next = Character.toLowerCase(cps[pos + 1]);
                if (next == 's' || next == 't' || next == 'm' || next == 'd') {
                    pos += 2;
                    prevEnd = add(out, prevEnd, pos);
                    continue;
                }
                if (pos + 2 < end) {
                    int next2 = Character.toLowerCase(cps[pos + 2]);
                    if ((next == 'r' && next2 == 'e') || (next == 'v' && next2 == 'e') || (next == 'l' && next2 == 'l')) {
                        pos += 3;
                        prevEnd = add(out, prevEnd, pos);
                        continue;
                    }
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (!(cpt == '\r' || cpt == '\n' || (flags & UnicodeFlags.NUMBER) != 0)) {
                if ((flags & UnicodeFlags.LETTER) != 0 || (flagsAt(cps, pos + 1, end) & UnicodeFlags.LETTER) != 0) {
                    pos++;
                    while ((flagsAt(cps, pos, end) & UnicodeFlags.LETTER) != 0) {
                        pos++;
                    }
                    prevEnd = add(out, prevEnd, pos);
                    continue;
                }
            }
            // \p{N}{1,3}
            if ((flags & UnicodeFlags.NUMBER) != 0) {
                int groupStart = pos;
                while ((flagsAt(cps, pos, end) & UnicodeFlags.NUMBER) != 0) {
                    if (++pos - groupStart >= 3) {
                        prevEnd = add(out, prevEnd, pos);
                        groupStart = pos;
                    }
                }
                prevEnd = add(out, prevEnd, pos);
                continue;
            }
            // <space>?[^\s\p{L}\p{N}]+[\r\n]*  (llama.cpp tests the flags of the first code point, not the second)
            int flags2 = cpt == ' ' ? flagsAt(cps, pos + 1, end) : flags;
            if ((flags2 & (UnicodeFlags.WHITESPACE | UnicodeFlags.LETTER | UnicodeFlags.NUMBER)) == 0 && flags != 0) {
                if (cpt == ' ') {
                    pos++;
                }
                while (Gpt2Split.isOther(flags2)) {
                    flags2 = flagsAt(cps, ++pos, end);
                }
                int cpt2 = cptAt(cps, pos, end);
                while (cpt2 == '\r' || cpt2 == '\n') {
                    cpt2 = cptAt(cps, ++pos, end);
                }
                prevEnd = add(out, prevEnd, pos);
                continue;
            }
            int spaces = 0;
            int lastEndOfLine = 0;
            while ((flagsAt(cps, pos + spaces, end) & UnicodeFlags.WHITESPACE) != 0) {
                int cpt2 = cps[pos + spaces];
                if (cpt2 == '\r' || cpt2 == '\n') {
                    lastEndOfLine = pos + spaces + 1;
                }
                spaces++;
            }
            if (lastEndOfLine > 0) {
                pos = lastEndOfLine;
                prevEnd = add(out, prevEnd, pos);
                continue;
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
}
