#!/usr/bin/python3
"""Writes the NumPy-made .npy files that tests/unit/runtime/test_npy.c loads.

Run with the system Python and its NumPy (Debian python3-numpy, 1.24):

    /usr/bin/python3 tests/conformance/make_npy_fixtures.py fixtures/runtime/npy

The files are committed; the unit tests never run Python. Every array's
element i (flat, C order) follows a formula the test recomputes on its own:
value(i) = i for numeric arrays unless stated, i % 3 == 0 for bool, and
x = i, y = 10 * i, z = -i for records. Files marked "same bytes" are what
nd_save_npy must reproduce byte for byte.
"""
import os
import sys
import warnings

import numpy as np
from numpy.lib import format as npf


def rec_dtype(order="<"):
    return np.dtype([("x", order + "i4"), ("y", order + "f8"), ("z", order + "i2")])


def records(shape, order="<"):
    n = int(np.prod(shape))
    r = np.zeros(n, rec_dtype(order))
    r["x"] = np.arange(n)
    r["y"] = 10 * np.arange(n)
    r["z"] = -np.arange(n)
    return r.reshape(shape)


def arange(dt, shape):
    return np.arange(int(np.prod(shape))).astype(dt).reshape(shape)


FILES = {
    # name: (array, version or None for np.save's choice)
    "i8_2x3x4.npy": (arange("<i8", (2, 3, 4)), None),          # same bytes
    "i1_wrap_300.npy": (np.arange(300).astype("i1"), None),    # same bytes (C cast wraps)
    "u8_5.npy": (arange("<u8", (5,)), None),                    # same bytes
    "f4_scalar.npy": (np.array(7, "<f4"), None),                # same bytes, 0-d
    "u4_empty_0x3.npy": (np.zeros((0, 3), "<u4"), None),        # same bytes
    "bool_7.npy": (np.arange(7) % 3 == 0, None),                # same bytes
    "rec_4.npy": (records((4,)), None),                          # same bytes
    "f8_fortran_3x4.npy": (np.asfortranarray(arange("<f8", (3, 4))), None),
    "i2_fortran_2x3x4.npy": (np.asfortranarray(arange("<i2", (2, 3, 4))), None),
    "i4_big_6.npy": (arange(">i4", (6,)), None),
    "f8_big_fortran_2x5.npy": (np.asfortranarray(arange(">f8", (2, 5))), None),
    "u2_big_2x2.npy": (arange(">u2", (2, 2)), None),
    "rec_big_3.npy": (records((3,), ">"), None),
    "i8_v2_4.npy": (arange("<i8", (4,)), (2, 0)),
    "i8_v3_4.npy": (arange("<i8", (4,)), (3, 0)),
    # a record with a non-latin-1 field name: np.save picks version 3.0
    "rec_utf8_v3.npy": (
        np.array([(0, 0), (1, 10), (2, 20)], dtype=[("\u03c0", "<i4"), ("y", "<f8")]),
        None,
    ),
    # a latin-1 field name: still version 1.0, the name stored as one byte
    "rec_latin1.npy": (
        np.array([(0,), (1,)], dtype=[("\u00e9", "<i2")]),
        None,
    ),                                                           # same bytes
    # a record with a gap: dtype.descr writes ('', '|V8') for y's bytes
    "rec_gap_3.npy": (records((3,))[["x", "z"]], None),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "fixtures/runtime/npy"
    os.makedirs(out, exist_ok=True)
    warnings.filterwarnings("ignore", "Stored array in format")
    for name, (arr, version) in sorted(FILES.items()):
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            if version is None:
                np.save(f, arr)
            else:
                npf.write_array(f, arr, version=version)
        back = np.load(path)
        assert back.dtype == arr.dtype and np.array_equal(back, arr), name
    print("wrote %d files to %s (numpy %s)" % (len(FILES), out, np.__version__))


if __name__ == "__main__":
    main()
