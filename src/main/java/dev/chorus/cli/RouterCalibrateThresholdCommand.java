package dev.chorus.cli;

import dev.chorus.ChorusException;
import dev.chorus.router.Classification;
import dev.chorus.router.Encoder;
import dev.chorus.router.LabeledPrompt;
import dev.chorus.router.PromptDataset;
import dev.chorus.router.Router;
import dev.chorus.router.RouterFile;
import dev.chorus.router.ThresholdCalibrator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus router calibrate-threshold}. */
@Command(name = "calibrate-threshold", mixinStandardHelpOptions = true,
        description = "Choose the confidence threshold below which requests go to the fallback expert, and store it "
                + "in the router file.")
public final class RouterCalibrateThresholdCommand implements Callable<Integer> {
    @Option(names = "--router", required = true, paramLabel = "router.bin", description = "Router file to calibrate.")
    Path routerFile;

    @Option(names = "--data", required = true, paramLabel = "dev.jsonl", description = "Labelled rows.")
    Path data;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--target-accuracy", description = "Lowest threshold at which routed rows reach this accuracy.")
        Double accuracy;

        @Option(names = "--max-fallback-rate", description = "Highest threshold sending at most this share to the fallback.")
        Double fallbackRate;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the calibrated router here instead of updating --router in place.")
    Path output;

    @Option(names = "--dry-run", description = "Only print the threshold; write nothing.")
    boolean dryRun;

    @Mixin
    EncoderOptions encoderOptions;

    @Override
    public Integer call() throws Exception {
        List<LabeledPrompt> rows = PromptDataset.readLabeled(data);
        try (Encoder encoder = encoderOptions.open()) {
            Router router = RouterSupport.open(routerFile, encoder);
            List<Classification> predicted = router.classifyAll(rows.stream().map(LabeledPrompt::prompt).toList());
            ThresholdCalibrator calibrator = new ThresholdCalibrator(predicted,
                    rows.stream().map(LabeledPrompt::category).toList());
            ThresholdCalibrator.Choice choice = target.accuracy != null ? calibrator.forTargetAccuracy(target.accuracy)
                    : calibrator.forMaxFallbackRate(target.fallbackRate);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("threshold", choice.threshold());
            out.put("routed_accuracy", choice.routedAccuracy());
            out.put("fallback_rate", choice.fallbackRate());
            out.put("rows", choice.rows());
            System.out.println(RouterSupport.JSON.writeValueAsString(out));
            if (!dryRun) {
                Path dest = output != null ? output : routerFile;
                if (dest == null) {
                    throw new ChorusException("nowhere to write the threshold");
                }
                RouterFile.write(router.model().withThreshold(choice.threshold()), dest);
                System.err.println("wrote threshold " + choice.threshold() + " into " + dest);
            }
        }
        return 0;
    }
}
