/* json.h — writing JSON into a Buf, value by value; compact (one line) or pretty (indented). */
#ifndef KADER_JSON_H
#define KADER_JSON_H

#include <stdbool.h>

#include "util.h"
#include "value.h"

typedef struct Json {
    Buf *out;
    bool pretty;
    int depth;
    bool need_comma;
} Json;

/* A JSON string literal; invalid UTF-8 becomes U+FFFD. */
void json_string(Buf *b, const char *s);
/* The same for the len bytes at s (a slice of a message or a file name). */
void json_string_n(Buf *b, const char *s, size_t len);
/* Starts a value: the comma and line break before it, and its key inside an object (key NULL
 * in an array or at the top). */
void json_item(Json *j, const char *key);
void json_open(Json *j, const char *key, char bracket);
void json_close(Json *j, char bracket);
void json_str(Json *j, const char *key, const char *s); /* NULL gives null */
void json_raw(Json *j, const char *key, const char *raw);
void json_bool(Json *j, const char *key, bool v);
void json_value(Json *j, const char *key, Value v);

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when the bytes there are not one. */
int json_utf8_length(const unsigned char *p);

#endif
