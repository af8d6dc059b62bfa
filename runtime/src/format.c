/*
 * format.c - nd_repr / nd_print: NumPy's repr() text for an array.
 *
 * Key idea: a port of the layout half of NumPy's arrayprint (NumPy 1.24,
 * default options: linewidth 75, threshold 1000, edgeitems 3, precision 8,
 * floatmode 'maxprec'), in three steps:
 *   1. visit the elements that will be printed (all, or 3 at each end of
 *      every long axis when size > 1000) to fit one formatter per field:
 *      integers right-aligned to the widest value, bools as " True"/False,
 *      floats as the shortest round-trip digits capped at 8 decimals,
 *      positional ("0. ", "1.5") or scientific ("1.e+10") for the whole
 *      array, padded so the decimal points line up;
 *   2. lay out nested brackets with NumPy's recursion: rows wrap before
 *      column 75, later lines hang under the first element, blocks of
 *      higher axes are separated by blank lines;
 *   3. wrap in "array(...)" and add ", dtype=..." unless the dtype is
 *      implied (int64, float64, bool with at least one element).
 *
 * nd_print writes exactly nd_repr's text plus a newline (the repr, not
 * NumPy's str(), so a printed array can be pasted back into Python).
 *
 * Invariants: the text is built in growable buffers; any allocation failure
 * makes nd_repr return NULL with ND_ENOMEM and frees everything.
 *
 * Does not: honour print options, or reproduce NumPy's Dragon4 in every
 * corner (the shortest digits come from printf/strtod round trips, which
 * agree with Dragon4's unique mode for doubles and floats).
 */
#include "nd_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define LINEWIDTH 75
#define THRESHOLD 1000
#define EDGE 3
#define PRECISION 8

/* ---- growable strings ------------------------------------------------------ */

typedef struct str {
    char *p;
    size_t len, cap;
    bool oom;
} str;

static void put_n(str *s, const char *t, size_t n)
{
    if (s->oom)
        return;
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 64;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *q = realloc(s->p, cap);
        if (!q) {
            s->oom = true;
            return;
        }
        s->p = q;
        s->cap = cap;
    }
    memcpy(s->p + s->len, t, n);
    s->len += n;
    s->p[s->len] = '\0';
}

static void put(str *s, const char *t) { put_n(s, t, strlen(t)); }

static void put_spaces(str *s, int n)
{
    for (int i = 0; i < n; i++)
        put_n(s, " ", 1);
}

/* ---- element formatters ----------------------------------------------------- */

typedef struct fmt {
    const nd_dtype *dt;
    int width;                 /* integers: widest value */
    bool any_nonzero, any_finite, any_nonfinite, neg_inf, exp;
    double max_abs, min_abs;
    int pad_left, pad_right, prec, exp_size;
    struct fmt *sub;           /* records: one per field */
} fmt;

/* Shortest significant-digit count that reads back as v (in float when
 * f32), like Dragon4's unique mode. */
static int shortest(double v, bool f32)
{
    char buf[64];
    for (int p = 1; p < 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, v);
        double back = strtod(buf, NULL);
        if (f32 ? (float)back == (float)v : back == v)
            return p;
    }
    return 17;
}

static void trim_zeros(char *t)
{
    char *dot = strchr(t, '.');
    if (!dot) {
        strcat(t, ".");
        return;
    }
    size_t n = strlen(t);
    while (n > (size_t)(dot - t) + 1 && t[n - 1] == '0')
        t[--n] = '\0';
}

/* Positional unique digits, at most PRECISION decimals, trailing zeros
 * trimmed but the point kept ("1.", "0.33333333"). */
static void positional(double v, bool f32, char *out, size_t n)
{
    int p = shortest(v, f32), e = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%.*e", p - 1, v);
    e = atoi(strchr(buf, 'e') + 1);
    int frac = p - 1 - e;
    frac = frac < 0 ? 0 : frac > PRECISION ? PRECISION : frac;
    snprintf(out, n, "%.*f", frac, v);
    trim_zeros(out);
}

