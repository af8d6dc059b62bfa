/*
 * test_npy.c - tests runtime/src/npy.c and runtime/src/npy_header.c.
 *
 * Four kinds of evidence:
 *  - round trips: every dtype, 0-3 dimensions, empty arrays, records (packed
 *    and with a gap), non-contiguous views (written in C order);
 *  - files NumPy wrote (fixtures/runtime/npy, made by
 *    tests/conformance/make_npy_fixtures.py): versions 1-3, big-endian,
 *    Fortran order, records; values checked against the generator's
 *    formula, and nd_save_npy must reproduce NumPy's bytes exactly;
 *  - hand-built headers: the variations the grammar allows (quotes, key
 *    order, spacing, '=' and '|' byte orders, bool bytes other than 0/1);
 *  - malformed input: every truncation of a valid file, lying shapes, bad
 *    magic and versions, oversized header lengths, unsupported descrs and
 *    nested garbage, and a byte-flip sweep over a header - each must be
 *    ND_EIO (or a consistent array for harmless flips), never a crash;
 *  - failed saves (missing directory, target is a directory, file size
 *    limit hit mid-write) leave no file behind and the old file intact.
 *
 * Tests run from the project root (ctest's working directory), where the
 * fixtures are found.
 */
#include <check.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nd_int.h"

#define FIXTURES "fixtures/runtime/npy/"

/* ---- helpers ------------------------------------------------------------- */

static char tmpdir[64];

static void make_tmpdir(void)
{
    static const char prefix[] = "/tmp/nd_test_npy_";
    memcpy(tmpdir, prefix, sizeof prefix - 1);
    memset(tmpdir + sizeof prefix - 1, 'X', 6);   /* the six mkdtemp fills in */
    tmpdir[sizeof prefix + 5] = '\0';
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void remove_tmpdir(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    char p[sizeof tmpdir + 260];
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
        if (unlink(p) != 0)
            rmdir(p);
    }
    closedir(d);
    rmdir(tmpdir);
}

static const char *tmp_path(const char *name)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

/* Whole file into a malloc'd buffer; *n its size. */
static unsigned char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s (run from the project root)", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

/* A .npy file from parts: version, header text (padded with spaces and a
 * newline to a multiple of 64 like NumPy, unless raw_len is set), data. */
static void write_npy(const char *path, int major, const char *header,
                      const void *data, size_t n_data)
{
    size_t pre = major == 1 ? 10 : 12, h = strlen(header);
    size_t total = pre + h + 1;
    size_t pad = (64 - total % 64) % 64;
    size_t hlen = h + pad + 1, n = pre + hlen + n_data;
    unsigned char *b = malloc(n);
    ck_assert_ptr_nonnull(b);
    memcpy(b, "\x93NUMPY", 6);
    b[6] = (unsigned char)major;
    b[7] = 0;
    for (size_t i = 0; i < pre - 8; i++)
        b[8 + i] = (unsigned char)(hlen >> (8 * i));
    memcpy(b + pre, header, h);
    memset(b + pre + h, ' ', pad);
    b[pre + h + pad] = '\n';
    if (n_data)
        memcpy(b + pre + hlen, data, n_data);
    write_file(path, b, n);
    free(b);
}

/* One built-in element as int64 / double (C conversions). */
static int64_t elem_i64(const nd_dtype *dt, const char *p)
{
    switch (dt->num) {
#define ND_DTYPE(id, name, ctype, kind)                                         \
    case ND_T_##id: {                                                           \
        ctype x;                                                                \
        memcpy(&x, p, sizeof x);                                                \
        return (int64_t)x;                                                      \
    }
#include "dtypes.def"
#undef ND_DTYPE
    }
    ck_abort_msg("not a built-in dtype");
    return 0;
}

static void store_i64(const nd_dtype *dt, char *p, int64_t v)
{
    switch (dt->num) {
#define ND_DTYPE(id, name, ctype, kind)                                         \
    case ND_T_##id: {                                                           \
        ctype x = (ctype)v;                                                     \
        memcpy(p, &x, sizeof x);                                                \
        return;                                                                 \
    }
#include "dtypes.def"
#undef ND_DTYPE
    }
    ck_abort_msg("not a built-in dtype");
}

