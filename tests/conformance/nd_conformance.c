/*
 * nd_conformance.c - the `nd-conformance` runner: checks libnd against
 * NumPy's answers stored as `nd-vectors/1` files (shared/vectors/README.md).
 *
 *     nd-conformance FILE...
 *
 * Each file starts with a header line whose "format" must be
 * "nd-vectors/1"; every further line is one case (one JSON object). For each
 * case the runner builds the base array the README describes (flat element
 * i: a C cast of the int64 i; bool: i % 2 == 1; record: x = i, y = 10 i,
 * z = -i), applies `pre` with nd_get, runs the operation (get, set, shares,
 * ix) through libnd's public API and compares everything the case expects:
 * shape, values in C order, whether the result is a view of the base,
 * record field names, scalar-ness, the error kind, the base after a write
 * (or its bytes unchanged after a failed one), and both overlap answers.
 *
 * Output: one line per failing case (id, index, expected, got), then exactly
 * `N passed, M failed`. Exit status 0 when every case passed, 1 when some
 * failed, 2 for a usage error or an input that is not a valid vector file
 * (unreadable file, wrong format, malformed line, unknown op or dtype).
 *
 * Numbers are compared as doubles: cJSON keeps no integer text, so integers
 * beyond 2^53 are compared after rounding, on both sides alike. Float
 * results are compared exactly; the vectors only hold integral values.
 *
 * The runner reads results through nd_int.h (dtype kind, record fields,
 * element layout) because nd.h exposes no field enumeration; it never
 * changes libnd state except through the public calls it is testing.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The private header (runtime/src is on this target's include path): the
 * runner inspects dtypes and element layout, which nd.h keeps opaque. */
#include "nd_int.h"

#define FORMAT_NAME "nd-vectors/1"
#define GOT_MAX 480        /* room for one "got" description */
#define EXPECT_SHOWN 300   /* expected JSON is shortened to this many bytes */
#define VALUES_SHOWN 16    /* elements shown in a "got" description */

typedef enum { CASE_PASS, CASE_FAIL, CASE_BAD } outcome;

/* ---- tables -------------------------------------------------------------- */

static const struct {
    const char *name;
    const nd_dtype *const *dt;   /* NULL: the record type, built on demand */
} dtype_names[] = {
    {"bool", &ND_BOOL},       {"int8", &ND_INT8},       {"int16", &ND_INT16},
    {"int32", &ND_INT32},     {"int64", &ND_INT64},     {"uint8", &ND_UINT8},
    {"uint16", &ND_UINT16},   {"uint32", &ND_UINT32},   {"uint64", &ND_UINT64},
    {"float32", &ND_FLOAT32}, {"float64", &ND_FLOAT64}, {"record", NULL},
};

static const struct {
    const char *name;
    nd_errcode code;
} error_kinds[] = {
    {"IndexError", ND_EINDEX},
    {"ValueError", ND_EVALUE},
    {"TypeError", ND_ETYPE},
};

static const char *const errcode_names[] = {
    [ND_OK] = "ND_OK",         [ND_EINDEX] = "ND_EINDEX",
    [ND_EVALUE] = "ND_EVALUE", [ND_ETYPE] = "ND_ETYPE",
    [ND_ENOMEM] = "ND_ENOMEM", [ND_EREADONLY] = "ND_EREADONLY",
    [ND_EIO] = "ND_EIO",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The README's record type: x:int32, y:float64, z:int16, packed. */
static const nd_dtype *record_type(void)
{
    static const char *const names[] = {"x", "y", "z"};
    const nd_dtype *types[] = {ND_INT32, ND_FLOAT64, ND_INT16};
    return nd_record(3, names, types);
}

static const nd_dtype *dtype_named(const char *name)
{
    for (size_t i = 0; i < COUNT(dtype_names); i++)
        if (strcmp(dtype_names[i].name, name) == 0)
            return dtype_names[i].dt ? *dtype_names[i].dt : record_type();
    return NULL;
}

/* ---- element access ------------------------------------------------------ */

/* A C cast of v into one element of built-in type dt (dtypes.def order). */
static void store_cast(const nd_dtype *dt, char *p, int64_t v)
{
    switch (dt->num) {
#define ND_DTYPE(id, name, ctype, kind)                                         \
    case ND_T_##id: {                                                           \
        ctype x = (ctype)v;                                                     \
        memcpy(p, &x, sizeof x);                                                \
        break;                                                                  \
    }
#include "dtypes.def"
#undef ND_DTYPE
    default:
        break;
    }
}

