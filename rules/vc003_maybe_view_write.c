/*
 * vc003_maybe_view_write.c - VC003: VC001 for results that are a view or a
 * copy depending on run-time layout (a reshape, a ravel, an index string
 * not known until run time): whether the parent changes depends on data
 * the analyzer cannot see, which is a bug either way
 * (catalogue: rules/README.md).
 *
 * Key idea: same events, same window-write exception as VC001
 * (vc__view_write_rule), restricted to values flagged "maybe".
 */
#include "rule.h"

int vc_rule_maybe_view_write(const vc_rule_ctx *c)
{
    return vc__view_write_rule(c, true);
}
