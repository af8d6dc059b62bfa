/*
 * nd.h - the one public header of libnd, a NumPy-exact n-dimensional array
 * runtime.
 *
 * The names and signatures of the contract (shared/design/runtime-api.md) are
 * fixed: viewcheck's model (rules/models/nd.json) and users' programs depend
 * on them. The extras at the end (run-time index items, the index-string
 * parser) are libnd's own additions; the analyzer links the parser so that
 * index literals are checked by the same grammar the runtime executes.
 *
 * Ownership: every function that returns nd_array * returns a new reference
 * the caller must nd_free. A view holds a reference on the array that owns
 * its data, so freeing a parent before its views is safe.
 *
 * Errors: functions return NULL or -1 and record a thread-local error
 * (nd_errno, nd_errmsg) named after the NumPy exception it matches. Nothing
 * prints, nothing aborts, and a write that fails changes nothing.
 */
#ifndef ND_H
#define ND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nd_array nd_array;   /* opaque, reference counted */
struct nd_index;                    /* one index item built in code */
typedef struct nd_dtype nd_dtype;   /* element type descriptor */

/* Element types: pointers to built-in descriptors. */
extern const nd_dtype *const ND_BOOL, *const ND_INT8, *const ND_INT16,
    *const ND_INT32, *const ND_INT64, *const ND_UINT8, *const ND_UINT16,
    *const ND_UINT32, *const ND_UINT64, *const ND_FLOAT32, *const ND_FLOAT64;

/* A structured (record) type with packed fields, like numpy.dtype([...]).
 * Returns an interned descriptor that lives until the process ends (equal
 * field lists give the same pointer), or NULL (ND_EVALUE: no fields, a
 * duplicate or empty name; ND_ENOMEM). */
const nd_dtype *nd_record(int nfields, const char *const *names,
                          const nd_dtype *const *types);

/* ---- creation and lifetime ------------------------------------------- */
/* New C-contiguous arrays that own their data. ndim is 0..32; shape entries
 * must be >= 0; a byte size that overflows is ND_EVALUE. */
nd_array *nd_zeros(const nd_dtype *dt, int ndim, const ptrdiff_t *shape);
nd_array *nd_empty(const nd_dtype *dt, int ndim, const ptrdiff_t *shape);
nd_array *nd_full(const nd_dtype *dt, int ndim, const ptrdiff_t *shape, double v);
nd_array *nd_arange(const nd_dtype *dt, ptrdiff_t n);
nd_array *nd_from_buffer(const nd_dtype *dt, int ndim, const ptrdiff_t *shape,
                         const void *data);           /* copies data */
void      nd_free(nd_array *a);   /* releases a; a view keeps its base alive;
                                     nd_free(NULL) does nothing */
/* NumPy .npy files, format versions 1-3. A malformed file is ND_EIO. */
nd_array *nd_load_npy(const char *path);
int       nd_save_npy(const char *path, const nd_array *a);

/* ---- inspection --------------------------------------------------------- */
int             nd_ndim(const nd_array *a);
const ptrdiff_t *nd_shape(const nd_array *a);        /* borrowed */
const ptrdiff_t *nd_strides(const nd_array *a);      /* in bytes, may be < 0 */
ptrdiff_t       nd_size(const nd_array *a);
const nd_dtype *nd_dtype_of(const nd_array *a);
size_t          nd_itemsize(const nd_array *a);
void           *nd_data(nd_array *a);               /* first element */
void           *nd_ptr(nd_array *a, const ptrdiff_t *idx);   /* one element */
double          nd_item(const nd_array *a, const ptrdiff_t *idx);
char           *nd_repr(const nd_array *a);         /* NumPy-style text; free() it */
int             nd_print(FILE *f, const nd_array *a);

/* ---- indexing: NumPy subscripts written as strings ---------------------- */
/* a[index]. A view when the index is basic (integers, slices, None, ...),
 * a copy when it holds an integer or boolean array; exactly as NumPy.
 * A full integer index gives a 0-d array: a copy for numeric dtypes, a view
 * for records (NumPy's np.void scalar writes through). */
