package dev.tessera.emulator;

import static dev.tessera.emulator.Programs.INF2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Dim;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.MachineProgram;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DMA and matmul overlap for real: with double buffering the loads of the next tile run under the
 * matmuls of this one; a semaphore that makes each load wait for the previous tile's matmuls takes
 * the gain away.
 */
class OverlapTest {
    private static final int TILES = 6;
    private static final int MATMULS_PER_TILE = 12;

    /** Loads weights once, then per tile loads a 128x512 fp32 tile (slot t % 2) and runs 12 matmuls on it. */
    static MachineProgram pipeline(boolean serialise) {
        MachineProgram.Builder b = MachineProgram.builder(serialise ? "serialised" : "overlapped");
        b.dram("w", StorageDtype.FP32, DramTensor.Role.WEIGHT, 128, 128);
        b.dram("x", StorageDtype.FP32, DramTensor.Role.INPUT, TILES * 128, 512);
        b.sbuf("w_s", StorageDtype.FP32, 0, 0, 128, 128);
        b.semaphore("weights");
        b.semaphore("loaded");
        b.semaphore("consumed");
        InstructionRef loadW = b.dma(1, AccessPattern.tile("w_s", 0, 128, 0, 128),
                AccessPattern.dram("w", 0, Dim.of(128, 128), Dim.of(128, 1)));
        b.signal(Engine.dma(1), "weights");
        b.waitFor(Engine.TENSOR, "weights", 1);
        InstructionRef lastW = null;
        for (int t = 0; t < TILES; t++) {
            String slot = "x" + t;
            b.sbuf(slot, StorageDtype.FP32, 0, 512 + (t % 2) * 2048L, 128, 512);
            b.psum("acc" + t, 0, (t % 8) * 2048L, 128, 512);
            if (t >= 2 || (serialise && t >= 1)) {
                // The slot is free once the matmuls of tile t-2 are done; serialised: wait for tile t-1.
                b.waitFor(Engine.dma(0), "consumed", serialise ? t : t - 1);
            }
            InstructionRef load = b.dma(0, AccessPattern.tile(slot, 0, 128, 0, 512),
                    AccessPattern.dram("x", (long) t * 128 * 512, Dim.of(128, 512), Dim.of(512, 1)));
            b.signal(Engine.dma(0), "loaded");
            b.waitFor(Engine.TENSOR, "loaded", t + 1);
            InstructionRef first = null;
            InstructionRef last = null;
            for (int m = 0; m < MATMULS_PER_TILE; m++) {
                last = b.matmul(AccessPattern.tile("acc" + t, 0, 128, 0, 512), AccessPattern.tile("w_s", 0, 128, 0, 128),
                        AccessPattern.tile(slot, 0, 128, 0, 512), m > 0);
                first = first == null ? last : first;
            }
            b.signal(Engine.TENSOR, "consumed");
            b.live(slot, load, last);
            b.live("acc" + t, first, last);
            lastW = last;
        }
        b.live("w_s", loadW, lastW);
        return b.build();
    }

    @Test
    void overlappedIsFasterThanTheSumOfItsPartsAndSerialisingRemovesTheGain() {
        ExecutionReport overlapped = Emulator.run(pipeline(false), INF2, Emulator.Options.timingOnly());
        ExecutionReport serialised = Emulator.run(pipeline(true), INF2, Emulator.Options.timingOnly());
        double load = 60 / 1.4 + 128 * 512 * 4 / (27.0 * (1L << 30) / 1e9);
        double matmuls = MATMULS_PER_TILE * 2048 / 2.8;
        double weights = 60 / 1.4 + 128 * 128 * 4 / (27.0 * (1L << 30) / 1e9);
        double sum = TILES * (load + matmuls);
        // Same work either way (the serialised program has one more wait, which costs nothing).
        assertThat(overlapped.engines()).extracting(ExecutionReport.EngineUsage::busyNs)
                .isEqualTo(serialised.engines().stream().map(ExecutionReport.EngineUsage::busyNs).toList());
        // Serialised: nothing overlaps but the weight load under the first tile load.
        assertThat(serialised.totalNs()).isCloseTo(sum, within(1e-6));
        // Overlapped: the loads stream back to back (9.1 µs each, longer than a tile's 8.8 µs of
        // matmuls), and only the last tile's matmuls come after the last load.
        assertThat(overlapped.totalNs()).isCloseTo(TILES * load + matmuls, within(1e-6));
        assertThat(overlapped.totalNs()).isLessThan(0.6 * sum);
        assertThat(weights).isLessThan(load);
    }

    @Test
    void everyMatmulStartsAfterItsTileIsLoaded() {
        ExecutionReport r = Emulator.run(pipeline(false), INF2, Emulator.Options.timingOnly());
        List<ExecutionReport.TimelineEntry> loads = new ArrayList<>();
        for (ExecutionReport.TimelineEntry e : r.timeline()) {
            if (e.engine().equals(Engine.dma(0)) && e.instruction().startsWith("dma")) {
                loads.add(e);
            }
        }
        assertThat(loads).hasSize(TILES);
        for (ExecutionReport.TimelineEntry e : r.timeline()) {
            if (e.instruction().startsWith("matmul")) {
                int tile = Integer.parseInt(e.instruction().replaceAll(".* \\* x(\\d+)\\[.*", "$1"));
                assertThat(e.startNs()).isGreaterThanOrEqualTo(loads.get(tile).endNs());
            }
        }
    }
}
