/* compile_tree.c — the Beslishulp AI-verordening decision tree compiled into kader rules.
 *
 * A walk through the tree asks a question, adds the labels of the answer given, and goes on to
 * the next question or a conclusion: directly, or through `redirects`, jexl conditions over the
 * labels gathered so far of which the first true one wins. The rules written here replay that
 * walk with definitions: per question whether the walk reaches it and the labels gathered on the
 * way in, per answer whether it is the one taken. Every definition is guarded by its question's
 * reachability (a first-match table, not an `and`), so an unanswered question on the path leaves
 * everything after it unknown and is the only fact reported missing, and answers to questions off
 * the path change nothing.
 *
 * Before rules are written the tree is checked: its structure and references, the jexl
 * conditions (parsed, not pattern-matched), and every walk the labels allow, explored over the
 * states (question, labels gathered, cycle members visited): loops, dead ends, questions and
 * conclusions no walk reaches. A cycle in the graph that no walk can follow (2.9 -> 2.11 -> 2.9,
 * guarded by labels) is not a loop. Where walks do pass through a cycle in different directions,
 * a question gets one copy (an "instance") per set of cycle members visited before it, so that the
 * definitions stay acyclic.
 *
 * The labels map onto the Algoritmekader's label groups by the category of the question that
 * adds them (categories.yaml, longest questionId prefix, as the Beslishulp's web tool does), and
 * are offered to the stdlib through the `default let`s of stdlib/beslishulp.kdr. */
#include "compile_tree.h"

#include <errno.h>
#include <string.h>
#include <yaml.h>

/* Limits on what comes from outside, so that a hostile tree cannot exhaust us. */
enum {
    TREE_MAX_DEPTH = 64,      /* YAML nesting */
    TREE_MAX_NODES = 1000000, /* YAML values, each use of an alias counted */
    TREE_MAX_QUESTIONS = 10000,
    TREE_MAX_ANSWERS = 1000,        /* per question */
    TREE_MAX_LABELS = 4096,         /* distinct labels */
    TREE_MAX_STATES = 2000000,      /* (question, labels, cycle members visited) explored */
    TREE_MAX_CONDITION_DEPTH = 100, /* nesting in one jexl condition */
    TREE_MAX_CYCLE_MEMBERS = 1024,  /* questions on cycles of the graph, all together */
    TREE_MAX_REPORTS = 10,          /* loops and dead ends shown; the rest are counted */
    LINE_WIDTH = 100,               /* where the rule text wraps long expressions */
};

/* ================================================================================================
 * YAML: libyaml's document, copied into a small tree with byte offsets for messages
 * ============================================================================================== */

typedef enum TKind { TN_NULL, TN_SCALAR, TN_SEQ, TN_MAP } TKind;

typedef struct TNode TNode;
struct TNode {
    TKind kind;
    int style;       /* yaml_scalar_style_t of a scalar */
    const char *str; /* scalar value ("" for null) */
    size_t len;
    uint32_t off, end; /* byte span in the source */
    TNode **kids;      /* sequence items; mapping key0, value0, key1, value1, ... */
    uint32_t n;        /* items or pairs */
};

typedef struct YamlReader {
    Arena *arena;
    const SourceFile *src;
    uint32_t file;
    Diag *diag;
    yaml_document_t *doc;
    uint32_t nodes;
    uint32_t bom; /* bytes of a byte-order mark, which libyaml does not count */
    /* libyaml's marks count characters; these turn them into byte offsets: the character index
     * of every character longer than one byte, and the extra bytes up to and including it. */
    uint32_t *wide_at, *wide_extra;
    uint32_t n_wide;
    bool failed;
} YamlReader;

static void index_wide_chars(YamlReader *y)
{
    const unsigned char *s = (const unsigned char *)y->src->text;
    size_t len = y->src->len, n = 0;
    for (size_t i = y->bom; i < len; i++)
        n += s[i] >= 0xC0;
    y->wide_at = kdr_malloc((n + 1) * sizeof *y->wide_at);
    y->wide_extra = kdr_malloc((n + 1) * sizeof *y->wide_extra);
    uint32_t chars = 0, extra = 0;
    for (size_t i = y->bom; i < len; i++) {
        if ((s[i] & 0xC0) == 0x80)
            continue;
        if (s[i] >= 0xC0) {
            size_t w = 1;
            while (i + w < len && (s[i + w] & 0xC0) == 0x80)
                w++;
            extra += (uint32_t)(w - 1);
            y->wide_at[y->n_wide] = chars;
            y->wide_extra[y->n_wide++] = extra;
        }
        chars++;
    }
}

static uint32_t mark_offset(const YamlReader *y, yaml_mark_t m)
{
    uint32_t idx = (uint32_t)m.index, lo = 0, hi = y->n_wide;
    while (lo < hi) { /* the wide characters before character idx */
        uint32_t mid = lo + (hi - lo) / 2;
        if (y->wide_at[mid] < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t off = (size_t)y->bom + idx + (lo ? y->wide_extra[lo - 1] : 0);
    return off > y->src->len ? (uint32_t)y->src->len : (uint32_t)off;
}

static bool is_null_scalar(const yaml_node_t *n)
{
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    return len == 0 || (len == 1 && v[0] == '~') ||
           (len == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) || !memcmp(v, "NULL", 4)));
}

static TNode *yaml_convert(YamlReader *y, yaml_node_t *yn, int depth)
{
    if (y->failed || !yn)
        return NULL;
    uint32_t off = mark_offset(y, yn->start_mark), end = mark_offset(y, yn->end_mark);
    if (depth > TREE_MAX_DEPTH || ++y->nodes > TREE_MAX_NODES) {
        if (depth > TREE_MAX_DEPTH)
            diag_at(y->diag, DIAG_ERROR, (KdrLoc){y->file, off, off + 1}, "YAML nested more than %d deep",
                    TREE_MAX_DEPTH);
        else
            diag_at(y->diag, DIAG_ERROR, (KdrLoc){y->file, off, off + 1},
                    "YAML too large: more than %d values (an alias counts each time it is used)", TREE_MAX_NODES);
        y->failed = true;
        return NULL;
    }
    TNode *n = arena_alloc(y->arena, sizeof *n);
    n->off = off;
    n->end = end > off ? end : off + 1;
    n->str = "";
    switch (yn->type) {
    case YAML_SCALAR_NODE: {
        const char *v = (const char *)yn->data.scalar.value;
        size_t len = yn->data.scalar.length;
        n->style = (int)yn->data.scalar.style;
        if (is_null_scalar(yn)) {
            n->kind = TN_NULL;
            break;
        }
        if (memchr(v, 0, len)) {
            diag_at(y->diag, DIAG_ERROR, (KdrLoc){y->file, n->off, n->end}, "text holds a NUL character");
            diag_hint(y->diag, "remove the \\0 escape");
            y->failed = true;
            return NULL;
        }
        n->kind = TN_SCALAR;
        n->str = arena_strndup(y->arena, v, len);
        n->len = len;
        break;
    }
    case YAML_SEQUENCE_NODE: {
        n->kind = TN_SEQ;
        size_t count = (size_t)(yn->data.sequence.items.top - yn->data.sequence.items.start);
        n->kids = arena_alloc(y->arena, (count ? count : 1) * sizeof(TNode *));
        for (yaml_node_item_t *it = yn->data.sequence.items.start; it < yn->data.sequence.items.top; it++) {
            TNode *kid = yaml_convert(y, yaml_document_get_node(y->doc, *it), depth + 1);
            if (!kid)
                return NULL;
            n->kids[n->n++] = kid;
        }
        break;
    }
    case YAML_MAPPING_NODE: {
        n->kind = TN_MAP;
        size_t count = (size_t)(yn->data.mapping.pairs.top - yn->data.mapping.pairs.start);
        n->kids = arena_alloc(y->arena, (count ? 2 * count : 1) * sizeof(TNode *));
        for (yaml_node_pair_t *p = yn->data.mapping.pairs.start; p < yn->data.mapping.pairs.top; p++) {
            TNode *k = yaml_convert(y, yaml_document_get_node(y->doc, p->key), depth + 1);
            TNode *v = k ? yaml_convert(y, yaml_document_get_node(y->doc, p->value), depth + 1) : NULL;
            if (!v)
                return NULL;
            n->kids[2 * n->n] = k;
            n->kids[2 * n->n + 1] = v;
            n->n++;
        }
        break;
    }
    default:
        n->kind = TN_NULL;
        break;
    }
    return n;
}

/* Parses a whole source file; NULL after a message. An empty file is an error. */
static TNode *yaml_read(Arena *arena, const Sources *sources, uint32_t file, Diag *diag)
{
    const SourceFile *src = sources_get(sources, file);
    YamlReader y = {arena, src, file, diag, NULL, 0, 0, NULL, NULL, 0, false};
    if (src->len >= 3 && (unsigned char)src->text[0] == 0xEF && (unsigned char)src->text[1] == 0xBB &&
        (unsigned char)src->text[2] == 0xBF)
        y.bom = 3;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        diag_plain(diag, DIAG_ERROR, "cannot start the YAML parser");
        return NULL;
    }
    index_wide_chars(&y);
    yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
    if (!yaml_parser_load(&parser, &doc)) {
        uint32_t at = parser.error == YAML_READER_ERROR ? (uint32_t)parser.problem_offset
                                                        : mark_offset(&y, parser.problem_mark);
        if (at > src->len)
            at = (uint32_t)src->len;
        const char *problem = parser.problem ? parser.problem : "malformed YAML";
        if (parser.context)
            diag_at(diag, DIAG_ERROR, (KdrLoc){file, at, at + 1}, "YAML: %s %s", problem, parser.context);
        else
            diag_at(diag, DIAG_ERROR, (KdrLoc){file, at, at + 1}, "YAML: %s", problem);
        if (parser.context && parser.error != YAML_READER_ERROR) {
            /* libyaml often notices a missing ']' or '}' only at the end: show the start too. */
            uint32_t from = mark_offset(&y, parser.context_mark);
            if (from != at && !diag->suppressed)
                diag_at(diag, DIAG_NOTE, (KdrLoc){file, from, from + 1}, "%s started here",
                        parser.context + (strncmp(parser.context, "while parsing ", 14) == 0 ? 14 : 0));
        }
        yaml_parser_delete(&parser);
        kdr_free(y.wide_at);
        kdr_free(y.wide_extra);
        return NULL;
    }
    y.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    TNode *tree = root ? yaml_convert(&y, root, 0) : NULL;
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    kdr_free(y.wide_at);
    kdr_free(y.wide_extra);
    if (y.failed)
        return NULL;
    if (!tree || tree->kind == TN_NULL) {
        diag_at(diag, DIAG_ERROR, (KdrLoc){file, 0, 0}, "the file holds no YAML document");
        return NULL;
    }
    return tree;
}

/* The value of `key` in a mapping (exact match), and the key's node; NULL when absent. */
static const TNode *map_get(const TNode *map, const char *key, const TNode **key_node)
{
    if (map && map->kind == TN_MAP)
        for (uint32_t i = 0; i < map->n; i++)
            if (map->kids[2 * i]->kind == TN_SCALAR && strcmp(map->kids[2 * i]->str, key) == 0) {
                if (key_node)
                    *key_node = map->kids[2 * i];
                return map->kids[2 * i + 1];
            }
    return NULL;
}

static const char *kind_name(TKind k)
{
    switch (k) {
    case TN_NULL:
        return "nothing";
    case TN_SCALAR:
        return "text";
    case TN_SEQ:
        return "a list";
    case TN_MAP:
        return "a mapping";
    }
    return "?";
}

/* ================================================================================================
 * The tree as read
 * ============================================================================================== */

typedef enum Group {
    G_NONE = -1,
    G_SOORT,
    G_RISICO,
    G_ROL,
    G_TRANSPARANTIE,
    G_SYSTEEMRISICO,
    G_OPEN_SOURCE,
    G_CONFORMITEIT,
    G_OPERATIONEEL,
    N_GROUPS
} Group;

/* The groups the compiled rules give the stdlib, with the Algoritmekader's values of each (for
 * placing a label whose question's category says nothing). Operationeel keeps the label text: it
 * is compared with the stdlib fact `operationeel`. */
static const struct GroupInfo {
    const char *name; /* as the Algoritmekader and the report name it */
    const char *let;  /* the definition the stdlib reads */
    const char *values[6];
} group_info[N_GROUPS] = {
    {"soort-toepassing",
     "beslishulp_soort_toepassing",
     {"ai-systeem", "ai-systeem-voor-algemene-doeleinden", "ai-model-voor-algemene-doeleinden"}},
    {"risicogroep",
     "beslishulp_risicogroep",
     {"verboden-ai", "hoog-risico-ai-systeem", "geen-hoog-risico-ai-systeem", "uitzondering-van-toepassing",
      "niet-van-toepassing"}},
    {"rol-ai-act",
     "beslishulp_rol_ai_act",
     {"aanbieder", "gebruiksverantwoordelijke", "importeur", "distributeur"}},
    {"transparantieverplichting",
     "beslishulp_transparantieverplichting",
     {"transparantieverplichting", "geen-transparantieverplichting", "niet-van-toepassing"}},
    {"systeemrisico", "beslishulp_systeemrisico", {"systeemrisico", "geen-systeemrisico", "niet-van-toepassing"}},
    {"open-source", "beslishulp_open_source", {"open-source", "geen-open-source", "niet-van-toepassing"}},
    {"conformiteitsbeoordeling",
     "beslishulp_conformiteitsbeoordeling",
     {"beoordeling-door-derde-partij", "niet-van-toepassing"}},
    {"operationeel", "beslishulp_operationeel", {"in gebruik", "in ontwikkeling"}},
};

/* Category names of the Beslishulp (categories.yaml, older and newer spellings, and the
 * subcategories the questions carry themselves), normalised, and their group. */
static const struct {
    const char *category;
    Group group;
} category_groups[] = {
    {"soort toepassing", G_SOORT},
    {"risicogroep", G_RISICO},
    {"verantwoordelijkheid", G_ROL},
    {"rol", G_ROL},
    {"rol ai act", G_ROL},
    {"transparantieverplichting", G_TRANSPARANTIE},
    {"transparantieverplichtingen", G_TRANSPARANTIE},
    {"systeemrisico", G_SYSTEEMRISICO},
    {"open source", G_OPEN_SOURCE},
    {"conformiteitsbeoordelingsinstantie", G_CONFORMITEIT},
    {"conformiteitsbeoordeling", G_CONFORMITEIT},
    {"operationeel", G_OPERATIONEEL},
    {"in gebruik", G_OPERATIONEEL},
};

typedef struct SourceRef {
    const char *title, *url;
} SourceRef;

typedef struct JExpr JExpr;
typedef enum JOp { J_IN, J_AND, J_OR, J_NOT } JOp;
struct JExpr {
    JOp op;
    int32_t label;    /* J_IN: label index, -1 when no answer adds it */
    const char *text; /* J_IN: the label as written */
    JExpr *a, *b;
};

typedef struct Target {
    const TNode *node; /* the nextQuestionId / nextConclusionId value */
    const char *id;
    bool conclusion;
    int32_t index; /* question or conclusion; -1 when it names nothing */
} Target;

typedef struct Redirect {
    const TNode *node;
    const char *cond_text;
    JExpr *cond; /* NULL when the condition did not parse */
    Target target;
} Redirect;

typedef struct Answer {
    const TNode *node, *text_node;
    const char *text;
    int32_t *labels; /* label indices, without repeats, in the order written */
    uint32_t n_labels;
    int8_t *label_group;      /* per label: its Group for this question */
    const char **label_value; /* per label: its value in that group */
    bool has_next;
    Target next;
    const TNode *redirects_key;
    Redirect *redirects;
    uint32_t n_redirects;
    const char *subresult, *comment;
} Answer;

typedef struct Question {
    const TNode *node, *id_node;
    const char *id, *text, *explanation, *description, *subcategory;
    SourceRef *sources;
    uint32_t n_sources;
    Answer *answers;
    uint32_t n_answers;
    const char *base;                   /* the id as a name part: 1.4.1 -> 1_4_1 */
    const char *category_used;          /* the category that placed its labels (for the rule text) */
    int32_t feasible_scc, feasible_bit; /* the cycle it lies on, its position among cycle members (-1: none) */
    uint32_t *instances;                /* into Tree.inst */
    uint32_t n_instances;
} Question;

