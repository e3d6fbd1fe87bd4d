/* compile_lineage.c — 2024 requirement documents and their successors in the 2026 Algoritmekader.
 * Reads the lineage table (stdlib/lineage-2024.yaml, or --lineage FILE: for each 2024 document
 * its 2026 successor, or none and why), checks it (a successor that several documents share must
 * be declared a merge, with the reason), and gives a 2024 requirement the applicability of its
 * successor: the condition, dates and procedures of the requirement with that id in the project's
 * rules, or failing that the AI Act label groups of the 2026 document. The rule text is printed
 * from the loaded rule, so the compiled file stands on its own with the stdlib. */
#define _POSIX_C_SOURCE 200809L
#include "compile.h"

#include <string.h>
#include <sys/stat.h>

#include "explain.h"
#include "load.h"

enum { LINEAGE_VERSION = 1 };

#define SUCCESSOR_PREFIX "urn:nl:ak:ver:"

typedef struct LineageEntry {
    const char *id;             /* the 2024 document's requirement id */
    const YNode *key;
    const char *successor;      /* NULL: none */
    const YNode *successor_node;
    const char *reason, *note, *rule;
    const YNode *rule_node;
    const char *merge;          /* the merge's reason, when the successor is shared */
} LineageEntry;

struct Lineage {
    Doc *doc;                   /* the table as read (for messages) */
    LineageEntry *entries;
    uint32_t n;
    StrMap by_id;               /* id -> index in entries */
};

/* ---- reading the table ---- */

static const char *default_table_path(Compiler *c)
{
    const char *dir = kader_stdlib_dir();
    return dir ? arena_printf(&c->arena, "%s/lineage-2024.yaml", dir) : NULL;
}

/* A value that must be one line of text: its string, or NULL after an error. */
static const char *text_value(Compiler *c, const Doc *t, const YNode *key, const YNode *v)
{
    if (v->kind != Y_SCALAR || !*v->str) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, v->kind == Y_NULL ? key : v),
                "'%s' must be text", key->str);
        return NULL;
    }
    return ck_str_trim_dup(&c->arena, v->str, strlen(v->str));
}

/* "did you mean" among the keys a mapping may have. */
static void hint_key(Compiler *c, const char *key, const char *const *keys, size_t n)
{
    PtrVec list = {0};
    for (size_t i = 0; i < n; i++)
        ck_push_const(&list, keys[i]);
    ck_hint_closest(c, &list, key);
    ptrvec_free(&list);
}

static const char *const entry_keys[] = {"successor", "reason", "rule", "note"};
static const char *const table_keys[] = {"version", "documents", "merges"};

static bool has_blank(const char *s)
{
    for (; *s; s++)
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            return true;
    return false;
}

static int line_of(const Compiler *c, const Doc *t, const YNode *n)
{
    int line, col;
    source_line_col(ck_doc_source(c, t), n->off, &line, &col);
    return line;
}

