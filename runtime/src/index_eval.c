/*
 * index_eval.c - reading a[index]: NumPy 1.24's pipeline (spec
 * numpy-indexing.md section 0) from classified entries to the result.
 *
 * Key idea: three stages, each reporting the errors NumPy reports at that
 * point, so that an index with several problems fails with NumPy's error.
 *  1. nd__prepare: classify the items left to right, count consumed axes,
 *     expand the ellipsis (or append the implicit one), check the result
 *     rank and the boolean mask shapes.
 *  2. nd__walk: build the basic part (INT bounds and slice normalization in
 *     entry order, newaxis stride 0, empty slices reset to stride s / no
 *     offset) and locate where advanced axes go.
 *  3. dispatch: a single element (copy for numbers, a 0-d view for records,
 *     whose np.void writes through), the full-mask fast path, a view, or
 *     advanced indexing (index_fancy.c).
 * One integer per axis - the commonest subscript - skips stages 1-2 (and,
 * written as a string, the parser): it can only fail a bounds check, which
 * it does in the same order.
 *
 * Invariants: views come from nd__view (base is the owner, writeable is
 * inherited); every other result is a fresh C-contiguous owned array.
 *
 * Does not: parse strings (index_parse.c), gather (index_fancy.c) or write
 * (setitem.c).
 */
#include "nd_int.h"

#include <stdlib.h>

/* ---- stage 1: classification ------------------------------------------ */

static bool is_int_dtype(const nd_dtype *dt)
{
    return dt->kind == ND_DK_INT || dt->kind == ND_DK_UINT;
}

static bool same_shape(const nd_array *x, const nd_array *a)
{
    if (x->ndim != a->ndim)
        return false;
    for (int i = 0; i < a->ndim; i++)
        if (x->shape[i] != a->shape[i])
            return false;
    return true;
}

static int classify(const nd_array *a, int n, const struct nd_index *it, nd__prep *p,
                    bool *seen_ellipsis)
{
    nd__entry *e = &p->e[p->n];
    *e = (nd__entry){.t = ND__E_INT};
    switch (it->kind) {
    case ND_IX_INT:
        e->i = it->i;
        break;
    case ND_IX_SLICE:
        e->t = ND__E_SLICE;
        e->start = it->start;
        e->stop = it->stop;
        e->step = it->step;
        break;
    case ND_IX_NEWAXIS:
        e->t = ND__E_NEWAXIS;
        break;
    case ND_IX_ELLIPSIS:
        if (*seen_ellipsis)
            return nd__fail(ND_EINDEX, "an index can only have a single ellipsis ('...')");
        *seen_ellipsis = true;
        e->t = ND__E_ELLIPSIS;
        break;
    case ND_IX_BOOL:
        if (n == 1 && a->ndim == 0) {
            p->bool_full = true;
            p->mask = NULL;
            p->mask_value = it->i != 0;
        }
        e->t = ND__E_BOOL0;
        e->i = it->i != 0;
        break;
    case ND_IX_ARRAY: {
        const nd_array *x = it->arr;
        if (!x)
            return nd__null_arg();
        if (x->dt->kind == ND_DK_BOOL) {
            if (n == 1 && same_shape(x, a)) {
                p->bool_full = true;
                p->mask = x;
                e->t = ND__E_MASK;
            } else if (x->ndim == 0) {
                e->t = ND__E_BOOL0;
                e->i = *x->data != 0;
            } else {
                e->t = ND__E_MASK;
            }
            e->arr = x;
        } else if (is_int_dtype(x->dt)) {
            if (x->ndim == 0) {
                e->i = (ptrdiff_t)nd__load_i64(x->dt, x->data);
                p->copy0d = true;
            } else {
                e->t = ND__E_ARRAY;
                e->arr = x;
            }
        } else {
            return nd__fail(ND_EINDEX,
                            "arrays used as indices must be of integer (or boolean) type");
        }
        break;
    }
    default:   /* a field name among other items, or an unknown kind */
        return nd__fail(ND_EINDEX, "%s", ND__MSG_ONLY_INTEGERS);
    }
    if (e->t == ND__E_BOOL0 || e->t == ND__E_MASK || e->t == ND__E_ARRAY)
        p->fancy = true;
    p->n++;
    return 0;
}

