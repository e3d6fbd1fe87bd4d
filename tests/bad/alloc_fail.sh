#!/bin/sh
# alloc_fail.sh — allocation-failure injection: for a real evaluation (the stdlib and the default
# rules over an example), a compile of requirement documents and a check of the default rules,
# makes the Nth allocation fail (KADER_FAIL_ALLOC=N) for every N from 1 up to the number of
# allocations the run makes. Every such run must exit 2 with "kader: error: out of memory" as the
# last line on stderr (no crash, no sanitizer report), print no report on stdout, and leave no
# file behind in compile's output directory. N past the count must give the normal result.
#
# usage: alloc_fail.sh KADER SOURCE_DIR
#   ALLOC_FAIL_STEP=K  tries every Kth N only (default 1: every allocation)
set -u
kader=$1
src=$(cd "$2" && pwd)
case $kader in /*) ;; *) kader=$(pwd)/$kader ;; esac
step=${ALLOC_FAIL_STEP:-1}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
failures=0
total_runs=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# run N ARGS...: kader with the Nth allocation failing (N=0: none), output in $work/out, err.
run() {
    n=$1
    shift
    rm -rf compiled
    if [ "$n" = 0 ]; then
        NO_COLOR=1 KADER_PATH= timeout 60 "$kader" "$@" >out 2>err </dev/null
    else
        NO_COLOR=1 KADER_PATH= KADER_FAIL_ALLOC=$n timeout 60 "$kader" "$@" >out 2>err </dev/null
    fi
    rc=$?
}

# The smallest N whose run succeeds is one more than the number of allocations: the first run
# that never reaches its Nth allocation. Runs are deterministic, so a binary search finds it.
count_allocations() {
    lo=1 hi=1
    while :; do
        run "$hi" "$@"
        grep -q 'out of memory' err || break
        lo=$hi
        hi=$((hi * 2))
    done
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        run "$mid" "$@"
        if grep -q 'out of memory' err; then lo=$mid; else hi=$mid; fi
    done
    echo "$lo"
}

sweep() {
    name=$1
    shift
    run 0 "$@"
    normal_rc=$rc
    cp out normal.out
    if [ "$normal_rc" != 0 ]; then
        fail "$name: the run without injection exited $normal_rc"
        cat err
        return
    fi
    allocations=$(count_allocations "$@")
    n=1
    runs=0
    while [ "$n" -le "$allocations" ]; do
        run "$n" "$@"
        runs=$((runs + 1))
        last=$(tail -n 1 err)
        if [ "$rc" != 2 ] || [ "$last" != "kader: error: out of memory" ]; then
            fail "$name: KADER_FAIL_ALLOC=$n: exit status $rc, last line of stderr: $last"
            tail -n 30 err
        elif [ -s out ]; then
            fail "$name: KADER_FAIL_ALLOC=$n: output on stdout after running out of memory"
        elif [ -d compiled ] && [ -n "$(ls -A compiled)" ]; then
            fail "$name: KADER_FAIL_ALLOC=$n: files left in the output directory: $(ls -A compiled | head -3)"
        fi
        if grep -q -E 'Sanitizer|runtime error:' err; then
            fail "$name: KADER_FAIL_ALLOC=$n: sanitizer report"
            cat err
        fi
        [ "$failures" -gt 20 ] && { echo "alloc_fail: too many failures, stopping"; exit 1; }
        n=$((n + step))
    done
    # One past the count: the normal result again.
    run $((allocations + 1)) "$@"
    if [ "$rc" != 0 ] || ! cmp -s out normal.out; then
        fail "$name: KADER_FAIL_ALLOC=$((allocations + 1)) (one past the $allocations allocations) did not give the normal result"
    fi
    total_runs=$((total_runs + runs + 1))
    echo "alloc_fail: $name: $allocations allocations, $runs runs with one failing"
}

cp -R "$src/tests/compile/fixtures/2026" docs
sweep eval eval --date 2026-08-02 --format json "$src/examples/cv-selectie.yaml"
sweep eval-text eval --date 2026-08-02 "$src/examples/onvolledig-feiten.yaml"
sweep compile compile docs -o compiled
sweep check check

echo "alloc_fail: $total_runs runs, $failures failed"
[ "$failures" = 0 ]
