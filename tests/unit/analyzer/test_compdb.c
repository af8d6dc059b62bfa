/*
 * test_compdb.c - compile_commands.json through compdb.c: the cleaned
 * arguments drop what would make libclang fail or write files (argv[0],
 * -c, -o FILE, -MD -MF FILE, the input itself) and gain
 * -working-directory; --compile-commands FILE works with any file name;
 * the file list is absolute, sorted and unique.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compdb.h"
#include "options.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    strcpy(dir, "/tmp/vc_compdb_" "XX" "XX" "XX");   /* mkdtemp template */
    ck_assert_ptr_nonnull(mkdtemp(dir));
    write_file("a.c", "int a;\n");
    write_file("b.c", "int b;\n");
    char json[1024];
    snprintf(json, sizeof json,
             "[{\"directory\": \"%s\", \"command\": \"ccache gcc -I../inc -DX=\\\"y z\\\" "
             "-MD -MF a.d -c -o a.o a.c\", \"file\": \"a.c\"},\n"
             " {\"directory\": \"%s\", \"arguments\": [\"cc\", \"-O2\", \"-c\", \"b.c\", "
             "\"-o\", \"b.o\"], \"file\": \"b.c\"},\n"
             " {\"directory\": \"%s\", \"arguments\": [\"cc\", \"-c\", \"a.c\"], \"file\": \"a.c\"}]\n",
             dir, dir, dir);
    write_file("compile_commands.json", json);
    write_file("other.json", json);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static bool has_arg(char **v, int n, const char *a)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i], a))
            return true;
    return false;
}

START_TEST(args_are_cleaned)
{
    char *err = NULL;
    vc_compdb *db = vc_compdb_open(dir, NULL, &err);
    ck_assert_msg(db != NULL, "%s", err ? err : "?");
    char path[128], **v;
    snprintf(path, sizeof path, "%s/a.c", dir);
    int n = vc_compdb_args(db, path, &v);
    ck_assert_int_ge(n, 4);
    ck_assert(has_arg(v, n, "-I../inc"));
    ck_assert(has_arg(v, n, "-DX=y z"));     /* shell quoting undone */
    static const char *const gone[] = { "gcc", "ccache", "-MD", "-MF", "a.d", "-c", "-o",
                                        "a.o", "a.c" };
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        ck_assert_msg(!has_arg(v, n, gone[i]), "%s kept", gone[i]);
    ck_assert_str_eq(v[n - 2], "-working-directory");
    ck_assert_str_eq(v[n - 1], dir);
    vc_free_strings(v, n);
    snprintf(path, sizeof path, "%s/b.c", dir);
    n = vc_compdb_args(db, path, &v);
    ck_assert(has_arg(v, n, "-O2"));
    ck_assert(!has_arg(v, n, "b.o") && !has_arg(v, n, "b.c") && !has_arg(v, n, "cc"));
    vc_free_strings(v, n);
    char **files;
    int nf = vc_compdb_files(db, &files);
    ck_assert_int_eq(nf, 2);        /* a.c listed twice: once */
    ck_assert(strstr(files[0], "/a.c") && strstr(files[1], "/b.c"));
    ck_assert_int_eq(files[0][0], '/');
    vc_free_strings(files, nf);
    vc_compdb_free(db);
}
END_TEST

START_TEST(any_file_name_and_errors)
{
    char *err = NULL, path[128];
    snprintf(path, sizeof path, "%s/other.json", dir);
    vc_compdb *db = vc_compdb_open(NULL, path, &err);
    ck_assert_msg(db != NULL, "%s", err ? err : "?");
    char **files;
    int nf = vc_compdb_files(db, &files);
    ck_assert_int_eq(nf, 2);
    vc_free_strings(files, nf);
    vc_compdb_free(db);
    ck_assert_ptr_null(vc_compdb_open(NULL, "/nonexistent/cc.json", &err));
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/cc.json"));
    free(err);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("compdb");
    TCase *tc = tcase_create("compdb");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, args_are_cleaned);
    tcase_add_test(tc, any_file_name_and_errors);
    suite_add_tcase(s, tc);
    return s;
}
