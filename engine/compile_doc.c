/* compile_doc.c — reads one requirement or measure document for `kader compile`: the YAML front
 * matter (through libyaml) into a small tree that remembers where each value stands in the file,
 * and the Markdown after it into headed sections and fenced ```kader blocks. */
#define _POSIX_C_SOURCE 200809L
#include "compile.h"

#include <errno.h>
#include <string.h>
#include <yaml.h>

/* ---- small text helpers (shared through compile.h) ---- */

static bool is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

char *ck_str_trim_dup(Arena *a, const char *s, size_t len)
{
    while (len > 0 && is_blank(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    return arena_strndup(a, s, len);
}

static char ascii_lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }

bool ck_str_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower(*a) != ascii_lower(*b))
            return false;
    return *a == *b;
}

char *ck_slug(Arena *a, const char *s)
{
    char *t = ck_str_trim_dup(a, s, strlen(s));
    char *w = t;
    bool blank = false;
    for (const char *r = t; *r; r++) {
        if (is_blank(*r)) {
            blank = true;
            continue;
        }
        if (blank)
            *w++ = '-';
        blank = false;
        *w++ = ascii_lower(*r);
    }
    *w = '\0';
    return t;
}

/* ---- locations ---- */

const SourceFile *ck_doc_source(const Compiler *c, const Doc *d)
{
    return sources_get(&c->program->sources, d->file);
}

KdrLoc ck_doc_loc(const Doc *d, uint32_t start, uint32_t end)
{
    KdrLoc loc = {d->file, start, end > start ? end : start + 1};
    if (loc.end > d->len)
        loc.end = d->len;
    if (loc.start > loc.end)
        loc.start = loc.end;
    return loc;
}

KdrLoc ck_node_loc(const Doc *d, const YNode *n)
{
    /* A scalar is underlined whole; a collection only at its first character, since its span
     * runs over many lines and the excerpt shows one. */
    if (n->kind == Y_SCALAR || n->kind == Y_NULL)
        return ck_doc_loc(d, n->off, n->end);
    return ck_doc_loc(d, n->off, n->off + 1);
}

static bool utf8_cont(unsigned char ch) { return (ch & 0xC0) == 0x80; }

/* libyaml counts lines and characters; the rest of kader counts bytes. */
static uint32_t mark_offset(const Doc *d, size_t line, size_t col)
{
    if (line >= d->n_lines)
        return d->len;
    uint32_t i = d->line_starts[line];
    for (size_t k = 0; k < col && i < d->len && d->text[i] != '\n'; k++) {
        i++;
        while (i < d->len && utf8_cont((unsigned char)d->text[i]))
            i++;
    }
    return i;
}

/* ---- front matter ---- */

typedef struct Conv {
    Compiler *c;
    Doc *d;
    yaml_document_t *ydoc;
    size_t first_line; /* the document line where the YAML text starts */
    bool failed;
} Conv;

static bool is_null_scalar(const yaml_node_t *n)
{
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    return len == 0 || (len == 1 && v[0] == '~') ||
           (len == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) || !memcmp(v, "NULL", 4)));
}

