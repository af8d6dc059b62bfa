/*
 * test_walk.c - the front end (cx.c, walk.c, cfg.c, source.c) on small C
 * sources given as unsaved buffers: flattening of nested calls, COPY
 * through casts and pointer arithmetic, STORE/LOAD through raw pointers,
 * access paths, CFG shapes, string literals through macros, literal
 * arrays passed as arguments, calls split over a choice of two literals,
 * const struct members, expansion-site locations, comments, and compiler
 * errors.
 *
 * Assertions read the IR dump (ir.c) for instruction shapes and the IR
 * structs directly for graph properties.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cx.h"

static vc_cx *cx;
static vc_tu *tu;
static char *dump;

static const char *const args[] = { "-Iruntime/include", "-std=c11" };

static void lower(const char *src)
{
    char *err = NULL;
    vc_tu_free(tu);
    tu = NULL;
    int rc = vc_cx_lower(cx, "walk_test.c", args, 2, src, strlen(src), &tu, &err);
    ck_assert_msg(rc == 0, "lowering failed: %s", err ? err : "?");
    free(err);
}

static const vc_func *func(const char *name)
{
    for (int i = 0; i < tu->n_funcs; i++)
        if (!strcmp(tu->funcs[i].name, name)) {
            free(dump);
            dump = vc_ir_dump(&tu->funcs[i]);
            return &tu->funcs[i];
        }
    ck_abort_msg("no function %s", name);
    return NULL;
}

static void has(const char *needle)
{
    ck_assert_msg(strstr(dump, needle) != NULL, "'%s' not in IR:\n%s", needle, dump);
}

static void setup(void)
{
    cx = vc_cx_new();
    ck_assert_ptr_nonnull(cx);
}

static void teardown(void)
{
    vc_tu_free(tu);
    tu = NULL;
    free(dump);
    dump = NULL;
    vc_cx_free(cx);
}

START_TEST(nested_calls_become_temps_in_order)
{
    lower("#include <nd.h>\n"
          "void f(nd_array *a) {\n"
          "    nd_array *row = nd_get(a, \"0\");\n"
          "    nd_isub_scalar(row, nd_mean(row));\n"
          "}\n");
    func("f");
    has("CALL row = nd_get(a, \"0\") @3:21");
    has("CALL t1 = nd_mean(row)");
    has("CALL nd_isub_scalar(row, t1)");
    ck_assert(strstr(dump, "nd_mean") < strstr(dump, "nd_isub_scalar"));
    has("var 2 t1 : double [base=double depth=0] temp");
}
END_TEST

START_TEST(copies_see_through_casts_and_offsets)
{
    lower("#include <nd.h>\n"
          "void f(nd_array *a) {\n"
          "    double *q = (double *)nd_data(a) + 3;\n"
          "    char *c = (char *)q;\n"
          "    double *r;\n"
          "    r = q - 1;\n"
          "    (void)c; (void)r;\n"
          "}\n");
    func("f");
    has("CALL t1 = nd_data(a)");
    has("COPY q = t1");
    has("COPY c = q");
    has("COPY r = q");
}
END_TEST

START_TEST(stores_and_loads_through_raw_pointers)
{
    lower("void f(double *p, int i, double x) {\n"
          "    p[i] = x;\n"        /* 2 */
          "    *p += 1;\n"         /* 3 */
          "    p[i]++;\n"          /* 4 */
          "    ++*p;\n"            /* 5 */
          "    x = p[2];\n"        /* 6 */
          "    double buf[4];\n"
          "    buf[0] = x;\n"      /* 8: local array: no STORE */
          "}\n");
    func("f");
    has("STORE p @2:5");
    has("STORE p @3:5");
    has("STORE p @4:5");
    has("STORE p @5:5");
    has("LOAD p @6:9");
    has("HAVOC buf[] @8:5");        /* a local array element: no STORE */
    ck_assert_ptr_null(strstr(dump, "STORE buf"));
}
END_TEST

