/* compile_expr.c — the exceptions (`uitzondering`) of 2026-format requirement documents: a
 * recursive-descent parser for entries such as
 *     ("soort-toepassing-ai-systeem" || "soort-toepassing-ai-model-voor-algemene-doeleinden")
 *         && !"open-source-geen-open-source"
 * (labels "group-value" combined with && || ! and parentheses, as the Algoritmekader writes them)
 * and their translation into kader's `and`, `or`, `not` over the stdlib's label groups. Errors
 * point at the offending token in the Markdown file. */
#define _POSIX_C_SOURCE 200809L
#include "compile.h"

#include <stdarg.h>
#include <string.h>

typedef enum XOp { X_LABEL, X_NOT, X_AND, X_OR } XOp;

typedef struct XNode XNode;
struct XNode {
    XOp op;
    const char *group, *value; /* X_LABEL */
    bool never;                /* X_LABEL: a value the group never has (written as false) */
    XNode **kids;
    uint32_t n, cap;
};

typedef enum XTok { T_END, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT, T_LABEL, T_ERROR } XTok;

/* The parser's state for one entry. */
typedef struct XParser {
    Compiler *c;
    const Doc *d;
    const YNode *node;  /* the entry's scalar: positions are offsets into its text */
    const char *s;
    size_t len, pos;
    int depth;
    int labels;
    bool failed;
    bool had_never;     /* some label can never hold */
    XTok tok;
    size_t tok_start, tok_end;
    bool tok_quoted;
} XParser;

static KdrLoc x_loc(const XParser *p, size_t start, size_t end)
{
    if (p->node->val_off == NO_OFFSET)
        return ck_node_loc(p->d, p->node);
    return ck_doc_loc(p->d, p->node->val_off + (uint32_t)start, p->node->val_off + (uint32_t)end);
}

static void x_error(XParser *p, size_t start, size_t end, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void x_error(XParser *p, size_t start, size_t end, const char *hint, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    Buf msg = {0};
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    diag_at(&p->c->diag, DIAG_ERROR, x_loc(p, start, end), "%s", buf_str(&msg));
    buf_free(&msg);
    if (hint)
        diag_hint(&p->c->diag, "%s", hint);
}

static bool label_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || ch == '.';
}

static void x_next(XParser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
        p->pos++;
    p->tok_start = p->pos;
    p->tok_quoted = false;
    if (p->pos >= p->len) {
        p->tok = T_END;
        p->tok_end = p->pos;
        return;
    }
    char ch = p->s[p->pos];
    if (ch == '(' || ch == ')' || ch == '!') {
        p->tok = ch == '(' ? T_LPAREN : ch == ')' ? T_RPAREN : T_NOT;
        p->tok_end = ++p->pos;
        return;
    }
    if (ch == '&' || ch == '|') {
        if (p->pos + 1 < p->len && p->s[p->pos + 1] == ch) {
            p->tok = ch == '&' ? T_AND : T_OR;
            p->pos += 2;
            p->tok_end = p->pos;
            return;
        }
        p->tok = T_ERROR;
        x_error(p, p->pos, p->pos + 1, NULL, "expected '%s', found a single '%c'",
                ch == '&' ? "&&" : "||", ch);
        return;
    }
    if (ch == '"' || ch == '\'') {
        const char *close = memchr(p->s + p->pos + 1, ch, p->len - p->pos - 1);
        if (!close) {
            p->tok = T_ERROR;
            x_error(p, p->pos, p->pos + 1, "a quoted label ends with the same quote", "%s",
                    "unterminated label");
            return;
        }
        p->tok = T_LABEL;
        p->tok_quoted = true;
        p->pos = (size_t)(close - p->s) + 1;
        p->tok_end = p->pos;
        return;
    }
    if (label_char(ch)) {
        while (p->pos < p->len && label_char(p->s[p->pos]))
            p->pos++;
        p->tok = T_LABEL;
        p->tok_end = p->pos;
        return;
    }
    size_t n = ck_utf8_len((const unsigned char *)p->s + p->pos, p->len - p->pos);
    char text[8] = {0};
    memcpy(text, p->s + p->pos, n ? n : 1);
    p->tok = T_ERROR;
    x_error(p, p->pos, p->pos + (n ? n : 1),
            "an exception combines labels with &&, || and !, in parentheses where needed",
            "unexpected character '%s' in the exception", text);
}

