/* fmt.c — `kader fmt`'s layout engine. It works on the scanner's tokens, not on the tree, so
 * that clause order, repeated clauses, literal spellings and comments stay exactly as written:
 * only the white space between tokens changes. A small walker that knows the grammar's shape
 * decides where lines break; every result is parsed again and compared with the input's program
 * (and formatted again, to prove it stable) before anyone sees it.
 *
 * The canonical style is the one the bundled stdlib/ and rules/ use:
 *   - two spaces per block level; clause keywords of requirements (12 columns), conclusions (11)
 *     and lifecycles (8) padded so that values line up;
 *   - first-match tables one branch per line, values aligned in a column when that fits in
 *     FMT_WIDTH, otherwise on the next line;
 *   - an expression that does not fit breaks before each top-level 'or' (else 'and'), with the
 *     operator hanging so that the operands line up under the first one;
 *   - lists of values wrap under their first item;
 *   - comments stay where they are: on their own line at the indentation of what follows, or at
 *     the end of the line of the token they follow; at most one blank line is kept between lines
 *     of the structure (declarations, clauses, branches), none at the start of a block. */
#include "fmt.h"

#include <string.h>

#include "diag.h"
#include "load.h"
#include "parse.h"
#include "parser.h"

enum { ALIGN_MAX = 60 }; /* a branch longer than this does not pull the others' values right */

typedef struct FTok {
    int kind;               /* parser token number; 0 for the end of the file */
    const char *text;       /* what is printed */
    uint32_t len;
    int width;              /* in characters */
    int line, end_line;     /* of start and end, 0-based */
    bool blank_before;      /* an empty line separates it from what comes before */
    uint32_t lead, n_lead;  /* comments on their own lines just before it (indices in Fmt.comments) */
    int32_t trail;          /* the comment after it on its own line, or -1 */
} FTok;

typedef struct FComment {
    const char *text;       /* from '#', trailing white space and '\r' removed */
    uint32_t len;
    int line;
    bool blank_before;
} FComment;

typedef enum BlankMode {
    BLANK_KEEP,      /* keep one empty line where the input had one or more */
    BLANK_NOT_FIRST, /* the same, except before the first line printed (the start of a block) */
    BLANK_NONE
} BlankMode;

typedef struct Fmt {
    FTok *t;
    uint32_t n;             /* t[n] is the end of the file */
    FComment *comments;
    uint32_t n_comments;
    Buf out;
    int col;                /* characters on the current line */
    bool line_empty;        /* nothing printed on the current line yet */
    int line_indent;        /* indentation of the current line */
    int cont;               /* where a line forced by a comment continues */
    bool must_break;        /* a trailing comment ended the line */
    int pad_col;            /* the next token after a space starts at least here (clause values) */
    bool failed;            /* the walker met something it does not expect */
} Fmt;

/* ---- tokens ---- */

static int utf8_width(const char *s, size_t len)
{
    int w = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            w++;
    return w;
}

