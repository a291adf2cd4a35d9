"""Tests of cs231n_support.training, the small SGD trainer the notebooks share, and of cs231n_support.trees."""
import subprocess
import sys
import time

import numpy as np
import pytest

from cs231n_support.gradient_check import eval_numerical_gradient, rel_error
from cs231n_support import trees
from cs231n_support.training import (accuracy, hidden_activations, init_mlp, make_fcnet, mlp_loss, net_scores,
                                     predict, train)
# The answer key, to check the trainer against (the trainer itself never imports it).
from cs231n_course import reference
from cs231n_course.reference.activations import dead_relu_fraction
from cs231n_course.reference.architectures import (mlp_backward, mlp_forward, mlp_forward_with_cache,
                                                     mlp_hidden_activations)
from cs231n_course.reference.initialization import batchnorm_backward, batchnorm_forward, init_weights
from cs231n_course.reference.regularization import dropout_backward, dropout_forward

# make_fcnet takes batch norm and dropout from the caller: here the reference's layers.
LAYERS = {"batchnorm": (batchnorm_forward, batchnorm_backward), "dropout": (dropout_forward, dropout_backward)}


def spiral(n_per_class=100, n_classes=3, seed=0):
    """The classic 2-D spiral: n_classes arms of n_per_class noisy points each."""
    rng = np.random.default_rng(seed)
    X, y = [], []
    for k in range(n_classes):
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(4.0 * k, 4.0 * (k + 1), n_per_class) + 0.2 * rng.normal(size=n_per_class)
        X.append(np.c_[r * np.sin(t), r * np.cos(t)])
        y.append(np.full(n_per_class, k))
    return np.concatenate(X), np.concatenate(y)


# ------------------------------------------------------------------ init_mlp
def test_init_mlp_shapes_scheme_and_bias():
    params = init_mlp([2, 100, 50, 3], scheme="he", rng=0, bias=0.01)
    assert [(W.shape, b.shape) for W, b in params] == [((2, 100), (100,)), ((100, 50), (50,)), ((50, 3), (3,))]
    assert all(np.all(b == 0.01) for _, b in params)
    assert params[1][0].std() == pytest.approx(np.sqrt(2 / 100), rel=0.05)
    assert all(not W.any() for W, _ in init_mlp([4, 3, 2], scheme="zeros", rng=0))
    same = init_mlp([2, 100, 50, 3], scheme="he", rng=0)
    assert all(np.array_equal(W, W2) for (W, _), (W2, _) in zip(params, same))
    with pytest.raises(ValueError, match="init_mlp: layer_sizes needs at least"):
        init_mlp([5])
    with pytest.raises(ValueError, match="unknown scheme"):
        init_mlp([5, 2], scheme="bad")


@pytest.mark.parametrize("scheme", ["zeros", "small", "glorot", "he"])
def test_init_mlp_draws_the_same_weights_as_init_weights(scheme):
    """Same generator state, same weights as the answer key's init_weights: the notebooks'
    measured numbers do not depend on which of the two drew the weights."""
    params = init_mlp([30, 20, 10], scheme=scheme, rng=np.random.default_rng(5))
    rng = np.random.default_rng(5)
    for (W, _), (n_in, n_out) in zip(params, [(30, 20), (20, 10)]):
        np.testing.assert_array_equal(W, init_weights(n_in, n_out, scheme, rng))


@pytest.mark.parametrize("scheme, std", [("small", 0.01), ("calibrated", 1 / np.sqrt(400)),
                                         ("glorot", np.sqrt(2 / 700)), ("he", np.sqrt(2 / 400))])
def test_init_mlp_schemes_have_the_notes_standard_deviations(scheme, std):
    (W, b), = init_mlp([400, 300], scheme=scheme, rng=1)
    assert W.shape == (400, 300) and W.dtype == np.float64 and not b.any()
    assert abs(W.std() / std - 1) < 6 / np.sqrt(2 * W.size)          # 6 standard errors
    assert abs(W.mean()) < 6 * std / np.sqrt(W.size)


