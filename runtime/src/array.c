/*
 * array.c - the nd_array object: allocation, views, reference counting,
 * creation functions, inspection, and the OWNDATA / WRITEABLE flags.
 *
 * Key ideas:
 *  - An array either owns its buffer (base == NULL, mem/nbytes set) or is a
 *    view whose base is the owner itself: nd__view collapses chains as NumPy
 *    does (section 11.1 of the indexing spec), so freeing any number of
 *    intermediate views never leaves a dangling base.
 *  - Reference counts use __atomic builtins, so arrays may be shared across
 *    threads for reading and released from any of them.
 *  - Every size is overflow-checked before anything is allocated: an absurd
 *    shape is ND_EVALUE, a failing calloc/malloc is ND_ENOMEM, never a
 *    crash. A zero-byte array still gets a real (one-byte) allocation, so
 *    nd_data() is never NULL for a live array.
 *  - Small owners keep their data in the header's block, freed header
 *    blocks are reused by the same thread, and large buffers are asked for
 *    huge pages (see "memory blocks" and "spare header blocks" below):
 *    allocation is most of the cost of a scalar read and of a big copy.
 *  - Tests can make the n-th allocation fail (nd__alloc_budget) to prove
 *    that every caller unwinds cleanly and leaves its destination intact.
 *
 * Invariants kept: nd_int.h's list (1-5). nd__array_ok checks them.
 *
 * Does not: know about indexing or element arithmetic; contiguity here is
 * NumPy's flag definition, used by reshape/ravel and the kernels.
 */
#include "nd_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

/* ---- shapes ------------------------------------------------------------- */

int nd__shape_size(int ndim, const ptrdiff_t *shape, ptrdiff_t *out)
{
    ptrdiff_t n = 1;
    if (ndim < 0 || ndim > ND_MAXDIMS)
        return nd__fail(ND_EVALUE, "maximum supported dimension for an ndarray is %d, found %d",
                        ND_MAXDIMS, ndim);
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            return nd__fail(ND_EVALUE, "negative dimensions are not allowed");
    }
    /* Overflow is judged as NumPy does: on the product of the non-zero
     * dimensions, so (0, huge, huge) is still rejected when huge*huge
     * overflows. */
    ptrdiff_t nz = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == 0) {
            n = 0;
            continue;
        }
        if (__builtin_mul_overflow(nz, shape[i], &nz))
            return nd__fail(ND_EVALUE, "array is too big; `arr.size * arr.dtype.itemsize` "
                                       "is larger than the maximum possible size.");
    }
    *out = n ? nz : 0;
    return 0;
}

/* C-order strides with zero-length axes counted as length 1, as NumPy's
 * _array_fill_strides does. */
static void fill_c_strides(int ndim, const ptrdiff_t *shape, size_t itemsize,
                           ptrdiff_t *strides)
{
    ptrdiff_t s = (ptrdiff_t)itemsize;
    for (int i = ndim - 1; i >= 0; i--) {
        strides[i] = s;
        if (shape[i])
            s *= shape[i];
    }
}

/* Allocation-failure injection for tests (nd__alloc_budget): how many more
 * array allocations this thread may make; -1 means no limit. */
static _Thread_local long alloc_budget = -1;

void nd__alloc_budget(long n) { alloc_budget = n; }

static bool alloc_allowed(void)
{
    if (alloc_budget < 0)
        return true;
    if (alloc_budget == 0)
        return false;
    alloc_budget--;
    return true;
}

/* ---- memory blocks -------------------------------------------------------
 * Where an array's bytes live, by size:
 *  - up to INLINE_MAX data bytes: in the header's own block. A scalar or a
 *    short row then costs one block instead of a header and a buffer; the
 *    block stays within the sizes glibc serves from its per-thread cache
 *    (1032 bytes), and the data starts 16-byte aligned, as malloc's.
 *  - from HUGE_MIN bytes on: a 2 MiB-aligned block marked MADV_HUGEPAGE
 *    (NumPy's threshold and advice). With transparent huge pages in
 *    `madvise` mode, a fresh 80 MB buffer then takes 40 page faults instead
 *    of 20,000, which is most of the cost of copying into it.
 *  - in between: plain malloc.
 * Every header block has the same size (BLOCK_BYTES), views included, so
 * that a freed one can serve the next header of any kind (spare blocks,
 * below). Every block comes from malloc/calloc/posix_memalign and goes back
 * through free(), so sanitizers and leak checkers see all of them. Headers
 * are not zeroed: shape and strides are written for the ndim axes in use,
 * and nothing reads past ndim. */
