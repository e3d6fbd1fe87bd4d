/* cli_graph.c — `kader graph`: the dependency graph of the loaded rules, from facts through
 * definitions to requirements, procedures, conclusions and warnings, as Graphviz DOT (one cluster
 * per kind) or JSON. An edge A -> B means B's value depends on A. The order is stable: nodes by
 * kind then name, edges by their ends, so that a diff of two graphs shows what changed. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const char graph_help[] =
    "usage: kader graph [OPTIONS] [PATH...]\n"
    "\n"
    "Prints the dependency graph of the rules: facts -> definitions -> requirements, procedures,\n"
    "conclusions and warnings. An edge A -> B means that B depends on A. PATHs are rule files or\n"
    "directories loaded with the standard library (without them, the default rule set).\n"
    "\n"
    "options:\n"
    "  -r, --rules PATH        also load PATH; repeatable\n"
    "      --no-stdlib         do not load the standard library\n"
    "  -f, --format FORMAT     dot (default, for Graphviz) or json ({nodes, edges})\n"
    "      --focus NAME        only NAME and what it depends on; NAME is a requirement,\n"
    "                          procedure, definition, fact, conclusion or warning; repeatable\n"
    "  -h, --help              show this help\n"
    "\n"
    "example: kader graph --focus urn:nl:ak:ver:aia-14 | dot -Tsvg > aia-14.svg\n"
    "exit status: 0 printed, 2 a rule error or a usage error.\n";

typedef enum NodeKind {
    NK_FACT, NK_DEFINITION, NK_LABEL, NK_PROCEDURE, NK_REQUIREMENT, NK_CONCLUSION, NK_WARNING, NK_LIFECYCLE,
    NK_COUNT
} NodeKind;

static const char *const kind_names[NK_COUNT] = {"fact", "definition", "label", "procedure",
                                                 "requirement", "conclusion", "warning", "lifecycle"};
static const char *const cluster_titles[NK_COUNT] = {"facts", "definitions", "labels", "procedures",
                                                     "requirements", "conclusions", "warnings", "lifecycle"};
static const char *const cluster_colors[NK_COUNT] = {"#e8f0fe", "#f1f3f4", "#fef7e0", "#fce8e6",
                                                     "#e6f4ea", "#f3e8fd", "#fff0e0", "#e0f7fa"};

typedef struct GNode {
    NodeKind kind;
    const char *name;
    char *id;        /* kind:name */
    KdrLoc loc;
    bool keep;       /* in the output (all, or what a --focus reaches) */
} GNode;

typedef struct Graph {
    const Program *p;
    GNode *nodes;
    uint32_t n_nodes;
    uint32_t fact_base, let_base, proc_base, req_base, concl_base, warn_base, life_base;
    uint32_t *edge_from, *edge_to;
    uint32_t n_edges, cap_edges;
} Graph;

static uint32_t add_node(Graph *g, NodeKind kind, const char *name, KdrLoc loc)
{
    GNode *n = &g->nodes[g->n_nodes];
    n->kind = kind;
    n->name = name;
    Buf id = {0};
    if (kind == NK_LIFECYCLE)
        buf_puts(&id, "lifecycle");
    else
        buf_printf(&id, "%s:%s", kind_names[kind], name);
    n->id = buf_take(&id);
    n->loc = loc;
    return g->n_nodes++;
}

static void add_edge(Graph *g, uint32_t from, uint32_t to)
{
    if (g->n_edges == g->cap_edges) {
        g->cap_edges = g->cap_edges ? g->cap_edges * 2 : 256;
        g->edge_from = kdr_realloc(g->edge_from, g->cap_edges * sizeof(uint32_t));
        g->edge_to = kdr_realloc(g->edge_to, g->cap_edges * sizeof(uint32_t));
    }
    g->edge_from[g->n_edges] = from;
    g->edge_to[g->n_edges] = to;
    g->n_edges++;
}

/* Edges from the facts and definitions an expression names directly (not through them). */
static void expr_edges(Graph *g, const Expr *e, uint32_t to)
{
    if (!e)
        return;
    if (e->op == E_FACT && e->slot >= 0)
        add_edge(g, g->fact_base + (uint32_t)e->slot, to);
    else if (e->op == E_LET && e->slot >= 0)
        add_edge(g, g->let_base + (uint32_t)e->slot, to);
    for (uint32_t i = 0; i < e->nkids; i++)
        expr_edges(g, e->kids[i], to);
}

