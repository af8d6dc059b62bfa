/*
 * arena.h - vc_arena, the bump allocator that owns one translation unit's IR.
 *
 * Every string and array of a vc_tu (ir.h invariant 1) is carved from the
 * TU's arena and released all at once by vc_arena_free; nothing in the IR is
 * freed individually. Allocation failure returns NULL (callers propagate it
 * as ENOMEM); the arena itself never aborts.
 */
#ifndef VC_ARENA_H
#define VC_ARENA_H

#include <stddef.h>

typedef struct vc_arena vc_arena;

/* A new empty arena, or NULL on ENOMEM. Free with vc_arena_free. */
vc_arena *vc_arena_new(void);
/* Releases every allocation of the arena and the arena; NULL is a no-op. */
void      vc_arena_free(vc_arena *a);
/* n zeroed bytes aligned for any object, owned by the arena; NULL on ENOMEM. */
void     *vc_arena_alloc(vc_arena *a, size_t n);
/* Grows an arena array: a new zeroed block of new_n elements holding the
 * first old_n elements of old (the old block is simply abandoned). */
void     *vc_arena_grow(vc_arena *a, void *old, size_t old_n, size_t new_n,
                        size_t elem);
/* Copies of s (NUL-terminated) / of n bytes of s plus a NUL; NULL s -> NULL. */
char     *vc_arena_strdup(vc_arena *a, const char *s);
char     *vc_arena_strndup(vc_arena *a, const char *s, size_t n);
/* printf into the arena. */
char     *vc_arena_printf(vc_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for tests and statistics). */
size_t    vc_arena_used(const vc_arena *a);

#endif /* VC_ARENA_H */
