/*
 * test_index_eval.c - tests runtime/src/index_eval.c (with index_fancy.c,
 * index_mask.c and index_kern.c): reads a[index].
 *
 * The main table is section 13.1 of shared/spec/numpy-indexing.md, every
 * numeric row, with what NumPy 1.24 answered for it: the result's shape and
 * values, whether it is a scalar, a view of the base (then also its byte
 * strides and data offset) or a fresh copy, or the error kind and, where
 * NumPy's text is exact, the message. A second table adds the placement
 * examples of section 3.4, error-order cases of 3.3, the uint64/bool
 * quirks, empty and zero-length masks, absurd slice bounds. Rows 69-76 (the
 * record dtype) and the run-time-only quirks (0-d integer array entries,
 * uint64 wrap, Fortran-ordered sources) have their own tests.
 *
 * Two randomized checks back the tables: every slice of a short axis
 * against CPython's range semantics, and 1500 random subscripts evaluated
 * with C-contiguous int64/bool index arrays and again with the same values
 * in reversed strided views of other integer dtypes (reads and writes must
 * agree exactly, errors included).
 *
 * Base arrays are arange(prod(shape)) as int64, C-contiguous and owning,
 * like the spec's.
 */
#include <check.h>
#include <stdlib.h>

#include "nd_int.h"

enum { K_SCALAR = 1, K_VIEW, K_COPY };

typedef struct rcase {
    int id;
    const char *shape;      /* base shape, "2,3,4"; "" is 0-d */
    const char *index;
    nd_errcode err;         /* ND_OK: success expected */
    const char *rshape;     /* result shape */
    int kind;
    const char *values;     /* flat C order */
    const char *strides;    /* views: bytes, NULL not checked */
    long offset;            /* views: data - base data, -1 not checked */
    const char *msg;        /* exact error text, NULL not checked */
} rcase;

