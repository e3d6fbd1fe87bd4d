#!/bin/bash
# profile.sh — where kader's time goes, for the lead who optimises the evaluator: callgrind over
# the in-process evaluation (only evaluate() is collected, with the facts already loaded), over a
# whole `kader eval --batch` run, and over the libyaml parse-only baseline, on the data of an
# earlier `bench/run.sh N`.
#
# usage: bench/profile.sh [N]   (default: the smallest N that bench/run.sh has generated)
# profiles the first PROFILE_SYSTEMS systems (default 2000) of that run, PROFILE_PASSES times
# (default 3) in-process; prints instructions per evaluation and per file and the top functions;
# the callgrind files stay in WORK/profile for callgrind_annotate or kcachegrind.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
peers=bench/peers
work=${BENCH_WORK:-$peers/work}
build=${KADER_BUILD:-$peers/build}
bin=$peers/bin
passes=${PROFILE_PASSES:-3}
count=${PROFILE_SYSTEMS:-2000}

if ! command -v valgrind >/dev/null; then
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq valgrind >/dev/null
fi
n=${1:-$(ls -d "$work"/n* 2>/dev/null | sed 's/.*\/n//' | sort -n | head -1)}
d=$work/n$n
[ -n "$n" ] && [ -f "$d/manifest.tsv" ] || { echo "profile.sh: no data for N=$n: run bench/run.sh $n first" >&2; exit 1; }
[ -x "$bin/inproc" ] || { echo "profile.sh: $bin/inproc is missing: run bench/run.sh first" >&2; exit 1; }
rule_args=()
for r in "$work"/rules/*/; do
    ls "$r"*.kdr >/dev/null 2>&1 && rule_args+=(--rules "${r%/}")
done
rule_args+=(--rules rules)
out=$work/profile
mkdir -p "$out"
# The manifest's paths are relative to its directory, so the subset lives beside it.
head -n "$count" "$d/manifest.tsv" > "$d/profile-manifest.tsv"
systems=$(wc -l < "$d/profile-manifest.tsv")
files=()
while IFS=$'\t' read -r f _; do files+=("$d/$f"); done < "$d/profile-manifest.tsv"

# (The listings are cut with head; a pipe it closes early is not a failure.)
top() { # top FILE COUNT: the functions with the most instructions of their own
    { callgrind_annotate "$1" 2>/dev/null | sed -n '/file:function/,/^$/p' | sed '1,2d' \
        | sed -E 's#/[^ ]*/engine/#engine/#; s# \[[^]]*\]##' | head -"$2"; } || true
}
collected() { grep -m1 '^summary:\|^totals:' "$1" | awk '{print $2}'; }

echo "== in-process evaluation: $systems systems x $passes passes (only evaluate_pass is collected)"
valgrind --tool=callgrind --toggle-collect=evaluate_pass --callgrind-out-file="$out/inproc.callgrind" \
    "$bin/inproc" "${rule_args[@]}" --manifest "$d/profile-manifest.tsv" --profile "$passes" > /dev/null 2> "$out/inproc.log"
total=$(collected "$out/inproc.callgrind")
echo "instructions per evaluation: $(( total / (systems * passes) ))"
top "$out/inproc.callgrind" 15
echo
echo "-- calls from eval.c that cost at least 1 % (inclusive), under the line that makes them"
callgrind_annotate --auto=yes "$out/inproc.callgrind" 2>/dev/null \
    | awk '/Auto-annotated source: .*engine\/eval.c/ {f = 1; next} /Auto-annotated source:/ {f = 0}
           f && /=>/ { if (match($0, /\( *[0-9.]+%\)/)) { pc = substr($0, RSTART + 1, RLENGTH - 3) + 0
                           if (pc >= 1) { sub(/^ +/, "", prev); print "  " prev; print "    " $0 } } next }
           f { prev = $0; sub(/^ *[0-9,.]+ +(\( *[0-9.]+%\))? */, "", prev) }' \
    | sed -E 's#/[^ ]*/engine/#engine/#' | head -40 || true
echo
echo "== kader eval --batch over the $systems YAML files (whole process)"
valgrind --tool=callgrind --callgrind-out-file="$out/batch.callgrind" \
    "$build/kader" eval --batch -q --format json "${rule_args[@]}" "${files[@]}" > /dev/null 2> "$out/batch.log"
total=$(collected "$out/batch.callgrind")
echo "instructions per file: $(( total / systems ))"
callgrind_annotate --inclusive=yes "$out/batch.callgrind" 2>/dev/null | sed -n '/file:function/,/^$/p' \
    | grep -E 'report_json |report_json_cached |facts_load_file|run_evaluate|yaml_parser_parse |loader_finish' \
    | sed -E 's#/[^ ]*/engine/#engine/#; s# \[[^]]*\]##' | sort -u -t'(' -k1,1 || true
top "$out/batch.callgrind" 12

echo
echo "== libyaml parse-only over the same files"
valgrind --tool=callgrind --callgrind-out-file="$out/libyaml.callgrind" "$bin/yamlparse" "$d/profile-manifest.tsv" > /dev/null 2> "$out/libyaml.log"
total=$(collected "$out/libyaml.callgrind")
echo "instructions per file: $(( total / systems ))"
echo
echo "callgrind files: $out/*.callgrind (callgrind_annotate --auto=yes FILE, or kcachegrind)"
