/*
 * test_setitem.c - tests runtime/src/setitem.c: a[index] = value.
 *
 * The table is section 13.2 of shared/spec/numpy-indexing.md (S1-S23; S24
 * is NumPy's undefined aliasing order, deliberately not tested), with the
 * array afterwards as NumPy 1.24 leaves it, or the error kind and the
 * guarantee that the array is unchanged. Python lists do not exist in C:
 * S5 and S21 (a nested list rejected where the same data as an ndarray is
 * accepted) are checked as their ndarray forms (S4, S20), and S21's failure
 * as a size-2 array into one element.
 *
 * Further tests: the read-only check comes first, error precedence (value
 * shape before index bounds), full-mask rules, scalar values (NaN into an
 * integer array), dtype casts, aliasing, field and multi-field assignment
 * (unselected fields untouched), repeated indices, Fortran-ordered targets,
 * and nd_set_items.
 */
#include <check.h>
#include <stdlib.h>

#include "nd_int.h"

static int parse_list(const char *s, ptrdiff_t *out)
{
    int n = 0;
    while (s && *s) {
        char *end;
        out[n++] = (ptrdiff_t)strtoll(s, &end, 10);
        s = *end == ',' ? end + 1 : end;
    }
    return n;
}

static nd_array *arange_shaped(const nd_dtype *dt, const char *shape)
{
    ptrdiff_t sh[ND_MAXDIMS], n = 1;
    int nd = parse_list(shape, sh);
    for (int i = 0; i < nd; i++)
        n *= sh[i];
    nd_array *flat = nd_arange(dt, n);
    nd_array *a = nd_reshape(flat, nd, sh);
    nd_array *c = nd_copy(a);
    nd_free(a);
    nd_free(flat);
    ck_assert_ptr_nonnull(c);
    return c;
}

/* An int64 value array of the given shape and flat values. */
static nd_array *value(const char *shape, const char *vals)
{
    ptrdiff_t sh[ND_MAXDIMS], v[64];
    int nd = parse_list(shape, sh);
    int nv = parse_list(vals, v);
    int64_t buf[64];
    for (int i = 0; i < nv; i++)
        buf[i] = v[i];
    nd_array *a = nd_from_buffer(ND_INT64, nd, sh, buf);
    ck_assert_ptr_nonnull(a);
    return a;
}

static void expect_flat(const nd_array *a, const char *vals, const char *what)
{
    ptrdiff_t v[256];
    int nv = parse_list(vals, v);
    ck_assert_int_eq(nd_size(a), nv);
    for (ptrdiff_t i = 0; i < nv; i++) {
        double got = nd__load_f64(a->dt, a->data + i * (ptrdiff_t)a->dt->itemsize);
        ck_assert_msg(got == (double)v[i], "%s: element %td = %g, want %td", what, i, got, v[i]);
    }
}

typedef struct scase {
    const char *id, *shape, *index, *vshape, *vals;
    nd_errcode err;
    const char *after;      /* ok: flat values afterwards */
    const char *msg;        /* error text, NULL not checked */
} scase;

