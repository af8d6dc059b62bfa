/*
 * write.c - in-place writes over a whole array: fill, assign (dst[...] =
 * src) and the augmented assignments a += b, -=, *=, /= (array and scalar).
 *
 * Key ideas:
 *  - Validate everything, then write: the WRITEABLE flag, the dtypes, and
 *    the broadcast are all checked before the first byte changes, so a
 *    failed call leaves the destination exactly as it was.
 *  - Aliasing: when the source may share memory with the destination
 *    (nd_may_share_memory, the cheap bounds test) the source is copied to a
 *    private C-contiguous buffer first. That makes nd_assign(h, nd_flip(h,0))
 *    and nd_iadd(h, nd_transpose(h)) give NumPy's answers, which are those
 *    of "evaluate the right-hand side, then store".
 *  - A destination that aliases itself (a broadcast view made writeable)
 *    is read from a private copy, as NumPy's ufuncs do, so b += 1 adds 1
 *    to each underlying element once.
 *  - Types follow NumPy's ufunc rules: the arithmetic happens in the
 *    promoted type R of (a, b) and R must cast to a's dtype under
 *    casting='same_kind'; so int_array /= x (R = float64) and
 *    int_array += float_array are ND_ETYPE, as NumPy's UFuncTypeError
 *    (a TypeError). Scalars act like Python numbers: an integral double on
 *    an integer array is a Python int (wrapping arithmetic), a fractional
 *    one is a Python float (ND_ETYPE on integer arrays).
 *
 * DECISION - read-only destinations fail with ND_EREADONLY and NumPy's text
 * "assignment destination is read-only". NumPy raises ValueError; the
 * contract's error enum has a code for exactly this condition, so callers
 * can tell it from a shape error without parsing text. nd__check_writeable
 * (declared in nd_int.h) is the one place this is decided; setitem.c uses
 * it too.
 *
 * Does not: index (setitem.c writes through subscripts) or allocate
 * results (arith.c).
 */
#include "nd_int.h"

#include <math.h>
#include <stdlib.h>

int nd__check_writeable(const nd_array *a)
{
    if (!a->writeable)
        return nd__fail(ND_EREADONLY, "assignment destination is read-only");
    return 0;
}

int nd_fill(nd_array *a, double v)
{
    ptrdiff_t zero[ND_MAXDIMS] = {0};
    if (!a)
        return nd__null_arg();
    if (nd__check_writeable(a) < 0)
        return -1;
    /* One converted element, broadcast by stride 0 through the copy kernel. */
    char small[64], *elem = small;
    if (a->dt->itemsize > sizeof small && !(elem = calloc(1, a->dt->itemsize)))
        return nd__fail(ND_ENOMEM, "Unable to allocate a fill value");
    memset(elem, 0, a->dt->itemsize);
    nd__store_f64(a->dt, elem, v);
    nd__copy_strided(a, a->dt, elem, zero);
    if (elem != small)
        free(elem);
    return 0;
}

/* src with leading length-1 axes beyond dst's ndim removed (NumPy accepts
 * a[...] = b when b only has extra unit axes in front). */
static void strip_leading_ones(const nd_array *src, int ndim, nd_array *hdr)
{
    *hdr = *src;
    int drop = 0;
    while (hdr->ndim - drop > ndim && src->shape[drop] == 1)
        drop++;
    hdr->ndim -= drop;
    memmove(hdr->shape, src->shape + drop, (size_t)hdr->ndim * sizeof *hdr->shape);
    memmove(hdr->strides, src->strides + drop, (size_t)hdr->ndim * sizeof *hdr->strides);
}

int nd_assign(nd_array *dst, const nd_array *src)
{
    ptrdiff_t strides[ND_MAXDIMS];
    nd_array hdr, *tmp = NULL;
    int rc = -1;
    if (!dst || !src)
        return nd__null_arg();
    if (nd__check_writeable(dst) < 0 || nd__check_assign_types(dst->dt, src->dt) < 0)
        return -1;
    strip_leading_ones(src, dst->ndim, &hdr);
    /* The message names the stripped shape, as NumPy's does. */
    if (nd__broadcast_strides(&hdr, dst->ndim, dst->shape, strides) < 0)
        return -1;
    const char *data = src->data;
    if (nd_may_share_memory(dst, src)) {
        if (!(tmp = nd__copy_c(src)))
            goto out;
        strip_leading_ones(tmp, dst->ndim, &hdr);
        nd__broadcast_strides(&hdr, dst->ndim, dst->shape, strides);
        data = tmp->data;
    }
    nd__copy_strided(dst, src->dt, data, strides);
    rc = 0;
out:
    nd_free(tmp);
    return rc;
}

/* ---- augmented assignment ------------------------------------------------- */

static const char *const ufunc_name[] = {"add", "subtract", "multiply", "divide"};

static int cast_error(nd__binop op, const nd_dtype *from, const nd_dtype *to)
{
    return nd__fail(ND_ETYPE,
                    "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with "
                    "casting rule 'same_kind'",
                    ufunc_name[op], from->name, to->name);
}

static int bool_subtract_error(void)
{
    return nd__fail(ND_ETYPE, "numpy boolean subtract, the `-` operator, is not supported, "
                              "use the bitwise_xor, the `^` operator, or the logical_xor "
                              "function instead.");
}

