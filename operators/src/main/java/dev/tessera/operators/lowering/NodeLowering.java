package dev.tessera.operators.lowering;

import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * What a family lowering sees of one node: its shapes and attributes, its place in the program
 * (the node's index is the first time coordinate of all its statements, so operators never
 * interleave), and a small statement builder.
 */
final class NodeLowering {
    private final ProgramBuilder program;
    private final Node node;
    private final int index;

    NodeLowering(ProgramBuilder program, Node node, int index) {
        this.program = program;
        this.node = node;
        this.index = index;
    }

    ProgramBuilder program() {
        return program;
    }

    Node node() {
        return node;
    }

    int partitions() {
        return program.spec().partitions();
    }

    boolean hasInput(int i) {
        return i < node.inputs().size() && !node.inputs().get(i).isEmpty();
    }

    List<Long> inShape(int i) {
        return program.tensor(node.inputs().get(i)).shape();
    }

    List<Long> outShape(int i) {
        return program.tensor(node.outputs().get(i)).shape();
    }

    String inDram(int i) {
        return program.dram(node.inputs().get(i));
    }

    String outDram(int i) {
        return program.dram(node.outputs().get(i));
    }

    ElementType inType(int i) {
        return program.typeOf(program.tensor(node.inputs().get(i)));
    }

    ElementType outType(int i) {
        return program.typeOf(program.tensor(node.outputs().get(i)));
    }

    /** The widest element, in bytes, of the node's inputs and outputs: what sizes its tiles. */
    int widestBytes() {
        int w = 1;
        for (int i = 0; i < node.inputs().size(); i++) {
            if (hasInput(i)) {
                w = Math.max(w, inType(i).bytes());
            }
        }
        for (int i = 0; i < node.outputs().size(); i++) {
            if (!node.outputs().get(i).isEmpty()) {
                w = Math.max(w, outType(i).bytes());
            }
        }
        return w;
    }

    ElementType storage() {
        return program.storage();
    }

    long intAttr(String name, long fallback) {
        return node.attributes().get(name) instanceof Attribute.Int i ? i.value() : fallback;
    }

    double floatAttr(String name, double fallback) {
        return node.attributes().get(name) instanceof Attribute.Float f ? f.value() : fallback;
    }

    String strAttr(String name, String fallback) {
        return node.attributes().get(name) instanceof Attribute.Str s ? s.value() : fallback;
    }

    List<Long> intsAttr(String name, List<Long> fallback) {
        return node.attributes().get(name) instanceof Attribute.Ints i ? i.values() : fallback;
    }

    /** A list of {@code n} copies of {@code v}. */
    static List<Long> repeat(long v, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(v);
        }
        return out;
    }

    /** A user error about this node: unsupported by lowering or over a limit. */
    InvalidModelException unsupported(String what) {
        return new InvalidModelException("node '" + node.name() + "' (" + node.opType() + "): " + what);
    }

    String sbuf(String suffix, ElementType type, List<Long> shape) {
        return program.onChip(node.name() + "_" + suffix, MemorySpace.SBUF, type, shape);
    }

    String psum(String suffix, List<Long> shape) {
        return program.onChip(node.name() + "_" + suffix, MemorySpace.PSUM, ElementType.FP32, shape);
    }

    /** Starts a statement named after the node and {@code suffix}. */
    StatementBuilder stmt(String suffix, StatementKind kind, Engine engine, Operation op) {
        return new StatementBuilder(program.unique(node.name() + "_" + suffix), kind, engine, op);
    }

    /** A time vector: the node index, then the parts (Expr, Long/Integer, or lists of them) in order. */
    List<Expr> time(Object... parts) {
        List<Expr> out = new ArrayList<>();
        out.add(Expr.constant(index));
        for (Object p : parts) {
            append(out, p);
        }
        return out;
    }

    private static void append(List<Expr> out, Object p) {
        if (p instanceof Expr e) {
            out.add(e);
        } else if (p instanceof Number n) {
            out.add(Expr.constant(n.longValue()));
        } else if (p instanceof Iterator it) {
            out.add(Expr.var(it.name()));
        } else if (p instanceof List<?> l) {
            for (Object o : l) {
                append(out, o);
            }
        } else {
            throw new IllegalArgumentException("not a time part: " + p);
        }
    }

    /** Fluent construction of one statement. */
    final class StatementBuilder {
        private final String name;
        private final StatementKind kind;
        private final Engine engine;
        private final Operation op;
        private int tiles;
        private Domain domain;
        private List<Expr> schedule;
        private Access write;
        private final List<Access> reads = new ArrayList<>();

        private StatementBuilder(String name, StatementKind kind, Engine engine, Operation op) {
            this.name = name;
            this.kind = kind;
            this.engine = engine;
            this.op = op;
        }

        StatementBuilder domain(Domain d, int tileDims) {
            this.domain = d;
            this.tiles = tileDims;
            return this;
        }

        StatementBuilder schedule(List<Expr> s) {
            this.schedule = s;
            return this;
        }

        StatementBuilder write(String buffer, List<Expr> idx) {
            this.write = Access.of(buffer, idx);
            return this;
        }

        StatementBuilder read(String buffer, List<Expr> idx) {
            reads.add(Access.of(buffer, idx));
            return this;
        }

        StatementBuilder read(Access a) {
            reads.add(a);
            return this;
        }

        void add() {
            program.add(new Statement(name, kind, engine, op, tiles, node.name(), domain, schedule, write, reads));
        }
    }
}
