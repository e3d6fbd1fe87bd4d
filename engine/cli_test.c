/* cli_test.c — `kader test`: finds rule test files (engine/ruletest.c), runs every case against
 * the loaded rules, prints each failure with the place of the expectation, and writes JUnit XML
 * for CI when asked. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "eval.h"
#include "facts.h"
#include "ruletest.h"

static const char test_help[] =
    "usage: kader test [OPTIONS] [PATH...]\n"
    "\n"
    "Runs rule tests: YAML files of cases, each a system's facts and what the rules must\n"
    "conclude about it (requirement statuses, procedure routes, the conclusion, labels, missing\n"
    "facts, warnings, the phase). A directory stands for the *.test.yaml files in it and its\n"
    "subdirectories; without PATH, the current directory. The format is described in\n"
    "docs/TOOLS.md.\n"
    "\n"
    "options:\n"
    "  -r, --rules PATH        load rule files from PATH instead of the default rule set;\n"
    "                          repeatable. The standard library is always loaded.\n"
    "      --no-stdlib         do not load the standard library\n"
    "      --junit FILE        also write the results as JUnit XML to FILE ('-': standard\n"
    "                          output, and the results for people go to standard error)\n"
    "      --run TEXT          run only the cases whose name contains TEXT\n"
    "  -v, --verbose           list every case, not only the failures\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 every case passed, 1 a case failed, 2 a test file, facts file or rule file\n"
    "has errors (nothing is guessed: such a case counts as an error, not as a failure).\n";

typedef enum Outcome { OUT_PASS, OUT_FAIL, OUT_ERROR } Outcome;

typedef struct CaseResult {
    char *name;
    int line;
    Outcome outcome;
    char *detail;   /* the failure or error text, for JUnit */
} CaseResult;

typedef struct FileResult {
    char *path;
    bool unreadable;   /* the file itself has errors: no case ran */
    char *error;       /* its messages, for JUnit */
    CaseResult *cases;
    uint32_t n_cases;
} FileResult;

static bool is_test_file(const char *name)
{
    return str_ends_with(name, ".test.yaml") || str_ends_with(name, ".test.yml");
}

/* The test files under dir, in name order; hidden entries and links to directories skipped. */
static void find_tests(const char *dir, PtrVec *out, int depth)
{
    if (depth > 64)
        return;
    PtrVec names = {0};
    if (dir_names_sorted(dir, &names) < 0)
        return;
    for (int i = 0; i < names.len; i++) {
        Buf path = {0};
        if (strcmp(dir, ".") == 0)
            buf_puts(&path, names.items[i]);
        else
            buf_printf(&path, "%s%s%s", dir, str_ends_with(dir, "/") ? "" : "/", (char *)names.items[i]);
        struct stat st;
        if (lstat(buf_str(&path), &st) == 0) {
            if (S_ISDIR(st.st_mode))
                find_tests(buf_str(&path), out, depth + 1);
            else if (is_test_file(names.items[i]))
                ptrvec_push(out, buf_take(&path));
        }
        buf_free(&path);
        kdr_free(names.items[i]);
    }
    ptrvec_free(&names);
}

/* ---- JUnit XML ---- */

static void xml_text(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        case '\033': /* colour codes never belong in XML */
            while (p[1] && p[1] != 'm')
                p++;
            if (p[1])
                p++;
            break;
        default:
            /* control characters are not allowed in XML 1.0 */
            fputc(*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r' ? '?' : *p, f);
        }
    }
}

