/*
 * vc009_write_to_readonly_view.c - VC009: a write through a read-only view
 * (broadcast_to, diagonal, and views of those), which fails at run time
 * (catalogue: rules/README.md).
 *
 * Key idea: read-only-ness is a value flag set by the model's
 * "readonly-view" result and inherited by views of the value; a maybe-view
 * of it may be a writable copy, so it drops the flag (transfer.c). A store
 * through its raw data pointer is reported too: it skips the run-time
 * check and scribbles on elements that alias each other (broadcast) or on
 * the parent's diagonal.
 * Invariant: at most one VC009 per write instruction.
 */
#include <stdlib.h>

#include "rule.h"

int vc_rule_write_to_readonly_view(const vc_rule_ctx *c)
{
    const vc_facts *f = c->f;
    bool *seen = calloc((size_t)f->n_insts + 1, sizeof *seen);
    if (!seen)
        return -1;
    int rc = 0;
    for (int i = 0; i < f->n_events && rc == 0; i++) {
        const vc_event *ev = &f->events[i];
        const vc_val *v = &f->vals[ev->val];
        if (!(v->flags & VC_VAL_READONLY) || !vc_rule_first(seen, ev->inst))
            continue;
        const vc_inst *w = f->inst[ev->inst];
        char view[128];
        vc_rule_view_name(f, ev, view, sizeof view);
        const vc_inst *s = v->site >= 0 ? f->inst[v->site] : NULL;
        const char *maker = s && s->callee ? s->callee : "a read-only view maker";
        vc_diag *d;
        if (ev->how == VC_HOW_CALLEE)
            d = vc_rule_emit(c, w->loc, "'%s', a read-only view made by %s, is passed "
                             "to '%s', which writes it: the write fails at run time",
                             view, maker, w->callee ? w->callee : "a function");
        else if (ev->how == VC_HOW_RAW)
            d = vc_rule_emit(c, w->loc, "store through a raw pointer into '%s', a "
                             "read-only view made by %s: it bypasses the read-only "
                             "check", view, maker);
        else
            d = vc_rule_emit(c, w->loc, "write through '%s', a read-only view made by "
                             "%s, fails at run time", view, maker);
        if (!d || vc_rule_flow_notes(f, ev, d) < 0)
            rc = -1;
    }
    free(seen);
    return rc;
}