def test_init_mlp_sparse_connects_ten_random_inputs_per_unit():
    (W, _), (W_narrow, _) = init_mlp([400, 300, 10], scheme="sparse", rng=2)
    assert np.all(np.count_nonzero(W, axis=0) == 10)                   # every unit: exactly 10 inputs
    assert np.count_nonzero(np.any(W != 0, axis=1)) > 350              # at rows drawn anew for every unit
    assert W[W != 0].std() == pytest.approx(0.01, rel=6 / np.sqrt(2 * 3000))
    assert np.all(np.count_nonzero(W_narrow, axis=0) == 10)
    (W_few, _), = init_mlp([4, 30], scheme="sparse", rng=3)             # fewer than 10 inputs: all connected
    assert np.all(W_few != 0)
    same, = init_mlp([400, 300], scheme="sparse", rng=2)
    np.testing.assert_array_equal(same[0], W)


# ------------------------------------------------------------------- mlp_loss
def loop_softmax_loss(scores, y):
    total = 0.0
    for s, label in zip(scores, y):
        total += -s[label] + np.log(sum(np.exp(v) for v in s))
    return total / len(y)


def loop_svm_loss(scores, y):
    total = 0.0
    for s, label in zip(scores, y):
        total += sum(max(0.0, s[j] - s[label] + 1.0) for j in range(len(s)) if j != label)
    return total / len(y)


@pytest.mark.parametrize("loss, loop", [("softmax", loop_softmax_loss), ("svm", loop_svm_loss)])
def test_mlp_loss_value(loss, loop):
    rng = np.random.default_rng(0)
    params = init_mlp([4, 6, 3], rng=rng, bias=0.1)
    X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, size=8)
    reg = 0.3
    expected = loop(mlp_forward(X, params), y) + 0.5 * reg * sum(np.sum(W ** 2) for W, _ in params)
    value, _ = mlp_loss(params, X, y, reg=reg, loss=loss)
    assert isinstance(value, float)
    assert value == pytest.approx(expected, rel=1e-12)


def test_softmax_loss_at_small_init_is_log_of_number_of_classes():
    """A sanity check from the notes: with small weights the scores are ~0, the loss ~log(C)."""
    rng = np.random.default_rng(1)
    params = init_mlp([5, 20, 10], scheme="small", rng=rng)
    X, y = rng.normal(size=(50, 5)), rng.integers(0, 10, size=50)
    assert mlp_loss(params, X, y)[0] == pytest.approx(np.log(10), rel=1e-3)


def test_mlp_loss_is_stable_for_huge_scores():
    params = [(np.array([[1e3, -1e3, 0.0]]), np.zeros(3))]
    X, y = np.array([[1.0], [-1.0]]), np.array([1, 1])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value, grads = mlp_loss(params, X, y)
    assert value == pytest.approx(0.5 * (2e3 + 0.0) + 0.5 * np.log1p(2 * np.exp(-1e3)), rel=1e-12)
    assert np.all(np.isfinite(grads[0][0]))


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "leaky_relu"])
@pytest.mark.parametrize("loss", ["softmax", "svm"])
def test_mlp_loss_gradients_match_numerical(activation, loss):
    rng = np.random.default_rng(3)
    params = init_mlp([3, 5, 4, 3], scheme="calibrated", rng=rng, bias=0.1)
    X, y = rng.normal(size=(7, 3)), rng.integers(0, 3, size=7)
    reg = 0.1
    _, grads = mlp_loss(params, X, y, activation=activation, reg=reg, loss=loss)
    f = lambda _: mlp_loss(params, X, y, activation=activation, reg=reg, loss=loss)[0]
    # relu and the hinge have kinks: a random point is almost surely away from
    # them, but a step of h may still cross one, hence the looser 1e-6
    tol = 1e-7 if (activation in ("tanh", "sigmoid") and loss == "softmax") else 1e-6
    for (W, b), (dW, db) in zip(params, grads):
        assert rel_error(dW, eval_numerical_gradient(f, W, verbose=False)) < tol
        assert rel_error(db, eval_numerical_gradient(f, b, verbose=False)) < tol


