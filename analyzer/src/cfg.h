/*
 * cfg.h - control-flow-graph helpers over ir.h functions (no libclang).
 */
#ifndef VC_CFG_H
#define VC_CFG_H

#include "arena.h"
#include "ir.h"

/* Finishes a function built by the front end (blocks with successors
 * only): drops blocks unreachable from entry (exit is always kept),
 * renumbers the rest in creation order, and fills the predecessor lists.
 * Afterwards ir.h invariant 2 holds. Returns 0, -1 on ENOMEM. */
int vc_cfg_finish(vc_arena *a, vc_func *f);

/* Writes the blocks reachable from entry in reverse postorder into order
 * (room for f->n_blocks) and returns how many there are; the natural
 * iteration order for forward dataflow. -1 on ENOMEM. */
int vc_cfg_rpo(const vc_func *f, int *order);

#endif /* VC_CFG_H */
