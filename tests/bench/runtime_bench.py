"""runtime_bench.py - libnd against NumPy on the same operations, one table.

Runs nd-bench (the C side, tests/bench/nd_bench.c), then times the same
NumPy expressions on the same data here, and prints one table: operation,
size, NumPy time, libnd time, and the ratio numpy/libnd (above 1: libnd is
faster). The operations are those of NumPy's benchmarks/bench_indexing.py
plus a few large ones; the memcpy row is the floor for the contiguous copy.

Both sides time the best (minimum) of several samples, each sample running
the operation enough times to last about 2 ms (once for the large ones):
time.perf_counter through timeit here, CLOCK_MONOTONIC in C. Index arrays
such as ix_(I, I) are built before timing on both sides.

The data is generated, not loaded: splitmix64 of the element number for
masks and random indices and a 64-bit LCG for shuffles and slice bounds,
computed here exactly as nd_bench.c does, so keys and data must change in
both files together. Unknown or missing keys fail the run.

usage: runtime_bench.py ND_BENCH [--quick]
"""
import subprocess
import sys
import timeit

import numpy as np

MASK64 = (1 << 64) - 1


def splitmix64(n, seed):
    i = np.arange(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + (i + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def __call__(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK64
        return self.state >> 33


def random_mask(shape, seed):
    n = int(np.prod(shape))
    return ((splitmix64(n, seed) >> np.uint64(63)) != 0).reshape(shape)


def indexes_98(shuffled):
    v = [i for i in range(100) if i not in (5, 96)]
    if shuffled:
        r = Lcg(1)
        for i in range(len(v) - 1, 0, -1):
            j = r() % (i + 1)
            v[i], v[j] = v[j], v[i]
    return np.array(v, dtype=np.int64)


def square(dt):
    return (np.arange(1000 * 1000, dtype=np.int64) % 997).astype(dt).reshape(1000, 1000)


class Timer:
    def __init__(self, quick):
        self.samples = 1 if quick else 7
        self.target = 1e-5 if quick else 2e-3

    def best(self, stmt, ns, large=False):
        t = timeit.Timer(stmt, globals=ns)
        once = t.timeit(1)
        inner = 1
        if once < self.target:
            inner = int(self.target / once) + 1 if once > 0 else 100000
        inner = min(inner, 100000)
        samples = min(self.samples, 5) if large else self.samples
        return min(t.repeat(repeat=samples, number=inner)) / inner


def numpy_times(quick):
    """key -> seconds, for the keys nd_bench.c prints."""
    timer = Timer(quick)
    out = {}

    for dt in ("float64", "int16"):
        a = square(dt)[::10, ::10]
        for order in ("sorted", "shuffled"):
            I = indexes_98(order == "shuffled")
            ns = {"a": a, "I": I, "IX": np.ix_(I, I)}
            for sel, expr in (("a[I]", "a[I]"), ("a[:,I]", "a[:,I]"),
                              ("a[ix_(I,I)]", "a[IX]")):
                out[f"{sel} {dt} I={order}"] = timer.best(expr, ns)
                out[f"{sel}=1 {dt} I={order}"] = timer.best(expr + " = 1", ns)

    idx = np.arange(1000)
    for shape, key in (((1000,), "arr[arange(1000)]"), ((1000, 2), "arr[arange(1000)]"),
                       ((2, 1000, 1), "arr[:,arange(1000)]"),
                       ((1000, 3), "arr[arange(1000)]")):
        ns = {"arr": np.ones(shape), "idx": idx}
        expr = "arr[:, idx]" if len(shape) == 3 else "arr[idx]"
        size = "(" + ",".join(map(str, shape)) + (",)" if len(shape) == 1 else ")")
        out[f"{key} {size}"] = timer.best(expr, ns)
        out[f"{key}=0 {size}"] = timer.best(expr + " = 0", ns)

    for ndim in range(3):
        ns = {"arr": np.ones((5,) * ndim), "indx": (1,) * ndim, "r100": range(100)}
        t = timer.best("for _ in r100: arr[indx]", ns)
        out[f"scalar x100 ndim={ndim} nd_item"] = t
        out[f"scalar x100 ndim={ndim} nd_get"] = t

    mask = random_mask((64, 64, 64), 7)
    for order in ("C", "F"):
        ns = {"base": np.zeros((64, 64, 64), np.uint32, order=order), "mask": mask}
        out[f"base[mask]=7 {order}-order"] = timer.best("base[mask] = 7", ns)

    sq = square("float64")
    r = Lcg(2)
    views = []
    for _ in range(2000):
        b = []
        for _k in range(2):
            start = r() % 500
            step = 1 + r() % 7
            length = 50 + r() % 450
            b.append(slice(start, start + length, step))
        views.append(sq[b[0], b[1]])
    ns = {"pairs": list(zip(views[0::2], views[1::2])), "shares": np.shares_memory}
    out["shares_memory x1000 strided pairs"] = timer.best("for x, y in pairs: shares(x, y)", ns)

    n = 100000 if quick else 10000000
    big = np.arange(2 * n, dtype=np.float64)
    half = np.arange(n, dtype=np.float64)
    ns = {"big": big, "half": half, "np": np,
          "mask": random_mask((n,), 11),
          "idx": (splitmix64(n // 10, 13) % np.uint64(n)).astype(np.int64)}
    out["a.copy() contiguous"] = timer.best("half.copy()", ns, large=True)
    out["a[::2].copy() strided"] = timer.best("big[::2].copy()", ns, large=True)
    out["a[mask] half true"] = timer.best("half[mask]", ns, large=True)
    out["take(a, random idx)"] = timer.best("np.take(half, idx, axis=0)", ns, large=True)
    return out


def fmt_time(t):
    if t is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


def main(argv):
    if len(argv) < 2 or argv[2:] not in ([], ["--quick"]):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    quick = argv[2:] == ["--quick"]
    proc = subprocess.run([argv[1]] + (["--quick"] if quick else []),
                          stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        print(f"runtime_bench: nd-bench failed with exit {proc.returncode}", file=sys.stderr)
        return 1
    rows = [line.split("\t") for line in proc.stdout.splitlines() if line]
    nd = {key: (size, float(sec)) for key, size, sec in rows}
    npt = numpy_times(quick)

    unknown = sorted(set(npt) - set(nd))
    missing = sorted(k for k in set(nd) - set(npt) if not k.startswith("memcpy"))
    if unknown or missing:
        print(f"runtime_bench: keys differ: numpy-only {unknown}, libnd-only {missing}",
              file=sys.stderr)
        return 1

    head = ("operation", "size", "NumPy", "libnd", "numpy/libnd")
    table = []
    for key, _size, _sec in rows:
        size, t_nd = nd[key]
        t_np = npt.get(key)
        ratio = f"{t_np / t_nd:.2f}" if t_np and t_nd > 0 else "-"
        table.append((key, size, fmt_time(t_np), fmt_time(t_nd), ratio))
    widths = [max(len(r[i]) for r in table + [head]) for i in range(5)]
    print(f"libnd vs NumPy {np.__version__} (best of N; ratio > 1: libnd faster)")
    for r in [head, tuple("-" * w for w in widths)] + table:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(r, widths))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
