/* export_ir.c — writes the checked rule program as JSON (facts, definitions, requirements,
 * procedures, conclusions, warnings, lifecycle, with every expression as a tree whose names are
 * already resolved to slots and whose types are known), so that bench/translate.js can generate
 * the same decision logic for the peer engines from kader's own resolver instead of re-parsing
 * .kdr files.
 *
 * usage: export_ir [-r PATH]... > program.json   (without -r: the stdlib and the default rules) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "program.h"

static void put_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    putc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            putc(*c, out);
    }
    putc('"', out);
}

static const char *op_name(ExprOp op)
{
    switch (op) {
    case E_LITERAL: return "lit";
    case E_NAME: return "name";
    case E_FACT: return "fact";
    case E_LET: return "let";
    case E_TODAY: return "today";
    case E_AND: return "and";
    case E_OR: return "or";
    case E_NOT: return "not";
    case E_EQ: return "eq";
    case E_NE: return "ne";
    case E_LT: return "lt";
    case E_LE: return "le";
    case E_GT: return "gt";
    case E_GE: return "ge";
    case E_IN: return "in";
    case E_NOT_IN: return "notin";
    case E_IN_RANGE: return "range";
    case E_INTERSECTS: return "intersects";
    case E_IS_KNOWN: return "known";
    case E_IS_UNKNOWN: return "unknown";
    case E_SET: return "set";
    case E_FIRST: return "first";
    case E_CALL: return "call";
    }
    return "?";
}

static const char *fn_name(BuiltinFn fn)
{
    switch (fn) {
    case FN_COUNT: return "count";
    case FN_UNION: return "union";
    case FN_MIN: return "min";
    case FN_MAX: return "max";
    case FN_NONE: break;
    }
    return "?";
}

static const char *kind_name(KdrType t)
{
    switch (t) {
    case T_ANY: return "any";
    case T_BOOL: return "bool";
    case T_NUMBER: return "number";
    case T_STRING: return "string";
    case T_DATE: return "date";
    case T_SET: return "set";
    }
    return "?";
}

/* Values: unknown is null, dates are days since 1970-01-01, sets are sorted arrays. */
static void put_value(FILE *out, Value v)
{
    switch ((ValueKind)v.kind) {
    case V_UNKNOWN:
        fputs("null", out);
        return;
    case V_BOOL:
        fputs(v.as.b ? "true" : "false", out);
        return;
    case V_NUMBER:
        fprintf(out, "%.17g", v.as.num);
        return;
    case V_DATE:
        fprintf(out, "%d", (int)v.as.date);
        return;
    case V_STRING:
        put_string(out, v.as.str);
        return;
    case V_SET:
        putc('[', out);
        for (uint32_t i = 0; i < v.as.set->len; i++) {
            if (i)
                putc(',', out);
            put_string(out, v.as.set->items[i]);
        }
        putc(']', out);
        return;
    }
    fputs("null", out);
}

static void put_expr(FILE *out, const Expr *e)
{
    if (!e) {
        fputs("null", out);
        return;
    }
    fprintf(out, "{\"op\":\"%s\",\"type\":\"%s\"", op_name((ExprOp)e->op), kind_name((KdrType)e->type));
    switch ((ExprOp)e->op) {
    case E_LITERAL:
        fputs(",\"value\":", out);
        put_value(out, e->lit);
        break;
    case E_FACT:
    case E_LET:
        fprintf(out, ",\"slot\":%d", (int)e->slot);
        break;
    case E_FIRST:
        fprintf(out, ",\"otherwise\":%s", e->has_otherwise ? "true" : "false");
        break;
    case E_CALL:
        fprintf(out, ",\"fn\":\"%s\"", fn_name((BuiltinFn)e->fn));
        break;
    default:
        break;
    }
    if (e->nkids) {
        fputs(",\"kids\":[", out);
        for (uint32_t i = 0; i < e->nkids; i++) {
            if (i)
                putc(',', out);
            put_expr(out, e->kids[i]);
        }
        putc(']', out);
    }
    putc('}', out);
}

static void put_strings(FILE *out, const char *const *items, uint32_t n)
{
    putc('[', out);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            putc(',', out);
        put_string(out, items[i]);
    }
    putc(']', out);
}

static void put_names(FILE *out, const NameRef *names, uint32_t n)
{
    putc('[', out);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            putc(',', out);
        put_string(out, names[i].name);
    }
    putc(']', out);
}

