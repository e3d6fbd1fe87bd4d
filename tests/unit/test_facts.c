/* test_facts.c — unit test of the facts loader (engine/facts.c): values of every type from YAML,
 * JSON and --set, defaults, reuse, and the exact text of every error it reports. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "facts.h"

static int failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

#define CHECK_STR(got, want) check_str(__FILE__, __LINE__, (got), (want))

static void check_str(const char *file, int line, const char *got, const char *want)
{
    if (got && want && strcmp(got, want) == 0)
        return;
    fprintf(stderr, "%s:%d: text differs\n--- expected ---\n%s--- got ---\n%s--- end ---\n", file, line,
            want ? want : "(null)\n", got ? got : "(null)\n");
    failures++;
}

#ifndef HAVE_PATH_CHILD
/* Stand-in for the resolver's path_child, so this test also builds without the parser. */
const PathNode *path_child(const PathNode *node, const char *segment, size_t len)
{
    uint32_t lo = 0, hi = node->n_children;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *s = node->children[mid]->segment;
        size_t sl = strlen(s);
        int c = memcmp(s, segment, sl < len ? sl : len);
        if (c == 0)
            c = sl < len ? -1 : sl > len;
        if (c == 0)
            return node->children[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
#endif

/* ---- a program built by hand, as the resolver would leave it ---- */

enum {
    F_VERBODEN, F_PUNT, F_BIJLAGE_I, F_TIJDLIJN, F_INGEBRUIK, F_TOELICHTING, F_ROL, F_RISICO,
    F_BESLIS_1_1, F_SCORE, F_EXTRA, N_FACTS
};

static Program prog;
static PathNode root;

static PathNode *tree_child(PathNode *node, const char *seg)
{
    uint32_t i = 0;
    while (i < node->n_children && strcmp(node->children[i]->segment, seg) < 0)
        i++;
    if (i < node->n_children && strcmp(node->children[i]->segment, seg) == 0)
        return node->children[i];
    PathNode *c = arena_alloc(&prog.arena, sizeof *c);
    c->segment = arena_strdup(&prog.arena, seg);
    c->fact = -1;
    PathNode **kids = arena_alloc(&prog.arena, (node->n_children + 1) * sizeof *kids);
    for (uint32_t k = 0; k < node->n_children; k++)
        kids[k < i ? k : k + 1] = node->children[k];
    kids[i] = c;
    node->children = kids;
    node->n_children++;
    return c;
}

/* path: segments separated by '|' (so that "1.1" can be one segment); allowed: '|'-separated. */
static FactDecl *declare(int index, const char *name, const char *path, KdrType type, const char *allowed)
{
    FactDecl *fd = arena_alloc(&prog.arena, sizeof *fd);
    fd->name = name;
    fd->type = type;
    fd->index = index;
    const char *segs[8];
    uint32_t n = 0;
    char *copy = arena_strdup(&prog.arena, path);
    for (char *s = strtok(copy, "|"); s; s = strtok(NULL, "|"))
        segs[n++] = s;
    fd->path = arena_alloc(&prog.arena, n * sizeof *fd->path);
    memcpy(fd->path, segs, n * sizeof *segs);
    fd->path_len = n;
    PathNode *node = &root;
    for (uint32_t i = 0; i < n; i++)
        node = tree_child(node, segs[i]);
    node->fact = index;
    if (allowed) {
        const char *vals[8];
        uint32_t k = 0;
        char *a = arena_strdup(&prog.arena, allowed);
        for (char *s = strtok(a, "|"); s; s = strtok(NULL, "|"))
            vals[k++] = s;
        fd->allowed = arena_alloc(&prog.arena, k * sizeof *fd->allowed);
        memcpy(fd->allowed, vals, k * sizeof *vals);
        fd->n_allowed = k;
    }
    prog.facts[index] = fd;
    return fd;
}

static void build_program(void)
{
    root.fact = -1;
    prog.fact_root = &root;
    prog.n_facts = N_FACTS;
    prog.facts = arena_alloc(&prog.arena, N_FACTS * sizeof *prog.facts);
    declare(F_VERBODEN, "verboden_praktijk", "verboden_praktijk", T_BOOL, NULL);
    FactDecl *punt = declare(F_PUNT, "bijlage_iii_punt", "bijlage_iii_punt", T_NUMBER, NULL);
    punt->has_range = true;
    punt->lo = 1;
    punt->hi = 8;
    declare(F_BIJLAGE_I, "bijlage_i", "bijlage_i", T_STRING, "A|B");
    FactDecl *tl = declare(F_TIJDLIJN, "tijdlijn", "tijdlijn", T_STRING, "omnibus|wet");
    tl->has_default = true;
    tl->default_value = val_string("omnibus");
    declare(F_INGEBRUIK, "ingebruikname", "ingebruikname", T_DATE, NULL);
    declare(F_TOELICHTING, "toelichting", "toelichting", T_STRING, NULL);
    declare(F_ROL, "rol", "ai_act|rol-ai-act", T_SET, "aanbieder|gebruiksverantwoordelijke|importeur|distributeur");
    declare(F_RISICO, "ai_act.risicogroep", "ai_act|risicogroep", T_SET, NULL);
    declare(F_BESLIS_1_1, "beslishulp.\"1.1\"", "beslishulp|1.1", T_STRING, "Ja|Nee");
    declare(F_SCORE, "score", "score", T_NUMBER, NULL);
    FactDecl *extra = declare(F_EXTRA, "extra", "extra", T_SET, NULL);
    extra->has_default = true;
    const char *items[] = {"b", "a"};
    extra->default_value = val_set(set_build(&prog.arena, items, 2));
}

/* ---- running the loader and capturing its messages ---- */

static Sources sources;
static Facts facts;
static char *out; /* messages of the last run */

static int run(int (*fn)(Facts *, Sources *, const char *, const char *, Diag *), const char *name,
               const char *text)
{
    free(out);
    size_t size;
    FILE *m = open_memstream(&out, &size);
    Diag d;
    diag_init(&d, &sources, m);
    int rc = fn(&facts, &sources, name, text, &d);
    fclose(m);
    CHECK((rc == 0) == (d.errors == 0));
    if (getenv("TEST_FACTS_SHOW") && *out)
        printf("==== %s\n%s", text && strlen(text) < 200 ? text : name, out), fflush(stdout);
    return rc;
}

static int load_fn(Facts *f, Sources *s, const char *name, const char *text, Diag *d)
{
    return facts_load_text(f, s, name, text, strlen(text), d);
}

static int set_fn(Facts *f, Sources *s, const char *name, const char *text, Diag *d)
{
    (void)name;
    return facts_set(f, s, text, d);
}

static int file_fn(Facts *f, Sources *s, const char *name, const char *text, Diag *d)
{
    (void)text;
    return facts_load_file(f, s, name, d);
}

/* Loads into freshly cleared facts. */
static int load(const char *name, const char *text)
{
    facts_clear(&facts);
    return run(load_fn, name, text);
}

static int set(const char *assignment) { return run(set_fn, NULL, assignment); }

static int set_fresh(const char *assignment)
{
    facts_clear(&facts);
    return set(assignment);
}

/* Loads text that must fail with exactly `want`. */
#define FAILS(name, text, want)            \
    do {                                   \
        CHECK(load((name), (text)) == -1); \
        CHECK_STR(out, (want));            \
    } while (0)

#define SET_FAILS(text, want)            \
    do {                                 \
        CHECK(set_fresh((text)) == -1);  \
        CHECK_STR(out, (want));          \
    } while (0)

static Value val(int i) { return facts.values[i]; }

static Buf shown; /* the text set_text returned last */

static const char *set_text(Value v)
{
    buf_clear(&shown);
    if (v.kind != V_SET)
        return "(not a set)";
    value_format(&shown, v);
    return buf_str(&shown);
}

static int32_t day(const char *s)
{
    int32_t d = 0;
    CHECK(date_parse(s, strlen(s), &d) == DATE_OK);
    return d;
}

/* ---- values ---- */

static void test_yaml_values(void)
{
    const char *text =
        "# a system\n"
        "naam: Toeslagen-check\n"
        "datum: 2026-08-02\n"
        "verboden_praktijk: false\n"
        "bijlage_iii_punt: 5\n"
        "bijlage_i: A\n"
        "ingebruikname: 2025-01-31\n"
        "toelichting: 12.5\n"
        "score: -0.25e1\n"
        "ai_act:\n"
        "  rol-ai-act: [aanbieder, importeur, aanbieder]\n"
        "  risicogroep: hoog-risico-ai-systeem\n"
        "beslishulp:\n"
        "  \"1.1\": Ja\n";
    CHECK(load("s.yaml", text) == 0);
    CHECK_STR(out, "");
    CHECK_STR(facts.name, "Toeslagen-check");
    CHECK(facts.has_date && facts.date == day("2026-08-02"));
    CHECK(val(F_VERBODEN).kind == V_BOOL && !val(F_VERBODEN).as.b);
    CHECK(val(F_PUNT).kind == V_NUMBER && val(F_PUNT).as.num == 5);
    CHECK(val(F_BIJLAGE_I).kind == V_STRING && strcmp(val(F_BIJLAGE_I).as.str, "A") == 0);
    CHECK(val(F_INGEBRUIK).kind == V_DATE && val(F_INGEBRUIK).as.date == day("2025-01-31"));
    /* a plain number given to a string fact is taken as its text */
    CHECK(val(F_TOELICHTING).kind == V_STRING && strcmp(val(F_TOELICHTING).as.str, "12.5") == 0);
    CHECK(val(F_SCORE).kind == V_NUMBER && val(F_SCORE).as.num == -2.5);
    CHECK_STR(set_text(val(F_ROL)), "{\"aanbieder\", \"importeur\"}");
    CHECK_STR(set_text(val(F_RISICO)), "{\"hoog-risico-ai-systeem\"}");
    CHECK(val(F_BESLIS_1_1).kind == V_STRING && strcmp(val(F_BESLIS_1_1).as.str, "Ja") == 0);
    CHECK(val(F_TIJDLIJN).kind == V_UNKNOWN);
    CHECK_STR(facts.source, "s.yaml");
    /* origins point at the value */
    CHECK(facts.origins[F_PUNT].kind == ORIGIN_FILE);
    const SourceFile *src = sources_get(&sources, facts.origins[F_PUNT].loc.file);
    CHECK(src && strncmp(src->text + facts.origins[F_PUNT].loc.start, "5\n", 2) == 0);
    CHECK(facts.origins[F_PUNT].loc.end == facts.origins[F_PUNT].loc.start + 1);
    CHECK(facts.origins[F_TIJDLIJN].kind == ORIGIN_NONE);

    /* the plain key 1.1 and a block list; an empty list is a known empty set */
    CHECK(load("t.yaml", "beslishulp:\n  1.1: Nee\nai_act:\n  rol-ai-act:\n    - distributeur\n  risicogroep: []\n"
                         "verboden_praktijk: true\n") == 0);
    CHECK_STR(out, "");
    CHECK(strcmp(val(F_BESLIS_1_1).as.str, "Nee") == 0);
    CHECK_STR(set_text(val(F_ROL)), "{\"distributeur\"}");
    CHECK(val(F_RISICO).kind == V_SET && val(F_RISICO).as.set->len == 0);
    CHECK(val_is_true(val(F_VERBODEN)));

    /* an empty file, an empty document and a bare --- give no facts */
    CHECK(load("e.yaml", "") == 0);
    CHECK(load("e.yaml", "# nothing\n") == 0);
    CHECK(load("e.yaml", "---\n") == 0);
    CHECK_STR(out, "");
    /* a byte order mark is skipped */
    CHECK(load("bom.yaml", "\xEF\xBB\xBF" "bijlage_iii_punt: 2\n") == 0);
    CHECK(val(F_PUNT).as.num == 2);
    /* an empty group is nothing given */
    CHECK(load("g.yaml", "ai_act:\n  # rol-ai-act: aanbieder\n") == 0);
    CHECK_STR(out, "");
    /* quoted dates and the !!str tag are strings */
    CHECK(load("q.yaml", "ingebruikname: \"2024-02-29\"\ntoelichting: !!str 3\n") == 0);
    CHECK(val(F_INGEBRUIK).as.date == day("2024-02-29"));
    CHECK(strcmp(val(F_TOELICHTING).as.str, "3") == 0);
}

static void test_null_and_override(void)
{
    CHECK(load("a.yaml", "bijlage_iii_punt: 3\nbijlage_i: B\nnaam: X\ndatum: 2026-01-01\n") == 0);
    CHECK(val(F_PUNT).as.num == 3);
    /* a second load overrides key by key; null makes a value unknown again */
    CHECK(run(load_fn, "b.yaml", "bijlage_iii_punt: ~\nbijlage_i:\nnaam: null\ndatum: NULL\nverboden_praktijk: true\n") == 0);
    CHECK_STR(out, "");
    CHECK(val(F_PUNT).kind == V_UNKNOWN);
    CHECK(facts.origins[F_PUNT].kind == ORIGIN_FILE);
    CHECK(val(F_BIJLAGE_I).kind == V_UNKNOWN);
    CHECK(facts.name == NULL && !facts.has_date);
    CHECK(val_is_true(val(F_VERBODEN)));
    CHECK_STR(facts.source, "b.yaml");
    CHECK(run(load_fn, "c.json", "{\"verboden_praktijk\": null, \"bijlage_iii_punt\": 8}") == 0);
    CHECK(val(F_VERBODEN).kind == V_UNKNOWN);
    CHECK(val(F_PUNT).as.num == 8);
    /* --set overrides the file */
    CHECK(set("bijlage_iii_punt=2") == 0);
    CHECK(val(F_PUNT).as.num == 2 && facts.origins[F_PUNT].kind == ORIGIN_SET);
    CHECK(set("bijlage_iii_punt=null") == 0);
    CHECK(val(F_PUNT).kind == V_UNKNOWN && facts.origins[F_PUNT].kind == ORIGIN_SET);
}

static void test_json_values(void)
{
    const char *text =
        "{\n"
        "  \"naam\": \"Systeem \\\"A\\\" \\u00e9\",\n"
        "  \"datum\": \"2026-08-02\",\n"
        "  \"verboden_praktijk\": true,\n"
        "  \"bijlage_iii_punt\": 1.5e0,\n"
        "  \"toelichting\": 42,\n"
        "  \"ai_act\": {\"rol-ai-act\": \"gebruiksverantwoordelijke\", \"risicogroep\": [\"a\", \"b\"]},\n"
        "  \"beslishulp\": {\"1.1\": \"Nee\"},\n"
        "  \"ingebruikname\": \"2024-12-31\"\n"
        "}\n";
    CHECK(load("s.json", text) == 0);
    CHECK_STR(out, "");
    CHECK_STR(facts.name, "Systeem \"A\" \xc3\xa9");
    CHECK(facts.has_date && facts.date == day("2026-08-02"));
    CHECK(val_is_true(val(F_VERBODEN)));
    CHECK(val(F_PUNT).as.num == 1.5);
    CHECK(strcmp(val(F_TOELICHTING).as.str, "42") == 0);
    CHECK_STR(set_text(val(F_ROL)), "{\"gebruiksverantwoordelijke\"}");
    CHECK_STR(set_text(val(F_RISICO)), "{\"a\", \"b\"}");
    CHECK(strcmp(val(F_BESLIS_1_1).as.str, "Nee") == 0);
    CHECK(val(F_INGEBRUIK).as.date == day("2024-12-31"));
    /* the origin of a JSON value is exact */
    const SourceFile *src = sources_get(&sources, facts.origins[F_PUNT].loc.file);
    CHECK(strncmp(src->text + facts.origins[F_PUNT].loc.start, "1.5e0,", 6) == 0);
    CHECK(facts.origins[F_PUNT].loc.end - facts.origins[F_PUNT].loc.start == 5);
    /* "-" and unknown names are sniffed: { or [ means JSON */
    CHECK(load("-", "  {\"score\": 3}") == 0);
    CHECK(val(F_SCORE).as.num == 3);
    CHECK(load("-", "score: 4\n") == 0);
    CHECK(val(F_SCORE).as.num == 4);
    /* a .yaml name is YAML even when it starts with { (a flow mapping) */
    CHECK(load("f.yaml", "{score: 5, bijlage_i: B}") == 0);
    CHECK(val(F_SCORE).as.num == 5);
    CHECK(load("e.json", "{}") == 0);
}

/* ---- errors ---- */

static void test_yaml_errors(void)
{
    FAILS("f.yaml", "ai_act:\n  risicogrep: [x]\n",
          "f.yaml:2:3: error: undeclared fact 'ai_act.risicogrep'\n"
          " 2 |   risicogrep: [x]\n"
          "   |   ^~~~~~~~~~\n"
          "hint: did you mean 'ai_act.risicogroep'?\n");
    /* a fact at the wrong level is found in the whole tree */
    FAILS("f.yaml", "risicogroep: x\n",
          "f.yaml:1:1: error: undeclared fact 'risicogroep'\n"
          " 1 | risicogroep: x\n"
          "   | ^~~~~~~~~~~\n"
          "hint: did you mean 'ai_act.risicogroep'?\n");
    /* nothing close: the keys allowed at that level */
    /* the rule name of a fact that the file holds elsewhere */
    FAILS("f.yaml", "rol: aanbieder\n",
          "f.yaml:1:1: error: undeclared fact 'rol'\n"
          " 1 | rol: aanbieder\n"
          "   | ^~~\n"
          "hint: the fact 'rol' is given at 'ai_act.rol-ai-act'\n");
    FAILS("f.yaml", "ai_act:\n  zzz: 1\n",
          "f.yaml:2:3: error: undeclared fact 'ai_act.zzz'\n"
          " 2 |   zzz: 1\n"
          "   |   ^~~\n"
          "hint: keys allowed here: risicogroep, rol-ai-act\n");
    FAILS("f.yaml", "qqqqqqqqqq: 1\n",
          "f.yaml:1:1: error: undeclared fact 'qqqqqqqqqq'\n"
          " 1 | qqqqqqqqqq: 1\n"
          "   | ^~~~~~~~~~\n"
          "hint: keys allowed here: ai_act, beslishulp, bijlage_i, bijlage_iii_punt, datum, extra, "
          "ingebruikname, naam, score, tijdlijn, toelichting, verboden_praktijk\n");
    FAILS("f.yaml", "beslishulp:\n  \"1.2\": Ja\n",
          "f.yaml:2:3: error: undeclared fact 'beslishulp.\"1.2\"'\n"
          " 2 |   \"1.2\": Ja\n"
          "   |   ^~~~~\n"
          "hint: did you mean 'beslishulp.\"1.1\"'?\n");
    FAILS("f.yaml", "bijlage_iii_punt: vijf\n",
          "f.yaml:1:19: error: 'bijlage_iii_punt' must be a number, not a string\n"
          " 1 | bijlage_iii_punt: vijf\n"
          "   |                   ^~~~\n");
    FAILS("f.yaml", "bijlage_iii_punt: \"5\"\n",
          "f.yaml:1:19: error: 'bijlage_iii_punt' must be a number, not a string\n"
          " 1 | bijlage_iii_punt: \"5\"\n"
          "   |                   ^~~\n"
          "hint: write 5 without quotes\n");
    FAILS("f.yaml", "score: 3,5\n",
          "f.yaml:1:8: error: 'score' must be a number, not a string\n"
          " 1 | score: 3,5\n"
          "   |        ^~~\n"
          "hint: write decimals with a point: 3.5\n");
    FAILS("f.yaml", "bijlage_iii_punt: 9\n",
          "f.yaml:1:19: error: 'bijlage_iii_punt' must be between 1 and 8, not 9\n"
          " 1 | bijlage_iii_punt: 9\n"
          "   |                   ^\n");
    FAILS("f.yaml", "score: .inf\n",
          "f.yaml:1:8: error: 'score' must be a finite number, not .inf\n"
          " 1 | score: .inf\n"
          "   |        ^~~~\n");
    FAILS("f.yaml", "verboden_praktijk: \"true\"\n",
          "f.yaml:1:20: error: 'verboden_praktijk' must be true or false, not a string\n"
          " 1 | verboden_praktijk: \"true\"\n"
          "   |                    ^~~~~~\n"
          "hint: write true without quotes\n");
    FAILS("f.yaml", "verboden_praktijk: ja\n",
          "f.yaml:1:20: error: 'verboden_praktijk' must be true or false, not a string\n"
          " 1 | verboden_praktijk: ja\n"
          "   |                    ^~\n"
          "hint: write true or false\n");
    FAILS("f.yaml", "verboden_praktijk: 1\n",
          "f.yaml:1:20: error: 'verboden_praktijk' must be true or false, not a number\n"
          " 1 | verboden_praktijk: 1\n"
          "   |                    ^\n");
    FAILS("f.yaml", "tijdlijn: wett\n",
          "f.yaml:1:11: error: 'tijdlijn' must be one of: omnibus, wet\n"
          " 1 | tijdlijn: wett\n"
          "   |           ^~~~\n"
          "hint: did you mean 'wet'?\n");
    FAILS("f.yaml", "tijdlijn: geen\n",
          "f.yaml:1:11: error: 'tijdlijn' must be one of: omnibus, wet\n"
          " 1 | tijdlijn: geen\n"
          "   |           ^~~~\n");
    FAILS("f.yaml", "ingebruikname: 2026-02-30\n",
          "f.yaml:1:16: error: impossible date '2026-02-30'\n"
          " 1 | ingebruikname: 2026-02-30\n"
          "   |                ^~~~~~~~~~\n");
    FAILS("f.yaml", "ingebruikname: 2/8/2026\n",
          "f.yaml:1:16: error: 'ingebruikname' must be a date (YYYY-MM-DD), not a string\n"
          " 1 | ingebruikname: 2/8/2026\n"
          "   |                ^~~~~~~~\n");
    FAILS("f.yaml", "datum: 2026-13-01\nnaam: [a]\n",
          "f.yaml:1:8: error: impossible date '2026-13-01'\n"
          " 1 | datum: 2026-13-01\n"
          "   |        ^~~~~~~~~~\n"
          "f.yaml:2:1: error: 'naam' must be a string, not a list\n"
          " 2 | naam: [a]\n"
          "   | ^~~~\n");
    FAILS("f.yaml", "ai_act:\n  rol-ai-act: [aanbeider, importeur, {x: 1}]\n",
          "f.yaml:2:16: error: values of 'ai_act.rol-ai-act' must be one of: aanbieder, "
          "gebruiksverantwoordelijke, importeur, distributeur\n"
          " 2 |   rol-ai-act: [aanbeider, importeur, {x: 1}]\n"
          "   |                ^~~~~~~~~\n"
          "hint: did you mean 'aanbieder'?\n"
          "f.yaml:2:38: error: values of 'ai_act.rol-ai-act' must be strings, not a mapping\n"
          " 2 |   rol-ai-act: [aanbeider, importeur, {x: 1}]\n"
          "   |                                      ^~~~~~\n");
    FAILS("f.yaml", "ai_act:\n  risicogroep:\n    a: 1\n",
          "f.yaml:2:3: error: 'ai_act.risicogroep' must be a list of strings, not a mapping\n"
          " 2 |   risicogroep:\n"
          "   |   ^~~~~~~~~~~\n");
    FAILS("f.yaml", "ai_act: aanbieder\n",
          "f.yaml:1:9: error: 'ai_act' must be a mapping, not a string\n"
          " 1 | ai_act: aanbieder\n"
          "   |         ^~~~~~~~~\n"
          "hint: keys allowed under 'ai_act': risicogroep, rol-ai-act\n");
    FAILS("f.yaml", "bijlage_i:\n  x: 1\n",
          "f.yaml:1:1: error: 'bijlage_i' must be a string, not a mapping\n"
          " 1 | bijlage_i:\n"
          "   | ^~~~~~~~~\n");
    FAILS("f.yaml", "- a\n- b\n",
          "f.yaml:1:1: error: a facts file must be a mapping of fact names to values, not a list\n"
          " 1 | - a\n"
          "   | ^~~\n");
    FAILS("f.yaml", "score: 1\nbijlage_i: A\nscore: 2\n",
          "f.yaml:3:1: error: duplicate key 'score'\n"
          " 3 | score: 2\n"
          "   | ^~~~~\n"
          "hint: first given on line 1\n");
    FAILS("f.yaml", "ai_act:\n  risicogroep: a\n  risicogroep: b\n",
          "f.yaml:3:3: error: duplicate key 'ai_act.risicogroep'\n"
          " 3 |   risicogroep: b\n"
          "   |   ^~~~~~~~~~~\n"
          "hint: first given on line 2\n");
    FAILS("f.yaml", "bijlage_i: &a A\ntoelichting: *a\n",
          "f.yaml:2:14: error: YAML aliases are not allowed in facts files\n"
          " 2 | toelichting: *a\n"
          "   |              ^~\n"
          "hint: write the value out in full\n");
    FAILS("f.yaml", "score: 1\n---\nscore: 2\n",
          "f.yaml:2:1: error: more than one YAML document in a facts file\n"
          " 2 | ---\n"
          "   | ^~~\n"
          "hint: give each system its own facts file\n");
    FAILS("f.yaml", "toelichting: \"a\\0b\"\n",
          "f.yaml:1:14: error: string contains a NUL byte\n"
          " 1 | toelichting: \"a\\0b\"\n"
          "   |              ^~~~~~\n");
    FAILS("f.yaml", "toelichting: !geheim x\n",
          "f.yaml:1:14: error: unsupported YAML tag '!geheim'\n"
          " 1 | toelichting: !geheim x\n"
          "   |              ^~~~~~~~~\n");
    FAILS("f.yaml", "[a]: 1\n",
          "f.yaml:1:1: error: a key must be a string, not a list\n"
          " 1 | [a]: 1\n"
          "   | ^~~\n");
    /* syntax and encoding errors: libyaml's words, our place */
    FAILS("f.yaml", "score: 1\nbijlage_i: \"A\n",
          "f.yaml:3:1: error: invalid YAML: found unexpected end of stream\n"
          " 3 | \n"
          "   | ^\n"
          "hint: while scanning a quoted scalar that starts on line 2\n");
    FAILS("f.yaml", "score: 1: 2\n",
          "f.yaml:1:9: error: invalid YAML: mapping values are not allowed in this context\n"
          " 1 | score: 1: 2\n"
          "   |         ^\n");
    FAILS("f.yaml", "naam: \xc3\xa9\xff\n",
          "f.yaml:1:8: error: invalid YAML: invalid leading UTF-8 octet\n"
          " 1 | naam: \xc3\xa9\xff\n"
          "   |        ^\n");
    /* every error in the file, in the order of the file */
    FAILS("f.yaml", "tijdlijn: x\nbijlage_iii_punt: 0\nonbekend: 1\nai_act: {rol-ai-act: 3}\n",
          "f.yaml:1:11: error: 'tijdlijn' must be one of: omnibus, wet\n"
          " 1 | tijdlijn: x\n"
          "   |           ^\n"
          "f.yaml:2:19: error: 'bijlage_iii_punt' must be between 1 and 8, not 0\n"
          " 2 | bijlage_iii_punt: 0\n"
          "   |                   ^\n"
          "f.yaml:3:1: error: undeclared fact 'onbekend'\n"
          " 3 | onbekend: 1\n"
          "   | ^~~~~~~~\n"
          "hint: keys allowed here: ai_act, beslishulp, bijlage_i, bijlage_iii_punt, datum, extra, "
          "ingebruikname, naam, score, tijdlijn, toelichting, verboden_praktijk\n"
          "f.yaml:4:22: error: values of 'ai_act.rol-ai-act' must be one of: aanbieder, "
          "gebruiksverantwoordelijke, importeur, distributeur\n"
          " 4 | ai_act: {rol-ai-act: 3}\n"
          "   |                      ^\n");
    /* An alias makes the whole file unreadable as facts: one message, whatever else is wrong
     * around it (an alias bomb is nested lists, each wrong in itself). */
    FAILS("f.yaml", "tijdlijn: x\nai_act: {rol-ai-act: &x [a, *x], risicogroep: *x}\n",
          "f.yaml:2:29: error: YAML aliases are not allowed in facts files\n"
          " 2 | ai_act: {rol-ai-act: &x [a, *x], risicogroep: *x}\n"
          "   |                             ^~\n"
          "hint: write the value out in full (this file has 2 aliases)\n");
}

static void test_json_errors(void)
{
    FAILS("f.json", "{\n  \"score\": 1,\n  \"ai_act\": {\n    \"risicogrep\": [\"x\"]\n  }\n}\n",
          "f.json:4:5: error: undeclared fact 'ai_act.risicogrep'\n"
          " 4 |     \"risicogrep\": [\"x\"]\n"
          "   |     ^~~~~~~~~~~~\n"
          "hint: did you mean 'ai_act.risicogroep'?\n");
    FAILS("f.json", "{\"bijlage_iii_punt\": \"5\",\n \"verboden_praktijk\": \"false\",\n \"score\": 1e999}",
          "f.json:1:22: error: 'bijlage_iii_punt' must be a number, not a string\n"
          " 1 | {\"bijlage_iii_punt\": \"5\",\n"
          "   |                      ^~~\n"
          "hint: write 5 without quotes\n"
          "f.json:2:23: error: 'verboden_praktijk' must be true or false, not a string\n"
          " 2 |  \"verboden_praktijk\": \"false\",\n"
          "   |                       ^~~~~~~\n"
          "hint: write false without quotes\n"
          "f.json:3:11: error: 'score' must be a finite number, not 1e999\n"
          " 3 |  \"score\": 1e999}\n"
          "   |           ^~~~~\n");
    FAILS("f.json", "{\"score\": 1,\n \"score\": 2}",
          "f.json:2:2: error: duplicate key 'score'\n"
          " 2 |  \"score\": 2}\n"
          "   |  ^~~~~~~\n"
          "hint: first given on line 1\n");
    /* a list or mapping of the wrong kind is pointed at by its key */
    FAILS("f.json", "{\"ai_act\": {\"risicogroep\": {\"a\": 1}},\n \"beslishulp\": [1]}",
          "f.json:1:13: error: 'ai_act.risicogroep' must be a list of strings, not a mapping\n"
          " 1 | {\"ai_act\": {\"risicogroep\": {\"a\": 1}},\n"
          "   |             ^~~~~~~~~~~~~\n"
          "f.json:2:2: error: 'beslishulp' must be a mapping, not a list\n"
          " 2 |  \"beslishulp\": [1]}\n"
          "   |  ^~~~~~~~~~~~\n"
          "hint: keys allowed under 'beslishulp': \"1.1\"\n");
    FAILS("f.json", "{\"toelichting\": \"a\\u0000b\"}",
          "f.json:1:17: error: string contains a NUL byte\n"
          " 1 | {\"toelichting\": \"a\\u0000b\"}\n"
          "   |                 ^~~~~~~~~~\n");
    FAILS("f.json", "[1, 2]",
          "f.json:1:1: error: a facts file must be a mapping of fact names to values, not a list\n"
          " 1 | [1, 2]\n"
          "   | ^~~~~~\n");
    /* syntax errors, with line and column */
    FAILS("f.json", "{\n  \"score\": 1,\n}\n",
          "f.json:3:1: error: invalid JSON: expected a key in double quotes, found '}'\n"
          " 3 | }\n"
          "   | ^\n"
          "hint: remove the comma before it\n");
    FAILS("f.json", "{\"score\" 1}",
          "f.json:1:10: error: invalid JSON: expected ':' after the key, found '1'\n"
          " 1 | {\"score\" 1}\n"
          "   |          ^\n");
    FAILS("f.json", "{\"verboden_praktijk\": tru}",
          "f.json:1:23: error: invalid JSON: expected a value, found 'tru'\n"
          " 1 | {\"verboden_praktijk\": tru}\n"
          "   |                       ^~~\n");
    FAILS("f.json", "{\"naam\": 'x'}",
          "f.json:1:10: error: invalid JSON: expected a value, found a single quote\n"
          " 1 | {\"naam\": 'x'}\n"
          "   |          ^\n"
          "hint: JSON strings use double quotes\n");
    FAILS("f.json", "{\"score\": 1\n",
          "f.json:2:1: error: invalid JSON: expected ',' or '}', found end of input\n"
          " 2 | \n"
          "   | ^\n");
    FAILS("f.json", "{\"score\": 01}",
          "f.json:1:11: error: invalid JSON: expected a value, found '01'\n"
          " 1 | {\"score\": 01}\n"
          "   |           ^~\n");
    FAILS("f.json", "{\"naam\": \"a\nb\"}",
          "f.json:1:10: error: invalid JSON: unterminated string\n"
          " 1 | {\"naam\": \"a\n"
          "   |          ^\n"
          "hint: a JSON string ends on its own line; write \\n for a line break\n");
    FAILS("f.json", "{\"naam\": \"\\q\"}",
          "f.json:1:11: error: invalid JSON: invalid escape '\\q'\n"
          " 1 | {\"naam\": \"\\q\"}\n"
          "   |           ^~\n");
    FAILS("f.json", "{\"naam\": \"\\ud800\"}",
          "f.json:1:11: error: invalid JSON: unpaired surrogate in \\u escape\n"
          " 1 | {\"naam\": \"\\ud800\"}\n"
          "   |           ^~~~~~\n");
    FAILS("f.json", "{\"score\": 1} x",
          "f.json:1:14: error: invalid JSON: expected the end of the input, found 'x'\n"
          " 1 | {\"score\": 1} x\n"
          "   |              ^\n");
    FAILS("f.json", "{\"naam\": \"\xff\"}",
          "f.json:1:11: error: invalid JSON: invalid UTF-8 (byte 0xff)\n"
          " 1 | {\"naam\": \"\xff\"}\n"
          "   |           ^\n");
    FAILS("f.json", "",
          "f.json:1:1: error: invalid JSON: expected a value, found end of input\n"
          " 1 | \n"
          "   | ^\n");
    FAILS("f.json", "{\"a\\u0000\": 1}",
          "f.json:1:2: error: string contains a NUL byte\n"
          " 1 | {\"a\\u0000\": 1}\n"
          "   |  ^~~~~~~~~\n");
    FAILS("f.json", "\xEF\xBB\xBF{\"score\": true}",
          "f.json:1:11: error: 'score' must be a number, not a boolean\n"
          " 1 | {\"score\": true}\n"
          "   |           ^~~~\n");
    FAILS("f.json", "[1,]",
          "f.json:1:4: error: invalid JSON: expected a value, found ']'\n"
          " 1 | [1,]\n"
          "   |    ^\n"
          "hint: remove the comma before it\n");
}

/* ---- limits ---- */

static void test_limits(void)
{
    Buf b = {0};
    /* 64 levels are fine (but undeclared); the 65th is refused */
    for (int i = 0; i < 65; i++)
        buf_puts(&b, "[\n");
    CHECK(load("d.yaml", buf_str(&b)) == -1);
    CHECK_STR(out, "d.yaml:65:1: error: nesting deeper than 64 levels\n"
                   " 65 | [\n"
                   "    | ^\n");
    CHECK(load("d.json", buf_str(&b)) == -1);
    CHECK(strstr(out, "d.json:65:1: error: nesting deeper than 64 levels\n") == out);
    buf_clear(&b);
    for (int i = 0; i < 64; i++)
        buf_puts(&b, "[");
    for (int i = 0; i < 64; i++)
        buf_puts(&b, "]");
    CHECK(load("d.json", buf_str(&b)) == -1);
    CHECK(strstr(out, "not a list") != NULL);
    /* a deep bomb is refused at the limit, not parsed */
    buf_clear(&b);
    for (int i = 0; i < 1000000; i++)
        buf_puts(&b, "{\"a\":");
    CHECK(load("bomb.json", buf_str(&b)) == -1);
    CHECK(strstr(out, "bomb.json:1:321: error: nesting deeper than 64 levels\n") == out);

    /* a string longer than 64 KiB */
    buf_clear(&b);
    buf_puts(&b, "toelichting: ");
    for (int i = 0; i < 64 * 1024 + 1; i++)
        buf_putc(&b, 'x');
    buf_puts(&b, "\n");
    CHECK(load("l.yaml", buf_str(&b)) == -1);
    CHECK(strstr(out, "l.yaml:1:14: error: string is longer than 64 KiB (65537 bytes)\n") == out);
    buf_clear(&b);
    buf_puts(&b, "{\"toelichting\": \"");
    for (int i = 0; i < 64 * 1024; i++)
        buf_putc(&b, 'x');
    buf_puts(&b, "\"}");
    CHECK(load("l.json", buf_str(&b)) == 0); /* exactly 64 KiB is allowed */

    /* 100 000 keys and list items */
    buf_clear(&b);
    buf_puts(&b, "ai_act:\n  risicogroep:\n");
    for (int i = 0; i < 100000; i++)
        buf_puts(&b, "  - x\n");
    CHECK(load("k.yaml", buf_str(&b)) == -1);
    /* two keys and 99 998 items are the limit: item 99 999 is one too many */
    CHECK_STR(out, "k.yaml:100001:5: error: more than 100000 keys and list items in one facts file\n"
                   " 100001 |   - x\n"
                   "        |     ^\n");
    buf_clear(&b);
    buf_puts(&b, "{\"ai_act\": {\"risicogroep\": [");
    for (int i = 0; i < 99997; i++)
        buf_puts(&b, "\"x\",");
    buf_puts(&b, "\"x\"]}}");
    CHECK(load("k.json", buf_str(&b)) == 0); /* 2 keys + 99 998 items: at the limit */
    CHECK_STR(out, "");
    CHECK(val(F_RISICO).kind == V_SET && val(F_RISICO).as.set->len == 1);
    buf_clear(&b);
    buf_puts(&b, "{\"ai_act\": {\"risicogroep\": [");
    for (int i = 0; i < 99998; i++)
        buf_puts(&b, "\"x\",\n");
    buf_puts(&b, "\"x\"]}}");
    CHECK(load("k.json", buf_str(&b)) == -1);
    CHECK_STR(out, "k.json:99999:1: error: more than 100000 keys and list items in one facts file\n"
                   " 99999 | \"x\"]}}\n"
                   "       | ^\n");

    /* one long line and many duplicates stay linear: places are found through a line index */
    buf_clear(&b);
    buf_puts(&b, "ai_act: {risicogroep: [");
    for (int i = 0; i < 99990; i++)
        buf_puts(&b, "x, ");
    buf_puts(&b, "y]}\n");
    CHECK(load("long.yaml", buf_str(&b)) == 0);
    CHECK(val(F_RISICO).kind == V_SET && val(F_RISICO).as.set->len == 2);
    buf_clear(&b);
    for (int i = 0; i < 50000; i++)
        buf_puts(&b, "score: 1\n");
    CHECK(load("dup.yaml", buf_str(&b)) == -1);
    CHECK(strstr(out, "dup.yaml:2:1: error: duplicate key 'score'\n") == out);
    CHECK(strstr(out, "hint: first given on line 1\nkader: note: too many errors; the rest are not shown\n") != NULL);
    buf_free(&b);
}

/* Offsets of libyaml marks follow libyaml's own line breaks (\r, \r\n, U+2028, NEL). */
static void test_yaml_places(void)
{
    const SourceFile *src;
    CHECK(load("cr.yaml", "score: 1\rtoelichting: xy\r\nbijlage_i: B\r") == 0);
    src = sources_get(&sources, facts.origins[F_TOELICHTING].loc.file);
    CHECK(strncmp(src->text + facts.origins[F_TOELICHTING].loc.start, "xy\r", 3) == 0);
    CHECK(strncmp(src->text + facts.origins[F_BIJLAGE_I].loc.start, "B\r", 2) == 0);
    CHECK(load("ls.yaml", "toelichting: \"a\xe2\x80\xa8\xc2\x85" "b\"\nscore: 7\n") == 0);
    src = sources_get(&sources, facts.origins[F_SCORE].loc.file);
    CHECK(strncmp(src->text + facts.origins[F_SCORE].loc.start, "7\n", 2) == 0);
    CHECK(load("bom.yaml", "\xEF\xBB\xBF" "score: 5\nnaam: \xc3\xa9\xc3\xa9n\ntoelichting: x\n") == 0);
    src = sources_get(&sources, facts.origins[F_SCORE].loc.file);
    CHECK(facts.origins[F_SCORE].loc.start == 10);
    CHECK(strncmp(src->text + facts.origins[F_TOELICHTING].loc.start, "x\n", 2) == 0);
    FAILS("bom.yaml", "\xEF\xBB\xBF" "score: 5\nscore: x\xff\n",
          "bom.yaml:2:9: error: invalid YAML: invalid leading UTF-8 octet\n"
          " 2 | score: x\xff\n"
          "   |         ^\n");
    FAILS("bom.yaml", "\xEF\xBB\xBF" "naam: [x]\n",
          "bom.yaml:1:1: error: 'naam' must be a string, not a list\n"
          " 1 | naam: [x]\n"
          "   | ^~~~\n");
    CHECK(run(load_fn, "w.yaml", "\xFF\xFEs") == -1);
    CHECK(strstr(out, "w.yaml:1:1: error: facts files must be UTF-8, not UTF-16\n") == out);
    FAILS("u.yaml", "naam: \xc3\xa9\xc3\xa9n\nscore: [\xc3\xa9\xc3\xa9n]\n",
          "u.yaml:2:1: error: 'score' must be a number, not a list\n"
          " 2 | score: [\xc3\xa9\xc3\xa9n]\n"
          "   | ^~~~~\n");
    FAILS("u.yaml", "toelichting: \xc3\xa9\xc3\xa9n\nscore: \xc3\xa9\xc3\xa9n\n",
          "u.yaml:2:8: error: 'score' must be a number, not a string\n"
          " 2 | score: \xc3\xa9\xc3\xa9n\n"
          "   |        ^~~\n");
}

/* ---- --set ---- */

static void test_set(void)
{
    facts_clear(&facts);
    CHECK(set("verboden_praktijk=true") == 0);
    CHECK(set("bijlage_iii_punt=7.5") == 0);
    CHECK(set("ingebruikname=2024-02-29") == 0);
    CHECK(set("toelichting=a=b, c") == 0);
    CHECK(set("ai_act.rol-ai-act=aanbieder, importeur") == 0);
    CHECK(set("ai_act.risicogroep=") == 0);
    CHECK(set("beslishulp.\"1.1\"=Ja") == 0);
    CHECK(set("datum=2027-08-02") == 0);
    CHECK(set("naam=Mijn systeem") == 0);
    CHECK_STR(out, "");
    CHECK(val_is_true(val(F_VERBODEN)));
    CHECK(val(F_PUNT).as.num == 7.5);
    CHECK(val(F_INGEBRUIK).as.date == day("2024-02-29"));
    CHECK(strcmp(val(F_TOELICHTING).as.str, "a=b, c") == 0);
    CHECK_STR(set_text(val(F_ROL)), "{\"aanbieder\", \"importeur\"}");
    CHECK(val(F_RISICO).kind == V_SET && val(F_RISICO).as.set->len == 0);
    CHECK(strcmp(val(F_BESLIS_1_1).as.str, "Ja") == 0);
    CHECK(facts.has_date && facts.date == day("2027-08-02"));
    CHECK_STR(facts.name, "Mijn systeem");
    CHECK(facts.origins[F_BESLIS_1_1].kind == ORIGIN_SET);
    const SourceFile *src = sources_get(&sources, facts.origins[F_BESLIS_1_1].loc.file);
    CHECK_STR(src->name, "--set");
    CHECK(strcmp(src->text + facts.origins[F_BESLIS_1_1].loc.start, "Ja") == 0);

    SET_FAILS("ai_act.risicogrep=x",
              "--set:1:1: error: undeclared fact 'ai_act.risicogrep'\n"
              " 1 | ai_act.risicogrep=x\n"
              "   | ^~~~~~~~~~~~~~~~~\n"
              "hint: did you mean 'ai_act.risicogroep'?\n");
    SET_FAILS("beslishulp.\"1.2\"=Ja",
              "--set:1:1: error: undeclared fact 'beslishulp.\"1.2\"'\n"
              " 1 | beslishulp.\"1.2\"=Ja\n"
              "   | ^~~~~~~~~~~~~~~~\n"
              "hint: did you mean 'beslishulp.\"1.1\"'?\n");
    SET_FAILS("bijlage_iii_punt=9",
              "--set:1:18: error: 'bijlage_iii_punt' must be between 1 and 8, not 9\n"
              " 1 | bijlage_iii_punt=9\n"
              "   |                  ^\n");
    SET_FAILS("bijlage_iii_punt=vijf",
              "--set:1:18: error: 'bijlage_iii_punt' must be a number, not 'vijf'\n"
              " 1 | bijlage_iii_punt=vijf\n"
              "   |                  ^~~~\n");
    SET_FAILS("score=-1,25",
              "--set:1:7: error: 'score' must be a number, not '-1,25'\n"
              " 1 | score=-1,25\n"
              "   |       ^~~~~\n"
              "hint: write decimals with a point: -1.25\n");
    SET_FAILS("verboden_praktijk=ja",
              "--set:1:19: error: 'verboden_praktijk' must be true or false, not 'ja'\n"
              " 1 | verboden_praktijk=ja\n"
              "   |                   ^~\n");
    SET_FAILS("ingebruikname=2026-02-30",
              "--set:1:15: error: impossible date '2026-02-30'\n"
              " 1 | ingebruikname=2026-02-30\n"
              "   |               ^~~~~~~~~~\n");
    SET_FAILS("ingebruikname=morgen",
              "--set:1:15: error: 'ingebruikname' must be a date (YYYY-MM-DD), not 'morgen'\n"
              " 1 | ingebruikname=morgen\n"
              "   |               ^~~~~~\n");
    SET_FAILS("tijdlijn=omnibs",
              "--set:1:10: error: 'tijdlijn' must be one of: omnibus, wet\n"
              " 1 | tijdlijn=omnibs\n"
              "   |          ^~~~~~\n"
              "hint: did you mean 'omnibus'?\n");
    SET_FAILS("ai_act.rol-ai-act=aanbieder, imorteur,,",
              "--set:1:30: error: values of 'ai_act.rol-ai-act' must be one of: aanbieder, "
              "gebruiksverantwoordelijke, importeur, distributeur\n"
              " 1 | ai_act.rol-ai-act=aanbieder, imorteur,,\n"
              "   |                              ^~~~~~~~\n"
              "hint: did you mean 'importeur'?\n"
              "--set:1:39: error: empty value in the list for 'ai_act.rol-ai-act'\n"
              " 1 | ai_act.rol-ai-act=aanbieder, imorteur,,\n"
              "   |                                       ^\n"
              "--set:1:40: error: empty value in the list for 'ai_act.rol-ai-act'\n"
              " 1 | ai_act.rol-ai-act=aanbieder, imorteur,,\n"
              "   |                                        ^\n");
    SET_FAILS("ai_act=x",
              "--set:1:1: error: 'ai_act' is a group of facts, not a fact\n"
              " 1 | ai_act=x\n"
              "   | ^~~~~~\n"
              "hint: keys allowed under 'ai_act': risicogroep, rol-ai-act\n");
    SET_FAILS("score",
              "--set:1:6: error: expected '=' and a value after the path\n"
              " 1 | score\n"
              "   |      ^\n"
              "hint: write --set path=value\n");
    SET_FAILS("=3",
              "--set:1:1: error: empty name in the path\n"
              " 1 | =3\n"
              "   | ^\n"
              "hint: write --set path=value, as in --set ai_act.risicogroep=hoog-risico-ai-systeem\n");
    SET_FAILS("ai_act..x=3",
              "--set:1:8: error: empty name in the path\n"
              " 1 | ai_act..x=3\n"
              "   |        ^\n"
              "hint: write --set path=value, as in --set ai_act.risicogroep=hoog-risico-ai-systeem\n");
    SET_FAILS("beslishulp.\"1.1=Ja",
              "--set:1:12: error: unterminated quoted name\n"
              " 1 | beslishulp.\"1.1=Ja\n"
              "   |            ^\n");
    SET_FAILS("beslishulp.\"1.1\"x=Ja",
              "--set:1:17: error: expected '.' or '=' after the quoted name\n"
              " 1 | beslishulp.\"1.1\"x=Ja\n"
              "   |                 ^\n");
    SET_FAILS("rol=aanbieder",
              "--set:1:1: error: undeclared fact 'rol'\n"
              " 1 | rol=aanbieder\n"
              "   | ^~~\n"
              "hint: the fact 'rol' is given at 'ai_act.rol-ai-act'\n");
    SET_FAILS("score.x=1",
              "--set:1:1: error: undeclared fact 'score.x'\n"
              " 1 | score.x=1\n"
              "   | ^~~~~~~\n");
    SET_FAILS("datum=2026-02-29",
              "--set:1:7: error: impossible date '2026-02-29'\n"
              " 1 | datum=2026-02-29\n"
              "   |       ^~~~~~~~~~\n");
}

/* ---- defaults ---- */

static void test_defaults(void)
{
    CHECK(load("d.yaml", "bijlage_i: A\n") == 0);
    facts_apply_defaults(&facts);
    CHECK(val(F_TIJDLIJN).kind == V_STRING && strcmp(val(F_TIJDLIJN).as.str, "omnibus") == 0);
    CHECK(val(F_TIJDLIJN).as.str != prog.facts[F_TIJDLIJN]->default_value.as.str); /* copied */
    CHECK(facts.origins[F_TIJDLIJN].kind == ORIGIN_DEFAULT);
    CHECK_STR(set_text(val(F_EXTRA)), "{\"a\", \"b\"}");
    CHECK(facts.origins[F_EXTRA].kind == ORIGIN_DEFAULT);
    CHECK(val(F_PUNT).kind == V_UNKNOWN && facts.origins[F_PUNT].kind == ORIGIN_NONE);
    /* an explicit null says "not known": it stays unknown, the default does not replace it */
    CHECK(load("d.yaml", "tijdlijn: ~\n") == 0);
    facts_apply_defaults(&facts);
    CHECK(val(F_TIJDLIJN).kind == V_UNKNOWN && facts.origins[F_TIJDLIJN].kind == ORIGIN_FILE);
    /* a given value is kept */
    CHECK(load("d.yaml", "tijdlijn: wet\n") == 0);
    facts_apply_defaults(&facts);
    CHECK(strcmp(val(F_TIJDLIJN).as.str, "wet") == 0 && facts.origins[F_TIJDLIJN].kind == ORIGIN_FILE);
}

/* A rule file may declare facts at datum and naam; they still set the date and the name. */
static void test_declared_specials(void)
{
    Program p2;
    memset(&p2, 0, sizeof p2);
    PathNode r2 = {.fact = -1}, n_datum = {.segment = "datum", .fact = 0}, n_naam = {.segment = "naam", .fact = 1};
    PathNode *kids[] = {&n_datum, &n_naam};
    r2.children = kids;
    r2.n_children = 2;
    FactDecl d_datum = {.name = "datum", .type = T_DATE, .index = 0};
    FactDecl d_naam = {.name = "naam", .type = T_STRING, .index = 1};
    FactDecl *decls[] = {&d_datum, &d_naam};
    p2.facts = decls;
    p2.n_facts = 2;
    p2.fact_root = &r2;
    Facts f2;
    facts_init(&f2, &p2);
    Diag d;
    diag_init(&d, &sources, NULL);
    const char *text = "datum: 2026-03-01\nnaam: Z\n";
    CHECK(facts_load_text(&f2, &sources, "p2.yaml", text, strlen(text), &d) == 0);
    CHECK(f2.has_date && f2.date == day("2026-03-01") && f2.values[0].kind == V_DATE);
    CHECK(f2.name && strcmp(f2.name, "Z") == 0 && f2.values[1].kind == V_STRING);
    CHECK(facts_set(&f2, &sources, "datum=2026-04-01", &d) == 0);
    CHECK(f2.date == day("2026-04-01") && f2.values[0].as.date == f2.date);
    CHECK(facts_set(&f2, &sources, "naam=null", &d) == 0);
    CHECK(f2.name == NULL && f2.values[1].kind == V_UNKNOWN);
    facts_free(&f2);
}

/* ---- files ---- */

static void test_files(void)
{
    facts_clear(&facts);
    CHECK(run(file_fn, "/nonexistent/facts.yaml", NULL) == -1);
    CHECK_STR(out, "kader: error: cannot read '/nonexistent/facts.yaml': No such file or directory\n");
    CHECK(run(file_fn, "/tmp", NULL) == -1);
    CHECK_STR(out, "kader: error: cannot read '/tmp': Is a directory\n");
    char dir[] = "/tmp/test_facts_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof path, "%s/f.json", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    const char text[] = "{\n  \"score\": \"x\"\n}\n";
    CHECK(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    close(fd);
    CHECK(run(file_fn, path, NULL) == -1);
    char want[512];
    snprintf(want, sizeof want,
             "%s:2:12: error: 'score' must be a number, not a string\n"
             " 2 |   \"score\": \"x\"\n"
             "   |            ^~~\n", path);
    CHECK_STR(out, want);
    CHECK_STR(facts.source, path);
    unlink(path);
    rmdir(dir);
}

/* ---- reuse ---- */

static void test_reuse(void)
{
    const char *text = "naam: X\nai_act:\n  rol-ai-act: [aanbieder, importeur]\ntoelichting: iets\n";
    CHECK(load("r.yaml", text) == 0);
    const void *head = facts.arena.head;
    size_t total = facts.arena.total;
    for (int i = 0; i < 100; i++) {
        CHECK(load("r.yaml", text) == 0);
        CHECK(facts.arena.head == head && facts.arena.total == total);
    }
    facts_clear(&facts);
    for (uint32_t i = 0; i < N_FACTS; i++)
        CHECK(val((int)i).kind == V_UNKNOWN && facts.origins[i].kind == ORIGIN_NONE);
    CHECK(facts.name == NULL && !facts.has_date && facts.arena.total == 0);
}

int main(void)
{
    build_program();
    sources_init(&sources);
    facts_init(&facts, &prog);

    test_yaml_values();
    test_null_and_override();
    test_json_values();
    test_yaml_errors();
    test_json_errors();
    test_limits();
    test_yaml_places();
    test_set();
    test_defaults();
    test_declared_specials();
    test_files();
    test_reuse();

    facts_free(&facts);
    sources_free(&sources);
    arena_free(&prog.arena);
    free(out);
    buf_free(&shown);
    if (failures) {
        fprintf(stderr, "test_facts: %d failure%s\n", failures, failures == 1 ? "" : "s");
        return 1;
    }
    printf("test_facts: ok\n");
    return 0;
}
