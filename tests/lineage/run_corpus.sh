#!/bin/sh
# run_corpus.sh — the lineage table (stdlib/lineage-2024.yaml) against the real corpus
# (../shared/corpus): it lists every 2024 requirement document and no other; every successor it
# names exists in the 2026 corpus; each 2024 document cites a provision its successor cites too
# (so no two documents claim a successor whose content they do not share; the compiler itself
# insists that a shared successor is declared a merge); every 2024 document gets a condition from
# its successor or its rule when the 2026 documents are given; and the seed document
# conformiteitsbeoordelingsprocedure_hoog_risico.md, compiled alone, passes seed.test.yaml.
# Exits 77 (skipped) when the corpus is not there.
#
# usage: run_corpus.sh KADER TESTDIR CORPUS WORKDIR
set -u
KADER=$1
case $KADER in /*) ;; *) KADER=$(pwd)/$KADER ;; esac
TESTDIR=$(cd "$2" && pwd)
CORPUS=$3
WORK=$4
TABLE=$TESTDIR/../../stdlib/lineage-2024.yaml
V24=$CORPUS/algoritmekader-2024/vereisten
V26=$CORPUS/algoritmekader-2026/vereisten
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

# ---- the seed case: the one document, compiled alone into a directory of its own ----
NO_COLOR=1 "$KADER" compile "$V24/conformiteitsbeoordelingsprocedure_hoog_risico.md" \
    -o "$WORK/seed" 2>"$WORK/seed.stderr" || fail "seed: kader compile failed"
[ -s "$WORK/seed.stderr" ] && { fail "seed: messages where none are expected"; cat "$WORK/seed.stderr"; }
kdr=$WORK/seed/conformiteitsbeoordelingsprocedure_hoog_risico.kdr
grep -q '^  phase       verificatie-en-validatie, implementatie$' "$kdr" || fail "seed: its phases are lost"
grep -q '^  meta        successor "urn:nl:ak:ver:aia-14"$' "$kdr" || fail "seed: no successor beside the id"
NO_COLOR=1 "$KADER" test --rules "$WORK/seed" "$TESTDIR/seed.test.yaml" >"$WORK/seed.test" 2>&1 ||
    { fail "seed: seed.test.yaml fails on the corpus document"; cat "$WORK/seed.test"; }

# ---- the whole 2024 corpus, with the 2026 documents as successors ----
NO_COLOR=1 "$KADER" compile -v "$V24" --successors "$V26" -o "$WORK/r24" 2>"$WORK/r24.stderr" ||
    { fail "2024 with lineage: kader compile failed"; cat "$WORK/r24.stderr"; }
NO_COLOR=1 "$KADER" compile "$V26" -o "$WORK/r26" 2>"$WORK/r26.stderr" ||
    fail "2026: kader compile failed"
grep -E 'not among the 2026 documents|is not known|has no entry for|states no applicability' \
    "$WORK/r24.stderr" && fail "2024 with lineage: a document without a condition (above)"
"$KADER" check -q "$WORK/r24" >"$WORK/r24.check" 2>&1 ||
    { fail "2024 with lineage: the rule files do not load"; head -20 "$WORK/r24.check"; }

# The table lists exactly the 64 documents of the corpus.
docs=$(ls "$V24" | grep '\.md$' | grep -vc '^index\.md$')
keys=$(grep -c '^  urn:nl:ak:2024:ver:' "$TABLE")
[ "$docs" = 64 ] || fail "the 2024 corpus has $docs documents, expected 64"
[ "$keys" = "$docs" ] || fail "the lineage table lists $keys documents, the corpus has $docs"

# successor and condition_of, per rule file: "SUCCESSOR RULE FILE" ('-' for none; the file name
# last, since one holds a space).
for f in "$WORK"/r24/*.kdr; do
    s=$(sed -n 's/^  meta        successor "\(.*\)"$/\1/p' "$f")
    r=$(sed -n 's/^  meta        condition_of "\(.*\)"$/\1/p' "$f")
    echo "${s:--} ${r:--} $(basename "$f" .kdr)"
done >"$WORK/pairs"
with=$(awk '$1 != "-"' "$WORK/pairs" | wc -l | tr -d ' ')
without=$(awk '$1 == "-"' "$WORK/pairs" | wc -l | tr -d ' ')
ruled=$(awk '$1 == "-" && $2 != "-"' "$WORK/pairs" | wc -l | tr -d ' ')
distinct=$(awk '$1 != "-" { print $1 }' "$WORK/pairs" | sort -u | wc -l | tr -d ' ')
echo "lineage: $with documents with a successor ($distinct distinct), $without without ($ruled of them with a rule of the project)"
[ "$without" = "$ruled" ] || fail "a document without a successor has no rule either"

# Every successor is a requirement of the 2026 corpus, and shares a cited provision with its
# predecessor.
grep -h '^requirement "' "$WORK"/r26/*.kdr | sed 's/^requirement "\(.*\)" {$/\1/' | sort >"$WORK/ids26"
awk '$1 != "-"' "$WORK/pairs" | while read -r succ rule file; do
    grep -qx "$succ" "$WORK/ids26" || { echo "$file names $succ, which is not in the 2026 corpus"; continue; }
    succ_file=$(grep -l "^requirement \"$succ\" {" "$WORK"/r26/*.kdr)
    awk -f "$TESTDIR/source_keys.awk" "$WORK/r24/$file.kdr" | sort -u >"$WORK/k24"
    awk -f "$TESTDIR/source_keys.awk" "$succ_file" | sort -u >"$WORK/k26"
    [ -n "$(awk -f "$TESTDIR/common_provision.awk" "$WORK/k24" "$WORK/k26")" ] ||
        echo "$file and its successor $succ cite no provision in common"
done >"$WORK/pair-problems"
if [ -s "$WORK/pair-problems" ]; then
    fail "pairs that do not hold:"
    cat "$WORK/pair-problems"
fi

# A successor named by two documents is exactly a declared merge.
awk '$1 != "-" { print $1 }' "$WORK/pairs" | sort | uniq -d >"$WORK/shared"
sed -n '/^merges:/,$ s/^  \(urn:nl:ak:ver:[^:]*\):.*/\1/p' "$TABLE" | sort >"$WORK/merges"
diff -u "$WORK/merges" "$WORK/shared" >/dev/null || {
    fail "shared successors and declared merges differ"
    diff -u "$WORK/merges" "$WORK/shared"
}

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "lineage corpus: all passed"
