/* value.c — sets of strings, equality, calendar dates and value formatting. */
#define _POSIX_C_SOURCE 200809L
#include "value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const KdrSet *set_build(Arena *a, const char *const *items, size_t len)
{
    KdrSet *s = arena_alloc(a, sizeof(KdrSet) + len * sizeof(const char *));
    for (size_t i = 0; i < len; i++)
        s->items[i] = items[i];
    qsort(s->items, len, sizeof(const char *), compare_strings);
    uint32_t out = 0;
    for (size_t i = 0; i < len; i++)
        if (out == 0 || strcmp(s->items[out - 1], s->items[i]) != 0)
            s->items[out++] = s->items[i];
    for (uint32_t i = 0; i < out; i++)
        s->items[i] = arena_strdup(a, s->items[i]);
    s->len = out;
    return s;
}

bool set_contains(const KdrSet *s, const char *item)
{
    uint32_t lo = 0, hi = s->len;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->items[mid], item);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

bool set_is_subset(const KdrSet *sub, const KdrSet *super)
{
    for (uint32_t i = 0; i < sub->len; i++)
        if (!set_contains(super, sub->items[i]))
            return false;
    return true;
}

bool set_intersects(const KdrSet *a, const KdrSet *b)
{
    uint32_t i = 0, j = 0;
    while (i < a->len && j < b->len) {
        int c = strcmp(a->items[i], b->items[j]);
        if (c == 0)
            return true;
        if (c < 0)
            i++;
        else
            j++;
    }
    return false;
}

const KdrSet *set_union(Arena *a, const KdrSet *x, const KdrSet *y)
{
    KdrSet *s = arena_alloc(a, sizeof(KdrSet) + (x->len + y->len) * sizeof(const char *));
    uint32_t i = 0, j = 0, n = 0;
    while (i < x->len || j < y->len) {
        int c = i == x->len ? 1 : j == y->len ? -1 : strcmp(x->items[i], y->items[j]);
        if (c <= 0) {
            s->items[n++] = x->items[i++];
            if (c == 0)
                j++;
        } else {
            s->items[n++] = y->items[j++];
        }
    }
    s->len = n;
    return s;
}

bool set_equal(const KdrSet *a, const KdrSet *b)
{
    if (a->len != b->len)
        return false;
    for (uint32_t i = 0; i < a->len; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return false;
    return true;
}

bool val_equal(Value a, Value b)
{
    if (a.kind != b.kind)
        return false;
    switch ((ValueKind)a.kind) {
    case V_UNKNOWN: return false;
    case V_BOOL: return a.as.b == b.as.b;
    case V_NUMBER: return a.as.num == b.as.num;
    case V_STRING: return a.as.str == b.as.str || strcmp(a.as.str, b.as.str) == 0;
    case V_DATE: return a.as.date == b.as.date;
    case V_SET: return set_equal(a.as.set, b.as.set);
    }
    return false;
}

const char *type_name(KdrType t)
{
    switch (t) {
    case T_ANY: return "unknown";
    case T_BOOL: return "bool";
    case T_NUMBER: return "number";
    case T_STRING: return "string";
    case T_DATE: return "date";
    case T_SET: return "set";
    }
    return "?";
}

const char *value_kind_name(ValueKind k)
{
    switch (k) {
    case V_UNKNOWN: return "unknown";
    case V_BOOL: return "bool";
    case V_NUMBER: return "number";
    case V_STRING: return "string";
    case V_DATE: return "date";
    case V_SET: return "set";
    }
    return "?";
}

/* ---- dates: days since 1970-01-01 in the proleptic Gregorian calendar ---- */

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Howard Hinnant's days_from_civil, restated. */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

bool date_is_shape(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

DateParse date_parse(const char *s, size_t len, int32_t *days)
{
    if (!date_is_shape(s, len))
        return DATE_SYNTAX;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return DATE_IMPOSSIBLE;
    *days = days_from_civil(y, m, d);
    return DATE_OK;
}

void date_format(int32_t days, char out[11])
{
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    if (y >= 0 && y <= 9999) {
        /* Every report writes a date per requirement: digits by hand, not through printf. */
        const char text[11] = {(char)('0' + y / 1000), (char)('0' + y / 100 % 10), (char)('0' + y / 10 % 10),
                               (char)('0' + y % 10), '-', (char)('0' + m / 10), (char)('0' + m % 10), '-',
                               (char)('0' + d / 10), (char)('0' + d % 10), '\0'};
        memcpy(out, text, sizeof text);
        return;
    }
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

int32_t date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void number_format(Buf *b, double n)
{
    if (isfinite(n) && n == floor(n) && fabs(n) < 1e15) {
        /* A whole number (the counts of a report): its digits by hand. -0 prints as 0. */
        char digits[24];
        int len = 0;
        long long whole = (long long)fabs(n);
        do {
            digits[len++] = (char)('0' + whole % 10);
            whole /= 10;
        } while (whole);
        if (n < 0)
            buf_putc(b, '-');
        while (len)
            buf_putc(b, digits[--len]);
        return;
    }
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, n);
        if (strtod(tmp, NULL) == n)
            break;
    }
    buf_puts(b, tmp);
}

static void quoted_string(Buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_putc(b, '\\');
        if (*s == '\n')
            buf_puts(b, "\\n");
        else if (*s == '\t')
            buf_puts(b, "\\t");
        else
            buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

void value_format(Buf *b, Value v)
{
    char date[11];
    switch ((ValueKind)v.kind) {
    case V_UNKNOWN: buf_puts(b, "unknown"); return;
    case V_BOOL: buf_puts(b, v.as.b ? "true" : "false"); return;
    case V_NUMBER: number_format(b, v.as.num); return;
    case V_STRING: quoted_string(b, v.as.str); return;
    case V_DATE: date_format(v.as.date, date); buf_puts(b, date); return;
    case V_SET:
        buf_putc(b, '{');
        for (uint32_t i = 0; i < v.as.set->len; i++) {
            if (i)
                buf_puts(b, ", ");
            quoted_string(b, v.as.set->items[i]);
        }
        buf_putc(b, '}');
        return;
    }
}
