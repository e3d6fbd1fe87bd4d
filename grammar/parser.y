/* parser.y — the grammar of the kader rule language. A pure, reentrant LALR(1) parser that
 * builds declarations in the program's arena; errors are reported with their location, the
 * parser recovers at the next declaration, and a file with any error yields no program. */
%require "3.6"
%define api.pure full
%define api.prefix {kdr_yy}
%define api.location.type {KdrLoc}
%define api.value.type union
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {void *scanner} {ParseCtx *ctx}

%code requires {
#include "ast.h"
#include "parse.h"
}

%code provides {
/* flex's generated header names these without the prefix. */
#define YYSTYPE KDR_YYSTYPE
#define YYLTYPE KDR_YYLTYPE
#define YY_DECL int kdr_yylex(KDR_YYSTYPE *yylval_param, KDR_YYLTYPE *yylloc_param, void *yyscanner, \
                              ParseCtx *ctx)
YY_DECL;
}

%code {
#include <stdio.h>
#include <string.h>

#define YYMAXDEPTH 2000

/* A rule's location spans its first to its last symbol. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                  \
    do {                                                             \
        if (N) {                                                     \
            (Cur).file = YYRHSLOC(Rhs, 1).file;                      \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                    \
            (Cur).end = YYRHSLOC(Rhs, N).end;                        \
        } else {                                                     \
            (Cur).file = YYRHSLOC(Rhs, 0).file;                      \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;          \
        }                                                            \
    } while (0)

static void kdr_yyerror(KDR_YYLTYPE *loc, void *scanner, ParseCtx *ctx, const char *msg);

#define A (ctx->arena)

static void add_decl(ParseCtx *ctx, Decl d)
{
    ParsedFile *f = ctx->out;
    if (f->n_decls == f->cap_decls) {
        f->cap_decls = f->cap_decls ? f->cap_decls * 2 : 16;
        f->decls = kdr_realloc(f->decls, f->cap_decls * sizeof(Decl));
    }
    f->decls[f->n_decls++] = d;
}

static void clause_twice(ParseCtx *ctx, KdrLoc loc, const char *clause)
{
    diag_at(ctx->diag, DIAG_ERROR, loc, "'%s' is given twice", clause);
    diag_hint(ctx->diag, "each clause appears once; join the values with ','");
}

/* Turns a parser list of strings into an arena array. */
static const char **strings_of(ParseCtx *ctx, const List *l, uint32_t *n)
{
    *n = l ? l->len : 0;
    if (!*n)
        return NULL;
    const char **out = arena_alloc(A, *n * sizeof(char *));
    for (uint32_t i = 0; i < *n; i++)
        out[i] = l->items[i];
    return out;
}

static const char **append_strings(ParseCtx *ctx, const char **old, uint32_t *n, const List *l)
{
    uint32_t add = l ? l->len : 0;
    const char **out = arena_alloc(A, (*n + add + 1) * sizeof(char *));
    for (uint32_t i = 0; i < *n; i++)
        out[i] = old[i];
    for (uint32_t i = 0; i < add; i++)
        out[*n + i] = l->items[i];
    *n += add;
    return out;
}

static NameRef *names_of(ParseCtx *ctx, const List *l, uint32_t *n)
{
    *n = l ? l->len : 0;
    if (!*n)
        return NULL;
    NameRef *out = arena_alloc(A, *n * sizeof(NameRef));
    for (uint32_t i = 0; i < *n; i++)
        out[i] = *(NameRef *)l->items[i];
    return out;
}

static NameRef *name_ref(ParseCtx *ctx, const char *name, KdrLoc loc)
{
    NameRef *r = arena_alloc(A, sizeof(NameRef));
    r->name = name;
    r->loc = loc;
    return r;
}

static const char *path_text(ParseCtx *ctx, const List *segments)
{
    return path_join(A, (const char *const *)segments->items, segments->len);
}

static Expr *check_depth(ParseCtx *ctx, Expr *e)
{
    if (e->depth > KDR_MAX_EXPR_DEPTH && e->depth - 1 <= KDR_MAX_EXPR_DEPTH) {
        diag_at(ctx->diag, DIAG_ERROR, e->loc, "expression nested too deeply");
        diag_hint(ctx->diag, "expressions are limited to a depth of %d; split it with 'let'",
                  KDR_MAX_EXPR_DEPTH);
    }
    return e;
}

#define BIN(op, loc, x, y) check_depth(ctx, expr_binary(A, op, loc, x, y))
#define UN(op, loc, x) check_depth(ctx, expr_unary(A, op, loc, x))
}

%token <char *> NAME "name"
%token <char *> STRING_LIT "string"
%token <double> NUMBER_LIT "number"
%token <int32_t> DATE_LIT "date"
%token OP_EQ "==" OP_NE "!=" OP_LE "<=" OP_GE ">=" DOTDOT ".."
/* reserved words */
%token K_IMPORT "import" K_FACT "fact" K_LET "let" K_LABEL "label" K_REQUIREMENT "requirement"
       K_PROCEDURE "procedure" K_LIFECYCLE "lifecycle" K_CONCLUSION "conclusion"
       K_WARNING "warning" K_WHEN "when" K_OTHERWISE "otherwise" K_FIRST "first"
       K_AND "and" K_OR "or" K_NOT "not" K_IN "in" K_IS "is" K_TRUE "true" K_FALSE "false"
       K_UNKNOWN "unknown" K_TODAY "today" K_INTERSECTS "intersects" K_IN_FORCE "in force"
       K_DEFAULT_LET "default let"