static void build(Graph *g, const Program *p)
{
    g->p = p;
    uint32_t total = p->n_facts + p->n_lets + p->n_procedures + p->n_requirements + p->n_conclusions +
                     p->n_warnings + 1;
    g->nodes = kdr_calloc(total + 1, sizeof(GNode));
    g->fact_base = g->n_nodes;
    for (uint32_t i = 0; i < p->n_facts; i++)
        add_node(g, NK_FACT, p->facts[i]->name, p->facts[i]->name_loc);
    g->let_base = g->n_nodes;
    for (uint32_t i = 0; i < p->n_lets; i++)
        add_node(g, p->lets[i]->is_label ? NK_LABEL : NK_DEFINITION, p->lets[i]->name, p->lets[i]->name_loc);
    g->proc_base = g->n_nodes;
    for (uint32_t i = 0; i < p->n_procedures; i++)
        add_node(g, NK_PROCEDURE, p->procedures[i]->id, p->procedures[i]->id_loc);
    g->req_base = g->n_nodes;
    for (uint32_t i = 0; i < p->n_requirements; i++)
        add_node(g, NK_REQUIREMENT, p->requirements[i]->id, p->requirements[i]->id_loc);
    g->concl_base = g->n_nodes;
    for (uint32_t i = 0; i < p->n_conclusions; i++)
        add_node(g, NK_CONCLUSION, p->conclusions[i]->id, p->conclusions[i]->loc);
    g->warn_base = g->n_nodes;
    for (uint32_t i = 0; i < p->n_warnings; i++)
        add_node(g, NK_WARNING, p->warnings[i]->id, p->warnings[i]->loc);
    g->life_base = g->n_nodes;
    if (p->lifecycle)
        add_node(g, NK_LIFECYCLE, "lifecycle", p->lifecycle->loc);

    for (uint32_t i = 0; i < p->n_lets; i++)
        expr_edges(g, p->lets[i]->body, g->let_base + i);
    for (uint32_t i = 0; i < p->n_procedures; i++) {
        const ProcedureDecl *proc = p->procedures[i];
        expr_edges(g, proc->required_when, g->proc_base + i);
        expr_edges(g, proc->again_when, g->proc_base + i);
        for (uint32_t k = 0; k < proc->n_routes; k++)
            expr_edges(g, proc->routes[k].when, g->proc_base + i);
    }
    for (uint32_t i = 0; i < p->n_requirements; i++) {
        const RequirementDecl *r = p->requirements[i];
        expr_edges(g, r->applies_when, g->req_base + i);
        expr_edges(g, r->in_force_from, g->req_base + i);
        expr_edges(g, r->in_force_until, g->req_base + i);
        for (uint32_t k = 0; k < r->n_requires; k++)
            if (r->required_procedures && r->required_procedures[k] >= 0)
                add_edge(g, g->proc_base + (uint32_t)r->required_procedures[k], g->req_base + i);
    }
    for (uint32_t i = 0; i < p->n_conclusions; i++)
        expr_edges(g, p->conclusions[i]->when, g->concl_base + i);
    for (uint32_t i = 0; i < p->n_warnings; i++)
        expr_edges(g, p->warnings[i]->when, g->warn_base + i);
    if (p->lifecycle)
        expr_edges(g, p->lifecycle->current, g->life_base);
}

/* Marks a node and everything it depends on. */
static void keep_with_dependencies(Graph *g, uint32_t node)
{
    if (g->nodes[node].keep)
        return;
    g->nodes[node].keep = true;
    for (uint32_t e = 0; e < g->n_edges; e++)
        if (g->edge_to[e] == node)
            keep_with_dependencies(g, g->edge_from[e]);
}

