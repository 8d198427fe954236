package dev.tessera.emulator;

import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Allocation;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.MachineProgram;
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
 *   <li><b>Operands</b> {@code o}: an access pattern resolved to its buffer and its region, the box
 *       {@code [p0, p1) × [lo, hi)} (partitions relative to the buffer, element indices inside a
 *       partition). Instructions repeating the pattern last resolved on a buffer share its operand.</li>
 *   <li><b>Steps</b> {@code g}: the instructions of all streams, stream after stream; stream {@code e}
 *       holds steps {@code [streamStart[e], streamStart[e + 1])}, so instruction {@code i} of it is
 *       step {@code streamStart[e] + i}.</li>
 * </ul>
 *
 * <p>Example: {@code examples/relu.tasm} has buffers x, y, t (0, 1, 2), operands
 * {@code t[0:128, +0, 512@1]} (0, box [0,128) × [0,512)), {@code x[...]} (1), {@code y[...]} (2), and
 * steps dma0:0..1 (0, 1), scalar:0..2 (2..4), dma1:0..1 (5, 6); step 3, the activation, has
 * {@code read0 = 0}, {@code write = 0}.
 */
final class FlatProgram {
    static final byte DMA = 0;
    static final byte MATMUL = 1;
    static final byte BINARY = 2;
    static final byte UNARY = 3;
    static final byte REDUCE = 4;
    static final byte COPY = 5;
    /** An activation that computes something. */
    static final byte ACTIVATION = 6;
    /** An identity activation with scale 1 and bias 0: it only moves data. */
    static final byte MOVE = 7;
    static final byte MEMSET = 8;
    static final byte WAIT = 9;
    static final byte SIGNAL = 10;
    /** No operand in a read slot. */
    static final int NONE = -1;

    final MachineProgram program;
    final int streams;
    final Engine[] engineOf;
    final List<List<Instruction>> code;
    final int[] streamStart;

    final int dramTensors;
    final int buffers;
    final String[] bufferName;
    /** The allocation of buffer b, null for DRAM tensors. */
    final Allocation[] allocation;
    final StorageDtype[] dtype;
    final int[] partitions;
    final int[] elementsPerPartition;
    final boolean[] psum;
    /** Per allocation (indexed from 0): the steps that start and end its lifetime, and their streams. */
    final int[] firstUse;
    final int[] lastUse;
    final int[] firstUseStream;
    final int[] lastUseStream;

    int operands;
    int[] opBuffer;
    int[] opP0;
    int[] opP1;
    long[] opLo;
    long[] opHi;
    /** Elements per partition of the pattern. */
    long[] opElements;
    /** Bytes of all elements, in the buffer's dtype: what a write of this operand counts. */
    long[] opBytes;
    AccessPattern[] opPattern;

    final byte[] kind;
    final double[] costNs;
    /** The operands read, in operand order; for WAIT and SIGNAL {@code read0} is the semaphore and {@code read1} the count. */
    final int[] read0;
    final int[] read1;
    final int[] read2;
    final int[] write;
    /** The lifetime-boundary number of a step that starts or ends an allocation's lifetime, else {@link #NONE}. */
    final int[] boundary;
    int boundaries;
    /** Per boundary, the first allocation whose lifetime ends there, chained through {@code nextEnding} ({@link #NONE} ends). */
    int[] firstEnding;
    final int[] nextEnding;
    /** Per semaphore, how many signal instructions the program has. */
    final int[] signals;

    FlatProgram(MachineProgram program, int steps) {
        this.program = program;
        this.streams = program.streams().size();
        this.engineOf = new Engine[streams];
        this.code = program.streams().stream().map(s -> s.instructions()).toList();
        this.streamStart = new int[streams + 1];
        for (int e = 0; e < streams; e++) {
            engineOf[e] = program.streams().get(e).engine();
            streamStart[e + 1] = streamStart[e] + code.get(e).size();
        }
        this.dramTensors = program.dramTensors().size();
        int allocations = program.allocations().size();
        this.buffers = dramTensors + allocations;
        this.bufferName = new String[buffers];
        this.allocation = new Allocation[buffers];
        this.dtype = new StorageDtype[buffers];
        this.partitions = new int[buffers];
        this.elementsPerPartition = new int[buffers];
        this.psum = new boolean[buffers];
        for (int b = 0; b < dramTensors; b++) {
            DramTensor t = program.dramTensors().get(b);
            bufferName[b] = t.name();
            dtype[b] = t.dtype();
            partitions[b] = 1;
            elementsPerPartition[b] = (int) t.elements();
        }
        for (int a = 0; a < allocations; a++) {
            Allocation al = program.allocations().get(a);
            int b = dramTensors + a;
            bufferName[b] = al.name();
            allocation[b] = al;
            dtype[b] = al.dtype();
            partitions[b] = al.partitions();
            elementsPerPartition[b] = al.elementsPerPartition();
            psum[b] = al.space() == Allocation.Space.PSUM;
        }
        this.firstUse = new int[allocations];
        this.lastUse = new int[allocations];
        this.firstUseStream = new int[allocations];
        this.lastUseStream = new int[allocations];
        this.nextEnding = new int[buffers];
        int capacity = Math.max(16, steps / 2);
        this.opBuffer = new int[capacity];
        this.opP0 = new int[capacity];
        this.opP1 = new int[capacity];
        this.opLo = new long[capacity];
        this.opHi = new long[capacity];
        this.opElements = new long[capacity];
        this.opBytes = new long[capacity];
        this.opPattern = new AccessPattern[capacity];
        this.kind = new byte[steps];
        this.costNs = new double[steps];
        this.read0 = new int[steps];
        this.read1 = new int[steps];
        this.read2 = new int[steps];
        this.write = new int[steps];
        this.boundary = new int[steps];
        this.signals = new int[program.semaphores().size()];
    }

    int steps() {
        return kind.length;
    }

    /** Adds an operand and returns its number. */
    int addOperand(int buffer, AccessPattern ap, int p0) {
        if (operands == opBuffer.length) {
            int n = 2 * operands;
            opBuffer = java.util.Arrays.copyOf(opBuffer, n);
            opP0 = java.util.Arrays.copyOf(opP0, n);
            opP1 = java.util.Arrays.copyOf(opP1, n);
            opLo = java.util.Arrays.copyOf(opLo, n);
            opHi = java.util.Arrays.copyOf(opHi, n);
            opElements = java.util.Arrays.copyOf(opElements, n);
            opBytes = java.util.Arrays.copyOf(opBytes, n);
            opPattern = java.util.Arrays.copyOf(opPattern, n);
        }
        int o = operands++;
        opBuffer[o] = buffer;
        opP0[o] = p0;
        opP1[o] = p0 + ap.partitions();
        opLo[o] = ap.minIndex();
        opHi[o] = ap.maxIndex() + 1;
        opElements[o] = ap.elementsPerPartition();
        opBytes[o] = ap.elements() * dtype[buffer].bytes();
        opPattern[o] = ap;
        return o;
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
        Allocation a = allocation[buffer];
        return a != null ? a.space().name().toLowerCase(Locale.ROOT) + " allocation '" + a.name() + "'"
                : "DRAM tensor '" + bufferName[buffer] + "'";
    }

    /** The region of operand o, as messages print it. */
    String box(int o) {
        return Box.text(opP0[o], opP1[o], opLo[o], opHi[o]);
    }
}
