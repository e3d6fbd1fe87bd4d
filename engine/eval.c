/* eval.c — the evaluator: Kleene three-valued logic over facts and lazily cached definitions,
 * first-match tables, requirement/procedure/conclusion results and their missing facts. */
#include "eval.h"

#include <string.h>

/* An ordered list of fact indices without duplicates, in the evaluation's scratch arena. The
 * lists are short (the facts one condition depends on), so duplicates are found by scanning. */
typedef struct FactList {
    int32_t *items;
    uint32_t len, cap;
} FactList;

void evaluation_init(Evaluation *ev, const Program *p)
{
    memset(ev, 0, sizeof *ev);
    ev->program = p;
    ev->requirements = kdr_calloc(p->n_requirements + 1, sizeof(RequirementResult));
    ev->procedures = kdr_calloc(p->n_procedures + 1, sizeof(ProcedureResult));
    ev->labels = kdr_calloc(p->n_labels + 1, sizeof(Value));
    ev->warnings = kdr_calloc(p->n_warnings + 1, sizeof(bool));
    /* Definitions and shared subexpressions (program_share_subexpressions) are cached alike:
     * slot i < n_lets is definition i, slot n_lets + m is shared subexpression m. */
    uint32_t cached = p->n_lets + p->n_memos + 1;
    ev->let_values = kdr_calloc(cached, sizeof(Value));
    ev->let_epoch = kdr_calloc(cached, sizeof(uint32_t));
    ev->let_missing = kdr_calloc(cached, sizeof(FactList));
    ev->let_missing_epoch = kdr_calloc(cached, sizeof(uint32_t));
    ev->missing_cap = 64;
    ev->missing_pool = kdr_malloc(ev->missing_cap * sizeof(int32_t));
}

void evaluation_free(Evaluation *ev)
{
    kdr_free(ev->requirements);
    kdr_free(ev->procedures);
    kdr_free(ev->labels);
    kdr_free(ev->warnings);
    kdr_free(ev->let_values);
    kdr_free(ev->let_epoch);
    kdr_free(ev->let_missing);
    kdr_free(ev->let_missing_epoch);
    kdr_free(ev->missing_pool);
    arena_free(&ev->scratch);
    memset(ev, 0, sizeof *ev);
}

/* ---- expressions ---- */

static Value eval_node(Evaluation *ev, const Expr *e);

/* Orders two known numbers or dates: -1, 0, 1. */
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

static Value eval_call(Evaluation *ev, const Expr *e)
{
    Value acc = eval_expr(ev, e->kids[0]);
    if (!val_is_known(acc))
        return acc;
    switch ((BuiltinFn)e->fn) {
    case FN_COUNT:
        return val_number(acc.as.set->len);
    case FN_UNION:
        for (uint32_t i = 1; i < e->nkids; i++) {
            Value v = eval_expr(ev, e->kids[i]);
            if (!val_is_known(v))
                return v;
            acc = val_set(set_union(&ev->scratch, acc.as.set, v.as.set));
        }
        return acc;
    case FN_MIN:
    case FN_MAX:
        for (uint32_t i = 1; i < e->nkids; i++) {
            Value v = eval_expr(ev, e->kids[i]);
            if (!val_is_known(v))
                return v;
            int c = order(v, acc);
            if ((e->fn == FN_MIN && c < 0) || (e->fn == FN_MAX && c > 0))
                acc = v;
        }
        return acc;
    case FN_NONE:
        break;
    }
    return val_unknown();
}

/* The less frequent operators, kept out of eval_expr so that its frame stays small: every
 * node of every condition passes through eval_expr. */
