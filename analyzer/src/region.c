/*
 * region.c - index literal -> region, and the disjointness test between
 * two regions (contract in region.h).
 *
 * Key idea: the array's shape is unknown, so a position on an axis is
 * either an absolute offset or an offset from the axis length n. Two
 * selections on one axis are disjoint for every n when
 *   - their intervals [lo, hi) are ordered and both bounds being compared
 *     are of the same kind: ":800" = [0, 800) and "800:" = [800, n);
 *     ":-100" = [0, n-100) and "-100:" = [n-100, n) (slice bounds clamp to
 *     [0, n], and clamping keeps the order), or
 *   - their strides cannot meet: positions a + i*s and b + j*t share one
 *     only if a = b (mod gcd(s, t)); "::2" and "1::2" never do. This needs
 *     absolute starts (a start from the end may clamp to 0 when n is small
 *     and change residue) and positive steps.
 * Two regions are disjoint when any one axis is, or their field sets are.
 * Items after an ellipsis are placed from the last axis backwards; an axis
 * counted from the front is never compared with one counted from the back.
 * printf formats (nd_getf) are expanded twice with different values for
 * unknown arguments (items that change depend on them: no constraint) and
 * with far-away marker numbers for symbolic ones (a variable the caller
 * knows to be fixed), which come back as bounds relative to that symbol.
 * A selection of a view composes with the view's region when the view's
 * axes are known (vmap: which base axis each view axis is): view position
 * k of an axis whose base positions are lo + k*step lands at lo + k*step;
 * a from-end child bound lands relative to the view's end, which is the
 * base's end shifted when the step is 1 and the view's end counts from the
 * base's end. Anything else keeps the view's selection (a superset).
 *
 * Invariants: a region is built from vc_region_whole (zeroed), so axes and
 * fields past the counts are zero; vc_region_eq compares fields, never
 * bytes (padding may hold garbage after a copy: valgrind saw it);
 * disjoint(a, b) == disjoint(b, a); whatever is not
 * proven disjoint overlaps; bounds of different symbols (or a symbol and a
 * number) are never ordered. A composed region is a superset of the
 * elements the view of a view selects (exact, or wider on `hi` only), and
 * composition stops at VC_REGION_MAX_DEPTH (loops re-deriving a view from
 * itself terminate).
 * Not done here: deciding which call makes which region (dataflow.c).
 */
#include "region.h"

#include <stdio.h>
#include <string.h>

#include "nd.h"
#include "sets.h"

void vc_region_whole(vc_region *r)
{
    memset(r, 0, sizeof *r);
    r->whole = true;
}

static bool bound_eq(const vc_bound *a, const vc_bound *b)
{
    return a->off == b->off && a->from_end == b->from_end && a->sym == b->sym;
}

static bool axis_eq(const vc_axis_set *a, const vc_axis_set *b)
{
    return a->all == b->all && a->step == b->step && bound_eq(&a->lo, &b->lo) &&
           bound_eq(&a->hi, &b->hi) && bound_eq(&a->start, &b->start);
}

bool vc_region_eq(const vc_region *a, const vc_region *b)
{
    if (a->whole != b->whole || a->n_lead != b->n_lead || a->n_trail != b->n_trail ||
        a->n_fields != b->n_fields || a->depth != b->depth)
        return false;
    for (int i = 0; i < a->n_lead; i++)
        if (!axis_eq(&a->lead[i], &b->lead[i]))
            return false;
    for (int i = 0; i < a->n_trail; i++)
        if (!axis_eq(&a->trail[i], &b->trail[i]))
            return false;
    for (int i = 0; i < a->n_fields; i++)
        if (strcmp(a->fields[i], b->fields[i]) != 0)
            return false;
    if (a->vmap != b->vmap || (a->vmap && a->n_vlead != b->n_vlead))
        return false;
    for (int i = 0; a->vmap && i < a->n_vlead; i++)
        if (a->vlead[i] != b->vlead[i])
            return false;
    return true;
}

static uint64_t bound_hash(uint64_t h, const vc_bound *b)
{
    h = vc_hash_mix(h, (uint64_t)b->off);
    return vc_hash_mix(h, (uint64_t)(unsigned)b->sym << 1 | (b->from_end ? 1u : 0u));
}

