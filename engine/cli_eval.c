/* cli_eval.c — `kader eval`, and what the subcommands share: option parsing, loading the rule program
 * (stdlib, default rules or --rules), loading facts, evaluating, and printing reports. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
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

void cli_option_error(const char *command, int opt, const char *option)
{
    if (opt == ':')
        cli_usage_error(command, "option '%s' needs a value", option);
    else
        cli_usage_error(command, "unknown option '%s'", option);
}

bool cli_parse_date(const char *command, const char *arg, int32_t *date)
{
    if (date_parse(arg, strlen(arg), date) == DATE_OK)
        return true;
    cli_usage_error(command, "invalid --date '%s': expected a real date as YYYY-MM-DD", arg);
    return false;
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
    "       kader eval --batch [OPTIONS] PATH...\n"
    "       kader eval --jsonl FILE [OPTIONS]\n"
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
    "  -s, --set PATH=VALUE    set one fact of every system, overriding the facts file; repeatable\n"
    "  -f, --format FORMAT     text (default), json, md (Markdown) or html (one self-contained\n"
    "                          page, for one facts file)\n"
    "      --fail-on WHAT      exit 1 when a result is WHAT, after printing everything:\n"
    "                          'undetermined' (a requirement, a procedure, its route or 'again',\n"
    "                          or the conclusion) or 'applies' (a requirement); repeatable or\n"
    "                          comma-separated (--fail-on undetermined,applies)\n"
    "  -h, --help              show this help\n"
    "\n"
    "batch (a register of systems in one run):\n"
    "      --batch             each PATH is a facts file or a directory, walked for *.yaml, *.yml\n"
    "                          and *.json in name order (hidden entries skipped)\n"
    "      --jsonl FILE        read systems from JSON Lines, one facts object per line ('-' is\n"
    "                          stdin; blank lines are skipped); repeatable; implies --batch\n"
    "  -q, --quiet             no progress bar, no summary and no notes on stderr\n"
    "\n"
    "A batch prints one compact JSON report per input, in input order, with \"source\": the file,\n"
    "or FILE:LINE for JSON Lines. An input that cannot be read or evaluated gets the line\n"
    "  {\"schema\":...,\"source\":...,\"error\":{\"message\":...,\"line\":...,\"column\":...}}\n"
    "instead (its diagnostic goes to stderr) and the batch goes on. On a terminal, stderr shows a\n"
    "progress bar; a summary follows at the end. Without --batch, several facts files with\n"
    "--format json also give one JSON object per line.\n"
    "\n"
    "environment: KADER_PATH (directories searched for imports), KADER_HOME, NO_COLOR.\n"
    "exit status: 0 evaluated; 1 a result matched --fail-on; 2 usage, rule or facts error (in a\n"
    "batch: some input failed), which wins over 1.\n";

typedef enum ReportFormat { FORMAT_TEXT, FORMAT_JSON, FORMAT_MD, FORMAT_HTML } ReportFormat;

enum { FAIL_ON_UNDETERMINED = 1, FAIL_ON_APPLIES = 2 };
enum { OPT_BATCH = OPT_FIRST_FREE, OPT_JSONL, OPT_FAIL_ON };

/* A JSON Lines line, like a facts text, is at most 64 MiB (offsets in sources are 32-bit). */
enum { JSONL_MAX_LINE = 64 * 1024 * 1024 };

typedef struct EvalInput {
    char *path; /* an argument of argv */
    bool jsonl;
} EvalInput;

typedef struct Progress {
    bool enabled;
    bool total_known;
    uint64_t total, done;
    double start, last_draw;
    int width; /* characters of the bar line now on the terminal, to blank it */
} Progress;

typedef struct FirstError {
    char *message; /* NULL until an error was reported */
    int line, column;
} FirstError;

/* What every system of a run shares: the program, the reused facts and evaluation, and the
 * sources of the current input. The facts texts of an input are kept only until the next input
 * starts, so a batch of any length runs in the same memory. */
