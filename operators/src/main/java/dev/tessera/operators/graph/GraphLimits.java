package dev.tessera.operators.graph;

/**
 * The explicit limits a graph must respect to be compiled; exceeding one is an
 * {@link dev.tessera.operators.InvalidModelException} naming the limit, the value and the place.
 *
 * @param maxNodes        nodes per graph
 * @param maxTensorElements elements of any one tensor
 * @param maxRank         dimensions of any one tensor
 * @param maxTotalBytes   bytes of all tensors together (weights and activations)
 */
public record GraphLimits(int maxNodes, long maxTensorElements, int maxRank, long maxTotalBytes) {
    /** Defaults: 20,000 nodes, 2^31 elements per tensor, rank 8, 16 GiB in all. */
    public static final GraphLimits DEFAULTS = new GraphLimits(20_000, 1L << 31, 8, 16L << 30);
}
