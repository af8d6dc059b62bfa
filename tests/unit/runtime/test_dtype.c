/*
 * test_dtype.c - tests runtime/src/dtype.c: the built-in descriptors,
 * record interning (also across threads), NumPy-like record errors, the
 * C-cast element conversions, and the promotion / same_kind tables.
 *
 * Expected conversions are C's (and so NumPy's unsafe astype on x86):
 * integers wrap, floats truncate toward zero, bool is != 0.
 */
#include <check.h>
#include <math.h>
#include <pthread.h>

#include "nd_int.h"

START_TEST(builtins)
{
    const nd_dtype *all[] = {ND_BOOL,   ND_INT8,   ND_INT16,  ND_INT32,
                             ND_INT64,  ND_UINT8,  ND_UINT16, ND_UINT32,
                             ND_UINT64, ND_FLOAT32, ND_FLOAT64};
    const size_t sizes[] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8};
    for (int i = 0; i < 11; i++) {
        ck_assert_uint_eq(all[i]->itemsize, sizes[i]);
        ck_assert_int_eq(all[i]->num, i);
        ck_assert_ptr_eq(nd__dtype_by_name(all[i]->name), all[i]);
    }
    ck_assert_str_eq(ND_UINT16->name, "uint16");
    ck_assert_ptr_null(nd__dtype_by_name("complex128"));
    ck_assert_ptr_null(nd__dtype_by_name(NULL));
}
END_TEST

START_TEST(records_are_interned_and_packed)
{
    const char *names[3] = {"x", "y", "z"};
    const nd_dtype *types[3] = {ND_INT8, ND_FLOAT64, ND_INT16};
    const nd_dtype *r1 = nd_record(3, names, types);
    char nx[] = "x", ny[] = "y", nz[] = "z";   /* equal text, other storage */
    const char *names2[3] = {nx, ny, nz};
    const nd_dtype *r2 = nd_record(3, names2, types);
    ck_assert_ptr_nonnull(r1);
    ck_assert_ptr_eq(r1, r2);
    ck_assert_int_eq(r1->kind, ND_DK_RECORD);
    ck_assert_uint_eq(r1->itemsize, 11);
    ck_assert_uint_eq(r1->fields[1].offset, 1);
    ck_assert_uint_eq(r1->fields[2].offset, 9);
    ck_assert_ptr_eq(nd__find_field(r1, "z"), &r1->fields[2]);
    ck_assert_ptr_null(nd__find_field(r1, "w"));
    ck_assert_ptr_null(nd__find_field(ND_INT8, "x"));

    const nd_dtype *types3[3] = {ND_INT8, ND_FLOAT32, ND_INT16};
    ck_assert_ptr_ne(nd_record(3, names, types3), r1);
    ck_assert_ptr_ne(nd_record(2, names, types), r1);

    /* Explicit offsets (a multi-field view's type) differ from packed. */
    size_t offs[2] = {9, 0};
    const char *n2[2] = {"z", "x"};
    const nd_dtype *t2[2] = {ND_INT16, ND_INT8};
    const nd_dtype *v = nd__record_ex(2, n2, t2, offs, 11);
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_eq(nd__record_ex(2, n2, t2, offs, 11), v);
    ck_assert_uint_eq(v->itemsize, 11);
    ck_assert_ptr_null(nd__record_ex(2, n2, t2, offs, 10));   /* z does not fit */
    ck_assert_int_eq(nd_errno(), ND_EVALUE);

    /* nested records */
    const char *outer_names[2] = {"p", "q"};
    const nd_dtype *outer_types[2] = {r1, ND_UINT8};
    const nd_dtype *o = nd_record(2, outer_names, outer_types);
    ck_assert_uint_eq(o->itemsize, 12);
}
END_TEST

START_TEST(record_errors)
{
    const char *dup[2] = {"a", "a"};
    const char *empty[2] = {"a", ""};
    const nd_dtype *types[2] = {ND_INT8, ND_INT8};
    ck_assert_ptr_null(nd_record(0, dup, types));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_ptr_null(nd_record(2, dup, types));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "field 'a' occurs more than once");
    ck_assert_ptr_null(nd_record(2, empty, types));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_ptr_null(nd_record(2, NULL, types));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    const nd_dtype *nulls[2] = {ND_INT8, NULL};
    const char *ok[2] = {"a", "b"};
    ck_assert_ptr_null(nd_record(2, ok, nulls));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
}
END_TEST

