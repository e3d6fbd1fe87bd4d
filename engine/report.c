/* report.c — writes an evaluation as JSON (the versioned schema in docs/report-schema.json) or
 * as text for people: obligations grouped by lifecycle phase, missing facts, procedures. Also what
 * the Markdown and HTML renderers share: the names in a condition and their values, in-force state,
 * the missing facts of a whole report, and text made safe to print. */
#include "report.h"

#include <string.h>

#include "json.h"

/* ---- text that came from outside ---- */

void report_utf8(Buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = json_utf8_length(p);
        if (n == 0) {
            buf_puts(out, "\xEF\xBF\xBD");
            p++;
        } else {
            buf_add(out, (const char *)p, (size_t)n);
            p += n;
        }
    }
}

static void json_missing(Json *j, const char *key, const Evaluation *ev, Missing m)
{
    json_open(j, key, '[');
    for (uint32_t i = 0; i < m.len; i++)
        json_str(j, NULL, ev->program->facts[ev->missing_pool[m.start + i]]->name);
    json_close(j, ']');
}

static void json_strings(Json *j, const char *key, const char *const *items, uint32_t n)
{
    json_open(j, key, '[');
    for (uint32_t i = 0; i < n; i++)
        json_str(j, NULL, items[i]);
    json_close(j, ']');
}

static void json_names(Json *j, const char *key, const NameRef *items, uint32_t n)
{
    json_open(j, key, '[');
    for (uint32_t i = 0; i < n; i++)
        json_str(j, NULL, items[i].name);
    json_close(j, ']');
}

/* The members of a requirement's object that depend on the program alone; they follow the
 * result's members, so they always start with a comma. */
static void json_requirement_tail(Json *j, const RequirementDecl *req)
{
    json_names(j, "procedures", req->requires, req->n_requires);
    json_open(j, "measures", '[');
    for (uint32_t k = 0; k < req->n_measures; k++) {
        json_open(j, NULL, '{');
        json_str(j, "id", req->measures[k].id);
        json_str(j, "title", req->measures[k].title);
        json_close(j, '}');
    }
    json_close(j, ']');
    json_strings(j, "sources", req->sources, req->n_sources);
    json_open(j, "meta", '{');
    for (uint32_t k = 0; k < req->n_meta; k++)
        json_strings(j, req->meta[k].key, req->meta[k].values, req->meta[k].n_values);
    json_close(j, '}');
}

static void json_requirement_head(Json *j, const RequirementDecl *req)
{
    json_str(j, "id", req->id);
    json_str(j, "title", req->title);
}

/* Piece `which` of requirement i, as the writer would put it at j's place (its depth, and
 * whether a comma comes first), rendered on first use. */
static const Buf *requirement_piece(ReportCache *cache, const Json *j, uint32_t i, ReportPiece which)
{
    Buf *piece = &cache->pieces[i * PIECE_COUNT + which];
    if (!piece->data) {
        const RequirementDecl *req = cache->program->requirements[i];
        Json t = {.out = piece, .pretty = j->pretty, .depth = j->depth, .need_comma = j->need_comma};
        if (which == PIECE_HEAD)
            json_requirement_head(&t, req);
        else if (which == PIECE_PHASES)
            json_names(&t, "phases", req->phases, req->n_phases);
        else
            json_requirement_tail(&t, req);
    }
    return piece;
}

/* Copies a rendered piece; what follows it needs a comma, as after any member. */
static void put_piece(Json *j, const Buf *piece)
{
    buf_add(j->out, piece->data, piece->len);
    j->need_comma = true;
}

void report_cache_free(ReportCache *cache)
{
    if (cache->pieces)
        for (uint32_t i = 0; i < cache->program->n_requirements * PIECE_COUNT; i++)
            buf_free(&cache->pieces[i]);
    kdr_free(cache->pieces);
    memset(cache, 0, sizeof *cache);
}

