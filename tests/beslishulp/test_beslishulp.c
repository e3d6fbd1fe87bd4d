/* test_beslishulp.c — the compiled Beslishulp decision tree against a direct walk of the tree.
 *
 *   test_beslishulp equiv TREE [STDLIB_DIR]     every path: conclusion, labels, label groups;
 *                                               every prefix: undetermined, the next question
 *                                               missing; with STDLIB_DIR also the stdlib's labels
 *   test_beslishulp diagnose TREE MESSAGES [RULES]
 *                                               the compiler's messages for TREE (and its rule
 *                                               text) compared with files (UPDATE=1 writes them)
 *   test_beslishulp detect                      tree_is_decision_tree on a table of texts
 *   test_beslishulp session TREE STDLIB RULES FACTS EXPECTED
 *                                               one facts file with the compiled tree, the stdlib
 *                                               and a rule set: conclusion, labels, phase,
 *                                               warnings, compared with EXPECTED
 *
 * The walker here is written apart from engine/compile_tree.c on purpose: it reads the YAML with
 * libyaml's event-free document API into its own structures, evaluates the jexl conditions by a
 * small evaluator that works on the text, and maps labels onto groups from the rules in
 * DESIGN.md. The compiled rules are loaded with the engine's loader and evaluated in-process.
 * Exit status 0 all agree, 1 a difference, 2 a usage or input problem, 77 the tree is missing
 * (the corpus is not checked out next to the repository). */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "compile_tree.h"
#include "eval.h"
#include "facts.h"
#include "load.h"

enum { MAX_LABELS_ON_PATH = 256, MAX_PATH = 512, MAX_REPORTED = 10 };

/* ---- the tree, read directly ---- */

typedef struct WRedirect {
    char *cond;
    char *next_q, *next_c;
} WRedirect;

typedef struct WAnswer {
    char *text;
    char **labels;
    int n_labels;
    char *next_q, *next_c;
    WRedirect *redirects;
    int n_redirects;
} WAnswer;

typedef struct WQuestion {
    char *id;
    char *subcategory;
    WAnswer *answers;
    int n_answers;
} WQuestion;

typedef struct WTree {
    WQuestion *q;
    int nq;
    char **conclusions;
    int nc;
    char **cat_ids, **cat_names;
    int ncat;
} WTree;

static char *dup_scalar(yaml_document_t *doc, yaml_node_t *n)
{
    (void)doc;
    if (!n || n->type != YAML_SCALAR_NODE)
        return NULL;
    char *s = malloc(n->data.scalar.length + 1);
    memcpy(s, n->data.scalar.value, n->data.scalar.length);
    s[n->data.scalar.length] = '\0';
    if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        (!strcmp(s, "") || !strcmp(s, "~") || !strcmp(s, "null"))) {
        free(s);
        return NULL;
    }
    return s;
}

static yaml_node_t *get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k->type == YAML_SCALAR_NODE && strlen(key) == k->data.scalar.length &&
            !memcmp(k->data.scalar.value, key, k->data.scalar.length))
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

static int seq_len(yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE ? (int)(n->data.sequence.items.top - n->data.sequence.items.start)
                                              : 0;
}

static yaml_node_t *seq_at(yaml_document_t *doc, yaml_node_t *n, int i)
{
    return yaml_document_get_node(doc, n->data.sequence.items.start[i]);
}

static int load_doc(const char *path, yaml_document_t *doc)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int ok = yaml_parser_load(&parser, doc);
    yaml_parser_delete(&parser);
    fclose(f);
    return ok && yaml_document_get_root_node(doc) ? 0 : -1;
}

static int read_wtree(const char *path, WTree *t)
{
    yaml_document_t doc;
    if (load_doc(path, &doc) != 0)
        return -1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_node_t *qs = get(&doc, root, "questions"), *cs = get(&doc, root, "conclusions");
    t->nq = seq_len(qs);
    t->q = calloc((size_t)t->nq + 1, sizeof *t->q);
    for (int i = 0; i < t->nq; i++) {
        yaml_node_t *qn = seq_at(&doc, qs, i);
        WQuestion *q = &t->q[i];
        q->id = dup_scalar(&doc, get(&doc, qn, "questionId"));
        q->subcategory = dup_scalar(&doc, get(&doc, qn, "subcategory"));
        yaml_node_t *as = get(&doc, qn, "answers");
        q->n_answers = seq_len(as);
        q->answers = calloc((size_t)q->n_answers + 1, sizeof *q->answers);
        for (int j = 0; j < q->n_answers; j++) {
            yaml_node_t *an = seq_at(&doc, as, j);
            WAnswer *a = &q->answers[j];
            a->text = dup_scalar(&doc, get(&doc, an, "answer"));
            yaml_node_t *ls = get(&doc, an, "labels");
            if (ls && ls->type == YAML_SCALAR_NODE) {
                /* one label without a list, or `labels:` with nothing: no label */
                a->labels = calloc(1, sizeof *a->labels);
                a->labels[0] = dup_scalar(&doc, ls);
                a->n_labels = a->labels[0] != NULL;
            } else {
                a->labels = calloc((size_t)seq_len(ls) + 1, sizeof *a->labels);
                for (int k = 0; k < seq_len(ls); k++)
                    a->labels[a->n_labels++] = dup_scalar(&doc, seq_at(&doc, ls, k));
            }
            a->next_q = dup_scalar(&doc, get(&doc, an, "nextQuestionId"));
            a->next_c = dup_scalar(&doc, get(&doc, an, "nextConclusionId"));
            yaml_node_t *rs = get(&doc, an, "redirects");
            a->n_redirects = seq_len(rs);
            a->redirects = calloc((size_t)a->n_redirects + 1, sizeof *a->redirects);
            for (int k = 0; k < a->n_redirects; k++) {
                yaml_node_t *rn = seq_at(&doc, rs, k);
                a->redirects[k].cond = dup_scalar(&doc, get(&doc, rn, "if"));
                a->redirects[k].next_q = dup_scalar(&doc, get(&doc, rn, "nextQuestionId"));
                a->redirects[k].next_c = dup_scalar(&doc, get(&doc, rn, "nextConclusionId"));
            }
        }
    }
    t->nc = seq_len(cs);
    t->conclusions = calloc((size_t)t->nc + 1, sizeof *t->conclusions);
    for (int i = 0; i < t->nc; i++)
        t->conclusions[i] = dup_scalar(&doc, get(&doc, seq_at(&doc, cs, i), "conclusionId"));
    yaml_document_delete(&doc);

    /* categories.yaml beside the tree, when there is one */
    char *cpath = malloc(strlen(path) + 32);
    strcpy(cpath, path);
    char *slash = strrchr(cpath, '/');
    strcpy(slash ? slash + 1 : cpath, "categories.yaml");
    if (load_doc(cpath, &doc) == 0) {
        yaml_node_t *list = yaml_document_get_root_node(&doc);
        int n = seq_len(list);
        t->cat_ids = calloc((size_t)n + 1, sizeof *t->cat_ids);
        t->cat_names = calloc((size_t)n + 1, sizeof *t->cat_names);
        for (int i = 0; i < n; i++) {
            yaml_node_t *item = seq_at(&doc, list, i);
            t->cat_ids[t->ncat] = dup_scalar(&doc, get(&doc, item, "questionId"));
            t->cat_names[t->ncat] = dup_scalar(&doc, get(&doc, item, "subcategory"));
            if (t->cat_ids[t->ncat] && t->cat_names[t->ncat])
                t->ncat++;
        }
        yaml_document_delete(&doc);
    }
    free(cpath);
    return 0;
}

