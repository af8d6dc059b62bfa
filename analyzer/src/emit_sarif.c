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

/* ---- GitHub's line hash (codeql-action src/fingerprints.ts) ------------- */
#define BLOCK 100

typedef struct lh {
    uint64_t window[BLOCK], first_mod, hash;
    int line_no[BLOCK];
    int index, line, want;
    bool line_start, prev_cr;
    uint64_t *seen;                 /* hashes output so far (for :N) */
    int n_seen, cap_seen;
    char *result;
} lh;

static void lh_output(lh *s)
{
    uint64_t h = s->hash;
    int count = 1;
    for (int i = 0; i < s->n_seen; i++)
        if (s->seen[i] == h)
            count++;
    if (s->n_seen == s->cap_seen) {
        int nc = s->cap_seen ? s->cap_seen * 2 : 256;
        uint64_t *p = realloc(s->seen, (size_t)nc * sizeof *p);
        if (p) {
            s->seen = p;
            s->cap_seen = nc;
        }
    }
    if (s->n_seen < s->cap_seen)
        s->seen[s->n_seen++] = h;
    if (s->line_no[s->index] == s->want && !s->result &&
        asprintf(&s->result, "%llx:%d", (unsigned long long)h, count) < 0)
        s->result = NULL;
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

char *vc_line_hash(const char *file, unsigned line)
{
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
    s->want = (int)line;
    int c;
    while ((c = getc(f)) != EOF && !s->result)
        lh_char(s, (unsigned)c);
    fclose(f);
    for (int i = 0; i < BLOCK && !s->result; i++) {
        if (s->line_no[s->index] != -1)
            lh_output(s);
        lh_update(s, 65535u);
    }
    char *r = s->result;
    free(s->seen);
    free(s);
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
        char *h = d->loc.file ? vc_line_hash(d->loc.file, d->loc.line) : NULL;
        if (h) {
            cJSON *pf = cJSON_AddObjectToObject(res, "partialFingerprints");
            cJSON_AddStringToObject(pf, "primaryLocationLineHash", h);
            free(h);
        }
    }
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        return -1;
    fputs(s, out);
    fputc('\n', out);
    free(s);
    return ferror(out) ? -1 : 0;
}
