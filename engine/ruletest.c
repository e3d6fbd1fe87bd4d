/* ruletest.c — reading, checking and running rule tests (`kader test`). A test file is YAML:
 *
 *   date: 2026-03-01                  # optional: the evaluation date of every case
 *   cases:                            # (or the file is just the list of cases)
 *     - name: a provider of a high-risk system
 *       facts: ../examples/x.yaml     # a facts file, an inline mapping, or a list of both
 *       date: 2027-01-15              # optional; else the file's, else the facts' datum, else today
 *       requirements: {ID: applies}   # or {ID: {status:, in_force:, timing:, missing: [...]}}
 *       procedures: {ID: {status: required, route: bijlage-vi, again: false}}
 *       conclusion: ID                # or null, or {status:, id:, missing:}
 *       labels: {risicogroep: [hoog-risico-ai-systeem]}
 *       missing: {ID: [fact, ...]}
 *       warnings: [ID, ...]
 *       phase: ontwikkelen
 *
 * Inline facts are read by the facts loader from a copy of the test file in which everything
 * but the mapping is blanked out (line breaks kept), so its messages point into the test file. */
#define _POSIX_C_SOURCE 200809L
#include "ruletest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

enum { MAX_TEST_FILE_BYTES = 16 * 1024 * 1024, MAX_CASES = 100000 };

typedef struct Reader {
    TestFile *tf;
    const Program *p;
    Diag *diag;
    const SourceFile *src;
    yaml_document_t doc;
    int errors;
    char *dir;              /* the test file's directory, for relative facts paths */
    bool has_date;          /* the file's default date */
    int32_t date;
    uint32_t *line_starts;  /* offset of each line, so that a YAML mark costs no scan of the file */
    uint32_t n_lines;
} Reader;

/* ---- YAML nodes ---- */

static yaml_node_t *node_of(Reader *r, int id) { return yaml_document_get_node(&r->doc, id); }

