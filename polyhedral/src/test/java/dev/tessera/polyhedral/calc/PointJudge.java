package dev.tessera.polyhedral.calc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An independent judge of membership: reads a set or relation in isl text and decides whether
 * one concrete integer point lies in it by direct arithmetic — it shares no code with the
 * library (its own tokenizer, parser and evaluator). Supported: parameters {@code [N] -> },
 * unions with {@code ;}, named and wrapped tuples (entries that are fresh names bind the point's
 * coordinates, other entries are expressions the coordinate must equal), {@code and}/{@code or}/
 * {@code not}, chained comparisons, integer affine expressions with {@code floor(e/d)},
 * {@code ceil(e/d)}, {@code e mod d}, {@code min}/{@code max}, and {@code exists (… : …)}.
 *
 * <p>Existentials are decided by search: each local defined as {@code v = floor(e/d)} is
 * computed once the locals it uses are known; the others get integer intervals from the linear
 * constraints of the existential's top-level conjunction (interval propagation: for a row
 * {@code Σ a_k v_k + c >= 0}, {@code a_j v_j >= -c - Σ_{k≠j} max(a_k v_k)}), then the local with
 * the smallest interval is split value by value and propagation repeats. A local whose interval
 * stays unbounded makes the answer {@link Verdict#UNDECIDED}, never a guess. Example: in
 * {@code { [i] : exists (e : i = 3e and 0 <= e <= 5) }} the point {@code [6]} gives {@code e = 2}
 * from the equality, so the verdict is {@code IN}; {@code [7]} leaves no integer {@code e}, so
 * {@code OUT}.
 */
final class PointJudge {
    /** The judge's answer. */
    enum Verdict { IN, OUT, UNDECIDED }

    /** Values of a point: parameter values by name, then the coordinates per tuple. */
    record Point(Map<String, Long> params, List<String> tupleNames, List<Long> coordinates) {}

    private static final long SEARCH_LIMIT = 2_000_000;
    /** Values tried for a local that the constraints leave unbounded (a witness proves membership). */
    private static final long WINDOW = 64;

    private PointJudge() {}

    /** Is {@code point} (isl text of a single point, e.g. {@code [N] -> { S[1, 2] : N = 5 }}) in {@code set}? */
    static Verdict member(String set, String point) {
        Point p = parsePoint(point);
        List<Piece> pieces = new Parser(set).union();
        boolean undecided = false;
        for (Piece piece : pieces) {
            Verdict v = piece.contains(p);
            if (v == Verdict.IN) {
                return Verdict.IN;
            }
            undecided |= v == Verdict.UNDECIDED;
        }
        return undecided ? Verdict.UNDECIDED : Verdict.OUT;
    }

    static Point parsePoint(String text) {
        List<Piece> pieces = new Parser(text).union();
        if (pieces.size() != 1) {
            throw new IllegalArgumentException("not a single point: " + text);
        }
        Piece p = pieces.get(0);
        Map<String, Long> params = new LinkedHashMap<>();
        for (Formula f : p.formula == null ? List.<Formula>of() : conjuncts(p.formula)) {
            if (!(f instanceof Compare c) || c.ops.size() != 1 || !c.ops.get(0).equals("=")
                    || !(c.terms.get(0) instanceof Var v) || c.terms.get(1).value(Map.of()) == null) {
                throw new IllegalArgumentException("a point may only fix parameters (N = 5): " + text);
            }
            params.put(v.name, c.terms.get(1).value(Map.of()));
        }
        List<String> names = new ArrayList<>();
        List<Long> coords = new ArrayList<>();
        for (TupleText t : p.tuples) {
            flatten(t, names, coords, text);
        }
        return new Point(params, names, coords);
    }

    private static void flatten(TupleText t, List<String> names, List<Long> coords, String text) {
        names.add(t.name + "/" + t.entries.size() + (t.wrapped ? "w" : ""));
        if (t.wrapped) {
            flatten(t.inner.get(0), names, coords, text);
            flatten(t.inner.get(1), names, coords, text);
            return;
        }
        for (Expr e : t.entries) {
            Long v = e.value(Map.of());
            if (v == null) {
                throw new IllegalArgumentException("a point's coordinates must be integers: " + text);
            }
            coords.add(v);
        }
    }

    // ---------------------------------------------------------------- syntax tree

    /** A named tuple {@code S[e, …]} or a wrapped pair {@code S[[…] -> […]]}. */
    private record TupleText(String name, List<Expr> entries, boolean wrapped, List<TupleText> inner) {}

    private interface Expr {
        /** The value under {@code env}, or null when some variable is unknown. */
        Long value(Map<String, Long> env);

        /** {@code this} as {@code Σ coef·var + const} over the unknowns, or null if not affine in them. */
        Linear linear(Map<String, Long> env);
    }

    private record Num(long value) implements Expr {
        public Long value(Map<String, Long> env) {
            return value;
        }

        public Linear linear(Map<String, Long> env) {
            return Linear.constant(value);
        }
    }

    private record Var(String name) implements Expr {
        public Long value(Map<String, Long> env) {
            return env.get(name);
        }

        public Linear linear(Map<String, Long> env) {
            Long v = env.get(name);
            return v != null ? Linear.constant(v) : Linear.variable(name);
        }
    }

    private record Sum(Expr a, Expr b, long sign) implements Expr {
        public Long value(Map<String, Long> env) {
            Long x = a.value(env);
            Long y = b.value(env);
            return x == null || y == null ? null : Math.addExact(x, Math.multiplyExact(sign, y));
        }

        public Linear linear(Map<String, Long> env) {
            Linear x = a.linear(env);
            Linear y = b.linear(env);
            return x == null || y == null ? null : x.plus(y.times(sign));
        }
    }

    private record Scale(long factor, Expr e) implements Expr {
        public Long value(Map<String, Long> env) {
            Long x = e.value(env);
            return x == null ? null : Math.multiplyExact(factor, x);
        }

        public Linear linear(Map<String, Long> env) {
            Linear x = e.linear(env);
            return x == null ? null : x.times(factor);
        }
    }

    /** {@code floor(e/d)} ({@code kind} 'f'), {@code ceil(e/d)} ('c') or {@code e mod d} ('m'). */
    private record Division(Expr e, long d, char kind) implements Expr {
        public Long value(Map<String, Long> env) {
            Long x = e.value(env);
            if (x == null) {
                return null;
            }
            return switch (kind) {
                case 'f' -> Math.floorDiv(x, d);
                case 'c' -> -Math.floorDiv(-x, d);
                default -> Math.floorMod(x, d);
            };
        }

        public Linear linear(Map<String, Long> env) {
            Long v = value(env);
            return v == null ? null : Linear.constant(v);
        }
    }

    /** {@code min(a, b, …)} or {@code max(…)}. */
    private record Extreme(List<Expr> args, boolean max) implements Expr {
        public Long value(Map<String, Long> env) {
            Long best = null;
            for (Expr a : args) {
                Long v = a.value(env);
                if (v == null) {
                    return null;
                }
                best = best == null ? v : max ? Math.max(best, v) : Math.min(best, v);
            }
            return best;
        }

        public Linear linear(Map<String, Long> env) {
            Long v = value(env);
            return v == null ? null : Linear.constant(v);
        }
    }

    /** An affine form over the unknown variables. */
    private record Linear(Map<String, Long> coef, long constant) {
        static Linear constant(long c) {
            return new Linear(Map.of(), c);
        }

        static Linear variable(String v) {
            return new Linear(Map.of(v, 1L), 0);
        }

        Linear plus(Linear o) {
            Map<String, Long> m = new LinkedHashMap<>(coef);
            o.coef.forEach((k, v) -> m.merge(k, v, Math::addExact));
            m.values().removeIf(v -> v == 0);
            return new Linear(m, Math.addExact(constant, o.constant));
        }

        Linear times(long f) {
            Map<String, Long> m = new LinkedHashMap<>();
            coef.forEach((k, v) -> m.put(k, Math.multiplyExact(v, f)));
            m.values().removeIf(v -> v == 0);
            return new Linear(m, Math.multiplyExact(constant, f));
        }
    }

    private interface Formula {
        /** True/false under {@code env} where every variable the formula uses is known. */
        Verdict holds(Map<String, Long> env);
    }

    private record Bool(boolean value) implements Formula {
        public Verdict holds(Map<String, Long> env) {
            return value ? Verdict.IN : Verdict.OUT;
        }
    }

    /** {@code t0 op0 t1 op1 t2 …}, every comparison must hold. */
    private record Compare(List<Expr> terms, List<String> ops) implements Formula {
        public Verdict holds(Map<String, Long> env) {
            for (int i = 0; i < ops.size(); i++) {
                Long a = terms.get(i).value(env);
                Long b = terms.get(i + 1).value(env);
                if (a == null || b == null) {
                    throw new IllegalStateException("unbound variable in " + this);
                }
                boolean ok = switch (ops.get(i)) {
                    case "<" -> a < b;
                    case "<=" -> a <= b;
                    case ">" -> a > b;
                    case ">=" -> a >= b;
                    case "=" -> a.longValue() == b.longValue();
                    default -> a.longValue() != b.longValue();
                };
                if (!ok) {
                    return Verdict.OUT;
                }
            }
            return Verdict.IN;
        }
    }

    private record Junction(List<Formula> parts, boolean and) implements Formula {
        public Verdict holds(Map<String, Long> env) {
            boolean undecided = false;
            for (Formula f : parts) {
                Verdict v = f.holds(env);
                if (v == Verdict.UNDECIDED) {
                    undecided = true;
                } else if ((v == Verdict.IN) != and) {
                    return v;
                }
            }
            return undecided ? Verdict.UNDECIDED : and ? Verdict.IN : Verdict.OUT;
        }
    }

    private record Not(Formula f) implements Formula {
        public Verdict holds(Map<String, Long> env) {
            Verdict v = f.holds(env);
            return v == Verdict.UNDECIDED ? v : v == Verdict.IN ? Verdict.OUT : Verdict.IN;
        }
    }

    /** {@code exists (plain…, v = floor(e/d)… : body)}; {@code mentioned}: the names its text uses after the declarations' own names. */
    private record Exists(List<String> vars, Map<String, Expr> defs, Formula body, Set<String> mentioned) implements Formula {
        public Verdict holds(Map<String, Long> env) {
            List<Row> rows = new ArrayList<>();
            for (Formula f : conjuncts(body)) {
                if (f instanceof Compare c) {
                    for (int i = 0; i < c.ops.size(); i++) {
                        rows.addAll(Row.of(c.terms.get(i), c.ops.get(i), c.terms.get(i + 1), env));
                    }
                }
            }
            for (Map.Entry<String, Expr> d : defs.entrySet()) {
                Var v = new Var(d.getKey());
                if (d.getValue() instanceof Division q && q.kind == 'f') {
                    // d·v <= e <= d·v + d - 1 lets propagation bound v before it is computed
                    Expr dv = new Scale(q.d, v);
                    rows.addAll(Row.of(dv, "<=", q.e, env));
                    rows.addAll(Row.of(q.e, "<=", new Sum(dv, new Num(q.d - 1), 1), env));
                } else {
                    rows.addAll(Row.of(v, "=", d.getValue(), env));
                }
            }
            Map<String, Long> start = new HashMap<>(env);
            for (String v : vars) { // a local the formula never mentions can take any value
                if (!mentioned.contains(v) && !defs.containsKey(v)) {
                    start.put(v, 0L);
                }
            }
            long[] budget = {SEARCH_LIMIT};
            return search(start, rows, budget);
        }

        private Verdict search(Map<String, Long> env, List<Row> rows, long[] budget) {
            if (--budget[0] < 0) {
                return Verdict.UNDECIDED;
            }
            for (String v : vars) { // a definition whose inputs are known fixes its local
                Expr def = defs.get(v);
                if (def != null && !env.containsKey(v)) {
                    Long x = def.value(env);
                    if (x != null) {
                        env.put(v, x);
                        Verdict r = search(env, rows, budget);
                        env.remove(v);
                        return r;
                    }
                }
            }
            Map<String, long[]> box = new LinkedHashMap<>();
            for (String v : vars) {
                if (!env.containsKey(v)) {
                    box.put(v, new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
                }
            }
            if (box.isEmpty()) {
                for (Row r : rows) {
                    if (r.slack(env) < 0 || (r.equality && r.slack(env) != 0)) {
                        return Verdict.OUT;
                    }
                }
                for (Map.Entry<String, Expr> d : defs.entrySet()) {
                    if (!env.get(d.getKey()).equals(d.getValue().value(env))) {
                        return Verdict.OUT;
                    }
                }
                return body.holds(env);
            }
            if (!propagate(env, rows, box)) {
                return Verdict.OUT;
            }
            String pick = null;
            long width = Long.MAX_VALUE;
            for (Map.Entry<String, long[]> e : box.entrySet()) {
                long[] b = e.getValue();
                long w = b[0] == Long.MIN_VALUE || b[1] == Long.MAX_VALUE ? Long.MAX_VALUE : b[1] - b[0];
                if (pick == null || w < width) {
                    pick = e.getKey();
                    width = w;
                }
            }
            long[] b = box.get(pick);
            boolean unbounded = width == Long.MAX_VALUE;
            long from = b[0];
            long to = b[1];
            if (unbounded) { // look for a witness in a window; without one the answer stays open
                from = b[0] != Long.MIN_VALUE ? b[0] : b[1] != Long.MAX_VALUE ? b[1] - WINDOW : -WINDOW;
                to = from + (b[0] == Long.MIN_VALUE && b[1] == Long.MAX_VALUE ? 2 * WINDOW : WINDOW);
            }
            boolean undecided = unbounded;
            for (long x = from; x <= to; x++) {
                env.put(pick, x);
                Verdict r = search(env, rows, budget);
                env.remove(pick);
                if (r == Verdict.IN) {
                    return r;
                }
                undecided |= r == Verdict.UNDECIDED;
            }
            return undecided ? Verdict.UNDECIDED : Verdict.OUT;
        }

        /** Tightens {@code box} to a fixed point; false when some interval becomes empty. */
        private static boolean propagate(Map<String, Long> env, List<Row> rows, Map<String, long[]> box) {
            for (int round = 0; round < 64; round++) {
                boolean changed = false;
                for (Row r : rows) {
                    Linear l = r.form(env);
                    if (l.coef.isEmpty()) {
                        if (l.constant < 0 || (r.equality && l.constant != 0)) {
                            return false;
                        }
                        continue;
                    }
                    if (r.equality) { // Σ a_k v_k = -c has integer solutions only if gcd(a) divides c
                        long g = 0;
                        for (long a : l.coef.values()) {
                            g = java.math.BigInteger.valueOf(g).gcd(java.math.BigInteger.valueOf(a)).longValueExact();
                        }
                        if (l.constant % g != 0) {
                            return false;
                        }
                    }
                    for (Linear form : r.equality ? List.of(l, l.times(-1)) : List.of(l)) {
                        for (Map.Entry<String, Long> t : form.coef.entrySet()) {
                            Long rest = restMax(form, t.getKey(), box);
                            if (rest == null) {
                                continue;
                            }
                            long a = t.getValue();
                            long[] b = box.get(t.getKey());
                            if (b == null) {
                                throw new IllegalArgumentException("unknown name " + t.getKey());
                            }
                            long need = Math.negateExact(rest); // a·v >= need
                            if (a > 0) {
                                long lo = -Math.floorDiv(-need, a);
                                changed |= lo > b[0];
                                b[0] = Math.max(b[0], lo);
                            } else {
                                long hi = Math.floorDiv(-need, -a);
                                changed |= hi < b[1];
                                b[1] = Math.min(b[1], hi);
                            }
                            if (b[0] > b[1]) {
                                return false;
                            }
                        }
                    }
                }
                if (!changed) {
                    return true;
                }
            }
            return true;
        }

        /** The maximum of {@code l} without the term of {@code skip} over {@code box}, or null if unbounded. */
        private static Long restMax(Linear l, String skip, Map<String, long[]> box) {
            long sum = l.constant;
            for (Map.Entry<String, Long> t : l.coef.entrySet()) {
                if (t.getKey().equals(skip)) {
                    continue;
                }
                long[] b = box.get(t.getKey());
                if (b == null) {
                    return null; // a variable outside this existential: not expected once bound
                }
                long a = t.getValue();
                long bound = a > 0 ? b[1] : b[0];
                if (bound == Long.MAX_VALUE || bound == Long.MIN_VALUE) {
                    return null;
                }
                sum = Math.addExact(sum, Math.multiplyExact(a, bound));
            }
            return sum;
        }
    }

    /** A linear row {@code lhs - rhs >= 0} (or {@code = 0}) kept as expressions, re-read as values become known. */
    private record Row(Expr diff, boolean equality) {
        static List<Row> of(Expr a, String op, Expr b, Map<String, Long> env) {
            List<Row> out = new ArrayList<>();
            Row r = switch (op) {
                case ">=" -> new Row(new Sum(a, b, -1), false);
                case "<=" -> new Row(new Sum(b, a, -1), false);
                case ">" -> new Row(new Sum(new Sum(a, b, -1), new Num(1), -1), false);
                case "<" -> new Row(new Sum(new Sum(b, a, -1), new Num(1), -1), false);
                case "=" -> new Row(new Sum(a, b, -1), true);
                default -> null;
            };
            if (r != null && r.diff.linear(env) != null) {
                out.add(r);
            }
            return out;
        }

        Linear form(Map<String, Long> env) {
            Linear l = diff.linear(env);
            return l == null ? Linear.constant(0) : l;
        }

        long slack(Map<String, Long> env) {
            Long v = diff.value(env);
            return v == null ? 0 : v;
        }
    }

    private static List<Formula> conjuncts(Formula f) {
        if (f instanceof Junction j && j.and) {
            List<Formula> out = new ArrayList<>();
            for (Formula p : j.parts) {
                out.addAll(conjuncts(p));
            }
            return out;
        }
        return List.of(f);
    }

    /** One disjunct of the text: its tuples and its formula (null: true). */
    private record Piece(List<String> params, List<TupleText> tuples, Formula formula) {
        Verdict contains(Point p) {
            List<String> names = new ArrayList<>();
            List<Expr> entries = new ArrayList<>();
            for (TupleText t : tuples) {
                collect(t, names, entries);
            }
            if (!names.equals(p.tupleNames)) {
                return Verdict.OUT;
            }
            Map<String, Long> env = new HashMap<>();
            for (String q : params) {
                Long v = p.params.get(q);
                if (v == null) {
                    throw new IllegalArgumentException("the point gives no value to parameter " + q);
                }
                env.put(q, v);
            }
            List<Formula> checks = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                Expr e = entries.get(i);
                long c = p.coordinates.get(i);
                if (e instanceof Var v && !env.containsKey(v.name)) {
                    env.put(v.name, c);
                } else {
                    checks.add(new Compare(List.of(e, new Num(c)), List.of("=")));
                }
            }
            for (Formula f : checks) {
                if (f.holds(env) == Verdict.OUT) {
                    return Verdict.OUT;
                }
            }
            return formula == null ? Verdict.IN : formula.holds(env);
        }

        private static void collect(TupleText t, List<String> names, List<Expr> entries) {
            names.add(t.name + "/" + t.entries.size() + (t.wrapped ? "w" : ""));
            if (t.wrapped) {
                collect(t.inner.get(0), names, entries);
                collect(t.inner.get(1), names, entries);
                return;
            }
            entries.addAll(t.entries);
        }
    }

    // ---------------------------------------------------------------- parser

    private static final class Parser {
        private static final java.util.regex.Pattern IDENT = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_']*");
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        List<Piece> union() {
            List<String> params = new ArrayList<>();
            skip();
            if (peek('[')) {
                at++;
                while (!peek(']')) {
                    params.add(ident());
                    eat(',');
                }
                expect(']');
                expect("->");
            }
            expect('{');
            List<Piece> out = new ArrayList<>();
            while (!peek('}')) {
                out.add(piece(params));
                if (!eat(';')) {
                    break;
                }
            }
            expect('}');
            skip();
            if (at != s.length()) {
                throw error("trailing text");
            }
            return out;
        }

        private Piece piece(List<String> params) {
            List<TupleText> tuples = new ArrayList<>();
            if (!peek(':')) {
                tuples.add(tuple());
                if (peekWord("->")) {
                    expect("->");
                    tuples.add(tuple());
                }
            }
            Formula f = null;
            if (eat(':')) {
                f = formula();
            }
            return new Piece(params, tuples, f);
        }

        private TupleText tuple() {
            skip();
            String name = peekIdent() ? ident() : "";
            expect('[');
            skip();
            if (peek('[') || (peekIdent() && nextAfterIdentIs('['))) {
                TupleText a = tuple();
                expect("->");
                TupleText b = tuple();
                expect(']');
                return new TupleText(name, List.of(), true, List.of(a, b));
            }
            List<Expr> entries = new ArrayList<>();
            while (!peek(']')) {
                entries.add(expr());
                if (!eat(',')) {
                    break;
                }
            }
            expect(']');
            return new TupleText(name, entries, false, List.of());
        }

        private Formula formula() {
            List<Formula> ors = new ArrayList<>();
            ors.add(conjunction());
            while (eatWord("or")) {
                ors.add(conjunction());
            }
            return ors.size() == 1 ? ors.get(0) : new Junction(ors, false);
        }

        private Formula conjunction() {
            List<Formula> ands = new ArrayList<>();
            ands.add(atom());
            while (eatWord("and")) {
                ands.add(atom());
            }
            return ands.size() == 1 ? ands.get(0) : new Junction(ands, true);
        }

        private Formula atom() {
            skip();
            if (eatWord("not")) {
                return new Not(atom());
            }
            if (eatWord("true")) {
                return new Bool(true);
            }
            if (eatWord("false")) {
                return new Bool(false);
            }
            if (eatWord("exists")) {
                expect('(');
                List<String> vars = new ArrayList<>();
                Map<String, Expr> defs = new LinkedHashMap<>();
                Set<String> mentioned = new HashSet<>();
                while (true) {
                    String v = ident();
                    vars.add(v);
                    if (eat('=')) {
                        int from = at;
                        defs.put(v, expr());
                        mentioned.addAll(names(s.substring(from, at)));
                    }
                    if (!eat(',')) {
                        break;
                    }
                }
                expect(':');
                int from = at;
                Formula body = formula();
                mentioned.addAll(names(s.substring(from, at)));
                expect(')');
                return new Exists(vars, defs, body, mentioned);
            }
            if (peek('(')) { // a parenthesized formula, unless it is the start of a comparison
                int save = at;
                try {
                    return comparison();
                } catch (IllegalArgumentException e) {
                    at = save;
                    expect('(');
                    Formula f = formula();
                    expect(')');
                    return f;
                }
            }
            return comparison();
        }

        private Formula comparison() {
            List<Expr> terms = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            terms.add(expr());
            while (true) {
                String op = compareOp();
                if (op == null) {
                    break;
                }
                ops.add(op);
                terms.add(expr());
            }
            if (ops.isEmpty()) {
                throw error("comparison expected");
            }
            return new Compare(terms, ops);
        }

        private String compareOp() {
            skip();
            for (String op : new String[] {"<=", ">=", "!=", "<", ">", "="}) {
                if (s.startsWith(op, at) && !s.startsWith("->", at)) {
                    at += op.length();
                    return op;
                }
            }
            return null;
        }

        private Expr expr() {
            skip();
            Expr e;
            if (eat('-')) {
                e = new Scale(-1, term());
            } else {
                e = term();
            }
            while (true) {
                skip();
                if (s.startsWith("->", at)) {
                    return e;
                }
                if (eat('+')) {
                    e = new Sum(e, term(), 1);
                } else if (eat('-')) {
                    e = new Sum(e, term(), -1);
                } else {
                    return e;
                }
            }
        }

        private Expr term() {
            Expr e = factor();
            while (true) {
                skip();
                if (eatWord("mod")) {
                    e = new Division(e, number(), 'm');
                } else if (eat('*')) {
                    Expr f = factor();
                    Long a = e.value(Map.of());
                    Long b = f.value(Map.of());
                    if (a != null) {
                        e = new Scale(a, f);
                    } else if (b != null) {
                        e = new Scale(b, e);
                    } else {
                        throw error("product of two variables");
                    }
                } else {
                    return e;
                }
            }
        }

        private Expr factor() {
            skip();
            if (at < s.length() && Character.isDigit(s.charAt(at))) {
                long n = number();
                skip();
                if (peekIdent() && !peekWord("mod") && !peekWord("and") && !peekWord("or")) {
                    return new Scale(n, factor()); // 2i, 3floor(…)
                }
                if (peek('(')) {
                    return new Scale(n, factor());
                }
                return new Num(n);
            }
            if (eat('-')) {
                return new Scale(-1, factor());
            }
            if (eat('(')) {
                Expr e = expr();
                expect(')');
                return e;
            }
            String id = ident();
            if (id.equals("floor") || id.equals("ceil")) {
                expect('(');
                Expr e = expr();
                expect('/');
                long d = number();
                expect(')');
                return new Division(e, d, id.equals("floor") ? 'f' : 'c');
            }
            if (id.equals("min") || id.equals("max")) {
                expect('(');
                List<Expr> args = new ArrayList<>();
                args.add(expr());
                while (eat(',')) {
                    args.add(expr());
                }
                expect(')');
                return new Extreme(args, id.equals("max"));
            }
            return new Var(id);
        }

        /** The identifiers in {@code text} ({@code 2e0} names {@code e0}). */
        private static List<String> names(String text) {
            List<String> out = new ArrayList<>();
            java.util.regex.Matcher m = IDENT.matcher(text);
            while (m.find()) {
                out.add(m.group());
            }
            return out;
        }

        private long number() {
            skip();
            int start = at;
            while (at < s.length() && Character.isDigit(s.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw error("number expected");
            }
            return Long.parseLong(s.substring(start, at));
        }

        private String ident() {
            skip();
            int start = at;
            while (at < s.length() && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '_' || s.charAt(at) == '\'')) {
                at++;
            }
            if (start == at || Character.isDigit(s.charAt(start))) {
                throw error("name expected");
            }
            return s.substring(start, at);
        }

        private boolean peekIdent() {
            skip();
            return at < s.length() && (Character.isLetter(s.charAt(at)) || s.charAt(at) == '_');
        }

        private boolean nextAfterIdentIs(char c) {
            int save = at;
            ident();
            boolean r = peek(c);
            at = save;
            return r;
        }

        private boolean peekWord(String w) {
            skip();
            if (!s.startsWith(w, at)) {
                return false;
            }
            int end = at + w.length();
            return !Character.isLetterOrDigit(w.charAt(0)) || end >= s.length() || !(Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_');
        }

        private boolean eatWord(String w) {
            if (peekWord(w)) {
                at += w.length();
                return true;
            }
            return false;
        }

        private boolean peek(char c) {
            skip();
            return at < s.length() && s.charAt(at) == c;
        }

        private boolean eat(char c) {
            if (peek(c)) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!eat(c)) {
                throw error("'" + c + "' expected");
            }
        }

        private void expect(String w) {
            skip();
            if (!s.startsWith(w, at)) {
                throw error("'" + w + "' expected");
            }
            at += w.length();
        }

        private void skip() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at " + at + " in: " + s);
        }
    }
}