static int line_of(uint32_t offset, const uint32_t *line_starts, int n_lines)
{
    int lo = 0, hi = n_lines - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Words a rule author may also use as names: within an expression they are names. */
static bool is_soft_keyword(int kind)
{
    switch (kind) {
    case K_OF: case K_ONE: case K_SET: case K_BOOL: case K_NUMBER: case K_STRING: case K_DATE:
    case K_ASK: case K_HELP: case K_SOURCE: case K_DEFAULT: case K_TITLE: case K_DESCRIPTION:
    case K_STATUS: case K_PHASE: case K_TOPIC: case K_ROLE: case K_MEASURE: case K_FROM:
    case K_UNTIL: case K_APPLIES: case K_REQUIRES: case K_META: case K_REQUIRED: case K_ROUTE:
    case K_AGAIN: case K_PHASES: case K_ALWAYS: case K_CURRENT: case K_TEXT: case K_OBLIGATION:
    case K_KNOWN:
        return true;
    default:
        return false;
    }
}

static bool is_name(int kind) { return kind == NAME || is_soft_keyword(kind); }

/* Builds the token array: each comment is attached either to the token it follows on the same
 * line (trailing) or to the next token (leading, on lines of its own). */
static void build_tokens(Fmt *f, const SourceFile *src, const KdrToken *raw, uint32_t n_raw)
{
    uint32_t n_lines = 1;
    for (size_t i = 0; i < src->len; i++)
        n_lines += src->text[i] == '\n';
    uint32_t *starts = kdr_malloc(n_lines * sizeof(uint32_t));
    uint32_t l = 0;
    starts[l++] = 0;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n')
            starts[l++] = (uint32_t)i + 1;

    uint32_t n_tok = 0, n_com = 0;
    for (uint32_t i = 0; i < n_raw; i++) {
        if (raw[i].kind == KDR_TOKEN_COMMENT)
            n_com++;
        else
            n_tok++;
    }
    f->t = kdr_calloc(n_tok + 1, sizeof(FTok));
    f->comments = kdr_calloc(n_com + 1, sizeof(FComment));
    int prev_end_line = -1; /* last line of the previous token or comment */
    int32_t prev_tok = -1;  /* the token a comment on the same line would trail */
    uint32_t pending_lead = 0; /* first comment not yet attached */
    for (uint32_t i = 0; i < n_raw; i++) {
        const KdrToken *r = &raw[i];
        int line = line_of(r->loc.start, starts, (int)n_lines);
        int end_line = line_of(r->loc.end > r->loc.start ? r->loc.end - 1 : r->loc.start, starts, (int)n_lines);
        /* an empty line between: more than one line break, with only white space between */
        bool blank = prev_end_line >= 0 && line - prev_end_line >= 2;
        if (r->kind == KDR_TOKEN_COMMENT) {
            FComment *c = &f->comments[f->n_comments];
            uint32_t len = r->loc.end - r->loc.start;
            const char *text = src->text + r->loc.start;
            while (len > 0 && (text[len - 1] == '\r' || text[len - 1] == ' ' || text[len - 1] == '\t'))
                len--;
            c->text = text;
            c->len = len;
            c->line = line;
            c->blank_before = blank;
            if (prev_tok >= 0 && f->t[prev_tok].end_line == line && f->t[prev_tok].trail < 0 &&
                pending_lead == f->n_comments) {
                f->t[prev_tok].trail = (int32_t)f->n_comments;
                pending_lead = f->n_comments + 1;
            }
            f->n_comments++;
        } else {
            FTok *t = &f->t[f->n];
            t->kind = r->kind;
            t->text = src->text + r->loc.start;
            t->len = r->loc.end - r->loc.start;
            if (r->kind == K_IN_FORCE) {
                t->text = "in force";
                t->len = 8;
            } else if (r->kind == K_DEFAULT_LET) {
                t->text = "default let";
                t->len = 11;
            }
            t->width = utf8_width(t->text, t->len);
            t->line = line;
            t->end_line = end_line;
            t->blank_before = blank;
            t->lead = pending_lead;
            t->n_lead = f->n_comments - pending_lead;
            t->trail = -1;
            pending_lead = f->n_comments;
            prev_tok = (int32_t)f->n;
            f->n++;
        }
        prev_end_line = end_line;
    }
    FTok *eof = &f->t[f->n];
    eof->kind = 0;
    eof->text = "";
    eof->trail = -1;
    eof->lead = pending_lead;
    eof->n_lead = f->n_comments - pending_lead;
    eof->blank_before = false;
    /* An empty line before the end of the file is not kept; before a comment there, it is. */
    kdr_free(starts);
}

static int kind_at(const Fmt *f, uint32_t k) { return k < f->n ? f->t[k].kind : 0; }

/* ---- printing ---- */

static void put(Fmt *f, const char *s, size_t len, int width)
{
    if (f->line_empty) {
        for (int i = 0; i < f->line_indent; i++)
            buf_putc(&f->out, ' ');
        f->col = f->line_indent;
        f->line_empty = false;
    }
    buf_add(&f->out, s, len);
    f->col += width;
}

static void newline(Fmt *f)
{
    if (f->line_empty)
        return;
    while (f->out.len > 0 && f->out.data[f->out.len - 1] == ' ')
        f->out.len--;
    buf_putc(&f->out, '\n');
    f->line_empty = true;
    f->col = 0;
}

static void blank_line(Fmt *f)
{
    newline(f);
    if (f->out.len == 0)
        return; /* never at the top of the file */
    if (f->out.len >= 2 && f->out.data[f->out.len - 1] == '\n' && f->out.data[f->out.len - 2] == '\n')
        return;
    buf_putc(&f->out, '\n');
}

static void put_comment(Fmt *f, uint32_t c)
{
    put(f, f->comments[c].text, f->comments[c].len, utf8_width(f->comments[c].text, f->comments[c].len));
}

/* Starts a new line for token ti at `indent`, printing the comments before it first (at
 * comment_indent) and keeping blank lines as mode allows. */
static void start_line(Fmt *f, uint32_t ti, int indent, int comment_indent, BlankMode mode)
{
    FTok *t = &f->t[ti];
    newline(f);
    f->must_break = false;
    bool first = mode == BLANK_NOT_FIRST;
    for (uint32_t i = 0; i < t->n_lead; i++) {
        const FComment *c = &f->comments[t->lead + i];
        if (c->blank_before && !first && mode != BLANK_NONE)
            blank_line(f);
        first = false;
        f->line_indent = comment_indent;
        put_comment(f, t->lead + i);
        newline(f);
    }
    if (t->blank_before && !first && mode != BLANK_NONE)
        blank_line(f);
    t->n_lead = 0;
    f->line_indent = indent;
}

/* Prints token ti, after a space when `space` and the line is not fresh. */
static void tok(Fmt *f, uint32_t ti, bool space)
{
    if (ti >= f->n) {
        f->failed = true;
        return;
    }
    FTok *t = &f->t[ti];
    if (t->n_lead)
        start_line(f, ti, f->cont, f->cont, BLANK_NONE);
    else if (f->must_break) {
        newline(f);
        f->line_indent = f->cont;
    }
    f->must_break = false;
    if (!f->line_empty && space) {
        put(f, " ", 1, 1);
        while (f->col < f->pad_col)
            put(f, " ", 1, 1);
    }
    f->pad_col = 0;
    put(f, t->text, t->len, t->width);
    if (t->trail >= 0) {
        put(f, "  ", 2, 2);
        put_comment(f, (uint32_t)t->trail);
        f->must_break = true;
    }
}

/* Pads the current line with spaces up to column `col` (at least one space). */
static void pad_to(Fmt *f, int col)
{
    if (f->must_break || f->line_empty)
        return;
    int n = col - f->col;
    if (n < 1)
        n = 1;
    for (int i = 0; i < n; i++)
        put(f, " ", 1, 1);
}

/* The column the next token would start at. */
static int next_col(const Fmt *f, uint32_t ti, bool space)
{
    if (f->must_break || (ti < f->n && f->t[ti].n_lead))
        return f->cont;
    if (f->line_empty)
        return f->line_indent;
    if (space && f->pad_col > f->col + 1)
        return f->pad_col;
    return f->col + (space ? 1 : 0);
}

/* Whether a space goes between two tokens printed on one line. */
static bool need_space(const Fmt *f, uint32_t a, uint32_t b)
{
    int ka = f->t[a].kind, kb = f->t[b].kind;
    if (kb == ')' || kb == ',' || kb == '.' || kb == DOTDOT || kb == ':' || kb == '}')
        return false;
    if (ka == '(' || ka == '.' || ka == DOTDOT || ka == '{')
        return false;
    if (kb == '(' && is_name(ka))
        return false; /* a function call */
    return true;
}

/* ---- the extent of an expression (the input has parsed, so this is a simple descent) ---- */

static uint32_t x_expr(Fmt *f, uint32_t k);

static uint32_t x_expect(Fmt *f, uint32_t k, int kind)
{
    if (kind_at(f, k) != kind) {
        f->failed = true;
        return f->n;
    }
    return k + 1;
}

/* first { when c: v ... otherwise: v }, or a route table when `route` (values `id "text"`). */
static uint32_t x_table_body(Fmt *f, uint32_t k, bool route)
{
    k = x_expect(f, k, '{');
    while (!f->failed && kind_at(f, k) != '}') {
        if (kind_at(f, k) == K_WHEN)
            k = x_expr(f, k + 1);
        else if (kind_at(f, k) == K_OTHERWISE)
            k = k + 1;
        else {
            f->failed = true;
            break;
        }
        k = x_expect(f, k, ':');
        k = route ? k + 2 : x_expr(f, k);
    }
    return x_expect(f, k, '}');
}

static uint32_t x_operand(Fmt *f, uint32_t k)
{
    int kind = kind_at(f, k);
    switch (kind) {
    case STRING_LIT: case NUMBER_LIT: case DATE_LIT: case K_TRUE: case K_FALSE: case K_UNKNOWN:
    case K_TODAY:
        return k + 1;
    case '(':
        return x_expect(f, x_expr(f, k + 1), ')');
    case '{':
        k++;
        if (kind_at(f, k) == '}')
            return k + 1;
        for (;;) {
            k = x_expr(f, k);
            if (f->failed || kind_at(f, k) != ',')
                break;
            k++;
        }
        return x_expect(f, k, '}');
    case K_FIRST:
        return x_table_body(f, k + 1, false);
    default:
        break;
    }
    if (!is_name(kind)) {
        f->failed = true;
        return f->n;
    }
    k++;
    if (kind_at(f, k) == '(') {
        k++;
        if (kind_at(f, k) == ')')
            return k + 1;
        for (;;) {
            k = x_expr(f, k);
            if (f->failed || kind_at(f, k) != ',')
                break;
            k++;
        }
        return x_expect(f, k, ')');
    }
    while (kind_at(f, k) == '.' && (is_name(kind_at(f, k + 1)) || kind_at(f, k + 1) == STRING_LIT))
        k += 2;
    return k;
}

static uint32_t x_comparison(Fmt *f, uint32_t k)
{
    k = x_operand(f, k);
    switch (kind_at(f, k)) {
    case OP_EQ: case OP_NE: case '<': case OP_LE: case '>': case OP_GE: case K_INTERSECTS:
        return x_operand(f, k + 1);
    case K_IN:
        k = x_operand(f, k + 1);
        if (kind_at(f, k) == DOTDOT)
            k = x_operand(f, k + 1);
        return k;
    case K_NOT:
        if (kind_at(f, k + 1) == K_IN)
            return x_operand(f, k + 2);
        return k;
    case K_IS:
        if (kind_at(f, k + 1) == K_KNOWN || kind_at(f, k + 1) == K_UNKNOWN)
            return k + 2;
        f->failed = true;
        return f->n;
    default:
        return k;
    }
}

static uint32_t x_unary(Fmt *f, uint32_t k)
{
    if (kind_at(f, k) == K_NOT)
        return x_unary(f, k + 1);
    return x_comparison(f, k);
}

static uint32_t x_expr(Fmt *f, uint32_t k)
{
    k = x_unary(f, k);
    while (!f->failed && (kind_at(f, k) == K_AND || kind_at(f, k) == K_OR))
        k = x_unary(f, k + 1);
    return k;
}

/* ---- expressions ---- */

/* The width of tokens [from, to) on one line, or -1 when they cannot be on one line: a table,
 * or a comment anywhere but at the very end. */
static int flat_width(const Fmt *f, uint32_t from, uint32_t to)
{
    int w = 0;
    for (uint32_t k = from; k < to; k++) {
        const FTok *t = &f->t[k];
        if (t->kind == K_FIRST || t->n_lead || (t->trail >= 0 && k + 1 < to))
            return -1;
        if (k > from && need_space(f, k - 1, k))
            w++;
        w += t->width;
    }
    return w;
}

static void p_table(Fmt *f, uint32_t k, bool space, bool route, uint32_t *end);
static void close_block(Fmt *f, uint32_t k, int outer, int inner);

/* Tokens [from, to) with the spacing of one line; a table inside opens a block. */
static void p_flat(Fmt *f, uint32_t from, uint32_t to, bool space)
{
    for (uint32_t k = from; k < to && !f->failed;) {
        bool sp = k == from ? space : need_space(f, k - 1, k);
        if (f->t[k].kind == K_FIRST) {
            uint32_t end;
            p_table(f, k, sp, false, &end);
            k = end;
        } else {
            tok(f, k, sp);
            k++;
        }
    }
}

/* The and/or operators at the top level of [from, to): the 'or's if there are any, else the
 * 'and's (an 'or' binds looser). Stores up to max of them in ops (NULL: only count) and returns
 * how many there are, at most max. */
static uint32_t top_operators(const Fmt *f, uint32_t from, uint32_t to, uint32_t *ops, uint32_t max)
{
    uint32_t n_or = 0, n_and = 0;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t n = 0;
        int depth = 0;
        for (uint32_t k = from; k < to; k++) {
            int kind = f->t[k].kind;
            if (kind == '(' || kind == '{')
                depth++;
            else if (kind == ')' || kind == '}')
                depth--;
            else if (depth == 0 && kind == (pass == 0 ? K_OR : K_AND)) {
                if (ops && n < max)
                    ops[n] = k;
                n++;
            }
        }
        if (pass == 0)
            n_or = n;
        else
            n_and = n;
        if (n_or)
            break;
    }
    uint32_t n = n_or ? n_or : n_and;
    return n < max ? n : max;
}