void report_json(Buf *out, const Evaluation *ev, const char *source, bool pretty)
{
    report_json_cached(out, ev, source, pretty, NULL);
}

void report_json_cached(Buf *out, const Evaluation *ev, const char *source, bool pretty, ReportCache *cache)
{
    const Program *p = ev->program;
    if (cache && (cache->program != p || cache->pretty != pretty)) {
        report_cache_free(cache);
        cache->program = p;
        cache->pretty = pretty;
    }
    if (cache && !cache->pieces)
        cache->pieces = kdr_calloc(p->n_requirements * PIECE_COUNT + 1, sizeof(Buf));
    Json j = {.out = out, .pretty = pretty};
    char date[11];
    json_open(&j, NULL, '{');
    json_str(&j, "schema", KADER_REPORT_SCHEMA);
    if (source)
        json_str(&j, "source", source);
    json_str(&j, "system", ev->facts->name);
    date_format(ev->today, date);
    json_str(&j, "date", date);
    json_value(&j, "phase", ev->phase);

    json_open(&j, "labels", '{');
    for (uint32_t i = 0; i < p->n_labels; i++) {
        const LetDecl *let = p->lets[p->label_lets[i]];
        Value v = ev->labels[i];
        if (v.kind == V_STRING) {
            json_open(&j, let->name, '[');
            json_str(&j, NULL, v.as.str);
            json_close(&j, ']');
        } else {
            json_value(&j, let->name, v);
        }
    }
    json_close(&j, '}');

    if (ev->conclusion >= 0) {
        const ConclusionDecl *c = p->conclusions[ev->conclusion];
        json_open(&j, "conclusion", '{');
        json_str(&j, "id", c->id);
        json_str(&j, "text", c->text);
        json_str(&j, "obligation", c->obligation);
        json_close(&j, '}');
    } else {
        json_raw(&j, "conclusion", "null");
    }
    if (p->n_conclusions) {
        json_str(&j, "conclusion_status", ev->conclusion >= 0 ? "reached"
                                          : ev->conclusion_undetermined ? "undetermined" : "none");
        json_open(&j, "conclusion_missing", '[');
        for (uint32_t i = 0; i < ev->conclusion_missing.len; i++)
            json_str(&j, NULL, p->facts[ev->missing_pool[ev->conclusion_missing.start + i]]->name);
        json_close(&j, ']');
    }

    json_open(&j, "warnings", '[');
    for (uint32_t i = 0; i < p->n_warnings; i++) {
        if (!ev->warnings[i])
            continue;
        json_open(&j, NULL, '{');
        json_str(&j, "id", p->warnings[i]->id);
        json_str(&j, "text", p->warnings[i]->text);
        json_close(&j, '}');
    }
    json_close(&j, ']');

    uint32_t counts[3] = {0, 0, 0};
    json_open(&j, "requirements", '[');
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *req = p->requirements[i];
        const RequirementResult *r = &ev->requirements[i];
        counts[r->status]++;
        json_open(&j, NULL, '{');
        if (cache)
            put_piece(&j, requirement_piece(cache, &j, i, PIECE_HEAD));
        else
            json_requirement_head(&j, req);
        json_str(&j, "status", status_name((ResultStatus)r->status, false));
        json_missing(&j, "missing", ev, r->missing);
        json_value(&j, "in_force", r->in_force);
        json_missing(&j, "in_force_missing", ev, r->in_force_missing);
        json_value(&j, "in_force_from", r->from);
        json_value(&j, "in_force_until", r->until);
        if (cache)
            put_piece(&j, requirement_piece(cache, &j, i, PIECE_PHASES));
        else
            json_names(&j, "phases", req->phases, req->n_phases);
        json_str(&j, "timing", timing_name((Timing)r->timing));
        if (cache)
            put_piece(&j, requirement_piece(cache, &j, i, PIECE_TAIL));
        else
            json_requirement_tail(&j, req);
        json_close(&j, '}');
    }
    json_close(&j, ']');

    json_open(&j, "procedures", '[');
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureDecl *proc = p->procedures[i];
        const ProcedureResult *r = &ev->procedures[i];
        json_open(&j, NULL, '{');
        json_str(&j, "id", proc->id);
        json_str(&j, "title", proc->title);
        json_str(&j, "status", status_name((ResultStatus)r->status, true));
        json_str(&j, "route", r->route >= 0 ? proc->routes[r->route].id : NULL);
        json_str(&j, "route_text", r->route >= 0 ? proc->routes[r->route].text : NULL);
        json_str(&j, "route_status", r->route >= 0 ? "chosen" : r->route_undetermined ? "undetermined" : "none");
        json_value(&j, "again", r->again);
        json_missing(&j, "missing", ev, r->missing);
        json_close(&j, '}');
    }
    json_close(&j, ']');

    json_open(&j, "summary", '{');
    json_item(&j, "applies");
    buf_printf(out, "%u", counts[ST_APPLIES]);
    json_item(&j, "not_applicable");
    buf_printf(out, "%u", counts[ST_NOT_APPLICABLE]);
    json_item(&j, "undetermined");
    buf_printf(out, "%u", counts[ST_UNDETERMINED]);
    json_close(&j, '}');
    json_close(&j, '}');
    buf_putc(out, '\n');
}

