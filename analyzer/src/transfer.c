/*
 * transfer.c - what one instruction does to an abstract state of the flow
 * analysis (vocabulary in dataflow.h; the fixed point in dataflow.c).
 *
 * Key idea: a call is looked up in the model first (the model says which
 * arguments are read, written, released and what the result is), then in
 * the callee summaries (summary.c), and is otherwise an unknown function
 * that reads what it is given and returns something unknown. Copies move
 * value sets between access paths, and a struct or pointer copy carries
 * the sub-paths along (p = q: p->val gets q->val). Reads check the pending
 * write events (an observation when the read may overlap the written
 * region through a handle other than the written view, the views made
 * from it, or the very handle written, which holds one view per path);
 * writes add events. A callee's reads are applied before its writes,
 * or after them when the callee reads after writing (summary.h), each
 * restricted to the elements the callee reads. Values held through a
 * const handle (a const variable, or read from a `const S *` member) are
 * flagged const (VC005).
 *
 * Invariants:
 *  1. Reads of an instruction happen before its writes (`a += a`), unless
 *     a callee's summary says otherwise.
 *  2. An object or view made at an instruction drops the events (and the
 *     written-view mark) of its previous incarnation there.
 *  3. Facts (observations, uses after writes, returned values) are only
 *     recorded when the engine is in its final, emitting pass.
 * Not done here: joins, iteration order, rules.
 */
#include <stdlib.h>
#include <string.h>

#include "dataflow_int.h"

/* ---- state access -------------------------------------------------------- */

static bool is_const_handle(const engine *e, const vc_var *v)
{
    return v->pointee_const && v->ptr_depth == 1 &&
           vc_model_is_handle(e->f->model, v->base_type);
}

static int one(engine *e, int val)
{
    return val < 0 ? -1 : vc_sets_intern(e->sets, &val, 1);
}

/* What a location holds before the function assigns it. */
int vc__default_of(engine *e, int loc)
{
    const vc_path *p = &e->f->locs[loc];
    const vc_var *v = &e->f->fn->vars[p->var];
    int whole = 0;          /* region 0 is the whole array */
    if (p->n_steps == 0) {
        if (p->var < e->f->fn->n_params) {
            int o = vc__obj_intern(e, VC_OBJ_PARAM, p->var, 0, 0);
            return one(e, vc__val_intern(e, o, -1, whole,
                                     is_const_handle(e, v) ? VC_VAL_CONST : 0));
        }
        if (!v->is_global && !v->is_static_local)
            return 0;
        int o = vc__obj_intern(e, VC_OBJ_INIT, loc, 0, VC_OBJ_UNKNOWN);
        return one(e, vc__val_intern(e, o, -1, whole,
                                 is_const_handle(e, v) ? VC_VAL_CONST : 0));
    }
    if (v->is_aggregate && !v->is_param && !v->is_global && !v->is_static_local)
        return 0;
    int o = vc__obj_intern(e, VC_OBJ_INIT, loc, 0, VC_OBJ_UNKNOWN);
    return one(e, vc__val_intern(e, o, -1, whole, 0));
}

/* rows[i], parts[k] (elements of an array or of a heap block held by a
 * local pointer) and d->v[i] stand for many locations; *out, the element
 * behind a pointer parameter, is taken as one (an out-parameter). */
static bool weak_loc(const engine *e, int loc)
{
    const vc_path *p = &e->f->locs[loc];
    const vc_var *v = &e->f->fn->vars[p->var];
    for (int i = 0; i < p->n_steps; i++)
        if (p->step[i].kind == VC_STEP_ELEM && (i > 0 || !v->is_param))
            return true;
    return p->n_steps >= VC_MAX_STEPS;
}

/* Notes an ENOMEM from an interning call (t->fail) and yields id 0. */
static int chk(tx *t, int v)
{
    if (v < 0)
        t->fail = true;
    return v < 0 ? 0 : v;
}

static int get_path(tx *t, const vc_path *p)
{
    int l = vc__loc_find(t->e, p);
    return l < 0 ? 0 : t->st[l];
}

/* Maps every value of set s through fn (returns -1 to drop one). */
typedef int val_map(tx *t, int val, void *arg);
static int map_set(tx *t, int s, val_map *fn, void *arg);
static int add_const(tx *t, int val, void *arg);

/* Values of an operand: a path's set; &x is the location, not a value.
 * A member of type `const S *` (o->pointee_const) holds its arrays through
 * a const handle, like a const variable (assign): its values are read
 * flagged const (VC005). */