static bool focus(Graph *g, const char *name)
{
    bool found = false;
    for (uint32_t i = 0; i < g->n_nodes; i++)
        if (strcmp(g->nodes[i].id, name) == 0 || strcmp(g->nodes[i].name, name) == 0) {
            keep_with_dependencies(g, i);
            found = true;
        }
    if (found)
        return true;
    fprintf(stderr, "kader graph: nothing in the rules is called '%s'\n", name);
    const char *best = NULL;
    int limit = strlen(name) < 4 ? 1 : strlen(name) < 9 ? 2 : 3, best_d = limit + 1;
    for (uint32_t i = 0; i < g->n_nodes; i++) {
        int d = edit_distance(name, g->nodes[i].name, limit);
        if (d < best_d) {
            best_d = d;
            best = g->nodes[i].name;
        }
    }
    if (best)
        fprintf(stderr, "hint: did you mean '%s'?\n", best);
    else
        fprintf(stderr, "hint: --focus takes the name of a fact, definition, label, requirement, procedure, "
                        "conclusion or warning\n");
    return false;
}

static const Graph *sort_graph;

static int compare_nodes(const void *a, const void *b)
{
    const GNode *x = &sort_graph->nodes[*(const uint32_t *)a], *y = &sort_graph->nodes[*(const uint32_t *)b];
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int compare_edges(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    int c = strcmp(sort_graph->nodes[x[0]].id, sort_graph->nodes[y[0]].id);
    return c ? c : strcmp(sort_graph->nodes[x[1]].id, sort_graph->nodes[y[1]].id);
}

static void quoted(Buf *b, const char *s, bool json)
{
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_printf(b, "\\%c", *p);
        else if (*p == '\n')
            buf_puts(b, "\\n");
        else if (*p < 0x20)
            buf_printf(b, json ? "\\u%04x" : "?", *p);
        else
            buf_putc(b, (char)*p);
    }
    buf_putc(b, '"');
}

