/* ruletest.h — rule tests as data (`kader test`): YAML files of cases, each a system's facts and
 * what the rules must conclude about it. Reading checks every expectation against the loaded
 * program (unknown ids, impossible values) before anything runs; running compares field by field
 * and keeps, for each mismatch, the place of the expectation in the test file. */
#ifndef KADER_RULETEST_H
#define KADER_RULETEST_H

#include <stdbool.h>
#include <stdint.h>

#include "eval.h"
#include "facts.h"
#include "program.h"
#include "util.h"

typedef enum ExpectKind {
    EX_REQUIREMENT,   /* status of requirement `index` */
    EX_IN_FORCE,      /* whether requirement `index` is in force: bool or unknown */
    EX_TIMING,        /* timing of requirement `index`: str, NULL for none */
    EX_PROCEDURE,     /* status of procedure `index` */
    EX_ROUTE,         /* route of procedure `index`: str, NULL for none */
    EX_AGAIN,         /* whether procedure `index` is needed again: bool or unknown */
    EX_MISSING,       /* the missing facts of requirement (or, with procedure set, procedure) `index` */
    EX_CONCLUSION,    /* the conclusion reached: str, NULL for none */
    EX_CONCLUSION_STATUS, /* status: reached, none or undetermined */
    EX_CONCLUSION_MISSING,
    EX_LABEL,         /* label `index` (position in program->label_lets): a set, or unknown */
    EX_WARNINGS,      /* the ids of the warnings that fire */
    EX_PHASE          /* the current phase: str, NULL for unknown */
} ExpectKind;

typedef struct Expect {
    ExpectKind kind;
    int32_t index;
    bool procedure;         /* EX_MISSING: index is a procedure's */
    KdrLoc loc;             /* the expectation's value in the test file */
    int status;             /* ResultStatus, or for conclusions 0 reached, 1 none, 2 undetermined */
    Value value;            /* EX_IN_FORCE, EX_AGAIN: bool or unknown; EX_LABEL: set or unknown */
    const char *str;
    const char **set;       /* EX_MISSING, EX_WARNINGS: sorted */
    uint32_t n_set;
} Expect;

typedef struct FactsSource {
    const char *path;       /* a facts file (relative to the test file's directory resolved) */
    uint32_t start, end;    /* otherwise: the inline mapping's bytes in the test file */
    uint32_t line_start;    /* offset of the line the mapping starts on */
    uint32_t line;          /* that line's number, 0-based */
    KdrLoc loc;
} FactsSource;

typedef struct TestCase {
    const char *name;
    KdrLoc loc;
    int line;               /* of loc, 1-based */
    FactsSource *facts;
    uint32_t n_facts;
    bool has_date;
    int32_t date;
    Expect *expects;
    uint32_t n_expects;
} TestCase;

typedef struct TestFile {
    const char *path;
    uint32_t file;          /* index of the test file in the Sources it was read into */
    TestCase *cases;
    uint32_t n_cases;
    Arena arena;
} TestFile;

/* Reads path into sources and checks it against the program. Returns 0, or -1 after reporting
 * every problem (with its place in the file) to diag; a file with problems is not run. */
int ruletest_read(TestFile *tf, const char *path, const Program *p, Sources *sources, Diag *diag);
void ruletest_free(TestFile *tf);

typedef struct Mismatch {
    KdrLoc loc;
    char *what, *expected, *actual;
} Mismatch;

/* Loads a case's facts and evaluates them; -1 when the facts have errors (reported to diag).
 * Otherwise compares every expectation and appends a Mismatch * per difference. */
int ruletest_run(const TestFile *tf, const TestCase *tc, Facts *facts, Evaluation *ev, Sources *sources,
                 Diag *diag, PtrVec *mismatches);
void mismatches_free(PtrVec *mismatches);

#endif
