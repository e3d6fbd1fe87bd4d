/* lint.c — the checks behind `kader check`'s warnings. They run on a resolved program, so names
 * are bound to slots and constant sets are literals. Constant folding follows the evaluator's
 * three-valued logic exactly (false wins in 'and', true in 'or', anything compared with unknown is
 * unknown), so "always false" here means false for every possible set of facts. */
#include "lint.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

typedef struct Lint {
    const Program *p;
    const bool *user_file;
    PtrVec *out;
    uint8_t *let_reached, *fact_reached;
    uint8_t *fold_state;   /* per definition: 0 not folded yet, 1 busy, 2 constant, 3 not constant */
    Value *fold_value;
} Lint;

static bool is_user(const Lint *l, KdrLoc loc)
{
    return !l->user_file || (loc.file < l->p->sources.len && l->user_file[loc.file]);
}

static void warn(Lint *l, KdrLoc loc, const char *code, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void warn(Lint *l, KdrLoc loc, const char *code, const char *hint, const char *fmt, ...)
{
    LintWarning *w = kdr_calloc(1, sizeof *w);
    w->loc = loc;
    w->code = code;
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    w->message = buf_take(&b);
    w->hint = hint ? kdr_strdup(hint) : NULL;
    ptrvec_push(l->out, w);
}

static int line_of(const Lint *l, KdrLoc loc)
{
    const SourceFile *f = sources_get(&l->p->sources, loc.file);
    int line = 0, col = 0;
    if (f)
        source_line_col(f, loc.start, &line, &col);
    return line;
}

/* The source text of an expression on one line, shortened for a message. */
static char *expr_source(const Lint *l, const Expr *e)
{
    enum { MAX_CHARS = 48 };
    const SourceFile *f = sources_get(&l->p->sources, e->loc.file);
    Buf b = {0};
    if (!f || e->loc.end > f->len || e->loc.end <= e->loc.start)
        return kdr_strdup("this expression");
    bool space = false;
    int chars = 0;
    for (uint32_t i = e->loc.start; i < e->loc.end; i++) {
        char c = f->text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = b.len > 0;
            continue;
        }
        if (chars >= MAX_CHARS) {
            buf_puts(&b, "...");
            break;
        }
        if (space)
            buf_putc(&b, ' ');
        space = false;
        buf_putc(&b, c);
        if (((unsigned char)c & 0xC0) != 0x80)
            chars++;
    }
    return buf_take(&b);
}

/* ---- what is used ---- */

static void reach(Lint *l, const Expr *e)
{
    if (!e)
        return;
    if (e->op == E_FACT && e->slot >= 0)
        l->fact_reached[e->slot] = 1;
    if (e->op == E_LET && e->slot >= 0 && !l->let_reached[e->slot]) {
        l->let_reached[e->slot] = 1;
        reach(l, l->p->lets[e->slot]->body);
    }
    for (uint32_t i = 0; i < e->nkids; i++)
        reach(l, e->kids[i]);
}

/* Everything a report shows starts from requirements, procedures, conclusions, warnings, labels
 * and the lifecycle; what none of them reaches is dead weight. */