static void render(const Graph *g, bool json, Buf *out)
{
    /* the nodes in output order, and the edges between kept nodes, sorted and without repeats */
    uint32_t *order = kdr_malloc((g->n_nodes + 1) * sizeof(uint32_t));
    uint32_t n = 0;
    for (uint32_t i = 0; i < g->n_nodes; i++)
        if (g->nodes[i].keep)
            order[n++] = i;
    uint32_t *edges = kdr_malloc((g->n_edges + 1) * 2 * sizeof(uint32_t));
    uint32_t m = 0;
    for (uint32_t e = 0; e < g->n_edges; e++)
        if (g->nodes[g->edge_from[e]].keep && g->nodes[g->edge_to[e]].keep) {
            edges[2 * m] = g->edge_from[e];
            edges[2 * m + 1] = g->edge_to[e];
            m++;
        }
    sort_graph = g;
    qsort(order, n, sizeof(uint32_t), compare_nodes);
    qsort(edges, m, 2 * sizeof(uint32_t), compare_edges);
    uint32_t unique = 0;
    for (uint32_t e = 0; e < m; e++)
        if (unique == 0 || edges[2 * e] != edges[2 * (unique - 1)] || edges[2 * e + 1] != edges[2 * (unique - 1) + 1]) {
            edges[2 * unique] = edges[2 * e];
            edges[2 * unique + 1] = edges[2 * e + 1];
            unique++;
        }
    m = unique;

    if (json) {
        buf_puts(out, "{\n  \"nodes\": [");
        for (uint32_t i = 0; i < n; i++) {
            const GNode *node = &g->nodes[order[i]];
            const SourceFile *f = sources_get(&g->p->sources, node->loc.file);
            int line = 0, col = 0;
            if (f)
                source_line_col(f, node->loc.start, &line, &col);
            buf_puts(out, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
            quoted(out, node->id, true);
            buf_printf(out, ", \"kind\": \"%s\", \"name\": ", kind_names[node->kind]);
            quoted(out, node->name, true);
            buf_puts(out, ", \"file\": ");
            if (f)
                quoted(out, f->name, true);
            else
                buf_puts(out, "null");
            buf_printf(out, ", \"line\": %d}", line);
        }
        buf_puts(out, n ? "\n  ],\n  \"edges\": [" : "],\n  \"edges\": [");
        for (uint32_t e = 0; e < m; e++) {
            buf_puts(out, e ? ",\n    {\"from\": " : "\n    {\"from\": ");
            quoted(out, g->nodes[edges[2 * e]].id, true);
            buf_puts(out, ", \"to\": ");
            quoted(out, g->nodes[edges[2 * e + 1]].id, true);
            buf_putc(out, '}');
        }
        buf_puts(out, m ? "\n  ]\n}\n" : "]\n}\n");
    } else {
        buf_puts(out, "digraph kader {\n  rankdir=LR;\n"
                      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n"
                      "  edge [color=\"#80868b\"];\n");
        for (uint32_t i = 0; i < n;) {
            NodeKind kind = g->nodes[order[i]].kind;
            buf_printf(out, "  subgraph cluster_%s {\n    label=\"%s\";\n    style=dashed;\n    color=\"#bdc1c6\";\n"
                            "    node [fillcolor=\"%s\"];\n",
                       kind_names[kind], cluster_titles[kind], cluster_colors[kind]);
            for (; i < n && g->nodes[order[i]].kind == kind; i++) {
                buf_puts(out, "    ");
                quoted(out, g->nodes[order[i]].id, false);
                buf_puts(out, " [label=");
                quoted(out, g->nodes[order[i]].name, false);
                buf_puts(out, "];\n");
            }
            buf_puts(out, "  }\n");
        }
        for (uint32_t e = 0; e < m; e++) {
            buf_puts(out, "  ");
            quoted(out, g->nodes[edges[2 * e]].id, false);
            buf_puts(out, " -> ");
            quoted(out, g->nodes[edges[2 * e + 1]].id, false);
            buf_puts(out, ";\n");
        }
        buf_puts(out, "}\n");
    }
    kdr_free(order);
    kdr_free(edges);
}

int kdr_cmd_graph(int argc, char **argv)
{
    enum { OPT_FOCUS = OPT_FIRST_FREE };
    static const struct option long_options[] = {
        {"rules", required_argument, NULL, 'r'},
        {"no-stdlib", no_argument, NULL, OPT_NO_STDLIB},
        {"format", required_argument, NULL, 'f'},
        {"focus", required_argument, NULL, OPT_FOCUS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    RuleOptions ro = {0};
    PtrVec focus_names = {0};
    bool json = false;
    int status = 0;
    int opt;
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then forgets the state of an earlier parse in this process */
    while ((opt = getopt_long(argc, argv, ":r:f:h", long_options, NULL)) != -1) {
        if (rule_options_parse(&ro, opt, optarg))
            continue;
        switch (opt) {
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = true;
            else if (strcmp(optarg, "dot") == 0)
                json = false;
            else {
                cli_usage_error("graph", "unknown format '%s': expected dot or json", optarg);
                status = 2;
                goto done;
            }
            break;
        case OPT_FOCUS:
            ptrvec_push(&focus_names, optarg);
            break;
        case 'h':
            fputs(graph_help, stdout);
            goto done;
        default:
            cli_option_error("graph", opt, argv[optind - 1]);
            status = 2;
            goto done;
        }
    }
    Diag diag;
    diag_init(&diag, NULL, stderr);
    diag.color = cli_color_wanted(stderr);
    Program *program = rule_options_load(&ro, &diag, (const char *const *)argv + optind, argc - optind);
    if (!program) {
        status = 2;
        goto done;
    }
    Graph g;
    memset(&g, 0, sizeof g);
    build(&g, program);
    if (focus_names.len == 0) {
        for (uint32_t i = 0; i < g.n_nodes; i++)
            g.nodes[i].keep = true;
    }
    for (int i = 0; i < focus_names.len; i++)
        if (!focus(&g, focus_names.items[i]))
            status = 2;
    if (status == 0) {
        Buf out = {0};
        render(&g, json, &out);
        fwrite(out.data, 1, out.len, stdout);
        buf_free(&out);
        if (fflush(stdout) != 0) {
            fprintf(stderr, "kader graph: cannot write the graph: %s\n", strerror(errno));
            status = 2;
        }
    }
    for (uint32_t i = 0; i < g.n_nodes; i++)
        kdr_free(g.nodes[i].id);
    kdr_free(g.nodes);
    kdr_free(g.edge_from);
    kdr_free(g.edge_to);
    program_free(program);
done:
    ptrvec_free(&focus_names);
    rule_options_free(&ro);
    return status;
}
