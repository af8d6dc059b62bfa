/*
 * test_ir_build.c - the libclang-free function builder (ir_build.c):
 * blocks, edges, emission, labels and indirect gotos, the move into the
 * arena (dead blocks dropped, exact sizes, scratch freed), paths and
 * operand texts.
 */
#include <check.h>
#include <string.h>

#include "arena.h"
#include "ir_build.h"

static vc_arena *A;
static vc_irb b;

static void setup(void)
{
    A = vc_arena_new();
    memset(&b, 0, sizeof b);
    b.A = A;
    vc_irb_begin(&b);
}

static void teardown(void)
{
    vc_irb_free(&b);
    vc_arena_free(A);
}

static int add_var(const char *name)
{
    ck_assert(vc_irb_grow(&b, (void **)&b.vars, &b.cap_vars, b.n_vars, sizeof *b.vars));
    memset(&b.vars[b.n_vars], 0, sizeof *b.vars);
    b.vars[b.n_vars].name = name;
    return b.n_vars++;
}

START_TEST(blocks_edges_and_finish)
{
    vc_func f;
    memset(&f, 0, sizeof f);
    int v = add_var("x");
    f.entry = vc_irb_new_block(&b);
    f.exit = vc_irb_new_block(&b);
    ck_assert_int_eq(f.entry, 0);
    ck_assert_int_eq(f.exit, 1);
    b.cur = f.entry;
    vc_inst *in = vc_irb_emit(&b, VC_I_COPY);
    ck_assert_int_eq(in->dst.var, -1);      /* emit: dst unused by default */
    in->dst = vc_irb_path(v);
    in->src = vc_irb_op(VC_OP_INT, "1");
    vc_irb_edge(&b, b.cur, f.exit);
    vc_irb_edge(&b, b.cur, f.exit);         /* an edge is kept once */
    ck_assert_int_eq(b.blocks[f.entry].n_succ, 1);
    vc_irb_jump(&b, f.exit);                /* opens a dead block */
    ck_assert_int_eq(b.n_blocks, 3);
    vc_irb_emit(&b, VC_I_HAVOC);            /* ... into the dead block */
    ck_assert_int_eq(vc_irb_finish(&b, &f), 0);
    ck_assert_int_eq(f.n_vars, 1);
    ck_assert_str_eq(f.vars[0].name, "x");
    ck_assert_int_eq(f.n_blocks, 2);        /* the dead block is gone */
    ck_assert_int_eq(f.blocks[f.entry].n_insts, 1);
    ck_assert_int_eq(f.blocks[f.entry].insts[0].kind, VC_I_COPY);
    ck_assert_int_eq(f.blocks[f.entry].insts[0].dst.var, v);
    ck_assert_int_eq(f.blocks[f.exit].n_pred, 1);   /* cfg.c filled preds */
    ck_assert_int_eq(f.blocks[f.exit].pred[0], f.entry);
    /* the IR lives in the arena: the scratch may be reused at once */
    vc_irb_begin(&b);
    ck_assert_int_eq(b.n_blocks, 0);
    ck_assert_int_eq(f.blocks[f.entry].insts[0].src.kind, VC_OP_INT);
}
END_TEST

START_TEST(labels_and_indirect_gotos)
{
    vc_func f;
    memset(&f, 0, sizeof f);
    f.entry = vc_irb_new_block(&b);
    f.exit = vc_irb_new_block(&b);
    b.cur = f.entry;
    int l1 = vc_irb_label_block(&b, "again");
    ck_assert_int_eq(vc_irb_label_block(&b, "again"), l1);  /* same label */
    int l2 = vc_irb_label_block(&b, "out");
    ck_assert_int_ne(l1, l2);
    vc_irb_indirect_goto(&b);               /* entry: goto *p */
    vc_irb_link_gotos(&b);
    ck_assert_int_eq(b.blocks[f.entry].n_succ, 2);
    ck_assert_int_eq(b.blocks[f.entry].succ[0], l1);
    ck_assert_int_eq(b.blocks[f.entry].succ[1], l2);
    vc_irb_edge(&b, l1, f.exit);
    vc_irb_edge(&b, l2, f.exit);
    ck_assert_int_eq(vc_irb_finish(&b, &f), 0);
    ck_assert_int_eq(f.n_blocks, 4);
}
END_TEST

START_TEST(paths_and_texts)
{
    vc_path p = vc_irb_path(2);
    ck_assert_int_eq(p.var, 2);
    ck_assert_int_eq(p.n_steps, 0);
    for (int i = 0; i < VC_MAX_STEPS + 2; i++)
        p = vc_irb_step(p, VC_STEP_FIELD, "val");
    ck_assert_int_eq(p.n_steps, VC_MAX_STEPS);     /* truncated: weak */
    char other[] = "val";                          /* equal text, other pointer */
    vc_path q = vc_irb_path(2);
    for (int i = 0; i < VC_MAX_STEPS; i++)
        q = vc_irb_step(q, VC_STEP_FIELD, i == 0 ? other : "val");
    ck_assert(vc_irb_path_eq(&p, &q));             /* names by content */
    q.step[1].kind = VC_STEP_ELEM;
    ck_assert(!vc_irb_path_eq(&p, &q));
    ck_assert_int_eq(vc_irb_step(vc_irb_path(-1), VC_STEP_ELEM, NULL).n_steps, 0);
    ck_assert_str_eq(vc_irb_text(A, "", "f", "(", "a, b", ")"), "f(a, b)");
    ck_assert_str_eq(vc_irb_text(A, "*", NULL, "", NULL, ""), "*?");
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    ck_assert_uint_eq(strlen(vc_irb_text(A, "", big, "", NULL, "")), 120);
    vc_operand o = vc_irb_op(VC_OP_PATH, "t");
    ck_assert_int_eq(o.path.var, -1);
    ck_assert_str_eq(o.text, "t");
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ir_build");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, blocks_edges_and_finish);
    tcase_add_test(tc, labels_and_indirect_gotos);
    tcase_add_test(tc, paths_and_texts);
    suite_add_tcase(s, tc);
    return s;
}