static YNode *convert(Conv *cv, yaml_node_t *yn, int depth)
{
    Compiler *c = cv->c;
    Doc *d = cv->d;
    if (cv->failed)
        return NULL;
    uint32_t off = mark_offset(d, cv->first_line + yn->start_mark.line, yn->start_mark.column);
    uint32_t end = mark_offset(d, cv->first_line + yn->end_mark.line, yn->end_mark.column);
    if (depth > CK_MAX_YAML_DEPTH || ++c->yaml_nodes > CK_MAX_YAML_NODES) {
        diag_at(&c->diag, DIAG_ERROR, ck_doc_loc(d, off, off + 1),
                depth > CK_MAX_YAML_DEPTH ? "%s nested more than %d deep"
                                          : "%s too large (more than %d values)",
                d->fm_name, depth > CK_MAX_YAML_DEPTH ? CK_MAX_YAML_DEPTH : CK_MAX_YAML_NODES);
        cv->failed = true;
        return NULL;
    }
    YNode *n = arena_alloc(&c->arena, sizeof *n);
    n->off = off;
    n->end = end;
    n->val_off = NO_OFFSET;
    n->str = "";
    switch (yn->type) {
    case YAML_SCALAR_NODE: {
        if (is_null_scalar(yn)) {
            n->kind = Y_NULL;
            break;
        }
        n->kind = Y_SCALAR;
        size_t len = yn->data.scalar.length;
        n->str = arena_strndup(&c->arena, (const char *)yn->data.scalar.value, len);
        /* Only where the text stands in the file unchanged can a column inside it be named. */
        uint32_t at = off;
        if (yn->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
            yn->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
            at++;
        else if (yn->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
            break;
        if (at + len <= d->len && memcmp(d->text + at, n->str, len) == 0 &&
            strlen(n->str) == len)
            n->val_off = at;
        break;
    }
    case YAML_SEQUENCE_NODE: {
        n->kind = Y_SEQ;
        size_t count = (size_t)(yn->data.sequence.items.top - yn->data.sequence.items.start);
        n->kids = arena_alloc(&c->arena, (count ? count : 1) * sizeof(YNode *));
        for (yaml_node_item_t *it = yn->data.sequence.items.start;
             it < yn->data.sequence.items.top; it++) {
            YNode *kid = convert(cv, yaml_document_get_node(cv->ydoc, *it), depth + 1);
            if (!kid)
                return NULL;
            n->kids[n->n++] = kid;
        }
        break;
    }
    case YAML_MAPPING_NODE: {
        n->kind = Y_MAP;
        size_t count = (size_t)(yn->data.mapping.pairs.top - yn->data.mapping.pairs.start);
        n->kids = arena_alloc(&c->arena, (count ? 2 * count : 1) * sizeof(YNode *));
        for (yaml_node_pair_t *p = yn->data.mapping.pairs.start; p < yn->data.mapping.pairs.top;
             p++) {
            YNode *k = convert(cv, yaml_document_get_node(cv->ydoc, p->key), depth + 1);
            YNode *v = k ? convert(cv, yaml_document_get_node(cv->ydoc, p->value), depth + 1)
                         : NULL;
            if (!v)
                return NULL;
            n->kids[2 * n->n] = k;
            n->kids[2 * n->n + 1] = v;
            n->n++;
        }
        break;
    }
    default:
        n->kind = Y_NULL;
        break;
    }
    return n;
}

/* Where the line holding `off` ends (before any "\r\n" or "\n"). */
static uint32_t line_end(const Doc *d, uint32_t off)
{
    while (off < d->len && d->text[off] != '\n')
        off++;
    if (off > 0 && off <= d->len && d->text[off - 1] == '\r')
        off--;
    return off;
}

static uint32_t next_line(const Doc *d, uint32_t off)
{
    while (off < d->len && d->text[off] != '\n')
        off++;
    return off < d->len ? off + 1 : d->len;
}

/* A line consisting of `mark` (three characters) and optional trailing blanks. */
static bool is_fence_line(const Doc *d, uint32_t off, const char *mark)
{
    if (off + 3 > d->len || memcmp(d->text + off, mark, 3) != 0)
        return false;
    for (uint32_t i = off + 3, e = line_end(d, off); i < e; i++)
        if (d->text[i] != ' ' && d->text[i] != '\t')
            return false;
    return true;
}

static size_t line_index(const Doc *d, uint32_t off)
{
    size_t lo = 0, hi = d->n_lines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (d->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Parses the YAML text [start, end) of d into a tree; NULL after a message when it is not YAML
 * or breaks a limit. An empty text gives an empty mapping. */
static YNode *parse_yaml(Compiler *c, Doc *d, uint32_t start, uint32_t end)
{
    yaml_parser_t parser;
    yaml_document_t ydoc;
    if (!yaml_parser_initialize(&parser)) {
        diag_plain(&c->diag, DIAG_ERROR, "cannot start the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)d->text + start, end - start);
    size_t first_line = line_index(d, start);
    c->yaml_nodes = 0; /* the limit is per document */
    if (!yaml_parser_load(&parser, &ydoc)) {
        uint32_t at;
        if (parser.error == YAML_READER_ERROR)
            at = start + (uint32_t)parser.problem_offset;
        else
            at = mark_offset(d, first_line + parser.problem_mark.line, parser.problem_mark.column);
        if (at > end)
            at = end;
        const char *what = d->fm_name;
        const char *problem = parser.error == YAML_MEMORY_ERROR ? "out of memory"
                              : parser.problem                  ? parser.problem
                                                                : "malformed YAML";
        if (parser.context)
            diag_at(&c->diag, DIAG_ERROR, ck_doc_loc(d, at, at + 1), "%s: %s %s", what, problem,
                    parser.context);
        else
            diag_at(&c->diag, DIAG_ERROR, ck_doc_loc(d, at, at + 1), "%s: %s", what, problem);
        if (parser.context && parser.error != YAML_READER_ERROR) {
            /* libyaml often notices a missing ']' or '}' only at the end: show the start too. */
            uint32_t from = mark_offset(d, first_line + parser.context_mark.line,
                                        parser.context_mark.column);
            const char *ctx = parser.context; /* "while parsing a flow sequence" */
            if (strncmp(ctx, "while parsing ", 14) == 0)
                ctx += 14;
            else if (strncmp(ctx, "while scanning ", 15) == 0)
                ctx += 15;
            if (from != at && !c->diag.suppressed)
                diag_at(&c->diag, DIAG_NOTE, ck_doc_loc(d, from, from + 1), "%s started here",
                        ctx);
        }
        yaml_parser_delete(&parser);
        return NULL;
    }
    yaml_node_t *root = yaml_document_get_root_node(&ydoc);
    Conv cv = {c, d, &ydoc, first_line, false};
    YNode *tree = root ? convert(&cv, root, 0) : NULL;
    yaml_document_delete(&ydoc);
    yaml_parser_delete(&parser);
    if (cv.failed)
        return NULL;
    if (!tree || tree->kind == Y_NULL) {
        /* "---\n---": an empty front matter is an empty mapping. */
        tree = arena_alloc(&c->arena, sizeof *tree);
        tree->kind = Y_MAP;
        tree->off = tree->end = start;
        tree->val_off = NO_OFFSET;
        tree->str = "";
    }
    return tree;
}

/* A root that is a mapping whose keys are text; NULL after a message otherwise. */
static YNode *root_mapping(Compiler *c, Doc *d, YNode *tree)
{
    if (tree->kind != Y_MAP) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, tree),
                "%s must be a mapping of keys to values", d->fm_name);
        diag_hint(&c->diag, "write it as lines 'key: value'");
        return NULL;
    }
    /* Keys are compared as text; a key that is itself a list or mapping cannot be one. */
    for (uint32_t i = 0; i < tree->n; i++) {
        YNode *k = tree->kids[2 * i];
        if (k->kind != Y_SCALAR) {
            if (strcmp(d->fm_name, "front matter") != 0)
                diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, k), "%s: a key must be text",
                        d->fm_name);
            else
                diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, k), "front-matter key must be text");
            return NULL;
        }
    }
    return tree;
}

