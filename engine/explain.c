/* explain.c — `kader explain`'s engine: rebuilds a result's conditions as trees of evaluated nodes,
 * marks the parts that decided the outcome, and writes them as indented text or as JSON (schema
 * in docs/ASK-EXPLAIN.md). Also the expression printer: the tree is printed from the AST, not
 * sliced from the source, so what is shown is what was evaluated. */
#include "explain.h"

#include <string.h>

#include "json.h"

/* ---- printing expressions ---- */

/* Binding strength in the grammar: or < and < not < comparisons < operands. A comparison's
 * sides are operands, so anything looser inside one needs parentheses. */
enum { PREC_OR = 1, PREC_AND, PREC_NOT, PREC_CMP, PREC_OPERAND };

static int expr_prec(const Expr *e)
{
    switch ((ExprOp)e->op) {
    case E_OR: return PREC_OR;
    case E_AND: return PREC_AND;
    case E_NOT: return PREC_NOT;
    case E_EQ: case E_NE: case E_LT: case E_LE: case E_GT: case E_GE:
    case E_IN: case E_NOT_IN: case E_IN_RANGE: case E_INTERSECTS:
    case E_IS_KNOWN: case E_IS_UNKNOWN:
        return PREC_CMP;
    default:
        return PREC_OPERAND;
    }
}

/* The operator as the language writes it, also the "op" of a JSON node. */
static const char *op_name(const Expr *e)
{
    switch ((ExprOp)e->op) {
    case E_LITERAL: return "literal";
    case E_NAME: return "name";
    case E_FACT: return "fact";
    case E_LET: return "definition";
    case E_TODAY: return "today";
    case E_AND: return "and";
    case E_OR: return "or";
    case E_NOT: return "not";
    case E_EQ: return "==";
    case E_NE: return "!=";
    case E_LT: return "<";
    case E_LE: return "<=";
    case E_GT: return ">";
    case E_GE: return ">=";
    case E_IN: return "in";
    case E_NOT_IN: return "not in";
    case E_IN_RANGE: return "in range";
    case E_INTERSECTS: return "intersects";
    case E_IS_KNOWN: return "is known";
    case E_IS_UNKNOWN: return "is unknown";
    case E_SET: return "set";
    case E_FIRST: return "first";
    case E_CALL: return "call";
    }
    return "?";
}

static const char *function_name(const Expr *e)
{
    switch ((BuiltinFn)e->fn) {
    case FN_COUNT: return "count";
    case FN_UNION: return "union";
    case FN_MIN: return "min";
    case FN_MAX: return "max";
    case FN_NONE: break;
    }
    return e->path_len ? e->path[0] : "?";
}

static void print_expr(Buf *b, const Program *p, const Expr *e, int min_prec)
{
    bool paren = expr_prec(e) < min_prec;
    if (paren)
        buf_putc(b, '(');
    switch ((ExprOp)e->op) {
    case E_LITERAL:
        value_format(b, e->lit);
        break;
    case E_NAME:
        for (uint32_t i = 0; i < e->path_len; i++)
            buf_printf(b, "%s%s", i ? "." : "", e->path[i]);
        break;
    case E_FACT:
        buf_puts(b, p->facts[e->slot]->name);
        break;
    case E_LET:
        buf_puts(b, p->lets[e->slot]->name);
        break;
    case E_TODAY:
        buf_puts(b, "today");
        break;
    case E_OR:
    case E_AND: /* left-associative: a parenthesised right operand of the same operator stays */
        print_expr(b, p, e->kids[0], expr_prec(e));
        buf_printf(b, " %s ", op_name(e));
        print_expr(b, p, e->kids[1], expr_prec(e) + 1);
        break;
    case E_NOT:
        buf_puts(b, "not ");
        print_expr(b, p, e->kids[0], PREC_NOT);
        break;
    case E_IS_KNOWN:
    case E_IS_UNKNOWN:
        print_expr(b, p, e->kids[0], PREC_OPERAND);
        buf_printf(b, " %s", op_name(e));
        break;
    case E_IN_RANGE:
        print_expr(b, p, e->kids[0], PREC_OPERAND);
        buf_puts(b, " in ");
        print_expr(b, p, e->kids[1], PREC_OPERAND);
        buf_puts(b, "..");
        print_expr(b, p, e->kids[2], PREC_OPERAND);
        break;
    case E_EQ: case E_NE: case E_LT: case E_LE: case E_GT: case E_GE:
    case E_IN: case E_NOT_IN: case E_INTERSECTS:
        print_expr(b, p, e->kids[0], PREC_OPERAND);
        buf_printf(b, " %s ", op_name(e));
        print_expr(b, p, e->kids[1], PREC_OPERAND);
        break;
    case E_SET:
        buf_putc(b, '{');
        for (uint32_t i = 0; i < e->nkids; i++) {
            if (i)
                buf_puts(b, ", ");
            print_expr(b, p, e->kids[i], 0);
        }
        buf_putc(b, '}');
        break;
    case E_CALL:
        buf_printf(b, "%s(", function_name(e));
        for (uint32_t i = 0; i < e->nkids; i++) {
            if (i)
                buf_puts(b, ", ");
            print_expr(b, p, e->kids[i], 0);
        }
        buf_putc(b, ')');
        break;
    case E_FIRST: {
        uint32_t pairs = e->has_otherwise ? (e->nkids - 1) / 2 : e->nkids / 2;
        buf_puts(b, "first {");
        for (uint32_t i = 0; i < pairs; i++) {
            buf_puts(b, " when ");
            print_expr(b, p, e->kids[2 * i], 0);
            buf_puts(b, ": ");
            print_expr(b, p, e->kids[2 * i + 1], 0);
        }
        if (e->has_otherwise) {
            buf_puts(b, " otherwise: ");
            print_expr(b, p, e->kids[e->nkids - 1], 0);
        }
        buf_puts(b, " }");
        break;
    }
    }
    if (paren)
        buf_putc(b, ')');
}

void expr_print(Buf *b, const Program *p, const Expr *e)
{
    print_expr(b, p, e, 0);
}

