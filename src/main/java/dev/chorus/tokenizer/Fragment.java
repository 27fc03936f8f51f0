package dev.chorus.tokenizer;

/** A piece of the input after special tokens are split out: raw text still to tokenize, or a token. */
sealed interface Fragment {
    /** The text in [start, end) of the input (UTF-16 indices). */
    record Text(int start, int end) implements Fragment {
    }

    /** A special (control, user-defined or unknown) token matched in the input. */
    record Special(int id) implements Fragment {
    }
}
