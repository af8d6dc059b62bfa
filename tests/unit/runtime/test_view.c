/*
 * test_view.c - tests runtime/src/view.c: the view functions' strides,
 * offsets and flags, reshape's view-or-copy decision (spec section 9, the
 * NumPy-verified examples), ravel's stricter rule, and the copies.
 *
 * Every view is checked three ways: its strides/shape (NumPy's numbers),
 * nd_base (the owner, section 11.1), and its values against the parent
 * read through nd_item.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "nd_int.h"

/* The (3,4) owner of the spec's examples. */
static nd_array *owner34(void)
{
    ptrdiff_t shape[2] = {3, 4};
    nd_array *a = nd_zeros(ND_INT64, 2, shape);
    for (int i = 0; i < 12; i++)
        ((int64_t *)nd_data(a))[i] = i;
    return a;
}

static void expect_strides(const nd_array *v, int ndim, const ptrdiff_t *shape,
                           const ptrdiff_t *strides)
{
    ck_assert_int_eq(nd_ndim(v), ndim);
    for (int i = 0; i < ndim; i++) {
        ck_assert_int_eq(nd_shape(v)[i], shape[i]);
        ck_assert_int_eq(nd_strides(v)[i], strides[i]);
    }
}

/* Values of v in C order equal `want`. */
static void expect_values(const nd_array *v, const double *want)
{
    ptrdiff_t idx[ND_MAXDIMS] = {0}, n = nd_size(v);
    for (ptrdiff_t k = 0; k < n; k++) {
        ck_assert_double_eq(nd_item(v, idx), want[k]);
        for (int d = nd_ndim(v) - 1; d >= 0; d--) {
            if (++idx[d] < nd_shape(v)[d])
                break;
            idx[d] = 0;
        }
    }
}

START_TEST(transpose_permute_swap)
{
    nd_array *a = owner34();
    nd_array *t = nd_transpose(a);
    expect_strides(t, 2, (ptrdiff_t[]){4, 3}, (ptrdiff_t[]){8, 32});
    ck_assert_ptr_eq(nd_base(t), a);
    ck_assert_double_eq(nd_item(t, (ptrdiff_t[]){3, 1}), 7);

    ptrdiff_t s3[3] = {2, 3, 4};
    nd_array *b = nd_zeros(ND_INT32, 3, s3);
    nd_array *p = nd_permute(b, (int[]){-1, 0, 1});
    expect_strides(p, 3, (ptrdiff_t[]){4, 2, 3}, (ptrdiff_t[]){4, 48, 16});
    nd_array *sw = nd_swapaxes(b, 0, -1);
    expect_strides(sw, 3, (ptrdiff_t[]){4, 3, 2}, (ptrdiff_t[]){4, 16, 48});

    ck_assert_ptr_null(nd_permute(b, (int[]){0, 0, 1}));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "repeated axis in transpose");
    ck_assert_ptr_null(nd_permute(b, (int[]){0, 3, 1}));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "axis 3 is out of bounds for array of dimension 3");
    ck_assert_ptr_null(nd_swapaxes(a, 0, 2));
    ck_assert_str_eq(nd_errmsg(), "axis 2 is out of bounds for array of dimension 2");
    ck_assert_ptr_null(nd_swapaxes(a, -3, 0));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    nd_free(a), nd_free(t), nd_free(b), nd_free(p), nd_free(sw);
}
END_TEST

START_TEST(flip_squeeze_expand)
{
    nd_array *a = owner34();
    nd_array *f = nd_flip(a, 0);
    expect_strides(f, 2, (ptrdiff_t[]){3, 4}, (ptrdiff_t[]){-32, 8});
    ck_assert_ptr_eq(nd_data(f), (char *)nd_data(a) + 64);
    expect_values(f, (double[]){8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3});
    nd_array *f1 = nd_flip(a, -1);
    expect_values(f1, (double[]){3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8});
    ck_assert_ptr_null(nd_flip(a, 2));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);

    nd_array *e = nd_expand_dims(a, 0);   /* spec: (96,32,8) */
    expect_strides(e, 3, (ptrdiff_t[]){1, 3, 4}, (ptrdiff_t[]){96, 32, 8});
    nd_array *e2 = nd_expand_dims(a, -1);
    ck_assert_int_eq(nd_ndim(e2), 3);
    ck_assert_int_eq(nd_shape(e2)[2], 1);
    ck_assert(nd__is_c_contig(e2));
    ck_assert_ptr_null(nd_expand_dims(a, 3));
    ck_assert_str_eq(nd_errmsg(), "axis 3 is out of bounds for array of dimension 3");

    nd_array *sq = nd_squeeze(e);
    expect_strides(sq, 2, (ptrdiff_t[]){3, 4}, (ptrdiff_t[]){32, 8});
    ck_assert_ptr_eq(nd_base(sq), a);
    nd_array *z = nd_zeros(ND_INT8, 3, (ptrdiff_t[]){1, 1, 1});
    nd_array *z0 = nd_squeeze(z);
    ck_assert_int_eq(nd_ndim(z0), 0);
    nd_free(a), nd_free(f), nd_free(f1), nd_free(e), nd_free(e2), nd_free(sq), nd_free(z),
        nd_free(z0);
}
END_TEST