static void free_wtree(WTree *t)
{
    for (int i = 0; i < t->nq; i++) {
        WQuestion *q = &t->q[i];
        for (int j = 0; j < q->n_answers; j++) {
            WAnswer *a = &q->answers[j];
            for (int k = 0; k < a->n_labels; k++)
                free(a->labels[k]);
            for (int k = 0; k < a->n_redirects; k++) {
                free(a->redirects[k].cond);
                free(a->redirects[k].next_q);
                free(a->redirects[k].next_c);
            }
            free(a->labels);
            free(a->redirects);
            free(a->text);
            free(a->next_q);
            free(a->next_c);
        }
        free(q->answers);
        free(q->id);
        free(q->subcategory);
    }
    free(t->q);
    for (int i = 0; i < t->nc; i++)
        free(t->conclusions[i]);
    free(t->conclusions);
    for (int i = 0; i < t->ncat; i++) {
        free(t->cat_ids[i]);
        free(t->cat_names[i]);
    }
    free(t->cat_ids);
    free(t->cat_names);
}

static int find_question(const WTree *t, const char *id)
{
    for (int i = 0; id && i < t->nq; i++)
        if (t->q[i].id && !strcmp(t->q[i].id, id))
            return i;
    return -1;
}

/* ---- jexl, evaluated straight from the text: "x" in labels, &&, ||, !, ( ) ---- */

typedef struct Labels {
    const char *items[MAX_LABELS_ON_PATH];
    int n;
} Labels;

static bool has_label(const Labels *l, const char *s, size_t len)
{
    for (int i = 0; i < l->n; i++)
        if (strlen(l->items[i]) == len && !memcmp(l->items[i], s, len))
            return true;
    return false;
}

typedef struct JEval {
    const char *p;
    const Labels *labels;
    bool bad;
} JEval;

static void jskip(JEval *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n')
        j->p++;
}

static bool jor(JEval *j);

static bool jatom(JEval *j)
{
    jskip(j);
    if (*j->p == '!') {
        j->p++;
        return !jatom(j);
    }
    if (*j->p == '(') {
        j->p++;
        bool v = jor(j);
        jskip(j);
        if (*j->p != ')')
            j->bad = true;
        else
            j->p++;
        return v;
    }
    char quote = *j->p;
    if (quote != '"' && quote != '\'') {
        j->bad = true;
        return false;
    }
    const char *start = ++j->p;
    while (*j->p && *j->p != quote)
        j->p++;
    size_t len = (size_t)(j->p - start);
    if (*j->p)
        j->p++;
    jskip(j);
    if (strncmp(j->p, "in", 2) != 0) {
        j->bad = true;
        return false;
    }
    j->p += 2;
    jskip(j);
    if (strncmp(j->p, "labels", 6) != 0)
        j->bad = true;
    j->p += 6;
    return has_label(j->labels, start, len);
}

static bool jand(JEval *j)
{
    bool v = jatom(j);
    for (;;) {
        jskip(j);
        if (j->p[0] != '&' || j->p[1] != '&')
            return v;
        j->p += 2;
        bool w = jatom(j);
        v = v && w;
    }
}

static bool jor(JEval *j)
{
    bool v = jand(j);
    for (;;) {
        jskip(j);
        if (j->p[0] != '|' || j->p[1] != '|')
            return v;
        j->p += 2;
        bool w = jand(j);
        v = v || w;
    }
}

static bool jexl_holds(const char *cond, const Labels *labels, bool *bad)
{
    JEval j = {cond, labels, false};
    bool v = jor(&j);
    jskip(&j);
    if (*j.p)
        j.bad = true;
    *bad |= j.bad;
    return v;
}

/* ---- label groups, by DESIGN.md ---- */

