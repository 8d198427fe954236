package dev.tessera.operators.onnx;

import dev.tessera.operators.graph.GraphLimits;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to import a model.
 *
 * @param dimensions   values for symbolic input dimensions by name ({@code batch_size=4}); a
 *                     symbolic or missing first dimension not named here is the batch and becomes 1,
 *                     any other must be named here
 * @param maxDimension the largest size any one dimension may have (inputs and inferred tensors)
 * @param limits       the graph limits every imported tensor and the node count must respect
 */
public record ImportOptions(Map<String, Long> dimensions, long maxDimension, GraphLimits limits) {
    /** 2^24: larger than any real dimension (vocabularies, sequence lengths, image sides). */
    public static final long DEFAULT_MAX_DIMENSION = 1L << 24;

    public static final ImportOptions DEFAULTS = new ImportOptions(Map.of(), DEFAULT_MAX_DIMENSION, GraphLimits.DEFAULTS);

    public ImportOptions {
        dimensions = Map.copyOf(new TreeMap<>(dimensions));
        if (maxDimension < 1) {
            throw new IllegalArgumentException("maxDimension must be positive: " + maxDimension);
        }
    }

    public ImportOptions withDimension(String name, long value) {
        Map<String, Long> dims = new TreeMap<>(dimensions);
        dims.put(name, value);
        return new ImportOptions(dims, maxDimension, limits);
    }

    public ImportOptions withMaxDimension(long value) {
        return new ImportOptions(dimensions, value, limits);
    }

    public ImportOptions withLimits(GraphLimits value) {
        return new ImportOptions(dimensions, maxDimension, value);
    }

    /**
     * Parses a {@code name=value} override as given on the command line.
     *
     * @throws IllegalArgumentException naming the malformed text
     */
    public ImportOptions withDimension(String nameEqualsValue) {
        int eq = nameEqualsValue.lastIndexOf('=');
        if (eq <= 0 || eq == nameEqualsValue.length() - 1) {
            throw new IllegalArgumentException("expected name=value, got '" + nameEqualsValue + "'");
        }
        String name = nameEqualsValue.substring(0, eq);
        long value;
        try {
            value = Long.parseLong(nameEqualsValue.substring(eq + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dimension value of '" + name + "' is not an integer: '"
                    + nameEqualsValue.substring(eq + 1) + "'");
        }
        if (value < 1) {
            throw new IllegalArgumentException("dimension '" + name + "' must be at least 1, got " + value);
        }
        return withDimension(name, value);
    }
}
