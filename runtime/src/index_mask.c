/*
 * index_mask.c - the single full-shape boolean mask, a[mask] and
 * a[mask] = v (spec 4.1, 8.3): NumPy's fast path, with its own result and
 * assignment rules.
 *
 * Key idea: the mask and the array are walked together in C order (the
 * order of the result, and the order in which a 1-d value is consumed),
 * after merging axes that are contiguous for both, so a C-contiguous pair is
 * one flat loop. Selection copies branch-free: every element is stored at
 * the next output slot and the slot advances only when the mask is true;
 * the loop stops once all true elements are placed, so it never writes past
 * the end. A scalar fill needs no order and walks the array in memory order
 * instead (nd__iter), or in tiles when the mask is dense along another axis
 * than the array (a Fortran-ordered array, a C-ordered mask).
 *
 * Invariants: the mask has exactly a's shape (or is a 0-d True/False on a
 * 0-d array, p->mask == NULL); results are fresh 1-d arrays.
 *
 * Does not: check value shapes or cast (setitem.c does both before any
 * write).
 */
#include "nd_int.h"

/* C-order run walker over (array, mask) with merged axes. */
typedef struct pair_walk {
    int nd;                                  /* outer axes */
    ptrdiff_t shape[ND_MAXDIMS], st_a[ND_MAXDIMS], st_m[ND_MAXDIMS];
    ptrdiff_t idx[ND_MAXDIMS], pos[2];
    ptrdiff_t n_inner, in_a, in_m;
} pair_walk;

static bool pair_init(pair_walk *w, const nd_array *a, const nd_array *m)
{
    ptrdiff_t *sts[2] = {w->st_a, w->st_m};
    for (int k = 0; k < a->ndim; k++) {
        if (a->shape[k] == 0)
            return false;
        w->shape[k] = a->shape[k];
        w->st_a[k] = a->strides[k];
        w->st_m[k] = m->strides[k];
    }
    int nd = nd__merge_axes(a->ndim, w->shape, 2, sts);
    if (nd == 0) {
        w->n_inner = 1;
        w->in_a = w->in_m = 0;
        w->nd = 0;
    } else {
        w->n_inner = w->shape[nd - 1];
        w->in_a = w->st_a[nd - 1];
        w->in_m = w->st_m[nd - 1];
        w->nd = nd - 1;
    }
    for (int k = 0; k < w->nd; k++)
        w->idx[k] = 0;
    w->pos[0] = w->pos[1] = 0;
    return true;
}

static bool pair_next(pair_walk *w)
{
    const ptrdiff_t *st[2] = {w->st_a, w->st_m};
    return nd__odo_next(w->nd, w->shape, w->idx, 2, w->pos, st);
}

#define SELECT(T)                                                              \
    for (ptrdiff_t i = 0; k < total && i < n; i++) {                           \
        T v_;                                                                  \
        memcpy(&v_, src + i * sa, sizeof(T));                                  \
        memcpy(out + k * (ptrdiff_t)sizeof(T), &v_, sizeof(T));                \
        k += mk[i * sm] != 0;                                                  \
    }                                                                          \
    break

nd_array *nd__bool_select(const nd_array *a, const nd__prep *p)
{
    const nd_array *m = p->mask;
    size_t isz = a->dt->itemsize;
    if (!m) {                       /* 0-d array, 0-d True/False */
        ptrdiff_t len = p->mask_value;
        nd_array *r = nd__alloc(a->dt, 1, &len, false);
        if (r && len)
            memcpy(r->data, a->data, isz);
        return r;
    }
    ptrdiff_t total = nd__count_true(m), k = 0;
    nd_array *r = nd__alloc(a->dt, 1, &total, false);
    pair_walk w;
    if (!r || total == 0 || !pair_init(&w, a, m))
        return r;
    char *out = r->data;
    do {
        const char *src = a->data + w.pos[0], *mk = m->data + w.pos[1];
        ptrdiff_t n = w.n_inner, sa = w.in_a, sm = w.in_m;
        switch (isz) {
        case 1: SELECT(uint8_t);
        case 2: SELECT(uint16_t);
        case 4: SELECT(uint32_t);
        case 8: SELECT(uint64_t);
        default:
            for (ptrdiff_t i = 0; i < n; i++)
                if (mk[i * sm])
                    memcpy(out + (k++) * (ptrdiff_t)isz, src + i * sa, isz);
        }
    } while (k < total && pair_next(&w));
    return r;
}

