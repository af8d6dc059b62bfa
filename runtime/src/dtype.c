/*
 * dtype.c - element type descriptors: the built-in numeric types, interned
 * record (structured) types, and single-element conversion between them.
 *
 * Key ideas:
 *  - The built-in descriptors are one static table generated from
 *    dtypes.def, so ND_INT32 == &builtin[ND_T_INT32] and a dtype's number
 *    indexes any per-type table.
 *  - Record types are interned: nd__record_ex looks the field list up in a
 *    global list (under a mutex) and returns the existing descriptor when an
 *    equal one exists. Equal types are therefore equal pointers, and the
 *    rest of libnd compares dtypes with ==. Interned records live until the
 *    process exits (like NumPy's cached descriptors); each is one malloc
 *    holding the descriptor, its fields and its names.
 *  - Element access goes through memcpy of the exact width: record fields
 *    are packed, so a float64 may sit at an odd address, and memcpy is the
 *    defined way to read it (compilers turn it into one load).
 *  - Conversions follow C casts as NumPy's unsafe casting does: integers
 *    wrap modulo 2^bits, floats truncate toward zero, anything -> bool is
 *    "!= 0" (NaN is true). A float outside int64's range becomes INT64_MIN
 *    before wrapping, which is what x86's cvttsd2si (and so NumPy on x86)
 *    produces; doing it explicitly avoids C's undefined behaviour.
 *
 *  - The type rules of arithmetic live here too, as data-like tables over
 *    kinds and sizes: nd__promote (NumPy's result_type for two arrays),
 *    nd__can_cast_same_kind (casting='same_kind'), nd__check_assign_types
 *    (which record/number assignments NumPy allows).
 *
 * Invariants: a record's fields lie inside [0, itemsize); field names are
 * non-empty and distinct; the type of a field is a built-in or an interned
 * record.
 *
 * Does not: handle byte order, alignment padding or sub-arrays; records
 * built here are packed unless nd__record_ex is given explicit offsets
 * (which may also describe zero fields: an empty multi-field view).
 */
#include "nd_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

static const struct nd_dtype builtin[] = {
#define ND_DTYPE(id, nm, ctype, kd) {kd, ND_T_##id, sizeof(ctype), nm, 0, NULL},
#include "dtypes.def"
#undef ND_DTYPE
};

const nd_dtype *const ND_BOOL = &builtin[ND_T_BOOL];
const nd_dtype *const ND_INT8 = &builtin[ND_T_INT8];
const nd_dtype *const ND_INT16 = &builtin[ND_T_INT16];
const nd_dtype *const ND_INT32 = &builtin[ND_T_INT32];
const nd_dtype *const ND_INT64 = &builtin[ND_T_INT64];
const nd_dtype *const ND_UINT8 = &builtin[ND_T_UINT8];
const nd_dtype *const ND_UINT16 = &builtin[ND_T_UINT16];
const nd_dtype *const ND_UINT32 = &builtin[ND_T_UINT32];
const nd_dtype *const ND_UINT64 = &builtin[ND_T_UINT64];
const nd_dtype *const ND_FLOAT32 = &builtin[ND_T_FLOAT32];
const nd_dtype *const ND_FLOAT64 = &builtin[ND_T_FLOAT64];

const nd_dtype *nd__dtype_by_name(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strcmp(builtin[i].name, name) == 0)
            return &builtin[i];
    return NULL;
}

/* ---- records ------------------------------------------------------------ */

/* One interned record: the descriptor, then its fields, then the names. */
typedef struct rec_node {
    struct rec_node *next;
    struct nd_dtype dt;
    nd__field fields[];
} rec_node;

static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;
static rec_node *rec_list;

static bool rec_equal(const rec_node *r, int n, const char *const *names,
                      const nd_dtype *const *types, const size_t *offsets,
                      size_t itemsize)
{
    if (r->dt.n_fields != n || r->dt.itemsize != itemsize)
        return false;
    for (int i = 0; i < n; i++)
        if (r->fields[i].type != types[i] || r->fields[i].offset != offsets[i] ||
            strcmp(r->fields[i].name, names[i]) != 0)
            return false;
    return true;
}

