/*
 * test_rules.c - the rules (rules/vcNNN_*.c) end to end through vc_analyze, on
 * hand-made IR (analyzer/irb.h) with the real model rules/models/nd.json:
 * each hazard is reported on the right line by the right rule, and the
 * correct programs next to it stay quiet.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "model.h"
#include "analyzer/irb.h"
#include "report.h"

static vc_model *model;

static void setup(void)
{
    char *err = NULL;
    model = NULL;
    ck_assert_msg(vc_model_load(&model, "rules/models/nd.json", &err) == 0, "%s",
                  err ? err : "?");
}

static void teardown(void)
{
    vc_model_free(model);
}

/* Analyzes the functions fns[0..n-1] as one TU; the report is sorted. */
static void run(irb **fns, int n, vc_report *r)
{
    irb_tu t;
    vc_tu *tu = irb_tu_of(&t, "t.c", n, fns);
    vc_report_init(r);
    ck_assert_int_eq(vc_analyze(&tu, 1, model, NULL, r), 0);
    vc_report_sort(r);
}

/* Number of diagnostics of `rule` on `line` (any line when 0). */
static int count(const vc_report *r, const char *rule, unsigned line)
{
    int n = 0;
    for (int i = 0; i < r->n_diags; i++)
        if (strcmp(r->diags[i].rule, rule) == 0 && (!line || r->diags[i].loc.line == line))
            n++;
    return n;
}

static const vc_diag *find(const vc_report *r, const char *rule)
{
    for (int i = 0; i < r->n_diags; i++)
        if (strcmp(r->diags[i].rule, rule) == 0)
            return &r->diags[i];
    return NULL;
}

#define ND "nd_array"

/* A = nd_zeros(...) in a local; returns the var. */
static int owner(irb *b, const char *name)
{
    int a = irb_var(b, name, ND, 1, 0);
    irb_call(b, a, "nd_zeros", 3, I(0), I(1), I(0));
    return a;
}

/* ---- VC001 ---------------------------------------------------------------- */

START_TEST(vc001_view_read_after_write)
{
    irb *b = irb_new("f");
    int f = irb_param(b, "out", "FILE", 1, 0);
    int a = owner(b, "A");
    int v = irb_var(b, "v", ND, 1, 0), t = irb_temp(b, "double", 0);
    irb_call(b, v, "nd_get", 2, V(b, a), S(":"));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, t, "nd_sum", 1, V(b, v));
    vc_inst *obs = irb_call(b, -1, "nd_print", 2, V(b, f), V(b, a));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(count(&r, "VC001", w->loc.line), 1);
    ck_assert_int_eq(r.n_diags, 1);
    const vc_diag *d = find(&r, "VC001");
    ck_assert_ptr_nonnull(strstr(d->message, "'v'"));
    ck_assert_ptr_nonnull(strstr(d->message, "'A'"));
    bool obs_note = false;
    for (int i = 0; i < d->n_notes; i++)
        obs_note |= d->notes[i].loc.line == obs->loc.line;
    ck_assert(obs_note);
    ck_assert_int_eq(d->n_fixes, 1);
    ck_assert_str_eq(d->fixes[0].edits[0].new_text, "nd_get_copy");
    vc_report_free(&r);
    free(b);
}
END_TEST

START_TEST(vc001_window_write_is_quiet)
{
    irb *b = irb_new("f");
    int f = irb_param(b, "out", "FILE", 1, 0);
    int m = owner(b, "M");
    int blk = irb_var(b, "blk", ND, 1, 0);
    irb_call(b, blk, "nd_get", 2, V(b, m), S("0:3, 0:3"));
    irb_call(b, -1, "nd_imul_scalar", 2, V(b, blk), I(2));
    irb_call(b, -1, "nd_free", 1, V(b, blk));
    irb_call(b, -1, "nd_print", 2, V(b, f), V(b, m));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(r.n_diags, 0);
    vc_report_free(&r);
    free(b);
}
END_TEST

/* for (i...) { row = nd_getf(X, "%td", i); nd_isub_scalar(row, nd_mean(row));
 * nd_free(row); } nd_print(out, X); */
