/*
 * nd_int.h - libnd's private header: struct layouts, their invariants, and
 * the nd__ functions shared between runtime source files.
 *
 * Nothing here is public. Users and the analyzer see nd.h only.
 *
 * Invariants of struct nd_array (checked by nd__array_ok in debug builds):
 *  1. refs >= 1 while the array is reachable; nd_free drops one reference
 *     and releases the array (and its reference on base) at zero.
 *  2. base is NULL exactly when the array owns `mem`; otherwise base is the
 *     owner (base->base == NULL): views of views collapse to the owner, so
 *     nd_base() never returns an intermediate view.
 *  3. Every byte addressed by data + sum(i_k * strides[k]) + [0, itemsize)
 *     with 0 <= i_k < shape[k] lies inside the owner's [mem, mem + nbytes).
 *  4. 0 <= ndim <= ND_MAXDIMS; shape[k] >= 0; the element count and the
 *     byte extent fit in ptrdiff_t (checked on every construction).
 *  5. writeable is copied from the parent when a view is made; copies are
 *     always writeable; read-only views (broadcast_to, diagonal) clear it.
 */
#ifndef ND_INT_H
#define ND_INT_H

#include "nd.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define ND_MAXDIMS 32

#ifdef ND_DEBUG
#include <assert.h>
#define ND_ASSERT(x) assert(x)
#else
#define ND_ASSERT(x) ((void)0)
#endif

/* ---- dtypes (dtype.c, table in dtypes.def) ------------------------------ */
typedef enum { ND_DK_BOOL, ND_DK_INT, ND_DK_UINT, ND_DK_FLOAT, ND_DK_RECORD } nd__dkind;

typedef struct nd__field {
    const char *name;
    const nd_dtype *type;
    size_t offset;
} nd__field;

struct nd_dtype {
    nd__dkind kind;
    int num;                 /* ND_T_* (dtypes.def), or ND_T_RECORD */
    size_t itemsize;
    const char *name;        /* "int64", ...; "record" */
    int n_fields;            /* records only */
    const nd__field *fields; /* records only; in declared order */
};

enum {
#define ND_DTYPE(id, name, ctype, kind) ND_T_##id,
#include "dtypes.def"
#undef ND_DTYPE
    ND_T_RECORD,
    ND_T_COUNT
};

/* A record type with explicit offsets and itemsize (multi-field views keep
 * the original offsets and itemsize). Interned; NULL on error. */
const nd_dtype *nd__record_ex(int n, const char *const *names,
                              const nd_dtype *const *types,
                              const size_t *offsets, size_t itemsize);
/* Looks up a field; NULL when absent. */
const nd__field *nd__find_field(const nd_dtype *dt, const char *name);
/* The built-in dtype of a name ("int64"...), NULL if unknown. */
const nd_dtype *nd__dtype_by_name(const char *name);

/* Element access with C-cast semantics (int64 -> int8 wraps, double ->
 * integer truncates toward zero, anything -> bool is != 0). Records: load
 * gives the first field; store writes the value to every field. */
double  nd__load_f64(const nd_dtype *dt, const char *p);
int64_t nd__load_i64(const nd_dtype *dt, const char *p);
void    nd__store_f64(const nd_dtype *dt, char *p, double v);
void    nd__store_i64(const nd_dtype *dt, char *p, int64_t v);
/* One element of src's type into dst's type (records by field position). */
void    nd__cast_one(const nd_dtype *dt_dst, char *dst,
                     const nd_dtype *dt_src, const char *src);

/* ---- arrays (array.c) --------------------------------------------------- */
struct nd_array {
    int refs;
    nd_array *base;          /* owner, or NULL when this array owns mem */
    char *mem;               /* owner only: the allocation */
    size_t nbytes;           /* owner only */
    char *data;              /* first element */
    const nd_dtype *dt;
    int ndim;
    bool writeable;
    ptrdiff_t shape[ND_MAXDIMS];
    ptrdiff_t strides[ND_MAXDIMS];
};

/* A new C-contiguous owner; zeroed when `zero`. NULL + error on bad shape,
 * overflow or ENOMEM. */
nd_array *nd__alloc(const nd_dtype *dt, int ndim, const ptrdiff_t *shape, bool zero);
/* A view on parent's memory: base is parent's owner (reference taken),
 * writeable copied from parent. The caller guarantees invariant 3. */
