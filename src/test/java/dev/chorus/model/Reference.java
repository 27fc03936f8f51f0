package dev.chorus.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;

import java.io.IOException;
import java.nio.file.Path;

/** llama.cpp's outputs for one model file, read from ../shared/reference (see its README for the schema). */
record Reference(String stem, int[] tokens, float[][] logits, double meanNll, int[] greedyPrefix, int[] greedyIds,
                 double[] greedyMargins, JsonNode summary) {
    static final ObjectMapper JSON = new ObjectMapper();

    static Path model(String stem) {
        return SharedData.require("models/" + stem + ".gguf");
    }

    static Reference load(String stem) throws IOException {
        JsonNode s = JSON.readTree(SharedData.require("reference/" + stem + ".logits.json").toFile());
        JsonNode full = JSON.readTree(SharedData.require("reference/" + stem + ".logits-full.json").toFile());
        JsonNode rows = full.get("logits");
        float[][] logits = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            logits[i] = new float[r.size()];
            for (int j = 0; j < r.size(); j++) {
                logits[i][j] = (float) r.get(j).asDouble();
            }
        }
        JsonNode g = s.get("greedy");
        return new Reference(stem, ints(s.get("tokens")), logits, s.get("mean_nll").asDouble(),
                ints(g.get("prefix_ids")), ints(g.get("ids")), doubles(g.get("top1_minus_top2")), s);
    }

    static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }

    static double[] doubles(JsonNode a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asDouble();
        }
        return r;
    }

    /** Top-1 minus top-2 of the reference row. */
    double margin(int pos) {
        float[] r = logits[pos];
        double best = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (float v : r) {
            if (v > best) {
                second = best;
                best = v;
            } else if (v > second) {
                second = v;
            }
        }
        return best - second;
    }
}
