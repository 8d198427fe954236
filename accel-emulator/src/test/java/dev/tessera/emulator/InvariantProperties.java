package dev.tessera.emulator;

import static dev.tessera.emulator.Programs.INF2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Allocation;
import dev.tessera.emulator.program.Dim;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.MachineProgram;
import dev.tessera.emulator.program.Ops;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Invariants over generated pipelines: T tiles of P x F are loaded (dma0) into R rotating slots,
 * activated on the scalar engine into R rotating output slots and stored (dma1). Each tile has its
 * own allocations on its slot's bytes, so a slot reused too early is two live allocations sharing
 * bytes.
 */
class InvariantProperties {
    record Pipeline(MachineProgram program, Map<String, InstructionRef[]> stages) {}

    static Pipeline pipeline(int tiles, int slots, int partitions, int free, StorageDtype dtype, boolean reuseWait) {
        MachineProgram.Builder b = MachineProgram.builder("pipeline");
        b.dram("x", dtype, DramTensor.Role.INPUT, tiles * partitions, free);
        b.dram("y", dtype, DramTensor.Role.OUTPUT, tiles * partitions, free);
        for (String s : List.of("loaded", "computed", "stored")) {
            b.semaphore(s);
        }
        long slotBytes = (long) free * dtype.bytes();
        Map<String, InstructionRef[]> stages = new HashMap<>();
        for (int t = 0; t < tiles; t++) {
            b.sbuf("in" + t, dtype, 0, (t % slots) * slotBytes, partitions, free);
            b.sbuf("out" + t, dtype, 0, (slots + t % slots) * slotBytes, partitions, free);
            if (t >= slots && reuseWait) {
                b.waitFor(Engine.dma(0), "computed", t - slots + 1);
            }
            InstructionRef load = b.dma(0, AccessPattern.tile("in" + t, 0, partitions, 0, free),
                    AccessPattern.dram("x", (long) t * partitions * free, Dim.of(partitions, free), Dim.of(free, 1)));
            b.signal(Engine.dma(0), "loaded");
            b.waitFor(Engine.SCALAR, "loaded", t + 1);
            if (t >= slots) {
                b.waitFor(Engine.SCALAR, "stored", t - slots + 1);
            }
            InstructionRef act = b.add(Engine.SCALAR, new Instruction.Activation(Ops.Activation.RELU,
                    AccessPattern.tile("out" + t, 0, partitions, 0, free), AccessPattern.tile("in" + t, 0, partitions, 0, free), 1f, 0f));
            b.signal(Engine.SCALAR, "computed");
            b.waitFor(Engine.dma(1), "computed", t + 1);
            InstructionRef store = b.dma(1, AccessPattern.dram("y", (long) t * partitions * free, Dim.of(partitions, free), Dim.of(free, 1)),
                    AccessPattern.tile("out" + t, 0, partitions, 0, free));
            b.signal(Engine.dma(1), "stored");
            b.live("in" + t, load, act);
            b.live("out" + t, act, store);
            stages.put("tile" + t, new InstructionRef[] {load, act, store});
        }
        return new Pipeline(b.build(), stages);
    }

    private static ExecutionReport.TimelineEntry at(ExecutionReport r, InstructionRef ref) {
        return r.timeline().stream().filter(e -> e.engine().equals(ref.engine()) && e.index() == ref.index())
                .findFirst().orElseThrow();
    }