/* words that are keywords only where a clause is expected; elsewhere they are names */
%token K_OF "of" K_ONE "one" K_SET "set" K_BOOL "bool" K_NUMBER "number type" K_STRING "string type"
       K_DATE "date type" K_ASK "ask" K_HELP "help" K_SOURCE "source" K_DEFAULT "default"
       K_TITLE "title" K_DESCRIPTION "description" K_STATUS "status" K_PHASE "phase"
       K_TOPIC "topic" K_ROLE "role" K_MEASURE "measure" K_FROM "from" K_UNTIL "until"
       K_APPLIES "applies" K_REQUIRES "requires" K_META "meta" K_REQUIRED "required"
       K_ROUTE "route" K_AGAIN "again" K_PHASES "phases" K_ALWAYS "always" K_CURRENT "current"
       K_TEXT "text" K_OBLIGATION "obligation" K_KNOWN "known"

%nterm <char *> name
%nterm <List *> path name_list string_list value_list opt_exprs exprs first_branches routes
%nterm <Expr *> expr operand literal first_table
%nterm <Value> default_value
%nterm <FactDecl *> fact_type fact_clauses
%nterm <RequirementDecl *> req_clauses
%nterm <ProcedureDecl *> proc_clauses
%nterm <LifecycleDecl *> lifecycle_clauses
%nterm <ConclusionDecl *> conclusion_clauses
%nterm <Route *> route

%left K_OR
%left K_AND
%precedence K_NOT

%start file

%%

file:
    %empty
  | file decl
  | file error
  ;

decl:
    K_IMPORT STRING_LIT {
        ImportDecl *d = arena_alloc(A, sizeof *d);
        d->name = $2;
        d->loc = @2;
        add_decl(ctx, (Decl){.kind = D_IMPORT, .as.import = d});
    }
  | K_FACT path fact_clauses {
        FactDecl *d = $3;
        d->name = path_text(ctx, $2);
        d->path = strings_of(ctx, $2, &d->path_len);
        d->loc = @$;
        d->name_loc = @2;
        add_decl(ctx, (Decl){.kind = D_FACT, .as.fact = d});
    }
  | K_FACT name '=' path fact_clauses {
        FactDecl *d = $5;
        d->name = $2;
        d->path = strings_of(ctx, $4, &d->path_len);
        d->loc = @$;
        d->name_loc = @2;
        add_decl(ctx, (Decl){.kind = D_FACT, .as.fact = d});
    }
  | K_LET name '=' expr {
        LetDecl *d = arena_alloc(A, sizeof *d);
        d->name = $2;
        d->body = $4;
        d->loc = @$;
        d->name_loc = @2;
        add_decl(ctx, (Decl){.kind = D_LET, .as.let = d});
    }
  | K_DEFAULT_LET name '=' expr {
        LetDecl *d = arena_alloc(A, sizeof *d);
        d->name = $2;
        d->body = $4;
        d->is_default = true;
        d->loc = @$;
        d->name_loc = @2;
        add_decl(ctx, (Decl){.kind = D_LET, .as.let = d});
    }
  | K_LABEL name '=' expr {
        LetDecl *d = arena_alloc(A, sizeof *d);
        d->name = $2;
        d->body = $4;
        d->is_label = true;
        d->loc = @$;
        d->name_loc = @2;
        add_decl(ctx, (Decl){.kind = D_LET, .as.let = d});
    }
  | K_REQUIREMENT STRING_LIT '{' req_clauses '}' {
        RequirementDecl *d = $4;
        d->id = $2;
        d->loc = @$;
        d->id_loc = @2;
        add_decl(ctx, (Decl){.kind = D_REQUIREMENT, .as.requirement = d});
    }
  | K_PROCEDURE name STRING_LIT '{' proc_clauses '}' {
        ProcedureDecl *d = $5;
        d->id = $2;
        d->title = $3;
        d->loc = @$;
        d->id_loc = @2;
        add_decl(ctx, (Decl){.kind = D_PROCEDURE, .as.procedure = d});
    }
  | K_LIFECYCLE '{' lifecycle_clauses '}' {
        $3->loc = @1;
        add_decl(ctx, (Decl){.kind = D_LIFECYCLE, .as.lifecycle = $3});
    }
  | K_CONCLUSION STRING_LIT '{' conclusion_clauses '}' {
        ConclusionDecl *d = $4;
        d->id = $2;
        d->loc = @$;
        if (!d->when) {
            diag_at(ctx->diag, DIAG_ERROR, @1, "conclusion \"%s\" has no 'when'", $2);
            diag_hint(ctx->diag, "say when the conclusion is reached: when <condition>");
        }
        add_decl(ctx, (Decl){.kind = D_CONCLUSION, .as.conclusion = d});
    }
  | K_WARNING name STRING_LIT K_WHEN expr {
        WarningDecl *d = arena_alloc(A, sizeof *d);
        d->id = $2;
        d->text = $3;
        d->when = $5;
        d->loc = @$;
        add_decl(ctx, (Decl){.kind = D_WARNING, .as.warning = d});
    }
  ;

/* ---- facts ---- */