static const rcase spec131[] = {
    {1, "10", "3", ND_OK, "", K_SCALAR, "3", NULL, -1, NULL},
    {2, "10", "-10", ND_OK, "", K_SCALAR, "0", NULL, -1, NULL},
    {3, "10", "10", ND_EINDEX, NULL, 0, NULL, NULL, -1, "index 10 is out of bounds for axis 0 with size 10"},
    {4, "10", "-11", ND_EINDEX, NULL, 0, NULL, NULL, -1, "index -11 is out of bounds for axis 0 with size 10"},
    {5, "10", "8:2:-2", ND_OK, "3", K_VIEW, "8,6,4", "-16", 64, NULL},
    {6, "10", "-100:100", ND_OK, "10", K_VIEW, "0,1,2,3,4,5,6,7,8,9", "8", 0, NULL},
    {7, "10", "5:2", ND_OK, "0", K_VIEW, "", "8", 0, NULL},
    {8, "10", ":-1:-1", ND_OK, "0", K_VIEW, "", "8", 0, NULL},
    {9, "10", "-1:-12:-1", ND_OK, "10", K_VIEW, "9,8,7,6,5,4,3,2,1,0", "-8", 72, NULL},
    {10, "10", "9:-11:-3", ND_OK, "4", K_VIEW, "9,6,3,0", "-24", 72, NULL},
    {11, "10", "::0", ND_EVALUE, NULL, 0, NULL, NULL, -1, "slice step cannot be zero"},
    {14, "10", "1, 2", ND_EINDEX, NULL, 0, NULL, NULL, -1, "too many indices for array: array is 1-dimensional, but 2 were indexed"},
    {15, "2,3,4", "1, 2, 3", ND_OK, "", K_SCALAR, "23", NULL, -1, NULL},
    {16, "2,3,4", "1, 2, 3, ...", ND_OK, "", K_VIEW, "23", "", 184, NULL},
    {17, "2,3,4", "..., 1", ND_OK, "2,3", K_VIEW, "1,5,9,13,17,21", "96,32", 8, NULL},
    {18, "2,3,4", "None, ..., None", ND_OK, "1,2,3,4,1", K_VIEW, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23", "0,96,32,8,0", 0, NULL},
    {19, "2,3,4", "1, ..., 2, None", ND_OK, "3,1", K_VIEW, "14,18,22", "32,0", 112, NULL},
    {20, "2,3,4", "..., ...", ND_EINDEX, NULL, 0, NULL, NULL, -1, "an index can only have a single ellipsis ('...')"},
    {21, "2,3,4", "0, 0, 0, 0", ND_EINDEX, NULL, 0, NULL, NULL, -1, "too many indices for array: array is 3-dimensional, but 4 were indexed"},
    {22, "2,3,4", ":, 1:1", ND_OK, "2,0,4", K_VIEW, "", "96,32,8", 0, NULL},
    {23, "2,3,4", "", ND_OK, "2,3,4", K_VIEW, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23", "96,32,8", 0, NULL},
    {24, "", "", ND_OK, "", K_SCALAR, "0", NULL, -1, NULL},
    {25, "", "...", ND_OK, "", K_VIEW, "0", "", 0, NULL},
    {26, "", "None", ND_OK, "1", K_VIEW, "0", "0", 0, NULL},
    {27, "", "0", ND_EINDEX, NULL, 0, NULL, NULL, -1, "too many indices for array: array is 0-dimensional, but 1 were indexed"},
    {28, "", "True", ND_OK, "1", K_COPY, "0", NULL, -1, NULL},
    {29, "3,4", "0", ND_OK, "4", K_VIEW, "0,1,2,3", "8", 0, NULL},
    {30, "3,4", "[0]", ND_OK, "1,4", K_COPY, "0,1,2,3", NULL, -1, NULL},
    {31, "3,4", "0, 2", ND_OK, "", K_SCALAR, "2", NULL, -1, NULL},
    {32, "3,4", "[0,2]", ND_OK, "2,4", K_COPY, "0,1,2,3,8,9,10,11", NULL, -1, NULL},
    {33, "3,4", "[0,2],", ND_OK, "2,4", K_COPY, "0,1,2,3,8,9,10,11", NULL, -1, NULL},
    {34, "3,4", "[[0,2]]", ND_OK, "1,2,4", K_COPY, "0,1,2,3,8,9,10,11", NULL, -1, NULL},
    {35, "3,4", "[0,1], [1,2]", ND_OK, "2", K_COPY, "1,6", NULL, -1, NULL},
    {36, "3,4", "[[0],[2]], [1,3]", ND_OK, "2,2", K_COPY, "1,3,9,11", NULL, -1, NULL},
    {37, "3,4", "[0,1], [0,1,2]", ND_EINDEX, NULL, 0, NULL, NULL, -1, "shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,) "},
    {38, "3,4", "[-1,-3]", ND_OK, "2,4", K_COPY, "8,9,10,11,0,1,2,3", NULL, -1, NULL},
    {39, "3,4", "[3]", ND_EINDEX, NULL, 0, NULL, NULL, -1, "index 3 is out of bounds for axis 0 with size 3"},
    {40, "3,4", "[0,0,0]", ND_OK, "3,4", K_COPY, "0,1,2,3,0,1,2,3,0,1,2,3", NULL, -1, NULL},
    {41, "3,4", "[], [5]", ND_OK, "0", K_COPY, "", NULL, -1, NULL},
    {42, "3,4", ":0, [5]", ND_EINDEX, NULL, 0, NULL, NULL, -1, NULL},
    {43, "3,4", "1:2, [1,2]", ND_OK, "1,2", K_COPY, "5,6", NULL, -1, NULL},
    {44, "2,3,4,5", ":, [0,2], [1,3]", ND_OK, "2,2,5", K_COPY, "5,6,7,8,9,55,56,57,58,59,65,66,67,68,69,115,116,117,118,119", NULL, -1, NULL},
    {45, "2,3,4,5", "[0,1], :, [1,3]", ND_OK, "2,3,5", K_COPY, "5,6,7,8,9,25,26,27,28,29,45,46,47,48,49,75,76,77,78,79,95,96,97,98,99,115,116,117,118,119", NULL, -1, NULL},
    {46, "2,3,4,5", ":, [0,2], :, [1,3]", ND_OK, "2,2,4", K_COPY, "1,6,11,16,61,66,71,76,43,48,53,58,103,108,113,118", NULL, -1, NULL},
    {47, "2,3,4,5", "0, :, [1,3]", ND_OK, "2,3,5", K_COPY, "5,6,7,8,9,25,26,27,28,29,45,46,47,48,49,15,16,17,18,19,35,36,37,38,39,55,56,57,58,59", NULL, -1, NULL},
    {48, "2,3,4,5", ":, [1,2], 0", ND_OK, "2,2,5", K_COPY, "20,21,22,23,24,40,41,42,43,44,80,81,82,83,84,100,101,102,103,104", NULL, -1, NULL},
    {49, "2,3,4,5", "..., [0,2], [1,3]", ND_OK, "2,3,2", K_COPY, "1,13,21,33,41,53,61,73,81,93,101,113", NULL, -1, NULL},
    {50, "2,3,4", "[0,1], None, [0,1]", ND_OK, "2,1,4", K_COPY, "0,1,2,3,16,17,18,19", NULL, -1, NULL},
    {51, "2,3,4", "None, [0,1], [0,1]", ND_OK, "1,2,4", K_COPY, "0,1,2,3,16,17,18,19", NULL, -1, NULL},
    {52, "2,3,4", "..., None, [0,1]", ND_OK, "2,3,1,2", K_COPY, "0,1,4,5,8,9,12,13,16,17,20,21", NULL, -1, NULL},
    {53, "2,3,4", "[True,False]", ND_OK, "1,3,4", K_COPY, "0,1,2,3,4,5,6,7,8,9,10,11", NULL, -1, NULL},
    {54, "2,3,4", "[True,False,True]", ND_EINDEX, NULL, 0, NULL, NULL, -1, "boolean index did not match indexed array along dimension 0; dimension is 2 but corresponding boolean dimension is 3"},
    {55, "2,3,4", "[[True,False,True],[False,True,False]]", ND_OK, "3,4", K_COPY, "0,1,2,3,8,9,10,11,16,17,18,19", NULL, -1, NULL},
    {56, "2,3,4", ":, [True,False,True]", ND_OK, "2,2,4", K_COPY, "0,1,2,3,8,9,10,11,12,13,14,15,20,21,22,23", NULL, -1, NULL},
    {57, "2,3,4", "[True,False], :, [True,False,True,True]", ND_OK, "3,3", K_COPY, "0,4,8,2,6,10,3,7,11", NULL, -1, NULL},
    {58, "2,3,4", "[True,True], [True,False,True]", ND_OK, "2,4", K_COPY, "0,1,2,3,20,21,22,23", NULL, -1, NULL},
    {59, "2,3,4", "[[True,False,True],[False,True,False]], [0,1,2]", ND_OK, "3", K_COPY, "0,9,18", NULL, -1, NULL},
    {60, "2,3,4", "True", ND_OK, "1,2,3,4", K_COPY, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23", NULL, -1, NULL},
    {61, "2,3,4", "False", ND_OK, "0,2,3,4", K_COPY, "", NULL, -1, NULL},
    {62, "2,3,4", ":, True", ND_OK, "2,1,3,4", K_COPY, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23", NULL, -1, NULL},
    {63, "2,3,4", "1, 2, 3, True", ND_OK, "1", K_COPY, "23", NULL, -1, NULL},
    {64, "2,3,4", "True, [0,1]", ND_OK, "2,3,4", K_COPY, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23", NULL, -1, NULL},
    {65, "2,3,4", "False, [0,1]", ND_EINDEX, NULL, 0, NULL, NULL, -1, "shape mismatch: indexing arrays could not be broadcast together with shapes (0,) (2,) "},
    {66, "5", "[True,False]", ND_EINDEX, NULL, 0, NULL, NULL, -1, "boolean index did not match indexed array along dimension 0; dimension is 5 but corresponding boolean dimension is 2"},
    {67, "5", "[]", ND_OK, "0", K_COPY, "", NULL, -1, NULL},
    {68, "2,3", "[[True,False,True]]", ND_EINDEX, NULL, 0, NULL, NULL, -1, "boolean index did not match indexed array along dimension 0; dimension is 2 but corresponding boolean dimension is 1"},
    {77, "3,4", "'x'", ND_EINDEX, NULL, 0, NULL, NULL, -1, "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices"},
    {78, "2,3", "[[],[]]", ND_OK, "0", K_COPY, "", NULL, -1, NULL},
};

static const rcase extra[] = {
    {100, "2,3,4,5", ":, 0, [1,3]", ND_OK, "2,2,5", K_COPY, "5,6,7,8,9,15,16,17,18,19,65,66,67,68,69,75,76,77,78,79", NULL, -1, NULL},
    {101, "2,3,4,5", ":, 0, :, [1,3]", ND_OK, "2,2,4", K_COPY, "1,6,11,16,61,66,71,76,3,8,13,18,63,68,73,78", NULL, -1, NULL},
    {102, "2,3,4,5", "[0,1], ..., [1,3]", ND_OK, "2,3,4", K_COPY, "1,6,11,16,21,26,31,36,41,46,51,56,63,68,73,78,83,88,93,98,103,108,113,118", NULL, -1, NULL},
    {103, "2,3", "None, [0,1], ..., [0,1]", ND_OK, "2,1", K_COPY, "0,4", NULL, -1, NULL},
    {104, "2,3", "None, [0,1], [0,1]", ND_OK, "1,2", K_COPY, "0,4", NULL, -1, NULL},
    {105, "3,4", "[True,0]", ND_OK, "2,4", K_COPY, "4,5,6,7,0,1,2,3", NULL, -1, NULL},
    {106, "3,4,5", "[0,9], 9", ND_EINDEX, NULL, 0, NULL, NULL, -1, "index 9 is out of bounds for axis 1 with size 4"},
    {107, "3,4,5", "[0,9], [0,1,2]", ND_EINDEX, NULL, 0, NULL, NULL, -1, "shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,) "},
    {108, "5", "[True, False, True, False, False],", ND_OK, "2", K_COPY, "0,2", NULL, -1, NULL},
    {109, "2,3", "[[False,True,True],[True,False,False]]", ND_OK, "3", K_COPY, "1,2,3", NULL, -1, NULL},
    {110, "2,3", "-1, ::-2", ND_OK, "2", K_VIEW, "5,3", "-16", 40, NULL},
    {111, "4", "1:3, None, ...", ND_OK, "2,1", K_VIEW, "1,2", "8,0", 8, NULL},
    {112, "2,2", "..., 1, ...", ND_EINDEX, NULL, 0, NULL, NULL, -1, "an index can only have a single ellipsis ('...')"},
    {113, "3", "::9223372036854775807", ND_OK, "1", K_VIEW, "0", "-8", 0, NULL},
    {114, "3", "9223372036854775807:", ND_OK, "0", K_VIEW, "", "8", 0, NULL},
    {115, "3", "-9223372036854775808::-1", ND_OK, "0", K_VIEW, "", "8", 0, NULL},
    {116, "0,3", "[0]", ND_EINDEX, NULL, 0, NULL, NULL, -1, "index 0 is out of bounds for axis 0 with size 0"},
    {117, "3,0", "[5]", ND_EINDEX, NULL, 0, NULL, NULL, -1, NULL},
    {118, "0,3", ":, [5]", ND_EINDEX, NULL, 0, NULL, NULL, -1, NULL},
    {119, "3,4", "[[]]", ND_EINDEX, NULL, 0, NULL, NULL, -1, "boolean index did not match indexed array along dimension 0; dimension is 3 but corresponding boolean dimension is 1"},
    {120, "3,4", "[[],[],[]]", ND_OK, "0", K_COPY, "", NULL, -1, NULL},
    {121, "2,3", "[[True],[False]]", ND_EINDEX, NULL, 0, NULL, NULL, -1, "boolean index did not match indexed array along dimension 1; dimension is 3 but corresponding boolean dimension is 1"},
    {122, "3,4", "1, [[0,1],[2,3]]", ND_OK, "2,2", K_COPY, "4,5,6,7", NULL, -1, NULL},
    {123, "3,4", "[[0,1],[2,3]], 1", ND_EINDEX, NULL, 0, NULL, NULL, -1, "index 3 is out of bounds for axis 0 with size 3"},
    {124, "2,3,4", "1, [0,2], 1:3", ND_OK, "2,2", K_COPY, "13,14,21,22", NULL, -1, NULL},
    {125, "2,3,4", "[1], :, [[0],[2]]", ND_OK, "2,1,3", K_COPY, "12,16,20,14,18,22", NULL, -1, NULL},
    {126, "2,3,4", ":, [[True,False,True,True],[False,False,False,True],[True,True,True,True]]", ND_OK, "2,8", K_COPY, "0,2,3,7,8,9,10,11,12,14,15,19,20,21,22,23", NULL, -1, NULL},
};

/* ---- helpers ------------------------------------------------------------ */

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

static nd_array *arange_shaped(const char *shape)
{
    ptrdiff_t sh[ND_MAXDIMS], n = 1;
    int nd = parse_list(shape, sh);
    for (int i = 0; i < nd; i++)
        n *= sh[i];
    nd_array *flat = nd_arange(ND_INT64, n);
    ck_assert_ptr_nonnull(flat);
    nd_array *a = nd_reshape(flat, nd, sh);
    ck_assert_ptr_nonnull(a);
    nd_free(flat);
    nd_array *c = nd_copy(a);      /* owning, like .copy() */
    nd_free(a);
    ck_assert_ptr_nonnull(c);
    ck_assert(nd_owns_data(c));
    return c;
}

/* Element i (C order) of an int64 result, read through its strides. */
static int64_t elem(const nd_array *r, ptrdiff_t i)
{
    ptrdiff_t off = 0;
    for (int k = r->ndim - 1; k >= 0; k--) {
        off += (i % r->shape[k]) * r->strides[k];
        i /= r->shape[k];
    }
    int64_t v;
    memcpy(&v, r->data + off, sizeof v);
    return v;
}

static void check_case(const rcase *c)
{
    nd_array *a = arange_shaped(c->shape);
    nd_array *r = nd_get(a, c->index);
    if (c->err != ND_OK) {
        ck_assert_msg(r == NULL, "#%d %s: expected an error", c->id, c->index);
        ck_assert_msg(nd_errno() == c->err, "#%d %s: error %d, want %d (%s)", c->id, c->index,
                      nd_errno(), c->err, nd_errmsg());
        if (c->msg)
            ck_assert_msg(strcmp(nd_errmsg(), c->msg) == 0, "#%d: message \"%s\", want \"%s\"",
                          c->id, nd_errmsg(), c->msg);
        nd_free(a);
        return;
    }
    ck_assert_msg(r != NULL, "#%d %s: unexpected error %s", c->id, c->index, nd_errmsg());
    ptrdiff_t sh[ND_MAXDIMS], vals[256], st[ND_MAXDIMS];
    int nd = parse_list(c->rshape, sh);
    ck_assert_msg(r->ndim == nd, "#%d: ndim %d, want %d", c->id, r->ndim, nd);
    for (int k = 0; k < nd; k++)
        ck_assert_msg(r->shape[k] == sh[k], "#%d: shape[%d] = %td, want %td", c->id, k,
                      r->shape[k], sh[k]);
    int nv = parse_list(c->values, vals);
    ck_assert_int_eq(nd_size(r), nv);
    for (int i = 0; i < nv; i++)
        ck_assert_msg(elem(r, i) == vals[i], "#%d: value %d = %lld, want %td", c->id, i,
                      (long long)elem(r, i), vals[i]);
    switch (c->kind) {
    case K_SCALAR:
        ck_assert_msg(r->ndim == 0 && nd_owns_data(r), "#%d: not a scalar copy", c->id);
        break;
    case K_COPY:
        ck_assert_msg(nd_base(r) == NULL, "#%d: not a copy", c->id);
        ck_assert(nd_is_writeable(r));
        break;
    case K_VIEW:
        ck_assert_msg(nd_base(r) == a, "#%d: not a view of the base", c->id);
        if (c->strides) {
            int ns = parse_list(c->strides, st);
            ck_assert_int_eq(ns, nd);
            for (int k = 0; k < ns; k++)
                ck_assert_msg(r->strides[k] == st[k], "#%d: stride[%d] = %td, want %td",
                              c->id, k, r->strides[k], st[k]);
        }
        if (c->offset >= 0)
            ck_assert_msg(r->data - a->data == c->offset, "#%d: offset %td, want %ld", c->id,
                          r->data - a->data, c->offset);
        break;
    default:
        ck_abort_msg("bad table row");
    }
    nd_free(r);
    nd_free(a);
}

START_TEST(spec_13_1)
{
    check_case(&spec131[_i]);
}
END_TEST

START_TEST(extra_cases)
{
    check_case(&extra[_i]);
}
END_TEST

/* Rows 12 and 13 are Python floats; the string grammar rejects a float the
 * way NumPy does: IndexError as an entry, TypeError inside a slice. */
START_TEST(floats)
{
    nd_array *a = arange_shaped("10");
    ck_assert_ptr_null(nd_get(a, "1.0"));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), ND__MSG_ONLY_INTEGERS);
    ck_assert_ptr_null(nd_get(a, "1.0:"));
    ck_assert_int_eq(nd_errno(), ND_ETYPE);
    ck_assert_str_eq(nd_errmsg(), "slice indices must be integers or None or have an "
                                  "__index__ method");
    nd_free(a);
}
END_TEST

/* ---- records: rows 69-76 ------------------------------------------------- */

static const nd_dtype *rec_type(void)
{
    static const char *const names[] = {"x", "y", "z"};
    const nd_dtype *types[] = {ND_INT32, ND_FLOAT64, ND_INT16};
    const nd_dtype *dt = nd_record(3, names, types);
    ck_assert_ptr_nonnull(dt);
    return dt;
}

static nd_array *records(ptrdiff_t n)
{
    const nd_dtype *dt = rec_type();
    nd_array *r = nd_zeros(dt, 1, &n);
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

START_TEST(record_single_field)
{
    nd_array *a = records(3);
    nd_array *y = nd_get(a, "'y'");          /* 69 */
    ck_assert_ptr_nonnull(y);
    ck_assert_ptr_eq(y->dt, ND_FLOAT64);
    ck_assert_int_eq(y->ndim, 1);
    ck_assert_int_eq(y->shape[0], 3);
    ck_assert_int_eq(y->strides[0], 14);
    ck_assert_int_eq(y->data - a->data, 4);
    ck_assert_ptr_eq(nd_base(y), a);
    for (ptrdiff_t i = 0; i < 3; i++)
        ck_assert(nd_item(y, &i) == 10.0 * (double)i);
    nd_free(y);
    ck_assert_ptr_null(nd_get(a, "'w'"));   /* 71 */
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "no field of name w");
    ck_assert_ptr_null(nd_get(a, "'x', 0")); /* 75 */
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_ptr_null(nd_get(a, "'x',"));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    nd_free(a);
}
END_TEST

START_TEST(record_field_list)
{
    nd_array *a = records(3);
    nd_array *m = nd_get(a, "['z','x']");    /* 70 */
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_eq(nd_base(m), a);
    ck_assert_ptr_eq(m->data, a->data);
    ck_assert_int_eq(m->strides[0], 14);
    ck_assert_int_eq(m->dt->itemsize, 14);
    ck_assert_int_eq(m->dt->n_fields, 2);
    ck_assert_str_eq(m->dt->fields[0].name, "z");
    ck_assert_int_eq(m->dt->fields[0].offset, 12);
    ck_assert_str_eq(m->dt->fields[1].name, "x");
    ck_assert_int_eq(m->dt->fields[1].offset, 0);
    nd_free(m);
    ck_assert_ptr_null(nd_get(a, "['x','w']"));    /* 72: KeyError -> ND_EVALUE */
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_ptr_nonnull(strstr(nd_errmsg(), "KeyError"));
    ck_assert_ptr_null(nd_get(a, "['x','x']"));    /* 73 */
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_str_eq(nd_errmsg(), "duplicate field of name 'x'");
    const char *names[] = {"y"};
    m = nd_fields(a, 1, names);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(m->dt->fields[0].offset, 4);
    nd_free(m);
    nd_free(a);
}
END_TEST

START_TEST(record_scalar_and_fancy)
{
    nd_array *a = records(3);
    nd_array *s = nd_get(a, "1");            /* 74: np.void writes through */
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->ndim, 0);
    ck_assert_ptr_eq(nd_base(s), a);
    ck_assert_ptr_eq(s->data, a->data + 14);
    int32_t x = 42;
    memcpy(s->data, &x, 4);
    ptrdiff_t one = 1;
    nd_array *ax = nd_field(a, "x");
    ck_assert(nd_item(ax, &one) == 42.0);
    nd_free(ax);
    nd_free(s);
    nd_array *f = nd_get(a, "[0,2]");        /* 76: a copy, full dtype */
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_null(nd_base(f));
    ck_assert_ptr_eq(f->dt, a->dt);
    ck_assert_int_eq(memcmp(f->data + 14, a->data + 28, 14), 0);
    nd_free(f);
    nd_free(a);
}
END_TEST

/* ---- run-time items ------------------------------------------------------ */

START_TEST(zero_d_int_array_copies)
{
    nd_array *A = arange_shaped("2,3,4");
    nd_array *i0 = nd_zeros(ND_INT64, 0, NULL);
    struct nd_index it[] = {ND_ARRAY(i0), ND_ALL};
    nd_array *r = nd_get_items(A, 2, it);     /* A[np.array(0), :]: a copy */
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_null(nd_base(r));
    ck_assert_int_eq(r->ndim, 2);
    struct nd_index it2[] = {ND_AT(0), ND_ALL};  /* A[np.int64(0), :]: a view */
    nd_array *v = nd_get_items(A, 2, it2);
    ck_assert_ptr_eq(nd_base(v), A);
    nd_free(v);
    nd_free(r);
    struct nd_index it3[] = {ND_ARRAY(i0)};    /* on 1-d: a scalar */
    nd_array *one = arange_shaped("3");
    r = nd_get_items(one, 1, it3);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->ndim, 0);
    ck_assert_ptr_null(nd_base(r));
    nd_free(r);
    nd_free(one);
    nd_free(i0);
    nd_free(A);
}
END_TEST

START_TEST(uint64_wraps_and_index_dtypes)
{
    nd_array *a = arange_shaped("5");
    ptrdiff_t one = 1;
    uint64_t big = UINT64_MAX;             /* wraps to -1: the last element */
    nd_array *u = nd_from_buffer(ND_UINT64, 1, &one, &big);
    struct nd_index it[] = {ND_ARRAY(u)};
    nd_array *r = nd_get_items(a, 1, it);
    ck_assert_ptr_nonnull(r);
    ptrdiff_t z = 0;
    ck_assert(nd_item(r, &z) == 4.0);
    nd_free(r);
    int8_t i8[] = {-1, 0, 2};
    ptrdiff_t three = 3;
    nd_array *x = nd_from_buffer(ND_INT8, 1, &three, i8);
    struct nd_index it2[] = {ND_ARRAY(x)};
    r = nd_get_items(a, 1, it2);
    ck_assert_ptr_nonnull(r);
    for (ptrdiff_t i = 0; i < 3; i++)
        ck_assert(nd_item(r, &i) == (double)(i8[i] < 0 ? i8[i] + 5 : i8[i]));
    nd_free(r);
    nd_array *fl = nd_zeros(ND_FLOAT64, 1, &three);   /* a float array is rejected */
    struct nd_index it3[] = {ND_ARRAY(fl)};
    ck_assert_ptr_null(nd_get_items(a, 1, it3));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "arrays used as indices must be of integer (or boolean) type");
    nd_free(fl);
    nd_free(x);
    nd_free(u);
    nd_free(a);
}
END_TEST