static void check_unused(Lint *l)
{
    const Program *p = l->p;
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        reach(l, p->requirements[i]->applies_when);
        reach(l, p->requirements[i]->in_force_from);
        reach(l, p->requirements[i]->in_force_until);
    }
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureDecl *proc = p->procedures[i];
        reach(l, proc->required_when);
        reach(l, proc->again_when);
        for (uint32_t k = 0; k < proc->n_routes; k++)
            reach(l, proc->routes[k].when);
    }
    for (uint32_t i = 0; i < p->n_conclusions; i++)
        reach(l, p->conclusions[i]->when);
    for (uint32_t i = 0; i < p->n_warnings; i++)
        reach(l, p->warnings[i]->when);
    if (p->lifecycle)
        reach(l, p->lifecycle->current);
    for (uint32_t i = 0; i < p->n_lets; i++)
        if (p->lets[i]->is_label && !l->let_reached[i]) {
            l->let_reached[i] = 1;
            reach(l, p->lets[i]->body);
        }

    for (uint32_t i = 0; i < p->n_facts; i++) {
        const FactDecl *f = p->facts[i];
        if (l->fact_reached[i] || !is_user(l, f->name_loc))
            continue;
        if (f->used)
            warn(l, f->name_loc, "unused-fact",
                 "the definitions that use it are used by nothing; remove them, or use them in a rule",
                 "fact '%s' is only used by definitions that are never used", f->name);
        else
            warn(l, f->name_loc, "unused-fact",
                 "no rule refers to it, so kader never asks for it; remove it, or use it in a rule",
                 "fact '%s' is never used", f->name);
    }
    for (uint32_t i = 0; i < p->n_lets; i++) {
        const LetDecl *d = p->lets[i];
        /* a `default let` is an extension point, offered to other rule files: not dead */
        if (l->let_reached[i] || d->is_default || d->replaces_default || !is_user(l, d->name_loc))
            continue;
        if (d->used)
            warn(l, d->name_loc, "unused-definition",
                 "the definitions that use it are used by nothing; remove them, or use them in a rule",
                 "definition '%s' is only used by definitions that are never used", d->name);
        else
            warn(l, d->name_loc, "unused-definition",
                 "remove it, use it in a rule, or make it a 'label' to show it in the report",
                 "definition '%s' is never used", d->name);
    }
}

/* ---- constant folding ---- */

static bool fold(Lint *l, const Expr *e, Value *out);

static bool fold_let(Lint *l, int32_t slot, Value *out)
{
    if (slot < 0)
        return false;
    const LetDecl *d = l->p->lets[slot];
    /* A `default let` is there to be replaced: its value is not a constant of the program. */
    if (d->is_default)
        return false;
    switch (l->fold_state[slot]) {
    case 1: case 3: return false;
    case 2: *out = l->fold_value[slot]; return true;
    default: break;
    }
    l->fold_state[slot] = 1;
    Value v;
    bool c = fold(l, d->body, &v);
    l->fold_state[slot] = c ? 2 : 3;
    if (c)
        l->fold_value[slot] = v;
    *out = v;
    return c;
}

static int order(Value a, Value b)
{
    if (a.kind == V_DATE)
        return a.as.date < b.as.date ? -1 : a.as.date > b.as.date;
    return a.as.num < b.as.num ? -1 : a.as.num > b.as.num;
}

static Value membership(Value x, Value s)
{
    if (!val_is_known(x) || !val_is_known(s) || s.kind != V_SET)
        return val_unknown();
    if (x.kind == V_STRING)
        return val_bool(set_contains(s.as.set, x.as.str));
    if (x.kind == V_SET)
        return val_bool(set_is_subset(x.as.set, s.as.set));
    return val_unknown();
}

