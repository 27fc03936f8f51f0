package dev.chorus.tokenizer;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgufMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
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
    /** Roles llama.cpp finds by token text when the metadata does not name them (the token becomes control). */
    private static final Map<SpecialToken, Set<String>> DETECTED_BY_TEXT = new EnumMap<>(Map.of(
            SpecialToken.EOT, Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>",
                    "_<EOT>", "<｜end▁of▁sentence｜>"),
            SpecialToken.EOM, Set.of("<|eom_id|>"),
            SpecialToken.FIM_PRE, Set.of("<|fim_prefix|>", "<fim-prefix>", "<｜fim▁begin｜>", "<PRE>"),
            SpecialToken.FIM_SUF, Set.of("<|fim_suffix|>", "<fim-suffix>", "<｜fim▁hole｜>", "<SUF>"),
            SpecialToken.FIM_MID, Set.of("<|fim_middle|>", "<fim-middle>", "<｜fim▁end｜>", "<MID>"),
            SpecialToken.FIM_PAD, Set.of("<|fim_pad|>", "<fim-pad>", "<PAD>"),
            SpecialToken.FIM_REP, Set.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>"),
            SpecialToken.FIM_SEP, Set.of("<|file_sep|>")));
    /** Tokens that end generation by their text (llama.cpp b4747), besides EOS/EOT/EOM and FIM pad/repo/sep. */
    private static final Set<String> EOG_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>");

    final VocabType type;
    final String pre;
    final String[] texts;
    final float[] scores;
    final int[] attrs;
    final Map<String, Integer> textToId;
    final int maxTokenLength;

    /** Special token ids by role ({@link SpecialToken#ordinal()}); -1 where absent. */
    private final int[] specialIds;
    final boolean addSpacePrefix;
    final boolean addBos;
    final boolean addEos;
    final boolean cleanSpaces;
    final Set<Integer> endOfGeneration;

    /** Control, user-defined and unknown tokens, longest text first: the order special tokens are split out. */
    final int[] specialTokens;

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
        cleanSpaces = d.cleanSpaces;
        specialIds = readSpecialIds(md, type, n);
        addBos = md.getBoolean(P + "add_bos_token", d.addBos);
        addEos = md.getBoolean(P + "add_eos_token", d.addEos);
        if (addBos && special(SpecialToken.BOS) < 0) {
            throw new ChorusException("tokenizer.ggml.add_bos_token is true, but tokenizer.ggml.bos_token_id is not set");
        }
        if (addEos && special(SpecialToken.EOS) < 0) {
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

    /** The id of a special token role, or -1. */
    int special(SpecialToken role) {
        return specialIds[role.ordinal()];
    }

    /** Special ids from metadata; a default out of range is disabled, a bad metadata id keeps the default. */
    private static int[] readSpecialIds(GgufMetadata md, VocabType type, int n) {
        int[] ids = new int[SpecialToken.values().length];
        for (SpecialToken role : SpecialToken.values()) {
            int id = role.defaultId(type);
            if (id >= n) {
                id = -1;
            }
            for (String key : role.keys) {
                String full = P + key;
                if (md.contains(full)) {
                    long v = md.getLong(full);
                    if (v >= 0 && v < n) {
                        id = (int) v;
                    }
                }
            }
            ids[role.ordinal()] = id;
        }
        return ids;
    }

    /** llama.cpp's text-based detection of EOT/EOM/FIM tokens and its end-of-generation set. */
    private Set<Integer> markEndOfGeneration() {
        // llama.cpp iterates an unordered map, so the first match it meets wins; ascending id order is used here
        for (int id = 0; id < texts.length; id++) {
            for (Map.Entry<SpecialToken, Set<String>> detect : DETECTED_BY_TEXT.entrySet()) {
                int slot = detect.getKey().ordinal();
                if (specialIds[slot] < 0 && detect.getValue().contains(texts[id])) {
                    specialIds[slot] = markControl(id);
                }
            }
        }
        Set<Integer> eog = new TreeSet<>();
        for (int id = 0; id < texts.length; id++) {
            if (EOG_TEXTS.contains(texts[id])) {
                eog.add(markControl(id));
            }
        }
        for (SpecialToken role : new SpecialToken[] {SpecialToken.FIM_PAD, SpecialToken.FIM_REP, SpecialToken.FIM_SEP,
                SpecialToken.EOS, SpecialToken.EOT, SpecialToken.EOM}) {
            if (special(role) >= 0) {
                eog.add(special(role));
            }
        }
        return Set.copyOf(eog);
    }

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

    /** Per-type tokenizer flags (llama.cpp's llama_vocab::impl::load before metadata overrides). */
    private record TypeDefaults(boolean addSpacePrefix, boolean addBos, boolean addEos, boolean cleanSpaces) {
        static TypeDefaults of(VocabType type, String pre) {
            return switch (type) {
                case SPM -> new TypeDefaults(true, true, false, false);
                case WPM -> new TypeDefaults(false, true, false, true);
                case BPE -> {
                    PreTokenizer.Kind kind = PreTokenizer.Kind.of(pre);
                    yield new TypeDefaults(false, kind.addBos(), false, kind.cleanSpaces());
                }
            };
        }
    }
}