/* Pointer to flat C-order element i of any strided array. */
static const char *elem_ptr(const nd_array *a, ptrdiff_t i)
{
    const char *p = a->data;
    for (int k = a->ndim - 1; k >= 0; k--) {
        p += (i % a->shape[k]) * a->strides[k];
        i /= a->shape[k];
    }
    return p;
}

static const nd_dtype *builtin(int i)
{
    const nd_dtype *t[] = {ND_BOOL,   ND_INT8,   ND_INT16,  ND_INT32,
                           ND_INT64,  ND_UINT8,  ND_UINT16, ND_UINT32,
                           ND_UINT64, ND_FLOAT32, ND_FLOAT64};
    return i < 11 ? t[i] : NULL;
}

static const nd_dtype *xyz_type(void)
{
    static const char *const names[] = {"x", "y", "z"};
    const nd_dtype *types[] = {ND_INT32, ND_FLOAT64, ND_INT16};
    const nd_dtype *dt = nd_record(3, names, types);
    ck_assert_ptr_nonnull(dt);
    return dt;
}

/* Fills a C-contiguous owner: element i = formula(i) per field. */
static void fill(nd_array *a)
{
    ptrdiff_t n = nd_size(a);
    const nd_dtype *dt = a->dt;
    for (ptrdiff_t i = 0; i < n; i++) {
        char *p = a->data + i * (ptrdiff_t)dt->itemsize;
        if (dt->kind == ND_DK_RECORD) {
            int64_t v[3] = {i, 10 * i, -i};
            for (int f = 0; f < dt->n_fields; f++)
                store_i64(dt->fields[f].type, p + dt->fields[f].offset, v[f % 3]);
        } else if (dt->kind == ND_DK_BOOL) {
            store_i64(dt, p, i % 3 == 0);
        } else {
            store_i64(dt, p, i);
        }
    }
}

/* Element i of a matches the fixtures' formula (see make_npy_fixtures.py). */
static void check_formula(const nd_array *a, const char *what)
{
    const nd_dtype *dt = a->dt;
    for (ptrdiff_t i = 0; i < nd_size(a); i++) {
        const char *p = elem_ptr(a, i);
        if (dt->kind == ND_DK_RECORD) {
            int64_t v[3] = {i, 10 * i, -i};
            for (int f = 0; f < dt->n_fields; f++) {
                const nd__field *fd = &dt->fields[f];
                int64_t want = strcmp(fd->name, "y") == 0 ? v[1]
                             : strcmp(fd->name, "z") == 0 ? v[2] : v[0];
                ck_assert_msg(elem_i64(fd->type, p + fd->offset) == want,
                              "%s: element %td field %s", what, i, fd->name);
            }
        } else if (dt->kind == ND_DK_BOOL) {
            unsigned char b = (unsigned char)*p;
            ck_assert_msg(b == (i % 3 == 0), "%s: element %td is %u", what, i, b);
        } else {
            char cast[8];      /* i as a C cast into dt would store it */
            store_i64(dt, cast, i);
            int64_t want = elem_i64(dt, cast);
            ck_assert_msg(elem_i64(dt, p) == want, "%s: element %td is %lld",
                          what, i, (long long)elem_i64(dt, p));
        }
    }
}

static void assert_same_elements(const nd_array *a, const nd_array *b)
{
    ck_assert_ptr_eq(a->dt, b->dt);
    ck_assert_int_eq(a->ndim, b->ndim);
    for (int k = 0; k < a->ndim; k++)
        ck_assert_int_eq(a->shape[k], b->shape[k]);
    size_t w = a->dt->itemsize;
    for (ptrdiff_t i = 0; i < nd_size(a); i++) {
        const char *p = elem_ptr(a, i), *q = elem_ptr(b, i);
        if (a->dt->kind != ND_DK_RECORD) {
            ck_assert_msg(memcmp(p, q, w) == 0, "element %td differs", i);
            continue;
        }
        for (int f = 0; f < a->dt->n_fields; f++) {
            const nd__field *fd = &a->dt->fields[f];
            ck_assert(memcmp(p + fd->offset, q + fd->offset, fd->type->itemsize) == 0);
        }
    }
}

