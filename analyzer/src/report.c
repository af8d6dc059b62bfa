/*
 * report.c - the diagnostic list shared by the rules and the emitters
 * (contract in report.h).
 *
 * Key idea: a report is a flat growable array of vc_diag plus one of
 * per-file errors; every string in it is a heap copy owned by the report,
 * so a report outlives the TUs (and arenas) it was computed from.
 *
 * Invariants: n <= cap for both arrays; after vc_report_sort the diagnostics
 * are in (file, line, col, rule, message) order with exact duplicates
 * removed, and the errors in (file, message) order.
 * Not done here: suppression (suppress.c) and printing (emit_*.c).
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *vfmt(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        return NULL;
    return s;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Copies loc, giving it its own heap copy of the file name. */
static int own_loc(vc_loc *dst, vc_loc src)
{
    *dst = src;
    dst->file = NULL;
    if (src.file && !(dst->file = strdup(src.file)))
        return -1;
    return 0;
}

static void free_loc(vc_loc *l)
{
    free((char *)l->file);
    l->file = NULL;
}

void vc_report_init(vc_report *r)
{
    memset(r, 0, sizeof *r);
}

static void free_diag(vc_diag *d)
{
    free(d->message);
    free(d->function);
    free_loc(&d->loc);
    for (int i = 0; i < d->n_notes; i++) {
        free(d->notes[i].message);
        free_loc(&d->notes[i].loc);
    }
    free(d->notes);
    for (int i = 0; i < d->n_fixes; i++) {
        vc_fix *f = &d->fixes[i];
        free(f->description);
        for (int j = 0; j < f->n_edits; j++) {
            free(f->edits[j].new_text);
            free_loc(&f->edits[j].loc);
        }
        free(f->edits);
    }
    free(d->fixes);
}

void vc_report_free(vc_report *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n_diags; i++)
        free_diag(&r->diags[i]);
    free(r->diags);
    for (int i = 0; i < r->n_errors; i++) {
        free(r->errors[i].file);
        free(r->errors[i].message);
    }
    free(r->errors);
    vc_report_init(r);
}

