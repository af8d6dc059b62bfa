/*
 * setup.c - what the flow analysis works out about a function before it
 * iterates (dataflow.c): its locations, and per call instruction the model
 * entry or callee summary that applies and the parsed index literal.
 *
 * Key idea: everything here depends only on the text of the function, so
 * it is computed once. Index arguments are resolved to literals where the
 * text allows it: a string literal, a local variable that only ever holds
 * one literal (`const char *rows = ":800";`), and for printf-style formats
 * the arguments that are constants or variables fixed for the whole
 * function (symbols, region.h). Arrays of run-time index items
 * (nd_get_items) are classified from the item macros that initialize them.
 *
 * Invariants: every location a transfer function can touch is interned
 * here (prefixes included, sub-paths of struct and pointer copies, callee
 * summary paths at each call), so transfer.c never interns locations; the
 * sub-location lists are complete.
 * Not done here: iterating, deciding, reporting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataflow_int.h"

static int intern_op_paths(engine *e, const vc_operand *o)
{
    if ((o->kind == VC_OP_PATH || o->kind == VC_OP_ADDR) && o->path.var >= 0) {
        vc_path p = o->path;
        /* every prefix too: assigning d kills d.val (sub_locs) */
        for (int k = 0; k <= o->path.n_steps; k++) {
            p.n_steps = k;
            if (vc__loc_intern(e, &p) == -2)
                return -1;
        }
    }
    return 0;
}

static int intern_path(engine *e, const vc_path *path)
{
    vc_operand o;
    memset(&o, 0, sizeof o);
    o.kind = VC_OP_PATH;
    o.path = *path;
    return intern_op_paths(e, &o);
}

static bool is_prefix(const vc_path *a, const vc_path *b)
{
    if (a->var != b->var || a->n_steps >= b->n_steps)
        return false;
    vc_path t = *b;
    t.n_steps = a->n_steps;
    return vc__path_eq(a, &t);
}

/* Interns the locations copy_subpaths and summaries will touch, then
 * indexes sub-locations. Copies may chain (a = b; c = a), so repeat until
 * no new location appears. */
int vc__setup_locs(engine *e)
{
    vc_facts *f = e->f;
    for (int p = 0; p < f->fn->n_params; p++) {
        vc_path pp = {.var = p};
        if (intern_path(e, &pp) < 0)
            return -1;
    }
    for (int i = 0; i < f->n_insts; i++) {
        const vc_inst *in = f->inst[i];
        if (intern_path(e, &in->dst) < 0 || intern_op_paths(e, &in->src) < 0)
            return -1;
        for (int a = 0; a < in->n_args; a++)
            if (intern_op_paths(e, &in->args[a]) < 0)
                return -1;
        const vc_summary *s = e->callee[i];
        for (int k = 0; s && k < s->n_writes + s->n_reads + s->n_outs; k++) {
            const vc_path *at = k < s->n_writes ? &s->writes[k].at
                                : k < s->n_writes + s->n_reads
                                    ? &s->reads[k - s->n_writes].at
                                    : &s->outs[k - s->n_writes - s->n_reads].at;
            bool ok;
            vc_path p = vc__callee_target(in, at, &ok);
            if (ok && intern_path(e, &p) < 0)
                return -1;
        }
        for (int k = 0; s && in->dst.var >= 0 && k < s->n_ret_outs; k++) {
            vc_path p;
            if (vc__ret_part_path(&in->dst, &s->ret_outs[k].at, &p) && intern_path(e, &p) < 0)
                return -1;
        }
    }
    for (int round = 0, before = -1; before != f->n_locs && round < 8; round++) {
        before = f->n_locs;
        for (int i = 0; i < f->n_insts; i++) {
            const vc_inst *in = f->inst[i];
            if (in->kind != VC_I_COPY || in->src.kind != VC_OP_PATH ||
                in->dst.var < 0)
                continue;
            int n = f->n_locs;
            for (int l = 0; l < n; l++) {
                if (!is_prefix(&in->src.path, &f->locs[l]))
                    continue;
                vc_path dp = in->dst;
                for (int k = in->src.path.n_steps;
                     k < f->locs[l].n_steps && dp.n_steps < VC_MAX_STEPS; k++)
                    dp.step[dp.n_steps++] = f->locs[l].step[k];
                if (intern_path(e, &dp) < 0)
                    return -1;
            }
        }
    }
    /* sub-locations, grouped by variable to stay near-linear */
    int n = f->n_locs;
    e->sub_locs = calloc((size_t)n + 1, sizeof *e->sub_locs);
    e->n_sub = calloc((size_t)n + 1, sizeof *e->n_sub);
    int *by_var_head = malloc(((size_t)f->fn->n_vars + 1) * sizeof(int));
    int *next = malloc(((size_t)n + 1) * sizeof(int));
    if (!e->sub_locs || !e->n_sub || !by_var_head || !next) {
        free(by_var_head);
        free(next);
        return -1;
    }
    for (int v = 0; v <= f->fn->n_vars; v++)
        by_var_head[v] = -1;
    for (int l = n - 1; l >= 0; l--) {
        next[l] = by_var_head[f->locs[l].var];
        by_var_head[f->locs[l].var] = l;
    }
    int rc = 0;
    for (int l = 0; l < n && rc == 0; l++) {
        for (int m = by_var_head[f->locs[l].var]; m >= 0; m = next[m]) {
            if (!is_prefix(&f->locs[l], &f->locs[m]))
                continue;
            int *p = realloc(e->sub_locs[l], (size_t)(e->n_sub[l] + 1) * sizeof *p);
            if (!p) {
                rc = -1;
                break;
            }
            e->sub_locs[l] = p;
            p[e->n_sub[l]++] = m;
        }
    }
    free(by_var_head);
    free(next);
    return rc;
}