static void expect_eio(const char *path, const char *what)
{
    nd_array *a = nd_load_npy(path);
    ck_assert_msg(a == NULL, "%s: loaded instead of failing", what);
    ck_assert_msg(nd_errno() == ND_EIO, "%s: error %d (%s)", what, (int)nd_errno(),
                  nd_errmsg());
    ck_assert_msg(strstr(nd_errmsg(), path) != NULL, "%s: message '%s' names no file",
                  what, nd_errmsg());
}

/* ---- round trips --------------------------------------------------------- */

START_TEST(round_trip_every_dtype_and_rank)
{
    static const ptrdiff_t shapes[][3] = {{0}, {0}, {5}, {2, 3}, {2, 3, 4}, {3, 0, 2}};
    static const int ndims[] = {0, 1, 1, 2, 3, 3};
    make_tmpdir();
    for (int t = 0; t < 12; t++) {
        const nd_dtype *dt = t < 11 ? builtin(t) : xyz_type();
        for (size_t s = 0; s < sizeof ndims / sizeof ndims[0]; s++) {
            nd_array *a = nd_zeros(dt, ndims[s], shapes[s]);
            ck_assert_ptr_nonnull(a);
            fill(a);
            ck_assert_int_eq(nd_save_npy(tmp_path("rt.npy"), a), 0);
            nd_array *b = nd_load_npy(tmp_path("rt.npy"));
            ck_assert_msg(b != NULL, "%s: %s", dt->name, nd_errmsg());
            ck_assert(nd_owns_data(b));
            assert_same_elements(a, b);
            check_formula(b, dt->name);
            nd_free(a);
            nd_free(b);
        }
    }
    ck_assert_int_eq(count_entries(tmpdir), 1);   /* no temporaries left */
    remove_tmpdir();
}
END_TEST

/* Views with negative, transposed and gapped strides are written in C order. */
START_TEST(round_trip_strided_views)
{
    ptrdiff_t shape[2] = {4, 6};
    make_tmpdir();
    for (int t = 0; t < 12; t++) {
        const nd_dtype *dt = t < 11 ? builtin(t) : xyz_type();
        ptrdiff_t w = (ptrdiff_t)dt->itemsize;
        nd_array *o = nd_zeros(dt, 2, shape);
        fill(o);
        ptrdiff_t tsh[2] = {6, 4}, tst[2] = {w, 6 * w};            /* o.T */
        ptrdiff_t rsh[2] = {2, 3}, rst[2] = {-12 * w, -2 * w};     /* o[::-2, ::-2] */
        nd_array *views[2] = {
            nd__view(o, dt, 2, tsh, tst, o->data),
            nd__view(o, dt, 2, rsh, rst, o->data + 23 * w),
        };
        for (int v = 0; v < 2; v++) {
            ck_assert_ptr_nonnull(views[v]);
            ck_assert_int_eq(nd_save_npy(tmp_path("view.npy"), views[v]), 0);
            nd_array *b = nd_load_npy(tmp_path("view.npy"));
            ck_assert_ptr_nonnull(b);
            assert_same_elements(views[v], b);
            nd_free(b);
            nd_free(views[v]);
        }
        nd_free(o);
    }
    remove_tmpdir();
}
END_TEST

/* A multi-field view keeps offsets and itemsize: in order it saves with a
 * padding entry (as NumPy), out of order it cannot be saved (as NumPy). */
