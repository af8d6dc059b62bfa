/*
 * test_robust.c - the index paths of libnd under hostile input: nothing
 * crashes, leaks, reads out of bounds, or half-writes (properties and
 * random arrays: robust.h).
 *
 * All deterministic (fixed seeds, our own xorshift PRNG) and bounded:
 *  - index strings: valid subscripts of the vectors' grammar, mutated by
 *    inserting, deleting and replacing characters, plus hand-made extremes
 *    (huge integers, 100 and 5000 levels of `[`, 10k items, unbalanced
 *    brackets and quotes, garbage bytes, `%` through nd_getf). Each goes
 *    through nd_parse_index, nd_get, nd_get_copy, nd_set_scalar, nd_set and
 *    an aliased nd_set (a[s] = a[s][::-1], which must give the bytes that
 *    assigning a copy gives), and again with allocation failure injected at
 *    each step (nd__alloc_budget);
 *  - nd_get_items / nd_set_items with random item arrays (invalid kinds,
 *    NULL and float arrays, edge integers, n < 0 and n > 64).
 * A write to a read-only array always fails; each generator must reach
 * both the success and the failure side often, or the test fails.
 *
 * The NULL / absurd argument sweep of the whole API is test_robust_api.c.
 */
#include "robust.h"

/* ---- index strings ----------------------------------------------------------- */
static const char *const huge_ints[] = {
    "9223372036854775807", "-9223372036854775808", "9223372036854775808",
    "-9223372036854775809", "99999999999999999999999999999", "18446744073709551616",
    "4294967296", "-2147483649", "2147483648", "-0", "0x10", "1e3", "+1", "--1"};

static void gen_int(sbuf *b)
{
    char t[32];
    if (rint_(12) == 0) {
        sb_puts(b, huge_ints[rint_((int)(sizeof huge_ints / sizeof *huge_ints))]);
        return;
    }
    snprintf(t, sizeof t, "%d", rint_(13) - 6);
    sb_puts(b, t);
}

static void gen_list(sbuf *b, int depth, bool boolean)
{
    int n = rint_(4);
    sb_putc(b, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            sb_putc(b, ',');
        if (depth > 1 && (rint_(8) != 0 || i == 0))
            gen_list(b, depth - 1, boolean);
        else if (boolean)
            sb_puts(b, rint_(2) ? "True" : "False");
        else
            gen_int(b);
    }
    sb_putc(b, ']');
}

static void gen_item(sbuf *b)
{
    switch (rint_(10)) {
    case 0: case 1: gen_int(b); break;
    case 2: case 3:
        if (rint_(3))
            gen_int(b);
        sb_putc(b, ':');
        if (rint_(3))
            gen_int(b);
        if (rint_(2)) {
            sb_putc(b, ':');
            if (rint_(3))
                gen_int(b);
        }
        break;
    case 4: sb_puts(b, "None"); break;
    case 5: sb_puts(b, "..."); break;
    case 6: sb_puts(b, rint_(2) ? "True" : "False"); break;
    case 7: gen_list(b, 1 + rint_(3), rint_(3) == 0); break;
    case 8: sb_puts(b, rint_(2) ? "'x'" : "'q'"); break;
    default: sb_puts(b, rint_(2) ? "['x','z']" : "['y', 'x']"); break;
    }
}

static void gen_valid(sbuf *b)
{
    int n = rint_(6);
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(b, rint_(3) ? "," : ", ");
        gen_item(b);
    }
    if (n == 1 && rint_(4) == 0)
        sb_putc(b, ',');
}

static char random_char(void)
{
    static const char set[] = "[]():,.'\" -+0123456789NoneTrueFalse\t%x_";
    if (rint_(5) == 0)
        return (char)(1 + rint_(255));   /* any byte but NUL */
    return set[rint_((int)sizeof set - 1)];
}

static void mutate(sbuf *b)
{
    int m = rint_(4);
    for (int k = 0; k < m; k++) {
        size_t pos = b->n ? (size_t)rnd() % (b->n + 1) : 0;
        switch (rint_(3)) {
        case 0:                                         /* insert */
            sb_putc(b, ' ');
            memmove(b->s + pos + 1, b->s + pos, b->n - pos - 1);
            b->s[pos] = random_char();
            break;
        case 1:                                         /* delete */
            if (pos < b->n) {
                memmove(b->s + pos, b->s + pos + 1, b->n - pos);
                b->n--;
            }
            break;
        default:                                        /* replace */
            if (pos < b->n)
                b->s[pos] = random_char();
            break;
        }
    }
}

