/*
 * test_array.c - tests runtime/src/array.c (and error.c): allocation and
 * its failure paths, reference counting and base collapsing, contiguity
 * flags, element access with NumPy's bound errors, WRITEABLE rules.
 *
 * Expected strides, flags and messages are NumPy 1.24's (spec sections 9,
 * 11, 12); views are built with nd__view so this file does not depend on
 * the index parser.
 */
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "nd_int.h"

#ifdef __SANITIZE_ADDRESS__
/* Let the allocation-failure tests see NULL from malloc instead of an
 * ASan abort on absurd sizes. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
#endif

static nd_array *arange2(const nd_dtype *dt, ptrdiff_t r, ptrdiff_t c)
{
    ptrdiff_t shape[2] = {r, c};
    nd_array *a = nd_arange(dt, r * c);
    ck_assert_ptr_nonnull(a);
    nd_array *v = nd_reshape(a, 2, shape);
    ck_assert_ptr_nonnull(v);
    nd_free(a);
    return v;
}

START_TEST(zeros_layout)
{
    ptrdiff_t shape[3] = {2, 3, 4};
    nd_array *a = nd_zeros(ND_INT32, 3, shape);
    ck_assert_ptr_nonnull(a);
    ck_assert_int_eq(nd_ndim(a), 3);
    ck_assert_int_eq(nd_size(a), 24);
    ck_assert_uint_eq(nd_itemsize(a), 4);
    ck_assert_ptr_eq(nd_dtype_of(a), ND_INT32);
    ck_assert_int_eq(nd_strides(a)[0], 48);
    ck_assert_int_eq(nd_strides(a)[1], 16);
    ck_assert_int_eq(nd_strides(a)[2], 4);
    ck_assert(nd_owns_data(a));
    ck_assert_ptr_null(nd_base(a));
    ck_assert(nd_is_writeable(a));
    ck_assert(nd__is_c_contig(a) && !nd__is_f_contig(a));
    ck_assert(nd__array_ok(a));
    for (int i = 0; i < 24; i++)
        ck_assert_int_eq(((int32_t *)(char *)nd_data(a))[i], 0);
    nd_free(a);
}
END_TEST

START_TEST(empty_arrays_have_data)
{
    /* NumPy fills strides treating zero-length axes as length 1. */
    ptrdiff_t s03[2] = {0, 3}, s30[2] = {3, 0};
    nd_array *a = nd_empty(ND_FLOAT64, 2, s03);
    nd_array *b = nd_zeros(ND_FLOAT64, 2, s30);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull((char *)nd_data(a));
    ck_assert_ptr_nonnull(nd_data(b));
    ck_assert_int_eq(nd_strides(a)[0], 24);
    ck_assert_int_eq(nd_strides(a)[1], 8);
    ck_assert_int_eq(nd_strides(b)[0], 8);
    ck_assert_int_eq(nd_strides(b)[1], 8);
    ck_assert_int_eq(nd_size(a), 0);
    ck_assert(nd__is_c_contig(a) && nd__is_f_contig(a));
    const char *lo, *hi;
    nd__extent(a, &lo, &hi);
    ck_assert_ptr_eq(lo, hi);
    nd_free(a);
    nd_free(b);
    nd_array *z = nd_zeros(ND_INT8, 0, NULL);   /* 0-d: one element */
    ck_assert_int_eq(nd_size(z), 1);
    ck_assert_double_eq(nd_item(z, NULL), 0.0);
    nd_free(z);
}
END_TEST

