package dev.chorus.cli;

import dev.chorus.gguf.GgmlType;
import dev.chorus.model.Architecture;
import dev.chorus.model.synth.SynthModel;
import dev.chorus.model.synth.SynthShape;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code chorus synth}: writes a seeded random-weight model with a real architecture shape. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a seeded random-weight GGUF model with a real architecture shape (for benchmarks and demos).")
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, description = "llama, qwen2 or qwen3.")
    String arch;

    @Option(names = "--shape", required = true, description = "smollm2-135m, qwen2.5-0.5b or tiny.")
    String shape;

    @Option(names = "--type", required = true, description = "Weight type: F32, F16, BF16, Q8_0, Q4_0, Q5_0 or Q4_K (K-quant rows that are not whole super-blocks fall back like llama-quantize: Q4_K -> Q5_0).")
    String type;

    static final class VocabChoice {
        @Option(names = "--vocab", paramLabel = "VOCAB.gguf", description = "Copy the tokenizer of this GGUF file.")
        Path vocab;

        @Option(names = "--byte-vocab", description = "A built-in byte vocabulary padded to the shape's size (default).")
        boolean byteVocab;
    }

    @ArgGroup(exclusive = true)
    VocabChoice vocab;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.gguf", description = "Output file.")
    Path output;

    @Override
    public Integer call() throws Exception {
        GgmlType t;
        try {
            t = GgmlType.valueOf(type.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown weight type '" + type + "' (F32, F16, BF16, Q8_0, Q4_0, Q5_0, Q4_K)");
        }
        SynthModel model = new SynthModel(Architecture.fromGguf(arch), SynthShape.byName(shape), t, seed);
        SynthModel.Vocab v = vocab != null && vocab.vocab != null ? new SynthModel.FromFile(vocab.vocab) : new SynthModel.Bytes();
        model.write(v, output);
        System.out.printf("wrote %s (%.1f MB)%n", output, Files.size(output) / 1e6);
        return 0;
    }
}
