package dev.tessera.operators.graph;

import java.util.List;

/**
 * A typed node attribute. Names and meanings follow ONNX. Where ONNX (opset 10+) passes a
 * compile-time constant as an input tensor — Reshape {@code shape}, Slice {@code starts/ends/axes/
 * steps}, Pad {@code pads} and {@code value}, Clip {@code min/max}, Squeeze/Unsqueeze/ReduceMean
 * {@code axes}, Split {@code split}, Resize {@code scales/sizes} — the graph IR carries it as an
 * attribute of that name instead (importers fold the constant).
 */
public sealed interface Attribute {
    record Int(long value) implements Attribute {}

    record Ints(List<Long> values) implements Attribute {
        public Ints {
            values = List.copyOf(values);
        }
    }

    record Float(double value) implements Attribute {}

    record Floats(List<Double> values) implements Attribute {
        public Floats {
            values = List.copyOf(values);
        }
    }

    record Str(String value) implements Attribute {}

    record Strs(List<String> values) implements Attribute {
        public Strs {
            values = List.copyOf(values);
        }
    }

    static Attribute of(long v) {
        return new Int(v);
    }

    static Attribute of(double v) {
        return new Float(v);
    }

    static Attribute of(String v) {
        return new Str(v);
    }

    static Attribute ints(long... vs) {
        return new Ints(java.util.Arrays.stream(vs).boxed().toList());
    }
}
