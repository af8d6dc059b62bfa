/*
 * summary.c - per-function summaries over the call graph of every analyzed
 * function of a run (contract in summary.h).
 *
 * Key idea: a function's summary is read off its own flow facts
 * (dataflow.c): write events on objects that are parameters (or locations
 * reached from parameters, like d->val) say which parameters it writes and
 * how; observations of those objects say which it reads; the values it
 * returns and leaves in out-parameters are re-expressed relative to the
 * parameters. Callees are summarized before callers: Tarjan's algorithm
 * yields strongly connected components callees-first, and each component
 * (recursion) is iterated from empty summaries until no summary changes.
 *
 * Invariants:
 *  1. Summaries only grow while a component iterates (the flow analysis is
 *     monotone in callee summaries); a round cap bounds pathological cases.
 *  2. Name resolution: a call resolves to a function of the caller's own
 *     TU first (static or not), else to the first non-static definition in
 *     TU path order, so the result does not depend on the order of TUs.
 *  3. Returned views of fresh arrays are fresh for the caller: nobody else
 *     holds their base.
 * Not done here: rules; anything about functions without a body (they are
 * unknown functions or modelled ones).
 */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SCC_ROUNDS 12

/* ---- building one summary ------------------------------------------------ */

static bool path_same(const vc_path *a, const vc_path *b)
{
    if (a->var != b->var || a->n_steps != b->n_steps)
        return false;
    for (int i = 0; i < a->n_steps; i++)
        if (a->step[i].kind != b->step[i].kind ||
            (a->step[i].kind == VC_STEP_FIELD &&
             strcmp(a->step[i].name ? a->step[i].name : "",
                    b->step[i].name ? b->step[i].name : "") != 0))
            return false;
    return true;
}

/* The parameter-relative path of an object, when it has one. */
static bool obj_path(const vc_facts *f, int obj, vc_path *out)
{
    const vc_obj *o = &f->objs[obj];
    if (o->kind == VC_OBJ_PARAM) {
        memset(out, 0, sizeof *out);
        out->var = o->idx;
        return true;
    }
    if (o->kind == VC_OBJ_INIT && f->locs[o->idx].var < f->fn->n_params) {
        *out = f->locs[o->idx];
        return true;
    }
    return false;
}

/* Adds (or merges into) the entry for `at`; region NULL = whole. */
static int add_access(vc_sum_access **arr, int *n, const vc_path *at,
                      unsigned how, vc_loc loc, const vc_region *region)
{
    for (int i = 0; i < *n; i++)
        if (path_same(&(*arr)[i].at, at)) {
            (*arr)[i].how |= how;
            if (!region || !vc_region_eq(region, &(*arr)[i].region))
                vc_region_whole(&(*arr)[i].region);
            return 0;
        }
    vc_sum_access *p = realloc(*arr, (size_t)(*n + 1) * sizeof *p);
    if (!p)
        return -1;
    *arr = p;
    memset(&p[*n], 0, sizeof p[*n]);
    p[*n].at = *at;
    p[*n].how = how;
    p[*n].loc = loc;
    if (region)
        p[*n].region = *region;
    else
        vc_region_whole(&p[*n].region);
    (*n)++;
    return 0;
}

/* The region read, in the caller's terms (symbols are the callee's). */
static const vc_region *read_region(const vc_facts *f, int id, vc_region *buf)
{
    if (id <= 0)
        return NULL;
    *buf = f->regions[id];
    vc_region_drop_syms(buf);
    return buf;
}

/* Where the callee leaves a fresh array it made, for a view of it it also
 * hands back (d->all = nd_load_npy(..); d->feat = nd_get(d->all, ..)): a
 * location below a parameter holding the array itself at exit. The
 * caller then derives the view from what it finds there after the call,
 * so its d.feat stays a view of its d.all. */
static bool fresh_home(const vc_facts *f, int obj, vc_path *out)
{
    for (int l = 0; f->exit_loc_set && l < f->n_locs; l++) {
        const vc_path *p = &f->locs[l];
        if (p->var >= f->fn->n_params || p->n_steps == 0 || f->exit_loc_set[l] <= 0)
            continue;
        int k;
        const int *it = vc_set_items(f, f->exit_loc_set[l], &k);
        for (int i = 0; i < k; i++)
            if (f->vals[it[i]].obj == obj && !(f->vals[it[i]].flags & VC_VAL_VIEW)) {
                *out = *p;
                return true;
            }
    }
    return false;
}

