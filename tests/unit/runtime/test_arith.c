/*
 * test_arith.c - tests runtime/src/arith.c: result dtypes (NumPy's
 * promotion), broadcast values against per-element arithmetic, the
 * comparison masks (exact for large integers), and logical operations.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "nd_int.h"

static double at2(const nd_array *a, ptrdiff_t i, ptrdiff_t j)
{
    return nd_item(a, (ptrdiff_t[]){i, j});
}

START_TEST(result_dtypes)
{
    struct { const nd_dtype *a, *b, *add, *div; } cases[] = {
        {ND_INT64, ND_INT64, ND_INT64, ND_FLOAT64},
        {ND_INT8, ND_UINT8, ND_INT16, ND_FLOAT64},
        {ND_UINT64, ND_INT64, ND_FLOAT64, ND_FLOAT64},
        {ND_FLOAT32, ND_FLOAT32, ND_FLOAT32, ND_FLOAT32},
        {ND_FLOAT32, ND_INT8, ND_FLOAT32, ND_FLOAT32},
        {ND_FLOAT32, ND_INT64, ND_FLOAT64, ND_FLOAT64},
        {ND_BOOL, ND_BOOL, ND_BOOL, ND_FLOAT64},
        {ND_BOOL, ND_UINT16, ND_UINT16, ND_FLOAT64},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        nd_array *a = nd_zeros(cases[k].a, 1, (ptrdiff_t[]){2});
        nd_array *b = nd_full(cases[k].b, 1, (ptrdiff_t[]){2}, 1);
        nd_array *s = nd_add(a, b), *d = nd_div(a, b), *m = nd_mul(b, a);
        ck_assert_ptr_eq(nd_dtype_of(s), cases[k].add);
        ck_assert_ptr_eq(nd_dtype_of(m), cases[k].add);
        ck_assert_ptr_eq(nd_dtype_of(d), cases[k].div);
        nd_free(a), nd_free(b), nd_free(s), nd_free(d), nd_free(m);
    }
    nd_array *t = nd_zeros(ND_BOOL, 1, (ptrdiff_t[]){2});
    ck_assert_ptr_null(nd_sub(t, t));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    nd_free(t);
}
END_TEST

START_TEST(broadcast_values)
{
    nd_array *colsrc = nd_arange(ND_INT32, 3);
    nd_array *col = nd_reshape(colsrc, 2, (ptrdiff_t[]){3, 1});
    nd_array *rowsrc = nd_arange(ND_FLOAT64, 4);
    nd_array *row = nd_flip(rowsrc, 0);   /* 3, 2, 1, 0: negative stride */
    nd_array *s = nd_add(col, row), *d = nd_sub(col, row), *m = nd_mul(col, row),
             *q = nd_div(col, row);
    ck_assert_int_eq(nd_ndim(s), 2);
    ck_assert_int_eq(nd_shape(s)[0], 3);
    ck_assert_int_eq(nd_shape(s)[1], 4);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) {
            double x = i, y = 3 - j;
            ck_assert_double_eq(at2(s, i, j), x + y);
            ck_assert_double_eq(at2(d, i, j), x - y);
            ck_assert_double_eq(at2(m, i, j), x * y);
            if (y != 0)
                ck_assert_double_eq(at2(q, i, j), x / y);
        }
    ck_assert(isnan(at2(q, 0, 3)));
    ck_assert(isinf(at2(q, 1, 3)));
    nd_array *bad = nd_arange(ND_INT32, 5);
    ck_assert_ptr_null(nd_add(row, bad));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "operands could not be broadcast together with shapes (4,) (5,) ");
    ck_assert_ptr_null(nd_mul(NULL, bad));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    nd_free(colsrc), nd_free(col), nd_free(rowsrc), nd_free(row), nd_free(s), nd_free(d), nd_free(m), nd_free(q),
        nd_free(bad);
}
END_TEST