def test_mlp_loss_validation():
    params = init_mlp([2, 3], rng=0)
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"labels must be in 0..2 \(the net has 3 outputs\); got labels from 0 to 3"):
        mlp_loss(params, X, np.array([0, 1, 2, 3]))
    with pytest.raises(ValueError, match=r"y must be an integer array of shape \(4,\)"):
        mlp_loss(params, X, np.array([0.0, 1.0, 2.0, 1.0]))
    with pytest.raises(ValueError, match=r"unknown loss 'l2'; expected one of 'softmax', 'svm'"):
        mlp_loss(params, X, np.zeros(4, dtype=int), loss="l2")


# -------------------------------------------- the engine against the answer key
ACTIVATIONS = ["relu", "tanh", "sigmoid", "leaky_relu"]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_net_scores_hidden_activations_and_predict_match_the_reference(activation):
    rng = np.random.default_rng(8)
    params = init_mlp([4, 7, 6, 3], scheme="calibrated", rng=rng, bias=0.1)
    X = rng.normal(scale=3.0, size=(9, 4))
    np.testing.assert_array_equal(net_scores(params, X, activation), mlp_forward(X, params, activation))
    hidden = hidden_activations(params, X, activation)
    expected = mlp_hidden_activations(X, params, activation)
    assert len(hidden) == len(expected) == 2
    for got, want in zip(hidden, expected):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(predict(params, X, activation), np.argmax(mlp_forward(X, params, activation), axis=1))
    assert hidden_activations(params[-1:], rng.normal(size=(2, 6)), activation) == []          # no hidden layer


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", ["softmax", "svm"])
def test_mlp_loss_equals_the_reference_layers(activation, loss):
    """The trainer's one-routine backward pass gives the reference layers' numbers exactly."""
    rng = np.random.default_rng(9)
    params = init_mlp([5, 8, 6, 4], scheme="he", rng=rng, bias=0.1)
    X, y = rng.normal(size=(12, 5)), rng.integers(0, 4, size=12)
    scores, cache = mlp_forward_with_cache(X, params, activation)
    expected_loss, dscores = (reference.softmax_loss if loss == "softmax" else reference.svm_loss)(scores, y)
    expected = mlp_backward(dscores, cache)
    value, grads = mlp_loss(params, X, y, activation=activation, loss=loss)
    assert value == pytest.approx(expected_loss, rel=1e-12)
    for layer_grads, layer_expected in zip(grads, expected):
        for g, e in zip(layer_grads, layer_expected):
            np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)


def test_hidden_activations_and_net_scores_validate_the_net():
    params = init_mlp([3, 4, 2], rng=0)
    with pytest.raises(ValueError, match=r"net_scores: layer 1 \(params\[0\]\) has W of shape \(3, 4\), but it receives 5 inputs"):
        net_scores(params, np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"hidden_activations: unknown activation 'elu'"):
        hidden_activations(params, np.zeros((2, 3)), activation="elu")
    with pytest.raises(ValueError, match=r"X must be 2-D"):
        predict(params, np.zeros(3))


