/*
 * ir_build.h - the libclang-free half of lowering: a builder that collects
 * one function's variables, basic blocks, edges, instructions and labels in
 * growable scratch arrays, then moves them into the TU's arena at exact
 * size (ir_build.c). walk.c drives it from the AST; unit tests or other
 * front ends could drive it directly.
 *
 * Ownership: the scratch arrays are the builder's (heap, reused from one
 * function to the next, per-block instruction and successor arrays
 * included: malloc/realloc/free per block was ~5 % of the walk);
 * vc_irb_finish copies what the IR keeps into b->A; vc_irb_free releases
 * all scratch.
 * Errors: any allocation failure sets b->oom and is reported by
 * vc_irb_finish (the function is then not added); callers may keep
 * emitting after a failure (writes go to a sink).
 */
#ifndef VC_IR_BUILD_H
#define VC_IR_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "ir.h"

typedef struct vc_irb_block {
    vc_inst *insts;
    int n_insts, cap_insts;
    int *succ;
    int n_succ, cap_succ;
} vc_irb_block;

typedef struct vc_irb_label {
    const char *name;               /* arena string */
    int block;
} vc_irb_label;

typedef struct vc_irb {
    vc_arena *A;                    /* the TU's arena (not owned) */
    bool oom;
    vc_var *vars;
    int n_vars, cap_vars;
    vc_irb_block *blocks;
    int n_blocks, cap_blocks;
    int n_alloc;                    /* blocks[0..n_alloc) own insts/succ buffers */
    int cur;                        /* block receiving instructions; -1 */
    vc_irb_label *labels;
    int n_labels, cap_labels;
    int *igoto;                     /* blocks ending in an indirect goto */
    int n_igoto, cap_igoto;
} vc_irb;

/* Grows the scratch array (*arr, *cap) to hold n+1 elements; false (and
 * b->oom) on ENOMEM. */
bool     vc_irb_grow(vc_irb *b, void **arr, int *cap, int n, size_t elem);
/* Starts a new function: empties vars, blocks, labels; keeps capacity. */
void     vc_irb_begin(vc_irb *b);
/* A new empty block's index (on ENOMEM: the current block, or 0). */
int      vc_irb_new_block(vc_irb *b);
/* Adds the edge from -> to once. */
void     vc_irb_edge(vc_irb *b, int from, int to);
/* A zeroed instruction of `kind` appended to the current block, dst.var
 * -1 (on ENOMEM: a scratch sink, b->oom set). */
vc_inst *vc_irb_emit(vc_irb *b, vc_inst_kind kind);
/* Ends the current block with an edge to `to`; continues in a fresh one. */
void     vc_irb_jump(vc_irb *b, int to);
/* The block of label `name` (created on first use; -1 on ENOMEM). */
int      vc_irb_label_block(vc_irb *b, const char *name);
/* Notes that the current block ends in an indirect goto. */
void     vc_irb_indirect_goto(vc_irb *b);
/* Adds the edges of every indirect goto to every label. */
void     vc_irb_link_gotos(vc_irb *b);
/* Moves the function's vars and reachable blocks into b->A at exact size
 * (vc_cfg_finish drops dead blocks first); the per-block scratch stays for
 * the next function. 0, or -1 when the function is incomplete (ENOMEM now or
 * earlier). */
int      vc_irb_finish(vc_irb *b, vc_func *f);
/* Frees every scratch array (the arena is untouched). */
void     vc_irb_free(vc_irb *b);

/* Operand and path values (plain values, no allocation). Inline: the
 * walk makes one per operand, and a call returning a 136-byte struct
 * showed in profiles. */
static inline vc_operand vc_irb_op(vc_op_kind k, const char *text)   /* path.var -1 */
{
    vc_operand o;
    memset(&o, 0, sizeof o);
    o.kind = k;
    o.path.var = -1;
    o.text = text;
    return o;
}

static inline vc_path vc_irb_path(int var)
{
    vc_path p;
    memset(&p, 0, sizeof p);
    p.var = var;
    return p;
}

/* p plus one step; beyond VC_MAX_STEPS the path is truncated (weak). */
static inline vc_path vc_irb_step(vc_path p, vc_step_kind k, const char *name)
{
    if (p.var >= 0 && p.n_steps < VC_MAX_STEPS) {
        p.step[p.n_steps].kind = k;
        p.step[p.n_steps].name = name;
        p.n_steps++;
    }
    return p;
}

bool       vc_irb_path_eq(const vc_path *a, const vc_path *b);
/* Operand text for messages, in A: p1 a p2 b p3 (a NULL -> "?", b NULL
 * absent), capped at 120 bytes; "?" on ENOMEM. */
const char *vc_irb_text(vc_arena *A, const char *p1, const char *a, const char *p2,
                        const char *b, const char *p3);

#endif /* VC_IR_BUILD_H */