static const char *const GROUP_LETS[] = {
    "beslishulp_soort_toepassing",          "beslishulp_risicogroep",   "beslishulp_rol_ai_act",
    "beslishulp_transparantieverplichting", "beslishulp_systeemrisico", "beslishulp_open_source",
    "beslishulp_conformiteitsbeoordeling",  "beslishulp_operationeel"};
static const char *const STDLIB_LABELS[] = {"soort-toepassing",          "risicogroep",   "rol-ai-act",
                                            "transparantieverplichting", "systeemrisico", "open-source"};
enum { NGROUPS = 8, OPERATIONEEL = 7 };

/* Category names as the Beslishulp spells them (normalised: lower case, '-' and '_' as blanks). */
static int group_of_category_name(const char *name)
{
    static const struct {
        const char *name;
        int group;
    } table[] = {{"soort toepassing", 0},
                 {"risicogroep", 1},
                 {"verantwoordelijkheid", 2},
                 {"rol", 2},
                 {"rol ai act", 2},
                 {"transparantieverplichting", 3},
                 {"transparantieverplichtingen", 3},
                 {"systeemrisico", 4},
                 {"open source", 5},
                 {"conformiteitsbeoordelingsinstantie", 6},
                 {"conformiteitsbeoordeling", 6},
                 {"operationeel", 7},
                 {"in gebruik", 7}};
    if (!name)
        return -1;
    char norm[512];
    size_t o = 0;
    for (const char *s = name; *s && o + 2 < sizeof norm; s++) {
        char ch = *s;
        if (ch == '-' || ch == '_' || ch == ' ' || ch == '\t') {
            if (o && norm[o - 1] != ' ')
                norm[o++] = ' ';
            continue;
        }
        norm[o++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
    }
    while (o && norm[o - 1] == ' ')
        o--;
    norm[o] = '\0';
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(norm, table[i].name))
            return table[i].group;
    /* a group's name standing as whole words in the name; the longest wins */
    int best = -1;
    size_t best_len = 0;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        size_t k = strlen(table[i].name);
        for (const char *hit = strstr(norm, table[i].name); hit; hit = strstr(hit + 1, table[i].name)) {
            bool left = hit == norm || hit[-1] == ' ', right = hit[k] == '\0' || hit[k] == ' ';
            if (left && right && k > best_len) {
                best = table[i].group;
                best_len = k;
            }
        }
    }
    return best;
}

static void value_of(const char *label, int group, char *out, size_t cap)
{
    size_t o = 0;
    bool blank = false;
    for (const char *s = label; *s && o + 2 < cap; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n') {
            blank = o > 0;
            continue;
        }
        if (blank)
            out[o++] = group == OPERATIONEEL ? ' ' : '-';
        blank = false;
        out[o++] = (*s >= 'A' && *s <= 'Z') ? (char)(*s + 32) : *s;
    }
    out[o] = '\0';
    if (!strcmp(out, "hoog-risico-ai"))
        snprintf(out, cap, "hoog-risico-ai-systeem");
    else if (!strcmp(out, "geen-hoog-risico-ai"))
        snprintf(out, cap, "geen-hoog-risico-ai-systeem");
}

/* The group of a label by the Algoritmekader's values, when exactly one group has it. */
static int group_of_value(const char *label)
{
    static const char *const values[NGROUPS][6] = {
        {"ai-systeem", "ai-systeem-voor-algemene-doeleinden", "ai-model-voor-algemene-doeleinden"},
        {"verboden-ai", "hoog-risico-ai-systeem", "geen-hoog-risico-ai-systeem", "uitzondering-van-toepassing",
         "niet-van-toepassing"},
        {"aanbieder", "gebruiksverantwoordelijke", "importeur", "distributeur"},
        {"transparantieverplichting", "geen-transparantieverplichting", "niet-van-toepassing"},
        {"systeemrisico", "geen-systeemrisico", "niet-van-toepassing"},
        {"open-source", "geen-open-source", "niet-van-toepassing"},
        {"beoordeling-door-derde-partij", "niet-van-toepassing"},
        {"in gebruik", "in ontwikkeling"}};
    int found = -1;
    for (int g = 0; g < NGROUPS; g++) {
        char v[256];
        value_of(label, g, v, sizeof v);
        for (int i = 0; i < 6 && values[g][i]; i++)
            if (!strcmp(v, values[g][i])) {
                if (found >= 0 && found != g)
                    return -1;
                found = g;
            }
    }
    return found;
}

static int group_of(const WTree *t, const WQuestion *q, const char *label)
{
    /* categories.yaml: the id, else the longest prefix before a '.' */
    if (t->ncat && q->id) {
        char probe[256];
        snprintf(probe, sizeof probe, "%s", q->id);
        for (;;) {
            int hit = -1;
            for (int i = 0; i < t->ncat && hit < 0; i++)
                if (!strcmp(t->cat_ids[i], probe))
                    hit = i;
            if (hit >= 0) {
                int g = group_of_category_name(t->cat_names[hit]);
                if (g >= 0)
                    return g;
                break;
            }
            char *dot = strrchr(probe, '.');
            if (!dot)
                break;
            *dot = '\0';
        }
    }
    int g = group_of_category_name(q->subcategory);
    return g >= 0 ? g : group_of_value(label);
}

/* ---- the compiled rules, evaluated ---- */

typedef struct Checker {
    const WTree *t;
    Program *program;  /* the compiled tree alone */
    Program *with_std; /* with the standard library, or NULL */
    Evaluation ev, ev_std;
    long paths, dead_ends, prefixes, noisy, std_checked, contradictions;
    long failures;
} Checker;

typedef struct Step {
    int q, a;
} Step;

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* The facts file for a walk: its answers (single-answer questions left to their default, unless
 * `all`), and with `noise` an answer to every question off the walk. */
