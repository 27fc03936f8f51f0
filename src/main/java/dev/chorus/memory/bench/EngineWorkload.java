package dev.chorus.memory.bench;

import dev.chorus.memory.ExpertRuntimeFactory;
import dev.chorus.memory.engine.EngineExpertRuntime;
import dev.chorus.memory.engine.EngineRuntimeFactory;
import dev.chorus.model.Batch;
import dev.chorus.model.Engine;
import dev.chorus.model.Logits;
import dev.chorus.model.Model;
import dev.chorus.model.ModelOptions;
import dev.chorus.model.Sequence;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The real thing: a request is a short prompt prefilled by the Chorus engine up to its first token (greedy; every
 * weight is read once); the naive load is {@link Model#open} on the file, as a server without tiers would do. Short
 * prompts keep the compute noise of a shared machine out of the switch overhead, which does not depend on them.
 */
public final class EngineWorkload implements SwitchWorkload<EngineExpertRuntime> {
    private final ModelOptions options;
    private final int[] prompt;

    public EngineWorkload(int threads, int contextLength, int promptTokens) {
        if (promptTokens < 1) {
            throw new IllegalArgumentException("the prompt needs at least one token");
        }
        this.prompt = new int[promptTokens];
        this.options = ModelOptions.defaults().withThreads(threads).withContextLength(contextLength)
                .withMaxBatch(promptTokens);
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = 1 + i * 7;
        }
    }

    @Override
    public String description() {
        return "Chorus engine, " + options.threads() + " threads: request = " + prompt.length
                + "-token prompt to the first token; naive load = Model.open(file)";
    }

    @Override
    public ExpertRuntimeFactory<EngineExpertRuntime> factory() {
        return new EngineRuntimeFactory(options, 1);
    }

    @Override
    public void firstToken(EngineExpertRuntime runtime) {
        try (EngineExpertRuntime.Slot slot = runtime.openSequence()) {
            firstToken(runtime.engine(), slot.sequence());
        }
    }

    @Override
    public NaiveModel openNaive(Path file) throws IOException {
        Model model = Model.open(file, options);
        Engine engine = model.newEngine();
        return new NaiveModel() {
            @Override
            public void firstToken() {
                try (Sequence sequence = model.newSequence()) {
                    EngineWorkload.this.firstToken(engine, sequence);
                }
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }

    private int firstToken(Engine engine, Sequence sequence) {
        Batch batch = new Batch(prompt.length).addAll(sequence, prompt, 0, prompt.length, true);
        Logits logits = engine.forward(batch);
        float[] row = logits.row(0);
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