static int consumed_by(const nd__entry *e)
{
    switch (e->t) {
    case ND__E_INT:
    case ND__E_SLICE:
    case ND__E_ARRAY: return 1;
    case ND__E_MASK: return e->arr->ndim;
    default: return 0;
    }
}

/* Result rank check and mask shape check (section 0 step 5). */
static int check_masks(const nd_array *a, const nd__prep *p, bool newaxis)
{
    if (!newaxis && !p->fancy)
        return 0;
    int new_nd = 0, fancy_nd = 0;
    for (int i = 0; i < p->n; i++) {
        const nd__entry *e = &p->e[i];
        if (e->t == ND__E_SLICE || e->t == ND__E_NEWAXIS)
            new_nd++;
        else if (e->t == ND__E_ELLIPSIS)
            new_nd += e->width;
        else if (e->t == ND__E_ARRAY && e->arr->ndim > fancy_nd)
            fancy_nd = e->arr->ndim;
        else if ((e->t == ND__E_MASK || e->t == ND__E_BOOL0) && fancy_nd < 1)
            fancy_nd = 1;
    }
    if (new_nd + fancy_nd > ND_MAXDIMS)
        return nd__fail(ND_EINDEX, "number of dimensions must be within [0, %d], indexing "
                                   "result would have %d", ND_MAXDIMS, new_nd + fancy_nd);
    for (int i = 0; i < p->n; i++) {
        const nd__entry *e = &p->e[i];
        if (e->t != ND__E_MASK)
            continue;
        for (int j = 0; j < e->arr->ndim; j++) {
            ptrdiff_t m = e->arr->shape[j], d = a->shape[e->axis + j];
            /* NumPy never compares a zero-length mask axis. */
            if (m != 0 && m != d)
                return nd__fail(ND_EINDEX, "boolean index did not match indexed array along "
                                           "dimension %d; dimension is %td but corresponding "
                                           "boolean dimension is %td", e->axis + j, d, m);
        }
    }
    return 0;
}

int nd__prepare(const nd_array *a, int n, const struct nd_index *items, nd__prep *p)
{
    bool seen_ellipsis = false, newaxis = false, only_int = true;
    p->n = 0;
    p->fancy = p->scalar = p->bool_full = p->copy0d = false;
    p->mask = NULL;
    if (n < 0 || (n > 0 && !items))
        return nd__fail(ND_EVALUE, "invalid index item list");
    if (n > ND_MAX_ITEMS)
        return nd__fail(ND_EINDEX, "too many indices for array");
    for (int i = 0; i < n; i++)
        if (classify(a, n, &items[i], p, &seen_ellipsis) < 0)
            return -1;
    if (p->bool_full) {
        p->e[0].axis = 0;
        p->e[0].width = a->ndim;
        return 0;
    }
    int used = 0, ell = -1;
    for (int i = 0; i < p->n; i++) {
        used += consumed_by(&p->e[i]);
        only_int &= p->e[i].t == ND__E_INT;
        newaxis |= p->e[i].t == ND__E_NEWAXIS;
        if (p->e[i].t == ND__E_ELLIPSIS)
            ell = i;
    }
    if (used > a->ndim)
        return nd__fail(ND_EINDEX, "too many indices for array: array is %d-dimensional, "
                                   "but %d were indexed", a->ndim, used);
    p->scalar = only_int && used == a->ndim;
    if (ell < 0 && used < a->ndim) {
        p->e[p->n] = (nd__entry){.t = ND__E_ELLIPSIS, .implicit = true};
        ell = p->n++;
    }
    int k = 0;
    for (int i = 0; i < p->n; i++) {
        nd__entry *e = &p->e[i];
        e->axis = k;
        e->width = i == ell ? a->ndim - used : consumed_by(e);
        k += e->width;
    }
    return check_masks(a, p, newaxis);
}

/* ---- stage 2: the basic part ---------------------------------------------- */

static int bounds_error(ptrdiff_t v, int axis, ptrdiff_t n)
{
    return nd__fail(ND_EINDEX, "index %td is out of bounds for axis %d with size %td",
                    v, axis, n);
}

/* CPython's slice normalization (spec 1.2), with NumPy's empty-slice reset:
 * an empty result keeps stride s and adds no offset. */