static int get_op(tx *t, const vc_operand *o)
{
    if (o->kind != VC_OP_PATH)
        return 0;
    int s = get_path(t, &o->path);
    return o->pointee_const ? map_set(t, s, add_const, NULL) : s;
}

static int map_set(tx *t, int s, val_map *fn, void *arg)
{
    int n;
    const int *it = vc_sets_items(t->e->sets, s, &n);
    if (n == 0)
        return 0;
    int buf[64], *out = n <= 64 ? buf : malloc((size_t)n * sizeof *out);
    if (!out)
        return chk(t, -1);
    int *copy = malloc((size_t)n * sizeof *copy);
    if (!copy) {
        if (out != buf)
            free(out);
        return chk(t, -1);
    }
    memcpy(copy, it, (size_t)n * sizeof *copy);
    int m = 0;
    for (int i = 0; i < n; i++) {
        int v = fn(t, copy[i], arg);
        if (v >= 0)
            out[m++] = v;
    }
    int r = chk(t, vc_sets_intern(t->e->sets, out, m));
    free(copy);
    if (out != buf)
        free(out);
    return r;
}

static int add_const(tx *t, int val, void *arg)
{
    (void)arg;
    const vc_val *v = &t->e->f->vals[val];
    vc_val k = *v;
    k.flags |= VC_VAL_CONST;
    return chk(t, vc__val_make(t->e, &k));
}

/* Remembers the first named location an array made here lands in, so
 * messages can say 'X' rather than "the result of load()". */
static void note_names(tx *t, int loc, int s)
{
    vc_facts *f = t->e->f;
    const vc_path *p = &f->locs[loc];
    if (f->fn->vars[p->var].is_temp)
        return;
    int n;
    const int *it = vc_sets_items(t->e->sets, s, &n);
    for (int i = 0; i < n; i++) {
        vc_obj *o = &f->objs[f->vals[it[i]].obj];
        if (o->kind == VC_OBJ_SITE && o->name_loc < 0 &&
            !(f->vals[it[i]].flags & VC_VAL_VIEW))
            o->name_loc = loc;
    }
}

/* Stores set s into the location of p (strong unless weak_loc); a strong
 * store resets the locations below p (d = ... forgets d.val). */
static void assign(tx *t, const vc_path *p, int s)
{
    engine *e = t->e;
    int l = vc__loc_find(e, p);
    if (l < 0)
        return;
    note_names(t, l, s);
    const vc_var *v = &e->f->fn->vars[p->var];
    if (p->n_steps == 0 && is_const_handle(e, v))
        s = map_set(t, s, add_const, NULL);
    if (weak_loc(e, l))
        s = chk(t, vc_sets_union(e->sets, t->st[l], s));
    t->st[l] = s;
    if (!weak_loc(e, l))
        for (int i = 0; i < e->n_sub[l]; i++)
            t->st[e->sub_locs[l][i]] = e->default_set[e->sub_locs[l][i]];
}

/* ---- observations and writes -------------------------------------------- */

static bool is_local_root(const engine *e, const vc_path *p)
{
    const vc_var *v = &e->f->fn->vars[p->var];
    return !v->is_param && !v->is_global && !v->is_static_local;
}

/* Is v the view made at `site`, or made from it (a sub-view, a raw
 * pointer into it)? Reading it then reads what was written through the
 * view, not the parent behind the author's back. */
static bool of_view(const vc_val *v, int site)
{
    return site >= 0 && (v->site == site || v->from == site || v->root == site);
}

static void use_site(tx *t, int site, bool element)
{
    engine *e = t->e;
    if (site < 0 || e->f->used_after_write[site] ||
        !vc_sets_has(e->sets, t->st[WRITTEN(e)], site))
        return;
    /* a candidate: it only counts if no later write through the view
       follows on some path (check_trailing_uses) */
    if (vc__grow((void **)&e->uses, &e->cap_uses, e->n_uses + 1, sizeof *e->uses) < 0) {
        t->fail = true;
        return;
    }
    e->uses[e->n_uses][0] = t->id;
    e->uses[e->n_uses][1] = site;
    e->uses[e->n_uses++][2] = element;
}

/* The view (or a view made from it) is read or passed on. */
static void use_val_as(tx *t, int val, bool element)
{
    const vc_val *v = &t->e->f->vals[val];
    if (!t->e->emit || v->site < 0)
        return;
    int site = v->site, from = v->from, root = v->root;
    use_site(t, site, element);
    if (from != site)
        use_site(t, from, element);
    if (root != site && root != from)
        use_site(t, root, element);
}

