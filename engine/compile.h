/* compile.h — the parts of `kader compile` shared by its files: requirement documents as read
 * (front matter as a small tree, Markdown sections, fenced ```kader blocks), the compile session,
 * and the step that turns one document into rule text.
 *
 *   compile.c        command line, inputs, measures, writing the output files
 *   compile_doc.c    reading a document: front matter (libyaml), sections, tables, lists
 *   compile_rules.c  one document -> rule text: fields, sources, applicability, quoting
 *   compile_expr.c   the exception expressions of the 2026 format: parser and translation
 *   compile_lineage.c  2024 documents and their 2026 successors: the lineage table
 *                    (stdlib/lineage-2024.yaml) and the successor's applicability, taken from
 *                    the project's rules or from the 2026 document
 * (compile_tree.c compiles the Beslishulp decision tree; compile.c hands such inputs to it.)
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
    /* Rule expressions may nest at most 400 deep (ast.h): with at most 64 exceptions of at most
     * 64 labels and 100 levels of '(' and '!', a compiled condition stays well below that. */
    CK_MAX_EXCEPTIONS = 64,
    CK_MAX_EXCEPTION_LABELS = 64,
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

/* DOC_TREE: a Beslishulp decision tree (YAML/JSON), compiled by compile_tree.c. */
typedef enum DocKind { DOC_REQUIREMENT, DOC_MEASURE, DOC_TREE } DocKind;

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
    const char *fm_name; /* how messages name the YAML: "front matter", or the file's name */
    uint32_t *line_starts; /* offset of each line, for libyaml marks */
    uint32_t n_lines;

    YNode *fm;         /* the front matter mapping; NULL without front matter */
    uint32_t body;     /* offset where the Markdown after the front matter starts */

    Section *sections; uint32_t n_sections;
    KaderBlock *blocks; uint32_t n_blocks;
    Line *fenced; uint32_t n_fenced; /* every fenced code block, fences included */

    DocKind kind;
    const char *id;    /* requirement or measure id */
    bool id_derived;   /* the front matter has no id: it was made from the file name */
    const char *title;
    const char *out_name; /* requirements: file name in OUTDIR */
    int hand_written;  /* 1 + index of the kader block that declares this requirement, or 0 */

    PtrVec measures;   /* MeasureRef *, requirements only */
    char *output;      /* rule text, requirements only (kdr_malloc) */
    /* The label-group conditions, computed once (compile_rules.c): a 2026 document may be
     * compiled itself and also lend its condition to a 2024 predecessor, and its messages must
     * be given once. */
    struct GroupConds *groups;
} Doc;

/* ---- the session ---- */

enum { N_LABEL_GROUPS = 6 };
extern const char *const ck_label_groups[N_LABEL_GROUPS];

/* What the stdlib declares that the compiled rules must match: the lifecycle phases and the
 * values of each AI Act label group (facts ai_act.<group>). Read from the stdlib itself so the
 * two cannot drift apart; when it cannot be loaded nothing is checked. */
typedef struct Vocab {
    bool loaded;
    PtrVec phases;                   /* const char * */
    PtrVec values[N_LABEL_GROUPS];   /* const char *, in the order of ck_label_groups */
} Vocab;

typedef struct Lineage Lineage; /* compile_lineage.c */

/* Where a 2024 requirement's applicability comes from besides its own maps. */
typedef struct LineageOptions {
    const char *table;    /* --lineage FILE; NULL: the stdlib's lineage-2024.yaml */
    bool off;             /* --no-lineage: compile 2024 documents as they stand */
    PtrVec rule_paths;    /* --rules PATH (const char *); none: the project's rules/ */
    PtrVec successor_paths; /* --successors PATH (const char *): 2026 documents to read */
} LineageOptions;

typedef struct LineageCounts { /* for --verbose */
    int from_rules, from_documents, without_successor, not_found;
} LineageCounts;

typedef struct Compiler {
    Arena arena;       /* documents, trees and strings: freed together at the end */
    Program *program;  /* its Sources hold the documents, so the rule parser can read them */
    Diag diag;
    PtrVec docs;       /* Doc *, in input order */
    int yaml_nodes;    /* nodes of the current front matter (limit against alias bombs) */
    Vocab vocab;
    Program *stdlib;   /* the stdlib alone, as loaded for vocab; NULL when it does not load */

    LineageOptions lineage_options;
    Lineage *lineage;  /* the table, read when the first 2024 document needs it */
    bool lineage_tried;
    bool lineage_broken; /* it was read and has errors (reported): nothing more to say */
    Program *rules;    /* stdlib + the rules that define successors, loaded when first needed */
    bool rules_tried;
    bool rules_broken; /* they do not load (reported once) */
    const char *rules_where; /* how messages name that rule set */
    PtrVec successor_docs; /* Doc * with an id: inputs and --successors documents */
    LineageCounts counts;
} Compiler;

