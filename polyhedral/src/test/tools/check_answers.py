#!/usr/bin/env python3
"""Judges the library's answers to golden problems with isl itself (a second opinion).

Runs the library's line calculator over the problems of golden files and compares its answers
with the golden ones by the rule of GoldenFilesTest, asking the isl oracle where equality is
semantic:

* true/false, integers, infty/NaN, box: equal strings;
* sets and relations: ``is_equal(library, golden)`` must be ``true`` in isl (an empty union
  ``{  }`` or ``[N] -> {  }`` on one side: the other must be empty); when isl runs out of its
  quota on ``is_equal`` the problem is counted as ``undecided`` (no verdict), or with
  ``--retry-quota N`` both differences are computed with quota N and must be empty;
* gist: ``is_equal(library ∩ context, golden ∩ context)``;
* sample: ``empty`` exactly when the golden answer is ``empty``, else the point must lie in the
  argument (``is_subset``);
* a library ``error:`` is a failure, except the refusals of parametric input that Tier 2 allows
  (lexmin, lexmax, card, sample and the dataflow ops with parameters), counted apart.

Usage (from the repository root, after building the polyhedral module):
  check_answers.py --oracle /tmp/isl-oracle/isl_oracle \\
      --library "java -cp polyhedral/target/classes dev.tessera.polyhedral.calc.PolyCalculator" \\
      [--failures FILE] polyhedral/src/test/resources/golden/*.tsv
"""

import argparse
import os
import re
import shlex
import subprocess
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import SET_OPS, Oracle, point_text, spaces_of  # noqa: E402

# isl's empty union, "{  }" or "[N] -> {  }": read back as a set, so it cannot be compared with a
# relation; it equals any empty set or relation
EMPTY_UNION = re.compile(r"^(\[[^\]]*\] -> )?\{\s*\}$")
PARAMETRIC_REFUSAL_OPS = {"lexmin", "lexmax", "card", "sample", "deps", "deps_may", "deps_full",
                          "deps_full_may", "deps_nosrc", "deps_may_nosrc"}


def read_golden(path):
    """(problem line, golden answer) pairs of a golden file."""
    out = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cut = line.rindex("\t")
            out.append((line[:cut], line[cut + 1:]))
    return out


def run_library(cmd, problems):
    p = subprocess.run(shlex.split(cmd), input="".join(l + "\n" for l in problems),
                       capture_output=True, text=True, check=True)
    outs = p.stdout.split("\n")[:-1]
    if len(outs) != len(problems):
        raise RuntimeError("library printed %d lines for %d problems" % (len(outs), len(problems)))
    return outs


EMPTY_UNION_TEXT = "{  }"