static void use_val(tx *t, int val)
{
    use_val_as(t, val, false);
}

/* Does set s hold a value of object obj made at site? */
static bool set_has_site(const engine *e, int s, int obj, int site)
{
    int n;
    const int *it = vc_sets_items(e->sets, s, &n);
    for (int i = 0; i < n; i++)
        if (e->f->vals[it[i]].obj == obj && e->f->vals[it[i]].site == site)
            return true;
    return false;
}

/* Was u (or a sub-selection of it) written by instruction inst? */
static bool written_at(const engine *e, const int *pend, int n, const vc_val *u, int inst)
{
    for (int i = 0; i < n; i++) {
        const vc_event *ev = &e->f->events[pend[i]];
        const vc_val *w = &e->f->vals[ev->val];
        if (ev->inst == inst && w->obj == u->obj && w->site == u->site)
            return true;
    }
    return false;
}

/* The data of val (restricted to region `reg`, or val's own when -1) is
 * read: an observation of every pending write it may overlap. `pass_on`
 * also counts as a use of the view itself. `from` is the set val was read
 * from (0: none): when it also holds the written view w, and the write
 * went through val too, the handle read is the handle written, holding
 * one of them per path (`v = c ? X[:5] : X[3:8]; fill(v); sum(v)`): val
 * does not observe w's write. */
static void read_val(tx *t, int val, int reg, bool pass_on, int from)
{
    engine *e = t->e;
    vc_facts *f = e->f;
    if (!e->emit)
        return;
    const vc_val *u = &f->vals[val];
    const vc_obj *o = &f->objs[u->obj];
    int n;
    const int *pend = vc_sets_items(e->sets, t->st[PENDING(e)], &n);
    unsigned char when = n > 0 ? VC_READ_AFTER : VC_READ_BEFORE;
    int rid = reg >= 0 ? reg : u->region;
    int *seen = NULL;
    if (o->kind == VC_OBJ_PARAM && o->idx < 64) {
        f->param_read[o->idx] |= when;
        seen = &f->param_read_region[o->idx];
    } else if (o->kind == VC_OBJ_INIT) {
        f->loc_read[o->idx] |= when;
        seen = &f->loc_read_region[o->idx];
    }
    if (seen)       /* one region read throughout, or any (0) */
        *seen = *seen < 0 || *seen == rid ? rid : 0;
    const vc_region *ru = &f->regions[rid];
    for (int i = 0; i < n; i++) {
        vc_event *ev = &f->events[pend[i]];
        const vc_val *w = &f->vals[ev->val];
        if (w->obj != u->obj)
            continue;
        ev->used_any = true;
        if (of_view(u, w->site))
            continue;   /* the written view itself, or made from it */
        if (from > 0 && w->site != u->site && set_has_site(e, from, w->obj, w->site) &&
            written_at(e, pend, n, u, ev->inst))
            continue;   /* the same handle, another path */
        if (vc_region_disjoint(ru, &f->regions[w->region]))
            continue;
        ev->observed = true;
        if (ev->obs_inst < 0 || t->id < ev->obs_inst)
            ev->obs_inst = t->id;
    }
    if (pass_on)
        use_val(t, val);
}

static void read_set(tx *t, int s, bool pass_on)
{
    int n;
    const int *it = vc_sets_items(t->e->sets, s, &n);
    for (int i = 0; i < n; i++)
        read_val(t, it[i], -1, pass_on, s);
}

static int restrict_val(tx *t, int val, int region);

/* A callee reads the elements `r` (relative to what it was given) of every
 * value of set s. */
static void read_set_in(tx *t, int s, const vc_region *r)
{
    int rid = chk(t, vc__region_intern(t->e, r)), n;
    const int *it = vc_sets_items(t->e->sets, s, &n);
    for (int i = 0; i < n; i++) {
        int reg = rid > 0 ? t->e->f->vals[restrict_val(t, it[i], rid)].region : -1;
        read_val(t, it[i], reg, true, s);
    }
}

static unsigned how_of(const vc_val *v)
{
    if (v->flags & VC_VAL_RAW)
        return VC_HOW_RAW;
    return (v->flags & VC_VAL_VIEW) ? VC_HOW_VIEW : VC_HOW_DIRECT;
}

