/*
 * view.c - shape functions: views that rearrange strides (transpose,
 * permute, swapaxes, flip, squeeze, expand_dims, broadcast_to, diagonal),
 * reshape/ravel (a view when NumPy makes one, else a copy), and the
 * always-copy functions (copy, flatten, astype).
 *
 * Key ideas:
 *  - A view is only new (shape, strides, data pointer) over the parent's
 *    owner: nd__view collapses the base chain and copies WRITEABLE.
 *  - nd_reshape follows NumPy's PyArray_Newshape exactly: the same shape
 *    (as written, before -1 is resolved) is a view with the old strides; a C-contiguous array gets fresh C
 *    strides; otherwise the no-copy algorithm of spec section 9 (group
 *    old and new axes into blocks of equal product, each old block must
 *    be chained) decides, and when it fails the data are copied to a
 *    private C-contiguous temporary and the result is a view of that
 *    temporary - so, as in NumPy, a.T.reshape(-1) has a base but does not
 *    own its data.
 *  - nd_ravel is stricter: a view only when the array is C-contiguous
 *    (flag rules), else a new owned copy (NumPy's PyArray_Flatten).
 *
 * Invariants: every result satisfies nd_int.h's invariant 3 because each
 * function only permutes, drops, negates or recombines existing strides
 * over exactly the elements of the parent.
 *
 * Does not: implement subscripts (index_eval.c) or multi-field views.
 * nd_squeeze always makes a new view, even where NumPy returns the same
 * object (no length-1 axis): the contract promises views, and a separate
 * object keeps flag changes on the result from reaching the argument.
 */
#include "nd_int.h"

#include <stdio.h>
#include <stdlib.h>

static nd_array *same_view(const nd_array *a, int ndim, const ptrdiff_t *shape,
                           const ptrdiff_t *strides, char *data)
{
    return nd__view(a, a->dt, ndim, shape, strides, data);
}

nd_array *nd_view(const nd_array *a)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    return same_view(a, a->ndim, a->shape, a->strides, a->data);
}

nd_array *nd_permute(const nd_array *a, const int *axes)
{
    ptrdiff_t shape[ND_MAXDIMS], strides[ND_MAXDIMS];
    bool seen[ND_MAXDIMS] = {false};
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    for (int i = 0; i < a->ndim; i++) {
        int ax = axes ? nd__norm_axis(axes[i], a->ndim) : a->ndim - 1 - i;
        if (ax < 0)
            return NULL;
        if (seen[ax]) {
            nd__fail(ND_EVALUE, "repeated axis in transpose");
            return NULL;
        }
        seen[ax] = true;
        shape[i] = a->shape[ax];
        strides[i] = a->strides[ax];
    }
    return same_view(a, a->ndim, shape, strides, a->data);
}

nd_array *nd_transpose(const nd_array *a) { return nd_permute(a, NULL); }

nd_array *nd_swapaxes(const nd_array *a, int i, int j)
{
    int axes[ND_MAXDIMS];
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if ((i = nd__norm_axis(i, a->ndim)) < 0 || (j = nd__norm_axis(j, a->ndim)) < 0)
        return NULL;
    for (int k = 0; k < a->ndim; k++)
        axes[k] = k;
    axes[i] = j;
    axes[j] = i;
    return nd_permute(a, axes);
}

nd_array *nd_flip(const nd_array *a, int axis)
{
    ptrdiff_t strides[ND_MAXDIMS];
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if ((axis = nd__norm_axis(axis, a->ndim)) < 0)
        return NULL;
    char *data = a->data;
    if (a->ndim)
        memcpy(strides, a->strides, (size_t)a->ndim * sizeof *strides);
    if (a->shape[axis] > 0)
        data += (a->shape[axis] - 1) * a->strides[axis];
    strides[axis] = -strides[axis];
    return same_view(a, a->ndim, a->shape, strides, data);
}

nd_array *nd_squeeze(const nd_array *a)
{
    ptrdiff_t shape[ND_MAXDIMS], strides[ND_MAXDIMS];
    int n = 0;
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] != 1) {
            shape[n] = a->shape[i];
            strides[n++] = a->strides[i];
        }
    return same_view(a, n, shape, strides, a->data);
}

nd_array *nd_expand_dims(const nd_array *a, int axis)
{
    ptrdiff_t shape[ND_MAXDIMS], strides[ND_MAXDIMS];
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    int n = a->ndim + 1;
    if (n > ND_MAXDIMS) {
        nd__fail(ND_EVALUE, "maximum supported dimension for an ndarray is %d, found %d",
                 ND_MAXDIMS, n);
        return NULL;
    }
    if ((axis = nd__norm_axis(axis, n)) < 0)
        return NULL;
    for (int i = 0, k = 0; i < n; i++) {
        if (i == axis) {
            /* Any stride is valid on a length-1 axis; NumPy (via reshape)
             * uses the following axis' extent, or the itemsize at the end. */
            shape[i] = 1;
            strides[i] = k < a->ndim ? a->strides[k] * (a->shape[k] ? a->shape[k] : 1)
                                     : (ptrdiff_t)a->dt->itemsize;
        } else {
            shape[i] = a->shape[k];
            strides[i] = a->strides[k];
            k++;
        }
    }
    return same_view(a, n, shape, strides, a->data);
}

