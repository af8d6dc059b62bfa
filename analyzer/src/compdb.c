/*
 * compdb.c - compile commands from compile_commands.json, cleaned for
 * libclang (libclang-notes section 5).
 *
 * Key idea: libclang already reads the JSON, unwraps ccache, undoes shell
 * quoting and invents commands for files it does not list; what is left is
 * removing what would make libclang fail or write files: argv[0], `--`, the
 * input file itself (a second input gives CXError_ASTReadError), -c/-S/-E,
 * -o FILE, dependency-file flags (-MD -MF really write a depfile),
 * -save-temps, and then appending `-working-directory DIR` so relative -I
 * paths resolve against the command's directory without chdir (threads).
 *
 * Invariants: the database is only read while no worker thread runs.
 * --compile-commands FILE with a name other than compile_commands.json is
 * served from a private temporary directory holding a symlink to it,
 * removed by vc_compdb_free.
 */
#include "compdb.h"

#include <clang-c/CXCompilationDatabase.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

struct vc_compdb {
    CXCompilationDatabase db;
    char *tmpdir, *link;            /* for --compile-commands FILE */
};

vc_compdb *vc_compdb_open(const char *dir, const char *file, char **err)
{
    *err = NULL;
    vc_compdb *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    char *from = NULL;
    if (file) {
        char *real = realpath(file, NULL);
        if (!real) {
            if (asprintf(err, "no such compilation database: %s", file) < 0)
                *err = NULL;
            free(c);
            return NULL;
        }
        char tmpl[] = "/tmp/viewcheck-cdb-" "XX" "XX" "XX";   /* mkdtemp template */
        char *t = mkdtemp(tmpl);
        if (!t || !(c->tmpdir = strdup(t)) ||
            asprintf(&c->link, "%s/compile_commands.json", t) < 0 ||
            symlink(real, c->link)) {
            free(real);
            vc_compdb_free(c);
            if (asprintf(err, "cannot use compilation database %s", file) < 0)
                *err = NULL;
            return NULL;
        }
        free(real);
        from = c->tmpdir;
    } else {
        from = (char *)dir;
    }
    CXCompilationDatabase_Error e;
    c->db = clang_CompilationDatabase_fromDirectory(from, &e);
    if (e != CXCompilationDatabase_NoError || !c->db) {
        if (asprintf(err, "cannot read compile_commands.json %s %s", file ? "" : "in",
                     file ? file : dir) < 0)
            *err = NULL;
        vc_compdb_free(c);
        return NULL;
    }
    return c;
}

void vc_compdb_free(vc_compdb *c)
{
    if (!c)
        return;
    if (c->db)
        clang_CompilationDatabase_dispose(c->db);
    if (c->link)
        unlink(c->link);
    if (c->tmpdir)
        rmdir(c->tmpdir);
    free(c->link);
    free(c->tmpdir);
    free(c);
}

/* Flags to drop: exact spelling, and whether the next argument goes too. */
static const struct { const char *flag; int takes; } drop[] = {
    { "-c", 0 }, { "-S", 0 }, { "-E", 0 }, { "-o", 1 }, { "-MD", 0 }, { "-MMD", 0 },
    { "-M", 0 }, { "-MM", 0 }, { "-MP", 0 }, { "-MG", 0 }, { "-MF", 1 }, { "-MT", 1 },
    { "-MQ", 1 }, { "-MJ", 1 }, { "--serialize-diagnostics", 1 }, { "-pipe", 0 },
    { "--", 0 },
};
/* Joined forms (-oFILE, -MFdep.d, -save-temps=obj, -Wp,-MD,...). */
static const char *const drop_prefix[] = { "-o", "-MF", "-MT", "-MQ", "-MJ", "-save-temps",
                                           "-Wp,-M" };

static char *cxdup(CXString s)
{
    const char *c = clang_getCString(s);
    char *r = strdup(c ? c : "");
    clang_disposeString(s);
    return r;
}