/* One entry of `documents`: {successor: ID|none, reason:, rule:, note:}. */
static bool read_entry(Compiler *c, const Doc *t, const YNode *key, const YNode *v,
                       LineageEntry *e)
{
    memset(e, 0, sizeof *e);
    e->key = key;
    e->id = ck_str_trim_dup(&c->arena, key->str, strlen(key->str));
    if (strncmp(e->id, "urn:", 4) != 0 || has_blank(e->id)) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, key), "'%s' is not a requirement id", e->id);
        diag_hint(&c->diag, "documents are named by their requirement id, for a 2024 document "
                  "urn:nl:ak:2024:ver:<file name without .md>");
        return false;
    }
    if (v->kind != Y_MAP) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, v->kind == Y_NULL ? key : v),
                "the entry for '%s' must be a mapping with 'successor'", e->id);
        diag_hint(&c->diag, "write 'successor: urn:nl:ak:ver:...' or 'successor: none' with a "
                  "'reason'");
        return false;
    }
    bool ok = true, have_successor = false;
    const YNode *reason_key = NULL;
    for (uint32_t i = 0; i < v->n; i++) {
        const YNode *k = v->kids[2 * i], *val = v->kids[2 * i + 1];
        if (k->kind != Y_SCALAR) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, k), "a key must be text");
            ok = false;
            continue;
        }
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(v->kids[2 * j]->str, k->str) == 0) {
                diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, k), "'%s' is given twice", k->str);
                ok = false;
            }
        const char *s;
        if (strcmp(k->str, "successor") == 0) {
            if (!(s = text_value(c, t, k, val))) {
                ok = false;
                continue;
            }
            have_successor = true;
            if (strcmp(s, "none") == 0)
                continue;
            if (strncmp(s, SUCCESSOR_PREFIX, strlen(SUCCESSOR_PREFIX)) != 0 ||
                !s[strlen(SUCCESSOR_PREFIX)] || has_blank(s)) {
                diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, val),
                        "'%s' is not the id of a 2026 requirement", s);
                diag_hint(&c->diag, "a successor is an id " SUCCESSOR_PREFIX "..., or none");
                ok = false;
                continue;
            }
            e->successor = s;
            e->successor_node = val;
        } else if (strcmp(k->str, "reason") == 0) {
            if (!(e->reason = text_value(c, t, k, val)))
                ok = false;
            reason_key = k;
        } else if (strcmp(k->str, "note") == 0) {
            if (!(e->note = text_value(c, t, k, val)))
                ok = false;
        } else if (strcmp(k->str, "rule") == 0) {
            if (!(s = text_value(c, t, k, val))) {
                ok = false;
                continue;
            }
            if (has_blank(s)) {
                diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, val), "'%s' is not a requirement id",
                        s);
                ok = false;
                continue;
            }
            e->rule = s;
            e->rule_node = val;
        } else {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, k), "unknown key '%s' in the entry for "
                    "'%s'", k->str, e->id);
            hint_key(c, k->str, entry_keys, KDR_ARRAY_LEN(entry_keys));
            diag_hint(&c->diag, "an entry has successor, reason (when there is none), rule and "
                      "note");
            ok = false;
        }
    }
    if (!ok)
        return false;
    if (!have_successor) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, key), "the entry for '%s' has no 'successor'",
                e->id);
        diag_hint(&c->diag, "write 'successor: urn:nl:ak:ver:...', or 'successor: none' with a "
                  "'reason'");
        return false;
    }
    if (!e->successor && !e->reason) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, key),
                "'%s' has no successor, but the entry does not say why", e->id);
        diag_hint(&c->diag, "add 'reason: \"removed: ...\"' (or merged into ..., split into ...)");
        return false;
    }
    if (e->successor && e->reason) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, reason_key),
                "'reason' says why a document has no successor, but '%s' has one", e->id);
        diag_hint(&c->diag, "use 'note' for a remark about the successor");
        return false;
    }
    return true;
}

/* A successor named by several documents must be declared under `merges`, with the reason,
 * and `merges` may only name successors that several documents share. Maps keep it linear: the
 * table comes from outside and may be large. */
