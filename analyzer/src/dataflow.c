/*
 * dataflow.c - the flow-sensitive may-analysis of one function: what every
 * handle, raw pointer and struct field may hold, which writes may have
 * happened, and which later uses observe them (vocabulary in dataflow.h).
 *
 * Key idea: a state maps every access path (location) of the function to a
 * hash-consed set of abstract values (sets.c), plus two more sets: pending
 * write events and views written since they were made. Transfer functions
 * read the model (model.c) or a callee's summary (summary.c); states are
 * joined by set union at block entries and iterated over the blocks in
 * reverse postorder until nothing changes. The lattice is finite (values
 * are keyed by allocation sites, regions and a few flags), so the fixed
 * point is reached; a round cap keeps pathological inputs bounded. A final
 * pass replays every reachable block once from its fixed-point entry state
 * and records what rules need: observations of pending writes, views used
 * after a write, bad index literals, returned values, the exit state.
 *
 * Invariants:
 *  1. Every location, value, object, region and event is interned: equal
 *     keys have equal ids, so states compare with memcmp.
 *  2. A location with an ELEM step (rows[i]) is a weak location: stores
 *     join into it. Assigning a variable replaces what it held.
 *  3. Only the final pass writes facts (observations, flags, bad indexes);
 *     the fixed-point rounds only compute states.
 *  4. An object made at an instruction is new each time the instruction
 *     runs: events on it are dropped there (a loop's next iteration does
 *     not observe the last iteration's array). A view made at a site is
 *     "re-made" there the same way.
 * Not done here: deciding what is reported (rules/), summaries of callees
 * (summary.c), index parsing (region.c through libnd).
 */
#include "dataflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "sets.h"
#include "summary.h"

#define MAX_ROUNDS 64

/* ---- interning -------------------------------------------------------- */

static int grow(void **p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return 0;
    int c = *cap ? *cap : 32;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, (size_t)c * elem);
    if (!q)
        return -1;
    memset((char *)q + (size_t)*cap * elem, 0, (size_t)(c - *cap) * elem);
    *p = q;
    *cap = c;
    return 0;
}

typedef struct engine {
    vc_facts *f;
    vc_sets *sets;
    vc_idtab loc_tab, val_tab, obj_tab, region_tab, event_tab;
    vc_summary_lookup *lookup;
    void *lookup_ctx;
    const vc_summary **callee;      /* per instruction id: summary or NULL */
    const vc_model_fn **mfn;        /* per instruction id: model or NULL */
    vc_index_info *idx;             /* per instruction id (index calls) */
    int *field_region;              /* per instruction id: region id or -1 */
    int *default_set;               /* per loc */
    int **sub_locs;                 /* per loc: locs it is a proper prefix of */
    int *n_sub;
    int width;                      /* ints per state: n_locs + 2 */
    bool emit;                      /* final pass: record facts */
    int (*uses)[2];                 /* (instruction, view site): the view is
                                       used while a write through it is
                                       pending */
    int n_uses, cap_uses;
} engine;

static bool path_eq(const vc_path *a, const vc_path *b)
{
    if (a->var != b->var || a->n_steps != b->n_steps)
        return false;
    for (int i = 0; i < a->n_steps; i++) {
        if (a->step[i].kind != b->step[i].kind)
            return false;
        if (a->step[i].kind == VC_STEP_FIELD &&
            strcmp(a->step[i].name ? a->step[i].name : "",
                   b->step[i].name ? b->step[i].name : "") != 0)
            return false;
    }
    return true;
}

static uint64_t path_hash(const vc_path *p)
{
    uint64_t h = vc_hash_mix(11, (uint64_t)(unsigned)p->var);
    for (int i = 0; i < p->n_steps; i++) {
        h = vc_hash_mix(h, (uint64_t)p->step[i].kind);
        if (p->step[i].kind == VC_STEP_FIELD)
            h = vc_hash_str(h, p->step[i].name);
    }
    return h;
}

static bool loc_eq(const void *ctx, int id, const void *key)
{
    const engine *e = ctx;
    return path_eq(&e->f->locs[id], key);
}

/* The location of p (interned on first sight); -1 for no variable. */
static int loc_intern(engine *e, const vc_path *p)
{
    if (p->var < 0)
        return -1;
    uint64_t h = path_hash(p);
    int id = vc_idtab_find(&e->loc_tab, h, loc_eq, e, p);
    if (id >= 0)
        return id;
    vc_facts *f = e->f;
    if (grow((void **)&f->locs, &f->cap_locs, f->n_locs + 1, sizeof *f->locs) < 0)
        return -2;
    f->locs[f->n_locs] = *p;
    id = f->n_locs++;
    return vc_idtab_put(&e->loc_tab, h, id) < 0 ? -2 : id;
}

static int loc_find(const engine *e, const vc_path *p)
{
    if (p->var < 0)
        return -1;
    return vc_idtab_find(&e->loc_tab, path_hash(p), loc_eq, e, p);
}

static bool obj_eq(const void *ctx, int id, const void *key)
{
    const engine *e = ctx;
    const vc_obj *a = &e->f->objs[id], *b = key;
    return a->kind == b->kind && a->idx == b->idx && a->flags == b->flags;
}