START_TEST(vc001_row_loop_is_quiet)
{
    irb *b = irb_new("f");
    int f = irb_param(b, "out", "FILE", 1, 0);
    int x = owner(b, "X");
    int i = irb_var(b, "i", "long", 0, 0);
    int row = irb_var(b, "row", ND, 1, 0), t = irb_temp(b, "double", 0);
    int head = irb_block(b), body = irb_block(b), after = irb_block(b);
    irb_edge(b, 0, head);
    irb_at(b, head);
    irb_edge(b, head, body);
    irb_edge(b, head, after);
    irb_at(b, body);
    irb_call(b, row, "nd_getf", 3, V(b, x), S("%td"), V(b, i));
    irb_call(b, t, "nd_mean", 1, V(b, row));
    irb_call(b, -1, "nd_isub_scalar", 2, V(b, row), V(b, t));
    irb_call(b, -1, "nd_free", 1, V(b, row));
    irb_edge(b, body, head);
    irb_at(b, after);
    irb_call(b, -1, "nd_print", 2, V(b, f), V(b, x));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(r.n_diags, 0);
    vc_report_free(&r);
    free(b);
}
END_TEST

/* A write to ":800" read back through "800:" is not observed; through
 * ":900" it is. */
static int disjoint_case(const char *other, unsigned *wline)
{
    irb *b = irb_new("f");
    int a = owner(b, "A");
    int top = irb_var(b, "top", ND, 1, 0), bot = irb_var(b, "bot", ND, 1, 0);
    int t = irb_temp(b, "double", 0), t2 = irb_temp(b, "double", 0);
    irb_call(b, top, "nd_get", 2, V(b, a), S(":800"));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, top), I(0));
    irb_call(b, t, "nd_sum", 1, V(b, top));
    irb_call(b, bot, "nd_get", 2, V(b, a), S(other));
    irb_call(b, t2, "nd_sum", 1, V(b, bot));
    *wline = w->loc.line;
    vc_report r;
    run(&b, 1, &r);
    int n = count(&r, "VC001", *wline);
    vc_report_free(&r);
    free(b);
    return n;
}

/* A cleanup wrapper that only releases the view keeps the window write a
 * window write. */
START_TEST(vc001_release_wrapper_keeps_window)
{
    irb *rel = irb_new("release");
    int ra = irb_param(rel, "a", ND, 1, 0);
    irb_call(rel, -1, "nd_free", 1, V(rel, ra));
    irb *b = irb_new("f");
    int f = irb_param(b, "out", "FILE", 1, 0);
    int m = owner(b, "M");
    int blk = irb_var(b, "blk", ND, 1, 0);
    irb_call(b, blk, "nd_get", 2, V(b, m), S("0:3, 0:3"));
    irb_call(b, -1, "nd_imul_scalar", 2, V(b, blk), I(2));
    irb_call(b, -1, "release", 1, V(b, blk));
    irb_call(b, -1, "nd_print", 2, V(b, f), V(b, m));
    irb *fns[2] = {rel, b};
    vc_report r;
    run(fns, 2, &r);
    ck_assert_int_eq(r.n_diags, 0);
    vc_report_free(&r);
    free(rel);
    free(b);
}
END_TEST

START_TEST(vc001_disjoint_regions)
{
    unsigned line;
    ck_assert_int_eq(disjoint_case("800:", &line), 0);
    ck_assert_int_eq(disjoint_case(":900", &line), 1);
    ck_assert_int_eq(disjoint_case("-100:", &line), 1);
}
END_TEST

START_TEST(vc001_unobserved_and_owner_writes_are_quiet)
{
    irb *b = irb_new("f");
    int f = irb_param(b, "out", "FILE", 1, 0);
    int a = owner(b, "A");
    int v = irb_var(b, "v", ND, 1, 0), t = irb_temp(b, "double", 0);
    irb_call(b, v, "nd_get", 2, V(b, a), S(":"));
    irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, t, "nd_sum", 1, V(b, v));
    irb_call(b, -1, "nd_free", 1, V(b, v));
    irb_call(b, -1, "nd_free", 1, V(b, a));
    int c = owner(b, "C");
    irb_call(b, -1, "nd_fill", 2, V(b, c), I(1));
    irb_call(b, -1, "nd_print", 2, V(b, f), V(b, c));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(r.n_diags, 0);
    vc_report_free(&r);
    free(b);
}
END_TEST