const char *fact_origin(Arena *a, const Facts *facts, const Sources *sources, int32_t fact)
{
    const FactOrigin *o = &facts->origins[fact];
    switch ((FactOriginKind)o->kind) {
    case ORIGIN_FILE: {
        const SourceFile *sf = sources_get(sources, o->loc.file);
        if (!sf)
            return "facts file";
        int line, col;
        source_line_col(sf, o->loc.start, &line, &col);
        return arena_printf(a, "%s:%d", sf->name, line);
    }
    case ORIGIN_SET:
        return "--set";
    case ORIGIN_DEFAULT:
        return "default";
    case ORIGIN_NONE:
        break;
    }
    return NULL;
}

/* ---- the evaluated tree ---- */

typedef enum NodeKind { NK_EXPR, NK_FACT, NK_LET, NK_FIRST } NodeKind;
typedef enum BranchState { BR_FALSE, BR_TAKEN, BR_UNDECIDED, BR_NOT_REACHED } BranchState;

typedef struct Node Node;

/* A branch of a first-match table or of a procedure's route table. */
typedef struct Branch {
    const Expr *when;     /* NULL: otherwise */
    const Expr *then;     /* the branch's value; NULL in a route table */
    const Route *route;   /* route tables */
    uint8_t state;        /* BranchState */
    Node *when_node, *then_node; /* built only for the branches the evaluation reached */
} Branch;

struct Node {
    uint8_t kind;   /* NodeKind */
    bool local;     /* decides its parent's value (the whole path to the root must, to decide the result) */
    bool repeated;  /* NK_LET: the definition was expanded earlier in the same tree */
    bool collapsed; /* decided nothing, so shown without its parts (unless the full tree is asked) */
    const Expr *e;
    Value value;
    Node **kids;
    uint32_t nkids;
    Branch *branches; /* NK_FIRST */
    uint32_t nbranches;
};

typedef struct Explainer {
    Evaluation *ev;
    const Program *p;
    Arena arena;        /* nodes and texts, freed when the explanation is written */
    uint32_t tree;      /* number of the tree being built */
    uint32_t *let_tree; /* per definition: the tree that expanded it last */
    Node **let_node;    /* per definition: the node that expanded it in that tree */
    uint32_t walk;      /* number of the deciding-facts walk */
    uint32_t *fact_walk, *let_walk;
    bool color;
    bool full;          /* expand the parts that decided nothing too */
    const char *source; /* the facts file explained, named once and then by line only */
} Explainer;

/* Does a child with value `kid` decide the value `v` of its parent (operator op)? The false
 * operands decide a false `and`; every operand decides a true one; the unknown operands decide an
 * unknown one. Mirrored for `or`. An operator that is unknown is decided by its unknown operands. */
static bool kid_decides(uint8_t op, Value v, Value kid)
{
    switch ((ExprOp)op) {
    case E_AND:
        if (val_is_false(v))
            return val_is_false(kid);
        return val_is_true(v) || !val_is_known(kid);
    case E_OR:
        if (val_is_true(v))
            return val_is_true(kid);
        return val_is_false(v) || !val_is_known(kid);
    case E_IS_KNOWN:
    case E_IS_UNKNOWN:
        return true;
    default:
        return val_is_known(v) || !val_is_known(kid);
    }
}

static Node *node_new(Explainer *x, NodeKind kind, const Expr *e, Value v)
{
    Node *n = arena_alloc(&x->arena, sizeof *n);
    n->kind = (uint8_t)kind;
    n->e = e;
    n->value = v;
    return n;
}

static uint32_t chain_count(const Expr *e, uint8_t op)
{
    return e->op == op ? chain_count(e->kids[0], op) + chain_count(e->kids[1], op) : 1;
}

static void chain_fill(const Expr *e, uint8_t op, const Expr **out, uint32_t *n)
{
    if (e->op == op) {
        chain_fill(e->kids[0], op, out, n);
        chain_fill(e->kids[1], op, out, n);
    } else {
        out[(*n)++] = e;
    }
}

static Node *build(Explainer *x, const Expr *e, bool decides);

static Node *build_first(Explainer *x, const Expr *e, Value v, bool decides)
{
    Node *n = node_new(x, NK_FIRST, e, v);
    uint32_t pairs = e->has_otherwise ? (e->nkids - 1) / 2 : e->nkids / 2;
    n->nbranches = pairs + (e->has_otherwise ? 1 : 0);
    n->branches = arena_alloc(&x->arena, n->nbranches * sizeof(Branch));
    bool reached = true;
    for (uint32_t i = 0; i < n->nbranches; i++) {
        Branch *b = &n->branches[i];
        bool otherwise = i == pairs;
        b->when = otherwise ? NULL : e->kids[2 * i];
        b->then = otherwise ? e->kids[e->nkids - 1] : e->kids[2 * i + 1];
        if (!reached) {
            b->state = BR_NOT_REACHED;
            continue;
        }
        Value c = val_bool(true);
        if (b->when) {
            b->when_node = build(x, b->when, decides);
            b->when_node->local = true;
            c = b->when_node->value;
        }
        if (val_is_true(c)) {
            b->state = BR_TAKEN;
            b->then_node = build(x, b->then, decides);
            b->then_node->local = true;
            reached = false;
        } else if (!val_is_known(c)) {
            b->state = BR_UNDECIDED;
            reached = false;
        } else {
            b->state = BR_FALSE;
        }
    }
    return n;
}

/* Builds the node of e. decides: the node decides the result (its whole path to the root does).
 * Unless the whole tree is wanted, a part that decided nothing is shown by its value alone. */
