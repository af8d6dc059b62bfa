/*
 * test_summary.c - analyzer/src/summary.c: what a function does to its
 * parameters, read off its flow facts, and the bottom-up computation over
 * a call graph with recursion and two TUs.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/irb.h"
#include "summary.h"

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

#define ND "nd_array"

static unsigned writes_of(const vc_summary *s, int param, int n_steps)
{
    unsigned how = 0;
    for (int i = 0; i < s->n_writes; i++)
        if (s->writes[i].at.var == param && s->writes[i].at.n_steps == n_steps)
            how |= s->writes[i].how;
    return how;
}

static bool reads_of(const vc_summary *s, int param)
{
    for (int i = 0; i < s->n_reads; i++)
        if (s->reads[i].at.var == param && s->reads[i].at.n_steps == 0)
            return true;
    return false;
}

/* f(a, b, c, d, e): fills a; fills a view of b; stores through nd_data(c);
 * reads d; only inspects e; returns a view of b. */
START_TEST(summary_of_one_function)
{
    irb *b = irb_new("f");
    int pa = irb_param(b, "a", ND, 1, 0), pb = irb_param(b, "b", ND, 1, 0);
    int pc = irb_param(b, "c", ND, 1, 0), pd = irb_param(b, "d", ND, 1, 0);
    int pe = irb_param(b, "e", ND, 1, 0);
    int v = irb_var(b, "v", ND, 1, 0), p = irb_var(b, "p", "double", 1, 0);
    int t = irb_temp(b, "double", 0), sh = irb_temp(b, "long", 1);
    irb_call(b, -1, "nd_fill", 2, V(b, pa), I(0));
    irb_call(b, v, "nd_get", 2, V(b, pb), S("1:"));
    irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, p, "nd_data", 1, V(b, pc));
    irb_store(b, V(b, p));
    irb_call(b, t, "nd_sum", 1, V(b, pd));
    irb_call(b, sh, "nd_shape", 1, V(b, pe));
    irb_ret(b, V(b, v));
    irb_tu t1;
    irb *fns[1] = {b};
    vc_tu *tu = irb_tu_of(&t1, "a.c", 1, fns);
    vc_program *prog = vc_program_build(&tu, 1, model);
    ck_assert_ptr_nonnull(prog);
    vc_program_scope sc = {prog, tu};
    const vc_summary *s = vc_program_lookup(&sc, "f");
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(writes_of(s, pa, 0), VC_HOW_DIRECT);
    ck_assert_uint_eq(writes_of(s, pb, 0), VC_HOW_VIEW);
    ck_assert_uint_eq(writes_of(s, pc, 0), VC_HOW_RAW);
    ck_assert_uint_eq(writes_of(s, pd, 0), 0);
    ck_assert(reads_of(s, pd));
    ck_assert(!reads_of(s, pe));
    ck_assert_int_eq(s->n_ret, 1);
    ck_assert_int_eq(s->ret[0].kind, VC_SV_VIEW);
    ck_assert_int_eq(s->ret[0].at.var, pb);
    ck_assert(!vc_region_is_whole(&s->ret[0].region));
    ck_assert_ptr_null(vc_program_lookup(&sc, "g"));
    vc_program_free(prog);
    free(b);
}
END_TEST

/* outer(x) calls mid(x) calls inner(x), which writes; outer also leaves a
 * view of x in *out and a fresh array in d->val. */
