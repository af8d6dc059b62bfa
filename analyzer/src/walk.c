/*
 * walk.c - lowers libclang's AST of one translation unit into viewcheck's IR
 * (ir.h): one vc_func per function definition of the main file.
 *
 * Key idea: one recursive pass per function body with a tiny builder. An
 * expression is lowered to an *operand* (rv) after emitting the
 * instructions its side effects need, so nested calls become temporaries in
 * evaluation order (callee, then arguments left to right). An lvalue is
 * lowered to a *target* (lv): the access path written, plus the raw pointer
 * the write goes through, if any. Assignments then choose:
 *   - value of pointer or struct type ("tracked"): COPY / CALL / HAVOC into
 *     the path, so handles flow through fields, arrays and out-parameters
 *     (`*out = v` is COPY dst = {out, ELEM});
 *   - any other value written through a raw pointer: STORE src = pointer
 *     (`p[i] = x`, `*p += 1`, `p->n++`);
 *   - any other value written to a variable or local aggregate: COPY of an
 *     integer constant, else HAVOC.
 * Reads through a raw pointer emit LOAD src = pointer. `&` and array decay
 * give ADDR operands (`arr` decays to ADDR {arr, ELEM}); `*` / `[]` / `->` on
 * an ADDR operand are direct accesses (no LOAD, no STORE). Casts and pointer
 * +/- integer are seen through.
 * A read of a member of type `const S *` (S a struct) marks its operand
 * pointee_const (the member's type is not otherwise in the IR).
 * Direct call arguments get two special forms, so the analysis sees known
 * strings where the source has them: an array of char pointers known from
 * the source (a compound literal, or a static or file-scope array with
 * const elements and an initializer) becomes a fresh local copy "lit.N",
 * initialized element by element where it is passed; and one argument
 * `c ? "lit1" : "lit2"` makes the call on two arms of a branch, one per
 * literal, both assigning the same (non-temporary) result.
 *
 * Control flow: if/else, loops, switch/case/default, break/continue,
 * return, goto/labels (indirect goto: an edge to every label), and `?:`,
 * `&&`, `||` as real branches. Conditions are not interpreted, so every
 * branch is feasible (may-semantics). A `for` header with missing parts is
 * resolved by the positions of its two `;` (libclang-notes 3.8); inside a
 * macro, where that is not possible, unplaced parts run at the loop head on
 * every iteration: a sound over-approximation.
 *
 * Invariants kept (ir.h): entry is block 0 and is never a jump target; exit
 * is block 1 with no instructions; a RETURN ends its block with exit as the
 * only successor; temporaries are assigned exactly once (a `?:` result goes
 * to a synthetic non-temporary variable, assigned on both arms).
 * Performance (libclang-notes 7; budget: viewcheck <= 1.10x libclang's
 * parse): only function bodies of the main file are visited, file-scope
 * initializers never; each body is traversed once into a node table (see
 * "the node table") instead of one clang_visitChildren per node; source
 * locations are computed only where an instruction, a literal call argument
 * or a variable is created, and plain main-file positions come from
 * arithmetic on the raw location plus our own line table (fast_pos); the
 * CALL of a plain direct call takes its end from the source bytes
 * (emit_direct_call), and a local variable its name (ident_at), instead of
 * asking libclang; declarations are identified by their Decl pointer (as
 * clang_equalCursors does); type descriptions, canonical kinds and callee
 * names are cached per TU; scratch arrays live on the heap and reach the
 * arena at exact size. Measured on the benchmark corpus: the walk costs
 * ~10 % of the parse in instructions, about half of it libclang's own
 * traversal.
 * Not done here: the function builder, i.e. scratch blocks, edges,
 * instruction emission, labels, paths and the move into the arena
 * (ir_build.c, libclang-free); CFG clean-up (cfg.c), comments and macros
 * (source.c), parsing and diagnostics (cx.c).
 */
#include <clang-c/Index.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cx.h"
#include "ir.h"
#include "ir_build.h"

#if CINDEX_VERSION >= CINDEX_VERSION_ENCODE(0, 64)
#  define VC_HAVE_OPKIND 1      /* LLVM >= 17: exact operator kinds */
#else
#  define VC_HAVE_OPKIND 0      /* older: structural guess (libclang-notes 3.3) */
#endif

#define MAX_DEPTH 4000          /* deeper expressions become OTHER (notes 7) */

/* ---- small libclang helpers ---------------------------------------------- */
typedef struct kids {
    CXCursor c[4];
    int n;                      /* all children, even beyond 4 */
} kids;

static enum CXChildVisitResult kid_visit(CXCursor c, CXCursor p, CXClientData d)
{
    (void)p;
    kids *k = d;
    if (k->n < 4)
        k->c[k->n] = c;
    k->n++;
    return CXChildVisit_Continue;
}

/* ---- the node table ------------------------------------------------------
 * Every clang_visitChildren call is a fresh traversal with a sizeable set-up
 * cost, and the lowering asks for the children of almost every node (plus
 * once more per implicit cast it sees through). So each function body is
 * traversed ONCE, recursively, into a table of nodes (cursor, first child,
 * next sibling, child count) with a hash index on the node's identity; the
 * lowering then reads children from the table (built from the FunctionDecl,
 * which also finds the body). Variables and parameters are the exception:
 * their children are not traversed with the body, only a local
 * initializer is added when the lowering reaches it (ntab_extend). A
 * cursor the table does not know (outside the function, or a Var/ParmDecl)
 * falls back to clang_visitChildren: same answers, only slower. The table
 * belongs to the thread lowering the function.
 */
typedef struct node {
    CXCursor c;
    int first, last, next, n;
} node;

typedef struct ntab {
    node *v;
    int n, cap;
    int *hash;                  /* node index + 1; 0 = empty */
    int hcap;
    int *stack;
    int sp, scap;
    bool ok;                    /* built completely (no ENOMEM) */
} ntab;

static _Thread_local ntab *cur_tab;

/* clang_isExpression(k) || clang_isStatement(k), which are exactly these
 * range tests (CIndex.cpp); inline because the node table asks per node. */
static bool expr_or_stmt(enum CXCursorKind k)
{
    return (k >= CXCursor_FirstExpr && k <= CXCursor_LastExpr) ||
           (k >= CXCursor_FirstStmt && k <= CXCursor_LastStmt);
}

/* Identity of a cursor: statements and expressions by their Stmt (data[1]),
 * anything else (declarations, TypeRef, LabelRef) by all of kind and data. */
static bool same_node(const CXCursor *a, const CXCursor *b)
{
    if (a->kind != b->kind)
        return false;
    if (expr_or_stmt(a->kind))
        return a->data[1] == b->data[1];
    return a->data[0] == b->data[0] && a->data[1] == b->data[1];
}

static unsigned node_hash(const CXCursor *c)
{
    uintptr_t x = (uintptr_t)c->data[1];
    if (!expr_or_stmt(c->kind))
        x ^= (uintptr_t)c->data[0] * 31u;
    x ^= (uintptr_t)c->kind * 0x9E3779B97F4A7C15ull;
    x *= 0xC2B2AE3D27D4EB4Full;
    return (unsigned)(x >> 32);
}

static int ntab_find(const ntab *t, const CXCursor *c)
{
    if (!t || !t->ok || !t->hcap)
        return -1;
    unsigned j = node_hash(c) & (unsigned)(t->hcap - 1);
    for (; t->hash[j]; j = (j + 1) & (unsigned)(t->hcap - 1))
        if (same_node(&t->v[t->hash[j] - 1].c, c))
            return t->hash[j] - 1;
    return -1;
}

static int ntab_add(ntab *t, CXCursor c, int parent)
{
    if (t->n == t->cap) {
        int nc = t->cap ? t->cap * 2 : 256;
        node *v = realloc(t->v, (size_t)nc * sizeof *v);
        if (!v)
            return -1;
        t->v = v;
        t->cap = nc;
    }
    int i = t->n++;
    t->v[i] = (node){ c, -1, -1, -1, 0 };
    if (parent >= 0) {
        node *p = &t->v[parent];
        if (p->last >= 0)
            t->v[p->last].next = i;
        else
            p->first = i;
        p->last = i;
        p->n++;
    }
    return i;
}

/* Called for every node of a body, so kept lean: the parent is the
 * deepest open node (the stack top after popping finished subtrees);
 * comparing the Stmt pointer first settles almost every test. */
static enum CXChildVisitResult build_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    ntab *t = d;
    int sp = t->sp;
    while (sp > 0) {
        const CXCursor *top = &t->v[t->stack[sp - 1]].c;
        if (top->data[1] == parent.data[1] && same_node(top, &parent))
            break;
        sp--;
    }
    int p = sp > 0 ? t->stack[sp - 1] : -1;
    int i;
    if (t->n < t->cap && p >= 0) {      /* the common case of ntab_add */
        i = t->n++;
        node *pn = &t->v[p];
        t->v[i].c = c;
        t->v[i].first = t->v[i].last = t->v[i].next = -1;
        t->v[i].n = 0;
        if (pn->last >= 0)
            t->v[pn->last].next = i;
        else
            pn->first = i;
        pn->last = i;
        pn->n++;
    } else {
        i = ntab_add(t, c, p);
    }
    if (i < 0 || (sp == t->scap && !(t->scap = t->scap ? t->scap * 2 : 64,
                                      t->stack = realloc(t->stack,
                                                         (size_t)t->scap * sizeof(int))))) {
        t->sp = sp;
        t->ok = false;
        return CXChildVisit_Break;
    }
    t->sp = sp;
    /* A variable's children (TypeRefs, the initializer) are left to
     * ntab_extend, called for the initializer only; a parameter's are
     * never needed: libclang's visit of a declaration (type locations, a
     * nested traversal for the initializer) was ~13 % of the walk. */
    if (c.kind == CXCursor_VarDecl || c.kind == CXCursor_ParmDecl)
        return CXChildVisit_Continue;
    t->stack[sp] = i;
    t->sp = sp + 1;
    return CXChildVisit_Recurse;
}

/* Adds the subtree at root (a new root: no parent) and indexes nodes
 * [from, n); the index is rebuilt when it must grow. On failure the table
 * is simply not used (every query falls back to libclang). */
static void ntab_add_tree(ntab *t, CXCursor root)
{
    int from = t->n;
    t->sp = 0;
    int r = ntab_add(t, root, -1);
    if (r < 0 || !(t->stack || (t->stack = malloc(64 * sizeof(int)), t->scap = 64, t->stack))) {
        t->ok = false;
        return;
    }
    t->stack[t->sp++] = r;
    clang_visitChildren(root, build_visit, t);
    if (!t->ok)
        return;
    int need = 16;
    while (need < t->n * 2)
        need *= 2;
    if (need > t->hcap || from == 0) {
        if (need > t->hcap) {
            int *h = realloc(t->hash, (size_t)need * sizeof *h);
            if (!h) {
                t->ok = false;
                return;
            }
            t->hash = h;
            t->hcap = need;
        }
        memset(t->hash, 0, (size_t)t->hcap * sizeof *t->hash);
        from = 0;
    }
    for (int i = from; i < t->n; i++) {
        unsigned j = node_hash(&t->v[i].c) & (unsigned)(t->hcap - 1);
        while (t->hash[j])
            j = (j + 1) & (unsigned)(t->hcap - 1);
        t->hash[j] = i + 1;
    }
}

/* Builds the table for the function (definition) at root. */
static void ntab_build(ntab *t, CXCursor root)
{
    t->n = 0;
    t->ok = true;
    ntab_add_tree(t, root);
}

/* Adds a variable's initializer (see build_visit) unless already known. */
static void ntab_extend(ntab *t, CXCursor init)
{
    if (t && t->ok && ntab_find(t, &init) < 0)
        ntab_add_tree(t, init);
}

static void ntab_free(ntab *t)
{
    free(t->v);
    free(t->hash);
    free(t->stack);
    memset(t, 0, sizeof *t);
}

static kids children(CXCursor c)
{
    kids k;
    k.n = 0;
    int i = ntab_find(cur_tab, &c);
    if (i < 0 || c.kind == CXCursor_VarDecl || c.kind == CXCursor_ParmDecl) {   /* build_visit */
        clang_visitChildren(c, kid_visit, &k);
        return k;
    }
    for (int ch = cur_tab->v[i].first; ch >= 0; ch = cur_tab->v[ch].next) {
        if (k.n < 4)
            k.c[k.n] = cur_tab->v[ch].c;
        k.n++;
    }
    return k;
}

/* Calls fn(child, c, data) for every child of c, like clang_visitChildren
 * with a visitor that always returns CXChildVisit_Continue. */
static void each_child(CXCursor c, CXCursorVisitor fn, CXClientData data)
{
    int i = ntab_find(cur_tab, &c);
    if (i < 0 || c.kind == CXCursor_VarDecl || c.kind == CXCursor_ParmDecl) {   /* build_visit */
        clang_visitChildren(c, fn, data);
        return;
    }
    /* the table may not move while fn runs: nothing rebuilds it mid-body */
    for (int ch = cur_tab->v[i].first; ch >= 0; ch = cur_tab->v[ch].next)
        fn(cur_tab->v[ch].c, c, data);
}