static Node *build(Explainer *x, const Expr *e, bool decides)
{
    Value v = eval_expr(x->ev, e);
    if (!decides && !x->full && e->op != E_FACT && e->op != E_LITERAL) {
        Node *n = node_new(x, e->op == E_LET ? NK_LET : NK_EXPR, e, v);
        n->collapsed = true;
        return n;
    }
    switch ((ExprOp)e->op) {
    case E_FACT:
        return node_new(x, NK_FACT, e, v);
    case E_LET: {
        Node *n = node_new(x, NK_LET, e, v);
        if (x->let_tree[e->slot] == x->tree) {
            n->repeated = true;
            return n;
        }
        x->let_tree[e->slot] = x->tree;
        x->let_node[e->slot] = n;
        n->kids = arena_alloc(&x->arena, sizeof(Node *));
        n->kids[0] = build(x, x->p->lets[e->slot]->body, decides);
        n->kids[0]->local = true;
        n->nkids = 1;
        return n;
    }
    case E_FIRST:
        return build_first(x, e, v, decides);
    case E_AND:
    case E_OR: {
        /* a and b and c is one node with three operands: the grammar nests them, people don't */
        Node *n = node_new(x, NK_EXPR, e, v);
        uint32_t k = chain_count(e, e->op), filled = 0;
        const Expr **operands = arena_alloc(&x->arena, k * sizeof *operands);
        chain_fill(e, e->op, operands, &filled);
        n->kids = arena_alloc(&x->arena, k * sizeof(Node *));
        for (uint32_t i = 0; i < k; i++) {
            bool local = kid_decides(e->op, v, eval_expr(x->ev, operands[i]));
            Node *kid = build(x, operands[i], decides && local);
            kid->local = local;
            n->kids[n->nkids++] = kid;
        }
        return n;
    }
    default: {
        Node *n = node_new(x, NK_EXPR, e, v);
        if (e->nkids)
            n->kids = arena_alloc(&x->arena, e->nkids * sizeof(Node *));
        for (uint32_t i = 0; i < e->nkids; i++) {
            if (e->kids[i]->op == E_LITERAL)
                continue; /* shown in the parent's text; a node of its own says nothing more */
            bool local = kid_decides(e->op, v, eval_expr(x->ev, e->kids[i]));
            Node *kid = build(x, e->kids[i], decides && local);
            kid->local = local;
            n->kids[n->nkids++] = kid;
        }
        return n;
    }
    }
}

/* A new tree: definitions are expanded once in each. */
static Node *build_tree(Explainer *x, const Expr *e)
{
    x->tree++;
    Node *root = build(x, e, true);
    root->local = true;
    return root;
}

/* The route table of a procedure, as first-match branches, following evaluate_procedure. */
static Node *build_routes(Explainer *x, const ProcedureDecl *proc, const ProcedureResult *r)
{
    x->tree++;
    Node *n = node_new(x, NK_FIRST, NULL, r->route >= 0 ? val_string(proc->routes[r->route].id) : val_unknown());
    n->local = true;
    n->nbranches = proc->n_routes;
    n->branches = arena_alloc(&x->arena, (proc->n_routes + 1) * sizeof(Branch));
    bool reached = r->status != ST_NOT_APPLICABLE;
    for (uint32_t i = 0; i < proc->n_routes; i++) {
        Branch *b = &n->branches[i];
        b->route = &proc->routes[i];
        b->when = proc->routes[i].when;
        if (!reached) {
            b->state = BR_NOT_REACHED;
            continue;
        }
        Value c = val_bool(true);
        if (b->when) {
            b->when_node = build(x, b->when, true);
            b->when_node->local = true;
            c = b->when_node->value;
        }
        b->state = val_is_true(c) ? BR_TAKEN : val_is_known(c) ? BR_FALSE : BR_UNDECIDED;
        if (b->state != BR_FALSE)
            reached = false;
    }
    return n;
}

/* ---- the facts that decided a tree ---- */

typedef struct FactList {
    int32_t *items;
    uint32_t len, cap;
} FactList;

static void fact_list_add(Explainer *x, FactList *l, int32_t fact)
{
    if (x->fact_walk[fact] == x->walk)
        return;
    x->fact_walk[fact] = x->walk;
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->items = kdr_realloc(l->items, l->cap * sizeof(int32_t));
    }
    l->items[l->len++] = fact;
}

static void collect_deciding(Explainer *x, const Node *n, FactList *out)
{
    switch ((NodeKind)n->kind) {
    case NK_FACT:
        fact_list_add(x, out, n->e->slot);
        return;
    case NK_LET: {
        if (x->let_walk[n->e->slot] == x->walk)
            return;
        x->let_walk[n->e->slot] = x->walk;
        /* a repeated definition decides through the body expanded where it first appeared */
        const Node *owner = n->repeated ? x->let_node[n->e->slot] : n;
        if (owner && owner->nkids)
            collect_deciding(x, owner->kids[0], out);
        return;
    }
    case NK_FIRST:
        for (uint32_t i = 0; i < n->nbranches; i++) {
            if (n->branches[i].when_node)
                collect_deciding(x, n->branches[i].when_node, out);
            if (n->branches[i].then_node)
                collect_deciding(x, n->branches[i].then_node, out);
        }
        return;
    case NK_EXPR:
        for (uint32_t i = 0; i < n->nkids; i++)
            if (n->kids[i]->local)
                collect_deciding(x, n->kids[i], out);
        return;
    }
}

/* Starts a walk: the facts collected until the next start are listed once. */
static void walk_start(Explainer *x)
{
    x->walk++;
}

/* ---- text ---- */

typedef struct Style {
    const char *bold, *dim, *green, *red, *yellow, *reset;
} Style;

static const Style plain = {"", "", "", "", "", ""};
static const Style colored = {"\033[1m", "\033[2m", "\033[32m", "\033[31m", "\033[33m", "\033[0m"};

static const Style *style(const Explainer *x)
{
    return x->color ? &colored : &plain;
}

static void text_value(const Explainer *x, Buf *b, Value v)
{
    const Style *s = style(x);
    const char *tint = val_is_true(v) ? s->green : val_is_false(v) ? s->red : !val_is_known(v) ? s->yellow : "";
    buf_puts(b, tint);
    value_format(b, v);
    if (*tint)
        buf_puts(b, s->reset);
}

static void indent(Buf *b, int depth, bool decides)
{
    for (int i = 0; i < depth; i++)
        buf_puts(b, "  ");
    buf_puts(b, decides ? "► " : "  ");
}

enum { SHORT_TEXT = 100 };

