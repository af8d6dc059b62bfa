/*
 * test_format.c - tests runtime/src/format.c: nd_repr against the text
 * NumPy 1.24 prints for the same arrays (repr() under default print
 * options; each expected string below was produced by NumPy from the
 * expression in its comment), and nd_print's stream handling.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "nd_int.h"

static void expect_repr(nd_array *a, const char *want)
{
    ck_assert_ptr_nonnull(a);
    char *s = nd_repr(a);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    free(s);
    nd_free(a);
}

/* arange(n) of dt reshaped; the temporary is released here */
static nd_array *shaped(const nd_dtype *dt, int ndim, const ptrdiff_t *shape)
{
    ptrdiff_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    nd_array *flat = nd_arange(dt, n);
    nd_array *a = nd_reshape(flat, ndim, shape);
    nd_free(flat);
    return a;
}

static nd_array *from_doubles(const nd_dtype *dt, ptrdiff_t n, const double *v)
{
    nd_array *f = nd_from_buffer(ND_FLOAT64, 1, &n, v);
    nd_array *a = nd_astype(f, dt);
    nd_free(f);
    return a;
}

START_TEST(integers)
{
    /* np.arange(4).reshape(2,2) */
    expect_repr(shaped(ND_INT64, 2, (ptrdiff_t[]){2, 2}), "array([[0, 1],\n       [2, 3]])");
    /* np.arange(24).reshape(2,3,4) */
    expect_repr(shaped(ND_INT64, 3, (ptrdiff_t[]){2, 3, 4}),
                "array([[[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]],"
                "\n\n       [[12, 13, 14, 15],\n        [16, 17, 18, 19],\n        [20, 21, 22, 23]]])");
    /* np.arange(30) */
    expect_repr(nd_arange(ND_INT64, 30),
                "array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n"
                "       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])");
    /* np.arange(2000) */
    expect_repr(nd_arange(ND_INT64, 2000), "array([   0,    1,    2, ..., 1997, 1998, 1999])");
    /* np.arange(5, dtype=np.int8) */
    expect_repr(nd_arange(ND_INT8, 5), "array([0, 1, 2, 3, 4], dtype=int8)");
    /* np.array(5, np.int8) */
    expect_repr(nd_full(ND_INT8, 0, NULL, 5), "array(5, dtype=int8)");
    /* (np.arange(40)*3).astype(np.int8) */
    nd_array *l = nd_arange(ND_INT8, 40);
    nd_imul_scalar(l, 3);
    expect_repr(l, "array([  0,   3,   6,   9,  12,  15,  18,  21,  24,  27,  30,  33,  36,\n"
                   "        39,  42,  45,  48,  51,  54,  57,  60,  63,  66,  69,  72,  75,\n"
                   "        78,  81,  84,  87,  90,  93,  96,  99, 102, 105, 108, 111, 114,\n"
                   "       117], dtype=int8)");
    /* np.array([2**64-1, 0], np.uint64) */
    nd_array *u = nd_zeros(ND_UINT64, 1, (ptrdiff_t[]){2});
    nd__store_i64(ND_UINT64, nd_data(u), -1);
    expect_repr(u, "array([18446744073709551615,                    0], dtype=uint64)");
    /* np.arange(24, dtype=np.uint16).reshape(2,3,4)[:, :, :1] */
    nd_array *g = shaped(ND_UINT16, 3, (ptrdiff_t[]){2, 3, 4});
    nd_array *v = nd__view(g, ND_UINT16, 3, (ptrdiff_t[]){2, 3, 1}, nd_strides(g), nd_data(g));
    nd_free(g);
    expect_repr(v, "array([[[ 0],\n        [ 4],\n        [ 8]],\n\n       [[12],\n        [16],\n"
                   "        [20]]], dtype=uint16)");
}
END_TEST

