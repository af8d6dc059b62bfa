/*
 * test_emit.c - the text, JSON and SARIF emitters on a hand-built report,
 * and report.c's sort/dedup: shapes are checked by parsing the output back
 * with cJSON, text line by line.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "emit.h"
#include "report.h"

static vc_report rep;

static vc_loc L(const char *file, unsigned line, unsigned col)
{
    vc_loc l = { file, line, col, line, col + 4 };
    return l;
}

static void build(void)
{
    vc_report_init(&rep);
    /* added out of order, with one exact duplicate */
    vc_diag *d = vc_report_add(&rep, "VC001", "write-through-view", "warning", L("b.c", 9, 5),
                               "f", "write through '%s'", "row");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(vc_diag_note(d, L("b.c", 3, 17), "view made here"), 0);
    ck_assert_int_eq(vc_diag_fix(d, "copy it", L("b.c", 3, 17), "nd_copy(a)"), 0);
    ck_assert_ptr_nonnull(vc_report_add(&rep, "VC002", "write-to-copy-lost", "warning",
                                        L("a.c", 4, 2), "g", "lost write"));
    ck_assert_ptr_nonnull(vc_report_add(&rep, "VC001", "write-through-view", "warning",
                                        L("b.c", 9, 5), "f", "write through 'row'"));
    vc_diag *s = vc_report_add(&rep, "VC008", "bad-index-literal", "error", L("a.c", 2, 1),
                               "g", "bad index");
    s->suppressed = true;
    ck_assert_int_eq(vc_report_error(&rep, "c.c", "c.c:1:1: error: expected ';'"), 0);
    vc_report_sort(&rep);
}

static char *capture(int (*fn)(FILE *, const vc_report *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fn(f, &rep), 0);
    fclose(f);
    return buf;
}

START_TEST(sort_dedups_and_orders)
{
    build();
    ck_assert_int_eq(rep.n_diags, 3);
    ck_assert_str_eq(rep.diags[0].loc.file, "a.c");
    ck_assert_uint_eq(rep.diags[0].loc.line, 2);
    ck_assert_str_eq(rep.diags[1].rule, "VC002");
    ck_assert_str_eq(rep.diags[2].loc.file, "b.c");
    ck_assert_int_eq(rep.diags[2].n_notes, 1);
    vc_report_free(&rep);
}
END_TEST

START_TEST(text_is_gcc_shaped)
{
    build();
    char *t = capture(vc_emit_text);
    ck_assert_str_eq(t, "a.c:4:2: warning: lost write [VC002]\n"
                        "b.c:9:5: warning: write through 'row' [VC001]\n"
                        "b.c:3:17: note: view made here\n");
    free(t);
    vc_report_free(&rep);
}
END_TEST