/* Whether an expression has parts worth showing below it (not only literals). */
static bool has_parts(const Expr *e)
{
    for (uint32_t i = 0; i < e->nkids; i++)
        if (e->kids[i]->op != E_LITERAL)
            return true;
    return false;
}

/* "text → value" and, for facts, where the value came from. A long and/or is named by its
 * operator (its operands follow on their own lines) unless the line is a root or a branch. */
static void node_line(Explainer *x, Buf *b, const Node *n, bool full)
{
    const Style *s = style(x);
    const Program *p = x->p;
    switch ((NodeKind)n->kind) {
    case NK_FACT: {
        buf_printf(b, "%s → ", p->facts[n->e->slot]->name);
        text_value(x, b, n->value);
        const char *origin = fact_origin(&x->arena, x->ev->facts, &p->sources, n->e->slot);
        buf_printf(b, "  %s(%s)%s", s->dim, origin ? origin : "not given", s->reset);
        return;
    }
    case NK_LET: {
        const LetDecl *let = p->lets[n->e->slot];
        buf_printf(b, "%s → ", let->name);
        text_value(x, b, n->value);
        if (n->repeated)
            buf_printf(b, "  %s(explained above)%s", s->dim, s->reset);
        else if (n->collapsed)
            buf_printf(b, "  %s…%s", s->dim, s->reset);
        return;
    }
    case NK_FIRST:
        buf_puts(b, "first-match table → ");
        text_value(x, b, n->value);
        return;
    case NK_EXPR:
        break;
    }
    if (n->e->op == E_LITERAL) {
        value_format(b, n->value);
        return;
    }
    Buf text = {0};
    expr_print(&text, p, n->e);
    if (!full && (n->e->op == E_AND || n->e->op == E_OR) && text.len > SHORT_TEXT)
        buf_printf(b, "%s (%u operands)", op_name(n->e), n->nkids);
    else if (!full && n->e->op == E_NOT && text.len > SHORT_TEXT)
        buf_puts(b, "not");
    else
        buf_puts(b, buf_str(&text));
    buf_free(&text);
    buf_puts(b, " → ");
    text_value(x, b, n->value);
    if (n->collapsed && has_parts(n->e))
        buf_printf(b, "  %s…%s", s->dim, s->reset);
}

static void text_node(Explainer *x, Buf *b, const Node *n, int depth, bool decides, const char *lead);

static void text_kids(Explainer *x, Buf *b, const Node *n, int depth, bool decides);

static void text_branches(Explainer *x, Buf *b, const Node *n, int depth, bool decides)
{
    const Style *s = style(x);
    for (uint32_t i = 0; i < n->nbranches; i++) {
        const Branch *br = &n->branches[i];
        bool reached = br->state != BR_NOT_REACHED;
        indent(b, depth, decides && reached);
        if (!reached) {
            Buf text = {0};
            if (br->when) {
                buf_puts(&text, "when ");
                expr_print(&text, x->p, br->when);
            } else {
                buf_puts(&text, "otherwise");
            }
            buf_puts(&text, ": ");
            if (br->route)
                buf_puts(&text, br->route->id);
            else
                expr_print(&text, x->p, br->then);
            buf_printf(b, "%s%s  (not reached)%s\n", s->dim, buf_str(&text), s->reset);
            buf_free(&text);
            continue;
        }
        if (br->when_node) {
            buf_puts(b, "when ");
            node_line(x, b, br->when_node, true);
        } else {
            buf_puts(b, "otherwise");
        }
        if (br->state == BR_TAKEN && br->route)
            buf_printf(b, "  %s(taken: route %s)%s", s->bold, br->route->id, s->reset);
        else if (br->state == BR_TAKEN)
            buf_printf(b, "  %s(taken)%s", s->bold, s->reset);
        else if (br->state == BR_UNDECIDED)
            buf_printf(b, "  %s(undecided: the table stops here)%s", s->yellow, s->reset);
        buf_putc(b, '\n');
        if (br->when_node)
            text_kids(x, b, br->when_node, depth + 1, decides);
        if (br->then_node)
            text_node(x, b, br->then_node, depth + 1, decides, "then ");
    }
}

static void text_kids(Explainer *x, Buf *b, const Node *n, int depth, bool decides)
{
    if (n->kind == NK_FIRST) {
        text_branches(x, b, n, depth, decides);
        return;
    }
    /* a definition that is a table: its branches right under its name */
    if (n->kind == NK_LET && n->nkids == 1 && n->kids[0]->kind == NK_FIRST) {
        text_branches(x, b, n->kids[0], depth, decides);
        return;
    }
    for (uint32_t i = 0; i < n->nkids; i++)
        text_node(x, b, n->kids[i], depth, decides && n->kids[i]->local, NULL);
}

static void text_node(Explainer *x, Buf *b, const Node *n, int depth, bool decides, const char *lead)
{
    indent(b, depth, decides);
    if (lead)
        buf_puts(b, lead);
    node_line(x, b, n, lead != NULL);
    buf_putc(b, '\n');
    text_kids(x, b, n, depth + 1, decides);
}

/* Where a fact came from, in a brief list: the line alone for the facts file being explained. */
static const char *brief_origin(Explainer *x, int32_t fact)
{
    const FactOrigin *o = &x->ev->facts->origins[fact];
    const SourceFile *sf = o->kind == ORIGIN_FILE ? sources_get(&x->p->sources, o->loc.file) : NULL;
    if (sf && x->source && strcmp(sf->name, x->source) == 0) {
        int line, col;
        source_line_col(sf, o->loc.start, &line, &col);
        return arena_printf(&x->arena, "line %d", line);
    }
    return fact_origin(&x->arena, x->ev->facts, &x->p->sources, fact);
}

