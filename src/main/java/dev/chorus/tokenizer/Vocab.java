package dev.chorus.tokenizer;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgufMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The vocabulary and tokenizer settings read from GGUF metadata, resolved the way llama.cpp (b4747) resolves
 * them: per-type defaults for special ids and add_bos/add_eos/add_space_prefix, overridden by metadata keys;
 * end-of-generation and FIM tokens auto-detected by their text.
 */
final class Vocab {
    static final String KEY_MODEL = "tokenizer.ggml.model";
    static final String KEY_PRE = "tokenizer.ggml.pre";
    private static final String P = "tokenizer.ggml.";

    final VocabType type;
    final String pre;
    final String[] texts;
    final float[] scores;
    final int[] attrs;
    final Map<String, Integer> textToId;
    final int maxTokenLength;

    final SpecialIds ids;
    final boolean addSpacePrefix;
    final boolean addBos;
    final boolean addEos;
    final boolean addSep;
    final boolean ignoreMerges;
    final boolean cleanSpaces;
    final Set<Integer> endOfGeneration;
    /** Control, user-defined and unknown tokens, longest text first: the order special tokens are split out. */
    final int[] specialTokens;

    /** Special token ids; -1 where absent. */
    record SpecialIds(int bos, int eos, int eot, int eom, int unk, int sep, int pad, int mask,
                      int fimPre, int fimSuf, int fimMid, int fimPad, int fimRep, int fimSep) {
    }