__attribute__((noinline)) static Value eval_general(Evaluation *ev, const Expr *e)
{
    Value a, b;
    switch ((ExprOp)e->op) {
    case E_NAME: /* never after resolution */
        return val_unknown();
    case E_LITERAL: case E_FACT: case E_LET: case E_AND: case E_OR: case E_NOT: /* eval_node's */
    case E_IN: case E_INTERSECTS: case E_IS_KNOWN: case E_IS_UNKNOWN:
        return eval_node(ev, e);
    case E_TODAY:
        return val_date(ev->today);
    case E_EQ:
    case E_NE:
        a = eval_expr(ev, e->kids[0]);
        b = eval_expr(ev, e->kids[1]);
        if (!val_is_known(a) || !val_is_known(b))
            return val_unknown();
        return val_bool(val_equal(a, b) == (e->op == E_EQ));
    case E_LT:
    case E_LE:
    case E_GT:
    case E_GE: {
        a = eval_expr(ev, e->kids[0]);
        b = eval_expr(ev, e->kids[1]);
        if (!val_is_known(a) || !val_is_known(b) || a.kind != b.kind)
            return val_unknown();
        int c = order(a, b);
        bool r = e->op == E_LT ? c < 0 : e->op == E_LE ? c <= 0 : e->op == E_GT ? c > 0 : c >= 0;
        return val_bool(r);
    }
    case E_NOT_IN:
        a = membership(eval_expr(ev, e->kids[0]), eval_expr(ev, e->kids[1]));
        return val_is_known(a) ? val_bool(!a.as.b) : a;
    case E_IN_RANGE: {
        Value x = eval_expr(ev, e->kids[0]);
        Value lo = eval_expr(ev, e->kids[1]);
        Value hi = eval_expr(ev, e->kids[2]);
        if (!val_is_known(x) || !val_is_known(lo) || !val_is_known(hi) || x.kind != lo.kind || x.kind != hi.kind)
            return val_unknown();
        return val_bool(order(lo, x) <= 0 && order(x, hi) <= 0);
    }
    case E_SET: {
        const char **items = arena_alloc(&ev->scratch, (e->nkids + 1) * sizeof(char *));
        for (uint32_t i = 0; i < e->nkids; i++) {
            a = eval_expr(ev, e->kids[i]);
            if (!val_is_known(a))
                return a;
            items[i] = a.as.str;
        }
        return val_set(set_build(&ev->scratch, items, e->nkids));
    }
    case E_FIRST: {
        uint32_t pairs = e->has_otherwise ? (e->nkids - 1) / 2 : e->nkids / 2;
        for (uint32_t i = 0; i < pairs; i++) {
            a = eval_expr(ev, e->kids[2 * i]);
            if (val_is_true(a))
                return eval_expr(ev, e->kids[2 * i + 1]);
            if (!val_is_known(a))
                return val_unknown(); /* an undecided branch before the match decides nothing */
        }
        return e->has_otherwise ? eval_expr(ev, e->kids[e->nkids - 1]) : val_unknown();
    }
    case E_CALL:
        return eval_call(ev, e);
    }
    return val_unknown();
}

/* The value of definition `slot`, computed at most once per evaluation. */
static Value let_value(Evaluation *ev, int32_t slot)
{
    if (ev->let_epoch[slot] != ev->epoch) {
        ev->let_values[slot] = eval_expr(ev, ev->program->lets[slot]->body);
        ev->let_epoch[slot] = ev->epoch;
    }
    return ev->let_values[slot];
}

__attribute__((noinline)) static Value eval_let(Evaluation *ev, const Expr *e)
{
    return let_value(ev, e->slot);
}

/* A shared subexpression, computed at most once per evaluation like a definition. */
__attribute__((noinline)) static Value eval_memo(Evaluation *ev, const Expr *e)
{
    uint32_t slot = ev->program->n_lets + (uint32_t)e->memo;
    if (ev->let_epoch[slot] != ev->epoch) {
        ev->let_values[slot] = eval_node(ev, e);
        ev->let_epoch[slot] = ev->epoch;
    }
    return ev->let_values[slot];
}

/* Operands that need no recursion: literals, facts and definitions already computed. */
static inline Value operand(Evaluation *ev, const Expr *e)
{
    if (e->op == E_FACT)
        return ev->facts->values[e->slot];
    if (e->op == E_LITERAL)
        return e->lit;
    if (e->op == E_LET && ev->let_epoch[e->slot] == ev->epoch)
        return ev->let_values[e->slot];
    return eval_expr(ev, e);
}

Value eval_expr(Evaluation *ev, const Expr *e)
{
    if (e->memo >= 0)
        return eval_memo(ev, e);
    return eval_node(ev, e);
}