/* An expression over [from, to). When it does not fit, it breaks before each top-level operator,
 * which hangs left of the operand column, but never left of min_at: inside parentheses that is
 * the column after the '(', so that a nested chain cannot look like part of the outer one. */
static void p_expr(Fmt *f, uint32_t from, uint32_t to, bool space, int min_at)
{
    if (f->failed || from >= to)
        return;
    int w = flat_width(f, from, to);
    if (w >= 0 && next_col(f, from, space) + w <= FMT_WIDTH) {
        p_flat(f, from, to, space);
        return;
    }
    uint32_t ops_small[64];
    uint32_t *ops = ops_small;
    uint32_t n_ops = top_operators(f, from, to, ops, 64);
    if (n_ops == 64) { /* a very long chain: count them all */
        uint32_t total = top_operators(f, from, to, NULL, UINT32_MAX);
        ops = kdr_malloc(total * sizeof(uint32_t));
        n_ops = top_operators(f, from, to, ops, total);
    }
    if (n_ops == 0) {
        int kind = f->t[from].kind;
        if (kind == '(' && x_expr(f, from + 1) + 1 == to && f->t[to - 1].kind == ')') {
            tok(f, from, space);
            p_expr(f, from + 1, to - 1, false, f->col);
            tok(f, to - 1, false);
        } else if (kind == K_NOT) {
            tok(f, from, space);
            p_expr(f, from + 1, to, true, min_at);
        } else {
            p_flat(f, from, to, space);
        }
        return;
    }
    int opcol = next_col(f, from, space);
    int saved = f->cont;
    f->cont = opcol;
    p_expr(f, from, ops[0], space, min_at);
    for (uint32_t i = 0; i < n_ops && !f->failed; i++) {
        uint32_t op = ops[i];
        uint32_t next = i + 1 < n_ops ? ops[i + 1] : to;
        int at = opcol - f->t[op].width - 1;
        if (at < min_at)
            at = min_at;
        start_line(f, op, at, at, BLANK_NONE);
        tok(f, op, false);
        p_expr(f, op + 1, next, true, at);
    }
    f->cont = saved;
    if (ops != ops_small)
        kdr_free(ops);
}

