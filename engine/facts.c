/* facts.c — the facts loader: YAML (libyaml events) and JSON (cJSON plus a scanner that knows
 * where every value is) are read into one small tree with byte locations, and that tree is
 * checked against the program's fact declarations. Also --set path=value and defaults. */
#define _POSIX_C_SOURCE 200809L
#include "facts.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Limits on what comes from outside: a facts file is small; anything beyond these is a mistake
 * or an attack, and each gets its own clear message instead of slow or unbounded work. */
enum {
    MAX_DEPTH = 64,                 /* nested mappings and lists */
    MAX_STRING = 64 * 1024,         /* bytes in one key or value */
    MAX_ENTRIES = 100000,           /* keys and list items in one file */
    MAX_TEXT = 64 * 1024 * 1024,    /* bytes in one facts text (offsets are 32-bit) */
    SHOW_MAX = 60,                  /* longer names and values are cut short in messages */
    LIST_MAX = 12,                  /* names listed in one hint */
    HINTS_MAX = 200                 /* "did you mean" searches per load: a wrong file full of
                                       unknown keys must not cost keys x facts edit distances */
};

static const char SPECIAL_DATE[] = "datum";
static const char SPECIAL_NAME[] = "naam";

/* ---- lifetime ---- */

void facts_init(Facts *f, const Program *program)
{
    memset(f, 0, sizeof *f);
    f->program = program;
    f->values = kdr_calloc(program->n_facts, sizeof(Value));
    f->origins = kdr_calloc(program->n_facts, sizeof(FactOrigin));
}

void facts_free(Facts *f)
{
    kdr_free(f->values);
    kdr_free(f->origins);
    arena_free(&f->arena);
    memset(f, 0, sizeof *f);
}

void facts_clear(Facts *f)
{
    arena_reset(&f->arena);
    size_t n = f->program->n_facts;
    if (n) {
        memset(f->values, 0, n * sizeof(Value));
        memset(f->origins, 0, n * sizeof(FactOrigin));
    }
    f->has_date = false;
    f->date = 0;
    f->name = NULL;
    f->source = NULL;
}

/* ---- text helpers for messages ---- */

