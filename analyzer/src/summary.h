/*
 * summary.h - what a function of the analyzed code does to its parameters,
 * seen from a caller: which parameters (or locations reached from them,
 * like d->val) it writes and how, which it reads, and what it returns or
 * leaves in out-parameters (a fresh array, a parameter itself, a view of a
 * parameter with its region, or something unknown).
 *
 * Summaries are computed bottom-up over the call graph of every analyzed
 * function (summary.c), recursion by iterating each strongly connected
 * component to a fixed point; dataflow.c applies them at call sites.
 * Paths in a summary use var = parameter index; their field names point
 * into the callee's TU arena, which outlives the analysis.
 */
#ifndef VC_SUMMARY_H
#define VC_SUMMARY_H

#include "dataflow.h"

#define VC_SUM_MAX 8                /* more values: collapse to unknown */

typedef enum {
    VC_SV_UNKNOWN,                  /* nothing known */
    VC_SV_FRESH,                    /* a new array owned by the caller */
    VC_SV_ALIAS,                    /* the value at `at` itself */
    VC_SV_VIEW                      /* a view of the value at `at` */
} vc_sv_kind;

typedef struct vc_sum_val {
    vc_sv_kind kind;
    unsigned flags;                 /* VC_VAL_* added to the caller's value;
                                       VC_OBJ_COPYIDX in obj_flags */
    unsigned obj_flags;
    vc_path at;                     /* ALIAS, VIEW: var = parameter index */
    vc_region region;               /* VIEW: region within `at`'s value */
} vc_sum_val;

typedef struct vc_sum_access {
    vc_path at;                     /* var = parameter index */
    unsigned how;                   /* writes: VC_HOW_* bits; reads:
                                       VC_READ_BEFORE / VC_READ_AFTER */
    vc_loc loc;                     /* first write / read seen */
    vc_region region;               /* the elements read or written (whole
                                       when several or unknown) */
} vc_sum_access;

typedef struct vc_sum_out {
    vc_path at;                     /* a location rooted at a parameter */
    int n_vals;
    vc_sum_val vals[VC_SUM_MAX];
} vc_sum_out;

typedef struct vc_summary {
    const char *name;
    const vc_func *fn;
    const vc_tu *tu;
    int n_writes;
    vc_sum_access *writes;
    int n_reads;
    vc_sum_access *reads;
    int n_ret;
    vc_sum_val *ret;                /* n_ret (<= VC_SUM_MAX), heap: inline,
                                       8 regions made every summary 10 KB */
    int n_outs;
    vc_sum_out *outs;
    int n_ret_outs;                 /* parts of a returned struct: at.var is
                                       -1, the steps lead from the returned
                                       value to the part (`.lo`, `->val`) */
    vc_sum_out *ret_outs;
} vc_summary;

/* Fills *out from the facts of its function (out is cleared first).
 * Returns 0, -1 on ENOMEM. */
int  vc_summary_build(const vc_facts *f, vc_summary *out);
void vc_summary_clear(vc_summary *s);
bool vc_summary_equal(const vc_summary *a, const vc_summary *b);

/* The summaries of every function of a run. */
typedef struct vc_program vc_program;

/* Builds the call graph of every function of tus and computes every
 * summary. Returns NULL on ENOMEM. */
vc_program *vc_program_build(vc_tu *const *tus, int n_tus, const vc_model *m);
/* The same, handing hook(ctx, facts) the facts of every function whose
 * summary pass already saw the final summaries of all its callees (not
 * recursive: computed once, so callers need not compute them again). The
 * facts are freed after the hook returns; a hook result < 0 (ENOMEM) makes
 * the build fail. */
typedef int vc_facts_hook(void *ctx, const vc_facts *facts);
vc_program *vc_program_build_with(vc_tu *const *tus, int n_tus, const vc_model *m,
                                  vc_facts_hook *hook, void *hook_ctx);
/* Did fn's final facts go to the hook (see vc_program_build_with)? */
bool        vc_program_hooked(const vc_program *p, const vc_func *fn);
void        vc_program_free(vc_program *p);
/* The lookup function for vc_facts_compute, ctx = a vc_program_scope. */
typedef struct vc_program_scope {
    const vc_program *prog;
    const vc_tu *tu;                /* statics of this TU come first */
} vc_program_scope;
const struct vc_summary *vc_program_lookup(void *scope, const char *name);

#endif /* VC_SUMMARY_H */
