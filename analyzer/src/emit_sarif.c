/*
 * emit_sarif.c - SARIF 2.1.0 for GitHub code scanning (analyzer-ux 4).
 *
 * Key idea: emit exactly GitHub's supported subset, with everything its
 * ingestion requires beyond the schema: per rule shortDescription,
 * fullDescription, help (text and markdown) and a name different from the
 * id; per result ruleId + ruleIndex, level, message.text, a full region
 * (endColumn exclusive, as clang's extents already are), relatedLocations
 * for the notes, and partialFingerprints.primaryLocationLineHash computed
 * with GitHub's own algorithm (so API uploads do not duplicate alerts).
 * Suppressed results are left out: GitHub does not honour SARIF
 * `suppressions` (github/codeql-action#1230). Per-file failures go to
 * invocations[0].toolExecutionNotifications with executionSuccessful false.
 *
 * The rule list (and each rule's default level) comes from rules.def, the
 * one table of rules, so ruleIndex matches vc_rule_index.
 */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "emit.h"

static const struct { const char *id, *level; } rule_level[] = {
#define VC_RULE(id, name, severity, summary, fn) { id, severity },
#include "rules.def"
#undef VC_RULE
};

static const char *level_of(const char *severity)
{
    if (severity && !strcmp(severity, "error"))
        return "error";
    if (severity && !strcmp(severity, "note"))
        return "note";
    return "warning";
}

/* ---- GitHub's line hash (codeql-action src/fingerprints.ts) -------------
 * A rolling hash (base 37, 64-bit, wrapping) over a window of the next 100
 * characters that are not spaces or tabs, starting at each line's first
 * such character; CR and CRLF count as LF; the end is padded with 65535.
 * Each line's value is "hex:N", N counting earlier lines with the same
 * hash. One pass per file computes every line (emitters ask per file). */
#define BLOCK 100

typedef struct hcount {
    uint64_t h;
    int n;                          /* 0 = empty slot */
} hcount;

typedef struct lh {
    uint64_t window[BLOCK], first_mod, hash;
    int line_no[BLOCK];
    int index, line;
    bool line_start, prev_cr;
    hcount *counts;                 /* open addressing, power of two */
    int cap, used;
    char (*out)[40];                /* per line */
    int n_out, cap_out;
    bool oom;
} lh;

static int count_of(lh *s, uint64_t h)
{
    if ((s->used + 1) * 2 > s->cap) {
        int nc = s->cap ? s->cap * 2 : 1024;
        hcount *n = calloc((size_t)nc, sizeof *n);
        if (!n) {
            s->oom = true;
            return 1;
        }
        for (int i = 0; i < s->cap; i++)
            if (s->counts[i].n) {
                unsigned j = (unsigned)(s->counts[i].h * 0x9E3779B97F4A7C15ull >> 40) & (unsigned)(nc - 1);
                while (n[j].n)
                    j = (j + 1) & (unsigned)(nc - 1);
                n[j] = s->counts[i];
            }
        free(s->counts);
        s->counts = n;
        s->cap = nc;
    }
    unsigned j = (unsigned)(h * 0x9E3779B97F4A7C15ull >> 40) & (unsigned)(s->cap - 1);
    while (s->counts[j].n && s->counts[j].h != h)
        j = (j + 1) & (unsigned)(s->cap - 1);
    if (!s->counts[j].n) {
        s->counts[j].h = h;
        s->used++;
    }
    return ++s->counts[j].n;
}

static void lh_output(lh *s)
{
    int line = s->line_no[s->index];
    int count = count_of(s, s->hash);
    if (line >= 1) {
        if (line > s->cap_out) {
            int nc = s->cap_out ? s->cap_out * 2 : 1024;
            while (nc < line)
                nc *= 2;
            void *p = realloc(s->out, (size_t)nc * sizeof *s->out);
            if (!p) {
                s->oom = true;
                s->line_no[s->index] = -1;
                return;
            }
            s->out = p;
            s->cap_out = nc;
        }
        snprintf(s->out[line - 1], sizeof s->out[0], "%llx:%d", (unsigned long long)s->hash,
                 count);
        if (line > s->n_out)
            s->n_out = line;
    }
    s->line_no[s->index] = -1;
}

static void lh_update(lh *s, uint64_t c)
{
    uint64_t begin = s->window[s->index];
    s->window[s->index] = c;
    s->hash = 37u * s->hash + c - s->first_mod * begin;
    s->index = (s->index + 1) % BLOCK;
}

