#!/usr/bin/python3
"""Random nd-vectors/1 cases with NumPy as the oracle.

The public vector file is fixed; this generator draws fresh cases (random
dtypes, shapes, strided `pre` views and index strings from the grammar of
fixtures/runtime/README-style nd-vectors/1) and asks the installed NumPy for
every answer, so the runtime is checked on cases nobody tuned it for.

    gen_vectors.py --count 20000 --seed 7 > /tmp/random.jsonl
    build/bin/nd-conformance /tmp/random.jsonl

NumPy 1.24 semantics with the vectors' one deviation: an out-of-bounds index
whose result is empty is an IndexError (NumPy only warns).
"""
import argparse
import json
import random
import sys
import warnings

import numpy as np

RECORD = np.dtype([('x', '<i4'), ('y', '<f8'), ('z', '<i2')])
DTYPES = ['bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16',
          'uint32', 'uint64', 'float32', 'float64', 'record']


class _Key:
    """Indexing this object returns the subscript Python built."""
    def __getitem__(self, key):
        return key


def _depth(lst):
    return 1 + max((_depth(e) for e in lst if isinstance(e, list)), default=0)


def _leaves(lst):
    for e in lst:
        if isinstance(e, list):
            yield from _leaves(e)
        else:
            yield e


def _to_index(obj):
    """Lists become arrays the way the libnd grammar defines (spec 14.3)."""
    if not isinstance(obj, list):
        return obj
    leaves = list(_leaves(obj))
    if leaves and all(isinstance(v, str) for v in leaves) and _depth(obj) == 1:
        return obj                                   # field list
    if not leaves:
        if _depth(obj) >= 2:
            return np.zeros(np.array(obj).shape, bool)  # empty nested: mask
        return np.zeros(0, np.intp)
    if all(isinstance(v, bool) for v in leaves):
        return np.array(obj, bool)
    return np.array(obj, np.intp)


def parse(text):
    key = eval('_K[' + (text if text.strip() else '()') + ']', {'_K': _Key()})
    if isinstance(key, tuple):
        return tuple(_to_index(k) for k in key)
    return _to_index(key)


def base_array(dtype, shape):
    n = int(np.prod(shape)) if shape else 1
    i = np.arange(n, dtype=np.int64)
    if dtype == 'record':
        b = np.zeros(n, RECORD)
        b['x'], b['y'], b['z'] = i, 10 * i, -i
    elif dtype == 'bool':
        b = i % 2 == 1
    else:
        b = i.astype(dtype)
    return b.reshape(shape).copy()   # the base owns its data


def flat(r):
    r = np.asarray(r)
    if r.dtype.names:
        return [[v.item() if hasattr(v, 'item') else v for v in rec]
                for rec in r.reshape(-1).tolist()]
    return r.reshape(-1).tolist()


def points_into(r, base):
    """Provenance, not addresses: an empty view still counts as a view."""
    if isinstance(r, np.void):
        return True              # a record scalar refers to the array's memory
    chain = []
    while isinstance(r, np.ndarray) and r.base is not None:
        r = r.base
        chain.append(r)
    return any(x is base for x in chain)


# ---------------------------------------------------------- generators --
def g_int(rng, n):
    if rng.random() < 0.1:
        return rng.choice([n, -n - 1, n + 3])
    return rng.randint(-n, n - 1) if n > 0 else rng.randint(-2, 2)


def g_bound(rng, n):
    return '' if rng.random() < 0.35 else str(rng.randint(-n - 2, n + 2))


def g_slice(rng, n, zero_ok=True):
    step = rng.choice(['', '', '1', '2', '3', '-1', '-2', '-3'])
    if zero_ok and rng.random() < 0.02:
        step = '0'
    s = g_bound(rng, n) + ':' + g_bound(rng, n)
    if step or rng.random() < 0.2:
        s += ':' + step
    return s


def g_list(rng, n, ndim=1):
    if ndim == 1:
        return [g_int(rng, n) for _ in range(rng.randint(0, 4))]
    k = rng.randint(1, 3)
    m = rng.randint(0, 3)
    return [[g_int(rng, n) for _ in range(m)] for _ in range(k)]


def g_mask(rng, dims):
    if not dims:
        return rng.random() < 0.5
    if rng.random() < 0.1:
        dims = dims[:-1] + [dims[-1] + rng.choice([-1, 1])]
    return [g_mask(rng, dims[1:]) for _ in range(max(dims[0], 0))]


def lit(obj):
    return json.dumps(obj).replace(' ', '').replace('true', 'True').replace('false', 'False')


def g_index(rng, shape, dtype, basic_only=False):
    if dtype == 'record' and not basic_only and rng.random() < 0.15:
        names = ['x', 'y', 'z', 'w']
        if rng.random() < 0.5:
            return "'" + rng.choice(names) + "'"
        return '[' + ','.join("'" + rng.choice(names) + "'"
                              for _ in range(rng.randint(1, 3))) + ']'
    items, axis = [], 0
    for _ in range(rng.randint(0, len(shape) + 1)):
        n = shape[axis] if axis < len(shape) else 1
        r = rng.random()
        if r < 0.3:
            items.append(str(g_int(rng, n))); axis += 1
        elif r < 0.6:
            items.append(g_slice(rng, n)); axis += 1
        elif r < 0.67:
            items.append('None')
        elif r < 0.72:
            items.append('...'); axis = max(axis, len(shape) - 1)
        elif basic_only:
            items.append(g_slice(rng, n, zero_ok=False)); axis += 1
        elif r < 0.85:
            items.append(lit(g_list(rng, n, rng.choice([1, 1, 2])))); axis += 1
        elif r < 0.95:
            d = rng.choice([1, 1, 2])
            items.append(lit(g_mask(rng, list(shape[axis:axis + d]) or [1])))
            axis += d
        else:
            items.append(rng.choice(['True', 'False']))
    text = ', '.join(items)
    if len(items) == 1 and rng.random() < 0.1:
        text += ','
    return text


