#!/bin/sh
# run_corpus.sh — `kader compile` on the real Algoritmekader corpus (../shared/corpus): every
# requirement document of both formats compiles, exactly the three known 2024 table/front-matter
# disagreements are reported, a second compile is byte-identical, the rule files load and
# evaluate together with the stdlib, and the whole corpus (with the decision tree) compiles in
# one run. Exits 77 (skipped) when the corpus is not there.
#
# usage: run_corpus.sh KADER CORPUS WORKDIR
set -u
KADER=$1
case $KADER in /*) ;; *) KADER=$(pwd)/$KADER ;; esac
CORPUS=$2
WORK=$3
failures=0

if [ ! -d "$CORPUS/algoritmekader-2024/vereisten" ] || [ ! -d "$CORPUS/algoritmekader-2026/vereisten" ]; then
    echo "skipped: no requirement corpus at $CORPUS"
    exit 77
fi

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

rm -rf "$WORK"
mkdir -p "$WORK"

# status_of REPORT ID: the status of requirement ID in a JSON report (pretty-printed, one
# requirement object after another, "id" before "status").
status_of() {
    awk -v id="$2" '
        index($0, "\"id\": \"" id "\"") { found = 1; next }
        found && /"status":/ { sub(/.*"status": "/, ""); sub(/".*/, ""); print; exit }
    ' "$1"
}

expect_status() { # REPORT ID WANT
    got=$(status_of "$1" "$2")
    [ "$got" = "$3" ] || fail "$(basename "$1"): $2 is '$got', expected '$3'"
}

# The 2024 documents as they stand (--no-lineage): the maps and the table are what is tested here;
# their successors are tested in tests/lineage.
for year in 2024 2026; do
    src=$CORPUS/algoritmekader-$year
    out=$WORK/ak$year
    literal=
    [ $year = 2024 ] && literal=--no-lineage
    "$KADER" compile $literal "$src/vereisten" "$src/maatregelen" -o "$out" 2>"$WORK/$year.stderr"
    rc=$?
    [ "$rc" = 0 ] || fail "$year: kader compile exited with $rc"
    grep -q ': error:' "$WORK/$year.stderr" && fail "$year: errors reported"

    docs=$(ls "$src/vereisten" | grep '\.md$' | grep -vc '^index\.md$')
    outputs=$(ls "$out" | grep -c '\.kdr$')
    [ "$docs" = "$outputs" ] || fail "$year: $docs requirement documents but $outputs rule files"
    echo "$year: $outputs rule files, $(grep -c ': warning:' "$WORK/$year.stderr") warnings"

    # Deterministic: a second run into another directory gives the same bytes.
    "$KADER" compile $literal "$src/vereisten" "$src/maatregelen" -o "$out-again" 2>/dev/null ||
        fail "$year: second compile failed"
    diff -r "$out" "$out-again" >/dev/null || fail "$year: a second compile differs"

    # The rule files load with the stdlib.
    "$KADER" check -q "$out" >"$WORK/$year.check" 2>&1 || {
        fail "$year: the compiled rules do not load"
        head -20 "$WORK/$year.check"
    }
done

# The whole corpus in one run: both frameworks and the Beslishulp decision tree (compiled by
# compile_tree.c), one rule file each, loading together.
"$KADER" compile "$CORPUS" -o "$WORK/all" 2>"$WORK/all.stderr" || fail "the whole corpus does not compile"
[ -f "$WORK/all/decision-tree.kdr" ] || fail "no rule file for the decision tree"
all=$(ls "$WORK/all" | grep -c '\.kdr$')
[ "$all" = 128 ] || fail "the whole corpus gave $all rule files, expected 64 + 63 + 1"
# The 2026 documents among the inputs give the 2024 ones the applicability of their successors.
grep -q 'is not known' "$WORK/all.stderr" && fail "the whole corpus: a successor without a condition"
grep -q '^  meta        successor "urn:nl:ak:ver:aia-14"$' \
    "$WORK/all/conformiteitsbeoordelingsprocedure_hoog_risico.kdr" ||
    fail "the whole corpus: the 2024 documents have no successors"
"$KADER" check -q "$WORK/all" >"$WORK/all.check" 2>&1 || {
    fail "the whole compiled corpus does not load"
    head -20 "$WORK/all.check"
}

# The three documents whose "Wanneer van toepassing?" table contradicts their front matter
# (each writes lower-case 'ja' where the table shows a cross), and no others.
grep 'disagrees with the front matter' "$WORK/2024.stderr" |
    sed 's/^.*vereisten\/\([^:]*\)\.md:.*/\1/' | sort >"$WORK/disagreements"