/* A strided (negative-stride) index array takes the general path. */
START_TEST(strided_index_array)
{
    nd_array *a = arange_shaped("6");
    nd_array *ix = arange_shaped("6");
    nd_array *rev = nd_get(ix, "::-2");       /* 5, 3, 1 */
    struct nd_index it[] = {ND_ARRAY(rev)};
    nd_array *r = nd_get_items(a, 1, it);
    ck_assert_ptr_nonnull(r);
    for (ptrdiff_t i = 0; i < 3; i++)
        ck_assert(nd_item(r, &i) == (double)(5 - 2 * i));
    nd_free(r);
    nd_free(rev);
    nd_free(ix);
    nd_free(a);
}
END_TEST

START_TEST(fortran_source)
{
    nd_array *c = arange_shaped("4,3,2");
    nd_array *F = nd_transpose(c);             /* (2,3,4), strides (8,16,48) */
    ck_assert_int_eq(F->strides[0], 8);
    nd_array *r = nd_get(F, ":, 1");
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->ndim, 2);
    ck_assert_int_eq(r->strides[0], 8);
    ck_assert_int_eq(r->strides[1], 48);
    ck_assert_int_eq(r->data - c->data, 16);
    ck_assert_ptr_eq(nd_base(r), c);           /* base collapses to the owner */
    nd_free(r);
    nd_free(F);
    nd_free(c);
}
END_TEST

