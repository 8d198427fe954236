package dev.tessera.emulator;

import dev.tessera.emulator.MachineCheckException.Kind;
import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Allocation;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.MachineProgram;
import dev.tessera.emulator.program.ProgramCode;
import java.util.Arrays;
import java.util.List;

/**
 * Checks every instruction against the spec before anything runs (bounds, partition rules, tile
 * limits, operand sizes, DMA queues) and flattens the program into a {@link FlatProgram}: resolved
 * operands, the cost of each step in ns, the DMA traffic and MACs, the lifetime boundaries. It reads
 * the program's {@link ProgramCode} (instruction records, pattern and buffer sizes); of the program's
 * objects it reads the DRAM tensors (their extent), the dimensions of a reduction's source and, to word
 * a failure, the instruction and its operands. A pattern's own checks run once, at its first use. The
 * cost model is the one {@link AcceleratorSpec} documents. Checks run stream by stream, instruction
 * by instruction, operands in order (reads, then the write), so the first failure is deterministic.
 */
final class StepPlanner {
    private final MachineProgram program;
    private final AcceleratorSpec spec;
    private final ProgramCode code;
    private final FlatProgram flat;
    /** Per pattern: whether its checks have run ({@link #resolve}) and whether its partition rule held for an engine. */
    private final byte[] state;
    private static final byte RESOLVED = 1;
    private static final byte RULE_HELD = 2;
    /** {@code startAllowed[n][p]}: may an engine access of n partitions start at partition p. */
    private final boolean[][] startAllowed;
    // The instruction being planned: its stream, its stream's engine, whether that is an engine (not
    // DMA, which the partition rule does not bind) and its index.
    private int stream;
    private Engine engine;
    private boolean engineAccess;
    private int index;
    /** The patterns of the last matmul planned and its cost. */
    private int matmulStationary = FlatProgram.NONE;
    private int matmulMoving = FlatProgram.NONE;
    private int matmulResult = FlatProgram.NONE;
    private double matmulCost;

    private StepPlanner(MachineProgram program, AcceleratorSpec spec) {
        this.program = program;
        this.spec = spec;
        this.code = program.code();
        this.flat = new FlatProgram(program, Math.toIntExact(program.instructionCount()), code.patterns());
        this.state = new byte[code.patterns()];
        this.startAllowed = new boolean[spec.partitions() + 1][spec.partitions()];
        for (int n = 1; n <= spec.partitions(); n++) {
            for (int start : spec.allowedPartitionStarts(n)) {
                startAllowed[n][start] = true;
            }
        }
    }

    /**
     * Checks {@code program} against {@code spec} and flattens it. The checks of an instruction depend
     * on nothing but the instruction, its buffers and the spec, so they may run in any order; they run
     * in slices of every stream in turn (slice c of each stream covers the same fraction of it), which
     * follows the order a code generator creates instructions in, tile by tile, and so reads the
     * program's objects and names while they are still in cache. When a check fails, the program is
     * checked again stream after stream, so that the failure reported is the first in stream order.
     */
    static FlatProgram plan(MachineProgram program, AcceleratorSpec spec) {
        StepPlanner planner = new StepPlanner(program, spec);
        planner.checkBuffers();
        try {
            planner.planInSlices();
        } catch (MachineCheckException e) {
            StepPlanner inOrder = new StepPlanner(program, spec);
            for (int s = 0; s < inOrder.flat.streams; s++) {
                inOrder.checkQueue(s);
                inOrder.planRange(s, 0, inOrder.length(s));
            }
            throw e;
        }
        planner.markLifetimes();
        return planner.flat;
    }

    private void planInSlices() {
        int streams = flat.streams;
        for (int s = 0; s < streams; s++) {
            checkQueue(s);
        }
        int slices = Math.max(1, flat.steps() / SLICE);
        for (int c = 0; c < slices; c++) {
            for (int s = 0; s < streams; s++) {
                long length = length(s);
                planRange(s, (int) (length * c / slices), (int) (length * (c + 1) / slices));
            }
        }
    }

    /** About how many instructions one slice of all streams holds. */
    private static final int SLICE = 256;

