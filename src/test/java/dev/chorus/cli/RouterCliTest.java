package dev.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The router commands end to end on a tiny hand-written data set. */
class RouterCliTest {
    @TempDir
    static Path dir;
    static Path train;
    static Path dev;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String row(String prompt, String category) {
        return "{\"prompt\": \"" + prompt + "\", \"category\": \"" + category + "\"}";
    }

    @BeforeAll
    static void data() throws Exception {
        System.setProperty("chorus.cache", dir.resolve("cache").toString());
        List<String> t = new ArrayList<>();
        String[] code = {"fix my python loop", "java compile error help", "write a sql join query",
                "why does my c program segfault", "refactor this javascript function"};
        String[] food = {"best pasta recipe for dinner", "how long to roast a chicken", "vegan dessert ideas",
                "what spices go with lentils", "how to bake bread at home"};
        for (int i = 0; i < code.length; i++) {
            t.add(row(code[i], "code"));
            t.add(row(food[i], "food"));
        }
        train = Files.write(dir.resolve("train.jsonl"), t);
        dev = Files.write(dir.resolve("dev.jsonl"), List.of(row("my rust program panics at runtime", "code"),
                row("a quick soup recipe please", "food"), row("debug this bash script", "code"),
                row("what to cook with eggs and spinach", "food")));
    }

    @Test
    void trainEvalCalibrateAndRoute() throws Exception {
        Path router = dir.resolve("r.bin");
        Result trained = run("router", "train", "--data", train.toString(), "--dev", dev.toString(),
                "--classifier", "knn", "-o", router.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(router).exists();

        Path html = dir.resolve("report.html");
        Result eval = run("router", "eval", "--router", router.toString(), "--data", dev.toString(), "--json",
                "--html", html.toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(eval.out());
        assertThat(json.get("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(json.has("macro_f1") && json.has("per_category") && json.has("fallback_rate")).isTrue();
        assertThat(json.get("per_category").get("food").get("support").asInt()).isEqualTo(2);
        assertThat(Files.readString(html)).contains("<svg").contains("<rect").contains("food");

        Result calibrated = run("router", "calibrate-threshold", "--router", router.toString(), "--data",
                dev.toString(), "--max-fallback-rate", "0.25");
        assertThat(calibrated.code()).as(calibrated.err()).isZero();
        assertThat(new ObjectMapper().readTree(calibrated.out()).get("fallback_rate").asDouble()).isEqualTo(0.25);

        Result routed = run("route", "--router", router.toString(), "--data", dev.toString(), "--json");
        assertThat(routed.code()).as(routed.err()).isZero();
        String[] lines = routed.out().strip().split("\n");
        assertThat(lines).hasSize(4);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertThat(first.get("line").asInt()).isEqualTo(1);
        assertThat(first.get("category").asText()).isEqualTo("code");
        assertThat(first.has("confidence") && first.has("expert") && first.has("fallback")).isTrue();
    }

    @Test
    void badInputGivesOneClearLineAndExitCode2() throws Exception {
        Path broken = Files.write(dir.resolve("broken.jsonl"), List.of(row("fine", "code"), "{not json"));
        Result r = run("route", "--data", broken.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("broken.jsonl:2: invalid JSON");

        Path cats = Files.writeString(dir.resolve("cats.yaml"),
                "categories:\n  - name: code\n    description: programming\n");
        Result unknown = run("router", "train", "--data", train.toString(), "--categories", cats.toString(),
                "-o", dir.resolve("x.bin").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("train.jsonl:2: unknown category \"food\"");

        Result empty = run("route", "   ");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("empty prompt");

        Path corrupt = Files.write(dir.resolve("corrupt.bin"), new byte[]{'C', 'H', 'O', 'R', 'U', 'S', 'R', 'T', 0});
        Result bad = run("route", "--router", corrupt.toString(), "hello");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("truncated");
    }
}
