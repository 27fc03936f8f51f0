package dev.chorus.serve.local;

import dev.chorus.ChorusException;
import dev.chorus.chat.ChatTemplate;
import dev.chorus.chat.ToolCallSyntax;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.GgufMetadata;
import dev.chorus.memory.ExpertLease;
import dev.chorus.memory.ExpertStore;
import dev.chorus.memory.Tier;
import dev.chorus.model.ModelConfig;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.PreparedPrompt;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.PromptTooLongException;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.TokenSink;
import dev.chorus.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An expert run in this process from a GGUF file. Its tokenizer and chat template come from the file's metadata
 * and are ready while the weights are still cold (prompts are prepared before queueing); the weights are made hot
 * by the {@link ExpertStore} when a request runs, under a lease that keeps them hot until it ends.
 */
public final class LocalExpert implements ExpertBackend {
    private final String id;
    private final String description;
    private final ExpertStore<ModelRuntime> store;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final ToolCallSyntax toolCallSyntax;
    private final int contextLength;
    private final OutputVocabulary vocabulary;

    private LocalExpert(String id, String description, ExpertStore<ModelRuntime> store, GgufMetadata metadata,
                        int contextCap) {
        this.id = id;
        this.description = description;
        this.store = store;
        this.tokenizer = Tokenizer.fromGguf(metadata);
        this.template = ChatTemplate.forModel(metadata);
        this.toolCallSyntax = ToolCallSyntax.of(template.source());
        this.contextLength = ModelRuntime.Factory.positions(contextCap,
                ModelConfig.fromMetadata(metadata).contextLength());
        this.vocabulary = new OutputVocabulary(tokenizer);
    }

    /** Reads the file's metadata (tokenizer, template, context); the expert must be registered in {@code store}. */
    public static LocalExpert open(String id, String description, Path file, ExpertStore<ModelRuntime> store)
            throws IOException {
        return open(id, description, file, store, 0);
    }

    /**
     * As above, with sequences of at most {@code contextCap} tokens (0: the model's own context); the store's
     * {@link ModelRuntime.Factory} must size its sequences the same way.
     */
    public static LocalExpert open(String id, String description, Path file, ExpertStore<ModelRuntime> store,
                                   int contextCap) throws IOException {
        try (GgufFile f = GgufFile.open(file)) {
            return new LocalExpert(id, description, store, f.metadata(), contextCap);
        } catch (ChorusException e) {
            throw new ChorusException("expert '" + id + "' (" + file + "): " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public String chatTemplateSource() {
        return template.source();
    }

    @Override
    public ToolCallSyntax toolCallSyntax() {
        return toolCallSyntax;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public PreparedPrompt prepare(PromptInput input) {
        String text;
        int[] tokens;
        switch (input) {
            case PromptInput.Chat chat -> {
                List<dev.chorus.chat.ChatMessage> messages = chat.messages().stream()
                        .map(m -> dev.chorus.chat.ChatMessage.fromMap(m.templateFields())).toList();
                text = template.render(messages, true, chat.templateVariables());
                tokens = withBos(tokenizer.encode(text, false, true));
            }
            case PromptInput.Text t -> {
                text = t.prompt();
                tokens = withBos(tokenizer.encode(text, false, true));
            }
        }
        if (tokens.length == 0) {
            throw new ChorusException("the prompt is empty and the model has no BOS token to start from");
        }
        if (tokens.length >= contextLength) {
            throw new PromptTooLongException("the prompt is " + tokens.length + " tokens but expert '" + id
                    + "' has a context of " + contextLength + " (room is needed for at least one new token)");
        }
        return PreparedPrompt.ofTokens(text, tokens);
    }

    /** Prepends BOS when the model wants one and the template did not already write it. */
    private int[] withBos(int[] tokens) {
        int bos = tokenizer.bos();
        if (!tokenizer.addBos() || bos < 0 || tokens.length > 0 && tokens[0] == bos) {
            return tokens;
        }
        int[] out = new int[tokens.length + 1];
        out[0] = bos;
        System.arraycopy(tokens, 0, out, 1, tokens.length);
        return out;
    }

    /**
     * Makes the expert hot and opens a continuous-batching session on it (for the batching scheduler); the lease
     * is held until the session closes.
     */
    public BatchSession openBatch() {
        Tier before = store.tierOf(id);
        long start = System.nanoTime();
        ExpertLease<ModelRuntime> lease = store.acquire(id);
        double switchMillis = before == Tier.HOT ? 0 : (System.nanoTime() - start) / 1e6;
        return new BatchSession(lease, vocabulary, new ServedFrom(StoreTiers.name(before), switchMillis));
    }

    @Override
    public void generate(PreparedPrompt prompt, GenerationRequest request, TokenSink sink, CancellationToken cancel) {
        Tier before = store.tierOf(id);
        long start = System.nanoTime();
        try (ExpertLease<ModelRuntime> lease = store.acquire(id)) {
            double switchMillis = before == Tier.HOT ? 0 : (System.nanoTime() - start) / 1e6;
            sink.started(new ServedFrom(StoreTiers.name(before), switchMillis));
            new GenerationLoop(lease.runtime(), vocabulary, prompt.tokens(), request, sink, cancel).run();
        }
    }
}
