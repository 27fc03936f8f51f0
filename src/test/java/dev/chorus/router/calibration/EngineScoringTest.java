package dev.chorus.router.calibration;

import dev.chorus.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chorus calibrate}'s own scoring (Chorus's engine + the sliding-window method) against llama.cpp's per-row
 * NLLs in calib_nll.jsonl, and the mapping it recovers from them.
 */
class EngineScoringTest {
    static Map<String, Path> experts() {
        Map<String, Path> m = new LinkedHashMap<>();
        Path dir = SharedData.require("models/experts");
        m.put("code", dir.resolve("expert-code.F32.gguf"));
        m.put("math", dir.resolve("expert-math.F32.gguf"));
        m.put("knowledge", dir.resolve("expert-knowledge.F32.gguf"));
        m.put("stories", SharedData.require("models/stories260K.gguf"));
        return m;
    }

    static String separator(String category) {
        return category.equals("writing") ? " " : "\n";
    }

    @Test
    void perRowNllMatchesLlamaCppRecoversTheMappingAndTheRoutedCompositionWins() throws Exception {
        List<CalibrationRow> rows = CalibrationData.readRows(SharedData.require("data/coe/calib.jsonl"));
        Map<String, List<ReferenceNll>> reference = CalibrationData.readPrecomputed(
                SharedData.require("data/coe/calib_nll.jsonl"), rows.size());
        Map<String, List<ReferenceNll>> ours = ExpertScoring.scoreAll(experts(), rows,
                EngineScoringTest::separator, System.out);
        double worst = 0;
        for (String expert : experts().keySet()) {
            for (int r = 0; r < rows.size(); r++) {
                ReferenceNll mine = ours.get(expert).get(r);
                ReferenceNll theirs = reference.get(expert).get(r);
                assertThat(mine.tokens()).as("%s row %d token count", expert, r).isEqualTo(theirs.tokens());
                double rel = Math.abs(mine.sum() - theirs.sum()) / theirs.sum();
                worst = Math.max(worst, rel);
                assertThat(rel).as("%s row %d: ours %f, llama.cpp %f", expert, r, mine.sum(), theirs.sum())
                        .isLessThan(1e-3);
            }
        }
        System.out.printf("largest relative NLL difference from llama.cpp: %.2e%n", worst);

        Map<String, Long> params = new LinkedHashMap<>();
        for (var e : experts().entrySet()) {
            params.put(e.getKey(), ExpertScoring.parameterCount(e.getValue()));
        }
        CalibrationResult result = new CalibrationResult(rows.stream().map(CalibrationRow::category).toList(), ours,
                params);
        assertThat(MappingOptimizer.best(result.frontier(), Double.POSITIVE_INFINITY).mapping())
                .isEqualTo(Map.of("coding", "code", "math", "math", "knowledge", "knowledge", "writing", "stories"));

        // End to end with our own scores: route, map router categories to experts, beat every single expert.
        CoeCalibrationTest.assertRoutedCompositionBeatsEverySingleExpert(rows, ours, params);
    }
}
