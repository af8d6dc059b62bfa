/*
 * suppress.h - inline suppressions, read from the comments the front end
 * kept (vc_tu.comments); no libclang here.
 */
#ifndef VC_SUPPRESS_H
#define VC_SUPPRESS_H

#include <stdbool.h>

#include "ir.h"
#include "report.h"

/* Does one of the n comments suppress rule `id` (name `name`) at `line`?
 *   // viewcheck-ignore[VC001, write-*]: reason      same line
 *   // viewcheck-ignore-next-line[VC001]: reason     the line after it
 *   // NOLINT(viewcheck-VC001)  // NOLINTNEXTLINE(viewcheck-write-through-view)
 * Lists are required and hold ids or names with shell globs, matched
 * case-insensitively; NOLINT entries count only with the `viewcheck-`
 * prefix, so a bare NOLINT meant for clang-tidy never hides our findings. */
bool vc_suppressed_at(const vc_comment *c, int n, unsigned line, const char *id,
                      const char *name);

/* Marks every diagnostic of r suppressed by a comment of the TU whose path
 * is the diagnostic's file: the forms above, and
 *   #define FILL(a) nd_fill(a, 0)  // viewcheck-ignore-macro[VC001]: reason
 * (or the directive alone on the line above the #define), which covers every
 * finding located at an expansion of that macro in the file. */
void vc_suppress_apply(vc_report *r, vc_tu *const *tus, int n_tus);

#endif /* VC_SUPPRESS_H */