/* One built-in element as a double (bools as 0 or 1). */
static double load_double(const nd_dtype *dt, const char *p)
{
    switch (dt->num) {
#define ND_DTYPE(id, name, ctype, kind)                                         \
    case ND_T_##id: {                                                           \
        ctype x;                                                                \
        memcpy(&x, p, sizeof x);                                                \
        return (double)x;                                                       \
    }
#include "dtypes.def"
#undef ND_DTYPE
    default:
        return 0.0;
    }
}

/* Visits the elements of a in C order; returns false when fn does. */
typedef bool (*elem_fn)(const nd_dtype *dt, const char *p, ptrdiff_t i, void *ctx);

static bool each_element(const nd_array *a, elem_fn fn, void *ctx)
{
    int nd = nd_ndim(a);
    const ptrdiff_t *shape = nd_shape(a), *strides = nd_strides(a);
    ptrdiff_t n = nd_size(a), idx[ND_MAXDIMS] = {0};
    const char *p = nd_data((nd_array *)a);

    for (ptrdiff_t i = 0; i < n; i++) {
        if (!fn(nd_dtype_of(a), p, i, ctx))
            return false;
        for (int k = nd - 1; k >= 0; k--) {   /* odometer step */
            p += strides[k];
            if (++idx[k] < shape[k])
                break;
            p -= strides[k] * shape[k];
            idx[k] = 0;
        }
    }
    return true;
}

/* ---- the base array ------------------------------------------------------ */

static nd_array *make_base(const nd_dtype *dt, int ndim, const ptrdiff_t *shape)
{
    nd_array *a = nd_zeros(dt, ndim, shape);
    if (a == NULL)
        return NULL;
    char *p = nd_data(a);
    size_t w = dt->itemsize;
    for (ptrdiff_t i = 0; i < nd_size(a); i++, p += w) {
        if (dt->kind == ND_DK_RECORD) {
            const int64_t v[3] = {i, 10 * i, -i};
            for (int f = 0; f < dt->n_fields && f < 3; f++)
                store_cast(dt->fields[f].type, p + dt->fields[f].offset, v[f]);
        } else if (dt->kind == ND_DK_BOOL) {
            store_cast(dt, p, i % 2 == 1);
        } else {
            store_cast(dt, p, i);
        }
    }
    return a;
}

/* ---- reading the JSON ---------------------------------------------------- */

static const cJSON *member(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *string_member(const cJSON *o, const char *key)
{
    const cJSON *s = member(o, key);
    return cJSON_IsString(s) ? s->valuestring : NULL;
}

/* An integral JSON number that fits in int64 (converting anything else
 * would be undefined); false if it is not one. */
static bool json_int(const cJSON *j, int64_t *out)
{
    if (!cJSON_IsNumber(j))
        return false;
    double d = j->valuedouble;
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) ||
        d != (double)(int64_t)d)
        return false;
    *out = (int64_t)d;
    return true;
}

/* One element of a value or ix list into p: a bool, or an integer. */
static bool json_elem(const cJSON *e, bool is_bool, const nd_dtype *dt, char *p)
{
    int64_t v;
    if (is_bool ? !cJSON_IsBool(e) : !json_int(e, &v))
        return false;
    store_cast(dt, p, is_bool ? cJSON_IsTrue(e) != 0 : v);
    return true;
}

/* A JSON list of non-negative integers into a shape; false if malformed. */
static bool parse_shape(const cJSON *j, int *ndim, ptrdiff_t *shape)
{
    if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) > ND_MAXDIMS)
        return false;
    int n = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, j) {
        int64_t v;
        if (!json_int(d, &v) || v < 0 || v > 1000000000)
            return false;
        shape[n++] = (ptrdiff_t)v;
    }
    *ndim = n;
    return true;
}

/* ---- describing what we got --------------------------------------------- */

typedef struct text {
    char buf[GOT_MAX];
    size_t len;
} text;

