/*
 * vc002_write_to_copy_lost.c - VC002: a write to an array made by copying
 * indexing (an index holding a list or mask, take, compress, ix) that is
 * never observed afterwards: the author expected it to reach the source,
 * the "a[0] vs a[[0]]" trap (catalogue: rules/README.md).
 *
 * Key idea: the copy is a fresh object flagged copy-by-indexing; the flow
 * facts record for every write event whether the object is read at all
 * later (through any alias, including the written one). A write none of
 * whose events is ever followed by a read is lost.
 * Invariant: at most one VC002 per write instruction.
 */
#include <stdlib.h>

#include "rule.h"

/* Is every copy-by-indexing event of write instruction `inst` unused? */
static bool all_lost(const vc_facts *f, int inst)
{
    bool any = false;
    for (int i = 0; i < f->n_events; i++) {
        const vc_event *ev = &f->events[i];
        if (ev->inst != inst)
            continue;
        if (!(f->objs[f->vals[ev->val].obj].flags & VC_OBJ_COPYIDX) || ev->used_any)
            return false;
        any = true;
    }
    return any;
}

int vc_rule_write_to_copy_lost(const vc_rule_ctx *c)
{
    const vc_facts *f = c->f;
    bool *seen = calloc((size_t)f->n_insts + 1, sizeof *seen);
    if (!seen)
        return -1;
    int rc = 0;
    for (int i = 0; i < f->n_events && rc == 0; i++) {
        const vc_event *ev = &f->events[i];
        const vc_val *v = &f->vals[ev->val];
        const vc_obj *o = &f->objs[v->obj];
        if (!(o->flags & VC_OBJ_COPYIDX) || o->kind != VC_OBJ_SITE ||
            !vc_rule_first(seen, ev->inst) || !all_lost(f, ev->inst))
            continue;
        const vc_inst *site = f->inst[o->idx];
        const vc_model_fn *m = vc_rule_site_model(f, o->idx);
        char copy[128];
        vc_rule_view_name(f, ev, copy, sizeof copy);
        const char *src = "its source";
        if (m && m->of >= 0 && m->of < site->n_args && site->args[m->of].text)
            src = site->args[m->of].text;
        vc_diag *d = vc_rule_emit(
            c, f->inst[ev->inst]->loc,
            "write to '%s' is lost: it is a copy made by indexing '%s' and is "
            "never read afterwards%s%s", copy, src, m && m->hint ? "; " : "",
            m && m->hint ? m->hint : "");
        if (!d || vc_diag_note(d, site->loc, "the copy is made here%s%s",
                               site->callee ? " by " : "",
                               site->callee ? site->callee : "") < 0)
            rc = -1;
    }
    free(seen);
    return rc;
}