/* helper writes its parameter; the caller passes a view and then reads the
 * parent: reported at the call, with a note at the callee's write. */
START_TEST(vc001_through_callee)
{
    irb *h = irb_new("helper");
    int x = irb_param(h, "x", ND, 1, 0);
    vc_inst *hw = irb_call(h, -1, "nd_fill", 2, V(h, x), I(0));
    irb *b = irb_new("f");
    int f = irb_param(b, "out", "FILE", 1, 0);
    int a = owner(b, "A");
    int v = irb_var(b, "v", ND, 1, 0);
    irb_call(b, v, "nd_get", 2, V(b, a), S("0"));
    vc_inst *call = irb_call(b, -1, "helper", 1, V(b, v));
    irb_call(b, -1, "nd_free", 1, V(b, v));
    irb_call(b, -1, "nd_print", 2, V(b, f), V(b, a));
    irb *fns[2] = {h, b};
    vc_report r;
    run(fns, 2, &r);
    ck_assert_int_eq(count(&r, "VC001", call->loc.line), 1);
    ck_assert_int_eq(r.n_diags, 1);
    const vc_diag *d = find(&r, "VC001");
    bool callee_note = false;
    for (int i = 0; i < d->n_notes; i++)
        callee_note |= d->notes[i].loc.line == hw->loc.line;
    ck_assert(callee_note);
    vc_report_free(&r);
    free(h);
    free(b);
}
END_TEST

/* make(&v, A) stores a view of A through its out-parameter. */
START_TEST(vc001_out_parameter_view)
{
    irb *m = irb_new("make");
    int out = irb_param(m, "out", ND, 2, 0);
    int pa = irb_param(m, "a", ND, 1, 0);
    int t = irb_temp(m, ND, 1);
    irb_call(m, t, "nd_get", 2, V(m, pa), S(":"));
    irb_copy(m, irb_elem(irb_path(out)), V(m, t));
    irb *b = irb_new("f");
    int f = irb_param(b, "o", "FILE", 1, 0);
    int a = owner(b, "A");
    int v = irb_var(b, "v", ND, 1, 0), s = irb_temp(b, "double", 0);
    irb_call(b, -1, "make", 2, ADDR(b, irb_path(v)), V(b, a));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, s, "nd_sum", 1, V(b, v));
    irb_call(b, -1, "nd_print", 2, V(b, f), V(b, a));
    irb *fns[2] = {m, b};
    vc_report r;
    run(fns, 2, &r);
    ck_assert_int_eq(count(&r, "VC001", w->loc.line), 1);
    vc_report_free(&r);
    free(m);
    free(b);
}
END_TEST

/* d->val holds a view; a write through it is observed through A. */
START_TEST(vc001_struct_field_view)
{
    irb *b = irb_new("f");
    int out = irb_param(b, "out", "FILE", 1, 0);
    int a = owner(b, "A");
    int d = irb_var(b, "d", "holder", 0, 0);
    b->vars[d].is_aggregate = true;
    int t = irb_temp(b, ND, 1), s = irb_temp(b, "double", 0);
    vc_path dv = irb_field(irb_path(d), "val");
    irb_call_p(b, dv, "nd_get", 2, V(b, a), S("1:"));
    irb_copy(b, irb_path(t), P(b, dv));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, t), I(0));
    irb_call(b, s, "nd_sum", 1, P(b, dv));
    irb_call(b, -1, "nd_print", 2, V(b, out), V(b, a));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(count(&r, "VC001", w->loc.line), 1);
    vc_report_free(&r);
    free(b);
}
END_TEST

/* ---- VC002 ----------------------------------------------------------------- */