static const scase spec132[] = {
    {"S1", "5", "[1,1,3,1]", "4", "10,20,30,40", ND_OK, "0,40,2,30,4", NULL},
    {"S2", "5", "[1,5]", "2", "7,8", ND_EINDEX, NULL,
     "index 5 is out of bounds for axis 0 with size 5"},
    {"S3", "5", "[0,9]", "3", "1,2,3", ND_EVALUE, NULL,
     "shape mismatch: value array of shape (3,) could not be broadcast to indexing result "
     "of shape (2,)"},
    {"S4", "3,4", ":, 1", "1,3", "1,2,3", ND_OK, "0,1,2,3,4,2,6,7,8,3,10,11", NULL},
    {"S5", "3,4", ":, 1", "1,3", "1,2,3", ND_OK, "0,1,2,3,4,2,6,7,8,3,10,11", NULL},
    {"S6", "3,4", "0", "2", "1,2", ND_EVALUE, NULL,
     "could not broadcast input array from shape (2,) into shape (4,)"},
    {"S7", "3,4", "[0,1]", "2", "1,2", ND_EVALUE, NULL,
     "shape mismatch: value array of shape (2,) could not be broadcast to indexing result "
     "of shape (2,4)"},
    {"S8", "3,4", "[0,1]", "2,1", "1,2", ND_OK, "1,1,1,1,2,2,2,2,8,9,10,11", NULL},
    {"S9", "3,4", "[[0],[2]], [1,3]", "2,2", "1,2,3,4", ND_OK, "0,1,2,2,4,5,6,7,8,3,10,4", NULL},
    {"S10", "3,4", ":, [0,1]", "1,2", "1,2", ND_OK, "1,2,2,3,1,2,6,7,1,2,10,11", NULL},
    {"S11", "2,3,4", "0, :, [1,3]", "2,3", "0,1,2,3,4,5", ND_OK,
     "0,0,2,3,4,1,6,4,8,2,10,5,12,13,14,15,16,17,18,19,20,21,22,23", NULL},
    {"S12", "3,4", "[True,False,True]", "2,1", "1,2", ND_OK, "1,1,1,1,4,5,6,7,2,2,2,2", NULL},
    {"S13", "2,2", "[[True,False],[True,True]]", "3", "1,2,3", ND_OK, "1,1,2,3", NULL},
    {"S14", "2,2", "[[True,False],[True,True]]", "1", "9", ND_OK, "9,1,9,9", NULL},
    {"S15", "2,2", "[[True,False],[True,True]]", "2", "1,2", ND_EVALUE, NULL,
     "NumPy boolean array indexing assignment cannot assign 2 input values to the 3 output "
     "values where the mask is true"},
    {"S16", "2,2", "[[True,False],[True,True]]", "1,3", "1,2,3", ND_ETYPE, NULL,
     "NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, input "
     "has 2 dimensions"},
    {"S17", "2,2", "True", "2", "5,6", ND_OK, "5,6,5,6", NULL},
    {"S18", "2,2", "False", "2", "5,6", ND_OK, "0,1,2,3", NULL},
    {"S19", "4", "5:", "2", "1,2", ND_EVALUE, NULL,
     "could not broadcast input array from shape (2,) into shape (0,)"},
    {"S20", "3", "0", "1,1", "7", ND_OK, "7,1,2", NULL},
    {"S21", "3", "0", "2", "7,8", ND_EVALUE, NULL, "setting an array element with a sequence."},
};

static void run_case(const scase *c)
{
    nd_array *a = arange_shaped(ND_INT64, c->shape);
    nd_array *before = nd_copy(a);
    nd_array *v = value(c->vshape, c->vals);
    int rc = nd_set(a, c->index, v);
    if (c->err == ND_OK) {
        ck_assert_msg(rc == 0, "%s: %s", c->id, nd_errmsg());
        expect_flat(a, c->after, c->id);
    } else {
        ck_assert_msg(rc == -1, "%s: no error", c->id);
        ck_assert_msg(nd_errno() == c->err, "%s: code %d (%s)", c->id, nd_errno(), nd_errmsg());
        if (c->msg)
            ck_assert_str_eq(nd_errmsg(), c->msg);
        ck_assert_msg(memcmp(a->data, before->data, a->nbytes) == 0, "%s: changed", c->id);
    }
    nd_free(v);
    nd_free(before);
    nd_free(a);
}

START_TEST(spec_13_2)
{
    run_case(&spec132[_i]);
}
END_TEST

/* S22: float values are truncated toward zero. */
START_TEST(s22_float_values)
{
    nd_array *a = arange_shaped(ND_INT64, "3");
    double f[] = {1.9, -1.9, 300.0};
    ptrdiff_t three = 3;
    nd_array *v = nd_from_buffer(ND_FLOAT64, 1, &three, f);
    ck_assert_int_eq(nd_set(a, "[0,1,2]", v), 0);
    expect_flat(a, "1,-1,300", "S22");
    ck_assert_int_eq(nd_set(a, ":", v), 0);
    expect_flat(a, "1,-1,300", "S22 basic");
    nd_free(v);
    nd_free(a);
}
END_TEST

/* S23: basic assignment acts as if the value were copied first. */
START_TEST(s23_aliasing)
{
    nd_array *a = arange_shaped(ND_INT64, "5");
    nd_array *src = nd_get(a, ":-1");
    ck_assert_int_eq(nd_set(a, "1:", src), 0);
    expect_flat(a, "0,0,1,2,3", "S23");
    nd_free(src);
    nd_array *rev = nd_get(a, "::-1");
    ck_assert_int_eq(nd_set(a, "...", rev), 0);
    expect_flat(a, "3,2,1,0,0", "reverse");
    nd_free(rev);
    /* advanced too, since the value is copied when it may overlap */
    nd_array *b = arange_shaped(ND_INT64, "5");
    nd_array *tail = nd_get(b, ":-1");
    ck_assert_int_eq(nd_set(b, "[1,2,3,4]", tail), 0);
    expect_flat(b, "0,0,1,2,3", "advanced alias");
    nd_free(tail);
    nd_free(b);
    nd_free(a);
}
END_TEST

