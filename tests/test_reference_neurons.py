"""Reference implementations of 01_neurons against independent loop versions."""
import math

import numpy as np
import pytest

from cs231n_support.gradient_check import eval_numerical_gradient, rel_error
from cs231n_course.reference.neurons import binary_softmax_loss, binary_svm_loss, neuron_forward, sigmoid

rng = np.random.default_rng(1)


def loop_softmax(w, b, X, y, reg):
    loss = 0.0
    for x_i, y_i in zip(X, y):
        p = 1.0 / (1.0 + math.exp(-(x_i @ w + b)))
        loss -= y_i * math.log(p) + (1 - y_i) * math.log(1 - p)
    return loss / len(y) + 0.5 * reg * sum(v * v for v in w)


def loop_svm(w, b, X, y, reg):
    hinge = sum(max(0.0, 1.0 - y_i * (x_i @ w + b)) for x_i, y_i in zip(X, y))
    return hinge / len(y) + 0.5 * reg * sum(v * v for v in w)


def test_sigmoid_matches_the_formula_and_is_stable():
    x = rng.normal(scale=5, size=(4, 6))
    assert rel_error(sigmoid(x), 1 / (1 + np.exp(-x))) < 1e-12
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out = sigmoid(np.array([-1e3, -745.0, 0.0, 745.0, 1e3]))
    np.testing.assert_allclose(out, [0, 0, 0.5, 1, 1], atol=1e-300)


def test_neuron_forward_matches_the_notes_loop():
    X = rng.normal(size=(6, 3)); w = rng.normal(size=3); b = 0.3
    expected = [1.0 / (1.0 + math.exp(-(np.sum(x * w) + b))) for x in X]
    assert rel_error(neuron_forward(X, w, b), np.array(expected)) < 1e-12


@pytest.mark.parametrize("loss_fn, loop, labels", [(binary_softmax_loss, loop_softmax, (0, 1)),
                                                  (binary_svm_loss, loop_svm, (-1, 1))])
def test_losses_match_loops_and_numerical_gradients(loss_fn, loop, labels):
    X = rng.normal(size=(15, 4)); y = rng.choice(labels, size=15); w = rng.normal(size=4); b = -0.2; reg = 0.3
    loss, dw, db = loss_fn(w, b, X, y, reg)
    assert abs(loss - loop(w, b, X, y, reg)) < 1e-12
    num_dw = eval_numerical_gradient(lambda w_: loss_fn(w_, b, X, y, reg)[0], w.copy(), verbose=False)
    num_db = eval_numerical_gradient(lambda b_: loss_fn(w, b_[0], X, y, reg)[0], np.array([b]), verbose=False)
    assert rel_error(dw, num_dw) < 1e-7
    assert rel_error(np.array([db]), num_db) < 1e-7


def test_softmax_loss_is_stable_for_confident_scores():
    X = rng.normal(size=(10, 3)); y = rng.integers(0, 2, 10)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        loss, dw, db = binary_softmax_loss(1000 * rng.normal(size=3), 0.0, X, y, 0.0)
    assert np.isfinite(loss) and np.all(np.isfinite(dw))


@pytest.mark.parametrize("bad, match", [
    (dict(y=np.array([0, 2, 1])), "labels y must be in"),
    (dict(w=np.ones(4)), "w must have shape"),
    (dict(X=np.ones(3)), "X must be 2-D"),
    (dict(X=np.array([[np.nan, 1.0]] * 3)), "NaN"),
])
def test_losses_validate_their_inputs(bad, match):
    args = dict(w=np.ones(2), b=0.0, X=np.ones((3, 2)), y=np.array([0, 1, 1]), reg=0.1)
    args.update(bad)
    with pytest.raises(ValueError, match=match):
        binary_softmax_loss(**args)
