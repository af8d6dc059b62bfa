/*
 * cx.c - the libclang adapter: one CXIndex per thread, parsing with the
 * options the notes recommend, compiler diagnostics turned into per-file
 * errors, the resource-dir self check, and the hand-off to walk.c (AST ->
 * IR) and source.c (comments, macro definitions).
 *
 * Key idea: a TU is almost always produced (libclang-notes 0.1), so "did it
 * parse" means "were there diagnostics of severity >= Error"; such a TU is
 * still lowered (its IR is partial) and flagged had_errors, which the driver
 * turns into exit status 3. Parse options: KeepGoing (a missing header is an
 * ordinary error and later errors are still reported) and
 * IgnoreNonErrorsFromIncludedFiles; never SkipFunctionBodies (no bodies) nor
 * DetailedPreprocessingRecord (+5 % parse time; macro names come from the
 * source bytes instead, see walk.c). Appended to every command line:
 * -ferror-limit=0 (all errors, no "too many errors" fatal) and
 * -Wno-unknown-warning-option (GCC-only -W flags from a compile database
 * would otherwise print to stderr).
 *
 * Invariants: the CXTranslationUnit never leaves this file and is disposed
 * before vc_cx_lower returns; everything kept is copied into the TU's arena.
 * Not done here: choosing arguments (driver.c, compdb.c), threads.
 */
#include <clang-c/Index.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cx.h"

#define MAX_ERRORS_KEPT 20          /* per TU; the rest are counted */

struct vc_cx {
    CXIndex index;
};

vc_cx *vc_cx_new(void)
{
    vc__walk_init();
    vc_cx *cx = calloc(1, sizeof *cx);
    if (!cx)
        return NULL;
    cx->index = clang_createIndex(0, 0);
    if (!cx->index) {
        free(cx);
        return NULL;
    }
    return cx;
}

void vc_cx_free(vc_cx *cx)
{
    if (!cx)
        return;
    clang_disposeIndex(cx->index);
    free(cx);
}

char *vc_cx_version(void)
{
    CXString s = clang_getClangVersion();
    const char *c = clang_getCString(s);
    char *r = strdup(c ? c : "libclang");
    clang_disposeString(s);
    return r;
}

/* args + our fixed extras, as one argv for libclang (heap; caller frees). */
static const char **full_args(const char *const *args, int nargs, int *out_n)
{
    static const char *const extra[] = { "-ferror-limit=0", "-Wno-unknown-warning-option" };
    int n = nargs + 2;
    const char **v = malloc((size_t)n * sizeof *v);
    if (!v)
        return NULL;
    for (int i = 0; i < nargs; i++)
        v[i] = args[i];
    v[nargs] = extra[0];
    v[nargs + 1] = extra[1];
    *out_n = n;
    return v;
}

static int probe_ok(vc_cx *cx, const char *const *args, int nargs)
{
    static const char probe[] =
        "#include <stddef.h>\n#include <stdarg.h>\n#include <stdbool.h>\n"
        "size_t n; va_list ap; bool b;\n";
    struct CXUnsavedFile uf = { "/__viewcheck_selfcheck__.c", probe, sizeof probe - 1 };
    CXTranslationUnit tu = NULL;
    if (clang_parseTranslationUnit2(cx->index, uf.Filename, args, nargs, &uf, 1,
                                    CXTranslationUnit_KeepGoing, &tu) != CXError_Success ||
        !tu)
        return 0;
    int ok = 1;
    for (unsigned i = 0, n = clang_getNumDiagnostics(tu); i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
            /* a file-less error (an unknown flag) is not a builtins problem */
            CXFile f = NULL;
            clang_getSpellingLocation(clang_getDiagnosticLocation(d), &f, NULL, NULL, NULL);
            if (f)
                ok = 0;
        }
        clang_disposeDiagnostic(d);
    }
    clang_disposeTranslationUnit(tu);
    return ok;
}

int vc_cx_check_builtins(vc_cx *cx, const char *const *args, int nargs, char **fix)
{
    *fix = NULL;
    if (probe_ok(cx, args, nargs))
        return 0;
    /* candidates: $VIEWCHECK_RESOURCE_DIR, then the LLVM of our major */
    char cand[3][512];
    int nc = 0;
    const char *env = getenv("VIEWCHECK_RESOURCE_DIR");
    if (env && *env)
        snprintf(cand[nc++], sizeof cand[0], "%s", env);
    char *ver = vc_cx_version();
    const char *v = ver ? strstr(ver, "version ") : NULL;
    int major = v ? atoi(v + 8) : 0;
    if (major > 0) {
        snprintf(cand[nc++], sizeof cand[0], "/usr/lib/llvm-%d/lib/clang/%d", major, major);
        snprintf(cand[nc++], sizeof cand[0], "/usr/lib/clang/%d", major);
    }
    free(ver);
    const char **a = malloc((size_t)(nargs + 2) * sizeof *a);
    if (!a)
        return -1;
    for (int i = 0; i < nargs; i++)
        a[i] = args[i];
    int rc = -1;
    for (int i = 0; i < nc && rc < 0; i++) {
        a[nargs] = "-resource-dir";
        a[nargs + 1] = cand[i];
        if (probe_ok(cx, a, nargs + 2)) {
            *fix = strdup(cand[i]);
            rc = *fix ? 0 : -1;
        }
    }
    free(a);
    return rc;
}

