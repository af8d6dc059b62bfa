/*
 * index_direct.c - advanced indexing without an offset table, for the
 * commonest subscript: one C-contiguous int64 index array with nothing
 * before it (a[I], a[I, 1:], take on axis 0, their assignments).
 *
 * Key idea: index_fancy.c turns every index value into a byte offset in a
 * table, then gathers or scatters. With a single index array and B first
 * (q == 0) the table is the index array times a stride, so each value can
 * be checked, wrapped and used in the same pass that moves the data: the
 * index array is read once and nothing is allocated.
 *  - Reads check as they go: the output is fresh, so copies made before an
 *    out-of-bounds value are simply discarded, and the error is the first
 *    bad value in C order, as NumPy reports it.
 *  - Writes must not start before every value is known good: one
 *    branch-free pass ORs the range tests, then the scatter runs.
 *  - Random gathers from arrays larger than the caches prefetch ahead.
 *
 * Invariants: nd__fancy_gather_direct / _scatter_direct return 0 ("not
 * applicable") without side effects, so callers fall back to the table.
 *
 * Does not: handle several index arrays, masks, a non-zero B position or
 * an empty result (the table path checks bounds for those).
 */
#include "nd_int.h"

static const nd__entry *direct_entry(const nd__prep *p, const nd__fancy *f)
{
    const nd__entry *hit = NULL;
    if (f->q != 0 || f->size == 0)
        return NULL;
    for (int i = 0; i < p->n; i++) {
        const nd__entry *e = &p->e[i];
        if (e->t != ND__E_ARRAY && e->t != ND__E_MASK && e->t != ND__E_BOOL0)
            continue;
        if (hit || e->t != ND__E_ARRAY)
            return NULL;
        hit = e;
    }
    if (!hit || hit->arr->dt != ND_INT64 || !nd__is_c_contig(hit->arr))
        return NULL;
    return hit;
}

/* Random gathers from an array larger than the caches are bound by cache
 * misses: there the element PREFETCH positions ahead is requested early (a
 * prefetch never faults, so the unchecked value is harmless; the address is
 * formed in unsigned arithmetic). For short or cache-sized gathers the
 * extra work costs more than it saves, so that loop stays plain. */
#define PREFETCH 16
#define PREFETCH_MIN_BYTES ((ptrdiff_t)8 << 20)
#define DIRECT_BODY(T)                                                         \
    do {                                                                       \
        int64_t v_;                                                            \
        T x_;                                                                  \
        memcpy(&v_, idx + b * 8, 8);                                           \
        if ((uint64_t)v_ + (uint64_t)n >= span)                                \
            return nd__index_out_of_bounds(v_, axis, n);                       \
        memcpy(&x_, base + (v_ + (n & -(int64_t)(v_ < 0))) * s, sizeof(T));    \
        memcpy(out + b * (ptrdiff_t)sizeof(T), &x_, sizeof(T));                \
    } while (0)
#define DIRECT(T)                                                              \
    if (far) {                                                                 \
        ptrdiff_t b = 0;                                                       \
        for (; b + PREFETCH < nb; b++) {                                       \
            int64_t w_;                                                        \
            memcpy(&w_, idx + (b + PREFETCH) * 8, 8);                          \
            __builtin_prefetch((const void *)((uintptr_t)base +                \
                                              (uint64_t)w_ * (uint64_t)s));    \
            DIRECT_BODY(T);                                                    \
        }                                                                      \
        for (; b < nb; b++)                                                    \
            DIRECT_BODY(T);                                                    \
    } else {                                                                   \
        for (ptrdiff_t b = 0; b < nb; b++)                                     \
            DIRECT_BODY(T);                                                    \
    }                                                                          \
    break

