/* cli_ask.c — `kader ask`: a guided interview for any rule set. It asks, one at a time, for the
 * facts that can still change an undetermined result, in the order the rules consult them,
 * re-evaluating after every answer, then prints the report and can save the answers as a facts
 * file. The conversation goes to stderr and the report to stdout, so both stay usable when
 * either is redirected; answers piped on stdin (one a line) make it run unattended. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "eval.h"
#include "facts.h"
#include "report.h"

static const char ask_help[] =
    "usage: kader ask [OPTIONS] [FACTS]\n"
    "\n"
    "A guided interview. kader evaluates the rules for the system in FACTS (or for an empty one),\n"
    "asks for a fact that is still missing to decide a result, evaluates again, and so on, until\n"
    "nothing that could change the report is left to ask; then it prints the report. It asks only\n"
    "for facts that can still change an undetermined result: first what the conclusion needs, then\n"
    "the requirements in order, then the procedures (whether required, the route, again), then\n"
    "whether obligations are in force and the lifecycle phase.\n"
    "\n"
    "Answering: a number from the list, or the answer's text; ja/nee (also 1/2, yes/no, true/false)\n"
    "for yes-no questions; several numbers or texts separated by commas where more than one answer\n"
    "may apply ({} for none); numbers with a decimal point; dates as YYYY-MM-DD.\n"
    "  ?           explain the question (its help text and sources)\n"
    "  skip, or an empty line\n"
    "              leave the fact unknown; it is not asked again\n"
    "  q, or end of input\n"
    "              stop the interview and print the report\n"
    "The questions go to stderr and the report to stdout. Answers piped on stdin, one a line, make\n"
    "it run unattended: printf 'ja\\nnee\\n' | kader ask facts.yaml\n"
    "\n"
    "options:\n"
    "  -o, --output FILE       write the facts (those of FACTS and the answers) to FILE as YAML that\n"
    "                          'kader eval' reads; written whole or not at all\n"
    "  -r, --rules PATH        load rule files from PATH (a .kdr file or a directory); repeatable.\n"
    "                          Without --rules the default rule set is used.\n"
    "      --no-stdlib         do not load the standard library\n"
    "  -d, --date YYYY-MM-DD   the evaluation date (default: the facts' 'datum', else today)\n"
    "  -f, --format FORMAT     the report: text (default) or json\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 the report was printed, 2 usage, rule or facts error, or FILE not written.\n";

enum {
    MAX_PROMPTS = 1000,  /* prompts in one session, re-asks included: no input can make it loop */
    MAX_ANSWER = 65536,  /* bytes in one answer, as for strings in facts files */
};

typedef enum FactState { FS_OPEN, FS_ANSWERED, FS_SKIPPED } FactState;

typedef struct Interview {
    const Program *p;
    Facts *facts;
    Evaluation *ev;
    int32_t today;
    uint8_t *state;     /* FactState per fact */
    int32_t *order;     /* the facts still missing, in the order to ask them */
    uint32_t n_order;
    uint32_t *mark, *let_mark, round; /* facts listed and definitions visited in this round */
    Missing phase_missing;
    FILE *in, *talk;
    bool echo;          /* the answers are not typed on a terminal: repeat them so the transcript reads */
    bool color;
    uint32_t prompts, asked, answered, skipped;
} Interview;

/* ---- what to ask next ---- */

static void add_missing(Interview *iv, Missing m)
{
    for (uint32_t i = 0; i < m.len; i++) {
        int32_t f = iv->ev->missing_pool[m.start + i];
        if (iv->mark[f] == iv->round)
            continue;
        iv->mark[f] = iv->round;
        iv->order[iv->n_order++] = f;
    }
}

/* The facts that could make an unknown expression known, for a result whose missing list is
 * empty. The evaluator lists nothing behind a table branch that is an unknown written on purpose
 * (`when x is unknown: unknown`, `when x is known: ... otherwise: unknown`), yet giving x would
 * take another branch. So where the branch taken is a literal, the conditions that led to it are
 * looked through, down to the `is known`/`is unknown` tests of unknown values in them. */
static void deep_missing(Interview *iv, const Expr *e);

static void deep_branch_conditions(Interview *iv, const Expr *table, uint32_t upto)
{
    for (uint32_t j = 0; j < upto; j++)
        deep_missing(iv, table->kids[2 * j]);
}

