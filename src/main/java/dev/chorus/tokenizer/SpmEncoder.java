package dev.chorus.tokenizer;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SentencePiece BPE as llama.cpp's llm_tokenizer_spm: start from single code points, repeatedly merge the adjacent
 * pair whose concatenation is the vocabulary token with the highest score (leftmost first on ties), then emit
 * each final piece, or its UTF-8 bytes as byte tokens when the piece is not in the vocabulary.
 *
 * <p>llama.cpp runs this over the whole text. When no token of the vocabulary has a U+2581 right after another
 * character (true of Llama-style vocabularies), no merge can join the text before a word-initial U+2581 with the
 * text after it, so each such word merges independently and in the same relative order: the words are tokenized
 * separately and cached, with identical results.
 */
final class SpmEncoder {
    private static final char SPACE = '\u2581';
    private static final int CACHE_LIMIT = 1 << 16;
    private static final int CACHE_MAX_WORD = 64;

    private final Vocab vocab;
    private final ByteFallback bytes;
    private final boolean wordsAreIndependent;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    SpmEncoder(Vocab vocab) {
        this.vocab = vocab;
        this.bytes = new ByteFallback(vocab);
        this.wordsAreIndependent = noTokenJoinsWords(vocab.texts);
    }

    private static boolean noTokenJoinsWords(String[] texts) {
        for (String t : texts) {
            for (int i = 1; i < t.length(); i++) {
                if (t.charAt(i) == SPACE && t.charAt(i - 1) != SPACE) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Tokenizes text whose spaces are already escaped as U+2581. */
    void encode(String text, IntList out) {
        if (text.isEmpty()) {
            return;
        }
        if (!wordsAreIndependent) {
            new Session(text).run(out);
            return;
        }
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || (text.charAt(i) == SPACE && text.charAt(i - 1) != SPACE)) {
                encodeWord(text.substring(start, i), out);
                start = i;
            }
        }
    }

    /** The whole-text algorithm without word splitting, exactly as llama.cpp runs it (for cross-checks). */
    void encodeWhole(String text, IntList out) {
        if (!text.isEmpty()) {
            new Session(text).run(out);
        }
    }

    private void encodeWord(String word, IntList out) {
        int[] ids = cache.get(word);
        if (ids == null) {
            IntList pieces = new IntList(8);
            new Session(word).run(pieces);
            ids = pieces.toArray();
            if (word.length() <= CACHE_MAX_WORD) {
                if (cache.size() >= CACHE_LIMIT) {
                    cache.clear();
                }
                cache.put(word, ids);
            }
        }
        out.addAll(ids);
    }

    private final class Session {
        private final String text;
        private final int[] start;
        private final int[] len;
        private final int[] prev;
        private final int[] next;
        private final BigramHeap heap;

        Session(String text) {
            this.text = text;
            int n = text.codePointCount(0, text.length());
            start = new int[n];
            len = new int[n];
            prev = new int[n];
            next = new int[n];
            int offset = 0;
            for (int i = 0; i < n; i++) {
                int count = Character.charCount(text.codePointAt(offset));
                start[i] = offset;
                len[i] = count;
                prev[i] = i - 1;
                offset += count;
                next[i] = offset == text.length() ? -1 : i + 1;
            }
            heap = new BigramHeap(n);
        }

        void run(IntList out) {
            for (int i = 1; i < start.length; i++) {
                tryAddBigram(i - 1, i);
            }
            while (!heap.isEmpty()) {
                int e = heap.pop();
                int left = heap.left[e];
                int right = heap.right[e];
                if (len[left] == 0 || len[right] == 0 || len[left] + len[right] != heap.size[e]) {
                    continue;
                }
                len[left] += len[right];
                len[right] = 0;
                next[left] = next[right];
                if (next[right] >= 0) {
                    prev[next[right]] = left;
                }
                tryAddBigram(prev[left], left);
                tryAddBigram(left, next[left]);
            }
            for (int i = 0; i != -1; i = next[i]) {
                String piece = text.substring(start[i], start[i] + len[i]);
                int id = vocab.id(piece);
                if (id >= 0) {
                    out.add(id);
                } else {
                    bytes.append(piece, out);
                }
            }
        }

        private void tryAddBigram(int left, int right) {
            if (left < 0 || right < 0) {
                return;
            }
            int id = vocab.id(text.substring(start[left], start[right] + len[right]));
            if (id < 0) {
                return;
            }
            heap.push(left, right, vocab.scores[id], len[left] + len[right]);
        }
    }

    /** A binary heap of candidate merges ordered by score (highest first), then left position (lowest first). */
    private static final class BigramHeap {
        int[] left;
        int[] right;
        float[] score;
        int[] size;
        private int count;
        private int[] heap;
        private int heapSize;

        BigramHeap(int capacity) {
            int c = Math.max(8, capacity * 2);
            left = new int[c];
            right = new int[c];
            score = new float[c];
            size = new int[c];
            heap = new int[c];
        }

        boolean isEmpty() {
            return heapSize == 0;
        }

        void push(int l, int r, float s, int sz) {
            if (count == left.length) {
                int c = count * 2;
                left = Arrays.copyOf(left, c);
                right = Arrays.copyOf(right, c);
                score = Arrays.copyOf(score, c);
                size = Arrays.copyOf(size, c);
            }
            if (heapSize == heap.length) {
                heap = Arrays.copyOf(heap, heapSize * 2);
            }
            int e = count++;
            left[e] = l;
            right[e] = r;
            score[e] = s;
            size[e] = sz;
            int i = heapSize++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!before(e, heap[parent])) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = e;
        }

        int pop() {
            int top = heap[0];
            int last = heap[--heapSize];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= heapSize) {
                    break;
                }
                if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
                    child++;
                }
                if (!before(heap[child], last)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            if (heapSize > 0) {
                heap[i] = last;
            }
            return top;
        }

        private boolean before(int a, int b) {
            if (score[a] != score[b]) {
                return score[a] > score[b];
            }
            return left[a] < left[b];
        }
    }
}
