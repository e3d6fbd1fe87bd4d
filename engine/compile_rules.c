/* compile_rules.c — turns one Algoritmekader requirement document into kader rule text: the
 * requirement's fields from the front matter, its sources from the Bronnen section, the
 * applicability condition (2024 maps over soort_algoritme/impact, cross-checked against the
 * "Wanneer van toepassing?" table; 2026 AI Act label groups and their exceptions), unknown keys
 * as metadata, and the document's own ```kader blocks. */
#define _POSIX_C_SOURCE 200809L
#include "compile.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "parse.h"

/* ---- quoting and names ---- */

/* Length of the valid UTF-8 sequence at s (at most len bytes), 0 when it is not valid. */
size_t ck_utf8_len(const unsigned char *s, size_t len)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
             : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    if (n == 0 || n > len)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
        return 0; /* overlong or a surrogate */
    if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
        return 0;
    return n;
}

/* A string literal of the rule language. Documents are read as they are: line breaks inside a
 * value become spaces (a string may not span lines), other control characters too, and bytes
 * that are not UTF-8 become U+FFFD so the output always loads. */
void ck_put_quoted(Buf *b, const char *s)
{
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
                       s[len - 1] == '\r'))
        len--;
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    buf_putc(b, '"');
    while (i < len) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)ch);
            i++;
        } else if (ch == '\r' && i + 1 < len && s[i + 1] == '\n') {
            buf_putc(b, ' ');
            i += 2;
        } else if (ch < 0x20 || ch == 0x7F) {
            buf_putc(b, ' ');
            i++;
        } else {
            size_t n = ck_utf8_len((const unsigned char *)s + i, len - i);
            if (n == 0) {
                buf_puts(b, "\xEF\xBF\xBD");
                i++;
            } else {
                buf_add(b, s + i, n);
                i += n;
            }
        }
    }
    buf_putc(b, '"');
}

/* The words the grammar never accepts as a name (grammar/parser.y, rule `name`); the other
 * keywords are names wherever a name is expected. */
static const char *const reserved_words[] = {
    "import", "fact", "let", "label", "requirement", "procedure", "lifecycle", "conclusion",
    "warning", "when", "otherwise", "first", "and", "or", "not", "in", "is", "true", "false",
    "unknown", "today", "intersects"};

static bool name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

bool ck_is_rule_name(const char *s)
{
    /* NAME = [A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*, as in grammar/lexer.l */
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (const char *p = s; *p; p++) {
        if (*p == '-') {
            if (!name_char(p[1]))
                return false;
        } else if (!name_char(*p)) {
            return false;
        }
    }
    for (size_t i = 0; i < KDR_ARRAY_LEN(reserved_words); i++)
        if (strcmp(s, reserved_words[i]) == 0)
            return false;
    return true;
}

/* A front-matter key that is not a name becomes one: other characters as '_'. */
static const char *meta_name(Arena *a, const char *key)
{
    if (ck_is_rule_name(key))
        return key;
    size_t len = strlen(key);
    char *t = arena_alloc(a, len + 3);
    size_t w = 0;
    if (!((key[0] >= 'a' && key[0] <= 'z') || (key[0] >= 'A' && key[0] <= 'Z')))
        t[w++] = '_';
    for (size_t i = 0; i < len; i++)
        t[w++] = name_char(key[i]) ? key[i] : '_';
    if (!ck_is_rule_name(t))
        t[w++] = '_'; /* a reserved word */
    t[w] = '\0';
    return t;
}

/* ---- ids ---- */

static const char *const markers_2024[] = {"status_vereiste", "bouwblok", "levenscyclus",
                                           "rekenregels", "machine-learning", "generatieve-ai"};

/* Characters that would make the URN ambiguous or unreadable are percent-encoded; letters
 * (also non-ASCII) and case are kept, so file names that differ only in case keep distinct ids. */
static void put_urn_part(Buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p == 0x7F || *p == '"' || *p == '#' || *p == '%' || *p == '?' ||
            *p == '\\' || *p == '/')
            buf_printf(b, "%%%02X", *p);
        else
            buf_putc(b, (char)*p);
    }
}

bool ck_is_2024(const Doc *d)
{
    for (size_t i = 0; i < KDR_ARRAY_LEN(markers_2024); i++)
        if (ck_fm_get(d, markers_2024[i], NULL))
            return true;
    return false;
}

bool ck_is_2024_document(const Doc *d)
{
    return d->id_derived && ck_is_2024(d);
}

const char *ck_derive_id(Compiler *c, const Doc *d, bool measure, bool *warn_no_id)
{
    *warn_no_id = false;
    Buf b = {0};
    if (ck_is_2024(d) || measure) {
        /* Measures without an id are the 2024 kind: the 2026 ones all carry urn:nl:ak:mtr:. */
        buf_puts(&b, measure ? "urn:nl:ak:2024:mtr:" : "urn:nl:ak:2024:ver:");
    } else {
        buf_puts(&b, measure ? "urn:kader:mtr:" : "urn:kader:ver:");
        *warn_no_id = true;
    }
    put_urn_part(&b, d->stem);
    const char *id = arena_strdup(&c->arena, buf_str(&b));
    buf_free(&b);
    return id;
}

/* ---- reading values ---- */

/* The scalars of a value that is one scalar or a list of scalars; nulls are skipped. A nested
 * list or mapping is an error, since no field of a requirement can hold one. */
static uint32_t scalars_of(Compiler *c, const Doc *d, const YNode *v, const char *key,
                           const YNode **out, uint32_t max)
{
    uint32_t n = 0;
    if (!v || v->kind == Y_NULL)
        return 0;
    if (v->kind == Y_SCALAR) {
        out[n++] = v;
        return n;
    }
    if (v->kind == Y_MAP) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, v), "'%s' must be a value or a list of values",
                key);
        return 0;
    }
    for (uint32_t i = 0; i < v->n; i++) {
        const YNode *k = v->kids[i];
        if (k->kind == Y_NULL)
            continue;
        if (k->kind != Y_SCALAR) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, k),
                    "each item of '%s' must be a single value", key);
            continue;
        }
        if (n == max) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, k), "'%s' lists more than %u values", key,
                    (unsigned)max);
            break;
        }
        out[n++] = k;
    }
    return n;
}

enum { MAX_LIST = 1024 };

static const char *scalar_field(Compiler *c, const Doc *d, const char *key)
{
    const YNode *v = ck_fm_get(d, key, NULL);
    if (!v || v->kind == Y_NULL)
        return NULL;
    if (v->kind != Y_SCALAR) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, v), "'%s' must be text", key);
        return NULL;
    }
    return v->str;
}

/* ---- what the stdlib declares ---- */

const char *const ck_label_groups[N_LABEL_GROUPS] = {
    "soort-toepassing", "risicogroep", "rol-ai-act", "transparantieverplichting", "systeemrisico",
    "open-source"};