static char *facts_json(const Checker *c, const Step *steps, int n, bool noise, const char *extra, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    fputs("{\"beslishulp\": {", f);
    bool first = true;
    bool *on_walk = calloc((size_t)c->t->nq + 1, sizeof *on_walk);
    for (int i = 0; i < n; i++) {
        on_walk[steps[i].q] = true;
        const WQuestion *q = &c->t->q[steps[i].q];
        if (q->n_answers == 1 && !noise)
            continue;
        fputs(first ? "" : ", ", f);
        first = false;
        json_string(f, q->id);
        fputs(": ", f);
        json_string(f, q->answers[steps[i].a].text);
    }
    for (int i = 0; noise && i < c->t->nq; i++) {
        if (on_walk[i])
            continue;
        const WQuestion *q = &c->t->q[i];
        fputs(first ? "" : ", ", f);
        first = false;
        json_string(f, q->id);
        fputs(": ", f);
        json_string(f, q->answers[q->n_answers - 1].text);
    }
    fprintf(f, "}%s%s}", extra ? ", " : "", extra ? extra : "");
    fclose(f);
    free(on_walk);
    return text;
}

static Value let_value(Evaluation *ev, const Program *p, const char *name, bool *found)
{
    int32_t idx;
    *found = strmap_get(&p->let_names, name, &idx);
    return *found ? eval_expr(ev, p->lets[idx]->body) : val_unknown();
}

static void describe_walk(const Checker *c, const Step *steps, int n)
{
    for (int i = 0; i < n; i++)
        fprintf(stderr, "%s%s=\"%s\"", i ? ", " : "", c->t->q[steps[i].q].id,
                c->t->q[steps[i].q].answers[steps[i].a].text);
    fputc('\n', stderr);
}

static void fail(Checker *c, const Step *steps, int n, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fail(Checker *c, const Step *steps, int n, const char *fmt, ...)
{
    c->failures++;
    if (c->failures > MAX_REPORTED)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "MISMATCH: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  walk: ");
    describe_walk(c, steps, n);
}

static void set_text(char *out, size_t cap, Value v)
{
    Buf b = {0};
    value_format(&b, v);
    snprintf(out, cap, "%s", buf_str(&b));
    buf_free(&b);
}

/* Compares a set value with the expected strings (in any order, without repeats). */
static bool same_set(Value v, const char *const *want, int n)
{
    if (v.kind != V_SET)
        return false;
    int distinct = 0;
    for (int i = 0; i < n; i++) {
        bool dup = false;
        for (int j = 0; j < i && !dup; j++)
            dup = !strcmp(want[i], want[j]);
        if (dup)
            continue;
        distinct++;
        if (!set_contains(v.as.set, want[i]))
            return false;
    }
    return (int)v.as.set->len == distinct;
}

static void expected_text(char *out, size_t cap, const char *const *want, int n)
{
    size_t o = (size_t)snprintf(out, cap, "{");
    for (int i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s\"%s\"", i ? ", " : "", want[i]);
    if (o < cap)
        snprintf(out + o, cap - o, "}");
}

/* Loads facts into a fresh Facts and evaluates; returns false (after a message) on load errors. */
static bool run(Evaluation *ev, const Program *p, const char *json, size_t len, Facts *facts, Sources *srcs)
{
    Diag d;
    sources_init(srcs);
    diag_init(&d, srcs, stderr);
    facts_init(facts, p);
    if (facts_load_text(facts, srcs, "walk.json", json, len, &d) != 0) {
        fprintf(stderr, "facts did not load: %s\n", json);
        return false;
    }
    facts_apply_defaults(facts);
    evaluate(ev, facts, 20000);
    return true;
}

static const char *conclusion_id(const Evaluation *ev)
{
    if (ev->conclusion_undetermined)
        return "(undetermined)";
    return ev->conclusion >= 0 ? ev->program->conclusions[ev->conclusion]->id : "(none)";
}

/* What the walk says for group g: the gathered labels whose question's category is g, as values
 * of the group; an empty group is niet-van-toepassing (Operationeel: nothing). */
static int expected_group(const Checker *c, const Labels *labels, const int *label_q, int g, const char **want,
                          char (*values)[2048])
{
    int nw = 0;
    for (int i = 0; i < labels->n; i++) {
        if (group_of(c->t, &c->t->q[label_q[i]], labels->items[i]) != g)
            continue;
        value_of(labels->items[i], g, values[nw], sizeof values[nw]);
        want[nw] = values[nw];
        nw++;
    }
    if (nw == 0 && g != OPERATIONEEL)
        want[nw++] = "niet-van-toepassing";
    return nw;
}

/* A complete walk: the rules must reach the same conclusion, labels and label groups. */
static void check_complete(Checker *c, const Step *steps, int n, const Labels *labels, const int *label_q,
                           const char *concl, bool noise)
{
    size_t len;
    char *json = facts_json(c, steps, n, noise, NULL, &len);
    Facts facts;
    Sources srcs;
    if (!run(&c->ev, c->program, json, len, &facts, &srcs)) {
        c->failures++;
        goto out;
    }
    const char *got = conclusion_id(&c->ev);
    if (strcmp(got, concl ? concl : "(none)") != 0)
        fail(c, steps, n, "conclusion %s, the walk reaches %s", got, concl ? concl : "(none)");

    bool found;
    Value raw = let_value(&c->ev, c->program, "beslishulp", &found);
    if (!same_set(raw, labels->items, labels->n)) {
        char a[2048], b[2048];
        set_text(a, sizeof a, raw);
        expected_text(b, sizeof b, labels->items, labels->n);
        fail(c, steps, n, "labels %s, the walk gathers %s", a, b);
    }
    static char values[MAX_LABELS_ON_PATH][2048];
    for (int g = 0; g < NGROUPS; g++) {
        const char *want[MAX_LABELS_ON_PATH];
        int nw = expected_group(c, labels, label_q, g, want, values);
        Value v = let_value(&c->ev, c->program, GROUP_LETS[g], &found);
        if (!found) {
            fail(c, steps, n, "the rules have no definition %s", GROUP_LETS[g]);
            continue;
        }
        char a[1024], b[1024];
        bool ok = g == OPERATIONEEL
                      ? (nw == 0 ? !val_is_known(v) : v.kind == V_STRING && !strcmp(v.as.str, want[0]))
                      : same_set(v, want, nw);
        if (!ok) {
            set_text(a, sizeof a, v);
            expected_text(b, sizeof b, want, nw);
            fail(c, steps, n, "%s is %s, the walk gives %s", GROUP_LETS[g], a, b);
        }
    }
    facts_free(&facts);
    sources_free(&srcs);
out:
    free(json);
}