static char *arena_vfmt(Arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static char *arena_vfmt(Arena *a, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *p = arena_alloc(a, n > 0 ? (size_t)n + 1 : 1);
    if (n > 0)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

static bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* A segment the rule language can write bare (rol-ai-act); anything else is shown quoted. */
static bool is_bare_name(const char *s, size_t len)
{
    if (len == 0 || !is_alpha((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_alpha(c) || is_digit(c))
            continue;
        if (c == '-' && i + 1 < len && (is_alpha((unsigned char)s[i + 1]) || is_digit((unsigned char)s[i + 1])))
            continue;
        return false;
    }
    return true;
}

/* Cuts long text at a character boundary so one huge key cannot flood the terminal. */
static size_t shown_length(const char *s, size_t len, bool *cut)
{
    *cut = len > SHOW_MAX;
    if (!*cut)
        return len;
    size_t n = SHOW_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* Control characters are escaped: a key like "a\nb" must not break the message in two. */
static void put_escaped(Buf *b, const char *s, size_t len, bool quote)
{
    bool cut;
    size_t n = shown_length(s, len, &cut);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (quote && (c == '"' || c == '\\')) {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
        } else if (c == '\n') {
            buf_puts(b, "\\n");
        } else if (c == '\t') {
            buf_puts(b, "\\t");
        } else if (c < 0x20 || c == 0x7F) {
            buf_printf(b, "\\x%02x", c);
        } else {
            buf_putc(b, (char)c);
        }
    }
    if (cut)
        buf_puts(b, "...");
}

static void put_segment(Buf *b, const char *s, size_t len)
{
    if (is_bare_name(s, len)) {
        put_escaped(b, s, len, false);
    } else {
        buf_putc(b, '"');
        put_escaped(b, s, len, true);
        buf_putc(b, '"');
    }
}

/* A value as shown between quotes in a message. */
static const char *shown_value(Arena *a, const char *s, size_t len)
{
    Buf b = {0};
    put_escaped(&b, s, len, false);
    char *r = arena_strdup(a, buf_str(&b));
    buf_free(&b);
    return r;
}

static int suggest_limit(size_t len) { return len <= 3 ? 1 : len <= 6 ? 2 : 3; }

/* The candidate nearest to s within the suggestion limit, or NULL. */
static const char *nearest(const char *s, const char *const *cands, size_t n)
{
    int limit = suggest_limit(strlen(s)), best = limit + 1;
    const char *found = NULL;
    for (size_t i = 0; i < n; i++) {
        int d = edit_distance(s, cands[i], limit);
        if (d < best) {
            best = d;
            found = cands[i];
        }
    }
    return found;
}

/* The allowed values, separated by ", "; when one of them holds a comma or a space (answers of
 * the decision tree do), every value is quoted so the list stays readable. */
static void put_allowed(Buf *b, const FactDecl *fd)
{
    bool quote = false;
    for (uint32_t i = 0; i < fd->n_allowed; i++)
        quote |= strpbrk(fd->allowed[i], ", ") != NULL;
    for (uint32_t i = 0; i < fd->n_allowed; i++) {
        if (i)
            buf_puts(b, ", ");
        buf_printf(b, quote ? "\"%s\"" : "%s", fd->allowed[i]);
    }
}

static bool is_allowed(const FactDecl *fd, const char *s)
{
    if (fd->n_allowed == 0)
        return true;
    for (uint32_t i = 0; i < fd->n_allowed; i++)
        if (strcmp(fd->allowed[i], s) == 0)
            return true;
    return false;
}

static int compare_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "a, b, c, and 4 more": the keys allowed under a node (plus datum and naam at the top). */
static void put_keys(Buf *b, const PathNode *level, bool top)
{
    size_t n = (level ? level->n_children : 0) + (top ? 2 : 0);
    const char **names = kdr_malloc((n ? n : 1) * sizeof *names);
    size_t k = 0;
    for (uint32_t i = 0; level && i < level->n_children; i++)
        names[k++] = level->children[i]->segment;
    if (top) {
        names[k++] = SPECIAL_DATE;
        names[k++] = SPECIAL_NAME;
    }
    qsort(names, k, sizeof *names, compare_cstr);
    for (size_t i = 0; i < k && i < LIST_MAX; i++) {
        if (i)
            buf_puts(b, ", ");
        put_segment(b, names[i], strlen(names[i]));
    }
    if (k > LIST_MAX)
        buf_printf(b, ", and %zu more", k - LIST_MAX);
    kdr_free(names);
}

typedef struct Near {
    int dist;
    Buf path;
} Near;

/* Looks through the whole tree for a segment close to key, so a fact written at the wrong level
 * (risicogroep at the top instead of under ai_act) still gets a useful suggestion. */
static void near_walk(const PathNode *node, Buf *cur, const char *key, int limit, Near *best)
{
    for (uint32_t i = 0; i < node->n_children; i++) {
        const PathNode *c = node->children[i];
        size_t save = cur->len;
        if (cur->len)
            buf_putc(cur, '.');
        put_segment(cur, c->segment, strlen(c->segment));
        int d = edit_distance(key, c->segment, limit);
        if (d < best->dist) {
            best->dist = d;
            buf_clear(&best->path);
            buf_add(&best->path, cur->data, cur->len);
        }
        near_walk(c, cur, key, limit, best);
        cur->len = save;
        if (cur->data)
            cur->data[save] = '\0';
    }
}

/* The hint for an undeclared key: the nearest declared name, else the keys allowed here.
 * prefix is the formatted path of `level` ("" at the top). */
static void undeclared_hint(Buf *out, const Program *p, const PathNode *level, bool top,
                            const char *prefix, const char *key)
{
    /* Rules name a fact by its short name (rol); the file holds it at its path (ai_act.rol-ai-act). */
    Buf typed = {0};
    if (*prefix)
        buf_printf(&typed, "%s.", prefix);
    put_segment(&typed, key, strlen(key));
    for (uint32_t i = 0; i < p->n_facts; i++) {
        const FactDecl *fd = p->facts[i];
        if (fd->name && strcmp(fd->name, buf_str(&typed)) == 0 && fd->path_len) {
            buf_printf(out, "the fact '%s' is given at '", fd->name);
            for (uint32_t k = 0; k < fd->path_len; k++) {
                if (k)
                    buf_putc(out, '.');
                put_segment(out, fd->path[k], strlen(fd->path[k]));
            }
            buf_puts(out, "'");
            buf_free(&typed);
            return;
        }
    }
    buf_free(&typed);
    int limit = suggest_limit(strlen(key));
    const char *sib = NULL;
    if (level) {
        const char **names = kdr_malloc((level->n_children + 2) * sizeof *names);
        size_t k = 0;
        for (uint32_t i = 0; i < level->n_children; i++)
            names[k++] = level->children[i]->segment;
        if (top) {
            names[k++] = SPECIAL_DATE;
            names[k++] = SPECIAL_NAME;
        }
        sib = nearest(key, names, k);
        kdr_free(names);
    } else if (top) {
        const char *names[] = {SPECIAL_DATE, SPECIAL_NAME};
        sib = nearest(key, names, 2);
    }
    if (sib) {
        buf_puts(out, "did you mean '");
        if (*prefix)
            buf_printf(out, "%s.", prefix);
        put_segment(out, sib, strlen(sib));
        buf_puts(out, "'?");
        return;
    }
    if (p->fact_root) {
        Near best = {.dist = limit + 1};
        Buf cur = {0};
        near_walk(p->fact_root, &cur, key, limit, &best);
        buf_free(&cur);
        if (best.dist <= limit) {
            buf_printf(out, "did you mean '%s'?", buf_str(&best.path));
            buf_free(&best.path);
            return;
        }
        buf_free(&best.path);
    }
    if (top || (level && level->n_children)) {
        buf_puts(out, "keys allowed here: ");
        put_keys(out, level, top);
    }
}

/* ---- scalars ---- */

/* YAML 1.2 core schema decimal numbers, and .inf / .nan so that they are called numbers (and
 * then refused as not finite) rather than strings. Hex and octal are not numbers here. */
static bool is_number_text(const char *s, size_t len)
{
    size_t i = 0;
    if (len == 4 && (!strncmp(s, ".nan", 4) || !strncmp(s, ".NaN", 4) || !strncmp(s, ".NAN", 4)))
        return true;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    if (len - i == 4 && (!strncmp(s + i, ".inf", 4) || !strncmp(s + i, ".Inf", 4) || !strncmp(s + i, ".INF", 4)))
        return true;
    size_t d1 = 0, d2 = 0;
    while (i < len && is_digit((unsigned char)s[i]))
        i++, d1++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && is_digit((unsigned char)s[i]))
            i++, d2++;
    }
    if (d1 + d2 == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d3 = 0;
        while (i < len && is_digit((unsigned char)s[i]))
            i++, d3++;
        if (d3 == 0)
            return false;
    }
    return i == len;
}

/* The value of text that is_number_text accepted. strtod is used on a copy because the text
 * need not be NUL-terminated; facts are read under the C locale's decimal point. */
static double number_of(const char *s, size_t len)
{
    const char *t = s;
    if (len && (*t == '+' || *t == '-'))
        t++;
    if (t[0] == '.' && (t[1] == 'n' || t[1] == 'N'))
        return NAN;
    if (t[0] == '.' && (t[1] == 'i' || t[1] == 'I'))
        return s[0] == '-' ? -INFINITY : INFINITY;
    char tmp[64];
    char *heap = NULL;
    char *p = tmp;
    if (len >= sizeof tmp)
        p = heap = kdr_malloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    double d = strtod(p, NULL);
    kdr_free(heap);
    return d;
}

static bool is_yaml_null(const char *s, size_t len)
{
    return len == 0 || (len == 1 && s[0] == '~') ||
           (len == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static bool text_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* Words people write for a boolean that kader will not guess at. */
static bool looks_boolean(const char *s, size_t len)
{
    static const char *const words[] = {"true", "false", "yes", "no", "ja", "nee", "y", "n", "j", "on", "off"};
    if (len > 5)
        return false;
    char low[6];
    for (size_t i = 0; i < len; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    for (size_t i = 0; i < KDR_ARRAY_LEN(words); i++)
        if (text_is(low, len, words[i]))
            return true;
    return false;
}

/* "3,5": a decimal comma, as Dutch authors often write. */
static bool is_decimal_comma(const char *s, size_t len)
{
    const char *c = memchr(s, ',', len);
    if (!c || c == s || c == s + len - 1)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s + i != c && !is_digit((unsigned char)s[i]) && !(i == 0 && s[i] == '-'))
            return false;
    return true;
}

/* "3,5" written with a decimal point, for the hint. */
static const char *with_point(Arena *a, const char *s, size_t len)
{
    char *p = arena_strndup(a, s, len);
    char *c = strchr(p, ',');
    if (c)
        *c = '.';
    return p;
}

static bool is_json_name(const char *name)
{
    return str_ends_with(name, ".json") || str_ends_with(name, ".JSON");
}

static bool is_yaml_name(const char *name)
{
    return str_ends_with(name, ".yaml") || str_ends_with(name, ".yml") ||
           str_ends_with(name, ".YAML") || str_ends_with(name, ".YML");
}

static size_t bom_length(const char *s, size_t len)
{
    return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* ---- the tree both formats are read into ---- */

typedef enum NodeKind { N_SCALAR, N_MAP, N_SEQ, N_BAD /* already reported: skip silently */ } NodeKind;
typedef enum ScalarStyle {
    SC_NULL,         /* YAML ~, null, empty; JSON null */
    SC_PLAIN,        /* a YAML plain scalar: its type follows from its text */
    SC_STRING,       /* quoted, block or !!str YAML; a JSON string */
    SC_JSON_NUMBER,
    SC_JSON_BOOL
} ScalarStyle;

typedef struct Node Node;
struct Node {
    uint8_t kind;          /* NodeKind */
    uint8_t style;         /* ScalarStyle */
    bool key_bad;          /* as a mapping entry: its key was refused (already reported) */
    bool tag_bad;          /* YAML collection with a refused tag: becomes N_BAD when it ends */
    const char *text;      /* scalar text, NUL-terminated and NUL-free */
    size_t len;
    double num;            /* SC_JSON_NUMBER */
    KdrLoc loc;
    const char *key;       /* as a mapping entry: its key */
    size_t key_len;
    KdrLoc key_loc;
    Node *first, *last, *next;
    uint32_t n_kids;
    Node *pending_key;     /* YAML building: a key still waiting for its value */
};

typedef enum ScalarClass { CL_NONE, CL_NULL, CL_BOOL, CL_NUMBER, CL_DATE, CL_STRING } ScalarClass;

static ScalarClass class_of(const Node *n)
{
    if (n->kind != N_SCALAR)
        return CL_NONE;
    switch ((ScalarStyle)n->style) {
    case SC_NULL: return CL_NULL;
    case SC_STRING: return CL_STRING;
    case SC_JSON_NUMBER: return CL_NUMBER;
    case SC_JSON_BOOL: return CL_BOOL;
    case SC_PLAIN: break;
    }
    if (text_is(n->text, n->len, "true") || text_is(n->text, n->len, "false"))
        return CL_BOOL;
    if (is_number_text(n->text, n->len))
        return CL_NUMBER;
    if (date_is_shape(n->text, n->len))
        return CL_DATE;
    return CL_STRING;
}

static const char *describe(const Node *n)
{
    switch (n->kind) {
    case N_MAP: return "a mapping";
    case N_SEQ: return "a list";
    default: break;
    }
    switch (class_of(n)) {
    case CL_NULL: return "null";
    case CL_BOOL: return "a boolean";
    case CL_NUMBER: return "a number";
    case CL_DATE: return "a date";
    default: return "a string";
    }
}

/* ---- one load: its source, tree and errors ---- */

/* Errors are collected and printed sorted by place: the tree is built and checked in separate
 * passes, and the user should read the errors in the order of the file. */
typedef struct Pending {
    KdrLoc loc;
    const char *msg, *hint;
    uint32_t seq;
} Pending;

typedef struct Load {
    Facts *f;
    const SourceFile *src;
    uint32_t file;
    Arena tmp;              /* the tree and the message texts; freed when the load ends */
    Pending *errs;
    uint32_t n_errs, cap_errs;
    uint32_t entries;       /* keys and list items, against MAX_ENTRIES */
    bool fatal;             /* the tree is incomplete: it is not checked */
    uint32_t aliases;       /* aliases met: the first is reported, the count in its hint */
    KdrLoc first_alias;
    const char *seg[MAX_DEPTH + 1]; /* the key path of the value being checked */
    size_t seg_len[MAX_DEPTH + 1];
    int n_seg;
    /* Line indexes, built on first use. Turning a place into an offset by scanning from the
     * top of the file for every libyaml mark or duplicate key would make a long file cost
     * lines x bytes. */
    uint32_t *ylines;       /* line starts as libyaml counts lines */
    size_t n_ylines;
    size_t mark_line, mark_col; /* the last mark converted, to walk on from within a line */
    uint32_t mark_off;
    bool mark_cached;
    bool marks_are_offsets; /* ASCII without '\r': a mark's index plus mark_base is the offset */
    uint32_t mark_base;     /* bytes before libyaml's input (a byte-order mark) */
} Load;

static void lerr(Load *ld, KdrLoc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void lerr(Load *ld, KdrLoc loc, const char *fmt, ...)
{
    if (ld->n_errs == ld->cap_errs) {
        ld->cap_errs = ld->cap_errs ? ld->cap_errs * 2 : 16;
        ld->errs = kdr_realloc(ld->errs, ld->cap_errs * sizeof *ld->errs);
    }
    va_list ap;
    va_start(ap, fmt);
    Pending *e = &ld->errs[ld->n_errs];
    e->loc = loc;
    e->msg = arena_vfmt(&ld->tmp, fmt, ap);
    e->hint = NULL;
    e->seq = ld->n_errs++;
    va_end(ap);
}

/* Attaches a hint to the error just recorded. */
static void lhint(Load *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lhint(Load *ld, const char *fmt, ...)
{
    if (!ld->n_errs)
        return;
    va_list ap;
    va_start(ap, fmt);
    ld->errs[ld->n_errs - 1].hint = arena_vfmt(&ld->tmp, fmt, ap);
    va_end(ap);
}

static int compare_pending(const void *a, const void *b)
{
    const Pending *x = a, *y = b;
    if (x->loc.start != y->loc.start)
        return x->loc.start < y->loc.start ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int emit_errors(Load *ld, Diag *diag)
{
    if (ld->n_errs)
        qsort(ld->errs, ld->n_errs, sizeof *ld->errs, compare_pending);
    for (uint32_t i = 0; i < ld->n_errs; i++) {
        diag_at(diag, DIAG_ERROR, ld->errs[i].loc, "%s", ld->errs[i].msg);
        if (ld->errs[i].hint)
            diag_hint(diag, "%s", ld->errs[i].hint);
    }
    return ld->n_errs ? -1 : 0;
}

static KdrLoc span(const Load *ld, size_t start, size_t end)
{
    KdrLoc l = {ld->file, (uint32_t)start, (uint32_t)(end < start ? start : end)};
    return l;
}

/* The dotted path of the value being checked, plus `last` when given, as the user would write
 * it with --set (quoted segments where needed). */
static const char *path_text(Load *ld, const char *last, size_t last_len)
{
    Buf b = {0};
    for (int i = 0; i < ld->n_seg; i++) {
        if (i)
            buf_putc(&b, '.');
        put_segment(&b, ld->seg[i], ld->seg_len[i]);
    }
    if (last) {
        if (ld->n_seg)
            buf_putc(&b, '.');
        put_segment(&b, last, last_len);
    }
    char *r = arena_strdup(&ld->tmp, buf_str(&b));
    buf_free(&b);
    return r;
}

static Node *new_node(Load *ld, NodeKind kind, KdrLoc loc)
{
    Node *n = arena_alloc(&ld->tmp, sizeof *n);
    n->kind = (uint8_t)kind;
    n->loc = loc;
    return n;
}

static void append_kid(Node *parent, Node *kid)
{
    if (parent->last)
        parent->last->next = kid;
    else
        parent->first = kid;
    parent->last = kid;
    parent->n_kids++;
}

/* Counts a key or list item; false (after reporting) once the file holds too many. */
static bool count_entry(Load *ld, KdrLoc loc)
{
    if (++ld->entries <= MAX_ENTRIES)
        return true;
    lerr(ld, loc, "more than %d keys and list items in one facts file", MAX_ENTRIES);
    ld->fatal = true;
    return false;
}

/* Refuses strings that cannot be stored: too long, or holding a NUL byte (which C strings would
 * silently cut short). */
static bool string_ok(Load *ld, KdrLoc loc, const char *s, size_t len, bool has_nul)
{
    if (len > MAX_STRING) {
        lerr(ld, loc, "string is longer than 64 KiB (%zu bytes)", len);
        return false;
    }
    if (has_nul || memchr(s, '\0', len)) {
        lerr(ld, loc, "string contains a NUL byte");
        return false;
    }
    return true;
}

/* ---- YAML ---- */

static void yaml_out_of_memory(void)
{
    kdr_out_of_memory(); /* the same policy as kader's own allocations */
}

/* Length of the line break at s[i] as libyaml reads breaks (\n, \r, \r\n, NEL, LS, PS), or 0. */
static size_t yaml_break_at(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '\n')
        return 1;
    if (c == '\r')
        return i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0x85)
        return 2;
    if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9))
        return 3;
    return 0;
}

/* libyaml is given the text after the byte order mark, so its first line starts there. */
static void build_yaml_lines(Load *ld)
{
    const char *s = ld->src->text;
    size_t len = ld->src->len, n = 1, base = bom_length(s, len);
    for (size_t i = base; i < len;) {
        size_t b = yaml_break_at(s, len, i);
        n += b > 0;
        i += b ? b : 1;
    }
    ld->ylines = kdr_malloc(n * sizeof *ld->ylines);
    ld->ylines[0] = (uint32_t)base;
    ld->n_ylines = 1;
    for (size_t i = base; i < len;) {
        size_t b = yaml_break_at(s, len, i);
        i += b ? b : 1;
        if (b)
            ld->ylines[ld->n_ylines++] = (uint32_t)i;
    }
}

/* The byte offset of a libyaml mark (0-based line, column in characters), as
 * source_offset_of computes it but in time proportional to the distance moved: marks mostly
 * come in file order, so the walk continues from the previous one. */
static uint32_t mark_offset(Load *ld, yaml_mark_t m)
{
    /* libyaml counts characters and its own line breaks; in the usual file, plain ASCII with
     * \n line ends, that is a byte count, and no line index is needed. */
    if (ld->marks_are_offsets)
        return m.index + ld->mark_base < ld->src->len ? (uint32_t)(m.index + ld->mark_base) : (uint32_t)ld->src->len;
    const char *s = ld->src->text;
    if (!ld->ylines)
        build_yaml_lines(ld);
    if (m.line >= ld->n_ylines)
        return (uint32_t)ld->src->len; /* a mark past the last line: the end of the input */
    size_t line = m.line;
    size_t stop = line + 1 < ld->n_ylines ? ld->ylines[line + 1] : ld->src->len;
    size_t off = ld->ylines[line], col = 0;
    if (ld->mark_cached && ld->mark_line == line && ld->mark_col <= m.column) {
        off = ld->mark_off;
        col = ld->mark_col;
    }
    while (col < m.column && off < stop) {
        off++;
        while (off < stop && ((unsigned char)s[off] & 0xC0) == 0x80)
            off++;
        col++;
    }
    ld->mark_cached = true;
    ld->mark_line = line;
    ld->mark_col = col;
    ld->mark_off = (uint32_t)off;
    return (uint32_t)off;
}

static KdrLoc mark_span(Load *ld, yaml_mark_t a, yaml_mark_t b)
{
    uint32_t start = mark_offset(ld, a);
    return span(ld, start, mark_offset(ld, b));
}

/* The 1-based line of an offset as messages number lines (the source's own line index). */
static int line_of(const Load *ld, uint32_t off)
{
    int line, col;
    source_line_col(ld->src, off, &line, &col);
    return line;
}

static void yaml_report(Load *ld, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        yaml_out_of_memory();
    size_t at;
    if (p->error == YAML_READER_ERROR) {
        at = p->problem_offset + bom_length(ld->src->text, ld->src->len);
        if (at > ld->src->len)
            at = ld->src->len;
    } else {
        at = mark_offset(ld, p->problem_mark);
    }
    lerr(ld, span(ld, at, at + 1), "invalid YAML: %s", p->problem ? p->problem : "syntax error");
    if (p->context && p->error != YAML_READER_ERROR)
        lhint(ld, "%s that starts on line %zu", p->context, p->context_mark.line + 1);
}

static bool tag_is(const yaml_char_t *tag, const char *name)
{
    static const char prefix[] = "tag:yaml.org,2002:";
    const char *t = (const char *)tag;
    return strncmp(t, prefix, sizeof prefix - 1) == 0 && strcmp(t + sizeof prefix - 1, name) == 0;
}

static Node *yaml_scalar(Load *ld, const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    Node *n = new_node(ld, N_SCALAR, mark_span(ld, ev->start_mark, ev->end_mark));
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    const yaml_char_t *tag = ev->data.scalar.tag;
    if (tag) {
        if (tag_is(tag, "str") || strcmp((const char *)tag, "!") == 0) {
            plain = false;
        } else if (!(tag_is(tag, "null") || tag_is(tag, "bool") || tag_is(tag, "int") ||
                     tag_is(tag, "float") || tag_is(tag, "timestamp"))) {
            lerr(ld, n->loc, "unsupported YAML tag '%s'", shown_value(&ld->tmp, (const char *)tag, strlen((const char *)tag)));
            n->kind = N_BAD;
            return n;
        }
    }
    if (!string_ok(ld, n->loc, v, len, false)) {
        n->kind = N_BAD;
        return n;
    }
    n->text = arena_strndup(&ld->tmp, v, len);
    n->len = len;
    n->style = plain ? (is_yaml_null(v, len) ? SC_NULL : SC_PLAIN) : SC_STRING;
    return n;
}

/* Hands a finished node to the mapping or list it belongs to. In a mapping the nodes come as
 * key, value, key, value. */
static bool yaml_deliver(Load *ld, Node *parent, Node *node)
{
    if (parent->kind == N_SEQ) {
        if (!count_entry(ld, node->loc))
            return false;
        append_kid(parent, node);
        return true;
    }
    if (!parent->pending_key) {
        if (!count_entry(ld, node->loc))
            return false;
        parent->pending_key = node;
        return true;
    }
    Node *key = parent->pending_key;
    parent->pending_key = NULL;
    node->key_loc = key->loc;
    if (key->kind == N_SCALAR) {
        node->key = key->text;
        node->key_len = key->len;
    } else {
        node->key_bad = true;
        if (key->kind != N_BAD)
            lerr(ld, key->loc, "a key must be a string, not %s", describe(key));
    }
    append_kid(parent, node);
    return true;
}

static Node *yaml_build(Load *ld)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        yaml_out_of_memory();
    /* Always UTF-8, so that messages can show the source's bytes as they are. With the encoding
     * set, libyaml would read a byte order mark as a character of column 1 (and then find the
     * second line less indented than the first), so the mark is skipped here. */
    size_t base = bom_length(ld->src->text, ld->src->len);
    ld->mark_base = (uint32_t)base;
    ld->marks_are_offsets = true;
    for (size_t i = base; i < ld->src->len; i++)
        if ((unsigned char)ld->src->text[i] >= 0x80 || ld->src->text[i] == '\r') {
            ld->marks_are_offsets = false;
            break;
        }
    yaml_parser_set_input_string(&p, (const unsigned char *)ld->src->text + base, ld->src->len - base);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    Node *stack[MAX_DEPTH];
    int sp = 0, docs = 0;
    Node *root = NULL;
    bool done = false;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            yaml_report(ld, &p);
            ld->fatal = true;
            break;
        }
        Node *node = NULL; /* a finished node for its parent */
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                /* The first document is complete and still checked. */
                lerr(ld, mark_span(ld, ev.start_mark, ev.end_mark),
                     "more than one YAML document in a facts file");
                lhint(ld, "give each system its own facts file");
                done = true;
            }
            break;
        case YAML_ALIAS_EVENT:
            /* Aliases are refused, not expanded: expansion is how a small file becomes a
             * billion values (the alias bomb), and facts files have no need for them. */
            /* Only the first is reported (an alias bomb holds thousands): one message, with
             * the count added when the file is done. */
            node = new_node(ld, N_BAD, mark_span(ld, ev.start_mark, ev.end_mark));
            if (ld->aliases++ == 0)
                ld->first_alias = node->loc;
            break;
        case YAML_SCALAR_EVENT:
            node = yaml_scalar(ld, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            bool map = ev.type == YAML_MAPPING_START_EVENT;
            KdrLoc loc = mark_span(ld, ev.start_mark, ev.end_mark);
            if (sp == MAX_DEPTH) {
                lerr(ld, loc, "nesting deeper than %d levels", MAX_DEPTH);
                ld->fatal = true;
                done = true;
                break;
            }
            Node *c = new_node(ld, map ? N_MAP : N_SEQ, loc);
            const yaml_char_t *tag = map ? ev.data.mapping_start.tag : ev.data.sequence_start.tag;
            if (tag && !tag_is(tag, map ? "map" : "seq")) {
                lerr(ld, loc, "unsupported YAML tag '%s'", shown_value(&ld->tmp, (const char *)tag, strlen((const char *)tag)));
                c->tag_bad = true;
            }
            stack[sp++] = c;
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            node = stack[--sp];
            node->loc.end = mark_offset(ld, ev.end_mark);
            if (node->loc.end < node->loc.start)
                node->loc.end = node->loc.start;
            if (node->tag_bad)
                node->kind = N_BAD;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (node) {
            if (sp == 0) {
                root = node;
            } else if (!yaml_deliver(ld, stack[sp - 1], node)) {
                break;
            }
        }
    }
    yaml_parser_delete(&p);
    if (ld->aliases) {
        /* The values around an alias bomb are nested lists, wrong in their own right: one
         * message about the aliases says what matters, so the tree is not checked further. */
        ld->fatal = true;
        lerr(ld, ld->first_alias, "YAML aliases are not allowed in facts files");
        if (ld->aliases > 1)
            lhint(ld, "write the value out in full (this file has %u aliases)", ld->aliases);
        else
            lhint(ld, "write the value out in full");
    }
    return root;
}