START_TEST(broadcast_to_is_read_only)
{
    nd_array *r = nd_arange(ND_INT64, 4);
    ptrdiff_t shape[2] = {3, 4};
    nd_array *b = nd_broadcast_to(r, 2, shape);
    expect_strides(b, 2, shape, (ptrdiff_t[]){0, 8});
    ck_assert(!nd_is_writeable(b));
    ck_assert_ptr_eq(nd_base(b), r);
    ck_assert_double_eq(nd_item(b, (ptrdiff_t[]){2, 3}), 3);
    /* spec 11.3: may be made writeable again, the base being writeable */
    ck_assert_int_eq(nd_set_writeable(b, true), 0);

    ck_assert_ptr_null(nd_broadcast_to(r, 1, (ptrdiff_t[]){5}));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_ptr_nonnull(strstr(nd_errmsg(), "could not be broadcast"));
    ck_assert_ptr_null(nd_broadcast_to(r, 0, NULL));
    ck_assert_str_eq(nd_errmsg(), "cannot broadcast a non-scalar to a scalar array");
    ck_assert_ptr_null(nd_broadcast_to(r, 1, (ptrdiff_t[]){-1}));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    nd_free(r), nd_free(b);
}
END_TEST

START_TEST(diagonal_views)
{
    nd_array *a = owner34();
    nd_array *d = nd_diagonal(a);
    expect_strides(d, 1, (ptrdiff_t[]){3}, (ptrdiff_t[]){40});
    expect_values(d, (double[]){0, 5, 10});
    ck_assert(!nd_is_writeable(d));
    ck_assert_ptr_eq(nd_base(d), a);

    /* N-d: (2,3,4).diagonal() -> shape (4,2), strides (8,128) */
    ptrdiff_t s3[3] = {2, 3, 4};
    nd_array *b = nd_zeros(ND_INT64, 3, s3);
    nd_array *db = nd_diagonal(b);
    expect_strides(db, 2, (ptrdiff_t[]){4, 2}, (ptrdiff_t[]){8, 128});

    nd_array *r = nd_arange(ND_INT8, 3);
    ck_assert_ptr_null(nd_diagonal(r));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "diag requires an array of at least two dimensions");
    nd_free(a), nd_free(d), nd_free(b), nd_free(db), nd_free(r);
}
END_TEST

