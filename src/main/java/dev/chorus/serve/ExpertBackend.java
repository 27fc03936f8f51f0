package dev.chorus.serve;

/**
 * One expert the server can send requests to: a local GGUF model run by the engine, or a remote
 * OpenAI-compatible server. The server calls {@link #prepare} on the request thread (to enforce the prompt limit
 * before queueing) and {@link #generate} on a scheduler thread.
 */
public interface ExpertBackend extends AutoCloseable {
    String id();

    String description();

    /** "local" or "remote". */
    String kind();

    /** The source of this expert's chat template, null when it has none here (remote experts). */
    default String chatTemplateSource() {
        return null;
    }

    /**
     * How tool calls appear in this expert's answers: a local expert's syntax comes from its chat template; a remote
     * expert re-writes the structured calls it receives in one markup. NONE when the expert makes no tool calls.
     */
    default dev.chorus.chat.ToolCallSyntax toolCallSyntax() {
        return dev.chorus.chat.ToolCallSyntax.NONE;
    }

    /**
     * Whether this expert's chat answers may open with a {@code <think>} block to be returned apart as reasoning: a
     * local expert's template says so; a remote expert re-writes the reasoning it receives in that markup.
     */
    default boolean writesThinking() {
        return dev.chorus.chat.ThinkingSyntax.taughtBy(chatTemplateSource());
    }

    /** Renders the input with the expert's chat template and tokenizes it. Must be cheap and thread-safe. */
    PreparedPrompt prepare(PromptInput input);

    /**
     * Generates on the calling thread, reporting to {@code sink} (started, tokens, then finished or failed), and
     * returns when done. Checks {@code cancel} between tokens and finishes with CANCELLED when it is set.
     */
    void generate(PreparedPrompt prompt, GenerationRequest request, TokenSink sink, CancellationToken cancel);

    @Override
    default void close() {
    }
}
