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
 *    Means and stds always accumulate in double (NumPy's dtype=f8 path);
 *    float32 data is summed in double too, since the results are doubles
 *    (NumPy's default float32 accumulator would round at every step).
 *    Checked against NumPy: float64 sums, means and stds, whole-array and
 *    per axis, agree bit for bit on random data.
 *  - std is NumPy's two-pass _var: mean first, then the pairwise sum of
 *    squared deviations, divided by n (ddof = 0), square-rooted.
 *  - Along an axis: when the reduced axis is the innermost in memory each
 *    output is a pairwise sum over a strided run; otherwise whole slices
 *    are accumulated one after another (memory order, NumPy's order for
 *    such reductions), which is much faster for e.g. mean over axis 0.
 *
 * Errors: a NULL or record array gives NaN with ND_ETYPE; an empty array
 * gives 0 for sum and NaN (no error) for mean and std, as NumPy (which only
 * warns). Axis errors are ND_EINDEX (AxisError).
 *
 * Does not: support ddof, keepdims, or multiple axes.
 */
#include "nd_int.h"

#include <math.h>

/* NumPy's default ufunc buffer size, in elements (see sum_f64). */
#define ND_REDUCE_BLOCK 8192

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

/* NumPy's pairwise leaf (n <= 128): in order below 8 elements, else eight
 * interleaved accumulators combined as a tree. GET(i) yields element i.
 * Instantiated for dense float64 (a constant stride the compiler can
 * vectorise), strided float64, and any type / squared deviations. */
#define PAIRWISE_LEAF(GET)                                                          \
    do {                                                                            \
        if (n < 8) {                                                                \
            double res_ = 0.0;                                                      \
            for (ptrdiff_t i = 0; i < n; i++)                                       \
                res_ += GET(i);                                                     \
            return res_;                                                            \
        }                                                                           \
        double r_[8];                                                               \
        ptrdiff_t i;                                                                \
        for (int k = 0; k < 8; k++)                                                 \
            r_[k] = GET(k);                                                         \
        for (i = 8; i < n - n % 8; i += 8)                                          \
            for (int k = 0; k < 8; k++)                                             \
                r_[k] += GET(i + k);                                                \
        double res_ = ((r_[0] + r_[1]) + (r_[2] + r_[3])) +                         \
                      ((r_[4] + r_[5]) + (r_[6] + r_[7]));                          \
        for (; i < n; i++)                                                          \
            res_ += GET(i);                                                         \
        return res_;                                                                \
    } while (0)

static inline double ld8(const char *p)
{
    double x;
    memcpy(&x, p, sizeof x);
    return x;
}

static double leaf_dense(const char *p, ptrdiff_t n)
{
#define GET(i) ld8(p + 8 * (i))
    PAIRWISE_LEAF(GET);
#undef GET
}

static double leaf_dense_sq(const char *p, ptrdiff_t n, double m)
{
#define GET(i) ((ld8(p + 8 * (i)) - m) * (ld8(p + 8 * (i)) - m))
    PAIRWISE_LEAF(GET);
#undef GET
}

static double leaf_any(const nd_dtype *dt, const char *p, ptrdiff_t n, ptrdiff_t s,
                       const double *mean)
{
#define GET(i) elem(dt, p + (i) * s, mean)
    PAIRWISE_LEAF(GET);
#undef GET
}

static double pairwise(const nd_dtype *dt, const char *p, ptrdiff_t n, ptrdiff_t s,
                       const double *mean)
{
    if (n <= 128) {
        if (dt == ND_FLOAT64 && s == 8)
            return mean ? leaf_dense_sq(p, n, *mean) : leaf_dense(p, n);
        return leaf_any(dt, p, n, s, mean);
    }
    ptrdiff_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(dt, p, n2, s, mean) + pairwise(dt, p + n2 * s, n - n2, s, mean);
}

/* acc + the elements of one run. NumPy's reductions run a buffered
 * iterator whose inner loop never exceeds the 8192-element buffer, so each
 * pairwise sum covers at most 8192 elements and the blocks are added to
 * the accumulator in order. Same blocks, same bits. */
static double sum_run(double acc, const nd_dtype *dt, const char *p, ptrdiff_t n, ptrdiff_t s,
                      const double *mean)
{
    for (ptrdiff_t off = 0; off < n; off += ND_REDUCE_BLOCK) {
        ptrdiff_t m = n - off < ND_REDUCE_BLOCK ? n - off : ND_REDUCE_BLOCK;
        acc += pairwise(dt, p + off * s, m, s, mean);
    }
    return acc;
}

static int check_input(const nd_array *a)
{
    if (!a)
        return nd__null_arg();
    if (a->dt->kind == ND_DK_RECORD)
        return nd__fail(ND_ETYPE, "cannot perform reduce with flexible type");
    return 0;
}

/* Sum of all elements (or of squared deviations from *mean) in double.
 * NumPy cuts the iteration into consecutive blocks of 8192 elements even
 * across rows (its buffered iterator copies a block that spans several
 * runs into the buffer), sums each block pairwise and adds the block sums
 * in order. Blocks that lie inside one run are summed in place; blocks
 * that span runs are gathered into `buf` first, exactly like NumPy. */
static double sum_f64(const nd_array *a, const double *mean)
{
    nd__iter it;
    char *ptrs[1] = {a->data};
    const ptrdiff_t *strides[1] = {a->strides};
    double buf[ND_REDUCE_BLOCK];   /* 64 KiB of stack, as NumPy's buffer */
    ptrdiff_t fill = 0;
    double total = 0.0;
    if (!nd__iter_init(&it, 1, a->ndim, a->shape, ptrs, strides))
        return 0.0;
    do {
        const char *p = it.ptr[0];
        ptrdiff_t n = it.n_inner, s = it.inner[0];
        while (n > 0) {
            if (fill == 0 && n >= ND_REDUCE_BLOCK) {
                total += pairwise(a->dt, p, ND_REDUCE_BLOCK, s, mean);
                p += ND_REDUCE_BLOCK * s;
                n -= ND_REDUCE_BLOCK;
                continue;
            }
            ptrdiff_t take = n < ND_REDUCE_BLOCK - fill ? n : ND_REDUCE_BLOCK - fill;
            for (ptrdiff_t i = 0; i < take; i++, p += s)
                buf[fill + i] = elem(a->dt, p, mean);
            fill += take;
            n -= take;
            if (fill == ND_REDUCE_BLOCK) {
                total += pairwise(ND_FLOAT64, (const char *)buf, fill, 8, NULL);
                fill = 0;
            }
        }
    } while (nd__iter_next(&it));
    if (fill)
        total += pairwise(ND_FLOAT64, (const char *)buf, fill, 8, NULL);
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

/* out[...] += x[...] (or += (x - mean)^2 when mean is given), where x is
 * one slice of the input (dtype dt, strides xs) and out/mean are float64
 * arrays of out's shape. */
static void accumulate(nd_array *out, const nd_array *mean, const nd_dtype *dt,
                       const char *x, const ptrdiff_t *xs)
{
    nd__iter it;
    char *ptrs[3] = {out->data, (char *)x, mean ? mean->data : NULL};
    const ptrdiff_t *st[3] = {out->strides, xs, mean ? mean->strides : NULL};
    if (!nd__iter_init(&it, mean ? 3 : 2, out->ndim, out->shape, ptrs, st))
        return;
    do {
        char *o = it.ptr[0];
        const char *p = it.ptr[1], *m = it.ptr[2];
        if (!mean && dt == ND_FLOAT64 && it.inner[0] == 8 && it.inner[1] == 8) {
            for (ptrdiff_t i = 0; i < it.n_inner; i++) {   /* dense: vectorises */
                double acc = ld8(o + 8 * i) + ld8(p + 8 * i);
                memcpy(o + 8 * i, &acc, sizeof acc);
            }
            continue;
        }
        for (ptrdiff_t i = 0; i < it.n_inner; i++, o += it.inner[0], p += it.inner[1]) {
            double v = dt == ND_FLOAT64 ? ld8(p) : nd__load_f64(dt, p);
            if (mean) {
                v -= ld8(m);
                v *= v;
                m += it.inner[2];
            }
            double acc = ld8(o) + v;
            memcpy(o, &acc, sizeof acc);
        }
    } while (nd__iter_next(&it));
}

/* Divides every element of a fresh C-contiguous float64 array by d, and
 * takes the square root when asked. */
static void finish(nd_array *out, ptrdiff_t n_out, double d, bool root)
{
    double *v = (double *)(void *)out->data;
    for (ptrdiff_t i = 0; i < n_out; i++)
        v[i] = root ? sqrt(v[i] / d) : v[i] / d;
}

/* Reduction by whole slices, when the reduced axis is not the innermost in
 * memory: adding slice after slice walks memory in order (and is the order
 * NumPy's reduce uses there, so results agree bit for bit). */
static nd_array *reduce_by_slices(const nd_array *a, int n, const ptrdiff_t *shape,
                                  const ptrdiff_t *strides, ptrdiff_t len, ptrdiff_t s,
                                  ptrdiff_t n_out, bool want_std)
{
    nd_array *out = nd__alloc(ND_FLOAT64, n, shape, true), *mean = NULL;
    if (!out)
        return NULL;
    for (ptrdiff_t k = 0; k < len; k++)
        accumulate(out, NULL, a->dt, a->data + k * s, strides);
    finish(out, n_out, (double)len, false);
    if (!want_std)
        return out;
    mean = out;
    if (!(out = nd__alloc(ND_FLOAT64, n, shape, true))) {
        nd_free(mean);
        return NULL;
    }
    for (ptrdiff_t k = 0; k < len; k++)
        accumulate(out, mean, a->dt, a->data + k * s, strides);
    finish(out, n_out, (double)len, true);
    nd_free(mean);
    return out;
}

static nd_array *reduce_axis(const nd_array *a, int axis, bool want_std)
{
    ptrdiff_t shape[ND_MAXDIMS], strides[ND_MAXDIMS], n_out;
    if (check_input(a) < 0 || (axis = nd__norm_axis(axis, a->ndim)) < 0)
        return NULL;
    int n = 0;
    ptrdiff_t len = a->shape[axis], s = a->strides[axis], inner = PTRDIFF_MAX;
    for (int i = 0; i < a->ndim; i++)
        if (i != axis) {
            shape[n] = a->shape[i];
            strides[n++] = a->strides[i];
            if (a->shape[i] > 1 && (a->strides[i] < 0 ? -a->strides[i] : a->strides[i]) < inner)
                inner = a->strides[i] < 0 ? -a->strides[i] : a->strides[i];
        }
    if (nd__shape_size(n, shape, &n_out) < 0)
        return NULL;
    if (len > 1 && n_out > 1 && (s < 0 ? -s : s) > inner)
        return reduce_by_slices(a, n, shape, strides, len, s, n_out, want_std);
    nd_array *out = nd__alloc(ND_FLOAT64, n, shape, false);
    if (!out)
        return NULL;
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
                r = sum_run(0.0, a->dt, p, len, s, NULL) / (double)len;
                if (want_std)
                    r = sqrt(sum_run(0.0, a->dt, p, len, s, &r) / (double)len);
            }
            memcpy(o, &r, sizeof r);
        }
    } while (nd__iter_next(&it));
    return out;
}

nd_array *nd_mean_axis(const nd_array *a, int axis) { return reduce_axis(a, axis, false); }
nd_array *nd_std_axis(const nd_array *a, int axis) { return reduce_axis(a, axis, true); }
