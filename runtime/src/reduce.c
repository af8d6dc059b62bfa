/*
 * reduce.c - reductions: sum, mean, population std over all elements, and
 * mean/std along one axis (float64 results).
 *
 * Key ideas:
 *  - Floating sums use NumPy's pairwise summation: runs shorter than 8 are
 *    added in order, runs up to 128 use eight interleaved accumulators, and
 *    longer runs split in halves (multiples of 8). The rounding error grows
 *    like O(log n) instead of O(n), and results match NumPy's closely for
 *    contiguous data (NumPy pairs within each inner run of its iterator,
 *    as we do).
 *  - nd_sum of integers and bools is exact: it accumulates in wrapping
 *    64-bit integers as NumPy's int64 add.reduce does, then converts.
 *    Means and stds always accumulate in double (NumPy's dtype=f8 path).
 *  - std is NumPy's two-pass _var: mean first, then the pairwise sum of
 *    squared deviations, divided by n (ddof = 0), square-rooted.
 *
 * Errors: a NULL or record array gives NaN with ND_ETYPE; an empty array
 * gives 0 for sum and NaN (no error) for mean and std, as NumPy (which only
 * warns). Axis errors are ND_EINDEX (AxisError).
 *
 * Does not: support ddof, keepdims, or multiple axes.
 */
#include "nd_int.h"

#include <math.h>

/* One element as double; with `mean` set, its squared deviation. */
static inline double elem(const nd_dtype *dt, const char *p, const double *mean)
{
    double x;
    if (dt == ND_FLOAT64)
        memcpy(&x, p, sizeof x);
    else
        x = nd__load_f64(dt, p);
    if (mean) {
        x -= *mean;
        x *= x;
    }
    return x;
}

static double pairwise(const nd_dtype *dt, const char *p, ptrdiff_t n, ptrdiff_t s,
                       const double *mean)
{
    if (n < 8) {
        double r = 0.0;
        for (ptrdiff_t i = 0; i < n; i++)
            r += elem(dt, p + i * s, mean);
        return r;
    }
    if (n <= 128) {
        double r[8];
        ptrdiff_t i;
        for (int k = 0; k < 8; k++)
            r[k] = elem(dt, p + k * s, mean);
        for (i = 8; i < n - n % 8; i += 8)
            for (int k = 0; k < 8; k++)
                r[k] += elem(dt, p + (i + k) * s, mean);
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += elem(dt, p + i * s, mean);
        return res;
    }
    ptrdiff_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(dt, p, n2, s, mean) + pairwise(dt, p + n2 * s, n - n2, s, mean);
}

static int check_input(const nd_array *a)
{
    if (!a)
        return nd__null_arg();
    if (a->dt->kind == ND_DK_RECORD)
        return nd__fail(ND_ETYPE, "cannot perform reduce with flexible type");
    return 0;
}

/* Sum of all elements (or of squared deviations from *mean) in double. */
static double sum_f64(const nd_array *a, const double *mean)
{
    nd__iter it;
    char *ptrs[1] = {a->data};
    const ptrdiff_t *strides[1] = {a->strides};
    double total = 0.0;
    if (!nd__iter_init(&it, 1, a->ndim, a->shape, ptrs, strides))
        return 0.0;
    do
        total += pairwise(a->dt, it.ptr[0], it.n_inner, it.inner[0], mean);
    while (nd__iter_next(&it));
    return total;
}

static double sum_int(const nd_array *a)
{
    nd__iter it;
    char *ptrs[1] = {a->data};
    const ptrdiff_t *strides[1] = {a->strides};
    uint64_t total = 0;
    if (!nd__iter_init(&it, 1, a->ndim, a->shape, ptrs, strides))
        return 0.0;
    do {
        const char *p = it.ptr[0];
        for (ptrdiff_t i = 0; i < it.n_inner; i++, p += it.inner[0])
            total += (uint64_t)nd__load_i64(a->dt, p);
    } while (nd__iter_next(&it));
    return a->dt->kind == ND_DK_UINT ? (double)total : (double)(int64_t)total;
}

double nd_sum(const nd_array *a)
{
    if (check_input(a) < 0)
        return NAN;
    return a->dt->kind == ND_DK_FLOAT ? sum_f64(a, NULL) : sum_int(a);
}

double nd_mean(const nd_array *a)
{
    ptrdiff_t n;
    if (check_input(a) < 0 || nd__shape_size(a->ndim, a->shape, &n) < 0)
        return NAN;
    return n ? sum_f64(a, NULL) / (double)n : NAN;
}

double nd_std(const nd_array *a)
{
    ptrdiff_t n;
    if (check_input(a) < 0 || nd__shape_size(a->ndim, a->shape, &n) < 0)
        return NAN;
    if (!n)
        return NAN;
    double mean = sum_f64(a, NULL) / (double)n;
    return sqrt(sum_f64(a, &mean) / (double)n);
}

/* ---- along one axis ---------------------------------------------------------- */

static nd_array *reduce_axis(const nd_array *a, int axis, bool want_std)
{
    ptrdiff_t shape[ND_MAXDIMS], strides[ND_MAXDIMS];
    if (check_input(a) < 0 || (axis = nd__norm_axis(axis, a->ndim)) < 0)
        return NULL;
    int n = 0;
    for (int i = 0; i < a->ndim; i++)
        if (i != axis) {
            shape[n] = a->shape[i];
            strides[n++] = a->strides[i];
        }
    nd_array *out = nd__alloc(ND_FLOAT64, n, shape, false);
    if (!out)
        return NULL;
    ptrdiff_t len = a->shape[axis], s = a->strides[axis];
    nd__iter it;
    char *ptrs[2] = {out->data, a->data};
    const ptrdiff_t *st[2] = {out->strides, strides};
    if (!nd__iter_init(&it, 2, n, shape, ptrs, st))
        return out;
    do {
        char *o = it.ptr[0];
        const char *p = it.ptr[1];
        for (ptrdiff_t i = 0; i < it.n_inner; i++, o += it.inner[0], p += it.inner[1]) {
            double r = NAN;
            if (len) {
                r = pairwise(a->dt, p, len, s, NULL) / (double)len;
                if (want_std)
                    r = sqrt(pairwise(a->dt, p, len, s, &r) / (double)len);
            }
            memcpy(o, &r, sizeof r);
        }
    } while (nd__iter_next(&it));
    return out;
}

nd_array *nd_mean_axis(const nd_array *a, int axis) { return reduce_axis(a, axis, false); }
nd_array *nd_std_axis(const nd_array *a, int axis) { return reduce_axis(a, axis, true); }
