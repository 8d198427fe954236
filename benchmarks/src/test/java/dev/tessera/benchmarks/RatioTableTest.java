package dev.tessera.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RatioTableTest {
    @Test
    void ratiosAndTheirGeometricMean() {
        RatioTable t = new RatioTable("tessera", "isl").add("is_empty", 2_000, 1_000).add("card", 500, 1_000);
        assertThat(t.geometricMeanRatio()).isCloseTo(1.0, within(1e-12));
        assertThat(t.render())
                .contains("is_empty           2.000           1.000     2.000")
                .contains("card               0.500           1.000     0.500")
                .endsWith("geometric mean ratio (tessera / isl): 1.000\n");
    }

    @Test
    void refusesMeaninglessInput() {
        assertThatThrownBy(() -> new RatioTable("a", "b").add("x", 0, 1)).hasMessageContaining("case x");
        assertThatThrownBy(() -> new RatioTable("a", "b").geometricMeanRatio()).hasMessageContaining("no cases");
    }
}
