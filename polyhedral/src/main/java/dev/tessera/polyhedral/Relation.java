package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.List;

/**
 * A finite union of {@link BasicRelation}s in one {@link Space} (a set when the space has no
 * input tuple). Columns of every piece: {@code [params | in | out]} then its locals.
 * Pieces may overlap. All operations are exact over the integers; parameters are ordinary
 * columns, so "empty" means "no integer point for any parameter value" and "subset" means
 * "for every parameter value".
 *
 * <p>Example: {@code { [i] : 0 <= i < 10 } \ { [i] : i mod 3 = 0 }} complements the
 * stride {@code i = 3q} piece by piece into {@code i - 3q >= 1} and {@code i - 3q <= -1}
 * with {@code q = floor(i/3)}, leaving {@code {1, 2, 4, 5, 7, 8}}.
 */
public final class Relation {
    private final Space space;
    private final List<BasicRelation> pieces;

    public Relation(Space space, List<BasicRelation> pieces) {
        this.space = space;
        int nf = space.nParam() + space.nDim();
        for (BasicRelation b : pieces) {
            if (b.nFixed() != nf) {
                throw new IllegalArgumentException("piece over " + b.nFixed() + " columns in a space of " + nf);
            }
        }
        this.pieces = List.copyOf(pieces);
    }

    public static Relation empty(Space s) {
        return new Relation(s, List.of());
    }

    public static Relation universe(Space s) {
        return new Relation(s, List.of(BasicRelation.universe(s.nParam() + s.nDim())));
    }

    public Space space() {
        return space;
    }

    public List<BasicRelation> pieces() {
        return pieces;
    }

    int nFixed() {
        return space.nParam() + space.nDim();
    }

    int np() {
        return space.nParam();
    }

    // ---------------------------------------------------------------- parameters

