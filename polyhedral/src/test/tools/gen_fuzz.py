#!/usr/bin/env python3
"""Seeded generator of problem shapes that gen_problems.py does not make: every op of the oracle
with parameters, unions over several named and unnamed spaces, zero-dimensional sets
(``{ : N > 0 }``, ``{ S[] }``), wrapped tuples, relations with existentials on both sides,
negative coefficients, large strides, empty and universe objects, and the same conditions written
in the other surface forms isl reads (``&&``/``||``/``/\\``/``\\/``, ``%``, ``floord``/``ceild``,
``implies``, ``exists e:`` without parentheses, rational ``e/d`` in comparisons, ``2 * i mod 3``,
reversed and chained comparisons, no spaces).

Usage: gen_fuzz.py --seed 1 --out DIR [--rounds 60]     (writes DIR/fuzz.problems.tsv)

The same seed always gives the same file, byte for byte.
"""

import argparse
import os
import random

from gen_problems import lin

VARS = ["i", "j", "k"]
OUTS = ["a", "b", "c"]


class Ctx:
    """The parameters of one problem and the random source."""

    def __init__(self, r, params):
        self.r = r
        self.params = params

    def pre(self):
        return "[%s] -> " % ", ".join(self.params) if self.params else ""


def bound(c, v, lo=True):
    """A lower or upper bound of v: a constant, or (with parameters) a parameter expression."""
    r = c.r
    if c.params and r.random() < 0.4:
        p = r.choice(c.params)
        e = lin([(r.choice([1, 1, 2, -1]), p)], r.randint(-3, 3))
        return "%s <= %s" % (e, v) if lo else "%s %s %s" % (v, r.choice(["<", "<="]), e)
    k = r.randint(-8, 4) if lo else r.randint(0, 12)
    return "%d <= %s" % (k, v) if lo else "%s <= %d" % (v, k)


def atom(c, vs):
    """One random condition over vs: bounds, a linear inequality with negative coefficients, a
    stride (large or small), an existential, a floor or mod equation."""
    r = c.r
    x = r.random()
    v = r.choice(vs)
    if x < 0.30:
        terms = [(r.randint(-4, 4), w) for w in vs]
        if c.params and r.random() < 0.3:
            terms.append((r.choice([-1, 1, 2]), r.choice(c.params)))
        if all(t[0] == 0 for t in terms):
            terms[0] = (-1, vs[0])
        return "%s %s %d" % (lin(terms), r.choice([">=", "<=", ">", "<", "="]), r.randint(-10, 10))
    if x < 0.45:
        m = r.choice([2, 3, 4, 7, 16, 64, 1000])
        return "(%s) mod %d = %d" % (lin([(r.choice([1, -1, 2, -3]), v)], r.randint(-2, 2)), m, r.randint(0, m - 1))
    if x < 0.60:
        m = r.choice([2, 3, 5, 8, 32, 100])
        body = "%s = %s" % (v, lin([(m, "e0")], r.randint(-m, m)))
        if r.random() < 0.5:
            body += " and %d <= e0 <= %d" % (r.randint(-4, 0), r.randint(0, 6))
        return "exists (e0 : %s)" % body
    if x < 0.70:
        m = r.randint(2, 6)
        w = r.choice(vs)
        return "floor((%s)/%d) %s %s" % (lin([(r.choice([1, -1, 3]), v)], r.randint(-3, 3)), m,
                                         r.choice(["<=", ">=", "="]), lin([(r.choice([1, -1]), w)], r.randint(-2, 2)))
    if x < 0.80 and len(vs) >= 2:
        a, b = r.sample(vs, 2)
        return "%s = %s" % (a, lin([(r.choice([1, -1, 2, -2, 3]), b)], r.randint(-5, 5)))
    if x < 0.90:
        # a two-dimensional lattice: v = 2e0 + 3e1 with bounded e1
        return "exists (e0, e1 : %s = %s and %d <= e1 <= %d)" % (
            v, lin([(r.choice([2, 4, 6]), "e0"), (r.choice([3, 5, -3]), "e1")], r.randint(-2, 2)),
            r.randint(-2, 0), r.randint(0, 3))
    return "%s %s %s" % (lin([(1, v)]), r.choice(["<=", ">="]), lin([(r.choice([-1, 1]), w) for w in vs if w != v] or [(0, v)], r.randint(-3, 3)))