/* With the standard library: the same conclusion, the report's labels are the tree's (the facts
 * give no ai_act label and no basic fact), the phase follows the in-use answer, no warning. */
static void check_with_stdlib(Checker *c, const Step *steps, int n, const Labels *labels, const int *label_q,
                              const char *concl)
{
    size_t len;
    char *json = facts_json(c, steps, n, false, NULL, &len);
    Facts facts;
    Sources srcs;
    if (!run(&c->ev_std, c->with_std, json, len, &facts, &srcs)) {
        c->failures++;
        goto out;
    }
    c->std_checked++;
    const char *got = conclusion_id(&c->ev_std);
    if (strcmp(got, concl ? concl : "(none)") != 0)
        fail(c, steps, n, "with the stdlib: conclusion %s, the walk reaches %s", got, concl ? concl : "(none)");
    for (uint32_t w = 0; w < c->with_std->n_warnings; w++)
        if (c->ev_std.warnings[w])
            fail(c, steps, n, "with the stdlib: warning %s fires", c->with_std->warnings[w]->id);
    static char values[MAX_LABELS_ON_PATH][2048];
    bool found;
    for (int g = 0; g < 6; g++) {
        const char *want[MAX_LABELS_ON_PATH];
        int nw = expected_group(c, labels, label_q, g, want, values);
        Value v = let_value(&c->ev_std, c->with_std, STDLIB_LABELS[g], &found);
        if (!same_set(v, want, nw)) {
            char a[1024], b[1024];
            set_text(a, sizeof a, v);
            expected_text(b, sizeof b, want, nw);
            fail(c, steps, n, "with the stdlib: label %s is %s, the walk gives %s", STDLIB_LABELS[g], a, b);
        }
    }
    const char *want[MAX_LABELS_ON_PATH];
    int nw = expected_group(c, labels, label_q, OPERATIONEEL, want, values);
    const char *phase_want = nw == 0                               ? NULL
                             : !strcmp(want[0], "in gebruik")      ? "monitoring-en-beheer"
                             : !strcmp(want[0], "in ontwikkeling") ? "ontwikkelen"
                                                                   : NULL;
    Value phase = let_value(&c->ev_std, c->with_std, "huidige_fase", &found);
    if (!(phase_want ? phase.kind == V_STRING && !strcmp(phase.as.str, phase_want) : !val_is_known(phase))) {
        char a[128];
        set_text(a, sizeof a, phase);
        fail(c, steps, n, "with the stdlib: phase %s, expected %s", a, phase_want ? phase_want : "unknown");
    }
    facts_free(&facts);
    sources_free(&srcs);
out:
    free(json);
}

static bool warning_fired(const Checker *c, const char *id)
{
    for (uint32_t w = 0; w < c->with_std->n_warnings; w++)
        if (!strcmp(c->with_std->warnings[w]->id, id))
            return c->ev_std.warnings[w];
    return false;
}

/* A given ai_act label that the tree contradicts wins, with a warning; the same for the fact
 * operationeel against the tree's in-use answer. */
static void check_contradictions(Checker *c, const Step *steps, int n, const Labels *labels, const int *label_q)
{
    static char values[MAX_LABELS_ON_PATH][2048];
    const char *want[MAX_LABELS_ON_PATH];
    int nw = expected_group(c, labels, label_q, 1, want, values);
    const char *other = "verboden-ai";
    for (int i = 0; i < nw; i++)
        if (!strcmp(want[i], "verboden-ai"))
            other = "geen-hoog-risico-ai-systeem";
    int no = expected_group(c, labels, label_q, OPERATIONEEL, want + nw, values + nw);
    char extra[256];
    snprintf(extra, sizeof extra, "\"ai_act\": {\"risicogroep\": \"%s\"}%s%s%s", other,
             no ? ", \"operationeel\": \"" : "",
             no ? (!strcmp(want[nw], "in gebruik") ? "in ontwikkeling" : "in gebruik") : "", no ? "\"" : "");
    size_t len;
    char *json = facts_json(c, steps, n, false, extra, &len);
    Facts facts;
    Sources srcs;
    if (!run(&c->ev_std, c->with_std, json, len, &facts, &srcs)) {
        c->failures++;
        free(json);
        return;
    }
    bool found;
    Value v = let_value(&c->ev_std, c->with_std, "risicogroep", &found);
    if (!same_set(v, &other, 1))
        fail(c, steps, n, "with ai_act.risicogroep = %s the label risicogroep is not the given one", other);
    if (!warning_fired(c, "risicogroep-beslishulp-tegenstrijdig"))
        fail(c, steps, n, "ai_act.risicogroep = %s contradicts the tree, but no warning fires", other);
    if (no && !warning_fired(c, "operationeel-beslishulp-tegenstrijdig"))
        fail(c, steps, n, "operationeel contradicts the tree's \"%s\", but no warning fires", want[nw]);
    facts_free(&facts);
    sources_free(&srcs);
    free(json);
    c->contradictions++;
}

