package dev.tessera.operators.onnx;

import dev.tessera.operators.reference.WeightSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The weights of an imported model: each name maps to a reader of its values, which decodes the
 * tensor from the memory-mapped model file (or an external data file) on every call. Only constants
 * the importer computed itself (small folded tensors) are held in memory.
 */
final class OnnxWeights implements WeightSource {
    private final Map<String, Supplier<float[]>> readers;

    OnnxWeights(Map<String, Supplier<float[]>> readers) {
        this.readers = new LinkedHashMap<>(readers);
    }

    @Override
    public List<String> names() {
        return List.copyOf(readers.keySet());
    }

    @Override
    public boolean contains(String name) {
        return readers.containsKey(name);
    }

    @Override
    public float[] read(String name) {
        Supplier<float[]> reader = readers.get(name);
        if (reader == null) {
            throw new IllegalArgumentException("no weight named '" + name + "'");
        }
        return reader.get();
    }
}
