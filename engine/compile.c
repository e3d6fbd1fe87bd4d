/* compile.c — `kader compile`: reads Algoritmekader requirement and measure documents, links each
 * measure to the requirements it names, compiles every requirement into a rule file in memory
 * (a 2024 requirement with the applicability of its 2026 successor: compile_lineage.c), and only
 * when nothing went wrong writes the files, each atomically (temporary file + rename). */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "compile.h"
#include "compile_tree.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_DIR_DEPTH = 16 };

static void usage(FILE *out)
{
    fputs("usage: kader compile [options] DOC|DIR... (-o OUTDIR | --stdout)\n"
          "\n"
          "Compiles Algoritmekader requirement documents (Markdown with YAML front matter) into\n"
          "kader rule files, one OUTDIR/<name>.kdr per requirement document. Directories are read\n"
          "recursively (*.md except index.md). Measure documents (maatregelen) given as well are\n"
          "linked to the requirements they name. ```kader blocks in a document are rule text.\n"
          "A Beslishulp decision tree (decision-tree.yaml) becomes a rule file of its own.\n"
          "\n"
          "A 2024 document takes the applicability of its 2026 successor (the lineage table\n"
          "names it): the condition, dates and procedures of the requirement with that id in\n"
          "the rules, or else the AI Act labels of the 2026 document, when it is given.\n"
          "\n"
          "options:\n"
          "  -o, --output DIR      write the rule files into DIR (created when missing)\n"
          "      --stdout          write the rule file of the one requirement document to stdout\n"
          "      --werror          treat warnings as errors\n"
          "      --lineage FILE    the lineage table (default: the stdlib's lineage-2024.yaml)\n"
          "      --no-lineage      compile 2024 documents as they stand, without successors\n"
          "  -r, --rules PATH      the rules that define successors (default: the project's\n"
          "                        rules/); a .kdr file or a directory; repeatable\n"
          "      --successors PATH 2026 requirement documents (a file or a directory) whose\n"
          "                        labels a successor without a rule takes; repeatable\n"
          "  -v, --verbose         say what was compiled and written\n"
          "  -h, --help            show this help\n"
          "\n"
          "Exit status: 0 compiled (warnings on stderr), 2 usage or input error. When there is\n"
          "any error no file is written or changed.\n",
          out);
}

typedef struct Options {
    const char *outdir;
    bool to_stdout, werror, verbose;
    PtrVec inputs; /* const char * from argv */
    LineageOptions lineage;
} Options;

static const char *const long_options[] = {"--output", "--stdout", "--werror", "--verbose",
                                           "--help", "--lineage", "--no-lineage", "--rules",
                                           "--successors"};