static void sum_val_of(const vc_facts *f, int val, vc_sum_val *sv)
{
    const vc_val *v = &f->vals[val];
    const vc_obj *o = &f->objs[v->obj];
    memset(sv, 0, sizeof *sv);
    vc_region_whole(&sv->region);
    sv->kind = VC_SV_UNKNOWN;
    if (o->flags & VC_OBJ_FRESH) {
        if (!(v->flags & VC_VAL_VIEW) || !fresh_home(f, v->obj, &sv->at)) {
            sv->kind = VC_SV_FRESH;
            sv->obj_flags = o->flags & VC_OBJ_COPYIDX;
            return;
        }
    } else if (!obj_path(f, v->obj, &sv->at)) {
        return;
    }
    unsigned keep = VC_VAL_READONLY | VC_VAL_MAYBE | VC_VAL_AXES | VC_VAL_RAW;
    sv->flags = v->flags & keep;
    if (v->flags & VC_VAL_VIEW) {
        sv->kind = VC_SV_VIEW;
        sv->region = f->regions[v->region];
        vc_region_drop_syms(&sv->region);
    } else {
        sv->kind = VC_SV_ALIAS;
    }
}

static bool sum_val_same(const vc_sum_val *a, const vc_sum_val *b)
{
    return a->kind == b->kind && a->flags == b->flags && a->obj_flags == b->obj_flags &&
           (a->kind != VC_SV_ALIAS && a->kind != VC_SV_VIEW ? true
                                                            : path_same(&a->at, &b->at)) &&
           vc_region_eq(&a->region, &b->region);
}

/* Adds the values of set s to vals (collapsing to one unknown when full). */
static void add_vals(const vc_facts *f, int s, vc_sum_val *vals, int *n)
{
    int k;
    const int *it = vc_set_items(f, s, &k);
    for (int i = 0; i < k; i++) {
        vc_sum_val sv;
        sum_val_of(f, it[i], &sv);
        bool dup = false;
        for (int j = 0; j < *n && !dup; j++)
            dup = sum_val_same(&vals[j], &sv);
        if (dup)
            continue;
        if (*n == VC_SUM_MAX) {
            memset(vals, 0, sizeof *vals);
            vc_region_whole(&vals[0].region);
            vals[0].kind = VC_SV_UNKNOWN;
            *n = 1;
            return;
        }
        vals[(*n)++] = sv;
    }
}

void vc_summary_clear(vc_summary *s)
{
    free(s->writes);
    free(s->reads);
    free(s->outs);
    free(s->ret_outs);
    free(s->ret);
    const char *name = s->name;
    const vc_func *fn = s->fn;
    const vc_tu *tu = s->tu;
    memset(s, 0, sizeof *s);
    s->name = name;
    s->fn = fn;
    s->tu = tu;
}

/* Is every value of set s the location's own initial value? */
static bool only_initial(const vc_facts *f, int loc, int s)
{
    int k;
    const int *it = vc_set_items(f, s, &k);
    for (int i = 0; i < k; i++) {
        const vc_obj *o = &f->objs[f->vals[it[i]].obj];
        if (!(o->kind == VC_OBJ_INIT && o->idx == loc && !(f->vals[it[i]].flags & VC_VAL_VIEW)))
            return false;
    }
    return true;
}

