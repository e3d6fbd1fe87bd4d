/* fuzz_facts.c — libFuzzer target for the facts loader: YAML (libyaml) and JSON (cJSON and the
 * scanner that locates its values), checked against a fixed program (facts.kdr beside this file)
 * that declares a fact of every type, with ranges, allowed values, defaults, nested and quoted
 * paths.
 *
 * An input whose first line is "set:" is read instead as --set assignments, one a line, which
 * exercises the path=value parser. Facts that load cleanly are evaluated, and the JSON report
 * must parse. */
#include <cjson/cJSON.h>

#include "eval.h"
#include "facts.h"
#include "fuzz.h"
#include "report.h"

static Program *program;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    size_t len;
    char *rules = read_whole_file(FUZZ_FACTS_RULES, &len);
    Diag diag;
    program = rules ? fuzz_load_rules(rules, len, &diag) : NULL;
    if (!program) {
        fprintf(stderr, "fuzz_facts: the fixed program %s does not load\n", FUZZ_FACTS_RULES);
        abort();
    }
    kdr_free(rules);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Each input's sources are its own, so the program does not grow from run to run. */
    Sources sources;
    sources_init(&sources);
    Diag diag;
    diag_init(&diag, &sources, fuzz_diag_out());
    Facts facts;
    facts_init(&facts, program);
    int rc = 0;
    if (size >= 5 && memcmp(data, "set:\n", 5) == 0) {
        char *text = kdr_strndup((const char *)data + 5, size - 5);
        for (char *line = text, *next; line; line = next) {
            next = strchr(line, '\n');
            if (next)
                *next++ = '\0';
            if (!next && !*line)
                break; /* what follows the last newline */
            if (facts_set(&facts, &sources, line, &diag) != 0)
                rc = -1;
        }
        kdr_free(text);
    } else {
        rc = facts_load_text(&facts, &sources, "fuzz.yaml", (const char *)data, size, &diag);
    }
    FUZZ_CHECK((rc == 0) == (diag.errors == 0), "facts loader's result disagrees with its messages");
    if (rc == 0) {
        facts_apply_defaults(&facts);
        Evaluation ev;
        evaluation_init(&ev, program);
        int32_t today = 0;
        date_parse("2026-08-02", 10, &today);
        evaluate(&ev, &facts, facts.has_date ? facts.date : today);
        Buf json = {0};
        report_json(&json, &ev, "fuzz.yaml", false);
        cJSON *parsed = cJSON_ParseWithLength(json.data, json.len);
        FUZZ_CHECK(parsed != NULL, "report_json wrote invalid JSON");
        cJSON_Delete(parsed);
        buf_free(&json);
        evaluation_free(&ev);
    }
    facts_free(&facts);
    sources_free(&sources);
    return 0;
}
