#!/bin/sh
# valgrind.sh — the whole ctest suite under valgrind memcheck: builds kader in its own build
# directory, puts every program the tests run (kader, the unit tests, the replay drivers) behind
# a wrapper that runs it under memcheck, runs ctest, and reports the errors and leaks that
# memcheck found over all runs. Exit status 0 only with 0 errors and 0 leaks.
#
# usage: tests/valgrind.sh [BUILD_DIR] [CTEST_ARGS...]     (default build-valgrind)
#   e.g. tests/valgrind.sh build-valgrind -R 'cases|replay'
# The install test is left out (it installs the programs, and would install the wrappers), and
# allocation-failure injection tries every 25th allocation only (every one is tried in the
# ordinary and the sanitizer runs). Logs: BUILD_DIR/valgrind-logs/PID.log.
set -eu
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
build=${1:-build-valgrind}
[ $# -gt 0 ] && shift
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
logs=$build/valgrind-logs

# Put the real programs back first, so that the build sees them and relinks what changed.
if [ -d "$build" ]; then
    find "$build" -name '*.valgrind-real' | while IFS= read -r real; do
        mv -f "$real" "${real%.valgrind-real}"
    done
fi
mkdir -p "$build"
{ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build "$build" -j "$(nproc)"; } \
    >"$build/valgrind-build.log" 2>&1 || { cat "$build/valgrind-build.log" >&2; exit 2; }

rm -rf "$logs"
mkdir -p "$logs"
chmod 1777 "$logs" # the permission tests run kader as nobody
wrapped=0
for program in $(find "$build" -type f -perm -u+x ! -path '*/CMakeFiles/*' ! -name '*.sh' ! -name '*.so*'); do
    [ "$(head -c 4 "$program" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
    mv "$program" "$program.valgrind-real"
    cat >"$program" <<EOF
#!/bin/sh
# Written by tests/valgrind.sh: runs the real program under memcheck.
exec valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,possible \\
    --errors-for-leak-kinds=definite,possible \\
    --log-file="$logs/%p.log" "$program.valgrind-real" "\$@"
EOF
    chmod +x "$program"
    wrapped=$((wrapped + 1))
done
echo "valgrind.sh: $wrapped programs run under memcheck" >&2

status=0
ALLOC_FAIL_STEP=25 KADER_REPLAY_TIMEOUT=300 \
    ctest --test-dir "$build" --output-on-failure -E '^install\.' --timeout 3600 "$@" || status=$?

runs=$(find "$logs" -name '*.log' | wc -l)
error_logs=$(grep -L 'ERROR SUMMARY: 0 errors' "$logs"/*.log 2>/dev/null | wc -l)
leak_logs=$(grep -l -E '(definitely|possibly) lost: [1-9]' "$logs"/*.log 2>/dev/null | wc -l)
echo "valgrind.sh: $runs programs run under memcheck: $error_logs with errors, $leak_logs with leaks (ctest exit status $status)"
if [ "$error_logs" != 0 ] || [ "$leak_logs" != 0 ]; then
    { grep -L 'ERROR SUMMARY: 0 errors' "$logs"/*.log; grep -l -E '(definitely|possibly) lost: [1-9]' "$logs"/*.log; } 2>/dev/null |
        sort -u | head -n 5 | while IFS= read -r log; do
        echo "--- $log"
        head -n 60 "$log"
    done
    status=1
fi
exit "$status"
