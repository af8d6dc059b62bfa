#!/bin/sh
# analyzer_bench.sh - how much viewcheck costs on top of parsing.
#
# Usage: tests/bench/analyzer_bench.sh BUILD_DIR [LINES [SEED]]
#
# Generates a synthetic corpus (gen_corpus.py, default 200000 lines, seed 1)
# into a temporary directory, then times, best of 3 runs each:
#   parse-only  libclang's clang_parseTranslationUnit2 of every file, nothing
#               else (tests/bench/parse_only.c: BUILD_DIR/bin/vc-parse-only
#               if built, else compiled here against libclang-19)
#   viewcheck   viewcheck -j1 CORPUS -- -I runtime/include
# with the same clang arguments, run from the source root, single-threaded.
# Peak memory is /usr/bin/time -v's "Maximum resident set size" (Debian
# package `time`). Prints one table row; the target is ratio <= 1.10. The
# "cpu ratio" (user + system time, best of 3 each) is steadier than wall
# time when other jobs share the machine.
#
# Environment: BENCH_MAX_RATIO (exit 1 when the ratio is above it),
# PARSE_ONLY_FLAGS (default none; --detailed adds DetailedPreprocessingRecord:
# keep in step with viewcheck's parse options in analyzer/src/cx.c, see
# parse_only.c), KEEP_CORPUS=1 (print the corpus path, keep it).
#
# Exit: 0 measured, 1 ratio above BENCH_MAX_RATIO, 2 setup error (missing
# binary, viewcheck failed with a status other than 0/1).
set -eu

if [ $# -lt 1 ]; then
    echo "usage: $0 BUILD_DIR [LINES [SEED]]" >&2
    exit 2
fi
BUILD=$(cd "$1" && pwd)
LINES=${2:-200000}
SEED=${3:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
VC=$BUILD/bin/viewcheck
LLVM=/usr/lib/llvm-19
PY=/usr/bin/python3

if [ ! -x "$VC" ]; then
    echo "analyzer_bench: $VC not built" >&2
    exit 2
fi
if [ ! -x /usr/bin/time ]; then
    echo "analyzer_bench: /usr/bin/time missing (apt-get install time)" >&2
    exit 2
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vc-bench.XXXXXX")
if [ "${KEEP_CORPUS:-0}" = 1 ]; then
    echo "corpus kept in $TMP/corpus" >&2
else
    trap 'rm -rf "$TMP"' EXIT INT TERM
fi

PARSE=$BUILD/bin/vc-parse-only
if [ ! -x "$PARSE" ]; then
    PARSE=$TMP/vc-parse-only
    cc -std=c11 -O2 -D_GNU_SOURCE -I"$LLVM/include" "$HERE/parse_only.c" \
        -L"$LLVM/lib" -lclang -Wl,-rpath,"$LLVM/lib" -o "$PARSE"
fi

"$PY" "$HERE/gen_corpus.py" "$TMP/corpus" --lines "$LINES" --seed "$SEED" >"$TMP/gen.txt"
FILES=$(ls "$TMP/corpus" | wc -l)
NLINES=$(cat "$TMP/corpus"/*.c | wc -l)

# once LABEL CMD...: one run; wall time (s) into $T, peak RSS (KiB) into $R.
# Exit statuses 0 and 1 (findings) are both a normal run.
once() {
    label=$1
    shift
    t0=$(date +%s.%N)
    set +e
    (cd "$SRC" && /usr/bin/time -v -o "$TMP/time.txt" "$@" >"$TMP/out.$label" 2>"$TMP/err.txt")
    rc=$?
    set -e
    t1=$(date +%s.%N)
    if [ "$rc" -gt 1 ]; then
        echo "analyzer_bench: $label exited with $rc:" >&2
        tail -n 20 "$TMP/err.txt" >&2
        exit 2
    fi
    T=$(echo "$t1 $t0" | awk '{ printf "%.3f", $1 - $2 }')
    R=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/time.txt")
    C=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.3f", s }' "$TMP/time.txt")
    echo "  $label: ${T}s wall, ${C}s cpu, ${R} KiB" >&2
}

# Best of 3, the two commands interleaved so that load from other processes
# on a shared machine hits both alike.
P_TIME="" P_CPU="" P_RSS=0 V_TIME="" V_CPU="" V_RSS=0
for i in 1 2 3; do
    once parse-only "$PARSE" ${PARSE_ONLY_FLAGS:-} "$TMP/corpus" -- -I runtime/include
    P_TIME=$(echo "$P_TIME $T" | awk '{ print (NF == 1 || $2 < $1) ? $NF : $1 }')
    P_CPU=$(echo "$P_CPU $C" | awk '{ print (NF == 1 || $2 < $1) ? $NF : $1 }')
    [ "${R:-0}" -gt "$P_RSS" ] && P_RSS=$R
    once viewcheck "$VC" -j1 "$TMP/corpus" -- -I runtime/include
    V_TIME=$(echo "$V_TIME $T" | awk '{ print (NF == 1 || $2 < $1) ? $NF : $1 }')
    V_CPU=$(echo "$V_CPU $C" | awk '{ print (NF == 1 || $2 < $1) ? $NF : $1 }')
    [ "${R:-0}" -gt "$V_RSS" ] && V_RSS=$R
done
FINDINGS=$(grep -c 'warning:\|error:' "$TMP/out.viewcheck" || true)

RATIO=$(echo "$V_TIME $P_TIME" | awk '{ printf "%.3f", ($2 > 0 ? $1 / $2 : 0) }')
CPU_RATIO=$(echo "$V_CPU $P_CPU" | awk '{ printf "%.3f", ($2 > 0 ? $1 / $2 : 0) }')
printf '%6s %8s %13s %12s %7s %10s %14s %15s %9s\n' files lines "parse-only s" "viewcheck s" ratio \
    "cpu ratio" "parse RSS MiB" "vc RSS MiB" findings
printf '%6d %8d %13.3f %12.3f %7.3f %10.3f %14.1f %15.1f %9d\n' "$FILES" "$NLINES" "$P_TIME" \
    "$V_TIME" "$RATIO" "$CPU_RATIO" "$(echo "$P_RSS" | awk '{ print $1 / 1024 }')" \
    "$(echo "$V_RSS" | awk '{ print $1 / 1024 }')" "$FINDINGS"

if [ -n "${BENCH_MAX_RATIO:-}" ]; then
    if awk -v r="$RATIO" -v m="$BENCH_MAX_RATIO" 'BEGIN { exit !(r > m) }'; then
        echo "analyzer_bench: ratio $RATIO above $BENCH_MAX_RATIO" >&2
        exit 1
    fi
fi
exit 0