/* A walk that stops before question q: undetermined, and q is the one missing fact. When no way
 * on from here reaches a conclusion (every one stops where no redirect applies, which the
 * compiler warns about), the rules may also know already that there is none: they decide the
 * redirects per question, not per set of labels, so they need not see it that early. */
static void check_prefix(Checker *c, const Step *steps, int n, int next_q, bool conclusion_ahead)
{
    size_t len;
    char *json = facts_json(c, steps, n, false, NULL, &len);
    Facts facts;
    Sources srcs;
    if (!run(&c->ev, c->program, json, len, &facts, &srcs)) {
        c->failures++;
    } else {
        c->prefixes++;
        /* rules name the fact beslishulp."1.1", or beslishulp.A when the id is a plain name */
        const char *id = c->t->q[next_q].id;
        bool plain = (id[0] >= 'a' && id[0] <= 'z') || (id[0] >= 'A' && id[0] <= 'Z') || id[0] == '_';
        for (const char *ch = id; *ch && plain; ch++)
            plain = (*ch >= 'a' && *ch <= 'z') || (*ch >= 'A' && *ch <= 'Z') || (*ch >= '0' && *ch <= '9') ||
                    *ch == '_' || (*ch == '-' && ch[1] && ch[1] != '-' && ch[-1] != '-');
        char want[300];
        snprintf(want, sizeof want, plain ? "beslishulp.%s" : "beslishulp.\"%s\"", id);
        if (!conclusion_ahead && !c->ev.conclusion_undetermined) {
            if (c->ev.conclusion >= 0)
                fail(c, steps, n, "no walk on from %s reaches a conclusion, but the conclusion is %s", id,
                     conclusion_id(&c->ev));
        } else if (!c->ev.conclusion_undetermined) {
            fail(c, steps, n, "answers stop before %s, but the conclusion is %s", c->t->q[next_q].id,
                 conclusion_id(&c->ev));
        } else if (c->ev.conclusion_missing.len != 1 ||
                   strcmp(c->program->facts[c->ev.missing_pool[c->ev.conclusion_missing.start]]->name, want) !=
                       0) {
            char got[2048] = "";
            size_t o = 0;
            for (uint32_t i = 0; i < c->ev.conclusion_missing.len && o < sizeof got; i++)
                o += (size_t)snprintf(
                    got + o, sizeof got - o, "%s%s", i ? ", " : "",
                    c->program->facts[c->ev.missing_pool[c->ev.conclusion_missing.start + i]]->name);
            fail(c, steps, n, "missing facts [%s], expected only %s", got, want);
        }
    }
    facts_free(&facts);
    sources_free(&srcs);
    free(json);
}

/* Every walk from question q, depth first; true when one of them reaches a conclusion. */
static bool walk(Checker *c, int q, Step *steps, int n, Labels *labels, int *label_q, bool *visited)
{
    const WQuestion *wq = &c->t->q[q];
    if (n >= MAX_PATH || visited[q]) {
        fprintf(stderr, "the walk comes back to question %s\n", wq->id);
        c->failures++;
        return false;
    }
    bool conclusion_ahead = false;
    visited[q] = true;
    for (int a = 0; a < wq->n_answers; a++) {
        const WAnswer *an = &wq->answers[a];
        int saved = labels->n;
        for (int k = 0; k < an->n_labels; k++)
            if (!has_label(labels, an->labels[k], strlen(an->labels[k])) && labels->n < MAX_LABELS_ON_PATH) {
                label_q[labels->n] = q;
                labels->items[labels->n++] = an->labels[k];
            }
        steps[n] = (Step){q, a};
        const char *next_q = an->next_q, *next_c = an->next_c;
        bool dead = false;
        if (an->n_redirects) {
            next_q = next_c = NULL;
            bool bad = false;
            int r = 0;
            while (r < an->n_redirects && !jexl_holds(an->redirects[r].cond, labels, &bad))
                r++;
            if (bad) {
                fprintf(stderr, "cannot evaluate a condition of %s\n", wq->id);
                c->failures++;
            }
            if (r < an->n_redirects) {
                next_q = an->redirects[r].next_q;
                next_c = an->redirects[r].next_c;
            } else {
                dead = true;
            }
        }
        if (next_q && !dead) {
            int nq = find_question(c->t, next_q);
            if (nq < 0) {
                fprintf(stderr, "question %s leads to unknown question %s\n", wq->id, next_q);
                c->failures++;
            } else {
                conclusion_ahead |= walk(c, nq, steps, n + 1, labels, label_q, visited);
            }
        } else {
            conclusion_ahead |= !dead;
            if (dead)
                c->dead_ends++;
            c->paths++;
            if (c->with_std) {
                check_with_stdlib(c, steps, n + 1, labels, label_q, next_c);
                check_contradictions(c, steps, n + 1, labels, label_q);
            }
            check_complete(c, steps, n + 1, labels, label_q, next_c, false);
            check_complete(c, steps, n + 1, labels, label_q, next_c, true);
            c->noisy++;
        }
        labels->n = saved;
    }
    visited[q] = false;
    /* Checked after the walks below, which tell whether a conclusion lies ahead. */
    if (wq->n_answers > 1)
        check_prefix(c, steps, n, q, conclusion_ahead);
    return conclusion_ahead;
}

