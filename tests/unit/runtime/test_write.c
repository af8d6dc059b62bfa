/*
 * test_write.c - tests runtime/src/write.c: fill, assign and the
 * augmented assignments, with broadcasting, NumPy's type rules, aliasing
 * between source and destination, and failure atomicity (a failed write
 * leaves every byte of the destination as it was).
 *
 * Expected values are computed here from the inputs (e.g. h += h.T gives
 * 4*(i+j) for h = arange(9).reshape(3,3)); messages are NumPy 1.24's.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "nd_int.h"

static nd_array *grid(const nd_dtype *dt, ptrdiff_t r, ptrdiff_t c)
{
    ptrdiff_t shape[2] = {r, c};
    nd_array *a = nd_zeros(dt, 2, shape);
    for (ptrdiff_t i = 0; i < r * c; i++)
        nd__store_i64(dt, (char *)nd_data(a) + i * (ptrdiff_t)dt->itemsize, i);
    return a;
}

static double at2(const nd_array *a, ptrdiff_t i, ptrdiff_t j)
{
    return nd_item(a, (ptrdiff_t[]){i, j});
}

/* A failed call must not change a byte: compare with a snapshot. */
static void expect_unchanged(nd_array *a, const nd_array *snap)
{
    ck_assert_mem_eq(nd_data(a), nd__owner(snap)->data, (size_t)nd_size(a) * nd_itemsize(a));
}

START_TEST(fill_values)
{
    nd_array *a = grid(ND_INT32, 3, 4);
    ck_assert_int_eq(nd_fill(a, -7.9), 0);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            ck_assert_double_eq(at2(a, i, j), -7);
    /* a strided view fills only its elements */
    nd_array *b = grid(ND_FLOAT64, 3, 4);
    nd_array *col = nd__view(b, ND_FLOAT64, 1, (ptrdiff_t[]){3}, (ptrdiff_t[]){32}, nd_data(b));
    ck_assert_int_eq(nd_fill(col, 0.5), 0);
    for (int i = 0; i < 3; i++) {
        ck_assert_double_eq(at2(b, i, 0), 0.5);
        ck_assert_double_eq(at2(b, i, 1), 4 * i + 1);
    }
    /* records: every field */
    const char *names[2] = {"x", "y"};
    const nd_dtype *types[2] = {ND_INT8, ND_FLOAT32};
    nd_array *r = nd_zeros(nd_record(2, names, types), 1, (ptrdiff_t[]){2});
    ck_assert_int_eq(nd_fill(r, 3), 0);
    ck_assert_double_eq(nd__load_f64(ND_FLOAT32, (char *)nd_data(r) + 6), 3);
    nd_free(a), nd_free(b), nd_free(col), nd_free(r);
}
END_TEST

START_TEST(read_only_writes_fail_atomically)
{
    nd_array *a = grid(ND_INT64, 3, 4);
    nd_array *snap = nd_copy(a);
    nd_array *d = nd_diagonal(a);
    nd_array *one = nd_full(ND_INT64, 0, NULL, 1);
    ck_assert_int_eq(nd_fill(d, 9), -1);
    ck_assert_int_eq(nd_errno(), ND_EREADONLY);
    ck_assert_str_eq(nd_errmsg(), "assignment destination is read-only");
    ck_assert_int_eq(nd_assign(d, one), -1);
    ck_assert_int_eq(nd_errno(), ND_EREADONLY);
    ck_assert_int_eq(nd_iadd(d, one), -1);
    ck_assert_int_eq(nd_errno(), ND_EREADONLY);
    ck_assert_int_eq(nd_imul_scalar(d, 2), -1);
    ck_assert_int_eq(nd_errno(), ND_EREADONLY);
    ck_assert_int_eq(nd__check_writeable(d), -1);
    ck_assert_int_eq(nd__check_writeable(a), 0);
    expect_unchanged(a, snap);
    /* read-only owner */
    nd_set_writeable(a, false);
    ck_assert_int_eq(nd_idiv_scalar(a, 2), -1);
    ck_assert_int_eq(nd_errno(), ND_EREADONLY);   /* read-only is checked first */
    expect_unchanged(a, snap);
    nd_free(a), nd_free(snap), nd_free(d), nd_free(one);
}
END_TEST