#define BLOCK_BYTES ((size_t)1024)
#define HEADER_BYTES ((sizeof(nd_array) + 15) & ~(size_t)15)
#define INLINE_MAX (BLOCK_BYTES - HEADER_BYTES)
#define HUGE_MIN ((size_t)4 << 20)
#define HUGE_ALIGN ((size_t)2 << 20)

/* Whether an owner of nbytes keeps them in its header block (nbytes never
 * changes after nd__alloc, so this is the allocation's own decision). */
static bool data_inline(size_t nbytes)
{
    return (nbytes ? nbytes : 1) <= INLINE_MAX;
}

static void huge_advice(void *p, size_t n)
{
    /* Advice only: where huge pages are unavailable the call fails and
     * the buffer simply keeps small pages. */
    (void)madvise(p, n, MADV_HUGEPAGE);
}

/* A data buffer of n >= 1 bytes outside the header. */
static char *big_buffer(size_t n, bool zero)
{
    void *p = NULL;
    if (n < HUGE_MIN)
        return zero ? calloc(1, n) : malloc(n);
    if (zero) {
        /* calloc maps fresh, already-zero pages for a request this large
         * without touching them (memory it reuses it clears itself), so
         * the advice still reaches its 2 MiB-aligned interior in time. */
        char *c = calloc(1, n);
        uintptr_t lo = ((uintptr_t)c + HUGE_ALIGN - 1) & ~(uintptr_t)(HUGE_ALIGN - 1);
        if (c && lo < (uintptr_t)c + n)
            huge_advice((void *)lo, (uintptr_t)c + n - lo);
        return c;
    }
    if (posix_memalign(&p, HUGE_ALIGN, n) != 0)
        return NULL;
    huge_advice(p, n);
    return p;
}

/* ---- spare header blocks -------------------------------------------------
 * Scalars and views are made and dropped at a high rate (a loop of a[i, j]
 * reads makes and frees one 0-d array per element), and malloc plus free
 * of the header block were a third of such a read. So a freed header block
 * goes onto a short per-thread stack of spares, and the thread's next
 * header takes it from there. At most SPARE_MAX blocks (8 KiB) wait per
 * thread; a pthread key destructor frees them when the thread exits (the
 * main thread's stay reachable from its TLS until the process ends).
 * AddressSanitizer builds keep plain malloc/free, so that a use after
 * nd_free is still reported. */
#if defined(__SANITIZE_ADDRESS__)
#define SPARE_MAX 0
#else
#define SPARE_MAX 8
#endif

typedef struct spare_stack {
    void *top;                /* blocks linked through their first word */
    int n;
    bool registered;          /* the exit destructor will see this stack */
} spare_stack;

static _Thread_local spare_stack spares;
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static bool spare_key_ok;

static void spares_release(void *p)
{
    spare_stack *s = p;
    while (s->top) {
        void *b = s->top;
        memcpy(&s->top, b, sizeof s->top);
        free(b);
    }
    s->n = 0;
    /* Another key's destructor may free arrays after this one ran; they
     * register the stack again, and pthread calls this again. */
    s->registered = false;
}

static void spare_key_create(void)
{
    spare_key_ok = pthread_key_create(&spare_key, spares_release) == 0;
}

static void *block_get(void)
{
    spare_stack *s = &spares;
    if (s->top) {
        void *b = s->top;
        memcpy(&s->top, b, sizeof s->top);
        s->n--;
        return b;
    }
    return malloc(BLOCK_BYTES);
}