static void deep_missing(Interview *iv, const Expr *e)
{
    Evaluation *ev = iv->ev;
    Value v = eval_expr(ev, e);
    if (val_is_known(v)) {
        /* a known test can still turn when a value inside an `is known` becomes known */
        if (e->op == E_IS_KNOWN || e->op == E_IS_UNKNOWN || e->op == E_NOT || e->op == E_AND || e->op == E_OR)
            for (uint32_t i = 0; i < e->nkids; i++)
                deep_missing(iv, e->kids[i]);
        return;
    }
    switch ((ExprOp)e->op) {
    case E_FACT:
        if (iv->mark[e->slot] != iv->round) {
            iv->mark[e->slot] = iv->round;
            iv->order[iv->n_order++] = e->slot;
        }
        return;
    case E_LET:
        if (iv->let_mark[e->slot] == iv->round)
            return;
        iv->let_mark[e->slot] = iv->round;
        deep_missing(iv, iv->p->lets[e->slot]->body);
        return;
    case E_FIRST: {
        uint32_t pairs = e->has_otherwise ? (e->nkids - 1) / 2 : e->nkids / 2;
        for (uint32_t i = 0; i < pairs; i++) {
            Value c = eval_expr(ev, e->kids[2 * i]);
            if (val_is_false(c))
                continue;
            if (!val_is_known(c)) {
                deep_missing(iv, e->kids[2 * i]);
            } else if (e->kids[2 * i + 1]->op == E_LITERAL) {
                deep_branch_conditions(iv, e, i + 1);
            } else {
                deep_missing(iv, e->kids[2 * i + 1]);
            }
            return;
        }
        if (e->has_otherwise && e->kids[e->nkids - 1]->op == E_LITERAL)
            deep_branch_conditions(iv, e, pairs);
        else if (e->has_otherwise)
            deep_missing(iv, e->kids[e->nkids - 1]);
        return;
    }
    default:
        for (uint32_t i = 0; i < e->nkids; i++)
            if (!val_is_known(eval_expr(ev, e->kids[i])))
                deep_missing(iv, e->kids[i]);
        return;
    }
}

/* Evaluates and lists the facts that could still change an undetermined result. The conclusion
 * comes first: in a decision tree it is the question to ask next, and its answers feed the
 * labels most requirements depend on. Then the requirements in the order of the rules, the
 * procedures, and last whether things are in force and the phase, which only refine the report.
 * Within one result the facts keep the order in which the rules consult them, so an answer that
 * makes the next fact irrelevant (false in `a and b`) removes it before it is asked. */
static void gather(Interview *iv)
{
    const Program *p = iv->p;
    Evaluation *ev = iv->ev;
    evaluate(ev, iv->facts, iv->today);
    iv->round++;
    if (iv->round == 0) {
        memset(iv->mark, 0, (p->n_facts + 1) * sizeof(uint32_t));
        memset(iv->let_mark, 0, (p->n_lets + 1) * sizeof(uint32_t));
        iv->round = 1;
    }
    iv->n_order = 0;
    if (ev->conclusion_undetermined) {
        add_missing(iv, ev->conclusion_missing);
        for (uint32_t i = 0; i < p->n_conclusions && !ev->conclusion_missing.len; i++) {
            const Expr *when = p->conclusions[i]->when;
            if (when && !val_is_known(eval_expr(ev, when))) {
                deep_missing(iv, when);
                break;
            }
        }
    }
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementResult *r = &ev->requirements[i];
        if (r->status != ST_UNDETERMINED)
            continue;
        add_missing(iv, r->missing);
        if (!r->missing.len)
            deep_missing(iv, p->requirements[i]->applies_when);
    }
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureDecl *proc = p->procedures[i];
        const ProcedureResult *r = &ev->procedures[i];
        if (r->status == ST_NOT_APPLICABLE)
            continue;
        add_missing(iv, r->missing);
        if (r->missing.len)
            continue;
        if (r->status == ST_UNDETERMINED)
            deep_missing(iv, proc->required_when);
        for (uint32_t k = 0; r->route_undetermined && k < proc->n_routes; k++)
            if (proc->routes[k].when && !val_is_known(eval_expr(ev, proc->routes[k].when))) {
                deep_missing(iv, proc->routes[k].when);
                break;
            }
        if (proc->again_when && !val_is_known(r->again))
            deep_missing(iv, proc->again_when);
    }
    bool phase_matters = false;
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementResult *r = &ev->requirements[i];
        if (r->status == ST_NOT_APPLICABLE)
            continue;
        if (!val_is_known(r->in_force)) {
            add_missing(iv, r->in_force_missing);
            const RequirementDecl *req = p->requirements[i];
            if (!r->in_force_missing.len && req->in_force_from)
                deep_missing(iv, req->in_force_from);
            if (!r->in_force_missing.len && req->in_force_until)
                deep_missing(iv, req->in_force_until);
        }
        phase_matters |= p->requirements[i]->n_phases > 0;
    }
    iv->phase_missing = (Missing){0, 0};
    if (phase_matters && p->lifecycle && p->lifecycle->current && !val_is_known(ev->phase)) {
        const Expr *current = p->lifecycle->current;
        iv->phase_missing = eval_missing(ev, &current, 1);
        add_missing(iv, iv->phase_missing);
        if (!iv->phase_missing.len)
            deep_missing(iv, current);
    }
}