/* ---- one index string against one array ------------------------------------ */
/* Outcomes of the string cases, so a test can assert that its generator
 * reaches both the success and the failure paths. */
static struct {
    long parse_ok, parse_fail, get_ok, get_fail, set_ok, set_fail, alias_ok;
} seen;

static void check_parse(const char *s)
{
    nd_subscript sub;
    prime();
    if (nd_parse_index(s, &sub) == 0) {
        ck_assert_int_ge(sub.n, 0);
        ck_assert_int_le(sub.n, ND_MAX_ITEMS);
        ck_assert(sub.kind >= ND_SUB_BASIC && sub.kind <= ND_SUB_FIELDS);
        for (int i = 0; i < sub.n && sub.kind != ND_SUB_FIELDS; i++) {
            ck_assert(sub.item[i].kind >= ND_IX_INT && sub.item[i].kind <= ND_IX_FIELD);
            if (sub.item[i].kind == ND_IX_ARRAY) {
                ck_assert_ptr_nonnull(sub.item[i].arr);
                check_array((nd_array *)sub.item[i].arr);
            }
        }
        seen.parse_ok++;
    } else {
        check_fail("nd_parse_index", s);
        seen.parse_fail++;
    }

    nd_subscript_free(&sub);
}

static void check_get(nd_array *a, const char *s)
{
    prime();
    nd_array *r = nd_get(a, s);
    if (r) {
        check_array(r);
        seen.get_ok++;
    } else {
        check_fail("nd_get", s);
        seen.get_fail++;
    }
    nd_free(r);

    prime();
    r = nd_get_copy(a, s);
    if (r) {
        check_array(r);
        ck_assert_msg(nd_owns_data(r), "nd_get_copy(\"%.120s\") is a view", s);
    } else {
        check_fail("nd_get_copy", s);
    }
    nd_free(r);
}

static void check_set(nd_array *a, const char *s)
{
    bool ro = !nd_is_writeable(a);
    snap sn = take_snap(a);
    prime();
    int rc = nd_set_scalar(a, s, (double)(rint_(9) - 4));
    ck_assert(rc == 0 || rc == -1);
    ck_assert_msg(!(ro && rc == 0), "nd_set_scalar(\"%.120s\") wrote a read-only array", s);
    if (rc) {
        check_fail("nd_set_scalar", s);
        check_unchanged(a, &sn, "nd_set_scalar", s);
    }
    drop_snap(&sn);

    nd_array *v = random_value(a);
    sn = take_snap(a);
    prime();
    rc = nd_set(a, s, v);
    ck_assert(rc == 0 || rc == -1);
    ck_assert_msg(!(ro && rc == 0), "nd_set(\"%.120s\") wrote a read-only array", s);
    if (rc == 0)
        seen.set_ok++;
    else
        seen.set_fail++;
    if (rc) {
        check_fail("nd_set", s);
        check_unchanged(a, &sn, "nd_set", s);
    }
    drop_snap(&sn);
    nd_free(v);
}

/* a[s] = a[s][::-1]: a value that overlaps its destination must act as a
 * copy of itself taken before the write. Oracle: the same assignment from
 * nd_copy(value) on a restored snapshot gives the same bytes. */
static void check_set_aliased(nd_array *a, const char *s)
{
    nd_array *r = nd_get(a, s);
    if (!r)
        return;
    nd_array *v = nd_ndim(r) > 0 ? nd_flip(r, 0) : nd_view(r);
    nd_array *vc = nd_copy(v);
    ck_assert(v && vc);
    nd_array *o = owner_of(a);
    snap before = take_snap(a);
    prime();
    int rc1 = nd_set(a, s, v);
    snap after = take_snap(a);
    memcpy(nd_data(o), before.bytes, before.n);
    prime();
    int rc2 = nd_set(a, s, vc);
    seen.alias_ok += rc1 == 0;
    ck_assert_msg(rc1 == rc2, "a[\"%.120s\"] = view: rc %d, from a copy: rc %d", s, rc1, rc2);
    ck_assert_msg(memcmp(after.bytes, nd_data(o), after.n) == 0,
                  "a[\"%.120s\"] = a[...][::-1] differs from assigning a copy", s);
    drop_snap(&after);
    drop_snap(&before);
    nd_free(vc);
    nd_free(v);
    nd_free(r);
}

static void check_all(nd_array *a, const char *s)
{
    check_parse(s);
    check_get(a, s);
    check_set(a, s);
    check_set_aliased(a, s);
}

