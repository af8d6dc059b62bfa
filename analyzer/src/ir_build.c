/*
 * ir_build.c - the function builder behind walk.c (contract in
 * ir_build.h): scratch arrays for one function's variables, blocks,
 * edges, instructions and labels, and the move of the result into the
 * TU's arena.
 *
 * Key idea: lowering appends to growable heap arrays (doubling, reused
 * across functions, each block's instruction and successor arrays too), and only a finished function is copied into the
 * arena, at exact size and without the blocks vc_cfg_finish finds dead.
 * The IR lives for the whole run (cross-TU summaries), so growth slack in
 * the arena would be paid ~0.5 KB per instruction.
 *
 * Invariants: b->cur is a valid block index whenever instructions are
 * emitted (walk.c creates entry and exit first); an edge appears at most
 * once in a successor list; after ENOMEM (b->oom) every call still
 * returns something usable and vc_irb_finish refuses the function.
 * Not done here: anything about the AST (walk.c), CFG clean-up and
 * predecessors (cfg.c).
 */
#include "ir_build.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cfg.h"

bool vc_irb_grow(vc_irb *b, void **arr, int *cap, int n, size_t elem)
{
    if (n < *cap)
        return true;
    int ncap = *cap ? *cap * 2 : 4;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p) {
        b->oom = true;
        return false;
    }
    *arr = p;
    *cap = ncap;
    return true;
}

void vc_irb_begin(vc_irb *b)
{
    b->n_vars = 0;
    b->n_blocks = 0;
    b->cur = -1;
    b->n_labels = 0;
    b->n_igoto = 0;
}

int vc_irb_new_block(vc_irb *b)
{
    if (b->n_blocks < b->n_alloc) {     /* reuse an earlier function's buffers */
        b->blocks[b->n_blocks].n_insts = 0;
        b->blocks[b->n_blocks].n_succ = 0;
        return b->n_blocks++;
    }
    if (!vc_irb_grow(b, (void **)&b->blocks, &b->cap_blocks, b->n_blocks, sizeof *b->blocks))
        return b->cur >= 0 ? b->cur : 0;
    memset(&b->blocks[b->n_blocks], 0, sizeof *b->blocks);
    b->n_alloc = b->n_blocks + 1;
    return b->n_blocks++;
}

void vc_irb_edge(vc_irb *b, int from, int to)
{
    vc_irb_block *k = &b->blocks[from];
    for (int i = 0; i < k->n_succ; i++)
        if (k->succ[i] == to)
            return;
    if (vc_irb_grow(b, (void **)&k->succ, &k->cap_succ, k->n_succ, sizeof(int)))
        k->succ[k->n_succ++] = to;
}

vc_inst *vc_irb_emit(vc_irb *b, vc_inst_kind kind)
{
    static _Thread_local vc_inst sink;  /* target of writes after ENOMEM */
    vc_irb_block *k = &b->blocks[b->cur];
    if (!vc_irb_grow(b, (void **)&k->insts, &k->cap_insts, k->n_insts, sizeof(vc_inst))) {
        memset(&sink, 0, sizeof sink);
        return &sink;
    }
    vc_inst *in = &k->insts[k->n_insts++];
    memset(in, 0, sizeof *in);
    in->kind = kind;
    in->dst.var = -1;
    return in;
}

void vc_irb_jump(vc_irb *b, int to)
{
    vc_irb_edge(b, b->cur, to);
    b->cur = vc_irb_new_block(b);
}

int vc_irb_label_block(vc_irb *b, const char *name)
{
    for (int i = 0; i < b->n_labels; i++)
        if (!strcmp(b->labels[i].name, name))
            return b->labels[i].block;
    if (!vc_irb_grow(b, (void **)&b->labels, &b->cap_labels, b->n_labels, sizeof *b->labels))
        return -1;
    int k = vc_irb_new_block(b);
    b->labels[b->n_labels++] = (vc_irb_label){ name, k };
    return k;
}

void vc_irb_indirect_goto(vc_irb *b)
{
    if (vc_irb_grow(b, (void **)&b->igoto, &b->cap_igoto, b->n_igoto, sizeof(int)))
        b->igoto[b->n_igoto++] = b->cur;
}