static bool check_merges(Compiler *c, Lineage *l, const YNode *merges)
{
    bool ok = true;
    StrMap first = {0}; /* successor -> the first entry naming it */
    StrMap declared = {0}; /* successor -> its pair in merges */
    uint32_t *claims = arena_alloc(&c->arena, (l->n ? l->n : 1) * sizeof *claims);
    for (uint32_t e = 0; e < l->n; e++) {
        int32_t at;
        if (!l->entries[e].successor)
            continue;
        if (strmap_get(&first, l->entries[e].successor, &at))
            claims[at]++;
        else {
            strmap_put(&first, l->entries[e].successor, (int32_t)e);
            claims[e] = 1;
        }
    }
    for (uint32_t i = 0; merges && i < merges->n; i++) {
        const YNode *k = merges->kids[2 * i], *v = merges->kids[2 * i + 1];
        int32_t at;
        if (k->kind != Y_SCALAR) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(l->doc, k), "a key must be text");
            ok = false;
            continue;
        }
        if (strmap_get(&declared, k->str, &at)) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(l->doc, k), "'merges' lists %s twice; the "
                    "first is at line %d", k->str, line_of(c, l->doc, merges->kids[2 * at]));
            ok = false;
            continue;
        }
        strmap_put(&declared, k->str, (int32_t)i);
        const char *reason = text_value(c, l->doc, k, v);
        if (!reason) {
            ok = false;
            continue;
        }
        bool named = strmap_get(&first, k->str, &at);
        if (!named || claims[at] < 2) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(l->doc, k),
                    named ? "'merges' lists %s, but only '%s' names it as successor"
                          : "'merges' lists %s, but no document names it as successor",
                    k->str, named ? l->entries[at].id : "");
            diag_hint(&c->diag, "a merge is a successor that several 2024 documents share");
            ok = false;
        }
    }
    for (uint32_t e = 0; e < l->n; e++) {
        LineageEntry *x = &l->entries[e];
        int32_t at, m;
        if (!x->successor || !strmap_get(&first, x->successor, &at))
            continue;
        if (strmap_get(&declared, x->successor, &m)) {
            const YNode *v = merges->kids[2 * m + 1];
            if (v->kind == Y_SCALAR)
                x->merge = ck_str_trim_dup(&c->arena, v->str, strlen(v->str));
        } else if ((uint32_t)at != e) {
            const LineageEntry *y = &l->entries[at];
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(l->doc, x->successor_node),
                    "'%s' and '%s' (line %d) both name successor %s, which is not declared "
                    "a merge", x->id, y->id, line_of(c, l->doc, y->key), x->successor);
            diag_hint(&c->diag, "when the 2026 Algoritmekader joined them, add under "
                      "'merges': %s: \"<what was joined, and why>\"; otherwise one of "
                      "them names the wrong successor", x->successor);
            ok = false;
        }
        /* A successor is a 2026 requirement, never a document of the table itself. */
        if (strmap_get(&l->by_id, x->successor, &at)) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(l->doc, x->successor_node),
                    "successor %s is itself a document of the table (line %d)", x->successor,
                    line_of(c, l->doc, l->entries[at].key));
            ok = false;
        }
    }
    strmap_free(&first);
    strmap_free(&declared);
    return ok;
}

static Lineage *lineage_read(Compiler *c, const char *path)
{
    Doc *t = ck_yaml_file_load(c, path);
    if (!t)
        return NULL;
    const YNode *version = NULL, *documents = NULL, *merges = NULL, *documents_key = NULL;
    bool ok = true;
    for (uint32_t i = 0; i < t->fm->n; i++) {
        const YNode *k = t->fm->kids[2 * i], *v = t->fm->kids[2 * i + 1];
        const YNode **slot = strcmp(k->str, "version") == 0     ? &version
                             : strcmp(k->str, "documents") == 0 ? &documents
                             : strcmp(k->str, "merges") == 0    ? &merges
                                                                : NULL;
        if (!slot) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, k), "unknown key '%s' in the lineage "
                    "table", k->str);
            hint_key(c, k->str, table_keys, KDR_ARRAY_LEN(table_keys));
            diag_hint(&c->diag, "the table has version, documents and merges");
            ok = false;
            continue;
        }
        if (*slot) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, k), "'%s' is given twice", k->str);
            ok = false;
            continue;
        }
        *slot = v;
        if (slot == &documents)
            documents_key = k;
    }
    if (!ok)
        return NULL;
    if (!version) {
        diag_at(&c->diag, DIAG_ERROR, ck_doc_loc(t, 0, 0), "the lineage table has no 'version'");
        diag_hint(&c->diag, "start it with 'version: %d'", LINEAGE_VERSION);
        return NULL;
    }
    if (version->kind != Y_SCALAR || strcmp(version->str, "1") != 0) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, version),
                "lineage table version '%s' is not one this kader reads", version->str);
        diag_hint(&c->diag, "this kader reads version %d", LINEAGE_VERSION);
        return NULL;
    }
    if (!documents || documents->kind != Y_MAP) {
        diag_at(&c->diag, DIAG_ERROR,
                documents ? ck_node_loc(t, documents->kind == Y_NULL ? documents_key : documents)
                          : ck_doc_loc(t, 0, 0),
                "the lineage table needs 'documents', a mapping of requirement ids to entries");
        return NULL;
    }
    if (merges && merges->kind != Y_MAP && merges->kind != Y_NULL) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, merges),
                "'merges' must map each shared successor to the reason");
        return NULL;
    }
    if (merges && merges->kind == Y_NULL)
        merges = NULL;

    Lineage *l = arena_alloc(&c->arena, sizeof *l);
    l->doc = t;
    l->entries = arena_alloc(&c->arena, (documents->n ? documents->n : 1) * sizeof *l->entries);
    for (uint32_t i = 0; i < documents->n; i++) {
        const YNode *k = documents->kids[2 * i], *v = documents->kids[2 * i + 1];
        if (k->kind != Y_SCALAR) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, k), "a key must be text");
            ok = false;
            continue;
        }
        LineageEntry e;
        if (!read_entry(c, t, k, v, &e)) {
            ok = false;
            continue;
        }
        int32_t at;
        if (strmap_get(&l->by_id, e.id, &at)) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(t, k), "'%s' is listed twice; the first "
                    "is at line %d", e.id, line_of(c, t, l->entries[at].key));
            ok = false;
            continue;
        }
        l->entries[l->n] = e;
        strmap_put(&l->by_id, l->entries[l->n].id, (int32_t)l->n);
        l->n++;
    }
    if (ok)
        ok = check_merges(c, l, merges);
    if (!ok) {
        strmap_free(&l->by_id);
        return NULL;
    }
    return l;
}