/* Section 9's reshape examples on the (3,4) owner. */
START_TEST(reshape_view_or_copy)
{
    nd_array *a = owner34();
    ptrdiff_t six[1] = {6}, twelve[1] = {12}, m1[1] = {-1};

    /* a[:, ::2] (3,2) strides (32,16) -> (6,) view stride 16 */
    nd_array *s = nd__view(a, ND_INT64, 2, (ptrdiff_t[]){3, 2}, (ptrdiff_t[]){32, 16}, nd_data(a));
    nd_array *r = nd_reshape(s, 1, six);
    expect_strides(r, 1, six, (ptrdiff_t[]){16});
    ck_assert_ptr_eq(nd_base(r), a);
    expect_values(r, (double[]){0, 2, 4, 6, 8, 10});
    nd_free(r);
    /* -> (2,3) view strides (48,16) */
    r = nd_reshape(s, 2, (ptrdiff_t[]){2, 3});
    expect_strides(r, 2, (ptrdiff_t[]){2, 3}, (ptrdiff_t[]){48, 16});
    ck_assert_ptr_eq(nd_base(r), a);
    nd_free(r);
    /* ravel is stricter: a copy */
    r = nd_ravel(s);
    ck_assert(nd_owns_data(r));
    expect_values(r, (double[]){0, 2, 4, 6, 8, 10});
    nd_free(r);

    /* a[::-1] -> (12,) copy, but (3,2,2) view strides (-32,16,8) */
    nd_array *f = nd_flip(a, 0);
    r = nd_reshape(f, 1, twelve);
    ck_assert_ptr_ne(nd_base(r), a);
    ck_assert(!nd_owns_data(r));   /* a view of a private temporary, as NumPy */
    ck_assert(nd_shares_memory(r, a) == 0);
    expect_values(r, (double[]){8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3});
    nd_free(r);
    r = nd_reshape(f, 3, (ptrdiff_t[]){3, 2, 2});
    expect_strides(r, 3, (ptrdiff_t[]){3, 2, 2}, (ptrdiff_t[]){-32, 16, 8});
    ck_assert_ptr_eq(nd_base(r), a);
    nd_free(r);

    /* a.T -> (2,6) copy, (4,3,1) view strides (8,32,32) */
    nd_array *t = nd_transpose(a);
    r = nd_reshape(t, 2, (ptrdiff_t[]){2, 6});
    ck_assert_ptr_ne(nd_base(r), a);
    expect_values(r, (double[]){0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
    nd_free(r);
    r = nd_reshape(t, 3, (ptrdiff_t[]){4, 3, 1});
    expect_strides(r, 3, (ptrdiff_t[]){4, 3, 1}, (ptrdiff_t[]){8, 32, 32});
    ck_assert_ptr_eq(nd_base(r), a);
    nd_free(r);
    r = nd_reshape(t, 1, m1);   /* a.T.reshape(-1) copies */
    ck_assert_ptr_ne(nd_base(r), a);
    ck_assert_int_eq(nd_shape(r)[0], 12);
    nd_free(r);

    /* same shape: always a view with the old strides */
    r = nd_reshape(t, 2, (ptrdiff_t[]){4, 3});
    expect_strides(r, 2, (ptrdiff_t[]){4, 3}, (ptrdiff_t[]){8, 32});
    ck_assert_ptr_eq(nd_base(r), a);
    nd_free(r);
    /* contiguous: fresh C strides, -1 resolved */
    r = nd_reshape(a, 3, (ptrdiff_t[]){2, -1, 3});
    expect_strides(r, 3, (ptrdiff_t[]){2, 2, 3}, (ptrdiff_t[]){48, 24, 8});
    nd_free(r);
    nd_free(s), nd_free(f), nd_free(t), nd_free(a);
}
END_TEST

/* Random reshapes of strided views, decided by NumPy 1.24 (generated with
 * np.shares_memory and .strides from the expression in each comment): the
 * view's layout over arange(n) int64, the requested shape, whether NumPy
 * made a view, and the view's strides. */
static const struct reshape_case {
    ptrdiff_t n;
    int ndim;
    ptrdiff_t shape[4], strides[4], offset;
    int new_ndim;
    ptrdiff_t request[4];
    int view;
    ptrdiff_t new_strides[4];
} numpy_reshapes[] = {
    {8, 3, {2, 2, 1}, {32, 16, -8}, 0, 1, {4}, 1, {16}},  /* [2, 4, 1][:, ::2, ::-1].reshape([4]) */
    {1, 2, {1, 1}, {-8, 8}, 0, 1, {1}, 1, {8}},  /* [1, 1][::-1, :].reshape([1]) */
    {4, 4, {1, 2, 1, 2}, {32, 16, 16, -8}, 8, 2, {4, 1}, 0, {0}},  /* [1, 2, 1, 2][:, :, :, ::-1].reshape([4, 1]) */
    {1, 1, {1}, {16}, 0, 4, {1, -1, 1, 1}, 1, {8, 8, 8, 8}},  /* [1][::2].reshape([1, -1, 1, 1]) */
    {3, 1, {1}, {48}, 16, 4, {1, 1, 1, -1}, 1, {8, 8, 8, 8}},  /* [1, 3][::2, 2].reshape([1, 1, 1, -1]) */
    {9, 4, {1, 1, 2, 3}, {144, 144, 48, -8}, 16, 1, {6}, 0, {0}},  /* [1, 1, 3, 3][::2, ::2, ::2, ::-1].reshape([6]) */
    {12, 4, {1, 1, 2, 4}, {96, -96, 64, 8}, 0, 4, {1, 1, 4, 2}, 0, {0}},  /* [1, 1, 3, 4][:, ::-1, ::2, :].reshape([1, 1, 4, 2]) */
    {8, 1, {2}, {-32}, 32, 2, {2, 1}, 1, {-32, -32}},  /* [2, 4][::-1, 0].reshape([2, 1]) */
    {12, 1, {3}, {24}, 40, 4, {3, 1, 1, 1}, 1, {24, 24, 24, 24}},  /* [4, 3][1:, 2].reshape([3, 1, 1, 1]) */
    {4, 1, {3}, {8}, 8, 2, {3, -1}, 1, {8, 8}},  /* [4][1:].reshape([3, -1]) */
    {6, 2, {3, 1}, {-16, -8}, 40, 4, {3, 1, 1, 1}, 1, {-16, -16, -16, -16}},  /* [3, 2, 1][::-1, 1, ::-1].reshape([3, 1, 1, 1]) */
    {6, 3, {2, 1, 2}, {24, 48, 16}, 0, 1, {4}, 0, {0}},  /* [2, 1, 3, 1][:, ::2, ::2, 0].reshape([4]) */
    {54, 3, {2, 3, 3}, {-216, 72, -24}, 272, 4, {3, 1, 2, 3}, 0, {0}},  /* [2, 3, 3, 3][::-1, :, ::-1, 1].reshape([3, 1, 2, 3]) */
    {12, 4, {2, 1, 2, 2}, {48, 96, 24, 16}, 0, 1, {8}, 0, {0}},  /* [2, 1, 2, 3][:, ::2, :, ::2].reshape([8]) */
    {18, 3, {2, 1, 2}, {48, 48, 8}, 56, 3, {1, 4, 1}, 0, {0}},  /* [3, 2, 3][1:, ::2, 1:].reshape([1, 4, 1]) */
    {48, 3, {1, 4, 3}, {192, -24, 8}, 360, 3, {-1, 4, 3}, 1, {-96, -24, 8}},  /* [2, 2, 4, 3][1:, 1, ::-1, :].reshape([-1, 4, 3]) */
    {48, 3, {1, 2, 2}, {384, -32, 16}, 32, 1, {4}, 0, {0}},  /* [2, 3, 2, 4][::2, 0, ::-1, ::2].reshape([4]) */
    {4, 1, {3}, {8}, 8, 2, {1, 3}, 1, {24, 8}},  /* [4][1:].reshape([1, 3]) */
    {16, 2, {1, 4}, {-128, 8}, 32, 2, {4, 1}, 1, {8, 8}},  /* [1, 4, 4][::-1, 1, :].reshape([4, 1]) */
    {48, 3, {1, 4, 3}, {384, 48, 16}, 0, 2, {3, 4}, 1, {64, 16}},  /* [2, 4, 3, 2][::2, :, :, 0].reshape([3, 4]) */
    {3, 2, {1, 2}, {24, 16}, 0, 3, {1, 1, 2}, 1, {32, 32, 16}},  /* [1, 3][:, ::2].reshape([1, 1, 2]) */
    {32, 3, {2, 2, 2}, {128, 32, 8}, 0, 4, {1, 1, 2, 4}, 0, {0}},  /* [4, 4, 2][::2, ::2, :].reshape([1, 1, 2, 4]) */
    {1, 1, {1}, {-8}, 0, 4, {1, 1, 1, 1}, 1, {8, 8, 8, 8}},  /* [1][::-1].reshape([1, 1, 1, 1]) */
    {12, 4, {1, 1, 2, 2}, {192, 192, 48, 16}, 0, 4, {1, 4, 1, 1}, 0, {0}},  /* [1, 1, 4, 3][::2, ::2, ::2, ::2].reshape([1, 4, 1, 1]) */
    {4, 2, {4, 1}, {-8, -8}, 24, 2, {2, -1}, 1, {-16, -8}},  /* [4, 1][::-1, ::-1].reshape([2, -1]) */
    {6, 1, {1}, {8}, 8, 1, {1}, 1, {8}},  /* [3, 2][0, 1:].reshape([1]) */
    {32, 3, {2, 2, 4}, {-64, 32, -8}, 216, 3, {1, 4, 4}, 0, {0}},  /* [2, 2, 2, 4][1, ::-1, :, ::-1].reshape([1, 4, 4]) */
    {4, 1, {4}, {-8}, 24, 3, {1, 1, 4}, 1, {-32, -32, -8}},  /* [4][::-1].reshape([1, 1, 4]) */
    {1, 1, {1}, {8}, 0, 1, {1}, 1, {8}},  /* [1][:].reshape([1]) */
    {6, 2, {2, 1}, {16, 8}, 24, 3, {2, 1, 1}, 1, {16, 16, 16}},  /* [3, 2][1:, 1:].reshape([2, 1, 1]) */
    {3, 1, {3}, {8}, 0, 2, {-1, 3}, 1, {24, 8}},  /* [3][:].reshape([-1, 3]) */
    {3, 1, {3}, {8}, 0, 2, {1, 3}, 1, {24, 8}},  /* [3][:].reshape([1, 3]) */
    {36, 3, {1, 3, 3}, {576, 96, 24}, 24, 3, {9, 1, 1}, 0, {0}},  /* [1, 3, 4, 3][::2, :, 1:, 0].reshape([9, 1, 1]) */
    {12, 2, {2, 4}, {64, 8}, 0, 3, {4, 2, -1}, 0, {0}},  /* [3, 4][::2, :].reshape([4, 2, -1]) */
    {8, 1, {1}, {16}, 0, 4, {1, -1, 1, 1}, 1, {8, 8, 8, 8}},  /* [4, 2][0, ::2].reshape([1, -1, 1, 1]) */
    {3, 2, {3, 1}, {-8, 8}, 16, 4, {1, 3, -1, 1}, 1, {-24, -8, -8, -8}},  /* [3, 1][::-1, :].reshape([1, 3, -1, 1]) */
    {6, 2, {3, 2}, {16, -8}, 8, 4, {1, 1, 2, 3}, 0, {0}},  /* [3, 2][:, ::-1].reshape([1, 1, 2, 3]) */
    {4, 2, {4, 1}, {-8, 8}, 24, 2, {4, 1}, 1, {-8, 8}},  /* [4, 1][::-1, :].reshape([4, 1]) */
    {72, 4, {2, 2, 2, 2}, {192, 96, 24, 8}, 200, 4, {1, 1, -1, 1}, 0, {0}},  /* [3, 4, 2, 3][1:, ::2, :, 1:].reshape([1, 1, -1, 1]) */
    {4, 1, {3}, {8}, 8, 1, {3}, 1, {8}},  /* [4][1:].reshape([3]) */

};

START_TEST(reshape_matches_numpy)
{
    for (size_t k = 0; k < sizeof numpy_reshapes / sizeof numpy_reshapes[0]; k++) {
        const struct reshape_case *c = &numpy_reshapes[k];
        nd_array *base = nd_arange(ND_INT64, c->n);
        nd_array *a = nd__view(base, ND_INT64, c->ndim, c->shape, c->strides,
                               (char *)nd_data(base) + c->offset);
        nd_array *r = nd_reshape(a, c->new_ndim, c->request);
        ck_assert_ptr_nonnull(r);
        ck_assert_msg((nd_base(r) == base) == c->view, "case %zu: view %d", k, c->view);
        if (c->view)
            for (int i = 0; i < c->new_ndim; i++)
                ck_assert_msg(nd_strides(r)[i] == c->new_strides[i], "case %zu axis %d: %td != %td",
                              k, i, nd_strides(r)[i], c->new_strides[i]);
        nd_array *fa = nd_flatten(a), *fr = nd_flatten(r);
        ck_assert_int_eq(nd_size(fa), nd_size(fr));
        for (ptrdiff_t i = 0; i < nd_size(fa); i++)
            ck_assert_double_eq(nd_item(fa, &i), nd_item(fr, &i));
        nd_free(fa), nd_free(fr), nd_free(r), nd_free(a), nd_free(base);
    }
}
END_TEST

START_TEST(reshape_errors)
{
    nd_array *a = owner34();
    ck_assert_ptr_null(nd_reshape(a, 1, (ptrdiff_t[]){5}));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "cannot reshape array of size 12 into shape (5,)");
    ck_assert_ptr_null(nd_reshape(a, 2, (ptrdiff_t[]){-1, 5}));
    /* NumPy's text for unknown entries: leading ones vanish, others read
     * "newaxis" */
    ck_assert_str_eq(nd_errmsg(), "cannot reshape array of size 12 into shape (5)");
    ck_assert_ptr_null(nd_reshape(a, 3, (ptrdiff_t[]){2, -1, 5}));
    ck_assert_str_eq(nd_errmsg(), "cannot reshape array of size 12 into shape (2,newaxis,5)");
    ck_assert_ptr_null(nd_reshape(a, 2, (ptrdiff_t[]){-1, -1}));
    ck_assert_str_eq(nd_errmsg(), "can only specify one unknown dimension");
    ck_assert_ptr_null(nd_reshape(a, 2, (ptrdiff_t[]){-2, -6}));
    ck_assert_str_eq(nd_errmsg(), "can only specify one unknown dimension");
    /* any negative entry is the unknown one: (-2, 6) -> (2, 6) */
    nd_array *u = nd_reshape(a, 2, (ptrdiff_t[]){-2, 6});
    ck_assert_int_eq(nd_shape(u)[0], 2);
    nd_free(u);
    ck_assert_ptr_null(nd_reshape(NULL, 1, (ptrdiff_t[]){1}));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    /* empty arrays reshape freely when sizes agree */
    nd_array *e = nd_zeros(ND_INT8, 2, (ptrdiff_t[]){0, 3});
    nd_array *r = nd_reshape(e, 3, (ptrdiff_t[]){3, 0, 5});
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(nd_size(r), 0);
    ck_assert_ptr_null(nd_reshape(e, 2, (ptrdiff_t[]){-1, 0}));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    nd_free(e), nd_free(r), nd_free(a);
}
END_TEST

START_TEST(ravel_rules)
{
    nd_array *a = owner34();
    nd_array *r = nd_ravel(a);   /* contiguous: a view */
    ck_assert_ptr_eq(nd_base(r), a);
    expect_strides(r, 1, (ptrdiff_t[]){12}, (ptrdiff_t[]){8});
    nd_free(r);
    nd_array *t = nd_transpose(a);
    r = nd_ravel(t);   /* not C-contiguous: an owned copy */
    ck_assert(nd_owns_data(r));
    expect_values(r, (double[]){0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
    nd_free(r);
    nd_array *z = nd_full(ND_FLOAT32, 0, NULL, 4);   /* 0-d -> (1,) */
    r = nd_ravel(z);
    ck_assert_int_eq(nd_ndim(r), 1);
    ck_assert_int_eq(nd_shape(r)[0], 1);
    nd_free(r), nd_free(z), nd_free(t), nd_free(a);
}
END_TEST

START_TEST(copies)
{
    nd_array *a = owner34();
    nd_array *t = nd_transpose(a);
    nd_array *c = nd_copy(t);
    ck_assert(nd_owns_data(c));
    ck_assert(nd__is_c_contig(c));
    expect_values(c, (double[]){0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
    nd_array *fl = nd_flatten(a);
    ck_assert(nd_owns_data(fl));
    ck_assert_int_eq(nd_ndim(fl), 1);
    ck_assert_int_eq(nd_shares_memory(fl, a), 0);

    /* copies of read-only arrays are writeable */
    nd_array *d = nd_diagonal(a);
    nd_array *dc = nd_copy(d);
    ck_assert(nd_is_writeable(dc));

    nd_array *f = nd_astype(t, ND_FLOAT32);
    ck_assert_ptr_eq(nd_dtype_of(f), ND_FLOAT32);
    expect_values(f, (double[]){0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
    nd_array *i8 = nd_astype(a, ND_INT8);
    ck_assert(nd_owns_data(i8));
    ck_assert_ptr_null(nd_astype(a, NULL));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    nd_free(a), nd_free(t), nd_free(c), nd_free(fl), nd_free(d), nd_free(dc), nd_free(f),
        nd_free(i8);
}
END_TEST

START_TEST(views_keep_flags_and_base)
{
    nd_array *a = owner34();
    nd_set_writeable(a, false);
    nd_array *v = nd_view(a), *t = nd_transpose(a), *c = nd_copy(a);
    ck_assert(!nd_is_writeable(v) && !nd_is_writeable(t));
    ck_assert(nd_is_writeable(c));
    nd_array *vv = nd_flip(t, 1);
    ck_assert_ptr_eq(nd_base(vv), a);
    nd_free(a);   /* parents first: views stay valid */
    nd_free(t);
    ck_assert_double_eq(nd_item(vv, (ptrdiff_t[]){0, 0}), 8);
    nd_free(vv), nd_free(v), nd_free(c);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("view");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, transpose_permute_swap);
    tcase_add_test(tc, flip_squeeze_expand);
    tcase_add_test(tc, broadcast_to_is_read_only);
    tcase_add_test(tc, diagonal_views);
    tcase_add_test(tc, reshape_view_or_copy);
    tcase_add_test(tc, reshape_matches_numpy);
    tcase_add_test(tc, reshape_errors);
    tcase_add_test(tc, ravel_rules);
    tcase_add_test(tc, copies);
    tcase_add_test(tc, views_keep_flags_and_base);
    suite_add_tcase(s, tc);
    return s;
}
