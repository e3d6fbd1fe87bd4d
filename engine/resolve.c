/* resolve.c — turns parsed files into a checked program: collects declarations (later
 * requirements replace earlier ones with the same id), binds names to slots, infers and checks
 * types, finds cycles among definitions, and checks literals against the values facts allow. */
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "load.h"
#include "program.h"

enum { MAX_EVAL_HEIGHT = 3000 };

typedef struct Resolver {
    Program *p;
    Diag *diag;
    uint8_t *let_state;      /* 0 new, 1 in progress, 2 done */
    uint32_t *let_height;    /* evaluation height of each definition's body */
    uint8_t *let_type;       /* KdrType of each resolved definition */
    int32_t *stack;          /* definitions being resolved, for printing a cycle */
    uint32_t stack_len;
} Resolver;

/* ---- small helpers ---- */

static void note_first(Resolver *r, KdrLoc first)
{
    const SourceFile *f = sources_get(&r->p->sources, first.file);
    if (!f)
        return;
    int line, col;
    source_line_col(f, first.start, &line, &col);
    diag_hint(r->diag, "first declared at %s:%d:%d", f->name, line, col);
}

static const char *nearest_name(Resolver *r, const char *name)
{
    const char *best = NULL;
    int limit = strlen(name) < 4 ? 1 : strlen(name) < 9 ? 2 : 3;
    int best_d = limit + 1;
    for (uint32_t i = 0; i < r->p->n_facts; i++) {
        int d = edit_distance(name, r->p->facts[i]->name, limit);
        if (d < best_d) { best_d = d; best = r->p->facts[i]->name; }
    }
    for (uint32_t i = 0; i < r->p->n_lets; i++) {
        int d = edit_distance(name, r->p->lets[i]->name, limit);
        if (d < best_d) { best_d = d; best = r->p->lets[i]->name; }
    }
    return best;
}

static const char *nearest_in(const char *word, const char *const *options, uint32_t n)
{
    const char *best = NULL;
    int limit = strlen(word) < 4 ? 1 : strlen(word) < 9 ? 2 : 3;
    int best_d = limit + 1;
    for (uint32_t i = 0; i < n; i++) {
        int d = edit_distance(word, options[i], limit);
        if (d < best_d) { best_d = d; best = options[i]; }
    }
    return best;
}

