/* inproc.c — kader's evaluator measured in-process, with the facts already loaded: the rate the
 * lead optimises against. The facts files of a benchmark run are loaded once (with the same
 * loader as `kader eval`) and kept as their slot vectors; then evaluate() runs over them again
 * and again under the clock, for all systems and separately for the complete and the incomplete
 * ones. It also times loading and checking the rule files (parse, resolve, type check).
 *
 * usage: inproc [-r PATH]... --manifest MANIFEST.tsv [--seconds S] [--check] [--profile N]
 *   MANIFEST.tsv  one system per line: its facts file (relative to the manifest's directory), a
 *                 tab, complete or incomplete (bench/gen-facts.js writes it)
 *   --seconds S   measure each rate for at least S seconds (default 2)
 *   --check       evaluate each system once and print its canonical answer line (the format of
 *                 bench/lib/ir.js canonical()) instead of measuring
 *   --profile N   evaluate all systems N times and time nothing else (for callgrind and perf)
 * Without --check, prints one JSON object on stdout. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "eval.h"
#include "facts.h"

/* ---- the loaded systems share one copy of each string and each set ---- */

typedef struct Entry {
    uint64_t hash;
    const void *item; /* const char * or const KdrSet * */
} Entry;

typedef struct Table {
    Entry *slots;
    uint32_t cap, len;
} Table;

static uint64_t hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211u;
    return h;
}

static void table_grow(Table *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : 256;
    Entry *slots = kdr_calloc(cap, sizeof *slots);
    for (uint32_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].item)
            continue;
        uint32_t j = (uint32_t)t->slots[i].hash & (cap - 1);
        while (slots[j].item)
            j = (j + 1) & (cap - 1);
        slots[j] = t->slots[i];
    }
    kdr_free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

/* The slot for `hash` where `same` holds, or the empty slot where it belongs. */
static Entry *table_find(Table *t, uint64_t hash, bool (*same)(const void *item, const void *key), const void *key)
{
    if ((t->len + 1) * 2 > t->cap)
        table_grow(t);
    uint32_t j = (uint32_t)hash & (t->cap - 1);
    while (t->slots[j].item && !(t->slots[j].hash == hash && same(t->slots[j].item, key)))
        j = (j + 1) & (t->cap - 1);
    return &t->slots[j];
}

typedef struct Store {
    Arena arena;
    Table strings, sets;
} Store;

static bool same_string(const void *item, const void *key)
{
    return strcmp(item, key) == 0;
}

static const char *store_string(Store *s, const char *str)
{
    uint64_t h = hash_bytes(str, strlen(str), 14695981039346656037u);
    Entry *e = table_find(&s->strings, h, same_string, str);
    if (!e->item) {
        e->item = arena_strdup(&s->arena, str);
        e->hash = h;
        s->strings.len++;
    }
    return e->item;
}

static bool same_set(const void *item, const void *key)
{
    const KdrSet *a = item, *b = key;
    return a->len == b->len && memcmp(a->items, b->items, a->len * sizeof(char *)) == 0;
}

/* A set whose items are already interned strings (so equal sets have equal item pointers). */
static const KdrSet *store_set(Store *s, const KdrSet *interned_items)
{
    uint64_t h = hash_bytes(interned_items->items, interned_items->len * sizeof(char *), 14695981039346656037u);
    Entry *e = table_find(&s->sets, h, same_set, interned_items);
    if (!e->item) {
        size_t size = sizeof(KdrSet) + interned_items->len * sizeof(char *);
        KdrSet *copy = arena_alloc(&s->arena, size);
        memcpy(copy, interned_items, size);
        e->item = copy;
        e->hash = h;
        s->sets.len++;
    }
    return e->item;
}

static Value store_value(Store *s, Value v)
{
    if (v.kind == V_STRING) {
        v.as.str = store_string(s, v.as.str);
    } else if (v.kind == V_SET) {
        const KdrSet *set = v.as.set;
        KdrSet *tmp = kdr_malloc(sizeof(KdrSet) + (set->len + 1) * sizeof(char *));
        tmp->len = set->len;
        for (uint32_t i = 0; i < set->len; i++)
            tmp->items[i] = store_string(s, set->items[i]);
        v.as.set = store_set(s, tmp);
        kdr_free(tmp);
    }
    return v;
}