/* The byte offset of a libyaml mark (0-based line, column in characters). */
static uint32_t mark_offset(const Reader *r, yaml_mark_t m)
{
    if (m.line >= r->n_lines)
        return (uint32_t)r->src->len;
    uint32_t i = r->line_starts[m.line];
    for (size_t c = 0; c < m.column && i < r->src->len && r->src->text[i] != '\n'; c++) {
        i++;
        while (i < r->src->len && ((unsigned char)r->src->text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static KdrLoc node_loc(const Reader *r, const yaml_node_t *n)
{
    uint32_t start = mark_offset(r, n->start_mark);
    uint32_t end = mark_offset(r, n->end_mark);
    if (end <= start)
        end = start + 1;
    return (KdrLoc){r->tf->file, start, end};
}

static void rerr(Reader *r, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void rerr(Reader *r, const yaml_node_t *n, const char *fmt, ...)
{
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    KdrLoc loc = n ? node_loc(r, n) : (KdrLoc){r->tf->file, 0, 1};
    diag_at(r->diag, DIAG_ERROR, loc, "%s", buf_str(&b));
    buf_free(&b);
    r->errors++;
}

static bool is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    return strcmp(v, "") == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
           strcmp(v, "NULL") == 0;
}

static const char *describe(const yaml_node_t *n)
{
    if (is_null(n))
        return "null";
    switch (n->type) {
    case YAML_MAPPING_NODE: return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    default: return "a single value";
    }
}

/* The text of a scalar (copied into the test file's arena), or NULL after an error. */
static const char *scalar(Reader *r, const yaml_node_t *n, const char *what)
{
    if (n->type != YAML_SCALAR_NODE || is_null(n)) {
        rerr(r, n, "%s must be a single value, not %s", what, describe(n));
        return NULL;
    }
    return arena_strndup(&r->tf->arena, (const char *)n->data.scalar.value, n->data.scalar.length);
}

static bool scalar_is(const yaml_node_t *n, const char *s)
{
    return n->type == YAML_SCALAR_NODE && strcmp((const char *)n->data.scalar.value, s) == 0;
}

/* Calls each(key text, key node, value node) for every pair of a mapping; reports keys that are
 * not scalars and keys given twice. */
typedef void (*PairFn)(Reader *r, void *ctx, const char *key, yaml_node_t *key_node, yaml_node_t *value);

static void each_pair(Reader *r, yaml_node_t *map, void *ctx, PairFn each)
{
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = node_of(r, pr->key), *v = node_of(r, pr->value);
        if (!k || !v)
            continue;
        if (k->type != YAML_SCALAR_NODE) {
            rerr(r, k, "a key must be a single value, not %s", describe(k));
            continue;
        }
        bool twice = false;
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr && !twice; q++) {
            yaml_node_t *k2 = node_of(r, q->key);
            twice = k2 && k2->type == YAML_SCALAR_NODE &&
                    strcmp((const char *)k2->data.scalar.value, (const char *)k->data.scalar.value) == 0;
        }
        if (twice) {
            rerr(r, k, "'%s' is given twice", (const char *)k->data.scalar.value);
            continue;
        }
        each(r, ctx, (const char *)k->data.scalar.value, k, v);
    }
}

/* "did you mean" among candidates, or the list of them when there are few. */
static void hint_choice(Reader *r, const char *word, const char *const *options, uint32_t n, const char *kind)
{
    const char *best = NULL;
    size_t len = strlen(word);
    int limit = len < 4 ? 1 : len < 9 ? 2 : 3;
    int best_d = limit + 1;
    for (uint32_t i = 0; i < n; i++) {
        int d = edit_distance(word, options[i], limit);
        if (d < best_d) {
            best_d = d;
            best = options[i];
        }
    }
    if (best) {
        diag_hint(r->diag, "did you mean '%s'?", best);
        return;
    }
    if (n == 0) {
        diag_hint(r->diag, "the rules have no %s", kind);
        return;
    }
    Buf b = {0};
    for (uint32_t i = 0; i < n && i < 10; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", options[i]);
    if (n > 10)
        buf_printf(&b, ", ... (%u in all)", n);
    diag_hint(r->diag, "the %s are: %s", kind, buf_str(&b));
    buf_free(&b);
}

/* ---- expectations ---- */

static Expect *add_expect(Reader *r, TestCase *tc, ExpectKind kind, int32_t index, const yaml_node_t *at)
{
    /* doubling, so that a case with many expectations costs linear time and space */
    if ((tc->n_expects & (tc->n_expects - 1)) == 0) {
        Expect *e = arena_alloc(&r->tf->arena, (tc->n_expects ? tc->n_expects * 2 : 4) * sizeof(Expect));
        if (tc->n_expects)
            memcpy(e, tc->expects, tc->n_expects * sizeof(Expect));
        tc->expects = e;
    }
    Expect *x = &tc->expects[tc->n_expects++];
    x->kind = kind;
    x->index = index;
    x->loc = node_loc(r, at);
    return x;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A list of values (or one value) as a sorted set without repeats; false after an error. */
static bool string_set(Reader *r, yaml_node_t *n, const char *what, const char ***out, uint32_t *count)
{
    *out = NULL;
    *count = 0;
    if (n->type == YAML_SCALAR_NODE && !is_null(n)) {
        const char **s = arena_alloc(&r->tf->arena, sizeof(char *));
        s[0] = scalar(r, n, what);
        *out = s;
        *count = 1;
        return true;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        rerr(r, n, "%s must be a list, not %s", what, describe(n));
        return false;
    }
    uint32_t len = (uint32_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    const char **s = arena_alloc(&r->tf->arena, (len + 1) * sizeof(char *));
    uint32_t k = 0;
    bool ok = true;
    for (uint32_t i = 0; i < len; i++) {
        yaml_node_t *item = node_of(r, n->data.sequence.items.start[i]);
        const char *v = item ? scalar(r, item, "each item") : NULL;
        if (!v) {
            ok = false;
            continue;
        }
        s[k++] = v;
    }
    if (k > 1)
        qsort(s, k, sizeof(char *), compare_strings);
    uint32_t u = 0;
    for (uint32_t i = 0; i < k; i++)
        if (u == 0 || strcmp(s[u - 1], s[i]) != 0)
            s[u++] = s[i];
    *out = s;
    *count = u;
    return ok;
}

static bool fact_names(Reader *r, yaml_node_t *n, Expect *x)
{
    if (!string_set(r, n, "the missing facts", &x->set, &x->n_set))
        return false;
    bool ok = true;
    for (uint32_t i = 0; i < x->n_set; i++) {
        if (program_find_fact(r->p, x->set[i]))
            continue;
        rerr(r, n, "no fact '%s' in the rules", x->set[i]);
        const char **names = arena_alloc(&r->tf->arena, (r->p->n_facts + 1) * sizeof(char *));
        for (uint32_t k = 0; k < r->p->n_facts; k++)
            names[k] = r->p->facts[k]->name;
        hint_choice(r, x->set[i], names, r->p->n_facts, "facts");
        ok = false;
    }
    return ok;
}

static bool tri_bool(Reader *r, yaml_node_t *n, const char *what, Value *out)
{
    if (is_null(n) || scalar_is(n, "unknown")) {
        *out = val_unknown();
        return true;
    }
    if (scalar_is(n, "true") || scalar_is(n, "false")) {
        *out = val_bool(scalar_is(n, "true"));
        return true;
    }
    rerr(r, n, "%s must be true, false or unknown, not %s", what,
         n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : describe(n));
    return false;
}

static bool parse_status(Reader *r, yaml_node_t *n, bool procedure, int *status)
{
    const char *names[3] = {status_name(ST_APPLIES, procedure), status_name(ST_NOT_APPLICABLE, procedure),
                            status_name(ST_UNDETERMINED, procedure)};
    for (int i = 0; i < 3; i++)
        if (n->type == YAML_SCALAR_NODE && !is_null(n) && scalar_is(n, names[i])) {
            *status = i;
            return true;
        }
    rerr(r, n, "expected %s, %s or %s, not %s", names[0], names[1], names[2],
         n->type == YAML_SCALAR_NODE && !is_null(n) ? (const char *)n->data.scalar.value : describe(n));
    return false;
}

typedef struct ItemCtx {
    TestCase *tc;
    int32_t index;
} ItemCtx;

static void requirement_detail(Reader *r, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    ItemCtx *c = ctx;
    if (strcmp(key, "status") == 0) {
        int st;
        if (parse_status(r, v, false, &st))
            add_expect(r, c->tc, EX_REQUIREMENT, c->index, v)->status = st;
    } else if (strcmp(key, "in_force") == 0) {
        Value b;
        if (tri_bool(r, v, "in_force", &b))
            add_expect(r, c->tc, EX_IN_FORCE, c->index, v)->value = b;
    } else if (strcmp(key, "timing") == 0) {
        static const char *const timings[] = {"now", "overdue", "ahead"};
        const char *t = NULL;
        if (!is_null(v) && !scalar_is(v, "none")) {
            for (size_t i = 0; i < 3 && !t; i++)
                if (scalar_is(v, timings[i]))
                    t = timings[i];
            if (!t) {
                rerr(r, v, "timing must be now, overdue, ahead or none, not %s",
                     v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : describe(v));
                return;
            }
        }
        add_expect(r, c->tc, EX_TIMING, c->index, v)->str = t;
    } else if (strcmp(key, "missing") == 0) {
        Expect *x = add_expect(r, c->tc, EX_MISSING, c->index, v);
        fact_names(r, v, x);
    } else {
        rerr(r, k, "unknown key '%s' for a requirement", key);
        static const char *const keys[] = {"status", "in_force", "timing", "missing"};
        hint_choice(r, key, keys, 4, "keys");
    }
}

static void each_requirement(Reader *r, void *ctx, const char *id, yaml_node_t *k, yaml_node_t *v)
{
    TestCase *tc = ctx;
    const RequirementDecl *req = program_find_requirement(r->p, id);
    if (!req) {
        rerr(r, k, "no requirement \"%s\" in the rules", id);
        const char **ids = arena_alloc(&r->tf->arena, (r->p->n_requirements + 1) * sizeof(char *));
        for (uint32_t i = 0; i < r->p->n_requirements; i++)
            ids[i] = r->p->requirements[i]->id;
        hint_choice(r, id, ids, r->p->n_requirements, "requirements");
        return;
    }
    if (v->type == YAML_MAPPING_NODE) {
        ItemCtx c = {tc, req->index};
        each_pair(r, v, &c, requirement_detail);
        return;
    }
    int st;
    if (parse_status(r, v, false, &st))
        add_expect(r, tc, EX_REQUIREMENT, req->index, v)->status = st;
}

static void procedure_detail(Reader *r, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    ItemCtx *c = ctx;
    const ProcedureDecl *proc = r->p->procedures[c->index];
    if (strcmp(key, "status") == 0) {
        int st;
        if (parse_status(r, v, true, &st))
            add_expect(r, c->tc, EX_PROCEDURE, c->index, v)->status = st;
    } else if (strcmp(key, "route") == 0) {
        const char *route = NULL;
        if (!is_null(v)) {
            const char *id = scalar(r, v, "a route");
            if (!id)
                return;
            for (uint32_t i = 0; i < proc->n_routes && !route; i++)
                if (strcmp(proc->routes[i].id, id) == 0)
                    route = proc->routes[i].id;
            if (!route) {
                rerr(r, v, "procedure '%s' has no route '%s'", proc->id, id);
                const char **ids = arena_alloc(&r->tf->arena, (proc->n_routes + 1) * sizeof(char *));
                for (uint32_t i = 0; i < proc->n_routes; i++)
                    ids[i] = proc->routes[i].id;
                hint_choice(r, id, ids, proc->n_routes, "routes");
                return;
            }
        }
        add_expect(r, c->tc, EX_ROUTE, c->index, v)->str = route;
    } else if (strcmp(key, "again") == 0) {
        Value b;
        if (tri_bool(r, v, "again", &b))
            add_expect(r, c->tc, EX_AGAIN, c->index, v)->value = b;
    } else if (strcmp(key, "missing") == 0) {
        Expect *x = add_expect(r, c->tc, EX_MISSING, c->index, v);
        x->procedure = true;
        fact_names(r, v, x);
    } else {
        rerr(r, k, "unknown key '%s' for a procedure", key);
        static const char *const keys[] = {"status", "route", "again", "missing"};
        hint_choice(r, key, keys, 4, "keys");
    }
}

static const char **procedure_ids(Reader *r)
{
    const char **ids = arena_alloc(&r->tf->arena, (r->p->n_procedures + 1) * sizeof(char *));
    for (uint32_t i = 0; i < r->p->n_procedures; i++)
        ids[i] = r->p->procedures[i]->id;
    return ids;
}

static void each_procedure(Reader *r, void *ctx, const char *id, yaml_node_t *k, yaml_node_t *v)
{
    TestCase *tc = ctx;
    const ProcedureDecl *proc = program_find_procedure(r->p, id);
    if (!proc) {
        rerr(r, k, "no procedure '%s' in the rules", id);
        hint_choice(r, id, procedure_ids(r), r->p->n_procedures, "procedures");
        return;
    }
    if (v->type == YAML_MAPPING_NODE) {
        ItemCtx c = {tc, proc->index};
        each_pair(r, v, &c, procedure_detail);
        return;
    }
    int st;
    if (parse_status(r, v, true, &st))
        add_expect(r, tc, EX_PROCEDURE, proc->index, v)->status = st;
}

static void each_missing(Reader *r, void *ctx, const char *id, yaml_node_t *k, yaml_node_t *v)
{
    TestCase *tc = ctx;
    const RequirementDecl *req = program_find_requirement(r->p, id);
    const ProcedureDecl *proc = req ? NULL : program_find_procedure(r->p, id);
    if (!req && !proc) {
        rerr(r, k, "no requirement or procedure \"%s\" in the rules", id);
        const char **ids = arena_alloc(&r->tf->arena, (r->p->n_requirements + r->p->n_procedures + 1) * sizeof(char *));
        for (uint32_t i = 0; i < r->p->n_requirements; i++)
            ids[i] = r->p->requirements[i]->id;
        for (uint32_t i = 0; i < r->p->n_procedures; i++)
            ids[r->p->n_requirements + i] = r->p->procedures[i]->id;
        hint_choice(r, id, ids, r->p->n_requirements + r->p->n_procedures, "requirements and procedures");
        return;
    }
    Expect *x = add_expect(r, tc, EX_MISSING, req ? req->index : proc->index, v);
    x->procedure = proc != NULL;
    fact_names(r, v, x);
}

static void each_label(Reader *r, void *ctx, const char *name, yaml_node_t *k, yaml_node_t *v)
{
    TestCase *tc = ctx;
    int32_t found = -1;
    for (uint32_t i = 0; i < r->p->n_labels && found < 0; i++)
        if (strcmp(r->p->lets[r->p->label_lets[i]]->name, name) == 0)
            found = (int32_t)i;
    if (found < 0) {
        rerr(r, k, "no label '%s' in the rules", name);
        const char **names = arena_alloc(&r->tf->arena, (r->p->n_labels + 1) * sizeof(char *));
        for (uint32_t i = 0; i < r->p->n_labels; i++)
            names[i] = r->p->lets[r->p->label_lets[i]]->name;
        hint_choice(r, name, names, r->p->n_labels, "labels");
        return;
    }
    if (is_null(v) || scalar_is(v, "unknown")) {
        add_expect(r, tc, EX_LABEL, found, v)->value = val_unknown();
        return;
    }
    const char **items;
    uint32_t n;
    if (!string_set(r, v, "a label", &items, &n))
        return;
    const KdrSet *domain = r->p->lets[r->p->label_lets[found]]->body->domain;
    for (uint32_t i = 0; i < n; i++)
        if (domain && !set_contains(domain, items[i])) {
            rerr(r, v, "\"%s\" is never a value of label '%s'", items[i], name);
            hint_choice(r, items[i], domain->items, domain->len, "values");
            return;
        }
    add_expect(r, tc, EX_LABEL, found, v)->value = val_set(set_build(&r->tf->arena, items, n));
}

static void conclusion_detail(Reader *r, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v);

static bool conclusion_id(Reader *r, yaml_node_t *v, const char **out)
{
    *out = NULL;
    if (is_null(v))
        return true;
    const char *id = scalar(r, v, "a conclusion");
    if (!id)
        return false;
    for (uint32_t i = 0; i < r->p->n_conclusions; i++)
        if (strcmp(r->p->conclusions[i]->id, id) == 0) {
            *out = r->p->conclusions[i]->id;
            return true;
        }
    rerr(r, v, "no conclusion \"%s\" in the rules", id);
    const char **ids = arena_alloc(&r->tf->arena, (r->p->n_conclusions + 1) * sizeof(char *));
    for (uint32_t i = 0; i < r->p->n_conclusions; i++)
        ids[i] = r->p->conclusions[i]->id;
    hint_choice(r, id, ids, r->p->n_conclusions, "conclusions");
    return false;
}

static void conclusion_detail(Reader *r, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    TestCase *tc = ctx;
    if (strcmp(key, "id") == 0) {
        const char *id;
        if (conclusion_id(r, v, &id))
            add_expect(r, tc, EX_CONCLUSION, -1, v)->str = id;
    } else if (strcmp(key, "status") == 0) {
        static const char *const names[] = {"reached", "none", "undetermined"};
        for (int i = 0; i < 3; i++)
            if (scalar_is(v, names[i]) && !is_null(v)) {
                add_expect(r, tc, EX_CONCLUSION_STATUS, -1, v)->status = i;
                return;
            }
        rerr(r, v, "the conclusion's status must be reached, none or undetermined, not %s",
             v->type == YAML_SCALAR_NODE && !is_null(v) ? (const char *)v->data.scalar.value : describe(v));
    } else if (strcmp(key, "missing") == 0) {
        Expect *x = add_expect(r, tc, EX_CONCLUSION_MISSING, -1, v);
        fact_names(r, v, x);
    } else {
        rerr(r, k, "unknown key '%s' for the conclusion", key);
        static const char *const keys[] = {"id", "status", "missing"};
        hint_choice(r, key, keys, 3, "keys");
    }
}

/* ---- cases ---- */

static void add_facts(Reader *r, TestCase *tc, yaml_node_t *v)
{
    FactsSource fs = {0};
    fs.loc = node_loc(r, v);
    if (v->type == YAML_MAPPING_NODE) {
        fs.start = fs.loc.start;
        fs.end = fs.loc.end;
        fs.line = (uint32_t)v->start_mark.line;
        fs.line_start = fs.start;
        while (fs.line_start > 0 && r->src->text[fs.line_start - 1] != '\n')
            fs.line_start--;
    } else {
        const char *path = scalar(r, v, "a facts file");
        if (!path)
            return;
        if (path[0] == '/' || strcmp(r->dir, ".") == 0)
            fs.path = path;
        else
            fs.path = arena_printf(&r->tf->arena, "%s/%s", r->dir, path);
        struct stat st;
        if (access(fs.path, R_OK) != 0 || stat(fs.path, &st) != 0) {
            rerr(r, v, "cannot read the facts file '%s': %s", fs.path, strerror(errno));
            return;
        }
        if (S_ISDIR(st.st_mode)) {
            rerr(r, v, "the facts file '%s' is a directory", fs.path);
            return;
        }
    }
    if ((tc->n_facts & (tc->n_facts - 1)) == 0) {
        FactsSource *f = arena_alloc(&r->tf->arena, (tc->n_facts ? tc->n_facts * 2 : 4) * sizeof(FactsSource));
        if (tc->n_facts)
            memcpy(f, tc->facts, tc->n_facts * sizeof(FactsSource));
        tc->facts = f;
    }
    tc->facts[tc->n_facts++] = fs;
}

static bool read_date(Reader *r, yaml_node_t *v, int32_t *date)
{
    const char *s = v->type == YAML_SCALAR_NODE && !is_null(v) ? (const char *)v->data.scalar.value : NULL;
    if (!s || date_parse(s, strlen(s), date) != DATE_OK) {
        rerr(r, v, "the date must be a real date written YYYY-MM-DD, not %s", s ? s : describe(v));
        return false;
    }
    return true;
}

static void case_key(Reader *r, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    TestCase *tc = ctx;
    if (strcmp(key, "name") == 0) {
        const char *name = scalar(r, v, "the name");
        if (name)
            tc->name = name;
    } else if (strcmp(key, "facts") == 0) {
        if (is_null(v))
            return;
        if (v->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
                yaml_node_t *item = node_of(r, *it);
                if (item)
                    add_facts(r, tc, item);
            }
        } else {
            add_facts(r, tc, v);
        }
    } else if (strcmp(key, "date") == 0) {
        if (read_date(r, v, &tc->date))
            tc->has_date = true;
    } else if (strcmp(key, "requirements") == 0 || strcmp(key, "procedures") == 0 ||
               strcmp(key, "labels") == 0 || strcmp(key, "missing") == 0) {
        if (v->type != YAML_MAPPING_NODE) {
            rerr(r, v, "'%s' must be a mapping, not %s", key, describe(v));
            return;
        }
        PairFn fn = key[0] == 'r' ? each_requirement : key[0] == 'p' ? each_procedure
                  : key[0] == 'l' ? each_label : each_missing;
        each_pair(r, v, tc, fn);
    } else if (strcmp(key, "conclusion") == 0) {
        if (v->type == YAML_MAPPING_NODE) {
            each_pair(r, v, tc, conclusion_detail);
            return;
        }
        const char *id;
        if (conclusion_id(r, v, &id))
            add_expect(r, tc, EX_CONCLUSION, -1, v)->str = id;
    } else if (strcmp(key, "warnings") == 0) {
        Expect x = {0};
        if (!string_set(r, v, "the warnings", &x.set, &x.n_set))
            return;
        for (uint32_t i = 0; i < x.n_set; i++) {
            bool found = false;
            for (uint32_t w = 0; w < r->p->n_warnings && !found; w++)
                found = strcmp(r->p->warnings[w]->id, x.set[i]) == 0;
            if (!found) {
                rerr(r, v, "no warning '%s' in the rules", x.set[i]);
                const char **ids = arena_alloc(&r->tf->arena, (r->p->n_warnings + 1) * sizeof(char *));
                for (uint32_t w = 0; w < r->p->n_warnings; w++)
                    ids[w] = r->p->warnings[w]->id;
                hint_choice(r, x.set[i], ids, r->p->n_warnings, "warnings");
                return;
            }
        }
        Expect *e = add_expect(r, tc, EX_WARNINGS, -1, v);
        e->set = x.set;
        e->n_set = x.n_set;
    } else if (strcmp(key, "phase") == 0) {
        const char *phase = is_null(v) ? NULL : scalar(r, v, "the phase");
        if (phase && r->p->lifecycle && program_phase_position(r->p, phase) == -1) {
            rerr(r, v, "'%s' is not a phase of the lifecycle", phase);
            return;
        }
        add_expect(r, tc, EX_PHASE, -1, v)->str = phase;
    } else {
        rerr(r, k, "unknown key '%s' in a case", key);
        static const char *const keys[] = {"name", "facts", "date", "requirements", "procedures",
                                           "conclusion", "labels", "missing", "warnings", "phase"};
        hint_choice(r, key, keys, KDR_ARRAY_LEN(keys), "keys of a case");
    }
}

static void read_cases(Reader *r, yaml_node_t *list)
{
    uint32_t n = (uint32_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n == 0) {
        rerr(r, list, "there are no cases");
        return;
    }
    if (n > MAX_CASES) {
        rerr(r, list, "more than %d cases in one file", MAX_CASES);
        return;
    }
    TestFile *tf = r->tf;
    tf->cases = arena_alloc(&tf->arena, n * sizeof(TestCase));
    for (uint32_t i = 0; i < n; i++) {
        yaml_node_t *c = node_of(r, list->data.sequence.items.start[i]);
        if (!c)
            continue;
        if (c->type != YAML_MAPPING_NODE) {
            rerr(r, c, "a case must be a mapping of name, facts and expectations, not %s", describe(c));
            continue;
        }
        TestCase *tc = &tf->cases[tf->n_cases++];
        memset(tc, 0, sizeof *tc);
        tc->loc = node_loc(r, c);
        tc->line = (int)c->start_mark.line + 1;
        tc->name = arena_printf(&tf->arena, "case %u", i + 1);
        int before = r->errors;
        each_pair(r, c, tc, case_key);
        if (!tc->has_date && r->has_date) {
            tc->has_date = true;
            tc->date = r->date;
        }
        if (tc->n_expects == 0 && r->errors == before) {
            rerr(r, c, "case '%s' expects nothing, so it cannot fail", tc->name);
            diag_hint(r->diag, "add requirements, procedures, conclusion, labels, missing, warnings or phase");
        }
    }
}

static void file_key(Reader *r, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    yaml_node_t **cases = ctx;
    if (strcmp(key, "cases") == 0) {
        *cases = v;
    } else if (strcmp(key, "date") == 0) {
        if (read_date(r, v, &r->date))
            r->has_date = true;
    } else {
        rerr(r, k, "unknown key '%s' in a test file", key);
        static const char *const keys[] = {"date", "cases"};
        hint_choice(r, key, keys, 2, "keys of a test file");
    }
}

int ruletest_read(TestFile *tf, const char *path, const Program *p, Sources *sources, Diag *diag)
{
    memset(tf, 0, sizeof *tf);
    tf->path = path;
    size_t len;
    char *text = read_whole_file(path, &len);
    if (!text) {
        diag_plain(diag, DIAG_ERROR, "cannot read '%s': %s", path, read_error_text(errno));
        return -1;
    }
    if (len > MAX_TEST_FILE_BYTES) {
        kdr_free(text);
        diag_plain(diag, DIAG_ERROR, "'%s' is larger than the %d MiB limit for test files", path,
                   MAX_TEST_FILE_BYTES / (1024 * 1024));
        return -1;
    }
    tf->file = sources_add(sources, path, text, len);
    Reader r = {.tf = tf, .p = p, .diag = diag, .src = sources_get(sources, tf->file)};
    r.n_lines = 1;
    for (size_t i = 0; i < len; i++)
        r.n_lines += text[i] == '\n';
    r.line_starts = kdr_malloc(r.n_lines * sizeof(uint32_t));
    r.n_lines = 0;
    r.line_starts[r.n_lines++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            r.line_starts[r.n_lines++] = (uint32_t)i + 1;
    const char *slash = strrchr(path, '/');
    r.dir = slash ? kdr_strndup(path, slash == path ? 1 : (size_t)(slash - path)) : kdr_strdup(".");

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fputs("kader: error: out of memory\n", stderr);
        exit(2);
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)r.src->text, r.src->len);
    if (!yaml_parser_load(&parser, &r.doc)) {
        if (parser.error == YAML_MEMORY_ERROR) {
            fputs("kader: error: out of memory\n", stderr);
            exit(2);
        }
        uint32_t at = parser.error == YAML_READER_ERROR
                          ? (uint32_t)(parser.problem_offset > len ? len : parser.problem_offset)
                          : mark_offset(&r, parser.problem_mark);
        diag_at(diag, DIAG_ERROR, (KdrLoc){tf->file, at, at + 1}, "invalid YAML: %s",
                parser.problem ? parser.problem : "syntax error");
        if (parser.context && parser.error != YAML_READER_ERROR)
            diag_hint(diag, "%s that starts on line %zu", parser.context, parser.context_mark.line + 1);
        yaml_parser_delete(&parser);
        kdr_free(r.dir);
        kdr_free(r.line_starts);
        return -1;
    }
    yaml_node_t *root = yaml_document_get_root_node(&r.doc);
    if (!root) {
        rerr(&r, NULL, "the test file is empty");
        diag_hint(diag, "write a list of cases, each with facts and what the rules must conclude");
    } else {
        yaml_document_t second;
        if (yaml_parser_load(&parser, &second)) {
            yaml_node_t *more = yaml_document_get_root_node(&second);
            if (more) {
                KdrLoc loc = {tf->file, mark_offset(&r, more->start_mark), 0};
                loc.end = loc.start + 1;
                diag_at(diag, DIAG_ERROR, loc, "a test file holds one YAML document");
                r.errors++;
            }
            yaml_document_delete(&second);
        }
        yaml_node_t *cases = NULL;
        if (root->type == YAML_SEQUENCE_NODE)
            cases = root;
        else if (root->type == YAML_MAPPING_NODE)
            each_pair(&r, root, &cases, file_key);
        if (root->type != YAML_SEQUENCE_NODE && root->type != YAML_MAPPING_NODE) {
            rerr(&r, root, "a test file is a list of cases, or a mapping with 'cases', not %s", describe(root));
        } else if (!cases) {
            if (r.errors == 0)
                rerr(&r, root, "the test file has no 'cases'");
        } else if (cases->type != YAML_SEQUENCE_NODE) {
            rerr(&r, cases, "'cases' must be a list, not %s", describe(cases));
        } else {
            read_cases(&r, cases);
        }
    }
    yaml_document_delete(&r.doc);
    yaml_parser_delete(&parser);
    kdr_free(r.dir);
    kdr_free(r.line_starts);
    return r.errors ? -1 : 0;
}

void ruletest_free(TestFile *tf)
{
    arena_free(&tf->arena);
    memset(tf, 0, sizeof *tf);
}

/* ---- running ---- */

static void put_set(Buf *b, const char *const *items, uint32_t n)
{
    buf_putc(b, '[');
    for (uint32_t i = 0; i < n; i++)
        buf_printf(b, "%s%s", i ? ", " : "", items[i]);
    buf_putc(b, ']');
}

/* The facts of a Missing slice as a sorted set of names. */
static const char **missing_names(const Evaluation *ev, Missing m, Arena *a, uint32_t *n)
{
    const char **names = arena_alloc(a, (m.len + 1) * sizeof(char *));
    for (uint32_t i = 0; i < m.len; i++)
        names[i] = ev->program->facts[ev->missing_pool[m.start + i]]->name;
    if (m.len > 1)
        qsort(names, m.len, sizeof(char *), compare_strings);
    *n = m.len;
    return names;
}

static void put_missing(Buf *b, const Evaluation *ev, Missing m)
{
    if (!m.len)
        return;
    buf_puts(b, " (missing: ");
    for (uint32_t i = 0; i < m.len; i++)
        buf_printf(b, "%s%s", i ? ", " : "", ev->program->facts[ev->missing_pool[m.start + i]]->name);
    buf_putc(b, ')');
}

static const char *tri_text(Value v)
{
    return !val_is_known(v) ? "unknown" : v.as.b ? "true" : "false";
}

static void mismatch(PtrVec *out, const Expect *x, const char *what, const char *expected, const char *actual)
{
    Mismatch *m = kdr_calloc(1, sizeof *m);
    m->loc = x->loc;
    m->what = kdr_strdup(what);
    m->expected = kdr_strdup(expected);
    m->actual = kdr_strdup(actual);
    ptrvec_push(out, m);
}

static bool same_sets(const char *const *a, uint32_t na, const char *const *b, uint32_t nb)
{
    if (na != nb)
        return false;
    for (uint32_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static void compare(const Evaluation *ev, const Expect *x, Arena *tmp, PtrVec *out)
{
    const Program *p = ev->program;
    Buf what = {0}, want = {0}, got = {0};
    bool ok = true;
    switch (x->kind) {
    case EX_REQUIREMENT: {
        const RequirementResult *res = &ev->requirements[x->index];
        ok = res->status == x->status;
        buf_printf(&what, "requirement \"%s\"", p->requirements[x->index]->id);
        buf_puts(&want, status_name((ResultStatus)x->status, false));
        buf_puts(&got, status_name((ResultStatus)res->status, false));
        put_missing(&got, ev, res->missing);
        break;
    }
    case EX_IN_FORCE: {
        const RequirementResult *res = &ev->requirements[x->index];
        ok = res->in_force.kind == x->value.kind && (!val_is_known(x->value) || res->in_force.as.b == x->value.as.b);
        buf_printf(&what, "requirement \"%s\": in_force", p->requirements[x->index]->id);
        buf_puts(&want, tri_text(x->value));
        buf_puts(&got, tri_text(res->in_force));
        if (!val_is_known(res->in_force))
            put_missing(&got, ev, res->in_force_missing);
        break;
    }
    case EX_TIMING: {
        const char *t = timing_name((Timing)ev->requirements[x->index].timing);
        ok = (t == NULL && x->str == NULL) || (t && x->str && strcmp(t, x->str) == 0);
        buf_printf(&what, "requirement \"%s\": timing", p->requirements[x->index]->id);
        buf_puts(&want, x->str ? x->str : "none");
        buf_puts(&got, t ? t : "none");
        break;
    }
    case EX_PROCEDURE: {
        const ProcedureResult *res = &ev->procedures[x->index];
        ok = res->status == x->status;
        buf_printf(&what, "procedure %s", p->procedures[x->index]->id);
        buf_puts(&want, status_name((ResultStatus)x->status, true));
        buf_puts(&got, status_name((ResultStatus)res->status, true));
        if (res->status == ST_UNDETERMINED)
            put_missing(&got, ev, res->missing);
        break;
    }
    case EX_ROUTE: {
        const ProcedureResult *res = &ev->procedures[x->index];
        const ProcedureDecl *proc = p->procedures[x->index];
        const char *route = res->route >= 0 ? proc->routes[res->route].id : NULL;
        ok = (!route && !x->str) || (route && x->str && strcmp(route, x->str) == 0);
        buf_printf(&what, "procedure %s: route", proc->id);
        buf_puts(&want, x->str ? x->str : "none");
        if (route)
            buf_puts(&got, route);
        else if (res->route_undetermined) {
            buf_puts(&got, "undetermined");
            put_missing(&got, ev, res->missing);
        } else
            buf_puts(&got, "none");
        break;
    }
    case EX_AGAIN: {
        Value a = ev->procedures[x->index].again;
        ok = a.kind == x->value.kind && (!val_is_known(a) || a.as.b == x->value.as.b);
        buf_printf(&what, "procedure %s: again", p->procedures[x->index]->id);
        buf_puts(&want, tri_text(x->value));
        buf_puts(&got, tri_text(a));
        break;
    }
    case EX_MISSING:
    case EX_CONCLUSION_MISSING: {
        Missing m = x->kind == EX_CONCLUSION_MISSING ? ev->conclusion_missing
                    : x->procedure ? ev->procedures[x->index].missing : ev->requirements[x->index].missing;
        uint32_t n;
        const char **names = missing_names(ev, m, tmp, &n);
        ok = same_sets(names, n, x->set, x->n_set);
        if (x->kind == EX_CONCLUSION_MISSING)
            buf_puts(&what, "conclusion: missing");
        else if (x->procedure)
            buf_printf(&what, "procedure %s: missing", p->procedures[x->index]->id);
        else
            buf_printf(&what, "requirement \"%s\": missing", p->requirements[x->index]->id);
        put_set(&want, x->set, x->n_set);
        put_set(&got, names, n);
        break;
    }
    case EX_CONCLUSION: {
        const char *id = ev->conclusion >= 0 ? p->conclusions[ev->conclusion]->id : NULL;
        ok = (!id && !x->str) || (id && x->str && strcmp(id, x->str) == 0);
        buf_puts(&what, "conclusion");
        buf_puts(&want, x->str ? x->str : "none");
        if (id)
            buf_puts(&got, id);
        else if (ev->conclusion_undetermined) {
            buf_puts(&got, "undetermined");
            put_missing(&got, ev, ev->conclusion_missing);
        } else
            buf_puts(&got, "none");
        break;
    }
    case EX_CONCLUSION_STATUS: {
        static const char *const names[] = {"reached", "none", "undetermined"};
        int st = ev->conclusion >= 0 ? 0 : ev->conclusion_undetermined ? 2 : 1;
        ok = st == x->status;
        buf_puts(&what, "conclusion: status");
        buf_puts(&want, names[x->status]);
        buf_puts(&got, names[st]);
        if (st == 2)
            put_missing(&got, ev, ev->conclusion_missing);
        break;
    }
    case EX_LABEL: {
        Value v = ev->labels[x->index];
        const KdrSet *actual = NULL;
        if (v.kind == V_SET)
            actual = v.as.set;
        else if (v.kind == V_STRING)
            actual = set_build(tmp, &v.as.str, 1);
        if (!val_is_known(x->value))
            ok = !actual;
        else
            ok = actual && set_equal(actual, x->value.as.set);
        buf_printf(&what, "label %s", p->lets[p->label_lets[x->index]]->name);
        if (val_is_known(x->value))
            put_set(&want, x->value.as.set->items, x->value.as.set->len);
        else
            buf_puts(&want, "unknown");
        if (actual)
            put_set(&got, actual->items, actual->len);
        else
            buf_puts(&got, "unknown");
        break;
    }
    case EX_WARNINGS: {
        const char **fired = arena_alloc(tmp, (p->n_warnings + 1) * sizeof(char *));
        uint32_t n = 0;
        for (uint32_t i = 0; i < p->n_warnings; i++)
            if (ev->warnings[i])
                fired[n++] = p->warnings[i]->id;
        if (n > 1)
            qsort(fired, n, sizeof(char *), compare_strings);
        ok = same_sets(fired, n, x->set, x->n_set);
        buf_puts(&what, "warnings");
        put_set(&want, x->set, x->n_set);
        put_set(&got, fired, n);
        break;
    }
    case EX_PHASE: {
        const char *phase = ev->phase.kind == V_STRING ? ev->phase.as.str : NULL;
        ok = (!phase && !x->str) || (phase && x->str && strcmp(phase, x->str) == 0);
        buf_puts(&what, "phase");
        buf_puts(&want, x->str ? x->str : "unknown");
        buf_puts(&got, phase ? phase : "unknown");
        break;
    }
    }
    if (!ok)
        mismatch(out, x, buf_str(&what), buf_str(&want), buf_str(&got));
    buf_free(&what);
    buf_free(&want);
    buf_free(&got);
}

int ruletest_run(const TestFile *tf, const TestCase *tc, Facts *facts, Evaluation *ev, Sources *sources,
                 Diag *diag, PtrVec *mismatches)
{
    facts_clear(facts);
    int errors_before = diag->errors;
    for (uint32_t i = 0; i < tc->n_facts; i++) {
        const FactsSource *fs = &tc->facts[i];
        if (fs->path) {
            facts_load_file(facts, sources, fs->path, diag);
            continue;
        }
        /* The mapping alone, in place: as many empty lines as came before it, and its first
         * line's start blanked, so that positions in messages are those of the test file. */
        const SourceFile *src = sources_get(sources, tf->file);
        size_t len = fs->line + (fs->end - fs->line_start);
        char *text = kdr_malloc(len + 1);
        memset(text, '\n', fs->line);
        for (uint32_t k = fs->line_start; k < fs->end; k++)
            text[fs->line + (k - fs->line_start)] = k < fs->start ? ' ' : src->text[k];
        text[len] = '\0';
        facts_load_text(facts, sources, tf->path, text, len, diag);
        kdr_free(text);
    }
    if (diag->errors != errors_before)
        return -1;
    facts_apply_defaults(facts);
    int32_t today = tc->has_date ? tc->date : facts->has_date ? facts->date : date_today();
    evaluate(ev, facts, today);
    Arena tmp = {0};
    for (uint32_t i = 0; i < tc->n_expects; i++)
        compare(ev, &tc->expects[i], &tmp, mismatches);
    arena_free(&tmp);
    return 0;
}

void mismatches_free(PtrVec *mismatches)
{
    for (int i = 0; i < mismatches->len; i++) {
        Mismatch *m = mismatches->items[i];
        kdr_free(m->what);
        kdr_free(m->expected);
        kdr_free(m->actual);
        kdr_free(m);
    }
    ptrvec_free(mismatches);
}