/* Scientific with `prec` mantissa decimals (unique digits when prec < 0),
 * exponent padded to exp_digits. */
static void scientific(double v, bool f32, int prec, int exp_digits, char *out, size_t n)
{
    char buf[64], mant[64];
    bool unique = prec < 0;
    if (unique) {
        prec = shortest(v, f32) - 1;
        if (prec > PRECISION)
            prec = PRECISION;
    }
    snprintf(buf, sizeof buf, "%.*e", prec, v);
    char *e = strchr(buf, 'e');
    size_t mlen = (size_t)(e - buf);
    memcpy(mant, buf, mlen);
    mant[mlen] = '\0';
    if (unique)
        trim_zeros(mant);
    else if (!strchr(mant, '.'))
        strcat(mant, ".");
    char sign = e[1];
    const char *digits = e + 2;
    int nd = (int)strlen(digits);
    snprintf(out, n, "%se%c%0*d", mant, sign, exp_digits > nd ? exp_digits : nd, atoi(digits));
}

static void fmt_stats(fmt *f, const char *p);
static void fmt_pads(fmt *f, const char *p);

static int fmt_init(fmt *f, const nd_dtype *dt)
{
    memset(f, 0, sizeof *f);
    f->dt = dt;
    f->width = dt->kind == ND_DK_BOOL;   /* bools print as " True" in arrays */
    if (dt->kind == ND_DK_RECORD && dt->n_fields > 0) {
        f->sub = calloc((size_t)dt->n_fields, sizeof *f->sub);
        if (!f->sub)
            return -1;
        for (int i = 0; i < dt->n_fields; i++)
            if (fmt_init(&f->sub[i], dt->fields[i].type) < 0)
                return -1;
    }
    return 0;
}

static void fmt_release(fmt *f)
{
    if (f->sub)
        for (int i = 0; i < f->dt->n_fields; i++)
            fmt_release(&f->sub[i]);
    free(f->sub);
}

static void int_text(const nd_dtype *dt, const char *p, char *out, size_t n)
{
    int64_t v = nd__load_i64(dt, p);
    if (dt->kind == ND_DK_UINT)
        snprintf(out, n, "%llu", (unsigned long long)(uint64_t)v);
    else
        snprintf(out, n, "%lld", (long long)v);
}

/* Pass 1: widths of integers, range of floats. */
static void fmt_stats(fmt *f, const char *p)
{
    char buf[64];
    switch (f->dt->kind) {
    case ND_DK_INT:
    case ND_DK_UINT:
        int_text(f->dt, p, buf, sizeof buf);
        if ((int)strlen(buf) > f->width)
            f->width = (int)strlen(buf);
        break;
    case ND_DK_FLOAT: {
        double v = nd__load_f64(f->dt, p);
        if (!isfinite(v)) {
            f->any_nonfinite = true;
            f->neg_inf |= isinf(v) && v < 0;
            break;
        }
        f->any_finite = true;
        if (v != 0) {
            double a = fabs(v);
            if (!f->any_nonzero || a > f->max_abs)
                f->max_abs = a;
            if (!f->any_nonzero || a < f->min_abs)
                f->min_abs = a;
            f->any_nonzero = true;
        }
        break;
    }
    case ND_DK_RECORD:
        for (int i = 0; i < f->dt->n_fields; i++)
            fmt_stats(&f->sub[i], p + f->dt->fields[i].offset);
        break;
    default:
        break;
    }
}

