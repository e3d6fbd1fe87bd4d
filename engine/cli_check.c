/* cli_check.c — `kader check`: loads rule files with the standard library, reports every error,
 * and then the linter's warnings (engine/lint.c) about the user's own files, as text in GNU style
 * or as one JSON array. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "json.h"
#include "lint.h"
#include "load.h"

static const char check_help[] =
    "usage: kader check [OPTIONS] [PATH...]\n"
    "\n"
    "Loads and checks rule files (a .kdr file or a directory each) together with the standard\n"
    "library: syntax, names, types, cycles, imports. Then it warns about what loads but is\n"
    "probably a mistake, in the files given (not in the standard library):\n"
    "  unused-fact, unused-definition   declared, but no requirement, procedure, conclusion,\n"
    "                                   warning, label or lifecycle depends on it\n"
    "  unreachable-branch               a first-match branch that can never be taken\n"
    "  constant-condition               a condition that is the same whatever the facts\n"
    "  missing-ask                      a fact without the question the others have\n"
    "  replaced-requirement             a requirement that replaces one loaded earlier\n"
    "  silent-unknown                   a branch that gives unknown because of an 'is known' test\n"
    "                                   inside a definition, so that the report names no missing fact\n"
    "Without PATH the default rule set is checked.\n"
    "\n"
    "options:\n"
    "  -r, --rules PATH        also load PATH; repeatable\n"
    "      --no-stdlib         do not load the standard library\n"
    "      --strict            exit 1 when there are warnings\n"
    "  -f, --format FORMAT     text (default: messages on stderr) or json (one array on stdout of\n"
    "                          {file, line, column, severity, code, message, hint})\n"
    "  -q, --quiet             print nothing on success\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 the rules are valid, 1 warnings with --strict, 2 errors were found.\n";

/* ---- which files are the user's ---- */

/* A file is the user's unless it lies in the standard library's directory; a file or directory
 * the user named explicitly is theirs even there (so `kader check stdlib/` lints the stdlib). */
static bool *user_files(const Program *p, const RuleOptions *ro, char **paths, int n_paths)
{
    bool *user = kdr_calloc(p->sources.len + 1, sizeof(bool));
    char stdlib_real[PATH_MAX];
    const char *stdlib = ro->no_stdlib ? NULL : kader_stdlib_dir();
    bool have_stdlib = stdlib && realpath(stdlib, stdlib_real);
    PtrVec named = {0};
    for (int i = 0; i < ro->rule_paths.len + n_paths; i++) {
        const char *path = i < ro->rule_paths.len ? ro->rule_paths.items[i] : paths[i - ro->rule_paths.len];
        char real[PATH_MAX];
        if (realpath(path, real))
            ptrvec_push(&named, kdr_strdup(real));
    }
    for (uint32_t f = 1; f < p->sources.len; f++) {
        char real[PATH_MAX];
        if (!realpath(p->sources.files[f]->name, real)) {
            user[f] = true;
            continue;
        }
        bool under_stdlib = false;
        if (have_stdlib) {
            size_t n = strlen(stdlib_real);
            under_stdlib = strncmp(real, stdlib_real, n) == 0 && (real[n] == '/' || real[n] == '\0');
        }
        bool is_named = false;
        for (int k = 0; k < named.len && !is_named; k++) {
            const char *dir = named.items[k];
            size_t n = strlen(dir);
            is_named = strncmp(real, dir, n) == 0 && (real[n] == '/' || real[n] == '\0');
        }
        user[f] = !under_stdlib || is_named;
    }
    for (int k = 0; k < named.len; k++)
        kdr_free(named.items[k]);
    ptrvec_free(&named);
    return user;
}

/* ---- JSON ---- */

typedef struct JsonItem {
    const char *file;   /* NULL: no place */
    size_t file_len;
    int line, column;
    const char *severity;
    const char *code;   /* NULL for the loader's messages */
    Buf message, hint;
} JsonItem;