START_TEST(callees_first_and_out_parameters)
{
    irb *in = irb_new("inner");
    int ix = irb_param(in, "x", ND, 1, 0);
    irb_call(in, -1, "nd_iadd_scalar", 2, V(in, ix), I(1));
    irb *mid = irb_new("mid");
    int mx = irb_param(mid, "x", ND, 1, 0);
    irb_call(mid, -1, "inner", 1, V(mid, mx));
    irb *out = irb_new("outer");
    int ox = irb_param(out, "x", ND, 1, 0), oo = irb_param(out, "out", ND, 2, 0);
    int od = irb_param(out, "d", "holder", 1, 0);
    int t = irb_temp(out, ND, 1), u = irb_temp(out, ND, 1);
    irb_call(out, -1, "mid", 1, V(out, ox));
    irb_call(out, t, "nd_get", 2, V(out, ox), S("0"));
    irb_copy(out, irb_elem(irb_path(oo)), V(out, t));
    irb_call(out, u, "nd_zeros", 3, I(0), I(1), I(0));
    irb_copy(out, irb_field(irb_path(od), "val"), V(out, u));
    /* callers listed before callees: order must not matter */
    irb_tu t1, t2;
    irb *f1[2] = {out, mid}, *f2[1] = {in};
    vc_tu *tus[2] = {irb_tu_of(&t1, "b.c", 2, f1), irb_tu_of(&t2, "a.c", 1, f2)};
    vc_program *prog = vc_program_build(tus, 2, model);
    ck_assert_ptr_nonnull(prog);
    vc_program_scope sc = {prog, tus[0]};
    const vc_summary *sm = vc_program_lookup(&sc, "mid");
    ck_assert_uint_eq(writes_of(sm, mx, 0), VC_HOW_CALLEE);
    const vc_summary *so = vc_program_lookup(&sc, "outer");
    ck_assert_uint_eq(writes_of(so, ox, 0), VC_HOW_CALLEE);
    bool view_out = false, fresh_field = false;
    for (int i = 0; i < so->n_outs; i++) {
        const vc_sum_out *o = &so->outs[i];
        if (o->at.var == oo && o->n_vals == 1 && o->vals[0].kind == VC_SV_VIEW &&
            o->vals[0].at.var == ox)
            view_out = true;
        if (o->at.var == od && o->n_vals == 1 && o->vals[0].kind == VC_SV_FRESH)
            fresh_field = true;
    }
    ck_assert(view_out);
    ck_assert(fresh_field);
    vc_program_free(prog);
    free(in);
    free(mid);
    free(out);
}
END_TEST

/* even(x, n) -> odd(x, n) -> even(x, n) ...; odd also fills x: the SCC
 * iterates until both know they write x. */
START_TEST(mutual_recursion)
{
    irb *ev = irb_new("even"), *od = irb_new("odd");
    int ex = irb_param(ev, "x", ND, 1, 0), en = irb_param(ev, "n", "int", 0, 0);
    int ox = irb_param(od, "x", ND, 1, 0), on = irb_param(od, "n", "int", 0, 0);
    irb_call(ev, -1, "odd", 2, V(ev, ex), V(ev, en));
    irb_call(od, -1, "even", 2, V(od, ox), V(od, on));
    irb_call(od, -1, "nd_fill", 2, V(od, ox), I(0));
    irb_tu t1;
    irb *f1[2] = {ev, od};
    vc_tu *tu = irb_tu_of(&t1, "r.c", 2, f1);
    vc_program *prog = vc_program_build(&tu, 1, model);
    ck_assert_ptr_nonnull(prog);
    vc_program_scope sc = {prog, tu};
    ck_assert(writes_of(vc_program_lookup(&sc, "even"), ex, 0) & VC_HOW_CALLEE);
    ck_assert(writes_of(vc_program_lookup(&sc, "odd"), ox, 0) & VC_HOW_DIRECT);
    ck_assert(writes_of(vc_program_lookup(&sc, "odd"), ox, 0) & VC_HOW_CALLEE);
    vc_program_free(prog);
    free(ev);
    free(od);
}
END_TEST

