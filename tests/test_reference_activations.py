"""Tests of cs231n_course.reference.activations (notebook 02_activations)."""
import math
import warnings

import numpy as np
import pytest

from cs231n_support.gradient_check import eval_numerical_gradient_array, rel_error
from cs231n_course.reference.activations import (
    dead_relu_fraction, leaky_relu_backward, leaky_relu_forward, maxout_backward, maxout_forward,
    prelu_backward, prelu_forward, relu_backward, relu_forward, sigmoid_backward, sigmoid_forward,
    tanh_backward, tanh_forward)


def away_from_zero(rng, shape, low=0.1, high=2.0):
    """Random numbers with |x| in [low, high] and random signs: no rectifier kink nearby."""
    return rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)


@pytest.fixture
def rng():
    return np.random.default_rng(231)


# ------------------------------------------------- forward vs scalar loops
def test_elementwise_forwards_match_scalar_formulas(rng):
    x = rng.normal(scale=3.0, size=(4, 5))
    expected = {
        "sigmoid": [[1.0 / (1.0 + math.exp(-v)) for v in row] for row in x],
        "tanh": [[math.tanh(v) for v in row] for row in x],
        "relu": [[max(0.0, v) for v in row] for row in x],
        "leaky": [[0.2 * v if v < 0 else v for v in row] for row in x],
    }
    got = {
        "sigmoid": sigmoid_forward(x)[0],
        "tanh": tanh_forward(x)[0],
        "relu": relu_forward(x)[0],
        "leaky": leaky_relu_forward(x, alpha=0.2)[0],
    }
    for name in expected:
        assert got[name].shape == x.shape and got[name].dtype == np.float64, name
        assert rel_error(got[name], np.array(expected[name])) < 1e-12, name


def test_leaky_relu_default_alpha_is_001():
    out, _ = leaky_relu_forward(np.array([-2.0, 3.0]))
    np.testing.assert_allclose(out, [-0.02, 3.0], rtol=1e-15)


def test_prelu_forward_matches_loop(rng):
    x = rng.normal(size=(6, 4))
    alpha = rng.uniform(0.0, 0.5, size=4)
    expected = np.empty_like(x)
    for n in range(6):
        for d in range(4):
            expected[n, d] = x[n, d] if x[n, d] >= 0 else alpha[d] * x[n, d]
    out, _ = prelu_forward(x, alpha)
    assert rel_error(out, expected) < 1e-14


def test_maxout_forward_matches_loop(rng):
    N, D, H, k = 5, 4, 3, 2
    x, W, b = rng.normal(size=(N, D)), rng.normal(size=(D, H, k)), rng.normal(size=(H, k))
    expected = np.empty((N, H))
    for n in range(N):
        for h in range(H):
            expected[n, h] = max(sum(x[n, d] * W[d, h, j] for d in range(D)) + b[h, j] for j in range(k))
    out, _ = maxout_forward(x, W, b)
    assert out.shape == (N, H)
    assert rel_error(out, expected) < 1e-12