START_TEST(full_arange_from_buffer)
{
    ptrdiff_t shape[2] = {3, 5};
    nd_array *f = nd_full(ND_FLOAT32, 2, shape, 2.5);
    for (ptrdiff_t i = 0; i < 3; i++)
        for (ptrdiff_t j = 0; j < 5; j++)
            ck_assert_double_eq(nd_item(f, (ptrdiff_t[]){i, j}), 2.5);
    nd_free(f);
    nd_array *g = nd_full(ND_INT16, 1, (ptrdiff_t[]){7}, -3.9);   /* truncates */
    for (ptrdiff_t i = 0; i < 7; i++)
        ck_assert_double_eq(nd_item(g, &i), -3.0);
    nd_free(g);

    nd_array *r = nd_arange(ND_UINT16, 10);
    for (ptrdiff_t i = 0; i < 10; i++)
        ck_assert_double_eq(nd_item(r, &i), (double)i);
    nd_free(r);
    r = nd_arange(ND_INT64, -4);   /* np.arange(-4) is empty */
    ck_assert_int_eq(nd_size(r), 0);
    nd_free(r);

    int32_t buf[6] = {5, 4, 3, 2, 1, 0};
    nd_array *b = nd_from_buffer(ND_INT32, 2, (ptrdiff_t[]){2, 3}, buf);
    buf[0] = 99;   /* copied, not aliased */
    ck_assert_double_eq(nd_item(b, (ptrdiff_t[]){0, 0}), 5);
    ck_assert_double_eq(nd_item(b, (ptrdiff_t[]){1, 2}), 0);
    nd_free(b);
    ck_assert_ptr_null(nd_from_buffer(ND_INT32, 1, (ptrdiff_t[]){2}, NULL));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
}
END_TEST

START_TEST(bad_shapes_fail_cleanly)
{
    ptrdiff_t neg[2] = {2, -1};
    ck_assert_ptr_null(nd_zeros(ND_INT8, 2, neg));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "negative dimensions are not allowed");

    ptrdiff_t dims[33];
    for (int i = 0; i < 33; i++)
        dims[i] = 1;
    ck_assert_ptr_null(nd_zeros(ND_INT8, 33, dims));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "maximum supported dimension for an ndarray is 32, found 33");
    ck_assert_ptr_nonnull(strstr(nd_errmsg(), "32"));

    ptrdiff_t big[2] = {PTRDIFF_MAX / 2, 3};   /* element count overflows */
    ck_assert_ptr_null(nd_zeros(ND_INT8, 2, big));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ptrdiff_t bytes[1] = {PTRDIFF_MAX / 4};   /* byte count overflows */
    ck_assert_ptr_null(nd_empty(ND_FLOAT64, 1, bytes));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ptrdiff_t zbig[3] = {0, PTRDIFF_MAX, 4};   /* NumPy checks non-zero dims too */
    ck_assert_ptr_null(nd_zeros(ND_INT8, 3, zbig));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_ptr_null(nd_zeros(NULL, 1, (ptrdiff_t[]){1}));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
}
END_TEST

START_TEST(allocation_failure_is_enomem)
{
    /* 2^62 bytes: representable, never allocatable. */
    ptrdiff_t shape[2] = {(ptrdiff_t)1 << 31, (ptrdiff_t)1 << 31};
    ck_assert_ptr_null(nd_zeros(ND_UINT8, 2, shape));
    ck_assert_int_eq(nd_errno(), ND_ENOMEM);
    ck_assert_ptr_null(nd_empty(ND_UINT8, 2, shape));
    ck_assert_int_eq(nd_errno(), ND_ENOMEM);
    ck_assert_ptr_null(nd_full(ND_UINT8, 2, shape, 1.0));
    ck_assert_int_eq(nd_errno(), ND_ENOMEM);
    ck_assert_ptr_nonnull(strstr(nd_errmsg(), "Unable to allocate"));
}
END_TEST