/* Pass 2 (floats): the mode is known, measure the digit strings. */
static void fmt_pads(fmt *f, const char *p)
{
    char buf[96];
    if (f->dt->kind == ND_DK_RECORD) {
        for (int i = 0; i < f->dt->n_fields; i++)
            fmt_pads(&f->sub[i], p + f->dt->fields[i].offset);
        return;
    }
    if (f->dt->kind != ND_DK_FLOAT)
        return;
    double v = nd__load_f64(f->dt, p);
    if (!isfinite(v))
        return;
    bool f32 = f->dt->num == ND_T_FLOAT32;
    if (f->exp)
        scientific(v, f32, -1, 0, buf, sizeof buf);
    else
        positional(v, f32, buf, sizeof buf);
    char *dot = strchr(buf, '.'), *e = strchr(buf, 'e');
    int left = (int)(dot - buf);
    int frac = (int)((e ? e : buf + strlen(buf)) - dot - 1);
    if (left > f->pad_left)
        f->pad_left = left;
    if (f->exp) {
        if (frac > f->prec)
            f->prec = frac;
        if ((int)strlen(e + 2) > f->exp_size)
            f->exp_size = (int)strlen(e + 2);
    } else if (frac > f->pad_right) {
        f->pad_right = frac;
    }
}

static void fmt_decide(fmt *f)
{
    if (f->dt->kind == ND_DK_RECORD) {
        for (int i = 0; i < f->dt->n_fields; i++)
            fmt_decide(&f->sub[i]);
        return;
    }
    if (f->dt->kind == ND_DK_FLOAT && f->any_nonzero)
        f->exp = f->max_abs >= 1e8 || f->min_abs < 0.0001 || f->max_abs / f->min_abs > 1000.;
}

static void fmt_finish(fmt *f)
{
    if (f->dt->kind == ND_DK_RECORD) {
        for (int i = 0; i < f->dt->n_fields; i++)
            fmt_finish(&f->sub[i]);
        return;
    }
    if (f->dt->kind != ND_DK_FLOAT)
        return;
    if (f->exp)
        f->pad_right = f->exp_size + 2 + f->prec;
    if (f->any_nonfinite) {
        int off = f->pad_right + 1, inflen = 3 + f->neg_inf;
        if (3 - off > f->pad_left)
            f->pad_left = 3 - off;
        if (inflen - off > f->pad_left)
            f->pad_left = inflen - off;
    }
}

static void fmt_put(const fmt *f, const char *p, str *s)
{
    char buf[128];
    switch (f->dt->kind) {
    case ND_DK_BOOL:
        put(s, nd__load_i64(f->dt, p) ? f->width ? " True" : "True" : "False");
        return;
    case ND_DK_INT:
    case ND_DK_UINT:
        int_text(f->dt, p, buf, sizeof buf);
        put_spaces(s, f->width - (int)strlen(buf));
        put(s, buf);
        return;
    case ND_DK_FLOAT: {
        double v = nd__load_f64(f->dt, p);
        bool f32 = f->dt->num == ND_T_FLOAT32;
        if (!isfinite(v)) {
            const char *t = isnan(v) ? "nan" : v < 0 ? "-inf" : "inf";
            put_spaces(s, f->pad_left + f->pad_right + 1 - (int)strlen(t));
            put(s, t);
            return;
        }
        if (f->exp)
            scientific(v, f32, f->prec, f->exp_size, buf, sizeof buf);
        else
            positional(v, f32, buf, sizeof buf);
        char *dot = strchr(buf, '.');
        put_spaces(s, f->pad_left - (int)(dot - buf));
        put(s, buf);
        if (!f->exp)
            put_spaces(s, f->pad_right - (int)strlen(dot + 1));
        return;
    }
    default:
        put(s, "(");
        for (int i = 0; i < f->dt->n_fields; i++) {
            if (i)
                put(s, ", ");
            fmt_put(&f->sub[i], p + f->dt->fields[i].offset, s);
        }
        put(s, f->dt->n_fields == 1 ? ",)" : ")");
    }
}

/* ---- traversal ----------------------------------------------------------------- */

typedef struct ctx {
    const nd_array *a;
    bool summary;
    fmt f;
    str *err;   /* the output, whose oom flag collects failures */
} ctx;

static bool summarised(const ctx *c, int axis) { return c->summary && 2 * EDGE < c->a->shape[axis]; }