def conj(c, vs, bounded=True):
    r = c.r
    conds = []
    for v in vs:
        if bounded or r.random() < 0.7:
            conds.append(bound(c, v, True))
        if bounded or r.random() < 0.7:
            conds.append(bound(c, v, False))
    for _ in range(r.randint(0, 2) if vs else 0):
        conds.append(atom(c, vs))
    return conds


def formula(c, vs, bounded=True):
    """A condition in disjunctive form (1-3 disjuncts), or 'false' / nothing (universe)."""
    r = c.r
    x = r.random()
    if x < 0.03:
        return "false"
    if x < 0.06:
        return None
    n = r.choice([1, 1, 2, 3])
    ds = [" and ".join(conj(c, vs, bounded)) or "true" for _ in range(n)]
    if n == 1:
        return ds[0]
    return " or ".join("(%s)" % d for d in ds)


def tuple_text(name, vs):
    return "%s[%s]" % (name or "", ", ".join(vs))


def space_body(c, name, d, bounded=True):
    vs = VARS[:d]
    f = formula(c, vs, bounded)
    t = tuple_text(name, vs)
    return t if f is None else "%s : %s" % (t, f)


def rel_body(c, a, b, di, do, bounded=True):
    """A relation a[i..] -> b[a..]: functional (affine, floor, mod outputs) or with existentials
    linking both sides."""
    r = c.r
    vi, vo = VARS[:di], OUTS[:do]
    if r.random() < 0.4:
        outs = []
        for _ in range(do):
            base = lin([(r.randint(-3, 3), v) for v in vi] + ([(1, c.params[0])] if c.params and r.random() < 0.2 else []), r.randint(-3, 3))
            y = r.random()
            outs.append("floor((%s)/%d)" % (base, r.randint(2, 5)) if y < 0.2 else
                        "(%s) mod %d" % (base, r.randint(2, 5)) if y < 0.35 else base)
        f = formula(c, vi, bounded)
        t = "%s -> %s" % (tuple_text(a, vi), tuple_text(b, outs))
        return t if f is None else "%s : %s" % (t, f)
    conds = conj(c, vi, bounded) + conj(c, vo, bounded and r.random() < 0.8)
    x = r.random()
    if x < 0.4 and vo and vi:
        # existentials over both sides: a shared quotient
        m = r.choice([2, 3, 4, 8])
        conds.append("exists (q : %s = %s and %s)" % (
            lin([(1, r.choice(vo))]), lin([(m, "q")], r.randint(0, m - 1)),
            "%s <= %s < %s" % (lin([(m, "q")]), r.choice(vi), lin([(m, "q")], m))))
    elif x < 0.8:
        terms = [(r.randint(-3, 3), v) for v in vi + vo]
        if all(t[0] == 0 for t in terms):
            terms[-1] = (1, (vi + vo)[-1])
        conds.append("%s %s %d" % (lin(terms), r.choice(["=", "<=", ">="]), r.randint(-6, 6)))
    if not conds:
        return "%s -> %s" % (tuple_text(a, vi), tuple_text(b, vo))
    return "%s -> %s : %s" % (tuple_text(a, vi), tuple_text(b, vo), " and ".join(conds))


def obj(c, bodies):
    return "%s{ %s }" % (c.pre(), "; ".join(bodies))


# ---------------------------------------------------------------------------------------------
# surface syntax variants (same meaning for isl)


def variant(r, text):
    """The same object written another way isl reads the same."""
    x = r.random()
    if x < 0.15:
        return text.replace(" and ", " && ").replace(" or ", " || ")
    if x < 0.25:
        return text.replace(" and ", " /\\ ").replace(" or ", " \\/ ")
    if x < 0.35:
        return text.replace(" mod ", " % ")
    if x < 0.45:
        return text.replace(", ", ",").replace(" : ", ":").replace("{ ", "{").replace(" }", "}").replace(" <= ", "<=")
    if x < 0.55:
        return text.replace(" ", "  ")
    if x < 0.65:
        return text.replace("2e0", "2 * e0").replace("3e1", "3*e1")
    return text


