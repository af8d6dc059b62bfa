/*
 * nd_bench.c - times libnd on the operations of NumPy's own indexing
 * benchmarks (benchmarks/bench_indexing.py), for runtime_bench.py to set
 * beside NumPy's times for the same operations on the same data.
 *
 * Output: one line per operation, `key<TAB>size<TAB>seconds`, where seconds
 * is the best (minimum) time of one call over several samples. The key is
 * the operation as written in NumPy; runtime_bench.py runs that same
 * expression and joins on the key, so the two files must agree on keys.
 *
 * Key idea of the timing: a sample runs the operation `inner` times back to
 * back (inner chosen so a sample lasts about 2 ms, 1 for the large
 * operations) and is timed with CLOCK_MONOTONIC; the best of the samples is
 * the least disturbed by the machine, as in NumPy's asv and timeit.
 *
 * The data is generated here, not loaded: indices, shuffles and masks come
 * from splitmix64 of the element number and a 64-bit LCG, which
 * runtime_bench.py computes identically with NumPy, so both sides index the
 * same arrays with the same indices.
 *
 * Invariants: every timed call's result is checked (a failed call aborts
 * the run with libnd's message: a benchmark of an error path is worthless)
 * and every array it returns is freed inside the timed loop, as Python's
 * reference counting frees it there too.
 *
 * It does not compare results with NumPy (the conformance tests do that),
 * and it is not built by default: `make bench` builds and runs it.
 */
#include <nd.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- timing ---------------------------------------------------------- */

typedef void (*bench_fn)(void *ctx);

static int n_samples = 7;
static double sample_target = 2e-3;   /* seconds per sample, small operations */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Best time of one call of fn(ctx), in seconds. */
static double best_of(bench_fn fn, void *ctx)
{
    double t0 = now();
    fn(ctx);                                 /* warm-up and calibration */
    double once = now() - t0;
    long inner = 1;
    if (once < sample_target)
        inner = once > 0 ? (long)(sample_target / once) + 1 : 100000;
    if (inner > 100000)
        inner = 100000;
    double best = -1;
    for (int s = 0; s < n_samples; s++) {
        t0 = now();
        for (long i = 0; i < inner; i++)
            fn(ctx);
        double t = (now() - t0) / (double)inner;
        if (best < 0 || t < best)
            best = t;
    }
    return best;
}

static void report(const char *key, const char *size, bench_fn fn, void *ctx)
{
    printf("%s\t%s\t%.9g\n", key, size, best_of(fn, ctx));
    fflush(stdout);
}

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "nd-bench: %s: %s\n", what, nd_errmsg());
    exit(1);
}

static nd_array *check(nd_array *a, const char *what)
{
    if (!a)
        die(what);
    return a;
}

/* ---- the shared pseudo-random data (mirrored in runtime_bench.py) ------ */

