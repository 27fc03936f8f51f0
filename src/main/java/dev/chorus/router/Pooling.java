package dev.chorus.router;

/** How a sentence encoder turns its per-token outputs into one vector. */
public enum Pooling {
    /** The mean over all tokens, [CLS] and [SEP] included (sentence-transformers' mean pooling). */
    MEAN,
    /** The output at the [CLS] token. */
    CLS
}