fact_type:
    ':' K_BOOL          { $$ = arena_alloc(A, sizeof(FactDecl)); $$->type = T_BOOL; }
  | ':' K_NUMBER        { $$ = arena_alloc(A, sizeof(FactDecl)); $$->type = T_NUMBER; }
  | ':' K_NUMBER K_IN NUMBER_LIT DOTDOT NUMBER_LIT {
        $$ = arena_alloc(A, sizeof(FactDecl));
        $$->type = T_NUMBER;
        $$->has_range = true;
        $$->lo = $4;
        $$->hi = $6;
        if ($4 > $6) {
            diag_at(ctx->diag, DIAG_ERROR, loc_span(@4, @6), "empty range: %g is above %g", $4, $6);
            diag_hint(ctx->diag, "write the lower bound first");
        }
    }
  | ':' K_DATE          { $$ = arena_alloc(A, sizeof(FactDecl)); $$->type = T_DATE; }
  | ':' K_STRING        { $$ = arena_alloc(A, sizeof(FactDecl)); $$->type = T_STRING; }
  | ':' K_ONE K_OF '{' value_list '}' {
        $$ = arena_alloc(A, sizeof(FactDecl));
        $$->type = T_STRING;
        $$->allowed = strings_of(ctx, $5, &$$->n_allowed);
    }
  | ':' K_SET           { $$ = arena_alloc(A, sizeof(FactDecl)); $$->type = T_SET; }
  | ':' K_SET K_OF '{' value_list '}' {
        $$ = arena_alloc(A, sizeof(FactDecl));
        $$->type = T_SET;
        $$->allowed = strings_of(ctx, $5, &$$->n_allowed);
    }
  | ':' error           { $$ = arena_alloc(A, sizeof(FactDecl)); $$->type = T_BOOL; }
  ;

value_list:
    name                      { $$ = list_push(A, NULL, $1); }
  | STRING_LIT                { $$ = list_push(A, NULL, $1); }
  | value_list ',' name       { $$ = list_push(A, $1, $3); }
  | value_list ',' STRING_LIT { $$ = list_push(A, $1, $3); }
  ;

fact_clauses:
    fact_type
  | fact_clauses K_ASK STRING_LIT {
        if ($1->ask) clause_twice(ctx, @2, "ask");
        $1->ask = $3;
        $$ = $1;
    }
  | fact_clauses K_HELP STRING_LIT {
        if ($1->help) clause_twice(ctx, @2, "help");
        $1->help = $3;
        $$ = $1;
    }
  | fact_clauses K_SOURCE string_list {
        $1->sources = append_strings(ctx, $1->sources, &$1->n_sources, $3);
        $$ = $1;
    }
  | fact_clauses K_DEFAULT default_value {
        if ($1->has_default) clause_twice(ctx, @2, "default");
        $1->has_default = true;
        $1->default_value = $3;
        $$ = $1;
    }
  ;

default_value:
    K_TRUE      { $$ = val_bool(true); }
  | K_FALSE     { $$ = val_bool(false); }
  | NUMBER_LIT  { $$ = val_number($1); }
  | DATE_LIT    { $$ = val_date($1); }
  | STRING_LIT  { $$ = val_string($1); }
  | name        { $$ = val_string($1); }
  | '{' '}'     { $$ = val_set(set_build(A, NULL, 0)); }
  | '{' value_list '}' { $$ = val_set(set_build(A, (const char *const *)$2->items, $2->len)); }
  ;

/* ---- requirements ---- */

req_clauses:
    %empty { $$ = arena_alloc(A, sizeof(RequirementDecl)); }
  | req_clauses K_TITLE STRING_LIT {
        if ($1->title) clause_twice(ctx, @2, "title");
        $1->title = $3; $$ = $1;
    }
  | req_clauses K_DESCRIPTION STRING_LIT {
        if ($1->description) clause_twice(ctx, @2, "description");
        $1->description = $3; $$ = $1;
    }
  | req_clauses K_STATUS STRING_LIT {
        if ($1->status) clause_twice(ctx, @2, "status");
        $1->status = $3; $$ = $1;
    }
  | req_clauses K_PHASE name_list {
        if ($1->phases) clause_twice(ctx, @2, "phase");
        $1->phases = names_of(ctx, $3, &$1->n_phases); $$ = $1;
    }
  | req_clauses K_TOPIC name_list {
        if ($1->topics) clause_twice(ctx, @2, "topic");
        $1->topics = names_of(ctx, $3, &$1->n_topics); $$ = $1;
    }
  | req_clauses K_ROLE name_list {
        if ($1->roles) clause_twice(ctx, @2, "role");
        $1->roles = names_of(ctx, $3, &$1->n_roles); $$ = $1;
    }
  | req_clauses K_SOURCE string_list {
        $1->sources = append_strings(ctx, $1->sources, &$1->n_sources, $3); $$ = $1;
    }
  | req_clauses K_MEASURE STRING_LIT {
        Measure *m = arena_alloc(A, ($1->n_measures + 1) * sizeof(Measure));
        if ($1->n_measures) memcpy(m, $1->measures, $1->n_measures * sizeof(Measure));
        m[$1->n_measures].id = $3;
        $1->measures = m; $1->n_measures++; $$ = $1;
    }
  | req_clauses K_MEASURE STRING_LIT STRING_LIT {
        Measure *m = arena_alloc(A, ($1->n_measures + 1) * sizeof(Measure));
        if ($1->n_measures) memcpy(m, $1->measures, $1->n_measures * sizeof(Measure));
        m[$1->n_measures].id = $3;
        m[$1->n_measures].title = $4;
        $1->measures = m; $1->n_measures++; $$ = $1;
    }
  | req_clauses K_META name string_list {
        MetaEntry *m = arena_alloc(A, ($1->n_meta + 1) * sizeof(MetaEntry));
        if ($1->n_meta) memcpy(m, $1->meta, $1->n_meta * sizeof(MetaEntry));
        m[$1->n_meta].key = $3;
        m[$1->n_meta].values = strings_of(ctx, $4, &m[$1->n_meta].n_values);
        $1->meta = m; $1->n_meta++; $$ = $1;
    }
  | req_clauses K_IN_FORCE K_FROM expr {
        if ($1->in_force_from) clause_twice(ctx, @2, "in force from");
        $1->in_force_from = $4; $$ = $1;
    }
  | req_clauses K_IN_FORCE K_UNTIL expr {
        if ($1->in_force_until) clause_twice(ctx, @2, "in force until");
        $1->in_force_until = $4; $$ = $1;
    }
  | req_clauses K_APPLIES K_WHEN expr {
        if ($1->applies_when) clause_twice(ctx, @2, "applies when");
        $1->applies_when = $4; $$ = $1;
    }
  | req_clauses K_REQUIRES name_list {
        if ($1->requires) clause_twice(ctx, @2, "requires");
        $1->requires = names_of(ctx, $3, &$1->n_requires); $$ = $1;
    }
  ;