def equality_query(x, y):
    """The oracle line that answers true exactly when the answers x and y are the same set."""
    if EMPTY_UNION.match(x) and EMPTY_UNION.match(y):
        return "is_empty\t{ : false }"
    if EMPTY_UNION.match(x) or EMPTY_UNION.match(y):
        return "is_empty\t%s" % (y if EMPTY_UNION.match(x) else x)
    return "is_equal\t%s\t%s" % (x, y)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--oracle", required=True)
    ap.add_argument("--library", required=True, help="command line of the library's line calculator")
    ap.add_argument("--failures", help="write the failing problems here")
    ap.add_argument("--retry-quota", type=int, default=0,
                    help="isl quota of a second try (both differences) when is_equal runs out of the default one; "
                         "0 (default): no second try, such problems are counted as undecided")
    ap.add_argument("golden", nargs="+")
    args = ap.parse_args()
    oracle = Oracle(args.oracle)
    table = OrderedDict()  # op -> [passed, failed, refused]
    failures = []
    for path in args.golden:
        cases = read_golden(path)
        lib = run_library(args.library, [p for p, _ in cases])
        verdict = [None] * len(cases)
        queries = []  # (case index, oracle line, expected answer)
        gist_pairs = []
        for i, ((prob, gold), got) in enumerate(zip(cases, lib)):
            op = prob.split("\t")[0]
            fields = prob.split("\t")
            if got.startswith("error"):
                parametric = any(re.match(r"^\s*\[[^\]]*\]\s*->", f) for f in fields[1:])
                verdict[i] = "refused" if op in PARAMETRIC_REFUSAL_OPS and parametric else "fail"
            elif op == "sample":
                if gold == "empty" or got == "empty":
                    verdict[i] = "pass" if gold == got else "fail"
                else:
                    sp = spaces_of(fields[1])
                    kind = sp[1] if sp else "set"
                    try:
                        queries.append((i, "is_subset\t%s\t%s" % (point_text(got, kind), fields[1]), "true"))
                    except (AssertionError, ValueError):
                        verdict[i] = "fail"
            elif op == "gist":
                gist_pairs.append(i)
            elif op in SET_OPS:
                queries.append((i, equality_query(got, gold), "true"))
            else:
                verdict[i] = "pass" if got == gold else "fail"
        if gist_pairs:
            inter = oracle.run(["intersect\t%s\t%s" % (x, cases[i][0].split("\t")[2])
                                for i in gist_pairs for x in (lib[i], cases[i][1])
                                if not EMPTY_UNION.match(x)])
            inter.reverse()
            for i in gist_pairs:
                x, y = [EMPTY_UNION_TEXT if EMPTY_UNION.match(t) else inter.pop() for t in (lib[i], cases[i][1])]
                queries.append((i, equality_query(x, y), "true"))
        answers = oracle.run([q for _, q, _ in queries])
        retry = []
        for (i, q, want), a in zip(queries, answers):
            verdict[i] = "pass" if a == want else "fail"
            if a.startswith("error") and q.startswith("is_equal\t"):
                retry.append((i, q))
        # a comparison isl could not decide within its default quota: both ways with a larger one
        if retry and not args.retry_quota:
            for i, _ in retry:
                verdict[i] = "undecided"
        elif retry:
            diffs = oracle.run(["subtract\t%s\t%s" % (x, y) for _, q in retry
                                for x, y in [q.split("\t")[1:3], q.split("\t")[2:0:-1]]], quota=args.retry_quota)
            empty = oracle.run(["is_empty\t%s" % d if not d.startswith("error") else "is_empty\t{ [x] : x = 0 }"
                                for d in diffs])
            for k, (i, _) in enumerate(retry):
                if empty[2 * k] == "true" and empty[2 * k + 1] == "true":
                    verdict[i] = "pass"
                elif any(d.startswith("error") for d in diffs[2 * k:2 * k + 2]):
                    verdict[i] = "undecided"  # isl could not compare the two answers: no verdict
                else:
                    verdict[i] = "fail"
        for i, ((prob, gold), got) in enumerate(zip(cases, lib)):
            op = prob.split("\t")[0]
            row = table.setdefault(op, [0, 0, 0, 0])
            row[{"pass": 0, "fail": 1, "refused": 2, "undecided": 3}[verdict[i]]] += 1
            if verdict[i] in ("fail", "undecided"):
                failures.append("%s\t%s\tgolden: %s\tlibrary: %s%s" % (os.path.basename(path), prob, gold, got,
                                                                     "\tisl undecided" if verdict[i] == "undecided" else ""))
        print("%s: %d problems, %d failed" % (path, len(cases), sum(1 for v in verdict if v == "fail")), flush=True)
    print("%-18s %7s %7s %7s %9s" % ("op", "passed", "failed", "refused", "undecided"))
    tot = [0, 0, 0, 0]
    for op in sorted(table):
        r = table[op]
        tot = [a + b for a, b in zip(tot, r)]
        print("%-18s %7d %7d %7d %9d" % (op, r[0], r[1], r[2], r[3]))
    print("%-18s %7d %7d %7d %9d" % ("TOTAL", tot[0], tot[1], tot[2], tot[3]))
    if args.failures:
        with open(args.failures, "w") as f:
            f.write("".join(l + "\n" for l in failures))


if __name__ == "__main__":
    main()
