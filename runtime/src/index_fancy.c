/*
 * index_fancy.c - advanced (integer / boolean array) indexing: the plan,
 * the bounds-checked byte offsets, and the gather and scatter loops.
 *
 * Key idea: every advanced entry - an integer array on one axis, a mask on
 * d axes (its nonzero()), a 0-d True - is turned into an array of byte
 * offsets from the subspace origin, bounds-checked and wrapped once. The
 * broadcast index shape B then needs one table, off[b] = sum of the
 * entries' offsets at b, and the result is
 *
 *     result[outer, b, inner] = *(subspace origin + outer + off[b] + inner)
 *
 * where outer/inner are the subspace axes before/after B's position q
 * (q = 0 unless the advanced entries are adjacent, spec 3.4). So there is
 * no per-element index arithmetic, no dtype dispatch in the loops, and a
 * contiguous inner block is one memcpy. A lone short index array keeps its
 * table in the plan (no malloc), and the commonest subscript - one int64
 * array with nothing before it - skips the table altogether
 * (index_direct.c).
 *
 * Error order (spec 3.3): the plan reports INT bounds and zero steps (while
 * the subspace is walked) and then the broadcast mismatch; the offsets
 * report out-of-bounds values array by array, left to right. With an empty
 * B nothing is bounds-checked (NumPy); with a non-empty B every value is,
 * even when the result is empty (the vectors' IndexError).
 *
 * Invariants: f->off holds f->n_b entries (NULL when B is empty), owned
 * unless it is f->small; scatter writes in C order of B, so with repeated
 * indices the last value wins.
 *
 * Does not: cast (values arrive in the target dtype), handle aliasing
 * (setitem.c copies a value that may overlap), or allocate in the loops.
 */
#include "nd_int.h"

#include <stdlib.h>

static bool is_adv(const nd__entry *e)
{
    return e->t == ND__E_ARRAY || e->t == ND__E_MASK || e->t == ND__E_BOOL0;
}

/* Nonzero bytes of a contiguous run, eight at a time: for each byte,
 * ((b & 0x7f) + 0x7f) | b has its high bit set exactly when b != 0 (no
 * carry crosses bytes), and the high bits are summed per byte lane, at most
 * 31 words at a time so that one multiply adds the eight lanes. */
static ptrdiff_t count_run(const char *p, ptrdiff_t n)
{
    const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fu, ones = 0x0101010101010101u;
    ptrdiff_t c = 0, i = 0;
    while (n - i >= 8) {
        uint64_t acc = 0;
        for (int k = 0; k < 31 && n - i >= 8; k++, i += 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            acc += ((((w & lo7) + lo7) | w) >> 7) & ones;
        }
        c += (ptrdiff_t)((acc * ones) >> 56);
    }
    for (; i < n; i++)
        c += p[i] != 0;
    return c;
}

ptrdiff_t nd__count_true(const nd_array *m)
{
    nd__iter it;
    char *ptrs[1] = {m->data};
    const ptrdiff_t *st[1] = {m->strides};
    ptrdiff_t n = 0;
    if (!nd__iter_init(&it, 1, m->ndim, m->shape, ptrs, st))
        return 0;
    do {
        const char *p = it.ptr[0];
        ptrdiff_t s = it.inner[0];
        if (s == 1)
            n += count_run(p, it.n_inner);
        else
            for (ptrdiff_t i = 0; i < it.n_inner; i++)
                n += p[i * s] != 0;
    } while (nd__iter_next(&it));
    return n;
}

/* The index shape of an advanced entry and how many arrays NumPy lists for
 * it in a mismatch message (a d-dim mask is d nonzero() arrays). */
static int entry_shape(const nd__entry *e, ptrdiff_t *shape, int *reps)
{
    *reps = 1;
    if (e->t == ND__E_ARRAY) {
        memcpy(shape, e->arr->shape, (size_t)e->arr->ndim * sizeof *shape);
        return e->arr->ndim;
    }
    if (e->t == ND__E_MASK) {
        *reps = e->arr->ndim;
        shape[0] = nd__count_true(e->arr);
    } else {
        shape[0] = e->i;
    }
    return 1;
}