static void *make_record(void *arg)
{
    (void)arg;
    const char *names[2] = {"tx", "ty"};
    const nd_dtype *types[2] = {ND_UINT32, ND_FLOAT32};
    const nd_dtype *r = NULL;
    for (int i = 0; i < 200; i++)
        r = nd_record(2, names, types);
    return (void *)r;
}

START_TEST(interning_across_threads)
{
    pthread_t t[4];
    void *r[4];
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, make_record, NULL), 0);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_join(t[i], &r[i]), 0);
    ck_assert_ptr_nonnull(r[0]);
    for (int i = 1; i < 4; i++)
        ck_assert_ptr_eq(r[i], r[0]);
}
END_TEST

/* One conversion through nd__cast_one. */
static double cast(const nd_dtype *to, const nd_dtype *from, double v)
{
    char src[8] = {0}, dst[8] = {0};
    nd__store_f64(from, src, v);
    nd__cast_one(to, dst, from, src);
    return nd__load_f64(to, dst);
}

START_TEST(casts_follow_c)
{
    ck_assert_double_eq(cast(ND_INT8, ND_INT64, 300), 44);
    ck_assert_double_eq(cast(ND_INT8, ND_INT64, 200), -56);
    ck_assert_double_eq(cast(ND_UINT8, ND_INT64, -1), 255);
    ck_assert_double_eq(cast(ND_UINT16, ND_INT32, -2), 65534);
    ck_assert_double_eq(cast(ND_INT32, ND_FLOAT64, 2.9), 2);
    ck_assert_double_eq(cast(ND_INT32, ND_FLOAT64, -2.9), -2);
    ck_assert_double_eq(cast(ND_INT8, ND_FLOAT64, 300.7), 44);
    ck_assert_double_eq(cast(ND_BOOL, ND_FLOAT64, NAN), 1);
    ck_assert_double_eq(cast(ND_BOOL, ND_FLOAT64, 0.0), 0);
    ck_assert_double_eq(cast(ND_BOOL, ND_INT16, 256), 1);   /* != 0, not truncation */
    ck_assert_double_eq(cast(ND_FLOAT32, ND_FLOAT64, 0.1), (double)0.1f);
    ck_assert_double_eq(cast(ND_FLOAT64, ND_BOOL, 7), 1);

    /* uint64 beyond int64 keeps its value through double */
    char u[8], d[8];
    nd__store_i64(ND_UINT64, u, -1);   /* 2^64 - 1 */
    nd__cast_one(ND_FLOAT64, d, ND_UINT64, u);
    ck_assert_double_eq(nd__load_f64(ND_FLOAT64, d), 18446744073709551615.0);
    nd__store_f64(ND_UINT64, u, 1e19);
    ck_assert_uint_eq((uint64_t)nd__load_i64(ND_UINT64, u), 10000000000000000000u);
    /* out-of-range float -> int: INT64_MIN then wrap, as x86 */
    nd__store_f64(ND_INT64, d, 1e300);
    ck_assert_int_eq(nd__load_i64(ND_INT64, d), INT64_MIN);
    nd__store_f64(ND_INT64, d, NAN);
    ck_assert_int_eq(nd__load_i64(ND_INT64, d), INT64_MIN);
}
END_TEST

START_TEST(record_casts)
{
    const char *names[2] = {"a", "b"};
    const nd_dtype *ta[2] = {ND_INT8, ND_FLOAT64};
    const nd_dtype *tb[2] = {ND_FLOAT32, ND_INT16};
    const nd_dtype *ra = nd_record(2, names, ta), *rb = nd_record(2, names, tb);
    char src[9], dst[6];
    nd__store_f64(ra, src, 0);
    nd__store_i64(ND_INT8, src + ra->fields[0].offset, -5);
    nd__store_f64(ND_FLOAT64, src + ra->fields[1].offset, 7.75);
    nd__cast_one(rb, dst, ra, src);   /* by position */
    ck_assert_double_eq(nd__load_f64(ND_FLOAT32, dst), -5.0);
    ck_assert_double_eq(nd__load_f64(ND_INT16, dst + 4), 7);
    /* number -> record: every field */
    double v = 3.5;
    nd__cast_one(ra, src, ND_FLOAT64, (const char *)&v);
    ck_assert_double_eq(nd__load_f64(ND_INT8, src), 3);
    ck_assert_double_eq(nd__load_f64(ND_FLOAT64, src + 1), 3.5);
    /* record load = first field; record -> number = first field */
    ck_assert_double_eq(nd__load_f64(ra, src), 3);
    int32_t out;
    nd__cast_one(ND_INT32, (char *)&out, ra, src);
    ck_assert_int_eq(out, 3);
    ck_assert_int_eq(nd__check_assign_types(ND_INT32, ra), -1);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    ck_assert_int_eq(nd__check_assign_types(rb, ra), 0);
    ck_assert_int_eq(nd__check_assign_types(ra, ND_INT32), 0);
}
END_TEST

