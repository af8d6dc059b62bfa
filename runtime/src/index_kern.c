/*
 * index_kern.c - the byte-moving loops shared by indexing reads and writes:
 * same-itemsize strided runs, n-d copies, and the C-order odometer.
 *
 * Key idea: indexing never converts element types in its inner loops (a
 * value is cast to the target dtype once, up front), so every loop here is
 * a copy of `itemsize` bytes. Switching on the itemsize once per run, not
 * per element, lets the compiler emit one move per element; whole
 * contiguous runs go through memcpy.
 *
 * Invariants: element moves use memcpy with a constant size (one load and
 * one store after inlining), so packed record fields and odd addresses are
 * fine. Nothing here fails or allocates.
 *
 * Does not: cast, broadcast or check anything; callers pass valid strides.
 */
#include "nd_int.h"

#define RUN(T)                                                                 \
    do {                                                                       \
        for (ptrdiff_t i = 0; i < n; i++) {                                    \
            T v_;                                                              \
            memcpy(&v_, src + i * ss, sizeof(T));                              \
            memcpy(dst + i * ds, &v_, sizeof(T));                              \
        }                                                                      \
    } while (0)

void nd__copy_run(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss, ptrdiff_t n,
                  size_t itemsize)
{
    ptrdiff_t w = (ptrdiff_t)itemsize;
    if (n <= 0)
        return;
    if (ds == w && ss == w) {
        memcpy(dst, src, (size_t)n * itemsize);
        return;
    }
    switch (itemsize) {
    case 1: RUN(uint8_t); break;
    case 2: RUN(uint16_t); break;
    case 4: RUN(uint32_t); break;
    case 8: RUN(uint64_t); break;
    default:
        for (ptrdiff_t i = 0; i < n; i++)
            memcpy(dst + i * ds, src + i * ss, itemsize);
        break;
    }
}

void nd__copy_nd(int ndim, const ptrdiff_t *shape, char *dst, const ptrdiff_t *dstrides,
                 const char *src, const ptrdiff_t *sstrides, size_t itemsize)
{
    nd__iter it;
    char *ptrs[2] = {dst, (char *)src};
    const ptrdiff_t *st[2] = {dstrides, sstrides};
    if (!nd__iter_init(&it, 2, ndim, shape, ptrs, st))
        return;
    do
        nd__copy_run(it.ptr[0], it.inner[0], it.ptr[1], it.inner[1], it.n_inner, itemsize);
    while (nd__iter_next(&it));
}

bool nd__odo_next(int ndim, const ptrdiff_t *shape, ptrdiff_t *idx, int nops,
                  ptrdiff_t *off, const ptrdiff_t *const *strides)
{
    for (int i = ndim - 1; i >= 0; i--) {
        if (++idx[i] < shape[i]) {
            for (int k = 0; k < nops; k++)
                off[k] += strides[k][i];
            return true;
        }
        for (int k = 0; k < nops; k++)
            off[k] -= strides[k][i] * (shape[i] - 1);
        idx[i] = 0;
    }
    return false;
}

int nd__merge_axes(int ndim, ptrdiff_t *shape, int nops, ptrdiff_t *const *strides)
{
    int m = 0;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == 1)
            continue;
        if (m > 0) {
            bool chain = true;
            for (int k = 0; k < nops && chain; k++)
                chain = strides[k][m - 1] == shape[i] * strides[k][i];
            if (chain) {
                shape[m - 1] *= shape[i];
                for (int k = 0; k < nops; k++)
                    strides[k][m - 1] = strides[k][i];
                continue;
            }
        }
        shape[m] = shape[i];
        for (int k = 0; k < nops; k++)
            strides[k][m] = strides[k][i];
        m++;
    }
    return m;
}
