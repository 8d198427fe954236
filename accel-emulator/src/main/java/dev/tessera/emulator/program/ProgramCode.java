package dev.tessera.emulator.program;

import java.util.Arrays;

/**
 * A program's instructions as small integers, made once while the program is constructed (its names
 * are resolved then anyway, to check them): what the emulator plans a run from without looking up a
 * name, comparing an access pattern or touching an instruction object again. Read only.
 *
 * <ul>
 *   <li><b>Buffers</b> {@code b}: the DRAM tensors in declaration order, then the allocations
 *       ({@code b - dramTensors} is the allocation's index in {@link MachineProgram#allocations()}).</li>
 *   <li><b>Patterns</b> {@code k}: the access patterns of the instructions, each on buffer
 *       {@link #patternBuffer(int)}. An operand equal to the pattern last used on the same buffer is
 *       given that pattern's number, so a tile reused by consecutive instructions (load, matmuls,
 *       eviction, store) is one pattern, however many objects the code generator made for it.</li>
 *   <li><b>Instructions</b> {@code (s, i)}: instruction i of stream s (streams in program order), one
 *       record of {@link #RECORD} ints: the kind, the patterns read in operand order ({@link #NONE}
 *       for none) and the pattern written. For {@link #WAIT} the first read slot is the semaphore
 *       (its index in {@link MachineProgram#semaphores()}) and the second the count; for
 *       {@link #SIGNAL} the first read slot is the semaphore. A matmul reads stationary, moving and,
 *       when it accumulates, its destination; a reduction keeps its axis count in {@link #axes}.</li>
 * </ul>
 *
 * <p>Example: {@code examples/relu.tasm} (buffers x, y, t) has patterns {@code x[+0, 128@512, 512@1]}
 * (0, on buffer 0), {@code t[0:128, +0, 512@1]} (1, on buffer 2) and {@code y[...]} (2, on buffer 1);
 * its activation is the record {@code [ACTIVATION, 1, NONE, NONE, 1]}.
 */
public final class ProgramCode {
    public static final int DMA = 0;
    public static final int MATMUL = 1;
    public static final int BINARY = 2;
    public static final int UNARY = 3;
    public static final int REDUCE = 4;
    public static final int COPY = 5;
    /** An activation that computes something. */
    public static final int ACTIVATION = 6;
    /** An identity activation with scale 1 and bias 0: it only moves data. */
    public static final int MOVE = 7;
    public static final int MEMSET = 8;
    public static final int WAIT = 9;
    public static final int SIGNAL = 10;
    /** No pattern in a slot. */
    public static final int NONE = -1;

    /** Ints per instruction record: kind, read 0, read 1, read 2, write. */
    public static final int RECORD = 5;
    public static final int KIND = 0;
    public static final int READ0 = 1;
    public static final int READ1 = 2;
    public static final int READ2 = 3;
    public static final int WRITE = 4;

    private final int dramTensors;
    private final int[][] code;
    private final int[] length;
    private AccessPattern[] patterns;
    private int[] patternBuffer;
    private int patternCount;
    /** Per allocation: first use stream, index, last use stream, index. */
    private final int[] lifetimes;

    ProgramCode(int dramTensors, int allocations, int[] streamLengths) {
        this.dramTensors = dramTensors;
        this.code = new int[streamLengths.length][];
        this.length = streamLengths.clone();
        for (int s = 0; s < code.length; s++) {
            code[s] = new int[streamLengths[s] * RECORD];
        }
        this.patterns = new AccessPattern[64];
        this.patternBuffer = new int[64];
        this.lifetimes = new int[allocations * 4];
    }

    public int dramTensors() {
        return dramTensors;
    }

    public int streams() {
        return code.length;
    }

    /** Instructions in stream s. */
    public int length(int s) {
        return length[s];
    }

    /** Field {@code field} ({@link #KIND} .. {@link #WRITE}) of instruction i of stream s; for the kind, without the axis count. */
    public int field(int s, int i, int field) {
        int v = code[s][i * RECORD + field];
        return field == KIND ? v & 0xFF : v;
    }

    public int kind(int s, int i) {
        return code[s][i * RECORD] & 0xFF;
    }

    /** The axis count of a reduction (0 for other kinds). */
    public int axes(int s, int i) {
        return code[s][i * RECORD] >>> 8;
    }

    /** Copies instruction i of stream s's record ({@link #RECORD} ints, the kind without the axis count) into {@code to[at ..]}. */
    public void copyRecord(int s, int i, int[] to, int at) {
        int[] c = code[s];
        int from = i * RECORD;
        to[at] = c[from] & 0xFF;
        to[at + 1] = c[from + 1];
        to[at + 2] = c[from + 2];
        to[at + 3] = c[from + 3];
        to[at + 4] = c[from + 4];
    }

    public int patterns() {
        return patternCount;
    }

    public AccessPattern pattern(int k) {
        return patterns[k];
    }

    public int patternBuffer(int k) {
        return patternBuffer[k];
    }

    /** Allocation a's first use: its stream and its index there. */
    public int firstUseStream(int a) {
        return lifetimes[4 * a];
    }

    public int firstUseIndex(int a) {
        return lifetimes[4 * a + 1];
    }

    public int lastUseStream(int a) {
        return lifetimes[4 * a + 2];
    }

    public int lastUseIndex(int a) {
        return lifetimes[4 * a + 3];
    }

    // Written only while the program is constructed.

    void set(int s, int i, int kind, int read0, int read1, int read2, int write) {
        int[] c = code[s];
        int at = i * RECORD;
        c[at] = kind;
        c[at + 1] = read0;
        c[at + 2] = read1;
        c[at + 3] = read2;
        c[at + 4] = write;
    }

    int addPattern(AccessPattern ap, int buffer) {
        if (patternCount == patterns.length) {
            patterns = Arrays.copyOf(patterns, 2 * patternCount);
            patternBuffer = Arrays.copyOf(patternBuffer, 2 * patternCount);
        }
        patterns[patternCount] = ap;
        patternBuffer[patternCount] = buffer;
        return patternCount++;
    }

    void lifetime(int a, int firstStream, int firstIndex, int lastStream, int lastIndex) {
        lifetimes[4 * a] = firstStream;
        lifetimes[4 * a + 1] = firstIndex;
        lifetimes[4 * a + 2] = lastStream;
        lifetimes[4 * a + 3] = lastIndex;
    }

    /** Drops the spare room of the pattern tables once every instruction is in. */
    void trim() {
        patterns = Arrays.copyOf(patterns, patternCount);
        patternBuffer = Arrays.copyOf(patternBuffer, patternCount);
    }
}