static void front_matter(Compiler *c, Doc *d, uint32_t bom)
{
    d->body = bom;
    if (!is_fence_line(d, bom, "---"))
        return;
    uint32_t yaml_start = next_line(d, bom);
    uint32_t close = yaml_start;
    while (close < d->len && !is_fence_line(d, close, "---") && !is_fence_line(d, close, "..."))
        close = next_line(d, close);
    if (close >= d->len) {
        diag_at(&c->diag, DIAG_ERROR, ck_doc_loc(d, bom, bom + 3), "front matter is not closed");
        diag_hint(&c->diag, "end the front matter with a line '---'");
        return;
    }
    d->body = next_line(d, close);
    YNode *tree = parse_yaml(c, d, yaml_start, close);
    if (!tree || !(tree = root_mapping(c, d, tree)))
        return;
    for (uint32_t i = 0; i < tree->n; i++)
        for (uint32_t j = 0; j < i; j++)
            if (ck_str_ieq(tree->kids[2 * i]->str, tree->kids[2 * j]->str)) {
                diag_at(&c->diag, DIAG_WARNING, ck_node_loc(d, tree->kids[2 * i]),
                        "front-matter key '%s' appears twice; the first is used",
                        tree->kids[2 * i]->str);
                break;
            }
    d->fm = tree;
}

