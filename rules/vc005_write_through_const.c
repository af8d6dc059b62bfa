/*
 * vc005_write_through_const.c - VC005: a write reaches an array the
 * function holds only through a `const` handle (a const parameter or
 * variable, or a struct member of type `const nd_array *`): through a view
 * of it, a raw pointer into it, a cast, or a callee that writes
 * (catalogue: rules/README.md).
 *
 * Key idea: values copied into a const handle or read from a const member
 * (vc_operand.pointee_const) are flagged const, and views and raw pointers
 * inherit the flag (transfer.c); every write event on a flagged value
 * breaks the promise, observed or not, including writes to a maybe-view (a
 * reshape of it: the promise then holds only by luck of layout). Read-only
 * views are left to VC009.
 * Invariant: at most one VC005 per write instruction.
 */
#include <stdlib.h>

#include "rule.h"

int vc_rule_write_through_const(const vc_rule_ctx *c)
{
    const vc_facts *f = c->f;
    bool *seen = calloc((size_t)f->n_insts + 1, sizeof *seen);
    if (!seen)
        return -1;
    int rc = 0;
    for (int i = 0; i < f->n_events && rc == 0; i++) {
        const vc_event *ev = &f->events[i];
        const vc_val *v = &f->vals[ev->val];
        if (!(v->flags & VC_VAL_CONST) || (v->flags & VC_VAL_READONLY) ||
            !vc_rule_first(seen, ev->inst))
            continue;
        const vc_inst *w = f->inst[ev->inst];
        char view[128], base[128];
        vc_rule_view_name(f, ev, view, sizeof view);
        vc_obj_name(f, v->obj, base, sizeof base);
        vc_diag *d;
        if (ev->how == VC_HOW_CALLEE)
            d = vc_rule_emit(c, w->loc,
                             "'%s' is passed to '%s', which writes it: this changes "
                             "'%s', which is held through a const handle",
                             view, w->callee ? w->callee : "a function", base);
        else
            d = vc_rule_emit(c, w->loc,
                             "write through '%s' changes '%s', which is held "
                             "through a const handle", view, base);
        if (!d || vc_rule_flow_notes(f, ev, d) < 0)
            rc = -1;
    }
    free(seen);
    return rc;
}
