package dev.chorus.tokenizer;

import dev.chorus.SharedData;
import dev.chorus.gguf.GgufFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * llama.cpp's tokenizer test vectors in ../shared/vocab: {@code X.gguf.inp} holds inputs each followed by
 * "\n__ggml_vocab_test__\n", {@code X.gguf.out} one line of space-separated expected ids per input.
 */
final class VocabCases {
    static final String SEPARATOR = "\n__ggml_vocab_test__\n";
    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    record Case(String vocab, int index, String input, int[] expected) {
        @Override
        public String toString() {
            String shown = input.length() > 40 ? input.substring(0, 40) + "…" : input;
            return vocab + " #" + index + " " + shown.replace("\n", "\\n").replace("\t", "\\t");
        }
    }

    private VocabCases() {
    }

    /** Every vocabulary with test vectors, by short name (e.g. "llama-bpe"). */
    static List<String> vocabsWithCases() {
        Path root = SharedData.root();
        if (root == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(root.resolve("vocab"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("ggml-vocab-") && n.endsWith(".gguf.out"))
                    .map(n -> n.substring("ggml-vocab-".length(), n.length() - ".gguf.out".length()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> cases(String vocab) {
        Path dir = SharedData.require("vocab");
        try {
            String inp = Files.readString(dir.resolve("ggml-vocab-" + vocab + ".gguf.inp"), StandardCharsets.UTF_8);
            String out = Files.readString(dir.resolve("ggml-vocab-" + vocab + ".gguf.out"), StandardCharsets.UTF_8);
            List<String> inputs = new ArrayList<>();
            int pos = 0;
            while (pos < inp.length()) {
                int sep = inp.indexOf(SEPARATOR, pos);
                if (sep < 0) {
                    inputs.add(inp.substring(pos));
                    break;
                }
                inputs.add(inp.substring(pos, sep));
                pos = sep + SEPARATOR.length();
            }
            List<String> lines = new ArrayList<>(Arrays.asList(out.split("\n", -1)));
            if (!lines.isEmpty() && lines.getLast().isEmpty() && out.endsWith("\n")) {
                lines.removeLast();
            }
            if (lines.size() != inputs.size()) {
                throw new IllegalStateException(vocab + ": " + inputs.size() + " inputs but " + lines.size() + " lines");
            }
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                String line = lines.get(i).strip();
                int[] ids = line.isEmpty() ? new int[0]
                        : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
                cases.add(new Case(vocab, i, inputs.get(i), ids));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tokenizer tokenizer(String vocab) {
        return TOKENIZERS.computeIfAbsent(vocab, v -> load(SharedData.require("vocab/ggml-vocab-" + v + ".gguf")));
    }

    static Tokenizer load(Path gguf) {
        try (GgufFile f = GgufFile.open(gguf)) {
            return Tokenizer.fromGguf(f.metadata());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