typedef struct Conclusion {
    const TNode *node, *id_node;
    const char *id, *text, *comment, *obligation;
    SourceRef *sources;
    uint32_t n_sources;
    const char *base;
    const char *reached_name;
} Conclusion;

typedef struct Category {
    const char *id, *subcategory;
} Category;

/* ---- instances: a question as reached with a given set of cycle members visited before ---- */

typedef struct InstAnswer {
    const char *taken;  /* bool: the walk reaches the instance and this answer is given */
    const char *labels; /* set: the labels after this answer (NULL: the instance's own) */
    const char *next;   /* string: which redirect applies (answers with redirects) */
    uint64_t *dom;      /* labels that can be in `labels` (as the resolver sees it) */
} InstAnswer;

typedef struct Instance {
    uint32_t q;
    uint32_t v;       /* offset of its set of cycle members visited, in Tree.vpool */
    const char *base; /* vraag_2_9 or vraag_2_9_na_2_11 */
    const char *reached, *labels;
    uint64_t *dom; /* labels that can be in `labels` */
    InstAnswer *answers;
} Instance;

typedef struct Edge {
    uint32_t inst, answer;
    int32_t redirect; /* the first redirect that leads there, -1 for the answer's own next */
    bool to_conclusion;
    uint32_t to;      /* instance or conclusion */
    const char *name; /* the definition that says the walk takes this edge */
} Edge;

typedef struct Tree {
    Arena arena;
    const Sources *sources;
    uint32_t file;
    const SourceFile *src;
    Diag *diag;
    int errors_at_start;
    const char *name, *version;
    const char *categories_name; /* file the categories came from, NULL when none */

    Question *q;
    uint32_t nq;
    Conclusion *c;
    uint32_t nc;
    StrMap qids, cids;

    const char **labels; /* interned label texts */
    uint32_t nlabels, cap_labels;
    bool *tested; /* per label: some condition tests it (only those steer a walk) */
    StrMap label_ids;
    uint32_t wl; /* 64-bit words in a label set */

    Category *cats;
    uint32_t ncats;
    StrMap cat_ids;

    StrMap reported_keys; /* unknown keys already reported, "what\x1fkey" */
    StrMap reported_labels;
    StrMap names; /* every name the rule text defines */

    Instance *inst;
    uint32_t ninst;
    uint64_t *vpool; /* cycle-member sets of the instances */
    uint32_t wv;
    Edge *edges;
    uint32_t nedges;
    uint32_t *out_start;             /* per instance: its first edge (edges are sorted by source) */
    uint32_t *in_start, *in_edges;   /* per instance: the edges that lead to it */
    uint32_t *cin_start, *cin_edges; /* per conclusion: the edges that lead to it */
} Tree;

static KdrLoc tloc(const Tree *t, const TNode *n) { return (KdrLoc){t->file, n->off, n->end}; }

/* ---- text ---- */

static char ascii_lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }
static bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

/* Lower case, '-' and '_' as spaces, blanks collapsed: "Open-source" -> "open source". */
static char *normalise_category(Arena *a, const char *s)
{
    size_t len = strlen(s);
    char *out = arena_alloc(a, len + 1);
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (is_space(ch) || ch == '-' || ch == '_') {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = false;
        out[o++] = ascii_lower(ch);
    }
    out[o] = '\0';
    return out;
}

static Group group_of_category(Arena *a, const char *category)
{
    if (!category || !*category)
        return G_NONE;
    const char *norm = normalise_category(a, category);
    for (size_t i = 0; i < KDR_ARRAY_LEN(category_groups); i++)
        if (strcmp(norm, category_groups[i].category) == 0)
            return category_groups[i].group;
    /* A subcategory such as "Uitzondering Transparantieverplichting" names its group as a word;
     * the longest name that occurs as whole words wins. */
    size_t best_len = 0;
    Group best = G_NONE;
    size_t nlen = strlen(norm);
    for (size_t i = 0; i < KDR_ARRAY_LEN(category_groups); i++) {
        const char *key = category_groups[i].category;
        size_t klen = strlen(key);
        for (const char *p = strstr(norm, key); p; p = strstr(p + 1, key)) {
            size_t at = (size_t)(p - norm);
            bool starts = at == 0 || norm[at - 1] == ' ';
            bool ends = at + klen == nlen || norm[at + klen] == ' ';
            if (starts && ends && klen > best_len) {
                best_len = klen;
                best = category_groups[i].group;
            }
        }
    }
    return best;
}

/* A label as a value of a group: lower case, blanks as '-' ("hoog-risico AI" ->
 * "hoog-risico-ai-systeem" by the two exceptions the Algoritmekader names); Operationeel keeps
 * its blanks ("in gebruik"). */
static const char *label_value(Arena *a, const char *label, Group g)
{
    size_t len = strlen(label);
    char *out = arena_alloc(a, len + 1);
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        if (is_space(label[i])) {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = g == G_OPERATIONEEL ? ' ' : '-';
        space = false;
        out[o++] = ascii_lower(label[i]);
    }
    out[o] = '\0';
    if (strcmp(out, "hoog-risico-ai") == 0)
        return "hoog-risico-ai-systeem";
    if (strcmp(out, "geen-hoog-risico-ai") == 0)
        return "geen-hoog-risico-ai-systeem";
    return out;
}

/* The one group whose Algoritmekader values hold this label, G_NONE when none or several do
 * ("niet van toepassing" is a value of five groups). */
static Group group_of_value(Arena *a, const char *label)
{
    Group found = G_NONE;
    for (int g = 0; g < N_GROUPS; g++) {
        const char *v = label_value(a, label, (Group)g);
        for (size_t i = 0; i < KDR_ARRAY_LEN(group_info[g].values) && group_info[g].values[i]; i++)
            if (strcmp(v, group_info[g].values[i]) == 0) {
                if (found != G_NONE && found != (Group)g)
                    return G_NONE;
                found = (Group)g;
            }
    }
    return found;
}

/* Appends one UTF-8 encoded code point. */
static void put_utf8(Buf *b, unsigned long cp)
{
    char s[4];
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, s, 2);
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, s, 3);
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, s, 4);
    }
}

/* Decodes the HTML entity at s (after '&'); returns its length including ';', 0 if none. */
static size_t html_entity(const char *s, Buf *out)
{
    static const struct {
        const char *name;
        const char *text;
    } named[] = {{"amp", "&"},
                 {"lt", "<"},
                 {"gt", ">"},
                 {"quot", "\""},
                 {"apos", "'"},
                 {"nbsp", " "},
                 {"euml", "\xc3\xab"},
                 {"eacute", "\xc3\xa9"},
                 {"iuml", "\xc3\xaf"},
                 {"ouml", "\xc3\xb6"},
                 {"bull", "\xe2\x80\xa2"},
                 {"ndash", "\xe2\x80\x93"},
                 {"mdash", "\xe2\x80\x94"}};
    size_t n = 0;
    while (n < 12 && s[n] && s[n] != ';' && s[n] != '&' && !is_space(s[n]))
        n++;
    if (s[n] != ';' || n == 0)
        return 0;
    if (s[0] == '#') {
        unsigned long cp = 0;
        size_t i = 1;
        bool hex = n > 1 && (s[1] == 'x' || s[1] == 'X');
        if (hex)
            i++;
        if (i >= n)
            return 0;
        for (; i < n; i++) {
            char ch = s[i];
            int d = ch >= '0' && ch <= '9'          ? ch - '0'
                    : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                    : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                                    : -1;
            if (d < 0 || cp > 0x10FFFF)
                return 0;
            cp = cp * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        put_utf8(out, cp < 0x20 ? ' ' : cp);
        return n + 1;
    }
    for (size_t i = 0; i < KDR_ARRAY_LEN(named); i++)
        if (strlen(named[i].name) == n && memcmp(s, named[i].name, n) == 0) {
            buf_puts(out, named[i].text);
            return n + 1;
        }
    return 0;
}

/* The text of an HTML fragment as the Beslishulp writes its explanations: tags dropped,
 * <br>, <p>, <li> as line breaks, entities decoded, blanks collapsed, at most one empty line. */
static char *html_to_text(Arena *a, const char *s)
{
    Buf b = {0};
    bool pending_space = false;
    int newlines = 0; /* line breaks at the end of b */
    for (size_t i = 0; s[i];) {
        char ch = s[i];
        int line_breaks = 0;
        const char *bullet = NULL;
        if (ch == '<') {
            const char *close = strchr(s + i, '>');
            size_t nlen = 0;
            const char *name = s + i + 1;
            if (*name == '/')
                name++;
            while ((name[nlen] >= 'a' && name[nlen] <= 'z') || (name[nlen] >= 'A' && name[nlen] <= 'Z') ||
                   (nlen > 0 && name[nlen] >= '0' && name[nlen] <= '9'))
                nlen++;
            /* A tag name starts with a letter: "<5 jaar" is text. */
            if (close && nlen > 0) {
                char tag[8] = {0};
                for (size_t k = 0; k < nlen && k < sizeof tag - 1; k++)
                    tag[k] = ascii_lower(name[k]);
                bool opening = s[i + 1] != '/';
                if (strcmp(tag, "br") == 0)
                    line_breaks = 1;
                else if (!strcmp(tag, "p") || !strcmp(tag, "div") || !strcmp(tag, "ul") || !strcmp(tag, "ol") ||
                         (tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' && !tag[2]))
                    line_breaks = 2;
                else if (strcmp(tag, "li") == 0) {
                    line_breaks = opening ? 1 : 0;
                    bullet = opening ? "- " : NULL;
                }
                i = (size_t)(close - s) + 1;
                if (!line_breaks)
                    continue;
            }
        }
        if (line_breaks || ch == '\n') {
            if (!line_breaks)
                i++;
            while (b.len > 0 && b.data[b.len - 1] == ' ')
                b.data[--b.len] = '\0';
            int want = line_breaks ? line_breaks : 1;
            for (; b.len > 0 && newlines < 2 && want > 0; want--, newlines++)
                buf_putc(&b, '\n');
            pending_space = false;
            if (bullet) {
                buf_puts(&b, bullet);
                newlines = 0;
            }
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r') {
            pending_space = true;
            i++;
            continue;
        }
        if (pending_space && b.len > 0 && newlines == 0)
            buf_putc(&b, ' ');
        pending_space = false;
        newlines = 0;
        if (ch == '&') {
            size_t used = html_entity(s + i + 1, &b);
            if (used) {
                i += used + 1;
                continue;
            }
        }
        buf_putc(&b, ch);
        i++;
    }
    while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
        b.data[--b.len] = '\0';
    char *out = arena_strdup(a, buf_str(&b));
    buf_free(&b);
    return out;
}

/* A kader string literal: escapes for '"', '\\', line breaks and tabs; other control characters
 * become spaces (the language has no escape for them). */
static void put_string(Buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)ch);
        } else if (ch == '\n') {
            buf_puts(b, "\\n");
        } else if (ch == '\t') {
            buf_puts(b, "\\t");
        } else if (ch < 0x20 || ch == 0x7F) {
            buf_putc(b, ' ');
        } else {
            buf_putc(b, (char)ch);
        }
    }
    buf_putc(b, '"');
}

/* The id as a name part: letters and digits kept, everything else '_' ("1.4.1" -> "1_4_1"). */
static char *id_base(Arena *a, const char *id)
{
    size_t len = strlen(id);
    char *out = arena_alloc(a, len + 2);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = id[i];
        bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (word)
            out[o++] = ch;
        else if (o == 0 || out[o - 1] != '_')
            out[o++] = '_';
    }
    while (o > 0 && out[o - 1] == '_')
        o--;
    if (o == 0)
        out[o++] = 'x';
    out[o] = '\0';
    return out;
}

/* A name not used before in the rule text: `want`, or `want_2`, `want_3`, ... */
static const char *take_name(Tree *t, const char *want)
{
    int32_t dummy;
    const char *name = arena_strdup(&t->arena, want);
    for (int n = 2; strmap_get(&t->names, name, &dummy); n++)
        name = arena_printf(&t->arena, "%s_%d", want, n);
    strmap_put(&t->names, name, 1);
    return name;
}

/* ================================================================================================
 * jexl conditions: "label" in labels, &&, ||, !, parentheses
 * ============================================================================================== */

typedef enum JTok {
    JT_END,
    JT_STRING,
    JT_NAME,
    JT_AND,
    JT_OR,
    JT_NOT,
    JT_LPAREN,
    JT_RPAREN,
    JT_IN,
    JT_OTHER
} JTok;

typedef struct JParser {
    Tree *t;
    const TNode *node; /* the `if` scalar */
    const char *s;
    size_t len, pos;
    JTok tok;
    size_t tok_start, tok_end;
    char *tok_text; /* JT_STRING: the decoded text; JT_NAME: the name */
    int depth;
    bool failed;
} JParser;

/* The byte offset in the source file of byte `at` of a scalar's value, where the value stands in
 * the file as written (plain, or quoted on one line with only simple escapes); otherwise the
 * scalar's start. */