START_TEST(records_with_gaps_and_out_of_order)
{
    const nd_dtype *rt = xyz_type();
    ptrdiff_t n = 3;
    nd_array *r = nd_zeros(rt, 1, &n);
    fill(r);
    make_tmpdir();

    const char *xz[] = {"x", "z"}, *zx[] = {"z", "x"};
    const nd_dtype *t_xz[] = {ND_INT32, ND_INT16}, *t_zx[] = {ND_INT16, ND_INT32};
    size_t o_xz[] = {0, 12}, o_zx[] = {12, 0};
    const nd_dtype *gap = nd__record_ex(2, xz, t_xz, o_xz, 14);
    const nd_dtype *swapped = nd__record_ex(2, zx, t_zx, o_zx, 14);
    ck_assert_ptr_nonnull(gap);
    ck_assert_ptr_nonnull(swapped);
    ptrdiff_t stride = 14;
    nd_array *vg = nd__view(r, gap, 1, &n, &stride, r->data);
    nd_array *vs = nd__view(r, swapped, 1, &n, &stride, r->data);

    ck_assert_int_eq(nd_save_npy(tmp_path("gap.npy"), vg), 0);
    nd_array *b = nd_load_npy(tmp_path("gap.npy"));
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(b->dt->itemsize, 14);
    ck_assert_int_eq(b->dt->n_fields, 2);
    ck_assert_uint_eq(b->dt->fields[1].offset, 12);
    assert_same_elements(vg, b);
    check_formula(b, "gap");

    ck_assert_int_eq(nd_save_npy(tmp_path("swapped.npy"), vs), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_int_eq(count_entries(tmpdir), 1);   /* only gap.npy */

    nd_free(b);
    nd_free(vg);
    nd_free(vs);
    nd_free(r);
    remove_tmpdir();
}
END_TEST

/* ---- files NumPy wrote --------------------------------------------------- */

static const struct {
    const char *file;
    const char *dtype;       /* built-in name, or "record" */
    int ndim;
    ptrdiff_t shape[3];
    bool same_bytes;         /* nd_save_npy must reproduce the file exactly */
} numpy_files[] = {
    {"i8_2x3x4.npy", "int64", 3, {2, 3, 4}, true},
    {"i1_wrap_300.npy", "int8", 1, {300}, true},
    {"u8_5.npy", "uint64", 1, {5}, true},
    {"f4_scalar.npy", "float32", 0, {0}, true},
    {"u4_empty_0x3.npy", "uint32", 2, {0, 3}, true},
    {"bool_7.npy", "bool", 1, {7}, true},
    {"rec_4.npy", "record", 1, {4}, true},
    {"rec_latin1.npy", "record", 1, {2}, true},
    {"rec_utf8_v3.npy", "record", 1, {3}, true},
    {"f8_fortran_3x4.npy", "float64", 2, {3, 4}, false},
    {"i2_fortran_2x3x4.npy", "int16", 3, {2, 3, 4}, false},
    {"i4_big_6.npy", "int32", 1, {6}, false},
    {"f8_big_fortran_2x5.npy", "float64", 2, {2, 5}, false},
    {"u2_big_2x2.npy", "uint16", 2, {2, 2}, false},
    {"rec_big_3.npy", "record", 1, {3}, false},
    {"i8_v2_4.npy", "int64", 1, {4}, false},
    {"i8_v3_4.npy", "int64", 1, {4}, false},
    {"rec_gap_3.npy", "record", 1, {3}, false},
};

START_TEST(numpy_written_files)
{
    make_tmpdir();
    for (size_t i = 0; i < sizeof numpy_files / sizeof numpy_files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, FIXTURES "%s", numpy_files[i].file);
        nd_array *a = nd_load_npy(path);
        ck_assert_msg(a != NULL, "%s: %s", path, nd_errmsg());
        const char *dn = a->dt->kind == ND_DK_RECORD ? "record" : a->dt->name;
        ck_assert_msg(strcmp(dn, numpy_files[i].dtype) == 0, "%s: dtype %s", path, dn);
        ck_assert_int_eq(a->ndim, numpy_files[i].ndim);
        for (int k = 0; k < a->ndim; k++)
            ck_assert_int_eq(a->shape[k], numpy_files[i].shape[k]);
        ck_assert(nd__is_c_contig(a));
        if (strcmp(numpy_files[i].file, "f4_scalar.npy") == 0)
            ck_assert(*(float *)a->data == 7.0f);
        else
            check_formula(a, path);
        if (numpy_files[i].same_bytes) {
            size_t n1, n2;
            ck_assert_int_eq(nd_save_npy(tmp_path("again.npy"), a), 0);
            unsigned char *want = read_file(path, &n1);
            unsigned char *got = read_file(tmp_path("again.npy"), &n2);
            ck_assert_msg(n1 == n2 && memcmp(want, got, n1) == 0,
                          "%s: nd_save_npy differs from NumPy's bytes", path);
            free(want);
            free(got);
        }
        nd_free(a);
    }
    remove_tmpdir();
}
END_TEST

