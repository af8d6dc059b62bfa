/*
 * rules.c - the rule table (rules.def) behind analysis.h's vc_rule_*
 * functions, and the helpers every rule shares (contract in rule.h).
 *
 * Key idea: a rule is a row of rules.def; the X-macro expands the same
 * rows into the table of ids, names and severities and into the function
 * pointers, so adding a rule is one row plus one file.
 * Not done here: deciding anything (each rule's own file does).
 */
#include "rule.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct rule_row {
    const char *id, *name, *severity, *summary;
    vc_rule_fn *fn;
} rule_row;

static const rule_row rules[] = {
#define VC_RULE(id, name, sev, summary, fn) {id, name, sev, summary, fn},
#include "rules.def"
#undef VC_RULE
};

#define N_RULES ((int)(sizeof rules / sizeof rules[0]))

int vc_rule_count(void) { return N_RULES; }

const char *vc_rule_id(int i) { return i >= 0 && i < N_RULES ? rules[i].id : NULL; }

const char *vc_rule_name(int i) { return i >= 0 && i < N_RULES ? rules[i].name : NULL; }

const char *vc_rule_summary(int i)
{
    return i >= 0 && i < N_RULES ? rules[i].summary : NULL;
}

int vc_rule_index(const char *id_or_name)
{
    if (!id_or_name)
        return -1;
    for (int i = 0; i < N_RULES; i++)
        if (strcasecmp(rules[i].id, id_or_name) == 0 ||
            strcmp(rules[i].name, id_or_name) == 0)
            return i;
    return -1;
}

int vc_rule_run(int i, const vc_facts *f, vc_report *out)
{
    if (i < 0 || i >= N_RULES)
        return 0;
    vc_rule_ctx c = {f, out, rules[i].id, rules[i].name, rules[i].severity};
    return rules[i].fn(&c);
}

/* ---- helpers -------------------------------------------------------------- */

vc_diag *vc_rule_emit(const vc_rule_ctx *c, vc_loc loc, const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    vc_diag *d = vc_report_add(c->out, c->id, c->name, c->severity, loc,
                               c->f->fn->name, "%s", msg);
    free(msg);
    return d;
}

const char *vc_rule_view_name(const vc_facts *f, const vc_event *ev, char *buf,
                              size_t size)
{
    const vc_inst *w = f->inst[ev->inst];
    const vc_val *v = &f->vals[ev->val];
    if (v->site >= 0) {
        const vc_inst *s = f->inst[v->site];
        bool elem = false;
        for (int i = 0; i < s->dst.n_steps; i++)
            elem |= s->dst.step[i].kind == VC_STEP_ELEM;
        /* b = bundle_new(X) returning a struct pointer whose b->head is
           the view: the written operand names it better than b */
        const vc_operand *a = w->kind == VC_I_CALL && ev->arg >= 0 && ev->arg < w->n_args
                                  ? &w->args[ev->arg] : NULL;
        if (a && a->kind == VC_OP_PATH && a->text && a->path.var == s->dst.var &&
            a->path.n_steps > s->dst.n_steps) {
            snprintf(buf, size, "%s", a->text);
            return buf;
        }
        if (s->kind == VC_I_CALL && s->dst.var >= 0 && !elem &&
            !f->fn->vars[s->dst.var].is_temp)
            return vc_path_text(f, &s->dst, buf, size);
    }
    if (w->kind == VC_I_STORE && w->src.text) {
        snprintf(buf, size, "%s", w->src.text);
        return buf;
    }
    if (w->kind == VC_I_CALL && ev->arg >= 0 && ev->arg < w->n_args) {
        const vc_operand *a = &w->args[ev->arg];
        if (a->kind == VC_OP_PATH && a->text && a->path.var >= 0 &&
            !f->fn->vars[a->path.var].is_temp) {
            snprintf(buf, size, "%s", a->text);
            return buf;
        }
    }
    if (v->site < 0)
        return vc_obj_name(f, v->obj, buf, size);
    snprintf(buf, size, "a view");
    return buf;
}

const vc_model_fn *vc_rule_site_model(const vc_facts *f, int site)
{
    if (site < 0 || site >= f->n_insts)
        return NULL;
    const vc_inst *s = f->inst[site];
    return s->kind == VC_I_CALL && s->callee ? vc_model_find(f->model, s->callee) : NULL;
}

bool vc_rule_window_write(const vc_facts *f, const vc_event *ev)
{
    const vc_val *v = &f->vals[ev->val];
    return ev->how != VC_HOW_CALLEE && v->site >= 0 && f->made_here[v->site] &&
           !f->used_after_write[v->site];
}

int vc_rule_flow_notes(const vc_facts *f, const vc_event *ev, vc_diag *d)
{
    const vc_val *v = &f->vals[ev->val];
    char base[128];
    vc_obj_name(f, v->obj, base, sizeof base);
    if (v->site >= 0) {
        const vc_inst *s = f->inst[v->site];
        if (vc_diag_note(d, s->loc, "the view of '%s' is made here%s%s", base,
                         s->callee ? " by " : "", s->callee ? s->callee : "") < 0)
            return -1;
    }
    if (ev->how == VC_HOW_CALLEE && ev->callee_loc.line > 0) {
        const vc_inst *w = f->inst[ev->inst];
        /* the deepest write: in the callee or in one of its own callees */
        if (vc_diag_note(d, ev->callee_loc, "the call of '%s' writes it here",
                         w->callee ? w->callee : "the callee") < 0)
            return -1;
    }
    if (!ev->observed || ev->obs_inst < 0)
        return 0;
    const vc_inst *o = f->inst[ev->obs_inst];
    /* f(view, parent): the callee itself reads the parent after its write */
    if (ev->obs_inst == ev->inst && ev->how == VC_HOW_CALLEE && o->callee)
        return vc_diag_note(d, o->loc, "'%s' then reads '%s' itself", o->callee, base) < 0
                   ? -1 : 0;
    if (vc_diag_note(d, o->loc, "'%s' is observed here", base) < 0)
        return -1;
    return 0;
}

bool vc_rule_first(bool *seen, int inst)
{
    if (seen[inst])
        return false;
    seen[inst] = true;
    return true;
}
