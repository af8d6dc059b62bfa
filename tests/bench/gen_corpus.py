#!/usr/bin/python3
"""gen_corpus.py - writes a synthetic corpus of C code that uses libnd, for
the analyzer benchmark (analyzer_bench.sh).

Usage: gen_corpus.py OUTDIR [--lines N] [--seed S]

Key idea: each file is a small "module" (a prefix, a dataset struct, a few
macros and static helpers) followed by functions drawn from 30 templates
that look like numeric C: splits and standardisation, row loops, crops and
tiles, record fields, fancy-index copies, reshapes, k-fold loops, raw
pointer kernels, iterative solvers, switch dispatch, goto cleanup. Every
template has clean and buggy variants chosen at random, so the analyzer
does real dataflow work and reports some findings. Names, slice bounds,
constants and optional statements vary.

Invariants: the output depends only on (N, S); every file is valid C11 that
includes "nd.h" (checked by the benchmark with the compiler it uses);
files are 1-2k lines; the corpus has at least N lines. It writes nothing
outside OUTDIR and never runs a compiler itself.
"""
import argparse
import os
import random
import re

FEATURE_WORDS = ["feat", "sig", "img", "pix", "obs", "rec", "meas", "samp",
                 "spec", "band", "chan", "grid", "frame", "cell", "vox"]
MODULES = ["prep", "stats", "vision", "audio", "fit", "sensor", "geo", "knn",
           "pca", "trend", "clim", "spect", "seg", "calib", "rank", "filt"]
ARRAYS = ["X", "M", "data", "img", "sig", "buf", "A", "S", "grid", "obs"]
VIEWS = ["v", "part", "blk", "win", "cur", "sub", "head", "tail", "sel", "roi"]
STATS = ["nd_mean", "nd_std", "nd_sum"]
INPLACE_SCALAR = ["nd_iadd_scalar", "nd_isub_scalar", "nd_imul_scalar",
                  "nd_idiv_scalar"]
INPLACE_ARRAY = ["nd_iadd", "nd_isub", "nd_imul", "nd_idiv"]

# Local names a function may be written with (renamed per function, whole
# words only, never onto a name the function already uses).
SYNONYMS = {
    "mu": ["mean", "center", "loc", "avg"],
    "sd": ["sigma", "spread", "dev", "scl"],
    "acc": ["score", "res", "agg", "sum_acc"],
    "total": ["running", "cum", "tot"],
    "frac": ["ratio", "share", "part_frac"],
    "row": ["line", "rowv", "sample"],
    "fold": ["chunk", "held", "block_k"],
    "crop": ["patch", "window_c", "region"],
    "band": ["slab", "bin_v", "range_v"],
    "tile": ["cellv", "square"],
    "train": ["fit_part", "learn", "tr"],
    "val": ["hold", "check", "va"],
    "again": ["second", "recheck"],
    "target": ["goal", "level"],
}

DOC_PHRASES = [
    "Computes %s statistics used by the report.",
    "Runs one step of the %s pipeline.",
    "Helper for the %s preprocessing stage; see the module notes.",
    "Evaluates %s features on the current split.",
    "Numerically simple on purpose: %s arrays are small here.",
    "Applies the %s transform; arrays are owned by the caller.",
    "Keeps the %s buffers alive only for the duration of the call.",
]


