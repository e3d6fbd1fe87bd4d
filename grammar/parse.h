/* parse.h — the interface between the flex scanner, the bison parser and the loader. */
#ifndef KADER_PARSE_H
#define KADER_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "program.h"
#include "util.h"

enum { KDR_MAX_BRACE_DEPTH = 64 };

/* State shared by the scanner and the parser of one source range. */
typedef struct ParseCtx {
    Arena *arena;          /* where the AST goes: the program's arena */
    Diag *diag;
    const SourceFile *source;
    uint32_t file;         /* index of the source in the program's Sources */
    uint32_t offset;       /* byte offset of the scanner's position in the source */
    uint32_t end;          /* byte offset where scanning stops */
    int errors_at_start;   /* diag->errors before this parse: the file is good if unchanged */
    KdrLoc open_braces[KDR_MAX_BRACE_DEPTH]; /* unclosed '{' for "is a '}' missing?" hints */
    int brace_depth;
    bool brace_is_table[KDR_MAX_BRACE_DEPTH]; /* the '{' opened a first-match table */
    bool after_first;      /* the last token was 'first' */
    int expr_depth;        /* nesting of parentheses and tables, limited */
    ParsedFile *out;
    /* Comments are dropped by the parser; `kader fmt` asks the scanner to keep their places. */
    bool keep_comments;
    KdrLoc *comments;      /* kdr_malloc'd, in source order */
    uint32_t n_comments, cap_comments;
} ParseCtx;

/* Parses source[start, end) of a file already in the program's Sources; the declarations are
 * appended to out. Returns 0 when the range had no errors. A range lets literate Markdown
 * documents point errors at the right line of the document. */
int kdr_parse_range(Program *program, uint32_t file, uint32_t start, uint32_t end, Diag *diag,
                    ParsedFile *out);

/* A token as the scanner sees it, for tools that work on the text (kader fmt). kind is the
 * parser's token number (parser.h: NAME, K_FACT, '{', ...) or KDR_TOKEN_COMMENT for a comment,
 * which runs from '#' to the end of its line (a '\r' before the line break included). */
enum { KDR_TOKEN_COMMENT = -100 };
typedef struct KdrToken {
    int kind;
    KdrLoc loc;
} KdrToken;

/* Scans a whole file of the program's Sources into tokens and comments, in source order. The
 * caller frees *tokens with kdr_free. Returns 0, or -1 after reporting a lexical error to diag. */
int kdr_tokenize(Program *program, uint32_t file, Diag *diag, KdrToken **tokens, uint32_t *n_tokens);

/* Keyword lookup for the scanner: the token number, or 0 for an ordinary name. */
int kdr_keyword_token(const char *text, size_t len);
/* All keywords, for "did you mean" hints. */
extern const char *const kdr_keywords[];

#endif
