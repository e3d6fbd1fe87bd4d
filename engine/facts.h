/* facts.h — one system's facts: loaded from YAML (libyaml), JSON (cJSON) or --set path=value,
 * checked against the program's fact declarations and stored in slots by fact index. */
#ifndef KADER_FACTS_H
#define KADER_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "program.h"
#include "value.h"

/* Where a fact's value came from, for `kader explain`. */
typedef enum FactOriginKind { ORIGIN_NONE, ORIGIN_FILE, ORIGIN_SET, ORIGIN_DEFAULT } FactOriginKind;
typedef struct FactOrigin {
    uint8_t kind;  /* FactOriginKind */
    KdrLoc loc;    /* ORIGIN_FILE and ORIGIN_SET: the value's place in the facts source */
} FactOrigin;

typedef struct Facts {
    const Program *program;
    Value *values;        /* [program->n_facts]; V_UNKNOWN when absent or null */
    FactOrigin *origins;  /* [program->n_facts] */
    Arena arena;          /* strings and sets of the values */
    bool has_date;        /* the facts gave `datum` */
    int32_t date;
    const char *name;     /* the facts gave `naam`, else NULL */
    const char *source;   /* file name of the last file loaded, "-" for stdin */
} Facts;

void facts_init(Facts *f, const Program *program);
void facts_free(Facts *f);
/* Forget all values (keeping memory) so the same Facts can be reused for the next system. */
void facts_clear(Facts *f);

/* Each returns 0 on success, -1 when it reported errors to diag (then the facts are not usable).
 * Sources read are added to `sources` so that messages can show their lines; they must outlive
 * diag's use. The format is JSON when the name ends in .json (or the text starts with '{' or
 * '['), else YAML. Later loads override earlier values, key by key. */
int facts_load_file(Facts *f, Sources *sources, const char *path, Diag *diag);
int facts_load_text(Facts *f, Sources *sources, const char *name, const char *text, size_t len,
                    Diag *diag);
/* "path=value": the path as in the facts file (a.b, a."1.1"), the value read by the fact's type:
 * true/false, a number, a date, a string, for sets a comma-separated list; null is unknown. */
int facts_set(Facts *f, Sources *sources, const char *assignment, Diag *diag);
/* Fills in declared defaults for the facts that no load mentioned (an explicit null stays
 * unknown: it says "not known"). Call after all loads. */
void facts_apply_defaults(Facts *f);

#endif