static int32_t next_question(Interview *iv)
{
    gather(iv);
    for (uint32_t i = 0; i < iv->n_order; i++) {
        int32_t f = iv->order[i];
        if (iv->state[f] == FS_OPEN && !val_is_known(iv->facts->values[f]))
            return f;
    }
    return -1;
}

static bool missing_has(const Evaluation *ev, Missing m, int32_t fact)
{
    for (uint32_t i = 0; i < m.len; i++)
        if (ev->missing_pool[m.start + i] == fact)
            return true;
    return false;
}

/* Which results the fact can still decide, for '?'. */
static void print_needed_for(Interview *iv, int32_t fact)
{
    const Program *p = iv->p;
    const Evaluation *ev = iv->ev;
    Buf b = {0};
    uint32_t reqs = 0, procs = 0;
    const char *first_req = NULL, *first_proc = NULL;
    if (ev->conclusion_undetermined && missing_has(ev, ev->conclusion_missing, fact))
        buf_puts(&b, "the conclusion");
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementResult *r = &ev->requirements[i];
        if ((r->status == ST_UNDETERMINED && missing_has(ev, r->missing, fact)) ||
            (r->status != ST_NOT_APPLICABLE && missing_has(ev, r->in_force_missing, fact))) {
            if (!reqs++)
                first_req = p->requirements[i]->id;
        }
    }
    for (uint32_t i = 0; i < p->n_procedures; i++)
        if (ev->procedures[i].status != ST_NOT_APPLICABLE && missing_has(ev, ev->procedures[i].missing, fact))
            if (!procs++)
                first_proc = p->procedures[i]->id;
    if (reqs == 1)
        buf_printf(&b, "%srequirement %s", b.len ? ", " : "", first_req);
    else if (reqs > 1)
        buf_printf(&b, "%s%u requirements (%s, ...)", b.len ? ", " : "", reqs, first_req);
    if (procs == 1)
        buf_printf(&b, "%sprocedure %s", b.len ? ", " : "", first_proc);
    else if (procs > 1)
        buf_printf(&b, "%s%u procedures (%s, ...)", b.len ? ", " : "", procs, first_proc);
    if (missing_has(ev, iv->phase_missing, fact))
        buf_printf(&b, "%sthe lifecycle phase", b.len ? ", " : "");
    if (b.len)
        fprintf(iv->talk, "  needed to decide: %s\n", buf_str(&b));
    buf_free(&b);
}

/* ---- questions and answers ---- */

static const char *answer_hint(const FactDecl *fd, Buf *b)
{
    switch (fd->type) {
    case T_BOOL:
        return "ja or nee";
    case T_NUMBER:
        if (!fd->has_range)
            return "a number";
        buf_puts(b, "a number from ");
        number_format(b, fd->lo);
        buf_puts(b, " to ");
        number_format(b, fd->hi);
        return buf_str(b);
    case T_DATE:
        return "a date, YYYY-MM-DD";
    case T_STRING:
        return fd->n_allowed ? "a number or the answer's text" : "text";
    case T_SET:
        return fd->n_allowed ? "one or more numbers or texts, separated by commas; {} for none"
                             : "one or more values, separated by commas; {} for none";
    default:
        return "a value";
    }
}

