/* kader.h — the embedding API of libkader: load rule files, give one system's facts, evaluate,
 * and walk the results. This is the library's only public header.
 *
 * An environment (kader_env) holds one rule program and the facts and results of the system
 * being evaluated. Environments share nothing: use one per thread. Every call that can fail
 * returns KADER_OK or an error code, and records its messages (file, line, column, text) in the
 * environment, where kader_error_count / kader_error_at read them until the next call that fails.
 *
 * Lifetimes: strings returned by the result functions stay valid until the next
 * kader_evaluate, kader_facts_* or kader_env_free on the same environment. */
#ifndef KADER_H
#define KADER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(KADER_BUILDING_LIBRARY)
#define KADER_API __attribute__((visibility("default")))
#else
#define KADER_API
#endif

#define KADER_VERSION_MAJOR 0
#define KADER_VERSION_MINOR 1

typedef enum kader_status {
    KADER_OK = 0,
    KADER_ERROR_USAGE,  /* a call out of order or an argument that makes no sense */
    KADER_ERROR_RULES,  /* a rule file could not be read, parsed or checked */
    KADER_ERROR_FACTS,  /* a facts file or value is wrong */
    KADER_ERROR_IO,     /* a file could not be read */
    KADER_ERROR_MEMORY  /* the allocator failed */
} kader_status;

/* The result of a requirement (applies / not-applicable / undetermined) or a procedure
 * (required / not-required / undetermined). */
typedef enum kader_outcome {
    KADER_APPLIES = 0,
    KADER_NOT_APPLICABLE = 1,
    KADER_UNDETERMINED = 2
} kader_outcome;

/* Three-valued truth, for "in force" and "again". */
typedef enum kader_truth { KADER_FALSE = 0, KADER_TRUE = 1, KADER_UNKNOWN = 2 } kader_truth;

typedef struct kader_error {
    const char *message;
    const char *hint;  /* NULL when there is none */
    const char *file;  /* NULL when the error has no place in a file */
    int line, column;  /* 1-based; 0 when there is no place */
    int is_warning;
} kader_error;

/* The caller's allocator, used for everything kader allocates itself (libyaml, cJSON and the
 * generated scanner use malloc). All three functions are required; ud is passed through. When
 * an allocation fails, the call returns KADER_ERROR_MEMORY (or NULL) instead of ending the
 * process; the environment may then only be freed. See docs/EMBEDDING.md. */
typedef struct kader_allocator {
    void *(*alloc)(void *ud, size_t size);
    void *(*realloc)(void *ud, void *ptr, size_t size);
    void (*free)(void *ud, void *ptr);
    void *ud;
} kader_allocator;

typedef struct kader_env kader_env;

/* ---- environment ---- */

KADER_API const char *kader_version(void);
/* alloc may be NULL for malloc/realloc/free. Returns NULL only when memory runs out. */
KADER_API kader_env *kader_env_new(const kader_allocator *alloc);
KADER_API void kader_env_free(kader_env *env);

/* ---- rules: add paths or texts, then finish once ---- */

/* The standard library is loaded unless this is called with 0 before kader_rules_finish. */
KADER_API kader_status kader_rules_use_stdlib(kader_env *env, int use);
/* The bundled default rule set (rules/), for embedders that want what `kader eval` uses. */
KADER_API kader_status kader_rules_add_defaults(kader_env *env);
/* A .kdr file or a directory of them. Directories are also searched for imports. */
KADER_API kader_status kader_rules_add_path(kader_env *env, const char *path);
/* Rule text; name is used in messages. */
KADER_API kader_status kader_rules_add_string(kader_env *env, const char *name, const char *text, size_t len);
/* Resolves and checks everything added. After this, facts can be given and evaluated. */
KADER_API kader_status kader_rules_finish(kader_env *env);

/* ---- facts of one system ---- */

/* Forgets the facts of the previous system (the rules stay). */
KADER_API void kader_facts_clear(kader_env *env);
KADER_API kader_status kader_facts_load_file(kader_env *env, const char *path);
/* YAML or JSON text (JSON when it starts with '{'); name is used in messages. */
KADER_API kader_status kader_facts_load_string(kader_env *env, const char *name, const char *text, size_t len);
/* One fact by its path as in a facts file (a.b, beslishulp."1.1"); the value as on the
 * command line: true/false, a number, YYYY-MM-DD, a string, a comma-separated set, or null. */
KADER_API kader_status kader_facts_set(kader_env *env, const char *path, const char *value);

/* ---- evaluation ---- */

/* date is YYYY-MM-DD, or NULL for the facts' 'datum', else today. */
KADER_API kader_status kader_evaluate(kader_env *env, const char *date);

KADER_API const char *kader_date(const kader_env *env);        /* the evaluation date used */
KADER_API const char *kader_phase(const kader_env *env);       /* NULL when unknown */

KADER_API size_t kader_requirement_count(const kader_env *env);
KADER_API const char *kader_requirement_id(const kader_env *env, size_t i);
KADER_API const char *kader_requirement_title(const kader_env *env, size_t i);
KADER_API kader_outcome kader_requirement_outcome(const kader_env *env, size_t i);
KADER_API kader_truth kader_requirement_in_force(const kader_env *env, size_t i);
/* "now", "overdue", "ahead" or NULL */
KADER_API const char *kader_requirement_timing(const kader_env *env, size_t i);
KADER_API size_t kader_requirement_missing_count(const kader_env *env, size_t i);
/* The name of a missing fact, and its question (NULL when the rules give none). */
KADER_API const char *kader_requirement_missing(const kader_env *env, size_t i, size_t k);
KADER_API const char *kader_fact_question(const kader_env *env, const char *fact);

KADER_API size_t kader_procedure_count(const kader_env *env);
KADER_API const char *kader_procedure_id(const kader_env *env, size_t i);
KADER_API const char *kader_procedure_title(const kader_env *env, size_t i);
KADER_API kader_outcome kader_procedure_outcome(const kader_env *env, size_t i);
KADER_API const char *kader_procedure_route(const kader_env *env, size_t i);      /* NULL: none */
KADER_API const char *kader_procedure_route_text(const kader_env *env, size_t i); /* NULL: none */
KADER_API kader_truth kader_procedure_again(const kader_env *env, size_t i);
KADER_API size_t kader_procedure_missing_count(const kader_env *env, size_t i);
KADER_API const char *kader_procedure_missing(const kader_env *env, size_t i, size_t k);

/* The conclusion reached, or NULL (none, or undetermined: see kader_conclusion_undetermined). */
KADER_API const char *kader_conclusion_id(const kader_env *env);
KADER_API const char *kader_conclusion_text(const kader_env *env);
KADER_API int kader_conclusion_undetermined(const kader_env *env);

KADER_API size_t kader_label_count(const kader_env *env);
KADER_API const char *kader_label_name(const kader_env *env, size_t i);
/* Number of values, or -1 when the label is undetermined. */
KADER_API long kader_label_value_count(const kader_env *env, size_t i);
KADER_API const char *kader_label_value(const kader_env *env, size_t i, size_t k);

/* The whole report as JSON (docs/report-schema.json), NUL-terminated; valid until the next
 * evaluation. pretty: indented over many lines, else one line. */
KADER_API const char *kader_report_json(kader_env *env, int pretty);

/* ---- errors of the last call that failed ---- */

KADER_API size_t kader_error_count(const kader_env *env);
KADER_API const kader_error *kader_error_at(const kader_env *env, size_t i);

#ifdef __cplusplus
}
#endif

#endif
