/*
 * parse_only.c - the benchmark's baseline: libclang's parse alone.
 *
 * Usage: vc-parse-only [--detailed] PATH... [-- CLANG-ARG...]
 *
 * Every PATH is a C file or a directory searched recursively for `*.c`
 * (sorted, so runs are comparable). Each file is parsed with
 * clang_parseTranslationUnit2 using the arguments after `--` plus the same
 * extras viewcheck adds (-ferror-limit=0, -Wno-unknown-warning-option and
 * the libclang-19 resource dir), then disposed. Nothing is visited: this is
 * the floor viewcheck's run time is compared with (analyzer_bench.sh).
 *
 * Parse options: KeepGoing | IgnoreNonErrorsFromIncludedFiles, as the
 * analyzer's cx.c uses them, plus DetailedPreprocessingRecord with
 * --detailed (should cx.c ever need it). Keep them in step with cx.c so the
 * ratio measures analysis, not options.
 *
 * Prints one line: files, main-file lines, TUs with errors. Exit status 0,
 * 1 if any file gave no TU at all, 2 on bad usage.
 *
 * Does not: read compile_commands.json, use threads, or report diagnostics.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* asprintf */
#endif
#include <clang-c/Index.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef VC_RESOURCE_DIR
#define VC_RESOURCE_DIR "/usr/lib/llvm-19/lib/clang/19"
#endif

struct file_list {
    char **path;
    size_t n, cap;
};

static int add_path(struct file_list *fl, const char *p)
{
    if (fl->n == fl->cap) {
        size_t cap = fl->cap ? 2 * fl->cap : 64;
        char **np = realloc(fl->path, cap * sizeof *np);
        if (!np)
            return -1;
        fl->path = np;
        fl->cap = cap;
    }
    fl->path[fl->n] = strdup(p);
    return fl->path[fl->n++] ? 0 : -1;
}

static int ends_with_c(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && strcmp(name + n - 2, ".c") == 0;
}

/* Appends PATH (a file) or every *.c below it (a directory). */
static int collect(struct file_list *fl, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return add_path(fl, path);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *child = NULL;
        if (asprintf(&child, "%s/%s", path, e->d_name) < 0) {
            rc = -1;
            break;
        }
        struct stat cs;
        if (stat(child, &cs) == 0 && (S_ISDIR(cs.st_mode) || ends_with_c(e->d_name)))
            rc = collect(fl, child);
        free(child);
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static long count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    long n = 0;
    int c;
    if (!f)
        return 0;
    while ((c = getc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    struct file_list fl = {NULL, 0, 0};
    const char **args = calloc((size_t)argc + 8, sizeof *args);
    unsigned opts = CXTranslationUnit_KeepGoing |
                    CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
    int nargs = 0, i, rc = 0;
    if (!args)
        return 2;

    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--detailed") == 0) {
            opts |= CXTranslationUnit_DetailedPreprocessingRecord;
        } else if (collect(&fl, argv[i]) != 0) {
            fprintf(stderr, "vc-parse-only: cannot read %s\n", argv[i]);
            return 2;
        }
    }
    for (i++; i < argc; i++)
        args[nargs++] = argv[i];
    args[nargs++] = "-ferror-limit=0";
    args[nargs++] = "-Wno-unknown-warning-option";
    args[nargs++] = "-resource-dir";
    args[nargs++] = getenv("VC_RESOURCE_DIR") ? getenv("VC_RESOURCE_DIR") : VC_RESOURCE_DIR;
    if (fl.n == 0) {
        fprintf(stderr, "usage: vc-parse-only [--detailed] PATH... [-- CLANG-ARG...]\n");
        return 2;
    }
    qsort(fl.path, fl.n, sizeof *fl.path, cmp_str);

    CXIndex idx = clang_createIndex(0, 0);
    long lines = 0, with_errors = 0;
    for (size_t k = 0; k < fl.n; k++) {
        CXTranslationUnit tu = NULL;
        enum CXErrorCode ec = clang_parseTranslationUnit2(idx, fl.path[k], args, nargs,
                                                          NULL, 0, opts, &tu);
        lines += count_lines(fl.path[k]);
        if (ec != CXError_Success || !tu) {
            fprintf(stderr, "vc-parse-only: %s: no translation unit (%d)\n", fl.path[k], (int)ec);
            rc = 1;
            continue;
        }
        unsigned nd = clang_getNumDiagnostics(tu);
        for (unsigned d = 0; d < nd; d++) {
            CXDiagnostic diag = clang_getDiagnostic(tu, d);
            enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(diag);
            clang_disposeDiagnostic(diag);
            if (sev >= CXDiagnostic_Error) {
                with_errors++;
                break;
            }
        }
        clang_disposeTranslationUnit(tu);
    }
    clang_disposeIndex(idx);
    printf("files %zu lines %ld tus-with-errors %ld\n", fl.n, lines, with_errors);
    for (size_t k = 0; k < fl.n; k++)
        free(fl.path[k]);
    free(fl.path);
    free(args);
    return rc;
}