static uint32_t scalar_offset(const Tree *t, const TNode *n, size_t at)
{
    const char *src = t->src->text;
    size_t srclen = t->src->len;
    size_t i = n->off;
    if (n->style == YAML_SINGLE_QUOTED_SCALAR_STYLE || n->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        i++;
    else if (n->style != YAML_PLAIN_SCALAR_STYLE)
        return n->off;
    for (size_t v = 0; v < at; v++) {
        if (i >= srclen || src[i] == '\n' || src[i] == '\r')
            return n->off;
        if (n->style == YAML_SINGLE_QUOTED_SCALAR_STYLE && src[i] == '\'') {
            if (i + 1 < srclen && src[i + 1] == '\'' && n->str[v] == '\'')
                i += 2;
            else
                return n->off;
        } else if (n->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && src[i] == '\\') {
            if (i + 1 < srclen && (src[i + 1] == '"' || src[i + 1] == '\\' || src[i + 1] == '/') &&
                n->str[v] == src[i + 1])
                i += 2;
            else
                return n->off;
        } else if (src[i] == n->str[v]) {
            i++;
        } else {
            return n->off;
        }
    }
    return (uint32_t)i;
}

static KdrLoc jloc(const JParser *p, size_t start, size_t end)
{
    uint32_t a = scalar_offset(p->t, p->node, start);
    uint32_t b = end > start ? scalar_offset(p->t, p->node, end) : a + 1;
    if (b <= a)
        b = a + 1;
    return (KdrLoc){p->t->file, a, b};
}

static void jfail(JParser *p, size_t start, size_t end, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void jfail(JParser *p, size_t start, size_t end, const char *hint, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    Buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    diag_at(p->t->diag, DIAG_ERROR, jloc(p, start, end), "%s", buf_str(&msg));
    if (hint)
        diag_hint(p->t->diag, "%s", hint);
    buf_free(&msg);
}

static const char *const JEXL_HINT =
    "a condition tests the labels gathered so far: \"label\" in labels, combined with &&, ||, ! and parentheses";

static bool jname_char(char ch, bool first)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '$' ||
           (!first && ch >= '0' && ch <= '9');
}

static void jnext(JParser *p)
{
    const char *s = p->s;
    while (p->pos < p->len && is_space(s[p->pos]))
        p->pos++;
    p->tok_start = p->pos;
    p->tok_text = NULL;
    if (p->pos >= p->len) {
        p->tok = JT_END;
        p->tok_end = p->pos;
        return;
    }
    char ch = s[p->pos];
    if (ch == '"' || ch == '\'') {
        Buf b = {0};
        size_t i = p->pos + 1;
        while (i < p->len && s[i] != ch) {
            if (s[i] == '\\' && i + 1 < p->len)
                i++;
            buf_putc(&b, s[i]);
            i++;
        }
        if (i >= p->len) {
            buf_free(&b);
            p->tok = JT_OTHER;
            p->tok_end = p->len;
            jfail(p, p->tok_start, p->tok_start + 1, "end the label with the same quote it starts with",
                  "unterminated string in the condition");
            return;
        }
        p->tok = JT_STRING;
        p->tok_text = arena_strdup(&p->t->arena, buf_str(&b));
        buf_free(&b);
        p->pos = i + 1;
    } else if (jname_char(ch, true)) {
        size_t i = p->pos;
        while (i < p->len && jname_char(s[i], false))
            i++;
        p->tok_text = arena_strndup(&p->t->arena, s + p->pos, i - p->pos);
        p->tok = strcmp(p->tok_text, "in") == 0 ? JT_IN : JT_NAME;
        p->pos = i;
    } else if (ch == '&' && p->pos + 1 < p->len && s[p->pos + 1] == '&') {
        p->tok = JT_AND;
        p->pos += 2;
    } else if (ch == '|' && p->pos + 1 < p->len && s[p->pos + 1] == '|') {
        p->tok = JT_OR;
        p->pos += 2;
    } else if (ch == '!' && !(p->pos + 1 < p->len && s[p->pos + 1] == '=')) {
        p->tok = JT_NOT;
        p->pos++;
    } else if (ch == '(') {
        p->tok = JT_LPAREN;
        p->pos++;
    } else if (ch == ')') {
        p->tok = JT_RPAREN;
        p->pos++;
    } else {
        /* An operator jexl has and this subset does not: take all its punctuation for the caret. */
        size_t i = p->pos + 1;
        if (!((unsigned char)ch & 0x80))
            while (i < p->len && strchr("=!<>&|+-*/%?:.[]{},^~", s[i]) && strchr("=!<>&|+-*/%?:.[]{},^~", ch))
                i++;
        else
            while (i < p->len && ((unsigned char)s[i] & 0xC0) == 0x80)
                i++;
        p->tok = JT_OTHER;
        p->pos = i;
    }
    p->tok_end = p->pos;
}

static JExpr *jnew(JParser *p, JOp op)
{
    JExpr *e = arena_alloc(&p->t->arena, sizeof *e);
    e->op = op;
    e->label = -1;
    return e;
}

static void junexpected(JParser *p)
{
    static const struct {
        const char *word, *op;
    } words[] = {{"and", "&&"}, {"or", "||"}, {"not", "!"}};
    for (size_t i = 0; p->tok == JT_NAME && i < KDR_ARRAY_LEN(words); i++)
        if (strcmp(p->tok_text, words[i].word) == 0) {
            char hint[64];
            snprintf(hint, sizeof hint, "jexl writes '%s' as %s", words[i].word, words[i].op);
            jfail(p, p->tok_start, p->tok_end, hint, "unexpected '%s' in the condition", words[i].word);
            return;
        }
    if (p->tok == JT_END)
        jfail(p, p->tok_start, p->tok_start, JEXL_HINT, "the condition ends too early");
    else
        jfail(p, p->tok_start, p->tok_end, JEXL_HINT, "unexpected '%.*s' in the condition",
              (int)(p->tok_end - p->tok_start), p->s + p->tok_start);
}

static JExpr *jparse_or(JParser *p);

/* primary: '(' or ')' | STRING 'in' 'labels' */
static JExpr *jparse_primary(JParser *p)
{
    if (p->failed)
        return NULL;
    if (p->tok == JT_LPAREN) {
        size_t open = p->tok_start;
        jnext(p);
        JExpr *e = jparse_or(p);
        if (p->failed)
            return NULL;
        if (p->tok != JT_RPAREN) {
            if (p->tok == JT_END)
                jfail(p, open, open + 1, "close it with ')'", "this '(' is not closed");
            else
                junexpected(p);
            return NULL;
        }
        jnext(p);
        return e;
    }
    if (p->tok == JT_STRING) {
        size_t start = p->tok_start, end = p->tok_end;
        JExpr *e = jnew(p, J_IN);
        e->text = p->tok_text;
        jnext(p);
        if (p->tok != JT_IN) {
            if (p->tok == JT_END)
                jfail(p, start, end, JEXL_HINT, "a label alone is no condition: write \"%s\" in labels", e->text);
            else
                junexpected(p);
            return NULL;
        }
        jnext(p);
        if (p->tok != JT_NAME) {
            jfail(p, p->tok_start, p->tok_end, JEXL_HINT, "expected 'labels' after 'in'");
            return NULL;
        }
        if (strcmp(p->tok_text, "labels") != 0) {
            jfail(p, p->tok_start, p->tok_end, "the labels gathered so far are called 'labels'",
                  "unknown name '%s' in the condition", p->tok_text);
            return NULL;
        }
        jnext(p);
        (void)start;
        return e;
    }
    if (p->tok == JT_NAME) {
        jfail(p, p->tok_start, p->tok_end, JEXL_HINT,
              "unknown name '%s' in the condition; a label is written in quotes", p->tok_text);
        return NULL;
    }
    junexpected(p);
    return NULL;
}

/* unary: '!' unary | primary */
static JExpr *jparse_unary(JParser *p)
{
    if (p->failed)
        return NULL;
    if (p->tok == JT_NOT) {
        if (++p->depth > TREE_MAX_CONDITION_DEPTH) {
            jfail(p, p->tok_start, p->tok_end, NULL, "condition nested more than %d deep",
                  TREE_MAX_CONDITION_DEPTH);
            return NULL;
        }
        jnext(p);
        JExpr *e = jnew(p, J_NOT);
        e->a = jparse_unary(p);
        p->depth--;
        return p->failed ? NULL : e;
    }
    return jparse_primary(p);
}

/* and: unary ('&&' unary)* */
static JExpr *jparse_and(JParser *p)
{
    JExpr *e = jparse_unary(p);
    while (!p->failed && p->tok == JT_AND) {
        jnext(p);
        JExpr *n = jnew(p, J_AND);
        n->a = e;
        n->b = jparse_unary(p);
        e = n;
    }
    return p->failed ? NULL : e;
}

/* or: and ('||' and)* */
static JExpr *jparse_or(JParser *p)
{
    if (++p->depth > TREE_MAX_CONDITION_DEPTH) {
        jfail(p, p->tok_start, p->tok_end, NULL, "condition nested more than %d deep", TREE_MAX_CONDITION_DEPTH);
        return NULL;
    }
    JExpr *e = jparse_and(p);
    while (!p->failed && p->tok == JT_OR) {
        jnext(p);
        JExpr *n = jnew(p, J_OR);
        n->a = e;
        n->b = jparse_and(p);
        e = n;
    }
    p->depth--;
    return p->failed ? NULL : e;
}

/* Parses the `if` of a redirect; NULL after a message. */
static JExpr *jexl_parse(Tree *t, const TNode *node)
{
    JParser p = {t, node, node->str, node->len, 0, JT_END, 0, 0, NULL, 0, false};
    jnext(&p);
    if (p.tok == JT_END && !p.failed) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, node), "the condition is empty");
        diag_hint(t->diag, "%s", JEXL_HINT);
        return NULL;
    }
    JExpr *e = jparse_or(&p);
    if (!p.failed && p.tok != JT_END)
        junexpected(&p);
    return p.failed ? NULL : e;
}

static bool bit_get(const uint64_t *w, uint32_t i) { return (w[i >> 6] >> (i & 63)) & 1; }
static void bit_set(uint64_t *w, uint32_t i) { w[i >> 6] |= (uint64_t)1 << (i & 63); }

static bool jexl_eval(const JExpr *e, const uint64_t *labels)
{
    switch (e->op) {
    case J_IN:
        return e->label >= 0 && bit_get(labels, (uint32_t)e->label);
    case J_AND:
        return jexl_eval(e->a, labels) && jexl_eval(e->b, labels);
    case J_OR:
        return jexl_eval(e->a, labels) || jexl_eval(e->b, labels);
    case J_NOT:
        return !jexl_eval(e->a, labels);
    }
    return false;
}

/* Whether the condition is the same for every label set within `dom`: 1 always true, -1 always
 * false, 0 it depends. */
static int jexl_fold(const JExpr *e, const uint64_t *dom)
{
    int a, b;
    switch (e->op) {
    case J_IN:
        return e->label >= 0 && bit_get(dom, (uint32_t)e->label) ? 0 : -1;
    case J_NOT:
        return -jexl_fold(e->a, dom);
    case J_AND:
        a = jexl_fold(e->a, dom);
        b = jexl_fold(e->b, dom);
        return a < 0 || b < 0 ? -1 : a > 0 && b > 0 ? 1 : 0;
    case J_OR:
        a = jexl_fold(e->a, dom);
        b = jexl_fold(e->b, dom);
        return a > 0 || b > 0 ? 1 : a < 0 && b < 0 ? -1 : 0;
    }
    return 0;
}

/* Writes the condition in kader over the set named `set`; parts that cannot vary within `dom`
 * are folded away (a label that cannot be in the set is never tested: the resolver would call
 * the test impossible). Precedence: or 1, and 2, not 3. */
static void jexl_emit(Buf *b, const JExpr *e, const char *set, const uint64_t *dom, int outer)
{
    int fa, fb;
    switch (e->op) {
    case J_IN:
        if (outer == 3)
            buf_putc(b, '(');
        put_string(b, e->text);
        buf_printf(b, " in %s", set);
        if (outer == 3)
            buf_putc(b, ')');
        return;
    case J_NOT:
        buf_puts(b, "not ");
        jexl_emit(b, e->a, set, dom, 3);
        return;
    case J_AND:
    case J_OR:
        fa = jexl_fold(e->a, dom);
        fb = jexl_fold(e->b, dom);
        /* Only a part that depends on the labels remains (the caller folded the whole). */
        if (fa != 0) {
            jexl_emit(b, e->b, set, dom, outer);
            return;
        }
        if (fb != 0) {
            jexl_emit(b, e->a, set, dom, outer);
            return;
        }
        {
            int prec = e->op == J_OR ? 1 : 2;
            if (outer > prec)
                buf_putc(b, '(');
            jexl_emit(b, e->a, set, dom, prec);
            buf_puts(b, e->op == J_OR ? " or " : " and ");
            jexl_emit(b, e->b, set, dom, prec);
            if (outer > prec)
                buf_putc(b, ')');
        }
        return;
    }
}

/* ================================================================================================
 * Reading the tree
 * ============================================================================================== */

static const char *const TOP_KEYS[] = {"version",     "name",    "questions", "conclusions",
                                       "description", "$schema", "$id"};
static const char *const QUESTION_KEYS[] = {"questionId",  "question", "explanation", "category",
                                            "subcategory", "sources",  "description", "answers"};
static const char *const ANSWER_KEYS[] = {"answer",        "nextQuestionId", "nextConclusionId", "subresult",
                                          "answerComment", "labels",         "redirects"};
static const char *const REDIRECT_KEYS[] = {"nextQuestionId", "nextConclusionId", "if"};
static const char *const CONCLUSION_KEYS[] = {"conclusionId", "conclusion", "conclusionComment", "obligation",
                                              "sources"};
static const char *const SOURCE_KEYS[] = {"source", "url"};

static void list_keys(Buf *b, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%s", i ? (i + 1 == n ? " and " : ", ") : "", keys[i]);
}

/* Checks that `node` is a mapping with text keys, each at most once; reports a key this format
 * does not have (once per kind of object and key: older trees carry a few). */
static bool check_map(Tree *t, const TNode *node, const char *what, const char *const *known, size_t n_known)
{
    if (!node || node->kind != TN_MAP) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, node), "%s must be a mapping of keys to values, not %s", what,
                kind_name(node->kind));
        return false;
    }
    bool ok = true;
    for (uint32_t i = 0; i < node->n; i++) {
        const TNode *k = node->kids[2 * i];
        if (k->kind != TN_SCALAR) {
            diag_at(t->diag, DIAG_ERROR, tloc(t, k), "a key of %s must be text, not %s", what, kind_name(k->kind));
            ok = false;
            continue;
        }
        for (uint32_t j = 0; j < i; j++)
            if (node->kids[2 * j]->kind == TN_SCALAR && strcmp(node->kids[2 * j]->str, k->str) == 0) {
                diag_at(t->diag, DIAG_ERROR, tloc(t, k), "'%s' appears twice in %s", k->str, what);
                diag_at(t->diag, DIAG_NOTE, tloc(t, node->kids[2 * j]), "the first '%s' is here", k->str);
                ok = false;
                break;
            }
        bool found = false;
        for (size_t j = 0; j < n_known && !found; j++)
            found = strcmp(k->str, known[j]) == 0;
        if (found)
            continue;
        const char *key = arena_printf(&t->arena, "%s\x1f%s", what, k->str);
        int32_t dummy;
        if (strmap_get(&t->reported_keys, key, &dummy))
            continue;
        strmap_put(&t->reported_keys, key, 1);
        /* "of a question in a decision tree", but "of the decision tree" at the top */
        bool top = strcmp(what, "the decision tree") == 0;
        diag_at(t->diag, DIAG_WARNING, tloc(t, k), "'%s' is not a key of %s%s; it is ignored",
                k->str, what, top ? "" : " in a decision tree");
        Buf keys = {0};
        list_keys(&keys, known, n_known);
        diag_hint(t->diag, "the keys of %s are %s", what, buf_str(&keys));
        buf_free(&keys);
    }
    return ok;
}

/* The text of `key`, NULL when absent or null; an error when it is a list or mapping, or when it
 * is required and missing (reported at `owner`, the object's first key). */
static const char *get_text(Tree *t, const TNode *map, const char *key, const char *what, bool required,
                            const TNode **value)
{
    const TNode *v = map_get(map, key, NULL);
    if (value)
        *value = v;
    if (!v || v->kind == TN_NULL || (v->kind == TN_SCALAR && v->len == 0 && required)) {
        if (required) {
            const TNode *at = map->n ? map->kids[0] : map;
            diag_at(t->diag, DIAG_ERROR, tloc(t, at), "%s has no '%s'", what, key);
        }
        return NULL;
    }
    if (v->kind != TN_SCALAR) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, v), "'%s' of %s must be text, not %s", key, what, kind_name(v->kind));
        return NULL;
    }
    return v->str;
}

static int32_t intern_label(Tree *t, const char *text)
{
    int32_t idx;
    if (strmap_get(&t->label_ids, text, &idx))
        return idx;
    if (t->nlabels == t->cap_labels) {
        t->cap_labels = t->cap_labels ? 2 * t->cap_labels : 64;
        const char **grown = arena_alloc(&t->arena, t->cap_labels * sizeof *grown);
        if (t->nlabels)
            memcpy(grown, t->labels, t->nlabels * sizeof *grown);
        t->labels = grown;
    }
    const char *copy = arena_strdup(&t->arena, text);
    t->labels[t->nlabels] = copy;
    strmap_put(&t->label_ids, copy, (int32_t)t->nlabels);
    return (int32_t)t->nlabels++;
}

static void read_sources(Tree *t, const TNode *map, const char *what, SourceRef **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    const TNode *list = map_get(map, "sources", NULL);
    if (!list || list->kind == TN_NULL)
        return;
    if (list->kind != TN_SEQ) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, list), "'sources' of %s must be a list, not %s", what,
                kind_name(list->kind));
        return;
    }
    *out = arena_alloc(&t->arena, (list->n ? list->n : 1) * sizeof **out);
    for (uint32_t i = 0; i < list->n; i++) {
        const TNode *item = list->kids[i];
        SourceRef *s = &(*out)[*n];
        if (item->kind == TN_SCALAR) {
            s->title = item->str;
        } else if (item->kind == TN_MAP) {
            if (!check_map(t, item, "a source", SOURCE_KEYS, KDR_ARRAY_LEN(SOURCE_KEYS)))
                continue;
            s->title = get_text(t, item, "source", "a source", false, NULL);
            s->url = get_text(t, item, "url", "a source", false, NULL);
            if (!s->title && !s->url)
                continue;
        } else {
            continue;
        }
        (*n)++;
    }
}

/* nextQuestionId / nextConclusionId of an answer or redirect; false when it has neither. */
static bool read_target(Tree *t, const TNode *map, const char *what, Target *out)
{
    const TNode *kq = NULL, *kc = NULL;
    const TNode *vq = map_get(map, "nextQuestionId", &kq);
    const TNode *vc = map_get(map, "nextConclusionId", &kc);
    if (vq && vq->kind == TN_NULL)
        vq = NULL;
    if (vc && vc->kind == TN_NULL)
        vc = NULL;
    memset(out, 0, sizeof *out);
    out->index = -1;
    if (vq && vc) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, kc), "%s has both nextQuestionId and nextConclusionId", what);
        diag_hint(t->diag, "a walk goes on to one place: keep one of them");
        return true;
    }
    const TNode *v = vq ? vq : vc;
    if (!v)
        return false;
    if (v->kind != TN_SCALAR || v->len == 0) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, v), "%s of %s must be an id, not %s",
                vq ? "nextQuestionId" : "nextConclusionId", what,
                v->kind == TN_SCALAR ? "empty text" : kind_name(v->kind));
        return true;
    }
    out->node = v;
    out->id = v->str;
    out->conclusion = vc != NULL;
    return true;
}

