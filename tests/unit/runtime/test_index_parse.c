/*
 * test_index_parse.c - tests runtime/src/index_parse.c: the index-string
 * grammar of shared/spec/numpy-indexing.md section 14.
 *
 * What is checked: every item form and its struct nd_index encoding (ND_END
 * for omitted slice parts), the tuple flag, the subscript kind, list
 * literals (shape, dtype, values, rule 14.3 for leafless lists, ragged and
 * mixed lists), field names and field lists (only alone), and the errors
 * with their codes and NumPy's texts - including their order: more than 64
 * items beats everything, then entries fail left to right, and a zero step
 * is reported last (nd__parse_index only records it).
 */
#include <check.h>

#include "nd_int.h"

static nd_subscript sub;

static void parse_ok(const char *s)
{
    int rc = nd_parse_index(s, &sub);
    ck_assert_msg(rc == 0, "\"%s\": %s", s, nd_errmsg());
}

static void parse_fails(const char *s, nd_errcode code, const char *msg)
{
    int rc = nd_parse_index(s, &sub);
    ck_assert_msg(rc == -1, "\"%s\" parsed", s);
    ck_assert_msg(nd_errno() == code, "\"%s\": code %d, want %d (%s)", s, nd_errno(), code,
                  nd_errmsg());
    if (msg)
        ck_assert_str_eq(nd_errmsg(), msg);
    ck_assert_int_eq(sub.n, 0);             /* nothing left to free */
    ck_assert_ptr_null(sub.text);
    nd_subscript_free(&sub);
}

static void teardown(void) { nd_subscript_free(&sub); }

/* ---- items ------------------------------------------------------------- */

START_TEST(empty_is_empty_tuple)
{
    parse_ok("");
    ck_assert_int_eq(sub.n, 0);
    ck_assert(sub.tuple);
    ck_assert_int_eq(sub.kind, ND_SUB_BASIC);
    nd_subscript_free(&sub);
    parse_ok("   \t ");
    ck_assert_int_eq(sub.n, 0);
    ck_assert(sub.tuple);
}
END_TEST

START_TEST(integers)
{
    parse_ok("3");
    ck_assert_int_eq(sub.n, 1);
    ck_assert(!sub.tuple);
    ck_assert_int_eq(sub.item[0].kind, ND_IX_INT);
    ck_assert_int_eq(sub.item[0].i, 3);
    nd_subscript_free(&sub);
    parse_ok(" -1 , +7,-0 ");
    ck_assert_int_eq(sub.n, 3);
    ck_assert(sub.tuple);
    ck_assert_int_eq(sub.item[0].i, -1);
    ck_assert_int_eq(sub.item[1].i, 7);
    ck_assert_int_eq(sub.item[2].i, 0);
    nd_subscript_free(&sub);
    parse_ok("3,");                          /* a 1-tuple */
    ck_assert_int_eq(sub.n, 1);
    ck_assert(sub.tuple);
    nd_subscript_free(&sub);
    parse_ok("9223372036854775807, -9223372036854775808");
    ck_assert_int_eq(sub.item[0].i, INT64_MAX);
    ck_assert_int_eq(sub.item[1].i, INT64_MIN);
    nd_subscript_free(&sub);
    parse_fails("9223372036854775808", ND_EINDEX, NULL);
    parse_fails("-9223372036854775809", ND_EINDEX, NULL);
    parse_fails("99999999999999999999999", ND_EINDEX, NULL);
}
END_TEST

static void expect_slice(int k, ptrdiff_t a, ptrdiff_t b, ptrdiff_t c)
{
    ck_assert_int_eq(sub.item[k].kind, ND_IX_SLICE);
    ck_assert_int_eq(sub.item[k].start, a);
    ck_assert_int_eq(sub.item[k].stop, b);
    ck_assert_int_eq(sub.item[k].step, c);
}

START_TEST(slices)
{
    parse_ok(":, ::2, 5:, :-1:-2, 1:3:, 1 : 3 : -1, ::");
    ck_assert_int_eq(sub.n, 7);
    expect_slice(0, ND_END, ND_END, ND_END);
    expect_slice(1, ND_END, ND_END, 2);
    expect_slice(2, 5, ND_END, ND_END);
    expect_slice(3, ND_END, -1, -2);
    expect_slice(4, 1, 3, ND_END);
    expect_slice(5, 1, 3, -1);
    expect_slice(6, ND_END, ND_END, ND_END);
    ck_assert_int_eq(sub.kind, ND_SUB_BASIC);
    nd_subscript_free(&sub);
    /* -2**63 would collide with ND_END; it is clamped by one (CPython
     * clamps a step the same way), which no array length can tell apart. */
    parse_ok("-9223372036854775808:");
    expect_slice(0, INT64_MIN + 1, ND_END, ND_END);
    nd_subscript_free(&sub);
    parse_fails("1:2:3:4", ND_EINDEX, NULL);
    parse_fails("None:2", ND_EINDEX, NULL);
}
END_TEST