START_TEST(integer_wraparound)
{
    nd_array *a = nd_full(ND_INT8, 1, (ptrdiff_t[]){1}, 100);
    nd_array *s = nd_add(a, a), *m = nd_mul(a, a);
    ck_assert_double_eq(nd_item(s, (ptrdiff_t[]){0}), -56);
    ck_assert_double_eq(nd_item(m, (ptrdiff_t[]){0}), 16);   /* 10000 mod 256 */
    nd_array *u = nd_zeros(ND_UINT32, 1, (ptrdiff_t[]){1}), *one = nd_full(ND_UINT32, 1, (ptrdiff_t[]){1}, 1);
    nd_array *w = nd_sub(u, one);
    ck_assert_double_eq(nd_item(w, (ptrdiff_t[]){0}), 4294967295.0);
    nd_free(a), nd_free(s), nd_free(m), nd_free(u), nd_free(one), nd_free(w);
}
END_TEST

START_TEST(empty_and_zero_d)
{
    nd_array *e = nd_zeros(ND_FLOAT64, 2, (ptrdiff_t[]){0, 3});
    nd_array *r = nd_arange(ND_FLOAT64, 3);
    nd_array *s = nd_add(e, r);
    ck_assert_int_eq(nd_size(s), 0);
    ck_assert_int_eq(nd_shape(s)[1], 3);
    nd_array *z = nd_full(ND_INT64, 0, NULL, 5);
    nd_array *t = nd_mul(z, r);   /* 0-d broadcasts */
    ck_assert_double_eq(nd_item(t, (ptrdiff_t[]){2}), 10);
    nd_array *zz = nd_add(z, z);
    ck_assert_int_eq(nd_ndim(zz), 0);
    ck_assert_double_eq(nd_item(zz, NULL), 10);
    nd_free(e), nd_free(r), nd_free(s), nd_free(z), nd_free(t), nd_free(zz);
}
END_TEST

START_TEST(comparisons)
{
    nd_array *a = nd_arange(ND_FLOAT64, 6);
    nd_array *g = nd_gt_scalar(a, 2.5), *l = nd_lt_scalar(a, 2), *e = nd_eq_scalar(a, 4);
    ck_assert_ptr_eq(nd_dtype_of(g), ND_BOOL);
    for (ptrdiff_t i = 0; i < 6; i++) {
        ck_assert_double_eq(nd_item(g, &i), i > 2.5);
        ck_assert_double_eq(nd_item(l, &i), i < 2);
        ck_assert_double_eq(nd_item(e, &i), i == 4);
    }
    nd_free(g), nd_free(l), nd_free(e);
    /* NaN compares false */
    nd_array *n = nd_full(ND_FLOAT32, 1, (ptrdiff_t[]){2}, NAN);
    nd_array *ne = nd_eq_scalar(n, NAN), *ng = nd_gt_scalar(n, -INFINITY);
    ck_assert_double_eq(nd_item(ne, (ptrdiff_t[]){0}), 0);
    ck_assert_double_eq(nd_item(ng, (ptrdiff_t[]){1}), 0);
    /* int64 above 2^53 compares exactly: 2^53 + 1 > 2^53 */
    nd_array *big = nd_zeros(ND_INT64, 1, (ptrdiff_t[]){1});
    nd__store_i64(ND_INT64, nd_data(big), ((int64_t)1 << 53) + 1);
    nd_array *bg = nd_gt_scalar(big, 9007199254740992.0), *be = nd_eq_scalar(big, 9007199254740992.0);
    ck_assert_double_eq(nd_item(bg, (ptrdiff_t[]){0}), 1);
    ck_assert_double_eq(nd_item(be, (ptrdiff_t[]){0}), 0);
    /* uint64 max vs -1 */
    nd_array *u = nd_zeros(ND_UINT64, 1, (ptrdiff_t[]){1});
    nd__store_i64(ND_UINT64, nd_data(u), -1);
    nd_array *ug = nd_gt_scalar(u, -1);
    ck_assert_double_eq(nd_item(ug, (ptrdiff_t[]){0}), 1);
    /* integers against fractions and out-of-range values */
    nd_array *k = nd_arange(ND_INT16, 5);   /* 0..4 */
    nd_isub_scalar(k, 2);                     /* -2..2 */
    nd_array *kg = nd_gt_scalar(k, -1.5), *kl = nd_lt_scalar(k, 0.5), *ke = nd_eq_scalar(k, 1.0),
             *kh = nd_lt_scalar(k, 1e300), *kn = nd_eq_scalar(k, NAN);
    for (ptrdiff_t i = 0; i < 5; i++) {
        double x = (double)i - 2;
        ck_assert_double_eq(nd_item(kg, &i), x > -1.5);
        ck_assert_double_eq(nd_item(kl, &i), x < 0.5);
        ck_assert_double_eq(nd_item(ke, &i), x == 1.0);
        ck_assert_double_eq(nd_item(kh, &i), 1);
        ck_assert_double_eq(nd_item(kn, &i), 0);
    }
    nd_free(k), nd_free(kg), nd_free(kl), nd_free(ke), nd_free(kh), nd_free(kn);
    /* strided input */
    nd_array *t = nd_reshape(a, 2, (ptrdiff_t[]){2, 3});
    nd_array *tt = nd_transpose(t);
    nd_array *tg = nd_gt_scalar(tt, 1.5);
    ck_assert_double_eq(at2(tg, 0, 1), 1);   /* tt[0,1] = 3 */
    ck_assert_double_eq(at2(tg, 1, 0), 0);   /* tt[1,0] = 1 */
    ck_assert_ptr_null(nd_gt_scalar(NULL, 0));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    nd_free(a), nd_free(n), nd_free(ne), nd_free(ng), nd_free(big), nd_free(bg), nd_free(be),
        nd_free(u), nd_free(ug), nd_free(t), nd_free(tt), nd_free(tg);
}
END_TEST

