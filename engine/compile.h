/* compile.h — the parts of `kader compile` shared by its files: requirement documents as read
 * (front matter as a small tree, Markdown sections, fenced ```kader blocks), the compile session,
 * and the step that turns one document into rule text.
 *
 *   compile.c        command line, inputs, measures, writing the output files
 *   compile_doc.c    reading a document: front matter (libyaml), sections, tables, lists
 *   compile_rules.c  one document -> rule text: fields, applicability, exceptions, quoting
 */
#ifndef KADER_COMPILE_H
#define KADER_COMPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "program.h"
#include "util.h"

enum {
    NO_OFFSET = UINT32_MAX,
    /* Limits on what comes from outside, so a hostile document cannot exhaust us. */
    CK_MAX_YAML_DEPTH = 64,
    CK_MAX_YAML_NODES = 200000,
    CK_MAX_EXPR_DEPTH = 100,
};

/* ---- front matter ---- */

typedef enum YKind { Y_NULL, Y_SCALAR, Y_SEQ, Y_MAP } YKind;

typedef struct YNode YNode;
struct YNode {
    YKind kind;
    const char *str;   /* Y_SCALAR: the value; Y_NULL: "" */
    uint32_t off, end; /* byte span in the document */
    /* Byte offset where str's bytes appear verbatim in the document (plain or quoted one-line
     * scalars), so that a message can point inside the value; NO_OFFSET when they do not. */
    uint32_t val_off;
    YNode **kids;      /* Y_SEQ: the items; Y_MAP: key0, value0, key1, value1, ... */
    uint32_t n;        /* Y_SEQ: items; Y_MAP: pairs */
};

/* ---- Markdown ---- */

typedef struct Section {
    const char *title; /* normalised: lower case, attribute list and closing '#'s removed */
    int level;
    uint32_t head;     /* offset of the heading line */
    uint32_t start;    /* offset of the first line after the heading */
    uint32_t end;      /* offset after the section's last line */
} Section;

typedef struct KaderBlock {
    uint32_t fence;    /* offset of the opening ``` line */
    uint32_t start;    /* offset of the first line of rule text */
    uint32_t end;      /* offset after its last line (the closing fence's start) */
} KaderBlock;

/* A line of Markdown: [start, end) without the line break. */
typedef struct Line {
    uint32_t start, end;
} Line;

typedef enum DocKind { DOC_REQUIREMENT, DOC_MEASURE } DocKind;

typedef struct MeasureRef { /* a measure that names this requirement */
    const char *id, *title;
} MeasureRef;

typedef struct Doc {
    const char *path;  /* as the user wrote it (a directory argument joined with the entry) */
    const char *stem;  /* file name without directory and ".md" (also "x.md.md" -> "x") */
    const char *dirname; /* name of the directory holding the file ("maatregelen", ...) */
    uint32_t file;     /* index in the session's Sources */
    const char *text;
    uint32_t len;
    uint32_t *line_starts; /* offset of each line, for libyaml marks */
    uint32_t n_lines;

    YNode *fm;         /* the front matter mapping; NULL without front matter */
    uint32_t body;     /* offset where the Markdown after the front matter starts */

    Section *sections; uint32_t n_sections;
    KaderBlock *blocks; uint32_t n_blocks;
    Line *fenced; uint32_t n_fenced; /* every fenced code block, fences included */

    DocKind kind;
    const char *id;    /* requirement or measure id */
    const char *title;
    const char *out_name; /* requirements: file name in OUTDIR */
    int hand_written;  /* 1 + index of the kader block that declares this requirement, or 0 */

    PtrVec measures;   /* MeasureRef *, requirements only */
    char *output;      /* rule text, requirements only (kdr_malloc) */
} Doc;

/* ---- the session ---- */

typedef struct Compiler {
    Arena arena;       /* documents, trees and strings: freed together at the end */
    Program *program;  /* its Sources hold the documents, so the rule parser can read them */
    Diag diag;
    DiagLevel warn;    /* DIAG_WARNING, or DIAG_ERROR under --werror */
    PtrVec docs;       /* Doc *, in input order */
    int yaml_nodes;    /* nodes of the current front matter (limit against alias bombs) */
} Compiler;

/* compile_doc.c */
/* Reads and parses one document into the session; NULL (after a message) when it cannot. */
Doc *doc_load(Compiler *c, const char *path, const char *display_path);
const SourceFile *doc_source(const Compiler *c, const Doc *d);
KdrLoc doc_loc(const Doc *d, uint32_t start, uint32_t end);
KdrLoc node_loc(const Doc *d, const YNode *n);
/* The value of a front-matter key (compared ignoring ASCII case); NULL when absent. */
const YNode *fm_get(const Doc *d, const char *key, const YNode **key_node);
/* The lines of [start, end). The caller frees *lines. */
uint32_t doc_lines(const Doc *d, uint32_t start, uint32_t end, Line **lines);
/* Whether offset lies in a fenced code block (whose lines are no list, table or heading). */
bool doc_in_fence(const Doc *d, uint32_t offset);
/* The sections whose normalised title is `title` (with any trailing '?' or ':' ignored). */
uint32_t doc_find_sections(const Doc *d, const char *title, const Section **out, uint32_t max);

/* compile_rules.c */
/* Builds d->output, the rule file for one requirement document; messages go to c->diag. */
void render_requirement(Compiler *c, Doc *d);
/* The id a document gets when its front matter has none (2024 format: from the file name). */
const char *derive_id(Compiler *c, const Doc *d, bool measure, bool *warn_no_id);

/* Text helpers shared by the files. */
void put_quoted(Buf *b, const char *s);   /* "..." with \" and \\, newlines as spaces */
char *str_trim_dup(Arena *a, const char *s, size_t len);
bool str_ieq(const char *a, const char *b);
/* Lower case, trimmed, inner blanks as '-': "Machine learning" -> "machine-learning". */
char *slug(Arena *a, const char *s);
/* A name the rule language accepts where a name is expected (no reserved word). */
bool is_rule_name(const char *s);
/* PtrVec holds void *; the strings the compiler collects are const and never written through. */
static inline void push_const(PtrVec *v, const void *p) { ptrvec_push(v, (void *)(uintptr_t)p); }

#endif