/* The value of e when it is the same for every set of facts; false when it is not. */
static bool fold(Lint *l, const Expr *e, Value *out)
{
    Value a, b, c;
    bool ca, cb, cc;
    switch ((ExprOp)e->op) {
    case E_LITERAL:
        *out = e->lit;
        return true;
    case E_LET:
        return fold_let(l, e->slot, out);
    case E_NAME: case E_FACT: case E_TODAY: case E_SET: case E_CALL:
        return false;
    case E_AND:
    case E_OR: {
        bool is_and = e->op == E_AND;
        ca = fold(l, e->kids[0], &a);
        cb = fold(l, e->kids[1], &b);
        /* false decides 'and' and true decides 'or', whatever the other side is */
        if ((ca && a.kind == V_BOOL && a.as.b != is_and) || (cb && b.kind == V_BOOL && b.as.b != is_and)) {
            *out = val_bool(!is_and);
            return true;
        }
        if (!ca || !cb)
            return false;
        *out = val_is_known(a) && val_is_known(b) ? val_bool(is_and) : val_unknown();
        return true;
    }
    case E_NOT:
        if (!fold(l, e->kids[0], &a))
            return false;
        *out = val_is_known(a) ? val_bool(!a.as.b) : a;
        return true;
    case E_IS_KNOWN:
    case E_IS_UNKNOWN:
        if (!fold(l, e->kids[0], &a))
            return false;
        *out = val_bool(val_is_known(a) == (e->op == E_IS_KNOWN));
        return true;
    case E_EQ: case E_NE: case E_LT: case E_LE: case E_GT: case E_GE: case E_IN: case E_NOT_IN:
    case E_INTERSECTS:
        ca = fold(l, e->kids[0], &a);
        cb = fold(l, e->kids[1], &b);
        /* anything compared with unknown is unknown */
        if ((ca && !val_is_known(a)) || (cb && !val_is_known(b))) {
            *out = val_unknown();
            return true;
        }
        if (!ca || !cb)
            return false;
        switch ((ExprOp)e->op) {
        case E_EQ: *out = val_bool(a.kind == b.kind && val_equal(a, b)); return true;
        case E_NE: *out = val_bool(!(a.kind == b.kind && val_equal(a, b))); return true;
        case E_IN: *out = membership(a, b); return true;
        case E_NOT_IN:
            *out = membership(a, b);
            if (val_is_known(*out))
                *out = val_bool(!out->as.b);
            return true;
        case E_INTERSECTS:
            if (a.kind != V_SET || b.kind != V_SET)
                return false;
            *out = val_bool(set_intersects(a.as.set, b.as.set));
            return true;
        default:
            if (a.kind != b.kind || (a.kind != V_NUMBER && a.kind != V_DATE))
                return false;
            int o = order(a, b);
            *out = val_bool(e->op == E_LT ? o < 0 : e->op == E_LE ? o <= 0 : e->op == E_GT ? o > 0 : o >= 0);
            return true;
        }
    case E_IN_RANGE:
        ca = fold(l, e->kids[0], &a);
        cb = fold(l, e->kids[1], &b);
        cc = fold(l, e->kids[2], &c);
        if ((ca && !val_is_known(a)) || (cb && !val_is_known(b)) || (cc && !val_is_known(c))) {
            *out = val_unknown();
            return true;
        }
        if (!ca || !cb || !cc || a.kind != b.kind || a.kind != c.kind || (a.kind != V_NUMBER && a.kind != V_DATE))
            return false;
        *out = val_bool(order(b, a) <= 0 && order(a, c) <= 0);
        return true;
    case E_FIRST: {
        uint32_t pairs = e->has_otherwise ? (e->nkids - 1) / 2 : e->nkids / 2;
        for (uint32_t i = 0; i < pairs; i++) {
            if (!fold(l, e->kids[2 * i], &a))
                return false;
            if (val_is_true(a))
                return fold(l, e->kids[2 * i + 1], out);
            if (!val_is_known(a)) {
                *out = val_unknown();
                return true;
            }
        }
        if (!e->has_otherwise) {
            *out = val_unknown();
            return true;
        }
        return fold(l, e->kids[e->nkids - 1], out);
    }
    }
    return false;
}

/* 1 always true, 0 always false, -1 always unknown, 2 depends on the facts */
static int constant_truth(Lint *l, const Expr *e)
{
    Value v;
    if (!e || !fold(l, e, &v))
        return 2;
    if (!val_is_known(v))
        return -1;
    if (v.kind != V_BOOL)
        return 2;
    return v.as.b ? 1 : 0;
}

/* ---- first-match tables ---- */

/* The conjuncts of a condition: `a and (b and c)` is {a, b, c}. */
static void conjuncts(const Expr *e, const Expr **out, uint32_t *n, uint32_t max)
{
    if (e->op == E_AND) {
        conjuncts(e->kids[0], out, n, max);
        conjuncts(e->kids[1], out, n, max);
    } else if (*n < max) {
        out[(*n)++] = e;
    }
}