START_TEST(assign_broadcasts_and_casts)
{
    nd_array *a = grid(ND_INT32, 3, 4);
    nd_array *row = nd_arange(ND_FLOAT64, 4);
    nd_imul_scalar(row, 1.5);   /* 0, 1.5, 3, 4.5 */
    ck_assert_int_eq(nd_assign(a, row), 0);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            ck_assert_double_eq(at2(a, i, j), trunc(1.5 * j));
    /* leading unit axes of the source are accepted */
    nd_array *src = nd_full(ND_INT8, 4, (ptrdiff_t[]){1, 1, 1, 4}, -2);
    ck_assert_int_eq(nd_assign(a, src), 0);
    ck_assert_double_eq(at2(a, 2, 3), -2);
    nd_free(a), nd_free(row), nd_free(src);
}
END_TEST

START_TEST(assign_shape_errors_change_nothing)
{
    nd_array *a = grid(ND_INT64, 1, 4);
    nd_array *flat = nd_reshape(a, 1, (ptrdiff_t[]){4});
    nd_array *snap = nd_copy(a);
    nd_array *two = nd_arange(ND_INT64, 2);
    ck_assert_int_eq(nd_assign(flat, two), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "could not broadcast input array from shape (2,) into shape (4,)");
    nd_array *wide = nd_zeros(ND_INT64, 3, (ptrdiff_t[]){1, 1, 2});
    ck_assert_int_eq(nd_assign(flat, wide), -1);
    ck_assert_str_eq(nd_errmsg(), "could not broadcast input array from shape (2,) into shape (4,)");
    nd_array *tall = nd_zeros(ND_INT64, 2, (ptrdiff_t[]){2, 4});
    ck_assert_int_eq(nd_assign(flat, tall), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    expect_unchanged(a, snap);
    ck_assert_int_eq(nd_assign(NULL, two), -1);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    nd_free(a), nd_free(flat), nd_free(snap), nd_free(two), nd_free(wide), nd_free(tall);
}
END_TEST

START_TEST(assign_from_overlapping_source)
{
    /* h[...] = h[::-1] must see the original h, not a half-written one */
    nd_array *h = nd_arange(ND_INT64, 9);
    nd_array *r = nd_flip(h, 0);
    ck_assert_int_eq(nd_assign(h, r), 0);
    for (ptrdiff_t i = 0; i < 9; i++)
        ck_assert_double_eq(nd_item(h, &i), 8 - i);
    nd_free(h), nd_free(r);

    /* h[...] = h.T */
    nd_array *g = grid(ND_INT16, 3, 3), *t = nd_transpose(g);
    ck_assert_int_eq(nd_assign(g, t), 0);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            ck_assert_double_eq(at2(g, i, j), 3 * j + i);
    nd_free(g), nd_free(t);

    /* shifted: h[1:] = h[:-1] */
    nd_array *s = nd_arange(ND_INT64, 6);
    nd_array *hi = nd__view(s, ND_INT64, 1, (ptrdiff_t[]){5}, (ptrdiff_t[]){8}, (char *)nd_data(s) + 8);
    nd_array *lo = nd__view(s, ND_INT64, 1, (ptrdiff_t[]){5}, (ptrdiff_t[]){8}, nd_data(s));
    ck_assert_int_eq(nd_assign(hi, lo), 0);
    for (ptrdiff_t i = 1; i < 6; i++)
        ck_assert_double_eq(nd_item(s, &i), i - 1);
    nd_free(s), nd_free(hi), nd_free(lo);
}
END_TEST

START_TEST(iadd_transpose_is_numpy)
{
    nd_array *h = grid(ND_INT64, 3, 3), *t = nd_transpose(h);
    ck_assert_int_eq(nd_iadd(h, t), 0);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            ck_assert_double_eq(at2(h, i, j), 4 * (i + j));
    nd_free(t), nd_free(h);

    nd_array *f = grid(ND_FLOAT64, 4, 4), *ft = nd_transpose(f);
    ck_assert_int_eq(nd_isub(f, ft), 0);   /* antisymmetric: 3*(i-j) */
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            ck_assert_double_eq(at2(f, i, j), 3.0 * (i - j));
    nd_free(ft), nd_free(f);

    nd_array *s = nd_arange(ND_INT32, 5);
    ck_assert_int_eq(nd_imul(s, s), 0);   /* a *= a */
    for (ptrdiff_t i = 0; i < 5; i++)
        ck_assert_double_eq(nd_item(s, &i), (double)(i * i));
    nd_free(s);
}
END_TEST

START_TEST(inplace_broadcast_and_ops)
{
    nd_array *a = grid(ND_FLOAT64, 3, 4);
    nd_array *row = nd_arange(ND_FLOAT64, 4);
    nd_array *col = nd_full(ND_FLOAT64, 2, (ptrdiff_t[]){3, 1}, 2);
    ck_assert_int_eq(nd_iadd(a, row), 0);   /* 4i + 2j */
    ck_assert_int_eq(nd_imul(a, col), 0);   /* 8i + 4j */
    ck_assert_int_eq(nd_isub_scalar(a, 1), 0);
    ck_assert_int_eq(nd_idiv_scalar(a, 2), 0);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            ck_assert_double_eq(at2(a, i, j), (8 * i + 4 * j - 1) / 2.0);
    nd_array *z = nd_zeros(ND_FLOAT64, 1, (ptrdiff_t[]){4});
    ck_assert_int_eq(nd_idiv(row, z), 0);   /* 0/0 = nan, x/0 = inf */
    ck_assert(isnan(nd_item(row, (ptrdiff_t[]){0})));
    ck_assert(isinf(nd_item(row, (ptrdiff_t[]){1})));

    /* b must broadcast to a's shape, not the other way round */
    nd_array *snap = nd_copy(a);
    nd_array *big = nd_zeros(ND_FLOAT64, 3, (ptrdiff_t[]){2, 3, 4});
    ck_assert_int_eq(nd_iadd(a, big), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "non-broadcastable output operand with shape (3,4) doesn't "
                                  "match the broadcast shape (2,3,4)");
    nd_array *bad = nd_zeros(ND_FLOAT64, 1, (ptrdiff_t[]){3});
    ck_assert_int_eq(nd_iadd(a, bad), -1);
    ck_assert_str_eq(nd_errmsg(), "operands could not be broadcast together with shapes (3,4) (3,) ");
    expect_unchanged(a, snap);
    nd_free(a), nd_free(row), nd_free(col), nd_free(z), nd_free(snap), nd_free(big), nd_free(bad);
}
END_TEST

START_TEST(inplace_type_rules)
{
    nd_array *i = nd_arange(ND_INT64, 4), *snap = nd_copy(i);
    nd_array *f = nd_arange(ND_FLOAT64, 4);
    ck_assert_int_eq(nd_idiv(i, i), -1);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    ck_assert_str_eq(nd_errmsg(), "Cannot cast ufunc 'divide' output from dtype('float64') to "
                                  "dtype('int64') with casting rule 'same_kind'");
    ck_assert_int_eq(nd_iadd(i, f), -1);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    ck_assert_int_eq(nd_idiv_scalar(i, 2), -1);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    ck_assert_int_eq(nd_iadd_scalar(i, 2.5), -1);   /* a Python float */
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    expect_unchanged(i, snap);
    ck_assert_int_eq(nd_iadd_scalar(i, 3), 0);      /* a Python int */
    ck_assert_double_eq(nd_item(i, (ptrdiff_t[]){3}), 6);

    nd_array *u8 = nd_zeros(ND_UINT8, 1, (ptrdiff_t[]){3}), *i8 = nd_arange(ND_INT8, 3);
    ck_assert_int_eq(nd_iadd(u8, i8), -1);
    ck_assert_str_eq(nd_errmsg(), "Cannot cast ufunc 'add' output from dtype('int16') to "
                                  "dtype('uint8') with casting rule 'same_kind'");
    ck_assert_int_eq(nd_iadd_scalar(u8, 300), 0);   /* wraps: 44 */
    ck_assert_double_eq(nd_item(u8, (ptrdiff_t[]){0}), 44);

    nd_array *s8 = nd_full(ND_INT8, 1, (ptrdiff_t[]){1}, 127), *one = nd_full(ND_INT64, 1, (ptrdiff_t[]){1}, 1);
    ck_assert_int_eq(nd_iadd(s8, one), 0);   /* int8 += int64: same kind, wraps */
    ck_assert_double_eq(nd_item(s8, (ptrdiff_t[]){0}), -128);
    ck_assert_int_eq(nd_iadd(f, i), 0);      /* float += int */

    nd_array *b = nd_zeros(ND_BOOL, 1, (ptrdiff_t[]){2}), *t = nd_full(ND_BOOL, 1, (ptrdiff_t[]){2}, 1);
    ck_assert_int_eq(nd_iadd(b, t), 0);      /* logical or */
    ck_assert_double_eq(nd_item(b, (ptrdiff_t[]){1}), 1);
    ck_assert_int_eq(nd_isub(b, t), -1);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    ck_assert_int_eq(nd_iadd_scalar(b, 1), -1);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);

    nd_array *f32 = nd_zeros(ND_FLOAT32, 1, (ptrdiff_t[]){1});
    ck_assert_int_eq(nd_iadd_scalar(f32, 0.1), 0);
    ck_assert_double_eq(nd_item(f32, (ptrdiff_t[]){0}), (double)0.1f);

    const char *names[1] = {"x"};
    const nd_dtype *types[1] = {ND_INT8};
    nd_array *rec = nd_zeros(nd_record(1, names, types), 1, (ptrdiff_t[]){2});
    ck_assert_int_eq(nd_iadd_scalar(rec, 1), -1);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    ck_assert_int_eq(nd_iadd(rec, rec), -1);
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    nd_free(i), nd_free(snap), nd_free(f), nd_free(u8), nd_free(i8), nd_free(s8), nd_free(one),
        nd_free(b), nd_free(t), nd_free(f32), nd_free(rec);
}
END_TEST

