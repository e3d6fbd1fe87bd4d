/* load.h — finding, reading and parsing rule files (search path, directories, imports), then
 * handing the parsed files to the resolver. */
#ifndef KADER_LOAD_H
#define KADER_LOAD_H

#include "diag.h"
#include "program.h"

typedef struct Loader {
    Program *program;
    Diag *diag;
    PtrVec search_dirs;  /* char *, in lookup order */
    StrMap loaded;       /* real paths of loaded files */
    PtrVec loaded_paths; /* owns the strings the map points at */
    int depth;           /* import nesting */
} Loader;

void loader_init(Loader *l, Program *program, Diag *diag);
void loader_free(Loader *l);
void loader_add_search_dir(Loader *l, const char *dir);
/* Adds the directories of KADER_PATH (colon-separated). */
void loader_add_env_path(Loader *l);
/* A .kdr file, or every .kdr file of a directory in name order. Returns 0 if it loaded cleanly. */
int loader_load_path(Loader *l, const char *path);
int loader_load_text(Loader *l, const char *name, const char *text, size_t len);
/* Resolves names and checks types over everything loaded. Returns 0 when the program is usable. */
int loader_finish(Loader *l);

/* The resolver (resolve.c). */
int resolve_program(Program *p, Diag *diag);

/* Where the build-tree or installed stdlib and default rules are; NULL when not found. */
const char *kader_stdlib_dir(void);
const char *kader_rules_dir(void);

#endif
