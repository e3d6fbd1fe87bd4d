/* test_threads.c — separate environments evaluate at the same time on separate threads and
 * give exactly the report a single thread gives (run under ThreadSanitizer in CI). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kader.h"

enum { THREADS = 4, ROUNDS = 25 };

static const char *const examples[] = {
    KADER_SOURCE_DIR "/examples/grensbewaking-biometrie.yaml",
    KADER_SOURCE_DIR "/examples/chatbot-gemeente.yaml",
    KADER_SOURCE_DIR "/examples/onvolledig-feiten.yaml",
    KADER_SOURCE_DIR "/examples/cv-selectie.yaml",
};
enum { N_EXAMPLES = sizeof examples / sizeof examples[0] };

static char *expected[N_EXAMPLES];

/* Counts the caller's allocator in use, to show it is the one kader uses. */
typedef struct Counter {
    long allocations;
} Counter;

static void *counting_alloc(void *ud, size_t size) { ((Counter *)ud)->allocations++; return malloc(size); }
static void *counting_realloc(void *ud, void *p, size_t size) { ((Counter *)ud)->allocations++; return realloc(p, size); }
static void counting_free(void *ud, void *p) { (void)ud; free(p); }

static char *report_of(kader_env *env, const char *path)
{
    kader_facts_clear(env);
    if (kader_facts_load_file(env, path) != KADER_OK || kader_evaluate(env, "2028-01-01") != KADER_OK)
        return NULL;
    const char *json = kader_report_json(env, 0);
    return json ? strdup(json) : NULL;
}

static kader_env *new_env(Counter *counter)
{
    kader_allocator a = {counting_alloc, counting_realloc, counting_free, counter};
    kader_env *env = kader_env_new(counter ? &a : NULL);
    if (!env || kader_rules_add_defaults(env) != KADER_OK || kader_rules_finish(env) != KADER_OK) {
        if (env)
            for (size_t i = 0; i < kader_error_count(env); i++)
                fprintf(stderr, "%s\n", kader_error_at(env, i)->message);
        kader_env_free(env);
        return NULL;
    }
    return env;
}

static void *worker(void *arg)
{
    long id = (long)arg;
    Counter counter = {0};
    kader_env *env = new_env(&counter);
    long failures = env ? 0 : 1;
    for (int round = 0; env && round < ROUNDS; round++) {
        int which = (int)((id + round) % N_EXAMPLES);
        char *got = report_of(env, examples[which]);
        if (!got || strcmp(got, expected[which]) != 0)
            failures++;
        free(got);
    }
    kader_env_free(env);
    if (counter.allocations == 0)
        failures++;
    return (void *)failures;
}

int main(void)
{
    kader_env *env = new_env(NULL);
    if (!env)
        return 1;
    for (int i = 0; i < N_EXAMPLES; i++) {
        expected[i] = report_of(env, examples[i]);
        if (!expected[i]) {
            fprintf(stderr, "cannot evaluate %s\n", examples[i]);
            return 1;
        }
    }
    kader_env_free(env);
    pthread_t threads[THREADS];
    for (long t = 0; t < THREADS; t++)
        pthread_create(&threads[t], NULL, worker, (void *)t);
    long failures = 0;
    for (int t = 0; t < THREADS; t++) {
        void *r;
        pthread_join(threads[t], &r);
        failures += (long)r;
    }
    for (int i = 0; i < N_EXAMPLES; i++)
        free(expected[i]);
    printf("%d threads x %d evaluations: %ld failures\n", THREADS, ROUNDS, failures);
    return failures ? 1 : 0;
}
