/*
 * robust.h - the shared machinery of test_robust.c and test_robust_api.c:
 * a deterministic PRNG, random arrays (every dtype and a record, 0-4 dims,
 * zero-length axes, strided / reversed / transposed / field views, some
 * read-only), and the properties every call is held to.
 *
 * The properties: a call either succeeds with a consistent array (ndim in
 * 0..32, shape >= 0, size the product of the shape, every element inside
 * its owner's buffer and readable: ASan checks the read) or fails with an
 * error of an allowed kind and a non-empty message; before each call the
 * error is primed with ND_EIO so a stale error cannot pass. A failed write
 * leaves the owner's bytes exactly as they were (memcmp of a snapshot).
 *
 * Everything is static inline: each test program gets its own copy and its
 * own PRNG state, and unused helpers cost no warning.
 */
#ifndef ND_TEST_ROBUST_H
#define ND_TEST_ROBUST_H

#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nd_int.h"

/* ---- PRNG ------------------------------------------------------------------ */
static uint64_t rng_state;

static inline uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static inline int rint_(int n) { return n > 0 ? (int)(rnd() % (uint64_t)n) : 0; }

/* ---- a growable string ----------------------------------------------------- */
typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static inline void sb_putc(sbuf *b, char c)
{
    if (b->n + 2 > b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    b->s[b->n++] = c;
    b->s[b->n] = '\0';
}

static inline void sb_puts(sbuf *b, const char *s)
{
    while (*s)
        sb_putc(b, *s++);
}

static inline void sb_reset(sbuf *b)
{
    b->n = 0;
    sb_putc(b, 'x');
    b->n = 0;
    b->s[0] = '\0';
}

/* ---- the properties ---------------------------------------------------------- */
static inline const nd_dtype *rec_type(void)
{
    static const char *const names[] = {"x", "y", "z"};
    const nd_dtype *types[] = {ND_INT32, ND_FLOAT64, ND_INT16};
    const nd_dtype *r = nd_record(3, names, types);
    ck_assert_ptr_nonnull(r);
    return r;
}

static inline void prime(void) { nd__fail(ND_EIO, "primed"); }

static inline bool allowed_error(nd_errcode e)
{
    return e == ND_EINDEX || e == ND_EVALUE || e == ND_ETYPE || e == ND_ENOMEM ||
           e == ND_EREADONLY;
}

static inline void check_fail(const char *what, const char *s)
{
    nd_errcode e = nd_errno();
    const char *m = nd_errmsg();
    ck_assert_msg(allowed_error(e), "%s(\"%.120s\"): errno %d (%s)", what, s ? s : "(null)",
                  (int)e, m ? m : "(null)");
    ck_assert_msg(m && m[0] && strcmp(m, "primed") != 0, "%s(\"%.120s\"): no message", what,
                  s ? s : "(null)");
}

static inline nd_array *owner_of(nd_array *a)
{
    const nd_array *b = nd_base(a);
    return b ? (nd_array *)b : a;
}

/* A result array is consistent and every element is inside its owner. */
static inline void check_array(nd_array *r)
{
    int nd = nd_ndim(r);
    ck_assert_int_ge(nd, 0);
    ck_assert_int_le(nd, ND_MAXDIMS);
    const ptrdiff_t *sh = nd_shape(r);
    ck_assert_ptr_nonnull(sh);
    ptrdiff_t prod = 1;
    for (int k = 0; k < nd; k++) {
        ck_assert_int_ge(sh[k], 0);
        ck_assert(!__builtin_mul_overflow(prod, sh[k], &prod));
    }
    ck_assert_int_eq(nd_size(r), prod);
    ck_assert_ptr_nonnull(nd_dtype_of(r));
    size_t isz = nd_itemsize(r);
    ck_assert_uint_eq(isz, nd_dtype_of(r)->itemsize);
    if (prod == 0 || prod > 4096)
        return;
    nd_array *o = owner_of(r);
    const char *lo = nd_data(o);
    const char *hi = lo + (size_t)nd_size(o) * nd_itemsize(o);
    ptrdiff_t idx[ND_MAXDIMS] = {0};
    for (ptrdiff_t n = 0; n < prod; n++) {
        const char *p = nd_ptr(r, idx);
        ck_assert_ptr_nonnull(p);
        ck_assert(p >= lo && p + isz <= hi);
        double v = nd_item(r, idx);
        (void)v;
        for (int k = nd - 1; k >= 0; k--) {
            if (++idx[k] < sh[k])
                break;
            idx[k] = 0;
        }
    }
}

/* The owner's bytes, to compare after a failed write. */
typedef struct snap {
    char *bytes;
    size_t n;
} snap;

static inline snap take_snap(nd_array *a)
{
    nd_array *o = owner_of(a);
    snap s = {NULL, (size_t)nd_size(o) * nd_itemsize(o)};
    s.bytes = malloc(s.n + 1);
    ck_assert_ptr_nonnull(s.bytes);
    memcpy(s.bytes, nd_data(o), s.n);
    return s;
}

static inline void check_unchanged(nd_array *a, snap *s, const char *what, const char *idx)
{
    nd_array *o = owner_of(a);
    ck_assert_msg(memcmp(s->bytes, nd_data(o), s->n) == 0,
                  "%s(\"%.120s\") failed but changed the array", what, idx);
}

static inline void drop_snap(snap *s) { free(s->bytes); }

/* ---- random arrays ----------------------------------------------------------- */
static inline const nd_dtype *pick_dtype(void)
{
    const nd_dtype *const all[] = {ND_BOOL,   ND_INT8,   ND_INT16,  ND_INT32,
                                   ND_INT64,  ND_UINT8,  ND_UINT16, ND_UINT32,
                                   ND_UINT64, ND_FLOAT32, ND_FLOAT64};
    int k = rint_(12);
    return k == 11 ? rec_type() : all[k];
}

/* Random contents; bool bytes stay 0/1 (anything else is not a _Bool). */
static inline void fill_random(nd_array *a)
{
    char *p = nd_data(a);
    size_t n = (size_t)nd_size(a) * nd_itemsize(a);
    bool is_bool = nd_dtype_of(a) == ND_BOOL;
    for (size_t i = 0; i < n; i++)
        p[i] = (char)(is_bool ? rnd() & 1 : rnd() % 7);
}

static inline nd_array *random_owner(const nd_dtype *dt, int ndim, int maxdim)
{
    ptrdiff_t sh[4];
    for (int k = 0; k < ndim; k++)
        sh[k] = rint_(8) == 0 ? 0 : 1 + rint_(maxdim);
    nd_array *a = nd_empty(dt, ndim, sh);
    ck_assert_ptr_nonnull(a);
    fill_random(a);
    return a;
}

/* A random array: an owner, or a strided / reversed / transposed view of
 * one; sometimes read-only. */
static inline nd_array *random_array(void)
{
    int ndim = rint_(5);
    nd_array *a = random_owner(pick_dtype(), ndim, 4);
    if (nd_dtype_of(a) == rec_type() && rint_(2)) {
        /* a field view: unaligned elements (y is at offset 4 of 14) */
        static const char *const two[] = {"z", "x"};
        nd_array *f = rint_(2) ? nd_field(a, rint_(2) ? "y" : "z") : nd_fields(a, 2, two);
        ck_assert_ptr_nonnull(f);
        nd_free(a);
        a = f;
    }
    if (ndim == 0 || rint_(2))
        return a;
    static const char *const parts[] = {":", "::-1", "1:", "::2", "::-2", ":-1", "1::2"};
    char pre[64] = "";
    for (int k = 0; k < ndim; k++) {
        strcat(pre, parts[rint_(7)]);
        if (k + 1 < ndim)
            strcat(pre, ",");
    }
    nd_array *v = nd_get(a, pre);
    ck_assert_msg(v != NULL, "pre %s: %s", pre, nd_errmsg());
    nd_free(a);
    if (rint_(3) == 0) {
        nd_array *t = nd_transpose(v);
        ck_assert_ptr_nonnull(t);
        nd_free(v);
        v = t;
    }
    if (rint_(6) == 0)
        ck_assert_int_eq(nd_set_writeable(v, false), 0);
    return v;
}

/* A small value for nd_set: int64, float64, bool, or a's own dtype. */
static inline nd_array *random_value(const nd_array *a)
{
    const nd_dtype *dt;
    switch (rint_(4)) {
    case 0: dt = ND_INT64; break;
    case 1: dt = ND_FLOAT64; break;
    case 2: dt = ND_BOOL; break;
    default: dt = nd_dtype_of(a); break;
    }
    return random_owner(dt, rint_(2) ? 0 : rint_(3), 3);
}

/* ---- outcome checks used by the tests ---------------------------------------- */
#define FAILS_NULL(call)                                                            \
    do {                                                                            \
        prime();                                                                    \
        nd_array *r_ = (call);                                                      \
        ck_assert_msg(r_ == NULL, "%s succeeded", #call);                           \
        check_fail(#call, "");                                                      \
    } while (0)

#define FAILS_INT(call)                                                             \
    do {                                                                            \
        prime();                                                                    \
        int rc_ = (call);                                                           \
        ck_assert_msg(rc_ == -1, "%s returned %d", #call, rc_);                     \
        check_fail(#call, "");                                                      \
    } while (0)

#define FAILS_NAN(call)                                                             \
    do {                                                                            \
        prime();                                                                    \
        double d_ = (call);                                                         \
        ck_assert_msg(isnan(d_), "%s returned %g", #call, d_);                      \
        check_fail(#call, "");                                                      \
    } while (0)

/* Either outcome is acceptable; a result must be consistent. */
#define ANY(call)                                                                   \
    do {                                                                            \
        prime();                                                                    \
        nd_array *r_ = (call);                                                      \
        if (r_)                                                                     \
            check_array(r_);                                                        \
        else                                                                        \
            check_fail(#call, "");                                                  \
        nd_free(r_);                                                                \
    } while (0)

/* A write that must fail and leave dst as it was. */
#define WRITE_FAILS(dst, call)                                                      \
    do {                                                                            \
        snap s_ = take_snap(dst);                                                   \
        FAILS_INT(call);                                                            \
        check_unchanged(dst, &s_, #call, "");                                       \
        drop_snap(&s_);                                                             \
    } while (0)

static inline nd_array *arr_i64(int ndim, const ptrdiff_t *sh)
{
    ptrdiff_t n = 1;
    for (int k = 0; k < ndim; k++)
        n *= sh[k];
    nd_array *f = nd_arange(ND_INT64, n);
    nd_array *a = nd_reshape(f, ndim, sh);
    nd_free(f);
    ck_assert_ptr_nonnull(a);
    return a;
}

#endif /* ND_TEST_ROBUST_H */