START_TEST(logical_ops)
{
    double av[4] = {0, 1, NAN, -2}, bv[4] = {0, 0, 1, 3};
    nd_array *a = nd_from_buffer(ND_FLOAT64, 1, (ptrdiff_t[]){4}, av);
    nd_array *bsrc = nd_from_buffer(ND_FLOAT64, 1, (ptrdiff_t[]){4}, bv);
    nd_array *b = nd_astype(bsrc, ND_INT16);
    nd_array *and_ = nd_logical_and(a, b), *or_ = nd_logical_or(a, b), *not_ = nd_logical_not(a);
    for (ptrdiff_t i = 0; i < 4; i++) {
        bool p = av[i] != 0, q = bv[i] != 0;   /* NaN is true */
        ck_assert_double_eq(nd_item(and_, &i), p && q);
        ck_assert_double_eq(nd_item(or_, &i), p || q);
        ck_assert_double_eq(nd_item(not_, &i), !p);
    }
    ck_assert_ptr_eq(nd_dtype_of(and_), ND_BOOL);
    /* broadcasting (4,) with (2,1) */
    nd_array *c = nd_full(ND_BOOL, 2, (ptrdiff_t[]){2, 1}, 1);
    nd_array *bc = nd_logical_and(a, c);
    ck_assert_int_eq(nd_shape(bc)[0], 2);
    ck_assert_double_eq(at2(bc, 1, 3), 1);
    ck_assert_double_eq(at2(bc, 1, 0), 0);
    ck_assert_ptr_null(nd_logical_or(a, NULL));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    nd_free(bsrc), nd_free(a), nd_free(b), nd_free(and_), nd_free(or_), nd_free(not_), nd_free(c), nd_free(bc);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("arith");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, result_dtypes);
    tcase_add_test(tc, broadcast_values);
    tcase_add_test(tc, integer_wraparound);
    tcase_add_test(tc, empty_and_zero_d);
    tcase_add_test(tc, comparisons);
    tcase_add_test(tc, logical_ops);
    suite_add_tcase(s, tc);
    return s;
}
