/*
 * overlap.c - do two arrays touch a common byte?
 *
 * Owns nd_shares_memory (exact), nd_may_share_memory (byte extents only) and
 * nd__solve_overlap, the solver both are built on; other runtime files call
 * it to decide whether a write must copy its source first.
 *
 * The key idea. Every byte of an array X with data offset p, shape n_k,
 * strides s_k and itemsize w sits at
 *
 *     p + sum_k s_k * i_k + e        0 <= i_k < n_k,  0 <= e < w.
 *
 * Two arrays share a byte iff one such address of A equals one of B. After
 * flipping negative strides and writing B's bytes downward from its top, the
 * question becomes a bounded linear Diophantine equation with non-negative
 * coefficients:
 *
 *     sum_t c_t * x_t = rhs,     0 <= x_t <= ub_t.
 *
 * That problem is NP-hard in general, but the instances that come from
 * strided arrays are tiny and well structured, so a depth-first search over
 * the terms, pruned by gcd arguments, answers them quickly. The file follows
 * the four steps of shared/spec/numpy-indexing.md section 10.2 in order:
 *
 *   1. extent    [lo, hi) byte range of each array; disjoint ranges -> no.
 *   2. equation  one term (|s_k|, n_k - 1) per axis of either array, one
 *                term (1, w - 1) per itemsize; the right-hand side is the
 *                distance between A's bottom and B's top byte.
 *   3. simplify  sort terms by coefficient, merge equal coefficients, clip
 *                each bound to rhs / coef, drop terms that can only be 0.
 *   4. solve     prefix reduction with the extended Euclidean algorithm:
 *                the first k+1 terms together are G_k * Y_k, a multiple of
 *                their gcd G_k; the search peels one term at a time from the
 *                end, enumerating only the values of that term compatible
 *                with the gcd of the terms before it.
 *
 * The search counts "work units" (rejected candidates) exactly as NumPy's
 * mem_overlap.c does, so a budget (max_work) gives up at the same points
 * NumPy raises TooHardError. Giving up answers "may overlap" (1), which is
 * what a caller deciding whether to copy needs.
 *
 * Invariants: all offsets are measured from the owner's allocation, so no
 * pointer arithmetic crosses objects; arrays with different owners never
 * overlap (each owner has its own allocation). Intermediate products are
 * computed in __int128 and checked before they are narrowed back to 64
 * bits: overflow is reported (-1, ND_EVALUE), never undefined behaviour.
 *
 * Not here: internal overlap of one array with itself (spec 10.3), which
 * libnd does not need because indexing never builds self-overlapping
 * outputs.
 */
#include "nd_int.h"

#include <stdlib.h>

/* Outcome of one solve. TOO_HARD is internal: callers see "may overlap". */
typedef enum { OV_NO, OV_YES, OV_TOO_HARD, OV_OVERFLOW } verdict;

__extension__ typedef __int128 wide;

#define MAX_TERMS (2 * ND_MAXDIMS + 2)

typedef struct term {
    int64_t coef; /* > 0 */
    int64_t ub;   /* > 0: the variable ranges over [0, ub] */
} term;

/* The bounded equation sum coef_t * x_t = rhs with its solver state. */
typedef struct equation {
    int m;
    term t[MAX_TERMS];
    int64_t rhs;
    /* prefix reduction, index k covers terms 0..k (step 4) */
    int64_t G[MAX_TERMS];   /* gcd of coef_0..coef_k */
    int64_t g[MAX_TERMS];   /* g_k * G_{k-1} + e_k * coef_k = G_k */
    int64_t e[MAX_TERMS];
    int64_t U[MAX_TERMS];   /* Y_k ranges over [0, U_k] */
    long work;
    long max_work;          /* < 0: unlimited */
} equation;

static bool fits64(wide v) { return v >= INT64_MIN && v <= INT64_MAX; }

/* Floor and ceiling of n / d for d > 0 (C division truncates toward 0). */
static wide floor_div(wide n, wide d)
{
    wide q = n / d;
    return (n % d != 0 && n < 0) ? q - 1 : q;
}

static wide ceil_div(wide n, wide d)
{
    wide q = n / d;
    return (n % d != 0 && n > 0) ? q + 1 : q;
}

/* ---- step 1: extent ------------------------------------------------------ */

/* [lo, hi) of a's bytes as offsets from its owner's allocation. Returns
 * false when a has no elements (empty extent). *ok turns false when the
 * sums leave 64 bits, which invariant 3 of nd_int.h rules out for arrays
 * libnd built, but the arithmetic still checks rather than trusting it. */
