/*
 * driver.c - the per-run loop: collect input files, compute each file's
 * compiler arguments, parse and lower them in parallel, and hand back the
 * TUs in input order.
 *
 * Key idea: a fixed pool of pthreads pulls file indexes from an atomic
 * counter; each worker owns one vc_cx (one CXIndex, created serially before
 * the threads start: libclang-notes 7) and writes its result into the slot
 * of the file it took, so the result never depends on completion order or
 * on -j. Workers run on 64 MiB stacks because the walker recurses on deep
 * expressions.
 *
 * Invariants: the compile database and the resource-dir self check are
 * used only before threads start; workers share nothing mutable but the
 * counter and their own result slots.
 * Not done here: analysis, suppression, output (main.c).
 */
#include "driver.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cx.h"

/* ---- inputs -------------------------------------------------------------- */
typedef struct strvec {
    char **v;
    int n, cap;
} strvec;

static int sv_push(strvec *s, char *x)
{
    if (!x)
        return -1;
    if (s->n == s->cap) {
        int nc = s->cap ? s->cap * 2 : 16;
        char **p = realloc(s->v, (size_t)nc * sizeof *p);
        if (!p) {
            free(x);
            return -1;
        }
        s->v = p;
        s->cap = nc;
    }
    s->v[s->n++] = x;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(const char *dir, strvec *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;                   /* unreadable directory: nothing in it */
    strvec names = { 0 };
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.' && sv_push(&names, strdup(de->d_name))) {
            rc = -1;
            break;
        }
    closedir(d);
    if (names.n > 1)
        qsort(names.v, (size_t)names.n, sizeof *names.v, cmp_str);
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    for (int i = 0; i < names.n && !rc; i++) {
        char *p = NULL;
        if (asprintf(&p, "%.*s/%s", (int)dl, dir, names.v[i]) < 0) {
            rc = -1;
            break;
        }
        struct stat st;
        if (stat(p, &st)) {
            free(p);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = walk_dir(p, out);
            free(p);
        } else {
            size_t l = strlen(p);
            if (S_ISREG(st.st_mode) && l > 2 && !strcmp(p + l - 2, ".c"))
                rc = sv_push(out, p);
            else
                free(p);
        }
    }
    for (int i = 0; i < names.n; i++)
        free(names.v[i]);
    free(names.v);
    return rc;
}

int vc_collect_inputs(const char *const *paths, int n_paths, char ***files, char **err)
{
    *files = NULL;
    *err = NULL;
    strvec out = { 0 };
    for (int i = 0; i < n_paths; i++) {
        struct stat st;
        if (stat(paths[i], &st)) {
            if (asprintf(err, "no such file: %s", paths[i]) < 0)
                *err = NULL;
            goto fail;
        }
        if (S_ISDIR(st.st_mode) ? walk_dir(paths[i], &out) : sv_push(&out, strdup(paths[i])))
            goto fail;
    }
    /* drop duplicates, keeping the first occurrence */
    int m = 0;
    for (int i = 0; i < out.n; i++) {
        bool dup = false;
        for (int j = 0; j < m && !dup; j++)
            dup = !strcmp(out.v[j], out.v[i]);
        if (dup)
            free(out.v[i]);
        else
            out.v[m++] = out.v[i];
    }
    *files = out.v;
    return m;
fail:
    for (int i = 0; i < out.n; i++)
        free(out.v[i]);
    free(out.v);
    return -1;
}

/* ---- parallel parse --------------------------------------------------------- */
typedef struct job {
    const char *path;
    char **args;                    /* heap copies */
    int nargs;
    vc_tu *tu;
    char *err;
} job;

typedef struct pool {
    job *jobs;
    int n;
    atomic_int next;
} pool;

typedef struct worker {
    pool *p;
    vc_cx *cx;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (;;) {
        int i = atomic_fetch_add(&w->p->next, 1);
        if (i >= w->p->n)
            break;
        job *j = &w->p->jobs[i];
        if (vc_cx_lower(w->cx, j->path, (const char *const *)j->args, j->nargs, NULL, 0,
                        &j->tu, &j->err))
            j->tu = NULL;
    }
    return NULL;
}