START_TEST(views_inherit_writeable)
{
    nd_array *a = arange_shaped("3,4");
    ck_assert_int_eq(nd_set_writeable(a, false), 0);
    nd_array *v = nd_get(a, "1:");
    ck_assert(!nd_is_writeable(v));
    nd_array *c = nd_get(a, "[0,1]");          /* copies are writeable */
    ck_assert(nd_is_writeable(c));
    nd_array *e = nd_get(a, "...");            /* a new view, never a itself */
    ck_assert_ptr_ne(e, a);
    ck_assert_ptr_eq(nd_base(e), a);
    nd_free(e);
    nd_free(c);
    nd_free(v);
    nd_free(a);
}
END_TEST

START_TEST(get_copy_and_getf)
{
    nd_array *a = arange_shaped("3,4");
    nd_array *c = nd_get_copy(a, "1:, ::2");
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_null(nd_base(c));
    ck_assert_int_eq(c->strides[1], 8);
    ptrdiff_t ij[] = {1, 1};
    ck_assert(nd_item(c, ij) == 10.0);
    nd_free(c);
    nd_array *g = nd_getf(a, "%d, %d:%d", 2, 1, 3);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(g->shape[0], 2);
    nd_free(g);
    /* longer than any fixed buffer: 200 "None, " items would be too many */
    char big[2048] = "";
    for (int i = 0; i < 70; i++)
        strcat(big, "None, ");
    ck_assert_ptr_null(nd_getf(a, "%s%s", big, "0"));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "too many indices for array");
    nd_free(a);
}
END_TEST