void vc_irb_link_gotos(vc_irb *b)
{
    for (int i = 0; i < b->n_igoto; i++)
        for (int j = 0; j < b->n_labels; j++)
            vc_irb_edge(b, b->igoto[i], b->labels[j].block);
}

int vc_irb_finish(vc_irb *b, vc_func *f)
{
    int rc = -1;
    f->n_vars = b->n_vars;
    f->vars = vc_arena_alloc(b->A, (size_t)(b->n_vars ? b->n_vars : 1) * sizeof(vc_var));
    f->n_blocks = b->n_blocks;
    f->blocks = vc_arena_alloc(b->A, (size_t)(b->n_blocks ? b->n_blocks : 1) * sizeof(vc_block));
    if (!f->vars || !f->blocks || b->oom)
        goto out;
    if (b->n_vars)
        memcpy(f->vars, b->vars, (size_t)b->n_vars * sizeof(vc_var));
    for (int i = 0; i < b->n_blocks; i++) {
        f->blocks[i].n_insts = b->blocks[i].n_insts;
        f->blocks[i].insts = b->blocks[i].insts;
        f->blocks[i].n_succ = b->blocks[i].n_succ;
        f->blocks[i].succ = b->blocks[i].succ;
    }
    if (vc_cfg_finish(b->A, f) < 0)
        goto out;
    /* the surviving blocks still point at scratch: copy them over */
    for (int i = 0; i < f->n_blocks; i++) {
        vc_block *k = &f->blocks[i];
        vc_inst *ins = k->n_insts ? vc_arena_alloc(b->A, (size_t)k->n_insts * sizeof *ins) : NULL;
        int *succ = k->n_succ ? vc_arena_alloc(b->A, (size_t)k->n_succ * sizeof *succ) : NULL;
        if ((k->n_insts && !ins) || (k->n_succ && !succ))
            goto out;
        if (ins)
            memcpy(ins, k->insts, (size_t)k->n_insts * sizeof *ins);
        if (succ)
            memcpy(succ, k->succ, (size_t)k->n_succ * sizeof *succ);
        k->insts = ins;
        k->succ = succ;
    }
    rc = 0;
out:
    if (rc)
        b->oom = true;
    return rc;
}

void vc_irb_free(vc_irb *b)
{
    for (int i = 0; i < b->n_alloc; i++) {
        free(b->blocks[i].insts);
        free(b->blocks[i].succ);
    }
    b->n_alloc = 0;
    free(b->vars);
    free(b->blocks);
    free(b->labels);
    free(b->igoto);
    b->vars = NULL;
    b->blocks = NULL;
    b->labels = NULL;
    b->igoto = NULL;
}

bool vc_irb_path_eq(const vc_path *a, const vc_path *b)
{
    if (a->var != b->var || a->n_steps != b->n_steps)
        return false;
    for (int i = 0; i < a->n_steps; i++)
        if (a->step[i].kind != b->step[i].kind ||
            (a->step[i].name != b->step[i].name &&
             (!a->step[i].name || !b->step[i].name ||
              strcmp(a->step[i].name, b->step[i].name))))
            return false;
    return true;
}

/* Plain copies, not printf: this runs for most operands and printf was a
 * visible share of the walk. */
const char *vc_irb_text(vc_arena *A, const char *p1, const char *a, const char *p2,
                        const char *b, const char *p3)
{
    const char *part[5] = { p1, a ? a : "?", p2, b, p3 };     /* b NULL: absent */
    size_t len[5], total = 0;
    for (int i = 0; i < 5; i++) {
        len[i] = part[i] ? strlen(part[i]) : 0;
        total += len[i];
    }
    if (total > 120)
        total = 120;
    char *r = vc_arena_alloc(A, total + 1);
    if (!r)
        return "?";
    size_t o = 0;
    for (int i = 0; i < 5 && o < total; i++) {
        size_t n = len[i] < total - o ? len[i] : total - o;
        memcpy(r + o, part[i], n);
        o += n;
    }
    return r;
}