static int copy_case(bool read_after, unsigned *wline)
{
    irb *b = irb_new("f");
    int f = irb_param(b, "out", "FILE", 1, 0);
    int x = owner(b, "X");
    int sel = irb_var(b, "sel", ND, 1, 0);
    irb_call(b, sel, "nd_get", 2, V(b, x), S("[0, 2]"));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, sel), I(0));
    if (read_after)
        irb_call(b, -1, "nd_print", 2, V(b, f), V(b, sel));
    irb_call(b, -1, "nd_free", 1, V(b, sel));
    *wline = w->loc.line;
    vc_report r;
    run(&b, 1, &r);
    int n = count(&r, "VC002", *wline) * 10 + r.n_diags;
    vc_report_free(&r);
    free(b);
    return n;
}

START_TEST(vc002_lost_write)
{
    unsigned line;
    ck_assert_int_eq(copy_case(false, &line), 11);
    ck_assert_int_eq(copy_case(true, &line), 0);
}
END_TEST

START_TEST(vc002_take_copy)
{
    irb *b = irb_new("f");
    int x = owner(b, "X");
    int idx = owner(b, "idx");
    int c = irb_var(b, "c", ND, 1, 0);
    irb_call(b, c, "nd_take", 3, V(b, x), V(b, idx), I(0));
    vc_inst *w = irb_call(b, -1, "nd_iadd_scalar", 2, V(b, c), I(1));
    irb_call(b, -1, "nd_free", 1, V(b, c));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(count(&r, "VC002", w->loc.line), 1);
    ck_assert_ptr_nonnull(strstr(find(&r, "VC002")->message, "nd_set"));
    vc_report_free(&r);
    free(b);
}
END_TEST

/* ---- VC003 ----------------------------------------------------------------- */

START_TEST(vc003_reshape_write)
{
    irb *b = irb_new("f");
    int f = irb_param(b, "out", "FILE", 1, 0);
    int a = owner(b, "A");
    int v = irb_var(b, "r", ND, 1, 0), t = irb_temp(b, "double", 0);
    irb_call(b, v, "nd_reshape", 3, V(b, a), I(2), I(0));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, t, "nd_sum", 1, V(b, v));
    irb_call(b, -1, "nd_print", 2, V(b, f), V(b, a));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(count(&r, "VC003", w->loc.line), 1);
    ck_assert_int_eq(count(&r, "VC001", 0), 0);
    vc_report_free(&r);
    free(b);
}
END_TEST

/* ---- VC005 ----------------------------------------------------------------- */

static int const_case(int is_const, unsigned *wline)
{
    irb *b = irb_new("f");
    int a = irb_param(b, "A", ND, 1, is_const);
    int v = irb_var(b, "v", ND, 1, 0);
    irb_call(b, v, "nd_get", 2, V(b, a), S("0"));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, -1, "nd_free", 1, V(b, v));
    *wline = w->loc.line;
    vc_report r;
    run(&b, 1, &r);
    int n = count(&r, "VC005", *wline) * 10 + r.n_diags;
    vc_report_free(&r);
    free(b);
    return n;
}

START_TEST(vc005_const_param)
{
    unsigned line;
    ck_assert_int_eq(const_case(1, &line), 11);
    ck_assert_int_eq(const_case(0, &line), 0);
}
END_TEST

/* A raw pointer into a view of a const variable, written through. */
START_TEST(vc005_raw_store_through_const_local)
{
    irb *b = irb_new("f");
    int p = irb_param(b, "P", ND, 1, 0);
    int c = irb_var(b, "c", ND, 1, 1);
    int v = irb_var(b, "v", ND, 1, 0), d = irb_var(b, "d", "double", 1, 0);
    irb_copy(b, irb_path(c), V(b, p));
    irb_call(b, v, "nd_get", 2, V(b, c), S("0"));
    irb_call(b, d, "nd_data", 1, V(b, v));
    vc_inst *w = irb_store(b, V(b, d));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(count(&r, "VC005", w->loc.line), 1);
    vc_report_free(&r);
    free(b);
}
END_TEST

