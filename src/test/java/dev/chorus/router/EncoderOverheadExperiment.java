package dev.chorus.router;

import java.util.Arrays;

/**
 * Manual experiment (not a test): what routing costs besides the ONNX run. Times the tokenizer and window cut for a
 * prompt of about 200 tokens, and the whole embed() against the bare session run of the same ids, interleaved.
 */
public final class EncoderOverheadExperiment {
    public static void main(String[] args) throws Exception {
        try (OnnxSentenceEncoder enc = OnnxSentenceEncoder.miniLm()) {
            String base = "the router reads a prompt and decides which expert should answer it while keeping latency low "
                    + "memory small and accuracy high across code math writing science history advice questions ";
            String prompt = (base.repeat(8));
            while (enc.tokenCount(prompt) > 200) {
                prompt = prompt.substring(0, prompt.lastIndexOf(' '));
            }
            int n = 3000;
            for (int warm = 0; warm < 2; warm++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    enc.windowTokens(prompt + " " + i);
                }
                System.out.printf("tokenize+window+token strings, %d tokens: %.1f us%n", enc.tokenCount(prompt),
                        (System.nanoTime() - t0) / 1e3 / n);
            }
            int iters = 300;
            double[] embed = new double[iters];
            for (int i = -50; i < iters; i++) {
                long t0 = System.nanoTime();
                enc.embed(prompt + " x" + i);
                if (i >= 0) {
                    embed[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(embed);
            System.out.printf("embed p50 %.2f ms p99 %.2f ms%n", embed[iters / 2], embed[iters * 99 / 100]);
        }
    }
}
