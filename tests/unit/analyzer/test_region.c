/*
 * test_region.c - analyzer/src/region.c: index literals become regions
 * through libnd's parser, and disjointness holds exactly for the pairs no
 * array shape can make overlap. The disjoint pairs are also checked against
 * brute force: every 1-D length 0..40 (and 2-D shapes for two-axis
 * literals) is enumerated with the runtime itself (nd_get on an arange, then
 * nd_shares_memory), so a "disjoint" answer that some length contradicts
 * fails.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "nd.h"
#include "region.h"

static vc_index_info info(const char *s, bool fmt)
{
    vc_index_info i;
    vc_index_analyze(s, strlen(s), fmt, &i);
    return i;
}

static bool disjoint(const char *a, const char *b)
{
    vc_index_info x = info(a, false), y = info(b, false);
    ck_assert_msg(x.kind != VC_IDX_ERROR && y.kind != VC_IDX_ERROR, "%s / %s", a, b);
    bool d = vc_region_disjoint(&x.region, &y.region);
    ck_assert_int_eq(d, vc_region_disjoint(&y.region, &x.region));
    return d;
}

/* Do a[ia] and a[ib] share memory for some shape (ndim 1 or 2, each length
 * 0..12 / 0..40)? Indexes that fail on a shape are skipped for it. */
static bool overlap_somewhere(const char *ia, const char *ib, int ndim)
{
    int max = ndim == 1 ? 40 : 12;
    for (ptrdiff_t n0 = 0; n0 <= max; n0++)
        for (ptrdiff_t n1 = 1; n1 <= (ndim == 2 ? max : 1); n1++) {
            ptrdiff_t shape[2] = {n0, n1};
            nd_array *a = nd_zeros(ND_FLOAT64, ndim, shape);
            ck_assert_ptr_nonnull(a);
            nd_array *x = nd_get(a, ia), *y = nd_get(a, ib);
            bool hit = x && y && nd_size(x) > 0 && nd_size(y) > 0 &&
                       nd_shares_memory(x, y) == 1;
            nd_free(x);
            nd_free(y);
            nd_free(a);
            if (hit)
                return true;
        }
    return false;
}

static const char *const disjoint_pairs[][3] = {
    {":800", "800:", "1"},   {":-100", "-100:", "1"}, {"::2", "1::2", "1"},
    {":, 0", ":, 1", "2"},   {"0", "1"},              {"-1", "-2", "1"},
    {"1:3", "3:5", "1"},     {"3", "::2", "1"},       {"5:0:-1", "0", "1"},
    {"..., 0", "..., 1", "2"}, {"0, :", "1", "2"},    {":5", "5::2", "1"},
    {"0::3", "1::3", "1"},   {"::4", "1::6", "1"},    {"2, 1:", ":, 0", "2"},
};

START_TEST(disjoint_pairs_are_disjoint)
{
    for (size_t i = 0; i < sizeof disjoint_pairs / sizeof *disjoint_pairs; i++) {
        const char *a = disjoint_pairs[i][0], *b = disjoint_pairs[i][1];
        ck_assert_msg(disjoint(a, b), "%s / %s should be disjoint", a, b);
        int nd = disjoint_pairs[i][2] ? disjoint_pairs[i][2][0] - '0' : 1;
        ck_assert_msg(!overlap_somewhere(a, b, nd), "%s / %s overlap on some shape", a, b);
    }
}
END_TEST

START_TEST(field_regions)
{
    ck_assert(disjoint("'x'", "'y'"));
    ck_assert(disjoint("['a', 'b']", "'c'"));
    ck_assert(!disjoint("'x'", "['x', 'y']"));
    ck_assert(!disjoint("'x'", "0"));
    vc_region f, g;
    vc_region_field(&f, "x");
    vc_region_field(&g, "y");
    ck_assert(vc_region_disjoint(&f, &g));
    ck_assert(!vc_region_disjoint(&f, &f));
}
END_TEST

