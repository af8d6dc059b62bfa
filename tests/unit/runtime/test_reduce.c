/*
 * test_reduce.c - tests runtime/src/reduce.c: whole-array sum/mean/std and
 * the axis versions, against references computed here in long double, plus
 * the accuracy that pairwise summation buys (a naive running sum of a
 * million 0.1s is off by ~1e-6; pairwise stays within 1e-8), integer sums
 * being exact, and the NaN/error conventions.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "nd_int.h"

static long double ref_mean(const nd_array *a, ptrdiff_t n)
{
    long double s = 0;
    for (ptrdiff_t i = 0; i < n; i++)
        s += nd__load_f64(a->dt, a->data + i * a->strides[0]);
    return s / n;
}

START_TEST(whole_array)
{
    ptrdiff_t n = 1001;
    nd_array *a = nd_arange(ND_FLOAT64, n);
    nd_imul_scalar(a, 0.37);
    nd_isub_scalar(a, 50);
    long double m = ref_mean(a, n), v = 0;
    for (ptrdiff_t i = 0; i < n; i++) {
        long double d = nd_item(a, &i) - m;
        v += d * d;
    }
    double sd = (double)sqrtl(v / n);
    ck_assert_double_eq_tol(nd_sum(a), (double)(m * n), 1e-9);
    ck_assert_double_eq_tol(nd_mean(a), (double)m, 1e-12);
    ck_assert_double_eq_tol(nd_std(a), sd, 1e-12);
    /* the same through a reversed, strided view */
    nd_array *f = nd_flip(a, 0);
    ck_assert_double_eq_tol(nd_sum(f), (double)(m * n), 1e-9);
    ck_assert_double_eq_tol(nd_std(f), sd, 1e-12);
    nd_free(a), nd_free(f);
}
END_TEST

START_TEST(pairwise_accuracy)
{
    ptrdiff_t n = 1000000;
    nd_array *a = nd_full(ND_FLOAT64, 1, &n, 0.1);
    double naive = 0;
    for (ptrdiff_t i = 0; i < n; i++)
        naive += 0.1;
    ck_assert(fabs(naive - 100000.0) > 1e-7);   /* the problem is real */
    ck_assert_double_eq_tol(nd_sum(a), 100000.0, 1e-8);
    ck_assert_double_eq_tol(nd_mean(a), 0.1, 1e-15);
    ck_assert_double_eq_tol(nd_std(a), 0.0, 1e-12);
    nd_free(a);
}
END_TEST

START_TEST(integer_sums)
{
    nd_array *a = nd_arange(ND_INT32, 100);
    ck_assert_double_eq(nd_sum(a), 4950);
    ck_assert_double_eq(nd_mean(a), 49.5);
    nd_free(a);
    /* exact beyond 2^53: int64 accumulation, as NumPy */
    nd_array *b = nd_zeros(ND_INT64, 1, (ptrdiff_t[]){3});
    int64_t big = ((int64_t)1 << 60) + 1;
    for (int i = 0; i < 3; i++)
        nd__store_i64(ND_INT64, (char *)nd_data(b) + 8 * i, i == 1 ? -big + 2 : big);
    ck_assert_double_eq(nd_sum(b), (double)(big + 2));
    nd_free(b);
    nd_array *t = nd_full(ND_BOOL, 1, (ptrdiff_t[]){7}, 1);
    ck_assert_double_eq(nd_sum(t), 7);
    nd_free(t);
    nd_array *u = nd_full(ND_UINT8, 1, (ptrdiff_t[]){300}, 255);   /* no uint8 overflow */
    ck_assert_double_eq(nd_sum(u), 255 * 300);
    nd_free(u);
}
END_TEST

