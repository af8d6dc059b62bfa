/*
 * test_kernels.c - tests runtime/src/iter.c and runtime/src/kernels.c.
 *
 * Oracle: brute force. Random strided views (0-4 dims, lengths 0-4,
 * strides of either sign, broadcast strides of 0 on the source) over two
 * separate owners are copied with nd__copy_strided and, independently,
 * element by element through a multi-index and nd__cast_one; every byte
 * of the destination owner must agree (bytes outside the view untouched).
 * The same scheme checks nd__binop_strided against per-element arithmetic.
 * Also pinned: the iterator's coalescing, and the broadcast rules and
 * messages of nd__broadcast_shape / nd__broadcast_strides.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "nd_int.h"

static uint64_t rng = 0x2545f4914f6cdd1du;

static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717u;
}

static int rnd_in(int lo, int hi) { return lo + (int)(rnd() % (uint64_t)(hi - lo + 1)); }

static const nd_dtype *rnd_type(void)
{
    const nd_dtype *all[] = {ND_BOOL,   ND_INT8,   ND_INT16,  ND_INT32,
                             ND_INT64,  ND_UINT8,  ND_UINT16, ND_UINT32,
                             ND_UINT64, ND_FLOAT32, ND_FLOAT64};
    return all[rnd_in(0, 10)];
}

/* A random view of `owner` (a 1-d uint8 buffer) with the given shape:
 * random per-axis strides (multiples of the itemsize, either sign), the
 * data pointer chosen so every element lies in the buffer. NULL if it does
 * not fit. */