    private int length(int s) {
        return flat.streamStart[s + 1] - flat.streamStart[s];
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
        for (int a = 0; a < flat.partitionStart.length; a++) {
            int b = flat.dramTensors + a;
            long perPartition = flat.psum[b] ? spec.psumBytesPerPartition() : spec.sbufBytesPerPartition();
            if (flat.partitionStart[a] + flat.partitions[b] > spec.partitions()
                    || flat.byteOffset[a] + flat.bytesPerPartition[a] > perPartition) {
                Allocation al = flat.allocation(b);
                if (al.partitionStart() + al.partitions() > spec.partitions()) {
                    throw fail(Kind.OUT_OF_BOUNDS, "allocation '" + al.name() + "' spans partitions " + al.partitionStart() + ".."
                            + (al.partitionStart() + al.partitions() - 1) + ", but " + spec.name() + " has " + spec.partitions());
                }
                throw fail(Kind.OUT_OF_BOUNDS, "allocation '" + al.name() + "' spans bytes " + al.byteOffset() + ".."
                        + (al.byteOffset() + al.bytesPerPartition() - 1) + " of each partition, but a " + al.space()
                        + " partition of " + spec.name() + " has " + perPartition + " bytes");
            }
        }
    }

    private void checkQueue(int s) {
        Engine engine = flat.engineOf[s];
        if (engine.kind() == Engine.Kind.DMA && engine.queue() >= spec.dmaQueues()) {
            throw fail(Kind.LIMIT, "the program uses DMA queue " + engine + ", but " + spec.name() + " has "
                    + spec.dmaQueues() + " (dma0..dma" + (spec.dmaQueues() - 1) + ")", new InstructionRef(engine, 0));
        }
    }

    /** Plans instructions {@code [from, to)} of stream s. */
    private void planRange(int s, int from, int to) {
        this.stream = s;
        this.engine = flat.engineOf[s];
        this.engineAccess = engine.kind() != Engine.Kind.DMA;
        int base = flat.streamStart[s];
        for (int i = from; i < to; i++) {
            planStep(i, base + i);
        }
    }

    /**
     * Plans instruction {@code index} of the current stream, step g: its record is copied from the
     * program's code; its operands are checked (reads in operand order, then the write) and its cost
     * computed from the sizes of its patterns, which {@link #resolve} put in the operand tables.
     */
    private void planStep(int index, int g) {
        int at = g * FlatProgram.STEP;
        int[] step = flat.step;
        code.copyRecord(stream, index, step, at);
        step[at + FlatProgram.BOUNDARY] = FlatProgram.NONE;
        int kind = step[at];
        if (kind == FlatProgram.WAIT) {
            return;
        }
        if (kind == FlatProgram.SIGNAL) {
            flat.signals[step[at + FlatProgram.READ0]]++;
            return;
        }
        this.index = index;
        int r0 = step[at + FlatProgram.READ0];
        int r1 = step[at + FlatProgram.READ1];
        int w = step[at + FlatProgram.WRITE];
        if (kind == FlatProgram.DMA) {
            operand(r0);
            operand(w);
            if (elements(w) != elements(r0)) {
                throw fail(Kind.LIMIT, where() + ": the source has " + elements(r0) + " elements, the destination " + elements(w), ref());
            }
            flat.costNs[g] = spec.dma().fixedNs() + flat.opBytes(w) / spec.dma().bytesPerNs();
            countDma(r0, w);
            return;
        }
        if (kind == FlatProgram.MATMUL) {
            operand(r0);
            operand(r1);
            int r2 = step[at + FlatProgram.READ2];
            if (r2 != FlatProgram.NONE) {
                operand(r2);
            }
            operand(w);
            if (r0 != matmulStationary || r1 != matmulMoving || w != matmulResult) {
                // A matmul's checks and cost depend on its three patterns alone: the matmuls of one
                // accumulation repeat the last ones, which passed.
                matmulCost = matmulNs(r0, r1, w);
                matmulStationary = r0;
                matmulMoving = r1;
                matmulResult = w;
            }
            flat.costNs[g] = matmulCost;
            flat.macs += partitions(r0) * flat.opElements(r0) * flat.opElements(r1);
            return;
        }
        if (r0 != FlatProgram.NONE) {
            operand(r0);
        }
        if (r1 != FlatProgram.NONE) {
            operand(r1);
        }
        operand(w);
        long streamed = flat.opElements(w);
        if (kind == FlatProgram.BINARY) {
            sameShape(w, r0);
            sameShape(w, r1);
        } else if (kind == FlatProgram.REDUCE) {
            streamed = reduced(r0, w, code.axes(stream, index));
        } else if (r0 != FlatProgram.NONE) {
            sameShape(w, r0);
        }
        AcceleratorSpec.StreamEngine e = engine.kind() == Engine.Kind.VECTOR ? spec.vectorEngine() : spec.scalarEngine();
        long passes = (partitions(w) + e.lanes() - 1) / e.lanes();
        long cycles = e.fixedCycles() + passes * ((streamed + e.elementsPerLanePerCycle() - 1) / e.elementsPerLanePerCycle());
        flat.costNs[g] = cycles / e.clockGhz();
    }