static void block_put(void *b)
{
    spare_stack *s = &spares;
    if (s->n < SPARE_MAX && !s->registered) {
        pthread_once(&spare_once, spare_key_create);
        s->registered = spare_key_ok && pthread_setspecific(spare_key, s) == 0;
    }
    if (s->n >= SPARE_MAX || !s->registered) {
        free(b);
        return;
    }
    memcpy(b, &s->top, sizeof s->top);
    s->top = b;
    s->n++;
}

static nd_array *new_header(void)
{
    nd_array *a = alloc_allowed() ? block_get() : NULL;
    if (!a)
        nd__fail(ND_ENOMEM, "Unable to allocate an array header");
    return a;
}

/* The fields every header sets, whatever it describes: all of struct
 * nd_array but shape and strides. Headers are not zeroed, so a field added
 * to the struct must be set here. */
static void init_header(nd_array *a, nd_array *base, char *mem, size_t nbytes, char *data,
                        const nd_dtype *dt, int ndim, bool writeable)
{
    a->refs = 1;
    a->base = base;
    a->mem = mem;
    a->nbytes = nbytes;
    a->data = data;
    a->dt = dt;
    a->ndim = ndim;
    a->writeable = writeable;
}

/* The byte size of a new array of (ndim, shape) and dt, validated: a bad
 * shape or an overflowing size is ND_EVALUE. A 0-d array, the commonest
 * (every scalar read makes one), needs no shape checks at all. */
static int array_bytes(const nd_dtype *dt, int ndim, const ptrdiff_t *shape, ptrdiff_t *out)
{
    ptrdiff_t n, nz = 1;
    if (ndim == 0) {
        n = 1;
    } else {
        if (ndim > 0 && !shape)
            return nd__fail(ND_EVALUE, "NULL shape");
        if (nd__shape_size(ndim, shape, &n) < 0)
            return -1;
        /* The byte count of the non-zero dims must fit too (strides use it). */
        for (int i = 0; i < ndim; i++)
            if (shape[i])
                nz *= shape[i];
    }
    if (__builtin_mul_overflow(nz, (ptrdiff_t)dt->itemsize, out))
        return nd__fail(ND_EVALUE, "array is too big; `arr.size * arr.dtype.itemsize` "
                                   "is larger than the maximum possible size.");
    if (n == 0)
        *out = 0;
    return 0;
}

/* The ENOMEM report of nd__alloc, kept out of its way. */
static nd_array *alloc_failed(const nd_dtype *dt, int ndim, const ptrdiff_t *shape,
                              ptrdiff_t bytes)
{
    char sh[256];
    nd__fail(ND_ENOMEM, "Unable to allocate %td bytes for an array with shape %s "
                        "and data type %s",
             bytes, nd__shape_str(sh, sizeof sh, ndim, shape), dt->name);
    return NULL;
}

nd_array *nd__alloc(const nd_dtype *dt, int ndim, const ptrdiff_t *shape, bool zero)
{
    ptrdiff_t bytes = 0;
    if (!dt) {
        nd__fail(ND_ETYPE, "NULL dtype");
        return NULL;
    }
    if (array_bytes(dt, ndim, shape, &bytes) < 0)
        return NULL;
    size_t alloc = bytes ? (size_t)bytes : 1;
    nd_array *a;
    char *mem;
    if (data_inline(alloc)) {
        /* One block, one allocation: it counts once against the budget. */
        if (!(a = alloc_allowed() ? block_get() : NULL))
            return alloc_failed(dt, ndim, shape, bytes);
        mem = (char *)a + HEADER_BYTES;
        if (zero)
            memset(mem, 0, alloc);
    } else {
        if (!(a = new_header()))
            return NULL;
        if (!(mem = alloc_allowed() ? big_buffer(alloc, zero) : NULL)) {
            block_put(a);
            return alloc_failed(dt, ndim, shape, bytes);
        }
    }
    init_header(a, NULL, mem, (size_t)bytes, mem, dt, ndim, true);
    if (ndim) {
        memcpy(a->shape, shape, (size_t)ndim * sizeof *shape);
        fill_c_strides(ndim, a->shape, dt->itemsize, a->strides);
    }
    return a;
}

nd_array *nd__owner(const nd_array *a)
{
    return (nd_array *)(a->base ? a->base : a);
}