    Vocab(GgufMetadata md) {
        if (!md.contains(KEY_MODEL)) {
            throw new ChorusException("GGUF metadata has no tokenizer (key " + KEY_MODEL + " is missing)");
        }
        type = VocabType.fromModel(md.getString(KEY_MODEL));
        pre = md.contains(KEY_PRE) ? md.getString(KEY_PRE) : "";
        if (!md.contains(P + "tokens")) {
            throw new ChorusException("GGUF metadata has no vocabulary (key " + P + "tokens is missing)");
        }
        texts = md.getStringArray(P + "tokens").clone();
        int n = texts.length;
        scores = readScores(md, n);
        attrs = readAttrs(md, n);
        textToId = new HashMap<>(n * 2);
        int maxLen = 0;
        for (int i = 0; i < n; i++) {
            if (texts[i].isEmpty()) {
                texts[i] = "[EMPTY_" + i + "]";
            }
            Integer previous = textToId.putIfAbsent(texts[i], i);
            if (previous != null) {
                throw new ChorusException("duplicate token in vocabulary: '" + texts[i] + "' has ids " + previous
                        + " and " + i);
            }
            maxLen = Math.max(maxLen, texts[i].getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        maxTokenLength = maxLen;

        TypeDefaults d = TypeDefaults.of(type, pre);
        addSpacePrefix = md.getBoolean(P + "add_space_prefix", d.addSpacePrefix);
        ignoreMerges = d.ignoreMerges;
        cleanSpaces = d.cleanSpaces;
        ids = readSpecialIds(md, d, n);
        addBos = md.getBoolean(P + "add_bos_token", d.addBos);
        addEos = md.getBoolean(P + "add_eos_token", d.addEos);
        addSep = d.addSep;
        if (addBos && ids.bos() < 0) {
            throw new ChorusException("tokenizer.ggml.add_bos_token is true, but tokenizer.ggml.bos_token_id is not set");
        }
        if (addEos && ids.eos() < 0) {
            throw new ChorusException("tokenizer.ggml.add_eos_token is true, but tokenizer.ggml.eos_token_id is not set");
        }
        endOfGeneration = markEndOfGeneration();
        specialTokens = sortedSpecialTokens();
        applyModelSpecificAttrs(md);
    }

    int size() {
        return texts.length;
    }

    int id(String text) {
        Integer id = textToId.get(text);
        return id == null ? -1 : id;
    }

    boolean has(int id, int attr) {
        return (attrs[id] & attr) != 0;
    }

    private static float[] readScores(GgufMetadata md, int n) {
        String key = P + "scores";
        float[] s = new float[n];
        if (!md.contains(key)) {
            return s;
        }
        float[] given = switch (md.getArray(key).elementType()) {
            case FLOAT32, FLOAT64 -> md.getFloatArray(key);
            default -> {
                int[] ints = md.getIntArray(key);
                float[] f = new float[ints.length];
                for (int i = 0; i < ints.length; i++) {
                    f[i] = ints[i];
                }
                yield f;
            }
        };
        if (given.length < n) {
            throw new ChorusException(key + " has " + given.length + " entries for " + n + " tokens");
        }
        System.arraycopy(given, 0, s, 0, n);
        return s;
    }

    private static int[] readAttrs(GgufMetadata md, int n) {
        String key = P + "token_type";
        int[] a = new int[n];
        if (!md.contains(key)) {
            java.util.Arrays.fill(a, TokenAttr.NORMAL);
            return a;
        }
        int[] types = md.getIntArray(key);
        if (types.length < n) {
            throw new ChorusException(key + " has " + types.length + " entries for " + n + " tokens");
        }
        for (int i = 0; i < n; i++) {
            a[i] = TokenAttr.fromGgufType(types[i]);
        }
        return a;
    }

    private static SpecialIds readSpecialIds(GgufMetadata md, TypeDefaults d, int n) {
        int bos = special(md, "bos_token_id", d.bos, n);
        int eos = special(md, "eos_token_id", d.eos, n);
        int eot = special(md, "eot_token_id", -1, n);
        int eom = special(md, "eom_token_id", -1, n);
        int unk = special(md, "unknown_token_id", d.unk, n);
        int sep = special(md, "seperator_token_id", d.sep, n);
        int pad = special(md, "padding_token_id", d.pad, n);
        int mask = special(md, "mask_token_id", d.mask, n);
        int fimPre = special(md, "prefix_token_id", special(md, "fim_pre_token_id", -1, n), n);
        int fimSuf = special(md, "suffix_token_id", special(md, "fim_suf_token_id", -1, n), n);
        int fimMid = special(md, "middle_token_id", special(md, "fim_mid_token_id", -1, n), n);
        int fimPad = special(md, "fim_pad_token_id", -1, n);
        int fimRep = special(md, "fim_rep_token_id", -1, n);
        int fimSep = special(md, "fim_sep_token_id", -1, n);
        return new SpecialIds(bos, eos, eot, eom, unk, sep, pad, mask, fimPre, fimSuf, fimMid, fimPad, fimRep, fimSep);
    }

    /** A special id from metadata; a default out of range is disabled, a bad metadata id keeps the default. */
    private static int special(GgufMetadata md, String key, int defaultId, int n) {
        int id = defaultId >= n ? -1 : defaultId;
        String full = P + key;
        if (md.contains(full)) {
            long v = md.getLong(full);
            if (v >= 0 && v < n) {
                id = (int) v;
            }
        }
        return id;
    }

    /** llama.cpp's text-based detection of EOT/EOM/FIM tokens and its end-of-generation set. */
    private Set<Integer> markEndOfGeneration() {
        int eot = ids.eot();
        int eom = ids.eom();
        int fimPad = ids.fimPad();
        int fimRep = ids.fimRep();
        int fimSep = ids.fimSep();
        int fimPre = ids.fimPre();
        int fimSuf = ids.fimSuf();
        int fimMid = ids.fimMid();
        // llama.cpp iterates an unordered map; the first match it meets wins. Ascending id order is used here.
        for (int id = 0; id < texts.length; id++) {
            String t = texts[id];
            if (eot < 0 && Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>",
                    "_<EOT>", "<｜end▁of▁sentence｜>").contains(t)) {
                eot = markControl(id);
            }
            if (eom < 0 && t.equals("<|eom_id|>")) {
                eom = markControl(id);
            }
            if (fimPre < 0 && Set.of("<|fim_prefix|>", "<fim-prefix>", "<｜fim▁begin｜>", "<PRE>").contains(t)) {
                fimPre = markControl(id);
            }
            if (fimSuf < 0 && Set.of("<|fim_suffix|>", "<fim-suffix>", "<｜fim▁hole｜>", "<SUF>").contains(t)) {
                fimSuf = markControl(id);
            }
            if (fimMid < 0 && Set.of("<|fim_middle|>", "<fim-middle>", "<｜fim▁end｜>", "<MID>").contains(t)) {
                fimMid = markControl(id);
            }
            if (fimPad < 0 && Set.of("<|fim_pad|>", "<fim-pad>", "<PAD>").contains(t)) {
                fimPad = markControl(id);
            }
            if (fimRep < 0 && Set.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>").contains(t)) {
                fimRep = markControl(id);
            }
            if (fimSep < 0 && t.equals("<|file_sep|>")) {
                fimSep = markControl(id);
            }
        }
        Set<Integer> eog = new TreeSet<>();
        for (int id : new int[] {fimPad, fimRep, fimSep}) {
            if (id >= 0) {
                eog.add(id);
            }
        }
        Set<String> eogTexts = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
                "<|eom_id|>", "<EOT>", "_<EOT>");
        for (int id = 0; id < texts.length; id++) {
            if (eogTexts.contains(texts[id])) {
                eog.add(markControl(id));
            }
        }
        for (int id : new int[] {ids.eos(), eot, eom}) {
            if (id >= 0) {
                eog.add(id);
            }
        }
        detectedEot = eot;
        detectedEom = eom;
        return Set.copyOf(eog);
    }

