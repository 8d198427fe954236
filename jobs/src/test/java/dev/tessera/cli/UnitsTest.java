package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void countsUsePowersOfAThousand() {
        assertThat(Units.count(950)).isEqualTo("950");
        assertThat(Units.count(25_557_032)).isEqualTo("25.56 M");
        assertThat(Units.count(4_089_184_256L)).isEqualTo("4.09 G");
        assertThat(Units.count(1_500)).isEqualTo("1.50 k");
    }

    @Test
    void bytesUsePowersOf1024() {
        assertThat(Units.bytes(512)).isEqualTo("512 B");
        assertThat(Units.bytes(3_211_264)).isEqualTo("3.06 MiB");
        assertThat(Units.bytes(1L << 30)).isEqualTo("1.00 GiB");
    }
}
