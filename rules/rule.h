/*
 * rule.h - what a rule sees and the helpers rules share. A rule is one
 * function over the flow facts of one analyzed function (dataflow.h),
 * registered in rules.def; it appends diagnostics to a report and knows no
 * API names (those live in the model).
 */
#ifndef VC_RULE_H
#define VC_RULE_H

#include "dataflow.h"
#include "report.h"

typedef struct vc_rule_ctx {
    const vc_facts *f;
    vc_report *out;
    const char *id, *name, *severity;   /* this rule's row of rules.def */
} vc_rule_ctx;

/* A rule: 0, or -1 on ENOMEM. */
typedef int vc_rule_fn(const vc_rule_ctx *ctx);

#define VC_RULE(id, name, sev, summary, fn) vc_rule_fn fn;
#include "rules.def"
#undef VC_RULE

/* Runs rule i of rules.def on the facts of one function. */
int vc_rule_run(int i, const vc_facts *f, vc_report *out);

/* ---- helpers (rules.c) ---------------------------------------------------- */

/* Adds a diagnostic of this rule in the analyzed function; NULL on ENOMEM. */
vc_diag *vc_rule_emit(const vc_rule_ctx *c, vc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A name for the handle an event writes through ("row", "d->val", "a view"). */
const char *vc_rule_view_name(const vc_facts *f, const vc_event *ev, char *buf,
                              size_t size);
/* A window write (rules/README.md, VC001): explicit in the function that
 * made the view, and the view is only released or dropped afterwards. */
bool vc_rule_window_write(const vc_facts *f, const vc_event *ev);
/* The model entry of the instruction that made the view (or object) of an
 * event's value, or NULL. */
const vc_model_fn *vc_rule_site_model(const vc_facts *f, int site);
/* Notes every flow diagnostic carries: where the view was made, where a
 * callee writes, where the parent is observed (when known). */
int vc_rule_flow_notes(const vc_facts *f, const vc_event *ev, vc_diag *d);
/* True once per write instruction per rule: marks seen[inst]. */
bool vc_rule_first(bool *seen, int inst);
/* VC001 and VC003 (vc001_write_through_view.c): definite or maybe views. */
int vc__view_write_rule(const vc_rule_ctx *c, bool maybe);

#endif /* VC_RULE_H */