/* The table is read when the first document that may be in it is compiled, so that compiling
 * 2026 documents alone never depends on it. */
static Lineage *lineage_get(Compiler *c)
{
    if (c->lineage_tried)
        return c->lineage;
    c->lineage_tried = true;
    const char *path = c->lineage_options.table;
    if (!path) {
        path = default_table_path(c);
        struct stat st;
        if (!path || stat(path, &st) != 0) {
            diag_plain(&c->diag, DIAG_NOTE, "no lineage table in the standard library "
                       "(lineage-2024.yaml): 2024 documents are compiled without their 2026 "
                       "successors");
            return NULL;
        }
    }
    int errors = c->diag.errors;
    c->lineage = lineage_read(c, path);
    c->lineage_broken = c->diag.errors != errors;
    return c->lineage;
}

/* ---- the rules that define successors ---- */

static Program *rules_get(Compiler *c)
{
    if (c->rules_tried)
        return c->rules;
    c->rules_tried = true;
    const PtrVec *paths = &c->lineage_options.rule_paths;
    const char *default_dir = kader_rules_dir();
    const char *stdlib_dir = kader_stdlib_dir();
    if (paths->len == 0 && !default_dir) {
        diag_plain(&c->diag, DIAG_NOTE, "the project's rules (rules/) cannot be found: successors "
                   "take their applicability from 2026 documents only");
        return NULL;
    }
    if (!stdlib_dir || !c->stdlib)
        return NULL; /* the vocabulary note said so already */
    Buf where = {0};
    if (paths->len == 0) {
        buf_puts(&where, "the project's rule set");
    } else {
        for (int i = 0; i < paths->len; i++)
            buf_printf(&where, "%s%s", i ? ", " : "", (const char *)paths->items[i]);
        buf_puts(&where, " (--rules)");
    }
    c->rules_where = arena_strdup(&c->arena, buf_str(&where));
    buf_free(&where);

    Program *p = program_new();
    Diag rd;
    diag_init(&rd, &p->sources, stderr);
    rd.color = c->diag.color;
    Loader l;
    loader_init(&l, p, &rd);
    for (int i = 0; i < paths->len; i++)
        loader_add_search_dir(&l, paths->items[i]);
    loader_add_env_path(&l);
    loader_add_search_dir(&l, stdlib_dir);
    if (default_dir)
        loader_add_search_dir(&l, default_dir);
    loader_load_path(&l, stdlib_dir);
    if (paths->len == 0)
        loader_load_path(&l, default_dir);
    for (int i = 0; i < paths->len; i++)
        loader_load_path(&l, paths->items[i]);
    int rc = loader_finish(&l);
    loader_free(&l);
    if (rc != 0 || rd.errors) {
        program_free(p);
        diag_plain(&c->diag, DIAG_ERROR, "the rules that give successors their applicability "
                   "do not load: %s", c->rules_where);
        diag_hint(&c->diag, "'kader check %s' shows why; --rules PATH chooses other rules",
                  paths->len ? (const char *)paths->items[0] : default_dir);
        return NULL;
    }
    c->rules = p;
    return p;
}