/* Whether `later` can only be true when `earlier` is: every conjunct of earlier is one of later's. */
static bool implies(const Expr *later, const Expr *earlier)
{
    enum { MAX = 32 };
    const Expr *a[MAX], *b[MAX];
    uint32_t na = 0, nb = 0;
    conjuncts(later, a, &na, MAX);
    conjuncts(earlier, b, &nb, MAX);
    if (na == MAX || nb == MAX)
        return false;
    for (uint32_t i = 0; i < nb; i++) {
        bool found = false;
        for (uint32_t k = 0; k < na && !found; k++)
            found = fmt_same_expr(b[i], a[k]);
        if (!found)
            return false;
    }
    return true;
}

/* An `x is known` / `x is unknown` test inside cond (through 'and', 'or' and 'not', and with
 * through_lets also inside the definitions cond uses). NULL when there is none. With through_lets,
 * *via is the outermost definition the test was found in. */
static const Expr *known_test(const Lint *l, const Expr *cond, bool through_lets, const LetDecl **via, int depth)
{
    switch ((ExprOp)cond->op) {
    case E_IS_UNKNOWN:
    case E_IS_KNOWN:
        return cond->kids[0];
    case E_NOT:
    case E_AND:
    case E_OR:
        for (uint32_t i = 0; i < cond->nkids; i++) {
            const Expr *x = known_test(l, cond->kids[i], through_lets, via, depth);
            if (x)
                return x;
        }
        return NULL;
    case E_LET: {
        if (!through_lets || depth > 16 || cond->slot < 0)
            return NULL;
        const LetDecl *d = l->p->lets[cond->slot];
        if (d->is_default)
            return NULL;
        const Expr *x = known_test(l, d->body, true, via, depth + 1);
        if (x)
            *via = d;
        return x;
    }
    default:
        return NULL;
    }
}

/* A value that is unknown by itself, so that taking its branch names no missing fact. */
static bool is_unknown_value(Lint *l, const Expr *v)
{
    Value c;
    return fold(l, v, &c) && !val_is_known(c);
}

/* Whether b is the negation of a written out: `not a`, De Morgan's laws, == against !=, in
 * against not in, is known against is unknown. Kleene logic keeps all of these. */
static bool negates(const Expr *a, const Expr *b)
{
    if (b->op == E_NOT && fmt_same_expr(b->kids[0], a))
        return true;
    if (a->op == E_NOT && fmt_same_expr(a->kids[0], b))
        return true;
    if ((a->op == E_AND && b->op == E_OR) || (a->op == E_OR && b->op == E_AND))
        return negates(a->kids[0], b->kids[0]) && negates(a->kids[1], b->kids[1]);
    static const uint8_t pairs[][2] = {{E_EQ, E_NE}, {E_IN, E_NOT_IN}, {E_IS_KNOWN, E_IS_UNKNOWN}};
    for (size_t i = 0; i < KDR_ARRAY_LEN(pairs); i++) {
        if ((a->op == pairs[i][0] && b->op == pairs[i][1]) || (a->op == pairs[i][1] && b->op == pairs[i][0])) {
            for (uint32_t k = 0; k < a->nkids; k++)
                if (!fmt_same_expr(a->kids[k], b->kids[k]))
                    return false;
            return a->nkids == b->nkids;
        }
    }
    return false;
}

/* A condition that tests one expression against values: `x == "a"`, `x in {"a", "b"}`, `x`,
 * `not x`, `x == false`. Sets *subject and adds the values tested (strings, or "true"/"false"
 * for bools) to values. */
