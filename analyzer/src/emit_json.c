/*
 * emit_json.c - the machine-readable report:
 *   {"version":1,"tool":{"name":"viewcheck","version":"0.1.0"},
 *    "diagnostics":[{"rule","name","severity","message","file","line",
 *                    "column","end_line","end_column","suppressed",
 *                    "notes":[{"message","file","line","column"}],
 *                    "fixes":[{"description","edits":[{"file","line",
 *                      "column","end_line","end_column","new_text"}]}]}],
 *    "errors":[{"file","message"}]}
 * Key order is fixed (cJSON keeps insertion order), paths are relative to
 * the working directory, and suppressed findings stay in, marked, so
 * reviewers can see what was silenced (Infer's model, analyzer-ux 3.4).
 */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>

#include "emit.h"

static cJSON *loc_fields(cJSON *o, const vc_loc *l, const char *fallback, bool end)
{
    char b[PATH_MAX];
    cJSON_AddStringToObject(o, "file", vc_display_path(l->file ? l->file : fallback, b, sizeof b));
    cJSON_AddNumberToObject(o, "line", l->line);
    cJSON_AddNumberToObject(o, "column", l->col);
    if (end) {
        cJSON_AddNumberToObject(o, "end_line", l->end_line ? l->end_line : l->line);
        cJSON_AddNumberToObject(o, "end_column", l->end_col ? l->end_col : l->col);
    }
    return o;
}

int vc_emit_json(FILE *out, const vc_report *r)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return -1;
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    cJSON_AddStringToObject(tool, "name", "viewcheck");
    cJSON_AddStringToObject(tool, "version", VC_VERSION);
    cJSON *diags = cJSON_AddArrayToObject(root, "diagnostics");
    for (int i = 0; i < r->n_diags; i++) {
        const vc_diag *d = &r->diags[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(diags, o);
        cJSON_AddStringToObject(o, "rule", d->rule ? d->rule : "");
        cJSON_AddStringToObject(o, "name", d->name ? d->name : "");
        cJSON_AddStringToObject(o, "severity", d->severity ? d->severity : "warning");
        cJSON_AddStringToObject(o, "message", d->message ? d->message : "");
        loc_fields(o, &d->loc, "", true);
        cJSON_AddBoolToObject(o, "suppressed", d->suppressed);
        cJSON *notes = cJSON_AddArrayToObject(o, "notes");
        for (int k = 0; k < d->n_notes; k++) {
            cJSON *n = cJSON_CreateObject();
            cJSON_AddItemToArray(notes, n);
            cJSON_AddStringToObject(n, "message", d->notes[k].message);
            loc_fields(n, &d->notes[k].loc, d->loc.file, false);
        }
        cJSON *fixes = cJSON_AddArrayToObject(o, "fixes");
        for (int k = 0; k < d->n_fixes; k++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddItemToArray(fixes, f);
            cJSON_AddStringToObject(f, "description", d->fixes[k].description);
            cJSON *edits = cJSON_AddArrayToObject(f, "edits");
            for (int e = 0; e < d->fixes[k].n_edits; e++) {
                const vc_edit *ed = &d->fixes[k].edits[e];
                cJSON *eo = cJSON_CreateObject();
                cJSON_AddItemToArray(edits, eo);
                loc_fields(eo, &ed->loc, d->loc.file, true);
                cJSON_AddStringToObject(eo, "new_text", ed->new_text ? ed->new_text : "");
            }
        }
    }
    cJSON *errs = cJSON_AddArrayToObject(root, "errors");
    for (int i = 0; i < r->n_errors; i++) {
        char b[PATH_MAX];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToArray(errs, e);
        cJSON_AddStringToObject(e, "file", vc_display_path(r->errors[i].file, b, sizeof b));
        cJSON_AddStringToObject(e, "message", r->errors[i].message);
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
