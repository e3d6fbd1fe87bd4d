/* diag.c — source bookkeeping and compiler-style messages (location, source line, caret, hint). */
#include "diag.h"

#include <stdarg.h>
#include <string.h>

void sources_init(Sources *s)
{
    s->len = 1; /* index 0 means "no file" */
    s->cap = 8;
    s->files = kdr_calloc(s->cap, sizeof(SourceFile *));
}

void sources_free(Sources *s)
{
    for (uint32_t i = 1; i < s->len; i++) {
        kdr_free(s->files[i]->name);
        kdr_free(s->files[i]->text);
        kdr_free(s->files[i]->line_starts);
        kdr_free(s->files[i]);
    }
    kdr_free(s->files);
    s->files = NULL;
    s->len = s->cap = 0;
}

uint32_t sources_add(Sources *s, const char *name, char *text, size_t len)
{
    if (s->len == s->cap) {
        s->cap *= 2;
        s->files = kdr_realloc(s->files, s->cap * sizeof(SourceFile *));
    }
    SourceFile *f = kdr_malloc(sizeof *f);
    f->name = kdr_strdup(name);
    f->text = text;
    f->len = len;
    /* Files are limited far below 4 GiB; a larger one simply goes without the index. */
    f->line_starts = NULL;
    f->n_lines = 0;
    if (len < UINT32_MAX) {
        /* memchr rather than a loop over bytes: every rule file and facts file passes here. */
        uint32_t lines = 1;
        const char *end = text + len;
        for (const char *c = text; c && c < end && (c = memchr(c, '\n', (size_t)(end - c))) != NULL; c++)
            lines++;
        f->line_starts = kdr_malloc(lines * sizeof(uint32_t));
        f->line_starts[f->n_lines++] = 0;
        for (const char *c = text; c && c < end && (c = memchr(c, '\n', (size_t)(end - c))) != NULL; c++)
            f->line_starts[f->n_lines++] = (uint32_t)(c - text + 1);
    }
    s->files[s->len] = f;
    return s->len++;
}

const SourceFile *sources_get(const Sources *s, uint32_t file)
{
    if (!s || file == 0 || file >= s->len)
        return NULL;
    return s->files[file];
}