static void put_json_item(Buf *out, bool *first, const JsonItem *it)
{
    buf_puts(out, *first ? "\n  {" : ",\n  {");
    *first = false;
    buf_puts(out, "\"file\": ");
    if (it->file)
        json_string_n(out, it->file, it->file_len);
    else
        buf_puts(out, "null");
    if (it->line > 0)
        buf_printf(out, ", \"line\": %d, \"column\": %d", it->line, it->column);
    else
        buf_puts(out, ", \"line\": null, \"column\": null");
    buf_printf(out, ", \"severity\": \"%s\", \"code\": ", it->severity);
    if (it->code)
        json_string_n(out, it->code, strlen(it->code));
    else
        buf_puts(out, "null");
    buf_puts(out, ", \"message\": ");
    json_string_n(out, buf_str(&it->message), it->message.len);
    buf_puts(out, ", \"hint\": ");
    if (it->hint.len)
        json_string_n(out, buf_str(&it->hint), it->hint.len);
    else
        buf_puts(out, "null");
    buf_putc(out, '}');
}

static bool parse_level(const char *s, const char **level, size_t *len)
{
    static const char *const levels[] = {"error", "warning", "note"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(levels[i]);
        if (strncmp(s, levels[i], n) == 0 && s[n] == ':' && s[n + 1] == ' ') {
            *level = levels[i];
            *len = n + 2;
            return true;
        }
    }
    return false;
}

/* Turns the loader's messages, printed as "file:line:col: level: message", the source line, a
 * caret line and "hint: ..." lines, into JSON items: one parser for one format we print ourselves. */
static void json_from_diagnostics(Buf *out, bool *first, const char *text, size_t len)
{
    JsonItem it;
    bool open = false;
    const char *end = text + len;
    for (const char *line = text; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
        const char *next = nl ? nl + 1 : end;
        if (n == 0 || line[0] == ' ') { /* the excerpt of the line before */
            line = next;
            continue;
        }
        if (n > 6 && strncmp(line, "hint: ", 6) == 0 && open) {
            if (it.hint.len)
                buf_puts(&it.hint, "\n");
            buf_add(&it.hint, line + 6, n - 6);
            line = next;
            continue;
        }
        if (open) {
            put_json_item(out, first, &it);
            buf_free(&it.message);
            buf_free(&it.hint);
        }
        memset(&it, 0, sizeof it);
        open = true;
        it.severity = "error";
        const char *level;
        size_t level_len;
        bool placed = false;
        /* "kader: level: message" has no place; otherwise find ":LINE:COL: level: " */
        if (n > 7 && strncmp(line, "kader: ", 7) == 0 && parse_level(line + 7, &level, &level_len)) {
            it.severity = level;
            buf_add(&it.message, line + 7 + level_len, n - 7 - level_len);
            line = next;
            continue;
        }
        for (size_t i = 0; i < n && !placed; i++) {
            if (line[i] != ':')
                continue;
            char *after;
            long l = strtol(line + i + 1, &after, 10);
            if (after == line + i + 1 || *after != ':')
                continue;
            char *after2;
            long c = strtol(after + 1, &after2, 10);
            if (after2 == after + 1 || after2[0] != ':' || after2[1] != ' ' || after2 >= line + n)
                continue;
            if (!parse_level(after2 + 2, &level, &level_len))
                continue;
            it.file = line;
            it.file_len = i;
            it.line = (int)l;
            it.column = (int)c;
            it.severity = level;
            const char *msg = after2 + 2 + level_len;
            buf_add(&it.message, msg, (size_t)(line + n - msg));
            placed = true;
        }
        if (!placed)
            buf_add(&it.message, line, n);
        line = next;
    }
    if (open) {
        put_json_item(out, first, &it);
        buf_free(&it.message);
        buf_free(&it.hint);
    }
}

static void json_from_warning(Buf *out, bool *first, const Program *p, const LintWarning *w)
{
    JsonItem it;
    memset(&it, 0, sizeof it);
    const SourceFile *f = sources_get(&p->sources, w->loc.file);
    if (f) {
        it.file = f->name;
        it.file_len = strlen(f->name);
        source_line_col(f, w->loc.start, &it.line, &it.column);
    }
    it.severity = "warning";
    it.code = w->code;
    buf_puts(&it.message, w->message);
    if (w->hint)
        buf_puts(&it.hint, w->hint);
    put_json_item(out, first, &it);
    buf_free(&it.message);
    buf_free(&it.hint);
}

