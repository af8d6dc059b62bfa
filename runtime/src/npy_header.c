/*
 * npy_header.c - the header dict of a .npy file, read and written.
 *
 * A .npy header is a Python dict literal such as
 *
 *     {'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }
 *
 * with exactly the keys 'descr', 'fortran_order' and 'shape'. 'descr' is a
 * type string (byte order '<', '>', '|' or '=', kind, size) or, for
 * records, NumPy's dtype.descr: a list of (name, type string) tuples in
 * offset order, with ('', '|Vn') entries for gaps.
 *
 * The key idea of reading: the text is untrusted, so it is not evaluated
 * but matched against this one fixed grammar by a small recursive-descent
 * reader that never recurses on its input (a dict holds strings, a bool, a
 * tuple of integers, or one list of 2-tuples; nothing nests further). Every
 * position is checked against the end of the text; decoded strings land in
 * a scratch buffer sized from the text (2 bytes per input byte covers the
 * latin-1 -> UTF-8 widening of 1.0 and 2.0 headers); dimensions are
 * overflow checked; the field list is bounded by the text length. What the
 * data will need after reading (byte swaps for foreign byte order, 0/1
 * normalization of bools) is recorded as per-element fixups.
 *
 * The key idea of writing: produce NumPy's text character for character
 * (keys sorted, Python reprs, the spare spaces np.save leaves so axis 0 can
 * grow in place), so files round-trip byte-identical through NumPy.
 *
 * Not here: the preamble, padding, versions and all file I/O (npy.c).
 * Escapes in strings, sub-array and nested record fields, and types other
 * than the built-in ones are rejected, never guessed.
 */
#include "nd_int.h"

#include <stdio.h>
#include <stdlib.h>

#define GROWTH_DIGITS 21    /* numpy.lib.format.GROWTH_AXIS_MAX_DIGITS */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- type strings ------------------------------------------------------- */

static const struct {
    char kind;
    size_t size;
    const nd_dtype *const *dt;
} typestrs[] = {
    {'b', 1, &ND_BOOL},    {'i', 1, &ND_INT8},    {'i', 2, &ND_INT16},
    {'i', 4, &ND_INT32},   {'i', 8, &ND_INT64},   {'u', 1, &ND_UINT8},
    {'u', 2, &ND_UINT16},  {'u', 4, &ND_UINT32},  {'u', 8, &ND_UINT64},
    {'f', 4, &ND_FLOAT32}, {'f', 8, &ND_FLOAT64},
};

static bool host_is_little(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* A parsed type string: a built-in type, or padding of `pad` bytes ('V'). */
typedef struct typestr {
    const nd_dtype *dt;   /* NULL for padding */
    size_t pad;
    bool swap;            /* stored in the opposite byte order to the host */
} typestr;

static bool parse_typestr(const char *s, typestr *out)
{
    char order = s[0];
    if (order == '\0' || strchr("<>|=", order) == NULL)
        return false;
    char kind = s[1];
    if (kind == '\0')
        return false;
    size_t size = 0;
    const char *d = s + 2;
    if (*d < '1' || *d > '9')
        return false;
    for (; *d >= '0' && *d <= '9'; d++) {
        size = size * 10 + (size_t)(*d - '0');
        if (size > 1000000)     /* no real type is this large */
            return false;
    }
    if (*d != '\0')
        return false;
    out->dt = NULL;
    out->pad = 0;
    out->swap = size > 1 && (order == '<' || order == '>') &&
                (order == '<') != host_is_little();
    if (kind == 'V') {
        out->pad = size;
        return true;
    }
    for (size_t i = 0; i < COUNT(typestrs); i++)
        if (typestrs[i].kind == kind && typestrs[i].size == size) {
            out->dt = *typestrs[i].dt;
            return true;
        }
    return false;
}

/* ---- the header grammar ------------------------------------------------- */

/* Parser state over the header bytes [p, end). Decoded strings go to
 * `scratch`, which is sized so that every string of the header fits even
 * after latin-1 -> UTF-8 widening. */
typedef struct parser {
    const char *p, *end;
    bool utf8;            /* 3.0 headers are UTF-8, older ones latin-1 */
    char *scratch;
    size_t used, cap;
    const char *why;      /* first error, a static string */
} parser;

static bool fail_parse(parser *ps, const char *why)
{
    if (ps->why == NULL)
        ps->why = why;
    return false;
}

static void skip_space(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
                               *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

/* Skips spaces, then consumes c if it is next. */
static bool accept(parser *ps, char c)
{
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == c) {
        ps->p++;
        return true;
    }
    return false;
}

static bool expect(parser *ps, char c, const char *why)
{
    return accept(ps, c) || fail_parse(ps, why);
}

/* A quoted string without escapes; returns it NUL-terminated in scratch. */
static bool parse_string(parser *ps, const char **out)
{
    skip_space(ps);
    if (ps->p >= ps->end || (*ps->p != '\'' && *ps->p != '"'))
        return fail_parse(ps, "expected a quoted string");
    char quote = *ps->p++;
    char *s = ps->scratch + ps->used;
    size_t n = 0;
    for (;;) {
        if (ps->p >= ps->end)
            return fail_parse(ps, "unterminated string");
        unsigned char c = (unsigned char)*ps->p++;
        if (c == (unsigned char)quote)
            break;
        if (c == '\\' || c < 0x20 || c == 0x7f)
            return fail_parse(ps, "escape or control character in a string");
        if (c >= 0x80 && !ps->utf8) {      /* latin-1 -> UTF-8 */
            s[n++] = (char)(0xc0 | (c >> 6));
            s[n++] = (char)(0x80 | (c & 0x3f));
        } else {
            s[n++] = (char)c;
        }
    }
    s[n] = '\0';
    ps->used += n + 1;
    *out = s;
    return true;
}

static bool parse_word(parser *ps, const char *w)
{
    size_t n = strlen(w);
    skip_space(ps);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n) != 0)
        return false;
    const char *after = ps->p + n;
    if (after < ps->end && (*after == '_' || (*after >= '0' && *after <= '9') ||
                            ((*after | 0x20) >= 'a' && (*after | 0x20) <= 'z')))
        return false;
    ps->p = after;
    return true;
}

