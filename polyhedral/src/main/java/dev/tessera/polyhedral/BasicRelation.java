package dev.tessera.polyhedral;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One conjunction of affine constraints with existential locals:
 * {@code { x ∈ Z^n : ∃ q ∈ Z^m : E·(x,q,1) = 0 ∧ I·(x,q,1) ≥ 0 }}, where {@code x} are the
 * fixed columns (parameters and tuple dimensions, laid out by the owning {@link Relation})
 * and {@code q} the locals. A local may carry a {@link Div} definition, in which case its
 * defining constraints are implied and not stored among the inequalities.
 *
 * <p>Every row has {@code nFixed + nLocal + 1} entries, the constant last. Example: the
 * set {@code { [i] : exists (q : i = 2q and 0 <= i <= 8) }} is {@code nFixed = 1}, one local,
 * equality {@code [1, -2, 0]}, inequalities {@code [1, 0, 0]} and {@code [-1, 0, 8]}.
 * Entries are {@link ExactMath} codes (the value itself below 2^62, an interned
 * {@code BigInteger} beyond); a relation keeps the large values it stores reachable.
 * Instances are immutable; arrays handed in or out are copied.
 */
public final class BasicRelation {
    private final int nFixed;
    private final long[][] eqs;
    private final long[][] ineqs;
    private final Div[] locals;
    /** The large values (beyond 2^62) its rows use: holding them keeps their {@link ExactMath} codes valid. */
    private final BigInteger[] largeValues;
    private static final BigInteger[] NO_LARGE_VALUES = {};

    public BasicRelation(int nFixed, List<long[]> eqs, List<long[]> ineqs, List<Div> locals) {
        this.nFixed = nFixed;
        this.locals = locals.toArray(new Div[0]);
        int w = nFixed + this.locals.length + 1;
        this.eqs = copyRows(eqs, w);
        this.ineqs = copyRows(ineqs, w);
        for (Div d : this.locals) {
            if (d != null && d.length() != w) {
                throw new IllegalArgumentException("div of wrong width");
            }
        }
        this.largeValues = largeValues(this.eqs, this.ineqs, this.locals);
    }

    private static BigInteger[] largeValues(long[][] eqs, long[][] ineqs, Div[] locals) {
        List<BigInteger> out = null; // allocated only when there is one: the common case costs a scan
        for (long[] r : eqs) {
            out = ExactMath.addLargeMagnitudes(r, out);
        }
        for (long[] r : ineqs) {
            out = ExactMath.addLargeMagnitudes(r, out);
        }
        for (Div d : locals) {
            if (d != null) {
                for (int i = 0; i < d.length(); i++) {
                    out = ExactMath.addLargeMagnitude(d.num(i), out);
                }
                out = ExactMath.addLargeMagnitude(d.denominator(), out);
            }
        }
        return out == null ? NO_LARGE_VALUES : out.toArray(NO_LARGE_VALUES);
    }

    private static long[][] copyRows(List<long[]> rows, int w) {
        long[][] r = new long[rows.size()][];
        for (int i = 0; i < r.length; i++) {
            if (rows.get(i).length != w) {
                throw new IllegalArgumentException("row of width " + rows.get(i).length + ", expected " + w);
            }
            r[i] = rows.get(i).clone();
        }
        return r;
    }

    /** The universe over {@code nFixed} columns. */
    public static BasicRelation universe(int nFixed) {
        return new BasicRelation(nFixed, List.of(), List.of(), List.of());
    }

    /** An obviously empty conjunction ({@code 0 >= 1}). */
    public static BasicRelation empty(int nFixed) {
        long[] row = new long[nFixed + 1];
        row[nFixed] = -1;
        return new BasicRelation(nFixed, List.of(), List.<long[]>of(row), List.of());
    }

    public int nFixed() {
        return nFixed;
    }

    public int nLocal() {
        return locals.length;
    }

    public int nCols() {
        return nFixed + locals.length;
    }

    public int nEq() {
        return eqs.length;
    }

    public int nIneq() {
        return ineqs.length;
    }

    public long[] eq(int i) {
        return eqs[i].clone();
    }

    public long[] ineq(int i) {
        return ineqs[i].clone();
    }

    long eqAt(int r, int c) {
        return eqs[r][c];
    }

    long ineqAt(int r, int c) {
        return ineqs[r][c];
    }

    /** The definition of local {@code k}, or {@code null} if it is a plain existential. */
    public Div local(int k) {
        return locals[k];
    }

    List<long[]> eqList() {
        return Arrays.asList(eqs);
    }

    List<long[]> ineqList() {
        return Arrays.asList(ineqs);
    }

    List<Div> localList() {
        return Arrays.asList(locals);
    }

