/* test_logic.c — the three-valued semantics, as tables: every operator over true, false and
 * unknown operands, first-match tables, and the missing-facts rule (a fact that cannot change
 * the outcome is not listed). Each row is an expression, the facts, and the expected result. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "facts.h"
#include "load.h"

/* The facts every row may use; a row sets some of them with --set syntax. */
static const char rules[] =
    "fact a : bool\n"
    "fact b : bool\n"
    "fact c : bool\n"
    "fact n : number\n"
    "fact m : number\n"
    "fact s : one of {x, y, z}\n"
    "fact t : string\n"
    "fact d : date\n"
    "fact e : date\n"
    "fact labels : set of {p, q, r}\n"
    "fact other : set of {p, q, r}\n";

typedef struct Row {
    const char *expr;
    const char *facts;    /* space-separated path=value */
    const char *expected; /* value as value_format prints it */
    const char *missing;  /* the missing facts, space-separated; NULL: don't check */
} Row;

static const Row rows[] = {
    /* and */
    {"a and b", "a=true b=true", "true", ""},
    {"a and b", "a=true b=false", "false", ""},
    {"a and b", "a=false b=true", "false", ""},
    {"a and b", "a=false b=false", "false", ""},
    {"a and b", "a=true", "unknown", "b"},
    {"a and b", "a=false", "false", ""},
    {"a and b", "b=true", "unknown", "a"},
    {"a and b", "b=false", "false", ""},
    {"a and b", "", "unknown", "a b"},
    /* or */
    {"a or b", "a=true b=true", "true", ""},
    {"a or b", "a=true b=false", "true", ""},
    {"a or b", "a=false b=true", "true", ""},
    {"a or b", "a=false b=false", "false", ""},
    {"a or b", "a=true", "true", ""},
    {"a or b", "a=false", "unknown", "b"},
    {"a or b", "b=true", "true", ""},
    {"a or b", "b=false", "unknown", "a"},
    {"a or b", "", "unknown", "a b"},
    /* not */
    {"not a", "a=true", "false", ""},
    {"not a", "a=false", "true", ""},
    {"not a", "", "unknown", "a"},
    {"not a", "a=null", "unknown", "a"},
    /* is known / is unknown never give unknown */
    {"a is known", "a=false", "true", ""},
    {"a is known", "", "false", ""},
    {"a is unknown", "", "true", ""},
    {"a is unknown", "a=true", "false", ""},
    /* comparisons */
    {"a == b", "a=true b=true", "true", ""},
    {"a == b", "a=true b=false", "false", ""},
    {"a == b", "a=true", "unknown", "b"},
    {"a != b", "a=true b=false", "true", ""},
    {"a != b", "", "unknown", "a b"},
    {"n < m", "n=1 m=2", "true", ""},
    {"n < m", "n=2 m=2", "false", ""},
    {"n <= m", "n=2 m=2", "true", ""},
    {"n > m", "n=3 m=2", "true", ""},
    {"n >= m", "n=1 m=2", "false", ""},
    {"n < m", "n=1", "unknown", "m"},
    {"n == 8", "n=8", "true", ""},
    {"n in 1..8", "n=8", "true", ""},
    {"n in 1..8", "n=0.5", "false", ""},
    {"n in 1..8", "", "unknown", "n"},
    {"d < e", "d=2026-08-02 e=2027-12-02", "true", ""},
    {"d < 2026-08-02", "d=2026-08-02", "false", ""},
    {"d in 2026-01-01..2026-12-31", "d=2026-08-02", "true", ""},
    {"today >= 2026-08-02", "", "true", ""},
    {"s == \"x\"", "s=x", "true", ""},
    {"s == \"x\"", "s=y", "false", ""},
    {"s == \"x\"", "", "unknown", "s"},
    {"s != \"x\"", "s=y", "true", ""},
    {"t == \"vrij\"", "t=vrij", "true", ""},
    /* sets */
    {"\"p\" in labels", "labels=p,q", "true", ""},
    {"\"r\" in labels", "labels=p,q", "false", ""},
    {"\"r\" not in labels", "labels=p,q", "true", ""},
    {"\"p\" in labels", "", "unknown", "labels"},
    {"\"p\" in labels", "labels=", "false", ""},
    {"{\"p\", \"q\"} in labels", "labels=p,q,r", "true", ""},
    {"{\"p\", \"q\"} in labels", "labels=p", "false", ""},
    {"labels intersects {\"q\", \"r\"}", "labels=p,q", "true", ""},
    {"labels intersects {\"r\"}", "labels=p,q", "false", ""},
    {"labels intersects other", "labels=p", "unknown", "other"},
    {"s in {\"x\", \"y\"}", "s=y", "true", ""},
    {"count(labels)", "labels=p,q", "2", ""},
    {"count(labels)", "", "unknown", "labels"},
    {"union(labels, other)", "labels=p other=r", "{\"p\", \"r\"}", ""},
    {"min(n, m)", "n=3 m=2", "2", ""},
    {"max(d, e)", "d=2026-08-02 e=2027-12-02", "2027-12-02", ""},
    {"max(d, e)", "d=2026-08-02", "unknown", "e"},
    /* first-match tables: an unknown condition before the match makes the table unknown */
    {"first { when a: 1 when b: 2 otherwise: 3 }", "a=true", "1", ""},
    {"first { when a: 1 when b: 2 otherwise: 3 }", "a=false b=true", "2", ""},
    {"first { when a: 1 when b: 2 otherwise: 3 }", "a=false b=false", "3", ""},
    {"first { when a: 1 when b: 2 otherwise: 3 }", "b=true", "unknown", "a"},
    {"first { when a: 1 when b: 2 otherwise: 3 }", "a=false", "unknown", "b"},
    {"first { when a: 1 when b: 2 otherwise: 3 }", "", "unknown", "a"},
    {"first { when a: n when b: 2 otherwise: 3 }", "", "unknown", "a"},
    {"first { when a: n when b: 2 otherwise: 3 }", "a=true", "unknown", "n"},
    {"first { when a: n otherwise: 3 }", "a=true", "unknown", "n"},
    {"first { when a: 1 otherwise: unknown }", "a=false", "unknown", ""},
    /* an explicit unknown reached because a fact is absent: that fact is what is missing */
    {"first { when n is known: n > 3 otherwise: unknown }", "", "unknown", "n"},
    {"first { when n is unknown: unknown otherwise: n > 3 }", "", "unknown", "n"},
    {"first { when a and n is known: n > 3 otherwise: unknown }", "a=true", "unknown", "n"},
    /* the missing-facts rule: only what can still change the outcome */
    {"(a or b) and c", "a=true", "unknown", "c"},
    {"(a or b) and c", "c=true", "unknown", "a b"},
    {"(a or b) and c", "c=false", "false", ""},
    {"a and (b or c)", "a=true b=false", "unknown", "c"},
    {"(a and b) or (n > 3)", "a=false", "unknown", "n"},
    {"not (a and b) and c", "a=false", "unknown", "c"},
    {"a and b and c and a", "", "unknown", "a b c"},
    /* a subexpression written twice is computed once (share.c) and must give what each copy
     * would give on its own: its value, and its missing facts wherever it stands */
    {"(a and b) or (c and (a and b))", "c=true", "unknown", "a b"},
    {"(a and b) or (c and (a and b))", "c=true a=true b=true", "true", ""},
    {"(a and b) or (c and (a and b))", "a=false", "false", ""},
    {"(c and (a or b)) or (not c and (a or b))", "c=false", "unknown", "a b"},
    {"(c and (a or b)) or (not c and (a or b))", "a=true", "unknown", "c"},
    {"first { when s == \"x\": n > 3 when s == \"y\": n > 3 otherwise: false }", "s=y", "unknown", "n"},
    {"first { when s == \"x\": n > 3 when s == \"y\": n > 3 otherwise: false }", "s=y n=4", "true", ""},
    {"labels intersects {\"p\", \"q\"} and not (other intersects {\"p\", \"q\"})", "labels=q other=r", "true", ""},
    {"labels intersects {\"p\", \"q\"} and not (other intersects {\"p\", \"q\"})", "labels=r", "false", ""},
    {"labels intersects {\"p\", \"q\"} and not (other intersects {\"p\", \"q\"})", "labels=p", "unknown", "other"},
    {"count(union(labels, {\"p\"})) == 2 and count(union(labels, {\"p\"})) > 1", "labels=q", "true", ""},
    {"count(union(labels, {\"p\"})) == 2 and count(union(labels, {\"p\"})) > 1", "", "unknown", "labels"},
};