START_TEST(rank_limit)
{
    nd_array *a = arange_shaped("2");
    char idx[256] = "";
    for (int i = 0; i < 32; i++)
        strcat(idx, "None, ");
    strcat(idx, ":");                              /* 33 dims */
    ck_assert_ptr_null(nd_get(a, idx));
    ck_assert_int_eq(nd_errno(), ND_EINDEX);
    ck_assert_str_eq(nd_errmsg(), "number of dimensions must be within [0, 32], indexing "
                                  "result would have 33");
    strcpy(idx, "");
    for (int i = 0; i < 31; i++)
        strcat(idx, "None, ");
    strcat(idx, ":");                              /* 32 dims: fine */
    nd_array *r = nd_get(a, idx);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->ndim, 32);
    nd_free(r);
    nd_free(a);
}
END_TEST

/* Every basic index on a small 3-d array against a brute-force evaluation:
 * the view's element (i,j,k) must be base[start + i*step ...]. */
START_TEST(slices_brute_force)
{
    nd_array *a = arange_shaped("7");
    const int vals[] = {-9, -7, -3, -1, 0, 1, 3, 6, 7, 9, 100};
    const int steps[] = {-3, -2, -1, 1, 2, 5};
    char idx[64];
    for (int si = 0; si < 11; si++)
        for (int ei = 0; ei < 11; ei++)
            for (int ti = 0; ti < 6; ti++) {
                int start = vals[si], stop = vals[ei], step = steps[ti];
                snprintf(idx, sizeof idx, "%d:%d:%d", start, stop, step);
                nd_array *r = nd_get(a, idx);
                ck_assert_ptr_nonnull(r);
                /* CPython's range semantics, element by element */
                int n = 7, s = start < 0 ? start + n : start, e = stop < 0 ? stop + n : stop;
                if (step > 0) {
                    s = s < 0 ? 0 : (s > n ? n : s);
                    e = e < 0 ? 0 : (e > n ? n : e);
                } else {
                    s = s < 0 ? -1 : (s > n - 1 ? n - 1 : s);
                    e = e < 0 ? -1 : (e > n - 1 ? n - 1 : e);
                }
                ptrdiff_t k = 0;
                for (int v = s; step > 0 ? v < e : v > e; v += step, k++)
                    ck_assert_msg(nd_item(r, &k) == v, "%s element %td", idx, k);
                ck_assert_msg(nd_size(r) == k, "%s: size %td, want %td", idx, nd_size(r), k);
                if (k == 0) {
                    ck_assert_int_eq(r->strides[0], 8);     /* empty-slice reset */
                    ck_assert_ptr_eq(r->data, a->data);
                }
                nd_free(r);
            }
    nd_free(a);
}
END_TEST