/* The field names survive both encodings. */
START_TEST(field_names_in_latin1_and_utf8)
{
    nd_array *a = nd_load_npy(FIXTURES "rec_latin1.npy");
    nd_array *b = nd_load_npy(FIXTURES "rec_utf8_v3.npy");
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(a->dt->fields[0].name, "\xc3\xa9");   /* e acute */
    ck_assert_str_eq(b->dt->fields[0].name, "\xcf\x80");   /* pi */
    ck_assert_str_eq(b->dt->fields[1].name, "y");
    nd_free(a);
    nd_free(b);
}
END_TEST

/* ---- hand-built headers -------------------------------------------------- */

START_TEST(hand_built_variants)
{
    make_tmpdir();
    const int32_t le[6] = {0, 1, 2, 3, 4, 5};
    const unsigned char be[12] = {0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xfd};
    static const char *const same_as_le[][2] = {
        {"1", "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }"},
        {"1", "{\"shape\": (2,3), \"descr\": \"<i4\", \"fortran_order\": False}"},
        {"2", "{ 'fortran_order' :False,'descr':'=i4' , 'shape':( 2 , 3 , ) }"},
        {"3", "{'descr': '|i4', 'fortran_order': False, 'shape': (2, 3)}"},
        {"1", "{'descr':\n'<i4',\t'fortran_order': False, 'shape': (2, 3),}"},
    };
    for (size_t i = 0; i < sizeof same_as_le / sizeof same_as_le[0]; i++) {
        write_npy(tmp_path("h.npy"), same_as_le[i][0][0] - '0', same_as_le[i][1], le,
                  sizeof le);
        nd_array *a = nd_load_npy(tmp_path("h.npy"));
        ck_assert_msg(a != NULL, "variant %zu: %s", i, nd_errmsg());
        ck_assert_ptr_eq(a->dt, ND_INT32);
        ck_assert_int_eq(a->ndim, 2);
        ck_assert_int_eq(a->shape[0], 2);
        ck_assert_int_eq(a->shape[1], 3);
        check_formula(a, "variant");
        nd_free(a);
    }

    /* big-endian int32: 1, 2, -3 */
    write_npy(tmp_path("be.npy"), 1, "{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }",
              be, sizeof be);
    nd_array *b = nd_load_npy(tmp_path("be.npy"));
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(((int32_t *)b->data)[0], 1);
    ck_assert_int_eq(((int32_t *)b->data)[1], 2);
    ck_assert_int_eq(((int32_t *)b->data)[2], -3);
    nd_free(b);

    /* Fortran order: column-major 0..5 of shape (2, 3) is [[0, 2, 4], [1, 3, 5]] */
    write_npy(tmp_path("f.npy"), 1, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }",
              le, sizeof le);
    nd_array *f = nd_load_npy(tmp_path("f.npy"));
    ck_assert_ptr_nonnull(f);
    static const int32_t want_f[6] = {0, 2, 4, 1, 3, 5};
    ck_assert(nd__is_c_contig(f));
    ck_assert_mem_eq(f->data, want_f, sizeof want_f);
    nd_free(f);

    /* bool bytes other than 0/1 are true, stored as 1 */
    const unsigned char bools[4] = {0, 1, 2, 255};
    write_npy(tmp_path("b.npy"), 1, "{'descr': '|b1', 'fortran_order': False, 'shape': (4,), }",
              bools, sizeof bools);
    nd_array *bb = nd_load_npy(tmp_path("b.npy"));
    ck_assert_ptr_nonnull(bb);
    static const unsigned char want_b[4] = {0, 1, 1, 1};
    ck_assert_mem_eq(bb->data, want_b, 4);
    nd_free(bb);

    /* trailing bytes after the data are ignored, as np.load does */
    write_npy(tmp_path("t.npy"), 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (5,), }",
              le, sizeof le);
    nd_array *t = nd_load_npy(tmp_path("t.npy"));
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->shape[0], 5);
    nd_free(t);
    remove_tmpdir();
}
END_TEST