/* The type the ufunc computes in (NumPy's loop selection), or NULL. */
const nd_dtype *nd__op_domain(nd__binop op, const nd_dtype *a, const nd_dtype *b)
{
    const nd_dtype *r = nd__promote(a, b);
    if (!r)
        return NULL;
    if (op == ND_OP_DIV && r->kind != ND_DK_FLOAT)
        return ND_FLOAT64;
    if (op == ND_OP_SUB && r->kind == ND_DK_BOOL) {
        bool_subtract_error();
        return NULL;
    }
    return r;
}

/* True when a visits some byte twice through a stride-0 axis (a broadcast
 * view made writeable). NumPy then computes from a copy of the operand, so
 * every alias receives "old value op b" once rather than repeatedly. */
static bool self_aliased(const nd_array *a)
{
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] > 1 && a->strides[i] == 0)
            return true;
    return false;
}

/* out = in op b where `in` is a itself, or a private copy of a when a is
 * self-aliased. bdt/bdata/bstr are already broadcast to a's shape. */
static int apply(nd_array *a, nd__binop op, const nd_dtype *r, const nd_dtype *bdt,
                 const char *bdata, const ptrdiff_t *bstr)
{
    nd_array *in = self_aliased(a) ? nd__copy_c(a) : nd__ref(a);
    if (!in)
        return -1;
    nd__binop_strided(a, op, r, a->dt, in->data, in->strides, bdt, bdata, bstr);
    nd_free(in);
    return 0;
}

static int inplace(nd_array *a, const nd_array *b, nd__binop op)
{
    ptrdiff_t bshape[ND_MAXDIMS], strides[ND_MAXDIMS];
    char s1[256], s2[256];
    nd_array *tmp = NULL;
    int nb, rc = -1;
    if (!a || !b)
        return nd__null_arg();
    if (nd__check_writeable(a) < 0)
        return -1;
    const nd_dtype *r = nd__op_domain(op, a->dt, b->dt);
    if (!r)
        return -1;
    if (!nd__can_cast_same_kind(r, a->dt))
        return cast_error(op, r, a->dt);
    if (nd__broadcast_shape(a->ndim, a->shape, b->ndim, b->shape, &nb, bshape) < 0)
        return -1;
    if (nb != a->ndim || memcmp(bshape, a->shape, (size_t)nb * sizeof *bshape) != 0)
        return nd__fail(ND_EVALUE, "non-broadcastable output operand with shape %s doesn't "
                                   "match the broadcast shape %s",
                        nd__shape_str(s1, sizeof s1, a->ndim, a->shape),
                        nd__shape_str(s2, sizeof s2, nb, bshape));
    if (nd_may_share_memory(a, b)) {
        if (!(tmp = nd__copy_c(b)))
            goto out;
        b = tmp;
    }
    nd__broadcast_strides(b, a->ndim, a->shape, strides);
    rc = apply(a, op, r, b->dt, b->data, strides);
out:
    nd_free(tmp);
    return rc;
}

int nd_iadd(nd_array *a, const nd_array *b) { return inplace(a, b, ND_OP_ADD); }
int nd_isub(nd_array *a, const nd_array *b) { return inplace(a, b, ND_OP_SUB); }
int nd_imul(nd_array *a, const nd_array *b) { return inplace(a, b, ND_OP_MUL); }
int nd_idiv(nd_array *a, const nd_array *b) { return inplace(a, b, ND_OP_DIV); }

/* a op= v with v taken as a Python scalar (see the header comment). */
static int inplace_scalar(nd_array *a, double v, nd__binop op)
{
    ptrdiff_t zero[ND_MAXDIMS] = {0};
    if (!a)
        return nd__null_arg();
    if (nd__check_writeable(a) < 0)
        return -1;
    switch (a->dt->kind) {
    case ND_DK_FLOAT: {
        /* The scalar takes the array's float type first, as NumPy's
         * value-based casting does (f32 += 0.1 adds float32(0.1)). */
        char x[8];
        nd__store_f64(a->dt, x, v);
        return apply(a, op, a->dt, a->dt, x, zero);
    }
    case ND_DK_INT:
    case ND_DK_UINT: {
        if (op == ND_OP_DIV || !isfinite(v) || v != trunc(v))
            return cast_error(op, ND_FLOAT64, a->dt);
        if (v < -9223372036854775808.0 || v >= 18446744073709551616.0)
            return nd__fail(ND_EVALUE, "Python int too large to convert to C long");
        /* Values in [2^63, 2^64) keep their bits; the arithmetic wraps mod
         * 2^64 either way. */
        int64_t x = v >= 9223372036854775808.0 ? (int64_t)(uint64_t)v : (int64_t)v;
        return apply(a, op, ND_INT64, ND_INT64, (const char *)&x, zero);
    }
    case ND_DK_BOOL:
        if (op == ND_OP_SUB)
            return bool_subtract_error();
        return cast_error(op, op == ND_OP_DIV ? ND_FLOAT64 : ND_INT64, a->dt);
    default:
        return nd__fail(ND_ETYPE, "ufunc not supported for structured (record) dtypes");
    }
}

int nd_iadd_scalar(nd_array *a, double v) { return inplace_scalar(a, v, ND_OP_ADD); }
int nd_isub_scalar(nd_array *a, double v) { return inplace_scalar(a, v, ND_OP_SUB); }
int nd_imul_scalar(nd_array *a, double v) { return inplace_scalar(a, v, ND_OP_MUL); }
int nd_idiv_scalar(nd_array *a, double v) { return inplace_scalar(a, v, ND_OP_DIV); }