def syntax_problems(c):
    """Pairs (op, args) whose arguments use a surface form; the answer is a set."""
    r = c.r
    vs = VARS[:r.choice([1, 2])]
    v = r.choice(vs)
    box = " and ".join("%d <= %s <= %d" % (r.randint(-9, -1), w, r.randint(1, 12)) for w in vs)
    t = tuple_text("S", vs)
    m = r.randint(2, 5)
    k = r.randint(1, 4)
    forms = [
        "%s and %d*%s mod %d = %d" % (box, k, v, m, r.randint(0, m - 1)),
        "%s and %d%s mod %d = %d" % (box, k, v, m, r.randint(0, m - 1) * k),
        "%s and - %d%s mod %d >= %d" % (box, k, v, m, -r.randint(0, m)),
        "%s and %s %% %d = %d" % (box, v, m, r.randint(0, m - 1)),
        "%s and floord(%s, %d) = %d" % (box, lin([(r.choice([1, 2, -1]), v)], r.randint(-2, 2)), m, r.randint(-2, 2)),
        "%s and ceild(%s, %d) >= %d" % (box, lin([(r.choice([1, 2, -1]), v)], r.randint(-2, 2)), m, r.randint(-2, 2)),
        "%s and (%s)/%d %s %d" % (box, lin([(r.choice([1, 3, -1]), v)], r.randint(-2, 2)), m, r.choice(["<", "<=", ">", ">=", "=", "!="]), r.randint(-3, 3)),
        "%s and %d < %s/%d" % (box, r.randint(-3, 3), v, m),
        "%s and (%s >= %d implies %s %% %d = 0)" % (box, v, r.randint(-3, 3), v, m),
        "%s and %s >= %d implies %s <= %d" % (box, v, r.randint(-3, 3), v, r.randint(-3, 6)),
        "%s /\\ (%s <= %d \\/ %s >= %d)" % (box, v, r.randint(-3, 0), v, r.randint(1, 5)),
        "%s && !(%s = %d) && %s != %d" % (box, v, r.randint(-3, 3), v, r.randint(-3, 3)),
        "%s and exists e0 : %s = %d e0 + %d" % (box, v, m, r.randint(0, m - 1)),
        "%s and %d >= %s >= %d" % (box, r.randint(0, 9), v, r.randint(-9, 0)),
        "%s and floor(%s) = %s" % (box, v, v),
        "%s and %s = %s" % (box, v, "%d*floor(%s/%d) + %d" % (r.choice([1, 2]), v, m, r.randint(0, 1))),
        "%s and %s - %d * floor(%s/%d) = %d" % (box, v, m, v, m, r.randint(0, m - 1)),
        "%s and %s = %s // %d" % (box, v, lin([(r.choice([2, 3]), v)], r.randint(-2, 2)), m),
    ]
    if len(vs) == 2:
        forms.append("%s and 0 <= %s, %s < %d" % (box, vs[0], vs[1], r.randint(1, 6)))
        forms.append("%s and %s <= %s - %s" % (box, lin([(-2, vs[0])]), vs[1], r.randint(-3, 3)))
    a = "{ %s : %s }" % (t, r.choice(forms))
    b = "{ %s : %s }" % (t, r.choice(forms))
    out = [("coalesce", (a,)), (r.choice(["intersect", "union", "subtract"]), (a, b)),
           (r.choice(["is_subset", "is_equal", "is_empty"]), (a, b) if r.random() < 0.7 else (a,))]
    ff = "{ %s -> T[%s] }" % (t, r.choice(["%s/%d" % (v, m), "%d*%s mod %d" % (k, v, m), "floord(%s, %d)" % (v, m),
                                          "%s %% %d" % (v, m), "ceild(%s, %d)" % (v, m)]))
    out.append(("apply", (a, ff)))
    if (out[2][0] == "is_empty") != (len(out[2][1]) == 1):
        out[2] = ("is_empty", (a,))
    return out


# ---------------------------------------------------------------------------------------------
# problems


def rand_set(c, multi=False, d=None, name=None, bounded=True):
    r = c.r
    if multi:
        names = r.sample(["S", "T", "U", ""], r.randint(2, 3))
        return obj(c, [space_body(c, n, d or r.choice([0, 1, 2, 2, 3]), bounded) for n in names])
    if d is None:
        d = r.choice([0, 1, 2, 2, 3])
    if name is None:
        name = r.choice(["S", "S", "", "A"])
    return obj(c, [space_body(c, name, d, bounded) for _ in range(r.choice([1, 1, 2]))])