static bool parse_bool(parser *ps, bool *out)
{
    if (parse_word(ps, "True"))
        *out = true;
    else if (parse_word(ps, "False"))
        *out = false;
    else
        return fail_parse(ps, "fortran_order is not True or False");
    return true;
}

/* A non-negative Python integer literal, overflow checked. */
static bool parse_dim(parser *ps, ptrdiff_t *out)
{
    skip_space(ps);
    const char *start = ps->p;
    ptrdiff_t v = 0;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, *ps->p - '0', &v))
            return fail_parse(ps, "a dimension does not fit in ptrdiff_t");
        ps->p++;
    }
    if (ps->p == start)
        return fail_parse(ps, "expected a dimension");
    if (*start == '0' && ps->p - start > 1)
        return fail_parse(ps, "a dimension has leading zeros");
    *out = v;
    return true;
}

/* (), (n,), (n, m), (n, m,) - a one-element tuple needs its comma. */
static bool parse_shape(parser *ps, nd__npy_header *h)
{
    if (!expect(ps, '(', "shape is not a tuple"))
        return false;
    h->ndim = 0;
    if (accept(ps, ')'))
        return true;
    for (;;) {
        if (h->ndim == ND_MAXDIMS)
            return fail_parse(ps, "shape has more than 32 dimensions");
        if (!parse_dim(ps, &h->shape[h->ndim++]))
            return false;
        bool comma = accept(ps, ',');
        if (accept(ps, ')'))
            return (comma || h->ndim > 1) || fail_parse(ps, "shape is not a tuple");
        if (!comma)
            return fail_parse(ps, "expected ',' or ')' in shape");
    }
}

static bool add_fixups(nd__npy_header *h, const typestr *t, size_t offset)
{
    if (t->dt == NULL || !(t->swap || t->dt->kind == ND_DK_BOOL))
        return true;
    nd__npy_fixup *f = &h->fixups[h->n_fixups++];
    f->offset = offset;
    f->size = t->dt->itemsize;
    f->is_bool = t->dt->kind == ND_DK_BOOL;
    return true;
}

/* Field lists are bounded by the header: each tuple takes at least 8 bytes. */
typedef struct fieldlist {
    int n;
    const char **names;
    const nd_dtype **types;
    size_t *offsets;
    size_t size;          /* running offset = itemsize at the end */
    bool padded;
} fieldlist;

static bool parse_field(parser *ps, nd__npy_header *h, fieldlist *fl)
{
    const char *name, *type;
    typestr t;
    if (!expect(ps, '(', "a record field is not a tuple") ||
        !parse_string(ps, &name) || !expect(ps, ',', "expected ',' in a field") ||
        !parse_string(ps, &type))
        return false;
    if (accept(ps, ',')) {
        if (!accept(ps, ')'))
            return fail_parse(ps, "sub-array fields are not supported");
    } else if (!expect(ps, ')', "expected ')' after a field")) {
        return false;
    }
    if (!parse_typestr(type, &t))
        return fail_parse(ps, "unsupported field type");
    if ((name[0] == '\0') != (t.dt == NULL))
        return fail_parse(ps, "padding must be an unnamed '|Vn' entry");
    if (t.dt == NULL) {
        fl->size += t.pad;
        fl->padded = true;
        return true;
    }
    add_fixups(h, &t, fl->size);
    fl->names[fl->n] = name;
    fl->types[fl->n] = t.dt;
    fl->offsets[fl->n] = fl->size;
    fl->n++;
    fl->size += t.dt->itemsize;
    return true;
}

