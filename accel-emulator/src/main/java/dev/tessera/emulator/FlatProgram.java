package dev.tessera.emulator;

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
import java.util.Locale;

/**
 * A machine program checked against one spec and flattened for execution: every table is a
 * primitive array indexed by a small integer, so a run allocates nothing per instruction and walks
 * memory in order. Built by {@link StepPlanner}; read by {@link EmulatorRun} and {@link Kernels}.
 *
 * <ul>
 *   <li><b>Buffers</b> {@code b}: the DRAM tensors in declaration order, then the allocations
 *       ({@code b - dramTensors} is the allocation's index in {@code program.allocations()}).</li>
 *   <li><b>Operands</b> {@code o}: pattern o of the program's {@link ProgramCode}, resolved to its
 *       buffer and its region, the box {@code [p0, p1) × [lo, hi)} (partitions relative to the
 *       buffer, element indices inside a partition). Instructions repeating the pattern last used on
 *       a buffer share its operand.</li>
 *   <li><b>Steps</b> {@code g}: the instructions of all streams, stream after stream; stream {@code e}
 *       holds steps {@code [streamStart[e], streamStart[e + 1])}, so instruction {@code i} of it is
 *       step {@code streamStart[e] + i}.</li>
 * </ul>
 *
 * <p>Example: {@code examples/relu.tasm} has buffers x, y, t (0, 1, 2); operands
 * {@code t[0:128, +0, 512@1]} (0, box [0, 128) × [0, 512), shared by the load, the activation and the
 * store), {@code x[+0, 128@512, 512@1]} (1, box [0, 1) × [0, 65536)) and {@code y[...]} (2); steps
 * dma0:0..1 (0, 1), scalar:0..2 (2..4), dma1:0..1 (5, 6). Step 3, the activation, has kind
 * {@link #ACTIVATION}, {@code READ0 = 0} and {@code WRITE = 0}; step 2, {@code wait loaded >= 1}, has
 * {@code READ0 = 0} (the semaphore) and {@code READ1 = 1} (the count).
 */
final class FlatProgram {
    static final int DMA = ProgramCode.DMA;
    static final int MATMUL = ProgramCode.MATMUL;
    static final int BINARY = ProgramCode.BINARY;
    static final int UNARY = ProgramCode.UNARY;
    static final int REDUCE = ProgramCode.REDUCE;
    static final int COPY = ProgramCode.COPY;
    /** An activation that computes something. */
    static final int ACTIVATION = ProgramCode.ACTIVATION;
    /** An identity activation with scale 1 and bias 0: it only moves data. */
    static final int MOVE = ProgramCode.MOVE;
    static final int MEMSET = ProgramCode.MEMSET;
    static final int WAIT = ProgramCode.WAIT;
    static final int SIGNAL = ProgramCode.SIGNAL;
    /** No operand in a read slot. */
    static final int NONE = ProgramCode.NONE;

    final MachineProgram program;
    final int streams;
    final Engine[] engineOf;
    final List<List<Instruction>> code;
    final int[] streamStart;

    final int dramTensors;
    final int buffers;
    /** The program's code: its instruction records, patterns and buffer tables. */
    final ProgramCode encoded;
    final StorageDtype[] dtype;
    final int[] partitions;
    final int[] elementsPerPartition;
    final boolean[] psum;
    /** Per allocation (indexed from 0): the steps that start and end its lifetime, their streams and boundary numbers. */
    final int[] firstUse;
    final int[] lastUse;
    final int[] firstUseStream;
    final int[] lastUseStream;
    final int[] firstUseBoundary;
    final int[] lastUseBoundary;
    /** Per allocation: where it sits, partitions {@code [partitionStart, +partitions)} × bytes {@code [byteOffset, +bytesPerPartition)}, and its bytes. */
    final int[] partitionStart;
    final long[] byteOffset;
    final long[] bytesPerPartition;
    final long[] bytes;

    final int operands;
    /**
     * The operands, one record of {@link #OPERAND} ints each, what the checks of a run read for every
     * access: buffer, p0, p1, lo, hi (element indices inside a partition, below the buffer's
     * elements per partition, an int, once planning has checked the bounds), and where the lifetime
     * of its buffer starts: the stream and the index in it of the allocation's first use, -1 and 0
     * for a DRAM tensor. Eight ints, 32 bytes; operands are the program's patterns, numbered as the
     * code generator first used them, so the operands of a tile lie side by side.
     * The sizes, which only the traffic counts and the kernels read, are in {@code operandSize}.
     */
    final int[] operand;
    /** Per operand, two longs: elements per partition, and bytes (of all elements in the buffer's dtype: what a write of it counts). */
    final long[] operandSize;
    static final int OPERAND = 8;

