/*
 * test_take.c - tests runtime/src/index_take.c: nd_take, nd_compress and
 * nd_get_ix (np.take, np.compress, a[np.ix_(...)]).
 *
 * Expectations are NumPy 1.24's answers (shapes, values, error kinds and
 * texts), and a brute-force oracle for take: result[i, j, k] must be
 * a[i, ind[j], k] for random index arrays on every axis of a 3-d array,
 * including negative indices and non-contiguous sources.
 */
#include <check.h>
#include <stdlib.h>

#include "nd_int.h"

static nd_array *arange2(ptrdiff_t r, ptrdiff_t c)
{
    ptrdiff_t sh[] = {r, c};
    nd_array *f = nd_arange(ND_INT64, r * c);
    nd_array *a = nd_reshape(f, 2, sh);
    nd_array *o = nd_copy(a);
    nd_free(a);
    nd_free(f);
    return o;
}

static nd_array *ints(int n, const int64_t *v)
{
    ptrdiff_t len = n;
    return nd_from_buffer(ND_INT64, 1, &len, v);
}

static void expect_values(const nd_array *r, int n, const int64_t *want)
{
    ck_assert_int_eq(nd_size(r), n);
    nd_array *c = nd__copy_c(r);
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(((const int64_t *)c->data)[i], want[i]);
    nd_free(c);
}

START_TEST(take_axes)
{
    nd_array *a = arange2(2, 3);
    int64_t iv[] = {0, 1, 2, 0};
    ptrdiff_t sh22[] = {2, 2};
    nd_array *ind = nd_from_buffer(ND_INT64, 2, sh22, iv);
    nd_array *r = nd_take(a, ind, 1);          /* shape (2,2,2) */
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->ndim, 3);
    ck_assert_ptr_null(nd_base(r));
    const int64_t want[] = {0, 1, 2, 0, 3, 4, 5, 3};
    expect_values(r, 8, want);
    nd_free(r);
    r = nd_take(a, ind, -1);                    /* negative axis */
    ck_assert_ptr_nonnull(r);
    expect_values(r, 8, want);
    nd_free(r);
    nd_free(ind);
    /* a 0-d index still gives a copy */
    nd_array *one = nd_full(ND_INT64, 0, NULL, 1);
    r = nd_take(a, one, 1);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->ndim, 1);
    ck_assert_ptr_null(nd_base(r));
    const int64_t w2[] = {1, 4};
    expect_values(r, 2, w2);
    nd_free(r);
    nd_free(one);
    nd_free(a);
}
END_TEST

START_TEST(take_errors)
{
    nd_array *a = arange2(2, 3);
    const int64_t bad[] = {-4};
    nd_array *ind = ints(1, bad);
    ck_assert_ptr_null(nd_take(a, ind, 1));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "index -4 is out of bounds for axis 1 with size 3");
    ck_assert_ptr_null(nd_take(a, ind, 2));     /* AxisError */
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "axis 2 is out of bounds for array of dimension 2");
    nd_array *empty = arange2(2, 0);
    const int64_t z[] = {0};
    nd_array *i0 = ints(1, z);
    ck_assert_ptr_null(nd_take(empty, i0, 1));
    ck_assert_str_eq(nd_errmsg(), "cannot do a non-empty take from an empty axes.");
    nd_array *none = ints(0, z);
    nd_array *r = nd_take(empty, none, 1);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->shape[0], 2);
    ck_assert_int_eq(r->shape[1], 0);
    nd_free(r);
    ck_assert_ptr_null(nd_take(NULL, none, 0));
    nd_free(none);
    nd_free(i0);
    nd_free(empty);
    nd_free(ind);
    nd_free(a);
}
END_TEST

START_TEST(take_casts_indices)
{
    nd_array *a = arange2(3, 4);
    bool b[] = {true, false};
    ptrdiff_t two = 2;
    nd_array *bi = nd_from_buffer(ND_BOOL, 1, &two, b);
    nd_array *r = nd_take(a, bi, 1);            /* True, False -> 1, 0 */
    const int64_t w[] = {1, 0, 5, 4, 9, 8};
    expect_values(r, 6, w);
    nd_free(r);
    double f[] = {2.0, 0.0};
    nd_array *fi = nd_from_buffer(ND_FLOAT64, 1, &two, f);
    /* NumPy 1.24 casts take's indices with casting='safe': float (and
     * uint64) indices are a TypeError, integral values or not */
    r = nd_take(a, fi, 0);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    nd_free(fi);
    nd_free(bi);
    nd_free(a);
}
END_TEST