/* A write at the current instruction through val (how 0: from the value). */
static void write_val(tx *t, int val, unsigned how, vc_loc cloc, int arg)
{
    engine *e = t->e;
    const vc_val *v = &e->f->vals[val];
    int site = v->site;
    int ev = chk(t, vc__event_intern(e, t->id, val, how ? how : how_of(v), cloc, arg));
    t->st[PENDING(e)] = chk(t, vc_sets_add(e->sets, t->st[PENDING(e)], ev));
    if (site >= 0)
        t->st[WRITTEN(e)] = chk(t, vc_sets_add(e->sets, t->st[WRITTEN(e)], site));
}

/* An object made at this instruction: forget the events of its previous
 * incarnation (invariant 4). */
static int drop_obj(tx *t, int val, void *arg)
{
    int obj = *(int *)arg;
    const vc_facts *f = t->e->f;
    return f->vals[f->events[val].val].obj == obj ? -1 : val;
}

static void fresh_object(tx *t, int obj)
{
    int *p = &t->st[PENDING(t->e)];
    int n;
    const int *it = vc_sets_items(t->e->sets, *p, &n);
    bool any = false;
    for (int i = 0; i < n && !any; i++)
        any = t->e->f->vals[t->e->f->events[it[i]].val].obj == obj;
    if (any)
        *p = map_set(t, *p, drop_obj, &obj);
}

static int drop_site(tx *t, int site, void *arg)
{
    (void)t;
    return site == *(int *)arg ? -1 : site;
}

static void remake_site(tx *t, int site)
{
    int *w = &t->st[WRITTEN(t->e)];
    if (vc_sets_has(t->e->sets, *w, site))
        *w = map_set(t, *w, drop_site, &site);
}

/* ---- making values ------------------------------------------------------- */

typedef struct view_spec {
    int region;                     /* child region id (0 = whole) */
    unsigned add;                   /* flags added */
    bool keeps_axes;
    int site;
} view_spec;

static int derive_view(tx *t, int val, void *arg)
{
    const view_spec *vs = arg;
    engine *e = t->e;
    const vc_val *v = &e->f->vals[val];
    vc_region r;
    if (vs->keeps_axes && vs->region == 0)  /* nd_view: the parent's elements
                                               and axes */
        r = e->f->regions[v->region];
    else
        vc_region_restrict(&e->f->regions[v->region], !(v->flags & VC_VAL_AXES),
                           &e->f->regions[vs->region], &r);
    unsigned fl = (v->flags & (VC_VAL_CONST | VC_VAL_READONLY | VC_VAL_MAYBE |
                               VC_VAL_AXES)) | VC_VAL_VIEW | vs->add;
    if (!vs->keeps_axes)
        fl |= VC_VAL_AXES;
    if (vs->add & VC_VAL_MAYBE)
        fl &= ~VC_VAL_READONLY;
    vc_val k = {.obj = v->obj, .site = vs->site, .from = v->site,
                .root = v->site >= 0 ? v->root : vs->site,
                .region = chk(t, vc__region_intern(e, &r)), .flags = fl};
    return chk(t, vc__val_make(e, &k));
}

static int raw_of(tx *t, int val, void *arg)
{
    (void)arg;
    const vc_val *v = &t->e->f->vals[val];
    vc_val k = *v;
    k.flags |= VC_VAL_RAW;
    return chk(t, vc__val_make(t->e, &k));
}

static int owner_of(tx *t, int val, void *arg)
{
    (void)arg;
    const vc_val *v = &t->e->f->vals[val];
    return chk(t, vc__val_intern(t->e, v->obj, -1, 0, v->flags & VC_VAL_CONST));
}

static int new_object(tx *t, int sub, unsigned obj_flags)
{
    int o = chk(t, vc__obj_intern(t->e, VC_OBJ_SITE, t->id, sub, obj_flags));
    fresh_object(t, o);
    return chk(t, one(t->e, vc__val_intern(t->e, o, -1, 0, 0)));
}

/* Region of `region` applied to val: the sub-selection read or written. */
static int restrict_val(tx *t, int val, int region)
{
    engine *e = t->e;
    const vc_val *v = &e->f->vals[val];
    vc_region r;
    vc_region_restrict(&e->f->regions[v->region], !(v->flags & VC_VAL_AXES),
                       &e->f->regions[region], &r);
    vc_val k = *v;
    k.region = chk(t, vc__region_intern(e, &r));
    return chk(t, vc__val_make(e, &k));
}

/* ---- calls --------------------------------------------------------------- */

static int arg_set(tx *t, const vc_inst *in, int a)
{
    return a < in->n_args ? get_op(t, &in->args[a]) : 0;
}

/* The argument an index applies to (SCHEMA.md: "of", else the first
 * written, else the first read argument). */
