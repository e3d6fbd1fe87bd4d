/* diag.h — source files kept for the life of a program, source locations, and diagnostics
 * printed the way compilers print them: file:line:col, the line, a caret, a hint. */
#ifndef KADER_DIAG_H
#define KADER_DIAG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

/* A span of bytes in one source file. Lines and columns are computed only when a message is
 * printed; storing offsets keeps locations small and exact. file 0 is "no location". */
typedef struct KdrLoc {
    uint32_t file;
    uint32_t start, end; /* byte offsets, end exclusive */
} KdrLoc;

typedef struct SourceFile {
    char *name; /* as the user wrote it */
    char *text; /* NUL-terminated */
    size_t len;
    /* Offset of the start of each line: turning a location into line and column (or a libyaml
     * mark into an offset) must not scan the file from its start every time, or a large file
     * with many values takes quadratic time. */
    uint32_t *line_starts;
    uint32_t n_lines;
} SourceFile;

typedef struct Sources {
    SourceFile **files; /* index 0 is unused */
    uint32_t len, cap;
} Sources;

void sources_init(Sources *s);
void sources_free(Sources *s);
/* Takes ownership of text (allocated with kdr_malloc); returns the file's index. */
uint32_t sources_add(Sources *s, const char *name, char *text, size_t len);
const SourceFile *sources_get(const Sources *s, uint32_t file);

/* 1-based line and column (column in characters) of a byte offset. */
void source_line_col(const SourceFile *f, uint32_t offset, int *line, int *col);
/* Byte offset of a 0-based line and 0-based character column (libyaml marks). */
uint32_t source_offset_of(const SourceFile *f, int line0, int col0);

typedef enum DiagLevel { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

typedef struct Diag {
    const Sources *sources;
    FILE *out;    /* NULL: count only */
    bool color;   /* ANSI colours (a terminal without NO_COLOR) */
    int errors, warnings;
    int max_errors; /* stop printing errors after this many (0: no limit) */
    bool suppressed; /* the last diagnostic was not printed; its hint is not printed either */
    bool werror;     /* warnings are reported and counted as errors (--werror) */
    bool hide_notes; /* notes are not printed (--quiet); errors and warnings still are */
    /* When set, every diagnostic and hint is also handed to the sink (the embedding API keeps
     * them as error records). file is NULL and line 0 for messages without a place. */
    void (*sink)(void *ud, DiagLevel level, bool is_hint, const char *file, int line, int col,
                 const char *message);
    void *sink_ud;
} Diag;

void diag_init(Diag *d, const Sources *sources, FILE *out);

/* "file:line:col: level: message", then the source line and a caret under loc. */
void diag_at(Diag *d, DiagLevel level, KdrLoc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "kader: level: message" for problems with no place in a file. */
void diag_plain(Diag *d, DiagLevel level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A line "hint: ..." attached to the diagnostic just printed. */
void diag_hint(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

KdrLoc loc_span(KdrLoc a, KdrLoc b); /* from a's start to b's end */

#endif
