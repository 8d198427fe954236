package dev.tessera.operators;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompilerVersionTest {
    @Test
    void isTheVersionOfTheBuild() {
        // Surefire runs inside the build that filtered the resource: the same version as the POM.
        assertThat(CompilerVersion.get()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