static void lh_char(lh *s, unsigned c)
{
    if (c == ' ' || c == '\t' || (s->prev_cr && c == '\n')) {
        s->prev_cr = false;
        return;
    }
    if (c == '\r') {
        c = '\n';
        s->prev_cr = true;
    } else {
        s->prev_cr = false;
    }
    if (s->line_no[s->index] != -1)
        lh_output(s);
    if (s->line_start) {
        s->line_start = false;
        s->line_no[s->index] = ++s->line;
    }
    if (c == '\n')
        s->line_start = true;
    lh_update(s, c);
}

/* Every line's hash of file: heap array (free it), *n lines; NULL when the
 * file cannot be read. */
static char (*line_hashes(const char *file, int *n))[40]
{
    *n = 0;
    FILE *f = fopen(file, "rb");
    if (!f)
        return NULL;
    lh *s = calloc(1, sizeof *s);
    if (!s) {
        fclose(f);
        return NULL;
    }
    s->first_mod = 1;
    for (int i = 0; i < BLOCK; i++) {
        s->first_mod *= 37u;
        s->line_no[i] = -1;
    }
    s->line_start = true;
    int c;
    while ((c = getc(f)) != EOF)
        lh_char(s, (unsigned)c);
    fclose(f);
    for (int i = 0; i < BLOCK; i++) {
        if (s->line_no[s->index] != -1)
            lh_output(s);
        lh_update(s, 65535u);
    }
    char (*r)[40] = s->oom ? NULL : s->out;
    *n = r ? s->n_out : 0;
    if (!r)
        free(s->out);
    free(s->counts);
    free(s);
    return r;
}

char *vc_line_hash(const char *file, unsigned line)
{
    int n;
    char (*all)[40] = line_hashes(file, &n);
    char *r = all && line >= 1 && (int)line <= n ? strdup(all[line - 1]) : NULL;
    free(all);
    return r;
}

/* ---- the log --------------------------------------------------------------- */
static cJSON *text_obj(const char *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "text", t ? t : "");
    return o;
}

static cJSON *phys(const vc_loc *l, const char *fallback)
{
    char b[PATH_MAX];
    cJSON *pl = cJSON_CreateObject();
    cJSON *al = cJSON_AddObjectToObject(pl, "artifactLocation");
    cJSON_AddStringToObject(al, "uri", vc_display_path(l->file ? l->file : fallback, b, sizeof b));
    cJSON *rg = cJSON_AddObjectToObject(pl, "region");
    unsigned line = l->line ? l->line : 1, col = l->col ? l->col : 1;
    unsigned el = l->end_line >= line ? l->end_line : line;
    unsigned ec = l->end_col ? l->end_col : col + 1;
    if (el == line && ec <= col)
        ec = col + 1;           /* regions are never empty */
    cJSON_AddNumberToObject(rg, "startLine", line);
    cJSON_AddNumberToObject(rg, "startColumn", col);
    cJSON_AddNumberToObject(rg, "endLine", el);
    cJSON_AddNumberToObject(rg, "endColumn", ec);
    return pl;
}

static void add_rules(cJSON *driver)
{
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    for (int i = 0; i < vc_rule_count(); i++) {
        const char *id = vc_rule_id(i), *sum = vc_rule_summary(i);
        const char *lvl = "warning";
        for (size_t k = 0; k < sizeof rule_level / sizeof rule_level[0]; k++)
            if (!strcmp(rule_level[k].id, id))
                lvl = level_of(rule_level[k].level);
        cJSON *r = cJSON_CreateObject();
        cJSON_AddItemToArray(rules, r);
        cJSON_AddStringToObject(r, "id", id);
        cJSON_AddStringToObject(r, "name", vc_rule_name(i));
        cJSON_AddItemToObject(r, "shortDescription", text_obj(sum));
        cJSON_AddItemToObject(r, "fullDescription", text_obj(sum));
        char *help = NULL, *md = NULL;
        if (asprintf(&help, "%s (%s). See rules/README.md for bad and good examples.",
                     sum, vc_rule_name(i)) < 0)
            help = NULL;
        if (asprintf(&md, "**%s** `%s`: %s.\n\nSee `rules/README.md` for examples.", id,
                     vc_rule_name(i), sum) < 0)
            md = NULL;
        cJSON *h = text_obj(help);
        cJSON_AddStringToObject(h, "markdown", md ? md : "");
        cJSON_AddItemToObject(r, "help", h);
        free(help);
        free(md);
        cJSON *dc = cJSON_AddObjectToObject(r, "defaultConfiguration");
        cJSON_AddStringToObject(dc, "level", lvl);
        cJSON *props = cJSON_AddObjectToObject(r, "properties");
        cJSON *tags = cJSON_AddArrayToObject(props, "tags");
        cJSON_AddItemToArray(tags, cJSON_CreateString("correctness"));
        cJSON_AddItemToArray(tags, cJSON_CreateString("aliasing"));
        cJSON_AddStringToObject(props, "precision", "high");
        cJSON_AddStringToObject(props, "problem.severity",
                                !strcmp(lvl, "error") ? "error" : "warning");
    }
}

