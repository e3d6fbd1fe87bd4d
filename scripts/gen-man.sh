#!/bin/sh
# gen-man.sh — writes the kader.1 man page from the program's own --help texts, so the manual
# cannot drift from the command line. Usage: gen-man.sh KADER_BINARY OUTPUT VERSION
set -eu
kader=$1
out=$2
version=$3
tmp=$out.tmp
# troff needs leading dots and backslashes escaped in verbatim text
escape() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
commands=$("$kader" --help | awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')
{
    echo ".TH KADER 1 \"\" \"kader $version\" \"User Commands\""
    echo ".SH NAME"
    echo "kader \\- evaluate regulatory requirement frameworks written as rules"
    echo ".SH SYNOPSIS"
    echo ".B kader"
    echo ".I command"
    echo "[\\fIoptions\\fR] [\\fIargs\\fR]"
    echo ".SH DESCRIPTION"
    "$kader" --help | awk 'NR > 2 && /^commands:/ {exit} NR > 2 {print}' | escape
    echo ".SH COMMANDS"
    for c in $commands; do
        echo ".SS kader $c"
        echo ".nf"
        "$kader" "$c" --help | escape
        echo ".fi"
    done
    echo ".SH EXIT STATUS"
    echo ".TP"; echo ".B 0"; echo "success: the rules were evaluated, checked or compiled"
    echo ".TP"; echo ".B 1"; echo "a result that --fail-on asked about, a failing rule test, or warnings with --strict"
    echo ".TP"; echo ".B 2"; echo "a usage error, or an error in a rule file, facts file or document (the message names file, line and column)"
    echo ".SH ENVIRONMENT"
    echo ".TP"; echo ".B KADER_PATH"; echo "directories, separated by ':', searched for imported rule files"
    echo ".TP"; echo ".B KADER_HOME"; echo "the directory that holds stdlib/ and rules/ (default: the installed share/kader)"
    echo ".TP"; echo ".B NO_COLOR"; echo "when set, output has no colours"
    echo ".SH FILES"
    echo ".TP"; echo ".I share/kader/stdlib"; echo "the standard library, always loaded"
    echo ".TP"; echo ".I share/kader/rules"; echo "the default rule set, used when no --rules is given"
    echo ".SH SEE ALSO"
    echo "The language reference LANGUAGE.md and the report schema report-schema.json, installed in share/doc/kader."
} >"$tmp"
mv "$tmp" "$out"
