/*
 * sets.c - hash-consed integer sets and an id hash table (contract in
 * sets.h), the storage under dataflow.c.
 *
 * Key idea: abstract states are maps from locations to small sets of
 * values, joined many times at every loop head. Interning every set once
 * (sorted members, looked up by content hash) makes a set an int, a join
 * of two sets a memoized lookup, and a state comparison a memcmp; sets are
 * usually one or two members, so the members live in one flat array.
 *
 * Invariants: set 0 is empty; members of a set are strictly ascending; a
 * set's id never changes; union(a, b) == union(b, a) (memo keyed a <= b).
 * Not done here: knowing what the members mean.
 */
#include "sets.h"

#include <stdlib.h>
#include <string.h>

typedef struct set_rec {
    int off, n;
} set_rec;

struct vc_sets {
    int *items;
    int n_items, cap_items;
    set_rec *sets;
    int n_sets, cap_sets;
    vc_idtab by_content;
    vc_idtab unions;                /* id = index into memo */
    int (*memo)[3];                 /* a, b, result */
    int n_memo, cap_memo;
    int *scratch;
    int cap_scratch;
};

uint64_t vc_hash_str(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return vc_hash_mix(h, 0x5a);
}

/* ---- id table ------------------------------------------------------------ */

int vc_idtab_find(const vc_idtab *t, uint64_t h, vc_id_eq *eq, const void *ctx,
                  const void *key)
{
    if (t->cap == 0)
        return -1;
    for (int i = (int)(h & (uint64_t)(t->cap - 1));; i = (i + 1) & (t->cap - 1)) {
        if (t->slot[i] == 0)
            return -1;
        if (t->hash[i] == h && eq(ctx, t->slot[i] - 1, key))
            return t->slot[i] - 1;
    }
}

static int idtab_grow(vc_idtab *t)
{
    int cap = t->cap ? 2 * t->cap : 64;
    int *slot = calloc((size_t)cap, sizeof *slot);
    uint64_t *hash = calloc((size_t)cap, sizeof *hash);
    if (!slot || !hash) {
        free(slot);
        free(hash);
        return -1;
    }
    for (int i = 0; i < t->cap; i++) {
        if (!t->slot[i])
            continue;
        int j = (int)(t->hash[i] & (uint64_t)(cap - 1));
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = t->slot[i];
        hash[j] = t->hash[i];
    }
    free(t->slot);
    free(t->hash);
    t->slot = slot;
    t->hash = hash;
    t->cap = cap;
    return 0;
}

int vc_idtab_put(vc_idtab *t, uint64_t h, int id)
{
    if (2 * (t->n + 1) > t->cap && idtab_grow(t) < 0)
        return -1;
    int i = (int)(h & (uint64_t)(t->cap - 1));
    while (t->slot[i])
        i = (i + 1) & (t->cap - 1);
    t->slot[i] = id + 1;
    t->hash[i] = h;
    t->n++;
    return 0;
}

void vc_idtab_free(vc_idtab *t)
{
    free(t->slot);
    free(t->hash);
    memset(t, 0, sizeof *t);
}

/* ---- sets ---------------------------------------------------------------- */

typedef struct content_key {
    const int *items;
    int n;
} content_key;

static bool content_eq(const void *ctx, int id, const void *key)
{
    const vc_sets *s = ctx;
    const content_key *k = key;
    return s->sets[id].n == k->n &&
           (k->n == 0 || memcmp(s->items + s->sets[id].off, k->items,
                  (size_t)k->n * sizeof *k->items) == 0);
}

static uint64_t content_hash(const int *items, int n)
{
    uint64_t h = 0x1234567u;
    for (int i = 0; i < n; i++)
        h = vc_hash_mix(h, (uint64_t)(unsigned)items[i]);
    return h;
}