nd_array *nd__ref(const nd_array *a)
{
    nd_array *m = (nd_array *)a;
    __atomic_add_fetch(&m->refs, 1, __ATOMIC_RELAXED);
    return m;
}

nd_array *nd__view(const nd_array *parent, const nd_dtype *dt, int ndim,
                   const ptrdiff_t *shape, const ptrdiff_t *strides, char *data)
{
    if (ndim < 0 || ndim > ND_MAXDIMS) {
        nd__fail(ND_EVALUE, "maximum supported dimension for an ndarray is %d, found %d",
                 ND_MAXDIMS, ndim);
        return NULL;
    }
    nd_array *v = new_header();
    if (!v)
        return NULL;
    init_header(v, nd__ref(nd__owner(parent)), NULL, 0, data, dt, ndim, parent->writeable);
    if (ndim) {
        memcpy(v->shape, shape, (size_t)ndim * sizeof *shape);
        memcpy(v->strides, strides, (size_t)ndim * sizeof *strides);
    }
    ND_ASSERT(nd__array_ok(v));
    return v;
}

void nd_free(nd_array *a)
{
    if (!a)
        return;
    if (__atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (a->base)
        nd_free(a->base);
    else if (!data_inline(a->nbytes))
        free(a->mem);
    block_put(a);
}

/* ---- layout predicates -------------------------------------------------- */

static bool has_zero_dim(const nd_array *a)
{
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] == 0)
            return true;
    return false;
}

bool nd__is_c_contig(const nd_array *a)
{
    if (has_zero_dim(a))
        return true;
    ptrdiff_t want = (ptrdiff_t)a->dt->itemsize;
    for (int i = a->ndim - 1; i >= 0; i--) {
        if (a->shape[i] == 1)
            continue;
        if (a->strides[i] != want)
            return false;
        want *= a->shape[i];
    }
    return true;
}

bool nd__is_f_contig(const nd_array *a)
{
    if (has_zero_dim(a))
        return true;
    ptrdiff_t want = (ptrdiff_t)a->dt->itemsize;
    for (int i = 0; i < a->ndim; i++) {
        if (a->shape[i] == 1)
            continue;
        if (a->strides[i] != want)
            return false;
        want *= a->shape[i];
    }
    return true;
}

void nd__extent(const nd_array *a, const char **lo, const char **hi)
{
    if (has_zero_dim(a)) {
        *lo = *hi = a->data;
        return;
    }
    ptrdiff_t low = 0, high = (ptrdiff_t)a->dt->itemsize;
    for (int i = 0; i < a->ndim; i++) {
        ptrdiff_t span = (a->shape[i] - 1) * a->strides[i];
        if (span < 0)
            low += span;
        else
            high += span;
    }
    *lo = a->data + low;
    *hi = a->data + high;
}

bool nd__array_ok(const nd_array *a)
{
    if (!a || a->refs < 1 || a->ndim < 0 || a->ndim > ND_MAXDIMS || !a->dt || !a->data)
        return false;
    if (a->base && (a->base->base || a->mem))
        return false;
    if (!a->base && !a->mem)
        return false;
    ptrdiff_t n;
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] < 0)
            return false;
    if (nd__shape_size(a->ndim, a->shape, &n) < 0)
        return false;
    if (n == 0)
        return true;
    const char *lo, *hi;
    const nd_array *o = a->base ? a->base : a;
    nd__extent(a, &lo, &hi);
    return lo >= o->mem && hi <= o->mem + o->nbytes;
}

/* ---- creation ------------------------------------------------------------ */

nd_array *nd_zeros(const nd_dtype *dt, int ndim, const ptrdiff_t *shape)
{
    return nd__alloc(dt, ndim, shape, true);
}

nd_array *nd_empty(const nd_dtype *dt, int ndim, const ptrdiff_t *shape)
{
    return nd__alloc(dt, ndim, shape, false);
}

nd_array *nd_full(const nd_dtype *dt, int ndim, const ptrdiff_t *shape, double v)
{
    nd_array *a = nd__alloc(dt, ndim, shape, false);
    if (!a || a->nbytes == 0)
        return a;
    /* Store once, then double the filled prefix: log2(n) memcpy calls. */
    size_t done = dt->itemsize;
    nd__store_f64(dt, a->data, v);
    while (done < a->nbytes) {
        size_t chunk = done <= a->nbytes - done ? done : a->nbytes - done;
        memcpy(a->data + done, a->data, chunk);
        done += chunk;
    }
    return a;
}