/* Branch-free: every element is rewritten with either the value or itself,
 * blended through a bit mask (a random mask would mispredict half of the
 * branches of "if (m) store", and compilers turn a ?: back into one). T is
 * an unsigned integer of the element's width. */
#define FILL(T)                                                                \
    do {                                                                       \
        T v_;                                                                  \
        memcpy(&v_, vdata, sizeof(T));                                         \
        if (sa == (ptrdiff_t)sizeof(T) && sm == 1)                             \
            for (ptrdiff_t i = 0; i < n; i++) {                                \
                T o_, m_ = (T)0 - (T)(mk[i] != 0);                             \
                memcpy(&o_, dst + i * (ptrdiff_t)sizeof(T), sizeof(T));        \
                o_ = (T)((o_ & (T)~m_) | (v_ & m_));                           \
                memcpy(dst + i * (ptrdiff_t)sizeof(T), &o_, sizeof(T));        \
            }                                                                  \
        else                                                                   \
            for (ptrdiff_t i = 0; i < n; i++) {                                \
                T o_, m_ = (T)0 - (T)(mk[i * sm] != 0);                        \
                memcpy(&o_, dst + i * sa, sizeof(T));                          \
                o_ = (T)((o_ & (T)~m_) | (v_ & m_));                           \
                memcpy(dst + i * sa, &o_, sizeof(T));                          \
            }                                                                  \
    } while (0);                                                               \
    break

#define FILL_CASES(dst, mk, n, sa, sm)                                         \
    switch (isz) {                                                             \
    case 1: FILL(uint8_t);                                                     \
    case 2: FILL(uint16_t);                                                    \
    case 4: FILL(uint32_t);                                                    \
    case 8: FILL(uint64_t);                                                    \
    default:                                                                   \
        for (ptrdiff_t i = 0; i < n; i++)                                      \
            if (mk[i * sm])                                                    \
                memcpy(dst + i * sa, vdata, isz);                              \
    }

/* One blended run of n elements (FILL), by element size. */
static inline void fill_run(char *dst, ptrdiff_t sa, const char *mk, ptrdiff_t sm, ptrdiff_t n,
                     size_t isz, const char *vdata)
{
    FILL_CASES(dst, mk, n, sa, sm)
}

/* The axis (among the n) with the smallest |stride|: where that operand is
 * contiguous. */
static int densest_axis(int n, const ptrdiff_t *st)
{
    int best = 0;
    for (int k = 1; k < n; k++)
        if ((st[k] < 0 ? -st[k] : st[k]) < (st[best] < 0 ? -st[best] : st[best]))
            best = k;
    return best;
}

/* When a and the mask are dense along different axes (a Fortran-ordered
 * array, a C-ordered mask: the bench's base[mask] = 7), any single walking
 * order reads one of them across cache lines, an element per line, and
 * with power-of-two strides those lines also compete for the same cache
 * sets. So the two axes are walked in TILE x TILE blocks, and each block of
 * the mask is first transposed into a small buffer laid out like a: the
 * transpose reads the mask along its dense axis, and the blend then runs
 * along a's dense axis with a contiguous mask, its fast loop. The other
 * axes are an ordinary odometer. */
#define TILE 64

