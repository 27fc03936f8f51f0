package dev.chorus.router.calibration;

import dev.chorus.SharedData;
import dev.chorus.router.DefaultRouter;
import dev.chorus.router.OnnxSentenceEncoder;
import dev.chorus.router.Router;
import dev.chorus.router.RouterModel;
import dev.chorus.router.RoutingPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budgeted category -> expert calibration on the shared tiny experts, using the per-row NLLs llama.cpp computed
 * (calib_nll.jsonl). The engine-computed version of the same scores is checked in {@code EngineScoringTest}.
 */
class CoeCalibrationTest {
    static final Map<String, Long> PARAMS = new LinkedHashMap<>();

    static Map<String, Long> params() throws Exception {
        if (PARAMS.isEmpty()) {
            Path experts = SharedData.require("models/experts");
            for (String id : List.of("code", "math", "knowledge")) {
                PARAMS.put(id, ExpertScoring.parameterCount(
                        experts.resolve("expert-" + id + ".F32.gguf")));
            }
            PARAMS.put("stories", ExpertScoring.parameterCount(
                    SharedData.require("models/stories260K.gguf")));
        }
        return PARAMS;
    }

    static List<CalibrationRow> rows() throws Exception {
        return CalibrationData.readRows(SharedData.require("data/coe/calib.jsonl"));
    }

    static Map<String, List<ReferenceNll>> llamaCppNll(int rows) throws Exception {
        return CalibrationData.readPrecomputed(SharedData.require("data/coe/calib_nll.jsonl"), rows);
    }

    @Test
    void recoversTheObviousMappingAndAFrontierFromCheapestToBest() throws Exception {
        List<CalibrationRow> rows = rows();
        CalibrationResult result = new CalibrationResult(rows.stream().map(CalibrationRow::category).toList(),
                llamaCppNll(rows.size()), params());
        List<MappingOptimizer.Point> frontier = result.frontier();
        MappingOptimizer.Point best = MappingOptimizer.best(frontier, Double.POSITIVE_INFINITY);
        assertThat(best.mapping()).isEqualTo(Map.of("coding", "code", "math", "math", "knowledge", "knowledge",
                "writing", "stories"));
        // The cheapest point sends everything to the smallest expert (stories260K).
        long smallest = params().values().stream().mapToLong(Long::longValue).min().orElseThrow();
        assertThat(frontier.getFirst().avgActiveParams()).isEqualTo((double) smallest);
        assertThat(frontier.getFirst().mapping().values()).containsOnly("stories");
        // A budget between the two: the best mapping that fits is strictly between them in quality.
        double mid = (frontier.getFirst().avgActiveParams() + best.avgActiveParams()) / 2;
        MappingOptimizer.Point middle = MappingOptimizer.best(frontier, mid);
        assertThat(middle.avgActiveParams()).isLessThanOrEqualTo(mid);
        assertThat(middle.meanNll()).isGreaterThan(best.meanNll()).isLessThan(frontier.getFirst().meanNll());
        // The JSON carries the documented keys.
        Map<String, Object> json = result.json(null);
        assertThat(json).containsKeys("scores", "mapping", "frontier");
        assertThat(result.scores().get("code").get("coding")).isLessThan(result.scores().get("math").get("coding"));
    }

    @Test
    void routedCompositionBeatsEverySingleExpert() throws Exception {
        List<CalibrationRow> rows = rows();
        assertRoutedCompositionBeatsEverySingleExpert(rows, llamaCppNll(rows.size()), params());
    }

    /**
     * The end-to-end check: the shipped router puts each calibration prompt into one of its nine categories,
     * the router-category -> expert mapping is calibrated on the even rows, and on the odd rows the composition's
     * mean NLL must beat every single expert's.
     */
    static void assertRoutedCompositionBeatsEverySingleExpert(List<CalibrationRow> rows,
                                                              Map<String, List<ReferenceNll>> nll,
                                                              Map<String, Long> params) {
        try (OnnxSentenceEncoder encoder = OnnxSentenceEncoder.miniLm()) {
            RouterModel model = DefaultRouter.build(encoder);
            Router router = new Router(encoder, model, RoutingPolicy.identity(model.labels()));
            List<String> routed = router.classifyAll(rows.stream().map(CalibrationRow::prompt).toList()).stream()
                    .map(c -> c.category()).toList();
            List<Integer> fit = new java.util.ArrayList<>();
            List<Integer> test = new java.util.ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                (i % 2 == 0 ? fit : test).add(i);
            }
            CalibrationResult fitted = new CalibrationResult(pick(routed, fit), pickNll(nll, fit), params);
            Map<String, String> mapping = MappingOptimizer.best(fitted.frontier(), Double.POSITIVE_INFINITY).mapping();
            List<String> heldCategories = pick(routed, test);
            CalibrationResult held = new CalibrationResult(heldCategories, pickNll(nll, test), params);
            // A routed category never seen in the fitting half goes to the best single expert of that half.
            String generalist = bestSingleExpert(fitted);
            double composed = held.meanNll(r -> mapping.getOrDefault(heldCategories.get(r), generalist));
            System.out.printf("routed composition %.4f nats/token; mapping %s%n", composed, mapping);
            for (String expert : nll.keySet()) {
                double single = held.meanNll(r -> expert);
                System.out.printf("  single expert %-9s %.4f%n", expert, single);
                assertThat(composed).as("composition vs " + expert).isLessThan(single);
            }
        }
    }

    static String bestSingleExpert(CalibrationResult result) {
        String best = null;
        double bestNll = Double.POSITIVE_INFINITY;
        for (String e : result.experts()) {
            double v = result.meanNll(r -> e);
            if (v < bestNll) {
                bestNll = v;
                best = e;
            }
        }
        return best;
    }

    static List<String> pick(List<String> values, List<Integer> idx) {
        return idx.stream().map(values::get).toList();
    }

    static Map<String, List<ReferenceNll>> pickNll(Map<String, List<ReferenceNll>> nll, List<Integer> idx) {
        Map<String, List<ReferenceNll>> out = new LinkedHashMap<>();
        nll.forEach((e, list) -> out.put(e, idx.stream().map(list::get).toList()));
        return out;
    }
}
