/*
 * kernels.c - the copy kernel every write path ends in (assignment,
 * setitem, copies, astype, fill) and the C-contiguous copy built on it.
 *
 * Key idea: nd__iter turns any pair of layouts into runs of one inner
 * stride each; this file only decides how to move one run, from fastest
 * to most general:
 *   1. same dtype, both runs dense          -> one memmove of the run;
 *   2. same dtype, strided (or broadcast)   -> a typed loop for itemsize
 *      1, 2, 4 or 8 (memcpy of a constant size compiles to one load and
 *      one store and is defined for the unaligned fields of packed
 *      records), else a memcpy per element;
 *   3. different dtypes: int64 -> float64 and float32 -> float64 have
 *      their own loops; every other pair goes through nd__cast_one, a
 *      switch per element that is correct for every pair, including
 *      records (field by field by position) and number -> record.
 *
 * Invariants: the kernel never fails and never allocates; callers validate
 * shapes and types first and copy the source when it may overlap the
 * destination (memmove keeps an exact self-copy safe anyway).
 *
 * Does not: broadcast (callers pass broadcast strides) or check WRITEABLE.
 */
#include "nd_int.h"

#define STRIDED_LOOP(T)                                                   \
    do {                                                                  \
        for (ptrdiff_t i = 0; i < n; i++, d += ds, s += ss) {             \
            T v_;                                                         \
            memcpy(&v_, s, sizeof v_);                                    \
            memcpy(d, &v_, sizeof v_);                                    \
        }                                                                 \
    } while (0)

static void run_same(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss, ptrdiff_t n,
                     size_t size)
{
    if (ds == (ptrdiff_t)size && ss == (ptrdiff_t)size) {
        memmove(d, s, (size_t)n * size);
        return;
    }
    switch (size) {
    case 1: STRIDED_LOOP(uint8_t); break;
    case 2: STRIDED_LOOP(uint16_t); break;
    case 4: STRIDED_LOOP(uint32_t); break;
    case 8: STRIDED_LOOP(uint64_t); break;
    default:
        for (ptrdiff_t i = 0; i < n; i++, d += ds, s += ss)
            memmove(d, s, size);
    }
}

/* Two frequent casts get their own loops; the rest use nd__cast_one. */
static void run_cast(const nd_dtype *ddt, char *d, ptrdiff_t ds, const nd_dtype *sdt,
                     const char *s, ptrdiff_t ss, ptrdiff_t n)
{
    if (ddt == ND_FLOAT64 && sdt == ND_INT64) {
        for (ptrdiff_t i = 0; i < n; i++, d += ds, s += ss) {
            int64_t v;
            memcpy(&v, s, 8);
            double f = (double)v;
            memcpy(d, &f, 8);
        }
        return;
    }
    if (ddt == ND_FLOAT64 && sdt == ND_FLOAT32) {
        for (ptrdiff_t i = 0; i < n; i++, d += ds, s += ss) {
            float v;
            memcpy(&v, s, 4);
            double f = v;
            memcpy(d, &f, 8);
        }
        return;
    }
    for (ptrdiff_t i = 0; i < n; i++, d += ds, s += ss)
        nd__cast_one(ddt, d, sdt, s);
}

void nd__copy_strided(nd_array *dst, const nd_dtype *sdt, const char *sdata,
                      const ptrdiff_t *src_strides)
{
    nd__iter it;
    char *ptrs[2] = {dst->data, (char *)sdata};
    const ptrdiff_t *strides[2] = {dst->strides, src_strides};
    if (!nd__iter_init(&it, 2, dst->ndim, dst->shape, ptrs, strides))
        return;
    const nd_dtype *ddt = dst->dt;
    bool same = ddt == sdt;
    do {
        if (same)
            run_same(it.ptr[0], it.inner[0], it.ptr[1], it.inner[1], it.n_inner,
                     ddt->itemsize);
        else
            run_cast(ddt, it.ptr[0], it.inner[0], sdt, it.ptr[1], it.inner[1], it.n_inner);
    } while (nd__iter_next(&it));
}

nd_array *nd__copy_c(const nd_array *a)
{
    nd_array *out = nd__alloc(a->dt, a->ndim, a->shape, false);
    if (!out)
        return NULL;
    nd__copy_strided(out, a->dt, a->data, a->strides);
    return out;
}

/* ---- binary arithmetic ---------------------------------------------------- */

/* Dense or strided loop over one run when out, a and b share the C type T;
 * memcpy keeps unaligned record fields defined and compiles to plain
 * loads, so the dense case vectorises. */
#define SAME_TYPE_RUN(T, EXPR)                                              \
    do {                                                                    \
        for (ptrdiff_t i = 0; i < n; i++, o += os, x += xs, y += ys) {      \
            T a_, b_, r_;                                                   \
            memcpy(&a_, x, sizeof a_);                                      \
            memcpy(&b_, y, sizeof b_);                                      \
            r_ = (EXPR);                                                    \
            memcpy(o, &r_, sizeof r_);                                      \
        }                                                                   \
    } while (0)

