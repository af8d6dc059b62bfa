/*
 * emit.h - the three output formats of a sorted, suppression-marked report,
 * plus the path spelling they share.
 *
 * All emitters are deterministic functions of the report (no timestamps,
 * no absolute paths unless the user gave them outside the working
 * directory) and never print suppressed diagnostics except JSON, which
 * keeps them with "suppressed": true.
 */
#ifndef VC_EMIT_H
#define VC_EMIT_H

#include <stdio.h>

#include "report.h"

#define VC_VERSION "0.1.0"

/* gcc-shaped text: `path:line:col: warning: message [VC001]` then
 * `path:line:col: note: ...`. Returns 0, -1 on a write error. */
int vc_emit_text(FILE *out, const vc_report *r);
/* Per-file errors (`file:line:col: error: ...`) and the one-line summary,
 * both for stderr. */
void vc_emit_errors(FILE *err, const vc_report *r);
void vc_emit_summary(FILE *err, const vc_report *r, int n_files);

/* {"version":1,"tool":{...},"diagnostics":[...],"errors":[...]}. */
int vc_emit_json(FILE *out, const vc_report *r);

/* SARIF 2.1.0, GitHub code-scanning clean (analyzer-ux section 4). */
int vc_emit_sarif(FILE *out, const vc_report *r);

/* path as printed: relative to the working directory when it lies below
 * it, else unchanged. Returns buf or path. */
const char *vc_display_path(const char *path, char *buf, size_t n);

/* GitHub's primaryLocationLineHash of `line` in `file` ("hex:count"), as
 * codeql-action's fingerprints.ts computes it; NULL if the file cannot be
 * read. Heap string. */
char *vc_line_hash(const char *file, unsigned line);

#endif /* VC_EMIT_H */
