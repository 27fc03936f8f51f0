package dev.chorus.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * WordPiece as llama.cpp's llm_tokenizer_wpm (b4747): code points are reduced to the first code point of their
 * NFD form and lower-cased, split at whitespace, punctuation, ASCII symbols and CJK ideographs; each word, prefixed
 * with U+2581 as the GGUF vocabulary stores word starts, is covered greedily by the longest tokens, or becomes the
 * unknown token when that fails.
 */
final class WordPieceEncoder {
    private final Vocab vocab;

    WordPieceEncoder(Vocab vocab) {
        this.vocab = vocab;
    }

    void encode(String text, IntList out) {
        for (String word : words(text)) {
            String w = "\u2581" + word;
            int before = out.size();
            IntList pieces = new IntList(8);
            boolean failed = false;
            for (int i = 0; i < w.length(); ) {
                int match = -1;
                int matchEnd = -1;
                for (int j = Math.min(w.length(), i + vocab.maxTokenLength + 1); j > i; j--) {
                    int id = vocab.id(w.substring(i, j));
                    if (id >= 0) {
                        match = id;
                        matchEnd = j;
                        break;
                    }
                }
                if (match < 0) {
                    failed = true;
                    break;
                }
                pieces.add(match);
                i = matchEnd;
            }
            if (!failed) {
                out.addAll(pieces.toArray());
            }
            if (out.size() == before) {
                out.add(vocab.special(SpecialToken.UNK));
            }
        }
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int cp : Utf.codePoints(text)) {
            cp = nfdBase(cp);
            int flags = UnicodeFlags.of(cp);
            if ((flags & UnicodeFlags.WHITESPACE) != 0) {
                flush(current, words);
                continue;
            }
            if (cp == 0 || cp == 0xFFFD || UnicodeFlags.category(flags) == UnicodeFlags.CONTROL) {
                continue;
            }
            int lower = Character.toLowerCase(cp);
            int category = UnicodeFlags.category(flags);
            if (category == UnicodeFlags.PUNCTUATION || (cp < 0x7F && category == UnicodeFlags.SYMBOL)
                    || isChinese(cp)) {
                flush(current, words);
                words.add(new String(Character.toChars(lower)));
            } else {
                current.appendCodePoint(lower);
            }
        }
        flush(current, words);
        return words;
    }

    private static void flush(StringBuilder current, List<String> words) {
        if (!current.isEmpty()) {
            words.add(current.toString());
            current.setLength(0);
        }
    }

    /** The first code point of the NFD decomposition (llama.cpp's unicode_cpts_normalize_nfd). */
    static int nfdBase(int cp) {
        if (cp < 0xC0) {
            return cp;
        }
        String s = new String(Character.toChars(cp));
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        return nfd.codePointAt(0);
    }

    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