cat >"$WORK/disagreements.expected" <<'EOF'
beschrijven_en_toewijzen_van_verantwoordelijkheden_bij_verwerking_persoonsgegevens
beveiliging_informatie_en_informatiesystemen
beveiliging_van_verwerking
EOF
diff -u "$WORK/disagreements.expected" "$WORK/disagreements" || fail "2024: other disagreements than the known three"
grep -q 'disagrees with the front matter' "$WORK/2026.stderr" && fail "2026: a disagreement reported"

# Evaluation: the 2024 maps over soort_algoritme and impact.
cat >"$WORK/rekenregel.yaml" <<'EOF'
soort_algoritme: rekenregel
impact: niet-impactvol
EOF
cat >"$WORK/ml-niet-impactvol.yaml" <<'EOF'
soort_algoritme: machine-learning
impact: niet-impactvol
EOF
cat >"$WORK/soort-onbekend.yaml" <<'EOF'
impact: impactvol
EOF
for f in rekenregel ml-niet-impactvol soort-onbekend; do
    "$KADER" eval --rules "$WORK/ak2024" --format json "$WORK/$f.yaml" >"$WORK/$f.json" 2>"$WORK/$f.err" ||
        { fail "eval $f.yaml failed"; head -5 "$WORK/$f.err"; }
done
expect_status "$WORK/rekenregel.json" urn:nl:ak:2024:ver:algoritmeregister not-applicable
expect_status "$WORK/rekenregel.json" urn:nl:ak:2024:ver:archiefwet applies
expect_status "$WORK/rekenregel.json" urn:nl:ak:2024:ver:automatische_logregistratie applies
expect_status "$WORK/rekenregel.json" urn:nl:ak:2024:ver:kwaliteitscriteria_voor_data not-applicable
expect_status "$WORK/ml-niet-impactvol.json" urn:nl:ak:2024:ver:kwaliteitscriteria_voor_data applies
expect_status "$WORK/ml-niet-impactvol.json" urn:nl:ak:2024:ver:algoritmeregister not-applicable
expect_status "$WORK/soort-onbekend.json" urn:nl:ak:2024:ver:algoritmeregister undetermined
expect_status "$WORK/soort-onbekend.json" urn:nl:ak:2024:ver:archiefwet applies
grep -q '"urn:nl:ak:2024:mtr:publiceren_in_algoritmeregister"' "$WORK/rekenregel.json" ||
    fail "the measures of algoritmeregister are not in the report"

# Evaluation: the 2026 label groups and the Art. 2 exception.
cat >"$WORK/aanbieder-hoog-risico.yaml" <<'EOF'
ai_act:
  soort-toepassing: [ai-systeem]
  risicogroep: [hoog-risico-ai-systeem]
  rol-ai-act: [aanbieder]
  transparantieverplichting: [geen-transparantieverplichting]
  systeemrisico: [niet-van-toepassing]
  open-source: [geen-open-source]
EOF
cat >"$WORK/uitgezonderd.yaml" <<'EOF'
ai_act:
  soort-toepassing: [ai-systeem]
  risicogroep: [hoog-risico-ai-systeem, uitzondering-van-toepassing]
  rol-ai-act: [aanbieder]
  transparantieverplichting: [geen-transparantieverplichting]
  systeemrisico: [niet-van-toepassing]
  open-source: [geen-open-source]
EOF
cat >"$WORK/rol-onbekend.yaml" <<'EOF'
ai_act:
  soort-toepassing: [ai-systeem]
  risicogroep: [hoog-risico-ai-systeem]
  transparantieverplichting: [geen-transparantieverplichting]
  systeemrisico: [niet-van-toepassing]
  open-source: [geen-open-source]
EOF
for f in aanbieder-hoog-risico uitgezonderd rol-onbekend; do
    "$KADER" eval --rules "$WORK/ak2026" --format json "$WORK/$f.yaml" >"$WORK/$f.json" 2>"$WORK/$f.err" ||
        { fail "eval $f.yaml failed"; head -5 "$WORK/$f.err"; }
done
expect_status "$WORK/aanbieder-hoog-risico.json" urn:nl:ak:ver:aia-14 applies
expect_status "$WORK/aanbieder-hoog-risico.json" urn:nl:ak:ver:aia-21 not-applicable
expect_status "$WORK/uitgezonderd.json" urn:nl:ak:ver:aia-14 not-applicable
expect_status "$WORK/rol-onbekend.json" urn:nl:ak:ver:aia-14 undetermined
grep -q '"urn:nl:ak:mtr:owp-15"' "$WORK/aanbieder-hoog-risico.json" ||
    fail "the measures of aia-14 are not in the report"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "compile corpus: all passed"
