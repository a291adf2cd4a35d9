"""The dtype rule of the reference layers and losses (reference/_arrays.py):
float32 input is computed in float32, anything else in float64."""
import numpy as np
import pytest

from cs231n_support.gradient_check import rel_error
from cs231n_course.reference import (affine_backward, affine_forward, batchnorm_backward, batchnorm_forward,
                                      relu_backward, relu_forward, softmax_loss, svm_loss, tanh_backward,
                                      tanh_forward)
from cs231n_course.reference._arrays import as_float_array


def test_as_float_array_keeps_float32_and_makes_the_rest_float64():
    x32 = np.ones(3, dtype=np.float32)
    x64 = np.ones(3)
    assert as_float_array(x32) is x32 and as_float_array(x64) is x64     # no copy
    for other in ([1, 2, 3], np.arange(3), np.ones(3, dtype=np.float16), np.array([True, False])):
        assert as_float_array(other).dtype == np.float64


def _mlp(X, W1, b1, W2, b2, dscores):
    h, c1 = affine_forward(X, W1, b1)
    a, c2 = relu_forward(h)
    s, c3 = affine_forward(a, W2, b2)
    da, dW2, db2 = affine_backward(dscores, c3)
    dX, dW1, db1 = affine_backward(relu_backward(da, c2), c1)
    return s, dX, dW1, db1, dW2, db2


def _bn(x, gamma, beta, dout):
    out, cache = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    return (out,) + batchnorm_backward(dout, cache)


def _tanh(x, dout):
    out, cache = tanh_forward(x)
    return out, tanh_backward(dout, cache)


CASES = {
    "affine-relu-affine": (_mlp, [(20, 30), (30, 8), (8,), (8, 4), (4,), (20, 4)]),
    "batchnorm": (_bn, [(50, 6), (6,), (6,), (50, 6)]),
    "tanh": (_tanh, [(5, 7), (5, 7)]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_float32_in_float32_out_with_float64_values(case):
    fn, shapes = CASES[case]
    rng = np.random.default_rng(0)
    args = [rng.normal(size=s) for s in shapes]
    want = fn(*args)
    got = fn(*[a.astype(np.float32) for a in args])
    for w, g in zip(want, got):
        assert w.dtype == np.float64 and g.dtype == np.float32
        assert rel_error(g.astype(np.float64), w) < 1e-4


@pytest.mark.parametrize("loss_fn", [softmax_loss, svm_loss])
def test_losses_keep_float32(loss_fn):
    rng = np.random.default_rng(1)
    scores, y = rng.normal(size=(40, 5)) * 3, rng.integers(0, 5, 40)
    loss64, d64 = loss_fn(scores, y)
    loss32, d32 = loss_fn(scores.astype(np.float32), y)
    assert d64.dtype == np.float64 and d32.dtype == np.float32
    assert abs(loss32 - loss64) < 1e-5 * max(1.0, abs(loss64))
    assert np.max(np.abs(d32 - d64)) < 1e-6


def test_mixed_dtypes_compute_in_float64():
    rng = np.random.default_rng(2)
    x32, w, b = rng.normal(size=(4, 3)).astype(np.float32), rng.normal(size=(3, 2)), np.zeros(2)
    out, _ = affine_forward(x32, w, b)
    assert out.dtype == np.float64
    out, _ = affine_forward(x32.astype(int), w.astype(np.float32), b.astype(np.float32))
    assert out.dtype == np.float64
