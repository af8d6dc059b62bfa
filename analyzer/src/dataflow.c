/*
 * dataflow.c - the flow-sensitive may-analysis of one function: what every
 * handle, raw pointer and struct field may hold, which writes may have
 * happened, and which later uses observe them (vocabulary in dataflow.h).
 *
 * Key idea: a state maps every access path (location) of the function to a
 * hash-consed set of abstract values (sets.c), plus two more sets: pending
 * write events and views written since they were made. The transfer
 * functions (transfer.c) read the model (model.c) or a callee's summary
 * (summary.c); states are joined by set union at block entries and
 * iterated over the blocks in
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
 *  2. A location with an ELEM step (rows[i], parts[k]) is a weak
 *     location: stores join into it. Assigning a variable, a field or
 *     the element behind a pointer parameter (*out) replaces what it held.
 *  3. Only the final pass records facts (observations, uses after writes,
 *     returned values); the fixed-point rounds only compute states.
 *  4. An object made at an instruction is new each time the instruction
 *     runs: events on it are dropped there (a loop's next iteration does
 *     not observe the last iteration's array). A view made at a site is
 *     "re-made" there the same way.
 * Not done here: per-function precomputation (setup.c), what one
 * instruction does (transfer.c), deciding what is reported (rules/),
 * summaries of callees (summary.c), index parsing (region.c via libnd).
 */
#include "dataflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "dataflow_int.h"

#define MAX_ROUNDS 64

/* ---- interning -------------------------------------------------------- */

int vc__grow(void **p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return 0;
    int c = *cap ? *cap : elem > 256 ? 4 : 32;     /* regions are 1 KB */
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


bool vc__path_eq(const vc_path *a, const vc_path *b)
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
    return vc__path_eq(&e->f->locs[id], key);
}

/* The location of p (interned on first sight); -1 for no variable. */
/* A plain scalar variable (a double, a size) never holds a handle or a
 * pointer: it gets no location, which keeps states small. */
static bool untracked(const engine *e, const vc_path *p)
{
    const vc_var *v = &e->f->fn->vars[p->var];
    return p->n_steps == 0 && v->ptr_depth == 0 && !v->is_aggregate && v->type &&
           v->type[0];
}

int vc__loc_intern(engine *e, const vc_path *p)
{
    if (p->var < 0 || untracked(e, p))
        return -1;
    uint64_t h = path_hash(p);
    int id = vc_idtab_find(&e->loc_tab, h, loc_eq, e, p);
    if (id >= 0)
        return id;
    vc_facts *f = e->f;
    if (vc__grow((void **)&f->locs, &f->cap_locs, f->n_locs + 1, sizeof *f->locs) < 0)
        return -2;
    f->locs[f->n_locs] = *p;
    id = f->n_locs++;
    return vc_idtab_put(&e->loc_tab, h, id) < 0 ? -2 : id;
}

int vc__loc_find(const engine *e, const vc_path *p)
{
    if (p->var < 0)
        return -1;
    return vc_idtab_find(&e->loc_tab, path_hash(p), loc_eq, e, p);
}

static bool obj_eq(const void *ctx, int id, const void *key)
{
    const engine *e = ctx;
    const vc_obj *a = &e->f->objs[id], *b = key;
    return a->kind == b->kind && a->idx == b->idx && a->sub == b->sub &&
           a->flags == b->flags;
}

int vc__obj_intern(engine *e, vc_obj_kind kind, int idx, int sub, unsigned flags)
{
    vc_obj key = {kind, idx, sub, flags, -1};
    uint64_t h = vc_hash_mix(vc_hash_mix(vc_hash_mix(vc_hash_mix(3, kind), (uint64_t)idx),
                                         (uint64_t)sub), flags);
    int id = vc_idtab_find(&e->obj_tab, h, obj_eq, e, &key);
    if (id >= 0)
        return id;
    vc_facts *f = e->f;
    if (vc__grow((void **)&f->objs, &f->cap_objs, f->n_objs + 1, sizeof *f->objs) < 0)
        return -1;
    f->objs[f->n_objs] = key;
    id = f->n_objs++;
    return vc_idtab_put(&e->obj_tab, h, id) < 0 ? -1 : id;
}

static bool region_eq(const void *ctx, int id, const void *key)
{
    const engine *e = ctx;
    return vc_region_eq(&e->f->regions[id], key);
}

