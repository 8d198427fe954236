package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole-program check that every SBUF or PSUM element a statement reads was written earlier
 * under the common schedule. Only statements touching the same on-chip buffer interact, so the
 * program is split by buffer; within a buffer each read is first proved cheaply by a
 * <em>witness</em>, and only the reads no witness proves go to the library's exact dataflow
 * (isl's must-no-source under the schedule and the buffer's must writes, which must be empty).
 *
 * <p>A witness for a read {@code R} of statement {@code S} is a writer {@code W} of the buffer and
 * an affine map {@code f} from {@code S}'s instances to {@code W}'s, guessed from the schedules
 * (a time dimension that is a bare iterator of {@code W} takes {@code S}'s value there, up to the
 * first dimension where both are different constants) and from {@code W}'s write (an index that is
 * a bare iterator plus a constant is solved from {@code R}'s index). The guess is then proved with
 * {@link DomainBounds} over {@code S}'s domain: {@code f(s)} lies in {@code W}'s domain,
 * {@code W} writes at {@code f(s)} the element {@code R} reads at {@code s}, and
 * {@code time(W, f(s)) ≺ time(S, s)}. Proved for every {@code s}, each read instance has an
 * earlier write of its element, which is exactly the property; a guess that fails to prove decides
 * nothing and the read goes to the exact check.
 *
 * <p>Example: a conv's matmul {@code mm[tm, tc, r0, r1, m, o0, o1, c]} at time
 * {@code [n, tm, 1, tc, 3, …]} reads {@code x_sb[c, 2o0 + r0, 2o1 + r1]}; the load
 * {@code load[tm, tc, c, l0, l1]} at {@code [n, tm, 1, tc, 1, c, l0, l1]} writes
 * {@code x_sb[c, l0, l1]}. The guess {@code f = (tm, tc, c, 2o0 + r0, 2o1 + r1)} meets the load's
 * bounds on the matmul's domain, writes the same element, and is earlier at the fifth time
 * dimension ({@code 1 < 3}).
 */
final class OnChipSources {
    private OnChipSources() {}

    /** A read of an on-chip buffer: statement, access and the bounds of its (extended) domain. */
    private record Read(Statement statement, Access access, DomainBounds bounds) {}

    /**
     * Checks every read of an SBUF or PSUM buffer of {@code p}; {@code bounds} holds each
     * statement's domain bounds, or is null to put every read to the exact question. Returns the
     * number of exact questions asked.
     *
     * @throws dev.tessera.operators.InternalCompilerError naming the first statement whose reads
     *         have elements without an earlier write, and those instances
     */
    static int check(LoopProgram p, Map<String, Buffer> buffers, Map<String, DomainBounds> bounds) {
        Map<String, List<Statement>> writers = new LinkedHashMap<>();
        Map<String, List<Read>> reads = new LinkedHashMap<>();
        for (Statement s : p.statements()) {
            if (buffers.get(s.write().buffer()).space() != MemorySpace.DRAM) {
                writers.computeIfAbsent(s.write().buffer(), k -> new ArrayList<>()).add(s);
            }
            for (Access a : s.reads()) {
                if (buffers.get(a.buffer()).space() != MemorySpace.DRAM) {
                    DomainBounds b = bounds == null ? null
                            : a.may() ? DomainBounds.of(s.domain(), a.dataDependent()) : bounds.get(s.name());
                    reads.computeIfAbsent(a.buffer(), k -> new ArrayList<>()).add(new Read(s, a, b));
                }
            }
        }
        int dims = p.scheduleDims();
        Map<String, Boolean> answers = bounds == null ? null : new HashMap<>();
        int asked = 0;
        for (Map.Entry<String, List<Read>> e : reads.entrySet()) {
            List<Statement> ws = writers.getOrDefault(e.getKey(), List.of());
            List<Read> unproved = new ArrayList<>();
            for (Read r : e.getValue()) {
                if (r.bounds() == null || !hasWitness(r, ws, dims)) {
                    unproved.add(r);
                }
            }
            if (!unproved.isEmpty()) {
                asked += checkExactly(e.getKey(), ws, unproved, dims, answers);
            }
        }
        return asked;
    }

    private static boolean hasWitness(Read r, List<Statement> writers, int dims) {
        for (Statement w : writers) {
            Map<String, Expr> f = guess(w, r, dims);
            if (f != null && proves(w, f, r, dims)) {
                return true;
            }
        }
        return false;
    }