static int check_fields(int n, const char *const *names, const nd_dtype *const *types,
                        const size_t *offsets, size_t itemsize)
{
    if (n < 0 || (n > 0 && (!names || !types)))
        return nd__fail(ND_EVALUE, "invalid field list for a record dtype");
    for (int i = 0; i < n; i++) {
        if (!names[i] || !names[i][0])
            return nd__fail(ND_EVALUE, "field names must be non-empty strings");
        if (!types[i])
            return nd__fail(ND_ETYPE, "data type for field '%s' is NULL", names[i]);
        for (int j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return nd__fail(ND_EVALUE, "field '%s' occurs more than once", names[i]);
        if (offsets[i] > itemsize || types[i]->itemsize > itemsize - offsets[i])
            return nd__fail(ND_EVALUE, "field '%s' does not fit in itemsize %zu",
                            names[i], itemsize);
    }
    return 0;
}

/* Builds a new node (not yet linked); NULL + ND_ENOMEM. */
static rec_node *rec_new(int n, const char *const *names, const nd_dtype *const *types,
                         const size_t *offsets, size_t itemsize)
{
    size_t bytes = sizeof(rec_node) + (size_t)n * sizeof(nd__field);
    for (int i = 0; i < n; i++)
        bytes += strlen(names[i]) + 1;
    rec_node *r = malloc(bytes);
    if (!r) {
        nd__fail(ND_ENOMEM, "Unable to allocate a record dtype");
        return NULL;
    }
    char *text = (char *)&r->fields[n];
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]) + 1;
        memcpy(text, names[i], len);
        r->fields[i] = (nd__field){text, types[i], offsets[i]};
        text += len;
    }
    r->dt = (struct nd_dtype){ND_DK_RECORD, ND_T_RECORD, itemsize, "record", n, r->fields};
    r->next = NULL;
    return r;
}

const nd_dtype *nd__record_ex(int n, const char *const *names,
                              const nd_dtype *const *types,
                              const size_t *offsets, size_t itemsize)
{
    if (n > 0 && !offsets) {
        nd__fail(ND_EVALUE, "invalid field list for a record dtype");
        return NULL;
    }
    if (check_fields(n, names, types, offsets, itemsize) < 0)
        return NULL;
    const nd_dtype *out = NULL;
    pthread_mutex_lock(&rec_lock);
    for (rec_node *r = rec_list; r; r = r->next)
        if (rec_equal(r, n, names, types, offsets, itemsize)) {
            out = &r->dt;
            goto out;
        }
    rec_node *r = rec_new(n, names, types, offsets, itemsize);
    if (r) {
        r->next = rec_list;
        rec_list = r;
        out = &r->dt;
    }
out:
    pthread_mutex_unlock(&rec_lock);
    return out;
}

const nd_dtype *nd_record(int nfields, const char *const *names,
                          const nd_dtype *const *types)
{
    size_t offsets[256], *offs = offsets, itemsize = 0;
    const nd_dtype *out = NULL;
    if (nfields <= 0 || !names || !types) {
        nd__fail(ND_EVALUE, "a record dtype needs at least one field");
        return NULL;
    }
    if ((size_t)nfields > sizeof offsets / sizeof offsets[0]) {
        offs = malloc((size_t)nfields * sizeof *offs);
        if (!offs) {
            nd__fail(ND_ENOMEM, "Unable to allocate a record dtype");
            return NULL;
        }
    }
    for (int i = 0; i < nfields; i++) {
        offs[i] = itemsize;
        if (types[i] && __builtin_add_overflow(itemsize, types[i]->itemsize, &itemsize)) {
            nd__fail(ND_EVALUE, "record dtype is too large");
            goto out;
        }
    }
    out = nd__record_ex(nfields, names, types, offs, itemsize);
out:
    if (offs != offsets)
        free(offs);
    return out;
}

const nd__field *nd__find_field(const nd_dtype *dt, const char *name)
{
    if (!dt || dt->kind != ND_DK_RECORD || !name)
        return NULL;
    for (int i = 0; i < dt->n_fields; i++)
        if (strcmp(dt->fields[i].name, name) == 0)
            return &dt->fields[i];
    return NULL;
}

/* ---- element access ----------------------------------------------------- */

/* Typed unaligned loads, one per C type of dtypes.def. */
#define ND_DTYPE(id, nm, ctype, kd) \
    static inline ctype ld_##id(const char *p) { ctype v; memcpy(&v, p, sizeof v); return v; }
#include "dtypes.def"
#undef ND_DTYPE
#define LOAD(id, p) ld_##id(p)
#define STORE(ctype, p, val) do { ctype v_ = (val); memcpy((p), &v_, sizeof v_); } while (0)