static void put(text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
    if (t->len >= sizeof t->buf - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n;
    if (t->len >= sizeof t->buf)
        t->len = sizeof t->buf - 1;
}

static void put_shape(text *t, int ndim, const ptrdiff_t *shape)
{
    put(t, "[");
    for (int k = 0; k < ndim; k++)
        put(t, "%s%td", k ? "," : "", shape[k]);
    put(t, "]");
}

static void put_scalar(text *t, const nd_dtype *dt, const char *p)
{
    if (dt->kind == ND_DK_BOOL)
        put(t, "%s", load_double(dt, p) != 0 ? "true" : "false");
    else
        put(t, "%.17g", load_double(dt, p));
}

static bool put_element(const nd_dtype *dt, const char *p, ptrdiff_t i, void *ctx)
{
    text *t = ctx;
    if (i >= VALUES_SHOWN) {
        put(t, ",...");
        return false;
    }
    put(t, "%s", i ? "," : "");
    if (dt->kind != ND_DK_RECORD) {
        put_scalar(t, dt, p);
        return true;
    }
    put(t, "[");
    for (int f = 0; f < dt->n_fields; f++) {
        put(t, "%s", f ? "," : "");
        put_scalar(t, dt->fields[f].type, p + dt->fields[f].offset);
    }
    put(t, "]");
    return true;
}

static void put_array(text *t, const nd_array *a)
{
    put(t, "shape ");
    put_shape(t, nd_ndim(a), nd_shape(a));
    const nd_dtype *dt = nd_dtype_of(a);
    for (int f = 0; f < dt->n_fields; f++)   /* 0 unless a record */
        put(t, "%s%s", f ? "," : " fields [", dt->fields[f].name);
    put(t, "%s values [", dt->n_fields ? "]" : "");
    each_element(a, put_element, t);
    put(t, "]");
}

static void put_error(text *t)
{
    nd_errcode e = nd_errno();
    put(t, "error %s: %s",
        (unsigned)e < COUNT(errcode_names) ? errcode_names[e] : "?", nd_errmsg());
}

/* ---- comparing ------------------------------------------------------------ */

static bool scalar_equal(const nd_dtype *dt, const char *p, const cJSON *want)
{
    double v = load_double(dt, p);
    if (dt->kind == ND_DK_BOOL)
        return cJSON_IsBool(want) && (v != 0) == (cJSON_IsTrue(want) != 0);
    return cJSON_IsNumber(want) && v == want->valuedouble;
}

typedef struct walk {
    const cJSON *next;    /* expected value of the current element */
} walk;

static bool element_equal(const nd_dtype *dt, const char *p, ptrdiff_t i, void *ctx)
{
    walk *w = ctx;
    const cJSON *want = w->next;
    (void)i;
    if (want == NULL)
        return false;
    w->next = want->next;
    if (dt->kind != ND_DK_RECORD)
        return scalar_equal(dt, p, want);
    if (!cJSON_IsArray(want) || cJSON_GetArraySize(want) != dt->n_fields)
        return false;
    const cJSON *f = want->child;
    for (int k = 0; k < dt->n_fields; k++, f = f->next)
        if (!scalar_equal(dt->fields[k].type, p + dt->fields[k].offset, f))
            return false;
    return true;
}

static bool values_equal(const nd_array *a, const cJSON *values)
{
    if (!cJSON_IsArray(values) || cJSON_GetArraySize(values) != nd_size(a))
        return false;
    walk w = {values->child};
    return each_element(a, element_equal, &w);
}

static bool shape_equal(const nd_array *a, const cJSON *shape_json)
{
    int ndim;
    ptrdiff_t shape[ND_MAXDIMS];
    if (!parse_shape(shape_json, &ndim, shape) || ndim != nd_ndim(a))
        return false;
    return ndim == 0 || memcmp(shape, nd_shape(a), (size_t)ndim * sizeof *shape) == 0;
}

/* `get` cases list the fields of record arrays (not of record scalars);
 * `ix` cases never list them (NumPy's ix_ oracle records shape and values
 * only), so an absent list is only a mismatch where the op lists fields. */
static bool fields_equal(const nd_array *a, const cJSON *fields, bool scalar,
                         bool op_lists_fields)
{
    const nd_dtype *dt = nd_dtype_of(a);
    if (fields == NULL)
        return dt->kind != ND_DK_RECORD || scalar || !op_lists_fields;
    if (dt->kind != ND_DK_RECORD || !cJSON_IsArray(fields) ||
        cJSON_GetArraySize(fields) != dt->n_fields)
        return false;
    const cJSON *f = fields->child;
    for (int k = 0; k < dt->n_fields; k++, f = f->next)
        if (!cJSON_IsString(f) || strcmp(f->valuestring, dt->fields[k].name) != 0)
            return false;
    return true;
}

/* The error the case expects, or -1 when it expects none; -2 if unknown. */
static int expected_error(const cJSON *expect)
{
    const cJSON *e = member(expect, "error");
    if (e == NULL)
        return -1;
    if (!cJSON_IsString(e))
        return -2;
    for (size_t i = 0; i < COUNT(error_kinds); i++)
        if (strcmp(error_kinds[i].name, e->valuestring) == 0)
            return (int)error_kinds[i].code;
    return -2;
}

/* r is the result of a get or ix (NULL on error). */
static outcome check_result(const nd_array *r, const nd_array *base,
                            const cJSON *expect, bool op_lists_fields, text *got)
{
    int err = expected_error(expect);
    if (err == -2 || (err == -1 && (!cJSON_IsArray(member(expect, "shape")) ||
                                    !cJSON_IsArray(member(expect, "values")))))
        return CASE_BAD;
    if (r == NULL) {
        put_error(got);
        return nd_errno() == (nd_errcode)err ? CASE_PASS : CASE_FAIL;
    }
    if (err >= 0) {
        put(got, "no error, ");
        put_array(got, r);
        return CASE_FAIL;
    }
    const cJSON *view = member(expect, "view"), *scalar = member(expect, "scalar");
    bool is_view = nd_base(r) == base;
    bool ok = shape_equal(r, member(expect, "shape")) &&
              fields_equal(r, member(expect, "fields"), cJSON_IsTrue(scalar),
                           op_lists_fields) &&
              values_equal(r, member(expect, "values")) &&
              (view == NULL || (cJSON_IsBool(view) && is_view == cJSON_IsTrue(view))) &&
              (!cJSON_IsTrue(scalar) || nd_ndim(r) == 0);
    if (!ok) {
        put_array(got, r);
        put(got, " view %s", is_view ? "true" : "false");
    }
    return ok ? CASE_PASS : CASE_FAIL;
}

/* ---- the operations ------------------------------------------------------ */

typedef struct ctx {
    const cJSON *c, *expect;
    const nd_dtype *dt;
    int ndim;
    ptrdiff_t shape[ND_MAXDIMS];
    nd_array *base;     /* owned */
    nd_array *a;        /* base, or the view pre made (owned when != base) */
} ctx;

static outcome op_get(ctx *x, text *got)
{
    const char *index = string_member(x->c, "index");
    if (index == NULL)
        return CASE_BAD;
    nd_array *r = nd_get(x->a, index);
    outcome o = check_result(r, x->base, x->expect, true, got);
    nd_free(r);
    return o;
}

/* The value of a set case as a new int64 or bool array (NULL if malformed). */
static nd_array *make_value(const cJSON *v)
{
    int ndim;
    ptrdiff_t shape[ND_MAXDIMS];
    const char *dtn = string_member(v, "dtype");
    const cJSON *values = member(v, "values");
    if (dtn == NULL || !parse_shape(member(v, "shape"), &ndim, shape) ||
        !cJSON_IsArray(values))
        return NULL;
    bool is_bool = strcmp(dtn, "bool") == 0;
    if (!is_bool && strcmp(dtn, "int64") != 0)
        return NULL;
    nd_array *a = nd_zeros(is_bool ? ND_BOOL : ND_INT64, ndim, shape);
    if (a == NULL || nd_size(a) != cJSON_GetArraySize(values)) {
        nd_free(a);
        return NULL;
    }
    char *p = nd_data(a);
    const cJSON *e;
    cJSON_ArrayForEach(e, values) {
        if (!json_elem(e, is_bool, nd_dtype_of(a), p)) {
            nd_free(a);
            return NULL;
        }
        p += nd_itemsize(a);
    }
    return a;
}

static outcome op_set(ctx *x, text *got)
{
    const char *index = string_member(x->c, "index");
    nd_array *value = make_value(member(x->c, "value")), *pristine = NULL;
    outcome o = CASE_BAD;
    int err = expected_error(x->expect), rc;
    if (index == NULL || value == NULL || err == -2 ||
        (err == -1 && !cJSON_IsArray(member(x->expect, "after"))))
        goto out;

    rc = nd_set(x->a, index, value);
    o = CASE_FAIL;
    if (err >= 0) {
        if (rc == 0) {
            put(got, "no error, after: ");
            put_array(got, x->base);
            goto out;
        }
        if (nd_errno() != (nd_errcode)err) {
            put_error(got);
            goto out;
        }
        if (cJSON_IsTrue(member(x->expect, "unchanged"))) {
            pristine = make_base(x->dt, x->ndim, x->shape);
            if (pristine == NULL ||
                memcmp(nd_data(pristine), nd_data(x->base),
                       (size_t)nd_size(x->base) * nd_itemsize(x->base)) != 0) {
                put(got, "changed: ");
                put_array(got, x->base);
                goto out;
            }
        }
        o = CASE_PASS;
        goto out;
    }
    if (rc != 0) {
        put_error(got);
        goto out;
    }
    if (!values_equal(x->base, member(x->expect, "after"))) {
        put(got, "after: ");
        put_array(got, x->base);
        goto out;
    }
    o = CASE_PASS;
out:
    nd_free(pristine);
    nd_free(value);
    return o;
}

static outcome op_shares(ctx *x, text *got)
{
    const char *i1 = string_member(x->c, "index"), *i2 = string_member(x->c, "index2");
    const cJSON *want = member(x->expect, "shares"), *want_may = member(x->expect, "may_share");
    if (i1 == NULL || i2 == NULL || !cJSON_IsBool(want) || !cJSON_IsBool(want_may))
        return CASE_BAD;
    nd_array *r1 = nd_get(x->a, i1), *r2 = r1 ? nd_get(x->a, i2) : NULL;
    outcome o = CASE_FAIL;
    if (r2 == NULL) {
        put_error(got);
        goto out;
    }
    int s = nd_shares_memory(r1, r2);
    bool m = nd_may_share_memory(r1, r2);
    if (s < 0) {
        put_error(got);
        goto out;
    }
    if ((s == 1) == cJSON_IsTrue(want) && m == (cJSON_IsTrue(want_may) != 0))
        o = CASE_PASS;
    else
        put(got, "shares %s, may_share %s", s ? "true" : "false", m ? "true" : "false");
out:
    nd_free(r2);
    nd_free(r1);
    return o;
}

/* One np.ix_ argument: a list of booleans becomes a bool mask, anything
 * else (including []) an int64 array, as np.ix_ does. NULL if malformed. */
static nd_array *make_ix_list(const cJSON *list)
{
    if (!cJSON_IsArray(list))
        return NULL;
    ptrdiff_t n = cJSON_GetArraySize(list);
    bool is_bool = n > 0 && cJSON_IsBool(list->child);
    nd_array *a = nd_zeros(is_bool ? ND_BOOL : ND_INT64, 1, &n);
    if (a == NULL)
        return NULL;
    char *p = nd_data(a);
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        if (!json_elem(e, is_bool, nd_dtype_of(a), p)) {
            nd_free(a);
            return NULL;
        }
        p += nd_itemsize(a);
    }
    return a;
}

