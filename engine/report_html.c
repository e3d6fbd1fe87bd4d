/* report_html.c — the report as one self-contained HTML page (inline CSS, no scripts, no
 * external assets): the system and its classification on top, the lifecycle as a timeline with
 * the current phase marked, the obligations of each phase, missing facts with their questions,
 * procedures with their routes, and per requirement the reasons. Every text is escaped; elements
 * carry stable ids and classes (req-*, proc-*, phase-*, fact-*, status-*, timing-*) so that
 * tests and style sheets can find them. */
#include <string.h>

#include "explain.h"
#include "report.h"

#ifndef KADER_VERSION
#define KADER_VERSION "?"
#endif

/* ---- escaping ---- */

/* Text or an attribute value: markup characters become entities; control characters and bytes
 * that are not UTF-8 (file names can hold any) become U+FFFD. */
static void h(Buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        switch (c) {
        case '&': buf_puts(b, "&amp;"); p++; continue;
        case '<': buf_puts(b, "&lt;"); p++; continue;
        case '>': buf_puts(b, "&gt;"); p++; continue;
        case '"': buf_puts(b, "&quot;"); p++; continue;
        case '\'': buf_puts(b, "&#39;"); p++; continue;
        default: break;
        }
        if (c < 0x20 && c != '\n' && c != '\t') {
            buf_puts(b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        if (c == 0x7F) {
            buf_puts(b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        /* One character, checked as UTF-8 by report_utf8. */
        size_t n = 1;
        while ((p[n] & 0xC0) == 0x80 && n < 4)
            n++;
        char one[5] = {0};
        memcpy(one, p, n);
        report_utf8(b, one);
        p += n;
    }
}

static void h_value(Buf *b, Value v)
{
    Buf t = {0};
    value_format(&t, v);
    h(b, buf_str(&t));
    buf_free(&t);
}

static void h_phase_title(Buf *b, const char *phase)
{
    Buf t = {0};
    report_phase_title(&t, phase);
    h(b, buf_str(&t));
    buf_free(&t);
}

/* An id fragment: letters, digits, '-' and '_' as they are, anything else as '-'. */
static void slug(Buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        buf_putc(b, keep ? (char)c : '-');
    }
}

/* ---- the page's state ---- */

typedef struct Page {
    Buf *b;
    const Evaluation *ev;
    const Program *p;
    const char **req_ids; /* [n_requirements]: the element id of each requirement, unique */
    Arena arena;
    StrMap used_ids;
} Page;

static const char *unique_id(Page *pg, const char *prefix, const char *name)
{
    Buf t = {0};
    buf_puts(&t, prefix);
    slug(&t, name);
    const char *id = arena_strdup(&pg->arena, buf_str(&t));
    int32_t seen;
    for (int n = 2; strmap_get(&pg->used_ids, id, &seen); n++)
        id = arena_printf(&pg->arena, "%s-%d", buf_str(&t), n);
    strmap_put(&pg->used_ids, id, 1);
    buf_free(&t);
    return id;
}

static const char *status_class(ResultStatus s)
{
    switch (s) {
    case ST_APPLIES: return "status-applies";
    case ST_NOT_APPLICABLE: return "status-not-applicable";
    case ST_UNDETERMINED: return "status-undetermined";
    }
    return "";
}

static const char *status_label(ResultStatus s)
{
    switch (s) {
    case ST_APPLIES: return "Applies";
    case ST_NOT_APPLICABLE: return "Not applicable";
    case ST_UNDETERMINED: return "Undetermined";
    }
    return "";
}

static const char *in_force_class(InForce f)
{
    switch (f) {
    case IN_FORCE: return "inforce-yes";
    case IN_FORCE_NOT_YET: return "inforce-not-yet";
    case IN_FORCE_NO_LONGER: return "inforce-no-longer";
    case IN_FORCE_UNKNOWN: return "inforce-unknown";
    }
    return "";
}

static const char *timing_label(Timing t)
{
    switch (t) {
    case TIMING_NOW: return "Now";
    case TIMING_OVERDUE: return "Overdue";
    case TIMING_AHEAD: return "Ahead";
    case TIMING_NONE: break;
    }
    return NULL;
}

static const char *req_title(const RequirementDecl *req) { return req->title ? req->title : req->id; }

static bool req_in_phase(const RequirementDecl *req, const char *phase)
{
    for (uint32_t k = 0; k < req->n_phases; k++)
        if (strcmp(req->phases[k].name, phase) == 0)
            return true;
    return false;
}

/* ---- pieces ---- */

static void pill(Buf *b, const char *cls, const char *text)
{
    buf_printf(b, "<span class=\"pill %s\">", cls);
    h(b, text);
    buf_puts(b, "</span>");
}

static void in_force_html(Page *pg, const RequirementResult *r)
{
    Buf *b = pg->b;
    char date[11];
    InForce f = report_in_force(pg->ev, r);
    buf_printf(b, "<span class=\"inforce %s\">", in_force_class(f));
    switch (f) {
    case IN_FORCE:
        if (val_is_known(r->from)) {
            date_format(r->from.as.date, date);
            buf_printf(b, "In force since <time datetime=\"%s\">%s</time>", date, date);
        } else {
            buf_puts(b, "In force");
        }
        break;
    case IN_FORCE_NOT_YET:
        date_format(r->from.as.date, date);
        buf_printf(b, "Not yet in force <span class=\"when\">from <time datetime=\"%s\">%s</time></span>", date, date);
        break;
    case IN_FORCE_NO_LONGER:
        if (val_is_known(r->until)) {
            date_format(r->until.as.date, date);
            buf_printf(b, "No longer in force <span class=\"when\">until <time datetime=\"%s\">%s</time></span>", date, date);
        } else {
            buf_puts(b, "Not in force");
        }
        break;
    case IN_FORCE_UNKNOWN:
        buf_puts(b, "In force: unknown");
        break;
    }
    buf_puts(b, "</span>");
}

static void fact_link(Page *pg, const FactDecl *f)
{
    Buf *b = pg->b;
    buf_puts(b, "<a class=\"fact\" href=\"#fact-");
    slug(b, f->name);
    buf_puts(b, "\"><code>");
    h(b, f->name);
    buf_puts(b, "</code></a>");
}

/* The missing facts of one result, each with its question. */
static void missing_list(Page *pg, Missing m)
{
    Buf *b = pg->b;
    if (!m.len)
        return;
    buf_puts(b, "<ul class=\"missing\">");
    for (uint32_t i = 0; i < m.len; i++) {
        const FactDecl *f = report_missing_fact(pg->ev, m, i);
        buf_puts(b, "<li class=\"missing-fact\" data-fact=\"");
        h(b, f->name);
        buf_puts(b, "\">");
        fact_link(pg, f);
        if (f->ask) {
            buf_puts(b, " <span class=\"ask\">");
            h(b, f->ask);
            buf_puts(b, "</span>");
        }
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul>");
}

static const char *value_class(Value v)
{
    if (val_is_true(v))
        return "value-true";
    if (val_is_false(v))
        return "value-false";
    if (!val_is_known(v))
        return "value-unknown";
    return "value-other";
}

/* A condition as rule text, and the values its names had: the reason for a result. */
static void reason(Page *pg, const Expr *cond)
{
    Buf *b = pg->b;
    Buf t = {0};
    if (cond)
        expr_print(&t, pg->p, cond);
    else
        buf_puts(&t, "true"); /* no condition: it always applies */
    buf_puts(b, "<code class=\"condition\">");
    h(b, buf_str(&t));
    buf_puts(b, "</code>");
    buf_free(&t);
    const Expr *names[32];
    uint32_t n = report_expr_names(cond, names, KDR_ARRAY_LEN(names));
    bool open = false;
    for (uint32_t i = 0; i < n; i++) {
        Value v;
        if (!report_name_value(pg->ev, names[i], &v))
            continue;
        if (!open)
            buf_puts(b, "<ul class=\"values\">");
        open = true;
        const char *name = names[i]->op == E_FACT ? pg->p->facts[names[i]->slot]->name : pg->p->lets[names[i]->slot]->name;
        buf_printf(b, "<li class=\"%s\"><code>", value_class(v));
        h(b, name);
        buf_puts(b, "</code> <span class=\"eq\">=</span> <span class=\"val\">");
        h_value(b, v);
        buf_puts(b, "</span></li>");
    }
    if (open)
        buf_puts(b, "</ul>");
}

/* "Title → route" for a procedure that a requirement requires. */
static void procedure_ref(Page *pg, int32_t index, const char *name)
{
    Buf *b = pg->b;
    if (index < 0) {
        buf_puts(b, "<code>");
        h(b, name);
        buf_puts(b, "</code>");
        return;
    }
    const ProcedureDecl *proc = pg->p->procedures[index];
    const ProcedureResult *r = &pg->ev->procedures[index];
    buf_puts(b, "<span class=\"procedure-ref\"><a href=\"#proc-");
    slug(b, proc->id);
    buf_puts(b, "\">");
    h(b, proc->title ? proc->title : proc->id);
    buf_puts(b, "</a>");
    if (r->status == ST_UNDETERMINED) {
        buf_puts(b, " ");
        pill(b, "status-undetermined", "undetermined");
    } else if (r->route >= 0) {
        buf_puts(b, " <span class=\"route-id\" data-route=\"");
        h(b, proc->routes[r->route].id);
        buf_puts(b, "\">");
        h(b, proc->routes[r->route].id);
        buf_puts(b, "</span>");
    } else if (r->route_undetermined) {
        buf_puts(b, " ");
        pill(b, "status-undetermined", "route undetermined");
    }
    if (val_is_true(r->again)) {
        buf_puts(b, " ");
        pill(b, "again", "again");
    }
    buf_puts(b, "</span>");
}

static void requirement_procedures(Page *pg, const RequirementDecl *req)
{
    for (uint32_t k = 0; k < req->n_requires; k++) {
        if (k)
            buf_puts(pg->b, "<br>");
        procedure_ref(pg, req->required_procedures ? req->required_procedures[k] : -1, req->requires[k].name);
    }
}

/* ---- sections ---- */

static const char style[] =
    ":root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--brand:#154273;--brand-2:#01689b;"
    "--applies:#1a7f37;--applies-bg:#dafbe1;--undet:#9a6700;--undet-bg:#fff8c5;--na:#59636e;--na-bg:#eff2f5;"
    "--overdue:#cf222e;--overdue-bg:#ffebe9;--now:#0969da;--now-bg:#ddf4ff;--ahead:#6639ba;--ahead-bg:#fbefff}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;background:#eef1f5;color:var(--ink);font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "\"Noto Sans\",\"Liberation Sans\",\"DejaVu Sans\",Arial,sans-serif}\n"
    "a{color:var(--brand-2);text-decoration:none}a:hover{text-decoration:underline}\n"
    "code{font:0.86em/1.4 ui-monospace,\"SFMono-Regular\",\"DejaVu Sans Mono\",Menlo,Consolas,monospace}\n"
    ".page{max-width:1180px;margin:0 auto;padding:0 24px 48px}\n"
    ".masthead{background:var(--brand);color:#fff;border-bottom:6px solid #ffb612;margin:0 0 24px}\n"
    ".masthead .inner{max-width:1180px;margin:0 auto;padding:28px 24px 24px}\n"
    ".eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:12px;opacity:.8;margin-bottom:6px}\n"
    ".masthead h1{margin:0 0 14px;font-size:28px;line-height:1.25;font-weight:650}\n"
    ".meta{display:flex;flex-wrap:wrap;gap:10px 36px;margin:0}\n"
    ".meta div{min-width:0}.meta dt{font-size:12px;text-transform:uppercase;letter-spacing:.06em;opacity:.75}\n"
    ".meta dd{margin:2px 0 0;font-weight:600;overflow-wrap:anywhere}.meta code{font-weight:400}\n"
    ".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:0 0 24px}\n"
    ".tile{background:#fff;border:1px solid var(--line);border-top:4px solid var(--line);border-radius:8px;"
    "padding:12px 16px}\n"
    ".tile .num{display:block;font-size:30px;font-weight:700;line-height:1.1}\n"
    ".tile .what{color:var(--muted);font-size:13px}\n"
    ".tile.status-applies{border-top-color:var(--applies)}.tile.status-applies .num{color:var(--applies)}\n"
    ".tile.status-undetermined{border-top-color:#d4a72c}.tile.status-undetermined .num{color:var(--undet)}\n"
    ".tile.status-not-applicable{border-top-color:#afb8c1}.tile.status-not-applicable .num{color:var(--na)}\n"
    ".tile.timing-overdue{border-top-color:var(--overdue)}.tile.timing-overdue .num{color:var(--overdue)}\n"
    ".tile.inforce-not-yet{border-top-style:dashed;border-top-color:#8c959f}\n"
    ".tile.procedures{border-top-color:var(--brand-2)}.tile.procedures .num{color:var(--brand-2)}\n"
    ".card,section.block{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 24px;"
    "margin:0 0 20px}\n"
    "h2{font-size:19px;margin:0 0 14px;color:var(--brand)}\n"
    "h3{font-size:16px;margin:0}\n"
    ".callout{border-left:6px solid var(--brand-2);background:#fff;border-radius:8px;padding:14px 20px;"
    "margin:0 0 16px;border-top:1px solid var(--line);border-right:1px solid var(--line);"
    "border-bottom:1px solid var(--line)}\n"
    ".callout h2{margin:0 0 4px;font-size:16px}.callout p{margin:4px 0}\n"
    ".callout.conclusion-undetermined{border-left-color:#d4a72c;background:#fffdf0}\n"
    ".callout.warning{border-left-color:var(--overdue);background:#fff8f7}\n"
    ".callout .cid{font-weight:400;color:var(--muted)}\n"
    ".labels{display:grid;grid-template-columns:max-content 1fr;gap:6px 18px;margin:0}\n"
    ".labels dt{color:var(--muted);font-size:13px;padding-top:3px}.labels dd{margin:0}\n"
    ".chip{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:999px;"
    "padding:1px 10px;margin:0 6px 4px 0;font-size:13px}\n"
    ".chip.value-unknown{background:var(--undet-bg);border-color:#d4a72c;color:var(--undet)}\n"
    ".timeline{list-style:none;margin:4px 0 12px;padding:0;display:grid;"
    "grid-template-columns:repeat(var(--steps),minmax(0,1fr));gap:0;counter-reset:step}\n"
    ".step{position:relative;padding:0 4px;text-align:center}\n"
    ".step::before{content:\"\";position:absolute;top:17px;left:0;right:0;height:4px;background:var(--line)}\n"
    ".step:first-child::before{left:50%}.step:last-child::before{right:50%}\n"
    ".step.phase-past::before{background:#8c959f}.step.phase-current::before{background:linear-gradient(90deg,#8c959f 50%,var(--line) 50%)}\n"
    ".step.phase-current:first-child::before{background:var(--line)}.step.phase-current:last-child::before{background:#8c959f}\n"
    ".step a{position:relative;display:block;color:inherit;text-decoration:none}\n"
    ".step .dot{display:inline-flex;align-items:center;justify-content:center;width:38px;height:38px;"
    "border-radius:50%;background:#fff;border:3px solid var(--line);font-weight:700;color:var(--muted)}\n"
    ".step.phase-past .dot{border-color:#8c959f;background:#f6f8fa;color:#57606a}\n"
    ".step.phase-current .dot{background:var(--brand);border-color:var(--brand);color:#fff;"
    "box-shadow:0 0 0 5px rgba(21,66,115,.18)}\n"
    ".step .name{display:block;font-size:12.5px;font-weight:600;margin-top:6px;line-height:1.25;"
    "overflow-wrap:break-word;hyphens:auto}\n"
    ".step.phase-current .name{color:var(--brand)}\n"
    ".step .here{display:inline-block;margin-top:4px;background:var(--brand);color:#fff;font-size:11px;"
    "border-radius:999px;padding:0 8px}\n"
    ".step .counts{display:block;font-size:12px;color:var(--muted);margin-top:2px}\n"
    ".step .counts>span{display:block}\n"
    ".throughout .counts>span{margin-right:10px}\n"
    ".step .counts .n-overdue{color:var(--overdue);font-weight:600}\n"
    ".step .counts .n-undetermined{color:var(--undet);font-weight:600}\n"
    ".throughout{display:flex;align-items:center;gap:12px;background:var(--soft);border:1px solid var(--line);"
    "border-radius:8px;padding:8px 14px;font-size:13.5px}\n"
    ".throughout strong{color:var(--brand)}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:12.5px;color:var(--muted);margin:12px 0 0}\n"
    ".pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;"
    "white-space:nowrap;border:1px solid transparent}\n"
    ".pill.status-applies{background:var(--applies-bg);color:var(--applies);border-color:#aceebb}\n"
    ".pill.status-undetermined{background:var(--undet-bg);color:var(--undet);border-color:#eac54f}\n"
    ".pill.status-not-applicable{background:var(--na-bg);color:var(--na);border-color:var(--line)}\n"
    ".pill.timing-overdue{background:var(--overdue-bg);color:var(--overdue);border-color:#ffcecb}\n"
    ".pill.timing-now{background:var(--now-bg);color:var(--now);border-color:#b6e3ff}\n"
    ".pill.timing-ahead{background:var(--ahead-bg);color:var(--ahead);border-color:#ecd8ff}\n"
    ".pill.again{background:var(--overdue);color:#fff}\n"
    ".inforce{font-size:13px}\n"
    "td .inforce{display:inline-block}.inforce .when{white-space:nowrap}\n"
    ".inforce.inforce-yes{color:var(--applies)}\n"
    ".inforce.inforce-not-yet{color:#57606a;font-style:italic;border:1px dashed #8c959f;border-radius:4px;"
    "padding:0 6px;background:repeating-linear-gradient(135deg,#fff 0 5px,#f1f3f5 5px 10px)}\n"
    ".inforce.inforce-no-longer{color:var(--na);text-decoration:line-through}\n"
    ".inforce.inforce-unknown{color:var(--undet);font-weight:600}\n"
    ".phase{margin:0 0 22px;border:1px solid var(--line);border-radius:10px;background:#fff;overflow:hidden}\n"
    ".phase>header{display:flex;align-items:center;gap:12px;padding:12px 18px;background:var(--soft);"
    "border-bottom:1px solid var(--line)}\n"
    ".phase>header .no{display:inline-flex;align-items:center;justify-content:center;min-width:28px;height:28px;"
    "border-radius:50%;background:#fff;border:2px solid var(--line);font-weight:700;font-size:13px;color:var(--muted)}\n"
    ".phase>header .count{margin-left:auto;color:var(--muted);font-size:13px}\n"
    ".phase.phase-current{border:2px solid var(--brand);box-shadow:0 2px 10px rgba(21,66,115,.12)}\n"
    ".phase.phase-current>header{background:#e8eef6}\n"
    ".phase.phase-current>header .no{background:var(--brand);border-color:var(--brand);color:#fff}\n"
    ".phase.phase-always>header .no{border-style:dashed}\n"
    ".tag{font-size:11.5px;font-weight:600;border-radius:999px;padding:1px 9px;background:#fff;"
    "border:1px solid var(--line);color:var(--muted)}\n"
    ".tag.current{background:var(--brand);border-color:var(--brand);color:#fff}\n"
    ".tag.past{color:#57606a}\n"
    ".empty{margin:0;padding:12px 18px;color:var(--muted);font-style:italic;font-size:13.5px}\n"
    "table{width:100%;border-collapse:collapse}\n"
    "th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);"
    "font-weight:600;padding:8px 12px;border-bottom:1px solid var(--line)}\n"
    "td{padding:9px 12px;border-bottom:1px solid #eaeef2;vertical-align:top}\n"
    "tr:last-child td{border-bottom:0}\n"
    "table.obligations td:first-child{border-left:4px solid transparent}\n"
    "table.obligations tr.status-applies td:first-child{border-left-color:var(--applies)}\n"
    "table.obligations tr.status-undetermined td:first-child{border-left-color:#d4a72c}\n"
    "table.obligations tr.status-undetermined{background:#fffdf0}\n"
    "table.obligations{table-layout:fixed}\n"
    "table.obligations col.c-req{width:43%}table.obligations col.c-status{width:12%}"
    "table.obligations col.c-timing{width:10%}table.obligations col.c-when{width:17%}table.obligations col.c-proc{width:18%}\n"
    "table.obligations td{padding:7px 12px;overflow-wrap:break-word}\n"
    "table.obligations td:first-child a{font-weight:500}\n"
    ".rid{display:block;color:var(--muted);font-size:12px}\n"
    ".route-id{display:inline-block;font:12px/1.5 ui-monospace,\"DejaVu Sans Mono\",monospace;background:#eef4fb;"
    "color:var(--brand);border:1px solid #c8d9ee;border-radius:4px;padding:0 6px}\n"
    ".procedure-ref{font-size:13.5px}\n"
    ".missing{margin:6px 0 0;padding-left:18px}\n"
    ".missing li{margin:2px 0}.missing .ask{color:var(--muted)}\n"
    "table.facts{table-layout:fixed}table.facts col.c-fact{width:24%}table.facts col.c-ask{width:44%}"
    "table.facts col.c-needed{width:32%}\n"
    "table.facts td:first-child code{overflow-wrap:anywhere}\n"
    "table.facts .ask{font-weight:500}\n"
    "table.facts .help{font-weight:400;color:var(--muted);font-size:12.5px;margin-top:4px}\n"
    ".impact{font-size:13px;font-weight:600;margin-bottom:4px}\n"
    ".ref{display:inline-block;margin:0 4px 4px 0;font:11.5px/1.6 ui-monospace,\"DejaVu Sans Mono\",monospace;"
    "background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 5px}\n"
    ".ref.proc{background:#eef4fb;border-color:#c8d9ee}\n"
    ".more{font-size:12px;color:var(--muted)}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:14px}\n"
    ".procedure{border:1px solid var(--line);border-top:4px solid var(--line);border-radius:8px;padding:14px 16px;"
    "background:#fff}\n"
    ".procedure.status-applies{border-top-color:var(--brand-2)}\n"
    ".procedure.status-undetermined{border-top-color:#d4a72c;background:#fffdf0}\n"
    ".procedure header{display:flex;justify-content:space-between;gap:10px;align-items:flex-start;margin-bottom:8px}\n"
    ".procedure h3,.requirement h3{flex:1 1 auto;min-width:0;overflow-wrap:break-word}\n"
    ".procedure header .pill,.requirement .badges{flex:0 0 auto}\n"
    ".procedure .route{margin:6px 0;font-size:14px}\n"
    ".procedure .again-note{margin:6px 0;color:var(--overdue);font-weight:600;font-size:13.5px}\n"
    ".why{font-size:13px;color:var(--muted);margin:8px 0 0}\n"
    ".condition{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:4px;"
    "padding:2px 6px;color:var(--ink);white-space:pre-wrap;overflow-wrap:anywhere}\n"
    ".values{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 8px}\n"
    ".values li{font-size:12.5px;border-radius:4px;padding:0 6px;border:1px solid var(--line);background:#fff}\n"
    ".values .value-true{border-color:#aceebb;background:var(--applies-bg)}\n"
    ".values .value-false{border-color:var(--line);background:var(--na-bg)}\n"
    ".values .value-unknown{border-color:#eac54f;background:var(--undet-bg)}\n"
    ".values .eq{color:var(--muted)}\n"
    ".not-required{font-size:13.5px;color:var(--muted);margin:14px 0 0}\n"
    ".req-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:14px;align-items:start}\n"
    ".requirement{border:1px solid var(--line);border-left:5px solid var(--line);border-radius:8px;"
    "padding:14px 18px;background:#fff;break-inside:avoid;min-width:0}\n"
    ".requirement.status-applies{border-left-color:var(--applies)}\n"
    ".requirement.status-undetermined{border-left-color:#d4a72c;background:#fffdf0}\n"
    ".requirement>header{display:flex;justify-content:space-between;gap:12px;align-items:flex-start}\n"
    ".requirement .badges{display:flex;gap:6px;flex-wrap:wrap;justify-content:flex-end}\n"
    ".requirement .description{margin:6px 0 0;color:#424a53;font-size:14px}\n"
    ".props{display:grid;grid-template-columns:110px 1fr;gap:6px 12px;margin:10px 0 0;font-size:14px}\n"
    ".props dt{color:var(--muted);font-size:12.5px;text-transform:uppercase;letter-spacing:.04em;padding-top:2px}\n"
    ".props dd{margin:0;min-width:0}\n"
    ".props ul.plain{margin:0;padding-left:18px}\n"
    "table.na td{font-size:13.5px}\n"
    "footer{color:var(--muted);font-size:12.5px;text-align:center;margin-top:28px}\n"
    "@media (max-width:760px){.timeline{grid-template-columns:1fr 1fr}.step::before{display:none}"
    ".props{grid-template-columns:1fr}}\n"
    "@media print{body{background:#fff}.masthead{margin:0 0 16px}.phase,.requirement,.procedure{break-inside:avoid}"
    "a{color:inherit}}\n";

static void masthead(Page *pg, const char *source)
{
    Buf *b = pg->b;
    const Evaluation *ev = pg->ev;
    char date[11];
    date_format(ev->today, date);
    buf_puts(b, "<header class=\"masthead\" id=\"overview\">\n<div class=\"inner\">\n<div class=\"eyebrow\">Obligations report</div>\n");
    buf_puts(b, "<h1 id=\"system\">");
    h(b, ev->facts->name ? ev->facts->name : source ? source : "System");
    buf_puts(b, "</h1>\n<dl class=\"meta\">\n");
    buf_printf(b, "<div><dt>Evaluation date</dt><dd id=\"date\"><time datetime=\"%s\">%s</time></dd></div>\n", date,
               date);
    buf_puts(b, "<div><dt>Lifecycle phase</dt><dd id=\"phase\">");
    if (ev->phase.kind == V_STRING)
        h_phase_title(b, ev->phase.as.str);
    else
        buf_puts(b, "<span class=\"unknown\">unknown</span>");
    buf_puts(b, "</dd></div>\n");
    if (source) {
        buf_puts(b, "<div><dt>Facts</dt><dd id=\"source\"><code>");
        h(b, source);
        buf_puts(b, "</code></dd></div>\n");
    }
    buf_puts(b, "</dl>\n</div>\n</header>\n");
}

static void tile(Buf *b, const char *cls, const char *id, uint32_t n, const char *what)
{
    buf_printf(b, "<div class=\"tile %s\" id=\"%s\"><span class=\"num\">%u</span><span class=\"what\">", cls, id, n);
    h(b, what);
    buf_puts(b, "</span></div>\n");
}

static void tiles(Page *pg)
{
    Buf *b = pg->b;
    const Evaluation *ev = pg->ev;
    uint32_t counts[3];
    report_count(ev, counts);
    uint32_t overdue = 0, not_yet = 0, required = 0;
    for (uint32_t i = 0; i < pg->p->n_requirements; i++) {
        const RequirementResult *r = &ev->requirements[i];
        if (r->status == ST_NOT_APPLICABLE)
            continue;
        overdue += r->timing == TIMING_OVERDUE;
        not_yet += report_in_force(ev, r) == IN_FORCE_NOT_YET;
    }
    for (uint32_t i = 0; i < pg->p->n_procedures; i++)
        required += ev->procedures[i].status == ST_APPLIES;
    buf_puts(b, "<div class=\"tiles\" id=\"summary\">\n");
    tile(b, "status-applies", "count-applies", counts[ST_APPLIES], counts[ST_APPLIES] == 1 ? "obligation applies" : "obligations apply");
    tile(b, "status-undetermined", "count-undetermined", counts[ST_UNDETERMINED], "undetermined");
    tile(b, "status-not-applicable", "count-not-applicable", counts[ST_NOT_APPLICABLE], "not applicable");
    tile(b, "timing-overdue", "count-overdue", overdue, "overdue (earlier phases)");
    tile(b, "inforce-not-yet", "count-not-yet", not_yet, "not yet in force");
    if (pg->p->n_procedures)
        tile(b, "procedures", "count-procedures", required, required == 1 ? "procedure required" : "procedures required");
    buf_puts(b, "</div>\n");
}

static void conclusion_and_warnings(Page *pg)
{
    Buf *b = pg->b;
    const Evaluation *ev = pg->ev;
    const Program *p = pg->p;
    if (ev->conclusion >= 0) {
        const ConclusionDecl *c = p->conclusions[ev->conclusion];
        buf_puts(b, "<section class=\"callout conclusion conclusion-reached\" id=\"conclusion\" data-conclusion=\"");
        h(b, c->id);
        buf_puts(b, "\">\n<h2>Conclusion <span class=\"cid\">");
        h(b, c->id);
        buf_puts(b, "</span></h2>\n");
        if (c->text) {
            buf_puts(b, "<p class=\"text\">");
            h(b, c->text);
            buf_puts(b, "</p>\n");
        }
        if (c->obligation) {
            buf_puts(b, "<p class=\"obligation\"><strong>What it means:</strong> ");
            h(b, c->obligation);
            buf_puts(b, "</p>\n");
        }
        buf_puts(b, "</section>\n");
    } else if (ev->conclusion_undetermined) {
        buf_puts(b, "<section class=\"callout conclusion conclusion-undetermined\" id=\"conclusion\">\n"
                    "<h2>Conclusion undetermined</h2>\n<p>The decision tree cannot conclude until these facts are known:</p>\n");
        missing_list(pg, ev->conclusion_missing);
        buf_puts(b, "</section>\n");
    }
    for (uint32_t i = 0; i < p->n_warnings; i++) {
        if (!ev->warnings[i])
            continue;
        buf_puts(b, "<section class=\"callout warning\" id=\"warning-");
        slug(b, p->warnings[i]->id);
        buf_puts(b, "\">\n<h2>Warning <span class=\"cid\">");
        h(b, p->warnings[i]->id);
        buf_puts(b, "</span></h2>\n<p>");
        h(b, p->warnings[i]->text);
        buf_puts(b, "</p>\n</section>\n");
    }
}

static void labels(Page *pg)
{
    Buf *b = pg->b;
    const Program *p = pg->p;
    if (!p->n_labels)
        return;
    buf_puts(b, "<section class=\"block\" id=\"labels\">\n<h2>Classification</h2>\n<dl class=\"labels\">\n");
    for (uint32_t i = 0; i < p->n_labels; i++) {
        const LetDecl *let = p->lets[p->label_lets[i]];
        Value v = pg->ev->labels[i];
        buf_puts(b, "<dt>");
        h(b, let->name);
        buf_puts(b, "</dt><dd class=\"label\" data-label=\"");
        h(b, let->name);
        buf_puts(b, "\">");
        if (v.kind == V_STRING) {
            buf_puts(b, "<span class=\"chip\">");
            h(b, v.as.str);
            buf_puts(b, "</span>");
        } else if (v.kind == V_SET) {
            for (uint32_t k = 0; k < v.as.set->len; k++) {
                buf_puts(b, "<span class=\"chip\">");
                h(b, v.as.set->items[k]);
                buf_puts(b, "</span>");
            }
            if (!v.as.set->len)
                buf_puts(b, "<span class=\"chip\">(none)</span>");
        } else if (!val_is_known(v)) {
            buf_puts(b, "<span class=\"chip value-unknown\">undetermined</span>");
        } else {
            buf_puts(b, "<span class=\"chip\">");
            h_value(b, v);
            buf_puts(b, "</span>");
        }
        buf_puts(b, "</dd>\n");
    }
    buf_puts(b, "</dl>\n</section>\n");
}

/* Where a phase lies relative to the current one: "phase-past", "phase-current", "phase-future",
 * or "phase-unknown" when the current phase is not known. */
static const char *phase_where(const Evaluation *ev, int32_t position)
{
    if (ev->phase_position < 0)
        return "phase-unknown";
    return position < ev->phase_position ? "phase-past" : position == ev->phase_position ? "phase-current"
                                                                                      : "phase-future";
}

typedef struct PhaseCounts {
    uint32_t due, undetermined, overdue;
} PhaseCounts;

static PhaseCounts phase_counts(const Page *pg, const char *phase)
{
    PhaseCounts c = {0, 0, 0};
    for (uint32_t i = 0; i < pg->p->n_requirements; i++) {
        const RequirementResult *r = &pg->ev->requirements[i];
        if (r->status == ST_NOT_APPLICABLE || !req_in_phase(pg->p->requirements[i], phase))
            continue;
        c.due++;
        c.undetermined += r->status == ST_UNDETERMINED;
        c.overdue += r->timing == TIMING_OVERDUE;
    }
    return c;
}

/* Overdue is shown on earlier phases only: on a later phase it would count requirements whose
 * overdue part lies elsewhere. */
static void counts_html(Buf *b, PhaseCounts c, bool past)
{
    buf_printf(b, "<span class=\"counts\"><span class=\"n-due\">%u obligation%s</span>", c.due, c.due == 1 ? "" : "s");
    if (past && c.overdue)
        buf_printf(b, " <span class=\"n-overdue\">%u overdue</span>", c.overdue);
    if (c.undetermined)
        buf_printf(b, " <span class=\"n-undetermined\">%u undetermined</span>", c.undetermined);
    buf_puts(b, "</span>");
}

static void timeline(Page *pg)
{
    Buf *b = pg->b;
    const LifecycleDecl *lc = pg->p->lifecycle;
    if (!lc || !lc->n_phases)
        return;
    buf_puts(b, "<section class=\"block\" id=\"timeline\">\n<h2>Lifecycle</h2>\n");
    buf_printf(b, "<ol class=\"timeline\" style=\"--steps:%u\">\n", lc->n_phases);
    for (uint32_t g = 0; g < lc->n_phases; g++) {
        const char *phase = lc->phases[g].name;
        const char *where = phase_where(pg->ev, (int32_t)g);
        buf_printf(b, "<li class=\"step %s\" data-phase=\"", where);
        h(b, phase);
        buf_puts(b, "\"><a href=\"#phase-");
        slug(b, phase);
        buf_printf(b, "\"><span class=\"dot\">%u</span><span class=\"name\">", g + 1);
        h_phase_title(b, phase);
        buf_puts(b, "</span>");
        if (strcmp(where, "phase-current") == 0)
            buf_puts(b, "<span class=\"here\">current phase</span>");
        counts_html(b, phase_counts(pg, phase), strcmp(where, "phase-past") == 0);
        buf_puts(b, "</a></li>\n");
    }
    buf_puts(b, "</ol>\n");
    for (uint32_t g = 0; g < lc->n_always; g++) {
        const char *phase = lc->always[g].name;
        buf_puts(b, "<div class=\"throughout\" data-phase=\"");
        h(b, phase);
        buf_puts(b, "\"><strong>Throughout</strong><a href=\"#phase-");
        slug(b, phase);
        buf_puts(b, "\">");
        h_phase_title(b, phase);
        buf_puts(b, "</a>");
        counts_html(b, phase_counts(pg, phase), false);
        buf_puts(b, "</div>\n");
    }
    buf_puts(b, "<p class=\"legend\"><span><span class=\"pill status-applies\">Applies</span> the obligation holds</span>"
                "<span><span class=\"pill status-undetermined\">Undetermined</span> facts are missing to decide</span>"
                "<span><span class=\"pill timing-overdue\">Overdue</span> belongs to an earlier phase: should be met</span>"
                "<span><span class=\"pill timing-now\">Now</span> due in the current phase</span>"
                "<span><span class=\"pill timing-ahead\">Ahead</span> a later phase</span>"
                "<span><span class=\"inforce inforce-not-yet\">Not yet in force</span> the law applies from a later date</span></p>\n");
    buf_puts(b, "</section>\n");
}

/* How many results a missing fact would help decide. */
static uint32_t fact_impact(const Evaluation *ev, int32_t fact, uint32_t *reqs, uint32_t *procs, bool *conclusion)
{
    const Program *p = ev->program;
    *reqs = *procs = 0;
    *conclusion = report_missing_has(ev, ev->conclusion_missing, fact);
    for (uint32_t i = 0; i < p->n_requirements; i++)
        *reqs += report_missing_has(ev, ev->requirements[i].missing, fact) ||
                 report_missing_has(ev, ev->requirements[i].in_force_missing, fact);
    for (uint32_t i = 0; i < p->n_procedures; i++)
        *procs += report_missing_has(ev, ev->procedures[i].missing, fact);
    return *reqs + *procs + *conclusion;
}

/* The short name of an id for a chip: what follows the last ':' of a URN. */
static const char *short_id(const char *id)
{
    const char *colon = strrchr(id, ':');
    return colon && colon[1] ? colon + 1 : id;
}

static void missing_facts(Page *pg)
{
    enum { MAX_CHIPS = 14 };
    Buf *b = pg->b;
    const Evaluation *ev = pg->ev;
    const Program *p = pg->p;
    int32_t *facts = kdr_malloc((p->n_facts + 1) * sizeof *facts);
    uint32_t *impact = kdr_malloc((p->n_facts + 1) * sizeof *impact);
    uint32_t n = report_missing_facts(ev, facts);
    /* The facts that decide the most come first: those are the questions to answer first. A
     * stable insertion sort keeps the report's order among equals. */
    for (uint32_t k = 0; k < n; k++) {
        uint32_t r, q;
        bool c;
        impact[k] = fact_impact(ev, facts[k], &r, &q, &c);
    }
    for (uint32_t k = 1; k < n; k++) {
        int32_t f = facts[k];
        uint32_t w = impact[k], j = k;
        for (; j > 0 && impact[j - 1] < w; j--) {
            facts[j] = facts[j - 1];
            impact[j] = impact[j - 1];
        }
        facts[j] = f;
        impact[j] = w;
    }
    if (n) {
        buf_printf(b, "<section class=\"block\" id=\"missing-facts\">\n<h2>Missing facts <span class=\"cid\">(%u)</span></h2>\n"
                      "<p>Without these answers some results stay undetermined (a missing fact is never taken as false). "
                      "The facts that decide the most come first.</p>\n"
                      "<table class=\"facts\">\n<colgroup><col class=\"c-fact\"><col class=\"c-ask\"><col class=\"c-needed\"></colgroup>\n"
                      "<thead><tr><th>Fact</th><th>Question</th><th>Needed to decide</th></tr></thead>\n<tbody>\n",
                   n);
    }
    for (uint32_t k = 0; k < n; k++) {
        const FactDecl *f = p->facts[facts[k]];
        buf_puts(b, "<tr class=\"missing-fact\" id=\"fact-");
        slug(b, f->name);
        buf_puts(b, "\" data-fact=\"");
        h(b, f->name);
        buf_puts(b, "\"><td><code>");
        h(b, f->name);
        buf_puts(b, "</code></td><td class=\"ask\">");
        h(b, f->ask ? f->ask : "");
        if (f->help) {
            buf_puts(b, "<div class=\"help\">");
            h(b, f->help);
            buf_puts(b, "</div>");
        }
        buf_puts(b, "</td><td class=\"needed\">");
        uint32_t reqs, procs;
        bool conclusion;
        fact_impact(ev, facts[k], &reqs, &procs, &conclusion);
        buf_puts(b, "<div class=\"impact\">");
        const char *sep = "";
        if (conclusion) {
            buf_puts(b, "<a href=\"#conclusion\">the conclusion</a>");
            sep = " · ";
        }
        if (reqs) {
            buf_printf(b, "%s%u requirement%s", sep, reqs, reqs == 1 ? "" : "s");
            sep = " · ";
        }
        if (procs)
            buf_printf(b, "%s%u procedure%s", sep, procs, procs == 1 ? "" : "s");
        buf_puts(b, "</div>");
        uint32_t shown = 0;
        for (uint32_t i = 0; i < p->n_procedures; i++) {
            if (!report_missing_has(ev, ev->procedures[i].missing, facts[k]))
                continue;
            buf_puts(b, "<a class=\"ref proc\" href=\"#proc-");
            slug(b, p->procedures[i]->id);
            buf_puts(b, "\" title=\"");
            h(b, p->procedures[i]->title ? p->procedures[i]->title : p->procedures[i]->id);
            buf_puts(b, "\">");
            h(b, p->procedures[i]->id);
            buf_puts(b, "</a>");
        }
        for (uint32_t i = 0; i < p->n_requirements; i++) {
            const RequirementResult *r = &ev->requirements[i];
            if (!report_missing_has(ev, r->missing, facts[k]) && !report_missing_has(ev, r->in_force_missing, facts[k]))
                continue;
            if (shown++ == MAX_CHIPS) {
                buf_printf(b, "<span class=\"more\">and %u more</span>", reqs - MAX_CHIPS);
                break;
            }
            buf_printf(b, "<a class=\"ref\" href=\"#%s\" title=\"", pg->req_ids[i]);
            h(b, req_title(p->requirements[i]));
            buf_puts(b, "\">");
            h(b, short_id(p->requirements[i]->id));
            buf_puts(b, "</a>");
        }
        buf_puts(b, "</td></tr>\n");
    }
    if (n)
        buf_puts(b, "</tbody>\n</table>\n</section>\n");
    kdr_free(impact);
    kdr_free(facts);
}

static void obligation_row(Page *pg, uint32_t i)
{
    Buf *b = pg->b;
    const RequirementDecl *req = pg->p->requirements[i];
    const RequirementResult *r = &pg->ev->requirements[i];
    const char *timing = timing_name((Timing)r->timing);
    buf_printf(b, "<tr class=\"obligation %s timing-%s %s\" data-requirement=\"", status_class((ResultStatus)r->status),
               timing ? timing : "none", in_force_class(report_in_force(pg->ev, r)));
    h(b, req->id);
    buf_printf(b, "\"><td><a href=\"#%s\">", pg->req_ids[i]);
    h(b, req_title(req));
    buf_puts(b, "</a><span class=\"rid\">");
    h(b, req->id);
    buf_puts(b, "</span></td><td>");
    pill(b, status_class((ResultStatus)r->status), status_label((ResultStatus)r->status));
    buf_puts(b, "</td><td>");
    if (timing) {
        char cls[32];
        snprintf(cls, sizeof cls, "timing-%s", timing);
        pill(b, cls, timing_label((Timing)r->timing));
    }
    buf_puts(b, "</td><td class=\"when\">");
    in_force_html(pg, r);
    buf_puts(b, "</td><td>");
    requirement_procedures(pg, req);
    buf_puts(b, "</td></tr>\n");
}

/* One phase: its heading and the table of what applies or is undetermined there. */
static void phase_section(Page *pg, const char *phase, int32_t position, uint32_t number)
{
    Buf *b = pg->b;
    const Program *p = pg->p;
    const char *where = position == -2 ? "phase-always" : position == -3 ? "phase-none" : phase_where(pg->ev, position);
    buf_printf(b, "<section class=\"phase %s\" id=\"phase-", where);
    slug(b, phase ? phase : "none");
    buf_puts(b, "\" data-phase=\"");
    h(b, phase ? phase : "");
    buf_puts(b, "\">\n<header>");
    if (number)
        buf_printf(b, "<span class=\"no\">%u</span>", number);
    else
        buf_puts(b, "<span class=\"no\">∞</span>");
    buf_puts(b, "<h3>");
    if (phase)
        h_phase_title(b, phase);
    else
        buf_puts(b, "Without a phase");
    buf_puts(b, "</h3>");
    if (position == -2)
        buf_puts(b, "<span class=\"tag\">throughout the lifecycle</span>");
    else if (strcmp(where, "phase-current") == 0)
        buf_puts(b, "<span class=\"tag current\">current phase</span>");
    else if (strcmp(where, "phase-past") == 0)
        buf_puts(b, "<span class=\"tag past\">earlier phase</span>");
    else if (strcmp(where, "phase-future") == 0)
        buf_puts(b, "<span class=\"tag\">later phase</span>");
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *req = p->requirements[i];
        if (pg->ev->requirements[i].status == ST_NOT_APPLICABLE)
            continue;
        if (phase ? req_in_phase(req, phase) : !(req->n_phases && p->lifecycle))
            n++;
    }
    buf_printf(b, "<span class=\"count\">%u obligation%s</span></header>\n", n, n == 1 ? "" : "s");
    if (!n) {
        buf_puts(b, "<p class=\"empty\">Nothing is due in this phase.</p>\n</section>\n");
        return;
    }
    buf_puts(b, "<table class=\"obligations\">\n<colgroup><col class=\"c-req\"><col class=\"c-status\"><col class=\"c-timing\">"
                "<col class=\"c-when\"><col class=\"c-proc\"></colgroup>\n<thead><tr><th>Requirement</th><th>Status</th>"
                "<th>Timing</th><th>In force</th><th>Procedure</th></tr></thead>\n<tbody>\n");
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *req = p->requirements[i];
        if (pg->ev->requirements[i].status == ST_NOT_APPLICABLE)
            continue;
        if (phase ? req_in_phase(req, phase) : !(req->n_phases && p->lifecycle))
            obligation_row(pg, i);
    }
    buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

static void obligations(Page *pg)
{
    Buf *b = pg->b;
    const Program *p = pg->p;
    const LifecycleDecl *lc = p->lifecycle;
    buf_puts(b, "<section id=\"obligations\">\n<h2>Obligations by lifecycle phase</h2>\n");
    if (lc) {
        for (uint32_t g = 0; g < lc->n_always; g++)
            phase_section(pg, lc->always[g].name, -2, 0);
        for (uint32_t g = 0; g < lc->n_phases; g++)
            phase_section(pg, lc->phases[g].name, (int32_t)g, g + 1);
    }
    bool without = false;
    for (uint32_t i = 0; i < p->n_requirements; i++)
        without |= pg->ev->requirements[i].status != ST_NOT_APPLICABLE && !(p->requirements[i]->n_phases && lc);
    if (without)
        phase_section(pg, NULL, -3, 0);
    buf_puts(b, "</section>\n");
}

static void procedures(Page *pg)
{
    Buf *b = pg->b;
    const Program *p = pg->p;
    if (!p->n_procedures)
        return;
    buf_puts(b, "<section class=\"block\" id=\"procedures\">\n<h2>Procedures</h2>\n<div class=\"cards\">\n");
    uint32_t not_required = 0;
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureDecl *proc = p->procedures[i];
        const ProcedureResult *r = &pg->ev->procedures[i];
        if (r->status == ST_NOT_APPLICABLE) {
            not_required++;
            continue;
        }
        buf_printf(b, "<article class=\"procedure %s\" id=\"proc-", status_class((ResultStatus)r->status));
        slug(b, proc->id);
        buf_puts(b, "\" data-procedure=\"");
        h(b, proc->id);
        buf_puts(b, "\">\n<header><h3>");
        h(b, proc->title ? proc->title : proc->id);
        buf_puts(b, "</h3>");
        pill(b, status_class((ResultStatus)r->status), r->status == ST_APPLIES ? "Required" : "Undetermined");
        buf_puts(b, "</header>\n");
        if (r->route >= 0) {
            const Route *route = &proc->routes[r->route];
            buf_puts(b, "<p class=\"route\" data-route=\"");
            h(b, route->id);
            buf_puts(b, "\"><span class=\"route-id\">");
            h(b, route->id);
            buf_puts(b, "</span> ");
            h(b, route->text ? route->text : "");
            buf_puts(b, "</p>\n");
            if (route->when) {
                buf_puts(b, "<div class=\"why\">Route taken because ");
                reason(pg, route->when);
                buf_puts(b, "</div>\n");
            }
        } else if (r->route_undetermined) {
            buf_puts(b, "<p class=\"route route-undetermined\">");
            pill(b, "status-undetermined", "Route undetermined");
            buf_puts(b, " a route condition before the one that would apply is unknown</p>\n");
        }
        if (val_is_true(r->again))
            buf_puts(b, "<p class=\"again-note again-yes\">Again: a new procedure is needed (for example after a substantial change).</p>\n");
        else if (proc->again_when && !val_is_known(r->again))
            buf_puts(b, "<p class=\"again-note again-unknown\">Whether a new procedure is needed is undetermined.</p>\n");
        buf_puts(b, "<div class=\"why\">Required when ");
        reason(pg, proc->required_when);
        buf_puts(b, "</div>\n");
        missing_list(pg, r->missing);
        buf_puts(b, "</article>\n");
    }
    buf_puts(b, "</div>\n");
    if (not_required) {
        buf_puts(b, "<p class=\"not-required\">Not required: ");
        bool first = true;
        for (uint32_t i = 0; i < p->n_procedures; i++) {
            const ProcedureDecl *proc = p->procedures[i];
            if (pg->ev->procedures[i].status != ST_NOT_APPLICABLE)
                continue;
            buf_puts(b, first ? "" : " · ");
            first = false;
            buf_puts(b, "<span class=\"procedure status-not-applicable\" id=\"proc-");
            slug(b, proc->id);
            buf_puts(b, "\" data-procedure=\"");
            h(b, proc->id);
            buf_puts(b, "\">");
            h(b, proc->title ? proc->title : proc->id);
            buf_puts(b, "</span>");
        }
        buf_puts(b, "</p>\n");
    }
    buf_puts(b, "</section>\n");
}

static void requirement_card(Page *pg, uint32_t i)
{
    Buf *b = pg->b;
    const RequirementDecl *req = pg->p->requirements[i];
    const RequirementResult *r = &pg->ev->requirements[i];
    const char *timing = timing_name((Timing)r->timing);
    buf_printf(b, "<article class=\"requirement %s timing-%s %s\" id=\"%s\" data-requirement=\"",
               status_class((ResultStatus)r->status), timing ? timing : "none",
               in_force_class(report_in_force(pg->ev, r)), pg->req_ids[i]);
    h(b, req->id);
    buf_puts(b, "\">\n<header><div><h3>");
    h(b, req_title(req));
    buf_puts(b, "</h3><span class=\"rid\">");
    h(b, req->id);
    buf_puts(b, "</span></div><div class=\"badges\">");
    pill(b, status_class((ResultStatus)r->status), status_label((ResultStatus)r->status));
    if (timing) {
        char cls[32];
        snprintf(cls, sizeof cls, "timing-%s", timing);
        pill(b, cls, timing_label((Timing)r->timing));
    }
    buf_puts(b, "</div></header>\n");
    if (req->description) {
        buf_puts(b, "<p class=\"description\">");
        h(b, req->description);
        buf_puts(b, "</p>\n");
    }
    buf_puts(b, "<dl class=\"props\">\n");
    if (req->n_phases) {
        buf_puts(b, "<dt>Phases</dt><dd>");
        for (uint32_t k = 0; k < req->n_phases; k++) {
            buf_puts(b, "<a class=\"chip\" href=\"#phase-");
            slug(b, req->phases[k].name);
            buf_puts(b, "\">");
            h_phase_title(b, req->phases[k].name);
            buf_puts(b, "</a>");
        }
        buf_puts(b, "</dd>\n");
    }
    buf_puts(b, "<dt>In force</dt><dd>");
    in_force_html(pg, r);
    missing_list(pg, r->in_force_missing);
    buf_puts(b, "</dd>\n<dt>Why</dt><dd class=\"reason\">Applies when ");
    reason(pg, req->applies_when);
    buf_puts(b, "</dd>\n");
    if (r->status == ST_UNDETERMINED && r->missing.len) {
        buf_puts(b, "<dt>Missing</dt><dd>");
        missing_list(pg, r->missing);
        buf_puts(b, "</dd>\n");
    }
    if (req->n_requires) {
        buf_puts(b, "<dt>Procedure</dt><dd>");
        requirement_procedures(pg, req);
        buf_puts(b, "</dd>\n");
    }
    if (req->n_measures) {
        buf_puts(b, "<dt>Measures</dt><dd><ul class=\"plain measures\">");
        for (uint32_t k = 0; k < req->n_measures; k++) {
            buf_puts(b, "<li class=\"measure\" data-measure=\"");
            h(b, req->measures[k].id);
            buf_puts(b, "\">");
            h(b, req->measures[k].title ? req->measures[k].title : req->measures[k].id);
            buf_puts(b, " <span class=\"rid\">");
            h(b, req->measures[k].id);
            buf_puts(b, "</span></li>");
        }
        buf_puts(b, "</ul></dd>\n");
    }
    if (req->n_sources) {
        buf_puts(b, "<dt>Sources</dt><dd class=\"sources\">");
        for (uint32_t k = 0; k < req->n_sources; k++) {
            buf_puts(b, k ? "; " : "");
            h(b, req->sources[k]);
        }
        buf_puts(b, "</dd>\n");
    }
    buf_puts(b, "</dl>\n</article>\n");
}

static void requirements(Page *pg)
{
    Buf *b = pg->b;
    const Program *p = pg->p;
    bool any = false;
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        if (pg->ev->requirements[i].status == ST_NOT_APPLICABLE)
            continue;
        if (!any)
            buf_puts(b, "<section class=\"block\" id=\"requirements\">\n<h2>Requirements in detail</h2>\n<div class=\"req-grid\">\n");
        any = true;
        requirement_card(pg, i);
    }
    if (any)
        buf_puts(b, "</div>\n</section>\n");

    uint32_t counts[3];
    report_count(pg->ev, counts);
    if (!counts[ST_NOT_APPLICABLE])
        return;
    buf_printf(b, "<section class=\"block\" id=\"not-applicable\">\n<h2>Not applicable <span class=\"cid\">(%u)</span></h2>\n"
                  "<table class=\"na\">\n<thead><tr><th>Requirement</th><th>Why not</th></tr></thead>\n<tbody>\n",
               counts[ST_NOT_APPLICABLE]);
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *req = p->requirements[i];
        if (pg->ev->requirements[i].status != ST_NOT_APPLICABLE)
            continue;
        buf_printf(b, "<tr class=\"requirement status-not-applicable\" id=\"%s\" data-requirement=\"", pg->req_ids[i]);
        h(b, req->id);
        buf_puts(b, "\"><td>");
        h(b, req_title(req));
        buf_puts(b, "<span class=\"rid\">");
        h(b, req->id);
        buf_puts(b, "</span></td><td class=\"reason\">Applies when ");
        reason(pg, req->applies_when);
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

void report_html(Buf *b, const Evaluation *ev, const char *source)
{
    const Program *p = ev->program;
    Page pg = {.b = b, .ev = ev, .p = p};
    pg.req_ids = kdr_calloc(p->n_requirements + 1, sizeof *pg.req_ids);
    /* Ids of the fixed sections first, so that no requirement can take one of them. */
    static const char *const fixed[] = {"overview", "system", "date", "phase", "source", "summary", "conclusion",
                                        "labels", "timeline", "missing-facts", "obligations", "procedures",
                                        "requirements", "not-applicable"};
    for (size_t i = 0; i < KDR_ARRAY_LEN(fixed); i++)
        strmap_put(&pg.used_ids, fixed[i], 1);
    for (uint32_t i = 0; i < p->n_requirements; i++)
        pg.req_ids[i] = unique_id(&pg, "req-", p->requirements[i]->id);

    char date[11];
    date_format(ev->today, date);
    buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"generator\" content=\"kader " KADER_VERSION "\">\n<title>");
    h(b, ev->facts->name ? ev->facts->name : source ? source : "System");
    buf_printf(b, " — obligations on %s</title>\n<style>\n%s</style>\n</head>\n<body>\n", date, style);
    masthead(&pg, source);
    buf_puts(b, "<main class=\"page\">\n");
    tiles(&pg);
    conclusion_and_warnings(&pg);
    labels(&pg);
    timeline(&pg);
    missing_facts(&pg);
    obligations(&pg);
    procedures(&pg);
    requirements(&pg);
    buf_printf(b, "<footer>Generated by kader " KADER_VERSION " · evaluated on %s · report schema <code>%s</code>"
                  " · %u requirement%s and %u procedure%s in the rules</footer>\n",
               date, KADER_REPORT_SCHEMA, p->n_requirements, p->n_requirements == 1 ? "" : "s", p->n_procedures,
               p->n_procedures == 1 ? "" : "s");
    buf_puts(b, "</main>\n</body>\n</html>\n");
    kdr_free(pg.req_ids);
    strmap_free(&pg.used_ids);
    arena_free(&pg.arena);
}
