package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A tiled iteration space: one {@link TiledAxis} per axis, one of them (or none) on the SBUF
 * partitions. On-chip tiles are laid out {@code [partition chunk, free chunks…]}: the partition
 * axis's chunk first (1 when there is none), then the chunks (greater than 1) of the other axes in
 * order. Iterators are {@code t<k>} (tile) and {@code i<k>} (in tile) for axis {@code k}, after an
 * optional prefix.
 *
 * <p>Example: [1, 200, 768] with axis 1 on 128 partitions and a 64 KiB free budget for fp32 gives
 * chunks [1, 128, 768]: iterators {@code t1, i1, i2}, tiles of {@code [128, 768]}, the second one
 * trimmed to 72 partitions by {@code 128t1 + i1 < 200}.
 */
final class TileSpace {
    private final List<TiledAxis> axes;
    private final int partitionAxis;

    TileSpace(List<TiledAxis> axes, int partitionAxis) {
        this.axes = List.copyOf(axes);
        this.partitionAxis = partitionAxis;
    }

    /**
     * Chooses tiles for {@code sizes}: the partition axis gets up to {@code partitions}; the free
     * axes, innermost first, are taken whole while their elements fit {@code freeElements}, the
     * next one partially, the rest one at a time. Axes in {@code whole} are never split (a
     * reduction must see a whole row); the caller checks they fit.
     */
    static TileSpace plan(String prefix, List<Long> sizes, int partitionAxis, int partitions, long freeElements,
            Set<Integer> whole) {
        long[] chunk = new long[sizes.size()];
        long used = 1;
        for (int k : whole) {
            if (k != partitionAxis) {
                chunk[k] = sizes.get(k);
                used *= sizes.get(k);
            }
        }
        for (int k = sizes.size() - 1; k >= 0; k--) {
            if (k == partitionAxis || whole.contains(k)) {
                continue;
            }
            long room = Math.max(1, freeElements / used);
            chunk[k] = Math.min(sizes.get(k), room);
            used *= chunk[k];
        }
        if (partitionAxis >= 0) {
            chunk[partitionAxis] = Math.min(sizes.get(partitionAxis), partitions);
        }
        List<TiledAxis> axes = new ArrayList<>();
        for (int k = 0; k < sizes.size(); k++) {
            axes.add(new TiledAxis(prefix + "t" + k, prefix + "i" + k, sizes.get(k), chunk[k]));
        }
        return new TileSpace(axes, partitionAxis);
    }

    /** The axis with the most elements up to {@code partitions}, outermost on ties, skipping {@code excluded}; -1 if none is left. */
    static int choosePartitionAxis(List<Long> sizes, int partitions, Set<Integer> excluded) {
        int best = -1;
        long bestSize = 0;
        for (int k = 0; k < sizes.size(); k++) {
            long s = Math.min(sizes.get(k), partitions);
            if (!excluded.contains(k) && s > bestSize) {
                best = k;
                bestSize = s;
            }
        }
        return best;
    }

    List<TiledAxis> axes() {
        return axes;
    }

    TiledAxis axis(int k) {
        return axes.get(k);
    }

    int partitionAxis() {
        return partitionAxis;
    }

    int rank() {
        return axes.size();
    }

    /** Tile iterators of all axes, in axis order. */
    List<Iterator> tileIterators() {
        List<Iterator> out = new ArrayList<>();
        for (TiledAxis a : axes) {
            if (a.hasTile()) {
                out.add(a.tileIterator());
            }
        }
        return out;
    }

    /** In-tile iterators of the axes in {@code include}, in axis order. */
    List<Iterator> intraIterators(Set<Integer> include) {
        List<Iterator> out = new ArrayList<>();
        for (int k = 0; k < axes.size(); k++) {
            if (include.contains(k) && axes.get(k).hasIntra()) {
                out.add(axes.get(k).intraIterator());
            }
        }
        return out;
    }

    /** Boundary constraints of the axes in {@code include}. */
    List<Constraint> boundaries(Set<Integer> include) {
        List<Constraint> out = new ArrayList<>();
        for (int k = 0; k < axes.size(); k++) {
            if (include.contains(k)) {
                out.addAll(axes.get(k).boundary());
            }
        }
        return out;
    }

    /** All axes: {0, …, rank-1}. */
    Set<Integer> all() {
        Set<Integer> s = new java.util.TreeSet<>();
        for (int k = 0; k < axes.size(); k++) {
            s.add(k);
        }
        return s;
    }

    /** The domain: all tile iterators, then the in-tile iterators of {@code include}, then extra iterators. */
    Domain domain(Set<Integer> include, List<Iterator> extra, List<Constraint> extraConstraints) {
        List<Iterator> its = new ArrayList<>(tileIterators());
        its.addAll(intraIterators(include));
        its.addAll(extra);
        List<Constraint> cs = new ArrayList<>(boundaries(include));
        cs.addAll(extraConstraints);
        return new Domain(its, cs);
    }

    /** The on-chip tile shape, with extent 1 on free axes outside {@code used} (broadcast). */
    List<Long> tileShape(Set<Integer> used) {
        List<Long> out = new ArrayList<>();
        out.add(partitionAxis >= 0 ? axes.get(partitionAxis).chunk() : 1L);
        for (int k = 0; k < axes.size(); k++) {
            if (k != partitionAxis && axes.get(k).hasIntra()) {
                out.add(used.contains(k) ? axes.get(k).chunk() : 1L);
            }
        }
        return out;
    }

    /** Indices into a {@link #tileShape} tile: in-tile indices, 0 on axes outside {@code used}. */
    List<Expr> local(Set<Integer> used) {
        List<Expr> out = new ArrayList<>();
        out.add(partitionAxis >= 0 ? axes.get(partitionAxis).local() : Expr.constant(0));
        for (int k = 0; k < axes.size(); k++) {
            if (k != partitionAxis && axes.get(k).hasIntra()) {
                out.add(used.contains(k) ? axes.get(k).local() : Expr.constant(0));
            }
        }
        return out;
    }

    /** Global indices of every axis. */
    List<Expr> global() {
        List<Expr> out = new ArrayList<>();
        for (TiledAxis a : axes) {
            out.add(a.global());
        }
        return out;
    }

    /** Instruction dimensions of a domain built by {@link #domain}: its tile iterators. */
    int tileDims() {
        return tileIterators().size();
    }
}