/* Mask bytes other than 0 and 1 are true (NumPy's truthiness), in the
 * word-at-a-time count and in the selection alike, for every run length. */
START_TEST(mask_bytes_and_lengths)
{
    for (ptrdiff_t n = 0; n < 300; n += 7) {
        nd_array *a = nd_arange(ND_INT64, n);
        nd_array *m = nd_zeros(ND_BOOL, 1, &n);
        ptrdiff_t want = 0;
        for (ptrdiff_t i = 0; i < n; i++) {
            m->data[i] = (char)(i % 3 == 0 ? 0 : (i % 3 == 1 ? 1 : 0x80 | (int)i));
            want += m->data[i] != 0;
        }
        ck_assert_int_eq(nd__count_true(m), want);
        struct nd_index it[] = {ND_ARRAY(m)};
        nd_array *r = nd_get_items(a, 1, it);
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(nd_size(r), want);
        for (ptrdiff_t i = 0, k = 0; i < n; i++)
            if (m->data[i])
                ck_assert(elem(r, k++) == i);
        nd_free(r);
        nd_free(m);
        nd_free(a);
    }
}
END_TEST


/* ---- layouts of run-time index arrays ------------------------------------
 * The same random subscripts evaluated twice: once with C-contiguous int64
 * index arrays and bool masks (the layout the vectors exercise), once with
 * the same values in reversed, strided views of another integer dtype. The
 * results (or errors) must be identical. */

