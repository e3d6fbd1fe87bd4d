/* cli_check.c — `kader check`: loads rule files with the standard library and reports every
 * error, and the warnings of the linter. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "load.h"

static const char check_help[] =
    "usage: kader check [OPTIONS] [PATH...]\n"
    "\n"
    "Loads and checks rule files (a .kdr file or a directory each) together with the standard\n"
    "library: syntax, names, types, cycles, imports. Without PATH the default rule set is checked.\n"
    "\n"
    "options:\n"
    "  -r, --rules PATH        also load PATH; repeatable\n"
    "      --no-stdlib         do not load the standard library\n"
    "  -q, --quiet             print nothing on success\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 the rules are valid, 2 errors were found.\n";

int kdr_cmd_check(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"rules", required_argument, NULL, 'r'},
        {"no-stdlib", no_argument, NULL, OPT_NO_STDLIB},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    RuleOptions ro = {0};
    bool quiet = false;
    int status = 0;
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":r:qh", long_options, NULL)) != -1) {
        if (rule_options_parse(&ro, opt, optarg))
            continue;
        switch (opt) {
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(check_help, stdout);
            goto done;
        case ':':
            cli_usage_error("check", "option '%s' needs a value", argv[optind - 1]);
            status = 2;
            goto done;
        default:
            cli_usage_error("check", "unknown option '%s'", argv[optind - 1]);
            status = 2;
            goto done;
        }
    }
    Diag diag;
    diag_init(&diag, NULL, stderr);
    diag.color = cli_color_wanted(stderr);
    Program *program = rule_options_load(&ro, &diag, (const char *const *)argv + optind, argc - optind);
    if (!program) {
        status = 2;
        goto done;
    }
    if (!quiet)
        printf("ok: %u facts, %u definitions, %u requirements, %u procedures in %u files\n", program->n_facts,
               program->n_lets, program->n_requirements, program->n_procedures, program->sources.len - 1);
    program_free(program);
done:
    rule_options_free(&ro);
    return status;
}