    /** True when a constant row is violated, without any search ({@code isEmpty} needs {@link Omega}). */
    public boolean isObviouslyEmpty() {
        int w = nCols();
        for (long[] r : ineqs) {
            if (isConstantRow(r, w) && r[w] < 0) {
                return true;
            }
        }
        for (long[] r : eqs) {
            if (isConstantRow(r, w) && r[w] != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConstantRow(long[] r, int w) {
        for (int i = 0; i < w; i++) {
            if (r[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Re-lays the fixed columns out: fixed column {@code i} goes to fixed column {@code to[i]}
     * of a conjunction with {@code newFixed} fixed columns when {@code to[i] >= 0}, or becomes
     * new local number {@code -to[i] - 1} (of {@code newLocals} plain existentials placed before
     * the old locals) when {@code to[i] < 0}. Unmentioned target columns are unconstrained.
     */
    public BasicRelation remap(int newFixed, int[] to, int newLocals) {
        int oldW = nCols();
        int newW = newFixed + newLocals + locals.length;
        int[] colTo = new int[oldW + 1];
        for (int i = 0; i < nFixed; i++) {
            colTo[i] = to[i] >= 0 ? to[i] : newFixed + (-to[i] - 1);
        }
        for (int k = 0; k < locals.length; k++) {
            colTo[nFixed + k] = newFixed + newLocals + k;
        }
        colTo[oldW] = newW;
        List<Div> ds = new ArrayList<>();
        for (int k = 0; k < newLocals; k++) {
            ds.add(null);
        }
        for (Div d : locals) {
            ds.add(d == null ? null : new Div(mapRow(d.numerator(), colTo, newW), d.denominator()));
        }
        List<long[]> e = new ArrayList<>();
        for (long[] r : eqs) {
            e.add(mapRow(r, colTo, newW));
        }
        List<long[]> in = new ArrayList<>();
        for (long[] r : ineqs) {
            in.add(mapRow(r, colTo, newW));
        }
        return new BasicRelation(newFixed, e, in, ds);
    }

    private static long[] mapRow(long[] r, int[] colTo, int newW) {
        long[] out = new long[newW + 1];
        for (int i = 0; i < r.length; i++) {
            if (r[i] != 0) {
                out[colTo[i]] = ExactMath.add(out[colTo[i]], r[i]);
            }
        }
        return out;
    }

    /** Moves fixed columns {@code [first, first + n)} to plain existential locals. */
    public BasicRelation projectOut(int first, int n) {
        int[] to = new int[nFixed];
        int j = 0;
        for (int i = 0; i < nFixed; i++) {
            if (i >= first && i < first + n) {
                to[i] = -(i - first) - 1;
            } else {
                to[i] = j++;
            }
        }
        return remap(nFixed - n, to, n);
    }

    /** The conjunction of both (same fixed columns): locals of {@code o} follow those of this one. */
    public BasicRelation intersect(BasicRelation o) {
        if (o.nFixed != nFixed) {
            throw new IllegalArgumentException("intersect of conjunctions over different columns");
        }
        int[] id = new int[nFixed];
        for (int i = 0; i < nFixed; i++) {
            id[i] = i;
        }
        BasicRelation a = this.addLocalsAtEnd(o.locals.length);
        BasicRelation b = o.remapWithLocalsShift(locals.length);
        List<long[]> e = new ArrayList<>(a.eqList());
        e.addAll(b.eqList());
        List<long[]> in = new ArrayList<>(a.ineqList());
        in.addAll(b.ineqList());
        List<Div> ds = new ArrayList<>(a.localList().subList(0, locals.length));
        ds.addAll(b.localList().subList(locals.length, locals.length + o.locals.length));
        return new BasicRelation(nFixed, e, in, ds);
    }

    /** The same conjunction with {@code n} extra unconstrained plain locals at the end. */
    BasicRelation addLocalsAtEnd(int n) {
        int oldW = nCols();
        int newW = oldW + n;
        int[] colTo = new int[oldW + 1];
        for (int i = 0; i < oldW; i++) {
            colTo[i] = i;
        }
        colTo[oldW] = newW;
        List<Div> ds = new ArrayList<>();
        for (Div d : locals) {
            ds.add(d == null ? null : new Div(mapRow(d.numerator(), colTo, newW), d.denominator()));
        }
        for (int k = 0; k < n; k++) {
            ds.add(null);
        }
        return new BasicRelation(nFixed, mapRows(eqs, colTo, newW), mapRows(ineqs, colTo, newW), ds);
    }

    /** The same conjunction with {@code n} unconstrained plain locals inserted before its own. */
    BasicRelation remapWithLocalsShift(int n) {
        int[] to = new int[nFixed];
        for (int i = 0; i < nFixed; i++) {
            to[i] = i;
        }
        return remap(nFixed, to, n);
    }

    private static List<long[]> mapRows(long[][] rows, int[] colTo, int newW) {
        List<long[]> out = new ArrayList<>();
        for (long[] r : rows) {
            out.add(mapRow(r, colTo, newW));
        }
        return out;
    }

    /** This conjunction with extra rows (full width). */
    public BasicRelation withConstraints(List<long[]> moreEqs, List<long[]> moreIneqs) {
        List<long[]> e = new ArrayList<>(eqList());
        e.addAll(moreEqs);
        List<long[]> in = new ArrayList<>(ineqList());
        in.addAll(moreIneqs);
        return new BasicRelation(nFixed, e, in, localList());
    }

    /** Widens a row over the fixed columns only ({@code nFixed + 1} entries) to full width. */
    public long[] widen(long[] fixedRow) {
        long[] r = new long[nCols() + 1];
        System.arraycopy(fixedRow, 0, r, 0, nFixed);
        r[nCols()] = fixedRow[fixedRow.length - 1];
        return r;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("BasicRelation(fixed=" + nFixed + ", locals=" + Arrays.toString(locals));
        for (long[] r : eqs) {
            sb.append(", eq ").append(Arrays.toString(r));
        }
        for (long[] r : ineqs) {
            sb.append(", ineq ").append(Arrays.toString(r));
        }
        return sb.append(')').toString();
    }
}
