/*
 * analysis.c - vc_analyze, the entry point of the analysis half (contract
 * in analysis.h): summaries for every function of the run, then every
 * enabled rule on every function.
 *
 * Key idea: summary.c computes what each function does to its parameters,
 * callees first. A function that is not recursive is summarized once, with
 * the final summaries of its callees: those facts are exactly what the
 * rules need, so they run right there (the build hook) and the facts are
 * dropped at once. Only functions of recursive components, whose last
 * summary pass may have seen provisional summaries, have their facts
 * computed once more afterwards. Each function's facts live only while its
 * rules run, so the analysis holds one function's state at a time.
 * Invariant: the result does not depend on the order of `tus` nor on the
 * order in which rules see functions (summary.c orders TUs by path;
 * vc_report_sort orders the output totally).
 * Not done here: suppressions, output (the front end's files).
 */
#include "analysis.h"

#include <stdlib.h>

#include "rule.h"
#include "summary.h"

typedef struct rule_run {
    const bool *enabled;
    vc_report *out;
} rule_run;

static int run_rules(void *ctx, const vc_facts *facts)
{
    const rule_run *rr = ctx;
    int rc = 0;
    for (int r = 0; rc == 0 && r < vc_rule_count(); r++)
        if (!rr->enabled || rr->enabled[r])
            rc = vc_rule_run(r, facts, rr->out);
    return rc;
}

int vc_analyze(vc_tu *const *tus, int n_tus, const vc_model *model,
               const bool *enabled, vc_report *out)
{
    rule_run rr = {enabled, out};
    vc_program *prog = vc_program_build_with(tus, n_tus, model, run_rules, &rr);
    if (!prog)
        return -1;
    int rc = 0;
    for (int t = 0; t < n_tus && rc == 0; t++) {
        vc_program_scope scope = {prog, tus[t]};
        for (int i = 0; i < tus[t]->n_funcs && rc == 0; i++) {
            if (vc_program_hooked(prog, &tus[t]->funcs[i]))
                continue;
            vc_facts facts;
            rc = vc_facts_compute(tus[t], &tus[t]->funcs[i], model, vc_program_lookup,
                                  &scope, &facts);
            if (rc == 0)
                rc = run_rules(&rr, &facts);
            vc_facts_free(&facts);
        }
    }
    vc_program_free(prog);
    return rc;
}
