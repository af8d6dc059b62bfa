/*
 * test_source.c - source.c's one-pass scan of the main file's bytes:
 * comments (with their lines, never inside literals) and #define names.
 */
#include <check.h>
#include <string.h>

#include "arena.h"
#include "cx.h"

static vc_tu *scan(const char *src)
{
    vc_arena *a = vc_arena_new();
    ck_assert_ptr_nonnull(a);
    vc_tu *tu = vc_arena_alloc(a, sizeof *tu);
    tu->arena = a;
    tu->path = "s.c";
    ck_assert_int_eq(vc__scan_source(tu, src, strlen(src)), 0);
    return tu;
}

START_TEST(comments_and_literals)
{
    vc_tu *tu = scan("int a; // one\n"
                     "const char *s = \"// no /* no */\"; char c = '\"'; /* two\n"
                     "three */ int b; // cont \\\n"
                     "inued\n"
                     "char q = '\\''; // four\n");
    ck_assert_int_eq(tu->n_comments, 4);
    ck_assert_str_eq(tu->comments[0].text, "// one");
    ck_assert_uint_eq(tu->comments[0].line, 1);
    ck_assert_str_eq(tu->comments[1].text, "/* two\nthree */");
    ck_assert_uint_eq(tu->comments[1].line, 2);
    ck_assert_uint_eq(tu->comments[1].end_line, 3);
    ck_assert_uint_eq(tu->comments[2].line, 3);     /* a line comment continued */
    ck_assert_uint_eq(tu->comments[2].end_line, 4);
    ck_assert_str_eq(tu->comments[3].text, "// four");
    ck_assert_uint_eq(tu->comments[3].line, 5);
    vc_tu_free(tu);
}
END_TEST

START_TEST(defines)
{
    vc_tu *tu = scan("#define A 1\n"
                     "  #  define FILL(a) nd_fill(a, 0) // c\n"
                     "#undef A\n"
                     "#definex nope\n"
                     "int x = 1; # define NOT_AT_LINE_START\n");
    ck_assert_int_eq(tu->n_macros, 2);
    ck_assert_str_eq(tu->macros[0].name, "A");
    ck_assert_uint_eq(tu->macros[0].line, 1);
    ck_assert_str_eq(tu->macros[1].name, "FILL");
    ck_assert_uint_eq(tu->macros[1].line, 2);
    ck_assert_int_eq(tu->n_comments, 1);
    vc_tu_free(tu);
}
END_TEST

START_TEST(unterminated)
{
    vc_tu *tu = scan("/* never closed\n\n");
    ck_assert_int_eq(tu->n_comments, 1);
    ck_assert_uint_eq(tu->comments[0].end_line, 3);
    vc_tu_free(tu);
    tu = scan("char *s = \"open\nint y; // after\n");
    ck_assert_int_eq(tu->n_comments, 1);
    ck_assert_uint_eq(tu->comments[0].line, 2);
    vc_tu_free(tu);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("source");
    TCase *tc = tcase_create("source");
    tcase_add_test(tc, comments_and_literals);
    tcase_add_test(tc, defines);
    tcase_add_test(tc, unterminated);
    suite_add_tcase(s, tc);
    return s;
}
