#!/usr/bin/env python3
"""Reads a Maven build log and prints the test totals of every Surefire and Failsafe run in it
(one line per module, then 'tests: N passed, N failed, N skipped')."""
import re
import sys

MODULE = re.compile(r"^\[INFO\] -+< dev\.tessera:(\S+) >-+")
TOTALS = re.compile(r"^\[(?:INFO|WARNING|ERROR)\] Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)$")

log = sys.argv[1] if len(sys.argv) > 1 else "target/test.log"
module = "?"
per_module = {}
with open(log, encoding="utf-8", errors="replace") as f:
    for line in f:
        line = re.sub(r"\x1b\[[0-9;]*m", "", line.rstrip("\n"))
        m = MODULE.match(line)
        if m:
            module = m.group(1)
            continue
        m = TOTALS.match(line)
        if m:
            counts = per_module.setdefault(module, [0, 0, 0, 0])
            for i in range(4):
                counts[i] += int(m.group(i + 1))
totals = [0, 0, 0, 0]
for module, c in per_module.items():
    print(f"{module:28s} tests {c[0]:6d}  failures {c[1]:4d}  errors {c[2]:4d}  skipped {c[3]:4d}")
    totals = [a + b for a, b in zip(totals, c)]
run, failures, errors, skipped = totals
print(f"tests: {run - failures - errors - skipped} passed, {failures + errors} failed, {skipped} skipped")