/* ---- JSON ---- */

/* cJSON gives no positions. The scanner below walks the same text and records, for every
 * value in document order, where it (and its key) stands; a pre-order walk of cJSON's tree
 * meets the values in the same order, so the two are paired by index. The scanner runs first
 * and enforces the limits, so cJSON never sees a file that would make it allocate wildly; it
 * also checks the grammar strictly and so gives exact places for syntax errors. */
typedef struct JsonPos {
    uint32_t key_start, key_end, start, end;
    bool key_nul, nul; /* the string holds \u0000 */
} JsonPos;

typedef struct JsonScan {
    Load *ld;
    const char *s;
    size_t len, i;
    JsonPos *pos;
    size_t n_pos, cap_pos;
    bool failed;
} JsonScan;

static void js_ws(JsonScan *sc)
{
    while (sc->i < sc->len) {
        char c = sc->s[sc->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        sc->i++;
    }
}

/* What stands at offset i, for "found ..." in a message. */
static const char *js_found(JsonScan *sc, size_t i)
{
    if (i >= sc->len)
        return "end of input";
    unsigned char c = (unsigned char)sc->s[i];
    if (c < 0x20 || c == 0x7F)
        return arena_printf(&sc->ld->tmp, "a control character (0x%02x)", c);
    if (c == '\'')
        return "a single quote";
    size_t n = 1;
    if (is_alpha(c) || is_digit(c) || c == '-' || c == '+' || c == '.') {
        while (i + n < sc->len) {
            unsigned char d = (unsigned char)sc->s[i + n];
            if (!(is_alpha(d) || is_digit(d) || d == '-' || d == '+' || d == '.'))
                break;
            n++;
        }
    } else {
        while (i + n < sc->len && ((unsigned char)sc->s[i + n] & 0xC0) == 0x80)
            n++;
    }
    return arena_printf(&sc->ld->tmp, "'%s'", shown_value(&sc->ld->tmp, sc->s + i, n));
}

static void js_fail(JsonScan *sc, size_t at, size_t end, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void js_fail(JsonScan *sc, size_t at, size_t end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = arena_vfmt(&sc->ld->tmp, fmt, ap);
    va_end(ap);
    lerr(sc->ld, span(sc->ld, at, end > at ? end : at + 1), "invalid JSON: %s", msg);
    sc->ld->fatal = true;
    sc->failed = true;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static long js_hex4(const JsonScan *sc, size_t at)
{
    if (at + 4 > sc->len)
        return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hex_digit(sc->s[at + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* A string starting at the '"' under the cursor; sets *nul when it decodes to a NUL byte. */
static void js_string(JsonScan *sc, bool *nul)
{
    size_t open = sc->i++;
    *nul = false;
    while (sc->i < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->i];
        if (c == '"') {
            sc->i++;
            return;
        }
        if (c == '\n' || c == '\r') {
            js_fail(sc, open, open + 1, "unterminated string");
            lhint(sc->ld, "a JSON string ends on its own line; write \\n for a line break");
            return;
        }
        if (c < 0x20) {
            js_fail(sc, sc->i, sc->i + 1, "control character in a string");
            lhint(sc->ld, "write it as an escape such as \\t or \\u00%02x", c);
            return;
        }
        if (c != '\\') {
            sc->i++;
            continue;
        }
        size_t esc = sc->i;
        char e = sc->i + 1 < sc->len ? sc->s[sc->i + 1] : '\0';
        if (e && strchr("\"\\/bfnrt", e)) {
            sc->i += 2;
            continue;
        }
        if (e != 'u') {
            js_fail(sc, esc, esc + 2, "invalid escape '%s'", shown_value(&sc->ld->tmp, sc->s + esc, sc->i + 1 < sc->len ? 2 : 1));
            return;
        }
        long u = js_hex4(sc, esc + 2);
        if (u < 0) {
            js_fail(sc, esc, esc + 2, "\\u must be followed by four hex digits");
            return;
        }
        sc->i = esc + 6;
        if (u == 0)
            *nul = true;
        if (u >= 0xDC00 && u <= 0xDFFF) {
            js_fail(sc, esc, esc + 6, "unpaired surrogate in \\u escape");
            return;
        }
        if (u >= 0xD800 && u <= 0xDBFF) {
            long lo = sc->i + 1 < sc->len && sc->s[sc->i] == '\\' && sc->s[sc->i + 1] == 'u' ? js_hex4(sc, sc->i + 2) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF) {
                js_fail(sc, esc, esc + 6, "unpaired surrogate in \\u escape");
                return;
            }
            sc->i += 6;
        }
    }
    js_fail(sc, open, open + 1, "unterminated string");
}

/* JSON's number grammar, stricter than cJSON (which takes 01 and -.5). */
static bool js_is_number(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && s[i] == '-')
        i++;
    if (i < len && s[i] == '0') {
        i++;
    } else if (i < len && s[i] >= '1' && s[i] <= '9') {
        while (i < len && is_digit((unsigned char)s[i]))
            i++;
    } else {
        return false;
    }
    if (i < len && s[i] == '.') {
        size_t d = ++i;
        while (i < len && is_digit((unsigned char)s[i]))
            i++;
        if (i == d)
            return false;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d = i;
        while (i < len && is_digit((unsigned char)s[i]))
            i++;
        if (i == d)
            return false;
    }
    return i == len;
}

static size_t js_push(JsonScan *sc)
{
    if (sc->n_pos == sc->cap_pos) {
        sc->cap_pos = sc->cap_pos ? sc->cap_pos * 2 : 64;
        sc->pos = kdr_realloc(sc->pos, sc->cap_pos * sizeof *sc->pos);
    }
    memset(&sc->pos[sc->n_pos], 0, sizeof *sc->pos);
    return sc->n_pos++;
}

static void js_value(JsonScan *sc, int depth, const JsonPos *key)
{
    js_ws(sc);
    size_t at = sc->i;
    if (at >= sc->len) {
        js_fail(sc, at, at, "expected a value, found end of input");
        return;
    }
    size_t slot = js_push(sc);
    if (key)
        sc->pos[slot] = *key;
    sc->pos[slot].start = (uint32_t)at;
    char c = sc->s[at];
    bool nul = false;
    if (c == '{' || c == '[') {
        bool obj = c == '{';
        char close = obj ? '}' : ']';
        if (depth == MAX_DEPTH) {
            lerr(sc->ld, span(sc->ld, at, at + 1), "nesting deeper than %d levels", MAX_DEPTH);
            sc->ld->fatal = sc->failed = true;
            return;
        }
        sc->i++;
        js_ws(sc);
        if (sc->i < sc->len && sc->s[sc->i] == close) {
            sc->i++;
        } else {
            for (;;) {
                JsonPos k = {0};
                js_ws(sc);
                size_t item = sc->i;
                if (obj) {
                    if (item >= sc->len || sc->s[item] != '"') {
                        js_fail(sc, item, item, "expected a key in double quotes, found %s", js_found(sc, item));
                        if (item < sc->len && sc->s[item] == '}')
                            lhint(sc->ld, "remove the comma before it");
                        else if (item < sc->len && sc->s[item] == '\'')
                            lhint(sc->ld, "JSON strings use double quotes");
                        return;
                    }
                    js_string(sc, &k.key_nul);
                    if (sc->failed)
                        return;
                    k.key_start = (uint32_t)item;
                    k.key_end = (uint32_t)sc->i;
                    js_ws(sc);
                    if (sc->i >= sc->len || sc->s[sc->i] != ':') {
                        js_fail(sc, sc->i, sc->i, "expected ':' after the key, found %s", js_found(sc, sc->i));
                        return;
                    }
                    sc->i++;
                } else if (item < sc->len && sc->s[item] == ']') {
                    js_fail(sc, item, item, "expected a value, found ']'");
                    lhint(sc->ld, "remove the comma before it");
                    return;
                }
                if (!count_entry(sc->ld, span(sc->ld, item, item + 1))) {
                    sc->failed = true;
                    return;
                }
                js_value(sc, depth + 1, obj ? &k : NULL);
                if (sc->failed)
                    return;
                js_ws(sc);
                if (sc->i < sc->len && sc->s[sc->i] == ',') {
                    sc->i++;
                    continue;
                }
                if (sc->i < sc->len && sc->s[sc->i] == close) {
                    sc->i++;
                    break;
                }
                js_fail(sc, sc->i, sc->i, "expected ',' or '%c', found %s", close, js_found(sc, sc->i));
                return;
            }
        }
    } else if (c == '"') {
        js_string(sc, &nul);
        if (sc->failed)
            return;
    } else {
        size_t t = at;
        while (sc->i < sc->len) {
            unsigned char d = (unsigned char)sc->s[sc->i];
            if (!(is_alpha(d) || is_digit(d) || d == '-' || d == '+' || d == '.'))
                break;
            sc->i++;
        }
        size_t n = sc->i - t;
        if (!(text_is(sc->s + t, n, "true") || text_is(sc->s + t, n, "false") ||
              text_is(sc->s + t, n, "null") || (n && js_is_number(sc->s + t, n)))) {
            js_fail(sc, t, sc->i, "expected a value, found %s", js_found(sc, t));
            if (c == '\'')
                lhint(sc->ld, "JSON strings use double quotes");
            return;
        }
    }
    sc->pos[slot].end = (uint32_t)sc->i;
    sc->pos[slot].nul = nul;
}

/* Offset of the first byte that is not valid UTF-8 (overlong forms and surrogates included),
 * or len. libyaml checks this for YAML; cJSON does not check it at all. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; min = 0x10000; }
        else return i;
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n;
    }
    return len;
}

static Node *json_node(Load *ld, const cJSON *item, const JsonScan *sc, size_t *next)
{
    JsonPos p = {0};
    if (*next < sc->n_pos)
        p = sc->pos[*next];
    (*next)++;
    Node *n = new_node(ld, N_SCALAR, span(ld, p.start, p.end));
    if (item->string) {
        size_t klen = strlen(item->string);
        n->key_loc = span(ld, p.key_start, p.key_end);
        if (string_ok(ld, n->key_loc, item->string, klen, p.key_nul)) {
            n->key = arena_strndup(&ld->tmp, item->string, klen);
            n->key_len = klen;
        } else {
            n->key_bad = true;
        }
    }
    if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
        n->kind = cJSON_IsObject(item) ? N_MAP : N_SEQ;
        for (const cJSON *c = item->child; c; c = c->next)
            append_kid(n, json_node(ld, c, sc, next));
    } else if (cJSON_IsString(item)) {
        size_t len = strlen(item->valuestring);
        if (!string_ok(ld, n->loc, item->valuestring, len, p.nul)) {
            n->kind = N_BAD;
        } else {
            n->style = SC_STRING;
            n->text = arena_strndup(&ld->tmp, item->valuestring, len);
            n->len = len;
        }
    } else if (cJSON_IsNumber(item)) {
        n->style = SC_JSON_NUMBER;
        n->text = arena_strndup(&ld->tmp, sc->s + p.start, p.end - p.start);
        n->len = p.end - p.start;
        n->num = item->valuedouble;
    } else if (cJSON_IsBool(item)) {
        n->style = SC_JSON_BOOL;
        n->text = cJSON_IsTrue(item) ? "true" : "false";
        n->len = strlen(n->text);
    } else {
        n->style = SC_NULL;
        n->text = "null";
        n->len = 4;
    }
    return n;
}

static Node *json_build(Load *ld)
{
    const char *text = ld->src->text;
    size_t len = ld->src->len;
    size_t bad = utf8_invalid_at((const unsigned char *)text, len);
    if (bad < len) {
        lerr(ld, span(ld, bad, bad + 1), "invalid JSON: invalid UTF-8 (byte 0x%02x)", (unsigned char)text[bad]);
        ld->fatal = true;
        return NULL;
    }
    size_t base = bom_length(text, len);
    JsonScan sc = {.ld = ld, .s = text, .len = len, .i = base};
    js_value(&sc, 0, NULL);
    if (!sc.failed) {
        js_ws(&sc);
        if (sc.i < len)
            js_fail(&sc, sc.i, sc.i, "expected the end of the input, found %s", js_found(&sc, sc.i));
    }
    Node *root = NULL;
    if (!sc.failed) {
        const char *end = NULL;
        cJSON *json = cJSON_ParseWithLengthOpts(text + base, len - base, &end, false);
        if (!json) {
            /* The scanner accepted what cJSON did not: report cJSON's own place for it. */
            size_t at = end ? (size_t)(end - text) : base;
            lerr(ld, span(ld, at, at + 1), "invalid JSON: unexpected %s", js_found(&sc, at));
            ld->fatal = true;
        } else {
            size_t next = 0;
            root = json_node(ld, json, &sc, &next);
            cJSON_Delete(json);
        }
    }
    kdr_free(sc.pos);
    return root;
}