/* ---- VC008 ----------------------------------------------------------------- */

START_TEST(vc008_bad_literals)
{
    irb *b = irb_new("f");
    int a = owner(b, "A");
    int i = irb_var(b, "i", "int", 0, 0);
    int t1 = irb_temp(b, ND, 1), t2 = irb_temp(b, ND, 1), t3 = irb_temp(b, ND, 1);
    int t4 = irb_temp(b, ND, 1), t5 = irb_temp(b, ND, 1);
    vc_inst *bad1 = irb_call(b, t1, "nd_get", 2, V(b, a), S("0,,1"));
    vc_inst *bad2 = irb_call(b, t2, "nd_getf", 3, V(b, a), S("%d::0"), V(b, i));
    vc_inst *bad3 = irb_call(b, -1, "nd_set_scalar", 3, V(b, a), S("..., ..."), I(1));
    vc_inst *ok1 = irb_call(b, t3, "nd_getf", 3, V(b, a), S("%td, ::2"), V(b, i));
    vc_inst *ok2 = irb_call(b, t4, "nd_get", 2, V(b, a), S("[0, 1], None"));
    vc_inst *ok3 = irb_call(b, t5, "nd_get_copy", 2, V(b, a), S("'x'"));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(count(&r, "VC008", bad1->loc.line), 1);
    ck_assert_int_eq(count(&r, "VC008", bad2->loc.line), 1);
    ck_assert_int_eq(count(&r, "VC008", bad3->loc.line), 1);
    ck_assert_int_eq(count(&r, "VC008", ok1->loc.line), 0);
    ck_assert_int_eq(count(&r, "VC008", ok2->loc.line), 0);
    ck_assert_int_eq(count(&r, "VC008", ok3->loc.line), 0);
    vc_report_free(&r);
    free(b);
}
END_TEST

/* ---- VC009 ----------------------------------------------------------------- */

START_TEST(vc009_broadcast_write)
{
    irb *b = irb_new("f");
    int a = owner(b, "A");
    int v = irb_var(b, "bc", ND, 1, 0), g = irb_var(b, "g", ND, 1, 0);
    irb_call(b, v, "nd_broadcast_to", 3, V(b, a), I(2), I(0));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, g, "nd_get", 2, V(b, v), S("0"));
    vc_inst *w2 = irb_call(b, -1, "nd_iadd_scalar", 2, V(b, g), I(1));
    int c = irb_var(b, "c", ND, 1, 0);
    irb_call(b, c, "nd_copy", 1, V(b, v));
    irb_call(b, -1, "nd_fill", 2, V(b, c), I(0));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(count(&r, "VC009", w->loc.line), 1);
    ck_assert_int_eq(count(&r, "VC009", w2->loc.line), 1);
    ck_assert_int_eq(count(&r, "VC009", 0), 2);
    vc_report_free(&r);
    free(b);
}
END_TEST

/* Recursion terminates and still finds the write through the view. */
START_TEST(recursion_reaches_fixed_point)
{
    irb *h = irb_new("rec");
    int x = irb_param(h, "x", ND, 1, 0);
    int n = irb_param(h, "n", "int", 0, 0);
    int then = irb_block(h), other = irb_block(h);
    irb_edge(h, 0, then);
    irb_edge(h, 0, other);
    irb_at(h, then);
    irb_call(h, -1, "rec", 2, V(h, x), V(h, n));
    irb_edge(h, then, h->fn.exit);
    irb_at(h, other);
    irb_call(h, -1, "nd_fill", 2, V(h, x), I(0));
    irb *b = irb_new("f");
    int f = irb_param(b, "out", "FILE", 1, 0);
    int a = owner(b, "A");
    int v = irb_var(b, "v", ND, 1, 0);
    irb_call(b, v, "nd_get", 2, V(b, a), S("0"));
    vc_inst *call = irb_call(b, -1, "rec", 2, V(b, v), I(3));
    irb_call(b, -1, "nd_print", 2, V(b, f), V(b, a));
    irb *fns[2] = {b, h};
    vc_report r;
    run(fns, 2, &r);
    ck_assert_int_eq(count(&r, "VC001", call->loc.line), 1);
    vc_report_free(&r);
    free(h);
    free(b);
}
END_TEST


