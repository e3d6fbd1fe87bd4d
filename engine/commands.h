/* commands.h — the subcommands of the kader command line; main.c dispatches to these.
 * Each takes the arguments after the subcommand name (argv[0] is the subcommand) and returns
 * the process exit status: 0 success, 1 a result the user asked to fail on, 2 usage or input error. */
#ifndef KADER_COMMANDS_H
#define KADER_COMMANDS_H

int kdr_cmd_eval(int argc, char **argv);
int kdr_cmd_check(int argc, char **argv);
int kdr_cmd_compile(int argc, char **argv);
int kdr_cmd_ask(int argc, char **argv);
int kdr_cmd_explain(int argc, char **argv);
int kdr_cmd_fmt(int argc, char **argv);
int kdr_cmd_test(int argc, char **argv);
int kdr_cmd_graph(int argc, char **argv);

#endif