    /**
     * The steps, one record of {@link #STEP} ints each: its kind; the operands read, in operand order
     * ({@link #NONE} for none; for WAIT and SIGNAL {@code READ0} is the semaphore and {@code READ1}
     * the count); the operand written; its lifetime-boundary number if it starts or ends an
     * allocation's lifetime, else {@link #NONE}. Six ints, 24 bytes: a run streams through a million
     * of them, so a record holds nothing else.
     */
    final int[] step;
    static final int STEP = 6;
    static final int KIND = 0;
    static final int READ0 = 1;
    static final int READ1 = 2;
    static final int READ2 = 3;
    static final int WRITE = 4;
    static final int BOUNDARY = 5;
    final double[] costNs;
    int boundaries;
    /** Per boundary, the first allocation whose lifetime ends there, chained through {@code nextEnding} ({@link #NONE} ends). */
    int[] firstEnding;
    final int[] nextEnding;
    /**
     * Per boundary, the first allocation (indexed from 0) whose lifetime starts there, chained through
     * {@code nextStarting}: the run notes each allocation's start and end time as they happen rather
     * than looking them up afterwards.
     */
    int[] firstStarting;
    final int[] nextStarting;
    /**
     * The allocations (indexed from 0) by the step of their first use, and by the step of their last
     * use, ties in declaration order: the hint orders of {@link TimeOrder}, in which start and end
     * times ascend within each stream.
     */
    int[] byFirstUse;
    int[] byLastUse;
    /** DMA instructions and their bytes by {@link ExecutionReport.Direction}, and those of them that stay on chip. */
    final long[] dmaCount = new long[ExecutionReport.Direction.values().length];
    final long[] dmaBytes = new long[ExecutionReport.Direction.values().length];
    long dmaOnChipCount;
    long dmaOnChipBytes;
    /** Multiply-accumulates of all matmuls. */
    long macs;
    /** Per semaphore, how many signal instructions the program has. */
    final int[] signals;

    FlatProgram(MachineProgram program, int steps, int operands) {
        this.program = program;
        this.streams = program.streams().size();
        this.engineOf = new Engine[streams];
        this.code = program.streams().stream().map(s -> s.instructions()).toList();
        this.streamStart = new int[streams + 1];
        for (int e = 0; e < streams; e++) {
            engineOf[e] = program.streams().get(e).engine();
            streamStart[e + 1] = streamStart[e] + code.get(e).size();
        }
        this.encoded = program.code();
        this.dramTensors = program.dramTensors().size();
        int allocations = program.allocations().size();
        this.buffers = dramTensors + allocations;
        this.dtype = new StorageDtype[buffers];
        this.partitions = new int[buffers];
        this.elementsPerPartition = new int[buffers];
        this.psum = new boolean[buffers];
        this.firstUse = new int[allocations];
        this.lastUse = new int[allocations];
        this.firstUseStream = new int[allocations];
        this.lastUseStream = new int[allocations];
        this.firstUseBoundary = new int[allocations];
        this.lastUseBoundary = new int[allocations];
        this.partitionStart = new int[allocations];
        this.byteOffset = new long[allocations];
        this.bytesPerPartition = new long[allocations];
        this.bytes = new long[allocations];
        for (int b = 0; b < buffers; b++) {
            dtype[b] = encoded.bufferDtype(b);
            partitions[b] = encoded.bufferPartitions(b);
            elementsPerPartition[b] = encoded.bufferElements(b);
            psum[b] = encoded.bufferInPsum(b);
        }
        for (int a = 0; a < allocations; a++) {
            int b = dramTensors + a;
            partitionStart[a] = encoded.allocationPartitionStart(a);
            byteOffset[a] = encoded.allocationByteOffset(a);
            bytesPerPartition[a] = (long) elementsPerPartition[b] * dtype[b].bytes();
            bytes[a] = bytesPerPartition[a] * partitions[b];
        }
        this.nextEnding = new int[buffers];
        this.nextStarting = new int[allocations];
        this.operands = operands;
        this.operand = new int[operands * OPERAND];
        this.operandSize = new long[operands * 2];
        this.step = new int[steps * STEP];
        this.costNs = new double[steps];
        this.signals = new int[program.semaphores().size()];
    }

    int steps() {
        return costNs.length;
    }

    void set(int g, int field, int value) {
        step[g * STEP + field] = value;
    }