const YNode *ck_fm_get(const Doc *d, const char *key, const YNode **key_node)
{
    if (key_node)
        *key_node = NULL;
    if (!d->fm)
        return NULL;
    for (uint32_t i = 0; i < d->fm->n; i++)
        if (ck_str_ieq(d->fm->kids[2 * i]->str, key)) {
            if (key_node)
                *key_node = d->fm->kids[2 * i];
            return d->fm->kids[2 * i + 1];
        }
    return NULL;
}

/* ---- Markdown ---- */

uint32_t ck_doc_lines(const Doc *d, uint32_t start, uint32_t end, Line **lines)
{
    uint32_t n = 0, cap = 0;
    *lines = NULL;
    for (uint32_t off = start; off < end;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            *lines = kdr_realloc(*lines, cap * sizeof(Line));
        }
        uint32_t e = line_end(d, off);
        if (e > end)
            e = end;
        (*lines)[n].start = off;
        (*lines)[n].end = e;
        n++;
        off = next_line(d, off);
    }
    return n;
}

bool ck_doc_in_fence(const Doc *d, uint32_t offset)
{
    for (uint32_t i = 0; i < d->n_fenced; i++)
        if (offset >= d->fenced[i].start && offset <= d->fenced[i].end)
            return true;
    return false;
}

/* "Wanneer van toepassing? " and "Bronnen:" are found as "wanneer van toepassing" / "bronnen". */
static size_t title_key_len(const char *t)
{
    size_t n = strlen(t);
    while (n > 0 && (t[n - 1] == '?' || t[n - 1] == ':' || is_blank(t[n - 1])))
        n--;
    return n;
}

uint32_t ck_doc_find_sections(const Doc *d, const char *title, const Section **out, uint32_t max)
{
    uint32_t found = 0;
    size_t want = title_key_len(title);
    for (uint32_t i = 0; i < d->n_sections && found < max; i++) {
        const char *t = d->sections[i].title;
        if (title_key_len(t) == want && strncmp(t, title, want) == 0)
            out[found++] = &d->sections[i];
    }
    return found;
}

/* ATX heading: up to three spaces, one to six '#', then a blank or the end of the line. */
static int heading_level(const char *s, size_t len, size_t *text_at)
{
    size_t i = 0;
    while (i < len && i < 3 && s[i] == ' ')
        i++;
    size_t hashes = 0;
    while (i + hashes < len && s[i + hashes] == '#')
        hashes++;
    if (hashes == 0 || hashes > 6)
        return 0;
    if (i + hashes < len && s[i + hashes] != ' ' && s[i + hashes] != '\t')
        return 0;
    *text_at = i + hashes;
    return (int)hashes;
}

static const char *heading_title(Arena *a, const char *s, size_t len)
{
    /* Drop an attribute list ("## Maatregelen { data-search-exclude }") and closing '#'s. */
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    if (len > 0 && s[len - 1] == '}') {
        size_t open = len;
        while (open > 0 && s[open - 1] != '{')
            open--;
        if (open > 0)
            len = open - 1;
    }
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    size_t hashes = len;
    while (hashes > 0 && s[hashes - 1] == '#')
        hashes--;
    if (hashes < len && (hashes == 0 || is_blank(s[hashes - 1])))
        len = hashes;
    char *t = ck_str_trim_dup(a, s, len);
    for (char *p = t; *p; p++)
        *p = ascii_lower(*p);
    return t;
}