/* Local variables that only ever hold one string literal (`const char
 * *rows = ":800";`): lits[v] is its COPY's operand, NULL otherwise. */
static const vc_operand **string_vars(const vc_facts *f)
{
    int nv = f->fn->n_vars;
    const vc_operand **lits = calloc((size_t)nv + 1, sizeof *lits);
    bool *other = calloc((size_t)nv + 1, sizeof *other);
    if (!lits || !other) {
        free(lits);
        free(other);
        return NULL;
    }
    for (int v = 0; v < nv; v++)
        other[v] = f->fn->vars[v].is_param || f->fn->vars[v].is_global ||
                   f->fn->vars[v].is_static_local;
    for (int i = 0; i < f->n_insts; i++) {
        const vc_inst *in = f->inst[i];
        for (int a = 0; a < in->n_args; a++)
            if (in->args[a].kind == VC_OP_ADDR && in->args[a].path.var >= 0)
                other[in->args[a].path.var] = true;
        int v = in->dst.var;
        if (v < 0 || in->kind == VC_I_STORE || in->kind == VC_I_LOAD ||
            in->kind == VC_I_ESCAPE || in->kind == VC_I_RETURN)
            continue;
        if (in->dst.n_steps > 0 || in->kind != VC_I_COPY ||
            in->src.kind != VC_OP_STRING ||
            (lits[v] && (lits[v]->len != in->src.len ||
                         memcmp(lits[v]->str, in->src.str, in->src.len) != 0)))
            other[v] = true;
        else
            lits[v] = &in->src;
    }
    for (int v = 0; v < nv; v++)
        if (other[v])
            lits[v] = NULL;
    free(other);
    return lits;
}

static const vc_operand *string_of(const vc_facts *f, const vc_operand **lits,
                                   const vc_operand *o)
{
    if (o->kind == VC_OP_STRING)
        return o->str ? o : NULL;
    if (o->kind == VC_OP_PATH && o->path.n_steps == 0 && o->path.var >= 0 &&
        o->path.var < f->fn->n_vars && lits)
        return lits[o->path.var];
    return NULL;
}

/* The field names in a local array of string literals passed as `o`
 * (`const char *xy[] = {"x", "y"}; nd_fields(rec, 2, xy)`): every store
 * to the array must be a literal, and the array must not be handed to a
 * function the model does not know (it could fill it). Sets r to those
 * fields and returns true; false when the names are not known. */
static bool field_list(const vc_facts *f, const vc_operand *o, vc_region *r)
{
    int var = o->path.var;
    if ((o->kind != VC_OP_PATH && o->kind != VC_OP_ADDR) || var < 0 ||
        var >= f->fn->n_vars || o->path.n_steps > 1 ||
        (o->path.n_steps == 1 && o->path.step[0].kind != VC_STEP_ELEM))
        return false;
    const vc_var *v = &f->fn->vars[var];
    if (v->is_param || v->is_global || v->is_static_local || !v->is_aggregate)
        return false;
    vc_region_whole(r);
    r->whole = false;
    for (int i = 0; i < f->n_insts; i++) {
        const vc_inst *in = f->inst[i];
        for (int a = 0; in->kind == VC_I_CALL && a < in->n_args; a++)
            if (in->args[a].path.var == var && in->args[a].kind == VC_OP_ADDR &&
                (!in->callee || !vc_model_find(f->model, in->callee)))
                return false;
        if (in->dst.var != var || in->kind == VC_I_RETURN)
            continue;
        if (in->kind != VC_I_COPY || in->src.kind != VC_OP_STRING || !in->src.str ||
            in->src.len >= VC_REGION_FIELD_LEN)
            return false;
        bool dup = false;
        for (int k = 0; k < r->n_fields && !dup; k++)
            dup = strlen(r->fields[k]) == in->src.len &&
                  memcmp(r->fields[k], in->src.str, in->src.len) == 0;
        if (dup)
            continue;
        if (r->n_fields == VC_REGION_MAX_FIELDS)
            return false;
        memcpy(r->fields[r->n_fields], in->src.str, in->src.len);
        r->fields[r->n_fields++][in->src.len] = 0;
    }
    return r->n_fields > 0;
}