static void print_question(Interview *iv, const FactDecl *fd)
{
    const char *bold = iv->color ? "\033[1m" : "", *dim = iv->color ? "\033[2m" : "", *reset = iv->color ? "\033[0m" : "";
    Buf hint = {0};
    fprintf(iv->talk, "\n%s[%u] %s%s\n", bold, iv->asked, fd->ask ? fd->ask : fd->name, reset);
    fprintf(iv->talk, "    %s%s · %s%s\n", dim, fd->name, answer_hint(fd, &hint), reset);
    buf_free(&hint);
    if (fd->type == T_BOOL)
        fputs("  1) ja\n  2) nee\n", iv->talk);
    for (uint32_t i = 0; i < fd->n_allowed; i++)
        fprintf(iv->talk, "  %u) %s\n", i + 1, fd->allowed[i]);
}

static void print_help(Interview *iv, const FactDecl *fd, int32_t fact)
{
    if (fd->help)
        fprintf(iv->talk, "  %s\n", fd->help);
    else
        fputs("  (no explanation for this question in the rules)\n", iv->talk);
    for (uint32_t i = 0; i < fd->n_sources; i++)
        fprintf(iv->talk, "  source: %s\n", fd->sources[i]);
    print_needed_for(iv, fact);
}

static void trim(char **s)
{
    char *a = *s, *z = a + strlen(a);
    while (*a == ' ' || *a == '\t')
        a++;
    while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r' || z[-1] == '\n'))
        z--;
    *z = '\0';
    *s = a;
}

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || (n == 1 && *p < 0xC2))
            return false;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return false;
    }
    return true;
}

/* [+-]digits[.digits][e[+-]digits], as facts files write numbers. */
static bool number_text(const char *s, double *out)
{
    const char *c = s;
    if (*c == '+' || *c == '-')
        c++;
    if (*c < '0' || *c > '9')
        return false;
    while (*c >= '0' && *c <= '9')
        c++;
    if (*c == '.') {
        c++;
        if (*c < '0' || *c > '9')
            return false;
        while (*c >= '0' && *c <= '9')
            c++;
    }
    if (*c == 'e' || *c == 'E') {
        c++;
        if (*c == '+' || *c == '-')
            c++;
        if (*c < '0' || *c > '9')
            return false;
        while (*c >= '0' && *c <= '9')
            c++;
    }
    if (*c)
        return false;
    *out = strtod(s, NULL);
    return isfinite(*out);
}

/* One of the allowed answers, by its number in the list or its text (in any case). */
static const char *allowed_answer(const FactDecl *fd, const char *s, Buf *why)
{
    char *end;
    errno = 0;
    long k = strtol(s, &end, 10);
    if (*s >= '0' && *s <= '9' && *end == '\0') {
        if (errno == 0 && k >= 1 && (unsigned long)k <= fd->n_allowed)
            return fd->allowed[k - 1];
        buf_printf(why, "there is no answer %s: choose a number from 1 to %u", s, fd->n_allowed);
        return NULL;
    }
    for (uint32_t i = 0; i < fd->n_allowed; i++)
        if (strcmp(fd->allowed[i], s) == 0)
            return fd->allowed[i];
    for (uint32_t i = 0; i < fd->n_allowed; i++)
        if (strcasecmp(fd->allowed[i], s) == 0)
            return fd->allowed[i];
    buf_printf(why, "'%s' is not one of the answers: type its number (1 to %u) or its text", s, fd->n_allowed);
    size_t len = strlen(s);
    int limit = len <= 3 ? 1 : len <= 6 ? 2 : 3, best_d = limit + 1;
    const char *best = NULL;
    for (uint32_t i = 0; i < fd->n_allowed; i++) {
        int d = edit_distance(s, fd->allowed[i], limit);
        if (d < best_d) {
            best_d = d;
            best = fd->allowed[i];
        }
    }
    if (best)
        buf_printf(why, "; did you mean '%s'?", best);
    return NULL;
}

