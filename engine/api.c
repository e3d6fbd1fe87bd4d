/* api.c — libkader's embedding API (include/kader.h) on top of the loader, facts, evaluator and
 * reports. Every entry point installs the environment's allocator and an out-of-memory handler
 * for its duration, so nothing here touches process-wide state. */
#define KADER_BUILDING_LIBRARY 1
#include "kader.h"

#include <string.h>

#include "eval.h"
#include "facts.h"
#include "load.h"
#include "report.h"

struct kader_env {
    KdrAllocator allocator;
    bool has_allocator;
    Program *program;
    Loader loader;
    Diag diag;
    bool use_stdlib, add_defaults, finished, evaluated, facts_ready;
    PtrVec rule_paths;      /* char *: paths to load at finish, in order */
    PtrVec rule_texts;      /* RuleText *: texts to load at finish */
    Facts facts;
    Evaluation ev;
    char date[11];
    Buf json;
    /* the messages of the last failing call */
    kader_error *errors;
    size_t n_errors, cap_errors;
    Arena error_arena;
};

typedef struct RuleText {
    char *name, *text;
    size_t len;
} RuleText;

/* Installs the environment's allocator and an out-of-memory jump target for one API call. */
#define API_ENTER(env, on_oom)                                                         \
    const KdrAllocator *saved_allocator_ = kdr_swap_allocator((env)->has_allocator ? &(env)->allocator : NULL); \
    jmp_buf oom_jump_;                                                                 \
    jmp_buf *saved_handler_ = kdr_swap_oom_handler(&oom_jump_);                        \
    if (setjmp(oom_jump_)) {                                                           \
        kdr_swap_oom_handler(saved_handler_);                                          \
        kdr_swap_allocator(saved_allocator_);                                          \
        on_oom;                                                                        \
    }
#define API_LEAVE()                                                                    \
    do {                                                                               \
        kdr_swap_oom_handler(saved_handler_);                                          \
        kdr_swap_allocator(saved_allocator_);                                          \
    } while (0)

static void clear_errors(kader_env *env)
{
    env->n_errors = 0;
    arena_reset(&env->error_arena);
}

static void record(void *ud, DiagLevel level, bool is_hint, const char *file, int line, int col, const char *message)
{
    kader_env *env = ud;
    if (is_hint) {
        if (env->n_errors)
            env->errors[env->n_errors - 1].hint = arena_strdup(&env->error_arena, message);
        return;
    }
    if (level == DIAG_NOTE)
        return;
    if (env->n_errors == env->cap_errors) {
        env->cap_errors = env->cap_errors ? env->cap_errors * 2 : 8;
        env->errors = kdr_realloc(env->errors, env->cap_errors * sizeof(kader_error));
    }
    kader_error *e = &env->errors[env->n_errors++];
    e->message = arena_strdup(&env->error_arena, message);
    e->hint = NULL;
    e->file = file ? arena_strdup(&env->error_arena, file) : NULL;
    e->line = line;
    e->column = col;
    e->is_warning = level == DIAG_WARNING;
}

static void add_error(kader_env *env, const char *message)
{
    record(env, DIAG_ERROR, false, NULL, 0, 0, message);
}

const char *kader_version(void) { return KADER_VERSION; }

kader_env *kader_env_new(const kader_allocator *alloc)
{
    KdrAllocator a = {0};
    if (alloc)
        a = (KdrAllocator){alloc->alloc, alloc->realloc, alloc->free, alloc->ud};
    const KdrAllocator *saved = kdr_swap_allocator(alloc ? &a : NULL);
    jmp_buf jump;
    jmp_buf *saved_handler = kdr_swap_oom_handler(&jump);
    kader_env *env = NULL;
    if (setjmp(jump) == 0) {
        env = kdr_calloc(1, sizeof *env);
        env->allocator = a;
        env->has_allocator = alloc != NULL;
        env->use_stdlib = true;
        env->program = program_new();
        diag_init(&env->diag, &env->program->sources, NULL);
        env->diag.sink = record;
        env->diag.sink_ud = env;
        env->diag.max_errors = 0;
        loader_init(&env->loader, env->program, &env->diag);
    } else {
        env = NULL; /* out of memory while starting: nothing usable to return */
    }
    kdr_swap_oom_handler(saved_handler);
    kdr_swap_allocator(saved);
    return env;
}