void report_json_error(Buf *out, const char *source, const char *message, int line, int column)
{
    Json j = {.out = out};
    json_open(&j, NULL, '{');
    json_str(&j, "schema", KADER_REPORT_SCHEMA);
    json_str(&j, "source", source);
    json_open(&j, "error", '{');
    json_str(&j, "message", message);
    json_item(&j, "line");
    if (line > 0)
        buf_printf(out, "%d", line);
    else
        buf_puts(out, "null");
    json_item(&j, "column");
    if (line > 0 && column > 0)
        buf_printf(out, "%d", column);
    else
        buf_puts(out, "null");
    json_close(&j, '}');
    json_close(&j, '}');
    buf_putc(out, '\n');
}

/* ---- shared by the renderers ---- */

void report_count(const Evaluation *ev, uint32_t counts[3])
{
    counts[0] = counts[1] = counts[2] = 0;
    for (uint32_t i = 0; i < ev->program->n_requirements; i++)
        counts[ev->requirements[i].status]++;
}

InForce report_in_force(const Evaluation *ev, const RequirementResult *r)
{
    if (val_is_true(r->in_force))
        return IN_FORCE;
    if (!val_is_false(r->in_force))
        return IN_FORCE_UNKNOWN;
    if (r->from.kind == V_DATE && r->from.as.date > ev->today)
        return IN_FORCE_NOT_YET;
    return IN_FORCE_NO_LONGER;
}

const FactDecl *report_missing_fact(const Evaluation *ev, Missing m, uint32_t i)
{
    return ev->program->facts[ev->missing_pool[m.start + i]];
}

