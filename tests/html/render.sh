#!/bin/sh
# render.sh — renders kader's HTML report of a real example (examples/grensbewaking-biometrie.yaml
# with the default rules) in headless Chromium, takes a screenshot and checks, in the DOM that
# Chromium built, that the page holds what a reader needs: the lifecycle phases with the current
# one marked, the status classes, the routes, and (in a second page with one fact left out) the
# missing facts with their questions. The pages and screenshots stay in OUT_DIR to look at.
#
#   render.sh KADER SOURCE_DIR OUT_DIR
#
# Exit 77 (skipped) when chromium is not installed: apt-get install chromium.
set -u
if [ $# -ne 3 ]; then
    echo "usage: render.sh KADER SOURCE_DIR OUT_DIR" >&2
    exit 2
fi
kader=$1
src=$2
out=$3
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    echo "render.sh: chromium is not installed; skipped (apt-get install chromium)"
    exit 77
fi
mkdir -p "$out" || exit 2
profile=$(mktemp -d "${TMPDIR:-/tmp}/kader-chromium.XXXXXX") || exit 2
trap 'rm -rf "$profile"' EXIT
failures=0

fail() {
    echo "render.sh: $*"
    failures=$((failures + 1))
}

# Chromium's own flags for a quiet, offline, reproducible run (the page needs no network).
browse() {
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$profile" "$@" 2>>"$out/chromium.log"
}

# render NAME ARGS...: the report, its DOM and a screenshot; 0 when all three were made.
render() {
    name=$1
    shift
    page="$out/$name.html"
    if ! (cd "$src" && KADER_HOME="$src" KADER_PATH= NO_COLOR=1 "$kader" eval --format html "$@") >"$page"; then
        fail "$name: kader eval --format html $* failed"
        return 1
    fi
    # Self-contained: no scripts, no links to style sheets, images or fonts elsewhere.
    for outside in '<script' '<link' '<img' '<iframe' ' src=' '@import' 'url(' 'http://' 'https://www' ; do
        if grep -qi -- "$outside" "$page"; then
            fail "$name: the page is not self-contained: it holds '$outside'"
        fi
    done
    browse --dump-dom "file://$page" >"$out/$name.dom"
    if [ ! -s "$out/$name.dom" ]; then
        fail "$name: chromium did not load the page (see $out/chromium.log)"
        return 1
    fi
    rm -f "$out/$name.png"
    browse --screenshot="$out/$name.png" --window-size=1280,4000 "file://$page" >/dev/null
    if [ ! -s "$out/$name.png" ]; then
        fail "$name: chromium made no screenshot (see $out/chromium.log)"
        return 1
    fi
    # The PNG's header: the signature, then IHDR with width and height (big-endian, bytes 17-24).
    size=$(od -An -tu1 -j16 -N8 "$out/$name.png" | tr -s ' ' | sed 's/^ //')
    if [ "$size" != "0 0 5 0 0 0 15 160" ]; then
        fail "$name: the screenshot is not 1280x4000 (IHDR bytes: $size)"
    fi
    # A blank page compresses to a few kilobytes; a rendered report does not.
    if [ "$(wc -c <"$out/$name.png")" -lt 100000 ]; then
        fail "$name: the screenshot is nearly empty ($(wc -c <"$out/$name.png") bytes)"
    fi
    return 0
}

# expect NAME TEXT WHAT: the DOM of page NAME holds TEXT.
expect() {
    grep -qF -- "$2" "$out/$1.dom" || fail "$1: $3 is missing: no '$2' in the DOM"
}

# expect_not NAME TEXT WHAT: the DOM of page NAME does not hold TEXT.
expect_not() {
    if grep -qF -- "$2" "$out/$1.dom"; then
        fail "$1: $3: '$2' should not be in the DOM"
    fi
}

if render grensbewaking --date 2027-01-15 examples/grensbewaking-biometrie.yaml; then
    p=grensbewaking
    expect $p '<h1 id="system">Biometrische identificatie aankomsthal (grensbewaking)</h1>' "the system's name"
    expect $p '<time datetime="2027-01-15">2027-01-15</time>' "the evaluation date"
    expect $p '<dd id="phase">Verificatie en validatie</dd>' "the current phase on top"
    for phase in probleemanalyse ontwerp dataverkenning-en-datapreparatie ontwikkelen verificatie-en-validatie \
                 implementatie monitoring-en-beheer uitfaseren organisatieverantwoordelijkheden; do
        expect $p "id=\"phase-$phase\"" "the section of phase $phase"
        expect $p "<li class=\"step" "the timeline"
    done
    expect $p '<section class="phase phase-current" id="phase-verificatie-en-validatie"' "the current phase, highlighted"
    expect $p '<section class="phase phase-past" id="phase-ontwerp"' "an earlier phase"
    expect $p '<section class="phase phase-future" id="phase-implementatie"' "a later phase"
    expect $p '<section class="phase phase-always" id="phase-organisatieverantwoordelijkheden"' "the phase that holds throughout"
    expect $p '<li class="step phase-current" data-phase="verificatie-en-validatie">' "the current step of the timeline"
    expect $p '<tr class="obligation status-applies timing-now inforce-not-yet" data-requirement="urn:nl:ak:ver:aia-14">' "the conformity assessment, due now and not yet in force"
    expect $p 'class="obligation status-applies timing-overdue' "an overdue obligation"
    expect $p 'class="obligation status-applies timing-ahead' "an obligation ahead"
    expect $p '<article class="requirement status-applies timing-now inforce-not-yet" id="req-urn-nl-ak-ver-aia-14"' "the details of aia-14"
    expect $p 'class="requirement status-not-applicable"' "the requirements that do not apply"
    expect $p '<div class="tile status-applies" id="count-applies"><span class="num">56</span>' "the count of obligations that apply"
    expect $p '<div class="tile status-not-applicable" id="count-not-applicable"><span class="num">17</span>' "the count of those that do not"
    expect $p '<p class="route" data-route="markttoezichtautoriteit">' "the route of the conformity assessment"
    expect $p '<p class="route" data-route="beveiligd-deel">' "the route of the registration"
    expect $p '<article class="procedure status-applies" id="proc-conformiteitsbeoordeling"' "the conformity assessment procedure"
    expect $p '<code class="condition">aanbieder and hoog_risico_plichten</code>' "a requirement's condition as its reason"
    expect $p '<span class="inforce inforce-not-yet">Not yet in force <span class="when">from <time datetime="2027-12-02">' "a date from which an obligation applies"
    expect $p 'data-label="risicogroep"><span class="chip">hoog-risico-ai-systeem</span>' "the risk group"
    expect_not $p 'id="missing-facts"' "nothing is missing for this system"
    expect_not $p 'class="obligation status-undetermined' "nothing is undetermined for this system"
    expect_not $p 'class="requirement status-undetermined' "nothing is undetermined for this system"
fi

# The same system with one fact left out: the requirements that need it are undetermined, and the
# page asks for it.
if render grensbewaking-onbekend --date 2027-01-15 --set besluiten_over_personen=null examples/grensbewaking-biometrie.yaml; then
    p=grensbewaking-onbekend
    expect $p '<section class="block" id="missing-facts">' "the missing facts"
    expect $p '<tr class="missing-fact" id="fact-besluiten_over_personen" data-fact="besluiten_over_personen">' "the missing fact"
    expect $p 'Neemt het systeem besluiten over mensen, of helpt het daarbij' "the question of the missing fact"
    expect $p '<article class="requirement status-undetermined timing-now inforce-not-yet" id="req-urn-nl-ak-ver-aia-26"' "the undetermined requirement"
    expect $p '<li class="missing-fact" data-fact="besluiten_over_personen">' "the missing fact at the requirement"
    expect $p '<li class="value-unknown"><code>besluiten_over_personen</code>' "the unknown value in the reason"
    expect $p '<div class="tile status-undetermined" id="count-undetermined"><span class="num">5</span>' "the count of undetermined obligations"
fi

if [ "$failures" -ne 0 ]; then
    echo "render.sh: $failures check(s) failed; the pages and screenshots are in $out"
    exit 1
fi
echo "render.sh: the HTML reports render in $("$chromium" --version 2>/dev/null | head -n 1); screenshots in $out"
exit 0
