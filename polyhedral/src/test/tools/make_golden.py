#!/usr/bin/env python3
"""Turns problem files (gen_problems.py) into golden files, with isl (the isl oracle) as reference.

For every problem line the oracle is run in echo mode (``isl_oracle -e``); problems that isl
answers with ``error:`` have no reference and are dropped (counted per file and op). After each
answer that is a set or a relation, up to three ``#in`` and up to three ``#out`` lines follow:
singleton sets or relations in the answer's space(s) that isl says lie inside / outside the answer.

* in-points: ``sample`` of the answer, then of the answer minus the points found so far;
* out-points: ``sample`` of (N \\ answer), where N is the answer grown by one step in every
  coordinate (``apply`` with ``{ T[x] -> T[y] : -1 <= y - x <= 1 }``; for relations the domain
  and the range are grown one after the other) -- points just outside the boundary and in the
  holes of strided sets; if that fails, a box of radius R around the origin minus the answer;
* every point is then checked with ``is_subset(point, answer)`` (``true`` for #in, ``false`` for
  #out); a point that fails the check is not written.

Parametric points fix the parameters: ``[N] -> { S[1] : N = 5 }``.

``# card-by-factors: K`` (see gen_problems.py): the K card problems that follow count independent
factors of the card problem after them, whose answer is their product (isl counts by enumeration,
which is too slow for ~10^9 points). When the product is small the oracle also counts the product
set itself, and the two must agree.

Usage: make_golden.py --oracle PATH --problems DIR --golden DIR
"""

import argparse
import os
import re
import subprocess
import sys
from collections import OrderedDict

SET_OPS = {
    "intersect", "union", "subtract", "apply", "apply_range", "apply_domain", "reverse", "domain",
    "range", "deltas", "identity", "intersect_domain", "intersect_range", "project_out", "lexmin",
    "lexmax", "coalesce", "lex_lt", "deps", "deps_may", "deps_full", "deps_full_may", "deps_nosrc",
    "deps_may_nosrc", "complement", "params", "wrap", "intersect_params",
}
MAX_POINTS = 3
SMALL_PRODUCT = 2000000


class Oracle:
    def __init__(self, path):
        self.path = path
        self.calls = 0

    def run(self, lines, echo=False):
        """Answers of the oracle for problem lines (no comments, no empty lines), in order."""
        if not lines:
            return []
        for l in lines:
            assert l and not l.startswith("#") and "\n" not in l, l
        args = [self.path] + (["-e"] if echo else [])
        p = subprocess.run(args, input="\n".join(lines) + "\n", capture_output=True, text=True, check=True)
        outs = p.stdout.split("\n")[:-1]
        if len(outs) != len(lines):
            raise RuntimeError("oracle returned %d lines for %d problems" % (len(outs), len(lines)))
        self.calls += len(lines)
        if echo:
            res = []
            for l, o in zip(lines, outs):
                assert o.startswith(l + "\t"), (l, o)
                res.append(o[len(l) + 1:])
            return res
        return outs


# ---------------------------------------------------------------------------------------------
# reading the spaces of an isl answer