/* ---- malformed input ----------------------------------------------------- */

START_TEST(every_truncation_fails)
{
    size_t n;
    make_tmpdir();
    for (int which = 0; which < 3; which++) {
        const char *src = which == 0 ? FIXTURES "i8_2x3x4.npy"
                        : which == 1 ? FIXTURES "rec_big_3.npy" : FIXTURES "i8_v3_4.npy";
        unsigned char *b = read_file(src, &n);
        for (size_t len = 0; len < n; len++) {
            write_file(tmp_path("cut.npy"), b, len);
            char what[64];
            snprintf(what, sizeof what, "%s cut at %zu", src, len);
            expect_eio(tmp_path("cut.npy"), what);
        }
        free(b);
    }
    remove_tmpdir();
}
END_TEST

START_TEST(lying_and_malformed_headers)
{
    static const char *const bad[] = {
        "{'descr': '<i8', 'fortran_order': False, 'shape': (9223372036854775807, 2), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (99999999999999999999,), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (100,), }",   /* data short */
        "{'descr': '|u1', 'fortran_order': False, 'shape': (1099511627776,), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (0, 4611686018427387904), }",
        "{'descr': '<f8', 'fortran_order': True, 'shape': (65536, 65536, 65536), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (-1,), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (03,), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (3), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': 3, }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (3,,), }",
        ("{'descr': '<i8', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1,1,1,1,1,"
         "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1), }"),   /* 33 dimensions */
        "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<i3', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': 'i8', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<i08', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '|V8', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<i8', 'fortran_order': 'no', 'shape': (1,), }",
        "{'descr': '<i8', 'fortran_order': Falsey, 'shape': (1,), }",
        "{'descr': '<i8', 'fortran_order': False, }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), 'extra': 1, }",
        "{'descr': '<i8', 'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), } x",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (1,) 'x': 1}",
        "{'descr': '<i8' 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<i8\\'', 'fortran_order': False, 'shape': (1,), }",
        "{'descr: '<i8', 'fortran_order': False, 'shape': (1,), }",
        "['descr', '<i8']",
        "",
        "{",
        "{'descr': [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "{'descr': [('x', '<i4', (2,))], 'fortran_order': False, 'shape': (1,), }",
        "{'descr': [('x', [('a', '<i4')])], 'fortran_order': False, 'shape': (1,), }",
        "{'descr': [], 'fortran_order': False, 'shape': (1,), }",
        "{'descr': [('x', '<i4'), ('x', '<i4')], 'fortran_order': False, 'shape': (1,), }",
        "{'descr': [('', '<i4')], 'fortran_order': False, 'shape': (1,), }",
        "{'descr': [('x', '|V4')], 'fortran_order': False, 'shape': (1,), }",
        "{'descr': [('a\x01', '<i4')], 'fortran_order': False, 'shape': (1,), }",
        "{'descr': [('a\\x01', '<i4')], 'fortran_order': False, 'shape': (1,), }",
        "{'descr': [('x', '<i4') ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }",
        "{'descr': [('x' '<i4')], 'fortran_order': False, 'shape': (1,), }",
        "{'descr': [('x', '<i4'), 'fortran_order': False, 'shape': (1,), }",
        "{'descr': ('<i8',), 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }\x01",
    };
    const int64_t data[2] = {1, 2};
    make_tmpdir();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (int major = 1; major <= 3; major++) {
            char what[48];
            snprintf(what, sizeof what, "header %zu, version %d", i, major);
            write_npy(tmp_path("bad.npy"), major, bad[i], data, sizeof data);
            expect_eio(tmp_path("bad.npy"), what);
        }
    }
    remove_tmpdir();
}
END_TEST