name_list:
    name                { $$ = list_push(A, NULL, name_ref(ctx, $1, @1)); }
  | name_list ',' name  { $$ = list_push(A, $1, name_ref(ctx, $3, @3)); }
  ;

string_list:
    STRING_LIT                  { $$ = list_push(A, NULL, $1); }
  | string_list ',' STRING_LIT  { $$ = list_push(A, $1, $3); }
  ;

/* ---- procedures ---- */

proc_clauses:
    %empty { $$ = arena_alloc(A, sizeof(ProcedureDecl)); }
  | proc_clauses K_REQUIRED K_WHEN expr {
        if ($1->required_when) clause_twice(ctx, @2, "required when");
        $1->required_when = $4; $$ = $1;
    }
  | proc_clauses K_ROUTE K_FIRST '{' routes '}' {
        if ($1->routes) clause_twice(ctx, @2, "route");
        $1->n_routes = $5->len;
        $1->routes = arena_alloc(A, $5->len * sizeof(Route));
        for (uint32_t i = 0; i < $5->len; i++)
            $1->routes[i] = *(Route *)$5->items[i];
        $$ = $1;
    }
  | proc_clauses K_AGAIN K_WHEN expr {
        if ($1->again_when) clause_twice(ctx, @2, "again when");
        $1->again_when = $4; $$ = $1;
    }
  | proc_clauses K_SOURCE string_list {
        $1->sources = append_strings(ctx, $1->sources, &$1->n_sources, $3); $$ = $1;
    }
  ;

routes:
    route           { $$ = list_push(A, NULL, $1); }
  | routes route    {
        Route *last = $1->items[$1->len - 1];
        if (!last->when) {
            diag_at(ctx->diag, DIAG_ERROR, $2->loc, "route after 'otherwise' can never be taken");
            diag_hint(ctx->diag, "'otherwise' must be the last branch");
        }
        $$ = list_push(A, $1, $2);
    }
  ;

route:
    K_WHEN expr ':' name STRING_LIT {
        $$ = arena_alloc(A, sizeof(Route));
        $$->when = $2; $$->id = $4; $$->text = $5; $$->loc = @$;
    }
  | K_OTHERWISE ':' name STRING_LIT {
        $$ = arena_alloc(A, sizeof(Route));
        $$->id = $3; $$->text = $4; $$->loc = @$;
    }
  ;

/* ---- lifecycle, conclusions ---- */

lifecycle_clauses:
    %empty { $$ = arena_alloc(A, sizeof(LifecycleDecl)); }
  | lifecycle_clauses K_PHASES name_list {
        if ($1->phases) clause_twice(ctx, @2, "phases");
        $1->phases = names_of(ctx, $3, &$1->n_phases); $$ = $1;
    }
  | lifecycle_clauses K_ALWAYS name_list {
        if ($1->always) clause_twice(ctx, @2, "always");
        $1->always = names_of(ctx, $3, &$1->n_always); $$ = $1;
    }
  | lifecycle_clauses K_CURRENT expr {
        if ($1->current) clause_twice(ctx, @2, "current");
        $1->current = $3; $$ = $1;
    }
  ;

conclusion_clauses:
    %empty { $$ = arena_alloc(A, sizeof(ConclusionDecl)); }
  | conclusion_clauses K_TEXT STRING_LIT {
        if ($1->text) clause_twice(ctx, @2, "text");
        $1->text = $3; $$ = $1;
    }
  | conclusion_clauses K_OBLIGATION STRING_LIT {
        if ($1->obligation) clause_twice(ctx, @2, "obligation");
        $1->obligation = $3; $$ = $1;
    }
  | conclusion_clauses K_SOURCE string_list {
        $1->sources = append_strings(ctx, $1->sources, &$1->n_sources, $3); $$ = $1;
    }
  | conclusion_clauses K_WHEN expr {
        if ($1->when) clause_twice(ctx, @2, "when");
        $1->when = $3; $$ = $1;
    }
  ;

/* ---- expressions ---- */