/* e's value computed from its operands (eval_expr looks in the cache first). */
static Value eval_node(Evaluation *ev, const Expr *e)
{
    Value a, b;
    switch ((ExprOp)e->op) {
    case E_LITERAL:
        return e->lit;
    case E_FACT:
        return ev->facts->values[e->slot];
    case E_LET:
        if (ev->let_epoch[e->slot] == ev->epoch)
            return ev->let_values[e->slot];
        return eval_let(ev, e);
    case E_AND:
        a = operand(ev, e->kids[0]);
        if (val_is_false(a))
            return a;
        b = operand(ev, e->kids[1]);
        if (val_is_false(b))
            return b;
        return val_is_known(a) && val_is_known(b) ? val_bool(true) : val_unknown();
    case E_OR:
        a = operand(ev, e->kids[0]);
        if (val_is_true(a))
            return a;
        b = operand(ev, e->kids[1]);
        if (val_is_true(b))
            return b;
        return val_is_known(a) && val_is_known(b) ? val_bool(false) : val_unknown();
    case E_NOT:
        a = operand(ev, e->kids[0]);
        return val_is_known(a) ? val_bool(!a.as.b) : a;
    case E_IS_KNOWN:
        return val_bool(val_is_known(operand(ev, e->kids[0])));
    case E_IS_UNKNOWN:
        return val_bool(!val_is_known(operand(ev, e->kids[0])));
    case E_INTERSECTS:
        a = operand(ev, e->kids[0]);
        b = operand(ev, e->kids[1]);
        if (!val_is_known(a) || !val_is_known(b))
            return val_unknown();
        return val_bool(set_intersects(a.as.set, b.as.set));
    case E_IN:
        return membership(operand(ev, e->kids[0]), operand(ev, e->kids[1]));
    default:
        return eval_general(ev, e);
    }
}

/* ---- missing facts ---- */