static void store_free(Store *s)
{
    arena_free(&s->arena);
    kdr_free(s->strings.slots);
    kdr_free(s->sets.slots);
}

/* ---- the systems ---- */

typedef struct Systems {
    uint32_t n, cap, n_facts;
    Value *values;   /* n * n_facts */
    int32_t *today;  /* n */
    bool *complete;  /* n */
} Systems;

static double now_seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Loads every system of the manifest; -1 after a message on stderr. */
static int load_systems(const Program *p, const char *manifest, Systems *sys, Store *store)
{
    FILE *m = fopen(manifest, "r");
    if (!m) {
        perror(manifest);
        return -1;
    }
    const char *slash = strrchr(manifest, '/');
    size_t dir_len = slash ? (size_t)(slash - manifest) + 1 : 0;
    memset(sys, 0, sizeof *sys);
    sys->n_facts = p->n_facts;
    Facts facts;
    facts_init(&facts, p);
    char line[4096];
    int status = 0;
    int32_t today = date_today();
    while (fgets(line, sizeof line, m)) {
        char *tab = strchr(line, '\t');
        if (!tab) {
            fprintf(stderr, "inproc: %s: a line without a tab: %s", manifest, line);
            status = -1;
            break;
        }
        *tab = '\0';
        bool complete = strncmp(tab + 1, "complete", 8) == 0;
        char path[4096 + 256];
        snprintf(path, sizeof path, "%.*s%s", (int)dir_len, manifest, line);
        Sources sources;
        sources_init(&sources);
        Diag diag;
        diag_init(&diag, &sources, stderr);
        facts_clear(&facts);
        int rc = facts_load_file(&facts, &sources, path, &diag);
        if (rc == 0)
            facts_apply_defaults(&facts);
        sources_free(&sources);
        if (rc != 0) {
            status = -1;
            break;
        }
        if (sys->n == sys->cap) {
            sys->cap = sys->cap ? sys->cap * 2 : 1024;
            sys->values = kdr_realloc(sys->values, (size_t)sys->cap * (p->n_facts + 1) * sizeof(Value));
            sys->today = kdr_realloc(sys->today, sys->cap * sizeof(int32_t));
            sys->complete = kdr_realloc(sys->complete, sys->cap * sizeof(bool));
        }
        Value *row = sys->values + (size_t)sys->n * p->n_facts;
        for (uint32_t i = 0; i < p->n_facts; i++)
            row[i] = store_value(store, facts.values[i]);
        sys->today[sys->n] = facts.has_date ? facts.date : today;
        sys->complete[sys->n] = complete;
        sys->n++;
    }
    facts_free(&facts);
    fclose(m);
    if (status == 0 && sys->n == 0) {
        fprintf(stderr, "inproc: %s names no systems\n", manifest);
        status = -1;
    }
    return status;
}

static void systems_free(Systems *s)
{
    kdr_free(s->values);
    kdr_free(s->today);
    kdr_free(s->complete);
}

/* ---- evaluating ---- */

/* Evaluates the systems for which `which` holds (NULL: all), in order. */
static uint64_t evaluate_pass(Evaluation *ev, Facts *facts, const Systems *sys, const bool *which, bool want)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < sys->n; i++) {
        if (which && which[i] != want)
            continue;
        facts->values = sys->values + (size_t)i * sys->n_facts;
        evaluate(ev, facts, sys->today[i]);
        n++;
    }
    return n;
}

typedef struct Rate {
    uint64_t evaluations;
    double wall, cpu;
} Rate;

static Rate measure(Evaluation *ev, Facts *facts, const Systems *sys, const bool *which, bool want, double seconds)
{
    Rate r = {0};
    double w0 = now_seconds(CLOCK_MONOTONIC), c0 = now_seconds(CLOCK_PROCESS_CPUTIME_ID);
    do {
        uint64_t n = evaluate_pass(ev, facts, sys, which, want);
        if (n == 0)
            break;
        r.evaluations += n;
        r.wall = now_seconds(CLOCK_MONOTONIC) - w0;
    } while (r.wall < seconds);
    r.cpu = now_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
    return r;
}

