/* load.c — reads rule files from paths, directories and imports, once each, and parses them. */
#define _GNU_SOURCE
#include "load.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"

enum { MAX_IMPORT_DEPTH = 32, MAX_RULE_FILE_BYTES = 16 * 1024 * 1024 };

Program *program_new(void)
{
    Program *p = kdr_calloc(1, sizeof *p);
    sources_init(&p->sources);
    return p;
}

void program_free(Program *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->parsed.len; i++) {
        ParsedFile *f = p->parsed.items[i];
        kdr_free(f->decls);
        kdr_free(f);
    }
    ptrvec_free(&p->parsed);
    strmap_free(&p->fact_names);
    strmap_free(&p->let_names);
    strmap_free(&p->requirement_ids);
    strmap_free(&p->procedure_ids);
    strmap_free(&p->phase_positions);
    sources_free(&p->sources);
    arena_free(&p->arena);
    kdr_free(p);
}

void loader_init(Loader *l, Program *program, Diag *diag)
{
    memset(l, 0, sizeof *l);
    l->program = program;
    l->diag = diag;
}

void loader_free(Loader *l)
{
    for (int i = 0; i < l->search_dirs.len; i++)
        kdr_free(l->search_dirs.items[i]);
    ptrvec_free(&l->search_dirs);
    for (int i = 0; i < l->loaded_paths.len; i++)
        kdr_free(l->loaded_paths.items[i]);
    ptrvec_free(&l->loaded_paths);
    strmap_free(&l->loaded);
}

/* Directories are kept without a trailing '/', once each, so "looked in" lists are short. */
void loader_add_search_dir(Loader *l, const char *dir)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    for (int i = 0; i < l->search_dirs.len; i++) {
        const char *known = l->search_dirs.items[i];
        if (strlen(known) == len && memcmp(known, dir, len) == 0)
            return;
    }
    ptrvec_push(&l->search_dirs, kdr_strndup(dir, len));
}

void loader_add_env_path(Loader *l)
{
    const char *env = getenv("KADER_PATH");
    if (!env)
        return;
    while (*env) {
        const char *colon = strchr(env, ':');
        size_t len = colon ? (size_t)(colon - env) : strlen(env);
        if (len) {
            char *dir = kdr_strndup(env, len);
            loader_add_search_dir(l, dir);
            kdr_free(dir);
        }
        env += len + (colon ? 1 : 0);
    }
}

static bool is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int load_file(Loader *l, const char *path, const KdrLoc *import_loc);

