/* cli_explain.c — `kader explain`: evaluates one system and shows why a requirement applies, does not
 * apply or is undetermined (or a procedure, or the conclusion) as a tree of evaluated conditions. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "eval.h"
#include "explain.h"
#include "facts.h"

static const char explain_help[] =
    "usage: kader explain [OPTIONS] FACTS\n"
    "\n"
    "Explains the evaluation of one system: why each requirement applies, does not apply or is\n"
    "undetermined. With --requirement, --procedure or --conclusion it shows the whole condition as a\n"
    "tree: every operator, comparison and definition with its value, first-match tables with the\n"
    "branch taken, each fact with its value and where it came from (file:line, --set, default or\n"
    "not given). '►' marks the parts that decided the outcome. Without them it lists every\n"
    "requirement and procedure briefly, with the facts that decided it.\n"
    "\n"
    "options:\n"
    "      --requirement ID    explain this requirement (the whole id, or the part after the last\n"
    "                          ':' when that is unique); repeatable\n"
    "      --procedure ID      explain this procedure: required when, the route table, again when;\n"
    "                          repeatable\n"
    "      --conclusion        explain the conclusion\n"
    "      --full              show the parts of a condition that decided nothing in full too\n"
    "                          (by default they show their value and '…')\n"
    "  -r, --rules PATH        load rule files from PATH (a .kdr file or a directory); repeatable.\n"
    "                          Without --rules the default rule set is used.\n"
    "      --no-stdlib         do not load the standard library\n"
    "  -d, --date YYYY-MM-DD   the evaluation date (default: the facts' 'datum', else today)\n"
    "  -s, --set PATH=VALUE    set one fact, overriding the facts file; repeatable\n"
    "  -f, --format FORMAT     text (default) or json (schema: docs/ASK-EXPLAIN.md)\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 explained, 2 usage, rule or facts error, or an unknown id.\n";

enum { OPT_REQUIREMENT = OPT_FIRST_FREE, OPT_PROCEDURE, OPT_CONCLUSION, OPT_FULL };

/* The id after the last ':' (urn:nl:ak:ver:aia-14 → aia-14), which people type. */
static const char *short_id(const char *id)
{
    const char *colon = strrchr(id, ':');
    return colon ? colon + 1 : id;
}

/* Looks an id up among n ids: exact, else a unique match of the short form. Reports unknown and
 * ambiguous ids with a suggestion; returns the index or -1. */
static int32_t find_id(const char *what, const char *const *ids, uint32_t n, const char *wanted, Diag *diag)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(ids[i], wanted) == 0)
            return (int32_t)i;
    int32_t found = -1;
    uint32_t matches = 0;
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(short_id(ids[i]), wanted) == 0) {
            found = (int32_t)i;
            matches++;
        }
    if (matches == 1)
        return found;
    if (matches > 1) {
        diag_plain(diag, DIAG_ERROR, "'%s' matches %u %ss", wanted, matches, what);
        Buf list = {0};
        for (uint32_t i = 0; i < n; i++)
            if (strcmp(short_id(ids[i]), wanted) == 0)
                buf_printf(&list, "%s%s", list.len ? ", " : "", ids[i]);
        diag_hint(diag, "give the whole id: %s", buf_str(&list));
        buf_free(&list);
        return -1;
    }
    diag_plain(diag, DIAG_ERROR, "no %s '%s' in the rules", what, wanted);
    size_t len = strlen(wanted);
    int limit = len <= 3 ? 1 : len <= 6 ? 2 : 3, best_d = limit + 1;
    const char *best = NULL;
    for (uint32_t i = 0; i < n; i++) {
        int d = edit_distance(wanted, ids[i], limit);
        int ds = edit_distance(wanted, short_id(ids[i]), limit);
        if (ds < d)
            d = ds;
        if (d < best_d) {
            best_d = d;
            best = ids[i];
        }
    }
    if (best)
        diag_hint(diag, "did you mean '%s'?", best);
    else if (n)
        diag_hint(diag, "the rules have %u %ss; 'kader explain FACTS' lists them", n, what);
    else
        diag_hint(diag, "the rules have no %ss", what);
    return -1;
}

