/*
 * ir.c - a human-readable dump of the IR (see ir.h), used by the unit tests
 * to assert on lowering results and by `viewcheck --dump-ir` to show what
 * the analysis sees.
 *
 * Format (one item per line, stable: tests match substrings of it):
 *   func NAME
 *   var N NAME : TYPE [base=B depth=D const] [param|global|temp|static]
 *   bbN [-> S, ...] [<- P, ...]
 *     KIND [dst =] ... @line:col [macro NAME]
 * Paths print as var name plus `.field` / `[]` steps; operands as the path,
 * `&path`, "string", integers, NULL or `<other>`.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ir.h"

static void path(FILE *o, const vc_func *f, const vc_path *p)
{
    if (p->var < 0 || p->var >= f->n_vars) {
        fputs("_", o);
        return;
    }
    fputs(f->vars[p->var].name, o);
    for (int i = 0; i < p->n_steps; i++) {
        if (p->step[i].kind == VC_STEP_FIELD)
            fprintf(o, ".%s", p->step[i].name ? p->step[i].name : "?");
        else
            fputs("[]", o);
    }
}

static void operand(FILE *o, const vc_func *f, const vc_operand *op)
{
    switch (op->kind) {
    case VC_OP_NONE: fputs("-", o); break;
    case VC_OP_PATH: path(o, f, &op->path); break;
    case VC_OP_ADDR: fputs("&", o); path(o, f, &op->path); break;
    case VC_OP_STRING:
        fputc('"', o);
        for (size_t i = 0; i < op->len; i++) {
            unsigned char c = (unsigned char)op->str[i];
            if (c == '"' || c == '\\')
                fprintf(o, "\\%c", c);
            else if (c < 32 || c > 126)
                fprintf(o, "\\x%02x", c);
            else
                fputc(c, o);
        }
        fputc('"', o);
        break;
    case VC_OP_INT: fprintf(o, "%lld", op->ival); break;
    case VC_OP_NULL: fputs("NULL", o); break;
    case VC_OP_OTHER: fputs("<other>", o); break;
    }
}

static const char *const kind_name[] = {
    [VC_I_CALL] = "CALL", [VC_I_COPY] = "COPY", [VC_I_HAVOC] = "HAVOC",
    [VC_I_STORE] = "STORE", [VC_I_LOAD] = "LOAD", [VC_I_ESCAPE] = "ESCAPE",
    [VC_I_RETURN] = "RETURN",
};

char *vc_ir_dump(const vc_func *f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    if (!o)
        return NULL;
    fprintf(o, "func %s\n", f->name);
    for (int i = 0; i < f->n_vars; i++) {
        const vc_var *v = &f->vars[i];
        fprintf(o, "var %d %s : %s [base=%s depth=%d%s]%s%s%s%s%s\n", i, v->name, v->type,
                v->base_type, v->ptr_depth, v->pointee_const ? " const" : "",
                v->is_param ? " param" : "", v->is_global ? " global" : "",
                v->is_temp ? " temp" : "", v->is_static_local ? " static" : "",
                v->is_aggregate ? " aggregate" : "");
    }
    for (int b = 0; b < f->n_blocks; b++) {
        const vc_block *bl = &f->blocks[b];
        fprintf(o, "bb%d%s%s", b, b == f->entry ? " entry" : "", b == f->exit ? " exit" : "");
        for (int s = 0; s < bl->n_succ; s++)
            fprintf(o, "%s%d", s ? ", " : " -> ", bl->succ[s]);
        for (int s = 0; s < bl->n_pred; s++)
            fprintf(o, "%s%d", s ? ", " : " <- ", bl->pred[s]);
        fputc('\n', o);
        for (int i = 0; i < bl->n_insts; i++) {
            const vc_inst *in = &bl->insts[i];
            fprintf(o, "  %s ", kind_name[in->kind]);
            switch (in->kind) {
            case VC_I_CALL:
                if (in->dst.var >= 0) {
                    path(o, f, &in->dst);
                    fputs(" = ", o);
                }
                fprintf(o, "%s(", in->callee ? in->callee : "(*)");
                for (int a = 0; a < in->n_args; a++) {
                    if (a)
                        fputs(", ", o);
                    operand(o, f, &in->args[a]);
                }
                fputc(')', o);
                break;
            case VC_I_COPY:
                path(o, f, &in->dst);
                fputs(" = ", o);
                operand(o, f, &in->src);
                break;
            case VC_I_HAVOC:
                path(o, f, &in->dst);
                break;
            default:
                operand(o, f, &in->src);
                break;
            }
            fprintf(o, " @%u:%u", in->loc.line, in->loc.col);
            if (in->macro)
                fprintf(o, " macro %s", in->macro);
            fputc('\n', o);
        }
    }
    if (fclose(o)) {
        free(buf);
        return NULL;
    }
    return buf;
}
