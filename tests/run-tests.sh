#!/bin/bash
# run-tests.sh - what `make test` runs after setup-deps.sh.
#
# Two full builds of the whole tree, each tested by ctest:
#   build/       plain (RelWithDebInfo), -Werror; adds the valgrind run of
#                the conformance vectors and the install check
#   build-asan/  Debug + ND_SANITIZE (ASan+UBSan, asserts on), -Werror
# Both builds keep going past a broken target (make -k) so one unfinished
# file does not hide every other result; a build error still fails the run.
# Ends with each ctest summary line and one total line
# "total: N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

jobs=${JOBS:-2}
status=0
summary=()
total_pass=0
total_fail=0

run_one() {   # name dir cmake-args...
    local name=$1 dir=$2
    shift 2
    echo "=== [$name] configure $dir"
    mkdir -p "$dir"
    if ! cmake -S . -B "$dir" -DVC_WERROR=ON "$@" >"$dir/configure.log" 2>&1; then
        cat "$dir/configure.log"
        summary+=("[$name] configure FAILED")
        status=1
        total_fail=$((total_fail + 1))
        return
    fi
    echo "=== [$name] build"
    cmake --build "$dir" -j"$jobs" -- -k 2>&1 |
        grep -vE '^\[ *[0-9]+%\] (Building|Built|Linking)|^g?make\[[0-9]+\]: (Entering|Leaving)'
    if [ "${PIPESTATUS[0]}" -ne 0 ]; then
        summary+=("[$name] build FAILED (errors above; tests of broken targets show Not Run)")
        status=1
    fi
    echo "=== [$name] ctest"
    local log="$dir/ctest.log"
    ctest --test-dir "$dir" -j"$jobs" --output-on-failure --no-tests=error 2>&1 | tee "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    local line
    line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
    if [ -n "$line" ]; then
        summary+=("[$name] $line")
        local failed ran
        failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
        ran=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
        total_pass=$((total_pass + ran - failed))
        total_fail=$((total_fail + failed))
    else
        summary+=("[$name] ctest ran no test")
        status=1
        total_fail=$((total_fail + 1))
    fi
    summary+=("$(sed -n '/The following tests FAILED/,/^Errors while/p' "$log" |
                 grep -E '^[[:space:]]+[0-9]+ - ' | sed "s/^[[:space:]]*/[$name]   failed: /")")
}

run_one plain build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DND_SANITIZE=OFF
run_one asan build-asan -DCMAKE_BUILD_TYPE=Debug -DND_SANITIZE=ON

echo
echo "=== make test summary"
for s in "${summary[@]}"; do
    [ -n "$s" ] && printf '%s\n' "$s"
done
echo "total: $total_pass passed, $total_fail failed"
exit $status
