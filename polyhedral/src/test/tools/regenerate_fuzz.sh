#!/bin/sh
# Regenerates polyhedral/src/test/resources/golden/fuzz.tsv: gen_fuzz.py problems with isl's answers,
# keeping only the problems the library answers right by isl's judgement (check_answers.py), so the
# file is a regression test of shapes the library handles; what it leaves out is printed.
# usage: regenerate_fuzz.sh [ORACLE_BINARY]   (from the repository root, after building the polyhedral
#        module; SEED=... and ROUNDS=... to change the defaults)
set -eu
oracle=${1:-/tmp/isl-oracle/isl_oracle}
seed=${SEED:-20261130}
rounds=${ROUNDS:-16}
here=$(cd "$(dirname "$0")" && pwd)
golden="$here/../resources/golden"
library="java -cp $here/../../../target/classes dev.tessera.polyhedral.calc.PolyCalculator"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_fuzz.py" --seed "$seed" --rounds "$rounds" --out "$work/all"
grep -v '^#' "$work/all/fuzz.problems.tsv" | "$oracle" -e | awk -F'\t' '$NF !~ /^error/' > "$work/plain.tsv"
python3 "$here/check_answers.py" --oracle "$oracle" --library "$library" --failures "$work/failures.tsv" "$work/plain.tsv"
echo "left out (library answer not judged right by isl):"
cut -f2- "$work/failures.tsv"
mkdir -p "$work/kept"
python3 "$here/keep_passing.py" "$work/all/fuzz.problems.tsv" "$work/failures.tsv" > "$work/kept/fuzz.problems.tsv"
python3 "$here/make_golden.py" --oracle "$oracle" --problems "$work/kept" --golden "$work/golden"
# a zero-dimensional answer ({ : N > 0 }, { : }) has no points to write: make_golden.py samples
# the empty tuple and prints it as "{  }", which reads as an empty union
grep -Ev '^#(in|out)	(\[[^]]*\] -> )?\{ *\}$' "$work/golden/fuzz.tsv" > "$golden/fuzz.tsv"