START_TEST(empty_null_and_records)
{
    nd_array *e = nd_zeros(ND_FLOAT64, 2, (ptrdiff_t[]){0, 4});
    ck_assert_double_eq(nd_sum(e), 0);
    ck_assert(isnan(nd_mean(e)));
    ck_assert(isnan(nd_std(e)));
    ck_assert(isnan(nd_sum(NULL)));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    ck_assert(isnan(nd_mean(NULL)));
    ck_assert(isnan(nd_std(NULL)));
    const char *names[1] = {"x"};
    const nd_dtype *types[1] = {ND_INT8};
    nd_array *r = nd_zeros(nd_record(1, names, types), 1, (ptrdiff_t[]){2});
    ck_assert(isnan(nd_sum(r)));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    ck_assert_ptr_null(nd_mean_axis(r, 0));
    /* 0-d: one element */
    nd_array *z = nd_full(ND_FLOAT32, 0, NULL, 2.5);
    ck_assert_double_eq(nd_sum(z), 2.5);
    ck_assert_double_eq(nd_std(z), 0);
    nd_free(e), nd_free(r), nd_free(z);
}
END_TEST

/* mean/std along `axis` of a (2,3,4) int16 array, against direct loops */
static void check_axis(const nd_array *a, int axis)
{
    int ax = axis < 0 ? axis + 3 : axis;
    nd_array *m = nd_mean_axis(a, axis), *s = nd_std_axis(a, axis);
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_eq(nd_dtype_of(m), ND_FLOAT64);
    ck_assert_int_eq(nd_ndim(m), 2);
    ptrdiff_t len = nd_shape(a)[ax];
    ptrdiff_t o0 = nd_shape(m)[0], o1 = nd_shape(m)[1];
    for (ptrdiff_t i = 0; i < o0; i++)
        for (ptrdiff_t j = 0; j < o1; j++) {
            long double sum = 0, sq = 0;
            ptrdiff_t idx[3];
            for (ptrdiff_t k = 0; k < len; k++) {
                int p = 0;
                for (int d = 0; d < 3; d++)
                    idx[d] = d == ax ? k : (p++ == 0 ? i : j);
                sum += nd_item(a, idx);
            }
            long double mean = sum / len;
            for (ptrdiff_t k = 0; k < len; k++) {
                int p = 0;
                for (int d = 0; d < 3; d++)
                    idx[d] = d == ax ? k : (p++ == 0 ? i : j);
                long double dv = nd_item(a, idx) - mean;
                sq += dv * dv;
            }
            ck_assert_double_eq_tol(nd_item(m, (ptrdiff_t[]){i, j}), (double)mean, 1e-12);
            ck_assert_double_eq_tol(nd_item(s, (ptrdiff_t[]){i, j}), (double)sqrtl(sq / len),
                                    1e-12);
        }
    nd_free(m), nd_free(s);
}

START_TEST(along_axis)
{
    ptrdiff_t shape[3] = {2, 3, 4};
    nd_array *a = nd_zeros(ND_INT16, 3, shape);
    for (int i = 0; i < 24; i++)
        nd__store_i64(ND_INT16, (char *)nd_data(a) + 2 * i, (i * 7919) % 23 - 11);
    for (int axis = -3; axis < 3; axis++)
        check_axis(a, axis);
    nd_array *t = nd_permute(a, (int[]){2, 0, 1});   /* strided input */
    for (int axis = 0; axis < 3; axis++)
        check_axis(t, axis);
    ck_assert_ptr_null(nd_mean_axis(a, 3));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "axis 3 is out of bounds for array of dimension 3");
    ck_assert_ptr_null(nd_std_axis(a, -4));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    nd_array *z = nd_zeros(ND_INT8, 0, NULL);
    ck_assert_ptr_null(nd_mean_axis(z, 0));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_ptr_null(nd_std_axis(NULL, 0));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    /* reducing an empty axis gives NaN; an empty other axis gives empty */
    nd_array *e = nd_zeros(ND_FLOAT64, 2, (ptrdiff_t[]){0, 3});
    nd_array *m0 = nd_mean_axis(e, 0), *m1 = nd_mean_axis(e, 1);
    ck_assert_int_eq(nd_size(m0), 3);
    ck_assert(isnan(nd_item(m0, (ptrdiff_t[]){1})));
    ck_assert_int_eq(nd_size(m1), 0);
    nd_free(a), nd_free(t), nd_free(z), nd_free(e), nd_free(m0), nd_free(m1);
}
END_TEST

