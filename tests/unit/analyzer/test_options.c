/*
 * test_options.c - command-line parsing (forms, errors) and rule selection
 * with clang-tidy globs against the real rule table.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "options.h"

static vc_options o;
static char *err;

static int parse(int argc, const char **argv)
{
    free(err);
    err = NULL;
    vc_options_free(&o);
    return vc_options_parse(&o, argc, (char **)argv, &err);
}

static void teardown(void)
{
    vc_options_free(&o);
    free(err);
    err = NULL;
}

START_TEST(full_command_line)
{
    const char *argv[] = { "viewcheck", "--format", "json", "-j2", "src", "--model=m.json",
                           "--model", "n.json", "-o", "out.json", "a.c", "--rules",
                           "-*,VC001", "--verify", "--", "-I", "inc", "-DX" };
    ck_assert_int_eq(parse(18, argv), 0);
    ck_assert_int_eq(o.format, VC_FMT_JSON);
    ck_assert_int_eq(o.jobs, 2);
    ck_assert_int_eq(o.n_paths, 2);
    ck_assert_str_eq(o.paths[0], "src");
    ck_assert_str_eq(o.paths[1], "a.c");
    ck_assert_int_eq(o.n_models, 2);
    ck_assert_str_eq(o.models[1], "n.json");
    ck_assert_str_eq(o.output, "out.json");
    ck_assert_str_eq(o.rules, "-*,VC001");
    ck_assert(o.verify);
    ck_assert_int_eq(o.n_cc_args, 3);
    ck_assert_str_eq(o.cc_args[2], "-DX");
}
END_TEST

START_TEST(errors_are_usage_errors)
{
    const char *a[] = { "viewcheck", "--bogus", "a.c" };
    ck_assert_int_eq(parse(3, a), -1);
    ck_assert_ptr_nonnull(strstr(err, "--bogus"));
    const char *b[] = { "viewcheck", "--format", "xml" };
    ck_assert_int_eq(parse(3, b), -1);
    const char *c[] = { "viewcheck", "-j", "0", "a.c" };
    ck_assert_int_eq(parse(4, c), -1);
    const char *d[] = { "viewcheck", "a.c", "--output" };
    ck_assert_int_eq(parse(3, d), -1);
    ck_assert_ptr_nonnull(strstr(err, "needs a value"));
    const char *e[] = { "viewcheck", "--verify=yes" };
    ck_assert_int_eq(parse(2, e), -1);
    const char *f[] = { "viewcheck", "-p", "build", "--compile-commands", "x.json" };
    ck_assert_int_eq(parse(5, f), -1);
    const char *g[] = { "viewcheck", "-pbuild", "--help", "-" };
    ck_assert_int_eq(parse(4, g), 0);
    ck_assert_str_eq(o.compdb_dir, "build");
    ck_assert(o.help);
    ck_assert_int_eq(o.n_paths, 1);     /* a lone "-" is a path */
    ck_assert_int_ge(o.jobs, 1);
}
END_TEST

START_TEST(rule_globs)
{
    int n = vc_rule_count();
    ck_assert_int_ge(n, 2);
    bool *en = malloc((size_t)n * sizeof *en);
    for (int i = 0; i < n; i++)
        en[i] = true;
    ck_assert_int_eq(vc_rules_select("-*", en, &err), 0);
    for (int i = 0; i < n; i++)
        ck_assert(!en[i]);
    const char *id1 = vc_rule_id(1);
    char spec[160];
    snprintf(spec, sizeof spec, "-*, %s ,%s", vc_rule_name(0), id1);
    ck_assert_int_eq(vc_rules_select(spec, en, &err), 0);
    ck_assert(en[0] && en[1]);
    for (int i = 2; i < n; i++)
        ck_assert(!en[i]);
    ck_assert_int_eq(vc_rules_select("vc*,-VC00?", en, &err), 0);   /* globs, any case */
    for (int i = 0; i < n; i++)
        ck_assert(!en[i]);
    ck_assert_int_eq(vc_rules_select("VC999", en, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "VC999"));
    free(err);
    err = NULL;
    ck_assert_int_eq(vc_rules_select("XX*", en, &err), 0);   /* a glob may match nothing */
    free(en);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("options");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, full_command_line);
    tcase_add_test(tc, errors_are_usage_errors);
    tcase_add_test(tc, rule_globs);
    suite_add_tcase(s, tc);
    return s;
}
