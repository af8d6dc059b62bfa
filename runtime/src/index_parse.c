/*
 * index_parse.c - the index-string parser: "1:3, ..., None, [0,2,-1]" ->
 * struct nd_index items (spec numpy-indexing.md section 14).
 *
 * Key ideas:
 *  - The parse is pure: it never looks at an array, so the analyzer can run
 *    it on string literals. Everything that depends on the array (bounds,
 *    "too many indices", mask shapes, placement) is index_eval.c's job.
 *  - Errors come in NumPy's order. NumPy first unpacks the subscript (more
 *    than 64 entries fails before anything else), then classifies entries
 *    left to right (a second ellipsis, a float, a field inside a tuple, a
 *    ragged list: the first one wins), and checks slice steps only while it
 *    builds the view. So a pre-scan counts the top-level items, items are
 *    parsed left to right, and a zero step is only recorded; the public
 *    nd_parse_index reports it after the whole string parsed cleanly, and
 *    the evaluator reports it at its place in the view walk.
 *  - A list literal is scanned twice: the first pass checks the nesting is
 *    rectangular and learns the shape and the leaf types, the second fills
 *    the freshly allocated int64 or bool array. No temporary buffer.
 *  - Lists with no leaves (rule 14.3): `[]` is an empty intp array, deeper
 *    ones (`[[]]`, `[[],[]]`) are boolean masks of that shape.
 *  - Field names point into an owned copy of the string (`text`), made only
 *    when the string holds a quote; the closing quotes are overwritten with
 *    NULs once parsing is done.
 *
 * Invariants: on success every ND_IX_ARRAY item owns one reference to a
 * C-contiguous int64 or bool array; on failure nothing is left to free and
 * the subscript is zeroed (n == 0, text == NULL).
 *
 * Does not: evaluate anything, check bounds, or accept floats (a float is
 * the IndexError NumPy gives for a float entry, or the TypeError for a float
 * in a slice).
 */
#include "nd_int.h"

#include <stdlib.h>

enum { NUM_NONE, NUM_INT, NUM_FLOAT };

typedef struct pctx {
    const char *s;        /* text being parsed (the owned copy if any) */
    size_t pos;
    const char *orig;     /* the caller's string */
    int n_items;          /* top-level items, once prescan() ran */
    bool tuple;
    bool prescanned;
    bool seen_ellipsis;
    bool zero_step;
} pctx;

/* What pass 1 of a list scan learns; pass 2 fills `out`. */
typedef struct lscan {
    int ndim;                        /* depth of the innermost lists, -1 unknown */
    ptrdiff_t shape[ND_MAXDIMS];     /* -1 unknown */
    bool has_int, has_bool, has_field;
    ptrdiff_t n_leaves;
    char *out;                       /* pass 2 only */
    bool out_bool;
    ptrdiff_t k;
} lscan;

static bool is_ws(char c) { return c == ' ' || c == '\t'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

static void skip_ws(pctx *c)
{
    while (is_ws(c->s[c->pos]))
        c->pos++;
}

static int syntax_error(const pctx *c)
{
    char ch = c->s[c->pos];
    if (ch == '\0')
        return nd__fail(ND_EINDEX, "malformed index \"%s\": unexpected end", c->s);
    return nd__fail(ND_EINDEX, "malformed index \"%s\": unexpected '%c' at offset %zu",
                    c->s, ch, c->pos);
}

static int only_integers(void) { return nd__fail(ND_EINDEX, "%s", ND__MSG_ONLY_INTEGERS); }

/* Matches the keyword w (n bytes) at the cursor, not followed by a word
 * character; keyword() takes a string literal. */
static bool keyword_n(pctx *c, const char *w, size_t n)
{
    if (strncmp(c->s + c->pos, w, n) != 0 || is_word(c->s[c->pos + n]))
        return false;
    c->pos += n;
    return true;
}
#define keyword(c, lit) keyword_n((c), (lit), sizeof(lit) - 1)

/* An optionally signed decimal integer that must fit in int64. Returns
 * NUM_NONE (cursor unchanged), NUM_INT, NUM_FLOAT (a float literal,
 * consumed, for the caller to reject), or -1 on overflow. */
static int number(pctx *c, int64_t *v)
{
    size_t p = c->pos;
    bool neg = false;
    if (c->s[p] == '+' || c->s[p] == '-')
        neg = c->s[p++] == '-';
    if (c->s[p] == '.' && is_digit(c->s[p + 1]))
        goto fraction;
    if (!is_digit(c->s[p]))
        return NUM_NONE;
    uint64_t u = 0;
    bool over = false;
    size_t first = p;
    for (; is_digit(c->s[p]); p++)
        over |= __builtin_mul_overflow(u, 10, &u) ||
                __builtin_add_overflow(u, (uint64_t)(c->s[p] - '0'), &u);
    if (c->s[p] == '.' || c->s[p] == 'e' || c->s[p] == 'E')
        goto fraction;
    c->pos = p;
    if (over || u > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX))
        return nd__fail(ND_EINDEX, "index %.*s does not fit in a 64-bit integer",
                        (int)(p - first), c->s + first);
    *v = neg ? (int64_t)(0 - u) : (int64_t)u;
    return NUM_INT;
fraction:
    while (is_digit(c->s[p]) || c->s[p] == '.')
        p++;
    if (c->s[p] == 'e' || c->s[p] == 'E') {
        p++;
        if (c->s[p] == '+' || c->s[p] == '-')
            p++;
        while (is_digit(c->s[p]))
            p++;
    }
    c->pos = p;
    return NUM_FLOAT;
}

