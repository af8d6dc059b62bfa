/*
 * report.h - a diagnostic as the rules produce it and the emitters print
 * it: the second contract between the analysis half and the output half.
 *
 * Invariants: strings are heap copies owned by the vc_report they sit in
 * (vc_report_free releases everything); a report is sorted with
 * vc_report_sort before any emitter sees it, so output is deterministic for
 * any -j and any order of translation units.
 */
#ifndef VC_REPORT_H
#define VC_REPORT_H

#include "ir.h"

typedef struct vc_note {
    char *message;
    vc_loc loc;                     /* file strings copied (owned) */
} vc_note;

typedef struct vc_edit {
    vc_loc loc;                     /* range replaced */
    char *new_text;
} vc_edit;

typedef struct vc_fix {
    char *description;
    int n_edits;
    vc_edit *edits;
} vc_fix;

typedef struct vc_diag {
    const char *rule;               /* "VC001" (static string from rules.def) */
    const char *name;               /* "write-through-view" (static) */
    const char *severity;           /* "warning" / "error" / "note" (static) */
    char *message;
    vc_loc loc;
    char *function;                 /* enclosing function, for fingerprints */
    int n_notes;
    vc_note *notes;
    int n_fixes;
    vc_fix *fixes;
    bool suppressed;                /* set by suppress.c */
} vc_diag;

typedef struct vc_file_error {
    char *file;
    char *message;
} vc_file_error;

typedef struct vc_report {
    int n_diags, cap_diags;
    vc_diag *diags;
    int n_errors, cap_errors;
    vc_file_error *errors;
} vc_report;

/* report.c */
void  vc_report_init(vc_report *r);
void  vc_report_free(vc_report *r);
/* Appends a diagnostic; copies message and loc file. Returns the stored
 * diag (owned by r) so notes/fixes can be added, or NULL on ENOMEM. */
vc_diag *vc_report_add(vc_report *r, const char *rule, const char *name,
                       const char *severity, vc_loc loc, const char *function,
                       const char *fmt, ...);
int   vc_diag_note(vc_diag *d, vc_loc loc, const char *fmt, ...);
int   vc_diag_fix(vc_diag *d, const char *description, vc_loc range,
                  const char *new_text);
int   vc_report_error(vc_report *r, const char *file, const char *fmt, ...);
/* Moves every entry of src into dst (src left empty). */
int   vc_report_merge(vc_report *dst, vc_report *src);
/* Sort by (file, line, col, rule, message), drop exact duplicates (the same
 * header finding reached from two TUs). */
void  vc_report_sort(vc_report *r);

#endif /* VC_REPORT_H */
