package dev.chorus.serve;

import java.util.List;

/**
 * One routed, prepared request waiting for its expert: everything a scheduler needs to run it. {@code category} is
 * the router's category (null for a request pinned to an expert), which picks the next-best expert when this one
 * fails; {@code failed} lists the experts that already failed this request.
 */
public record GenerationJob(ExpertBackend expert, PreparedPrompt prompt, GenerationRequest request, TokenSink sink,
                            CancellationToken cancel, long enqueuedNanos, String category, List<String> failed) {
    public GenerationJob {
        failed = List.copyOf(failed);
    }

    public GenerationJob(ExpertBackend expert, PreparedPrompt prompt, GenerationRequest request, TokenSink sink,
                         CancellationToken cancel, long enqueuedNanos) {
        this(expert, prompt, request, sink, cancel, enqueuedNanos, null, List.of());
    }
}
