#!/bin/sh
# Regenerates polyhedral/src/test/resources/golden/*.tsv with isl.
# usage: regenerate.sh [ORACLE_BINARY]   (default /tmp/isl-oracle/isl_oracle; SEED=... to change the seed)
set -eu
oracle=${1:-/tmp/isl-oracle/isl_oracle}
seed=${SEED:-20261129}
here=$(cd "$(dirname "$0")" && pwd)
golden="$here/../resources/golden"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_problems.py" --seed "$seed" --out "$work/problems"
python3 "$here/make_golden.py" --oracle "$oracle" --problems "$work/problems" --golden "$golden"
