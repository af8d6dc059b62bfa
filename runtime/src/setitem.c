/*
 * setitem.c - a[index] = value: NumPy 1.24's assignment pipeline (spec
 * numpy-indexing.md section 8) on top of the reading stages.
 *
 * Key idea: validate everything, then write. The order of checks is
 * NumPy's (8.1): read-only first, then the index (parse, classification,
 * INT bounds and steps, index broadcasting), then the value's shape, then
 * the index-array bounds; only then does a single loop store. The value is
 * brought to the target's dtype once, up front (unsafe C casts, records by
 * field position), and copied when it may overlap the target, so the store
 * loops are plain same-itemsize copies and aliasing (a[1:] = a[:-1]) acts
 * as if the value had been copied first.
 *
 * Shape rules: the value broadcasts to the indexed shape and may carry
 * extra leading length-1 axes; a full integer index takes any size-1
 * value; the full-shape mask takes only 0-d or 1-d values of length 1 or
 * #true. Errors use NumPy's texts for the basic ("could not broadcast input
 * array ...") and the advanced ("shape mismatch: value array ...") paths.
 *
 * Invariants: a failed call writes nothing (every error is raised before
 * the first store, and all allocations happen before it too).
 *
 * Does not: implement augmented assignment, or NumPy's sequential
 * (aliasing-sensitive) advanced assignment order beyond "last wins".
 */
#include "nd_int.h"

#include <math.h>
#include <stdlib.h>

/* The value, already in the target's dtype. */
typedef struct val {
    int ndim;
    const ptrdiff_t *shape, *strides;
    const char *data;
    ptrdiff_t size;
} val;

static const ptrdiff_t zero_strides[ND_MAXDIMS];

/* Strides that present v with shape (nd, shape); extra leading axes of v
 * must be 1. -1 (no error set) when it does not broadcast. */
static int value_strides(const val *v, int nd, const ptrdiff_t *shape, ptrdiff_t *out)
{
    int drop = 0;
    if (v->ndim > nd) {
        drop = v->ndim - nd;
        for (int i = 0; i < drop; i++)
            if (v->shape[i] != 1)
                return -1;
    }
    int vn = v->ndim - drop;
    for (int d = 0; d < nd; d++) {
        int j = d - (nd - vn);
        if (j < 0) {
            out[d] = 0;
            continue;
        }
        ptrdiff_t len = v->shape[drop + j];
        if (len == shape[d])
            out[d] = len == 1 ? 0 : v->strides[drop + j];
        else if (len == 1)
            out[d] = 0;
        else
            return -1;
    }
    return 0;
}

static int basic_mismatch(const val *v, int nd, const ptrdiff_t *shape)
{
    char s1[256], s2[256];
    return nd__fail(ND_EVALUE, "could not broadcast input array from shape %s into shape %s",
                    nd__shape_str(s1, sizeof s1, v->ndim, v->shape),
                    nd__shape_str(s2, sizeof s2, nd, shape));
}

/* view[...] = v for a basic target given by data/shape/strides. */
static int assign_basic(char *data, int nd, const ptrdiff_t *shape, const ptrdiff_t *strides,
                        size_t isz, const val *v)
{
    ptrdiff_t vst[ND_MAXDIMS];
    if (value_strides(v, nd, shape, vst) < 0)
        return basic_mismatch(v, nd, shape);
    nd__copy_nd(nd, shape, data, strides, v->data, vst, isz);
    return 0;
}

static int assign_element(nd_array *a, const nd__prep *p, const val *v)
{
    char *d;
    int nd, q;
    ptrdiff_t sh[ND_MAXDIMS], st[ND_MAXDIMS];
    if (nd__walk(a, p, &d, &nd, sh, st, &q) < 0)
        return -1;
    if (v->size != 1)
        return nd__fail(ND_EVALUE, "setting an array element with a sequence.");
    memcpy(d, v->data, a->dt->itemsize);
    return 0;
}

static int assign_mask(nd_array *a, const nd__prep *p, const val *v)
{
    if (v->ndim >= 2)
        return nd__fail(ND_ETYPE, "NumPy boolean array indexing assignment requires a 0 or "
                                  "1-dimensional input, input has %d dimensions", v->ndim);
    ptrdiff_t len = v->ndim ? v->shape[0] : 1, count = len;
    if (len != 1)       /* a single value fits any count: do not count */
        count = p->mask ? nd__count_true(p->mask) : p->mask_value;
    if (len != 1 && len != count)
        return nd__fail(ND_EVALUE, "NumPy boolean array indexing assignment cannot assign "
                                   "%td input values to the %td output values where the "
                                   "mask is true", len, count);
    nd__bool_assign(a, p, v->data, len == 1 ? 0 : v->strides[0]);
    return 0;
}

