/* explain.h — why a result came out as it did: each condition as a tree of evaluated nodes (and/or/not,
 * comparisons, first-match tables with the branch taken, definitions expanded once, facts with
 * their origin), the parts that decided it marked; written as text for people or as JSON (schema
 * in docs/ASK-EXPLAIN.md). Also the expression printer and the description of a fact's origin. */
#ifndef KADER_EXPLAIN_H
#define KADER_EXPLAIN_H

#include "eval.h"

#define KADER_EXPLAIN_SCHEMA "https://kader.dev/schema/explain/1"

/* An expression as kader source, with the parentheses its precedence needs and strings quoted. */
void expr_print(Buf *b, const Program *p, const Expr *e);

/* Where a fact's value came from: "feiten.yaml:3", "--set", "default", or NULL when not given.
 * `sources` is where the facts files were added (the program's, in the commands). */
const char *fact_origin(Arena *a, const Facts *facts, const Sources *sources, int32_t fact);

typedef struct ExplainRequest {
    const int32_t *requirements; /* indices into program->requirements */
    uint32_t n_requirements;
    const int32_t *procedures;   /* indices into program->procedures */
    uint32_t n_procedures;
    bool conclusion;
    bool full;  /* text: expand the parts that decided nothing too (JSON always has them) */
} ExplainRequest;

/* Explains the requested results of an evaluation (evaluate() must have run). With nothing
 * requested it explains every requirement, procedure and the conclusion briefly: the status and
 * the facts that decided it. */
void explain_write(Buf *out, Evaluation *ev, const char *source, const ExplainRequest *rq, bool json, bool color);

#endif