static int mismatch(const nd__prep *p)
{
    char msg[480], sh[256];
    size_t used = 0;
    msg[0] = '\0';
    for (int i = 0; i < p->n; i++) {
        ptrdiff_t shape[ND_MAXDIMS];
        int reps, nd;
        if (!is_adv(&p->e[i]))
            continue;
        nd = entry_shape(&p->e[i], shape, &reps);
        nd__shape_str(sh, sizeof sh, nd, shape);
        for (int r = 0; r < reps && used < sizeof msg; r++) {
            int k = snprintf(msg + used, sizeof msg - used, "%s ", sh);
            used = k < 0 ? sizeof msg : used + (size_t)k;
        }
    }
    return nd__fail(ND_EINDEX, "shape mismatch: indexing arrays could not be broadcast "
                               "together with shapes %s", msg);
}

int nd__fancy_plan(const nd_array *a, const nd__prep *p, nd__fancy *f)
{
    f->off = NULL;
    if (nd__walk(a, p, &f->base, &f->n_sub, f->sub_shape, f->sub_strides, &f->q) < 0)
        return -1;
    int nb = 0;
    for (int i = 0; i < p->n; i++) {
        ptrdiff_t sh[ND_MAXDIMS];
        int reps;
        if (!is_adv(&p->e[i]))
            continue;
        int nd = entry_shape(&p->e[i], sh, &reps);
        /* right-aligned broadcast of sh into f->bshape */
        if (nd > nb) {
            memmove(f->bshape + (nd - nb), f->bshape, (size_t)nb * sizeof *sh);
            for (int k = 0; k < nd - nb; k++)
                f->bshape[k] = 1;
            nb = nd;
        }
        for (int k = 0; k < nd; k++) {
            ptrdiff_t *b = &f->bshape[nb - nd + k];
            if (*b == 1)
                *b = sh[k];
            else if (sh[k] != 1 && sh[k] != *b)
                return mismatch(p);
        }
    }
    f->nb = nb;
    if (nd__shape_size(nb, f->bshape, &f->n_b) < 0)
        return -1;
    int q = f->q, m = 0;
    for (int k = 0; k < q; k++)
        f->shape[m++] = f->sub_shape[k];
    for (int k = 0; k < nb; k++)
        f->shape[m++] = f->bshape[k];
    for (int k = q; k < f->n_sub; k++)
        f->shape[m++] = f->sub_shape[k];
    f->ndim = m;
    return nd__shape_size(m, f->shape, &f->size);
}

void nd__fancy_free(nd__fancy *f)
{
    if (f->off != f->small)
        free(f->off);
    f->off = NULL;
}

/* ---- offsets ------------------------------------------------------------------ */

int nd__index_out_of_bounds(int64_t v, int axis, ptrdiff_t n)
{
    return nd__fail(ND_EINDEX, "index %lld is out of bounds for axis %d with size %td",
                    (long long)v, axis, n);
}

/* One pass, one predictable branch per value: -n <= v < n exactly when
 * v + n, taken modulo 2**64, is below 2n; the wrap adds n to negatives
 * without a branch. */
#define IDX_LOOP(T)                                                            \
    do {                                                                       \
        uint64_t span_ = 2 * (uint64_t)n;                                      \
        for (ptrdiff_t i = 0; i < cnt; i++) {                                  \
            T raw_;                                                            \
            memcpy(&raw_, src + i * (ptrdiff_t)sizeof(T), sizeof(T));          \
            int64_t v_ = (int64_t)raw_;                                        \
            if ((uint64_t)v_ + (uint64_t)n >= span_)                           \
                return nd__index_out_of_bounds(v_, axis, n);                   \
            out[i] = (v_ + (n & -(int64_t)(v_ < 0))) * s;                      \
        }                                                                      \
    } while (0);                                                               \
    break

/* out[i] = wrapped index value i (C order of the index array) * stride. */
static int array_offsets(const nd_array *x, int axis, ptrdiff_t n, ptrdiff_t s, ptrdiff_t *out)
{
    ptrdiff_t cnt = 0;
    nd__shape_size(x->ndim, x->shape, &cnt);
    if (x->ndim == 0 || nd__is_c_contig(x)) {
        const char *src = x->data;
        switch (x->dt->num) {
        case ND_T_INT8: IDX_LOOP(int8_t);
        case ND_T_INT16: IDX_LOOP(int16_t);
        case ND_T_INT32: IDX_LOOP(int32_t);
        case ND_T_INT64: IDX_LOOP(int64_t);
        case ND_T_UINT8: IDX_LOOP(uint8_t);
        case ND_T_UINT16: IDX_LOOP(uint16_t);
        case ND_T_UINT32: IDX_LOOP(uint32_t);
        case ND_T_UINT64: IDX_LOOP(uint64_t);   /* >= 2**63 wraps negative, as NumPy */
        default: break;
        }
        return 0;
    }
    ptrdiff_t idx[ND_MAXDIMS] = {0}, pos = 0, k = 0;
    const ptrdiff_t *st[1] = {x->strides};
    int nd = x->ndim;
    do {
        ptrdiff_t inner = x->shape[nd - 1], is = x->strides[nd - 1];
        for (ptrdiff_t t = 0; t < inner; t++) {
            int64_t v = nd__load_i64(x->dt, x->data + pos + t * is);
            if (v < -n || v >= n)
                return nd__index_out_of_bounds(v, axis, n);
            out[k++] = (v < 0 ? v + n : v) * s;
        }
    } while (nd__odo_next(nd - 1, x->shape, idx, 1, &pos, st));
    return 0;
}