/* compile_doc.c */
/* Reads and parses one document into the session; NULL (after a message) when it cannot. */
Doc *ck_doc_load(Compiler *c, const char *path, const char *display_path);
/* Reads a whole YAML file (the lineage table) into a Doc whose fm is its root mapping; NULL
 * (after a message) when it cannot be read or its root is not a mapping of text keys. */
Doc *ck_yaml_file_load(Compiler *c, const char *path);
const SourceFile *ck_doc_source(const Compiler *c, const Doc *d);
KdrLoc ck_doc_loc(const Doc *d, uint32_t start, uint32_t end);
KdrLoc ck_node_loc(const Doc *d, const YNode *n);
/* The value of a front-matter key (compared ignoring ASCII case); NULL when absent. */
const YNode *ck_fm_get(const Doc *d, const char *key, const YNode **key_node);
/* The lines of [start, end). The caller frees *lines. */
uint32_t ck_doc_lines(const Doc *d, uint32_t start, uint32_t end, Line **lines);
/* Whether offset lies in a fenced code block (whose lines are no list, table or heading). */
bool ck_doc_in_fence(const Doc *d, uint32_t offset);
/* The sections whose normalised title is `title` (with any trailing '?' or ':' ignored). */
uint32_t ck_doc_find_sections(const Doc *d, const char *title, const Section **out, uint32_t max);

/* compile_rules.c */
void ck_vocab_load(Compiler *c);
void ck_vocab_free(Compiler *c);
/* Builds d->output, the rule file for one requirement document; messages go to c->diag. */
void ck_render_requirement(Compiler *c, Doc *d);
/* The id a document gets when its front matter has none (2024 format: from the file name). */
const char *ck_derive_id(Compiler *c, const Doc *d, bool measure, bool *warn_no_id);
/* Whether the front matter has a key of the 2024 format (status_vereiste, bouwblok, ...). */
bool ck_is_2024(const Doc *d);
/* A document of the 2024 Algoritmekader: 2024 keys and no id of its own. */
bool ck_is_2024_document(const Doc *d);
/* The conjuncts of a document's label-group condition and exceptions (2026 format), computed
 * once per document; messages are given the first time. Returns the list (const char *). */
const PtrVec *ck_group_conditions(Compiler *c, Doc *d);
void ck_groups_free(Doc *d);

/* compile_lineage.c */
/* What a 2024 requirement takes from its successor. */
typedef struct Successor {
    bool in_table;          /* the lineage table has an entry for the document */
    const char *id;         /* the 2026 successor, NULL for none */
    const char *reason;     /* why there is none */
    const char *merge;      /* the table's reason when several documents share the successor */
    const char *taken_from; /* the requirement whose condition was taken, NULL when none was */
    const char *where;      /* where that condition is written: a rule file or a document */
    bool from_rules;        /* taken from the project's rules (else from the 2026 document) */
    PtrVec conj;            /* conjuncts of its condition (const char *); empty: always */
    const char *in_force_from, *in_force_until; /* rules only; NULL when not given */
    PtrVec requires;        /* procedure names (const char *), rules only */
    bool failed;            /* an error was reported: the lineage of the document is broken */
} Successor;
/* Indexes a document with an id as a possible successor (2026 inputs and --successors). */
void ck_lineage_index(Compiler *c, Doc *d);
/* Fills s for requirement document d (zeroed when lineage is off or the table does not list
 * d); messages about the table and the successor go to c->diag. Free with ck_successor_free. */
void ck_lineage_successor(Compiler *c, Doc *d, Successor *s);
void ck_successor_free(Successor *s);
/* How messages name the lineage table. */
const char *ck_lineage_table_name(Compiler *c);
void ck_lineage_free(Compiler *c);

/* "did you mean": a hint naming the closest entry of list, if one is close. */
void ck_hint_closest(Compiler *c, const PtrVec *list, const char *s);
bool ck_in_list(const PtrVec *list, const char *s);

/* compile_expr.c */
/* Parses one `uitzondering` entry and appends it to out as a kader expression. Returns false
 * after an error message when it is not one. *compound: the expression is an and/or (needs
 * parentheses among others); *had_never: it names a label its group never has (written false). */
bool ck_exception_rule(Compiler *c, const Doc *d, const YNode *entry, Buf *out, bool *compound,
                    bool *had_never);

/* Text helpers shared by the files. */
/* Length of the valid UTF-8 sequence at s (at most len bytes), 0 when it is not valid. */
size_t ck_utf8_len(const unsigned char *s, size_t len);
void ck_put_quoted(Buf *b, const char *s);   /* "..." with \" and \\, newlines as spaces */
char *ck_str_trim_dup(Arena *a, const char *s, size_t len);
bool ck_str_ieq(const char *a, const char *b);
/* Lower case, trimmed, inner blanks as '-': "Machine learning" -> "machine-learning". */
char *ck_slug(Arena *a, const char *s);
/* A name the rule language accepts where a name is expected (no reserved word). */
bool ck_is_rule_name(const char *s);
/* PtrVec holds void *; the strings the compiler collects are const and never written through. */
static inline void ck_push_const(PtrVec *v, const void *p) { ptrvec_push(v, (void *)(uintptr_t)p); }

#endif