static int build_args(const vc_options *o, vc_compdb *db, const char *file, const char *resdir,
                      job *j)
{
    char **base = NULL;
    int nb = db ? vc_compdb_args(db, file, &base) : 0;
    if (nb < 0)
        return -1;
    int n = nb + o->n_cc_args + (resdir ? 2 : 0);
    j->args = calloc((size_t)n + 1, sizeof *j->args);
    if (!j->args) {
        vc_free_strings(base, nb);
        return -1;
    }
    for (int i = 0; i < nb; i++)
        j->args[j->nargs++] = base[i];
    free(base);
    for (int i = 0; i < o->n_cc_args; i++)
        if (!(j->args[j->nargs++] = strdup(o->cc_args[i])))
            return -1;
    if (resdir) {
        if (!(j->args[j->nargs++] = strdup("-resource-dir")) ||
            !(j->args[j->nargs++] = strdup(resdir)))
            return -1;
    }
    return 0;
}

int vc_parse_all(const vc_options *o, vc_compdb *db, char *const *files, int n_files,
                 vc_tu ***tus_out, vc_report *r)
{
    int rc = -1, nw = o->jobs < n_files ? o->jobs : n_files;
    if (nw < 1)
        nw = 1;
    pool p = { calloc((size_t)n_files + 1, sizeof(job)), n_files, 0 };
    worker *ws = calloc((size_t)nw, sizeof *ws);
    pthread_t *th = calloc((size_t)nw, sizeof *th);
    vc_tu **tus = calloc((size_t)n_files + 1, sizeof *tus);
    char *resdir = NULL;
    int started = 0;
    if (!p.jobs || !ws || !th || !tus)
        goto out;
    for (int i = 0; i < nw; i++)
        if (!(ws[i].cx = vc_cx_new()))
            goto out;
    /* resource-dir self check once, with the first file's arguments */
    if (n_files > 0) {
        job probe = { 0 };
        if (build_args(o, db, files[0], NULL, &probe) == 0)
            vc_cx_check_builtins(ws[0].cx, (const char *const *)probe.args, probe.nargs,
                                 &resdir);
        vc_free_strings(probe.args, probe.nargs);
    }
    for (int i = 0; i < n_files; i++) {
        p.jobs[i].path = files[i];
        if (build_args(o, db, files[i], resdir, &p.jobs[i]))
            goto out;
    }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)64 << 20);
    for (int i = 0; i < nw; i++) {
        ws[i].p = &p;
        if (pthread_create(&th[i], &attr, work, &ws[i]))
            break;
        started++;
    }
    pthread_attr_destroy(&attr);
    if (started == 0)
        work(&ws[0]);               /* no thread at all: do it here */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    rc = 0;
    for (int i = 0; i < n_files; i++) {
        job *j = &p.jobs[i];
        tus[i] = j->tu;
        j->tu = NULL;
        if (!tus[i]) {
            if (vc_report_error(r, files[i], "%s", j->err ? j->err : "could not be analyzed"))
                rc = -1;
            continue;
        }
        for (int e = 0; e < tus[i]->n_errors; e++)
            if (vc_report_error(r, files[i], "%s", tus[i]->errors[e]))
                rc = -1;
    }
out:
    for (int i = 0; p.jobs && i < n_files; i++) {
        vc_free_strings(p.jobs[i].args, p.jobs[i].nargs);
        free(p.jobs[i].err);
        vc_tu_free(p.jobs[i].tu);
    }
    for (int i = 0; ws && i < nw; i++)
        vc_cx_free(ws[i].cx);
    free(p.jobs);
    free(ws);
    free(th);
    free(resdir);
    if (rc) {
        for (int i = 0; tus && i < n_files; i++)
            vc_tu_free(tus[i]);
        free(tus);
        tus = NULL;
    }
    *tus_out = tus;
    return rc;
}
