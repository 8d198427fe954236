package dev.tessera.emulator.program;

import dev.tessera.emulator.StorageDtype;
import java.util.Arrays;
import java.util.List;

/**
 * A program's instructions as small integers, made once while the program is constructed (its names
 * are resolved then anyway, to check them): what the emulator plans a run from without looking up a
 * name, comparing an access pattern or touching an instruction object again. Written only by the
 * program's constructor and read only afterwards (published through the program's final field).
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
 * <p>Example: {@code examples/relu.tasm} (buffers x, y, t; streams dma0, scalar, dma1) has patterns
 * {@code t[0:128, +0, 512@1]} (0, on buffer 2: the load writes it, and an instruction's write is
 * numbered before its reads), {@code x[+0, 128@512, 512@1]} (1, on buffer 0) and {@code y[...]} (2,
 * on buffer 1); the load is the record {@code [DMA, 1, NONE, NONE, 0]} and the activation, which
 * reads and writes the tile, {@code [ACTIVATION, 0, NONE, NONE, 0]}.
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
    // Per buffer: partitions (1 for DRAM), elements per partition, dtype, whether in PSUM; per
    // allocation: first partition and byte offset in each partition.
    private final int[] bufferPartitions;
    private final int[] bufferElements;
    private final StorageDtype[] bufferDtype;
    private final boolean[] bufferPsum;
    private final int[] allocationPartitionStart;
    private final long[] allocationByteOffset;
    private final int[][] code;
    private AccessPattern[] patterns;
    private int[] patternBuffer;
    /** Per pattern: first partition (0 for DRAM), partitions (1 for DRAM), dimensions. */
    private int[] patternInts;
    /** Per pattern: smallest and largest element index inside a partition, elements per partition. */
    private long[] patternLongs;
    private int patternCount;
    /** Per allocation: first use stream, index, last use stream, index. */
    private final int[] lifetimes;

    ProgramCode(List<DramTensor> dram, List<Allocation> allocations, int[] streamLengths) {
        this.dramTensors = dram.size();
        int buffers = dramTensors + allocations.size();
        this.bufferPartitions = new int[buffers];
        this.bufferElements = new int[buffers];
        this.bufferDtype = new StorageDtype[buffers];
        this.bufferPsum = new boolean[buffers];
        this.allocationPartitionStart = new int[allocations.size()];
        this.allocationByteOffset = new long[allocations.size()];
        for (int b = 0; b < dramTensors; b++) {
            DramTensor t = dram.get(b);
            bufferPartitions[b] = 1;
            bufferElements[b] = (int) t.elements();
            bufferDtype[b] = t.dtype();
        }
        for (int a = 0; a < allocations.size(); a++) {
            Allocation al = allocations.get(a);
            int b = dramTensors + a;
            bufferPartitions[b] = al.partitions();
            bufferElements[b] = al.elementsPerPartition();
            bufferDtype[b] = al.dtype();
            bufferPsum[b] = al.space() == Allocation.Space.PSUM;
            allocationPartitionStart[a] = al.partitionStart();
            allocationByteOffset[a] = al.byteOffset();
        }
        this.code = new int[streamLengths.length][];
        for (int s = 0; s < code.length; s++) {
            code[s] = new int[streamLengths[s] * RECORD];
        }
        this.patterns = new AccessPattern[64];
        this.patternBuffer = new int[64];
        this.patternInts = new int[64 * 3];
        this.patternLongs = new long[64 * 3];
        this.lifetimes = new int[allocations.size() * 4];
    }

    public int dramTensors() {
        return dramTensors;
    }

    public int buffers() {
        return bufferPartitions.length;
    }

    /** Partitions of buffer b (1 for a DRAM tensor). */
    public int bufferPartitions(int b) {
        return bufferPartitions[b];
    }

    /** Elements in each partition of buffer b (all of a DRAM tensor's). */
    public int bufferElements(int b) {
        return bufferElements[b];
    }

    public StorageDtype bufferDtype(int b) {
        return bufferDtype[b];
    }

    public boolean bufferInPsum(int b) {
        return bufferPsum[b];
    }

    /** The first partition of allocation a (indexed from 0 among the allocations). */
    public int allocationPartitionStart(int a) {
        return allocationPartitionStart[a];
    }

    public long allocationByteOffset(int a) {
        return allocationByteOffset[a];
    }

    public int streams() {
        return code.length;
    }

    /** Instructions in stream s. */
    public int length(int s) {
        return code[s].length / RECORD;
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

    /** Pattern k's first partition (0 on DRAM). */
    public int patternPartitionStart(int k) {
        return patternInts[3 * k];
    }

    /** Pattern k's partitions (1 on DRAM). */
    public int patternPartitions(int k) {
        return patternInts[3 * k + 1];
    }

    public int patternDims(int k) {
        return patternInts[3 * k + 2];
    }

    /** The smallest element index pattern k touches inside a partition. */
    public long patternMinIndex(int k) {
        return patternLongs[3 * k];
    }

    public long patternMaxIndex(int k) {
        return patternLongs[3 * k + 1];
    }

    public long patternElementsPerPartition(int k) {
        return patternLongs[3 * k + 2];
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
            patternInts = Arrays.copyOf(patternInts, 6 * patternCount);
            patternLongs = Arrays.copyOf(patternLongs, 6 * patternCount);
        }
        int k = patternCount++;
        patterns[k] = ap;
        patternBuffer[k] = buffer;
        patternInts[3 * k] = ap.partitioned() ? ap.partitionStart() : 0;
        patternInts[3 * k + 1] = ap.partitions();
        patternInts[3 * k + 2] = ap.dims().size();
        patternLongs[3 * k] = ap.minIndex();
        patternLongs[3 * k + 1] = ap.maxIndex();
        patternLongs[3 * k + 2] = ap.elementsPerPartition();
        return k;
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
        patternInts = Arrays.copyOf(patternInts, 3 * patternCount);
        patternLongs = Arrays.copyOf(patternLongs, 3 * patternCount);
    }
}