static int index_target(const vc_model_fn *m)
{
    if (m->of >= 0)
        return m->of;
    for (int a = 0; a <= VC_MODEL_MAX_ARG; a++)
        if (m->writes & (1u << a))
            return a;
    for (int a = 0; a <= VC_MODEL_MAX_ARG; a++)
        if (m->reads & (1u << a))
            return a;
    return -1;
}

static int index_region(const engine *e, int id)
{
    return e->field_region[id];
}

/* An in-place runtime write (`a += b`) reads its destination first. That
 * read is no use of what this same instruction wrote on an earlier loop
 * iteration: `for (...) nd_iadd_scalar(copy, 1);` only feeds its own next
 * write, and the copy's last state is still lost unless something else
 * reads it (VC002). Observations of other writes are unchanged. */
static void inplace_read(tx *t, int val, int reg, int from)
{
    engine *e = t->e;
    int n;
    const int *pend = vc_sets_items(e->sets, t->st[PENDING(e)], &n);
    int keep[64], k = 0;
    for (int i = 0; i < n && k < 64; i++) {
        const vc_event *ev = &e->f->events[pend[i]];
        if (ev->inst == t->id && !ev->used_any)
            keep[k++] = pend[i];
    }
    read_val(t, val, reg, true, from);
    for (int i = 0; i < k; i++)
        e->f->events[keep[i]].used_any = false;
}

static void model_call(tx *t, const vc_inst *in, const vc_model_fn *m)
{
    engine *e = t->e;
    int id = t->id, tgt = index_target(m);
    int ireg = index_region(e, id);   /* region id of the literal; 0 = whole */
    const idx_fact *ix = &e->idx[id];
    /* reads come first: `a += a` reads a, then writes it */
    for (int a = 0; a < in->n_args && a <= VC_MODEL_MAX_ARG; a++) {
        if (!(m->reads & (1u << a)))
            continue;
        int s = arg_set(t, in, a), n;
        const int *it = vc_sets_items(e->sets, s, &n);
        for (int i = 0; i < n; i++) {
            int reg = -1;
            if (a == tgt && ireg > 0)
                reg = e->f->vals[restrict_val(t, it[i], ireg)].region;
            if (m->writes & (1u << a))
                inplace_read(t, it[i], reg, s);
            else
                read_val(t, it[i], reg, true, s);
        }
    }
    bool copy_idx = m->result == VC_RES_COPY_BY_INDEXING ||
                    (m->result == VC_RES_INDEX_VIEW && ix->kind == VC_IDX_ADVANCED);
    if (copy_idx && m->of >= 0 && !(m->reads & (1u << m->of)))
        read_set(t, arg_set(t, in, m->of), true);
    for (int a = 0; a < in->n_args && a <= VC_MODEL_MAX_ARG; a++) {
        if (!(m->writes & (1u << a)))
            continue;
        int s = arg_set(t, in, a), n;
        const int *it = vc_sets_items(e->sets, s, &n);
        int buf[32], k = n < 32 ? n : 32;
        memcpy(buf, it, (size_t)k * sizeof *buf);
        for (int i = 0; i < k; i++)
            write_val(t, a == tgt && ireg > 0 ? restrict_val(t, buf[i], ireg) : buf[i],
                      0, (vc_loc){0}, a);
    }
    int res = 0;
    view_spec vs = {ireg, 0, m->keeps_axes, id};
    switch (m->result) {
    case VC_RES_NONE:
    case VC_RES_VALUE:
        break;
    case VC_RES_OWNER:
        res = new_object(t, 0, VC_OBJ_FRESH);
        break;
    case VC_RES_COPY_BY_INDEXING:
        res = new_object(t, 0, VC_OBJ_FRESH | VC_OBJ_COPYIDX);
        break;
    case VC_RES_OWNER_OF:
        res = map_set(t, arg_set(t, in, m->of), owner_of, NULL);
        break;
    case VC_RES_RAW_POINTER:
        res = map_set(t, arg_set(t, in, m->of), raw_of, NULL);
        break;
    case VC_RES_INDEX_VIEW:
        if (ix->kind == VC_IDX_ADVANCED) {
            res = new_object(t, 0, VC_OBJ_FRESH | VC_OBJ_COPYIDX);
            break;
        }
        if (ix->kind == VC_IDX_ERROR)
            break;      /* the call fails: NULL */
        if (ix->kind == VC_IDX_RUNTIME)
            vs.add = VC_VAL_MAYBE;
        vs.keeps_axes = ix->kind == VC_IDX_FIELD;
        remake_site(t, id);
        res = map_set(t, arg_set(t, in, m->of), derive_view, &vs);
        break;
    case VC_RES_VIEW:
    case VC_RES_READONLY_VIEW:
    case VC_RES_MAYBE_VIEW:
        vs.add = m->result == VC_RES_READONLY_VIEW ? VC_VAL_READONLY
                 : m->result == VC_RES_MAYBE_VIEW ? VC_VAL_MAYBE : 0;
        remake_site(t, id);
        res = map_set(t, arg_set(t, in, m->of), derive_view, &vs);
        break;
    default:
        break;
    }
    assign(t, &in->dst, res);
}

