/*
 * test_dataflow.c - analyzer/src/dataflow.c on hand-made IR: what handles
 * hold after assignments, branches, loops, fields and element stores; write
 * events and their observation; objects re-made in loops; const and raw
 * pointer flags.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/irb.h"
#include "dataflow.h"

static vc_model *model;

static void setup(void)
{
    char *err = NULL;
    model = NULL;
    ck_assert_msg(vc_model_load(&model, "rules/models/nd.json", &err) == 0, "%s", err);
}

static void teardown(void)
{
    vc_model_free(model);
}

static void facts_of(irb *b, vc_facts *f)
{
    static vc_tu tu;
    memset(&tu, 0, sizeof tu);
    tu.path = "t.c";
    ck_assert_int_eq(vc_facts_compute(&tu, irb_done(b), model, NULL, NULL, f), 0);
}

/* The values held by path p at exit. */
static const int *at_exit(const vc_facts *f, vc_path p, int *n)
{
    for (int l = 0; l < f->n_locs; l++) {
        const vc_path *q = &f->locs[l];
        if (q->var != p.var || q->n_steps != p.n_steps)
            continue;
        bool same = true;
        for (int k = 0; k < p.n_steps; k++)
            same &= q->step[k].kind == p.step[k].kind &&
                    (q->step[k].kind == VC_STEP_ELEM || !strcmp(q->step[k].name, p.step[k].name));
        if (same)
            return vc_set_items(f, f->exit_loc_set[l], n);
    }
    *n = 0;
    return NULL;
}

#define ND "nd_array"

START_TEST(view_and_owner_values)
{
    irb *b = irb_new("f");
    int a = irb_var(b, "A", ND, 1, 0), v = irb_var(b, "v", ND, 1, 0);
    int c = irb_var(b, "c", ND, 1, 0);
    irb_call(b, a, "nd_zeros", 3, I(0), I(1), I(0));
    irb_call(b, v, "nd_get", 2, V(b, a), S(":800"));
    irb_call(b, c, "nd_copy", 1, V(b, v));
    vc_facts f;
    facts_of(b, &f);
    int n;
    const int *va = at_exit(&f, irb_path(a), &n);
    ck_assert_int_eq(n, 1);
    const vc_val *owner = &f.vals[va[0]];
    ck_assert(!(owner->flags & VC_VAL_VIEW));
    ck_assert(f.objs[owner->obj].flags & VC_OBJ_FRESH);
    const int *vv = at_exit(&f, irb_path(v), &n);
    ck_assert_int_eq(n, 1);
    const vc_val *view = &f.vals[vv[0]];
    ck_assert(view->flags & VC_VAL_VIEW);
    ck_assert(!(view->flags & VC_VAL_MAYBE));
    ck_assert_int_eq(view->obj, owner->obj);       /* a view of A */
    ck_assert(!vc_region_is_whole(&f.regions[view->region]));
    const int *vc = at_exit(&f, irb_path(c), &n);
    ck_assert_int_eq(n, 1);
    ck_assert_int_ne(f.vals[vc[0]].obj, owner->obj);
    vc_facts_free(&f);
    free(b);
}
END_TEST

START_TEST(branches_join_and_assignment_replaces)
{
    irb *b = irb_new("f");
    int a = irb_param(b, "A", ND, 1, 0);
    int v = irb_var(b, "v", ND, 1, 0), w = irb_var(b, "w", ND, 1, 0);
    int l = irb_block(b), r = irb_block(b), j = irb_block(b);
    irb_edge(b, 0, l);
    irb_edge(b, 0, r);
    irb_at(b, l);
    irb_call(b, v, "nd_get", 2, V(b, a), S("0"));
    irb_edge(b, l, j);
    irb_at(b, r);
    irb_call(b, v, "nd_copy", 1, V(b, a));
    irb_edge(b, r, j);
    irb_at(b, j);
    irb_copy(b, irb_path(w), V(b, v));
    irb_call(b, w, "nd_copy", 1, V(b, a));     /* replaces what w held */
    vc_facts f;
    facts_of(b, &f);
    int n;
    at_exit(&f, irb_path(v), &n);
    ck_assert_int_eq(n, 2);
    const int *vw = at_exit(&f, irb_path(w), &n);
    ck_assert_int_eq(n, 1);
    ck_assert(f.objs[f.vals[vw[0]].obj].flags & VC_OBJ_FRESH);
    vc_facts_free(&f);
    free(b);
}
END_TEST

/* v = A; loop { v = nd_transpose(v); }: the fixed point holds A itself and
 * a view of A whose axes differ. */