typedef struct Branch {
    uint32_t kw, cond_from, cond_to, colon, val_from, val_to;
    int prefix, value;   /* flat widths; -1 when not flat */
    bool aligned;
} Branch;

/* A first-match table at token k ('first'), or a route table's body when `route` (k at '{'). */
static void p_table(Fmt *f, uint32_t k, bool space, bool route, uint32_t *end)
{
    uint32_t open = k;
    if (!route) {
        tok(f, k, space);
        open = k + 1;
    }
    *end = x_table_body(f, open, route);
    if (f->failed)
        return;
    tok(f, open, true);
    int outer = f->line_indent;
    int inner = outer + 2;

    PtrVec branches = {0};
    uint32_t i = open + 1;
    while (!f->failed && kind_at(f, i) != '}') {
        Branch *b = kdr_calloc(1, sizeof *b);
        b->kw = i;
        if (f->t[i].kind == K_WHEN) {
            b->cond_from = i + 1;
            b->cond_to = x_expr(f, i + 1);
        } else {
            b->cond_from = b->cond_to = i + 1;
        }
        b->colon = b->cond_to;
        b->val_from = b->colon + 1;
        b->val_to = route ? b->val_from + 2 : x_expr(f, b->val_from);
        i = b->val_to;
        int cw = b->cond_to > b->cond_from ? flat_width(f, b->cond_from, b->cond_to) : 0;
        b->value = flat_width(f, b->val_from, b->val_to);
        bool quiet = f->t[b->kw].trail < 0 && f->t[b->colon].trail < 0 && f->t[b->colon].n_lead == 0;
        b->prefix = cw < 0 || !quiet ? -1 : f->t[b->kw].width + (b->cond_to > b->cond_from ? 1 + cw : 0) + 1;
        b->aligned = b->prefix >= 0 && b->value >= 0 && b->prefix <= ALIGN_MAX;
        ptrvec_push(&branches, b);
    }
    /* The value column: as far right as the longest aligned branch needs, dropping branches
     * that would then run past the width, until the rest fit. */
    int align = 0;
    for (bool changed = true; changed;) {
        changed = false;
        align = 0;
        for (int b = 0; b < branches.len; b++) {
            const Branch *br = branches.items[b];
            if (br->aligned && br->prefix > align)
                align = br->prefix;
        }
        for (int b = 0; b < branches.len; b++) {
            Branch *br = branches.items[b];
            if (br->aligned && inner + align + 1 + br->value > FMT_WIDTH) {
                br->aligned = false;
                changed = true;
            }
        }
    }
    for (int b = 0; b < branches.len && !f->failed; b++) {
        const Branch *br = branches.items[b];
        start_line(f, br->kw, inner, inner, b == 0 ? BLANK_NOT_FIRST : BLANK_KEEP);
        int saved = f->cont;
        f->cont = inner + 4;
        tok(f, br->kw, false);
        if (br->cond_to > br->cond_from)
            p_expr(f, br->cond_from, br->cond_to, true, inner);
        tok(f, br->colon, false);
        bool value_is_table = !route && f->t[br->val_from].kind == K_FIRST &&
                              x_operand(f, br->val_from) == br->val_to;
        if (value_is_table) {
            uint32_t e;
            p_table(f, br->val_from, true, false, &e);
        } else if (br->aligned) {
            pad_to(f, inner + align + 1);
            p_expr(f, br->val_from, br->val_to, false, inner);
        } else if (br->value >= 0 && next_col(f, br->val_from, true) + br->value > FMT_WIDTH) {
            start_line(f, br->val_from, inner + 2, inner + 2, BLANK_NONE);
            f->cont = inner + 4;
            p_expr(f, br->val_from, br->val_to, false, inner + 2);
        } else {
            p_expr(f, br->val_from, br->val_to, true, inner);
        }
        f->cont = saved;
    }
    for (int b = 0; b < branches.len; b++)
        kdr_free(branches.items[b]);
    ptrvec_free(&branches);
    if (f->failed)
        return;
    close_block(f, *end - 1, outer, inner);
}

/* The '}' at k that closes a block: comments before it stay inside the block, an empty line
 * directly before it goes. */
static void close_block(Fmt *f, uint32_t k, int outer, int inner)
{
    if (k >= f->n) {
        f->failed = true;
        return;
    }
    f->t[k].blank_before = false;
    start_line(f, k, outer, inner, BLANK_KEEP);
    tok(f, k, false);
}

/* ---- lists and clauses ---- */

/* A comma-separated list of single tokens from k; wraps under its first item. Returns the index
 * after the list. */
