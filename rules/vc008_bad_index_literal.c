/*
 * vc008_bad_index_literal.c - VC008: an index string literal that can never
 * work: a syntax error, a second ellipsis, a zero step, a field list mixed
 * with other items (catalogue: rules/README.md).
 *
 * Key idea: the literal is parsed by libnd's own parser (region.c calls
 * nd_parse_index), so the analyzer and the runtime share one grammar and
 * the message quotes the runtime's error text. printf-style formats are
 * parsed with their integer conversions replaced by integers.
 */
#include "rule.h"

int vc_rule_bad_index_literal(const vc_rule_ctx *c)
{
    const vc_facts *f = c->f;
    for (int i = 0; i < f->n_bad; i++) {
        const vc_bad_index *b = &f->bad[i];
        const vc_inst *in = f->inst[b->inst];
        const vc_operand *a = &in->args[b->arg];
        vc_loc loc = a->loc.line ? a->loc : in->loc;
        if (!vc_rule_emit(c, loc, "index \"%s\" can never work: %s", b->text,
                          b->message))
            return -1;
    }
    return 0;
}
