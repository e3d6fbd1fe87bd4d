/* eval.c — the evaluator: Kleene three-valued logic over facts and lazily cached definitions,
 * first-match tables, requirement/procedure/conclusion results and their missing facts. */
#include "eval.h"

#include <string.h>

/* A list of missing facts being built: fact indices in the order the rules consult them, and
 * a bit per fact so that each is listed once. Lists are built inside one another (a condition's
 * list needs its definitions' lists first), one level each; the levels are kept and reused from
 * system to system, so an evaluation allocates nothing once they have grown. */
typedef struct MissingBuild {
    int32_t *items;
    uint32_t len, cap;
    uint64_t *seen; /* [fact_words] */
} MissingBuild;

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
    uint32_t cached = p->n_lets + p->n_memos + 1; /* Expr.memo is already offset by n_lets */
    ev->let_values = kdr_calloc(cached, sizeof(Value));
    ev->let_epoch = kdr_calloc(cached, sizeof(uint32_t));
    ev->slot_missing = kdr_calloc(cached, sizeof(Missing));
    ev->slot_missing_epoch = kdr_calloc(cached, sizeof(uint32_t));
    ev->fact_words = p->n_facts / 64 + 1;
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
    kdr_free(ev->slot_missing);
    kdr_free(ev->slot_missing_epoch);
    for (uint32_t i = 0; i < ev->cap_builds; i++) {
        kdr_free(ev->builds[i].items);
        kdr_free(ev->builds[i].seen);
    }
    kdr_free(ev->builds);
    kdr_free(ev->missing_pool);
    arena_free(&ev->scratch);
    memset(ev, 0, sizeof *ev);
}

/* ---- expressions ---- */

