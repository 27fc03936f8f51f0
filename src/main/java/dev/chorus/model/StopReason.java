package dev.chorus.model;

/** Why a generation ended. */
public enum StopReason {
    /** The model produced an end-of-generation token (EOS, EOT, ...), which is not part of the output. */
    END_OF_GENERATION,
    /** A stop string appeared; the text ends before it. */
    STOP_STRING,
    /** The requested number of tokens was generated. */
    MAX_TOKENS,
    /** The sequence reached the context length. */
    CONTEXT_FULL
}
