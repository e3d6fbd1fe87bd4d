/* ast.c — arena constructors for expressions and parser lists. */
#include "ast.h"

#include <string.h>

List *list_new(Arena *a) { return arena_alloc(a, sizeof(List)); }

List *list_push(Arena *a, List *l, void *item)
{
    if (!l)
        l = list_new(a);
    if (l->len == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 4;
        void **items = arena_alloc(a, cap * sizeof(void *));
        if (l->len)
            memcpy(items, l->items, l->len * sizeof(void *));
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = item;
    return l;
}

void expr_fix_depth(Expr *e)
{
    uint32_t d = 0;
    for (uint32_t i = 0; i < e->nkids; i++)
        if (e->kids[i] && e->kids[i]->depth > d)
            d = e->kids[i]->depth;
    e->depth = (uint16_t)(d + 1 > 60000 ? 60000 : d + 1);
}

Expr *expr_new(Arena *a, ExprOp op, KdrLoc loc, uint32_t nkids)
{
    Expr *e = arena_alloc(a, sizeof(Expr));
    e->op = (uint8_t)op;
    e->loc = loc;
    e->slot = -1;
    e->memo = -1;
    e->nkids = nkids;
    e->depth = 1;
    if (nkids)
        e->kids = arena_alloc(a, nkids * sizeof(Expr *));
    return e;
}

Expr *expr_literal(Arena *a, Value v, KdrLoc loc)
{
    Expr *e = expr_new(a, E_LITERAL, loc, 0);
    e->lit = v;
    return e;
}

Expr *expr_unary(Arena *a, ExprOp op, KdrLoc loc, Expr *x)
{
    Expr *e = expr_new(a, op, loc, 1);
    e->kids[0] = x;
    expr_fix_depth(e);
    return e;
}

Expr *expr_binary(Arena *a, ExprOp op, KdrLoc loc, Expr *x, Expr *y)
{
    Expr *e = expr_new(a, op, loc, 2);
    e->kids[0] = x;
    e->kids[1] = y;
    expr_fix_depth(e);
    return e;
}

Expr *expr_from_list(Arena *a, ExprOp op, KdrLoc loc, const List *kids)
{
    uint32_t n = kids ? kids->len : 0;
    Expr *e = expr_new(a, op, loc, n);
    for (uint32_t i = 0; i < n; i++)
        e->kids[i] = kids->items[i];
    expr_fix_depth(e);
    return e;
}

static bool is_plain_name(const char *s)
{
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        return false;
    for (const char *p = s; *p; p++) {
        bool word = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_';
        if (!word && !(*p == '-' && p[1] && p[1] != '-' && p[-1] != '-'))
            return false;
    }
    return true;
}

const char *path_join(Arena *a, const char *const *segments, uint32_t n)
{
    Buf b = {0};
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, '.');
        if (is_plain_name(segments[i]))
            buf_puts(&b, segments[i]);
        else
            buf_printf(&b, "\"%s\"", segments[i]);
    }
    const char *out = arena_strdup(a, buf_str(&b));
    buf_free(&b);
    return out;
}
