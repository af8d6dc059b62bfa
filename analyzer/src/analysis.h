/*
 * analysis.h - the entry point of the analysis half (model, dataflow,
 * summaries, rules), called by the driver once every translation unit of a
 * run has been lowered to IR. Nothing here knows libclang or any libnd name:
 * what an API call does comes from the loaded model files.
 */
#ifndef VC_ANALYSIS_H
#define VC_ANALYSIS_H

#include "ir.h"
#include "report.h"

typedef struct vc_model vc_model;   /* model.c: rules/models/<api>.json loaded */

/* Loads one model file (schema: rules/models/SCHEMA.md) and merges it into
 * *model (allocating it when *model is NULL). Returns 0, or -1 with a
 * message "file: what is wrong" in err (caller frees) — a bad model is a
 * usage error (exit 2). */
int  vc_model_load(vc_model **model, const char *path, char **err);
void vc_model_free(vc_model *model);

/* Rule selection: enabled[i] for rule i of rules/rules.def. */
int         vc_rule_count(void);
const char *vc_rule_id(int i);       /* "VC001" */
const char *vc_rule_name(int i);     /* "write-through-view" */
const char *vc_rule_summary(int i);  /* one line, for SARIF/--list-rules */
int         vc_rule_index(const char *id_or_name);   /* -1 if unknown */

/* Analyzes a whole run: builds per-function summaries bottom-up over the
 * call graph of all functions in `tus` (functions of the same name in
 * several TUs: static ones stay per TU), then runs every enabled rule on
 * every function, appending diagnostics to `out`. Deterministic: the result
 * does not depend on the order of `tus`. Returns 0, -1 on ENOMEM. */
int vc_analyze(vc_tu *const *tus, int n_tus, const vc_model *model,
               const bool *enabled, vc_report *out);

#endif /* VC_ANALYSIS_H */
