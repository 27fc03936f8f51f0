package dev.chorus.tokenizer;

/** The tokenizer families Chorus implements, named by GGUF's tokenizer.ggml.model. */
enum VocabType {
    /** "llama": SentencePiece BPE with scores and byte fallback. */
    SPM,
    /** "gpt2": byte-level BPE with merges and a regex pre-tokenizer. */
    BPE,
    /** "bert": WordPiece. */
    WPM;

    static VocabType fromModel(String model) {
        return switch (model) {
            case "llama" -> SPM;
            case "gpt2" -> BPE;
            case "bert" -> WPM;
            default -> throw new dev.chorus.ChorusException("unsupported tokenizer model '" + model
                    + "' (tokenizer.ggml.model); supported: llama, gpt2, bert");
        };
    }
}