static int obj_intern(engine *e, vc_obj_kind kind, int idx, unsigned flags)
{
    vc_obj key = {kind, idx, flags};
    uint64_t h = vc_hash_mix(vc_hash_mix(vc_hash_mix(3, kind), (uint64_t)idx), flags);
    int id = vc_idtab_find(&e->obj_tab, h, obj_eq, e, &key);
    if (id >= 0)
        return id;
    vc_facts *f = e->f;
    if (grow((void **)&f->objs, &f->cap_objs, f->n_objs + 1, sizeof *f->objs) < 0)
        return -1;
    f->objs[f->n_objs] = key;
    id = f->n_objs++;
    return vc_idtab_put(&e->obj_tab, h, id) < 0 ? -1 : id;
}

static bool region_eq(const void *ctx, int id, const void *key)
{
    const engine *e = ctx;
    return memcmp(&e->f->regions[id], key, sizeof(vc_region)) == 0;
}

static int region_intern(engine *e, const vc_region *r)
{
    uint64_t h = 5;
    const unsigned char *b = (const unsigned char *)r;
    for (size_t i = 0; i < sizeof *r; i += 8) {
        uint64_t w = 0;
        memcpy(&w, b + i, sizeof *r - i < 8 ? sizeof *r - i : 8);
        h = vc_hash_mix(h, w);
    }
    int id = vc_idtab_find(&e->region_tab, h, region_eq, e, r);
    if (id >= 0)
        return id;
    vc_facts *f = e->f;
    if (grow((void **)&f->regions, &f->cap_regions, f->n_regions + 1,
             sizeof *f->regions) < 0)
        return -1;
    f->regions[f->n_regions] = *r;
    id = f->n_regions++;
    return vc_idtab_put(&e->region_tab, h, id) < 0 ? -1 : id;
}

static bool val_eq(const void *ctx, int id, const void *key)
{
    const engine *e = ctx;
    return memcmp(&e->f->vals[id], key, sizeof(vc_val)) == 0;
}

static int val_intern(engine *e, int obj, int site, int region, unsigned flags)
{
    if (obj < 0 || region < 0)
        return -1;
    vc_val key;
    memset(&key, 0, sizeof key);
    key.obj = obj;
    key.site = site;
    key.region = region;
    key.flags = flags;
    uint64_t h = vc_hash_mix(vc_hash_mix(vc_hash_mix(vc_hash_mix(17, (uint64_t)obj),
                                                     (uint64_t)(unsigned)site),
                                         (uint64_t)region), flags);
    int id = vc_idtab_find(&e->val_tab, h, val_eq, e, &key);
    if (id >= 0)
        return id;
    vc_facts *f = e->f;
    if (grow((void **)&f->vals, &f->cap_vals, f->n_vals + 1, sizeof *f->vals) < 0)
        return -1;
    f->vals[f->n_vals] = key;
    id = f->n_vals++;
    return vc_idtab_put(&e->val_tab, h, id) < 0 ? -1 : id;
}

static bool event_eq(const void *ctx, int id, const void *key)
{
    const engine *e = ctx;
    const vc_event *a = &e->f->events[id], *b = key;
    return a->inst == b->inst && a->val == b->val && a->how == b->how;
}

static int event_intern(engine *e, int inst, int val, unsigned how, vc_loc cloc)
{
    vc_event key;
    memset(&key, 0, sizeof key);
    key.inst = inst;
    key.val = val;
    key.how = how;
    key.callee_loc = cloc;
    key.obs_inst = -1;
    uint64_t h = vc_hash_mix(vc_hash_mix(vc_hash_mix(23, (uint64_t)inst),
                                         (uint64_t)val), how);
    int id = vc_idtab_find(&e->event_tab, h, event_eq, e, &key);
    if (id >= 0)
        return id;
    vc_facts *f = e->f;
    if (grow((void **)&f->events, &f->cap_events, f->n_events + 1,
             sizeof *f->events) < 0)
        return -1;
    f->events[f->n_events] = key;
    id = f->n_events++;
    return vc_idtab_put(&e->event_tab, h, id) < 0 ? -1 : id;
}

const int *vc_set_items(const vc_facts *f, int id, int *n)
{
    return vc_sets_items(f->sets, id, n);
}

/* ---- names for messages ------------------------------------------------ */

const char *vc_path_text(const vc_facts *f, const vc_path *p, char *buf,
                         size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    if (p->var < 0 || p->var >= f->fn->n_vars) {
        snprintf(buf, size, "?");
        return buf;
    }
    o += (size_t)snprintf(buf, size, "%s", f->fn->vars[p->var].name);
    for (int i = 0; i < p->n_steps && o < size; i++) {
        if (p->step[i].kind == VC_STEP_FIELD)
            o += (size_t)snprintf(buf + o, size - o, "%s%s",
                                  i == 0 && f->fn->vars[p->var].ptr_depth > 0
                                      ? "->" : ".",
                                  p->step[i].name ? p->step[i].name : "?");
        else
            o += (size_t)snprintf(buf + o, size - o, "[]");
    }
    return buf;
}