static outcome op_ix(ctx *x, text *got)
{
    const cJSON *ix = member(x->c, "ix");
    nd_array *lists[ND_MAXDIMS] = {0}, *r = NULL;
    int n = 0;
    outcome o = CASE_BAD;
    if (!cJSON_IsArray(ix) || cJSON_GetArraySize(ix) > ND_MAXDIMS)
        return CASE_BAD;
    const cJSON *l;
    cJSON_ArrayForEach(l, ix) {
        if ((lists[n] = make_ix_list(l)) == NULL)
            goto out;
        n++;
    }
    r = nd_get_ix(x->a, n, (const nd_array *const *)lists);
    o = check_result(r, x->base, x->expect, false, got);
out:
    nd_free(r);
    for (int i = 0; i < n; i++)
        nd_free(lists[i]);
    return o;
}

static const struct {
    const char *name;
    outcome (*run)(ctx *, text *);
} ops[] = {
    {"get", op_get},
    {"set", op_set},
    {"shares", op_shares},
    {"ix", op_ix},
};

/* ---- one case ------------------------------------------------------------ */

static outcome run_case(const cJSON *c, text *got)
{
    ctx x = {.c = c, .expect = member(c, "expect")};
    const cJSON *arr = member(c, "array");
    const char *op = string_member(c, "op"), *dtn = string_member(arr, "dtype");
    const char *pre = string_member(arr, "pre");
    outcome o = CASE_BAD;

    if (string_member(c, "id") == NULL || op == NULL || dtn == NULL ||
        pre == NULL || !cJSON_IsObject(x.expect) ||
        !parse_shape(member(arr, "shape"), &x.ndim, x.shape) ||
        (x.dt = dtype_named(dtn)) == NULL)
        return CASE_BAD;
    size_t k = 0;
    while (k < COUNT(ops) && strcmp(ops[k].name, op) != 0)
        k++;
    if (k == COUNT(ops))
        return CASE_BAD;

    o = CASE_FAIL;
    if ((x.base = make_base(x.dt, x.ndim, x.shape)) == NULL) {
        put(got, "building the base: ");
        put_error(got);
        goto out;
    }
    /* pre "" is the base itself, not base[()] (a scalar copy on 0-d). */
    x.a = pre[0] == '\0' ? x.base : nd_get(x.base, pre);
    if (x.a == NULL) {
        put(got, "pre \"%s\": ", pre);
        put_error(got);
        goto out;
    }
    o = ops[k].run(&x, got);
out:
    if (x.a != x.base)
        nd_free(x.a);
    nd_free(x.base);
    return o;
}