/* One slice part after a ':' (or the start), ND_END when omitted. A float
 * there is NumPy's TypeError. */
static int slice_part(pctx *c, ptrdiff_t *out)
{
    int64_t v;
    int r = number(c, &v);
    if (r < 0)
        return -1;
    if (r == NUM_FLOAT)
        return nd__fail(ND_ETYPE, "slice indices must be integers or None or have "
                                  "an __index__ method");
    /* INT64_MIN is the ND_END sentinel; one more is the same clamped bound
     * (CPython clamps a step of -2**63 to -(2**63-1) too). */
    *out = r == NUM_NONE ? ND_END : (v == INT64_MIN ? (ptrdiff_t)v + 1 : (ptrdiff_t)v);
    return 0;
}

/* Counts top-level items (commas outside brackets and quotes) so that "too
 * many indices" wins over any per-item error, as in NumPy. */
static void prescan(pctx *c)
{
    int depth = 0, commas = 0;
    bool quote = false, any = false, trailing = false;
    for (const char *p = c->s; *p; p++) {
        if (quote) {
            quote = *p != '\'';
            continue;
        }
        if (is_ws(*p))
            continue;
        any = true;
        trailing = false;
        if (*p == '\'')
            quote = true;
        else if (*p == '[')
            depth++;
        else if (*p == ']')
            depth--;
        else if (*p == ',' && depth == 0) {
            commas++;
            trailing = true;
        }
    }
    c->tuple = commas > 0 || !any;
    c->n_items = !any ? 0 : commas + !trailing;
    c->prescanned = true;
}

/* Field names need the whole-subscript view (alone, not in a tuple) and an
 * owned copy of the text to point into; both are made only when a quote is
 * met, so ordinary subscripts are parsed in one pass without allocating. */
static int field_setup(pctx *c, nd_subscript *out)
{
    if (!c->prescanned)
        prescan(c);
    if (c->n_items > 1 || c->tuple)
        return only_integers();
    if (!out->text) {
        out->text = strdup(c->orig);
        if (!out->text)
            return nd__fail(ND_ENOMEM, "Unable to copy the index string");
        c->s = out->text;
    }
    return 0;
}

/* ---- list literals -------------------------------------------------------- */

static int ragged(void)
{
    return nd__fail(ND_EVALUE, "setting an array element with a sequence. The requested "
                               "array has an inhomogeneous shape");
}

/* Innermost lists (holding leaves, or empty) must all sit at one depth. */
static int terminal_at(lscan *sc, int depth)
{
    if (sc->ndim < 0)
        sc->ndim = depth + 1;
    return sc->ndim == depth + 1 ? 0 : ragged();
}

static int list_leaf(pctx *c, lscan *sc, int depth)
{
    int64_t v = 0;
    bool is_bool = false;
    if (c->s[c->pos] == '\'') {
        const char *q = strchr(c->s + c->pos + 1, '\'');
        if (!q)
            return syntax_error(c);
        c->pos = (size_t)(q - c->s) + 1;
        sc->has_field = true;
        return terminal_at(sc, depth);
    }
    if (keyword(c, "True")) {
        is_bool = true;
        v = 1;
    } else if (keyword(c, "False")) {
        is_bool = true;
    } else {
        int r = number(c, &v);
        if (r < 0)
            return -1;
        if (r == NUM_NONE) {
            if (keyword(c, "None") || strncmp(c->s + c->pos, "...", 3) == 0)
                return only_integers();     /* object array in NumPy */
            return syntax_error(c);
        }
        if (r == NUM_FLOAT)
            return only_integers();         /* float array in NumPy */
    }
    if (terminal_at(sc, depth) < 0)
        return -1;
    if (sc->out) {
        if (sc->out_bool)
            sc->out[sc->k] = (char)(v != 0);
        else
            memcpy(sc->out + sc->k * 8, &v, 8);
    }
    sc->k++;
    sc->n_leaves++;
    if (is_bool)
        sc->has_bool = true;
    else
        sc->has_int = true;
    return 0;
}