void ck_vocab_load(Compiler *c)
{
    const char *dir = kader_stdlib_dir();
    if (!dir)
        return;
    Program *p = program_new();
    Diag quiet;
    diag_init(&quiet, &p->sources, NULL);
    Loader l;
    loader_init(&l, p, &quiet);
    if (loader_load_path(&l, dir) == 0 && loader_finish(&l) == 0 && p->lifecycle) {
        Vocab *v = &c->vocab;
        v->loaded = true;
        for (uint32_t i = 0; i < p->lifecycle->n_phases; i++)
            ck_push_const(&v->phases, arena_strdup(&c->arena, p->lifecycle->phases[i].name));
        for (uint32_t i = 0; i < p->lifecycle->n_always; i++)
            ck_push_const(&v->phases, arena_strdup(&c->arena, p->lifecycle->always[i].name));
        for (int g = 0; g < N_LABEL_GROUPS; g++) {
            char name[64];
            snprintf(name, sizeof name, "ai_act.%s", ck_label_groups[g]);
            const FactDecl *f = program_find_fact(p, name);
            if (!f || f->n_allowed == 0) {
                v->loaded = false; /* not the stdlib this compiler was written against */
                break;
            }
            for (uint32_t k = 0; k < f->n_allowed; k++)
                ck_push_const(&v->values[g], arena_strdup(&c->arena, f->allowed[k]));
        }
    }
    loader_free(&l);
    if (c->vocab.loaded)
        c->stdlib = p; /* kept: a successor's condition may only use what it declares */
    else
        program_free(p);
    if (!c->vocab.loaded)
        diag_plain(&c->diag, DIAG_NOTE, "the standard library could not be read: lifecycle "
                   "phases and label values are not checked");
}

void ck_vocab_free(Compiler *c)
{
    program_free(c->stdlib);
    c->stdlib = NULL;
    ptrvec_free(&c->vocab.phases);
    for (int g = 0; g < N_LABEL_GROUPS; g++)
        ptrvec_free(&c->vocab.values[g]);
}

bool ck_in_list(const PtrVec *list, const char *s)
{
    for (int i = 0; i < list->len; i++)
        if (strcmp(list->items[i], s) == 0)
            return true;
    return false;
}

void ck_hint_closest(Compiler *c, const PtrVec *list, const char *s)
{
    const char *best = NULL;
    int best_d = 4;
    for (int i = 0; i < list->len; i++) {
        int dist = edit_distance(s, list->items[i], 3);
        if (dist < best_d) {
            best_d = dist;
            best = list->items[i];
        }
    }
    if (best)
        diag_hint(&c->diag, "did you mean '%s'?", best);
}

/* ---- names: phases, topics, roles ---- */

typedef struct MetaOut { /* a meta line to write: key and its values */
    const char *key;
    PtrVec values; /* const char * */
} MetaOut;

typedef struct Render {
    Compiler *c;
    Doc *d;
    Buf out;
    PtrVec meta; /* MetaOut *, in document order */
} Render;

static MetaOut *meta_entry(Render *r, const char *key)
{
    for (int i = 0; i < r->meta.len; i++) {
        MetaOut *m = r->meta.items[i];
        if (strcmp(m->key, key) == 0)
            return m;
    }
    MetaOut *m = arena_alloc(&r->c->arena, sizeof *m);
    m->key = key;
    ptrvec_push(&r->meta, m);
    return m;
}

/* Collects the values of `key` that can be written as names (lower case, blanks as '-') into
 * names, without repeats; the others are reported and kept as metadata. */
static void collect_names(Render *r, const char *key, bool phases, PtrVec *names)
{
    Compiler *c = r->c;
    const YNode *items[MAX_LIST];
    uint32_t n = scalars_of(c, r->d, ck_fm_get(r->d, key, NULL), key, items, MAX_LIST);
    for (uint32_t i = 0; i < n; i++) {
        const char *v = ck_slug(&c->arena, items[i]->str);
        if (!*v)
            continue;
        if (!ck_is_rule_name(v)) {
            diag_at(&c->diag, DIAG_WARNING, ck_node_loc(r->d, items[i]),
                    "'%s' cannot be written as a name; kept as 'meta %s'", items[i]->str, key);
            diag_hint(&c->diag, "names use letters, digits, '_' and inner '-'");
            ck_push_const(&meta_entry(r, key)->values, items[i]->str);
            continue;
        }
        /* A requirement naming a phase the lifecycle does not declare would not load. */
        if (phases && c->vocab.loaded && !ck_in_list(&c->vocab.phases, v)) {
            diag_at(&c->diag, DIAG_WARNING, ck_node_loc(r->d, items[i]),
                    "'%s' is not a lifecycle phase; kept as 'meta %s'", items[i]->str, key);
            ck_hint_closest(c, &c->vocab.phases, v);
            ck_push_const(&meta_entry(r, key)->values, items[i]->str);
            continue;
        }
        bool dup = false;
        for (int k = 0; k < names->len && !dup; k++)
            dup = strcmp(names->items[k], v) == 0;
        if (!dup)
            ck_push_const(names, v);
    }
}

static void put_names(Render *r, const char *clause, PtrVec *names)
{
    if (names->len) {
        buf_printf(&r->out, "  %-11s ", clause);
        for (int i = 0; i < names->len; i++)
            buf_printf(&r->out, "%s%s", i ? ", " : "", (const char *)names->items[i]);
        buf_putc(&r->out, '\n');
    }
    ptrvec_free(names);
}

/* ---- sources from the Bronnen section ---- */

/* The text of a Markdown fragment: links become their text, emphasis and code marks go. */
static void plain_text(Buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '[') {
            size_t depth = 1, j = i + 1;
            while (j < len && depth) {
                if (s[j] == '[')
                    depth++;
                else if (s[j] == ']')
                    depth--;
                j++;
            }
            if (depth == 0 && j < len && s[j] == '(') {
                plain_text(b, s + i + 1, j - i - 2);
                size_t k = j + 1, pd = 1;
                while (k < len && pd) {
                    if (s[k] == '(')
                        pd++;
                    else if (s[k] == ')')
                        pd--;
                    k++;
                }
                i = k - 1;
                continue;
            }
        }
        if (ch == '*' || ch == '`' || (ch == '_' && i + 1 < len && s[i + 1] == '_')) {
            if (ch == '_')
                i++;
            continue;
        }
        buf_putc(b, ch);
    }
}

/* One item of the Bronnen list or table: the link text when the item starts with a link (what
 * follows it is commentary: "…, zie ook …"), else the item as plain text. */
static const char *source_text(Arena *a, const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    Buf b = {0};
    if (len && s[0] == '[') {
        size_t depth = 1, j = 1;
        while (j < len && depth) {
            if (s[j] == '[')
                depth++;
            else if (s[j] == ']')
                depth--;
            j++;
        }
        if (depth == 0 && j < len && s[j] == '(')
            plain_text(&b, s + 1, j - 2);
        else
            plain_text(&b, s, len);
    } else {
        plain_text(&b, s, len);
    }
    const char *t = buf_str(&b);
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '.' || t[n - 1] == ',' ||
                 t[n - 1] == ';' || t[n - 1] == '|'))
        n--;
    size_t st = 0;
    while (st < n && (t[st] == ' ' || t[st] == '\t' || t[st] == '|'))
        st++;
    char *res = arena_strndup(a, t + st, n - st);
    buf_free(&b);
    return res;
}

typedef struct Cell {
    uint32_t start, end; /* trimmed cell text in the document */
} Cell;