/* The first name an expression uses that the stdlib alone does not declare: a compiled rule file
 * is loaded with the stdlib only, so it cannot lean on definitions of the rule set it came from. */
static const Expr *foreign_name(const Compiler *c, const Expr *e, const char **name)
{
    if (!e)
        return NULL;
    int32_t at;
    if (e->op == E_FACT && !strmap_get(&c->stdlib->fact_names, c->rules->facts[e->slot]->name,
                                       &at)) {
        *name = c->rules->facts[e->slot]->name;
        return e;
    }
    if (e->op == E_LET && !strmap_get(&c->stdlib->let_names, c->rules->lets[e->slot]->name, &at)) {
        *name = c->rules->lets[e->slot]->name;
        return e;
    }
    for (uint32_t i = 0; i < e->nkids; i++) {
        const Expr *f = foreign_name(c, e->kids[i], name);
        if (f)
            return f;
    }
    return NULL;
}

/* An error at a place in the rule set (not in the documents, which c->diag knows). */
static void rules_error(Compiler *c, KdrLoc loc, const char *name, const char *what,
                        const char *id)
{
    Diag rd;
    diag_init(&rd, &c->rules->sources, c->diag.out);
    rd.color = c->diag.color;
    rd.sink = c->diag.sink;
    rd.sink_ud = c->diag.sink_ud;
    diag_at(&rd, DIAG_ERROR, loc, "the successor %s uses %s '%s', which the standard library "
            "does not define; a compiled 2024 requirement is loaded with the standard library "
            "only", id, what, name);
    diag_hint(&rd, "move '%s' into the standard library, or write the successor's condition "
              "with the standard library's names", name);
    c->diag.errors++;
}

static const char *printed(Compiler *c, const Expr *e)
{
    if (!e)
        return NULL;
    Buf b = {0};
    expr_print(&b, c->rules, e);
    const char *s = arena_strdup(&c->arena, buf_str(&b));
    buf_free(&b);
    return s;
}

static bool take_rule(Compiler *c, const RequirementDecl *r, Successor *s)
{
    const Expr *parts[] = {r->applies_when, r->in_force_from, r->in_force_until};
    for (size_t i = 0; i < KDR_ARRAY_LEN(parts); i++) {
        const char *name = NULL;
        const Expr *f = foreign_name(c, parts[i], &name);
        if (f) {
            rules_error(c, f->loc, name, f->op == E_FACT ? "the fact" : "the definition", r->id);
            return false;
        }
    }
    for (uint32_t i = 0; i < r->n_requires; i++) {
        int32_t at;
        if (!strmap_get(&c->stdlib->procedure_ids, r->requires[i].name, &at)) {
            rules_error(c, r->requires[i].loc, r->requires[i].name, "the procedure", r->id);
            return false;
        }
    }
    const SourceFile *sf = sources_get(&c->rules->sources, r->loc.file);
    const char *file = sf ? sf->name : "?";
    const char *slash = strrchr(file, '/');
    s->where = arena_strdup(&c->arena, slash ? slash + 1 : file);
    if (r->applies_when) {
        const char *cond = printed(c, r->applies_when);
        /* An `or` joined to other conditions with `and` needs its parentheses. */
        ck_push_const(&s->conj, r->applies_when->op == E_OR
                                    ? arena_printf(&c->arena, "(%s)", cond)
                                    : cond);
    }
    s->in_force_from = printed(c, r->in_force_from);
    s->in_force_until = printed(c, r->in_force_until);
    for (uint32_t i = 0; i < r->n_requires; i++)
        ck_push_const(&s->requires, r->requires[i].name);
    s->taken_from = r->id;
    s->from_rules = true;
    return true;
}