static void print_rate(const char *name, Rate r, bool comma)
{
    printf("\"%s\":{\"evaluations\":%llu,\"wall_seconds\":%.6f,\"cpu_seconds\":%.6f,\"per_second\":%.1f,"
           "\"per_cpu_second\":%.1f}%s",
           name, (unsigned long long)r.evaluations, r.wall, r.cpu, r.wall > 0 ? (double)r.evaluations / r.wall : 0,
           r.cpu > 0 ? (double)r.evaluations / r.cpu : 0, comma ? "," : "");
}

/* ---- --check: the canonical answer line ---- */

static void put_value(Buf *b, Value v)
{
    if (v.kind == V_SET) {
        buf_putc(b, '{');
        for (uint32_t i = 0; i < v.as.set->len; i++) {
            if (i)
                buf_putc(b, ',');
            buf_puts(b, v.as.set->items[i]);
        }
        buf_putc(b, '}');
    } else if (v.kind == V_STRING) {
        buf_puts(b, v.as.str);
    } else if (v.kind == V_UNKNOWN) {
        buf_putc(b, '?');
    } else {
        value_format(b, v);
    }
}

static char truth(Value v)
{
    return v.kind != V_BOOL ? '?' : v.as.b ? 'T' : 'F';
}

static void canonical_line(Buf *b, const Evaluation *ev)
{
    const Program *p = ev->program;
    static const char status[] = {'A', 'N', 'U'};
    buf_puts(b, "phase=");
    put_value(b, ev->phase);
    for (uint32_t i = 0; i < p->n_labels; i++) {
        buf_printf(b, "\tlabel:%s=", p->lets[p->label_lets[i]]->name);
        Value v = ev->labels[i];
        if (v.kind == V_STRING) /* a string label reads as a set of one, as in the JSON report */
            buf_printf(b, "{%s}", v.as.str);
        else
            put_value(b, v);
    }
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementResult *r = &ev->requirements[i];
        const char *t = timing_name((Timing)r->timing);
        buf_printf(b, "\treq:%s=%c/%c/%s", p->requirements[i]->id, status[r->status], truth(r->in_force), t ? t : "-");
    }
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureResult *r = &ev->procedures[i];
        const ProcedureDecl *proc = p->procedures[i];
        const char *route = r->route >= 0 ? proc->routes[r->route].id : r->route_undetermined ? "?" : "-";
        buf_printf(b, "\tproc:%s=%c/%s/%c", proc->id, status[r->status], route, truth(r->again));
    }
    if (p->n_conclusions)
        buf_printf(b, "\tconclusion=%s", ev->conclusion >= 0 ? p->conclusions[ev->conclusion]->id
                                         : ev->conclusion_undetermined ? "?" : "-");
    buf_puts(b, "\twarnings=");
    bool first = true;
    for (uint32_t i = 0; i < p->n_warnings; i++) {
        if (!ev->warnings[i])
            continue;
        buf_printf(b, "%s%s", first ? "" : ",", p->warnings[i]->id);
        first = false;
    }
    buf_putc(b, '\n');
}

/* ---- loading and checking the rules ---- */