START_TEST(writeable_broadcast_view_writes_all_aliases)
{
    nd_array *r = nd_zeros(ND_INT64, 1, (ptrdiff_t[]){3});
    nd_array *b = nd_broadcast_to(r, 2, (ptrdiff_t[]){2, 3});
    ck_assert_int_eq(nd_set_writeable(b, true), 0);
    ck_assert_int_eq(nd_fill(b, 5), 0);
    for (ptrdiff_t i = 0; i < 3; i++)
        ck_assert_double_eq(nd_item(r, &i), 5);
    /* NumPy: b += 1 adds once per element of r, not once per alias */
    ck_assert_int_eq(nd_iadd_scalar(b, 1), 0);
    nd_array *one = nd_full(ND_INT64, 0, NULL, 1);
    ck_assert_int_eq(nd_iadd(b, one), 0);
    for (ptrdiff_t i = 0; i < 3; i++)
        ck_assert_double_eq(nd_item(r, &i), 7);
    nd_free(r), nd_free(b), nd_free(one);
}
END_TEST

/* One operation that allocates internally, on h (3x3 int64) and views of it
 * made before the budget is set. 0 on success; -1 on failure. */
static int alloc_op(int which, nd_array *h, nd_array *t, nd_array *bview)
{
    nd_array *r = NULL;
    switch (which) {
    case 0: return nd_iadd(h, t);                /* copies t (overlap) */
    case 1: return nd_assign(h, t);              /* copies t (overlap) */
    case 2: return nd_iadd_scalar(bview, 1);     /* copies the self-aliased view */
    case 3: r = nd_reshape(t, 1, (ptrdiff_t[]){-1}); break;   /* copy path */
    case 4: r = nd_add(h, t); break;
    case 5: r = nd_std_axis(h, 0); break;        /* two slice accumulators */
    case 6: r = nd_flatten(t); break;
    case 7: r = nd_astype(t, ND_FLOAT32); break;
    default: r = nd_diagonal(h); break;
    }
    int rc = r ? 0 : -1;
    nd_free(r);
    return rc;
}