def test_maxout_generalizes_relu(rng):
    """The notes: ReLU is maxout with w1 = 0, b1 = 0."""
    x, W1, b1 = rng.normal(size=(7, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    W = np.stack([np.zeros((3, 4)), W1], axis=2)
    b = np.stack([np.zeros(4), b1], axis=1)
    out, _ = maxout_forward(x, W, b)
    assert rel_error(out, np.maximum(0, x @ W1 + b1)) < 1e-12


# ------------------------------------------------------- backward passes
@pytest.mark.parametrize("forward, backward", [
    (sigmoid_forward, sigmoid_backward),
    (tanh_forward, tanh_backward),
    (relu_forward, relu_backward),
    (lambda x: leaky_relu_forward(x, alpha=0.1), leaky_relu_backward),
    (leaky_relu_forward, leaky_relu_backward),
], ids=["sigmoid", "tanh", "relu", "leaky_relu(0.1)", "leaky_relu(default)"])
def test_elementwise_backward_matches_numerical_gradient(rng, forward, backward):
    x = away_from_zero(rng, (4, 6))
    dout = rng.normal(size=(4, 6))
    _, cache = forward(x)
    dx = backward(dout, cache)
    dx_num = eval_numerical_gradient_array(lambda v: forward(v)[0], x, dout)
    assert dx.shape == x.shape
    assert rel_error(dx, dx_num) < 1e-7


def test_relu_backward_kills_gradient_where_input_not_positive():
    x = np.array([[-1.0, 0.0, 2.0]])
    _, cache = relu_forward(x)
    np.testing.assert_array_equal(relu_backward(np.array([[5.0, 5.0, 5.0]]), cache), [[0.0, 0.0, 5.0]])


def test_prelu_backward_matches_numerical_gradients(rng):
    x = away_from_zero(rng, (5, 4))
    alpha = rng.uniform(0.05, 0.5, size=4)
    dout = rng.normal(size=(5, 4))
    _, cache = prelu_forward(x, alpha)
    dx, dalpha = prelu_backward(dout, cache)
    dx_num = eval_numerical_gradient_array(lambda v: prelu_forward(v, alpha)[0], x, dout)
    dalpha_num = eval_numerical_gradient_array(lambda a: prelu_forward(x, a)[0], alpha, dout)
    assert dx.shape == (5, 4) and dalpha.shape == (4,)
    assert rel_error(dx, dx_num) < 1e-7
    assert rel_error(dalpha, dalpha_num) < 1e-7


def test_maxout_backward_matches_numerical_gradients():
    rng = np.random.default_rng(0)
    N, D, H, k = 4, 5, 3, 3
    x, W, b = rng.normal(size=(N, D)), rng.normal(size=(D, H, k)), rng.normal(size=(H, k))
    dout = rng.normal(size=(N, H))
    # away from kinks: the best piece must win by a clear margin everywhere
    z = np.sort(np.einsum("nd,dhk->nhk", x, W) + b, axis=2)
    assert np.min(z[:, :, -1] - z[:, :, -2]) > 1e-3
    _, cache = maxout_forward(x, W, b)
    dx, dW, db = maxout_backward(dout, cache)
    f = lambda x_, W_, b_: maxout_forward(x_, W_, b_)[0]
    assert rel_error(dx, eval_numerical_gradient_array(lambda v: f(v, W, b), x, dout)) < 1e-7
    assert rel_error(dW, eval_numerical_gradient_array(lambda v: f(x, v, b), W, dout)) < 1e-7
    assert rel_error(db, eval_numerical_gradient_array(lambda v: f(x, W, v), b, dout)) < 1e-7
    assert dx.shape == x.shape and dW.shape == W.shape and db.shape == b.shape


def test_maxout_ties_route_gradient_to_first_piece():
    x = np.ones((2, 3))
    W = np.zeros((3, 2, 3))              # every piece gives 0: a three-way tie everywhere
    b = np.zeros((2, 3))
    dout = np.array([[1.0, 2.0], [3.0, 4.0]])
    _, cache = maxout_forward(x, W, b)
    _, dW, db = maxout_backward(dout, cache)
    np.testing.assert_array_equal(db, [[4.0, 0.0, 0.0], [6.0, 0.0, 0.0]])
    assert np.all(dW[:, :, 1:] == 0) and np.all(dW[:, :, 0] == [4.0, 6.0])


# ------------------------------------------------------------- stability
def test_saturating_functions_are_stable_at_1e3():
    x = np.array([-1e3, -50.0, 0.0, 50.0, 1e3])
    # e^-1000 underflows to 0, which is harmless (and silent by default);
    # overflow, invalid operations (NaN) and division by zero must not happen.
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        s, s_cache = sigmoid_forward(x)
        t, t_cache = tanh_forward(x)
        ds = sigmoid_backward(np.ones_like(x), s_cache)
        dt = tanh_backward(np.ones_like(x), t_cache)
    np.testing.assert_allclose(s[[0, 2, 4]], [0.0, 0.5, 1.0], atol=1e-300)
    np.testing.assert_allclose(t[[0, 2, 4]], [-1.0, 0.0, 1.0], atol=1e-300)
    # the saturated tails kill the gradient: the notes' first drawback
    assert ds[0] == 0.0 and ds[-1] == 0.0 and ds[2] == 0.25
    assert dt[0] == 0.0 and dt[-1] == 0.0 and dt[2] == 1.0
    assert np.all(np.isfinite(ds)) and np.all(np.isfinite(dt))


def test_rectifiers_and_maxout_are_stable_at_1e3(rng):
    x = np.array([[-1e3, 1e3]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert np.all(relu_forward(x)[0] == [[0.0, 1e3]])
        assert np.all(leaky_relu_forward(x)[0] == [[-10.0, 1e3]])
        out, cache = prelu_forward(x, np.array([0.5, 0.5]))
        prelu_backward(np.ones((1, 2)), cache)
        out, cache = maxout_forward(x, rng.normal(size=(2, 3, 2)), np.zeros((3, 2)))
        maxout_backward(np.ones((1, 3)), cache)
    assert np.all(np.isfinite(out))


def test_tanh_is_a_scaled_sigmoid(rng):
    """tanh(x) = 2 sigma(2x) - 1 (Part 1 §2.3)."""
    x = rng.normal(scale=4.0, size=1000)
    assert np.max(np.abs(tanh_forward(x)[0] - (2 * sigmoid_forward(2 * x)[0] - 1))) < 1e-14


# ---------------------------------------------------------------- dead units
def test_dead_relu_fraction_matches_loop(rng):
    hidden = np.maximum(0, rng.normal(size=(20, 50)) - 1.2)     # some columns never fire
    hidden[:, [3, 7, 11]] = 0.0
    dead = sum(all(hidden[n, h] <= 0 for n in range(20)) for h in range(50))
    assert dead >= 3
    assert dead_relu_fraction(hidden) == pytest.approx(dead / 50)
    assert isinstance(dead_relu_fraction(hidden), float)


def test_dead_relu_fraction_on_preactivations_and_edges():
    pre = np.array([[-1.0, 0.0, 2.0, -3.0],
                    [-2.0, 0.0, -1.0, 1e-9]])
    # column 0 and 1 are <= 0 on every row; 2 and 3 fire somewhere
    assert dead_relu_fraction(pre) == 0.5
    assert dead_relu_fraction(np.ones((3, 2))) == 0.0
    assert dead_relu_fraction(np.zeros((3, 2))) == 1.0


# -------------------------------------------------------------- validation
def test_inputs_are_not_modified(rng):
    x = away_from_zero(rng, (3, 4))
    alpha = np.full(4, 0.1)
    W, b = rng.normal(size=(4, 2, 2)), rng.normal(size=(2, 2))
    copies = [a.copy() for a in (x, alpha, W, b)]
    for forward, backward in [(sigmoid_forward, sigmoid_backward), (tanh_forward, tanh_backward),
                              (relu_forward, relu_backward), (leaky_relu_forward, leaky_relu_backward)]:
        dout = np.ones((3, 4))
        backward(dout, forward(x)[1])
        assert np.all(dout == 1)
    prelu_backward(np.ones((3, 4)), prelu_forward(x, alpha)[1])
    maxout_backward(np.ones((3, 2)), maxout_forward(x, W, b)[1])
    for a, c in zip((x, alpha, W, b), copies):
        np.testing.assert_array_equal(a, c)


def test_integer_inputs_are_computed_in_float64():
    out, _ = sigmoid_forward(np.array([0, 1]))
    assert out.dtype == np.float64 and out[0] == 0.5


@pytest.mark.parametrize("call, message", [
    (lambda: prelu_forward(np.ones((2, 3)), np.ones(2)), r"alpha must have shape \(3,\)"),
    (lambda: prelu_forward(np.ones(3), np.ones(3)), r"x must be 2-D"),
    (lambda: maxout_forward(np.ones((2, 3)), np.ones((4, 2, 2)), np.ones((2, 2))), r"W must have shape \(D, H, k\) with D = 3"),
    (lambda: maxout_forward(np.ones((2, 3)), np.ones((3, 2, 2)), np.ones((2, 3))), r"b must have shape \(H, k\) = \(2, 2\)"),
    (lambda: leaky_relu_forward(np.ones(3), alpha=np.ones(3)), r"alpha must be a single number"),
    (lambda: leaky_relu_forward(np.ones(3), alpha="big"), r"alpha must be a single number"),
    (lambda: sigmoid_forward(np.array([1.0, np.nan])), r"sigmoid_forward: x contains NaN"),
    (lambda: relu_forward(np.array([np.nan])), r"relu_forward: x contains NaN"),
    (lambda: relu_backward(np.ones(3), relu_forward(np.ones(4))[1]), r"dout must have the shape .*\(4,\).*got \(3,\)"),
    (lambda: sigmoid_backward(np.ones((2, 2)), sigmoid_forward(np.ones(4))[1]), r"sigmoid_backward: dout"),
    (lambda: maxout_backward(np.ones((2, 3)), maxout_forward(np.ones((2, 3)), np.ones((3, 2, 2)), np.ones((2, 2)))[1]),
     r"maxout_backward: dout must have the shape .*\(2, 2\)"),
    (lambda: dead_relu_fraction(np.ones(5)), r"hidden must be a non-empty 2-D array \(N, H\)"),
    (lambda: dead_relu_fraction(np.ones((0, 5))), r"non-empty"),
])
def test_input_validation_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()
