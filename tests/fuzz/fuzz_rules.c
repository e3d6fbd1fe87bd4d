/* fuzz_rules.c — libFuzzer target for the rule front end: scanner, parser, resolver and type
 * checker over one rule file. A program that passes the checker must also evaluate without a
 * crash on empty facts (every fact unknown), and render as a JSON report that parses. */
#include <cjson/cJSON.h>

#include "eval.h"
#include "facts.h"
#include "fuzz.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Diag diag;
    Program *program = fuzz_load_rules((const char *)data, size, &diag);
    if (!program)
        return 0;
    Facts facts;
    facts_init(&facts, program);
    facts_apply_defaults(&facts);
    Evaluation ev;
    evaluation_init(&ev, program);
    int32_t today = 0;
    date_parse("2026-08-02", 10, &today);
    evaluate(&ev, &facts, today);
    Buf json = {0};
    report_json(&json, &ev, "fuzz.yaml", false);
    cJSON *parsed = cJSON_ParseWithLength(json.data, json.len);
    FUZZ_CHECK(parsed != NULL, "report_json wrote invalid JSON");
    cJSON_Delete(parsed);
    buf_free(&json);
    evaluation_free(&ev);
    facts_free(&facts);
    program_free(program);
    return 0;
}
