#!/bin/sh
# fuzz.sh — builds the libFuzzer targets (clang, -DKADER_FUZZ=ON, in build-fuzz/) and runs each
# for a fixed time or number of executions, then prints the figures that tests/fuzz/README.md
# records: executions, executions per second, coverage, corpus size and findings.
#
# usage: scripts/fuzz.sh [-t SECONDS | -n RUNS] [-j PARALLEL] [--fresh] [TARGET...]
#   -t SECONDS   run each target this long (default 60: the CI smoke)
#   -n RUNS      run each target for this many executions instead
#   -j PARALLEL  targets run at the same time (default 1; each fuzzer uses one core)
#   --fresh      start from the seed corpus only, forgetting what earlier runs found
#   TARGET       rules facts eval compile ... (default: every tests/fuzz/fuzz_*.c)
#
# The working corpus of each target grows in build-fuzz/fuzz-corpus/TARGET (outside the repo)
# from tests/fuzz/corpus/TARGET; logs go to build-fuzz/fuzz-logs, and anything found (crash-*,
# leak-*, timeout-*, oom-*) to build-fuzz/fuzz-artifacts/TARGET. Exit status 1 when anything
# was found. Minimise a finding with `build-fuzz/tests/fuzz/fuzz_TARGET -minimize_crash=1
# -runs=10000 FILE` and add it to tests/fuzz/regressions/TARGET/, which ctest replays.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=60
runs=""
parallel=1
fresh=0
targets=""
while [ $# -gt 0 ]; do
    case $1 in
    -t) seconds=$2; shift 2 ;;
    -n) runs=$2; shift 2 ;;
    -j) parallel=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) targets="$targets $1"; shift ;;
    esac
done
if [ -z "$targets" ]; then
    for f in tests/fuzz/fuzz_*.c; do
        t=${f#tests/fuzz/fuzz_}
        targets="$targets ${t%.c}"
    done
fi
if ! command -v clang >/dev/null; then
    # libFuzzer comes with clang; install it the way scripts/setup.sh installs the rest.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "fuzz.sh: installing clang" >&2
        # libFuzzer's runtime is a package that clang only recommends.
        apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --install-recommends clang >/dev/null
    fi
    command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (apt-get install clang)" >&2; exit 2; }
fi

build=$root/build-fuzz
mkdir -p "$build"
CC=clang cmake -S . -B "$build" -DKADER_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/fuzz-build.log" 2>&1 ||
    { cat "$build/fuzz-build.log" >&2; exit 2; }
fuzz_bins=""
for t in $targets; do
    [ -f "tests/fuzz/fuzz_$t.c" ] || { echo "fuzz.sh: no target '$t' (tests/fuzz/fuzz_$t.c)" >&2; exit 2; }
    fuzz_bins="$fuzz_bins fuzz_$t"
done
# shellcheck disable=SC2086
cmake --build "$build" -j 2 --target $fuzz_bins >>"$build/fuzz-build.log" 2>&1 ||
    { cat "$build/fuzz-build.log" >&2; exit 2; }

# Longest input each target mutates: enough for any real file of its kind, short enough to keep
# executions fast.
max_len() {
    case $1 in
    facts) echo 4096 ;;
    *) echo 8192 ;;
    esac
}

run_target() {
    t=$1
    work=$build/fuzz-corpus/$t
    artifacts=$build/fuzz-artifacts/$t
    log=$build/fuzz-logs/$t.log
    [ "$fresh" = 1 ] && rm -rf "$work"
    mkdir -p "$work" "$artifacts" "$build/fuzz-logs"
    set -- -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2560 -malloc_limit_mb=1024 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" -close_fd_mask=3
    [ -f "tests/fuzz/$t.dict" ] && set -- "$@" -dict="tests/fuzz/$t.dict"
    if [ -n "$runs" ]; then set -- "$@" -runs="$runs"; else set -- "$@" -max_total_time="$seconds"; fi
    # The working corpus comes first: libFuzzer adds what it finds there, never to the seeds.
    # Regression inputs are seeds too (one that still fails stops the run at once, and says so).
    set -- "$@" "$work" "tests/fuzz/corpus/$t"
    [ -d "tests/fuzz/regressions/$t" ] && set -- "$@" "tests/fuzz/regressions/$t"
    "$build/tests/fuzz/fuzz_$t" "$@" >"$log" 2>&1 || true
}

running=0
for t in $targets; do
    if [ -n "$runs" ]; then what="$runs executions"; else what="${seconds}s"; fi
    echo "fuzz.sh: running $t ($what)" >&2
    run_target "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$parallel" ]; then
        wait
        running=0
    fi
done
wait

found=0
printf '%-10s %12s %8s %8s %9s %8s %s\n' target executions exec/s coverage features corpus findings
for t in $targets; do
    log=$build/fuzz-logs/$t.log
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
    n=$(find "$build/fuzz-artifacts/$t" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' -o -name 'slow-unit-*' \) | wc -l)
    status=$(grep -E '^==[0-9]+==ERROR|^SUMMARY|fuzz oracle failed|ALARM' "$log" | head -1 || true)
    printf '%-10s %12s %8s %8s %9s %8s %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" \
        "${corp:-?}" "$n${status:+  ($status)}"
    [ "$n" -gt 0 ] && found=1
    [ -z "$execs" ] && { echo "fuzz.sh: $t did not finish; see $log" >&2; found=1; }
done
[ "$found" = 0 ] || echo "fuzz.sh: findings in $build/fuzz-artifacts (logs in $build/fuzz-logs)" >&2
exit "$found"