int kdr_cmd_explain(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"requirement", required_argument, NULL, OPT_REQUIREMENT},
        {"procedure", required_argument, NULL, OPT_PROCEDURE},
        {"conclusion", no_argument, NULL, OPT_CONCLUSION},
        {"full", no_argument, NULL, OPT_FULL},
        {"rules", required_argument, NULL, 'r'},
        {"no-stdlib", no_argument, NULL, OPT_NO_STDLIB},
        {"date", required_argument, NULL, 'd'},
        {"set", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    RuleOptions ro = {0};
    PtrVec sets = {0}, requirement_ids = {0}, procedure_ids = {0};
    bool json = false, conclusion = false, full = false, has_date = false;
    int32_t date = 0;
    int status = 0;
    int opt;
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then resets all of getopt's state, so commands can run twice in one process */
    while ((opt = getopt_long(argc, argv, ":r:d:s:f:h", long_options, NULL)) != -1) {
        if (rule_options_parse(&ro, opt, optarg))
            continue;
        switch (opt) {
        case OPT_REQUIREMENT:
            ptrvec_push(&requirement_ids, optarg);
            break;
        case OPT_PROCEDURE:
            ptrvec_push(&procedure_ids, optarg);
            break;
        case OPT_CONCLUSION:
            conclusion = true;
            break;
        case OPT_FULL:
            full = true;
            break;
        case 'd':
            if (!cli_parse_date("explain", optarg, &date)) {
                status = 2;
                goto done;
            }
            has_date = true;
            break;
        case 's':
            ptrvec_push(&sets, optarg);
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                json = false;
            else if (strcmp(optarg, "json") == 0)
                json = true;
            else {
                cli_usage_error("explain", "unknown format '%s': expected text or json", optarg);
                status = 2;
                goto done;
            }
            break;
        case 'h':
            fputs(explain_help, stdout);
            goto done;
        default:
            cli_option_error("explain", opt, argv[optind - 1]);
            status = 2;
            goto done;
        }
    }
    int n_files = argc - optind;
    if (n_files > 1) {
        cli_usage_error("explain", "explain takes one facts file, not %d", n_files);
        status = 2;
        goto done;
    }
    if (n_files == 0 && sets.len == 0) {
        cli_usage_error("explain", "no facts file given");
        status = 2;
        goto done;
    }
    const char *path = n_files ? argv[optind] : NULL;

    Diag diag;
    diag_init(&diag, NULL, stderr);
    diag.color = cli_color_wanted(stderr);
    Program *program = rule_options_load(&ro, &diag, NULL, 0);
    if (!program) {
        status = 2;
        goto done;
    }
    /* ids are checked before the facts are read, so a typo is reported however the facts are */
    ExplainRequest rq = {.conclusion = conclusion, .full = full};
    int32_t *req_index = kdr_calloc((size_t)requirement_ids.len + 1, sizeof(int32_t));
    int32_t *proc_index = kdr_calloc((size_t)procedure_ids.len + 1, sizeof(int32_t));
    const char **ids = kdr_calloc((size_t)program->n_requirements + program->n_procedures + 1, sizeof(char *));
    for (uint32_t i = 0; i < program->n_requirements; i++)
        ids[i] = program->requirements[i]->id;
    for (int i = 0; i < requirement_ids.len; i++) {
        int32_t k = find_id("requirement", ids, program->n_requirements, requirement_ids.items[i], &diag);
        if (k >= 0)
            req_index[rq.n_requirements++] = k;
    }
    for (uint32_t i = 0; i < program->n_procedures; i++)
        ids[i] = program->procedures[i]->id;
    for (int i = 0; i < procedure_ids.len; i++) {
        int32_t k = find_id("procedure", ids, program->n_procedures, procedure_ids.items[i], &diag);
        if (k >= 0)
            proc_index[rq.n_procedures++] = k;
    }
    kdr_free(ids);
    if (conclusion && program->n_conclusions == 0) {
        diag_plain(&diag, DIAG_ERROR, "the rules declare no conclusion to explain");
        diag_hint(&diag, "conclusions come from 'conclusion' declarations, such as the compiled decision tree");
    }
    rq.requirements = req_index;
    rq.procedures = proc_index;

    Facts facts;
    facts_init(&facts, program);
    Evaluation ev;
    evaluation_init(&ev, program);
    if (diag.errors == 0) {
        if (path)
            facts_load_file(&facts, &program->sources, path, &diag);
        for (int k = 0; k < sets.len; k++)
            facts_set(&facts, &program->sources, sets.items[k], &diag);
    }
    if (diag.errors) {
        status = 2;
    } else {
        facts_apply_defaults(&facts);
        int32_t today = has_date ? date : facts.has_date ? facts.date : date_today();
        evaluate(&ev, &facts, today);
        Buf out = {0};
        explain_write(&out, &ev, path, &rq, json, !json && cli_color_wanted(stdout));
        fwrite(out.data, 1, out.len, stdout);
        buf_free(&out);
        if (fflush(stdout) != 0) {
            fprintf(stderr, "kader: error: cannot write the explanation: %s\n", strerror(errno));
            status = 2;
        }
    }
    evaluation_free(&ev);
    facts_free(&facts);
    kdr_free(req_index);
    kdr_free(proc_index);
    program_free(program);
done:
    rule_options_free(&ro);
    ptrvec_free(&sets);
    ptrvec_free(&requirement_ids);
    ptrvec_free(&procedure_ids);
    return status;
}
