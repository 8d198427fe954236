package dev.tessera.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorSpecTest {
    private static String profileText(String name) throws IOException {
        return Files.readString(Path.of("specs", name + ".yaml"), StandardCharsets.UTF_8);
    }

    @Test
    void inferentia2CarriesTheNkiNumbers() {
        AcceleratorSpec spec = AcceleratorSpec.load("inferentia2");
        assertThat(spec.name()).isEqualTo("inferentia2");
        assertThat(spec.partitions()).isEqualTo(128);
        assertThat(spec.sbuf().capacityBytes()).isEqualTo(24L << 20);
        assertThat(spec.psum().capacityBytes()).isEqualTo(2L << 20);
        assertThat(spec.psumBanks()).isEqualTo(8);
        assertThat(spec.psumBankBytes()).isEqualTo(2048);
        assertThat(spec.maxContraction()).isEqualTo(128);
        assertThat(spec.maxStationaryFree()).isEqualTo(128);
        assertThat(spec.maxMovingFree()).isEqualTo(512);
        assertThat(spec.maxFreeDims()).isEqualTo(4);
        assertThat(spec.maxDramDims()).isEqualTo(5);
        assertThat(spec.dmaQueues()).isEqualTo(16);
        assertThat(spec.dma().bandwidthGibPerS()).isEqualTo(27.0);
        assertThat(spec.dma().fixedNs()).isEqualTo(60 / 1.4);
        assertThat(spec.tensorEngine().minCyclesPerMatmul()).isEqualTo(64);
        assertThat(spec.referenceClock().name()).isEqualTo("core");
    }

    @Test
    void partitionStartRulesFollowTheAccessWidth() {
        AcceleratorSpec spec = AcceleratorSpec.load("inferentia2");
        assertThat(spec.allowedPartitionStarts(1)).containsExactly(0, 32, 64, 96);
        assertThat(spec.allowedPartitionStarts(32)).containsExactly(0, 32, 64, 96);
        assertThat(spec.allowedPartitionStarts(33)).containsExactly(0, 64);
        assertThat(spec.allowedPartitionStarts(65)).containsExactly(0);
        assertThat(spec.allowedPartitionStarts(129)).isEmpty();
        assertThat(spec.isPartitionStartAllowed(96, 32)).isTrue();
        assertThat(spec.isPartitionStartAllowed(96, 33)).isFalse();
        assertThat(spec.isPartitionStartAllowed(16, 8)).isFalse();
        assertThat(spec.isPartitionStartAllowed(0, 0)).isFalse();
    }

    @Test
    void inferentia1MarksEveryUnpublishedNumberAsAnAssumption() {
        AcceleratorSpec spec = AcceleratorSpec.load("inferentia1");
        assertThat(spec.assumptions()).contains("sbuf.bytes_per_partition", "psum.bytes_per_partition", "psum.banks",
                "tensor_engine.clock_ghz", "tensor_engine.max_contraction", "reference_clock.ghz", "dma.queues",
                "dma.bandwidth_gib_per_s", "dram.bytes");
        // The published rates: 256 vector and 512 scalar ops per cycle, 16 TFLOPS tensor.
        assertThat(spec.vectorEngine().lanes() * spec.vectorEngine().elementsPerLanePerCycle()).isEqualTo(256);
        assertThat(spec.scalarEngine().lanes() * spec.scalarEngine().elementsPerLanePerCycle()).isEqualTo(512);
        double tflops = 2.0 * spec.maxContraction() * spec.maxStationaryFree() * spec.tensorEngine().clockGhz() / 1e3;
        assertThat(tflops).isBetween(16.0, 16.5);
    }

    @Test
    void theProfilesInTheJarAreTheFilesInSpecs() throws IOException {
        for (String name : AcceleratorSpec.BUILT_IN) {
            assertThat(AcceleratorSpec.builtIn(name))
                    .isEqualTo(AcceleratorSpec.parse(profileText(name), name + ".yaml"));
        }
    }

    @Test
    void loadsAProfileFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, profileText("inferentia2").replace("name: inferentia2", "name: mine"));
        assertThat(AcceleratorSpec.load(file.toString()).name()).isEqualTo("mine");
    }

    @Test
    void rejectsAnUnknownProfileName() {
        assertThatThrownBy(() -> AcceleratorSpec.load("inferentia9"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("no profile 'inferentia9'")
                .hasMessageContaining("inferentia1");
    }

    private static void assertRejected(String yaml, String... fragments) {
        assertThatThrownBy(() -> AcceleratorSpec.parse(yaml, "test.yaml"))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("test.yaml: ")
                .hasMessageContainingAll(fragments);
    }

    @Test
    void rejectsAMissingField() throws IOException {
        assertRejected(profileText("inferentia2").replace("  banks: 8\n", ""), "field 'psum.banks' is missing");
    }

    @Test
    void rejectsAnUnknownField() throws IOException {
        assertRejected(profileText("inferentia2").replace("  banks: 8\n", "  banks: 8\n  bankz: 8\n"),
                "unknown field 'psum.bankz'");
    }

    @Test
    void rejectsNonsensicalNumbers() throws IOException {
        String text = profileText("inferentia2");
        assertRejected(text.replace("  queues: 16", "  queues: -2"), "field 'dma.queues' must be a positive integer, got -2");
        assertRejected(text.replace("  banks: 8", "  banks: 7"), "field 'psum.banks' must divide");
        assertRejected(text.replace("max_moving_free: 512", "max_moving_free: 1024"),
                "field 'tensor_engine.max_moving_free'", "do not fit a PSUM bank of 2048 bytes");
        assertRejected(text.replace("max_contraction: 128", "max_contraction: 256"),
                "field 'tensor_engine.max_contraction'");
        assertRejected(text.replace("clock_ghz: 2.8", "clock_ghz: zero"),
                "field 'tensor_engine.clock_ghz' must be a positive number");
        assertRejected(text.replace("starts: [0, 64]", "starts: [0, 96]"),
                "field 'partition_start_rules[1].starts' holds 96");
        assertRejected(text.replace("format: 1 ", "format: 2 "), "field 'format' is 2");
        assertRejected(text.replace("  - dram.bytes ", "  - dram.size "), "'assumptions' names 'dram.size'");
    }

    @Test
    void rejectsDocumentsThatAreNotProfiles() {
        assertRejected("", "a profile is a YAML mapping");
        assertRejected("name: [unclosed", "not valid YAML");
    }
}
