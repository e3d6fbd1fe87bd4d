/* embed.c — embedding kader: load the default rules, evaluate one system given as a YAML
 * string, and print the obligations that apply, with what is still undetermined.
 * Build against an installed kader:  cc embed.c $(pkg-config --cflags --libs kader) */
#include <stdio.h>
#include <string.h>

#include <kader.h>

static const char facts[] =
    "naam: Chatbot voor vragen van burgers\n"
    "levenscyclus: implementatie\n"
    "ai_act:\n"
    "  soort-toepassing: ai-systeem\n"
    "  risicogroep: geen-hoog-risico-ai-systeem\n"
    "  rol-ai-act: [aanbieder, gebruiksverantwoordelijke]\n"
    "  transparantieverplichting: transparantieverplichting\n"
    "  systeemrisico: niet-van-toepassing\n"
    "  open-source: geen-open-source\n";

static int fail(kader_env *env, const char *what)
{
    fprintf(stderr, "embed: %s failed\n", what);
    for (size_t i = 0; i < kader_error_count(env); i++) {
        const kader_error *e = kader_error_at(env, i);
        if (e->file)
            fprintf(stderr, "%s:%d:%d: %s\n", e->file, e->line, e->column, e->message);
        else
            fprintf(stderr, "%s\n", e->message);
    }
    kader_env_free(env);
    return 2;
}

int main(int argc, char **argv)
{
    const char *date = argc > 1 ? argv[1] : "2026-09-01";
    kader_env *env = kader_env_new(NULL);
    if (!env)
        return 2;
    if (kader_rules_add_defaults(env) != KADER_OK || kader_rules_finish(env) != KADER_OK)
        return fail(env, "loading the rules");
    if (kader_facts_load_string(env, "chatbot.yaml", facts, strlen(facts)) != KADER_OK)
        return fail(env, "loading the facts");
    if (kader_evaluate(env, date) != KADER_OK)
        return fail(env, "evaluating");

    printf("kader %s, %s, phase %s\n", kader_version(), kader_date(env),
           kader_phase(env) ? kader_phase(env) : "unknown");
    for (size_t i = 0; i < kader_requirement_count(env); i++) {
        kader_outcome o = kader_requirement_outcome(env, i);
        if (o == KADER_NOT_APPLICABLE)
            continue;
        printf("%s %s  %s%s\n", o == KADER_APPLIES ? "applies     " : "undetermined",
               kader_requirement_id(env, i), kader_requirement_title(env, i),
               kader_requirement_in_force(env, i) == KADER_TRUE ? "" : "  (not yet in force)");
        for (size_t k = 0; k < kader_requirement_missing_count(env, i); k++)
            printf("    missing %s\n", kader_requirement_missing(env, i, k));
    }
    for (size_t i = 0; i < kader_procedure_count(env); i++)
        if (kader_procedure_outcome(env, i) == KADER_APPLIES)
            printf("procedure %s: %s\n", kader_procedure_id(env, i),
                   kader_procedure_route(env, i) ? kader_procedure_route(env, i) : "(no route)");
    kader_env_free(env);
    return 0;
}
