/* fuzz_tree.c — libFuzzer target for the decision-tree compiler (the Beslishulp format:
 * questions, answers with labels, jexl `redirects`, conclusions). An input is the tree (YAML or
 * JSON), optionally followed by a line "%%" and a categories file that assigns label groups.
 *
 * Oracles beyond "no crash": the compiler's result agrees with its messages (0 and no errors, or
 * -1 with errors and nothing written), and the rule text it writes parses. */
#include "compile_tree.h"
#include "fuzz.h"
#include "parse.h"

static void check_output(const Buf *out)
{
    Program *program = program_new();
    Diag diag;
    diag_init(&diag, &program->sources, fuzz_diag_out());
    uint32_t file = sources_add(&program->sources, "tree.kdr", kdr_strndup(buf_str(out), out->len),
                                out->len);
    ParsedFile *parsed = kdr_calloc(1, sizeof *parsed);
    ptrvec_push(&program->parsed, parsed);
    int rc = kdr_parse_range(program, file, 0, (uint32_t)out->len, &diag, parsed);
    if (rc != 0 && getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz_tree: the rule text does not parse:\n%s\n", buf_str(out));
    FUZZ_CHECK(rc == 0 && diag.errors == 0, "the compiled decision tree does not parse");
    program_free(program);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t rest;
    size_t tree_len = fuzz_split(data, size, &rest);
    Sources sources;
    sources_init(&sources);
    Diag diag;
    diag_init(&diag, &sources, fuzz_diag_out());
    uint32_t tree = sources_add(&sources, "decision-tree.yaml", kdr_strndup((const char *)data, tree_len),
                                tree_len);
    uint32_t categories = 0;
    if (rest < size || tree_len < size)
        categories = sources_add(&sources, "categories.yaml",
                                 kdr_strndup((const char *)data + rest, size - rest), size - rest);
    (void)tree_is_decision_tree((const char *)data, tree_len);
    Buf out = {0};
    int rc = tree_compile_with_categories(&sources, tree, categories, &diag, &out);
    FUZZ_CHECK((rc == 0) == (diag.errors == 0), "tree_compile's result disagrees with its messages");
    if (rc == 0)
        check_output(&out);
    else
        FUZZ_CHECK(out.len == 0, "tree_compile failed but wrote rule text");
    buf_free(&out);
    sources_free(&sources);
    return 0;
}