START_TEST(loop_reaches_fixed_point)
{
    irb *b = irb_new("f");
    int a = irb_param(b, "A", ND, 1, 0), v = irb_var(b, "v", ND, 1, 0);
    irb_copy(b, irb_path(v), V(b, a));
    int h = irb_block(b), body = irb_block(b), out = irb_block(b);
    irb_edge(b, 0, h);
    irb_at(b, h);
    irb_edge(b, h, body);
    irb_edge(b, h, out);
    irb_at(b, body);
    irb_call(b, v, "nd_transpose", 1, V(b, v));
    irb_edge(b, body, h);
    irb_at(b, out);
    vc_facts f;
    facts_of(b, &f);
    int n;
    const int *vv = at_exit(&f, irb_path(v), &n);
    /* A itself, its transpose, and the transpose of that (made from the
       same site: the chain stops growing) */
    ck_assert_int_eq(n, 3);
    bool axes = false;
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(f.objs[f.vals[vv[i]].obj].kind, VC_OBJ_PARAM);
        axes |= (f.vals[vv[i]].flags & VC_VAL_AXES) != 0;
    }
    ck_assert(axes);
    vc_facts_free(&f);
    free(b);
}
END_TEST

/* rows[i] = view0; rows[i] = view1: an element location is weak. A struct
 * copy carries its fields. */
START_TEST(weak_elements_and_struct_copies)
{
    irb *b = irb_new("f");
    int a = irb_param(b, "A", ND, 1, 0);
    int rows = irb_var(b, "rows", ND, 2, 0);
    b->vars[rows].is_aggregate = true;
    int s1 = irb_var(b, "s1", "pair", 0, 0), s2 = irb_var(b, "s2", "pair", 0, 0);
    b->vars[s1].is_aggregate = b->vars[s2].is_aggregate = true;
    vc_path re = irb_elem(irb_path(rows));
    irb_call_p(b, re, "nd_get", 2, V(b, a), S("0"));
    irb_call_p(b, re, "nd_get", 2, V(b, a), S("1"));
    vc_path s1v = irb_field(irb_path(s1), "val");
    irb_call_p(b, s1v, "nd_get", 2, V(b, a), S("2"));
    irb_copy(b, irb_path(s2), V(b, s1));
    vc_facts f;
    facts_of(b, &f);
    int n;
    at_exit(&f, re, &n);
    ck_assert_int_eq(n, 2);
    const int *sv = at_exit(&f, irb_field(irb_path(s2), "val"), &n);
    ck_assert_int_eq(n, 1);
    ck_assert(f.vals[sv[0]].flags & VC_VAL_VIEW);
    vc_facts_free(&f);
    free(b);
}
END_TEST

static const vc_event *event_at(const vc_facts *f, const vc_inst *w)
{
    for (int i = 0; i < f->n_events; i++)
        if (f->inst[f->events[i].inst] == w)
            return &f->events[i];
    return NULL;
}

/* A read of the parent before the write does not observe it; after, it does;
 * through a disjoint view it does not. */
START_TEST(observation_order_and_regions)
{
    irb *b = irb_new("f");
    int a = irb_param(b, "A", ND, 1, 0);
    int v = irb_var(b, "v", ND, 1, 0), u = irb_var(b, "u", ND, 1, 0);
    int t = irb_temp(b, "double", 0), t2 = irb_temp(b, "double", 0);
    irb_call(b, t, "nd_sum", 1, V(b, a));
    irb_call(b, v, "nd_get", 2, V(b, a), S("::2"));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, u, "nd_get", 2, V(b, a), S("1::2"));
    irb_call(b, t2, "nd_sum", 1, V(b, u));
    vc_facts f;
    facts_of(b, &f);
    const vc_event *ev = event_at(&f, w);
    ck_assert_ptr_nonnull(ev);
    ck_assert(!ev->observed);
    ck_assert_int_eq(ev->how, VC_HOW_VIEW);
    vc_facts_free(&f);
    /* now read the whole parent after the write */
    irb_call(b, t2, "nd_mean", 1, V(b, a));
    facts_of(b, &f);
    ev = event_at(&f, w);
    ck_assert(ev->observed);
    ck_assert_ptr_eq(f.inst[ev->obs_inst], &b->insts[0][5]);
    vc_facts_free(&f);
    free(b);
}
END_TEST


/* v = A[:10]; w = v[:2]; fill(w); sum(A[5:]): w is A[:2], disjoint from
 * A[5:]; reading A[1:] afterwards observes it. A helper-style write of
 * v[:2] (nd_set_scalar(v, ":2", 0)) composes the same way. */
