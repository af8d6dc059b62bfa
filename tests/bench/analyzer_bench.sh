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
# package `time`). Prints one table row; the target is ratio <= 1.10.
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

# run LABEL CMD...: best wall time (s) of 3 runs into $BEST, largest peak RSS
# (KiB) into $RSS. Exit statuses 0 and 1 (findings) are both a normal run.
run() {
    label=$1
    shift
    BEST=""
    RSS=0
    for i in 1 2 3; do
        t0=$(date +%s.%N)
        set +e
        (cd "$SRC" && /usr/bin/time -v -o "$TMP/time.txt" "$@" >"$TMP/out.txt" 2>"$TMP/err.txt")
        rc=$?
        set -e
        t1=$(date +%s.%N)
        if [ "$rc" -gt 1 ]; then
            echo "analyzer_bench: $label exited with $rc:" >&2
            tail -n 20 "$TMP/err.txt" >&2
            exit 2
        fi
        t=$(echo "$t1 $t0" | awk '{ printf "%.3f", $1 - $2 }')
        r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/time.txt")
        BEST=$(echo "$BEST $t" | awk '{ if ($1 == "" || NF == 1) print $NF; else print ($2 < $1 ? $2 : $1) }')
        [ "${r:-0}" -gt "$RSS" ] && RSS=$r
        echo "  $label run $i: ${t}s, ${r} KiB" >&2
    done
}

run parse-only "$PARSE" ${PARSE_ONLY_FLAGS:-} "$TMP/corpus" -- -I runtime/include
P_TIME=$BEST
P_RSS=$RSS
run viewcheck "$VC" -j1 "$TMP/corpus" -- -I runtime/include
V_TIME=$BEST
V_RSS=$RSS
FINDINGS=$(grep -c 'warning:\|error:' "$TMP/out.txt" || true)

RATIO=$(echo "$V_TIME $P_TIME" | awk '{ printf "%.3f", ($2 > 0 ? $1 / $2 : 0) }')
printf '%6s %8s %13s %12s %7s %15s %15s %9s\n' files lines "parse-only s" "viewcheck s" ratio \
    "parse RSS MiB" "vc RSS MiB" findings
printf '%6d %8d %13.3f %12.3f %7.3f %15.1f %15.1f %9d\n' "$FILES" "$NLINES" "$P_TIME" "$V_TIME" \
    "$RATIO" "$(echo "$P_RSS" | awk '{ print $1 / 1024 }')" \
    "$(echo "$V_RSS" | awk '{ print $1 / 1024 }')" "$FINDINGS"

if [ -n "${BENCH_MAX_RATIO:-}" ]; then
    if awk -v r="$RATIO" -v m="$BENCH_MAX_RATIO" 'BEGIN { exit !(r > m) }'; then
        echo "analyzer_bench: ratio $RATIO above $BENCH_MAX_RATIO" >&2
        exit 1
    fi
fi
exit 0
