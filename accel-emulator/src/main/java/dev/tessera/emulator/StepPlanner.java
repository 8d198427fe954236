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
    /**
     * Buffer numbers by name, open addressing on the names' own hash codes: slot → buffer + 1 (0 is
     * empty). A program declares a buffer per tile, so this is built once per run over many names; an
     * int table needs no nodes and no boxed numbers.
     */
    private final int[] bufferSlots;
    private final Map<String, Integer> semaphoreIds = new HashMap<>();
    /** Per buffer, the operand last resolved on it (shared by the instructions that repeat its pattern), or NONE. */
    private final int[] lastOperand;
    /** {@code startAllowed[n][p]}: may an engine access of n partitions start at partition p. */
    private final boolean[][] startAllowed;
    /**
     * The buffer names looked up last and their numbers, tried by identity before the map: a code
     * generator names a buffer with one string, and consecutive instructions use few buffers.
     */
    private final String[] recentNames = new String[8];
    private final int[] recentIds = new int[8];
    private int recentNext;
    // The instruction being planned: its stream's engine, whether that is an engine (not DMA, which
    // the partition rule does not bind), the instruction and its index.
    private Engine engine;
    private boolean engineAccess;
    private Instruction instruction;
    private int index;

    private StepPlanner(MachineProgram program, AcceleratorSpec spec) {
        this.program = program;
        this.spec = spec;
        this.flat = new FlatProgram(program, Math.toIntExact(program.instructionCount()));
        this.bufferSlots = new int[Integer.highestOneBit(Math.max(2, flat.buffers)) * 4];
        for (int b = 0; b < flat.buffers; b++) {
            int slot = slot(flat.bufferName[b]);
            while (bufferSlots[slot] != 0) {
                slot = (slot + 1) & (bufferSlots.length - 1);
            }
            bufferSlots[slot] = b + 1;
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

    private void checkQueue(int s) {
        Engine engine = flat.engineOf[s];
        if (engine.kind() == Engine.Kind.DMA && engine.queue() >= spec.dmaQueues()) {
            throw fail(Kind.LIMIT, "the program uses DMA queue " + engine + ", but " + spec.name() + " has "
                    + spec.dmaQueues() + " (dma0..dma" + (spec.dmaQueues() - 1) + ")", new InstructionRef(engine, 0));
        }
    }

    /** Plans instructions {@code [from, to)} of stream s. */
    private void planRange(int s, int from, int to) {
        this.engine = flat.engineOf[s];
        this.engineAccess = engine.kind() != Engine.Kind.DMA;
        List<Instruction> code = flat.code.get(s);
        int base = flat.streamStart[s];
        for (int i = from; i < to; i++) {
            planStep(code.get(i), i, base + i);
        }
    }

    private void planStep(Instruction ins, int index, int g) {
        flat.set(g, FlatProgram.BOUNDARY, FlatProgram.NONE);
        flat.set(g, FlatProgram.READ0, FlatProgram.NONE);
        flat.set(g, FlatProgram.READ1, FlatProgram.NONE);
        flat.set(g, FlatProgram.READ2, FlatProgram.NONE);
        flat.set(g, FlatProgram.WRITE, FlatProgram.NONE);
        if (ins instanceof Instruction.Wait w) {
            flat.set(g, FlatProgram.KIND, FlatProgram.WAIT);
            flat.set(g, FlatProgram.READ0, semaphoreId(w.semaphore()));
            flat.set(g, FlatProgram.READ1, w.count());
            return;
        }
        if (ins instanceof Instruction.Signal s) {
            int sem = semaphoreId(s.semaphore());
            flat.set(g, FlatProgram.KIND, FlatProgram.SIGNAL);
            flat.set(g, FlatProgram.READ0, sem);
            flat.signals[sem]++;
            return;
        }
        this.instruction = ins;
        this.index = index;
        if (ins instanceof Instruction.Dma d) {
            int src = operand(d.src());
            int dst = operand(d.dst());
            sameElements(d.dst(), d.src());
            flat.set(g, FlatProgram.KIND, FlatProgram.DMA);
            flat.set(g, FlatProgram.READ0, src);
            flat.set(g, FlatProgram.WRITE, dst);
            flat.costNs[g] = spec.dma().fixedNs() + flat.opBytes(dst) / spec.dma().bytesPerNs();
            return;
        }
        if (ins instanceof Instruction.Matmul m) {
            flat.set(g, FlatProgram.READ0, operand(m.stationary()));
            flat.set(g, FlatProgram.READ1, operand(m.moving()));
            if (m.accumulate()) {
                flat.set(g, FlatProgram.READ2, operand(m.dst()));
            }
            flat.set(g, FlatProgram.WRITE, operand(m.dst()));
            flat.set(g, FlatProgram.KIND, FlatProgram.MATMUL);
            flat.costNs[g] = matmulNs(m, flat.write(g));
            return;
        }
        AccessPattern dst;
        AccessPattern src;
        byte kind;
        if (ins instanceof Instruction.Binary b) {
            flat.set(g, FlatProgram.READ0, operand(b.a()));
            flat.set(g, FlatProgram.READ1, operand(b.b()));
            dst = b.dst();
            src = null;
            kind = FlatProgram.BINARY;
        } else if (ins instanceof Instruction.Unary u) {
            flat.set(g, FlatProgram.READ0, operand(u.src()));
            dst = u.dst();
            src = u.src();
            kind = FlatProgram.UNARY;
        } else if (ins instanceof Instruction.Copy c) {
            flat.set(g, FlatProgram.READ0, operand(c.src()));
            dst = c.dst();
            src = c.src();
            kind = FlatProgram.COPY;
        } else if (ins instanceof Instruction.Activation a) {
            flat.set(g, FlatProgram.READ0, operand(a.src()));
            dst = a.dst();
            src = a.src();
            kind = a.isPlainMove() ? FlatProgram.MOVE : FlatProgram.ACTIVATION;
        } else if (ins instanceof Instruction.Reduce r) {
            flat.set(g, FlatProgram.READ0, operand(r.src()));
            dst = r.dst();
            src = null;
            kind = FlatProgram.REDUCE;
        } else {
            dst = ((Instruction.Memset) ins).dst();
            src = null;
            kind = FlatProgram.MEMSET;
        }
        flat.set(g, FlatProgram.WRITE, operand(dst));
        long streamed = dst.elementsPerPartition();
        if (kind == FlatProgram.BINARY) {
            Instruction.Binary b = (Instruction.Binary) ins;
            sameShape(dst, b.a());
            sameShape(dst, b.b());
        } else if (kind == FlatProgram.REDUCE) {
            streamed = reduced((Instruction.Reduce) ins);
        } else if (src != null) {
            sameShape(dst, src);
        }
        flat.set(g, FlatProgram.KIND, kind);
        AcceleratorSpec.StreamEngine e = engine.kind() == Engine.Kind.VECTOR ? spec.vectorEngine() : spec.scalarEngine();
        long passes = (dst.partitions() + e.lanes() - 1) / e.lanes();
        long cycles = e.fixedCycles() + passes * ((streamed + e.elementsPerLanePerCycle() - 1) / e.elementsPerLanePerCycle());
        flat.costNs[g] = cycles / e.clockGhz();
    }

    /** Checks a reduction's shapes; returns the elements per partition it streams (its source's). */
    private long reduced(Instruction.Reduce r) {
        AccessPattern src = r.src();
        AccessPattern dst = r.dst();
        long block = 1;
        List<dev.tessera.emulator.program.Dim> dims = src.dims();
        for (int i = dims.size() - r.axes(); i < dims.size(); i++) {
            block *= dims.get(i).count();
        }
        if (src.partitions() != dst.partitions() || src.elementsPerPartition() / block != dst.elementsPerPartition()) {
            throw fail(Kind.LIMIT, where() + ": reducing blocks of " + block + " elements of " + src.partitions() + " x "
                    + src.elementsPerPartition() + " gives " + src.partitions() + " x " + (src.elementsPerPartition() / block)
                    + ", but the destination is " + dst.partitions() + " x " + dst.elementsPerPartition(), ref());
        }
        return src.elementsPerPartition();
    }

    /**
     * Every allocation's first and last use become lifetime boundaries (their ordering clocks are
     * kept during the run), and each last use lists the allocations whose lifetime it ends.
     */
    private void markLifetimes() {
        List<Allocation> allocations = program.allocations();
        for (int a = 0; a < allocations.size(); a++) {
            Allocation al = allocations.get(a);
            flat.firstUseStream[a] = streamOf(al.firstUse().engine());
            flat.lastUseStream[a] = streamOf(al.lastUse().engine());
            flat.firstUse[a] = flat.streamStart[flat.firstUseStream[a]] + al.firstUse().index();
            flat.lastUse[a] = flat.streamStart[flat.lastUseStream[a]] + al.lastUse().index();
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
        for (int a = allocations.size() - 1; a >= 0; a--) {
            int bd = flat.firstUseBoundary[a];
            flat.nextStarting[a] = flat.firstStarting[bd];
            flat.firstStarting[bd] = a;
        }
        // Chained last to first, so each boundary lists its allocations in declaration order.
        for (int a = allocations.size() - 1; a >= 0; a--) {
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

    private int streamOf(Engine e) {
        int s = 0;
        while (!flat.engineOf[s].equals(e)) {
            s++;
        }
        return s;
    }

    private int boundary(int g) {
        if (flat.boundary(g) == FlatProgram.NONE) {
            flat.set(g, FlatProgram.BOUNDARY, flat.boundaries++);
        }
        return flat.boundary(g);
    }

    /** Checks a matmul's tile limits and its PSUM bank; returns its cost. */
    private double matmulNs(Instruction.Matmul m, int dstOperand) {
        AccessPattern stat = m.stationary();
        AccessPattern mov = m.moving();
        AccessPattern dst = m.dst();
        int k = stat.partitions();
        long mSize = stat.elementsPerPartition();
        long n = mov.elementsPerPartition();
        if (mov.partitionStart() != stat.partitionStart() || mov.partitions() != k) {
            throw fail(Kind.LIMIT, where() + ": the stationary and moving operands must lie on the same partitions (the contraction), got "
                    + stat.partitionStart() + ":" + (stat.partitionStart() + k) + " and " + mov.partitionStart() + ":"
                    + (mov.partitionStart() + mov.partitions()), ref());
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
        if (dst.partitions() != mSize || dst.elementsPerPartition() != n) {
            throw fail(Kind.LIMIT, where() + ": the result is M x N = " + mSize + " x " + n + ", but the destination is "
                    + dst.partitions() + " x " + dst.elementsPerPartition(), ref());
        }
        Allocation psum = flat.allocation[flat.opBuffer(dstOperand)];
        int bank = spec.psumBankBytes();
        long first = psum.byteOffset() + dst.minIndex() * 4;
        long last = psum.byteOffset() + dst.maxIndex() * 4 + 3;
        if (first / bank != last / bank) {
            throw fail(Kind.LIMIT, where() + ": the result spans PSUM bytes " + first + ".." + last + " of each partition, across banks "
                    + first / bank + " and " + last / bank + " (a bank is " + bank + " bytes)", ref());
        }
        boolean fp32 = dtypeOf(stat) == StorageDtype.FP32 || dtypeOf(mov) == StorageDtype.FP32;
        AcceleratorSpec.TensorEngine t = spec.tensorEngine();
        long cycles = t.fixedCycles() + Math.max(n, t.minCyclesPerMatmul()) * (fp32 ? t.fp32CostFactor() : 1);
        return cycles / t.clockGhz();
    }

    private StorageDtype dtypeOf(AccessPattern ap) {
        return flat.dtype[bufferId(ap.buffer())];
    }

    private InstructionRef ref() {
        return new InstructionRef(engine, index);
    }

    /** Names the instruction being planned in messages: {@code tensor:3 (matmul ...)}. */
    private String where() {
        return ref().text() + " (" + instruction.text() + ")";
    }

    /** The number of a semaphore: its declared name is tried by identity first (programs have few semaphores). */
    private int semaphoreId(String name) {
        List<String> declared = program.semaphores();
        for (int k = 0; k < declared.size(); k++) {
            if (declared.get(k) == name) {
                return k;
            }
        }
        return semaphoreIds.get(name);
    }

    private int slot(String name) {
        int h = name.hashCode() * 0x9E3779B9;
        return (h ^ h >>> 16) & (bufferSlots.length - 1);
    }

    private int bufferId(String name) {
        for (int k = 0; k < recentNames.length; k++) {
            if (recentNames[k] == name) {
                return recentIds[k];
            }
        }
        int slot = slot(name);
        int b = bufferSlots[slot] - 1;
        while (flat.bufferName[b] != name && !flat.bufferName[b].equals(name)) {
            slot = (slot + 1) & (bufferSlots.length - 1);
            b = bufferSlots[slot] - 1;
        }
        recentNames[recentNext] = name;
        recentIds[recentNext] = b;
        recentNext = (recentNext + 1) % recentNames.length;
        return b;
    }

    /**
     * The operand of {@code ap}. A pattern equal to the one last resolved on the same buffer shares its
     * operand: the checks that depend only on the pattern ran when it was resolved; the partition
     * rule, which depends on who accesses it, runs on every use by an engine. A program that reuses a
     * tile over several instructions (load, matmuls, eviction, store) so keeps one operand per tile
     * rather than one per instruction.
     */
    private int operand(AccessPattern ap) {
        int b = bufferId(ap.buffer());
        int known = lastOperand[b];
        if (known != FlatProgram.NONE) {
            AccessPattern pattern = flat.opPattern[known];
            if (pattern == ap || pattern.equals(ap)) {
                if (engineAccess && !flat.isDram(b)) {
                    checkPartitionRule(ap);
                }
                return known;
            }
        }
        known = resolve(b, ap);
        lastOperand[b] = known;
        return known;
    }

    private int resolve(int b, AccessPattern ap) {
        int dims = ap.dims().size();
        int maxDims = ap.partitioned() ? spec.maxFreeDims() : spec.maxDramDims();
        if (dims > maxDims) {
            throw fail(Kind.LIMIT, where() + ": operand " + ap.text() + " has " + dims + " dimensions; " + spec.name()
                    + " allows " + maxDims, ref());
        }
        int p0 = 0;
        Allocation a = flat.allocation[b];
        if (a != null) {
            p0 = ap.partitionStart() - a.partitionStart();
            if (p0 < 0 || p0 + ap.partitions() > flat.partitions[b]) {
                throw fail(Kind.OUT_OF_BOUNDS, where() + ": operand " + ap.text() + " uses partitions " + ap.partitionStart() + ".."
                        + (ap.partitionStart() + ap.partitions() - 1) + ", outside allocation '" + a.name() + "' (partitions "
                        + a.partitionStart() + ".." + (a.partitionStart() + a.partitions() - 1) + ")", ref());
            }
            if (engineAccess) {
                checkPartitionRule(ap);
            }
        }
        int elements = flat.elementsPerPartition[b];
        if (ap.minIndex() < 0 || ap.maxIndex() >= elements) {
            throw fail(Kind.OUT_OF_BOUNDS, where() + ": operand " + ap.text() + " touches elements " + ap.minIndex() + ".."
                    + ap.maxIndex() + (a != null ? " of each partition" : "") + ", outside " + flat.describe(b)
                    + " (" + elements + " elements" + (a != null ? " per partition)" : ")"), ref());
        }
        return flat.addOperand(b, ap, p0);
    }

    private void checkPartitionRule(AccessPattern ap) {
        int n = ap.partitions();
        boolean allowed = n <= spec.partitions() && ap.partitionStart() < spec.partitions() && startAllowed[n][ap.partitionStart()];
        if (!allowed) {
            throw fail(Kind.PARTITION_RULE, where() + ": operand " + ap.text() + " spans " + ap.partitions()
                    + " partitions starting at partition " + ap.partitionStart() + "; " + spec.name() + " allows starts "
                    + spec.allowedPartitionStarts(ap.partitions()) + " for that width", ref());
        }
    }

    private void sameElements(AccessPattern dst, AccessPattern src) {
        if (dst.elements() != src.elements()) {
            throw fail(Kind.LIMIT, where() + ": the source has " + src.elements() + " elements, the destination "
                    + dst.elements(), ref());
        }
    }

    private void sameShape(AccessPattern dst, AccessPattern src) {
        if (dst.partitions() != src.partitions() || dst.elementsPerPartition() != src.elementsPerPartition()) {
            throw fail(Kind.LIMIT, where() + ": operand " + src.text() + " is " + src.partitions() + " x "
                    + src.elementsPerPartition() + ", the destination " + dst.partitions() + " x " + dst.elementsPerPartition(),
                    ref());
        }
    }
}