static bool value_test(const Expr *c, const Expr **subject, const char **values, uint32_t *n, uint32_t max)
{
    const Expr *x = NULL, *lit = NULL;
    if (c->op == E_EQ) {
        x = c->kids[0]->op == E_LITERAL ? c->kids[1] : c->kids[0];
        lit = c->kids[0]->op == E_LITERAL ? c->kids[0] : c->kids[1];
    } else if (c->op == E_IN && c->kids[0]->type == T_STRING) {
        x = c->kids[0];
        lit = c->kids[1];
    } else if (c->type == T_BOOL && (c->op == E_FACT || c->op == E_LET)) {
        if (*n < max)
            values[(*n)++] = "true";
        *subject = c;
        return true;
    } else if (c->op == E_NOT && (c->kids[0]->op == E_FACT || c->kids[0]->op == E_LET)) {
        if (*n < max)
            values[(*n)++] = "false";
        *subject = c->kids[0];
        return true;
    } else {
        return false;
    }
    if (lit->op != E_LITERAL || x->op == E_LITERAL)
        return false;
    *subject = x;
    switch (lit->lit.kind) {
    case V_STRING:
        if (*n < max)
            values[(*n)++] = lit->lit.as.str;
        return true;
    case V_BOOL:
        if (*n < max)
            values[(*n)++] = lit->lit.as.b ? "true" : "false";
        return true;
    case V_SET:
        if (c->op != E_IN)
            return false;
        for (uint32_t i = 0; i < lit->lit.as.set->len && *n < max; i++)
            values[(*n)++] = lit->lit.as.set->items[i];
        return true;
    default:
        return false;
    }
}

/* Whether, among conditions[0..n), one is always true once all of them are known: a condition and
 * its negation, or tests of one expression against every value it can hold. A branch after them
 * is taken only when one of them is unknown, and an unknown condition stops the table first. */
static bool exhaustive(const Expr *const *conds, uint32_t n)
{
    enum { MAX_VALUES = 256 };
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t k = i + 1; k < n; k++)
            if (conds[i] && conds[k] && negates(conds[i], conds[k]))
                return true;
    for (uint32_t i = 0; i < n; i++) {
        const Expr *subject = NULL;
        const char *values[MAX_VALUES];
        uint32_t nv = 0;
        if (!conds[i] || !value_test(conds[i], &subject, values, &nv, MAX_VALUES))
            continue;
        for (uint32_t k = i + 1; k < n; k++) {
            const Expr *other = NULL;
            const char *more[MAX_VALUES];
            uint32_t nm = 0;
            if (conds[k] && value_test(conds[k], &other, more, &nm, MAX_VALUES) && fmt_same_expr(subject, other))
                for (uint32_t m = 0; m < nm && nv < MAX_VALUES; m++)
                    values[nv++] = more[m];
        }
        bool has_true = false, has_false = false;
        for (uint32_t m = 0; m < nv; m++) {
            has_true |= strcmp(values[m], "true") == 0;
            has_false |= strcmp(values[m], "false") == 0;
        }
        if (subject->type == T_BOOL && has_true && has_false)
            return true;
        if (subject->type == T_STRING && subject->domain && subject->domain->len) {
            bool all = true;
            for (uint32_t d = 0; d < subject->domain->len && all; d++) {
                bool found = false;
                for (uint32_t m = 0; m < nv && !found; m++)
                    found = strcmp(values[m], subject->domain->items[d]) == 0;
                all = found;
            }
            if (all)
                return true;
        }
    }
    return false;
}

typedef struct Branches {
    const Expr *const *conds; /* NULL entry: otherwise */
    const Expr *const *values; /* NULL for route tables */
    const KdrLoc *places;     /* where each branch is, for messages */
    uint32_t n;
} Branches;