/* Visits printed elements in order; pass selects stats or pads. */
static void visit(ctx *c, const char *p, int axis, int pass)
{
    if (axis == c->a->ndim) {
        if (pass == 0)
            fmt_stats(&c->f, p);
        else
            fmt_pads(&c->f, p);
        return;
    }
    ptrdiff_t n = c->a->shape[axis], st = c->a->strides[axis];
    bool sum = summarised(c, axis);
    for (ptrdiff_t i = 0; i < n; i++) {
        if (sum && i == EDGE)
            i = n - EDGE;
        visit(c, p + i * st, axis + 1, pass);
    }
}

static void extend(str *s, str *line, const char *word, int width, int hang)
{
    bool wrap = (int)(line->len + strlen(word)) > width && (int)line->len > hang;
    if (wrap) {
        size_t n = line->len;
        while (n > 0 && line->p[n - 1] == ' ')
            n--;
        put_n(s, line->p, n);
        put(s, "\n");
        line->len = 0;
        put_spaces(line, hang);
    }
    put(line, word);
}

/* NumPy's _formatArray recurser; returns a malloc'd string or NULL. */
static char *recurse(ctx *c, const char *p, int axis, int hang, int width)
{
    str s = {0}, line = {0}, word = {0};
    if (axis == c->a->ndim) {
        fmt_put(&c->f, p, &s);
        put(&s, "");
        if (s.oom)
            c->err->oom = true;
        return s.oom ? (free(s.p), NULL) : s.p;
    }
    ptrdiff_t n = c->a->shape[axis], st = c->a->strides[axis];
    bool sum = summarised(c, axis);
    int left = c->a->ndim - axis;
    /* As in NumPy, s starts with the hanging indent, stripped at the end. */
    if (left == 1) {
        put_spaces(&line, hang);
        for (ptrdiff_t i = 0; i < n; i++) {
            if (sum && i == EDGE) {
                extend(&s, &line, "...", width - 1, hang);
                put(&line, ", ");
                i = n - EDGE;
            }
            char *w = recurse(c, p + i * st, axis + 1, hang + 1, width - 1);
            if (!w)
                goto fail;
            extend(&s, &line, w, width - 1, hang);
            free(w);
            if (i + 1 < n)
                put(&line, ", ");
        }
        put_n(&s, line.p ? line.p : "", line.len);
    } else {
        char sep[40] = ",";
        for (int k = 1; k < left && k < 38; k++)
            strcat(sep, "\n");
        for (ptrdiff_t i = 0; i < n; i++) {
            if (sum && i == EDGE) {
                put_spaces(&s, hang);
                put(&s, "...");
                put(&s, sep);
                i = n - EDGE;
            }
            char *w = recurse(c, p + i * st, axis + 1, hang + 1, width - 1);
            if (!w)
                goto fail;
            put_spaces(&s, hang);
            put(&s, w);
            free(w);
            if (i + 1 < n)
                put(&s, sep);
        }
    }
    put(&word, "[");
    if (s.len > (size_t)hang)
        put(&word, s.p + hang);
    put(&word, "]");
    if (s.oom || line.oom || word.oom)
        goto fail;
    free(s.p);
    free(line.p);
    return word.p;
fail:
    c->err->oom = true;
    free(s.p);
    free(line.p);
    free(word.p);
    return NULL;
}

/* ---- dtype text -------------------------------------------------------------- */

