/*
 * arena.c - the per-TU bump allocator (see arena.h).
 *
 * Key idea: memory comes in chunks of at least 64 KiB linked into a list;
 * an allocation bumps a pointer inside the newest chunk, and a request that
 * does not fit opens a new chunk sized for it. Freeing walks the list once.
 *
 * Invariants: every returned pointer is 16-byte aligned and zeroed; a chunk
 * is never reallocated, so pointers stay valid until vc_arena_free.
 * Not thread-safe: one arena belongs to one TU, lowered on one thread.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN ((size_t)64 * 1024)
#define ALIGN     ((size_t)16)

struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

struct vc_arena {
    struct chunk *head;
    size_t total;
};

vc_arena *vc_arena_new(void)
{
    return calloc(1, sizeof(vc_arena));
}

void vc_arena_free(vc_arena *a)
{
    if (!a)
        return;
    for (struct chunk *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

void *vc_arena_alloc(vc_arena *a, size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
    if (need < n)
        return NULL;
    struct chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;
        /* calloc zeroes the chunk, so every allocation starts zeroed. */
        c = calloc(1, sizeof(struct chunk) + size);
        if (!c)
            return NULL;
        c->size = size;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->total += need;
    return p;
}

void *vc_arena_grow(vc_arena *a, void *old, size_t old_n, size_t new_n,
                    size_t elem)
{
    size_t bytes;
    if (__builtin_mul_overflow(new_n, elem, &bytes))
        return NULL;
    void *p = vc_arena_alloc(a, bytes);
    if (p && old && old_n)
        memcpy(p, old, old_n * elem);
    return p;
}

char *vc_arena_strndup(vc_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = vc_arena_alloc(a, n + 1);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *vc_arena_strdup(vc_arena *a, const char *s)
{
    return s ? vc_arena_strndup(a, s, strlen(s)) : NULL;
}

char *vc_arena_printf(vc_arena *a, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    if ((size_t)n < sizeof small)
        return vc_arena_strndup(a, small, (size_t)n);
    char *p = vc_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t vc_arena_used(const vc_arena *a)
{
    return a->total;
}