START_TEST(access_paths_fields_elements_out_params)
{
    lower("#include <nd.h>\n"
          "struct holder { nd_array *h; double *data; };\n"
          "nd_array *g;\n"
          "void f(struct holder *d, nd_array **out, nd_array *a, struct holder s) {\n"
          "    d->h = a;\n"
          "    s.h = a;\n"
          "    *out = a;\n"
          "    nd_array *rows[2] = { a, 0 };\n"
          "    rows[1] = nd_copy(a);\n"
          "    d->data[0] = 1.5;\n"
          "    g = a;\n"
          "    nd_array *x = rows[0];\n"
          "    nd_array **pp = &rows[1];\n"
          "    (void)x; (void)pp;\n"
          "}\n");
    func("f");
    has("COPY d.h = a");
    has("COPY s.h = a");
    has("COPY out[] = a");
    has("COPY rows[] = a");
    has("COPY rows[] = NULL");
    has("CALL rows[] = nd_copy(a)");
    has("LOAD d @10:5");
    has("STORE d.data @10:5");
    has("COPY g = a");
    has("ESCAPE a");
    has("global");
    has("COPY x = rows[]");
    has("COPY pp = &rows[]");
    has("var 4 rows : struct nd_array *[2] [base=nd_array depth=2] aggregate");
    has("var 0 d : struct holder * [base=holder depth=1] param");
}
END_TEST

START_TEST(types_keep_typedef_names)
{
    lower("#include <nd.h>\n"
          "typedef nd_array *arr_ptr;\n"
          "void f(const nd_array *c, arr_ptr p, const char *s) { (void)c; (void)p; (void)s; }\n");
    func("f");
    has("var 0 c : const struct nd_array * [base=nd_array depth=1 const] param");
    has("var 1 p : struct nd_array * [base=nd_array depth=1] param");
    has("var 2 s : const char * [base=char depth=1 const] param");
}
END_TEST

/* number of blocks with n successors */
static int count_succ(const vc_func *f, int n)
{
    int k = 0;
    for (int b = 0; b < f->n_blocks; b++)
        k += f->blocks[b].n_succ == n;
    return k;
}

/* a retreating edge in reverse postorder: the graph has a cycle */
static bool has_back_edge(const vc_func *f)
{
    int *order = malloc((size_t)f->n_blocks * sizeof *order);
    int *pos = malloc((size_t)f->n_blocks * sizeof *pos);
    ck_assert(order && pos);
    int n = vc_cfg_rpo(f, order);
    ck_assert_int_gt(n, 0);
    for (int b = 0; b < f->n_blocks; b++)
        pos[b] = -1;
    for (int i = 0; i < n; i++)
        pos[order[i]] = i;
    bool back = false;
    for (int b = 0; b < f->n_blocks; b++)
        for (int s = 0; s < f->blocks[b].n_succ; s++)
            if (pos[b] >= 0 && pos[f->blocks[b].succ[s]] <= pos[b])
                back = true;
    free(order);
    free(pos);
    return back;
}

/* pred lists mirror succ lists exactly */
static void check_preds(const vc_func *f)
{
    for (int b = 0; b < f->n_blocks; b++)
        for (int s = 0; s < f->blocks[b].n_succ; s++) {
            const vc_block *t = &f->blocks[f->blocks[b].succ[s]];
            bool found = false;
            for (int p = 0; p < t->n_pred; p++)
                found |= t->pred[p] == b;
            ck_assert_msg(found, "edge %d->%d missing from preds", b, f->blocks[b].succ[s]);
        }
    ck_assert_int_eq(f->blocks[f->entry].n_pred, 0);
    ck_assert_int_eq(f->blocks[f->exit].n_succ, 0);
    ck_assert_int_eq(f->blocks[f->exit].n_insts, 0);
}

START_TEST(cfg_if_while_return)
{
    lower("int f(int x, double *p) {\n"
          "    if (x) p[0] = 1; else p[1] = 2;\n"
          "    return 0;\n"
          "}\n"
          "void g(int n, double *p) {\n"
          "    while (n > 0) { p[n] = 0; n--; }\n"
          "}\n"
          "void h(int n, double *p) {\n"
          "    if (n) return;\n"
          "    p[0] = 1;\n"
          "}\n");
    const vc_func *f = func("f");
    check_preds(f);
    ck_assert_int_eq(count_succ(f, 2), 1);      /* the if */
    ck_assert(!has_back_edge(f));
    has("STORE p @2:12");
    has("STORE p @2:27");
    /* the join after if/else has both arms as predecessors */
    bool join = false;
    for (int b = 0; b < f->n_blocks; b++)
        join |= f->blocks[b].n_pred == 2 && b != f->exit;
    ck_assert(join);

    const vc_func *g = func("g");
    check_preds(g);
    ck_assert(has_back_edge(g));
    ck_assert_int_eq(count_succ(g, 2), 1);      /* the loop test */

    const vc_func *h = func("h");
    check_preds(h);
    /* the early return reaches exit directly: exit has 2 predecessors */
    ck_assert_int_eq(h->blocks[h->exit].n_pred, 2);
    has("RETURN -");
}
END_TEST

