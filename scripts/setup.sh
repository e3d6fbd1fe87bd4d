#!/bin/sh
# setup.sh — installs what kader needs on Debian 12 (when missing) and builds it into build/.
# Usage: scripts/setup.sh [BUILD_DIR [CMAKE_OPTIONS...]]
set -eu
cd "$(dirname "$0")/.."
packages="cmake gcc make flex bison libyaml-dev libcjson-dev pkg-config"
missing=""
for p in $packages; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing" >&2
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
build=${1:-build}
[ $# -gt 0 ] && shift
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
echo "setup: built $build/kader" >&2
