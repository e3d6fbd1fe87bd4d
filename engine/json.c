/* json.c — the one JSON writer of kader's outputs (reports, explanations): strings escaped and
 * made valid UTF-8, compact or indented two spaces per level. */
#include "json.h"

#include <stdint.h>
#include <string.h>

#include "value.h"

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when the bytes there are not one
 * (overlong forms, surrogates and code points above U+10FFFF included). */
int json_utf8_length(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    int n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || p[0] > 0xF4)
        return 0;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0)))
        return 0;
    if (n == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90)))
        return 0;
    return n;
}


/* Bytes that a JSON string holds as they are: ASCII from the space on, but the quote and the
 * backslash (a row per 16 bytes). */
static const unsigned char json_plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Whether any of the 8 bytes in x needs a look: a control character, '"', '\\' or a byte of a
 * UTF-8 sequence (the usual bit tricks: exact, no false alarms for ASCII). */
static inline bool word_needs_look(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    uint64_t control = (x - ones * 0x20) & ~x;
    uint64_t is_quote = (quote - ones) & ~quote, is_backslash = (backslash - ones) & ~backslash;
    return ((x | control | is_quote | is_backslash) & highs) != 0;
}

void json_string(Buf *b, const char *s)
{
    json_string_n(b, s, strlen(s));
}

void json_string_n(Buf *b, const char *s, size_t len)
{
    buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        /* Most text needs no escape, UTF-8 included: find the end of the run eight bytes at a
         * time, and copy it at once. */
        const unsigned char *run = p;
        for (;;) {
            uint64_t word;
            if (end - p >= 8 && (memcpy(&word, p, 8), !word_needs_look(word))) {
                p += 8;
                continue;
            }
            if (p < end && json_plain[*p]) {
                p++;
                continue;
            }
            int n = p < end && *p >= 0x80 ? json_utf8_length(p) : 0;
            if (n == 0)
                break;
            p += n;
        }
        if (p > run)
            buf_add(b, (const char *)run, (size_t)(p - run));
        if (p == end)
            break;
        switch (*p) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        default:
            /* Rule and facts text is checked UTF-8, but file names are bytes. */
            if (*p < 0x20)
                buf_printf(b, "\\u%04x", *p);
            else
                buf_puts(b, "\\ufffd");
        }
        p++;
    }
    buf_putc(b, '"');
}

static void json_newline(Json *j)
{
    if (!j->pretty)
        return;
    buf_putc(j->out, '\n');
    for (int i = 0; i < j->depth; i++)
        buf_puts(j->out, "  ");
}

/* Starts a value: the comma and line break before it, and its key inside an object. */
void json_item(Json *j, const char *key)
{
    if (j->need_comma)
        buf_putc(j->out, ',');
    if (j->depth > 0)
        json_newline(j);
    if (key) {
        /* Keys are short and nearly always plain ASCII ("status", "in_force"): copied as they
         * are, with the general escaping only for one that needs it. */
        const unsigned char *k = (const unsigned char *)key;
        while (json_plain[*k])
            k++;
        if (*k) {
            json_string(j->out, key);
        } else {
            buf_putc(j->out, '"');
            buf_add(j->out, key, (size_t)(k - (const unsigned char *)key));
            buf_putc(j->out, '"');
        }
        buf_add(j->out, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
    }
    j->need_comma = true;
}

void json_open(Json *j, const char *key, char bracket)
{
    json_item(j, key);
    buf_putc(j->out, bracket);
    j->depth++;
    j->need_comma = false;
}

void json_close(Json *j, char bracket)
{
    bool empty = !j->need_comma;
    j->depth--;
    if (!empty)
        json_newline(j);
    buf_putc(j->out, bracket);
    j->need_comma = true;
}

void json_str(Json *j, const char *key, const char *s)
{
    json_item(j, key);
    if (s)
        json_string(j->out, s);
    else
        buf_puts(j->out, "null");
}

void json_raw(Json *j, const char *key, const char *raw)
{
    json_item(j, key);
    buf_puts(j->out, raw);
}

void json_value(Json *j, const char *key, Value v)
{
    char date[11];
    switch ((ValueKind)v.kind) {
    case V_UNKNOWN: json_raw(j, key, "null"); return;
    case V_BOOL: json_raw(j, key, v.as.b ? "true" : "false"); return;
    case V_NUMBER: json_item(j, key); number_format(j->out, v.as.num); return;
    case V_STRING: json_str(j, key, v.as.str); return;
    case V_DATE: date_format(v.as.date, date); json_str(j, key, date); return;
    case V_SET:
        json_open(j, key, '[');
        for (uint32_t i = 0; i < v.as.set->len; i++)
            json_str(j, NULL, v.as.set->items[i]);
        json_close(j, ']');
        return;
    }
}

void json_bool(Json *j, const char *key, bool v)
{
    json_raw(j, key, v ? "true" : "false");
}