static bool extent(const nd_array *a, int64_t *lo, int64_t *hi, bool *ok)
{
    const nd_array *own = nd__owner(a);
    wide low = (wide)(a->data - own->mem), high = low;

    for (int k = 0; k < a->ndim; k++)
        if (a->shape[k] == 0)
            return false;
    for (int k = 0; k < a->ndim; k++) {
        /* each span is below 2^126; low only falls and high only rises, so
         * checking after every step keeps the sums inside 128 bits */
        wide span = (wide)a->strides[k] * (a->shape[k] - 1);
        if (span < 0)
            low += span;
        else
            high += span;
        if (!fits64(low) || !fits64(high)) {
            *ok = false;
            return false;
        }
    }
    high += (wide)a->dt->itemsize;
    if (!fits64(high)) {
        *ok = false;
        return false;
    }
    *lo = (int64_t)low;
    *hi = (int64_t)high;
    return true;
}

/* ---- step 2: equation ---------------------------------------------------- */

static bool add_term(equation *eq, wide coef, int64_t ub)
{
    if (coef <= 0 || ub <= 0)  /* stride 0 or length 1: the axis adds nothing */
        return true;
    if (!fits64(coef))
        return false;
    eq->t[eq->m].coef = (int64_t)coef;
    eq->t[eq->m].ub = ub;
    eq->m++;
    return true;
}

static bool add_array_terms(equation *eq, const nd_array *a)
{
    for (int k = 0; k < a->ndim; k++) {
        wide s = a->strides[k];
        if (!add_term(eq, s < 0 ? -s : s, a->shape[k] - 1))
            return false;
    }
    return add_term(eq, 1, (int64_t)a->dt->itemsize - 1);
}

/* ---- step 3: simplify ---------------------------------------------------- */

static int by_coef_desc(const void *pa, const void *pb)
{
    const term *a = pa, *b = pb;
    return (a->coef < b->coef) - (a->coef > b->coef);
}

/* Merging equal coefficients is exact: c*x + c*y over [0,u]x[0,v] reaches
 * exactly c*z over [0,u+v]. Clipping is exact because a term larger than
 * rhs can never be part of a solution. The merged bound saturates instead
 * of overflowing; the clip that follows brings it below rhs anyway. */
static void simplify(equation *eq)
{
    qsort(eq->t, (size_t)eq->m, sizeof eq->t[0], by_coef_desc);
    int out = 0;
    for (int i = 0; i < eq->m; i++) {
        if (out > 0 && eq->t[out - 1].coef == eq->t[i].coef) {
            int64_t sum;
            if (__builtin_add_overflow(eq->t[out - 1].ub, eq->t[i].ub, &sum))
                sum = INT64_MAX;
            eq->t[out - 1].ub = sum;
        } else {
            eq->t[out++] = eq->t[i];
        }
    }
    int kept = 0;
    for (int i = 0; i < out; i++) {
        term t = eq->t[i];
        if (t.ub > eq->rhs / t.coef)
            t.ub = eq->rhs / t.coef;
        if (t.ub > 0)
            eq->t[kept++] = t;
    }
    eq->m = kept;
}

/* ---- step 4: solve ------------------------------------------------------- */

/* Extended Euclid: returns gcd(a, b) for a, b > 0 and sets x, y with
 * a*x + b*y = gcd. |x| <= b and |y| <= a, so nothing overflows. */
static int64_t ext_gcd(int64_t a, int64_t b, int64_t *x, int64_t *y)
{
    int64_t x0 = 1, y0 = 0, x1 = 0, y1 = 1;
    while (b != 0) {
        int64_t q = a / b, r = a % b;
        int64_t nx = x0 - q * x1, ny = y0 - q * y1;
        a = b;
        b = r;
        x0 = x1;
        y0 = y1;
        x1 = nx;
        y1 = ny;
    }
    *x = x0;
    *y = y0;
    return a;
}

/* G_k, g_k, e_k, U_k for every prefix. U_k is clipped to rhs / G_k: a
 * prefix sum above rhs never helps, and the clip cannot change the t range
 * of solve_k, where x >= 0 already bounds y by b / G_{k-1} <= rhs / G_{k-1}.
 * Without it U_k could grow beyond 64 bits on long equations. */
static void reduce_prefixes(equation *eq)
{
    eq->G[0] = eq->t[0].coef;
    eq->U[0] = eq->t[0].ub;
    eq->g[0] = 1;
    eq->e[0] = 0;
    for (int k = 1; k < eq->m; k++) {
        int64_t c = eq->t[k].coef;
        eq->G[k] = ext_gcd(eq->G[k - 1], c, &eq->g[k], &eq->e[k]);
        wide u = (wide)(eq->G[k - 1] / eq->G[k]) * eq->U[k - 1]
               + (wide)(c / eq->G[k]) * eq->t[k].ub;
        wide cap = eq->rhs / eq->G[k];
        eq->U[k] = (int64_t)(u < cap ? u : cap);
    }
}