/* make2(&X, &y) leaves two different fresh arrays: a write through a view
 * of X is not observed by reading y. */
START_TEST(out_parameters_are_distinct_arrays)
{
    irb *m = irb_new("make2");
    int pa = irb_param(m, "a", ND, 2, 0), pb = irb_param(m, "b", ND, 2, 0);
    int t1 = irb_temp(m, ND, 1), t2 = irb_temp(m, ND, 1);
    irb_call(m, t1, "nd_zeros", 3, I(0), I(1), I(0));
    irb_copy(m, irb_elem(irb_path(pa)), V(m, t1));
    irb_call(m, t2, "nd_zeros", 3, I(0), I(1), I(0));
    irb_copy(m, irb_elem(irb_path(pb)), V(m, t2));
    irb *h = irb_new("helper");
    int hx = irb_param(h, "x", ND, 1, 0);
    irb_call(h, -1, "nd_fill", 2, V(h, hx), I(0));
    for (int observe_x = 0; observe_x < 2; observe_x++) {
        irb *b = irb_new("f");
        int f = irb_param(b, "out", "FILE", 1, 0);
        int x = irb_var(b, "X", ND, 1, 0), y = irb_var(b, "y", ND, 1, 0);
        int v = irb_var(b, "v", ND, 1, 0);
        irb_call(b, -1, "make2", 2, ADDR(b, irb_path(x)), ADDR(b, irb_path(y)));
        irb_call(b, v, "nd_get", 2, V(b, x), S("0"));
        vc_inst *call = irb_call(b, -1, "helper", 1, V(b, v));
        irb_call(b, -1, "nd_print", 2, V(b, f), V(b, observe_x ? x : y));
        irb *fns[3] = {m, h, b};
        vc_report r;
        run(fns, 3, &r);
        ck_assert_int_eq(count(&r, "VC001", call->loc.line), observe_x);
        if (observe_x)
            ck_assert_ptr_nonnull(strstr(find(&r, "VC001")->message, "'X'"));
        vc_report_free(&r);
        free(b);
    }
    free(m);
    free(h);
}
END_TEST

/* show(&mdl) reads mdl.w inside the callee: an observation of W. */
START_TEST(callee_reads_struct_field)
{
    irb *sh = irb_new("show");
    int pm = irb_param(sh, "m", "model", 1, 1);
    int so = irb_param(sh, "o", "FILE", 1, 0);
    irb_call(sh, -1, "nd_print", 2, V(sh, so), P(sh, irb_field(irb_path(pm), "w")));
    irb *h = irb_new("helper");
    int hx = irb_param(h, "x", ND, 1, 0);
    irb_call(h, -1, "nd_fill", 2, V(h, hx), I(0));
    irb *b = irb_new("f");
    int w = irb_param(b, "W", ND, 1, 0), o = irb_param(b, "o", "FILE", 1, 0);
    int mdl = irb_var(b, "mdl", "model", 0, 0);
    b->vars[mdl].is_aggregate = true;
    int v = irb_var(b, "v", ND, 1, 0);
    irb_copy(b, irb_field(irb_path(mdl), "w"), V(b, w));
    irb_call(b, v, "nd_get", 2, V(b, w), S("0:2"));
    vc_inst *call = irb_call(b, -1, "helper", 1, V(b, v));
    irb_call(b, -1, "nd_free", 1, V(b, v));
    irb_call(b, -1, "show", 2, ADDR(b, irb_path(mdl)), V(b, o));
    irb *fns[3] = {sh, h, b};
    vc_report r;
    run(fns, 3, &r);
    ck_assert_int_eq(count(&r, "VC001", call->loc.line), 1);
    vc_report_free(&r);
    free(sh);
    free(h);
    free(b);
}
END_TEST

/* Reading a sub-view of the written view reads what was written, not the
 * parent behind the author's back; reading the parent does. */