int nd__fancy_gather_direct(const nd_array *a, const nd__prep *p, const nd__fancy *f,
                            size_t isz, char *out)
{
    ptrdiff_t ish[ND_MAXDIMS], ist[ND_MAXDIMS], ost[ND_MAXDIMS], cst[ND_MAXDIMS];
    const nd__entry *e = direct_entry(p, f);
    if (!e)
        return 0;
    int axis = e->axis;
    ptrdiff_t n = a->shape[axis], s = a->strides[axis], nb = f->n_b;
    uint64_t span = 2 * (uint64_t)n;
    const char *idx = e->arr->data, *base = f->base;
    int ni = f->n_sub;
    ptrdiff_t blk = (ptrdiff_t)isz;
    for (int k = ni - 1; k >= 0; k--) {
        cst[k] = blk;
        blk *= f->sub_shape[k];
    }
    int m = nd__fancy_inner_axes(f, cst, ish, ist, ost);
    if (m == 0) {
        ptrdiff_t span_bytes = n * (s < 0 ? -s : s);
        bool far = nb >= 4096 && span_bytes >= PREFETCH_MIN_BYTES;
        switch (isz) {
        case 1: DIRECT(uint8_t);
        case 2: DIRECT(uint16_t);
        case 4: DIRECT(uint32_t);
        case 8: DIRECT(uint64_t);
        default: m = -1;        /* records: the general loop below */
        }
        if (m == 0)
            return 1;
    }
    for (ptrdiff_t b = 0; b < nb; b++) {
        int64_t v;
        memcpy(&v, idx + b * 8, 8);
        if ((uint64_t)v + (uint64_t)n >= span)
            return nd__index_out_of_bounds(v, axis, n);
        const char *src = base + (v + (n & -(int64_t)(v < 0))) * s;
        char *dst = out + b * blk;
        if (m <= 0)
            memcpy(dst, src, isz);
        else if (m == 1 && ist[0] == (ptrdiff_t)isz)
            memcpy(dst, src, (size_t)blk);
        else if (m == 1)
            nd__copy_run(dst, ost[0], src, ist[0], ish[0], isz);
        else
            nd__copy_nd(m, ish, dst, ost, src, ist, isz);
    }
    return 1;
}

/* Validates a lone int64 index array without branching per value (an OR of
 * the out-of-range tests), then, only if something is out of range, finds
 * the first bad value in order for NumPy's message. */
static int check_direct(const char *idx, ptrdiff_t nb, ptrdiff_t n, int axis)
{
    uint64_t span = 2 * (uint64_t)n;
    int bad = 0;
    for (ptrdiff_t b = 0; b < nb; b++) {
        int64_t v;
        memcpy(&v, idx + b * 8, 8);
        bad |= (uint64_t)v + (uint64_t)n >= span;
    }
    if (!bad)
        return 0;
    for (ptrdiff_t b = 0;; b++) {
        int64_t v;
        memcpy(&v, idx + b * 8, 8);
        if ((uint64_t)v + (uint64_t)n >= span)
            return nd__index_out_of_bounds(v, axis, n);
    }
}

#define SCATTER_DIRECT(T)                                                      \
    do {                                                                       \
        T x_;                                                                  \
        memcpy(&x_, v, sizeof(T));                                             \
        for (ptrdiff_t b = 0; b < nb; b++) {                                   \
            int64_t i_;                                                        \
            memcpy(&i_, idx + b * 8, 8);                                       \
            if (vb)                                                            \
                memcpy(&x_, v + b * vb, sizeof(T));                            \
            memcpy(base + (i_ + (n & -(int64_t)(i_ < 0))) * s, &x_, sizeof(T)); \
        }                                                                      \
    } while (0);                                                               \
    break

int nd__fancy_scatter_direct(const nd_array *a, const nd__prep *p, const nd__fancy *f,
                             size_t isz, const char *vdata, const ptrdiff_t *vstrides)
{
    ptrdiff_t ish[ND_MAXDIMS], ist[ND_MAXDIMS], vst[ND_MAXDIMS], vb;
    const nd__entry *e = direct_entry(p, f);
    if (!e || !nd__fancy_flat_value(f, vstrides, &vb))
        return 0;
    int axis = e->axis;
    ptrdiff_t n = a->shape[axis], s = a->strides[axis], nb = f->n_b;
    const char *idx = e->arr->data, *v = vdata;
    char *base = f->base;
    if (check_direct(idx, nb, n, axis) < 0)
        return -1;
    int m = nd__fancy_inner_axes(f, vstrides + f->nb, ish, ist, vst);
    if (m == 0) {
        switch (isz) {
        case 1: SCATTER_DIRECT(uint8_t);
        case 2: SCATTER_DIRECT(uint16_t);
        case 4: SCATTER_DIRECT(uint32_t);
        case 8: SCATTER_DIRECT(uint64_t);
        default: m = -1;
        }
        if (m == 0)
            return 1;
    }
    for (ptrdiff_t b = 0; b < nb; b++) {
        int64_t i;
        memcpy(&i, idx + b * 8, 8);
        char *dst = base + (i + (n & -(int64_t)(i < 0))) * s;
        if (m <= 0)
            memcpy(dst, v + b * vb, isz);
        else if (m == 1)
            nd__copy_run(dst, ist[0], v + b * vb, vst[0], ish[0], isz);
        else
            nd__copy_nd(m, ish, dst, ist, v + b * vb, vst, isz);
    }
    return 1;
}