static uint32_t p_list(Fmt *f, uint32_t k, bool space)
{
    int align = next_col(f, k, space);
    int saved = f->cont;
    f->cont = align;
    tok(f, k, space);
    k++;
    while (!f->failed && kind_at(f, k) == ',' && k + 1 < f->n) {
        tok(f, k, false);
        uint32_t item = k + 1;
        int after = kind_at(f, item + 1) == ',' || kind_at(f, item + 1) == '}' ? 1 : 0;
        if (next_col(f, item, true) + f->t[item].width + after > FMT_WIDTH && !f->must_break) {
            start_line(f, item, align, align, BLANK_NONE);
            tok(f, item, false);
        } else {
            tok(f, item, true);
        }
        k += 2;
    }
    f->cont = saved;
    return k;
}

/* A clause keyword (one or more tokens [k, k+n)) padded to `pad` columns. */
static void clause_keyword(Fmt *f, uint32_t k, uint32_t n, int indent, int pad, BlankMode mode)
{
    start_line(f, k, indent, indent, mode);
    f->cont = indent + 4;
    for (uint32_t i = 0; i < n; i++)
        tok(f, k + i, i > 0);
    if (pad)
        f->pad_col = indent + pad;
}

/* The expression starting at k, printed after a space; returns the index after it. */
static uint32_t clause_expr(Fmt *f, uint32_t k, bool space)
{
    uint32_t end = x_expr(f, k);
    if (!f->failed)
        p_expr(f, k, end, space, f->line_indent);
    return end;
}

/* The body of a definition. A chain that must break starts on the next line when the name
 * leaves too little room (the operands would hang far right, or the first would not fit). */
static uint32_t let_body(Fmt *f, uint32_t k)
{
    enum { DEEP = 40 };
    uint32_t end = x_expr(f, k);
    if (f->failed)
        return end;
    int w = flat_width(f, k, end);
    int col = next_col(f, k, true);
    uint32_t op;
    if ((w < 0 || col + w > FMT_WIDTH) && top_operators(f, k, end, &op, 1) == 1 && !f->must_break &&
        f->t[k].n_lead == 0) {
        int first = flat_width(f, k, op);
        int at = 2, opcol = at + f->t[op].width + 1;
        if (col > DEEP || (first >= 0 && col + first > FMT_WIDTH && opcol + first <= FMT_WIDTH)) {
            /* on a line of its own: flat at the usual indentation if it fits, else hanging */
            bool flat = w >= 0 && 4 + w <= FMT_WIDTH;
            start_line(f, k, flat ? 4 : opcol, flat ? 4 : opcol, BLANK_NONE);
            p_expr(f, k, end, false, at);
            return end;
        }
    }
    p_expr(f, k, end, true, f->line_indent);
    return end;
}

static uint32_t p_strings_or_names(Fmt *f, uint32_t k, bool space)
{
    int kind = kind_at(f, k);
    if (kind != STRING_LIT && !is_name(kind)) {
        f->failed = true;
        return f->n;
    }
    return p_list(f, k, space);
}

/* ---- declarations ---- */

static uint32_t p_fact(Fmt *f, uint32_t k)
{
    tok(f, k, false);
    uint32_t colon = k + 1;
    while (colon < f->n && f->t[colon].kind != ':')
        colon++;
    if (colon >= f->n || colon == k + 1) {
        f->failed = true;
        return f->n;
    }
    p_flat(f, k + 1, colon, true);
    tok(f, colon, true);
    k = colon + 1;
    switch (kind_at(f, k)) {
    case K_BOOL: case K_DATE: case K_STRING:
        tok(f, k, true);
        k++;
        break;
    case K_NUMBER:
        tok(f, k, true);
        k++;
        if (kind_at(f, k) == K_IN) {
            p_flat(f, k, k + 4, true);
            k += 4;
        }
        break;
    case K_ONE:
    case K_SET:
        tok(f, k, true);
        k++;
        if (kind_at(f, k) == K_OF) {
            tok(f, k, true);
            tok(f, k + 1, true);
            if (kind_at(f, k + 1) != '{') {
                f->failed = true;
                return f->n;
            }
            k = p_strings_or_names(f, k + 2, false);
            tok(f, k, false);
            k = x_expect(f, k, '}');
        }
        break;
    default:
        f->failed = true;
        return f->n;
    }
    while (!f->failed) {
        int kind = kind_at(f, k);
        if (kind == K_ASK || kind == K_HELP) {
            clause_keyword(f, k, 1, 2, 0, BLANK_KEEP);
            tok(f, k + 1, true);
            k = x_expect(f, k + 1, STRING_LIT);
        } else if (kind == K_SOURCE) {
            clause_keyword(f, k, 1, 2, 0, BLANK_KEEP);
            k = p_strings_or_names(f, k + 1, true);
        } else if (kind == K_DEFAULT) {
            clause_keyword(f, k, 1, 2, 0, BLANK_KEEP);
            if (kind_at(f, k + 1) == '{') {
                tok(f, k + 1, true);
                k += 2;
                if (kind_at(f, k) != '}')
                    k = p_strings_or_names(f, k, false);
                tok(f, k, false);
                k = x_expect(f, k, '}');
            } else {
                tok(f, k + 1, true);
                k += 2;
            }
        } else {
            break;
        }
    }
    return k;
}

static uint32_t p_requirement(Fmt *f, uint32_t k)
{
    enum { PAD = 12 };
    tok(f, k, false);
    tok(f, k + 1, true);
    tok(f, k + 2, true);
    k = x_expect(f, x_expect(f, k + 1, STRING_LIT), '{');
    BlankMode mode = BLANK_NOT_FIRST;
    while (!f->failed && kind_at(f, k) != '}') {
        switch (kind_at(f, k)) {
        case K_TITLE: case K_DESCRIPTION: case K_STATUS:
            clause_keyword(f, k, 1, 2, PAD, mode);
            tok(f, k + 1, true);
            k = x_expect(f, k + 1, STRING_LIT);
            break;
        case K_PHASE: case K_TOPIC: case K_ROLE: case K_REQUIRES: case K_SOURCE:
            clause_keyword(f, k, 1, 2, PAD, mode);
            k = p_strings_or_names(f, k + 1, true);
            break;
        case K_MEASURE:
            clause_keyword(f, k, 1, 2, PAD, mode);
            tok(f, k + 1, true);
            k = x_expect(f, k + 1, STRING_LIT);
            if (kind_at(f, k) == STRING_LIT) {
                tok(f, k, true);
                k++;
            }
            break;
        case K_META:
            clause_keyword(f, k, 1, 2, PAD, mode);
            tok(f, k + 1, true);
            k = p_strings_or_names(f, k + 2, true);
            break;
        case K_IN_FORCE:
        case K_APPLIES:
            clause_keyword(f, k, 2, 2, 0, mode);
            k = clause_expr(f, k + 2, true);
            break;
        default:
            f->failed = true;
            return f->n;
        }
        mode = BLANK_KEEP;
    }
    close_block(f, k, 0, 2);
    return x_expect(f, k, '}');
}