static bool parse_set(const FactDecl *fd, char *s, Arena *arena, Value *out, Buf *why)
{
    if (strcmp(s, "{}") == 0) {
        *out = val_set(set_build(arena, NULL, 0));
        return true;
    }
    size_t cap = 1;
    for (const char *c = s; *c; c++)
        cap += *c == ',';
    const char **items = kdr_malloc(cap * sizeof *items);
    size_t n = 0;
    bool ok = true;
    for (char *item = s; ok;) {
        char *comma = strchr(item, ',');
        if (comma)
            *comma = '\0';
        char *t = item;
        trim(&t);
        if (!*t) {
            buf_puts(why, "an empty item in the list: separate the answers by single commas");
            ok = false;
        } else if (fd->n_allowed) {
            const char *a = allowed_answer(fd, t, why);
            if (a)
                items[n++] = a;
            else
                ok = false;
        } else {
            items[n++] = t;
        }
        if (!comma)
            break;
        item = comma + 1;
    }
    if (ok)
        *out = val_set(set_build(arena, items, n));
    kdr_free(items);
    return ok;
}

/* Reads an answer by the fact's type. On failure, why says what would be right. */
static bool parse_answer(const FactDecl *fd, char *s, Arena *arena, Value *out, Buf *why)
{
    if (strlen(s) > MAX_ANSWER) {
        buf_puts(why, "the answer is longer than 64 KiB");
        return false;
    }
    if (!valid_utf8(s)) {
        buf_puts(why, "the answer is not valid UTF-8 text");
        return false;
    }
    switch (fd->type) {
    case T_BOOL: {
        static const char *const yes[] = {"1", "ja", "j", "yes", "y", "true"};
        static const char *const no[] = {"2", "nee", "n", "no", "false"};
        for (size_t i = 0; i < KDR_ARRAY_LEN(yes); i++)
            if (strcasecmp(s, yes[i]) == 0) {
                *out = val_bool(true);
                return true;
            }
        for (size_t i = 0; i < KDR_ARRAY_LEN(no); i++)
            if (strcasecmp(s, no[i]) == 0) {
                *out = val_bool(false);
                return true;
            }
        buf_printf(why, "'%s' is not an answer to a yes-no question: type ja or nee (or 1 or 2)", s);
        return false;
    }
    case T_NUMBER: {
        double d;
        if (!number_text(s, &d)) {
            buf_printf(why, "'%s' is not a number", s);
            if (strchr(s, ',') && !strchr(s, '.'))
                buf_puts(why, ": write decimals with a point");
            return false;
        }
        if (fd->has_range && (d < fd->lo || d > fd->hi)) {
            buf_printf(why, "%s is outside the range: give a number from ", s);
            number_format(why, fd->lo);
            buf_puts(why, " to ");
            number_format(why, fd->hi);
            return false;
        }
        *out = val_number(d);
        return true;
    }
    case T_DATE: {
        int32_t days;
        DateParse r = date_parse(s, strlen(s), &days);
        if (r == DATE_IMPOSSIBLE) {
            buf_printf(why, "there is no date %s", s);
            return false;
        }
        if (r != DATE_OK) {
            buf_printf(why, "'%s' is not a date: write it as YYYY-MM-DD, as in 2026-08-02", s);
            return false;
        }
        *out = val_date(days);
        return true;
    }
    case T_STRING:
        if (fd->n_allowed) {
            const char *a = allowed_answer(fd, s, why);
            if (!a)
                return false;
            *out = val_string(arena_strdup(arena, a)); /* the facts own their strings */
        } else {
            *out = val_string(arena_strdup(arena, s));
        }
        return true;
    case T_SET:
        return parse_set(fd, s, arena, out, why);
    default:
        buf_puts(why, "this fact's type cannot be asked");
        return false;
    }
}

typedef enum Outcome { OUT_ANSWERED, OUT_SKIPPED, OUT_QUIT, OUT_LIMIT } Outcome;