# ------------------------------------------------------------ any data loss
def test_mlp_loss_with_a_data_loss_function():
    rng = np.random.default_rng(10)
    params = init_mlp([3, 5, 2], scheme="calibrated", rng=rng, bias=0.1)
    X, T = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    reg = 0.1
    value, grads = mlp_loss(params, X, T, activation="tanh", reg=reg, data_loss=reference.l2_regression_loss)
    expected = reference.l2_regression_loss(mlp_forward(X, params, "tanh"), T)[0] \
        + 0.5 * reg * sum(np.sum(W ** 2) for W, _ in params)
    assert isinstance(value, float) and value == pytest.approx(expected, rel=1e-12)
    f = lambda _: mlp_loss(params, X, T, activation="tanh", reg=reg, data_loss=reference.l2_regression_loss)[0]
    for (W, b), (dW, db) in zip(params, grads):
        assert rel_error(dW, eval_numerical_gradient(f, W, verbose=False)) < 1e-7
        assert rel_error(db, eval_numerical_gradient(f, b, verbose=False)) < 1e-7
    # the built-in softmax and the same loss passed as a function agree
    y = rng.integers(0, 2, size=6)
    built_in, function = mlp_loss(params, X, y), mlp_loss(params, X, y, data_loss=reference.softmax_loss)
    assert built_in[0] == pytest.approx(function[0], rel=1e-12)
    for a, b in zip(built_in[1], function[1]):
        np.testing.assert_allclose(a[0], b[0], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("kwargs, message", [
    (dict(loss="svm", data_loss=reference.l2_regression_loss), r"either loss \(a name\) or data_loss"),
    (dict(data_loss="l2"), r"data_loss must be a function \(scores, targets\) -> \(loss, dscores\)"),
    (dict(data_loss=lambda s, t: (0.0, s[:, :1])),
     r"must return \(loss, dscores\) with dscores shaped like the scores \(4, 2\)"),
    (dict(data_loss=lambda s, t: 0.0), r"must return \(loss, dscores\)"),
])
def test_mlp_loss_data_loss_validation(kwargs, message):
    params = init_mlp([3, 2], rng=0)
    with pytest.raises(ValueError, match=message):
        mlp_loss(params, np.zeros((4, 3)), np.zeros((4, 2)), **kwargs)
    with pytest.raises(ValueError, match=r"the targets must have one row per row of X \(4\)"):
        mlp_loss(params, np.zeros((4, 3)), np.zeros((3, 2)), data_loss=reference.l2_regression_loss)


def test_train_with_a_data_loss_fits_a_line():
    rng = np.random.default_rng(11)
    X = rng.uniform(-1, 1, size=(40, 1))
    T = 2 * X + 1
    params = [(np.zeros((1, 1)), np.zeros(1))]
    history = train(params, X, T, lr=0.1, num_iters=300, momentum=0.9, data_loss=reference.l2_regression_loss,
                    predict_fn=net_scores, progress=False, record_every=300)
    assert params[0][0].item() == pytest.approx(2.0, abs=1e-3) and params[0][1].item() == pytest.approx(1.0, abs=1e-3)
    assert history["loss"][-1] < 1e-6
    with pytest.raises(ValueError, match=r"data_loss is used by the default mlp_loss only"):
        train(params, X, T, loss_fn=lambda p, X_, T_: mlp_loss(p, X_, T_), data_loss=reference.l2_regression_loss,
              progress=False)


# ---------------------------------------------------------------------- train
@pytest.fixture(scope="module")
def spiral_run():
    X, y = spiral()
    params = init_mlp([2, 100, 3], scheme="he", rng=0)
    original = [(W.copy(), b.copy()) for W, b in params]
    arrays = list(params)
    start = time.perf_counter()
    history = train(params, X, y, lr=1.0, num_iters=1000, reg=1e-3, rng=0, progress=False,
                    X_val=X[::3], y_val=y[::3], record_every=100)
    seconds = time.perf_counter() - start
    return X, y, params, original, arrays, history, seconds


def test_train_fits_the_spiral(spiral_run):
    X, y, params, _, _, history, seconds = spiral_run
    loss = history["loss"]
    assert len(loss) == 1000
    assert np.mean(loss[-50:]) < 0.5 * loss[0]
    assert history["train_acc"][0] < 0.7 and history["train_acc"][-1] > 0.9
    assert accuracy(params, X, y) == history["train_acc"][-1]
    assert not history["diverged"]
    assert seconds < 10                  # ~1 s here; "a couple of seconds" is the target


def test_train_history_layout(spiral_run):
    _, _, _, _, _, history, _ = spiral_run
    assert history["iteration"] == list(range(0, 1001, 100))
    assert len(history["train_acc"]) == len(history["val_acc"]) == 11
    assert all(isinstance(v, float) for v in history["loss"] + history["train_acc"] + history["val_acc"])


def test_train_replaces_params_but_never_modifies_arrays(spiral_run):
    _, _, params, original, arrays, _, _ = spiral_run
    for (W, b), (W0, b0), (W_in, b_in) in zip(params, original, arrays):
        np.testing.assert_array_equal(W_in, W0)          # the arrays passed in are untouched
        np.testing.assert_array_equal(b_in, b0)
        assert not np.array_equal(W, W0)                 # the list now holds the trained ones


def test_predict(spiral_run):
    X, y, params, _, _, _, _ = spiral_run
    labels = predict(params, X)
    assert labels.shape == (300,) and np.issubdtype(labels.dtype, np.integer)
    np.testing.assert_array_equal(labels, np.argmax(mlp_forward(X, params), axis=1))


def test_progress_false_prints_nothing(capsys):
    X, y = spiral(20)
    train(init_mlp([2, 10, 3], rng=0), X, y, num_iters=30, record_every=10, progress=False)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    train(init_mlp([2, 10, 3], rng=0), X, y, num_iters=30, record_every=10, progress=True)
    assert capsys.readouterr().err != ""                 # the bar is drawn on stderr


def test_train_is_reproducible_with_minibatches():
    X, y = spiral(50)
    runs = [train(init_mlp([2, 20, 3], rng=1), X, y, lr=0.5, num_iters=50, batch_size=32, rng=7,
                  progress=False)["loss"] for _ in range(2)]
    assert runs[0] == runs[1]
    other = train(init_mlp([2, 20, 3], rng=1), X, y, lr=0.5, num_iters=50, batch_size=32, rng=8, progress=False)
    assert other["loss"] != runs[0]


def test_momentum_changes_the_updates():
    X, y = spiral(50)
    plain = train(init_mlp([2, 20, 3], rng=1), X, y, lr=0.1, num_iters=100, progress=False)
    heavy = train(init_mlp([2, 20, 3], rng=1), X, y, lr=0.1, num_iters=100, momentum=0.9, progress=False)
    assert plain["loss"][:2] == heavy["loss"][:2]        # identical first step (velocity starts at 0)
    assert heavy["loss"][-1] < plain["loss"][-1]         # then momentum moves faster


def test_callback_and_metrics():
    X, y = spiral(30)
    calls = []

    def clamp(it, params, history):                     # e.g. a max-norm constraint
        calls.append(it)
        W, b = params[0]
        params[0] = (np.clip(W, -0.5, 0.5), b)

    params = init_mlp([2, 15, 3], rng=0)
    history = train(params, X, y, lr=1.0, num_iters=40, record_every=20, progress=False, callback=clamp,
                    metrics={"dead": lambda p: dead_relu_fraction(hidden_activations(p, X)[0])})
    assert calls == list(range(40))
    assert np.max(np.abs(params[0][0])) <= 0.5
    assert len(history["dead"]) == 3 and all(0.0 <= v <= 1.0 for v in history["dead"])


def test_too_high_learning_rate_kills_relus():
    """The notes: with a too-high learning rate a large fraction of ReLUs can die."""
    X, y = spiral()
    dead = lambda p: dead_relu_fraction(hidden_activations(p, X)[0])
    fractions = {}
    for lr in (1.0, 10.0):
        history = train(init_mlp([2, 100, 3], rng=0), X, y, lr=lr, num_iters=100, record_every=100,
                        progress=False, metrics={"dead": dead})
        assert not history["diverged"] and history["dead"][0] < 0.05
        fractions[lr] = history["dead"][-1]
    assert fractions[1.0] < 0.05 and fractions[10.0] > 0.4


def test_divergence_stops_training():
    X, y = spiral(30)
    params = init_mlp([2, 20, 3], rng=0)
    history = train(params, X, y, lr=1e4, num_iters=500, progress=False, max_loss=1e3)
    assert history["diverged"]
    assert len(history["loss"]) < 500 and history["loss"][-1] > 1e3
    assert all(np.all(np.isfinite(W)) for W, _ in params)
    assert history["iteration"][-1] == len(history["loss"]) - 1


@pytest.mark.parametrize("kwargs, message", [
    ({"lr": 0}, r"lr must be a positive number"),
    ({"record_every": 0}, r"record_every must be a positive integer"),
])
def test_train_validation(kwargs, message):
    X, y = spiral(10)
    with pytest.raises(ValueError, match=message):
        train(init_mlp([2, 3, 3], rng=0), X, y, progress=False, **kwargs)
    with pytest.raises(ValueError, match=r"params must be a list"):
        train(tuple(init_mlp([2, 3, 3], rng=0)), X, y, progress=False)


# ----------------------------------------------------------------- make_fcnet
def test_make_fcnet_layout():
    params, _, _ = make_fcnet([4, 6, 5, 3], batchnorm=True, rng=0, layers=LAYERS)
    assert [tuple(a.shape for a in layer) for layer in params] == [
        ((4, 6), (6,), (6,), (6,)), ((6, 5), (5,), (5,), (5,)), ((5, 3), (3,))]
    assert np.all(params[0][2] == 1.0) and np.all(params[0][3] == 0.0)          # gamma = 1, beta = 0
    plain, _, _ = make_fcnet([4, 6, 5, 3], rng=0)
    assert [len(layer) for layer in plain] == [2, 2, 2]
    np.testing.assert_array_equal(plain[1][0], init_mlp([4, 6, 5, 3], rng=0)[1][0])
    with pytest.raises(ValueError, match=r"dropout is the probability of keeping a unit, in \(0, 1\]; got 0"):
        make_fcnet([4, 3], dropout=0)
    with pytest.raises(ValueError, match="unknown activation 'elu'"):
        make_fcnet([4, 3], activation="elu")


@pytest.mark.parametrize("kwargs, message", [
    (dict(batchnorm=True), r"make_fcnet: batchnorm=True needs your own batch norm layer \(the exercise of 05_init; "
     r"the trainer has none\): pass layers=\{'batchnorm': \(batchnorm_forward, batchnorm_backward\)\}"),
    (dict(dropout=0.5), r"make_fcnet: dropout=0.5 needs your own dropout layer \(the exercise of 06_regularization; "
     r"the trainer has none\): pass layers=\{'dropout': \(dropout_forward, dropout_backward\)\}"),
    (dict(batchnorm=True, dropout=0.5, layers={"dropout": LAYERS["dropout"]}),
     r"batchnorm=True needs your own batch norm"),
    (dict(dropout=0.5, layers={"dropout": (dropout_forward,)}),
     r"layers\['dropout'\] must be the pair of functions \(dropout_forward, dropout_backward\)"),
    (dict(layers={"bn": LAYERS["batchnorm"]}), r"layers must be a dict with the keys 'batchnorm' and/or 'dropout'"),
])
def test_make_fcnet_asks_for_your_batchnorm_and_dropout_layers(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_fcnet([4, 5, 3], rng=0, **kwargs)


def test_make_fcnet_uses_the_layers_it_is_given():
    calls = []

    def bn_forward(x, gamma, beta, bn_param):
        calls.append(("batchnorm", bn_param["mode"]))
        return batchnorm_forward(x, gamma, beta, bn_param)

    def bn_backward(dout, cache):
        calls.append(("batchnorm back",))
        return batchnorm_backward(dout, cache)

    def drop_forward(x, p, mode, seed=None):
        calls.append(("dropout", mode, p, type(seed).__name__))
        return dropout_forward(x, p, mode, seed)

    def drop_backward(dout, cache):
        calls.append(("dropout back",))
        return dropout_backward(dout, cache)

    layers = {"batchnorm": (bn_forward, bn_backward), "dropout": (drop_forward, drop_backward)}
    params, loss_fn, predict_fn = make_fcnet([3, 4, 4, 2], batchnorm=True, dropout=0.8, rng=0, layers=layers)
    rng = np.random.default_rng(12)
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 2, size=6)
    loss_fn(params, X, y)
    assert calls == [("batchnorm", "train"), ("dropout", "train", 0.8, "Generator")] * 2 + \
        [("dropout back",), ("batchnorm back",)] * 2
    calls.clear()
    predict_fn(params, X)                       # test mode: running averages, no dropout at all
    assert calls == [("batchnorm", "test")] * 2
    calls.clear()
    plain, plain_loss_fn, _ = make_fcnet([3, 4, 2], rng=0, layers=layers)     # unused layers are ignored
    plain_loss_fn(plain, X, y)
    assert calls == []


def test_make_fcnet_reports_layers_that_return_the_wrong_thing():
    X, y = np.ones((4, 3)), np.zeros(4, dtype=int)
    broken = {"batchnorm": (lambda x, g, b, p: x, batchnorm_backward)}
    params, loss_fn, _ = make_fcnet([3, 4, 2], batchnorm=True, rng=0, layers=broken)
    with pytest.raises(ValueError, match=r"your batchnorm_forward must return \(out, cache\)"):
        loss_fn(params, X, y)
    broken = {"batchnorm": (batchnorm_forward, lambda dout, cache: dout)}
    params, loss_fn, _ = make_fcnet([3, 4, 2], batchnorm=True, rng=0, layers=broken)
    with pytest.raises(ValueError, match=r"your batchnorm_backward must return \(dx, dgamma, dbeta\)"):
        loss_fn(params, X, y)
    broken = {"dropout": (lambda x, p, mode, seed=None: x, dropout_backward)}
    params, loss_fn, _ = make_fcnet([3, 4, 2], dropout=0.5, rng=0, layers=broken)
    with pytest.raises(ValueError, match=r"your dropout_forward must return \(out, cache\)"):
        loss_fn(params, X, y)


def test_make_fcnet_without_extras_is_the_mlp():
    rng = np.random.default_rng(4)
    params, loss_fn, predict_fn = make_fcnet([3, 5, 4, 3], activation="tanh", reg=0.1, rng=0, bias=0.1)
    X, y = rng.normal(size=(7, 3)), rng.integers(0, 3, size=7)
    loss, grads = loss_fn(params, X, y)
    expected, expected_grads = mlp_loss(params, X, y, activation="tanh", reg=0.1)
    assert loss == pytest.approx(expected, rel=1e-12)
    for layer_grads, layer_expected in zip(grads, expected_grads):
        for g, e in zip(layer_grads, layer_expected):
            np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(predict_fn(params, X), predict(params, X, activation="tanh"))


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_make_fcnet_batchnorm_gradients_match_numerical(activation):
    rng = np.random.default_rng(5)
    params, loss_fn, _ = make_fcnet([3, 6, 5, 3], activation=activation, scheme="calibrated",
                                    batchnorm=True, dropout=1.0, reg=0.1, rng=1, bias=0.1, layers=LAYERS)
    for i in range(2):                                       # gamma, beta away from 1, 0
        W, b, gamma, beta = params[i]
        params[i] = (W, b, 1.0 + 0.3 * rng.normal(size=gamma.shape), 0.2 * rng.normal(size=beta.shape))
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 3, size=8)
    _, grads = loss_fn(params, X, y)
    f = lambda _: loss_fn(params, X, y)[0]
    tol = 1e-7 if activation == "tanh" else 1e-6           # relu: a step of h may cross a kink
    for layer, layer_grads in zip(params, grads):
        assert len(layer) == len(layer_grads)
        for a, g in zip(layer, layer_grads):
            assert rel_error(g, eval_numerical_gradient(f, a, verbose=False)) < tol