void kader_env_free(kader_env *env)
{
    if (!env)
        return;
    const KdrAllocator *saved = kdr_swap_allocator(env->has_allocator ? &env->allocator : NULL);
    if (env->facts_ready)
        facts_free(&env->facts);
    if (env->finished)
        evaluation_free(&env->ev);
    loader_free(&env->loader);
    program_free(env->program);
    for (int i = 0; i < env->rule_paths.len; i++)
        kdr_free(env->rule_paths.items[i]);
    ptrvec_free(&env->rule_paths);
    for (int i = 0; i < env->rule_texts.len; i++) {
        RuleText *t = env->rule_texts.items[i];
        kdr_free(t->name);
        kdr_free(t->text);
        kdr_free(t);
    }
    ptrvec_free(&env->rule_texts);
    buf_free(&env->json);
    kdr_free(env->errors);
    arena_free(&env->error_arena);
    kdr_free(env);
    kdr_swap_allocator(saved);
}

/* ---- rules ---- */

static kader_status rules_still_open(kader_env *env)
{
    if (!env->finished)
        return KADER_OK;
    clear_errors(env);
    add_error(env, "the rules are already finished: add rules before kader_rules_finish");
    return KADER_ERROR_USAGE;
}

kader_status kader_rules_use_stdlib(kader_env *env, int use)
{
    kader_status st = rules_still_open(env);
    if (st == KADER_OK)
        env->use_stdlib = use != 0;
    return st;
}

kader_status kader_rules_add_defaults(kader_env *env)
{
    kader_status st = rules_still_open(env);
    if (st == KADER_OK)
        env->add_defaults = true;
    return st;
}

kader_status kader_rules_add_path(kader_env *env, const char *path)
{
    kader_status st = rules_still_open(env);
    if (st != KADER_OK)
        return st;
    API_ENTER(env, return KADER_ERROR_MEMORY);
    ptrvec_push(&env->rule_paths, kdr_strdup(path));
    API_LEAVE();
    return KADER_OK;
}

kader_status kader_rules_add_string(kader_env *env, const char *name, const char *text, size_t len)
{
    kader_status st = rules_still_open(env);
    if (st != KADER_OK)
        return st;
    API_ENTER(env, return KADER_ERROR_MEMORY);
    RuleText *t = kdr_calloc(1, sizeof *t);
    t->name = kdr_strdup(name ? name : "<string>");
    t->text = kdr_strndup(text, len);
    t->len = len;
    ptrvec_push(&env->rule_texts, t);
    API_LEAVE();
    return KADER_OK;
}

kader_status kader_rules_finish(kader_env *env)
{
    kader_status st = rules_still_open(env);
    if (st != KADER_OK)
        return st;
    clear_errors(env);
    API_ENTER(env, return KADER_ERROR_MEMORY);
    Loader *l = &env->loader;
    for (int i = 0; i < env->rule_paths.len; i++)
        loader_add_search_dir(l, env->rule_paths.items[i]);
    loader_add_env_path(l);
    const char *stdlib_dir = kader_stdlib_dir();
    const char *rules_dir = kader_rules_dir();
    if (env->use_stdlib) {
        if (stdlib_dir) {
            loader_add_search_dir(l, stdlib_dir);
            loader_load_path(l, stdlib_dir);
        } else {
            diag_plain(&env->diag, DIAG_ERROR, "cannot find the standard library (set KADER_HOME)");
        }
    }
    if (env->add_defaults) {
        if (rules_dir)
            loader_load_path(l, rules_dir);
        else
            diag_plain(&env->diag, DIAG_ERROR, "cannot find the default rule set (set KADER_HOME)");
    }
    for (int i = 0; i < env->rule_paths.len; i++)
        loader_load_path(l, env->rule_paths.items[i]);
    for (int i = 0; i < env->rule_texts.len; i++) {
        const RuleText *t = env->rule_texts.items[i];
        loader_load_text(l, t->name, t->text, t->len);
    }
    int rc = loader_finish(l);
    if (rc == 0 && env->diag.errors == 0) {
        env->finished = true;
        facts_init(&env->facts, env->program);
        env->facts_ready = true;
        evaluation_init(&env->ev, env->program);
        st = KADER_OK;
    } else {
        /* Start again from an empty program, so the caller may fix the rules and retry. */
        loader_free(l);
        program_free(env->program);
        env->program = program_new();
        env->diag.sources = &env->program->sources;
        env->diag.errors = env->diag.warnings = 0;
        loader_init(&env->loader, env->program, &env->diag);
        st = KADER_ERROR_RULES;
    }
    API_LEAVE();
    return st;
}

/* ---- facts ---- */

static kader_status need_rules(kader_env *env)
{
    if (env->finished)
        return KADER_OK;
    clear_errors(env);
    add_error(env, "the rules are not finished: call kader_rules_finish first");
    return KADER_ERROR_USAGE;
}

void kader_facts_clear(kader_env *env)
{
    if (!env->finished)
        return;
    API_ENTER(env, return);
    facts_clear(&env->facts);
    env->evaluated = false;
    API_LEAVE();
}

static kader_status facts_result(kader_env *env, int errors_before)
{
    return env->diag.errors == errors_before ? KADER_OK : KADER_ERROR_FACTS;
}

