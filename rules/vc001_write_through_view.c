/*
 * vc001_write_through_view.c - VC001: a write through a view of B, then on
 * some path an observation of B through anything but that view
 * (catalogue: rules/README.md).
 *
 * Key idea: the flow facts already pair every write event with the later
 * reads that may overlap it (dataflow.c, transfer.c); this rule keeps the
 * events whose value is a definite view (VC003 takes the maybe-views, VC009 the
 * read-only ones, VC005 those reached through const) and drops window
 * writes: an explicit write in the function that made the view, after
 * which the view is only released - the deliberate in-place update of a
 * block or row.
 * Invariant: at most one VC001 per write instruction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

/* A copying twin for the view maker, offered when the view came from a
 * literal index (the same text selects the same elements). */
static int add_fix(const vc_facts *f, int site, vc_diag *d)
{
    const vc_model_fn *m = vc_rule_site_model(f, site);
    const vc_inst *s = f->inst[site];
    if (!m || !m->copy_with || m->index < 0 || m->index >= s->n_args ||
        s->args[m->index].kind != VC_OP_STRING || s->macro || s->loc.line == 0)
        return 0;
    vc_loc r = s->loc;
    r.end_line = r.line;
    r.end_col = r.col + (unsigned)strlen(s->callee);
    char desc[160];
    snprintf(desc, sizeof desc, "make a copy with %s instead of a view", m->copy_with);
    return vc_diag_fix(d, desc, r, m->copy_with);
}

int vc__view_write_rule(const vc_rule_ctx *c, bool maybe)
{
    const vc_facts *f = c->f;
    bool *seen = calloc((size_t)f->n_insts + 1, sizeof *seen);
    if (!seen)
        return -1;
    int rc = 0;
    for (int i = 0; i < f->n_events && rc == 0; i++) {
        const vc_event *ev = &f->events[i];
        const vc_val *v = &f->vals[ev->val];
        if (!(v->flags & VC_VAL_VIEW) || !ev->observed ||
            (v->flags & (VC_VAL_READONLY | VC_VAL_CONST)) ||
            !(v->flags & VC_VAL_MAYBE) != !maybe || vc_rule_window_write(f, ev) ||
            !vc_rule_first(seen, ev->inst))
            continue;
        const vc_inst *w = f->inst[ev->inst];
        char view[128], base[128];
        vc_rule_view_name(f, ev, view, sizeof view);
        vc_obj_name(f, v->obj, base, sizeof base);
        const char *what = maybe ? "which may be a view" : "a view";
        const vc_model_fn *sm = vc_rule_site_model(f, v->site);
        char tip[96] = "";
        if (sm && sm->copy_with)
            snprintf(tip, sizeof tip, " (%s makes a copy)", sm->copy_with);
        vc_diag *d;
        const vc_inst *si = v->site >= 0 ? f->inst[v->site] : NULL;
        if (strcmp(view, "a view") == 0 && si && si->callee) {
            /* no variable holds the view where it is made (a helper left
               it in a struct): say who made it */
            bool via = ev->how == VC_HOW_CALLEE && w->callee;
            d = vc_rule_emit(c, w->loc,
                             "%s of '%s', made by '%s', is %s%s%s: '%s' changes and is "
                             "observed afterwards%s",
                             maybe ? "an array that may be a view" : "a view", base,
                             si->callee, via ? "passed to '" : "written here",
                             via ? w->callee : "", via ? "', which writes it" : "",
                             base, tip);
        } else if (ev->how == VC_HOW_CALLEE)
            d = vc_rule_emit(c, w->loc,
                             "'%s', %s of '%s', is passed to '%s', which writes "
                             "it: '%s' changes and is observed afterwards%s",
                             view, what, base, w->callee ? w->callee : "a function",
                             base, tip);
        else
            d = vc_rule_emit(c, w->loc,
                             "write through '%s', %s of '%s', changes '%s', "
                             "which is observed afterwards%s", view, what, base, base,
                             tip);
        if (!d || vc_rule_flow_notes(f, ev, d) < 0 ||
            (v->site >= 0 && add_fix(f, v->site, d) < 0))
            rc = -1;
    }
    free(seen);
    return rc;
}

int vc_rule_write_through_view(const vc_rule_ctx *c)
{
    return vc__view_write_rule(c, false);
}
