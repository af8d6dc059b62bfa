/*
 * verify.h - `viewcheck --verify`: expectations written in the analyzed
 * files themselves (clang -verify style), checked against the report.
 */
#ifndef VC_VERIFY_H
#define VC_VERIFY_H

#include <stdio.h>

#include "ir.h"
#include "report.h"

typedef struct vc_expect {
    unsigned line;                  /* the line the diagnostic must be on */
    char rule[64];                  /* id or name */
    char substr[256];               /* "" = any message */
} vc_expect;

/* Parses every `expect-viewcheck[@+N|@-N][RULE]: substring` directive of
 * one comment written at comment_line; appends to *out (heap, grows).
 * Returns the new count or -1 on ENOMEM. */
int vc_expect_parse(const char *text, unsigned comment_line, vc_expect **out, int n);

typedef struct vc_verify_stats {
    int files, expectations, missing, unexpected;
} vc_verify_stats;

/* Matches the unsuppressed diagnostics of a sorted report against the
 * expectations of tus (a diagnostic matches an expectation with the same
 * file, line, rule id or name, and a message containing the substring;
 * each is used once). Prints `path:line: missing RULE` and
 * `path:line:col: unexpected RULE: message` lines and the summary line
 * `verify: N files, M expectations, K missing, U unexpected` to out; a
 * file that could not be analyzed counts as unexpected. Returns 0 when
 * everything matched, else 1. */
int vc_verify(const vc_report *r, vc_tu *const *tus, int n_tus, FILE *out,
              vc_verify_stats *stats);

#endif /* VC_VERIFY_H */