START_TEST(bad_preambles)
{
    static const char good[] = "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }";
    const int64_t data[2] = {1, 2};
    size_t n;
    make_tmpdir();
    write_npy(tmp_path("ok.npy"), 1, good, data, sizeof data);
    unsigned char *b = read_file(tmp_path("ok.npy"), &n);
    nd_array *a = nd_load_npy(tmp_path("ok.npy"));
    ck_assert_ptr_nonnull(a);   /* the base file is valid */
    nd_free(a);

    struct { size_t at; unsigned char byte; const char *what; } flips[] = {
        {0, 0x92, "magic"}, {1, 'n', "magic"}, {5, 'x', "magic"},
        {6, 0, "version 0"}, {6, 4, "version 4"}, {7, 1, "version 1.1"},
        {8, 0xff, "header_len past the file"}, {9, 0xff, "header_len past the file"},
        {8, 0, "header_len short"},
    };
    for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
        unsigned char save = b[flips[i].at];
        b[flips[i].at] = flips[i].byte;
        write_file(tmp_path("flip.npy"), b, n);
        expect_eio(tmp_path("flip.npy"), flips[i].what);
        b[flips[i].at] = save;
    }
    free(b);

    /* version 2 with a 4 GiB header length and with one just over the limit */
    unsigned char huge[16] = {0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0xff, 0xff, 0xff, 0xff};
    write_file(tmp_path("huge.npy"), huge, sizeof huge);
    expect_eio(tmp_path("huge.npy"), "4 GiB header");
    huge[8] = 1;
    huge[9] = 0;
    huge[10] = 0x10;
    huge[11] = 0;
    write_file(tmp_path("huge.npy"), huge, sizeof huge);
    expect_eio(tmp_path("huge.npy"), "1 MiB + 1 header");

    /* a header longer than the 1 MiB limit is refused even when the file
     * really holds it (and the dict in it is valid) */
    size_t big = (1u << 20) + 64;
    char *text = malloc(big + 1);
    ck_assert_ptr_nonnull(text);
    memset(text, ' ', big);
    memcpy(text, good, strlen(good));
    text[big] = '\0';
    write_npy(tmp_path("long.npy"), 2, text, data, sizeof data);
    free(text);
    expect_eio(tmp_path("long.npy"), "header over the limit");

    expect_eio(tmp_path("missing.npy"), "missing file");
    expect_eio(tmpdir, "a directory");
    ck_assert_ptr_null(nd_load_npy(NULL));
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    remove_tmpdir();
}
END_TEST

/* Every header byte set to a handful of values: whatever loads must be an
 * array whose bytes the file really held; everything else is ND_EIO. */
START_TEST(header_byte_sweep)
{
    size_t n;
    static const unsigned char values[] = {0, ' ', '\t', '\'', '(', ')', ',', '1', '9', '[', '}', 0xff};
    unsigned char *b = read_file(FIXTURES "rec_4.npy", &n);
    make_tmpdir();
    long loaded = 0, failed = 0;
    for (size_t at = 10; at < n && b[at] != '\n'; at++) {
        for (size_t v = 0; v < sizeof values; v++) {
            unsigned char save = b[at];
            if (save == values[v])
                continue;
            b[at] = values[v];
            write_file(tmp_path("sweep.npy"), b, n);
            nd_array *a = nd_load_npy(tmp_path("sweep.npy"));
            if (a != NULL) {
                ck_assert_uint_le((size_t)nd_size(a) * a->dt->itemsize, n);
                loaded++;
                nd_free(a);
            } else {
                ck_assert_int_eq(nd_errno(), ND_EIO);
                failed++;
            }
            b[at] = save;
        }
    }
    ck_assert_int_gt(failed, 500);
    ck_assert_int_gt(loaded, 0);   /* e.g. a tab in the padding, shape (1,) */
    free(b);
    remove_tmpdir();
}
END_TEST

/* ---- failed saves change nothing ----------------------------------------- */