static int reserve(void **p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return 0;
    int c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, (size_t)c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Interns a sorted, duplicate-free run. */
static int intern_sorted(vc_sets *s, const int *items, int n)
{
    uint64_t h = content_hash(items, n);
    content_key k = {items, n};
    int id = vc_idtab_find(&s->by_content, h, content_eq, s, &k);
    if (id >= 0)
        return id;
    /* items may point into s->items or scratch: copy before growing */
    if (reserve((void **)&s->scratch, &s->cap_scratch, n + 1, sizeof(int)) < 0)
        return -1;
    if (n > 0 && items != s->scratch)
        memmove(s->scratch, items, (size_t)n * sizeof *items);
    if (reserve((void **)&s->items, &s->cap_items, s->n_items + n, sizeof(int)) < 0 ||
        reserve((void **)&s->sets, &s->cap_sets, s->n_sets + 1, sizeof(set_rec)) < 0)
        return -1;
    if (n > 0)
        memcpy(s->items + s->n_items, s->scratch, (size_t)n * sizeof(int));
    s->sets[s->n_sets] = (set_rec){s->n_items, n};
    s->n_items += n;
    id = s->n_sets++;
    if (vc_idtab_put(&s->by_content, h, id) < 0)
        return -1;
    return id;
}

vc_sets *vc_sets_new(void)
{
    vc_sets *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (intern_sorted(s, NULL, 0) != 0) {
        vc_sets_free(s);
        return NULL;
    }
    return s;
}

void vc_sets_free(vc_sets *s)
{
    if (!s)
        return;
    free(s->items);
    free(s->sets);
    vc_idtab_free(&s->by_content);
    vc_idtab_free(&s->unions);
    free(s->memo);
    free(s->scratch);
    free(s);
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int vc_sets_intern(vc_sets *s, const int *items, int n)
{
    if (reserve((void **)&s->scratch, &s->cap_scratch, n + 1, sizeof(int)) < 0)
        return -1;
    if (n > 0)
        memmove(s->scratch, items, (size_t)n * sizeof *items);
    qsort(s->scratch, (size_t)n, sizeof(int), int_cmp);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (m == 0 || s->scratch[m - 1] != s->scratch[i])
            s->scratch[m++] = s->scratch[i];
    return intern_sorted(s, s->scratch, m);
}

const int *vc_sets_items(const vc_sets *s, int id, int *n)
{
    *n = s->sets[id].n;
    return s->items + s->sets[id].off;
}

bool vc_sets_has(const vc_sets *s, int id, int x)
{
    int n;
    const int *it = vc_sets_items(s, id, &n);
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (it[mid] == x)
            return true;
        if (it[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static bool memo_eq(const void *ctx, int id, const void *key)
{
    const vc_sets *s = ctx;
    const int *k = key;
    return s->memo[id][0] == k[0] && s->memo[id][1] == k[1];
}

int vc_sets_union(vc_sets *s, int a, int b)
{
    if (a == b || b == 0)
        return a;
    if (a == 0)
        return b;
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    int key[2] = {a, b};
    uint64_t h = vc_hash_mix(vc_hash_mix(7, (uint64_t)a), (uint64_t)b);
    int m = vc_idtab_find(&s->unions, h, memo_eq, s, key);
    if (m >= 0)
        return s->memo[m][2];
    int na, nb;
    vc_sets_items(s, a, &na);
    vc_sets_items(s, b, &nb);
    if (reserve((void **)&s->scratch, &s->cap_scratch, na + nb + 1, sizeof(int)) < 0)
        return -1;
    const int *ia = vc_sets_items(s, a, &na), *ib = vc_sets_items(s, b, &nb);
    int i = 0, j = 0, k = 0;
    while (i < na || j < nb) {
        if (j >= nb || (i < na && ia[i] < ib[j]))
            s->scratch[k++] = ia[i++];
        else if (i >= na || ib[j] < ia[i])
            s->scratch[k++] = ib[j++];
        else {
            s->scratch[k++] = ia[i++];
            j++;
        }
    }
    int r = intern_sorted(s, s->scratch, k);
    if (r < 0)
        return -1;
    if (reserve((void **)&s->memo, &s->cap_memo, s->n_memo + 1, sizeof *s->memo) < 0)
        return -1;
    s->memo[s->n_memo][0] = a;
    s->memo[s->n_memo][1] = b;
    s->memo[s->n_memo][2] = r;
    if (vc_idtab_put(&s->unions, h, s->n_memo++) < 0)
        return -1;
    return r;
}

int vc_sets_add(vc_sets *s, int set, int x)
{
    if (vc_sets_has(s, set, x))
        return set;
    int one = vc_sets_intern(s, &x, 1);
    return one < 0 ? -1 : vc_sets_union(s, set, one);
}
