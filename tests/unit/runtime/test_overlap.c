/*
 * test_overlap.c - tests runtime/src/overlap.c.
 *
 * The oracle is brute force: every array here is a view of one small byte
 * buffer, so the bytes each array touches can be listed and intersected
 * directly. Fifty thousand random pairs of strided views (0-3 dimensions, lengths 0-4,
 * strides from -13 to 13 including 0, itemsizes 1-8 through records of
 * uint8 fields, random offsets) are compared with nd_shares_memory, with
 * nd_may_share_memory (against the brute-force byte extent) and with
 * budgeted solves, which may give up ("may overlap") but never deny a real
 * overlap. The worked examples of the indexing spec (10.1, 10.2) pin the
 * answers and the work-unit count NumPy's TooHardError depends on.
 *
 * Views are built with nd__view directly, so this file tests the solver
 * without depending on the index parser.
 */
#include <check.h>

#include "nd_int.h"

#define BUF 96   /* bytes in the owner every random view lives in */

/* ---- helpers ------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)   /* xorshift64*: deterministic across runs */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

static int rnd_in(int lo, int hi)  /* inclusive */
{
    return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

/* A record of n uint8 fields: an element type of any itemsize 1..8. */
static const nd_dtype *bytes_type(int n)
{
    static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
    const nd_dtype *types[8];
    for (int i = 0; i < n; i++)
        types[i] = ND_UINT8;
    const nd_dtype *dt = nd_record(n, names, types);
    ck_assert_ptr_nonnull(dt);
    ck_assert_uint_eq(dt->itemsize, (size_t)n);
    return dt;
}

static nd_array *owner_bytes(ptrdiff_t n)
{
    nd_array *o = nd_zeros(ND_UINT8, 1, &n);
    ck_assert_ptr_nonnull(o);
    return o;
}

static nd_array *view1(const nd_array *owner, const nd_dtype *dt, ptrdiff_t off,
                       ptrdiff_t n, ptrdiff_t stride)
{
    nd_array *v = nd__view(owner, dt, 1, &n, &stride, owner->data + off);
    ck_assert_ptr_nonnull(v);
    return v;
}

/* Marks the bytes of a in set[] (offsets from the owner's memory). */
static void mark_bytes(const nd_array *a, bool *set)
{
    ptrdiff_t n = 1, idx[3] = {0, 0, 0};
    for (int k = 0; k < a->ndim; k++)
        n *= a->shape[k];
    for (ptrdiff_t i = 0; i < n; i++) {
        ptrdiff_t off = a->data - nd__owner(a)->mem;
        for (int k = 0; k < a->ndim; k++)
            off += idx[k] * a->strides[k];
        for (size_t e = 0; e < a->dt->itemsize; e++)
            set[off + (ptrdiff_t)e] = true;
        for (int k = a->ndim - 1; k >= 0; k--) {
            if (++idx[k] < a->shape[k])
                break;
            idx[k] = 0;
        }
    }
}

typedef struct truth {
    bool shares;    /* some byte in both */
    bool bounds;    /* [min, max] byte ranges intersect */
} truth;

static truth brute(const nd_array *a, const nd_array *b)
{
    bool sa[BUF] = {0}, sb[BUF] = {0};
    int loA = BUF, hiA = -1, loB = BUF, hiB = -1;
    truth t = {false, false};
    mark_bytes(a, sa);
    mark_bytes(b, sb);
    for (int i = 0; i < BUF; i++) {
        if (sa[i]) {
            loA = i < loA ? i : loA;
            hiA = i;
        }
        if (sb[i]) {
            loB = i < loB ? i : loB;
            hiB = i;
        }
        t.shares |= sa[i] && sb[i];
    }
    t.bounds = hiA >= 0 && hiB >= 0 && loA <= hiB && loB <= hiA;
    return t;
}

/* A random view of owner that keeps every byte inside it. */
static nd_array *random_view(const nd_array *owner, const nd_dtype *const *types)
{
    for (;;) {
        int ndim = rnd_in(0, 3);
        const nd_dtype *dt = types[rnd_in(1, 8)];
        ptrdiff_t shape[3], strides[3], lo = 0, hi = (ptrdiff_t)dt->itemsize;
        for (int k = 0; k < ndim; k++) {
            shape[k] = rnd_in(0, 4);
            /* mostly multiples of the itemsize, as real arrays are */
            strides[k] = rnd_in(0, 3) ? rnd_in(-3, 3) * (ptrdiff_t)dt->itemsize
                                      : rnd_in(-13, 13);
            ptrdiff_t span = strides[k] * (shape[k] > 0 ? shape[k] - 1 : 0);
            if (span < 0)
                lo += span;
            else
                hi += span;
        }
        if (hi - lo > BUF)
            continue;
        ptrdiff_t off = -lo + rnd_in(0, (int)(BUF - (hi - lo)));
        nd_array *v = nd__view(owner, dt, ndim, shape, strides, owner->data + off);
        ck_assert_ptr_nonnull(v);
        return v;
    }
}

/* ---- the oracle ---------------------------------------------------------- */

START_TEST(random_pairs_match_brute_force)
{
    const nd_dtype *types[9] = {NULL};
    for (int n = 1; n <= 8; n++)
        types[n] = bytes_type(n);
    nd_array *owner = owner_bytes(BUF);
    long shares = 0, disjoint_in_bounds = 0, empty = 0;

    for (int trial = 0; trial < 50000; trial++) {
        nd_array *a = random_view(owner, types), *b = random_view(owner, types);
        truth t = brute(a, b);
        int got = nd_shares_memory(a, b);
        ck_assert_msg(got == (int)t.shares, "trial %d: shares %d, brute force %d",
                      trial, got, (int)t.shares);
        ck_assert_int_eq(nd_shares_memory(b, a), got);      /* symmetric */
        ck_assert_msg(nd_may_share_memory(a, b) == t.bounds,
                      "trial %d: may_share %d, bounds %d", trial,
                      (int)nd_may_share_memory(a, b), (int)t.bounds);
        for (long w = 1; w <= 5; w++) {   /* a budget may give up, never lie */
            int r = nd__solve_overlap(a, b, w);
            ck_assert(r == 1 || (r == 0 && !t.shares));
        }
        ck_assert_int_eq(nd__solve_overlap(a, b, 0), (int)t.bounds);
        shares += t.shares;
        disjoint_in_bounds += t.bounds && !t.shares;
        empty += nd_size(a) == 0 || nd_size(b) == 0;
        nd_free(a);
        nd_free(b);
    }
    /* The generator must exercise every outcome, or the test proves little. */
    ck_assert_int_gt(shares, 5000);
    ck_assert_int_gt(disjoint_in_bounds, 500);
    ck_assert_int_gt(empty, 500);
    nd_free(owner);
}
END_TEST

START_TEST(self_overlap_is_nonempty)
{
    const nd_dtype *types[9] = {NULL};
    for (int n = 1; n <= 8; n++)
        types[n] = bytes_type(n);
    nd_array *owner = owner_bytes(BUF);
    for (int trial = 0; trial < 2000; trial++) {
        nd_array *a = random_view(owner, types);
        ck_assert_int_eq(nd_shares_memory(a, a), nd_size(a) > 0);
        ck_assert(nd_may_share_memory(a, a) == (nd_size(a) > 0));
        nd_free(a);
    }
    nd_free(owner);
}
END_TEST

/* ---- spec 10.1 / 10.2 examples ------------------------------------------- */

/* x = np.arange(10), int64; x[start::step] and x[start:stop] views. */
START_TEST(int64_slices)
{
    nd_array *x = nd_arange(ND_INT64, 10);
    ck_assert_ptr_nonnull(x);
    struct {
        ptrdiff_t off_a, n_a, step_a, off_b, n_b, step_b;
        bool may, shares;
    } cases[] = {
        {0, 5, 2, 1, 5, 2, true, false},   /* x[::2]  x[1::2] interleaved */
        {0, 4, 3, 1, 3, 3, true, false},   /* x[::3]  x[1::3] */
        {0, 5, 2, 0, 4, 3, true, true},    /* x[::2]  x[::3]  (0, 6) */
        {0, 5, 1, 5, 5, 1, false, false},  /* x[:5]   x[5:] */
        {0, 6, 1, 5, 5, 1, true, true},    /* x[:6]   x[5:] */
        {5, 0, 1, 0, 10, 1, false, false}, /* x[5:5]  x */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nd_array *a = view1(x, ND_INT64, cases[i].off_a * 8, cases[i].n_a,
                            cases[i].step_a * 8);
        nd_array *b = view1(x, ND_INT64, cases[i].off_b * 8, cases[i].n_b,
                            cases[i].step_b * 8);
        ck_assert_msg(nd_may_share_memory(a, b) == cases[i].may, "case %zu", i);
        ck_assert_msg(nd_shares_memory(a, b) == cases[i].shares, "case %zu", i);
        nd_free(a);
        nd_free(b);
    }
    nd_free(x);
}
END_TEST

START_TEST(empty_never_shares)
{
    nd_array *x = nd_arange(ND_INT64, 10);
    nd_array *e = view1(x, ND_INT64, 40, 0, 8);
    ck_assert_int_eq(nd_shares_memory(e, e), 0);
    ck_assert(!nd_may_share_memory(e, e));
    ck_assert_int_eq(nd_shares_memory(x, x), 1);
    nd_free(e);
    nd_free(x);
}
END_TEST

/* Worked example 2: int8 y (4,20); y[:, ::7] and y[:, 3::3] never meet, and
 * proving it takes exactly 6 work units. */
START_TEST(int8_grid_needs_six_work_units)
{
    ptrdiff_t shape[2] = {4, 20};
    nd_array *y = nd_zeros(ND_INT8, 2, shape);
    ptrdiff_t sa[2] = {4, 3}, ta[2] = {20, 7};
    ptrdiff_t sb[2] = {4, 6}, tb[2] = {20, 3};
    nd_array *a = nd__view(y, ND_INT8, 2, sa, ta, y->data);
    nd_array *b = nd__view(y, ND_INT8, 2, sb, tb, y->data + 3);
    ck_assert(nd_may_share_memory(a, b));
    ck_assert_int_eq(nd_shares_memory(a, b), 0);
    for (long w = 1; w <= 5; w++)     /* NumPy: TooHardError */
        ck_assert_int_eq(nd__solve_overlap(a, b, w), 1);
    ck_assert_int_eq(nd__solve_overlap(a, b, 6), 0);
    ck_assert_int_eq(nd__solve_overlap(a, b, 0), 1);
    nd_free(a);
    nd_free(b);
    nd_free(y);
}
END_TEST

/* z int32; z[::2] against int8 views of the same bytes. */
START_TEST(int32_against_int8_bytes)
{
    nd_array *z = nd_arange(ND_INT32, 10);
    nd_array *a = view1(z, ND_INT32, 0, 5, 8);
    nd_array *b4 = view1(z, ND_INT8, 4, 5, 8);   /* z.view(int8)[4::8] */
    nd_array *b3 = view1(z, ND_INT8, 3, 5, 8);   /* z.view(int8)[3::8] */
    ck_assert(nd_may_share_memory(a, b4));
    ck_assert_int_eq(nd_shares_memory(a, b4), 0);
    ck_assert_int_eq(nd_shares_memory(a, b3), 1);   /* byte 3 of element 0 */
    nd_free(a);
    nd_free(b4);
    nd_free(b3);
    nd_free(z);
}
END_TEST

/* Records: r['x'] and r['y'] are disjoint, but r[['x']] keeps the itemsize
 * (14 bytes), so its padding covers y. */
START_TEST(record_fields_and_padding)
{
    static const char *const names[] = {"x", "y", "z"};
    const nd_dtype *types[] = {ND_INT32, ND_FLOAT64, ND_INT16};
    const nd_dtype *rt = nd_record(3, names, types);
    ck_assert_ptr_nonnull(rt);
    ck_assert_uint_eq(rt->itemsize, 14);
    ptrdiff_t n = 4;
    nd_array *r = nd_zeros(rt, 1, &n);
    nd_array *rx = view1(r, ND_INT32, 0, 4, 14);
    nd_array *ry = view1(r, ND_FLOAT64, 4, 4, 14);
    const char *xname[] = {"x"};
    const nd_dtype *xtype[] = {ND_INT32};
    size_t xoff[] = {0};
    const nd_dtype *only_x = nd__record_ex(1, xname, xtype, xoff, 14);
    ck_assert_ptr_nonnull(only_x);
    nd_array *rxx = view1(r, only_x, 0, 4, 14);

    ck_assert(nd_may_share_memory(rx, ry));
    ck_assert_int_eq(nd_shares_memory(rx, ry), 0);
    ck_assert(nd_may_share_memory(rxx, ry));
    ck_assert_int_eq(nd_shares_memory(rxx, ry), 1);
    nd_free(rxx);
    nd_free(ry);
    nd_free(rx);
    nd_free(r);
}
END_TEST

START_TEST(separate_owners_and_null)
{
    nd_array *x = nd_arange(ND_INT64, 4), *y = nd_arange(ND_INT64, 4);
    ck_assert_int_eq(nd_shares_memory(x, y), 0);
    ck_assert(!nd_may_share_memory(x, y));
    ck_assert_int_eq(nd_shares_memory(x, NULL), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert(!nd_may_share_memory(NULL, y));
    nd_free(x);
    nd_free(y);
}
END_TEST

/* Strides of zero and of length-1 axes add nothing; negative strides flip. */
START_TEST(zero_and_negative_strides)
{
    nd_array *x = nd_arange(ND_INT64, 10);
    ptrdiff_t shape[2] = {3, 2}, strides[2] = {0, 8};
    nd_array *bcast = nd__view(x, ND_INT64, 2, shape, strides, x->data + 16);
    nd_array *rev = view1(x, ND_INT64, 72, 5, -16);   /* x[::-2]: 9,7,5,3,1 */
    nd_array *even = view1(x, ND_INT64, 0, 5, 16);    /* x[::2] */
    nd_array *three = view1(x, ND_INT64, 24, 1, 8);   /* x[3:4] */
    ck_assert_int_eq(nd_shares_memory(rev, even), 0);
    ck_assert_int_eq(nd_shares_memory(rev, three), 1);
    ck_assert_int_eq(nd_shares_memory(bcast, three), 1);   /* x[2:4] rows */
    ck_assert_int_eq(nd_shares_memory(bcast, rev), 1);     /* element 3 */
    ck_assert_int_eq(nd_shares_memory(bcast, even), 1);    /* element 2 */
    nd_free(bcast);
    nd_free(rev);
    nd_free(even);
    nd_free(three);
    nd_free(x);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("overlap");
    TCase *tc = tcase_create("overlap");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, random_pairs_match_brute_force);
    tcase_add_test(tc, self_overlap_is_nonempty);
    tcase_add_test(tc, int64_slices);
    tcase_add_test(tc, empty_never_shares);
    tcase_add_test(tc, int8_grid_needs_six_work_units);
    tcase_add_test(tc, int32_against_int8_bytes);
    tcase_add_test(tc, record_fields_and_padding);
    tcase_add_test(tc, separate_owners_and_null);
    tcase_add_test(tc, zero_and_negative_strides);
    suite_add_tcase(s, tc);
    return s;
}
