#!/bin/sh
# replay_cli.sh — runs the kader command itself over every fuzz seed and regression input, the
# way a user would hand it such a file: rules to `kader check`, facts to `kader eval` (against
# tests/fuzz/facts.kdr), rules+facts split at the "%%" line to `kader eval`, documents split at
# "%%" lines to `kader compile`, decision trees (and categories after "%%") to `kader compile`.
# Each run must exit 0 or 2 within the time limit, print no sanitizer report, and a compile that
# fails must leave its output directory empty.
#
# usage: replay_cli.sh KADER FUZZDIR
set -u
kader=$1
fuzz=$(cd "$2" && pwd)
case $kader in /*) ;; *) kader=$(pwd)/$kader ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
limit=${KADER_REPLAY_TIMEOUT:-20}
failures=0
count=0

# run NAME ARGS...: runs kader in $tmp/work with the limit; records a failure unless 0 or 2.
run() {
    name=$1
    shift
    count=$((count + 1))
    (cd "$tmp/work" && NO_COLOR=1 KADER_PATH= timeout "$limit" "$kader" "$@" \
        >"$tmp/out" 2>"$tmp/err" </dev/null)
    rc=$?
    if [ "$rc" != 0 ] && [ "$rc" != 2 ]; then
        [ "$rc" = 124 ] && what="no answer within ${limit}s" || what="exit status $rc"
        echo "FAIL: $name: kader $*: $what"
        tail -n 20 "$tmp/err"
        failures=$((failures + 1))
        return 1
    fi
    if grep -q -E 'Sanitizer|runtime error:|LeakSanitizer' "$tmp/err"; then
        echo "FAIL: $name: kader $*: sanitizer report"
        cat "$tmp/err"
        failures=$((failures + 1))
        return 1
    fi
    return 0
}

# split FILE DIR MAX: writes the parts of FILE between lines "%%" as DIR/1, DIR/2, ... (at most
# MAX parts; the last takes the rest), the way the fuzz targets split their inputs.
split_parts() {
    file=$1
    dir=$2
    max=$3
    mkdir -p "$dir"
    cp "$file" "$dir/rest"
    i=1
    while [ "$i" -lt "$max" ]; do
        line=$(grep -a -n -x -m 1 '%%' "$dir/rest" | cut -d: -f1)
        [ -n "$line" ] || break
        head -n "$((line - 1))" "$dir/rest" >"$dir/$i"
        tail -n "+$((line + 1))" "$dir/rest" >"$dir/rest.next"
        mv "$dir/rest.next" "$dir/rest"
        i=$((i + 1))
    done
    mv "$dir/rest" "$dir/$i"
}

inputs() {
    for kind in corpus regressions; do
        [ -d "$fuzz/$kind/$1" ] && find "$fuzz/$kind/$1" -type f ! -name '.*' | sort
    done
}

fresh_work() {
    rm -rf "$tmp/work"
    mkdir -p "$tmp/work"
}

for input in $(inputs rules); do
    fresh_work
    cp "$input" "$tmp/work/fuzz.kdr"
    run "$input" check --no-stdlib fuzz.kdr
done

for input in $(inputs facts); do
    fresh_work
    if [ "$(head -n 1 "$input")" = "set:" ]; then
        # One --set per line, as the fuzz target reads them.
        set --
        while IFS= read -r line; do
            set -- "$@" --set "$line"
        done <<EOF
$(tail -n +2 "$input" | tr -d '\000')
EOF
        run "$input" eval --no-stdlib --rules "$fuzz/facts.kdr" --date 2026-08-02 "$@"
    else
        cp "$input" "$tmp/work/facts.yaml"
        run "$input" eval --no-stdlib --rules "$fuzz/facts.kdr" --format json facts.yaml
    fi
done

for input in $(inputs eval); do
    fresh_work
    split_parts "$input" "$tmp/work/parts" 2
    mv "$tmp/work/parts/1" "$tmp/work/rules.kdr"
    if [ -f "$tmp/work/parts/2" ]; then mv "$tmp/work/parts/2" "$tmp/work/facts.yaml"; else : >"$tmp/work/facts.yaml"; fi
    run "$input" eval --no-stdlib --rules rules.kdr --date 2026-08-02 --format json facts.yaml
done

for input in $(inputs compile); do
    fresh_work
    split_parts "$input" "$tmp/work/parts" 8
    mkdir -p "$tmp/work/in"
    for part in "$tmp/work/parts"/*; do
        n=$(basename "$part")
        mv "$part" "$tmp/work/in/$(echo "$n" | tr 12345678 abcdefgh).md"
    done
    if run "$input" compile in -o out && [ "$rc" = 2 ] && [ -d "$tmp/work/out" ] &&
        [ -n "$(ls -A "$tmp/work/out")" ]; then
        echo "FAIL: $input: compile failed but left files in its output directory:"
        ls -A "$tmp/work/out"
        failures=$((failures + 1))
    fi
done

for input in $(inputs tree); do
    fresh_work
    split_parts "$input" "$tmp/work/parts" 2
    mv "$tmp/work/parts/1" "$tmp/work/decision-tree.yaml"
    # The compiler reads categories.yaml from beside the tree, as the fuzz target passes it.
    [ -f "$tmp/work/parts/2" ] && mv "$tmp/work/parts/2" "$tmp/work/categories.yaml"
    if run "$input" compile decision-tree.yaml -o out && [ "$rc" = 2 ] && [ -d "$tmp/work/out" ] &&
        [ -n "$(ls -A "$tmp/work/out")" ]; then
        echo "FAIL: $input: compile failed but left files in its output directory:"
        ls -A "$tmp/work/out"
        failures=$((failures + 1))
    fi
done

echo "replay_cli: $count runs, $failures failed"
[ "$failures" = 0 ]