static uint64_t rng = 88172645463325252u;
static int64_t rnd(int64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int64_t)(rng % (uint64_t)n);
}

START_TEST(take_brute_force)
{
    ptrdiff_t sh[] = {3, 4, 5};
    nd_array *flat = nd_arange(ND_INT32, 60);
    nd_array *base = nd_reshape(flat, 3, sh);
    nd_array *a = nd_get(base, "::-1, :, 1::2");     /* non-contiguous (3,4,2) */
    for (int axis = 0; axis < 3; axis++)
        for (int trial = 0; trial < 20; trial++) {
            int64_t n = a->shape[axis], iv[6];
            int len = (int)rnd(7);
            for (int j = 0; j < len; j++)
                iv[j] = rnd(2 * n) - n;
            nd_array *ind = ints(len, iv);
            nd_array *r = nd_take(a, ind, axis);
            ck_assert_ptr_nonnull(r);
            ck_assert_int_eq(r->shape[axis], len);
            ptrdiff_t idx[3], src[3];
            for (idx[0] = 0; idx[0] < r->shape[0]; idx[0]++)
                for (idx[1] = 0; idx[1] < r->shape[1]; idx[1]++)
                    for (idx[2] = 0; idx[2] < r->shape[2]; idx[2]++) {
                        memcpy(src, idx, sizeof src);
                        int64_t v = iv[idx[axis]];
                        src[axis] = v < 0 ? v + n : v;
                        ck_assert(nd_item(r, idx) == nd_item(a, src));
                    }
            nd_free(r);
            nd_free(ind);
        }
    nd_free(a);
    nd_free(base);
    nd_free(flat);
}
END_TEST

/* A gather from an array larger than the caches takes the prefetching
 * loop: the values and the first out-of-bounds error must not change. */
START_TEST(take_large_random)
{
    ptrdiff_t n = 2 << 20, m = 6000;
    nd_array *a = nd_arange(ND_FLOAT64, n);
    nd_array *ind = nd_zeros(ND_INT64, 1, &m);
    int64_t *iv = (int64_t *)ind->data;
    for (ptrdiff_t i = 0; i < m; i++)
        iv[i] = rnd(2 * n) - n;
    nd_array *r = nd_take(a, ind, 0);
    ck_assert_ptr_nonnull(r);
    for (ptrdiff_t i = 0; i < m; i++)
        ck_assert(nd_item(r, &i) == (double)(iv[i] < 0 ? iv[i] + n : iv[i]));
    nd_free(r);
    iv[m - 10] = n;                        /* inside the prefetch window */
    iv[m - 5] = -n - 1;
    ck_assert_ptr_null(nd_take(a, ind, 0));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "index 2097152 is out of bounds for axis 0 with size 2097152");
    nd_free(ind);
    nd_free(a);
}
END_TEST

START_TEST(compress)
{
    nd_array *a = arange2(3, 2);
    bool c[] = {true, false, true, false};
    ptrdiff_t four = 4, two = 2;
    nd_array *m4 = nd_from_buffer(ND_BOOL, 1, &four, c);
    nd_array *r = nd_compress(a, m4, 0);        /* a longer all-False tail is fine */
    ck_assert_ptr_nonnull(r);
    const int64_t w[] = {0, 1, 4, 5};
    expect_values(r, 4, w);
    ck_assert_ptr_null(nd_base(r));
    nd_free(r);
    nd_array *m2 = nd_from_buffer(ND_BOOL, 1, &two, c);
    r = nd_compress(a, m2, 1);                  /* shorter: padded with False */
    const int64_t w2[] = {0, 2, 4};
    expect_values(r, 3, w2);
    nd_free(r);
    bool c2[] = {false, false, false, true};
    nd_array *late = nd_from_buffer(ND_BOOL, 1, &four, c2);
    ck_assert_ptr_null(nd_compress(a, late, 0));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "index 3 is out of bounds for axis 0 with size 3");
    int64_t iv[] = {2, 0, 1};
    nd_array *nums = ints(3, iv);               /* nonzero values are true */
    r = nd_compress(a, nums, 0);
    const int64_t w3[] = {0, 1, 4, 5};
    expect_values(r, 4, w3);
    nd_free(r);
    ptrdiff_t sh11[] = {1, 1};
    nd_array *m2d = nd_zeros(ND_BOOL, 2, sh11);
    ck_assert_ptr_null(nd_compress(a, m2d, 0));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "condition must be a 1-d array");
    nd_free(m2d);
    nd_free(nums);
    nd_free(late);
    nd_free(m2);
    nd_free(m4);
    nd_free(a);
}
END_TEST