class Module:
    """One output file: a prefix, its helpers, its functions."""

    def __init__(self, rng, idx):
        self.rng = rng
        self.idx = idx
        self.p = "%s%d" % (rng.choice(MODULES), idx)
        self.word = rng.choice(FEATURE_WORDS)
        self.n = 0
        self.out = []

    def name(self, base):
        self.n += 1
        return "%s_%s_%d" % (self.p, base, self.n)

    def emit(self, lines):
        text = "\n".join(lines)
        for old, news in SYNONYMS.items():
            pat = r"(?<![.>])\b%s\b" % old     # not a struct member
            if self.rng.random() < 0.5 and re.search(pat, text):
                new = self.rng.choice(news)
                if not re.search(r"\b%s\b" % new, text):
                    text = re.sub(pat, new, text)
        if self.rng.random() < 0.6:
            phrase = self.rng.choice(DOC_PHRASES) % self.word
            self.out.append("/* %s */" % phrase)
        self.out.extend(text.split("\n"))
        self.out.append("")

    # ---- small random pieces -------------------------------------------
    def arr(self):
        return self.rng.choice(ARRAYS)

    def view(self):
        return self.rng.choice(VIEWS)

    def num(self, lo, hi):
        return self.rng.randint(lo, hi)

    def fnum(self):
        return "%.*f" % (self.rng.choice([1, 2, 3]), self.rng.uniform(0.01, 9.0))

    def split_pair(self):
        """Two disjoint basic slices of axis 0 (or of axis 1)."""
        r = self.rng.random()
        k = self.num(10, 900)
        if r < 0.4:
            return ":%d" % k, "%d:" % k
        if r < 0.6:
            return ":-%d" % k, "-%d:" % k
        if r < 0.8:
            return "::2", "1::2"
        j = self.num(0, 6)
        return ":, %d" % j, ":, %d" % (j + 1)

    def block(self):
        a, b = sorted(self.rng.sample(range(0, 200), 2))
        c, d = sorted(self.rng.sample(range(0, 200), 2))
        return "%d:%d, %d:%d" % (a, b + 1, c, d + 1)

    def valid_literal(self):
        return self.rng.choice([
            "0", "-1", ":", "...", "1:", ":-1", "::2", "::-1", "..., 0",
            "None, :", ":, None", "1:3, ..., None", "[0, 2]", "[True, False]",
            "2:10:2", "%d:%d" % (self.num(0, 5), self.num(6, 40)), ":, :%d" % self.num(1, 8),
            "%d, :" % self.num(0, 9), "-%d:" % self.num(1, 50),
        ])

    def maybe_print(self, ind, expr):
        if self.rng.random() < 0.3:
            return ['%sprintf("%s: %%g\\n", %s);' % (ind, self.p, expr)]
        return []


def prelude(m):
    rng = m.rng
    p = m.p
    L = ["/*", " * %s.c - generated benchmark module (gen_corpus.py, file %d)." % (p, m.idx),
         " * Synthetic numeric code over libnd: not meant to run, meant to be",
         " * analyzed. Mixes correct idioms with view-write hazards.", " */",
         "#include <math.h>", "#include <stdio.h>"]
    if rng.random() < 0.5:
        L.append("#include <stdlib.h>")
    if rng.random() < 0.3:
        L.append("#include <string.h>")
    L += ['#include "nd.h"', "",
          "#define %s_NORMALIZE(a) nd_isub_scalar((a), nd_mean(a))" % p.upper(),
          "#define %s_EPS %s" % (p.upper(), rng.choice(["1e-9", "1e-12", "1e-6"])),
          "#define %s_CHECK(x) do { if (!(x)) goto out; } while (0)" % p.upper(), "",
          "struct %s_dataset {" % p,
          "    nd_array *X;          /* owned */",
          "    nd_array *y;          /* owned */",
          "    nd_array *val;        /* view of X or NULL */",
          "    ptrdiff_t n_rows, n_cols;",
          "    double scale;",
          "};", "",
          "static double %s_energy(const nd_array *a)" % p,
          "{",
          "    nd_array *sq = nd_mul(a, a);",
          "    double e = sq ? nd_sum(sq) : 0.0;",
          "    nd_free(sq);",
          "    return e;",
          "}", "",
          "static void %s_scale_inplace(nd_array *a, double s)" % p,
          "{",
          "    if (s != 0.0)",
          "        nd_idiv_scalar(a, s);",
          "}", "",
          "static void %s_center(nd_array *a)" % p,
          "{",
          "    nd_isub_scalar(a, nd_mean(a));",
          "}", "",
          "static void %s_prep(nd_array *a)" % p,
          "{",
          "    %s_center(a);" % p,
          "    %s_scale_inplace(a, nd_std(a) + %s_EPS);" % (p, p.upper()),
          "}", "",
          "static double %s_score(const nd_array *a)" % p,
          "{",
          "    nd_array *m = nd_mean_axis(a, 0);",
          "    double s = m ? nd_sum(m) : 0.0;",
          "    nd_free(m);",
          "    return s;",
          "}", ""]
    m.out.extend(L)


# ---- templates: each writes one or two functions ------------------------