START_TEST(views_collapse_and_outlive)
{
    nd_array *a = nd_arange(ND_INT64, 12);
    ptrdiff_t sh[1] = {4}, st[1] = {16};
    nd_array *v1 = nd__view(a, ND_INT64, 1, sh, st, (char *)nd_data(a) + 8);
    ptrdiff_t sh2[1] = {2}, st2[1] = {32};
    nd_array *v2 = nd__view(v1, ND_INT64, 1, sh2, st2, (char *)nd_data(v1));
    ck_assert_ptr_eq(nd_base(v1), a);
    ck_assert_ptr_eq(nd_base(v2), a);   /* not v1: chains collapse */
    ck_assert(!nd_owns_data(v2));
    nd_free(a);
    nd_free(v1);
    /* v2 still holds the owner alive */
    ck_assert_double_eq(nd_item(v2, (ptrdiff_t[]){0}), 1);
    ck_assert_double_eq(nd_item(v2, (ptrdiff_t[]){1}), 5);
    ck_assert(nd__array_ok(v2));
    nd_free(v2);
    nd_free(NULL);
}
END_TEST

START_TEST(ref_counting)
{
    nd_array *a = nd_arange(ND_INT8, 3);
    ck_assert_ptr_eq(nd__ref(a), a);
    nd_free(a);
    ck_assert_double_eq(nd_item(a, (ptrdiff_t[]){2}), 2);   /* still alive */
    nd_free(a);
}
END_TEST

START_TEST(contiguity_flags)
{
    nd_array *a = arange2(ND_INT64, 3, 4);
    nd_array *t = nd_transpose(a);
    ck_assert(!nd__is_c_contig(t) && nd__is_f_contig(t));
    /* length-1 axes' strides are ignored */
    ptrdiff_t sh[3] = {3, 1, 4}, st[3] = {32, 12345, 8};
    nd_array *v = nd__view(a, ND_INT64, 3, sh, st, (char *)nd_data(a));
    ck_assert(nd__is_c_contig(v));
    ptrdiff_t sh1[2] = {1, 1}, st1[2] = {-7, 3};
    nd_array *w = nd__view(a, ND_INT64, 2, sh1, st1, (char *)nd_data(a));
    ck_assert(nd__is_c_contig(w) && nd__is_f_contig(w));
    /* every other column: neither */
    ptrdiff_t sh2[2] = {3, 2}, st2[2] = {32, 16};
    nd_array *x = nd__view(a, ND_INT64, 2, sh2, st2, (char *)nd_data(a));
    ck_assert(!nd__is_c_contig(x) && !nd__is_f_contig(x));
    nd_free(a), nd_free(t), nd_free(v), nd_free(w), nd_free(x);
}
END_TEST

START_TEST(extent_with_negative_strides)
{
    nd_array *a = arange2(ND_INT32, 3, 4);
    nd_array *f = nd_flip(a, 0);
    const char *lo, *hi;
    nd__extent(f, &lo, &hi);
    ck_assert_ptr_eq(lo, (char *)nd_data(a));
    ck_assert_ptr_eq(hi, (char *)nd_data(a) + 48);
    ck_assert(nd__array_ok(f));
    nd_free(a);
    nd_free(f);
}
END_TEST

START_TEST(element_access_bounds)
{
    nd_array *a = arange2(ND_INT64, 5, 3);
    ck_assert_double_eq(nd_item(a, (ptrdiff_t[]){4, 2}), 14);
    ck_assert_double_eq(nd_item(a, (ptrdiff_t[]){-1, -3}), 12);
    ck_assert_ptr_eq(nd_ptr(a, (ptrdiff_t[]){1, 1}), (char *)nd_data(a) + 32);
    ck_assert_ptr_null(nd_ptr(a, (ptrdiff_t[]){7, 0}));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "index 7 is out of bounds for axis 0 with size 5");
    ck_assert(isnan(nd_item(a, (ptrdiff_t[]){0, -4})));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "index -4 is out of bounds for axis 1 with size 3");
    ck_assert(isnan(nd_item(NULL, NULL)));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    nd_free(a);
}
END_TEST

START_TEST(null_arguments)
{
    ck_assert_int_eq(nd_ndim(NULL), -1);
    ck_assert_int_eq(nd_size(NULL), -1);
    ck_assert_ptr_null(nd_shape(NULL));
    ck_assert_ptr_null(nd_strides(NULL));
    ck_assert_ptr_null(nd_dtype_of(NULL));
    ck_assert_ptr_null(nd_data(NULL));
    ck_assert_uint_eq(nd_itemsize(NULL), 0);
    ck_assert(!nd_owns_data(NULL));
    ck_assert(!nd_is_writeable(NULL));
    ck_assert_int_eq(nd_set_writeable(NULL, true), -1);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
}
END_TEST