    private void countDma(int src, int dst) {
        boolean fromDram = flat.isDram(flat.opBuffer(src));
        boolean toDram = flat.isDram(flat.opBuffer(dst));
        ExecutionReport.Direction direction = fromDram
                ? (toDram ? ExecutionReport.Direction.DRAM_TO_DRAM : ExecutionReport.Direction.DRAM_TO_SBUF)
                : (toDram ? ExecutionReport.Direction.SBUF_TO_DRAM : ExecutionReport.Direction.SBUF_TO_SBUF);
        flat.dmaCount[direction.ordinal()]++;
        flat.dmaBytes[direction.ordinal()] += flat.opBytes(dst);
        if (!direction.offChip()) {
            flat.dmaOnChipCount++;
            flat.dmaOnChipBytes += flat.opBytes(dst);
        }
    }

    private int partitions(int o) {
        return flat.opP1(o) - flat.opP0(o);
    }

    private long elements(int o) {
        return flat.opElements(o) * partitions(o);
    }

    /** Checks a reduction's shapes; returns the elements per partition it streams (its source's). */
    private long reduced(int srcOperand, int dstOperand, int axes) {
        AccessPattern src = flat.pattern(srcOperand);
        long block = 1;
        List<dev.tessera.emulator.program.Dim> dims = src.dims();
        for (int i = dims.size() - axes; i < dims.size(); i++) {
            block *= dims.get(i).count();
        }
        long perPartition = flat.opElements(srcOperand);
        int n = partitions(srcOperand);
        if (n != partitions(dstOperand) || perPartition / block != flat.opElements(dstOperand)) {
            throw fail(Kind.LIMIT, where() + ": reducing blocks of " + block + " elements of " + n + " x " + perPartition
                    + " gives " + n + " x " + (perPartition / block) + ", but the destination is " + partitions(dstOperand) + " x "
                    + flat.opElements(dstOperand), ref());
        }
        return perPartition;
    }

    /**
     * Every allocation's first and last use become lifetime boundaries (their ordering clocks are
     * kept during the run), and each last use lists the allocations whose lifetime it ends.
     */
    private void markLifetimes() {
        int allocations = program.allocations().size();
        for (int a = 0; a < allocations; a++) {
            flat.firstUseStream[a] = code.firstUseStream(a);
            flat.lastUseStream[a] = code.lastUseStream(a);
            flat.firstUse[a] = flat.streamStart[flat.firstUseStream[a]] + code.firstUseIndex(a);
            flat.lastUse[a] = flat.streamStart[flat.lastUseStream[a]] + code.lastUseIndex(a);
            flat.firstUseBoundary[a] = boundary(flat.firstUse[a]);
            flat.lastUseBoundary[a] = boundary(flat.lastUse[a]);
        }
        for (int o = 0; o < flat.operands; o++) {
            int b = flat.opBuffer(o);
            if (!flat.isDram(b)) {
                int a = b - flat.dramTensors;
                int s = flat.firstUseStream[a];
                flat.opLifetimeStart(o, s, flat.firstUse[a] - flat.streamStart[s]);
            }
        }
        flat.byFirstUse = byStep(flat.firstUse);
        flat.byLastUse = byStep(flat.lastUse);
        flat.firstEnding = new int[flat.boundaries];
        Arrays.fill(flat.firstEnding, FlatProgram.NONE);
        Arrays.fill(flat.nextEnding, FlatProgram.NONE);
        flat.firstStarting = new int[flat.boundaries];
        Arrays.fill(flat.firstStarting, FlatProgram.NONE);
        for (int a = allocations - 1; a >= 0; a--) {
            int bd = flat.firstUseBoundary[a];
            flat.nextStarting[a] = flat.firstStarting[bd];
            flat.firstStarting[bd] = a;
        }
        // Chained last to first, so each boundary lists its allocations in declaration order.
        for (int a = allocations - 1; a >= 0; a--) {
            int bd = flat.lastUseBoundary[a];
            int b = flat.dramTensors + a;
            flat.nextEnding[b] = flat.firstEnding[bd];
            flat.firstEnding[bd] = b;
        }
    }

