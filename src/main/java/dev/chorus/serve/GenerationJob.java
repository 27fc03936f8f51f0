package dev.chorus.serve;

/** One routed, prepared request waiting for its expert: everything a scheduler needs to run it. */
public record GenerationJob(ExpertBackend expert, PreparedPrompt prompt, GenerationRequest request, TokenSink sink,
                            CancellationToken cancel, long enqueuedNanos) {
}
