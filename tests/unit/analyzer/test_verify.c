/*
 * test_verify.c - the --verify oracle: parsing expectation comments and
 * matching them against a report (missing, unexpected, substrings, line
 * offsets, several per line, suppressed diagnostics, failed files).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"

START_TEST(parse_forms)
{
    vc_expect *e = NULL;
    int n = vc_expect_parse("// expect-viewcheck[VC001]", 10, &e, 0);
    ck_assert_int_eq(n, 1);
    ck_assert_uint_eq(e[0].line, 10);
    ck_assert_str_eq(e[0].rule, "VC001");
    ck_assert_str_eq(e[0].substr, "");
    n = vc_expect_parse("// expect-viewcheck@+1[VC002]: lost write ", 10, &e, n);
    ck_assert_int_eq(n, 2);
    ck_assert_uint_eq(e[1].line, 11);
    ck_assert_str_eq(e[1].substr, "lost write");
    n = vc_expect_parse("/* expect-viewcheck@-2[VC001]: a expect-viewcheck[VC005] */", 10, &e, n);
    ck_assert_int_eq(n, 4);
    ck_assert_uint_eq(e[2].line, 8);
    ck_assert_str_eq(e[2].substr, "a");
    ck_assert_uint_eq(e[3].line, 10);
    ck_assert_str_eq(e[3].rule, "VC005");
    ck_assert_str_eq(e[3].substr, "");
    n = vc_expect_parse("// expect-viewcheck[VC001, VC002]", 3, &e, n);
    ck_assert_int_eq(n, 6);
    ck_assert_str_eq(e[5].rule, "VC002");
    n = vc_expect_parse("// nothing to see", 3, &e, n);
    ck_assert_int_eq(n, 6);
    free(e);
}
END_TEST

static vc_tu tu;
static vc_comment comments[4];
static vc_report rep;

static void add(unsigned line, const char *rule, const char *msg, bool suppressed)
{
    vc_loc l = { "v.c", line, 3, line, 9 };
    vc_diag *d = vc_report_add(&rep, rule, "some-name", "warning", l, "f", "%s", msg);
    d->suppressed = suppressed;
}

static int run(vc_verify_stats *st, char **out)
{
    size_t len;
    FILE *f = open_memstream(out, &len);
    vc_tu *tus[] = { &tu };
    vc_report_sort(&rep);
    int rc = vc_verify(&rep, tus, 1, f, st);
    fclose(f);
    return rc;
}

static void setup(void)
{
    memset(&tu, 0, sizeof tu);
    tu.path = "v.c";
    comments[0] = (vc_comment){ 2, 2, "// expect-viewcheck[VC001]: through 'row'" };
    comments[1] = (vc_comment){ 4, 4, "// expect-viewcheck@+1[VC002] expect-viewcheck@+1[VC002]" };
    comments[2] = (vc_comment){ 7, 7, "// expect-viewcheck[VC003]" };
    tu.comments = comments;
    tu.n_comments = 3;
    vc_report_init(&rep);
}

static void teardown(void)
{
    vc_report_free(&rep);
}

START_TEST(all_matched)
{
    add(2, "VC001", "write through 'row' changes 'a'", false);
    add(5, "VC002", "one", false);
    add(5, "VC002", "two", false);
    add(7, "VC003", "x", false);
    add(9, "VC001", "silenced", true);      /* suppressed: not unexpected */
    vc_verify_stats st;
    char *out = NULL;
    ck_assert_int_eq(run(&st, &out), 0);
    ck_assert_int_eq(st.files, 1);
    ck_assert_int_eq(st.expectations, 4);
    ck_assert_int_eq(st.missing, 0);
    ck_assert_int_eq(st.unexpected, 0);
    ck_assert_str_eq(out, "verify: 1 files, 4 expectations, 0 missing, 0 unexpected\n");
    free(out);
}
END_TEST

START_TEST(missing_and_unexpected)
{
    add(2, "VC001", "write through 'col'", false);  /* substring does not match */
    add(5, "VC002", "one", false);                  /* second VC002 missing */
    add(6, "VC003", "moved", false);                /* wrong line */
    vc_verify_stats st;
    char *out = NULL;
    ck_assert_int_eq(run(&st, &out), 1);
    ck_assert_int_eq(st.missing, 3);
    ck_assert_int_eq(st.unexpected, 2);
    ck_assert_ptr_nonnull(strstr(out, "v.c:2: missing VC001: through 'row'\n"));
    ck_assert_ptr_nonnull(strstr(out, "v.c:2:3: unexpected VC001: write through 'col'\n"));
    ck_assert_ptr_nonnull(strstr(out, "v.c:5: missing VC002\n"));
    ck_assert_ptr_nonnull(strstr(out, "v.c:6:3: unexpected VC003: moved\n"));
    ck_assert_ptr_nonnull(strstr(out, "v.c:7: missing VC003\n"));
    ck_assert_ptr_nonnull(strstr(out, "verify: 1 files, 4 expectations, 3 missing, 2 unexpected"));
    free(out);
}
END_TEST

START_TEST(no_expectations_means_no_diagnostics)
{
    tu.n_comments = 0;
    add(3, "VC001", "anything", false);
    vc_report_error(&rep, "v.c", "v.c:1:1: error: boom");
    vc_verify_stats st;
    char *out = NULL;
    ck_assert_int_eq(run(&st, &out), 1);
    ck_assert_int_eq(st.unexpected, 2);     /* the finding and the failed parse */
    free(out);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("verify");
    TCase *tc = tcase_create("verify");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, parse_forms);
    tcase_add_test(tc, all_matched);
    tcase_add_test(tc, missing_and_unexpected);
    tcase_add_test(tc, no_expectations_means_no_diagnostics);
    suite_add_tcase(s, tc);
    return s;
}