static nd_array *rnd_view(nd_array *owner, const nd_dtype *dt, int ndim, const ptrdiff_t *shape,
                          bool allow_zero_stride)
{
    ptrdiff_t strides[ND_MAXDIMS], lo = 0, hi = (ptrdiff_t)dt->itemsize;
    if (allow_zero_stride) {
        /* Sources: any strides, aliasing and broadcasting included. */
        for (int i = 0; i < ndim; i++)
            strides[i] = rnd_in(0, 3) * (rnd() & 1 ? 1 : -1) * (ptrdiff_t)dt->itemsize *
                         rnd_in(1, 4);
    } else {
        /* Destinations: no element written twice, so the visiting order
         * cannot matter: nested extents in a random axis order, with gaps
         * and random signs. */
        int perm[ND_MAXDIMS];
        for (int i = 0; i < ndim; i++)
            perm[i] = i;
        for (int i = ndim - 1; i > 0; i--) {
            int j = rnd_in(0, i), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        ptrdiff_t step = (ptrdiff_t)dt->itemsize * rnd_in(1, 2);
        for (int i = 0; i < ndim; i++) {
            int ax = perm[i];
            strides[ax] = step * (rnd() & 1 ? 1 : -1);
            step *= (shape[ax] ? shape[ax] : 1) + rnd_in(0, 1);
        }
    }
    for (int i = 0; i < ndim; i++) {
        ptrdiff_t span = (shape[i] - 1) * strides[i];
        if (shape[i] > 0) {
            if (span < 0)
                lo += span;
            else
                hi += span;
        }
    }
    ptrdiff_t room = nd_shape(owner)[0] - (hi - lo);
    if (room < 0)
        return NULL;
    ptrdiff_t start = -lo + rnd_in(0, (int)(room > 16 ? 16 : room));
    return nd__view(owner, dt, ndim, shape, strides, (char *)nd_data(owner) + start);
}

static void fill_random(nd_array *buf)
{
    unsigned char *p = nd_data(buf);
    for (ptrdiff_t i = 0; i < nd_size(buf); i++)
        p[i] = (unsigned char)rnd();
}

/* Byte address of multi-index idx. */
static char *at(const nd_array *a, const ptrdiff_t *idx, const ptrdiff_t *strides)
{
    char *p = a->data;
    for (int k = 0; k < a->ndim; k++)
        p += idx[k] * strides[k];
    return p;
}

/* Advances a C-order multi-index; false after the last. */
static bool next_index(int ndim, const ptrdiff_t *shape, ptrdiff_t *idx)
{
    for (int k = ndim - 1; k >= 0; k--) {
        if (++idx[k] < shape[k])
            return true;
        idx[k] = 0;
    }
    return false;
}

static ptrdiff_t count(int ndim, const ptrdiff_t *shape)
{
    ptrdiff_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    return n;
}

START_TEST(copy_matches_brute_force)
{
    ptrdiff_t blen = 4096;
    int done = 0;
    for (int trial = 0; trial < 3000; trial++) {
        nd_array *dbuf = nd_zeros(ND_UINT8, 1, &blen), *sbuf = nd_zeros(ND_UINT8, 1, &blen);
        fill_random(dbuf);
        fill_random(sbuf);
        nd_array *ref = nd_copy(dbuf);
        int ndim = rnd_in(0, 4);
        ptrdiff_t shape[4];
        for (int i = 0; i < ndim; i++)
            shape[i] = rnd_in(0, 4);
        const nd_dtype *dt = rnd_type(), *st = rnd() % 3 ? dt : rnd_type();
        nd_array *dst = rnd_view(dbuf, dt, ndim, shape, false);
        nd_array *src = rnd_view(sbuf, st, ndim, shape, true);
        if (dst && src) {
            /* Floats from random bytes may be NaN with payloads; sanitise
             * the source so byte comparison of conversions is meaningful. */
            if (st->kind == ND_DK_FLOAT || st->kind == ND_DK_BOOL) {
                ptrdiff_t idx[4] = {0};
                if (count(ndim, shape))
                    do
                        nd__store_f64(st, at(src, idx, src->strides), (double)rnd_in(-300, 300) / 4);
                    while (next_index(ndim, shape, idx));
            }
            ptrdiff_t idx[4] = {0};
            if (count(ndim, shape))
                do
                    nd__cast_one(dt, at(dst, idx, dst->strides) - (char *)nd_data(dbuf) +
                                         (char *)nd_data(ref),
                                 st, at(src, idx, src->strides));
                while (next_index(ndim, shape, idx));
            nd__copy_strided(dst, st, src->data, src->strides);
            ck_assert_mem_eq(nd_data(dbuf), nd_data(ref), (size_t)blen);
            done++;
        }
        nd_free(dst), nd_free(src), nd_free(dbuf), nd_free(sbuf), nd_free(ref);
    }
    ck_assert_int_gt(done, 1000);
}
END_TEST

START_TEST(copy_c_keeps_values)
{
    ptrdiff_t blen = 512, shape[3] = {3, 2, 4};
    nd_array *buf = nd_zeros(ND_UINT8, 1, &blen);
    fill_random(buf);
    nd_array *v = NULL;
    while (!v)
        v = rnd_view(buf, ND_INT16, 3, shape, false);
    nd_array *c = nd__copy_c(v);
    ck_assert(nd__is_c_contig(c) && nd_owns_data(c));
    ptrdiff_t idx[3] = {0};
    do
        ck_assert_double_eq(nd_item(c, idx), nd_item(v, idx));
    while (next_index(3, shape, idx));
    nd_free(v), nd_free(c), nd_free(buf);
}
END_TEST

START_TEST(iterator_coalesces)
{
    nd__iter it;
    ptrdiff_t shape[3] = {2, 3, 4}, c[3] = {96, 32, 8}, half[3] = {192, 64, 16};
    char *p[2] = {NULL, NULL};
    const ptrdiff_t *s1[1] = {c};
    ck_assert(nd__iter_init(&it, 1, 3, shape, p, s1));
    ck_assert_int_eq(it.ndim, 0);   /* one run of 24 */
    ck_assert_int_eq(it.n_inner, 24);
    ck_assert_int_eq(it.inner[0], 8);
    ck_assert(!nd__iter_next(&it));

    /* a dense and a strided operand: the strided one blocks merging of
     * nothing here (all its strides chain too), so still one run */
    const ptrdiff_t *s2[2] = {c, half};
    ck_assert(nd__iter_init(&it, 2, 3, shape, p, s2));
    ck_assert_int_eq(it.n_inner, 24);

    /* a[:, ::2] of a (3,4) int64 array chains into one run of stride 16 */
    ptrdiff_t sh5[2] = {3, 2}, st5[2] = {32, 16};
    const ptrdiff_t *s5[1] = {st5};
    ck_assert(nd__iter_init(&it, 1, 2, sh5, p, s5));
    ck_assert_int_eq(it.ndim, 0);
    ck_assert_int_eq(it.n_inner, 6);
    ck_assert_int_eq(it.inner[0], 16);

    /* a[:, :2]: one run per row */
    ptrdiff_t sh2[2] = {3, 2}, st2[2] = {32, 8};
    const ptrdiff_t *s3[1] = {st2};
    ck_assert(nd__iter_init(&it, 1, 2, sh2, p, s3));
    ck_assert_int_eq(it.ndim, 1);
    ck_assert_int_eq(it.n_inner, 2);
    int runs = 1;
    while (nd__iter_next(&it))
        runs++;
    ck_assert_int_eq(runs, 3);

    /* transposed: inner run follows the smallest stride of operand 0 */
    ptrdiff_t sh3[2] = {4, 3}, st3[2] = {8, 32};
    const ptrdiff_t *s4[1] = {st3};
    ck_assert(nd__iter_init(&it, 1, 2, sh3, p, s4));
    ck_assert_int_eq(it.n_inner, 12);
    ck_assert_int_eq(it.inner[0], 8);

    /* zero-length: nothing to visit; 0-d: one element */
    ptrdiff_t sh4[2] = {3, 0};
    ck_assert(!nd__iter_init(&it, 1, 2, sh4, p, s3));
    ck_assert(nd__iter_init(&it, 1, 0, NULL, p, s3));
    ck_assert_int_eq(it.n_inner, 1);
}
END_TEST

START_TEST(broadcast_rules)
{
    ptrdiff_t a[2] = {3, 1}, b[1] = {4}, out[ND_MAXDIMS];
    int n;
    ck_assert_int_eq(nd__broadcast_shape(2, a, 1, b, &n, out), 0);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(out[0], 3);
    ck_assert_int_eq(out[1], 4);
    ptrdiff_t c[1] = {2}, d[1] = {3};
    ck_assert_int_eq(nd__broadcast_shape(1, c, 1, d, &n, out), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "operands could not be broadcast together with shapes (2,) (3,) ");
    ptrdiff_t z[1] = {0}, one[2] = {1, 1};
    ck_assert_int_eq(nd__broadcast_shape(1, z, 2, one, &n, out), 0);
    ck_assert_int_eq(out[1], 0);

    nd_array *x = nd_arange(ND_INT32, 4);
    ptrdiff_t shape[3] = {2, 3, 4}, st[3];
    ck_assert_int_eq(nd__broadcast_strides(x, 3, shape, st), 0);
    ck_assert_int_eq(st[0], 0);
    ck_assert_int_eq(st[1], 0);
    ck_assert_int_eq(st[2], 4);
    ptrdiff_t bad[1] = {5};
    ck_assert_int_eq(nd__broadcast_strides(x, 1, bad, st), -1);
    ck_assert_str_eq(nd_errmsg(), "could not broadcast input array from shape (4,) into shape (5,)");
    nd_free(x);
}
END_TEST

/* Reference arithmetic for one element in the given domain. */
static void ref_binop(nd__binop op, const nd_dtype *domain, const nd_dtype *odt, char *o,
                      const nd_dtype *adt, const char *x, const nd_dtype *bdt, const char *y)
{
    if (domain->kind == ND_DK_FLOAT) {
        double a = nd__load_f64(adt, x), b = nd__load_f64(bdt, y);
        double r = op == ND_OP_ADD ? a + b : op == ND_OP_SUB ? a - b : op == ND_OP_MUL ? a * b : a / b;
        if (domain == ND_FLOAT32)
            r = (float)r;
        nd__store_f64(odt, o, r);
    } else if (domain->kind == ND_DK_BOOL) {
        bool a = nd__load_f64(adt, x) != 0, b = nd__load_f64(bdt, y) != 0;
        nd__store_i64(odt, o, op == ND_OP_MUL ? a && b : a || b);
    } else {
        uint64_t a = (uint64_t)nd__load_i64(adt, x), b = (uint64_t)nd__load_i64(bdt, y);
        uint64_t r = op == ND_OP_ADD ? a + b : op == ND_OP_SUB ? a - b : a * b;
        nd__store_i64(odt, o, (int64_t)r);
    }
}

START_TEST(binop_matches_brute_force)
{
    int done = 0;
    for (int trial = 0; trial < 2000; trial++) {
        int ndim = rnd_in(0, 3);
        ptrdiff_t shape[3];
        for (int i = 0; i < ndim; i++)
            shape[i] = rnd_in(1, 4);
        const nd_dtype *adt = rnd_type(), *bdt = rnd() & 1 ? adt : rnd_type();
        nd__binop op = (nd__binop)rnd_in(0, 3);
        const nd_dtype *dom = nd__op_domain(op, adt, bdt);
        if (!dom)
            continue;
        const nd_dtype *odt = op == ND_OP_DIV || rnd() & 1 ? dom : adt;
        ptrdiff_t blen = 2048;
        nd_array *abuf = nd_zeros(ND_UINT8, 1, &blen), *bbuf = nd_zeros(ND_UINT8, 1, &blen);
        nd_array *a = rnd_view(abuf, adt, ndim, shape, true);
        nd_array *b = rnd_view(bbuf, bdt, ndim, shape, true);
        nd_array *out = nd_zeros(odt, ndim, shape), *ref = nd_zeros(odt, ndim, shape);
        if (a && b) {
            ptrdiff_t idx[3] = {0};
            do {
                nd__store_f64(adt, at(a, idx, a->strides), rnd_in(-200, 200) / 2.0);
                nd__store_f64(bdt, at(b, idx, b->strides), rnd_in(-200, 200) / 2.0);
            } while (next_index(ndim, shape, idx));
            nd__binop_strided(out, op, dom, adt, a->data, a->strides, bdt, b->data, b->strides);
            memset(idx, 0, sizeof idx);
            do
                ref_binop(op, dom, odt, at(ref, idx, ref->strides), adt,
                          at(a, idx, a->strides), bdt, at(b, idx, b->strides));
            while (next_index(ndim, shape, idx));
            ck_assert_mem_eq(nd_data(out), nd_data(ref), (size_t)count(ndim, shape) * odt->itemsize);
            done++;
        }
        nd_free(a), nd_free(b), nd_free(abuf), nd_free(bbuf), nd_free(out), nd_free(ref);
    }
    ck_assert_int_gt(done, 500);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("kernels");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, copy_matches_brute_force);
    tcase_add_test(tc, copy_c_keeps_values);
    tcase_add_test(tc, iterator_coalesces);
    tcase_add_test(tc, broadcast_rules);
    tcase_add_test(tc, binop_matches_brute_force);
    suite_add_tcase(s, tc);
    return s;
}