/* Sees through implicit casts (one-child UnexposedExpr) and parentheses. */
static CXCursor strip(CXCursor c)
{
    for (;;) {
        enum CXCursorKind k = clang_getCursorKind(c);
        if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr)
            return c;
        kids ch = children(c);
        if (ch.n != 1)
            return c;
        c = ch.c[0];
    }
}

static enum CXTypeKind canon_kind(CXCursor c)
{
    return clang_getCanonicalType(clang_getCursorType(c)).kind;
}

static bool is_array_kind(enum CXTypeKind k)
{
    return k == CXType_ConstantArray || k == CXType_IncompleteArray ||
           k == CXType_VariableArray || k == CXType_DependentSizedArray;
}

/* A value whose flow we track: pointers and struct/union values. */
static bool tracked_kind(enum CXTypeKind k)
{
    return k == CXType_Pointer || k == CXType_Record || k == CXType_BlockPointer;
}

#if VC_HAVE_OPKIND
static enum CXBinaryOperatorKind binop(CXCursor c)
{
    return clang_getCursorBinaryOperatorKind(c);
}
static enum CXUnaryOperatorKind unop(CXCursor c)
{
    return clang_getCursorUnaryOperatorKind(c);
}
#else
/* Before LLVM 17 there is no operator API: read the operator from the
 * tokens (libclang-notes 3.3; exact outside macros). A binary operator is
 * the first punctuation token at or after the end of its left operand; a
 * unary one is the first token (prefix) or the last (postfix ++/--). Inside
 * a macro expansion the extent is the macro call, whose tokens do not hold
 * the operator: then an assignment is recognised structurally (its left
 * side is an lvalue not wrapped in an implicit cast) and a unary operator
 * stays unknown (treated as its operand). */
enum { CXBinaryOperator_Invalid, CXBinaryOperator_Add, CXBinaryOperator_Sub,
       CXBinaryOperator_LAnd, CXBinaryOperator_LOr, CXBinaryOperator_Assign,
       CXBinaryOperator_AddAssign, CXBinaryOperator_OrAssign, CXBinaryOperator_Comma };
enum { CXUnaryOperator_Invalid, CXUnaryOperator_PostInc, CXUnaryOperator_PostDec,
       CXUnaryOperator_PreInc, CXUnaryOperator_PreDec, CXUnaryOperator_AddrOf,
       CXUnaryOperator_Deref, CXUnaryOperator_Plus, CXUnaryOperator_Minus,
       CXUnaryOperator_Not, CXUnaryOperator_LNot, CXUnaryOperator_Extension };

static const struct { const char *tok; int op; } binop_tokens[] = {
    {"=", CXBinaryOperator_Assign}, {"+", CXBinaryOperator_Add},
    {"-", CXBinaryOperator_Sub},    {"&&", CXBinaryOperator_LAnd},
    {"||", CXBinaryOperator_LOr},   {",", CXBinaryOperator_Comma},
};
static const struct { const char *tok; int op; } prefix_tokens[] = {
    {"&", CXUnaryOperator_AddrOf}, {"*", CXUnaryOperator_Deref},
    {"++", CXUnaryOperator_PreInc}, {"--", CXUnaryOperator_PreDec},
    {"-", CXUnaryOperator_Minus},  {"+", CXUnaryOperator_Plus},
    {"~", CXUnaryOperator_Not},    {"!", CXUnaryOperator_LNot},
    {"__extension__", CXUnaryOperator_Extension},
};

static unsigned expansion_offset(CXSourceLocation l)
{
    unsigned off;
    clang_getExpansionLocation(l, NULL, NULL, NULL, &off);
    return off;
}

static bool token_is(CXTranslationUnit tu, CXToken t, const char *want)
{
    CXString sp = clang_getTokenSpelling(tu, t);
    bool eq = strcmp(clang_getCString(sp), want) == 0;
    clang_disposeString(sp);
    return eq;
}

static int binop_tok(CXTranslationUnit tu, CXCursor c)
{
    if (clang_getCursorKind(c) == CXCursor_CompoundAssignOperator)
        return CXBinaryOperator_AddAssign;
    kids k = children(c);
    if (k.n != 2)
        return CXBinaryOperator_Invalid;
    int op = -1;    /* -1: no token after the left operand (a macro call) */
    unsigned lhs_end = expansion_offset(clang_getRangeEnd(clang_getCursorExtent(k.c[0])));
    CXToken *t = NULL;
    unsigned n = 0;
    clang_tokenize(tu, clang_getCursorExtent(c), &t, &n);
    for (unsigned i = 0; i < n && op < 0; i++) {
        if (clang_getTokenKind(t[i]) != CXToken_Punctuation ||
            expansion_offset(clang_getTokenLocation(tu, t[i])) < lhs_end)
            continue;
        op = CXBinaryOperator_Invalid;
        for (size_t j = 0; j < sizeof binop_tokens / sizeof *binop_tokens; j++)
            if (token_is(tu, t[i], binop_tokens[j].tok))
                op = binop_tokens[j].op;
    }
    clang_disposeTokens(tu, t, n);
    if (op >= 0)
        return op;
    return clang_getCursorKind(k.c[0]) != CXCursor_UnexposedExpr
               ? CXBinaryOperator_Assign : CXBinaryOperator_Invalid;
}

static int unop_tok(CXTranslationUnit tu, CXCursor c)
{
    CXToken *t = NULL;
    unsigned n = 0;
    int op = CXUnaryOperator_Invalid;
    clang_tokenize(tu, clang_getCursorExtent(c), &t, &n);
    if (n > 0) {
        for (size_t j = 0; j < sizeof prefix_tokens / sizeof *prefix_tokens; j++)
            if (token_is(tu, t[0], prefix_tokens[j].tok))
                op = prefix_tokens[j].op;
        if (op == CXUnaryOperator_Invalid && n > 1)
            op = token_is(tu, t[n - 1], "++") ? CXUnaryOperator_PostInc
               : token_is(tu, t[n - 1], "--") ? CXUnaryOperator_PostDec
               : CXUnaryOperator_Invalid;
    }
    clang_disposeTokens(tu, t, n);
    return op;
}
#define binop(c) binop_tok(w->ctu, (c))
#define unop(c) unop_tok(w->ctu, (c))
#endif

/* ---- the function builder ------------------------------------------------ */
typedef struct vslot {
    unsigned hash;
    int idx;                    /* -1 = empty */
    CXCursor decl;
} vslot;

/* type_info() results, cached per TU by the declared type's identity
 * (CXType.data holds clang's QualType: equal types, equal data). */
typedef struct tslot {
    bool used;
    enum CXTypeKind kind;
    const void *d0, *d1;
    const char *type, *base;
    int ptr_depth;
    bool pointee_const, aggregate;
    enum CXTypeKind canon;      /* canonical type kind */
} tslot;

/* Names of called functions, cached per TU by declaration. */
typedef struct nslot {
    unsigned hash;
    bool used;
    CXCursor decl;
    const char *name;
} nslot;

typedef struct walker {
    vc_arena *A;
    vc_tu *tu;
    CXTranslationUnit ctu;
    CXFile mainf;
    const char *src;            /* main file contents (owned by the TU) */
    size_t src_len;
    CXFile last_file;           /* one-entry cache for non-main file names */
    const char *last_name;
    vc_irb b;                   /* vars, blocks, labels, oom (ir_build.c) */

    /* per function, reset by begin_func */
    vslot *vmap;                /* heap, reused across functions */
    int vmap_cap, vmap_used;
    int exit;
    int brk, cont;              /* -1 = none */
    int sw_head;                /* -1 outside a switch */
    bool sw_default;
    int n_temps, n_joins, n_lits;
    int depth;
    int cap_funcs;              /* of tu->funcs */
    tslot *tcache;              /* heap, per TU */
    int tcache_cap, tcache_used;
    nslot *ncache;              /* heap, per TU */
    int ncache_cap, ncache_used;
    ntab tab;                   /* the current function body's nodes */
    /* fast positions (see fast_pos): raw encoding of the main file's
       offset 0, and the offsets where its lines start */
    bool fast;
    unsigned main_base;
    unsigned *lines;            /* heap */
    int n_lines;
    int line_hint;              /* fast_pos's last answer (0-based) */
    enum CXTypeKind *vkind;     /* canonical type kind per var (heap) */
    int vkind_cap;
} walker;

static const char *txt(walker *w, const char *p1, const char *a, const char *p2,
                       const char *b, const char *p3);

/* The builder (ir_build.c) under the names the lowering uses. */
static bool grow(walker *w, void **arr, int *cap, int n, size_t elem)
{
    return vc_irb_grow(&w->b, arr, cap, n, elem);
}

static int new_block(walker *w)
{
    return vc_irb_new_block(&w->b);
}

static void edge(walker *w, int from, int to)
{
    vc_irb_edge(&w->b, from, to);
}

static vc_inst *emit(walker *w, vc_inst_kind kind)
{
    return vc_irb_emit(&w->b, kind);
}

/* Ends the current block with a jump to `to` and continues in a fresh
 * block (unreachable unless something jumps to it; cfg.c drops it). */
static void jump(walker *w, int to)
{
    vc_irb_jump(&w->b, to);
}

/* ---- strings and locations ------------------------------------------------ */
static const char *cxstr(walker *w, CXString s)
{
    const char *c = clang_getCString(s);
    const char *r = vc_arena_strdup(w->A, c ? c : "");
    clang_disposeString(s);
    if (!r)
        w->b.oom = true;
    return r ? r : "";
}

static const char *file_name(walker *w, CXFile f)
{
    if (!f)
        return NULL;
    if (clang_File_isEqual(f, w->mainf))
        return w->tu->path;
    if (w->last_file && clang_File_isEqual(f, w->last_file))
        return w->last_name;
    w->last_file = f;
    w->last_name = cxstr(w, clang_getFileName(f));
    return w->last_name;
}

/* Is l inside a macro expansion? clang's SourceLocation raw encoding marks
 * macro locations with its top bit (SourceLocation::MacroIDBit), and
 * libclang passes the raw encoding through as CXSourceLocation.int_data.
 * Testing that bit lets the common, macro-free case use the cheap spelling
 * decomposition (equal to the file location there) instead of the
 * macro-aware ones (libclang-notes 7: locations double the walk cost).
 * macro_bit_works() checks the encoding once per process; if it ever
 * changes, every location takes the slow, always-correct path. */
static int macro_bit_state;         /* 0 unknown, 1 usable, -1 not */
static pthread_once_t macro_bit_once = PTHREAD_ONCE_INIT;