int vc_emit_sarif(FILE *out, const vc_report *r)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return -1;
    cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *runs = cJSON_AddArrayToObject(root, "runs");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(runs, run);
    cJSON *tool = cJSON_AddObjectToObject(run, "tool");
    cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
    cJSON_AddStringToObject(driver, "name", "viewcheck");
    cJSON_AddStringToObject(driver, "version", VC_VERSION);
    cJSON_AddStringToObject(driver, "semanticVersion", VC_VERSION);
    cJSON_AddStringToObject(driver, "informationUri", "https://example.invalid/viewcheck");
    add_rules(driver);
    cJSON *ad = cJSON_AddObjectToObject(run, "automationDetails");
    cJSON_AddStringToObject(ad, "id", "viewcheck/");
    cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
    cJSON *invs = cJSON_AddArrayToObject(run, "invocations");
    cJSON *inv = cJSON_CreateObject();
    cJSON_AddItemToArray(invs, inv);
    cJSON_AddBoolToObject(inv, "executionSuccessful", r->n_errors == 0);
    cJSON *notes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
    for (int i = 0; i < r->n_errors; i++) {
        cJSON *n = cJSON_CreateObject();
        cJSON_AddItemToArray(notes, n);
        cJSON_AddStringToObject(n, "level", "error");
        cJSON_AddItemToObject(n, "message", text_obj(r->errors[i].message));
        cJSON *locs = cJSON_AddArrayToObject(n, "locations");
        cJSON *lo = cJSON_CreateObject();
        cJSON_AddItemToArray(locs, lo);
        char b[PATH_MAX];
        cJSON *pl = cJSON_AddObjectToObject(lo, "physicalLocation");
        cJSON *al = cJSON_AddObjectToObject(pl, "artifactLocation");
        cJSON_AddStringToObject(al, "uri", vc_display_path(r->errors[i].file, b, sizeof b));
    }
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    const char *hfile = NULL;
    char (*hashes)[40] = NULL;
    int n_hashes = 0;
    for (int i = 0; i < r->n_diags; i++) {
        const vc_diag *d = &r->diags[i];
        if (d->suppressed)
            continue;
        cJSON *res = cJSON_CreateObject();
        cJSON_AddItemToArray(results, res);
        cJSON_AddStringToObject(res, "ruleId", d->rule ? d->rule : "");
        int idx = d->rule ? vc_rule_index(d->rule) : -1;
        if (idx >= 0)
            cJSON_AddNumberToObject(res, "ruleIndex", idx);
        cJSON_AddStringToObject(res, "level", level_of(d->severity));
        cJSON_AddItemToObject(res, "message", text_obj(d->message));
        cJSON *locs = cJSON_AddArrayToObject(res, "locations");
        cJSON *lo = cJSON_CreateObject();
        cJSON_AddItemToArray(locs, lo);
        cJSON_AddItemToObject(lo, "physicalLocation", phys(&d->loc, ""));
        if (d->n_notes) {
            cJSON *rel = cJSON_AddArrayToObject(res, "relatedLocations");
            for (int k = 0; k < d->n_notes; k++) {
                cJSON *rl = cJSON_CreateObject();
                cJSON_AddItemToArray(rel, rl);
                cJSON_AddNumberToObject(rl, "id", k + 1);
                cJSON_AddItemToObject(rl, "message", text_obj(d->notes[k].message));
                cJSON_AddItemToObject(rl, "physicalLocation", phys(&d->notes[k].loc, d->loc.file));
            }
        }
        /* diagnostics are sorted by file: hash each file once */
        if (d->loc.file && (!hfile || strcmp(hfile, d->loc.file))) {
            free(hashes);
            hfile = d->loc.file;
            hashes = line_hashes(hfile, &n_hashes);
        }
        if (hashes && d->loc.line >= 1 && (int)d->loc.line <= n_hashes) {
            cJSON *pf = cJSON_AddObjectToObject(res, "partialFingerprints");
            cJSON_AddStringToObject(pf, "primaryLocationLineHash", hashes[d->loc.line - 1]);
        }
    }
    free(hashes);
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        return -1;
    fputs(s, out);
    fputc('\n', out);
    free(s);
    return ferror(out) ? -1 : 0;
}