def loop_batchnorm_test_mode(x, gamma, beta, mean, var):
    out = np.empty_like(x)
    for n in range(x.shape[0]):
        out[n] = gamma * (x[n] - mean) / np.sqrt(var + 1e-5) + beta
    return out


def test_make_fcnet_batchnorm_running_averages_and_test_mode():
    rng = np.random.default_rng(6)
    params, loss_fn, predict_fn = make_fcnet([2, 4, 3], batchnorm=True, rng=0, layers=LAYERS)
    W, b, gamma, beta = params[0]
    W2, b2 = params[1]
    batches = [rng.normal(loc=1.0, scale=2.0, size=(16, 2)) for _ in range(3)]
    mean, var = np.zeros(4), np.zeros(4)
    for X in batches:                                        # train mode: batch statistics
        loss_fn(params, X, np.zeros(16, dtype=int))
        a = X @ W + b
        mean = 0.9 * mean + 0.1 * a.mean(axis=0)
        var = 0.9 * var + 0.1 * a.var(axis=0)
    X = rng.normal(size=(5, 2))                              # test mode: the running averages
    hidden = np.maximum(0.0, loop_batchnorm_test_mode(X @ W + b, gamma, beta, mean, var))
    expected = np.argmax(hidden @ W2 + b2, axis=1)
    np.testing.assert_array_equal(predict_fn(params, X), expected)
    # one example at a time gives the same labels: nothing depends on the batch
    np.testing.assert_array_equal([predict_fn(params, X[n:n + 1])[0] for n in range(5)], expected)