typedef struct EvalRun {
    const Program *program;
    Facts facts;
    Evaluation ev;
    Sources sources;
    const PtrVec *sets;
    bool has_date;
    int32_t date;
    unsigned fail_on;
    bool fail_on_matched;
    bool stderr_color;
    Buf out;
    ReportCache report_cache; /* the JSON reports' parts that only the program decides */
    /* batch */
    Progress progress;
    uint64_t systems, failed, applies, undetermined, matched;
    bool stopped; /* writing the output failed */
} EvalRun;

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Forgets the previous input's facts and texts. */
static void run_reset_input(EvalRun *run)
{
    sources_free(&run->sources);
    sources_init(&run->sources);
    facts_clear(&run->facts);
}

/* Applies the --set assignments and evaluates; -1 when the facts had errors (reported). */
static int run_evaluate(EvalRun *run, Diag *diag, int errors_before)
{
    for (int k = 0; k < run->sets->len; k++)
        facts_set(&run->facts, &run->sources, run->sets->items[k], diag);
    if (diag->errors != errors_before)
        return -1;
    facts_apply_defaults(&run->facts);
    int32_t today = run->has_date ? run->date : run->facts.has_date ? run->facts.date : date_today();
    evaluate(&run->ev, &run->facts, today);
    return 0;
}

static bool fail_on_matches(const Evaluation *ev, unsigned fail_on)
{
    const Program *p = ev->program;
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        uint8_t st = ev->requirements[i].status;
        if (((fail_on & FAIL_ON_UNDETERMINED) && st == ST_UNDETERMINED) ||
            ((fail_on & FAIL_ON_APPLIES) && st == ST_APPLIES))
            return true;
    }
    if (!(fail_on & FAIL_ON_UNDETERMINED))
        return false;
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureResult *r = &ev->procedures[i];
        if (r->status == ST_UNDETERMINED ||
            (r->status == ST_APPLIES && (r->route_undetermined || !val_is_known(r->again))))
            return true;
    }
    return ev->conclusion_undetermined;
}

/* "undetermined,applies" -> flags. On a word that is neither, reports it and returns false. */
static bool parse_fail_on(const char *arg, unsigned *flags)
{
    const char *p = arg;
    for (;;) {
        size_t n = strcspn(p, ",");
        if (n == 12 && strncmp(p, "undetermined", n) == 0)
            *flags |= FAIL_ON_UNDETERMINED;
        else if (n == 7 && strncmp(p, "applies", n) == 0)
            *flags |= FAIL_ON_APPLIES;
        else {
            cli_usage_error("eval", "unknown --fail-on value '%.*s': expected undetermined or applies (or both, comma-separated)",
                            (int)n, p);
            return false;
        }
        if (!p[n])
            return true;
        p += n + 1;
    }
}

/* ---- one facts file at a time ---- */

static int eval_files(EvalRun *run, Diag *diag, const PtrVec *files, ReportFormat format)
{
    int status = 0;
    bool color = format == FORMAT_TEXT && cli_color_wanted(stdout);
    int runs = files->len ? files->len : 1, printed = 0;
    for (int i = 0; i < runs; i++) {
        const char *path = files->len ? files->items[i] : NULL;
        run_reset_input(run);
        diag->sources = &run->sources;
        int errors_before = diag->errors;
        if (path)
            facts_load_file(&run->facts, &run->sources, path, diag);
        if (run_evaluate(run, diag, errors_before) != 0) {
            status = 2;
            continue;
        }
        if (run->fail_on && fail_on_matches(&run->ev, run->fail_on))
            run->fail_on_matched = true;
        buf_clear(&run->out);
        switch (format) {
        case FORMAT_JSON:
            report_json_cached(&run->out, &run->ev, path, runs == 1, &run->report_cache);
            break;
        case FORMAT_TEXT:
            if (printed > 0)
                buf_puts(&run->out, "\n");
            report_text(&run->out, &run->ev, path, color);
            break;
        case FORMAT_MD:
            if (printed > 0)
                buf_puts(&run->out, "\n---\n\n");
            report_md(&run->out, &run->ev, path);
            break;
        case FORMAT_HTML:
            report_html(&run->out, &run->ev, path);
            break;
        }
        fwrite(run->out.data, 1, run->out.len, stdout);
        printed++;
    }
    return status;
}

/* ---- batch: progress on a terminal ---- */

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

static void progress_clear(Progress *pg)
{
    if (!pg->enabled || pg->width == 0)
        return;
    fprintf(stderr, "\r%*s\r", pg->width, "");
    pg->width = 0;
}

