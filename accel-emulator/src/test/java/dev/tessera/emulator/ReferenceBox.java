package dev.tessera.emulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Part of the reference emulator the tests compare the flat one against ({@link ReferenceEmulatorRun}).
 *
 * The region an access covers inside one buffer: partitions {@code [p0, p1)} (relative to the
 * buffer; DRAM tensors have the single partition 0) times element indices {@code [lo, hi)} in each.
 * Strided patterns are covered by their bounding box: the hazard checks are per access region, not
 * per element, which keeps them cheap and errs towards reporting.
 */
final class ReferenceBox {
    final int p0;
    final int p1;
    final long lo;
    final long hi;

    ReferenceBox(int p0, int p1, long lo, long hi) {
        this.p0 = p0;
        this.p1 = p1;
        this.lo = lo;
        this.hi = hi;
    }

    boolean overlaps(ReferenceBox o) {
        return p0 < o.p1 && o.p0 < p1 && lo < o.hi && o.lo < hi;
    }

    boolean contains(ReferenceBox o) {
        return p0 <= o.p0 && o.p1 <= p1 && lo <= o.lo && o.hi <= hi;
    }

    /** The parts of this box outside {@code cut}: at most four boxes. */
    void subtract(ReferenceBox cut, List<ReferenceBox> out) {
        if (!overlaps(cut)) {
            out.add(this);
            return;
        }
        if (p0 < cut.p0) {
            out.add(new ReferenceBox(p0, cut.p0, lo, hi));
        }
        if (cut.p1 < p1) {
            out.add(new ReferenceBox(cut.p1, p1, lo, hi));
        }
        int m0 = Math.max(p0, cut.p0);
        int m1 = Math.min(p1, cut.p1);
        if (lo < cut.lo) {
            out.add(new ReferenceBox(m0, m1, lo, cut.lo));
        }
        if (cut.hi < hi) {
            out.add(new ReferenceBox(m0, m1, cut.hi, hi));
        }
    }

    /** Whether the union of {@code boxes} covers this box. */
    boolean coveredBy(List<ReferenceBox> boxes) {
        for (ReferenceBox b : boxes) {
            if (b.contains(this)) {
                return true;
            }
        }
        List<ReferenceBox> left = List.of(this);
        for (ReferenceBox b : boxes) {
            List<ReferenceBox> next = new ArrayList<>();
            for (ReferenceBox r : left) {
                r.subtract(b, next);
            }
            left = next;
            if (left.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** {@code boxes} minus this box. */
    List<ReferenceBox> cutFrom(List<ReferenceBox> boxes) {
        List<ReferenceBox> out = new ArrayList<>();
        for (ReferenceBox b : boxes) {
            b.subtract(this, out);
        }
        return out;
    }

    /** Adds this box to a union kept small: boxes it contains go, and a neighbour along one axis merges. */
    void addTo(List<ReferenceBox> union) {
        ReferenceBox merged = this;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = union.size() - 1; i >= 0; i--) {
                ReferenceBox b = union.get(i);
                if (b.contains(merged)) {
                    return;
                }
                ReferenceBox joined = merged.join(b);
                if (merged.contains(b) || joined != null) {
                    union.remove(i);
                    if (joined != null) {
                        merged = joined;
                        changed = true;
                    }
                }
            }
        }
        union.add(merged);
    }

    /** The union of two boxes when it is itself a box, else null. */
    private ReferenceBox join(ReferenceBox b) {
        if (p0 == b.p0 && p1 == b.p1 && lo <= b.hi && b.lo <= hi) {
            return new ReferenceBox(p0, p1, Math.min(lo, b.lo), Math.max(hi, b.hi));
        }
        if (lo == b.lo && hi == b.hi && p0 <= b.p1 && b.p0 <= p1) {
            return new ReferenceBox(Math.min(p0, b.p0), Math.max(p1, b.p1), lo, hi);
        }
        return null;
    }

    @Override
    public String toString() {
        return "partitions [" + p0 + ", " + p1 + ") elements [" + lo + ", " + hi + ")";
    }
}