/* Asks one fact until it is answered, skipped, or the interview ends. */
static Outcome ask_fact(Interview *iv, int32_t fact)
{
    const FactDecl *fd = iv->p->facts[fact];
    char *line = NULL;
    size_t cap = 0;
    Outcome outcome;
    print_question(iv, fd);
    for (;;) {
        if (iv->prompts >= MAX_PROMPTS) {
            outcome = OUT_LIMIT;
            break;
        }
        iv->prompts++;
        fputs("> ", iv->talk);
        fflush(iv->talk);
        ssize_t n = getline(&line, &cap, iv->in);
        if (n < 0) {
            fputc('\n', iv->talk);
            outcome = OUT_QUIT;
            break;
        }
        char *answer = line;
        trim(&answer);
        if (iv->echo)
            fprintf(iv->talk, "%s\n", answer);
        if (strcmp(answer, "?") == 0) {
            print_help(iv, fd, fact);
            continue;
        }
        if (strcmp(answer, "q") == 0) {
            outcome = OUT_QUIT;
            break;
        }
        if (!*answer || strcmp(answer, "skip") == 0) {
            outcome = OUT_SKIPPED;
            break;
        }
        Value v;
        Buf why = {0};
        if (parse_answer(fd, answer, &iv->facts->arena, &v, &why)) {
            buf_free(&why);
            iv->facts->values[fact] = v;
            /* given in this session, like --set; the origin marks the value as the user's own */
            iv->facts->origins[fact].kind = ORIGIN_SET;
            iv->facts->origins[fact].loc = (KdrLoc){0, 0, 0};
            outcome = OUT_ANSWERED;
            break;
        }
        fprintf(iv->talk, "  %s\n", buf_str(&why));
        buf_free(&why);
    }
    free(line);
    return outcome;
}

/* ---- the answers as a facts file ---- */

static bool yaml_plain_key(const char *s)
{
    static const char *const reserved[] = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"};
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
            return false;
    for (size_t i = 0; i < KDR_ARRAY_LEN(reserved); i++)
        if (strcasecmp(s, reserved[i]) == 0)
            return false;
    return true;
}

static void yaml_quoted(Buf *b, const char *s)
{
    buf_putc(b, '"');
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            buf_printf(b, "\\%c", *c);
        else if (*c == '\n')
            buf_puts(b, "\\n");
        else if (*c == '\t')
            buf_puts(b, "\\t");
        else if (*c < 0x20 || *c == 0x7f)
            buf_printf(b, "\\x%02x", *c);
        else
            buf_putc(b, (char)*c);
    }
    buf_putc(b, '"');
}

static void yaml_key(Buf *b, const char *key)
{
    if (yaml_plain_key(key))
        buf_puts(b, key);
    else
        yaml_quoted(b, key);
}

static void yaml_value(Buf *b, Value v)
{
    char date[11];
    switch ((ValueKind)v.kind) {
    case V_UNKNOWN: buf_puts(b, "null"); return;
    case V_BOOL: buf_puts(b, v.as.b ? "true" : "false"); return;
    case V_NUMBER: number_format(b, v.as.num); return;
    case V_STRING: yaml_quoted(b, v.as.str); return;
    case V_DATE: date_format(v.as.date, date); buf_puts(b, date); return;
    case V_SET:
        buf_putc(b, '[');
        for (uint32_t i = 0; i < v.as.set->len; i++) {
            if (i)
                buf_puts(b, ", ");
            yaml_quoted(b, v.as.set->items[i]);
        }
        buf_putc(b, ']');
        return;
    }
}

/* Writes facts that share their first `depth` path segments as nested maps, keys in the order
 * in which the facts were declared. */
static void yaml_group(Buf *b, const Facts *f, const int32_t *facts, uint32_t n, uint32_t depth)
{
    const Program *p = f->program;
    bool *done = kdr_calloc(n + 1, sizeof(bool));
    int32_t *group = kdr_malloc((n + 1) * sizeof(int32_t));
    for (uint32_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        const FactDecl *fd = p->facts[facts[i]];
        const char *segment = fd->path[depth];
        uint32_t k = 0;
        for (uint32_t j = i; j < n; j++)
            if (!done[j] && strcmp(p->facts[facts[j]]->path[depth], segment) == 0) {
                done[j] = true;
                group[k++] = facts[j];
            }
        for (uint32_t d = 0; d < depth; d++)
            buf_puts(b, "  ");
        yaml_key(b, segment);
        if (k == 1 && fd->path_len == depth + 1) {
            buf_puts(b, ": ");
            yaml_value(b, f->values[facts[i]]);
            buf_putc(b, '\n');
        } else {
            buf_puts(b, ":\n");
            yaml_group(b, f, group, k, depth + 1);
        }
    }
    kdr_free(done);
    kdr_free(group);
}

static bool top_level_fact(const Program *p, const char *key)
{
    const PathNode *node = p->fact_root ? path_child(p->fact_root, key, strlen(key)) : NULL;
    return node != NULL;
}