def split_top(s, sep):
    """Split s at occurrences of the single character sep outside (), [] and {}."""
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def split_arrow(s):
    """Split s at '->' outside brackets."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(s):
        ch = s[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and s.startswith("->", i):
            parts.append(s[start:i])
            start = i + 2
            i += 1
        i += 1
    parts.append(s[start:])
    return [p.strip() for p in parts]


def parse_object(text):
    """(params, [tuple texts of the pieces]) of an isl set/relation text, or None."""
    text = text.strip()
    params = []
    m = re.match(r"^\[([^\]]*)\]\s*->\s*\{", text)
    if m:
        params = [p.strip() for p in m.group(1).split(",") if p.strip()]
        text = text[m.end() - 1:]
    if not (text.startswith("{") and text.endswith("}")):
        return None
    inner = text[1:-1].strip()
    if not inner:
        return params, []
    tuples = []
    for piece in split_top(inner, ";"):
        t = split_top(piece, ":")[0].strip()
        tuples.append(t)
    return params, tuples


class Namer:
    def __init__(self, prefix):
        self.prefix = prefix
        self.vars = []

    def fresh(self):
        v = "%s%d" % (self.prefix, len(self.vars))
        self.vars.append(v)
        return v


def template(t, namer):
    """A tuple text (e.g. 'S[i = 1, 2i]' or 'W[i] -> [R[j] -> A[k]]') with fresh variables."""
    return " -> ".join(one_tuple(p, namer) for p in split_arrow(t))


def one_tuple(t, namer):
    m = re.match(r"^([A-Za-z_][A-Za-z0-9_']*)?\s*\[(.*)\]$", t.strip())
    if not m:
        raise ValueError("not a tuple: %r" % t)
    name, content = m.group(1) or "", m.group(2).strip()
    if not content:
        return name + "[]"
    if re.match(r"^([A-Za-z_][A-Za-z0-9_']*)?\s*\[", content):
        return "%s[%s]" % (name, template(content, namer))
    items = split_top(content, ",")
    return "%s[%s]" % (name, ", ".join(namer.fresh() for _ in items))


def is_relation_tuple(t):
    return len(split_arrow(t)) == 2


def spaces_of(answer):
    """(params, kind, [distinct tuple texts]) with kind 'set', 'rel' or 'params'; None if unknown."""
    po = parse_object(answer)
    if po is None:
        return None
    params, tuples = po
    if not tuples:
        return None
    if all(t == "" for t in tuples):
        return params, "params", []
    if any(t == "" for t in tuples):
        return None
    kinds = {is_relation_tuple(t) for t in tuples}
    if len(kinds) != 1:
        return None
    seen = OrderedDict()
    for t in tuples:
        seen.setdefault(template(t, Namer("x")), t)
    return params, ("rel" if kinds.pop() else "set"), list(seen.keys())


def grow_relation(templates):
    """{ T[x..] -> T[y..] : -1 <= y - x <= 1 } over the given tuple templates (x-named)."""
    pieces = []
    for t in templates:
        nx, ny = Namer("x"), Namer("y")
        tx, ty = template(t, nx), template(t, ny)
        conds = ["-1 <= %s - %s <= 1" % (y, x) for x, y in zip(nx.vars, ny.vars)]
        pieces.append("%s -> %s%s" % (tx, ty, (" : " + " and ".join(conds)) if conds else ""))
    return "{ %s }" % "; ".join(pieces)


def box(params, templates, radius):
    pre = "[%s] -> " % ", ".join(params) if params else ""
    pc = ["%d <= %s <= %d" % (-radius, p, radius) for p in params]
    if not templates:
        return "%s{ : %s }" % (pre, " and ".join(pc)) if pc else None
    pieces = []
    for t in templates:
        n = Namer("x")
        tt = template(t, n)
        conds = ["%d <= %s <= %d" % (-radius, v, radius) for v in n.vars] + pc
        pieces.append(tt + (" : " + " and ".join(conds) if conds else ""))
    return "%s{ %s }" % (pre, "; ".join(pieces))


def point_text(sample, kind):
    """isl's sample answer -> the agreed point form ('{ S[1] -> A[3] }', '[N] -> { S[1] : N = 5 }')."""
    params = []
    s = sample.strip()
    m = re.match(r"^\[([^\]]*)\]\s*->\s*\{(.*)\}$", s)
    if m:
        for a in m.group(1).split(","):
            name, val = [x.strip() for x in a.split("=")]
            params.append((name, val))
        s = "{" + m.group(2) + "}"
    inner = s[1:-1].strip()
    if kind == "rel":
        assert inner.startswith("[") and inner.endswith("]"), sample
        inner = inner[1:-1].strip()
    if not params:
        return "{ %s }" % inner
    cond = " and ".join("%s = %s" % p for p in params)
    return "[%s] -> { %s : %s }" % (", ".join(p for p, _ in params), inner, cond)


# ---------------------------------------------------------------------------------------------
# point jobs: generators that yield oracle requests (lists of problem lines) and get answers


def ok(a):
    return not a.startswith("error")


def points_job(answer):
    sp = spaces_of(answer)
    if sp is None:
        return [], []
    params, kind, templates = sp
    ins, outs = [], []
    cur = answer
    while len(ins) < MAX_POINTS:
        (s,) = yield ["sample\t" + cur]
        if not ok(s) or s == "empty":
            break
        ins.append(point_text(s, kind))
        if len(ins) == MAX_POINTS:
            break
        (cur,) = yield ["subtract\t%s\t%s" % (cur, ins[-1])]
        if not ok(cur):
            break
    # the answer grown by one step in every coordinate, minus the answer
    grown = None
    if kind == "set":
        (g,) = yield ["apply\t%s\t%s" % (answer, grow_relation(templates))]
        grown = g if ok(g) else None
    elif kind == "rel":
        doms = list(OrderedDict.fromkeys(template(split_arrow(t)[0], Namer("x")) for t in templates))
        rans = list(OrderedDict.fromkeys(template(split_arrow(t)[1], Namer("x")) for t in templates))
        (g,) = yield ["apply_domain\t%s\t%s" % (answer, grow_relation(doms))]
        if ok(g):
            (g,) = yield ["apply_range\t%s\t%s" % (g, grow_relation(rans))]
            grown = g if ok(g) else None
    candidates = []
    if grown is not None:
        candidates.append(grown)
    nums = [int(x) for x in re.findall(r"\d+", answer)] or [0]
    b = box(params, templates, min(max(nums), 64) + 2)
    if b is not None:
        candidates.append(b)
    for universe in candidates:
        (cur,) = yield ["subtract\t%s\t%s" % (universe, answer)]
        while ok(cur) and len(outs) < MAX_POINTS:
            (s,) = yield ["sample\t" + cur]
            if not ok(s) or s == "empty":
                break
            outs.append(point_text(s, kind))
            if len(outs) == MAX_POINTS:
                break
            (cur,) = yield ["subtract\t%s\t%s" % (cur, outs[-1])]
        if outs:
            break
    checks = yield ["is_subset\t%s\t%s" % (p, answer) for p in ins + outs]
    good_in = [p for p, c in zip(ins, checks[:len(ins)]) if c == "true"]
    good_out = [p for p, c in zip(outs, checks[len(ins):]) if c == "false"]
    return good_in, good_out