/* Callee parameter k plus steps, seen from the caller: the argument's
 * path plus the steps, where &x followed by a dereference (`*out`, the ELEM
 * step) is x itself and &x followed by a field (`m->w`) is x.w. */
vc_path vc__callee_target(const vc_inst *in, const vc_path *at, bool *ok)
{
    vc_path p = {.var = -1};
    *ok = false;
    if (at->var < 0 || at->var >= in->n_args)
        return p;
    const vc_operand *a = &in->args[at->var];
    int from = 0;
    if (a->kind == VC_OP_ADDR) {
        if (at->n_steps == 0)
            return p;       /* the address itself holds no array */
        from = at->step[0].kind == VC_STEP_ELEM ? 1 : 0;
    } else if (a->kind != VC_OP_PATH) {
        return p;
    }
    p = a->path;
    for (int i = from; i < at->n_steps && p.n_steps < VC_MAX_STEPS; i++)
        p.step[p.n_steps++] = at->step[i];
    *ok = p.var >= 0;
    return p;
}

/* The caller location of part `sub` (steps below the returned value) of
 * what a call returns into dst. */
bool vc__ret_part_path(const vc_path *dst, const vc_path *sub, vc_path *out)
{
    *out = *dst;
    for (int i = 0; i < sub->n_steps; i++) {
        if (out->n_steps >= VC_MAX_STEPS)
            return false;
        out->step[out->n_steps++] = sub->step[i];
    }
    return true;
}

/* Values at `at` (var = parameter index) of a callee, seen at this call. */
static int callee_path_set(tx *t, const vc_inst *in, const vc_path *at)
{
    bool ok;
    vc_path p = vc__callee_target(in, at, &ok);
    return ok ? get_path(t, &p) : 0;
}

/* A summary value of the callee as caller values. */
static int map_sum_val(tx *t, const vc_inst *in, int sub, const vc_sum_val *sv)
{
    engine *e = t->e;
    switch (sv->kind) {
    case VC_SV_FRESH:
        return new_object(t, sub, VC_OBJ_FRESH | sv->obj_flags);
    case VC_SV_ALIAS:
    case VC_SV_VIEW: {
        int s = callee_path_set(t, in, &sv->at);
        if (sv->kind == VC_SV_ALIAS)
            return s;
        view_spec vs = {chk(t, vc__region_intern(e, &sv->region)),
                        sv->flags & ~VC_VAL_AXES, !(sv->flags & VC_VAL_AXES), t->id};
        remake_site(t, t->id);
        return map_set(t, s, derive_view, &vs);
    }
    default: {
        int o = chk(t, vc__obj_intern(e, VC_OBJ_SITE, t->id, sub, VC_OBJ_UNKNOWN));
        fresh_object(t, o);
        return chk(t, one(e, vc__val_intern(e, o, -1, 0, 0)));
    }
    }
}