    /** {@code W}'s iterators as expressions over {@code S}'s, or null when some iterator stays unknown. */
    private static Map<String, Expr> guess(Statement w, Read r, int dims) {
        Map<String, Expr> f = new LinkedHashMap<>();
        List<Expr> tw = time(w, dims);
        List<Expr> ts = time(r.statement(), dims);
        for (int k = 0; k < dims; k++) {
            Expr ew = tw.get(k);
            Expr es = ts.get(k);
            if (ew.isConstant() && es.isConstant() && ew.constantTerm() != es.constantTerm()) {
                break;
            }
            String v = bareIterator(ew);
            if (v != null && !f.containsKey(v)) {
                f.put(v, es);
            }
        }
        List<Expr> written = w.write().indices();
        for (int j = 0; j < written.size(); j++) {
            Expr offset = Expr.constant(written.get(j).constantTerm());
            String v = bareIterator(written.get(j).minus(offset));
            if (v != null && !f.containsKey(v)) {
                f.put(v, r.access().indices().get(j).minus(offset));
            }
        }
        for (Iterator it : w.domain().iterators()) {
            if (!f.containsKey(it.name())) {
                boolean single = it.lower().isConstant() && it.upper().isConstant()
                        && it.upper().constantTerm() == it.lower().constantTerm() + 1;
                if (!single) {
                    return null;
                }
                f.put(it.name(), it.lower());
            }
        }
        return f;
    }

    private static boolean proves(Statement w, Map<String, Expr> f, Read r, int dims) {
        DomainBounds b = r.bounds();
        for (Iterator it : w.domain().iterators()) {
            Expr v = f.get(it.name());
            if (!atLeast(b, v.minus(at(it.lower(), f)), 0) || !atLeast(b, at(it.upper(), f).minus(v), 1)) {
                return false;
            }
        }
        for (Constraint c : w.domain().constraints()) {
            Expr slack = at(c.rhs(), f).minus(at(c.lhs(), f));
            boolean holds = switch (c.relation()) {
                case LE -> atLeast(b, slack, 0);
                case LT -> atLeast(b, slack, 1);
                case EQ -> isZero(b, slack);
            };
            if (!holds) {
                return false;
            }
        }
        List<Expr> written = w.write().indices();
        for (int j = 0; j < written.size(); j++) {
            if (!isZero(b, at(written.get(j), f).minus(r.access().indices().get(j)))) {
                return false;
            }
        }
        List<Expr> tw = time(w, dims);
        List<Expr> ts = time(r.statement(), dims);
        for (int k = 0; k < dims; k++) {
            Expr later = ts.get(k).minus(at(tw.get(k), f));
            if (!isZero(b, later)) {
                return atLeast(b, later, 1);
            }
        }
        return false;
    }

    /** {@code e} with {@code W}'s iterators replaced by their images, all at once. */
    private static Expr at(Expr e, Map<String, Expr> f) {
        Expr out = e;
        for (String v : f.keySet()) {
            out = out.substitute(v, Expr.var("'" + v));
        }
        for (Map.Entry<String, Expr> m : f.entrySet()) {
            out = out.substitute("'" + m.getKey(), m.getValue());
        }
        return out;
    }

    private static boolean atLeast(DomainBounds b, Expr e, long lo) {
        return b.proves(e, lo, Long.MAX_VALUE);
    }

    private static boolean isZero(DomainBounds b, Expr e) {
        return (e.isConstant() && e.constantTerm() == 0) || b.proves(e, 0, 0);
    }

    /** The name of the iterator {@code e} is, or null when it is anything else. */
    private static String bareIterator(Expr e) {
        if (e.constantTerm() != 0 || e.terms().size() != 1) {
            return null;
        }
        Map.Entry<Expr.Atom, Long> t = e.terms().entrySet().iterator().next();
        return t.getValue() == 1 && t.getKey() instanceof Expr.Var v ? v.name() : null;
    }

    private static List<Expr> time(Statement s, int dims) {
        List<Expr> t = new ArrayList<>(s.schedule());
        while (t.size() < dims) {
            t.add(Expr.constant(0));
        }
        return t;
    }