void report_phase_title(Buf *out, const char *phase)
{
    for (const char *s = phase; *s; s++) {
        char c = *s == '-' || *s == '_' ? ' ' : *s;
        if (s == phase && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        buf_putc(out, c);
    }
}

bool report_name_value(const Evaluation *ev, const Expr *name, Value *out)
{
    if (name->op == E_FACT) {
        *out = ev->facts->values[name->slot];
        return true;
    }
    if (name->op == E_LET && ev->let_epoch[name->slot] == ev->epoch) {
        *out = ev->let_values[name->slot];
        return true;
    }
    return false;
}

static void collect_names(const Expr *e, const Expr **names, uint32_t max, uint32_t *n)
{
    if (e->op == E_FACT || e->op == E_LET) {
        for (uint32_t i = 0; i < *n; i++)
            if (names[i]->op == e->op && names[i]->slot == e->slot)
                return;
        if (*n < max)
            names[(*n)++] = e;
        return;
    }
    for (uint32_t i = 0; i < e->nkids; i++)
        collect_names(e->kids[i], names, max, n);
}

uint32_t report_expr_names(const Expr *e, const Expr **names, uint32_t max)
{
    uint32_t n = 0;
    if (e)
        collect_names(e, names, max, &n);
    return n;
}

bool report_missing_has(const Evaluation *ev, Missing m, int32_t fact)
{
    for (uint32_t i = 0; i < m.len; i++)
        if (ev->missing_pool[m.start + i] == fact)
            return true;
    return false;
}

static void add_unique(int32_t *facts, uint32_t *n, const Evaluation *ev, Missing m)
{
    for (uint32_t i = 0; i < m.len; i++) {
        int32_t f = ev->missing_pool[m.start + i];
        bool seen = false;
        for (uint32_t k = 0; k < *n && !seen; k++)
            seen = facts[k] == f;
        if (!seen)
            facts[(*n)++] = f;
    }
}

uint32_t report_missing_facts(const Evaluation *ev, int32_t *facts)
{
    const Program *p = ev->program;
    uint32_t n = 0;
    add_unique(facts, &n, ev, ev->conclusion_missing);
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        add_unique(facts, &n, ev, ev->requirements[i].missing);
        add_unique(facts, &n, ev, ev->requirements[i].in_force_missing);
    }
    for (uint32_t i = 0; i < p->n_procedures; i++)
        add_unique(facts, &n, ev, ev->procedures[i].missing);
    return n;
}

/* ---- text ---- */

typedef struct Style {
    const char *bold, *dim, *green, *red, *yellow, *cyan, *reset;
} Style;

static const Style plain_style = {"", "", "", "", "", "", ""};
static const Style color_style = {"\033[1m", "\033[2m", "\033[32m", "\033[31m", "\033[33m", "\033[36m", "\033[0m"};

static void text_value(Buf *b, Value v)
{
    if (v.kind == V_STRING) {
        buf_puts(b, v.as.str);
    } else if (v.kind == V_SET) {
        for (uint32_t i = 0; i < v.as.set->len; i++)
            buf_printf(b, "%s%s", i ? ", " : "", v.as.set->items[i]);
        if (!v.as.set->len)
            buf_puts(b, "(none)");
    } else {
        value_format(b, v);
    }
}

static void text_in_force(Buf *b, const Evaluation *ev, const RequirementResult *r, const Style *s)
{
    char date[11];
    switch (report_in_force(ev, r)) {
    case IN_FORCE:
        if (val_is_known(r->from)) {
            date_format(r->from.as.date, date);
            buf_printf(b, "in force since %s", date);
        } else {
            buf_puts(b, "in force");
        }
        return;
    case IN_FORCE_NOT_YET:
        date_format(r->from.as.date, date);
        buf_printf(b, "%snot yet in force (from %s)%s", s->yellow, date, s->reset);
        return;
    case IN_FORCE_NO_LONGER:
        if (val_is_known(r->until)) {
            date_format(r->until.as.date, date);
            buf_printf(b, "%sno longer in force (until %s)%s", s->dim, date, s->reset);
        } else {
            buf_printf(b, "%sno longer in force%s", s->dim, s->reset);
        }
        return;
    case IN_FORCE_UNKNOWN:
        buf_printf(b, "%sin force: unknown%s", s->yellow, s->reset);
        return;
    }
}

static bool missing_has(const Evaluation *ev, Missing m, int32_t fact)
{
    for (uint32_t i = 0; i < m.len; i++)
        if (ev->missing_pool[m.start + i] == fact)
            return true;
    return false;
}

/* Lists the facts of m, leaving out those already listed in shown (a fact that decides both
 * whether a requirement applies and when it is in force is named once). */