/* ---- checking the tree against the declarations ---- */

static const char *expected_text(KdrType t)
{
    switch (t) {
    case T_BOOL: return "true or false";
    case T_NUMBER: return "a number";
    case T_DATE: return "a date (YYYY-MM-DD)";
    case T_STRING: return "a string";
    case T_SET: return "a list of strings";
    default: return "a value";
    }
}

/* Where a type error points: at a scalar value itself, at the key of a mapping or list (whose
 * own position would be the first line inside it). */
static KdrLoc value_place(const Node *v)
{
    return v->kind == N_SCALAR || !v->key ? v->loc : v->key_loc;
}

static void type_error(Load *ld, const char *name, KdrType want, const Node *v)
{
    lerr(ld, value_place(v), "'%s' must be %s, not %s", name, expected_text(want), describe(v));
    if (v->kind != N_SCALAR)
        return;
    const char *what = shown_value(&ld->tmp, v->text, v->len);
    ScalarClass cl = class_of(v);
    if (want == T_BOOL && cl == CL_STRING && (text_is(v->text, v->len, "true") || text_is(v->text, v->len, "false")))
        lhint(ld, "write %s without quotes", what);
    else if (want == T_BOOL && looks_boolean(v->text, v->len))
        lhint(ld, "write true or false");
    else if (want == T_NUMBER && cl == CL_STRING && is_number_text(v->text, v->len))
        lhint(ld, "write %s without quotes", what);
    else if (want == T_NUMBER && is_decimal_comma(v->text, v->len))
        lhint(ld, "write decimals with a point: %s", with_point(&ld->tmp, v->text, v->len));
}