static void hint_values(Resolver *r, const char *const *values, uint32_t n, const char *word)
{
    const char *near = word ? nearest_in(word, values, n) : NULL;
    Buf b = {0};
    for (uint32_t i = 0; i < n && i < 12; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", values[i]);
    if (n > 12)
        buf_puts(&b, ", ...");
    if (near)
        diag_hint(r->diag, "did you mean '%s'? the possible values are: %s", near, buf_str(&b));
    else
        diag_hint(r->diag, "the possible values are: %s", buf_str(&b));
    buf_free(&b);
}

static const char *article_type(KdrType t)
{
    switch (t) {
    case T_ANY: return "unknown";
    case T_BOOL: return "a bool";
    case T_NUMBER: return "a number";
    case T_STRING: return "a string";
    case T_DATE: return "a date";
    case T_SET: return "a set";
    }
    return "?";
}

/* ---- collecting declarations ---- */

static void collect(Resolver *r)
{
    Program *p = r->p;
    uint32_t nf = 0, nl = 0, nr = 0, np = 0, nc = 0, nw = 0;
    for (int i = 0; i < p->parsed.len; i++) {
        const ParsedFile *f = p->parsed.items[i];
        for (uint32_t k = 0; k < f->n_decls; k++) {
            switch (f->decls[k].kind) {
            case D_FACT: nf++; break;
            case D_LET: nl++; break;
            case D_REQUIREMENT: nr++; break;
            case D_PROCEDURE: np++; break;
            case D_CONCLUSION: nc++; break;
            case D_WARNING: nw++; break;
            default: break;
            }
        }
    }
    Arena *a = &p->arena;
    p->facts = arena_alloc(a, (nf + 1) * sizeof(FactDecl *));
    p->lets = arena_alloc(a, (nl + 1) * sizeof(LetDecl *));
    p->requirements = arena_alloc(a, (nr + 1) * sizeof(RequirementDecl *));
    p->procedures = arena_alloc(a, (np + 1) * sizeof(ProcedureDecl *));
    p->conclusions = arena_alloc(a, (nc + 1) * sizeof(ConclusionDecl *));
    p->warnings = arena_alloc(a, (nw + 1) * sizeof(WarningDecl *));
    StrMap conclusion_ids = {0}, warning_ids = {0};

    for (int i = 0; i < p->parsed.len; i++) {
        const ParsedFile *f = p->parsed.items[i];
        for (uint32_t k = 0; k < f->n_decls; k++) {
            const Decl *d = &f->decls[k];
            int32_t prev;
            switch (d->kind) {
            case D_IMPORT: break;
            case D_FACT: {
                FactDecl *fact = d->as.fact;
                if (strmap_get(&p->fact_names, fact->name, &prev)) {
                    diag_at(r->diag, DIAG_ERROR, fact->name_loc, "fact '%s' is declared twice", fact->name);
                    note_first(r, p->facts[prev]->name_loc);
                    break;
                }
                fact->index = (int32_t)p->n_facts;
                p->facts[p->n_facts++] = fact;
                strmap_put(&p->fact_names, fact->name, fact->index);
                break;
            }
            case D_LET: {
                LetDecl *let = d->as.let;
                if (strmap_get(&p->let_names, let->name, &prev)) {
                    /* A `default let` is an extension point: a plain definition replaces it,
                     * wherever the two are loaded. */
                    LetDecl *old = p->lets[prev];
                    if (old->is_default && !let->is_default) {
                        let->replaces_default = true;
                        let->index = prev;
                        p->lets[prev] = let;
                        break;
                    }
                    if (!old->is_default && let->is_default)
                        break;
                    diag_at(r->diag, DIAG_ERROR, let->name_loc, "'%s' is defined twice", let->name);
                    note_first(r, old->name_loc);
                    break;
                }
                let->index = (int32_t)p->n_lets;
                p->lets[p->n_lets++] = let;
                strmap_put(&p->let_names, let->name, let->index);
                break;
            }
            case D_REQUIREMENT: {
                RequirementDecl *req = d->as.requirement;
                if (strmap_get(&p->requirement_ids, req->id, &prev)) {
                    /* Extension by replacement: the later file wins, in the earlier one's place. */
                    const RequirementDecl *old = p->requirements[prev];
                    const SourceFile *of = sources_get(&p->sources, old->id_loc.file);
                    int line = 0, col = 0;
                    if (of)
                        source_line_col(of, old->id_loc.start, &line, &col);
                    diag_at(r->diag, DIAG_NOTE, req->id_loc, "requirement \"%s\" replaces the one at %s:%d:%d",
                            req->id, of ? of->name : "?", line, col);
                    req->index = prev;
                    p->requirements[prev] = req;
                    break;
                }
                req->index = (int32_t)p->n_requirements;
                p->requirements[p->n_requirements++] = req;
                strmap_put(&p->requirement_ids, req->id, req->index);
                break;
            }
            case D_PROCEDURE: {
                ProcedureDecl *proc = d->as.procedure;
                if (strmap_get(&p->procedure_ids, proc->id, &prev)) {
                    diag_at(r->diag, DIAG_ERROR, proc->id_loc, "procedure '%s' is declared twice", proc->id);
                    note_first(r, p->procedures[prev]->id_loc);
                    break;
                }
                proc->index = (int32_t)p->n_procedures;
                p->procedures[p->n_procedures++] = proc;
                strmap_put(&p->procedure_ids, proc->id, proc->index);
                break;
            }
            case D_CONCLUSION: {
                ConclusionDecl *c = d->as.conclusion;
                if (strmap_get(&conclusion_ids, c->id, &prev)) {
                    diag_at(r->diag, DIAG_ERROR, c->loc, "conclusion \"%s\" is declared twice", c->id);
                    note_first(r, p->conclusions[prev]->loc);
                    break;
                }
                strmap_put(&conclusion_ids, c->id, (int32_t)p->n_conclusions);
                p->conclusions[p->n_conclusions++] = c;
                break;
            }
            case D_WARNING: {
                WarningDecl *w = d->as.warning;
                if (strmap_get(&warning_ids, w->id, &prev)) {
                    diag_at(r->diag, DIAG_ERROR, w->loc, "warning '%s' is declared twice", w->id);
                    note_first(r, p->warnings[prev]->loc);
                    break;
                }
                strmap_put(&warning_ids, w->id, (int32_t)p->n_warnings);
                p->warnings[p->n_warnings++] = w;
                break;
            }
            case D_LIFECYCLE:
                if (p->lifecycle) {
                    diag_at(r->diag, DIAG_ERROR, d->as.lifecycle->loc, "a second lifecycle is declared");
                    note_first(r, p->lifecycle->loc);
                    break;
                }
                p->lifecycle = d->as.lifecycle;
                break;
            }
        }
    }
    strmap_free(&conclusion_ids);
    strmap_free(&warning_ids);

    for (uint32_t i = 0; i < p->n_lets; i++) {
        int32_t f;
        if (strmap_get(&p->fact_names, p->lets[i]->name, &f)) {
            diag_at(r->diag, DIAG_ERROR, p->lets[i]->name_loc, "'%s' is already the name of a fact", p->lets[i]->name);
            note_first(r, p->facts[f]->name_loc);
        }
    }
}

/* ---- fact paths ---- */

static int compare_nodes(const void *a, const void *b)
{
    return strcmp((*(PathNode *const *)a)->segment, (*(PathNode *const *)b)->segment);
}

static PathNode *node_child(Arena *a, PathNode *node, const char *segment, bool create)
{
    for (uint32_t i = 0; i < node->n_children; i++)
        if (strcmp(node->children[i]->segment, segment) == 0)
            return node->children[i];
    if (!create)
        return NULL;
    PathNode *child = arena_alloc(a, sizeof(PathNode));
    child->segment = segment;
    child->fact = -1;
    PathNode **kids = arena_alloc(a, (node->n_children + 1) * sizeof(PathNode *));
    if (node->n_children)
        memcpy(kids, node->children, node->n_children * sizeof(PathNode *));
    kids[node->n_children++] = child;
    node->children = kids;
    return child;
}

static void sort_tree(PathNode *n)
{
    if (n->n_children > 1)
        qsort(n->children, n->n_children, sizeof(PathNode *), compare_nodes);
    for (uint32_t i = 0; i < n->n_children; i++)
        sort_tree(n->children[i]);
}

static void build_fact_tree(Resolver *r)
{
    Program *p = r->p;
    p->fact_root = arena_alloc(&p->arena, sizeof(PathNode));
    p->fact_root->fact = -1;
    p->fact_root->segment = "";
    for (uint32_t i = 0; i < p->n_facts; i++) {
        FactDecl *f = p->facts[i];
        if (f->path_len == 1 && (strcmp(f->path[0], "datum") == 0 || strcmp(f->path[0], "naam") == 0)) {
            diag_at(r->diag, DIAG_ERROR, f->name_loc, "'%s' is reserved in facts files", f->path[0]);
            diag_hint(r->diag, "'datum' is the evaluation date and 'naam' the system's name; choose another name");
            continue;
        }
        PathNode *node = p->fact_root;
        bool clash = false;
        for (uint32_t k = 0; k < f->path_len && !clash; k++) {
            node = node_child(&p->arena, node, f->path[k], true);
            if (node->fact >= 0) {
                diag_at(r->diag, DIAG_ERROR, f->name_loc,
                        k + 1 == f->path_len ? "fact '%s' reads the same place as another fact"
                                             : "fact '%s' lies inside another fact",
                        f->name);
                note_first(r, p->facts[node->fact]->name_loc);
                clash = true;
            }
        }
        if (clash)
            continue;
        if (node->n_children) {
            diag_at(r->diag, DIAG_ERROR, f->name_loc, "fact '%s' is also a group of other facts", f->name);
            continue;
        }
        node->fact = f->index;
    }
    sort_tree(p->fact_root);
}

/* ---- expressions ---- */

static KdrType resolve_expr(Resolver *r, Expr *e);
static void resolve_let(Resolver *r, int32_t index, KdrLoc use);

static uint32_t expr_height(const Resolver *r, const Expr *e);

static const char *expr_label(const Resolver *r, const Expr *e)
{
    if (e->op == E_FACT)
        return r->p->facts[e->slot]->name;
    if (e->op == E_LET)
        return r->p->lets[e->slot]->name;
    return NULL;
}

static void expect_bool(Resolver *r, Expr *e, const char *what)
{
    KdrType t = resolve_expr(r, e);
    if (t != T_BOOL && t != T_ANY) {
        diag_at(r->diag, DIAG_ERROR, e->loc, "%s needs a bool condition, not %s", what, article_type(t));
        if (t == T_SET)
            diag_hint(r->diag, "to test a set, write '\"value\" in set' or 'set intersects {...}'");
    }
}

/* A string literal compared with something that can only hold certain strings must be one of
 * them: this catches misspelt values ("hoog-risco") at load time. */
static void check_literal_in_domain(Resolver *r, const Expr *lit, const Expr *other)
{
    if (!other->domain)
        return;
    if (lit->op == E_LITERAL && lit->lit.kind == V_STRING) {
        if (set_contains(other->domain, lit->lit.as.str))
            return;
        const char *label = expr_label(r, other);
        if (label)
            diag_at(r->diag, DIAG_ERROR, lit->loc, "\"%s\" is never a value of '%s'", lit->lit.as.str, label);
        else
            diag_at(r->diag, DIAG_ERROR, lit->loc, "\"%s\" is never a value of this expression", lit->lit.as.str);
        hint_values(r, other->domain->items, other->domain->len, lit->lit.as.str);
    } else if (lit->op == E_SET) {
        for (uint32_t i = 0; i < lit->nkids; i++)
            check_literal_in_domain(r, lit->kids[i], other);
    } else if (lit->op == E_LITERAL && lit->lit.kind == V_SET) {
        /* a constant set: its elements are checked one by one, at the set's place */
        const KdrSet *set = lit->lit.as.set;
        for (uint32_t i = 0; i < set->len; i++) {
            if (set_contains(other->domain, set->items[i]))
                continue;
            const char *label = expr_label(r, other);
            diag_at(r->diag, DIAG_ERROR, lit->loc, "\"%s\" is never a value of %s%s%s", set->items[i],
                    label ? "'" : "this expression", label ? label : "", label ? "'" : "");
            hint_values(r, other->domain->items, other->domain->len, set->items[i]);
        }
    }
}

static const KdrSet *domain_union(Resolver *r, const KdrSet *a, const KdrSet *b)
{
    if (!a || !b)
        return NULL;
    return set_union(&r->p->arena, a, b);
}

static KdrType unify(Resolver *r, KdrType a, KdrType b, KdrLoc loc)
{
    if (a == T_ANY)
        return b;
    if (b == T_ANY || a == b)
        return a;
    diag_at(r->diag, DIAG_ERROR, loc, "the branches give different types: %s and %s", type_name(a), type_name(b));
    diag_hint(r->diag, "every branch of a table must give the same type (or unknown)");
    return a;
}

static void resolve_name(Resolver *r, Expr *e)
{
    Program *p = r->p;
    int32_t idx;
    const char *name = e->path_len == 1 ? e->path[0] : path_join(&p->arena, e->path, e->path_len);
    if (e->path_len == 1 && strmap_get(&p->let_names, name, &idx)) {
        e->op = E_LET;
        e->slot = idx;
        p->lets[idx]->used = true;
        resolve_let(r, idx, e->loc);
        bool done = r->let_state[idx] == 2;
        e->type = done ? r->let_type[idx] : T_ANY;
        /* A default definition stands in for one another file may give: its possible values
         * are open, or `x == "a"` elsewhere would be refused while the default is in force. */
        e->domain = done && !p->lets[idx]->is_default ? p->lets[idx]->body->domain : NULL;
        return;
    }
    if (strmap_get(&p->fact_names, name, &idx)) {
        FactDecl *f = p->facts[idx];
        e->op = E_FACT;
        e->slot = idx;
        e->type = (uint8_t)f->type;
        f->used = true;
        if (f->n_allowed)
            e->domain = set_build(&p->arena, f->allowed, f->n_allowed);
        return;
    }
    diag_at(r->diag, DIAG_ERROR, e->loc, "unknown name '%s'", name);
    const char *near = nearest_name(r, name);
    if (near)
        diag_hint(r->diag, "did you mean '%s'?", near);
    else
        diag_hint(r->diag, "declare it with 'fact %s : <type>' or 'let %s = <expression>'", name, name);
    e->type = T_ANY;
    e->op = E_LITERAL;
    e->lit = val_unknown();
}

static void resolve_call(Resolver *r, Expr *e)
{
    static const char *const names[] = {"count", "union", "min", "max"};
    static const BuiltinFn fns[] = {FN_COUNT, FN_UNION, FN_MIN, FN_MAX};
    const char *name = e->path[0];
    e->fn = FN_NONE;
    for (size_t i = 0; i < KDR_ARRAY_LEN(names); i++)
        if (strcmp(name, names[i]) == 0)
            e->fn = (uint8_t)fns[i];
    KdrType kid_types[64];
    for (uint32_t i = 0; i < e->nkids; i++) {
        KdrType t = resolve_expr(r, e->kids[i]);
        if (i < 64)
            kid_types[i] = t;
    }
    if (e->fn == FN_NONE) {
        diag_at(r->diag, DIAG_ERROR, e->loc, "unknown function '%s'", name);
        const char *near = nearest_in(name, names, KDR_ARRAY_LEN(names));
        if (near)
            diag_hint(r->diag, "did you mean '%s'?", near);
        else
            diag_hint(r->diag, "the functions are count, union, min and max");
        e->type = T_ANY;
        return;
    }
    if (e->nkids == 0 || (e->fn == FN_COUNT && e->nkids != 1) || e->nkids > 64) {
        diag_at(r->diag, DIAG_ERROR, e->loc, e->fn == FN_COUNT ? "'%s' takes one argument" : "'%s' takes 1 to 64 arguments", name);
        e->type = e->fn == FN_COUNT ? T_NUMBER : e->fn == FN_UNION ? T_SET : T_ANY;
        return;
    }
    if (e->fn == FN_COUNT || e->fn == FN_UNION) {
        for (uint32_t i = 0; i < e->nkids; i++)
            if (kid_types[i] != T_SET && kid_types[i] != T_ANY)
                diag_at(r->diag, DIAG_ERROR, e->kids[i]->loc, "'%s' needs a set, not %s", name, article_type(kid_types[i]));
        e->type = e->fn == FN_COUNT ? T_NUMBER : T_SET;
        if (e->fn == FN_UNION) {
            const KdrSet *d = e->kids[0]->domain;
            for (uint32_t i = 1; i < e->nkids; i++)
                d = domain_union(r, d, e->kids[i]->domain);
            e->domain = d;
        }
        return;
    }
    KdrType t = T_ANY;
    for (uint32_t i = 0; i < e->nkids; i++) {
        KdrType k = kid_types[i];
        if (k != T_NUMBER && k != T_DATE && k != T_ANY) {
            diag_at(r->diag, DIAG_ERROR, e->kids[i]->loc, "'%s' needs numbers or dates, not %s", name, article_type(k));
            continue;
        }
        if (k != T_ANY && t != T_ANY && k != t)
            diag_at(r->diag, DIAG_ERROR, e->kids[i]->loc, "'%s' cannot mix numbers and dates", name);
        if (k != T_ANY)
            t = k;
    }
    e->type = (uint8_t)t;
}

static const char *op_text(ExprOp op)
{
    switch (op) {
    case E_EQ: return "==";
    case E_NE: return "!=";
    case E_LT: return "<";
    case E_LE: return "<=";
    case E_GT: return ">";
    case E_GE: return ">=";
    case E_IN: return "in";
    case E_NOT_IN: return "not in";
    case E_INTERSECTS: return "intersects";
    default: return "?";
    }
}

static KdrType resolve_expr(Resolver *r, Expr *e)
{
    Program *p = r->p;
    KdrType a, b;
    switch ((ExprOp)e->op) {
    case E_LITERAL:
        switch ((ValueKind)e->lit.kind) {
        case V_UNKNOWN: e->type = T_ANY; e->domain = set_build(&p->arena, NULL, 0); break;
        case V_BOOL: e->type = T_BOOL; break;
        case V_NUMBER: e->type = T_NUMBER; break;
        case V_STRING:
            e->type = T_STRING;
            e->domain = set_build(&p->arena, &e->lit.as.str, 1);
            break;
        case V_DATE: e->type = T_DATE; break;
        case V_SET: e->type = T_SET; e->domain = e->lit.as.set; break;
        }
        return (KdrType)e->type;
    case E_NAME:
        resolve_name(r, e);
        return (KdrType)e->type;
    case E_FACT:
    case E_LET:
        return (KdrType)e->type; /* already resolved: shared subtrees are not expected, but safe */
    case E_TODAY:
        e->type = T_DATE;
        return T_DATE;
    case E_AND:
    case E_OR:
        expect_bool(r, e->kids[0], e->op == E_AND ? "'and'" : "'or'");
        expect_bool(r, e->kids[1], e->op == E_AND ? "'and'" : "'or'");
        e->type = T_BOOL;
        return T_BOOL;
    case E_NOT:
        expect_bool(r, e->kids[0], "'not'");
        e->type = T_BOOL;
        return T_BOOL;
    case E_EQ:
    case E_NE:
        a = resolve_expr(r, e->kids[0]);
        b = resolve_expr(r, e->kids[1]);
        if (a != T_ANY && b != T_ANY && a != b) {
            diag_at(r->diag, DIAG_ERROR, e->loc, "cannot compare %s with %s", article_type(a), article_type(b));
            if ((a == T_SET && b == T_STRING) || (a == T_STRING && b == T_SET))
                diag_hint(r->diag, "to test membership write '\"value\" in set'");
        } else {
            check_literal_in_domain(r, e->kids[1], e->kids[0]);
            check_literal_in_domain(r, e->kids[0], e->kids[1]);
        }
        e->type = T_BOOL;
        return T_BOOL;
    case E_LT:
    case E_LE:
    case E_GT:
    case E_GE:
        a = resolve_expr(r, e->kids[0]);
        b = resolve_expr(r, e->kids[1]);
        if ((a != T_ANY && a != T_NUMBER && a != T_DATE) || (b != T_ANY && b != T_NUMBER && b != T_DATE)) {
            diag_at(r->diag, DIAG_ERROR, e->loc, "'%s' compares numbers or dates, not %s", op_text((ExprOp)e->op),
                    article_type(a != T_ANY && a != T_NUMBER && a != T_DATE ? a : b));
        } else if (a != T_ANY && b != T_ANY && a != b) {
            diag_at(r->diag, DIAG_ERROR, e->loc, "cannot compare %s with %s", article_type(a), article_type(b));
        }
        e->type = T_BOOL;
        return T_BOOL;
    case E_IN:
    case E_NOT_IN:
        a = resolve_expr(r, e->kids[0]);
        b = resolve_expr(r, e->kids[1]);
        if (b != T_SET && b != T_ANY) {
            diag_at(r->diag, DIAG_ERROR, e->kids[1]->loc, "'%s' needs a set on its right, not %s", op_text((ExprOp)e->op),
                    article_type(b));
            if (b == T_STRING)
                diag_hint(r->diag, "to compare two strings write '=='");
            else if (b == T_NUMBER || b == T_DATE)
                diag_hint(r->diag, "for a range write 'x in low..high'");
        } else if (a != T_STRING && a != T_SET && a != T_ANY) {
            diag_at(r->diag, DIAG_ERROR, e->kids[0]->loc, "a set holds strings, so %s is never in it", article_type(a));
        } else {
            check_literal_in_domain(r, e->kids[0], e->kids[1]);
        }
        e->type = T_BOOL;
        return T_BOOL;
    case E_IN_RANGE: {
        KdrType t = T_ANY;
        for (int i = 0; i < 3; i++) {
            KdrType k = resolve_expr(r, e->kids[i]);
            if (k != T_ANY && k != T_NUMBER && k != T_DATE) {
                diag_at(r->diag, DIAG_ERROR, e->kids[i]->loc, "a range holds numbers or dates, not %s", article_type(k));
                continue;
            }
            if (k != T_ANY && t != T_ANY && k != t)
                diag_at(r->diag, DIAG_ERROR, e->kids[i]->loc, "cannot compare %s with %s", article_type(t), article_type(k));
            if (k != T_ANY)
                t = k;
        }
        e->type = T_BOOL;
        return T_BOOL;
    }
    case E_INTERSECTS:
        a = resolve_expr(r, e->kids[0]);
        b = resolve_expr(r, e->kids[1]);
        if ((a != T_SET && a != T_ANY) || (b != T_SET && b != T_ANY)) {
            diag_at(r->diag, DIAG_ERROR, e->loc, "'intersects' needs two sets, not %s",
                    article_type(a != T_SET && a != T_ANY ? a : b));
            diag_hint(r->diag, "to test one string write '\"value\" in set'");
        } else {
            check_literal_in_domain(r, e->kids[0], e->kids[1]);
            check_literal_in_domain(r, e->kids[1], e->kids[0]);
        }
        e->type = T_BOOL;
        return T_BOOL;
    case E_IS_KNOWN:
    case E_IS_UNKNOWN:
        resolve_expr(r, e->kids[0]);
        e->type = T_BOOL;
        return T_BOOL;
    case E_SET: {
        const KdrSet *d = set_build(&p->arena, NULL, 0);
        for (uint32_t i = 0; i < e->nkids; i++) {
            KdrType k = resolve_expr(r, e->kids[i]);
            if (k != T_STRING && k != T_ANY)
                diag_at(r->diag, DIAG_ERROR, e->kids[i]->loc, "a set holds strings, not %s", article_type(k));
            d = domain_union(r, d, e->kids[i]->domain);
        }
        e->type = T_SET;
        e->domain = d;
        /* A set of string literals is a constant: build it once, here. */
        bool constant = true;
        for (uint32_t i = 0; i < e->nkids; i++)
            constant &= e->kids[i]->op == E_LITERAL && e->kids[i]->lit.kind == V_STRING;
        if (constant && d) {
            e->op = E_LITERAL;
            e->lit = val_set(d);
            e->nkids = 0;
        }
        return T_SET;
    }
    case E_FIRST: {
        KdrType t = T_ANY;
        const KdrSet *d = set_build(&p->arena, NULL, 0);
        uint32_t n = e->nkids;
        uint32_t pairs = e->has_otherwise ? (n - 1) / 2 : n / 2;
        for (uint32_t i = 0; i < pairs; i++) {
            expect_bool(r, e->kids[2 * i], "'when'");
            KdrType v = resolve_expr(r, e->kids[2 * i + 1]);
            t = unify(r, t, v, e->kids[2 * i + 1]->loc);
            d = domain_union(r, d, e->kids[2 * i + 1]->domain);
        }
        if (e->has_otherwise) {
            KdrType v = resolve_expr(r, e->kids[n - 1]);
            t = unify(r, t, v, e->kids[n - 1]->loc);
            d = domain_union(r, d, e->kids[n - 1]->domain);
        }
        e->type = (uint8_t)t;
        e->domain = (t == T_STRING || t == T_SET) ? d : NULL;
        return t;
    }
    case E_CALL:
        resolve_call(r, e);
        return (KdrType)e->type;
    }
    return T_ANY;
}

static void resolve_let(Resolver *r, int32_t index, KdrLoc use)
{
    if (r->let_state[index] == 2)
        return;
    if (r->let_state[index] == 1) {
        Buf chain = {0};
        uint32_t from = 0;
        while (from < r->stack_len && r->stack[from] != index)
            from++;
        for (uint32_t i = from; i < r->stack_len; i++)
            buf_printf(&chain, "%s -> ", r->p->lets[r->stack[i]]->name);
        buf_puts(&chain, r->p->lets[index]->name);
        diag_at(r->diag, DIAG_ERROR, use, "definitions refer to each other in a cycle: %s", buf_str(&chain));
        diag_hint(r->diag, "a definition cannot depend on itself; break the cycle");
        buf_free(&chain);
        return;
    }
    if (r->stack_len >= MAX_EVAL_HEIGHT) {
        diag_at(r->diag, DIAG_ERROR, use, "definitions nested deeper than %d", MAX_EVAL_HEIGHT);
        return;
    }
    r->let_state[index] = 1;
    r->stack[r->stack_len++] = index;
    LetDecl *let = r->p->lets[index];
    KdrType t = resolve_expr(r, let->body);
    if (let->is_label && t != T_SET && t != T_STRING && t != T_ANY) {
        diag_at(r->diag, DIAG_ERROR, let->body->loc, "label '%s' must be a set or a string, not %s", let->name,
                article_type(t));
    }
    r->stack_len--;
    r->let_state[index] = 2;
    r->let_type[index] = (uint8_t)t;
    r->let_height[index] = expr_height(r, let->body);
    if (r->let_height[index] > MAX_EVAL_HEIGHT) {
        diag_at(r->diag, DIAG_ERROR, let->name_loc, "'%s' is nested too deeply (%u levels, the limit is %d)",
                let->name, r->let_height[index], MAX_EVAL_HEIGHT);
        diag_hint(r->diag, "simplify the chain of definitions");
    }
}

/* The number of nested evaluation steps an expression can take, counting through definitions:
 * bounded at load time so that evaluation can never exhaust the stack. */
static uint32_t expr_height(const Resolver *r, const Expr *e)
{
    uint32_t h = 0;
    if (e->op == E_LET && e->slot >= 0)
        h = r->let_height[e->slot];
    for (uint32_t i = 0; i < e->nkids; i++) {
        uint32_t k = expr_height(r, e->kids[i]);
        if (k > h)
            h = k;
    }
    return h + 1;
}

/* ---- declarations ---- */

static void check_default(Resolver *r, FactDecl *f)
{
    if (!f->has_default)
        return;
    Value v = f->default_value;
    if (f->type == T_SET && v.kind == V_STRING)
        f->default_value = v = val_set(set_build(&r->p->arena, &v.as.str, 1));
    bool ok = (f->type == T_BOOL && v.kind == V_BOOL) || (f->type == T_NUMBER && v.kind == V_NUMBER) ||
              (f->type == T_DATE && v.kind == V_DATE) || (f->type == T_STRING && v.kind == V_STRING) ||
              (f->type == T_SET && v.kind == V_SET);
    if (!ok) {
        static const KdrType kind_type[] = {T_ANY, T_BOOL, T_NUMBER, T_STRING, T_DATE, T_SET};
        diag_at(r->diag, DIAG_ERROR, f->loc, "the default of '%s' must be %s, not %s", f->name,
                article_type(f->type), article_type(kind_type[v.kind]));
        return;
    }
    if (f->has_range && (v.as.num < f->lo || v.as.num > f->hi))
        diag_at(r->diag, DIAG_ERROR, f->loc, "the default of '%s' is outside %g..%g", f->name, f->lo, f->hi);
    if (f->n_allowed && v.kind == V_STRING) {
        bool found = false;
        for (uint32_t i = 0; i < f->n_allowed; i++)
            found |= strcmp(f->allowed[i], v.as.str) == 0;
        if (!found) {
            diag_at(r->diag, DIAG_ERROR, f->loc, "the default \"%s\" is not an allowed value of '%s'", v.as.str, f->name);
            hint_values(r, f->allowed, f->n_allowed, v.as.str);
        }
    }
    if (f->n_allowed && v.kind == V_SET) {
        for (uint32_t k = 0; k < v.as.set->len; k++) {
            bool found = false;
            for (uint32_t i = 0; i < f->n_allowed; i++)
                found |= strcmp(f->allowed[i], v.as.set->items[k]) == 0;
            if (!found) {
                diag_at(r->diag, DIAG_ERROR, f->loc, "the default \"%s\" is not an allowed value of '%s'",
                        v.as.set->items[k], f->name);
                hint_values(r, f->allowed, f->n_allowed, v.as.set->items[k]);
            }
        }
    }
}

static void check_allowed_unique(Resolver *r, FactDecl *f)
{
    for (uint32_t i = 0; i < f->n_allowed; i++)
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(f->allowed[i], f->allowed[k]) == 0) {
                diag_at(r->diag, DIAG_ERROR, f->loc, "'%s' lists the value \"%s\" twice", f->name, f->allowed[i]);
                return;
            }
}