expr:
    expr K_OR expr      { $$ = BIN(E_OR, @$, $1, $3); }
  | expr K_AND expr     { $$ = BIN(E_AND, @$, $1, $3); }
  | K_NOT expr          { $$ = UN(E_NOT, @$, $2); }
  | operand
  | operand OP_EQ operand           { $$ = BIN(E_EQ, @$, $1, $3); }
  | operand OP_NE operand           { $$ = BIN(E_NE, @$, $1, $3); }
  | operand '<' operand             { $$ = BIN(E_LT, @$, $1, $3); }
  | operand OP_LE operand           { $$ = BIN(E_LE, @$, $1, $3); }
  | operand '>' operand             { $$ = BIN(E_GT, @$, $1, $3); }
  | operand OP_GE operand           { $$ = BIN(E_GE, @$, $1, $3); }
  | operand K_IN operand            { $$ = BIN(E_IN, @$, $1, $3); }
  | operand K_NOT K_IN operand      { $$ = BIN(E_NOT_IN, @$, $1, $4); }
  | operand K_IN operand DOTDOT operand {
        Expr *e = expr_new(A, E_IN_RANGE, @$, 3);
        e->kids[0] = $1; e->kids[1] = $3; e->kids[2] = $5;
        expr_fix_depth(e);
        $$ = check_depth(ctx, e);
    }
  | operand K_INTERSECTS operand    { $$ = BIN(E_INTERSECTS, @$, $1, $3); }
  | operand K_IS K_KNOWN            { $$ = UN(E_IS_KNOWN, @$, $1); }
  | operand K_IS K_UNKNOWN          { $$ = UN(E_IS_UNKNOWN, @$, $1); }
  | operand '=' operand {
        diag_at(ctx->diag, DIAG_ERROR, @2, "'=' is not a comparison");
        diag_hint(ctx->diag, "write '==' to compare");
        $$ = BIN(E_EQ, @$, $1, $3);
    }
  ;

operand:
    literal
  | path {
        $$ = expr_new(A, E_NAME, @$, 0);
        $$->path_len = $1->len;
        $$->path = arena_alloc(A, $1->len * sizeof(char *));
        for (uint32_t i = 0; i < $1->len; i++)
            $$->path[i] = $1->items[i];
    }
  | '(' expr ')'        { $$ = $2; }
  | K_TODAY             { $$ = expr_new(A, E_TODAY, @$, 0); }
  | '{' opt_exprs '}'   { $$ = check_depth(ctx, expr_from_list(A, E_SET, @$, $2)); }
  | first_table
  | name '(' opt_exprs ')' {
        $$ = check_depth(ctx, expr_from_list(A, E_CALL, @$, $3));
        $$->path = arena_alloc(A, sizeof(char *));
        $$->path[0] = $1;
        $$->path_len = 1;
    }
  ;

literal:
    STRING_LIT  { $$ = expr_literal(A, val_string($1), @$); }
  | NUMBER_LIT  { $$ = expr_literal(A, val_number($1), @$); }
  | DATE_LIT    { $$ = expr_literal(A, val_date($1), @$); }
  | K_TRUE      { $$ = expr_literal(A, val_bool(true), @$); }
  | K_FALSE     { $$ = expr_literal(A, val_bool(false), @$); }
  | K_UNKNOWN   { $$ = expr_literal(A, val_unknown(), @$); }
  ;

opt_exprs:
    %empty      { $$ = NULL; }
  | exprs
  ;

exprs:
    expr            { $$ = list_push(A, NULL, $1); }
  | exprs ',' expr  { $$ = list_push(A, $1, $3); }
  ;

first_table:
    K_FIRST '{' first_branches '}' {
        $$ = check_depth(ctx, expr_from_list(A, E_FIRST, @$, $3));
        diag_at(ctx->diag, DIAG_ERROR, @4, "first-match table without 'otherwise'");
        diag_hint(ctx->diag, "end the table with 'otherwise: <value>' (it may be 'unknown')");
    }
  | K_FIRST '{' first_branches K_OTHERWISE ':' expr '}' {
        List *kids = list_push(A, $3, $6);
        $$ = check_depth(ctx, expr_from_list(A, E_FIRST, @$, kids));
        $$->has_otherwise = true;
    }
  | K_FIRST '{' K_OTHERWISE ':' expr '}' {
        $$ = check_depth(ctx, expr_from_list(A, E_FIRST, @$, list_push(A, NULL, $5)));
        $$->has_otherwise = true;
    }
  ;

first_branches:
    K_WHEN expr ':' expr                { $$ = list_push(A, list_push(A, NULL, $2), $4); }
  | first_branches K_WHEN expr ':' expr { $$ = list_push(A, list_push(A, $1, $3), $5); }
  ;

path:
    name                    { $$ = list_push(A, NULL, $1); }
  | path '.' name           { $$ = list_push(A, $1, $3); }
  | path '.' STRING_LIT     { $$ = list_push(A, $1, $3); }
  ;