static int assign_fancy(nd_array *a, const nd__prep *p, const val *v)
{
    nd__fancy f;
    nd_array *tmp = NULL;
    ptrdiff_t vst[ND_MAXDIMS], vb;
    int rc = -1;
    size_t isz = a->dt->itemsize;
    if (nd__fancy_plan(a, p, &f) < 0)
        return -1;
    if (value_strides(v, f.ndim, f.shape, vst) < 0) {
        char s1[256], s2[256];
        nd__fail(ND_EVALUE, "shape mismatch: value array of shape %s could not be broadcast "
                            "to indexing result of shape %s",
                 nd__shape_str(s1, sizeof s1, v->ndim, v->shape),
                 nd__shape_str(s2, sizeof s2, f.ndim, f.shape));
        goto out;
    }
    if ((rc = nd__fancy_scatter_direct(a, p, &f, isz, v->data, vst)) != 0) {
        rc = rc < 0 ? -1 : 0;
        goto out;
    }
    rc = -1;
    if (nd__fancy_offsets(a, p, &f) < 0)
        goto out;
    const char *vdata = v->data;
    if (f.size && !nd__fancy_flat_value(&f, vst, &vb)) {
        /* Lay the broadcast value out densely so B is one stride. */
        tmp = nd__alloc(a->dt, f.ndim, f.shape, false);
        if (!tmp)
            goto out;
        nd__copy_nd(f.ndim, f.shape, tmp->data, tmp->strides, v->data, vst, isz);
        vdata = tmp->data;
        memcpy(vst, tmp->strides, (size_t)f.ndim * sizeof *vst);
    }
    nd__fancy_scatter(&f, isz, vdata, vst);
    rc = 0;
out:
    nd_free(tmp);
    nd__fancy_free(&f);
    return rc;
}

static int assign_items(nd_array *a, int n, const struct nd_index *items, const val *v)
{
    nd__prep p;
    if (nd__prepare(a, n, items, &p) < 0)
        return -1;
    if (p.scalar)
        return assign_element(a, &p, v);
    if (p.bool_full)
        return assign_mask(a, &p, v);
    if (p.fancy)
        return assign_fancy(a, &p, v);
    char *d;
    int nd, q;
    ptrdiff_t sh[ND_MAXDIMS], st[ND_MAXDIMS];
    if (nd__walk(a, &p, &d, &nd, sh, st, &q) < 0)
        return -1;
    return assign_basic(d, nd, sh, st, a->dt->itemsize, v);
}

/* ---- the value ------------------------------------------------------------ */

/* Brings `value` to dtype dt in *v. *owned is a converted copy to free, made
 * when the dtype differs or the value may overlap `target`. */
static int prepare_value(const nd_array *target, const nd_dtype *dt, const nd_array *value,
                         val *v, nd_array **owned)
{
    *owned = NULL;
    const nd_array *src = value;
    if (value->dt != dt) {
        if (nd__check_assign_types(dt, value->dt) < 0)
            return -1;
        nd_array *c = nd__alloc(dt, value->ndim, value->shape, false);
        if (!c)
            return -1;
        nd__copy_strided(c, value->dt, value->data, value->strides);
        *owned = c;
        src = c;
    } else if (nd_may_share_memory(value, target)) {
        nd_array *c = nd__copy_c(value);
        if (!c)
            return -1;
        *owned = c;
        src = c;
    }
    v->ndim = src->ndim;
    v->shape = src->shape;
    v->strides = src->strides;
    v->data = src->data;
    return nd__shape_size(src->ndim, src->shape, &v->size);
}

/* One element of dt holding the Python float x, as NumPy's setitem would
 * store it (NaN / infinity cannot become integers). */
static int scalar_value(const nd_dtype *dt, double x, char *buf)
{
    if ((dt->kind == ND_DK_INT || dt->kind == ND_DK_UINT) && !isfinite(x))
        return nd__fail(ND_EVALUE, isnan(x) ? "cannot convert float NaN to integer"
                                            : "cannot convert float infinity to integer");
    nd__store_f64(dt, buf, x);
    return 0;
}