/* Splits a table row into its cells. A '|' inside a link's text or target does not split. */
static uint32_t split_row(const char *text, Line line, Cell *cells, uint32_t max)
{
    uint32_t s = line.start, e = line.end;
    while (s < e && (text[s] == ' ' || text[s] == '\t'))
        s++;
    while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t'))
        e--;
    if (s < e && text[s] == '|')
        s++;
    if (e > s && text[e - 1] == '|' && !(e - 2 > s && text[e - 2] == '\\'))
        e--;
    uint32_t n = 0;
    int bracket = 0, paren = 0;
    uint32_t cs = s;
    for (uint32_t i = s; i <= e; i++) {
        char ch = i < e ? text[i] : '|';
        if (i < e && ch == '\\') {
            i++;
            continue;
        }
        if (ch == '[')
            bracket++;
        else if (ch == ']' && bracket > 0)
            bracket--;
        else if (ch == '(')
            paren++;
        else if (ch == ')' && paren > 0)
            paren--;
        else if (ch == '|' && (i == e || (bracket == 0 && paren == 0))) {
            uint32_t a = cs, b = i;
            while (a < b && (text[a] == ' ' || text[a] == '\t'))
                a++;
            while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
                b--;
            if (n < max) {
                cells[n].start = a;
                cells[n].end = b;
                n++;
            }
            cs = i + 1;
            bracket = paren = 0;
        }
    }
    return n;
}

static bool is_table_line(const char *text, Line line)
{
    uint32_t s = line.start;
    while (s < line.end && (text[s] == ' ' || text[s] == '\t'))
        s++;
    return s < line.end && text[s] == '|';
}

static bool is_separator_row(const char *text, const Cell *cells, uint32_t n)
{
    if (n == 0)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        bool dash = false;
        for (uint32_t k = cells[i].start; k < cells[i].end; k++) {
            if (text[k] == '-')
                dash = true;
            else if (text[k] != ':' && text[k] != ' ')
                return false;
        }
        if (!dash)
            return false;
    }
    return true;
}

enum { MAX_CELLS = 64, MAX_SECTIONS = 16 };

/* Sources without repeats: both Bronnen sections of a document may list the same one. */
static void add_source(PtrVec *list, const char *s)
{
    if (!*s)
        return;
    for (int i = 0; i < list->len; i++)
        if (strcmp(list->items[i], s) == 0)
            return;
    ck_push_const(list, s);
}

static void collect_sources(Compiler *c, const Doc *d, PtrVec *list)
{
    const Section *secs[MAX_SECTIONS];
    uint32_t ns = ck_doc_find_sections(d, "bronnen", secs, MAX_SECTIONS);
    for (uint32_t si = 0; si < ns; si++) {
        Line *lines;
        uint32_t n = ck_doc_lines(d, secs[si]->start, secs[si]->end, &lines);
        for (uint32_t i = 0; i < n; i++) {
            const char *s = d->text + lines[i].start;
            size_t len = lines[i].end - lines[i].start;
            size_t k = 0;
            while (k < len && (s[k] == ' ' || s[k] == '\t'))
                k++;
            if (k == len || (len - k >= 4 && memcmp(s + k, "<!--", 4) == 0) ||
                ck_doc_in_fence(d, lines[i].start))
                continue;
            if (is_table_line(d->text, lines[i])) {
                Cell cells[MAX_CELLS];
                uint32_t nc = split_row(d->text, lines[i], cells, MAX_CELLS);
                if (is_separator_row(d->text, cells, nc))
                    continue;
                /* The row above a separator is the table's header ("Bron"), not a source. */
                if (i + 1 < n && is_table_line(d->text, lines[i + 1])) {
                    Cell next[MAX_CELLS];
                    uint32_t nn = split_row(d->text, lines[i + 1], next, MAX_CELLS);
                    if (is_separator_row(d->text, next, nn))
                        continue;
                }
                for (uint32_t ci = 0; ci < nc; ci++)
                    add_source(list, source_text(&c->arena, d->text + cells[ci].start,
                                                    cells[ci].end - cells[ci].start));
                continue;
            }
            /* A list item: "- ", "* ", "+ " or "1. ". Outside a list only a line that starts
             * with a link is a source ("[Artikel 53](...)"); other lines are prose. */
            size_t m = k;
            if (m < len && (s[m] == '-' || s[m] == '*' || s[m] == '+') && m + 1 < len &&
                (s[m + 1] == ' ' || s[m + 1] == '\t')) {
                m += 2;
            } else {
                size_t dgt = m;
                while (dgt < len && s[dgt] >= '0' && s[dgt] <= '9')
                    dgt++;
                if (dgt > m && dgt + 1 < len && (s[dgt] == '.' || s[dgt] == ')') &&
                    s[dgt + 1] == ' ')
                    m = dgt + 2;
                else if (s[k] != '[')
                    continue;
            }
            add_source(list, source_text(&c->arena, s + m, len - m));
        }
        kdr_free(lines);
    }
}

/* ---- 2024: applicability maps and the "Wanneer van toepassing?" table ---- */

enum { N_SOORT = 3, N_IMPACT = 3 };
static const char *const soort_keys[N_SOORT] = {"rekenregels", "machine-learning",
                                                "generatieve-ai"};
static const char *const soort_values[N_SOORT] = {"rekenregel", "machine-learning",
                                                  "generatieve-ai"};
static const char *const impact_values[N_IMPACT] = {"niet-impactvol", "impactvol", "hoog-risico"};
/* A rule-based algorithm is never high-risk AI: the 2024 site's Rekenregel tab has no such
 * column, so "Ja" for both of its levels means every rekenregel. */
static const bool impact_possible[N_SOORT][N_IMPACT] = {
    {true, true, false}, {true, true, true}, {true, true, true}};

typedef enum Answer { ANS_UNSET, ANS_JA, ANS_NEE } Answer;

typedef struct Maps {
    bool any;                         /* some map is given */
    Answer ans[N_SOORT][N_IMPACT];
    const YNode *where[N_SOORT][N_IMPACT]; /* the value as written */
} Maps;

static int impact_index(const char *slugged)
{
    for (int i = 0; i < N_IMPACT; i++)
        if (strcmp(slugged, impact_values[i]) == 0)
            return i;
    if (strcmp(slugged, "hoog-risico-ai") == 0)
        return 2;
    return -1;
}

static void map_pair(Compiler *c, const Doc *d, Maps *m, int s, const YNode *k, const YNode *v)
{
    if (k->kind != Y_SCALAR) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, k), "expected an impact level such as "
                "'impactvol: Ja' under '%s'", soort_keys[s]);
        return;
    }
    int imp = impact_index(ck_slug(&c->arena, k->str));
    if (imp < 0) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, k), "'%s' is not an impact level", k->str);
        diag_hint(&c->diag, "the levels are niet-impactvol, impactvol and hoog-risico");
        return;
    }
    Answer a = ANS_UNSET;
    if (v->kind == Y_SCALAR) {
        const char *t = v->str;
        if (ck_str_ieq(t, "ja") || ck_str_ieq(t, "yes") || ck_str_ieq(t, "true"))
            a = ANS_JA;
        else if (ck_str_ieq(t, "nee") || ck_str_ieq(t, "no") || ck_str_ieq(t, "false"))
            a = ANS_NEE;
    }
    if (a == ANS_UNSET) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, v), "expected Ja or Nee for '%s' under '%s'",
                k->str, soort_keys[s]);
        return;
    }
    if (m->ans[s][imp] != ANS_UNSET) {
        if (m->ans[s][imp] != a)
            diag_at(&c->diag, DIAG_WARNING, ck_node_loc(d, k),
                    "'%s' is listed twice under '%s' with different answers; the first is used",
                    k->str, soort_keys[s]);
        return;
    }
    m->ans[s][imp] = a;
    m->where[s][imp] = v;
}