START_TEST(sub_view_of_written_view_is_not_an_observation)
{
    for (int read_parent = 0; read_parent < 2; read_parent++) {
        irb *h = irb_new("helper");
        int hx = irb_param(h, "x", ND, 1, 0);
        irb_call(h, -1, "nd_fill", 2, V(h, hx), I(0));
        irb *b = irb_new("f");
        int a = owner(b, "A");
        int blk = irb_var(b, "blk", ND, 1, 0), first = irb_var(b, "first", ND, 1, 0);
        int t = irb_temp(b, "double", 0);
        irb_call(b, blk, "nd_get", 2, V(b, a), S("0:8, 0:8"));
        vc_inst *call = irb_call(b, -1, "helper", 1, V(b, blk));
        irb_call(b, first, "nd_get", 2, V(b, read_parent ? a : blk), S("0"));
        irb_call(b, t, "nd_mean", 1, V(b, first));
        irb *fns[2] = {h, b};
        vc_report r;
        run(fns, 2, &r);
        ck_assert_int_eq(count(&r, "VC001", call->loc.line), read_parent);
        vc_report_free(&r);
        free(h);
        free(b);
    }
}
END_TEST

/* const char *rows = ":10"; nd_get(A, rows) is the literal: a view (VC001),
 * not a run-time index (VC003); a bad one is VC008. */
START_TEST(index_held_in_a_local_string)
{
    irb *b = irb_new("f");
    int f = irb_param(b, "out", "FILE", 1, 0);
    int a = owner(b, "A");
    int rows = irb_var(b, "rows", "char", 1, 1), bad = irb_var(b, "bad", "char", 1, 1);
    int v = irb_var(b, "v", ND, 1, 0), u = irb_var(b, "u", ND, 1, 0);
    irb_copy(b, irb_path(rows), S(":10"));
    irb_copy(b, irb_path(bad), S("1,,2"));
    irb_call(b, v, "nd_get", 2, V(b, a), V(b, rows));
    vc_inst *w = irb_call(b, -1, "nd_fill", 2, V(b, v), I(0));
    irb_call(b, -1, "nd_print", 2, V(b, f), V(b, v));
    irb_call(b, -1, "nd_print", 2, V(b, f), V(b, a));
    vc_inst *bi = irb_call(b, u, "nd_get", 2, V(b, a), V(b, bad));
    vc_report r;
    run(&b, 1, &r);
    ck_assert_int_eq(count(&r, "VC001", w->loc.line), 1);
    ck_assert_int_eq(count(&r, "VC003", 0), 0);
    ck_assert_int_eq(count(&r, "VC008", bi->loc.line), 1);
    ck_assert_ptr_nonnull(strstr(find(&r, "VC008")->message, "\"1,,2\""));
    vc_report_free(&r);
    free(b);
}
END_TEST

/* The engine knows no libnd names: another API, described by its own
 * model, is checked the same way. */
START_TEST(another_api_through_its_model)
{
    static const char *text =
        "{\"schema\":\"viewcheck-model/1\",\"handle_types\":[\"ta_arr\"],"
        "\"functions\":{"
        "\"ta_new\":{\"result\":\"owner\"},"
        "\"ta_slice\":{\"result\":\"index-view\",\"of\":0,\"index\":1},"
        "\"ta_scale\":{\"result\":\"value\",\"writes\":[0],\"reads\":[0]},"
        "\"ta_dump\":{\"result\":\"value\",\"reads\":[0]}}}";
    vc_model *ta = NULL;
    char *err = NULL;
    ck_assert_msg(vc_model_load_text(&ta, text, "ta.json", &err) == 0, "%s", err);
    irb *b = irb_new("f");
    int a = irb_var(b, "A", "ta_arr", 1, 0), v = irb_var(b, "v", "ta_arr", 1, 0);
    irb_call(b, a, "ta_new", 0);
    irb_call(b, v, "ta_slice", 2, V(b, a), S("1:"));
    vc_inst *w = irb_call(b, -1, "ta_scale", 2, V(b, v), I(2));
    irb_call(b, -1, "ta_dump", 1, V(b, v));
    irb_call(b, -1, "ta_dump", 1, V(b, a));
    irb_tu t;
    vc_tu *tu = irb_tu_of(&t, "t.c", 1, &b);
    vc_report r;
    vc_report_init(&r);
    ck_assert_int_eq(vc_analyze(&tu, 1, ta, NULL, &r), 0);
    ck_assert_int_eq(count(&r, "VC001", w->loc.line), 1);
    ck_assert_int_eq(r.n_diags, 1);
    vc_report_free(&r);
    /* with libnd's model the same names mean nothing: no finding */
    vc_report_init(&r);
    ck_assert_int_eq(vc_analyze(&tu, 1, model, NULL, &r), 0);
    ck_assert_int_eq(r.n_diags, 0);
    vc_report_free(&r);
    vc_model_free(ta);
    free(b);
}
END_TEST

