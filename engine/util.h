/* util.h — memory, growable buffers, arenas and small helpers shared by every stage of kader. */
#ifndef KADER_UTIL_H
#define KADER_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <stdint.h>

/* Allocation. kader never continues after an allocation fails: these print
 * "kader: out of memory" and exit with status 2, so callers need no NULL checks.
 * KADER_FAIL_ALLOC=N in the environment makes the Nth allocation fail (fault injection). */
void *kdr_malloc(size_t size);
void *kdr_calloc(size_t count, size_t size);
void *kdr_realloc(void *ptr, size_t size);
char *kdr_strdup(const char *s);
char *kdr_strndup(const char *s, size_t len);
void kdr_free(void *ptr);

/* The allocator of the current thread (the embedding API sets the caller's for the length of
 * each call; NULL means the C library's). */
typedef struct KdrAllocator {
    void *(*alloc)(void *ud, size_t size);
    void *(*realloc)(void *ud, void *ptr, size_t size);
    void (*free)(void *ud, void *ptr);
    void *ud;
} KdrAllocator;
const KdrAllocator *kdr_swap_allocator(const KdrAllocator *a); /* returns the previous one */

/* Ends the current operation for lack of memory (see kdr_swap_oom_handler). */
_Noreturn void kdr_out_of_memory(void);

/* Where an allocation failure goes: with a handler set (the embedding API's setjmp), it
 * longjmps there instead of ending the process. Returns the previous handler. */
#include <setjmp.h>
jmp_buf *kdr_swap_oom_handler(jmp_buf *handler);

/* A growable byte buffer, always NUL-terminated once anything was added. */
typedef struct Buf {
    char *data;
    size_t len, cap;
} Buf;

/* Makes room for `extra` more bytes and the NUL. */
void buf_grow(Buf *b, size_t extra);
/* Inline: reports are written a byte and a word at a time, and a call per byte would cost more
 * than the copying. */
static inline void buf_add(Buf *b, const char *s, size_t len)
{
    if (b->len + len + 1 > b->cap)
        buf_grow(b, len);
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}
static inline void buf_putc(Buf *b, char c)
{
    if (b->len + 2 > b->cap)
        buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
void buf_clear(Buf *b);
void buf_free(Buf *b);
char *buf_take(Buf *b); /* hands the string to the caller; the buffer is empty afterwards */
const char *buf_str(const Buf *b); /* "" when empty */

/* Arena: many small allocations freed together. Reset keeps the first chunk,
 * so a reused arena stops allocating once it has grown to its working size. */
typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
    ArenaChunk *head;
    size_t total; /* bytes handed out since the last reset */
} Arena;

void *arena_alloc(Arena *a, size_t size);  /* 8-byte aligned, zeroed */
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t len);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_reset(Arena *a);
void arena_free(Arena *a);

/* A growable array of pointers. */
typedef struct PtrVec {
    void **items;
    int len, cap;
} PtrVec;

void ptrvec_push(PtrVec *v, void *p);
void ptrvec_free(PtrVec *v);
/* Frees each item, then the vector. */
void ptrvec_free_all(PtrVec *v);

/* The names in dir (hidden ones, starting with '.', left out), sorted, appended to names as
 * strings to free (ptrvec_free_all). -1 when dir cannot be opened; 1 when reading it failed
 * part way (names holds what was read); errno says why. Walking in name order keeps every
 * output that depends on a directory deterministic. */
int dir_names_sorted(const char *dir, PtrVec *names);

/* Reads a whole file into a NUL-terminated buffer. On failure returns NULL and sets errno:
 * EFBIG for a file over the 64 MiB every input is limited to. */
char *read_whole_file(const char *path, size_t *len);
/* The same for an open stream (standard input), read to its end; the stream stays open. */
char *read_stream(FILE *f, size_t *len);
/* strerror, except that EFBIG names the limit a file broke ("larger than the 64 MiB limit"). */
const char *read_error_text(int err);

/* Edit distance for "did you mean" suggestions; gives up above limit. */
int edit_distance(const char *a, const char *b, int limit);

bool str_ends_with(const char *s, const char *suffix);

#define KDR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A map from NUL-terminated strings (not copied: they must outlive the map) to ints. */
typedef struct StrMap {
    const char **keys;
    int32_t *values;
    uint32_t cap, len;
} StrMap;

void strmap_put(StrMap *m, const char *key, int32_t value); /* replaces an existing value */
bool strmap_get(const StrMap *m, const char *key, int32_t *value);
void strmap_free(StrMap *m);
uint32_t str_hash(const char *s);

#endif
