#!/bin/sh
# run_case.sh — runs one data-driven test case: NAME.cmd holds the arguments to kader (one line,
# run with sh in the case's directory), and NAME.out / NAME.err / NAME.rc hold the expected
# stdout, stderr and exit status (a missing .out or .err means "must be empty", a missing .rc
# means 0). With UPDATE=1 the expectations are rewritten from the actual run instead.
set -u
kader=$1
case_file=$2
dir=$(dirname "$case_file")
name=$(basename "$case_file" .cmd)
cd "$dir" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
args=$(cat "$name.cmd")
NO_COLOR=1 KADER_PATH= eval "\"$kader\" $args" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
if [ "${UPDATE:-0}" = 1 ]; then
    if [ -s "$tmp/out" ]; then cp "$tmp/out" "$name.out"; else rm -f "$name.out"; fi
    if [ -s "$tmp/err" ]; then cp "$tmp/err" "$name.err"; else rm -f "$name.err"; fi
    if [ "$rc" != 0 ]; then echo "$rc" >"$name.rc"; else rm -f "$name.rc"; fi
    exit 0
fi
status=0
expected_rc=0
[ -f "$name.rc" ] && expected_rc=$(cat "$name.rc")
if [ "$rc" != "$expected_rc" ]; then
    echo "$case_file: exit status $rc, expected $expected_rc"
    status=1
fi
for stream in out err; do
    expected="$name.$stream"
    [ -f "$expected" ] || expected=/dev/null
    if ! diff -u "$expected" "$tmp/$stream" >"$tmp/diff"; then
        echo "$case_file: std$stream differs from $name.$stream:"
        cat "$tmp/diff"
        status=1
    fi
done
exit $status