/* What a local array of index items passed as `o` holds, from the macros
 * that build its elements (`struct nd_index it[] = {ND_AT(0), ND_ARRAY(x)}`:
 * each initializer is an instruction tagged with its macro): VC_IDX_ADVANCED
 * when some item the call uses is a list or mask (the model's "advanced"
 * macros; the result is a copy, as in NumPy), VC_IDX_BASIC when every item
 * is basic (a view), VC_IDX_RUNTIME when unsure: any store to the array
 * not made by a known item macro (`it[0] = v`, `it[0].kind = ...`), the
 * array handed to a function the model does not know, or an advanced item
 * that may lie past a count not known to cover it. */
static vc_idx_kind item_list(const vc_facts *f, const vc_inst *call, const vc_model_fn *m)
{
    const vc_operand *o = &call->args[m->items];
    int var = o->path.var;
    if ((o->kind != VC_OP_PATH && o->kind != VC_OP_ADDR) || var < 0 ||
        var >= f->fn->n_vars || o->path.n_steps > 1 ||
        (o->path.n_steps == 1 && o->path.step[0].kind != VC_STEP_ELEM))
        return VC_IDX_RUNTIME;
    const vc_var *v = &f->fn->vars[var];
    if (v->is_param || v->is_global || v->is_static_local || !v->is_aggregate)
        return VC_IDX_RUNTIME;
    int n = 0;
    bool advanced = false;
    for (int i = 0; i < f->n_insts; i++) {
        const vc_inst *in = f->inst[i];
        for (int a = 0; in->kind == VC_I_CALL && a < in->n_args; a++)
            if (in->args[a].path.var == var && in->args[a].kind == VC_OP_ADDR &&
                (!in->callee || !vc_model_find(f->model, in->callee)))
                return VC_IDX_RUNTIME;
        if (in->dst.var != var || in->kind == VC_I_RETURN)
            continue;
        int k = in->kind == VC_I_HAVOC && in->dst.n_steps == 1
                    ? vc_model_item_macro(f->model, in->macro) : 0;
        if (k == 0)
            return VC_IDX_RUNTIME;
        n++;
        advanced |= k == 2;
    }
    if (n == 0)
        return VC_IDX_RUNTIME;
    if (!advanced)
        return VC_IDX_BASIC;
    /* initializers fill elements 0, 1, ... in order: a count of at least
       n covers every one of them */
    const vc_operand *cnt = m->n_items < call->n_args ? &call->args[m->n_items] : NULL;
    return cnt && cnt->kind == VC_OP_INT && cnt->ival >= n ? VC_IDX_ADVANCED
                                                            : VC_IDX_RUNTIME;
}

/* Variables that hold one value for the whole function: parameters never
 * assigned, locals assigned once, neither with its address taken. Two
 * index formats filled from one of them see the same number. */
static bool *stable_vars(const vc_facts *f)
{
    int nv = f->fn->n_vars;
    bool *stable = calloc((size_t)nv + 1, sizeof *stable);
    int *defs = calloc((size_t)nv + 1, sizeof *defs);
    if (!stable || !defs) {
        free(stable);
        free(defs);
        return NULL;
    }
    for (int i = 0; i < f->n_insts; i++) {
        const vc_inst *in = f->inst[i];
        for (int a = 0; a < in->n_args; a++)
            if (in->args[a].kind == VC_OP_ADDR && in->args[a].path.var >= 0)
                defs[in->args[a].path.var] += 2;
        if ((in->kind == VC_I_COPY || in->kind == VC_I_CALL || in->kind == VC_I_HAVOC) &&
            in->dst.var >= 0)
            defs[in->dst.var] += in->dst.n_steps == 0 ? 1 : 2;
    }
    for (int v = 0; v < nv; v++) {
        const vc_var *x = &f->fn->vars[v];
        stable[v] = !x->is_global && !x->is_static_local &&
                    defs[v] <= (x->is_param ? 0 : 1);
    }
    free(defs);
    return stable;
}