def t_split(m):
    rng, p = m.rng, m.p
    X = m.arr()
    a, b = m.split_pair()
    fn = m.name("split_eval")
    copy = rng.random() < 0.5
    getv = "nd_get_copy" if copy else "nd_get"
    op = rng.choice(INPLACE_ARRAY[1:])
    L = ["double %s(nd_array *%s)" % (fn, X), "{",
         '    nd_array *train = nd_get(%s, "%s");' % (X, a),
         '    nd_array *val = %s(%s, "%s");' % (getv, X, b),
         "    nd_array *mu = nd_mean_axis(train, 0);",
         "    double acc = 0.0;",
         "    if (!train || !val || !mu)",
         "        goto out;",
         "    %s(val, mu);" % op,
         "    acc = %s_score(val) - %s_score(train);" % (p, p)]
    L += m.maybe_print("    ", "acc")
    if rng.random() < 0.6:
        L += ["    acc += nd_mean(%s);" % X]
    L += ["out:", "    nd_free(mu);", "    nd_free(val);", "    nd_free(train);",
          "    return acc;", "}"]
    m.emit(L)


def t_row_loop(m):
    rng = m.rng
    X = m.arr()
    fn = m.name("zscore_rows")
    L = ["void %s(nd_array *%s)" % (fn, X), "{",
         "    ptrdiff_t n = nd_shape(%s)[0];" % X,
         "    for (ptrdiff_t i = 0; i < n; i++) {",
         '        nd_array *row = nd_getf(%s, "%%td", i);' % X,
         "        if (!row)", "            continue;",
         "        double mu = nd_mean(row);",
         "        double sd = nd_std(row);",
         "        nd_isub_scalar(row, mu);"]
    if rng.random() < 0.7:
        L += ["        if (sd > 0.0)", "            nd_idiv_scalar(row, sd);"]
    else:
        L += ["        (void)sd;"]
    L += ["        nd_free(row);", "    }"]
    if rng.random() < 0.5:
        L += ['    printf("%%g\\n", nd_mean(%s));' % X]
    L += ["}"]
    m.emit(L)


def t_block(m):
    rng = m.rng
    M = m.arr()
    fn = m.name("edit_block")
    v = m.view()
    L = ["double %s(nd_array *%s, double gain)" % (fn, M), "{",
         '    nd_array *%s = nd_get(%s, "%s");' % (v, M, m.block()),
         "    if (!%s)" % v, "        return -1.0;",
         "    %s(%s, gain);" % (rng.choice(INPLACE_SCALAR), v)]
    if rng.random() < 0.3:
        L += ["    double local = nd_mean(%s);" % v]
    else:
        L += ["    double local = 0.0;"]
    L += ["    nd_free(%s);" % v, "    return local + nd_mean(%s);" % M, "}"]
    m.emit(L)


def t_crop(m):
    rng, p = m.rng, m.p
    fn = m.name("crop_features")
    copy = rng.random() < 0.6
    L = ["double %s(struct %s_dataset *ds, double scale)" % (fn, p), "{",
         '    nd_array *crop = %s(ds->X, "%s");' % ("nd_get_copy" if copy else "nd_get", m.block()),
         "    if (!crop)", "        return 0.0;",
         "    nd_imul_scalar(crop, scale);",
         "    double f = %s_energy(crop);" % p,
         "    nd_free(crop);",
         '    nd_array *again = nd_get(ds->X, "%s");' % m.block(),
         "    f += again ? nd_mean(again) : 0.0;",
         "    nd_free(again);", "    return f;", "}"]
    m.emit(L)


def t_fancy(m):
    rng = m.rng
    X = m.arr()
    fn = m.name("fancy")
    kind = rng.choice(["lit", "take", "compress"])
    L = ["double %s(nd_array *%s, const nd_array *idx, double v)" % (fn, X), "{"]
    if kind == "lit":
        L += ['    nd_array *c = nd_get(%s, "[%d, %d]");' % (X, m.num(0, 3), m.num(4, 9))]
    elif kind == "take":
        L += ["    nd_array *c = nd_take(%s, idx, 0);" % X]
    else:
        L += ["    nd_array *mask = nd_gt_scalar(%s, v);" % X,
              "    nd_array *c = nd_compress(%s, mask, 0);" % X,
              "    nd_free(mask);"]
    L += ["    double r = 0.0;", "    if (!c)", "        return r;",
          "    %s(c, v);" % rng.choice(INPLACE_SCALAR + ["nd_fill"])]
    if rng.random() < 0.6:
        L += ["    r = nd_sum(c);"]
    L += ["    nd_free(c);"]
    if kind != "lit":
        L += ["    (void)idx;"]
    else:
        L += ["    (void)idx;"]
    if rng.random() < 0.5:
        L += ['    nd_set_scalar(%s, "[%d]", v);' % (X, m.num(0, 9))]
    L += ["    return r;", "}"]
    m.emit(L)