    /** The allocations ordered by {@code step[a]}, ties by index: a counting sort over the steps. */
    private int[] byStep(int[] step) {
        int[] count = new int[flat.steps() + 1];
        for (int g : step) {
            count[g + 1]++;
        }
        for (int g = 0; g < flat.steps(); g++) {
            count[g + 1] += count[g];
        }
        int[] order = new int[step.length];
        for (int a = 0; a < step.length; a++) {
            order[count[step[a]]++] = a;
        }
        return order;
    }

    private int boundary(int g) {
        if (flat.boundary(g) == FlatProgram.NONE) {
            flat.set(g, FlatProgram.BOUNDARY, flat.boundaries++);
        }
        return flat.boundary(g);
    }

    /** Checks a matmul's tile limits and its PSUM bank; returns its cost. */
    private double matmulNs(int stat, int mov, int dst) {
        int k = code.patternPartitions(stat);
        long mSize = code.patternElementsPerPartition(stat);
        long n = code.patternElementsPerPartition(mov);
        int statStart = code.patternPartitionStart(stat);
        int movStart = code.patternPartitionStart(mov);
        if (movStart != statStart || code.patternPartitions(mov) != k) {
            throw fail(Kind.LIMIT, where() + ": the stationary and moving operands must lie on the same partitions (the contraction), got "
                    + statStart + ":" + (statStart + k) + " and " + movStart + ":" + (movStart + code.patternPartitions(mov)), ref());
        }
        if (k > spec.maxContraction()) {
            throw fail(Kind.LIMIT, where() + ": contraction K = " + k + " exceeds max_contraction " + spec.maxContraction(), ref());
        }
        if (mSize > spec.maxStationaryFree()) {
            throw fail(Kind.LIMIT, where() + ": stationary free size M = " + mSize + " exceeds max_stationary_free "
                    + spec.maxStationaryFree(), ref());
        }
        if (n > spec.maxMovingFree()) {
            throw fail(Kind.LIMIT, where() + ": moving free size N = " + n + " exceeds max_moving_free " + spec.maxMovingFree(), ref());
        }
        if (code.patternPartitions(dst) != mSize || code.patternElementsPerPartition(dst) != n) {
            throw fail(Kind.LIMIT, where() + ": the result is M x N = " + mSize + " x " + n + ", but the destination is "
                    + code.patternPartitions(dst) + " x " + code.patternElementsPerPartition(dst), ref());
        }
        int a = flat.opBuffer(dst) - flat.dramTensors;
        int bank = spec.psumBankBytes();
        long first = flat.byteOffset[a] + code.patternMinIndex(dst) * 4;
        long last = flat.byteOffset[a] + code.patternMaxIndex(dst) * 4 + 3;
        if (first / bank != last / bank) {
            throw fail(Kind.LIMIT, where() + ": the result spans PSUM bytes " + first + ".." + last + " of each partition, across banks "
                    + first / bank + " and " + last / bank + " (a bank is " + bank + " bytes)", ref());
        }
        boolean fp32 = flat.dtype[flat.opBuffer(stat)] == StorageDtype.FP32 || flat.dtype[flat.opBuffer(mov)] == StorageDtype.FP32;
        AcceleratorSpec.TensorEngine t = spec.tensorEngine();
        long cycles = t.fixedCycles() + Math.max(n, t.minCyclesPerMatmul()) * (fp32 ? t.fp32CostFactor() : 1);
        return cycles / t.clockGhz();
    }

