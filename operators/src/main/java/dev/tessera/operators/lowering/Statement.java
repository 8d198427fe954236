package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One statement of the loop IR: every point of {@code domain} is an instance that reads one
 * element through each of {@code reads}, applies {@code op} and writes one element through
 * {@code write}, at the time given by {@code schedule} (a point of the program's common
 * lexicographic time). The first {@code tiles} iterators enumerate the statement's instructions
 * (one DMA descriptor, one matmul, one engine instruction per point of their projection); the
 * others run inside one instruction. {@code node} names the graph node the statement lowers.
 *
 * <p>Text (see {@link LoopText}):
 * <pre>
 * stmt relu_act kind=scalar engine=scalar op=relu tiles=1 node="relu"
 *   domain   { relu_act[t, p, f] : 0 <= t < 2 and 0 <= p < 128 and 0 <= f < 64 and 128t + p < 200 }
 *   schedule { relu_act[t, p, f] -> [4, t, 1, p, f] }
 *   write    relu_y { relu_act[t, p, f] -> relu_y[p, f] }
 *   read     relu_x { relu_act[t, p, f] -> relu_x[p, f] }
 * </pre>
 */
public record Statement(String name, StatementKind kind, Engine engine, Operation op, int tiles, String node,
        Domain domain, List<Expr> schedule, Access write, List<Access> reads) {
    public Statement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(domain, "domain");
        schedule = List.copyOf(schedule);
        Objects.requireNonNull(write, "write");
        reads = List.copyOf(reads);
        if (!LoopText.isIdentifier(name)) {
            throw new IllegalArgumentException("statement name '" + name + "' is not an identifier");
        }
        if (tiles < 0 || tiles > domain.dims()) {
            throw new IllegalArgumentException("statement '" + name + "': tiles=" + tiles + " outside [0, "
                    + domain.dims() + "]");
        }
        if (reads.size() < op.code().minReads() || reads.size() > op.code().maxReads()) {
            throw new IllegalArgumentException("statement '" + name + "': op " + op + " reads "
                    + op.code().minReads() + ".." + op.code().maxReads() + " values, got " + reads.size());
        }
        if (op.code() == OpCode.ARGMAX_ACC && op.params().size() != domain.dims() + 1) {
            throw new IllegalArgumentException("statement '" + name + "': op argmax_acc needs " + (domain.dims() + 1)
                    + " parameters (a constant and one coefficient per iterator), got " + op.params().size());
        }
        if (write.may()) {
            throw new IllegalArgumentException("statement '" + name + "': writes are must-writes");
        }
        List<String> names = domain.names();
        List<Expr> all = new ArrayList<>(schedule);
        all.addAll(write.indices());
        for (Access a : reads) {
            for (Expr e : a.indices()) {
                for (String v : e.variables()) {
                    boolean dataDependent = a.dataDependent().stream().anyMatch(it -> it.name().equals(v));
                    if (!names.contains(v) && !dataDependent) {
                        throw new IllegalArgumentException("statement '" + name + "': read of " + a.buffer()
                                + " uses unknown iterator '" + v + "'");
                    }
                }
            }
        }
        for (Expr e : all) {
            for (String v : e.variables()) {
                if (!names.contains(v)) {
                    throw new IllegalArgumentException("statement '" + name + "' uses unknown iterator '" + v + "'");
                }
            }
        }
    }

    /** The schedule in isl text, {@code { S[i] -> [0, i, 1] }}. */
    public String scheduleText() {
        List<String> t = new ArrayList<>();
        for (Expr e : schedule) {
            t.add(e.toString());
        }
        return "{ " + domain.tuple(name) + " -> [" + String.join(", ", t) + "] }";
    }

    /** The schedule padded with zeros to {@code dims} time dimensions, with the domain's constraints, in isl text. */
    public String scheduleIsl(int dims) {
        List<String> t = new ArrayList<>();
        for (Expr e : schedule) {
            t.add(e.toString());
        }
        while (t.size() < dims) {
            t.add("0");
        }
        String cond = domain.conditions();
        return "{ " + domain.tuple(name) + " -> [" + String.join(", ", t) + "]" + (cond.isEmpty() ? "" : " : " + cond) + " }";
    }

    /** All accesses: the write first, then the reads in order. */
    public List<Access> accesses() {
        List<Access> out = new ArrayList<>();
        out.add(write);
        out.addAll(reads);
        return out;
    }
}
