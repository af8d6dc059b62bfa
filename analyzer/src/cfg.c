/*
 * cfg.c - clean-up and traversal of a function's control-flow graph.
 *
 * Key idea: the walker (walk.c) creates a fresh block after every jump, so
 * a function arrives with dead blocks (code after `return`, the gap before
 * a switch's first label); one depth-first pass from entry marks the live
 * ones, a renumbering compacts them and the predecessor lists are derived
 * from the successor lists. All iterative (no recursion), linear in the
 * number of edges.
 *
 * Invariants after vc_cfg_finish: entry keeps index 0 and has no
 * predecessors (nothing jumps to it by construction); exit is kept even if
 * unreachable (a function that never returns) and has no successors; the
 * order of surviving blocks and of every successor list is unchanged, so
 * output is deterministic.
 */
#include "cfg.h"

#include <stdlib.h>
#include <string.h>

int vc_cfg_finish(vc_arena *a, vc_func *f)
{
    int n = f->n_blocks, rc = -1;
    int *map = malloc((size_t)(n ? n : 1) * sizeof *map);
    int *stack = malloc((size_t)(n ? n : 1) * sizeof *stack);
    int *npred = NULL;
    if (!map || !stack)
        goto out;
    for (int i = 0; i < n; i++)
        map[i] = -1;
    /* mark: map[i] = 0 for reachable blocks */
    int sp = 0;
    stack[sp++] = f->entry;
    map[f->entry] = 0;
    while (sp) {
        vc_block *b = &f->blocks[stack[--sp]];
        for (int s = 0; s < b->n_succ; s++)
            if (map[b->succ[s]] < 0) {
                map[b->succ[s]] = 0;
                stack[sp++] = b->succ[s];
            }
    }
    map[f->exit] = 0;
    /* compact */
    int m = 0;
    for (int i = 0; i < n; i++)
        if (map[i] == 0) {
            map[i] = m;
            if (m != i)
                f->blocks[m] = f->blocks[i];
            m++;
        }
    f->n_blocks = m;
    f->entry = map[f->entry];
    f->exit = map[f->exit];
    vc_block *x = &f->blocks[f->exit];
    x->n_succ = 0;
    for (int i = 0; i < m; i++) {
        vc_block *b = &f->blocks[i];
        int k = 0;
        for (int s = 0; s < b->n_succ; s++)
            if (map[b->succ[s]] >= 0)      /* a live block's successors are live */
                b->succ[k++] = map[b->succ[s]];
        b->n_succ = k;
        b->n_pred = 0;
        b->pred = NULL;
    }
    npred = calloc((size_t)(m ? m : 1), sizeof *npred);
    if (!npred)
        goto out;
    for (int i = 0; i < m; i++)
        for (int s = 0; s < f->blocks[i].n_succ; s++)
            npred[f->blocks[i].succ[s]]++;
    for (int i = 0; i < m; i++)
        if (npred[i] && !(f->blocks[i].pred = vc_arena_alloc(a, (size_t)npred[i] * sizeof(int))))
            goto out;
    for (int i = 0; i < m; i++)
        for (int s = 0; s < f->blocks[i].n_succ; s++) {
            vc_block *t = &f->blocks[f->blocks[i].succ[s]];
            t->pred[t->n_pred++] = i;
        }
    rc = 0;
out:
    free(map);
    free(stack);
    free(npred);
    return rc;
}

int vc_cfg_rpo(const vc_func *f, int *order)
{
    int n = f->n_blocks, rc = -1;
    /* iterative DFS: state 0 unseen, 1 on stack, 2 done */
    char *state = calloc((size_t)(n ? n : 1), 1);
    int *stk = malloc((size_t)(n ? n : 1) * sizeof *stk);
    int *next = calloc((size_t)(n ? n : 1), sizeof *next);
    if (!state || !stk || !next)
        goto out;
    int sp = 0, k = n;
    stk[sp++] = f->entry;
    state[f->entry] = 1;
    while (sp) {
        int b = stk[sp - 1];
        const vc_block *blk = &f->blocks[b];
        if (next[b] < blk->n_succ) {
            int s = blk->succ[next[b]++];
            if (!state[s]) {
                state[s] = 1;
                stk[sp++] = s;
            }
        } else {
            state[b] = 2;
            order[--k] = b;
            sp--;
        }
    }
    int cnt = n - k;
    memmove(order, order + k, (size_t)cnt * sizeof *order);
    rc = cnt;
out:
    free(state);
    free(stk);
    free(next);
    return rc;
}
