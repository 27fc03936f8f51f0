package dev.chorus.cli;

import dev.chorus.ChorusException;
import dev.chorus.router.Encoder;
import dev.chorus.router.Router;
import dev.chorus.router.calibration.CalibrationData;
import dev.chorus.router.calibration.CalibrationResult;
import dev.chorus.router.calibration.CalibrationRow;
import dev.chorus.router.calibration.ExpertScoring;
import dev.chorus.router.calibration.MappingOptimizer;
import dev.chorus.router.calibration.ReferenceNll;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus calibrate}: score experts per category and choose the category -> expert mapping under a budget. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Score each expert per category by teacher-forced NLL of reference continuations, then print "
                + "the best category -> expert mapping within --budget-params and the whole quality/size frontier.")
public final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--experts", required = true, split = ",", paramLabel = "ID=FILE.gguf",
            description = "Experts to compare, e.g. code=expert-code.F32.gguf,math=expert-math.F32.gguf")
    Map<String, Path> experts = new LinkedHashMap<>();

    @Option(names = "--data", required = true, paramLabel = "calib.jsonl",
            description = "Rows {\"prompt\", \"category\", \"reference\"}.")
    Path data;

    @Option(names = "--budget-params", paramLabel = "N",
            description = "Upper bound on average active parameters per request (default: no bound).")
    Double budgetParams;

    @Option(names = "--json", description = "Print {scores, mapping, frontier, ...} as JSON.")
    boolean json;

    @Option(names = "--separator", split = ",", paramLabel = "CATEGORY=SEP",
            description = "Text between prompt and reference for a category (default \"\\n\"; "
                    + "\"\\n\", \"\\t\" and \"\\s\" (space) are unescaped).")
    Map<String, String> separators = new LinkedHashMap<>();

    @Option(names = "--precomputed-nll", paramLabel = "nll.jsonl",
            description = "Per-row NLLs computed elsewhere (same row order; {nll_sum: {expert: v}, n_ref_tokens}) "
                    + "instead of scoring with the built-in engine.")
    Path precomputed;

    @Option(names = "--by-router", description = "Group rows by the category the router assigns (so the mapping is "
            + "over router categories) instead of the rows' own category field.")
    boolean byRouter;

    @Option(names = "--router", paramLabel = "router.bin", description = "Router for --by-router (default: shipped).")
    Path routerFile;

    @Mixin
    EncoderOptions encoderOptions;

    @Override
    public Integer call() throws Exception {
        List<CalibrationRow> rows = CalibrationData.readRows(data);
        Map<String, Long> params = new LinkedHashMap<>();
        for (var e : experts.entrySet()) {
            params.put(e.getKey(), ExpertScoring.parameterCount(e.getValue()));
        }
        Map<String, List<ReferenceNll>> nll;
        if (precomputed != null) {
            nll = new LinkedHashMap<>();
            Map<String, List<ReferenceNll>> all = CalibrationData.readPrecomputed(precomputed, rows.size());
            for (String id : experts.keySet()) {
                if (!all.containsKey(id)) {
                    throw new ChorusException(precomputed + " has no NLLs for expert \"" + id + "\" (has "
                            + all.keySet() + ")");
                }
                nll.put(id, all.get(id));
            }
        } else {
            nll = ExpertScoring.scoreAll(experts, rows, this::separatorFor, System.err);
        }
        List<String> categories = rows.stream().map(CalibrationRow::category).toList();
        if (byRouter) {
            try (Encoder encoder = encoderOptions.open()) {
            Router router = RouterSupport.open(routerFile, encoder);
                categories = router.classifyAll(rows.stream().map(CalibrationRow::prompt).toList()).stream()
                        .map(c -> c.category()).toList();
            }
        }
        CalibrationResult result = new CalibrationResult(categories, nll, params);
        Map<String, Object> out = result.json(budgetParams);
        if (json) {
            System.out.println(RouterSupport.PRETTY.writeValueAsString(out));
        } else {
            printText(result, out);
        }
        return 0;
    }

    private String separatorFor(String category) {
        String sep = separators.getOrDefault(category, "\\n");
        return sep.replace("\\n", "\n").replace("\\t", "\t").replace("\\s", " ");
    }

    @SuppressWarnings("unchecked")
    private void printText(CalibrationResult result, Map<String, Object> out) {
        System.out.println("mean NLL (nats/token) per expert and category:");
        System.out.printf("%-12s", "");
        for (String c : result.categories()) {
            System.out.printf(" %11.11s", c);
        }
        System.out.println();
        result.scores().forEach((expert, perCategory) -> {
            System.out.printf("%-12s", expert);
            for (String c : result.categories()) {
                System.out.printf(" %11.4f", perCategory.get(c));
            }
            System.out.println();
        });
        System.out.println();
        Object mapping = out.get("mapping");
        if (mapping == null) {
            System.out.println("no mapping fits --budget-params " + budgetParams);
        } else {
            System.out.printf("mapping (mean NLL %.4f at %.0f average active parameters): %s%n",
                    (Double) out.get("mean_nll"), (Double) out.get("avg_active_params"), mapping);
        }
        System.out.println();
        System.out.println("frontier (average active parameters -> mean NLL):");
        for (MappingOptimizer.Point p : result.frontier()) {
            System.out.printf("  %14.0f  %.4f  %s%n", p.avgActiveParams(), p.meanNll(), p.mapping());
        }
    }
}