START_TEST(views_of_views_compose)
{
    irb *b = irb_new("f");
    int a = irb_param(b, "A", ND, 1, 0);
    int v = irb_var(b, "v", ND, 1, 0), w = irb_var(b, "w", ND, 1, 0);
    int u = irb_var(b, "u", ND, 1, 0), x = irb_var(b, "x", ND, 1, 0);
    int t = irb_temp(b, "double", 0);
    irb_call(b, v, "nd_get", 2, V(b, a), S(":10"));
    irb_call(b, w, "nd_get", 2, V(b, v), S(":2"));
    vc_inst *fill = irb_call(b, -1, "nd_fill", 2, V(b, w), I(0));
    vc_inst *set = irb_call(b, -1, "nd_set_scalar", 3, V(b, v), S(":2"), I(0));
    irb_call(b, u, "nd_get", 2, V(b, a), S("5:"));
    irb_call(b, t, "nd_sum", 1, V(b, u));
    vc_facts f;
    facts_of(b, &f);
    ck_assert(!event_at(&f, fill)->observed);
    ck_assert(!event_at(&f, set)->observed);
    vc_facts_free(&f);
    irb_call(b, x, "nd_get", 2, V(b, a), S("1:"));
    irb_call(b, t, "nd_sum", 1, V(b, x));
    facts_of(b, &f);
    ck_assert(event_at(&f, fill)->observed);
    ck_assert(event_at(&f, set)->observed);
    vc_facts_free(&f);
    free(b);
}
END_TEST

/* Index items built by the model's item macros classify nd_get_items: a
 * list item copies, basic items view, an item stored otherwise is unknown. */
static const vc_val *items_result(const char *macro2, bool extra_store, long long count)
{
    static vc_facts f;
    static irb *b;
    if (b) {
        vc_facts_free(&f);
        free(b);
        b = NULL;
    }
    if (!macro2)
        return NULL;            /* only release the last function */
    b = irb_new("f");
    int a = irb_param(b, "A", ND, 1, 0);
    int it = irb_var(b, "items", "nd_index", 1, 0), r = irb_var(b, "r", ND, 1, 0);
    b->vars[it].is_aggregate = true;
    irb_emit(b, VC_I_HAVOC)->dst = irb_elem(irb_path(it));
    b->insts[0][0].macro = "ND_AT";
    vc_inst *h = irb_emit(b, VC_I_HAVOC);
    h->dst = irb_elem(irb_path(it));
    h->macro = macro2;
    if (extra_store)
        irb_emit(b, VC_I_HAVOC)->dst = irb_elem(irb_path(it));
    irb_call(b, r, "nd_get_items", 3, V(b, a), I(count), ADDR(b, irb_elem(irb_path(it))));
    facts_of(b, &f);
    int n;
    const int *vr = at_exit(&f, irb_path(r), &n);
    ck_assert_int_eq(n, 1);
    return &f.vals[vr[0]];
}

START_TEST(index_items_classified)
{
    const vc_val *r = items_result("ND_ARRAY", false, 2);
    ck_assert(!(r->flags & VC_VAL_VIEW));           /* a copy */
    r = items_result("ND_SLICE", false, 2);
    ck_assert(r->flags & VC_VAL_VIEW);
    ck_assert(!(r->flags & VC_VAL_MAYBE));
    r = items_result("ND_ARRAY", true, 3);          /* it[k] = v: unknown */
    ck_assert(r->flags & VC_VAL_MAYBE);
    r = items_result("ND_ARRAY", false, 1);         /* the list may be unused */
    ck_assert(r->flags & VC_VAL_MAYBE);
    r = items_result("MY_ITEM", false, 2);          /* not a model macro */
    ck_assert(r->flags & VC_VAL_MAYBE);
    ck_assert_ptr_null(items_result(NULL, false, 0));
}
END_TEST


static bool any_observed(const vc_facts *f, const vc_inst *w)
{
    bool any = false;
    for (int i = 0; i < f->n_events; i++)
        any |= f->inst[f->events[i].inst] == w && f->events[i].observed;
    return any;
}

/* if (c) v = A[:5]; else v = A[3:8]; fill(v); sum(v): the handle written
 * is the handle read, one view per path: no observation. Reading A[:5]
 * through another handle u afterwards observes the write of A[3:8]. */
START_TEST(same_handle_other_path)
{
    irb *b = irb_new("f");
    int a = irb_param(b, "A", ND, 1, 0);
    int v = irb_var(b, "v", ND, 1, 0), u = irb_var(b, "u", ND, 1, 0);
    int t = irb_temp(b, "double", 0);
    int l = irb_block(b), r = irb_block(b), j = irb_block(b);
    irb_call(b, u, "nd_get", 2, V(b, a), S(":5"));
    irb_edge(b, 0, l);
    irb_edge(b, 0, r);
    irb_at(b, l);
    irb_copy(b, irb_path(v), V(b, u));
    irb_edge(b, l, j);
    irb_at(b, r);
    irb_call(b, v, "nd_get", 2, V(b, a), S("3:8"));
    irb_edge(b, r, j);
    irb_at(b, j);
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, t, "nd_sum", 1, V(b, v));
    vc_facts f;
    facts_of(b, &f);
    ck_assert_ptr_nonnull(event_at(&f, w));
    ck_assert(!any_observed(&f, w));
    vc_facts_free(&f);
    irb_call(b, t, "nd_sum", 1, V(b, u));
    facts_of(b, &f);
    ck_assert(any_observed(&f, w));
    vc_facts_free(&f);
    free(b);
}
END_TEST