static uint32_t p_procedure(Fmt *f, uint32_t k)
{
    tok(f, k, false);
    tok(f, k + 1, true);
    tok(f, k + 2, true);
    tok(f, k + 3, true);
    k = x_expect(f, x_expect(f, k + 2, STRING_LIT), '{');
    BlankMode mode = BLANK_NOT_FIRST;
    while (!f->failed && kind_at(f, k) != '}') {
        switch (kind_at(f, k)) {
        case K_REQUIRED:
        case K_AGAIN:
            clause_keyword(f, k, 2, 2, 0, mode);
            k = clause_expr(f, k + 2, true);
            break;
        case K_ROUTE: {
            clause_keyword(f, k, 2, 2, 0, mode);
            uint32_t end;
            p_table(f, k + 2, true, true, &end);
            k = end;
            break;
        }
        case K_SOURCE:
            clause_keyword(f, k, 1, 2, 0, mode);
            k = p_strings_or_names(f, k + 1, true);
            break;
        default:
            f->failed = true;
            return f->n;
        }
        mode = BLANK_KEEP;
    }
    close_block(f, k, 0, 2);
    return x_expect(f, k, '}');
}

static uint32_t p_lifecycle(Fmt *f, uint32_t k)
{
    enum { PAD = 8 };
    tok(f, k, false);
    tok(f, k + 1, true);
    k = x_expect(f, k + 1, '{');
    BlankMode mode = BLANK_NOT_FIRST;
    while (!f->failed && kind_at(f, k) != '}') {
        switch (kind_at(f, k)) {
        case K_PHASES:
        case K_ALWAYS:
            clause_keyword(f, k, 1, 2, PAD, mode);
            k = p_strings_or_names(f, k + 1, true);
            break;
        case K_CURRENT:
            clause_keyword(f, k, 1, 2, PAD, mode);
            k = clause_expr(f, k + 1, true);
            break;
        default:
            f->failed = true;
            return f->n;
        }
        mode = BLANK_KEEP;
    }
    close_block(f, k, 0, 2);
    return x_expect(f, k, '}');
}

static uint32_t p_conclusion(Fmt *f, uint32_t k)
{
    enum { PAD = 11 };
    tok(f, k, false);
    tok(f, k + 1, true);
    tok(f, k + 2, true);
    k = x_expect(f, x_expect(f, k + 1, STRING_LIT), '{');
    BlankMode mode = BLANK_NOT_FIRST;
    while (!f->failed && kind_at(f, k) != '}') {
        switch (kind_at(f, k)) {
        case K_TEXT:
        case K_OBLIGATION:
            clause_keyword(f, k, 1, 2, PAD, mode);
            tok(f, k + 1, true);
            k = x_expect(f, k + 1, STRING_LIT);
            break;
        case K_SOURCE:
            clause_keyword(f, k, 1, 2, PAD, mode);
            k = p_strings_or_names(f, k + 1, true);
            break;
        case K_WHEN:
            clause_keyword(f, k, 1, 2, PAD, mode);
            k = clause_expr(f, k + 1, true);
            break;
        default:
            f->failed = true;
            return f->n;
        }
        mode = BLANK_KEEP;
    }
    close_block(f, k, 0, 2);
    return x_expect(f, k, '}');
}

/* warning id "text" when cond: the text moves to a line of its own when the first line would
 * be too long, the condition always does. */
static uint32_t p_warning(Fmt *f, uint32_t k)
{
    tok(f, k, false);
    tok(f, k + 1, true);
    if (kind_at(f, k + 2) != STRING_LIT || kind_at(f, k + 3) != K_WHEN) {
        f->failed = true;
        return f->n;
    }
    f->cont = 2;
    if (f->t[k + 2].n_lead || next_col(f, k + 2, true) + f->t[k + 2].width > FMT_WIDTH) {
        start_line(f, k + 2, 2, 2, BLANK_NONE);
        tok(f, k + 2, false);
    } else {
        tok(f, k + 2, true);
    }
    clause_keyword(f, k + 3, 1, 2, 0, BLANK_NONE);
    return clause_expr(f, k + 4, true);
}

static void p_file(Fmt *f)
{
    uint32_t k = 0;
    bool first = true;
    while (k < f->n && !f->failed) {
        start_line(f, k, 0, 0, first ? BLANK_NOT_FIRST : BLANK_KEEP);
        first = false;
        f->cont = 4;
        switch (f->t[k].kind) {
        case K_IMPORT:
            tok(f, k, false);
            tok(f, k + 1, true);
            k = x_expect(f, k + 1, STRING_LIT);
            break;
        case K_FACT:
            k = p_fact(f, k);
            break;
        case K_LET:
        case K_LABEL:
        case K_DEFAULT_LET:
            tok(f, k, false);
            tok(f, k + 1, true);
            tok(f, k + 2, true);
            if (!is_name(kind_at(f, k + 1)) || kind_at(f, k + 2) != '=') {
                f->failed = true;
                break;
            }
            f->cont = 4;
            k = let_body(f, k + 3);
            break;
        case K_REQUIREMENT:
            k = p_requirement(f, k);
            break;
        case K_PROCEDURE:
            k = p_procedure(f, k);
            break;
        case K_LIFECYCLE:
            k = p_lifecycle(f, k);
            break;
        case K_CONCLUSION:
            k = p_conclusion(f, k);
            break;
        case K_WARNING:
            k = p_warning(f, k);
            break;
        default:
            f->failed = true;
            break;
        }
    }
    if (f->failed)
        return;
    /* comments after the last declaration */
    start_line(f, f->n, 0, 0, first ? BLANK_NOT_FIRST : BLANK_KEEP);
    newline(f);
}