static void read_maps(Compiler *c, const Doc *d, Maps *m)
{
    memset(m, 0, sizeof *m);
    for (int s = 0; s < N_SOORT; s++) {
        const YNode *key;
        const YNode *v = ck_fm_get(d, soort_keys[s], &key);
        if (!key)
            continue;
        m->any = true;
        if (v->kind == Y_NULL) {
            diag_at(&c->diag, DIAG_WARNING, ck_node_loc(d, key),
                    "'%s' lists no impact levels; read as Nee for all", soort_keys[s]);
            continue;
        }
        if (v->kind == Y_MAP) {
            for (uint32_t i = 0; i < v->n; i++)
                map_pair(c, d, m, s, v->kids[2 * i], v->kids[2 * i + 1]);
            continue;
        }
        if (v->kind != Y_SEQ) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, v),
                    "'%s' must list impact levels, for example '- impactvol: Ja'", soort_keys[s]);
            continue;
        }
        /* The corpus writes a list of one-pair mappings: "- niet-impactvol: Nee". */
        for (uint32_t i = 0; i < v->n; i++) {
            const YNode *item = v->kids[i];
            if (item->kind == Y_NULL)
                continue;
            if (item->kind != Y_MAP) {
                diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, item),
                        "expected 'level: Ja' or 'level: Nee' under '%s'", soort_keys[s]);
                continue;
            }
            for (uint32_t k = 0; k < item->n; k++)
                map_pair(c, d, m, s, item->kids[2 * k], item->kids[2 * k + 1]);
        }
    }
}

/* The table says ✓ or ✗ with Material icons (:material-check-bold:, :material-close:); plain
 * ticks and Ja/Nee are read too. */
static int cell_answer(const char *s, size_t len)
{
    char low[256];
    size_t n = len < sizeof low - 1 ? len : sizeof low - 1;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    low[n] = '\0';
    if (strstr(low, "check") || strstr(low, "\xE2\x9C\x93") || strstr(low, "\xE2\x9C\x94") ||
        strcmp(low, "ja") == 0 || strcmp(low, "yes") == 0)
        return ANS_JA;
    if (strstr(low, "close") || strstr(low, "\xE2\x9C\x97") || strstr(low, "\xE2\x9C\x98") ||
        strstr(low, "\xE2\x9D\x8C") || strcmp(low, "nee") == 0 || strcmp(low, "no") == 0)
        return ANS_NEE;
    return ANS_UNSET;
}

typedef struct TableCell {
    int soort, impact;
    Answer ans;
    uint32_t start, end;
    const char *tab, *column; /* as written */
} TableCell;

static int soort_of_tab(const char *slugged)
{
    static const char *const names[][2] = {
        {"rekenregel", "rekenregels"}, {"machine-learning", "ml"}, {"generatieve-ai", "genai"}};
    for (int s = 0; s < N_SOORT; s++)
        if (strcmp(slugged, names[s][0]) == 0 || strcmp(slugged, names[s][1]) == 0)
            return s;
    return -1;
}

static uint32_t read_table(Compiler *c, const Doc *d, TableCell *out, uint32_t max)
{
    const Section *secs[MAX_SECTIONS];
    uint32_t ns = ck_doc_find_sections(d, "wanneer van toepassing", secs, MAX_SECTIONS);
    uint32_t n_out = 0;
    for (uint32_t si = 0; si < ns; si++) {
        Line *lines;
        uint32_t n = ck_doc_lines(d, secs[si]->start, secs[si]->end, &lines);
        int soort = -1;
        const char *tab = NULL;
        bool warned_no_tab = false;
        int cols[MAX_CELLS];
        const char *col_names[MAX_CELLS];
        uint32_t n_cols = 0;
        int row = 0; /* rows of the current table seen so far */
        for (uint32_t i = 0; i < n; i++) {
            const char *s = d->text + lines[i].start;
            size_t len = lines[i].end - lines[i].start;
            size_t k = 0;
            while (k < len && (s[k] == ' ' || s[k] == '\t'))
                k++;
            if (ck_doc_in_fence(d, lines[i].start))
                continue;
            if (!is_table_line(d->text, lines[i])) {
                row = 0;
                /* A content tab: === "Machine learning" */
                if (len - k >= 3 && memcmp(s + k, "===", 3) == 0) {
                    const char *q1 = memchr(s + k, '"', len - k);
                    const char *q2 = q1 ? memchr(q1 + 1, '"', (size_t)(s + len - q1 - 1)) : NULL;
                    if (q1 && q2) {
                        tab = arena_strndup(&c->arena, q1 + 1, (size_t)(q2 - q1 - 1));
                        soort = soort_of_tab(ck_slug(&c->arena, tab));
                        if (soort < 0) {
                            uint32_t from = (uint32_t)(q1 - d->text);
                            uint32_t to = (uint32_t)(q2 + 1 - d->text);
                            diag_at(&c->diag, DIAG_WARNING, ck_doc_loc(d, from, to),
                                    "tab \"%s\" names no kind of algorithm; its table is not "
                                    "checked", tab);
                            diag_hint(&c->diag, "the tabs are Rekenregel, Machine learning and "
                                      "Generatieve AI");
                        }
                    }
                }
                continue;
            }
            Cell cells[MAX_CELLS];
            uint32_t nc = split_row(d->text, lines[i], cells, MAX_CELLS);
            row++;
            if (is_separator_row(d->text, cells, nc))
                continue;
            if (soort < 0) {
                if (!tab && !warned_no_tab) {
                    diag_at(&c->diag, DIAG_WARNING, ck_doc_loc(d, lines[i].start + (uint32_t)k,
                                                       lines[i].end),
                            "table outside a tab (=== \"Rekenregel\", ...); it is not checked");
                    warned_no_tab = true;
                }
                continue;
            }
            if (row == 1) { /* the header: impact levels */
                n_cols = nc;
                for (uint32_t ci = 0; ci < nc; ci++) {
                    col_names[ci] = arena_strndup(&c->arena, d->text + cells[ci].start,
                                                  cells[ci].end - cells[ci].start);
                    cols[ci] = impact_index(ck_slug(&c->arena, col_names[ci]));
                    if (cols[ci] < 0 && cells[ci].end > cells[ci].start) {
                        diag_at(&c->diag, DIAG_WARNING, ck_doc_loc(d, cells[ci].start, cells[ci].end),
                                "column '%s' names no impact level; it is not checked",
                                col_names[ci]);
                        diag_hint(&c->diag, "the levels are niet-impactvol, impactvol and "
                                  "hoog-risico(-ai)");
                    }
                }
                continue;
            }
            for (uint32_t ci = 0; ci < nc && ci < n_cols; ci++) {
                if (cols[ci] < 0)
                    continue;
                int a = cell_answer(d->text + cells[ci].start, cells[ci].end - cells[ci].start);
                if (a == ANS_UNSET) {
                    diag_at(&c->diag, DIAG_WARNING, ck_doc_loc(d, cells[ci].start, cells[ci].end),
                            "cannot read this cell as \xE2\x9C\x93 or \xE2\x9C\x97; it is not "
                            "checked");
                    continue;
                }
                if (n_out < max)
                    out[n_out++] = (TableCell){soort, cols[ci], (Answer)a, cells[ci].start,
                                               cells[ci].end, tab, col_names[ci]};
            }
        }
        kdr_free(lines);
    }
    return n_out;
}