const char *vc_obj_name(const vc_facts *f, int obj, char *buf, size_t size)
{
    const vc_obj *o = &f->objs[obj];
    switch (o->kind) {
    case VC_OBJ_PARAM:
        snprintf(buf, size, "%s", f->fn->vars[o->idx].name);
        break;
    case VC_OBJ_INIT:
        vc_path_text(f, &f->locs[o->idx], buf, size);
        break;
    case VC_OBJ_SITE: {
        const vc_inst *in = f->inst[o->idx];
        if (in->kind == VC_I_CALL && in->dst.var >= 0 &&
            !f->fn->vars[in->dst.var].is_temp)
            vc_path_text(f, &in->dst, buf, size);
        else if (in->kind == VC_I_CALL && in->callee)
            snprintf(buf, size, "the result of %s()", in->callee);
        else
            snprintf(buf, size, "an array");
        break;
    }
    }
    return buf;
}

/* ---- state access -------------------------------------------------------- */

/* state layout: [0, n_locs) location sets, then pending events, then
 * written view sites */
#define PENDING(e) ((e)->f->n_locs)
#define WRITTEN(e) ((e)->f->n_locs + 1)

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
static int default_of(engine *e, int loc)
{
    const vc_path *p = &e->f->locs[loc];
    const vc_var *v = &e->f->fn->vars[p->var];
    int whole = 0;          /* region 0 is the whole array */
    if (p->n_steps == 0) {
        if (p->var < e->f->fn->n_params) {
            int o = obj_intern(e, VC_OBJ_PARAM, p->var, 0);
            return one(e, val_intern(e, o, -1, whole,
                                     is_const_handle(e, v) ? VC_VAL_CONST : 0));
        }
        if (!v->is_global && !v->is_static_local)
            return 0;
        int o = obj_intern(e, VC_OBJ_INIT, loc, VC_OBJ_UNKNOWN);
        return one(e, val_intern(e, o, -1, whole,
                                 is_const_handle(e, v) ? VC_VAL_CONST : 0));
    }
    if (v->is_aggregate && !v->is_param && !v->is_global && !v->is_static_local)
        return 0;
    int o = obj_intern(e, VC_OBJ_INIT, loc, VC_OBJ_UNKNOWN);
    return one(e, val_intern(e, o, -1, whole, 0));
}

static bool weak_loc(const engine *e, int loc)
{
    const vc_path *p = &e->f->locs[loc];
    for (int i = 0; i < p->n_steps; i++)
        if (p->step[i].kind == VC_STEP_ELEM)
            return true;
    return p->n_steps >= VC_MAX_STEPS;
}

typedef struct tx {
    engine *e;
    int *st;                        /* the state being transformed */
    int id;                         /* current instruction id */
    bool fail;
} tx;

static int chk(tx *t, int v)
{
    if (v < 0)
        t->fail = true;
    return v < 0 ? 0 : v;
}

static int get_path(tx *t, const vc_path *p)
{
    int l = loc_find(t->e, p);
    return l < 0 ? 0 : t->st[l];
}

/* Values of an operand: a path's set; &x is the location, not a value. */
static int get_op(tx *t, const vc_operand *o)
{
    return o->kind == VC_OP_PATH ? get_path(t, &o->path) : 0;
}

/* Maps every value of set s through fn (returns -1 to drop one). */
typedef int val_map(tx *t, int val, void *arg);

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
    return chk(t, val_intern(t->e, v->obj, v->site, v->region, v->flags | VC_VAL_CONST));
}