double nd__load_f64(const nd_dtype *dt, const char *p)
{
    switch (dt->num) {
    case ND_T_BOOL: return (*(const unsigned char *)p != 0 ? 1.0 : 0.0);
    case ND_T_INT8: return LOAD(INT8, p);
    case ND_T_INT16: return LOAD(INT16, p);
    case ND_T_INT32: return LOAD(INT32, p);
    case ND_T_INT64: return (double)LOAD(INT64, p);
    case ND_T_UINT8: return LOAD(UINT8, p);
    case ND_T_UINT16: return LOAD(UINT16, p);
    case ND_T_UINT32: return LOAD(UINT32, p);
    case ND_T_UINT64: return (double)LOAD(UINT64, p);
    case ND_T_FLOAT32: return LOAD(FLOAT32, p);
    case ND_T_FLOAT64: return LOAD(FLOAT64, p);
    default:
        return dt->n_fields > 0 ? nd__load_f64(dt->fields[0].type, p + dt->fields[0].offset)
                                : 0.0;
    }
}

/* C-cast of a double to int64 without undefined behaviour (see header). */
int64_t nd__f64_to_i64(double v)
{
    if (v > -9223372036854775808.0 && v < 9223372036854775808.0)
        return (int64_t)v;
    return INT64_MIN;
}

/* C-cast of a double to uint64: values in [2^63, 2^64) need the unsigned
 * conversion; negatives go through int64 as x86 code does. */
uint64_t nd__f64_to_u64(double v)
{
    if (v >= 9223372036854775808.0 && v < 18446744073709551616.0)
        return (uint64_t)v;
    return (uint64_t)nd__f64_to_i64(v);
}

int64_t nd__load_i64(const nd_dtype *dt, const char *p)
{
    switch (dt->num) {
    case ND_T_BOOL: return (*(const unsigned char *)p != 0 ? 1 : 0);
    case ND_T_INT8: return LOAD(INT8, p);
    case ND_T_INT16: return LOAD(INT16, p);
    case ND_T_INT32: return LOAD(INT32, p);
    case ND_T_INT64: return LOAD(INT64, p);
    case ND_T_UINT8: return LOAD(UINT8, p);
    case ND_T_UINT16: return LOAD(UINT16, p);
    case ND_T_UINT32: return LOAD(UINT32, p);
    case ND_T_UINT64: return (int64_t)LOAD(UINT64, p);
    case ND_T_FLOAT32: return nd__f64_to_i64(LOAD(FLOAT32, p));
    case ND_T_FLOAT64: return nd__f64_to_i64(LOAD(FLOAT64, p));
    default:
        return dt->n_fields > 0 ? nd__load_i64(dt->fields[0].type, p + dt->fields[0].offset)
                                : 0;
    }
}

/* Integer stores wrap modulo 2^bits: converting to the unsigned type of the
 * width is defined in C, and the signed reinterpretation is what gcc does. */
void nd__store_i64(const nd_dtype *dt, char *p, int64_t v)
{
    switch (dt->num) {
    case ND_T_BOOL: STORE(bool, p, v != 0); break;
    case ND_T_INT8: STORE(int8_t, p, (int8_t)(uint8_t)v); break;
    case ND_T_INT16: STORE(int16_t, p, (int16_t)(uint16_t)v); break;
    case ND_T_INT32: STORE(int32_t, p, (int32_t)(uint32_t)v); break;
    case ND_T_INT64: STORE(int64_t, p, v); break;
    case ND_T_UINT8: STORE(uint8_t, p, (uint8_t)v); break;
    case ND_T_UINT16: STORE(uint16_t, p, (uint16_t)v); break;
    case ND_T_UINT32: STORE(uint32_t, p, (uint32_t)v); break;
    case ND_T_UINT64: STORE(uint64_t, p, (uint64_t)v); break;
    case ND_T_FLOAT32: STORE(float, p, (float)v); break;
    case ND_T_FLOAT64: STORE(double, p, (double)v); break;
    default:
        for (int i = 0; i < dt->n_fields; i++)
            nd__store_i64(dt->fields[i].type, p + dt->fields[i].offset, v);
    }
}

void nd__store_f64(const nd_dtype *dt, char *p, double v)
{
    switch (dt->kind) {
    case ND_DK_BOOL: STORE(bool, p, v != 0); break;
    case ND_DK_INT: nd__store_i64(dt, p, nd__f64_to_i64(v)); break;
    case ND_DK_UINT: nd__store_i64(dt, p, (int64_t)nd__f64_to_u64(v)); break;
    case ND_DK_FLOAT:
        if (dt->num == ND_T_FLOAT32)
            STORE(float, p, (float)v);
        else
            STORE(double, p, v);
        break;
    default:
        for (int i = 0; i < dt->n_fields; i++)
            nd__store_f64(dt->fields[i].type, p + dt->fields[i].offset, v);
    }
}