nd_array *nd_get(const nd_array *a, const char *index);
nd_array *nd_getf(const nd_array *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
nd_array *nd_get_copy(const nd_array *a, const char *index); /* a[index].copy() */
/* a[index] = value (broadcast); the array is left unchanged on error. */
int nd_set(nd_array *a, const char *index, const nd_array *value);
int nd_set_scalar(nd_array *a, const char *index, double value);
/* The same, with index items built in code (see struct nd_index below). */
nd_array *nd_get_items(const nd_array *a, int n, const struct nd_index *items);
int       nd_set_items(nd_array *a, int n, const struct nd_index *items,
                       const nd_array *value);
nd_array *nd_take(const nd_array *a, const nd_array *indices, int axis);  /* copy */
nd_array *nd_compress(const nd_array *a, const nd_array *mask, int axis); /* copy */
nd_array *nd_get_ix(const nd_array *a, int n, const nd_array *const *lists); /* a[np.ix_(...)], copy */
nd_array *nd_field(const nd_array *a, const char *name);                  /* view */
nd_array *nd_fields(const nd_array *a, int n, const char *const *names);  /* view */

/* ---- shape functions ---------------------------------------------------- */
/* always views */
nd_array *nd_view(const nd_array *a);
nd_array *nd_transpose(const nd_array *a);
nd_array *nd_permute(const nd_array *a, const int *axes);
nd_array *nd_swapaxes(const nd_array *a, int i, int j);
nd_array *nd_flip(const nd_array *a, int axis);
nd_array *nd_squeeze(const nd_array *a);
nd_array *nd_expand_dims(const nd_array *a, int axis);
nd_array *nd_broadcast_to(const nd_array *a, int ndim, const ptrdiff_t *shape); /* read-only view */
nd_array *nd_diagonal(const nd_array *a);                                      /* read-only view */
/* a view when the layout allows it, a copy otherwise (as NumPy) */
nd_array *nd_reshape(const nd_array *a, int ndim, const ptrdiff_t *shape);
nd_array *nd_ravel(const nd_array *a);
/* always copies */
nd_array *nd_copy(const nd_array *a);
nd_array *nd_flatten(const nd_array *a);
nd_array *nd_astype(const nd_array *a, const nd_dtype *dt);

/* ---- in-place writes: 0 on success, -1 and nd_error on failure ---------- */
int nd_fill(nd_array *a, double v);
int nd_assign(nd_array *dst, const nd_array *src);    /* dst[...] = src */
int nd_iadd(nd_array *a, const nd_array *b);         /* a += b (broadcast) */
int nd_isub(nd_array *a, const nd_array *b);
int nd_imul(nd_array *a, const nd_array *b);
int nd_idiv(nd_array *a, const nd_array *b);
int nd_iadd_scalar(nd_array *a, double v);
int nd_isub_scalar(nd_array *a, double v);
int nd_imul_scalar(nd_array *a, double v);
int nd_idiv_scalar(nd_array *a, double v);

/* ---- arithmetic that makes new arrays ----------------------------------- */
nd_array *nd_add(const nd_array *a, const nd_array *b);
nd_array *nd_sub(const nd_array *a, const nd_array *b);
nd_array *nd_mul(const nd_array *a, const nd_array *b);
nd_array *nd_div(const nd_array *a, const nd_array *b);
double    nd_sum(const nd_array *a);
double    nd_mean(const nd_array *a);
double    nd_std(const nd_array *a);
nd_array *nd_mean_axis(const nd_array *a, int axis);
nd_array *nd_std_axis(const nd_array *a, int axis);
nd_array *nd_gt_scalar(const nd_array *a, double v);   /* bool masks */
nd_array *nd_lt_scalar(const nd_array *a, double v);
nd_array *nd_eq_scalar(const nd_array *a, double v);
nd_array *nd_logical_and(const nd_array *a, const nd_array *b);
nd_array *nd_logical_or(const nd_array *a, const nd_array *b);
nd_array *nd_logical_not(const nd_array *a);

/* ---- memory relations --------------------------------------------------- */
int  nd_shares_memory(const nd_array *a, const nd_array *b);  /* exact: 1 or 0,
                                                                -1 on error */
bool nd_may_share_memory(const nd_array *a, const nd_array *b); /* bounds overlap */
const nd_array *nd_base(const nd_array *a);  /* the owner; NULL when a owns its data */
bool nd_owns_data(const nd_array *a);
bool nd_is_writeable(const nd_array *a);
int  nd_set_writeable(nd_array *a, bool on);

/* ---- errors ------------------------------------------------------------- */
typedef enum { ND_OK, ND_EINDEX, ND_EVALUE, ND_ETYPE, ND_ENOMEM,
               ND_EREADONLY, ND_EIO } nd_errcode;
nd_errcode  nd_errno(void);        /* last error of this thread */
const char *nd_errmsg(void);       /* its message, e.g. "index 7 is out of
                                      bounds for axis 0 with size 5" */

/* ======================================================================
 * Extras beyond the contract.
 * ==================================================================== */

/* ---- run-time index items ------------------------------------------------
 * One item of a subscript, for nd_get_items/nd_set_items. Build them with
 * the macros; the array of an ND_ARRAY item is borrowed, not owned. */
typedef enum {
    ND_IX_INT,       /* i                                  */
    ND_IX_SLICE,     /* start:stop:step, ND_END = omitted  */
    ND_IX_NEWAXIS,   /* None                               */
    ND_IX_ELLIPSIS,  /* ...                                */
    ND_IX_BOOL,      /* True / False (a 0-d mask)          */
    ND_IX_ARRAY,     /* an integer or boolean nd_array     */
    ND_IX_FIELD      /* 'name' (only alone)                */
} nd_index_kind;

struct nd_index {
    nd_index_kind kind;
    ptrdiff_t i;                    /* ND_IX_INT; ND_IX_BOOL: 0 or 1 */
    ptrdiff_t start, stop, step;    /* ND_IX_SLICE */
    const nd_array *arr;            /* ND_IX_ARRAY (borrowed) */
    const char *name;               /* ND_IX_FIELD (borrowed) */
};

#define ND_END PTRDIFF_MIN
#define ND_AT(v) ((struct nd_index){.kind = ND_IX_INT, .i = (v)})
#define ND_SLICE(a, b, c) \
    ((struct nd_index){.kind = ND_IX_SLICE, .start = (a), .stop = (b), .step = (c)})
#define ND_ALL ND_SLICE(ND_END, ND_END, ND_END)
#define ND_NEWAXIS ((struct nd_index){.kind = ND_IX_NEWAXIS})
#define ND_ELLIPSIS ((struct nd_index){.kind = ND_IX_ELLIPSIS})
#define ND_TRUE ((struct nd_index){.kind = ND_IX_BOOL, .i = 1})
#define ND_FALSE ((struct nd_index){.kind = ND_IX_BOOL, .i = 0})
#define ND_ARRAY(x) ((struct nd_index){.kind = ND_IX_ARRAY, .arr = (x)})
#define ND_FIELD(s) ((struct nd_index){.kind = ND_IX_FIELD, .name = (s)})

/* ---- the index-string parser --------------------------------------------
 * nd_parse_index turns an index string (shared/vectors/README.md grammar)
 * into items without looking at any array, and reports what can be known
 * from the text alone: a syntax error, a second ellipsis, a zero slice step,
 * a field or field list mixed with other items, more than 64 items. List
 * literals become ND_IX_ARRAY items whose arrays (int64 or bool) the parsed
 * subscript owns. nd_subscript_free releases them; it is safe on a
 * zeroed or failed subscript. */
#define ND_MAX_ITEMS 64

typedef enum {
    ND_SUB_BASIC,     /* only integers, slices, None, ... : a view      */
    ND_SUB_ADVANCED,  /* holds a list or True/False: a copy             */
    ND_SUB_FIELD,     /* 'name': a view                                 */
    ND_SUB_FIELDS     /* ['a','b']: a view                              */
} nd_subscript_kind;

typedef struct nd_subscript {
    nd_subscript_kind kind;
    int n;                                 /* items (or field names) */
    bool tuple;                            /* written with a top-level comma */
    struct nd_index item[ND_MAX_ITEMS];    /* names point into `text` */
    char *text;                            /* owned copy for field names */
} nd_subscript;

/* 0 on success; -1 with nd_errno (ND_EINDEX for syntax and misuse,
 * ND_EVALUE for a zero step or a ragged list) and nd_errmsg set. On failure
 * *out holds nothing to free, but nd_subscript_free(out) is still safe. */
int  nd_parse_index(const char *index, nd_subscript *out);
void nd_subscript_free(nd_subscript *s);

#ifdef __cplusplus
}
#endif
#endif /* ND_H */
