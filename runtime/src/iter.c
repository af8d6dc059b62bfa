/*
 * iter.c - broadcasting and strided multi-operand iteration.
 *
 * Key idea: every elementwise loop in libnd (copies, casts, arithmetic,
 * comparisons, reductions over all elements) walks operands that share one
 * shape but have their own byte strides. nd__iter reduces that walk to
 * "outer odometer + one inner run":
 *   1. axes of length 1 are dropped (their strides never matter);
 *   2. axes are ordered by the first operand's |stride|, largest outermost,
 *      so a transposed destination is still written in memory order;
 *   3. adjacent axes are merged when, for every operand,
 *      stride[outer] == shape[inner] * stride[inner];
 *   4. the innermost remaining axis is the run handed to the kernel.
 * A C-contiguous array thus becomes one run of `size` elements, and a
 * slice like a[:, ::2] one run per row.
 *
 * Invariants: shape entries handed to nd__iter are >= 1 after step 1 (a
 * zero-length axis makes nd__iter_init return false: nothing to visit);
 * it->ptr[k] always points at the first element of the current run.
 *
 * Does not: allocate, buffer or cast; the element work is the caller's.
 * Reordering changes only the visiting order, which elementwise kernels do
 * not observe (callers copy an operand first when memory may overlap).
 */
#include "nd_int.h"

int nd__broadcast_shape(int na, const ptrdiff_t *sa, int nb, const ptrdiff_t *sb,
                        int *nout, ptrdiff_t *out)
{
    int n = na > nb ? na : nb;
    ptrdiff_t tmp[ND_MAXDIMS];
    for (int i = 0; i < n; i++) {
        int ia = i - (n - na), ib = i - (n - nb);
        ptrdiff_t da = ia >= 0 ? sa[ia] : 1, db = ib >= 0 ? sb[ib] : 1;
        if (da == db || db == 1)
            tmp[i] = da;
        else if (da == 1)
            tmp[i] = db;
        else {
            char s1[256], s2[256];
            return nd__fail(ND_EVALUE,
                            "operands could not be broadcast together with shapes %s %s ",
                            nd__shape_str(s1, sizeof s1, na, sa),
                            nd__shape_str(s2, sizeof s2, nb, sb));
        }
    }
    if (n)
        memcpy(out, tmp, (size_t)n * sizeof *out);
    *nout = n;
    return 0;
}

int nd__broadcast_strides(const nd_array *a, int ndim, const ptrdiff_t *shape,
                          ptrdiff_t *strides_out)
{
    int off = ndim - a->ndim;
    char s1[256], s2[256];
    if (off < 0)
        goto fail;
    for (int i = 0; i < ndim; i++) {
        int k = i - off;
        if (k < 0)
            strides_out[i] = 0;
        else if (a->shape[k] == shape[i])
            strides_out[i] = a->shape[k] == 1 ? 0 : a->strides[k];
        else if (a->shape[k] == 1)
            strides_out[i] = 0;
        else
            goto fail;
    }
    return 0;
fail:
    return nd__fail(ND_EVALUE, "could not broadcast input array from shape %s into shape %s",
                    nd__shape_str(s1, sizeof s1, a->ndim, a->shape),
                    nd__shape_str(s2, sizeof s2, ndim, shape));
}

static ptrdiff_t absd(ptrdiff_t x) { return x < 0 ? -x : x; }

bool nd__iter_init(nd__iter *it, int nops, int ndim, const ptrdiff_t *shape,
                   char *const *ptrs, const ptrdiff_t *const *strides)
{
    int axis[ND_MAXDIMS], n = 0;
    ND_ASSERT(nops >= 1 && nops <= ND_ITER_MAXOPS);
    it->nops = nops;
    for (int k = 0; k < nops; k++)
        it->ptr[k] = ptrs[k];
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == 0)
            return false;
        if (shape[i] != 1)
            axis[n++] = i;
    }
    /* Stable insertion sort: outermost = largest |stride| of operand 0. */
    for (int i = 1; i < n; i++) {
        int ax = axis[i], j = i;
        while (j > 0 && absd(strides[0][axis[j - 1]]) < absd(strides[0][ax])) {
            axis[j] = axis[j - 1];
            j--;
        }
        axis[j] = ax;
    }
    /* Merge from the inside out into it->shape / it->strides. */
    int m = 0;
    for (int i = 0; i < n; i++) {
        int ax = axis[i];
        if (m > 0) {
            /* The merged entry m-1 carries the stride of its innermost
             * axis, so the chain test uses it rather than axis[i-1]. */
            bool chain = true;
            for (int k = 0; k < nops && chain; k++)
                chain = it->strides[k][m - 1] == shape[ax] * strides[k][ax];
            if (chain) {
                it->shape[m - 1] *= shape[ax];
                for (int k = 0; k < nops; k++)
                    it->strides[k][m - 1] = strides[k][ax];
                continue;
            }
        }
        it->shape[m] = shape[ax];
        for (int k = 0; k < nops; k++)
            it->strides[k][m] = strides[k][ax];
        m++;
    }
    if (m == 0) {
        it->n_inner = 1;
        for (int k = 0; k < nops; k++)
            it->inner[k] = 0;
        it->ndim = 0;
    } else {
        it->n_inner = it->shape[m - 1];
        for (int k = 0; k < nops; k++)
            it->inner[k] = it->strides[k][m - 1];
        it->ndim = m - 1;
    }
    for (int i = 0; i < it->ndim; i++)
        it->idx[i] = 0;
    return true;
}

bool nd__iter_next(nd__iter *it)
{
    for (int i = it->ndim - 1; i >= 0; i--) {
        for (int k = 0; k < it->nops; k++)
            it->ptr[k] += it->strides[k][i];
        if (++it->idx[i] < it->shape[i])
            return true;
        for (int k = 0; k < it->nops; k++)
            it->ptr[k] -= it->strides[k][i] * it->shape[i];
        it->idx[i] = 0;
    }
    return false;
}
