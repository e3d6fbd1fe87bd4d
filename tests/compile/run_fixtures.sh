#!/bin/sh
# run_fixtures.sh — golden tests of `kader compile` on the project's own fixture documents: the
# rule files and the exact messages for the 2024 and 2026 formats, an unknown format, literate
# rules, input errors (nothing written), --stdout, --werror and the command line.
#
# usage: run_fixtures.sh KADER TESTDIR WORKDIR
#   KADER    the kader executable
#   TESTDIR  tests/compile (holds fixtures/ and expected/)
#   WORKDIR  scratch directory, emptied first
# UPDATE=1 (or KADER_UPDATE_EXPECTED=1) writes the results into expected/ instead of comparing (review the diff).
set -u
KADER=$1
case $KADER in /*) ;; *) KADER=$(pwd)/$KADER ;; esac
TESTDIR=$(cd "$2" && pwd)
WORK=$3
EXPECTED=$TESTDIR/expected
UPDATE=${KADER_UPDATE_EXPECTED:-${UPDATE:-0}}
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# same EXPECTED-PATH ACTUAL-PATH: compares a file or a directory with its expected form.
same() {
    if [ "$UPDATE" = 1 ]; then
        rm -rf "$1"
        mkdir -p "$(dirname "$1")"
        cp -R "$2" "$1"
        return
    fi
    if ! diff -ru "$1" "$2"; then
        fail "$2 differs from $1"
    fi
}

# run NAME WANT-STATUS ARGS...: runs kader compile in WORK, keeps stdout and stderr.
run() {
    name=$1
    want=$2
    shift 2
    "$KADER" compile "$@" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
    got=$?
    if [ "$got" != "$want" ]; then
        fail "$name: exit status $got, expected $want"
        cat "$WORK/$name.stderr"
    fi
}

rm -rf "$WORK"
mkdir -p "$WORK"
cp -R "$TESTDIR/fixtures/." "$WORK/"
# Two documents whose names differ only in case. The twin is kept in another directory so the
# repository can be checked out on a file system that ignores case.
cp "$WORK/2024-twin/toezicht_menselijk.md" "$WORK/2024/vereisten/toezicht_menselijk.md"
cd "$WORK" || exit 2

# 2024 format: maps, the table cross-check, quirks, measures.
run 2024 0 2024/vereisten 2024/maatregelen -o out/2024
same "$EXPECTED/2024" out/2024
same "$EXPECTED/2024.stderr" 2024.stderr

# Same input, same output; unchanged files are left alone.
run 2024-again 0 -v 2024/vereisten 2024/maatregelen -o out/2024
same "$EXPECTED/2024" out/2024
grep -q '7 rule files in out/2024: 0 written, 7 unchanged' 2024-again.stderr ||
    fail "a second compile rewrote files: $(cat 2024-again.stderr)"

# 2026 format, read recursively from one directory.
run 2026 0 2026 -o out/2026
same "$EXPECTED/2026" out/2026
same "$EXPECTED/2026.stderr" 2026.stderr

# A format never seen, literate rules, a README that is not a requirement.
run other 0 other -o out/other
same "$EXPECTED/other" out/other
same "$EXPECTED/other.stderr" other.stderr

# What was compiled loads, together with the stdlib.
"$KADER" check -q out/2024 out/2026 out/other >check.out 2>&1 || {
    fail "the compiled fixtures do not load"
    cat check.out
}

# Errors: every one reported with its place; no file written or changed.
mkdir -p out/errors
echo "old" >out/errors/overal_geldig.kdr
run errors 2 errors 2024/vereisten/overal_geldig.md -o out/errors
same "$EXPECTED/errors.stderr" errors.stderr
[ "$(ls -A out/errors)" = "overal_geldig.kdr" ] || fail "errors: the output directory changed: $(ls -A out/errors)"
[ "$(cat out/errors/overal_geldig.kdr)" = "old" ] || fail "errors: an existing file was overwritten"

# A NUL byte in a ```kader block (found by fuzz_compile): the rule file would end at it.
printf '```kader\nfact f : bool\nlet g = f # \000 end\n```\n' >nul-in-block.md
run nul-in-block 2 nul-in-block.md -o out/nul
grep -q '^nul-in-block.md:3:13: error: a ```kader block holds a NUL byte$' nul-in-block.stderr ||
    { fail "nul-in-block: not the expected message"; cat nul-in-block.stderr; }
[ ! -e out/nul ] || fail "nul-in-block: the output directory was created"

# --werror: the warnings of the 2024 fixtures become errors; nothing is created.
run werror 2 --werror 2024/vereisten 2024/maatregelen -o out/werror
same "$EXPECTED/werror.stderr" werror.stderr
[ ! -e out/werror ] || fail "werror: the output directory was created"

# --stdout: one requirement (with its measures) to standard output.
run stdout 0 --stdout 2026/vereisten/hrs-01-risicobeheer.md 2026/maatregelen
same "$EXPECTED/2026/hrs-01-risicobeheer.kdr" stdout.stdout
run stdout-many 2 --stdout 2026/vereisten
same "$EXPECTED/stdout-many.stderr" stdout-many.stderr

# The command line.
run help 0 --help
grep -q '^usage: kader compile' help.stdout || fail "--help prints no usage"
run no-output 2 2024/vereisten
same "$EXPECTED/no-output.stderr" no-output.stderr
run bad-option 2 --outptu x 2024/vereisten
same "$EXPECTED/bad-option.stderr" bad-option.stderr
run no-input 2 -o out/none
run missing 2 does-not-exist.md -o out/missing
same "$EXPECTED/missing.stderr" missing.stderr

# Atomic writes leave no temporary files behind.
leftovers=$(find out -name '.*' -type f)
[ -z "$leftovers" ] || fail "temporary files left: $leftovers"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "compile fixtures: all passed"
