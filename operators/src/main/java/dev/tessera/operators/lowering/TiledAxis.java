package dev.tessera.operators.lowering;

import java.util.List;

/**
 * One axis of an iteration space split into tiles of {@code chunk} elements: a tile iterator
 * {@code t} (absent when one tile covers the axis) and an in-tile iterator {@code i} (absent when
 * a tile holds one element), with the global index {@code chunk*t + i}. The last tile is exact:
 * when {@code chunk} does not divide {@code size}, the constraint {@code chunk*t + i < size}
 * trims it. Example: size 200, chunk 128 gives {@code 0 <= t < 2}, {@code 0 <= i < 128},
 * {@code 128t + i < 200}: 200 points, not 256.
 */
public record TiledAxis(String tileName, String intraName, long size, long chunk) {
    public TiledAxis {
        if (size < 1 || chunk < 1 || chunk > size) {
            throw new IllegalArgumentException("axis of size " + size + " cannot have tiles of " + chunk);
        }
    }

    public static TiledAxis of(String name, long size, long chunk) {
        return new TiledAxis("t" + name, name, size, Math.min(Math.max(chunk, 1), size));
    }

    public long tiles() {
        return (size + chunk - 1) / chunk;
    }

    public boolean hasTile() {
        return tiles() > 1;
    }

    public boolean hasIntra() {
        return chunk > 1;
    }

    /** The tile iterator with its bounds; only when {@link #hasTile()}. */
    public Iterator tileIterator() {
        return Iterator.range(tileName, tiles());
    }

    /** The in-tile iterator with its bounds; only when {@link #hasIntra()}. */
    public Iterator intraIterator() {
        return Iterator.range(intraName, chunk);
    }

    /** The tile's index, 0 when there is one tile. */
    public Expr tile() {
        return hasTile() ? Expr.var(tileName) : Expr.constant(0);
    }

    /** The index inside the tile (0 when tiles hold one element). */
    public Expr local() {
        return hasIntra() ? Expr.var(intraName) : Expr.constant(0);
    }

    /** The global index {@code chunk*t + i}. */
    public Expr global() {
        return tile().times(chunk).plus(local());
    }

    /** The constraint that trims the last tile, if it is partial. */
    public List<Constraint> boundary() {
        if (hasTile() && hasIntra() && size % chunk != 0) {
            return List.of(Constraint.lt(global(), Expr.constant(size)));
        }
        return List.of();
    }
}
