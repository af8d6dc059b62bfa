/*
 * ir.h - viewcheck's own intermediate representation: the contract between
 * the front end (cx.c + walk.c, the only files that see libclang) and every
 * analysis pass (cfg, dataflow, summary, rules), which see only this.
 *
 * Key idea: a function becomes a control-flow graph of basic blocks holding a
 * handful of instruction kinds over *access paths* (a variable plus field and
 * element steps: `d->val`, `rows[i]`). Nested calls are flattened into
 * temporaries in evaluation order, so `nd_isub_scalar(row, nd_mean(row))` is
 * `t1 = nd_mean(row); nd_isub_scalar(row, t1)`. Pointer arithmetic and casts
 * are seen through: `q = (double *)p + 3` is a COPY of p into q.
 *
 * Invariants:
 *  1. Every string and array hangs off the TU's arena (vc_arena) and dies
 *     with it; nothing in the IR is freed individually.
 *  2. blocks[entry] has no predecessors; blocks[exit] has no instructions
 *     and no successors; every RETURN block has exit as its only successor.
 *  3. A path's var indexes fn->vars; var < n_params are the parameters in
 *     order; temporaries have is_temp set and are assigned exactly once.
 *  4. Locations are file locations of the *expansion* site (a write hidden
 *     in a macro reports where the macro is used), 1-based line and byte
 *     column, file names as given to the driver (relative stays relative).
 */
#ifndef VC_IR_H
#define VC_IR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vc_arena vc_arena;   /* arena.c: bump allocator per TU */

typedef struct vc_loc {
    const char *file;               /* arena string; NULL = unknown */
    unsigned line, col, end_line, end_col;
} vc_loc;

/* ---- access paths ------------------------------------------------------- */
typedef enum {
    VC_STEP_FIELD,   /* .name or ->name (not distinguished)          */
    VC_STEP_ELEM     /* [i] or *p on an aggregate: any element (weak) */
} vc_step_kind;

#define VC_MAX_STEPS 4              /* deeper paths are truncated: still sound
                                       as a weak (may) location */
typedef struct vc_path {
    int var;                        /* index into fn->vars; -1 = none */
    int n_steps;
    struct { vc_step_kind kind; const char *name; } step[VC_MAX_STEPS];
} vc_path;

/* ---- variables ---------------------------------------------------------- */
typedef struct vc_var {
    const char *name;               /* source name; "t3" style for temps */
    const char *type;               /* canonical type spelling, e.g.
                                       "const nd_array *", "double *" */
    const char *base_type;          /* after stripping pointers, arrays,
                                       qualifiers and `struct `: "nd_array" */
    int ptr_depth;                  /* pointers (and array dims) over base */
    bool pointee_const;             /* `const T *`: the first pointee is const */
    bool is_param, is_global, is_temp, is_static_local;
    bool is_aggregate;              /* struct/union value or array of them/of
                                       pointers: paths with steps live here */
    vc_loc decl;
} vc_var;

/* ---- operands ----------------------------------------------------------- */
typedef enum {
    VC_OP_NONE,
    VC_OP_PATH,       /* the value held at path                          */
    VC_OP_ADDR,       /* &path: an out-parameter location                */
    VC_OP_STRING,     /* string literal (decoded, concatenated, through
                         macros): `str`, length `len`                     */
    VC_OP_INT,        /* integer constant expression: `ival`              */
    VC_OP_NULL,       /* NULL / 0 used as a pointer                       */
    VC_OP_OTHER       /* any other expression (arithmetic, floats, ...)   */
} vc_op_kind;

typedef struct vc_operand {
    vc_op_kind kind;
    vc_path path;                   /* PATH, ADDR */
    const char *str;                /* STRING */
    size_t len;
    long long ival;                 /* INT */
    vc_loc loc;                     /* of the argument expression; for call
                                       arguments only literals (STRING, INT,
                                       NULL) get one, others have line 0:
                                       use the instruction's loc */
    const char *text;               /* source spelling, for messages
                                       (arena, may be abbreviated) */
    bool pointee_const;             /* PATH read from a member whose type
                                       is `const S *` (S a struct): `j->in`
                                       with `const nd_array *in;` (a
                                       variable's own type is in vc_var) */
} vc_operand;

/* ---- instructions ------------------------------------------------------- */
typedef enum {
    VC_I_CALL,     /* [dst =] callee(args)                                   */
    VC_I_COPY,     /* dst = src (pointer/handle copy, casts and +/- offsets
                      seen through; also struct copy of an aggregate)         */
    VC_I_HAVOC,    /* dst = something we do not model (unknown value)        */
    VC_I_STORE,    /* write through the raw pointer at `src`:
                      p[i] = x, *p = x, *p += 1, p[i]++ (src = p)            */
    VC_I_LOAD,     /* read through the raw pointer at `src`: x = p[i]        */
    VC_I_ESCAPE,   /* the value at `src` leaves the function's view
                      (stored into a global or through a pointer we do not
                      track, passed to a function pointer)                   */
    VC_I_RETURN    /* return [src]                                            */
} vc_inst_kind;

typedef struct vc_inst {
    vc_inst_kind kind;
    vc_path dst;                    /* CALL (var -1 when unused), COPY, HAVOC */
    vc_operand src;                 /* COPY, STORE, LOAD, ESCAPE, RETURN */
    const char *callee;             /* CALL: function name; NULL = indirect */
    int n_args;
    vc_operand *args;               /* CALL; for variadic calls, every
                                       argument as written */
    vc_loc loc;                     /* whole expression (expansion site) */
    const char *macro;              /* name of the macro this came from, or
                                       NULL (for "in expansion of" notes) */
} vc_inst;

/* ---- control flow ------------------------------------------------------- */
typedef struct vc_block {
    int n_insts;
    vc_inst *insts;
    int n_succ;
    int *succ;
    int n_pred;
    int *pred;
} vc_block;

typedef struct vc_func {
    const char *name;
    vc_loc loc;                     /* of the definition's name */
    bool is_static;
    const char *ret_type, *ret_base_type;
    int ret_ptr_depth;
    int n_params;                   /* vars[0 .. n_params-1] */
    int n_vars;
    vc_var *vars;
    int n_blocks;
    vc_block *blocks;
    int entry, exit;
} vc_func;

/* A parsed comment that may carry a suppression or an expectation; the
 * front end keeps every comment of the main file (cheap: tokens already
 * lexed) so suppress.c and verify.c never need libclang. */
typedef struct vc_comment {
    unsigned line, end_line;
    const char *text;
} vc_comment;

typedef struct vc_tu {
    const char *path;               /* as given (relative stays relative) */
    vc_arena *arena;
    int n_funcs;
    vc_func *funcs;
    int n_comments;
    vc_comment *comments;
    /* macro definitions of the main file: name + line (for suppressions
       placed on a #define) */
    int n_macros;
    struct { const char *name; unsigned line; } *macros;
    bool had_errors;                /* clang reported errors: IR partial */
    int n_errors;
    const char **errors;            /* "file:line:col: message" */
} vc_tu;

/* ir.c: a readable dump of one function (vars, then blocks with their
 * successors and instructions), for tests and `viewcheck --dump-ir`.
 * Returns a heap string (caller frees) or NULL on ENOMEM. */
char *vc_ir_dump(const vc_func *f);

#endif /* VC_IR_H */
