package dev.chorus.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE as llama.cpp's llm_tokenizer_bpe: the pre-tokenizer splits text into words; each word's UTF-8
 * bytes start as one symbol each and the adjacent pair with the lowest merge rank is merged (leftmost first on
 * ties) until no ranked pair is left. Symbols are interned as ints (vocabulary ids, then ids for merge results that
 * are not tokens), merge ranks live in a long-keyed hash map, and finished words are cached.
 */
final class BpeEncoder {
    private static final int CACHE_LIMIT = 1 << 18;
    /** Longer words (rare, e.g. long digit or symbol runs) are not worth keeping. */
    private static final int CACHE_MAX_WORD = 64;

    private final Vocab vocab;
    private final PreTokenizer preTokenizer;
    private final boolean ignoreMerges;
    private final LongIntMap rankOfPair;
    private final int[] mergeResult;
    private final int[] byteSymbol = new int[256];
    /** Texts of interned symbols that are not vocabulary tokens, by (symbol id - vocabulary size). */
    private final List<String> extraSymbols = new ArrayList<>();
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    BpeEncoder(Vocab vocab, String[] merges, PreTokenizer.Kind kind) {
        this.vocab = vocab;
        this.preTokenizer = new PreTokenizer(kind);
        this.ignoreMerges = kind.ignoreMerges();
        Map<String, Integer> extraIds = new HashMap<>();
        rankOfPair = new LongIntMap(merges.length);
        mergeResult = new int[merges.length];
        for (int rank = 0; rank < merges.length; rank++) {
            String merge = merges[rank];
            int space = merge.indexOf(' ', 1);
            String first = space < 0 ? "" : merge.substring(0, space);
            String second = space < 0 ? "" : merge.substring(space + 1);
            int left = intern(first, extraIds);
            int right = intern(second, extraIds);
            mergeResult[rank] = intern(first + second, extraIds);
            rankOfPair.putIfAbsent(LongIntMap.pair(left, right), rank);
        }
        for (int b = 0; b < 256; b++) {
            byteSymbol[b] = intern(String.valueOf(ByteLevel.charOf(b)), extraIds);
        }
    }

    private int intern(String text, Map<String, Integer> extraIds) {
        int id = vocab.id(text);
        if (id >= 0) {
            return id;
        }
        return extraIds.computeIfAbsent(text, t -> {
            extraSymbols.add(t);
            return vocab.size() + extraSymbols.size() - 1;
        });
    }

    /** Tokenizes text[from, to) (no special tokens in it) and appends the ids. */
    void encode(String text, int from, int to, IntList out) {
        int[] cps = Utf.codePoints(text, from, to);
        boolean bmpOnly = cps.length == to - from;
        IntList words = preTokenizer.split(cps);
        int cp = 0;
        int utf16 = from;
        for (int w = 0; w < words.size(); w++) {
            int n = words.get(w);
            int length = bmpOnly ? n : Utf.utf16Length(cps, cp, n);
            if (n > 0) {
                String word = text.substring(utf16, utf16 + length);
                int[] ids = cache.get(word);
                if (ids == null) {
                    ids = encodeWord(word.getBytes(StandardCharsets.UTF_8));
                    if (word.length() <= CACHE_MAX_WORD) {
                        if (cache.size() >= CACHE_LIMIT) {
                            cache.clear();
                        }
                        cache.put(word, ids);
                    }
                }
                out.addAll(ids);
            }
            cp += n;
            utf16 += length;
        }
    }

    private int[] encodeWord(byte[] bytes) {
        if (ignoreMerges) {
            int whole = vocab.id(ByteLevel.encode(bytes, 0, bytes.length));
            if (whole >= 0) {
                return new int[] {whole};
            }
        }
        int n = bytes.length;
        int[] sym = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            sym[i] = byteSymbol[bytes[i] & 0xFF];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            push(heap, sym, i, i + 1);
        }
        while (!heap.isEmpty()) {
            long key = heap.pop();
            int rank = (int) (key >>> 32);
            int left = (int) key;
            int right = next[left];
            // a stale entry: its left symbol was merged away or its pair has changed since it was queued
            if (sym[left] < 0 || right < 0 || rankOfPair.get(LongIntMap.pair(sym[left], sym[right])) != rank) {
                continue;
            }
            sym[left] = mergeResult[rank];
            sym[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                push(heap, sym, prev[left], left);
            }
            if (next[left] >= 0) {
                push(heap, sym, left, next[left]);
            }
        }
        IntList out = new IntList(n);
        for (int i = 0; i != -1; i = next[i]) {
            int s = sym[i];
            if (s < vocab.size()) {
                out.add(s);
            } else {
                appendUnknownSymbol(extraSymbols.get(s - vocab.size()), out);
            }
        }
        return out.toArray();
    }

    private void push(LongHeap heap, int[] sym, int left, int right) {
        int rank = rankOfPair.get(LongIntMap.pair(sym[left], sym[right]));
        if (rank >= 0) {
            heap.push(((long) rank << 32) | left);
        }
    }

    /** A merged symbol that is not a token: llama.cpp looks up each byte of its text as a one-byte token. */
    private void appendUnknownSymbol(String text, IntList out) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0) {
                int id = vocab.id(String.valueOf((char) b));
                if (id >= 0) {
                    out.add(id);
                }
            }
        }
    }

    /** A binary min-heap of longs. */
    static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int capacity) {
            a = new long[Math.max(8, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (a[parent] <= v) {
                    break;
                }
                a[i] = a[parent];
                i = parent;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long last = a[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && a[child + 1] < a[child]) {
                    child++;
                }
                if (a[child] >= last) {
                    break;
                }
                a[i] = a[child];
                i = child;
            }
            if (size > 0) {
                a[i] = last;
            }
            return top;
        }
    }
}