/* Byte offsets of the true elements of a mask covering a's axes
 * [axis, axis + mask->ndim), in C order (NumPy's nonzero()). */
static void mask_offsets(const nd_array *m, const nd_array *a, int axis, ptrdiff_t *out)
{
    ptrdiff_t idx[ND_MAXDIMS] = {0}, pos[2] = {0, 0}, k = 0;
    const ptrdiff_t *st[2] = {m->strides, a->strides + axis};
    int nd = m->ndim;
    ptrdiff_t inner = m->shape[nd - 1], ms = m->strides[nd - 1], as = a->strides[axis + nd - 1];
    do {
        const char *mp = m->data + pos[0];
        for (ptrdiff_t t = 0; t < inner; t++)
            if (mp[t * ms])
                out[k++] = pos[1] + t * as;
    } while (nd__odo_next(nd - 1, m->shape, idx, 2, pos, st));
}

/* Strides (in entries) of an entry's own table of index shape (nd, shape)
 * seen over B: 0 on the axes it is broadcast along. */
static void own_strides(const nd__fancy *f, int nd, const ptrdiff_t *shape, ptrdiff_t *st)
{
    ptrdiff_t c = 1;
    int nb = f->nb;
    for (int d = nb - 1; d >= 0; d--) {
        int j = d - (nb - nd);
        st[d] = (j < 0 || shape[j] == 1) ? 0 : c;
        if (j >= 0)
            c *= shape[j];
    }
}

/* tab[b] = (first) or += (later) own[broadcast position of b] over B. The
 * innermost B axis is either broadcast for this entry (one value along the
 * run) or its own contiguous axis; both get their own loop. */
static void add_broadcast(const nd__fancy *f, const ptrdiff_t *own, const ptrdiff_t *st,
                          ptrdiff_t *tab, bool first)
{
    int nb = f->nb;
    ptrdiff_t idx[ND_MAXDIMS] = {0}, pos = 0, b = 0;
    const ptrdiff_t *sp[1] = {st};
    ptrdiff_t inner = f->bshape[nb - 1], is = st[nb - 1];
    do {
        const ptrdiff_t *src = own + pos;
        ptrdiff_t *dst = tab + b;
        if (is == 0 && first)
            for (ptrdiff_t t = 0; t < inner; t++)
                dst[t] = src[0];
        else if (is == 0)
            for (ptrdiff_t t = 0; t < inner; t++)
                dst[t] += src[0];
        else if (first)
            memcpy(dst, src, (size_t)inner * sizeof *dst);
        else
            for (ptrdiff_t t = 0; t < inner; t++)
                dst[t] += src[t];
        b += inner;
    } while (nd__odo_next(nb - 1, f->bshape, idx, 1, &pos, sp));
}

/* The combined table of the entries' own tables over B. Two index arrays
 * that form an outer product - a column and a row, np.ix_()'s pattern -
 * are summed in one pass, row by row. */
static void combine(const nd__fancy *f, const nd__prep *p, ptrdiff_t *const *own, int n_own,
                    ptrdiff_t *tab)
{
    ptrdiff_t st[ND_MAX_ITEMS + 1][ND_MAXDIMS];
    for (int i = 0, j = 0; i < p->n; i++) {
        ptrdiff_t sh[ND_MAXDIMS];
        int reps;
        if (!is_adv(&p->e[i]))
            continue;
        int nd = entry_shape(&p->e[i], sh, &reps);
        own_strides(f, nd, sh, st[j++]);
    }
    if (n_own == 2 && f->nb == 2 && st[0][0] == 1 && st[0][1] == 0 && st[1][0] == 0 &&
        st[1][1] == 1) {
        ptrdiff_t rows = f->bshape[0], cols = f->bshape[1];
        for (ptrdiff_t r = 0; r < rows; r++)
            for (ptrdiff_t c = 0; c < cols; c++)
                tab[r * cols + c] = own[0][r] + own[1][c];
        return;
    }
    for (int j = 0; j < n_own; j++)
        add_broadcast(f, own[j], st[j], tab, j == 0);
}

