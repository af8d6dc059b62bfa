/*
 * suppress.c - inline suppression comments (analyzer-ux 7, "Suppression
 * syntax"), applied to a report before sorting and printing.
 *
 * Key idea: the directive grammar is small enough to match by hand on the
 * comment text: KEYWORD, optional blanks, a bracketed (or, for NOLINT,
 * parenthesized) comma list, then anything (the reason). The line a
 * directive covers is where the comment starts (same-line forms) or the
 * line after the comment ends (next-line forms); diagnostics are located at
 * the expansion site, so a finding from a macro is suppressed where the
 * macro is used.
 *
 * Not done: begin/end ranges, the file-wide form, reporting unused
 * suppressions.
 */
#include "suppress.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static const struct directive {
    const char *word;
    char open, close;
    bool next_line;
    const char *prefix;             /* required prefix of each entry */
} directives[] = {
    /* longer spellings first: "viewcheck-ignore" is a prefix of the next */
    { "viewcheck-ignore-next-line", '[', ']', true, "" },
    { "viewcheck-ignore", '[', ']', false, "" },
    { "NOLINTNEXTLINE", '(', ')', true, "viewcheck-" },
    { "NOLINT", '(', ')', false, "viewcheck-" },
};

/* Does the list starting at p (after the opening bracket) name the rule? */
static bool list_names(const char *p, char close, const char *prefix, const char *id,
                       const char *name)
{
    size_t pl = strlen(prefix);
    while (*p && *p != close) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        const char *e = p;
        while (*e && *e != ',' && *e != close)
            e++;
        size_t n = (size_t)(e - p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        char pat[128];
        if (n > pl && n - pl < sizeof pat && !strncasecmp(p, prefix, pl)) {
            memcpy(pat, p + pl, n - pl);
            pat[n - pl] = 0;
            if (!fnmatch(pat, id, FNM_CASEFOLD) || (name && !fnmatch(pat, name, FNM_CASEFOLD)))
                return true;
        }
        p = e;
    }
    return false;
}

/* Does text hold `word [list]` (or `word(list)`) naming the rule? */
static bool names_rule(const char *text, const struct directive *d, const char *id,
                       const char *name)
{
    size_t wl = strlen(d->word);
    for (const char *p = strstr(text, d->word); p; p = strstr(p + 1, d->word)) {
        const char *q = p + wl;
        /* "viewcheck-ignore" must not match inside "...-next-line" */
        if (*q == '-')
            continue;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == d->open && list_names(q + 1, d->close, d->prefix, id, name))
            return true;
    }
    return false;
}

static bool comment_suppresses(const vc_comment *c, unsigned line, const char *id,
                               const char *name)
{
    for (size_t k = 0; k < sizeof directives / sizeof directives[0]; k++) {
        const struct directive *d = &directives[k];
        unsigned covers = d->next_line ? c->end_line + 1 : c->line;
        if (covers == line && names_rule(c->text, d, id, name))
            return true;
    }
    return false;
}

/* `// viewcheck-ignore-macro[RULE]: reason` on a #define line (or alone on
 * the line above it) covers every expansion of that macro in the file
 * (cppcheck's macro form, analyzer-ux 7): the finding's instruction
 * carries the macro it was expanded from (vc_inst.macro). */
static const struct directive macro_directive = { "viewcheck-ignore-macro", '[', ']', false, "" };

static const char *macro_at(const vc_tu *tu, const vc_loc *loc)
{
    for (int f = 0; f < tu->n_funcs; f++) {
        const vc_func *fn = &tu->funcs[f];
        for (int b = 0; b < fn->n_blocks; b++)
            for (int i = 0; i < fn->blocks[b].n_insts; i++) {
                const vc_inst *in = &fn->blocks[b].insts[i];
                if (in->macro && in->loc.line == loc->line && in->loc.col == loc->col)
                    return in->macro;
            }
    }
    return NULL;
}

static bool macro_suppressed(const vc_tu *tu, const vc_diag *d)
{
    if (!tu->n_macros)
        return false;
    const char *m = macro_at(tu, &d->loc);
    if (!m)
        return false;
    for (int k = 0; k < tu->n_macros; k++) {
        if (strcmp(tu->macros[k].name, m))
            continue;
        unsigned def = tu->macros[k].line;
        for (int c = 0; c < tu->n_comments; c++) {
            const vc_comment *cm = &tu->comments[c];
            if ((cm->line == def || cm->end_line + 1 == def) &&
                names_rule(cm->text, &macro_directive, d->rule, d->name))
                return true;
        }
    }
    return false;
}

bool vc_suppressed_at(const vc_comment *c, int n, unsigned line, const char *id,
                      const char *name)
{
    for (int i = 0; i < n; i++) {
        if (c[i].line > line)       /* comments are in file order */
            break;
        if (c[i].end_line + 1 < line)
            continue;
        if (comment_suppresses(&c[i], line, id, name))
            return true;
    }
    return false;
}

void vc_suppress_apply(vc_report *r, vc_tu *const *tus, int n_tus)
{
    for (int i = 0; i < r->n_diags; i++) {
        vc_diag *d = &r->diags[i];
        if (!d->loc.file || !d->rule)
            continue;
        for (int t = 0; t < n_tus; t++) {
            if (!tus[t] || strcmp(tus[t]->path, d->loc.file))
                continue;
            if (vc_suppressed_at(tus[t]->comments, tus[t]->n_comments, d->loc.line, d->rule,
                                 d->name) ||
                macro_suppressed(tus[t], d))
                d->suppressed = true;
            break;
        }
    }
}
