#!/bin/sh
# setup-deps.sh [EXTRA_PACKAGE...]
#
# Makes sure the Debian packages the build and the tests need are installed,
# before `make test`, `make demo` or `make bench` configures anything. A
# fresh Debian 12 has none of them; this is the project's only install step.
#
# Checks each package with dpkg-query. Missing ones are installed with
# apt-get when running as root (noninteractive, no recommends: every package
# needed is named here); otherwise it prints the exact command to run and
# exits 1. Prints nothing when all is in place, so a warm run stays quiet.
# Extra packages (e.g. valgrind, for `make test`) are passed as arguments.
set -eu

packages="gcc libc6-dev make cmake pkg-config check libcjson-dev \
libclang-19-dev python3 python3-numpy $*"

missing=""
for p in $packages; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "setup-deps: missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "setup-deps: not root; install them with:"
    echo "  sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing'"
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086 # $missing is a list of package names
apt-get install -y -q --no-install-recommends $missing