int nd__fancy_offsets(const nd_array *a, const nd__prep *p, nd__fancy *f)
{
    int n_adv = 0, rc = -1, total_adv = 0;
    ptrdiff_t *own[ND_MAX_ITEMS + 1];
    ptrdiff_t *tab = NULL;
    if (f->n_b == 0)
        return 0;               /* NumPy checks no bounds for an empty B */
    for (int i = 0; i < p->n; i++)
        total_adv += is_adv(&p->e[i]);
    for (int i = 0; i < p->n; i++) {
        const nd__entry *e = &p->e[i];
        ptrdiff_t sh[ND_MAXDIMS], cnt;
        int reps;
        if (!is_adv(e))
            continue;
        int nd = entry_shape(e, sh, &reps);
        nd__shape_size(nd, sh, &cnt);
        /* A lone small index array needs no allocation at all. */
        bool small = total_adv == 1 && cnt <= ND__FANCY_SMALL;
        ptrdiff_t *buf = small ? f->small : malloc((size_t)(cnt ? cnt : 1) * sizeof *buf);
        if (!buf) {
            nd__fail(ND_ENOMEM, "Unable to allocate index offsets");
            goto out;
        }
        own[n_adv++] = buf;
        if (e->t == ND__E_ARRAY) {
            int k = e->axis;
            if (array_offsets(e->arr, k, a->shape[k], a->strides[k], buf) < 0)
                goto out;
        } else if (e->t == ND__E_MASK) {
            mask_offsets(e->arr, a, e->axis, buf);
        } else {
            buf[0] = 0;         /* True: the new length-1 axis adds nothing */
        }
    }
    if (n_adv == 1) {
        f->off = own[0];        /* its shape is B */
        n_adv = 0;
        return 0;
    }
    tab = malloc((size_t)f->n_b * sizeof *tab);
    if (!tab) {
        nd__fail(ND_ENOMEM, "Unable to allocate index offsets");
        goto out;
    }
    combine(f, p, own, n_adv, tab);
    f->off = tab;
    rc = 0;
out:
    for (int i = 0; i < n_adv; i++)
        if (own[i] != f->small)
            free(own[i]);
    return rc;
}

/* ---- gather / scatter ------------------------------------------------------------ */

#define GATHER(T)                                                              \
    for (ptrdiff_t b = 0; b < n; b++) {                                        \
        T v_;                                                                  \
        memcpy(&v_, base + off[b], sizeof(T));                                 \
        memcpy(out + b * (ptrdiff_t)sizeof(T), &v_, sizeof(T));                \
    }                                                                          \
    break

static void gather_elems(char *out, const char *base, const ptrdiff_t *off, ptrdiff_t n,
                         size_t isz)
{
    switch (isz) {
    case 1: GATHER(uint8_t);
    case 2: GATHER(uint16_t);
    case 4: GATHER(uint32_t);
    case 8: GATHER(uint64_t);
    default:
        for (ptrdiff_t b = 0; b < n; b++)
            memcpy(out + b * (ptrdiff_t)isz, base + off[b], isz);
    }
}

#define SCATTER(T)                                                             \
    do {                                                                       \
        T v_;                                                                  \
        if (vb == 0) {                                                         \
            memcpy(&v_, v, sizeof(T));                                         \
            for (ptrdiff_t b = 0; b < n; b++)                                  \
                memcpy(base + off[b], &v_, sizeof(T));                         \
        } else {                                                               \
            for (ptrdiff_t b = 0; b < n; b++) {                                \
                memcpy(&v_, v + b * vb, sizeof(T));                            \
                memcpy(base + off[b], &v_, sizeof(T));                         \
            }                                                                  \
        }                                                                      \
    } while (0);                                                               \
    break

static void scatter_elems(char *base, const ptrdiff_t *off, ptrdiff_t n, const char *v,
                          ptrdiff_t vb, size_t isz)
{
    switch (isz) {
    case 1: SCATTER(uint8_t);
    case 2: SCATTER(uint16_t);
    case 4: SCATTER(uint32_t);
    case 8: SCATTER(uint64_t);
    default:
        for (ptrdiff_t b = 0; b < n; b++)
            memcpy(base + off[b], v + b * vb, isz);
    }
}

