package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.chorus.ChorusException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.GgufMetadata;
import dev.chorus.gguf.GgufSummary;
import dev.chorus.gguf.GgufValueFormat;
import dev.chorus.gguf.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus inspect FILE.gguf [--json]}: what a GGUF file holds, without loading its weights. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a GGUF file's architecture, shape, tokenizer and tensor types (and, on request, every "
                + "metadata key and tensor).")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE.gguf", description = "The GGUF file to inspect.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--metadata", description = "Also list every metadata key with its type and (elided) value.")
    boolean listMetadata;

    @Option(names = "--tensors", description = "Also list every tensor: name, type, dims (ggml order), data offset.")
    boolean listTensors;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ChorusException("no such file: " + file);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (GgufFile f = GgufFile.open(file)) {
            GgufSummary summary = GgufSummary.of(f);
            if (json) {
                printJson(f, summary, out);
            } else {
                printTable(summary, out);
                printListings(f, out);
            }
        }
        out.flush();
        return 0;
    }

    private void printJson(GgufFile f, GgufSummary summary, PrintWriter out) throws IOException {
        ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        ObjectNode node = mapper.valueToTree(summary);
        if (listMetadata) {
            ObjectNode metadata = node.putObject("metadata");
            for (GgufMetadata.Entry e : f.metadata().entries().values()) {
                metadata.putObject(e.key()).put("type", e.type().name()).put("value", GgufValueFormat.brief(e));
            }
        }
        if (listTensors) {
            ArrayNode tensors = node.putArray("tensors");
            for (TensorInfo t : f.tensors()) {
                ObjectNode tensor = tensors.addObject().put("name", t.name()).put("type", t.type().name());
                ArrayNode dims = tensor.putArray("dims");
                for (long d : t.dims()) {
                    dims.add(d);
                }
                tensor.put("offset", t.offset()).put("bytes", t.byteSize());
            }
        }
        out.println(mapper.writeValueAsString(node));
    }

    private void printListings(GgufFile f, PrintWriter out) {
        if (listMetadata) {
            out.println("metadata:");
            for (GgufMetadata.Entry e : f.metadata().entries().values()) {
                out.printf(Locale.ROOT, "  %-40s %-7s %s%n", e.key(), e.type(), GgufValueFormat.brief(e));
            }
        }
        if (listTensors) {
            out.println("tensors:");
            for (TensorInfo t : f.tensors()) {
                out.printf(Locale.ROOT, "  %-32s %-8s %-24s @%d (%s)%n", t.name(), t.type(),
                        java.util.Arrays.toString(t.dims()), t.offset(), bytes(t.byteSize()));
            }
        }
    }

    private static void printTable(GgufSummary s, PrintWriter out) {
        row(out, "file", s.file() + " (" + bytes(s.fileSize()) + ")");
        row(out, "GGUF version", s.ggufVersion() + ", alignment " + s.alignment() + ", data at byte " + s.dataOffset());
        row(out, "architecture", s.architecture());
        row(out, "name", s.name());
        row(out, "file type", s.fileType() == null ? null : s.fileType() + " (" + s.fileTypeId() + ")");
        row(out, "parameters", count(s.parameters()) + " (" + String.format(Locale.ROOT, "%,d", s.parameters()) + ")");
        row(out, "context length", s.contextLength());
        row(out, "embedding length", s.embeddingLength());
        row(out, "layers", s.blockCount());
        row(out, "heads", s.headCount() == null ? null : s.headCount() + " (kv " + s.headCountKv() + ")");
        row(out, "vocab size", s.vocabSize());
        row(out, "tokenizer", s.tokenizerModel() == null ? null
                : s.tokenizerModel() + (s.tokenizerPre() == null ? "" : " (pre-tokenizer " + s.tokenizerPre() + ")"));
        row(out, "chat template", s.chatTemplate() ? "yes" : "no");
        row(out, "tensors", s.tensorCount() + ", " + bytes(s.tensorBytes()));
        if (!s.tensorTypes().isEmpty()) {
            out.printf(Locale.ROOT, "  %-8s %7s %14s %12s  %s%n", "type", "tensors", "elements", "bytes", "engine");
            for (Map.Entry<String, GgufSummary.TypeUsage> e : s.tensorTypes().entrySet()) {
                GgufSummary.TypeUsage u = e.getValue();
                out.printf(Locale.ROOT, "  %-8s %7d %,14d %12s  %s%n", e.getKey(), u.count(), u.elements(),
                        bytes(u.bytes()), u.computable() ? "supported" : "unsupported");
            }
        }
        List<String> unsupported = s.unsupportedTypes();
        if (!unsupported.isEmpty()) {
            out.println("note: Chorus cannot compute with tensor types " + String.join(", ", unsupported));
        }
    }

    private static void row(PrintWriter out, String label, Object value) {
        out.printf(Locale.ROOT, "%-17s %s%n", label, value == null ? "-" : value);
    }

    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }

    static String count(long n) {
        String[] units = {"", "K", "M", "B", "T"};
        double v = n;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? Long.toString(n) : String.format(Locale.ROOT, "%.2f%s", v, units[u]);
    }
}
