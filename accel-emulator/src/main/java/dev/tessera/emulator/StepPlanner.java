package dev.tessera.emulator;

import dev.tessera.emulator.MachineCheckException.Kind;
import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Allocation;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.MachineProgram;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every instruction against the spec before anything runs (bounds, partition rules, tile
 * limits, operand sizes, DMA queues) and flattens the program into a {@link FlatProgram}: resolved
 * operands, the cost of each step in ns, what it counts as, the lifetime boundaries. The cost model
 * is the one {@link AcceleratorSpec} documents. Checks run stream by stream, instruction by
 * instruction, operands in order (reads, then the write), so the first failure is deterministic.
 */
final class StepPlanner {
    private final MachineProgram program;
    private final AcceleratorSpec spec;
    private final FlatProgram flat;
    private final Map<String, Integer> bufferIds = new HashMap<>();
    private final Map<String, Integer> semaphoreIds = new HashMap<>();
    /** Per buffer, the operand last resolved on it (shared by the instructions that repeat its pattern), or NONE. */
    private final int[] lastOperand;
    /** {@code startAllowed[n][p]}: may an engine access of n partitions start at partition p. */
    private final boolean[][] startAllowed;

    private StepPlanner(MachineProgram program, AcceleratorSpec spec) {
        this.program = program;
        this.spec = spec;
        this.flat = new FlatProgram(program, Math.toIntExact(program.instructionCount()));
        for (int b = 0; b < flat.buffers; b++) {
            bufferIds.put(flat.bufferName[b], b);
        }
        for (String s : program.semaphores()) {
            semaphoreIds.put(s, semaphoreIds.size());
        }
        this.lastOperand = new int[flat.buffers];
        Arrays.fill(lastOperand, FlatProgram.NONE);
        this.startAllowed = new boolean[spec.partitions() + 1][spec.partitions()];
        for (int n = 1; n <= spec.partitions(); n++) {
            for (int start : spec.allowedPartitionStarts(n)) {
                startAllowed[n][start] = true;
            }
        }
    }

    /** Checks {@code program} against {@code spec} and flattens it. */
    static FlatProgram plan(MachineProgram program, AcceleratorSpec spec) {
        StepPlanner planner = new StepPlanner(program, spec);
        planner.checkBuffers();
        for (int e = 0; e < planner.flat.streams; e++) {
            planner.planStream(e);
        }
        planner.markLifetimes();
        return planner.flat;
    }

    static MachineCheckException fail(Kind kind, String message, InstructionRef... refs) {
        return new MachineCheckException(kind, message, List.of(refs));
    }

