package dev.tessera.emulator;

import dev.tessera.emulator.MachineCheckException.Kind;
import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Allocation;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.MachineProgram;
import dev.tessera.emulator.program.Stream;
import java.util.List;
import java.util.Map;

/**
 * Part of the reference emulator the tests compare the flat one against ({@link ReferenceEmulatorRun}).
 *
 * Checks every instruction against the spec before anything runs (bounds, partition rules, tile
 * limits, operand sizes, DMA queues) and prepares it: resolved operands, cost in ns, what it counts
 * as. The cost model is the one {@link AcceleratorSpec} documents.
 */
final class ReferenceStepPlanner {
    private final MachineProgram program;
    private final AcceleratorSpec spec;
    private final Map<String, ReferenceBufferState> buffers;
    private final Map<String, Integer> semaphores;
    /** {@code startAllowed[n][p]}: may an engine access of n partitions start at partition p. */
    private final boolean[][] startAllowed;

    ReferenceStepPlanner(MachineProgram program, AcceleratorSpec spec, Map<String, ReferenceBufferState> buffers, Map<String, Integer> semaphores) {
        this.program = program;
        this.spec = spec;
        this.buffers = buffers;
        this.semaphores = semaphores;
        this.startAllowed = new boolean[spec.partitions() + 1][spec.partitions()];
        for (int n = 1; n <= spec.partitions(); n++) {
            for (int start : spec.allowedPartitionStarts(n)) {
                startAllowed[n][start] = true;
            }
        }
    }

    /** Names an instruction in messages; the text is built only when a check fails. */
    private record Where(Instruction instruction, InstructionRef ref) {
        @Override
        public String toString() {
            return ref.text() + " (" + instruction.text() + ")";
        }
    }

    static MachineCheckException fail(Kind kind, String message, InstructionRef... refs) {
        return new MachineCheckException(kind, message, List.of(refs));
    }

    void checkBuffers() {
        for (DramTensor t : program.dramTensors()) {
            if (t.end() > spec.dramBytes()) {
                throw fail(Kind.OUT_OF_BOUNDS, "DRAM tensor '" + t.name() + "' ends at byte " + t.end() + ", past the "
                        + spec.dramBytes() + " bytes of DRAM of " + spec.name());
            }
        }
        for (Allocation a : program.allocations()) {
            boolean sbuf = a.space() == Allocation.Space.SBUF;
            long perPartition = sbuf ? spec.sbufBytesPerPartition() : spec.psumBytesPerPartition();
            if (a.partitionStart() + a.partitions() > spec.partitions()) {
                throw fail(Kind.OUT_OF_BOUNDS, "allocation '" + a.name() + "' spans partitions " + a.partitionStart() + ".."
                        + (a.partitionStart() + a.partitions() - 1) + ", but " + spec.name() + " has " + spec.partitions());
            }
            if (a.byteOffset() + a.bytesPerPartition() > perPartition) {
                throw fail(Kind.OUT_OF_BOUNDS, "allocation '" + a.name() + "' spans bytes " + a.byteOffset() + ".."
                        + (a.byteOffset() + a.bytesPerPartition() - 1) + " of each partition, but a " + a.space()
                        + " partition of " + spec.name() + " has " + perPartition + " bytes");
            }
        }
    }

    /** The steps of {@code stream}, the {@code streamIndex}-th stream of the run. */
    ReferenceStep[] plan(Stream stream, int streamIndex) {
        Engine engine = stream.engine();
        if (engine.kind() == Engine.Kind.DMA && engine.queue() >= spec.dmaQueues()) {
            throw fail(Kind.LIMIT, "the program uses DMA queue " + engine + ", but " + spec.name() + " has "
                    + spec.dmaQueues() + " (dma0..dma" + (spec.dmaQueues() - 1) + ")", new InstructionRef(engine, 0));
        }
        List<Instruction> code = stream.instructions();
        ReferenceStep[] steps = new ReferenceStep[code.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = plan(code.get(i), new InstructionRef(engine, i), streamIndex);
        }
        return steps;
    }

