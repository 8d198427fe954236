package dev.tessera.operators.graph;

import dev.tessera.operators.InvalidModelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One node under shape inference: its input types and typed, range-checked access to its
 * attributes. Every failure names the model, the node, its op type and what is wrong.
 */
final class OpContext {
    private final String model;
    private final Node node;
    private final List<TensorType> inputs;

    OpContext(String model, Node node, List<TensorType> inputs) {
        this.model = model;
        this.node = node;
        this.inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
    }

    Node node() {
        return node;
    }

    int inputCount() {
        return inputs.size();
    }

    int outputCount() {
        return node.outputs().size();
    }

    /** Whether optional input {@code i} is present (ONNX marks a skipped optional input with ""). */
    boolean hasInput(int i) {
        return i < inputs.size() && inputs.get(i) != null;
    }

    TensorType input(int i) {
        return inputs.get(i);
    }

    List<Long> shape(int i) {
        return inputs.get(i).shape();
    }

    int rank(int i) {
        return inputs.get(i).rank();
    }

    DType dtype(int i) {
        return inputs.get(i).dtype();
    }

    boolean has(String attribute) {
        return node.attributes().containsKey(attribute);
    }

    long intAttr(String name, long defaultValue) {
        Attribute.Int a = attribute(name, Attribute.Int.class, "an int");
        return a == null ? defaultValue : a.value();
    }

    long requiredInt(String name) {
        if (!has(name)) {
            throw fail("missing required attribute '" + name + "'");
        }
        return intAttr(name, 0);
    }

    double floatAttr(String name, double defaultValue) {
        Attribute.Float a = attribute(name, Attribute.Float.class, "a float");
        return a == null ? defaultValue : a.value();
    }

    /** The ints attribute {@code name}, or null when absent. */
    List<Long> intsOrNull(String name) {
        Attribute.Ints a = attribute(name, Attribute.Ints.class, "a list of ints");
        return a == null ? null : a.values();
    }

    List<Long> requiredInts(String name) {
        List<Long> v = intsOrNull(name);
        if (v == null) {
            throw fail("missing required attribute '" + name + "'");
        }
        return v;
    }

    /** The ints attribute {@code name} of exactly {@code length} values, or {@code fill} repeated. */
    List<Long> ints(String name, int length, long fill) {
        List<Long> v = intsOrNull(name);
        if (v == null) {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                out.add(fill);
            }
            return out;
        }
        if (v.size() != length) {
            throw fail("attribute '" + name + "' = " + v + " has " + v.size() + " values, expected " + length);
        }
        return v;
    }

    List<Double> floatsOrNull(String name) {
        Attribute.Floats a = attribute(name, Attribute.Floats.class, "a list of floats");
        return a == null ? null : a.values();
    }

    /** The string attribute {@code name}, which must be one of {@code allowed} (the first is the default). */
    String choice(String name, String... allowed) {
        Attribute.Str s = attribute(name, Attribute.Str.class, "a string");
        if (s == null) {
            return allowed[0];
        }
        for (String option : allowed) {
            if (option.equals(s.value())) {
                return option;
            }
        }
        throw fail("attribute '" + name + "' = \"" + s.value() + "\" is not supported; expected one of "
                + String.join(", ", allowed));
    }

    /** Checks {@code value} lies in [lo, hi], naming the attribute otherwise. */
    long inRange(String attribute, long value, long lo, long hi) {
        if (value < lo || value > hi) {
            throw fail("attribute '" + attribute + "' = " + value + " is out of range [" + lo + ", " + hi + "]");
        }
        return value;
    }

    /** Normalizes a possibly negative axis of a rank-{@code rank} tensor to [0, rank). */
    int axis(String attribute, long axis, int rank) {
        inRange(attribute, axis, -rank, rank - 1L);
        return (int) (axis < 0 ? axis + rank : axis);
    }

    void requireRank(int input, int... allowed) {
        for (int r : allowed) {
            if (rank(input) == r) {
                return;
            }
        }
        throw fail("input " + input + " ('" + node.inputs().get(input) + "') has shape " + shape(input)
                + " of rank " + rank(input) + ", expected rank " + joinOr(allowed));
    }

    void requireMinRank(int input, int minRank) {
        if (rank(input) < minRank) {
            throw fail("input " + input + " ('" + node.inputs().get(input) + "') has shape " + shape(input)
                    + " of rank " + rank(input) + ", expected rank >= " + minRank);
        }
    }

    /** Checks that input {@code i} has exactly {@code expected} as its shape. */
    void requireShape(int input, List<Long> expected, String what) {
        if (!shape(input).equals(expected)) {
            throw fail(what + " input " + input + " ('" + node.inputs().get(input) + "') has shape " + shape(input)
                    + ", expected " + expected);
        }
    }

    /** Attribute {@code name} if it has type {@code type}, null when absent; a user error otherwise. */
    private <T extends Attribute> T attribute(String name, Class<T> type, String kind) {
        Attribute a = node.attributes().get(name);
        if (a == null || type.isInstance(a)) {
            return type.cast(a);
        }
        throw fail("attribute '" + name + "' must be " + kind + ", got " + describe(a));
    }

    InvalidModelException fail(String what) {
        return new InvalidModelException(String.format(Locale.ROOT, "model '%s': node '%s' (%s): %s",
                model, node.name(), node.opType(), what));
    }

    private static String joinOr(int[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(i == values.length - 1 ? " or " : ", ");
            }
            sb.append(values[i]);
        }
        return sb.toString();
    }

    private static String describe(Attribute a) {
        if (a instanceof Attribute.Int i) {
            return "int " + i.value();
        } else if (a instanceof Attribute.Ints i) {
            return "ints " + i.values();
        } else if (a instanceof Attribute.Float f) {
            return "float " + f.value();
        } else if (a instanceof Attribute.Floats f) {
            return "floats " + f.values();
        } else if (a instanceof Attribute.Str s) {
            return "string \"" + s.value() + "\"";
        }
        return "strings " + ((Attribute.Strs) a).values();
    }
}