START_TEST(json_shape)
{
    build();
    char *t = capture(vc_emit_json);
    cJSON *j = cJSON_Parse(t);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "version")->valueint, 1);
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "tool"), "name")->valuestring,
                     "viewcheck");
    cJSON *ds = cJSON_GetObjectItem(j, "diagnostics");
    ck_assert_int_eq(cJSON_GetArraySize(ds), 3);   /* suppressed ones stay, marked */
    cJSON *d0 = cJSON_GetArrayItem(ds, 0);
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(d0, "suppressed")));
    cJSON *d2 = cJSON_GetArrayItem(ds, 2);
    static const char *const keys[] = { "rule", "name", "severity", "message", "file", "line",
                                        "column", "end_line", "end_column", "notes", "fixes" };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        ck_assert_msg(cJSON_GetObjectItem(d2, keys[k]) != NULL, "missing %s", keys[k]);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(d2, "suppressed")));
    ck_assert_int_eq(cJSON_GetObjectItem(d2, "end_column")->valueint, 9);
    cJSON *note = cJSON_GetArrayItem(cJSON_GetObjectItem(d2, "notes"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(note, "file")->valuestring, "b.c");
    ck_assert_int_eq(cJSON_GetObjectItem(note, "line")->valueint, 3);
    cJSON *fix = cJSON_GetArrayItem(cJSON_GetObjectItem(d2, "fixes"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(fix, "description")->valuestring, "copy it");
    cJSON *edit = cJSON_GetArrayItem(cJSON_GetObjectItem(fix, "edits"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(edit, "new_text")->valuestring, "nd_copy(a)");
    cJSON *e0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "errors"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(e0, "file")->valuestring, "c.c");
    cJSON_Delete(j);
    /* deterministic: the same report prints the same bytes */
    char *t2 = capture(vc_emit_json);
    ck_assert_str_eq(t, t2);
    free(t);
    free(t2);
    vc_report_free(&rep);
}
END_TEST

START_TEST(sarif_shape)
{
    build();
    char *t = capture(vc_emit_sarif);
    cJSON *j = cJSON_Parse(t);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "version")->valuestring, "2.1.0");
    cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), 0);
    cJSON *rules = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(run, "tool"),
                                                           "driver"), "rules");
    ck_assert_int_eq(cJSON_GetArraySize(rules), vc_rule_count());
    for (int i = 0; i < vc_rule_count(); i++) {
        cJSON *r = cJSON_GetArrayItem(rules, i);
        ck_assert_str_eq(cJSON_GetObjectItem(r, "id")->valuestring, vc_rule_id(i));
        ck_assert_str_ne(cJSON_GetObjectItem(r, "name")->valuestring, vc_rule_id(i));
        ck_assert_ptr_nonnull(cJSON_GetObjectItem(r, "shortDescription"));
        ck_assert_ptr_nonnull(cJSON_GetObjectItem(r, "fullDescription"));
        ck_assert_ptr_nonnull(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "help"), "text"));
    }
    cJSON *res = cJSON_GetObjectItem(run, "results");
    ck_assert_int_eq(cJSON_GetArraySize(res), 2);      /* the suppressed one is left out */
    cJSON *r1 = cJSON_GetArrayItem(res, 1);
    ck_assert_str_eq(cJSON_GetObjectItem(r1, "ruleId")->valuestring, "VC001");
    ck_assert_int_eq(cJSON_GetObjectItem(r1, "ruleIndex")->valueint, vc_rule_index("VC001"));
    cJSON *reg = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(r1, "locations"), 0), "physicalLocation"), "region");
    ck_assert_int_eq(cJSON_GetObjectItem(reg, "startLine")->valueint, 9);
    ck_assert_int_eq(cJSON_GetObjectItem(reg, "endColumn")->valueint, 9);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r1, "relatedLocations")), 1);
    cJSON *inv = cJSON_GetArrayItem(cJSON_GetObjectItem(run, "invocations"), 0);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(inv, "executionSuccessful")));
    cJSON_Delete(j);
    free(t);
    vc_report_free(&rep);
}
END_TEST

START_TEST(line_hash_counts_repeats)
{
    char path[] = "/tmp/vc_linehash_" "XX" "XX" "XX";   /* mkstemp template */
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("int a;\n  x = 1;\nint b;\nx = 1;\n", f);
    fclose(f);
    char *h1 = vc_line_hash(path, 1), *h2 = vc_line_hash(path, 2), *h4 = vc_line_hash(path, 4);
    ck_assert(h1 && h2 && h4);
    /* hashes span 100 characters from the line start, so lines 2 and 4
       differ by what follows; the suffix counts identical hashes */
    ck_assert_str_ne(h1, h2);
    ck_assert_ptr_nonnull(strchr(h1, ':'));
    ck_assert_str_eq(strchr(h1, ':'), ":1");
    char *again = vc_line_hash(path, 2);
    ck_assert_str_eq(h2, again);
    /* whitespace is not hashed and the window is 100 characters: two long
       identical lines, one indented, get the same hash, counted :1, :2 */
    f = fopen(path, "w");
    for (int line = 0; line < 2; line++) {
        fputs(line ? "    " : "", f);
        for (int i = 0; i < 120; i++)
            fputc('a' + i % 26, f);
        fputc('\n', f);
    }
    fclose(f);
    char *a = vc_line_hash(path, 1), *b = vc_line_hash(path, 2);
    ck_assert(a && b);
    ck_assert_str_eq(strchr(a, ':'), ":1");
    ck_assert_str_eq(strchr(b, ':'), ":2");
    ck_assert_int_eq((int)(strchr(a, ':') - a), (int)(strchr(b, ':') - b));
    ck_assert(!strncmp(a, b, (size_t)(strchr(a, ':') - a)));
    free(h1); free(h2); free(h4); free(again); free(a); free(b);
    ck_assert_ptr_null(vc_line_hash("/nonexistent/file.c", 1));
    unlink(path);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("emit");
    TCase *tc = tcase_create("emit");
    tcase_add_test(tc, sort_dedups_and_orders);
    tcase_add_test(tc, text_is_gcc_shaped);
    tcase_add_test(tc, json_shape);
    tcase_add_test(tc, sarif_shape);
    tcase_add_test(tc, line_hash_counts_repeats);
    suite_add_tcase(s, tc);
    return s;
}
