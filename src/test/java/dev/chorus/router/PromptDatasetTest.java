package dev.chorus.router;

import dev.chorus.ChorusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptDatasetTest {
    @TempDir
    Path dir;

    Path file(String... lines) throws Exception {
        Path f = dir.resolve("d.jsonl");
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void readsRowsInOrderWithLineNumbers() throws Exception {
        List<LabeledPrompt> rows = PromptDataset.readLabeled(file(
                "{\"prompt\": \"hi\", \"category\": \"general\", \"id\": 3}", "",
                "{\"prompt\": \"2+2?\", \"category\": \"math\"}"));
        assertThat(rows).extracting(LabeledPrompt::category).containsExactly("general", "math");
        assertThat(rows.get(1).line()).isEqualTo(3);
    }

    @Test
    void invalidLinesFailWithTheirLineNumber() throws Exception {
        assertThatThrownBy(() -> PromptDataset.readLabeled(file("{\"prompt\": \"ok\", \"category\": \"a\"}", "{oops")))
                .isInstanceOf(ChorusException.class).hasMessageContaining("d.jsonl:2: invalid JSON");
        assertThatThrownBy(() -> PromptDataset.readLabeled(file("{\"prompt\": \"  \", \"category\": \"a\"}")))
                .hasMessageContaining(":1: empty prompt");
        assertThatThrownBy(() -> PromptDataset.readLabeled(file("{\"prompt\": \"x\"}")))
                .hasMessageContaining(":1: missing string field \"category\"");
        assertThatThrownBy(() -> PromptDataset.readLabeled(file("[1, 2]")))
                .hasMessageContaining(":1: expected a JSON object");
        assertThat(PromptDataset.readPrompts(file("{\"prompt\": \"x\"}"))).hasSize(1);
    }

    @Test
    void unknownCategoryIsRejectedWhenTheLabelSetIsFixed() throws Exception {
        Path f = file("{\"prompt\": \"x\", \"category\": \"math\"}", "{\"prompt\": \"y\", \"category\": \"poetry\"}");
        assertThatThrownBy(() -> PromptDataset.readLabeled(f, List.of("math", "coding")))
                .hasMessageContaining(":2: unknown category \"poetry\"");
    }
}