static Doc *successor_doc(Compiler *c, const char *id)
{
    for (int i = 0; i < c->successor_docs.len; i++) {
        Doc *d = c->successor_docs.items[i];
        if (d->id && strcmp(d->id, id) == 0)
            return d;
    }
    return NULL;
}

void ck_lineage_index(Compiler *c, Doc *d)
{
    if (d->id && !successor_doc(c, d->id))
        ptrvec_push(&c->successor_docs, d);
}

void ck_lineage_successor(Compiler *c, Doc *d, Successor *s)
{
    memset(s, 0, sizeof *s);
    if (c->lineage_options.off || !d->id)
        return;
    if (!c->lineage_tried && !ck_is_2024_document(d) && !c->lineage_options.table)
        return;
    Lineage *l = lineage_get(c);
    int32_t at;
    if (c->lineage_broken)
        s->failed = true;
    if (!l || !strmap_get(&l->by_id, d->id, &at))
        return;
    const LineageEntry *e = &l->entries[at];
    s->in_table = true;
    s->id = e->successor;
    s->reason = e->reason;
    s->merge = e->merge;
    if (!e->successor)
        c->counts.without_successor++;
    const char *cond_id = e->rule ? e->rule : e->successor;
    if (!cond_id)
        return;
    int errors = c->diag.errors;
    Program *rules = rules_get(c);
    if (!rules && (c->diag.errors != errors || c->rules_broken)) {
        c->rules_broken = true;
        s->failed = true;
        return;
    }
    const RequirementDecl *r = rules ? program_find_requirement(rules, cond_id) : NULL;
    if (r) {
        if (take_rule(c, r, s))
            c->counts.from_rules++;
        else
            s->failed = true;
        /* Given the 2026 documents, a successor they do not hold is a wrong id, even when the
         * project happens to have a rule by that name. */
        if (e->successor && c->lineage_options.successor_paths.len &&
            !successor_doc(c, e->successor))
            diag_at(&c->diag, DIAG_WARNING, ck_node_loc(l->doc, e->successor_node),
                    "successor %s of '%s' is not among the 2026 documents given with "
                    "--successors", e->successor, e->id);
        return;
    }
    if (e->rule) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(l->doc, e->rule_node),
                "no requirement '%s' in %s", e->rule,
                c->rules_where ? c->rules_where : "the rules (they are not loaded)");
        PtrVec ids = {0};
        for (uint32_t i = 0; rules && i < rules->n_requirements; i++)
            ck_push_const(&ids, rules->requirements[i]->id);
        ck_hint_closest(c, &ids, e->rule);
        ptrvec_free(&ids);
        diag_hint(&c->diag, "'rule' names the project's requirement whose applicability the "
                  "document takes");
        s->failed = true;
        return;
    }
    Doc *sd = successor_doc(c, e->successor);
    if (!sd) {
        c->counts.not_found++;
        return;
    }
    const PtrVec *conj = ck_group_conditions(c, sd);
    for (int i = 0; i < conj->len; i++)
        ck_push_const(&s->conj, conj->items[i]);
    s->taken_from = e->successor;
    s->where = sd->path;
    c->counts.from_documents++;
}

void ck_successor_free(Successor *s)
{
    ptrvec_free(&s->conj);
    ptrvec_free(&s->requires);
}

/* The stdlib's table by the name it has in the project (its absolute path depends on where
 * kader is installed), another by the path the user gave. */
const char *ck_lineage_table_name(Compiler *c)
{
    return c->lineage_options.table ? c->lineage_options.table : "stdlib/lineage-2024.yaml";
}

void ck_lineage_free(Compiler *c)
{
    if (c->lineage)
        strmap_free(&c->lineage->by_id);
    program_free(c->rules);
    c->rules = NULL;
    ptrvec_free(&c->successor_docs);
    ptrvec_free(&c->lineage_options.rule_paths);
    ptrvec_free(&c->lineage_options.successor_paths);
}
