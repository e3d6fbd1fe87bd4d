/* fuzz_compile.c — libFuzzer target for `kader compile`, the requirement-document compiler:
 * front matter (libyaml), Markdown sections, tables and lists, fenced ```kader blocks, measure
 * linking, and rendering rule text. An input holds up to eight documents separated by lines
 * "%%"; they are written as a.md, b.md, ... into one directory, which is compiled as the command
 * line would (`kader compile IN -o OUT`), so measures can name requirements.
 *
 * Oracle beyond "no crash": when compile succeeds, every rule file it wrote must parse — the
 * compiler promises output that loads, whatever bytes the documents held. The target's stderr
 * and stdout carry the command's messages; run it with -close_fd_mask=3. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "fuzz.h"
#include "parse.h"

enum { MAX_DOCS = 8 };

static char work[64]; /* a private directory per process, removed at exit */
static char in_dir[96], out_dir[96];

static void empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
}

static void remove_work(void)
{
    empty_dir(in_dir);
    empty_dir(out_dir);
    rmdir(in_dir);
    rmdir(out_dir);
    rmdir(work);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(work, sizeof work, "%s/kader-fuzz-XXXXXX", base);
    if (!mkdtemp(work)) {
        perror("fuzz_compile: mkdtemp");
        abort();
    }
    snprintf(in_dir, sizeof in_dir, "%s/in", work);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    if (mkdir(in_dir, 0700) != 0 || mkdir(out_dir, 0700) != 0) {
        perror("fuzz_compile: mkdir");
        abort();
    }
    atexit(remove_work);
    return 0;
}

static void write_file(const char *path, const uint8_t *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        abort();
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            abort();
        data += n;
        len -= (size_t)n;
    }
    close(fd);
}

/* A rule file the compiler wrote must be rule text that the parser accepts (names are
 * resolved against the stdlib only when loaded for real; the syntax must hold on its own). */
static void check_output(const char *path)
{
    size_t len;
    char *text = read_whole_file(path, &len);
    FUZZ_CHECK(text != NULL, "cannot read a rule file that compile reported written");
    Program *program = program_new();
    Diag diag;
    diag_init(&diag, &program->sources, fuzz_diag_out());
    uint32_t file = sources_add(&program->sources, path, text, len);
    ParsedFile *parsed = kdr_calloc(1, sizeof *parsed);
    ptrvec_push(&program->parsed, parsed);
    int rc = kdr_parse_range(program, file, 0, (uint32_t)len, &diag, parsed);
    if (rc != 0 && getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz_compile: %s does not parse:\n%s\n", path, text);
    FUZZ_CHECK(rc == 0 && diag.errors == 0, "compile wrote a rule file that does not parse");
    program_free(program);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    empty_dir(in_dir);
    empty_dir(out_dir);
    char path[512];
    size_t at = 0;
    for (int i = 0; i < MAX_DOCS && at <= size; i++) {
        size_t rest = 0;
        size_t len = i == MAX_DOCS - 1 ? size - at : fuzz_split(data + at, size - at, &rest);
        snprintf(path, sizeof path, "%s/%c.md", in_dir, 'a' + i);
        write_file(path, data + at, len);
        if (i == MAX_DOCS - 1 || len == size - at)
            break;
        at += rest;
    }
    static char command[] = "compile", output_flag[] = "-o";
    char *argv[] = {command, in_dir, output_flag, out_dir, NULL};
    int rc = kdr_cmd_compile(4, argv);
    FUZZ_CHECK(rc == 0 || rc == 2, "compile returned neither 0 nor 2");
    if (rc != 0)
        return 0;
    DIR *d = opendir(out_dir);
    FUZZ_CHECK(d != NULL, "compile succeeded but its output directory is gone");
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            FUZZ_CHECK(strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0,
                       "compile left a temporary file behind");
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", out_dir, e->d_name);
        check_output(path);
    }
    closedir(d);
    return 0;
}