def test_make_fcnet_dropout_is_on_in_training_and_off_in_prediction():
    rng = np.random.default_rng(7)
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 3, size=20)
    params, loss_fn, predict_fn = make_fcnet([3, 50, 3], activation="tanh", dropout=0.5, rng=0, layers=LAYERS)
    losses = [loss_fn(params, X, y)[0] for _ in range(5)]
    assert len(set(losses)) == 5                             # a fresh mask at every call
    grads = loss_fn(params, X[:1], y[:1])[1]                 # one example: one mask row
    dropped = np.mean(np.all(grads[1][0] == 0.0, axis=1))   # dropped units get no gradient in W2
    assert 0.3 < dropped < 0.7                               # about half (tanh units are never exactly 0)
    no_dropout, _, predict_plain = make_fcnet([3, 50, 3], activation="tanh", dropout=1.0, rng=0)
    labels = [predict_fn(params, X) for _ in range(3)]       # deterministic, and the plain net's
    for got in labels:
        np.testing.assert_array_equal(got, predict_plain(no_dropout, X))


def test_make_fcnet_batchnorm_net_trains_on_the_spiral():
    X, y = spiral()
    params, loss_fn, predict_fn = make_fcnet([2, 50, 50, 3], batchnorm=True, reg=1e-4, rng=0, layers=LAYERS)
    history = train(params, X, y, lr=0.5, num_iters=200, batch_size=100, rng=0, progress=False,
                    record_every=100, loss_fn=loss_fn, predict_fn=predict_fn)
    assert not history["diverged"]
    assert [len(layer) for layer in params] == [4, 4, 2]
    assert np.mean(history["loss"][-20:]) < 0.3 * history["loss"][0]
    assert history["train_acc"][-1] > 0.9
    assert history["train_acc"][-1] == float(np.mean(predict_fn(params, X) == y))
    with pytest.raises(ValueError, match=r"reg is used by the default mlp_loss only"):
        train(params, X, y, reg=1e-3, loss_fn=loss_fn, predict_fn=predict_fn, progress=False)