static void allowed_error(Load *ld, KdrLoc loc, const FactDecl *fd, const char *name, const char *value, bool set)
{
    Buf b = {0};
    put_allowed(&b, fd);
    lerr(ld, loc, set ? "values of '%s' must be one of: %s" : "'%s' must be one of: %s", name, buf_str(&b));
    buf_free(&b);
    const char *near = nearest(value, fd->allowed, fd->n_allowed);
    if (near)
        lhint(ld, "did you mean '%s'?", near);
}

/* Reads a scalar by the fact's type into *out; false after reporting. Shared by the file
 * loaders; --set has its own, because its values are untyped text. The fact's dotted name is
 * made (path_text) only for a message: every leaf of every file passes here. */
static bool convert_leaf(Load *ld, const FactDecl *fd, const Node *v, Value *out)
{
    Facts *f = ld->f;
    ScalarClass cl = class_of(v);
    if (cl == CL_NULL) {
        *out = val_unknown();
        return true;
    }
    switch (fd->type) {
    case T_BOOL:
        if (cl != CL_BOOL) {
            type_error(ld, path_text(ld, NULL, 0), T_BOOL, v);
            return false;
        }
        *out = val_bool(v->text[0] == 't');
        return true;
    case T_NUMBER: {
        if (cl != CL_NUMBER) {
            type_error(ld, path_text(ld, NULL, 0), T_NUMBER, v);
            return false;
        }
        double d = v->style == SC_JSON_NUMBER ? v->num : number_of(v->text, v->len);
        const char *shown = shown_value(&ld->tmp, v->text, v->len);
        if (!isfinite(d)) {
            lerr(ld, v->loc, "'%s' must be a finite number, not %s", path_text(ld, NULL, 0), shown);
            return false;
        }
        if (fd->has_range && (d < fd->lo || d > fd->hi)) {
            Buf lo = {0}, hi = {0};
            number_format(&lo, fd->lo);
            number_format(&hi, fd->hi);
            lerr(ld, v->loc, "'%s' must be between %s and %s, not %s", path_text(ld, NULL, 0), buf_str(&lo), buf_str(&hi), shown);
            buf_free(&lo);
            buf_free(&hi);
            return false;
        }
        *out = val_number(d);
        return true;
    }
    case T_DATE: {
        int32_t days;
        DateParse r = cl == CL_DATE || cl == CL_STRING ? date_parse(v->text, v->len, &days) : DATE_SYNTAX;
        if (r == DATE_IMPOSSIBLE) {
            lerr(ld, v->loc, "impossible date '%s'", shown_value(&ld->tmp, v->text, v->len));
            return false;
        }
        if (r != DATE_OK) {
            type_error(ld, path_text(ld, NULL, 0), T_DATE, v);
            return false;
        }
        *out = val_date(days);
        return true;
    }
    case T_STRING:
        if (v->kind != N_SCALAR) {
            type_error(ld, path_text(ld, NULL, 0), T_STRING, v);
            return false;
        }
        if (!is_allowed(fd, v->text)) {
            allowed_error(ld, v->loc, fd, path_text(ld, NULL, 0), v->text, false);
            return false;
        }
        *out = val_string(arena_strndup(&f->arena, v->text, v->len));
        return true;
    case T_SET: {
        if (v->kind == N_MAP) {
            type_error(ld, path_text(ld, NULL, 0), T_SET, v);
            return false;
        }
        /* One string stands for a set of one. */
        const Node *one = v->kind == N_SCALAR ? v : NULL;
        size_t n = one ? 1 : v->n_kids;
        const char **items = kdr_malloc((n ? n : 1) * sizeof *items);
        size_t k = 0;
        bool ok = true;
        for (const Node *it = one ? one : v->first; it; it = one ? NULL : it->next) {
            if (it->kind == N_BAD) {
                ok = false;
                continue;
            }
            if (it->kind != N_SCALAR || it->style == SC_NULL) {
                lerr(ld, it->loc, "values of '%s' must be strings, not %s", path_text(ld, NULL, 0), describe(it));
                ok = false;
                continue;
            }
            if (!is_allowed(fd, it->text)) {
                allowed_error(ld, it->loc, fd, path_text(ld, NULL, 0), it->text, true);
                ok = false;
                continue;
            }
            items[k++] = it->text;
        }
        if (ok)
            *out = val_set(set_build(&f->arena, items, k));
        kdr_free(items);
        return ok;
    }
    default:
        return false;
    }
}