static int slice_axis(const nd__entry *e, ptrdiff_t n, ptrdiff_t s, ptrdiff_t *len,
                      ptrdiff_t *stride, ptrdiff_t *offset)
{
    ptrdiff_t step = e->step == ND_END ? 1 : e->step;
    if (step == 0)
        return nd__fail(ND_EVALUE, "slice step cannot be zero");
    ptrdiff_t start, stop;
    ptrdiff_t lo = step < 0 ? -1 : 0, hi = step < 0 ? n - 1 : n;
    if (e->start == ND_END)
        start = step < 0 ? n - 1 : 0;
    else {
        start = e->start < 0 ? e->start + n : e->start;
        start = start < 0 ? lo : (start >= n ? hi : start);
    }
    if (e->stop == ND_END)
        stop = step < 0 ? -1 : n;
    else {
        stop = e->stop < 0 ? e->stop + n : e->stop;
        stop = stop < 0 ? lo : (stop >= n ? hi : stop);
    }
    if (step > 0)
        *len = start < stop ? (stop - start - 1) / step + 1 : 0;
    else
        *len = stop < start ? (start - stop - 1) / -step + 1 : 0;
    if (*len == 0) {
        *stride = s;
        *offset = 0;
    } else {
        /* Wraps like NumPy's C arithmetic for absurd steps (the stride of a
         * length-1 axis is never used to address memory). */
        *stride = (ptrdiff_t)((uint64_t)s * (uint64_t)step);
        *offset = s * start;
    }
    return 0;
}

int nd__walk(const nd_array *a, const nd__prep *p, char **data, int *ndim,
             ptrdiff_t *shape, ptrdiff_t *strides, int *q)
{
    char *d = a->data;
    int m = 0, first_adv = -1, last_adv = -1;
    bool separated = false;
    for (int i = 0; i < p->n; i++) {
        const nd__entry *e = &p->e[i];
        int k = e->axis;
        switch (e->t) {
        case ND__E_INT: {
            ptrdiff_t n = a->shape[k], v = e->i;
            if (v < -n || v >= n)
                return bounds_error(v, k, n);
            d += a->strides[k] * (v < 0 ? v + n : v);
            break;
        }
        case ND__E_SLICE: {
            ptrdiff_t off = 0;
            if (slice_axis(e, a->shape[k], a->strides[k], &shape[m], &strides[m], &off) < 0)
                return -1;
            d += off;
            m++;
            break;
        }
        case ND__E_NEWAXIS:
            shape[m] = 1;
            strides[m++] = 0;
            break;
        case ND__E_ELLIPSIS:
            for (int j = 0; j < e->width; j++) {
                shape[m] = a->shape[k + j];
                strides[m++] = a->strides[k + j];
            }
            break;
        default:
            break;
        }
        bool adv = e->t == ND__E_ARRAY || e->t == ND__E_MASK || e->t == ND__E_BOOL0 ||
                   (e->t == ND__E_INT && p->fancy);
        if (adv) {
            if (first_adv < 0)
                first_adv = m;      /* output axes made before it */
            else if (last_adv >= 0 && last_adv != i - 1)
                separated = true;
            last_adv = i;
        }
    }
    *data = d;
    *ndim = m;
    *q = (first_adv < 0 || separated) ? 0 : first_adv;
    return 0;
}

/* ---- stage 3: results ------------------------------------------------------- */

/* A full integer index: numbers are copied into a 0-d array, a record is a
 * 0-d view (NumPy's np.void scalar writes through). The copy is by size,
 * so that the common element sizes move as one load and store. */
static nd_array *element_at(const nd_array *a, char *d)
{
    if (a->dt->kind == ND_DK_RECORD)
        return nd__view(a, a->dt, 0, NULL, NULL, d);
    nd_array *r = nd__alloc(a->dt, 0, NULL, false);
    if (!r)
        return NULL;
    switch (a->dt->itemsize) {
    case 1: memcpy(r->data, d, 1); break;
    case 2: memcpy(r->data, d, 2); break;
    case 4: memcpy(r->data, d, 4); break;
    case 8: memcpy(r->data, d, 8); break;
    default: memcpy(r->data, d, a->dt->itemsize); break;
    }
    return r;
}

