package dev.tessera.emulator;

import static dev.tessera.emulator.Programs.INF1;
import static dev.tessera.emulator.Programs.INF2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Dim;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.InvalidProgramException;
import dev.tessera.emulator.program.MachineProgram;
import dev.tessera.emulator.program.Ops;
import dev.tessera.emulator.program.ProgramText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The flat emulator ({@link Emulator#run}), in one call and on a {@link PreparedProgram} prepared once
 * and run in several modes, against the object-per-instruction one it replaced
 * ({@link ReferenceEmulatorRun}): on the example programs, on generated pipelines, and on random
 * programs — well-formed or not — all must give the same report (every field, the timeline and
 * the output values bit for bit) or fail the same check with the same message and instructions.
 */
class FlatRunEquivalenceProperties {
    private static final List<String> EXAMPLES = List.of("relu", "tiled_matmul", "conv3x3", "pooling", "softmax");

    @Example
    void examplesGiveTheSameReports() {
        for (String name : EXAMPLES) {
            MachineProgram p = Programs.example(name);
            for (AcceleratorSpec spec : List.of(INF1, INF2)) {
                Prepared prepared = Prepared.of(p, spec);
                sameOutcome(p, spec, Emulator.Options.timingOnly(), prepared);
                sameOutcome(p, spec, Emulator.Options.functionalSeeded(p, 7), prepared);
                sameOutcome(p, spec, Emulator.Options.timingOnly(), prepared);
            }
        }
    }

    @Property(tries = 20)
    void pipelinesGiveTheSameReports(@ForAll @IntRange(min = 1, max = 24) int tiles, @ForAll @IntRange(min = 1, max = 4) int slots,
            @ForAll @IntRange(min = 1, max = 300) int free, @ForAll boolean reuseWait) {
        MachineProgram p = InvariantProperties.pipeline(tiles, slots, 64, free, StorageDtype.BF16, reuseWait).program();
        Prepared prepared = Prepared.of(p, INF2);
        Statistics.label("outcome").collect(sameOutcome(p, INF2, Emulator.Options.functionalSeeded(p, tiles), prepared));
        sameOutcome(p, INF2, Emulator.Options.timingOnly(), prepared);
    }

    @Property(tries = 300)
    void randomProgramsGiveTheSameOutcome(@ForAll long seed) {
        MachineProgram p = RandomProgram.buildOrNull(seed);
        Assume.that(p != null);
        Statistics.label("outcome").collect(sameOutcomeInEveryMode(p, seed));
    }

    /**
     * Functional on inferentia2, timing only on both profiles, each both in one call and on a prepared
     * program that is prepared once per profile and run in every mode; returns the functional outcome.
     */
    static String sameOutcomeInEveryMode(MachineProgram p, long seed) {
        Prepared inf2 = Prepared.of(p, INF2);
        String outcome = sameOutcome(p, INF2, Emulator.Options.functionalSeeded(p, seed), inf2);
        sameOutcome(p, INF2, Emulator.Options.timingOnly(), inf2);
        sameOutcome(p, INF1, Emulator.Options.timingOnly(), Prepared.of(p, INF1));
        return outcome;
    }

    /** A program prepared once for a spec, or the check failure preparing it gave (thrown again by every run). */
    private record Prepared(PreparedProgram program, MachineCheckException failure) {
        static Prepared of(MachineProgram p, AcceleratorSpec spec) {
            try {
                return new Prepared(Emulator.prepare(p, spec), null);
            } catch (MachineCheckException e) {
                return new Prepared(null, e);
            }
        }

        ExecutionReport run(Emulator.Options options) {
            if (failure != null) {
                throw failure;
            }
            return Emulator.run(program, options);
        }
    }

    /**
     * Runs the reference, the one-call emulator and the prepared program and compares; returns
     * "report" or the kind of check that failed, for statistics.
     */
    private static String sameOutcome(MachineProgram p, AcceleratorSpec spec, Emulator.Options options, Prepared prepared) {
        ExecutionReport expected;
        try {
            expected = ReferenceEmulatorRun.run(p, spec, options);
        } catch (MachineCheckException e) {
            sameFailure(p, e, () -> Emulator.run(p, spec, options));
            sameFailure(p, e, () -> prepared.run(options));
            return e.kind().name();
        }
        sameReport(p, expected, Emulator.run(p, spec, options));
        sameReport(p, expected, prepared.run(options));
        return "report";
    }

    private static void sameFailure(MachineProgram p, MachineCheckException e, ThrowingCallable run) {
        org.assertj.core.api.Assertions.assertThatThrownBy(run)
                .as(ProgramText.print(p))
                .isInstanceOfSatisfying(MachineCheckException.class, f -> {
                    assertThat(f.kind()).isEqualTo(e.kind());
                    assertThat(f.getMessage()).isEqualTo(e.getMessage());
                    assertThat(f.instructions()).isEqualTo(e.instructions());
                });
    }

    private static void sameReport(MachineProgram p, ExecutionReport expected, ExecutionReport actual) {
        String context = ProgramText.print(p);
        assertThat(actual.program()).isEqualTo(expected.program());
        assertThat(actual.spec()).isEqualTo(expected.spec());
        assertThat(actual.functional()).isEqualTo(expected.functional());
        assertThat(actual.referenceClock()).isEqualTo(expected.referenceClock());
        assertThat(actual.totalNs()).as(context).isEqualTo(expected.totalNs());
        assertThat(actual.engines()).as(context).isEqualTo(expected.engines());
        assertThat(actual.dma()).as(context).isEqualTo(expected.dma());
        assertThat(actual.offChipCopies()).as(context).isEqualTo(expected.offChipCopies());
        assertThat(actual.onChipCopies()).as(context).isEqualTo(expected.onChipCopies());
        assertThat(actual.psumEvictions()).as(context).isEqualTo(expected.psumEvictions());
        assertThat(actual.macs()).as(context).isEqualTo(expected.macs());
        assertThat(actual.sbuf()).as(context).isEqualTo(expected.sbuf());
        assertThat(actual.psum()).as(context).isEqualTo(expected.psum());
        assertThat(actual.timeline()).as(context).isEqualTo(expected.timeline());
        assertThat(actual.outputs().keySet()).containsExactlyElementsOf(expected.outputs().keySet());
        for (Map.Entry<String, float[]> o : expected.outputs().entrySet()) {
            assertThat(Arrays.equals(actual.outputs().get(o.getKey()), o.getValue())).as(context + o.getKey()).isTrue();
        }
        assertThat(actual.toJson(true)).isEqualTo(expected.toJson(true));
    }

    /**
     * A random program over small buffers: DRAM tensors x, w (given) and y, z; SBUF tiles and PSUM
     * tiles at random places (some sharing bytes); streams dma0, dma1, tensor, vector, scalar with
     * random instructions of every kind, operands mostly inside their buffers and of matching sizes,
     * and semaphores that order most stages and leave some unordered, so that reports, races,
     * lifetime errors, uninitialised reads, deadlocks and limit errors all occur.
     */
    static final class RandomProgram {
        private static final int ELEMENTS = 64;
        private final SplittableRandom r;
        private final MachineProgram.Builder b = MachineProgram.builder("random");
        private final List<Tile> tiles = new ArrayList<>();
        private final Map<String, List<InstructionRef>> uses = new LinkedHashMap<>();
        private final List<InstructionRef> all = new ArrayList<>();
        private final Map<String, Integer> signals = new LinkedHashMap<>();
        private final Map<String, Engine> signaller = new LinkedHashMap<>();

        /** Whether this program gets faults: unordered stages, operands off their tiles, odd lifetimes. */
        private final boolean faulty;

        private record Tile(String name, boolean psum, int partitionStart, int partitions, int free) {}

        RandomProgram(SplittableRandom r) {
            this.r = r;
            this.faulty = r.nextInt(3) == 0;
        }

        /** A fault with probability 1/n, in a faulty program only. */
        private boolean fault(int n) {
            return faulty && r.nextInt(n) == 0;
        }

        /** The program of this seed, or null when the builder rejects it (a malformed program is not the emulator's to run). */
        static MachineProgram buildOrNull(long seed) {
            try {
                return new RandomProgram(new SplittableRandom(seed)).build();
            } catch (InvalidProgramException e) {
                return null;
            }
        }

        MachineProgram build() {
            b.dram("x", StorageDtype.FP32, DramTensor.Role.INPUT, 128, ELEMENTS);
            b.dram("w", StorageDtype.FP32, DramTensor.Role.WEIGHT, 128, ELEMENTS);
            b.dram("y", StorageDtype.FP32, DramTensor.Role.OUTPUT, 128, ELEMENTS);
            b.dram("z", StorageDtype.FP32, DramTensor.Role.SCRATCH, 128, ELEMENTS);
            int sbufTiles = 2 + r.nextInt(5);
            for (int t = 0; t < sbufTiles; t++) {
                int partitions = r.nextBoolean() ? 32 : 64;
                int start = partitions == 64 ? 64 * r.nextInt(2) : 32 * r.nextInt(4);
                int free = 8 + r.nextInt(ELEMENTS - 8);
                // Each tile its own bytes, but now and then on another tile's: allocations sharing bytes.
                long offset = 256L * (r.nextInt(6) == 0 ? r.nextInt(t + 1) : t);
                tiles.add(new Tile("s" + t, false, start, partitions, free));
                b.sbuf("s" + t, StorageDtype.FP32, start, offset, partitions, free);
            }
            int psumTiles = 1 + r.nextInt(3);
            for (int t = 0; t < psumTiles; t++) {
                int partitions = r.nextBoolean() ? 32 : 64;
                int free = 16 + r.nextInt(48);
                tiles.add(new Tile("p" + t, true, 0, partitions, free));
                b.psum("p" + t, 0, 2048L * r.nextInt(2), partitions, free);
            }
            List<Engine> engines = List.of(Engine.dma(0), Engine.dma(1), Engine.TENSOR, Engine.VECTOR, Engine.SCALAR);
            for (Engine e : engines) {
                b.semaphore("after_" + e.text());
                signals.put("after_" + e.text(), 0);
                signaller.put("after_" + e.text(), e);
            }
            if (!fault(3)) {
                prologue(engines);
            }
            int stages = 6 + r.nextInt(30);
            Engine previous = null;
            for (int k = 0; k < stages; k++) {
                Engine engine = engines.get(r.nextInt(engines.size()));
                if (previous != null && !previous.equals(engine) && !fault(4)) {
                    order(previous, engine);
                }
                instruction(engine);
                previous = engine;
            }
            for (Tile t : tiles) {
                List<InstructionRef> used = uses.getOrDefault(t.name(), List.of());
                InstructionRef first = used.isEmpty() ? all.get(0) : used.get(0);
                InstructionRef last = used.isEmpty() ? all.get(0) : used.get(used.size() - 1);
                if (fault(12)) {
                    first = all.get(r.nextInt(all.size()));
                }
                if (fault(12)) {
                    last = all.get(r.nextInt(all.size()));
                }
                b.live(t.name(), first, last);
            }
            return b.build();
        }

        /** Loads every SBUF tile (dma0) and clears every PSUM tile (vector) before any other engine starts. */
        private void prologue(List<Engine> engines) {
            b.semaphore("loaded");
            b.semaphore("cleared");
            for (Tile t : tiles) {
                if (!t.psum()) {
                    AccessPattern tile = AccessPattern.tile(t.name(), t.partitionStart(), t.partitions(), 0, t.free());
                    use(t, b.dma(0, tile, AccessPattern.dram("x", 0, Dim.of(t.partitions(), ELEMENTS), Dim.of(t.free(), 1))));
                }
            }
            all.add(b.signal(Engine.dma(0), "loaded"));
            all.add(b.waitFor(Engine.VECTOR, "loaded", 1));
            for (Tile t : tiles) {
                if (t.psum()) {
                    use(t, b.add(Engine.VECTOR, new Instruction.Memset(AccessPattern.tile(t.name(), 0, t.partitions(), 0, t.free()), 0f)));
                }
            }
            all.add(b.signal(Engine.VECTOR, "cleared"));
            for (Engine e : engines) {
                if (!e.equals(Engine.VECTOR) && !e.equals(Engine.dma(0))) {
                    all.add(b.waitFor(e, "cleared", 1));
                }
            }
        }

        private void use(Tile t, InstructionRef ref) {
            all.add(ref);
            uses.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(ref);
        }

        /** A signal on a semaphore {@code from} may signal, waited for by {@code to} (sometimes one count too far). */
        private void order(Engine from, Engine to) {
            for (Map.Entry<String, Engine> s : signaller.entrySet()) {
                if (s.getValue().equals(from)) {
                    all.add(b.signal(from, s.getKey()));
                    int n = signals.merge(s.getKey(), 1, Integer::sum);
                    all.add(b.waitFor(to, s.getKey(), fault(40) ? n + 1 : n));
                    return;
                }
            }
        }

        private void instruction(Engine engine) {
            InstructionRef ref;
            List<Tile> touched = new ArrayList<>();
            switch (engine.kind()) {
                case DMA -> {
                    Tile t = sbuf();
                    touched.add(t);
                    AccessPattern tile = pattern(t, t.partitions(), t.free());
                    int p = tile.partitions();
                    int f = (int) tile.elementsPerPartition();
                    String tensor = List.of("x", "w", "y", "z").get(r.nextInt(4));
                    AccessPattern dram = AccessPattern.dram(tensor, r.nextInt(4) * ELEMENTS, Dim.of(p, ELEMENTS), Dim.of(f, 1));
                    boolean load = tensor.equals("x") || tensor.equals("w") ? !fault(3) : fault(3);
                    ref = load ? b.dma(engine.queue(), tile, dram) : b.dma(engine.queue(), dram, tile);
                }
                case TENSOR -> {
                    Tile acc = psum();
                    Tile stat = sbuf();
                    // The contraction runs over the same partitions of both inputs.
                    List<Tile> aligned = tiles.stream().filter(t -> !t.psum() && t.partitionStart() == stat.partitionStart()).toList();
                    Tile mov = aligned.get(r.nextInt(aligned.size()));
                    touched.addAll(List.of(acc, stat, mov));
                    int k = Math.min(stat.partitions(), mov.partitions());
                    int m = Math.min(acc.partitions(), stat.free());
                    int n = Math.min(acc.free(), mov.free());
                    AccessPattern s = AccessPattern.tile(stat.name(), stat.partitionStart(), k, 0, m);
                    AccessPattern v = AccessPattern.tile(mov.name(), mov.partitionStart(), k, 0, n);
                    AccessPattern d = AccessPattern.tile(acc.name(), 0, m, 0, n);
                    ref = b.matmul(d, s, v, r.nextInt(3) == 0);
                }
                default -> {
                    Tile dst = r.nextInt(8) == 0 ? psum() : sbuf();
                    Tile src = r.nextInt(3) == 0 ? psum() : sbuf();
                    touched.add(src);
                    touched.add(dst);
                    int p = Math.min(dst.partitions(), src.partitions());
                    int f = 1 + r.nextInt(Math.min(dst.free(), src.free()));
                    AccessPattern d = pattern(dst, p, f);
                    AccessPattern s = pattern(src, p, f);
                    ref = b.add(engine, computation(engine, d, s, src, dst, p, f));
                }
            }
            all.add(ref);
            for (Tile t : touched) {
                uses.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(ref);
            }
        }

        private Instruction computation(Engine engine, AccessPattern d, AccessPattern s, Tile src, Tile dst, int p, int f) {
            int choice = r.nextInt(engine.equals(Engine.VECTOR) ? 6 : 3);
            if (engine.equals(Engine.SCALAR)) {
                return switch (choice) {
                    case 0 -> new Instruction.Copy(d, s);
                    case 1 -> new Instruction.Memset(d, 0.5f);
                    default -> new Instruction.Activation(r.nextBoolean() ? Ops.Activation.IDENTITY : Ops.Activation.RELU, d, s,
                            r.nextBoolean() ? 1f : 0.5f, 0f);
                };
            }
            return switch (choice) {
                case 0 -> new Instruction.Copy(d, s);
                case 1 -> new Instruction.Memset(d, 2f);
                case 2 -> new Instruction.Binary(Ops.Binary.ADD, d, s, s);
                case 3 -> new Instruction.Unary(Ops.Unary.ABS, d, s);
                case 4 -> new Instruction.Reduce(Ops.Reduce.MAX, AccessPattern.tile(dst.name(), d.partitionStart(), p, 0, 1),
                        AccessPattern.onChip(src.name(), s.partitionStart(), p, 0, Dim.of(1, f), Dim.of(f, 1)), 1);
                default -> new Instruction.Binary(Ops.Binary.MUL, d, s, AccessPattern.onChip(src.name(), s.partitionStart(), p, 0,
                        Dim.of(f, 0)));
            };
        }

        private Tile sbuf() {
            List<Tile> s = tiles.stream().filter(t -> !t.psum()).toList();
            return s.get(r.nextInt(s.size()));
        }

        private Tile psum() {
            List<Tile> s = tiles.stream().filter(Tile::psum).toList();
            return s.get(r.nextInt(s.size()));
        }

        /** A pattern of p partitions × f elements on tile t, usually inside it and on allowed partitions. */
        private AccessPattern pattern(Tile t, int p, int f) {
            int start = t.partitionStart() + (p == 32 && t.partitions() == 64 && r.nextBoolean() ? 32 : 0);
            if (fault(60)) {
                start += 1;
            }
            long offset = r.nextInt(1 + t.free() - Math.min(f, t.free()));
            if (fault(60)) {
                offset += t.free();
            }
            return AccessPattern.tile(t.name(), start, p, offset, f);
        }
    }
}
