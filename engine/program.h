/* program.h — the loaded rule program: declarations as the parser builds them and as the
 * resolver completes them (names bound to slots, types checked). Everything lives in the
 * program's arena and is freed with it. */
#ifndef KADER_PROGRAM_H
#define KADER_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "util.h"
#include "value.h"

/* ---- expressions ---- */

typedef enum ExprOp {
    E_LITERAL, /* lit */
    E_NAME,    /* path as written; the resolver turns it into E_FACT or E_LET */
    E_FACT,    /* slot = fact index */
    E_LET,     /* slot = definition index */
    E_TODAY,
    E_AND, E_OR, E_NOT,
    E_EQ, E_NE, E_LT, E_LE, E_GT, E_GE,
    E_IN, E_NOT_IN,   /* kids[0] in kids[1] (a set) */
    E_IN_RANGE,       /* kids[0] in kids[1]..kids[2] */
    E_INTERSECTS,
    E_IS_KNOWN, E_IS_UNKNOWN,
    E_SET,            /* set literal, kids are string expressions */
    E_FIRST,          /* kids: cond0, value0, cond1, value1, ..., [otherwise value] */
    E_CALL            /* fn, kids are arguments */
} ExprOp;

typedef enum BuiltinFn { FN_NONE, FN_COUNT, FN_UNION, FN_MIN, FN_MAX } BuiltinFn;

typedef struct Expr Expr;
struct Expr {
    uint8_t op;      /* ExprOp */
    uint8_t type;    /* KdrType, set by the resolver */
    uint8_t fn;      /* BuiltinFn for E_CALL */
    bool has_otherwise; /* E_FIRST */
    uint16_t depth;  /* height of the tree below, limited so evaluation cannot exhaust the stack */
    uint32_t nkids;
    int32_t slot;    /* E_FACT, E_LET */
    int32_t memo;    /* a subexpression that occurs more than once: its cache slot (numbered after
                      the definitions'), else -1 */
    KdrLoc loc;
    Value lit;       /* E_LITERAL */
    const KdrSet *domain; /* the strings a string/set expression can hold, NULL if open */
    const char **path; /* E_NAME: segments */
    uint32_t path_len;
    Expr **kids;
};

/* ---- declarations ---- */

typedef struct FactDecl {
    const char *name;        /* how rules refer to it: "rol", "ai_act.risicogroep" */
    const char **path;       /* where the facts file holds it: {"ai_act", "rol-ai-act"} */
    uint32_t path_len;
    KdrType type;            /* T_BOOL, T_NUMBER, T_STRING, T_DATE or T_SET */
    const char **allowed;    /* allowed strings (one of / set of), in declaration order */
    uint32_t n_allowed;
    bool has_range;
    double lo, hi;
    bool has_default;
    Value default_value;
    const char *ask, *help;
    const char **sources;
    uint32_t n_sources;
    KdrLoc loc, name_loc;
    int32_t index;           /* slot in a facts vector */
    bool used;               /* referenced by some expression */
} FactDecl;

typedef struct LetDecl {
    const char *name;
    Expr *body;
    bool is_label;           /* shown in the report's labels */
    bool is_default;         /* `default let`: a later plain `let` of the same name replaces it */
    bool replaces_default;   /* a plain let that took a `default let`'s place: an extension, used by design */
    KdrLoc loc, name_loc;
    int32_t index;
    bool used;
} LetDecl;

typedef struct Route {
    Expr *when;              /* NULL for otherwise */
    const char *id, *text;
    KdrLoc loc;
} Route;

typedef struct ProcedureDecl {
    const char *id, *title;
    Expr *required_when;     /* NULL: always required */
    Route *routes;
    uint32_t n_routes;
    Expr *again_when;        /* NULL: never again */
    const char **sources;
    uint32_t n_sources;
    KdrLoc loc, id_loc;
    int32_t index;
} ProcedureDecl;

typedef struct Measure {
    const char *id, *title;
} Measure;

typedef struct MetaEntry {
    const char *key;
    const char **values;
    uint32_t n_values;
} MetaEntry;

typedef struct NameRef { /* a bare name in a list (phases, topics, procedures) with its place */
    const char *name;
    KdrLoc loc;
} NameRef;