static void check_branches(Lint *l, const Branches *t)
{
    for (uint32_t i = 0; i < t->n; i++) {
        const Expr *c = t->conds[i];
        int truth = constant_truth(l, c);
        if (truth == 1 && i + 1 < t->n) {
            uint32_t rest = t->n - i - 1;
            warn(l, t->places[i + 1], "unreachable-branch",
                 "a first-match table takes the first branch whose condition is true; remove the branches "
                 "after it, or make that branch the 'otherwise'",
                 rest == 1 ? "this branch is never taken: the condition on line %d is always true"
                           : "the branches from here on are never taken: the condition on line %d is always true",
                 line_of(l, c->loc));
            return;
        }
        if (!c)
            continue;
        if (exhaustive(t->conds, i)) {
            warn(l, c->loc, "unreachable-branch",
                 "once the conditions before it are known, one of them is true; an unknown one stops the "
                 "table before it",
                 "this branch is never taken: the conditions before it cover every case");
            continue;
        }
        if (truth == 0) {
            warn(l, c->loc, "unreachable-branch", "the condition does not depend on any fact; remove the branch",
                 "this branch is never taken: its condition is always false");
            continue;
        }
        for (uint32_t k = 0; k < i; k++) {
            if (!t->conds[k])
                continue;
            if (fmt_same_expr(c, t->conds[k])) {
                warn(l, c->loc, "unreachable-branch",
                     "a first-match table takes the first branch that is true, so a second branch with the "
                     "same condition is dead; merge the two",
                     "this branch is never taken: its condition repeats the one on line %d", line_of(l, t->conds[k]->loc));
                break;
            }
            if (implies(c, t->conds[k])) {
                warn(l, c->loc, "unreachable-branch", "put the more specific branch first",
                     "this branch is never taken: it can only be true when the condition on line %d is, and that "
                     "branch comes first",
                     line_of(l, t->conds[k]->loc));
                break;
            }
        }
    }
    if (!t->values)
        return;
    /* A branch whose value is `unknown`, taken because of an 'is known' or 'is unknown' test:
     * the evaluator then names the facts those tests found absent, but only tests written in the
     * table's own conditions. One inside a definition leaves the result undetermined with no
     * missing fact at all. */
    for (uint32_t i = 0; i < t->n; i++) {
        if (!is_unknown_value(l, t->values[i]) || (!t->conds[i] && exhaustive(t->conds, i)))
            continue;
        bool direct = false;
        const Expr *x = NULL;
        const LetDecl *via = NULL;
        for (uint32_t k = 0; k <= i && k < t->n && !direct; k++)
            direct = t->conds[k] && known_test(l, t->conds[k], false, NULL, 0);
        for (uint32_t k = 0; k <= i && k < t->n && !direct && !x; k++)
            if (t->conds[k])
                x = known_test(l, t->conds[k], true, &via, 0);
        if (direct || !x || !via)
            continue;
        char *text = expr_source(l, x);
        warn(l, t->values[i]->loc, "silent-unknown",
             "the report looks for missing facts in the 'is known' tests of the table's own conditions, not "
             "inside definitions; write the test in the condition, or test the value itself",
             "this branch gives unknown without naming a missing fact: it is taken when '%s' is unknown, "
             "which only the definition '%s' tests",
             text, via->name);
        kdr_free(text);
    }
}

static void check_tables(Lint *l, const Expr *e)
{
    if (!e)
        return;
    if (e->op == E_FIRST) {
        uint32_t pairs = e->has_otherwise ? (e->nkids - 1) / 2 : e->nkids / 2;
        uint32_t n = pairs + (e->has_otherwise ? 1 : 0);
        const Expr **conds = kdr_calloc(n + 1, sizeof *conds);
        const Expr **values = kdr_calloc(n + 1, sizeof *values);
        KdrLoc *places = kdr_calloc(n + 1, sizeof *places);
        for (uint32_t i = 0; i < pairs; i++) {
            conds[i] = e->kids[2 * i];
            values[i] = e->kids[2 * i + 1];
            places[i] = conds[i]->loc;
        }
        if (e->has_otherwise) {
            values[pairs] = e->kids[e->nkids - 1];
            places[pairs] = values[pairs]->loc;
        }
        Branches t = {conds, values, places, n};
        check_branches(l, &t);
        kdr_free(conds);
        kdr_free(values);
        kdr_free(places);
    }
    for (uint32_t i = 0; i < e->nkids; i++)
        check_tables(l, e->kids[i]);
}

