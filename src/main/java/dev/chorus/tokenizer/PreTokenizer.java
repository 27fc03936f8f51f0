package dev.chorus.tokenizer;

import dev.chorus.ChorusException;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into words before byte-level BPE, exactly as llama.cpp's unicode_regex_split does for the
 * pre-tokenizer named by tokenizer.ggml.pre: a sequence of regexes, each splitting every chunk the previous ones
 * produced into matches and the gaps between them. GPT-2's and Llama 3's patterns use hand-written splitters (as
 * llama.cpp does); the others run as java.util.regex patterns over llama.cpp's "collapsed" text.
 */
final class PreTokenizer {
    /** The regexes shared by several families, as llama.cpp spells them (its hand-written splitters key on them). */
    static final class Patterns {
        private Patterns() {
        }

        static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
        static final String LLAMA3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
        static final String QWEN2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    }

    /** The pre-tokenizer families, with the tokenizer flags llama.cpp sets for each. */
    enum Kind {
        DEFAULT(false, false, true, "[\\p{P}\\$\\+<=>\\^~\\|]+", Patterns.GPT2, "\\p{N}+", "[0-9][0-9][0-9]"),
        LLAMA3(true, true, true, Patterns.LLAMA3),
        DBRX(false, false, true, Patterns.LLAMA3),
        DEEPSEEK_LLM(false, false, false, "[\r\n]",
                "\\s?["
                        + "A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-"
                        + "\u02AF\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-"
                        + "\u03A1\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5"
                        + "\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A\u1E00"
                        + "-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-"
                        + "\u1F7D\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-"
                        + "\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115\u2119-"
                        + "\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149"
                        + "\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D"
                        + "\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E\uAB70-\uABBF\uFB00-\uFB06\uFB13"
                        + "-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\uD801\uDC00-\uD801\uDC4F\uD801\uDCB0-\uD801\uDCD3"
                        + "\uD801\uDCD8-\uD801\uDCFB\uD803\uDC80-\uD803\uDCB2\uD803\uDCC0-\uD803\uDCF2"
                        + "\uD806\uDCA0-\uD806\uDCDF\uD83A\uDD00-\uD83A\uDD43]+",
                "\\s?[!-/:-~！-／：-～‘-‟　-。]+", "\\s+$", "[一-龥ࠀ-一가-퟿]+", "\\p{N}+"),
        DEEPSEEK_CODER(false, false, false, "[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[一-龥ࠀ-一가-퟿]+", "\\p{N}"),
        FALCON(false, false, true, "[\\p{P}\\$\\+<=>\\^~\\|`]+", Patterns.GPT2, "[0-9][0-9][0-9]"),
        STARCODER(false, false, true, "\\p{N}", Patterns.GPT2),
        STARCODER_NO_CLEAN(false, false, false, "\\p{N}", Patterns.GPT2),
        GPT2(false, false, true, Patterns.GPT2),
        QWEN2(false, false, false, Patterns.QWEN2),
        /** Qwen2's split with clean-up of tokenization spaces on decode (stablelm2, megrez). */
        QWEN2_CLEAN(false, false, true, Patterns.QWEN2),
        BLOOM(false, false, true, " ?[^(\\s|.,!?…。，、।۔،)]+"),
        PORO(false, false, false, " ?[^(\\s|.,!?…。，、।۔،)]+"),
        VIKING(false, false, false, " ?[^(\\s|.,!?…。，、।۔،)]+", "\\p{N}");

        private final boolean addBos;
        private final boolean ignoreMerges;
        private final boolean cleanSpaces;
        private final List<String> regexes;

        Kind(boolean addBos, boolean ignoreMerges, boolean cleanSpaces, String... regexes) {
            this.addBos = addBos;
            this.ignoreMerges = ignoreMerges;
            this.cleanSpaces = cleanSpaces;
            this.regexes = List.of(regexes);
        }

        boolean addBos() {
            return addBos;
        }

        boolean ignoreMerges() {
            return ignoreMerges;
        }

        boolean cleanSpaces() {
            return cleanSpaces;
        }

        List<String> regexes() {
            return regexes;
        }

        /** Maps tokenizer.ggml.pre ("" when absent) to its family, as llama.cpp's vocabulary loader does. */
        static Kind of(String pre) {
            return switch (pre) {
                case "", "default" -> DEFAULT;
                case "llama3", "llama-v3", "llama-bpe", "falcon3" -> LLAMA3;
                case "dbrx", "smaug-bpe" -> DBRX;
                case "deepseek-llm" -> DEEPSEEK_LLM;
                case "deepseek-coder" -> DEEPSEEK_CODER;
                case "falcon" -> FALCON;
                case "starcoder", "refact", "codeshell", "exaone", "minerva-7b" -> STARCODER;
                case "command-r", "smollm" -> STARCODER_NO_CLEAN;
                // gpt-neox is not a llama.cpp name (its files carry no pre); it is GPT-2's byte-level split.
                case "gpt-2", "gpt-neox", "phi-2", "jina-es", "jina-de", "jina-v1-en", "jina-v2-es", "jina-v2-de",
                     "jina-v2-code", "roberta-bpe", "gigachat", "mpt", "olmo", "jais" -> GPT2;
                case "qwen2", "deepseek-r1-qwen" -> QWEN2;
                case "stablelm2", "megrez" -> QWEN2_CLEAN;
                case "bloom", "gpt3-finnish" -> BLOOM;
                case "poro-chat" -> PORO;
                case "viking" -> VIKING;
                default -> throw new ChorusException("unknown pre-tokenizer '" + pre + "' (tokenizer.ggml.pre)");
            };
        }
    }

    private final List<SplitStep> steps;

    PreTokenizer(Kind kind) {
        List<SplitStep> s = new ArrayList<>();
        for (String regex : kind.regexes()) {
            if (regex.equals(Patterns.GPT2)) {
                s.add(new Gpt2Split());
            } else if (regex.equals(Patterns.LLAMA3)) {
                s.add(new Llama3Split());
            } else {
                s.add(new RegexSplit(regex));
            }
        }
        steps = List.copyOf(s);
    }

    /** Splits the code points into words; returns the word lengths in code points. */
    IntList split(int[] cps) {
        IntList chunks = new IntList(4);
        if (cps.length == 0) {
            return chunks;
        }
        chunks.add(cps.length);
        for (SplitStep step : steps) {
            IntList next = new IntList(Math.max(16, cps.length / 3));
            step.split(cps, chunks, next);
            chunks = next;
        }
        return chunks;
    }

    /** One regex of the sequence: splits each input chunk into matches and the unmatched gaps between them. */
    sealed interface SplitStep permits Gpt2Split, Llama3Split, RegexSplit {
        void split(int[] cps, IntList chunks, IntList out);
    }
}