static void read_answer(Tree *t, Question *q, const TNode *node, Answer *a)
{
    memset(a, 0, sizeof *a);
    a->node = node;
    if (!check_map(t, node, "an answer", ANSWER_KEYS, KDR_ARRAY_LEN(ANSWER_KEYS)))
        return;
    a->text = get_text(t, node, "answer", "an answer", true, &a->text_node);
    a->subresult = get_text(t, node, "subresult", "an answer", false, NULL);
    a->comment = get_text(t, node, "answerComment", "an answer", false, NULL);

    const TNode *labels = map_get(node, "labels", NULL);
    if (labels && labels->kind != TN_NULL) {
        const TNode *const *items = (const TNode *const *)labels->kids;
        uint32_t n = labels->n;
        if (labels->kind == TN_SCALAR) { /* one label written without a list */
            items = (const TNode *const *)&labels;
            n = 1;
        } else if (labels->kind != TN_SEQ) {
            diag_at(t->diag, DIAG_ERROR, tloc(t, labels), "'labels' must be a list of texts, not %s",
                    kind_name(labels->kind));
            n = 0;
        }
        a->labels = arena_alloc(&t->arena, (n ? n : 1) * sizeof *a->labels);
        for (uint32_t i = 0; i < n; i++) {
            const TNode *item = items[i];
            if (item->kind != TN_SCALAR || item->len == 0) {
                diag_at(t->diag, DIAG_ERROR, tloc(t, item), "a label must be text, not %s",
                        item->kind == TN_SCALAR ? "empty text" : kind_name(item->kind));
                continue;
            }
            if (t->nlabels >= TREE_MAX_LABELS && !strmap_get(&t->label_ids, item->str, &(int32_t){0})) {
                diag_at(t->diag, DIAG_ERROR, tloc(t, item), "more than %d different labels", TREE_MAX_LABELS);
                return;
            }
            int32_t id = intern_label(t, item->str);
            bool seen = false;
            for (uint32_t j = 0; j < a->n_labels && !seen; j++)
                seen = a->labels[j] == id;
            if (!seen)
                a->labels[a->n_labels++] = id;
        }
    }

    char *what =
        arena_printf(&t->arena, "answer \"%s\" of question %s", a->text ? a->text : "?", q->id ? q->id : "?");
    a->has_next = read_target(t, node, what, &a->next);
    const TNode *rkey = NULL;
    const TNode *redirects = map_get(node, "redirects", &rkey);
    if (redirects && redirects->kind != TN_NULL) {
        a->redirects_key = rkey;
        if (redirects->kind != TN_SEQ) {
            diag_at(t->diag, DIAG_ERROR, tloc(t, redirects), "'redirects' must be a list, not %s",
                    kind_name(redirects->kind));
            return;
        }
        if (redirects->n == 0) {
            diag_at(t->diag, DIAG_ERROR, tloc(t, rkey), "%s has an empty list of redirects", what);
            diag_hint(t->diag, "give each redirect an 'if' and a nextQuestionId or nextConclusionId");
            return;
        }
        if (a->has_next) {
            diag_at(t->diag, DIAG_WARNING, tloc(t, a->next.node ? a->next.node : rkey),
                    "%s has redirects and a %s; the redirects are used, as in the Beslishulp", what,
                    a->next.conclusion ? "nextConclusionId" : "nextQuestionId");
            a->has_next = false;
        }
        a->redirects = arena_alloc(&t->arena, redirects->n * sizeof *a->redirects);
        for (uint32_t i = 0; i < redirects->n; i++) {
            const TNode *rn = redirects->kids[i];
            Redirect *r = &a->redirects[a->n_redirects++];
            memset(r, 0, sizeof *r);
            r->node = rn;
            r->target.index = -1;
            if (!check_map(t, rn, "a redirect", REDIRECT_KEYS, KDR_ARRAY_LEN(REDIRECT_KEYS)))
                continue;
            const TNode *cond = NULL;
            r->cond_text = get_text(t, rn, "if", "a redirect", !map_get(rn, "if", NULL), &cond);
            if (r->cond_text)
                r->cond = jexl_parse(t, cond);
            else if (cond && cond->kind != TN_SEQ && cond->kind != TN_MAP) {
                diag_at(t->diag, DIAG_ERROR, tloc(t, cond), "the condition is empty");
                diag_hint(t->diag, "%s", JEXL_HINT);
            }
            if (!read_target(t, rn, "a redirect", &r->target)) {
                diag_at(t->diag, DIAG_ERROR, tloc(t, rn->n ? rn->kids[0] : rn), "this redirect leads nowhere");
                diag_hint(t->diag, "give it a nextQuestionId or a nextConclusionId");
            }
        }
    } else if (!a->has_next && a->text) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, a->text_node), "%s has no way on", what);
        diag_hint(t->diag, "give it a nextQuestionId, a nextConclusionId or redirects");
    }
}

static void read_question(Tree *t, const TNode *node, Question *q)
{
    memset(q, 0, sizeof *q);
    q->node = node;
    q->feasible_bit = -1;
    if (!check_map(t, node, "a question", QUESTION_KEYS, KDR_ARRAY_LEN(QUESTION_KEYS)))
        return;
    q->id = get_text(t, node, "questionId", "a question", true, &q->id_node);
    if (q->id) {
        int32_t first;
        if (strmap_get(&t->qids, q->id, &first)) {
            diag_at(t->diag, DIAG_ERROR, tloc(t, q->id_node), "duplicate questionId \"%s\"", q->id);
            diag_at(t->diag, DIAG_NOTE, tloc(t, t->q[first].id_node), "the first question \"%s\" is here", q->id);
        } else {
            strmap_put(&t->qids, q->id, (int32_t)(q - t->q));
        }
    }
    const char *what = arena_printf(&t->arena, "question %s", q->id ? q->id : "?");
    q->text = get_text(t, node, "question", what, true, NULL);
    q->explanation = get_text(t, node, "explanation", what, false, NULL);
    q->description = get_text(t, node, "description", what, false, NULL);
    q->subcategory = get_text(t, node, "subcategory", what, false, NULL);
    (void)get_text(t, node, "category", what, false, NULL);
    read_sources(t, node, what, &q->sources, &q->n_sources);

    const TNode *akey = NULL;
    const TNode *answers = map_get(node, "answers", &akey);
    if (!answers || answers->kind == TN_NULL || (answers->kind == TN_SEQ && answers->n == 0)) {
        diag_at(t->diag, DIAG_ERROR,
                tloc(t, akey         ? akey
                        : q->id_node ? q->id_node
                                     : node),
                "%s has no answers", what);
        return;
    }
    if (answers->kind != TN_SEQ) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, answers), "'answers' must be a list, not %s",
                kind_name(answers->kind));
        return;
    }
    if (answers->n > TREE_MAX_ANSWERS) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, akey), "%s has more than %d answers", what, TREE_MAX_ANSWERS);
        return;
    }
    q->answers = arena_alloc(&t->arena, answers->n * sizeof *q->answers);
    for (uint32_t i = 0; i < answers->n; i++) {
        Answer *a = &q->answers[q->n_answers++];
        read_answer(t, q, answers->kids[i], a);
        if (!a->text)
            continue;
        for (uint32_t j = 0; j < i; j++)
            if (q->answers[j].text && strcmp(q->answers[j].text, a->text) == 0) {
                diag_at(t->diag, DIAG_ERROR, tloc(t, a->text_node), "question %s has the answer \"%s\" twice",
                        q->id, a->text);
                diag_hint(t->diag, "facts give an answer by its text, so the answers of a question must differ");
                break;
            }
    }
}

static void read_conclusion(Tree *t, const TNode *node, Conclusion *c)
{
    memset(c, 0, sizeof *c);
    c->node = node;
    if (!check_map(t, node, "a conclusion", CONCLUSION_KEYS, KDR_ARRAY_LEN(CONCLUSION_KEYS)))
        return;
    c->id = get_text(t, node, "conclusionId", "a conclusion", true, &c->id_node);
    if (c->id) {
        int32_t first;
        if (strmap_get(&t->cids, c->id, &first)) {
            diag_at(t->diag, DIAG_ERROR, tloc(t, c->id_node), "duplicate conclusionId \"%s\"", c->id);
            diag_at(t->diag, DIAG_NOTE, tloc(t, t->c[first].id_node), "the first conclusion \"%s\" is here",
                    c->id);
        } else {
            strmap_put(&t->cids, c->id, (int32_t)(c - t->c));
        }
    }
    const char *what = arena_printf(&t->arena, "conclusion %s", c->id ? c->id : "?");
    c->text = get_text(t, node, "conclusion", what, true, NULL);
    c->obligation = get_text(t, node, "obligation", what, false, NULL);
    c->comment = get_text(t, node, "conclusionComment", what, false, NULL);
    read_sources(t, node, what, &c->sources, &c->n_sources);
}

static const TNode *top_list(Tree *t, const TNode *root, const char *key, uint32_t max)
{
    const TNode *k = NULL;
    const TNode *v = map_get(root, key, &k);
    if (!v || v->kind == TN_NULL) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, k ? k : root), "the decision tree has no %s", key);
        diag_hint(t->diag, "a decision tree is a mapping with the lists 'questions' and 'conclusions'");
        return NULL;
    }
    if (v->kind != TN_SEQ) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, v), "'%s' must be a list, not %s", key, kind_name(v->kind));
        return NULL;
    }
    if (v->n == 0) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, k), "the list of %s is empty", key);
        return NULL;
    }
    if (v->n > max) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, k), "more than %u %s", max, key);
        return NULL;
    }
    return v;
}

/* The id nearest to `id` among the questions or conclusions, for "did you mean". */
static const char *nearest_id(const Tree *t, const char *id, bool conclusions)
{
    const char *best = NULL;
    int best_d = 3;
    uint32_t n = conclusions ? t->nc : t->nq;
    for (uint32_t i = 0; i < n; i++) {
        const char *cand = conclusions ? t->c[i].id : t->q[i].id;
        if (!cand)
            continue;
        int d = edit_distance(id, cand, best_d - 1);
        if (d < best_d) {
            best_d = d;
            best = cand;
        }
    }
    return best;
}

static void resolve_target(Tree *t, Target *tg)
{
    if (!tg->id)
        return;
    int32_t idx;
    StrMap *own = tg->conclusion ? &t->cids : &t->qids;
    StrMap *other = tg->conclusion ? &t->qids : &t->cids;
    if (strmap_get(own, tg->id, &idx)) {
        tg->index = idx;
        return;
    }
    const char *kind = tg->conclusion ? "conclusion" : "question";
    diag_at(t->diag, DIAG_ERROR, tloc(t, tg->node), "%s \"%s\" names no %s",
            tg->conclusion ? "nextConclusionId" : "nextQuestionId", tg->id, kind);
    const char *near = nearest_id(t, tg->id, tg->conclusion);
    if (strmap_get(other, tg->id, &idx))
        diag_hint(t->diag, "\"%s\" is a %s: write %s: \"%s\"", tg->id, tg->conclusion ? "question" : "conclusion",
                  tg->conclusion ? "nextQuestionId" : "nextConclusionId", tg->id);
    else if (near)
        diag_hint(t->diag, "did you mean \"%s\"?", near);
}

/* Looks up each label a condition tests; a label no answer adds makes the test always false,
 * which is almost always a typo: warned once per label. */
static void resolve_condition(Tree *t, JExpr *e, const TNode *cond_node)
{
    if (!e)
        return;
    if (e->op != J_IN) {
        resolve_condition(t, e->a, cond_node);
        if (e->b)
            resolve_condition(t, e->b, cond_node);
        return;
    }
    int32_t idx;
    if (strmap_get(&t->label_ids, e->text, &idx)) {
        e->label = idx;
        t->tested[idx] = true;
        return;
    }
    e->label = -1;
    int32_t dummy;
    if (strmap_get(&t->reported_labels, e->text, &dummy))
        return;
    strmap_put(&t->reported_labels, e->text, 1);
    /* Point at the label inside the condition when the condition stands in the file as written. */
    const char *at = strstr(cond_node->str, e->text);
    KdrLoc loc = tloc(t, cond_node);
    if (at && at > cond_node->str) {
        size_t from = (size_t)(at - cond_node->str) - 1;
        uint32_t a = scalar_offset(t, cond_node, from),
                 b = scalar_offset(t, cond_node, from + strlen(e->text) + 2);
        if (a != cond_node->off && b > a)
            loc = (KdrLoc){t->file, a, b};
    }
    diag_at(t->diag, DIAG_WARNING, loc, "no answer adds the label \"%s\", so this test is always false", e->text);
    const char *best = NULL;
    int best_d = 4;
    for (uint32_t i = 0; i < t->nlabels; i++) {
        int d = edit_distance(e->text, t->labels[i], best_d - 1);
        if (d < best_d) {
            best_d = d;
            best = t->labels[i];
        }
    }
    if (best)
        diag_hint(t->diag, "did you mean \"%s\"?", best);
}

static int read_tree(Tree *t, const TNode *root)
{
    if (root->kind != TN_MAP) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, root), "a decision tree is a mapping, not %s", kind_name(root->kind));
        diag_hint(t->diag, "a decision tree is a mapping with the lists 'questions' and 'conclusions'");
        return -1;
    }
    check_map(t, root, "the decision tree", TOP_KEYS, KDR_ARRAY_LEN(TOP_KEYS));
    t->name = get_text(t, root, "name", "the decision tree", false, NULL);
    t->version = get_text(t, root, "version", "the decision tree", false, NULL);
    const TNode *questions = top_list(t, root, "questions", TREE_MAX_QUESTIONS);
    const TNode *conclusions = top_list(t, root, "conclusions", TREE_MAX_QUESTIONS);
    if (!questions || !conclusions)
        return -1;
    t->q = arena_alloc(&t->arena, questions->n * sizeof *t->q);
    t->c = arena_alloc(&t->arena, conclusions->n * sizeof *t->c);
    for (uint32_t i = 0; i < questions->n; i++)
        read_question(t, questions->kids[i], &t->q[t->nq++]);
    for (uint32_t i = 0; i < conclusions->n; i++)
        read_conclusion(t, conclusions->kids[i], &t->c[t->nc++]);
    t->tested = arena_alloc(&t->arena, (t->nlabels + 1) * sizeof *t->tested);
    for (uint32_t i = 0; i < t->nq; i++)
        for (uint32_t j = 0; j < t->q[i].n_answers; j++) {
            Answer *a = &t->q[i].answers[j];
            if (a->has_next)
                resolve_target(t, &a->next);
            for (uint32_t k = 0; k < a->n_redirects; k++) {
                resolve_target(t, &a->redirects[k].target);
                const TNode *cond = map_get(a->redirects[k].node, "if", NULL);
                resolve_condition(t, a->redirects[k].cond, cond);
            }
        }
    t->wl = (t->nlabels + 63) / 64;
    return t->diag->errors > t->errors_at_start ? -1 : 0;
}

/* ---- categories ---- */

/* categories.yaml: a list of {questionId, category, subcategory}. */
static int read_categories(Tree *t, uint32_t file)
{
    const TNode *root = yaml_read(&t->arena, t->sources, file, t->diag);
    if (!root)
        return -1;
    /* Messages about the categories point into their own file. */
    uint32_t tree_file = t->file;
    const SourceFile *tree_src = t->src;
    t->file = file;
    t->src = sources_get(t->sources, file);
    int errors = t->diag->errors;
    static const char *const keys[] = {"questionId", "category", "subcategory"};
    if (root->kind != TN_SEQ) {
        diag_at(t->diag, DIAG_ERROR, tloc(t, root),
                "categories must be a list of {questionId, category, subcategory}, not %s", kind_name(root->kind));
    } else {
        t->cats = arena_alloc(&t->arena, (root->n ? root->n : 1) * sizeof *t->cats);
        for (uint32_t i = 0; i < root->n; i++) {
            const TNode *item = root->kids[i];
            if (!check_map(t, item, "a category", keys, KDR_ARRAY_LEN(keys)))
                continue;
            const TNode *idn = NULL;
            const char *id = get_text(t, item, "questionId", "a category", true, &idn);
            const char *sub = get_text(t, item, "subcategory", "a category", false, NULL);
            if (!sub)
                sub = get_text(t, item, "category", "a category", false, NULL);
            if (!id || !sub)
                continue;
            int32_t dummy;
            if (strmap_get(&t->cat_ids, id, &dummy)) {
                diag_at(t->diag, DIAG_WARNING, tloc(t, idn),
                        "questionId \"%s\" has a category twice; the first is used", id);
                continue;
            }
            t->cats[t->ncats] = (Category){id, sub};
            strmap_put(&t->cat_ids, id, (int32_t)t->ncats);
            t->ncats++;
        }
    }
    t->file = tree_file;
    t->src = tree_src;
    return t->diag->errors > errors ? -1 : 0;
}