static Value eval_node(Evaluation *ev, const Expr *e);
static Value eval_let(Evaluation *ev, const Expr *e);
static Value eval_memo(Evaluation *ev, const Expr *e);
static inline Value value_of(Evaluation *ev, const Expr *e);

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
    Value acc = value_of(ev, e->kids[0]);
    if (!val_is_known(acc))
        return acc;
    switch ((BuiltinFn)e->fn) {
    case FN_COUNT:
        return val_number(acc.as.set->len);
    case FN_UNION:
        for (uint32_t i = 1; i < e->nkids; i++) {
            Value v = value_of(ev, e->kids[i]);
            if (!val_is_known(v))
                return v;
            acc = val_set(set_union(&ev->scratch, acc.as.set, v.as.set));
        }
        return acc;
    case FN_MIN:
    case FN_MAX:
        for (uint32_t i = 1; i < e->nkids; i++) {
            Value v = value_of(ev, e->kids[i]);
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

/* The less frequent operators, kept out of eval_node so that its frame stays small: every
 * compound node of every condition passes through eval_node. */
__attribute__((noinline)) static Value eval_general(Evaluation *ev, const Expr *e)
{
    Value a, b;
    switch ((ExprOp)e->op) {
    case E_NAME: /* never after resolution */
        return val_unknown();
    case E_LITERAL: case E_FACT: case E_LET: case E_AND: case E_OR: case E_NOT: /* eval_node's */
    case E_IN: case E_INTERSECTS: case E_IS_KNOWN: case E_IS_UNKNOWN: case E_EQ: case E_NE: case E_FIRST:
        return eval_node(ev, e);
    case E_TODAY:
        return val_date(ev->today);
    case E_LT:
    case E_LE:
    case E_GT:
    case E_GE: {
        a = value_of(ev, e->kids[0]);
        b = value_of(ev, e->kids[1]);
        if (!val_is_known(a) || !val_is_known(b) || a.kind != b.kind)
            return val_unknown();
        int c = order(a, b);
        bool r = e->op == E_LT ? c < 0 : e->op == E_LE ? c <= 0 : e->op == E_GT ? c > 0 : c >= 0;
        return val_bool(r);
    }
    case E_NOT_IN:
        a = membership(value_of(ev, e->kids[0]), value_of(ev, e->kids[1]));
        return val_is_known(a) ? val_bool(!a.as.b) : a;
    case E_IN_RANGE: {
        Value x = value_of(ev, e->kids[0]);
        Value lo = value_of(ev, e->kids[1]);
        Value hi = value_of(ev, e->kids[2]);
        if (!val_is_known(x) || !val_is_known(lo) || !val_is_known(hi) || x.kind != lo.kind || x.kind != hi.kind)
            return val_unknown();
        return val_bool(order(lo, x) <= 0 && order(x, hi) <= 0);
    }
    case E_SET: {
        if (e->lit.kind == V_SET) /* all its members are literals: built once, at load */
            return e->lit;
        const char **items = arena_alloc(&ev->scratch, (e->nkids + 1) * sizeof(char *));
        for (uint32_t i = 0; i < e->nkids; i++) {
            a = value_of(ev, e->kids[i]);
            if (!val_is_known(a))
                return a;
            items[i] = a.as.str;
        }
        return val_set(set_build(&ev->scratch, items, e->nkids));
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
        ev->let_values[slot] = value_of(ev, ev->program->lets[slot]->body);
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
    ev->let_values[e->memo] = eval_node(ev, e);
    ev->let_epoch[e->memo] = ev->epoch;
    return ev->let_values[e->memo];
}

/* The value of any expression. What needs no work (a fact, a literal, a definition or shared
 * subexpression already computed) is read here, inline in every caller; only the rest pays
 * for a call. */
static inline Value value_of(Evaluation *ev, const Expr *e)
{
    switch ((ExprOp)e->op) {
    case E_FACT:
        return ev->facts->values[e->slot];
    case E_LITERAL:
        return e->lit;
    case E_LET:
        if (ev->let_epoch[e->slot] == ev->epoch)
            return ev->let_values[e->slot];
        return eval_let(ev, e);
    default:
        if (e->memo < 0)
            return eval_node(ev, e);
        if (ev->let_epoch[e->memo] == ev->epoch)
            return ev->let_values[e->memo];
        return eval_memo(ev, e);
    }
}

Value eval_expr(Evaluation *ev, const Expr *e)
{
    return value_of(ev, e);
}

/* e's value computed from its operands (value_of looks in the caches first). */
__attribute__((noinline)) static Value eval_node(Evaluation *ev, const Expr *e)
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
        a = value_of(ev, e->kids[0]);
        if (val_is_false(a))
            return a;
        b = value_of(ev, e->kids[1]);
        if (val_is_false(b))
            return b;
        return val_is_known(a) && val_is_known(b) ? val_bool(true) : val_unknown();
    case E_OR:
        a = value_of(ev, e->kids[0]);
        if (val_is_true(a))
            return a;
        b = value_of(ev, e->kids[1]);
        if (val_is_true(b))
            return b;
        return val_is_known(a) && val_is_known(b) ? val_bool(false) : val_unknown();
    case E_NOT:
        a = value_of(ev, e->kids[0]);
        return val_is_known(a) ? val_bool(!a.as.b) : a;
    case E_IS_KNOWN:
        return val_bool(val_is_known(value_of(ev, e->kids[0])));
    case E_IS_UNKNOWN:
        return val_bool(!val_is_known(value_of(ev, e->kids[0])));
    case E_INTERSECTS:
        a = value_of(ev, e->kids[0]);
        b = value_of(ev, e->kids[1]);
        if (!val_is_known(a) || !val_is_known(b))
            return val_unknown();
        return val_bool(set_intersects(a.as.set, b.as.set));
    case E_IN:
        return membership(value_of(ev, e->kids[0]), value_of(ev, e->kids[1]));
    case E_EQ:
    case E_NE:
        a = value_of(ev, e->kids[0]);
        b = value_of(ev, e->kids[1]);
        if (!val_is_known(a) || !val_is_known(b))
            return val_unknown();
        if (a.kind == V_STRING && b.kind == V_STRING) /* the common case: a fact against a literal */
            return val_bool((a.as.str == b.as.str || strcmp(a.as.str, b.as.str) == 0) == (e->op == E_EQ));
        return val_bool(val_equal(a, b) == (e->op == E_EQ));
    case E_FIRST: {
        uint32_t pairs = e->has_otherwise ? (e->nkids - 1) / 2 : e->nkids / 2;
        for (uint32_t i = 0; i < pairs; i++) {
            a = value_of(ev, e->kids[2 * i]);
            if (val_is_true(a))
                return value_of(ev, e->kids[2 * i + 1]);
            if (!val_is_known(a))
                return val_unknown(); /* an undecided branch before the match decides nothing */
        }
        return e->has_otherwise ? value_of(ev, e->kids[e->nkids - 1]) : val_unknown();
    }
    default:
        return eval_general(ev, e);
    }
}

/* ---- missing facts ---- */

static uint32_t build_begin(Evaluation *ev)
{
    if (ev->n_builds == ev->cap_builds) {
        uint32_t cap = ev->cap_builds ? ev->cap_builds * 2 : 8;
        ev->builds = kdr_realloc(ev->builds, cap * sizeof *ev->builds);
        for (uint32_t i = ev->cap_builds; i < cap; i++)
            ev->builds[i] = (MissingBuild){.seen = kdr_calloc(ev->fact_words, sizeof(uint64_t))};
        ev->cap_builds = cap;
    }
    return ev->n_builds++;
}

static void build_add(Evaluation *ev, uint32_t level, int32_t fact)
{
    MissingBuild *b = &ev->builds[level];
    uint64_t bit = (uint64_t)1 << (fact & 63);
    if (b->seen[fact >> 6] & bit)
        return;
    b->seen[fact >> 6] |= bit;
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->items = kdr_realloc(b->items, b->cap * sizeof(int32_t));
    }
    b->items[b->len++] = fact;
}

static void build_add_all(Evaluation *ev, uint32_t level, Missing m)
{
    for (uint32_t i = 0; i < m.len; i++)
        build_add(ev, level, ev->missing_pool[m.start + i]);
}

/* Moves the innermost list into the pool, where it stays for the rest of the evaluation. */
static Missing build_end(Evaluation *ev, uint32_t level)
{
    MissingBuild *b = &ev->builds[level];
    while (ev->missing_len + b->len > ev->missing_cap) {
        ev->missing_cap *= 2;
        ev->missing_pool = kdr_realloc(ev->missing_pool, ev->missing_cap * sizeof(int32_t));
    }
    Missing m = {ev->missing_len, b->len};
    for (uint32_t i = 0; i < b->len; i++) {
        ev->missing_pool[ev->missing_len++] = b->items[i];
        b->seen[b->items[i] >> 6] = 0;
    }
    b->len = 0;
    ev->n_builds--;
    return m;
}

static void collect_missing(Evaluation *ev, const Expr *e, uint32_t level);
static void collect_node(Evaluation *ev, const Expr *e, uint32_t level);

/* The facts that decide an unknown definition (or shared subexpression: `node`), computed once
 * per evaluation: many results share the same definitions (the label groups), so this keeps
 * undetermined systems fast. */
static Missing cached_missing(Evaluation *ev, uint32_t slot, const Expr *node)
{
    if (ev->slot_missing_epoch[slot] != ev->epoch) {
        uint32_t level = build_begin(ev);
        if (node)
            collect_node(ev, node, level);
        else
            collect_missing(ev, ev->program->lets[slot]->body, level);
        ev->slot_missing[slot] = build_end(ev, level);
        ev->slot_missing_epoch[slot] = ev->epoch;
    }
    return ev->slot_missing[slot];
}

/* The unknown operands of the `is known` / `is unknown` tests in a condition. */
static void collect_known_tests(Evaluation *ev, const Expr *e, uint32_t out)
{
    if (e->op == E_IS_KNOWN || e->op == E_IS_UNKNOWN) {
        if (!val_is_known(value_of(ev, e->kids[0])))
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
static void collect_missing(Evaluation *ev, const Expr *e, uint32_t out)
{
    if (e->memo >= 0)
        build_add_all(ev, out, cached_missing(ev, (uint32_t)e->memo, e));
    else
        collect_node(ev, e, out);
}

static void collect_node(Evaluation *ev, const Expr *e, uint32_t out)
{
    switch ((ExprOp)e->op) {
    case E_FACT:
        build_add(ev, out, e->slot);
        return;
    case E_LET:
        build_add_all(ev, out, cached_missing(ev, (uint32_t)e->slot, NULL));
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
            Value c = value_of(ev, e->kids[2 * i]);
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
        if (taken == e->nkids || val_is_known(value_of(ev, e->kids[taken])))
            return;
        uint32_t before = ev->builds[out].len;
        collect_missing(ev, e->kids[taken], out);
        /* The branch taken is unknown by itself (`otherwise: unknown` after `x is known`
         * tests): what would change the outcome are the facts those tests found absent. */
        if (ev->builds[out].len == before)
            for (uint32_t i = 0; i + 1 <= taken && i < 2 * pairs; i += 2)
                collect_known_tests(ev, e->kids[i], out);
        return;
    }
    default:
        for (uint32_t i = 0; i < e->nkids; i++)
            if (!val_is_known(value_of(ev, e->kids[i])))
                collect_missing(ev, e->kids[i], out);
        return;
    }
}

Missing eval_missing(Evaluation *ev, const Expr *const *exprs, uint32_t n)
{
    /* Most results hang on one definition or shared condition: its list serves as it is. */
    const Expr *only = NULL;
    uint32_t unknown = 0;
    for (uint32_t i = 0; i < n; i++)
        if (exprs[i] && !val_is_known(value_of(ev, exprs[i]))) {
            only = exprs[i];
            unknown++;
        }
    if (unknown == 0)
        return (Missing){ev->missing_len, 0};
    if (unknown == 1 && only->op == E_LET)
        return cached_missing(ev, (uint32_t)only->slot, NULL);
    if (unknown == 1 && only->memo >= 0)
        return cached_missing(ev, (uint32_t)only->memo, only);
    uint32_t level = build_begin(ev);
    for (uint32_t i = 0; i < n; i++)
        if (exprs[i] && !val_is_known(value_of(ev, exprs[i])))
            collect_missing(ev, exprs[i], level);
    return build_end(ev, level);
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
    Value applies = req->applies_when ? value_of(ev, req->applies_when) : val_bool(true);
    out->status = val_is_true(applies) ? ST_APPLIES : val_is_false(applies) ? ST_NOT_APPLICABLE : ST_UNDETERMINED;
    out->missing = (Missing){ev->missing_len, 0};
    if (out->status == ST_UNDETERMINED) {
        const Expr *cond = req->applies_when;
        out->missing = eval_missing(ev, &cond, 1);
    }
    out->from = req->in_force_from ? value_of(ev, req->in_force_from) : val_unknown();
    out->until = req->in_force_until ? value_of(ev, req->in_force_until) : val_unknown();
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
    Value required = proc->required_when ? value_of(ev, proc->required_when) : val_bool(true);
    out->status = val_is_true(required) ? ST_APPLIES : val_is_false(required) ? ST_NOT_APPLICABLE : ST_UNDETERMINED;
    out->route = -1;
    out->route_undetermined = false;
    uint32_t undecided_up_to = 0;
    if (out->status != ST_NOT_APPLICABLE) {
        for (uint32_t i = 0; i < proc->n_routes; i++) {
            Value c = proc->routes[i].when ? value_of(ev, proc->routes[i].when) : val_bool(true);
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
    out->again = proc->again_when ? value_of(ev, proc->again_when) : val_bool(false);
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

/* The conclusions form a first-match table: the first that holds is reached, unless an earlier
 * one is undecided; then the conclusion is undetermined, whatever follows, and that condition
 * is what must be known next. So the walk stops at the first condition that is not false. */
static void evaluate_conclusion(Evaluation *ev)
{
    const Program *p = ev->program;
    ev->conclusion = -1;
    ev->conclusion_undetermined = false;
    ev->conclusion_missing = (Missing){ev->missing_len, 0};
    for (uint32_t i = 0; i < p->n_conclusions; i++) {
        const Expr *cond = p->conclusions[i]->when;
        Value v = cond ? value_of(ev, cond) : val_unknown();
        if (val_is_true(v)) {
            ev->conclusion = (int32_t)i;
            return;
        }
        if (!val_is_known(v)) {
            ev->conclusion_undetermined = true;
            ev->conclusion_missing = eval_missing(ev, &cond, 1);
            return;
        }
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
        memset(ev->slot_missing_epoch, 0, (p->n_lets + p->n_memos) * sizeof(uint32_t));
        ev->epoch = 1;
    }
    ev->missing_len = 0;
    arena_reset(&ev->scratch);

    ev->phase = val_unknown();
    ev->phase_position = -1;
    if (p->lifecycle && p->lifecycle->current) {
        ev->phase = value_of(ev, p->lifecycle->current);
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
        ev->warnings[i] = val_is_true(value_of(ev, p->warnings[i]->when));
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
