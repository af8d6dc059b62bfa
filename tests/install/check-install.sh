#!/bin/sh
# check-install.sh BUILD_DIR THIS_DIR CC CMAKE
#
# Installs the libnd of BUILD_DIR into a fresh temporary prefix, then builds
# and runs consumer.c from outside the project two ways: with pkg-config
# (shared libnd, rpath to the prefix) and with find_package(nd) (nd::nd, the
# static library). Proves the installed header, libraries, nd.pc and
# ndConfig.cmake are complete and relocatable. Removes the prefix on exit.
set -eu
build=$1 here=$2 cc=$3 cmake=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nd-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$cmake" --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" ||
    { cat "$tmp/install.log"; exit 1; }

pcdir=$(dirname "$(find "$tmp/prefix" -name nd.pc | head -n 1)")
[ -f "$pcdir/nd.pc" ] || { echo "nd.pc not installed"; exit 1; }
[ -f "$tmp/prefix/include/nd.h" ] || { echo "nd.h not installed"; exit 1; }

echo "== pkg-config"
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs nd)
libdir=$(PKG_CONFIG_PATH="$pcdir" pkg-config --variable=libdir nd)
echo "pkg-config --cflags --libs nd: $flags"
# shellcheck disable=SC2086 # $flags is a list of words by design
"$cc" -std=c11 -Wall -Wextra -Werror -o "$tmp/consumer-pc" "$here/consumer.c" \
    $flags -Wl,-rpath,"$libdir"
"$tmp/consumer-pc"

echo "== find_package(nd)"
"$cmake" -S "$here" -B "$tmp/cb" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
    -DCMAKE_C_COMPILER="$cc" >"$tmp/cmake.log" 2>&1 ||
    { cat "$tmp/cmake.log"; exit 1; }
"$cmake" --build "$tmp/cb" >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log"; exit 1; }
"$tmp/cb/consumer"
echo "install check: 2 passed, 0 failed"
