/* report.h — rendering an evaluation: JSON for programs (and batch error lines), text for a
 * terminal, Markdown and one self-contained HTML page for people who read reports. */
#ifndef KADER_REPORT_H
#define KADER_REPORT_H

#include "eval.h"

#define KADER_REPORT_SCHEMA "https://kader.dev/schema/report/1"

/* One JSON object (pretty: indented over many lines; else one line), ending in a newline. */
void report_json(Buf *out, const Evaluation *ev, const char *source, bool pretty);

/* The parts of a JSON report that only the program decides (each requirement's id, title,
 * phases, procedures, measures, sources and meta: most of its bytes), rendered once and copied
 * into every report of a batch. Owned by whoever renders the reports; zero-initialise, free
 * with report_cache_free. */
typedef enum ReportPiece { PIECE_HEAD, PIECE_PHASES, PIECE_TAIL, PIECE_COUNT } ReportPiece;
typedef struct ReportCache {
    const Program *program;
    bool pretty;
    Buf *pieces; /* [program->n_requirements * PIECE_COUNT], each empty until first needed */
} ReportCache;
void report_json_cached(Buf *out, const Evaluation *ev, const char *source, bool pretty, ReportCache *cache);
void report_cache_free(ReportCache *cache);
/* The line a batch prints for an input that could not be evaluated: schema, source and
 * error {message, line, column}; line and column are null when the error has no place. */
void report_json_error(Buf *out, const char *source, const char *message, int line, int column);
void report_text(Buf *out, const Evaluation *ev, const char *source, bool color);
void report_md(Buf *out, const Evaluation *ev, const char *source);
void report_html(Buf *out, const Evaluation *ev, const char *source);

/* ---- shared by the renderers (report.c) ---- */

/* The names (facts and definitions) an expression refers to directly, each once, in order of
 * appearance; at most max. */
uint32_t report_expr_names(const Expr *e, const Expr **names, uint32_t max);
/* The value a fact or definition had in this evaluation. False for a definition the evaluation
 * did not need (definitions are computed lazily), which is then neither true nor false. */
bool report_name_value(const Evaluation *ev, const Expr *name, Value *out);
/* "verificatie-en-validatie" -> "Verificatie en validatie": a phase name for headings. */
void report_phase_title(Buf *out, const char *phase);
typedef enum InForce { IN_FORCE, IN_FORCE_NOT_YET, IN_FORCE_NO_LONGER, IN_FORCE_UNKNOWN } InForce;
/* Whether a requirement is in force on the evaluation date, and if not, on which side of it. */
InForce report_in_force(const Evaluation *ev, const RequirementResult *r);
/* Counts of requirement results by ResultStatus. */
void report_count(const Evaluation *ev, uint32_t counts[3]);
/* The fact that entry i of a Missing slice names. */
const FactDecl *report_missing_fact(const Evaluation *ev, Missing m, uint32_t i);
/* Every fact that some result names as missing, each once, in the order of the report
 * (conclusion, requirements, procedures); facts must have room for program->n_facts. */
uint32_t report_missing_facts(const Evaluation *ev, int32_t *facts);
bool report_missing_has(const Evaluation *ev, Missing m, int32_t fact);
/* Appends s with every byte sequence that is not valid UTF-8 replaced by U+FFFD, so that a
 * file name in any encoding cannot make the JSON or HTML invalid. */
void report_utf8(Buf *out, const char *s);

#endif