/* Whether the front matter makes kind s at level i apply, exactly as maps_condition reads it:
 * no map at all means every algorithm, and a level a kind cannot have (a high-risk rekenregel)
 * goes with the kind's other levels. */
static bool maps_apply(const Maps *m, int s, int i)
{
    if (!m->any || m->ans[s][i] == ANS_JA)
        return true;
    if (impact_possible[s][i])
        return false;
    for (int k = 0; k < N_IMPACT; k++)
        if (impact_possible[s][k] && m->ans[s][k] != ANS_JA)
            return false;
    return true;
}

static void check_table(Compiler *c, const Doc *d, const Maps *m)
{
    TableCell cells[3 * MAX_CELLS];
    uint32_t n = read_table(c, d, cells, KDR_ARRAY_LEN(cells));
    bool first = true;
    for (uint32_t i = 0; i < n; i++) {
        const TableCell *t = &cells[i];
        Answer fm = !m->any ? ANS_JA : m->ans[t->soort][t->impact];
        if ((t->ans == ANS_JA) == maps_apply(m, t->soort, t->impact))
            continue;
        Buf fmtext = {0};
        if (!m->any)
            buf_puts(&fmtext, "no applicability map, so every algorithm");
        else if (fm == ANS_UNSET && maps_apply(m, t->soort, t->impact))
            buf_printf(&fmtext, "'%s' is Ja for every level it can have", soort_keys[t->soort]);
        else if (fm == ANS_UNSET)
            buf_printf(&fmtext, "'%s' does not list %s", soort_keys[t->soort],
                       impact_values[t->impact]);
        else
            buf_printf(&fmtext, "%s: %s: %s", soort_keys[t->soort], impact_values[t->impact],
                       m->where[t->soort][t->impact]->str);
        const char *mark = t->ans == ANS_JA ? "\xE2\x9C\x93" : "\xE2\x9C\x97";
        KdrLoc loc = ck_doc_loc(d, t->start, t->end);
        if (first) {
            /* One warning per document; further cells of the same document follow as notes. */
            diag_at(&c->diag, DIAG_WARNING, loc,
                    "%s: the \"Wanneer van toepassing?\" table disagrees with the front matter: "
                    "tab \"%s\", column %s is %s in the table, the front matter says %s",
                    d->stem, t->tab, t->column, mark, buf_str(&fmtext));
            diag_hint(&c->diag, "the compiled rule follows the front matter");
            first = false;
        } else {
            diag_at(&c->diag, DIAG_NOTE, loc,
                    "also tab \"%s\", column %s: %s in the table, the front matter says %s",
                    t->tab, t->column, mark, buf_str(&fmtext));
        }
        buf_free(&fmtext);
    }
}

static void put_string_set(Buf *b, const char *const *items, int n)
{
    if (n == 1) {
        ck_put_quoted(b, items[0]);
        return;
    }
    buf_putc(b, '{');
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(b, ", ");
        ck_put_quoted(b, items[i]);
    }
    buf_putc(b, '}');
}

/* The condition of the maps as a list of alternatives (joined by `or`). Kinds of algorithm with
 * the same answers share one alternative. Returns the number of alternatives, -1 when the maps
 * say "every algorithm" (no condition). */
static int maps_condition(Compiler *c, const Maps *m, PtrVec *alts)
{
    bool full[N_SOORT];
    unsigned yes[N_SOORT];
    int n_full = 0;
    for (int s = 0; s < N_SOORT; s++) {
        yes[s] = 0;
        full[s] = true;
        for (int i = 0; i < N_IMPACT; i++) {
            if (m->ans[s][i] == ANS_JA)
                yes[s] |= 1u << i;
            else if (impact_possible[s][i])
                full[s] = false;
        }
        n_full += full[s];
    }
    if (n_full == N_SOORT)
        return -1;
    bool done[N_SOORT] = {false};
    for (int s = 0; s < N_SOORT; s++) {
        if (done[s] || yes[s] == 0)
            continue;
        const char *group[N_SOORT];
        int ng = 0;
        for (int t = s; t < N_SOORT; t++)
            if (!done[t] && full[t] == full[s] && (full[s] || yes[t] == yes[s])) {
                group[ng++] = soort_values[t];
                done[t] = true;
            }
        Buf b = {0};
        buf_puts(&b, ng == 1 ? "soort_algoritme == " : "soort_algoritme in ");
        put_string_set(&b, group, ng);
        if (!full[s]) {
            const char *levels[N_IMPACT];
            int nl = 0;
            for (int i = 0; i < N_IMPACT; i++)
                if (yes[s] & (1u << i))
                    levels[nl++] = impact_values[i];
            buf_puts(&b, nl == 1 ? " and impact == " : " and impact in ");
            put_string_set(&b, levels, nl);
        }
        ptrvec_push(alts, arena_strdup(&c->arena, buf_str(&b)));
        buf_free(&b);
    }
    return alts->len;
}

/* ---- 2026: AI Act label groups and exceptions ---- */


/* Conditions from the label groups: one conjunct per group the document lists. */
static void group_conditions(Render *r, PtrVec *conj)
{
    Compiler *c = r->c;
    for (int g = 0; g < N_LABEL_GROUPS; g++) {
        const YNode *key;
        const YNode *v = ck_fm_get(r->d, ck_label_groups[g], &key);
        if (!key)
            continue;
        const YNode *items[MAX_LIST];
        uint32_t n = scalars_of(c, r->d, v, ck_label_groups[g], items, MAX_LIST);
        const char *vals[MAX_LIST];
        int nv = 0;
        bool dropped = false;
        for (uint32_t i = 0; i < n; i++) {
            const char *s = ck_str_trim_dup(&c->arena, items[i]->str, strlen(items[i]->str));
            if (*s && c->vocab.loaded && !ck_in_list(&c->vocab.values[g], s)) {
                /* It could never match, and the rule would not load: report, keep as meta. */
                diag_at(&c->diag, DIAG_WARNING, ck_node_loc(r->d, items[i]),
                        "'%s' is never a label of %s; kept as 'meta %s'", s, ck_label_groups[g],
                        ck_label_groups[g]);
                ck_hint_closest(c, &c->vocab.values[g], s);
                ck_push_const(&meta_entry(r, ck_label_groups[g])->values, s);
                dropped = true;
                continue;
            }
            bool dup = !*s;
            for (int k = 0; k < nv && !dup; k++)
                dup = strcmp(vals[k], s) == 0;
            if (!dup)
                vals[nv++] = s;
        }
        if (nv == 0 && dropped) {
            /* Only impossible labels: the group can never match. */
            ptrvec_push(conj, arena_printf(&c->arena, "%s intersects {}", ck_label_groups[g]));
            continue;
        }
        if (nv == 0) {
            if (v->kind == Y_NULL || v->kind == Y_SEQ)
                diag_at(&c->diag, DIAG_WARNING, ck_node_loc(r->d, key),
                        "'%s' lists no labels; the group does not restrict the requirement",
                        ck_label_groups[g]);
            continue;
        }
        Buf b = {0};
        buf_printf(&b, "%s intersects {", ck_label_groups[g]);
        for (int i = 0; i < nv; i++) {
            if (i)
                buf_puts(&b, ", ");
            ck_put_quoted(&b, vals[i]);
        }
        buf_putc(&b, '}');
        ptrvec_push(conj, arena_strdup(&c->arena, buf_str(&b)));
        buf_free(&b);
    }

    const YNode *ukey;
    const YNode *u = ck_fm_get(r->d, "uitzondering", &ukey);
    if (!ukey)
        return;
    const YNode *items[MAX_LIST];
    uint32_t n = scalars_of(c, r->d, u, "uitzondering", items, MAX_LIST);
    /* One exception per line, aligned under the first: "and not (" puts it at column 21. */
    Buf b = {0}, entry = {0};
    uint32_t ne = 0;
    if (n > CK_MAX_EXCEPTIONS) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(r->d, items[CK_MAX_EXCEPTIONS]),
                "'uitzondering' may list at most %d exceptions", CK_MAX_EXCEPTIONS);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        bool compound, had_never;
        buf_clear(&entry);
        if (!ck_exception_rule(c, r->d, items[i], &entry, &compound, &had_never))
            continue;
        if (had_never)
            ck_push_const(&meta_entry(r, "uitzondering")->values, items[i]->str);
        buf_puts(&b, ne++ ? "\n                 or " : "not (");
        buf_printf(&b, compound && n > 1 ? "(%s)" : "%s", buf_str(&entry));
    }
    if (ne) {
        buf_putc(&b, ')');
        ptrvec_push(conj, arena_strdup(&c->arena, buf_str(&b)));
    }
    buf_free(&b);
    buf_free(&entry);
}