START_TEST(test_random_strings)
{
    rng_state = 0x9e3779b97f4a7c15u;
    memset(&seen, 0, sizeof seen);
    sbuf b = {0};
    for (int it = 0; it < 5000; it++) {
        nd_array *a = random_array();
        for (int j = 0; j < 3; j++) {
            sb_reset(&b);
            gen_valid(&b);
            if (rint_(5) < 2)
                mutate(&b);
            check_all(a, b.s);
        }
        nd_free(a);
    }
    free(b.s);
    /* the generator must reach both sides of every operation */
    ck_assert_int_gt(seen.parse_ok, 3000);
    ck_assert_int_gt(seen.parse_fail, 3000);
    ck_assert_int_gt(seen.get_ok, 3000);
    ck_assert_int_gt(seen.get_fail, 3000);
    ck_assert_int_gt(seen.set_ok, 1500);
    ck_assert_int_gt(seen.set_fail, 3000);
    ck_assert_int_gt(seen.alias_ok, 1500);
}
END_TEST

/* Allocation failure at every step of a get / set: each fails cleanly (any
 * allowed error, usually ND_ENOMEM), leaks nothing (LSan), and a failed set
 * leaves the array unchanged. */
START_TEST(test_alloc_failures)
{
    rng_state = 0xbb67ae8584caa73bu;
    sbuf b = {0};
    long failed = 0;
    for (int it = 0; it < 300; it++) {
        nd_array *a = random_array();
        nd_array *v = random_value(a);
        sb_reset(&b);
        gen_valid(&b);
        for (long budget = 0; budget < 8; budget++) {
            nd__alloc_budget(budget);
            prime();
            nd_array *r = nd_get(a, b.s);
            nd__alloc_budget(-1);
            if (r)
                check_array(r);
            else
                check_fail("nd_get under budget", b.s);
            nd_free(r);

            snap sn = take_snap(a);
            nd__alloc_budget(budget);
            prime();
            int rc = nd_set(a, b.s, v);
            nd__alloc_budget(-1);
            if (rc) {
                failed += nd_errno() == ND_ENOMEM;
                check_fail("nd_set under budget", b.s);
                check_unchanged(a, &sn, "nd_set under budget", b.s);
            }
            drop_snap(&sn);
        }
        nd_free(v);
        nd_free(a);
    }
    free(b.s);
    ck_assert_int_gt(failed, 100);
}
END_TEST

/* Pure garbage: random NUL-free bytes, and strings of grammar characters. */
START_TEST(test_garbage_strings)
{
    rng_state = 0x2545f4914f6cdd1du;
    sbuf b = {0};
    for (int it = 0; it < 600; it++) {
        nd_array *a = random_array();
        sb_reset(&b);
        int n = rint_(40);
        bool bytes = rint_(2);
        for (int i = 0; i < n; i++)
            sb_putc(&b, bytes ? (char)(1 + rint_(255)) : random_char());
        check_all(a, b.s);
        nd_free(a);
    }
    free(b.s);
}
END_TEST

/* Hand-made extremes, on a few arrays each. */
static const char *const fixed[] = {
    "[", "]", "[[", "]]", "[0", "0]", "'", "'x", "x'", "\"", "['x'", "['x',", "['x',]",
    "[,]", ",", ",,", ", ,", ":,:,", "(", ")", "()", "(0)", "(0,1)", "...,...", "....",
    "..", ". . .", ":::", "::::", "0:1:2:3", "::0", "1:2:0", "None None", "NoneNone",
    "Tru", "True False", "[True,0]", "[0,True]", "[[0],[0,1]]", "[[True],[False,True]]",
    "[[],[0]]", "[[]]", "[[[]]]", "'x','y'", "'x',0", "0,'x'", "['x',0]", "[0,'x']",
    "['x','x']", "['']", "''", "' '", "'\\''", "[-]", "[-0]", "[+0]", "- 1", "1 2",
    "\t0\t", " ", "  ,  ", "%", "%%", "%d", "%s%n", "\x01", "\xff", "0\xff",
    "9223372036854775807:9223372036854775807:9223372036854775807",
    "-9223372036854775808:-9223372036854775808:-9223372036854775808",
    "::-9223372036854775808", "::9223372036854775807",
    "[9223372036854775807]", "[-9223372036854775808]", "[99999999999999999999]",
    "...,None,None,None,None,None,None,None,None,None,None,None,None,None,None,None,"
    "None,None,None,None,None,None,None,None,None,None,None,None,None,None,None,None,None",
};