int nd__fancy_inner_axes(const nd__fancy *f, const ptrdiff_t *other, ptrdiff_t *shape,
                      ptrdiff_t *sub_st, ptrdiff_t *other_st)
{
    int ni = f->n_sub - f->q;
    ptrdiff_t *sts[2] = {sub_st, other_st};
    for (int k = 0; k < ni; k++) {
        shape[k] = f->sub_shape[f->q + k];
        sub_st[k] = f->sub_strides[f->q + k];
        other_st[k] = other[k];
    }
    return nd__merge_axes(ni, shape, 2, sts);
}

void nd__fancy_gather(const nd__fancy *f, size_t isz, char *out)
{
    ptrdiff_t ish[ND_MAXDIMS], ist[ND_MAXDIMS], ost[ND_MAXDIMS], cst[ND_MAXDIMS];
    if (f->size == 0)
        return;
    int ni = f->n_sub - f->q;
    ptrdiff_t blk = (ptrdiff_t)isz;
    for (int k = ni - 1; k >= 0; k--) {     /* C strides of the output block */
        cst[k] = blk;
        blk *= f->sub_shape[f->q + k];
    }
    int m = nd__fancy_inner_axes(f, cst, ish, ist, ost);
    ptrdiff_t idx[ND_MAXDIMS] = {0}, po = 0;
    const ptrdiff_t *sp[1] = {f->sub_strides};
    const ptrdiff_t *off = f->off;
    ptrdiff_t n = f->n_b;
    do {
        const char *base = f->base + po;
        if (m == 0)
            gather_elems(out, base, off, n, isz);
        else if (m == 1 && ist[0] == (ptrdiff_t)isz)
            for (ptrdiff_t b = 0; b < n; b++)
                memcpy(out + b * blk, base + off[b], (size_t)blk);
        else if (m == 1)
            for (ptrdiff_t b = 0; b < n; b++)
                nd__copy_run(out + b * blk, ost[0], base + off[b], ist[0], ish[0], isz);
        else
            for (ptrdiff_t b = 0; b < n; b++)
                nd__copy_nd(m, ish, out + b * blk, ost, base + off[b], ist, isz);
        out += n * blk;
    } while (nd__odo_next(f->q, f->sub_shape, idx, 1, &po, sp));
}

bool nd__fancy_flat_value(const nd__fancy *f, const ptrdiff_t *vstrides, ptrdiff_t *vb)
{
    const ptrdiff_t *st = vstrides + f->q;
    bool first = true;
    ptrdiff_t expect = 0;
    *vb = 0;
    for (int k = f->nb - 1; k >= 0; k--) {
        if (f->bshape[k] == 1)
            continue;
        if (first)
            *vb = st[k];
        else if (st[k] != expect)
            return false;
        first = false;
        expect = st[k] * f->bshape[k];
    }
    return true;
}

void nd__fancy_scatter(const nd__fancy *f, size_t isz, const char *vdata,
                       const ptrdiff_t *vstrides)
{
    ptrdiff_t ish[ND_MAXDIMS], ist[ND_MAXDIMS], vst[ND_MAXDIMS], vb;
    if (f->size == 0)
        return;
    bool flat = nd__fancy_flat_value(f, vstrides, &vb);
    ND_ASSERT(flat);
    (void)flat;
    int m = nd__fancy_inner_axes(f, vstrides + f->q + f->nb, ish, ist, vst);
    ptrdiff_t idx[ND_MAXDIMS] = {0}, pos[2] = {0, 0};
    const ptrdiff_t *sp[2] = {f->sub_strides, vstrides};
    const ptrdiff_t *off = f->off;
    ptrdiff_t n = f->n_b;
    do {
        char *base = f->base + pos[0];
        const char *v = vdata + pos[1];
        if (m == 0)
            scatter_elems(base, off, n, v, vb, isz);
        else if (m == 1)
            for (ptrdiff_t b = 0; b < n; b++)
                nd__copy_run(base + off[b], ist[0], v + b * vb, vst[0], ish[0], isz);
        else
            for (ptrdiff_t b = 0; b < n; b++)
                nd__copy_nd(m, ish, base + off[b], ist, v + b * vb, vst, isz);
    } while (nd__odo_next(f->q, f->sub_shape, idx, 2, pos, sp));
}
