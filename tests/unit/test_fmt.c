/* test_fmt.c — unit test of `kader fmt` (engine/fmt.c, engine/cli_fmt.c): the two properties that
 * make a formatter safe, checked over every rule file in the repository, the examples in the
 * language reference and, when the corpus is there, the compiler's output for it:
 *   - meaning: the program parsed from the output equals the one parsed from the input;
 *   - stability: formatting the output again changes nothing.
 * Also: the program comparison itself notices a change in any one detail, and `fmt -w` rewrites a
 * file in place, keeping its permissions. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "fmt.h"
#include "load.h"
#include "parse.h"

static int failures;
static int files_checked;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

/* Parses text into a fresh program; NULL when it has errors. */
static Program *parse(const char *name, const char *text, size_t len, ParsedFile *out)
{
    Program *p = program_new();
    Diag diag;
    diag_init(&diag, &p->sources, NULL);
    uint32_t file = sources_add(&p->sources, name, kdr_strndup(text, len), len);
    memset(out, 0, sizeof *out);
    if (kdr_parse_range(p, file, 0, (uint32_t)len, &diag, out) != 0) {
        kdr_free(out->decls);
        program_free(p);
        return NULL;
    }
    return p;
}

/* Both properties for one text; a text that does not parse is skipped (fmt must say so). */
static void check_text(const char *name, const char *text, size_t len)
{
    ParsedFile in;
    Program *pin = parse(name, text, len, &in);
    char *out = NULL, *why = NULL;
    size_t out_len;
    FmtResult r = fmt_format(name, text, len, NULL, false, &out, &out_len, &why);
    if (!pin) {
        if (r != FMT_SYNTAX) {
            fprintf(stderr, "%s: does not parse, but fmt gave %d\n", name, r);
            failures++;
        }
        kdr_free(out);
        kdr_free(why);
        return;
    }
    files_checked++;
    if (r != FMT_OK) {
        fprintf(stderr, "%s: fmt failed: %s\n", name, why ? why : "(syntax)");
        failures++;
    } else {
        ParsedFile again;
        Program *pout = parse(name, out, out_len, &again);
        Buf diff = {0};
        if (!pout) {
            fprintf(stderr, "%s: the formatted text does not parse\n", name);
            failures++;
        } else if (!fmt_same_file(&in, &again, &diff)) {
            fprintf(stderr, "%s: the formatted text means something else: %s\n", name, buf_str(&diff));
            failures++;
        }
        char *twice = NULL, *why2 = NULL;
        size_t twice_len;
        if (fmt_format(name, out, out_len, NULL, false, &twice, &twice_len, &why2) != FMT_OK ||
            twice_len != out_len || memcmp(twice, out, out_len) != 0) {
            fprintf(stderr, "%s: formatting twice is not formatting once\n", name);
            failures++;
        }
        kdr_free(twice);
        kdr_free(why2);
        buf_free(&diff);
        if (pout) {
            kdr_free(again.decls);
            program_free(pout);
        }
        /* No line of the result ends in white space or holds a tab outside strings and comments. */
        for (size_t i = 0; i < out_len; i++)
            if (out[i] == '\n' && i > 0 && out[i - 1] == ' ') {
                fprintf(stderr, "%s: a formatted line ends in a space\n", name);
                failures++;
                break;
            }
    }
    kdr_free(out);
    kdr_free(why);
    kdr_free(in.decls);
    program_free(pin);
}

static void check_file(const char *path)
{
    size_t len;
    char *text = read_whole_file(path, &len);
    if (!text) {
        fprintf(stderr, "%s: cannot read\n", path);
        failures++;
        return;
    }
    check_text(path, text, len);
    kdr_free(text);
}

static void check_dir(const char *dir, bool recurse)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && recurse)
            check_dir(path, true);
        else if (S_ISREG(st.st_mode) && str_ends_with(path, ".kdr"))
            check_file(path);
    }
    closedir(d);
}

/* The ```kader blocks of a Markdown document. */
static void check_markdown(const char *path)
{
    size_t len;
    char *text = read_whole_file(path, &len);
    if (!text)
        return;
    const char *p = text;
    int n = 0;
    while ((p = strstr(p, "```kader\n")) != NULL) {
        const char *start = p + 9;
        const char *end = strstr(start, "\n```");
        if (!end)
            break;
        char name[4200];
        snprintf(name, sizeof name, "%s (block %d)", path, ++n);
        check_text(name, start, (size_t)(end - start) + 1);
        p = end + 4;
    }
    kdr_free(text);
}

