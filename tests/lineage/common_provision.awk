# common_provision.awk — reads two files of source keys (source_keys.awk), the 2024 document's
# first, and prints one provision they have in common: the same key, or a whole article on one
# side and a paragraph of it on the other. Prints nothing when they share none. POSIX awk.
FNR == NR { mine[$0] = 1; next }
{
    theirs[$0] = 1
}
END {
    for (a in mine) {
        if (a in theirs) { print a; exit }
        for (b in theirs) {
            if (index(a, "(") == 0 && index(b, a "(") == 1) { print b; exit }
            if (index(b, "(") == 0 && index(a, b "(") == 1) { print a; exit }
        }
    }
}