/* loop { A = nd_zeros(); nd_sum(A); v = nd_get(A, ":"); nd_fill(v, 0); }:
 * the next iteration's sum reads a new A, so the write is not observed. */
START_TEST(objects_remade_in_loops)
{
    irb *b = irb_new("f");
    int a = irb_var(b, "A", ND, 1, 0), v = irb_var(b, "v", ND, 1, 0);
    int t = irb_temp(b, "double", 0);
    int h = irb_block(b), body = irb_block(b), out = irb_block(b);
    irb_edge(b, 0, h);
    irb_at(b, h);
    irb_edge(b, h, body);
    irb_edge(b, h, out);
    irb_at(b, body);
    irb_call(b, a, "nd_zeros", 3, I(0), I(1), I(0));
    irb_call(b, t, "nd_sum", 1, V(b, a));
    irb_call(b, v, "nd_get", 2, V(b, a), S(":"));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_edge(b, body, h);
    irb_at(b, out);
    vc_facts f;
    facts_of(b, &f);
    ck_assert(!event_at(&f, w)->observed);
    vc_facts_free(&f);
    free(b);
}
END_TEST

START_TEST(const_and_raw_flags)
{
    irb *b = irb_new("f");
    int a = irb_param(b, "A", ND, 1, 1);
    int v = irb_var(b, "v", ND, 1, 0), p = irb_var(b, "p", "double", 1, 0);
    irb_call(b, v, "nd_get", 2, V(b, a), S("0"));
    irb_call(b, p, "nd_data", 1, V(b, v));
    vc_inst *w = irb_store(b, V(b, p));
    vc_facts f;
    facts_of(b, &f);
    int n;
    const int *pv = at_exit(&f, irb_path(p), &n);
    ck_assert_int_eq(n, 1);
    unsigned fl = f.vals[pv[0]].flags;
    ck_assert(fl & VC_VAL_RAW);
    ck_assert(fl & VC_VAL_CONST);
    ck_assert(fl & VC_VAL_VIEW);
    const vc_event *ev = event_at(&f, w);
    ck_assert_int_eq(ev->how, VC_HOW_RAW);
    vc_facts_free(&f);
    free(b);
}
END_TEST

/* The window-write facts: a view read between two writes is still a
 * window; a view read after its last write is not. */
START_TEST(use_after_last_write)
{
    irb *b = irb_new("f");
    int a = irb_param(b, "A", ND, 1, 0);
    int v = irb_var(b, "v", ND, 1, 0), t = irb_temp(b, "double", 0);
    vc_inst *mk = irb_call(b, v, "nd_get", 2, V(b, a), S("0"));
    irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, t, "nd_sum", 1, V(b, v));
    irb_call(b, -1, "nd_imul_scalar", 2, V(b, v), V(b, t));
    irb_call(b, -1, "nd_free", 1, V(b, v));
    vc_facts f;
    facts_of(b, &f);
    int site = -1;
    for (int i = 0; i < f.n_insts; i++)
        if (f.inst[i] == mk)
            site = i;
    ck_assert(f.made_here[site]);
    ck_assert(!f.used_after_write[site]);
    vc_facts_free(&f);
    irb_call(b, t, "nd_sum", 1, V(b, v));
    facts_of(b, &f);
    ck_assert(f.used_after_write[site]);
    vc_facts_free(&f);
    free(b);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("dataflow");
    TCase *tc = tcase_create("dataflow");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, view_and_owner_values);
    tcase_add_test(tc, branches_join_and_assignment_replaces);
    tcase_add_test(tc, loop_reaches_fixed_point);
    tcase_add_test(tc, weak_elements_and_struct_copies);
    tcase_add_test(tc, observation_order_and_regions);
    tcase_add_test(tc, objects_remade_in_loops);
    tcase_add_test(tc, const_and_raw_flags);
    tcase_add_test(tc, use_after_last_write);
    tcase_add_test(tc, views_of_views_compose);
    tcase_add_test(tc, index_items_classified);
    tcase_add_test(tc, same_handle_other_path);
    suite_add_tcase(s, tc);
    return s;
}
