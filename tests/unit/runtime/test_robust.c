/*
 * test_robust.c - libnd under hostile input: nothing crashes, leaks, reads
 * out of bounds, or half-writes.
 *
 * Three parts, all deterministic (one fixed seed, our own xorshift PRNG) and
 * bounded (a few thousand cases on arrays of at most a few hundred elements):
 *  1. Index strings: valid subscripts of the vectors' grammar, mutated by
 *     inserting, deleting and replacing characters, plus hand-made extremes
 *     (huge integers, 100 levels of `[`, 10k items, unbalanced brackets and
 *     quotes, garbage bytes, `%` through nd_getf). Each one goes through
 *     nd_parse_index, nd_get, nd_get_copy, nd_set_scalar and nd_set on random
 *     arrays of every dtype (a record too), 0-4 dims, zero-length axes,
 *     strided and reversed views, some read-only.
 *  2. Every public function of nd.h with NULL and absurd arguments.
 *  3. nd_get_items / nd_set_items with random item arrays.
 *
 * The properties: a call either succeeds with a consistent array (ndim in
 * 0..32, shape >= 0, size the product of the shape, every element inside
 * its owner's buffer and readable: ASan checks the read) or fails with an
 * error of an allowed kind and a non-empty message; before each call the
 * error is primed with ND_EIO so a stale error cannot pass. A failed write
 * leaves the owner's bytes exactly as they were (memcmp of a snapshot); a
 * write to a read-only array always fails.
 *
 * Regression inputs found by this suite are kept in test_regressions.
 */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nd_int.h"

/* ---- PRNG ------------------------------------------------------------------ */
static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static int rint_(int n) { return n > 0 ? (int)(rnd() % (uint64_t)n) : 0; }

