#!/bin/sh
# check_examples.sh — every ```kader block of a Markdown document must load without errors
# (each block on its own, with --no-stdlib), so the documentation cannot drift from the language.
set -u
kader=$1
doc=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
    /^```kader[ \t]*$/ { n++; file = sprintf("%s/example-%02d.kdr", dir, n); inside = 1; start = NR; next }
    /^```/ && inside  { inside = 0; print start > (dir "/lines-" sprintf("%02d", n)); next }
    inside            { print > file }
' "$doc"
count=0
status=0
for f in "$tmp"/example-*.kdr; do
    [ -f "$f" ] || continue
    count=$((count + 1))
    n=$(basename "$f" .kdr | sed 's/example-//')
    if ! "$kader" check --no-stdlib --quiet "$f" 2>"$tmp/err"; then
        echo "$doc: the example starting at line $(cat "$tmp/lines-$n") does not load:"
        cat "$tmp/err"
        status=1
    fi
done
if [ "$count" = 0 ]; then
    echo "$doc: no kader examples found"
    exit 1
fi
echo "$doc: $count examples load"
exit $status
