#!/usr/bin/env python3
"""Seeded generator of Presburger problems shaped like what a deep-learning compiler asks.

Writes one problem file per family into an output directory. Every line is
``OP<TAB>ARG1[<TAB>ARG2...]`` in isl text syntax (the input format of the isl oracle);
lines starting with ``#`` are comments. A comment ``# card-by-factors: K`` announces that
the next K lines are ``card`` problems of independent factors and the line after them is a
``card`` problem whose set is the Cartesian product of those factors (see make_golden.py).

Usage: gen_problems.py --seed 20261129 --out DIR

The same seed always gives the same files, byte for byte.
"""

import argparse
import os
import random

# ---------------------------------------------------------------------------------------------
# text helpers


def lin(terms, const=0):
    """Render sum(coef*var) + const in isl syntax; terms is a list of (coef, var)."""
    parts = []
    for c, v in terms:
        if c == 0:
            continue
        if not parts:
            if c == 1:
                parts.append(v)
            elif c == -1:
                parts.append("-" + v)
            else:
                parts.append("%d%s" % (c, v) if v[0].isalpha() else "%d*%s" % (c, v))
        else:
            sign = "+" if c > 0 else "-"
            a = abs(c)
            body = v if a == 1 else ("%d%s" % (a, v) if v[0].isalpha() else "%d*%s" % (a, v))
            parts.append("%s %s" % (sign, body))
    if const or not parts:
        if not parts:
            parts.append(str(const))
        else:
            parts.append(("+ %d" % const) if const > 0 else ("- %d" % -const))
    return " ".join(parts)


def tup(name, vars_):
    return "%s[%s]" % (name, ", ".join(vars_))


def setx(tuple_text, conds, params=None):
    body = tuple_text if not conds else "%s : %s" % (tuple_text, " and ".join(conds))
    pre = "[%s] -> " % ", ".join(params) if params else ""
    return "%s{ %s }" % (pre, body)


def union_text(pieces, params=None):
    """pieces: list of 'TUPLE : conds' bodies -> one isl object with ';'."""
    pre = "[%s] -> " % ", ".join(params) if params else ""
    return "%s{ %s }" % (pre, "; ".join(pieces))


def body(tuple_text, conds):
    return tuple_text if not conds else "%s : %s" % (tuple_text, " and ".join(conds))


def rng_between(v, lo, hi):
    return "%s <= %s < %s" % (lo, v, hi)


class Out:
    """Collects the problems of one family."""

    def __init__(self, name):
        self.name = name
        self.lines = []

    def comment(self, text):
        self.lines.append("# " + text)

    def add(self, op, *args):
        for a in args:
            assert "\t" not in a and "\n" not in a, a
        self.lines.append("\t".join((op,) + tuple(args)))

    def card_by_factors(self, factors, product):
        self.lines.append("# card-by-factors: %d" % len(factors))
        for f in factors:
            self.add("card", f)
        self.add("card", product)


# ---------------------------------------------------------------------------------------------
# convolutions


