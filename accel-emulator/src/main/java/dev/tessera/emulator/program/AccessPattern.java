package dev.tessera.emulator.program;

import java.util.List;

/**
 * Which elements of one buffer an operand touches, and in what order. The elements are enumerated
 * partition by partition (on-chip buffers only), and inside a partition by the dimensions from
 * outermost to innermost: element index {@code offset + Σ i_d · stride_d} for {@code 0 ≤ i_d < count_d}.
 * Indices count elements of the buffer's dtype (not bytes); for a DRAM tensor they index its row-major
 * elements, for an allocation the elements of each partition. Stride 0 repeats an element (a
 * broadcast), which only reads may do.
 *
 * <p>Text: on-chip {@code acc[0:128, +0, 512@1]} (partitions 0..127, offset 0, 512 contiguous
 * elements); DRAM {@code A[+256, 128@1024, 256@1]} (a 128×256 window at column 256 of a row-major
 * matrix with 1024 columns). The two sides of a DMA enumerate the same number of elements, and the
 * i-th source element goes to the i-th destination element.
 */
public final class AccessPattern {
    private final String buffer;
    private final boolean partitioned;
    private final int partitionStart;
    private final int partitions;
    private final long offset;
    private final List<Dim> dims;
    private final long elementsPerPartition;
    private final long minIndex;
    private final long maxIndex;
    private final boolean repeatsElements;

    private AccessPattern(String buffer, boolean partitioned, int partitionStart, int partitions, long offset, List<Dim> dims) {
        if (buffer == null) {
            throw new InvalidProgramException("an operand needs the name of its buffer, got null");
        }
        this.buffer = buffer;
        this.partitioned = partitioned;
        this.partitionStart = partitionStart;
        this.partitions = partitions;
        this.offset = offset;
        this.dims = List.copyOf(dims);
        if (partitioned && (partitionStart < 0 || partitions < 1)) {
            throw new InvalidProgramException("operand " + buffer + ": partitions " + partitionStart + ":"
                    + (partitionStart + partitions) + " are not a non-empty range");
        }
        if (offset < 0) {
            throw new InvalidProgramException("operand " + buffer + ": offset " + offset + " is negative");
        }
        long n = 1;
        long lo = offset;
        long hi = offset;
        boolean repeats = false;
        for (Dim d : this.dims) {
            repeats |= d.stride() == 0 && d.count() > 1;
            n = Math.multiplyExact(n, d.count());
            long span = Math.multiplyExact((long) d.count() - 1, d.stride());
            if (span < 0) {
                lo += span;
            } else {
                hi += span;
            }
        }
        this.elementsPerPartition = n;
        this.minIndex = lo;
        this.maxIndex = hi;
        this.repeatsElements = repeats;
    }

    /** An operand on SBUF or PSUM allocation {@code buffer}, partitions {@code [start, start + count)}. */
    public static AccessPattern onChip(String buffer, int partitionStart, int partitions, long offset, Dim... dims) {
        return new AccessPattern(buffer, true, partitionStart, partitions, offset, List.of(dims));
    }

    /** Contiguous {@code free} elements from {@code offset} in each of the partitions. */
    public static AccessPattern tile(String buffer, int partitionStart, int partitions, long offset, int free) {
        return onChip(buffer, partitionStart, partitions, offset, Dim.of(free, 1));
    }

    /** An operand on DRAM tensor {@code buffer}. */
    public static AccessPattern dram(String buffer, long offset, Dim... dims) {
        return new AccessPattern(buffer, false, 0, 0, offset, List.of(dims));
    }

    static AccessPattern of(String buffer, boolean partitioned, int partitionStart, int partitions, long offset, List<Dim> dims) {
        return new AccessPattern(buffer, partitioned, partitionStart, partitions, offset, dims);
    }

    public String buffer() {
        return buffer;
    }

    /** True for SBUF/PSUM operands, false for DRAM ones. */
    public boolean partitioned() {
        return partitioned;
    }

    public int partitionStart() {
        return partitionStart;
    }

    /** Partitions spanned (1 for a DRAM operand, which has none). */
    public int partitions() {
        return partitioned ? partitions : 1;
    }

    public long offset() {
        return offset;
    }

    public List<Dim> dims() {
        return dims;
    }

    /** Elements enumerated in each partition. */
    public long elementsPerPartition() {
        return elementsPerPartition;
    }

    /** Elements enumerated in all. */
    public long elements() {
        return elementsPerPartition * partitions();
    }

    /** The smallest element index touched inside a partition. */
    public long minIndex() {
        return minIndex;
    }

    /** The largest element index touched inside a partition. */
    public long maxIndex() {
        return maxIndex;
    }

    /** Whether some dimension has stride 0 with count above 1 (an element is touched twice). */
    public boolean repeatsElements() {
        return repeatsElements;
    }

    /** Whether the innermost dimension has stride 1 (or there is none). */
    public boolean innermostContiguous() {
        return dims.isEmpty() || dims.get(dims.size() - 1).stride() == 1;
    }

    public String text() {
        StringBuilder sb = new StringBuilder(buffer).append('[');
        if (partitioned) {
            sb.append(partitionStart).append(':').append(partitionStart + partitions).append(", ");
        }
        sb.append('+').append(offset);
        for (Dim d : dims) {
            sb.append(", ").append(d.text());
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessPattern a && buffer.equals(a.buffer) && partitioned == a.partitioned
                && partitionStart == a.partitionStart && partitions == a.partitions && offset == a.offset
                && dims.equals(a.dims);
    }

    @Override
    public int hashCode() {
        return ((buffer.hashCode() * 31 + partitionStart) * 31 + partitions) * 31 + Long.hashCode(offset) * 31
                + dims.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