typedef struct RequirementDecl {
    const char *id, *title, *description, *status;
    NameRef *phases;   uint32_t n_phases;
    NameRef *topics;   uint32_t n_topics;
    NameRef *roles;    uint32_t n_roles;
    const char **sources; uint32_t n_sources;
    Measure *measures; uint32_t n_measures;
    MetaEntry *meta;   uint32_t n_meta;
    Expr *in_force_from, *in_force_until, *applies_when;
    NameRef *requires; uint32_t n_requires;
    int32_t *required_procedures; /* resolved indices of requires[] */
    int32_t *phase_index;         /* resolved lifecycle positions of phases[] */
    KdrLoc loc, id_loc;
    int32_t index;
} RequirementDecl;

typedef struct ConclusionDecl {
    const char *id, *text, *obligation;
    const char **sources; uint32_t n_sources;
    Expr *when;
    KdrLoc loc;
} ConclusionDecl;

typedef struct WarningDecl {
    const char *id, *text;
    Expr *when;
    KdrLoc loc;
} WarningDecl;

typedef struct LifecycleDecl {
    NameRef *phases; uint32_t n_phases;
    NameRef *always; uint32_t n_always;
    Expr *current;
    KdrLoc loc;
} LifecycleDecl;

typedef struct ImportDecl {
    const char *name;
    KdrLoc loc;
} ImportDecl;

typedef enum DeclKind {
    D_IMPORT, D_FACT, D_LET, D_REQUIREMENT, D_PROCEDURE, D_CONCLUSION, D_WARNING, D_LIFECYCLE
} DeclKind;

typedef struct Decl {
    DeclKind kind;
    union {
        ImportDecl *import;
        FactDecl *fact;
        LetDecl *let;
        RequirementDecl *requirement;
        ProcedureDecl *procedure;
        ConclusionDecl *conclusion;
        WarningDecl *warning;
        LifecycleDecl *lifecycle;
    } as;
} Decl;

/* One parsed file: its declarations in source order. */
typedef struct ParsedFile {
    uint32_t file;    /* index in Sources */
    Decl *decls;
    uint32_t n_decls, cap_decls;
} ParsedFile;

/* A node of the tree of fact paths, used to read nested facts files. */
typedef struct PathNode PathNode;
struct PathNode {
    const char *segment;
    int32_t fact;          /* fact index, or -1 for an inner node */
    PathNode **children;   /* sorted by segment */
    uint32_t n_children;
};

/* The whole loaded program. Arrays are indexed by the decls' index fields. */
typedef struct Program {
    Arena arena;
    Sources sources;
    FactDecl **facts;               uint32_t n_facts;
    LetDecl **lets;                 uint32_t n_lets;
    RequirementDecl **requirements; uint32_t n_requirements;
    ProcedureDecl **procedures;     uint32_t n_procedures;
    ConclusionDecl **conclusions;   uint32_t n_conclusions;
    WarningDecl **warnings;         uint32_t n_warnings;
    LifecycleDecl *lifecycle;       /* NULL when no rule file declares one */
    PathNode *fact_root;
    int32_t *label_lets;            uint32_t n_labels; /* indices of `label` definitions */
    const Expr **memo_exprs;        uint32_t n_memos;  /* one occurrence of each shared subexpression */
    StrMap fact_names, let_names, requirement_ids, procedure_ids, phase_positions;
    PtrVec parsed;                  /* ParsedFile *, in load order */
} Program;

Program *program_new(void);
/* Gives every compound subexpression that occurs more than once in the program one cache slot
 * (Expr.memo), so that an evaluation computes it once however many rules repeat it. */
void program_share_subexpressions(Program *p);
void program_free(Program *p);

/* Finds a child of a path node by segment (binary search); NULL when absent. */
const PathNode *path_child(const PathNode *node, const char *segment, size_t len);
const FactDecl *program_find_fact(const Program *p, const char *name);
const RequirementDecl *program_find_requirement(const Program *p, const char *id);
const ProcedureDecl *program_find_procedure(const Program *p, const char *id);
/* Position of a phase in the lifecycle, -1 if not a phase. */
int program_phase_position(const Program *p, const char *phase);

#endif