static void resolve_lifecycle(Resolver *r)
{
    LifecycleDecl *lc = r->p->lifecycle;
    if (!lc)
        return;
    for (uint32_t i = 0; i < lc->n_phases + lc->n_always; i++) {
        const NameRef *ph = i < lc->n_phases ? &lc->phases[i] : &lc->always[i - lc->n_phases];
        int32_t prev;
        if (strmap_get(&r->p->phase_positions, ph->name, &prev)) {
            diag_at(r->diag, DIAG_ERROR, ph->loc, "phase '%s' is listed twice", ph->name);
            continue;
        }
        /* Ordered phases get their position; the phases that hold throughout get -2. */
        strmap_put(&r->p->phase_positions, ph->name, i < lc->n_phases ? (int32_t)i : -2);
    }
    if (!lc->current) {
        diag_at(r->diag, DIAG_ERROR, lc->loc, "the lifecycle has no 'current' phase");
        diag_hint(r->diag, "say how the current phase is found: current <expression>");
        return;
    }
    KdrType t = resolve_expr(r, lc->current);
    if (t != T_STRING && t != T_ANY) {
        diag_at(r->diag, DIAG_ERROR, lc->current->loc, "the current phase must be a string, not %s", article_type(t));
        return;
    }
    if (lc->current->domain) {
        for (uint32_t i = 0; i < lc->current->domain->len; i++) {
            const char *v = lc->current->domain->items[i];
            int32_t pos;
            if (!strmap_get(&r->p->phase_positions, v, &pos))
                diag_at(r->diag, DIAG_ERROR, lc->current->loc, "the current phase can be \"%s\", which is not a phase", v);
        }
    }
}

