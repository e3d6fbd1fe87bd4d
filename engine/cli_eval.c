/* cli_eval.c — `kader eval`, and what the subcommands share: option parsing, loading the rule program
 * (stdlib, default rules or --rules), loading facts, evaluating, and printing reports. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "eval.h"
#include "facts.h"
#include "load.h"
#include "report.h"

/* ---- shared by the subcommands ---- */

void cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kader %s: ", command);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fprintf(stderr, "hint: run 'kader %s --help' for the options\n", command);
}

bool cli_color_wanted(FILE *stream)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(stream));
}

/* Parses one of the rule options; returns false when opt is not one of them. */
bool rule_options_parse(RuleOptions *ro, int opt, const char *arg)
{
    switch (opt) {
    case 'r':
        ptrvec_push(&ro->rule_paths, kdr_strdup(arg));
        return true;
    case OPT_NO_STDLIB:
        ro->no_stdlib = true;
        return true;
    default:
        return false;
    }
}

void rule_options_free(RuleOptions *ro)
{
    for (int i = 0; i < ro->rule_paths.len; i++)
        kdr_free(ro->rule_paths.items[i]);
    ptrvec_free(&ro->rule_paths);
}

/* Loads the stdlib, then the --rules paths, or the default rule set when none was given. */
Program *rule_options_load(const RuleOptions *ro, Diag *diag, const char *const *extra, int n_extra)
{
    Program *program = program_new();
    diag->sources = &program->sources;
    Loader loader;
    loader_init(&loader, program, diag);
    for (int i = 0; i < ro->rule_paths.len; i++)
        loader_add_search_dir(&loader, ro->rule_paths.items[i]);
    loader_add_env_path(&loader);
    /* --no-stdlib leaves the bundled rules out entirely, also from the import search path. */
    const char *stdlib_dir = ro->no_stdlib ? NULL : kader_stdlib_dir();
    const char *rules_dir = ro->no_stdlib ? NULL : kader_rules_dir();
    if (stdlib_dir)
        loader_add_search_dir(&loader, stdlib_dir);
    if (rules_dir)
        loader_add_search_dir(&loader, rules_dir);

    if (!ro->no_stdlib) {
        if (!stdlib_dir) {
            diag_plain(diag, DIAG_ERROR, "cannot find the standard library (stdlib/)");
            fprintf(diag->out ? diag->out : stderr,
                    "hint: set KADER_HOME to the directory that holds stdlib/ and rules/, or pass --no-stdlib\n");
        } else {
            loader_load_path(&loader, stdlib_dir);
        }
    }
    if (ro->rule_paths.len == 0 && n_extra == 0 && !ro->no_stdlib && rules_dir)
        loader_load_path(&loader, rules_dir);
    for (int i = 0; i < ro->rule_paths.len; i++)
        loader_load_path(&loader, ro->rule_paths.items[i]);
    for (int i = 0; i < n_extra; i++)
        loader_load_path(&loader, extra[i]);
    int rc = loader_finish(&loader);
    loader_free(&loader);
    if (rc != 0 || diag->errors) {
        program_free(program);
        return NULL;
    }
    return program;
}

/* ---- kader eval ---- */

static const char eval_help[] =
    "usage: kader eval [OPTIONS] FACTS...\n"
    "\n"
    "Evaluates the rules for each system described in a facts file (YAML or JSON; '-' is stdin)\n"
    "and prints a report: which requirements apply, which do not, which are undetermined and\n"
    "which facts are missing, per lifecycle phase, with the procedures and their routes.\n"
    "\n"
    "options:\n"
    "  -r, --rules PATH        load rule files from PATH (a .kdr file or a directory); repeatable.\n"
    "                          Without --rules the default rule set is used. The standard\n"
    "                          library is always loaded.\n"
    "      --no-stdlib         do not load the standard library\n"
    "  -d, --date YYYY-MM-DD   the evaluation date (default: the facts' 'datum', else today)\n"
    "  -s, --set PATH=VALUE    set one fact, overriding the facts file; repeatable\n"
    "  -f, --format FORMAT     text (default) or json\n"
    "  -h, --help              show this help\n"
    "\n"
    "With several facts files and --format json, one JSON object per line is printed.\n"
    "environment: KADER_PATH (directories searched for imports), KADER_HOME, NO_COLOR.\n"
    "exit status: 0 evaluated, 2 usage, rule or facts error.\n";

typedef enum ReportFormat { FORMAT_TEXT, FORMAT_JSON } ReportFormat;

int kdr_cmd_eval(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"rules", required_argument, NULL, 'r'},
        {"no-stdlib", no_argument, NULL, OPT_NO_STDLIB},
        {"date", required_argument, NULL, 'd'},
        {"set", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    RuleOptions ro = {0};
    PtrVec sets = {0};
    ReportFormat format = FORMAT_TEXT;
    bool has_date = false;
    int32_t date = 0;
    int status = 0;
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":r:d:s:f:h", long_options, NULL)) != -1) {
        if (rule_options_parse(&ro, opt, optarg))
            continue;
        switch (opt) {
        case 'd':
            if (date_parse(optarg, strlen(optarg), &date) != DATE_OK) {
                cli_usage_error("eval", "invalid --date '%s': expected a real date as YYYY-MM-DD", optarg);
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
                format = FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                format = FORMAT_JSON;
            else {
                cli_usage_error("eval", "unknown format '%s': expected text or json", optarg);
                status = 2;
                goto done;
            }
            break;
        case 'h':
            fputs(eval_help, stdout);
            goto done;
        case ':':
            cli_usage_error("eval", "option '%s' needs a value", argv[optind - 1]);
            status = 2;
            goto done;
        default:
            cli_usage_error("eval", "unknown option '%s'", argv[optind - 1]);
            status = 2;
            goto done;
        }
    }
    int n_files = argc - optind;
    if (n_files == 0 && sets.len == 0) {
        cli_usage_error("eval", "no facts file given");
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
    bool color = format == FORMAT_TEXT && cli_color_wanted(stdout);
    Buf out = {0};
    int runs = n_files ? n_files : 1;
    for (int i = 0; i < runs; i++) {
        const char *path = n_files ? argv[optind + i] : NULL;
        facts_clear(&facts);
        int errors_before = diag.errors;
        if (path)
            facts_load_file(&facts, &program->sources, path, &diag);
        for (int k = 0; k < sets.len; k++)
            facts_set(&facts, &program->sources, sets.items[k], &diag);
        if (diag.errors != errors_before) {
            status = 2;
            continue;
        }
        facts_apply_defaults(&facts);
        int32_t today = has_date ? date : facts.has_date ? facts.date : date_today();
        evaluate(&ev, &facts, today);
        buf_clear(&out);
        if (format == FORMAT_JSON)
            report_json(&out, &ev, path, runs == 1);
        else {
            if (i > 0)
                buf_puts(&out, "\n");
            report_text(&out, &ev, path, color);
        }
        fwrite(out.data, 1, out.len, stdout);
    }
    buf_free(&out);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "kader: error: cannot write the report: %s\n", strerror(errno));
        status = 2;
    }
    evaluation_free(&ev);
    facts_free(&facts);
    program_free(program);
done:
    rule_options_free(&ro);
    ptrvec_free(&sets);
    return status;
}
