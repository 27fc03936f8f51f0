package dev.chorus.model;

/**
 * The result of {@link Generator#generate}.
 *
 * @param ids           generated token ids (without a final end-of-generation token)
 * @param text          the generated text as streamed (stop string excluded)
 * @param promptNanos   time to process the prompt
 * @param generateNanos time to generate the tokens after the prompt
 */
public record Generation(int[] promptIds, int[] ids, String text, StopReason stopReason, long promptNanos,
                         long generateNanos) {
}