static char *repeat(const char *head, const char *unit, int n, const char *tail)
{
    sbuf b = {0};
    sb_puts(&b, head);
    for (int i = 0; i < n; i++) {
        if (i && unit[0] != '[' && unit[0] != ']')
            sb_putc(&b, ',');
        sb_puts(&b, unit);
    }
    sb_puts(&b, tail);
    return b.s;
}

START_TEST(test_extreme_strings)
{
    rng_state = 0x853c49e6748fea9bu;
    char *deep_open = repeat("", "[", 100, "0");
    char *deep = repeat("", "[", 100, "");
    char *closed = repeat("", "]", 100, "");
    size_t dl = strlen(deep), cl = strlen(closed);
    char *deep_ok = malloc(dl + cl + 2);
    ck_assert_ptr_nonnull(deep_ok);
    memcpy(deep_ok, deep, dl);
    deep_ok[dl] = '0';
    memcpy(deep_ok + dl + 1, closed, cl + 1);
    char *deep_many = repeat("", "[", 5000, "");
    char *many_ints = repeat("", "0", 10000, "");
    char *many_none = repeat("", "None", 10000, "");
    char *long_list = repeat("[", "1", 10000, "]");
    char *long_bools = repeat("[", "True", 10000, "]");
    char *many_ell = repeat("", "...", 65, "");
    char *items65 = repeat("", ":", 65, "");
    char *items64 = repeat("", "None", 64, "");
    char *fields = repeat("[", "'x'", 10000, "]");
    sbuf dg = {0};
    for (int i = 0; i < 10000; i++)
        sb_putc(&dg, (char)('0' + i % 10));
    const char *big[] = {deep_open, deep,      deep_ok,   deep_many, many_ints, many_none,
                         long_list, long_bools, many_ell, items65,   items64,   fields,
                         dg.s};
    for (int k = 0; k < 6; k++) {
        nd_array *a = random_array();
        for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
            check_all(a, fixed[i]);
        for (size_t i = 0; i < sizeof big / sizeof *big; i++)
            check_all(a, big[i]);
        nd_free(a);
    }
    const char *all_big[] = {deep_open, deep, closed, deep_ok, deep_many, many_ints,
                             many_none, long_list, long_bools, many_ell, items65,
                             items64, fields, dg.s};
    for (size_t i = 0; i < sizeof all_big / sizeof *all_big; i++)
        free((void *)all_big[i]);
}
END_TEST

/* `%` sequences through nd_getf with arguments matching the format. */
START_TEST(test_getf)
{
    rng_state = 0xda3e39cb94b95bdbu;
    for (int it = 0; it < 300; it++) {
        nd_array *a = random_array();
        char junk[16];
        for (int i = 0; i < 15; i++)
            junk[i] = random_char();
        junk[15] = '\0';
        ANY(nd_getf(a, "%d", rint_(11) - 5));
        ANY(nd_getf(a, "%td:%td:%td", (ptrdiff_t)rnd(), (ptrdiff_t)(rint_(7) - 3),
                    (ptrdiff_t)rnd()));
        ANY(nd_getf(a, "%s", junk));
        ANY(nd_getf(a, "%%d%s", junk));
        ANY(nd_getf(a, "[%d,%d],%s", rint_(5), -rint_(5), rint_(2) ? "None" : "..."));
        ANY(nd_getf(a, "%*d", 5000, 1));              /* 5000 bytes of padding */
        nd_free(a);
    }
}
END_TEST

/* ---- part 3: run-time index items ------------------------------------------- */
static ptrdiff_t rand_pd(void)
{
    static const ptrdiff_t edge[] = {PTRDIFF_MIN, PTRDIFF_MAX, PTRDIFF_MIN + 1,
                                     PTRDIFF_MAX - 1, ND_END, INT_MAX, INT_MIN, 0};
    if (rint_(6) == 0)
        return edge[rint_(8)];
    return rint_(13) - 6;
}