static Program *load_program(const char *text, size_t len, const char *stdlib_dir)
{
    Program *p = program_new();
    Diag d;
    diag_init(&d, &p->sources, stderr);
    Loader l;
    loader_init(&l, p, &d);
    if (stdlib_dir) {
        loader_add_search_dir(&l, stdlib_dir);
        loader_load_path(&l, stdlib_dir);
    }
    loader_load_text(&l, "compiled-tree.kdr", text, len);
    int rc = loader_finish(&l);
    loader_free(&l);
    if (rc != 0) {
        program_free(p);
        return NULL;
    }
    return p;
}

static int compile_file(const char *path, Buf *out, FILE *messages)
{
    Sources s;
    sources_init(&s);
    size_t len;
    char *text = read_whole_file(path, &len);
    if (!text) {
        sources_free(&s);
        return -2;
    }
    uint32_t file = sources_add(&s, path, text, len);
    Diag d;
    diag_init(&d, &s, messages);
    d.max_errors = 0;
    int rc = tree_compile(&s, file, &d, out);
    sources_free(&s);
    return rc;
}

static int equiv(const char *path, const char *stdlib_dir)
{
    WTree t = {0};
    if (read_wtree(path, &t) != 0 || t.nq == 0) {
        fprintf(stderr, "%s: cannot read the decision tree\n", path);
        return 2;
    }
    Buf rules = {0};
    if (compile_file(path, &rules, NULL) != 0) {
        compile_file(path, &rules, stderr); /* again, to show why */
        fprintf(stderr, "%s: the tree did not compile\n", path);
        buf_free(&rules);
        free_wtree(&t);
        return 1;
    }
    Checker c = {0};
    c.t = &t;
    c.program = load_program(rules.data, rules.len, NULL);
    if (stdlib_dir)
        c.with_std = load_program(rules.data, rules.len, stdlib_dir);
    if (!c.program || (stdlib_dir && !c.with_std)) {
        fprintf(stderr, "%s: the compiled rules did not load\n", path);
        return 1;
    }
    evaluation_init(&c.ev, c.program);
    if (c.with_std)
        evaluation_init(&c.ev_std, c.with_std);
    Step *steps = calloc(MAX_PATH + 1, sizeof *steps);
    Labels *labels = calloc(1, sizeof *labels);
    int *label_q = calloc(MAX_LABELS_ON_PATH, sizeof *label_q);
    bool *visited = calloc((size_t)t.nq + 1, sizeof *visited);
    walk(&c, 0, steps, 0, labels, label_q, visited);
    printf("%s: %ld paths (%ld end without a conclusion), %ld with answers off the path, %ld prefixes", path,
           c.paths, c.dead_ends, c.noisy, c.prefixes);
    if (c.with_std)
        printf(", %ld with the standard library (%ld with contradicting facts)", c.std_checked, c.contradictions);
    printf(": %s\n", c.failures ? "DIFFERENCES" : "all agree");
    if (c.failures)
        printf("%ld differences\n", c.failures);
    free(steps);
    free(labels);
    free(label_q);
    free(visited);
    evaluation_free(&c.ev);
    program_free(c.program);
    if (c.with_std) {
        evaluation_free(&c.ev_std);
        program_free(c.with_std);
    }
    buf_free(&rules);
    free_wtree(&t);
    return c.failures ? 1 : 0;
}

/* Compares text with a file, or writes the file under UPDATE=1; 0 when they agree. */
static int compare_with_file(const char *what, const char *got, size_t got_len, const char *expected_path)
{
    if (getenv("UPDATE") && !strcmp(getenv("UPDATE"), "1")) {
        FILE *f = fopen(expected_path, "wb");
        if (!f || fwrite(got, 1, got_len, f) != got_len || fclose(f) != 0) {
            fprintf(stderr, "%s: cannot write\n", expected_path);
            return 2;
        }
        printf("wrote %s\n", expected_path);
        return 0;
    }
    size_t want_len = 0;
    char *want = read_whole_file(expected_path, &want_len);
    int status = 0;
    if (!want || want_len != got_len || memcmp(want, got, got_len) != 0) {
        printf("%s differs from %s\n--- expected\n%s--- got\n%s", what, expected_path, want ? want : "(none)\n",
               got);
        status = 1;
    }
    kdr_free(want);
    return status;
}

/* The compiler's messages for a tree (and its rule text), compared with files. Paths in the
 * messages are as given on the command line. */
static int diagnose(const char *path, const char *expected_messages, const char *expected_rules)
{
    char *got = NULL;
    size_t got_len = 0;
    FILE *m = open_memstream(&got, &got_len);
    Buf rules = {0};
    int rc = compile_file(path, &rules, m);
    fprintf(m, "rc=%d\n", rc == 0 ? 0 : 2);
    fclose(m);
    if (rc == -2) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        free(got);
        buf_free(&rules);
        return 2;
    }
    int status = compare_with_file("the messages", got, got_len, expected_messages);
    if (expected_rules) {
        int r = compare_with_file("the rule text", buf_str(&rules), rules.len, expected_rules);
        status = status ? status : r;
    }
    free(got);
    buf_free(&rules);
    return status;
}

/* One facts file evaluated with the compiled tree, the standard library and a rule set, as
 * `kader eval --rules RULES --rules <compiled tree>` would: the conclusion, the labels, the
 * phase, the warnings and what is missing, as text compared with a file. */