static bool is_utf8_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* A UTF-8 byte-order mark at the start of a file is invisible in an editor: it takes no column
 * in a message and is not shown in its source line. (source_offset_of still counts it as a
 * character, as libyaml's marks do when the encoding is set beforehand.) */
static uint32_t bom_length(const SourceFile *f)
{
    return f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* The 0-based line holding offset. */
static uint32_t line_index(const SourceFile *f, uint32_t offset)
{
    uint32_t lo = 0, hi = f->n_lines; /* line_starts[lo] <= offset < line_starts[hi] */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void source_line_col(const SourceFile *f, uint32_t offset, int *line, int *col)
{
    if (offset > f->len)
        offset = (uint32_t)f->len;
    int l = 1, c = 1;
    uint32_t from = 0;
    if (f->line_starts) {
        uint32_t index = line_index(f, offset);
        l = (int)index + 1;
        from = f->line_starts[index];
    }
    uint32_t bom = bom_length(f);
    if (from == 0 && offset >= bom)
        from = bom;
    for (uint32_t i = from; i < offset; i++) {
        unsigned char ch = (unsigned char)f->text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if (!is_utf8_continuation(ch)) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

uint32_t source_offset_of(const SourceFile *f, int line0, int col0)
{
    size_t i = 0;
    if (f->line_starts && line0 >= 0)
        i = (uint32_t)line0 < f->n_lines ? f->line_starts[line0] : f->len;
    else
        for (int l = 0; l < line0 && i < f->len; i++)
            if (f->text[i] == '\n')
                l++;
    for (int c = 0; c < col0 && i < f->len && f->text[i] != '\n'; c++) {
        i++;
        while (i < f->len && is_utf8_continuation((unsigned char)f->text[i]))
            i++;
    }
    return (uint32_t)i;
}

void diag_init(Diag *d, const Sources *sources, FILE *out)
{
    memset(d, 0, sizeof *d);
    d->sources = sources;
    d->out = out;
    d->max_errors = 50;
}

KdrLoc loc_span(KdrLoc a, KdrLoc b)
{
    KdrLoc r = a;
    if (b.file == a.file && b.end > r.end)
        r.end = b.end;
    return r;
}

static const char *level_name(DiagLevel level)
{
    switch (level) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    case DIAG_NOTE: return "note";
    }
    return "error";
}

static const char *level_color(DiagLevel level)
{
    switch (level) {
    case DIAG_ERROR: return "\033[1;31m";
    case DIAG_WARNING: return "\033[1;35m";
    case DIAG_NOTE: return "\033[1;36m";
    }
    return "";
}

/* Counts the message and decides whether it is printed: after max_errors errors the rest are
 * counted but not shown, so a file full of garbage does not flood the terminal. */
static bool diag_begin(Diag *d, DiagLevel level)
{
    if (level == DIAG_ERROR)
        d->errors++;
    else if (level == DIAG_WARNING)
        d->warnings++;
    d->suppressed = !d->out || (level == DIAG_NOTE && d->hide_notes)
                    || (level == DIAG_ERROR && d->max_errors > 0 && d->errors > d->max_errors);
    if (d->out && level == DIAG_ERROR && d->max_errors > 0 && d->errors == d->max_errors + 1)
        fprintf(d->out, "kader: note: too many errors; the rest are not shown\n");
    return !d->suppressed;
}

/* Prints the line holding loc.start and a caret line under the span. Tabs in the line are kept
 * in the caret line so that the caret stays aligned in any terminal. A long line is cut to a
 * window around the location, marked with "...". */
static void print_source_excerpt(Diag *d, const SourceFile *f, KdrLoc loc, int line)
{
    enum { WINDOW_BEFORE = 60, WINDOW_AFTER = 60 };
    size_t start = loc.start > f->len ? f->len : loc.start;
    size_t bol = start;
    while (bol > 0 && f->text[bol - 1] != '\n')
        bol--;
    if (bol == 0 && start >= bom_length(f))
        bol = bom_length(f);
    size_t eol = start;
    while (eol < f->len && f->text[eol] != '\n' && f->text[eol] != '\r')
        eol++;
    size_t end = loc.end > eol ? eol : loc.end;
    if (end < start)
        end = start;
    bool cut_before = false, cut_after = false;
    if (start - bol > WINDOW_BEFORE) {
        bol = start - WINDOW_BEFORE;
        while (bol < start && is_utf8_continuation((unsigned char)f->text[bol]))
            bol++;
        cut_before = true;
    }
    size_t limit = (end > start + WINDOW_AFTER ? start + WINDOW_AFTER : end) + WINDOW_AFTER / 2;
    if (eol > limit) {
        eol = limit;
        while (eol > start && is_utf8_continuation((unsigned char)f->text[eol]))
            eol--;
        cut_after = true;
        if (end > eol)
            end = eol;
    }
    char gutter[16];
    int width = snprintf(gutter, sizeof gutter, "%d", line);
    fprintf(d->out, " %s | %s", gutter, cut_before ? "..." : "");
    for (size_t i = bol; i < eol; i++) {
        unsigned char ch = (unsigned char)f->text[i];
        /* Control characters would garble the terminal; show them as '?'. */
        fputc(ch < 0x20 && ch != '\t' ? '?' : ch, d->out);
    }
    fprintf(d->out, "%s\n", cut_after ? "..." : "");
    fprintf(d->out, " %*s | %s", width, "", cut_before ? "   " : "");
    for (size_t i = bol; i < start; i++) {
        unsigned char ch = (unsigned char)f->text[i];
        if (ch == '\t')
            fputc('\t', d->out);
        else if (!is_utf8_continuation(ch))
            fputc(' ', d->out);
    }
    if (d->color)
        fputs("\033[1;32m", d->out);
    fputc('^', d->out);
    for (size_t i = start + 1; i < end; i++)
        if (!is_utf8_continuation((unsigned char)f->text[i]))
            fputc('~', d->out);
    if (d->color)
        fputs("\033[0m", d->out);
    fputc('\n', d->out);
}

static void sink_message(Diag *d, DiagLevel level, bool is_hint, const SourceFile *f, int line, int col,
                         const char *fmt, va_list ap)
{
    Buf msg = {0};
    buf_vprintf(&msg, fmt, ap);
    d->sink(d->sink_ud, level, is_hint, f ? f->name : NULL, line, col, buf_str(&msg));
    buf_free(&msg);
}

void diag_at(Diag *d, DiagLevel level, KdrLoc loc, const char *fmt, ...)
{
    if (level == DIAG_WARNING && d->werror)
        level = DIAG_ERROR;
    const SourceFile *f = sources_get(d->sources, loc.file);
    if (d->sink) {
        int line = 0, col = 0;
        if (f)
            source_line_col(f, loc.start, &line, &col);
        va_list ap;
        va_start(ap, fmt);
        sink_message(d, level, false, f, line, col, fmt, ap);
        va_end(ap);
    }
    if (!diag_begin(d, level))
        return;
    int line = 0, col = 0;
    if (f) {
        source_line_col(f, loc.start, &line, &col);
        if (d->color)
            fputs("\033[1m", d->out);
        fprintf(d->out, "%s:%d:%d: ", f->name, line, col);
    } else {
        fputs("kader: ", d->out);
    }
    if (d->color)
        fprintf(d->out, "%s%s:\033[0m ", level_color(level), level_name(level));
    else
        fprintf(d->out, "%s: ", level_name(level));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
    if (f)
        print_source_excerpt(d, f, loc, line);
}

void diag_plain(Diag *d, DiagLevel level, const char *fmt, ...)
{
    if (level == DIAG_WARNING && d->werror)
        level = DIAG_ERROR;
    if (d->sink) {
        va_list ap;
        va_start(ap, fmt);
        sink_message(d, level, false, NULL, 0, 0, fmt, ap);
        va_end(ap);
    }
    if (!diag_begin(d, level))
        return;
    if (d->color)
        fprintf(d->out, "kader: %s%s:\033[0m ", level_color(level), level_name(level));
    else
        fprintf(d->out, "kader: %s: ", level_name(level));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
}

void diag_hint(Diag *d, const char *fmt, ...)
{
    if (d->sink) {
        va_list ap;
        va_start(ap, fmt);
        sink_message(d, DIAG_NOTE, true, NULL, 0, 0, fmt, ap);
        va_end(ap);
    }
    if (!d->out || d->suppressed)
        return;
    fputs(d->color ? "\033[1;36mhint:\033[0m " : "hint: ", d->out);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
}