static void list_add(Evaluation *ev, FactList *l, int32_t fact)
{
    for (uint32_t i = 0; i < l->len; i++)
        if (l->items[i] == fact)
            return;
    if (l->len == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        int32_t *items = arena_alloc(&ev->scratch, cap * sizeof(int32_t));
        if (l->len)
            memcpy(items, l->items, l->len * sizeof(int32_t));
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = fact;
}

static void collect_missing(Evaluation *ev, const Expr *e, FactList *out);
static void collect_node(Evaluation *ev, const Expr *e, FactList *out);

/* The facts that decide an unknown definition (or shared subexpression: `node`), computed once
 * per evaluation: many results share the same definitions (the label groups), so this keeps
 * undetermined systems fast. */
static const FactList *cached_missing(Evaluation *ev, uint32_t slot, const Expr *node)
{
    if (ev->let_missing_epoch[slot] != ev->epoch) {
        FactList fresh = {0};
        if (node)
            collect_node(ev, node, &fresh);
        else
            collect_missing(ev, ev->program->lets[slot]->body, &fresh);
        ev->let_missing[slot] = fresh;
        ev->let_missing_epoch[slot] = ev->epoch;
    }
    return &ev->let_missing[slot];
}

static void add_all(Evaluation *ev, FactList *out, const FactList *m)
{
    for (uint32_t i = 0; i < m->len; i++)
        list_add(ev, out, m->items[i]);
}

/* The unknown operands of the `is known` / `is unknown` tests in a condition. */
static void collect_known_tests(Evaluation *ev, const Expr *e, FactList *out)
{
    if (e->op == E_IS_KNOWN || e->op == E_IS_UNKNOWN) {
        if (!val_is_known(eval_expr(ev, e->kids[0])))
            collect_missing(ev, e->kids[0], out);
        return;
    }
    if (e->op == E_LET || e->op == E_FACT)
        return;
    for (uint32_t i = 0; i < e->nkids; i++)
        collect_known_tests(ev, e->kids[i], out);
}

/* Collects the unknown facts that an unknown expression depends on, skipping every part whose
 * value is already known: in `a and b` with b false the result is known and nothing is missing;
 * in `(a or b) and c` with a true only c's facts are. Facts are listed in the order the rules
 * consult them. */
static void collect_missing(Evaluation *ev, const Expr *e, FactList *out)
{
    if (e->memo >= 0)
        add_all(ev, out, cached_missing(ev, ev->program->n_lets + (uint32_t)e->memo, e));
    else
        collect_node(ev, e, out);
}

static void collect_node(Evaluation *ev, const Expr *e, FactList *out)
{
    switch ((ExprOp)e->op) {
    case E_FACT:
        list_add(ev, out, e->slot);
        return;
    case E_LET:
        add_all(ev, out, cached_missing(ev, (uint32_t)e->slot, NULL));
        return;
    case E_LITERAL:
    case E_NAME:
    case E_TODAY:
    case E_IS_KNOWN:
    case E_IS_UNKNOWN:
        return; /* never unknown, or unknown on purpose: no fact would decide it */
    case E_FIRST: {
        /* Only the first undecided condition can change the table's value by itself: the
         * branches after it, and its own value, matter only once it is decided. */
        uint32_t pairs = e->has_otherwise ? (e->nkids - 1) / 2 : e->nkids / 2;
        uint32_t taken = e->nkids; /* index of the value taken, if any */
        for (uint32_t i = 0; i < pairs && taken == e->nkids; i++) {
            Value c = eval_expr(ev, e->kids[2 * i]);
            if (val_is_false(c))
                continue;
            if (!val_is_known(c)) {
                collect_missing(ev, e->kids[2 * i], out);
                return;
            }
            taken = 2 * i + 1;
        }
        if (taken == e->nkids && e->has_otherwise)
            taken = e->nkids - 1;
        if (taken == e->nkids || val_is_known(eval_expr(ev, e->kids[taken])))
            return;
        uint32_t before = out->len;
        collect_missing(ev, e->kids[taken], out);
        /* The branch taken is unknown by itself (`otherwise: unknown` after `x is known`
         * tests): what would change the outcome are the facts those tests found absent. */
        if (out->len == before)
            for (uint32_t i = 0; i + 1 <= taken && i < 2 * pairs; i += 2)
                collect_known_tests(ev, e->kids[i], out);
        return;
    }
    default:
        for (uint32_t i = 0; i < e->nkids; i++)
            if (!val_is_known(eval_expr(ev, e->kids[i])))
                collect_missing(ev, e->kids[i], out);
        return;
    }
}

Missing eval_missing(Evaluation *ev, const Expr *const *exprs, uint32_t n)
{
    FactList l = {0};
    for (uint32_t i = 0; i < n; i++)
        if (exprs[i] && !val_is_known(eval_expr(ev, exprs[i])))
            collect_missing(ev, exprs[i], &l);
    Missing m = {ev->missing_len, l.len};
    while (ev->missing_len + l.len > ev->missing_cap) {
        ev->missing_cap *= 2;
        ev->missing_pool = kdr_realloc(ev->missing_pool, ev->missing_cap * sizeof(int32_t));
    }
    if (l.len)
        memcpy(ev->missing_pool + ev->missing_len, l.items, l.len * sizeof(int32_t));
    ev->missing_len += l.len;
    return m;
}

/* ---- results ---- */

static Timing requirement_timing(const Evaluation *ev, const RequirementDecl *req)
{
    if (ev->phase_position == -1 || req->n_phases == 0)
        return TIMING_NONE;
    bool earlier = false;
    for (uint32_t i = 0; i < req->n_phases; i++) {
        int32_t pos = req->phase_index[i];
        if (pos == -2 || pos == ev->phase_position)
            return TIMING_NOW;
        if (pos >= 0 && ev->phase_position >= 0 && pos < ev->phase_position)
            earlier = true;
    }
    if (ev->phase_position == -2)
        return TIMING_NONE;
    return earlier ? TIMING_OVERDUE : TIMING_AHEAD;
}

static void evaluate_requirement(Evaluation *ev, const RequirementDecl *req, RequirementResult *out)
{
    Value applies = req->applies_when ? eval_expr(ev, req->applies_when) : val_bool(true);
    out->status = val_is_true(applies) ? ST_APPLIES : val_is_false(applies) ? ST_NOT_APPLICABLE : ST_UNDETERMINED;
    out->missing = (Missing){ev->missing_len, 0};
    if (out->status == ST_UNDETERMINED) {
        const Expr *cond = req->applies_when;
        out->missing = eval_missing(ev, &cond, 1);
    }
    out->from = req->in_force_from ? eval_expr(ev, req->in_force_from) : val_unknown();
    out->until = req->in_force_until ? eval_expr(ev, req->in_force_until) : val_unknown();
    /* in force = started and not ended, in three-valued logic */
    Value started = !req->in_force_from ? val_bool(true)
                    : val_is_known(out->from) ? val_bool(out->from.as.date <= ev->today) : val_unknown();
    Value not_ended = !req->in_force_until ? val_bool(true)
                      : val_is_known(out->until) ? val_bool(ev->today < out->until.as.date) : val_unknown();
    if (val_is_false(started) || val_is_false(not_ended))
        out->in_force = val_bool(false);
    else if (val_is_known(started) && val_is_known(not_ended))
        out->in_force = val_bool(true);
    else
        out->in_force = val_unknown();
    out->in_force_missing = (Missing){ev->missing_len, 0};
    if (!val_is_known(out->in_force)) {
        const Expr *dates[2] = {req->in_force_from, req->in_force_until};
        out->in_force_missing = eval_missing(ev, dates, 2);
    }
    out->timing = out->status == ST_NOT_APPLICABLE ? TIMING_NONE : (uint8_t)requirement_timing(ev, req);
}

static void evaluate_procedure(Evaluation *ev, const ProcedureDecl *proc, ProcedureResult *out)
{
    Value required = proc->required_when ? eval_expr(ev, proc->required_when) : val_bool(true);
    out->status = val_is_true(required) ? ST_APPLIES : val_is_false(required) ? ST_NOT_APPLICABLE : ST_UNDETERMINED;
    out->route = -1;
    out->route_undetermined = false;
    uint32_t undecided_up_to = 0;
    if (out->status != ST_NOT_APPLICABLE) {
        for (uint32_t i = 0; i < proc->n_routes; i++) {
            Value c = proc->routes[i].when ? eval_expr(ev, proc->routes[i].when) : val_bool(true);
            if (val_is_true(c)) {
                out->route = (int32_t)i;
                break;
            }
            if (!val_is_known(c)) {
                out->route_undetermined = true;
                undecided_up_to = i + 1;
                break;
            }
        }
    }
    out->again = proc->again_when ? eval_expr(ev, proc->again_when) : val_bool(false);
    /* Missing: what decides whether it is required, the route, and whether it is needed again. */
    const Expr *conds[3];
    uint32_t n = 0;
    if (out->status == ST_UNDETERMINED)
        conds[n++] = proc->required_when;
    if (undecided_up_to)
        conds[n++] = proc->routes[undecided_up_to - 1].when;
    if (out->status != ST_NOT_APPLICABLE && !val_is_known(out->again))
        conds[n++] = proc->again_when;
    out->missing = n ? eval_missing(ev, conds, n) : (Missing){ev->missing_len, 0};
}

static void evaluate_conclusion(Evaluation *ev)
{
    const Program *p = ev->program;
    ev->conclusion = -1;
    ev->conclusion_undetermined = false;
    uint32_t undecided = 0, first_unknown = 0;
    for (uint32_t i = 0; i < p->n_conclusions; i++) {
        Value v = p->conclusions[i]->when ? eval_expr(ev, p->conclusions[i]->when) : val_unknown();
        if (val_is_true(v)) {
            if (!undecided)
                ev->conclusion = (int32_t)i;
            break;
        }
        if (!val_is_known(v)) {
            if (!undecided)
                first_unknown = i;
            undecided++;
        }
    }
    ev->conclusion_missing = (Missing){ev->missing_len, 0};
    if (undecided) {
        /* As in a first-match table: the first undecided condition is what must be known next. */
        ev->conclusion_undetermined = true;
        const Expr *cond = p->conclusions[first_unknown]->when;
        ev->conclusion_missing = eval_missing(ev, &cond, 1);
    }
}

void evaluate(Evaluation *ev, const Facts *facts, int32_t today)
{
    const Program *p = ev->program;
    ev->facts = facts;
    ev->today = today;
    ev->epoch++;
    if (ev->epoch == 0) { /* wrapped: forget all cached definitions once */
        memset(ev->let_epoch, 0, (p->n_lets + p->n_memos) * sizeof(uint32_t));
        memset(ev->let_missing_epoch, 0, (p->n_lets + p->n_memos) * sizeof(uint32_t));
        ev->epoch = 1;
    }
    ev->missing_len = 0;
    arena_reset(&ev->scratch);

    ev->phase = val_unknown();
    ev->phase_position = -1;
    if (p->lifecycle && p->lifecycle->current) {
        ev->phase = eval_expr(ev, p->lifecycle->current);
        if (ev->phase.kind == V_STRING) {
            int32_t pos = program_phase_position(p, ev->phase.as.str);
            ev->phase_position = pos;
        }
    }
    for (uint32_t i = 0; i < p->n_labels; i++)
        ev->labels[i] = let_value(ev, p->label_lets[i]);
    for (uint32_t i = 0; i < p->n_requirements; i++)
        evaluate_requirement(ev, p->requirements[i], &ev->requirements[i]);
    for (uint32_t i = 0; i < p->n_procedures; i++)
        evaluate_procedure(ev, p->procedures[i], &ev->procedures[i]);
    evaluate_conclusion(ev);
    for (uint32_t i = 0; i < p->n_warnings; i++)
        ev->warnings[i] = val_is_true(eval_expr(ev, p->warnings[i]->when));
}

const char *status_name(ResultStatus s, bool procedure)
{
    switch (s) {
    case ST_APPLIES: return procedure ? "required" : "applies";
    case ST_NOT_APPLICABLE: return procedure ? "not-required" : "not-applicable";
    case ST_UNDETERMINED: return "undetermined";
    }
    return "?";
}

const char *timing_name(Timing t)
{
    switch (t) {
    case TIMING_NONE: return NULL;
    case TIMING_NOW: return "now";
    case TIMING_OVERDUE: return "overdue";
    case TIMING_AHEAD: return "ahead";
    }
    return NULL;
}