static void mask_fill_tiled(nd_array *a, const nd_array *m, const char *vdata, int nd,
                            ptrdiff_t *shape, ptrdiff_t *st_a, ptrdiff_t *st_m, int p, int q)
{
    size_t isz = a->dt->itemsize;
    ptrdiff_t np = shape[p], nq = shape[q], sap = st_a[p], saq = st_a[q];
    ptrdiff_t smp = st_m[p], smq = st_m[q];
    char t[TILE * TILE];        /* t[j * TILE + i]: mask at (p0 + i, q0 + j) */
    /* The odometer axes: all but p and q, order kept. */
    ptrdiff_t osh[ND_MAXDIMS], osa[ND_MAXDIMS], osm[ND_MAXDIMS];
    int no = 0;
    for (int k = 0; k < nd; k++)
        if (k != p && k != q) {
            osh[no] = shape[k];
            osa[no] = st_a[k];
            osm[no++] = st_m[k];
        }
    ptrdiff_t idx[ND_MAXDIMS] = {0}, pos[2] = {0, 0};
    const ptrdiff_t *sts[2] = {osa, osm};
    do {
        char *da = a->data + pos[0];
        const char *dm = m->data + pos[1];
        for (ptrdiff_t p0 = 0; p0 < np; p0 += TILE) {
            ptrdiff_t pn = np - p0 < TILE ? np - p0 : TILE;
            for (ptrdiff_t q0 = 0; q0 < nq; q0 += TILE) {
                ptrdiff_t qn = nq - q0 < TILE ? nq - q0 : TILE;
                for (ptrdiff_t i = 0; i < pn; i++) {
                    const char *row = dm + (p0 + i) * smp + q0 * smq;
                    for (ptrdiff_t j = 0; j < qn; j++)
                        t[j * TILE + i] = row[j * smq];
                }
                for (ptrdiff_t j = 0; j < qn; j++)
                    fill_run(da + p0 * sap + (q0 + j) * saq, sap, t + j * TILE, 1, pn, isz,
                             vdata);
            }
        }
    } while (nd__odo_next(no, osh, idx, 2, pos, sts));
}

/* a[mask] = one element. The order does not matter (each element is
 * written at most once), so it is memory order of a, or tiles when a and
 * the mask disagree about which axis is dense. */
static void mask_fill(nd_array *a, const nd_array *m, const char *vdata)
{
    nd__iter it;
    char *ptrs[2] = {a->data, m->data};
    const ptrdiff_t *st[2] = {a->strides, m->strides};
    size_t isz = a->dt->itemsize;
    ptrdiff_t shape[ND_MAXDIMS], st_a[ND_MAXDIMS], st_m[ND_MAXDIMS];
    ptrdiff_t *sts[2] = {st_a, st_m};
    for (int k = 0; k < a->ndim; k++) {
        if (a->shape[k] == 0)
            return;
        shape[k] = a->shape[k];
        st_a[k] = a->strides[k];
        st_m[k] = m->strides[k];
    }
    int nd = nd__merge_axes(a->ndim, shape, 2, sts);
    if (nd >= 2) {
        int p = densest_axis(nd, st_a), q = densest_axis(nd, st_m);
        if (p != q && shape[p] > 1 && shape[q] > 1) {
            mask_fill_tiled(a, m, vdata, nd, shape, st_a, st_m, p, q);
            return;
        }
    }
    if (!nd__iter_init(&it, 2, a->ndim, a->shape, ptrs, st))
        return;
    do {
        char *dst = it.ptr[0];
        const char *mk = it.ptr[1];
        ptrdiff_t n = it.n_inner, sa = it.inner[0], sm = it.inner[1];
        FILL_CASES(dst, mk, n, sa, sm)
    } while (nd__iter_next(&it));
}

void nd__bool_assign(nd_array *a, const nd__prep *p, const char *vdata, ptrdiff_t vstride)
{
    const nd_array *m = p->mask;
    size_t isz = a->dt->itemsize;
    pair_walk w;
    if (!m) {
        if (p->mask_value)
            memcpy(a->data, vdata, isz);
        return;
    }
    if (vstride == 0) {
        mask_fill(a, m, vdata);
        return;
    }
    if (!pair_init(&w, a, m))
        return;
    do {
        char *dst = a->data + w.pos[0];
        const char *mk = m->data + w.pos[1];
        for (ptrdiff_t i = 0; i < w.n_inner; i++)
            if (mk[i * w.in_m]) {
                memcpy(dst + i * w.in_a, vdata, isz);
                vdata += vstride;
            }
    } while (pair_next(&w));
}