/* An opening code fence: its character, length and whether its info string names kader. */
static bool fence_open(const char *s, size_t len, char *fch, size_t *flen, bool *kader)
{
    size_t i = 0;
    while (i < len && i < 3 && s[i] == ' ')
        i++;
    if (i >= len || (s[i] != '`' && s[i] != '~'))
        return false;
    char ch = s[i];
    size_t n = 0;
    while (i + n < len && s[i + n] == ch)
        n++;
    if (n < 3)
        return false;
    size_t info = i + n;
    if (ch == '`' && memchr(s + info, '`', len - info))
        return false;
    while (info < len && (s[info] == ' ' || s[info] == '\t' || s[info] == '{' || s[info] == '.'))
        info++;
    size_t w = 0;
    while (info + w < len && !is_blank(s[info + w]) && s[info + w] != '}')
        w++;
    *fch = ch;
    *flen = n;
    *kader = w == 5 && strncmp(s + info, "kader", 5) == 0;
    return true;
}

static bool fence_close(const char *s, size_t len, char fch, size_t flen)
{
    size_t i = 0;
    while (i < len && i < 3 && s[i] == ' ')
        i++;
    size_t n = 0;
    while (i + n < len && s[i + n] == fch)
        n++;
    if (n < flen)
        return false;
    for (i += n; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

static void markdown(Compiler *c, Doc *d)
{
    Line *lines;
    uint32_t n = ck_doc_lines(d, d->body, d->len, &lines);
    uint32_t cap_s = 0, cap_b = 0, cap_f = 0;
    bool in_fence = false, fence_kader = false;
    char fch = 0;
    size_t flen = 0;
    uint32_t fence_at = 0;
    for (uint32_t i = 0; i < n; i++) {
        const char *s = d->text + lines[i].start;
        size_t len = lines[i].end - lines[i].start;
        if (in_fence) {
            if (!fence_close(s, len, fch, flen))
                continue;
            in_fence = false;
            if (d->n_fenced == cap_f) {
                cap_f = cap_f ? cap_f * 2 : 4;
                Line *nf = arena_alloc(&c->arena, cap_f * sizeof *nf);
                if (d->n_fenced)
                    memcpy(nf, d->fenced, d->n_fenced * sizeof *nf);
                d->fenced = nf;
            }
            d->fenced[d->n_fenced].start = fence_at;
            d->fenced[d->n_fenced].end = lines[i].end;
            d->n_fenced++;
            if (fence_kader) {
                if (d->n_blocks == cap_b) {
                    cap_b = cap_b ? cap_b * 2 : 4;
                    KaderBlock *nb = arena_alloc(&c->arena, cap_b * sizeof *nb);
                    if (d->n_blocks)
                        memcpy(nb, d->blocks, d->n_blocks * sizeof *nb);
                    d->blocks = nb;
                }
                d->blocks[d->n_blocks].fence = fence_at;
                d->blocks[d->n_blocks].start = next_line(d, fence_at);
                d->blocks[d->n_blocks].end = lines[i].start;
                d->n_blocks++;
            }
            continue;
        }
        bool kader;
        if (fence_open(s, len, &fch, &flen, &kader)) {
            in_fence = true;
            fence_kader = kader;
            fence_at = lines[i].start;
            continue;
        }
        size_t text_at;
        int level = heading_level(s, len, &text_at);
        if (!level)
            continue;
        if (d->n_sections == cap_s) {
            cap_s = cap_s ? cap_s * 2 : 16;
            Section *ns = arena_alloc(&c->arena, cap_s * sizeof *ns);
            if (d->n_sections)
                memcpy(ns, d->sections, d->n_sections * sizeof *ns);
            d->sections = ns;
        }
        Section *sec = &d->sections[d->n_sections++];
        sec->title = heading_title(&c->arena, s + text_at, len - text_at);
        sec->level = level;
        sec->head = lines[i].start;
        sec->start = next_line(d, lines[i].start);
        sec->end = d->len;
    }
    if (in_fence) {
        /* An unclosed fence runs to the end of the document, as Markdown reads it. */
        Line *nf = arena_alloc(&c->arena, (d->n_fenced + 1) * sizeof *nf);
        if (d->n_fenced)
            memcpy(nf, d->fenced, d->n_fenced * sizeof *nf);
        nf[d->n_fenced].start = fence_at;
        nf[d->n_fenced].end = d->len;
        d->fenced = nf;
        d->n_fenced++;
    }
    if (in_fence && fence_kader) {
        diag_at(&c->diag, DIAG_ERROR, ck_doc_loc(d, fence_at, line_end(d, fence_at)),
                "```kader block is not closed");
        diag_hint(&c->diag, "end the rule text with a line '```'");
    }
    /* A section runs to the next heading of the same or a higher level. */
    for (uint32_t i = 0; i < d->n_sections; i++)
        for (uint32_t j = i + 1; j < d->n_sections; j++)
            if (d->sections[j].level <= d->sections[i].level) {
                d->sections[i].end = d->sections[j].head;
                break;
            }
    kdr_free(lines);
}

/* ---- loading ---- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Reads a file into a new Doc of the session, with its line index; NULL after a message. */
static Doc *doc_read(Compiler *c, const char *path, const char *display_path)
{
    size_t len;
    char *text = read_whole_file(path, &len);
    if (!text) {
        diag_plain(&c->diag, DIAG_ERROR, "cannot read %s: %s", display_path, read_error_text(errno));
        return NULL;
    }
    if (len >= UINT32_MAX) {
        kdr_free(text);
        diag_plain(&c->diag, DIAG_ERROR, "%s is too large", display_path);
        return NULL;
    }
    Doc *d = arena_alloc(&c->arena, sizeof *d);
    d->path = arena_strdup(&c->arena, display_path);
    d->file = sources_add(&c->program->sources, display_path, text, len);
    d->text = text;
    d->len = (uint32_t)len;
    d->fm_name = "front matter";

    uint32_t nl = 1;
    for (uint32_t i = 0; i < d->len; i++)
        if (text[i] == '\n')
            nl++;
    d->line_starts = arena_alloc(&c->arena, nl * sizeof(uint32_t));
    d->line_starts[0] = 0;
    d->n_lines = 1;
    for (uint32_t i = 0; i < d->len; i++)
        if (text[i] == '\n')
            d->line_starts[d->n_lines++] = i + 1;
    return d;
}

Doc *ck_doc_load(Compiler *c, const char *path, const char *display_path)
{
    Doc *d = doc_read(c, path, display_path);
    if (!d)
        return NULL;
    const char *base = base_name(display_path);
    size_t blen = strlen(base);
    while (blen > 3 && base[blen - 3] == '.' && ascii_lower(base[blen - 2]) == 'm' &&
           ascii_lower(base[blen - 1]) == 'd')
        blen -= 3; /* x.md.md occurs */
    d->stem = arena_strndup(&c->arena, base, blen);
    const char *slash = strrchr(display_path, '/');
    if (slash) {
        const char *p = slash;
        while (p > display_path && p[-1] != '/')
            p--;
        d->dirname = arena_strndup(&c->arena, p, (size_t)(slash - p));
    } else {
        d->dirname = "";
    }

    uint32_t bom = d->len >= 3 && memcmp(d->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    int errors = c->diag.errors;
    front_matter(c, d, bom);
    markdown(c, d);
    return c->diag.errors == errors ? d : NULL;
}

Doc *ck_yaml_file_load(Compiler *c, const char *path)
{
    Doc *d = doc_read(c, path, path);
    if (!d)
        return NULL;
    d->stem = base_name(d->path);
    d->dirname = "";
    d->fm_name = base_name(d->path);
    uint32_t bom = d->len >= 3 && memcmp(d->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    d->body = d->len;
    YNode *tree = parse_yaml(c, d, bom, d->len);
    if (!tree || !(tree = root_mapping(c, d, tree)))
        return NULL;
    d->fm = tree;
    return d;
}