/* A name, or a word that is a keyword only at the start of a clause. */
name:
    NAME
  | K_OF { $$ = arena_strdup(A, "of"); }
  | K_ONE { $$ = arena_strdup(A, "one"); }
  | K_SET { $$ = arena_strdup(A, "set"); }
  | K_BOOL { $$ = arena_strdup(A, "bool"); }
  | K_NUMBER { $$ = arena_strdup(A, "number"); }
  | K_STRING { $$ = arena_strdup(A, "string"); }
  | K_DATE { $$ = arena_strdup(A, "date"); }
  | K_ASK { $$ = arena_strdup(A, "ask"); }
  | K_HELP { $$ = arena_strdup(A, "help"); }
  | K_SOURCE { $$ = arena_strdup(A, "source"); }
  | K_DEFAULT { $$ = arena_strdup(A, "default"); }
  | K_TITLE { $$ = arena_strdup(A, "title"); }
  | K_DESCRIPTION { $$ = arena_strdup(A, "description"); }
  | K_STATUS { $$ = arena_strdup(A, "status"); }
  | K_PHASE { $$ = arena_strdup(A, "phase"); }
  | K_TOPIC { $$ = arena_strdup(A, "topic"); }
  | K_ROLE { $$ = arena_strdup(A, "role"); }
  | K_MEASURE { $$ = arena_strdup(A, "measure"); }
  | K_FROM { $$ = arena_strdup(A, "from"); }
  | K_UNTIL { $$ = arena_strdup(A, "until"); }
  | K_APPLIES { $$ = arena_strdup(A, "applies"); }
  | K_REQUIRES { $$ = arena_strdup(A, "requires"); }
  | K_META { $$ = arena_strdup(A, "meta"); }
  | K_REQUIRED { $$ = arena_strdup(A, "required"); }
  | K_ROUTE { $$ = arena_strdup(A, "route"); }
  | K_AGAIN { $$ = arena_strdup(A, "again"); }
  | K_PHASES { $$ = arena_strdup(A, "phases"); }
  | K_ALWAYS { $$ = arena_strdup(A, "always"); }
  | K_CURRENT { $$ = arena_strdup(A, "current"); }
  | K_TEXT { $$ = arena_strdup(A, "text"); }
  | K_OBLIGATION { $$ = arena_strdup(A, "obligation"); }
  | K_KNOWN { $$ = arena_strdup(A, "known"); }
  ;

%%

#include "lexer.h"

/* Every keyword with its token, once: the list of names (for "did you mean") and the lookup
 * table the scanner uses for each identifier are both made from it. */
#define KDR_KEYWORDS(X) \
    X("import", K_IMPORT) X("fact", K_FACT) X("let", K_LET) X("label", K_LABEL) \
    X("requirement", K_REQUIREMENT) X("procedure", K_PROCEDURE) X("lifecycle", K_LIFECYCLE) \
    X("conclusion", K_CONCLUSION) X("warning", K_WARNING) X("when", K_WHEN) \
    X("otherwise", K_OTHERWISE) X("first", K_FIRST) X("and", K_AND) X("or", K_OR) X("not", K_NOT) \
    X("in", K_IN) X("is", K_IS) X("true", K_TRUE) X("false", K_FALSE) X("unknown", K_UNKNOWN) \
    X("today", K_TODAY) X("intersects", K_INTERSECTS) X("of", K_OF) X("one", K_ONE) \
    X("set", K_SET) X("bool", K_BOOL) X("number", K_NUMBER) X("string", K_STRING) \
    X("date", K_DATE) X("ask", K_ASK) X("help", K_HELP) X("source", K_SOURCE) \
    X("default", K_DEFAULT) X("title", K_TITLE) X("description", K_DESCRIPTION) \
    X("status", K_STATUS) X("phase", K_PHASE) X("topic", K_TOPIC) X("role", K_ROLE) \
    X("measure", K_MEASURE) X("from", K_FROM) X("until", K_UNTIL) X("applies", K_APPLIES) \
    X("requires", K_REQUIRES) X("meta", K_META) X("required", K_REQUIRED) X("route", K_ROUTE) \
    X("again", K_AGAIN) X("phases", K_PHASES) X("always", K_ALWAYS) X("current", K_CURRENT) \
    X("text", K_TEXT) X("obligation", K_OBLIGATION) X("known", K_KNOWN)

#define KDR_KEYWORD_NAME(text, token) text,
const char *const kdr_keywords[] = {KDR_KEYWORDS(KDR_KEYWORD_NAME) NULL};

typedef struct KeywordEntry {
    char first;
    uint8_t len;
    int token;
    const char *text;
} KeywordEntry;
#define KDR_KEYWORD_ENTRY(text, token) {text[0], (uint8_t)(sizeof text - 1), token, text},
static const KeywordEntry keyword_table[] = {KDR_KEYWORDS(KDR_KEYWORD_ENTRY)};

/* Every identifier the scanner reads passes through here, so the lengths are known in advance
 * and a keyword is compared only when its length and first letter match. */
int kdr_keyword_token(const char *text, size_t len)
{
    if (len < 2 || len > 11) /* "in" .. "requirement" */
        return 0;
    for (size_t i = 0; i < sizeof keyword_table / sizeof keyword_table[0]; i++) {
        const KeywordEntry *k = &keyword_table[i];
        if (k->len == len && k->first == text[0] && memcmp(k->text, text, len) == 0)
            return k->token;
    }
    return 0;
}

static void kdr_yyerror(KDR_YYLTYPE *loc, void *scanner, ParseCtx *ctx, const char *msg)
{
    (void)scanner;
    if (strcmp(msg, "memory exhausted") == 0) {
        diag_at(ctx->diag, DIAG_ERROR, *loc, "rule text nested too deeply");
        diag_hint(ctx->diag, "split the expression with 'let'");
        return;
    }
    diag_at(ctx->diag, DIAG_ERROR, *loc, "%s", msg);
}

