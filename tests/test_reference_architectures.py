"""Tests of cs231n_course.reference.architectures (notebook 03_architectures)."""
import math

import numpy as np
import pytest

from cs231n_support.gradient_check import eval_numerical_gradient, eval_numerical_gradient_array, rel_error
from cs231n_course.reference.architectures import (
    ACTIVATIONS, affine_backward, affine_forward, bump_sum, count_parameters, mlp_backward, mlp_forward,
    mlp_forward_with_cache, mlp_hidden_activations)


@pytest.fixture
def rng():
    return np.random.default_rng(231)


def random_params(rng, sizes):
    return [(rng.normal(size=(a, b)) / np.sqrt(a), rng.normal(scale=0.1, size=b))
            for a, b in zip(sizes[:-1], sizes[1:])]


# ---------------------------------------------------------------- affine
def test_affine_forward_matches_loop_and_flattens_examples(rng):
    x = rng.normal(size=(3, 2, 4, 2))             # N = 3 examples of 2 x 4 x 2 = 16 numbers
    w, b = rng.normal(size=(16, 5)), rng.normal(size=5)
    expected = np.empty((3, 5))
    for n in range(3):
        flat = [x[n, i, j, k] for i in range(2) for j in range(4) for k in range(2)]   # row-major order
        for m in range(5):
            expected[n, m] = sum(flat[d] * w[d, m] for d in range(16)) + b[m]
    out, _ = affine_forward(x, w, b)
    assert out.shape == (3, 5)
    assert rel_error(out, expected) < 1e-12


def test_affine_backward_matches_numerical_gradients(rng):
    x, w, b = rng.normal(size=(4, 3, 2)), rng.normal(size=(6, 5)), rng.normal(size=5)
    dout = rng.normal(size=(4, 5))
    _, cache = affine_forward(x, w, b)
    dx, dw, db = affine_backward(dout, cache)
    assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape
    assert rel_error(dx, eval_numerical_gradient_array(lambda v: affine_forward(v, w, b)[0], x, dout)) < 1e-7
    assert rel_error(dw, eval_numerical_gradient_array(lambda v: affine_forward(x, v, b)[0], w, dout)) < 1e-7
    assert rel_error(db, eval_numerical_gradient_array(lambda v: affine_forward(x, w, v)[0], b, dout)) < 1e-7


def test_affine_does_not_modify_inputs(rng):
    x, w, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    dout = rng.normal(size=(4, 2))
    copies = [a.copy() for a in (x, w, b, dout)]
    affine_backward(dout, affine_forward(x, w, b)[1])
    for a, c in zip((x, w, b, dout), copies):
        np.testing.assert_array_equal(a, c)


# -------------------------------------------------------- count_parameters
@pytest.mark.parametrize("sizes, expected", [
    ([3, 4, 2], (6, 20, 6, 26)),                     # the notes' left network
    ([3, 4, 4, 1], (9, 32, 9, 41)),                  # the notes' right network
    ([10, 1], (1, 10, 1, 11)),                       # logistic regression: a 1-layer net
    ([3072, 10], (10, 30720, 10, 30730)),            # a linear classifier on CIFAR-10
    ([3072, 100, 10], (110, 308200, 110, 308310)),   # the notes' s = W2 max(0, W1 x)
    ((2, 3, 3, 3, 2), (11, 30, 11, 41)),
])
def test_count_parameters_examples(sizes, expected):
    assert count_parameters(sizes) == expected
    assert all(type(v) is int for v in count_parameters(sizes))


def test_count_parameters_matches_the_params_of_a_net(rng):
    sizes = [5, 7, 3, 2]
    params = random_params(rng, sizes)
    neurons, weights, biases, total = count_parameters(np.array(sizes))
    assert weights == sum(W.size for W, _ in params)
    assert biases == neurons == sum(b.size for _, b in params)
    assert total == weights + biases


@pytest.mark.parametrize("sizes", [[3], [], [3, 0], [3, -2], [3, 2.5], [3, True], "34", 5])
def test_count_parameters_validation(sizes):
    with pytest.raises(ValueError, match="count_parameters"):
        count_parameters(sizes)


# -------------------------------------------------------------- mlp_forward
def column_forward(X, params, f):
    """The notes' code, one example at a time as a column vector: h = f(W x + b)."""
    scores = []
    for x in X:
        h = x.reshape(-1, 1)
        for i, (W, b) in enumerate(params):
            h = W.T @ h + b.reshape(-1, 1)            # the notes' W is our W transposed
            if i < len(params) - 1:
                h = f(h)
        scores.append(h.ravel())
    return np.array(scores)


SCALAR_ACTIVATIONS = {
    "relu": np.vectorize(lambda v: max(0.0, v)),
    "tanh": np.vectorize(math.tanh),
    "sigmoid": np.vectorize(lambda v: 1.0 / (1.0 + math.exp(-v))),
    "leaky_relu": np.vectorize(lambda v: v if v >= 0 else 0.01 * v),
}


@pytest.mark.parametrize("activation", sorted(SCALAR_ACTIVATIONS))
def test_mlp_forward_matches_the_notes_three_layer_example(rng, activation):
    params = random_params(rng, [3, 4, 4, 1])        # the notes' 3-layer net
    X = rng.normal(size=(6, 3))
    scores = mlp_forward(X, params, activation)
    assert scores.shape == (6, 1)
    assert rel_error(scores, column_forward(X, params, SCALAR_ACTIVATIONS[activation])) < 1e-12