/* Lays out one tokenised file; NULL when the walker did not understand it. */
static char *layout(const SourceFile *src, const KdrToken *raw, uint32_t n_raw, size_t *out_len)
{
    Fmt f;
    memset(&f, 0, sizeof f);
    f.line_empty = true;
    build_tokens(&f, src, raw, n_raw);
    p_file(&f);
    kdr_free(f.t);
    kdr_free(f.comments);
    if (f.failed) {
        buf_free(&f.out);
        return NULL;
    }
    *out_len = f.out.len;
    if (!f.out.data)
        return kdr_strdup("");
    return buf_take(&f.out);
}

/* ---- comparing programs ---- */

static bool same_str(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool same_strings(const char *const *a, uint32_t na, const char *const *b, uint32_t nb)
{
    if (na != nb)
        return false;
    for (uint32_t i = 0; i < na; i++)
        if (!same_str(a[i], b[i]))
            return false;
    return true;
}

static bool same_names(const NameRef *a, uint32_t na, const NameRef *b, uint32_t nb)
{
    if (na != nb)
        return false;
    for (uint32_t i = 0; i < na; i++)
        if (!same_str(a[i].name, b[i].name))
            return false;
    return true;
}

static bool same_value(Value a, Value b)
{
    if (a.kind != b.kind)
        return false;
    if (a.kind == V_UNKNOWN)
        return true;
    return val_equal(a, b);
}

static bool same_opt_expr(const Expr *a, const Expr *b)
{
    if (!a || !b)
        return a == b;
    return fmt_same_expr(a, b);
}

bool fmt_same_expr(const Expr *a, const Expr *b)
{
    if (a->op != b->op || a->nkids != b->nkids || a->has_otherwise != b->has_otherwise || a->fn != b->fn)
        return false;
    switch ((ExprOp)a->op) {
    case E_LITERAL:
        if (!same_value(a->lit, b->lit))
            return false;
        break;
    case E_FACT:
    case E_LET:
        if (a->slot != b->slot)
            return false;
        break;
    case E_NAME:
    case E_CALL:
        if (!same_strings(a->path, a->path_len, b->path, b->path_len))
            return false;
        break;
    default:
        break;
    }
    for (uint32_t i = 0; i < a->nkids; i++)
        if (!fmt_same_expr(a->kids[i], b->kids[i]))
            return false;
    return true;
}

static bool same_fact(const FactDecl *a, const FactDecl *b)
{
    return same_str(a->name, b->name) && same_strings(a->path, a->path_len, b->path, b->path_len) &&
           a->type == b->type && same_strings(a->allowed, a->n_allowed, b->allowed, b->n_allowed) &&
           a->has_range == b->has_range && (!a->has_range || (a->lo == b->lo && a->hi == b->hi)) &&
           a->has_default == b->has_default && (!a->has_default || same_value(a->default_value, b->default_value)) &&
           same_str(a->ask, b->ask) && same_str(a->help, b->help) &&
           same_strings(a->sources, a->n_sources, b->sources, b->n_sources);
}

static bool same_requirement(const RequirementDecl *a, const RequirementDecl *b)
{
    if (!same_str(a->id, b->id) || !same_str(a->title, b->title) || !same_str(a->description, b->description) ||
        !same_str(a->status, b->status) || !same_names(a->phases, a->n_phases, b->phases, b->n_phases) ||
        !same_names(a->topics, a->n_topics, b->topics, b->n_topics) ||
        !same_names(a->roles, a->n_roles, b->roles, b->n_roles) ||
        !same_strings(a->sources, a->n_sources, b->sources, b->n_sources) ||
        !same_names(a->requires, a->n_requires, b->requires, b->n_requires) ||
        !same_opt_expr(a->in_force_from, b->in_force_from) || !same_opt_expr(a->in_force_until, b->in_force_until) ||
        !same_opt_expr(a->applies_when, b->applies_when) || a->n_measures != b->n_measures || a->n_meta != b->n_meta)
        return false;
    for (uint32_t i = 0; i < a->n_measures; i++)
        if (!same_str(a->measures[i].id, b->measures[i].id) || !same_str(a->measures[i].title, b->measures[i].title))
            return false;
    for (uint32_t i = 0; i < a->n_meta; i++)
        if (!same_str(a->meta[i].key, b->meta[i].key) ||
            !same_strings(a->meta[i].values, a->meta[i].n_values, b->meta[i].values, b->meta[i].n_values))
            return false;
    return true;
}

static bool same_procedure(const ProcedureDecl *a, const ProcedureDecl *b)
{
    if (!same_str(a->id, b->id) || !same_str(a->title, b->title) || !same_opt_expr(a->required_when, b->required_when) ||
        !same_opt_expr(a->again_when, b->again_when) || !same_strings(a->sources, a->n_sources, b->sources, b->n_sources) ||
        a->n_routes != b->n_routes)
        return false;
    for (uint32_t i = 0; i < a->n_routes; i++)
        if (!same_opt_expr(a->routes[i].when, b->routes[i].when) || !same_str(a->routes[i].id, b->routes[i].id) ||
            !same_str(a->routes[i].text, b->routes[i].text))
            return false;
    return true;
}

static const char *decl_kind_name(DeclKind k)
{
    switch (k) {
    case D_IMPORT: return "import";
    case D_FACT: return "fact";
    case D_LET: return "definition";
    case D_REQUIREMENT: return "requirement";
    case D_PROCEDURE: return "procedure";
    case D_CONCLUSION: return "conclusion";
    case D_WARNING: return "warning";
    case D_LIFECYCLE: return "lifecycle";
    }
    return "declaration";
}

static bool same_decl(const Decl *a, const Decl *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case D_IMPORT:
        return same_str(a->as.import->name, b->as.import->name);
    case D_FACT:
        return same_fact(a->as.fact, b->as.fact);
    case D_LET:
        return same_str(a->as.let->name, b->as.let->name) && a->as.let->is_label == b->as.let->is_label &&
               a->as.let->is_default == b->as.let->is_default && fmt_same_expr(a->as.let->body, b->as.let->body);
    case D_REQUIREMENT:
        return same_requirement(a->as.requirement, b->as.requirement);
    case D_PROCEDURE:
        return same_procedure(a->as.procedure, b->as.procedure);
    case D_CONCLUSION: {
        const ConclusionDecl *x = a->as.conclusion, *y = b->as.conclusion;
        return same_str(x->id, y->id) && same_str(x->text, y->text) && same_str(x->obligation, y->obligation) &&
               same_strings(x->sources, x->n_sources, y->sources, y->n_sources) && same_opt_expr(x->when, y->when);
    }
    case D_WARNING: {
        const WarningDecl *x = a->as.warning, *y = b->as.warning;
        return same_str(x->id, y->id) && same_str(x->text, y->text) && same_opt_expr(x->when, y->when);
    }
    case D_LIFECYCLE: {
        const LifecycleDecl *x = a->as.lifecycle, *y = b->as.lifecycle;
        return same_names(x->phases, x->n_phases, y->phases, y->n_phases) &&
               same_names(x->always, x->n_always, y->always, y->n_always) && same_opt_expr(x->current, y->current);
    }
    }
    return false;
}

