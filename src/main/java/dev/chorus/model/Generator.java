package dev.chorus.model;

import dev.chorus.ChorusException;
import dev.chorus.sampling.Sampler;
import dev.chorus.sampling.StopStrings;
import dev.chorus.sampling.TokenHistory;
import dev.chorus.tokenizer.StreamingDecoder;
import dev.chorus.tokenizer.Tokenizer;

import java.util.Arrays;

/**
 * Streams a completion for one prompt: batched prefill, then one token per step, sampled, decoded and checked
 * against the stop conditions (end-of-generation ids from the tokenizer, stop strings, token budget, context).
 * Text that might begin a stop string is held back until it is decided.
 */
public final class Generator {
    /** Receives text as soon as it is final. */
    @FunctionalInterface
    public interface TextListener {
        void onText(String text);
    }

    private final Model model;
    private final Tokenizer tokenizer;
    private final Engine engine;

    public Generator(Model model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.engine = model.newEngine();
    }

    public Generation generate(int[] promptIds, GenerationOptions options, TextListener listener) {
        if (promptIds.length == 0) {
            throw new ChorusException("the prompt is empty");
        }
        if (promptIds.length >= model.contextLength()) {
            throw new ChorusException("the prompt has " + promptIds.length + " tokens; the context length is "
                    + model.contextLength());
        }
        Sampler sampler = new Sampler(options.sampler());
        TokenHistory history = new TokenHistory();
        history.addAll(promptIds);
        StreamingDecoder decoder = tokenizer.newStreamingDecoder();
        StopStrings stops = new StopStrings(options.stopStrings());
        StringBuilder text = new StringBuilder();
        int[] out = new int[Math.max(16, options.maxTokens())];
        int produced = 0;
        StopReason reason = StopReason.MAX_TOKENS;

        try (Sequence seq = model.newSequence()) {
            long t0 = System.nanoTime();
            Logits logits = prefill(seq, promptIds);
            long t1 = System.nanoTime();
            Batch step = new Batch(1);
            while (produced < options.maxTokens()) {
                int token = sampler.sample(logits.array(), logits.offset(0), logits.vocabSize(), history);
                if (!options.ignoreEos() && tokenizer.isEndOfGeneration(token)) {
                    reason = StopReason.END_OF_GENERATION;
                    break;
                }
                out[produced++] = token;
                history.add(token);
                String piece = stops.feed(decoder.feed(token));
                emit(piece, text, listener);
                if (stops.stopped()) {
                    reason = StopReason.STOP_STRING;
                    break;
                }
                if (produced == options.maxTokens()) {
                    break;
                }
                if (seq.length() >= seq.maxLength()) {
                    reason = StopReason.CONTEXT_FULL;
                    break;
                }
                step.clear();
                step.add(seq, seq.length(), token, true);
                logits = engine.forward(step);
            }
            if (!stops.stopped()) {
                emit(stops.feed(decoder.flush()), text, listener);
                emit(stops.flush(), text, listener);
            }
            long t2 = System.nanoTime();
            return new Generation(promptIds.clone(), Arrays.copyOf(out, produced), text.toString(), reason,
                    t1 - t0, t2 - t1);
        }
    }

    /** Feeds the prompt in batches of the engine's size; returns the logits of its last token. */
    private Logits prefill(Sequence seq, int[] ids) {
        Batch batch = new Batch(model.options().maxBatch());
        Logits logits = null;
        for (int start = 0; start < ids.length; start += batch.capacity()) {
            int end = Math.min(ids.length, start + batch.capacity());
            batch.clear();
            batch.addAll(seq, ids, start, end, end == ids.length);
            logits = engine.forward(batch);
        }
        return logits;
    }

    private static void emit(String piece, StringBuilder text, TextListener listener) {
        if (!piece.isEmpty()) {
            text.append(piece);
            if (listener != null) {
                listener.onText(piece);
            }
        }
    }
}