/* A static function is seen only from its own TU. */
START_TEST(static_functions_stay_per_tu)
{
    irb *s1 = irb_new("helper"), *s2 = irb_new("helper");
    s1->fn.is_static = s2->fn.is_static = true;
    int x1 = irb_param(s1, "x", ND, 1, 0);
    irb_param(s2, "x", ND, 1, 0);
    irb_call(s1, -1, "nd_fill", 2, V(s1, x1), I(0));
    irb_tu t1, t2;
    irb *f1[1] = {s1}, *f2[1] = {s2};
    vc_tu *tus[2] = {irb_tu_of(&t1, "one.c", 1, f1), irb_tu_of(&t2, "two.c", 1, f2)};
    vc_program *prog = vc_program_build(tus, 2, model);
    vc_program_scope a = {prog, tus[0]}, b = {prog, tus[1]};
    ck_assert_uint_eq(writes_of(vc_program_lookup(&a, "helper"), 0, 0), VC_HOW_DIRECT);
    ck_assert_uint_eq(writes_of(vc_program_lookup(&b, "helper"), 0, 0), 0);
    vc_program_free(prog);
    free(s1);
    free(s2);
}
END_TEST

/* Reads are placed relative to the callee's own writes, so a caller sees
 * `f(view, parent)` write then read, and `g(view, parent)` read then write. */
START_TEST(reads_before_and_after_writes)
{
    irb *f = irb_new("f"), *g = irb_new("g");
    int fv = irb_param(f, "view", ND, 1, 0), fp = irb_param(f, "parent", ND, 1, 1);
    int gv = irb_param(g, "view", ND, 1, 0), gp = irb_param(g, "parent", ND, 1, 1);
    int t1 = irb_temp(f, "double", 0), t2 = irb_temp(g, "double", 0);
    irb_call(f, -1, "nd_fill", 2, V(f, fv), I(0));
    irb_call(f, t1, "nd_sum", 1, V(f, fp));
    irb_call(g, t2, "nd_sum", 1, V(g, gp));
    irb_call(g, -1, "nd_fill", 2, V(g, gv), I(0));
    irb_tu t;
    irb *fns[2] = {f, g};
    vc_tu *tu = irb_tu_of(&t, "r.c", 2, fns);
    vc_program *prog = vc_program_build(&tu, 1, model);
    vc_program_scope sc = {prog, tu};
    const vc_summary *sf = vc_program_lookup(&sc, "f"), *sg = vc_program_lookup(&sc, "g");
    ck_assert_int_eq(sf->n_reads, 1);
    ck_assert_uint_eq(sf->reads[0].how, VC_READ_AFTER);
    ck_assert_int_eq(sg->n_reads, 1);
    ck_assert_uint_eq(sg->reads[0].how, VC_READ_BEFORE);
    vc_program_free(prog);
    free(f);
    free(g);
}
END_TEST

/* A struct returned by value hands back the views in its fields; a view of
 * a fresh array the callee also leaves in d->all is a view of d->all; a
 * write through an index literal covers only its elements. */
