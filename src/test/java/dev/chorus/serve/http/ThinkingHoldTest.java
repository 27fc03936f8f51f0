package dev.chorus.serve.http;

import dev.chorus.chat.ThinkingSyntax;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Streaming a thinking model's answer in any chunking gives the reasoning and content of the whole answer. */
class ThinkingHoldTest {
    @Test
    void anyChunkingSplitsLikeTheWholeAnswer() {
        List<String> outputs = List.of("<think>\nTwo plus two.\n</think>\n\nIt is 4.", "\n<think>a<b</think>c",
                "It is 4.", "<thin", "<think>never closed", "Use <think> tags", " <think></think>x</think>y",
                "<think>\n\n</think>\n\n");
        Random random = new Random(7);
        for (String output : outputs) {
            for (boolean inside : new boolean[] {false, true}) {
                ThinkingSyntax.Split expected = ThinkingSyntax.split(output, inside);
                for (int round = 0; round < 200; round++) {
                    ThinkingHold hold = ThinkingHold.startingInside(inside);
                    StringBuilder reasoning = new StringBuilder();
                    StringBuilder content = new StringBuilder();
                    for (int i = 0; i < output.length(); ) {
                        int n = 1 + random.nextInt(4);
                        ThinkingHold.Piece p = hold.accept(output.substring(i, Math.min(output.length(), i + n)));
                        reasoning.append(p.reasoning());
                        content.append(p.content());
                        i += n;
                    }
                    ThinkingHold.Piece end = hold.end();
                    reasoning.append(end.reasoning());
                    content.append(end.content());
                    String what = output + " inside=" + inside;
                    assertThat(content.toString()).as(what).isEqualTo(expected.content());
                    if (expected.reasoning() == null) {
                        assertThat(reasoning.toString()).as(what).isEmpty();
                    } else {
                        // A stream cannot know which blanks end the reasoning: they go out, the whole answer strips them.
                        assertThat(reasoning.toString().strip()).as(what).isEqualTo(expected.reasoning());
                    }
                }
            }
        }
    }
}