START_TEST(promotion_table)
{
    /* NumPy 1.24's np.result_type for array operands */
    ck_assert_ptr_eq(nd__promote(ND_INT8, ND_UINT8), ND_INT16);
    ck_assert_ptr_eq(nd__promote(ND_UINT16, ND_INT8), ND_INT32);
    ck_assert_ptr_eq(nd__promote(ND_UINT32, ND_INT32), ND_INT64);
    ck_assert_ptr_eq(nd__promote(ND_UINT64, ND_INT64), ND_FLOAT64);
    ck_assert_ptr_eq(nd__promote(ND_INT16, ND_UINT8), ND_INT16);
    ck_assert_ptr_eq(nd__promote(ND_UINT8, ND_UINT32), ND_UINT32);
    ck_assert_ptr_eq(nd__promote(ND_BOOL, ND_INT8), ND_INT8);
    ck_assert_ptr_eq(nd__promote(ND_BOOL, ND_BOOL), ND_BOOL);
    ck_assert_ptr_eq(nd__promote(ND_FLOAT32, ND_INT16), ND_FLOAT32);
    ck_assert_ptr_eq(nd__promote(ND_FLOAT32, ND_UINT16), ND_FLOAT32);
    ck_assert_ptr_eq(nd__promote(ND_FLOAT32, ND_INT32), ND_FLOAT64);
    ck_assert_ptr_eq(nd__promote(ND_FLOAT32, ND_FLOAT64), ND_FLOAT64);
    ck_assert_ptr_eq(nd__promote(ND_INT64, ND_FLOAT32), ND_FLOAT64);
    const char *n[1] = {"a"};
    const nd_dtype *t[1] = {ND_INT8};
    ck_assert_ptr_null(nd__promote(nd_record(1, n, t), ND_INT8));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);

    ck_assert(nd__can_cast_same_kind(ND_INT64, ND_INT8));
    ck_assert(nd__can_cast_same_kind(ND_FLOAT64, ND_FLOAT32));
    ck_assert(nd__can_cast_same_kind(ND_INT64, ND_FLOAT32));
    ck_assert(nd__can_cast_same_kind(ND_UINT8, ND_INT16));
    ck_assert(!nd__can_cast_same_kind(ND_UINT8, ND_INT8));
    ck_assert(!nd__can_cast_same_kind(ND_INT16, ND_UINT8));
    ck_assert(!nd__can_cast_same_kind(ND_FLOAT64, ND_INT64));
    ck_assert(!nd__can_cast_same_kind(ND_INT8, ND_BOOL));
    ck_assert(nd__can_cast_same_kind(ND_BOOL, ND_UINT8));
}
END_TEST

START_TEST(load_store_unaligned)
{
    char buf[17];
    for (int off = 0; off < 8; off++) {
        nd__store_f64(ND_FLOAT64, buf + off, -1.25 * off);
        ck_assert_double_eq(nd__load_f64(ND_FLOAT64, buf + off), -1.25 * off);
        nd__store_i64(ND_INT32, buf + off, -123456 - off);
        ck_assert_int_eq(nd__load_i64(ND_INT32, buf + off), -123456 - off);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("dtype");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, builtins);
    tcase_add_test(tc, records_are_interned_and_packed);
    tcase_add_test(tc, record_errors);
    tcase_add_test(tc, interning_across_threads);
    tcase_add_test(tc, casts_follow_c);
    tcase_add_test(tc, record_casts);
    tcase_add_test(tc, promotion_table);
    tcase_add_test(tc, load_store_unaligned);
    suite_add_tcase(s, tc);
    return s;
}