static const char **phase_names(Resolver *r, uint32_t *n)
{
    LifecycleDecl *lc = r->p->lifecycle;
    *n = lc->n_phases + lc->n_always;
    const char **names = arena_alloc(&r->p->arena, (*n + 1) * sizeof(char *));
    for (uint32_t i = 0; i < lc->n_phases; i++)
        names[i] = lc->phases[i].name;
    for (uint32_t i = 0; i < lc->n_always; i++)
        names[lc->n_phases + i] = lc->always[i].name;
    return names;
}

static void resolve_requirement(Resolver *r, RequirementDecl *req)
{
    Program *p = r->p;
    if (!req->title) {
        diag_at(r->diag, DIAG_ERROR, req->id_loc, "requirement \"%s\" has no title", req->id);
        diag_hint(r->diag, "add: title \"...\"");
    }
    if (req->applies_when)
        expect_bool(r, req->applies_when, "'applies when'");
    Expr *dates[2] = {req->in_force_from, req->in_force_until};
    for (int i = 0; i < 2; i++) {
        if (!dates[i])
            continue;
        KdrType t = resolve_expr(r, dates[i]);
        if (t != T_DATE && t != T_ANY)
            diag_at(r->diag, DIAG_ERROR, dates[i]->loc, "'in force %s' needs a date, not %s", i ? "until" : "from",
                    article_type(t));
    }
    req->phase_index = arena_alloc(&p->arena, (req->n_phases + 1) * sizeof(int32_t));
    for (uint32_t i = 0; i < req->n_phases; i++) {
        int32_t pos = -1;
        if (p->lifecycle && !strmap_get(&p->phase_positions, req->phases[i].name, &pos)) {
            diag_at(r->diag, DIAG_ERROR, req->phases[i].loc, "unknown phase '%s'", req->phases[i].name);
            uint32_t n;
            const char **names = phase_names(r, &n);
            hint_values(r, names, n, req->phases[i].name);
        }
        req->phase_index[i] = pos;
    }
    req->required_procedures = arena_alloc(&p->arena, (req->n_requires + 1) * sizeof(int32_t));
    for (uint32_t i = 0; i < req->n_requires; i++) {
        int32_t idx = -1;
        if (!strmap_get(&p->procedure_ids, req->requires[i].name, &idx)) {
            diag_at(r->diag, DIAG_ERROR, req->requires[i].loc, "unknown procedure '%s'", req->requires[i].name);
            const char **ids = arena_alloc(&p->arena, (p->n_procedures + 1) * sizeof(char *));
            for (uint32_t k = 0; k < p->n_procedures; k++)
                ids[k] = p->procedures[k]->id;
            if (p->n_procedures)
                hint_values(r, ids, p->n_procedures, req->requires[i].name);
            else
                diag_hint(r->diag, "declare it with 'procedure %s \"title\" { ... }'", req->requires[i].name);
        }
        req->required_procedures[i] = idx;
    }
}