START_TEST(failed_saves_leave_nothing)
{
    ptrdiff_t n = 4096;
    nd_array *a = nd_zeros(ND_INT64, 1, &n), *small = nd_arange(ND_INT32, 3);
    make_tmpdir();

    ck_assert_int_eq(nd_save_npy("/nonexistent-dir/x.npy", a), -1);
    ck_assert_int_eq(nd_errno(), ND_EIO);

    /* the target is a directory: the rename fails, the temporary goes */
    ck_assert_int_eq(mkdir(tmp_path("dir.npy"), 0700), 0);
    ck_assert_int_eq(nd_save_npy(tmp_path("dir.npy"), small), -1);
    ck_assert_int_eq(nd_errno(), ND_EIO);
    ck_assert_int_eq(count_entries(tmpdir), 1);

    /* an existing file survives a save that runs out of file size */
    ck_assert_int_eq(nd_save_npy(tmp_path("old.npy"), small), 0);
    struct rlimit old, lim;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 4096;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int rc = nd_save_npy(tmp_path("old.npy"), a);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(nd_errno(), ND_EIO);
    ck_assert_int_eq(count_entries(tmpdir), 2);   /* dir.npy, old.npy */
    nd_array *back = nd_load_npy(tmp_path("old.npy"));
    ck_assert_ptr_nonnull(back);
    assert_same_elements(small, back);

    /* saving over an existing file replaces it */
    ck_assert_int_eq(nd_save_npy(tmp_path("old.npy"), a), 0);
    nd_free(back);
    back = nd_load_npy(tmp_path("old.npy"));
    ck_assert_ptr_nonnull(back);
    ck_assert_int_eq(back->shape[0], 4096);

    ck_assert_int_eq(nd_save_npy(NULL, a), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    ck_assert_int_eq(nd_save_npy(tmp_path("x.npy"), NULL), -1);
    ck_assert_int_eq(nd_errno(), ND_EVALUE);
    nd_free(back);
    nd_free(a);
    nd_free(small);
    remove_tmpdir();
}
END_TEST

/* A header too long for 1.0's 16-bit length makes a 2.0 file. */
START_TEST(long_header_uses_version_2)
{
    enum { NF = 5000 };
    char (*names)[16] = malloc(NF * sizeof *names);
    const char **np = malloc(NF * sizeof *np);
    const nd_dtype **types = malloc(NF * sizeof *types);
    for (int i = 0; i < NF; i++) {
        snprintf(names[i], sizeof names[i], "f%d", i);
        np[i] = names[i];
        types[i] = ND_UINT8;
    }
    const nd_dtype *dt = nd_record(NF, np, types);
    ck_assert_ptr_nonnull(dt);
    ptrdiff_t n = 2;
    nd_array *a = nd_zeros(dt, 1, &n);
    for (int i = 0; i < NF; i++)
        a->data[NF + i] = (char)i;
    make_tmpdir();
    ck_assert_int_eq(nd_save_npy(tmp_path("wide.npy"), a), 0);
    size_t len;
    unsigned char *b = read_file(tmp_path("wide.npy"), &len);
    ck_assert_int_eq(b[6], 2);
    uint32_t hlen = b[8] | b[9] << 8 | (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
    ck_assert_uint_gt(hlen, 65535);
    ck_assert_uint_eq((12 + hlen) % 64, 0);
    free(b);
    nd_array *back = nd_load_npy(tmp_path("wide.npy"));
    ck_assert_msg(back != NULL, "%s", nd_errmsg());
    ck_assert_ptr_eq(back->dt, dt);
    ck_assert_mem_eq(back->data, a->data, 2 * NF);
    nd_free(back);
    nd_free(a);
    free(names);
    free(np);
    free(types);
    remove_tmpdir();
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("npy");
    TCase *tc = tcase_create("npy");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, round_trip_every_dtype_and_rank);
    tcase_add_test(tc, round_trip_strided_views);
    tcase_add_test(tc, records_with_gaps_and_out_of_order);
    tcase_add_test(tc, numpy_written_files);
    tcase_add_test(tc, field_names_in_latin1_and_utf8);
    tcase_add_test(tc, hand_built_variants);
    tcase_add_test(tc, every_truncation_fails);
    tcase_add_test(tc, lying_and_malformed_headers);
    tcase_add_test(tc, bad_preambles);
    tcase_add_test(tc, header_byte_sweep);
    tcase_add_test(tc, failed_saves_leave_nothing);
    tcase_add_test(tc, long_header_uses_version_2);
    suite_add_tcase(s, tc);
    return s;
}
