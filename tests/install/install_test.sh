#!/bin/sh
# install_test.sh — installs kader into a temporary prefix, then uses only what was installed:
# the binary from another directory, the man page, and examples/embed.c built with pkg-config.
set -eu
build=$1
source=$2
prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
cd "$work"
# the installed binary finds the installed stdlib and rules, from any directory
env -u KADER_HOME "$prefix/bin/kader" eval --format json --date 2026-09-01 "$source/examples/chatbot-gemeente.yaml" >report.json
grep -q '"schema": "https://kader.dev/schema/report/1"' report.json
env -u KADER_HOME "$prefix/bin/kader" check --quiet
# the man page documents every command
commands=$("$prefix/bin/kader" --help | awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
for c in $commands; do
    grep -q "^\.SS kader $c\$" "$prefix/share/man/man1/kader.1" || { echo "man page lacks 'kader $c'"; exit 1; }
done
if command -v man >/dev/null 2>&1; then man -l "$prefix/share/man/man1/kader.1" >/dev/null 2>&1; fi
# embed.c builds from the installed files alone and gives the obligations
if ! command -v pkg-config >/dev/null 2>&1; then
    echo "pkg-config is not installed: skipping the embedding part"
    exit 77
fi
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -std=c11 -Wall -Wextra -o embed "$source/examples/embed.c" $(pkg-config --cflags --libs kader)
LD_LIBRARY_PATH="$prefix/lib" env -u KADER_HOME ./embed 2026-09-01 >embed.out
grep -q "urn:nl:ak:ver:aia-28" embed.out || { echo "embed: the transparency obligation is missing"; cat embed.out; exit 1; }
# and statically, with internal symbols hidden
cc -std=c11 -Wall -Wextra -o embed-static "$source/examples/embed.c" -I"$prefix/include" "$prefix/lib/libkader.a" -lyaml -lcjson -lm
KADER_HOME="$prefix/share/kader" ./embed-static 2026-09-01 >embed-static.out
cmp embed.out embed-static.out
echo "install: binary, man page, pkg-config, shared and static embedding all work from $prefix"