static bool is_declaration_start(yysymbol_kind_t t)
{
    return t == YYSYMBOL_K_IMPORT || t == YYSYMBOL_K_FACT || t == YYSYMBOL_K_LET || t == YYSYMBOL_K_DEFAULT_LET ||
           t == YYSYMBOL_K_LABEL || t == YYSYMBOL_K_REQUIREMENT || t == YYSYMBOL_K_PROCEDURE ||
           t == YYSYMBOL_K_LIFECYCLE || t == YYSYMBOL_K_CONCLUSION || t == YYSYMBOL_K_WARNING;
}

/* Names a token for a message: keywords and punctuation in single quotes, literals by kind. */
static const char *token_text(yysymbol_kind_t t)
{
    static char quoted[40];
    switch (t) {
    case YYSYMBOL_YYEOF: return "end of file";
    case YYSYMBOL_NAME: return "name";
    case YYSYMBOL_STRING_LIT: return "string";
    case YYSYMBOL_NUMBER_LIT: return "number";
    case YYSYMBOL_DATE_LIT: return "date";
    case YYSYMBOL_K_NUMBER: return "'number'";
    case YYSYMBOL_K_STRING: return "'string'";
    case YYSYMBOL_K_DATE: return "'date'";
    default: break;
    }
    const char *name = yysymbol_name(t);
    size_t len = strlen(name);
    if (len >= 2 && name[0] == '"' && name[len - 1] == '"' && len < sizeof quoted) {
        snprintf(quoted, sizeof quoted, "'%.*s'", (int)(len - 2), name + 1);
        return quoted;
    }
    if (name[0] != '\'' && len + 3 < sizeof quoted) {
        snprintf(quoted, sizeof quoted, "'%s'", name);
        return quoted;
    }
    return name;
}

/* The message for a syntax error: what was found, what would be right, and a hint for the
 * mistakes people make most. */
static int yyreport_syntax_error(const yypcontext_t *pc, void *scanner, ParseCtx *ctx)
{
    (void)scanner;
    yysymbol_kind_t expected[YYNTOKENS];
    int n = yypcontext_expected_tokens(pc, expected, YYNTOKENS);
    yysymbol_kind_t got = yypcontext_token(pc);
    const KdrLoc *loc = yypcontext_location(pc);
    Buf msg = {0};
    if (got == YYSYMBOL_NAME && loc->end - loc->start < 60)
        buf_printf(&msg, "unexpected name '%.*s'", (int)(loc->end - loc->start),
                   ctx->source->text + loc->start);
    else
        buf_printf(&msg, "unexpected %s", token_text(got));
    bool expects_decl = false, expects_colon = false, expects_op = false, expects_expr = false;
    bool expects_type = false;
    for (int i = 0; i < n; i++) {
        expects_decl |= is_declaration_start(expected[i]);
        expects_colon |= strcmp(yysymbol_name(expected[i]), "':'") == 0;
        expects_op |= expected[i] == YYSYMBOL_K_AND || expected[i] == YYSYMBOL_OP_EQ;
        expects_expr |= expected[i] == YYSYMBOL_K_FIRST || expected[i] == YYSYMBOL_K_TODAY;
        expects_type |= expected[i] == YYSYMBOL_K_BOOL;
    }
    if (expects_decl && expects_op)
        buf_puts(&msg, ", expected an operator or a new declaration");
    else if (expects_decl)
        buf_puts(&msg, ", expected a declaration");
    else if (expects_expr && !expects_op)
        buf_puts(&msg, ", expected an expression");
    else if (expects_type)
        buf_puts(&msg, ", expected a type: bool, number, date, string, one of {...}, set or set of {...}");
    else if (n > 0 && n <= 5) {
        buf_puts(&msg, ", expected ");
        for (int i = 0; i < n; i++) {
            if (i)
                buf_puts(&msg, i == n - 1 ? " or " : ", ");
            buf_puts(&msg, token_text(expected[i]));
        }
    }
    diag_at(ctx->diag, DIAG_ERROR, *loc, "%s", buf_str(&msg));
    buf_free(&msg);

    if ((got == YYSYMBOL_YYEOF || is_declaration_start(got)) && ctx->brace_depth > 0) {
        int line, col;
        int depth = ctx->brace_depth <= KDR_MAX_BRACE_DEPTH ? ctx->brace_depth : KDR_MAX_BRACE_DEPTH;
        source_line_col(ctx->source, ctx->open_braces[depth - 1].start, &line, &col);
        diag_hint(ctx->diag, "the '{' on line %d is not closed: is a '}' missing?", line);
    } else if (expects_op && (got == YYSYMBOL_NAME || got == YYSYMBOL_STRING_LIT ||
                              got == YYSYMBOL_NUMBER_LIT || got == YYSYMBOL_K_NOT)) {
        diag_hint(ctx->diag, "is an 'and' or 'or' missing before it?");
    } else if (got == YYSYMBOL_NAME && expects_decl) {
        const char *best = NULL;
        int best_distance = 3;
        const SourceFile *src = ctx->source;
        char word[64];
        size_t len = loc->end - loc->start;
        if (len >= 4 && len < sizeof word) {
            memcpy(word, src->text + loc->start, len);
            word[len] = '\0';
            for (size_t i = 0; kdr_keywords[i]; i++) {
                int d = edit_distance(word, kdr_keywords[i], 2);
                if (d < best_distance) {
                    best_distance = d;
                    best = kdr_keywords[i];
                }
            }
        }
        if (best)
            diag_hint(ctx->diag, "did you mean '%s'?", best);
        else
            diag_hint(ctx->diag, "a declaration starts with fact, let, label, requirement, procedure, lifecycle, conclusion, warning or import");
    } else if (expects_decl) {
        diag_hint(ctx->diag, "a declaration starts with fact, let, label, requirement, procedure, lifecycle, conclusion, warning or import");
    } else if (expects_colon && strcmp(yysymbol_name(got), "':'") != 0 && ctx->brace_depth > 0 &&
               ctx->brace_depth <= KDR_MAX_BRACE_DEPTH && ctx->brace_is_table[ctx->brace_depth - 1]) {
        diag_hint(ctx->diag, "a branch is written 'when <condition>: <value>'");
    } else if (expects_op && (got == YYSYMBOL_NAME || got == YYSYMBOL_STRING_LIT ||
                              got == YYSYMBOL_NUMBER_LIT || got == YYSYMBOL_K_NOT)) {
        diag_hint(ctx->diag, "is an 'and' or 'or' missing before it?");
    } else if (is_declaration_start(got) && expects_expr) {
        diag_hint(ctx->diag, "%s starts a new declaration: the expression before it is incomplete", token_text(got));
    } else if (got == YYSYMBOL_YYEOF) {
        diag_hint(ctx->diag, "the file ends in the middle of a declaration");
    }
    return 0;
}

