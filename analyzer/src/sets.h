/*
 * sets.h - the small data structures the flow analysis is built on:
 * hash-consed integer sets (equal sets have equal ids, so a state is an
 * array of ints and comparing states is memcmp) and an id hash table used
 * to intern locations, values and events.
 */
#ifndef VC_SETS_H
#define VC_SETS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct vc_sets vc_sets;

/* A pool whose set 0 is the empty set; NULL on ENOMEM. */
vc_sets   *vc_sets_new(void);
void       vc_sets_free(vc_sets *s);
/* The id of the set holding items[0..n-1] (any order, duplicates allowed);
 * -1 on ENOMEM. */
int        vc_sets_intern(vc_sets *s, const int *items, int n);
int        vc_sets_add(vc_sets *s, int set, int x);
int        vc_sets_union(vc_sets *s, int a, int b);     /* memoized */
/* Members of set id, ascending; valid until the next intern. */
const int *vc_sets_items(const vc_sets *s, int id, int *n);
bool       vc_sets_has(const vc_sets *s, int id, int x);

/* An open-addressing table of ids keyed by a caller-computed hash; the
 * caller supplies equality. Ids are the caller's (0-based). */
typedef struct vc_idtab {
    int *slot;                      /* id + 1; 0 = empty */
    uint64_t *hash;
    int cap, n;
} vc_idtab;

typedef bool vc_id_eq(const void *ctx, int id, const void *key);

/* The id stored for key, or -1. */
int  vc_idtab_find(const vc_idtab *t, uint64_t h, vc_id_eq *eq, const void *ctx,
                   const void *key);
/* Stores id under hash h (the key must not be present). -1 on ENOMEM. */
int  vc_idtab_put(vc_idtab *t, uint64_t h, int id);
void vc_idtab_free(vc_idtab *t);

/* Inline: every interning hashes several words, and the call showed in
 * profiles. */
static inline uint64_t vc_hash_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

uint64_t vc_hash_str(uint64_t h, const char *s);

#endif /* VC_SETS_H */