/* A record descr: [('x', '<i4'), ('', '|V4'), ('y', '>f8')]. */
static bool parse_record(parser *ps, nd__npy_header *h, size_t max_fields)
{
    fieldlist fl = {0};
    bool ok = false;
    fl.names = malloc(max_fields * sizeof *fl.names);
    fl.types = malloc(max_fields * sizeof *fl.types);
    fl.offsets = malloc(max_fields * sizeof *fl.offsets);
    if (fl.names == NULL || fl.types == NULL || fl.offsets == NULL) {
        fail_parse(ps, "out of memory");
        goto out;
    }
    for (;;) {
        if (accept(ps, ']'))
            break;
        if ((size_t)fl.n >= max_fields) {
            fail_parse(ps, "too many fields");
            goto out;
        }
        if (!parse_field(ps, h, &fl))
            goto out;
        if (!accept(ps, ',')) {
            if (!expect(ps, ']', "expected ',' or ']' in descr"))
                goto out;
            break;
        }
    }
    if (fl.n == 0) {
        fail_parse(ps, "a record descr has no fields");
        goto out;
    }
    h->dt = fl.padded ? nd__record_ex(fl.n, fl.names, fl.types, fl.offsets, fl.size)
                      : nd_record(fl.n, fl.names, fl.types);
    if (h->dt == NULL)
        fail_parse(ps, "invalid record fields (empty or duplicate names)");
    ok = h->dt != NULL;
out:
    free(fl.names);
    free(fl.types);
    free(fl.offsets);
    return ok;
}

static bool parse_descr(parser *ps, nd__npy_header *h, size_t max_fields)
{
    if (accept(ps, '['))
        return parse_record(ps, h, max_fields);
    const char *s;
    typestr t;
    if (!parse_string(ps, &s))
        return false;
    if (!parse_typestr(s, &t) || t.dt == NULL)
        return fail_parse(ps, "unsupported descr");
    h->dt = t.dt;
    return add_fixups(h, &t, 0);
}

/* The whole dict; exactly the three keys, each once, then only spaces. */
static bool parse_header(parser *ps, nd__npy_header *h, size_t max_fields)
{
    enum { K_DESCR = 1, K_FORTRAN = 2, K_SHAPE = 4 };
    unsigned seen = 0;
    if (!expect(ps, '{', "header is not a dict"))
        return false;
    while (!accept(ps, '}')) {
        const char *key;
        unsigned k;
        if (!parse_string(ps, &key) || !expect(ps, ':', "expected ':' after a key"))
            return false;
        k = strcmp(key, "descr") == 0           ? K_DESCR
            : strcmp(key, "fortran_order") == 0 ? K_FORTRAN
            : strcmp(key, "shape") == 0         ? K_SHAPE
                                                : 0;
        if (k == 0 || (seen & k))
            return fail_parse(ps, "unknown or repeated key");
        seen |= k;
        bool ok = k == K_DESCR     ? parse_descr(ps, h, max_fields)
                  : k == K_FORTRAN ? parse_bool(ps, &h->fortran)
                                   : parse_shape(ps, h);
        if (!ok)
            return false;
        if (!accept(ps, ',')) {
            if (!expect(ps, '}', "expected ',' or '}' in the dict"))
                return false;
            break;
        }
    }
    skip_space(ps);
    if (ps->p != ps->end)
        return fail_parse(ps, "text after the dict");
    if (seen != (K_DESCR | K_FORTRAN | K_SHAPE))
        return fail_parse(ps, "a key is missing");
    return true;
}

/* ---- the entry points for reading ------------------------------------ */

int nd__npy_parse_header(const char *path, const char *text, size_t n,
                         int major, nd__npy_header *h)
{
    parser ps = {.p = text, .end = text + n, .utf8 = major >= 3};
    size_t max_fields = n / 8 + 1;  /* a field tuple takes at least 8 bytes */
    int rc = -1;

    memset(h, 0, sizeof *h);
    ps.cap = 2 * n + 1;
    ps.scratch = malloc(ps.cap);
    h->fixups = malloc(max_fields * sizeof *h->fixups);
    if (ps.scratch == NULL || h->fixups == NULL) {
        nd__fail(ND_ENOMEM, "%s: out of memory reading the header", path);
        goto out;
    }
    if (!parse_header(&ps, h, max_fields)) {
        nd__fail(ND_EIO, "%s: malformed .npy header: %s", path, ps.why);
        goto out;
    }
    rc = 0;
out:
    free(ps.scratch);
    return rc;
}

