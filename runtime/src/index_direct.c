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
 *  - The loops are specialised by the size of the block one index value
 *    selects (an element, or a short contiguous row), so that moving it is
 *    a register load and store rather than a memcpy call.
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

/* What one index value selects: a block of blk bytes at base + v * s. The
 * loops below are specialised by block size, so that a block of a known
 * size moves with one or two register loads and stores instead of a call:
 * a single element (1, 2, 4, 8 bytes) and the short rows of small 2-d
 * arrays (16, 24, 32 bytes: a[I] on shape (n, 2), (n, 3), (n, 4) float64),
 * other sizes through memcpy. A block is contiguous in the source and the
 * output; anything else takes the general per-row copy. */
#define FIXED_BLOCKS(X)                                                        \
    X(1) X(2) X(4) X(8) X(16) X(24) X(32)

/* v = the b-th index value, wrapped once if negative; returns the
 * IndexError from the enclosing function when it is out of bounds. */
#define LOAD_INDEX(v, b)                                                       \
    do {                                                                       \
        memcpy(&(v), idx + (b) * 8, 8);                                        \
        if ((uint64_t)(v) >= (uint64_t)n) {                                    \
            if ((v) >= 0 || (v) < -n)                                          \
                return nd__index_out_of_bounds((v), axis, n);                  \
            (v) += n;                                                          \
        }                                                                      \
    } while (0)

/* Reads check as they go, with one rarely taken branch per value: a value
 * in [0, n) is used as is; anything else is either a negative index (wrap)
 * or the error. */
#define GATHER_BODY(N)                                                         \
    do {                                                                       \
        int64_t v_;                                                            \
        LOAD_INDEX(v_, b);                                                     \
        memcpy(out + b * (ptrdiff_t)(N), base + v_ * s, (N));                  \
    } while (0)

/* Random gathers from an array larger than the caches are bound by cache
 * misses: there the block PREFETCH positions ahead is requested early (a
 * prefetch never faults, so the unchecked value is harmless; the address is
 * formed in unsigned arithmetic). The distance sets how many misses are in
 * flight at once: taking 1M random float64 of 10M took 7 ms 16 ahead,
 * 4.5 ms 64 ahead and 3.5 ms 128 ahead (no gain beyond). For short or
 * cache-sized gathers the extra work costs more than it saves, so that
 * loop stays plain. */
#define PREFETCH 128
#define PREFETCH_MIN_BYTES ((ptrdiff_t)8 << 20)

#define GATHER_FAR(N)                                                          \
    do {                                                                       \
        ptrdiff_t b = 0;                                                       \
        for (; b + PREFETCH < nb; b++) {                                       \
            int64_t w_;                                                        \
            memcpy(&w_, idx + (b + PREFETCH) * 8, 8);                          \
            __builtin_prefetch(                                                \
                (const void *)((uintptr_t)base + (uint64_t)w_ * (uint64_t)s)); \
            GATHER_BODY(N);                                                    \
        }                                                                      \
        for (; b < nb; b++)                                                    \
            GATHER_BODY(N);                                                    \
    } while (0)

#define GATHER_CASE(N)                                                         \
    case N:                                                                    \
        if (far)                                                               \
            GATHER_FAR(N);                                                     \
        else                                                                   \
            for (ptrdiff_t b = 0; b < nb; b++)                                 \
                GATHER_BODY(N);                                                \
        return 0;

/* out[b] = the block of index value b, for all nb values in order. */
static int gather_blocks(const char *idx, ptrdiff_t nb, const char *base, ptrdiff_t n,
                         ptrdiff_t s, int axis, size_t blk, char *out)
{
    ptrdiff_t span_bytes = n * (s < 0 ? -s : s);
    bool far = nb >= 4096 && span_bytes >= PREFETCH_MIN_BYTES;
    switch (blk) {
    FIXED_BLOCKS(GATHER_CASE)
    default:
        if (far)
            GATHER_FAR(blk);
        else
            for (ptrdiff_t b = 0; b < nb; b++)
                GATHER_BODY(blk);
        return 0;
    }
}