static const char *tok_text(XParser *p)
{
    switch (p->tok) {
    case T_END: return "the end of the entry";
    case T_LPAREN: return "'('";
    case T_RPAREN: return "')'";
    case T_AND: return "'&&'";
    case T_OR: return "'||'";
    case T_NOT: return "'!'";
    default: break;
    }
    return arena_printf(&p->c->arena, "'%.*s'", (int)(p->tok_end - p->tok_start),
                        p->s + p->tok_start);
}

static XNode *x_node(XParser *p, XOp op)
{
    XNode *x = arena_alloc(&p->c->arena, sizeof *x);
    x->op = op;
    return x;
}

/* Doubling, so that a long chain of && stays linear (the old arrays stay in the arena). */
static void x_push(XParser *p, XNode *parent, XNode *kid)
{
    if (parent->n == parent->cap) {
        parent->cap = parent->cap ? 2 * parent->cap : 4;
        XNode **k = arena_alloc(&p->c->arena, parent->cap * sizeof *k);
        if (parent->n)
            memcpy(k, parent->kids, parent->n * sizeof *k);
        parent->kids = k;
    }
    parent->kids[parent->n++] = kid;
}

/* A label group-value is split at the longest known group name: "open-source-open-source" is
 * the value "open-source" of the group open-source. */
static XNode *x_label(XParser *p)
{
    size_t a = p->tok_start + (p->tok_quoted ? 1 : 0), b = p->tok_end - (p->tok_quoted ? 1 : 0);
    while (a < b && p->s[a] == ' ')
        a++;
    while (b > a && p->s[b - 1] == ' ')
        b--;
    const char *text = p->s + a;
    size_t len = b - a;
    const char *group = NULL;
    size_t glen = 0;
    int gi = -1;
    for (int i = 0; i < N_LABEL_GROUPS; i++) {
        size_t gl = strlen(ck_label_groups[i]);
        if (len > gl + 1 && strncmp(text, ck_label_groups[i], gl) == 0 && text[gl] == '-' &&
            gl > glen) {
            group = ck_label_groups[i];
            glen = gl;
            gi = i;
        }
    }
    if (!group) {
        char *lbl = arena_strndup(&p->c->arena, text, len);
        x_error(p, p->tok_start, p->tok_end,
                "a label is group-value, with group one of soort-toepassing, risicogroep, "
                "rol-ai-act, transparantieverplichting, systeemrisico, open-source",
                "'%s' is not a label of an AI Act label group", lbl);
        return NULL;
    }
    if (++p->labels > CK_MAX_EXCEPTION_LABELS) {
        x_error(p, p->tok_start, p->tok_end, "split it into several entries",
                "an exception may combine at most %d labels", CK_MAX_EXCEPTION_LABELS);
        return NULL;
    }
    XNode *x = x_node(p, X_LABEL);
    x->group = group;
    x->value = arena_strndup(&p->c->arena, text + glen + 1, len - glen - 1);
    Compiler *c = p->c;
    if (c->vocab.loaded && !ck_in_list(&c->vocab.values[gi], x->value)) {
        /* The rule would not load ("never a value"); the label simply never holds. */
        diag_at(&c->diag, DIAG_WARNING, x_loc(p, p->tok_start, p->tok_end),
                "'%s' is never a label of %s; the exception reads it as false", x->value, group);
        ck_hint_closest(c, &c->vocab.values[gi], x->value);
        x->never = true;
        p->had_never = true;
    }
    x_next(p);
    return x;
}

static XNode *x_or(XParser *p);

/* primary: LABEL | '(' or_expr ')' */
static XNode *x_primary(XParser *p)
{
    if (p->tok == T_LABEL)
        return x_label(p);
    if (p->tok == T_LPAREN) {
        size_t open = p->tok_start;
        if (++p->depth > CK_MAX_EXPR_DEPTH) {
            x_error(p, p->tok_start, p->tok_end, NULL, "%s", "exception nested too deeply");
            return NULL;
        }
        x_next(p);
        XNode *x = x_or(p);
        if (!x)
            return NULL;
        if (p->tok != T_RPAREN) {
            const char *found = tok_text(p);
            x_error(p, p->tok_start, p->tok_end > p->tok_start ? p->tok_end : p->tok_start + 1,
                    NULL, "expected ')', found %s", found);
            if (!p->c->diag.suppressed)
                diag_at(&p->c->diag, DIAG_NOTE, x_loc(p, open, open + 1), "to close this '('");
            return NULL;
        }
        p->depth--;
        x_next(p);
        return x;
    }
    if (p->tok != T_ERROR)
        x_error(p, p->tok_start, p->tok_end > p->tok_start ? p->tok_end : p->tok_start + 1, NULL,
                "expected a label or '(', found %s", tok_text(p));
    return NULL;
}