kader_status kader_facts_load_file(kader_env *env, const char *path)
{
    kader_status st = need_rules(env);
    if (st != KADER_OK)
        return st;
    clear_errors(env);
    API_ENTER(env, return KADER_ERROR_MEMORY);
    int before = env->diag.errors;
    facts_load_file(&env->facts, &env->program->sources, path, &env->diag);
    st = facts_result(env, before);
    env->evaluated = false;
    API_LEAVE();
    return st;
}

kader_status kader_facts_load_string(kader_env *env, const char *name, const char *text, size_t len)
{
    kader_status st = need_rules(env);
    if (st != KADER_OK)
        return st;
    clear_errors(env);
    API_ENTER(env, return KADER_ERROR_MEMORY);
    int before = env->diag.errors;
    facts_load_text(&env->facts, &env->program->sources, name ? name : "<string>", text, len, &env->diag);
    st = facts_result(env, before);
    env->evaluated = false;
    API_LEAVE();
    return st;
}

kader_status kader_facts_set(kader_env *env, const char *path, const char *value)
{
    kader_status st = need_rules(env);
    if (st != KADER_OK)
        return st;
    clear_errors(env);
    API_ENTER(env, return KADER_ERROR_MEMORY);
    Buf assignment = {0};
    buf_printf(&assignment, "%s=%s", path, value ? value : "null");
    int before = env->diag.errors;
    facts_set(&env->facts, &env->program->sources, buf_str(&assignment), &env->diag);
    buf_free(&assignment);
    st = facts_result(env, before);
    env->evaluated = false;
    API_LEAVE();
    return st;
}

/* ---- evaluation ---- */

kader_status kader_evaluate(kader_env *env, const char *date)
{
    kader_status st = need_rules(env);
    if (st != KADER_OK)
        return st;
    clear_errors(env);
    int32_t day;
    if (date) {
        if (date_parse(date, strlen(date), &day) != DATE_OK) {
            add_error(env, "the evaluation date must be a real date written YYYY-MM-DD");
            return KADER_ERROR_USAGE;
        }
    } else {
        day = env->facts.has_date ? env->facts.date : date_today();
    }
    API_ENTER(env, return KADER_ERROR_MEMORY);
    facts_apply_defaults(&env->facts);
    evaluate(&env->ev, &env->facts, day);
    date_format(day, env->date);
    env->evaluated = true;
    API_LEAVE();
    return KADER_OK;
}

/* Result accessors return neutral values when there is no evaluation or the index is out of
 * range, so a careless caller gets NULL/0 rather than a crash. */
#define RESULTS_OR(env, fallback) \
    do {                          \
        if (!(env)->evaluated)    \
            return fallback;      \
    } while (0)

const char *kader_date(const kader_env *env)
{
    RESULTS_OR(env, NULL);
    return env->date;
}

const char *kader_phase(const kader_env *env)
{
    RESULTS_OR(env, NULL);
    return env->ev.phase.kind == V_STRING ? env->ev.phase.as.str : NULL;
}

static const char *missing_name(const kader_env *env, Missing m, size_t k)
{
    if (k >= m.len)
        return NULL;
    return env->program->facts[env->ev.missing_pool[m.start + k]]->name;
}

size_t kader_requirement_count(const kader_env *env)
{
    RESULTS_OR(env, 0);
    return env->program->n_requirements;
}

#define REQUIREMENT_OR(env, i, fallback)                                  \
    do {                                                                  \
        if (!(env)->evaluated || (i) >= (env)->program->n_requirements) \
            return fallback;                                              \
    } while (0)

const char *kader_requirement_id(const kader_env *env, size_t i)
{
    REQUIREMENT_OR(env, i, NULL);
    return env->program->requirements[i]->id;
}

const char *kader_requirement_title(const kader_env *env, size_t i)
{
    REQUIREMENT_OR(env, i, NULL);
    return env->program->requirements[i]->title;
}

kader_outcome kader_requirement_outcome(const kader_env *env, size_t i)
{
    REQUIREMENT_OR(env, i, KADER_UNDETERMINED);
    return (kader_outcome)env->ev.requirements[i].status;
}

static kader_truth truth_of(Value v)
{
    return val_is_true(v) ? KADER_TRUE : val_is_false(v) ? KADER_FALSE : KADER_UNKNOWN;
}

kader_truth kader_requirement_in_force(const kader_env *env, size_t i)
{
    REQUIREMENT_OR(env, i, KADER_UNKNOWN);
    return truth_of(env->ev.requirements[i].in_force);
}

const char *kader_requirement_timing(const kader_env *env, size_t i)
{
    REQUIREMENT_OR(env, i, NULL);
    return timing_name((Timing)env->ev.requirements[i].timing);
}