/* ---- the comparison notices every kind of change ---- */

static void check_comparison(void)
{
    static const struct {
        const char *a, *b;
        bool same;
    } pairs[] = {
        {"let x = a and b", "let x =\n  a\n  and b  # same", true},
        {"let x = (a and b) or c", "let x = a and b or c", true},
        {"requirement \"r\" { title \"t\" phase a }", "requirement \"r\" {\n  phase a\n  title \"t\"\n}", true},
        {"let x = a and b", "let x = a or b", false},
        {"let x = a and (b or c)", "let x = a and b or c", false},
        {"let x = \"a\"", "let x = \"b\"", false},
        {"let x = 1", "let x = 1.5", false},
        {"let x = 2026-01-01", "let x = 2026-01-02", false},
        {"let x = {\"a\"}", "let x = {\"a\", \"b\"}", false},
        {"let x = a.b", "let x = a.\"b\"", true},
        {"let x = a.b", "let x = a.c", false},
        {"let x = count(a)", "let x = union(a)", false},
        {"let x = first { when a: 1 otherwise: 2 }", "let x = first { when a: 2 otherwise: 1 }", false},
        {"label x = {\"a\"}", "let x = {\"a\"}", false},
        {"let x = unknown", "default let x = unknown", false},
        {"fact f : bool ask \"q\"", "fact f : bool ask \"r\"", false},
        {"fact f : one of {a, b}", "fact f : one of {b, a}", false},
        {"fact f : number in 1..8", "fact f : number in 1..9", false},
        {"fact f : bool default true", "fact f : bool", false},
        {"fact f = a.b : bool", "fact f = a.c : bool", false},
        {"requirement \"r\" { title \"t\" source \"a\" source \"b\" }",
         "requirement \"r\" { title \"t\" source \"a\", \"b\" }", true},
        {"requirement \"r\" { title \"t\" source \"a\" }", "requirement \"r\" { title \"t\" source \"b\" }", false},
        {"requirement \"r\" { title \"t\" measure \"m\" \"x\" }", "requirement \"r\" { title \"t\" measure \"m\" }", false},
        {"requirement \"r\" { title \"t\" meta k \"v\" }", "requirement \"r\" { title \"t\" meta k \"w\" }", false},
        {"requirement \"r\" { title \"t\" in force from 2026-01-01 }", "requirement \"r\" { title \"t\" }", false},
        {"procedure p \"P\" { route first { when a: x \"y\" } }", "procedure p \"P\" { route first { when a: x \"z\" } }", false},
        {"procedure p \"P\" { again when a }", "procedure p \"P\" { required when a }", false},
        {"lifecycle { phases a, b current c }", "lifecycle { phases b, a current c }", false},
        {"conclusion \"c\" { text \"t\" when a }", "conclusion \"c\" { text \"u\" when a }", false},
        {"warning w \"t\" when a", "warning w \"t\" when b", false},
        {"import \"a\"", "import \"b\"", false},
        {"let x = a\nlet y = b", "let y = b\nlet x = a", false},
        {"let x = a", "let x = a\nlet y = b", false},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        ParsedFile a, b;
        Program *pa = parse("a", pairs[i].a, strlen(pairs[i].a), &a);
        Program *pb = parse("b", pairs[i].b, strlen(pairs[i].b), &b);
        if (!pa || !pb) {
            fprintf(stderr, "comparison case %zu does not parse\n", i);
            failures++;
        } else {
            Buf why = {0};
            bool same = fmt_same_file(&a, &b, &why);
            if (same != pairs[i].same) {
                fprintf(stderr, "comparison case %zu: expected %s, got %s (%s)\n", i,
                        pairs[i].same ? "same" : "different", same ? "same" : "different", buf_str(&why));
                failures++;
            }
            buf_free(&why);
        }
        if (pa) {
            kdr_free(a.decls);
            program_free(pa);
        }
        if (pb) {
            kdr_free(b.decls);
            program_free(pb);
        }
    }
}

