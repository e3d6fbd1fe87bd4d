/* main.c — the kader command line: dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const char usage[] =
    "usage: kader COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "kader evaluates regulatory requirement frameworks (the Dutch Algoritmekader and the EU AI\n"
    "Act) written as rules, for systems described in small facts files.\n"
    "\n"
    "commands:\n"
    "  eval      evaluate facts files and print a report\n"
    "  check     load and check rule files\n"
    "  compile   compile requirement documents into rule files\n"
    "  ask       a guided interview: asks for the missing facts, then prints the report\n"
    "  explain   why each requirement applies, does not apply or is undetermined\n"
    "  fmt       format rule files in the canonical layout\n"
    "  test      run rule tests: cases of facts and the results the rules must give\n"
    "  graph     the dependency graph of the rules, for Graphviz or as JSON\n"
    "\n"
    "Run 'kader COMMAND --help' for the options of a command.\n"
    "exit status: 0 success, 1 a result --fail-on asked about, 2 usage or input error.\n";

typedef struct Command {
    const char *name;
    int (*run)(int argc, char **argv);
} Command;

static const Command commands[] = {
    {"eval", kdr_cmd_eval},
    {"check", kdr_cmd_check},
    {"compile", kdr_cmd_compile},
    {"ask", kdr_cmd_ask},
    {"explain", kdr_cmd_explain},
    {"fmt", kdr_cmd_fmt},
    {"test", kdr_cmd_test},
    {"graph", kdr_cmd_graph},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("kader %s\n", KADER_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "kader: unknown command '%s'\n", name);
    fputs("hint: the commands are", stderr);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(stderr, "%s %s", i == 0 ? "" : i + 1 == sizeof commands / sizeof commands[0] ? " and" : ",",
                commands[i].name);
    fputs("; run 'kader --help'\n", stderr);
    return 2;
}