static int usage_error(const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int usage_error(const char *hint, const char *fmt, ...)
{
    fputs("kader compile: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (hint)
        fprintf(stderr, "hint: %s\n", hint);
    fputs("Try 'kader compile --help'.\n", stderr);
    return 2;
}

/* Returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, Options *o)
{
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
            ck_push_const(&o->inputs, a);
        } else if (strcmp(a, "--") == 0) {
            options_done = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (i + 1 >= argc)
                return usage_error(NULL, "%s needs a directory", a);
            o->outdir = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0) {
            o->outdir = a + 9;
        } else if (strncmp(a, "-o", 2) == 0) {
            o->outdir = a + 2;
        } else if (strcmp(a, "--stdout") == 0) {
            o->to_stdout = true;
        } else if (strcmp(a, "--werror") == 0) {
            o->werror = true;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            o->verbose = true;
        } else if (strcmp(a, "--lineage") == 0 || strncmp(a, "--lineage=", 10) == 0) {
            if (!a[9] && (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0))
                return usage_error(NULL, "--lineage needs a file");
            o->lineage.table = a[9] ? a + 10 : argv[++i];
            if (!*o->lineage.table)
                return usage_error(NULL, "--lineage needs a file");
        } else if (strcmp(a, "--no-lineage") == 0) {
            o->lineage.off = true;
        } else if (strcmp(a, "-r") == 0 || strcmp(a, "--rules") == 0 ||
                   strncmp(a, "--rules=", 8) == 0) {
            const char *v = strncmp(a, "--rules=", 8) == 0 ? a + 8
                            : i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0 ? argv[++i]
                                                                                : NULL;
            if (!v || !*v)
                return usage_error(NULL, "%s needs a rule file or directory", a);
            ck_push_const(&o->lineage.rule_paths, v);
        } else if (strcmp(a, "--successors") == 0 || strncmp(a, "--successors=", 13) == 0) {
            const char *v = a[12] ? a + 13
                            : i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0 ? argv[++i]
                                                                                : NULL;
            if (!v || !*v)
                return usage_error(NULL, "--successors needs a file or directory");
            ck_push_const(&o->lineage.successor_paths, v);
        } else {
            const char *best = NULL;
            int best_d = 3;
            for (size_t k = 0; k < KDR_ARRAY_LEN(long_options); k++) {
                int d = edit_distance(a, long_options[k], 2);
                if (d < best_d) {
                    best_d = d;
                    best = long_options[k];
                }
            }
            char hint[64];
            if (best)
                snprintf(hint, sizeof hint, "did you mean %s?", best);
            return usage_error(best ? hint : NULL, "unknown option '%s'", a);
        }
    }
    if (o->outdir && !*o->outdir)
        return usage_error(NULL, "-o needs a directory");
    if (o->inputs.len == 0)
        return usage_error("name requirement documents or directories", "no documents given");
    if (!o->outdir && !o->to_stdout)
        return usage_error(NULL, "say where the rule files go: -o OUTDIR or --stdout");
    if (o->outdir && o->to_stdout)
        return usage_error(NULL, "-o and --stdout exclude each other");
    if (o->lineage.off && o->lineage.table)
        return usage_error(NULL, "--lineage and --no-lineage exclude each other");
    return -1;
}

/* ---- inputs ---- */

typedef struct Input {
    char *path;
    dev_t dev;
    ino_t ino;
    bool named; /* named on the command line, not found in a directory */
} Input;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_input(Compiler *c, PtrVec *files, const char *path, const struct stat *st,
                      bool named)
{
    for (int i = 0; i < files->len; i++) {
        Input *in = files->items[i];
        if (in->dev == st->st_dev && in->ino == st->st_ino)
            return; /* the same file named twice (a directory and a file in it) */
    }
    Input *in = arena_alloc(&c->arena, sizeof *in);
    in->path = arena_strdup(&c->arena, path);
    in->dev = st->st_dev;
    in->ino = st->st_ino;
    in->named = named;
    ptrvec_push(files, in);
}

static char *join_path(Arena *a, const char *dir, const char *name)
{
    size_t n = strlen(dir);
    return arena_printf(a, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && ck_str_ieq(name + n - e, ext);
}

/* YAML or JSON: a decision tree, if its content says so. */
static bool is_data_file(const char *name)
{
    return has_ext(name, ".yaml") || has_ext(name, ".yml") || has_ext(name, ".json");
}

/* Reads a directory in name order (so the output does not depend on the file system's order),
 * descending into subdirectories; hidden entries and index.md (site pages) are left out. */
static void walk_dir(Compiler *c, PtrVec *files, const char *dir, int depth)
{
    if (depth > MAX_DIR_DEPTH) {
        diag_plain(&c->diag, DIAG_WARNING, "%s: directories nested too deeply; not read", dir);
        return;
    }
    DIR *dh = opendir(dir);
    if (!dh) {
        diag_plain(&c->diag, DIAG_ERROR, "cannot read directory %s: %s", dir, strerror(errno));
        return;
    }
    PtrVec names = {0};
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        ptrvec_push(&names, kdr_strdup(e->d_name));
    }
    closedir(dh);
    if (names.len)
        qsort(names.items, (size_t)names.len, sizeof(void *), cmp_str);
    for (int i = 0; i < names.len; i++) {
        const char *name = names.items[i];
        char *path = join_path(&c->arena, dir, name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue; /* a dangling link */
        if (S_ISDIR(st.st_mode)) {
            walk_dir(c, files, path, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            /* YAML only: a JSON Schema beside the tree names questions and conclusions too. */
            if ((has_ext(name, ".md") && !ck_str_ieq(name, "index.md")) ||
                has_ext(name, ".yaml") || has_ext(name, ".yml"))
                add_input(c, files, path, &st, false);
        }
    }
    for (int i = 0; i < names.len; i++)
        kdr_free(names.items[i]);
    ptrvec_free(&names);
}

static void gather_inputs(Compiler *c, const Options *o, PtrVec *files)
{
    for (int i = 0; i < o->inputs.len; i++) {
        const char *p = o->inputs.items[i];
        struct stat st;
        if (stat(p, &st) != 0) {
            diag_plain(&c->diag, DIAG_ERROR, "cannot read %s: %s", p, strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode))
            walk_dir(c, files, p, 0);
        else
            add_input(c, files, p, &st, true);
    }
}

/* ---- classifying and naming ---- */

static const char *front_id(Compiler *c, Doc *d)
{
    const YNode *k;
    const YNode *v = ck_fm_get(d, "id", &k);
    if (!k || v->kind == Y_NULL)
        return NULL;
    if (v->kind != Y_SCALAR) {
        diag_at(&c->diag, DIAG_ERROR, ck_node_loc(d, v), "'id' must be text");
        return NULL;
    }
    const char *id = ck_str_trim_dup(&c->arena, v->str, strlen(v->str));
    return *id ? id : NULL;
}

/* A measure names requirements in `vereiste`; 2026 gives it an urn:nl:ak:mtr: id; a 2024
 * measure without links is still one by its folder. */
static bool is_measure(Doc *d, const char *id)
{
    if (ck_fm_get(d, "vereiste", NULL))
        return true;
    if (id && strncmp(id, "urn:nl:ak:ver:", 14) == 0)
        return false;
    if (id && strncmp(id, "urn:nl:ak:mtr:", 14) == 0)
        return true;
    return ck_str_ieq(d->dirname, "maatregelen");
}

static void name_documents(Compiler *c, PtrVec *reqs, PtrVec *measures)
{
    for (int i = 0; i < c->docs.len; i++) {
        Doc *d = c->docs.items[i];
        if (d->kind == DOC_TREE) {
            ptrvec_push(reqs, d); /* a rule file of its own, named like the others */
            continue;
        }
        const char *id = d->fm ? front_id(c, d) : NULL;
        d->kind = d->fm && is_measure(d, id) ? DOC_MEASURE : DOC_REQUIREMENT;
        if (!d->fm) {
            d->id = NULL; /* literate rules only: the blocks say everything */
        } else if (id) {
            d->id = id;
            if (d->kind == DOC_REQUIREMENT)
                ck_lineage_index(c, d); /* a 2026 document may be a 2024 one's successor */
        } else {
            bool warn;
            d->id = ck_derive_id(c, d, d->kind == DOC_MEASURE, &warn);
            d->id_derived = true;
            if (warn && d->kind == DOC_REQUIREMENT)
                diag_at(&c->diag, DIAG_WARNING, ck_doc_loc(d, 0, 3),
                        "the front matter has no 'id'; the requirement is named '%s' after the "
                        "file", d->id);
        }
        if (d->fm) {
            const YNode *t = ck_fm_get(d, "title", NULL);
            d->title = t && t->kind == Y_SCALAR && *t->str
                           ? ck_str_trim_dup(&c->arena, t->str, strlen(t->str))
                           : d->stem;
        }
        ptrvec_push(d->kind == DOC_MEASURE ? measures : reqs, d);
    }

    for (int i = 0; i < reqs->len; i++) {
        Doc *d = reqs->items[i];
        for (int j = 0; j < i && d->id; j++) {
            Doc *e = reqs->items[j];
            if (e->id && strcmp(e->id, d->id) == 0) {
                const YNode *k;
                ck_fm_get(d, "id", &k);
                diag_at(&c->diag, DIAG_WARNING, k ? ck_node_loc(d, k) : ck_doc_loc(d, 0, 3),
                        "requirement id '%s' is also the id of %s; loaded together, the later "
                        "replaces the earlier", d->id, e->path);
                break;
            }
        }
        /* One output per document, named after it. On a file system that ignores case two
         * names differing only in case would be one file, so the later one gets a number. */
        const char *name = arena_printf(&c->arena, "%s.kdr", d->stem);
        for (int n = 2;; n++) {
            bool taken = false;
            for (int j = 0; j < i && !taken; j++)
                taken = ck_str_ieq(((Doc *)reqs->items[j])->out_name, name);
            if (!taken)
                break;
            name = arena_printf(&c->arena, "%s~%d.kdr", d->stem, n);
        }
        d->out_name = name;
    }
}

/* ---- measures ---- */

/* "aia-14-conformiteitsbeoordeling", "../vereisten/archiefwet.md", "[x](archiefwet.md#y)" and
 * " minimale_verwerking.md " all name a requirement by its file. */
static const char *link_target(Arena *a, const char *s)
{
    char *t = ck_str_trim_dup(a, s, strlen(s));
    if (t[0] == '[') {
        char *close = strstr(t, "](");
        if (close) {
            t = close + 2;
            char *end = strchr(t, ')');
            if (end)
                *end = '\0';
        }
    }
    char *hash = strchr(t, '#');
    if (hash && hash != t)
        *hash = '\0';
    char *slash = strrchr(t, '/');
    if (slash)
        t = slash + 1;
    size_t n = strlen(t);
    if (n > 3 && ck_str_ieq(t + n - 3, ".md"))
        t[n - 3] = '\0';
    return ck_str_trim_dup(a, t, strlen(t));
}

/* For "did you mean": case, blanks, '_' and '-' ignored, so that names too long for the edit
 * distance still find their likely target. */
static const char *loose_key(Arena *a, const char *s)
{
    char *t = arena_strdup(a, s);
    char *w = t;
    for (const char *r = s; *r; r++)
        if (*r != ' ' && *r != '_' && *r != '-')
            *w++ = (char)(*r >= 'A' && *r <= 'Z' ? *r - 'A' + 'a' : *r);
    *w = '\0';
    return t;
}

static void link_measures(Compiler *c, PtrVec *reqs, PtrVec *measures)
{
    if (measures->len && !reqs->len) {
        diag_plain(&c->diag, DIAG_WARNING,
                   "the inputs hold measures but no requirement documents; nothing is linked");
        return;
    }
    for (int i = 0; i < measures->len; i++) {
        Doc *m = measures->items[i];
        const YNode *v = ck_fm_get(m, "vereiste", NULL);
        if (!v || v->kind == Y_NULL)
            continue;
        if (v->kind == Y_MAP) {
            diag_at(&c->diag, DIAG_ERROR, ck_node_loc(m, v),
                    "'vereiste' must list requirement files");
            continue;
        }
        uint32_t n = v->kind == Y_SEQ ? v->n : 1;
        for (uint32_t k = 0; k < n; k++) {
            const YNode *item = v->kind == Y_SEQ ? v->kids[k] : v;
            if (item->kind == Y_NULL)
                continue;
            if (item->kind != Y_SCALAR) {
                diag_at(&c->diag, DIAG_ERROR, ck_node_loc(m, item),
                        "each item of 'vereiste' must name one requirement file");
                continue;
            }
            const char *target = link_target(&c->arena, item->str);
            if (!*target)
                continue;
            /* The exact file name or id; failing that, a name that differs only in case when
             * exactly one does (the 2024 measures write Recht_op_uitleg_AI-besluiten for
             * recht_op_uitleg_AI-besluiten.md). */
            Doc *hit = NULL;
            int n_case = 0;
            for (int r = 0; r < reqs->len && !hit; r++) {
                Doc *d = reqs->items[r];
                if (d->kind == DOC_REQUIREMENT &&
                    (strcmp(d->stem, target) == 0 || (d->id && strcmp(d->id, target) == 0)))
                    hit = d;
            }
            for (int r = 0; r < reqs->len && !hit; r++)
                if (((Doc *)reqs->items[r])->kind == DOC_REQUIREMENT &&
                    ck_str_ieq(((Doc *)reqs->items[r])->stem, target))
                    n_case++;
            for (int r = 0; r < reqs->len && !hit && n_case == 1; r++)
                if (((Doc *)reqs->items[r])->kind == DOC_REQUIREMENT &&
                    ck_str_ieq(((Doc *)reqs->items[r])->stem, target))
                    hit = reqs->items[r];
            if (hit) {
                MeasureRef *ref = arena_alloc(&c->arena, sizeof *ref);
                ref->id = m->id;
                ref->title = m->title;
                ptrvec_push(&hit->measures, ref);
                continue;
            }
            diag_at(&c->diag, DIAG_WARNING, ck_node_loc(m, item),
                    n_case > 1 ? "measure %s names requirement '%s', which matches several "
                                 "documents that differ only in case"
                               : "measure %s names requirement '%s', which is not among the "
                                 "documents",
                    m->stem, target);
            const char *best = NULL;
            int best_d = 5;
            const char *loose = loose_key(&c->arena, target);
            for (int r = 0; r < reqs->len; r++) {
                const char *stem = ((Doc *)reqs->items[r])->stem;
                int dist = strcmp(loose_key(&c->arena, stem), loose) == 0
                               ? 0
                               : edit_distance(target, stem, 4);
                if (dist < best_d) {
                    best_d = dist;
                    best = stem;
                }
            }
            if (best)
                diag_hint(&c->diag, "did you mean '%s'?", best);
        }
    }
}

/* ---- writing ---- */

static bool mkdir_p(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) || (errno = ENOTDIR, false);
    char *p = kdr_strdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            kdr_free(p);
            return false;
        }
        *s = '/';
    }
    bool ok = mkdir(p, 0777) == 0 || errno == EEXIST;
    kdr_free(p);
    return ok;
}

static bool same_content(const char *path, const char *text)
{
    size_t len;
    char *old = read_whole_file(path, &len);
    if (!old)
        return false;
    bool same = len == strlen(text) && memcmp(old, text, len) == 0;
    kdr_free(old);
    return same;
}

static bool write_all(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t n = write(fd, s, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        s += n;
        len -= (size_t)n;
    }
    return true;
}

/* All files go to temporary names first; only when every one is complete are they renamed over
 * the old ones, so an error leaves the directory as it was. Unchanged files are not touched. */
static int write_outputs(Compiler *c, PtrVec *reqs, const char *outdir, bool verbose)
{
    if (!mkdir_p(outdir)) {
        diag_plain(&c->diag, DIAG_ERROR, "cannot create directory %s: %s", outdir,
                   strerror(errno));
        return 2;
    }
    mode_t mask = umask(0);
    umask(mask);
    char **tmp = kdr_calloc((size_t)reqs->len + 1, sizeof(char *));
    char **final = kdr_calloc((size_t)reqs->len + 1, sizeof(char *));
    int written = 0, unchanged = 0, rc = 0;
    for (int i = 0; i < reqs->len && rc == 0; i++) {
        Doc *d = reqs->items[i];
        final[i] = join_path(&c->arena, outdir, d->out_name);
        if (same_content(final[i], d->output)) {
            unchanged++;
            continue;
        }
        tmp[i] = arena_printf(&c->arena, "%s/.%s.XXXXXX", outdir, d->out_name);
        int fd = mkstemp(tmp[i]);
        if (fd < 0) {
            diag_plain(&c->diag, DIAG_ERROR, "cannot create a file in %s: %s", outdir,
                       strerror(errno));
            tmp[i] = NULL;
            rc = 2;
            break;
        }
        bool ok = write_all(fd, d->output, strlen(d->output)) && fsync(fd) == 0 &&
                  fchmod(fd, 0666 & ~mask) == 0;
        int saved = errno;
        if (close(fd) != 0 && ok) {
            ok = false;
            saved = errno;
        }
        if (!ok) {
            diag_plain(&c->diag, DIAG_ERROR, "cannot write %s: %s", final[i], strerror(saved));
            rc = 2;
        }
    }
    if (rc != 0) {
        for (int i = 0; i < reqs->len; i++)
            if (tmp[i])
                unlink(tmp[i]);
        fputs("kader: no output file was changed\n", stderr);
    } else {
        for (int i = 0; i < reqs->len; i++) {
            if (!tmp[i])
                continue;
            if (rename(tmp[i], final[i]) != 0) {
                diag_plain(&c->diag, DIAG_ERROR, "cannot replace %s: %s", final[i],
                           strerror(errno));
                unlink(tmp[i]);
                rc = 2;
                continue;
            }
            written++;
        }
    }
    if (verbose)
        fprintf(stderr, "kader: %d rule files in %s: %d written, %d unchanged\n", reqs->len,
                outdir, written, unchanged);
    kdr_free(tmp);
    kdr_free(final);
    return rc;
}

/* ---- decision trees ---- */

/* A YAML or JSON input that holds a Beslishulp decision tree is compiled by compile_tree.c into
 * a rule file of its own (its first line names the tree). Other data files found in a directory
 * (categories.yaml, a JSON schema) are not inputs; one named on the command line is an error:
 * the user asked for it to be compiled (a truncated tree looks like this). */
static void load_tree(Compiler *c, const Input *in)
{
    size_t len;
    char *text = read_whole_file(in->path, &len);
    if (!text) {
        diag_plain(&c->diag, DIAG_ERROR, "cannot read %s: %s", in->path, read_error_text(errno));
        return;
    }
    const char *missing = tree_missing_key(text, len);
    if (missing) {
        if (in->named && strcmp(missing, "questions") == 0) {
            diag_plain(&c->diag, DIAG_ERROR, "%s is not a decision tree: it has no 'questions'", in->path);
            diag_hint(&c->diag, "a decision tree has 'questions' (each with a 'questionId') and "
                      "'conclusions'; a requirement document is a Markdown file (.md)");
        } else if (in->named) {
            diag_plain(&c->diag, DIAG_ERROR, "%s has 'questions' but no '%s': not a complete decision tree",
                       in->path, missing);
            diag_hint(&c->diag, "a decision tree has 'questions' (each with a 'questionId') and "
                      "'conclusions'; is the file cut short?");
        }
        kdr_free(text);
        return;
    }
    uint32_t file = sources_add(&c->program->sources, in->path, text, len);
    Buf out = {0};
    if (tree_compile(&c->program->sources, file, &c->diag, &out) != 0) {
        buf_free(&out);
        return;
    }
    Doc *d = arena_alloc(&c->arena, sizeof *d);
    d->kind = DOC_TREE;
    d->path = arena_strdup(&c->arena, in->path);
    const char *slash = strrchr(in->path, '/');
    const char *base = slash ? slash + 1 : in->path;
    const char *dot = strrchr(base, '.');
    d->stem = arena_strndup(&c->arena, base, dot && dot != base ? (size_t)(dot - base)
                                                                : strlen(base));
    d->file = file;
    d->text = sources_get(&c->program->sources, file)->text;
    d->len = (uint32_t)len;
    d->output = buf_take(&out);
    ptrvec_push(&c->docs, d);
}

/* ---- successor documents ---- */

/* The --successors documents are read for their id and label groups only: they give a 2024
 * predecessor its applicability and are not compiled themselves. */
static void read_successors(Compiler *c)
{
    PtrVec files = {0};
    const PtrVec *paths = &c->lineage_options.successor_paths;
    for (int i = 0; i < paths->len; i++) {
        const char *p = paths->items[i];
        struct stat st;
        if (stat(p, &st) != 0) {
            diag_plain(&c->diag, DIAG_ERROR, "cannot read %s: %s", p, strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode))
            walk_dir(c, &files, p, 0);
        else
            add_input(c, &files, p, &st, true);
    }
    for (int i = 0; i < files.len; i++) {
        Input *in = files.items[i];
        if (is_data_file(in->path))
            continue;
        Doc *d = ck_doc_load(c, in->path, in->path);
        if (!d || !d->fm)
            continue;
        const char *id = front_id(c, d);
        if (!id || is_measure(d, id))
            continue;
        d->id = id;
        d->kind = DOC_REQUIREMENT;
        ck_lineage_index(c, d);
    }
    ptrvec_free(&files);
}

/* ---- the command ---- */

int kdr_cmd_compile(int argc, char **argv)
{
    Options o = {0};
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0) {
        ptrvec_free(&o.inputs);
        ptrvec_free(&o.lineage.rule_paths);
        ptrvec_free(&o.lineage.successor_paths);
        return rc;
    }
    Compiler c = {0};
    c.program = program_new();
    diag_init(&c.diag, &c.program->sources, stderr);
    c.diag.color = isatty(fileno(stderr)) && !getenv("NO_COLOR");
    c.diag.max_errors = 0; /* a corpus run must show every problem, not the first fifty */
    c.diag.werror = o.werror; /* also for the decision tree's and the lineage's warnings */
    c.lineage_options = o.lineage;
    ck_vocab_load(&c);
    read_successors(&c);

    PtrVec files = {0}, reqs = {0}, measures = {0};
    gather_inputs(&c, &o, &files);
    for (int i = 0; i < files.len; i++) {
        Input *in = files.items[i];
        if (is_data_file(in->path)) {
            load_tree(&c, in);
            continue;
        }
        Doc *d = ck_doc_load(&c, in->path, in->path);
        if (!d)
            continue;
        if (!d->fm && d->n_blocks == 0) {
            /* Not a requirement document: a README or a page, skipped in a directory. Named on
             * the command line, it was meant to be compiled. */
            if (in->named) {
                diag_at(&c.diag, DIAG_ERROR, ck_doc_loc(d, 0, 0),
                        "no front matter and no ```kader block: not a requirement document");
                diag_hint(&c.diag, "a requirement document starts with front matter between two "
                          "'---' lines");
            }
            continue;
        }
        ptrvec_push(&c.docs, d);
    }
    if (c.docs.len == 0 && c.diag.errors == 0) {
        /* An empty or mistaken directory must not look like a successful, empty compile. */
        diag_plain(&c.diag, DIAG_ERROR, "nothing to compile: no requirement document and no "
                   "decision tree in %s%s", (const char *)o.inputs.items[0], o.inputs.len > 1 ? " and the other inputs" : "");
        diag_hint(&c.diag, "inputs are Markdown documents with front matter (.md) and Beslishulp "
                  "decision trees (.yaml, .json), or directories holding them");
    }
    name_documents(&c, &reqs, &measures);
    link_measures(&c, &reqs, &measures);
    for (int i = 0; i < reqs.len; i++)
        if (((Doc *)reqs.items[i])->kind == DOC_REQUIREMENT)
            ck_render_requirement(&c, reqs.items[i]);

    rc = 0;
    if (c.diag.errors) {
        fprintf(stderr, "kader: %d error%s; no output file was changed\n", c.diag.errors,
                c.diag.errors == 1 ? "" : "s");
        rc = 2;
    } else if (o.to_stdout) {
        if (reqs.len == 0) {
            fprintf(stderr, "kader compile: the inputs hold no requirement document, so --stdout "
                    "has nothing to write\n");
            rc = 2;
        } else if (reqs.len != 1) {
            fprintf(stderr, "kader compile: --stdout writes one rule file, but the inputs give "
                    "%d rule files\nhint: use -o OUTDIR\n", reqs.len);
            rc = 2;
        } else {
            fputs(((Doc *)reqs.items[0])->output, stdout);
            if (fflush(stdout) != 0)
                rc = 2;
        }
    } else {
        rc = write_outputs(&c, &reqs, o.outdir, o.verbose);
    }
    if (o.verbose) {
        int trees = 0;
        for (int i = 0; i < reqs.len; i++)
            trees += ((Doc *)reqs.items[i])->kind == DOC_TREE;
        fprintf(stderr, "kader: %d requirement documents, %d decision trees, %d measures, "
                "%d warnings, %d errors\n", reqs.len - trees, trees, measures.len,
                c.diag.warnings, c.diag.errors);
        const LineageCounts *n = &c.counts;
        if (c.lineage)
            fprintf(stderr, "kader: lineage (%s): %d conditions from the rules, %d from 2026 "
                    "documents, %d successors not found; %d documents without a successor\n",
                    ck_lineage_table_name(&c), n->from_rules, n->from_documents, n->not_found,
                    n->without_successor);
    }

    for (int i = 0; i < c.docs.len; i++) {
        Doc *d = c.docs.items[i];
        ptrvec_free(&d->measures);
        kdr_free(d->output);
        ck_groups_free(d);
    }
    for (int i = 0; i < c.successor_docs.len; i++)
        ck_groups_free(c.successor_docs.items[i]);
    ck_lineage_free(&c);
    ptrvec_free(&reqs);
    ptrvec_free(&measures);
    ptrvec_free(&files);
    ptrvec_free(&c.docs);
    ptrvec_free(&o.inputs);
    ck_vocab_free(&c);
    program_free(c.program);
    arena_free(&c.arena);
    return rc;
}