/* Makes room for one more element of an array (n, cap, elem size). */
static int reserve(void **arr, int *cap, int n, size_t elem)
{
    if (n < *cap)
        return 0;
    int ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

vc_diag *vc_report_add(vc_report *r, const char *rule, const char *name,
                       const char *severity, vc_loc loc, const char *function,
                       const char *fmt, ...)
{
    if (reserve((void **)&r->diags, &r->cap_diags, r->n_diags, sizeof(vc_diag)))
        return NULL;
    vc_diag *d = &r->diags[r->n_diags];
    memset(d, 0, sizeof *d);
    d->rule = rule;
    d->name = name;
    d->severity = severity ? severity : "warning";
    va_list ap;
    va_start(ap, fmt);
    d->message = vfmt(fmt, ap);
    va_end(ap);
    if (!d->message || own_loc(&d->loc, loc) ||
        (function && !(d->function = strdup(function)))) {
        free_diag(d);
        return NULL;
    }
    r->n_diags++;
    return d;
}

int vc_diag_note(vc_diag *d, vc_loc loc, const char *fmt, ...)
{
    vc_note *notes = realloc(d->notes, (size_t)(d->n_notes + 1) * sizeof *notes);
    if (!notes)
        return -1;
    d->notes = notes;
    vc_note *n = &notes[d->n_notes];
    va_list ap;
    va_start(ap, fmt);
    n->message = vfmt(fmt, ap);
    va_end(ap);
    if (!n->message || own_loc(&n->loc, loc)) {
        free(n->message);
        return -1;
    }
    d->n_notes++;
    return 0;
}

int vc_diag_fix(vc_diag *d, const char *description, vc_loc range,
                const char *new_text)
{
    vc_fix *fixes = realloc(d->fixes, (size_t)(d->n_fixes + 1) * sizeof *fixes);
    if (!fixes)
        return -1;
    d->fixes = fixes;
    vc_fix *f = &fixes[d->n_fixes];
    memset(f, 0, sizeof *f);
    f->edits = calloc(1, sizeof *f->edits);
    f->description = dup_or_null(description ? description : "");
    if (!f->edits || !f->description || own_loc(&f->edits[0].loc, range) ||
        !(f->edits[0].new_text = strdup(new_text ? new_text : ""))) {
        if (f->edits)
            free_loc(&f->edits[0].loc);
        free(f->edits);
        free(f->description);
        return -1;
    }
    f->n_edits = 1;
    d->n_fixes++;
    return 0;
}

int vc_report_error(vc_report *r, const char *file, const char *fmt, ...)
{
    if (reserve((void **)&r->errors, &r->cap_errors, r->n_errors,
                sizeof(vc_file_error)))
        return -1;
    vc_file_error *e = &r->errors[r->n_errors];
    va_list ap;
    va_start(ap, fmt);
    e->message = vfmt(fmt, ap);
    va_end(ap);
    e->file = strdup(file ? file : "");
    if (!e->message || !e->file) {
        free(e->message);
        free(e->file);
        return -1;
    }
    r->n_errors++;
    return 0;
}

int vc_report_merge(vc_report *dst, vc_report *src)
{
    for (int i = 0; i < src->n_diags; i++) {
        if (reserve((void **)&dst->diags, &dst->cap_diags, dst->n_diags,
                    sizeof(vc_diag)))
            return -1;
        dst->diags[dst->n_diags++] = src->diags[i];
        /* Moved: src no longer owns it, so a later failure frees nothing
           twice. */
        src->diags[i] = src->diags[src->n_diags - 1];
        src->n_diags--;
        i--;
    }
    for (int i = 0; i < src->n_errors; i++) {
        if (reserve((void **)&dst->errors, &dst->cap_errors, dst->n_errors,
                    sizeof(vc_file_error)))
            return -1;
        dst->errors[dst->n_errors++] = src->errors[i];
        src->errors[i] = src->errors[src->n_errors - 1];
        src->n_errors--;
        i--;
    }
    vc_report_free(src);
    return 0;
}

static int strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_diag(const void *pa, const void *pb)
{
    const vc_diag *a = pa, *b = pb;
    int c = strcmp0(a->loc.file, b->loc.file);
    if (c)
        return c;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    if ((c = strcmp0(a->rule, b->rule)))
        return c;
    if ((c = strcmp0(a->message, b->message)))
        return c;
    /* Full tie-break so qsort's instability never shows in the output. */
    if (a->loc.end_line != b->loc.end_line)
        return a->loc.end_line < b->loc.end_line ? -1 : 1;
    if (a->loc.end_col != b->loc.end_col)
        return a->loc.end_col < b->loc.end_col ? -1 : 1;
    if ((c = strcmp0(a->function, b->function)))
        return c;
    /* of two duplicates the one with more notes/fixes sorts first and is
       the one vc_report_sort keeps */
    if (a->n_notes != b->n_notes)
        return a->n_notes > b->n_notes ? -1 : 1;
    if (a->n_fixes != b->n_fixes)
        return a->n_fixes > b->n_fixes ? -1 : 1;
    if (a->suppressed != b->suppressed)
        return a->suppressed ? 1 : -1;
    return 0;
}

static int cmp_error(const void *pa, const void *pb)
{
    const vc_file_error *a = pa, *b = pb;
    int c = strcmp0(a->file, b->file);
    return c ? c : strcmp0(a->message, b->message);
}

void vc_report_sort(vc_report *r)
{
    if (r->n_diags > 1)
        qsort(r->diags, (size_t)r->n_diags, sizeof(vc_diag), cmp_diag);
    int out = 0;
    for (int i = 0; i < r->n_diags; i++) {
        vc_diag *d = &r->diags[i];
        if (out > 0) {
            vc_diag *p = &r->diags[out - 1];
            if (!strcmp0(p->loc.file, d->loc.file) && p->loc.line == d->loc.line &&
                p->loc.col == d->loc.col && !strcmp0(p->rule, d->rule) &&
                !strcmp0(p->message, d->message)) {
                free_diag(d);
                continue;
            }
        }
        r->diags[out++] = *d;
    }
    r->n_diags = out;
    if (r->n_errors > 1)
        qsort(r->errors, (size_t)r->n_errors, sizeof(vc_file_error), cmp_error);
    int eo = 0;
    for (int i = 0; i < r->n_errors; i++) {
        if (eo > 0 && !cmp_error(&r->errors[eo - 1], &r->errors[i])) {
            free(r->errors[i].file);
            free(r->errors[i].message);
            continue;
        }
        r->errors[eo++] = r->errors[i];
    }
    r->n_errors = eo;
}