/* the block holding the instruction at line:col, or -1 */
static int block_at(const vc_func *f, unsigned line, unsigned col)
{
    for (int b = 0; b < f->n_blocks; b++)
        for (int i = 0; i < f->blocks[b].n_insts; i++)
            if (f->blocks[b].insts[i].loc.line == line && f->blocks[b].insts[i].loc.col == col)
                return b;
    return -1;
}

/* is block b on a cycle (reachable from its own successors)? */
static bool in_cycle(const vc_func *f, int b)
{
    int *stack = malloc((size_t)f->n_blocks * sizeof *stack);
    char *seen = calloc((size_t)f->n_blocks, 1);
    int sp = 0;
    bool found = false;
    for (int s = 0; s < f->blocks[b].n_succ; s++)
        stack[sp++] = f->blocks[b].succ[s];
    while (sp && !found) {
        int x = stack[--sp];
        if (x == b)
            found = true;
        if (seen[x])
            continue;
        seen[x] = 1;
        for (int s = 0; s < f->blocks[x].n_succ; s++)
            stack[sp++] = f->blocks[x].succ[s];
    }
    free(stack);
    free(seen);
    return found;
}

START_TEST(for_headers_with_missing_parts)
{
    lower("void f(double *p, int n) {\n"
          "    int i = 0;\n"
          "    for (; i < n; i++) p[i] = 0;\n"                     /* 3: cond, inc */
          "    for (i = 0; /* ; */ ; i++) { if (i > n) break; }\n"  /* 4: init, inc */
          "    for (i = 0; i < n;) i += 2;\n"                      /* 5: init, cond */
          "}\n");
    const vc_func *f = func("f");
    check_preds(f);
    int inc3 = block_at(f, 3, 19), init4 = block_at(f, 4, 10), inc4 = block_at(f, 4, 27);
    int init5 = block_at(f, 5, 10);
    ck_assert_msg(inc3 >= 0 && init4 >= 0 && inc4 >= 0 && init5 >= 0, "%s", dump);
    ck_assert(in_cycle(f, inc3));       /* the increment runs in the loop */
    ck_assert(!in_cycle(f, init4));     /* the init runs once, before it */
    ck_assert(in_cycle(f, inc4));
    ck_assert(!in_cycle(f, init5));
    /* the increment follows the body: it is not in the loop head, whose
       block ends with the exit test (two successors) */
    ck_assert_int_eq(f->blocks[inc3].n_succ, 1);
}
END_TEST

START_TEST(cfg_switch_goto_logical_conditional)
{
    lower("#include <nd.h>\n"
          "int f(int k, nd_array *a, nd_array *b) {\n"
          "    nd_array *c = k ? a : b;\n"
          "    if (k && nd_ndim(a)) k = 2;\n"
          "    switch (k) { case 1: k = 3; break; case 2: case 3: k = 4; default: goto out; }\n"
          "    k = 5;\n"
          "out:\n"
          "    (void)c;\n"
          "    return k;\n"
          "}\n");
    const vc_func *f = func("f");
    check_preds(f);
    has("COPY cond.1 = a");
    has("COPY cond.1 = b");
    has("COPY c = cond.1");
    has("CALL t1 = nd_ndim(a)");
    /* the switch head fans out to its 4 labels (no default -> no exit edge) */
    ck_assert_int_ge(count_succ(f, 3) + count_succ(f, 4), 1);
    for (int v = 0; v < f->n_vars; v++)
        if (!strcmp(f->vars[v].name, "cond.1"))
            ck_assert(!f->vars[v].is_temp);
}
END_TEST