START_TEST(test_random_items)
{
    rng_state = 0x6a09e667f3bcc908u;
    ptrdiff_t n3 = 3, two[2] = {2, 2}, zero = 0;
    nd_array *pool[12];
    pool[0] = nd_arange(ND_INT64, 3);
    pool[1] = nd_full(ND_FLOAT64, 1, &n3, 1.0);
    pool[2] = nd_full(ND_BOOL, 1, &n3, 1.0);
    pool[3] = nd_full(ND_UINT64, 1, &n3, 1.8e19);
    pool[4] = nd_zeros(rec_type(), 1, &n3);
    pool[5] = arr_i64(2, two);
    pool[6] = nd_full(ND_INT8, 0, NULL, -1);
    pool[7] = nd_zeros(ND_BOOL, 1, &zero);
    pool[8] = nd_full(ND_INT64, 1, &n3, -9e18);
    pool[9] = nd_full(ND_BOOL, 0, NULL, 1);
    /* long lone int64 arrays take the direct gather / scatter path: one
     * in range for axes of length 4, one with a single bad value last */
    ptrdiff_t nlong = 3000;
    pool[10] = nd_empty(ND_INT64, 1, &nlong);
    pool[11] = nd_empty(ND_INT64, 1, &nlong);
    ck_assert(pool[10] && pool[11]);
    for (ptrdiff_t i = 0; i < nlong; i++) {
        ((int64_t *)nd_data(pool[10]))[i] = rint_(8) - 4;
        ((int64_t *)nd_data(pool[11]))[i] = i + 1 < nlong ? 0 : 4;
    }
    for (int i = 0; i < 12; i++)
        ck_assert_ptr_nonnull(pool[i]);
    static const char *const names[] = {"x", "y", "nope", "", NULL};
    struct nd_index items[80];
    for (int it = 0; it < 3000; it++) {
        nd_array *a = random_array();
        int n = rint_(10) == 0 ? (rint_(2) ? -rint_(4) - 1 : 64 + rint_(16)) : rint_(6);
        int cap = n > 0 ? n : 0;
        for (int i = 0; i < cap; i++) {
            struct nd_index *x = &items[i];
            memset(x, 0, sizeof *x);
            int k = rint_(9);
            x->kind = k == 8 ? (nd_index_kind)(7 + rint_(100)) : (nd_index_kind)(k % 7);
            x->i = rand_pd();
            x->start = rand_pd();
            x->stop = rand_pd();
            x->step = rand_pd();
            x->arr = rint_(8) == 0 ? NULL : pool[rint_(12)];
            x->name = names[rint_(5)];
        }
        prime();
        nd_array *r = nd_get_items(a, n, items);
        if (r)
            check_array(r);
        else
            check_fail("nd_get_items", "");
        nd_free(r);

        bool ro = !nd_is_writeable(a);
        nd_array *v = rint_(6) == 0 ? NULL : random_value(a);
        snap sn = take_snap(a);
        prime();
        int rc = nd_set_items(a, n, items, v);
        ck_assert(rc == 0 || rc == -1);
        ck_assert(!(ro && rc == 0));
        ck_assert(!(v == NULL && rc == 0));
        if (rc) {
            check_fail("nd_set_items", "");
            check_unchanged(a, &sn, "nd_set_items", "");
        }
        drop_snap(&sn);
        nd_free(v);
        nd_free(a);
    }
    for (int i = 0; i < 12; i++)
        nd_free(pool[i]);
}
END_TEST

/* ---- regressions and limits ---------------------------------------------------- */
START_TEST(test_item_limits)
{
    ptrdiff_t sh[2] = {2, 3};
    nd_array *a = arr_i64(2, sh);

    /* The item limit: 64 items parse, 65 do not, from strings or items. */
    struct nd_index items[65];
    for (int i = 0; i < 65; i++)
        items[i] = ND_NEWAXIS;
    FAILS_NULL(nd_get_items(a, 65, items));
    ANY(nd_get_items(a, 30, items));
    FAILS_NULL(nd_get_items(a, 31, items));          /* 33 dimensions */
    nd_subscript sub;
    char *s64 = repeat("", ":", 64, ""), *s65 = repeat("", ":", 65, "");
    prime();
    ck_assert_int_eq(nd_parse_index(s64, &sub), 0);
    ck_assert_int_eq(sub.n, 64);
    nd_subscript_free(&sub);
    FAILS_INT(nd_parse_index(s65, &sub));
    nd_subscript_free(&sub);
    free(s64);
    free(s65);
    nd_free(a);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("robust");
    TCase *tc = tcase_create("robust");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_random_strings);
    tcase_add_test(tc, test_garbage_strings);
    tcase_add_test(tc, test_alloc_failures);
    tcase_add_test(tc, test_extreme_strings);
    tcase_add_test(tc, test_getf);
    tcase_add_test(tc, test_random_items);
    tcase_add_test(tc, test_item_limits);
    suite_add_tcase(s, tc);
    return s;
}