    /** The EOT/EOM ids after text detection. */
    int detectedEot;
    int detectedEom;

    private int markControl(int id) {
        attrs[id] |= TokenAttr.CONTROL;
        return id;
    }

    private int[] sortedSpecialTokens() {
        List<Integer> special = new ArrayList<>();
        for (int id = 0; id < texts.length; id++) {
            if (has(id, TokenAttr.CONTROL | TokenAttr.USER_DEFINED | TokenAttr.UNKNOWN)) {
                special.add(id);
            }
        }
        int[] utf8Length = new int[texts.length];
        for (int id : special) {
            utf8Length[id] = texts[id].getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        special.sort(Comparator.<Integer>comparingInt(id -> -utf8Length[id]).thenComparingInt(id -> id));
        return special.stream().mapToInt(Integer::intValue).toArray();
    }

    /** llama.cpp sets lstrip/rstrip attributes for a few model families by name. */
    private void applyModelSpecificAttrs(GgufMetadata md) {
        String name = md.getString("general.name", "").toLowerCase(Locale.ROOT);
        if (pre.contains("jina-v2-de") || pre.contains("jina-v2-es") || pre.contains("jina-v2-code")) {
            int mask = id("<mask>");
            if (mask >= 0) {
                attrs[mask] |= TokenAttr.LSTRIP;
            }
        } else if (name.contains("phi-3") || name.contains("phi3")) {
            for (int id : specialTokens) {
                attrs[id] |= TokenAttr.RSTRIP;
            }
            int end = id("</s>");
            if (end >= 0) {
                attrs[end] |= TokenAttr.RSTRIP;
            }
            for (String t : new String[] {"<unk>", "<s>", "<|endoftext|>"}) {
                int id = id(t);
                if (id >= 0) {
                    attrs[id] &= ~TokenAttr.RSTRIP;
                }
            }
        }
    }

    /** Per-type defaults (llama.cpp's llama_vocab::impl::load before metadata overrides). */
    private record TypeDefaults(int bos, int eos, int unk, int sep, int pad, int mask, boolean addSpacePrefix,
                                boolean addBos, boolean addEos, boolean addSep, boolean ignoreMerges,
                                boolean cleanSpaces) {
        static TypeDefaults of(VocabType type, String pre) {
            return switch (type) {
                case SPM -> new TypeDefaults(1, 2, 0, -1, -1, -1, true, true, false, false, false, false);
                case WPM -> new TypeDefaults(101, -1, 100, 102, 0, 103, false, true, false, true, false, true);
                case BPE -> {
                    PreTokenizer.Kind kind = PreTokenizer.Kind.of(pre);
                    yield new TypeDefaults(11, 11, -1, -1, -1, -1, false, kind.addBos(), false, false,
                            kind.ignoreMerges(), kind.cleanSpaces());
                }
            };
        }
    }
}
