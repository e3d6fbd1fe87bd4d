#!/bin/bash
# run.sh — kader against CLIPS, json-rules-engine and ZEN on the same rules and the same facts.
#
# usage: bench/run.sh [N...]        (default: 10000 systems)
#
# On a fresh Debian 12 machine it installs what it needs (apt: the build tools, clips, nodejs,
# npm, time; npm: the two JavaScript engines into bench/peers/), builds kader and the benchmark
# programs into bench/peers/build, and then, for each N:
#   1. generates N facts files of varied systems (bench/gen-facts.js);
#   2. runs every engine over all of them once and stops unless all give the same answers
#      (requirement statuses, in force, timing, procedures and routes, labels, warnings);
#   3. times each engine (evaluations per second, CPU and wall, peak memory) and kader's batch
#      against a libyaml parse-only baseline;
#   4. at the end, writes the tables into bench/RESULTS.md (between its "results" markers) and
#      prints them.
# The rule set is the default one (stdlib/ + rules/) plus the 2026 Algoritmekader requirements and
# the Beslishulp decision tree, compiled from the corpus by `kader compile` (when it can).
#
# environment:
#   BENCH_BUDGET    seconds a slow engine is timed for, at least 1000 systems (default 30)
#   BENCH_SECONDS   seconds for each of kader's in-process rates (default 3)
#   BENCH_WORK      where generated data goes (default bench/peers/work)
#   KADER_BUILD     an existing kader build directory to use instead of building one
#   KADER_CORPUS    the corpus (default ../shared/corpus beside the repository)
#   BENCH_SKIP_INSTALL=1  do not install anything
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
kader_version=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
bench=bench
peers=$bench/peers
work=${BENCH_WORK:-$peers/work}
budget=${BENCH_BUDGET:-30}
seconds=${BENCH_SECONDS:-3}
corpus=${KADER_CORPUS:-$repo/../shared/corpus}
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(10000)
for n in "${counts[@]}"; do
    case $n in
        '' | *[!0-9]* | 0) echo "run.sh: N must be a positive number of systems, not '$n'" >&2; exit 2 ;;
    esac
done

