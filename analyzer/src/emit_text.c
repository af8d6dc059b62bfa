/*
 * emit_text.c - the default, gcc-shaped output (what `$gcc` problem
 * matchers, vim's errorformat and Emacs' compile mode read), and the
 * stderr channel: per-file errors and a one-line summary.
 *
 * Key idea: findings go to stdout (or --output), everything about the run
 * itself to stderr, so `viewcheck src > findings.txt` stays clean.
 * Suppressed diagnostics are not printed (JSON keeps them).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "emit.h"

const char *vc_display_path(const char *path, char *buf, size_t n)
{
    if (!path)
        return "";
    if (path[0] != '/')
        return path;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return path;
    size_t l = strlen(cwd);
    if (!strncmp(path, cwd, l) && path[l] == '/' && path[l + 1]) {
        snprintf(buf, n, "%s", path + l + 1);
        return buf;
    }
    return path;
}

int vc_emit_text(FILE *out, const vc_report *r)
{
    char b1[PATH_MAX];
    for (int i = 0; i < r->n_diags; i++) {
        const vc_diag *d = &r->diags[i];
        if (d->suppressed)
            continue;
        fprintf(out, "%s:%u:%u: %s: %s [%s]\n", vc_display_path(d->loc.file, b1, sizeof b1),
                d->loc.line, d->loc.col, d->severity, d->message, d->rule);
        for (int k = 0; k < d->n_notes; k++) {
            const vc_note *nt = &d->notes[k];
            fprintf(out, "%s:%u:%u: note: %s\n",
                    vc_display_path(nt->loc.file ? nt->loc.file : d->loc.file, b1, sizeof b1),
                    nt->loc.line, nt->loc.col, nt->message);
        }
    }
    return ferror(out) ? -1 : 0;
}

void vc_emit_errors(FILE *err, const vc_report *r)
{
    char b1[PATH_MAX];
    for (int i = 0; i < r->n_errors; i++) {
        const vc_file_error *e = &r->errors[i];
        size_t fl = strlen(e->file);
        /* clang errors already start with "file:line:col:" */
        if (fl && !strncmp(e->message, e->file, fl) && e->message[fl] == ':')
            fprintf(err, "%s\n", e->message);
        else
            fprintf(err, "%s: error: %s\n", vc_display_path(e->file, b1, sizeof b1),
                    e->message);
    }
}

void vc_emit_summary(FILE *err, const vc_report *r, int n_files)
{
    int shown = 0, supp = 0;
    for (int i = 0; i < r->n_diags; i++)
        r->diags[i].suppressed ? supp++ : shown++;
    /* files that could not be analyzed: distinct files among the errors */
    int failed = 0;
    for (int i = 0; i < r->n_errors; i++)
        if (i == 0 || strcmp(r->errors[i].file, r->errors[i - 1].file))
            failed++;
    /* The findings went to stdout; flush them first so that a terminal or a
     * CI log that merges both streams shows the summary last. */
    fflush(stdout);
    fprintf(err, "viewcheck: %d finding%s", shown, shown == 1 ? "" : "s");
    if (supp)
        fprintf(err, " (%d suppressed)", supp);
    fprintf(err, " in %d file%s", n_files, n_files == 1 ? "" : "s");
    if (failed)
        fprintf(err, "; %d file%s could not be fully analyzed", failed,
                failed == 1 ? "" : "s");
    fputc('\n', err);
}
