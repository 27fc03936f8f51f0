package dev.chorus.tokenizer;

import dev.chorus.gguf.GgufMetadata;

/**
 * A tokenizer built from GGUF metadata that gives the same ids as llama.cpp (b4747): SentencePiece BPE
 * ("llama"), byte-level BPE ("gpt2") with the pre-tokenizer named by tokenizer.ggml.pre, and WordPiece ("bert").
 * Instances are immutable and safe to share between threads.
 */
public interface Tokenizer {
    /**
     * Builds the tokenizer described by the metadata.
     *
     * @throws dev.chorus.ChorusException for an unknown tokenizer model or pre-tokenizer (named in the message) or
     *                                    inconsistent tokenizer metadata
     */
    static Tokenizer fromGguf(GgufMetadata metadata) {
        return new GgufTokenizer(metadata);
    }

    /**
     * Tokenizes text like llama.cpp's llama_tokenize.
     *
     * @param addSpecial   add BOS/EOS as the metadata asks ([CLS]/[SEP] for WordPiece)
     * @param parseSpecial recognise control tokens such as {@code <|eot_id|>} in the text; user-defined tokens are
     *                     always recognised
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** Decodes ids to text like llama.cpp's common_detokenize with special=false (control tokens vanish). */
    default String decode(int[] ids) {
        return decode(ids, false);
    }

    /** Decodes ids to text like llama.cpp's common_detokenize; renderSpecial shows control tokens' text. */
    String decode(int[] ids, boolean renderSpecial);

    /** A decoder for generated tokens that never emits a partial UTF-8 code point; control tokens vanish. */
    default StreamingDecoder newStreamingDecoder() {
        return newStreamingDecoder(false);
    }

    StreamingDecoder newStreamingDecoder(boolean renderSpecial);

    /** The bytes a token stands for when detokenized (control tokens included, as their text). */
    byte[] tokenBytes(int id);

    /** The token's raw text in the vocabulary (tokenizer.ggml.tokens). */
    String tokenText(int id);

    int vocabSize();

    /** The BOS id, or -1 when the vocabulary has none. */
    int bos();

    /** The EOS id, or -1 when the vocabulary has none. */
    int eos();

    boolean addBos();

    boolean addEos();

    /** Whether generation should stop at this token (EOS, EOT, EOM and similar), like llama_vocab_is_eog. */
    boolean isEndOfGeneration(int id);

    /** The id of the token with exactly this text, or -1. */
    int tokenId(String tokenText);
}