/* The conditions of a document's label groups, with the metadata they produce, computed once:
 * a 2026 document compiled in the same run as its 2024 predecessor serves both. */
struct GroupConds {
    PtrVec conj; /* const char * */
    PtrVec meta; /* MetaOut * */
};

const PtrVec *ck_group_conditions(Compiler *c, Doc *d)
{
    if (!d->groups) {
        Render r = {c, d, {0}, {0}};
        struct GroupConds *g = arena_alloc(&c->arena, sizeof *g);
        group_conditions(&r, &g->conj);
        g->meta = r.meta;
        d->groups = g;
    }
    return &d->groups->conj;
}

void ck_groups_free(Doc *d)
{
    if (!d->groups)
        return;
    for (int i = 0; i < d->groups->meta.len; i++)
        ptrvec_free(&((MetaOut *)d->groups->meta.items[i])->values);
    ptrvec_free(&d->groups->meta);
    ptrvec_free(&d->groups->conj);
    d->groups = NULL;
}

/* This document's own label-group conjuncts, and their metadata in the rule being written. */
static void own_group_conditions(Render *r, PtrVec *conj)
{
    const PtrVec *gc = ck_group_conditions(r->c, r->d);
    for (int i = 0; i < gc->len; i++)
        ck_push_const(conj, gc->items[i]);
    const PtrVec *meta = &r->d->groups->meta;
    for (int i = 0; i < meta->len; i++) {
        const MetaOut *m = meta->items[i];
        MetaOut *mine = meta_entry(r, m->key);
        for (int k = 0; k < m->values.len; k++)
            ck_push_const(&mine->values, m->values.items[k]);
    }
}

/* ---- unknown keys ---- */

typedef enum KeyUse { KEY_USED, KEY_DROPPED, KEY_META_SILENT } KeyUse;

/* Keys this compiler reads. `hide` and `allow_excel_export` only steer the web site's layout
 * and are left out; `summary` is text about the page and is kept as metadata without a warning. */
static const struct {
    const char *key;
    KeyUse use;
} known_keys[] = {
    {"id", KEY_USED}, {"title", KEY_USED}, {"toelichting", KEY_USED},
    {"status_vereiste", KEY_USED}, {"levenscyclus", KEY_USED}, {"bouwblok", KEY_USED},
    {"onderwerp", KEY_USED}, {"rollen", KEY_USED}, {"rekenregels", KEY_USED},
    {"machine-learning", KEY_USED}, {"generatieve-ai", KEY_USED},
    {"soort-toepassing", KEY_USED}, {"risicogroep", KEY_USED}, {"rol-ai-act", KEY_USED},
    {"transparantieverplichting", KEY_USED}, {"systeemrisico", KEY_USED},
    {"open-source", KEY_USED}, {"uitzondering", KEY_USED},
    {"hide", KEY_DROPPED}, {"allow_excel_export", KEY_DROPPED}, {"summary", KEY_META_SILENT}};

/* A value as one line of text, for metadata: lists and mappings in YAML flow style. */
static void flow_text(Buf *b, const YNode *v)
{
    switch (v->kind) {
    case Y_NULL: buf_puts(b, "~"); return;
    case Y_SCALAR: buf_puts(b, v->str); return;
    case Y_SEQ:
        buf_putc(b, '[');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i)
                buf_puts(b, ", ");
            flow_text(b, v->kids[i]);
        }
        buf_putc(b, ']');
        return;
    case Y_MAP:
        buf_putc(b, '{');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i)
                buf_puts(b, ", ");
            flow_text(b, v->kids[2 * i]);
            buf_puts(b, ": ");
            flow_text(b, v->kids[2 * i + 1]);
        }
        buf_putc(b, '}');
        return;
    }
}

static void unknown_keys(Render *r)
{
    Compiler *c = r->c;
    const YNode *fm = r->d->fm;
    if (!fm)
        return;
    for (uint32_t i = 0; i < fm->n; i++) {
        const YNode *k = fm->kids[2 * i], *v = fm->kids[2 * i + 1];
        int use = -1;
        for (size_t j = 0; j < KDR_ARRAY_LEN(known_keys); j++)
            if (ck_str_ieq(k->str, known_keys[j].key))
                use = (int)known_keys[j].use;
        bool dup = false;
        for (uint32_t j = 0; j < i; j++)
            if (ck_str_ieq(fm->kids[2 * j]->str, k->str))
                dup = true;
        if (use == KEY_USED || use == KEY_DROPPED || dup)
            continue;
        const char *name = meta_name(&c->arena, k->str);
        if (use != KEY_META_SILENT) {
            diag_at(&c->diag, DIAG_WARNING, ck_node_loc(r->d, k),
                    "unknown front-matter key '%s'; kept as 'meta %s'", k->str, name);
        }
        MetaOut *m = meta_entry(r, name);
        if (v->kind == Y_SCALAR) {
            ck_push_const(&m->values, v->str);
        } else if (v->kind == Y_SEQ || v->kind == Y_MAP) {
            for (uint32_t j = 0; j < v->n; j++) {
                Buf b = {0};
                if (v->kind == Y_MAP) {
                    flow_text(&b, v->kids[2 * j]);
                    buf_puts(&b, ": ");
                    flow_text(&b, v->kids[2 * j + 1]);
                } else if (v->kids[j]->kind != Y_NULL) {
                    flow_text(&b, v->kids[j]);
                }
                if (b.len)
                    ptrvec_push(&m->values, arena_strdup(&c->arena, buf_str(&b)));
                buf_free(&b);
            }
        }
    }
}

/* ---- the requirement ---- */

static int cmp_measure(const void *a, const void *b)
{
    const MeasureRef *x = *(const MeasureRef *const *)a, *y = *(const MeasureRef *const *)b;
    int r = strcmp(x->id, y->id);
    return r ? r : strcmp(x->title, y->title);
}

static void put_path_comment(Buf *b, const char *path)
{
    for (const char *p = path; *p; p++)
        buf_putc(b, (unsigned char)*p < 0x20 ? '?' : *p);
}

