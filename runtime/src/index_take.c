/*
 * index_take.c - np.take, np.compress and a[np.ix_(...)]: the functional
 * forms of advanced indexing.
 *
 * Key idea: each is an advanced subscript built directly as prepared
 * entries and run through the same plan / offsets / gather as a[idx]:
 *  - take(a, ind, axis)   == a[:, ..., :, ind] with `axis` full slices
 *    before it (adjacent, so the index axes land at `axis`), mode 'raise';
 *    a 0-d ind still goes through the array path, so the result is a copy;
 *  - compress(cond, a, axis) == take(a, nonzero(cond), axis);
 *  - ix(lists) == a[l0.reshape(-1,1,..), l1.reshape(1,-1,..), ...], with
 *    boolean lists replaced by their nonzero() (numpy/lib/index_tricks.py).
 *
 * Invariants: results are fresh C-contiguous arrays (ix with no lists is
 * a[()], copied: the contract promises a copy).
 *
 * Does not: implement take's 'wrap' / 'clip' modes or axis=None.
 */
#include "nd_int.h"

#include <stdlib.h>

/* Integer positions of the true elements of a 1-d array (NumPy truthiness). */
static nd_array *nonzero_1d(const nd_array *c)
{
    ptrdiff_t n = 0, len = c->shape[0];
    for (ptrdiff_t i = 0; i < len; i++)
        n += nd__load_f64(c->dt, c->data + i * c->strides[0]) != 0;
    nd_array *r = nd__alloc(ND_INT64, 1, &n, false);
    if (!r)
        return NULL;
    int64_t *out = (int64_t *)r->data;
    for (ptrdiff_t i = 0, k = 0; i < len; i++)
        if (nd__load_f64(c->dt, c->data + i * c->strides[0]) != 0)
            out[k++] = i;
    return r;
}

static nd_array *take_int(const nd_array *a, const nd_array *ind, int axis)
{
    nd__prep p;
    p.n = 0;
    p.fancy = true;
    p.scalar = p.bool_full = p.copy0d = false;
    p.mask = NULL;
    for (int k = 0; k < axis; k++)
        p.e[p.n++] = (nd__entry){.t = ND__E_SLICE, .start = ND_END, .stop = ND_END,
                                 .step = ND_END, .axis = k, .width = 1};
    p.e[p.n++] = (nd__entry){.t = ND__E_ARRAY, .arr = ind, .axis = axis, .width = 1};
    p.e[p.n++] = (nd__entry){.t = ND__E_ELLIPSIS, .axis = axis + 1,
                             .width = a->ndim - axis - 1, .implicit = true};
    if (a->ndim - 1 + ind->ndim > ND_MAXDIMS) {
        nd__fail(ND_EINDEX, "number of dimensions must be within [0, %d], indexing result "
                            "would have %d", ND_MAXDIMS, a->ndim - 1 + ind->ndim);
        return NULL;
    }
    ptrdiff_t n_ind;
    if (nd__shape_size(ind->ndim, ind->shape, &n_ind) < 0)
        return NULL;
    if (a->shape[axis] == 0 && n_ind > 0) {
        nd__fail(ND_EINDEX, "cannot do a non-empty take from an empty axes.");
        return NULL;
    }
    return nd__fancy_get(a, &p);
}

nd_array *nd_take(const nd_array *a, const nd_array *indices, int axis)
{
    if (!a || !indices) {
        nd__null_arg();
        return NULL;
    }
    if ((axis = nd__norm_axis(axis, a->ndim)) < 0)
        return NULL;
    if (indices->dt->kind == ND_DK_INT ||
        (indices->dt->kind == ND_DK_UINT && indices->dt->num != ND_T_UINT64))
        return take_int(a, indices, axis);
    if (indices->dt->kind == ND_DK_RECORD) {
        nd__fail(ND_ETYPE, "Cannot cast array data from a record dtype to int64 according "
                           "to the rule 'same_kind'");
        return NULL;
    }
    /* NumPy casts indices to intp with casting='safe': floats and uint64
     * are a TypeError even when every value is integral and in range */
    if (indices->dt->kind == ND_DK_FLOAT || indices->dt->num == ND_T_UINT64) {
        nd__fail(ND_ETYPE, "Cannot cast array data from dtype('%s') to dtype('int64') "
                           "according to the rule 'safe'", indices->dt->name);
        return NULL;
    }
    /* bool indices are cast to intp first, as NumPy does */
    nd_array *ind = nd__alloc(ND_INT64, indices->ndim, indices->shape, false);
    if (!ind)
        return NULL;
    nd__copy_strided(ind, indices->dt, indices->data, indices->strides);
    nd_array *r = take_int(a, ind, axis);
    nd_free(ind);
    return r;
}

nd_array *nd_compress(const nd_array *a, const nd_array *mask, int axis)
{
    if (!a || !mask) {
        nd__null_arg();
        return NULL;
    }
    if (mask->ndim != 1 || mask->dt->kind == ND_DK_RECORD) {
        nd__fail(ND_EVALUE, "condition must be a 1-d array");
        return NULL;
    }
    if ((axis = nd__norm_axis(axis, a->ndim)) < 0)
        return NULL;
    nd_array *ind = nonzero_1d(mask);
    if (!ind)
        return NULL;
    nd_array *r = take_int(a, ind, axis);
    nd_free(ind);
    return r;
}

nd_array *nd_get_ix(const nd_array *a, int n, const nd_array *const *lists)
{
    struct nd_index items[ND_MAX_ITEMS];
    nd_array *made[ND_MAX_ITEMS];
    nd_array *r = NULL;
    int n_made = 0;
    if (!a || (n > 0 && !lists)) {
        nd__null_arg();
        return NULL;
    }
    if (n < 0 || n > ND_MAX_ITEMS) {
        nd__fail(ND_EINDEX, "too many indices for array");
        return NULL;
    }
    for (int k = 0; k < n; k++) {
        const nd_array *l = lists[k];
        if (!l) {
            nd__null_arg();
            goto out;
        }
        if (l->ndim != 1) {
            nd__fail(ND_EVALUE, "Cross index must be 1 dimensional");
            goto out;
        }
        nd_array *nz = NULL;
        if (l->dt->kind == ND_DK_BOOL) {
            if (!(nz = nonzero_1d(l)))
                goto out;
            l = nz;
        }
        ptrdiff_t shape[ND_MAX_ITEMS], strides[ND_MAX_ITEMS];
        for (int j = 0; j < n; j++) {
            shape[j] = j == k ? l->shape[0] : 1;
            strides[j] = j == k ? l->strides[0] : 0;
        }
        nd_array *v = nd__view(l, l->dt, n, shape, strides, l->data);
        nd_free(nz);
        if (!v)
            goto out;
        made[n_made++] = v;
        items[k] = ND_ARRAY(v);
    }
    if (n) {
        r = nd_get_items(a, n, items);
    } else if ((r = nd_get_items(a, 0, NULL)) && r->base) {
        nd_array *c = nd__copy_c(r);      /* ix_() is a[()]: still a copy */
        nd_free(r);
        r = c;
    }
out:
    for (int k = 0; k < n_made; k++)
        nd_free(made[k]);
    return r;
}