/* The category of a question by the categories file: its id, else its longest prefix ending
 * before a '.' ("2.7.1", "2.7", "2"), as the Beslishulp's web tool looks it up. */
static const char *category_of(Tree *t, const char *id)
{
    if (!t->ncats || !id)
        return NULL;
    char *probe = arena_strdup(&t->arena, id);
    for (;;) {
        int32_t idx;
        if (strmap_get(&t->cat_ids, probe, &idx))
            return t->cats[idx].subcategory;
        char *dot = strrchr(probe, '.');
        if (!dot)
            return NULL;
        *dot = '\0';
    }
}

/* Places every label of every answer in a group, by the question's category, else by the
 * question's own subcategory, else by the label's value when exactly one group has it. */
static void place_labels(Tree *t)
{
    for (uint32_t i = 0; i < t->nq; i++) {
        Question *q = &t->q[i];
        const char *cat = category_of(t, q->id);
        Group by_cat = group_of_category(&t->arena, cat);
        Group by_sub = group_of_category(&t->arena, q->subcategory);
        q->category_used = by_cat != G_NONE ? cat : by_sub != G_NONE ? q->subcategory : cat ? cat : q->subcategory;
        for (uint32_t j = 0; j < q->n_answers; j++) {
            Answer *a = &q->answers[j];
            a->label_group = arena_alloc(&t->arena, (a->n_labels ? a->n_labels : 1) * sizeof *a->label_group);
            a->label_value = arena_alloc(&t->arena, (a->n_labels ? a->n_labels : 1) * sizeof *a->label_value);
            for (uint32_t k = 0; k < a->n_labels; k++) {
                const char *label = t->labels[a->labels[k]];
                Group g = by_cat != G_NONE ? by_cat : by_sub != G_NONE ? by_sub : group_of_value(&t->arena, label);
                a->label_group[k] = (int8_t)g;
                a->label_value[k] = g == G_NONE ? NULL : label_value(&t->arena, label, g);
                if (g == G_NONE) {
                    const char *key = arena_printf(&t->arena, "group\x1f%s", label);
                    int32_t dummy;
                    if (strmap_get(&t->reported_labels, key, &dummy))
                        continue;
                    strmap_put(&t->reported_labels, key, 1);
                    const TNode *labels = map_get(a->node, "labels", NULL);
                    diag_at(t->diag, DIAG_WARNING, tloc(t, labels ? labels : a->node),
                            "the label \"%s\" of question %s belongs to no Algoritmekader group; only the "
                            "report's label 'beslishulp' shows it",
                            label, q->id);
                    if (t->ncats)
                        diag_hint(t->diag, "the question's category is \"%s\" (%s)",
                                  cat              ? cat
                                  : q->subcategory ? q->subcategory
                                                   : "none",
                                  t->categories_name);
                    else if (q->subcategory)
                        diag_hint(t->diag,
                                  "without categories.yaml beside the tree its subcategory decides: \"%s\"",
                                  q->subcategory);
                    else
                        diag_hint(t->diag,
                                  "without categories.yaml beside the tree its subcategory decides, and it has "
                                  "none");
                }
                if (g == G_OPERATIONEEL && strcmp(a->label_value[k], "in gebruik") != 0 &&
                    strcmp(a->label_value[k], "in ontwikkeling") != 0) {
                    const TNode *labels = map_get(a->node, "labels", NULL);
                    diag_at(t->diag, DIAG_WARNING, tloc(t, labels ? labels : a->node),
                            "the label \"%s\" says whether the system is in use, but the lifecycle knows only "
                            "\"in gebruik\" and \"in ontwikkeling\"",
                            label);
                }
            }
        }
    }
}

/* ================================================================================================
 * Walks: the states (question, labels gathered, cycle members visited) and their transitions
 * ============================================================================================== */

/* Strongly connected components of the questions over a set of edges, Tarjan's algorithm made
 * iterative (a long chain of questions must not exhaust the stack). scc[q] gets a component id;
 * cyclic[c] says whether component c has a cycle (two members, or an edge to itself). */
typedef struct QEdges {
    uint32_t *start; /* nq + 1 */
    uint32_t *to;
} QEdges;

static uint32_t tarjan(uint32_t nq, const QEdges *g, int32_t *scc, bool *cyclic)
{
    int32_t *index = kdr_malloc((nq + 1) * sizeof *index);
    int32_t *low = kdr_malloc((nq + 1) * sizeof *low);
    bool *on = kdr_calloc(nq + 1, sizeof *on);
    uint32_t *stack = kdr_malloc((nq + 1) * sizeof *stack);
    uint32_t *call = kdr_malloc((nq + 1) * sizeof *call); /* question per frame */
    uint32_t *edge = kdr_malloc((nq + 1) * sizeof *edge); /* next edge per frame */
    for (uint32_t i = 0; i < nq; i++)
        index[i] = -1;
    uint32_t sp = 0, next = 0, ncomp = 0;
    for (uint32_t root = 0; root < nq; root++) {
        if (index[root] >= 0)
            continue;
        uint32_t depth = 0;
        call[0] = root;
        edge[0] = g->start[root];
        index[root] = low[root] = (int32_t)next++;
        stack[sp++] = root;
        on[root] = true;
        while (true) {
            uint32_t v = call[depth];
            if (edge[depth] < g->start[v + 1]) {
                uint32_t w = g->to[edge[depth]++];
                if (index[w] < 0) {
                    index[w] = low[w] = (int32_t)next++;
                    stack[sp++] = w;
                    on[w] = true;
                    depth++;
                    call[depth] = w;
                    edge[depth] = g->start[w];
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            if (low[v] == index[v]) {
                uint32_t members = 0, w;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    scc[w] = (int32_t)ncomp;
                    members++;
                } while (w != v);
                bool self = false;
                for (uint32_t e = g->start[v]; e < g->start[v + 1]; e++)
                    self |= g->to[e] == v;
                cyclic[ncomp] = members > 1 || self;
                ncomp++;
            }
            if (depth == 0)
                break;
            depth--;
            uint32_t parent = call[depth];
            if (low[v] < low[parent])
                low[parent] = low[v];
        }
    }
    kdr_free(index);
    kdr_free(low);
    kdr_free(on);
    kdr_free(stack);
    kdr_free(call);
    kdr_free(edge);
    return ncomp;
}

typedef struct Trans {
    uint32_t from; /* state */
    uint32_t answer;
    int32_t redirect;   /* -1: the answer's own next */
    int32_t to;         /* state, -1 for a conclusion or a dead end */
    int32_t conclusion; /* -1 for a question or a dead end */
} Trans;

typedef struct Explorer {
    Tree *t;
    const int32_t *scc; /* per question */
    const int32_t *bit; /* per question: its bit among the cycle members, -1 when on no cycle */
    uint32_t wv, kw;    /* words of a cycle-member set and of a whole key */
    uint64_t *keys;     /* kw words per state: question, labels, cycle members visited */
    int32_t *parent;    /* the state each was first reached from (for example walks) */
    uint32_t *parent_answer;
    uint32_t n, cap;
    uint32_t *table; /* open addressing, state + 1 (0 empty) */
    uint32_t table_cap;
    Trans *trans;
    uint32_t ntrans, cap_trans;
    bool too_many;
    int loops, dead_ends;
    StrMap loop_sites;
} Explorer;

static uint64_t key_hash(const uint64_t *k, uint32_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u;
    for (uint32_t i = 0; i < n; i++) {
        h ^= k[i] + 0x9E3779B97F4A7C15u + (h << 6) + (h >> 2);
        h *= 0xBF58476D1CE4E5B9u;
    }
    return h ^ (h >> 31);
}

static const uint64_t *state_key(const Explorer *ex, uint32_t s) { return ex->keys + (size_t)s * ex->kw; }
static uint32_t state_q(const Explorer *ex, uint32_t s) { return (uint32_t)state_key(ex, s)[0]; }
static const uint64_t *state_labels(const Explorer *ex, uint32_t s) { return state_key(ex, s) + 1; }
static const uint64_t *state_visited(const Explorer *ex, uint32_t s) { return state_key(ex, s) + 1 + ex->t->wl; }

/* The state with this key, made when new (*fresh set). -1 past the limit. */
static int32_t state_intern(Explorer *ex, const uint64_t *key, bool *fresh)
{
    *fresh = false;
    if (2 * (ex->n + 1) > ex->table_cap) {
        uint32_t cap = ex->table_cap ? 2 * ex->table_cap : 1024;
        uint32_t *table = kdr_calloc(cap, sizeof *table);
        for (uint32_t s = 0; s < ex->n; s++) {
            uint32_t h = (uint32_t)key_hash(state_key(ex, s), ex->kw) & (cap - 1);
            while (table[h])
                h = (h + 1) & (cap - 1);
            table[h] = s + 1;
        }
        kdr_free(ex->table);
        ex->table = table;
        ex->table_cap = cap;
    }
    uint32_t h = (uint32_t)key_hash(key, ex->kw) & (ex->table_cap - 1);
    while (ex->table[h]) {
        uint32_t s = ex->table[h] - 1;
        if (memcmp(state_key(ex, s), key, ex->kw * sizeof(uint64_t)) == 0)
            return (int32_t)s;
        h = (h + 1) & (ex->table_cap - 1);
    }
    if (ex->n >= TREE_MAX_STATES) {
        ex->too_many = true;
        return -1;
    }
    if (ex->n == ex->cap) {
        ex->cap = ex->cap ? 2 * ex->cap : 256;
        ex->keys = kdr_realloc(ex->keys, (size_t)ex->cap * ex->kw * sizeof(uint64_t));
        ex->parent = kdr_realloc(ex->parent, ex->cap * sizeof *ex->parent);
        ex->parent_answer = kdr_realloc(ex->parent_answer, ex->cap * sizeof *ex->parent_answer);
    }
    uint32_t s = ex->n++;
    memcpy(ex->keys + (size_t)s * ex->kw, key, ex->kw * sizeof(uint64_t));
    ex->parent[s] = -1;
    ex->parent_answer[s] = 0;
    ex->table[h] = s + 1;
    *fresh = true;
    return (int32_t)s;
}

static void add_trans(Explorer *ex, Trans tr)
{
    if (ex->ntrans == ex->cap_trans) {
        ex->cap_trans = ex->cap_trans ? 2 * ex->cap_trans : 1024;
        ex->trans = kdr_realloc(ex->trans, ex->cap_trans * sizeof *ex->trans);
    }
    ex->trans[ex->ntrans++] = tr;
}

static void put_answer_step(Buf *b, const Tree *t, uint32_t q, uint32_t answer)
{
    buf_printf(b, "%s ", t->q[q].id);
    put_string(b, t->q[q].answers[answer].text);
}

/* The answers that lead to state s, as "1.1 "Ja", 1.2 "...", ..." (empty for the start). */
static void put_walk_to(Buf *b, const Explorer *ex, uint32_t s)
{
    uint32_t n = 0;
    for (int32_t x = (int32_t)s; ex->parent[x] >= 0; x = ex->parent[x])
        n++;
    uint32_t *steps = kdr_malloc((n + 1) * sizeof *steps);
    uint32_t i = n;
    for (int32_t x = (int32_t)s; ex->parent[x] >= 0; x = ex->parent[x])
        steps[--i] = (uint32_t)x;
    for (i = 0; i < n; i++) {
        if (i)
            buf_puts(b, ", ");
        put_answer_step(b, ex->t, state_q(ex, (uint32_t)ex->parent[steps[i]]), ex->parent_answer[steps[i]]);
    }
    kdr_free(steps);
}

typedef struct Frame {
    uint32_t state, answer;
} Frame;

/* A walk that comes back to a question it asked before: reported at the id that leads back. */
static void report_loop(Explorer *ex, const Frame *frames, uint32_t depth, uint32_t again, const TNode *site)
{
    Tree *t = ex->t;
    const char *key = arena_printf(&t->arena, "%u", site->off);
    int32_t dummy;
    if (strmap_get(&ex->loop_sites, key, &dummy))
        return;
    strmap_put(&ex->loop_sites, key, 1);
    if (++ex->loops > TREE_MAX_REPORTS)
        return;
    uint32_t from = depth;
    while (from > 0 && state_q(ex, frames[from].state) != again)
        from--;
    Buf chain = {0}, walk = {0};
    for (uint32_t i = from; i <= depth; i++)
        buf_printf(&chain, "%s -> ", t->q[state_q(ex, frames[i].state)].id);
    buf_puts(&chain, t->q[again].id);
    put_walk_to(&walk, ex, frames[from].state);
    for (uint32_t i = from; i <= depth; i++) {
        buf_puts(&walk, walk.len ? ", " : "");
        /* frames[i].answer was advanced past the answer being followed */
        put_answer_step(&walk, t, state_q(ex, frames[i].state), frames[i].answer - 1);
    }
    diag_at(t->diag, DIAG_ERROR, tloc(t, site), "loop in the decision tree: %s", buf_str(&chain));
    diag_hint(t->diag, "the answers %s lead back to question %s; a walk asks each question once", buf_str(&walk),
              t->q[again].id);
    buf_free(&chain);
    buf_free(&walk);
}

/* Explores every walk from the first question, depth first with memoised states. Records the
 * transitions; reports loops and (when `report`) dead ends. */
static void explore(Explorer *ex, bool report)
{
    Tree *t = ex->t;
    uint32_t wl = t->wl;
    ex->kw = 1 + wl + ex->wv;
    uint64_t *key = kdr_calloc(ex->kw, sizeof *key);
    uint64_t *labels = kdr_calloc(wl + 1, sizeof *labels);
    bool fresh;
    key[0] = 0;
    int32_t start = state_intern(ex, key, &fresh);
    uint32_t cap = 64, depth = 0;
    Frame *frames = kdr_malloc(cap * sizeof *frames);
    frames[0] = (Frame){(uint32_t)start, 0};
    StrMap dead_sites = {0};
    while (!ex->too_many) {
        Frame *f = &frames[depth];
        uint32_t s = f->state;
        uint32_t qi = state_q(ex, s);
        const Question *q = &t->q[qi];
        if (f->answer >= q->n_answers) {
            if (depth == 0)
                break;
            depth--;
            continue;
        }
        uint32_t ai = f->answer++;
        const Answer *a = &q->answers[ai];
        /* A state holds only the labels some condition tests: the others cannot steer a walk,
         * and leaving them out keeps trees whose labels pile up from exploding. */
        memcpy(labels, state_labels(ex, s), wl * sizeof *labels);
        for (uint32_t k = 0; k < a->n_labels; k++)
            if (t->tested[a->labels[k]])
                bit_set(labels, (uint32_t)a->labels[k]);
        Trans tr = {s, ai, -1, -1, -1};
        const Target *target = a->has_next ? &a->next : NULL;
        for (uint32_t j = 0; j < a->n_redirects && !target; j++)
            if (jexl_eval(a->redirects[j].cond, labels)) {
                tr.redirect = (int32_t)j;
                target = &a->redirects[j].target;
            }
        if (!target) {
            add_trans(ex, tr);
            ex->dead_ends++;
            char *site = arena_printf(&t->arena, "%u/%u", qi, ai);
            int32_t dummy;
            if (report && !strmap_get(&dead_sites, site, &dummy)) {
                strmap_put(&dead_sites, site, 1);
                /* The state keeps only tested labels; the message shows all the walk gathered. */
                Buf set = {0}, walk = {0};
                uint64_t *all = kdr_calloc(wl + 1, sizeof *all);
                for (uint32_t k = 0; k < a->n_labels; k++)
                    bit_set(all, (uint32_t)a->labels[k]);
                for (int32_t x = (int32_t)s; ex->parent[x] >= 0; x = ex->parent[x]) {
                    const Answer *pa = &t->q[state_q(ex, (uint32_t)ex->parent[x])].answers[ex->parent_answer[x]];
                    for (uint32_t k = 0; k < pa->n_labels; k++)
                        bit_set(all, (uint32_t)pa->labels[k]);
                }
                buf_putc(&set, '{');
                for (uint32_t l = 0, n = 0; l < t->nlabels; l++)
                    if (bit_get(all, l)) {
                        buf_puts(&set, n++ ? ", " : "");
                        put_string(&set, t->labels[l]);
                    }
                buf_putc(&set, '}');
                kdr_free(all);
                put_walk_to(&walk, ex, s);
                buf_puts(&walk, walk.len ? ", " : "");
                put_answer_step(&walk, t, qi, ai);
                diag_at(
                    t->diag, DIAG_WARNING, tloc(t, a->redirects_key),
                    "no redirect of answer \"%s\" of question %s applies when the labels are %s; the walk stops "
                    "there without a conclusion",
                    a->text, q->id, buf_str(&set));
                diag_hint(t->diag, "the answers %s lead there", buf_str(&walk));
                buf_free(&set);
                buf_free(&walk);
            }
            continue;
        }
        if (target->conclusion) {
            tr.conclusion = target->index;
            add_trans(ex, tr);
            continue;
        }
        uint32_t to = (uint32_t)target->index;
        memset(key, 0, ex->kw * sizeof *key);
        key[0] = to;
        memcpy(key + 1, labels, wl * sizeof *labels);
        if (ex->wv && ex->bit[to] >= 0 && ex->scc[to] == ex->scc[qi]) {
            /* Within a cycle of the graph: remember which members the walk has asked. */
            const uint64_t *visited = state_visited(ex, s);
            if (to == qi || bit_get(visited, (uint32_t)ex->bit[to])) {
                report_loop(ex, frames, depth, to, target->node);
                continue;
            }
            memcpy(key + 1 + wl, visited, ex->wv * sizeof *key);
            bit_set(key + 1 + wl, (uint32_t)ex->bit[qi]);
        } else if (to == qi) {
            report_loop(ex, frames, depth, to, target->node);
            continue;
        }
        int32_t next = state_intern(ex, key, &fresh);
        if (next < 0)
            break;
        tr.to = next;
        add_trans(ex, tr);
        if (!fresh)
            continue;
        ex->parent[next] = (int32_t)s;
        ex->parent_answer[next] = ai;
        if (++depth == cap) {
            cap *= 2;
            frames = kdr_realloc(frames, cap * sizeof *frames);
        }
        frames[depth] = (Frame){(uint32_t)next, 0};
    }
    if (ex->too_many)
        diag_at(t->diag, DIAG_ERROR, tloc(t, t->q[0].id_node),
                "the decision tree allows more than %d different states (question and labels gathered); kader "
                "cannot check it",
                TREE_MAX_STATES);
    if (report && ex->loops > TREE_MAX_REPORTS)
        diag_plain(t->diag, DIAG_NOTE, "%d more loops are not shown", ex->loops - TREE_MAX_REPORTS);
    strmap_free(&dead_sites);
    kdr_free(frames);
    kdr_free(key);
    kdr_free(labels);
}

static void explorer_free(Explorer *ex)
{
    kdr_free(ex->keys);
    kdr_free(ex->parent);
    kdr_free(ex->parent_answer);
    kdr_free(ex->table);
    kdr_free(ex->trans);
    strmap_free(&ex->loop_sites);
}

/* The question graph of all edges (static) or of the transitions some walk takes (feasible). */
static void question_edges(const Tree *t, const Explorer *ex, QEdges *g)
{
    uint32_t nq = t->nq, n = 0;
    uint32_t *count = kdr_calloc(nq + 1, sizeof *count);
    /* Two passes over the same enumeration: count, then fill. */
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            g->start = kdr_calloc(nq + 1, sizeof *g->start);
            for (uint32_t i = 0; i < nq; i++)
                g->start[i + 1] = g->start[i] + count[i];
            g->to = kdr_malloc((n ? n : 1) * sizeof *g->to);
            memset(count, 0, (nq + 1) * sizeof *count);
        }
        if (ex) {
            for (uint32_t i = 0; i < ex->ntrans; i++) {
                const Trans *tr = &ex->trans[i];
                if (tr->to < 0)
                    continue;
                uint32_t from = state_q(ex, tr->from), to = state_q(ex, (uint32_t)tr->to);
                if (pass == 0) {
                    count[from]++;
                    n++;
                } else {
                    g->to[g->start[from] + count[from]++] = to;
                }
            }
            continue;
        }
        for (uint32_t qi = 0; qi < nq; qi++)
            for (uint32_t j = 0; j < t->q[qi].n_answers; j++) {
                const Answer *a = &t->q[qi].answers[j];
                for (uint32_t k = 0; k <= a->n_redirects; k++) {
                    const Target *tg = k < a->n_redirects ? &a->redirects[k].target
                                       : a->has_next      ? &a->next
                                                          : NULL;
                    if (!tg || tg->conclusion || tg->index < 0)
                        continue;
                    if (pass == 0) {
                        count[qi]++;
                        n++;
                    } else {
                        g->to[g->start[qi] + count[qi]++] = (uint32_t)tg->index;
                    }
                }
            }
    }
    kdr_free(count);
}

