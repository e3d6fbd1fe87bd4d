/* util.c — allocation with fault injection, buffers, arenas, file reading, edit distance. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Per thread, so that environments on separate threads never share state. */
static _Thread_local long alloc_countdown = -1; /* -1: fault injection off */
static _Thread_local bool alloc_countdown_read;
static _Thread_local const KdrAllocator *thread_allocator;
static _Thread_local jmp_buf *oom_handler;

const KdrAllocator *kdr_swap_allocator(const KdrAllocator *a)
{
    const KdrAllocator *old = thread_allocator;
    thread_allocator = a;
    return old;
}

jmp_buf *kdr_swap_oom_handler(jmp_buf *handler)
{
    jmp_buf *old = oom_handler;
    oom_handler = handler;
    return old;
}

/* Reads KADER_FAIL_ALLOC once; the test suite uses it to prove that running out of memory
 * anywhere ends in a clean message and exit code, never a crash. */
static bool allocation_should_fail(void)
{
    if (!alloc_countdown_read) {
        alloc_countdown_read = true;
        const char *env = getenv("KADER_FAIL_ALLOC");
        if (env && *env)
            alloc_countdown = strtol(env, NULL, 10);
    }
    if (alloc_countdown < 0)
        return false;
    if (alloc_countdown == 0)
        return true;
    alloc_countdown--;
    return alloc_countdown == 0;
}

void kdr_out_of_memory(void)
{
    if (oom_handler)
        longjmp(*oom_handler, 1);
    fputs("kader: error: out of memory\n", stderr);
    exit(2);
}

static void *raw_malloc(size_t size)
{
    if (allocation_should_fail())
        return NULL;
    return thread_allocator ? thread_allocator->alloc(thread_allocator->ud, size) : malloc(size);
}

void *kdr_malloc(size_t size)
{
    void *p = raw_malloc(size ? size : 1);
    if (!p)
        kdr_out_of_memory();
    return p;
}

void *kdr_calloc(size_t count, size_t size)
{
    if (count == 0)
        count = 1;
    if (size == 0)
        size = 1;
    if (count > SIZE_MAX / size)
        kdr_out_of_memory();
    void *p = raw_malloc(count * size);
    if (!p)
        kdr_out_of_memory();
    memset(p, 0, count * size);
    return p;
}

void *kdr_realloc(void *ptr, size_t size)
{
    void *p = NULL;
    if (!allocation_should_fail())
        p = thread_allocator ? thread_allocator->realloc(thread_allocator->ud, ptr, size ? size : 1)
                             : realloc(ptr, size ? size : 1);
    if (!p)
        kdr_out_of_memory();
    return p;
}