static void format_duration(char *out, size_t size, double seconds)
{
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(out, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, size, "%ld:%02ld", s / 60, s % 60);
}

/* Redraws the bar at most ten times a second: drawing is slow compared with evaluating. */
static void progress_update(Progress *pg)
{
    if (!pg->enabled)
        return;
    double now = monotonic_seconds();
    if (now - pg->last_draw < 0.1)
        return;
    pg->last_draw = now;
    double elapsed = now - pg->start;
    double rate = elapsed > 0 ? (double)pg->done / elapsed : 0;
    char text[160], eta[32] = "";
    int columns = terminal_width() - 1;
    int n;
    if (pg->total_known && pg->total > 0) {
        uint64_t total = pg->total > pg->done ? pg->total : pg->done;
        if (rate > 0) {
            char d[24];
            format_duration(d, sizeof d, (double)(total - pg->done) / rate);
            snprintf(eta, sizeof eta, "  ETA %s", d);
        }
        n = snprintf(text, sizeof text, "  %llu/%llu  %3d%%  %.0f/s%s", (unsigned long long)pg->done,
                     (unsigned long long)total, (int)(100.0 * (double)pg->done / (double)total), rate, eta);
        int bar = columns - n - 2;
        if (bar > 40)
            bar = 40;
        if (bar < 10)
            bar = 0;
        fputc('\r', stderr);
        if (bar) {
            int filled = (int)((double)bar * (double)pg->done / (double)total);
            fputc('[', stderr);
            for (int i = 0; i < bar; i++)
                fputc(i < filled ? '#' : '.', stderr);
            fputc(']', stderr);
        }
        fputs(text, stderr);
        n += bar ? bar + 2 : 0;
    } else {
        n = snprintf(text, sizeof text, "%llu systems  %.0f/s", (unsigned long long)pg->done, rate);
        fputc('\r', stderr);
        fputs(text, stderr);
    }
    if (n < pg->width)
        fprintf(stderr, "%*s", pg->width - n, "");
    pg->width = n > pg->width ? n : pg->width;
    fflush(stderr);
}

/* ---- batch: one line per input ---- */

static void first_error_sink(void *ud, DiagLevel level, bool is_hint, const char *file, int line, int col,
                             const char *message)
{
    (void)file;
    FirstError *fe = ud;
    if (level != DIAG_ERROR || is_hint || fe->message)
        return;
    fe->message = kdr_strdup(message);
    fe->line = line;
    fe->column = col;
}

/* A JSON Lines line is handed to the facts loader as a text of its own, so its messages say
 * line 1; this rewrites "NAME:1:COL:" to "NAME:COL:" (NAME is "FILE:LINE") and the excerpt's
 * line number to the line in the file. */
static void print_jsonl_diagnostics(const char *text, size_t len, const char *name, unsigned long long line)
{
    char number[24];
    int digits = snprintf(number, sizeof number, "%llu", line);
    size_t name_len = strlen(name);
    const char *end = text + len;
    for (const char *p = text; p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        const char *q = p;
        if ((size_t)(end - q) >= 4 && memcmp(q, "\033[1m", 4) == 0) /* the bold of a coloured location */
            q += 4;
        if ((size_t)(end - q) > name_len + 3 && memcmp(q, name, name_len) == 0 && memcmp(q + name_len, ":1:", 3) == 0) {
            fwrite(p, 1, (size_t)(q - p) + name_len + 1, stderr);
            fwrite(q + name_len + 3, 1, (size_t)(next - (q + name_len + 3)), stderr);
        } else if ((size_t)(end - p) >= 5 && memcmp(p, " 1 | ", 5) == 0) {
            fprintf(stderr, " %s | ", number);
            fwrite(p + 5, 1, (size_t)(next - (p + 5)), stderr);
        } else if ((size_t)(end - p) >= 5 && memcmp(p, "   | ", 5) == 0) {
            fprintf(stderr, " %*s | ", digits, "");
            fwrite(p + 5, 1, (size_t)(next - (p + 5)), stderr);
        } else {
            fwrite(p, 1, (size_t)(next - p), stderr);
        }
        p = next;
    }
}

typedef struct BatchItem {
    const char *source;   /* the name in the output line */
    const char *path;     /* a facts file, or NULL */
    const char *text;     /* a JSON Lines line, or NULL */
    size_t len;
    unsigned long long line; /* of the JSON Lines line */
} BatchItem;