say() { printf '\n== %s\n' "$*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

# ---- what the benchmark needs ----

if [ "${BENCH_SKIP_INSTALL:-0}" != 1 ]; then
    missing=""
    for p in cmake gcc make flex bison libyaml-dev libcjson-dev pkg-config clips time; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    command -v node >/dev/null || missing="$missing nodejs"
    command -v npm >/dev/null || missing="$missing npm"
    if [ -n "$missing" ]; then
        say "installing$missing"
        if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
    fi
    have() { node -p "try { require('./$peers/node_modules/$1/package.json').version } catch (e) { '' }"; }
    if [ "$(have json-rules-engine)" != 7.3.1 ] || [ "$(have @gorules/zen-engine)" != 0.54.0 ]; then
        say "installing json-rules-engine 7.3.1 and @gorules/zen-engine 0.54.0 into $peers"
        mkdir -p "$peers"
        npm install --prefix "$peers" --no-audit --no-fund --save-exact --loglevel=error \
            json-rules-engine@7.3.1 @gorules/zen-engine@0.54.0 >/dev/null
    fi
fi
command -v clips >/dev/null || die "clips is not installed (apt-get install clips)"
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (apt-get install time)"

if [ -n "${KADER_BUILD:-}" ]; then
    build=$KADER_BUILD
else
    build=$peers/build
    say "building kader (RelWithDebInfo, as scripts/setup.sh does) in $build"
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j "$(nproc)" --target kader >/dev/null
fi
kader=$build/kader
if [ ! -x "$kader" ] || [ ! -f "$build/libkader_core.a" ]; then die "$build has no kader and libkader_core.a"; fi
bin=$peers/bin
mkdir -p "$bin"
cflags=(-std=c11 -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual
        -Wwrite-strings -Wformat=2)
for prog in inproc export_ir; do
    cc "${cflags[@]}" -Iengine -Iinclude -Igrammar -I"$build" "$bench/$prog.c" "$build/libkader_core.a" \
        -lyaml -lcjson -lm -o "$bin/$prog"
done
cc "${cflags[@]}" "$bench/yamlparse.c" -lyaml -o "$bin/yamlparse"

# ---- the rule set ----

say "compiling the rule set"
rules_dir=$work/rules
rm -rf "$rules_dir"
mkdir -p "$rules_dir"
rule_args=()
notes=$work/notes.txt
: > "$notes"
if [ -d "$corpus/algoritmekader-2026/vereisten" ]; then
    if "$kader" compile "$corpus/algoritmekader-2026/vereisten" -o "$rules_dir/algoritmekader-2026" 2> "$work/compile-2026.log"; then
        rule_args+=(--rules "$rules_dir/algoritmekader-2026")
        printf 'in\tthe 2026 Algoritmekader requirements (%s documents, compiled by `kader compile`)\n' \
            "$(ls "$rules_dir/algoritmekader-2026" | wc -l)" >> "$notes"
    else
        printf 'out\tthe 2026 Algoritmekader requirements: `kader compile` failed (%s)\n' \
            "$(grep -m1 error "$work/compile-2026.log" || true)" >> "$notes"
    fi
else
    printf 'out\tthe 2026 Algoritmekader requirements: no corpus at %s\n' "$corpus" >> "$notes"
fi
tree=$corpus/beslishulp/decision-tree.yaml
if [ -f "$tree" ]; then
    mkdir -p "$rules_dir/beslishulp"
    if "$kader" compile "$tree" -o "$rules_dir/beslishulp" 2> "$work/compile-tree.log" \
       && ls "$rules_dir/beslishulp"/*.kdr >/dev/null 2>&1; then
        rule_args+=(--rules "$rules_dir/beslishulp")
        printf 'in\tthe Beslishulp decision tree (compiled by `kader compile`)\n' >> "$notes"
    else
        printf 'out\tthe Beslishulp decision tree: `kader compile %s` writes no rule file yet (it says: %s)\n' \
            "${tree#"$corpus"/}" "$(grep -m1 -E 'error|warning' "$work/compile-tree.log" | sed 's/^[^:]*:[0-9]*:[0-9]*: //' || echo nothing)" >> "$notes"
    fi
else
    printf 'out\tthe Beslishulp decision tree: no corpus at %s\n' "$corpus" >> "$notes"
fi
# The default rule set comes last, so that its hand-written requirements replace the compiled
# ones with the same id and every requirement of the default set is measured as it is.
rule_args+=(--rules rules)
"$kader" check "${rule_args[@]}" > /dev/null 2> "$work/check.log" || die "the rule set does not load: see $work/check.log"
"$bin/export_ir" "${rule_args[@]}" > "$work/program.json" 2> /dev/null
node "$bench/translate.js" --program "$work/program.json" --out "$work/translated"
sed 's/^in\t/rule set: + /; s/^out\t/left out: /' "$notes" >&2

# kader check, as a user runs it: the median of 21 runs, in microseconds.
check_us=$(for _ in $(seq 21); do
    s=$(date +%s%N); "$kader" check "${rule_args[@]}" >/dev/null 2>&1; e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
done | sort -n | sed -n 11p)

timefmt='{"max_rss_kb":%M,"wall_seconds":%e,"user_seconds":%U,"system_seconds":%S}'
timed() { # timed NAME COMMAND...: runs it under /usr/bin/time into $out/NAME.time
    local name=$1; shift
    /usr/bin/time -f "$timefmt" -o "$out/$name.time" "$@"
}

for n in "${counts[@]}"; do
    d=$work/n$n
    out=$d/timing
    canon=$d/canon
    rm -rf "$out" "$canon"
    mkdir -p "$out" "$canon"

    say "$n systems: generating facts"
    node "$bench/gen-facts.js" --program "$work/program.json" --count "$n" --out "$d"
    node "$bench/drivers/clips.js" input --program "$work/program.json" --systems "$d/systems.jsonl" > "$d/systems.clp-facts"
    printf '(load* "%s")\n(load* "%s")\n(kader-bench "%s" "%s" check 0)\n(exit)\n' \
        "$work/translated/kader.clp" "$bench/drivers/main.clp" "$d/systems.clp-facts" "$d/clips.answers" > "$d/clips-check.clp"
    printf '(load* "%s")\n(load* "%s")\n(kader-bench "%s" "" time %s)\n(exit)\n' \
        "$work/translated/kader.clp" "$bench/drivers/main.clp" "$d/systems.clp-facts" "$budget" > "$d/clips-time.clp"

    say "$n systems: every engine answers every system (not timed)"
    common=(--program "$work/program.json" --systems "$d/systems.jsonl")
    node "$bench/drivers/zen.js" "${common[@]}" --decision "$work/translated/zen-decision.json" > "$canon/zen.canon" &
    zen_pid=$!
    node "$bench/drivers/jsre.js" "${common[@]}" --rules "$work/translated/jsre-rules.json" > "$canon/json-rules-engine.canon" &
    jsre_pid=$!
    # The reports go straight into their canonical form: at 100 000 systems they would fill gigabytes.
    "$kader" eval --batch -q --format json "${rule_args[@]}" "$d/facts" 2> "$d/kader-eval.log" \
        | node "$bench/compare.js" canon --program "$work/program.json" --report - > "$canon/kader.canon" \
        || die "kader eval failed: see $d/kader-eval.log"
    "$bin/inproc" "${rule_args[@]}" --manifest "$d/manifest.tsv" --check > "$canon/kader-inproc.canon" 2> /dev/null
    clips -f2 "$d/clips-check.clp" < /dev/null > "$d/clips-check.out"
    node "$bench/drivers/clips.js" canon --program "$work/program.json" --answers "$d/clips.answers" > "$canon/clips.canon"
    wait $zen_pid || die "the ZEN run failed"
    wait $jsre_pid || die "the json-rules-engine run failed"

    say "$n systems: do the engines agree?"
    if ! node "$bench/compare.js" agree --manifest "$d/manifest.tsv" "$canon/kader.canon" \
            "$canon/kader-inproc.canon" "$canon/clips.canon" "$canon/json-rules-engine.canon" "$canon/zen.canon"; then
        die "the engines disagree (above); nothing was timed"
    fi

    say "$n systems: timing (one engine at a time)"
    "$bin/inproc" "${rule_args[@]}" --manifest "$d/manifest.tsv" --seconds "$seconds" > "$out/kader-inproc.json" 2> /dev/null
    timed kader-batch "$kader" eval --batch -q --format json "${rule_args[@]}" "$d/facts" > /dev/null 2>&1
    timed kader-jsonl "$kader" eval --jsonl "$d/systems.jsonl" -q "${rule_args[@]}" > /dev/null 2>&1
    tenth=$(( n / 10 > 0 ? n / 10 : 1 ))
    head -n "$tenth" "$d/systems.jsonl" > "$d/tenth.jsonl"
    timed kader-jsonl-tenth "$kader" eval --jsonl "$d/tenth.jsonl" -q "${rule_args[@]}" > /dev/null 2>&1
    timed libyaml "$bin/yamlparse" "$d/manifest.tsv" > "$out/libyaml.json"
    timed clips clips -f2 "$d/clips-time.clp" < /dev/null > "$out/clips.json"
    timed zen node "$bench/drivers/zen.js" "${common[@]}" --decision "$work/translated/zen-decision.json" \
        --mode time --budget "$budget" > "$out/zen.json"
    timed json-rules-engine node "$bench/drivers/jsre.js" "${common[@]}" --rules "$work/translated/jsre-rules.json" \
        --mode time --budget "$budget" > "$out/json-rules-engine.json"
done

counts_list=$(IFS=,; echo "${counts[*]}")
node "$bench/report.js" --work "$work" --n "$counts_list" --check-us "$check_us" --command "bench/run.sh ${counts[*]}" \
    --load "$load_at_start" --version "$kader_version" --results "$bench/RESULTS.md"
