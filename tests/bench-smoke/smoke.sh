#!/bin/sh
# smoke.sh — the benchmark's agreement check on a few systems, as a test: kader (the CLI's JSON
# reports and the in-process evaluator) and the peer engines (CLIPS, json-rules-engine, ZEN, with
# the rules bench/translate.js generates) must give the same answers for every system. The rule
# set is the default one plus extra.kdr, which uses the constructs the default set does not.
# Nothing is timed.
#
# usage: smoke.sh KADER EXPORT_IR INPROC
# exit status: 0 all engines that are installed agree, 1 a disagreement or a failure, 77 (skipped)
# when Node.js or one of the peers is not installed: CI does not install them (bench/run.sh does).
set -eu
kader=$1 export_ir=$2 inproc=$3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bench=$repo/bench
peers=${KADER_BENCH_PEERS:-$bench/peers}

if ! command -v node >/dev/null 2>&1; then
    echo "skipped: Node.js is not installed (bench/run.sh installs it)"
    exit 77
fi
missing=""
command -v clips >/dev/null 2>&1 || missing="$missing clips"
[ -f "$peers/node_modules/json-rules-engine/package.json" ] || missing="$missing json-rules-engine"
[ -f "$peers/node_modules/@gorules/zen-engine/package.json" ] || missing="$missing @gorules/zen-engine"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
rules="--rules $here/extra.kdr --rules $repo/rules"
# shellcheck disable=SC2086
"$export_ir" $rules > "$tmp/program.json" 2> "$tmp/export.log" || { cat "$tmp/export.log"; exit 1; }
node "$bench/translate.js" --program "$tmp/program.json" --out "$tmp/translated" 2> /dev/null
node "$bench/gen-facts.js" --program "$tmp/program.json" --count 80 --seed 11 --incomplete 0.3 --out "$tmp"
# shellcheck disable=SC2086
"$kader" eval --batch -q --format json $rules "$tmp/facts" > "$tmp/kader.jsonl" 2> "$tmp/eval.log" || { cat "$tmp/eval.log"; exit 1; }
node "$bench/compare.js" canon --program "$tmp/program.json" --report "$tmp/kader.jsonl" > "$tmp/kader.canon"
# shellcheck disable=SC2086
"$inproc" $rules --manifest "$tmp/manifest.tsv" --check > "$tmp/kader-inproc.canon" 2> /dev/null
answers="$tmp/kader-inproc.canon"
common="--program $tmp/program.json --systems $tmp/systems.jsonl"
case $missing in *clips*) ;; *)
    node "$bench/drivers/clips.js" input $common > "$tmp/systems.clp-facts"
    printf '(load* "%s")\n(load* "%s")\n(kader-bench "%s" "%s" check 0)\n(exit)\n' "$tmp/translated/kader.clp" \
        "$bench/drivers/main.clp" "$tmp/systems.clp-facts" "$tmp/clips.answers" > "$tmp/run.clp"
    clips -f2 "$tmp/run.clp" < /dev/null > /dev/null
    node "$bench/drivers/clips.js" canon --program "$tmp/program.json" --answers "$tmp/clips.answers" > "$tmp/clips.canon"
    answers="$answers $tmp/clips.canon" ;;
esac
case $missing in *json-rules-engine*) ;; *)
    KADER_BENCH_PEERS=$peers node "$bench/drivers/jsre.js" $common --rules "$tmp/translated/jsre-rules.json" > "$tmp/json-rules-engine.canon"
    answers="$answers $tmp/json-rules-engine.canon" ;;
esac
case $missing in *zen-engine*) ;; *)
    KADER_BENCH_PEERS=$peers node "$bench/drivers/zen.js" $common --decision "$tmp/translated/zen-decision.json" > "$tmp/zen.canon"
    answers="$answers $tmp/zen.canon" ;;
esac
# shellcheck disable=SC2086
node "$bench/compare.js" agree --manifest "$tmp/manifest.tsv" "$tmp/kader.canon" $answers
if [ -n "$missing" ]; then
    echo "skipped in part: not installed:$missing (bench/run.sh installs them)"
    exit 77
fi