def conv_case(o, r, big=False):
    H = r.randint(4, 14)
    W = r.randint(4, 14)
    R = r.choice([1, 2, 3, 3, 5])
    S = r.choice([1, 2, 3, 3])
    sh, sw = r.choice([1, 1, 2, 2, 3]), r.choice([1, 2, 2, 3])
    dh, dw = r.choice([1, 1, 2]), r.choice([1, 1, 2, 3])
    ph, pw = r.randint(0, 2), r.randint(0, 2)
    OH = (H + 2 * ph - dh * (R - 1) - 1) // sh + 1
    OW = (W + 2 * pw - dw * (S - 1) - 1) // sw + 1
    if OH < 1 or OW < 1:
        return
    o.comment("conv H=%d W=%d R=%d S=%d stride=(%d,%d) dilation=(%d,%d) pad=(%d,%d) -> OH=%d OW=%d"
              % (H, W, R, S, sh, sw, dh, dw, ph, pw, OH, OW))
    hx = lin([(sh, "oh"), (dh, "r")], -ph)
    wx = lin([(sw, "ow"), (dw, "s")], -pw)
    dom_c = [rng_between("oh", 0, OH), rng_between("ow", 0, OW), rng_between("r", 0, R),
             rng_between("s", 0, S)]
    inb = ["0 <= %s < %d" % (hx, H), "0 <= %s < %d" % (wx, W)]
    dom = setx(tup("S", ["oh", "ow", "r", "s"]), dom_c)
    acc = setx("%s -> %s" % (tup("S", ["oh", "ow", "r", "s"]), tup("In", [hx, wx])), dom_c + inb)
    acc_nopad = setx("%s -> %s" % (tup("S", ["oh", "ow", "r", "s"]), tup("In", [hx, wx])), dom_c)
    ex = "exists (r, s : h = %s and w = %s and 0 <= r < %d and 0 <= s < %d)" % (hx, wx, R, S)
    o2i_c = [ex, rng_between("oh", 0, OH), rng_between("ow", 0, OW), rng_between("h", 0, H),
             rng_between("w", 0, W)]
    o2i = setx("Out[oh, ow] -> In[h, w]", o2i_c)
    o2i_anon = setx("[oh, ow] -> [h, w]", o2i_c)
    fex = "exists (oh, ow, r, s : h = %s and w = %s and %s and %s and %s and %s)" % (
        hx, wx, rng_between("oh", 0, OH), rng_between("ow", 0, OW), rng_between("r", 0, R),
        rng_between("s", 0, S))
    foot = setx("In[h, w]", [fex, rng_between("h", 0, H), rng_between("w", 0, W)])
    foot_pad = setx("In[h, w]", [fex, "(h < 0 or h >= %d or w < 0 or w >= %d)" % (H, W)])
    inbox = setx("In[h, w]", [rng_between("h", 0, H), rng_between("w", 0, W)])
    # two neighbouring output tiles and their input footprints (halo = intersection)
    T = r.randint(1, max(1, OH // 2))
    t0 = setx("Out[oh, ow]", [rng_between("oh", 0, T), rng_between("ow", 0, OW)])
    t1 = setx("Out[oh, ow]", [rng_between("oh", T, min(OH, 2 * T)), rng_between("ow", 0, OW)])

    def tile_foot(lo, hi):
        e = "exists (oh, ow, r, s : h = %s and w = %s and %s and %s and %s and %s)" % (
            hx, wx, rng_between("oh", lo, hi), rng_between("ow", 0, OW), rng_between("r", 0, R),
            rng_between("s", 0, S))
        return setx("In[h, w]", [e, rng_between("h", 0, H), rng_between("w", 0, W)])

    f0, f1 = tile_foot(0, T), tile_foot(T, min(OH, 2 * T))
    flat = setx("In[h, w] -> D[%s]" % lin([(W, "h"), (1, "w")]), [])
    sched = setx("S[oh, ow, r, s] -> [oh, ow, r, s]", [])
    o.add("apply", dom, acc)
    o.add("range", acc)
    o.add("domain", acc)
    o.add("reverse", acc)
    o.add("card", foot)
    o.add("card", acc)
    o.add("is_subset", foot, inbox)
    o.add("is_equal", foot, inbox)
    o.add("is_empty", foot_pad)
    o.add("card", setx("In[h, w]", [fex]))
    o.add("is_single_valued", acc)
    o.add("is_single_valued", o2i)
    o.add("is_injective", acc)
    o.add("is_injective", o2i)
    o.add("is_bijective", o2i)
    o.add("intersect", f0, f1)
    o.add("is_disjoint", f0, f1)
    o.add("union", f0, f1)
    o.add("subtract", inbox, foot)
    o.add("subtract", f1, f0)
    o.add("intersect_domain", o2i, t1)
    o.add("intersect_range", o2i, setx("In[h, w]", [rng_between("h", 0, max(1, H // 2)), "w >= %d" % (W // 2)]))
    o.add("apply_range", o2i, flat)
    o.add("apply_domain", o2i, setx("Out[oh, ow] -> Tile[floor(oh/%d), ow]" % max(1, T), []))
    o.add("lexmin", o2i)
    o.add("lexmax", o2i)
    o.add("lexmin", foot)
    o.add("lexmax", foot)
    o.add("min", foot, "{ In[h, w] -> [(%s)] }" % lin([(1, "h"), (-2, "w")]))
    o.add("max", foot, "{ In[h, w] -> [(%s)] }" % lin([(W, "h"), (1, "w")]))
    o.add("project_out", acc_nopad, "in 2 2")
    o.add("deltas", o2i_anon)
    o.add("coalesce", union_text([body("In[h, w]", [f[f.index(":") + 2:-2]]) for f in (f0, f1)]))
    o.add("sample", foot)
    o.add("is_bounded", foot)
    o.add("identity", t0)
    o.add("lex_lt", sched, setx("S[oh, ow, r, s] -> [ow, oh, s, r]", []))
    o.add("apply", t1, o2i)


def conv_full(o, r):
    """Batched multi-channel conv: S[n, k, oh, ow, c, r, s] with small sizes."""
    N, K, C = r.randint(1, 2), r.randint(1, 3), r.randint(1, 3)
    H, W = r.randint(3, 8), r.randint(3, 8)
    R, S = r.choice([1, 2, 3]), r.choice([1, 2, 3])
    st, dl, pd = r.choice([1, 2]), r.choice([1, 2]), r.randint(0, 1)
    OH = (H + 2 * pd - dl * (R - 1) - 1) // st + 1
    OW = (W + 2 * pd - dl * (S - 1) - 1) // st + 1
    if OH < 1 or OW < 1:
        return
    o.comment("conv NKCHW=%d,%d,%d,%d,%d RS=%d,%d stride=%d dilation=%d pad=%d" % (N, K, C, H, W, R, S, st, dl, pd))
    v = ["n", "k", "oh", "ow", "c", "r", "s"]
    hx, wx = lin([(st, "oh"), (dl, "r")], -pd), lin([(st, "ow"), (dl, "s")], -pd)
    dc = [rng_between("n", 0, N), rng_between("k", 0, K), rng_between("oh", 0, OH), rng_between("ow", 0, OW),
          rng_between("c", 0, C), rng_between("r", 0, R), rng_between("s", 0, S)]
    inb = ["0 <= %s < %d" % (hx, H), "0 <= %s < %d" % (wx, W)]
    dom = setx(tup("S", v), dc)
    rd = setx("%s -> In[n, c, %s, %s]" % (tup("S", v), hx, wx), dc + inb)
    wt = setx("%s -> Wt[k, c, r, s]" % tup("S", v), dc)
    wr = setx("%s -> Y[n, k, oh, ow]" % tup("S", v), dc)
    o.add("apply", dom, rd)
    o.add("card", rd)
    o.add("range", wt)
    o.add("is_single_valued", rd)
    o.add("is_injective", wr)
    o.add("domain", rd)
    # reduction: the read of Y in the same instance is not a dependence; restrict to c + r + s > 0
    rdY = setx("%s -> Y[n, k, oh, ow]" % tup("S", v), dc + ["c + r + s > 0"])
    sched = setx("%s -> [n, k, oh, ow, c, r, s]" % tup("S", v), [])
    o.add("deps", sched, wr, rdY)
    o.add("deps_nosrc", sched, wr, setx("%s -> Y[n, k, oh, ow]" % tup("S", v), dc))


def conv_large(o, r, big=True):
    """Input footprint of a conv as a product of independent factors (card up to ~10^9).

    The small variant (big=False) is also counted by isl directly, to cross-check the method."""
    N = r.choice([1, 2, 4, 8] if big else [1, 2])
    C = r.choice([64, 128, 256, 512] if big else [1, 2, 3])
    H = r.choice([112, 224, 256, 384, 512] if big else [9, 12, 17])
    W = r.choice([112, 224, 256, 384, 512] if big else [9, 12, 17])
    R, st, dl, pd = r.choice([1, 3, 5, 7]), r.choice([1, 2, 3, 4]), r.choice([1, 2]), r.choice([0, 1, 2, 3])
    conv_footprint_card(o, N, C, H, W, R, st, dl, pd)


def conv_footprint_card(o, N, C, H, W, R, st, dl, pd):
    OH = (H + 2 * pd - dl * (R - 1) - 1) // st + 1
    OW = (W + 2 * pd - dl * (R - 1) - 1) // st + 1
    hx, wx = lin([(st, "oh"), (dl, "r")], -pd), lin([(st, "ow"), (dl, "s")], -pd)
    fh = "exists (oh, r : h = %s and 0 <= oh < %d and 0 <= r < %d)" % (hx, OH, R)
    fw = "exists (ow, s : w = %s and 0 <= ow < %d and 0 <= s < %d)" % (wx, OW, R)
    o.comment("large conv input footprint N=%d C=%d H=%d W=%d R=S=%d stride=%d dilation=%d pad=%d"
              % (N, C, H, W, R, st, dl, pd))
    factors = [setx("Fn[n]", [rng_between("n", 0, N)]), setx("Fc[c]", [rng_between("c", 0, C)]),
               setx("Fh[h]", [fh, rng_between("h", 0, H)]), setx("Fw[w]", [fw, rng_between("w", 0, W)])]
    prod = setx("In[n, c, h, w]", [rng_between("n", 0, N), rng_between("c", 0, C), fh, fw,
                                   rng_between("h", 0, H), rng_between("w", 0, W)])
    o.card_by_factors(factors, prod)


def gen_conv(r):
    o = Out("conv")
    for _ in range(25):
        conv_case(o, r)
    for _ in range(15):
        conv_full(o, r)
    for _ in range(10):
        conv_large(o, r)
    for _ in range(5):
        conv_large(o, r, big=False)
    # the largest footprints: about 10^9 points
    conv_footprint_card(o, 8, 512, 512, 512, 3, 1, 1, 1)
    conv_footprint_card(o, 4, 512, 512, 512, 7, 2, 2, 3)
    return o


# ---------------------------------------------------------------------------------------------
# pooling


def gen_pool(r):
    o = Out("pool")
    for _ in range(25):
        H = r.randint(4, 16)
        k, s = r.choice([2, 3, 3, 4]), r.choice([1, 2, 2, 3, 4])
        pad = r.choice([0, 0, 1])
        OH = (H + 2 * pad - k) // s + 1
        if OH < 1:
            continue
        o.comment("pool H=%d window=%d stride=%d pad=%d OH=%d" % (H, k, s, pad, OH))
        win = setx("O[oh] -> I[h]", ["%s <= h < %s" % (lin([(s, "oh")], -pad), lin([(s, "oh")], k - pad)),
                                     rng_between("oh", 0, OH), rng_between("h", 0, H)])
        win2 = setx("O[oh, ow] -> I[h, w]", [
            "%s <= h < %s" % (lin([(s, "oh")], -pad), lin([(s, "oh")], k - pad)),
            "%s <= w < %s" % (lin([(s, "ow")], -pad), lin([(s, "ow")], k - pad)),
            rng_between("oh", 0, OH), rng_between("ow", 0, OH), rng_between("h", 0, H), rng_between("w", 0, H)])
        a = r.randint(0, OH - 1)
        o.add("is_injective", win)
        o.add("is_single_valued", win)
        o.add("range", win2)
        o.add("card", win2)
        o.add("apply", setx("O[oh]", ["oh = %d" % a]), win)
        o.add("is_disjoint", setx("I[h]", ["%d <= h < %d" % (s * a - pad, s * a + k - pad), rng_between("h", 0, H)]),
              setx("I[h]", ["%d <= h < %d" % (s * (a + 1) - pad, s * (a + 1) + k - pad), rng_between("h", 0, H)]))
        o.add("reverse", win)
        o.add("apply_range", win, setx("I[h] -> Row[floor(h/%d)]" % r.choice([2, 4, 8]), []))
        o.add("lexmin", win)
        o.add("lexmax", win2)
        o.add("subtract", setx("I[h]", [rng_between("h", 0, H)]), setx("I[h]", ["exists (oh, t : h = %s + t and 0 <= oh < %d and 0 <= t < %d)" % (lin([(s, "oh")], -pad), OH, k)]))
        o.add("deltas", setx("[oh] -> [h]", ["%s <= h < %s" % (lin([(s, "oh")], -pad), lin([(s, "oh")], k - pad)),
                                           rng_between("oh", 0, OH)]))
        o.add("is_bijective", setx("O[oh] -> I[h]", ["h = %s" % lin([(s, "oh")]), rng_between("oh", 0, OH)]))
    return o


# ---------------------------------------------------------------------------------------------
# matmul tiling


def gen_matmul(r):
    o = Out("matmul")
    for _ in range(30):
        M, N, K = r.randint(3, 40), r.randint(3, 40), r.randint(2, 24)
        Ti, Tj, Tk = r.choice([2, 4, 8, 16]), r.choice([2, 4, 8, 16]), r.choice([2, 4, 8])
        o.comment("matmul M=%d N=%d K=%d tiles=%d,%d,%d" % (M, N, K, Ti, Tj, Tk))
        dc = [rng_between("i", 0, M), rng_between("j", 0, N), rng_between("k", 0, K)]
        dom = setx("S[i, j, k]", dc)
        tile = setx("S[i, j, k] -> T[floor(i/%d), floor(j/%d), floor(k/%d), i mod %d, j mod %d, k mod %d]"
                    % (Ti, Tj, Tk, Ti, Tj, Tk), dc)
        tile_nodom = setx("S[i, j, k] -> T[floor(i/%d), floor(j/%d), floor(k/%d), i mod %d, j mod %d, k mod %d]"
                          % (Ti, Tj, Tk, Ti, Tj, Tk), [])
        ti, tj = r.randint(0, (M - 1) // Ti), r.randint(0, (N - 1) // Tj)
        tset = setx("S[i, j, k]", dc + ["floor(i/%d) = %d" % (Ti, ti), "floor(j/%d) = %d" % (Tj, tj)])
        accA = setx("S[i, j, k] -> A[i, k]", dc)
        accB = setx("S[i, j, k] -> B[k, j]", dc)
        accC = setx("S[i, j, k] -> C[i, j]", dc)
        o.add("apply", dom, tile)
        o.add("is_injective", tile)
        o.add("is_single_valued", tile)
        o.add("is_bijective", tile_nodom)
        o.add("reverse", tile)
        o.add("card", tset)
        o.add("apply", tset, accA)
        o.add("apply", tset, accB)
        o.add("card", setx("A[i, k]", ["exists (j : %s and %s)" % (rng_between("j", 0, N), " and ".join(dc[:1] + dc[2:] + ["floor(i/%d) = %d" % (Ti, ti)]))]))
        o.add("intersect_domain", accC, tset)
        o.add("lexmin", tset)
        o.add("lexmax", tset)
        o.add("is_equal", setx("S[i, j, k]", dc + ["floor(i/%d) = %d" % (Ti, ti)]),
              setx("S[i, j, k]", dc + ["%d <= i < %d" % (Ti * ti, Ti * ti + Ti)]))
        o.add("apply_range", tile, setx("T[a, b, c, x, y, z] -> F[%d*a + x]" % Ti, []))
        o.add("range", setx("S[i, j, k] -> T[floor(i/%d), floor(j/%d)]" % (Ti, Tj), dc))
        o.add("deltas", setx("S[i, j, k] -> S[i, j, k + 1]", dc + ["k < %d" % (K - 1)]))
        sched = setx("S[i, j, k] -> [floor(i/%d), floor(j/%d), floor(k/%d), i, j, k]" % (Ti, Tj, Tk), [])
        rdC = setx("S[i, j, k] -> C[i, j]", dc + ["k > 0"])
        o.add("deps", sched, accC, rdC)
        o.add("deps_nosrc", sched, accC, setx("S[i, j, k] -> C[i, j]", dc))
        o.add("lex_lt", setx("S[i, j, k] -> [i, j, k]", dc), sched)
        o.add("max", tset, "{ S[i, j, k] -> [(%s)] }" % lin([(K, "i"), (1, "k")]))
        o.add("min", dom, "{ S[i, j, k] -> [(%s)] }" % lin([(1, "i"), (-1, "j"), (2, "k")]))
        o.add("sample", tset)
        o.add("project_out", tile, "out 3 3")
        o.add("is_subset", tset, dom)
        o.add("subtract", dom, tset)
    return o


# ---------------------------------------------------------------------------------------------
# reshape, transpose, slices


def gen_reshape(r):
    o = Out("reshape")
    for _ in range(30):
        A, B, Cc = r.randint(2, 6), r.randint(2, 6), r.randint(2, 6)
        n = A * B * Cc
        # a second factorisation of n into (P, Q)
        divs = [d for d in range(2, n) if n % d == 0]
        P = r.choice(divs) if divs else 1
        Q = n // P
        o.comment("reshape [%d,%d,%d] -> [%d] -> [%d,%d]" % (A, B, Cc, n, P, Q))
        dc = [rng_between("i", 0, A), rng_between("j", 0, B), rng_between("k", 0, Cc)]
        linz = setx("X[i, j, k] -> F[%s]" % lin([(B * Cc, "i"), (Cc, "j"), (1, "k")]), dc)
        delin = setx("F[f] -> Y[floor(f/%d), f mod %d]" % (Q, Q), [rng_between("f", 0, n)])
        delin3 = setx("F[f] -> X[floor(f/%d), floor(f/%d) mod %d, f mod %d]" % (B * Cc, Cc, B, Cc), [rng_between("f", 0, n)])
        tr = setx("X[i, j, k] -> Z[k, i, j]", dc)
        xbox = setx("X[i, j, k]", dc)
        o.add("apply_range", linz, delin)
        o.add("is_bijective", linz)
        o.add("is_bijective", delin)
        o.add("apply_range", linz, delin3)
        o.add("is_equal", setx("X[i, j, k] -> X[i, j, k]", dc), setx("X[i, j, k] -> X[a, b, c]", dc + ["exists (f : f = %s and a = floor(f/%d) and b = floor(f/%d) mod %d and c = f mod %d)" % (lin([(B * Cc, "i"), (Cc, "j"), (1, "k")]), B * Cc, Cc, B, Cc)]))
        o.add("apply", xbox, tr)
        o.add("reverse", tr)
        o.add("is_injective", setx("F[f] -> Y[floor(f/%d)]" % Q, [rng_between("f", 0, n)]))
        # strided slice X[lo:hi:step] of dim 0 of a 1-d view
        lo, step = r.randint(0, 3), r.choice([2, 3, 4])
        hi = r.randint(lo + 1, n)
        cnt = (hi - lo + step - 1) // step
        sl = setx("F[f] -> Sl[t]", ["f = %s" % lin([(step, "t")], lo), rng_between("t", 0, cnt)])
        o.add("range", sl)
        o.add("domain", sl)
        o.add("is_equal", setx("F[f]", ["exists (t : f = %s and %s)" % (lin([(step, "t")], lo), rng_between("t", 0, cnt))]),
              setx("F[f]", ["(f - %d) mod %d = 0" % (lo, step), "%d <= f < %d" % (lo, lo + step * cnt)]))
        o.add("is_subset", setx("F[f]", ["exists (t : f = %s and %s)" % (lin([(step, "t")], lo), rng_between("t", 0, cnt))]),
              setx("F[f]", ["f mod %d = %d" % (step, lo % step)]))
        o.add("apply", setx("F[f]", ["exists (t : f = %s and %s)" % (lin([(step, "t")], lo), rng_between("t", 0, cnt))]), delin)
        o.add("card", setx("Y[a, b]", ["exists (f, t : a = floor(f/%d) and b = f mod %d and f = %s and %s)" % (Q, Q, lin([(step, "t")], lo), rng_between("t", 0, cnt))]))
        o.add("apply_domain", delin, linz)
        o.add("intersect_range", linz, setx("F[f]", ["f mod %d = 0" % step]))
        o.add("is_single_valued", setx("Y[a, b] -> F[f]", ["f = %s" % lin([(Q, "a"), (1, "b")]), rng_between("a", 0, P), rng_between("b", 0, Q)]))
        o.add("identity", setx("F[f]", ["f mod %d = %d" % (step, lo % step), rng_between("f", 0, n)]))
        o.add("lexmax", setx("Y[a, b]", ["exists (f : a = floor(f/%d) and b = f mod %d and f mod %d = %d and %s)" % (Q, Q, step, lo % step, rng_between("f", 0, n))]))
        o.add("coalesce", setx("F[f]", ["(f mod %d = 0 or f mod %d = 1)" % (step + 1, step + 1), rng_between("f", 0, n)]))
    return o


# ---------------------------------------------------------------------------------------------
# concat and pad: writes that kill earlier writes


def gen_concat(r):
    o = Out("concat")
    dops = ["deps", "deps_may", "deps_full", "deps_full_may", "deps_nosrc", "deps_may_nosrc"]
    for _ in range(15):
        H, W, p = r.randint(2, 8), r.randint(2, 8), r.randint(1, 2)
        o.comment("pad H=%d W=%d pad=%d: fill, copy interior, read" % (H, W, p))
        HP, WP = H + 2 * p, W + 2 * p
        fill = setx("F[i, j] -> P[i, j]", [rng_between("i", 0, HP), rng_between("j", 0, WP)])
        copy = setx("C[i, j] -> P[%s, %s]" % (lin([(1, "i")], p), lin([(1, "j")], p)), [rng_between("i", 0, H), rng_between("j", 0, W)])
        rd = setx("R[i, j] -> P[i, j]", [rng_between("i", 0, HP), rng_between("j", 0, WP)])
        srd = setx("C[i, j] -> X[i, j]", [rng_between("i", 0, H), rng_between("j", 0, W)])
        sched = "{ F[i, j] -> [0, i, j]; C[i, j] -> [1, i, j]; R[i, j] -> [2, i, j] }"
        wr = "{ %s; %s }" % (fill[2:-2], copy[2:-2])
        rds = "{ %s; %s }" % (rd[2:-2], srd[2:-2])
        for op in dops:
            o.add(op, sched, wr, rds)
        # the copy as a may-write (e.g. a predicated copy)
        o.add("deps_may", sched, setx("F[i, j] -> P[i, j]", [rng_between("i", 0, HP), rng_between("j", 0, WP)]), rd, copy)
        o.add("deps_may_nosrc", sched, fill, rd, copy)
        border = setx("P[i, j]", [rng_between("i", 0, HP), rng_between("j", 0, WP), "(i < %d or i >= %d or j < %d or j >= %d)" % (p, H + p, p, W + p)])
        full = setx("P[i, j]", [rng_between("i", 0, HP), rng_between("j", 0, WP)])
        o.add("subtract", full, setx("P[i, j]", ["%d <= i < %d" % (p, H + p), "%d <= j < %d" % (p, W + p)]))
        o.add("is_equal", union_text([body("P[i, j]", [border[border.index(":") + 2:-2]]), body("P[i, j]", ["%d <= i < %d" % (p, H + p), "%d <= j < %d" % (p, W + p)])]), full)
        o.add("range", copy)
    for _ in range(15):
        n = r.randint(2, 4)
        H = r.randint(1, 5)
        widths = [r.randint(1, 6) for _ in range(n)]
        o.comment("concat of %d tensors along dim 1, widths %s" % (n, widths))
        off = 0
        pieces, scheds, reads = [], [], []
        for t, wdt in enumerate(widths):
            pieces.append("S%d[i, j] -> Cat[i, %s] : %s and %s" % (t, lin([(1, "j")], off), rng_between("i", 0, H), rng_between("j", 0, wdt)))
            scheds.append("S%d[i, j] -> [%d, i, j]" % (t, t))
            off += wdt
        total = off
        scheds.append("R[i, j] -> [%d, i, j]" % n)
        sched = "{ %s }" % "; ".join(scheds)
        wr = "{ %s }" % "; ".join(pieces)
        # a second concat overwriting a window [a, b) of the first (a later must-write kills)
        a = r.randint(0, total - 1)
        b = r.randint(a + 1, total)
        over = "U[i, j] -> Cat[i, j] : %s and %d <= j < %d" % (rng_between("i", 0, H), a, b)
        sched2 = "{ %s; U[i, j] -> [%d, i, j]; R[i, j] -> [%d, i, j] }" % ("; ".join(scheds[:-1]), n, n + 1)
        wr2 = "{ %s; %s }" % ("; ".join(pieces), over)
        rd = setx("R[i, j] -> Cat[i, j]", [rng_between("i", 0, H), rng_between("j", 0, total + r.randint(0, 2))])
        for op in dops:
            o.add(op, sched, wr, rd)
            o.add(op, sched2, wr2, rd)
        o.add("union", *[ "{ %s }" % p for p in pieces[:2]])
        o.add("range", wr)
        o.add("is_disjoint", setx("Cat[i, j]", [rng_between("i", 0, H), rng_between("j", 0, widths[0])]),
              setx("Cat[i, j]", [rng_between("i", 0, H), rng_between("j", widths[0] - r.randint(0, 1), total)]))
        o.add("is_injective", wr)
        o.add("coalesce", setx("Cat[i, j]", ["(" + " or ".join("%d <= j < %d" % (sum(widths[:t]), sum(widths[:t + 1])) for t in range(n)) + ")", rng_between("i", 0, H)]))
    return o


# ---------------------------------------------------------------------------------------------
# dataflow: tiled compute -> store to DRAM -> load back -> consume, fused and unfused


def gen_dataflow(r):
    o = Out("dataflow")
    dops = ["deps", "deps_may", "deps_full", "deps_full_may", "deps_nosrc", "deps_may_nosrc"]
    for case in range(28):
        T = r.choice([2, 4, 8])
        nt = r.randint(1, 4)
        n = T * nt - r.randint(0, T - 1)  # partial last tile
        fused = case % 2 == 0
        reuse = r.random() < 0.5  # the scratchpad buffer is reused by every tile
        o.comment("chain n=%d tile=%d %s %s" % (n, T, "fused" if fused else "unfused", "reused buffer" if reuse else "buffer per tile"))
        dom = "%s and %s and %s" % (rng_between("t", 0, nt), rng_between("x", 0, T), rng_between("%d*t + x" % T, 0, n))
        sb = "Sb[x]" if reuse else "Sb[t, x]"
        comp_w = "Cp[t, x] -> %s : %s" % (sb, dom)
        comp_r = "Cp[t, x] -> In[%d*t + x] : %s" % (T, dom)
        st_r = "St[t, x] -> %s : %s" % (sb, dom)
        st_w = "St[t, x] -> Dram[%d*t + x] : %s" % (T, dom)
        ld_r = "Ld[t, x] -> Dram[%d*t + x] : %s" % (T, dom)
        sb2 = "Sb2[x]" if reuse else "Sb2[t, x]"
        ld_w = "Ld[t, x] -> %s : %s" % (sb2, dom)
        us_r = "Us[t, x] -> %s : %s" % (sb2, dom)
        if fused:
            sched = "{ Cp[t, x] -> [t, 0, x]; St[t, x] -> [t, 1, x]; Ld[t, x] -> [t, 2, x]; Us[t, x] -> [t, 3, x] }"
        else:
            sched = "{ Cp[t, x] -> [0, t, x]; St[t, x] -> [1, t, x]; Ld[t, x] -> [2, t, x]; Us[t, x] -> [3, t, x] }"
        wr = "{ %s; %s; %s }" % (comp_w, st_w, ld_w)
        rd = "{ %s; %s; %s; %s }" % (comp_r, st_r, ld_r, us_r)
        for op in dops:
            o.add(op, sched, wr, rd)
        # the load as a may-read source (e.g. a DMA whose completion is not tracked)
        o.add("deps_may", sched, "{ %s; %s }" % (comp_w, st_w), rd, "{ %s }" % ld_w)
        o.add("deps_full_may", sched, "{ %s; %s }" % (comp_w, st_w), rd, "{ %s }" % ld_w)
        o.add("deps_may_nosrc", sched, "{ %s; %s }" % (comp_w, st_w), rd, "{ %s }" % ld_w)
        o.add("lex_lt", sched, sched)
        o.add("apply_range", "{ %s }" % comp_w, "{ %s }" % ("Sb[x] -> Dram[x]" if reuse else "Sb[t, x] -> Dram[%d*t + x]" % T))
        o.add("intersect_domain", rd, "{ St[t, x] : t = 0; Us[t, x] : t = %d }" % (nt - 1))
        o.add("domain", wr)
        o.add("range", rd)
        o.add("reverse", wr)
        o.add("is_single_valued", rd)
        o.add("is_injective", wr)
        o.add("identity", "{ Cp[t, x] : %s; St[t, x] : %s }" % (dom, dom))
        o.add("card", rd)
    for _ in range(15):
        n = r.randint(2, 12)
        o.comment("reduction chain: s[0] = 0; s[i+1] = s[i] + a[i]; out = s[n] (n=%d)" % n)
        sched = "{ I[] -> [0, 0]; A[i] -> [1, i]; O[] -> [2, 0] }"
        wr = "{ I[] -> Acc[]; A[i] -> Acc[] : %s }" % rng_between("i", 0, n)
        rd = "{ A[i] -> Acc[] : %s; A[i] -> X[i] : %s; O[] -> Acc[] }" % (rng_between("i", 0, n), rng_between("i", 0, n))
        for op in dops:
            o.add(op, sched, wr, rd)
        m = r.randint(1, n)
        o.add("deps_may", sched, "{ I[] -> Acc[] }", rd, "{ A[i] -> Acc[] : %s }" % rng_between("i", 0, m))
        o.add("deps_nosrc", sched, "{ I[] -> Acc[] }", rd, "{ A[i] -> Acc[] : %s }" % rng_between("i", 0, m))
    for _ in range(12):
        n, s = r.randint(3, 12), r.randint(1, 3)
        o.comment("stencil in place: A[i] = A[i - %d] + A[i + %d], n=%d" % (s, s, n))
        sched = "{ S[i] -> [i] }"
        wr = "{ S[i] -> A[i] : %s }" % rng_between("i", s, n)
        rd = "{ S[i] -> A[i - %d] : %s; S[i] -> A[i + %d] : %s }" % (s, rng_between("i", s, n), s, rng_between("i", s, n))
        for op in ["deps", "deps_full", "deps_nosrc"]:
            o.add(op, sched, wr, rd)
        o.add("deps_may", sched, "{ S[i] -> A[i] : false }", rd, wr)
        o.add("deps_full_may", sched, "{ S[i] -> A[i] : false }", rd, wr)
        o.add("deps_may_nosrc", sched, wr, rd, "{ S[i] -> A[i] : i mod 2 = 0 and %s }" % rng_between("i", 0, n))
    return o


# ---------------------------------------------------------------------------------------------
# random sets and relations


VARS = ["i", "j", "k"]


def rand_basic(r, vs, allow_unbounded=True, small=6, params=None):
    """Random conjunction over variables vs (strings); bounds may use the parameters."""
    c = []
    for v in vs:
        lo = r.randint(-small, small)
        hi = lo + r.randint(0, 2 * small)
        if not allow_unbounded or r.random() < 0.85:
            c.append("%d <= %s" % (lo, v))
        if params and r.random() < 0.6:
            p = r.choice(params)
            c.append("%s %s %s" % (v, r.choice(["<", "<="]), lin([(r.choice([1, 1, 2]), p)], r.randint(-2, 2))))
        elif not allow_unbounded or r.random() < 0.85:
            c.append("%s <= %d" % (v, hi))
    for _ in range(r.randint(0, 2)):
        terms = [(r.randint(-3, 3), v) for v in vs]
        if all(t[0] == 0 for t in terms):
            continue
        op = r.choice([">=", ">=", "<=", ">"])
        c.append("%s %s %d" % (lin(terms), op, r.randint(-8, 8)))
    x = r.random()
    if x < 0.2:
        m = r.randint(2, 5)
        terms = [(r.randint(-2, 3), v) for v in vs]
        if any(t[0] for t in terms):
            c.append("(%s) mod %d = %d" % (lin(terms), m, r.randint(0, m - 1)))
    elif x < 0.4:
        m = r.randint(2, 4)
        v = r.choice(vs)
        c.append("exists (e0 : %s = %s)" % (v, lin([(m, "e0")], r.randint(0, m - 1))))
    elif x < 0.48 and len(vs) >= 2:
        a, b = r.sample(vs, 2)
        c.append("%s = %s" % (a, lin([(r.choice([1, 2, -1]), b)], r.randint(-3, 3))))
    elif x < 0.56:
        v = r.choice(vs)
        m = r.randint(2, 5)
        w = r.choice(vs)
        c.append("floor((%s)/%d) %s %s" % (lin([(1, v)], r.randint(-2, 2)), m, r.choice(["<=", ">=", "="]), lin([(1, w)], r.randint(-2, 2)) if w != v else str(r.randint(-1, 2))))
    elif x < 0.62:
        # deeper existential: a two-level lattice
        v = r.choice(vs)
        c.append("exists (e0, e1 : %s = %s and e0 = %s and %s)" % (
            v, lin([(r.randint(2, 3), "e0"), (r.randint(2, 5), "e1")]), lin([(r.randint(2, 3), "e1")], r.randint(0, 1)),
            rng_between("e1", r.randint(-3, 0), r.randint(1, 4))))
    return c


def rand_set(r, name, d, params=None, pieces=None):
    vs = VARS[:d]
    n = pieces or r.choice([1, 1, 1, 2, 2, 3])
    disj = [rand_basic(r, vs, params=params) for _ in range(n)]
    tt = tup(name, vs)
    if r.random() < 0.5 or n == 1:
        return union_text([body(tt, dc) for dc in disj], params)
    return setx(tt, ["(" + " or ".join("(%s)" % " and ".join(dc) if dc else "true" for dc in disj) + ")"], params)


def rand_rel(r, n_in, n_out, a="A", b="B", functional=None, params=None):
    vi = ["i", "j", "k"][:n_in]
    vo = ["a", "b", "c"][:n_out]
    if functional is None:
        functional = r.random() < 0.5
    dc = rand_basic(r, vi, allow_unbounded=r.random() < 0.3, params=params)
    if functional:
        outs = []
        for _ in range(n_out):
            x = r.random()
            base = lin([(r.randint(-2, 3), v) for v in vi], r.randint(-3, 3))
            if x < 0.2:
                outs.append("floor((%s)/%d)" % (base, r.randint(2, 4)))
            elif x < 0.35:
                outs.append("(%s) mod %d" % (base, r.randint(2, 4)))
            else:
                outs.append(base)
        return setx("%s -> %s" % (tup(a, vi), tup(b, outs)), dc, params)
    oc = rand_basic(r, vo, allow_unbounded=r.random() < 0.3, params=params)
    link = []
    for _ in range(r.randint(1, 2)):
        terms = [(r.randint(-2, 2), v) for v in vi + vo]
        if all(t[0] == 0 for t in terms):
            continue
        link.append("%s %s %d" % (lin(terms), r.choice(["=", "<=", ">="]), r.randint(-4, 4)))
    return setx("%s -> %s" % (tup(a, vi), tup(b, vo)), dc + oc + link, params)


def inner(obj):
    """The text between the braces of an isl object."""
    return obj[obj.index("{") + 2:-2]


def gen_random(r, n_sets=50, params=None, name="random"):
    o = Out(name)
    pre = "[%s] -> " % ", ".join(params) if params else ""
    for it in range(n_sets):
        d = r.choice([1, 2, 2, 3])
        A = rand_set(r, "S", d, params)
        B = rand_set(r, "S", d, params)
        o.add("is_empty", A)
        o.add("is_subset", A, B)
        o.add("is_equal", A, B)
        o.add("is_disjoint", A, B)
        o.add("intersect", A, B)
        o.add("union", A, B)
        o.add("subtract", A, B)
        o.add("coalesce", A)
        o.add("is_bounded", A)
        if it % 2 == 0:
            # pairs that are related by construction: A is a subset of A u B, written in two orders
            C = pre + "{ %s; %s }" % (inner(A), inner(B))
            o.add("is_subset", A, C)
            o.add("is_equal", C, pre + "{ %s; %s }" % (inner(B), inner(A)))
            o.add("subtract", C, B)
        if not params:
            o.add("lexmin", A)
            o.add("lexmax", A)
            o.add("sample", A)
            o.add("card", A)
            o.add("min", A, "{ S[%s] -> [(%s)] }" % (", ".join(VARS[:d]), lin([(r.randint(-3, 3), v) for v in VARS[:d]], 1)))
            o.add("max", A, "{ S[%s] -> [(%s)] }" % (", ".join(VARS[:d]), lin([(r.randint(-3, 3), v) for v in VARS[:d]], 0)))
        o.add("identity", A)
        if d >= 2:
            o.add("project_out", A, "set %d %d" % (r.randint(0, d - 2), 1))
        # relations
        di, do = r.choice([1, 2, 2, 3]), r.choice([1, 2, 2])
        R1 = rand_rel(r, di, do, params=params)
        R2 = rand_rel(r, do, r.choice([1, 2]), "B", "C", params=params)
        R3 = rand_rel(r, di, r.choice([1, 2]), "A", "D", params=params)
        Rs = rand_rel(r, di, di, "A", "A", params=params)
        Sa = rand_set(r, "A", di, params)
        Sb = rand_set(r, "B", do, params)
        o.add("apply", Sa, R1)
        o.add("apply_range", R1, R2)
        o.add("apply_domain", R1, R3)
        o.add("reverse", R1)
        o.add("domain", R1)
        o.add("range", R1)
        o.add("deltas", Rs)
        o.add("intersect_domain", R1, Sa)
        o.add("intersect_range", R1, Sb)
        o.add("is_single_valued", R1)
        o.add("is_injective", R1)
        o.add("is_bijective", R1)
        o.add("is_empty", R1)
        o.add("is_subset", R1, rand_rel(r, di, do, params=params))
        o.add("coalesce", pre + "{ %s; %s }" % (inner(R1), inner(rand_rel(r, di, do, params=params))))
        if not params:
            o.add("lexmin", R1)
            o.add("lexmax", R1)
            o.add("lex_lt", rand_rel(r, di, 2, "A", "T", True), rand_rel(r, do, 2, "B", "T", True))
            o.add("project_out", R1, "%s 0 1" % r.choice(["in", "out"]))
            o.add("card", R1)
            o.add("sample", R1)
    return o


def gen_unbounded(r):
    """Sets without upper or lower bounds, lines, cones, and the lexmin/max and card of them."""
    o = Out("unbounded")
    for _ in range(25):
        a, b, c = r.randint(-3, 3), r.randint(1, 4), r.randint(-5, 5)
        m = r.randint(2, 5)
        cone = setx("S[i, j]", ["%s <= %d" % (lin([(a, "i"), (-b, "j")]), c), "i >= %d" % r.randint(-3, 3)])
        line = setx("S[i, j]", ["j = %s" % lin([(a, "i")], c)])
        half = setx("S[i]", ["i >= %d" % c, "i mod %d = %d" % (m, r.randint(0, m - 1))])
        o.add("is_bounded", cone)
        o.add("is_bounded", setx("S[i, j]", ["%s <= %d" % (lin([(1, "i"), (-1, "j")]), 2), "%s <= %d" % (lin([(-1, "i"), (1, "j")]), 2), "0 <= i <= %d" % b]))
        o.add("lexmin", cone)
        o.add("lexmax", half)
        o.add("lexmin", half)
        o.add("card", half)
        o.add("min", cone, "{ S[i, j] -> [(j)] }")
        o.add("max", cone, "{ S[i, j] -> [(i)] }")
        o.add("min", half, "{ S[i] -> [(i)] }")
        o.add("sample", line)
        o.add("subtract", cone, line)
        o.add("is_subset", line, cone)
        o.add("intersect", cone, line)
        o.add("is_empty", setx("S[i, j]", ["j = %s" % lin([(m, "i")], 1), "j = %s" % lin([(m, "i")], 2 + r.randint(0, 1) * (m - 1))]))
        o.add("is_empty", setx("S[i]", ["exists (e : %s = i)" % lin([(m, "e")], 1), "exists (f : %s = i)" % lin([(m * r.choice([1, 2]), "f")], r.randint(0, 2))]))
        o.add("deltas", setx("S[i] -> S[j]", ["j > i", "(j - i) mod %d = 0" % m]))
        o.add("is_single_valued", setx("S[i] -> T[j]", ["%d*j <= i < %d*j + %d" % (m, m, m)]))
        o.add("is_injective", setx("S[i] -> T[j]", ["%d*j <= i < %d*j + %d" % (m, m, m)]))
        o.add("is_bijective", setx("S[i] -> T[j]", ["j = i + %d" % c]))
        o.add("reverse", setx("S[i] -> T[j]", ["j = floor(i/%d)" % m]))
    return o


def gen_parametric(r):
    """Tier 2: the boolean tests and set algebra with parameters (meaning: for all values)."""
    o = gen_random(r, 32, params=["N"], name="parametric")
    for _ in range(40):
        k = r.randint(1, 4)
        lo = r.randint(0, 2)
        A = "[N] -> { S[i] : %d <= i < N }" % lo
        B = "[N] -> { S[i] : %d <= i < N + %d }" % (lo - r.randint(0, 1), r.randint(-1, 1))
        T = "[N] -> { S[i] -> S[i + %d] : 0 <= i < N - %d }" % (k, k)
        Tl = "[N, M] -> { S[i, j] -> T[floor(i/%d), j] : 0 <= i < N and 0 <= j < M }" % k
        F = "[N] -> { S[i, j] : 0 <= i < N and 0 <= j <= i and (i + j) mod %d = 0 }" % (k + 1)
        o.add("is_subset", A, B)
        o.add("is_equal", A, B)
        o.add("is_disjoint", A, "[N] -> { S[i] : i >= N }")
        o.add("is_empty", "[N] -> { S[i] : N <= i < %d and 0 <= N }" % r.randint(-2, 2))
        o.add("subtract", B, A)
        o.add("union", A, "[N] -> { S[i] : N <= i < N + %d }" % k)
        o.add("intersect", A, "[N] -> { S[i] : i mod %d = 0 }" % (k + 1))
        o.add("apply", A, T)
        o.add("apply_range", T, T)
        o.add("apply_domain", T, T)
        o.add("reverse", Tl)
        o.add("range", Tl)
        o.add("domain", T)
        o.add("deltas", T)
        o.add("is_single_valued", Tl)
        o.add("is_injective", Tl)
        o.add("is_bijective", T)
        o.add("is_bounded", F)
        o.add("lexmin", F)
        o.add("lexmax", A)
        o.add("coalesce", "[N] -> { S[i] : 0 <= i < N and i <= %d; S[i] : %d < i < N }" % (k, k))
        o.add("intersect_domain", Tl, "[N, M] -> { S[i, j] : i >= N - 2 }")
        o.add("intersect_range", T, "[N] -> { S[i] : i mod 2 = 0 }")
        o.add("identity", F)
        o.add("project_out", F, "set 1 1")
        o.add("is_subset", F, "[N] -> { S[i, j] : 0 <= j <= i < N }")
        o.add("lex_lt", "[N] -> { S[i] -> [i] : 0 <= i < N }", "[N] -> { S[i] -> [i + %d] : 0 <= i < N }" % (k - 2))
    return o


def gen_tier3(r):
    o = Out("tier3")
    for _ in range(100):
        d = r.choice([1, 2, 2, 3])
        params = ["N"] if r.random() < 0.3 else None
        A = rand_set(r, "S", d, params)
        B = rand_set(r, "S", d, params)
        o.add("complement", A)
        o.add("gist", A, B)
        o.add("is_strict_subset", A, B)
        o.add("is_strict_subset", A, A[:-2] + "; " + B[B.index("{") + 2:])
        o.add("params", A if params else "[N] -> { S[i] : 0 <= i < N and N <= %d }" % r.randint(-2, 20))
        di, do = r.choice([1, 2]), r.choice([1, 2])
        R1 = rand_rel(r, di, do)
        o.add("wrap", R1)
        o.add("complement", R1)
        o.add("intersect_params", "[N] -> %s" % A if not params else A, "[N] -> { : N >= %d and N mod 2 = 0 }" % r.randint(-2, 5))
        o.add("box", rand_set(r, "S", d, pieces=1))
        o.add("gist", R1, rand_rel(r, di, do))
    return o


def rand_qf_formula(r, vs):
    """A quantifier-free condition over vs: a bound, a mod, a floor, or a comparison with min/max."""
    x = r.random()
    v = r.choice(vs)
    if x < 0.3:
        return "%s %s %d" % (lin([(r.randint(-2, 3) or 1, w) for w in vs]), r.choice(["<=", ">=", ">", "<", "="]), r.randint(-4, 6))
    if x < 0.5:
        m = r.randint(2, 4)
        return "(%s) mod %d = %d" % (lin([(r.randint(1, 2), v)], r.randint(-1, 1)), m, r.randint(0, m - 1))
    if x < 0.6:
        return "floor((%s)/%d) %s %d" % (lin([(1, v)], r.randint(-2, 2)), r.randint(2, 4), r.choice(["<=", ">=", "="]), r.randint(-1, 3))
    args = ", ".join(lin([(r.choice([1, 1, 2, -1]), r.choice(vs))], r.randint(-3, 3)) for _ in range(r.randint(2, 3)))
    return "%s %s %s(%s)" % (lin([(1, v)], r.randint(-2, 2)), r.choice(["<=", ">=", "<", "="]), r.choice(["min", "max"]), args)


def syntax_set(r, d):
    """A bounded set whose condition uses not, min and max (negation only over quantifier-free parts)."""
    vs = VARS[:d]
    box = ["%d <= %s <= %d" % (r.randint(-6, 0), v, r.randint(1, 8)) for v in vs]
    parts = []
    for _ in range(r.randint(1, 3)):
        inner = " and ".join(rand_qf_formula(r, vs) for _ in range(r.randint(1, 2)))
        y = r.random()
        if y < 0.45:
            parts.append("not (%s)" % inner)
        elif y < 0.55:
            parts.append("!(%s)" % inner)
        else:
            parts.append(inner)
    joiner = r.choice([" and ", " and ", " or "])
    return setx(tup("S", vs), box + ["(%s)" % joiner.join(parts)])


def gen_syntax(r):
    o = Out("syntax")
    o.comment("negation (not, !) and min/max in affine expressions, as isl reads them")
    for _ in range(60):
        d = r.choice([1, 2, 2, 3])
        A = syntax_set(r, d)
        B = syntax_set(r, d)
        o.add(r.choice(["coalesce", "coalesce", "card", "is_empty"]), A)
        o.add(r.choice(["intersect", "subtract", "is_subset", "is_equal", "union"]), A, B)
        vs = VARS[:d]
        v = r.choice(vs)
        f = "{ %s -> T[%s(%s, %s)] }" % (tup("S", vs), r.choice(["min", "max"]), lin([(1, v)]), lin([(r.choice([1, -1, 2]), r.choice(vs))], r.randint(-3, 3)))
        o.add("apply", A, f)
    return o


def rand_witness(r, vs, outer=None, names=("e", "o", "w")):
    """An existential condition over vs: a stride, a window footprint, or a bounded linear witness."""
    e, o, w = names
    x = r.random()
    v = r.choice(vs)
    if x < 0.35:
        m = r.randint(2, 4)
        low = "" if r.random() < 0.6 else " and %s >= %d" % (e, r.randint(-2, 1))
        return "exists (%s : %s = %d%s%s)" % (e, lin([(1, v)], r.randint(-2, 2)), m, e, low)
    if x < 0.6:
        s = r.randint(1, 3)
        hi = "N" if outer else str(r.randint(1, 4))
        return "exists (%s, %s : %s = %s and 0 <= %s < %d and 0 <= %s < %s)" % (
            o, w, v, lin([(s, o), (1, w)]), w, r.randint(1, 3), o, hi)
    if x < 0.8 and len(vs) > 1:
        a, b = r.sample(vs, 2)
        return "exists (%s : %s = %s and 0 <= %s <= %d)" % (e, a, lin([(1, b), (r.choice([1, 2, 3]), e)], r.randint(-1, 1)), e, r.randint(1, 3))
    return "exists (%s : %s <= %d%s <= %s)" % (e, lin([(1, v)], r.randint(0, 2)), r.randint(2, 3), e, lin([(1, v)], r.randint(2, 3)))


def negation_set(r, d, params=None):
    """A set written with not exists (...) (sometimes nested, the inner one over the dimensions only) and quantifier-free parts."""
    vs = VARS[:d]
    lo, hi = r.randint(-5, 0), r.randint(2, 8)
    box = ["%d <= %s <= %s" % (lo, v, "N" if params and r.random() < 0.5 else hi) for v in vs]
    if r.random() < 0.1:
        box = box[:-1]  # one dimension unbounded: the complement is unbounded too
    parts = []
    for _ in range(r.randint(1, 2)):
        w = rand_witness(r, vs, params)
        y = r.random()
        if y < 0.2:
            inner = rand_witness(r, vs, params, names=("f", "p", "q"))
            w = w[:-1] + " and not %s)" % inner  # not exists (e : … and not exists (…))
        if y < 0.85:
            parts.append("not %s" % w)
        else:
            parts.append("not (%s or %s)" % (w, rand_qf_formula(r, vs)))
    if r.random() < 0.4:
        parts.append(rand_qf_formula(r, vs))
    joiner = r.choice([" and ", " and ", " or "])
    return setx(tup("S", vs), box + ["(%s)" % joiner.join(parts)], params)


def gen_negation(r):
    o = Out("negation")
    o.comment("not exists (...): the complement of a projection, as isl reads it")
    for _ in range(40):
        d = r.choice([1, 2, 2, 3])
        params = ["N"] if r.random() < 0.25 else None
        A = negation_set(r, d, params)
        B = negation_set(r, d, params) if r.random() < 0.5 else syntax_set(r, d) if not params else rand_set(r, "S", d, params)
        o.add(r.choice(["coalesce", "coalesce", "is_empty"] + ([] if params else ["card"])), A)
        o.add(r.choice(["intersect", "subtract", "is_subset", "is_equal", "union"]), A, B)
        if r.random() < 0.5:
            o.add("complement", A)
        else:
            o.add("is_subset", B, A)
    return o


FAMILIES = [
    ("conv", gen_conv), ("pool", gen_pool), ("matmul", gen_matmul), ("reshape", gen_reshape),
    ("concat", gen_concat), ("dataflow", gen_dataflow), ("random", gen_random),
    ("unbounded", gen_unbounded), ("parametric", gen_parametric), ("tier3", gen_tier3),
    ("syntax", gen_syntax), ("negation", gen_negation),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, fn in FAMILIES:
        r = random.Random("%d/%s" % (args.seed, name))
        o = fn(r)
        path = os.path.join(args.out, name + ".problems.tsv")
        with open(path, "w") as f:
            f.write("# family %s, generated by gen_problems.py --seed %d\n" % (name, args.seed))
            for line in o.lines:
                f.write(line + "\n")
        nprob = sum(1 for l in o.lines if not l.startswith("#"))
        print("%-12s %6d problems -> %s" % (name, nprob, path))


if __name__ == "__main__":
    main()