/* Assigns each question on a cycle of g its bit; returns the number of words a set of them takes. */
static uint32_t cycle_bits(Tree *t, const QEdges *g, int32_t *scc, int32_t *bit, int *too_many)
{
    bool *cyclic = kdr_calloc(t->nq + 1, sizeof *cyclic);
    tarjan(t->nq, g, scc, cyclic);
    uint32_t members = 0;
    for (uint32_t i = 0; i < t->nq; i++)
        bit[i] = cyclic[scc[i]] ? (int32_t)members++ : -1;
    kdr_free(cyclic);
    if (members > TREE_MAX_CYCLE_MEMBERS)
        *too_many = 1;
    return (members + 63) / 64;
}

/* ================================================================================================
 * Instances and the edges between them
 * ============================================================================================== */

static int edge_cmp(const void *x, const void *y)
{
    const Edge *a = x, *b = y;
    if (a->inst != b->inst)
        return a->inst < b->inst ? -1 : 1;
    if (a->answer != b->answer)
        return a->answer < b->answer ? -1 : 1;
    if (a->to_conclusion != b->to_conclusion)
        return a->to_conclusion ? 1 : -1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    return a->redirect < b->redirect ? -1 : a->redirect > b->redirect;
}

/* Builds the instances (one per question and set of cycle members visited before it) and the
 * edges some walk takes between them, from the walks explored with the feasible cycles. */
static void build_instances(Tree *t, Explorer *ex)
{
    uint32_t wv = ex->wv;
    t->wv = wv;
    uint32_t *inst_of = kdr_malloc((ex->n + 1) * sizeof *inst_of);
    /* Instances in order of question, then of their cycle-member set: deterministic names. */
    uint32_t *order = kdr_malloc((ex->n + 1) * sizeof *order);
    for (uint32_t s = 0; s < ex->n; s++)
        order[s] = s;
    /* insertion by (question, visited) with a simple merge sort over indices */
    {
        uint32_t *tmp = kdr_malloc((ex->n + 1) * sizeof *tmp);
        for (uint32_t width = 1; width < ex->n; width *= 2) {
            for (uint32_t lo = 0; lo < ex->n; lo += 2 * width) {
                uint32_t mid = lo + width < ex->n ? lo + width : ex->n;
                uint32_t hi = lo + 2 * width < ex->n ? lo + 2 * width : ex->n;
                uint32_t i = lo, j = mid, k = lo;
                while (i < mid && j < hi) {
                    const uint64_t *a = state_key(ex, order[i]), *b = state_key(ex, order[j]);
                    int c = a[0] != b[0] ? (a[0] < b[0] ? -1 : 1)
                                         : memcmp(state_visited(ex, order[i]), state_visited(ex, order[j]),
                                                  wv * sizeof(uint64_t));
                    tmp[k++] = c <= 0 ? order[i++] : order[j++];
                }
                while (i < mid)
                    tmp[k++] = order[i++];
                while (j < hi)
                    tmp[k++] = order[j++];
            }
            memcpy(order, tmp, ex->n * sizeof *order);
        }
        kdr_free(tmp);
    }
    t->inst = arena_alloc(&t->arena, (ex->n + 1) * sizeof *t->inst);
    t->vpool = arena_alloc(&t->arena, ((size_t)(ex->n + 1) * (wv ? wv : 1)) * sizeof(uint64_t));
    for (uint32_t i = 0; i < ex->n; i++) {
        uint32_t s = order[i];
        uint32_t q = state_q(ex, s);
        const uint64_t *v = state_visited(ex, s);
        if (t->ninst > 0) {
            Instance *last = &t->inst[t->ninst - 1];
            if (last->q == q && (wv == 0 || memcmp(t->vpool + last->v, v, wv * sizeof *v) == 0)) {
                inst_of[s] = t->ninst - 1;
                continue;
            }
        }
        Instance *in = &t->inst[t->ninst];
        memset(in, 0, sizeof *in);
        in->q = q;
        in->v = t->ninst * wv;
        if (wv)
            memcpy(t->vpool + in->v, v, wv * sizeof *v);
        inst_of[s] = t->ninst++;
    }
    kdr_free(order);
    for (uint32_t i = 0; i < t->ninst; i++) {
        Question *q = &t->q[t->inst[i].q];
        if (!q->instances)
            q->instances = arena_alloc(&t->arena, t->ninst * sizeof *q->instances);
        q->instances[q->n_instances++] = i;
    }
    t->edges = arena_alloc(&t->arena, (ex->ntrans + 1) * sizeof *t->edges);
    for (uint32_t i = 0; i < ex->ntrans; i++) {
        const Trans *tr = &ex->trans[i];
        if (tr->to < 0 && tr->conclusion < 0)
            continue; /* a dead end */
        Edge e = {inst_of[tr->from],
                  tr->answer,
                  tr->redirect,
                  tr->conclusion >= 0,
                  tr->conclusion >= 0 ? (uint32_t)tr->conclusion : inst_of[tr->to],
                  NULL};
        t->edges[t->nedges++] = e;
    }
    qsort(t->edges, t->nedges, sizeof *t->edges, edge_cmp);
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->nedges; i++) {
        if (n > 0) {
            Edge *p = &t->edges[n - 1];
            const Edge *e = &t->edges[i];
            if (p->inst == e->inst && p->answer == e->answer && p->to_conclusion == e->to_conclusion &&
                p->to == e->to)
                continue; /* the same way on through another redirect: the first one names it */
        }
        t->edges[n++] = t->edges[i];
    }
    t->nedges = n;
    kdr_free(inst_of);
}

/* Indexes the edges by source instance and by target, in edge order (which follows the order of
 * the questions in the tree, so the rule text reads in that order too). */
static void index_edges(Tree *t)
{
    uint32_t ni = t->ninst, nc = t->nc, ne = t->nedges;
    t->out_start = arena_alloc(&t->arena, (ni + 1) * sizeof(uint32_t));
    t->in_start = arena_alloc(&t->arena, (ni + 1) * sizeof(uint32_t));
    t->cin_start = arena_alloc(&t->arena, (nc + 1) * sizeof(uint32_t));
    t->in_edges = arena_alloc(&t->arena, (ne + 1) * sizeof(uint32_t));
    t->cin_edges = arena_alloc(&t->arena, (ne + 1) * sizeof(uint32_t));
    for (uint32_t e = 0; e < ne; e++) {
        const Edge *ed = &t->edges[e];
        t->out_start[ed->inst + 1]++;
        if (ed->to_conclusion)
            t->cin_start[ed->to + 1]++;
        else
            t->in_start[ed->to + 1]++;
    }
    for (uint32_t i = 0; i < ni; i++) {
        t->out_start[i + 1] += t->out_start[i];
        t->in_start[i + 1] += t->in_start[i];
    }
    for (uint32_t i = 0; i < nc; i++)
        t->cin_start[i + 1] += t->cin_start[i];
    uint32_t *fill = kdr_calloc((ni > nc ? ni : nc) + 1, sizeof *fill);
    for (uint32_t e = 0; e < ne; e++)
        if (!t->edges[e].to_conclusion) {
            uint32_t to = t->edges[e].to;
            t->in_edges[t->in_start[to] + fill[to]++] = e;
        }
    memset(fill, 0, ((ni > nc ? ni : nc) + 1) * sizeof *fill);
    for (uint32_t e = 0; e < ne; e++)
        if (t->edges[e].to_conclusion) {
            uint32_t to = t->edges[e].to;
            t->cin_edges[t->cin_start[to] + fill[to]++] = e;
        }
    kdr_free(fill);
}

/* Orders the instances so that every edge goes forwards, and computes the labels each instance
 * and each answer can hold, exactly as the resolver will see them (the union of what flows in). */
static void instance_domains(Tree *t)
{
    uint32_t ni = t->ninst, wl = t->wl ? t->wl : 1;
    uint32_t *indeg = kdr_calloc(ni + 1, sizeof *indeg);
    for (uint32_t i = 0; i < t->nedges; i++)
        if (!t->edges[i].to_conclusion)
            indeg[t->edges[i].to]++;
    const uint32_t *start = t->out_start;
    uint32_t *queue = kdr_malloc((ni + 1) * sizeof *queue);
    uint32_t head = 0, tail = 0;
    for (uint32_t i = 0; i < ni; i++) {
        Instance *in = &t->inst[i];
        in->dom = arena_alloc(&t->arena, wl * sizeof(uint64_t));
        in->answers = arena_alloc(&t->arena, (t->q[in->q].n_answers + 1) * sizeof *in->answers);
        for (uint32_t a = 0; a < t->q[in->q].n_answers; a++)
            in->answers[a].dom = arena_alloc(&t->arena, wl * sizeof(uint64_t));
        if (indeg[i] == 0)
            queue[tail++] = i;
    }
    while (head < tail) {
        uint32_t i = queue[head++];
        Instance *in = &t->inst[i];
        const Question *q = &t->q[in->q];
        for (uint32_t a = 0; a < q->n_answers; a++) {
            memcpy(in->answers[a].dom, in->dom, wl * sizeof(uint64_t));
            for (uint32_t k = 0; k < q->answers[a].n_labels; k++)
                bit_set(in->answers[a].dom, (uint32_t)q->answers[a].labels[k]);
        }
        for (uint32_t e = start[i]; e < start[i + 1]; e++) {
            const Edge *ed = &t->edges[e];
            if (ed->to_conclusion)
                continue;
            Instance *to = &t->inst[ed->to];
            for (uint32_t w = 0; w < wl; w++)
                to->dom[w] |= in->answers[ed->answer].dom[w];
            if (--indeg[ed->to] == 0)
                queue[tail++] = ed->to;
        }
    }
    kdr_free(indeg);
    kdr_free(queue);
}

/* ================================================================================================
 * Rule text
 * ============================================================================================== */

static uint32_t buf_column(const Buf *b)
{
    size_t i = b->len;
    while (i > 0 && b->data[i - 1] != '\n')
        i--;
    return (uint32_t)(b->len - i);
}

/* Joins items with " or ", wrapping lines at LINE_WIDTH with `indent` spaces. Long lists are
 * grouped in parentheses, so that no expression grows deeper than the parser allows. */
static void put_or(Buf *b, const char *const *items, uint32_t n, uint32_t indent)
{
    enum { GROUP = 100 };
    if (n == 0) {
        buf_puts(b, "false");
        return;
    }
    bool grouped = n > GROUP;
    for (uint32_t i = 0; i < n; i++) {
        bool open = grouped && i % GROUP == 0, close = grouped && (i % GROUP == GROUP - 1 || i + 1 == n);
        if (i) {
            buf_puts(b, " or");
            if (buf_column(b) + 1 + strlen(items[i]) + (open ? 1 : 0) > LINE_WIDTH)
                buf_printf(b, "\n%*s", (int)indent, "");
            else
                buf_putc(b, ' ');
        }
        if (open)
            buf_putc(b, '(');
        buf_puts(b, items[i]);
        if (close)
            buf_putc(b, ')');
    }
}