def rand_rel(c, a="A", b="B", di=None, do=None, bounded=True, multi=False):
    r = c.r
    di = di if di is not None else r.choice([1, 1, 2, 3])
    do = do if do is not None else r.choice([0, 1, 2, 2])
    bodies = [rel_body(c, a, b, di, do, bounded) for _ in range(r.choice([1, 1, 2]))]
    if multi:
        bodies.append(rel_body(c, "C", b, r.choice([1, 2]), do, bounded))
    return obj(c, bodies)


def wrapped_set(c):
    r = c.r
    return obj(c, ["[A[i] -> B[a]] : %s" % " and ".join(conj(c, ["i", "a"])),
                   "[A[i] -> B[a]] : %s" % " and ".join(conj(c, ["i", "a"]))][:r.choice([1, 2])])


def rel_on_wrapped(c):
    r = c.r
    conds = conj(c, ["i", "a"]) + ["o = %s" % lin([(r.randint(-2, 2), "i"), (r.randint(-2, 2), "a")], r.randint(-3, 3))]
    return "%s{ [A[i] -> B[a]] -> C[o] : %s }" % (c.pre(), " and ".join(conds))


def special(c, d):
    r = c.r
    t = tuple_text(r.choice(["S", ""]), VARS[:d])
    return r.choice([
        "%s{ %s }" % (c.pre(), t), "%s{ %s : false }" % (c.pre(), t), "%s{ }" % c.pre(),
        "%s{ %s : %s }" % (c.pre(), t, " and ".join("%s = %d" % (v, r.randint(-3, 3)) for v in VARS[:d]) or "true"),
    ])