/* The facts given in FACTS and the answers, as YAML that `kader eval` reads back to the same
 * values. Defaults are left out: eval applies them again. */
static void yaml_facts(Buf *b, const Facts *f, bool has_date, int32_t date)
{
    const Program *p = f->program;
    buf_puts(b, "# Facts written by `kader ask`: the facts it was given and the answers. `kader eval` reads it.\n");
    if (f->name && !top_level_fact(p, "naam")) {
        buf_puts(b, "naam: ");
        yaml_quoted(b, f->name);
        buf_putc(b, '\n');
    }
    if (has_date && !top_level_fact(p, "datum")) {
        char text[11];
        date_format(date, text);
        buf_printf(b, "datum: %s\n", text);
    }
    int32_t *facts = kdr_malloc((p->n_facts + 1) * sizeof(int32_t));
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->n_facts; i++) {
        uint8_t kind = f->origins[i].kind;
        if ((kind == ORIGIN_FILE || kind == ORIGIN_SET) && val_is_known(f->values[i]))
            facts[n++] = (int32_t)i;
    }
    yaml_group(b, f, facts, n, 0);
    kdr_free(facts);
}

static char *parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return kdr_strdup(".");
    if (slash == path)
        return kdr_strdup("/");
    return kdr_strndup(path, (size_t)(slash - path));
}

/* Checked before the interview, so that nobody answers thirty questions for a file that cannot
 * be written. */
static bool output_writable(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "kader: error: cannot write '%s': it is a directory\n", path);
        return false;
    }
    char *dir = parent_dir(path);
    bool ok = access(dir, W_OK) == 0;
    if (!ok)
        fprintf(stderr, "kader: error: cannot write '%s': %s\n", path,
                errno == ENOENT ? "the directory does not exist" : strerror(errno));
    kdr_free(dir);
    return ok;
}

/* Writes a temporary file beside the target and renames it over the target: readers see the
 * old file or the whole new one, never a part. */
static bool write_atomically(const char *path, const char *data, size_t len)
{
    Buf tmp = {0};
    buf_printf(&tmp, "%s.XXXXXX", path);
    char *tmp_path = buf_take(&tmp);
    int fd = mkstemp(tmp_path);
    bool ok = fd >= 0;
    if (ok) {
        struct stat st;
        mode_t mode;
        if (stat(path, &st) == 0) {
            mode = st.st_mode & 07777;
        } else {
            mode_t mask = umask(0);
            umask(mask);
            mode = 0666 & ~mask;
        }
        ok = fchmod(fd, mode) == 0;
        for (size_t done = 0; ok && done < len;) {
            ssize_t w = write(fd, data + done, len - done);
            if (w < 0 && errno == EINTR)
                continue;
            ok = w > 0;
            if (ok)
                done += (size_t)w;
        }
        ok = ok && fsync(fd) == 0;
        int saved = errno;
        if (close(fd) != 0 && ok)
            ok = false;
        else
            errno = saved;
        ok = ok && rename(tmp_path, path) == 0;
        saved = errno;
        if (!ok)
            unlink(tmp_path);
        errno = saved;
    }
    if (!ok)
        fprintf(stderr, "kader: error: cannot write '%s': %s\n", path, strerror(errno));
    kdr_free(tmp_path);
    return ok;
}

/* ---- the command ---- */

typedef enum ReportFormat { FORMAT_TEXT, FORMAT_JSON } ReportFormat;

