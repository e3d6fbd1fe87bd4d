/* fuzz_eval.c — libFuzzer target for evaluation: an input is rule text, a line "%%", and facts
 * text (YAML or JSON). The rules are loaded and checked, the facts loaded, and the system
 * evaluated; then the report is rendered as JSON and as text.
 *
 * Oracles beyond "no crash": the JSON report parses, and a second evaluation of the same facts
 * with the same (reused) Evaluation gives the same report byte for byte, since definitions are
 * cached per evaluation and the working memory is reused. */
#include <cjson/cJSON.h>

#include "eval.h"
#include "facts.h"
#include "fuzz.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t rest;
    size_t rules_len = fuzz_split(data, size, &rest);
    Diag diag;
    Program *program = fuzz_load_rules((const char *)data, rules_len, &diag);
    if (!program)
        return 0;
    Sources sources;
    sources_init(&sources);
    Diag facts_diag;
    diag_init(&facts_diag, &sources, fuzz_diag_out());
    Facts facts;
    facts_init(&facts, program);
    if (facts_load_text(&facts, &sources, "fuzz.yaml", (const char *)data + rest, size - rest,
                        &facts_diag) == 0) {
        facts_apply_defaults(&facts);
        int32_t today = 0;
        date_parse("2026-08-02", 10, &today);
        if (facts.has_date)
            today = facts.date;
        Evaluation ev;
        evaluation_init(&ev, program);
        Buf first = {0}, second = {0}, text = {0};
        evaluate(&ev, &facts, today);
        report_json(&first, &ev, "fuzz.yaml", true);
        report_text(&text, &ev, "fuzz.yaml", false);
        evaluate(&ev, &facts, today);
        report_json(&second, &ev, "fuzz.yaml", true);
        cJSON *parsed = cJSON_ParseWithLength(first.data, first.len);
        FUZZ_CHECK(parsed != NULL, "report_json wrote invalid JSON");
        cJSON_Delete(parsed);
        FUZZ_CHECK(first.len == second.len && memcmp(first.data, second.data, first.len) == 0,
                   "a second evaluation of the same facts gave another report");
        buf_free(&first);
        buf_free(&second);
        buf_free(&text);
        evaluation_free(&ev);
    }
    facts_free(&facts);
    sources_free(&sources);
    program_free(program);
    return 0;
}