static int session(const char *tree, const char *stdlib_dir, const char *rules_dir, const char *facts_path,
                   const char *expected)
{
    Buf rules = {0};
    if (compile_file(tree, &rules, NULL) != 0) {
        fprintf(stderr, "%s: the tree did not compile\n", tree);
        buf_free(&rules);
        return 1;
    }
    Program *p = program_new();
    Diag d;
    diag_init(&d, &p->sources, stderr);
    Loader l;
    loader_init(&l, p, &d);
    loader_add_search_dir(&l, stdlib_dir);
    loader_load_path(&l, stdlib_dir);
    loader_load_path(&l, rules_dir);
    loader_load_text(&l, "beslishulp.kdr", rules.data, rules.len);
    int rc = loader_finish(&l);
    loader_free(&l);
    buf_free(&rules);
    if (rc != 0) {
        program_free(p);
        return 1;
    }
    Sources srcs;
    sources_init(&srcs);
    Diag fd;
    diag_init(&fd, &srcs, stderr);
    Facts facts;
    facts_init(&facts, p);
    int status = 1;
    if (facts_load_file(&facts, &srcs, facts_path, &fd) == 0) {
        facts_apply_defaults(&facts);
        Evaluation ev;
        evaluation_init(&ev, p);
        int32_t today;
        date_parse("2026-09-01", 10, &today);
        evaluate(&ev, &facts, facts.has_date ? facts.date : today);
        Buf out = {0};
        buf_printf(&out, "conclusion: %s\n", conclusion_id(&ev));
        for (uint32_t i = 0; i < ev.conclusion_missing.len; i++)
            buf_printf(&out, "  missing: %s\n", p->facts[ev.missing_pool[ev.conclusion_missing.start + i]]->name);
        for (uint32_t i = 0; i < p->n_labels; i++) {
            buf_printf(&out, "label %s: ", p->lets[p->label_lets[i]]->name);
            value_format(&out, ev.labels[i]);
            buf_putc(&out, '\n');
        }
        buf_puts(&out, "phase: ");
        value_format(&out, ev.phase);
        buf_putc(&out, '\n');
        for (uint32_t w = 0; w < p->n_warnings; w++)
            if (ev.warnings[w])
                buf_printf(&out, "warning: %s\n", p->warnings[w]->id);
        /* Which questions of the tree the obligations still wait for: none once the walk is
         * complete, and only the next question before (the counts themselves belong to rules/). */
        bool *waits = calloc(p->n_facts + 1, sizeof *waits);
        for (uint32_t r = 0; r < p->n_requirements; r++)
            for (uint32_t i = 0; i < ev.requirements[r].missing.len; i++)
                waits[ev.missing_pool[ev.requirements[r].missing.start + i]] = true;
        for (uint32_t r = 0; r < p->n_procedures; r++)
            for (uint32_t i = 0; i < ev.procedures[r].missing.len; i++)
                waits[ev.missing_pool[ev.procedures[r].missing.start + i]] = true;
        buf_puts(&out, "obligations wait for:");
        bool any = false;
        for (uint32_t f = 0; f < p->n_facts; f++)
            if (waits[f] && !strncmp(p->facts[f]->name, "beslishulp.", 11)) {
                buf_printf(&out, " %s", p->facts[f]->name);
                any = true;
            }
        buf_puts(&out, any ? "\n" : " no question of the tree\n");
        free(waits);
        status = compare_with_file("the session", buf_str(&out), out.len, expected);
        buf_free(&out);
        evaluation_free(&ev);
    }
    facts_free(&facts);
    sources_free(&srcs);
    program_free(p);
    return status;
}

/* tree_is_decision_tree on texts that are trees and texts that only look a little like one. */
static int detect(void)
{
    static const struct {
        const char *text;
        bool tree;
    } cases[] = {
        {"questions:\n  - questionId: \"1\"\nconclusions:\n  - conclusionId: a\n", true},
        {"\xEF\xBB\xBFquestions:\n- questionId: 1\nconclusions: []\n", true},
        {"{\"questions\": [{\"questionId\": \"1.1\"}], \"conclusions\": []}", true},
        {"version: 1\nconclusions:\n  - conclusionId: a\nquestions:\n  -   questionId: x\n", true},
        {"questions:\n  - id: 1\nconclusions: []\n", false},           /* no questionId */
        {"  questions:\n  - questionId: 1\nconclusions: []\n", false}, /* not top level */
        {"questions:\n  - questionId: 1\n", false},                    /* no conclusions */
        {"# questions: conclusions: questionId:\ntitle: x\n", false},
        {"{\"properties\": {\"questions\": {}, \"conclusions\": {}, \"questionId\": {\"type\": \"string\"}}}",
         false}, /* a JSON schema */
        {"---\ntitle: Vereiste\nquestionIds: [1]\n---\n", false},
        {"", false},
    };
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (tree_is_decision_tree(cases[i].text, strlen(cases[i].text)) != cases[i].tree) {
            printf("detect case %zu: expected %s: %s\n", i, cases[i].tree ? "a tree" : "no tree", cases[i].text);
            failures++;
        }
    printf("%zu detection cases, %d wrong\n", sizeof cases / sizeof cases[0], failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "equiv")) {
        FILE *f = fopen(argv[2], "rb");
        if (!f) {
            printf("%s: not found; skipped\n", argv[2]);
            return 77;
        }
        fclose(f);
        return equiv(argv[2], argc > 3 ? argv[3] : NULL);
    }
    if ((argc == 4 || argc == 5) && !strcmp(argv[1], "diagnose"))
        return diagnose(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
    if (argc == 2 && !strcmp(argv[1], "detect"))
        return detect();
    if (argc == 7 && !strcmp(argv[1], "session")) {
        FILE *f = fopen(argv[2], "rb");
        if (!f) {
            printf("%s: not found; skipped\n", argv[2]);
            return 77;
        }
        fclose(f);
        return session(argv[2], argv[3], argv[4], argv[5], argv[6]);
    }
    fprintf(stderr, "usage: test_beslishulp equiv TREE [STDLIB_DIR] | diagnose TREE MESSAGES [RULES] | detect |\n"
                    "       session TREE STDLIB_DIR RULES_DIR FACTS EXPECTED\n");
    return 2;
}