static uint64_t lay_rng = 0x2545f4914f6cdd1du;
static int lay_rnd(int n)
{
    lay_rng ^= lay_rng >> 12;
    lay_rng ^= lay_rng << 25;
    lay_rng ^= lay_rng >> 27;
    return (int)((lay_rng * 2685821657736338717u >> 33) % (uint64_t)n);
}

/* x's values (C order) in a reversed stride-2 view of a fresh array of dt. */
static nd_array *scrambled(const nd_array *x, const nd_dtype *dt)
{
    ptrdiff_t n = nd_size(x), two_n = 2 * n + 1, st[ND_MAXDIMS];
    nd_array *buf = nd_zeros(dt, 1, &two_n);
    ptrdiff_t isz = (ptrdiff_t)dt->itemsize, step = -2 * isz;
    for (int k = x->ndim - 1; k >= 0; k--) {
        st[k] = step;
        step *= x->shape[k];
    }
    for (ptrdiff_t i = 0; i < n; i++)
        nd__store_i64(dt, buf->data + (2 * n - 1 - 2 * i) * isz,
                      nd__load_i64(x->dt, x->data + i * (ptrdiff_t)x->dt->itemsize));
    nd_array *v = nd__view(buf, dt, x->ndim, x->shape, st, buf->data + (2 * n - 1) * isz);
    nd_free(buf);
    return v;
}

static const nd_dtype *index_dtype(bool negative)
{
    const nd_dtype *const signed_types[] = {ND_INT8, ND_INT16, ND_INT32, ND_INT64, ND_UINT64};
    const nd_dtype *const any[] = {ND_UINT8, ND_UINT16, ND_UINT32, ND_INT8, ND_INT32};
    return negative ? signed_types[lay_rnd(5)] : any[lay_rnd(5)];
}

START_TEST(index_array_layouts)
{
    for (int trial = 0; trial < 1500; trial++) {
        ptrdiff_t sh[4];
        int nd = 1 + lay_rnd(4);
        char shape_text[32] = "";
        for (int k = 0; k < nd; k++) {
            sh[k] = 1 + lay_rnd(4);
            snprintf(shape_text + strlen(shape_text), 8, k ? ",%td" : "%td", sh[k]);
        }
        nd_array *a = arange_shaped(shape_text);
        struct nd_index plain[8], odd[8];
        nd_array *made[16];
        int n = 0, n_made = 0, axis = 0;
        bool ell = false;
        while (n < 6 && lay_rnd(5) != 0) {
            int kind = lay_rnd(7);
            ptrdiff_t len = axis < nd ? sh[axis] : 3;
            if (kind == 0) {
                plain[n] = odd[n] = ND_AT(lay_rnd((int)(2 * len)) - len);
                axis++;
            } else if (kind == 1) {
                plain[n] = odd[n] = ND_SLICE(lay_rnd(3) - 1, ND_END, lay_rnd(2) ? 1 : -1);
                axis++;
            } else if (kind == 2) {
                plain[n] = odd[n] = lay_rnd(2) ? ND_NEWAXIS : ND_TRUE;
            } else if (kind == 3 && !ell) {
                plain[n] = odd[n] = ND_ELLIPSIS;
                ell = true;
            } else if (kind <= 5) {             /* an integer array */
                ptrdiff_t ish[2] = {1 + lay_rnd(3), 1 + lay_rnd(2)};
                int ind = 1 + lay_rnd(2);
                nd_array *x = nd_zeros(ND_INT64, ind, ish);
                bool neg = false;
                for (ptrdiff_t i = 0; i < nd_size(x); i++) {
                    int64_t v = lay_rnd((int)(2 * len + 1)) - len;
                    neg |= v < 0;
                    memcpy(x->data + 8 * i, &v, 8);
                }
                made[n_made++] = x;
                made[n_made++] = scrambled(x, index_dtype(neg));
                plain[n] = ND_ARRAY(x);
                odd[n] = ND_ARRAY(made[n_made - 1]);
                axis++;
            } else {                            /* a mask over 1 or 2 axes */
                int md = axis + 1 < nd && lay_rnd(2) ? 2 : 1;
                ptrdiff_t msh[2] = {axis < nd ? sh[axis] : 2, axis + 1 < nd ? sh[axis + 1] : 2};
                nd_array *m = nd_zeros(ND_BOOL, md, msh);
                for (ptrdiff_t i = 0; i < nd_size(m); i++)
                    m->data[i] = (char)lay_rnd(2);
                made[n_made++] = m;
                made[n_made++] = scrambled(m, ND_BOOL);
                plain[n] = ND_ARRAY(m);
                odd[n] = ND_ARRAY(made[n_made - 1]);
                axis += md;
            }
            n++;
        }
        nd_array *r1 = nd_get_items(a, n, plain);
        nd_errcode e1 = nd_errno();
        char m1[512];
        snprintf(m1, sizeof m1, "%s", nd_errmsg());
        nd_array *r2 = nd_get_items(a, n, odd);
        ck_assert_msg((r1 == NULL) == (r2 == NULL), "trial %d: %s / %s", trial, m1,
                      r2 ? "ok" : nd_errmsg());
        if (!r1) {
            ck_assert_int_eq(nd_errno(), e1);
            ck_assert_str_eq(nd_errmsg(), m1);
        } else {
            ck_assert_int_eq(r1->ndim, r2->ndim);
            for (int k = 0; k < r1->ndim; k++)
                ck_assert_int_eq(r1->shape[k], r2->shape[k]);
            for (ptrdiff_t i = 0; i < nd_size(r1); i++)
                ck_assert(elem(r1, i) == elem(r2, i));
        }
        /* the same subscripts as assignment targets */
        nd_array *b1 = nd_copy(a), *b2 = nd_copy(a);
        nd_array *v = nd_full(ND_INT64, 0, NULL, -7);
        int s1 = nd_set_items(b1, n, plain, v), s2 = nd_set_items(b2, n, odd, v);
        ck_assert_int_eq(s1, s2);
        ck_assert_int_eq(s1, r1 ? 0 : -1);
        ck_assert_int_eq(memcmp(b1->data, b2->data, b1->nbytes), 0);
        nd_free(v);
        nd_free(b2);
        nd_free(b1);
        nd_free(r2);
        nd_free(r1);
        for (int i = 0; i < n_made; i++)
            nd_free(made[i]);
        nd_free(a);
    }
}
END_TEST