/* The scanner's fast tables (flex -CF) must never see a NUL byte: flex reads NUL as its
 * end-of-buffer mark, and a NUL followed by byte 0xFF then indexes past its transition table.
 * Rule text is text, so a NUL is an error at its place, and the text is not scanned. */
static bool has_nul(const SourceFile *src, uint32_t start, uint32_t end, Diag *diag, uint32_t file)
{
    const char *nul = memchr(src->text + start, '\0', end - start);
    if (!nul)
        return false;
    uint32_t at = (uint32_t)(nul - src->text);
    diag_at(diag, DIAG_ERROR, (KdrLoc){file, at, at + 1}, "a NUL byte in rule text");
    diag_hint(diag, "rule files are UTF-8 text; is this a binary file?");
    return true;
}

int kdr_parse_range(Program *program, uint32_t file, uint32_t start, uint32_t end, Diag *diag,
                    ParsedFile *out)
{
    const SourceFile *src = sources_get(&program->sources, file);
    out->file = file;
    if (has_nul(src, start, end, diag, file))
        return -1;
    ParseCtx ctx = {0};
    ctx.arena = &program->arena;
    ctx.diag = diag;
    ctx.source = src;
    ctx.file = file;
    ctx.offset = start;
    ctx.end = end;
    ctx.out = out;
    ctx.errors_at_start = diag->errors;
    out->file = file;

    yyscan_t scanner;
    if (kdr_yylex_init_extra(&ctx, &scanner) != 0) {
        diag_plain(diag, DIAG_ERROR, "cannot start the scanner");
        return -1;
    }
    YY_BUFFER_STATE buffer = kdr_yy_scan_bytes(src->text + start, (int)(end - start), scanner);
    int rc = kdr_yyparse(scanner, &ctx);
    kdr_yy_delete_buffer(buffer, scanner);
    kdr_yylex_destroy(scanner);
    /* yyparse returns 0 after a recovered error: the error count decides. */
    return rc == 0 && diag->errors == ctx.errors_at_start ? 0 : -1;
}

int kdr_tokenize(Program *program, uint32_t file, Diag *diag, KdrToken **tokens, uint32_t *n_tokens)
{
    const SourceFile *src = sources_get(&program->sources, file);
    *tokens = NULL;
    *n_tokens = 0;
    if (has_nul(src, 0, (uint32_t)src->len, diag, file))
        return -1;
    ParseCtx ctx = {0};
    ctx.arena = &program->arena;
    ctx.diag = diag;
    ctx.source = src;
    ctx.file = file;
    ctx.end = (uint32_t)src->len;
    ctx.errors_at_start = diag->errors;
    ctx.keep_comments = true;

    yyscan_t scanner;
    if (kdr_yylex_init_extra(&ctx, &scanner) != 0) {
        diag_plain(diag, DIAG_ERROR, "cannot start the scanner");
        return -1;
    }
    YY_BUFFER_STATE buffer = kdr_yy_scan_bytes(src->text, (int)src->len, scanner);
    KdrToken *out = NULL;
    uint32_t n = 0, cap = 0, next_comment = 0;
    for (;;) {
        KDR_YYSTYPE value;
        KDR_YYLTYPE loc;
        int kind = kdr_yylex(&value, &loc, scanner, &ctx);
        /* Comments the scanner passed on the way to this token come before it. */
        uint32_t pending = ctx.n_comments - next_comment + (kind != 0);
        if (n + pending > cap) {
            cap = (n + pending) * 2 + 16;
            out = kdr_realloc(out, cap * sizeof(KdrToken));
        }
        while (next_comment < ctx.n_comments)
            out[n++] = (KdrToken){KDR_TOKEN_COMMENT, ctx.comments[next_comment++]};
        if (kind == 0)
            break;
        out[n++] = (KdrToken){kind, loc};
    }
    kdr_yy_delete_buffer(buffer, scanner);
    kdr_yylex_destroy(scanner);
    kdr_free(ctx.comments);
    *tokens = out;
    *n_tokens = n;
    return diag->errors == ctx.errors_at_start ? 0 : -1;
}