static uint64_t splitmix64(uint64_t i, uint64_t seed)
{
    uint64_t z = seed + (i + 1) * UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t lcg_state;

static uint64_t lcg(void)
{
    lcg_state = lcg_state * UINT64_C(6364136223846793005) +
                UINT64_C(1442695040888963407);
    return lcg_state >> 33;
}

/* A bool array of shape, element i true when bit 63 of splitmix64(i) is. */
static nd_array *random_mask(int ndim, const ptrdiff_t *shape, uint64_t seed)
{
    nd_array *m = check(nd_empty(ND_BOOL, ndim, shape), "mask");
    bool *p = nd_data(m);
    for (ptrdiff_t i = 0, n = nd_size(m); i < n; i++)
        p[i] = (splitmix64((uint64_t)i, seed) >> 63) != 0;
    return m;
}

/* NumPy's get_indexes_(): 0..99 without 5 and 96 (range(1000), pop(5),
 * pop(95), keep < 100); shuffled with Fisher-Yates over lcg() if asked. */
static nd_array *indexes_98(bool shuffled)
{
    int64_t v[98];
    int n = 0;
    for (int i = 0; i < 100; i++)
        if (i != 5 && i != 96)
            v[n++] = i;
    if (shuffled) {
        lcg_state = 1;
        for (int i = n - 1; i > 0; i--) {
            int j = (int)(lcg() % (uint64_t)(i + 1));
            int64_t t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
    }
    ptrdiff_t shape[1] = {n};
    return check(nd_from_buffer(ND_INT64, 1, shape, v), "indexes");
}

/* ---- operations -------------------------------------------------------- */

struct op {
    nd_array *a;                   /* the array indexed or written */
    const nd_array *value;         /* what a set writes (0-d, broadcast) */
    int n_items;
    struct nd_index items[3];
    const nd_array *lists[2];      /* nd_get_ix */
    const char *text;              /* string index for nd_get */
    const ptrdiff_t *at;           /* nd_item */
    const nd_array *indices;       /* nd_take */
    void *dst, *src;               /* memcpy */
    size_t n_bytes;
    nd_array *const *pairs;        /* nd_shares_memory: 2 * n_pairs views */
    int n_pairs;
};

static void op_get_items(void *ctx)
{
    struct op *o = ctx;
    nd_free(check(nd_get_items(o->a, o->n_items, o->items), "get"));
}

static void op_set_items(void *ctx)
{
    struct op *o = ctx;
    if (nd_set_items(o->a, o->n_items, o->items, o->value) != 0)
        die("set");
}

static void op_get_ix(void *ctx)
{
    struct op *o = ctx;
    nd_free(check(nd_get_ix(o->a, 2, o->lists), "get_ix"));
}

static void op_item_x100(void *ctx)
{
    struct op *o = ctx;
    volatile double sink = 0;
    for (int i = 0; i < 100; i++)
        sink += nd_item(o->a, o->at);
    (void)sink;
}

static void op_get_text_x100(void *ctx)
{
    struct op *o = ctx;
    for (int i = 0; i < 100; i++)
        nd_free(check(nd_get(o->a, o->text), "get"));
}

static void op_copy(void *ctx)
{
    struct op *o = ctx;
    nd_free(check(nd_copy(o->a), "copy"));
}

static void op_get_copy(void *ctx)
{
    struct op *o = ctx;
    nd_free(check(nd_get_copy(o->a, o->text), "get_copy"));
}

static void op_take(void *ctx)
{
    struct op *o = ctx;
    nd_free(check(nd_take(o->a, o->indices, 0), "take"));
}

static void op_memcpy(void *ctx)
{
    struct op *o = ctx;
    memcpy(o->dst, o->src, o->n_bytes);
    __asm__ __volatile__("" ::"r"(o->dst) : "memory");   /* keep the copy */
}

static void op_shares(void *ctx)
{
    struct op *o = ctx;
    for (int i = 0; i < o->n_pairs; i++)
        if (nd_shares_memory(o->pairs[2 * i], o->pairs[2 * i + 1]) < 0)
            die("shares_memory");
}

/* ---- the benchmark groups --------------------------------------------- */

/* A 1000x1000 base whose element i is i % 997. */
static nd_array *square(const nd_dtype *dt)
{
    ptrdiff_t shape[2] = {1000, 1000};
    nd_array *flat = check(nd_arange(ND_INT64, 1000 * 1000), "arange");
    int64_t *p = nd_data(flat);
    for (ptrdiff_t i = 0; i < 1000 * 1000; i++)
        p[i] %= 997;
    nd_array *r = check(nd_reshape(flat, 2, shape), "reshape");
    nd_array *out = check(nd_astype(r, dt), "astype");
    nd_free(r);
    nd_free(flat);
    return out;
}

/* bench_indexing.py Indexing: a = square[::10, ::10] (100x100, strided),
 * I = 98 sorted or shuffled indices; a[I], a[:,I], a[ix_(I,I)], get and
 * `= 1`. ix_(I,I) is I as a column and as a row, broadcast together. */
static void bench_view_indexing(void)
{
    static const char *const dt_names[2] = {"float64", "int16"};
    const nd_dtype *dts[2] = {ND_FLOAT64, ND_INT16};
    for (int d = 0; d < 2; d++) {
        nd_array *base = square(dts[d]);
        nd_array *a = check(nd_get(base, "::10, ::10"), "view");
        nd_array *one = check(nd_full(dts[d], 0, NULL, 1), "full");
        for (int shuffled = 0; shuffled < 2; shuffled++) {
            nd_array *idx = indexes_98(shuffled);
            nd_array *col = check(nd_get(idx, ":, None"), "column");
            const char *order = shuffled ? "shuffled" : "sorted";
            static const char *const sels[3] = {"a[I]", "a[:,I]", "a[ix_(I,I)]"};
            for (int s = 0; s < 3; s++) {
                struct op o = {.a = a, .value = one};
                if (s == 0) {
                    o.n_items = 1;
                    o.items[0] = ND_ARRAY(idx);
                } else if (s == 1) {
                    o.n_items = 2;
                    o.items[0] = ND_ALL;
                    o.items[1] = ND_ARRAY(idx);
                } else {
                    o.n_items = 2;
                    o.items[0] = ND_ARRAY(col);
                    o.items[1] = ND_ARRAY(idx);
                    o.lists[0] = idx;
                    o.lists[1] = idx;
                }
                char key[128];
                snprintf(key, sizeof key, "%s %s I=%s", sels[s], dt_names[d], order);
                report(key, "100x100 view, 98 idx", s == 2 ? op_get_ix : op_get_items, &o);
                snprintf(key, sizeof key, "%s=1 %s I=%s", sels[s], dt_names[d], order);
                report(key, "100x100 view, 98 idx", op_set_items, &o);
            }
            nd_free(col);
            nd_free(idx);
        }
        nd_free(one);
        nd_free(a);
        nd_free(base);
    }
}

/* bench_indexing.py IndexingWith1DArr: arr = ones(shape), arr[arange(1000)]
 * (arr[:, arange(1000)] for the 3-d shape), get and `= 0`. */
static void bench_arange_index(void)
{
    static const struct { int ndim; ptrdiff_t shape[3]; const char *key, *size; } cases[] = {
        {1, {1000}, "arr[arange(1000)]", "(1000,)"},
        {2, {1000, 2}, "arr[arange(1000)]", "(1000,2)"},
        {3, {2, 1000, 1}, "arr[:,arange(1000)]", "(2,1000,1)"},
        {2, {1000, 3}, "arr[arange(1000)]", "(1000,3)"},
    };
    nd_array *idx = check(nd_arange(ND_INT64, 1000), "arange");
    nd_array *zero = check(nd_zeros(ND_FLOAT64, 0, NULL), "zeros");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        nd_array *arr = check(nd_full(ND_FLOAT64, cases[c].ndim, cases[c].shape, 1), "full");
        struct op o = {.a = arr, .value = zero};
        if (cases[c].ndim == 3) {
            o.n_items = 2;
            o.items[0] = ND_ALL;
            o.items[1] = ND_ARRAY(idx);
        } else {
            o.n_items = 1;
            o.items[0] = ND_ARRAY(idx);
        }
        char key[128];
        snprintf(key, sizeof key, "%s %s", cases[c].key, cases[c].size);
        report(key, cases[c].size, op_get_items, &o);
        snprintf(key, sizeof key, "%s=0 %s", cases[c].key, cases[c].size);
        report(key, cases[c].size, op_set_items, &o);
        nd_free(arr);
    }
    nd_free(zero);
    nd_free(idx);
}

/* bench_indexing.py ScalarIndexing: arr = ones((5,)*ndim), 100 times
 * arr[(1,)*ndim]; once with nd_item (a double) and once with nd_get (a 0-d
 * array from the index string, as NumPy parses its tuple each time). */
static void bench_scalar(void)
{
    static const char *const texts[3] = {"", "1", "1, 1"};
    const ptrdiff_t ones[2] = {1, 1};
    for (int ndim = 0; ndim < 3; ndim++) {
        ptrdiff_t shape[2] = {5, 5};
        nd_array *arr = check(nd_full(ND_FLOAT64, ndim, shape, 1), "full");
        struct op o = {.a = arr, .at = ones, .text = texts[ndim]};
        char key[128], size[32];
        snprintf(size, sizeof size, "ndim %d, 100 gets", ndim);
        snprintf(key, sizeof key, "scalar x100 ndim=%d nd_item", ndim);
        report(key, size, op_item_x100, &o);
        snprintf(key, sizeof key, "scalar x100 ndim=%d nd_get", ndim);
        report(key, size, op_get_text_x100, &o);
        nd_free(arr);
    }
}

/* base[mask] = 7 on a 64^3 uint32 array, C and Fortran order. The Fortran
 * array is the transpose of a C array: same shape, reversed strides. */
static void bench_mask_set(void)
{
    ptrdiff_t shape[3] = {64, 64, 64};
    nd_array *mask = random_mask(3, shape, 7);
    nd_array *seven = check(nd_full(ND_UINT32, 0, NULL, 7), "full");
    nd_array *c = check(nd_zeros(ND_UINT32, 3, shape), "zeros");
    nd_array *f = check(nd_transpose(c), "transpose");
    struct op o = {.value = seven, .n_items = 1};
    o.items[0] = ND_ARRAY(mask);
    o.a = c;
    report("base[mask]=7 C-order", "64^3 uint32", op_set_items, &o);
    o.a = f;
    report("base[mask]=7 F-order", "64^3 uint32", op_set_items, &o);
    nd_free(f);
    nd_free(c);
    nd_free(seven);
    nd_free(mask);
}

/* nd_shares_memory on 1000 pairs of strided 2-d views of one 1000x1000
 * array; the slice bounds come from lcg() (seed 2), in pair order x then y,
 * rows then columns, each as start, step, length. */
static void bench_shares(nd_array *square_base)
{
    enum { N_PAIRS = 1000 };
    nd_array **views = calloc(2 * N_PAIRS, sizeof *views);
    if (!views) {
        fprintf(stderr, "nd-bench: out of memory\n");
        exit(1);
    }
    lcg_state = 2;
    for (int i = 0; i < 2 * N_PAIRS; i++) {
        long b[6];
        for (int k = 0; k < 2; k++) {
            long start = (long)(lcg() % 500), step = 1 + (long)(lcg() % 7);
            long len = 50 + (long)(lcg() % 450);
            b[3 * k] = start;
            b[3 * k + 1] = start + len;
            b[3 * k + 2] = step;
        }
        views[i] = check(nd_getf(square_base, "%ld:%ld:%ld, %ld:%ld:%ld",
                                 b[0], b[1], b[2], b[3], b[4], b[5]), "view");
    }
    struct op o = {.pairs = views, .n_pairs = N_PAIRS};
    report("shares_memory x1000 strided pairs", "1000x1000 float64", op_shares, &o);
    for (int i = 0; i < 2 * N_PAIRS; i++)
        nd_free(views[i]);
    free(views);
}

/* Large: contiguous copy (and memcpy of the same bytes, its floor), a[::2]
 * copy, a[mask] with half the mask true, take of random indices. */
static void bench_large(ptrdiff_t n)
{
    char size[64];
    int saved_samples = n_samples;
    if (n_samples > 5)
        n_samples = 5;

    ptrdiff_t n2 = 2 * n;
    nd_array *big = check(nd_arange(ND_FLOAT64, n2), "arange");
    nd_array *half = check(nd_arange(ND_FLOAT64, n), "arange");
    snprintf(size, sizeof size, "%td float64", n);

    struct op o = {.a = half};
    report("a.copy() contiguous", size, op_copy, &o);

    size_t n_bytes = (size_t)n * sizeof(double);
    void *dst = malloc(n_bytes);
    if (!dst) {
        fprintf(stderr, "nd-bench: out of memory\n");
        exit(1);
    }
    memset(dst, 0, n_bytes);
    o = (struct op){.dst = dst, .src = nd_data(half), .n_bytes = n_bytes};
    report("memcpy floor (same bytes)", size, op_memcpy, &o);
    free(dst);

    o = (struct op){.a = big, .text = "::2"};
    report("a[::2].copy() strided", size, op_get_copy, &o);

    nd_array *mask = random_mask(1, &n, 11);
    o = (struct op){.a = half, .n_items = 1};
    o.items[0] = ND_ARRAY(mask);
    report("a[mask] half true", size, op_get_items, &o);
    nd_free(mask);

    ptrdiff_t n_take = n / 10;
    nd_array *idx = check(nd_empty(ND_INT64, 1, &n_take), "empty");
    int64_t *p = nd_data(idx);
    for (ptrdiff_t i = 0; i < n_take; i++)
        p[i] = (int64_t)(splitmix64((uint64_t)i, 13) % (uint64_t)n);
    snprintf(size, sizeof size, "%td of %td float64", n_take, n);
    o = (struct op){.a = half, .indices = idx};
    report("take(a, random idx)", size, op_take, &o);
    nd_free(idx);

    nd_free(half);
    nd_free(big);
    n_samples = saved_samples;
}

int main(int argc, char **argv)
{
    /* --quick: small sizes and few samples, to check the program runs. */
    bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    if (argc > 1 && !quick) {
        fprintf(stderr, "usage: nd-bench [--quick]\n");
        return 2;
    }
    if (quick) {
        n_samples = 1;
        sample_target = 1e-5;
    }
    bench_view_indexing();
    bench_arange_index();
    bench_scalar();
    bench_mask_set();
    nd_array *sq = square(ND_FLOAT64);
    bench_shares(sq);
    nd_free(sq);
    bench_large(quick ? 100000 : 10000000);
    return 0;
}