/* Every array allocation a read makes may fail: the call then reports
 * ND_ENOMEM and leaks nothing (the sanitizer build checks the leaks); with
 * enough budget it returns the same result as without a limit. */
START_TEST(allocation_failures)
{
    static const char *const idx[] = {
        "[0,2], 1:, None", "[[True,False,True,True],[False,True,True,False],"
        "[True,True,False,False]]", "[[0],[1]], [1,3]", "1:, ::-2", "[1], 0", "2, 3",
    };
    nd_array *a = arange_shaped("3,4");
    for (size_t k = 0; k < sizeof idx / sizeof idx[0]; k++) {
        nd_array *want = nd_get(a, idx[k]);
        ck_assert_ptr_nonnull(want);
        bool done = false;
        for (long budget = 0; budget < 20 && !done; budget++) {
            nd__alloc_budget(budget);
            nd_array *r = nd_get(a, idx[k]);
            nd__alloc_budget(-1);
            if (!r) {
                ck_assert_int_eq(nd_errno(), ND_ENOMEM);
                continue;
            }
            done = true;
            ck_assert_int_eq(r->ndim, want->ndim);
            ck_assert_int_eq(nd_size(r), nd_size(want));
            for (ptrdiff_t i = 0; i < nd_size(r); i++)
                ck_assert(elem(r, i) == elem(want, i));
            nd_free(r);
        }
        ck_assert_msg(done, "%s never succeeded", idx[k]);
        nd_free(want);
    }
    nd_free(a);
}
END_TEST

/* Integer-only strings take a shortcut past the parser; its answers must be
 * the parser's, malformed strings included. */
START_TEST(integer_strings)
{
    nd_array *a = arange_shaped("3,4");
    static const struct { const char *s; nd_errcode err; long value; } cases[] = {
        {"1, 2", ND_OK, 6},       {" 1 ,2 ", ND_OK, 6},   {"+1,-1", ND_OK, 7},
        {"-0, 0003", ND_OK, 3},   {"1, 2,", ND_OK, 6},     {"2,\t3", ND_OK, 11},
        {"1,,2", ND_EINDEX, 0},   {"1 2", ND_EINDEX, 0},   {"1, 4", ND_EINDEX, 0},
        {"-4, 0", ND_EINDEX, 0},  {"1, 2.0", ND_EINDEX, 0}, {"1, 2, 3", ND_EINDEX, 0},
        {"99999999999999999999, 0", ND_EINDEX, 0},
        {"1234567890123456789, 0", ND_EINDEX, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        nd_array *r = nd_get(a, cases[k].s);
        if (cases[k].err != ND_OK) {
            ck_assert_msg(r == NULL, "\"%s\" succeeded", cases[k].s);
            ck_assert_int_eq(nd_errno(), cases[k].err);
            continue;
        }
        ck_assert_msg(r != NULL, "\"%s\": %s", cases[k].s, nd_errmsg());
        ck_assert_int_eq(r->ndim, 0);
        ck_assert_int_eq(elem(r, 0), cases[k].value);
        nd_free(r);
    }
    ck_assert_ptr_null(nd_get(a, "1, 9"));
    ck_assert_str_eq(nd_errmsg(), "index 9 is out of bounds for axis 1 with size 4");
    nd_array *row = nd_get(a, "2");              /* fewer integers: a view */
    ck_assert_ptr_eq(nd_base(row), a);
    ck_assert_int_eq(row->ndim, 1);
    nd_free(row);
    nd_free(a);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("index_eval");
    TCase *t = tcase_create("spec");
    tcase_add_loop_test(t, spec_13_1, 0, (int)(sizeof spec131 / sizeof spec131[0]));
    tcase_add_loop_test(t, extra_cases, 0, (int)(sizeof extra / sizeof extra[0]));
    tcase_add_test(t, floats);
    suite_add_tcase(s, t);
    TCase *r = tcase_create("records");
    tcase_add_test(r, record_single_field);
    tcase_add_test(r, record_field_list);
    tcase_add_test(r, record_scalar_and_fancy);
    suite_add_tcase(s, r);
    TCase *q = tcase_create("quirks");
    tcase_add_test(q, zero_d_int_array_copies);
    tcase_add_test(q, uint64_wraps_and_index_dtypes);
    tcase_add_test(q, strided_index_array);
    tcase_add_test(q, fortran_source);
    tcase_add_test(q, views_inherit_writeable);
    tcase_add_test(q, get_copy_and_getf);
    tcase_add_test(q, rank_limit);
    tcase_add_test(q, slices_brute_force);
    tcase_add_test(q, mask_bytes_and_lengths);
    tcase_add_test(q, index_array_layouts);
    tcase_add_test(q, allocation_failures);
    tcase_add_test(q, integer_strings);
    suite_add_tcase(s, q);
    return s;
}
