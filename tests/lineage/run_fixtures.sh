#!/bin/sh
# run_fixtures.sh — `kader compile` with lineage, on the project's own fixture documents (no
# corpus needed): the seed case (a 2024 conformity-assessment document in our own words, with the
# stdlib's lineage table and the project's rules) evaluated by seed.test.yaml; the mechanism
# (a fixture table, rules and 2026 documents: a condition from the rules with its dates and
# procedures, from a 2026 document's labels, joined to the document's own map, a declared merge,
# no successor with and without a rule, an unknown successor, a document the table does not
# know) as golden rule files and messages, evaluated by mechanism.test.yaml; and every error in a
# lineage table or the successors' rules, with its exact message and nothing written.
#
# usage: run_fixtures.sh KADER TESTDIR WORKDIR
#   TESTDIR  tests/lineage (holds fixtures/, expected/ and the *.test.yaml files)
# UPDATE=1 writes the results into expected/ instead of comparing (review the diff).
set -u
KADER=$1
case $KADER in /*) ;; *) KADER=$(pwd)/$KADER ;; esac
TESTDIR=$(cd "$2" && pwd)
WORK=$3
EXPECTED=$TESTDIR/expected
UPDATE=${KADER_UPDATE_EXPECTED:-${UPDATE:-0}}
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# same EXPECTED-PATH ACTUAL-PATH: compares a file or a directory with its expected form.
same() {
    if [ "$UPDATE" = 1 ]; then
        rm -rf "$1"
        mkdir -p "$(dirname "$1")"
        cp -R "$2" "$1"
        return
    fi
    diff -ru "$1" "$2" || fail "$2 differs from $1"
}

# run NAME WANT-STATUS ARGS...: kader compile in the current directory; NAME.stdout, NAME.stderr.
run() {
    name=$1
    want=$2
    shift 2
    NO_COLOR=1 "$KADER" compile "$@" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
    got=$?
    if [ "$got" != "$want" ]; then
        fail "$name: exit status $got, expected $want"
        cat "$WORK/$name.stderr"
    fi
}

# ktest NAME RULES TESTFILE: kader test of a compiled rule directory.
ktest() {
    NO_COLOR=1 "$KADER" test --rules "$2" "$3" >"$WORK/$1.test" 2>&1 ||
        { fail "$1: kader test $3 failed"; cat "$WORK/$1.test"; }
}

rm -rf "$WORK"
mkdir -p "$WORK"
cp -R "$TESTDIR/fixtures/." "$WORK/"
cd "$WORK" || exit 2

# ---- the seed case, with the stdlib's lineage table and the project's rules ----
# The document has the file name (and so the id) of the 2024 conformity-assessment requirement.
run seed 0 seed -o out/seed
[ -s "$WORK/seed.stderr" ] && { fail "seed: messages where none are expected"; cat "$WORK/seed.stderr"; }
kdr=out/seed/conformiteitsbeoordelingsprocedure_hoog_risico.kdr
grep -q '^  phase       verificatie-en-validatie, implementatie$' $kdr || fail "seed: its own phases are lost"
grep -q '^  meta        successor "urn:nl:ak:ver:aia-14"$' $kdr || fail "seed: no successor beside the id"
grep -q '^  requires    conformiteitsbeoordeling$' $kdr || fail "seed: the successor's procedure is not required"
ktest seed out/seed "$TESTDIR/seed.test.yaml"
# Compiled as it stands, the document would apply to every algorithm: the cases must notice.
run seed-literal 0 --no-lineage seed -o out/seed-literal
same "$EXPECTED/seed-literal.stderr" seed-literal.stderr
if NO_COLOR=1 "$KADER" test --rules out/seed-literal "$TESTDIR/seed.test.yaml" >seed-literal.test 2>&1; then
    fail "seed.test.yaml passes without lineage too: it tests nothing"
fi

# ---- the mechanism, with the fixture's own table, rules and 2026 documents ----
cd mechanism || exit 2
run mechanism 0 -v 2024 --lineage lineage.yaml --rules rules --successors 2026 -o ../out/mechanism
same "$EXPECTED/mechanism" ../out/mechanism
same "$EXPECTED/mechanism.stderr" ../mechanism.stderr
ktest mechanism ../out/mechanism "$TESTDIR/mechanism.test.yaml"
"$KADER" check -q ../out/mechanism >../mechanism.check 2>&1 ||
    { fail "mechanism: the rule files do not load"; cat ../mechanism.check; }

# The same bytes again.
run mechanism-again 0 2024 --lineage lineage.yaml --rules rules --successors 2026 -o ../out/mechanism-again
diff -r ../out/mechanism ../out/mechanism-again >/dev/null || fail "mechanism: a second compile differs"

# The 2026 documents among the inputs serve as successors too; their own messages come once.
run together 0 2024 2026 --lineage lineage.yaml --rules rules -o ../out/together
cmp -s ../out/mechanism/logboek_met_kaart.kdr ../out/together/logboek_met_kaart.kdr ||
    fail "together: logboek_met_kaart differs from the --successors compile"
same "$EXPECTED/together.stderr" ../together.stderr

# Without the 2026 document, a successor the rules do not define: the own condition stays.
run no-successor-document 0 2024/logboek_met_kaart.md --lineage lineage.yaml --rules rules --stdout
same "$EXPECTED/no-successor-document.kdr" ../no-successor-document.stdout
same "$EXPECTED/no-successor-document.stderr" ../no-successor-document.stderr

# Given the 2026 documents, a successor they lack is reported even when a rule defines it.
run not-among-successors 0 2024/keuring_vooraf.md --lineage lineage.yaml --rules rules \
    --successors 2026/tst-02-logboek.md --stdout
same "$EXPECTED/not-among-successors.stderr" ../not-among-successors.stderr

# --no-lineage compiles the 2024 documents as they stand.
run no-lineage 0 2024/keuring_vooraf.md --no-lineage --stdout
same "$EXPECTED/no-lineage.kdr" ../no-lineage.stdout
same "$EXPECTED/no-lineage.stderr" ../no-lineage.stderr

# ---- errors: a broken table or successor rule; every one with its place, nothing written ----
for table in ../bad/*.yaml; do
    name=bad-$(basename "$table" .yaml)
    run "$name" 2 2024/keuring_vooraf.md --lineage "$table" --rules rules -o "../out/$name"
    same "$EXPECTED/bad/$name.stderr" "../$name.stderr"
    [ ! -e "../out/$name" ] || fail "$name: the output directory was created"
done
run rules-broken 2 2024/keuring_vooraf.md --lineage lineage.yaml --rules ../rules-broken -o ../out/x
same "$EXPECTED/rules-broken.stderr" ../rules-broken.stderr
run rules-own-definition 2 2024/keuring_vooraf.md --lineage lineage.yaml --rules ../rules-own-definition -o ../out/x
same "$EXPECTED/rules-own-definition.stderr" ../rules-own-definition.stderr
run lineage-missing 2 2024/keuring_vooraf.md --lineage nergens.yaml -o ../out/x
same "$EXPECTED/lineage-missing.stderr" ../lineage-missing.stderr
run successors-missing 2 2024/keuring_vooraf.md --lineage lineage.yaml --rules rules --successors nergens -o ../out/x
same "$EXPECTED/successors-missing.stderr" ../successors-missing.stderr
[ ! -e ../out/x ] || fail "an error run created the output directory"

# The command line.
run lineage-and-no-lineage 2 2024 --lineage lineage.yaml --no-lineage -o ../out/x
same "$EXPECTED/lineage-and-no-lineage.stderr" ../lineage-and-no-lineage.stderr
run rules-without-path 2 2024 --rules --stdout
same "$EXPECTED/rules-without-path.stderr" ../rules-without-path.stderr
run lineage-typo 2 2024 --lineag lineage.yaml -o ../out/x
same "$EXPECTED/lineage-typo.stderr" ../lineage-typo.stderr
run help 0 --help
grep -q -- '--successors PATH' ../help.stdout || fail "--help does not describe --successors"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "lineage fixtures: all passed"