static void export_program(FILE *out, const Program *p)
{
    fputs("{\"facts\":[", out);
    for (uint32_t i = 0; i < p->n_facts; i++) {
        const FactDecl *f = p->facts[i];
        fputs(i ? ",\n" : "\n", out);
        fputs("{\"name\":", out);
        put_string(out, f->name);
        fputs(",\"path\":", out);
        put_strings(out, f->path, f->path_len);
        fprintf(out, ",\"type\":\"%s\",\"allowed\":", kind_name(f->type));
        put_strings(out, f->allowed, f->n_allowed);
        if (f->has_range)
            fprintf(out, ",\"range\":[%.17g,%.17g]", f->lo, f->hi);
        fputs(",\"default\":", out);
        put_value(out, f->has_default ? f->default_value : val_unknown());
        putc('}', out);
    }
    fputs("],\n\"lets\":[", out);
    for (uint32_t i = 0; i < p->n_lets; i++) {
        const LetDecl *l = p->lets[i];
        fputs(i ? ",\n" : "\n", out);
        fputs("{\"name\":", out);
        put_string(out, l->name);
        fprintf(out, ",\"label\":%s,\"type\":\"%s\",\"body\":", l->is_label ? "true" : "false",
                kind_name((KdrType)l->body->type));
        put_expr(out, l->body);
        putc('}', out);
    }
    fputs("],\n\"labels\":[", out);
    for (uint32_t i = 0; i < p->n_labels; i++)
        fprintf(out, "%s%d", i ? "," : "", (int)p->label_lets[i]);
    fputs("],\n\"requirements\":[", out);
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *r = p->requirements[i];
        fputs(i ? ",\n" : "\n", out);
        fputs("{\"id\":", out);
        put_string(out, r->id);
        fputs(",\"phases\":", out);
        put_names(out, r->phases, r->n_phases);
        fputs(",\"phase_positions\":[", out);
        for (uint32_t k = 0; k < r->n_phases; k++)
            fprintf(out, "%s%d", k ? "," : "", r->phase_index ? (int)r->phase_index[k] : -1);
        fputs("],\"applies\":", out);
        put_expr(out, r->applies_when);
        fputs(",\"from\":", out);
        put_expr(out, r->in_force_from);
        fputs(",\"until\":", out);
        put_expr(out, r->in_force_until);
        putc('}', out);
    }
    fputs("],\n\"procedures\":[", out);
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureDecl *pr = p->procedures[i];
        fputs(i ? ",\n" : "\n", out);
        fputs("{\"id\":", out);
        put_string(out, pr->id);
        fputs(",\"required\":", out);
        put_expr(out, pr->required_when);
        fputs(",\"routes\":[", out);
        for (uint32_t k = 0; k < pr->n_routes; k++) {
            fputs(k ? ",{\"id\":" : "{\"id\":", out);
            put_string(out, pr->routes[k].id);
            fputs(",\"when\":", out);
            put_expr(out, pr->routes[k].when);
            putc('}', out);
        }
        fputs("],\"again\":", out);
        put_expr(out, pr->again_when);
        putc('}', out);
    }
    fputs("],\n\"conclusions\":[", out);
    for (uint32_t i = 0; i < p->n_conclusions; i++) {
        fputs(i ? ",\n{\"id\":" : "\n{\"id\":", out);
        put_string(out, p->conclusions[i]->id);
        fputs(",\"when\":", out);
        put_expr(out, p->conclusions[i]->when);
        putc('}', out);
    }
    fputs("],\n\"warnings\":[", out);
    for (uint32_t i = 0; i < p->n_warnings; i++) {
        fputs(i ? ",\n{\"id\":" : "\n{\"id\":", out);
        put_string(out, p->warnings[i]->id);
        fputs(",\"when\":", out);
        put_expr(out, p->warnings[i]->when);
        putc('}', out);
    }
    fputs("],\n\"lifecycle\":", out);
    const LifecycleDecl *lc = p->lifecycle;
    if (lc) {
        fputs("{\"phases\":", out);
        put_names(out, lc->phases, lc->n_phases);
        fputs(",\"always\":", out);
        put_names(out, lc->always, lc->n_always);
        fputs(",\"current\":", out);
        put_expr(out, lc->current);
        putc('}', out);
    } else {
        fputs("null", out);
    }
    fputs("}\n", out);
}

int main(int argc, char **argv)
{
    RuleOptions ro = {0};
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--rules") == 0) && i + 1 < argc) {
            rule_options_parse(&ro, 'r', argv[++i]);
        } else {
            fprintf(stderr, "usage: export_ir [-r PATH]... > program.json\n");
            rule_options_free(&ro);
            return 2;
        }
    }
    Diag diag;
    diag_init(&diag, NULL, stderr);
    Program *program = rule_options_load(&ro, &diag, NULL, 0);
    rule_options_free(&ro);
    if (!program)
        return 2;
    export_program(stdout, program);
    program_free(program);
    if (fflush(stdout) != 0) {
        perror("export_ir: stdout");
        return 2;
    }
    return 0;
}