/* "name = value (origin)" for each known fact, then the names of those not given. */
static void text_fact_list(Explainer *x, Buf *b, const FactList *l)
{
    const Style *s = style(x);
    uint32_t shown = 0;
    for (uint32_t i = 0; i < l->len; i++) {
        int32_t f = l->items[i];
        if (!val_is_known(x->ev->facts->values[f]))
            continue;
        buf_printf(b, "%s%s = ", shown++ ? ", " : "", x->p->facts[f]->name);
        text_value(x, b, x->ev->facts->values[f]);
        buf_printf(b, " %s(%s)%s", s->dim, brief_origin(x, f), s->reset);
    }
    bool header = false;
    for (uint32_t i = 0; i < l->len; i++) {
        int32_t f = l->items[i];
        if (val_is_known(x->ev->facts->values[f]))
            continue;
        buf_printf(b, "%s%s", header ? ", " : shown ? "; not given: " : "not given: ", x->p->facts[f]->name);
        header = true;
    }
}

static void text_missing(Explainer *x, Buf *b, Missing m, const char *indent_text)
{
    if (!m.len)
        return;
    buf_printf(b, "%smissing: ", indent_text);
    for (uint32_t i = 0; i < m.len; i++)
        buf_printf(b, "%s%s", i ? ", " : "", x->p->facts[x->ev->missing_pool[m.start + i]]->name);
    buf_putc(b, '\n');
}

/* The facts that decided a condition, collected from a freshly built tree. */
static void deciding_facts(Explainer *x, const Expr *cond, FactList *out)
{
    out->len = 0;
    if (!cond)
        return;
    Node *root = build_tree(x, cond);
    walk_start(x);
    collect_deciding(x, root, out);
}

/* For an undetermined result whose missing list is empty (an `unknown` written in the rules on
 * purpose stops the evaluator's search): the unknown facts among the parts that decided it. */
static void text_unknown_deciding(Explainer *x, Buf *b, const Expr *cond)
{
    FactList facts = {0};
    deciding_facts(x, cond, &facts);
    bool any = false;
    for (uint32_t i = 0; i < facts.len; i++) {
        if (val_is_known(x->ev->facts->values[facts.items[i]]))
            continue;
        buf_printf(b, "%s%s", any ? ", " : "  not given, and deciding: ", x->p->facts[facts.items[i]]->name);
        any = true;
    }
    if (any)
        buf_putc(b, '\n');
    kdr_free(facts.items);
}

static const char *status_reason(ResultStatus st, bool has_condition)
{
    if (!has_condition)
        return "it has no condition";
    return st == ST_APPLIES ? "the condition is true" : st == ST_NOT_APPLICABLE ? "the condition is false"
                                                                                 : "the condition is unknown";
}

static void text_in_force(Explainer *x, Buf *b, const RequirementResult *r)
{
    char date[11];
    buf_puts(b, "  in force: ");
    if (val_is_true(r->in_force)) {
        buf_puts(b, "yes");
        if (val_is_known(r->from)) {
            date_format(r->from.as.date, date);
            buf_printf(b, ", since %s", date);
        }
    } else if (val_is_false(r->in_force)) {
        if (val_is_known(r->from) && r->from.as.date > x->ev->today) {
            date_format(r->from.as.date, date);
            buf_printf(b, "not yet, from %s", date);
        } else if (val_is_known(r->until)) {
            date_format(r->until.as.date, date);
            buf_printf(b, "no longer, until %s", date);
        } else {
            buf_puts(b, "no");
        }
    } else {
        buf_puts(b, "unknown");
    }
    buf_putc(b, '\n');
}

static void text_requirement(Explainer *x, Buf *b, uint32_t i)
{
    const Program *p = x->p;
    const RequirementDecl *req = p->requirements[i];
    const RequirementResult *r = &x->ev->requirements[i];
    const Style *s = style(x);
    buf_printf(b, "%srequirement %s%s", s->bold, req->id, s->reset);
    if (req->title)
        buf_printf(b, " — %s", req->title);
    buf_printf(b, "\n  %s: %s\n", status_name((ResultStatus)r->status, false),
               status_reason((ResultStatus)r->status, req->applies_when != NULL));
    if (req->applies_when)
        text_node(x, b, build_tree(x, req->applies_when), 1, true, "applies when ");
    text_missing(x, b, r->missing, "  ");
    if (r->status == ST_UNDETERMINED && !r->missing.len)
        text_unknown_deciding(x, b, req->applies_when);
    text_in_force(x, b, r);
    const Expr *dates[2] = {req->in_force_from, req->in_force_until};
    const char *leads[2] = {"in force from ", "in force until "};
    for (int k = 0; k < 2 && r->status != ST_NOT_APPLICABLE; k++)
        if (dates[k])
            text_node(x, b, build_tree(x, dates[k]), 1, true, leads[k]);
    text_missing(x, b, r->in_force_missing, "  ");
    for (uint32_t k = 0; k < req->n_requires; k++) {
        int32_t pi = req->required_procedures ? req->required_procedures[k] : -1;
        buf_printf(b, "  requires %s", req->requires[k].name);
        if (pi >= 0)
            buf_printf(b, " (%s)", status_name((ResultStatus)x->ev->procedures[pi].status, true));
        buf_putc(b, '\n');
    }
}

static void text_procedure(Explainer *x, Buf *b, uint32_t i)
{
    const Program *p = x->p;
    const ProcedureDecl *proc = p->procedures[i];
    const ProcedureResult *r = &x->ev->procedures[i];
    const Style *s = style(x);
    buf_printf(b, "%sprocedure %s%s", s->bold, proc->id, s->reset);
    if (proc->title)
        buf_printf(b, " — %s", proc->title);
    buf_printf(b, "\n  %s: %s\n", status_name((ResultStatus)r->status, true),
               status_reason((ResultStatus)r->status, proc->required_when != NULL));
    if (proc->required_when)
        text_node(x, b, build_tree(x, proc->required_when), 1, true, "required when ");
    if (r->status == ST_UNDETERMINED && !r->missing.len)
        text_unknown_deciding(x, b, proc->required_when);
    if (proc->n_routes) {
        buf_puts(b, "  route: ");
        if (r->route >= 0)
            buf_printf(b, "%s — %s\n", proc->routes[r->route].id, proc->routes[r->route].text);
        else if (r->status == ST_NOT_APPLICABLE)
            buf_puts(b, "none, the procedure is not required\n");
        else if (r->route_undetermined)
            buf_puts(b, "undetermined\n");
        else
            buf_puts(b, "none, no branch of the route table holds\n");
        if (r->status != ST_NOT_APPLICABLE)
            text_branches(x, b, build_routes(x, proc, r), 2, true);
    }
    if (proc->again_when && r->status != ST_NOT_APPLICABLE)
        text_node(x, b, build_tree(x, proc->again_when), 1, true, "again when ");
    text_missing(x, b, r->missing, "  ");
    bool header = false;
    for (uint32_t k = 0; k < p->n_requirements; k++) {
        const RequirementDecl *req = p->requirements[k];
        for (uint32_t m = 0; m < req->n_requires; m++) {
            if (!req->required_procedures || req->required_procedures[m] != (int32_t)i)
                continue;
            buf_printf(b, "%s%s (%s)", header ? ", " : "  required by: ", req->id,
                       status_name((ResultStatus)x->ev->requirements[k].status, false));
            header = true;
        }
    }
    if (header)
        buf_putc(b, '\n');
}

