/*
 * test_model.c - analyzer/src/model.c and rules/models/nd.json: the strict
 * loader rejects every malformed model with the file and key in the
 * message, merging replaces entries, and the shipped libnd model covers
 * every function nd.h declares with the kinds the hazard model needs.
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static vc_model *load_nd(void)
{
    vc_model *m = NULL;
    char *err = NULL;
    ck_assert_msg(vc_model_load(&m, "rules/models/nd.json", &err) == 0, "%s", err);
    return m;
}

/* Every `nd_name(` that starts a declaration in nd.h is modelled. */
START_TEST(nd_json_covers_nd_h)
{
    vc_model *m = load_nd();
    FILE *fp = fopen("runtime/include/nd.h", "r");
    ck_assert_ptr_nonnull(fp);
    char line[512];
    int found = 0;
    bool in_comment = false;
    while (fgets(line, sizeof line, fp)) {
        if (strstr(line, "/*") && !strstr(line, "*/"))
            in_comment = true;
        if (in_comment) {
            if (strstr(line, "*/"))
                in_comment = false;
            continue;
        }
        if (line[0] == ' ' || line[0] == '#' || line[0] == '/' || line[0] == '*')
            continue;
        for (char *p = strstr(line, "nd_"); p; p = strstr(p + 1, "nd_")) {
            if (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
                continue;
            char name[64];
            int n = 0;
            while (n < 63 && (isalnum((unsigned char)p[n]) || p[n] == '_')) {
                name[n] = p[n];
                n++;
            }
            name[n] = '\0';
            if (p[n] != '(')
                continue;
            ck_assert_msg(vc_model_find(m, name) != NULL, "%s is not modelled", name);
            found++;
            break;
        }
    }
    fclose(fp);
    ck_assert_int_gt(found, 60);
    vc_model_free(m);
}
END_TEST

START_TEST(nd_json_kinds)
{
    vc_model *m = load_nd();
    const vc_model_fn *f = vc_model_find(m, "nd_get");
    ck_assert_int_eq(f->result, VC_RES_INDEX_VIEW);
    ck_assert_int_eq(f->of, 0);
    ck_assert_int_eq(f->index, 1);
    ck_assert_str_eq(f->copy_with, "nd_get_copy");
    f = vc_model_find(m, "nd_getf");
    ck_assert_int_eq(f->format, 1);
    ck_assert_int_eq(vc_model_find(m, "nd_reshape")->result, VC_RES_MAYBE_VIEW);
    ck_assert_int_eq(vc_model_find(m, "nd_ravel")->result, VC_RES_MAYBE_VIEW);
    ck_assert_int_eq(vc_model_find(m, "nd_broadcast_to")->result, VC_RES_READONLY_VIEW);
    ck_assert_int_eq(vc_model_find(m, "nd_diagonal")->result, VC_RES_READONLY_VIEW);
    ck_assert_int_eq(vc_model_find(m, "nd_take")->result, VC_RES_COPY_BY_INDEXING);
    ck_assert_int_eq(vc_model_find(m, "nd_get_copy")->result, VC_RES_OWNER);
    ck_assert_int_eq(vc_model_find(m, "nd_data")->result, VC_RES_RAW_POINTER);
    ck_assert_int_eq(vc_model_find(m, "nd_transpose")->result, VC_RES_VIEW);
    f = vc_model_find(m, "nd_iadd");
    ck_assert_uint_eq(f->writes, 1u);
    ck_assert_uint_eq(f->reads, 3u);
    f = vc_model_find(m, "nd_set");
    ck_assert_uint_eq(f->writes, 1u);
    ck_assert_uint_eq(f->reads, 4u);
    ck_assert_int_eq(f->index, 1);
    ck_assert_uint_eq(vc_model_find(m, "nd_free")->releases, 1u);
    ck_assert_uint_eq(vc_model_find(m, "nd_print")->reads, 2u);
    ck_assert_int_eq(vc_model_find(m, "nd_field")->field, 1);
    ck_assert_int_eq(vc_model_find(m, "nd_fields")->fields, 2);
    ck_assert_int_eq(vc_model_find(m, "nd_get")->fields, -1);
    /* raw stores hidden in libc: memset/memcpy write their destination */
    ck_assert_uint_eq(vc_model_find(m, "memset")->writes, 1u);
    ck_assert_uint_eq(vc_model_find(m, "memcpy")->writes, 1u);
    ck_assert_uint_eq(vc_model_find(m, "memcpy")->reads, 2u);
    /* run-time index items: the macros say which items make a copy */
    f = vc_model_find(m, "nd_get_items");
    ck_assert_int_eq(f->result, VC_RES_INDEX_VIEW);
    ck_assert_int_eq(f->items, 2);
    ck_assert_int_eq(f->n_items, 1);
    ck_assert_int_eq(vc_model_item_macro(m, "ND_ARRAY"), 2);
    ck_assert_int_eq(vc_model_item_macro(m, "ND_TRUE"), 2);
    ck_assert_int_eq(vc_model_item_macro(m, "ND_SLICE"), 1);
    ck_assert_int_eq(vc_model_item_macro(m, "ND_AT"), 1);
    ck_assert_int_eq(vc_model_item_macro(m, "ND_END"), 0);
    ck_assert_int_eq(vc_model_item_macro(m, NULL), 0);
    ck_assert(vc_model_is_handle(m, "nd_array"));
    ck_assert(!vc_model_is_handle(m, "nd_dtype"));
    ck_assert_ptr_null(vc_model_find(m, "nd_nonexistent"));
    vc_model_free(m);
}
END_TEST

static char *load_err(const char *text)
{
    vc_model *m = NULL;
    char *err = NULL;
    ck_assert_int_eq(vc_model_load_text(&m, text, "x.json", &err), -1);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strncmp(err, "x.json: ", 8) == 0, "%s", err);
    return err;
}