static void summary_call(tx *t, const vc_inst *in, const vc_summary *s)
{
    engine *e = t->e;
    for (int i = 0; i < s->n_reads; i++)
        if (s->reads[i].how & VC_READ_BEFORE)
            read_set_in(t, callee_path_set(t, in, &s->reads[i].at), &s->reads[i].region);
    /* no blanket "passed on": a callee that only releases or inspects its
       parameter (a cleanup wrapper) does not use the view */
    for (int i = 0; i < s->n_writes; i++) {
        int set = callee_path_set(t, in, &s->writes[i].at), n;
        int rid = chk(t, vc__region_intern(e, &s->writes[i].region));
        const int *it = vc_sets_items(e->sets, set, &n);
        int buf[32], k = n < 32 ? n : 32;
        memcpy(buf, it, (size_t)k * sizeof *buf);
        for (int j = 0; j < k; j++)
            write_val(t, rid > 0 ? restrict_val(t, buf[j], rid) : buf[j], VC_HOW_CALLEE,
                      s->writes[i].loc, s->writes[i].at.var);
    }
    /* reads the callee makes after its own writes see them: `f(view,
       parent)` writing view then printing parent */
    for (int i = 0; i < s->n_reads; i++)
        if (s->reads[i].how & VC_READ_AFTER)
            read_set_in(t, callee_path_set(t, in, &s->reads[i].at), &s->reads[i].region);
    /* out-parameters first the arrays, then the views: a view the callee
       made of a fresh array it also left in *out (summary.c, fresh_home)
       is derived from what the caller holds there after the call */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < s->n_outs; i++) {
            bool ok;
            vc_path p = vc__callee_target(in, &s->outs[i].at, &ok);
            if (!ok || vc__loc_find(e, &p) < 0)
                continue;
            int v = 0;
            for (int j = 0; j < s->outs[i].n_vals; j++)
                if ((s->outs[i].vals[j].kind == VC_SV_VIEW) == (pass == 1))
                    v = chk(t, vc_sets_union(e->sets, v,
                                             map_sum_val(t, in, i + 1, &s->outs[i].vals[j])));
            int l = vc__loc_find(e, &p);
            note_names(t, l, v);
            t->st[l] = chk(t, vc_sets_union(e->sets, t->st[l], v));
        }
    int res = 0;
    for (int i = 0; i < s->n_ret; i++)
        res = chk(t, vc_sets_union(e->sets, res, map_sum_val(t, in, 0, &s->ret[i])));
    assign(t, &in->dst, res);
    /* `h = split(x)` returning a struct: h.lo, h.hi get its parts */
    for (int i = 0; i < s->n_ret_outs && in->dst.var >= 0; i++) {
        vc_path p;
        if (!vc__ret_part_path(&in->dst, &s->ret_outs[i].at, &p) || vc__loc_find(e, &p) < 0)
            continue;
        int v = 0;
        for (int j = 0; j < s->ret_outs[i].n_vals; j++)
            v = chk(t, vc_sets_union(e->sets, v,
                                     map_sum_val(t, in, s->n_outs + 1 + i,
                                                 &s->ret_outs[i].vals[j])));
        assign(t, &p, v);
    }
}

/* A call of a function neither modelled nor analyzed: it reads and may keep
 * what it is given, and returns (or stores through &x) something unknown. */
/* What a pointer or struct operand gives away: the values at its path and
 * at every path below it (a struct holding views, &s, rows). */
static void read_deep(tx *t, const vc_operand *o)
{
    engine *e = t->e;
    if (o->kind != VC_OP_PATH && o->kind != VC_OP_ADDR)
        return;
    int l = vc__loc_find(e, &o->path);
    if (l < 0)
        return;
    read_set(t, t->st[l], true);
    for (int i = 0; i < e->n_sub[l]; i++)
        read_set(t, t->st[e->sub_locs[l][i]], true);
}

static void unknown_call(tx *t, const vc_inst *in)
{
    engine *e = t->e;
    for (int a = 0; a < in->n_args; a++)
        read_deep(t, &in->args[a]);
    for (int a = 0; a < in->n_args; a++) {
        const vc_operand *o = &in->args[a];
        if (o->kind != VC_OP_ADDR || vc__loc_find(e, &o->path) < 0)
            continue;
        int uo = chk(t, vc__obj_intern(e, VC_OBJ_SITE, t->id, a + 1, VC_OBJ_UNKNOWN));
        fresh_object(t, uo);
        assign(t, &o->path, chk(t, one(e, vc__val_intern(e, uo, -1, 0, 0))));
    }
    if (in->dst.var < 0)
        return;
    int uo = chk(t, vc__obj_intern(e, VC_OBJ_SITE, t->id, 0, VC_OBJ_UNKNOWN));
    fresh_object(t, uo);
    assign(t, &in->dst, chk(t, one(e, vc__val_intern(e, uo, -1, 0, 0))));
}

/* `return h;`: the views in h.lo, h.hi go back to the caller too, keyed
 * by their steps below h (summary.c turns them into ret_outs). */
static void note_ret_parts(tx *t, const vc_path *src)
{
    engine *e = t->e;
    vc_facts *f = e->f;
    int l = vc__loc_find(e, src);
    for (int i = 0; l >= 0 && i < e->n_sub[l]; i++) {
        int sl = e->sub_locs[l][i], s = t->st[sl];
        if (s == 0)
            continue;
        vc_path sub = {.var = -1};
        for (int k = src->n_steps; k < f->locs[sl].n_steps; k++)
            sub.step[sub.n_steps++] = f->locs[sl].step[k];
        int j = 0;
        while (j < f->n_ret_parts && !vc__path_eq(&f->ret_parts[j].sub, &sub))
            j++;
        if (j == f->n_ret_parts) {
            struct vc_ret_part *np =
                realloc(f->ret_parts, (size_t)(j + 1) * sizeof *np);
            if (!np) {
                t->fail = true;
                return;
            }
            f->ret_parts = np;
            np[j].sub = sub;
            np[j].set = 0;
            f->n_ret_parts++;
        }
        f->ret_parts[j].set = chk(t, vc_sets_union(e->sets, f->ret_parts[j].set, s));
    }
}