/* When stdout cannot be written (a full disk), the rest of the batch would be lost as well:
 * stop, and let the caller report it. */
static void batch_write(EvalRun *run)
{
    if (fwrite(run->out.data, 1, run->out.len, stdout) != run->out.len || ferror(stdout))
        run->stopped = true;
}

static void batch_record_error(EvalRun *run, const char *source, const char *message, int line, int column)
{
    buf_clear(&run->out);
    report_json_error(&run->out, source, message, line, column);
    batch_write(run);
    run->failed++;
}

/* Evaluates one input and prints its line: the report, or the error. */
static void batch_run_item(EvalRun *run, const BatchItem *item)
{
    run->systems++;
    run_reset_input(run);
    char *captured = NULL;
    size_t captured_len = 0;
    FILE *capture = open_memstream(&captured, &captured_len);
    FirstError first = {0};
    Diag diag;
    diag_init(&diag, &run->sources, capture ? capture : stderr);
    diag.color = run->stderr_color;
    diag.sink = first_error_sink;
    diag.sink_ud = &first;

    if (item->path) {
        facts_load_file(&run->facts, &run->sources, item->path, &diag);
    } else {
        /* JSON Lines holds JSON objects only: the facts loader would take other text as YAML. */
        size_t at = item->line == 1 && item->len >= 3 && memcmp(item->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        while (at < item->len && (item->text[at] == ' ' || item->text[at] == '\t'))
            at++;
        if (item->text[at] == '{') {
            facts_load_text(&run->facts, &run->sources, item->source, item->text, item->len, &diag);
        } else {
            uint32_t file = sources_add(&run->sources, item->source, kdr_strndup(item->text, item->len), item->len);
            KdrLoc loc = {file, (uint32_t)at, (uint32_t)at + 1};
            diag_at(&diag, DIAG_ERROR, loc, "expected a JSON object: each line of JSON Lines holds the facts of one system");
            diag_hint(&diag, "write the facts as {\"naam\": \"...\", ...} on one line");
        }
    }
    int rc = run_evaluate(run, &diag, 0);
    if (capture)
        fclose(capture);

    if (rc != 0) {
        progress_clear(&run->progress);
        if (captured && item->text)
            print_jsonl_diagnostics(captured, captured_len, item->source, item->line);
        else if (captured)
            fwrite(captured, 1, captured_len, stderr);
        int line = first.line, column = first.column;
        if (item->text && line > 0)
            line = (int)item->line; /* the line in the JSON Lines file; the column is the same */
        batch_record_error(run, item->source, first.message ? first.message : "the facts have errors", line, column);
    } else {
        buf_clear(&run->out);
        report_json_cached(&run->out, &run->ev, item->source, false, &run->report_cache);
        batch_write(run);
        uint32_t counts[3];
        report_count(&run->ev, counts);
        run->applies += counts[ST_APPLIES];
        run->undetermined += counts[ST_UNDETERMINED];
        if (run->fail_on && fail_on_matches(&run->ev, run->fail_on)) {
            run->fail_on_matched = true;
            run->matched++;
        }
    }
    kdr_free(first.message);
    free(captured); /* allocated by open_memstream */
    run->progress.done++;
    progress_update(&run->progress);
}

/* A failure that is not about one facts text (a directory that cannot be read, a read error in
 * a JSON Lines file): a plain diagnostic and an error line. */
static void batch_fail_plain(EvalRun *run, const char *source, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void batch_fail_plain(EvalRun *run, const char *source, const char *fmt, ...)
{
    Buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    progress_clear(&run->progress);
    fprintf(stderr, run->stderr_color ? "kader: \033[1;31merror:\033[0m %s\n" : "kader: error: %s\n", buf_str(&msg));
    run->systems++;
    batch_record_error(run, source, buf_str(&msg), 0, 0);
    buf_free(&msg);
    run->progress.done++;
    progress_update(&run->progress);
}

static bool is_facts_file_name(const char *name)
{
    static const char *const extensions[] = {".yaml", ".yml", ".json", ".YAML", ".YML", ".JSON"};
    for (size_t i = 0; i < KDR_ARRAY_LEN(extensions); i++)
        if (str_ends_with(name, extensions[i]) && strlen(name) > strlen(extensions[i]))
            return true;
    return false;
}

/* The directories above the one being walked, so that a symbolic link back up is not followed
 * for ever. */
typedef struct DirAncestor {
    dev_t dev;
    ino_t ino;
    const struct DirAncestor *up;
} DirAncestor;

/* Walks dir in name order: evaluates (or, when counting, counts) each facts file. */
static void batch_walk(EvalRun *run, const char *dir, const DirAncestor *up, bool counting)
{
    PtrVec names = {0};
    int listed = dir_names_sorted(dir, &names);
    int read_error = listed ? errno : 0;
    if (listed < 0) {
        if (counting)
            run->progress.total++;
        else
            batch_fail_plain(run, dir, "cannot read directory '%s': %s", dir, strerror(read_error));
        return;
    }
    Buf path = {0};
    size_t dir_len = strlen(dir);
    bool slash = dir_len > 0 && dir[dir_len - 1] == '/';
    for (int i = 0; i < names.len && !run->stopped; i++) {
        const char *name = names.items[i];
        buf_clear(&path);
        buf_printf(&path, "%s%s%s", dir, slash ? "" : "/", name);
        struct stat st;
        if (stat(buf_str(&path), &st) != 0) {
            /* A dangling link named like a facts file is an input that cannot be read. */
            if (is_facts_file_name(name)) {
                if (counting)
                    run->progress.total++;
                else
                    batch_run_item(run, &(BatchItem){.source = buf_str(&path), .path = buf_str(&path)});
            }
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            bool loop = false;
            for (const DirAncestor *a = up; a && !loop; a = a->up)
                loop = a->dev == st.st_dev && a->ino == st.st_ino;
            if (loop) {
                if (!counting) {
                    progress_clear(&run->progress);
                    fprintf(stderr, "kader: warning: not following '%s': it leads back to a directory above it\n",
                            buf_str(&path));
                }
                continue;
            }
            DirAncestor here = {st.st_dev, st.st_ino, up};
            batch_walk(run, buf_str(&path), &here, counting);
        } else if (S_ISREG(st.st_mode) && is_facts_file_name(name)) {
            /* Only regular files: a pipe or a device in a tree would block or never end. */
            if (counting)
                run->progress.total++;
            else
                batch_run_item(run, &(BatchItem){.source = buf_str(&path), .path = buf_str(&path)});
        }
    }
    if (read_error) {
        if (counting)
            run->progress.total++;
        else
            batch_fail_plain(run, dir, "cannot read directory '%s' to the end: %s", dir, strerror(read_error));
    }
    buf_free(&path);
    ptrvec_free_all(&names);
}

/* Reads one line (without its '\n' or '\r\n') into line; false at the end of the input. A line
 * longer than JSONL_MAX_LINE is read to its end but not kept: *too_long says so. */
static bool read_line(FILE *f, Buf *line, bool *too_long)
{
    buf_clear(line);
    *too_long = false;
    int c;
    bool any = false;
    char chunk[4096];
    size_t n = 0;
    while ((c = getc_unlocked(f)) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (*too_long)
            continue;
        chunk[n++] = (char)c;
        if (n == sizeof chunk) {
            buf_add(line, chunk, n);
            n = 0;
            if (line->len > JSONL_MAX_LINE) {
                *too_long = true;
                buf_clear(line);
            }
        }
    }
    if (n && !*too_long)
        buf_add(line, chunk, n);
    if (line->len > JSONL_MAX_LINE) {
        *too_long = true;
        buf_clear(line);
    }
    if (line->len && line->data[line->len - 1] == '\r')
        line->data[--line->len] = '\0';
    if (!line->data)
        buf_add(line, "", 0);
    return any;
}

static bool is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

static void batch_jsonl(EvalRun *run, const char *path, bool counting)
{
    bool from_stdin = strcmp(path, "-") == 0;
    if (counting && from_stdin) {
        run->progress.total_known = false; /* a stream: its length is known only at its end */
        return;
    }
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        if (counting)
            run->progress.total++;
        else
            batch_fail_plain(run, path, "cannot read '%s': %s", path, strerror(errno));
        return;
    }
    Buf line = {0}, source = {0};
    unsigned long long number = 0;
    bool too_long;
    while (!run->stopped && read_line(f, &line, &too_long)) {
        number++;
        if (!too_long && is_blank(line.data, line.len))
            continue;
        if (counting) {
            run->progress.total++;
            continue;
        }
        buf_clear(&source);
        buf_printf(&source, "%s:%llu", path, number);
        if (too_long)
            batch_fail_plain(run, buf_str(&source), "%s: the line is longer than 64 MiB", buf_str(&source));
        else
            batch_run_item(run, &(BatchItem){.source = buf_str(&source), .text = line.data, .len = line.len, .line = number});
    }
    if (ferror(f)) {
        if (counting)
            run->progress.total++;
        else
            batch_fail_plain(run, path, "cannot read '%s' to the end: %s", path, strerror(errno));
    }
    if (!from_stdin)
        fclose(f);
    buf_free(&line);
    buf_free(&source);
}

static void batch_input(EvalRun *run, const EvalInput *in, bool counting)
{
    if (in->jsonl) {
        batch_jsonl(run, in->path, counting);
        return;
    }
    struct stat st;
    if (strcmp(in->path, "-") != 0 && stat(in->path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DirAncestor top = {st.st_dev, st.st_ino, NULL};
        batch_walk(run, in->path, &top, counting);
    } else if (counting) {
        run->progress.total++;
    } else {
        /* Named explicitly, a file is read whatever its name; a missing one is a failed input. */
        batch_run_item(run, &(BatchItem){.source = in->path, .path = in->path});
    }
}

static void batch_summary(const EvalRun *run, double seconds)
{
    fprintf(stderr, "kader: %llu system%s", (unsigned long long)run->systems, run->systems == 1 ? "" : "s");
    if (run->failed)
        fprintf(stderr, " (%llu failed)", (unsigned long long)run->failed);
    fprintf(stderr, " in %.2f s", seconds);
    if (seconds > 0 && run->systems)
        fprintf(stderr, ", %.0f/s", (double)run->systems / seconds);
    fprintf(stderr, " · requirements: %llu apply, %llu undetermined", (unsigned long long)run->applies,
            (unsigned long long)run->undetermined);
    if (run->fail_on)
        fprintf(stderr, " · %llu system%s matched --fail-on", (unsigned long long)run->matched,
                run->matched == 1 ? "" : "s");
    fputc('\n', stderr);
}

static int eval_batch(EvalRun *run, const EvalInput *inputs, int n_inputs, bool quiet)
{
    run->stderr_color = cli_color_wanted(stderr);
    Progress *pg = &run->progress;
    pg->enabled = !quiet && isatty(STDERR_FILENO);
    if (pg->enabled) {
        pg->total_known = true;
        for (int i = 0; i < n_inputs; i++)
            batch_input(run, &inputs[i], true);
    }
    pg->start = pg->last_draw = monotonic_seconds();
    for (int i = 0; i < n_inputs && !run->stopped; i++)
        batch_input(run, &inputs[i], false);
    progress_clear(pg);
    if (!quiet)
        batch_summary(run, monotonic_seconds() - pg->start);
    return run->failed ? 2 : 0;
}

int kdr_cmd_eval(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"rules", required_argument, NULL, 'r'},
        {"no-stdlib", no_argument, NULL, OPT_NO_STDLIB},
        {"date", required_argument, NULL, 'd'},
        {"set", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"fail-on", required_argument, NULL, OPT_FAIL_ON},
        {"batch", no_argument, NULL, OPT_BATCH},
        {"jsonl", required_argument, NULL, OPT_JSONL},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    RuleOptions ro = {0};
    PtrVec sets = {0}, files = {0};
    EvalInput *inputs = kdr_calloc((size_t)argc + 1, sizeof *inputs);
    int n_inputs = 0;
    ReportFormat format = FORMAT_TEXT;
    bool format_given = false, batch = false, quiet = false;
    bool has_date = false;
    int32_t date = 0;
    unsigned fail_on = 0;
    int status = 0;
    int opt;
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then forgets the state of an earlier parse in this process */
    /* '-': operands come back in place (as option 1), so that facts files and --jsonl inputs
     * keep the order in which they were given. */
    while ((opt = getopt_long(argc, argv, "-:r:d:s:f:qh", long_options, NULL)) != -1) {
        if (rule_options_parse(&ro, opt, optarg))
            continue;
        switch (opt) {
        case 1:
            inputs[n_inputs++] = (EvalInput){.path = optarg};
            break;
        case 'd':
            if (!cli_parse_date("eval", optarg, &date)) {
                status = 2;
                goto done;
            }
            has_date = true;
            break;
        case 's':
            ptrvec_push(&sets, optarg);
            break;
        case 'f':
            format_given = true;
            if (strcmp(optarg, "text") == 0)
                format = FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                format = FORMAT_JSON;
            else if (strcmp(optarg, "md") == 0 || strcmp(optarg, "markdown") == 0)
                format = FORMAT_MD;
            else if (strcmp(optarg, "html") == 0)
                format = FORMAT_HTML;
            else {
                cli_usage_error("eval", "unknown format '%s': expected text, json, md or html", optarg);
                status = 2;
                goto done;
            }
            break;
        case OPT_FAIL_ON:
            if (!parse_fail_on(optarg, &fail_on)) {
                status = 2;
                goto done;
            }
            break;
        case OPT_BATCH:
            batch = true;
            break;
        case OPT_JSONL:
            batch = true;
            inputs[n_inputs++] = (EvalInput){.path = optarg, .jsonl = true};
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(eval_help, stdout);
            goto done;
        default:
            cli_option_error("eval", opt, argv[optind - 1]);
            status = 2;
            goto done;
        }
    }
    for (; optind < argc; optind++) /* after "--" */
        inputs[n_inputs++] = (EvalInput){.path = argv[optind]};

    int stdin_readers = 0;
    for (int i = 0; i < n_inputs; i++) {
        stdin_readers += strcmp(inputs[i].path, "-") == 0;
        if (!inputs[i].jsonl)
            ptrvec_push(&files, inputs[i].path);
    }
    if (stdin_readers > 1) {
        cli_usage_error("eval", "standard input ('-') can be read only once");
        status = 2;
        goto done;
    }
    if (batch) {
        if (format_given && format != FORMAT_JSON) {
            cli_usage_error("eval", "a batch prints one JSON line per system: --format %s cannot be used with %s",
                            format == FORMAT_TEXT ? "text" : format == FORMAT_MD ? "md" : "html",
                            files.len == n_inputs ? "--batch" : "--jsonl");
            status = 2;
            goto done;
        }
        if (n_inputs == 0) {
            cli_usage_error("eval", "--batch needs facts files or directories");
            status = 2;
            goto done;
        }
    } else {
        if (n_inputs == 0 && sets.len == 0) {
            cli_usage_error("eval", "no facts file given");
            status = 2;
            goto done;
        }
        if (format == FORMAT_HTML && files.len > 1) {
            cli_usage_error("eval", "--format html writes one page for one system, but %d facts files were given "
                            "(run kader once per file)", files.len);
            status = 2;
            goto done;
        }
    }

    Diag diag;
    diag_init(&diag, NULL, stderr);
    diag.color = cli_color_wanted(stderr);
    diag.hide_notes = quiet; /* e.g. which rule file's requirement replaces which */
    Program *program = rule_options_load(&ro, &diag, NULL, 0);
    if (!program) {
        status = 2;
        goto done;
    }
    EvalRun run = {.program = program, .sets = &sets, .has_date = has_date, .date = date, .fail_on = fail_on};
    facts_init(&run.facts, program);
    evaluation_init(&run.ev, program);
    sources_init(&run.sources);

    /* A wrong --set is wrong for every system: say it once, before any output. */
    run_reset_input(&run);
    diag.sources = &run.sources;
    for (int k = 0; k < sets.len; k++)
        facts_set(&run.facts, &run.sources, sets.items[k], &diag);
    if (diag.errors) {
        status = 2;
    } else if (batch) {
        status = eval_batch(&run, inputs, n_inputs, quiet);
    } else {
        status = eval_files(&run, &diag, &files, format);
    }

    buf_free(&run.out);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "kader: error: cannot write the report: %s\n", strerror(errno));
        status = 2;
    }
    if (status == 0 && run.fail_on_matched)
        status = 1;
    sources_free(&run.sources);
    evaluation_free(&run.ev);
    report_cache_free(&run.report_cache);
    facts_free(&run.facts);
    program_free(program);
done:
    rule_options_free(&ro);
    ptrvec_free(&sets);
    ptrvec_free(&files);
    kdr_free(inputs);
    return status;
}
