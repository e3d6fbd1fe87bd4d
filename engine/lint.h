/* lint.h — the warnings of `kader check`: things that load without error but are almost certainly
 * not what the author meant (unused declarations, dead branches, constant conditions, questions
 * missing from some facts, replaced requirements, unknowns that name no missing fact). */
#ifndef KADER_LINT_H
#define KADER_LINT_H

#include <stdbool.h>

#include "diag.h"
#include "program.h"
#include "util.h"

typedef struct LintWarning {
    KdrLoc loc;
    const char *code;   /* a stable name for the kind of warning: "unused-definition", ... */
    char *message;      /* kdr_malloc'd */
    char *hint;         /* kdr_malloc'd, or NULL */
} LintWarning;

/* Checks a resolved program. Only declarations in files for which user_file[file] is true are
 * warned about (the standard library is not the user's problem); user_file may be NULL to mean
 * every file. Appends LintWarning * to out, sorted by file and place. */
void lint_program(const Program *p, const bool *user_file, PtrVec *out);
void lint_free(PtrVec *warnings);

#endif