START_TEST(struct_parts_fresh_homes_and_write_regions)
{
    irb *sp = irb_new("split"), *op = irb_new("open"), *zh = irb_new("zero_head");
    irb *zt = irb_new("zero_tail_head");
    int sx = irb_param(sp, "x", ND, 1, 0);
    int sh = irb_var(sp, "h", "halves", 0, 0);
    sp->vars[sh].is_aggregate = true;
    int st = irb_temp(sp, ND, 1), su = irb_temp(sp, ND, 1);
    irb_call(sp, st, "nd_get", 2, V(sp, sx), S(":512"));
    irb_copy(sp, irb_field(irb_path(sh), "lo"), V(sp, st));
    irb_call(sp, su, "nd_get", 2, V(sp, sx), S("512:"));
    irb_copy(sp, irb_field(irb_path(sh), "hi"), V(sp, su));
    irb_ret(sp, V(sp, sh));
    int od = irb_param(op, "d", "dataset", 1, 0);
    int ot = irb_temp(op, ND, 1), ou = irb_temp(op, ND, 1);
    irb_call(op, ot, "nd_zeros", 3, I(0), I(1), I(0));
    irb_copy(op, irb_field(irb_path(od), "all"), V(op, ot));
    irb_call(op, ou, "nd_get", 2, V(op, ot), S(":, :-1"));
    irb_copy(op, irb_field(irb_path(od), "feat"), V(op, ou));
    int za = irb_param(zh, "a", ND, 1, 0);
    irb_call(zh, -1, "nd_set_scalar", 3, V(zh, za), S(":2"), I(0));
    /* zero_tail_head(p) { v = nd_get(p, "1:"); zero_head(v); }: p[1:3] */
    int zp = irb_param(zt, "p", ND, 1, 0), zv = irb_var(zt, "v", ND, 1, 0);
    irb_call(zt, zv, "nd_get", 2, V(zt, zp), S("1:"));
    irb_call(zt, -1, "zero_head", 1, V(zt, zv));
    irb_tu t;
    irb *fns[4] = {sp, op, zh, zt};
    vc_tu *tu = irb_tu_of(&t, "s.c", 4, fns);
    vc_program *prog = vc_program_build(&tu, 1, model);
    ck_assert_ptr_nonnull(prog);
    vc_program_scope sc = {prog, tu};
    const vc_summary *ss = vc_program_lookup(&sc, "split");
    ck_assert_int_eq(ss->n_ret_outs, 2);
    for (int i = 0; i < 2; i++) {
        const vc_sum_out *o = &ss->ret_outs[i];
        ck_assert_int_eq(o->at.var, -1);
        ck_assert_int_eq(o->at.n_steps, 1);
        ck_assert_int_eq(o->n_vals, 1);
        ck_assert_int_eq(o->vals[0].kind, VC_SV_VIEW);
        ck_assert_int_eq(o->vals[0].at.var, sx);
        ck_assert(!vc_region_is_whole(&o->vals[0].region));
    }
    const vc_summary *so = vc_program_lookup(&sc, "open");
    bool feat_of_all = false;
    for (int i = 0; i < so->n_outs; i++) {
        const vc_sum_out *o = &so->outs[i];
        if (o->at.n_steps == 1 && strcmp(o->at.step[0].name, "feat") == 0)
            feat_of_all = o->n_vals == 1 && o->vals[0].kind == VC_SV_VIEW &&
                          o->vals[0].at.var == od && o->vals[0].at.n_steps == 1 &&
                          strcmp(o->vals[0].at.step[0].name, "all") == 0;
    }
    ck_assert(feat_of_all);
    const vc_summary *sz = vc_program_lookup(&sc, "zero_head");
    ck_assert_int_eq(sz->n_writes, 1);
    ck_assert(!vc_region_is_whole(&sz->writes[0].region));
    /* the callee's write region composes with the view it was given */
    const vc_summary *st2 = vc_program_lookup(&sc, "zero_tail_head");
    ck_assert_int_eq(st2->n_writes, 1);
    vc_index_info head, mid, tail;
    vc_index_analyze(":1", 2, false, &head);
    vc_index_analyze("2", 1, false, &mid);
    vc_index_analyze("3:", 2, false, &tail);
    ck_assert(vc_region_disjoint(&st2->writes[0].region, &head.region));
    ck_assert(vc_region_disjoint(&st2->writes[0].region, &tail.region));
    ck_assert(!vc_region_disjoint(&st2->writes[0].region, &mid.region));
    vc_program_free(prog);
    free(sp);
    free(op);
    free(zh);
    free(zt);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("summary");
    TCase *tc = tcase_create("summary");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, summary_of_one_function);
    tcase_add_test(tc, callees_first_and_out_parameters);
    tcase_add_test(tc, mutual_recursion);
    tcase_add_test(tc, static_functions_stay_per_tu);
    tcase_add_test(tc, reads_before_and_after_writes);
    tcase_add_test(tc, struct_parts_fresh_homes_and_write_regions);
    suite_add_tcase(s, tc);
    return s;
}
