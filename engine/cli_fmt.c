/* cli_fmt.c — `kader fmt`: formats rule files in the canonical layout (engine/fmt.c), to standard
 * output, in place (-w), or as a check for CI (--check). */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "fmt.h"

enum { MAX_RULE_FILE_BYTES = 16 * 1024 * 1024 };

static const char fmt_help[] =
    "usage: kader fmt [OPTIONS] [FILE|DIR...]\n"
    "\n"
    "Formats rule files (.kdr) in kader's one canonical layout. Only white space changes: clause\n"
    "order, spelling and comments stay as written, and every result is checked to parse to the\n"
    "same rules as its input and to be stable under a second run. Without FILE, or with '-', it\n"
    "reads standard input and writes standard output. A directory stands for the .kdr files in it\n"
    "and in its subdirectories.\n"
    "\n"
    "options:\n"
    "  -w, --write             write the result back to each file that changes\n"
    "      --check             change nothing; list the files that are not formatted\n"
    "  -l, --list              list the files whose layout changes (with -w: the ones rewritten)\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 done (with --check: everything is formatted), 1 --check found files to\n"
    "format, 2 a syntax error, an unreadable file or a usage error.\n";

typedef enum FmtMode { MODE_PRINT, MODE_WRITE, MODE_CHECK } FmtMode;

typedef struct FmtRun {
    FmtMode mode;
    bool list;
    bool color;
    int status;
} FmtRun;

static void raise_status(FmtRun *run, int status)
{
    if (status > run->status)
        run->status = status;
}

/* Replaces path's contents without a moment in which the file is half written: a temporary file
 * beside it, then rename. The file keeps its permissions; a symbolic link stays a link. */
static int write_back(const char *path, const char *text, size_t len)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        fprintf(stderr, "kader fmt: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (stat(real, &st) != 0) {
        fprintf(stderr, "kader fmt: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    Buf tmp = {0};
    const char *slash = strrchr(real, '/');
    buf_printf(&tmp, "%.*s/.kader-fmt-XXXXXX", (int)(slash - real), real);
    char *tmp_path = buf_take(&tmp);
    int fd = mkstemp(tmp_path);
    if (fd < 0) {
        fprintf(stderr, "kader fmt: cannot write '%s': %s\n", path, strerror(errno));
        kdr_free(tmp_path);
        return -1;
    }
    size_t done = 0;
    int err = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        done += (size_t)n;
    }
    if (!err && fchmod(fd, st.st_mode & 07777) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp_path, real) != 0)
        err = errno;
    if (err) {
        unlink(tmp_path);
        fprintf(stderr, "kader fmt: cannot write '%s': %s\n", path, strerror(err));
    }
    kdr_free(tmp_path);
    return err ? -1 : 0;
}

static void format_one(FmtRun *run, const char *path)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    size_t len = 0;
    char *text = is_stdin ? read_stream(stdin, &len) : read_whole_file(path, &len);
    if (!text) {
        fprintf(stderr, "kader fmt: cannot read '%s': %s\n", name, read_error_text(errno));
        raise_status(run, 2);
        return;
    }
    if (len > MAX_RULE_FILE_BYTES) {
        fprintf(stderr, "kader fmt: '%s' is larger than the %d MiB limit for rule files\n", name,
                MAX_RULE_FILE_BYTES / (1024 * 1024));
        kdr_free(text);
        raise_status(run, 2);
        return;
    }
    if (memchr(text, '\0', len)) {
        fprintf(stderr, "kader fmt: '%s' is not a text file (it holds NUL bytes)\n", name);
        kdr_free(text);
        raise_status(run, 2);
        return;
    }
    char *out = NULL, *why = NULL;
    size_t out_len = 0;
    FmtResult r = fmt_format(name, text, len, stderr, run->color, &out, &out_len, &why);
    if (r == FMT_SYNTAX) {
        raise_status(run, 2);
    } else if (r == FMT_INTERNAL) {
        fprintf(stderr, "kader fmt: %s: cannot be formatted safely (%s); it is left as it is\n", name, why);
        fprintf(stderr, "hint: this is a bug in kader fmt; please report it with the file\n");
        raise_status(run, 2);
    } else {
        bool changed = out_len != len || memcmp(out, text, len) != 0;
        switch (run->mode) {
        case MODE_PRINT:
            fwrite(out, 1, out_len, stdout);
            if (run->list && changed)
                fprintf(stderr, "%s\n", name);
            break;
        case MODE_CHECK:
            if (changed) {
                printf("%s\n", name);
                raise_status(run, 1);
            }
            break;
        case MODE_WRITE:
            if (changed) {
                if (write_back(path, out, out_len) != 0)
                    raise_status(run, 2);
                else if (run->list)
                    printf("%s\n", name);
            }
            break;
        }
    }
    kdr_free(out);
    kdr_free(why);
    kdr_free(text);
}

