#!/bin/sh
# run_case.sh — one golden case of tests/examples: evaluates examples/EXAMPLE.yaml with
# `kader eval --format json ARGS...` from the source directory and compares the report with
# tests/examples/CASE.json.
#
#   run_case.sh KADER SOURCE_DIR CASE EXAMPLE [ARGS...]
#
# With KADER_UPDATE_EXPECTED=1 the report is written to CASE.json instead. Read the diff before
# you keep it: each expected report was checked against the text of the AI Act.
set -u
if [ $# -lt 4 ]; then
    echo "usage: run_case.sh KADER SOURCE_DIR CASE EXAMPLE [ARGS...]" >&2
    exit 2
fi
kader=$1
src=$2
case=$3
example=$4
shift 4

cd "$src" || exit 2
expected="tests/examples/$case.json"
actual=$(mktemp "${TMPDIR:-/tmp}/kader-example.XXXXXX") || exit 2
errors=$(mktemp "${TMPDIR:-/tmp}/kader-example.XXXXXX") || exit 2
trap 'rm -f "$actual" "$errors"' EXIT

# Run with this tree's rules and standard library, whatever the environment says.
KADER_HOME="$src" KADER_PATH= NO_COLOR=1 "$kader" eval --format json "$@" "examples/$example.yaml" >"$actual" 2>"$errors"
status=$?
if [ "$status" -ge 2 ]; then
    echo "run_case.sh: kader eval exited with status $status for $case" >&2
    cat "$errors" >&2
    exit 1
fi
if [ -s "$errors" ]; then
    echo "run_case.sh: kader eval wrote to stderr for $case:" >&2
    cat "$errors" >&2
    exit 1
fi

if [ "${KADER_UPDATE_EXPECTED:-}" = 1 ]; then
    cp "$actual" "$expected"
    echo "run_case.sh: wrote $expected"
    exit 0
fi
if [ ! -f "$expected" ]; then
    echo "run_case.sh: $expected does not exist (KADER_UPDATE_EXPECTED=1 writes it)" >&2
    exit 1
fi
diff -u "$expected" "$actual"