static uint64_t axes_hash(uint64_t h, const vc_axis_set *ax, int n)
{
    for (int i = 0; i < n; i++) {
        h = vc_hash_mix(h, (uint64_t)ax[i].step << 1 | (ax[i].all ? 1u : 0u));
        h = bound_hash(bound_hash(bound_hash(h, &ax[i].lo), &ax[i].hi), &ax[i].start);
    }
    return h;
}

uint64_t vc_region_hash(uint64_t h, const vc_region *r)
{
    h = vc_hash_mix(h, (uint64_t)(r->whole ? 1u : 0u) | (uint64_t)(unsigned)r->n_lead << 1 |
                           (uint64_t)(unsigned)r->n_trail << 17 |
                           (uint64_t)(unsigned)r->n_fields << 33 |
                           (uint64_t)(unsigned char)r->depth << 49);
    h = axes_hash(h, r->lead, r->n_lead);
    h = axes_hash(h, r->trail, r->n_trail);
    for (int i = 0; i < r->n_fields; i++)
        h = vc_hash_str(h, r->fields[i]);
    if (r->vmap) {
        h = vc_hash_mix(h, (uint64_t)(unsigned)r->n_vlead + 1);
        for (int i = 0; i < r->n_vlead; i++)
            h = vc_hash_mix(h, (uint64_t)(unsigned char)r->vlead[i]);
    }
    return h;
}

bool vc_region_is_whole(const vc_region *r)
{
    return r->whole || (r->n_lead == 0 && r->n_trail == 0 && r->n_fields == 0);
}

void vc_region_field(vc_region *r, const char *name)
{
    vc_region_whole(r);
    if (strlen(name) >= VC_REGION_FIELD_LEN)
        return;
    r->whole = false;
    r->n_fields = 1;
    strcpy(r->fields[0], name);
    r->vmap = true;         /* a field keeps every axis */
}

/* ---- one axis ------------------------------------------------------------ */

static vc_bound at(long long off, bool from_end)
{
    return (vc_bound){off, from_end, 0};
}

/* x <= y for every axis length (and every value of a symbol). */
static bool bound_le(vc_bound x, vc_bound y)
{
    return x.sym == y.sym && x.from_end == y.from_end && x.off <= y.off;
}