/* A callee that reads only rows 800 on of its parameter does not observe a
 * write to rows before 800; one reading rows before 900 does. */
START_TEST(callee_read_regions)
{
    for (int overlap = 0; overlap < 2; overlap++) {
        irb *rd = irb_new("part_mean");
        int pa = irb_param(rd, "a", ND, 1, 1);
        int v = irb_var(rd, "v", ND, 1, 0), m = irb_temp(rd, "double", 0);
        irb_call(rd, v, "nd_get", 2, V(rd, pa), S(overlap ? ":900" : "800:"));
        irb_call(rd, m, "nd_mean", 1, V(rd, v));
        irb *h = irb_new("helper");
        int hx = irb_param(h, "x", ND, 1, 0);
        irb_call(h, -1, "nd_fill", 2, V(h, hx), I(0));
        irb *b = irb_new("f");
        int x = irb_param(b, "X", ND, 1, 0);
        int top = irb_var(b, "top", ND, 1, 0), r = irb_temp(b, "double", 0);
        irb_call(b, top, "nd_get", 2, V(b, x), S(":800"));
        vc_inst *call = irb_call(b, -1, "helper", 1, V(b, top));
        irb_call(b, -1, "nd_free", 1, V(b, top));
        irb_call(b, r, "part_mean", 1, V(b, x));
        irb *fns[3] = {rd, h, b};
        vc_report rep;
        run(fns, 3, &rep);
        ck_assert_int_eq(count(&rep, "VC001", call->loc.line), overlap);
        vc_report_free(&rep);
        free(rd);
        free(h);
        free(b);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, vc001_view_read_after_write);
    tcase_add_test(tc, vc001_window_write_is_quiet);
    tcase_add_test(tc, vc001_row_loop_is_quiet);
    tcase_add_test(tc, vc001_release_wrapper_keeps_window);
    tcase_add_test(tc, vc001_disjoint_regions);
    tcase_add_test(tc, vc001_unobserved_and_owner_writes_are_quiet);
    tcase_add_test(tc, vc001_through_callee);
    tcase_add_test(tc, vc001_out_parameter_view);
    tcase_add_test(tc, vc001_struct_field_view);
    tcase_add_test(tc, vc002_lost_write);
    tcase_add_test(tc, vc002_take_copy);
    tcase_add_test(tc, vc003_reshape_write);
    tcase_add_test(tc, vc005_const_param);
    tcase_add_test(tc, vc005_raw_store_through_const_local);
    tcase_add_test(tc, vc008_bad_literals);
    tcase_add_test(tc, vc009_broadcast_write);
    tcase_add_test(tc, recursion_reaches_fixed_point);
    tcase_add_test(tc, out_parameters_are_distinct_arrays);
    tcase_add_test(tc, callee_reads_struct_field);
    tcase_add_test(tc, sub_view_of_written_view_is_not_an_observation);
    tcase_add_test(tc, index_held_in_a_local_string);
    tcase_add_test(tc, another_api_through_its_model);
    tcase_add_test(tc, callee_read_regions);
    suite_add_tcase(s, tc);
    return s;
}
