"""The one dtype rule of the reference code.

float32 input stays float32, so a float32 batch is computed at float32 speed
(half the bytes to move, twice the flops per cycle: the way PyTorch runs by
default). Anything else (float64, integers, lists, bools) becomes float64, the
dtype the graded tests and the gradient checks use. An array that already has
the right dtype is not copied.
"""
import numpy as np


def as_float_array(x):
    """x as a float32 array if it is one already, else as a float64 array."""
    x = np.asarray(x)
    if x.dtype == np.float32:
        return x
    return x.astype(np.float64, copy=False)


def has_nan(x):
    """True if the array x holds a NaN.

    np.min propagates NaN, so this reads x once; np.isnan(x).any() would also
    write a boolean array as big as x (a pass over memory that costs as much
    as the layer's own work on a big batch).
    """
    return x.size > 0 and bool(np.isnan(x.min()))
