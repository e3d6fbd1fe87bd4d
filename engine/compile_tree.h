/* compile_tree.h — `kader compile` for the Beslishulp AI-verordening: a decision tree
 * (decision-tree.yaml: questions, answers that add labels, jexl `redirects`, conclusions) turned
 * into rule text whose facts are the questions and whose definitions walk the tree exactly as the
 * Beslishulp does. docs/BESLISHULP.md describes the rules it writes. */
#ifndef KADER_COMPILE_TREE_H
#define KADER_COMPILE_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "util.h"

/* Pass as categories_file to look for categories.yaml in the tree's directory. */
#define TREE_FIND_CATEGORIES UINT32_MAX

/* True when the text looks like a decision tree: top-level `questions` and `conclusions` keys
 * and `questionId` keys (YAML or JSON). A cheap look at the text, not a parse. */
bool tree_is_decision_tree(const char *text, size_t len);
/* The first of the keys a decision tree has ("questions", "conclusions", "questionId") that the
 * text lacks, or NULL when it has them all. */
const char *tree_missing_key(const char *text, size_t len);

/* Compiles the decision tree held by sources file `file` into rule text appended to `out`, and
 * looks for categories.yaml (the label categories) beside it; without one, a label's group comes
 * from its question's own subcategory. Returns 0, or -1 after reporting errors to diag (then
 * nothing is appended). Warnings and notes go to diag too. A categories file that is read is
 * added to `sources`, so messages can show its lines. */
int tree_compile(Sources *sources, uint32_t file, Diag *diag, Buf *out);

/* The same with the categories given: a sources file index, 0 for none (the questions' own
 * subcategories are used), or TREE_FIND_CATEGORIES. */
int tree_compile_with_categories(Sources *sources, uint32_t file, uint32_t categories_file, Diag *diag,
                                 Buf *out);

#endif