/* Is `arg` (relative to dir) the same file as `path`? */
static int same_file(const char *arg, const char *dir, const char *path_real)
{
    char buf[PATH_MAX * 2];
    if (arg[0] == '/')
        snprintf(buf, sizeof buf, "%s", arg);
    else
        snprintf(buf, sizeof buf, "%s/%s", dir, arg);
    char *r = realpath(buf, NULL);
    int same = r && path_real && !strcmp(r, path_real);
    free(r);
    return same;
}

int vc_compdb_args(vc_compdb *c, const char *path, char ***out)
{
    *out = NULL;
    char *path_real = realpath(path, NULL);
    CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(
        c->db, path_real ? path_real : path);
    char **v = NULL;
    int n = 0;
    if (!cmds || clang_CompileCommands_getSize(cmds) == 0) {
        if (cmds)
            clang_CompileCommands_dispose(cmds);
        free(path_real);
        return 0;
    }
    /* several commands for one file: the first one wins */
    CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, 0);
    char *dir = cxdup(clang_CompileCommand_getDirectory(cmd));
    char *fname = cxdup(clang_CompileCommand_getFilename(cmd));
    unsigned na = clang_CompileCommand_getNumArgs(cmd);
    v = calloc((size_t)na + 3, sizeof *v);
    if (!v || !dir || !fname)
        goto oom;
    for (unsigned i = 1; i < na; i++) {
        char *a = cxdup(clang_CompileCommand_getArg(cmd, i));
        if (!a)
            goto oom;
        int skip = -1;
        for (size_t k = 0; k < sizeof drop / sizeof drop[0] && skip < 0; k++)
            if (!strcmp(a, drop[k].flag))
                skip = drop[k].takes;
        for (size_t k = 0; k < sizeof drop_prefix / sizeof drop_prefix[0] && skip < 0; k++)
            if (!strncmp(a, drop_prefix[k], strlen(drop_prefix[k])) && a[0] == '-' &&
                strcmp(a, "-o") && strncmp(a, "-obj", 4))
                skip = 0;
        if (skip < 0 && a[0] != '-' &&
            (!strcmp(a, fname) || same_file(a, dir, path_real)))
            skip = 0;               /* the input file itself */
        if (skip >= 0) {
            free(a);
            i += (unsigned)skip;
            continue;
        }
        v[n++] = a;
    }
    if (!(v[n] = strdup("-working-directory")) || !(v[n + 1] = strdup(dir)))
        goto oom;
    n += 2;
    free(dir);
    free(fname);
    free(path_real);
    clang_CompileCommands_dispose(cmds);
    *out = v;
    return n;
oom:
    vc_free_strings(v, n + 2);
    free(dir);
    free(fname);
    free(path_real);
    clang_CompileCommands_dispose(cmds);
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int vc_compdb_files(vc_compdb *c, char ***out)
{
    *out = NULL;
    CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(c->db);
    if (!cmds)
        return 0;
    unsigned total = clang_CompileCommands_getSize(cmds);
    char **v = calloc((size_t)total + 1, sizeof *v);
    int n = 0;
    for (unsigned i = 0; v && i < total; i++) {
        CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, i);
        char *dir = cxdup(clang_CompileCommand_getDirectory(cmd));
        char *f = cxdup(clang_CompileCommand_getFilename(cmd));
        char *full = NULL;
        if (dir && f && asprintf(&full, "%s%s%s", f[0] == '/' ? "" : dir,
                                 f[0] == '/' ? "" : "/", f) < 0)
            full = NULL;
        free(dir);
        free(f);
        if (full) {
            char *real = realpath(full, NULL);   /* "build/../src/a.c" -> canonical */
            if (real) {
                free(full);
                full = real;
            }
            v[n++] = full;
        }
    }
    clang_CompileCommands_dispose(cmds);
    if (n > 1)
        qsort(v, (size_t)n, sizeof *v, cmp_str);
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (m && !strcmp(v[m - 1], v[i])) {
            free(v[i]);
            continue;
        }
        v[m++] = v[i];
    }
    *out = v;
    return m;
}
