package dev.chorus.serve.schedule.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded CoE request stream: Poisson arrivals at {@code rate} per second, experts drawn from a Zipf distribution
 * (exponent {@code zipf}, a few experts get most requests), output lengths uniform in [minTokens, maxTokens].
 */
public record ServeWorkload(List<Item> items) {
    public record Item(double arrivalSeconds, int expert, int tokens, String prompt) {
    }

    public static ServeWorkload generate(int requests, int experts, double rate, double zipf, int minTokens,
                                         int maxTokens, long seed) {
        Random rnd = new Random(seed);
        double[] cumulative = new double[experts];
        double sum = 0;
        for (int k = 0; k < experts; k++) {
            sum += 1 / Math.pow(k + 1, zipf);
            cumulative[k] = sum;
        }
        List<Item> items = new ArrayList<>();
        double t = 0;
        for (int i = 0; i < requests; i++) {
            t += -Math.log(1 - rnd.nextDouble()) / rate;
            double u = rnd.nextDouble() * sum;
            int expert = 0;
            while (cumulative[expert] < u) {
                expert++;
            }
            int tokens = minTokens + rnd.nextInt(maxTokens - minTokens + 1);
            items.add(new Item(t, expert, tokens, "Request " + i + ": tell me about topic " + rnd.nextInt(1000)));
        }
        return new ServeWorkload(List.copyOf(items));
    }

    public long totalTokens() {
        return items.stream().mapToLong(Item::tokens).sum();
    }
}