size_t kader_requirement_missing_count(const kader_env *env, size_t i)
{
    REQUIREMENT_OR(env, i, 0);
    return env->ev.requirements[i].missing.len;
}

const char *kader_requirement_missing(const kader_env *env, size_t i, size_t k)
{
    REQUIREMENT_OR(env, i, NULL);
    return missing_name(env, env->ev.requirements[i].missing, k);
}

const char *kader_fact_question(const kader_env *env, const char *fact)
{
    if (!env->finished || !fact)
        return NULL;
    const FactDecl *f = program_find_fact(env->program, fact);
    return f ? f->ask : NULL;
}

#define PROCEDURE_OR(env, i, fallback)                                  \
    do {                                                                \
        if (!(env)->evaluated || (i) >= (env)->program->n_procedures) \
            return fallback;                                            \
    } while (0)

size_t kader_procedure_count(const kader_env *env)
{
    RESULTS_OR(env, 0);
    return env->program->n_procedures;
}

const char *kader_procedure_id(const kader_env *env, size_t i)
{
    PROCEDURE_OR(env, i, NULL);
    return env->program->procedures[i]->id;
}

const char *kader_procedure_title(const kader_env *env, size_t i)
{
    PROCEDURE_OR(env, i, NULL);
    return env->program->procedures[i]->title;
}

kader_outcome kader_procedure_outcome(const kader_env *env, size_t i)
{
    PROCEDURE_OR(env, i, KADER_UNDETERMINED);
    return (kader_outcome)env->ev.procedures[i].status;
}

const char *kader_procedure_route(const kader_env *env, size_t i)
{
    PROCEDURE_OR(env, i, NULL);
    int32_t r = env->ev.procedures[i].route;
    return r >= 0 ? env->program->procedures[i]->routes[r].id : NULL;
}

const char *kader_procedure_route_text(const kader_env *env, size_t i)
{
    PROCEDURE_OR(env, i, NULL);
    int32_t r = env->ev.procedures[i].route;
    return r >= 0 ? env->program->procedures[i]->routes[r].text : NULL;
}

kader_truth kader_procedure_again(const kader_env *env, size_t i)
{
    PROCEDURE_OR(env, i, KADER_UNKNOWN);
    return truth_of(env->ev.procedures[i].again);
}

size_t kader_procedure_missing_count(const kader_env *env, size_t i)
{
    PROCEDURE_OR(env, i, 0);
    return env->ev.procedures[i].missing.len;
}

const char *kader_procedure_missing(const kader_env *env, size_t i, size_t k)
{
    PROCEDURE_OR(env, i, NULL);
    return missing_name(env, env->ev.procedures[i].missing, k);
}

const char *kader_conclusion_id(const kader_env *env)
{
    RESULTS_OR(env, NULL);
    return env->ev.conclusion >= 0 ? env->program->conclusions[env->ev.conclusion]->id : NULL;
}

const char *kader_conclusion_text(const kader_env *env)
{
    RESULTS_OR(env, NULL);
    return env->ev.conclusion >= 0 ? env->program->conclusions[env->ev.conclusion]->text : NULL;
}

int kader_conclusion_undetermined(const kader_env *env)
{
    RESULTS_OR(env, 0);
    return env->ev.conclusion_undetermined;
}

size_t kader_label_count(const kader_env *env)
{
    RESULTS_OR(env, 0);
    return env->program->n_labels;
}

const char *kader_label_name(const kader_env *env, size_t i)
{
    if (!env->evaluated || i >= env->program->n_labels)
        return NULL;
    return env->program->lets[env->program->label_lets[i]]->name;
}

long kader_label_value_count(const kader_env *env, size_t i)
{
    if (!env->evaluated || i >= env->program->n_labels)
        return -1;
    Value v = env->ev.labels[i];
    return v.kind == V_SET ? (long)v.as.set->len : v.kind == V_STRING ? 1 : -1;
}

const char *kader_label_value(const kader_env *env, size_t i, size_t k)
{
    long n = kader_label_value_count(env, i);
    if (n < 0 || k >= (size_t)n)
        return NULL;
    Value v = env->ev.labels[i];
    return v.kind == V_SET ? v.as.set->items[k] : v.as.str;
}

const char *kader_report_json(kader_env *env, int pretty)
{
    if (!env->evaluated)
        return NULL;
    API_ENTER(env, return NULL);
    buf_clear(&env->json);
    report_json(&env->json, &env->ev, env->facts.source, pretty != 0);
    API_LEAVE();
    return buf_str(&env->json);
}

size_t kader_error_count(const kader_env *env) { return env->n_errors; }

const kader_error *kader_error_at(const kader_env *env, size_t i)
{
    return i < env->n_errors ? &env->errors[i] : NULL;
}