static int write_junit(const char *path, const FileResult *files, uint32_t n_files)
{
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "w");
    if (!f) {
        fprintf(stderr, "kader test: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    uint32_t tests = 0, failures = 0, errors = 0;
    for (uint32_t i = 0; i < n_files; i++) {
        if (files[i].unreadable) {
            tests++;
            errors++;
        }
        for (uint32_t k = 0; k < files[i].n_cases; k++) {
            tests++;
            failures += files[i].cases[k].outcome == OUT_FAIL;
            errors += files[i].cases[k].outcome == OUT_ERROR;
        }
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites name=\"kader test\" tests=\"%u\" failures=\"%u\" errors=\"%u\">\n", tests, failures, errors);
    for (uint32_t i = 0; i < n_files; i++) {
        const FileResult *fr = &files[i];
        uint32_t t = fr->unreadable ? 1 : fr->n_cases, fl = 0, er = fr->unreadable ? 1 : 0;
        for (uint32_t k = 0; k < fr->n_cases; k++) {
            fl += fr->cases[k].outcome == OUT_FAIL;
            er += fr->cases[k].outcome == OUT_ERROR;
        }
        fputs("  <testsuite name=\"", f);
        xml_text(f, fr->path);
        fprintf(f, "\" tests=\"%u\" failures=\"%u\" errors=\"%u\">\n", t, fl, er);
        if (fr->unreadable) {
            fputs("    <testcase classname=\"", f);
            xml_text(f, fr->path);
            fputs("\" name=\"(the test file)\">\n      <error message=\"the test file has errors\">", f);
            xml_text(f, fr->error ? fr->error : "");
            fputs("</error>\n    </testcase>\n", f);
        }
        for (uint32_t k = 0; k < fr->n_cases; k++) {
            const CaseResult *c = &fr->cases[k];
            fputs("    <testcase classname=\"", f);
            xml_text(f, fr->path);
            fputs("\" name=\"", f);
            xml_text(f, c->name);
            fputs("\" file=\"", f);
            xml_text(f, fr->path);
            fprintf(f, "\" line=\"%d\"", c->line);
            if (c->outcome == OUT_PASS) {
                fputs("/>\n", f);
                continue;
            }
            fputs(">\n", f);
            fputs(c->outcome == OUT_FAIL ? "      <failure message=\"expectations not met\">"
                                         : "      <error message=\"the facts have errors\">", f);
            xml_text(f, c->detail ? c->detail : "");
            fputs(c->outcome == OUT_FAIL ? "</failure>\n" : "</error>\n", f);
            fputs("    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    if (to_stdout ? fflush(f) != 0 : fclose(f) != 0) {
        fprintf(stderr, "kader test: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- running ---- */

typedef struct Run {
    const Program *program;
    Sources sources;      /* test files and facts files */
    Facts facts;
    Evaluation ev;
    bool verbose, color;
    FILE *out;            /* the results for people: stdout, or stderr when the XML goes there */
    const char *filter;
    uint32_t passed, failed, errors, skipped;
} Run;

/* Messages printed while reading or running are kept as text as well (for JUnit). */
static FILE *capture_start(char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    return open_memstream(text, len);
}

static char *capture_end(FILE *f, char **text, size_t *len)
{
    fclose(f); /* only now are *text and *len final */
    fwrite(*text, 1, *len, stderr);
    char *copy = kdr_strndup(*text ? *text : "", *len);
    free(*text);
    *text = NULL;
    return copy;
}

static void run_file(Run *run, const char *path, FileResult *fr)
{
    fr->path = kdr_strdup(path);
    char *text;
    size_t len;
    FILE *cap = capture_start(&text, &len);
    Diag diag;
    diag_init(&diag, &run->sources, cap ? cap : stderr);
    diag.color = run->color;
    TestFile tf;
    int rc = ruletest_read(&tf, path, run->program, &run->sources, &diag);
    if (cap) {
        char *msg = capture_end(cap, &text, &len);
        if (rc != 0)
            fr->error = msg;
        else
            kdr_free(msg);
    }
    if (rc != 0) {
        fr->unreadable = true;
        run->errors++;
        fprintf(run->out, "%s %s: the test file has errors; no case ran\n", run->color ? "\033[1;31mERROR\033[0m" : "ERROR", path);
        ruletest_free(&tf);
        return;
    }
    fr->cases = kdr_calloc(tf.n_cases + 1, sizeof(CaseResult));
    const SourceFile *src = sources_get(&run->sources, tf.file);
    for (uint32_t i = 0; i < tf.n_cases; i++) {
        const TestCase *tc = &tf.cases[i];
        if (run->filter && !strstr(tc->name, run->filter)) {
            run->skipped++;
            continue;
        }
        CaseResult *cr = &fr->cases[fr->n_cases++];
        int line = tc->line;
        cr->line = line;
        cr->name = kdr_strdup(tc->name);
        PtrVec mismatches = {0};
        cap = capture_start(&text, &len);
        diag.out = cap ? cap : stderr;
        rc = ruletest_run(&tf, tc, &run->facts, &run->ev, &run->sources, &diag, &mismatches);
        char *msg = cap ? capture_end(cap, &text, &len) : NULL;
        if (rc != 0) {
            cr->outcome = OUT_ERROR;
            cr->detail = msg;
            msg = NULL;
            run->errors++;
            fprintf(run->out, "%s %s:%d: %s: the facts have errors\n", run->color ? "\033[1;31mERROR\033[0m" : "ERROR", path,
                   line, tc->name);
        } else if (mismatches.len) {
            cr->outcome = OUT_FAIL;
            run->failed++;
            Buf detail = {0};
            for (int m = 0; m < mismatches.len; m++) {
                const Mismatch *mm = mismatches.items[m];
                int ml, mc;
                source_line_col(src, mm->loc.start, &ml, &mc);
                buf_printf(&detail, "%s:%d:%d: %s\n    expected: %s\n    actual:   %s\n", path, ml, mc, mm->what,
                           mm->expected, mm->actual);
            }
            fprintf(run->out, "%s %s:%d: %s\n%s", run->color ? "\033[1;31mFAIL\033[0m" : "FAIL", path, line, tc->name,
                   buf_str(&detail));
            cr->detail = buf_take(&detail);
        } else {
            cr->outcome = OUT_PASS;
            run->passed++;
            if (run->verbose)
                fprintf(run->out, "%s   %s:%d: %s\n", run->color ? "\033[1;32mok\033[0m" : "ok", path, line, tc->name);
        }
        kdr_free(msg);
        mismatches_free(&mismatches);
    }
    ruletest_free(&tf);
}

int kdr_cmd_test(int argc, char **argv)
{
    enum { OPT_JUNIT = OPT_FIRST_FREE, OPT_RUN };
    static const struct option long_options[] = {
        {"rules", required_argument, NULL, 'r'},
        {"no-stdlib", no_argument, NULL, OPT_NO_STDLIB},
        {"junit", required_argument, NULL, OPT_JUNIT},
        {"run", required_argument, NULL, OPT_RUN},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    RuleOptions ro = {0};
    const char *junit = NULL;
    Run run;
    memset(&run, 0, sizeof run);
    int status = 0;
    int opt;
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then forgets the state of an earlier parse in this process */
    while ((opt = getopt_long(argc, argv, ":r:vh", long_options, NULL)) != -1) {
        if (rule_options_parse(&ro, opt, optarg))
            continue;
        switch (opt) {
        case OPT_JUNIT:
            junit = optarg;
            break;
        case OPT_RUN:
            run.filter = optarg;
            break;
        case 'v':
            run.verbose = true;
            break;
        case 'h':
            fputs(test_help, stdout);
            goto done;
        default:
            cli_option_error("test", opt, argv[optind - 1]);
            status = 2;
            goto done;
        }
    }

    PtrVec paths = {0};
    int n_args = argc - optind;
    for (int i = 0; i < (n_args ? n_args : 1); i++) {
        const char *arg = n_args ? argv[optind + i] : ".";
        struct stat st;
        if (stat(arg, &st) != 0) {
            fprintf(stderr, "kader test: cannot read '%s': %s\n", arg, strerror(errno));
            status = 2;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            ptrvec_push(&paths, kdr_strdup(arg));
            continue;
        }
        int before = paths.len;
        find_tests(arg, &paths, 0);
        if (paths.len == before) {
            fprintf(stderr, "kader test: no test files (*.test.yaml) in '%s'\n", arg);
            status = 2;
        }
    }
    if (status) {
        for (int i = 0; i < paths.len; i++)
            kdr_free(paths.items[i]);
        ptrvec_free(&paths);
        goto done;
    }

    Diag diag;
    diag_init(&diag, NULL, stderr);
    diag.color = cli_color_wanted(stderr);
    Program *program = rule_options_load(&ro, &diag, NULL, 0);
    if (!program) {
        for (int i = 0; i < paths.len; i++)
            kdr_free(paths.items[i]);
        ptrvec_free(&paths);
        status = 2;
        goto done;
    }
    run.program = program;
    run.out = junit && strcmp(junit, "-") == 0 ? stderr : stdout;
    run.color = cli_color_wanted(run.out);
    sources_init(&run.sources);
    facts_init(&run.facts, program);
    evaluation_init(&run.ev, program);
    FileResult *files = kdr_calloc((size_t)paths.len + 1, sizeof(FileResult));
    for (int i = 0; i < paths.len; i++)
        run_file(&run, paths.items[i], &files[i]);

    fprintf(run.out, "kader test: %u passed, %u failed", run.passed, run.failed);
    if (run.errors)
        fprintf(run.out, ", %u with errors", run.errors);
    if (run.skipped)
        fprintf(run.out, ", %u skipped", run.skipped);
    fprintf(run.out, " (%d file%s)\n", paths.len, paths.len == 1 ? "" : "s");
    status = run.errors ? 2 : run.failed ? 1 : 0;
    if (run.passed + run.failed + run.errors == 0 && run.filter) {
        fprintf(stderr, "kader test: no case name contains '%s'\n", run.filter);
        status = 2;
    }
    if (junit && write_junit(junit, files, (uint32_t)paths.len) != 0)
        status = 2;
    if (fflush(stdout) != 0) {
        fprintf(stderr, "kader test: cannot write the results: %s\n", strerror(errno));
        status = 2;
    }
    for (int i = 0; i < paths.len; i++) {
        for (uint32_t k = 0; k < files[i].n_cases; k++) {
            kdr_free(files[i].cases[k].name);
            kdr_free(files[i].cases[k].detail);
        }
        kdr_free(files[i].cases);
        kdr_free(files[i].path);
        kdr_free(files[i].error);
        kdr_free(paths.items[i]);
    }
    kdr_free(files);
    ptrvec_free(&paths);
    evaluation_free(&run.ev);
    facts_free(&run.facts);
    sources_free(&run.sources);
    program_free(program);
done:
    rule_options_free(&ro);
    return status;
}
