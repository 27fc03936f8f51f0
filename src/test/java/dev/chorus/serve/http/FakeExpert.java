package dev.chorus.serve.http;

import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.PreparedPrompt;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.TokenSink;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A test-only expert for the HTTP layer: the prompt is "tokenized" by whitespace, and it answers the words
 * "w0 w1 w2 ..." (one token each), forever when {@code endless}. It records what it saw, including cancellation.
 */
final class FakeExpert implements ExpertBackend {
    final String id;
    volatile boolean endless;
    volatile long millisPerToken;
    /** When set, generation waits for a permit before starting (to fill queues deterministically). */
    volatile Semaphore gate;
    final CountDownLatch cancelled = new CountDownLatch(1);
    final CountDownLatch started = new CountDownLatch(1);
    final AtomicInteger generated = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    /** When set, the answer is these pieces (one token each) instead of the words w0, w1, ... */
    volatile List<String> script;
    volatile dev.chorus.chat.ToolCallSyntax toolCallSyntax = dev.chorus.chat.ToolCallSyntax.NONE;
    volatile String templateSource;
    /** Appended to the prompt text (e.g. a generation prompt that opens a thinking block). */
    volatile String promptSuffix = "";
    volatile GenerationRequest lastRequest;
    volatile PreparedPrompt lastPrompt;

    FakeExpert(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return "fake " + id;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public String chatTemplateSource() {
        return templateSource;
    }

    @Override
    public dev.chorus.chat.ToolCallSyntax toolCallSyntax() {
        return toolCallSyntax;
    }

    @Override
    public PreparedPrompt prepare(PromptInput input) {
        String text = switch (input) {
            case PromptInput.Chat c -> c.messages().stream().map(m -> "<" + m.role() + ">" + m.content())
                    .collect(Collectors.joining("\n"));
            case PromptInput.Text t -> t.prompt();
        };
        text += promptSuffix;
        String[] words = text.isBlank() ? new String[0] : text.trim().split("\\s+");
        return PreparedPrompt.ofTokens(text, new int[words.length]);
    }

    @Override
    public void generate(PreparedPrompt prompt, GenerationRequest request, TokenSink sink, CancellationToken cancel) {
        calls.incrementAndGet();
        lastRequest = request;
        lastPrompt = prompt;
        try {
            if (gate != null) {
                gate.acquire();
            }
            sink.started(new ServedFrom("warm", 1.5));
            started.countDown();
            List<String> pieces = script;
            for (int i = 0; endless || i < (pieces != null ? pieces.size() : request.maxTokens()); i++) {
                if (cancel.isCancelled()) {
                    cancelled.countDown();
                    sink.finished(FinishReason.CANCELLED);
                    return;
                }
                if (millisPerToken > 0) {
                    Thread.sleep(millisPerToken);
                }
                String text = pieces != null ? pieces.get(i) : (i == 0 ? "" : " ") + "w" + i;
                generated.incrementAndGet();
                sink.token(request.wantsLogprobs()
                        ? new GeneratedToken(i, text, new GeneratedToken.Logprob(text, -0.5,
                                List.of(new GeneratedToken.Alternative(text, -0.5))))
                        : GeneratedToken.of(i, text));
            }
            sink.finished(pieces != null ? FinishReason.STOP : FinishReason.LENGTH);
        } catch (InterruptedException e) {
            sink.finished(FinishReason.CANCELLED);
        }
    }
}