int vc__region_intern(engine *e, const vc_region *r)
{
    uint64_t h = vc_region_hash(5, r);  /* the used axes only: cheap */
    int id = vc_idtab_find(&e->region_tab, h, region_eq, e, r);
    if (id >= 0)
        return id;
    vc_facts *f = e->f;
    if (vc__grow((void **)&f->regions, &f->cap_regions, f->n_regions + 1,
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

int vc__val_make(engine *e, const vc_val *v)
{
    if (v->obj < 0 || v->region < 0)
        return -1;
    vc_val key;
    memset(&key, 0, sizeof key);        /* padding too: keys are memcmp'd */
    key.obj = v->obj;
    key.site = v->site;
    key.from = v->from;
    key.root = v->root;
    key.region = v->region;
    key.flags = v->flags;
    uint64_t h = vc_hash_mix(vc_hash_mix(vc_hash_mix(17, (uint64_t)key.obj),
                                         (uint64_t)(unsigned)key.site),
                             (uint64_t)(unsigned)key.from);
    h = vc_hash_mix(vc_hash_mix(vc_hash_mix(h, (uint64_t)(unsigned)key.root),
                                (uint64_t)key.region), key.flags);
    int id = vc_idtab_find(&e->val_tab, h, val_eq, e, &key);
    if (id >= 0)
        return id;
    vc_facts *f = e->f;
    if (vc__grow((void **)&f->vals, &f->cap_vals, f->n_vals + 1, sizeof *f->vals) < 0)
        return -1;
    f->vals[f->n_vals] = key;
    id = f->n_vals++;
    return vc_idtab_put(&e->val_tab, h, id) < 0 ? -1 : id;
}

int vc__val_intern(engine *e, int obj, int site, int region, unsigned flags)
{
    vc_val key = {.obj = obj, .site = site, .from = -1, .root = site,
                  .region = region, .flags = flags};
    return vc__val_make(e, &key);
}

static bool event_eq(const void *ctx, int id, const void *key)
{
    const engine *e = ctx;
    const vc_event *a = &e->f->events[id], *b = key;
    return a->inst == b->inst && a->val == b->val && a->how == b->how;
}

int vc__event_intern(engine *e, int inst, int val, unsigned how, vc_loc cloc,
                     int arg)
{
    vc_event key;
    memset(&key, 0, sizeof key);
    key.arg = arg;
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
    if (vc__grow((void **)&f->events, &f->cap_events, f->n_events + 1,
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
        if (o->name_loc >= 0)
            vc_path_text(f, &f->locs[o->name_loc], buf, size);
        else if (in->kind == VC_I_CALL && in->dst.var >= 0 &&
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
        vc__transfer(&t, &blk->insts[i]);
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
 * window, and `a -= mean(a)` reads before it writes. A raw element load
 * breaks it only when no write through the view can follow at all: the
 * loads of a loop that updates the window element by element
 * (`if (p[i] > hi) p[i] = hi;`) are part of the update. */
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
        bool element = e->uses[u][2];
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
        bool trailing = element || fn->blocks[b].n_succ == 0;
        for (int s = 0; s < fn->blocks[b].n_succ; s++) {
            int c = fn->blocks[b].succ[s];
            if (!seen[c]) {
                seen[c] = true;
                stack[sp++] = c;
            }
        }
        while (sp > 0 && (element || !trailing)) {
            int c = stack[--sp];
            if (block_covers(e, writes, c, -1, first_id, site)) {
                if (!element)
                    continue;
                trailing = false;   /* a write can follow the load */
                break;
            }
            if (!element && (c == fn->exit || fn->blocks[c].n_succ == 0)) {
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
    int *out = malloc(((size_t)nb * (size_t)w + 1) * sizeof *out);
    bool *done = calloc((size_t)nb + 1, sizeof *done);
    int *cur = malloc(((size_t)w + 1) * sizeof *cur);
    if (!order || !first_id || !out || !done || !cur)
        goto out;
    int n_order = vc_cfg_rpo(fn, order);
    if (n_order < 0)
        goto out;
    for (int b = 0, id = 0; b < nb; b++) {
        first_id[b] = id;
        id += fn->blocks[b].n_insts;
    }
    for (int l = 0; l < f->n_locs; l++)
        if ((e->default_set[l] = vc__default_of(e, l)) < 0)
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
    /* Without an edge back to an earlier (or the same) block of the order,
       every block sees all of its predecessors final in round 0: that round
       is the fixed point, and the confirming round would change nothing. */
    bool acyclic = true;
    int *rank = malloc(((size_t)nb + 1) * sizeof *rank);
    if (!rank)
        pred_ok = false;
    for (int b = 0; rank && b < nb; b++)
        rank[b] = -1;
    for (int k = 0; rank && k < n_order; k++)
        rank[order[k]] = k;
    for (int k = 0; rank && k < n_order && acyclic; k++)
        for (int s = 0; s < fn->blocks[order[k]].n_succ; s++)
            if (rank[fn->blocks[order[k]].succ[s]] <= k)
                acyclic = false;
    free(rank);
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
        if (!changed || (acyclic && round == 0))
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
    if (vc__setup_insts(&e) < 0 || vc__setup_locs(&e) < 0)
        goto out;
    e.width = out->n_locs + 2;
    out->loc_read = calloc((size_t)out->n_locs + 1, sizeof *out->loc_read);
    out->loc_read_region = malloc(((size_t)out->n_locs + 1) * sizeof *out->loc_read_region);
    if (!out->loc_read_region)
        goto out;
    for (int l = 0; l < out->n_locs; l++)
        out->loc_read_region[l] = -1;
    for (int p = 0; p < 64; p++)
        out->param_read_region[p] = -1;
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
    free(f->ret_parts);
    free(f->loc_read);
    free(f->loc_read_region);
    vc_sets_free(f->sets);
    memset(f, 0, sizeof *f);
}