START_TEST(empty_and_bool)
{
    /* np.zeros((0,3)) */
    expect_repr(nd_zeros(ND_FLOAT64, 2, (ptrdiff_t[]){0, 3}), "array([], shape=(0, 3), dtype=float64)");
    /* np.zeros(0, np.int64) */
    expect_repr(nd_zeros(ND_INT64, 1, (ptrdiff_t[]){0}), "array([], dtype=int64)");
    /* np.arange(3) % 2 == 0 */
    expect_repr(from_doubles(ND_BOOL, 3, (double[]){1, 0, 1}), "array([ True, False,  True])");
    /* np.array(True) */
    expect_repr(nd_full(ND_BOOL, 0, NULL, 1), "array(True)");
}
END_TEST

START_TEST(floats)
{
    /* np.arange(2)*1.5 */
    expect_repr(from_doubles(ND_FLOAT64, 2, (double[]){0, 1.5}), "array([0. , 1.5])");
    /* np.array(2.5) */
    expect_repr(nd_full(ND_FLOAT64, 0, NULL, 2.5), "array(2.5)");
    /* np.array([np.nan, 1.5, -np.inf]) */
    expect_repr(from_doubles(ND_FLOAT64, 3, (double[]){NAN, 1.5, -INFINITY}),
                "array([ nan,  1.5, -inf])");
    /* np.array([1e-5, 1.5e-5, np.nan]) */
    expect_repr(from_doubles(ND_FLOAT64, 3, (double[]){1e-5, 1.5e-5, NAN}),
                "array([1.0e-05, 1.5e-05,     nan])");
    /* np.arange(3)/3 */
    nd_array *t = nd_arange(ND_FLOAT64, 3);
    nd_idiv_scalar(t, 3);
    expect_repr(t, "array([0.        , 0.33333333, 0.66666667])");
    /* np.arange(3, dtype=np.float32)/np.float32(10) */
    nd_array *f = nd_arange(ND_FLOAT32, 3);
    nd_idiv_scalar(f, 10);
    expect_repr(f, "array([0. , 0.1, 0.2], dtype=float32)");
    /* np.array([-1.5, 2.25, -0.0]) */
    expect_repr(from_doubles(ND_FLOAT64, 3, (double[]){-1.5, 2.25, -0.0}),
                "array([-1.5 ,  2.25, -0.  ])");
    /* np.array([1e10, 1.5, 3e-3]) */
    expect_repr(from_doubles(ND_FLOAT64, 3, (double[]){1e10, 1.5, 3e-3}),
                "array([1.0e+10, 1.5e+00, 3.0e-03])");
    /* np.arange(2000.).reshape(40,50) */
    expect_repr(shaped(ND_FLOAT64, 2, (ptrdiff_t[]){40, 50}),
                "array([[0.000e+00, 1.000e+00, 2.000e+00, ..., 4.700e+01, 4.800e+01,\n"
                "        4.900e+01],\n"
                "       [5.000e+01, 5.100e+01, 5.200e+01, ..., 9.700e+01, 9.800e+01,\n"
                "        9.900e+01],\n"
                "       [1.000e+02, 1.010e+02, 1.020e+02, ..., 1.470e+02, 1.480e+02,\n"
                "        1.490e+02],\n"
                "       ...,\n"
                "       [1.850e+03, 1.851e+03, 1.852e+03, ..., 1.897e+03, 1.898e+03,\n"
                "        1.899e+03],\n"
                "       [1.900e+03, 1.901e+03, 1.902e+03, ..., 1.947e+03, 1.948e+03,\n"
                "        1.949e+03],\n"
                "       [1.950e+03, 1.951e+03, 1.952e+03, ..., 1.997e+03, 1.998e+03,\n"
                "        1.999e+03]])");
}
END_TEST