static void resolve_procedure(Resolver *r, ProcedureDecl *proc)
{
    if (proc->required_when)
        expect_bool(r, proc->required_when, "'required when'");
    if (proc->again_when)
        expect_bool(r, proc->again_when, "'again when'");
    for (uint32_t i = 0; i < proc->n_routes; i++) {
        if (proc->routes[i].when)
            expect_bool(r, proc->routes[i].when, "'when'");
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(proc->routes[k].id, proc->routes[i].id) == 0 &&
                strcmp(proc->routes[k].text, proc->routes[i].text) != 0) {
                diag_at(r->diag, DIAG_ERROR, proc->routes[i].loc, "route '%s' is given two different texts",
                        proc->routes[i].id);
                break;
            }
    }
}

int resolve_program(Program *p, Diag *diag)
{
    int errors_before = diag->errors;
    Resolver r = {.p = p, .diag = diag};
    collect(&r);
    build_fact_tree(&r);
    for (uint32_t i = 0; i < p->n_facts; i++) {
        check_allowed_unique(&r, p->facts[i]);
        check_default(&r, p->facts[i]);
    }
    r.let_state = kdr_calloc(p->n_lets + 1, 1);
    r.let_height = kdr_calloc(p->n_lets + 1, sizeof(uint32_t));
    r.let_type = kdr_calloc(p->n_lets + 1, 1);
    r.stack = kdr_calloc(p->n_lets + 1, sizeof(int32_t));

    for (uint32_t i = 0; i < p->n_lets; i++)
        resolve_let(&r, (int32_t)i, p->lets[i]->name_loc);
    resolve_lifecycle(&r);
    for (uint32_t i = 0; i < p->n_procedures; i++)
        resolve_procedure(&r, p->procedures[i]);
    for (uint32_t i = 0; i < p->n_requirements; i++)
        resolve_requirement(&r, p->requirements[i]);
    for (uint32_t i = 0; i < p->n_conclusions; i++)
        if (p->conclusions[i]->when)
            expect_bool(&r, p->conclusions[i]->when, "'when'");
    for (uint32_t i = 0; i < p->n_warnings; i++)
        expect_bool(&r, p->warnings[i]->when, "'when'");

    p->label_lets = arena_alloc(&p->arena, (p->n_lets + 1) * sizeof(int32_t));
    for (uint32_t i = 0; i < p->n_lets; i++)
        if (p->lets[i]->is_label)
            p->label_lets[p->n_labels++] = (int32_t)i;

    kdr_free(r.let_state);
    kdr_free(r.let_height);
    kdr_free(r.let_type);
    kdr_free(r.stack);
    if (diag->errors != errors_before)
        return -1;
    program_share_subexpressions(p);
    return 0;
}

/* ---- lookups ---- */

const PathNode *path_child(const PathNode *node, const char *segment, size_t len)
{
    uint32_t lo = 0, hi = node->n_children;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *s = node->children[mid]->segment;
        int c = strncmp(s, segment, len);
        if (c == 0 && s[len] != '\0')
            c = 1;
        if (c == 0)
            return node->children[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const FactDecl *program_find_fact(const Program *p, const char *name)
{
    int32_t i;
    return strmap_get(&p->fact_names, name, &i) ? p->facts[i] : NULL;
}

const RequirementDecl *program_find_requirement(const Program *p, const char *id)
{
    int32_t i;
    return strmap_get(&p->requirement_ids, id, &i) ? p->requirements[i] : NULL;
}

const ProcedureDecl *program_find_procedure(const Program *p, const char *id)
{
    int32_t i;
    return strmap_get(&p->procedure_ids, id, &i) ? p->procedures[i] : NULL;
}

int program_phase_position(const Program *p, const char *phase)
{
    int32_t i;
    return strmap_get(&p->phase_positions, phase, &i) ? i : -1;
}