/* A list whose '[' is at the cursor, at nesting depth `depth`. */
static int scan_list(pctx *c, lscan *sc, int depth)
{
    if (depth >= ND_MAXDIMS)
        return nd__fail(ND_EVALUE, "maximum supported dimension for an ndarray is %d, "
                                   "found %d", ND_MAXDIMS, depth + 1);
    if (sc->ndim >= 0 && depth >= sc->ndim)
        return ragged();
    c->pos++;
    skip_ws(c);
    ptrdiff_t count = 0;
    int elem_kind = 0;                  /* 1 leaves, 2 lists */
    if (c->s[c->pos] == ']') {
        if (terminal_at(sc, depth) < 0)
            return -1;
    }
    while (c->s[c->pos] != ']') {
        int kind = c->s[c->pos] == '[' ? 2 : 1;
        if (elem_kind && kind != elem_kind)
            return ragged();
        elem_kind = kind;
        if ((kind == 2 ? scan_list(c, sc, depth + 1) : list_leaf(c, sc, depth)) < 0)
            return -1;
        count++;
        skip_ws(c);
        if (c->s[c->pos] == ',') {
            c->pos++;
            skip_ws(c);
        } else if (c->s[c->pos] != ']') {
            return syntax_error(c);
        }
    }
    c->pos++;
    if (sc->shape[depth] < 0)
        sc->shape[depth] = count;
    else if (sc->shape[depth] != count)
        return ragged();
    return 0;
}

/* Field names of a flat list of quoted names into out->item. */
static int field_list(pctx *c, size_t start, nd_subscript *out)
{
    if (field_setup(c, out) < 0)
        return -1;
    size_t p = start + 1;
    int n = 0;
    for (;;) {
        while (c->s[p] != '\'' && c->s[p] != ']')
            p++;
        if (c->s[p] == ']')
            break;
        if (n == ND_MAX_ITEMS)
            return nd__fail(ND_EVALUE, "more than %d field names", ND_MAX_ITEMS);
        out->item[n++] = (struct nd_index){.kind = ND_IX_FIELD, .name = c->s + p + 1};
        p = (size_t)(strchr(c->s + p + 1, '\'') - c->s) + 1;
    }
    out->n = n;
    out->kind = ND_SUB_FIELDS;
    return 0;
}

static int parse_list(pctx *c, nd_subscript *out, struct nd_index *item)
{
    size_t start = c->pos;
    lscan sc = {.ndim = -1};
    for (int i = 0; i < ND_MAXDIMS; i++)
        sc.shape[i] = -1;
    if (scan_list(c, &sc, 0) < 0)
        return -1;
    if (sc.has_field) {
        if (sc.ndim != 1 || sc.has_int || sc.has_bool)
            return only_integers();      /* a string array in NumPy */
        return field_list(c, start, out);
    }
    /* 14.3: no leaves at depth >= 2 is a mask; `[]` is an intp array. */
    bool as_bool = sc.n_leaves ? !sc.has_int : sc.ndim >= 2;
    nd_array *arr = nd__alloc(as_bool ? ND_BOOL : ND_INT64, sc.ndim, sc.shape, false);
    if (!arr)
        return -1;
    size_t end = c->pos;
    c->pos = start;
    sc.out = arr->data;
    sc.out_bool = as_bool;
    sc.k = 0;
    sc.ndim = -1;
    for (int i = 0; i < ND_MAXDIMS; i++)
        sc.shape[i] = -1;
    if (scan_list(c, &sc, 0) < 0) {     /* cannot fail: pass 1 succeeded */
        nd_free(arr);
        return -1;
    }
    ND_ASSERT(c->pos == end);
    (void)end;
    *item = (struct nd_index){.kind = ND_IX_ARRAY, .arr = arr};
    out->kind = ND_SUB_ADVANCED;
    return 0;
}

/* ---- items ---------------------------------------------------------------- */

/* "None", "True", "False": the only words of the grammar. */
static int word_item(pctx *c, nd_subscript *out, struct nd_index *it)
{
    if (keyword(c, "None"))
        *it = ND_NEWAXIS;
    else if (keyword(c, "True"))
        *it = ND_TRUE;
    else if (keyword(c, "False"))
        *it = ND_FALSE;
    else
        return only_integers();     /* a name NumPy would not take */
    if (it->kind == ND_IX_BOOL)
        out->kind = ND_SUB_ADVANCED;
    out->n++;
    return 0;
}

