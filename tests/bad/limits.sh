#!/bin/sh
# limits.sh — the bad inputs too big to keep in the repository, made here at test time: one just
# over each limit of docs/LIMITS.md (and, where cheap, one just at it, which must pass), an
# unreadable file, and the all-or-nothing promise of `kader compile`. Each run must end within
# the time limit with the exit status and the first line of the message given here.
#
# usage: limits.sh KADER
set -u
kader=$1
case $kader in /*) ;; *) kader=$(pwd)/$kader ;; esac
work=$(mktemp -d) || exit 2
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 2
failures=0
passed=0
skipped=0
runner=""   # a prefix that runs kader as another user, for the permission tests

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# expect NAME RC FIRST-LINE KADER-ARGS...: the first line of stderr (of stdout when stderr is
# empty) must be FIRST-LINE exactly ("" for none); stdout must be empty when RC is 2.
expect() {
    name=$1 rc_wanted=$2 first_wanted=$3
    shift 3
    NO_COLOR=1 KADER_PATH= timeout 120 $runner "$kader" "$@" >out 2>err </dev/null
    rc=$?
    if [ -s err ] || [ -z "$first_wanted" ]; then first=$(head -n 1 err); else first=$(head -n 1 out); fi
    if [ "$rc" != "$rc_wanted" ]; then
        fail "$name: exit status $rc, expected $rc_wanted (kader $*)"
        head -c 2000 err
    elif [ "$first" != "$first_wanted" ]; then
        fail "$name: message"
        echo "  expected: $first_wanted"
        echo "  got:      $first"
    elif [ "$rc" = 2 ] && [ -s out ]; then
        fail "$name: output on stdout although the input was rejected"
    else
        passed=$((passed + 1))
    fi
}

# python3 is not needed: the inputs are made with printf, yes and head.
repeat() { # repeat COUNT TEXT: TEXT written COUNT times
    yes "$2" | head -n "$1"
}

# ---- rule files ----

# 16 MiB (16777216 bytes) is the largest rule file; one byte more is refused before parsing.
line=$(printf '#%01022d' 0)                   # 1023 characters and a newline: 1 KiB a line
repeat 16384 "$line" >at-limit.kdr             # exactly 16 MiB of comments
expect rule-file-at-limit 0 "ok: 0 facts, 0 definitions, 0 requirements, 0 procedures in 1 files" \
    check --no-stdlib at-limit.kdr
{ cat at-limit.kdr; printf '\n'; } >over-limit.kdr
expect rule-file-too-large 2 "kader: error: 'over-limit.kdr' is larger than the 16 MiB limit for rule files" \
    check --no-stdlib over-limit.kdr
rm -f at-limit.kdr over-limit.kdr

# A string holds at most 64 KiB.
{ printf 'let s = "'; head -c 65536 /dev/zero | tr '\0' x; printf '"\nlabel l = s\n'; } >string-at-limit.kdr
expect rule-string-at-limit 0 "ok: 0 facts, 2 definitions, 0 requirements, 0 procedures in 1 files" \
    check --no-stdlib string-at-limit.kdr
{ printf 'let s = "'; head -c 65537 /dev/zero | tr '\0' x; printf '"\nlabel l = s\n'; } >string-over-limit.kdr
expect rule-string-too-long 2 "string-over-limit.kdr:1:9: error: string too long" \
    check --no-stdlib string-over-limit.kdr

# Definitions refer to definitions at most 3000 deep (evaluation recurses through them).
chain() { # chain N: definitions d1 .. dN, each using the one before, and a label using dN
    printf 'fact a : bool\nlet d1 = a\n'
    i=2
    while [ "$i" -le "$1" ]; do
        printf 'let d%d = d%d\n' "$i" $((i - 1))
        i=$((i + 1))
    done
    printf 'label l = first { when d%d: "x" otherwise: "y" }\n' "$1"
}
chain 2998 >chain-at-limit.kdr     # the label is 3000 levels above the fact
expect definition-chain-at-limit 0 "ok: 1 facts, 2999 definitions, 0 requirements, 0 procedures in 1 files" \
    check --no-stdlib chain-at-limit.kdr
chain 3001 >chain-over-limit.kdr
expect definition-chain-too-deep 2 \
    "chain-over-limit.kdr:3002:5: error: 'd3001' is nested too deeply (3001 levels, the limit is 3000)" \
    check --no-stdlib chain-over-limit.kdr

# An expression is at most 400 deep: 399 'not's under a table are 400 levels.
nots() { repeat "$1" 'not' | tr '\n' ' '; }
printf 'fact a : bool\nlabel l = first { when %sa: "x" otherwise: "y" }\n' "$(nots 398)" >expr-at-limit.kdr
expect expression-at-limit 0 "ok: 1 facts, 1 definitions, 0 requirements, 0 procedures in 1 files" \
    check --no-stdlib expr-at-limit.kdr
printf 'fact a : bool\nlabel l = first { when %sa: "x" otherwise: "y" }\n' "$(nots 500)" >expr-over-limit.kdr
expect expression-too-deep 2 "expr-over-limit.kdr:2:424: error: expression nested too deeply" \
    check --no-stdlib expr-over-limit.kdr
# A long 'or' chain is as deep as it is long.
printf 'fact a : bool\nlet l = a%s\n' "$(repeat 450 ' or a' | tr -d '\n')" >or-chain.kdr
expect or-chain-too-deep 2 "or-chain.kdr:2:9: error: expression nested too deeply" \
    check --no-stdlib or-chain.kdr

# Parentheses nested beyond the parser's stack (2000 deep).
{ printf 'let x = '; repeat 5000 '(' | tr -d '\n'; printf 'true'; repeat 5000 ')' | tr -d '\n'; printf '\n'; } >parens.kdr
expect parentheses-too-deep 2 "parens.kdr:1:2003: error: rule text nested too deeply" \
    check --no-stdlib parens.kdr

# Imports nest at most 32 files deep.
mkdir imports
i=0
while [ "$i" -lt 34 ]; do
    printf 'import "f%d"\n' $((i + 1)) >"imports/f$i.kdr"
    i=$((i + 1))
done
printf 'fact a : bool\n' >imports/f34.kdr
expect imports-too-deep 2 "imports/f31.kdr:1:8: error: imports nested deeper than 32 files" \
    check --no-stdlib imports/f0.kdr

# A file full of errors stops printing after 50 (and is still read to the end, quickly).
repeat 20000 'let x = ?' >many-errors.kdr
expect many-errors 2 "many-errors.kdr:1:9: error: unexpected character '?'" check --no-stdlib many-errors.kdr
if [ "$(grep -c ': error: ' err)" != 50 ] || ! tail -n 1 err | grep -q 'too many errors'; then
    fail "many-errors: expected 50 errors and a note that the rest are not shown"
fi

# A megabyte-long line: the message shows a window of it, not the whole line.
{ printf 'let x = true'; head -c 1000000 /dev/zero | tr '\0' ' '; printf 'and 5\n'; } >long-line.kdr
expect long-line 2 "long-line.kdr:1:1000017: error: 'and' needs a bool condition, not a number" \
    check --no-stdlib long-line.kdr
if [ "$(wc -c <err)" -gt 1000 ]; then
    fail "long-line: the message is $(wc -c <err) bytes; a long line must be cut to a window"
fi

# ---- facts files ----

cat >rules.kdr <<'EOF'
fact toelichting : string
fact risicogroep : set
label l = first { when toelichting is known and count(risicogroep) > 0: "x" otherwise: "y" }
EOF

# 64 MiB (67108864 bytes) is the largest facts file.
{ repeat 65535 "$line"; printf 'toelichting: "%01008d"\n' 0; } >facts-at-limit.yaml
expect facts-file-at-limit 0 "" eval --no-stdlib --rules rules.kdr --date 2026-08-02 facts-at-limit.yaml
{ cat facts-at-limit.yaml; printf '#\n'; } >facts-over-limit.yaml
expect facts-file-too-large 2 "kader: error: cannot read 'facts-over-limit.yaml': larger than the 64 MiB limit for an input file" \
    eval --no-stdlib --rules rules.kdr --date 2026-08-02 facts-over-limit.yaml
rm -f facts-at-limit.yaml facts-over-limit.yaml

# A key or value holds at most 64 KiB.
{ printf 'toelichting: "'; head -c 65536 /dev/zero | tr '\0' x; printf '"\n'; } >value-at-limit.yaml
expect facts-string-at-limit 0 "" eval --no-stdlib --rules rules.kdr --date 2026-08-02 value-at-limit.yaml
{ printf 'toelichting: "'; head -c 65537 /dev/zero | tr '\0' x; printf '"\n'; } >value-over-limit.yaml
expect facts-string-too-long 2 "value-over-limit.yaml:1:14: error: string is longer than 64 KiB (65537 bytes)" \
    eval --no-stdlib --rules rules.kdr --date 2026-08-02 value-over-limit.yaml
{ printf '{"toelichting": "'; head -c 65537 /dev/zero | tr '\0' x; printf '"}\n'; } >value-over-limit.json
expect facts-json-string-too-long 2 "value-over-limit.json:1:17: error: string is longer than 64 KiB (65537 bytes)" \
    eval --no-stdlib --rules rules.kdr --date 2026-08-02 value-over-limit.json

# At most 100000 keys and list items in one file (the top-level key counts too).
{ printf 'risicogroep:\n'; repeat 99999 '  - a'; } >entries-at-limit.yaml
expect facts-entries-at-limit 0 "" eval --no-stdlib --rules rules.kdr --date 2026-08-02 entries-at-limit.yaml
{ printf 'risicogroep:\n'; repeat 100000 '  - a'; } >entries-over-limit.yaml
expect facts-too-many-entries 2 "entries-over-limit.yaml:100001:5: error: more than 100000 keys and list items in one facts file" \
    eval --no-stdlib --rules rules.kdr --date 2026-08-02 entries-over-limit.yaml

# ---- requirement documents ----

printf -- '---\nid: urn:nl:ak:ver:groot\ntitle: Groot\n---\n' >big.md
repeat 65536 "$line" >>big.md
expect document-too-large 2 "kader: error: cannot read big.md: larger than the 64 MiB limit for an input file" compile --stdout big.md
rm -f big.md

# ---- files that cannot be read, and output that cannot be written ----

printf 'fact a : bool\n' >locked.kdr
printf 'toelichting: x\n' >locked.yaml
printf -- '---\ntitle: x\n---\n' >locked.md
mkdir readonly
chmod 000 locked.kdr locked.yaml locked.md
chmod 555 readonly
if [ -r locked.kdr ] && [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups "$kader" --version >/dev/null 2>&1; then
    # Root reads and writes whatever the permissions say: run these as nobody instead.
    chmod 755 "$work"
    runner="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ -r locked.kdr ] && [ -z "$runner" ]; then
    echo "SKIP: unreadable files and a read-only directory (root, and no setpriv to run as nobody)"
    skipped=$((skipped + 4))
else
    expect unreadable-rules 2 "kader: error: cannot read 'locked.kdr': Permission denied" \
        check --no-stdlib locked.kdr
    expect unreadable-facts 2 "kader: error: cannot read 'locked.yaml': Permission denied" \
        eval --no-stdlib --rules rules.kdr locked.yaml
    expect unreadable-document 2 "kader: error: cannot read locked.md: Permission denied" \
        compile --stdout locked.md
    printf -- '---\nid: urn:nl:ak:ver:goed\ntitle: Goed\n---\n' >good.md
    chmod 644 good.md
    expect output-not-writable 2 "kader: error: cannot create directory readonly/out: Permission denied" \
        compile good.md -o readonly/out
fi
runner=""
chmod 644 locked.kdr locked.yaml locked.md
chmod 755 readonly

mkdir docs
printf -- '---\nid: urn:nl:ak:ver:goed\ntitle: Goed\n---\n' >docs/a-goed.md
printf -- '---\nid: urn:nl:ak:ver:fout\ntitle: [Fout\n---\n' >docs/b-fout.md

# All or nothing: one bad document, and nothing is written, nor an existing file changed.
expect compile-one-bad-document 2 "docs/b-fout.md:4:1: error: front matter: did not find expected ',' or ']' while parsing a flow sequence" \
    compile docs -o out-new
[ -e out-new ] && fail "compile-one-bad-document: the output directory was created although nothing was compiled"
mkdir out-old
printf 'old\n' >out-old/a-goed.kdr
expect compile-keeps-old-output 2 "docs/b-fout.md:4:1: error: front matter: did not find expected ',' or ']' while parsing a flow sequence" \
    compile docs -o out-old
[ "$(cat out-old/a-goed.kdr)" = old ] || fail "compile-keeps-old-output: an existing rule file was changed"
[ "$(ls -A out-old)" = a-goed.kdr ] || fail "compile-keeps-old-output: files were left in the output directory: $(ls -A out-old)"

echo "limits: $passed passed, $failures failed, $skipped skipped"
[ "$failures" = 0 ]