START_TEST(ix)
{
    nd_array *x = arange2(3, 4);
    const int64_t r0[] = {0, 2}, c0[] = {1, 3};
    nd_array *rows = ints(2, r0), *cols = ints(2, c0);
    const nd_array *l[] = {rows, cols};
    nd_array *r = nd_get_ix(x, 2, l);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->shape[0], 2);
    ck_assert_int_eq(r->shape[1], 2);
    ck_assert_ptr_null(nd_base(r));
    const int64_t w[] = {1, 3, 9, 11};
    expect_values(r, 4, w);
    nd_free(r);
    bool b[] = {true, false, true};
    ptrdiff_t three = 3, one = 1;
    nd_array *mask = nd_from_buffer(ND_BOOL, 1, &three, b);
    const int64_t c1[] = {1};
    nd_array *col1 = nd_from_buffer(ND_INT64, 1, &one, c1);
    const nd_array *l2[] = {mask, col1};
    r = nd_get_ix(x, 2, l2);
    const int64_t w2[] = {1, 9};
    expect_values(r, 2, w2);
    nd_free(r);
    const nd_array *l3[] = {rows};              /* fewer lists than dims */
    r = nd_get_ix(x, 1, l3);
    ck_assert_int_eq(r->ndim, 2);
    ck_assert_int_eq(r->shape[1], 4);
    nd_free(r);
    nd_array *empty = ints(0, r0);
    const nd_array *l4[] = {empty, cols};
    r = nd_get_ix(x, 2, l4);
    ck_assert_int_eq(r->shape[0], 0);
    ck_assert_int_eq(r->shape[1], 2);
    nd_free(r);
    ptrdiff_t sh12[] = {1, 2};
    nd_array *two_d = nd_zeros(ND_INT64, 2, sh12);
    const nd_array *l5[] = {two_d};
    ck_assert_ptr_null(nd_get_ix(x, 1, l5));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "Cross index must be 1 dimensional");
    const int64_t oob[] = {3};
    nd_array *bad = ints(1, oob);
    const nd_array *l6[] = {bad, cols};
    ck_assert_ptr_null(nd_get_ix(x, 2, l6));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    r = nd_get_ix(x, 0, NULL);                  /* ix_() is a[()], copied */
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_null(nd_base(r));
    ck_assert_int_eq(r->ndim, 2);
    nd_free(r);
    nd_free(bad);
    nd_free(two_d);
    nd_free(empty);
    nd_free(col1);
    nd_free(mask);
    nd_free(cols);
    nd_free(rows);
    nd_free(x);
}
END_TEST

/* Assignment through ix-shaped arrays writes the cross product. */
START_TEST(ix_assignment)
{
    nd_array *x = arange2(3, 4);
    const int64_t r0[] = {0, 2}, c0[] = {1, 3};
    ptrdiff_t s21[] = {2, 1}, s12[] = {1, 2};
    nd_array *rows = nd_from_buffer(ND_INT64, 2, s21, r0);
    nd_array *cols = nd_from_buffer(ND_INT64, 2, s12, c0);
    const int64_t vv[] = {-1, -2, -3, -4};
    ptrdiff_t s22[] = {2, 2};
    nd_array *v = nd_from_buffer(ND_INT64, 2, s22, vv);
    struct nd_index it[] = {ND_ARRAY(rows), ND_ARRAY(cols)};
    ck_assert_int_eq(nd_set_items(x, 2, it, v), 0);
    const int64_t w[] = {0, -1, 2, -2, 4, 5, 6, 7, 8, -3, 10, -4};
    expect_values(x, 12, w);
    nd_free(v);
    nd_free(cols);
    nd_free(rows);
    nd_free(x);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("take");
    TCase *t = tcase_create("take");
    tcase_add_test(t, take_axes);
    tcase_add_test(t, take_errors);
    tcase_add_test(t, take_casts_indices);
    tcase_add_test(t, take_brute_force);
    tcase_add_test(t, take_large_random);
    suite_add_tcase(s, t);
    TCase *c = tcase_create("compress_ix");
    tcase_add_test(c, compress);
    tcase_add_test(c, ix);
    tcase_add_test(c, ix_assignment);
    suite_add_tcase(s, c);
    return s;
}