static void check_leaf(Load *ld, int32_t idx, const Node *v)
{
    Facts *f = ld->f;
    if (v->kind == N_BAD || idx < 0 || (uint32_t)idx >= f->program->n_facts)
        return;
    const FactDecl *fd = f->program->facts[idx];
    Value out;
    if (!convert_leaf(ld, fd, v, &out))
        return;
    f->values[idx] = out;
    f->origins[idx].kind = ORIGIN_FILE;
    f->origins[idx].loc = v->loc;
}

/* datum and naam, always allowed at the top unless a rule file declares a fact there. */
static void check_special(Load *ld, const char *key, const Node *v)
{
    Facts *f = ld->f;
    ScalarClass cl = class_of(v);
    if (v->kind == N_BAD)
        return;
    if (strcmp(key, SPECIAL_DATE) == 0) {
        if (cl == CL_NULL) {
            f->has_date = false;
            return;
        }
        int32_t days;
        DateParse r = cl == CL_DATE || cl == CL_STRING ? date_parse(v->text, v->len, &days) : DATE_SYNTAX;
        if (r == DATE_IMPOSSIBLE)
            lerr(ld, v->loc, "impossible date '%s'", shown_value(&ld->tmp, v->text, v->len));
        else if (r != DATE_OK)
            type_error(ld, SPECIAL_DATE, T_DATE, v);
        else {
            f->has_date = true;
            f->date = days;
        }
        return;
    }
    if (cl == CL_NULL)
        f->name = NULL;
    else if (v->kind != N_SCALAR)
        type_error(ld, SPECIAL_NAME, T_STRING, v);
    else
        f->name = arena_strndup(&f->arena, v->text, v->len);
}

/* A declared fact at datum or naam still sets the evaluation date or the system's name. */
static void mirror_special(Facts *f, const char *key, int32_t idx)
{
    if (idx < 0 || (uint32_t)idx >= f->program->n_facts || f->origins[idx].kind == ORIGIN_NONE)
        return;
    Value v = f->values[idx];
    if (strcmp(key, SPECIAL_DATE) == 0 && (v.kind == V_DATE || v.kind == V_UNKNOWN)) {
        f->has_date = v.kind == V_DATE;
        f->date = v.kind == V_DATE ? v.as.date : 0;
    } else if (strcmp(key, SPECIAL_NAME) == 0 && (v.kind == V_STRING || v.kind == V_UNKNOWN)) {
        f->name = v.kind == V_STRING ? v.as.str : NULL;
    }
}

static bool is_special(const char *key, size_t len)
{
    return text_is(key, len, SPECIAL_DATE) || text_is(key, len, SPECIAL_NAME);
}

typedef struct KeyRef {
    const Node *node;
    uint32_t pos;
} KeyRef;