nd_array *nd__view(const nd_array *parent, const nd_dtype *dt, int ndim,
                   const ptrdiff_t *shape, const ptrdiff_t *strides, char *data);
/* The array that owns parent's memory (parent itself when it owns). */
nd_array *nd__owner(const nd_array *a);
/* Checked element count; -1 and ND_EVALUE on overflow or negative dims. */
int  nd__shape_size(int ndim, const ptrdiff_t *shape, ptrdiff_t *out);
bool nd__is_c_contig(const nd_array *a);   /* NumPy's flag rules */
bool nd__is_f_contig(const nd_array *a);
/* [lo, hi) byte extent of a; lo == hi when a has no elements. */
void nd__extent(const nd_array *a, const char **lo, const char **hi);
/* Expensive consistency check, used only inside ND_ASSERT. */
bool nd__array_ok(const nd_array *a);
/* Takes one more reference (nd_free releases it). */
nd_array *nd__ref(const nd_array *a);

/* ---- errors (error.c) --------------------------------------------------- */
/* Records the thread-local error and returns -1, so `return nd__fail(...)`
 * works in int functions; NULL-returning functions call it, then return
 * NULL. The one place every failure passes: break here to catch them. */
int nd__fail(nd_errcode code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Formats "(2,3)"-style shape text into buf (NumPy's tuple repr). */
const char *nd__shape_str(char *buf, size_t n, int ndim, const ptrdiff_t *shape);

/* ---- iteration and copying (iter.c, kernels.c) -------------------------- */
/* Broadcast shapes a and b (NumPy rules) into out; -1 + ND_EVALUE
 * "operands could not be broadcast together with shapes (2,) (3,) ". */
int nd__broadcast_shape(int na, const ptrdiff_t *sa, int nb, const ptrdiff_t *sb,
                        int *nout, ptrdiff_t *out);
/* Strides of `a` seen with shape (ndim, shape) under broadcasting (stride 0
 * on broadcast axes); -1 if it does not broadcast. */
int nd__broadcast_strides(const nd_array *a, int ndim, const ptrdiff_t *shape,
                          ptrdiff_t *strides_out);
/* dst[...] = src with src already broadcast to dst's shape through
 * src_strides, casting element types. Assumes no harmful overlap: callers
 * copy src first when nd_may_share_memory says so. Never fails. */
void nd__copy_strided(nd_array *dst, const nd_dtype *sdt, const char *sdata,
                      const ptrdiff_t *src_strides);
/* A C-contiguous owned copy of a (dtype kept). NULL on ENOMEM. */
nd_array *nd__copy_c(const nd_array *a);

/* ---- overlap (overlap.c) ------------------------------------------------ */
/* Exact overlap; returns 1, 0, or -1 with an error when the solver would
 * overflow. max_work < 0 means unlimited. When the budget runs out (NumPy's
 * TooHardError) the answer is 1, "may overlap"; max_work == 0 is the extent
 * check of nd_may_share_memory. */
int nd__solve_overlap(const nd_array *a, const nd_array *b, long max_work);


/* ---- runtime-base helpers (error.c, iter.c, write.c, arith.c, view.c) ---- */
/* A NULL array argument: ND_ETYPE "NULL array argument" (Python would raise
 * TypeError for None where an array is expected). Returns -1. */
int nd__null_arg(void);
/* Normalises a NumPy axis argument (negative counts from the end) into
 * [0, ndim); -1 + ND_EINDEX "axis 3 is out of bounds for array of
 * dimension 2" (NumPy's AxisError, a ValueError and IndexError subclass). */
int nd__norm_axis(int axis, int ndim);

/* Read-only destinations. DECISION (write.c, shared with setitem.c): a write
 * to an array whose WRITEABLE flag is clear fails with ND_EREADONLY and
 * NumPy's message "assignment destination is read-only". NumPy raises
 * ValueError here; the contract gives this condition its own code, which
 * lets callers tell it apart from shape errors, and the text is NumPy's.
 * Returns 0 when a is writeable, else -1 with that error. */
int nd__check_writeable(const nd_array *a);

/* NumPy's result type of a binary ufunc on two built-in dtypes (the
 * promotion table: bool < ints < floats, int/uint mixes widen, float32
 * survives only with <= 16-bit integers). NULL + ND_ETYPE for records. */
const nd_dtype *nd__promote(const nd_dtype *a, const nd_dtype *b);
/* NumPy's casting='same_kind' test between built-in dtypes. */
bool nd__can_cast_same_kind(const nd_dtype *from, const nd_dtype *to);
/* Whether src's elements may be assigned to dst's (records: same field
 * count; record -> number only from a one-field record). -1 + ND_ETYPE /
 * ND_EVALUE otherwise. */
int nd__check_assign_types(const nd_dtype *dst, const nd_dtype *src);

/* Multi-operand strided iteration (iter.c). Axes of length 1 are dropped
 * and adjacent axes whose strides chain for every operand are merged, so
 * the innermost run is as long as the layout allows. Usage:
 *     nd__iter it;
 *     if (nd__iter_init(&it, 2, ndim, shape, ptrs, strides))
 *         do { inner loop over it.n_inner with it.ptr[k], it.inner[k] }
 *         while (nd__iter_next(&it));
 * nd__iter_init returns false when there is nothing to visit (size 0). */
#define ND_ITER_MAXOPS 3
typedef struct nd__iter {
    int nops;
    int ndim;                                  /* outer axes */
    ptrdiff_t n_inner;                         /* innermost run length */
    ptrdiff_t inner[ND_ITER_MAXOPS];           /* innermost strides */
    char *ptr[ND_ITER_MAXOPS];                 /* current run starts */
    ptrdiff_t shape[ND_MAXDIMS];
    ptrdiff_t strides[ND_ITER_MAXOPS][ND_MAXDIMS];
    ptrdiff_t idx[ND_MAXDIMS];
} nd__iter;
bool nd__iter_init(nd__iter *it, int nops, int ndim, const ptrdiff_t *shape,
                   char *const *ptrs, const ptrdiff_t *const *strides);
bool nd__iter_next(nd__iter *it);

/* ---- indexing (index_parse.c, index_eval.c, setitem.c) ------------------- */
/* NumPy's IndexError text for an entry that is not an index. */
#define ND__MSG_ONLY_INTEGERS                                                  \
    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "   \
    "and integer or boolean arrays are valid indices"
/* nd_parse_index without the zero-step check: a zero step is only recorded
 * in *zero_step (the slice keeps step 0), because NumPy reports it while
 * building the view, after array-dependent errors of earlier entries. */
int nd__parse_index(const char *index, nd_subscript *out, bool *zero_step);

/* Elementwise binary arithmetic (kernels.c): out = a op b over out's shape,
 * a and b given by dtype, first element and strides already broadcast to
 * out's shape. `domain` is where the arithmetic happens: float kinds in
 * double (float32 results round once, as NumPy's float32 loops), integer
 * kinds in wrapping 64-bit arithmetic, bool as logical or (add) / and
 * (mul). ND_OP_DIV requires a float domain. out may be a (in-place ops,
 * identical strides); b must not otherwise overlap out. Never fails. */
typedef enum { ND_OP_ADD, ND_OP_SUB, ND_OP_MUL, ND_OP_DIV } nd__binop;
void nd__binop_strided(nd_array *out, nd__binop op, const nd_dtype *domain,
                       const nd_dtype *adt, const char *adata, const ptrdiff_t *astr,
                       const nd_dtype *bdt, const char *bdata, const ptrdiff_t *bstr);

/* A subscript after NumPy's classification and axis counting (index_eval.c):
 * entries in order, the explicit or implicit ellipsis expanded to its width,
 * each entry knowing the first input axis it consumes. */
typedef enum {
    ND__E_INT,       /* i: bounds-checked while the view is built */
    ND__E_SLICE,
    ND__E_NEWAXIS,
    ND__E_ELLIPSIS,  /* width input axes, copied unchanged */
    ND__E_BOOL0,     /* True / False: an index of shape (1,) / (0,) */
    ND__E_ARRAY,     /* an integer index array on one axis */
    ND__E_MASK       /* a boolean array on arr->ndim axes (its nonzero()) */
} nd__etype;

typedef struct nd__entry {
    nd__etype t;
    ptrdiff_t i;                      /* INT value; BOOL0 0 or 1 */
    ptrdiff_t start, stop, step;      /* SLICE, ND_END = omitted */
    const nd_array *arr;              /* ARRAY, MASK (borrowed) */
    int axis, width;                  /* input axes [axis, axis + width) */
    bool implicit;                    /* the appended trailing ellipsis */
} nd__entry;

typedef struct nd__prep {
    int n;
    nd__entry e[ND_MAX_ITEMS + 1];
    bool fancy;            /* an ARRAY, MASK or BOOL0 is present */
    bool scalar;           /* only INTs, one per axis: a single element */
    bool bool_full;        /* one mask of exactly a's shape: `mask` */
    const nd_array *mask;  /* bool_full: the mask, NULL for a 0-d True/False */
    bool mask_value;       /* bool_full with mask NULL */
    bool copy0d;           /* an INT came from a 0-d integer array */
} nd__prep;

/* Classifies items for array a (section 0 steps 2-5): every error that
 * NumPy raises before it builds the view. */
int nd__prepare(const nd_array *a, int n, const struct nd_index *items, nd__prep *p);
/* The basic part of a prepared subscript: the data pointer with INT offsets
 * applied and the output axes of SLICE/NEWAXIS/ELLIPSIS (skipping array
 * entries). *q is the output position of the advanced axes: the number of
 * output axes before the first advanced-like entry when those entries are
 * adjacent, else 0 (section 3.4). Reports INT bounds and zero steps in
 * entry order. */
int nd__walk(const nd_array *a, const nd__prep *p, char **data, int *ndim,
             ptrdiff_t *shape, ptrdiff_t *strides, int *q);

/* Advanced indexing (index_fancy.c). The plan of a[idx] for a prepared
 * subscript with p->fancy: result layout = sub[0:q] + B + sub[q:]. */
#define ND__FANCY_SMALL 1024
typedef struct nd__fancy {
    char *base;                          /* subspace origin */
    int n_sub;                           /* subspace axes */
    ptrdiff_t sub_shape[ND_MAXDIMS], sub_strides[ND_MAXDIMS];
    int q;                               /* B's position in the result */
    int nb;                              /* broadcast index shape B */
    ptrdiff_t bshape[ND_MAXDIMS];
    ptrdiff_t n_b;                       /* elements of B */
    ptrdiff_t *off;                      /* n_b byte offsets from base: owned,
                                            or `small` for a short lone array */
    ptrdiff_t small[ND__FANCY_SMALL];
    int ndim;                            /* result shape */
    ptrdiff_t shape[ND_MAXDIMS];
    ptrdiff_t size;
} nd__fancy;

/* Builds the subspace and broadcasts the index shapes: INT bounds, zero
 * steps and "shape mismatch: indexing arrays ..." errors. */
int nd__fancy_plan(const nd_array *a, const nd__prep *p, nd__fancy *f);
/* Bounds-checks the index arrays (left to right) and fills f->off. */
int nd__fancy_offsets(const nd_array *a, const nd__prep *p, nd__fancy *f);
void nd__fancy_free(nd__fancy *f);
/* a[idx] for a prepared advanced subscript: plan, offsets, gather into a
 * fresh C-contiguous array (index_eval.c). */
nd_array *nd__fancy_get(const nd_array *a, const nd__prep *p);
/* The gather without an offset table (index_direct.c) for a lone
 * C-contiguous int64 index array with nothing before B: 1 done, 0 not
 * applicable (use offsets + gather), -1 out-of-bounds error. */
int nd__fancy_gather_direct(const nd_array *a, const nd__prep *p, const nd__fancy *f,
                            size_t itemsize, char *out);
/* The scatter counterpart (index values validated in a first pass, before
 * any write); the value must be flat over B. 1 done, 0 not applicable,
 * -1 out-of-bounds error with nothing written. */
int nd__fancy_scatter_direct(const nd_array *a, const nd__prep *p, const nd__fancy *f,
                             size_t itemsize, const char *vdata, const ptrdiff_t *vstrides);
/* out (C-contiguous, f->shape) = the selected elements. */
void nd__fancy_gather(const nd__fancy *f, size_t itemsize, char *out);
/* The selected elements = value, given in the result layout by vdata and
 * broadcast strides vstrides (f->ndim of them), same itemsize. */
void nd__fancy_scatter(const nd__fancy *f, size_t itemsize, const char *vdata,
                       const ptrdiff_t *vstrides);
/* Number of true elements of a bool array. */
ptrdiff_t nd__count_true(const nd_array *mask);
/* a[mask] for a full-shape mask: 1-d copy in C order. */
nd_array *nd__bool_select(const nd_array *a, const nd__prep *p);
/* a[mask] = value (value already a's dtype, 0-d or 1-d of length 1 or
 * count). */
void nd__bool_assign(nd_array *a, const nd__prep *p, const char *vdata,
                     ptrdiff_t vstride);

/* Same-itemsize strided copy of n elements (index_kern.c), and the n-d
 * version in C order of shape. */
void nd__copy_run(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss,
                  ptrdiff_t n, size_t itemsize);
void nd__copy_nd(int ndim, const ptrdiff_t *shape, char *dst, const ptrdiff_t *dstrides,
                 const char *src, const ptrdiff_t *sstrides, size_t itemsize);
/* C-order odometer over the first ndim axes: advances idx and the nops
 * byte offsets off[k] (strides[k][axis] each); false after the last. */
bool nd__odo_next(int ndim, const ptrdiff_t *shape, ptrdiff_t *idx, int nops,
                  ptrdiff_t *off, const ptrdiff_t *const *strides);
/* Drops length-1 axes and merges neighbours that chain for every operand,
 * keeping C order; returns the new ndim. No axis may have length 0. */
int nd__merge_axes(int ndim, ptrdiff_t *shape, int nops, ptrdiff_t *const *strides);
/* The inner (after-B) subspace axes of f and another operand's strides
 * for them (other), merged (nd__merge_axes); returns their number. */
int nd__fancy_inner_axes(const nd__fancy *f, const ptrdiff_t *other, ptrdiff_t *shape,
                         ptrdiff_t *sub_st, ptrdiff_t *other_st);
/* IndexError "index 7 is out of bounds for axis 0 with size 5"; -1. */
int nd__index_out_of_bounds(int64_t v, int axis, ptrdiff_t n);
/* Whether the B axes of a value laid out as f's result (vstrides) can be
 * walked with one stride; *vb gets it. */
bool nd__fancy_flat_value(const nd__fancy *f, const ptrdiff_t *vstrides, ptrdiff_t *vb);

/* The type a binary ufunc computes in (write.c): the promoted type, float64
 * for an integer or bool division; NULL + ND_ETYPE for records and for a
 * bool subtraction (NumPy's TypeError). */
const nd_dtype *nd__op_domain(nd__binop op, const nd_dtype *a, const nd_dtype *b);


/* ---- .npy headers (npy_header.c, used by npy.c) ------------------------- */
/* A repair a load applies to every element after reading it: reverse `size`
 * bytes at `offset` (stored in the other byte order), or normalize the bool
 * byte at `offset` to 0/1. */
typedef struct nd__npy_fixup {
    size_t offset;
    size_t size;
    bool is_bool;
} nd__npy_fixup;

typedef struct nd__npy_header {
    const nd_dtype *dt;
    int ndim;
    ptrdiff_t shape[ND_MAXDIMS];
    bool fortran;
    int n_fixups;
    nd__npy_fixup *fixups;   /* owned: nd__npy_header_free releases it */
} nd__npy_header;

/* Parses the header dict text[0, n) of a format-`major` file (3: UTF-8,
 * else latin-1) into *h. 0, or -1 with ND_EIO "<path>: malformed .npy
 * header: ..." (ND_ENOMEM when out of memory). Free h in both cases. */
int  nd__npy_parse_header(const char *path, const char *text, size_t n,
                          int major, nd__npy_header *h);
void nd__npy_header_free(nd__npy_header *h);
/* The dict text np.save writes for a: UTF-8, C order, little-endian type
 * strings, with NumPy's spare space for growing axis 0, before the padding
 * and newline. A malloc'd string the caller frees, or NULL with ND_EVALUE
 * (unsupported dtype, record fields out of order or overlapping, a field
 * name that needs escapes) or ND_ENOMEM. */
char *nd__npy_format_header(const nd_array *a);

/* C's double -> integer conversion made total (dtype.c): in range it
 * truncates toward zero; NaN and out-of-range give INT64_MIN (what x86's
 * cvttsd2si returns, so NumPy on x86 agrees). The uint64 form converts
 * [2^63, 2^64) directly and everything else through the int64 form. */
int64_t  nd__f64_to_i64(double v);
uint64_t nd__f64_to_u64(double v);

/* Test hook (array.c): after n more array allocations (headers and data
 * buffers) on this thread, the next ones fail with ND_ENOMEM; n < 0
 * removes the limit. Lets unit tests walk every allocation-failure path. */
void nd__alloc_budget(long n);

#endif /* ND_INT_H */