/* Whether a record's fields leave bytes uncovered (a multi-field view keeps
 * the unselected fields inside each item). */
static bool has_gaps(const nd_dtype *dt)
{
    size_t covered = 0;
    for (int i = 0; i < dt->n_fields; i++)
        covered += dt->fields[i].type->itemsize;
    return covered != dt->itemsize;
}

/* assign_items, field by field when whole-item copies would overwrite the
 * bytes of unselected fields. The per-field targets are header copies of a
 * (same memory, field dtype and offset); every field sees the same index
 * and shapes, so an error stops the first field, before any write. */
static int assign_split(nd_array *a, int n, const struct nd_index *items, const val *v)
{
    if (a->dt->kind != ND_DK_RECORD || !has_gaps(a->dt))
        return assign_items(a, n, items, v);
    for (int i = 0; i < a->dt->n_fields; i++) {
        const nd__field *f = &a->dt->fields[i];
        nd_array fa = *a;
        val fv = *v;
        fa.dt = f->type;
        fa.data = a->data + f->offset;
        fv.data = v->data + f->offset;
        if (assign_split(&fa, n, items, &fv) < 0)
            return -1;
    }
    return 0;
}

/* The view a field subscript names: a['x'] or a[['z','x']] (parsed), or a
 * lone ND_FIELD item; NULL with the error set. */
static nd_array *field_view(const nd_array *a, const nd_subscript *s,
                            const struct nd_index *items)
{
    const char *names[ND_MAX_ITEMS];
    if (!s)
        return nd_field(a, items[0].name);
    if (s->kind == ND_SUB_FIELD)
        return nd_field(a, s->item[0].name);
    for (int i = 0; i < s->n; i++)
        names[i] = s->item[i].name;
    return nd_fields(a, s->n, names);
}

/* The common body: a (writeable) target, parsed or built items, and either
 * an array value or a double. A field subscript (a['x'] = v,
 * a[['x','z']] = v) assigns into the field view, whose dtype the value is
 * converted to. */
static int set_common(nd_array *a, const nd_subscript *s, int n, const struct nd_index *items,
                      const nd_array *value, double x)
{
    const struct nd_index whole = ND_ELLIPSIS;
    nd_array *target = a, *view = NULL, *owned = NULL;
    char small[64], *buf = NULL;
    int rc = -1;
    val v;
    bool is_field = s ? (s->kind == ND_SUB_FIELD || s->kind == ND_SUB_FIELDS)
                      : (n == 1 && items && items[0].kind == ND_IX_FIELD);
    if (is_field) {
        if (!(view = field_view(a, s, items)))
            return -1;
        target = view;
        n = 1;
        items = &whole;
    }
    const nd_dtype *dt = target->dt;
    if (value) {
        if (prepare_value(a, dt, value, &v, &owned) < 0)
            goto out;
    } else {
        buf = dt->itemsize <= sizeof small ? small : malloc(dt->itemsize);
        if (!buf) {
            nd__fail(ND_ENOMEM, "Unable to allocate a value");
            goto out;
        }
        if (scalar_value(dt, x, buf) < 0)
            goto out;
        v = (val){.ndim = 0, .shape = NULL, .strides = zero_strides, .data = buf, .size = 1};
    }
    rc = assign_split(target, n, items, &v);
out:
    if (buf && buf != small)
        free(buf);
    nd_free(owned);
    nd_free(view);
    return rc;
}

static int set_string(nd_array *a, const char *index, const nd_array *value, double x)
{
    nd_subscript s;
    bool zero_step;
    if (nd__parse_index(index, &s, &zero_step) < 0)
        return -1;
    int rc = set_common(a, &s, s.n, s.item, value, x);
    nd_subscript_free(&s);
    return rc;
}

int nd_set(nd_array *a, const char *index, const nd_array *value)
{
    if (!a || !value)
        return nd__null_arg();
    if (nd__check_writeable(a) < 0)
        return -1;
    return set_string(a, index, value, 0);
}

int nd_set_scalar(nd_array *a, const char *index, double value)
{
    if (!a)
        return nd__null_arg();
    if (nd__check_writeable(a) < 0)
        return -1;
    return set_string(a, index, NULL, value);
}

int nd_set_items(nd_array *a, int n, const struct nd_index *items, const nd_array *value)
{
    if (!a || !value)
        return nd__null_arg();
    if (nd__check_writeable(a) < 0)
        return -1;
    return set_common(a, NULL, n, items, value, 0);
}
