/*
 * analysis.c - vc_analyze, the entry point of the analysis half (contract
 * in analysis.h): summaries for every function of the run, then every
 * enabled rule on every function.
 *
 * Key idea: two passes. summary.c computes what each function does to its
 * parameters, callees first; then each function's facts are computed once
 * more with the final summaries of its callees and handed to the rules.
 * Invariant: the result does not depend on the order of `tus` (summary.c
 * orders TUs by path; vc_report_sort orders the output).
 * Not done here: suppressions, output (the front end's files).
 */
#include "analysis.h"

#include <stdlib.h>

#include "rule.h"
#include "summary.h"

int vc_analyze(vc_tu *const *tus, int n_tus, const vc_model *model,
               const bool *enabled, vc_report *out)
{
    vc_program *prog = vc_program_build(tus, n_tus, model);
    if (!prog)
        return -1;
    int rc = 0;
    for (int t = 0; t < n_tus && rc == 0; t++) {
        vc_program_scope scope = {prog, tus[t]};
        for (int i = 0; i < tus[t]->n_funcs && rc == 0; i++) {
            vc_facts facts;
            rc = vc_facts_compute(tus[t], &tus[t]->funcs[i], model, vc_program_lookup,
                                  &scope, &facts);
            for (int r = 0; rc == 0 && r < vc_rule_count(); r++)
                if (!enabled || enabled[r])
                    rc = vc_rule_run(r, &facts, out);
            vc_facts_free(&facts);
        }
    }
    vc_program_free(prog);
    return rc;
}
