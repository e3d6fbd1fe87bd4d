/* ast.h — constructors the parser uses to build the program's tree in its arena. */
#ifndef KADER_AST_H
#define KADER_AST_H

#include "program.h"

enum { KDR_MAX_EXPR_DEPTH = 400 };

/* A growable array in an arena (old storage is abandoned to the arena when it grows). */
typedef struct List {
    void **items;
    uint32_t len, cap;
} List;

List *list_new(Arena *a);
List *list_push(Arena *a, List *l, void *item);

Expr *expr_new(Arena *a, ExprOp op, KdrLoc loc, uint32_t nkids);
Expr *expr_literal(Arena *a, Value v, KdrLoc loc);
Expr *expr_unary(Arena *a, ExprOp op, KdrLoc loc, Expr *x);
Expr *expr_binary(Arena *a, ExprOp op, KdrLoc loc, Expr *x, Expr *y);
Expr *expr_from_list(Arena *a, ExprOp op, KdrLoc loc, const List *kids);
/* The text of a fact path as rules write it: segments joined by '.', quoted where they are not
 * plain names (beslishulp."1.1"). Facts are named by this text. */
const char *path_join(Arena *a, const char *const *segments, uint32_t n);
/* depth of an expression after its kids are set */
void expr_fix_depth(Expr *e);

#endif