    /** The same relation over the parameter list {@code ps} (which contains all of this one's). */
    public Relation alignParams(List<String> ps) {
        if (ps.equals(space.params())) {
            return this;
        }
        int np = np();
        int[] to = new int[nFixed()];
        for (int i = 0; i < np; i++) {
            to[i] = ps.indexOf(space.params().get(i));
            if (to[i] < 0) {
                throw new IllegalArgumentException("parameter " + space.params().get(i) + " missing");
            }
        }
        for (int i = np; i < nFixed(); i++) {
            to[i] = ps.size() + (i - np);
        }
        int nf = ps.size() + space.nDim();
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation b : pieces) {
            out.add(b.remap(nf, to, 0));
        }
        return new Relation(space.withParams(ps), out);
    }

    private static Relation[] aligned(Relation a, Relation b) {
        List<String> ps = Space.mergeParams(a.space.params(), b.space.params());
        return new Relation[] {a.alignParams(ps), b.alignParams(ps)};
    }

    private void requireSameTuples(Relation o, String op) {
        if (!space.sameTuples(o.space)) {
            throw new IllegalArgumentException(op + ": spaces differ: " + space + " vs " + o.space);
        }
    }

    // ---------------------------------------------------------------- tests

    /** Exact: no integer point (any parameter value). */
    public boolean isEmpty() {
        for (BasicRelation b : pieces) {
            if (Omega.isSatisfiable(b)) {
                return false;
            }
        }
        return true;
    }

    /** Exact: every point of this one is in {@code o} (for every parameter value). */
    public boolean isSubset(Relation o) {
        requireSameTuples(o, "is_subset");
        Relation[] ab = aligned(this, o);
        List<BasicRelation> defined = defineAll(ab[1].pieces);
        for (BasicRelation a : ab[0].pieces) {
            if (remainderNonEmpty(a, defined, 0)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEqual(Relation o) {
        return isSubset(o) && o.isSubset(this);
    }

    public boolean isDisjoint(Relation o) {
        return intersect(o).isEmpty();
    }

    private static boolean remainderNonEmpty(BasicRelation a, List<BasicRelation> bs, int k) {
        if (!Omega.isSatisfiable(a)) {
            return false;
        }
        if (k == bs.size()) {
            return true;
        }
        if (!Omega.isSatisfiable(a.intersect(bs.get(k)))) {
            return remainderNonEmpty(a, bs, k + 1); // b does not meet a: nothing to remove
        }
        for (BasicRelation p : subtractPieces(a, bs.get(k), false)) {
            if (remainderNonEmpty(p, bs, k + 1)) {
                return true;
            }
        }
        return false;
    }

    private static List<BasicRelation> defineAll(List<BasicRelation> bs) {
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation b : bs) {
            out.addAll(Omega.defineLocals(b));
        }
        return out;
    }

    /**
     * {@code a \ b} for {@code b} whose locals all have definitions: the pieces
     * {@code a ∧ c1 ∧ … ∧ c(t-1) ∧ ¬ct} over the constraints {@code ct} of {@code b}, its divs
     * carried along as locals (they are functions, so negating a constraint is exact).
     */
    private static List<BasicRelation> subtractPieces(BasicRelation a, BasicRelation b, boolean prune) {
        int nf = a.nFixed();
        // b's divs become locals of a, reusing a's columns for identical definitions
        List<Div> locals = new ArrayList<>(a.localList());
        int[] colOf = new int[b.nLocal()];
        java.util.Arrays.fill(colOf, -1);
        int placed = 0;
        while (placed < b.nLocal()) {
            boolean progress = false;
            for (int k = 0; k < b.nLocal(); k++) {
                if (colOf[k] >= 0 || !definedOver(b.local(k), b, colOf)) {
                    continue;
                }
                long[] num = mapDivRow(b.local(k).numerator(), nf, colOf);
                int found = -1;
                for (int j = 0; j < locals.size(); j++) {
                    Div d = locals.get(j);
                    if (d != null && d.denominator() == b.local(k).denominator() && sameRow(d.numerator(), num)) {
                        found = j;
                        break;
                    }
                }
                if (found < 0) {
                    locals.add(new Div(num, b.local(k).denominator())); // widened below
                    found = locals.size() - 1;
                }
                colOf[k] = nf + found;
                placed++;
                progress = true;
            }
            if (!progress) {
                throw new IllegalStateException("subtrahend with an undefined or cyclic local");
            }
        }
        int w = nf + locals.size();
        List<Div> widened = new ArrayList<>();
        for (Div d : locals) {
            widened.add(d == null ? null : new Div(withConstantAt(d.numerator(), w), d.denominator()));
        }
        List<long[]> aEqs = new ArrayList<>();
        for (int i = 0; i < a.nEq(); i++) {
            aEqs.add(withConstantAt(a.eq(i), w));
        }
        List<long[]> aIns = new ArrayList<>();
        for (int i = 0; i < a.nIneq(); i++) {
            aIns.add(withConstantAt(a.ineq(i), w));
        }
        BasicRelation base = new BasicRelation(nf, aEqs, aIns, widened);
        List<BasicRelation> out = new ArrayList<>();
        List<long[]> accEq = new ArrayList<>();
        List<long[]> accIn = new ArrayList<>();
        for (int i = 0; i < b.nEq(); i++) {
            long[] e = mapRow(b.eq(i), nf, colOf, w);
            if (containsRowOrNegation(aEqs, e)) {
                continue; // a implies e = 0: both of its pieces are empty, and adding it changes nothing
            }
            long[] pos = e.clone();
            pos[w] = ExactMath.sub(pos[w], 1);
            long[] neg = negate(e);
            neg[w] = ExactMath.sub(neg[w], 1);
            addIfNonEmpty(out, base.withConstraints(accEq, concat(accIn, pos)), prune);
            addIfNonEmpty(out, base.withConstraints(accEq, concat(accIn, neg)), prune);
            accEq.add(e);
        }
        for (int i = 0; i < b.nIneq(); i++) {
            long[] r = mapRow(b.ineq(i), nf, colOf, w);
            if (containsRow(aIns, r) || containsRowOrNegation(aEqs, r)) {
                continue; // a implies r >= 0: a ∧ ¬r is empty, and adding r changes nothing
            }
            long[] neg = negate(r);
            neg[w] = ExactMath.sub(neg[w], 1);
            addIfNonEmpty(out, base.withConstraints(accEq, concat(accIn, neg)), prune);
            accIn.add(r);
        }
        return out;
    }

    /** True iff {@code rows} holds {@code r} (equal codes are equal values, so rows compare as arrays). */
    private static boolean containsRow(List<long[]> rows, long[] r) {
        for (long[] x : rows) {
            if (java.util.Arrays.equals(x, r)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsRowOrNegation(List<long[]> rows, long[] r) {
        return containsRow(rows, r) || containsRow(rows, negate(r));
    }

    private static boolean definedOver(Div d, BasicRelation b, int[] colOf) {
        if (d == null) {
            return false;
        }
        for (int k = 0; k < b.nLocal(); k++) {
            if (d.numerator()[b.nFixed() + k] != 0 && colOf[k] < 0) {
                return false;
            }
        }
        return true;
    }

    /** A div numerator of b mapped onto the columns chosen so far (constant kept last, width grows later). */
    private static long[] mapDivRow(long[] r, int nf, int[] colOf) {
        int max = nf;
        for (int c : colOf) {
            max = Math.max(max, c + 1);
        }
        long[] o = new long[max + 1];
        for (int i = 0; i < r.length - 1; i++) {
            if (r[i] != 0) {
                int c = i < nf ? i : colOf[i - nf];
                o[c] = ExactMath.add(o[c], r[i]);
            }
        }
        o[max] = r[r.length - 1];
        return o;
    }

    /** Same coefficients and constant, ignoring trailing zero columns. */
    private static boolean sameRow(long[] x, long[] y) {
        int n = Math.max(x.length, y.length) - 1;
        for (int i = 0; i < n; i++) {
            long xi = i < x.length - 1 ? x[i] : 0;
            long yi = i < y.length - 1 ? y[i] : 0;
            if (xi != yi) {
                return false;
            }
        }
        return x[x.length - 1] == y[y.length - 1];
    }

    /** A row re-laid to width {@code w} (columns kept, constant moved to the end). */
    private static long[] withConstantAt(long[] r, int w) {
        long[] o = new long[w + 1];
        System.arraycopy(r, 0, o, 0, Math.min(r.length - 1, w));
        o[w] = r[r.length - 1];
        return o;
    }

    private static long[] mapRow(long[] r, int nf, int[] colOf, int w) {
        long[] o = new long[w + 1];
        for (int i = 0; i < r.length - 1; i++) {
            if (r[i] != 0) {
                int c = i < nf ? i : colOf[i - nf];
                o[c] = ExactMath.add(o[c], r[i]);
            }
        }
        o[w] = r[r.length - 1];
        return o;
    }

    /** {@code a \ b} as pairwise disjoint pieces, for {@code b} whose locals all have definitions. */
    static List<BasicRelation> subtractDefined(BasicRelation a, BasicRelation b) {
        return subtractPieces(a, b, true);
    }

    private static void addIfNonEmpty(List<BasicRelation> out, BasicRelation b, boolean prune) {
        if (b.isObviouslyEmpty()) {
            return;
        }
        if (prune && !Omega.isSatisfiable(b)) {
            return;
        }
        out.add(b);
    }

    private static List<long[]> concat(List<long[]> rows, long[] r) {
        List<long[]> o = new ArrayList<>(rows);
        o.add(r);
        return o;
    }

    static long[] negate(long[] r) {
        long[] o = new long[r.length];
        for (int i = 0; i < r.length; i++) {
            o[i] = ExactMath.neg(r[i]);
        }
        return o;
    }

    // ---------------------------------------------------------------- set algebra

    public Relation intersect(Relation o) {
        requireSameTuples(o, "intersect");
        Relation[] ab = aligned(this, o);
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation a : ab[0].pieces) {
            for (BasicRelation b : ab[1].pieces) {
                BasicRelation c = a.intersect(b);
                if (!c.isObviouslyEmpty()) {
                    out.add(c);
                }
            }
        }
        return new Relation(ab[0].space, out).cleaned();
    }

    public Relation union(Relation o) {
        requireSameTuples(o, "union");
        Relation[] ab = aligned(this, o);
        List<BasicRelation> out = new ArrayList<>(ab[0].pieces);
        out.addAll(ab[1].pieces);
        return new Relation(ab[0].space, out);
    }

    public Relation subtract(Relation o) {
        requireSameTuples(o, "subtract");
        Relation[] ab = aligned(this, o);
        List<BasicRelation> cur = new ArrayList<>();
        for (BasicRelation a : ab[0].pieces) {
            if (Omega.isSatisfiable(a)) {
                cur.add(a);
            }
        }
        for (BasicRelation b : defineAll(ab[1].pieces)) {
            List<BasicRelation> next = new ArrayList<>();
            for (BasicRelation a : cur) {
                if (Omega.isSatisfiable(a.intersect(b))) {
                    next.addAll(subtractPieces(a, b, true));
                } else {
                    next.add(a);
                }
            }
            cur = next;
        }
        // every piece left was tested to have points (or is an untouched piece of this one, tested above)
        List<BasicRelation> simplified = new ArrayList<>();
        for (BasicRelation c : cur) {
            simplified.add(Omega.simplify(c));
        }
        return new Relation(ab[0].space, simplified);
    }

    /** The complement in the same space: universe minus this. */
    public Relation complement() {
        return universe(space).subtract(this);
    }

    /** Drops pieces without integer points and simplifies the locals of the others. */
    public Relation cleaned() {
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation b : pieces) {
            BasicRelation s = Omega.simplify(b);
            if (!s.isObviouslyEmpty() && Omega.isSatisfiable(s)) {
                out.add(s);
            }
        }
        return new Relation(space, out);
    }

    /** Operations allowed for one attempt to fuse two pieces in {@link #coalesce}; a longer attempt keeps both. */
    static final long FUSE_BUDGET = 500_000L;
    /** {@link #coalesce} tries fusions only below this many pieces (the pairs grow quadratically). */
    static final int FUSE_MAX_PIECES = 24;

    /**
     * Removes pieces contained in the union of the others (keeps the first of equal pieces; each
     * piece is brought to div form once, for all the containment tests it takes part in), then
     * fuses pairs of pieces whose union is one conjunction. For pieces {@code A} and {@code B}
     * with the same divs, the candidate {@code H} keeps the constraints of each that hold on all
     * of the other, so {@code A ∪ B ⊆ H}; when also {@code H ⊆ A ∪ B} (exact), {@code H}
     * replaces both. Example: {@code { [i] : 0 <= i <= 4; [i] : 5 <= i <= 9 }} becomes
     * {@code { [i] : 0 <= i <= 9 }}: {@code i >= 0} holds on the second piece and {@code i <= 9} on
     * the first. Each attempt has its own budget ({@link #FUSE_BUDGET}); one that runs out keeps
     * both pieces.
     */
    public Relation coalesce() {
        List<BasicRelation> ps = new ArrayList<>(cleaned().pieces);
        List<List<BasicRelation>> defined = new ArrayList<>();
        for (BasicRelation p : ps) {
            defined.add(Omega.defineLocals(p));
        }
        for (int i = ps.size() - 1; i >= 0 && ps.size() > 1; i--) {
            List<BasicRelation> others = new ArrayList<>();
            for (int j = 0; j < ps.size(); j++) {
                if (j != i) {
                    others.addAll(defined.get(j));
                }
            }
            if (!remainderNonEmpty(ps.get(i), others, 0)) {
                ps.remove(i);
                defined.remove(i);
            }
        }
        boolean fused = ps.size() < FUSE_MAX_PIECES;
        while (fused) {
            fused = false;
            for (int i = 0; i < ps.size() && !fused; i++) {
                for (int j = i + 1; j < ps.size() && !fused; j++) {
                    BasicRelation h = fusion(ps.get(i), ps.get(j));
                    if (h != null) {
                        ps.set(i, h);
                        ps.remove(j);
                        fused = true;
                    }
                }
            }
        }
        return new Relation(space, ps);
    }

    /** The single conjunction equal to {@code a ∪ b} described in {@link #coalesce}, or null. */
    private BasicRelation fusion(BasicRelation a, BasicRelation b) {
        if (a.nLocal() != b.nLocal()) {
            return null;
        }
        for (int k = 0; k < a.nLocal(); k++) {
            if (a.local(k) == null || !a.local(k).equals(b.local(k))) {
                return null; // plain locals, or different divs: the rows would not speak of the same columns
            }
        }
        try {
            return Budget.run(FUSE_BUDGET, () -> {
                List<long[]> eqs = new ArrayList<>();
                List<long[]> ineqs = new ArrayList<>();
                for (BasicRelation[] xy : new BasicRelation[][] {{a, b}, {b, a}}) {
                    for (int i = 0; i < xy[0].nEq(); i++) {
                        long[] e = xy[0].eq(i);
                        if (!containsRow(eqs, e) && holdsOn(e, xy[1]) && holdsOn(negate(e), xy[1])) {
                            eqs.add(e);
                        }
                    }
                    for (int i = 0; i < xy[0].nIneq(); i++) {
                        long[] r = xy[0].ineq(i);
                        if (!containsRow(ineqs, r) && holdsOn(r, xy[1])) {
                            ineqs.add(r);
                        }
                    }
                }
                BasicRelation h = new BasicRelation(a.nFixed(), eqs, ineqs, a.localList());
                return new Relation(space, List.of(h)).isSubset(new Relation(space, List.of(a, b))) ? h : null;
            });
        } catch (BudgetExceededException e) {
            return null;
        }
    }

    /** True when {@code r >= 0} at every point of {@code b} ({@code b ∧ r <= -1} has no integer point). */
    private static boolean holdsOn(long[] r, BasicRelation b) {
        long[] violated = negate(r);
        violated[violated.length - 1] = ExactMath.sub(violated[violated.length - 1], 1);
        return !Omega.isSatisfiable(b.withConstraints(List.of(), List.of(violated)));
    }

    // ---------------------------------------------------------------- relations

    private Relation remapAll(Space s, int newFixed, int[] to, int newLocals) {
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation b : pieces) {
            out.add(b.remap(newFixed, to, newLocals));
        }
        return new Relation(s, out);
    }

    public Relation reverse() {
        requireRelation("reverse");
        int np = np();
        int ni = space.nIn();
        int no = space.nOut();
        int[] to = new int[nFixed()];
        for (int i = 0; i < np; i++) {
            to[i] = i;
        }
        for (int i = 0; i < ni; i++) {
            to[np + i] = np + no + i;
        }
        for (int i = 0; i < no; i++) {
            to[np + ni + i] = np + i;
        }
        return remapAll(space.withTuples(space.out(), space.in()), nFixed(), to, 0);
    }

    private void requireRelation(String op) {
        if (!space.isRelation()) {
            throw new IllegalArgumentException(op + " needs a relation");
        }
    }

    private void requireSet(String op) {
        if (space.isRelation() || space.isParamDomain()) {
            throw new IllegalArgumentException(op + " needs a set");
        }
    }

    /** Projects out fixed columns {@code [first, first+n)} into locals, with a new space. */
    private Relation project(Space s, int first, int n) {
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation b : pieces) {
            out.add(Omega.simplify(b.projectOut(first, n)));
        }
        return new Relation(s, out);
    }

    public Relation domain() {
        requireRelation("domain");
        return project(Space.set(space.params(), space.in()), np() + space.nIn(), space.nOut());
    }

    public Relation range() {
        requireRelation("range");
        return project(Space.set(space.params(), space.out()), np(), space.nIn());
    }

    /** The set {@code [in -> out]} of this relation's pairs. */
    public Relation wrap() {
        requireRelation("wrap");
        return new Relation(Space.set(space.params(), Tuple.wrap(null, space.in(), space.out())), pieces);
    }

    /** The relation of a wrapped set {@code [a -> b]}. */
    public Relation unwrap() {
        Tuple t = space.out();
        if (space.isRelation() || t == null || !t.isWrapped()) {
            throw new IllegalArgumentException("unwrap needs a wrapped set");
        }
        return new Relation(Space.relation(space.params(), t.domain(), t.range()), pieces);
    }

    /** The parameter domain: all tuple dimensions projected out. */
    public Relation params() {
        return project(Space.paramDomain(space.params()), np(), space.nDim());
    }

    /** {@code { x -> z : exists y : x -> y in this and y -> z in o }}. */
    public Relation applyRange(Relation o) {
        requireRelation("apply_range");
        o.requireRelation("apply_range");
        if (!space.out().equals(o.space.in())) {
            throw new IllegalArgumentException("apply_range: " + space.out() + " is not " + o.space.in());
        }
        Relation[] ab = aligned(this, o);
        int np = ab[0].np();
        int na = space.nIn();
        int nb = space.nOut();
        int nc = o.space.nOut();
        int nf = np + na + nb + nc;
        int[] toA = new int[np + na + nb];
        for (int i = 0; i < np + na + nb; i++) {
            toA[i] = i;
        }
        int[] toB = new int[np + nb + nc];
        for (int i = 0; i < np; i++) {
            toB[i] = i;
        }
        for (int i = 0; i < nb + nc; i++) {
            toB[np + i] = np + na + i;
        }
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation a : ab[0].pieces) {
            for (BasicRelation b : ab[1].pieces) {
                BasicRelation c = a.remap(nf, toA, 0).intersect(b.remap(nf, toB, 0));
                if (!c.isObviouslyEmpty()) {
                    out.add(Omega.simplify(c.projectOut(np + na, nb)));
                }
            }
        }
        return new Relation(Space.relation(ab[0].space.params(), space.in(), o.space.out()), out).cleaned();
    }

    /** {@code { y -> z : exists x : x -> z in this and x -> y in o }}. */
    public Relation applyDomain(Relation o) {
        return reverse().applyRange(o).reverse();
    }

    /** The image of set {@code this} under relation {@code m}. */
    public Relation apply(Relation m) {
        requireSet("apply");
        return m.intersectDomain(this).range();
    }

    public Relation intersectDomain(Relation s) {
        requireRelation("intersect_domain");
        return intersectSide(s, true);
    }

    public Relation intersectRange(Relation s) {
        requireRelation("intersect_range");
        return intersectSide(s, false);
    }

    private Relation intersectSide(Relation s, boolean domainSide) {
        Tuple t = domainSide ? space.in() : space.out();
        if (!t.equals(s.space.out()) || s.space.isRelation()) {
            throw new IllegalArgumentException("intersect_" + (domainSide ? "domain" : "range") + ": " + t + " is not " + s.space.out());
        }
        Relation[] ab = aligned(this, s);
        int np = ab[0].np();
        int offset = domainSide ? np : np + space.nIn();
        int[] to = new int[np + t.arity()];
        for (int i = 0; i < np; i++) {
            to[i] = i;
        }
        for (int i = 0; i < t.arity(); i++) {
            to[np + i] = offset + i;
        }
        int nf = ab[0].nFixed();
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation a : ab[0].pieces) {
            for (BasicRelation b : ab[1].pieces) {
                BasicRelation c = a.intersect(b.remap(nf, to, 0));
                if (!c.isObviouslyEmpty()) {
                    out.add(c);
                }
            }
        }
        return new Relation(ab[0].space, out).cleaned();
    }

    /** Restricts the parameters to the parameter domain {@code p}. */
    public Relation intersectParams(Relation p) {
        Relation[] ab = aligned(this, p);
        int np = ab[0].np();
        int[] to = new int[np];
        for (int i = 0; i < np; i++) {
            to[i] = i;
        }
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation a : ab[0].pieces) {
            for (BasicRelation b : ab[1].pieces) {
                out.add(a.intersect(b.remap(ab[0].nFixed(), to, 0)));
            }
        }
        return new Relation(ab[0].space, out).cleaned();
    }

    /** The identity relation on this set: {@code { x -> x : x in this }}. */
    public Relation identity() {
        requireSet("identity");
        int np = np();
        int n = space.nOut();
        int nf = np + 2 * n;
        int[] to = new int[np + n];
        for (int i = 0; i < np + n; i++) {
            to[i] = i;
        }
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation b : pieces) {
            BasicRelation c = b.remap(nf, to, 0);
            List<long[]> eqs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long[] row = new long[c.nCols() + 1];
                row[np + i] = 1;
                row[np + n + i] = -1;
                eqs.add(row);
            }
            out.add(c.withConstraints(eqs, List.of()));
        }
        return new Relation(Space.relation(space.params(), space.out(), space.out()), out);
    }

    /** {@code { y - x : x -> y in this }} for a relation between tuples of equal arity. */
    public Relation deltas() {
        requireRelation("deltas");
        int n = space.nIn();
        if (space.nOut() != n) {
            throw new IllegalArgumentException("deltas needs equal arities");
        }
        int np = np();
        int nf = np + 3 * n;
        int[] to = new int[nFixed()];
        for (int i = 0; i < np; i++) {
            to[i] = i;
        }
        for (int i = 0; i < 2 * n; i++) {
            to[np + i] = np + n + i;
        }
        List<BasicRelation> out = new ArrayList<>();
        for (BasicRelation b : pieces) {
            BasicRelation c = b.remap(nf, to, 0);
            List<long[]> eqs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long[] row = new long[c.nCols() + 1];
                row[np + i] = 1;
                row[np + n + i] = 1;
                row[np + 2 * n + i] = -1;
                eqs.add(row);
            }
            out.add(Omega.simplify(c.withConstraints(eqs, List.of()).projectOut(np + n, 2 * n)));
        }
        return new Relation(Space.set(space.params(), space.in()), out).cleaned();
    }

    /**
     * Projects out {@code n} dimensions from {@code first} of the given kind ({@code set},
     * {@code in}, {@code out}, {@code param}); as in isl, the tuple that loses dimensions
     * becomes anonymous.
     */
    public Relation projectOut(String kind, int first, int n) {
        int start;
        int size;
        switch (kind) {
            case "param" -> {
                start = 0;
                size = np();
            }
            case "in" -> {
                if (!space.isRelation()) {
                    throw new IllegalArgumentException("project_out: a set has no 'in' dimensions");
                }
                start = np();
                size = space.nIn();
            }
            case "set", "out" -> {
                start = np() + space.nIn();
                size = space.nOut();
            }
            default -> throw new IllegalArgumentException("project_out kind must be set|in|out|param, got " + kind);
        }
        if (first < 0 || n < 0 || first + n > size) {
            throw new IllegalArgumentException("project_out: range " + first + ".." + (first + n) + " out of " + size + " dims");
        }
        if (n == 0) {
            return cleaned();
        }
        Space s;
        switch (kind) {
            case "param" -> {
                List<String> ps = new ArrayList<>(space.params());
                ps.subList(first, first + n).clear();
                s = space.withParams(ps);
            }
            case "in" -> s = space.withTuples(Tuple.of(null, space.nIn() - n), space.out());
            default -> s = space.withTuples(space.in(), Tuple.of(null, space.nOut() - n));
        }
        return project(s, start + first, n).cleaned();
    }

    // ---------------------------------------------------------------- functional properties

    /** Exact: no input has two different outputs. */
    public boolean isSingleValued() {
        requireRelation("is_single_valued");
        int np = np();
        int ni = space.nIn();
        int no = space.nOut();
        int nf = np + ni + 2 * no;
        int[] toA = new int[nFixed()];
        int[] toB = new int[nFixed()];
        for (int i = 0; i < np + ni; i++) {
            toA[i] = i;
            toB[i] = i;
        }
        for (int i = 0; i < no; i++) {
            toA[np + ni + i] = np + ni + i;
            toB[np + ni + i] = np + ni + no + i;
        }
        boolean[] functional = new boolean[pieces.size()];
        boolean allFunctional = true;
        for (int i = 0; i < functional.length; i++) {
            functional[i] = determinesOutputs(pieces.get(i));
            allFunctional &= functional[i];
        }
        if (allFunctional && pieces.size() <= 1) {
            return true;
        }
        if (hasTwoImagesAtASample()) {
            return false;
        }
        for (int ia = 0; ia < pieces.size(); ia++) {
            BasicRelation a = pieces.get(ia);
            for (int ib = 0; ib < pieces.size(); ib++) {
                if (ia == ib && functional[ia]) {
                    continue; // one piece that fixes its outputs has one image per input
                }
                BasicRelation b = pieces.get(ib);
                BasicRelation c = a.remap(nf, toA, 0).intersect(b.remap(nf, toB, 0));
                for (int k = 0; k < no; k++) {
                    long[] row = new long[c.nCols() + 1];
                    row[np + ni + no + k] = 1; // y'_k - y_k - 1 >= 0
                    row[np + ni + k] = -1;
                    row[c.nCols()] = -1;
                    if (Omega.isSatisfiable(c.withConstraints(List.of(), List.<long[]>of(row)))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * True when the equalities of {@code b} fix its outputs once the parameters and inputs are
     * fixed: a column is fixed when an equality uses it and otherwise only fixed columns (its
     * value is then unique, if there is one), a div when its numerator uses only fixed columns.
     * Then no input has two images in {@code b}. Example: in
     * {@code { S[i] -> T[floor(i/4), i mod 4] }} the div {@code q = floor(i/4)} is fixed by its
     * numerator, then {@code t0 = q} and {@code t1 = i - 4q} fix both outputs; in the reverse,
     * {@code t0 = q} fixes {@code q} and {@code t1 = i - 4q} then fixes {@code i}.
     */
    private boolean determinesOutputs(BasicRelation b) {
        int nf = b.nFixed();
        int w = b.nCols();
        boolean[] fixed = new boolean[w];
        for (int c = 0; c < np() + space.nIn(); c++) {
            fixed[c] = true;
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int k = 0; k < b.nLocal(); k++) {
                Div d = b.local(k);
                if (!fixed[nf + k] && d != null && usesOnlyFixed(d, fixed)) {
                    fixed[nf + k] = true;
                    progress = true;
                }
            }
            for (int e = 0; e < b.nEq(); e++) {
                int open = -1;
                int opens = 0;
                for (int c = 0; c < w; c++) {
                    if (b.eqAt(e, c) != 0 && !fixed[c]) {
                        open = c;
                        opens++;
                    }
                }
                if (opens == 1) {
                    fixed[open] = true;
                    progress = true;
                }
            }
        }
        for (int c = np() + space.nIn(); c < nf; c++) {
            if (!fixed[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean usesOnlyFixed(Div d, boolean[] fixed) {
        for (int c = 0; c < fixed.length; c++) {
            if (d.num(c) != 0 && !fixed[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A cheap witness search for "not single-valued" (parameter-free relations): for one sample
     * point {@code (x, y)} of each piece, is there {@code y' ≠ y} with {@code (x, y')} in the
     * relation? With {@code x} fixed these are small feasibility tests, where the exact test over
     * two copies of the relation can take long; a relation that mixes many inputs, like
     * {@code (i, j, k) -> (i - j mod 3, floor(k/2))} reversed, is caught at its first sample.
     * False means only "no witness found here"; the search gets its own small budget
     * ({@link #WITNESS_BUDGET}) and gives up quietly when it runs out (sampling an unbounded
     * relation can take long).
     */
    private boolean hasTwoImagesAtASample() {
        if (np() > 0) {
            return false;
        }
        try {
            return Budget.run(WITNESS_BUDGET, this::twoImagesAtASample);
        } catch (BudgetExceededException e) {
            return false;
        }
    }

    /** Operations allowed for {@link #hasTwoImagesAtASample}. */
    private static final long WITNESS_BUDGET = 200_000L;

    private boolean twoImagesAtASample() {
        int ni = space.nIn();
        int no = space.nOut();
        for (BasicRelation a : pieces) {
            long[] pt = Optimizer.samplePoint(a);
            if (pt == null) {
                continue;
            }
            for (BasicRelation b : pieces) {
                BasicRelation atX = b;
                for (int i = 0; i < ni; i++) {
                    atX = Optimizer.fix(atX, i, pt[i]);
                }
                for (int k = 0; k < no; k++) {
                    for (long sign : new long[] {1, -1}) {
                        long[] row = new long[atX.nCols() + 1]; // sign·(y'_k - y_k) - 1 >= 0
                        row[ni + k] = sign;
                        row[atX.nCols()] = ExactMath.sub(ExactMath.mul(-sign, pt[ni + k]), 1);
                        if (Omega.isSatisfiable(atX.withConstraints(List.of(), List.<long[]>of(row)))) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    public boolean isInjective() {
        return reverse().isSingleValued();
    }

    public boolean isBijective() {
        return isSingleValued() && isInjective();
    }

    /** Exact: finitely many integer points for every fixed value of the parameters. */
    public boolean isBounded() {
        for (BasicRelation b : pieces) {
            if (!Omega.isSatisfiable(b)) {
                continue;
            }
            for (int c = np(); c < nFixed(); c++) {
                long[] obj = new long[b.nCols() + 1];
                obj[c] = 1;
                if (!Optimizer.boundedBelowForFixedParams(b, obj, np())) {
                    return false;
                }
                obj[c] = -1;
                if (!Optimizer.boundedBelowForFixedParams(b, obj, np())) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return dev.tessera.polyhedral.text.IslPrinter.print(this);
    }
}
