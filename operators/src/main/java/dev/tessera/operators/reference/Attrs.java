package dev.tessera.operators.reference;

import dev.tessera.operators.InternalCompilerError;
import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.Node;
import java.util.List;

/** Typed reads of a canonical node's attributes; a missing or mistyped one is a broken invariant. */
final class Attrs {
    private Attrs() {}

    static long integer(Node node, String name, long dflt) {
        Attribute a = node.attributes().get(name);
        return a == null ? dflt : ((Attribute.Int) a).value();
    }

    static double real(Node node, String name, double dflt) {
        Attribute a = node.attributes().get(name);
        if (a == null) {
            return dflt;
        }
        return a instanceof Attribute.Int i ? i.value() : ((Attribute.Float) a).value();
    }

    static boolean has(Node node, String name) {
        return node.attributes().containsKey(name);
    }

    static String string(Node node, String name, String dflt) {
        Attribute a = node.attributes().get(name);
        return a == null ? dflt : ((Attribute.Str) a).value();
    }

    static int[] ints(Node node, String name) {
        Attribute a = node.attributes().get(name);
        if (!(a instanceof Attribute.Ints list)) {
            throw new InternalCompilerError(node.opType() + " node '" + node.name() + "' lacks ints attribute '" + name + "'");
        }
        return list.values().stream().mapToInt(Math::toIntExact).toArray();
    }

    static double[] reals(Node node, String name) {
        Attribute a = node.attributes().get(name);
        if (!(a instanceof Attribute.Floats list)) {
            throw new InternalCompilerError(node.opType() + " node '" + node.name() + "' lacks floats attribute '" + name + "'");
        }
        List<Double> v = list.values();
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