/* The conclusion the evaluation decides on: the one reached, else the first undecided one. */
static int32_t deciding_conclusion(Evaluation *ev)
{
    const Program *p = ev->program;
    for (uint32_t i = 0; i < p->n_conclusions; i++) {
        Value v = p->conclusions[i]->when ? eval_expr(ev, p->conclusions[i]->when) : val_unknown();
        if (!val_is_false(v))
            return (int32_t)i;
    }
    return -1;
}

static void text_conclusion(Explainer *x, Buf *b, bool brief)
{
    const Program *p = x->p;
    Evaluation *ev = x->ev;
    const Style *s = style(x);
    if (ev->conclusion >= 0) {
        const ConclusionDecl *c = p->conclusions[ev->conclusion];
        buf_printf(b, "%sconclusion %s%s", s->bold, c->id, s->reset);
        if (c->text)
            buf_printf(b, " — %s", c->text);
        buf_putc(b, '\n');
    } else {
        buf_printf(b, "%sconclusion%s: %s\n", s->bold, s->reset, ev->conclusion_undetermined ? "undetermined" : "none holds");
    }
    int32_t decisive = deciding_conclusion(ev);
    uint32_t tried = decisive >= 0 ? (uint32_t)decisive + 1 : p->n_conclusions;
    FactList facts = {0};
    for (uint32_t i = 0; i < tried; i++) {
        const ConclusionDecl *c = p->conclusions[i];
        if ((int32_t)i == decisive && !brief) {
            Buf lead = {0};
            buf_printf(&lead, "%s when ", c->id);
            if (c->when)
                text_node(x, b, build_tree(x, c->when), 1, true, buf_str(&lead));
            buf_free(&lead);
            continue;
        }
        deciding_facts(x, c->when, &facts);
        buf_printf(b, "    %s → ", c->id);
        text_value(x, b, c->when ? eval_expr(x->ev, c->when) : val_unknown());
        if (facts.len) {
            buf_puts(b, "  because ");
            text_fact_list(x, b, &facts);
        }
        buf_putc(b, '\n');
    }
    kdr_free(facts.items);
    if (tried < p->n_conclusions)
        buf_printf(b, "    (%u later conclusion%s not tried)\n", p->n_conclusions - tried,
                   p->n_conclusions - tried == 1 ? "" : "s");
    text_missing(x, b, ev->conclusion_missing, "  ");
}

/* Every result in a few lines: its status and the facts that decided it. */
static void text_summary(Explainer *x, Buf *b, const char *source)
{
    const Program *p = x->p;
    const Evaluation *ev = x->ev;
    const Style *s = style(x);
    char date[11];
    date_format(ev->today, date);
    buf_printf(b, "%s%s%s  date %s", s->bold, ev->facts->name ? ev->facts->name : source ? source : "system",
               s->reset, date);
    if (source)
        buf_printf(b, "  facts %s", source);
    buf_putc(b, '\n');
    uint32_t counts[3] = {0, 0, 0};
    for (uint32_t i = 0; i < p->n_requirements; i++)
        counts[ev->requirements[i].status]++;
    buf_printf(b, "\n%sRequirements%s  %u apply · %u undetermined · %u not applicable\n", s->bold, s->reset,
               counts[ST_APPLIES], counts[ST_UNDETERMINED], counts[ST_NOT_APPLICABLE]);
    FactList facts = {0};
    /* applying and undetermined first: those are what the system must act on */
    static const ResultStatus order[3] = {ST_APPLIES, ST_UNDETERMINED, ST_NOT_APPLICABLE};
    for (int o = 0; o < 3; o++) {
        for (uint32_t i = 0; i < p->n_requirements; i++) {
            const RequirementDecl *req = p->requirements[i];
            const RequirementResult *r = &ev->requirements[i];
            if (r->status != order[o])
                continue;
            buf_printf(b, "  %-14s %s", status_name((ResultStatus)r->status, false), req->id);
            if (req->title)
                buf_printf(b, " — %s", req->title);
            buf_putc(b, '\n');
            if (r->status == ST_UNDETERMINED && r->missing.len) {
                text_missing(x, b, r->missing, "      ");
                continue;
            }
            if (!req->applies_when) {
                buf_puts(b, "      because it has no condition\n");
                continue;
            }
            deciding_facts(x, req->applies_when, &facts);
            buf_puts(b, "      because ");
            if (facts.len)
                text_fact_list(x, b, &facts);
            else
                buf_puts(b, "of the rules alone");
            buf_putc(b, '\n');
        }
    }
    if (p->n_procedures)
        buf_printf(b, "\n%sProcedures%s\n", s->bold, s->reset);
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureDecl *proc = p->procedures[i];
        const ProcedureResult *r = &ev->procedures[i];
        buf_printf(b, "  %-14s %s", status_name((ResultStatus)r->status, true), proc->id);
        if (r->route >= 0)
            buf_printf(b, " · route %s", proc->routes[r->route].id);
        else if (r->route_undetermined)
            buf_puts(b, " · route undetermined");
        if (val_is_true(r->again))
            buf_puts(b, " · again");
        buf_putc(b, '\n');
        if (r->status == ST_UNDETERMINED || (r->status == ST_APPLIES && r->missing.len)) {
            text_missing(x, b, r->missing, "      ");
            if (r->status == ST_UNDETERMINED)
                continue;
        }
        if (!proc->required_when)
            continue;
        deciding_facts(x, proc->required_when, &facts);
        if (facts.len) {
            buf_puts(b, "      because ");
            text_fact_list(x, b, &facts);
            buf_putc(b, '\n');
        }
    }
    kdr_free(facts.items);
    if (p->n_conclusions) {
        buf_putc(b, '\n');
        text_conclusion(x, b, true);
    }
    buf_printf(b, "\n%sexplain one result in full with --requirement ID, --procedure ID or --conclusion%s\n", s->dim,
               s->reset);
}