int vc_summary_build(const vc_facts *f, vc_summary *out)
{
    vc_region rbuf;
    vc_summary_clear(out);
    for (int i = 0; i < f->n_events; i++) {
        const vc_event *ev = &f->events[i];
        vc_path at;
        if (!obj_path(f, f->vals[ev->val].obj, &at))
            continue;
        vc_loc loc = ev->how == VC_HOW_CALLEE ? ev->callee_loc : f->inst[ev->inst]->loc;
        /* the event's region is in the parameter's own elements:
           nd_set_scalar(a, ":2", 0) writes a[:2] only */
        if (add_access(&out->writes, &out->n_writes, &at, ev->how, loc,
                       read_region(f, f->vals[ev->val].region, &rbuf)) < 0)
            return -1;
    }
    for (int p = 0; p < f->fn->n_params && p < 64; p++) {
        vc_path at = {.var = p};
        if (f->param_read[p] &&
            add_access(&out->reads, &out->n_reads, &at, f->param_read[p], f->fn->loc,
                       read_region(f, f->param_read_region[p], &rbuf)) < 0)
            return -1;
    }
    for (int l = 0; l < f->n_locs; l++) {
        if (!f->loc_read[l] || f->locs[l].var >= f->fn->n_params)
            continue;
        if (add_access(&out->reads, &out->n_reads, &f->locs[l], f->loc_read[l],
                       f->fn->loc, read_region(f, f->loc_read_region[l], &rbuf)) < 0)
            return -1;
    }
    vc_sum_val ret[VC_SUM_MAX];
    int n_ret = 0;
    add_vals(f, f->ret_set, ret, &n_ret);
    if (n_ret > 0) {
        if (!(out->ret = malloc((size_t)n_ret * sizeof *ret)))
            return -1;
        memcpy(out->ret, ret, (size_t)n_ret * sizeof *ret);
        out->n_ret = n_ret;
    }
    for (int l = 0; f->exit_loc_set && l < f->n_locs; l++) {
        const vc_path *p = &f->locs[l];
        int s = f->exit_loc_set[l];
        if (p->var >= f->fn->n_params || p->n_steps == 0 || s == 0 ||
            only_initial(f, l, s))
            continue;
        vc_sum_out *o = realloc(out->outs, (size_t)(out->n_outs + 1) * sizeof *o);
        if (!o)
            return -1;
        out->outs = o;
        o = &out->outs[out->n_outs++];
        memset(o, 0, sizeof *o);
        o->at = *p;
        add_vals(f, s, o->vals, &o->n_vals);
    }
    for (int i = 0; i < f->n_ret_parts; i++) {
        vc_sum_out *o = realloc(out->ret_outs, (size_t)(out->n_ret_outs + 1) * sizeof *o);
        if (!o)
            return -1;
        out->ret_outs = o;
        o = &out->ret_outs[out->n_ret_outs++];
        memset(o, 0, sizeof *o);
        o->at = f->ret_parts[i].sub;
        add_vals(f, f->ret_parts[i].set, o->vals, &o->n_vals);
    }
    return 0;
}

static bool outs_same(const vc_sum_out *a, const vc_sum_out *b, int n)
{
    for (int i = 0; i < n; i++) {
        if (!path_same(&a[i].at, &b[i].at) || a[i].n_vals != b[i].n_vals)
            return false;
        for (int j = 0; j < a[i].n_vals; j++)
            if (!sum_val_same(&a[i].vals[j], &b[i].vals[j]))
                return false;
    }
    return true;
}

bool vc_summary_equal(const vc_summary *a, const vc_summary *b)
{
    if (a->n_writes != b->n_writes || a->n_reads != b->n_reads ||
        a->n_ret != b->n_ret || a->n_outs != b->n_outs || a->n_ret_outs != b->n_ret_outs ||
        !outs_same(a->ret_outs, b->ret_outs, a->n_ret_outs))
        return false;
    for (int i = 0; i < a->n_writes; i++)
        if (!path_same(&a->writes[i].at, &b->writes[i].at) ||
            a->writes[i].how != b->writes[i].how ||
            memcmp(&a->writes[i].region, &b->writes[i].region, sizeof a->writes[i].region))
            return false;
    for (int i = 0; i < a->n_reads; i++)
        if (!path_same(&a->reads[i].at, &b->reads[i].at) ||
            a->reads[i].how != b->reads[i].how ||
            !vc_region_eq(&a->reads[i].region, &b->reads[i].region))
            return false;
    for (int i = 0; i < a->n_ret; i++)
        if (!sum_val_same(&a->ret[i], &b->ret[i]))
            return false;
    for (int i = 0; i < a->n_outs; i++) {
        if (!path_same(&a->outs[i].at, &b->outs[i].at) ||
            a->outs[i].n_vals != b->outs[i].n_vals)
            return false;
        for (int j = 0; j < a->outs[i].n_vals; j++)
            if (!sum_val_same(&a->outs[i].vals[j], &b->outs[i].vals[j]))
                return false;
    }
    return true;
}

/* ---- the program: every function, its callees, summaries ----------------- */

typedef struct pfn {
    const vc_tu *tu;
    int tu_rank;                    /* position of tu in path order */
    const vc_func *fn;
    vc_summary sum;
    int *callees;
    int n_callees;
    /* Tarjan */
    int index, low;
    bool on_stack;
    bool hooked;                    /* its final facts went to the hook */
} pfn;