static enum CXChildVisitResult find_return(CXCursor c, CXCursor p, CXClientData d)
{
    (void)p;
    if (clang_getCursorKind(c) == CXCursor_ReturnStmt) {
        *(CXCursor *)d = c;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Recurse;
}

static void macro_bit_probe(void)
{
    static const char src[] = "#define M(x) ((x) + 1)\nint f(int a) { return M(a); }\n"
                              "int g(int a) { return a; }\n";
    struct CXUnsavedFile uf = { "/__viewcheck_probe__.c", src, sizeof src - 1 };
    CXIndex idx = clang_createIndex(0, 0);
    CXTranslationUnit tu = NULL;
    macro_bit_state = -1;
    if (idx && clang_parseTranslationUnit2(idx, uf.Filename, NULL, 0, &uf, 1, 0, &tu) ==
                   CXError_Success && tu) {
        CXCursor tuc = clang_getTranslationUnitCursor(tu);
        CXCursor rets[2] = { clang_getNullCursor(), clang_getNullCursor() };
        kids fns = children(tuc);
        for (int i = 0; i < 2 && i < fns.n; i++)
            clang_visitChildren(fns.c[i], find_return, &rets[i]);
        if (!clang_Cursor_isNull(rets[0]) && !clang_Cursor_isNull(rets[1])) {
            kids k0 = children(rets[0]), k1 = children(rets[1]);
            if (k0.n == 1 && k1.n == 1) {
                CXSourceLocation m = clang_getRangeStart(clang_getCursorExtent(k0.c[0]));
                CXSourceLocation p = clang_getRangeStart(clang_getCursorExtent(k1.c[0]));
                CXFile pf;
                unsigned poff;
                clang_getSpellingLocation(p, &pf, NULL, NULL, &poff);
                CXSourceLocation base = clang_getLocationForOffset(tu, pf, 0);
                /* and a file location's raw encoding is its file's base
                   plus its offset */
                if ((m.int_data & 0x80000000u) && !(p.int_data & 0x80000000u) &&
                    p.int_data - base.int_data == poff)
                    macro_bit_state = 1;
            }
        }
        clang_disposeTranslationUnit(tu);
    }
    if (idx)
        clang_disposeIndex(idx);
}

static bool maybe_macro(CXSourceLocation l)
{
    return macro_bit_state != 1 || (l.int_data & 0x80000000u) != 0;
}

static void file_pos(CXSourceLocation l, CXFile *f, unsigned *line, unsigned *col)
{
    if (maybe_macro(l))
        clang_getFileLocation(l, f, line, col, NULL);
    else
        clang_getSpellingLocation(l, f, line, col, NULL);
}

/* Line and column of a location that is plainly in the main file (not in
 * a macro), by arithmetic on its raw encoding and our own line table: no
 * libclang call at all. Returns false when the slow path must answer. */
static bool fast_pos(walker *w, CXSourceLocation l, unsigned *line, unsigned *col)
{
    if (!w->fast || (l.int_data & 0x80000000u) || l.int_data < w->main_base)
        return false;
    unsigned off = l.int_data - w->main_base;
    if (off > w->src_len)
        return false;
    int lo = 0, hi = w->n_lines;        /* last line start <= off */
    /* queries come in source order: try the last answer's line first */
    int h = w->line_hint;
    if (h < w->n_lines && w->lines[h] <= off) {
        lo = h;
        /* usually the same or one of the next few lines */
        for (int k = 0; k < 8 && h + 1 < w->n_lines; k++, h++)
            if (w->lines[h + 1] > off) {
                lo = h;
                hi = h + 1;
                break;
            }
    }
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (w->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    w->line_hint = lo;
    *line = (unsigned)lo + 1;
    *col = off - w->lines[lo] + 1;
    return true;
}

static void pos(walker *w, CXSourceLocation l, const char **file, unsigned *line,
                unsigned *col)
{
    if (fast_pos(w, l, line, col)) {
        if (file)
            *file = w->tu->path;
        return;
    }
    CXFile f;
    file_pos(l, &f, line, col);
    if (file)
        *file = file_name(w, f);
}

static bool build_lines(walker *w)
{
    int cap = 1024;
    w->lines = malloc((size_t)cap * sizeof *w->lines);
    if (!w->lines)
        return false;
    w->lines[0] = 0;
    w->n_lines = 1;
    for (const char *p = w->src, *end = w->src + w->src_len;
         (p = memchr(p, '\n', (size_t)(end - p))); p++) {
        if (w->n_lines == cap) {
            unsigned *n = realloc(w->lines, (size_t)cap * 2 * sizeof *n);
            if (!n)
                return false;
            w->lines = n;
            cap *= 2;
        }
        w->lines[w->n_lines++] = (unsigned)(p + 1 - w->src);
    }
    return true;
}

/* The identifier starting at l when l is plainly in the main file (arena
 * copy), else NULL. Gives up on anything clang might lex differently from
 * [A-Za-z_][A-Za-z0-9_]* ($, UCNs, UTF-8, a backslash-newline). */
static const char *ident_at(walker *w, CXSourceLocation l)
{
    if (!w->fast || (l.int_data & 0x80000000u) || l.int_data < w->main_base)
        return NULL;
    size_t off = l.int_data - w->main_base, e = off;
    const unsigned char *s = (const unsigned char *)w->src;
    if (off >= w->src_len || !(s[off] == '_' || (s[off] >= 'a' && s[off] <= 'z') ||
                               (s[off] >= 'A' && s[off] <= 'Z')))
        return NULL;
    while (e < w->src_len && (s[e] == '_' || (s[e] >= 'a' && s[e] <= 'z') ||
                              (s[e] >= 'A' && s[e] <= 'Z') || (s[e] >= '0' && s[e] <= '9')))
        e++;
    if (e < w->src_len && (s[e] == '$' || s[e] == '\\' || s[e] >= 0x80))
        return NULL;
    const char *r = vc_arena_strndup(w->A, w->src + off, e - off);
    if (!r)
        w->b.oom = true;
    return r;
}

static vc_loc range_loc(walker *w, CXSourceRange r)
{
    vc_loc l = {0};
    pos(w, clang_getRangeStart(r), &l.file, &l.line, &l.col);
    pos(w, clang_getRangeEnd(r), NULL, &l.end_line, &l.end_col);
    if (l.end_line < l.line || (l.end_line == l.line && l.end_col < l.col)) {
        l.end_line = l.line;
        l.end_col = l.col;
    }
    return l;
}

static vc_loc loc_of(walker *w, CXCursor c)
{
    return range_loc(w, clang_getCursorExtent(c));
}

/* Location of an instruction, plus the macro it was expanded from (the
 * identifier at the expansion site, read from the main file's bytes, so no
 * DetailedPreprocessingRecord is needed). */
static vc_loc inst_loc_range(walker *w, CXSourceRange r, const char **macro)
{
    vc_loc l = range_loc(w, r);
    *macro = NULL;
    CXSourceLocation start = clang_getRangeStart(r);
    if (!maybe_macro(start))
        return l;
    CXFile ef, sf;
    unsigned eoff, soff;
    clang_getExpansionLocation(start, &ef, NULL, NULL, &eoff);
    clang_getSpellingLocation(start, &sf, NULL, NULL, &soff);
    /* Inside a macro when the spelling is elsewhere; before LLVM 19 the
     * spelling location is the expansion location (libclang-notes 4), so
     * the raw encoding's macro bit, when usable, is asked as well. */
    bool in_macro = (macro_bit_state == 1 && (start.int_data & 0x80000000u)) ||
                    eoff != soff || !clang_File_isEqual(ef, sf);
    if (ef && in_macro &&
        clang_File_isEqual(ef, w->mainf) && w->src && eoff < w->src_len) {
        size_t e = eoff;
        while (e < w->src_len && (w->src[e] == '_' || (w->src[e] >= 'a' && w->src[e] <= 'z') ||
                                  (w->src[e] >= 'A' && w->src[e] <= 'Z') ||
                                  (w->src[e] >= '0' && w->src[e] <= '9')))
            e++;
        if (e > eoff)
            *macro = vc_arena_strndup(w->A, w->src + eoff, e - eoff);
    }
    return l;
}

static vc_loc inst_loc(walker *w, CXCursor c, const char **macro)
{
    return inst_loc_range(w, clang_getCursorExtent(c), macro);
}

static vc_inst *emit_at(walker *w, vc_inst_kind kind, CXCursor at)
{
    vc_inst *in = emit(w, kind);
    in->loc = inst_loc(w, at, &in->macro);
    return in;
}

/* Offset just past the `)` closing the `(` at src[i] (main file), or 0
 * when the text is not plain enough to be sure: skips literals and
 * comments; gives up at a preprocessor line, a comment continued by a
 * backslash, and at `;` `{` `}` (a statement expression, or a `)` that
 * comes from a macro such as `#define CLOSE )`: `f(1 CLOSE;`). What it
 * cannot see: a macro-made `)` followed by a written one with no `;` in
 * between (`if (f(1 CLOSE) {`), taken for the call's end. */
static size_t close_paren(const walker *w, size_t i)
{
    const char *src = w->src;
    size_t n = w->src_len;
    int depth = 0;
    for (; i < n; i++) {
        char c = src[i];
        if (c == '/' && i + 1 < n && src[i + 1] == '/') {
            while (i < n && src[i] != '\n')
                i++;
            if (src[i - 1] == '\\' || (src[i - 1] == '\r' && src[i - 2] == '\\'))
                return 0;           /* the comment goes on: not plain */
            i--;                    /* let the newline be seen below */
        } else if (c == '/' && i + 1 < n && src[i + 1] == '*') {
            for (i += 2; i + 1 < n && !(src[i] == '*' && src[i + 1] == '/'); i++)
                ;
            i++;
        } else if (c == '"' || c == '\'') {
            for (i++; i < n && src[i] != c && src[i] != '\n'; i++)
                if (src[i] == '\\')
                    i++;
            if (i >= n || src[i] != c)
                return 0;
        } else if (c == '\n') {
            size_t j = i + 1;
            while (j < n && (src[j] == ' ' || src[j] == '\t'))
                j++;
            if (j < n && src[j] == '#')
                return 0;           /* #if inside the call: not plain */
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth == 0)
                return i + 1;
        } else if (c == ';' || c == '{' || c == '}') {
            return 0;               /* ({...}) or a `)` we cannot see */
        }
    }
    return 0;
}

/* The CALL of a direct call `name(args)` written plainly in the main file:
 * its extent is from `name` to one past the `)`, found in the source bytes
 * instead of by clang_getCursorExtent, which re-lexes the last token and
 * was the largest single libclang cost of the walk. Anything else takes
 * emit_at's path. */
static vc_inst *emit_direct_call(walker *w, CXCursor c, const char *callee)
{
    CXSourceLocation l = clang_getCursorLocation(c);     /* = extent start */
    vc_loc loc = {0};
    if (fast_pos(w, l, &loc.line, &loc.col)) {
        size_t off = l.int_data - w->main_base, n = strlen(callee), i = off + n;
        const char *src = w->src;
        if (n && off + n <= w->src_len && !memcmp(src + off, callee, n)) {
            while (i < w->src_len && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' ||
                                      src[i] == '\r'))
                i++;
            size_t end = i < w->src_len && src[i] == '(' ? close_paren(w, i) : 0;
            CXSourceLocation e = l;
            e.int_data = w->main_base + (unsigned)end;
            if (end && fast_pos(w, e, &loc.end_line, &loc.end_col)) {
                loc.file = w->tu->path;
                vc_inst *in = emit(w, VC_I_CALL);
                in->loc = loc;
                return in;
            }
        }
    }
    return emit_at(w, VC_I_CALL, c);
}

/* ---- types ------------------------------------------------------------------ */
static void type_info_uncached(walker *w, CXType t, const char **type, const char **base,
                               int *ptr_depth, bool *pointee_const, bool *aggregate,
                               enum CXTypeKind *canon_k)
{
    CXType canon = clang_getCanonicalType(t);
    *canon_k = canon.kind;
    *type = cxstr(w, clang_getTypeSpelling(canon));
    *ptr_depth = 0;
    *pointee_const = false;
    *aggregate = canon.kind == CXType_Record;
    if (is_array_kind(canon.kind)) {
        enum CXTypeKind ek = clang_getCanonicalType(clang_getArrayElementType(canon)).kind;
        *aggregate = ek == CXType_Record || ek == CXType_Pointer || is_array_kind(ek);
    }
    *base = NULL;
    for (int guard = 0; guard < 64 && !*base; guard++) {
        switch (t.kind) {
        case CXType_Elaborated:
            t = clang_Type_getNamedType(t);
            break;
        case CXType_Typedef: {
            enum CXTypeKind ck = clang_getCanonicalType(t).kind;
            if (ck == CXType_Pointer || is_array_kind(ck)) {
                /* nd_ptr = nd_array *: see through to the pointee's name */
                t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
            } else {
                *base = cxstr(w, clang_getTypedefName(t));
            }
            break;
        }
        case CXType_Pointer: {
            CXType pt = clang_getPointeeType(t);
            if (++*ptr_depth == 1)
                *pointee_const = clang_isConstQualifiedType(pt);
            t = pt;
            break;
        }
        case CXType_ConstantArray:
        case CXType_IncompleteArray:
        case CXType_VariableArray:
        case CXType_DependentSizedArray:
            ++*ptr_depth;
            t = clang_getArrayElementType(t);
            break;
        case CXType_Record:
        case CXType_Enum: {
            const char *tag = cxstr(w, clang_getCursorSpelling(clang_getTypeDeclaration(t)));
            *base = *tag ? tag : cxstr(w, clang_getTypeSpelling(clang_getCanonicalType(t)));
            break;
        }
        default: {
            /* builtin: spelling without qualifiers */
            const char *s = cxstr(w, clang_getTypeSpelling(clang_getCanonicalType(t)));
            for (;;) {
                if (!strncmp(s, "const ", 6))
                    s += 6;
                else if (!strncmp(s, "volatile ", 9))
                    s += 9;
                else if (!strncmp(s, "restrict ", 9))
                    s += 9;
                else
                    break;
            }
            *base = s;
            break;
        }
        }
    }
    if (!*base)
        *base = *type;
}

static unsigned ptr_hash(const void *a, const void *b, unsigned k)
{
    uintptr_t x = (uintptr_t)a * 0x9E3779B97F4A7C15ull ^ (uintptr_t)b * 0xC2B2AE3D27D4EB4Full;
    return (unsigned)(x >> 29) ^ (unsigned)x ^ k;
}

static bool tcache_grow(walker *w)
{
    int ncap = w->tcache_cap ? w->tcache_cap * 2 : 64;
    tslot *n = calloc((size_t)ncap, sizeof *n);
    if (!n)
        return false;
    for (int i = 0; i < w->tcache_cap; i++) {
        tslot *o = &w->tcache[i];
        if (!o->used)
            continue;
        unsigned j = ptr_hash(o->d0, o->d1, o->kind) & (unsigned)(ncap - 1);
        while (n[j].used)
            j = (j + 1) & (unsigned)(ncap - 1);
        n[j] = *o;
    }
    free(w->tcache);
    w->tcache = n;
    w->tcache_cap = ncap;
    return true;
}

/* Also gives the canonical kind (*canon_k), so a new variable needs no
 * second type query. */