/* applies when: conjuncts one per line; a single list of alternatives one per line. */
static void put_condition(Render *r, PtrVec *alts, PtrVec *conj)
{
    Buf *b = &r->out;
    if (conj->len == 0 && alts->len > 1) {
        for (int i = 0; i < alts->len; i++) {
            const char *a = alts->items[i];
            bool paren = strstr(a, " and ") != NULL;
            buf_puts(b, i ? "\n            or " : "  applies when ");
            buf_printf(b, paren ? "(%s)" : "%s", a);
        }
        buf_putc(b, '\n');
        return;
    }
    PtrVec all = {0};
    if (alts->len) {
        Buf one = {0};
        if (alts->len > 1)
            buf_putc(&one, '(');
        for (int i = 0; i < alts->len; i++) {
            const char *a = alts->items[i];
            bool paren = alts->len > 1 && strstr(a, " and ") != NULL;
            buf_printf(&one, paren ? "%s(%s)" : "%s%s", i ? " or " : "", a);
        }
        if (alts->len > 1)
            buf_putc(&one, ')');
        ptrvec_push(&all, arena_strdup(&r->c->arena, buf_str(&one)));
        buf_free(&one);
    }
    for (int i = 0; i < conj->len; i++)
        ptrvec_push(&all, conj->items[i]);
    for (int i = 0; i < all.len; i++)
        buf_printf(b, "%s%s", i ? "\n           and " : "  applies when ", (char *)all.items[i]);
    if (all.len)
        buf_putc(b, '\n');
    ptrvec_free(&all);
}

/* Text from a document or the lineage table in a comment: one line, control characters as
 * spaces. */
static void put_comment_text(Buf *b, const char *s)
{
    for (const char *p = s; *p; p++)
        buf_putc(b, (unsigned char)*p < 0x20 || *p == 0x7F ? ' ' : *p);
}

/* Where the condition below comes from, for the reader of the rule file. */
static void successor_comment(Render *r, const Successor *s)
{
    Buf *b = &r->out;
    if (!s->in_table)
        return;
    buf_puts(b, "  # ");
    if (s->id)
        buf_printf(b, "successor %s", s->id);
    else {
        buf_puts(b, "no successor in the 2026 Algoritmekader (");
        put_comment_text(b, s->reason);
        buf_putc(b, ')');
    }
    if (s->taken_from && s->from_rules && s->id && strcmp(s->taken_from, s->id) == 0)
        buf_printf(b, "; its condition, dates and procedures as the project's rules define "
                   "them (%s)", s->where);
    else if (s->taken_from && s->from_rules)
        buf_printf(b, "; condition, dates and procedures of the project's rule %s (%s)",
                   s->taken_from, s->where);
    else if (s->taken_from) {
        buf_puts(b, "; the AI Act labels of its 2026 document (");
        put_comment_text(b, s->where);
        buf_putc(b, ')');
    } else if (s->id)
        buf_puts(b, "; its applicability is not known here");
    buf_putc(b, '\n');
    if (s->merge) {
        buf_puts(b, "  # merged with other 2024 documents: ");
        put_comment_text(b, s->merge);
        buf_putc(b, '\n');
    }
}

/* A requirement whose applicability nobody states applies to every algorithm: that is almost
 * never what its document means, so say so, and say where the condition could come from. */
static void applicability_warnings(Render *r, const Successor *s, bool stated)
{
    Compiler *c = r->c;
    Doc *d = r->d;
    KdrLoc at = ck_doc_loc(d, 0, 3);
    if (s->failed)
        return; /* the error said what is wrong */
    if (s->id && !s->taken_from) {
        bool given = c->lineage_options.successor_paths.len > 0;
        diag_at(&c->diag, DIAG_WARNING, at, "the applicability of the successor %s is not known: "
                "there is no requirement with that id in %s, %s; %s", s->id,
                c->rules_where ? c->rules_where : "the rules",
                given ? "nor among the 2026 documents given with --successors"
                      : "and no 2026 document with that id was given",
                stated ? "the requirement keeps only its own condition"
                       : "the requirement applies to every algorithm");
        if (given)
            diag_hint(&c->diag, "check the successor's id in %s", ck_lineage_table_name(c));
        else
            diag_hint(&c->diag, "give the 2026 requirement documents with --successors DIR");
        return;
    }
    if (stated || s->taken_from || !ck_is_2024_document(d))
        return;
    if (s->in_table) {
        diag_at(&c->diag, DIAG_WARNING, at, "the document states no applicability and has no "
                "successor in the 2026 Algoritmekader (%s); the requirement applies to every "
                "algorithm", s->reason);
        diag_hint(&c->diag, "name the project's rule with the same obligation in 'rule:' in %s, "
                  "or write the condition in a ```kader block", ck_lineage_table_name(c));
    } else if (c->lineage) {
        diag_at(&c->diag, DIAG_WARNING, at, "the document states no applicability and the lineage "
                "table has no entry for '%s'; the requirement applies to every algorithm", d->id);
        diag_hint(&c->diag, "add the document and its 2026 successor to %s, or write the "
                  "condition in a ```kader block", ck_lineage_table_name(c));
    } else {
        diag_at(&c->diag, DIAG_WARNING, at, "the document states no applicability%s; the requirement "
                "applies to every algorithm",
                c->lineage_options.off ? " (compiled with --no-lineage)" : "");
        diag_hint(&c->diag, "state it in the maps rekenregels, machine-learning and "
                  "generatieve-ai, or write the condition in a ```kader block");
    }
}

