/* fuzz.h — what the fuzz targets share: a sink for diagnostics, loading rule text into a checked
 * program, and a hard stop when an oracle finds a wrong answer (not just a crash).
 *
 * Diagnostics are printed, not merely counted: the code that prints a source line and a caret
 * under a UTF-8 column is itself exposed to every byte of hostile input, so it must run under the
 * fuzzer too. They go to /dev/null through a buffered FILE, which costs little; printing to
 * stderr would be unbuffered and slow. */
#ifndef KADER_FUZZ_H
#define KADER_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "load.h"
#include "program.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A buffered sink for diagnostics, opened once per process. FUZZ_VERBOSE=1 prints them to
 * stderr instead, which helps when a regression input is replayed by hand. */
static inline FILE *fuzz_diag_out(void)
{
    static FILE *out;
    if (!out) {
        const char *verbose = getenv("FUZZ_VERBOSE");
        out = verbose && *verbose == '1' ? stderr : fopen("/dev/null", "w");
        if (!out)
            abort();
    }
    return out;
}

/* An oracle disagreed: stop the way a sanitizer would, so that libFuzzer saves the input. */
#define FUZZ_CHECK(cond, what)                                                              \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: fuzz oracle failed: %s\n", __FILE__, __LINE__, what);   \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

/* Rule text as one file that imports nothing from this machine: the name places it in a
 * directory that does not exist, so an `import` is looked up nowhere and the run stays
 * hermetic. Returns the program when it loaded and checked cleanly, else NULL (freed). */
static inline Program *fuzz_load_rules(const char *text, size_t len, Diag *diag)
{
    Program *program = program_new();
    diag_init(diag, &program->sources, fuzz_diag_out());
    Loader loader;
    loader_init(&loader, program, diag);
    loader_load_text(&loader, "/nonexistent-kader-fuzz/fuzz.kdr", text, len);
    int rc = loader_finish(&loader);
    loader_free(&loader);
    if (rc != 0 || diag->errors) {
        program_free(program);
        return NULL;
    }
    return program;
}

/* The first occurrence of a line holding exactly "%%", which splits an input into two texts
 * (rules, then facts). Returns the offset of the "%%" line, or len when there is none; *rest
 * gets the offset after it. */
static inline size_t fuzz_split(const uint8_t *data, size_t len, size_t *rest)
{
    static const char sep[] = "\n%%\n";
    if (len >= 3 && memcmp(data, "%%\n", 3) == 0) {
        *rest = 3;
        return 0;
    }
    for (size_t i = 0; i + 4 <= len; i++)
        if (data[i] == '\n' && memcmp(data + i, sep, 4) == 0) {
            *rest = i + 4;
            return i + 1;
        }
    *rest = len;
    return len;
}

#endif