/* Rows of len elements, strided in the source (a[I] on a strided view):
 * the row loop is inlined for the element sizes, as it runs once per
 * index value. Each source element usually sits on its own cache line
 * here, so the loop is bound by memory, not by its instructions (pairing
 * the loads or prefetching the next row measured no better). */
#define STRIDED_ROWS(T)                                                        \
    for (ptrdiff_t b = 0; b < nb; b++) {                                       \
        int64_t v_;                                                            \
        LOAD_INDEX(v_, b);                                                     \
        const char *src_ = base + v_ * s;                                      \
        char *dst_ = out + b * blk;                                            \
        for (ptrdiff_t k = 0; k < len; k++, src_ += step) {                    \
            T x_;                                                              \
            memcpy(&x_, src_, sizeof(T));                                      \
            memcpy(dst_ + k * (ptrdiff_t)sizeof(T), &x_, sizeof(T));           \
        }                                                                      \
    }                                                                          \
    return 1

int nd__fancy_gather_direct(const nd_array *a, const nd__prep *p, const nd__fancy *f,
                            size_t isz, char *out)
{
    ptrdiff_t ish[ND_MAXDIMS], ist[ND_MAXDIMS], ost[ND_MAXDIMS], cst[ND_MAXDIMS];
    const nd__entry *e = direct_entry(p, f);
    if (!e)
        return 0;
    int axis = e->axis;
    ptrdiff_t n = a->shape[axis], s = a->strides[axis], nb = f->n_b;
    const char *idx = e->arr->data, *base = f->base;
    int ni = f->n_sub;
    ptrdiff_t blk = (ptrdiff_t)isz;
    for (int k = ni - 1; k >= 0; k--) {
        cst[k] = blk;
        blk *= f->sub_shape[k];
    }
    int m = nd__fancy_inner_axes(f, cst, ish, ist, ost);
    if (m == 0 || (m == 1 && ist[0] == (ptrdiff_t)isz))
        return gather_blocks(idx, nb, base, n, s, axis, (size_t)blk, out) < 0 ? -1 : 1;
    if (m == 1) {
        /* Locals, not ish[0] / ist[0]: stores through char pointers could
         * alias those arrays, which would reload them per element. */
        ptrdiff_t len = ish[0], step = ist[0];
        switch (isz) {
        case 1: STRIDED_ROWS(uint8_t);
        case 2: STRIDED_ROWS(uint16_t);
        case 4: STRIDED_ROWS(uint32_t);
        case 8: STRIDED_ROWS(uint64_t);
        default: break;
        }
    }
    for (ptrdiff_t b = 0; b < nb; b++) {
        int64_t v;
        memcpy(&v, idx + b * 8, 8);
        if ((uint64_t)v >= (uint64_t)n) {
            if (v >= 0 || v < -n)
                return nd__index_out_of_bounds(v, axis, n);
            v += n;
        }
        const char *src = base + v * s;
        char *dst = out + b * blk;
        if (m == 1)
            nd__copy_run(dst, ost[0], src, ist[0], ish[0], isz);
        else
            nd__copy_nd(m, ish, dst, ost, src, ist, isz);
    }
    return 1;
}

/* Validates a lone int64 index array before any write; 1 when some value
 * is negative (and so must be wrapped), 0 when all are in [0, n), -1 on
 * an out-of-range value. The common case is one OR over the values: v is
 * in [0, n) exactly when the sign bits of v and of ~(v - n) are both clear
 * (v - n cannot overflow for v >= 0), plain 64-bit arithmetic that the
 * compiler vectorises. Only when it fails is every value tested exactly,
 * in order, for NumPy's message. */
static int check_direct(const char *idx, ptrdiff_t nb, ptrdiff_t n, int axis)
{
    uint64_t bits = 0;
    for (ptrdiff_t b = 0; b < nb; b++) {
        int64_t v;
        memcpy(&v, idx + b * 8, 8);
        bits |= (uint64_t)v | ~((uint64_t)v - (uint64_t)n);
    }
    if (!(bits >> 63))
        return 0;
    uint64_t span = 2 * (uint64_t)n;
    for (ptrdiff_t b = 0; b < nb; b++) {
        int64_t v;
        memcpy(&v, idx + b * 8, 8);
        if ((uint64_t)v + (uint64_t)n >= span)
            return nd__index_out_of_bounds(v, axis, n);
    }
    return 1;
}