/* ---- files --------------------------------------------------------------- */

typedef struct tally {
    long passed, failed;
} tally;

static bool blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* id, index (the ix lists for ix cases), expected JSON, what we got. */
static void report_failure(const cJSON *c, const text *got)
{
    const char *index = string_member(c, "index");
    char *ix = index ? NULL : cJSON_PrintUnformatted(member(c, "ix"));
    char *expect = cJSON_PrintUnformatted(member(c, "expect"));
    const char *e = expect ? expect : "?";
    printf("FAIL %s index \"%s\": expected %.*s%s; got %s\n",
           string_member(c, "id"), index ? index : ix ? ix : "?", EXPECT_SHOWN, e,
           strlen(e) > EXPECT_SHOWN ? "..." : "", got->buf);
    cJSON_free(expect);
    cJSON_free(ix);
}

/* Runs every case of one file; false (with a message) when the file is not
 * a valid vector file. */
static bool run_file(const char *path, tally *t)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    bool ok = false, have_header = false;

    if (f == NULL) {
        fprintf(stderr, "nd-conformance: cannot open %s\n", path);
        return false;
    }
    while (getline(&line, &cap, f) != -1) {
        lineno++;
        if (blank(line))
            continue;
        cJSON *c = cJSON_Parse(line);
        if (c == NULL || !cJSON_IsObject(c)) {
            fprintf(stderr, "nd-conformance: %s:%ld: not a JSON object\n", path, lineno);
            cJSON_Delete(c);
            goto out;
        }
        if (!have_header) {
            const char *fmt = string_member(c, "format");
            bool good = fmt != NULL && strcmp(fmt, FORMAT_NAME) == 0;
            cJSON_Delete(c);
            have_header = true;
            if (!good) {
                fprintf(stderr, "nd-conformance: %s: header format is not \"%s\"\n",
                        path, FORMAT_NAME);
                goto out;
            }
            continue;
        }
        text got = {.len = 0};
        got.buf[0] = '\0';
        outcome o = run_case(c, &got);
        if (o == CASE_BAD) {
            fprintf(stderr, "nd-conformance: %s:%ld: malformed case (unknown op, "
                    "dtype or error kind, or a missing field)\n", path, lineno);
            cJSON_Delete(c);
            goto out;
        }
        if (o == CASE_PASS) {
            t->passed++;
        } else {
            t->failed++;
            report_failure(c, &got);
        }
        cJSON_Delete(c);
    }
    if (!have_header) {
        fprintf(stderr, "nd-conformance: %s: empty file, no header\n", path);
        goto out;
    }
    ok = true;
out:
    free(line);
    fclose(f);
    return ok;
}

int main(int argc, char **argv)
{
    tally t = {0, 0};
    if (argc < 2) {
        fprintf(stderr, "usage: nd-conformance FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++)
        if (!run_file(argv[i], &t))
            return 2;
    printf("%ld passed, %ld failed\n", t.passed, t.failed);
    return t.failed ? 1 : 0;
}
