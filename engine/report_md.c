/* report_md.c — the report as Markdown (CommonMark with GitHub tables): a heading per lifecycle
 * phase with a table of what is due there, the missing facts with their questions, procedures
 * with their routes, and per requirement its reasons. Written to read well as plain text too. */
#include <string.h>

#include "explain.h"
#include "report.h"

static bool is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* Text in running Markdown: characters that would start markup are escaped, line breaks
 * become spaces (a table row must stay on one line). */
static void md_text(Buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (c == '\n' || c == '\r' || c == '\t') {
            buf_putc(b, ' ');
            continue;
        }
        /* An underscore inside a word never starts emphasis; leaving it keeps plain text plain. */
        bool inside_word = c == '_' && p > s && is_word_char(p[-1]) && is_word_char(p[1]);
        if ((strchr("\\`*_[]<>|#", c) && !inside_word) ||
            (c == '&' && (p[1] == '#' || (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'))))
            buf_putc(b, '\\');
        buf_putc(b, c);
    }
}

/* A code span: the fence is one backtick longer than the longest run inside. In a table cell pipes
 * are escaped, because GitHub tables split cells on them even inside code. */
static void md_code(Buf *b, const char *s, bool table)
{
    int longest = 0, run = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    bool pad = s[0] == '`' || (s[0] && s[strlen(s) - 1] == '`');
    for (int i = 0; i <= longest; i++)
        buf_putc(b, '`');
    if (pad)
        buf_putc(b, ' ');
    for (const char *p = s; *p; p++) {
        if (*p == '|' && table)
            buf_puts(b, "\\|");
        else
            buf_putc(b, *p == '\n' || *p == '\r' ? ' ' : *p);
    }
    if (pad)
        buf_putc(b, ' ');
    for (int i = 0; i <= longest; i++)
        buf_putc(b, '`');
}

static void md_value_code(Buf *b, Value v, bool table)
{
    Buf t = {0};
    value_format(&t, v);
    md_code(b, buf_str(&t), table);
    buf_free(&t);
}

static void md_phase_title(Buf *b, const char *phase)
{
    Buf t = {0};
    report_phase_title(&t, phase);
    md_text(b, buf_str(&t));
    buf_free(&t);
}

static const char *req_title(const RequirementDecl *req) { return req->title ? req->title : req->id; }

static const char *status_word(ResultStatus s)
{
    switch (s) {
    case ST_APPLIES: return "applies";
    case ST_NOT_APPLICABLE: return "not applicable";
    case ST_UNDETERMINED: return "**undetermined**";
    }
    return "?";
}

static void md_in_force(Buf *b, const Evaluation *ev, const RequirementResult *r)
{
    char date[11];
    switch (report_in_force(ev, r)) {
    case IN_FORCE:
        if (val_is_known(r->from)) {
            date_format(r->from.as.date, date);
            buf_printf(b, "since %s", date);
        } else {
            buf_puts(b, "yes");
        }
        return;
    case IN_FORCE_NOT_YET:
        date_format(r->from.as.date, date);
        buf_printf(b, "*not yet* (from %s)", date);
        return;
    case IN_FORCE_NO_LONGER:
        if (val_is_known(r->until)) {
            date_format(r->until.as.date, date);
            buf_printf(b, "no longer (until %s)", date);
        } else {
            buf_puts(b, "no");
        }
        return;
    case IN_FORCE_UNKNOWN:
        buf_puts(b, "**unknown**");
        return;
    }
}

static void md_missing_list(Buf *b, const Evaluation *ev, Missing m, bool table)
{
    for (uint32_t i = 0; i < m.len; i++) {
        if (i)
            buf_puts(b, ", ");
        md_code(b, report_missing_fact(ev, m, i)->name, table);
    }
}

static void md_procedure_route(Buf *b, const Evaluation *ev, int32_t proc_index, bool table)
{
    const ProcedureDecl *proc = ev->program->procedures[proc_index];
    const ProcedureResult *r = &ev->procedures[proc_index];
    md_text(b, proc->title ? proc->title : proc->id);
    if (r->status == ST_UNDETERMINED)
        buf_puts(b, " (undetermined)");
    else if (r->route >= 0) {
        buf_puts(b, " — route ");
        md_code(b, proc->routes[r->route].id, table);
    } else if (r->route_undetermined)
        buf_puts(b, " — route undetermined");
    if (val_is_true(r->again))
        buf_puts(b, " — **again**");
}

/* The condition and the values of the names it uses: the reason for the status. */
static void md_reason(Buf *b, const Evaluation *ev, const Expr *cond, bool table)
{
    Buf t = {0};
    if (cond)
        expr_print(&t, ev->program, cond);
    else
        buf_puts(&t, "true"); /* no condition: it always applies */
    md_code(b, buf_str(&t), table);
    buf_free(&t);
    const Expr *names[32];
    uint32_t n = report_expr_names(cond, names, KDR_ARRAY_LEN(names));
    bool first = true;
    for (uint32_t i = 0; i < n; i++) {
        Value v;
        if (!report_name_value(ev, names[i], &v))
            continue;
        buf_puts(b, first ? " — " : ", ");
        first = false;
        Buf t2 = {0};
        buf_puts(&t2, names[i]->op == E_FACT ? ev->program->facts[names[i]->slot]->name : ev->program->lets[names[i]->slot]->name);
        buf_puts(&t2, " = ");
        value_format(&t2, v);
        md_code(b, buf_str(&t2), table);
        buf_free(&t2);
    }
}

static bool req_in_phase(const RequirementDecl *req, const char *phase)
{
    for (uint32_t k = 0; k < req->n_phases; k++)
        if (strcmp(req->phases[k].name, phase) == 0)
            return true;
    return false;
}

static void md_requirement_row(Buf *b, const Evaluation *ev, uint32_t i)
{
    const RequirementDecl *req = ev->program->requirements[i];
    const RequirementResult *r = &ev->requirements[i];
    buf_puts(b, "| ");
    md_text(b, req_title(req));
    buf_puts(b, " · ");
    md_code(b, req->id, true);
    buf_printf(b, " | %s | ", status_word((ResultStatus)r->status));
    const char *timing = timing_name((Timing)r->timing);
    buf_puts(b, timing ? (r->timing == TIMING_OVERDUE ? "**overdue**" : timing) : "—");
    buf_puts(b, " | ");
    md_in_force(b, ev, r);
    buf_puts(b, " | ");
    if (!req->n_requires)
        buf_puts(b, "—");
    for (uint32_t k = 0; k < req->n_requires; k++) {
        if (k)
            buf_puts(b, "; ");
        if (req->required_procedures && req->required_procedures[k] >= 0)
            md_procedure_route(b, ev, req->required_procedures[k], true);
        else
            md_code(b, req->requires[k].name, true);
    }
    buf_puts(b, " |\n");
}

static void md_phase_table(Buf *b, const Evaluation *ev, const char *phase, bool no_phase)
{
    const Program *p = ev->program;
    bool header = false;
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *req = p->requirements[i];
        if (ev->requirements[i].status == ST_NOT_APPLICABLE)
            continue;
        if (no_phase ? (req->n_phases && p->lifecycle) : !req_in_phase(req, phase))
            continue;
        if (!header) {
            buf_puts(b, "| Requirement | Status | Timing | In force | Procedures |\n");
            buf_puts(b, "|---|---|---|---|---|\n");
            header = true;
        }
        md_requirement_row(b, ev, i);
    }
    if (!header)
        buf_puts(b, "Nothing is due in this phase.\n");
}

static void md_header(Buf *b, const Evaluation *ev, const char *source)
{
    const Program *p = ev->program;
    char date[11];
    date_format(ev->today, date);
    buf_puts(b, "# ");
    md_text(b, ev->facts->name ? ev->facts->name : source ? source : "System");
    buf_puts(b, "\n\n");
    buf_printf(b, "- **Date:** %s\n", date);
    buf_puts(b, "- **Lifecycle phase:** ");
    if (ev->phase.kind == V_STRING) {
        md_phase_title(b, ev->phase.as.str);
        buf_puts(b, " (");
        md_code(b, ev->phase.as.str, false);
        buf_puts(b, ")\n");
    } else {
        buf_puts(b, "**unknown**\n");
    }
    if (source) {
        buf_puts(b, "- **Facts:** ");
        Buf t = {0};
        report_utf8(&t, source);
        md_code(b, buf_str(&t), false);
        buf_free(&t);
        buf_putc(b, '\n');
    }
    uint32_t counts[3];
    report_count(ev, counts);
    buf_printf(b, "- **Obligations:** %u apply · %u undetermined · %u not applicable\n", counts[ST_APPLIES],
               counts[ST_UNDETERMINED], counts[ST_NOT_APPLICABLE]);
    if (p->n_procedures) {
        uint32_t pc[3] = {0, 0, 0};
        for (uint32_t i = 0; i < p->n_procedures; i++)
            pc[ev->procedures[i].status]++;
        buf_printf(b, "- **Procedures:** %u required · %u undetermined · %u not required\n", pc[ST_APPLIES],
                   pc[ST_UNDETERMINED], pc[ST_NOT_APPLICABLE]);
    }

    if (p->n_labels) {
        buf_puts(b, "\n| Label | Value |\n|---|---|\n");
        for (uint32_t i = 0; i < p->n_labels; i++) {
            Value v = ev->labels[i];
            buf_puts(b, "| ");
            md_text(b, p->lets[p->label_lets[i]]->name);
            buf_puts(b, " | ");
            if (v.kind == V_STRING) {
                md_text(b, v.as.str);
            } else if (v.kind == V_SET) {
                for (uint32_t k = 0; k < v.as.set->len; k++) {
                    if (k)
                        buf_puts(b, ", ");
                    md_text(b, v.as.set->items[k]);
                }
                if (!v.as.set->len)
                    buf_puts(b, "(none)");
            } else if (!val_is_known(v)) {
                buf_puts(b, "**undetermined**");
            } else {
                md_value_code(b, v, true);
            }
            buf_puts(b, " |\n");
        }
    }

    if (ev->conclusion >= 0) {
        const ConclusionDecl *c = p->conclusions[ev->conclusion];
        buf_puts(b, "\n> **Conclusion ");
        md_code(b, c->id, false);
        buf_puts(b, "**");
        if (c->text) {
            buf_puts(b, " — ");
            md_text(b, c->text);
        }
        buf_putc(b, '\n');
        if (c->obligation) {
            buf_puts(b, ">\n> ");
            md_text(b, c->obligation);
            buf_putc(b, '\n');
        }
    } else if (ev->conclusion_undetermined) {
        buf_puts(b, "\n> **Conclusion undetermined** — missing: ");
        md_missing_list(b, ev, ev->conclusion_missing, false);
        buf_putc(b, '\n');
    }
    for (uint32_t i = 0; i < p->n_warnings; i++) {
        if (!ev->warnings[i])
            continue;
        buf_puts(b, "\n> **Warning** ");
        md_code(b, p->warnings[i]->id, false);
        buf_puts(b, ": ");
        md_text(b, p->warnings[i]->text);
        buf_putc(b, '\n');
    }
}

static void md_missing_facts(Buf *b, const Evaluation *ev)
{
    const Program *p = ev->program;
    int32_t *facts = kdr_malloc((p->n_facts + 1) * sizeof *facts);
    uint32_t n = report_missing_facts(ev, facts);
    if (n) {
        buf_puts(b, "\n## Missing facts\n\n");
        buf_puts(b, "Answer these to decide what is still undetermined.\n\n");
        buf_puts(b, "| Fact | Question | Needed for |\n|---|---|---|\n");
    }
    for (uint32_t k = 0; k < n; k++) {
        const FactDecl *f = p->facts[facts[k]];
        buf_puts(b, "| ");
        md_code(b, f->name, true);
        buf_puts(b, " | ");
        md_text(b, f->ask ? f->ask : "—");
        buf_puts(b, " | ");
        bool first = true;
        if (report_missing_has(ev, ev->conclusion_missing, facts[k])) {
            buf_puts(b, "the conclusion");
            first = false;
        }
        for (uint32_t i = 0; i < p->n_requirements; i++) {
            const RequirementResult *r = &ev->requirements[i];
            bool status = report_missing_has(ev, r->missing, facts[k]);
            bool in_force = report_missing_has(ev, r->in_force_missing, facts[k]);
            if (!status && !in_force)
                continue;
            buf_puts(b, first ? "" : ", ");
            first = false;
            md_code(b, p->requirements[i]->id, true);
            if (!status)
                buf_puts(b, " (in force)");
        }
        for (uint32_t i = 0; i < p->n_procedures; i++) {
            if (!report_missing_has(ev, ev->procedures[i].missing, facts[k]))
                continue;
            buf_puts(b, first ? "procedure " : ", procedure ");
            first = false;
            md_code(b, p->procedures[i]->id, true);
        }
        buf_puts(b, " |\n");
    }
    kdr_free(facts);
}

static void md_procedures(Buf *b, const Evaluation *ev)
{
    const Program *p = ev->program;
    if (!p->n_procedures)
        return;
    buf_puts(b, "\n## Procedures\n\n| Procedure | Status | Route | Again | Missing facts |\n|---|---|---|---|---|\n");
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureDecl *proc = p->procedures[i];
        const ProcedureResult *r = &ev->procedures[i];
        buf_puts(b, "| ");
        md_text(b, proc->title ? proc->title : proc->id);
        buf_puts(b, " · ");
        md_code(b, proc->id, true);
        buf_printf(b, " | %s | ", r->status == ST_APPLIES ? "required"
                                  : r->status == ST_UNDETERMINED ? "**undetermined**" : "not required");
        if (r->route >= 0) {
            md_code(b, proc->routes[r->route].id, true);
            if (proc->routes[r->route].text) {
                buf_puts(b, ": ");
                md_text(b, proc->routes[r->route].text);
            }
        } else if (r->route_undetermined) {
            buf_puts(b, "**undetermined**");
        } else {
            buf_puts(b, "—");
        }
        buf_puts(b, " | ");
        if (r->status == ST_NOT_APPLICABLE || !proc->again_when)
            buf_puts(b, "—");
        else if (val_is_true(r->again))
            buf_puts(b, "**yes**: a new procedure is needed");
        else if (val_is_false(r->again))
            buf_puts(b, "no");
        else
            buf_puts(b, "**unknown**");
        buf_puts(b, " | ");
        if (r->missing.len)
            md_missing_list(b, ev, r->missing, true);
        else
            buf_puts(b, "—");
        buf_puts(b, " |\n");
    }
}

static void md_requirement_details(Buf *b, const Evaluation *ev, uint32_t i)
{
    const Program *p = ev->program;
    const RequirementDecl *req = p->requirements[i];
    const RequirementResult *r = &ev->requirements[i];
    buf_puts(b, "\n### ");
    md_text(b, req_title(req));
    buf_puts(b, "\n\n");
    md_code(b, req->id, false);
    buf_printf(b, " · %s", status_word((ResultStatus)r->status));
    const char *timing = timing_name((Timing)r->timing);
    if (timing)
        buf_printf(b, " · %s", timing);
    buf_puts(b, " · in force: ");
    md_in_force(b, ev, r);
    buf_puts(b, "\n\n");
    if (req->description) {
        md_text(b, req->description);
        buf_puts(b, "\n\n");
    }
    if (req->n_phases) {
        buf_puts(b, "- **Phases:** ");
        for (uint32_t k = 0; k < req->n_phases; k++) {
            if (k)
                buf_puts(b, ", ");
            md_phase_title(b, req->phases[k].name);
        }
        buf_putc(b, '\n');
    }
    buf_puts(b, "- **Applies when:** ");
    md_reason(b, ev, req->applies_when, false);
    buf_putc(b, '\n');
    if (r->status == ST_UNDETERMINED && r->missing.len) {
        buf_puts(b, "- **Missing:**\n");
        for (uint32_t k = 0; k < r->missing.len; k++) {
            const FactDecl *f = report_missing_fact(ev, r->missing, k);
            buf_puts(b, "  - ");
            md_code(b, f->name, false);
            if (f->ask) {
                buf_puts(b, " — ");
                md_text(b, f->ask);
            }
            buf_putc(b, '\n');
        }
    }
    if (r->in_force_missing.len) {
        buf_puts(b, "- **In force depends on:** ");
        md_missing_list(b, ev, r->in_force_missing, false);
        buf_putc(b, '\n');
    }
    if (req->n_requires) {
        buf_puts(b, "- **Procedures:** ");
        for (uint32_t k = 0; k < req->n_requires; k++) {
            if (k)
                buf_puts(b, "; ");
            if (req->required_procedures && req->required_procedures[k] >= 0)
                md_procedure_route(b, ev, req->required_procedures[k], false);
            else
                md_code(b, req->requires[k].name, false);
        }
        buf_putc(b, '\n');
    }
    if (req->n_measures) {
        buf_puts(b, "- **Measures:**\n");
        for (uint32_t k = 0; k < req->n_measures; k++) {
            buf_puts(b, "  - ");
            md_code(b, req->measures[k].id, false);
            if (req->measures[k].title) {
                buf_puts(b, " ");
                md_text(b, req->measures[k].title);
            }
            buf_putc(b, '\n');
        }
    }
    if (req->n_sources) {
        buf_puts(b, "- **Sources:** ");
        for (uint32_t k = 0; k < req->n_sources; k++) {
            if (k)
                buf_puts(b, "; ");
            md_text(b, req->sources[k]);
        }
        buf_putc(b, '\n');
    }
}

void report_md(Buf *b, const Evaluation *ev, const char *source)
{
    const Program *p = ev->program;
    md_header(b, ev, source);
    md_missing_facts(b, ev);

    buf_puts(b, "\n## Obligations by lifecycle phase\n");
    const LifecycleDecl *lc = p->lifecycle;
    if (lc) {
        for (uint32_t g = 0; g < lc->n_always; g++) {
            buf_puts(b, "\n### ");
            md_phase_title(b, lc->always[g].name);
            buf_puts(b, " (throughout)\n\n");
            md_phase_table(b, ev, lc->always[g].name, false);
        }
        for (uint32_t g = 0; g < lc->n_phases; g++) {
            const char *phase = lc->phases[g].name;
            bool current = ev->phase.kind == V_STRING && strcmp(ev->phase.as.str, phase) == 0;
            const char *where = ev->phase_position < 0 ? ""
                                : (int32_t)g < ev->phase_position ? " (earlier phase)"
                                : current ? " — current phase" : " (later phase)";
            buf_printf(b, "\n### %u. ", g + 1);
            md_phase_title(b, phase);
            buf_printf(b, "%s\n\n", where);
            md_phase_table(b, ev, phase, false);
        }
    }
    bool any_without_phase = false;
    for (uint32_t i = 0; i < p->n_requirements; i++)
        any_without_phase |= ev->requirements[i].status != ST_NOT_APPLICABLE && !(p->requirements[i]->n_phases && lc);
    if (any_without_phase) {
        buf_puts(b, lc ? "\n### Without a phase\n\n" : "\n");
        md_phase_table(b, ev, NULL, true);
    }

    md_procedures(b, ev);

    bool any = false;
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        if (ev->requirements[i].status == ST_NOT_APPLICABLE)
            continue;
        if (!any)
            buf_puts(b, "\n## Requirements\n");
        any = true;
        md_requirement_details(b, ev, i);
    }

    any = false;
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *req = p->requirements[i];
        if (ev->requirements[i].status != ST_NOT_APPLICABLE)
            continue;
        if (!any)
            buf_puts(b, "\n## Not applicable\n\n| Requirement | Applies when |\n|---|---|\n");
        any = true;
        buf_puts(b, "| ");
        md_text(b, req_title(req));
        buf_puts(b, " · ");
        md_code(b, req->id, true);
        buf_puts(b, " | ");
        md_reason(b, ev, req->applies_when, true);
        buf_puts(b, " |\n");
    }
}
