package dev.tessera.emulator;

import java.util.List;

/**
 * A region inside one buffer: partitions {@code [p0, p1)} (relative to the buffer; DRAM tensors have
 * the single partition 0) times element indices {@code [lo, hi)} in each. Strided patterns are
 * covered by their bounding box: the hazard checks are per access region, not per element, which
 * keeps them cheap and errs towards reporting. The run keeps its regions in primitive arrays
 * ({@link RegionSets}, {@link FlatProgram}); this value is for the few places that need a list of
 * pieces (a union that no single box of it covers, the memory map of the lifetime check).
 */
record Box(int p0, int p1, long lo, long hi) {
    boolean overlaps(Box o) {
        return p0 < o.p1 && o.p0 < p1 && lo < o.hi && o.lo < hi;
    }

    /**
     * The parts of this box outside {@code cut}: at most four boxes. Example: [0, 4) × [0, 10) minus
     * [1, 2) × [3, 5) is [0, 1) × [0, 10), [2, 4) × [0, 10), [1, 2) × [0, 3) and [1, 2) × [5, 10).
     */
    void subtract(Box cut, List<Box> out) {
        if (!overlaps(cut)) {
            out.add(this);
            return;
        }
        if (p0 < cut.p0) {
            out.add(new Box(p0, cut.p0, lo, hi));
        }
        if (cut.p1 < p1) {
            out.add(new Box(cut.p1, p1, lo, hi));
        }
        int m0 = Math.max(p0, cut.p0);
        int m1 = Math.min(p1, cut.p1);
        if (lo < cut.lo) {
            out.add(new Box(m0, m1, lo, cut.lo));
        }
        if (cut.hi < hi) {
            out.add(new Box(m0, m1, cut.hi, hi));
        }
    }

    static String text(int p0, int p1, long lo, long hi) {
        return "partitions [" + p0 + ", " + p1 + ") elements [" + lo + ", " + hi + ")";
    }

    @Override
    public String toString() {
        return text(p0, p1, lo, hi);
    }
}