nd_array *nd_broadcast_to(const nd_array *a, int ndim, const ptrdiff_t *shape)
{
    ptrdiff_t strides[ND_MAXDIMS], n;
    char s1[256], s2[256];
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (ndim < 0 || ndim > ND_MAXDIMS || (ndim > 0 && !shape)) {
        nd__fail(ND_EVALUE, "invalid broadcast shape");
        return NULL;
    }
    for (int i = 0; i < ndim; i++)
        if (shape[i] < 0) {
            nd__fail(ND_EVALUE, "all elements of broadcast shape must be non-negative");
            return NULL;
        }
    if (nd__shape_size(ndim, shape, &n) < 0)
        return NULL;
    if (ndim == 0 && a->ndim > 0) {
        nd__fail(ND_EVALUE, "cannot broadcast a non-scalar to a scalar array");
        return NULL;
    }
    if (nd__broadcast_strides(a, ndim, shape, strides) < 0) {
        nd__fail(ND_EVALUE,
                 "operands could not be broadcast together with remapped shapes "
                 "[original->remapped]: %s  and requested shape %s",
                 nd__shape_str(s1, sizeof s1, a->ndim, a->shape),
                 nd__shape_str(s2, sizeof s2, ndim, shape));
        return NULL;
    }
    nd_array *v = same_view(a, ndim, shape, strides, a->data);
    if (v)
        v->writeable = false;
    return v;
}

nd_array *nd_diagonal(const nd_array *a)
{
    ptrdiff_t shape[ND_MAXDIMS], strides[ND_MAXDIMS];
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (a->ndim < 2) {
        nd__fail(ND_EVALUE, "diag requires an array of at least two dimensions");
        return NULL;
    }
    /* Offset 0 over axes 0 and 1; the remaining axes keep their order and
     * the diagonal axis goes last (spec section 9). */
    int n = 0;
    for (int i = 2; i < a->ndim; i++) {
        shape[n] = a->shape[i];
        strides[n++] = a->strides[i];
    }
    shape[n] = a->shape[0] < a->shape[1] ? a->shape[0] : a->shape[1];
    strides[n++] = a->strides[0] + a->strides[1];
    nd_array *v = same_view(a, n, shape, strides, a->data);
    if (v)
        v->writeable = false;
    return v;
}

/* ---- reshape ------------------------------------------------------------ */

/* NumPy's convert_shape_to_string for a requested shape: leading unknown
 * (negative) entries are dropped, later ones print as "newaxis". */
static const char *request_str(char *buf, size_t n, int ndim, const ptrdiff_t *req)
{
    int i = 0, used;
    while (i < ndim && req[i] < 0)
        i++;
    if (i == ndim) {
        snprintf(buf, n, "()");
        return buf;
    }
    used = snprintf(buf, n, "(%td", req[i++]);
    for (; i < ndim && used > 0 && (size_t)used < n; i++)
        used += req[i] < 0 ? snprintf(buf + used, n - (size_t)used, ",newaxis")
                           : snprintf(buf + used, n - (size_t)used, ",%td", req[i]);
    if (used > 0 && (size_t)used < n)
        snprintf(buf + used, n - (size_t)used, ndim == 1 ? ",)" : ")");
    return buf;
}

/* Resolves the unknown entry and checks the size, as NumPy's
 * _fix_unknown_dimension: any negative entry means "unknown" (so -2 acts
 * as -1), and at most one is allowed. */
static int fix_shape(const nd_array *a, int ndim, const ptrdiff_t *req, ptrdiff_t *out)
{
    char s[256];
    ptrdiff_t size, known = 1;
    int unknown = -1;
    if (ndim < 0 || ndim > ND_MAXDIMS || (ndim > 0 && !req))
        return nd__fail(ND_EVALUE, "maximum supported dimension for an ndarray is %d, found %d",
                        ND_MAXDIMS, ndim);
    if (nd__shape_size(a->ndim, a->shape, &size) < 0)
        return -1;
    for (int i = 0; i < ndim; i++) {
        out[i] = req[i];
        if (req[i] < 0) {
            if (unknown >= 0)
                return nd__fail(ND_EVALUE, "can only specify one unknown dimension");
            unknown = i;
        } else if (__builtin_mul_overflow(known, req[i], &known)) {
            return nd__fail(ND_EVALUE, "array is too big; `arr.size * arr.dtype.itemsize` "
                                       "is larger than the maximum possible size.");
        }
    }
    if (unknown >= 0) {
        if (known == 0 || size % known != 0)
            goto mismatch;
        out[unknown] = size / known;
    } else if (known != size) {
        goto mismatch;
    }
    return 0;
mismatch:
    return nd__fail(ND_EVALUE, "cannot reshape array of size %td into shape %s", size,
                    request_str(s, sizeof s, ndim, req));
}