/* ---- the command ---- */

int kdr_cmd_check(int argc, char **argv)
{
    enum { OPT_STRICT = OPT_FIRST_FREE };
    static const struct option long_options[] = {
        {"rules", required_argument, NULL, 'r'},
        {"no-stdlib", no_argument, NULL, OPT_NO_STDLIB},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"format", required_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    RuleOptions ro = {0};
    bool quiet = false, strict = false, json = false;
    int status = 0;
    int opt;
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then forgets the state of an earlier parse in this process */
    while ((opt = getopt_long(argc, argv, ":r:f:qh", long_options, NULL)) != -1) {
        if (rule_options_parse(&ro, opt, optarg))
            continue;
        switch (opt) {
        case OPT_STRICT:
            strict = true;
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = true;
            else if (strcmp(optarg, "text") == 0)
                json = false;
            else {
                cli_usage_error("check", "unknown format '%s': expected text or json", optarg);
                status = 2;
                goto done;
            }
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(check_help, stdout);
            goto done;
        default:
            cli_option_error("check", opt, argv[optind - 1]);
            status = 2;
            goto done;
        }
    }

    /* The loader's messages are held back: when the rules load, its only remarks are the notes
     * on replaced requirements, which the linter reports as warnings instead. */
    char *captured = NULL;
    size_t captured_len = 0;
    FILE *capture = open_memstream(&captured, &captured_len);
    if (!capture) {
        fprintf(stderr, "kader check: cannot hold the messages: %s\n", strerror(errno));
        status = 2;
        goto done;
    }
    Diag diag;
    diag_init(&diag, NULL, capture);
    diag.color = !json && cli_color_wanted(stderr);
    char **paths = argv + optind;
    int n_paths = argc - optind;
    Program *program = rule_options_load(&ro, &diag, (const char *const *)paths, n_paths);
    fclose(capture);
    bool failed = !program;

    PtrVec warnings = {0};
    if (program) {
        bool *user = user_files(program, &ro, paths, n_paths);
        lint_program(program, user, &warnings);
        kdr_free(user);
    }

    if (json) {
        Buf out = {0};
        bool first = true;
        buf_putc(&out, '[');
        if (failed || diag.warnings)
            json_from_diagnostics(&out, &first, captured, captured_len);
        for (int i = 0; i < warnings.len; i++)
            json_from_warning(&out, &first, program, warnings.items[i]);
        buf_puts(&out, first ? "]\n" : "\n]\n");
        fwrite(out.data, 1, out.len, stdout);
        buf_free(&out);
    } else {
        if (failed || diag.warnings)
            fwrite(captured, 1, captured_len, stderr);
        if (program) {
            Diag wd;
            diag_init(&wd, &program->sources, stderr);
            wd.color = cli_color_wanted(stderr);
            for (int i = 0; i < warnings.len; i++) {
                const LintWarning *w = warnings.items[i];
                diag_at(&wd, DIAG_WARNING, w->loc, "%s [%s]", w->message, w->code);
                if (w->hint)
                    diag_hint(&wd, "%s", w->hint);
            }
            if (!quiet) {
                printf("ok: %u facts, %u definitions, %u requirements, %u procedures in %u files",
                       program->n_facts, program->n_lets, program->n_requirements, program->n_procedures,
                       program->sources.len - 1);
                if (warnings.len)
                    printf("; %d warning%s", warnings.len, warnings.len == 1 ? "" : "s");
                printf("\n");
            }
        }
    }
    status = failed ? 2 : strict && warnings.len ? 1 : 0;
    if (fflush(stdout) != 0) {
        fprintf(stderr, "kader check: cannot write the output: %s\n", strerror(errno));
        status = 2;
    }
    lint_free(&warnings);
    program_free(program);
    free(captured);
done:
    rule_options_free(&ro);
    return status;
}
