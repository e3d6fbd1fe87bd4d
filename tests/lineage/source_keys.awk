# source_keys.awk — the sources of a compiled requirement (its `source "..."` lines), each as
# comparable keys, one per line: "law:kind:number" for an article, annex, recital, section or
# chapter of a law the two frameworks name differently ("AI verordening", "Verordening
# Artificiële Intelligentie" -> aia; "AVG", "Algemene Verordening Gegevensbescherming" -> avg;
# "Awb" -> awb; "Woo", "Wet open overheid" -> woo), with its paragraph when one is given
# ("aia:artikel:16(h)"), else the source's letters and digits. Two requirements cite the same
# provision when they share a key, or when one cites a whole article ("aia:artikel:26") and the
# other a paragraph of it ("aia:artikel:26(1)"): see common_provision.awk. POSIX awk.
function law_of(s) {
    if (s ~ /(^|[^a-z])avg([^a-z]|$)/ || s ~ /gegevensbescherming/) return "avg"
    if (s ~ /ai[- ]?verordening/ || s ~ /artifi/ || s ~ /ai-wet/ || s ~ /ai-systemen/) return "aia"
    if (s ~ /(^|[^a-z])awb([^a-z]|$)/ || s ~ /bestuursrecht/) return "awb"
    if (s ~ /(^|[^a-z])woo([^a-z]|$)/ || s ~ /wet open overheid/) return "woo"
    return ""
}
/^  source      "/ {
    s = $0
    sub(/^  source      "/, "", s)
    sub(/"$/, "", s)
    s = tolower(s)
    law = law_of(s)
    found = 0
    rest = s
    while (law != "" && match(rest, /(artikel|afdeling|bijlage|overweging|hoofdstuk) +[0-9ivx]+([:.][0-9]+)?(\([0-9a-z]+\))?/)) {
        ref = substr(rest, RSTART, RLENGTH)
        split(ref, part, / +/)
        print law ":" part[1] ":" part[2]
        found = 1
        rest = substr(rest, RSTART + RLENGTH)
    }
    if (!found) {
        gsub(/[^a-z0-9]/, "", s)
        if (s != "") print s
    }
}