static void dtype_code(const nd_dtype *dt, str *s)
{
    static const char *const codes[] = {"'?'", "'i1'", "'<i2'", "'<i4'", "'<i8'", "'u1'",
                                        "'<u2'", "'<u4'", "'<u8'", "'<f4'", "'<f8'"};
    if (dt->kind != ND_DK_RECORD) {
        put(s, codes[dt->num]);
        return;
    }
    bool packed = true;
    size_t off = 0;
    for (int i = 0; i < dt->n_fields; i++) {
        packed &= dt->fields[i].offset == off;
        off += dt->fields[i].type->itemsize;
    }
    packed &= off == dt->itemsize;
    char buf[64];
    if (packed) {
        put(s, "[");
        for (int i = 0; i < dt->n_fields; i++) {
            put(s, i ? ", ('" : "('");
            put(s, dt->fields[i].name);
            put(s, "', ");
            dtype_code(dt->fields[i].type, s);
            put(s, ")");
        }
        put(s, "]");
        return;
    }
    put(s, "{'names': [");
    for (int i = 0; i < dt->n_fields; i++) {
        put(s, i ? ", '" : "'");
        put(s, dt->fields[i].name);
        put(s, "'");
    }
    put(s, "], 'formats': [");
    for (int i = 0; i < dt->n_fields; i++) {
        if (i)
            put(s, ", ");
        dtype_code(dt->fields[i].type, s);
    }
    put(s, "], 'offsets': [");
    for (int i = 0; i < dt->n_fields; i++) {
        snprintf(buf, sizeof buf, i ? ", %zu" : "%zu", dt->fields[i].offset);
        put(s, buf);
    }
    snprintf(buf, sizeof buf, "], 'itemsize': %zu}", dt->itemsize);
    put(s, buf);
}

static void dtype_text(const nd_dtype *dt, str *s)
{
    if (dt->kind == ND_DK_RECORD)
        dtype_code(dt, s);
    else
        put(s, dt->name);
}

/* ---- entry points ---------------------------------------------------------------- */

char *nd_repr(const nd_array *a)
{
    str out = {0};
    ctx c = {0};
    ptrdiff_t size;
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (nd__shape_size(a->ndim, a->shape, &size) < 0)
        return NULL;
    bool implied = (a->dt == ND_INT64 || a->dt == ND_FLOAT64 || a->dt == ND_BOOL) && size > 0;
    put(&out, "array(");
    if (size == 0) {
        put(&out, "[]");
        if (!(a->ndim == 1)) {
            char buf[32];
            put(&out, ", shape=(");
            for (int i = 0; i < a->ndim; i++) {
                snprintf(buf, sizeof buf, i ? ", %td" : "%td", a->shape[i]);
                put(&out, buf);
            }
            put(&out, a->ndim == 1 ? ",)" : ")");
        }
    } else {
        c.a = a;
        c.summary = size > THRESHOLD;
        c.err = &out;
        if (fmt_init(&c.f, a->dt) < 0) {
            out.oom = true;
            goto out;
        }
        if (a->ndim == 0 && a->dt->kind == ND_DK_BOOL)
            c.f.width = 0;   /* a 0-d bool prints "True" */
        visit(&c, a->data, 0, 0);
        fmt_decide(&c.f);
        visit(&c, a->data, 0, 1);
        fmt_finish(&c.f);
        char *body = recurse(&c, a->data, 0, 7, LINEWIDTH - 1);
        if (!body)
            goto out;
        put(&out, body);
        free(body);
    }
    if (implied) {
        put(&out, ")");
    } else {
        str dts = {0};
        put(&dts, "dtype=");
        dtype_text(a->dt, &dts);
        put(&dts, ")");
        put(&out, ",");
        const char *nl = out.p ? strrchr(out.p, '\n') : NULL;
        size_t last = nl ? out.len - (size_t)(nl - out.p + 1) : out.len;
        if (last + dts.len + 1 > LINEWIDTH)
            put(&out, "\n      ");
        else
            put(&out, " ");
        put_n(&out, dts.p ? dts.p : "", dts.len);
        out.oom |= dts.oom;
        free(dts.p);
    }
out:
    fmt_release(&c.f);
    if (out.oom) {
        free(out.p);
        nd__fail(ND_ENOMEM, "Unable to allocate the repr text");
        return NULL;
    }
    return out.p;
}

int nd_print(FILE *f, const nd_array *a)
{
    if (!f)
        return nd__fail(ND_EIO, "NULL stream");
    char *s = nd_repr(a);
    if (!s)
        return -1;
    int rc = fputs(s, f) < 0 || fputc('\n', f) == EOF ? nd__fail(ND_EIO, "write failed") : 0;
    free(s);
    return rc;
}