static void text_missing_except(Buf *b, const Evaluation *ev, Missing m, Missing shown, const Style *s,
                                const char *indent)
{
    for (uint32_t i = 0; i < m.len; i++) {
        if (missing_has(ev, shown, ev->missing_pool[m.start + i]))
            continue;
        const FactDecl *f = ev->program->facts[ev->missing_pool[m.start + i]];
        buf_printf(b, "%s%smissing%s %s", indent, s->yellow, s->reset, f->name);
        if (f->ask)
            buf_printf(b, " %s— %s%s", s->dim, f->ask, s->reset);
        buf_putc(b, '\n');
    }
}

static void text_missing(Buf *b, const Evaluation *ev, Missing m, const Style *s, const char *indent)
{
    text_missing_except(b, ev, m, (Missing){0, 0}, s, indent);
}

static void text_requirement(Buf *b, const Evaluation *ev, uint32_t i, const Style *s)
{
    const RequirementDecl *req = ev->program->requirements[i];
    const RequirementResult *r = &ev->requirements[i];
    const char *mark = r->status == ST_APPLIES ? "✓" : "?";
    const char *color = r->status == ST_APPLIES ? s->green : s->yellow;
    buf_printf(b, "    %s%s%s %s%s%s\n", color, mark, s->reset, s->bold, req->title ? req->title : req->id, s->reset);
    buf_printf(b, "      %s%s%s", s->dim, req->id, s->reset);
    for (uint32_t k = 0; k < req->n_meta; k++)
        if (strcmp(req->meta[k].key, "successor") == 0 && req->meta[k].n_values)
            buf_printf(b, " %s· successor %s%s", s->dim, req->meta[k].values[0], s->reset);
    if (r->timing != TIMING_NONE)
        buf_printf(b, " · %s%s%s", r->timing == TIMING_OVERDUE ? s->red : "", timing_name((Timing)r->timing), s->reset);
    buf_puts(b, " · ");
    text_in_force(b, ev, r, s);
    buf_putc(b, '\n');
    if (req->n_requires) {
        buf_puts(b, "      requires ");
        for (uint32_t k = 0; k < req->n_requires; k++)
            buf_printf(b, "%s%s", k ? ", " : "", req->requires[k].name);
        buf_putc(b, '\n');
    }
    if (req->n_sources) {
        buf_printf(b, "      %ssources%s ", s->dim, s->reset);
        for (uint32_t k = 0; k < req->n_sources; k++)
            buf_printf(b, "%s%s", k ? "; " : "", req->sources[k]);
        buf_putc(b, '\n');
    }
    for (uint32_t k = 0; k < req->n_measures; k++)
        buf_printf(b, "      %smeasure%s %s\n", s->dim, s->reset,
                   req->measures[k].title ? req->measures[k].title : req->measures[k].id);
    Missing shown = r->status == ST_UNDETERMINED ? r->missing : (Missing){0, 0};
    text_missing(b, ev, shown, s, "      ");
    text_missing_except(b, ev, r->in_force_missing, shown, s, "      ");
}