static int compare_keyrefs(const void *a, const void *b)
{
    const KeyRef *x = a, *y = b;
    size_t n = x->node->key_len < y->node->key_len ? x->node->key_len : y->node->key_len;
    int c = n ? memcmp(x->node->key, y->node->key, n) : 0;
    if (c)
        return c;
    if (x->node->key_len != y->node->key_len)
        return x->node->key_len < y->node->key_len ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void check_map(Load *ld, const Node *map, const PathNode *level, bool top);

static void check_inner(Load *ld, const PathNode *node, const Node *v)
{
    if (v->kind == N_BAD)
        return;
    if (v->kind == N_MAP) {
        check_map(ld, v, node, false);
        return;
    }
    /* An empty group (every key under it commented out) gives nothing; it is not an error. */
    if (v->kind == N_SCALAR && v->style == SC_NULL)
        return;
    const char *name = path_text(ld, NULL, 0);
    lerr(ld, value_place(v), "'%s' must be a mapping, not %s", name, describe(v));
    Buf b = {0};
    put_keys(&b, node, false);
    lhint(ld, "keys allowed under '%s': %s", name, buf_str(&b));
    buf_free(&b);
}

static void check_map(Load *ld, const Node *map, const PathNode *level, bool top)
{
    uint32_t n = map->n_kids;
    if (n == 0)
        return;
    KeyRef *refs = kdr_malloc(n * sizeof *refs);
    int32_t *first = kdr_malloc(n * sizeof *first);
    const Node **kids = kdr_malloc(n * sizeof *kids);
    uint32_t k = 0, i = 0;
    for (const Node *c = map->first; c; c = c->next, i++) {
        kids[i] = c;
        first[i] = -1;
        if (!c->key_bad)
            refs[k++] = (KeyRef){c, i};
    }
    /* Sorting finds duplicates in n log n: a file may hold 100 000 keys in one mapping. */
    qsort(refs, k, sizeof *refs, compare_keyrefs);
    for (uint32_t a = 0; a < k;) {
        uint32_t b = a + 1;
        while (b < k && refs[b].node->key_len == refs[a].node->key_len &&
               memcmp(refs[b].node->key, refs[a].node->key, refs[a].node->key_len) == 0) {
            first[refs[b].pos] = (int32_t)refs[a].pos;
            b++;
        }
        a = b;
    }
    for (i = 0; i < n; i++) {
        const Node *v = kids[i];
        if (v->key_bad)
            continue;
        if (first[i] >= 0) {
            lerr(ld, v->key_loc, "duplicate key '%s'", path_text(ld, v->key, v->key_len));
            lhint(ld, "first given on line %d", line_of(ld, kids[first[i]]->key_loc.start));
            continue;
        }
        const PathNode *child = level ? path_child(level, v->key, v->key_len) : NULL;
        if (!child) {
            if (top && is_special(v->key, v->key_len)) {
                check_special(ld, v->key, v);
                continue;
            }
            lerr(ld, v->key_loc, "undeclared fact '%s'", path_text(ld, v->key, v->key_len));
            Buf hint = {0};
            if (ld->n_errs <= HINTS_MAX)
                undeclared_hint(&hint, ld->f->program, level, top, path_text(ld, NULL, 0), v->key);
            if (hint.len)
                lhint(ld, "%s", buf_str(&hint));
            buf_free(&hint);
            continue;
        }
        ld->seg[ld->n_seg] = v->key;
        ld->seg_len[ld->n_seg] = v->key_len;
        ld->n_seg++;
        if (child->fact >= 0) {
            check_leaf(ld, child->fact, v);
            if (top && is_special(v->key, v->key_len))
                mirror_special(ld->f, v->key, child->fact);
        } else {
            check_inner(ld, child, v);
        }
        ld->n_seg--;
    }
    kdr_free(refs);
    kdr_free(first);
    kdr_free(kids);
}

static void check_root(Load *ld, const Node *root)
{
    if (!root || root->kind == N_BAD)
        return;
    /* An empty file (or document) gives no facts. */
    if (root->kind == N_SCALAR && root->style == SC_NULL)
        return;
    if (root->kind != N_MAP) {
        lerr(ld, root->loc, "a facts file must be a mapping of fact names to values, not %s", describe(root));
        return;
    }
    check_map(ld, root, ld->f->program->fact_root, true);
}

/* ---- loading ---- */

static bool looks_like_json(const char *name, const char *text, size_t len)
{
    if (is_json_name(name))
        return true;
    if (is_yaml_name(name))
        return false;
    for (size_t i = bom_length(text, len); i < len; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

/* Takes ownership of text (kdr_malloc'd, NUL-terminated). */
static int load_owned(Facts *f, Sources *sources, const char *name, char *text, size_t len, Diag *diag)
{
    uint32_t file = sources_add(sources, name, text, len);
    Load ld;
    memset(&ld, 0, sizeof ld);
    ld.f = f;
    ld.file = file;
    ld.src = sources_get(sources, file);
    f->source = ld.src->name;
    Node *root = NULL;
    if (len >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
        lerr(&ld, span(&ld, 0, 2), "facts files must be UTF-8, not UTF-16");
        ld.fatal = true;
    } else {
        root = looks_like_json(name, text, len) ? json_build(&ld) : yaml_build(&ld);
    }
    if (!ld.fatal)
        check_root(&ld, root);
    int rc = emit_errors(&ld, diag);
    kdr_free(ld.errs);
    kdr_free(ld.ylines);
    arena_free(&ld.tmp);
    return rc;
}

int facts_load_text(Facts *f, Sources *sources, const char *name, const char *text, size_t len, Diag *diag)
{
    if (len > MAX_TEXT) {
        diag_plain(diag, DIAG_ERROR, "'%s' is larger than the 64 MiB limit for an input file", name);
        return -1;
    }
    return load_owned(f, sources, name, kdr_strndup(text, len), len, diag);
}

int facts_load_file(Facts *f, Sources *sources, const char *path, Diag *diag)
{
    size_t len = 0;
    char *text = strcmp(path, "-") == 0 ? read_stream(stdin, &len) : read_whole_file(path, &len);
    if (!text) {
        diag_plain(diag, DIAG_ERROR, "cannot read '%s': %s", path, read_error_text(errno));
        return -1;
    }
    return load_owned(f, sources, path, text, len, diag);
}

/* ---- --set path=value ---- */

typedef struct SetSeg {
    const char *text; /* decoded */
    size_t len;
    uint32_t start, end; /* as written, quotes included */
} SetSeg;

static void set_path_text(Buf *b, const SetSeg *segs, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(b, '.');
        put_segment(b, segs[i].text, segs[i].len);
    }
}

/* The value of --set as the fact's type reads it; false after reporting. */
static bool set_convert(Facts *f, Diag *diag, Arena *tmp, const FactDecl *fd, const char *name,
                        const char *s, size_t len, KdrLoc loc, Value *out)
{
    const char *shown = shown_value(tmp, s, len);
    if (text_is(s, len, "null")) {
        *out = val_unknown();
        return true;
    }
    switch (fd->type) {
    case T_BOOL:
        if (!text_is(s, len, "true") && !text_is(s, len, "false")) {
            diag_at(diag, DIAG_ERROR, loc, "'%s' must be true or false, not '%s'", name, shown);
            return false;
        }
        *out = val_bool(s[0] == 't');
        return true;
    case T_NUMBER: {
        if (!is_number_text(s, len)) {
            diag_at(diag, DIAG_ERROR, loc, "'%s' must be a number, not '%s'", name, shown);
            if (is_decimal_comma(s, len))
                diag_hint(diag, "write decimals with a point: %s", with_point(tmp, s, len));
            return false;
        }
        double d = number_of(s, len);
        if (!isfinite(d)) {
            diag_at(diag, DIAG_ERROR, loc, "'%s' must be a finite number, not %s", name, shown);
            return false;
        }
        if (fd->has_range && (d < fd->lo || d > fd->hi)) {
            Buf lo = {0}, hi = {0};
            number_format(&lo, fd->lo);
            number_format(&hi, fd->hi);
            diag_at(diag, DIAG_ERROR, loc, "'%s' must be between %s and %s, not %s", name, buf_str(&lo), buf_str(&hi), shown);
            buf_free(&lo);
            buf_free(&hi);
            return false;
        }
        *out = val_number(d);
        return true;
    }
    case T_DATE: {
        int32_t days;
        DateParse r = date_parse(s, len, &days);
        if (r == DATE_IMPOSSIBLE) {
            diag_at(diag, DIAG_ERROR, loc, "impossible date '%s'", shown);
            return false;
        }
        if (r != DATE_OK) {
            diag_at(diag, DIAG_ERROR, loc, "'%s' must be a date (YYYY-MM-DD), not '%s'", name, shown);
            return false;
        }
        *out = val_date(days);
        return true;
    }
    case T_STRING: {
        char *str = arena_strndup(tmp, s, len);
        if (!is_allowed(fd, str)) {
            Buf b = {0};
            put_allowed(&b, fd);
            diag_at(diag, DIAG_ERROR, loc, "'%s' must be one of: %s", name, buf_str(&b));
            buf_free(&b);
            const char *near = nearest(str, fd->allowed, fd->n_allowed);
            if (near)
                diag_hint(diag, "did you mean '%s'?", near);
            return false;
        }
        *out = val_string(arena_strndup(&f->arena, s, len));
        return true;
    }
    case T_SET: {
        /* A comma-separated list; spaces around the items are not part of them. */
        size_t cap = 1;
        for (size_t i = 0; i < len; i++)
            cap += s[i] == ',';
        const char **items = kdr_malloc(cap * sizeof *items);
        size_t k = 0;
        bool ok = true;
        for (size_t i = 0; len > 0 && i <= len;) {
            size_t j = i;
            while (j < len && s[j] != ',')
                j++;
            size_t a = i, b = j;
            while (a < b && s[a] == ' ')
                a++;
            while (b > a && s[b - 1] == ' ')
                b--;
            KdrLoc at = {loc.file, loc.start + (uint32_t)a, loc.start + (uint32_t)(b > a ? b : a + 1)};
            char *item = arena_strndup(tmp, s + a, b - a);
            if (a == b) {
                diag_at(diag, DIAG_ERROR, at, "empty value in the list for '%s'", name);
                ok = false;
            } else if (!is_allowed(fd, item)) {
                Buf bb = {0};
                put_allowed(&bb, fd);
                diag_at(diag, DIAG_ERROR, at, "values of '%s' must be one of: %s", name, buf_str(&bb));
                buf_free(&bb);
                const char *near = nearest(item, fd->allowed, fd->n_allowed);
                if (near)
                    diag_hint(diag, "did you mean '%s'?", near);
                ok = false;
            } else {
                items[k++] = item;
            }
            i = j + 1;
        }
        if (ok)
            *out = val_set(set_build(&f->arena, items, k));
        kdr_free(items);
        return ok;
    }
    default:
        return false;
    }
}

static int set_special(Facts *f, Diag *diag, Arena *tmp, const char *key, const char *s, size_t len, KdrLoc loc)
{
    bool null = text_is(s, len, "null");
    if (strcmp(key, SPECIAL_NAME) == 0) {
        f->name = null ? NULL : arena_strndup(&f->arena, s, len);
        return 0;
    }
    if (null) {
        f->has_date = false;
        return 0;
    }
    int32_t days;
    DateParse r = date_parse(s, len, &days);
    if (r == DATE_IMPOSSIBLE) {
        diag_at(diag, DIAG_ERROR, loc, "impossible date '%s'", shown_value(tmp, s, len));
        return -1;
    }
    if (r != DATE_OK) {
        diag_at(diag, DIAG_ERROR, loc, "'%s' must be a date (YYYY-MM-DD), not '%s'", key, shown_value(tmp, s, len));
        return -1;
    }
    f->has_date = true;
    f->date = days;
    return 0;
}

static int set_assign(Facts *f, Diag *diag, Arena *tmp, uint32_t file, const char *s, size_t len)
{
    SetSeg segs[MAX_DEPTH];
    int n = 0;
    size_t i = 0;
    KdrLoc at = {file, 0, 0};
    for (;;) {
        if (n == MAX_DEPTH) {
            at.start = (uint32_t)i;
            at.end = (uint32_t)i + 1;
            diag_at(diag, DIAG_ERROR, at, "nesting deeper than %d levels", MAX_DEPTH);
            return -1;
        }
        SetSeg *g = &segs[n];
        g->start = (uint32_t)i;
        if (i < len && s[i] == '"') {
            Buf b = {0};
            size_t j = i + 1;
            while (j < len && s[j] != '"') {
                if (s[j] == '\\' && j + 1 < len)
                    j++;
                buf_putc(&b, s[j++]);
            }
            if (j >= len) {
                buf_free(&b);
                at.start = (uint32_t)i;
                at.end = (uint32_t)i + 1;
                diag_at(diag, DIAG_ERROR, at, "unterminated quoted name");
                return -1;
            }
            g->len = b.len;
            g->text = arena_strndup(tmp, buf_str(&b), b.len);
            buf_free(&b);
            i = j + 1;
        } else {
            size_t j = i;
            while (j < len && s[j] != '.' && s[j] != '=')
                j++;
            if (j == i) {
                at.start = (uint32_t)i;
                at.end = (uint32_t)i + 1;
                diag_at(diag, DIAG_ERROR, at, "empty name in the path");
                diag_hint(diag, "write --set path=value, as in --set ai_act.risicogroep=hoog-risico-ai-systeem");
                return -1;
            }
            g->text = arena_strndup(tmp, s + i, j - i);
            g->len = j - i;
            i = j;
        }
        g->end = (uint32_t)i;
        n++;
        if (i < len && s[i] == '.') {
            i++;
            continue;
        }
        if (i < len && s[i] == '=') {
            i++;
            break;
        }
        at.start = (uint32_t)i;
        at.end = (uint32_t)i + 1;
        if (i >= len) {
            diag_at(diag, DIAG_ERROR, at, "expected '=' and a value after the path");
            diag_hint(diag, "write --set path=value");
        } else {
            diag_at(diag, DIAG_ERROR, at, "expected '.' or '=' after the quoted name");
        }
        return -1;
    }
    KdrLoc vloc = {file, (uint32_t)i, (uint32_t)(len > i ? len : i + 1)};
    const char *value = s + i;
    size_t vlen = len - i;
    if (vlen > MAX_STRING) {
        diag_at(diag, DIAG_ERROR, vloc, "string is longer than 64 KiB (%zu bytes)", vlen);
        return -1;
    }

    const Program *p = f->program;
    const PathNode *node = p->fact_root;
    for (int k = 0; k < n; k++) {
        const PathNode *child = node ? path_child(node, segs[k].text, segs[k].len) : NULL;
        if (!child) {
            if (k == 0 && n == 1 && is_special(segs[0].text, segs[0].len))
                return set_special(f, diag, tmp, segs[0].text, value, vlen, vloc);
            Buf name = {0}, prefix = {0}, hint = {0};
            set_path_text(&name, segs, k + 1);
            set_path_text(&prefix, segs, k);
            KdrLoc ploc = {file, segs[0].start, segs[k].end};
            diag_at(diag, DIAG_ERROR, ploc, "undeclared fact '%s'", buf_str(&name));
            undeclared_hint(&hint, p, node && node->fact < 0 ? node : NULL, k == 0, buf_str(&prefix), segs[k].text);
            if (hint.len)
                diag_hint(diag, "%s", buf_str(&hint));
            buf_free(&name);
            buf_free(&prefix);
            buf_free(&hint);
            return -1;
        }
        node = child;
    }
    Buf name = {0};
    set_path_text(&name, segs, n);
    KdrLoc ploc = {file, segs[0].start, segs[n - 1].end};
    int rc = -1;
    if (node->fact < 0) {
        Buf keys = {0};
        put_keys(&keys, node, false);
        diag_at(diag, DIAG_ERROR, ploc, "'%s' is a group of facts, not a fact", buf_str(&name));
        diag_hint(diag, "keys allowed under '%s': %s", buf_str(&name), buf_str(&keys));
        buf_free(&keys);
    } else if ((uint32_t)node->fact < p->n_facts) {
        Value v;
        if (set_convert(f, diag, tmp, p->facts[node->fact], buf_str(&name), value, vlen, vloc, &v)) {
            f->values[node->fact] = v;
            f->origins[node->fact].kind = ORIGIN_SET;
            f->origins[node->fact].loc = vloc;
            if (n == 1 && is_special(segs[0].text, segs[0].len))
                mirror_special(f, segs[0].text, node->fact);
            rc = 0;
        }
    }
    buf_free(&name);
    return rc;
}

int facts_set(Facts *f, Sources *sources, const char *assignment, Diag *diag)
{
    size_t len = strlen(assignment);
    if (len > MAX_TEXT) {
        diag_plain(diag, DIAG_ERROR, "--set value is larger than the 64 MiB limit for an input");
        return -1;
    }
    uint32_t file = sources_add(sources, "--set", kdr_strndup(assignment, len), len);
    const SourceFile *src = sources_get(sources, file);
    Arena tmp = {0};
    int rc = set_assign(f, diag, &tmp, file, src->text, len);
    arena_free(&tmp);
    return rc;
}

/* ---- defaults ---- */

void facts_apply_defaults(Facts *f)
{
    const Program *p = f->program;
    for (uint32_t i = 0; i < p->n_facts; i++) {
        const FactDecl *fd = p->facts[i];
        /* An explicit null says "not known" and stays unknown; only a fact the facts never
         * mention takes the rule author's default. */
        if (!fd->has_default || f->values[i].kind != V_UNKNOWN || f->origins[i].kind != ORIGIN_NONE)
            continue;
        Value v = fd->default_value;
        /* Copied so that a Facts owns every string it holds and its arena alone decides their
         * lifetime, as for values read from files. */
        if (v.kind == V_STRING)
            v.as.str = arena_strdup(&f->arena, v.as.str);
        else if (v.kind == V_SET)
            v.as.set = set_build(&f->arena, v.as.set->items, v.as.set->len);
        f->values[i] = v;
        f->origins[i].kind = ORIGIN_DEFAULT;
        f->origins[i].loc = fd->loc;
    }
}