    @Property(tries = 40)
    void correctPipelinesRunAndKeepTheirInvariants(@ForAll @IntRange(min = 1, max = 8) int tiles,
            @ForAll @IntRange(min = 1, max = 3) int slots, @ForAll @IntRange(min = 0, max = 2) int width,
            @ForAll @IntRange(min = 1, max = 3000) int free, @ForAll StorageDtype dtype, @ForAll @LongRange(max = 1000) long seed) {
        int partitions = 32 << width;
        Pipeline p = pipeline(tiles, slots, partitions, free, dtype, true);
        Map<String, float[]> data = Emulator.seededData(p.program(), seed);
        ExecutionReport r = Emulator.run(p.program(), INF2, Emulator.Options.functional(data));

        // Occupancy never exceeds the capacity, nor the slots the program uses; in and out tiles overlap.
        long tileBytes = (long) partitions * free * dtype.bytes();
        assertThat(r.sbuf().peakBytes()).isLessThanOrEqualTo(r.sbuf().capacityBytes())
                .isLessThanOrEqualTo(2L * slots * tileBytes).isGreaterThanOrEqualTo(2 * tileBytes);

        // A consumer never starts before its producer ends.
        for (InstructionRef[] s : p.stages().values()) {
            assertThat(at(r, s[1]).startNs()).isGreaterThanOrEqualTo(at(r, s[0]).endNs());
            assertThat(at(r, s[2]).startNs()).isGreaterThanOrEqualTo(at(r, s[1]).endNs());
        }

        // No two allocations sharing bytes are live at overlapping times (live: first use start to last use end).
        List<Allocation> all = p.program().allocations();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Allocation a = all.get(i);
                Allocation c = all.get(j);
                if (a.overlaps(c)) {
                    boolean apart = at(r, a.lastUse()).endNs() <= at(r, c.firstUse()).startNs()
                            || at(r, c.lastUse()).endNs() <= at(r, a.firstUse()).startNs();
                    assertThat(apart).as(a.name() + " and " + c.name()).isTrue();
                }
            }
        }

        // And the values: y = relu(x), in the storage dtype.
        float[] x = data.get("x");
        float[] y = r.outputs().get("y");
        for (int i = 0; i < x.length; i++) {
            assertThat(y[i]).isEqualTo(dtype.round(Math.max(x[i], 0f)));
        }
    }

    @Property(tries = 40)
    void reusingASlotBeforeItsReaderFinishedIsRejected(@ForAll @IntRange(min = 2, max = 8) int tiles,
            @ForAll @IntRange(min = 1, max = 3) int slots, @ForAll @IntRange(min = 1, max = 600) int free) {
        Assume.that(tiles > slots);
        Pipeline p = pipeline(tiles, slots, 128, free, StorageDtype.FP32, false);
        assertThatThrownBy(() -> Emulator.run(p.program(), INF2, Emulator.Options.timingOnly()))
                .isInstanceOfSatisfying(MachineCheckException.class, e -> assertThat(e.kind()).isIn(
                        MachineCheckException.Kind.LIFETIME, MachineCheckException.Kind.RACE))
                .hasMessageContaining("'in");
    }

    @Property(tries = 200)
    void unionOfBoxesCoversExactlyWhatWasAdded(@ForAll @IntRange(max = 6) int a0, @ForAll @IntRange(min = 1, max = 6) int a1,
            @ForAll @IntRange(max = 6) int b0, @ForAll @IntRange(min = 1, max = 6) int b1, @ForAll @IntRange(max = 6) int q0,
            @ForAll @IntRange(min = 1, max = 6) int q1) {
        // Boxes over a 12 x 12 grid: [a0, a0 + a1) x [b0, b0 + b1) etc.; membership checked cell by cell.
        Box first = new Box(a0, a0 + a1, b0, b0 + b1);
        Box second = new Box(b0, b0 + q1, a0, a0 + q0 + 1);
        Box query = new Box(q0, q0 + q1, a0, a0 + b1);
        Box cut = new Box(a0, a0 + q1, q0, q0 + a1);
        RegionSets sets = new RegionSets(new int[] {RegionSets.NONE, RegionSets.NONE}, 1, 0);
        for (Box b : List.of(first, second)) {
            sets.add(1, b.p0(), b.p1(), b.lo(), b.hi());
        }
        boolean covered = true;
        boolean coveredAfterCut = true;
        boolean overlapsAfterCut = false;
        for (int p = query.p0(); p < query.p1(); p++) {
            for (long e = query.lo(); e < query.hi(); e++) {
                boolean in = inside(first, p, e) || inside(second, p, e);
                covered &= in;
                coveredAfterCut &= in && !inside(cut, p, e);
                overlapsAfterCut |= in && !inside(cut, p, e);
            }
        }
        assertThat(sets.covers(1, query.p0(), query.p1(), query.lo(), query.hi())).isEqualTo(covered);
        assertThat(sets.isEmpty(0)).isTrue();
        sets.cut(1, cut.p0(), cut.p1(), cut.lo(), cut.hi());
        assertThat(sets.covers(1, query.p0(), query.p1(), query.lo(), query.hi())).isEqualTo(coveredAfterCut);
        assertThat(sets.overlaps(1, query.p0(), query.p1(), query.lo(), query.hi())).isEqualTo(overlapsAfterCut);
    }

    private static boolean inside(Box b, int p, long e) {
        return b.p0() <= p && p < b.p1() && b.lo() <= e && e < b.hi();
    }
}