    /**
     * The library's must-no-source for the unproved reads of one buffer, under the schedules of the
     * statements involved. The question is first asked in a canonical form, answered once per run
     * for every buffer that poses the same one: statements renamed {@code S0, S1, …}, the buffer
     * {@code B}, and the time dimensions where every involved statement has the same constant
     * dropped (they order none of them). Only a failing buffer is asked again under its own names,
     * for the message. With {@code answers} null (the exact reference) nothing is dropped or shared.
     * Returns 1 when the library was asked, 0 when the answer was known.
     */
    private static int checkExactly(String buffer, List<Statement> writers, List<Read> unproved, int dims,
            Map<String, Boolean> answers) {
        Set<Statement> involved = new LinkedHashSet<>(writers);
        for (Read r : unproved) {
            involved.add(r.statement());
        }
        List<Integer> kept = answers == null ? allDimensions(dims) : orderingDimensions(involved, dims);
        Map<Statement, String> canonical = new LinkedHashMap<>();
        for (Statement s : involved) {
            canonical.put(s, "S" + canonical.size());
        }
        String[] question = question(writers, unproved, involved, dims, kept, canonical::get, "B");
        String key = String.join("\n", question);
        int asked = answers == null || !answers.containsKey(key) ? 1 : 0;
        boolean sourced = answers == null ? Presburger.readsWithoutSource(question[0], question[1], question[2]).isEmpty()
                : answers.computeIfAbsent(key, k -> Presburger.readsWithoutSource(question[0], question[1], question[2])
                        .isEmpty());
        if (sourced) {
            return asked;
        }
        String[] named = question(writers, unproved, involved, dims, kept, Statement::name, buffer);
        String missing = Presburger.readsWithoutSource(named[0], named[1], named[2]);
        String first = missing.substring(missing.indexOf('{') + 1).trim();
        String statement = first.substring(0, first.indexOf('['));
        throw LoopVerifier.fail("statement " + statement, "reads elements of on-chip buffer " + buffer
                + " that no earlier statement wrote", missing);
    }

    /** Schedule, must writes and reads in isl text, with statements and the buffer named as given. */
    private static String[] question(List<Statement> writers, List<Read> unproved, Set<Statement> involved, int dims,
            List<Integer> kept, java.util.function.Function<Statement, String> name, String buffer) {
        List<String> writes = new ArrayList<>();
        for (Statement w : writers) {
            writes.add(body(renamed(w.write(), buffer).isl(name.apply(w), w.domain())));
        }
        List<String> readRelations = new ArrayList<>();
        for (Read r : unproved) {
            readRelations.add(body(renamed(r.access(), buffer).isl(name.apply(r.statement()), r.statement().domain())));
        }
        List<String> schedule = new ArrayList<>();
        for (Statement s : involved) {
            List<Expr> t = time(s, dims);
            List<String> parts = new ArrayList<>();
            for (int k : kept) {
                parts.add(t.get(k).toString());
            }
            String cond = s.domain().conditions();
            schedule.add(s.domain().tuple(name.apply(s)) + " -> [" + String.join(", ", parts) + "]"
                    + (cond.isEmpty() ? "" : " : " + cond));
        }
        return new String[] {union(schedule), union(writes), union(readRelations)};
    }

    private static List<Integer> allDimensions(int dims) {
        List<Integer> all = new ArrayList<>();
        for (int k = 0; k < dims; k++) {
            all.add(k);
        }
        return all;
    }

    /**
     * The time dimensions where the involved statements do not all have one and the same constant
     * (at least the first, so the time space does not vanish).
     */
    private static List<Integer> orderingDimensions(Set<Statement> involved, int dims) {
        List<List<Expr>> times = new ArrayList<>();
        for (Statement s : involved) {
            times.add(time(s, dims));
        }
        List<Integer> kept = new ArrayList<>();
        for (int k = 0; k < dims; k++) {
            Expr e0 = times.get(0).get(k);
            boolean same = e0.isConstant();
            for (List<Expr> t : times) {
                same &= t.get(k).isConstant() && t.get(k).constantTerm() == e0.constantTerm();
            }
            if (!same) {
                kept.add(k);
            }
        }
        return kept.isEmpty() && dims > 0 ? List.of(0) : kept;
    }

    private static Access renamed(Access a, String buffer) {
        return new Access(buffer, a.indices(), a.dataDependent(), a.may());
    }

    private static String body(String isl) {
        return isl.substring(2, isl.length() - 2);
    }

    private static String union(List<String> parts) {
        return "{ " + String.join("; ", parts) + " }";
    }
}
