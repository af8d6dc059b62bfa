/*
 * verify.c - the fixture oracle: `// expect-viewcheck[VC001]` on the line
 * of the diagnostic, `// expect-viewcheck[VC001]: substring` to also match
 * the message, `// expect-viewcheck@+1[VC001]` / `@-1` for a nearby line.
 * Several directives may share a comment or a line; a file without any
 * expectation must produce no diagnostics.
 *
 * Key idea: per file, each expectation takes the first unused, unsuppressed
 * diagnostic on its line with its rule whose message contains its
 * substring. Expectations with longer substrings are served first, so a
 * bare expectation never takes a diagnostic that a specific one on the
 * same line needed.
 *
 * Output order is deterministic: files in TU order, then line.
 */
#include "verify.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

#define WORD "expect-viewcheck"

int vc_expect_parse(const char *text, unsigned comment_line, vc_expect **out, int n)
{
    size_t wl = strlen(WORD);
    for (const char *p = strstr(text, WORD); p; p = strstr(p, WORD)) {
        const char *q = p + wl;
        p = q;
        long off = 0;
        if (*q == '@') {
            char *end;
            off = strtol(q + 1, &end, 10);
            q = end;
        }
        while (*q == ' ')
            q++;
        if (*q != '[')
            continue;
        const char *close = strchr(q, ']');
        if (!close)
            continue;
        /* substring: after "]:" up to the next directive or comment end */
        char sub[256] = "";
        const char *s = close + 1;
        if (*s == ':') {
            s++;
            while (*s == ' ')
                s++;
            const char *e = strstr(s, WORD);
            size_t len = e ? (size_t)(e - s) : strlen(s);
            while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
                           s[len - 1] == '\r'))
                len--;
            if (len >= 2 && s[len - 2] == '*' && s[len - 1] == '/')
                len -= 2;
            while (len && s[len - 1] == ' ')
                len--;
            if (len >= sizeof sub)
                len = sizeof sub - 1;
            memcpy(sub, s, len);
            sub[len] = 0;
        }
        /* one expectation per listed rule */
        for (const char *r = q + 1; r < close;) {
            while (r < close && (*r == ' ' || *r == ','))
                r++;
            const char *e = r;
            while (e < close && *e != ',' && *e != ' ')
                e++;
            if (e > r) {
                vc_expect *nv = realloc(*out, (size_t)(n + 1) * sizeof *nv);
                if (!nv)
                    return -1;
                *out = nv;
                vc_expect *x = &nv[n++];
                memset(x, 0, sizeof *x);
                x->line = (unsigned)((long)comment_line + off);
                size_t rl = (size_t)(e - r) < sizeof x->rule ? (size_t)(e - r) : sizeof x->rule - 1;
                memcpy(x->rule, r, rl);
                snprintf(x->substr, sizeof x->substr, "%s", sub);
            }
            r = e;
        }
    }
    return n;
}

static int by_specificity(const void *a, const void *b)
{
    const vc_expect *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    size_t lx = strlen(x->substr), ly = strlen(y->substr);
    if (lx != ly)
        return lx > ly ? -1 : 1;
    return strcmp(x->rule, y->rule);
}

static bool rule_is(const vc_diag *d, const char *rule)
{
    return (d->rule && !strcasecmp(d->rule, rule)) || (d->name && !strcasecmp(d->name, rule));
}

int vc_verify(const vc_report *r, vc_tu *const *tus, int n_tus, FILE *out,
              vc_verify_stats *st)
{
    memset(st, 0, sizeof *st);
    bool *used_diag = calloc((size_t)r->n_diags + 1, sizeof *used_diag);
    if (!used_diag)
        return 1;
    char b[PATH_MAX];
    for (int t = 0; t < n_tus; t++) {
        const vc_tu *tu = tus[t];
        if (!tu)
            continue;
        st->files++;
        vc_expect *ex = NULL;
        int n = 0;
        for (int c = 0; c < tu->n_comments; c++)
            if (strstr(tu->comments[c].text, WORD) &&
                (n = vc_expect_parse(tu->comments[c].text, tu->comments[c].line, &ex, n)) < 0)
                n = 0;
        if (n > 1)
            qsort(ex, (size_t)n, sizeof *ex, by_specificity);
        st->expectations += n;
        bool *used = calloc((size_t)n + 1, sizeof *used);
        for (int e = 0; used && e < n; e++) {
            for (int i = 0; i < r->n_diags; i++) {
                const vc_diag *d = &r->diags[i];
                if (used_diag[i] || d->suppressed || !d->loc.file ||
                    strcmp(d->loc.file, tu->path) || d->loc.line != ex[e].line ||
                    !rule_is(d, ex[e].rule) ||
                    (ex[e].substr[0] && (!d->message || !strstr(d->message, ex[e].substr))))
                    continue;
                used_diag[i] = true;
                used[e] = true;
                break;
            }
        }
        /* report in line order: missing and unexpected interleaved */
        int ei = 0;
        for (int i = 0; i <= r->n_diags; i++) {
            const vc_diag *d = i < r->n_diags ? &r->diags[i] : NULL;
            bool mine = d && d->loc.file && !strcmp(d->loc.file, tu->path);
            if (d && !mine)
                continue;
            unsigned upto = d ? d->loc.line : UINT_MAX;
            for (; ei < n && ex[ei].line <= upto; ei++) {
                if (used && used[ei])
                    continue;
                st->missing++;
                fprintf(out, "%s:%u: missing %s%s%s\n", vc_display_path(tu->path, b, sizeof b),
                        ex[ei].line, ex[ei].rule, ex[ei].substr[0] ? ": " : "", ex[ei].substr);
            }
            if (d && !d->suppressed && !used_diag[i]) {
                st->unexpected++;
                fprintf(out, "%s:%u:%u: unexpected %s: %s\n",
                        vc_display_path(d->loc.file, b, sizeof b), d->loc.line, d->loc.col,
                        d->rule, d->message);
            }
        }
        free(used);
        free(ex);
    }
    /* diagnostics outside every analyzed file, and files that failed */
    for (int i = 0; i < r->n_diags; i++) {
        const vc_diag *d = &r->diags[i];
        bool known = false;
        for (int t = 0; t < n_tus && !known; t++)
            known = tus[t] && d->loc.file && !strcmp(d->loc.file, tus[t]->path);
        if (!known && !d->suppressed) {
            st->unexpected++;
            fprintf(out, "%s:%u:%u: unexpected %s: %s\n",
                    vc_display_path(d->loc.file, b, sizeof b), d->loc.line, d->loc.col, d->rule,
                    d->message);
        }
    }
    for (int i = 0; i < r->n_errors; i++) {
        st->unexpected++;
        fprintf(out, "%s: unexpected error: %s\n",
                vc_display_path(r->errors[i].file, b, sizeof b), r->errors[i].message);
    }
    free(used_diag);
    fprintf(out, "verify: %d files, %d expectations, %d missing, %d unexpected\n", st->files,
            st->expectations, st->missing, st->unexpected);
    return st->missing || st->unexpected ? 1 : 0;
}