# (That the student package holds no graded function, by name or body, is
# tests/test_distributions.py's check of the whole student wheel.)


def test_the_trainer_and_the_trees_work_without_the_course_package():
    """The sandbox that runs student code has no cs231n_course: everything here must run without it."""
    code = """
import sys
sys.modules["cs231n_course"] = None                  # any import of it now fails
import numpy as np
from cs231n_support.training import hidden_activations, init_mlp, make_fcnet, net_scores, train
from cs231n_support.trees import balanced_tree_codes
X = np.random.default_rng(0).normal(size=(30, 2)); y = (X[:, 0] > 0).astype(int)
params = init_mlp([2, 8, 2], rng=0)
history = train(params, X, y, lr=0.5, num_iters=20, progress=False)
assert net_scores(params, X).shape == (30, 2) and hidden_activations(params, X)[0].shape == (30, 8)
params, loss_fn, predict_fn = make_fcnet([2, 8, 2], rng=0)
train(params, X, y, loss_fn=loss_fn, predict_fn=predict_fn, num_iters=5, progress=False)
assert balanced_tree_codes(4).shape == (4, 3)
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_balanced_tree_codes_is_the_student_tool_the_reference_reexports():
    assert reference.balanced_tree_codes is trees.balanced_tree_codes
    np.testing.assert_array_equal(trees.balanced_tree_codes(3), [[-1, -1], [-1, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"C must be an integer >= 2"):
        trees.balanced_tree_codes(1)
