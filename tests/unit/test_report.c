/* test_report.c — the JSON report has two writers: report_json renders everything each time
 * (the embedding API, `kader ask`), report_json_cached copies the parts that only the program
 * decides from a ReportCache (`kader eval`, batches). For every example system, compact and
 * pretty, and with the cache reused across systems and across both layouts, the two must give
 * the same bytes. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "eval.h"
#include "facts.h"
#include "report.h"

static const char *const examples[] = {
    "grensbewaking-biometrie", "chatbot-gemeente", "cv-selectie", "medisch-hulpmiddel",
    "onvolledig-feiten", "onvolledig-labels", "ai-model-systeemrisico", "sociale-scoring",
};

int main(void)
{
    int failures = 0, compared = 0;
    RuleOptions ro = {0};
    rule_options_parse(&ro, 'r', KADER_SOURCE_DIR "/rules");
    Diag diag;
    diag_init(&diag, NULL, stderr);
    Program *program = rule_options_load(&ro, &diag, NULL, 0);
    if (!program) {
        fprintf(stderr, "test_report: the default rules do not load\n");
        return 1;
    }
    Evaluation ev;
    evaluation_init(&ev, program);
    ReportCache cache = {0};
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
            char path[512];
            snprintf(path, sizeof path, "%s/examples/%s.yaml", KADER_SOURCE_DIR, examples[i]);
            Facts facts;
            Sources sources;
            sources_init(&sources);
            facts_init(&facts, program);
            Diag fdiag;
            diag_init(&fdiag, &sources, stderr);
            if (facts_load_file(&facts, &sources, path, &fdiag) != 0) {
                fprintf(stderr, "FAIL: %s does not load\n", path);
                failures++;
            } else {
                facts_apply_defaults(&facts);
                evaluate(&ev, &facts, facts.has_date ? facts.date : 20667 /* 2026-08-02 */);
                for (int pretty = 0; pretty < 2; pretty++) {
                    /* pass 0 fills the cache compact first, pass 1 pretty first: a cache made
                     * for one layout must be rebuilt for the other */
                    bool layout = pass == 0 ? pretty : !pretty;
                    Buf plain = {0}, cached = {0};
                    report_json(&plain, &ev, path, layout);
                    report_json_cached(&cached, &ev, path, layout, &cache);
                    compared++;
                    if (plain.len != cached.len || memcmp(plain.data, cached.data, plain.len) != 0) {
                        fprintf(stderr, "FAIL: %s (%s): the cached report differs\n", examples[i],
                                layout ? "pretty" : "compact");
                        failures++;
                    }
                    buf_free(&plain);
                    buf_free(&cached);
                }
            }
            facts_free(&facts);
            sources_free(&sources);
        }
    }
    report_cache_free(&cache);
    evaluation_free(&ev);
    program_free(program);
    rule_options_free(&ro);
    printf("test_report: %d reports compared, %d failures\n", compared, failures);
    return failures ? 1 : 0;
}