START_TEST(bit_exact_with_numpy)
{
    /* x = (np.arange(9991) * 7919 % 1000) / 7.0 - every element is one
     * correctly rounded division, identical in C and NumPy - and the hex
     * values NumPy 1.24 printed for the reductions below. Same summation
     * order means the same bits. */
    ptrdiff_t n = 9991;
    nd_array *x = nd_zeros(ND_FLOAT64, 1, &n);
    double *v = nd_data(x);
    for (ptrdiff_t i = 0; i < n; i++)
        v[i] = (double)(i * 7919 % 1000) / 7.0;
    ck_assert_double_eq(nd_sum(x), 0x1.5c2b56db6db6dp+19);
    ck_assert_double_eq(nd_mean(x), 0x1.1d7a2ac69f65bp+6);
    ck_assert_double_eq(nd_std(x), 0x1.49f80bf186562p+5);
    nd_array *rev = nd__view(x, ND_FLOAT64, 1, (ptrdiff_t[]){3331}, (ptrdiff_t[]){-24},
                             (char *)nd_data(x) + 8 * (n - 1));   /* x[::-3] */
    ck_assert_double_eq(nd_sum(rev), 0x1.d04d124924925p+17);
    nd_array *y = nd_reshape(x, 2, (ptrdiff_t[]){97, 103});
    nd_array *m0 = nd_mean_axis(y, 0), *s1 = nd_std_axis(y, 1);
    nd_array *yt = nd_transpose(y), *st0 = nd_std_axis(yt, 0);
    const double m0_want[3] = {0x1.209cd7a887baap+6, 0x1.1b90668d01e29p+6, 0x1.1c680f14bc833p+6};
    const double s1_want[3] = {0x1.4ed3396b5faddp+5, 0x1.43bc194e1482fp+5, 0x1.4c0ae5303bb21p+5};
    for (ptrdiff_t i = 0; i < 3; i++) {
        ck_assert_double_eq(nd_item(m0, &i), m0_want[i]);
        ck_assert_double_eq(nd_item(s1, &i), s1_want[i]);
        ck_assert_double_eq(nd_item(st0, &i), s1_want[i]);
    }
    nd_free(x), nd_free(rev), nd_free(y), nd_free(m0), nd_free(s1), nd_free(yt), nd_free(st0);

    /* Blocks of 8192 that span many short runs (NumPy gathers them into its
     * buffer): ((arange(24500)*7919 % 1000)/7.0).reshape(70,70,5)[..., ::-1]
     * and rows longer than a block: .reshape(3,20000)[:, ::-1] of 60000. */
    n = 60000;
    x = nd_zeros(ND_FLOAT64, 1, &n);
    v = nd_data(x);
    for (ptrdiff_t i = 0; i < n; i++)
        v[i] = (double)(i * 7919 % 1000) / 7.0;
    nd_array *c = nd__view(x, ND_FLOAT64, 3, (ptrdiff_t[]){70, 70, 5}, (ptrdiff_t[]){2800, 40, -8},
                           (char *)nd_data(x) + 32);
    ck_assert_double_eq(nd_sum(c), 0x1.aad616db6db6ep+20);
    ck_assert_double_eq(nd_std(c), 0x1.49eca65baf3ccp+5);
    nd_array *r = nd__view(x, ND_FLOAT64, 2, (ptrdiff_t[]){3, 20000}, (ptrdiff_t[]){160000, -8},
                           (char *)nd_data(x) + 8 * 19999);
    ck_assert_double_eq(nd_sum(r), 0x1.0551524924924p+22);
    nd_array *rm = nd_mean_axis(r, 1);
    ck_assert_double_eq(nd_item(rm, (ptrdiff_t[]){0}), 0x1.1d6db6db6db6dp+6);
    nd_free(c), nd_free(r), nd_free(rm), nd_free(x);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("reduce");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, whole_array);
    tcase_add_test(tc, pairwise_accuracy);
    tcase_add_test(tc, integer_sums);
    tcase_add_test(tc, empty_null_and_records);
    tcase_add_test(tc, along_axis);
    tcase_add_test(tc, bit_exact_with_numpy);
    suite_add_tcase(s, tc);
    return s;
}