START_TEST(writeable_rules)
{
    /* Section 11.3. */
    nd_array *o = nd_arange(ND_INT64, 4);
    nd_array *v = nd_view(o);
    ck_assert_int_eq(nd_set_writeable(v, false), 0);
    ck_assert(!nd_is_writeable(v));
    ck_assert_int_eq(nd_set_writeable(v, true), 0);   /* owner writeable */
    ck_assert(nd_is_writeable(v));

    ck_assert_int_eq(nd_set_writeable(o, false), 0);
    ck_assert(nd_is_writeable(v));   /* earlier views keep their flag */
    nd_array *w = nd_view(o);
    ck_assert(!nd_is_writeable(w));   /* later ones copy it */
    ck_assert_int_eq(nd_set_writeable(w, true), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "cannot set WRITEABLE flag to True of this array");
    ck_assert(!nd_is_writeable(w));
    ck_assert_int_eq(nd_set_writeable(o, true), 0);   /* owners always can */
    ck_assert_int_eq(nd_set_writeable(w, true), 0);
    nd_free(o), nd_free(v), nd_free(w);
}
END_TEST

START_TEST(shape_size_and_shape_str)
{
    ptrdiff_t n, sh[3] = {2, 3, 4};
    ck_assert_int_eq(nd__shape_size(3, sh, &n), 0);
    ck_assert_int_eq(n, 24);
    ck_assert_int_eq(nd__shape_size(0, NULL, &n), 0);
    ck_assert_int_eq(n, 1);
    char buf[64];
    ck_assert_str_eq(nd__shape_str(buf, sizeof buf, 0, NULL), "()");
    ck_assert_str_eq(nd__shape_str(buf, sizeof buf, 1, sh), "(2,)");
    ck_assert_str_eq(nd__shape_str(buf, sizeof buf, 3, sh), "(2,3,4)");
    ck_assert_str_eq(nd__shape_str(buf, 4, 3, sh), "(2,");   /* truncates safely */
}
END_TEST

static void *other_thread(void *arg)
{
    int *seen = arg;
    seen[0] = nd_errno();   /* a fresh thread starts clean */
    nd__fail(ND_EINDEX, "other thread");
    seen[1] = nd_errno();
    return NULL;
}

START_TEST(errors_are_thread_local)
{
    int seen[2] = {-1, -1};
    pthread_t t;
    ck_assert_int_eq(nd__fail(ND_EIO, "main thread %d", 1), -1);
    ck_assert_int_eq(pthread_create(&t, NULL, other_thread, seen), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_eq(seen[0], ND_OK);
    ck_assert_int_eq(seen[1], ND_EINDEX);
    ck_assert_int_eq(nd_errno(), ND_EIO);
    ck_assert_str_eq(nd_errmsg(), "main thread 1");
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("array");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, zeros_layout);
    tcase_add_test(tc, empty_arrays_have_data);
    tcase_add_test(tc, full_arange_from_buffer);
    tcase_add_test(tc, bad_shapes_fail_cleanly);
    tcase_add_test(tc, allocation_failure_is_enomem);
    tcase_add_test(tc, views_collapse_and_outlive);
    tcase_add_test(tc, ref_counting);
    tcase_add_test(tc, contiguity_flags);
    tcase_add_test(tc, extent_with_negative_strides);
    tcase_add_test(tc, element_access_bounds);
    tcase_add_test(tc, null_arguments);
    tcase_add_test(tc, writeable_rules);
    tcase_add_test(tc, shape_size_and_shape_str);
    tcase_add_test(tc, errors_are_thread_local);
    suite_add_tcase(s, tc);
    return s;
}