static void type_info(walker *w, CXType t, const char **type, const char **base,
                      int *ptr_depth, bool *pointee_const, bool *aggregate,
                      enum CXTypeKind *canon_k)
{
    if ((w->tcache_used + 1) * 2 > w->tcache_cap && !tcache_grow(w)) {
        type_info_uncached(w, t, type, base, ptr_depth, pointee_const, aggregate, canon_k);
        return;
    }
    unsigned j = ptr_hash(t.data[0], t.data[1], t.kind) & (unsigned)(w->tcache_cap - 1);
    for (; w->tcache[j].used; j = (j + 1) & (unsigned)(w->tcache_cap - 1)) {
        tslot *e = &w->tcache[j];
        if (e->kind == t.kind && e->d0 == t.data[0] && e->d1 == t.data[1]) {
            *type = e->type;
            *base = e->base;
            *ptr_depth = e->ptr_depth;
            *pointee_const = e->pointee_const;
            *aggregate = e->aggregate;
            *canon_k = e->canon;
            return;
        }
    }
    type_info_uncached(w, t, type, base, ptr_depth, pointee_const, aggregate, canon_k);
    w->tcache[j] = (tslot){ true, t.kind, t.data[0], t.data[1], *type, *base, *ptr_depth,
                            *pointee_const, *aggregate, *canon_k };
    w->tcache_used++;
}

/* A declaration cursor's identity within one TU: its kind and Decl
 * (data[0]). This is what clang_equalCursors compares for declarations
 * (it ignores data[1], the "first in declaration group" bit), without two
 * library calls per lookup. */
static unsigned decl_hash(CXCursor d)
{
    uintptr_t x = (uintptr_t)d.data[0] ^ (uintptr_t)d.kind;
    x *= 0x9E3779B97F4A7C15ull;
    return (unsigned)(x >> 32);
}

static bool same_decl(CXCursor a, CXCursor b)
{
    return a.kind == b.kind && a.data[0] == b.data[0];
}

/* The spelling of a called function's declaration, once per TU. */
static const char *callee_name(walker *w, CXCursor decl)
{
    unsigned h = decl_hash(decl);
    if ((w->ncache_used + 1) * 2 > w->ncache_cap) {
        int ncap = w->ncache_cap ? w->ncache_cap * 2 : 64;
        nslot *n = calloc((size_t)ncap, sizeof *n);
        if (!n)
            return cxstr(w, clang_getCursorSpelling(decl));
        for (int i = 0; i < w->ncache_cap; i++) {
            if (!w->ncache[i].used)
                continue;
            unsigned j = w->ncache[i].hash & (unsigned)(ncap - 1);
            while (n[j].used)
                j = (j + 1) & (unsigned)(ncap - 1);
            n[j] = w->ncache[i];
        }
        free(w->ncache);
        w->ncache = n;
        w->ncache_cap = ncap;
    }
    unsigned j = h & (unsigned)(w->ncache_cap - 1);
    for (; w->ncache[j].used; j = (j + 1) & (unsigned)(w->ncache_cap - 1))
        if (w->ncache[j].hash == h && same_decl(w->ncache[j].decl, decl))
            return w->ncache[j].name;
    const char *name = cxstr(w, clang_getCursorSpelling(decl));
    w->ncache[j] = (nslot){ h, true, decl, name };
    w->ncache_used++;
    return name;
}

/* ---- variables -------------------------------------------------------------- */
static int add_var(walker *w, const char *name, CXType t, enum CXTypeKind *canon_k)
{
    if (!grow(w, (void **)&w->b.vars, &w->b.cap_vars, w->b.n_vars, sizeof(vc_var)))
        return -1;
    vc_var *v = &w->b.vars[w->b.n_vars];
    memset(v, 0, sizeof *v);
    v->name = name;
    type_info(w, t, &v->type, &v->base_type, &v->ptr_depth, &v->pointee_const,
              &v->is_aggregate, canon_k);
    return w->b.n_vars++;
}

static bool vmap_rehash(walker *w)
{
    int ncap = w->vmap_cap ? w->vmap_cap * 2 : 256;
    vslot *n = malloc((size_t)ncap * sizeof *n);
    if (!n) {
        w->b.oom = true;
        return false;
    }
    for (int i = 0; i < ncap; i++)
        n[i].idx = -1;
    for (int i = 0; i < w->vmap_cap; i++) {
        if (w->vmap[i].idx < 0)
            continue;
        unsigned j = w->vmap[i].hash & (unsigned)(ncap - 1);
        while (n[j].idx >= 0)
            j = (j + 1) & (unsigned)(ncap - 1);
        n[j] = w->vmap[i];
    }
    free(w->vmap);
    w->vmap = n;
    w->vmap_cap = ncap;
    return true;
}

/* The variable of a VarDecl/ParmDecl cursor, created on first use. */
static int var_of(walker *w, CXCursor decl)
{
    unsigned h = decl_hash(decl);
    if (w->vmap_cap) {
        unsigned j = h & (unsigned)(w->vmap_cap - 1);
        for (; w->vmap[j].idx >= 0; j = (j + 1) & (unsigned)(w->vmap_cap - 1))
            if (w->vmap[j].hash == h && same_decl(w->vmap[j].decl, decl))
                return w->vmap[j].idx;
    }
    if ((w->vmap_used + 1) * 2 > w->vmap_cap && !vmap_rehash(w))
        return -1;
    CXSourceLocation dloc = clang_getCursorLocation(decl);
    bool is_param = clang_getCursorKind(decl) == CXCursor_ParmDecl;
    /* A variable's name is the identifier at its location (C has no
     * unnamed variables; parameters can be unnamed, so they ask clang). */
    const char *name = is_param ? NULL : ident_at(w, dloc);
    if (!name)
        name = cxstr(w, clang_getCursorSpelling(decl));
    enum CXTypeKind ck;
    int idx = add_var(w, name, clang_getCursorType(decl), &ck);
    if (idx < 0)
        return -1;
    vc_var *v = &w->b.vars[idx];
    v->is_param = is_param;
    if (!v->is_param) {
        /* file scope: global; in a function: static (or extern) storage */
        enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl);
        enum CXCursorKind pk = clang_getCursorKind(clang_getCursorSemanticParent(decl));
        if (pk != CXCursor_FunctionDecl)
            v->is_global = true;
        else if (sc == CX_SC_Static)
            v->is_static_local = true;
        else if (sc == CX_SC_Extern)
            v->is_global = true;
    }
    pos(w, dloc, &v->decl.file, &v->decl.line, &v->decl.col);
    if (idx >= w->vkind_cap) {
        int nc = w->vkind_cap ? w->vkind_cap * 2 : 64;
        while (nc <= idx)
            nc *= 2;
        enum CXTypeKind *nk = realloc(w->vkind, (size_t)nc * sizeof *nk);
        if (!nk) {
            w->b.oom = true;
            return -1;
        }
        w->vkind = nk;
        w->vkind_cap = nc;
    }
    w->vkind[idx] = ck;
    v->decl.end_line = v->decl.line;
    v->decl.end_col = v->decl.col;
    unsigned j = h & (unsigned)(w->vmap_cap - 1);
    while (w->vmap[j].idx >= 0)
        j = (j + 1) & (unsigned)(w->vmap_cap - 1);
    w->vmap[j] = (vslot){ h, idx, decl };
    w->vmap_used++;
    return idx;
}

/* A synthetic variable: a temporary "tN" (assigned once), a join "cond.N"
 * (a `?:` result, assigned on both arms) or a literal copy "lit.N"
 * (literal_array_arg). Only temporaries are is_temp. */
static int new_synth(walker *w, CXType t, const char *prefix, int *counter)
{
    char num[16], *p = num + sizeof num;
    unsigned k = (unsigned)++*counter;
    *--p = 0;
    do
        *--p = (char)('0' + k % 10);
    while (k /= 10);
    const char *name = txt(w, prefix, p, "", NULL, "");
    if (!name) {
        w->b.oom = true;
        return -1;
    }
    enum CXTypeKind ck;
    int idx = add_var(w, name, t, &ck);
    if (idx >= 0)
        w->b.vars[idx].is_temp = prefix[0] == 't';
    return idx;
}

static int new_temp(walker *w, CXType t, bool join)
{
    return join ? new_synth(w, t, "cond.", &w->n_joins) : new_synth(w, t, "t", &w->n_temps);
}

/* ---- operands and paths ----------------------------------------------------- */
static vc_operand op_kind(vc_op_kind k, const char *text)
{
    return vc_irb_op(k, text);
}

static vc_path path_var(int var)
{
    return vc_irb_path(var);
}

static vc_path path_step(vc_path p, vc_step_kind k, const char *name)
{
    return vc_irb_step(p, k, name);
}

static bool path_eq(const vc_path *a, const vc_path *b)
{
    return vc_irb_path_eq(a, b);
}

/* A written location: the path (var -1 when unknown) and the raw pointer
 * the access goes through (kind NONE for direct variable/aggregate access). */
typedef struct target {
    vc_path path;
    vc_operand through;
    const char *text;
} target;

static vc_operand rv(walker *w, CXCursor e);
static vc_operand rv_s(walker *w, CXCursor e, CXCursor s);
static target lv(walker *w, CXCursor e);
static void stmt(walker *w, CXCursor s);

/* Operand text for messages (vc_irb_text): p1 a p2 b p3, capped. */
static const char *txt(walker *w, const char *p1, const char *a, const char *p2,
                       const char *b, const char *p3)
{
    return vc_irb_text(w->A, p1, a, p2, b, p3);
}

/* Access through operand x (the value of a pointer expression, or an ADDR):
 * x == ADDR{P} -> direct access to P (+step); x == PATH{P} -> P + ELEM
 * (+step) through x. */
static target through(walker *w, vc_operand x, bool field, const char *name,
                      const char *text)
{
    target t;
    memset(&t, 0, sizeof t);
    t.path.var = -1;
    t.through = op_kind(VC_OP_NONE, NULL);
    t.text = text;
    (void)w;
    if (x.kind == VC_OP_ADDR) {
        t.path = field ? path_step(x.path, VC_STEP_FIELD, name) : x.path;
    } else {
        t.through = x;
        if (x.kind == VC_OP_PATH)
            t.path = field ? path_step(x.path, VC_STEP_FIELD, name)
                           : path_step(x.path, VC_STEP_ELEM, NULL);
    }
    return t;
}

/* Canonical type kind of the lvalue s lowered to t: a plain variable's is
 * known from its declaration (no type query per use). */
static enum CXTypeKind lv_kind(const walker *w, CXCursor s, const target *t)
{
    if (t->path.var >= 0 && t->path.n_steps == 0 && t->through.kind == VC_OP_NONE &&
        t->path.var < w->vkind_cap && clang_getCursorKind(s) == CXCursor_DeclRefExpr)
        return w->vkind[t->path.var];
    return canon_kind(s);
}

/* The target of a variable (VarDecl/ParmDecl cursor d). */
static target lv_var(walker *w, CXCursor d)
{
    target t;
    memset(&t, 0, sizeof t);
    t.through = op_kind(VC_OP_NONE, NULL);
    int v = var_of(w, d);
    t.path = path_var(v);
    t.text = v >= 0 ? w->b.vars[v].name : "?";
    return t;
}

static target lv(walker *w, CXCursor e)
{
    target t;
    memset(&t, 0, sizeof t);
    t.path.var = -1;
    t.through = op_kind(VC_OP_NONE, NULL);
    t.text = "?";
    CXCursor s = strip(e);
    switch (clang_getCursorKind(s)) {
    case CXCursor_DeclRefExpr: {
        CXCursor d = clang_getCursorReferenced(s);
        enum CXCursorKind dk = clang_getCursorKind(d);
        if (dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl)
            return lv_var(w, d);
        return t;
    }
    case CXCursor_MemberRefExpr: {
        kids k = children(s);
        const char *name = cxstr(w, clang_getCursorSpelling(s));
        if (k.n < 1)
            return t;
        CXCursor base = k.c[0];
        /* `->` iff the base is a pointer (an lvalue struct base has no
           implicit cast, a pointer base stays a pointer through it) */
        if (canon_kind(base) == CXType_Pointer) {
            vc_operand x = rv(w, base);
            return through(w, x, true, name, txt(w, "", x.text, "->", name, ""));
        }
        target b = lv(w, base);
        b.path = path_step(b.path, VC_STEP_FIELD, name);
        b.text = txt(w, "", b.text, ".", name, "");
        return b;
    }
    case CXCursor_ArraySubscriptExpr: {
        kids k = children(s);
        if (k.n < 2)
            return t;
        CXCursor base = k.c[0], idx = k.c[1];
        CXCursor sb = strip(base);
        enum CXTypeKind bk = canon_kind(sb);
        if (bk != CXType_Pointer && !is_array_kind(bk)) {
            /* i[p] is p[i]: the pointer is whichever side has pointer type */
            CXCursor si = strip(idx);
            enum CXTypeKind ik = canon_kind(si);
            if (ik == CXType_Pointer || is_array_kind(ik)) {
                CXCursor tmp = base;
                base = idx;
                idx = tmp;
                sb = si;
                bk = ik;
            }
        }
        if (is_array_kind(bk)) {
            target b = lv(w, sb);
            vc_operand i = rv(w, idx);
            b.path = path_step(b.path, VC_STEP_ELEM, NULL);
            b.text = txt(w, "", b.text, "[", i.text, "]");
            return b;
        }
        vc_operand x = rv_s(w, base, sb);
        vc_operand i = rv(w, idx);
        return through(w, x, false, NULL, txt(w, "", x.text, "[", i.text, "]"));
    }
    case CXCursor_UnaryOperator:
        if (unop(s) == CXUnaryOperator_Deref) {
            kids k = children(s);
            if (k.n < 1)
                return t;
            vc_operand x = rv(w, k.c[0]);
            return through(w, x, false, NULL, txt(w, "*", x.text, "", NULL, ""));
        }
        break;
    case CXCursor_CStyleCastExpr: {
        /* (T)x as an lvalue is a GNU extension; treat it as x */
        kids k = children(s);
        if (k.n >= 1)
            return lv(w, k.c[k.n > 4 ? 3 : k.n - 1]);
        return t;
    }
    default:
        break;
    }
    /* Anything else (a call returning a struct, a compound literal, ...):
     * evaluate it for its side effects; the location is unknown. */
    vc_operand o = rv(w, s);
    t.text = o.text;
    if (o.kind == VC_OP_PATH)
        t.path = o.path;
    return t;
}

