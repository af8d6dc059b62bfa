#!/bin/bash
# demo.sh BUILD_DIR - what `make demo` runs once the demos are built.
#
# For each fixtures/demo/<name>.c: runs the program bin/demo_<name>, then,
# next to its output, what viewcheck says about that source file
# (viewcheck <file> -- -Iruntime/include). The pair tells the story: the
# buggy program's wrong result and the finding that explains it; the fixed
# program's right result and no finding.
#
# viewcheck exits 1 when it finds something; that is the point of the demo,
# not a failure. Exit 2 (usage) or 3 (internal/parse error) fails the demo,
# and so does a demo program that exits non-zero or crashes.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
bin=${1:-build}/bin
vc=$bin/viewcheck
status=0

shopt -s nullglob
srcs=(fixtures/demo/*.c)
if [ ${#srcs[@]} -eq 0 ]; then
    echo "demo: no programs in fixtures/demo/"
    exit 1
fi
[ -x "$vc" ] || echo "demo: $vc is not built; showing program output only"

for src in "${srcs[@]}"; do
    name=$(basename "$src" .c)
    echo "==================================================================="
    echo "== $src"
    echo "-- program: $bin/demo_$name"
    "$bin/demo_$name"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "demo: demo_$name exited with $rc"
        status=1
    fi
    if [ -x "$vc" ]; then
        echo "-- viewcheck $src -- -Iruntime/include"
        "$vc" "$src" -- -Iruntime/include
        rc=$?
        case $rc in
            0) echo "(viewcheck: no findings)" ;;
            1) echo "(viewcheck: findings above, exit 1)" ;;
            *) echo "demo: viewcheck failed with exit $rc"; status=1 ;;
        esac
    fi
done

if [ -x "$vc" ]; then
    echo "==================================================================="
    echo "== the whole directory: $vc fixtures/demo/ -- -Iruntime/include"
    "$vc" fixtures/demo/ -- -Iruntime/include >/dev/null
    rc=$?
    case $rc in
        0 | 1) echo "(exit $rc)" ;;
        *) echo "demo: viewcheck failed with exit $rc"; status=1 ;;
    esac
fi
exit $status