/* Stores set s into the location of p (strong unless weak). */
static void assign(tx *t, const vc_path *p, int s)
{
    engine *e = t->e;
    int l = loc_find(e, p);
    if (l < 0)
        return;
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

/* The view site of val was passed on or read after a write through it. */
static void use_val(tx *t, int val)
{
    const vc_val *v = &t->e->f->vals[val];
    engine *e = t->e;
    if (!e->emit || v->site < 0 || e->f->used_after_write[v->site] ||
        !vc_sets_has(e->sets, t->st[WRITTEN(e)], v->site))
        return;
    /* a candidate: it only counts if no later write through the view
       follows on some path (check_trailing_uses) */
    if (grow((void **)&e->uses, &e->cap_uses, e->n_uses + 1, sizeof *e->uses) < 0) {
        t->fail = true;
        return;
    }
    e->uses[e->n_uses][0] = t->id;
    e->uses[e->n_uses++][1] = v->site;
}

/* The data of val (restricted to region `reg`, or val's own when -1) is
 * read: an observation of every pending write it may overlap. `pass_on`
 * also counts as a use of the view itself. */
static void read_val(tx *t, int val, int reg, bool pass_on)
{
    engine *e = t->e;
    vc_facts *f = e->f;
    if (!e->emit)
        return;
    const vc_val *u = &f->vals[val];
    const vc_obj *o = &f->objs[u->obj];
    if (o->kind == VC_OBJ_PARAM && o->idx < 64)
        f->param_read[o->idx] = true;
    if (o->kind == VC_OBJ_INIT)
        f->loc_read[o->idx] = true;
    const vc_region *ru = &f->regions[reg >= 0 ? reg : u->region];
    int n;
    const int *pend = vc_sets_items(e->sets, t->st[PENDING(e)], &n);
    for (int i = 0; i < n; i++) {
        vc_event *ev = &f->events[pend[i]];
        const vc_val *w = &f->vals[ev->val];
        if (w->obj != u->obj)
            continue;
        ev->used_any = true;
        if (w->site == u->site && u->site >= 0)
            continue;   /* the written view itself */
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
        read_val(t, it[i], -1, pass_on);
}

static void use_set(tx *t, int s)
{
    int n;
    const int *it = vc_sets_items(t->e->sets, s, &n);
    for (int i = 0; i < n; i++)
        use_val(t, it[i]);
}

static unsigned how_of(const vc_val *v)
{
    if (v->flags & VC_VAL_RAW)
        return VC_HOW_RAW;
    return (v->flags & VC_VAL_VIEW) ? VC_HOW_VIEW : VC_HOW_DIRECT;
}

/* A write at the current instruction through val (how 0: from the value). */
static void write_val(tx *t, int val, unsigned how, vc_loc cloc)
{
    engine *e = t->e;
    const vc_val *v = &e->f->vals[val];
    int site = v->site;
    int ev = chk(t, event_intern(e, t->id, val, how ? how : how_of(v), cloc));
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
    vc_region_restrict(&e->f->regions[v->region], !(v->flags & VC_VAL_AXES),
                       &e->f->regions[vs->region], &r);
    unsigned fl = (v->flags & (VC_VAL_CONST | VC_VAL_READONLY | VC_VAL_MAYBE |
                               VC_VAL_AXES)) | VC_VAL_VIEW | vs->add;
    if (!vs->keeps_axes)
        fl |= VC_VAL_AXES;
    if (vs->add & VC_VAL_MAYBE)
        fl &= ~VC_VAL_READONLY;
    return chk(t, val_intern(e, v->obj, vs->site, chk(t, region_intern(e, &r)), fl));
}

static int raw_of(tx *t, int val, void *arg)
{
    (void)arg;
    const vc_val *v = &t->e->f->vals[val];
    return chk(t, val_intern(t->e, v->obj, v->site, v->region, v->flags | VC_VAL_RAW));
}

static int owner_of(tx *t, int val, void *arg)
{
    (void)arg;
    const vc_val *v = &t->e->f->vals[val];
    return chk(t, val_intern(t->e, v->obj, -1, 0, v->flags & VC_VAL_CONST));
}

static int new_object(tx *t, unsigned obj_flags)
{
    int o = chk(t, obj_intern(t->e, VC_OBJ_SITE, t->id, obj_flags));
    fresh_object(t, o);
    return chk(t, one(t->e, val_intern(t->e, o, -1, 0, 0)));
}

/* Region of `region` applied to val: the sub-selection read or written. */
static int restrict_val(tx *t, int val, int region)
{
    engine *e = t->e;
    const vc_val *v = &e->f->vals[val];
    vc_region r;
    vc_region_restrict(&e->f->regions[v->region], !(v->flags & VC_VAL_AXES),
                       &e->f->regions[region], &r);
    return chk(t, val_intern(e, v->obj, v->site, chk(t, region_intern(e, &r)),
                             v->flags));
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

static void model_call(tx *t, const vc_inst *in, const vc_model_fn *m)
{
    engine *e = t->e;
    int id = t->id, tgt = index_target(m);
    int ireg = index_region(e, id);   /* region id of the literal; 0 = whole */
    const vc_index_info *ix = &e->idx[id];
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
            read_val(t, it[i], reg, true);
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
                      0, (vc_loc){0});
    }
    int res = 0;
    view_spec vs = {ireg, 0, m->keeps_axes, id};
    switch (m->result) {
    case VC_RES_NONE:
    case VC_RES_VALUE:
        break;
    case VC_RES_OWNER:
        res = new_object(t, VC_OBJ_FRESH);
        break;
    case VC_RES_COPY_BY_INDEXING:
        res = new_object(t, VC_OBJ_FRESH | VC_OBJ_COPYIDX);
        break;
    case VC_RES_OWNER_OF:
        res = map_set(t, arg_set(t, in, m->of), owner_of, NULL);
        break;
    case VC_RES_RAW_POINTER:
        res = map_set(t, arg_set(t, in, m->of), raw_of, NULL);
        break;
    case VC_RES_INDEX_VIEW:
        if (ix->kind == VC_IDX_ADVANCED) {
            res = new_object(t, VC_OBJ_FRESH | VC_OBJ_COPYIDX);
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

/* Values at `at` (var = parameter index) of a callee, seen at this call. */
static int callee_path_set(tx *t, const vc_inst *in, const vc_path *at)
{
    if (at->var < 0 || at->var >= in->n_args)
        return 0;
    const vc_operand *a = &in->args[at->var];
    vc_path p;
    if (a->kind == VC_OP_PATH) {
        p = a->path;
        for (int i = 0; i < at->n_steps && p.n_steps < VC_MAX_STEPS; i++)
            p.step[p.n_steps++] = at->step[i];
    } else if (a->kind == VC_OP_ADDR && at->n_steps > 0 &&
               at->step[0].kind == VC_STEP_ELEM) {
        p = a->path;
        for (int i = 1; i < at->n_steps && p.n_steps < VC_MAX_STEPS; i++)
            p.step[p.n_steps++] = at->step[i];
    } else {
        return 0;
    }
    return get_path(t, &p);
}

static vc_path callee_target(const vc_inst *in, const vc_path *at, bool *ok)
{
    vc_path p = {.var = -1};
    *ok = false;
    if (at->var < 0 || at->var >= in->n_args)
        return p;
    const vc_operand *a = &in->args[at->var];
    if (a->kind == VC_OP_PATH && at->n_steps > 0) {
        p = a->path;
        for (int i = 0; i < at->n_steps && p.n_steps < VC_MAX_STEPS; i++)
            p.step[p.n_steps++] = at->step[i];
        *ok = true;
    } else if (a->kind == VC_OP_ADDR && at->n_steps > 0 &&
               at->step[0].kind == VC_STEP_ELEM) {
        p = a->path;
        for (int i = 1; i < at->n_steps && p.n_steps < VC_MAX_STEPS; i++)
            p.step[p.n_steps++] = at->step[i];
        *ok = true;
    }
    return p;
}

/* A summary value of the callee as caller values. */
static int map_sum_val(tx *t, const vc_inst *in, const vc_sum_val *sv)
{
    engine *e = t->e;
    switch (sv->kind) {
    case VC_SV_FRESH:
        return new_object(t, VC_OBJ_FRESH | sv->obj_flags);
    case VC_SV_ALIAS:
    case VC_SV_VIEW: {
        int s = callee_path_set(t, in, &sv->at);
        if (sv->kind == VC_SV_ALIAS)
            return s;
        view_spec vs = {chk(t, region_intern(e, &sv->region)),
                        sv->flags & ~VC_VAL_AXES, !(sv->flags & VC_VAL_AXES), t->id};
        remake_site(t, t->id);
        return map_set(t, s, derive_view, &vs);
    }
    default: {
        int o = chk(t, obj_intern(e, VC_OBJ_SITE, t->id, VC_OBJ_UNKNOWN));
        fresh_object(t, o);
        return chk(t, one(e, val_intern(e, o, -1, 0, 0)));
    }
    }
}

static void summary_call(tx *t, const vc_inst *in, const vc_summary *s)
{
    engine *e = t->e;
    for (int i = 0; i < s->n_reads; i++)
        read_set(t, callee_path_set(t, in, &s->reads[i].at), true);
    for (int a = 0; a < in->n_args; a++)
        use_set(t, get_op(t, &in->args[a]));
    for (int i = 0; i < s->n_writes; i++) {
        int set = callee_path_set(t, in, &s->writes[i].at), n;
        const int *it = vc_sets_items(e->sets, set, &n);
        int buf[32], k = n < 32 ? n : 32;
        memcpy(buf, it, (size_t)k * sizeof *buf);
        for (int j = 0; j < k; j++)
            write_val(t, buf[j], VC_HOW_CALLEE, s->writes[i].loc);
    }
    int res = 0;
    for (int i = 0; i < s->n_ret; i++)
        res = chk(t, vc_sets_union(e->sets, res, map_sum_val(t, in, &s->ret[i])));
    for (int i = 0; i < s->n_outs; i++) {
        bool ok;
        vc_path p = callee_target(in, &s->outs[i].at, &ok);
        if (!ok || loc_find(e, &p) < 0)
            continue;
        int v = 0;
        for (int j = 0; j < s->outs[i].n_vals; j++)
            v = chk(t, vc_sets_union(e->sets, v, map_sum_val(t, in, &s->outs[i].vals[j])));
        int l = loc_find(e, &p);
        t->st[l] = chk(t, vc_sets_union(e->sets, t->st[l], v));
    }
    assign(t, &in->dst, res);
}

/* A call of a function neither modelled nor analyzed: it reads and may keep
 * what it is given, and returns (or stores through &x) something unknown. */
static void unknown_call(tx *t, const vc_inst *in)
{
    engine *e = t->e;
    for (int a = 0; a < in->n_args; a++) {
        const vc_operand *o = &in->args[a];
        if (o->kind == VC_OP_PATH)
            read_set(t, get_op(t, o), true);
        else if (o->kind == VC_OP_ADDR) {
            int l = loc_find(e, &o->path);
            if (l >= 0)
                read_set(t, t->st[l], true);
        }
    }
    int uo = -1;
    for (int a = 0; a < in->n_args; a++) {
        const vc_operand *o = &in->args[a];
        if (o->kind != VC_OP_ADDR || loc_find(e, &o->path) < 0)
            continue;
        if (uo < 0) {
            uo = chk(t, obj_intern(e, VC_OBJ_SITE, t->id, VC_OBJ_UNKNOWN));
            fresh_object(t, uo);
        }
        assign(t, &o->path, chk(t, one(e, val_intern(e, uo, -1, 0, 0))));
    }
    if (in->dst.var < 0)
        return;
    if (uo < 0) {
        uo = chk(t, obj_intern(e, VC_OBJ_SITE, t->id, VC_OBJ_UNKNOWN));
        fresh_object(t, uo);
    }
    assign(t, &in->dst, chk(t, one(e, val_intern(e, uo, -1, 0, 0))));
}

/* ---- one instruction ----------------------------------------------------- */

static void copy_subpaths(tx *t, const vc_path *dst, const vc_path *src)
{
    engine *e = t->e;
    int ls = loc_find(e, src), ld = loc_find(e, dst);
    if (ls < 0 || ld < 0)
        return;
    for (int i = 0; i < e->n_sub[ls]; i++) {
        const vc_path *sp = &e->f->locs[e->sub_locs[ls][i]];
        vc_path dp = *dst;
        for (int k = src->n_steps; k < sp->n_steps && dp.n_steps < VC_MAX_STEPS; k++)
            dp.step[dp.n_steps++] = sp->step[k];
        int l = loc_find(e, &dp);
        if (l >= 0)
            t->st[l] = t->st[e->sub_locs[ls][i]];
    }
}

static void transfer(tx *t, const vc_inst *in)
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
        int l = loc_find(e, &in->dst);
        if (l < 0)
            break;
        const vc_var *v = &e->f->fn->vars[in->dst.var];
        int s = 0;
        if (in->dst.n_steps > 0 || v->ptr_depth > 0 || v->is_aggregate) {
            int o = chk(t, obj_intern(e, VC_OBJ_SITE, t->id, VC_OBJ_UNKNOWN));
            fresh_object(t, o);
            s = chk(t, one(e, val_intern(e, o, -1, 0, 0)));
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
            write_val(t, buf[i], VC_HOW_RAW, (vc_loc){0});
        break;
    }
    case VC_I_LOAD:
        /* element reads through a raw pointer: not a use of the view for
           window writes (a raw loop reads and writes the same window) */
        read_set(t, get_op(t, &in->src), false);
        break;
    case VC_I_ESCAPE:
        if (in->src.kind == VC_OP_ADDR) {
            int l = loc_find(e, &in->src.path);
            if (l >= 0)
                read_set(t, t->st[l], true);
        } else {
            read_set(t, get_op(t, &in->src), true);
        }
        break;
    case VC_I_RETURN:
        if (in->src.kind == VC_OP_PATH) {
            int s = get_op(t, &in->src);
            read_set(t, s, true);
            if (e->emit)
                e->f->ret_set = chk(t, vc_sets_union(e->sets, e->f->ret_set, s));
        }
        break;
    }
}

/* ---- setup --------------------------------------------------------------- */

static int intern_op_paths(engine *e, const vc_operand *o)
{
    if ((o->kind == VC_OP_PATH || o->kind == VC_OP_ADDR) && o->path.var >= 0) {
        vc_path p = o->path;
        /* every prefix too: assigning d kills d.val (sub_locs) */
        for (int k = 0; k <= o->path.n_steps; k++) {
            p.n_steps = k;
            if (loc_intern(e, &p) == -2)
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
    return path_eq(a, &t);
}

/* Interns the locations copy_subpaths and summaries will touch, then
 * indexes sub-locations. Copies may chain (a = b; c = a), so repeat until
 * no new location appears. */
static int setup_locs(engine *e)
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
            vc_path p = callee_target(in, at, &ok);
            if (ok && intern_path(e, &p) < 0)
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

/* Per-instruction caches: model, summary, parsed index literals. */
static int setup_insts(engine *e)
{
    vc_facts *f = e->f;
    int n = f->n_insts;
    e->mfn = calloc((size_t)n + 1, sizeof *e->mfn);
    e->callee = calloc((size_t)n + 1, sizeof *e->callee);
    e->idx = calloc((size_t)n + 1, sizeof *e->idx);
    e->field_region = calloc((size_t)n + 1, sizeof *e->field_region);
    f->made_here = calloc((size_t)n + 1, sizeof *f->made_here);
    f->used_after_write = calloc((size_t)n + 1, sizeof *f->used_after_write);
    if (!e->mfn || !e->callee || !e->idx || !e->field_region || !f->made_here ||
        !f->used_after_write)
        return -1;
    vc_region whole;
    vc_region_whole(&whole);
    if (region_intern(e, &whole) != 0)
        return -1;
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
        if (a >= 0 && a < in->n_args && in->args[a].kind == VC_OP_STRING) {
            vc_index_analyze(in->args[a].str, in->args[a].len, m->format >= 0,
                             &e->idx[i]);
            reg = e->idx[i].region;
            if (e->idx[i].kind == VC_IDX_ERROR) {
                if (grow((void **)&f->bad, &f->cap_bad, f->n_bad + 1, sizeof *f->bad) < 0)
                    return -1;
                vc_bad_index *b = &f->bad[f->n_bad++];
                b->inst = i;
                b->arg = a;
                snprintf(b->message, sizeof b->message, "%s", e->idx[i].message);
            }
        }
        if (m->field >= 0 && m->field < in->n_args &&
            in->args[m->field].kind == VC_OP_STRING)
            vc_region_field(&reg, in->args[m->field].str);
        e->field_region[i] = region_intern(e, &reg);
        if (e->field_region[i] < 0)
            return -1;
    }
    return 0;
}

/* ---- the fixed point ----------------------------------------------------- */

static void engine_free(engine *e)
{
    vc_idtab_free(&e->loc_tab);
    vc_idtab_free(&e->val_tab);
    vc_idtab_free(&e->obj_tab);
    vc_idtab_free(&e->region_tab);
    vc_idtab_free(&e->event_tab);
    free(e->callee);
    free(e->mfn);
    free(e->idx);
    free(e->field_region);
    free(e->default_set);
    for (int l = 0; e->sub_locs && l < e->f->n_locs; l++)
        free(e->sub_locs[l]);
    free(e->sub_locs);
    free(e->n_sub);
    free(e->uses);
}

/* Joins src into dst; returns whether dst changed (-1 on ENOMEM). */
static int join_into(engine *e, int *dst, const int *src)
{
    int changed = 0;
    for (int k = 0; k < e->width; k++) {
        if (dst[k] == src[k])
            continue;
        int u = vc_sets_union(e->sets, dst[k], src[k]);
        if (u < 0)
            return -1;
        if (u != dst[k]) {
            dst[k] = u;
            changed = 1;
        }
    }
    return changed;
}

static int run_block(engine *e, int b, int *st, const int *first_id)
{
    tx t = {e, st, 0, false};
    const vc_block *blk = &e->f->fn->blocks[b];
    for (int i = 0; i < blk->n_insts; i++) {
        t.id = first_id[b] + i;
        transfer(&t, &blk->insts[i]);
        if (t.fail)
            return -1;
    }
    return 0;
}

/* Does block b, from instruction index `from` on, write through `site` or
 * re-make it (the old view is then dead)? */
static bool block_covers(const engine *e, const bool *writes, int b, int from,
                         const int *first_id, int site)
{
    const vc_block *blk = &e->f->fn->blocks[b];
    for (int i = from < 0 ? 0 : from; i < blk->n_insts; i++) {
        int id = first_id[b] + i;
        if (writes[id] || (id == site && i != from))
            return true;
    }
    return false;
}

/* A use of a view after a write through it breaks a window write only when
 * no later write through the view follows on some path to the exit: reads
 * between the writes of a multi-step in-place update are part of the
 * window, and `a -= mean(a)` reads before it writes. */
static int check_trailing_uses(engine *e, const int *first_id)
{
    vc_facts *f = e->f;
    const vc_func *fn = f->fn;
    int nb = fn->n_blocks, rc = 0;
    bool *writes = calloc((size_t)f->n_insts + 1, sizeof *writes);
    bool *seen = calloc((size_t)nb + 1, sizeof *seen);
    int *stack = malloc(((size_t)nb + 1) * sizeof *stack);
    if (!writes || !seen || !stack) {
        rc = -1;
        goto out;
    }
    for (int u = 0; u < e->n_uses; u++) {
        int inst = e->uses[u][0], site = e->uses[u][1];
        if (f->used_after_write[site])
            continue;
        memset(writes, 0, (size_t)f->n_insts * sizeof *writes);
        for (int k = 0; k < f->n_events; k++)
            if (f->vals[f->events[k].val].site == site)
                writes[f->events[k].inst] = true;
        int b = f->inst_block[inst];
        if (block_covers(e, writes, b, inst - first_id[b], first_id, site))
            continue;
        memset(seen, 0, (size_t)nb * sizeof *seen);
        int sp = 0;
        bool trailing = fn->blocks[b].n_succ == 0;
        for (int s = 0; s < fn->blocks[b].n_succ; s++) {
            int c = fn->blocks[b].succ[s];
            if (!seen[c]) {
                seen[c] = true;
                stack[sp++] = c;
            }
        }
        while (sp > 0 && !trailing) {
            int c = stack[--sp];
            if (block_covers(e, writes, c, -1, first_id, site))
                continue;
            if (c == fn->exit || fn->blocks[c].n_succ == 0) {
                trailing = true;
                break;
            }
            for (int s = 0; s < fn->blocks[c].n_succ; s++) {
                int d = fn->blocks[c].succ[s];
                if (!seen[d]) {
                    seen[d] = true;
                    stack[sp++] = d;
                }
            }
        }
        if (trailing)
            f->used_after_write[site] = true;
    }
out:
    free(writes);
    free(seen);
    free(stack);
    return rc;
}

static int solve(engine *e)
{
    vc_facts *f = e->f;
    const vc_func *fn = f->fn;
    int nb = fn->n_blocks, w = e->width, rc = -1;
    int *order = malloc(((size_t)nb + 1) * sizeof *order);
    int *first_id = malloc(((size_t)nb + 1) * sizeof *first_id);
    int *in = malloc(((size_t)nb * (size_t)w + 1) * sizeof *in);
    int *out = malloc(((size_t)nb * (size_t)w + 1) * sizeof *out);
    bool *done = calloc((size_t)nb + 1, sizeof *done);
    int *cur = malloc(((size_t)w + 1) * sizeof *cur);
    if (!order || !first_id || !in || !out || !done || !cur)
        goto out;
    int n_order = vc_cfg_rpo(fn, order);
    if (n_order < 0)
        goto out;
    for (int b = 0, id = 0; b < nb; b++) {
        first_id[b] = id;
        id += fn->blocks[b].n_insts;
    }
    for (int l = 0; l < f->n_locs; l++)
        if ((e->default_set[l] = default_of(e, l)) < 0)
            goto out;
    /* predecessors from successor lists: hand-made IR may lack pred[] */
    int *npred = calloc((size_t)nb + 1, sizeof *npred);
    int **pred = calloc((size_t)nb + 1, sizeof *pred);
    if (!npred || !pred) {
        free(npred);
        free(pred);
        goto out;
    }
    bool pred_ok = true;
    for (int b = 0; b < nb && pred_ok; b++)
        for (int s = 0; s < fn->blocks[b].n_succ && pred_ok; s++) {
            int d = fn->blocks[b].succ[s];
            int *p = realloc(pred[d], (size_t)(npred[d] + 1) * sizeof *p);
            if (!p)
                pred_ok = false;
            else {
                pred[d] = p;
                p[npred[d]++] = b;
            }
        }
    for (int round = 0; pred_ok && round <= MAX_ROUNDS; round++) {
        bool changed = false, last = round == MAX_ROUNDS;
        e->emit = last;
        for (int k = 0; k < n_order; k++) {
            int b = order[k];
            if (b == fn->entry) {
                memcpy(cur, e->default_set, (size_t)f->n_locs * sizeof *cur);
                cur[PENDING(e)] = cur[WRITTEN(e)] = 0;
            } else {
                bool any = false;
                for (int p = 0; p < npred[b]; p++) {
                    if (!done[pred[b][p]])
                        continue;
                    if (!any)
                        memcpy(cur, out + (size_t)pred[b][p] * w, (size_t)w * sizeof *cur);
                    else if (join_into(e, cur, out + (size_t)pred[b][p] * w) < 0)
                        pred_ok = false;
                    any = true;
                }
                if (!any)
                    continue;
            }
            memcpy(in + (size_t)b * w, cur, (size_t)w * sizeof *cur);
            if (run_block(e, b, cur, first_id) < 0) {
                pred_ok = false;
                break;
            }
            if (!done[b] || memcmp(out + (size_t)b * w, cur, (size_t)w * sizeof *cur)) {
                changed = true;
                memcpy(out + (size_t)b * w, cur, (size_t)w * sizeof *cur);
                done[b] = true;
            }
        }
        if (last)
            break;
        if (!changed)
            round = MAX_ROUNDS - 1;     /* stable: one more pass, emitting */
    }
    if (pred_ok && done[fn->exit] == false) {
        /* exit state: the join of the blocks that reach exit */
        bool any = false;
        for (int p = 0; p < npred[fn->exit]; p++) {
            if (!done[pred[fn->exit][p]])
                continue;
            if (!any)
                memcpy(cur, out + (size_t)pred[fn->exit][p] * w, (size_t)w * sizeof *cur);
            else if (join_into(e, cur, out + (size_t)pred[fn->exit][p] * w) < 0)
                pred_ok = false;
            any = true;
        }
        if (any && (f->exit_loc_set = malloc(((size_t)f->n_locs + 1) * sizeof(int))))
            memcpy(f->exit_loc_set, cur, (size_t)f->n_locs * sizeof(int));
        else if (any)
            pred_ok = false;
    } else if (pred_ok && (f->exit_loc_set = malloc(((size_t)f->n_locs + 1) * sizeof(int)))) {
        memcpy(f->exit_loc_set, out + (size_t)fn->exit * w, (size_t)f->n_locs * sizeof(int));
    } else if (pred_ok) {
        pred_ok = false;
    }
    if (pred_ok && check_trailing_uses(e, first_id) < 0)
        pred_ok = false;
    for (int b = 0; b < nb; b++)
        free(pred[b]);
    free(pred);
    free(npred);
    rc = pred_ok ? 0 : -1;
out:
    free(order);
    free(first_id);
    free(in);
    free(out);
    free(done);
    free(cur);
    return rc;
}

int vc_facts_compute(const vc_tu *tu, const vc_func *fn, const vc_model *m,
                     vc_summary_lookup *lookup, void *lookup_ctx, vc_facts *out)
{
    memset(out, 0, sizeof *out);
    out->tu = tu;
    out->fn = fn;
    out->model = m;
    engine e;
    memset(&e, 0, sizeof e);
    e.f = out;
    e.lookup = lookup;
    e.lookup_ctx = lookup_ctx;
    int rc = -1;
    if (!(out->sets = e.sets = vc_sets_new()))
        goto out;
    int n = 0;
    for (int b = 0; b < fn->n_blocks; b++)
        n += fn->blocks[b].n_insts;
    out->n_insts = n;
    out->inst = calloc((size_t)n + 1, sizeof *out->inst);
    out->inst_block = calloc((size_t)n + 1, sizeof *out->inst_block);
    if (!out->inst || !out->inst_block)
        goto out;
    for (int b = 0, id = 0; b < fn->n_blocks; b++)
        for (int i = 0; i < fn->blocks[b].n_insts; i++, id++) {
            out->inst[id] = &fn->blocks[b].insts[i];
            out->inst_block[id] = b;
        }
    if (setup_insts(&e) < 0 || setup_locs(&e) < 0)
        goto out;
    e.width = out->n_locs + 2;
    out->loc_read = calloc((size_t)out->n_locs + 1, sizeof *out->loc_read);
    e.default_set = calloc((size_t)out->n_locs + 1, sizeof *e.default_set);
    if (!out->loc_read || !e.default_set)
        goto out;
    rc = solve(&e);
out:
    engine_free(&e);
    if (rc < 0)
        out->oom = true;
    return rc;
}

void vc_facts_free(vc_facts *f)
{
    if (!f)
        return;
    free(f->inst);
    free(f->inst_block);
    free(f->objs);
    free(f->vals);
    free(f->regions);
    free(f->events);
    free(f->locs);
    free(f->made_here);
    free(f->used_after_write);
    free(f->bad);
    free(f->exit_loc_set);
    free(f->loc_read);
    vc_sets_free(f->sets);
    memset(f, 0, sizeof *f);
}