static const char *const overlapping_pairs[][2] = {
    {":800", "-100:"}, {":800", ":900"}, {"::2", "::3"},  {"::2", "2::2"},
    {":, 0", "0"},     {"0", ":"},       {"..., 0", "0"}, {"::-1", "0"},
    {"2", "::2"},      {"-2::2", "-1::2"}, {"[0, 2]", "0"}, {"", "5"},
    {"1:", ":2"},      {"None, 0", "0"},
};

START_TEST(overlapping_pairs_overlap)
{
    for (size_t i = 0; i < sizeof overlapping_pairs / sizeof *overlapping_pairs; i++)
        ck_assert_msg(!disjoint(overlapping_pairs[i][0], overlapping_pairs[i][1]),
                      "%s / %s must not be called disjoint", overlapping_pairs[i][0],
                      overlapping_pairs[i][1]);
}
END_TEST

START_TEST(kinds_and_errors)
{
    ck_assert_int_eq(info(":", false).kind, VC_IDX_BASIC);
    ck_assert_int_eq(info("[0, 2]", false).kind, VC_IDX_ADVANCED);
    ck_assert_int_eq(info("True", false).kind, VC_IDX_ADVANCED);
    ck_assert_int_eq(info("'x'", false).kind, VC_IDX_FIELD);
    ck_assert_int_eq(info("['x', 'y']", false).kind, VC_IDX_FIELD);
    const char *bad[] = {"0,,1", "..., ...", "::0", "'x', 0", "[1, 2", "1:2:3:4"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vc_index_info x = info(bad[i], false);
        ck_assert_msg(x.kind == VC_IDX_ERROR, "%s should be an error", bad[i]);
        ck_assert_msg(x.message[0], "%s: libnd gave no message", bad[i]);
        /* the message is libnd's own text */
        nd_subscript s;
        ck_assert_int_eq(nd_parse_index(bad[i], &s), -1);
        ck_assert_str_eq(x.message, nd_errmsg());
        nd_subscript_free(&s);
    }
}
END_TEST

START_TEST(formats)
{
    ck_assert_int_eq(info("%td", true).kind, VC_IDX_BASIC);
    ck_assert_int_eq(info("%d, ::2", true).kind, VC_IDX_BASIC);
    ck_assert_int_eq(info("[%d, %zd]", true).kind, VC_IDX_ADVANCED);
    ck_assert_int_eq(info("%s", true).kind, VC_IDX_RUNTIME);
    ck_assert_int_eq(info("%f", true).kind, VC_IDX_RUNTIME);
    ck_assert_int_eq(info("%*d", true).kind, VC_IDX_RUNTIME);
    ck_assert_int_eq(info("%d::0", true).kind, VC_IDX_ERROR);
    ck_assert_int_eq(info("%ld,,", true).kind, VC_IDX_ERROR);
    /* the converted item selects anything; the literal items still count */
    vc_index_info a = info("%td, 0", true), b = info("%td, 1", true);
    vc_index_info c = info("%td", true), d = info("%td", true);
    ck_assert(vc_region_disjoint(&a.region, &b.region));
    ck_assert(!vc_region_disjoint(&c.region, &d.region));
    /* %% is a literal percent sign, not a conversion */
    ck_assert_int_eq(info("%%", true).kind, VC_IDX_ERROR);
}
END_TEST

START_TEST(restrict_keeps_a_superset)
{
    vc_index_info top = info(":800", false), row = info("0", false), bot = info("800:", false);
    vc_region whole, out;
    vc_region_whole(&whole);
    /* a view of the whole array with the same axes: the child's region */
    vc_region_restrict(&whole, true, &top.region, &out);
    ck_assert(vc_region_disjoint(&out, &bot.region));
    /* axes changed (a transpose): nothing is known */
    vc_region_restrict(&whole, false, &top.region, &out);
    ck_assert(vc_region_is_whole(&out));
    /* a sub-selection of ":800" stays inside it */
    vc_region_restrict(&top.region, false, &row.region, &out);
    ck_assert(vc_region_disjoint(&out, &bot.region));
}
END_TEST