static void requirement_body(Render *r)
{
    Compiler *c = r->c;
    Doc *d = r->d;
    Buf *b = &r->out;

    buf_puts(b, "requirement ");
    ck_put_quoted(b, d->id);
    buf_puts(b, " {\n");

    const char *title = scalar_field(c, d, "title");
    if (!title || !*title) {
        const YNode *k;
        const YNode *v = ck_fm_get(d, "title", &k);
        if (!v || v->kind == Y_NULL || v->kind == Y_SCALAR) /* a list was an error already */
            diag_at(&c->diag, DIAG_WARNING, k ? ck_node_loc(d, k) : ck_doc_loc(d, 0, 3),
                    "the document has no title; the file name is used");
        title = d->stem;
    }
    buf_puts(b, "  title       ");
    ck_put_quoted(b, title);
    buf_putc(b, '\n');
    const char *desc = scalar_field(c, d, "toelichting");
    if (desc && *desc) {
        buf_puts(b, "  description ");
        ck_put_quoted(b, desc);
        buf_putc(b, '\n');
    }

    /* status_vereiste: "- geldend", " - Geldend", "Geldend": lower case, one value. */
    const YNode *st[MAX_LIST];
    uint32_t nst = scalars_of(c, d, ck_fm_get(d, "status_vereiste", NULL), "status_vereiste", st,
                              MAX_LIST);
    if (nst) {
        const char *status = ck_slug(&c->arena, st[0]->str);
        for (uint32_t i = 1; i < nst; i++)
            if (strcmp(ck_slug(&c->arena, st[i]->str), status) != 0) {
                diag_at(&c->diag, DIAG_WARNING, ck_node_loc(d, st[i]),
                        "a second status '%s'; the first, '%s', is used", st[i]->str, status);
                break;
            }
        buf_puts(b, "  status      ");
        ck_put_quoted(b, status);
        buf_putc(b, '\n');
    }

    PtrVec names = {0};
    collect_names(r, "levenscyclus", true, &names);
    put_names(r, "phase", &names);
    /* 2024 says bouwblok, 2026 onderwerp; a document with both gets both. */
    collect_names(r, "bouwblok", false, &names);
    collect_names(r, "onderwerp", false, &names);
    put_names(r, "topic", &names);
    collect_names(r, "rollen", false, &names);
    put_names(r, "role", &names);

    PtrVec sources = {0};
    collect_sources(c, d, &sources);
    for (int i = 0; i < sources.len; i++) {
        buf_puts(b, "  source      ");
        ck_put_quoted(b, sources.items[i]);
        buf_putc(b, '\n');
    }
    ptrvec_free(&sources);

    if (d->measures.len)
        qsort(d->measures.items, (size_t)d->measures.len, sizeof(void *), cmp_measure);
    const MeasureRef *prev = NULL;
    for (int i = 0; i < d->measures.len; i++) {
        const MeasureRef *m = d->measures.items[i];
        if (prev && strcmp(prev->id, m->id) == 0)
            continue;
        prev = m;
        buf_puts(b, "  measure     ");
        ck_put_quoted(b, m->id);
        buf_putc(b, ' ');
        ck_put_quoted(b, m->title);
        buf_putc(b, '\n');
    }

    Maps maps;
    read_maps(c, d, &maps);
    check_table(c, d, &maps);
    PtrVec alts = {0}, conj = {0};
    int na = maps.any ? maps_condition(c, &maps, &alts) : -1;
    own_group_conditions(r, &conj);
    bool stated = maps.any || conj.len > 0;
    Successor succ;
    ck_lineage_successor(c, d, &succ);
    successor_comment(r, &succ);
    if (succ.in_force_from)
        buf_printf(b, "  in force from %s\n", succ.in_force_from);
    if (succ.in_force_until)
        buf_printf(b, "  in force until %s\n", succ.in_force_until);
    bool never = maps.any && na == 0 && conj.len == 0; /* whatever the successor says */
    for (int i = 0; i < succ.conj.len && !never; i++)
        ck_push_const(&conj, succ.conj.items[i]);
    if (never) {
        buf_puts(b, "  # the applicability maps answer Nee everywhere\n");
        buf_puts(b, "  applies when false\n");
    } else if (alts.len == 0 && conj.len == 0) {
        if (maps.any)
            buf_puts(b, "  # the applicability maps answer Ja for every algorithm\n");
        else if (succ.taken_from)
            buf_puts(b, "  # the successor's condition holds for every system\n");
        else
            buf_puts(b, "  # the document states no applicability: every algorithm\n");
    } else {
        if (maps.any && na == 0)
            ck_push_const(&conj, "false");
        put_condition(r, &alts, &conj);
    }
    if (succ.requires.len) {
        buf_puts(b, "  requires    ");
        for (int i = 0; i < succ.requires.len; i++)
            buf_printf(b, "%s%s", i ? ", " : "", (const char *)succ.requires.items[i]);
        buf_putc(b, '\n');
    }
    applicability_warnings(r, &succ, stated);
    ptrvec_free(&alts);
    ptrvec_free(&conj);

    unknown_keys(r);
    /* The successor beside the 2024 id, for whoever reads the rule or the report. */
    if (succ.id)
        ck_push_const(&meta_entry(r, "successor")->values, succ.id);
    if (succ.taken_from && (!succ.id || strcmp(succ.taken_from, succ.id) != 0))
        ck_push_const(&meta_entry(r, "condition_of")->values, succ.taken_from);
    ck_successor_free(&succ);
    for (int i = 0; i < r->meta.len; i++) {
        MetaOut *m = r->meta.items[i];
        buf_printf(b, "  meta        %s ", m->key);
        if (m->values.len == 0)
            ck_put_quoted(b, "");
        for (int k = 0; k < m->values.len; k++) {
            if (k)
                buf_puts(b, ", ");
            ck_put_quoted(b, m->values.items[k]);
        }
        buf_putc(b, '\n');
        ptrvec_free(&m->values);
    }
    buf_puts(b, "}\n");
}

/* The document's ```kader blocks are parsed as they stand (errors point into the Markdown file);
 * one that declares this very requirement replaces the generated one. */
static void check_blocks(Compiler *c, Doc *d)
{
    for (uint32_t i = 0; i < d->n_blocks; i++) {
        /* The rule file is C text: a NUL byte would end it in the middle of the block. */
        const char *nul = memchr(d->text + d->blocks[i].start, '\0',
                                 d->blocks[i].end - d->blocks[i].start);
        if (nul) {
            uint32_t at = (uint32_t)(nul - d->text);
            diag_at(&c->diag, DIAG_ERROR, ck_doc_loc(d, at, at + 1),
                    "a ```kader block holds a NUL byte");
            diag_hint(&c->diag, "rule text is text: remove the byte");
            continue;
        }
        ParsedFile pf = {0};
        kdr_parse_range(c->program, d->file, d->blocks[i].start, d->blocks[i].end, &c->diag,
                        &pf);
        for (uint32_t k = 0; k < pf.n_decls; k++)
            if (pf.decls[k].kind == D_REQUIREMENT && d->id &&
                strcmp(pf.decls[k].as.requirement->id, d->id) == 0)
                d->hand_written = (int)i + 1;
        kdr_free(pf.decls);
    }
}

void ck_render_requirement(Compiler *c, Doc *d)
{
    Render r = {c, d, {0}, {0}};
    check_blocks(c, d);
    buf_puts(&r.out, "# Generated by kader compile from ");
    put_path_comment(&r.out, d->path);
    buf_puts(&r.out, "\n# Edit the document and compile again: changes made here are lost.\n");
    if (d->fm && !d->hand_written) {
        buf_putc(&r.out, '\n');
        requirement_body(&r);
    } else if (d->measures.len) {
        /* The rule text is the author's: measures cannot be added to it from outside. */
        const MeasureRef *m = d->measures.items[0];
        uint32_t at = d->blocks[d->hand_written ? d->hand_written - 1 : 0].fence;
        diag_at(&c->diag, DIAG_WARNING, ck_doc_loc(d, at, at + 3),
                "%s is written in ```kader blocks, so the measures that name it (%s%s) are not "
                "added", d->stem, m->id, d->measures.len > 1 ? ", ..." : "");
        diag_hint(&c->diag, "list them in the requirement with 'measure \"id\" \"title\"'");
    }
    for (uint32_t i = 0; i < d->n_blocks; i++) {
        const KaderBlock *k = &d->blocks[i];
        int line, col;
        source_line_col(ck_doc_source(c, d), k->start, &line, &col);
        buf_puts(&r.out, "\n# ```kader block from ");
        put_path_comment(&r.out, d->path);
        buf_printf(&r.out, ", line %d\n", line);
        /* Verbatim, except that CRLF documents give LF rule text like the rest of the file. */
        for (uint32_t i2 = k->start; i2 < k->end; i2++)
            if (!(d->text[i2] == '\r' && i2 + 1 < k->end && d->text[i2 + 1] == '\n'))
                buf_putc(&r.out, d->text[i2]);
        if (k->end > k->start && d->text[k->end - 1] != '\n')
            buf_putc(&r.out, '\n');
    }
    ptrvec_free(&r.meta);
    d->output = buf_take(&r.out);
}