int kdr_cmd_ask(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"output", required_argument, NULL, 'o'},
        {"rules", required_argument, NULL, 'r'},
        {"no-stdlib", no_argument, NULL, OPT_NO_STDLIB},
        {"date", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    RuleOptions ro = {0};
    ReportFormat format = FORMAT_TEXT;
    const char *output = NULL;
    bool has_date = false;
    int32_t date = 0;
    int status = 0;
    int opt;
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then resets all of getopt's state, so commands can run twice in one process */
    while ((opt = getopt_long(argc, argv, ":o:r:d:f:h", long_options, NULL)) != -1) {
        if (rule_options_parse(&ro, opt, optarg))
            continue;
        switch (opt) {
        case 'o':
            output = optarg;
            break;
        case 'd':
            if (!cli_parse_date("ask", optarg, &date)) {
                status = 2;
                goto done;
            }
            has_date = true;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                format = FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                format = FORMAT_JSON;
            else {
                cli_usage_error("ask", "unknown format '%s': expected text or json", optarg);
                status = 2;
                goto done;
            }
            break;
        case 'h':
            fputs(ask_help, stdout);
            goto done;
        default:
            cli_option_error("ask", opt, argv[optind - 1]);
            status = 2;
            goto done;
        }
    }
    int n_files = argc - optind;
    if (n_files > 1) {
        cli_usage_error("ask", "ask takes at most one facts file, not %d", n_files);
        status = 2;
        goto done;
    }
    const char *path = n_files ? argv[optind] : NULL;
    if (path && strcmp(path, "-") == 0) {
        cli_usage_error("ask", "the facts cannot come from stdin: the answers are read from there");
        status = 2;
        goto done;
    }
    if (output && !output_writable(output)) {
        status = 2;
        goto done;
    }

    Diag diag;
    diag_init(&diag, NULL, stderr);
    diag.color = cli_color_wanted(stderr);
    Program *program = rule_options_load(&ro, &diag, NULL, 0);
    if (!program) {
        status = 2;
        goto done;
    }
    Facts facts;
    facts_init(&facts, program);
    Evaluation ev;
    evaluation_init(&ev, program);
    if (path && facts_load_file(&facts, &program->sources, path, &diag) != 0) {
        status = 2;
        goto free_all;
    }
    facts_apply_defaults(&facts);
    int32_t today = has_date ? date : facts.has_date ? facts.date : date_today();

    Interview iv = {
        .p = program,
        .facts = &facts,
        .ev = &ev,
        .today = today,
        .in = stdin,
        .talk = stderr,
        .echo = !isatty(STDIN_FILENO),
        .color = cli_color_wanted(stderr),
    };
    iv.state = kdr_calloc(program->n_facts + 1, 1);
    iv.order = kdr_calloc(program->n_facts + 1, sizeof(int32_t));
    iv.mark = kdr_calloc(program->n_facts + 1, sizeof(uint32_t));
    iv.let_mark = kdr_calloc(program->n_lets + 1, sizeof(uint32_t));
    fputs("Answer each question; '?' explains it, an empty line or 'skip' leaves it open, 'q' stops.\n", iv.talk);
    Outcome last = OUT_ANSWERED;
    int32_t fact;
    while ((fact = next_question(&iv)) >= 0) {
        iv.asked++;
        last = ask_fact(&iv, fact);
        if (last == OUT_QUIT || last == OUT_LIMIT)
            break;
        iv.state[fact] = last == OUT_ANSWERED ? FS_ANSWERED : FS_SKIPPED;
        if (last == OUT_ANSWERED)
            iv.answered++;
        else
            iv.skipped++;
    }
    const char *why_ended = fact < 0 ? "nothing more to ask"
                            : last == OUT_LIMIT ? "stopped after 1000 prompts"
                                                : "interview stopped";
    fprintf(iv.talk, "\n%s: %u answered, %u skipped.\n", why_ended, iv.answered, iv.skipped);
    kdr_free(iv.state);
    kdr_free(iv.order);
    kdr_free(iv.mark);
    kdr_free(iv.let_mark);

    evaluate(&ev, &facts, today);
    if (output) {
        Buf yaml = {0};
        yaml_facts(&yaml, &facts, has_date || facts.has_date, today);
        if (!write_atomically(output, yaml.data, yaml.len)) {
            /* the answers were given with some effort: show them rather than lose them */
            fputs("hint: these are the facts that were to be written:\n", stderr);
            fwrite(yaml.data, 1, yaml.len, stderr);
            status = 2;
        }
        buf_free(&yaml);
    }
    if (status == 0) {
        Buf out = {0};
        if (format == FORMAT_JSON)
            report_json(&out, &ev, path, true);
        else
            report_text(&out, &ev, path, cli_color_wanted(stdout));
        fwrite(out.data, 1, out.len, stdout);
        buf_free(&out);
        if (fflush(stdout) != 0) {
            fprintf(stderr, "kader: error: cannot write the report: %s\n", strerror(errno));
            status = 2;
        }
    }
free_all:
    evaluation_free(&ev);
    facts_free(&facts);
    program_free(program);
done:
    rule_options_free(&ro);
    return status;
}
