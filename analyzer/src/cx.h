/*
 * cx.h - the front end's interface: C source in, vc_tu (ir.h) out.
 *
 * Only cx.c and walk.c include clang-c/Index.h; this header does not, so the
 * driver and the tests use the front end without seeing libclang. A vc_cx
 * wraps one CXIndex and belongs to one thread (libclang-notes section 7:
 * one index per thread, TUs never shared between threads).
 */
#ifndef VC_CX_H
#define VC_CX_H

#include <stddef.h>

#include "arena.h"
#include "ir.h"

typedef struct vc_cx vc_cx;

/* A front-end context (one CXIndex). Create them serially, before starting
 * worker threads. NULL on ENOMEM. */
vc_cx *vc_cx_new(void);
void   vc_cx_free(vc_cx *cx);

/* Resource-dir self check (libclang-notes section 2): parses a probe that
 * includes <stddef.h>/<stdarg.h> with args. Returns 0 when the builtin
 * headers are found as is (*fix = NULL) or with an extra `-resource-dir DIR`
 * (*fix = DIR, heap, caller frees); -1 when no candidate works (the parse
 * will still be tried; errors then name the missing header). */
int vc_cx_check_builtins(vc_cx *cx, const char *const *args, int nargs,
                         char **fix);

/* Parses one file and lowers every function definition of its main file.
 * path: the file as given (kept verbatim in the IR); args: compiler
 * arguments without argv[0] and without the file; contents/len: an unsaved
 * buffer to parse instead of the file on disk (NULL = read the file).
 * Returns 0 with *out (free with vc_tu_free), also when clang reported
 * errors (then (*out)->had_errors and errors[] say why: the IR is partial);
 * -1 when libclang produced no TU at all, with *err (heap) saying why. */
int vc_cx_lower(vc_cx *cx, const char *path, const char *const *args,
                int nargs, const char *contents, size_t len, vc_tu **out,
                char **err);

/* Releases a TU and everything in its arena; NULL is a no-op. */
void vc_tu_free(vc_tu *tu);

/* The libclang version string ("clang version 19.1.7 ..."), heap. */
char *vc_cx_version(void);

/* ---- front-end internals (cx.c, walk.c, source.c) ------------------------ */
struct CXTranslationUnitImpl;   /* = CXTranslationUnit, without Index.h */

/* walk.c: one-time probe of libclang's location encoding (it parses a
 * tiny buffer with its own CXIndex); vc_cx_new calls it, so it runs before
 * any worker thread parses. Idempotent and thread-safe. */
void vc__walk_init(void);

/* walk.c: lowers every function definition whose expansion site is in the
 * main file of ctu into tu->funcs. Returns 0, -1 on ENOMEM. */
int vc__walk_tu(struct CXTranslationUnitImpl *ctu, vc_tu *tu);

/* source.c: scans the main file's bytes once for comments (kept in
 * tu->comments, with their 1-based lines) and `#define NAME` lines (kept in
 * tu->macros). A small lexer that skips string and character literals, so a
 * "// ..." inside a string is not a comment. Returns 0, -1 on ENOMEM. */
int vc__scan_source(vc_tu *tu, const char *buf, size_t len);

#endif /* VC_CX_H */
