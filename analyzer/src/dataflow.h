/*
 * dataflow.h - the abstract state of one function and the facts the rules
 * read from it (implementation: dataflow.c; summaries: summary.c).
 *
 * Vocabulary.
 *  object   an array the function can reach: a parameter, an array made at
 *           a call site (fresh owner, copy by indexing, or the unknown
 *           result of an unknown function), or the unknown initial value of
 *           an access path (a global, a struct field reached via a pointer).
 *  value    what a handle or raw pointer may hold: an object itself, or a
 *           view of an object made at a "site" (the instruction that made
 *           it) covering a region of the object, with flags.
 *  event    a write that may happen at an instruction through one value.
 * A location (access path) holds a set of values; the state also holds the
 * set of pending events (writes that may have happened on some path) and
 * the views written since they were made.
 */
#ifndef VC_DATAFLOW_H
#define VC_DATAFLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"
#include "model.h"
#include "region.h"

typedef enum { VC_OBJ_PARAM, VC_OBJ_SITE, VC_OBJ_INIT } vc_obj_kind;

/* object flags */
#define VC_OBJ_FRESH    0x1u     /* an owner made by this function */
#define VC_OBJ_COPYIDX  0x2u     /* made by copying indexing (VC002) */
#define VC_OBJ_UNKNOWN  0x4u     /* result of an unknown call / unknown value */

typedef struct vc_obj {
    vc_obj_kind kind;
    int idx;                        /* param index, instruction id or loc id */
    int sub;                        /* SITE: which of the call's results (0:
                                       the return value, k: the k-th
                                       out-parameter) */
    unsigned flags;
    int name_loc;                   /* not part of the key: the first named
                                       location holding the object, -1 */
} vc_obj;

/* value flags */
#define VC_VAL_VIEW     0x01u    /* a view (not the object itself) */
#define VC_VAL_MAYBE    0x02u    /* a view or a copy, by run-time layout */
#define VC_VAL_READONLY 0x04u    /* a read-only view */
#define VC_VAL_CONST    0x08u    /* reached through a const handle */
#define VC_VAL_RAW      0x10u    /* a raw data pointer, not a handle */
#define VC_VAL_AXES     0x20u    /* axes differ from the object's axes */

typedef struct vc_val {
    int obj;                        /* index into facts->objs */
    int site;                       /* instruction id that made the view; -1 */
    int from, root;                 /* views of views: the site of the view
                                       it was made from and of the first view
                                       of the chain (-1 / site otherwise) */
    int region;                     /* index into facts->regions */
    unsigned flags;
} vc_val;

/* how a write happens */
#define VC_HOW_DIRECT   0x1u     /* a modelled call writes the value */
#define VC_HOW_VIEW     0x2u     /* ... through a view */
#define VC_HOW_RAW      0x4u     /* a store through a raw pointer */
#define VC_HOW_CALLEE   0x8u     /* an analyzed callee writes it */

typedef struct vc_event {
    int inst;                       /* instruction id of the write */
    int val;                        /* value written through */
    unsigned how;                   /* VC_HOW_* (one) */
    vc_loc callee_loc;              /* VC_HOW_CALLEE: where the callee writes */
    int arg;                        /* the argument written through; -1 */
    /* filled by the reporting pass */
    bool observed;                  /* an alias other than the written view
                                       reads an overlapping region later */
    int obs_inst;                   /* first such observation; -1 */
    bool used_any;                  /* the object is read later at all */
} vc_event;

/* when a read of a caller's array happens, relative to the callee's own
 * writes (any write): the caller applies the first kind before the call's
 * writes, the second after */
#define VC_READ_BEFORE 0x1u
#define VC_READ_AFTER  0x2u

/* an index literal that can never work (VC008) */
typedef struct vc_bad_index {
    int inst, arg;
    char text[96];                  /* the literal (after a variable holding
                                       it), as written */
    char message[160];
} vc_bad_index;

/* A summary of an analyzed callee, as the dataflow needs it (summary.h). */
struct vc_summary;
typedef const struct vc_summary *vc_summary_lookup(void *ctx, const char *name);

typedef struct vc_facts {
    const vc_tu *tu;
    const vc_func *fn;
    const vc_model *model;
    /* instructions by id (block order) */
    int n_insts;
    const vc_inst **inst;
    int *inst_block;
    /* interned tables */
    int n_objs, cap_objs;
    vc_obj *objs;
    int n_vals, cap_vals;
    vc_val *vals;
    int n_regions, cap_regions;
    vc_region *regions;
    int n_events, cap_events;
    vc_event *events;
    int n_locs, cap_locs;
    vc_path *locs;
    /* per instruction id */
    bool *made_here;                /* a modelled view maker (window writes) */
    bool *used_after_write;         /* the view made here is read or passed
                                       on after a write through it */
    int n_bad, cap_bad;
    vc_bad_index *bad;
    /* values returned (RETURN) and held at exit by locations rooted at
       parameters: set ids, for summary.c */
    int ret_set;
    int *exit_loc_set;              /* per loc, -1 = unset */
    /* `return h;` of a struct (or a pointer to one): what each location
       below h held, keyed by its steps below h (sub.var = -1) */
    int n_ret_parts;
    struct vc_ret_part {
        vc_path sub;
        int set;
    } *ret_parts;
    /* reads of what the caller passed in, for summaries: VC_READ_* bits */
    unsigned char *loc_read;        /* per loc: its initial object was read */
    unsigned char param_read[64];   /* params 0..63: their object was read */
    int *loc_read_region;           /* ... which elements: a region id, 0 for
                                       any, -1 before the first read */
    int param_read_region[64];
    struct vc_sets *sets;           /* set pool (opaque) */
    bool oom;
} vc_facts;

/* Runs the flow analysis of fn to a fixed point and then the reporting
 * pass, filling *out (free with vc_facts_free). Callees found by `lookup`
 * are applied through their summaries. Returns 0, -1 on ENOMEM. */
int  vc_facts_compute(const vc_tu *tu, const vc_func *fn, const vc_model *m,
                      vc_summary_lookup *lookup, void *lookup_ctx,
                      vc_facts *out);
void vc_facts_free(vc_facts *f);

/* The members of set `id` of the pool (ascending). */
const int *vc_set_items(const vc_facts *f, int id, int *n);

/* Source-level names for messages: the variable a value was stored in at
 * its site, or the object's name ("M", "d->val", "the result of f()").
 * Writes into buf and returns it. */
const char *vc_obj_name(const vc_facts *f, int obj, char *buf, size_t size);
const char *vc_path_text(const vc_facts *f, const vc_path *p, char *buf,
                         size_t size);

#endif /* VC_DATAFLOW_H */
