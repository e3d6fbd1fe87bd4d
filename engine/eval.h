/* eval.h — evaluation of a checked program over one system's facts, with Kleene logic, lazy
 * definitions (each computed at most once per evaluation) and the missing facts of every
 * undetermined result. An Evaluation is reused from system to system without reallocating. */
#ifndef KADER_EVAL_H
#define KADER_EVAL_H

#include "facts.h"
#include "program.h"

typedef enum ResultStatus {
    ST_APPLIES = 0,       /* procedures: required */
    ST_NOT_APPLICABLE,    /* procedures: not required */
    ST_UNDETERMINED
} ResultStatus;

typedef enum Timing { TIMING_NONE = 0, TIMING_NOW, TIMING_OVERDUE, TIMING_AHEAD } Timing;

/* A slice of the evaluation's pool of fact indices. */
typedef struct Missing {
    uint32_t start, len;
} Missing;

typedef struct RequirementResult {
    uint8_t status; /* ResultStatus */
    uint8_t timing; /* Timing */
    Value in_force; /* bool, or unknown when a date it depends on is unknown */
    Value from, until; /* dates; unknown when not given or not known */
    Missing missing;          /* what decides the status */
    Missing in_force_missing; /* what decides in_force, when it is unknown */
} RequirementResult;

typedef struct ProcedureResult {
    uint8_t status;          /* ResultStatus */
    bool route_undetermined; /* an unknown route condition came before the route taken */
    int32_t route;           /* index in the procedure's routes, -1 for none */
    Value again;             /* bool or unknown */
    Missing missing;         /* what decides the status, the route and again */
} ProcedureResult;

typedef struct Evaluation {
    const Program *program;
    const Facts *facts;
    int32_t today;
    Value phase;                 /* current lifecycle phase (string) or unknown */
    int32_t phase_position;      /* -1 unknown, -2 a phase that holds throughout */
    RequirementResult *requirements;
    ProcedureResult *procedures;
    Value *labels;               /* [program->n_labels] */
    int32_t conclusion;          /* index, -1 for none or undetermined */
    bool conclusion_undetermined;
    Missing conclusion_missing;
    bool *warnings;              /* [program->n_warnings]: fired */

    /* working memory, reused */
    Value *let_values;
    uint32_t *let_epoch;
    uint32_t epoch;
    Missing *slot_missing;         /* per definition and shared subexpression: the facts that
                                      decide it (this epoch), a slice of missing_pool */
    uint32_t *slot_missing_epoch;
    struct MissingBuild *builds;   /* missing-fact lists being built, innermost last (reused) */
    uint32_t n_builds, cap_builds, fact_words;
    int32_t *missing_pool;
    uint32_t missing_len, missing_cap;
    Arena scratch;
} Evaluation;

void evaluation_init(Evaluation *ev, const Program *program);
void evaluation_free(Evaluation *ev);
/* Evaluates everything for one system. Results stay valid until the next call. */
void evaluate(Evaluation *ev, const Facts *facts, int32_t today);

/* The value of an expression in the current evaluation (for explain and tests). */
Value eval_expr(Evaluation *ev, const Expr *e);
/* Appends the facts whose values are needed to decide e (which must be unknown). */
Missing eval_missing(Evaluation *ev, const Expr *const *exprs, uint32_t n);

const char *status_name(ResultStatus s, bool procedure);
const char *timing_name(Timing t);

#endif