/* ---- one instruction ----------------------------------------------------- */

static void copy_subpaths(tx *t, const vc_path *dst, const vc_path *src)
{
    engine *e = t->e;
    int ls = vc__loc_find(e, src), ld = vc__loc_find(e, dst);
    if (ls < 0 || ld < 0)
        return;
    for (int i = 0; i < e->n_sub[ls]; i++) {
        const vc_path *sp = &e->f->locs[e->sub_locs[ls][i]];
        vc_path dp = *dst;
        for (int k = src->n_steps; k < sp->n_steps && dp.n_steps < VC_MAX_STEPS; k++)
            dp.step[dp.n_steps++] = sp->step[k];
        int l = vc__loc_find(e, &dp);
        if (l >= 0)
            t->st[l] = t->st[e->sub_locs[ls][i]];
    }
}

void vc__transfer(tx *t, const vc_inst *in)
{
    engine *e = t->e;
    switch (in->kind) {
    case VC_I_CALL:
        if (e->mfn[t->id])
            model_call(t, in, e->mfn[t->id]);
        else if (e->callee[t->id])
            summary_call(t, in, e->callee[t->id]);
        else
            unknown_call(t, in);
        if (in->dst.var >= 0 && !is_local_root(e, &in->dst) &&
            (in->dst.n_steps > 0 || e->f->fn->vars[in->dst.var].is_global))
            read_set(t, get_path(t, &in->dst), true);
        break;
    case VC_I_COPY: {
        int s = get_op(t, &in->src);
        if (in->dst.var >= 0 && !is_local_root(e, &in->dst) &&
            (in->dst.n_steps > 0 || e->f->fn->vars[in->dst.var].is_global))
            read_set(t, s, true);   /* stored where the caller can see it */
        assign(t, &in->dst, s);
        if (in->src.kind == VC_OP_PATH)
            copy_subpaths(t, &in->dst, &in->src.path);
        break;
    }
    case VC_I_HAVOC: {
        int l = vc__loc_find(e, &in->dst);
        if (l < 0)
            break;
        const vc_var *v = &e->f->fn->vars[in->dst.var];
        int s = 0;
        if (in->dst.n_steps > 0 || v->ptr_depth > 0 || v->is_aggregate) {
            int o = chk(t, vc__obj_intern(e, VC_OBJ_SITE, t->id, 0, VC_OBJ_UNKNOWN));
            fresh_object(t, o);
            s = chk(t, one(e, vc__val_intern(e, o, -1, 0, 0)));
        }
        assign(t, &in->dst, s);
        break;
    }
    case VC_I_STORE: {
        int s = get_op(t, &in->src), n;
        const int *it = vc_sets_items(e->sets, s, &n);
        int buf[32], k = n < 32 ? n : 32;
        memcpy(buf, it, (size_t)k * sizeof *buf);
        for (int i = 0; i < k; i++)
            write_val(t, buf[i], VC_HOW_RAW, (vc_loc){0}, -1);
        break;
    }
    case VC_I_LOAD: {
        /* element reads through a raw pointer: a use of the view for window
           writes only when no write through it can follow (a raw loop
           reads and writes the same window; reading the result back after
           the last write is using the view as a copy) */
        int s = get_op(t, &in->src), n;
        read_set(t, s, false);
        const int *it = vc_sets_items(e->sets, s, &n);
        int buf[32], k = n < 32 ? n : 32;
        memcpy(buf, it, (size_t)k * sizeof *buf);
        for (int i = 0; i < k; i++)
            use_val_as(t, buf[i], true);
        break;
    }
    case VC_I_ESCAPE:
        read_deep(t, &in->src);
        break;
    case VC_I_RETURN:
        if (in->src.kind == VC_OP_PATH) {
            int s = get_op(t, &in->src);
            read_deep(t, &in->src);
            if (e->emit) {
                e->f->ret_set = chk(t, vc_sets_union(e->sets, e->f->ret_set, s));
                note_ret_parts(t, &in->src.path);
            }
        }
        break;
    }
}