def gen_fuzz(r, rounds):
    lines = []

    def add(op, *args):
        for a in args:
            assert "\t" not in a and "\n" not in a, a
        lines.append("\t".join((op,) + args))

    for it in range(rounds):
        params = r.choice([None, None, ["N"], ["N", "M"]])
        c = Ctx(r, params)
        d = r.choice([1, 2, 2, 3])
        multi = r.random() < 0.35
        A = rand_set(c, multi, d if not multi else None)
        B = rand_set(c, multi, d if not multi else None)
        if not multi and r.random() < 0.5:
            # B in the space of A
            B = A.replace(" }", "").replace("{ ", "{ ", 1) if False else rand_set(c, False, d, "S")
            A = rand_set(c, False, d, "S")
        if r.random() < 0.15:
            B = special(c, d) if not multi else B
        for op in ("is_empty",):
            add(op, A)
        for op in ("is_subset", "is_strict_subset", "is_equal", "is_disjoint", "intersect", "union", "subtract", "gist"):
            add(op, A, B)
        add("is_subset", A, "%s{ %s }" % (c.pre(), A[A.index("{") + 2:-2] + "; " + B[B.index("{") + 2:-2]) if A.strip()[-3:] != "{ }" and B.strip()[-3:] != "{ }" else B)
        add("coalesce", A)
        add("params", A)
        add("is_bounded", A)
        add("identity", A)
        if not multi:
            add("complement", A)
            add("box", A if not params else rand_set(Ctx(r, None), False, d, "S"))
            dd = A.count(",", A.index("{"), A.index("]")) + 1 if "[]" not in A[A.index("{"):] else 0
            if dd >= 1:
                add("project_out", A, "set %d %d" % (r.randint(0, dd - 1), 1))
            if params:
                add("project_out", A, "param 0 1")
        if params:
            add("intersect_params", A, "%s{ : %s }" % (c.pre(), r.choice(["N >= %d" % r.randint(-2, 5), "N mod 2 = 0 and N > 0", "0 <= N <= %d" % r.randint(0, 9)] + (["M >= N"] if "M" in params else []))))
        else:
            add("intersect_params", "[N] -> %s" % A, "[N] -> { : N >= %d and N mod %d = 0 }" % (r.randint(-2, 5), r.randint(2, 3)))
        # parameter-free optimization ops
        P = rand_set(Ctx(r, None), False, d, "S")
        add("lexmin", P)
        add("lexmax", P)
        add("sample", P)
        add("card", P)
        add("min", P, "{ S[%s] -> [(%s)] }" % (", ".join(VARS[:d]), lin([(r.randint(-4, 4), v) for v in VARS[:d]], r.randint(-2, 2))))
        add("max", P, "{ S[%s] -> [(%s)] }" % (", ".join(VARS[:d]), lin([(r.randint(-4, 4), v) for v in VARS[:d]], r.randint(-2, 2))))
        if params:
            add("lexmin", A)
            add("lexmax", A)
        # relations
        di, do = r.choice([1, 2, 2, 3]), r.choice([0, 1, 2, 2])
        R1 = rand_rel(c, "A", "B", di, do, bounded=r.random() < 0.8, multi=r.random() < 0.2)
        R2 = rand_rel(c, "B", "C", do, r.choice([1, 2]))
        R3 = rand_rel(c, "A", "D", di, r.choice([0, 1, 2]))
        Rs = rand_rel(c, "A", "A", di, di)
        Sa = rand_set(c, False, di, "A")
        Sb = rand_set(c, False, do, "B")
        add("apply", Sa, R1)
        add("apply_range", R1, R2)
        add("apply_domain", R1, R3)
        for op in ("reverse", "domain", "range", "wrap", "is_single_valued", "is_injective", "is_bijective", "is_empty", "coalesce", "params"):
            add(op, R1)
        add("deltas", Rs)
        add("intersect_domain", R1, Sa)
        add("intersect_range", R1, Sb)
        add("gist", R1, rand_rel(c, "A", "B", di, do))
        add("is_subset", R1, rand_rel(c, "A", "B", di, do))
        add("is_equal", R1, rand_rel(c, "A", "B", di, do))
        add("subtract", R1, rand_rel(c, "A", "B", di, do))
        add("union", R1, R2)
        if ";" not in R1:
            add("complement", R1)
            add("project_out", R1, "%s 0 1" % r.choice(["in", "out"]) if do > 0 else "in 0 1")
        W = wrapped_set(c)
        add("coalesce", W)
        add("is_subset", W, "%s{ [A[i] -> B[a]] : %s }" % (c.pre(), " and ".join(conj(c, ["i", "a"]))))
        add("apply", W, rel_on_wrapped(c))
        add("domain", rel_on_wrapped(c))
        add("reverse", rel_on_wrapped(c))
        if not params:
            add("lexmin", R1)
            add("lexmax", R1)
            add("card", R1)
            add("sample", R1)
            add("lex_lt", rand_rel(c, "A", "T", di, 2), rand_rel(c, "B", "T", do or 1, 2))
            add("card", W)
            add("sample", W)
        # zero-dimensional and special objects
        Z = "%s{ : %s }" % (c.pre(), r.choice(["", "true", "false"] + (["N > %d" % r.randint(-2, 3), "N mod 3 = 1", "0 <= N <= 5 or N >= 10"] if params else [])))
        add(r.choice(["is_empty", "coalesce", "params", "complement"]), Z)
        add(r.choice(["intersect", "union", "subtract", "is_subset", "is_equal", "gist"]), Z, "%s{ : %s }" % (c.pre(), "N >= 0" if params else r.choice(["true", "false"])))
        add(r.choice(["is_empty", "coalesce", "card", "sample", "lexmin"]), "{ %s[] : %s }" % (r.choice(["S", ""]), r.choice(["true", "false", "1 = 1", "1 = 2"])))
        S0 = special(c, d)
        add(r.choice(["is_empty", "coalesce", "complement", "is_bounded", "identity"]), S0)
        add(r.choice(["intersect", "union", "subtract", "is_subset", "is_equal", "is_disjoint"]), S0, rand_set(c, False, d, "S"))
        # surface syntax
        for op, args in syntax_problems(Ctx(r, None)):
            add(op, *args)
        add("coalesce", variant(r, rand_set(c, False, d, "S")))
        add("is_equal", variant(r, A), A)
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=60)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    r = random.Random("%d/fuzz" % args.seed)
    lines = gen_fuzz(r, args.rounds)
    path = os.path.join(args.out, "fuzz.problems.tsv")
    with open(path, "w") as f:
        f.write("# family fuzz, generated by gen_fuzz.py --seed %d --rounds %d\n" % (args.seed, args.rounds))
        for line in lines:
            f.write(line + "\n")
    print("%-12s %6d problems -> %s" % ("fuzz", len(lines), path))


if __name__ == "__main__":
    main()