START_TEST(string_literals_and_constants_through_macros)
{
    lower("#include <nd.h>\n"
          "#define IDX \"1:\" \"3\"\n"
          "#define GET(a) nd_get(a, IDX)\n"
          "enum { AX = 2 };\n"
          "void f(nd_array *a) {\n"
          "    nd_array *v = GET(a);\n"
          "    nd_array *w = nd_get(a, \"..., \\\"x\\\"\");\n"
          "    nd_array *m = nd_mean_axis(a, AX + 1);\n"
          "    nd_array *n = nd_mean_axis(a, (int)sizeof(double));\n"
          "    (void)v; (void)w; (void)m; (void)n;\n"
          "}\n");
    func("f");
    has("CALL v = nd_get(a, \"1:3\") @6:19 macro GET");
    has("CALL w = nd_get(a, \"..., \\\"x\\\"\")");
    has("nd_mean_axis(a, 3)");
    has("nd_mean_axis(a, 8)");
    ck_assert_int_eq(tu->n_macros, 2);
    ck_assert_str_eq(tu->macros[1].name, "GET");
    ck_assert_uint_eq(tu->macros[1].line, 3);
}
END_TEST

/* The first CALL of `callee` in f (NULL if none). */
static const vc_inst *first_call(const vc_func *f, const char *callee)
{
    for (int b = 0; b < f->n_blocks; b++)
        for (int i = 0; i < f->blocks[b].n_insts; i++) {
            const vc_inst *in = &f->blocks[b].insts[i];
            if (in->kind == VC_I_CALL && in->callee && !strcmp(in->callee, callee))
                return in;
        }
    return NULL;
}

START_TEST(literal_arrays_literal_choices_const_members)
{
    lower("#include <nd.h>\n"
          "static const char *const yz[] = {\"y\", \"z\"};\n"
          "static const char *loose[] = {\"y\", \"z\"};\n"
          "struct job { const nd_array *in; nd_array *out; };\n"
          "double f(nd_array *rec, int k, struct job *j) {\n"
          "    static const char *const ab[] = {\"a\", \"b\"};\n"
          "    nd_array *p = nd_fields(rec, 2, ab);\n"
          "    nd_array *q = nd_fields(rec, 2, yz);\n"
          "    nd_array *r = nd_fields(rec, 2, (const char *[]){\"c\", \"d\"});\n"
          "    nd_array *s = nd_fields(rec, 2, loose);\n"
          "    nd_array *v = nd_get(rec, k ? \":5\" : \"5:\");\n"
          "    double m = nd_mean(nd_get(j->in, k ? \"1\" : \"2\"));\n"
          "    nd_fill(j->out, 0.0);\n"
          "    (void)p; (void)q; (void)r; (void)s; (void)v;\n"
          "    return m;\n"
          "}\n");
    const vc_func *f = func("f");
    check_preds(f);
    /* const arrays of literals (static, file-scope) and compound literals
       become local copies initialized where they are passed */
    has("COPY lit.1[] = \"a\"");
    has("COPY lit.1[] = \"b\"");
    has("CALL p = nd_fields(rec, 2, &lit.1[])");
    has("COPY lit.2[] = \"y\"");
    has("CALL q = nd_fields(rec, 2, &lit.2[])");
    has("COPY lit.3[] = \"d\"");
    has("CALL r = nd_fields(rec, 2, &lit.3[])");
    /* elements not const: anyone may change them, no copy */
    has("CALL s = nd_fields(rec, 2, &loose[])");
    /* one of two literals: the call on two arms, into one non-temp result */
    has("CALL v = nd_get(rec, \":5\")");
    has("CALL v = nd_get(rec, \"5:\")");
    has("CALL cond.1 = nd_get(j.in, \"1\")");
    has("CALL cond.1 = nd_get(j.in, \"2\")");
    has("CALL m = nd_mean(cond.1)");
    for (int v = 0; v < f->n_vars; v++)
        if (!strncmp(f->vars[v].name, "lit.", 4) || !strcmp(f->vars[v].name, "cond.1"))
            ck_assert(!f->vars[v].is_temp && !f->vars[v].is_static_local &&
                      !f->vars[v].is_global);
    /* `const nd_array *in` member: the operand says pointer-to-const */
    const vc_inst *g = first_call(f, "nd_get");
    ck_assert_ptr_nonnull(g);
    ck_assert(!g->args[0].pointee_const);       /* rec: the var says it */
    ck_assert_uint_eq(g->args[1].loc.line, 11);
    ck_assert_uint_eq(g->args[1].loc.col, 35);
    const vc_inst *fill = first_call(f, "nd_fill");
    ck_assert_ptr_nonnull(fill);
    ck_assert(!fill->args[0].pointee_const);    /* nd_array *out */
    int n_in = 0;
    for (int b = 0; b < f->n_blocks; b++)
        for (int i = 0; i < f->blocks[b].n_insts; i++) {
            const vc_inst *in = &f->blocks[b].insts[i];
            if (in->kind == VC_I_CALL && in->callee && !strcmp(in->callee, "nd_get") &&
                in->args[0].path.n_steps == 1) {
                ck_assert(in->args[0].pointee_const);
                n_in++;
            }
        }
    ck_assert_int_eq(n_in, 2);
}
END_TEST