/* unary: '!' unary | primary */
static XNode *x_unary(XParser *p)
{
    if (p->tok == T_NOT) {
        if (++p->depth > CK_MAX_EXPR_DEPTH) {
            x_error(p, p->tok_start, p->tok_end, NULL, "%s", "exception nested too deeply");
            return NULL;
        }
        x_next(p);
        XNode *kid = x_unary(p);
        p->depth--;
        if (!kid)
            return NULL;
        XNode *x = x_node(p, X_NOT);
        x_push(p, x, kid);
        return x;
    }
    return x_primary(p);
}

/* and_expr: unary { '&&' unary } */
static XNode *x_and(XParser *p)
{
    XNode *first = x_unary(p);
    if (!first || p->tok != T_AND)
        return first;
    XNode *x = x_node(p, X_AND);
    x_push(p, x, first);
    while (p->tok == T_AND) {
        x_next(p);
        XNode *kid = x_unary(p);
        if (!kid)
            return NULL;
        x_push(p, x, kid);
    }
    return x;
}

/* or_expr: and_expr { '||' and_expr } */
static XNode *x_or(XParser *p)
{
    XNode *first = x_and(p);
    if (!first || p->tok != T_OR)
        return first;
    XNode *x = x_node(p, X_OR);
    x_push(p, x, first);
    while (p->tok == T_OR) {
        x_next(p);
        XNode *kid = x_and(p);
        if (!kid)
            return NULL;
        x_push(p, x, kid);
    }
    return x;
}

/* entry: or_expr END */
static XNode *parse_entry(Compiler *c, const Doc *d, const YNode *node, bool *had_never)
{
    XParser p = {0};
    p.c = c;
    p.d = d;
    p.node = node;
    p.s = node->str;
    p.len = strlen(node->str);
    x_next(&p);
    XNode *x = x_or(&p);
    if (x && p.tok != T_END) {
        bool word = p.tok == T_LABEL && !p.tok_quoted;
        x_error(&p, p.tok_start, p.tok_end, word ? "write && for and, || for or, ! for not" : NULL,
                "expected '&&', '||' or the end of the entry, found %s", tok_text(&p));
        return NULL;
    }
    *had_never = p.had_never;
    return p.failed ? NULL : x;
}

/* Writes x as a kader expression. Labels are `"value" in group`; `and` inside `or` and any
 * operand of `not` are parenthesised for the reader even where precedence would not need it. */
static void x_render(Buf *b, const XNode *x)
{
    switch (x->op) {
    case X_LABEL:
        if (x->never) {
            buf_puts(b, "false");
            return;
        }
        ck_put_quoted(b, x->value);
        buf_printf(b, " in %s", x->group);
        return;
    case X_NOT:
        buf_puts(b, "not (");
        x_render(b, x->kids[0]);
        buf_putc(b, ')');
        return;
    case X_AND:
    case X_OR:
        for (uint32_t i = 0; i < x->n; i++) {
            if (i)
                buf_puts(b, x->op == X_AND ? " and " : " or ");
            bool paren = x->kids[i]->op == X_OR || x->kids[i]->op == X_AND;
            if (paren)
                buf_putc(b, '(');
            x_render(b, x->kids[i]);
            if (paren)
                buf_putc(b, ')');
        }
        return;
    }
}

bool ck_exception_rule(Compiler *c, const Doc *d, const YNode *entry, Buf *out, bool *compound,
                    bool *had_never)
{
    *compound = *had_never = false;
    XNode *x = parse_entry(c, d, entry, had_never);
    if (!x)
        return false;
    *compound = x->op == X_AND || x->op == X_OR;
    x_render(out, x);
    return true;
}