/* An integer literal written plainly in the main file, read from its bytes
 * (decimal, octal or hex with u/l suffixes): cheaper than Evaluate. */
static bool literal_int(walker *w, CXCursor lit, long long *out)
{
    unsigned line, col;
    CXSourceLocation l = clang_getCursorLocation(lit);
    if (!fast_pos(w, l, &line, &col))
        return false;
    size_t off = l.int_data - w->main_base;
    if (off >= w->src_len || w->src[off] < '0' || w->src[off] > '9')
        return false;
    char buf[32];
    size_t n = 0;
    while (off + n < w->src_len && n < sizeof buf - 1 &&
           ((w->src[off + n] >= '0' && w->src[off + n] <= '9') ||
            (w->src[off + n] >= 'a' && w->src[off + n] <= 'z') ||
            (w->src[off + n] >= 'A' && w->src[off + n] <= 'Z') || w->src[off + n] == '\''))
        n++;
    memcpy(buf, w->src + off, n);
    buf[n] = 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 0);
    if (errno || end == buf)
        return false;
    for (; *end; end++)         /* only u/U/l/L suffixes; anything else: slow path */
        if (!strchr("uUlL", *end))
            return false;
    *out = (long long)v;
    return true;
}

/* Integer value of a constant expression, when clang can evaluate it. */
static bool eval_int(CXCursor c, long long *out)
{
    CXEvalResult ev = clang_Cursor_Evaluate(c);
    if (!ev)
        return false;
    bool ok = false;
    if (clang_EvalResult_getKind(ev) == CXEval_Int) {
        *out = clang_EvalResult_isUnsignedInt(ev)
                   ? (long long)clang_EvalResult_getAsUnsigned(ev)
                   : clang_EvalResult_getAsLongLong(ev);
        ok = true;
    }
    clang_EvalResult_dispose(ev);
    return ok;
}

static vc_operand op_int(walker *w, long long v)
{
    vc_operand o = op_kind(VC_OP_INT, NULL);
    o.ival = v;
    char buf[24], *p = buf + sizeof buf;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    *--p = 0;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    o.text = vc_arena_strdup(w->A, p);
    return o;
}

/* Decodes the re-printed literal clang gives as a StringLiteral spelling
 * (used only when Evaluate fails, e.g. a bare array initializer). */
static vc_operand op_string_spelling(walker *w, CXCursor lit)
{
    const char *sp = cxstr(w, clang_getCursorSpelling(lit));
    size_t n = strlen(sp);
    char *out = vc_arena_alloc(w->A, n + 1);
    size_t o = 0;
    if (!out) {
        w->b.oom = true;
        return op_kind(VC_OP_OTHER, sp);
    }
    const char *p = strchr(sp, '"');
    for (p = p ? p + 1 : sp; *p; p++) {
        if (*p == '"') {            /* adjacent pieces: skip to the next one */
            p = strchr(p + 1, '"');
            if (!p)
                break;
            continue;
        }
        if (*p != '\\' || !p[1]) {
            out[o++] = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case 'r': out[o++] = '\r'; break;
        case '0': out[o++] = '\0'; break;
        default: out[o++] = *p; break;
        }
    }
    vc_operand r = op_kind(VC_OP_STRING, sp);
    r.str = out;
    r.len = o;
    return r;
}

/* A string argument written plainly in the main file: `"bytes"` with no
 * escape, `??`, prefix or adjacent piece, made a pointer by implicit casts
 * only (outer). clang_Cursor_Evaluate(outer) gives exactly those bytes;
 * reading them is ~10x cheaper. False: ask Evaluate. */
static bool plain_string(walker *w, CXCursor outer, CXCursor lit, vc_operand *o)
{
    if (outer.kind != CXCursor_UnexposedExpr || !w->fast)
        return false;
    /* implicit casts only (decay, qualification), no parentheses: what
       Evaluate's string case sees through */
    CXCursor c = outer;
    for (int d = 0; c.kind == CXCursor_UnexposedExpr && d < 4; d++) {
        kids k = children(c);
        if (k.n != 1)
            return false;
        c = k.c[0];
    }
    if (c.kind != CXCursor_StringLiteral || c.data[1] != lit.data[1])
        return false;
    CXSourceLocation l = clang_getCursorLocation(lit);
    if ((l.int_data & 0x80000000u) || l.int_data < w->main_base)
        return false;
    size_t off = l.int_data - w->main_base, i = off + 1, n = w->src_len;
    const char *src = w->src;
    if (off >= n || src[off] != '"')
        return false;
    while (i < n && src[i] != '"' && src[i] != '\\' && src[i] != '\n' &&
           !(src[i] == '?' && i + 1 < n && src[i + 1] == '?'))     /* trigraphs */
        i++;
    if (i >= n || src[i] != '"')
        return false;
    size_t j = i + 1;           /* what follows must end the argument */
    while (j < n && (src[j] == ' ' || src[j] == '\t' || src[j] == '\n' || src[j] == '\r'))
        j++;
    if (j >= n || !strchr(",);]}:", src[j]) || canon_kind(outer) != CXType_Pointer)
        return false;
    size_t len = i - off - 1;
    *o = op_kind(VC_OP_STRING, NULL);
    o->len = len;
    o->str = vc_arena_strndup(w->A, src + off + 1, len);
    o->text = vc_arena_printf(w->A, "\"%.60s\"", o->str ? o->str : "");
    if (!o->str || !o->text)
        w->b.oom = true;
    return true;
}

static vc_operand op_string(walker *w, CXCursor outer, CXCursor lit)
{
    vc_operand po;
    if (plain_string(w, outer, lit, &po))
        return po;
    CXEvalResult ev = clang_Cursor_Evaluate(outer);
    if (ev) {
        vc_operand o = op_kind(VC_OP_OTHER, "\"...\"");
        if (clang_EvalResult_getKind(ev) == CXEval_StrLiteral) {
            const char *s = clang_EvalResult_getAsStr(ev);
            o.kind = VC_OP_STRING;
            o.len = strlen(s);
            o.str = vc_arena_strndup(w->A, s, o.len);
            o.text = vc_arena_printf(w->A, "\"%.60s\"", s);
        }
        clang_EvalResult_dispose(ev);
        if (o.kind == VC_OP_STRING)
            return o;
    }
    return op_string_spelling(w, lit);
}

static void init_value(walker *w, vc_path path, CXType type, CXCursor init, CXCursor at);

/* `c ? "lit1" : "lit2"` (after implicit casts and parens): evaluates c
 * and sets alt[] to the two literals, each with its own location. Such an
 * index argument is then one of two known literals instead of a run-time
 * string: call() makes the call on two arms of a branch. */
static bool split_arms(walker *w, CXCursor a, vc_operand alt[2])
{
    CXCursor s = strip(a);
    if (clang_getCursorKind(s) != CXCursor_ConditionalOperator)
        return false;
    kids k = children(s);
    if (k.n != 3 || clang_getCursorKind(strip(k.c[1])) != CXCursor_StringLiteral ||
        clang_getCursorKind(strip(k.c[2])) != CXCursor_StringLiteral)
        return false;
    rv(w, k.c[0]);
    for (int arm = 0; arm < 2; arm++) {
        alt[arm] = op_string(w, k.c[arm + 1], strip(k.c[arm + 1]));
        alt[arm].loc = loc_of(w, k.c[arm + 1]);
    }
    return true;
}

#if !VC_HAVE_OPKIND
static enum CXChildVisitResult last_expr(CXCursor c, CXCursor p, CXClientData d)
{
    (void)p;
    if (clang_isExpression(clang_getCursorKind(c)))
        *(CXCursor *)d = c;
    return CXChildVisit_Continue;
}
#endif

/* A variable's initializer, or a null cursor. Before LLVM 17 there is no
 * clang_Cursor_getVarDeclInitializer: the initializer is the declaration's
 * last expression child (an array size expression comes before it). */
static CXCursor var_initializer(CXCursor d)
{
#if VC_HAVE_OPKIND
    return clang_Cursor_getVarDeclInitializer(d);
#else
    CXCursor init = clang_getNullCursor();
    clang_visitChildren(d, last_expr, &init);
    return init;
#endif
}

/* Is ty an array of (const) char pointers, with const elements if
 * need_const? */
static bool char_ptr_array(CXType ty, bool need_const)
{
    CXType canon = clang_getCanonicalType(ty);
    if (!is_array_kind(canon.kind))
        return false;
    CXType el = clang_getArrayElementType(canon);
    if (clang_getCanonicalType(el).kind != CXType_Pointer ||
        (need_const && !clang_isConstQualifiedType(el) &&
         !clang_isConstQualifiedType(canon)))  /* clang keeps element
                                                   qualifiers on the array */
        return false;
    enum CXTypeKind ck = clang_getCanonicalType(clang_getPointeeType(
                             clang_getCanonicalType(el))).kind;
    return ck == CXType_Char_S || ck == CXType_Char_U || ck == CXType_SChar ||
           ck == CXType_UChar;
}

/* A call argument that is an array of char pointers whose elements are
 * known from the source: a compound literal (`(const char *[]){"y", "z"}`)
 * or a static or file-scope array with const elements and an initializer
 * (`static const char *const names[] = {...}`; nobody can change it).
 * Lowered as a fresh local copy "lit.N" initialized here, element by
 * element like a local array, so the analysis reads the strings (field
 * lists, setup.c); *o becomes its decay, ADDR {lit.N, ELEM}. */
static bool literal_array_arg(walker *w, CXCursor a, vc_operand *o)
{
    CXCursor s = strip(a), init = clang_getNullCursor();
    CXType ty;
    const char *text = "<expr>";
    enum CXCursorKind k = clang_getCursorKind(s);
    if (k == CXCursor_CompoundLiteralExpr) {
        ty = clang_getCursorType(s);
        if (!char_ptr_array(ty, false))
            return false;
        kids ch = children(s);
        for (int i = 0; i < ch.n && i < 4; i++)
            if (clang_getCursorKind(ch.c[i]) == CXCursor_InitListExpr)
                init = ch.c[i];
    } else if (k == CXCursor_DeclRefExpr) {
        CXCursor d = clang_getCursorReferenced(s);
        if (clang_getCursorKind(d) != CXCursor_VarDecl)
            return false;
        int v = var_of(w, d);
        text = v >= 0 ? w->b.vars[v].name : text;
        if (v < 0 || !(w->b.vars[v].is_global || w->b.vars[v].is_static_local) ||
            (v < w->vkind_cap && !is_array_kind(w->vkind[v])))
            return false;
        ty = clang_getCursorType(d);
        if (!char_ptr_array(ty, true))
            return false;
        init = var_initializer(d);
        if (!clang_Cursor_isNull(init))
            ntab_extend(cur_tab, init);
    } else {
        return false;
    }
    if (clang_Cursor_isNull(init) || clang_getCursorKind(strip(init)) != CXCursor_InitListExpr)
        return false;
    int v = new_synth(w, ty, "lit.", &w->n_lits);
    if (v < 0)
        return false;
    init_value(w, path_var(v), ty, init, a);
    *o = op_kind(VC_OP_ADDR, text);
    o->path = path_step(path_var(v), VC_STEP_ELEM, NULL);
    return true;
}

/* Lowers a call. dst: where the result goes (var -1: a fresh temporary when
 * want_result and the call returns a value, else discarded). */
