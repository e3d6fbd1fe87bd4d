/* cli.h — what the subcommands share: rule-loading options and usage errors. */
#ifndef KADER_CLI_H
#define KADER_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include <stdint.h>

#include "diag.h"
#include "program.h"
#include "util.h"

enum { OPT_NO_STDLIB = 1000, OPT_FIRST_FREE = 1100 };

typedef struct RuleOptions {
    PtrVec rule_paths; /* char *, copies of the --rules arguments */
    bool no_stdlib;
} RuleOptions;

bool rule_options_parse(RuleOptions *ro, int opt, const char *arg);
void rule_options_free(RuleOptions *ro);
/* NULL when the rules had errors (reported to diag). diag->sources is set to the program's. */
Program *rule_options_load(const RuleOptions *ro, Diag *diag, const char *const *extra, int n_extra);

/* "kader CMD: message" and a hint to run --help; the caller returns 2. */
void cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* For getopt's ':' (a value is missing) and '?' (an unknown option): the message; the caller
 * returns 2. */
void cli_option_error(const char *command, int opt, const char *option);
/* A --date value: a real date written YYYY-MM-DD, else the message and false. */
bool cli_parse_date(const char *command, const char *arg, int32_t *date);
/* Colour only on a terminal, and never with NO_COLOR set. */
bool cli_color_wanted(FILE *stream);

#endif