static int failures;

static void fail(const Row *row, const char *what, const char *expected, const char *actual)
{
    failures++;
    fprintf(stderr, "FAIL: %s  [%s]\n  %s: expected %s, got %s\n", row->expr, row->facts, what, expected, actual);
}

static void run_row(const Row *row)
{
    Buf text = {0};
    buf_printf(&text, "%slet result = %s\n", rules, row->expr);
    Program *program = program_new();
    Diag diag;
    diag_init(&diag, &program->sources, stderr);
    Loader loader;
    loader_init(&loader, program, &diag);
    loader_load_text(&loader, "row.kdr", text.data, text.len);
    int rc = loader_finish(&loader);
    loader_free(&loader);
    buf_free(&text);
    if (rc != 0) {
        fail(row, "load", "no errors", "errors");
        program_free(program);
        return;
    }
    Facts facts;
    facts_init(&facts, program);
    char assignments[256];
    snprintf(assignments, sizeof assignments, "%s", row->facts);
    for (char *tok = strtok(assignments, " "); tok; tok = strtok(NULL, " "))
        if (facts_set(&facts, &program->sources, tok, &diag) != 0)
            fail(row, "facts", "valid", tok);
    Evaluation ev;
    evaluation_init(&ev, program);
    evaluate(&ev, &facts, 21000); /* a day in mid-2027 */
    const LetDecl *result = program->lets[program->n_lets - 1];
    Expr ref = {.op = E_LET, .slot = result->index, .memo = -1};
    Value v = eval_expr(&ev, &ref);
    Buf got = {0};
    value_format(&got, v);
    if (strcmp(got.data, row->expected) != 0)
        fail(row, "value", row->expected, got.data);
    if (row->missing) {
        const Expr *body = result->body;
        Missing m = eval_missing(&ev, &body, 1);
        Buf names = {0};
        for (uint32_t i = 0; i < m.len; i++)
            buf_printf(&names, "%s%s", i ? " " : "", program->facts[ev.missing_pool[m.start + i]]->name);
        if (strcmp(buf_str(&names), row->missing) != 0)
            fail(row, "missing", row->missing, buf_str(&names));
        buf_free(&names);
    }
    buf_free(&got);
    evaluation_free(&ev);
    facts_free(&facts);
    program_free(program);
}