def run_jobs(oracle, jobs):
    """Drive all generator jobs together: one oracle run per round."""
    results = [None] * len(jobs)
    pending = {}
    for i, j in enumerate(jobs):
        try:
            pending[i] = next(j)
        except StopIteration as e:
            results[i] = e.value
    rounds = 0
    while pending:
        rounds += 1
        order = sorted(pending)
        lines = [l for i in order for l in pending[i]]
        answers = oracle.run(lines)
        pos, nxt = 0, {}
        for i in order:
            n = len(pending[i])
            try:
                nxt[i] = jobs[i].send(answers[pos:pos + n])
            except StopIteration as e:
                results[i] = e.value
            pos += n
        pending = nxt
    return results, rounds


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--oracle", required=True)
    ap.add_argument("--problems", required=True)
    ap.add_argument("--golden", required=True)
    args = ap.parse_args()
    oracle = Oracle(args.oracle)
    os.makedirs(args.golden, exist_ok=True)
    files = sorted(f for f in os.listdir(args.problems) if f.endswith(".problems.tsv"))
    per_op, per_file, dropped = OrderedDict(), OrderedDict(), OrderedDict()
    for fname in files:
        family = fname[:-len(".problems.tsv")]
        with open(os.path.join(args.problems, fname)) as f:
            lines = [l.rstrip("\n") for l in f]
        # the product line after a card-by-factors block is not sent to the oracle
        product_of = {}
        for idx, l in enumerate(lines):
            m = re.match(r"^# card-by-factors: (\d+)$", l)
            if m:
                k = int(m.group(1))
                product_of[idx + k + 1] = list(range(idx + 1, idx + k + 1))
        send = [idx for idx, l in enumerate(lines) if l and not l.startswith("#") and idx not in product_of]
        answers = dict(zip(send, oracle.run([lines[i] for i in send], echo=True)))
        cross = []
        for idx, fidx in product_of.items():
            fa = [answers[i] for i in fidx]
            if all(re.match(r"^\d+$", a) for a in fa):
                prod = 1
                for a in fa:
                    prod *= int(a)
                answers[idx] = str(prod)
                if prod <= SMALL_PRODUCT:
                    cross.append(idx)
            else:
                answers[idx] = "error: a factor has no count"
        for idx, got in zip(cross, oracle.run([lines[i] for i in cross])):
            if got != answers[idx]:
                sys.exit("card-by-factors disagrees with isl on %r: %s vs %s" % (lines[idx], answers[idx], got))
        kept = [i for i in sorted(answers) if not answers[i].startswith("error")]
        for i in sorted(answers):
            if answers[i].startswith("error"):
                op = lines[i].split("\t")[0]
                dropped.setdefault(family, OrderedDict()).setdefault(op, 0)
                dropped[family][op] += 1
        set_idx = [i for i in kept if lines[i].split("\t")[0] in SET_OPS]
        pts, rounds = run_jobs(oracle, [points_job(answers[i]) for i in set_idx])
        points = dict(zip(set_idx, pts))
        out_path = os.path.join(args.golden, family + ".tsv")
        n_in = n_out = 0
        with open(out_path, "w") as f:
            for idx, l in enumerate(lines):
                if not l or l.startswith("#"):
                    if re.match(r"^# card-by-factors: \d+$", l):
                        l += " (the card answer after these factor counts is their product)"
                    f.write(l + "\n")
                    continue
                if idx not in answers or answers[idx].startswith("error"):
                    continue
                f.write("%s\t%s\n" % (l, answers[idx]))
                ins, outs = points.get(idx, ([], []))
                for p in ins:
                    f.write("#in\t%s\n" % p)
                for p in outs:
                    f.write("#out\t%s\n" % p)
                n_in += len(ins)
                n_out += len(outs)
                op = l.split("\t")[0]
                per_op[op] = per_op.get(op, 0) + 1
                per_file.setdefault(family, [0, 0, 0, 0])
        per_file[family] = [len(kept), sum(dropped.get(family, {}).values()), n_in, n_out]
        print("%-12s %5d problems, %3d dropped (isl error), %5d #in, %5d #out, %2d point rounds, %s"
              % (family, len(kept), per_file[family][1], n_in, n_out, rounds, out_path), flush=True)
    print("total %d problems, %d dropped; oracle lines run: %d"
          % (sum(v[0] for v in per_file.values()), sum(v[1] for v in per_file.values()), oracle.calls))
    print("per op:")
    for op in sorted(per_op):
        print("  %-18s %5d" % (op, per_op[op]))
    print("dropped (isl answered error):")
    for fam, ops in dropped.items():
        print("  %-12s %s" % (fam, ", ".join("%s %d" % kv for kv in ops.items())))


if __name__ == "__main__":
    main()
