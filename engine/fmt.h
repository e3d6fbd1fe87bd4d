/* fmt.h — the canonical layout of rule files (`kader fmt`), and the comparison of two parsed
 * programs that proves a layout change kept the meaning. */
#ifndef KADER_FMT_H
#define KADER_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "program.h"
#include "util.h"

/* The line width the layout aims for; longer atoms (a long string) stay on one line. */
enum { FMT_WIDTH = 100 };

typedef enum FmtResult {
    FMT_OK = 0,
    FMT_SYNTAX,   /* the input has errors; they were printed to the diagnostics stream */
    FMT_INTERNAL  /* the layout failed its own checks; *why says how, the input is untouched */
} FmtResult;

/* Formats one rule file. `name` is used in messages, which go to `diagnostics` (NULL: none).
 * On FMT_OK, *out is the formatted text (kdr_malloc'd, NUL-terminated, *out_len bytes). Every
 * result is checked before it is returned: it parses to the same program as the input (locations
 * aside), keeps every comment in order, and formats to itself. FMT_INTERNAL means one of these
 * checks failed; *why (kdr_malloc'd) explains it. */
FmtResult fmt_format(const char *name, const char *text, size_t len, FILE *diagnostics, bool color,
                     char **out, size_t *out_len, char **why);

/* Whether two parsed files declare the same things in the same order, comparing every field
 * except source locations. On a difference, a description of the first is added to why. */
bool fmt_same_file(const ParsedFile *a, const ParsedFile *b, Buf *why);
/* Structural equality of expressions (resolved or not), locations and inferred types aside. */
bool fmt_same_expr(const Expr *a, const Expr *b);

#endif
