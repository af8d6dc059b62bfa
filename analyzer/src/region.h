/*
 * region.h - which elements of an array an index literal selects, as far as
 * the text alone tells, and whether two such selections can share an
 * element. Index literals are parsed by libnd's own parser (nd_parse_index),
 * so the analyzer and the runtime agree on one grammar.
 *
 * A region is a plain value (no pointers): it is copied into summaries and
 * interned by the flow analysis. Always build it with vc_region_whole
 * first (unused axes and fields stay zero), and compare and hash it with
 * vc_region_eq / vc_region_hash, never memcmp: struct padding (after
 * `whole`, inside a bound) is not guaranteed to be zero after a copy.
 */
#ifndef VC_REGION_H
#define VC_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VC_REGION_MAX_AXES 8        /* more axes: the rest are "all" */
#define VC_REGION_MAX_FIELDS 4      /* more fields: "all fields" */
#define VC_REGION_FIELD_LEN 32      /* longer names: "all fields" */

/* A position on one axis of unknown length n: `off` (from_end false) or
 * n + off (from_end true), clamped to [0, n] like slice bounds. With sym
 * set, the position is (the value of the run-time integer `sym`) + off:
 * comparable only with bounds of the same sym. */
typedef struct vc_bound {
    long long off;
    bool from_end;
    int sym;                        /* 0: none; else caller-chosen id */
} vc_bound;

/* The positions selected on one axis: every position of [lo, hi) that is
 * congruent to start modulo step (step 0: the single position start; step
 * -1: stride unknown, the whole interval may be touched). */
typedef struct vc_axis_set {
    bool all;                       /* no constraint on this axis */
    vc_bound lo, hi, start;
    long long step;
} vc_axis_set;

typedef struct vc_region {
    bool whole;                     /* nothing known: overlaps everything */
    int n_lead;                     /* constrained axes counted from axis 0 */
    int n_trail;                    /* ... counted from the last axis (after
                                       an ellipsis): trail[0] = last axis */
    vc_axis_set lead[VC_REGION_MAX_AXES], trail[VC_REGION_MAX_AXES];
    int n_fields;                   /* 0 = every field */
    char fields[VC_REGION_MAX_FIELDS][VC_REGION_FIELD_LEN];
    /* The axes of the view this region was selected for, when known
     * exactly (vmap): view axis j < n_vlead is base axis vlead[j] (a lead
     * axis kept by a slice) or a new axis of length 1 (-1, a None); the
     * view's later axes are the base's axes from n_lead on, in order.
     * Integer picks remove their axis. Unknown (false) after an ellipsis,
     * an array item, or a view maker that moves axes (nd_transpose). */
    bool vmap;
    int n_vlead;
    signed char vlead[VC_REGION_MAX_AXES];
    /* Compositions that made this region. A view re-derived from itself in
     * a loop (`cur = nd_get(cur, "1:")`) would make a new region every
     * round; past VC_REGION_MAX_DEPTH the parent's region is kept instead,
     * so the fixed point is reached. */
    int depth;
} vc_region;

#define VC_REGION_MAX_DEPTH 6

/* What an index literal is, from its text. */
typedef enum {
    VC_IDX_RUNTIME,  /* not known until run time (non-literal, %s, ...) */
    VC_IDX_ERROR,    /* can never work: message holds libnd's error text */
    VC_IDX_BASIC,    /* integers, slices, None, ...: a view */
    VC_IDX_ADVANCED, /* lists or True/False: a copy */
    VC_IDX_FIELD     /* a field or field list: a view */
} vc_idx_kind;

typedef struct vc_index_info {
    vc_idx_kind kind;
    vc_region region;               /* elements selected (whole if unknown) */
    char message[160];              /* VC_IDX_ERROR: libnd's nd_errmsg() */
} vc_index_info;

/* Sets *r to "overlaps everything". */
void vc_region_whole(vc_region *r);
/* Equality of every field that means something (the used axes and
 * fields, the counts, `whole`), padding ignored. */
bool vc_region_eq(const vc_region *a, const vc_region *b);
/* A hash consistent with vc_region_eq, mixed into h (cost: the used axes,
 * not the 1 KB struct). */
uint64_t vc_region_hash(uint64_t h, const vc_region *r);
/* True when r says nothing (every element may be selected). */
bool vc_region_is_whole(const vc_region *r);
/* True only when no element can be in both a and b, whatever the shape. */
bool vc_region_disjoint(const vc_region *a, const vc_region *b);
/* A region of one field (nd_field(a, "x")). */
void vc_region_field(vc_region *r, const char *name);
/* The region of a selection `child` made from a value whose region in its
 * base is `parent`. When the value's axes are known (parent->vmap, or
 * same_axes with a parent that constrains no axis) and child's are too,
 * the two compose: `a = X[:10]; b = a[:2]` is X[:2], `X[0][:2]` is
 * X[0, :2], `X[2:][1]` is X[3]; each axis whose composition cannot be
 * proved exact (unknown strides, symbolic or from-end starts) keeps the
 * parent's selection. A parent already VC_REGION_MAX_DEPTH compositions
 * deep is not composed further. Otherwise a superset of the truth built from parent
 * (and child's fields when parent has none); out->vmap is then false. */
void vc_region_restrict(const vc_region *parent, bool same_axes,
                        const vc_region *child, vc_region *out);
/* What is known of the argument of one printf conversion. */
typedef struct vc_fmt_arg {
    bool known;                     /* a constant: `value` */
    long long value;
    int sym;                        /* else, when nonzero: an id naming a
                                       run-time integer that is the same in
                                       every index using it (a variable
                                       assigned once) */
} vc_fmt_arg;

/* Classifies an index literal of `len` bytes. With is_format the text is a
 * printf format whose integer conversions (%d, %td, %zd, %ld, ...) are
 * filled from args[0..n_args-1] (a constant, a symbol, or a plausible
 * integer when unknown or missing) before parsing: items that depend on an
 * unknown argument get no constraint, items that are a symbol get symbolic
 * bounds (":%td" and "%td:" of one variable are disjoint); any other
 * conversion makes the index VC_IDX_RUNTIME. */
void vc_index_analyze(const char *text, size_t len, bool is_format,
                      vc_index_info *out);
void vc_index_analyze_fmt(const char *fmt, size_t len, int n_args,
                          const vc_fmt_arg *args, vc_index_info *out);
/* The region with every symbolic axis made unconstrained (symbols name
 * variables of one function: regions leaving it drop them). */
void vc_region_drop_syms(vc_region *r);

#endif /* VC_REGION_H */
