package dev.chorus.cli;

import dev.chorus.model.Batch;
import dev.chorus.model.Engine;
import dev.chorus.model.Logits;
import dev.chorus.model.Model;
import dev.chorus.model.Sequence;
import dev.chorus.sampling.Sampler;

import java.util.SplittableRandom;

/**
 * Chorus's side of {@code chorus bench}: like llama-bench, prompt processing of p random tokens in one batch from an
 * empty cache (pp) and generation of n tokens one at a time, each with logits and a greedy pick (tg); medians of
 * the repetitions after one warm-up run.
 */
final class ModelBench {
    record Result(double ppTokS, double tgTokS) {
    }

    private ModelBench() {
    }

    static Result run(Model model, int p, int n, int reps) {
        Engine engine = model.newEngine();
        int[] prompt = randomTokens(model.vocabSize(), p);
        timePrompt(model, engine, prompt);
        timeGeneration(model, engine, Math.min(n, 8));
        double[] pp = new double[reps];
        double[] tg = new double[reps];
        for (int r = 0; r < reps; r++) {
            pp[r] = p / timePrompt(model, engine, prompt);
            tg[r] = n / timeGeneration(model, engine, n);
        }
        return new Result(LlamaCppBaseline.median(pp), LlamaCppBaseline.median(tg));
    }

    static int[] randomTokens(int vocab, int count) {
        SplittableRandom r = new SplittableRandom(1234);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = r.nextInt(vocab);
        }
        return ids;
    }

    private static double timePrompt(Model model, Engine engine, int[] prompt) {
        Batch batch = new Batch(prompt.length);
        try (Sequence seq = model.newSequence()) {
            batch.addAll(seq, prompt, 0, prompt.length, true);
            long t0 = System.nanoTime();
            engine.forward(batch);
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private static double timeGeneration(Model model, Engine engine, int n) {
        Batch batch = new Batch(1);
        try (Sequence seq = model.newSequence()) {
            int token = 1;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                batch.clear();
                batch.add(seq, i, token, true);
                Logits logits = engine.forward(batch);
                token = Sampler.argmax(logits.array(), logits.offset(0), logits.vocabSize());
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