char *kdr_strndup(const char *s, size_t len)
{
    char *p = kdr_malloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *kdr_strdup(const char *s) { return kdr_strndup(s, strlen(s)); }

void kdr_free(void *ptr)
{
    if (!ptr)
        return;
    if (thread_allocator)
        thread_allocator->free(thread_allocator->ud, ptr);
    else
        free(ptr);
}

/* ---- Buf ---- */

void buf_grow(Buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = kdr_realloc(b->data, cap);
    b->cap = cap;
}


void buf_puts(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }


void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    buf_grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_clear(Buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void buf_free(Buf *b)
{
    kdr_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *buf_take(Buf *b)
{
    char *s = b->data ? b->data : kdr_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

const char *buf_str(const Buf *b) { return b->data ? b->data : ""; }

/* ---- Arena ---- */

struct ArenaChunk {
    ArenaChunk *next;
    size_t size, used;
    max_align_t data[]; /* aligned storage */
};

enum { ARENA_MIN_CHUNK = 16 * 1024 };

void *arena_alloc(Arena *a, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    ArenaChunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t chunk = c ? c->size * 2 : ARENA_MIN_CHUNK;
        if (chunk < size)
            chunk = size;
        ArenaChunk *n = kdr_malloc(sizeof(ArenaChunk) + chunk);
        n->size = chunk;
        n->used = 0;
        n->next = c;
        a->head = c = n;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    a->total += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *p = arena_alloc(a, n > 0 ? (size_t)n + 1 : 1);
    if (n > 0)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* Keeps only the largest (newest) chunk so that steady-state use allocates nothing. */
void arena_reset(Arena *a)
{
    ArenaChunk *keep = a->head;
    if (!keep)
        return;
    ArenaChunk *c = keep->next;
    while (c) {
        ArenaChunk *next = c->next;
        kdr_free(c);
        c = next;
    }
    keep->next = NULL;
    keep->used = 0;
    a->total = 0;
}

void arena_free(Arena *a)
{
    ArenaChunk *c = a->head;
    while (c) {
        ArenaChunk *next = c->next;
        kdr_free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

/* ---- PtrVec ---- */

void ptrvec_push(PtrVec *v, void *p)
{
    if (v->len == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->items = kdr_realloc(v->items, (size_t)v->cap * sizeof(void *));
    }
    v->items[v->len++] = p;
}

void ptrvec_free(PtrVec *v)
{
    kdr_free(v->items);
    v->items = NULL;
    v->len = v->cap = 0;
}

/* ---- files ---- */

enum { MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024 };

const char *read_error_text(int err)
{
    if (err == EFBIG)
        return "larger than the 64 MiB limit for an input file";
    return strerror(err);
}

char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    char *text = read_stream(f, len);
    int saved = errno;
    fclose(f);
    errno = saved;
    return text;
}

char *read_stream(FILE *f, size_t *len)
{
    Buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > MAX_INPUT_FILE_BYTES) {
            buf_free(&b);
            errno = EFBIG;
            return NULL;
        }
        buf_add(&b, chunk, n);
    }
    if (ferror(f)) {
        int saved = errno;
        buf_free(&b);
        errno = saved ? saved : EIO;
        return NULL;
    }
    *len = b.len;
    return buf_take(&b);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int dir_names_sorted(const char *dir, PtrVec *names)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *entry;
    while ((errno = 0, entry = readdir(d)) != NULL)
        if (entry->d_name[0] != '.')
            ptrvec_push(names, kdr_strdup(entry->d_name));
    int read_error = errno;
    closedir(d);
    if (names->len > 1)
        qsort(names->items, (size_t)names->len, sizeof names->items[0], compare_names);
    errno = read_error;
    return read_error ? 1 : 0;
}

void ptrvec_free_all(PtrVec *v)
{
    for (int i = 0; i < v->len; i++)
        kdr_free(v->items[i]);
    ptrvec_free(v);
}

/* ---- strings ---- */

int edit_distance(const char *a, const char *b, int limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return limit + 1;
    int prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = prev[j - 1] + cost;
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            cur[j] = best;
            if (best < row_min)
                row_min = best;
        }
        if (row_min > limit)
            return limit + 1;
        memcpy(prev, cur, sizeof(int) * (lb + 1));
    }
    return prev[lb];
}

bool str_ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

/* ---- StrMap: open addressing, power-of-two capacity ---- */

uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static void strmap_grow(StrMap *m)
{
    StrMap bigger = {0};
    bigger.cap = m->cap ? m->cap * 2 : 64;
    bigger.keys = kdr_calloc(bigger.cap, sizeof(char *));
    bigger.values = kdr_calloc(bigger.cap, sizeof(int32_t));
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            strmap_put(&bigger, m->keys[i], m->values[i]);
    strmap_free(m);
    *m = bigger;
}

void strmap_put(StrMap *m, const char *key, int32_t value)
{
    if ((m->len + 1) * 4 >= m->cap * 3)
        strmap_grow(m);
    uint32_t i = str_hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->len++;
    }
    m->values[i] = value;
}

bool strmap_get(const StrMap *m, const char *key, int32_t *value)
{
    if (!m->cap)
        return false;
    uint32_t i = str_hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], key) == 0) {
            *value = m->values[i];
            return true;
        }
        i = (i + 1) & (m->cap - 1);
    }
    return false;
}

void strmap_free(StrMap *m)
{
    kdr_free(m->keys);
    kdr_free(m->values);
    m->keys = NULL;
    m->values = NULL;
    m->cap = m->len = 0;
}
