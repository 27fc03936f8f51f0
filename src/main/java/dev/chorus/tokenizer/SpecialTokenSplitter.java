package dev.chorus.tokenizer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Splits special tokens out of the input before tokenization, as llama.cpp's tokenizer_st_partition does: for
 * each special token, longest text first, every occurrence in every remaining text fragment becomes that token.
 * User-defined tokens are always split out; control and unknown tokens only when parsing special tokens.
 */
final class SpecialTokenSplitter {
    private final Vocab vocab;
    /** All special tokens, and the user-defined ones alone; indexed by position in {@code vocab.specialTokens}. */
    private final TokenTrie allSpecial = new TokenTrie();
    private final TokenTrie userDefined = new TokenTrie();

    SpecialTokenSplitter(Vocab vocab) {
        this.vocab = vocab;
        for (int i = 0; i < vocab.specialTokens.length; i++) {
            int id = vocab.specialTokens[i];
            allSpecial.add(vocab.texts[id], i);
            if (!vocab.has(id, TokenAttr.CONTROL | TokenAttr.UNKNOWN)) {
                userDefined.add(vocab.texts[id], i);
            }
        }
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) {
            return fragments;
        }
        fragments.add(new Fragment.Text(0, text.length()));
        // only tokens that occur in the text can split it; find them in one pass, then split in llama.cpp's order
        BitSet occurring = (parseSpecial ? allSpecial : userDefined).occurring(text);
        for (int i = occurring.nextSetBit(0); i >= 0; i = occurring.nextSetBit(i + 1)) {
            int id = vocab.specialTokens[i];
            fragments = splitOn(text, fragments, vocab.texts[id], id);
        }
        return fragments;
    }

    private List<Fragment> splitOn(String text, List<Fragment> fragments, String token, int id) {
        boolean lstrip = vocab.has(id, TokenAttr.LSTRIP);
        boolean rstrip = vocab.has(id, TokenAttr.RSTRIP);
        List<Fragment> out = null;
        int next = text.indexOf(token);
        if (next < 0) {
            return fragments;
        }
        for (int f = 0; f < fragments.size(); f++) {
            Fragment fragment = fragments.get(f);
            if (!(fragment instanceof Fragment.Text(int start, int end))) {
                if (out != null) {
                    out.add(fragment);
                }
                continue;
            }
            if (next >= 0 && next < start) {
                next = text.indexOf(token, start);
            }
            if (next < 0 || next + token.length() > end) {
                if (out != null) {
                    out.add(fragment);
                }
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(fragments.subList(0, f));
            }
            int cur = start;
            while (next >= 0 && next + token.length() <= end) {
                int leftEnd = next;
                if (lstrip) {
                    while (leftEnd > cur && isSpace(text.charAt(leftEnd - 1))) {
                        leftEnd--;
                    }
                }
                if (leftEnd > cur) {
                    out.add(new Fragment.Text(cur, leftEnd));
                }
                out.add(new Fragment.Special(id));
                cur = next + token.length();
                if (rstrip) {
                    while (cur < end && isSpace(text.charAt(cur))) {
                        cur++;
                    }
                }
                next = text.indexOf(token, cur);
            }
            if (cur < end) {
                out.add(new Fragment.Text(cur, end));
            }
        }
        return out == null ? fragments : out;
    }

    /** C's isspace in the "C" locale. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
