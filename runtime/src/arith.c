/*
 * arith.c - elementwise operations that make new arrays: + - * / with
 * broadcasting, comparisons with a scalar, and logical and/or/not.
 *
 * Key ideas:
 *  - Result types follow NumPy's promotion (nd__promote via nd__op_domain):
 *    same dtype stays, int/uint mixes widen, float32 survives only with
 *    small integers, a division of integers or bools is float64, and
 *    bool + bool is bool (logical or), bool - bool is a TypeError.
 *  - The arithmetic itself is nd__binop_strided (kernels.c) over a fresh
 *    output, so no aliasing question arises here.
 *  - Comparisons with a scalar are exact for every integer value (as
 *    NumPy's integer-vs-Python-number comparisons): the scalar is split
 *    into integral part and fraction, so no int64/uint64 is rounded to
 *    double on the way.
 *
 * Does not: write in place (write.c) or reduce (reduce.c).
 */
#include "nd_int.h"

#include <math.h>

static nd_array *binary(const nd_array *a, const nd_array *b, nd__binop op)
{
    ptrdiff_t shape[ND_MAXDIMS], sa[ND_MAXDIMS], sb[ND_MAXDIMS];
    int n;
    if (!a || !b) {
        nd__null_arg();
        return NULL;
    }
    const nd_dtype *r = nd__op_domain(op, a->dt, b->dt);
    if (!r || nd__broadcast_shape(a->ndim, a->shape, b->ndim, b->shape, &n, shape) < 0)
        return NULL;
    nd_array *out = nd__alloc(r, n, shape, false);
    if (!out)
        return NULL;
    nd__broadcast_strides(a, n, shape, sa);
    nd__broadcast_strides(b, n, shape, sb);
    nd__binop_strided(out, op, r, a->dt, a->data, sa, b->dt, b->data, sb);
    return out;
}

nd_array *nd_add(const nd_array *a, const nd_array *b) { return binary(a, b, ND_OP_ADD); }
nd_array *nd_sub(const nd_array *a, const nd_array *b) { return binary(a, b, ND_OP_SUB); }
nd_array *nd_mul(const nd_array *a, const nd_array *b) { return binary(a, b, ND_OP_MUL); }
nd_array *nd_div(const nd_array *a, const nd_array *b) { return binary(a, b, ND_OP_DIV); }

/* ---- comparisons with a scalar ------------------------------------------- */

typedef enum { CMP_GT, CMP_LT, CMP_EQ } cmp_op;

/* Three-way comparison of an integer with a double, exact for every
 * value: the double is split into its integral part (exact: |t| < 2^64)
 * and a fraction, so no integer is ever rounded. 2 means unordered (NaN). */
static int cmp_int(int64_t x, double v)
{
    if (v != v)
        return 2;
    if (v >= 9223372036854775808.0)
        return -1;
    if (v < -9223372036854775808.0)
        return 1;
    double t = trunc(v), frac = v - t;
    int64_t ti = (int64_t)t;
    if (x != ti)
        return x < ti ? -1 : 1;
    return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

static int cmp_uint(uint64_t x, double v)
{
    if (v != v)
        return 2;
    if (v < 0)
        return 1;
    if (v >= 18446744073709551616.0)
        return -1;
    double t = trunc(v), frac = v - t;
    uint64_t tu = (uint64_t)t;
    if (x != tu)
        return x < tu ? -1 : 1;
    return frac > 0 ? -1 : 0;
}

static int cmp_elem(const nd_dtype *dt, const char *p, double v)
{
    switch (dt->kind) {
    case ND_DK_FLOAT: {
        double x = nd__load_f64(dt, p);
        return x < v ? -1 : x > v ? 1 : x == v ? 0 : 2;
    }
    case ND_DK_UINT: return cmp_uint((uint64_t)nd__load_i64(dt, p), v);
    default: return cmp_int(nd__load_i64(dt, p), v);
    }
}

static bool cmp_one(cmp_op op, int c)
{
    switch (op) {
    case CMP_GT: return c == 1;
    case CMP_LT: return c == -1;
    default: return c == 0;
    }
}

/* The output is a fresh bool array of a's shape, so its strides are a's
 * C layout and the pair walks together through nd__iter. */
static nd_array *compare(const nd_array *a, double v, cmp_op op)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (a->dt->kind == ND_DK_RECORD) {
        nd__fail(ND_ETYPE, "comparison not supported for structured (record) dtypes");
        return NULL;
    }
    nd_array *out = nd__alloc(ND_BOOL, a->ndim, a->shape, false);
    if (!out)
        return NULL;
    nd__iter it;
    char *ptrs[2] = {out->data, a->data};
    const ptrdiff_t *strides[2] = {out->strides, a->strides};
    if (!nd__iter_init(&it, 2, a->ndim, a->shape, ptrs, strides))
        return out;
    do {
        char *o = it.ptr[0];
        const char *x = it.ptr[1];
        if (a->dt == ND_FLOAT64) {
            for (ptrdiff_t i = 0; i < it.n_inner; i++, o += it.inner[0], x += it.inner[1]) {
                double d;
                memcpy(&d, x, 8);
                *o = op == CMP_GT ? d > v : op == CMP_LT ? d < v : d == v;
            }
        } else {
            for (ptrdiff_t i = 0; i < it.n_inner; i++, o += it.inner[0], x += it.inner[1])
                *o = cmp_one(op, cmp_elem(a->dt, x, v));
        }
    } while (nd__iter_next(&it));
    return out;
}