/* Every .kdr file under dir, in name order, skipping hidden entries; links to directories are
 * not followed, so a link loop cannot trap the walk. */
static void format_dir(FmtRun *run, const char *dir, int depth)
{
    if (depth > 64) {
        fprintf(stderr, "kader fmt: '%s' is nested too deeply; skipped\n", dir);
        raise_status(run, 2);
        return;
    }
    PtrVec names = {0};
    if (dir_names_sorted(dir, &names) < 0) {
        fprintf(stderr, "kader fmt: cannot read directory '%s': %s\n", dir, strerror(errno));
        raise_status(run, 2);
        return;
    }
    for (int i = 0; i < names.len; i++) {
        Buf path = {0};
        buf_printf(&path, "%s%s%s", dir, str_ends_with(dir, "/") ? "" : "/", (char *)names.items[i]);
        struct stat st;
        if (lstat(buf_str(&path), &st) == 0) {
            if (S_ISDIR(st.st_mode))
                format_dir(run, buf_str(&path), depth + 1);
            else if (str_ends_with(buf_str(&path), ".kdr") && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
                format_one(run, buf_str(&path));
        }
        buf_free(&path);
        kdr_free(names.items[i]);
    }
    ptrvec_free(&names);
}

int kdr_cmd_fmt(int argc, char **argv)
{
    enum { OPT_CHECK = OPT_FIRST_FREE };
    static const struct option long_options[] = {
        {"write", no_argument, NULL, 'w'},
        {"check", no_argument, NULL, OPT_CHECK},
        {"list", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    FmtRun run = {.mode = MODE_PRINT};
    bool write = false, check = false;
    int opt;
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then forgets the state of an earlier parse in this process */
    while ((opt = getopt_long(argc, argv, ":wlh", long_options, NULL)) != -1) {
        switch (opt) {
        case 'w':
            write = true;
            break;
        case OPT_CHECK:
            check = true;
            break;
        case 'l':
            run.list = true;
            break;
        case 'h':
            fputs(fmt_help, stdout);
            return 0;
        default:
            cli_usage_error("fmt", "unknown option '%s'", argv[optind - 1]);
            return 2;
        }
    }
    if (write && check) {
        cli_usage_error("fmt", "--write and --check exclude each other");
        return 2;
    }
    run.mode = write ? MODE_WRITE : check ? MODE_CHECK : MODE_PRINT;
    run.color = cli_color_wanted(stderr);
    int n = argc - optind;
    for (int i = 0; i < n; i++)
        if (write && strcmp(argv[optind + i], "-") == 0) {
            cli_usage_error("fmt", "--write cannot write back standard input");
            return 2;
        }
    if (n == 0) {
        if (write) {
            cli_usage_error("fmt", "--write needs files to write back");
            return 2;
        }
        format_one(&run, "-");
    }
    for (int i = 0; i < n; i++) {
        const char *path = argv[optind + i];
        struct stat st;
        if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            format_dir(&run, path, 0);
        else
            format_one(&run, path);
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "kader fmt: cannot write the output: %s\n", strerror(errno));
        raise_status(&run, 2);
    }
    return run.status;
}