    private ReferenceStep plan(Instruction ins, InstructionRef ref, int stream) {
        Where where = new Where(ins, ref);
        if (ins instanceof Instruction.Wait w) {
            return new ReferenceStep(ReferenceStep.Kind.WAIT, ins, ref.engine(), stream, ref.index(), ReferenceStep.NO_OPERANDS, null, 0,
                    semaphores.get(w.semaphore()), w.count(), null, 0, 0);
        }
        if (ins instanceof Instruction.Signal s) {
            return new ReferenceStep(ReferenceStep.Kind.SIGNAL, ins, ref.engine(), stream, ref.index(), ReferenceStep.NO_OPERANDS, null, 0,
                    semaphores.get(s.semaphore()), 0, null, 0, 0);
        }
        boolean engineAccess = ref.engine().kind() != Engine.Kind.DMA;
        List<AccessPattern> readPatterns = ins.reads();
        ReferenceStep.Operand[] reads = new ReferenceStep.Operand[readPatterns.size()];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = operand(readPatterns.get(i), engineAccess, where, ref);
        }
        ReferenceStep.Operand write = operand(ins.writes().get(0), engineAccess, where, ref);
        AccessPattern dst = write.pattern();
        long writeBytes = dst.elements() * program.dtypeOf(dst).bytes();

