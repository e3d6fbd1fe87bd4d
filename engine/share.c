/* share.c — common subexpressions: the conditions of a rule set repeat themselves (forty
 * requirements test `risicogroep intersects {"hoog-risico-ai-systeem"}`), so after resolution
 * every compound subexpression is put in a class of equal ones, and each class that occurs more
 * than once gets a cache slot (Expr.memo). The evaluator then computes it, and the facts that
 * decide it, once per evaluation, as it does for a definition. The trees themselves are left as
 * written: reports and `explain` still show every condition in full. */
#include <string.h>

#include "program.h"

typedef struct Class {
    const Expr *first; /* the representative */
    uint64_t hash;
    uint32_t count;    /* occurrences, counting an Expr shared by two parents twice */
    int32_t memo;      /* assigned cache slot, -1 while none */
} Class;

typedef struct Sharer {
    Class *classes;
    uint32_t n_classes, cap_classes;
    int32_t *buckets; /* open addressing over class indices, -1 empty */
    uint32_t n_buckets;
    PtrVec nodes;     /* every distinct Expr, once */
} Sharer;

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdu;
}

static uint64_t hash_value(Value v)
{
    uint64_t h = v.kind;
    switch ((ValueKind)v.kind) {
    case V_UNKNOWN: break;
    case V_BOOL: h = mix(h, v.as.b); break;
    case V_NUMBER: {
        uint64_t bits;
        double n = v.as.num == 0 ? 0 : v.as.num; /* -0 equals 0 */
        memcpy(&bits, &n, sizeof bits);
        h = mix(h, bits);
        break;
    }
    case V_STRING: h = mix(h, str_hash(v.as.str)); break;
    case V_DATE: h = mix(h, (uint64_t)(uint32_t)v.as.date); break;
    case V_SET:
        for (uint32_t i = 0; i < v.as.set->len; i++)
            h = mix(h, str_hash(v.as.set->items[i]));
        break;
    }
    return h;
}

/* During the pass Expr.memo holds the node's class; kids are classified before their parent,
 * so two nodes are equal when their own fields and their kids' classes are. */
static bool same_node(const Expr *a, const Expr *b)
{
    if (a->op != b->op || a->type != b->type || a->fn != b->fn || a->has_otherwise != b->has_otherwise
        || a->nkids != b->nkids || a->slot != b->slot)
        return false;
    if (a->op == E_LITERAL && !(a->lit.kind == b->lit.kind && (a->lit.kind == V_UNKNOWN || val_equal(a->lit, b->lit))))
        return false;
    for (uint32_t i = 0; i < a->nkids; i++)
        if (a->kids[i]->memo != b->kids[i]->memo)
            return false;
    return true;
}

static void grow_buckets(Sharer *s)
{
    uint32_t n = s->n_buckets ? s->n_buckets * 2 : 1024;
    int32_t *b = kdr_malloc(n * sizeof *b);
    memset(b, 0xff, n * sizeof *b);
    for (uint32_t c = 0; c < s->n_classes; c++) {
        uint32_t j = (uint32_t)s->classes[c].hash & (n - 1);
        while (b[j] >= 0)
            j = (j + 1) & (n - 1);
        b[j] = (int32_t)c;
    }
    kdr_free(s->buckets);
    s->buckets = b;
    s->n_buckets = n;
}

static int32_t class_of(Sharer *s, const Expr *e, uint64_t hash)
{
    if ((s->n_classes + 1) * 2 > s->n_buckets)
        grow_buckets(s);
    uint32_t j = (uint32_t)hash & (s->n_buckets - 1);
    for (; s->buckets[j] >= 0; j = (j + 1) & (s->n_buckets - 1)) {
        Class *c = &s->classes[s->buckets[j]];
        if (c->hash == hash && same_node(c->first, e))
            return s->buckets[j];
    }
    if (s->n_classes == s->cap_classes) {
        s->cap_classes = s->cap_classes ? s->cap_classes * 2 : 256;
        s->classes = kdr_realloc(s->classes, s->cap_classes * sizeof *s->classes);
    }
    s->classes[s->n_classes] = (Class){.first = e, .hash = hash, .memo = -1};
    s->buckets[j] = (int32_t)s->n_classes;
    return (int32_t)s->n_classes++;
}

