package dev.chorus.cli;

import dev.chorus.tensor.bench.KernelBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code chorus bench kernels}: JMH measurement of the weight-matrix kernels at real model shapes, in GB/s of weights
 * next to a same-run read of the same bytes.
 */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "Measure matVec/matMul kernels (GB/s of weights) against a same-run memory read of the same bytes.")
public final class BenchKernelsCommand implements Callable<Integer> {
    @Option(names = "--types", defaultValue = KernelBench.DEFAULT_TYPES,
            description = "Comma-separated weight types (default ${DEFAULT-VALUE}).")
    String types;

    @Option(names = "--shapes", defaultValue = KernelBench.DEFAULT_SHAPES,
            description = "Comma-separated ROWSxCOLS shapes (default ${DEFAULT-VALUE}).")
    String shapes;

    @Override
    public Integer call() throws Exception {
        try {
            KernelBench.run(types, shapes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (types: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, "
                    + "Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K)", e);
        }
        return 0;
    }
}