START_TEST(words_and_ellipsis)
{
    parse_ok("None, ..., True, False");
    ck_assert_int_eq(sub.n, 4);
    ck_assert_int_eq(sub.item[0].kind, ND_IX_NEWAXIS);
    ck_assert_int_eq(sub.item[1].kind, ND_IX_ELLIPSIS);
    ck_assert_int_eq(sub.item[2].kind, ND_IX_BOOL);
    ck_assert_int_eq(sub.item[2].i, 1);
    ck_assert_int_eq(sub.item[3].i, 0);
    ck_assert_int_eq(sub.kind, ND_SUB_ADVANCED);   /* a 0-d bool is advanced */
    nd_subscript_free(&sub);
    parse_ok("...");
    ck_assert(!sub.tuple);
    ck_assert_int_eq(sub.kind, ND_SUB_BASIC);
    nd_subscript_free(&sub);
    parse_fails("Nonesuch", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("true", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("..., 1, ...", ND_EINDEX, "an index can only have a single ellipsis ('...')");
}
END_TEST

/* ---- lists ------------------------------------------------------------- */

static const nd_array *list_item(int k, const nd_dtype *dt, int ndim, const ptrdiff_t *shape)
{
    ck_assert_int_eq(sub.item[k].kind, ND_IX_ARRAY);
    const nd_array *a = sub.item[k].arr;
    ck_assert_ptr_eq(a->dt, dt);
    ck_assert_int_eq(a->ndim, ndim);
    for (int i = 0; i < ndim; i++)
        ck_assert_int_eq(a->shape[i], shape[i]);
    ck_assert(nd__is_c_contig(a));
    return a;
}

START_TEST(integer_lists)
{
    parse_ok("[0,2,-1]");
    ck_assert(!sub.tuple);
    ck_assert_int_eq(sub.kind, ND_SUB_ADVANCED);
    const ptrdiff_t s3[] = {3};
    const nd_array *a = list_item(0, ND_INT64, 1, s3);
    const int64_t *v = (const int64_t *)a->data;
    ck_assert(v[0] == 0 && v[1] == 2 && v[2] == -1);
    nd_subscript_free(&sub);
    parse_ok("[[0, 1], [2 ,3 ] ,], [ 5 ]");
    const ptrdiff_t s22[] = {2, 2}, s1[] = {1};
    a = list_item(0, ND_INT64, 2, s22);
    v = (const int64_t *)a->data;
    ck_assert(v[0] == 0 && v[1] == 1 && v[2] == 2 && v[3] == 3);
    list_item(1, ND_INT64, 1, s1);
    nd_subscript_free(&sub);
    parse_ok("[True, 0, False]");             /* mixed: int, True = 1 */
    a = list_item(0, ND_INT64, 1, s3);
    v = (const int64_t *)a->data;
    ck_assert(v[0] == 1 && v[1] == 0 && v[2] == 0);
}
END_TEST

START_TEST(bool_lists_and_rule_14_3)
{
    parse_ok("[[True,False],[False,True]]");
    const ptrdiff_t s22[] = {2, 2};
    const nd_array *a = list_item(0, ND_BOOL, 2, s22);
    ck_assert(a->data[0] == 1 && a->data[1] == 0 && a->data[2] == 0 && a->data[3] == 1);
    nd_subscript_free(&sub);
    parse_ok("[]");                           /* an empty intp array */
    const ptrdiff_t s0[] = {0};
    list_item(0, ND_INT64, 1, s0);
    nd_subscript_free(&sub);
    parse_ok("[[]]");                         /* a (1,0) mask */
    const ptrdiff_t s10[] = {1, 0};
    list_item(0, ND_BOOL, 2, s10);
    nd_subscript_free(&sub);
    parse_ok("[[],[]]");                      /* a (2,0) mask */
    const ptrdiff_t s20[] = {2, 0};
    list_item(0, ND_BOOL, 2, s20);
    nd_subscript_free(&sub);
    parse_ok("[[[]],[[]]]");
    const ptrdiff_t s210[] = {2, 1, 0};
    list_item(0, ND_BOOL, 3, s210);
}
END_TEST

START_TEST(bad_lists)
{
    const char *ragged = "setting an array element with a sequence. The requested array "
                         "has an inhomogeneous shape";
    parse_fails("[[1],[2,3]]", ND_EVALUE, ragged);
    parse_fails("[1,[2]]", ND_EVALUE, ragged);
    parse_fails("[[1],2]", ND_EVALUE, ragged);
    parse_fails("[[],[1]]", ND_EVALUE, ragged);
    parse_fails("[[[1]],[2]]", ND_EVALUE, ragged);
    parse_fails("[1.5]", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("[None, 0]", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("[0, 'x']", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("[['x']]", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("[1,2", ND_EINDEX, NULL);
    parse_fails("[1 2]", ND_EINDEX, NULL);
    parse_fails("1]", ND_EINDEX, NULL);
    char deep[80] = "";
    for (int i = 0; i < 33; i++)
        strcat(deep, "[");
    strcat(deep, "1");
    for (int i = 0; i < 33; i++)
        strcat(deep, "]");
    parse_fails(deep, ND_EVALUE, NULL);
}
END_TEST

/* ---- fields ------------------------------------------------------------ */

START_TEST(fields)
{
    parse_ok(" 'x' ");
    ck_assert_int_eq(sub.kind, ND_SUB_FIELD);
    ck_assert_int_eq(sub.n, 1);
    ck_assert_int_eq(sub.item[0].kind, ND_IX_FIELD);
    ck_assert_str_eq(sub.item[0].name, "x");
    ck_assert_ptr_nonnull(sub.text);          /* names live in the owned copy */
    nd_subscript_free(&sub);
    parse_ok("['z', 'x',]");
    ck_assert_int_eq(sub.kind, ND_SUB_FIELDS);
    ck_assert_int_eq(sub.n, 2);
    ck_assert_str_eq(sub.item[0].name, "z");
    ck_assert_str_eq(sub.item[1].name, "x");
    nd_subscript_free(&sub);
    parse_ok("'a b, [c]'");                   /* any character but a quote */
    ck_assert_str_eq(sub.item[0].name, "a b, [c]");
    nd_subscript_free(&sub);
    parse_fails("'x', 0", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("0, 'x'", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("'x',", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("['x','z'],", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("'x", ND_EINDEX, NULL);
    parse_fails("'x' 'y'", ND_EINDEX, NULL);
}
END_TEST

/* ---- errors and their order ------------------------------------------- */

START_TEST(floats)
{
    parse_fails("1.0", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails(".5", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    parse_fails("1e3", ND_EINDEX, ND__MSG_ONLY_INTEGERS);
    const char *te = "slice indices must be integers or None or have an __index__ method";
    parse_fails("1.0:", ND_ETYPE, te);
    parse_fails(":2.5", ND_ETYPE, te);
    parse_fails("::1e1", ND_ETYPE, te);
}
END_TEST

START_TEST(too_many_items)
{
    char s[512] = "";
    for (int i = 0; i < 64; i++)
        strcat(s, i ? ",0" : "0");
    parse_ok(s);                               /* 64 is the limit */
    ck_assert_int_eq(sub.n, 64);
    nd_subscript_free(&sub);
    strcat(s, ",0");
    parse_fails(s, ND_EINDEX, "too many indices for array");
    /* counted before any entry is looked at */
    char t[512] = "..., ..., 1.5, [[1],[2,3]], 'x'";
    for (int i = 0; i < 61; i++)
        strcat(t, ", 0");
    parse_fails(t, ND_EINDEX, "too many indices for array");
}
END_TEST

START_TEST(zero_step_is_last)
{
    parse_fails("::0", ND_EVALUE, "slice step cannot be zero");
    /* classification errors of later entries come first, as in NumPy */
    parse_fails("::0, ..., ...", ND_EINDEX, "an index can only have a single ellipsis ('...')");
    parse_fails("::0, [[1],[2,3]]", ND_EVALUE,
                "setting an array element with a sequence. The requested array has an "
                "inhomogeneous shape");
    /* the internal parse only records it: the evaluator reports it in
     * its place among array-dependent errors */
    bool zero = false;
    ck_assert_int_eq(nd__parse_index("1, ::0", &sub, &zero), 0);
    ck_assert(zero);
    ck_assert_int_eq(sub.item[1].step, 0);
    nd_subscript_free(&sub);
    ck_assert_int_eq(nd__parse_index("1, ::1", &sub, &zero), 0);
    ck_assert(!zero);
}
END_TEST

START_TEST(syntax_errors)
{
    parse_fails(",", ND_EINDEX, NULL);
    parse_fails("1,,2", ND_EINDEX, NULL);
    parse_fails("1 2", ND_EINDEX, NULL);
    parse_fails("(1)", ND_EINDEX, NULL);
    parse_fails("-", ND_EINDEX, NULL);
    parse_fails("1:2)", ND_EINDEX, NULL);
    parse_fails(NULL, ND_EINDEX, NULL);
    nd_subscript zero = {0};
    nd_subscript_free(&zero);                  /* safe on a zeroed subscript */
    nd_subscript_free(NULL);
}
END_TEST

START_TEST(free_releases_arrays)
{
    parse_ok("[0,1], [[True]], 2");
    const nd_array *a = sub.item[0].arr;
    ck_assert_int_eq(a->refs, 1);              /* owned by the subscript only */
    nd_subscript_free(&sub);
    ck_assert_int_eq(sub.n, 0);
    ck_assert_ptr_null(sub.text);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("index_parse");
    TCase *t = tcase_create("grammar");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, empty_is_empty_tuple);
    tcase_add_test(t, integers);
    tcase_add_test(t, slices);
    tcase_add_test(t, words_and_ellipsis);
    tcase_add_test(t, integer_lists);
    tcase_add_test(t, bool_lists_and_rule_14_3);
    tcase_add_test(t, bad_lists);
    tcase_add_test(t, fields);
    tcase_add_test(t, floats);
    tcase_add_test(t, too_many_items);
    tcase_add_test(t, zero_step_is_last);
    tcase_add_test(t, syntax_errors);
    tcase_add_test(t, free_releases_arrays);
    suite_add_tcase(s, t);
    return s;
}