/* Loads the imports of a parsed file, looking beside the importing file first. */
static int load_imports(Loader *l, const ParsedFile *f, const char *importer_path)
{
    int rc = 0;
    char *dir = kdr_strdup(importer_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = slash == dir ? '/' : '\0';
    else
        strcpy(dir, ".");
    for (uint32_t i = 0; i < f->n_decls; i++) {
        if (f->decls[i].kind != D_IMPORT)
            continue;
        const ImportDecl *imp = f->decls[i].as.import;
        const char *ext = str_ends_with(imp->name, ".kdr") ? "" : ".kdr";
        Buf candidate = {0}, looked = {0}, directory = {0};
        bool found = false;
        for (int k = -1; k < l->search_dirs.len && !found; k++) {
            const char *base = k < 0 ? dir : l->search_dirs.items[k];
            if (k >= 0 && strcmp(base, dir) == 0)
                continue;
            buf_clear(&candidate);
            buf_printf(&candidate, "%s%s%s%s", base, str_ends_with(base, "/") ? "" : "/", imp->name, ext);
            found = is_file(buf_str(&candidate));
            if (!found && directory.len == 0 && is_directory(buf_str(&candidate)))
                buf_puts(&directory, buf_str(&candidate));
            buf_printf(&looked, "%s%s", looked.len ? ", " : "", base);
        }
        if (found) {
            if (load_file(l, buf_str(&candidate), &imp->loc) != 0)
                rc = -1;
        } else if (directory.len) {
            /* "not found" would send the user looking for a file that is there. */
            diag_at(l->diag, DIAG_ERROR, imp->loc, "cannot import '%s': %s is a directory", imp->name,
                    buf_str(&directory));
            diag_hint(l->diag, "an import names a rule file; load a directory with --rules");
            rc = -1;
        } else {
            diag_at(l->diag, DIAG_ERROR, imp->loc, "cannot find import '%s'", imp->name);
            diag_hint(l->diag, "looked for %s%s in: %s", imp->name, ext, buf_str(&looked));
            rc = -1;
        }
        buf_free(&candidate);
        buf_free(&looked);
        buf_free(&directory);
    }
    kdr_free(dir);
    return rc;
}

static int load_file(Loader *l, const char *path, const KdrLoc *import_loc)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        if (import_loc)
            diag_at(l->diag, DIAG_ERROR, *import_loc, "cannot read '%s': %s", path, strerror(errno));
        else
            diag_plain(l->diag, DIAG_ERROR, "cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    int32_t seen;
    if (strmap_get(&l->loaded, real, &seen))
        return 0; /* each file is loaded once, however often it is imported */
    char *key = kdr_strdup(real);
    ptrvec_push(&l->loaded_paths, key);
    strmap_put(&l->loaded, key, 1);

    if (l->depth >= MAX_IMPORT_DEPTH) {
        diag_at(l->diag, DIAG_ERROR, *import_loc, "imports nested deeper than %d files", MAX_IMPORT_DEPTH);
        return -1;
    }
    size_t len;
    char *text = read_whole_file(path, &len);
    if (!text) {
        diag_plain(l->diag, DIAG_ERROR, "cannot read '%s': %s", path, read_error_text(errno));
        return -1;
    }
    if (len > MAX_RULE_FILE_BYTES) {
        kdr_free(text);
        diag_plain(l->diag, DIAG_ERROR, "'%s' is larger than the %d MiB limit for rule files", path,
                   MAX_RULE_FILE_BYTES / (1024 * 1024));
        return -1;
    }
    if (memchr(text, '\0', len)) {
        kdr_free(text);
        diag_plain(l->diag, DIAG_ERROR, "'%s' is not a text file (it holds NUL bytes)", path);
        return -1;
    }
    uint32_t file = sources_add(&l->program->sources, path, text, len);
    ParsedFile *parsed = kdr_calloc(1, sizeof *parsed);
    ptrvec_push(&l->program->parsed, parsed);
    int rc = kdr_parse_range(l->program, file, 0, (uint32_t)len, l->diag, parsed);
    l->depth++;
    if (load_imports(l, parsed, path) != 0)
        rc = -1;
    l->depth--;
    return rc;
}

static int load_directory(Loader *l, const char *dir)
{
    PtrVec all = {0}, names = {0};
    if (dir_names_sorted(dir, &all) < 0) {
        diag_plain(l->diag, DIAG_ERROR, "cannot read directory '%s': %s", dir, strerror(errno));
        return -1;
    }
    /* Name order makes loading, and so replacement of requirements, deterministic. */
    for (int i = 0; i < all.len; i++)
        if (str_ends_with(all.items[i], ".kdr"))
            ptrvec_push(&names, kdr_strdup(all.items[i]));
    ptrvec_free_all(&all);
    if (names.len == 0) {
        /* Most likely a wrong path: loading nothing would give a report with no rules in it. */
        diag_plain(l->diag, DIAG_ERROR, "no rule files (*.kdr) in directory '%s'", dir);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < names.len; i++) {
        Buf path = {0};
        buf_printf(&path, "%s%s%s", dir, str_ends_with(dir, "/") ? "" : "/", (char *)names.items[i]);
        if (load_file(l, buf_str(&path), NULL) != 0)
            rc = -1;
        buf_free(&path);
        kdr_free(names.items[i]);
    }
    ptrvec_free(&names);
    return rc;
}

int loader_load_path(Loader *l, const char *path)
{
    if (is_directory(path))
        return load_directory(l, path);
    return load_file(l, path, NULL);
}

int loader_load_text(Loader *l, const char *name, const char *text, size_t len)
{
    uint32_t file = sources_add(&l->program->sources, name, kdr_strndup(text, len), len);
    ParsedFile *parsed = kdr_calloc(1, sizeof *parsed);
    ptrvec_push(&l->program->parsed, parsed);
    int rc = kdr_parse_range(l->program, file, 0, (uint32_t)len, l->diag, parsed);
    if (load_imports(l, parsed, name) != 0)
        rc = -1;
    return rc;
}

int loader_finish(Loader *l)
{
    if (l->diag->errors)
        return -1;
    return resolve_program(l->program, l->diag);
}

/* ---- where the bundled rules are ---- */

/* The directory suffix relative to the file that holds this code: the kader binary, or
 * libkader.so when a program embeds the shared library. Both are installed one level below
 * the prefix (bin/, lib/), so ../share/kader is the installed data. */
static char *exe_relative(const char *suffix)
{
    char exe[PATH_MAX];
    Dl_info info;
    if (dladdr((void *)(uintptr_t)exe_relative, &info) && info.dli_fname && strchr(info.dli_fname, '/')) {
        if (!realpath(info.dli_fname, exe))
            return NULL;
    } else {
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0)
            return NULL;
        exe[n] = '\0';
    }
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    Buf b = {0};
    buf_printf(&b, "%s/%s", exe, suffix);
    if (is_directory(buf_str(&b)))
        return buf_take(&b);
    buf_free(&b);
    return NULL;
}

/* An installed binary finds share/kader beside its bin/; a binary in the build tree finds the
 * source tree it was built from. KADER_HOME overrides both. */
/* Copies the candidate into out when it is a directory. */
static bool found_dir(Buf *candidate, char *out, size_t size)
{
    bool ok = is_directory(buf_str(candidate)) && candidate->len < size;
    if (ok)
        memcpy(out, buf_str(candidate), candidate->len + 1);
    buf_clear(candidate);
    return ok;
}

/* Looked up on every call (a few stat calls) into a per-thread buffer: no heap memory that
 * would outlive an environment's allocator, and a changed KADER_HOME is honoured. */
static const char *data_dir(const char *which, char *out, size_t size)
{
    const char *home = getenv("KADER_HOME");
    Buf b = {0};
    bool ok = false;
    if (home && *home) {
        buf_printf(&b, "%s/%s", home, which);
        ok = found_dir(&b, out, size);
    }
    if (!ok) {
        buf_printf(&b, "../share/kader/%s", which);
        char *installed = exe_relative(buf_str(&b));
        buf_clear(&b);
        if (installed && strlen(installed) < size) {
            strcpy(out, installed);
            ok = true;
        }
        kdr_free(installed);
    }
#ifdef KADER_SOURCE_DIR
    if (!ok) {
        buf_printf(&b, "%s/%s", KADER_SOURCE_DIR, which);
        ok = found_dir(&b, out, size);
    }
#endif
#ifdef KADER_INSTALL_DATADIR
    if (!ok) {
        buf_printf(&b, "%s/%s", KADER_INSTALL_DATADIR, which);
        ok = found_dir(&b, out, size);
    }
#endif
    buf_free(&b);
    return ok ? out : NULL;
}

static _Thread_local char stdlib_path[PATH_MAX], rules_path[PATH_MAX];

const char *kader_stdlib_dir(void) { return data_dir("stdlib", stdlib_path, sizeof stdlib_path); }
const char *kader_rules_dir(void) { return data_dir("rules", rules_path, sizeof rules_path); }