#define OP_SWITCH(T, DIVOK)                                                 \
    switch (op) {                                                           \
    case ND_OP_ADD: SAME_TYPE_RUN(T, (T)(a_ + b_)); break;                  \
    case ND_OP_SUB: SAME_TYPE_RUN(T, (T)(a_ - b_)); break;                  \
    case ND_OP_MUL: SAME_TYPE_RUN(T, (T)(a_ * b_)); break;                  \
    case ND_OP_DIV: SAME_TYPE_RUN(T, (T)(DIVOK)); break;                    \
    }

static void run_f64(nd__binop op, char *o, ptrdiff_t os, const char *x, ptrdiff_t xs,
                    const char *y, ptrdiff_t ys, ptrdiff_t n)
{
    OP_SWITCH(double, a_ / b_)
}

static void run_f32(nd__binop op, char *o, ptrdiff_t os, const char *x, ptrdiff_t xs,
                    const char *y, ptrdiff_t ys, ptrdiff_t n)
{
    OP_SWITCH(float, a_ / b_)
}

/* int64 wraps: the arithmetic is done in uint64_t, where it is defined. */
static void run_i64(nd__binop op, char *o, ptrdiff_t os, const char *x, ptrdiff_t xs,
                    const char *y, ptrdiff_t ys, ptrdiff_t n)
{
    OP_SWITCH(uint64_t, 0)
}

static void run_generic(nd__binop op, const nd_dtype *domain, const nd_dtype *odt, char *o,
                        ptrdiff_t os, const nd_dtype *adt, const char *x, ptrdiff_t xs,
                        const nd_dtype *bdt, const char *y, ptrdiff_t ys, ptrdiff_t n)
{
    switch (domain->kind) {
    case ND_DK_FLOAT:
        for (ptrdiff_t i = 0; i < n; i++, o += os, x += xs, y += ys) {
            double a = nd__load_f64(adt, x), b = nd__load_f64(bdt, y), r;
            switch (op) {
            case ND_OP_ADD: r = a + b; break;
            case ND_OP_SUB: r = a - b; break;
            case ND_OP_MUL: r = a * b; break;
            default: r = a / b; break;
            }
            /* A float32 domain rounds like NumPy's float32 loop. */
            if (domain->num == ND_T_FLOAT32)
                r = (float)r;
            nd__store_f64(odt, o, r);
        }
        break;
    case ND_DK_BOOL:
        for (ptrdiff_t i = 0; i < n; i++, o += os, x += xs, y += ys) {
            bool a = nd__load_i64(adt, x) != 0, b = nd__load_i64(bdt, y) != 0;
            nd__store_i64(odt, o, op == ND_OP_MUL ? (a && b) : (a || b));
        }
        break;
    default:
        for (ptrdiff_t i = 0; i < n; i++, o += os, x += xs, y += ys) {
            uint64_t a = (uint64_t)nd__load_i64(adt, x), b = (uint64_t)nd__load_i64(bdt, y), r;
            switch (op) {
            case ND_OP_ADD: r = a + b; break;
            case ND_OP_SUB: r = a - b; break;
            default: r = a * b; break;
            }
            nd__store_i64(odt, o, (int64_t)r);
        }
    }
}

void nd__binop_strided(nd_array *out, nd__binop op, const nd_dtype *domain,
                       const nd_dtype *adt, const char *adata, const ptrdiff_t *astr,
                       const nd_dtype *bdt, const char *bdata, const ptrdiff_t *bstr)
{
    nd__iter it;
    char *ptrs[3] = {out->data, (char *)adata, (char *)bdata};
    const ptrdiff_t *strides[3] = {out->strides, astr, bstr};
    if (!nd__iter_init(&it, 3, out->ndim, out->shape, ptrs, strides))
        return;
    const nd_dtype *odt = out->dt;
    bool same = odt == adt && adt == bdt && odt == domain;
    do {
        char *o = it.ptr[0];
        const char *x = it.ptr[1], *y = it.ptr[2];
        ptrdiff_t os = it.inner[0], xs = it.inner[1], ys = it.inner[2], n = it.n_inner;
        if (same && odt == ND_FLOAT64)
            run_f64(op, o, os, x, xs, y, ys, n);
        else if (same && odt == ND_FLOAT32)
            run_f32(op, o, os, x, xs, y, ys, n);
        else if (same && odt == ND_INT64 && op != ND_OP_DIV)
            run_i64(op, o, os, x, xs, y, ys, n);
        else
            run_generic(op, domain, odt, o, os, adt, x, xs, bdt, y, ys, n);
    } while (nd__iter_next(&it));
}