static vc_index_info fmt(const char *s, int n, const vc_fmt_arg *args);

/* r = base[p][c], composed through vc_region_restrict */
static vc_region sub(const char *p, const char *c)
{
    vc_index_info a = info(p, false), b = info(c, false);
    vc_region out;
    vc_region_restrict(&a.region, false, &b.region, &out);
    return out;
}

static bool disj(vc_region r, const char *lit)
{
    vc_index_info x = info(lit, false);
    bool d = vc_region_disjoint(&r, &x.region);
    ck_assert_int_eq(d, vc_region_disjoint(&x.region, &r));
    return d;
}

/* Slices of slices compose exactly where the arithmetic is provable, and
 * fall back to the parent's selection (overlap) elsewhere. */
START_TEST(compose_views)
{
    ck_assert(disj(sub(":10", ":2"), "5:"));        /* X[:2] */
    ck_assert(disj(sub(":10", ":2"), "2:"));
    ck_assert(!disj(sub(":10", ":2"), "1"));
    ck_assert(disj(sub("3:", "1:2"), ":4"));        /* X[4:5] */
    ck_assert(disj(sub("3:", "1:2"), "5:"));
    ck_assert(!disj(sub("3:", "1:2"), "4"));
    ck_assert(disj(sub("::2", "1"), "1::2"));       /* X[2] */
    ck_assert(disj(sub("::2", "1"), "3"));
    ck_assert(!disj(sub("::2", "1"), "2"));
    ck_assert(disj(sub("::2", "::2"), "2::4"));     /* X[::4] */
    /* an integer pick removes its axis: the child indexes the next one */
    ck_assert(disj(sub("0", "1:"), ":, 0"));        /* X[0, 1:] */
    ck_assert(disj(sub("0", "1:"), "1"));
    ck_assert(!disj(sub("0", "1:"), ":, 1"));
    ck_assert(disj(sub(":, 0", "2"), ":2"));        /* X[2, 0] */
    ck_assert(disj(sub(":, 0", "2"), ":, 1"));
    /* None adds an axis of the view only */
    ck_assert(disj(sub("None, 2:", "0, :1"), ":2")); /* X[2:3] */
    ck_assert(disj(sub("None, 2:", "0, :1"), "3:"));
    /* from the end: X[-5:][-1] is X[-1]; X[:-2][-1] overlaps X[-3] */
    ck_assert(disj(sub("-5:", "-1"), ":-1"));
    ck_assert(!disj(sub("-5:", "-1"), "-1"));
    ck_assert(!disj(sub(":-2", "-1"), "-3"));
    /* a from-end start with a positive child: not provable, the parent */
    ck_assert(!disj(sub("-5:", "0"), "-4:"));
    ck_assert(disj(sub("-5:", "0"), ":-5"));
    /* three levels */
    vc_index_info c = info("1:", false);
    vc_region ab = sub(":10", "2:"), abc;
    vc_region_restrict(&ab, false, &c.region, &abc);   /* X[3:10] */
    ck_assert(disj(abc, ":3"));
    ck_assert(disj(abc, "10:"));
    ck_assert(!disj(abc, "3"));
    /* an ellipsis in the child: the parent's selection */
    ck_assert(!disj(sub(":10", "..., 0"), "5:"));
    ck_assert(disj(sub(":10", "..., 0"), "10:"));
    /* a view re-derived from itself stops composing after a few levels,
       keeping a superset: the loop `cur = cur[1:]` reaches a fixed point */
    vc_region cur, next;
    vc_region_whole(&cur);
    for (int k = 0; k < 3 * VC_REGION_MAX_DEPTH; k++) {
        vc_region_restrict(&cur, k == 0, &c.region, &next);
        if (k > VC_REGION_MAX_DEPTH)
            ck_assert(vc_region_eq(&cur, &next));
        cur = next;
    }
    ck_assert(disj(cur, ":1"));
    ck_assert(!disj(cur, "-1"));
    /* a slice starting at an unknown i: X[i:][:2] is anywhere */
    vc_fmt_arg unknown = {0};
    vc_index_info from_i = fmt("%td:", 1, &unknown), two = info(":2", false);
    ck_assert(from_i.region.vmap);
    vc_region o2;
    vc_region_restrict(&from_i.region, false, &two.region, &o2);
    ck_assert(!disj(o2, "5:"));
    /* symbols leaving a function become unknown the same way */
    vc_fmt_arg k = {.sym = 3};
    vc_index_info from_k = fmt("%td:", 1, &k);
    vc_region_drop_syms(&from_k.region);
    vc_region_restrict(&from_k.region, false, &two.region, &o2);
    ck_assert(!disj(o2, "5:"));
    /* a transposed view (axes unknown) keeps its parent's selection */
    vc_index_info top = info(":10", false), row = info("0", false);
    vc_region t, out;
    vc_region_restrict(&top.region, false, &top.region, &t);
    t.vmap = false;
    t.n_vlead = 0;
    memset(t.vlead, 0, sizeof t.vlead);
    vc_region_restrict(&t, false, &row.region, &out);
    ck_assert(!disj(out, "5"));
    ck_assert(disj(out, "10:"));
}
END_TEST