def t_set(m):
    X = m.arr()
    fn = m.name("set_many")
    L = ["int %s(nd_array *%s, const nd_array *value)" % (fn, X), "{", "    int rc = 0;"]
    L += ['    rc |= nd_set(%s, "%s", value);' % (X, m.valid_literal())]
    for _ in range(m.num(1, 5)):
        if m.rng.random() < 0.7:
            L += ['    rc |= nd_set_scalar(%s, "%s", %s);' % (X, m.valid_literal(), m.fnum())]
        else:
            L += ['    rc |= nd_set(%s, "%s", value);' % (X, m.valid_literal())]
    L += ["    return rc;", "}"]
    m.emit(L)


def t_reshape(m):
    rng = m.rng
    X = m.arr()
    fn = m.name("reshape_stats")
    own = rng.random() < 0.5
    L = ["double %s(nd_array *%s, ptrdiff_t rows)" % (fn, X), "{",
         "    ptrdiff_t shape[2] = {rows, nd_size(%s) / (rows ? rows : 1)};" % X]
    if own:
        L += ["    nd_array *tmp = nd_copy(%s);" % X,
              "    nd_array *r = tmp ? nd_reshape(tmp, 2, shape) : NULL;",
              "    nd_free(tmp);"]
    else:
        if rng.random() < 0.5:
            L += ["    nd_array *r = nd_reshape(%s, 2, shape);" % X]
        else:
            L += ["    nd_array *r = shape[1] > 0 ? nd_ravel(%s) : NULL;" % X]
    L += ["    if (!r)", "        return 0.0;"]
    if rng.random() < 0.7:
        L += ["    nd_imul_scalar(r, %s);" % m.fnum()]
    L += ["    double s = nd_std(r);", "    nd_free(r);", "    return s + nd_mean(%s);" % X, "}"]
    m.emit(L)


def t_fields(m):
    rng = m.rng
    fn = m.name("record_stats")
    f1, f2 = rng.sample(["x", "y", "z", "w", "temp", "rate"], 2)
    L = ["double %s(nd_array *rec)" % fn, "{",
         '    nd_array *a = nd_field(rec, "%s");' % f1,
         '    nd_array *b = nd_field(rec, "%s");' % f2,
         "    double r = 0.0;",
         "    if (!a || !b)", "        goto out;"]
    if rng.random() < 0.5:
        L += ["    nd_isub_scalar(a, %s);" % m.fnum()]
    L += ["    r = nd_mean(b) + nd_std(b);"]
    if rng.random() < 0.3:
        L += ["    r += nd_mean(a);"]
    L += ["out:", "    nd_free(b);", "    nd_free(a);", "    return r;", "}"]
    m.emit(L)


def t_struct(m):
    rng, p = m.rng, m.p
    fn = m.name("dataset_val")
    L = ["double %s(struct %s_dataset *ds)" % (fn, p), "{",
         '    ds->val = nd_getf(ds->X, "-%%td:", ds->n_rows / %d);' % m.num(3, 10),
         "    if (!ds->val)", "        return 0.0;",
         "    nd_idiv_scalar(ds->val, ds->scale);",
         "    double v = nd_mean(ds->val);"]
    if rng.random() < 0.5:
        L += ["    v /= 1.0 + nd_std(ds->X);"]
    L += ["    nd_free(ds->val);", "    ds->val = NULL;", "    return v;", "}"]
    m.emit(L)