/* What the analysis knows of the arguments filling an index format. */
static int format_args(const vc_facts *f, const bool *stable, const vc_inst *in,
                       int fmt, vc_fmt_arg *out, int max)
{
    int n = 0;
    for (int a = fmt + 1; a < in->n_args && n < max; a++, n++) {
        const vc_operand *o = &in->args[a];
        memset(&out[n], 0, sizeof out[n]);
        if (o->kind == VC_OP_INT) {
            out[n].known = true;
            out[n].value = o->ival;
        } else if (o->kind == VC_OP_PATH && o->path.n_steps == 0 && o->path.var >= 0 &&
                   o->path.var < f->fn->n_vars && stable && stable[o->path.var]) {
            out[n].sym = o->path.var + 1;
        }
    }
    return n;
}

/* Per-instruction caches: model, summary, parsed index literals. */
int vc__setup_insts(engine *e)
{
    vc_facts *f = e->f;
    int n = f->n_insts;
    const vc_operand **lits = string_vars(f);
    bool *stable = stable_vars(f);
    e->mfn = calloc((size_t)n + 1, sizeof *e->mfn);
    e->callee = calloc((size_t)n + 1, sizeof *e->callee);
    e->idx = calloc((size_t)n + 1, sizeof *e->idx);
    e->field_region = calloc((size_t)n + 1, sizeof *e->field_region);
    f->made_here = calloc((size_t)n + 1, sizeof *f->made_here);
    f->used_after_write = calloc((size_t)n + 1, sizeof *f->used_after_write);
    vc_region whole;
    vc_region_whole(&whole);
    if (!lits || !stable || !e->mfn || !e->callee || !e->idx || !e->field_region ||
        !f->made_here || !f->used_after_write || vc__region_intern(e, &whole) != 0) {
        free(lits);
        free(stable);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const vc_inst *in = f->inst[i];
        e->idx[i].kind = VC_IDX_RUNTIME;
        if (in->kind != VC_I_CALL || !in->callee)
            continue;
        const vc_model_fn *m = vc_model_find(f->model, in->callee);
        if (!m) {
            e->callee[i] = e->lookup ? e->lookup(e->lookup_ctx, in->callee) : NULL;
            continue;
        }
        e->mfn[i] = m;
        f->made_here[i] = m->result == VC_RES_VIEW || m->result == VC_RES_INDEX_VIEW ||
                          m->result == VC_RES_MAYBE_VIEW ||
                          m->result == VC_RES_READONLY_VIEW;
        int a = m->index >= 0 ? m->index : m->format;
        vc_region reg = whole;
        vc_index_info info;         /* only its kind is kept (e->idx) */
        info.kind = VC_IDX_RUNTIME;
        const vc_operand *lit = a >= 0 && a < in->n_args ? string_of(f, lits, &in->args[a])
                                                         : NULL;
        if (lit && m->format >= 0) {
            vc_fmt_arg args[16];
            int na = format_args(f, stable, in, m->format, args, 16);
            vc_index_analyze_fmt(lit->str, lit->len, na, args, &info);
        } else if (lit) {
            vc_index_analyze(lit->str, lit->len, false, &info);
        }
        if (lit) {
            e->idx[i].kind = info.kind;
            reg = info.region;
            if (info.kind == VC_IDX_ERROR) {
                if (vc__grow((void **)&f->bad, &f->cap_bad, f->n_bad + 1, sizeof *f->bad) < 0) {
                    free(lits);
                    free(stable);
                    return -1;
                }
                vc_bad_index *b = &f->bad[f->n_bad++];
                b->inst = i;
                b->arg = a;
                snprintf(b->text, sizeof b->text, "%.*s", (int)lit->len, lit->str);
                snprintf(b->message, sizeof b->message, "%s", info.message);
            }
        }
        lit = m->field >= 0 && m->field < in->n_args ? string_of(f, lits, &in->args[m->field])
                                                     : NULL;
        if (lit)
            vc_region_field(&reg, lit->str);
        if (m->items >= 0 && m->items < in->n_args && m->n_items < in->n_args)
            e->idx[i].kind = item_list(f, in, m);
        vc_region names;
        if (m->fields >= 0 && m->fields < in->n_args && field_list(f, &in->args[m->fields], &names))
            reg = names;
        e->field_region[i] = vc__region_intern(e, &reg);
        if (e->field_region[i] < 0) {
            free(lits);
            free(stable);
            return -1;
        }
    }
    free(lits);
    free(stable);
    return 0;
}