START_TEST(records)
{
    /* np.array([(1, 2.5), (-3, 0.)], dtype=[('x','<i4'), ('y','<f8')]) */
    const char *names[2] = {"x", "y"};
    const nd_dtype *types[2] = {ND_INT32, ND_FLOAT64};
    nd_array *r = nd_zeros(nd_record(2, names, types), 1, (ptrdiff_t[]){2});
    char *p = nd_data(r);
    nd__store_i64(ND_INT32, p, 1);
    nd__store_f64(ND_FLOAT64, p + 4, 2.5);
    nd__store_i64(ND_INT32, p + 12, -3);
    expect_repr(r, "array([( 1, 2.5), (-3, 0. )], dtype=[('x', '<i4'), ('y', '<f8')])");

    /* np.array([(True, 1.5, 3), (False, -2., 4)],
     *          dtype=[('b','?'), ('f','<f4'), ('u','u1')]): dtype on a new line */
    const char *n1[3] = {"b", "f", "u"};
    const nd_dtype *t1[3] = {ND_BOOL, ND_FLOAT32, ND_UINT8};
    nd_array *a = nd_zeros(nd_record(3, n1, t1), 1, (ptrdiff_t[]){2});
    p = nd_data(a);
    nd__store_i64(ND_BOOL, p, 1);
    nd__store_f64(ND_FLOAT32, p + 1, 1.5);
    nd__store_i64(ND_UINT8, p + 5, 3);
    nd__store_f64(ND_FLOAT32, p + 7, -2);
    nd__store_i64(ND_UINT8, p + 11, 4);
    expect_repr(a, "array([( True,  1.5, 3), (False, -2. , 4)],\n"
                   "      dtype=[('b', '?'), ('f', '<f4'), ('u', 'u1')])");

    /* np.zeros(2, dtype=[('p', [('x','<i2'), ('y','<f8')]), ('q','u1')]) */
    const char *n2[2] = {"x", "y"}, *n3[2] = {"p", "q"};
    const nd_dtype *t2[2] = {ND_INT16, ND_FLOAT64};
    const nd_dtype *t3[2] = {nd_record(2, n2, t2), ND_UINT8};
    expect_repr(nd_zeros(nd_record(2, n3, t3), 1, (ptrdiff_t[]){2}),
                "array([((0, 0.), 0), ((0, 0.), 0)],\n"
                "      dtype=[('p', [('x', '<i2'), ('y', '<f8')]), ('q', 'u1')])");

    /* np.zeros(2, dtype=[('x','<i4'), ('y','<f8'), ('z','i1')])[['z','x']] */
    const char *n4[2] = {"z", "x"};
    const nd_dtype *t4[2] = {ND_INT8, ND_INT32};
    size_t off[2] = {12, 0};
    expect_repr(nd_zeros(nd__record_ex(2, n4, t4, off, 13), 1, (ptrdiff_t[]){2}),
                "array([(0, 0), (0, 0)],\n      dtype={'names': ['z', 'x'], 'formats': "
                "['i1', '<i4'], 'offsets': [12, 0], 'itemsize': 13})");

    /* np.array((1, 2.5), dtype=[('x','<i4'), ('y','<f8')]) and a one-field record */
    nd_array *z = nd_zeros(nd_record(2, names, types), 0, NULL);
    nd__store_i64(ND_INT32, nd_data(z), 1);
    nd__store_f64(ND_FLOAT64, (char *)nd_data(z) + 4, 2.5);
    expect_repr(z, "array((1, 2.5), dtype=[('x', '<i4'), ('y', '<f8')])");
    const nd_dtype *t6[1] = {ND_INT32};
    expect_repr(nd_zeros(nd_record(1, names, t6), 1, (ptrdiff_t[]){2}),
                "array([(0,), (0,)], dtype=[('x', '<i4')])");
}
END_TEST

START_TEST(print_and_errors)
{
    ck_assert_ptr_null(nd_repr(NULL));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    nd_array *a = nd_arange(ND_INT64, 3);
    char buf[64] = {0};
    FILE *f = fmemopen(buf, sizeof buf, "w");
    ck_assert_int_eq(nd_print(f, a), 0);
    fclose(f);
    ck_assert_str_eq(buf, "array([0, 1, 2])\n");
    ck_assert_int_eq(nd_print(NULL, a), -1);
    ck_assert_int_eq(nd_errno(), ND_EIO);
    ck_assert_int_eq(nd_print(stdout, NULL), -1);
    nd_free(a);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("format");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, integers);
    tcase_add_test(tc, empty_and_bool);
    tcase_add_test(tc, floats);
    tcase_add_test(tc, records);
    tcase_add_test(tc, print_and_errors);
    suite_add_tcase(s, tc);
    return s;
}