/* ---- JSON ---- */

static void json_expr(Json *j, const Explainer *x, const char *key, const Expr *e)
{
    if (!e) {
        json_str(j, key, NULL);
        return;
    }
    Buf text = {0};
    expr_print(&text, x->p, e);
    json_str(j, key, buf_str(&text));
    buf_free(&text);
}

static void json_missing(Json *j, const Explainer *x, const char *key, Missing m)
{
    json_open(j, key, '[');
    for (uint32_t i = 0; i < m.len; i++)
        json_str(j, NULL, x->p->facts[x->ev->missing_pool[m.start + i]]->name);
    json_close(j, ']');
}

static void json_fact_list(Json *j, Explainer *x, const char *key, const FactList *l)
{
    json_open(j, key, '[');
    for (uint32_t i = 0; i < l->len; i++) {
        int32_t f = l->items[i];
        json_open(j, NULL, '{');
        json_str(j, "fact", x->p->facts[f]->name);
        json_value(j, "value", x->ev->facts->values[f]);
        json_str(j, "origin", fact_origin(&x->arena, x->ev->facts, &x->p->sources, f));
        json_close(j, '}');
    }
    json_close(j, ']');
}

static const char *branch_state_name(BranchState st)
{
    switch (st) {
    case BR_FALSE: return "false";
    case BR_TAKEN: return "taken";
    case BR_UNDECIDED: return "undecided";
    case BR_NOT_REACHED: return "not-reached";
    }
    return "?";
}

static void json_node(Json *j, Explainer *x, const char *key, const Node *n, bool decides);

static void json_branches(Json *j, Explainer *x, const Node *n, bool decides)
{
    json_open(j, "branches", '[');
    for (uint32_t i = 0; i < n->nbranches; i++) {
        const Branch *br = &n->branches[i];
        json_open(j, NULL, '{');
        json_str(j, "status", branch_state_name((BranchState)br->state));
        json_expr(j, x, "when_expr", br->when);
        if (br->route) {
            json_str(j, "route", br->route->id);
            json_str(j, "route_text", br->route->text);
        } else {
            json_expr(j, x, "then_expr", br->then);
        }
        if (br->when_node)
            json_node(j, x, "when", br->when_node, decides);
        if (br->then_node)
            json_node(j, x, "then", br->then_node, decides);
        json_close(j, '}');
    }
    json_close(j, ']');
}

static void json_node(Json *j, Explainer *x, const char *key, const Node *n, bool decides)
{
    const Program *p = x->p;
    json_open(j, key, '{');
    switch ((NodeKind)n->kind) {
    case NK_FACT:
        json_str(j, "fact", p->facts[n->e->slot]->name);
        json_value(j, "value", n->value);
        json_bool(j, "decides", decides);
        json_str(j, "origin", fact_origin(&x->arena, x->ev->facts, &p->sources, n->e->slot));
        break;
    case NK_LET: {
        const LetDecl *let = p->lets[n->e->slot];
        json_str(j, "definition", let->name);
        if (let->is_label)
            json_bool(j, "label", true);
        json_value(j, "value", n->value);
        json_bool(j, "decides", decides);
        if (n->repeated)
            json_bool(j, "explained_above", true);
        else
            json_node(j, x, "body", n->kids[0], decides);
        break;
    }
    case NK_FIRST:
        json_str(j, "op", "first");
        if (n->e)
            json_expr(j, x, "expr", n->e);
        json_value(j, "value", n->value);
        json_bool(j, "decides", decides);
        json_branches(j, x, n, decides);
        break;
    case NK_EXPR:
        json_str(j, "op", op_name(n->e));
        if (n->e->op == E_CALL)
            json_str(j, "function", function_name(n->e));
        json_expr(j, x, "expr", n->e);
        json_value(j, "value", n->value);
        json_bool(j, "decides", decides);
        if (n->nkids) {
            json_open(j, "children", '[');
            for (uint32_t i = 0; i < n->nkids; i++)
                json_node(j, x, NULL, n->kids[i], decides && n->kids[i]->local);
            json_close(j, ']');
        }
        break;
    }
    json_close(j, '}');
}

static void json_tree(Json *j, Explainer *x, const char *key, const Expr *e)
{
    if (!e) {
        json_str(j, key, NULL);
        return;
    }
    json_node(j, x, key, build_tree(x, e), true);
}

static void json_requirement(Json *j, Explainer *x, uint32_t i, bool full)
{
    const RequirementDecl *req = x->p->requirements[i];
    const RequirementResult *r = &x->ev->requirements[i];
    json_open(j, NULL, '{');
    json_str(j, "id", req->id);
    json_str(j, "title", req->title);
    json_str(j, "status", status_name((ResultStatus)r->status, false));
    json_missing(j, x, "missing", r->missing);
    FactList facts = {0};
    deciding_facts(x, req->applies_when, &facts);
    json_fact_list(j, x, "decided_by", &facts);
    kdr_free(facts.items);
    json_value(j, "in_force", r->in_force);
    if (full) {
        json_tree(j, x, "applies_when", req->applies_when);
        json_tree(j, x, "in_force_from", req->in_force_from);
        json_tree(j, x, "in_force_until", req->in_force_until);
        json_missing(j, x, "in_force_missing", r->in_force_missing);
        json_open(j, "procedures", '[');
        for (uint32_t k = 0; k < req->n_requires; k++) {
            int32_t pi = req->required_procedures ? req->required_procedures[k] : -1;
            json_open(j, NULL, '{');
            json_str(j, "id", req->requires[k].name);
            json_str(j, "status", pi >= 0 ? status_name((ResultStatus)x->ev->procedures[pi].status, true) : NULL);
            json_close(j, '}');
        }
        json_close(j, ']');
    }
    json_close(j, '}');
}