/* ---- fmt -w and --check through the command ---- */

/* Runs `kader fmt OPTION PATH` in this process, its output and messages silenced. */
static int run_fmt(const char *option, const char *path)
{
    char name[] = "fmt", opt[64], file[4096];
    snprintf(opt, sizeof opt, "%s", option);
    snprintf(file, sizeof file, "%s", path);
    char *argv[] = {name, opt, file, NULL};
    int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY);
    fflush(stdout);
    fflush(stderr);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    int rc = kdr_cmd_fmt(3, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, STDOUT_FILENO);
    dup2(saved_err, STDERR_FILENO);
    close(saved_out);
    close(saved_err);
    close(null);
    return rc;
}

static void check_write(const char *tmpdir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/rules.kdr", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("fact   a:bool\nlet b=a  # why\n", f);
    fclose(f);
    chmod(path, 0640);
    CHECK(run_fmt("--check", path) == 1);
    CHECK(run_fmt("-w", path) == 0);
    size_t len;
    char *text = read_whole_file(path, &len);
    CHECK(text && strcmp(text, "fact a : bool\nlet b = a  # why\n") == 0);
    kdr_free(text);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
    CHECK(run_fmt("--check", path) == 0);
    /* a file with an error is left as it is */
    f = fopen(path, "w");
    fputs("let b = \n", f);
    fclose(f);
    CHECK(run_fmt("-w", path) == 2);
    text = read_whole_file(path, &len);
    CHECK(text && strcmp(text, "let b = \n") == 0);
    kdr_free(text);
    unlink(path);
}

/* ---- the compiler's output for the corpus ---- */

static void check_corpus(const char *root, const char *tmpdir)
{
    char corpus[4096], out[4096];
    snprintf(corpus, sizeof corpus, "%s/../shared/corpus/algoritmekader-2026/vereisten", root);
    struct stat st;
    if (stat(corpus, &st) != 0) {
        printf("test_fmt: no corpus at %s; its compiled output is not checked\n", corpus);
        return;
    }
    char corpus24[4096];
    snprintf(corpus24, sizeof corpus24, "%s/../shared/corpus/algoritmekader-2024/vereisten", root);
    snprintf(out, sizeof out, "%s/compiled", tmpdir);
    char name[] = "compile", option[] = "-o";
    char *argv[] = {name, corpus, corpus24, option, out, NULL};
    int saved = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY);
    fflush(stderr);
    dup2(null, STDERR_FILENO);
    int rc = kdr_cmd_compile(5, argv);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(null);
    if (rc != 0) {
        printf("test_fmt: kader compile gave status %d on the corpus; its output is not checked\n", rc);
        return;
    }
    int before = files_checked;
    check_dir(out, false);
    printf("test_fmt: %d compiled corpus files checked\n", files_checked - before);
    CHECK(files_checked - before > 100);
    DIR *d = opendir(out);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", out, e->d_name);
        if (e->d_name[0] != '.')
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(out);
}

int main(void)
{
    const char *stdlib = kader_stdlib_dir();
    if (!stdlib) {
        fprintf(stderr, "test_fmt: cannot find the source tree\n");
        return 1;
    }
    char root[4096];
    snprintf(root, sizeof root, "%s/..", stdlib);
    char dir[4200];
    clock_t start = clock();

    check_comparison();
    snprintf(dir, sizeof dir, "%s/stdlib", root);
    check_dir(dir, false);
    snprintf(dir, sizeof dir, "%s/rules", root);
    check_dir(dir, false);
    snprintf(dir, sizeof dir, "%s/tests", root);
    check_dir(dir, true);
    snprintf(dir, sizeof dir, "%s/docs/LANGUAGE.md", root);
    check_markdown(dir);
    int repo_files = files_checked;
    CHECK(repo_files > 50);

    char tmpdir[] = "/tmp/kader-test-fmt-XXXXXX";
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    check_write(tmpdir);
    check_corpus(root, tmpdir);
    rmdir(tmpdir);

    printf("test_fmt: %d repository files and examples, %d in all, %.2f s\n", repo_files, files_checked,
           (double)(clock() - start) / CLOCKS_PER_SEC);
    if (failures) {
        fprintf(stderr, "test_fmt: %d failures\n", failures);
        return 1;
    }
    return 0;
}