void report_text(Buf *b, const Evaluation *ev, const char *source, bool color)
{
    const Style *s = color ? &color_style : &plain_style;
    const Program *p = ev->program;
    char date[11];
    date_format(ev->today, date);
    buf_printf(b, "%s%s%s", s->bold, ev->facts->name ? ev->facts->name : source ? source : "system", s->reset);
    buf_printf(b, "  %sdate%s %s", s->dim, s->reset, date);
    buf_printf(b, "  %sphase%s ", s->dim, s->reset);
    text_value(b, ev->phase);
    buf_putc(b, '\n');

    for (uint32_t i = 0; i < p->n_labels; i++) {
        Buf v = {0};
        text_value(&v, ev->labels[i]);
        buf_printf(b, "  %-26s %s\n", p->lets[p->label_lets[i]]->name, buf_str(&v));
        buf_free(&v);
    }
    if (ev->conclusion >= 0) {
        const ConclusionDecl *c = p->conclusions[ev->conclusion];
        buf_printf(b, "\n%sConclusion %s%s\n  %s\n", s->bold, c->id, s->reset, c->text ? c->text : "");
    } else if (ev->conclusion_undetermined) {
        buf_printf(b, "\n%sConclusion%s %sundetermined%s\n", s->bold, s->reset, s->yellow, s->reset);
        text_missing(b, ev, ev->conclusion_missing, s, "  ");
    }
    for (uint32_t i = 0; i < p->n_warnings; i++)
        if (ev->warnings[i])
            buf_printf(b, "%swarning%s %s: %s\n", s->red, s->reset, p->warnings[i]->id, p->warnings[i]->text);

    uint32_t counts[3] = {0, 0, 0};
    for (uint32_t i = 0; i < p->n_requirements; i++)
        counts[ev->requirements[i].status]++;
    buf_printf(b, "\n%sObligations%s  %u apply · %u undetermined · %u not applicable\n", s->bold, s->reset,
               counts[ST_APPLIES], counts[ST_UNDETERMINED], counts[ST_NOT_APPLICABLE]);

    /* Grouped by phase: the phases that hold throughout first, then the lifecycle in order; a
     * requirement is listed under each of its phases, so each phase shows all that it asks. */
    const LifecycleDecl *lc = p->lifecycle;
    uint32_t n_groups = lc ? lc->n_always + lc->n_phases : 0;
    for (uint32_t g = 0; g < n_groups; g++) {
        const char *phase = g < lc->n_always ? lc->always[g].name : lc->phases[g - lc->n_always].name;
        bool header = false;
        for (uint32_t i = 0; i < p->n_requirements; i++) {
            const RequirementDecl *req = p->requirements[i];
            if (ev->requirements[i].status == ST_NOT_APPLICABLE)
                continue;
            bool in_phase = false;
            for (uint32_t k = 0; k < req->n_phases; k++)
                in_phase |= strcmp(req->phases[k].name, phase) == 0;
            if (!in_phase)
                continue;
            if (!header) {
                bool current = ev->phase.kind == V_STRING && strcmp(ev->phase.as.str, phase) == 0;
                buf_printf(b, "\n  %s%s%s%s\n", s->cyan, phase, s->reset, current ? "  ← current phase" : "");
                header = true;
            }
            text_requirement(b, ev, i, s);
        }
    }
    bool header = false;
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *req = p->requirements[i];
        if (ev->requirements[i].status == ST_NOT_APPLICABLE || (req->n_phases && lc))
            continue;
        if (!header) {
            buf_printf(b, "\n  %s(no phase)%s\n", s->cyan, s->reset);
            header = true;
        }
        text_requirement(b, ev, i, s);
    }

    if (p->n_procedures) {
        buf_printf(b, "\n%sProcedures%s\n", s->bold, s->reset);
        for (uint32_t i = 0; i < p->n_procedures; i++) {
            const ProcedureDecl *proc = p->procedures[i];
            const ProcedureResult *r = &ev->procedures[i];
            const char *tint = r->status == ST_APPLIES ? s->green : r->status == ST_UNDETERMINED ? s->yellow : s->dim;
            buf_printf(b, "  %s%-14s%s %s\n", tint, status_name((ResultStatus)r->status, true), s->reset, proc->title);
            if (r->status == ST_NOT_APPLICABLE)
                continue;
            if (r->route >= 0)
                buf_printf(b, "                 route %s%s%s: %s\n", s->bold, proc->routes[r->route].id, s->reset,
                           proc->routes[r->route].text);
            else if (r->route_undetermined)
                buf_printf(b, "                 route %sundetermined%s\n", s->yellow, s->reset);
            if (val_is_true(r->again))
                buf_printf(b, "                 %sagain%s: a new procedure is needed\n", s->red, s->reset);
            text_missing(b, ev, r->missing, s, "                 ");
        }
    }
}