/* Leaves are read directly (a fact, a literal) or cached already (a definition), and so is a
 * set of literals once fold_constant_set has built it. */
static bool worth_caching(const Expr *e)
{
    return e->nkids > 0 && e->op != E_LET && e->op != E_FACT && e->op != E_LITERAL
           && !(e->op == E_SET && e->lit.kind == V_SET);
}

/* A set written as literals ({"aanbieder", "importeur"}) gets its value now, in e->lit, instead
 * of being built again by every evaluation. */
static void fold_constant_set(Program *p, Expr *e)
{
    if (e->op != E_SET || e->lit.kind == V_SET)
        return;
    const char **items = arena_alloc(&p->arena, (e->nkids + 1) * sizeof *items);
    for (uint32_t i = 0; i < e->nkids; i++) {
        if (e->kids[i]->op != E_LITERAL || e->kids[i]->lit.kind != V_STRING)
            return;
        items[i] = e->kids[i]->lit.as.str;
    }
    e->lit = val_set(set_build(&p->arena, items, e->nkids));
}

/* Classifies e and everything below it; an Expr reached a second time (one tree used by two
 * declarations) counts again but is not walked again. */
static void classify(Program *p, Sharer *s, Expr *e)
{
    if (!e)
        return;
    if (e->memo >= 0) {
        s->classes[e->memo].count++;
        return;
    }
    fold_constant_set(p, e);
    uint64_t h = mix(mix(e->op, e->type), mix(e->fn, e->has_otherwise));
    h = mix(mix(h, e->nkids), (uint64_t)(uint32_t)e->slot);
    if (e->op == E_LITERAL)
        h = mix(h, hash_value(e->lit));
    for (uint32_t i = 0; i < e->nkids; i++) {
        classify(p, s, e->kids[i]);
        h = mix(h, (uint64_t)e->kids[i]->memo);
    }
    e->memo = class_of(s, e, h);
    s->classes[e->memo].count++;
    ptrvec_push(&s->nodes, e);
}

void program_share_subexpressions(Program *p)
{
    if (p->memo_exprs) /* done already: Expr.memo now holds slots, not classes */
        return;
    Sharer s = {0};
    for (uint32_t i = 0; i < p->n_lets; i++)
        classify(p, &s, p->lets[i]->body);
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        RequirementDecl *r = p->requirements[i];
        classify(p, &s, r->applies_when);
        classify(p, &s, r->in_force_from);
        classify(p, &s, r->in_force_until);
    }
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        ProcedureDecl *proc = p->procedures[i];
        classify(p, &s, proc->required_when);
        classify(p, &s, proc->again_when);
        for (uint32_t j = 0; j < proc->n_routes; j++)
            classify(p, &s, proc->routes[j].when);
    }
    for (uint32_t i = 0; i < p->n_conclusions; i++)
        classify(p, &s, p->conclusions[i]->when);
    for (uint32_t i = 0; i < p->n_warnings; i++)
        classify(p, &s, p->warnings[i]->when);
    if (p->lifecycle)
        classify(p, &s, p->lifecycle->current);

    uint32_t n_memos = 0;
    for (uint32_t i = 0; i < s.n_classes; i++)
        if (s.classes[i].count > 1 && worth_caching(s.classes[i].first))
            s.classes[i].memo = (int32_t)(p->n_lets + n_memos++); /* after the definitions' slots */
    p->memo_exprs = arena_alloc(&p->arena, (n_memos + 1) * sizeof *p->memo_exprs);
    for (int i = 0; i < s.nodes.len; i++) {
        Expr *e = s.nodes.items[i];
        Class *c = &s.classes[e->memo];
        if (c->memo >= 0 && c->first == e)
            p->memo_exprs[(uint32_t)c->memo - p->n_lets] = e;
        e->memo = c->memo;
    }
    p->n_memos = n_memos;
    kdr_free(s.classes);
    kdr_free(s.buckets);
    ptrvec_free(&s.nodes);
}