    private void checkBuffers() {
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

    private void planStream(int e) {
        Engine engine = flat.engineOf[e];
        if (engine.kind() == Engine.Kind.DMA && engine.queue() >= spec.dmaQueues()) {
            throw fail(Kind.LIMIT, "the program uses DMA queue " + engine + ", but " + spec.name() + " has "
                    + spec.dmaQueues() + " (dma0..dma" + (spec.dmaQueues() - 1) + ")", new InstructionRef(engine, 0));
        }
        boolean engineAccess = engine.kind() != Engine.Kind.DMA;
        List<Instruction> code = flat.code.get(e);
        int base = flat.streamStart[e];
        for (int i = 0; i < code.size(); i++) {
            planStep(code.get(i), engine, i, base + i, engineAccess);
        }
    }

    private void planStep(Instruction ins, Engine engine, int index, int g, boolean engineAccess) {
        flat.boundary[g] = FlatProgram.NONE;
        flat.read0[g] = FlatProgram.NONE;
        flat.read1[g] = FlatProgram.NONE;
        flat.read2[g] = FlatProgram.NONE;
        flat.write[g] = FlatProgram.NONE;
        if (ins instanceof Instruction.Wait w) {
            flat.kind[g] = FlatProgram.WAIT;
            flat.read0[g] = semaphoreIds.get(w.semaphore());
            flat.read1[g] = w.count();
            return;
        }
        if (ins instanceof Instruction.Signal s) {
            int sem = semaphoreIds.get(s.semaphore());
            flat.kind[g] = FlatProgram.SIGNAL;
            flat.read0[g] = sem;
            flat.signals[sem]++;
            return;
        }
        Site at = new Site(ins, engine, index, engineAccess);
        if (ins instanceof Instruction.Dma d) {
            int src = operand(d.src(), at);
            int dst = operand(d.dst(), at);
            sameElements(d.dst(), d.src(), at);
            flat.kind[g] = FlatProgram.DMA;
            flat.read0[g] = src;
            flat.write[g] = dst;
            flat.costNs[g] = spec.dma().fixedNs() + flat.opBytes[dst] / spec.dma().bytesPerNs();
            return;
        }
        if (ins instanceof Instruction.Matmul m) {
            flat.read0[g] = operand(m.stationary(), at);
            flat.read1[g] = operand(m.moving(), at);
            if (m.accumulate()) {
                flat.read2[g] = operand(m.dst(), at);
            }
            flat.write[g] = operand(m.dst(), at);
            flat.kind[g] = FlatProgram.MATMUL;
            flat.costNs[g] = matmulNs(m, flat.write[g], at);
            return;
        }
        AccessPattern dst;
        AccessPattern src;
        byte kind;
        if (ins instanceof Instruction.Binary b) {
            flat.read0[g] = operand(b.a(), at);
            flat.read1[g] = operand(b.b(), at);
            dst = b.dst();
            src = null;
            kind = FlatProgram.BINARY;
        } else if (ins instanceof Instruction.Unary u) {
            flat.read0[g] = operand(u.src(), at);
            dst = u.dst();
            src = u.src();
            kind = FlatProgram.UNARY;
        } else if (ins instanceof Instruction.Copy c) {
            flat.read0[g] = operand(c.src(), at);
            dst = c.dst();
            src = c.src();
            kind = FlatProgram.COPY;
        } else if (ins instanceof Instruction.Activation a) {
            flat.read0[g] = operand(a.src(), at);
            dst = a.dst();
            src = a.src();
            kind = a.isPlainMove() ? FlatProgram.MOVE : FlatProgram.ACTIVATION;
        } else if (ins instanceof Instruction.Reduce r) {
            flat.read0[g] = operand(r.src(), at);
            dst = r.dst();
            src = null;
            kind = FlatProgram.REDUCE;
        } else {
            dst = ((Instruction.Memset) ins).dst();
            src = null;
            kind = FlatProgram.MEMSET;
        }
        flat.write[g] = operand(dst, at);
        long streamed = dst.elementsPerPartition();
        if (kind == FlatProgram.BINARY) {
            Instruction.Binary b = (Instruction.Binary) ins;
            sameShape(dst, b.a(), at);
            sameShape(dst, b.b(), at);
        } else if (kind == FlatProgram.REDUCE) {
            streamed = reduced((Instruction.Reduce) ins, at);
        } else if (src != null) {
            sameShape(dst, src, at);
        }
        flat.kind[g] = kind;
        AcceleratorSpec.StreamEngine e = engine.kind() == Engine.Kind.VECTOR ? spec.vectorEngine() : spec.scalarEngine();
        long passes = (dst.partitions() + e.lanes() - 1) / e.lanes();
        long cycles = e.fixedCycles() + passes * ((streamed + e.elementsPerLanePerCycle() - 1) / e.elementsPerLanePerCycle());
        flat.costNs[g] = cycles / e.clockGhz();
    }

    /** Checks a reduction's shapes; returns the elements per partition it streams (its source's). */
    private long reduced(Instruction.Reduce r, Site at) {
        AccessPattern src = r.src();
        AccessPattern dst = r.dst();
        long block = 1;
        List<dev.tessera.emulator.program.Dim> dims = src.dims();
        for (int i = dims.size() - r.axes(); i < dims.size(); i++) {
            block *= dims.get(i).count();
        }
        if (src.partitions() != dst.partitions() || src.elementsPerPartition() / block != dst.elementsPerPartition()) {
            throw fail(Kind.LIMIT, at + ": reducing blocks of " + block + " elements of " + src.partitions() + " x "
                    + src.elementsPerPartition() + " gives " + src.partitions() + " x " + (src.elementsPerPartition() / block)
                    + ", but the destination is " + dst.partitions() + " x " + dst.elementsPerPartition(), at.ref());
        }
        return src.elementsPerPartition();
    }

    /**
     * Every allocation's first and last use become lifetime boundaries (their ordering clocks are
     * kept during the run), and each last use lists the allocations whose lifetime it ends.
     */
    private void markLifetimes() {
        Map<Engine, Integer> streamOf = new HashMap<>();
        for (int e = 0; e < flat.streams; e++) {
            streamOf.put(flat.engineOf[e], e);
        }
        List<Allocation> allocations = program.allocations();
        for (int a = 0; a < allocations.size(); a++) {
            Allocation al = allocations.get(a);
            flat.firstUseStream[a] = streamOf.get(al.firstUse().engine());
            flat.lastUseStream[a] = streamOf.get(al.lastUse().engine());
            flat.firstUse[a] = flat.streamStart[flat.firstUseStream[a]] + al.firstUse().index();
            flat.lastUse[a] = flat.streamStart[flat.lastUseStream[a]] + al.lastUse().index();
            boundary(flat.firstUse[a]);
            boundary(flat.lastUse[a]);
        }
        flat.firstEnding = new int[flat.boundaries];
        Arrays.fill(flat.firstEnding, FlatProgram.NONE);
        Arrays.fill(flat.nextEnding, FlatProgram.NONE);
        // Chained last to first, so each boundary lists its allocations in declaration order.
        for (int a = allocations.size() - 1; a >= 0; a--) {
            int bd = flat.boundary[flat.lastUse[a]];
            int b = flat.dramTensors + a;
            flat.nextEnding[b] = flat.firstEnding[bd];
            flat.firstEnding[bd] = b;
        }
    }

    private void boundary(int g) {
        if (flat.boundary[g] == FlatProgram.NONE) {
            flat.boundary[g] = flat.boundaries++;
        }
    }

    /** Checks a matmul's tile limits and its PSUM bank; returns its cost. */
    private double matmulNs(Instruction.Matmul m, int dstOperand, Site at) {
        AccessPattern stat = m.stationary();
        AccessPattern mov = m.moving();
        AccessPattern dst = m.dst();
        int k = stat.partitions();
        long mSize = stat.elementsPerPartition();
        long n = mov.elementsPerPartition();
        if (mov.partitionStart() != stat.partitionStart() || mov.partitions() != k) {
            throw fail(Kind.LIMIT, at + ": the stationary and moving operands must lie on the same partitions (the contraction), got "
                    + stat.partitionStart() + ":" + (stat.partitionStart() + k) + " and " + mov.partitionStart() + ":"
                    + (mov.partitionStart() + mov.partitions()), at.ref());
        }
        if (k > spec.maxContraction()) {
            throw fail(Kind.LIMIT, at + ": contraction K = " + k + " exceeds max_contraction " + spec.maxContraction(), at.ref());
        }
        if (mSize > spec.maxStationaryFree()) {
            throw fail(Kind.LIMIT, at + ": stationary free size M = " + mSize + " exceeds max_stationary_free "
                    + spec.maxStationaryFree(), at.ref());
        }
        if (n > spec.maxMovingFree()) {
            throw fail(Kind.LIMIT, at + ": moving free size N = " + n + " exceeds max_moving_free " + spec.maxMovingFree(), at.ref());
        }
        if (dst.partitions() != mSize || dst.elementsPerPartition() != n) {
            throw fail(Kind.LIMIT, at + ": the result is M x N = " + mSize + " x " + n + ", but the destination is "
                    + dst.partitions() + " x " + dst.elementsPerPartition(), at.ref());
        }
        Allocation psum = flat.allocation[flat.opBuffer[dstOperand]];
        int bank = spec.psumBankBytes();
        long first = psum.byteOffset() + dst.minIndex() * 4;
        long last = psum.byteOffset() + dst.maxIndex() * 4 + 3;
        if (first / bank != last / bank) {
            throw fail(Kind.LIMIT, at + ": the result spans PSUM bytes " + first + ".." + last + " of each partition, across banks "
                    + first / bank + " and " + last / bank + " (a bank is " + bank + " bytes)", at.ref());
        }
        boolean fp32 = dtypeOf(stat) == StorageDtype.FP32 || dtypeOf(mov) == StorageDtype.FP32;
        AcceleratorSpec.TensorEngine t = spec.tensorEngine();
        long cycles = t.fixedCycles() + Math.max(n, t.minCyclesPerMatmul()) * (fp32 ? t.fp32CostFactor() : 1);
        return cycles / t.clockGhz();
    }

    private StorageDtype dtypeOf(AccessPattern ap) {
        return flat.dtype[bufferIds.get(ap.buffer())];
    }

    /** The instruction being planned, for messages and for the partition rule (engines only, not DMA). */
    private record Site(Instruction instruction, Engine engine, int index, boolean engineAccess) {
        InstructionRef ref() {
            return new InstructionRef(engine, index);
        }

        @Override
        public String toString() {
            return ref().text() + " (" + instruction.text() + ")";
        }
    }

    /**
     * The operand of {@code ap}. A pattern equal to the one last resolved on the same buffer shares its
     * operand: the checks that depend only on the pattern ran when it was resolved; the partition
     * rule, which depends on who accesses it, runs on every use by an engine. A program that reuses a
     * tile over several instructions (load, matmuls, eviction, store) so keeps one operand per tile
     * rather than one per instruction.
     */
    private int operand(AccessPattern ap, Site at) {
        int b = bufferIds.get(ap.buffer());
        int known = lastOperand[b];
        if (known != FlatProgram.NONE) {
            AccessPattern pattern = flat.opPattern[known];
            if (pattern == ap || pattern.equals(ap)) {
                if (at.engineAccess() && !flat.isDram(b)) {
                    checkPartitionRule(ap, at);
                }
                return known;
            }
        }
        known = resolve(b, ap, at);
        lastOperand[b] = known;
        return known;
    }

    private int resolve(int b, AccessPattern ap, Site at) {
        int dims = ap.dims().size();
        int maxDims = ap.partitioned() ? spec.maxFreeDims() : spec.maxDramDims();
        if (dims > maxDims) {
            throw fail(Kind.LIMIT, at + ": operand " + ap.text() + " has " + dims + " dimensions; " + spec.name()
                    + " allows " + maxDims, at.ref());
        }
        int p0 = 0;
        Allocation a = flat.allocation[b];
        if (a != null) {
            p0 = ap.partitionStart() - a.partitionStart();
            if (p0 < 0 || p0 + ap.partitions() > flat.partitions[b]) {
                throw fail(Kind.OUT_OF_BOUNDS, at + ": operand " + ap.text() + " uses partitions " + ap.partitionStart() + ".."
                        + (ap.partitionStart() + ap.partitions() - 1) + ", outside allocation '" + a.name() + "' (partitions "
                        + a.partitionStart() + ".." + (a.partitionStart() + a.partitions() - 1) + ")", at.ref());
            }
            if (at.engineAccess()) {
                checkPartitionRule(ap, at);
            }
        }
        int elements = flat.elementsPerPartition[b];
        if (ap.minIndex() < 0 || ap.maxIndex() >= elements) {
            throw fail(Kind.OUT_OF_BOUNDS, at + ": operand " + ap.text() + " touches elements " + ap.minIndex() + ".."
                    + ap.maxIndex() + (a != null ? " of each partition" : "") + ", outside " + flat.describe(b)
                    + " (" + elements + " elements" + (a != null ? " per partition)" : ")"), at.ref());
        }
        return flat.addOperand(b, ap, p0);
    }

    private void checkPartitionRule(AccessPattern ap, Site at) {
        int n = ap.partitions();
        boolean allowed = n <= spec.partitions() && ap.partitionStart() < spec.partitions() && startAllowed[n][ap.partitionStart()];
        if (!allowed) {
            throw fail(Kind.PARTITION_RULE, at + ": operand " + ap.text() + " spans " + ap.partitions()
                    + " partitions starting at partition " + ap.partitionStart() + "; " + spec.name() + " allows starts "
                    + spec.allowedPartitionStarts(ap.partitions()) + " for that width", at.ref());
        }
    }

    private static void sameElements(AccessPattern dst, AccessPattern src, Site at) {
        if (dst.elements() != src.elements()) {
            throw fail(Kind.LIMIT, at + ": the source has " + src.elements() + " elements, the destination "
                    + dst.elements(), at.ref());
        }
    }

    private static void sameShape(AccessPattern dst, AccessPattern src, Site at) {
        if (dst.partitions() != src.partitions() || dst.elementsPerPartition() != src.elementsPerPartition()) {
            throw fail(Kind.LIMIT, at + ": operand " + src.text() + " is " + src.partitions() + " x "
                    + src.elementsPerPartition() + ", the destination " + dst.partitions() + " x " + dst.elementsPerPartition(),
                    at.ref());
        }
    }
}