static void check_routes(Lint *l, const ProcedureDecl *proc)
{
    uint32_t n = proc->n_routes;
    if (!n)
        return;
    const Expr **conds = kdr_calloc(n, sizeof *conds);
    KdrLoc *places = kdr_calloc(n, sizeof *places);
    for (uint32_t i = 0; i < n; i++) {
        conds[i] = proc->routes[i].when;
        places[i] = proc->routes[i].loc;
    }
    Branches t = {conds, NULL, places, n};
    check_branches(l, &t);
    kdr_free(conds);
    kdr_free(places);
}

/* ---- conditions that never change ---- */

static void check_conditions(Lint *l)
{
    const Program *p = l->p;
    const char *no_fact = "the condition does not depend on any fact; check it, or remove the declaration";
    const char *unknown_hint = "'unknown' in a condition is never decided by any fact, so the result is always "
                               "undetermined";
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *r = p->requirements[i];
        if (!is_user(l, r->id_loc) || !r->applies_when)
            continue;
        int truth = constant_truth(l, r->applies_when);
        if (truth == 0)
            warn(l, r->applies_when->loc, "constant-condition", no_fact,
                 "requirement \"%s\" never applies: its condition is always false", r->id);
        else if (truth == -1)
            warn(l, r->applies_when->loc, "constant-condition", unknown_hint,
                 "requirement \"%s\" is always undetermined: its condition is always unknown", r->id);
    }
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureDecl *proc = p->procedures[i];
        if (!is_user(l, proc->id_loc) || !proc->required_when)
            continue;
        int truth = constant_truth(l, proc->required_when);
        if (truth == 0)
            warn(l, proc->required_when->loc, "constant-condition", no_fact,
                 "procedure '%s' is never required: its condition is always false", proc->id);
        else if (truth == -1)
            warn(l, proc->required_when->loc, "constant-condition", unknown_hint,
                 "procedure '%s' is always undetermined: its condition is always unknown", proc->id);
    }
    for (uint32_t i = 0; i < p->n_conclusions; i++) {
        const ConclusionDecl *c = p->conclusions[i];
        if (!is_user(l, c->loc) || !c->when)
            continue;
        int truth = constant_truth(l, c->when);
        if (truth == 0)
            warn(l, c->when->loc, "constant-condition", no_fact,
                 "conclusion \"%s\" is never reached: its condition is always false", c->id);
        else if (truth == -1)
            warn(l, c->when->loc, "constant-condition", unknown_hint,
                 "conclusion \"%s\" is always undetermined: its condition is always unknown", c->id);
    }
    for (uint32_t i = 0; i < p->n_warnings; i++) {
        const WarningDecl *w = p->warnings[i];
        if (!is_user(l, w->loc))
            continue;
        int truth = constant_truth(l, w->when);
        if (truth == 0 || truth == -1)
            warn(l, w->when->loc, "constant-condition", no_fact,
                 "warning '%s' never fires: its condition is always %s", w->id, truth == 0 ? "false" : "unknown");
    }
}

/* ---- questions and replacements ---- */

static void check_asks(Lint *l)
{
    const Program *p = l->p;
    uint32_t with_ask = 0;
    for (uint32_t i = 0; i < p->n_facts; i++)
        if (is_user(l, p->facts[i]->name_loc) && p->facts[i]->ask)
            with_ask++;
    if (!with_ask)
        return;
    for (uint32_t i = 0; i < p->n_facts; i++) {
        const FactDecl *f = p->facts[i];
        if (is_user(l, f->name_loc) && !f->ask)
            warn(l, f->name_loc, "missing-ask",
                 "add: ask \"<the question>\", so that 'kader ask' can ask for it like the others",
                 "fact '%s' has no question, unlike %u other fact%s of these rules", f->name, with_ask,
                 with_ask == 1 ? "" : "s");
    }
}

