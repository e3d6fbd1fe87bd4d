/* value.h — kader's run-time values (unknown, bool, number, string, date, set of strings),
 * their static types, and calendar dates. */
#ifndef KADER_VALUE_H
#define KADER_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef enum ValueKind {
    V_UNKNOWN = 0, /* zero-initialised memory is unknown: absent facts cost nothing */
    V_BOOL,
    V_NUMBER,
    V_STRING,
    V_DATE,
    V_SET
} ValueKind;

/* A set of strings: sorted by strcmp, no duplicates. Immutable once built. */
typedef struct KdrSet {
    uint32_t len;
    const char *items[];
} KdrSet;

typedef struct Value {
    uint8_t kind; /* ValueKind */
    union {
        bool b;
        double num;
        int32_t date; /* days since 1970-01-01 */
        const char *str;
        const KdrSet *set;
    } as;
} Value;

static inline Value val_unknown(void) { Value v = {0}; return v; }
static inline Value val_bool(bool b) { Value v = {.kind = V_BOOL}; v.as.b = b; return v; }
static inline Value val_number(double n) { Value v = {.kind = V_NUMBER}; v.as.num = n; return v; }
static inline Value val_string(const char *s) { Value v = {.kind = V_STRING}; v.as.str = s; return v; }
static inline Value val_date(int32_t d) { Value v = {.kind = V_DATE}; v.as.date = d; return v; }
static inline Value val_set(const KdrSet *s) { Value v = {.kind = V_SET}; v.as.set = s; return v; }
static inline bool val_is_known(Value v) { return v.kind != V_UNKNOWN; }
static inline bool val_is_true(Value v) { return v.kind == V_BOOL && v.as.b; }
static inline bool val_is_false(Value v) { return v.kind == V_BOOL && !v.as.b; }

/* Builds a set from strings (copied into the arena), sorting and removing duplicates. */
const KdrSet *set_build(Arena *a, const char *const *items, size_t len);
bool set_contains(const KdrSet *s, const char *item);
bool set_is_subset(const KdrSet *sub, const KdrSet *super);
bool set_intersects(const KdrSet *a, const KdrSet *b);
const KdrSet *set_union(Arena *a, const KdrSet *x, const KdrSet *y);
bool set_equal(const KdrSet *a, const KdrSet *b);

/* Equality of two known values of the same kind. */
bool val_equal(Value a, Value b);

/* Static types, checked at load time. T_ANY is the type of `unknown`. */
typedef enum KdrType { T_ANY, T_BOOL, T_NUMBER, T_STRING, T_DATE, T_SET } KdrType;
const char *type_name(KdrType t);
const char *value_kind_name(ValueKind k);

/* Dates. date_parse accepts exactly YYYY-MM-DD and rejects impossible days (2026-02-30). */
typedef enum DateParse { DATE_OK, DATE_SYNTAX, DATE_IMPOSSIBLE } DateParse;
DateParse date_parse(const char *s, size_t len, int32_t *days);
bool date_is_shape(const char *s, size_t len); /* looks like YYYY-MM-DD, valid or not */
void date_format(int32_t days, char out[11]);
int32_t date_today(void);

/* Writes a value as kader source / report text: "x", 3, 2026-08-02, {"a", "b"}, unknown. */
void value_format(Buf *b, Value v);
/* Numbers as the shortest text that reads back the same (8, 0.5). */
void number_format(Buf *b, double n);

#endif