def t_conv(m):
    fn = m.name("convolve")
    k = m.num(3, 9)
    taps = ", ".join(m.fnum() for _ in range(k))
    L = ["nd_array *%s(nd_array *in)" % fn, "{",
         "    static const double taps[%d] = {%s};" % (k, taps),
         "    ptrdiff_t n = nd_size(in);",
         "    ptrdiff_t shape[1] = {n};",
         "    nd_array *src = nd_copy(in);",
         "    nd_array *out = nd_zeros(ND_FLOAT64, 1, shape);",
         "    if (!src || !out) {", "        nd_free(src);", "        nd_free(out);",
         "        return NULL;", "    }",
         "    const double *x = nd_data(src);",
         "    double *y = nd_data(out);",
         "    for (ptrdiff_t i = 0; i < n; i++) {",
         "        double acc = 0.0;",
         "        for (int k = 0; k < %d; k++) {" % k,
         "            ptrdiff_t j = i - k + %d;" % (k // 2),
         "            if (j >= 0 && j < n)",
         "                acc += taps[k] * x[j];",
         "        }",
         "        y[i] = acc;", "    }",
         "    nd_free(src);", "    return out;", "}"]
    m.emit(L)


def t_matmul(m):
    fn = m.name("matvec")
    L = ["nd_array *%s(const nd_array *A, const nd_array *x)" % fn, "{",
         "    ptrdiff_t r = nd_shape(A)[0], c = nd_shape(A)[1];",
         "    ptrdiff_t shape[1] = {r};",
         "    nd_array *y = nd_zeros(ND_FLOAT64, 1, shape);",
         "    if (!y)", "        return NULL;",
         "    double *py = nd_data(y);",
         "    for (ptrdiff_t i = 0; i < r; i++) {",
         "        double acc = 0.0;",
         "        for (ptrdiff_t j = 0; j < c; j++) {",
         "            ptrdiff_t ai[2] = {i, j}, xi[1] = {j};",
         "            acc += nd_item(A, ai) * nd_item(x, xi);",
         "        }",
         "        py[i] = acc;", "    }", "    return y;", "}"]
    m.emit(L)


def t_kfold(m):
    rng, p = m.rng, m.p
    X = m.arr()
    fn = m.name("kfold")
    copy = rng.random() < 0.5
    L = ["double %s(nd_array *%s, int k)" % (fn, X), "{",
         "    ptrdiff_t n = nd_shape(%s)[0], per = n / (k > 0 ? k : 1);" % X,
         "    double total = 0.0;",
         "    for (int f = 0; f < k; f++) {",
         '        nd_array *fold = %s(%s, "%%td:%%td", f * per, (f + 1) * per);' % ("nd_getf", X)]
    if copy:
        L += ["        nd_array *own = fold ? nd_copy(fold) : NULL;",
              "        nd_free(fold);", "        fold = own;"]
    L += ["        if (!fold)", "            break;",
          "        nd_isub_scalar(fold, %s);" % m.fnum(),
          "        total += %s_score(fold);" % p,
          "        nd_free(fold);", "    }",
          "    return total / (k > 0 ? k : 1) + nd_std(%s);" % X, "}"]
    m.emit(L)


def t_helper_caller(m):
    rng, p = m.rng, m.p
    X = m.arr()
    fn = m.name("prepare")
    kind = rng.choice(["owner", "copy", "view"])
    L = ["double %s(nd_array *%s)" % (fn, X), "{"]
    if kind == "owner":
        L += ["    %s_prep(%s);" % (p, X), "    return nd_mean(%s);" % X, "}"]
    else:
        get = "nd_get_copy" if kind == "copy" else "nd_get"
        L += ['    nd_array *col = %s(%s, ":, %d");' % (get, X, m.num(0, 5)),
              "    if (!col)", "        return 0.0;",
              "    %s_prep(col);" % p,
              "    double s = %s_energy(col);" % p,
              "    nd_free(col);", "    return s + %s_score(%s);" % (p, X), "}"]
    m.emit(L)


def t_const_reader(m):
    p = m.p
    fn = m.name("summary")
    a, b = m.split_pair()
    L = ["double %s(const nd_array *X)" % fn, "{",
         '    nd_array *lo = nd_get(X, "%s");' % a,
         '    nd_array *hi = nd_get(X, "%s");' % b,
         "    double r = 0.0;",
         "    if (lo && hi)",
         "        r = %s(lo) - %s(hi) + %s_energy(lo);" % (m.rng.choice(STATS), m.rng.choice(STATS), p),
         "    nd_free(hi);", "    nd_free(lo);"]
    if m.rng.random() < 0.2:
        L = L[:-2] + ["    if (hi)", "        nd_fill(hi, 0.0);", "    nd_free(hi);", "    nd_free(lo);"]
    L += ["    return r;", "}"]
    m.emit(L)


def t_diag(m):
    fn = m.name("trace_ridge")
    L = ["double %s(nd_array *C, double lambda)" % fn, "{",
         "    nd_array *d = nd_diagonal(C);",
         "    double t = d ? nd_sum(d) : 0.0;"]
    if m.rng.random() < 0.15:
        L += ["    if (d)", "        nd_iadd_scalar(d, lambda);"]
    else:
        L += ["    ptrdiff_t n = nd_shape(C)[0];",
              "    for (ptrdiff_t i = 0; i < n; i++) {",
              "        ptrdiff_t at[2] = {i, i};",
              "        double *q = nd_ptr(C, at);",
              "        if (q)", "            *q += lambda;", "    }"]
    L += ["    nd_free(d);", "    return t;", "}"]
    m.emit(L)


def t_switch(m):
    fn = m.name("statistic")
    L = ["double %s(const nd_array *a, int mode)" % fn, "{",
         "    double r;", "    switch (mode) {"]
    for i, s in enumerate(["nd_mean", "nd_std", "nd_sum"]):
        L += ["    case %d:" % i, "        r = %s(a);" % s, "        break;"]
    L += ["    case 3: {",
          '        nd_array *h = nd_get(a, "%s");' % m.rng.choice(["::2", "1:", ":-1", "..."]),
          "        r = h ? nd_mean(h) : 0.0;", "        nd_free(h);", "        break;", "    }",
          "    default:", "        r = 0.0;", "    }", "    return r;", "}"]
    m.emit(L)


def t_goto(m):
    p = m.p
    fn = m.name("pipeline")
    L = ["int %s(const nd_array *X, double *out_value)" % fn, "{",
         "    nd_array *mu = NULL, *sd = NULL, *z = NULL;", "    int rc = -1;",
         "    mu = nd_mean_axis(X, 0);", "    %s_CHECK(mu);" % p.upper(),
         "    sd = nd_std_axis(X, 0);", "    %s_CHECK(sd);" % p.upper(),
         "    z = nd_sub(X, mu);", "    %s_CHECK(z);" % p.upper(),
         "    %s_CHECK(nd_idiv(z, sd) == 0);" % p.upper(),
         "    *out_value = %s_energy(z);" % p, "    rc = 0;",
         "out:", "    nd_free(z);", "    nd_free(sd);", "    nd_free(mu);", "    return rc;", "}"]
    m.emit(L)


def t_mask(m):
    fn = m.name("outlier_frac")
    L = ["double %s(const nd_array *a, double lo, double hi)" % fn, "{",
         "    nd_array *g = nd_gt_scalar(a, hi);",
         "    nd_array *l = nd_lt_scalar(a, lo);",
         "    nd_array *o = (g && l) ? nd_logical_or(g, l) : NULL;",
         "    nd_array *keep = o ? nd_logical_not(o) : NULL;",
         "    double frac = o ? nd_mean(o) : 0.0;",
         "    if (keep) {",
         "        nd_array *kept = nd_compress(a, keep, 0);",
         "        if (kept)", "            frac += 0.0 * nd_mean(kept);",
         "        nd_free(kept);", "    }",
         "    nd_free(keep);", "    nd_free(o);", "    nd_free(l);", "    nd_free(g);",
         "    return frac;", "}"]
    m.emit(L)


def t_getf_reads(m):
    fn = m.name("band_energy")
    L = ["double %s(const nd_array *spec, int n_bands)" % fn, "{",
         "    double e = 0.0;", "    ptrdiff_t n = nd_shape(spec)[0];",
         "    ptrdiff_t w = n / (n_bands > 0 ? n_bands : 1);",
         "    for (int b = 0; b < n_bands; b++) {",
         '        nd_array *band = nd_getf(spec, "%td:%td", b * w, (b + 1) * w);',
         "        if (!band)", "            continue;",
         "        e += %s(band);" % m.rng.choice(STATS),
         "        nd_free(band);", "    }", "    return e;", "}"]
    m.emit(L)


def t_gd(m):
    fn = m.name("gradient_descent")
    iters = m.num(20, 500)
    L = ["nd_array *%s(const nd_array *X, const nd_array *y, double lr)" % fn, "{",
         "    ptrdiff_t d = nd_shape(X)[1];", "    ptrdiff_t shape[1] = {d};",
         "    nd_array *w = nd_zeros(ND_FLOAT64, 1, shape);",
         "    int it = 0;", "    if (!w)", "        return NULL;",
         "    while (it++ < %d) {" % iters,
         "        nd_array *pred = nd_mul(X, w);",
         "        nd_array *err = pred ? nd_mean_axis(pred, 1) : NULL;",
         "        if (err)", "            nd_isub(err, y);",
         "        double g = err ? nd_mean(err) : 0.0;",
         "        nd_free(err);", "        nd_free(pred);",
         "        if (fabs(g) < 1e-9)", "            break;",
         "        nd_isub_scalar(w, lr * g);", "    }", "    return w;", "}"]
    m.emit(L)


def t_macro(m):
    p = m.p
    X = m.arr()
    fn = m.name("normalized_frame")
    copy = m.rng.random() < 0.5
    L = ["double %s(nd_array *%s, ptrdiff_t start, ptrdiff_t len)" % (fn, X), "{",
         '    nd_array *frame = %s(%s, "%%td:%%td", start, start + len);' % ("nd_getf", X)]
    if copy:
        L += ["    nd_array *own = frame ? nd_copy(frame) : NULL;", "    nd_free(frame);",
              "    frame = own;"]
    L += ["    if (!frame)", "        return 0.0;",
          "    %s_NORMALIZE(frame);" % p.upper(),
          "    double s = nd_std(frame);", "    nd_free(frame);",
          "    return s * nd_sum(%s);" % X, "}"]
    m.emit(L)


def t_transpose(m):
    fn = m.name("transposed")
    X = m.arr()
    fun = m.rng.choice(["nd_transpose(%s)" % X, "nd_swapaxes(%s, 0, 1)" % X, "nd_flip(%s, 0)" % X])
    L = ["double %s(nd_array *%s)" % (fn, X), "{",
         "    nd_array *t = %s;" % fun,
         "    if (!t)", "        return 0.0;",
         "    nd_array *r = nd_mean_axis(t, 0);",
         "    double s = r ? nd_sum(r) : 0.0;",
         "    nd_free(r);"]
    if m.rng.random() < 0.3:
        L += ["    nd_fill(t, 0.0);"]
    L += ["    nd_free(t);", "    return s;", "}"]
    m.emit(L)


def t_tiles(m):
    fn = m.name("equalize_tiles")
    tile = m.rng.choice([8, 16, 32, 64])
    L = ["void %s(nd_array *img)" % fn, "{",
         "    const ptrdiff_t *shape = nd_shape(img);",
         "    ptrdiff_t h = shape[0], w = shape[1];",
         "    double target = nd_mean(img);",
         "    for (ptrdiff_t r = 0; r < h; r += %d)" % tile,
         "        for (ptrdiff_t c = 0; c < w; c += %d) {" % tile,
         '            nd_array *t = nd_getf(img, "%%td:%%td, %%td:%%td", r, r + %d, c, c + %d);' % (tile, tile),
         "            if (!t)", "                continue;",
         "            nd_iadd_scalar(t, target - nd_mean(t));",
         "            nd_free(t);", "        }", "}"]
    m.emit(L)


def t_returns_view(m):
    p = m.p
    helper = m.name("tail_rows")
    fn = m.name("tail_gain")
    k = m.num(4, 64)
    copy = m.rng.random() < 0.5
    m.emit(["static nd_array *%s(nd_array *a)" % helper, "{",
            '    return %s(a, "-%d:");' % ("nd_get_copy" if copy else "nd_get", k), "}"])
    m.emit(["double %s(nd_array *a, double g)" % fn, "{",
            "    nd_array *t = %s(a);" % helper,
            "    if (!t)", "        return 0.0;",
            "    nd_imul_scalar(t, g);",
            "    double e = %s_energy(t);" % p,
            "    nd_free(t);", "    return e + nd_mean(a);", "}"])


def t_parts_array(m):
    p = m.p
    X = m.arr()
    k = m.num(2, 6)
    fn = m.name("partition_scores")
    write = m.rng.random() < 0.4
    L = ["double %s(nd_array *%s)" % (fn, X), "{",
         "    nd_array *parts[%d] = {NULL};" % k,
         "    ptrdiff_t n = nd_shape(%s)[0], step = n / %d;" % (X, k),
         "    double best = -1e300;",
         "    for (int i = 0; i < %d; i++)" % k,
         '        parts[i] = nd_getf(%s, "%%td:%%td", i * step, (i + 1) * step);' % X,
         "    for (int i = 0; i < %d; i++) {" % k,
         "        if (!parts[i])", "            continue;"]
    if write:
        L += ["        nd_imul_scalar(parts[i], %s);" % m.fnum()]
    L += ["        double s = %s_score(parts[i]);" % p,
          "        if (s > best)", "            best = s;", "    }",
          "    for (int i = 0; i < %d; i++)" % k, "        nd_free(parts[i]);",
          "    return best;", "}"]
    m.emit(L)


def t_callback(m):
    fn = m.name("apply_stat")
    L = ["typedef double (*%s_stat_fn)(const nd_array *);" % fn, "",
         "double %s(const nd_array *a, int which)" % fn, "{",
         "    static const %s_stat_fn table[3] = {nd_mean, nd_std, nd_sum};" % fn,
         "    double r = 0.0;",
         "    if (which < 0 || which >= 3)", "        return 0.0;",
         '    nd_array *h = nd_get(a, "%s");' % m.rng.choice([":", "::2", "1:", "...", ":-1"]),
         "    if (h) {", "        r = table[which](h);", "        nd_free(h);", "    }",
         "    return r;", "}"]
    m.emit(L)


def t_do_while(m):
    fn = m.name("refine")
    L = ["int %s(nd_array *x, double tol, int max_iter)" % fn, "{",
         "    int it = 0;", "    double change;", "    do {",
         "        double before = nd_mean(x);",
         "        nd_imul_scalar(x, %s);" % m.rng.choice(["0.5", "0.9", "0.75", "0.99"]),
         "        nd_iadd_scalar(x, %s);" % m.fnum(),
         "        change = fabs(nd_mean(x) - before);",
         "        it++;", "    } while (change > tol && it < max_iter);",
         "    return it;", "}"]
    m.emit(L)


def t_global_cache(m):
    g = "%s_cache_%d" % (m.p, m.num(0, 10**6))
    fn = m.name("cached_stat")
    m.emit(["static nd_array *%s;" % g])
    L = ["double %s(const nd_array *X)" % fn, "{",
         "    if (!%s)" % g, "        %s = nd_mean_axis(X, 0);" % g,
         "    if (!%s)" % g, "        return 0.0;",
         '    nd_array *first = nd_get(%s, "%s");' % (g, m.rng.choice(["0", ":1", "-1", "::2"])),
         "    double r = first ? nd_sum(first) : 0.0;",
         "    nd_free(first);", "    return r;", "}"]
    m.emit(L)


def t_load_save(m):
    fn = m.name("roundtrip")
    L = ["int %s(const char *dir, int id)" % fn, "{",
         "    char path[256];",
         '    snprintf(path, sizeof path, "%%s/%s_%%d.npy", dir, id);' % m.word,
         "    nd_array *a = nd_load_npy(path);",
         "    if (!a)", "        return -1;",
         '    nd_array *b = nd_get(a, "%s");' % m.rng.choice([":10", "1:", "::-1", "..., 0"]),
         "    int rc = b ? nd_save_npy(path, b) : -1;",
         "    nd_free(b);", "    nd_free(a);", "    return rc;", "}"]
    m.emit(L)


def t_items(m):
    fn = m.name("items_window")
    write = m.rng.random() < 0.5
    L = ["double %s(nd_array *a, ptrdiff_t lo, ptrdiff_t hi)" % fn, "{",
         "    struct nd_index ix[2] = {ND_SLICE(lo, hi, ND_END), ND_ALL};",
         "    nd_array *w = nd_get_items(a, 2, ix);",
         "    if (!w)", "        return 0.0;"]
    if write:
        L += ["    nd_fill(w, 0.0);"]
    L += ["    double r = nd_mean(w);", "    nd_free(w);", "    return r;", "}"]
    m.emit(L)


TEMPLATES = [t_split, t_row_loop, t_block, t_crop, t_fancy, t_set, t_reshape,
             t_fields, t_struct, t_conv, t_matmul, t_kfold, t_helper_caller,
             t_const_reader, t_diag, t_switch, t_goto, t_mask, t_getf_reads,
             t_gd, t_macro, t_transpose, t_tiles, t_returns_view,
             t_parts_array, t_callback, t_do_while, t_global_cache, t_load_save,
             t_items]


def make_file(rng, idx):
    m = Module(rng, idx)
    prelude(m)
    target = rng.randint(1000, 2000)
    while len(m.out) < target:
        rng.choice(TEMPLATES)(m)
    return m.p, "\n".join(m.out) + "\n", len(m.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--lines", type=int, default=200000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    rng = random.Random(args.seed)
    total = files = 0
    while total < args.lines:
        name, text, n = make_file(rng, files)
        with open(os.path.join(args.outdir, name + ".c"), "w") as f:
            f.write(text)
        total += n
        files += 1
    print("%d files %d lines" % (files, total))


if __name__ == "__main__":
    main()