void vc_tu_free(vc_tu *tu)
{
    if (tu)
        vc_arena_free(tu->arena);   /* the vc_tu itself lives in its arena */
}

/* Keeps compiler errors as "file:line:col: error: message". */
static int collect_errors(CXTranslationUnit ctu, vc_tu *tu)
{
    int cap = 0, dropped = 0;
    for (unsigned i = 0, n = clang_getNumDiagnostics(ctu); i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(ctu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev < CXDiagnostic_Error) {
            clang_disposeDiagnostic(d);
            continue;
        }
        tu->had_errors = true;
        if (tu->n_errors >= MAX_ERRORS_KEPT) {
            dropped++;
            clang_disposeDiagnostic(d);
            continue;
        }
        CXFile f = NULL;
        unsigned line = 0, col = 0;
        clang_getFileLocation(clang_getDiagnosticLocation(d), &f, &line, &col, NULL);
        CXString msg = clang_getDiagnosticSpelling(d);
        const char *m = clang_getCString(msg);
        char *s;
        if (f) {
            CXString fn = clang_getFileName(f);
            const char *name = clang_getCString(fn);
            CXString mainsp = clang_getTranslationUnitSpelling(ctu);
            /* the main file is named as the user gave it */
            if (name && clang_getCString(mainsp) && !strcmp(name, clang_getCString(mainsp)))
                name = tu->path;
            s = vc_arena_printf(tu->arena, "%s:%u:%u: %s: %s", name ? name : "?", line, col,
                                sev == CXDiagnostic_Fatal ? "fatal error" : "error", m ? m : "");
            clang_disposeString(mainsp);
            clang_disposeString(fn);
        } else {
            s = vc_arena_printf(tu->arena, "%s: error: %s", tu->path, m ? m : "");
        }
        clang_disposeString(msg);
        clang_disposeDiagnostic(d);
        if (!s)
            return -1;
        if (tu->n_errors == cap) {
            int ncap = cap ? cap * 2 : 4;
            void *p = vc_arena_grow(tu->arena, tu->errors, (size_t)cap, (size_t)ncap,
                                    sizeof(char *));
            if (!p)
                return -1;
            tu->errors = p;
            cap = ncap;
        }
        tu->errors[tu->n_errors++] = s;
    }
    if (dropped) {
        char *s = vc_arena_printf(tu->arena, "%s: error: %d more errors not shown", tu->path,
                                  dropped);
        if (!s || tu->n_errors >= cap)
            return s ? 0 : -1;
        tu->errors[tu->n_errors++] = s;
    }
    return 0;
}

int vc_cx_lower(vc_cx *cx, const char *path, const char *const *args, int nargs,
                const char *contents, size_t len, vc_tu **out, char **err)
{
    *out = NULL;
    *err = NULL;
    int n = 0, rc = -1;
    const char **argv = full_args(args, nargs, &n);
    char *abs = NULL;
    vc_arena *A = vc_arena_new();
    vc_tu *tu = A ? vc_arena_alloc(A, sizeof *tu) : NULL;
    CXTranslationUnit ctu = NULL;
    if (!argv || !tu)
        goto oom;
    tu->arena = A;
    if (!(tu->path = vc_arena_strdup(A, path)))
        goto oom;
    /* libclang resolves a relative file name against -working-directory
     * (compile databases), not against our cwd: give it an absolute one.
     * The IR keeps the path as the user gave it. */
    abs = contents ? NULL : realpath(path, NULL);
    const char *cpath = abs ? abs : path;
    struct CXUnsavedFile uf = { cpath, contents, (unsigned long)len };
    enum CXErrorCode ec = clang_parseTranslationUnit2(
        cx->index, cpath, argv, n, contents ? &uf : NULL, contents ? 1 : 0,
        CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles,
        &ctu);
    if (ec != CXError_Success || !ctu) {
        if (asprintf(err, "%s: error: libclang could not parse the file (error %d)", path,
                     (int)ec) < 0)
            *err = NULL;
        goto out;
    }
    if (collect_errors(ctu, tu))
        goto oom;
    CXString sp = clang_getTranslationUnitSpelling(ctu);
    CXFile mf = clang_getFile(ctu, clang_getCString(sp));
    clang_disposeString(sp);
    size_t sz = 0;
    const char *buf = mf ? clang_getFileContents(ctu, mf, &sz) : NULL;
    if (buf && vc__scan_source(tu, buf, sz))
        goto oom;
    if (vc__walk_tu(ctu, tu))
        goto oom;
    *out = tu;
    tu = NULL;
    A = NULL;
    rc = 0;
    goto out;
oom:
    if (!*err && asprintf(err, "%s: error: out of memory", path) < 0)
        *err = NULL;
out:
    if (ctu)
        clang_disposeTranslationUnit(ctu);
    vc_arena_free(A);
    free(argv);
    free(abs);
    return rc;
}