START_TEST(read_only_first)
{
    nd_array *a = arange_shaped(ND_INT64, "3");
    nd_array *v = value("", "1");
    nd_set_writeable(a, false);
    /* even a malformed index reports the read-only error */
    ck_assert_int_eq(nd_set(a, "1.5", v), -1);
    ck_assert_int_eq(nd_errno(), ND_EREADONLY);
    ck_assert_str_eq(nd_errmsg(), "assignment destination is read-only");
    ck_assert_int_eq(nd_set_scalar(a, "[0]", 1), -1);
    ck_assert_int_eq(nd_errno(), ND_EREADONLY);
    struct nd_index it[] = {ND_AT(0)};
    ck_assert_int_eq(nd_set_items(a, 1, it, v), -1);
    ck_assert_int_eq(nd_errno(), ND_EREADONLY);
    expect_flat(a, "0,1,2", "read-only");
    nd_free(v);
    nd_free(a);
}
END_TEST

START_TEST(precedence)
{
    nd_array *a = arange_shaped(ND_INT64, "3,4,5");
    nd_array *before = nd_copy(a);
    nd_array *v = value("", "1");
    /* scalar INT bounds before the array's */
    ck_assert_int_eq(nd_set(a, "[0,9], 9", v), -1);
    ck_assert_str_eq(nd_errmsg(), "index 9 is out of bounds for axis 1 with size 4");
    /* index broadcasting before the value */
    nd_array *v3 = value("3", "1,2,3");
    ck_assert_int_eq(nd_set(a, "[0,1], [0,1,2]", v3), -1);
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    /* a zero step is reported where the view walk meets it */
    ck_assert_int_eq(nd_set(a, "5, ::0", v), -1);
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_int_eq(nd_set(a, "::0, 5", v), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    /* empty result, non-empty index: the vectors' IndexError */
    ck_assert_int_eq(nd_set(a, ":0, [7]", v), -1);
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    /* empty index: no bounds check at all */
    ck_assert_int_eq(nd_set(a, "[], [7]", v), 0);
    ck_assert_int_eq(memcmp(a->data, before->data, a->nbytes), 0);
    nd_free(v3);
    nd_free(v);
    nd_free(before);
    nd_free(a);
}
END_TEST

START_TEST(scalar_values)
{
    nd_array *a = arange_shaped(ND_UINT8, "4");
    ck_assert_int_eq(nd_set_scalar(a, "[0,2]", 300), 0);     /* wraps: 44 */
    expect_flat(a, "44,1,44,3", "uint8");
    ck_assert_int_eq(nd_set_scalar(a, "1", 0.0 / 0.0), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "cannot convert float NaN to integer");
    expect_flat(a, "44,1,44,3", "after NaN");
    nd_array *f = arange_shaped(ND_FLOAT32, "2,2");
    ck_assert_int_eq(nd_set_scalar(f, "[[True,False],[False,True]]", -2.5), 0);
    ck_assert(nd__load_f64(f->dt, f->data) == -2.5);
    ck_assert(nd__load_f64(f->dt, f->data + 4) == 1.0);
    ck_assert_int_eq(nd_set_scalar(f, "", 7), 0);              /* a[()] = 7 */
    ck_assert(nd__load_f64(f->dt, f->data + 8) == 7.0);
    nd_free(f);
    nd_free(a);
}
END_TEST

START_TEST(bool_value_and_casts)
{
    nd_array *a = arange_shaped(ND_INT16, "2,3");
    bool b[] = {true, false, true};
    ptrdiff_t three = 3;
    nd_array *v = nd_from_buffer(ND_BOOL, 1, &three, b);
    ck_assert_int_eq(nd_set(a, "1", v), 0);
    expect_flat(a, "0,1,2,1,0,1", "bool value");
    nd_array *m = nd_zeros(ND_BOOL, 1, &three);
    nd_array *big = value("3", "256,-1,70000");
    ck_assert_int_eq(nd_set(m, "...", big), 0);              /* != 0 */
    expect_flat(m, "1,1,1", "to bool");
    ck_assert_int_eq(nd_set(a, "0", big), 0);                /* int16 wraps */
    expect_flat(a, "256,-1,4464,1,0,1", "int16");
    nd_free(big);
    nd_free(m);
    nd_free(v);
    nd_free(a);
}
END_TEST

static nd_array *records(ptrdiff_t n)
{
    static const char *const names[] = {"x", "y", "z"};
    const nd_dtype *types[] = {ND_INT32, ND_FLOAT64, ND_INT16};
    nd_array *r = nd_zeros(nd_record(3, names, types), 1, &n);
    ck_assert_ptr_nonnull(r);
    for (ptrdiff_t i = 0; i < n; i++) {
        int32_t x = (int32_t)i;
        double y = 10.0 * (double)i;
        int16_t z = (int16_t)-i;
        memcpy(r->data + i * 14, &x, 4);
        memcpy(r->data + i * 14 + 4, &y, 8);
        memcpy(r->data + i * 14 + 12, &z, 2);
    }
    return r;
}

static double field_at(const nd_array *r, const char *name, ptrdiff_t i)
{
    const nd__field *f = nd__find_field(r->dt, name);
    return nd__load_f64(f->type, r->data + i * 14 + f->offset);
}

START_TEST(fields)
{
    nd_array *r = records(3);
    nd_array *v = value("3", "5,6,7");
    ck_assert_int_eq(nd_set(r, "'y'", v), 0);
    ck_assert(field_at(r, "y", 2) == 7.0 && field_at(r, "x", 2) == 2.0);
    /* multi-field: the unselected field y keeps its bytes */
    ck_assert_int_eq(nd_set(r, "['z','x']", v), 0);
    for (ptrdiff_t i = 0; i < 3; i++) {
        ck_assert(field_at(r, "x", i) == 5.0 + (double)i);
        ck_assert(field_at(r, "z", i) == 5.0 + (double)i);
        ck_assert(field_at(r, "y", i) == 5.0 + (double)i);
    }
    ck_assert_int_eq(nd_set_scalar(r, "['x']", -4), 0);
    ck_assert(field_at(r, "x", 1) == -4.0 && field_at(r, "y", 1) == 6.0);
    /* advanced assignment into a multi-field view leaves y alone too */
    const char *names[] = {"z", "x"};
    nd_array *m = nd_fields(r, 2, names);
    ck_assert_int_eq(nd_set_scalar(m, "[0,2]", 9), 0);
    ck_assert(field_at(r, "z", 2) == 9.0 && field_at(r, "y", 2) == 7.0);
    ck_assert(field_at(r, "x", 1) == -4.0);
    /* structured values are assigned by position: swap x and z */
    nd_array *cp = nd_copy(m);
    const char *xz[] = {"x", "z"};
    nd_array *m2 = nd_fields(r, 2, xz);
    ck_assert_int_eq(nd_set(m2, "...", cp), 0);
    ck_assert_int_eq(nd_set(r, "'w'", v), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    nd_free(m2);
    nd_free(cp);
    nd_free(m);
    nd_free(v);
    nd_free(r);
}
END_TEST

START_TEST(fortran_mask_fill)
{
    nd_array *c = arange_shaped(ND_UINT32, "4,3,2");
    nd_array *F = nd_transpose(c);                 /* (2,3,4), F-ordered */
    nd_array *m = nd_gt_scalar(F, 10);
    ck_assert_int_eq(nd_set_scalar(F, "[[[True]]]", 0), -1);   /* not full-shape */
    struct nd_index it[] = {ND_ARRAY(m)};
    nd_array *seven = value("", "7");
    ck_assert_int_eq(nd_set_items(F, 1, it, seven), 0);
    for (ptrdiff_t i = 0; i < 24; i++) {
        double got = nd__load_f64(c->dt, c->data + 4 * i);
        ck_assert(got == (i > 10 ? 7.0 : (double)i));
    }
    /* a 1-d value is consumed in C order of the true positions of F */
    nd_array *vals = nd_arange(ND_INT64, 13);
    ck_assert_int_eq(nd_set_items(F, 1, it, vals), 0);
    nd_array *sel = nd_get_items(F, 1, it);
    for (ptrdiff_t i = 0; i < 13; i++)
        ck_assert(nd_item(sel, &i) == (double)i);
    nd_free(sel);
    nd_free(vals);
    nd_free(seven);
    nd_free(m);
    nd_free(F);
    nd_free(c);
}
END_TEST

START_TEST(set_items_runtime)
{
    nd_array *a = arange_shaped(ND_FLOAT64, "4,3");
    nd_array *rows = value("2", "3,0");
    nd_array *v = value("2,1", "-1,-2");
    struct nd_index it[] = {ND_ARRAY(rows), ND_SLICE(1, ND_END, ND_END)};
    ck_assert_int_eq(nd_set_items(a, 2, it, v), 0);
    expect_flat(a, "0,-2,-2,3,4,5,6,7,8,9,-1,-1", "set_items");
    struct nd_index bad[] = {ND_ARRAY(rows), ND_SLICE(0, 2, 0)};
    ck_assert_int_eq(nd_set_items(a, 2, bad, v), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "slice step cannot be zero");
    ck_assert_int_eq(nd_set_items(a, 2, it, NULL), -1);
    nd_free(v);
    nd_free(rows);
    nd_free(a);
}
END_TEST

/* Leading length-1 axes of the value are dropped; others must broadcast. */
START_TEST(value_leading_ones)
{
    nd_array *a = arange_shaped(ND_INT64, "2,3");
    nd_array *v = value("1,1,3", "7,8,9");
    ck_assert_int_eq(nd_set(a, "[1]", v), 0);
    expect_flat(a, "0,1,2,7,8,9", "advanced");
    ck_assert_int_eq(nd_set(a, "0", v), 0);
    expect_flat(a, "7,8,9,7,8,9", "basic");
    nd_array *w = value("2,1,3", "1,2,3,4,5,6");
    ck_assert_int_eq(nd_set(a, "0", w), -1);
    ck_assert_str_eq(nd_errmsg(), "could not broadcast input array from shape (2,1,3) into "
                                  "shape (3,)");
    nd_free(w);
    nd_free(v);
    nd_free(a);
}
END_TEST

/* Every array allocation an assignment makes (the parsed lists, the value
 * converted to the target dtype or copied away from an alias, the dense
 * value layout) may fail: then ND_ENOMEM and the target is unchanged. */
START_TEST(allocation_failures)
{
    static const char *const idx[] = {
        "[0,2], 1:", "[[True,False,True,True],[False,True,True,False],[True,True,False,False]]",
        "[[0],[1]], [1,3]", "1:, ::-2", "...",
    };
    nd_array *a = arange_shaped(ND_INT32, "3,4");
    nd_array *v = value("2,1", "-5,-6");
    nd_array *v1 = value("1", "-5");
    for (size_t k = 0; k < sizeof idx / sizeof idx[0]; k++) {
        const nd_array *val = k == 1 || k == 4 ? v1 : v;
        nd_array *want = nd_copy(a);
        ck_assert_int_eq(nd_set(want, idx[k], val), 0);
        bool done = false;
        for (long budget = 0; budget < 20 && !done; budget++) {
            nd_array *b = nd_copy(a);
            nd__alloc_budget(budget);
            int rc = nd_set(b, idx[k], val);
            nd__alloc_budget(-1);
            if (rc < 0) {
                ck_assert_int_eq(nd_errno(), ND_ENOMEM);
                ck_assert_int_eq(memcmp(b->data, a->data, a->nbytes), 0);
            } else {
                done = true;
                ck_assert_int_eq(memcmp(b->data, want->data, a->nbytes), 0);
            }
            nd_free(b);
        }
        ck_assert_msg(done, "%s never succeeded", idx[k]);
        nd_free(want);
    }
    nd_free(v1);
    nd_free(v);
    nd_free(a);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("setitem");
    TCase *t = tcase_create("spec");
    tcase_add_loop_test(t, spec_13_2, 0, (int)(sizeof spec132 / sizeof spec132[0]));
    tcase_add_test(t, s22_float_values);
    tcase_add_test(t, s23_aliasing);
    suite_add_tcase(s, t);
    TCase *u = tcase_create("rules");
    tcase_add_test(u, read_only_first);
    tcase_add_test(u, precedence);
    tcase_add_test(u, scalar_values);
    tcase_add_test(u, bool_value_and_casts);
    tcase_add_test(u, fields);
    tcase_add_test(u, fortran_mask_fill);
    tcase_add_test(u, set_items_runtime);
    tcase_add_test(u, value_leading_ones);
    tcase_add_test(u, allocation_failures);
    suite_add_tcase(s, u);
    return s;
}
