package dev.tessera.polyhedral.text;

import dev.tessera.polyhedral.BasicRelation;
import dev.tessera.polyhedral.Div;
import dev.tessera.polyhedral.ExactMath;
import dev.tessera.polyhedral.Omega;
import dev.tessera.polyhedral.Relation;
import dev.tessera.polyhedral.Space;
import dev.tessera.polyhedral.Tuple;
import dev.tessera.polyhedral.UnionRelation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the isl text syntax: {@code [N] -> { S[i, j] -> A[i + j] : 0 <= i < N and 0 <= j < 10; T[k] : k mod 2 = 0 }}.
 * Supported: parameters, named, anonymous and wrapped tuples ({@code [R[i] -> A[i]]}), tuple
 * entries that are new names, {@code name = expr} or expressions; formulas with {@code and},
 * {@code or}, nesting in parentheses, {@code true}/{@code false}, chained and
 * listed comparisons ({@code 0 <= i, j < N}, {@code =}, {@code !=}), {@code exists (a, b = floor(e/2) : …)};
 * affine expressions with integer multiplication ({@code 2i}, {@code 8*(i mod 2)}),
 * {@code floor(e/d)}, {@code ceil(e/d)}, {@code [e/d]}, {@code e mod d}, {@code min(a, b, …)} and
 * {@code max(…)} (each becomes a local defined by a disjunction); {@code not}/{@code !} over any
 * formula: without {@code exists} it is negated by De Morgan; with {@code exists} (as in
 * {@code not exists (e : i = 2e)}) the formula becomes a set over the parameters and dimensions
 * and its exact complement ({@link Relation#complement}) is intersected with the rest of its
 * disjunct. Such a formula may not use an existential bound outside it.
 * Every disjunct becomes one {@link BasicRelation}; existentials become locals, floors become
 * locals with a {@link Div} definition.
 */
public final class IslParser {
    private static final int DIM = 1_000_000;
    private static final int LOCAL = 2_000_000;

    private final List<Token> toks;
    private int pos;
    private List<String> params = new ArrayList<>();
    // per piece
    private Map<String, Integer> scope;
    private int nDims;
    private List<Aff[]> localDefs; // {numerator, denominator-as-constant} or null entries for plain locals
    private Map<String, Integer> divIndex;
    /** Per piece: the locals introduced by {@code exists}, which a negation may not cover. */
    private Set<Integer> existsLocals;
    /** Per piece: the defining disjunctions of the {@code min}/{@code max} locals, and-ed to every disjunct. */
    private List<List<List<Atom>>> extremeDefs;
    /** Per piece: whether a negation was expanded (De Morgan multiplies disjuncts). */
    private boolean negated;
    /** Per piece: the equalities the tuples carry ({@code [i, i + 1]}, {@code [j = i]}), part of every disjunct. */
    private List<Atom> tupleAtoms;
    /** Per piece: the disjuncts already found to have integer points (by identity). */
    private Set<List<Atom>> knownNonEmpty;
    /** Per piece: its space, and the complements of its negated formulas (by atom identity: products copy atoms by reference). */
    private Space space;
    private Map<Atom, Relation> complements;

    private IslParser(String text) {
        this.toks = new Tokenizer(text).all();
    }

    /** Parses one isl set, relation, or union of them. */
    public static UnionRelation parse(String text) {
        IslParser p = new IslParser(text);
        UnionRelation u = p.object();
        if (p.peek().kind != Kind.EOF) {
            throw p.error("trailing input after object");
        }
        return u;
    }

    // ------------------------------------------------------------------ object

    private UnionRelation object() {
        if (is("[")) {
            expect("[");
            if (!is("]")) {
                do {
                    String n = ident();
                    if (params.contains(n)) {
                        throw error("duplicate parameter " + n);
                    }
                    params.add(n);
                } while (accept(","));
            }
            expect("]");
            expect("->");
        }
        expect("{");
        List<Relation> parts = new ArrayList<>();
        if (!is("}")) {
            do {
                if (is("}")) {
                    break;
                }
                parts.add(piece());
            } while (accept(";"));
        }
        expect("}");
        return new UnionRelation(params, parts);
    }

    private Relation piece() {
        scope = new LinkedHashMap<>();
        nDims = 0;
        localDefs = new ArrayList<>();
        divIndex = new HashMap<>();
        existsLocals = new HashSet<>();
        extremeDefs = new ArrayList<>();
        negated = false;
        tupleAtoms = new ArrayList<>();
        knownNonEmpty = Collections.newSetFromMap(new IdentityHashMap<>());
        complements = new IdentityHashMap<>();
        Tuple in = null;
        Tuple out = null;
        if (!is(":")) {
            Tuple first = tuple(tupleAtoms);
            if (accept("->")) {
                in = first;
                out = tuple(tupleAtoms);
            } else {
                out = first;
            }
        }
        space = in != null ? Space.relation(params, in, out) : out != null ? Space.set(params, out) : Space.paramDomain(params);
        List<List<Atom>> dnf;
        if (accept(":")) {
            dnf = is(";") || is("}") ? trueFormula() : formula();
        } else {
            dnf = trueFormula();
        }
        for (List<List<Atom>> def : extremeDefs) {
            dnf = prunedProduct(dnf, def);
        }
        List<BasicRelation> pieces = new ArrayList<>();
        for (List<Atom> conj : dnf) {
            for (BasicRelation b : conjunctionPieces(conj, tupleAtoms)) {
                // the products of negations and min/max pieces are mostly empty: drop those now
                if (!pruning() || dnf.size() == 1 || knownNonEmpty.contains(conj) && !hasNegatedFormula(conj) || Omega.isSatisfiable(b)) {
                    pieces.add(b);
                }
            }
        }
        return new Relation(space, pieces);
    }

    /**
     * Disjunct {@code conj} (with the tuple equalities) over the dimensions and the locals
     * introduced so far. Before the whole piece is read it has fewer constraints than its final
     * form (the definitions of {@code min}/{@code max} locals are and-ed at the end, later
     * conjuncts are missing), so when it has no integer point, neither has any disjunct built from it.
     * Negated formulas are left out (a weaker conjunction, still a valid emptiness test);
     * {@link #conjunctionPieces} intersects their complements.
     */
    private BasicRelation conjunction(List<Atom> conj, List<Atom> tuple) {
        int np = params.size();
        int nf = np + nDims;
        int nl = localDefs.size();
        List<long[]> eqs = new ArrayList<>();
        List<long[]> ineqs = new ArrayList<>();
        for (Atom a : tuple) {
            (a.eq ? eqs : ineqs).add(a.aff.row(np, nf, nl));
        }
        for (Atom a : conj) {
            if (a.negatedFormula == null) {
                (a.eq ? eqs : ineqs).add(a.aff.row(np, nf, nl));
            }
        }
        List<Div> divs = new ArrayList<>();
        for (Aff[] d : localDefs) {
            divs.add(d == null ? null : new Div(d[0].row(np, nf, nl), d[1].constant));
        }
        return new BasicRelation(nf, eqs, ineqs, divs);
    }

    /**
     * Products up to this many disjuncts are not tested on the way (the test at the end of the
     * piece sees them): on the isl-made {@code syntax.tsv} this makes about 16 % fewer
     * feasibility tests than testing every product with more than one disjunct.
     */
    private static final int SMALL_PRODUCT = 8;

    /** Negations and {@code min}/{@code max} multiply disjuncts, most of them empty: those are dropped as they appear. */
    private boolean pruning() {
        return negated || !extremeDefs.isEmpty();
    }

    /**
     * {@link #product} without the disjuncts that have no integer point, when {@link #pruning}:
     * dropping them early keeps the later products small (a set written with two negations
     * and three {@code max} terms multiplied out to 974 disjuncts, of which 12 have points).
     */
    private List<List<Atom>> prunedProduct(List<List<Atom>> a, List<List<Atom>> b) {
        List<List<Atom>> out = product(a, b);
        if (!pruning() || out.size() <= SMALL_PRODUCT) {
            return out;
        }
        List<List<Atom>> kept = new ArrayList<>();
        for (List<Atom> conj : out) {
            if (Omega.isSatisfiable(conjunction(conj, tupleAtoms))) {
                knownNonEmpty.add(conj);
                kept.add(conj);
            }
        }
        return kept;
    }

    private static boolean hasNegatedFormula(List<Atom> conj) {
        for (Atom a : conj) {
            if (a.negatedFormula != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * One disjunct over {@code [params | dims | locals]} (with the tuple equalities): its
     * constraints as one conjunction, intersected with the complement of each negated formula in it.
     */
    private List<BasicRelation> conjunctionPieces(List<Atom> conj, List<Atom> tuple) {
        List<BasicRelation> out = List.of(conjunction(conj, tuple));
        for (Atom a : conj) {
            if (a.negatedFormula != null) {
                List<BasicRelation> next = new ArrayList<>();
                for (BasicRelation b : out) {
                    for (BasicRelation c : complement(a).pieces()) {
                        BasicRelation both = b.intersect(c);
                        if (!both.isObviouslyEmpty()) {
                            next.add(both);
                        }
                    }
                }
                out = next;
            }
        }
        return out;
    }

    /**
     * The complement, in the piece's space (parameters included), of the set of points that
     * satisfy the negated formula of {@code a} for some value of its existentials; the
     * {@code min}/{@code max} definitions are and-ed in since the formula may use them.
     */
    private Relation complement(Atom a) {
        Relation c = complements.get(a);
        if (c == null) {
            List<List<Atom>> f = a.negatedFormula;
            for (List<List<Atom>> def : extremeDefs) {
                f = product(f, def);
            }
            List<BasicRelation> ps = new ArrayList<>();
            for (List<Atom> conj : f) {
                ps.addAll(conjunctionPieces(conj, List.of()));
            }
            c = new Relation(space, ps).complement();
            complements.put(a, c);
        }
        return c;
    }

    private static List<List<Atom>> trueFormula() {
        List<List<Atom>> t = new ArrayList<>();
        t.add(new ArrayList<>());
        return t;
    }

    /** A tuple: {@code [e, ...]}, {@code Name[e, ...]}, or a wrapped {@code Name[T -> T]}. */
    private Tuple tuple(List<Atom> atoms) {
        String name = null;
        if (peek().kind == Kind.IDENT) {
            name = ident();
        }
        expect("[");
        if (is("]")) {
            expect("]");
            return Tuple.of(name, 0);
        }
        if (is("[") || (peek().kind == Kind.IDENT && peekAt(1).text.equals("["))) {
            Tuple dom = tuple(atoms);
            expect("->");
            Tuple ran = tuple(atoms);
            expect("]");
            return Tuple.wrap(name, dom, ran);
        }
        int n = 0;
        do {
            int dim = nDims++;
            n++;
            Token t = peek();
            Token next = peekAt(1);
            if (t.kind == Kind.IDENT && !isKeyword(t.text) && !scope.containsKey(t.text) && !params.contains(t.text)
                    && (next.text.equals(",") || next.text.equals("]") || next.text.equals("="))) {
                pos++;
                scope.put(t.text, DIM + dim);
                if (accept("=")) {
                    Aff e = expr();
                    atoms.add(new Atom(Aff.var(DIM + dim).minus(e), true));
                }
            } else {
                Aff e = expr();
                atoms.add(new Atom(Aff.var(DIM + dim).minus(e), true));
            }
        } while (accept(","));
        expect("]");
        return Tuple.of(name, n);
    }

    // ------------------------------------------------------------------ formulas (as DNF)

    /**
     * A constraint {@code aff >= 0} (or {@code = 0} when {@code eq}) with integer coefficients (a
     * rational aff is multiplied by its denominator), or, when {@code negatedFormula} is set, the
     * negation of that formula (one with existentials), which becomes the complement of its set.
     */
    private record Atom(Aff aff, boolean eq, List<List<Atom>> negatedFormula) {
        Atom {
            aff = aff == null ? null : aff.integral();
        }

        Atom(Aff aff, boolean eq) {
            this(aff, eq, null);
        }
    }

    /** A disjunction, or {@code A implies B} (isl's weakest operator, not chained): {@code not A or B}. */
    private List<List<Atom>> formula() {
        int at = pos;
        int mark = localDefs.size();
        List<List<Atom>> result = disjunction();
        if (accept("implies")) {
            result = negation(result, mark, at);
            result.addAll(disjunction());
        }
        return result;
    }

    private List<List<Atom>> disjunction() {
        List<List<Atom>> result = conjunction();
        while (accept("or") || accept("||") || accept("|")) {
            result.addAll(conjunction());
        }
        return result;
    }

    /**
     * {@code not f}, where {@code f} was read from token {@code at} on and introduced the locals
     * from {@code mark} on: De Morgan when {@code f} has no existential of its own, otherwise one
     * atom standing for the complement of {@code f}'s set.
     */
    private List<List<Atom>> negation(List<List<Atom>> f, int mark, int at) {
        negated = true;
        if (!needsComplement(f, mark)) {
            return negate(f);
        }
        if (usesExistentialBefore(f, mark)) {
            throw new IslSyntaxException("negation of a formula that uses an existential bound outside it is not supported",
                    toks.get(at).at);
        }
        List<List<Atom>> one = trueFormula();
        one.get(0).add(new Atom(null, false, f));
        return one;
    }

    private List<List<Atom>> conjunction() {
        List<List<Atom>> result = primary();
        while (accept("and") || accept("&&") || accept("&")) {
            result = prunedProduct(result, primary());
        }
        return result;
    }

    private static List<List<Atom>> product(List<List<Atom>> a, List<List<Atom>> b) {
        List<List<Atom>> out = new ArrayList<>();
        for (List<Atom> x : a) {
            for (List<Atom> y : b) {
                List<Atom> c = new ArrayList<>(x);
                c.addAll(y);
                out.add(c);
            }
        }
        if (out.size() > 100_000) {
            throw new IllegalArgumentException("formula too large (more than 100000 disjuncts)");
        }
        return out;
    }

    private List<List<Atom>> primary() {
        if (accept("true")) {
            return trueFormula();
        }
        if (accept("false")) {
            return new ArrayList<>();
        }
        if (accept("not") || accept("!")) {
            int at = pos;
            int mark = localDefs.size();
            return negation(primary(), mark, at);
        }
        if (is("exists")) {
            return exists();
        }
        if (is("(")) {
            int save = pos;
            Map<String, Integer> savedScope = new LinkedHashMap<>(scope);
            try {
                expect("(");
                List<List<Atom>> f = formula();
                expect(")");
                if (!isComparison(peek()) && !isArith(peek())) {
                    return f;
                }
            } catch (IslSyntaxException e) {
                // not a parenthesized formula: an expression in parentheses starts a comparison
            }
            pos = save;
            scope = savedScope;
        }
        return comparisons();
    }

    /** True when formula {@code f} uses an existential introduced from local {@code mark} on, or holds a negated formula. */
    private boolean needsComplement(List<List<Atom>> f, int mark) {
        for (List<Atom> conj : f) {
            for (Atom a : conj) {
                if (a.negatedFormula != null) {
                    return true;
                }
                for (int v : a.aff.coef.keySet()) {
                    if (v >= LOCAL && v - LOCAL >= mark && existsLocals.contains(v - LOCAL)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** True when formula {@code f} (negated formulas in it included) uses an existential introduced before local {@code mark}. */
    private boolean usesExistentialBefore(List<List<Atom>> f, int mark) {
        for (List<Atom> conj : f) {
            for (Atom a : conj) {
                if (a.negatedFormula != null) {
                    if (usesExistentialBefore(a.negatedFormula, mark)) {
                        return true;
                    }
                    continue;
                }
                for (int v : a.aff.coef.keySet()) {
                    if (v >= LOCAL && v - LOCAL < mark && existsLocals.contains(v - LOCAL)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The negation of a formula in disjunctive normal form, again in that form (De Morgan):
     * {@code ¬(e >= 0)} is {@code -e - 1 >= 0} and {@code ¬(e = 0)} is
     * {@code e - 1 >= 0 ∨ -e - 1 >= 0}. Exact because every local the formula may use here is a
     * function of the dimensions (a floor, a {@code min}/{@code max}) or is free in it.
     */
    private List<List<Atom>> negate(List<List<Atom>> f) {
        List<List<Atom>> result = trueFormula();
        for (List<Atom> conj : f) {
            List<List<Atom>> some = new ArrayList<>();
            for (Atom a : conj) {
                some.add(List.of(new Atom(a.aff.times(-1).plusConst(-1), false)));
                if (a.eq) {
                    some.add(List.of(new Atom(a.aff.plusConst(-1), false)));
                }
            }
            result = prunedProduct(result, some);
        }
        return result;
    }

    private List<List<Atom>> exists() {
        expect("exists");
        boolean paren = accept("(");
        List<String> names = new ArrayList<>();
        Map<String, Integer> saved = new LinkedHashMap<>(scope);
        List<Atom> defs = new ArrayList<>();
        do {
            String n = ident();
            int local = localDefs.size();
            localDefs.add(null);
            existsLocals.add(local);
            scope.put(n, LOCAL + local);
            names.add(n);
            if (accept("=")) {
                Aff e = expr();
                defs.add(new Atom(Aff.var(LOCAL + local).minus(e), true));
            }
        } while (accept(","));
        expect(":");
        List<List<Atom>> f = formula();
        if (paren) {
            expect(")");
        }
        scope = saved;
        List<List<Atom>> d = trueFormula();
        d.get(0).addAll(defs);
        return product(d, f);
    }

    private List<List<Atom>> comparisons() {
        List<Aff> left = exprList();
        if (!isComparison(peek())) {
            throw error("expected a comparison");
        }
        List<List<Atom>> result = trueFormula();
        while (isComparison(peek())) {
            String op = next().text;
            List<Aff> right = exprList();
            if (op.length() > 1 && op.charAt(0) == op.charAt(1)) { // isl's lexicographic <<, <<=, >>, >>=
                if (left.size() != 1 || right.size() != 1) {
                    throw error("lexicographic comparison of expression lists is not supported");
                }
                op = op.substring(1);
            }
            for (Aff l : left) {
                for (Aff r : right) {
                    result = product(result, compare(l, op, r));
                }
            }
            left = right;
        }
        return result;
    }

    private static List<List<Atom>> compare(Aff l, String op, Aff r) {
        List<List<Atom>> out = new ArrayList<>();
        switch (op) {
            case "<=" -> out.add(List.of(new Atom(r.minus(l), false)));
            case "<" -> out.add(List.of(new Atom(r.minus(l).plusConst(-1), false)));
            case ">=" -> out.add(List.of(new Atom(l.minus(r), false)));
            case ">" -> out.add(List.of(new Atom(l.minus(r).plusConst(-1), false)));
            case "=" -> out.add(List.of(new Atom(l.minus(r), true)));
            case "!=" -> {
                out.add(List.of(new Atom(l.minus(r).plusConst(-1), false)));
                out.add(List.of(new Atom(r.minus(l).plusConst(-1), false)));
            }
            default -> throw new IllegalStateException(op);
        }
        return out;
    }

    private List<Aff> exprList() {
        List<Aff> l = new ArrayList<>();
        l.add(expr());
        while (is(",")) {
            pos++;
            l.add(expr());
        }
        return l;
    }

    private static boolean isComparison(Token t) {
        return switch (t.text) {
            case "<", "<=", ">", ">=", "=", "!=", "<<", "<<=", ">>", ">>=" -> t.kind == Kind.SYM;
            default -> false;
        };
    }

    private static boolean isArith(Token t) {
        return t.kind == Kind.SYM && (t.text.equals("+") || t.text.equals("-") || t.text.equals("*") || t.text.equals("/")
                || t.text.equals("//"))
                || t.text.equals("mod");
    }

    // ------------------------------------------------------------------ expressions

    private Aff expr() {
        Aff a;
        if (accept("-")) {
            a = negatedTerm();
        } else {
            accept("+");
            a = term();
        }
        while (true) {
            if (accept("+")) {
                a = a.plus(term());
            } else if (accept("-")) {
                a = a.plus(negatedTerm());
            } else {
                return a;
            }
        }
    }

    /** Minus a term; isl negates a constant before its floor division: {@code - 1 // 2} is {@code -1}. */
    private Aff negatedTerm() {
        Token t = peek();
        if (t.kind == Kind.INT && peekAt(1).text.equals("//")) {
            pos++;
            long c = ExactMath.neg(parseLong(t));
            while (accept("//")) {
                c = ExactMath.floorDiv(c, positiveConstant("division by a non-positive number"));
            }
            return Aff.constant(c);
        }
        return term().times(-1);
    }

    /**
     * A term as isl groups it: a constant followed by {@code *} or a name scales the whole term
     * after it, so {@code 2i mod 3} and {@code 2 * i mod 3} are {@code 2 (i mod 3)}; otherwise a
     * factor, then {@code mod d} (or {@code % d}), products, one rational division {@code / d}
     * and floor divisions {@code // d}.
     */
    private Aff term() {
        Token t = peek();
        if (t.kind == Kind.INT && (peekAt(1).text.equals("*") || startsFactor(peekAt(1)))) {
            pos++;
            accept("*");
            return term().times(Aff.constant(parseLong(t)));
        }
        Aff a = factor();
        while (true) {
            if (accept("mod")) {
                Aff c = factor(); // one constant: i mod 3 * 2 is (i mod 3) * 2
                if (!c.isConstant() || !c.isIntegral() || ExactMath.signum(c.constant) <= 0) {
                    throw error("mod needs a positive integer constant");
                }
                long m = c.constant;
                a = a.minus(floorDiv(a, m).times(m));
            } else if (accept("*")) {
                a = multiply(a, factor());
            } else if (accept("//")) {
                a = floorDiv(a, positiveConstant("division by a non-positive number"));
            } else if (accept("/")) {
                a = a.dividedBy(positiveConstant("division by a non-positive number"));
            } else if (a.isConstant() && startsFactor(peek())) {
                a = multiply(a, factor()); // implicit multiplication after a parenthesized constant
            } else {
                return a;
            }
        }
    }

    /** A constant factor that must be positive (a divisor or modulus): {@code 4} or {@code 2*2}. */
    private long positiveConstant(String message) {
        Aff m = factor();
        while (accept("*")) {
            m = multiply(m, factor());
        }
        if (!m.isConstant() || !m.isIntegral() || ExactMath.signum(m.constant) <= 0) {
            throw error(message);
        }
        return m.constant;
    }

    private boolean startsFactor(Token t) {
        return t.kind == Kind.IDENT && !isKeyword(t.text) || t.text.equals("floor") || t.text.equals("ceil")
                || t.text.equals("floord") || t.text.equals("ceild");
    }

    private Aff multiply(Aff a, Aff b) {
        if (a.isConstant()) {
            return b.times(a);
        }
        if (b.isConstant()) {
            return a.times(b);
        }
        throw error("product of two non-constant expressions");
    }

    private Aff factor() {
        Token t = peek();
        if (accept("-")) {
            return factor().times(-1);
        }
        if (t.kind == Kind.INT) {
            pos++;
            return Aff.constant(parseLong(t));
        }
        if (accept("(")) {
            Aff e = expr();
            expect(")");
            return e;
        }
        if (is("floor") || is("ceil") || is("floord") || is("ceild")) {
            String f = next().text;
            boolean floor = f.startsWith("floor");
            expect("(");
            Aff e = expr();
            long d = 1;
            if (f.endsWith("d")) { // floord(e, d), ceild(e, d)
                expect(",");
                d = positiveConstant("division by a non-positive number");
            }
            expect(")");
            return floor ? floorDiv(e, d) : floorDiv(e.times(-1), d).times(-1);
        }
        if ((is("min") || is("max")) && peekAt(1).text.equals("(")) {
            boolean min = next().text.equals("min");
            expect("(");
            List<Aff> args = exprList();
            expect(")");
            for (Aff arg : args) {
                if (!arg.isIntegral()) {
                    throw error("min/max of a rational expression is not supported");
                }
            }
            return args.size() == 1 ? args.get(0) : extreme(args, min);
        }
        if (accept("[")) { // [e/d], isl's old floor notation
            Aff e = expr();
            expect("]");
            return floorDiv(e, 1);
        }
        if (t.kind == Kind.IDENT && !isKeyword(t.text)) {
            pos++;
            Integer v = scope.get(t.text);
            if (v == null) {
                int p = params.indexOf(t.text);
                if (p < 0) {
                    throw error("unknown identifier '" + t.text + "'");
                }
                v = p;
            }
            return Aff.var(v);
        }
        throw error("expected an expression, found '" + t.text + "'");
    }

    /**
     * A local {@code m = min(a_1, …, a_n)} (or {@code max}), defined by the disjunction over
     * {@code j} of {@code m = a_j ∧ m < a_k (k < j) ∧ m <= a_k (k > j)} — disjoint pieces, the
     * first argument that attains the extreme. The same call text reuses its local.
     */
    private Aff extreme(List<Aff> args, boolean min) {
        String key = (min ? "min" : "max") + args;
        Integer k = divIndex.get(key);
        if (k == null) {
            k = localDefs.size();
            localDefs.add(null);
            divIndex.put(key, k);
            Aff m = Aff.var(LOCAL + k);
            List<List<Atom>> def = new ArrayList<>();
            for (int j = 0; j < args.size(); j++) {
                List<Atom> conj = new ArrayList<>();
                conj.add(new Atom(m.minus(args.get(j)), true));
                for (int o = 0; o < args.size(); o++) {
                    if (o != j) {
                        Aff gap = min ? args.get(o).minus(m) : m.minus(args.get(o)); // >= 0 when m is the extreme
                        conj.add(new Atom(o < j ? gap.plusConst(-1) : gap, false));
                    }
                }
                def.add(conj);
            }
            extremeDefs.add(def);
        }
        return Aff.var(LOCAL + k);
    }

    /** {@code floor(e/d)} for a positive integer {@code d} and a possibly rational {@code e}. */
    private Aff floorDiv(Aff e, long d) {
        d = ExactMath.mul(d, e.den);
        e = e.integral();
        if (d == 1) {
            return e;
        }
        String key = e + "/" + d;
        Integer k = divIndex.get(key);
        if (k == null) {
            k = localDefs.size();
            localDefs.add(new Aff[] {e, Aff.constant(d)});
            divIndex.put(key, k);
        }
        return Aff.var(LOCAL + k);
    }

    private long parseLong(Token t) {
        return ExactMath.parse(t.text); // a token of digits, of any length
    }

    // ------------------------------------------------------------------ tokens

    private static boolean isKeyword(String s) {
        return switch (s) {
            case "and", "or", "not", "exists", "mod", "floor", "ceil", "floord", "ceild", "implies", "true", "false" -> true;
            default -> false;
        };
    }

    private Token peek() {
        return toks.get(pos);
    }

    private Token peekAt(int k) {
        return toks.get(Math.min(pos + k, toks.size() - 1));
    }

    private Token next() {
        return toks.get(pos++);
    }

    private boolean is(String s) {
        Token t = peek();
        return t.kind != Kind.EOF && t.text.equals(s);
    }

    private boolean accept(String s) {
        if (is(s)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String s) {
        if (!accept(s)) {
            throw error("expected '" + s + "', found '" + peek().text + "'");
        }
    }

    private Token expectKind(Kind k) {
        if (peek().kind != k) {
            throw error("expected " + k.name().toLowerCase() + ", found '" + peek().text + "'");
        }
        return next();
    }

    private String ident() {
        Token t = peek();
        if (t.kind != Kind.IDENT || isKeyword(t.text)) {
            throw error("expected a name, found '" + t.text + "'");
        }
        pos++;
        return t.text;
    }

    private IslSyntaxException error(String msg) {
        return new IslSyntaxException(msg, peek().at);
    }

    enum Kind { IDENT, INT, SYM, EOF }

    record Token(Kind kind, String text, int at) {}

    private static final class Tokenizer {
        private final String s;
        private int i;

        Tokenizer(String s) {
            this.s = s;
        }

        List<Token> all() {
            List<Token> out = new ArrayList<>();
            while (true) {
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    out.add(new Token(Kind.EOF, "<end>", i));
                    return out;
                }
                int start = i;
                char c = s.charAt(i);
                if (Character.isDigit(c)) {
                    while (i < s.length() && Character.isDigit(s.charAt(i))) {
                        i++;
                    }
                    out.add(new Token(Kind.INT, s.substring(start, i), start));
                } else if (Character.isLetter(c) || c == '_' || c == '$') {
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '\''
                            || s.charAt(i) == '$')) {
                        i++;
                    }
                    out.add(new Token(Kind.IDENT, s.substring(start, i), start));
                } else {
                    String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                    String three = i + 2 < s.length() ? s.substring(i, i + 3) : "";
                    if (three.equals("<<=") || three.equals(">>=")) {
                        i += 3;
                        out.add(new Token(Kind.SYM, three, start));
                    } else if (two.equals("/\\") || two.equals("\\/")) { // isl's ASCII "and" / "or"
                        i += 2;
                        out.add(new Token(Kind.IDENT, two.equals("/\\") ? "and" : "or", start));
                    } else if (two.equals("->") || two.equals("<=") || two.equals(">=") || two.equals("!=") || two.equals("&&")
                            || two.equals("||") || two.equals("==") || two.equals("//") || two.equals("<<") || two.equals(">>")) {
                        i += 2;
                        out.add(new Token(Kind.SYM, two.equals("==") ? "=" : two, start));
                    } else if (c == '%') {
                        i++;
                        out.add(new Token(Kind.IDENT, "mod", start));
                    } else if ("[]{}(),:;+-*/<>=!&|".indexOf(c) >= 0) {
                        i++;
                        out.add(new Token(Kind.SYM, String.valueOf(c), start));
                    } else {
                        throw new IslSyntaxException("unexpected character '" + c + "'", start);
                    }
                }
            }
        }
    }

    /**
     * An affine expression over symbolic columns (parameters, dims, locals), resolved per piece,
     * with rational coefficients {@code (Σ coef·x + constant) / den}: isl reads {@code i/3} as a
     * rational expression ({@code x = i/3} is {@code 3x = i}, {@code i/2 < 1} is {@code i/2 <= 0}).
     * A constraint multiplies it by {@code den > 0} ({@link #integral()}), which keeps its integer points.
     */
    static final class Aff {
        final TreeMap<Integer, Long> coef;
        final long constant;
        final long den;

        private Aff(TreeMap<Integer, Long> coef, long constant, long den) {
            this.coef = coef;
            this.constant = constant;
            this.den = den;
        }

        static Aff constant(long c) {
            return new Aff(new TreeMap<>(), c, 1);
        }

        static Aff var(int v) {
            TreeMap<Integer, Long> m = new TreeMap<>();
            m.put(v, 1L);
            return new Aff(m, 0, 1);
        }

        boolean isConstant() {
            return coef.isEmpty();
        }

        boolean isIntegral() {
            return den == 1;
        }

        Aff plus(Aff o) {
            long l = ExactMath.lcm(den, o.den);
            Aff a = scaled(ExactMath.div(l, den));
            Aff b = o.scaled(ExactMath.div(l, o.den));
            TreeMap<Integer, Long> m = new TreeMap<>(a.coef);
            for (Map.Entry<Integer, Long> e : b.coef.entrySet()) {
                long v = ExactMath.add(m.getOrDefault(e.getKey(), 0L), e.getValue());
                if (v == 0) {
                    m.remove(e.getKey());
                } else {
                    m.put(e.getKey(), v);
                }
            }
            return new Aff(m, ExactMath.add(a.constant, b.constant), l).reduced();
        }

        Aff minus(Aff o) {
            return plus(o.times(-1));
        }

        Aff times(long k) {
            return scaled(k).withDen(den);
        }

        /** This times the (possibly rational) constant {@code k}. */
        Aff times(Aff k) {
            return scaled(k.constant).withDen(ExactMath.mul(den, k.den));
        }

        /** This divided by {@code d > 0}. */
        Aff dividedBy(long d) {
            return withDen(ExactMath.mul(den, d));
        }

        Aff plusConst(long c) {
            return new Aff(coef, ExactMath.add(constant, ExactMath.mul(c, den)), den);
        }

        /** The numerator: this times its denominator, integer coefficients. */
        Aff integral() {
            return new Aff(coef, constant, 1);
        }

        /** Numerator times k, same denominator (not reduced). */
        private Aff scaled(long k) {
            TreeMap<Integer, Long> m = new TreeMap<>();
            if (k != 0) {
                for (Map.Entry<Integer, Long> e : coef.entrySet()) {
                    m.put(e.getKey(), ExactMath.mul(e.getValue(), k));
                }
            }
            return new Aff(m, ExactMath.mul(constant, k), den);
        }

        private Aff withDen(long d) {
            return new Aff(coef, constant, d).reduced();
        }

        /** The same value with the gcd of numerator and denominator divided out. */
        private Aff reduced() {
            if (den == 1) {
                return this;
            }
            long g = ExactMath.gcd(den, constant);
            for (long c : coef.values()) {
                g = ExactMath.gcd(g, c);
            }
            if (g == 1) {
                return this;
            }
            TreeMap<Integer, Long> m = new TreeMap<>();
            for (Map.Entry<Integer, Long> e : coef.entrySet()) {
                m.put(e.getKey(), ExactMath.div(e.getValue(), g));
            }
            return new Aff(m, ExactMath.div(constant, g), ExactMath.div(den, g));
        }

        /** The row over {@code [params | dims | locals | 1]}; only for integral expressions. */
        long[] row(int np, int nf, int nl) {
            if (den != 1) {
                throw new IllegalStateException("rational expression in a constraint row: " + this);
            }
            long[] r = new long[nf + nl + 1];
            for (Map.Entry<Integer, Long> e : coef.entrySet()) {
                int k = e.getKey();
                int col = k >= LOCAL ? nf + (k - LOCAL) : k >= DIM ? np + (k - DIM) : k;
                r[col] = e.getValue();
            }
            r[nf + nl] = constant;
            return r;
        }

        @Override
        public String toString() {
            return den == 1 ? coef + "+" + constant : "(" + coef + "+" + constant + ")/" + den;
        }
    }
}