static long long gcd(long long a, long long b)
{
    while (b) {
        long long t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}

static bool axis_disjoint(const vc_axis_set *a, const vc_axis_set *b)
{
    if (a->all || b->all)
        return false;
    if (bound_le(a->hi, b->lo) || bound_le(b->hi, a->lo))
        return true;
    if (a->step < 0 || b->step < 0 || a->start.from_end || b->start.from_end ||
        a->start.sym || b->start.sym)
        return false;
    long long g = gcd(a->step, b->step);
    if (g == 0)
        return a->start.off != b->start.off;
    long long d = (a->start.off - b->start.off) % g;
    return d != 0;
}

static vc_axis_set axis_int(ptrdiff_t i)
{
    vc_axis_set s = {0};
    bool end = i < 0;
    s.lo = s.start = at(i, end);
    s.hi = at((long long)i + 1, end);
    s.step = 0;
    return s;
}

static vc_axis_set axis_slice(ptrdiff_t start, ptrdiff_t stop, ptrdiff_t step)
{
    vc_axis_set s = {0};
    if (step == ND_END)
        step = 1;
    if (step > 0) {
        s.lo = start == ND_END ? at(0, false) : at(start, start < 0);
        s.hi = stop == ND_END ? at(0, true) : at(stop, stop < 0);
        s.start = s.lo;
        s.step = step == 1 ? 1 : step;
    } else {
        /* positions start, start+step, ... down to just above stop */
        s.hi = start == ND_END ? at(0, true) : at((long long)start + 1, start < 0);
        s.lo = stop == ND_END ? at(0, false) : at((long long)stop + 1, stop < 0);
        s.start = s.lo;
        s.step = -1;
    }
    return s;
}

/* ---- regions ------------------------------------------------------------- */

bool vc_region_disjoint(const vc_region *a, const vc_region *b)
{
    if (a->whole || b->whole)
        return false;
    if (a->n_fields > 0 && b->n_fields > 0) {
        bool common = false;
        for (int i = 0; i < a->n_fields && !common; i++)
            for (int j = 0; j < b->n_fields && !common; j++)
                common = strcmp(a->fields[i], b->fields[j]) == 0;
        if (!common)
            return true;
    }
    int n = a->n_lead < b->n_lead ? a->n_lead : b->n_lead;
    for (int i = 0; i < n; i++)
        if (axis_disjoint(&a->lead[i], &b->lead[i]))
            return true;
    n = a->n_trail < b->n_trail ? a->n_trail : b->n_trail;
    for (int i = 0; i < n; i++)
        if (axis_disjoint(&a->trail[i], &b->trail[i]))
            return true;
    return false;
}

static bool has_axes(const vc_region *r)
{
    return !r->whole && (r->n_lead > 0 || r->n_trail > 0);
}

/* ---- composition: a selection of a view ---------------------------------- */

static bool plain(vc_bound b)
{
    return !b.sym && !b.from_end;
}

static bool mul_add(long long a, long long s, long long c, long long *out)
{
    long long m;
    return !__builtin_mul_overflow(s, c, &m) && !__builtin_add_overflow(a, m, out);
}

/* Where bound c (a position on the view's axis, whose positions are
 * p->lo + k * p->step) lands on the base axis. A from-end c counts from the
 * view's end, which is the base's end shifted by p->hi when p's step is 1
 * and p->hi is from the end too; an absolute hi works as an upper bound
 * (a superset: the view's end clamps at the base's end). */
static bool map_bound(const vc_axis_set *p, vc_bound c, bool upper, vc_bound *out)
{
    if (c.sym)
        return false;
    if (!c.from_end) {
        if (!plain(p->lo))
            return false;   /* a from-end start may clamp to 0 */
        out->sym = 0;
        out->from_end = false;
        return c.off >= 0 && mul_add(p->lo.off, p->step, c.off, &out->off);
    }
    if (c.off == 0 && upper) {      /* the view's end: p's end */
        *out = p->hi;
        return true;
    }
    if (p->step != 1 || p->hi.sym || (!p->hi.from_end && !upper))
        return false;
    *out = p->hi;
    return !__builtin_add_overflow(p->hi.off, c.off, &out->off);
}

/* Child selection c of a view axis whose base positions are p. Returns p
 * (a superset) unless the composition is exact (or a superset on hi).
 * `identity`: the parent put no item on this axis, so the view's positions
 * are the base's; an unconstrained p on an axis the parent did index (a
 * slice whose bounds depend on a run-time argument) shifts them unknowably. */
static vc_axis_set compose_axis(const vc_axis_set *p, const vc_axis_set *c, bool identity)
{
    if (p->all)
        return identity ? *c : *p;
    if (c->all || p->step < 1 || c->step < 0)
        return *p;
    vc_axis_set o = {0};
    if (c->step == 0) {             /* an integer pick */
        if (!map_bound(p, c->start, false, &o.start))
            return *p;
        o.lo = o.start;
        o.hi = o.start;
        if (__builtin_add_overflow(o.start.off, 1, &o.hi.off))
            return *p;
        return o;
    }
    if (!map_bound(p, c->lo, false, &o.lo) || !map_bound(p, c->hi, true, &o.hi) ||
        __builtin_mul_overflow(p->step, c->step, &o.step))
        return *p;
    if (plain(o.hi) && plain(p->hi) && p->hi.off < o.hi.off)
        o.hi = p->hi;               /* the view ends where p does */
    o.start = o.lo;
    return o;
}

/* Base lead axis of view axis j of parent p (-1: a None axis, -2: past
 * what a region can hold). */
static int base_axis(const vc_region *p, int j)
{
    if (j < p->n_vlead)
        return p->vlead[j];
    long long b = (long long)p->n_lead + (j - p->n_vlead);
    return b < VC_REGION_MAX_AXES ? (int)b : -2;
}

/* parent and child both have exact axis maps (parent may be the identity:
 * a whole region). */
static void compose(const vc_region *parent, const vc_region *child, vc_region *out)
{
    vc_axis_set all = {.all = true};
    *out = *parent;
    out->whole = false;
    out->vmap = true;
    out->depth = parent->depth + 1;
    for (int j = 0; j < child->n_lead; j++) {
        int b = base_axis(parent, j);
        if (b == -1)
            continue;       /* a None axis: no element of the base */
        if (b < 0) {
            out->vmap = false;
            continue;
        }
        bool identity = b >= parent->n_lead;
        while (out->n_lead <= b)
            out->lead[out->n_lead++] = all;
        out->lead[b] = compose_axis(&out->lead[b], &child->lead[j], identity);
    }
    /* the result's axes: the child's explicit ones, then the parent's
       view axes the child did not index, then the base's rest */
    signed char map[VC_REGION_MAX_AXES];
    int n = 0;
    for (int i = 0; i < child->n_vlead && out->vmap; i++) {
        int b = child->vlead[i] < 0 ? -1 : base_axis(parent, child->vlead[i]);
        if (b == -2 || n >= VC_REGION_MAX_AXES)
            out->vmap = false;
        else
            map[n++] = (signed char)b;
    }
    for (int j = child->n_lead; j < parent->n_vlead && out->vmap; j++) {
        if (n >= VC_REGION_MAX_AXES)
            out->vmap = false;
        else
            map[n++] = parent->vlead[j];
    }
    out->n_vlead = out->vmap ? n : 0;
    memset(out->vlead, 0, sizeof out->vlead);
    if (out->vmap)
        memcpy(out->vlead, map, (size_t)n);
    if (child->n_fields > 0) {  /* fields name the base's fields */
        out->n_fields = child->n_fields;
        memcpy(out->fields, child->fields, sizeof out->fields);
    }
}

void vc_region_restrict(const vc_region *parent, bool same_axes,
                        const vc_region *child, vc_region *out)
{
    bool identity = same_axes && !has_axes(parent);
    if (child->vmap && !child->whole && (parent->vmap || identity) &&
        parent->depth < VC_REGION_MAX_DEPTH) {
        vc_region p = *parent;
        if (!p.vmap) {          /* identity: no axis constrained or moved */
            p.vmap = true;
            p.n_lead = p.n_trail = p.n_vlead = 0;
        }
        compose(&p, child, out);
        return;
    }
    if (parent->whole) {
        if (same_axes)
            *out = *child;
        else
            vc_region_whole(out);
        return;
    }
    *out = *parent;
    out->vmap = false;
    if (!same_axes)
        return;
    if (!has_axes(parent) && has_axes(child)) {
        out->n_lead = child->n_lead;
        out->n_trail = child->n_trail;
        memcpy(out->lead, child->lead, sizeof out->lead);
        memcpy(out->trail, child->trail, sizeof out->trail);
        out->vmap = child->vmap;
        out->n_vlead = child->n_vlead;
        memcpy(out->vlead, child->vlead, sizeof out->vlead);
    }
    if (parent->n_fields == 0 && !child->whole && child->n_fields > 0) {
        out->n_fields = child->n_fields;
        memcpy(out->fields, child->fields, sizeof out->fields);
    }
}

/* Does item consume an axis of the array (None does not)? */
static bool takes_axis(const struct nd_index *it)
{
    return it->kind != ND_IX_NEWAXIS && it->kind != ND_IX_ELLIPSIS;
}

static vc_axis_set item_axis(const struct nd_index *it)
{
    vc_axis_set all = {.all = true};
    switch (it->kind) {
    case ND_IX_INT:
        return axis_int(it->i);
    case ND_IX_SLICE:
        return axis_slice(it->start, it->stop, it->step);
    default:
        return all;     /* arrays and masks: positions not tracked */
    }
}

/* Region of a parsed subscript. An array item may span several axes (a
 * boolean mask), so placement stops at the first one on that side. */
static void region_of(const nd_subscript *s, vc_region *r)
{
    vc_region_whole(r);
    if (s->kind == ND_SUB_FIELD || s->kind == ND_SUB_FIELDS) {
        if (s->n > VC_REGION_MAX_FIELDS)
            return;
        for (int i = 0; i < s->n; i++)
            if (strlen(s->item[i].name) >= VC_REGION_FIELD_LEN)
                return;
        r->whole = false;
        r->n_fields = s->n;
        for (int i = 0; i < s->n; i++)
            strcpy(r->fields[i], s->item[i].name);
        r->vmap = true;     /* fields keep every axis */
        return;
    }
    r->whole = false;
    int ell = -1;
    for (int i = 0; i < s->n; i++)
        if (s->item[i].kind == ND_IX_ELLIPSIS)
            ell = i;
    int end = ell < 0 ? s->n : ell;
    /* the axis map is exact for plain items only, and for all of them */
    r->vmap = ell < 0;
    for (int i = 0; i < end; i++) {
        const struct nd_index *it = &s->item[i];
        if (it->kind == ND_IX_ARRAY || it->kind == ND_IX_BOOL ||
            r->n_lead >= VC_REGION_MAX_AXES || r->n_vlead >= VC_REGION_MAX_AXES) {
            r->vmap = false;
            break;
        }
        if (it->kind == ND_IX_SLICE)
            r->vlead[r->n_vlead++] = (signed char)r->n_lead;
        else if (it->kind == ND_IX_NEWAXIS)
            r->vlead[r->n_vlead++] = -1;
        if (takes_axis(it))
            r->lead[r->n_lead++] = item_axis(it);
    }
    if (!r->vmap) {
        r->n_vlead = 0;
        memset(r->vlead, 0, sizeof r->vlead);
    }
    if (ell < 0)
        return;
    for (int i = s->n - 1; i > ell && r->n_trail < VC_REGION_MAX_AXES; i--) {
        const struct nd_index *it = &s->item[i];
        if (it->kind == ND_IX_ARRAY || it->kind == ND_IX_BOOL)
            break;
        if (takes_axis(it))
            r->trail[r->n_trail++] = item_axis(it);
    }
}

/* ---- printf formats ------------------------------------------------------ */

/* Markers stand for symbolic arguments in the expanded text: far from any
 * real index and from each other, so a bound equal to marker j (+/- 1 for
 * the end of an integer item) is the symbol's value. */
#define MARKER_BASE 1000000000000LL
#define MARKER_STEP 1000000LL
#define MAX_CONV 16

/* Expands fmt: conversion j gets args[j]'s constant, a marker for its
 * symbol, or `unknown` (which differs between the two expansions the caller
 * compares). Returns false when a conversion is not an integer (or the text
 * does not fit). */
static bool expand_format(const char *fmt, size_t len, int n_args,
                          const vc_fmt_arg *args, long long unknown, char *out,
                          size_t size)
{
    size_t o = 0;
    int j = 0;
    for (size_t i = 0; i < len; i++) {
        if (o + 2 >= size)
            return false;
        if (fmt[i] != '%') {
            out[o++] = fmt[i];
            continue;
        }
        if (++i >= len)
            return false;
        if (fmt[i] == '%') {
            out[o++] = '%';
            continue;
        }
        while (i < len && strchr("-+ #0123456789.", fmt[i]))
            i++;
        while (i < len && strchr("hlLqjzt", fmt[i]))
            i++;
        if (i >= len || !strchr("diuxXo", fmt[i]) || j >= MAX_CONV)
            return false;   /* %s, %f, %*d, ...: the index is run-time text */
        long long v = unknown;
        if (j < n_args && args[j].known)
            v = args[j].value;
        else if (j < n_args && args[j].sym)
            v = MARKER_BASE + MARKER_STEP * j;
        int k = snprintf(out + o, size - o, "%lld", v);
        if (k < 0 || (size_t)k >= size - o)
            return false;
        o += (size_t)k;
        j++;
    }
    out[o] = '\0';
    return true;
}

/* Turns a marker-valued bound into a symbolic one. */
static void symbolize(vc_bound *b, int n_args, const vc_fmt_arg *args)
{
    if (b->from_end || b->off < MARKER_BASE - MARKER_STEP / 2)
        return;
    long long j = (b->off - MARKER_BASE + MARKER_STEP / 2) / MARKER_STEP;
    if (j < 0 || j >= n_args || !args[j].sym)
        return;
    b->off -= MARKER_BASE + MARKER_STEP * j;
    b->sym = args[j].sym;
}

static void symbolize_axes(vc_axis_set *ax, int n, int n_args, const vc_fmt_arg *args)
{
    for (int i = 0; i < n; i++) {
        symbolize(&ax[i].lo, n_args, args);
        symbolize(&ax[i].hi, n_args, args);
        symbolize(&ax[i].start, n_args, args);
    }
}

void vc_region_drop_syms(vc_region *r)
{
    vc_axis_set all = {.all = true};
    for (int i = 0; i < r->n_lead; i++)
        if (r->lead[i].lo.sym || r->lead[i].hi.sym || r->lead[i].start.sym)
            r->lead[i] = all;
    for (int i = 0; i < r->n_trail; i++)
        if (r->trail[i].lo.sym || r->trail[i].hi.sym || r->trail[i].start.sym)
            r->trail[i] = all;
}

/* Axes that differ between the two substitutions depend on arguments. */
static void drop_varying(vc_region *r, const vc_region *other)
{
    vc_axis_set all = {.all = true};
    if (r->n_lead != other->n_lead || r->n_trail != other->n_trail) {
        vc_region_whole(r);
        return;
    }
    if (r->vmap != other->vmap || r->n_vlead != other->n_vlead ||
        memcmp(r->vlead, other->vlead, sizeof r->vlead) != 0) {
        r->vmap = false;
        r->n_vlead = 0;
        memset(r->vlead, 0, sizeof r->vlead);
    }
    for (int i = 0; i < r->n_lead; i++)
        if (!axis_eq(&r->lead[i], &other->lead[i]))
            r->lead[i] = all;
    for (int i = 0; i < r->n_trail; i++)
        if (!axis_eq(&r->trail[i], &other->trail[i]))
            r->trail[i] = all;
}

static vc_idx_kind kind_of(const nd_subscript *s)
{
    switch (s->kind) {
    case ND_SUB_BASIC: return VC_IDX_BASIC;
    case ND_SUB_ADVANCED: return VC_IDX_ADVANCED;
    default: return VC_IDX_FIELD;
    }
}

static void analyze(const char *text, size_t len, bool is_format, int n_args,
                    const vc_fmt_arg *args, vc_index_info *out)
{
    char a[512], b[512];
    nd_subscript sa, sb;
    memset(out, 0, sizeof *out);
    vc_region_whole(&out->region);
    out->kind = VC_IDX_RUNTIME;
    if (!text)
        return;
    if (is_format) {
        if (!expand_format(text, len, n_args, args, 1, a, sizeof a) ||
            !expand_format(text, len, n_args, args, 2, b, sizeof b))
            return;
    } else {
        if (len >= sizeof a || memchr(text, '\0', len))
            return;
        memcpy(a, text, len);
        a[len] = '\0';
        b[0] = '\0';
    }
    memset(&sa, 0, sizeof sa);
    memset(&sb, 0, sizeof sb);
    if (nd_parse_index(a, &sa) < 0) {
        out->kind = VC_IDX_ERROR;
        snprintf(out->message, sizeof out->message, "%s", nd_errmsg());
        goto out;
    }
    out->kind = kind_of(&sa);
    region_of(&sa, &out->region);
    if (is_format && strcmp(a, b) != 0) {
        vc_region rb;
        if (nd_parse_index(b, &sb) < 0) {
            vc_region_whole(&out->region);
            goto out;
        }
        region_of(&sb, &rb);
        drop_varying(&out->region, &rb);
    }
    if (is_format && !out->region.whole) {
        symbolize_axes(out->region.lead, out->region.n_lead, n_args, args);
        symbolize_axes(out->region.trail, out->region.n_trail, n_args, args);
    }
out:
    nd_subscript_free(&sa);
    nd_subscript_free(&sb);
}

void vc_index_analyze(const char *text, size_t len, bool is_format,
                      vc_index_info *out)
{
    analyze(text, len, is_format, 0, NULL, out);
}

void vc_index_analyze_fmt(const char *fmt, size_t len, int n_args,
                          const vc_fmt_arg *args, vc_index_info *out)
{
    analyze(fmt, len, true, n_args, args, out);
}