        if (ins instanceof Instruction.Dma d) {
            sameElements(dst, d.src(), where, ref);
            boolean fromDram = reads[0].buffer().tensor != null;
            boolean toDram = write.buffer().tensor != null;
            ExecutionReport.Direction direction = fromDram
                    ? (toDram ? ExecutionReport.Direction.DRAM_TO_DRAM : ExecutionReport.Direction.DRAM_TO_SBUF)
                    : (toDram ? ExecutionReport.Direction.SBUF_TO_DRAM : ExecutionReport.Direction.SBUF_TO_SBUF);
            double ns = spec.dma().fixedNs() + writeBytes / spec.dma().bytesPerNs();
            return new ReferenceStep(ReferenceStep.Kind.DMA, ins, ref.engine(), stream, ref.index(), reads, write, ns, -1, 0, direction, writeBytes, 0);
        }
        if (ins instanceof Instruction.Matmul m) {
            return matmul(m, ins, ref, stream, where, reads, write, writeBytes);
        }
        AccessPattern src;
        ReferenceStep.Kind kind;
        long streamed = dst.elementsPerPartition();
        if (ins instanceof Instruction.Binary b) {
            sameShape(dst, b.a(), where, ref);
            sameShape(dst, b.b(), where, ref);
            kind = ReferenceStep.Kind.BINARY;
        } else if (ins instanceof Instruction.Unary u) {
            sameShape(dst, u.src(), where, ref);
            kind = ReferenceStep.Kind.UNARY;
        } else if (ins instanceof Instruction.Copy c) {
            sameShape(dst, c.src(), where, ref);
            kind = ReferenceStep.Kind.COPY;
        } else if (ins instanceof Instruction.Activation a) {
            sameShape(dst, a.src(), where, ref);
            kind = ReferenceStep.Kind.ACTIVATION;
        } else if (ins instanceof Instruction.Reduce r) {
            src = r.src();
            long block = 1;
            List<dev.tessera.emulator.program.Dim> dims = src.dims();
            for (int i = dims.size() - r.axes(); i < dims.size(); i++) {
                block *= dims.get(i).count();
            }
            if (src.partitions() != dst.partitions() || src.elementsPerPartition() / block != dst.elementsPerPartition()) {
                throw fail(Kind.LIMIT, where + ": reducing blocks of " + block + " elements of " + src.partitions() + " x "
                        + src.elementsPerPartition() + " gives " + src.partitions() + " x " + (src.elementsPerPartition() / block)
                        + ", but the destination is " + dst.partitions() + " x " + dst.elementsPerPartition(), ref);
            }
            streamed = src.elementsPerPartition();
            kind = ReferenceStep.Kind.REDUCE;
        } else {
            kind = ReferenceStep.Kind.MEMSET;
        }
        AcceleratorSpec.StreamEngine e = ref.engine().kind() == Engine.Kind.VECTOR ? spec.vectorEngine() : spec.scalarEngine();
        long passes = (dst.partitions() + e.lanes() - 1) / e.lanes();
        long cycles = e.fixedCycles() + passes * ((streamed + e.elementsPerLanePerCycle() - 1) / e.elementsPerLanePerCycle());
        return new ReferenceStep(kind, ins, ref.engine(), stream, ref.index(), reads, write, cycles / e.clockGhz(), -1, 0, null, writeBytes, 0);
    }

    private ReferenceStep matmul(Instruction.Matmul m, Instruction ins, InstructionRef ref, int stream, Where where, ReferenceStep.Operand[] reads,
            ReferenceStep.Operand write, long writeBytes) {
        AccessPattern stat = m.stationary();
        AccessPattern mov = m.moving();
        AccessPattern dst = m.dst();
        int k = stat.partitions();
        long mSize = stat.elementsPerPartition();
        long n = mov.elementsPerPartition();
        if (mov.partitionStart() != stat.partitionStart() || mov.partitions() != k) {
            throw fail(Kind.LIMIT, where + ": the stationary and moving operands must lie on the same partitions (the contraction), got "
                    + stat.partitionStart() + ":" + (stat.partitionStart() + k) + " and " + mov.partitionStart() + ":"
                    + (mov.partitionStart() + mov.partitions()), ref);
        }
        if (k > spec.maxContraction()) {
            throw fail(Kind.LIMIT, where + ": contraction K = " + k + " exceeds max_contraction " + spec.maxContraction(), ref);
        }
        if (mSize > spec.maxStationaryFree()) {
            throw fail(Kind.LIMIT, where + ": stationary free size M = " + mSize + " exceeds max_stationary_free "
                    + spec.maxStationaryFree(), ref);
        }
        if (n > spec.maxMovingFree()) {
            throw fail(Kind.LIMIT, where + ": moving free size N = " + n + " exceeds max_moving_free " + spec.maxMovingFree(), ref);
        }
        if (dst.partitions() != mSize || dst.elementsPerPartition() != n) {
            throw fail(Kind.LIMIT, where + ": the result is M x N = " + mSize + " x " + n + ", but the destination is "
                    + dst.partitions() + " x " + dst.elementsPerPartition(), ref);
        }
        Allocation psum = write.buffer().allocation;
        int bank = spec.psumBankBytes();
        long first = psum.byteOffset() + dst.minIndex() * 4;
        long last = psum.byteOffset() + dst.maxIndex() * 4 + 3;
        if (first / bank != last / bank) {
            throw fail(Kind.LIMIT, where + ": the result spans PSUM bytes " + first + ".." + last + " of each partition, across banks "
                    + first / bank + " and " + last / bank + " (a bank is " + bank + " bytes)", ref);
        }
        boolean fp32 = program.dtypeOf(stat) == StorageDtype.FP32 || program.dtypeOf(mov) == StorageDtype.FP32;
        AcceleratorSpec.TensorEngine t = spec.tensorEngine();
        long cycles = t.fixedCycles() + Math.max(n, t.minCyclesPerMatmul()) * (fp32 ? t.fp32CostFactor() : 1);
        return new ReferenceStep(ReferenceStep.Kind.MATMUL, ins, ref.engine(), stream, ref.index(), reads, write, cycles / t.clockGhz(), -1, 0, null,
                writeBytes, (long) k * mSize * n);
    }

    /**
     * The operand of {@code ap}. A pattern equal to the one last resolved on the same buffer shares its
     * operand: the checks that depend only on the pattern ran when it was resolved; the partition
     * rule, which depends on who accesses it, runs on every use by an engine. A program that reuses a
     * tile over several instructions (load, matmuls, eviction, store) so keeps one operand per tile
     * rather than one per instruction.
     */
    private ReferenceStep.Operand operand(AccessPattern ap, boolean engineAccess, Where where, InstructionRef ref) {
        ReferenceBufferState b = buffers.get(ap.buffer());
        ReferenceStep.Operand known = b.lastOperand;
        if (known != null && known.pattern().equals(ap)) {
            if (engineAccess && b.allocation != null) {
                checkPartitionRule(ap, where, ref);
            }
            return known;
        }
        known = resolve(b, ap, engineAccess, where, ref);
        b.lastOperand = known;
        return known;
    }

    private ReferenceStep.Operand resolve(ReferenceBufferState b, AccessPattern ap, boolean engineAccess, Where where, InstructionRef ref) {
        int dims = ap.dims().size();
        int maxDims = ap.partitioned() ? spec.maxFreeDims() : spec.maxDramDims();
        if (dims > maxDims) {
            throw fail(Kind.LIMIT, where + ": operand " + ap.text() + " has " + dims + " dimensions; " + spec.name()
                    + " allows " + maxDims, ref);
        }
        int p0 = 0;
        if (b.allocation != null) {
            Allocation a = b.allocation;
            p0 = ap.partitionStart() - a.partitionStart();
            if (p0 < 0 || p0 + ap.partitions() > a.partitions()) {
                throw fail(Kind.OUT_OF_BOUNDS, where + ": operand " + ap.text() + " uses partitions " + ap.partitionStart() + ".."
                        + (ap.partitionStart() + ap.partitions() - 1) + ", outside allocation '" + a.name() + "' (partitions "
                        + a.partitionStart() + ".." + (a.partitionStart() + a.partitions() - 1) + ")", ref);
            }
            if (engineAccess) {
                checkPartitionRule(ap, where, ref);
            }
        }
        if (ap.minIndex() < 0 || ap.maxIndex() >= b.elementsPerPartition) {
            throw fail(Kind.OUT_OF_BOUNDS, where + ": operand " + ap.text() + " touches elements " + ap.minIndex() + ".."
                    + ap.maxIndex() + (b.allocation != null ? " of each partition" : "") + ", outside " + b.describe()
                    + " (" + b.elementsPerPartition + " elements" + (b.allocation != null ? " per partition)" : ")"), ref);
        }
        return new ReferenceStep.Operand(b, ap, new ReferenceBox(p0, p0 + ap.partitions(), ap.minIndex(), ap.maxIndex() + 1));
    }

    private void checkPartitionRule(AccessPattern ap, Where where, InstructionRef ref) {
        int n = ap.partitions();
        boolean allowed = n <= spec.partitions() && ap.partitionStart() < spec.partitions() && startAllowed[n][ap.partitionStart()];
        if (!allowed) {
            throw fail(Kind.PARTITION_RULE, where + ": operand " + ap.text() + " spans " + ap.partitions()
                    + " partitions starting at partition " + ap.partitionStart() + "; " + spec.name() + " allows starts "
                    + spec.allowedPartitionStarts(ap.partitions()) + " for that width", ref);
        }
    }

    private static void sameElements(AccessPattern dst, AccessPattern src, Where where, InstructionRef ref) {
        if (dst.elements() != src.elements()) {
            throw fail(Kind.LIMIT, where + ": the source has " + src.elements() + " elements, the destination "
                    + dst.elements(), ref);
        }
    }

    private static void sameShape(AccessPattern dst, AccessPattern src, Where where, InstructionRef ref) {
        if (dst.partitions() != src.partitions() || dst.elementsPerPartition() != src.elementsPerPartition()) {
            throw fail(Kind.LIMIT, where + ": operand " + src.text() + " is " + src.partitions() + " x "
                    + src.elementsPerPartition() + ", the destination " + dst.partitions() + " x " + dst.elementsPerPartition(), ref);
        }
    }
}
