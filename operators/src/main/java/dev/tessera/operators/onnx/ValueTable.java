package dev.tessera.operators.onnx;

import dev.tessera.operators.graph.DType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the importer knows about each named value while it walks the nodes: element type and
 * concrete shape always; the values too when the value is a constant (a Constant node, an
 * initializer, or a folded computation).
 */
final class ValueTable {
    /** Constants up to this many elements are decoded for folding; larger ones stay weights. */
    static final long FOLD_LIMIT = 1 << 16;

    /**
     * One value.
     *
     * @param weight   the file-backed tensor of an initializer or Constant node, or null
     * @param constant the known values of a folded or small constant, or null
     */
    record Value(String name, DType dtype, List<Long> shape, TensorData weight, ConstTensor constant) {
        Value {
            shape = List.copyOf(shape);
        }

        boolean isRuntime() {
            return weight == null && constant == null;
        }

        boolean isConstant() {
            return !isRuntime();
        }
    }

    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, ConstTensor> decoded = new HashMap<>();

    boolean contains(String name) {
        return values.containsKey(name);
    }

    Value get(String name) {
        return values.get(name);
    }

    void put(Value value) {
        values.put(value.name(), value);
    }

    /** The values of a constant small enough to fold, decoding a weight once; null for the rest. */
    ConstTensor constantOf(String name) {
        Value v = values.get(name);
        if (v == null || v.isRuntime()) {
            return null;
        }
        if (v.constant() != null) {
            return v.constant();
        }
        if (v.weight().elementCount() > FOLD_LIMIT) {
            return null;
        }
        return decoded.computeIfAbsent(name, n -> v.weight().toConst());
    }
}
