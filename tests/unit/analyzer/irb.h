/*
 * irb.h - a tiny builder of hand-made IR (ir.h) for the analysis unit
 * tests: functions are written instruction by instruction, no libclang.
 *
 * Every instruction gets its own line number (from 10 up), so a test can
 * assert where a diagnostic lands by the instruction that should carry it.
 * Storage is inside the builder: keep it alive while the IR is used.
 */
#ifndef VC_TEST_IRB_H
#define VC_TEST_IRB_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

#define IRB_VARS 64
#define IRB_BLOCKS 32
#define IRB_INSTS 64
#define IRB_ARGS 512

typedef struct irb {
    vc_func fn;
    int cur;
    unsigned line;
    vc_var vars[IRB_VARS];
    vc_block blocks[IRB_BLOCKS];
    vc_inst insts[IRB_BLOCKS][IRB_INSTS];
    int succ[IRB_BLOCKS][4];
    vc_operand args[IRB_ARGS];
    int n_args;
} irb;

static inline irb *irb_new(const char *name)
{
    irb *b = calloc(1, sizeof *b);
    b->fn.name = name;
    b->fn.vars = b->vars;
    b->fn.blocks = b->blocks;
    b->fn.n_blocks = 2;
    b->fn.entry = 0;
    b->fn.exit = 1;
    b->fn.loc.file = "t.c";
    b->fn.loc.line = 1;
    for (int i = 0; i < IRB_BLOCKS; i++) {
        b->blocks[i].insts = b->insts[i];
        b->blocks[i].succ = b->succ[i];
    }
    b->line = 10;
    return b;
}

static inline int irb_var(irb *b, const char *name, const char *base, int ptr,
                          int is_const)
{
    int v = b->fn.n_vars++;
    vc_var *x = &b->vars[v];
    x->name = name;
    x->base_type = base;
    x->type = base;
    x->ptr_depth = ptr;
    x->pointee_const = is_const != 0;
    x->decl.file = "t.c";
    x->decl.line = 2;
    return v;
}

/* Parameters must be declared before any other variable. */
static inline int irb_param(irb *b, const char *name, const char *base, int ptr,
                            int is_const)
{
    int v = irb_var(b, name, base, ptr, is_const);
    b->vars[v].is_param = true;
    b->fn.n_params++;
    return v;
}

static inline int irb_temp(irb *b, const char *base, int ptr)
{
    static const char *names[] = {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
                                  "t8", "t9", "t10", "t11", "t12", "t13", "t14"};
    int v = irb_var(b, names[b->fn.n_vars % 15], base, ptr, 0);
    b->vars[v].is_temp = true;
    return v;
}

static inline int irb_block(irb *b) { return b->fn.n_blocks++; }

static inline void irb_edge(irb *b, int from, int to)
{
    b->blocks[from].succ[b->blocks[from].n_succ++] = to;
}

static inline void irb_at(irb *b, int block) { b->cur = block; }

/* ---- operands ---- */
static inline vc_path irb_path(int var) { vc_path p = {.var = var}; return p; }

static inline vc_path irb_field(vc_path p, const char *name)
{
    p.step[p.n_steps].kind = VC_STEP_FIELD;
    p.step[p.n_steps++].name = name;
    return p;
}

static inline vc_path irb_elem(vc_path p)
{
    p.step[p.n_steps].kind = VC_STEP_ELEM;
    p.step[p.n_steps++].name = NULL;
    return p;
}

static inline vc_operand P(irb *b, vc_path p)
{
    vc_operand o = {.kind = VC_OP_PATH, .path = p};
    o.text = p.var >= 0 ? b->vars[p.var].name : "?";
    return o;
}

static inline vc_operand V(irb *b, int var) { return P(b, irb_path(var)); }

static inline vc_operand ADDR(irb *b, vc_path p)
{
    vc_operand o = P(b, p);
    o.kind = VC_OP_ADDR;
    return o;
}

static inline vc_operand S(const char *s)
{
    vc_operand o = {.kind = VC_OP_STRING, .str = s, .len = strlen(s), .text = s};
    return o;
}

static inline vc_operand I(long long v)
{
    vc_operand o = {.kind = VC_OP_INT, .ival = v, .text = "int"};
    return o;
}

/* ---- instructions ---- */
static inline vc_inst *irb_emit(irb *b, vc_inst_kind k)
{
    vc_block *blk = &b->blocks[b->cur];
    vc_inst *in = &blk->insts[blk->n_insts++];
    memset(in, 0, sizeof *in);
    in->kind = k;
    in->dst.var = -1;
    in->loc.file = "t.c";
    in->loc.line = b->line++;
    in->loc.col = 5;
    return in;
}

/* dst var -1: result discarded. n operands follow. */
static inline vc_inst *irb_call_p(irb *b, vc_path dst, const char *callee, int n, ...)
{
    vc_inst *in = irb_emit(b, VC_I_CALL);
    in->dst = dst;
    in->callee = callee;
    in->n_args = n;
    in->args = &b->args[b->n_args];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        b->args[b->n_args] = va_arg(ap, vc_operand);
        b->args[b->n_args].loc = in->loc;
        b->n_args++;
    }
    va_end(ap);
    return in;
}

#define irb_call(b, dstvar, callee, ...) \
    irb_call_p((b), irb_path(dstvar), (callee), __VA_ARGS__)

static inline vc_inst *irb_copy(irb *b, vc_path dst, vc_operand src)
{
    vc_inst *in = irb_emit(b, VC_I_COPY);
    in->dst = dst;
    in->src = src;
    return in;
}

static inline vc_inst *irb_store(irb *b, vc_operand ptr)
{
    vc_inst *in = irb_emit(b, VC_I_STORE);
    in->src = ptr;
    return in;
}

static inline vc_inst *irb_load(irb *b, vc_operand ptr)
{
    vc_inst *in = irb_emit(b, VC_I_LOAD);
    in->src = ptr;
    return in;
}

/* return [src]; ends the current block (edge to exit). */
static inline vc_inst *irb_ret(irb *b, vc_operand src)
{
    vc_inst *in = irb_emit(b, VC_I_RETURN);
    in->src = src;
    irb_edge(b, b->cur, b->fn.exit);
    return in;
}

/* Closes the function: the current block falls through to exit. */
static inline vc_func *irb_done(irb *b)
{
    if (b->blocks[b->cur].n_succ == 0 && b->cur != b->fn.exit)
        irb_edge(b, b->cur, b->fn.exit);
    return &b->fn;
}

/* A one-function TU (funcs[] points into the builders). */
typedef struct irb_tu {
    vc_tu tu;
    vc_func funcs[8];
} irb_tu;

static inline vc_tu *irb_tu_of(irb_tu *t, const char *path, int n, irb **fns)
{
    memset(t, 0, sizeof *t);
    t->tu.path = path;
    t->tu.n_funcs = n;
    t->tu.funcs = t->funcs;
    for (int i = 0; i < n; i++)
        t->funcs[i] = *irb_done(fns[i]);
    return &t->tu;
}

#endif /* VC_TEST_IRB_H */
