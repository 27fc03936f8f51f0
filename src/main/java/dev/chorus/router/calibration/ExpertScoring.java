package dev.chorus.router.calibration;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.TensorInfo;

import java.io.IOException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Scores calibration rows under GGUF experts with the built-in inference engine. */
public final class ExpertScoring {
    private ExpertScoring() {
    }

    public static Map<String, List<ReferenceNll>> scoreAll(Map<String, Path> experts, List<CalibrationRow> rows,
                                                           Function<String, String> separatorFor, PrintStream log) {
        Map<String, List<ReferenceNll>> out = new LinkedHashMap<>();
        for (var e : experts.entrySet()) {
            long start = System.nanoTime();
            try (ReferenceScorer scorer = new SlidingWindowScorer(openEngine(e.getValue()))) {
                List<ReferenceNll> nll = new ArrayList<>(rows.size());
                for (CalibrationRow row : rows) {
                    nll.add(scorer.score(row.prompt(), separatorFor.apply(row.category()), row.reference()));
                }
                out.put(e.getKey(), nll);
            }
            log.printf("scored %d rows with %s in %.1f s%n", rows.size(), e.getKey(), (System.nanoTime() - start) / 1e9);
        }
        return out;
    }

    /** Active parameters of a dense GGUF model: the element count of all its tensors. */
    public static long parameterCount(Path gguf) throws IOException {
        try (GgufFile file = GgufFile.open(gguf)) {
            long n = 0;
            for (TensorInfo t : file.tensors()) {
                n += t.elementCount();
            }
            return n;
        }
    }

    static TokenScorer openEngine(Path gguf) {
        try {
            return EngineTokenScorer.open(gguf, SlidingWindowScorer.DEFAULT_WINDOW);
        } catch (IOException e) {
            throw new ChorusException("cannot open expert " + gguf + ": " + e.getMessage(), e);
        }
    }
}