static vc_operand call(walker *w, CXCursor c, vc_path dst, bool want_result)
{
    kids k = children(c);
    const char *callee = NULL;
    vc_operand fnop = op_kind(VC_OP_NONE, NULL);
    if (k.n >= 1) {
        CXCursor f = strip(k.c[0]);
        CXCursor ref = clang_getCursorKind(f) == CXCursor_DeclRefExpr
                           ? clang_getCursorReferenced(f) : clang_getNullCursor();
        if (clang_getCursorKind(ref) == CXCursor_FunctionDecl)
            callee = callee_name(w, ref);
        else
            fnop = rv(w, k.c[0]);
    }
    int n = clang_Cursor_getNumArguments(c);
    vc_operand *args = NULL;
    if (n > 0 && !(args = vc_arena_alloc(w->A, (size_t)n * sizeof *args))) {
        w->b.oom = true;
        n = 0;
    }
    size_t tl = 0;
    char tbuf[96];
    bool cut = false;
    tbuf[0] = 0;
    /* one argument `c ? "lit1" : "lit2"` of a direct call: the call is
       made on two arms, one per literal (split_arms) */
    int split = -1;
    vc_operand alt[2];
    bool can_split = callee && (dst.var < 0 || !w->b.vars[dst.var].is_temp);
    for (int i = 0; i < n; i++) {
        CXCursor a = clang_Cursor_getArgument(c, i);
        if (can_split && split < 0 && split_arms(w, a, alt)) {
            split = i;
            args[i] = alt[0];
        } else if (!callee || !literal_array_arg(w, a, &args[i])) {
            args[i] = rv(w, a);
        }
        /* only literal arguments get their own location (rules point at
           a bad index string); others: line 0, use the call's */
        if (i != split && (args[i].kind == VC_OP_STRING || args[i].kind == VC_OP_INT ||
                           args[i].kind == VC_OP_NULL))
            args[i].loc = loc_of(w, a);
        /* "a, b, c" for messages, cut at ~88 bytes */
        const char *at = args[i].text ? args[i].text : "?";
        size_t al = strlen(at);
        if (cut) {
            /* already "..." */
        } else if (tl + al + 2 < sizeof tbuf - 8) {
            if (i) {
                memcpy(tbuf + tl, ", ", 2);
                tl += 2;
            }
            memcpy(tbuf + tl, at, al);
            tl += al;
        } else {
            /* tl < sizeof tbuf - 8 here, so it fits; jumping tl to the end
               instead left uninitialised bytes before the NUL (valgrind) */
            memcpy(tbuf + tl, "...", 3);
            tl += 3;
            cut = true;
        }
        tbuf[tl] = 0;
    }
    if (!callee) {
        /* Through a function pointer: whatever we pass may be kept. */
        for (int i = 0; i < n; i++)
            if (args[i].kind == VC_OP_PATH || args[i].kind == VC_OP_ADDR) {
                vc_inst *esc = emit_at(w, VC_I_ESCAPE, c);
                esc->src = args[i];
            }
    }
    vc_operand *args2 = NULL;
    int join = -1, eb = -1;
    if (split >= 0 && (args2 = vc_arena_alloc(w->A, (size_t)n * sizeof *args2))) {
        memcpy(args2, args, (size_t)n * sizeof *args2);
        args2[split] = alt[1];
        if (dst.var < 0 && want_result) {
            /* two CALLs assign the result: a join, not a temporary */
            CXType rt = clang_getCursorType(c);
            if (clang_getCanonicalType(rt).kind != CXType_Void)
                dst = path_var(new_temp(w, rt, true));
        }
        int from = w->b.cur, tb = new_block(w);
        eb = new_block(w);
        join = new_block(w);
        edge(w, from, tb);
        edge(w, from, eb);
        w->b.cur = tb;
    } else if (split >= 0) {
        w->b.oom = true;
    }
    if (join < 0 && dst.var < 0 && want_result) {
        CXType rt = clang_getCursorType(c);
        if (clang_getCanonicalType(rt).kind != CXType_Void)
            dst = path_var(new_temp(w, rt, false));
    }
    vc_inst *in = callee ? emit_direct_call(w, c, callee) : emit_at(w, VC_I_CALL, c);
    in->callee = callee;
    in->n_args = n;
    in->args = args;
    in->dst = dst;
    if (join >= 0) {
        vc_inst first = *in;
        edge(w, w->b.cur, join);
        w->b.cur = eb;
        in = emit_direct_call(w, c, callee);
        *in = first;
        in->args = args2;
        edge(w, w->b.cur, join);
        w->b.cur = join;
    }
    const char *name = callee ? callee : (fnop.text ? fnop.text : "(*fn)");
    const char *text = txt(w, "", name, "(", tbuf, ")");
    if (dst.var < 0)
        return op_kind(VC_OP_OTHER, text);
    vc_operand r = op_kind(VC_OP_PATH, text);
    r.path = dst;
    if (dst.n_steps == 0 && w->b.vars[dst.var].is_temp)
        r.text = text;
    return r;
}

/* Writes value expression `rhs` to target t; `at` locates the instructions.
 * Returns the operand the assignment expression yields. */
static vc_operand assign(walker *w, target t, enum CXTypeKind tk, CXCursor rhs,
                         CXCursor rs, CXCursor at)
{
    bool tracked = tracked_kind(tk);
    bool direct = t.through.kind == VC_OP_NONE;
    vc_operand v;
    if (t.path.var >= 0 && (tracked || direct) &&
        clang_getCursorKind(rs) == CXCursor_CallExpr) {
        /* the call's result goes straight into the target: no temporary */
        v = call(w, rs, t.path, true);
        if (tracked && w->b.vars[t.path.var].is_global) {
            vc_inst *esc = emit_at(w, VC_I_ESCAPE, at);
            esc->src = v;
        }
        return v;
    }
    v = rv_s(w, rhs, rs);
    if (!tracked && !direct) {
        vc_inst *in = emit_at(w, VC_I_STORE, at);
        in->src = t.through;
        in->src.loc = in->loc;
        return v;
    }
    if (t.path.var < 0) {
        if (tracked && (v.kind == VC_OP_PATH || v.kind == VC_OP_ADDR)) {
            vc_inst *esc = emit_at(w, VC_I_ESCAPE, at);
            esc->src = v;
        }
        return v;
    }
    bool copy = tracked ? (v.kind == VC_OP_PATH || v.kind == VC_OP_ADDR ||
                           v.kind == VC_OP_NULL || v.kind == VC_OP_STRING ||
                           v.kind == VC_OP_INT)
                        : v.kind == VC_OP_INT;
    vc_inst *in = emit_at(w, copy ? VC_I_COPY : VC_I_HAVOC, at);
    in->dst = t.path;
    if (copy)
        in->src = v;
    if (tracked && w->b.vars[t.path.var].is_global &&
        (v.kind == VC_OP_PATH || v.kind == VC_OP_ADDR)) {
        vc_inst *esc = emit_at(w, VC_I_ESCAPE, at);
        esc->src = v;
    }
    vc_operand r = op_kind(VC_OP_PATH, t.text);
    r.path = t.path;
    return tracked ? r : v;
}

/* Read-modify-write (`x += e`, `p[i]++`): a STORE through a raw pointer,
 * or HAVOC of a scalar variable (pointer arithmetic is seen through). */
static void modify(walker *w, target t, enum CXTypeKind tk, CXCursor at)
{
    if (t.through.kind != VC_OP_NONE) {
        vc_inst *in = emit_at(w, VC_I_STORE, at);
        in->src = t.through;
        in->src.loc = in->loc;
    } else if (t.path.var >= 0 && tk != CXType_Pointer) {
        vc_inst *in = emit_at(w, VC_I_HAVOC, at);
        in->dst = t.path;
    }
}

/* The operand of an lvalue expression s (lowered to t) used as a value. */
static vc_operand read_target(walker *w, CXCursor s, CXCursor at, target t)
{
    if (is_array_kind(lv_kind(w, s, &t))) {     /* decay: no read happens */
        vc_operand o = op_kind(t.path.var >= 0 ? VC_OP_ADDR : VC_OP_OTHER, t.text);
        o.path = path_step(t.path, VC_STEP_ELEM, NULL);
        return o;
    }
    if (t.through.kind != VC_OP_NONE) {
        vc_inst *in = emit_at(w, VC_I_LOAD, at);
        in->src = t.through;
        in->src.loc = in->loc;
    }
    if (t.path.var < 0)
        return op_kind(VC_OP_OTHER, t.text);
    vc_operand o = op_kind(VC_OP_PATH, t.text);
    o.path = t.path;
    if (t.path.n_steps > 0 && t.path.step[t.path.n_steps - 1].kind == VC_STEP_FIELD &&
        clang_getCursorKind(s) == CXCursor_MemberRefExpr) {
        /* a member's type is not in the IR: keep "pointer to const struct"
           (a const handle reached through a struct, VC005) */
        CXType pt = clang_getCanonicalType(clang_getCursorType(s));
        if (pt.kind == CXType_Pointer) {
            CXType pointee = clang_getPointeeType(pt);
            o.pointee_const = clang_isConstQualifiedType(pointee) &&
                              clang_getCanonicalType(pointee).kind == CXType_Record;
        }
    }
    return o;
}

static vc_operand read_lvalue(walker *w, CXCursor s, CXCursor at)
{
    return read_target(w, s, at, lv(w, s));
}

static vc_operand logical(walker *w, CXCursor lhs, CXCursor rhs)
{
    rv(w, lhs);
    int from = w->b.cur, rb = new_block(w), join = new_block(w);
    edge(w, from, rb);
    edge(w, from, join);
    w->b.cur = rb;
    rv(w, rhs);
    edge(w, w->b.cur, join);
    w->b.cur = join;
    return op_kind(VC_OP_OTHER, "<cond>");
}

static vc_operand conditional(walker *w, CXCursor c, kids k)
{
    rv(w, k.c[0]);
    CXType t = clang_getCursorType(c);
    enum CXTypeKind tk = clang_getCanonicalType(t).kind;
    int j = tracked_kind(tk) ? new_temp(w, t, true) : -1;
    int from = w->b.cur, tb = new_block(w), eb = new_block(w), join = new_block(w);
    edge(w, from, tb);
    edge(w, from, eb);
    for (int arm = 1; arm <= 2; arm++) {
        w->b.cur = arm == 1 ? tb : eb;
        if (j >= 0)
            assign(w, (target){ path_var(j), op_kind(VC_OP_NONE, NULL), "?:" },
                   tk, k.c[arm], strip(k.c[arm]), k.c[arm]);
        else
            rv(w, k.c[arm]);
        edge(w, w->b.cur, join);
    }
    w->b.cur = join;
    if (j < 0)
        return op_kind(VC_OP_OTHER, "<?:>");
    vc_operand o = op_kind(VC_OP_PATH, w->b.vars[j].name);
    o.path = path_var(j);
    return o;
}

static enum CXChildVisitResult rv_each(CXCursor c, CXCursor p, CXClientData d)
{
    (void)p;
    if (clang_isExpression(clang_getCursorKind(c)))
        rv(d, c);
    else if (clang_isStatement(clang_getCursorKind(c)))
        stmt(d, c);
    return CXChildVisit_Continue;
}

static vc_operand binary(walker *w, CXCursor s)
{
    kids k = children(s);
    if (k.n != 2) {
        each_child(s, rv_each, w);
        return op_kind(VC_OP_OTHER, "<expr>");
    }
    int op = binop(s);
    switch (op) {
    case CXBinaryOperator_Assign: {
        CXCursor l = strip(k.c[0]);
        target t = lv(w, l);
        return assign(w, t, lv_kind(w, l, &t), k.c[1], strip(k.c[1]), s);
    }
    case CXBinaryOperator_Comma:
        rv(w, k.c[0]);
        return rv(w, k.c[1]);
    case CXBinaryOperator_LAnd:
    case CXBinaryOperator_LOr:
        return logical(w, k.c[0], k.c[1]);
    default:
        break;
    }
    if (op >= CXBinaryOperator_Assign + 1 && op <= CXBinaryOperator_OrAssign) {
        CXCursor l = strip(k.c[0]);
        target t = lv(w, l);
        rv(w, k.c[1]);
        modify(w, t, canon_kind(l), s);
        if (t.path.var >= 0 && canon_kind(l) == CXType_Pointer) {
            vc_operand o = op_kind(VC_OP_PATH, t.text);
            o.path = t.path;
            return o;
        }
        return op_kind(VC_OP_OTHER, t.text);
    }
    vc_operand a = rv(w, k.c[0]);
    vc_operand b = rv(w, k.c[1]);
    if ((op == CXBinaryOperator_Add || op == CXBinaryOperator_Sub) &&
        canon_kind(s) == CXType_Pointer) {
        /* pointer +/- integer: the same object */
        enum CXTypeKind lk = canon_kind(strip(k.c[0]));
        return lk == CXType_Pointer || is_array_kind(lk) ? a : b;
    }
    long long v;
    if (a.kind == VC_OP_INT && b.kind == VC_OP_INT && eval_int(s, &v))
        return op_int(w, v);
    return op_kind(VC_OP_OTHER, "<expr>");
}