bool fmt_same_file(const ParsedFile *a, const ParsedFile *b, Buf *why)
{
    uint32_t n = a->n_decls < b->n_decls ? a->n_decls : b->n_decls;
    for (uint32_t i = 0; i < n; i++) {
        if (!same_decl(&a->decls[i], &b->decls[i])) {
            buf_printf(why, "declaration %u (a %s) differs", i + 1, decl_kind_name(a->decls[i].kind));
            return false;
        }
    }
    if (a->n_decls != b->n_decls) {
        buf_printf(why, "%u declarations became %u", a->n_decls, b->n_decls);
        return false;
    }
    return true;
}

/* ---- the command's core ---- */

/* The comments of a token list, as text, one per line: to prove none was lost or reordered. */
static void comment_texts(const SourceFile *src, const KdrToken *t, uint32_t n, Buf *out)
{
    for (uint32_t i = 0; i < n; i++) {
        if (t[i].kind != KDR_TOKEN_COMMENT)
            continue;
        uint32_t len = t[i].loc.end - t[i].loc.start;
        const char *s = src->text + t[i].loc.start;
        while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        buf_add(out, s, len);
        buf_putc(out, '\n');
    }
}

FmtResult fmt_format(const char *name, const char *text, size_t len, FILE *diagnostics, bool color,
                     char **out, size_t *out_len, char **why)
{
    *out = NULL;
    *out_len = 0;
    *why = NULL;
    FmtResult result = FMT_OK;
    Buf reason = {0};
    Program *in = program_new();
    Program *again = program_new();
    Diag diag;
    diag_init(&diag, &in->sources, diagnostics);
    diag.color = color;
    uint32_t file = sources_add(&in->sources, name, kdr_strndup(text, len), len);
    ParsedFile parsed_in = {0}, parsed_out = {0};
    KdrToken *tokens = NULL, *tokens_out = NULL;
    uint32_t n_tokens = 0, n_tokens_out = 0;
    char *formatted = NULL, *twice = NULL;
    size_t formatted_len = 0, twice_len = 0;
    Buf comments_in = {0}, comments_out = {0};

    if (kdr_parse_range(in, file, 0, (uint32_t)len, &diag, &parsed_in) != 0 ||
        kdr_tokenize(in, file, &diag, &tokens, &n_tokens) != 0) {
        result = FMT_SYNTAX;
        goto done;
    }
    formatted = layout(sources_get(&in->sources, file), tokens, n_tokens, &formatted_len);
    if (!formatted) {
        buf_puts(&reason, "the layout does not understand this file");
        result = FMT_INTERNAL;
        goto done;
    }

    /* The checks: same program, same comments, and stable. */
    Diag quiet;
    diag_init(&quiet, &again->sources, NULL);
    uint32_t file2 = sources_add(&again->sources, name, kdr_strndup(formatted, formatted_len), formatted_len);
    if (kdr_parse_range(again, file2, 0, (uint32_t)formatted_len, &quiet, &parsed_out) != 0 ||
        kdr_tokenize(again, file2, &quiet, &tokens_out, &n_tokens_out) != 0) {
        buf_puts(&reason, "the formatted text does not parse");
        result = FMT_INTERNAL;
        goto done;
    }
    if (!fmt_same_file(&parsed_in, &parsed_out, &reason)) {
        result = FMT_INTERNAL;
        goto done;
    }
    comment_texts(sources_get(&in->sources, file), tokens, n_tokens, &comments_in);
    comment_texts(sources_get(&again->sources, file2), tokens_out, n_tokens_out, &comments_out);
    if (comments_in.len != comments_out.len ||
        (comments_in.len && memcmp(comments_in.data, comments_out.data, comments_in.len) != 0)) {
        buf_puts(&reason, "the comments would change");
        result = FMT_INTERNAL;
        goto done;
    }
    twice = layout(sources_get(&again->sources, file2), tokens_out, n_tokens_out, &twice_len);
    if (!twice || twice_len != formatted_len || memcmp(twice, formatted, formatted_len) != 0) {
        buf_puts(&reason, "formatting the result again changes it");
        result = FMT_INTERNAL;
        goto done;
    }
    *out = formatted;
    *out_len = formatted_len;
    formatted = NULL;

done:
    if (result == FMT_INTERNAL)
        *why = buf_take(&reason);
    buf_free(&reason);
    buf_free(&comments_in);
    buf_free(&comments_out);
    kdr_free(formatted);
    kdr_free(twice);
    kdr_free(tokens);
    kdr_free(tokens_out);
    kdr_free(parsed_in.decls);
    kdr_free(parsed_out.decls);
    program_free(in);
    program_free(again);
    return result;
}