nd_array *nd_gt_scalar(const nd_array *a, double v) { return compare(a, v, CMP_GT); }
nd_array *nd_lt_scalar(const nd_array *a, double v) { return compare(a, v, CMP_LT); }
nd_array *nd_eq_scalar(const nd_array *a, double v) { return compare(a, v, CMP_EQ); }

/* ---- logical operations ---------------------------------------------------- */

/* Truth of one element as NumPy's bool(): != 0, NaN is true. */
static bool truth(const nd_dtype *dt, const char *p)
{
    return dt->kind == ND_DK_FLOAT ? nd__load_f64(dt, p) != 0 : nd__load_i64(dt, p) != 0;
}

static nd_array *logical(const nd_array *a, const nd_array *b, bool is_and)
{
    ptrdiff_t shape[ND_MAXDIMS], sa[ND_MAXDIMS], sb[ND_MAXDIMS];
    int n;
    if (!a || !b) {
        nd__null_arg();
        return NULL;
    }
    if (a->dt->kind == ND_DK_RECORD || b->dt->kind == ND_DK_RECORD) {
        nd__fail(ND_ETYPE, "logical operations not supported for structured (record) dtypes");
        return NULL;
    }
    if (nd__broadcast_shape(a->ndim, a->shape, b->ndim, b->shape, &n, shape) < 0)
        return NULL;
    nd_array *out = nd__alloc(ND_BOOL, n, shape, false);
    if (!out)
        return NULL;
    nd__broadcast_strides(a, n, shape, sa);
    nd__broadcast_strides(b, n, shape, sb);
    nd__iter it;
    char *ptrs[3] = {out->data, a->data, b->data};
    const ptrdiff_t *strides[3] = {out->strides, sa, sb};
    if (!nd__iter_init(&it, 3, n, shape, ptrs, strides))
        return out;
    do {
        char *o = it.ptr[0];
        const char *x = it.ptr[1], *y = it.ptr[2];
        for (ptrdiff_t i = 0; i < it.n_inner;
             i++, o += it.inner[0], x += it.inner[1], y += it.inner[2]) {
            bool p = truth(a->dt, x), q = truth(b->dt, y);
            *o = is_and ? (p && q) : (p || q);
        }
    } while (nd__iter_next(&it));
    return out;
}

nd_array *nd_logical_and(const nd_array *a, const nd_array *b) { return logical(a, b, true); }
nd_array *nd_logical_or(const nd_array *a, const nd_array *b) { return logical(a, b, false); }

nd_array *nd_logical_not(const nd_array *a)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (a->dt->kind == ND_DK_RECORD) {
        nd__fail(ND_ETYPE, "logical operations not supported for structured (record) dtypes");
        return NULL;
    }
    nd_array *out = nd__alloc(ND_BOOL, a->ndim, a->shape, false);
    if (!out)
        return NULL;
    nd__iter it;
    char *ptrs[2] = {out->data, a->data};
    const ptrdiff_t *strides[2] = {out->strides, a->strides};
    if (!nd__iter_init(&it, 2, a->ndim, a->shape, ptrs, strides))
        return out;
    do {
        char *o = it.ptr[0];
        const char *x = it.ptr[1];
        for (ptrdiff_t i = 0; i < it.n_inner; i++, o += it.inner[0], x += it.inner[1])
            *o = !truth(a->dt, x);
    } while (nd__iter_next(&it));
    return out;
}
