#!/bin/bash
# run.sh [BUILD_DIR] - what `make bench` runs once nd-bench is built.
#
# Section 1: the runtime table (runtime_bench.py: libnd vs NumPy).
# Section 2: the analyzer benchmark, tests/bench/analyzer_bench.sh BUILD_DIR,
# when that script exists (viewcheck on a generated corpus: total time
# against libclang's parse alone, peak memory). Further sections go the same
# way: a script here, called below, printing its own table.
#
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this machine and slow
# NumPy down; they are unset for the benchmark only.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}

echo "== runtime: libnd vs NumPy"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    /usr/bin/python3 tests/bench/runtime_bench.py "$build/bin/nd-bench"

if [ -f tests/bench/analyzer_bench.sh ]; then
    echo
    echo "== analyzer: viewcheck"
    bash tests/bench/analyzer_bench.sh "$build"
fi