    private InstructionRef ref() {
        return new InstructionRef(engine, index);
    }

    /** Names the instruction being planned in messages: {@code tensor:3 (matmul ...)}. */
    private String where() {
        return ref().text() + " (" + flat.code.get(stream).get(index).text() + ")";
    }

    /**
     * Checks a use of pattern k by the instruction being planned. The checks that depend only on the
     * pattern run on its first use ({@link #resolve}); the partition rule, which binds engines and
     * not DMA, runs on the first use by an engine (and then holds for every later one). A program
     * that reuses a tile over several instructions (load, matmuls, eviction, store) so checks it once.
     */
    private void operand(int k) {
        byte st = state[k];
        if ((st & RESOLVED) == 0) {
            resolve(k);
            st = state[k];
        }
        if (engineAccess && (st & RULE_HELD) == 0 && !flat.isDram(code.patternBuffer(k))) {
            checkPartitionRule(k);
            state[k] |= RULE_HELD;
        }
    }

    /** The checks of pattern k that depend on nothing but the pattern, its buffer and the spec; then k becomes an operand. */
    private void resolve(int k) {
        int b = code.patternBuffer(k);
        boolean dram = flat.isDram(b);
        int dims = code.patternDims(k);
        int maxDims = dram ? spec.maxDramDims() : spec.maxFreeDims();
        if (dims > maxDims) {
            throw fail(Kind.LIMIT, where() + ": operand " + code.pattern(k).text() + " has " + dims + " dimensions; " + spec.name()
                    + " allows " + maxDims, ref());
        }
        int p0 = 0;
        if (!dram) {
            int a = b - flat.dramTensors;
            int start = code.patternPartitionStart(k);
            int n = code.patternPartitions(k);
            p0 = start - flat.partitionStart[a];
            if (p0 < 0 || p0 + n > flat.partitions[b]) {
                Allocation al = flat.allocation(b);
                throw fail(Kind.OUT_OF_BOUNDS, where() + ": operand " + code.pattern(k).text() + " uses partitions " + start + ".."
                        + (start + n - 1) + ", outside allocation '" + al.name() + "' (partitions "
                        + al.partitionStart() + ".." + (al.partitionStart() + al.partitions() - 1) + ")", ref());
            }
            if (engineAccess) {
                checkPartitionRule(k);
                state[k] |= RULE_HELD;
            }
        }
        int elements = flat.elementsPerPartition[b];
        long min = code.patternMinIndex(k);
        long max = code.patternMaxIndex(k);
        if (min < 0 || max >= elements) {
            throw fail(Kind.OUT_OF_BOUNDS, where() + ": operand " + code.pattern(k).text() + " touches elements " + min + ".."
                    + max + (!dram ? " of each partition" : "") + ", outside " + flat.describe(b)
                    + " (" + elements + " elements" + (!dram ? " per partition)" : ")"), ref());
        }
        flat.setOperand(k, p0);
        state[k] |= RESOLVED;
    }

    private void checkPartitionRule(int k) {
        int n = code.patternPartitions(k);
        int start = code.patternPartitionStart(k);
        boolean allowed = n <= spec.partitions() && start < spec.partitions() && startAllowed[n][start];
        if (!allowed) {
            throw fail(Kind.PARTITION_RULE, where() + ": operand " + code.pattern(k).text() + " spans " + n
                    + " partitions starting at partition " + start + "; " + spec.name() + " allows starts "
                    + spec.allowedPartitionStarts(n) + " for that width", ref());
        }
    }

    private void sameShape(int dst, int src) {
        if (partitions(dst) != partitions(src) || flat.opElements(dst) != flat.opElements(src)) {
            throw fail(Kind.LIMIT, where() + ": operand " + flat.pattern(src).text() + " is " + partitions(src) + " x "
                    + flat.opElements(src) + ", the destination " + partitions(dst) + " x " + flat.opElements(dst), ref());
        }
    }
}