/* NumPy's _attempt_nocopy_reshape for C order: fills newstrides and
 * returns true when the new shape can view the old layout. */
static bool nocopy_reshape(const nd_array *a, int newnd, const ptrdiff_t *newdims,
                           ptrdiff_t *newstrides)
{
    ptrdiff_t olddims[ND_MAXDIMS], oldstrides[ND_MAXDIMS];
    int oldnd = 0;
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] != 1) {
            olddims[oldnd] = a->shape[i];
            oldstrides[oldnd++] = a->strides[i];
        }
    int oi = 0, oj = 1, ni = 0, nj = 1;
    while (ni < newnd && oi < oldnd) {
        ptrdiff_t np = newdims[ni], op = olddims[oi];
        while (np != op) {
            if (np < op)
                np *= newdims[nj++];
            else
                op *= olddims[oj++];
        }
        for (int ok = oi; ok < oj - 1; ok++)
            if (oldstrides[ok] != olddims[ok + 1] * oldstrides[ok + 1])
                return false;
        newstrides[nj - 1] = oldstrides[oj - 1];
        for (int nk = nj - 1; nk > ni; nk--)
            newstrides[nk - 1] = newstrides[nk] * newdims[nk];
        ni = nj++;
        oi = oj++;
    }
    ptrdiff_t last = ni >= 1 ? newstrides[ni - 1] : (ptrdiff_t)a->dt->itemsize;
    for (int nk = ni; nk < newnd; nk++)
        newstrides[nk] = last;
    return true;
}

static void c_strides(int ndim, const ptrdiff_t *shape, size_t itemsize, ptrdiff_t *out)
{
    ptrdiff_t s = (ptrdiff_t)itemsize;
    for (int i = ndim - 1; i >= 0; i--) {
        out[i] = s;
        if (shape[i])
            s *= shape[i];
    }
}

nd_array *nd_reshape(const nd_array *a, int ndim, const ptrdiff_t *shape)
{
    ptrdiff_t dims[ND_MAXDIMS], strides[ND_MAXDIMS];
    if (!a || (ndim > 0 && !shape)) {
        nd__null_arg();
        return NULL;
    }
    /* NumPy compares the request as written, before resolving -1: so
     * reshape(a.shape) keeps a's strides but reshape(-1) of a 1-d array
     * goes on and may get fresh ones. */
    if (ndim == a->ndim && (ndim == 0 || memcmp(shape, a->shape, (size_t)ndim * sizeof *shape) == 0))
        return same_view(a, ndim, a->shape, a->strides, a->data);
    if (fix_shape(a, ndim, shape, dims) < 0)
        return NULL;
    if (nd__is_c_contig(a)) {
        c_strides(ndim, dims, a->dt->itemsize, strides);
        return same_view(a, ndim, dims, strides, a->data);
    }
    if (nocopy_reshape(a, ndim, dims, strides))
        return same_view(a, ndim, dims, strides, a->data);
    /* A copy: a private C-contiguous temporary, viewed with the new shape
     * (NumPy's result has that temporary as base and no OWNDATA). */
    nd_array *tmp = nd__copy_c(a);
    if (!tmp)
        return NULL;
    c_strides(ndim, dims, a->dt->itemsize, strides);
    nd_array *v = same_view(tmp, ndim, dims, strides, tmp->data);
    nd_free(tmp);
    return v;
}

nd_array *nd_ravel(const nd_array *a)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (nd__is_c_contig(a)) {
        ptrdiff_t n = -1;
        return nd_reshape(a, 1, &n);
    }
    return nd_flatten(a);
}

/* ---- copies ------------------------------------------------------------- */

nd_array *nd_copy(const nd_array *a)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    return nd__copy_c(a);
}

nd_array *nd_flatten(const nd_array *a)
{
    ptrdiff_t n;
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    nd_array *out = nd__copy_c(a);
    if (!out)
        return NULL;
    /* The copy is C-contiguous and owned: relabel it as 1-d in place. */
    if (nd__shape_size(a->ndim, a->shape, &n) < 0) {
        nd_free(out);
        return NULL;
    }
    out->ndim = 1;
    out->shape[0] = n;
    out->strides[0] = (ptrdiff_t)a->dt->itemsize;
    return out;
}

nd_array *nd_astype(const nd_array *a, const nd_dtype *dt)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (!dt) {
        nd__fail(ND_ETYPE, "NULL dtype");
        return NULL;
    }
    if (nd__check_assign_types(dt, a->dt) < 0)
        return NULL;
    nd_array *out = nd__alloc(dt, a->ndim, a->shape, false);
    if (!out)
        return NULL;
    nd__copy_strided(out, a->dt, a->data, a->strides);
    return out;
}
