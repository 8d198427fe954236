package dev.tessera.polyhedral.text;

import dev.tessera.polyhedral.BasicRelation;
import dev.tessera.polyhedral.Div;
import dev.tessera.polyhedral.ExactMath;
import dev.tessera.polyhedral.Relation;
import dev.tessera.polyhedral.Space;
import dev.tessera.polyhedral.Tuple;
import dev.tessera.polyhedral.UnionRelation;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes sets and relations in isl syntax that isl reads back: parameters by name, set and
 * input dimensions {@code i0, i1, …}, output dimensions {@code o0, …}, locals {@code e0, …}
 * declared in {@code exists (e0 = floor((…)/d), e1 : …)}; one disjunct per {@code ;}. The
 * text depends only on the value's representation, so the same value built the same way
 * prints the same bytes. Example: {@code { [i0] : i0 >= 0 and -i0 + 9 >= 0 }}.
 */
public final class IslPrinter {
    private IslPrinter() {}

    public static String print(UnionRelation u) {
        if (u.parts().size() == 1) {
            return print(u.parts().get(0));
        }
        StringBuilder sb = new StringBuilder(prefix(u.params()));
        sb.append("{ ");
        List<String> pieces = new ArrayList<>();
        for (Relation r : u.parts()) {
            for (BasicRelation b : r.pieces()) {
                pieces.add(piece(r.space(), b));
            }
        }
        sb.append(String.join("; ", pieces));
        return sb.append(" }").toString();
    }

    public static String print(Relation r) {
        StringBuilder sb = new StringBuilder(prefix(r.space().params()));
        sb.append("{ ");
        if (r.pieces().isEmpty()) {
            sb.append(tuples(r.space())).append(r.space().isParamDomain() ? " false" : " : false");
        } else {
            List<String> pieces = new ArrayList<>();
            for (BasicRelation b : r.pieces()) {
                pieces.add(piece(r.space(), b));
            }
            sb.append(String.join("; ", pieces));
        }
        return sb.append(" }").toString();
    }

    private static String prefix(List<String> params) {
        return params.isEmpty() ? "" : "[" + String.join(", ", params) + "] -> ";
    }

    private static List<String> names(Space s) {
        List<String> n = new ArrayList<>(s.params());
        for (int i = 0; i < s.nIn(); i++) {
            n.add(fresh("i" + i, s.params()));
        }
        String outPrefix = s.isRelation() ? "o" : "i";
        for (int i = 0; i < s.nOut(); i++) {
            n.add(fresh(outPrefix + i, s.params()));
        }
        return n;
    }

    private static String fresh(String name, List<String> taken) {
        String n = name;
        while (taken.contains(n)) {
            n = n + "'";
        }
        return n;
    }

    private static String tuples(Space s) {
        List<String> n = names(s);
        int[] at = {s.nParam()};
        if (s.isParamDomain()) {
            return ":";
        }
        if (s.isRelation()) {
            return tuple(s.in(), n, at) + " -> " + tuple(s.out(), n, at);
        }
        return tuple(s.out(), n, at);
    }

    private static String tuple(Tuple t, List<String> names, int[] at) {
        String name = t.name() == null ? "" : t.name();
        if (t.isWrapped()) {
            return name + "[" + tuple(t.domain(), names, at) + " -> " + tuple(t.range(), names, at) + "]";
        }
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < t.arity(); i++) {
            dims.add(names.get(at[0]++));
        }
        return name + "[" + String.join(", ", dims) + "]";
    }

    private static String piece(Space s, BasicRelation b) {
        List<String> names = names(s);
        for (int k = 0; k < b.nLocal(); k++) {
            names.add(fresh("e" + k, names));
        }
        List<String> cons = new ArrayList<>();
        for (int i = 0; i < b.nEq(); i++) {
            cons.add(expr(b.eq(i), names) + " = 0");
        }
        for (int i = 0; i < b.nIneq(); i++) {
            cons.add(expr(b.ineq(i), names) + " >= 0");
        }
        String body = String.join(" and ", cons);
        if (b.nLocal() > 0) {
            List<String> decl = new ArrayList<>();
            for (int k : localOrder(b)) {
                Div d = b.local(k);
                String n = names.get(b.nFixed() + k);
                decl.add(d == null ? n : n + " = floor((" + expr(d.numerator(), names) + ")/" + ExactMath.toString(d.denominator()) + ")");
            }
            body = "exists (" + String.join(", ", decl) + " : " + (cons.isEmpty() ? "true" : body) + ")";
        }
        String head = tuples(s);
        if (s.isParamDomain()) {
            return body.isEmpty() ? ": true" : ": " + body;
        }
        return body.isEmpty() ? head : head + " : " + body;
    }

    /** Locals in an order where every div follows the locals its numerator uses. */
    private static List<Integer> localOrder(BasicRelation b) {
        List<Integer> order = new ArrayList<>();
        boolean[] done = new boolean[b.nLocal()];
        boolean progress = true;
        while (order.size() < b.nLocal() && progress) {
            progress = false;
            for (int k = 0; k < b.nLocal(); k++) {
                if (done[k]) {
                    continue;
                }
                Div d = b.local(k);
                boolean ready = true;
                for (int j = 0; j < b.nLocal() && d != null; j++) {
                    if (!done[j] && j != k && d.numerator()[b.nFixed() + j] != 0) {
                        ready = false;
                    }
                }
                if (ready) {
                    done[k] = true;
                    order.add(k);
                    progress = true;
                }
            }
        }
        if (order.size() < b.nLocal()) {
            throw new IllegalStateException("cyclic div definitions");
        }
        return order;
    }

    static String expr(long[] row, List<String> names) {
        StringBuilder sb = new StringBuilder();
        int w = row.length - 1;
        for (int i = 0; i < w; i++) {
            long c = row[i];
            if (c == 0) {
                continue;
            }
            if (sb.length() == 0) {
                sb.append(c == 1 ? "" : c == -1 ? "-" : ExactMath.toString(c) + "*");
            } else {
                sb.append(c > 0 ? " + " : " - ");
                long a = Math.abs(c);
                sb.append(a == 1 ? "" : ExactMath.toString(a) + "*");
            }
            sb.append(names.get(i));
        }
        long k = row[w];
        if (sb.length() == 0) {
            sb.append(ExactMath.toString(k));
        } else if (k != 0) {
            sb.append(k > 0 ? " + " : " - ").append(ExactMath.toString(Math.abs(k)));
        }
        return sb.toString();
    }

    /** A single point {@code { S[1, 2] }} (a wrapped tuple prints nested). */
    public static String point(Space s, long[] values) {
        List<String> vals = new ArrayList<>(s.params());
        for (long v : values) {
            vals.add(ExactMath.toString(v));
        }
        int[] at = {s.nParam()};
        String t = s.isRelation() ? tuple(s.in(), vals, at) + " -> " + tuple(s.out(), vals, at) : tuple(s.out(), vals, at);
        return "{ " + t + " }";
    }
}