START_TEST(allocation_failures_unwind)
{
    /* Every allocation of each operation is made to fail in turn: the call
     * must report ND_ENOMEM, leave h as it was, and leak nothing (ASan);
     * with enough budget it succeeds. */
    for (int which = 0; which <= 8; which++) {
        for (long budget = 0;; budget++) {
            ck_assert_int_lt(budget, 20);
            nd_array *h = grid(ND_INT64, 3, 3), *snap = nd_copy(h), *t = nd_transpose(h);
            nd_array *row = nd__view(h, ND_INT64, 1, (ptrdiff_t[]){3}, (ptrdiff_t[]){8}, nd_data(h));
            nd_array *b = nd_broadcast_to(row, 2, (ptrdiff_t[]){2, 3});
            nd_set_writeable(b, true);
            nd__alloc_budget(budget);
            int rc = alloc_op(which, h, t, b);
            nd__alloc_budget(-1);
            if (budget == 0)
                ck_assert_msg(rc == -1, "operation %d allocates nothing?", which);
            if (rc < 0) {
                ck_assert_int_eq(nd_errno(), ND_ENOMEM);
                expect_unchanged(h, snap);
            }
            nd_free(h), nd_free(snap), nd_free(t), nd_free(row), nd_free(b);
            if (rc == 0)
                break;
        }
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("write");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fill_values);
    tcase_add_test(tc, read_only_writes_fail_atomically);
    tcase_add_test(tc, assign_broadcasts_and_casts);
    tcase_add_test(tc, assign_shape_errors_change_nothing);
    tcase_add_test(tc, assign_from_overlapping_source);
    tcase_add_test(tc, iadd_transpose_is_numpy);
    tcase_add_test(tc, inplace_broadcast_and_ops);
    tcase_add_test(tc, inplace_type_rules);
    tcase_add_test(tc, writeable_broadcast_view_writes_all_aliases);
    tcase_add_test(tc, allocation_failures_unwind);
    suite_add_tcase(s, tc);
    return s;
}