def test_mlp_forward_has_no_activation_on_output_and_relu_default(rng):
    params = [(np.eye(2), np.zeros(2))]               # a single layer: just X @ W + b, even if negative
    X = np.array([[-1.0, 2.0]])
    np.testing.assert_array_equal(mlp_forward(X, params), X)
    params = random_params(rng, [2, 5, 3])
    X = rng.normal(size=(4, 2))
    assert rel_error(mlp_forward(X, params), mlp_forward(X, params, "relu")) == 0


def test_activation_names():
    assert set(ACTIVATIONS) == {"relu", "tanh", "sigmoid", "leaky_relu"}


def test_mlp_forward_validation(rng):
    params = random_params(rng, [3, 4, 2])
    X = rng.normal(size=(5, 3))
    with pytest.raises(ValueError, match=r"unknown activation 'softplus'.*'relu', 'tanh', 'sigmoid', 'leaky_relu'"):
        mlp_forward(X, params, "softplus")
    bad = [params[0], (rng.normal(size=(5, 2)), np.zeros(2))]
    with pytest.raises(ValueError, match=r"layer 2 \(params\[1\]\) has W of shape \(5, 2\).*4 inputs from layer 1"):
        mlp_forward(X, bad)
    with pytest.raises(ValueError, match=r"layer 1 \(params\[0\]\) has W of shape \(3, 4\).*7 inputs from X"):
        mlp_forward(rng.normal(size=(5, 7)), params)
    with pytest.raises(ValueError, match=r"layer 2 \(params\[1\]\) has b of shape \(3,\); expected \(2,\)"):
        mlp_forward(X, [params[0], (params[1][0], np.zeros(3))])
    with pytest.raises(ValueError, match=r"X must be 2-D"):
        mlp_forward(np.ones(3), params)
    with pytest.raises(ValueError, match=r"non-empty list of \(W, b\) pairs"):
        mlp_forward(X, [])


def test_mlp_backward_matches_numerical_gradients(rng):
    """The extra helpers the trainer uses: backprop through the whole net."""
    params = random_params(rng, [3, 5, 4, 2])
    X = rng.normal(size=(6, 3))
    dscores = rng.normal(size=(6, 2))
    for activation in ("tanh", "sigmoid"):            # smooth: no kinks
        _, cache = mlp_forward_with_cache(X, params, activation)
        grads = mlp_backward(dscores, cache)
        for (W, b), (dW, db) in zip(params, grads):
            loss = lambda _: np.sum(mlp_forward(X, params, activation) * dscores)
            assert rel_error(dW, eval_numerical_gradient(loss, W, verbose=False)) < 1e-7
            assert rel_error(db, eval_numerical_gradient(loss, b, verbose=False)) < 1e-7


def test_mlp_hidden_activations(rng):
    params = random_params(rng, [3, 5, 4, 2])
    X = rng.normal(size=(6, 3))
    h1, h2 = mlp_hidden_activations(X, params, "tanh")
    expected_h1 = np.tanh(X @ params[0][0] + params[0][1])
    expected_h2 = np.tanh(expected_h1 @ params[1][0] + params[1][1])
    assert rel_error(h1, expected_h1) < 1e-12 and rel_error(h2, expected_h2) < 1e-12


# ---------------------------------------------------------------- bump_sum
def test_bump_sum_matches_loop(rng):
    x = rng.uniform(-1, 4, size=50)
    a = rng.uniform(-1, 3, size=6)
    b = a + rng.uniform(0.1, 1.5, size=6)
    c = rng.normal(size=6)
    expected = [sum(c[i] for i in range(6) if a[i] < xn < b[i]) for xn in x]
    out = bump_sum(x, a, b, c)
    assert out.shape == (50,)
    assert rel_error(out, np.array(expected)) < 1e-12


def test_bump_sum_open_intervals_and_approximation():
    # the ends of a bump are excluded: 1(a < x < b)
    np.testing.assert_array_equal(bump_sum(np.array([0.0, 0.5, 1.0]), [0.0], [1.0], [2.0]), [0.0, 2.0, 0.0])
    # 200 narrow bumps approximate sin on [0, 2 pi] to within the bump width
    edges = np.linspace(0, 2 * np.pi, 201)
    a, b = edges[:-1], edges[1:]
    c = np.sin((a + b) / 2)
    x = np.linspace(0.01, 2 * np.pi - 0.01, 999)
    x = x[~np.isin(x, edges)]
    assert np.max(np.abs(bump_sum(x, a, b, c) - np.sin(x))) < 2 * np.pi / 200


@pytest.mark.parametrize("args, message", [
    ((np.ones((2, 2)), [0.0], [1.0], [1.0]), r"x must be 1-D"),
    ((np.ones(2), [0.0, 1.0], [1.0], [1.0]), r"a, b and c must be 1-D of the same length"),
    ((np.array([np.nan]), [0.0], [1.0], [1.0]), r"NaN"),
])
def test_bump_sum_validation(args, message):
    with pytest.raises(ValueError, match=message):
        bump_sum(*args)