/* A comment line of text, cut to one line. */
static void put_comment_text(Buf *b, const char *s, size_t max)
{
    size_t n = 0;
    for (; *s && n < max; s++, n++)
        buf_putc(b, *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
    if (*s) {
        /* do not cut inside a UTF-8 sequence */
        while (b->len > 0 && ((unsigned char)b->data[b->len - 1] & 0xC0) == 0x80)
            b->data[--b->len] = '\0';
        if (b->len > 0 && ((unsigned char)b->data[b->len - 1] & 0xC0) == 0xC0)
            b->data[--b->len] = '\0';
        buf_puts(b, "...");
    }
}

static void put_section(Buf *b, const char *title)
{
    buf_puts(b, "\n# ");
    for (int i = 0; i < 95; i++)
        buf_putc(b, '-');
    buf_printf(b, "\n# %s\n# ", title);
    for (int i = 0; i < 95; i++)
        buf_putc(b, '-');
    buf_puts(b, "\n\n");
}

static const char *source_text(Tree *t, const SourceRef *s)
{
    if (s->title && s->url)
        return arena_printf(&t->arena, "%s (%s)", s->title, s->url);
    return s->title ? s->title : s->url;
}

static const char *target_text(Tree *t, const Target *tg)
{
    return arena_printf(&t->arena, "%s %s", tg->conclusion ? "conclusie" : "vraag", tg->id);
}

/* Whether the labels after answer a of instance ii are read: by a question the answer leads to,
 * or by a redirect condition that tests them (the final label set is built from the answers
 * taken, not from these). */
static bool labels_after_needed(const Tree *t, uint32_t ii, uint32_t a)
{
    const Instance *in = &t->inst[ii];
    const Answer *an = &t->q[in->q].answers[a];
    for (uint32_t e = t->out_start[ii]; e < t->out_start[ii + 1]; e++)
        if (t->edges[e].answer == a && !t->edges[e].to_conclusion)
            return true;
    for (uint32_t r = 0; r < an->n_redirects; r++)
        if (jexl_fold(an->redirects[r].cond, in->answers[a].dom) == 0)
            return true;
    return false;
}

/* Names every definition the rule text will hold, each once. */
static void name_everything(Tree *t)
{
    static const char *const fixed[] = {"beslishulp_geladen", "beslishulp"};
    for (size_t i = 0; i < KDR_ARRAY_LEN(fixed); i++)
        strmap_put(&t->names, fixed[i], 1);
    for (int g = 0; g < N_GROUPS; g++) {
        strmap_put(&t->names, group_info[g].let, 1);
        strmap_put(&t->names, arena_printf(&t->arena, "%s_gegeven", group_info[g].let), 1);
    }
    for (uint32_t i = 0; i < t->nq; i++)
        t->q[i].base = id_base(&t->arena, t->q[i].id ? t->q[i].id : "x");
    for (uint32_t i = 0; i < t->nc; i++) {
        t->c[i].base = id_base(&t->arena, t->c[i].id ? t->c[i].id : "x");
        t->c[i].reached_name = take_name(t, arena_printf(&t->arena, "conclusie_%s_bereikt", t->c[i].base));
    }
    for (uint32_t i = 0; i < t->ninst; i++) {
        Instance *in = &t->inst[i];
        const Question *q = &t->q[in->q];
        Buf base = {0};
        buf_printf(&base, "vraag_%s", q->base);
        bool first = true;
        for (uint32_t m = 0; m < t->nq && t->wv; m++) {
            if (t->q[m].feasible_bit < 0 || !bit_get(t->vpool + in->v, (uint32_t)t->q[m].feasible_bit))
                continue;
            buf_printf(&base, "%s%s", first ? "_na_" : "_", t->q[m].base);
            first = false;
        }
        in->base = take_name(t, buf_str(&base));
        buf_free(&base);
        /* The first question is always reached: its answers need no guard. */
        if (in->q != 0)
            in->reached = take_name(t, arena_printf(&t->arena, "%s_bereikt", in->base));
        in->labels = take_name(t, arena_printf(&t->arena, "%s_labels", in->base));
        for (uint32_t a = 0; a < q->n_answers; a++) {
            InstAnswer *ia = &in->answers[a];
            ia->taken = take_name(t, arena_printf(&t->arena, "%s_a%u", in->base, a + 1));
            if (q->answers[a].n_labels && labels_after_needed(t, i, a))
                ia->labels = take_name(t, arena_printf(&t->arena, "%s_a%u_labels", in->base, a + 1));
            if (q->answers[a].n_redirects)
                ia->next = take_name(t, arena_printf(&t->arena, "%s_a%u_volgende", in->base, a + 1));
        }
    }
    for (uint32_t i = 0; i < t->nedges; i++) {
        Edge *e = &t->edges[i];
        const Instance *in = &t->inst[e->inst];
        if (e->redirect < 0) {
            e->name = in->answers[e->answer].taken;
            continue;
        }
        const char *to = e->to_conclusion ? arena_printf(&t->arena, "conclusie_%s", t->c[e->to].base)
                                          : t->inst[e->to].base + strlen("vraag_");
        e->name = take_name(t, arena_printf(&t->arena, "%s_a%u_naar_%s", in->base, e->answer + 1, to));
    }
}

static const char *answer_labels_name(const Instance *in, uint32_t a)
{
    return in->answers[a].labels ? in->answers[a].labels : in->labels;
}

static void emit_header(Tree *t, Buf *out)
{
    const char *name = t->src->name;
    const char *slash = strrchr(name, '/');
    buf_puts(out, "# ");
    put_comment_text(out, slash ? slash + 1 : name, 200);
    buf_puts(out, " — ");
    if (t->name) {
        buf_puts(out, "de beslisboom \"");
        put_comment_text(out, t->name, 80);
        buf_putc(out, '"');
    } else {
        buf_puts(out, "een beslisboom");
    }
    if (t->version) {
        buf_puts(out, " (versie ");
        put_comment_text(out, t->version, 40);
        buf_putc(out, ')');
    }
    buf_puts(out, " als regels, geschreven door kader compile.\n");
    buf_puts(
        out,
        "# Niet met de hand bewerken: compileer de beslisboom opnieuw. Hoe dit werkt: docs/BESLISHULP.md.\n#\n");
    if (t->categories_name) {
        const char *cs = strrchr(t->categories_name, '/');
        buf_printf(out, "# Labelgroepen volgens %s (de categorie van de vraag die een label geeft).\n",
                   cs ? cs + 1 : t->categories_name);
    } else {
        buf_puts(
            out,
            "# Labelgroepen volgens de subcategorie van de vraag die een label geeft (geen categories.yaml).\n");
    }
    buf_puts(out, "#\n"
                  "# Geef de antwoorden in het feitenbestand, letterlijk zoals de beslishulp ze noemt:\n"
                  "#   beslishulp:\n");
    for (uint32_t i = 0; i < t->nq && i < 2; i++)
        if (t->q[i].id && t->q[i].n_answers && t->q[i].answers[0].text) {
            buf_puts(out, "#     ");
            put_string(out, t->q[i].id);
            buf_puts(out, ": ");
            put_string(out, t->q[i].answers[0].text);
            buf_putc(out, '\n');
        }
    buf_puts(out,
             "# De route begint bij de eerste vraag; een antwoord op een vraag die de route niet passeert,\n"
             "# telt niet mee. Ontbreekt het antwoord op een vraag van de route, dan is alles daarna onbekend\n"
             "# en noemt het rapport die vraag als ontbrekend feit.\n\n"
             "let beslishulp_geladen = true\n");
}

static void emit_facts(Tree *t, Buf *out)
{
    put_section(out, "Vragen");
    for (uint32_t i = 0; i < t->nq; i++) {
        const Question *q = &t->q[i];
        buf_puts(out, "fact beslishulp.");
        put_string(out, q->id);
        buf_puts(out, " : one of {");
        for (uint32_t a = 0; a < q->n_answers; a++) {
            buf_puts(out, a ? ", " : "");
            put_string(out, q->answers[a].text);
        }
        buf_puts(out, "}\n  ask ");
        put_string(out, html_to_text(&t->arena, q->text));
        buf_putc(out, '\n');
        Buf help = {0};
        if (q->explanation)
            buf_puts(&help, html_to_text(&t->arena, q->explanation));
        if (q->description) {
            buf_puts(&help, help.len ? "\n\n" : "");
            buf_puts(&help, html_to_text(&t->arena, q->description));
        }
        for (uint32_t a = 0; a < q->n_answers; a++) {
            const Answer *an = &q->answers[a];
            for (int k = 0; k < 2; k++) {
                const char *extra = k ? an->comment : an->subresult;
                if (!extra)
                    continue;
                buf_printf(&help, "%sBij \"%s\": %s", help.len ? "\n\n" : "", an->text,
                           html_to_text(&t->arena, extra));
            }
        }
        if (help.len) {
            buf_puts(out, "  help ");
            put_string(out, buf_str(&help));
            buf_putc(out, '\n');
        }
        buf_free(&help);
        for (uint32_t s = 0; s < q->n_sources; s++) {
            buf_puts(out, "  source ");
            put_string(out, source_text(t, &q->sources[s]));
            buf_putc(out, '\n');
        }
        if (q->n_answers == 1) {
            /* A screen with one button is no question: its answer is taken as given. */
            buf_puts(out, "  default ");
            put_string(out, q->answers[0].text);
            buf_putc(out, '\n');
        }
        buf_putc(out, '\n');
    }
}

/* The names of the edges that lead to instance `to` (or conclusion `to`), into names[]. */
static uint32_t incoming_names(const Tree *t, bool conclusion, uint32_t to, const char **names)
{
    const uint32_t *start = conclusion ? t->cin_start : t->in_start;
    const uint32_t *edges = conclusion ? t->cin_edges : t->in_edges;
    uint32_t n = 0;
    for (uint32_t k = start[to]; k < start[to + 1]; k++)
        names[n++] = t->edges[edges[k]].name;
    return n;
}

static void emit_instance(Tree *t, Buf *out, uint32_t ii, const char **scratch)
{
    const Instance *in = &t->inst[ii];
    const Question *q = &t->q[in->q];
    bool start = in->q == 0;

    /* reached, and the labels gathered on the way in */
    if (start) {
        buf_printf(out, "let %s = {}\n", in->labels);
    } else {
        uint32_t n = incoming_names(t, false, ii, scratch);
        buf_printf(out, "let %s = ", in->reached);
        put_or(out, scratch, n, 4);
        buf_printf(out, "\nlet %s = ", in->labels);
        uint32_t first = t->in_start[ii];
        if (n == 1) {
            const Edge *e = &t->edges[t->in_edges[first]];
            buf_printf(out, "%s\n", answer_labels_name(&t->inst[e->inst], e->answer));
        } else {
            buf_puts(out, "first {\n");
            for (uint32_t k = 0; k < n; k++) {
                const Edge *e = &t->edges[t->in_edges[first + k]];
                buf_printf(out, "  when %s: %s\n", e->name, answer_labels_name(&t->inst[e->inst], e->answer));
            }
            buf_puts(out, "  otherwise: unknown\n}\n");
        }
    }

    for (uint32_t a = 0; a < q->n_answers; a++) {
        const Answer *an = &q->answers[a];
        const InstAnswer *ia = &in->answers[a];
        buf_puts(out, "# ");
        put_string(out, an->text);
        if (an->has_next) {
            buf_puts(out, " -> ");
            put_comment_text(out, target_text(t, &an->next), 80);
        } else {
            buf_puts(out, " -> ");
            for (uint32_t r = 0; r < an->n_redirects; r++) {
                buf_puts(out, r ? " | " : "");
                put_comment_text(out, target_text(t, &an->redirects[r].target), 80);
            }
        }
        buf_putc(out, '\n');
        if (start) {
            buf_printf(out, "let %s = beslishulp.", ia->taken);
            put_string(out, q->id);
            buf_puts(out, " == ");
            put_string(out, an->text);
            buf_putc(out, '\n');
        } else {
            buf_printf(out, "let %s = first {\n  when %s: beslishulp.", ia->taken, in->reached);
            put_string(out, q->id);
            buf_puts(out, " == ");
            put_string(out, an->text);
            buf_puts(out, "\n  otherwise: false\n}\n");
        }
        if (ia->labels) {
            buf_printf(out, "let %s = union(%s, {", ia->labels, in->labels);
            for (uint32_t k = 0; k < an->n_labels; k++) {
                buf_puts(out, k ? ", " : "");
                put_string(out, t->labels[an->labels[k]]);
            }
            buf_puts(out, "})\n");
        }
        if (!an->n_redirects)
            continue;
        /* Which redirect applies: the first whose condition holds over the labels after this
         * answer. Conditions that cannot hold here are left out; after one that always holds,
         * nothing else can apply. */
        const char *set = answer_labels_name(in, a);
        buf_printf(out, "let %s = first {\n", ia->next);
        for (uint32_t r = 0; r < an->n_redirects; r++) {
            const Redirect *rd = &an->redirects[r];
            int fold = jexl_fold(rd->cond, ia->dom);
            if (fold < 0)
                continue;
            buf_puts(out, "  # ");
            put_comment_text(out, rd->cond_text, 200);
            buf_puts(out, "\n  when ");
            if (fold > 0)
                buf_puts(out, "true");
            else
                jexl_emit(out, rd->cond, set, ia->dom, 0);
            buf_puts(out, ": ");
            put_string(out, target_text(t, &rd->target));
            buf_putc(out, '\n');
            if (fold > 0)
                break;
        }
        buf_puts(out, "  otherwise: \"geen\"\n}\n");
        for (uint32_t e = t->out_start[ii]; e < t->out_start[ii + 1]; e++) {
            const Edge *ed = &t->edges[e];
            if (ed->answer != a || ed->redirect < 0)
                continue;
            buf_printf(out, "let %s = first {\n  when %s: %s == ", ed->name, ia->taken, ia->next);
            put_string(out, target_text(t, &an->redirects[ed->redirect].target));
            buf_puts(out, "\n  otherwise: false\n}\n");
        }
    }
}

static void emit_walk(Tree *t, Buf *out)
{
    put_section(out, "De route: per vraag of de route er komt, met welke labels, en welk antwoord is gegeven");
    const char **scratch = kdr_malloc((t->nedges + 1) * sizeof *scratch);
    for (uint32_t i = 0; i < t->nq; i++) {
        const Question *q = &t->q[i];
        if (!q->n_instances)
            continue;
        buf_puts(out, "# ");
        put_comment_text(out, q->id, 80); /* ids are data too: a line break in one must not end the comment */
        buf_putc(out, ' ');
        put_comment_text(out, html_to_text(&t->arena, q->text), 120);
        if (q->category_used) {
            buf_puts(out, "\n#   categorie: ");
            put_comment_text(out, q->category_used, 80);
        }
        buf_putc(out, '\n');
        for (uint32_t k = 0; k < q->n_instances; k++) {
            const Instance *in = &t->inst[q->instances[k]];
            if (q->n_instances > 1) {
                /* Walks pass through a cycle of questions in more than one direction: one copy of
                 * the question per set of cycle members asked before it. */
                buf_puts(out, "# Vragen");
                for (uint32_t m = 0; m < t->nq; m++)
                    if (t->q[m].feasible_bit >= 0 && t->q[m].feasible_scc == q->feasible_scc) {
                        buf_putc(out, ' ');
                        put_comment_text(out, t->q[m].id, 80);
                    }
                buf_puts(out, " leiden naar elkaar; deze kopie geldt als de route hier komt ");
                bool any = false;
                for (uint32_t m = 0; m < t->nq; m++)
                    if (t->q[m].feasible_bit >= 0 && bit_get(t->vpool + in->v, (uint32_t)t->q[m].feasible_bit)) {
                        buf_printf(out, "%s%s", any ? ", " : "na ", t->q[m].id);
                        any = true;
                    }
                buf_puts(out, any ? ".\n" : "als eerste daarvan.\n");
            }
            emit_instance(t, out, q->instances[k], scratch);
        }
        buf_putc(out, '\n');
    }
    kdr_free(scratch);
}

static void emit_conclusions(Tree *t, Buf *out)
{
    put_section(out, "Conclusies");
    const char **names = kdr_malloc((t->nedges + 1) * sizeof *names);
    for (uint32_t i = 0; i < t->nc; i++) {
        const Conclusion *c = &t->c[i];
        uint32_t n = incoming_names(t, true, i, names);
        buf_printf(out, "let %s = ", c->reached_name);
        put_or(out, names, n, 4);
        buf_puts(out, "\nconclusion ");
        put_string(out, c->id);
        buf_puts(out, " {\n  text ");
        Buf text = {0};
        buf_puts(&text, html_to_text(&t->arena, c->text));
        if (c->comment) {
            buf_puts(&text, "\n\n");
            buf_puts(&text, html_to_text(&t->arena, c->comment));
        }
        put_string(out, buf_str(&text));
        buf_free(&text);
        if (c->obligation) {
            const char *ob = html_to_text(&t->arena, c->obligation);
            if (*ob) {
                buf_puts(out, "\n  obligation ");
                put_string(out, ob);
            }
        }
        for (uint32_t s = 0; s < c->n_sources; s++) {
            buf_puts(out, "\n  source ");
            put_string(out, source_text(t, &c->sources[s]));
        }
        buf_printf(out, "\n  when %s\n}\n\n", c->reached_name);
    }
    kdr_free(names);
}

/* Per label, and per group and value: the answers (their "taken" definitions, over every
 * instance of their question) that add it. Values of a group in order of first appearance. */
typedef struct Takers {
    PtrVec *by_label;           /* [nlabels] of const char * */
    PtrVec values[N_GROUPS];    /* const char *, per group */
    PtrVec *by_value[N_GROUPS]; /* per group, parallel to values: PtrVec of const char * */
    uint32_t cap_values[N_GROUPS];
} Takers;

static void takers_build(const Tree *t, Takers *tk)
{
    memset(tk, 0, sizeof *tk);
    tk->by_label = kdr_calloc(t->nlabels + 1, sizeof *tk->by_label);
    for (uint32_t i = 0; i < t->nq; i++) {
        const Question *q = &t->q[i];
        for (uint32_t k = 0; k < q->n_instances; k++) {
            const Instance *in = &t->inst[q->instances[k]];
            for (uint32_t a = 0; a < q->n_answers; a++) {
                const Answer *an = &q->answers[a];
                for (uint32_t l = 0; l < an->n_labels; l++) {
                    const char *taken = in->answers[a].taken;
                    ptrvec_push(&tk->by_label[an->labels[l]], (void *)(uintptr_t)taken);
                    int g = an->label_group[l];
                    if (g < 0)
                        continue;
                    int v = 0;
                    while (v < tk->values[g].len && strcmp(tk->values[g].items[v], an->label_value[l]) != 0)
                        v++;
                    if (v == tk->values[g].len) {
                        ptrvec_push(&tk->values[g], (void *)(uintptr_t)an->label_value[l]);
                        if ((uint32_t)tk->values[g].len > tk->cap_values[g]) {
                            uint32_t cap = tk->cap_values[g] ? 2 * tk->cap_values[g] : 8;
                            tk->by_value[g] = kdr_realloc(tk->by_value[g], cap * sizeof *tk->by_value[g]);
                            memset(tk->by_value[g] + tk->cap_values[g], 0,
                                   (cap - tk->cap_values[g]) * sizeof *tk->by_value[g]);
                            tk->cap_values[g] = cap;
                        }
                    }
                    /* an answer may give two labels with the same value: list it once */
                    PtrVec *list = &tk->by_value[g][v];
                    if (!list->len || list->items[list->len - 1] != (void *)(uintptr_t)taken)
                        ptrvec_push(list, (void *)(uintptr_t)taken);
                }
            }
        }
    }
}

static void takers_free(const Tree *t, Takers *tk)
{
    for (uint32_t l = 0; l < t->nlabels; l++)
        ptrvec_free(&tk->by_label[l]);
    kdr_free(tk->by_label);
    for (int g = 0; g < N_GROUPS; g++) {
        for (int v = 0; v < tk->values[g].len; v++)
            ptrvec_free(&tk->by_value[g][v]);
        kdr_free(tk->by_value[g]);
        ptrvec_free(&tk->values[g]);
    }
}

/* union(first { when <answers>: {"v"} otherwise: {} }, ...) over the given values; unions hold
 * at most 64 arguments, so longer lists nest. */
static void put_union_of(Buf *out, const char *const *values, const PtrVec *answers, uint32_t n)
{
    if (n == 0) {
        buf_puts(out, "{}");
        return;
    }
    if (n > 64) {
        uint32_t half = n / 2;
        buf_puts(out, "union(\n  ");
        put_union_of(out, values, answers, half);
        buf_puts(out, ",\n  ");
        put_union_of(out, values + half, answers + half, n - half);
        buf_puts(out, ")");
        return;
    }
    if (n > 1)
        buf_puts(out, "union(\n");
    for (uint32_t i = 0; i < n; i++) {
        buf_puts(out, n > 1 ? "  first { when " : "first { when ");
        put_or(out, (const char *const *)answers[i].items, (uint32_t)answers[i].len, 8);
        buf_puts(out, ": {");
        put_string(out, values[i]);
        buf_puts(out, "} otherwise: {} }");
        if (n > 1)
            buf_puts(out, i + 1 < n ? ",\n" : "\n)");
    }
}

static void emit_outcome(Tree *t, Buf *out)
{
    put_section(out, "Uitkomst: de labels, voor het rapport en de standaardbibliotheek (stdlib/beslishulp.kdr)");
    Takers tk;
    takers_build(t, &tk);
    buf_puts(out,
             "# Alle labels die de antwoorden op de route geven, zoals de beslishulp ze noemt; bekend zodra geen\n"
             "# vraag meer een label kan toevoegen.\nlabel beslishulp = ");
    {
        const char **values = kdr_malloc((t->nlabels + 1) * sizeof *values);
        PtrVec *lists = kdr_malloc((t->nlabels + 1) * sizeof *lists);
        uint32_t n = 0;
        for (uint32_t l = 0; l < t->nlabels; l++) {
            if (!tk.by_label[l].len)
                continue; /* only unreached questions add it */
            values[n] = t->labels[l];
            lists[n++] = tk.by_label[l];
        }
        put_union_of(out, values, lists, n);
        kdr_free(values);
        kdr_free(lists);
    }
    buf_puts(out, "\n\n");

    buf_puts(out, "# Per groep van het Algoritmekader de labels uit die groep. Een groep waarvoor de route geen\n"
                  "# label gaf, is niet van toepassing (zo toont de beslishulp het bij de conclusie).\n");
    for (int g = 0; g < N_GROUPS; g++) {
        const char *let = group_info[g].let;
        uint32_t nv = (uint32_t)tk.values[g].len;
        const char *const *values = (const char *const *)tk.values[g].items;
        if (g == G_OPERATIONEEL) {
            buf_printf(out, "let %s = ", let);
            if (nv == 0) {
                buf_puts(out, "unknown\n\n");
                continue;
            }
            buf_puts(out, "first {\n");
            for (uint32_t v = 0; v < nv; v++) {
                buf_puts(out, "  when ");
                put_or(out, (const char *const *)tk.by_value[g][v].items, (uint32_t)tk.by_value[g][v].len, 6);
                buf_puts(out, ": ");
                put_string(out, values[v]);
                buf_putc(out, '\n');
            }
            buf_puts(out, "  otherwise: unknown\n}\n\n");
            continue;
        }
        if (nv == 0) {
            buf_printf(out, "let %s = {\"niet-van-toepassing\"}\n\n", let);
            continue;
        }
        buf_printf(out, "let %s_gegeven = ", let);
        put_union_of(out, values, tk.by_value[g], nv);
        buf_printf(out,
                   "\nlet %s = first {\n  when count(%s_gegeven) == 0: {\"niet-van-toepassing\"}\n"
                   "  otherwise: %s_gegeven\n}\n\n",
                   let, let, let);
    }
    Buf missing = {0};
    int n_missing = 0;
    for (int g = 0; g < G_OPERATIONEEL; g++)
        if (!tk.values[g].len)
            buf_printf(&missing, "%s%s", n_missing++ ? ", " : "", group_info[g].name);
    if (n_missing)
        diag_plain(t->diag, DIAG_NOTE,
                   "%s: no answer gives a label in the group%s %s, so the tree says niet-van-toepassing for %s",
                   t->src->name, n_missing > 1 ? "s" : "", buf_str(&missing), n_missing > 1 ? "them" : "it");
    buf_free(&missing);
    takers_free(t, &tk);
}

/* ================================================================================================
 * Checks over the walks, and the whole
 * ============================================================================================== */

/* Unreached questions and conclusions, and redirects no walk takes. */
static void report_reach(Tree *t, const Explorer *ex)
{
    bool *q_reached = kdr_calloc(t->nq + 1, sizeof *q_reached);
    bool *c_reached = kdr_calloc(t->nc + 1, sizeof *c_reached);
    uint32_t *first_answer = kdr_calloc(t->nq + 1, sizeof *first_answer); /* offset into used[] */
    uint32_t total = 0;
    for (uint32_t i = 0; i < t->nq; i++) {
        first_answer[i] = total;
        for (uint32_t a = 0; a < t->q[i].n_answers; a++)
            total += t->q[i].answers[a].n_redirects;
    }
    bool *used = kdr_calloc(total + 1, sizeof *used);
    for (uint32_t s = 0; s < ex->n; s++)
        q_reached[state_q(ex, s)] = true;
    for (uint32_t i = 0; i < ex->ntrans; i++) {
        const Trans *tr = &ex->trans[i];
        if (tr->conclusion >= 0)
            c_reached[tr->conclusion] = true;
        if (tr->redirect >= 0) {
            uint32_t q = state_q(ex, tr->from), off = first_answer[q];
            for (uint32_t a = 0; a < tr->answer; a++)
                off += t->q[q].answers[a].n_redirects;
            used[off + (uint32_t)tr->redirect] = true;
        }
    }
    for (uint32_t i = 0; i < t->nq; i++) {
        if (q_reached[i])
            continue;
        diag_at(t->diag, DIAG_WARNING, tloc(t, t->q[i].id_node), "no walk through the tree reaches question %s",
                t->q[i].id);
        diag_hint(t->diag,
                  "its answers are accepted in facts but never count; lead a nextQuestionId or redirect to "
                  "it, or remove it");
    }
    for (uint32_t i = 0; i < t->nc; i++)
        if (!c_reached[i])
            diag_at(t->diag, DIAG_WARNING, tloc(t, t->c[i].id_node),
                    "no walk through the tree reaches conclusion %s", t->c[i].id);
    for (uint32_t i = 0; i < t->nq; i++) {
        if (!q_reached[i])
            continue;
        uint32_t off = first_answer[i];
        for (uint32_t a = 0; a < t->q[i].n_answers; a++) {
            const Answer *an = &t->q[i].answers[a];
            Buf never = {0};
            uint32_t n = 0;
            for (uint32_t r = 0; r < an->n_redirects; r++)
                if (!used[off + r]) {
                    buf_printf(&never, "%s%s", n++ ? ", " : "", an->redirects[r].target.id);
                }
            if (n)
                diag_at(
                    t->diag, DIAG_NOTE, tloc(t, an->redirects_key),
                    "%u of the %u redirects of answer \"%s\" of question %s %s never taken (to %s): an earlier "
                    "redirect always applies first, or their labels never come together",
                    n, an->n_redirects, an->text, t->q[i].id, n == 1 ? "is" : "are", buf_str(&never));
            buf_free(&never);
            off += an->n_redirects;
        }
    }
    kdr_free(q_reached);
    kdr_free(c_reached);
    kdr_free(first_answer);
    kdr_free(used);
}

static uint32_t find_categories(Tree *t, Sources *sources)
{
    const char *name = t->src->name;
    if (strcmp(name, "-") == 0)
        return 0;
    const char *slash = strrchr(name, '/');
    char *path = slash ? arena_printf(&t->arena, "%.*s/categories.yaml", (int)(slash - name), name)
                       : arena_strdup(&t->arena, "categories.yaml");
    size_t len;
    char *text = read_whole_file(path, &len);
    if (!text) {
        if (errno != ENOENT)
            diag_plain(t->diag, DIAG_WARNING,
                       "cannot read %s: %s; labels are placed by their question's subcategory", path,
                       read_error_text(errno));
        return 0;
    }
    uint32_t file = sources_add(sources, path, text, len);
    t->src = sources_get(sources, t->file); /* sources_add may have moved the file table */
    return file;
}

int tree_compile_with_categories(Sources *sources, uint32_t file, uint32_t categories_file, Diag *diag, Buf *out)
{
    Tree t;
    memset(&t, 0, sizeof t);
    t.sources = sources;
    t.file = file;
    t.src = sources_get(sources, file);
    t.diag = diag;
    t.errors_at_start = diag->errors;
    int rc = -1;
    Explorer ex1 = {0}, ex2 = {0};
    int32_t *scc = NULL, *bit = NULL;
    QEdges g = {0};
    if (!t.src) {
        diag_plain(diag, DIAG_ERROR, "no decision tree to compile");
        return -1;
    }
    const TNode *root = yaml_read(&t.arena, sources, file, diag);
    if (!root || read_tree(&t, root) != 0)
        goto done;
    if (categories_file == TREE_FIND_CATEGORIES)
        categories_file = find_categories(&t, sources);
    if (categories_file) {
        t.categories_name = sources_get(sources, categories_file)->name;
        if (read_categories(&t, categories_file) != 0)
            goto done;
    }
    place_labels(&t);

    /* Walks over the graph with every edge: a question may be visited twice only on a cycle of
     * it, so tracking the cycle members visited finds every loop exactly. */
    scc = kdr_malloc((t.nq + 1) * sizeof *scc);
    bit = kdr_malloc((t.nq + 1) * sizeof *bit);
    int too_many = 0;
    question_edges(&t, NULL, &g);
    ex1.t = &t;
    ex1.scc = scc;
    ex1.bit = bit;
    ex1.wv = cycle_bits(&t, &g, scc, bit, &too_many);
    kdr_free(g.start);
    kdr_free(g.to);
    g = (QEdges){0};
    if (too_many) {
        diag_at(diag, DIAG_ERROR, tloc(&t, t.q[0].id_node),
                "more than %d questions lie on cycles of the tree; kader cannot check it", TREE_MAX_CYCLE_MEMBERS);
        goto done;
    }
    explore(&ex1, true);
    if (diag->errors > t.errors_at_start)
        goto done;
    report_reach(&t, &ex1);

    /* Again over the edges walks really take: copies of questions only where walks go round. */
    question_edges(&t, &ex1, &g);
    ex2.t = &t;
    ex2.scc = scc;
    ex2.bit = bit;
    ex2.wv = cycle_bits(&t, &g, scc, bit, &too_many);
    for (uint32_t i = 0; i < t.nq; i++) {
        t.q[i].feasible_scc = scc[i];
        t.q[i].feasible_bit = bit[i];
    }
    explore(&ex2, false);
    if (diag->errors > t.errors_at_start)
        goto done;
    build_instances(&t, &ex2);
    index_edges(&t);
    instance_domains(&t);
    name_everything(&t);

    Buf text = {0};
    emit_header(&t, &text);
    emit_facts(&t, &text);
    emit_walk(&t, &text);
    emit_conclusions(&t, &text);
    emit_outcome(&t, &text);
    buf_add(out, text.data ? text.data : "", text.len);
    buf_free(&text);
    rc = 0;
done:
    kdr_free(g.start);
    kdr_free(g.to);
    kdr_free(scc);
    kdr_free(bit);
    explorer_free(&ex1);
    explorer_free(&ex2);
    strmap_free(&t.qids);
    strmap_free(&t.cids);
    strmap_free(&t.label_ids);
    strmap_free(&t.cat_ids);
    strmap_free(&t.reported_keys);
    strmap_free(&t.reported_labels);
    strmap_free(&t.names);
    arena_free(&t.arena);
    return rc;
}

int tree_compile(Sources *sources, uint32_t file, Diag *diag, Buf *out)
{
    return tree_compile_with_categories(sources, file, TREE_FIND_CATEGORIES, diag, out);
}

/* ================================================================================================
 * Recognising a decision tree
 * ============================================================================================== */

/* Whether the text has `key` as a mapping key: at the start of a line (top level), or after
 * indentation and "- " (nested), or in quotes anywhere (JSON), followed by ':'. With `scalar`,
 * the value must not open a mapping or list (a JSON schema names the keys too, with objects). */
static bool has_key(const char *text, size_t len, const char *key, bool top_level, bool scalar)
{
    size_t n = strlen(key);
    for (size_t i = 0; i + n <= len; i++) {
        if (text[i] != key[0] || memcmp(text + i, key, n) != 0)
            continue;
        bool quoted = i > 0 && (text[i - 1] == '"' || text[i - 1] == '\'');
        size_t j = i + n;
        if (quoted) {
            if (j >= len || text[j] != text[i - 1])
                continue;
            j++;
        } else {
            size_t b = i;
            if (!top_level)
                while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '-'))
                    b--;
            if (b > 0 && text[b - 1] != '\n')
                continue;
        }
        while (j < len && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (j >= len || text[j] != ':')
            continue;
        j++;
        while (j < len && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (!scalar || j >= len || (text[j] != '{' && text[j] != '['))
            return true;
    }
    return false;
}

const char *tree_missing_key(const char *text, size_t len)
{
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    if (!has_key(text, len, "questions", true, false))
        return "questions";
    if (!has_key(text, len, "conclusions", true, false))
        return "conclusions";
    if (!has_key(text, len, "questionId", false, true))
        return "questionId";
    return NULL;
}

bool tree_is_decision_tree(const char *text, size_t len)
{
    return tree_missing_key(text, len) == NULL;
}