static nd_array *element(const nd_array *a, const nd__prep *p)
{
    char *d;
    int nd, q;
    ptrdiff_t sh[ND_MAXDIMS], st[ND_MAXDIMS];
    if (nd__walk(a, p, &d, &nd, sh, st, &q) < 0)
        return NULL;
    return element_at(a, d);
}

/* One integer per axis, values v[0..ndim): the element, with the bounds
 * checks of the full pipeline, left to right. */
static nd_array *element_of(const nd_array *a, const int64_t *v)
{
    char *d = a->data;
    for (int k = 0; k < a->ndim; k++) {
        ptrdiff_t len = a->shape[k], i = v[k];
        if (i < -len || i >= len) {
            bounds_error(i, k, len);
            return NULL;
        }
        d += a->strides[k] * (i < 0 ? i + len : i);
    }
    return element_at(a, d);
}

/* The commonest subscript, one integer per axis, without classification.
 * NULL with *done false when the items are anything else. */
static nd_array *all_ints(const nd_array *a, int n, const struct nd_index *items, bool *done)
{
    int64_t v[ND_MAXDIMS];
    *done = false;
    if (n != a->ndim || (n > 0 && !items))
        return NULL;
    for (int k = 0; k < n; k++) {
        if (items[k].kind != ND_IX_INT)
            return NULL;
        v[k] = items[k].i;
    }
    *done = true;
    return element_of(a, v);
}

static nd_array *basic(const nd_array *a, const nd__prep *p)
{
    char *d;
    int nd, q;
    ptrdiff_t sh[ND_MAXDIMS], st[ND_MAXDIMS];
    if (nd__walk(a, p, &d, &nd, sh, st, &q) < 0)
        return NULL;
    nd_array *v = nd__view(a, a->dt, nd, sh, st, d);
    if (v && p->copy0d) {       /* NumPy copies when a 0-d int array was used */
        nd_array *c = nd__copy_c(v);
        nd_free(v);
        v = c;
    }
    return v;
}

nd_array *nd__fancy_get(const nd_array *a, const nd__prep *p)
{
    nd__fancy f;
    nd_array *r = NULL;
    int rc;
    if (nd__fancy_plan(a, p, &f) < 0)
        return NULL;
    if (!(r = nd__alloc(a->dt, f.ndim, f.shape, false)))
        return NULL;
    rc = nd__fancy_gather_direct(a, p, &f, a->dt->itemsize, r->data);
    if (rc == 0) {
        rc = nd__fancy_offsets(a, p, &f);
        if (rc == 0)
            nd__fancy_gather(&f, a->dt->itemsize, r->data);
    }
    if (rc < 0) {
        nd_free(r);
        r = NULL;
    }
    nd__fancy_free(&f);
    return r;
}

static nd_array *get_prepared(const nd_array *a, const nd__prep *p)
{
    if (p->scalar)
        return element(a, p);
    if (p->bool_full)
        return nd__bool_select(a, p);
    if (p->fancy)
        return nd__fancy_get(a, p);
    return basic(a, p);
}

/* ---- fields ----------------------------------------------------------------- */

nd_array *nd_field(const nd_array *a, const char *name)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (a->dt->kind != ND_DK_RECORD || !name) {
        nd__fail(ND_EINDEX, "%s", ND__MSG_ONLY_INTEGERS);
        return NULL;
    }
    const nd__field *f = nd__find_field(a->dt, name);
    if (!f) {
        nd__fail(ND_EVALUE, "no field of name %s", name);
        return NULL;
    }
    return nd__view(a, f->type, a->ndim, a->shape, a->strides, a->data + f->offset);
}