static int parse_item(pctx *c, nd_subscript *out)
{
    struct nd_index *it = &out->item[out->n];
    const char *p = c->s + c->pos;
    switch (*p) {
    case '.':
        if (p[1] != '.' || p[2] != '.')
            break;                  /* ".5": a float, below */
        if (c->seen_ellipsis)
            return nd__fail(ND_EINDEX, "an index can only have a single ellipsis ('...')");
        c->seen_ellipsis = true;
        c->pos += 3;
        *it = ND_ELLIPSIS;
        out->n++;
        return 0;
    case '[':
        if (parse_list(c, out, it) < 0)
            return -1;
        if (out->kind != ND_SUB_FIELDS)
            out->n++;
        return 0;
    case '\'': {
        const char *q = strchr(p + 1, '\'');
        if (!q)
            return syntax_error(c);
        if (field_setup(c, out) < 0)
            return -1;
        p = c->s + c->pos;
        q = strchr(p + 1, '\'');
        c->pos = (size_t)(q - c->s) + 1;
        *it = ND_FIELD(p + 1);
        out->kind = ND_SUB_FIELD;
        out->n++;
        return 0;
    }
    default:
        if (is_word(*p) && !is_digit(*p))
            return word_item(c, out, it);
        break;
    }
    int64_t v;
    int r = number(c, &v);
    if (r < 0)
        return -1;
    skip_ws(c);
    if (r == NUM_FLOAT)
        return c->s[c->pos] == ':'
                   ? nd__fail(ND_ETYPE, "slice indices must be integers or None or have "
                                        "an __index__ method")
                   : only_integers();
    if (c->s[c->pos] != ':') {
        if (r == NUM_NONE)
            return syntax_error(c);
        *it = ND_AT((ptrdiff_t)v);
        out->n++;
        return 0;
    }
    ptrdiff_t start = r == NUM_NONE ? ND_END : (v == INT64_MIN ? (ptrdiff_t)v + 1 : (ptrdiff_t)v);
    ptrdiff_t stop = ND_END, step = ND_END;
    c->pos++;
    skip_ws(c);
    if (slice_part(c, &stop) < 0)
        return -1;
    skip_ws(c);
    if (c->s[c->pos] == ':') {
        c->pos++;
        skip_ws(c);
        if (slice_part(c, &step) < 0)
            return -1;
    }
    if (step == 0)
        c->zero_step = true;
    *it = ND_SLICE(start, stop, step);
    out->n++;
    return 0;
}

static void release(nd_subscript *s)
{
    for (int i = 0; i < s->n; i++)
        if (s->item[i].kind == ND_IX_ARRAY)
            nd_free((nd_array *)s->item[i].arr);
    free(s->text);
    s->n = 0;
    s->text = NULL;
    s->kind = ND_SUB_BASIC;
    s->tuple = false;
}

int nd__parse_index(const char *index, nd_subscript *out, bool *zero_step)
{
    out->kind = ND_SUB_BASIC;
    out->n = 0;
    out->tuple = false;
    out->text = NULL;
    if (!index)
        return nd__fail(ND_EINDEX, "NULL index string");
    pctx c = {.s = index, .orig = index};
    bool full = false;
    skip_ws(&c);
    out->tuple = c.s[c.pos] == '\0';         /* "" is the empty tuple */
    while (c.s[c.pos]) {
        if (out->n == ND_MAX_ITEMS) {
            full = true;
            goto fail;
        }
        if (parse_item(&c, out) < 0)
            goto fail;
        skip_ws(&c);
        if (c.s[c.pos] == '\0' || out->kind == ND_SUB_FIELDS || out->kind == ND_SUB_FIELD)
            break;
        if (c.s[c.pos] != ',') {
            syntax_error(&c);
            goto fail;
        }
        out->tuple = true;
        c.pos++;
        skip_ws(&c);
    }
    skip_ws(&c);
    if (c.s[c.pos] != '\0') {
        syntax_error(&c);
        goto fail;
    }
    if (out->kind == ND_SUB_FIELD || out->kind == ND_SUB_FIELDS)
        for (int i = 0; i < out->n; i++)
            *strchr((char *)out->item[i].name, '\'') = '\0';
    *zero_step = c.zero_step;
    return 0;
fail:
    /* NumPy counts the entries before it looks at any of them. */
    if (!c.prescanned)
        prescan(&c);
    if (c.n_items > ND_MAX_ITEMS)
        nd__fail(ND_EINDEX, "too many indices for array");
    else if (full)
        syntax_error(&c);
    release(out);
    return -1;
}

int nd_parse_index(const char *index, nd_subscript *out)
{
    bool zero_step;
    if (!out)
        return nd__fail(ND_EVALUE, "NULL subscript");
    if (nd__parse_index(index, out, &zero_step) < 0)
        return -1;
    if (zero_step) {
        release(out);
        return nd__fail(ND_EVALUE, "slice step cannot be zero");
    }
    return 0;
}

void nd_subscript_free(nd_subscript *s)
{
    if (s)
        release(s);
}