static vc_index_info fmt(const char *s, int n, const vc_fmt_arg *args)
{
    vc_index_info i;
    vc_index_analyze_fmt(s, strlen(s), n, args, &i);
    return i;
}

/* Formats filled from one variable share a symbol: ":%td" and "%td:" of
 * `split` are disjoint whatever split is; of two variables they are not. */
START_TEST(format_symbols_and_constants)
{
    vc_fmt_arg k = {.sym = 7}, other = {.sym = 8}, unknown = {0};
    vc_fmt_arg c800 = {.known = true, .value = 800};
    vc_index_info a = fmt(":%td", 1, &k), b = fmt("%td:", 1, &k);
    ck_assert(vc_region_disjoint(&a.region, &b.region));
    vc_index_info c = fmt("%td:", 1, &other);
    ck_assert(!vc_region_disjoint(&a.region, &c.region));
    vc_index_info u1 = fmt(":%td", 1, &unknown), u2 = fmt("%td:", 1, &unknown);
    ck_assert(!vc_region_disjoint(&u1.region, &u2.region));
    vc_index_info r = fmt("%d", 1, &k), r2 = fmt("%d, :", 1, &k);
    ck_assert(!vc_region_disjoint(&r.region, &r2.region));
    vc_index_info k1 = fmt(":%d", 1, &c800), k2 = fmt("%d:", 1, &c800);
    ck_assert(vc_region_disjoint(&k1.region, &k2.region));
    /* a constant fills the text: a zero step is an error */
    vc_fmt_arg zero = {.known = true, .value = 0};
    ck_assert_int_eq(fmt("::%d", 1, &zero).kind, VC_IDX_ERROR);
    /* symbols never leave their function */
    vc_region_drop_syms(&a.region);
    ck_assert(!vc_region_disjoint(&a.region, &b.region));
    /* the symbol's value is compared with itself only: a constant 5 and the
       symbol are unrelated */
    vc_fmt_arg c5 = {.known = true, .value = 5};
    vc_index_info s5 = fmt("%d", 1, &c5), sk = fmt("%d", 1, &k);
    ck_assert(!vc_region_disjoint(&s5.region, &sk.region));
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("region");
    TCase *tc = tcase_create("region");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, disjoint_pairs_are_disjoint);
    tcase_add_test(tc, field_regions);
    tcase_add_test(tc, compose_views);
    tcase_add_test(tc, overlapping_pairs_overlap);
    tcase_add_test(tc, kinds_and_errors);
    tcase_add_test(tc, formats);
    tcase_add_test(tc, restrict_keeps_a_superset);
    tcase_add_test(tc, format_symbols_and_constants);
    suite_add_tcase(s, tc);
    return s;
}
