/*
 * dataflow_int.h - what dataflow.c (interning, the fixed point), setup.c
 * (per-function precomputation) and transfer.c (what one instruction does
 * to a state) share. Private to those three files.
 */
#ifndef VC_DATAFLOW_INT_H
#define VC_DATAFLOW_INT_H

#include <stddef.h>

#include "dataflow.h"
#include "sets.h"
#include "summary.h"

/* What setup keeps of an index literal: its kind (the region is interned
 * in field_region). A whole vc_index_info per instruction was 1.3 KB. */
typedef struct idx_fact {
    vc_idx_kind kind;
} idx_fact;

typedef struct engine {
    vc_facts *f;
    vc_sets *sets;
    vc_idtab loc_tab, val_tab, obj_tab, region_tab, event_tab;
    vc_summary_lookup *lookup;
    void *lookup_ctx;
    const vc_summary **callee;      /* per instruction id: summary or NULL */
    const vc_model_fn **mfn;        /* per instruction id: model or NULL */
    idx_fact *idx;                  /* per instruction id (index calls) */
    int *field_region;              /* per instruction id: region id or -1 */
    int *default_set;               /* per loc */
    int **sub_locs;                 /* per loc: locs it is a proper prefix of */
    int *n_sub;
    int width;                      /* ints per state: n_locs + 2 */
    bool emit;                      /* final pass: record facts */
    int (*uses)[3];                 /* (instruction, view site, element):
                                       the view is used while a write
                                       through it is pending; element = 1
                                       for a raw element load */
    int n_uses, cap_uses;
} engine;

/* One instruction being applied to a state. */
typedef struct tx {
    engine *e;
    int *st;                        /* the state being transformed */
    int id;                         /* current instruction id */
    bool fail;
} tx;

/* state layout: [0, n_locs) location sets, then pending events, then
 * written view sites */
#define PENDING(e) ((e)->f->n_locs)
#define WRITTEN(e) ((e)->f->n_locs + 1)

/* dataflow.c: growable arrays (new elements zeroed) and interning; the
 * intern functions return an id, or -1 on ENOMEM (loc_find: -1 = no such
 * location). */
int vc__grow(void **p, int *cap, int need, size_t elem);
bool vc__path_eq(const vc_path *a, const vc_path *b);
int vc__loc_intern(engine *e, const vc_path *p);     /* -2 on ENOMEM */
int vc__loc_find(const engine *e, const vc_path *p);
int vc__obj_intern(engine *e, vc_obj_kind kind, int idx, int sub, unsigned flags);
int vc__region_intern(engine *e, const vc_region *r);
int vc__val_intern(engine *e, int obj, int site, int region, unsigned flags);
int vc__val_make(engine *e, const vc_val *key);     /* a full key */
int vc__event_intern(engine *e, int inst, int val, unsigned how, vc_loc cloc,
                     int arg);

/* setup.c: per-function precomputation (0, or -1 on ENOMEM) */
int vc__setup_insts(engine *e);
int vc__setup_locs(engine *e);

/* transfer.c */
/* The set a location holds before the function assigns it. */
int     vc__default_of(engine *e, int loc);
/* The caller location a callee summary path `at` names at call `in`. */
vc_path vc__callee_target(const vc_inst *in, const vc_path *at, bool *ok);
/* The caller location of part `sub` of a returned struct stored in dst. */
bool    vc__ret_part_path(const vc_path *dst, const vc_path *sub, vc_path *out);
/* Applies instruction t->id to t->st (records facts when t->e->emit). */
void    vc__transfer(tx *t, const vc_inst *in);

#endif /* VC_DATAFLOW_INT_H */