/* The block of value b goes to index value b's place (values checked
 * already). Three loops per block size: negatives present (wrap without a
 * branch), a value block per index (src advances by vb), and one value
 * block for all, held in registers: the compiler cannot keep it there by
 * itself, since every store might alias src. */
#define SCATTER_LOOP(N, POS, SRC)                                              \
    for (ptrdiff_t b = 0; b < nb; b++) {                                       \
        int64_t i_;                                                            \
        memcpy(&i_, idx + b * 8, 8);                                           \
        memcpy(base + (POS) * s, (SRC), (N));                                  \
    }
#define SCATTER_CASE(N)                                                        \
    case N:                                                                    \
        if (wrap) {                                                            \
            SCATTER_LOOP(N, i_ + (n & -(int64_t)(i_ < 0)), src + b * vb)       \
        } else if (vb) {                                                       \
            SCATTER_LOOP(N, i_, src + b * vb)                                  \
        } else {                                                               \
            unsigned char x_[N];                                               \
            memcpy(x_, src, N);                                                \
            SCATTER_LOOP(N, i_, x_)                                            \
        }                                                                      \
        return;

static void scatter_blocks(const char *idx, ptrdiff_t nb, char *base, ptrdiff_t n,
                           ptrdiff_t s, bool wrap, size_t blk, const char *src, ptrdiff_t vb)
{
    switch (blk) {
    FIXED_BLOCKS(SCATTER_CASE)
    default:
        SCATTER_LOOP(blk, i_ + (n & -(int64_t)(i_ < 0)), src + b * vb)
    }
}

/* Largest block that a broadcast scalar is first replicated into, so that
 * a[I] = x on short rows is a block scatter too. */
#define PATTERN_MAX 256

int nd__fancy_scatter_direct(const nd_array *a, const nd__prep *p, const nd__fancy *f,
                             size_t isz, const char *vdata, const ptrdiff_t *vstrides)
{
    ptrdiff_t ish[ND_MAXDIMS], ist[ND_MAXDIMS], vst[ND_MAXDIMS], vb;
    char pattern[PATTERN_MAX];
    const nd__entry *e = direct_entry(p, f);
    if (!e || !nd__fancy_flat_value(f, vstrides, &vb))
        return 0;
    int axis = e->axis;
    ptrdiff_t n = a->shape[axis], s = a->strides[axis], nb = f->n_b;
    const char *idx = e->arr->data, *v = vdata;
    char *base = f->base;
    int wrap = check_direct(idx, nb, n, axis);
    if (wrap < 0)
        return -1;
    int m = nd__fancy_inner_axes(f, vstrides + f->nb, ish, ist, vst);
    bool dense = m == 0 || (m == 1 && ist[0] == (ptrdiff_t)isz);
    size_t blk = m == 0 ? isz : (size_t)ish[0] * isz;
    if (dense && (m == 0 || vst[0] == (ptrdiff_t)isz)) {
        scatter_blocks(idx, nb, base, n, s, wrap, blk, v, vb);
        return 1;
    }
    if (dense && vst[0] == 0 && vb == 0 && blk <= PATTERN_MAX) {
        /* One element everywhere: replicate it into one block first. */
        for (size_t k = 0; k < blk; k += isz)
            memcpy(pattern + k, v, isz);
        scatter_blocks(idx, nb, base, n, s, wrap, blk, pattern, 0);
        return 1;
    }
    for (ptrdiff_t b = 0; b < nb; b++) {
        int64_t i;
        memcpy(&i, idx + b * 8, 8);
        char *dst = base + (i + (n & -(int64_t)(i < 0))) * s;
        if (m == 1)
            nd__copy_run(dst, ist[0], v + b * vb, vst[0], ish[0], isz);
        else
            nd__copy_nd(m, ish, dst, ist, v + b * vb, vst, isz);
    }
    return 1;
}