static vc_operand unary(walker *w, CXCursor s)
{
    kids k = children(s);
    if (k.n != 1)
        return op_kind(VC_OP_OTHER, "<expr>");
    CXCursor c = k.c[0];
    switch (unop(s)) {
    case CXUnaryOperator_Deref:
        return read_lvalue(w, s, s);
    case CXUnaryOperator_AddrOf: {
        target t = lv(w, c);
        /* &p[i] and &*p are p itself (pointer arithmetic) */
        if (t.through.kind == VC_OP_PATH && t.path.n_steps > 0 &&
            t.path.step[t.path.n_steps - 1].kind == VC_STEP_ELEM) {
            vc_path up = t.path;
            up.n_steps--;
            if (path_eq(&up, &t.through.path))
                return t.through;
        }
        if (t.path.var < 0)
            return t.through.kind != VC_OP_NONE ? t.through : op_kind(VC_OP_OTHER, t.text);
        vc_operand o = op_kind(VC_OP_ADDR, txt(w, "&", t.text, "", NULL, ""));
        o.path = t.path;
        return o;
    }
    case CXUnaryOperator_PostInc:
    case CXUnaryOperator_PostDec:
    case CXUnaryOperator_PreInc:
    case CXUnaryOperator_PreDec: {
        CXCursor l = strip(c);
        target t = lv(w, l);
        enum CXTypeKind tk = canon_kind(l);
        modify(w, t, tk, s);
        if (t.path.var >= 0 && tk == CXType_Pointer) {
            vc_operand o = op_kind(VC_OP_PATH, t.text);
            o.path = t.path;
            return o;
        }
        return op_kind(VC_OP_OTHER, t.text);
    }
    case CXUnaryOperator_Minus:
    case CXUnaryOperator_Plus:
    case CXUnaryOperator_Not:
    case CXUnaryOperator_LNot: {
        vc_operand a = rv(w, c);
        long long v;
        if (a.kind == VC_OP_INT && eval_int(s, &v))
            return op_int(w, v);
        return op_kind(VC_OP_OTHER, "<expr>");
    }
    case CXUnaryOperator_Extension:
        return rv(w, c);
    default:
        rv(w, c);
        return op_kind(VC_OP_OTHER, "<expr>");
    }
}

static vc_operand rv_inner(walker *w, CXCursor e, CXCursor s)
{
    switch (clang_getCursorKind(s)) {
    case CXCursor_IntegerLiteral:
    case CXCursor_CharacterLiteral:
    case CXCursor_UnaryExpr: {          /* sizeof/_Alignof: operand not evaluated */
        long long v;
        if (clang_getCursorKind(s) == CXCursor_IntegerLiteral && literal_int(w, s, &v))
            return op_int(w, v);
        if (eval_int(s, &v))
            return op_int(w, v);
        return op_kind(VC_OP_OTHER, "<const>");
    }
    case CXCursor_FloatingLiteral:
        return op_kind(VC_OP_OTHER, "<float>");
    case CXCursor_StringLiteral:
        return op_string(w, e, s);
    case CXCursor_DeclRefExpr: {
        CXCursor d = clang_getCursorReferenced(s);
        switch (clang_getCursorKind(d)) {
        case CXCursor_VarDecl:
        case CXCursor_ParmDecl:     /* lv(s) would ask for d again */
            return read_target(w, s, s, lv_var(w, d));
        case CXCursor_EnumConstantDecl:
            return op_int(w, clang_getEnumConstantDeclValue(d));
        default:
            return op_kind(VC_OP_OTHER, cxstr(w, clang_getCursorSpelling(d)));
        }
    }
    case CXCursor_MemberRefExpr:
    case CXCursor_ArraySubscriptExpr:
        return read_lvalue(w, s, s);
    case CXCursor_CallExpr:
        return call(w, s, path_var(-1), true);
    case CXCursor_UnaryOperator:
        return unary(w, s);
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator:
        return binary(w, s);
    case CXCursor_ConditionalOperator: {
        kids k = children(s);
        if (k.n == 3)
            return conditional(w, s, k);
        break;
    }
    case CXCursor_CStyleCastExpr: {
        kids k = children(s);       /* [TypeRef...,] expression */
        if (k.n < 1 || k.n > 4)
            break;
        vc_operand o = rv(w, k.c[k.n - 1]);
        enum CXTypeKind tk = canon_kind(s);
        if (tk == CXType_Void)
            return op_kind(VC_OP_OTHER, o.text);
        return o;
    }
    case CXCursor_StmtExpr: {
        kids k = children(s);
        if (k.n >= 1)
            stmt(w, k.c[0]);
        return op_kind(VC_OP_OTHER, "({...})");
    }
    case CXCursor_InitListExpr:
    case CXCursor_CompoundLiteralExpr:
    default:
        break;
    }
    each_child(s, rv_each, w);
    return op_kind(VC_OP_OTHER, "<expr>");
}

/* e: the expression as written; s: strip(e), when the caller has it. */
static vc_operand rv_s(walker *w, CXCursor e, CXCursor s)
{
    if (w->depth >= MAX_DEPTH || w->b.oom)
        return op_kind(VC_OP_OTHER, "<deep>");
    w->depth++;
    vc_operand o = rv_inner(w, e, s);
    w->depth--;
    /* 0 converted to a pointer is NULL (NULL itself is ((void *)0)). */
    if (o.kind == VC_OP_INT && o.ival == 0 && canon_kind(e) == CXType_Pointer)
        o.kind = VC_OP_NULL, o.text = "NULL";
    if (!o.text)
        o.text = "?";
    return o;
}

static vc_operand rv(walker *w, CXCursor e)
{
    return rv_s(w, e, strip(e));
}

/* ---- declarations ----------------------------------------------------------- */
typedef struct field_walk {
    const char *names[64];
    int n;
} field_walk;

typedef struct init_ctx {
    walker *w;
    vc_path path;
    bool is_array;
    int i;
    CXType type;
    field_walk fields;
} init_ctx;

static enum CXVisitorResult field_visit(CXCursor c, CXClientData d)
{
    init_ctx *ic = d;
    if (ic->fields.n < 64)
        ic->fields.names[ic->fields.n] = cxstr(ic->w, clang_getCursorSpelling(c));
    ic->fields.n++;
    return CXVisit_Continue;
}

static void init_value(walker *w, vc_path path, CXType type, CXCursor init, CXCursor at);

static enum CXChildVisitResult init_each(CXCursor c, CXCursor p, CXClientData d)
{
    (void)p;
    init_ctx *ic = d;
    walker *w = ic->w;
    if (!clang_isExpression(clang_getCursorKind(c)))
        return CXChildVisit_Continue;
    if (ic->is_array) {
        init_value(w, path_step(ic->path, VC_STEP_ELEM, NULL),
                   clang_getArrayElementType(ic->type), c, c);
    } else {
        /* Fields in declaration order; a field we cannot name becomes an
           ELEM step: still a weak location of the same object. */
        const char *name = ic->i < ic->fields.n && ic->i < 64 ? ic->fields.names[ic->i] : NULL;
        init_value(w, name ? path_step(ic->path, VC_STEP_FIELD, name)
                           : path_step(ic->path, VC_STEP_ELEM, NULL),
                   clang_getCursorType(c), c, c);
    }
    ic->i++;
    return CXChildVisit_Continue;
}

static void init_value(walker *w, vc_path path, CXType type, CXCursor init, CXCursor at)
{
    CXCursor s = strip(init);
    if (clang_getCursorKind(s) == CXCursor_InitListExpr) {
        CXType canon = clang_getCanonicalType(type);
        init_ctx ic;
        memset(&ic, 0, sizeof ic);
        ic.w = w;
        ic.path = path;
        ic.is_array = is_array_kind(canon.kind);
        ic.type = canon;
        if (canon.kind == CXType_Record)
            clang_Type_visitFields(canon, field_visit, &ic);
        each_child(s, init_each, &ic);
        return;
    }
    target t;
    memset(&t, 0, sizeof t);
    t.path = path;
    t.through = op_kind(VC_OP_NONE, NULL);
    t.text = path.var >= 0 ? w->b.vars[path.var].name : "?";
    assign(w, t, clang_getCanonicalType(type).kind, init, s, at);
}

static void var_decl(walker *w, CXCursor d)
{
    int v = var_of(w, d);
    if (v < 0 || w->b.vars[v].is_static_local || w->b.vars[v].is_global)
        return;     /* static/extern locals: constant or not ours to init */
    CXCursor init = var_initializer(d);
    if (clang_Cursor_isNull(init))
        return;
    ntab_extend(cur_tab, init);
    CXCursor s = strip(init);
    if (clang_getCursorKind(s) == CXCursor_InitListExpr) {
        init_value(w, path_var(v), clang_getCursorType(d), init, d);
        return;
    }
    /* init_value's scalar case, with the canonical kind var_of already has */
    target t;
    memset(&t, 0, sizeof t);
    t.path = path_var(v);
    t.through = op_kind(VC_OP_NONE, NULL);
    t.text = w->b.vars[v].name;
    assign(w, t, v < w->vkind_cap ? w->vkind[v] : canon_kind(d), init, s, d);
}

static enum CXChildVisitResult decl_each(CXCursor c, CXCursor p, CXClientData d)
{
    (void)p;
    if (clang_getCursorKind(c) == CXCursor_VarDecl)
        var_decl(d, c);
    return CXChildVisit_Continue;
}

/* ---- statements --------------------------------------------------------------- */
static int label_block(walker *w, const char *name)
{
    int b = vc_irb_label_block(&w->b, name);
    return b < 0 ? w->exit : b;
}

static enum CXChildVisitResult stmt_each(CXCursor c, CXCursor p, CXClientData d)
{
    (void)p;
    stmt(d, c);
    return CXChildVisit_Continue;
}

static void expr_stmt(walker *w, CXCursor e)
{
    CXCursor s = strip(e);
    if (clang_getCursorKind(s) == CXCursor_CallExpr)
        call(w, s, path_var(-1), false);
    else
        rv_s(w, e, s);
}

static void loop_body(walker *w, CXCursor body, int brk, int cont)
{
    int ob = w->brk, oc = w->cont;
    w->brk = brk;
    w->cont = cont;
    stmt(w, body);
    w->brk = ob;
    w->cont = oc;
}

/* Offset in the main file of where c starts, when it is plainly there. */
static bool start_off(walker *w, CXCursor c, unsigned *off)
{
    unsigned line, col;
    CXSourceLocation l = clang_getRangeStart(clang_getCursorExtent(c));
    if (!fast_pos(w, l, &line, &col))
        return false;
    *off = l.int_data - w->main_base;
    return true;
}

/* The offsets of the two `;` of a for header written plainly in the main
 * file (not from a macro): skips parentheses, literals and comments. */
