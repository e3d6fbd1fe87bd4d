/* replay_main.c — a main() for the fuzz targets in builds without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on each file named (directories are walked, in name order), so
 * that ctest replays every seed and every input a fuzzer ever found, under whatever sanitizers
 * the build has. Each input is named on stderr before it runs (ctest shows that only when the
 * test fails), so a crash follows the name of the input that caused it. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Targets without set-up do not define it. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path, int *count);

static int replay_dir(const char *dir, int *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: cannot read directory %s: %s\n", dir, strerror(errno));
        return 1;
    }
    PtrVec names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            ptrvec_push(&names, kdr_strdup(e->d_name));
    closedir(d);
    if (names.len)
        qsort(names.items, (size_t)names.len, sizeof(char *), compare_names);
    int rc = 0;
    for (int i = 0; i < names.len; i++) {
        Buf child = {0};
        buf_printf(&child, "%s/%s", dir, (char *)names.items[i]);
        rc |= replay_path(buf_str(&child), count);
        buf_free(&child);
        kdr_free(names.items[i]);
    }
    ptrvec_free(&names);
    return rc;
}

static int replay_path(const char *path, int *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT && strstr(path, "/regressions/"))
            return 0; /* a target without regression inputs (yet) */
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (S_ISDIR(st.st_mode))
        return replay_dir(path, count);
    size_t len;
    char *data = read_whole_file(path, &len);
    if (!data) {
        fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
        return 1;
    }
    /* Named before it runs, so that the last name printed before a crash is the input's. */
    fprintf(stderr, "replay: %s\n", path);
    /* A copy of exactly len bytes, so that ASan sees a read past the end as libFuzzer would. */
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        abort();
    memcpy(copy, data, len);
    kdr_free(data);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    (*count)++;
    return 0;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int count = 0, rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= replay_path(argv[i], &count);
    printf("replay: %d inputs, no crash\n", count);
    return rc;
}
