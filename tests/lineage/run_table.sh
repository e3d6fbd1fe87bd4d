#!/bin/sh
# run_table.sh — table-driven: for every 2024 requirement of the corpus that takes the
# applicability of a successor, and for every example system (examples/*.yaml), the compiled 2024
# requirement has the status of its successor — the project's rule with that id, or else the
# requirement compiled from the 2026 document — joined (three-valued `and`) with the status of its
# own 2024 condition (the document compiled with --no-lineage: for the 48 documents without a
# map that is `applies`, so the status is exactly the successor's). Exits 77 (skipped) when the
# corpus is not there.
#
# usage: run_table.sh KADER SRCDIR CORPUS WORKDIR
set -u
KADER=$1
case $KADER in /*) ;; *) KADER=$(pwd)/$KADER ;; esac
SRC=$(cd "$2" && pwd)
CORPUS=$3
WORK=$4
V24=$CORPUS/algoritmekader-2024/vereisten
V26=$CORPUS/algoritmekader-2026/vereisten
DATE=2028-09-01   # every obligation of the examples in force, whatever the timeline
failures=0

if [ ! -d "$V24" ] || [ ! -d "$V26" ]; then
    echo "skipped: no requirement corpus at $CORPUS"
    exit 77
fi

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

rm -rf "$WORK"
mkdir -p "$WORK"
"$KADER" compile "$V24" --successors "$V26" -o "$WORK/lineage" 2>"$WORK/lineage.stderr" ||
    { fail "compile with lineage"; cat "$WORK/lineage.stderr"; }
"$KADER" compile "$V24" --no-lineage -o "$WORK/own" 2>/dev/null || fail "compile --no-lineage"
"$KADER" compile "$V26" -o "$WORK/2026" 2>/dev/null || fail "compile 2026"
[ "$failures" = 0 ] || exit 1

# "ID24 CONDITION-ID" for every 2024 requirement: the rule it takes, else its successor.
for f in "$WORK"/lineage/*.kdr; do
    id=$(sed -n 's/^requirement "\(.*\)" {$/\1/p' "$f")
    s=$(sed -n 's/^  meta        successor "\(.*\)"$/\1/p' "$f")
    r=$(sed -n 's/^  meta        condition_of "\(.*\)"$/\1/p' "$f")
    echo "$id ${r:-${s:--}}"
done >"$WORK/pairs"
unpaired=$(awk '$2 == "-"' "$WORK/pairs" | wc -l | tr -d ' ')
[ "$unpaired" = 0 ] || fail "$unpaired 2024 requirements take no condition"

# statuses REPORT: "ID STATUS" for each requirement of a pretty-printed JSON report.
statuses() {
    awk '
        /^  "requirements": \[/ { inside = 1; next }
        /^  []"]/ { inside = 0 }
        !inside { next }
        /^    \{$/ { id = "" }
        /^      "id": "/ { id = $0; sub(/^      "id": "/, "", id); sub(/",$/, "", id) }
        /^      "status": "/ && id != "" { s = $0; sub(/^      "status": "/, "", s); sub(/",?$/, "", s); print id, s; id = "" }
    ' "$1"
}

compared=0
examples=0
for facts in "$SRC"/examples/*.yaml; do
    name=$(basename "$facts" .yaml)
    for set in lineage own 2026; do
        "$KADER" eval --rules "$WORK/$set" --date $DATE --format json "$facts" >"$WORK/$name.$set.json" 2>"$WORK/$name.$set.err" ||
            { fail "$name: eval --rules $set"; head -5 "$WORK/$name.$set.err"; continue 2; }
        statuses "$WORK/$name.$set.json" >"$WORK/$name.$set"
    done
    "$KADER" eval --date $DATE --format json "$facts" >"$WORK/$name.rules.json" 2>"$WORK/$name.rules.err" ||
        { fail "$name: eval with the project's rules"; continue; }
    statuses "$WORK/$name.rules.json" >"$WORK/$name.rules"
    examples=$((examples + 1))
    awk -v example="$name" '
        function and3(a, b) {
            if (a == "not-applicable" || b == "not-applicable") return "not-applicable"
            if (a == "undetermined" || b == "undetermined") return "undetermined"
            return "applies"
        }
        FILENAME ~ /pairs$/ { cond[$1] = $2; order[++n] = $1; next }
        FILENAME ~ /\.lineage$/ { got[$1] = $2; next }
        FILENAME ~ /\.own$/ { own[$1] = $2; next }
        FILENAME ~ /\.rules$/ { rule[$1] = $2; next }
        FILENAME ~ /\.2026$/ { doc[$1] = $2; next }
        END {
            for (i = 1; i <= n; i++) {
                id = order[i]; c = cond[id]
                succ = (c in rule) ? rule[c] : doc[c]
                if (succ == "" || own[id] == "" || got[id] == "") {
                    printf "MISSING %s %s: %s (successor %s) not in every report\n", example, id, c, c
                    continue
                }
                want = and3(own[id], succ)
                if (got[id] != want)
                    printf "DIFF %s %s: %s, but its own condition is %s and %s is %s\n", example, id, got[id], own[id], c, succ
                else
                    printf "OK %s\n", id
            }
        }
    ' "$WORK/pairs" "$WORK/$name.lineage" "$WORK/$name.own" "$WORK/$name.rules" "$WORK/$name.2026" >"$WORK/$name.result"
    grep -v '^OK ' "$WORK/$name.result" && fail "$name: statuses differ (above)"
    compared=$((compared + $(grep -c '^OK ' "$WORK/$name.result")))
done

# How often the statuses vary, so that a table of identical answers would be noticed.
cat "$WORK"/*.lineage | awk '{ print $2 }' | sort | uniq -c | tr -s ' ' >"$WORK/spread"
kinds=$(wc -l <"$WORK/spread" | tr -d ' ')
[ "$kinds" = 3 ] || fail "the examples do not give all three statuses: $(cat "$WORK/spread")"
echo "table: $compared statuses agree ($(wc -l <"$WORK/pairs" | tr -d ' ') requirements x $examples examples);" \
    "statuses:$(tr '\n' ' ' <"$WORK/spread")"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "lineage table: all passed"