#define HDR "{\"schema\":\"viewcheck-model/1\",\"handle_types\":[\"t\"],"

START_TEST(strict_loader)
{
    struct { const char *text, *needle; } cases[] = {
        {"{", "invalid JSON"},
        {"[]", "top level"},
        {"{\"schema\":\"v2\",\"functions\":{}}", "schema"},
        {HDR "\"functions\":{}, \"extra\":1}", "\"extra\""},
        {HDR "\"functions\":{\"f\":{\"result\":\"view\"}}}", "functions.f"},
        {HDR "\"functions\":{\"f\":{\"result\":\"sometimes\"}}}", "functions.f.result"},
        {HDR "\"functions\":{\"f\":{\"result\":\"value\",\"colour\":1}}}", "\"colour\""},
        {HDR "\"functions\":{\"f\":{\"result\":\"value\",\"reads\":0}}}", "functions.f.reads"},
        {HDR "\"functions\":{\"f\":{\"result\":\"value\",\"reads\":[99]}}}", "functions.f.reads"},
        {HDR "\"functions\":{\"f\":{\"result\":\"value\",\"writes\":[\"a\"]}}}", "functions.f.writes"},
        {HDR "\"functions\":{\"f\":{\"result\":\"value\",\"keeps_axes\":1}}}", "keeps_axes"},
        {HDR "\"functions\":{\"f\":{\"reads\":[0]}}}", "\"result\""},
        {HDR "\"functions\":{\"f\":{\"result\":\"value\",\"index\":1,\"format\":1}}}", "format"},
        {"{\"schema\":\"viewcheck-model/1\",\"handle_types\":[],\"functions\":{}}", "handle_types"},
        {HDR "\"functions\":{\"f\":{\"result\":\"value\",\"items\":2}}}", "n_items"},
        {HDR "\"functions\":{\"f\":{\"result\":\"value\",\"items\":2,\"n_items\":1,"
             "\"index\":1}}}", "\"items\" excludes"},
        {HDR "\"item_macros\":[],\"functions\":{}}", "item_macros"},
        {HDR "\"item_macros\":{\"fancy\":[]},\"functions\":{}}", "\"fancy\""},
        {HDR "\"item_macros\":{\"basic\":[1]},\"functions\":{}}", "item_macros.basic"},
        {"{\"schema\":\"viewcheck-model/1\",\"handle_types\":[\"t\"]}", "functions"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *err = load_err(cases[i].text);
        ck_assert_msg(strstr(err, cases[i].needle), "case %zu: %s", i, err);
        free(err);
    }
}
END_TEST

START_TEST(merge_replaces_and_keeps_model_on_error)
{
    vc_model *m = load_nd();
    int n = m->n_fns;
    char *err = NULL;
    const char *over = HDR "\"functions\":{\"nd_get\":{\"result\":\"owner\"},"
                           "\"ta_new\":{\"result\":\"owner\"}}}";
    ck_assert_int_eq(vc_model_load_text(&m, over, "o.json", &err), 0);
    ck_assert_int_eq(m->n_fns, n + 1);
    ck_assert_int_eq(vc_model_find(m, "nd_get")->result, VC_RES_OWNER);
    ck_assert(vc_model_is_handle(m, "t") && vc_model_is_handle(m, "nd_array"));
    /* a later file's item macro replaces the earlier entry */
    const char *mac = HDR "\"item_macros\":{\"basic\":[\"ND_ARRAY\",\"TA_AT\"]},"
                          "\"functions\":{}}";
    ck_assert_int_eq(vc_model_load_text(&m, mac, "m.json", &err), 0);
    ck_assert_int_eq(vc_model_item_macro(m, "ND_ARRAY"), 1);
    ck_assert_int_eq(vc_model_item_macro(m, "TA_AT"), 1);
    ck_assert_int_eq(vc_model_item_macro(m, "ND_TRUE"), 2);
    /* a failing load leaves the model as it was */
    const char *bad = HDR "\"functions\":{\"zz\":{\"result\":\"owner\"},\"yy\":{}}}";
    ck_assert_int_eq(vc_model_load_text(&m, bad, "b.json", &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "functions.yy"));
    free(err);
    ck_assert_int_eq(m->n_fns, n + 1);
    ck_assert_ptr_null(vc_model_find(m, "zz"));
    vc_model_free(m);
    m = NULL;
    ck_assert_int_eq(vc_model_load(&m, "no/such/model.json", &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no/such/model.json"));
    free(err);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, nd_json_covers_nd_h);
    tcase_add_test(tc, nd_json_kinds);
    tcase_add_test(tc, strict_loader);
    tcase_add_test(tc, merge_replaces_and_keeps_model_on_error);
    suite_add_tcase(s, tc);
    return s;
}