static void check_replacements(Lint *l)
{
    const Program *p = l->p;
    StrMap first = {0};
    PtrVec places = {0}; /* RequirementDecl * by map value */
    for (int i = 0; i < p->parsed.len; i++) {
        const ParsedFile *f = p->parsed.items[i];
        for (uint32_t k = 0; k < f->n_decls; k++) {
            if (f->decls[k].kind != D_REQUIREMENT)
                continue;
            const RequirementDecl *r = f->decls[k].as.requirement;
            int32_t prev;
            if (!strmap_get(&first, r->id, &prev)) {
                strmap_put(&first, r->id, places.len);
                ptrvec_push(&places, (void *)(uintptr_t)r);
                continue;
            }
            const RequirementDecl *old = places.items[prev];
            places.items[prev] = (void *)(uintptr_t)r;
            if (!is_user(l, r->id_loc))
                continue;
            const SourceFile *of = sources_get(&p->sources, old->id_loc.file);
            int line = 0, col = 0;
            if (of)
                source_line_col(of, old->id_loc.start, &line, &col);
            warn(l, r->id_loc, "replaced-requirement",
                 "a requirement with the id of one loaded earlier replaces it; if that is not meant, give it "
                 "another id",
                 "requirement \"%s\" replaces the one at %s:%d:%d", r->id, of ? of->name : "?", line, col);
        }
    }
    strmap_free(&first);
    ptrvec_free(&places);
}

/* ---- the whole program ---- */

static int compare_warnings(const void *a, const void *b)
{
    const LintWarning *x = *(LintWarning *const *)a, *y = *(LintWarning *const *)b;
    if (x->loc.file != y->loc.file)
        return x->loc.file < y->loc.file ? -1 : 1;
    if (x->loc.start != y->loc.start)
        return x->loc.start < y->loc.start ? -1 : 1;
    int c = strcmp(x->code, y->code);
    return c ? c : strcmp(x->message, y->message);
}

void lint_program(const Program *p, const bool *user_file, PtrVec *out)
{
    Lint l = {.p = p, .user_file = user_file, .out = out};
    l.let_reached = kdr_calloc(p->n_lets + 1, 1);
    l.fact_reached = kdr_calloc(p->n_facts + 1, 1);
    l.fold_state = kdr_calloc(p->n_lets + 1, 1);
    l.fold_value = kdr_calloc(p->n_lets + 1, sizeof(Value));
    int first = out->len;

    check_unused(&l);
    check_conditions(&l);
    check_asks(&l);
    check_replacements(&l);
    for (uint32_t i = 0; i < p->n_lets; i++)
        if (is_user(&l, p->lets[i]->name_loc))
            check_tables(&l, p->lets[i]->body);
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *r = p->requirements[i];
        if (!is_user(&l, r->id_loc))
            continue;
        check_tables(&l, r->applies_when);
        check_tables(&l, r->in_force_from);
        check_tables(&l, r->in_force_until);
    }
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureDecl *proc = p->procedures[i];
        if (!is_user(&l, proc->id_loc))
            continue;
        check_tables(&l, proc->required_when);
        check_tables(&l, proc->again_when);
        for (uint32_t k = 0; k < proc->n_routes; k++)
            check_tables(&l, proc->routes[k].when);
        check_routes(&l, proc);
    }
    for (uint32_t i = 0; i < p->n_conclusions; i++)
        if (is_user(&l, p->conclusions[i]->loc))
            check_tables(&l, p->conclusions[i]->when);
    for (uint32_t i = 0; i < p->n_warnings; i++)
        if (is_user(&l, p->warnings[i]->loc))
            check_tables(&l, p->warnings[i]->when);
    if (p->lifecycle && is_user(&l, p->lifecycle->loc))
        check_tables(&l, p->lifecycle->current);

    if (out->len - first > 1)
        qsort(out->items + first, (size_t)(out->len - first), sizeof(void *), compare_warnings);
    kdr_free(l.let_reached);
    kdr_free(l.fact_reached);
    kdr_free(l.fold_state);
    kdr_free(l.fold_value);
}

void lint_free(PtrVec *warnings)
{
    for (int i = 0; i < warnings->len; i++) {
        LintWarning *w = warnings->items[i];
        kdr_free(w->message);
        kdr_free(w->hint);
        kdr_free(w);
    }
    ptrvec_free(warnings);
}