/* Rule text reaches the scanner from the embedding API and from documents, not only from files:
 * a NUL byte (which would make flex's fast tables read past their end when 0xFF follows) is an
 * error at its place, and the text is not scanned. */
static void nul_byte_in_rule_text(void)
{
    static const char text[] = "let x = 1\n\0\xff\n";
    char *out = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&out, &size);
    Program *program = program_new();
    Diag diag;
    diag_init(&diag, &program->sources, m);
    Loader loader;
    loader_init(&loader, program, &diag);
    int rc = loader_load_text(&loader, "nul.kdr", text, sizeof text - 1);
    loader_free(&loader);
    fclose(m);
    const char *expected = "nul.kdr:2:1: error: a NUL byte in rule text\n"
                           " 2 | ?\xff\n"
                           "   | ^\n"
                           "hint: rule files are UTF-8 text; is this a binary file?\n";
    if (rc == 0 || strcmp(out, expected) != 0) {
        failures++;
        fprintf(stderr, "FAIL: NUL byte in rule text\n  expected: %s\n  got: %s\n", expected, out);
    }
    free(out);
    program_free(program);
}

int main(void)
{
    size_t n = sizeof rows / sizeof rows[0];
    for (size_t i = 0; i < n; i++)
        run_row(&rows[i]);
    nul_byte_in_rule_text();
    printf("%zu rows, %d failures\n", n, failures);
    return failures ? 1 : 0;
}