struct vc_program {
    const vc_model *model;
    int n;
    pfn *fns;
    int *by_name;                   /* indexes sorted by (name, tu_rank) */
    vc_facts_hook *hook;            /* see vc_program_build_with */
    void *hook_ctx;
    bool final_round;               /* the SCC being solved has one round:
                                       its callees are final, so are its
                                       facts */
};

static int by_name_cmp(const void *a, const void *b, void *ctx)
{
    const vc_program *p = ctx;
    const pfn *x = &p->fns[*(const int *)a], *y = &p->fns[*(const int *)b];
    int c = strcmp(x->fn->name, y->fn->name);
    if (c)
        return c;
    return (x->tu_rank > y->tu_rank) - (x->tu_rank < y->tu_rank);
}

/* The function `name` as seen from tu (invariant 2), or -1. */
static int resolve(const vc_program *p, const vc_tu *tu, const char *name)
{
    int lo = 0, hi = p->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (strcmp(p->fns[p->by_name[mid]].fn->name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int global = -1;
    for (int i = lo; i < p->n && strcmp(p->fns[p->by_name[i]].fn->name, name) == 0; i++) {
        const pfn *c = &p->fns[p->by_name[i]];
        if (c->tu == tu)
            return p->by_name[i];
        if (!c->fn->is_static && global < 0)
            global = p->by_name[i];
    }
    return global;
}

const struct vc_summary *vc_program_lookup(void *scope, const char *name)
{
    const vc_program_scope *s = scope;
    int k = resolve(s->prog, s->tu, name);
    return k < 0 ? NULL : &s->prog->fns[k].sum;
}

static int callees_of(vc_program *p, pfn *f)
{
    for (int b = 0; b < f->fn->n_blocks; b++)
        for (int i = 0; i < f->fn->blocks[b].n_insts; i++) {
            const vc_inst *in = &f->fn->blocks[b].insts[i];
            if (in->kind != VC_I_CALL || !in->callee ||
                vc_model_find(p->model, in->callee))
                continue;
            int k = resolve(p, f->tu, in->callee);
            if (k < 0)
                continue;
            int *q = realloc(f->callees, (size_t)(f->n_callees + 1) * sizeof *q);
            if (!q)
                return -1;
            f->callees = q;
            q[f->n_callees++] = k;
        }
    return 0;
}

static int summarize(vc_program *p, int k, bool *changed)
{
    pfn *f = &p->fns[k];
    vc_program_scope scope = {p, f->tu};
    vc_facts facts;
    vc_summary next;
    memset(&next, 0, sizeof next);
    next.name = f->sum.name;
    next.fn = f->fn;
    next.tu = f->tu;
    int rc = vc_facts_compute(f->tu, f->fn, p->model, vc_program_lookup, &scope, &facts);
    if (rc == 0)
        rc = vc_summary_build(&facts, &next);
    if (rc == 0 && p->hook && p->final_round && (rc = p->hook(p->hook_ctx, &facts)) == 0)
        f->hooked = true;
    vc_facts_free(&facts);
    if (rc < 0) {
        vc_summary_clear(&next);
        return -1;
    }
    if (!vc_summary_equal(&next, &f->sum)) {
        *changed = true;
        vc_summary_clear(&f->sum);
        f->sum = next;
    } else {
        vc_summary_clear(&next);
    }
    return 0;
}

static int solve_scc(vc_program *p, const int *members, int n)
{
    bool self_loop = false;
    for (int c = 0; c < p->fns[members[0]].n_callees; c++)
        self_loop |= p->fns[members[0]].callees[c] == members[0];
    int rounds = (n == 1 && !self_loop) ? 1 : MAX_SCC_ROUNDS;
    p->final_round = rounds == 1;
    for (int r = 0; r < rounds; r++) {
        bool changed = false;
        for (int i = 0; i < n; i++)
            if (summarize(p, members[i], &changed) < 0)
                return -1;
        if (!changed)
            break;
    }
    return 0;
}

/* Iterative Tarjan; components are solved as they complete (callees
 * first). */
static int tarjan(vc_program *p)
{
    int n = p->n, idx = 0, sp = 0, cs = 0, rc = 0;
    int *stack = malloc(((size_t)n + 1) * sizeof *stack);
    int *call_v = malloc(((size_t)n + 1) * sizeof *call_v);
    int *call_e = malloc(((size_t)n + 1) * sizeof *call_e);
    if (!stack || !call_v || !call_e) {
        rc = -1;
        goto out;
    }
    for (int i = 0; i < n; i++)
        p->fns[i].index = -1;
    for (int root = 0; root < n && rc == 0; root++) {
        if (p->fns[root].index >= 0)
            continue;
        call_v[cs] = root;
        call_e[cs++] = 0;
        p->fns[root].index = p->fns[root].low = idx++;
        stack[sp++] = root;
        p->fns[root].on_stack = true;
        while (cs > 0 && rc == 0) {
            int v = call_v[cs - 1];
            pfn *fv = &p->fns[v];
            if (call_e[cs - 1] < fv->n_callees) {
                int w = fv->callees[call_e[cs - 1]++];
                pfn *fw = &p->fns[w];
                if (fw->index < 0) {
                    fw->index = fw->low = idx++;
                    stack[sp++] = w;
                    fw->on_stack = true;
                    call_v[cs] = w;
                    call_e[cs++] = 0;
                } else if (fw->on_stack && fw->index < fv->low) {
                    fv->low = fw->index;
                }
                continue;
            }
            if (fv->low == fv->index) {
                int start = sp;
                do {
                    start--;
                    p->fns[stack[start]].on_stack = false;
                } while (stack[start] != v);
                rc = solve_scc(p, stack + start, sp - start);
                sp = start;
            }
            cs--;
            if (cs > 0) {
                pfn *parent = &p->fns[call_v[cs - 1]];
                if (fv->low < parent->low)
                    parent->low = fv->low;
            }
        }
    }
out:
    free(stack);
    free(call_v);
    free(call_e);
    return rc;
}

static int tu_cmp(const void *a, const void *b)
{
    const vc_tu *x = *(const vc_tu *const *)a, *y = *(const vc_tu *const *)b;
    return strcmp(x->path ? x->path : "", y->path ? y->path : "");
}

vc_program *vc_program_build(vc_tu *const *tus, int n_tus, const vc_model *m)
{
    return vc_program_build_with(tus, n_tus, m, NULL, NULL);
}

bool vc_program_hooked(const vc_program *p, const vc_func *fn)
{
    int lo = 0, hi = p->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (strcmp(p->fns[p->by_name[mid]].fn->name, fn->name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo; i < p->n && strcmp(p->fns[p->by_name[i]].fn->name, fn->name) == 0; i++)
        if (p->fns[p->by_name[i]].fn == fn)
            return p->fns[p->by_name[i]].hooked;
    return false;
}

vc_program *vc_program_build_with(vc_tu *const *tus, int n_tus, const vc_model *m,
                                  vc_facts_hook *hook, void *hook_ctx)
{
    vc_program *p = calloc(1, sizeof *p);
    const vc_tu **sorted = calloc((size_t)n_tus + 1, sizeof *sorted);
    if (!p || !sorted)
        goto fail;
    p->model = m;
    p->hook = hook;
    p->hook_ctx = hook_ctx;
    for (int t = 0; t < n_tus; t++) {
        sorted[t] = tus[t];
        p->n += tus[t]->n_funcs;
    }
    qsort(sorted, (size_t)n_tus, sizeof *sorted, tu_cmp);
    p->fns = calloc((size_t)p->n + 1, sizeof *p->fns);
    p->by_name = calloc((size_t)p->n + 1, sizeof *p->by_name);
    if (!p->fns || !p->by_name)
        goto fail;
    int k = 0;
    for (int t = 0; t < n_tus; t++)
        for (int i = 0; i < sorted[t]->n_funcs; i++, k++) {
            p->fns[k].tu = sorted[t];
            p->fns[k].tu_rank = t;
            p->fns[k].fn = &sorted[t]->funcs[i];
            p->fns[k].sum.name = sorted[t]->funcs[i].name;
            p->fns[k].sum.fn = &sorted[t]->funcs[i];
            p->fns[k].sum.tu = sorted[t];
            p->by_name[k] = k;
        }
    qsort_r(p->by_name, (size_t)p->n, sizeof *p->by_name, by_name_cmp, p);
    for (int i = 0; i < p->n; i++)
        if (callees_of(p, &p->fns[i]) < 0)
            goto fail;
    if (tarjan(p) < 0)
        goto fail;
    free(sorted);
    return p;
fail:
    free(sorted);
    vc_program_free(p);
    return NULL;
}

void vc_program_free(vc_program *p)
{
    if (!p)
        return;
    for (int i = 0; p->fns && i < p->n; i++) {
        vc_summary_clear(&p->fns[i].sum);
        free(p->fns[i].callees);
    }
    free(p->fns);
    free(p->by_name);
    free(p);
}