nd_array *nd_arange(const nd_dtype *dt, ptrdiff_t n)
{
    ptrdiff_t len = n > 0 ? n : 0;
    nd_array *a = nd__alloc(dt, 1, &len, false);
    if (!a)
        return NULL;
    char *p = a->data;
    if (dt->kind == ND_DK_FLOAT) {
        for (ptrdiff_t i = 0; i < len; i++, p += dt->itemsize)
            nd__store_f64(dt, p, (double)i);
    } else {
        for (ptrdiff_t i = 0; i < len; i++, p += dt->itemsize)
            nd__store_i64(dt, p, (int64_t)i);
    }
    return a;
}

nd_array *nd_from_buffer(const nd_dtype *dt, int ndim, const ptrdiff_t *shape,
                         const void *data)
{
    nd_array *a = nd__alloc(dt, ndim, shape, false);
    if (!a)
        return NULL;
    if (a->nbytes && !data) {
        nd_free(a);
        nd__fail(ND_EVALUE, "NULL data buffer");
        return NULL;
    }
    if (a->nbytes)
        memcpy(a->data, data, a->nbytes);
    return a;
}

/* ---- inspection ----------------------------------------------------------- */

int nd_ndim(const nd_array *a) { return a ? a->ndim : nd__null_arg(); }

const ptrdiff_t *nd_shape(const nd_array *a)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    return a->shape;
}

const ptrdiff_t *nd_strides(const nd_array *a)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    return a->strides;
}

ptrdiff_t nd_size(const nd_array *a)
{
    ptrdiff_t n;
    if (!a)
        return nd__null_arg();
    if (nd__shape_size(a->ndim, a->shape, &n) < 0)
        return -1;
    return n;
}

const nd_dtype *nd_dtype_of(const nd_array *a)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    return a->dt;
}

size_t nd_itemsize(const nd_array *a)
{
    if (!a) {
        nd__null_arg();
        return 0;
    }
    return a->dt->itemsize;
}

void *nd_data(nd_array *a)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    return a->data;
}

/* Element address with NumPy's integer rules: negative counts from the end;
 * out of range is IndexError. */
static char *element(const nd_array *a, const ptrdiff_t *idx)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    if (a->ndim > 0 && !idx) {
        nd__fail(ND_EINDEX, "NULL index for a %d-dimensional array", a->ndim);
        return NULL;
    }
    char *p = a->data;
    for (int k = 0; k < a->ndim; k++) {
        ptrdiff_t i = idx[k];
        if (i < -a->shape[k] || i >= a->shape[k]) {
            nd__fail(ND_EINDEX, "index %td is out of bounds for axis %d with size %td", i, k,
                     a->shape[k]);
            return NULL;
        }
        if (i < 0)
            i += a->shape[k];
        p += i * a->strides[k];
    }
    return p;
}

void *nd_ptr(nd_array *a, const ptrdiff_t *idx) { return element(a, idx); }

double nd_item(const nd_array *a, const ptrdiff_t *idx)
{
    const char *p = element(a, idx);
    return p ? nd__load_f64(a->dt, p) : NAN;
}

/* ---- memory relations and flags ------------------------------------------ */

const nd_array *nd_base(const nd_array *a)
{
    if (!a) {
        nd__null_arg();
        return NULL;
    }
    return a->base;
}

bool nd_owns_data(const nd_array *a) { return a && !a->base; }

bool nd_is_writeable(const nd_array *a) { return a && a->writeable; }

int nd_set_writeable(nd_array *a, bool on)
{
    if (!a)
        return nd__null_arg();
    /* Section 11.3: True is allowed iff a owns its data or its owner is
     * writeable; False always. */
    if (on && a->base && !a->base->writeable)
        return nd__fail(ND_EVALUE, "cannot set WRITEABLE flag to True of this array");
    a->writeable = on;
    return 0;
}
