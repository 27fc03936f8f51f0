package dev.chorus.tokenizer;

/** The special token roles a GGUF vocabulary can name, with their tokenizer.ggml.* id keys. */
enum SpecialToken {
    BOS("bos_token_id"),
    EOS("eos_token_id"),
    EOT("eot_token_id"),
    EOM("eom_token_id"),
    UNK("unknown_token_id"),
    SEP("seperator_token_id"),
    PAD("padding_token_id"),
    /** WordPiece's [CLS]; older llama.cpp reads it separately, newer ones use BOS. */
    CLS("cls_token_id"),
    MASK("mask_token_id"),
    FIM_PRE("fim_pre_token_id", "prefix_token_id"),
    FIM_SUF("fim_suf_token_id", "suffix_token_id"),
    FIM_MID("fim_mid_token_id", "middle_token_id"),
    FIM_PAD("fim_pad_token_id"),
    FIM_REP("fim_rep_token_id"),
    FIM_SEP("fim_sep_token_id");

    /** Metadata keys (after "tokenizer.ggml."), later ones taking precedence as in llama.cpp. */
    final String[] keys;

    SpecialToken(String... keys) {
        this.keys = keys;
    }

    /** llama.cpp's default id for this role in a vocabulary family before metadata overrides (-1: none). */
    int defaultId(VocabType type) {
        return switch (type) {
            case SPM -> switch (this) {
                case BOS -> 1;
                case EOS -> 2;
                case UNK -> 0;
                default -> -1;
            };
            case BPE -> switch (this) {
                case BOS, EOS -> 11;
                default -> -1;
            };
            case WPM -> switch (this) {
                case BOS -> 101;
                case UNK -> 100;
                case SEP -> 102;
                case PAD -> 0;
                case MASK -> 103;
                default -> -1;
            };
        };
    }
}