void nd__cast_one(const nd_dtype *dt_dst, char *dst, const nd_dtype *dt_src, const char *src)
{
    if (dt_dst == dt_src) {
        memmove(dst, src, dt_dst->itemsize);
        return;
    }
    if (dt_dst->kind == ND_DK_RECORD) {
        if (dt_src->kind == ND_DK_RECORD) {
            /* By position, as NumPy casts between structured types. */
            int n = dt_dst->n_fields < dt_src->n_fields ? dt_dst->n_fields : dt_src->n_fields;
            for (int i = 0; i < n; i++)
                nd__cast_one(dt_dst->fields[i].type, dst + dt_dst->fields[i].offset,
                             dt_src->fields[i].type, src + dt_src->fields[i].offset);
        } else {
            for (int i = 0; i < dt_dst->n_fields; i++)
                nd__cast_one(dt_dst->fields[i].type, dst + dt_dst->fields[i].offset,
                             dt_src, src);
        }
        return;
    }
    if (dt_src->kind == ND_DK_RECORD) {
        if (dt_src->n_fields > 0)
            nd__cast_one(dt_dst, dst, dt_src->fields[0].type, src + dt_src->fields[0].offset);
        else
            nd__store_i64(dt_dst, dst, 0);
        return;
    }
    if (dt_src->kind == ND_DK_FLOAT || dt_dst->kind == ND_DK_FLOAT)
        nd__store_f64(dt_dst, dst, nd__load_f64(dt_src, src));
    else
        nd__store_i64(dt_dst, dst, nd__load_i64(dt_src, src));
}

/* ---- promotion and casting rules ---------------------------------------- */

const nd_dtype *nd__promote(const nd_dtype *a, const nd_dtype *b)
{
    if (a->kind == ND_DK_RECORD || b->kind == ND_DK_RECORD) {
        nd__fail(ND_ETYPE, "ufunc not supported for structured (record) dtypes");
        return NULL;
    }
    if (a == b)
        return a;
    if (a->kind == ND_DK_BOOL)
        return b;
    if (b->kind == ND_DK_BOOL)
        return a;
    if (a->kind == ND_DK_FLOAT || b->kind == ND_DK_FLOAT) {
        const nd_dtype *other = a->kind == ND_DK_FLOAT ? b : a;
        if (a->num == ND_T_FLOAT64 || b->num == ND_T_FLOAT64)
            return ND_FLOAT64;
        /* float32 with float32 or an integer of at most 16 bits */
        return other->itemsize <= 2 || other->kind == ND_DK_FLOAT ? ND_FLOAT32 : ND_FLOAT64;
    }
    if (a->kind == b->kind)
        return a->itemsize >= b->itemsize ? a : b;
    const nd_dtype *s = a->kind == ND_DK_INT ? a : b, *u = a->kind == ND_DK_INT ? b : a;
    if (s->itemsize > u->itemsize)
        return s;
    switch (u->itemsize) {
    case 1: return ND_INT16;
    case 2: return ND_INT32;
    case 4: return ND_INT64;
    default: return ND_FLOAT64;
    }
}

bool nd__can_cast_same_kind(const nd_dtype *from, const nd_dtype *to)
{
    if (from == to)
        return true;
    if (from->kind == ND_DK_RECORD || to->kind == ND_DK_RECORD)
        return false;
    if (from->kind == ND_DK_BOOL || to->kind == ND_DK_FLOAT)
        return true;
    switch (from->kind) {
    case ND_DK_INT: return to->kind == ND_DK_INT;
    case ND_DK_UINT:
        return to->kind == ND_DK_UINT || (to->kind == ND_DK_INT && to->itemsize > from->itemsize);
    default: return false;
    }
}

int nd__check_assign_types(const nd_dtype *dst, const nd_dtype *src)
{
    if (dst == src)
        return 0;
    if (dst->kind == ND_DK_RECORD && src->kind == ND_DK_RECORD &&
        dst->n_fields != src->n_fields)
        return nd__fail(ND_EVALUE, "structures must have the same size");
    if (src->kind == ND_DK_RECORD && dst->kind != ND_DK_RECORD && src->n_fields != 1)
        return nd__fail(ND_ETYPE, "Can't cast from structure to non-structure, except "
                                  "if the structure only has a single field.");
    return 0;
}