START_TEST(locations_are_expansion_sites)
{
    lower("#include <nd.h>\n"
          "#define FILL(a) nd_fill(a, 0)\n"
          "#define WRAP(x) (x)\n"
          "void f(nd_array *a, double *p) {\n"
          "    FILL(a);\n"
          "    WRAP(nd_fill(a, 2));\n"
          "    p[0] = 1;\n"
          "}\n");
    const vc_func *f = func("f");
    const vc_inst *fill = NULL, *wrap = NULL;
    for (int b = 0; b < f->n_blocks; b++)
        for (int i = 0; i < f->blocks[b].n_insts; i++) {
            const vc_inst *in = &f->blocks[b].insts[i];
            if (in->kind == VC_I_CALL && in->loc.line == 5)
                fill = in;
            if (in->kind == VC_I_CALL && in->loc.line == 6)
                wrap = in;
        }
    ck_assert_ptr_nonnull(fill);
    ck_assert_uint_eq(fill->loc.col, 5);
    ck_assert_str_eq(fill->loc.file, "walk_test.c");
    ck_assert_str_eq(fill->macro, "FILL");
    ck_assert_int_eq(fill->n_args, 2);
    ck_assert_uint_eq(fill->args[0].loc.line, 0);   /* not a literal: the call's loc */
    ck_assert_uint_eq(fill->args[1].loc.line, 5);   /* the 0 written in the macro */
    ck_assert_ptr_nonnull(wrap);
    ck_assert_uint_eq(wrap->loc.col, 10);   /* where nd_fill is written */
    ck_assert_str_eq(wrap->macro, "WRAP");
    ck_assert_uint_eq(f->loc.line, 4);
    ck_assert_uint_eq(f->loc.col, 6);
}
END_TEST

START_TEST(comments_and_errors)
{
    lower("// one\n"
          "int f(void) { return 0; } /* two\n"
          "   lines */\n"
          "const char *s = \"// not a comment\";\n"
          "int g(void) { int x = ; return x }\n");
    ck_assert_int_eq(tu->n_comments, 2);
    ck_assert_uint_eq(tu->comments[0].line, 1);
    ck_assert_str_eq(tu->comments[0].text, "// one");
    ck_assert_uint_eq(tu->comments[1].line, 2);
    ck_assert_uint_eq(tu->comments[1].end_line, 3);
    ck_assert(tu->had_errors);
    ck_assert_int_ge(tu->n_errors, 1);
    ck_assert_msg(!strncmp(tu->errors[0], "walk_test.c:5:", 14), "%s", tu->errors[0]);
    func("f");                      /* the good function is still lowered */
}
END_TEST

START_TEST(only_main_file_definitions)
{
    lower("#include <nd.h>\n"
          "static inline int helper(void) { return 1; }\n"
          "#define DEF(n) int n(void) { return helper(); }\n"
          "DEF(made)\n");
    ck_assert_int_eq(tu->n_funcs, 2);
    func("helper");
    func("made");
    has("CALL t1 = helper()");
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("walk");
    TCase *tc = tcase_create("walk");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, nested_calls_become_temps_in_order);
    tcase_add_test(tc, copies_see_through_casts_and_offsets);
    tcase_add_test(tc, stores_and_loads_through_raw_pointers);
    tcase_add_test(tc, access_paths_fields_elements_out_params);
    tcase_add_test(tc, types_keep_typedef_names);
    tcase_add_test(tc, cfg_if_while_return);
    tcase_add_test(tc, cfg_switch_goto_logical_conditional);
    tcase_add_test(tc, for_headers_with_missing_parts);
    tcase_add_test(tc, string_literals_and_constants_through_macros);
    tcase_add_test(tc, literal_arrays_literal_choices_const_members);
    tcase_add_test(tc, locations_are_expansion_sites);
    tcase_add_test(tc, comments_and_errors);
    tcase_add_test(tc, only_main_file_definitions);
    suite_add_tcase(s, tc);
    return s;
}
