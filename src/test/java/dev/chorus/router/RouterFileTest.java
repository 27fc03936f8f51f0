package dev.chorus.router;

import dev.chorus.ChorusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterFileTest {
    static final List<String> LABELS = List.of("a", "b", "c");

    static RouterModel softmaxModel() {
        double[][] w = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0.5}};
        return new RouterModel("enc-x", 4, LABELS, new SoftmaxClassifier(w, new double[]{0.1, -0.2, 0.3}), 0.4);
    }

    static RouterModel knnModel() {
        float[][] pts = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        return new RouterModel("enc-x", 4, LABELS,
                new KnnClassifier(pts, new int[]{0, 1, 2, 2}, 3, 2, 0.1, new double[]{1, 1, 0.5}), 0.25);
    }

    @Test
    void roundTripsBothClassifierKinds(@TempDir Path dir) throws Exception {
        float[] probe = Vectors.normalized(new float[]{0.3f, 0.5f, 0.7f, 0.1f});
        for (RouterModel m : List.of(softmaxModel(), knnModel())) {
            Path f = dir.resolve(m.classifier().kind() + ".bin");
            RouterFile.write(m, f);
            RouterModel back = RouterFile.read(f);
            assertThat(back.encoderId()).isEqualTo("enc-x");
            assertThat(back.labels()).isEqualTo(LABELS);
            assertThat(back.threshold()).isEqualTo(m.threshold());
            assertThat(back.classifier().kind()).isEqualTo(m.classifier().kind());
            assertThat(back.classifier().probabilities(probe)).containsExactly(m.classifier().probabilities(probe));
            assertThat(RouterFile.toBytes(back)).isEqualTo(RouterFile.toBytes(m));
        }
    }

    @Test
    void refusesCorruptTruncatedNewerAndForeignFiles() {
        byte[] good = RouterFile.toBytes(softmaxModel());

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        assertThatThrownBy(() -> RouterFile.fromBytes(flipped, "r.bin"))
                .isInstanceOf(ChorusException.class).hasMessageContaining("corrupt (checksum mismatch)");

        byte[] truncated = Arrays.copyOf(good, good.length - 20);
        assertThatThrownBy(() -> RouterFile.fromBytes(truncated, "r.bin"))
                .isInstanceOf(ChorusException.class).hasMessageContaining("truncated");

        byte[] newer = good.clone();
        ByteBuffer.wrap(newer).putInt(8, RouterFile.FORMAT_VERSION + 1);
        assertThatThrownBy(() -> RouterFile.fromBytes(newer, "r.bin"))
                .isInstanceOf(ChorusException.class).hasMessageContaining("format version " + (RouterFile.FORMAT_VERSION + 1));

        assertThatThrownBy(() -> RouterFile.fromBytes("{\"not\": \"a router\"}".getBytes(), "r.bin"))
                .isInstanceOf(ChorusException.class).hasMessageContaining("not a Chorus router file");
    }

    @Test
    void routerRefusesAFileBuiltWithAnotherEncoder(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.bin");
        RouterFile.write(softmaxModel(), f);
        Encoder other = new FakeEncoder("other-encoder", 4);
        assertThatThrownBy(() -> Router.load(f, other, RoutingPolicy.identity(LABELS)))
                .isInstanceOf(ChorusException.class)
                .hasMessageContaining("built with encoder \"enc-x\"")
                .hasMessageContaining("\"other-encoder\"");
        assertThat(Files.size(f)).isPositive();
    }
}