/* ---- a growable string ----------------------------------------------------- */
typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_putc(sbuf *b, char c)
{
    if (b->n + 2 > b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    b->s[b->n++] = c;
    b->s[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    while (*s)
        sb_putc(b, *s++);
}

static void sb_reset(sbuf *b)
{
    b->n = 0;
    sb_putc(b, 'x');
    b->n = 0;
    b->s[0] = '\0';
}

/* ---- the properties ---------------------------------------------------------- */
static const nd_dtype *rec_type(void)
{
    static const char *const names[] = {"x", "y", "z"};
    const nd_dtype *types[] = {ND_INT32, ND_FLOAT64, ND_INT16};
    const nd_dtype *r = nd_record(3, names, types);
    ck_assert_ptr_nonnull(r);
    return r;
}

static void prime(void) { nd__fail(ND_EIO, "primed"); }

static bool allowed_error(nd_errcode e)
{
    return e == ND_EINDEX || e == ND_EVALUE || e == ND_ETYPE || e == ND_ENOMEM ||
           e == ND_EREADONLY;
}

static void check_fail(const char *what, const char *s)
{
    nd_errcode e = nd_errno();
    const char *m = nd_errmsg();
    ck_assert_msg(allowed_error(e), "%s(\"%.120s\"): errno %d (%s)", what, s ? s : "(null)",
                  (int)e, m ? m : "(null)");
    ck_assert_msg(m && m[0] && strcmp(m, "primed") != 0, "%s(\"%.120s\"): no message", what,
                  s ? s : "(null)");
}

static nd_array *owner_of(nd_array *a)
{
    const nd_array *b = nd_base(a);
    return b ? (nd_array *)b : a;
}

/* A result array is consistent and every element is inside its owner. */
static void check_array(nd_array *r)
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

static snap take_snap(nd_array *a)
{
    nd_array *o = owner_of(a);
    snap s = {NULL, (size_t)nd_size(o) * nd_itemsize(o)};
    s.bytes = malloc(s.n + 1);
    ck_assert_ptr_nonnull(s.bytes);
    memcpy(s.bytes, nd_data(o), s.n);
    return s;
}

static void check_unchanged(nd_array *a, snap *s, const char *what, const char *idx)
{
    nd_array *o = owner_of(a);
    ck_assert_msg(memcmp(s->bytes, nd_data(o), s->n) == 0,
                  "%s(\"%.120s\") failed but changed the array", what, idx);
}

static void drop_snap(snap *s) { free(s->bytes); }

/* ---- random arrays ----------------------------------------------------------- */
static const nd_dtype *pick_dtype(void)
{
    const nd_dtype *const all[] = {ND_BOOL,   ND_INT8,   ND_INT16,  ND_INT32,
                                   ND_INT64,  ND_UINT8,  ND_UINT16, ND_UINT32,
                                   ND_UINT64, ND_FLOAT32, ND_FLOAT64};
    int k = rint_(12);
    return k == 11 ? rec_type() : all[k];
}

/* Random contents; bool bytes stay 0/1 (anything else is not a _Bool). */
static void fill_random(nd_array *a)
{
    char *p = nd_data(a);
    size_t n = (size_t)nd_size(a) * nd_itemsize(a);
    bool is_bool = nd_dtype_of(a) == ND_BOOL;
    for (size_t i = 0; i < n; i++)
        p[i] = (char)(is_bool ? rnd() & 1 : rnd() % 7);
}

static nd_array *random_owner(const nd_dtype *dt, int ndim, int maxdim)
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
static nd_array *random_array(void)
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
static nd_array *random_value(const nd_array *a)
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

/* ---- index strings ----------------------------------------------------------- */
static const char *const huge_ints[] = {
    "9223372036854775807", "-9223372036854775808", "9223372036854775808",
    "-9223372036854775809", "99999999999999999999999999999", "18446744073709551616",
    "4294967296", "-2147483649", "2147483648", "-0", "0x10", "1e3", "+1", "--1"};

static void gen_int(sbuf *b)
{
    char t[32];
    if (rint_(12) == 0) {
        sb_puts(b, huge_ints[rint_((int)(sizeof huge_ints / sizeof *huge_ints))]);
        return;
    }
    snprintf(t, sizeof t, "%d", rint_(13) - 6);
    sb_puts(b, t);
}

static void gen_list(sbuf *b, int depth, bool boolean)
{
    int n = rint_(4);
    sb_putc(b, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            sb_putc(b, ',');
        if (depth > 1 && (rint_(8) != 0 || i == 0))
            gen_list(b, depth - 1, boolean);
        else if (boolean)
            sb_puts(b, rint_(2) ? "True" : "False");
        else
            gen_int(b);
    }
    sb_putc(b, ']');
}

static void gen_item(sbuf *b)
{
    switch (rint_(10)) {
    case 0: case 1: gen_int(b); break;
    case 2: case 3:
        if (rint_(3))
            gen_int(b);
        sb_putc(b, ':');
        if (rint_(3))
            gen_int(b);
        if (rint_(2)) {
            sb_putc(b, ':');
            if (rint_(3))
                gen_int(b);
        }
        break;
    case 4: sb_puts(b, "None"); break;
    case 5: sb_puts(b, "..."); break;
    case 6: sb_puts(b, rint_(2) ? "True" : "False"); break;
    case 7: gen_list(b, 1 + rint_(3), rint_(3) == 0); break;
    case 8: sb_puts(b, rint_(2) ? "'x'" : "'q'"); break;
    default: sb_puts(b, rint_(2) ? "['x','z']" : "['y', 'x']"); break;
    }
}

static void gen_valid(sbuf *b)
{
    int n = rint_(6);
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(b, rint_(3) ? "," : ", ");
        gen_item(b);
    }
    if (n == 1 && rint_(4) == 0)
        sb_putc(b, ',');
}

static char random_char(void)
{
    static const char set[] = "[]():,.'\" -+0123456789NoneTrueFalse\t%x_";
    if (rint_(5) == 0)
        return (char)(1 + rint_(255));   /* any byte but NUL */
    return set[rint_((int)sizeof set - 1)];
}

static void mutate(sbuf *b)
{
    int m = rint_(4);
    for (int k = 0; k < m; k++) {
        size_t pos = b->n ? (size_t)rnd() % (b->n + 1) : 0;
        switch (rint_(3)) {
        case 0:                                         /* insert */
            sb_putc(b, ' ');
            memmove(b->s + pos + 1, b->s + pos, b->n - pos - 1);
            b->s[pos] = random_char();
            break;
        case 1:                                         /* delete */
            if (pos < b->n) {
                memmove(b->s + pos, b->s + pos + 1, b->n - pos);
                b->n--;
            }
            break;
        default:                                        /* replace */
            if (pos < b->n)
                b->s[pos] = random_char();
            break;
        }
    }
}

/* ---- one index string against one array ------------------------------------ */
/* Outcomes of the string cases, so a test can assert that its generator
 * reaches both the success and the failure paths. */
static struct {
    long parse_ok, parse_fail, get_ok, get_fail, set_ok, set_fail, alias_ok;
} seen;

static void check_parse(const char *s)
{
    nd_subscript sub;
    prime();
    if (nd_parse_index(s, &sub) == 0) {
        ck_assert_int_ge(sub.n, 0);
        ck_assert_int_le(sub.n, ND_MAX_ITEMS);
        ck_assert(sub.kind >= ND_SUB_BASIC && sub.kind <= ND_SUB_FIELDS);
        for (int i = 0; i < sub.n && sub.kind != ND_SUB_FIELDS; i++) {
            ck_assert(sub.item[i].kind >= ND_IX_INT && sub.item[i].kind <= ND_IX_FIELD);
            if (sub.item[i].kind == ND_IX_ARRAY) {
                ck_assert_ptr_nonnull(sub.item[i].arr);
                check_array((nd_array *)sub.item[i].arr);
            }
        }
        seen.parse_ok++;
    } else {
        check_fail("nd_parse_index", s);
        seen.parse_fail++;
    }

    nd_subscript_free(&sub);
}

static void check_get(nd_array *a, const char *s)
{
    prime();
    nd_array *r = nd_get(a, s);
    if (r) {
        check_array(r);
        seen.get_ok++;
    } else {
        check_fail("nd_get", s);
        seen.get_fail++;
    }
    nd_free(r);

    prime();
    r = nd_get_copy(a, s);
    if (r) {
        check_array(r);
        ck_assert_msg(nd_owns_data(r), "nd_get_copy(\"%.120s\") is a view", s);
    } else {
        check_fail("nd_get_copy", s);
    }
    nd_free(r);
}

static void check_set(nd_array *a, const char *s)
{
    bool ro = !nd_is_writeable(a);
    snap sn = take_snap(a);
    prime();
    int rc = nd_set_scalar(a, s, (double)(rint_(9) - 4));
    ck_assert(rc == 0 || rc == -1);
    ck_assert_msg(!(ro && rc == 0), "nd_set_scalar(\"%.120s\") wrote a read-only array", s);
    if (rc) {
        check_fail("nd_set_scalar", s);
        check_unchanged(a, &sn, "nd_set_scalar", s);
    }
    drop_snap(&sn);

    nd_array *v = random_value(a);
    sn = take_snap(a);
    prime();
    rc = nd_set(a, s, v);
    ck_assert(rc == 0 || rc == -1);
    ck_assert_msg(!(ro && rc == 0), "nd_set(\"%.120s\") wrote a read-only array", s);
    if (rc == 0)
        seen.set_ok++;
    else
        seen.set_fail++;
    if (rc) {
        check_fail("nd_set", s);
        check_unchanged(a, &sn, "nd_set", s);
    }
    drop_snap(&sn);
    nd_free(v);
}

/* a[s] = a[s][::-1]: a value that overlaps its destination must act as a
 * copy of itself taken before the write. Oracle: the same assignment from
 * nd_copy(value) on a restored snapshot gives the same bytes. */
static void check_set_aliased(nd_array *a, const char *s)
{
    nd_array *r = nd_get(a, s);
    if (!r)
        return;
    nd_array *v = nd_ndim(r) > 0 ? nd_flip(r, 0) : nd_view(r);
    nd_array *vc = nd_copy(v);
    ck_assert(v && vc);
    nd_array *o = owner_of(a);
    snap before = take_snap(a);
    prime();
    int rc1 = nd_set(a, s, v);
    snap after = take_snap(a);
    memcpy(nd_data(o), before.bytes, before.n);
    prime();
    int rc2 = nd_set(a, s, vc);
    seen.alias_ok += rc1 == 0;
    ck_assert_msg(rc1 == rc2, "a[\"%.120s\"] = view: rc %d, from a copy: rc %d", s, rc1, rc2);
    ck_assert_msg(memcmp(after.bytes, nd_data(o), after.n) == 0,
                  "a[\"%.120s\"] = a[...][::-1] differs from assigning a copy", s);
    drop_snap(&after);
    drop_snap(&before);
    nd_free(vc);
    nd_free(v);
    nd_free(r);
}

static void check_all(nd_array *a, const char *s)
{
    check_parse(s);
    check_get(a, s);
    check_set(a, s);
    check_set_aliased(a, s);
}

START_TEST(test_random_strings)
{
    rng_state = 0x9e3779b97f4a7c15u;
    memset(&seen, 0, sizeof seen);
    sbuf b = {0};
    for (int it = 0; it < 5000; it++) {
        nd_array *a = random_array();
        for (int j = 0; j < 3; j++) {
            sb_reset(&b);
            gen_valid(&b);
            if (rint_(5) < 2)
                mutate(&b);
            check_all(a, b.s);
        }
        nd_free(a);
    }
    free(b.s);
    /* the generator must reach both sides of every operation */
    ck_assert_int_gt(seen.parse_ok, 3000);
    ck_assert_int_gt(seen.parse_fail, 3000);
    ck_assert_int_gt(seen.get_ok, 3000);
    ck_assert_int_gt(seen.get_fail, 3000);
    ck_assert_int_gt(seen.set_ok, 1500);
    ck_assert_int_gt(seen.set_fail, 3000);
    ck_assert_int_gt(seen.alias_ok, 1500);
}
END_TEST

/* Allocation failure at every step of a get / set: each fails cleanly (any
 * allowed error, usually ND_ENOMEM), leaks nothing (LSan), and a failed set
 * leaves the array unchanged. */
START_TEST(test_alloc_failures)
{
    rng_state = 0xbb67ae8584caa73bu;
    sbuf b = {0};
    long failed = 0;
    for (int it = 0; it < 300; it++) {
        nd_array *a = random_array();
        nd_array *v = random_value(a);
        sb_reset(&b);
        gen_valid(&b);
        for (long budget = 0; budget < 8; budget++) {
            nd__alloc_budget(budget);
            prime();
            nd_array *r = nd_get(a, b.s);
            nd__alloc_budget(-1);
            if (r)
                check_array(r);
            else
                check_fail("nd_get under budget", b.s);
            nd_free(r);

            snap sn = take_snap(a);
            nd__alloc_budget(budget);
            prime();
            int rc = nd_set(a, b.s, v);
            nd__alloc_budget(-1);
            if (rc) {
                failed += nd_errno() == ND_ENOMEM;
                check_fail("nd_set under budget", b.s);
                check_unchanged(a, &sn, "nd_set under budget", b.s);
            }
            drop_snap(&sn);
        }
        nd_free(v);
        nd_free(a);
    }
    free(b.s);
    ck_assert_int_gt(failed, 100);
}
END_TEST

/* Pure garbage: random NUL-free bytes, and strings of grammar characters. */
START_TEST(test_garbage_strings)
{
    rng_state = 0x2545f4914f6cdd1du;
    sbuf b = {0};
    for (int it = 0; it < 600; it++) {
        nd_array *a = random_array();
        sb_reset(&b);
        int n = rint_(40);
        bool bytes = rint_(2);
        for (int i = 0; i < n; i++)
            sb_putc(&b, bytes ? (char)(1 + rint_(255)) : random_char());
        check_all(a, b.s);
        nd_free(a);
    }
    free(b.s);
}
END_TEST

/* Hand-made extremes, on a few arrays each. */
static const char *const fixed[] = {
    "[", "]", "[[", "]]", "[0", "0]", "'", "'x", "x'", "\"", "['x'", "['x',", "['x',]",
    "[,]", ",", ",,", ", ,", ":,:,", "(", ")", "()", "(0)", "(0,1)", "...,...", "....",
    "..", ". . .", ":::", "::::", "0:1:2:3", "::0", "1:2:0", "None None", "NoneNone",
    "Tru", "True False", "[True,0]", "[0,True]", "[[0],[0,1]]", "[[True],[False,True]]",
    "[[],[0]]", "[[]]", "[[[]]]", "'x','y'", "'x',0", "0,'x'", "['x',0]", "[0,'x']",
    "['x','x']", "['']", "''", "' '", "'\\''", "[-]", "[-0]", "[+0]", "- 1", "1 2",
    "\t0\t", " ", "  ,  ", "%", "%%", "%d", "%s%n", "\x01", "\xff", "0\xff",
    "9223372036854775807:9223372036854775807:9223372036854775807",
    "-9223372036854775808:-9223372036854775808:-9223372036854775808",
    "::-9223372036854775808", "::9223372036854775807",
    "[9223372036854775807]", "[-9223372036854775808]", "[99999999999999999999]",
    "...,None,None,None,None,None,None,None,None,None,None,None,None,None,None,None,"
    "None,None,None,None,None,None,None,None,None,None,None,None,None,None,None,None,None",
};

static char *repeat(const char *head, const char *unit, int n, const char *tail)
{
    sbuf b = {0};
    sb_puts(&b, head);
    for (int i = 0; i < n; i++) {
        if (i && unit[0] != '[' && unit[0] != ']')
            sb_putc(&b, ',');
        sb_puts(&b, unit);
    }
    sb_puts(&b, tail);
    return b.s;
}

START_TEST(test_extreme_strings)
{
    rng_state = 0x853c49e6748fea9bu;
    char *deep_open = repeat("", "[", 100, "0");
    char *deep = repeat("", "[", 100, "");
    char *closed = repeat("", "]", 100, "");
    size_t dl = strlen(deep), cl = strlen(closed);
    char *deep_ok = malloc(dl + cl + 2);
    ck_assert_ptr_nonnull(deep_ok);
    memcpy(deep_ok, deep, dl);
    deep_ok[dl] = '0';
    memcpy(deep_ok + dl + 1, closed, cl + 1);
    char *deep_many = repeat("", "[", 5000, "");
    char *many_ints = repeat("", "0", 10000, "");
    char *many_none = repeat("", "None", 10000, "");
    char *long_list = repeat("[", "1", 10000, "]");
    char *long_bools = repeat("[", "True", 10000, "]");
    char *many_ell = repeat("", "...", 65, "");
    char *items65 = repeat("", ":", 65, "");
    char *items64 = repeat("", "None", 64, "");
    char *fields = repeat("[", "'x'", 10000, "]");
    char *digits = repeat("", "9", 1, "");
    free(digits);
    sbuf dg = {0};
    for (int i = 0; i < 10000; i++)
        sb_putc(&dg, (char)('0' + i % 10));
    const char *big[] = {deep_open, deep,      deep_ok,   deep_many, many_ints, many_none,
                         long_list, long_bools, many_ell, items65,   items64,   fields,
                         dg.s};
    for (int k = 0; k < 6; k++) {
        nd_array *a = random_array();
        for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
            check_all(a, fixed[i]);
        for (size_t i = 0; i < sizeof big / sizeof *big; i++)
            check_all(a, big[i]);
        nd_free(a);
    }
    const char *all_big[] = {deep_open, deep, closed, deep_ok, deep_many, many_ints,
                             many_none, long_list, long_bools, many_ell, items65,
                             items64, fields, dg.s};
    for (size_t i = 0; i < sizeof all_big / sizeof *all_big; i++)
        free((void *)all_big[i]);
}
END_TEST

/* `%` sequences through nd_getf with arguments matching the format. */
START_TEST(test_getf)
{
    rng_state = 0xda3e39cb94b95bdbu;
    for (int it = 0; it < 300; it++) {
        nd_array *a = random_array();
        char junk[16];
        for (int i = 0; i < 15; i++)
            junk[i] = random_char();
        junk[15] = '\0';
        ANY(nd_getf(a, "%d", rint_(11) - 5));
        ANY(nd_getf(a, "%td:%td:%td", (ptrdiff_t)rnd(), (ptrdiff_t)(rint_(7) - 3),
                    (ptrdiff_t)rnd()));
        ANY(nd_getf(a, "%s", junk));
        ANY(nd_getf(a, "%%d%s", junk));
        ANY(nd_getf(a, "[%d,%d],%s", rint_(5), -rint_(5), rint_(2) ? "None" : "..."));
        ANY(nd_getf(a, "%*d", 5000, 1));              /* 5000 bytes of padding */
        nd_free(a);
    }
}
END_TEST

/* ---- part 2: NULL and absurd arguments ------------------------------------- */
/* A write that must fail and leave dst as it was. */
#define WRITE_FAILS(dst, call)                                                      \
    do {                                                                            \
        snap s_ = take_snap(dst);                                                   \
        FAILS_INT(call);                                                            \
        check_unchanged(dst, &s_, #call, "");                                       \
        drop_snap(&s_);                                                             \
    } while (0)

static nd_array *arr_i64(int ndim, const ptrdiff_t *sh)
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

START_TEST(test_null_args)
{
    ptrdiff_t sh[2] = {2, 3}, idx[2] = {0, 0};
    int axes[2] = {1, 0};
    nd_array *a = arr_i64(2, sh);
    const nd_array *lists[1] = {a};
    const char *names[1] = {"x"};
    nd_subscript sub;

    FAILS_NULL((nd_array *)nd_record(3, NULL, NULL));
    FAILS_NULL(nd_zeros(NULL, 2, sh));
    FAILS_NULL(nd_zeros(ND_INT64, 2, NULL));
    FAILS_NULL(nd_empty(NULL, 2, sh));
    FAILS_NULL(nd_empty(ND_INT64, 2, NULL));
    FAILS_NULL(nd_full(NULL, 2, sh, 1.0));
    FAILS_NULL(nd_full(ND_INT64, 2, NULL, 1.0));
    FAILS_NULL(nd_arange(NULL, 3));
    FAILS_NULL(nd_from_buffer(NULL, 2, sh, nd_data(a)));
    FAILS_NULL(nd_from_buffer(ND_INT64, 2, NULL, nd_data(a)));
    FAILS_NULL(nd_from_buffer(ND_INT64, 2, sh, NULL));
    nd_free(NULL);
    prime();
    ck_assert_ptr_null(nd_load_npy(NULL));
    ck_assert(nd_errno() != ND_OK && nd_errmsg()[0]);
    prime();
    ck_assert_int_eq(nd_save_npy(NULL, a), -1);
    prime();
    ck_assert_int_eq(nd_save_npy("/nonexistent-dir/x.npy", NULL), -1);

    FAILS_INT(nd_ndim(NULL));
    FAILS_NULL((nd_array *)nd_shape(NULL));
    FAILS_NULL((nd_array *)nd_strides(NULL));
    FAILS_INT((int)nd_size(NULL));
    FAILS_NULL((nd_array *)nd_dtype_of(NULL));
    prime();
    ck_assert_uint_eq(nd_itemsize(NULL), 0);
    FAILS_NULL((nd_array *)nd_data(NULL));
    FAILS_NULL((nd_array *)nd_ptr(NULL, idx));
    FAILS_NULL((nd_array *)nd_ptr(a, NULL));
    FAILS_NAN(nd_item(NULL, idx));
    FAILS_NAN(nd_item(a, NULL));
    prime();
    ck_assert_ptr_null(nd_repr(NULL));
    check_fail("nd_repr", "");
    FAILS_INT(nd_print(stdout, NULL));
    prime();
    ck_assert_int_eq(nd_print(NULL, a), -1);          /* a stream error: ND_EIO */
    ck_assert_int_eq(nd_errno(), ND_EIO);
    ck_assert_str_ne(nd_errmsg(), "primed");

    FAILS_NULL(nd_get(NULL, "0"));
    FAILS_NULL(nd_get(a, NULL));
    FAILS_NULL(nd_getf(NULL, "%d", 0));
    FAILS_NULL(nd_get_copy(NULL, "0"));
    FAILS_NULL(nd_get_copy(a, NULL));
    WRITE_FAILS(a, nd_set(NULL, "0", a));
    WRITE_FAILS(a, nd_set(a, NULL, a));
    WRITE_FAILS(a, nd_set(a, "0", NULL));
    WRITE_FAILS(a, nd_set_scalar(NULL, "0", 1.0));
    WRITE_FAILS(a, nd_set_scalar(a, NULL, 1.0));
    FAILS_NULL(nd_get_items(NULL, 0, NULL));
    FAILS_NULL(nd_get_items(a, 1, NULL));
    WRITE_FAILS(a, nd_set_items(NULL, 0, NULL, a));
    WRITE_FAILS(a, nd_set_items(a, 1, NULL, a));
    WRITE_FAILS(a, nd_set_items(a, 0, NULL, NULL));
    FAILS_NULL(nd_take(NULL, a, 0));
    FAILS_NULL(nd_take(a, NULL, 0));
    FAILS_NULL(nd_compress(NULL, a, 0));
    FAILS_NULL(nd_compress(a, NULL, 0));
    FAILS_NULL(nd_get_ix(NULL, 1, lists));
    FAILS_NULL(nd_get_ix(a, 2, NULL));
    FAILS_NULL(nd_field(NULL, "x"));
    FAILS_NULL(nd_field(a, NULL));
    FAILS_NULL(nd_fields(NULL, 1, names));
    FAILS_NULL(nd_fields(a, 1, NULL));

    FAILS_NULL(nd_view(NULL));
    FAILS_NULL(nd_transpose(NULL));
    FAILS_NULL(nd_permute(NULL, axes));
    ANY(nd_permute(a, NULL));                      /* axes=None: reversed */
    FAILS_NULL(nd_swapaxes(NULL, 0, 1));
    FAILS_NULL(nd_flip(NULL, 0));
    FAILS_NULL(nd_squeeze(NULL));
    FAILS_NULL(nd_expand_dims(NULL, 0));
    FAILS_NULL(nd_broadcast_to(NULL, 2, sh));
    FAILS_NULL(nd_broadcast_to(a, 2, NULL));
    FAILS_NULL(nd_diagonal(NULL));
    FAILS_NULL(nd_reshape(NULL, 2, sh));
    FAILS_NULL(nd_reshape(a, 2, NULL));
    FAILS_NULL(nd_ravel(NULL));
    FAILS_NULL(nd_copy(NULL));
    FAILS_NULL(nd_flatten(NULL));
    FAILS_NULL(nd_astype(NULL, ND_INT8));
    FAILS_NULL(nd_astype(a, NULL));

    FAILS_INT(nd_fill(NULL, 1.0));
    WRITE_FAILS(a, nd_assign(NULL, a));
    WRITE_FAILS(a, nd_assign(a, NULL));
    WRITE_FAILS(a, nd_iadd(a, NULL));
    WRITE_FAILS(a, nd_isub(a, NULL));
    WRITE_FAILS(a, nd_imul(a, NULL));
    WRITE_FAILS(a, nd_idiv(a, NULL));
    FAILS_INT(nd_iadd(NULL, a));
    FAILS_INT(nd_isub(NULL, a));
    FAILS_INT(nd_imul(NULL, a));
    FAILS_INT(nd_idiv(NULL, a));
    FAILS_INT(nd_iadd_scalar(NULL, 1));
    FAILS_INT(nd_isub_scalar(NULL, 1));
    FAILS_INT(nd_imul_scalar(NULL, 1));
    FAILS_INT(nd_idiv_scalar(NULL, 1));

    FAILS_NULL(nd_add(NULL, a));
    FAILS_NULL(nd_sub(a, NULL));
    FAILS_NULL(nd_mul(NULL, NULL));
    FAILS_NULL(nd_div(a, NULL));
    FAILS_NAN(nd_sum(NULL));
    FAILS_NAN(nd_mean(NULL));
    FAILS_NAN(nd_std(NULL));
    FAILS_NULL(nd_mean_axis(NULL, 0));
    FAILS_NULL(nd_std_axis(NULL, 0));
    FAILS_NULL(nd_gt_scalar(NULL, 0));
    FAILS_NULL(nd_lt_scalar(NULL, 0));
    FAILS_NULL(nd_eq_scalar(NULL, 0));
    FAILS_NULL(nd_logical_and(NULL, a));
    FAILS_NULL(nd_logical_or(a, NULL));
    FAILS_NULL(nd_logical_not(NULL));

    FAILS_INT(nd_shares_memory(NULL, a));
    FAILS_INT(nd_shares_memory(a, NULL));
    prime();
    ck_assert(!nd_may_share_memory(NULL, a));
    FAILS_NULL((nd_array *)nd_base(NULL));
    ck_assert(!nd_owns_data(NULL));
    ck_assert(!nd_is_writeable(NULL));
    FAILS_INT(nd_set_writeable(NULL, true));

    ck_assert_ptr_nonnull(nd_errmsg());
    FAILS_INT(nd_parse_index(NULL, &sub));
    nd_subscript_free(&sub);
    FAILS_INT(nd_parse_index("0", NULL));
    nd_subscript_free(NULL);
    nd_free(a);
}
END_TEST

START_TEST(test_absurd_shapes)
{
    ptrdiff_t sh33[33], neg[2] = {2, -1}, big[2] = {(ptrdiff_t)1 << 40, (ptrdiff_t)1 << 40};
    ptrdiff_t bytes_over[1] = {(ptrdiff_t)1 << 61}, maxp[2] = {PTRDIFF_MAX, 2};
    ptrdiff_t minp[1] = {PTRDIFF_MIN};
    for (int k = 0; k < 33; k++)
        sh33[k] = 1;
    const nd_dtype *rt = rec_type();
    const nd_dtype *dts[] = {ND_INT8, ND_INT64, ND_BOOL, rt};
    for (size_t d = 0; d < 4; d++) {
        const nd_dtype *dt = dts[d];
        FAILS_NULL(nd_zeros(dt, 33, sh33));
        FAILS_NULL(nd_zeros(dt, -1, sh33));
        FAILS_NULL(nd_zeros(dt, INT_MIN, sh33));
        FAILS_NULL(nd_empty(dt, INT_MAX, sh33));
        FAILS_NULL(nd_zeros(dt, 2, neg));
        FAILS_NULL(nd_empty(dt, 2, big));
        FAILS_NULL(nd_full(dt, 2, maxp, 0));
        FAILS_NULL(nd_zeros(dt, 1, minp));
        FAILS_NULL(nd_from_buffer(dt, 33, sh33, "abc"));
        FAILS_NULL(nd_from_buffer(dt, 2, big, "abc"));
        /* byte sizes that overflow; sizes that merely exceed memory are
         * left out: ASan aborts on those allocations by design */
        if (dt == ND_INT64 || dt == rt) {
            FAILS_NULL(nd_arange(ND_INT64, PTRDIFF_MAX));
            FAILS_NULL(nd_empty(dt, 1, bytes_over));
        }
        ANY(nd_arange(dt, -5));
    }
    ANY(nd_arange(ND_INT64, PTRDIFF_MIN));         /* np.arange(-n): empty */
    ANY(nd_arange(rt, 4));
}
END_TEST

START_TEST(test_absurd_views)
{
    ptrdiff_t sh[3] = {2, 3, 4};
    nd_array *a = arr_i64(3, sh);
    int rep[3] = {0, 0, 1}, oob[3] = {0, 1, 3}, negax[3] = {-1, 0, 1}, huge[3] = {INT_MAX, 0, 1};
    int minax[3] = {INT_MIN, 0, 1};
    FAILS_NULL(nd_permute(a, rep));
    FAILS_NULL(nd_permute(a, oob));
    FAILS_NULL(nd_permute(a, huge));
    FAILS_NULL(nd_permute(a, minax));
    ANY(nd_permute(a, negax));
    int bad_axes[] = {3, -4, 99, -99, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof bad_axes / sizeof *bad_axes; i++) {
        int ax = bad_axes[i];
        FAILS_NULL(nd_swapaxes(a, ax, 0));
        FAILS_NULL(nd_swapaxes(a, 0, ax));
        FAILS_NULL(nd_flip(a, ax));
        FAILS_NULL(nd_mean_axis(a, ax));
        FAILS_NULL(nd_std_axis(a, ax));
        FAILS_NULL(nd_take(a, a, ax));
        FAILS_NULL(nd_compress(a, a, ax));
        if (ax != 3 && ax != -4)
            FAILS_NULL(nd_expand_dims(a, ax));
    }
    FAILS_NULL(nd_expand_dims(a, 4));
    FAILS_NULL(nd_expand_dims(a, -5));

    ptrdiff_t sh33[33], bad1[2] = {5, 4}, neg[3] = {2, -3, 4}, big[4] = {1 << 20, 1 << 20, 3, 4};
    for (int k = 0; k < 33; k++)
        sh33[k] = 1;
    sh33[30] = 2, sh33[31] = 3, sh33[32] = 4;
    FAILS_NULL(nd_broadcast_to(a, 33, sh33));
    FAILS_NULL(nd_broadcast_to(a, -1, sh));
    FAILS_NULL(nd_broadcast_to(a, 2, bad1));
    FAILS_NULL(nd_broadcast_to(a, 3, neg));
    FAILS_NULL(nd_broadcast_to(a, 4, (ptrdiff_t[]){PTRDIFF_MAX, PTRDIFF_MAX, 3, 4}));
    ANY(nd_broadcast_to(a, 4, big));

    ptrdiff_t r1[2] = {5, 5}, r2[2] = {-1, -1}, r3[2] = {-2, 12}, r4[2] = {0, -1};
    ptrdiff_t r5[2] = {(ptrdiff_t)1 << 62, 4}, r6[2] = {-1, 0};
    FAILS_NULL(nd_reshape(a, 2, r1));
    FAILS_NULL(nd_reshape(a, 2, r2));
    ANY(nd_reshape(a, 2, r3));                     /* NumPy 1.24: any < 0 is unknown */
    FAILS_NULL(nd_reshape(a, 2, r4));
    FAILS_NULL(nd_reshape(a, 2, r5));
    FAILS_NULL(nd_reshape(a, 2, r6));
    FAILS_NULL(nd_reshape(a, 33, sh33));
    FAILS_NULL(nd_reshape(a, -1, sh));

    ptrdiff_t one = 4;
    nd_array *v = arr_i64(1, &one);
    FAILS_NULL(nd_diagonal(v));
    nd_array *z0 = nd_zeros(ND_INT64, 0, NULL);
    ck_assert_ptr_nonnull(z0);
    FAILS_NULL(nd_diagonal(z0));
    FAILS_NULL(nd_flip(z0, 0));
    FAILS_NULL(nd_swapaxes(z0, 0, 0));
    ANY(nd_expand_dims(z0, 0));
    ANY(nd_expand_dims(z0, -1));

    /* 32 dims: expand_dims and broadcast past the limit fail cleanly. */
    ptrdiff_t sh32[32];
    for (int k = 0; k < 32; k++)
        sh32[k] = 1;
    nd_array *m = nd_zeros(ND_INT8, 32, sh32);
    ck_assert_ptr_nonnull(m);
    FAILS_NULL(nd_expand_dims(m, 0));
    FAILS_NULL(nd_get(m, "None"));
    FAILS_NULL(nd_get(m, "0,None,None"));
    ANY(nd_get(m, "0,None"));
    FAILS_NULL(nd_get(m, "[0],None"));
    FAILS_NULL(nd_get(z0, "None,None,None,None,None,None,None,None,None,None,None,None,"
                           "None,None,None,None,None,None,None,None,None,None,None,None,"
                           "None,None,None,None,None,None,None,None,None"));
    ANY(nd_get(m, "[[[[0]]]],[[[[0]]]]"));
    ANY(nd_add(m, a));
    nd_free(m);

    nd_free(v);
    nd_free(z0);
    nd_free(a);
}
END_TEST

START_TEST(test_absurd_take_ix_fields)
{
    ptrdiff_t sh[2] = {3, 4}, two[2] = {2, 2}, n3 = 3;
    nd_array *a = arr_i64(2, sh);
    nd_array *f = nd_full(ND_FLOAT64, 1, &n3, 1.0);
    nd_array *big = nd_full(ND_INT64, 1, &n3, 7.0);
    nd_array *negbig = nd_full(ND_INT64, 1, &n3, -9e18);
    nd_array *u = nd_full(ND_UINT64, 1, &n3, 1.8e19);
    nd_array *l2 = arr_i64(2, two);
    nd_array *bmask = nd_full(ND_BOOL, 1, &n3, 1);
    ptrdiff_t n9 = 9;
    nd_array *long_mask = nd_full(ND_BOOL, 1, &n9, 1);
    const nd_dtype *rt = rec_type();
    nd_array *rec = nd_zeros(rt, 1, &n3);
    ck_assert(f && big && negbig && u && l2 && bmask && long_mask && rec);

    FAILS_NULL(nd_take(a, f, 0));
    FAILS_NULL(nd_take(a, big, 0));
    FAILS_NULL(nd_take(a, negbig, 1));
    FAILS_NULL(nd_take(a, u, 0));
    FAILS_NULL(nd_take(a, rec, 0));
    FAILS_NULL(nd_take(rec, big, 0));
    ANY(nd_take(a, bmask, 0));
    ANY(nd_compress(a, f, 0));                     /* NumPy truthiness */
    FAILS_NULL(nd_compress(a, rec, 0));
    FAILS_NULL(nd_compress(a, l2, 0));
    ANY(nd_compress(a, long_mask, 0));
    ANY(nd_compress(a, big, 1));

    const nd_array *ix2[2] = {l2, big};
    const nd_array *ixf[2] = {f, big};
    const nd_array *ixnull[2] = {big, NULL};
    const nd_array *ixoob[2] = {big, big};
    const nd_array *ixrec[2] = {rec, big};
    const nd_array *ix3[3] = {big, big, big};
    FAILS_NULL(nd_get_ix(a, 2, ix2));
    FAILS_NULL(nd_get_ix(a, 2, ixf));
    FAILS_NULL(nd_get_ix(a, 2, ixnull));
    FAILS_NULL(nd_get_ix(a, 2, ixoob));
    FAILS_NULL(nd_get_ix(a, 2, ixrec));
    FAILS_NULL(nd_get_ix(a, 3, ix3));
    FAILS_NULL(nd_get_ix(a, -1, ix3));
    FAILS_NULL(nd_get_ix(a, INT_MAX, ix3));
    ANY(nd_get_ix(a, 0, ix3));

    const char *dup[2] = {"x", "x"}, *unk[2] = {"x", "nope"}, *nul[2] = {"x", NULL};
    const char *empty[1] = {""};
    FAILS_NULL(nd_field(a, "x"));
    FAILS_NULL(nd_field(rec, "nope"));
    FAILS_NULL(nd_field(rec, ""));
    FAILS_NULL(nd_fields(rec, 2, dup));
    FAILS_NULL(nd_fields(rec, 2, unk));
    FAILS_NULL(nd_fields(rec, 2, nul));
    FAILS_NULL(nd_fields(rec, 1, empty));
    FAILS_NULL(nd_fields(rec, -1, dup));
    FAILS_NULL(nd_fields(a, 1, dup));
    ANY(nd_fields(rec, 0, dup));

    const char *n3names[3] = {"a", "b", "c"}, *ndup[3] = {"a", "b", "a"};
    const char *nnull[3] = {"a", NULL, "c"}, *nempty[3] = {"a", "", "c"};
    const nd_dtype *t3[3] = {ND_INT8, ND_INT16, ND_INT32}, *tnull[3] = {ND_INT8, NULL, ND_INT8};
    const nd_dtype *tnest[3] = {ND_INT8, rt, ND_INT32};
    FAILS_NULL((nd_array *)nd_record(0, n3names, t3));
    FAILS_NULL((nd_array *)nd_record(-1, n3names, t3));
    FAILS_NULL((nd_array *)nd_record(INT_MIN, n3names, t3));
    FAILS_NULL((nd_array *)nd_record(3, NULL, t3));
    FAILS_NULL((nd_array *)nd_record(3, n3names, NULL));
    FAILS_NULL((nd_array *)nd_record(3, ndup, t3));
    FAILS_NULL((nd_array *)nd_record(3, nnull, t3));
    FAILS_NULL((nd_array *)nd_record(3, nempty, t3));
    FAILS_NULL((nd_array *)nd_record(3, n3names, tnull));
    prime();
    const nd_dtype *nest = nd_record(3, n3names, tnest);
    if (!nest)
        check_fail("nd_record nested", "");

    /* Writes that must fail and leave the destination unchanged. */
    nd_array *ro = nd_broadcast_to(big, 2, (ptrdiff_t[]){2, 3});
    ck_assert_ptr_nonnull(ro);
    WRITE_FAILS(ro, nd_fill(ro, 1));
    WRITE_FAILS(ro, nd_assign(ro, big));
    WRITE_FAILS(ro, nd_iadd_scalar(ro, 1));
    WRITE_FAILS(ro, nd_set_scalar(ro, "", 1));
    WRITE_FAILS(ro, nd_set(ro, "...", big));
    WRITE_FAILS(a, nd_assign(a, l2));
    WRITE_FAILS(a, nd_iadd(a, l2));
    WRITE_FAILS(a, nd_imul(a, f));                 /* float into int64: same_kind */
    WRITE_FAILS(big, nd_iadd(big, a));             /* would need to grow big */
    WRITE_FAILS(a, nd_assign(a, rec));
    WRITE_FAILS(rec, nd_iadd(rec, big));
    WRITE_FAILS(rec, nd_iadd_scalar(rec, 1));
    WRITE_FAILS(bmask, nd_isub(bmask, bmask));
    FAILS_NULL(nd_add(a, l2));
    FAILS_NULL(nd_add(rec, rec));
    FAILS_NULL(nd_sub(bmask, bmask));
    FAILS_NULL(nd_logical_and(a, l2));
    FAILS_NULL(nd_gt_scalar(rec, 0));
    FAILS_NAN(nd_sum(rec));
    FAILS_NAN(nd_mean(rec));
    FAILS_NULL(nd_mean_axis(rec, 0));
    FAILS_NULL(nd_get(a, "[0,1],[0,1,2]"));
    FAILS_NULL(nd_get_items(a, -1, &(struct nd_index){0}));

    /* NumPy 1.24 lets a broadcast view become writeable again (section
     * 11.3: its owner is writeable); either way nothing may break */
    prime();
    int rc = nd_set_writeable(ro, true);
    if (rc)
        check_fail("nd_set_writeable", "");
    nd_free(ro);
    nd_free(rec);
    nd_free(long_mask);
    nd_free(bmask);
    nd_free(l2);
    nd_free(u);
    nd_free(negbig);
    nd_free(big);
    nd_free(f);
    nd_free(a);
}
END_TEST

START_TEST(test_bad_element_access)
{
    ptrdiff_t sh[2] = {2, 3};
    nd_array *a = arr_i64(2, sh);
    ptrdiff_t bad[][2] = {{2, 0}, {0, 3}, {-1, 0}, {0, -4}, {PTRDIFF_MAX, 0},
                          {PTRDIFF_MIN, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        prime();
        void *p = nd_ptr(a, bad[i]);
        if (p) {
            char *lo = nd_data(a);
            ck_assert((char *)p >= lo && (char *)p < lo + 6 * 8);
        } else {
            check_fail("nd_ptr", "");
        }
        prime();
        double d = nd_item(a, bad[i]);
        if (isnan(d))
            check_fail("nd_item", "");
    }
    nd_free(a);
}
END_TEST

/* ---- part 3: run-time index items ------------------------------------------- */
static ptrdiff_t rand_pd(void)
{
    static const ptrdiff_t edge[] = {PTRDIFF_MIN, PTRDIFF_MAX, PTRDIFF_MIN + 1,
                                     PTRDIFF_MAX - 1, ND_END, INT_MAX, INT_MIN, 0};
    if (rint_(6) == 0)
        return edge[rint_(8)];
    return rint_(13) - 6;
}

START_TEST(test_random_items)
{
    rng_state = 0x6a09e667f3bcc908u;
    ptrdiff_t n3 = 3, two[2] = {2, 2}, zero = 0;
    nd_array *pool[12];
    pool[0] = nd_arange(ND_INT64, 3);
    pool[1] = nd_full(ND_FLOAT64, 1, &n3, 1.0);
    pool[2] = nd_full(ND_BOOL, 1, &n3, 1.0);
    pool[3] = nd_full(ND_UINT64, 1, &n3, 1.8e19);
    pool[4] = nd_zeros(rec_type(), 1, &n3);
    pool[5] = arr_i64(2, two);
    pool[6] = nd_full(ND_INT8, 0, NULL, -1);
    pool[7] = nd_zeros(ND_BOOL, 1, &zero);
    pool[8] = nd_full(ND_INT64, 1, &n3, -9e18);
    pool[9] = nd_full(ND_BOOL, 0, NULL, 1);
    /* long lone int64 arrays take the direct gather / scatter path: one
     * in range for axes of length 4, one with a single bad value last */
    ptrdiff_t nlong = 3000;
    pool[10] = nd_empty(ND_INT64, 1, &nlong);
    pool[11] = nd_empty(ND_INT64, 1, &nlong);
    ck_assert(pool[10] && pool[11]);
    for (ptrdiff_t i = 0; i < nlong; i++) {
        ((int64_t *)nd_data(pool[10]))[i] = rint_(8) - 4;
        ((int64_t *)nd_data(pool[11]))[i] = i + 1 < nlong ? 0 : 4;
    }
    for (int i = 0; i < 12; i++)
        ck_assert_ptr_nonnull(pool[i]);
    static const char *const names[] = {"x", "y", "nope", "", NULL};
    struct nd_index items[80];
    for (int it = 0; it < 3000; it++) {
        nd_array *a = random_array();
        int n = rint_(10) == 0 ? (rint_(2) ? -rint_(4) - 1 : 64 + rint_(16)) : rint_(6);
        int cap = n > 0 ? n : 0;
        for (int i = 0; i < cap; i++) {
            struct nd_index *x = &items[i];
            memset(x, 0, sizeof *x);
            int k = rint_(9);
            x->kind = k == 8 ? (nd_index_kind)(7 + rint_(100)) : (nd_index_kind)(k % 7);
            x->i = rand_pd();
            x->start = rand_pd();
            x->stop = rand_pd();
            x->step = rand_pd();
            x->arr = rint_(8) == 0 ? NULL : pool[rint_(12)];
            x->name = names[rint_(5)];
        }
        prime();
        nd_array *r = nd_get_items(a, n, items);
        if (r)
            check_array(r);
        else
            check_fail("nd_get_items", "");
        nd_free(r);

        bool ro = !nd_is_writeable(a);
        nd_array *v = rint_(6) == 0 ? NULL : random_value(a);
        snap sn = take_snap(a);
        prime();
        int rc = nd_set_items(a, n, items, v);
        ck_assert(rc == 0 || rc == -1);
        ck_assert(!(ro && rc == 0));
        ck_assert(!(v == NULL && rc == 0));
        if (rc) {
            check_fail("nd_set_items", "");
            check_unchanged(a, &sn, "nd_set_items", "");
        }
        drop_snap(&sn);
        nd_free(v);
        nd_free(a);
    }
    for (int i = 0; i < 12; i++)
        nd_free(pool[i]);
}
END_TEST

/* ---- regressions found by this suite ----------------------------------------- */
START_TEST(test_regressions)
{
    ptrdiff_t sh[2] = {2, 3};
    nd_array *a = arr_i64(2, sh);
    ck_assert_ptr_nonnull(a);
    nd_free(a);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("robust");
    TCase *tc = tcase_create("robust");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_random_strings);
    tcase_add_test(tc, test_garbage_strings);
    tcase_add_test(tc, test_alloc_failures);
    tcase_add_test(tc, test_extreme_strings);
    tcase_add_test(tc, test_getf);
    tcase_add_test(tc, test_null_args);
    tcase_add_test(tc, test_absurd_shapes);
    tcase_add_test(tc, test_absurd_views);
    tcase_add_test(tc, test_absurd_take_ix_fields);
    tcase_add_test(tc, test_bad_element_access);
    tcase_add_test(tc, test_random_items);
    tcase_add_test(tc, test_regressions);
    suite_add_tcase(s, tc);
    return s;
}