nd_array *nd_fields(const nd_array *a, int n, const char *const *names)
{
    const nd_dtype *types[ND_MAX_ITEMS];
    size_t offsets[ND_MAX_ITEMS];
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (a->dt->kind != ND_DK_RECORD || n <= 0 || !names) {
        nd__fail(ND_EINDEX, "%s", ND__MSG_ONLY_INTEGERS);
        return NULL;
    }
    if (n > ND_MAX_ITEMS) {
        nd__fail(ND_EVALUE, "more than %d field names", ND_MAX_ITEMS);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        const nd__field *f = names[i] ? nd__find_field(a->dt, names[i]) : NULL;
        if (!f) {
            nd__fail(ND_EVALUE, "'%s' (NumPy raises KeyError: no field of that name)",
                     names[i] ? names[i] : "(null)");
            return NULL;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(names[j], names[i]) == 0) {
                nd__fail(ND_EVALUE, "duplicate field of name '%s'", names[i]);
                return NULL;
            }
        types[i] = f->type;
        offsets[i] = f->offset;
    }
    const nd_dtype *dt = nd__record_ex(n, names, types, offsets, a->dt->itemsize);
    if (!dt)
        return NULL;
    return nd__view(a, dt, a->ndim, a->shape, a->strides, a->data);
}

/* A field subscript (parsed kind FIELD or FIELDS): its view. */
static nd_array *field_get(const nd_array *a, const nd_subscript *s)
{
    const char *names[ND_MAX_ITEMS];
    if (s->kind == ND_SUB_FIELD)
        return nd_field(a, s->item[0].name);
    for (int i = 0; i < s->n; i++)
        names[i] = s->item[i].name;
    return nd_fields(a, s->n, names);
}

/* ---- public entry points ---------------------------------------------------- */

nd_array *nd_get_items(const nd_array *a, int n, const struct nd_index *items)
{
    nd__prep p;
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (n == 1 && items && items[0].kind == ND_IX_FIELD)
        return nd_field(a, items[0].name);
    bool done;
    nd_array *r = all_ints(a, n, items, &done);
    if (done)
        return r;
    if (nd__prepare(a, n, items, &p) < 0)
        return NULL;
    return get_prepared(a, &p);
}

/* "i, j, k" with one integer per axis, read without the general parser;
 * *done false (and nothing reported) for any other string, which the
 * parser then handles - including every malformed one. Up to 18 digits, so
 * the value cannot overflow. */
static nd_array *int_string(const nd_array *a, const char *p, bool *done)
{
    int64_t vals[ND_MAXDIMS];
    int n = 0;
    *done = false;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        bool neg = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        if (n == a->ndim || *p < '0' || *p > '9')
            return NULL;
        int64_t v = 0;
        for (int digits = 0; *p >= '0' && *p <= '9'; p++)
            if (++digits > 18)
                return NULL;
            else
                v = v * 10 + (*p - '0');
        while (*p == ' ' || *p == '\t')
            p++;
        vals[n++] = neg ? -v : v;
        if (*p == ',')
            p++;
        else if (*p)
            return NULL;
    }
    if (n != a->ndim)
        return NULL;
    *done = true;
    return element_of(a, vals);
}

nd_array *nd_get(const nd_array *a, const char *index)
{
    nd_subscript s;
    bool zero_step, done;
    nd_array *r;
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (index && (r = int_string(a, index, &done), done))
        return r;
    if (nd__parse_index(index, &s, &zero_step) < 0)
        return NULL;
    if (s.kind == ND_SUB_FIELD || s.kind == ND_SUB_FIELDS)
        r = field_get(a, &s);
    else
        r = nd_get_items(a, s.n, s.item);
    nd_subscript_free(&s);
    return r;
}

nd_array *nd_getf(const nd_array *a, const char *fmt, ...)
{
    char buf[256], *text = buf;
    va_list ap;
    if (!fmt) {
        nd__fail(ND_EINDEX, "NULL index string");
        return NULL;
    }
    va_start(ap, fmt);
    int len = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (len < 0) {
        nd__fail(ND_EVALUE, "invalid index format");
        return NULL;
    }
    if ((size_t)len >= sizeof buf) {
        text = malloc((size_t)len + 1);
        if (!text) {
            nd__fail(ND_ENOMEM, "Unable to format the index");
            return NULL;
        }
        va_start(ap, fmt);
        vsnprintf(text, (size_t)len + 1, fmt, ap);
        va_end(ap);
    }
    nd_array *r = nd_get(a, text);
    if (text != buf)
        free(text);
    return r;
}

nd_array *nd_get_copy(const nd_array *a, const char *index)
{
    nd_array *r = nd_get(a, index);
    if (!r || !r->base)
        return r;           /* already fresh memory */
    nd_array *c = nd__copy_c(r);
    nd_free(r);
    return c;
}