static void json_procedure(Json *j, Explainer *x, uint32_t i, bool full)
{
    const ProcedureDecl *proc = x->p->procedures[i];
    const ProcedureResult *r = &x->ev->procedures[i];
    json_open(j, NULL, '{');
    json_str(j, "id", proc->id);
    json_str(j, "title", proc->title);
    json_str(j, "status", status_name((ResultStatus)r->status, true));
    json_str(j, "route", r->route >= 0 ? proc->routes[r->route].id : NULL);
    json_str(j, "route_status", r->route >= 0 ? "chosen" : r->route_undetermined ? "undetermined" : "none");
    json_value(j, "again", r->again);
    json_missing(j, x, "missing", r->missing);
    FactList facts = {0};
    deciding_facts(x, proc->required_when, &facts);
    json_fact_list(j, x, "decided_by", &facts);
    kdr_free(facts.items);
    if (full) {
        json_tree(j, x, "required_when", proc->required_when);
        if (proc->n_routes) {
            json_open(j, "route_table", '{');
            json_branches(j, x, build_routes(x, proc, r), r->status != ST_NOT_APPLICABLE);
            json_close(j, '}');
        } else {
            json_str(j, "route_table", NULL);
        }
        json_tree(j, x, "again_when", proc->again_when);
    }
    json_close(j, '}');
}

static void json_conclusion(Json *j, Explainer *x, bool full)
{
    const Program *p = x->p;
    Evaluation *ev = x->ev;
    json_open(j, "conclusion", '{');
    json_str(j, "status", ev->conclusion >= 0 ? "reached" : ev->conclusion_undetermined ? "undetermined" : "none");
    json_str(j, "id", ev->conclusion >= 0 ? p->conclusions[ev->conclusion]->id : NULL);
    json_str(j, "text", ev->conclusion >= 0 ? p->conclusions[ev->conclusion]->text : NULL);
    json_missing(j, x, "missing", ev->conclusion_missing);
    int32_t decisive = deciding_conclusion(ev);
    uint32_t tried = decisive >= 0 ? (uint32_t)decisive + 1 : p->n_conclusions;
    FactList facts = {0};
    json_open(j, "tried", '[');
    for (uint32_t i = 0; i < tried; i++) {
        const ConclusionDecl *c = p->conclusions[i];
        json_open(j, NULL, '{');
        json_str(j, "id", c->id);
        json_value(j, "value", c->when ? eval_expr(x->ev, c->when) : val_unknown());
        deciding_facts(x, c->when, &facts);
        json_fact_list(j, x, "decided_by", &facts);
        if (full && (int32_t)i == decisive)
            json_tree(j, x, "when", c->when);
        json_close(j, '}');
    }
    json_close(j, ']');
    kdr_free(facts.items);
    json_close(j, '}');
}

/* ---- entry point ---- */

void explain_write(Buf *out, Evaluation *ev, const char *source, const ExplainRequest *rq, bool json, bool color)
{
    const Program *p = ev->program;
    /* JSON is for programs: they get every part; people get the deciding parts unless they ask */
    Explainer x = {.ev = ev, .p = p, .color = color && !json, .full = json || rq->full, .source = source};
    x.let_tree = kdr_calloc(p->n_lets + 1, sizeof(uint32_t));
    x.let_node = kdr_calloc(p->n_lets + 1, sizeof(Node *));
    x.fact_walk = kdr_calloc(p->n_facts + 1, sizeof(uint32_t));
    x.let_walk = kdr_calloc(p->n_lets + 1, sizeof(uint32_t));
    bool summary = !rq->n_requirements && !rq->n_procedures && !rq->conclusion;

    if (json) {
        Json j = {.out = out, .pretty = true};
        char date[11];
        json_open(&j, NULL, '{');
        json_str(&j, "schema", KADER_EXPLAIN_SCHEMA);
        if (source)
            json_str(&j, "source", source);
        json_str(&j, "system", ev->facts->name);
        date_format(ev->today, date);
        json_str(&j, "date", date);
        json_open(&j, "requirements", '[');
        if (summary)
            for (uint32_t i = 0; i < p->n_requirements; i++)
                json_requirement(&j, &x, i, false);
        for (uint32_t i = 0; i < rq->n_requirements; i++)
            json_requirement(&j, &x, (uint32_t)rq->requirements[i], true);
        json_close(&j, ']');
        json_open(&j, "procedures", '[');
        if (summary)
            for (uint32_t i = 0; i < p->n_procedures; i++)
                json_procedure(&j, &x, i, false);
        for (uint32_t i = 0; i < rq->n_procedures; i++)
            json_procedure(&j, &x, (uint32_t)rq->procedures[i], true);
        json_close(&j, ']');
        if ((summary && p->n_conclusions) || rq->conclusion)
            json_conclusion(&j, &x, rq->conclusion);
        json_close(&j, '}');
        buf_putc(out, '\n');
    } else if (summary) {
        text_summary(&x, out, source);
    } else {
        bool first = true;
        for (uint32_t i = 0; i < rq->n_requirements; i++, first = false) {
            if (!first)
                buf_putc(out, '\n');
            text_requirement(&x, out, (uint32_t)rq->requirements[i]);
        }
        for (uint32_t i = 0; i < rq->n_procedures; i++, first = false) {
            if (!first)
                buf_putc(out, '\n');
            text_procedure(&x, out, (uint32_t)rq->procedures[i]);
        }
        if (rq->conclusion) {
            if (!first)
                buf_putc(out, '\n');
            text_conclusion(&x, out, false);
        }
    }
    kdr_free(x.let_tree);
    kdr_free(x.let_node);
    kdr_free(x.fact_walk);
    kdr_free(x.let_walk);
    arena_free(&x.arena);
}