def g_pre(rng, shape):
    if rng.random() < 0.7 or not shape:
        return ''
    return ', '.join(g_slice(rng, n, zero_ok=False) if rng.random() < 0.8 else ':'
                     for n in shape)


def g_value(rng, target_shape):
    r = rng.random()
    if r < 0.4 or target_shape is None:
        shape = []
    elif r < 0.8:
        k = rng.randint(0, len(target_shape))
        shape = [d if rng.random() < 0.8 else 1 for d in target_shape[len(target_shape) - k:]]
    else:
        shape = [rng.randint(1, 3) for _ in range(rng.randint(1, 2))]
    n = int(np.prod(shape)) if shape else 1
    if rng.random() < 0.2:
        return {'shape': shape, 'values': [rng.random() < 0.5 for _ in range(n)], 'dtype': 'bool'}
    return {'shape': shape, 'values': [100 + k for k in range(n)], 'dtype': 'int64'}


def _kind(exc):
    # libnd has no KeyError: an unknown name in a field list is a ValueError
    return 'ValueError' if isinstance(exc, KeyError) else type(exc).__name__


def outcome(case):
    spec = case['array']
    base = base_array(spec['dtype'], spec['shape'])
    arr = base[parse(spec['pre'])] if spec['pre'] else base
    op = case['op']
    with warnings.catch_warnings():
        warnings.simplefilter('error', DeprecationWarning)
        try:
            if op == 'get':
                r = arr[parse(case['index'])]
                out = {'shape': list(np.shape(r)), 'values': flat(r), 'view': points_into(r, base)}
                if isinstance(r, np.ndarray) and r.dtype.names:
                    out['fields'] = list(r.dtype.names)
                if not isinstance(r, np.ndarray):
                    out['scalar'] = True
                return out
            if op == 'set':
                v = case['value']
                val = np.array(v['values'], dtype=v['dtype']).reshape(v['shape'])
                before = base.copy()
                try:
                    arr[parse(case['index'])] = val
                except DeprecationWarning:
                    raise
                except Exception as exc:  # noqa: BLE001 - the exception kind is the answer
                    return {'error': _kind(exc),
                            'unchanged': bool((base == before).all())}
                return {'after': flat(base)}
            if op == 'shares':
                x, y = arr[parse(case['index'])], arr[parse(case['index2'])]
                return {'shares': bool(np.shares_memory(x, y)),
                        'may_share': bool(np.may_share_memory(x, y))}
            if op == 'ix':
                r = arr[np.ix_(*case['ix'])]
                return {'shape': list(r.shape), 'values': flat(r), 'view': False}
        except DeprecationWarning:
            return ({'error': 'IndexError', 'unchanged': True} if op == 'set'
                    else {'error': 'IndexError'})
        except Exception as exc:  # noqa: BLE001
            return {'error': _kind(exc)}
    raise ValueError(op)


def g_case(rng, k):
    dtype = rng.choice(DTYPES)
    shape = [rng.randint(0, 5) if rng.random() < 0.1 else rng.randint(1, 5)
             for _ in range(rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4]))]
    pre = g_pre(rng, shape)
    view_shape = list(np.shape(base_array(dtype, shape)[parse(pre)])) if pre else shape
    op = rng.choices(['get', 'set', 'shares', 'ix'], [60, 27, 8, 5])[0]
    case = {'id': 'r-%06d' % k, 'op': op, 'array': {'dtype': dtype, 'shape': shape, 'pre': pre}}
    if op in ('get', 'set'):
        case['index'] = g_index(rng, view_shape, dtype)
    if op == 'set':
        try:
            tshape = list(np.shape(base_array(dtype, shape)[parse(pre)][parse(case['index'])])) \
                if pre else list(np.shape(base_array(dtype, shape)[parse(case['index'])]))
        except Exception:  # noqa: BLE001
            tshape = None
        case['value'] = g_value(rng, tshape)
        if dtype == 'record':
            case['value'] = {'shape': [], 'values': [100], 'dtype': 'int64'}
    if op == 'shares':
        case['index'] = g_index(rng, view_shape, dtype, basic_only=True)
        case['index2'] = g_index(rng, view_shape, dtype, basic_only=True)
    if op == 'ix':
        lists = []
        for n in view_shape[:rng.randint(1, max(1, len(view_shape)))]:
            if rng.random() < 0.3:
                lists.append([rng.random() < 0.5 for _ in range(n)])
            else:
                lists.append([rng.randint(-n, n - 1) for _ in range(rng.randint(0, 4))] if n else [])
        if not view_shape:
            return None
        case['ix'] = lists
    try:
        case['expect'] = outcome(case)
    except Exception:  # noqa: BLE001 - a case NumPy cannot even express is skipped
        return None
    if op in ('shares', 'ix') and 'error' in case['expect']:
        return None                  # the format has no error form for these
    return case


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--count', type=int, default=5000)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    cases, k = [], 0
    while len(cases) < args.count:
        c = g_case(rng, k)
        k += 1
        if c is not None:
            cases.append(c)
    out = sys.stdout
    out.write(json.dumps({'oracle': 'numpy ' + np.__version__, 'seed': args.seed,
                          'count': len(cases), 'format': 'nd-vectors/1'}) + '\n')
    for c in cases:
        out.write(json.dumps(c, separators=(',', ':')) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