static bool for_semis(walker *w, CXCursor s, unsigned semi[2])
{
    unsigned i;
    if (!start_off(w, s, &i) || w->src_len - i < 4 || strncmp(w->src + i, "for", 3))
        return false;
    const char *src = w->src;
    size_t n = w->src_len;
    int depth = 0, found = 0;
    for (i += 3; i < n && found < 2; i++) {
        char c = src[i];
        if (c == '/' && i + 1 < n && src[i + 1] == '/') {
            while (i < n && src[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < n && src[i + 1] == '*') {
            for (i += 2; i + 1 < n && !(src[i] == '*' && src[i + 1] == '/'); i++)
                ;
            i++;
        } else if (c == '"' || c == '\'') {
            for (i++; i < n && src[i] != c; i++)
                if (src[i] == '\\')
                    i++;
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth <= 0)
                return false;
        } else if (c == ';' && depth == 1) {
            semi[found++] = i;
        } else if (depth == 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            return false;       /* something other than `for (` */
        }
    }
    return found == 2;
}

static void for_stmt(walker *w, CXCursor s)
{
    kids k = children(s);
    if (k.n < 1 || k.n > 4)
        return;
    CXCursor body = k.c[k.n - 1];
    int nparts = k.n - 1;
    /* which of init, cond, inc are present (libclang-notes 3.8: only the
       present ones are children) */
    int role[3] = { 0, 1, 2 };      /* 0 init, 1 cond, 2 inc, 3 unknown */
    if (nparts < 3) {
        unsigned semi[2], off;
        bool known = for_semis(w, s, semi);
        for (int i = 0; i < nparts; i++) {
            if (known && start_off(w, k.c[i], &off))
                role[i] = off < semi[0] ? 0 : off < semi[1] ? 1 : 2;
            else
                role[i] = clang_getCursorKind(k.c[i]) == CXCursor_DeclStmt ? 0 : 3;
        }
    }
    for (int i = 0; i < nparts; i++)
        if (role[i] == 0) {
            if (clang_getCursorKind(k.c[i]) == CXCursor_DeclStmt)
                stmt(w, k.c[i]);
            else
                expr_stmt(w, k.c[i]);
        }
    int hdr = new_block(w);
    edge(w, w->b.cur, hdr);
    w->b.cur = hdr;
    /* the condition, and any part we could not place (it then runs on
       every iteration, before the body: a sound over-approximation) */
    for (int i = 0; i < nparts; i++)
        if (role[i] == 1 || role[i] == 3)
            expr_stmt(w, k.c[i]);
    int hdr_end = w->b.cur, bb = new_block(w), xb = new_block(w), ib = new_block(w);
    edge(w, hdr_end, bb);
    edge(w, hdr_end, xb);
    w->b.cur = bb;
    loop_body(w, body, xb, ib);
    edge(w, w->b.cur, ib);
    w->b.cur = ib;
    for (int i = 0; i < nparts; i++)
        if (role[i] == 2)
            expr_stmt(w, k.c[i]);
    edge(w, w->b.cur, hdr);
    w->b.cur = xb;
}

static void stmt(walker *w, CXCursor s)
{
    if (w->depth >= MAX_DEPTH || w->b.oom)
        return;
    w->depth++;
    enum CXCursorKind kind = clang_getCursorKind(s);
    switch (kind) {
    case CXCursor_CompoundStmt:
        each_child(s, stmt_each, w);
        break;
    case CXCursor_DeclStmt:
        each_child(s, decl_each, w);
        break;
    case CXCursor_IfStmt: {
        kids k = children(s);
        if (k.n < 2)
            break;
        rv(w, k.c[0]);
        int head = w->b.cur, tb = new_block(w), join = new_block(w);
        edge(w, head, tb);
        w->b.cur = tb;
        stmt(w, k.c[1]);
        edge(w, w->b.cur, join);
        if (k.n >= 3) {
            int eb = new_block(w);
            edge(w, head, eb);
            w->b.cur = eb;
            stmt(w, k.c[2]);
            edge(w, w->b.cur, join);
        } else {
            edge(w, head, join);
        }
        w->b.cur = join;
        break;
    }
    case CXCursor_WhileStmt: {
        kids k = children(s);
        if (k.n < 2)
            break;
        int hdr = new_block(w);
        edge(w, w->b.cur, hdr);
        w->b.cur = hdr;
        rv(w, k.c[0]);
        int he = w->b.cur, bb = new_block(w), xb = new_block(w);
        edge(w, he, bb);
        edge(w, he, xb);
        w->b.cur = bb;
        loop_body(w, k.c[1], xb, hdr);
        edge(w, w->b.cur, hdr);
        w->b.cur = xb;
        break;
    }
    case CXCursor_DoStmt: {
        kids k = children(s);
        if (k.n < 2)
            break;
        int bb = new_block(w), cb = new_block(w), xb = new_block(w);
        edge(w, w->b.cur, bb);
        w->b.cur = bb;
        loop_body(w, k.c[0], xb, cb);
        edge(w, w->b.cur, cb);
        w->b.cur = cb;
        rv(w, k.c[1]);
        edge(w, w->b.cur, bb);
        edge(w, w->b.cur, xb);
        w->b.cur = xb;
        break;
    }
    case CXCursor_ForStmt:
        for_stmt(w, s);
        break;
    case CXCursor_SwitchStmt: {
        kids k = children(s);
        if (k.n < 2)
            break;
        rv(w, k.c[0]);
        int head = w->b.cur, xb = new_block(w);
        int oh = w->sw_head, ob = w->brk;
        bool od = w->sw_default;
        w->sw_head = head;
        w->sw_default = false;
        w->brk = xb;
        w->b.cur = new_block(w);      /* code before the first label: dead */
        stmt(w, k.c[k.n - 1]);
        edge(w, w->b.cur, xb);
        if (!w->sw_default)
            edge(w, head, xb);
        w->sw_head = oh;
        w->sw_default = od;
        w->brk = ob;
        w->b.cur = xb;
        break;
    }
    case CXCursor_CaseStmt:
    case CXCursor_DefaultStmt: {
        kids k = children(s);
        int nb = new_block(w);
        edge(w, w->b.cur, nb);        /* fall through from the previous case */
        if (w->sw_head >= 0)
            edge(w, w->sw_head, nb);
        if (kind == CXCursor_DefaultStmt)
            w->sw_default = true;
        w->b.cur = nb;
        if (k.n >= 1 && (kind == CXCursor_DefaultStmt || k.n >= 2))
            stmt(w, k.c[k.n > 4 ? 3 : k.n - 1]);
        break;
    }
    case CXCursor_BreakStmt:
        if (w->brk >= 0)
            jump(w, w->brk);
        break;
    case CXCursor_ContinueStmt:
        if (w->cont >= 0)
            jump(w, w->cont);
        break;
    case CXCursor_ReturnStmt: {
        kids k = children(s);
        vc_operand v = op_kind(VC_OP_NONE, NULL);
        if (k.n >= 1)
            v = rv(w, k.c[0]);
        vc_inst *in;
        if (k.n >= 1) {
            /* `return e` ends where e ends (ReturnStmt's range is the
               keyword to e's end): one extent query, not two */
            CXSourceRange er = clang_getCursorExtent(k.c[0]);
            CXSourceRange rr = clang_getRange(clang_getCursorLocation(s),
                                              clang_getRangeEnd(er));
            in = emit(w, VC_I_RETURN);
            in->loc = inst_loc_range(w, rr, &in->macro);
            in->src = v;
            in->src.loc = range_loc(w, er);
        } else {
            in = emit_at(w, VC_I_RETURN, s);
            in->src = v;
        }
        jump(w, w->exit);
        break;
    }
    case CXCursor_GotoStmt: {
        kids k = children(s);
        if (k.n >= 1) {
            const char *name = cxstr(w, clang_getCursorSpelling(k.c[0]));
            jump(w, label_block(w, name));
        }
        break;
    }
    case CXCursor_IndirectGotoStmt:
        each_child(s, rv_each, w);
        vc_irb_indirect_goto(&w->b);
        w->b.cur = new_block(w);
        break;
    case CXCursor_LabelStmt: {
        int lb = label_block(w, cxstr(w, clang_getCursorSpelling(s)));
        edge(w, w->b.cur, lb);
        w->b.cur = lb;
        kids k = children(s);
        if (k.n >= 1)
            stmt(w, k.c[k.n > 4 ? 3 : k.n - 1]);
        break;
    }
    case CXCursor_NullStmt:
    case CXCursor_AsmStmt:
        break;
    default:
        if (clang_isExpression(kind))
            expr_stmt(w, s);
        break;
    }
    w->depth--;
}

/* ---- functions ------------------------------------------------------------------ */
static enum CXChildVisitResult find_body(CXCursor c, CXCursor p, CXClientData d)
{
    (void)p;
    if (clang_getCursorKind(c) == CXCursor_CompoundStmt)
        *(CXCursor *)d = c;
    return CXChildVisit_Continue;
}

static void begin_func(walker *w)
{
    vc_irb_begin(&w->b);            /* scratch arrays keep their capacity */
    if (w->vmap_cap)
        for (int i = 0; i < w->vmap_cap; i++)
            w->vmap[i].idx = -1;
    w->vmap_used = 0;
    w->brk = w->cont = w->sw_head = -1;
    w->sw_default = false;
    w->n_temps = w->n_joins = w->n_lits = 0;
    w->depth = 0;
}

/* Moves the function into the arena (vc_irb_finish); an incomplete one
 * (ENOMEM) is not counted and fails the TU. */
static void finish_function(walker *w, vc_func *f)
{
    if (vc_irb_finish(&w->b, f) == 0)
        w->tu->n_funcs++;
}

static void lower_function(walker *w, CXCursor fn)
{
    /* one traversal for both: the body is fn's last CompoundStmt child */
    CXCursor body = clang_getNullCursor();
    ntab_build(&w->tab, fn);
    if (w->tab.ok) {
        for (int ch = w->tab.v[0].first; ch >= 0; ch = w->tab.v[ch].next)
            if (w->tab.v[ch].c.kind == CXCursor_CompoundStmt)
                body = w->tab.v[ch].c;
    } else {
        clang_visitChildren(fn, find_body, &body);
    }
    if (clang_Cursor_isNull(body))
        return;
    if (w->tu->n_funcs == w->cap_funcs) {
        int nc = w->cap_funcs ? w->cap_funcs * 2 : 16;
        void *p = vc_arena_grow(w->A, w->tu->funcs, (size_t)w->cap_funcs, (size_t)nc,
                                sizeof(vc_func));
        if (!p) {
            w->b.oom = true;
            return;
        }
        w->tu->funcs = p;
        w->cap_funcs = nc;
    }
    begin_func(w);
    vc_func *f = &w->tu->funcs[w->tu->n_funcs];
    memset(f, 0, sizeof *f);
    f->name = cxstr(w, clang_getCursorSpelling(fn));
    /* pos(): clang_getFileLocation's answer, by arithmetic when plain */
    pos(w, clang_getCursorLocation(fn), &f->loc.file, &f->loc.line, &f->loc.col);
    f->loc.end_line = f->loc.line;
    f->loc.end_col = f->loc.col;
    f->is_static = clang_Cursor_getStorageClass(fn) == CX_SC_Static;
    const char *rbase;
    bool pc, agg;
    enum CXTypeKind rk;
    type_info(w, clang_getResultType(clang_getCursorType(fn)), &f->ret_type, &rbase,
              &f->ret_ptr_depth, &pc, &agg, &rk);
    f->ret_base_type = rbase;

    int n = clang_Cursor_getNumArguments(fn);
    for (int i = 0; i < n; i++) {
        CXCursor p = clang_Cursor_getArgument(fn, i);
        int v = var_of(w, p);
        if (v >= 0 && !*w->b.vars[v].name)
            w->b.vars[v].name = vc_arena_printf(w->A, "arg%d", i + 1);
    }
    f->n_params = n > 0 ? n : 0;

    cur_tab = &w->tab;
    f->entry = new_block(w);        /* 0 */
    f->exit = w->exit = new_block(w);   /* 1 */
    w->b.cur = f->entry;
    stmt(w, body);
    edge(w, w->b.cur, w->exit);       /* falling off the end returns */
    cur_tab = NULL;
    vc_irb_link_gotos(&w->b);

    finish_function(w, f);
}


static enum CXChildVisitResult top_visit(CXCursor c, CXCursor p, CXClientData d)
{
    (void)p;
    walker *w = d;
    if (w->b.oom)
        return CXChildVisit_Break;
    if (clang_getCursorKind(c) != CXCursor_FunctionDecl)
        return CXChildVisit_Continue;   /* file-scope initializers: never */
    CXSourceLocation loc = clang_getCursorLocation(c);
    /* A plain file location outside the main file's offset range (see
     * fast_pos) is in a header and not from a macro: never ours. Skips two
     * libclang queries for each of the thousands of header prototypes. */
    if (w->fast && !(loc.int_data & 0x80000000u) &&
        (loc.int_data < w->main_base || loc.int_data - w->main_base > w->src_len))
        return CXChildVisit_Continue;
    /* isFromMainFile compares the location's FileID with the main file's;
     * a macro location's FileID is its expansion's, so the answer is 0
     * there (libclang-notes 3.10): thousands of math.h prototypes are
     * declared through macros, so skip the call for them. */
    bool in_main = !(macro_bit_state == 1 && (loc.int_data & 0x80000000u)) &&
                   clang_Location_isFromMainFile(loc);
    if (!in_main && !clang_isCursorDefinition(c))
        return CXChildVisit_Continue;   /* header prototypes: the common case */
    if (!in_main) {
        /* a definition produced by a macro used in the main file */
        CXFile f;
        clang_getExpansionLocation(loc, &f, NULL, NULL, NULL);
        if (!f || !clang_File_isEqual(f, w->mainf))
            return CXChildVisit_Continue;
    } else if (!clang_isCursorDefinition(c)) {
        return CXChildVisit_Continue;
    }
    lower_function(w, c);
    return CXChildVisit_Continue;
}

void vc__walk_init(void)
{
    pthread_once(&macro_bit_once, macro_bit_probe);
}

int vc__walk_tu(struct CXTranslationUnitImpl *ctu, vc_tu *tu)
{
    pthread_once(&macro_bit_once, macro_bit_probe);
    walker w;
    memset(&w, 0, sizeof w);
    w.A = w.b.A = tu->arena;
    w.tu = tu;
    w.ctu = ctu;
    CXString sp = clang_getTranslationUnitSpelling(ctu);
    w.mainf = clang_getFile(ctu, clang_getCString(sp));
    clang_disposeString(sp);
    if (w.mainf)
        w.src = clang_getFileContents(ctu, w.mainf, &w.src_len);
    if (w.src && macro_bit_state == 1 && build_lines(&w)) {
        CXSourceLocation b = clang_getLocationForOffset(ctu, w.mainf, 0);
        CXSourceLocation e = clang_getLocationForOffset(ctu, w.mainf, (unsigned)w.src_len);
        w.main_base = b.int_data;
        w.fast = !(b.int_data & 0x80000000u) && e.int_data - b.int_data == w.src_len;
    }
    clang_visitChildren(clang_getTranslationUnitCursor(ctu), top_visit, &w);
    free(w.vmap);
    free(w.tcache);
    free(w.ncache);
    vc_irb_free(&w.b);
    ntab_free(&w.tab);
    free(w.lines);
    free(w.vkind);
    return w.b.oom ? -1 : 0;
}