static Program *load_rules(const RuleOptions *ro, FILE *messages)
{
    Diag diag;
    diag_init(&diag, NULL, messages);
    return rule_options_load(ro, &diag, NULL, 0);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Loads the rules again and again for about a second: the fastest and the median time, in ms. */
static void time_loading(const RuleOptions *ro, double *min_ms, double *median_ms, int *runs)
{
    enum { MAX_RUNS = 200 };
    double ms[MAX_RUNS];
    int n = 0;
    double start = now_seconds(CLOCK_MONOTONIC);
    while (n < MAX_RUNS && (n < 5 || now_seconds(CLOCK_MONOTONIC) - start < 1.0)) {
        double t0 = now_seconds(CLOCK_MONOTONIC);
        Program *p = load_rules(ro, NULL);
        ms[n++] = (now_seconds(CLOCK_MONOTONIC) - t0) * 1000;
        if (p)
            program_free(p);
    }
    qsort(ms, (size_t)n, sizeof ms[0], compare_doubles);
    *min_ms = ms[0];
    *median_ms = ms[n / 2];
    *runs = n;
}

static int usage(void)
{
    fputs("usage: inproc [-r PATH]... --manifest MANIFEST.tsv [--seconds S] [--check] [--profile N]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    RuleOptions ro = {0};
    const char *manifest = NULL;
    double seconds = 2.0;
    bool check = false;
    long profile = 0;
    for (int i = 1; i < argc; i++) {
        bool has_value = i + 1 < argc;
        if ((strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--rules") == 0) && has_value) {
            rule_options_parse(&ro, 'r', argv[++i]);
        } else if (strcmp(argv[i], "--manifest") == 0 && has_value) {
            manifest = argv[++i];
        } else if (strcmp(argv[i], "--seconds") == 0 && has_value) {
            seconds = strtod(argv[++i], NULL);
        } else if (strcmp(argv[i], "--profile") == 0 && has_value) {
            profile = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--check") == 0) {
            check = true;
        } else {
            rule_options_free(&ro);
            return usage();
        }
    }
    if (!manifest || !(seconds > 0) || profile < 0) {
        rule_options_free(&ro);
        return usage();
    }

    Program *program = load_rules(&ro, stderr);
    if (!program) {
        rule_options_free(&ro);
        return 2;
    }
    Store store = {0};
    Systems sys;
    double l0 = now_seconds(CLOCK_MONOTONIC);
    if (load_systems(program, manifest, &sys, &store) != 0) {
        systems_free(&sys);
        store_free(&store);
        program_free(program);
        rule_options_free(&ro);
        return 2;
    }
    double facts_seconds = now_seconds(CLOCK_MONOTONIC) - l0;

    Facts facts;
    facts_init(&facts, program);
    Value *own_values = facts.values; /* facts.values points into sys while evaluating */
    Evaluation ev;
    evaluation_init(&ev, program);
    int status = 0;
    if (check) {
        Buf line = {0};
        for (uint32_t i = 0; i < sys.n; i++) {
            facts.values = sys.values + (size_t)i * sys.n_facts;
            evaluate(&ev, &facts, sys.today[i]);
            buf_clear(&line);
            canonical_line(&line, &ev);
            fwrite(line.data, 1, line.len, stdout);
        }
        buf_free(&line);
    } else if (profile) {
        for (long r = 0; r < profile; r++)
            evaluate_pass(&ev, &facts, &sys, NULL, false);
    } else {
        uint32_t n_complete = 0;
        for (uint32_t i = 0; i < sys.n; i++)
            n_complete += sys.complete[i];
        evaluate_pass(&ev, &facts, &sys, NULL, false); /* warm the caches once */
        Rate all = measure(&ev, &facts, &sys, NULL, false, seconds);
        Rate complete = measure(&ev, &facts, &sys, sys.complete, true, seconds);
        Rate incomplete = measure(&ev, &facts, &sys, sys.complete, false, seconds);
        double load_min, load_median;
        int load_runs;
        time_loading(&ro, &load_min, &load_median, &load_runs);
        printf("{\"engine\":\"kader-inproc\",\"systems\":%u,\"complete\":%u,\"incomplete\":%u,"
               "\"facts_load_seconds\":%.6f,\"distinct_strings\":%u,\"distinct_sets\":%u,",
               sys.n, n_complete, sys.n - n_complete, facts_seconds, store.strings.len, store.sets.len);
        print_rate("all", all, true);
        print_rate("complete_facts", complete, true);
        print_rate("incomplete_facts", incomplete, true);
        printf("\"rules\":{\"facts\":%u,\"definitions\":%u,\"requirements\":%u,\"procedures\":%u,"
               "\"files\":%u,\"load_ms_min\":%.3f,\"load_ms_median\":%.3f,\"load_runs\":%d}}\n",
               program->n_facts, program->n_lets, program->n_requirements, program->n_procedures,
               program->sources.len ? program->sources.len - 1 : 0, load_min, load_median, load_runs);
    }
    if (fflush(stdout) != 0) {
        perror("inproc: stdout");
        status = 2;
    }
    facts.values = own_values;
    facts_free(&facts);
    evaluation_free(&ev);
    systems_free(&sys);
    store_free(&store);
    program_free(program);
    rule_options_free(&ro);
    return status;
}
