/*
 * test_suppress.c - inline suppression comments: same line, next line,
 * NOLINT forms that name our rules, globs, and everything that must NOT
 * suppress (bare NOLINT, other rules, wrong line, missing list).
 */
#include <check.h>
#include <string.h>

#include "suppress.h"

static vc_comment C(unsigned line, unsigned end, const char *text)
{
    vc_comment c = { line, end, text };
    return c;
}

#define SUP(c, line) vc_suppressed_at(&(c), 1, (line), "VC001", "write-through-view")

START_TEST(same_line)
{
    vc_comment c = C(7, 7, "// viewcheck-ignore[VC001]: the parent is dead");
    ck_assert(SUP(c, 7));
    ck_assert(!SUP(c, 8));
    ck_assert(!vc_suppressed_at(&c, 1, 7, "VC002", "write-to-copy-lost"));
}
END_TEST

START_TEST(next_line_and_block_comments)
{
    vc_comment c = C(3, 3, "// viewcheck-ignore-next-line[VC002, VC001]: reason");
    ck_assert(SUP(c, 4));
    ck_assert(!SUP(c, 3));
    vc_comment b = C(3, 5, "/* viewcheck-ignore-next-line [write-*]\n reason\n */");
    ck_assert(SUP(b, 6));
    ck_assert(!SUP(b, 4));
}
END_TEST

START_TEST(nolint_only_with_our_prefix)
{
    vc_comment a = C(2, 2, "// NOLINT(viewcheck-VC001)");
    ck_assert(SUP(a, 2));
    vc_comment b = C(2, 2, "// NOLINT");
    ck_assert(!SUP(b, 2));
    vc_comment c = C(2, 2, "// NOLINT(bugprone-*)");
    ck_assert(!SUP(c, 2));
    vc_comment d = C(1, 1, "// NOLINTNEXTLINE(viewcheck-write-through-view)");
    ck_assert(SUP(d, 2));
    ck_assert(!SUP(d, 1));
    vc_comment e = C(1, 1, "// NOLINTNEXTLINE(viewcheck-*)");
    ck_assert(SUP(e, 2));
}
END_TEST

START_TEST(lists_are_required)
{
    vc_comment a = C(2, 2, "// viewcheck-ignore: no list");
    ck_assert(!SUP(a, 2));
    vc_comment b = C(2, 2, "// viewcheck-ignore[vc00*]");   /* case-insensitive glob */
    ck_assert(SUP(b, 2));
}
END_TEST

START_TEST(apply_marks_by_file)
{
    vc_comment cs[] = { C(4, 4, "// viewcheck-ignore[VC001]") };
    vc_tu t;
    memset(&t, 0, sizeof t);
    t.path = "x.c";
    t.comments = cs;
    t.n_comments = 1;
    vc_tu *tus[] = { &t };
    vc_report r;
    vc_report_init(&r);
    vc_loc l4 = { "x.c", 4, 1, 4, 2 }, l5 = { "x.c", 5, 1, 5, 2 }, o4 = { "y.c", 4, 1, 4, 2 };
    vc_report_add(&r, "VC001", "write-through-view", "warning", l4, "f", "a");
    vc_report_add(&r, "VC001", "write-through-view", "warning", l5, "f", "b");
    vc_report_add(&r, "VC001", "write-through-view", "warning", o4, "f", "c");
    vc_suppress_apply(&r, tus, 1);
    ck_assert(r.diags[0].suppressed);
    ck_assert(!r.diags[1].suppressed);
    ck_assert(!r.diags[2].suppressed);
    vc_report_free(&r);
}
END_TEST

START_TEST(macro_definition_form)
{
    vc_comment cs[] = { C(2, 2, "#define FILL(a) nd_fill(a, 0) // viewcheck-ignore-macro[VC001]: ok") };
    vc_inst in[2];
    memset(in, 0, sizeof in);
    in[0].kind = VC_I_CALL;
    in[0].loc = (vc_loc){ "x.c", 5, 5, 5, 12 };
    in[0].macro = "FILL";
    in[1].kind = VC_I_CALL;
    in[1].loc = (vc_loc){ "x.c", 6, 5, 6, 12 };
    vc_block blk = { 2, in, 0, NULL, 0, NULL };
    vc_func fn;
    memset(&fn, 0, sizeof fn);
    fn.n_blocks = 1;
    fn.blocks = &blk;
    struct { const char *name; unsigned line; } macros[] = { { "FILL", 2 } };
    vc_tu t;
    memset(&t, 0, sizeof t);
    t.path = "x.c";
    t.comments = cs;
    t.n_comments = 1;
    t.funcs = &fn;
    t.n_funcs = 1;
    t.macros = (void *)macros;
    t.n_macros = 1;
    vc_tu *tus[] = { &t };
    vc_report r;
    vc_report_init(&r);
    vc_loc l5 = { "x.c", 5, 5, 5, 12 }, l6 = { "x.c", 6, 5, 6, 12 };
    vc_report_add(&r, "VC001", "write-through-view", "warning", l5, "f", "in FILL");
    vc_report_add(&r, "VC001", "write-through-view", "warning", l6, "f", "not a macro");
    vc_report_add(&r, "VC002", "write-to-copy-lost", "warning", l5, "f", "other rule");
    vc_suppress_apply(&r, tus, 1);
    ck_assert(r.diags[0].suppressed);
    ck_assert(!r.diags[1].suppressed);
    ck_assert(!r.diags[2].suppressed);
    /* the macro form is not a same-line suppression of the #define line */
    ck_assert(!vc_suppressed_at(cs, 1, 2, "VC001", "write-through-view"));
    vc_report_free(&r);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("suppress");
    TCase *tc = tcase_create("suppress");
    tcase_add_test(tc, same_line);
    tcase_add_test(tc, next_line_and_block_comments);
    tcase_add_test(tc, nolint_only_with_our_prefix);
    tcase_add_test(tc, lists_are_required);
    tcase_add_test(tc, apply_marks_by_file);
    tcase_add_test(tc, macro_definition_form);
    suite_add_tcase(s, tc);
    return s;
}
