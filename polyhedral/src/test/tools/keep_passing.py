#!/usr/bin/env python3
"""Drops from a problem file the problems listed in a check_answers.py failures file.

Usage: keep_passing.py PROBLEMS FAILURES > KEPT

A failures line is ``FILE<TAB>PROBLEM<TAB>golden: …<TAB>library: …[<TAB>isl undecided]``, where
PROBLEM is the problem line itself (``OP<TAB>ARG…``). Comments and other problems are kept in order.
"""

import sys


def failing_problems(path):
    out = set()
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            end = next(k for k, x in enumerate(fields) if x.startswith("golden: "))
            out.add("\t".join(fields[1:end]))
    return out


def main():
    problems, failures = sys.argv[1:3]
    drop = failing_problems(failures)
    with open(problems) as f:
        for line in f:
            if line.rstrip("\n") not in drop:
                sys.stdout.write(line)


if __name__ == "__main__":
    main()