/* Is G_{k-1} * y + coef_k * x = b solvable with y in [0, U_{k-1}] (and y
 * itself a reachable prefix sum) and x in [0, ub_k]? */
static verdict solve_k(equation *eq, int k, int64_t b)
{
    if (eq->max_work >= 0 && eq->work >= eq->max_work)
        return OV_TOO_HARD;
    if (b % eq->G[k] != 0) {    /* the first k+1 terms only make multiples */
        eq->work++;
        return OV_NO;
    }
    int64_t q = b / eq->G[k];
    int64_t step_y = eq->t[k].coef / eq->G[k];   /* y moves by this per t */
    int64_t step_x = eq->G[k - 1] / eq->G[k];    /* x moves by this per t */
    wide y0 = (wide)eq->g[k] * q, x0 = (wide)eq->e[k] * q;

    /* All solutions: y = y0 + step_y * t, x = x0 - step_x * t. */
    wide lo1 = ceil_div(-y0, step_y);
    wide lo2 = ceil_div(x0 - eq->t[k].ub, step_x);
    wide hi1 = floor_div(eq->U[k - 1] - y0, step_y);
    wide hi2 = floor_div(x0, step_x);
    wide t_lo = lo1 > lo2 ? lo1 : lo2;
    wide t_hi = hi1 < hi2 ? hi1 : hi2;
    if (!fits64(t_lo) || !fits64(t_hi))
        return OV_OVERFLOW;
    if (t_lo > t_hi) {
        eq->work++;
        return OV_NO;
    }
    if (k == 1)                 /* y is term 0 itself: any t is a solution */
        return OV_YES;
    for (int64_t t = (int64_t)t_lo; t <= (int64_t)t_hi; t++) {
        wide x = x0 - (wide)step_x * t;          /* in [0, ub_k] */
        wide rest = (wide)b - (wide)eq->t[k].coef * x;
        if (!fits64(rest))
            return OV_OVERFLOW;
        verdict v = solve_k(eq, k - 1, (int64_t)rest);
        if (v != OV_NO)
            return v;
        if (t == INT64_MAX)
            break;
    }
    eq->work++;
    return OV_NO;
}

static verdict solve(equation *eq)
{
    if (eq->m == 0)
        return eq->rhs == 0 ? OV_YES : OV_NO;
    if (eq->m == 1) {
        const term *t = &eq->t[0];
        return (eq->rhs % t->coef == 0 && eq->rhs / t->coef <= t->ub) ? OV_YES
                                                                      : OV_NO;
    }
    reduce_prefixes(eq);
    return solve_k(eq, eq->m - 1, eq->rhs);
}

/* ---- the whole pipeline -------------------------------------------------- */

static verdict overlap(const nd_array *a, const nd_array *b, long max_work)
{
    int64_t loA = 0, hiA = 0, loB = 0, hiB = 0;
    bool ok = true;

    if (nd__owner(a) != nd__owner(b))   /* separate allocations */
        return OV_NO;
    bool ea = extent(a, &loA, &hiA, &ok);
    bool eb = extent(b, &loB, &hiB, &ok);
    if (!ok)
        return OV_OVERFLOW;
    if (!ea || !eb || !(loA < hiB && loB < hiA))
        return OV_NO;
    if (max_work == 0)
        return OV_TOO_HARD;

    equation eq = {.m = 0, .work = 0, .max_work = max_work};
    int64_t r1 = hiB - 1 - loA, r2 = hiA - 1 - loB;  /* both >= 0 here */
    eq.rhs = r1 < r2 ? r1 : r2;
    if (!add_array_terms(&eq, a) || !add_array_terms(&eq, b))
        return OV_OVERFLOW;
    simplify(&eq);
    return solve(&eq);
}

int nd__solve_overlap(const nd_array *a, const nd_array *b, long max_work)
{
    switch (overlap(a, b, max_work)) {
    case OV_NO:
        return 0;
    case OV_YES:
    case OV_TOO_HARD:
        return 1;
    case OV_OVERFLOW:
        break;
    }
    return nd__fail(ND_EVALUE, "integer overflow in the memory overlap solver");
}

int nd_shares_memory(const nd_array *a, const nd_array *b)
{
    if (a == NULL || b == NULL)
        return nd__fail(ND_EVALUE, "nd_shares_memory: array is NULL");
    return nd__solve_overlap(a, b, -1);
}

bool nd_may_share_memory(const nd_array *a, const nd_array *b)
{
    if (a == NULL || b == NULL)
        return false;
    /* Extent check only; an overflow can only mean a huge shared range. */
    return overlap(a, b, 0) != OV_NO;
}