void nd__npy_header_free(nd__npy_header *h)
{
    free(h->fixups);
    h->fixups = NULL;
    h->n_fixups = 0;
}

/* ---- writing ----------------------------------------------------------- */

/* A growable byte buffer; `oom` sticks once an allocation fails. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_int(sbuf *b, long long v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", v);
    sb_put(b, num, (size_t)n);
}

static void sb_spaces(sbuf *b, size_t n)
{
    while (n-- > 0)
        sb_put(b, " ", 1);
}

/* '<i8', '|b1': little-endian, '|' where byte order does not apply. */
static bool put_typestr(sbuf *b, const nd_dtype *dt)
{
    for (size_t i = 0; i < COUNT(typestrs); i++)
        if (*typestrs[i].dt == dt) {
            char s[8];
            snprintf(s, sizeof s, "'%c%c%zu'", dt->itemsize == 1 ? '|' : '<',
                     typestrs[i].kind, typestrs[i].size);
            sb_str(b, s);
            return true;
        }
    return false;
}

/* Python's repr of a field name: single quotes unless the name holds one
 * and no double quote. Names that would need escapes are refused. */
static bool put_name(sbuf *b, const char *name)
{
    bool single = strchr(name, '\'') != NULL, dbl = strchr(name, '"') != NULL;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        if (*c == '\\' || *c < 0x20 || *c == 0x7f)
            return false;
    if (single && dbl)
        return false;
    const char *q = single ? "\"" : "'";
    sb_str(b, q);
    sb_str(b, name);
    sb_str(b, q);
    return true;
}

static void put_pad(sbuf *b, size_t n)
{
    sb_str(b, "('', '|V");
    sb_int(b, (long long)n);
    sb_str(b, "')");
}

/* NumPy's dtype.descr: fields in offset order, ('', '|Vn') for gaps. */
static int put_descr(sbuf *b, const nd_dtype *dt)
{
    if (dt->kind != ND_DK_RECORD) {
        if (!put_typestr(b, dt))
            return nd__fail(ND_EVALUE, "nd_save_npy: unsupported dtype %s", dt->name);
        return 0;
    }
    size_t end = 0;
    sb_str(b, "[");
    for (int i = 0; i < dt->n_fields; i++) {
        const nd__field *f = &dt->fields[i];
        if (f->offset < end)
            return nd__fail(ND_EVALUE, "nd_save_npy: dtype.descr is not defined for "
                            "types with overlapping or out-of-order fields");
        if (i > 0)
            sb_str(b, ", ");
        if (f->offset > end) {
            put_pad(b, f->offset - end);
            sb_str(b, ", ");
        }
        sb_str(b, "(");
        if (!put_name(b, f->name))
            return nd__fail(ND_EVALUE, "nd_save_npy: field name '%s' cannot be written",
                            f->name);
        sb_str(b, ", ");
        if (!put_typestr(b, f->type))
            return nd__fail(ND_EVALUE, "nd_save_npy: field '%s' has an unsupported type",
                            f->name);
        sb_str(b, ")");
        end = f->offset + f->type->itemsize;
    }
    if (dt->itemsize > end) {
        sb_str(b, ", ");
        put_pad(b, dt->itemsize - end);
    }
    sb_str(b, "]");
    return 0;
}

char *nd__npy_format_header(const nd_array *a)
{
    sbuf b = {0};
    char num[24];

    sb_str(&b, "{'descr': ");
    if (put_descr(&b, a->dt) != 0) {
        free(b.p);
        return NULL;
    }
    sb_str(&b, ", 'fortran_order': False, 'shape': (");
    for (int k = 0; k < a->ndim; k++) {
        if (k > 0)
            sb_str(&b, ", ");
        sb_int(&b, (long long)a->shape[k]);
    }
    sb_str(&b, a->ndim == 1 ? ",), }" : "), }");
    if (a->ndim > 0) {      /* room to grow axis 0 in place, as NumPy leaves */
        size_t digits = (size_t)snprintf(num, sizeof num, "%td", a->shape[0]);
        sb_spaces(&b, digits < GROWTH_DIGITS ? GROWTH_DIGITS - digits : 0);
    }
    if (b.oom) {
        free(b.p);
        nd__fail(ND_ENOMEM, "nd_save_npy: out of memory");
        return NULL;
    }
    return b.p;
}
