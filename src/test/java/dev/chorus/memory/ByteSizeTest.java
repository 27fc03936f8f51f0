package dev.chorus.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteSizeTest {
    @Test
    void parsesBinaryUnits() {
        assertThat(ByteSize.parse("4g")).isEqualTo(4L << 30);
        assertThat(ByteSize.parse("4G")).isEqualTo(4L << 30);
        assertThat(ByteSize.parse("512m")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("512MiB")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("1.5g")).isEqualTo(3L << 29);
        assertThat(ByteSize.parse("64k")).isEqualTo(65536);
        assertThat(ByteSize.parse("65536")).isEqualTo(65536);
        assertThat(ByteSize.parse(" 2gb ")).isEqualTo(2L << 30);
    }

    @Test
    void rejectsNonsenseWithAClearMessage() {
        assertThatThrownBy(() -> ByteSize.parse("lots")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid memory size 'lots'");
        assertThatThrownBy(() -> ByteSize.parse("-1g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteSize.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsForMessages() {
        assertThat(ByteSize.format(4L << 30)).isEqualTo("4.00 GiB");
        assertThat(ByteSize.format(3L << 20)).isEqualTo("3.0 MiB");
        assertThat(ByteSize.format(12)).isEqualTo("12 B");
    }
}