    int kind(int g) {
        return step[g * STEP];
    }

    int read0(int g) {
        return step[g * STEP + READ0];
    }

    int read1(int g) {
        return step[g * STEP + READ1];
    }

    int read2(int g) {
        return step[g * STEP + READ2];
    }

    int write(int g) {
        return step[g * STEP + WRITE];
    }

    int boundary(int g) {
        return step[g * STEP + BOUNDARY];
    }

    /**
     * Writes operand o, pattern o of the program's code, once its bounds are checked: its partitions
     * start at p0 of its buffer.
     */
    void setOperand(int o, int p0) {
        int buffer = encoded.patternBuffer(o);
        int n = encoded.patternPartitions(o);
        long perPartition = encoded.patternElementsPerPartition(o);
        int at = o * OPERAND;
        operand[at] = buffer;
        operand[at + 1] = p0;
        operand[at + 2] = p0 + n;
        operand[at + 3] = Math.toIntExact(encoded.patternMinIndex(o));
        operand[at + 4] = Math.toIntExact(encoded.patternMaxIndex(o) + 1);
        operand[at + 5] = NONE;
        operandSize[2 * o] = perPartition;
        operandSize[2 * o + 1] = perPartition * n * dtype[buffer].bytes();
    }

    /** The access pattern of operand o. */
    AccessPattern pattern(int o) {
        return encoded.pattern(o);
    }

    /** The allocation of buffer b, null for a DRAM tensor. */
    Allocation allocation(int b) {
        return b < dramTensors ? null : program.allocations().get(b - dramTensors);
    }

    int opBuffer(int o) {
        return operand[o * OPERAND];
    }

    int opP0(int o) {
        return operand[o * OPERAND + 1];
    }

    int opP1(int o) {
        return operand[o * OPERAND + 2];
    }

    long opLo(int o) {
        return operand[o * OPERAND + 3];
    }

    long opHi(int o) {
        return operand[o * OPERAND + 4];
    }

    long opElements(int o) {
        return operandSize[2 * o];
    }

    long opBytes(int o) {
        return operandSize[2 * o + 1];
    }

    /** The stream of the first use of operand o's buffer, -1 for a DRAM tensor (no lifetime). */
    int opLifetimeStream(int o) {
        return operand[o * OPERAND + 5];
    }

    /** The index in its stream of the first use of operand o's buffer (0 for a DRAM tensor). */
    int opLifetimeIndex(int o) {
        return operand[o * OPERAND + 6];
    }

    void opLifetimeStart(int o, int stream, int index) {
        operand[o * OPERAND + 5] = stream;
        operand[o * OPERAND + 6] = index;
    }

    /** Whether operand o's region overlaps operand q's (both on one buffer). */
    boolean overlaps(int o, int q) {
        int a = o * OPERAND;
        int b = q * OPERAND;
        return operand[a + 1] < operand[b + 2] && operand[b + 1] < operand[a + 2] && operand[a + 3] < operand[b + 4]
                && operand[b + 3] < operand[a + 4];
    }

    /** Whether operand o's region contains operand q's. */
    boolean contains(int o, int q) {
        int a = o * OPERAND;
        int b = q * OPERAND;
        return operand[a + 1] <= operand[b + 1] && operand[b + 2] <= operand[a + 2] && operand[a + 3] <= operand[b + 3]
                && operand[b + 4] <= operand[a + 4];
    }

    /** The stream of step g. */
    int streamOf(int g) {
        int e = 0;
        while (streamStart[e + 1] <= g) {
            e++;
        }
        return e;
    }

    Instruction instruction(int g) {
        int e = streamOf(g);
        return code.get(e).get(g - streamStart[e]);
    }

    InstructionRef ref(int g) {
        int e = streamOf(g);
        return new InstructionRef(engineOf[e], g - streamStart[e]);
    }

    /** Names step g in messages: {@code tensor:3 (matmul ...)}. */
    String where(int g) {
        return ref(g).text() + " (" + instruction(g).text() + ")";
    }

    boolean isDram(int buffer) {
        return buffer < dramTensors;
    }

    String describe(int buffer) {
        Allocation a = allocation(buffer);
        return a != null ? a.space().name().toLowerCase(Locale.ROOT) + " allocation '" + a.name() + "'"
                : "DRAM tensor '" + program.dramTensors().get(buffer).name() + "'";
    }

    /** The region of operand o, as messages print it. */
    String box(int o) {
        return Box.text(opP0(o), opP1(o), opLo(o), opHi(o));
    }
}
