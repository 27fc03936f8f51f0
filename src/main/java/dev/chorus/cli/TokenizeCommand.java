package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.gguf.GgufFile;
import dev.chorus.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus tokenize}: shows how a GGUF file's tokenizer splits a text. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Tokenize text with a GGUF file's tokenizer and print the ids and pieces.")
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "GGUF file (a vocab-only file is enough).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "S", description = "The text to tokenize.")
        String text;

        @Option(names = "--file", paramLabel = "F", description = "Read the text from this UTF-8 file.")
        Path file;
    }

    @Option(names = "--no-bos", description = "Do not add BOS/EOS even if the model asks for them.")
    boolean noBos;

    @Option(names = "--special", description = "Recognise control tokens such as <|eot_id|> written in the text.")
    boolean special;

    @Option(names = "--json", description = "Print {\"ids\": [...]} only.")
    boolean json;

    PrintStream out = System.out;

    @Override
    public Integer call() throws IOException {
        String text = input.text != null ? input.text : readText(input.file);
        Tokenizer tokenizer = load(model);
        int[] ids = tokenizer.encode(text, !noBos, special);
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(Map.of("ids", Arrays.stream(ids).boxed().toList())));
            return 0;
        }
        for (int id : ids) {
            String piece = new String(tokenizer.tokenBytes(id), StandardCharsets.UTF_8);
            out.printf("%7d -> '%s'%n", id, printable(piece));
        }
        out.println(ids.length + " tokens");
        return 0;
    }

    static Tokenizer load(Path model) throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new IOException("model file not found: " + model);
        }
        try (GgufFile f = GgufFile.open(model)) {
            return Tokenizer.fromGguf(f.metadata());
        }
    }

    private static String readText(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("text file not found: " + file);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Escapes line breaks and tabs so each piece stays on its line. */
    private static String printable(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}
