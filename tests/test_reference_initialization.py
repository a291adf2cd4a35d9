"""Tests of cs231n_course.reference.initialization (notebook 05_init)."""
import numpy as np
import pytest

from cs231n_support.gradient_check import eval_numerical_gradient_array, rel_error
from cs231n_course.reference.initialization import (
    SCHEMES, batchnorm_backward, batchnorm_forward, init_weights)

FAN_IN, FAN_OUT = 500, 400
EXPECTED_STD = {
    "small": 0.01,
    "calibrated": 1 / np.sqrt(FAN_IN),
    "glorot": np.sqrt(2 / (FAN_IN + FAN_OUT)),
    "he": np.sqrt(2 / FAN_IN),
}


# ------------------------------------------------------------- init_weights
def test_schemes_names():
    assert set(SCHEMES) == {"zeros", "small", "calibrated", "glorot", "he", "sparse"}


@pytest.mark.parametrize("scheme", sorted(EXPECTED_STD))
def test_dense_scheme_statistics(scheme):
    W = init_weights(FAN_IN, FAN_OUT, scheme, np.random.default_rng(0))
    assert W.shape == (FAN_IN, FAN_OUT) and W.dtype == np.float64
    std = EXPECTED_STD[scheme]
    # 200 000 samples: the sample mean is within 5 standard errors of 0 and the
    # sample std within 1% of the target (its standard error is ~0.16%)
    assert abs(W.mean()) < 5 * std / np.sqrt(W.size)
    assert W.std() == pytest.approx(std, rel=0.01)
    # gaussian, not uniform: about 68% of the weights within one std
    assert np.mean(np.abs(W) < std) == pytest.approx(0.6827, abs=0.01)


def test_zeros_scheme():
    W = init_weights(7, 3, "zeros", 0)
    assert W.shape == (7, 3) and W.dtype == np.float64 and not W.any()


@pytest.mark.parametrize("fan_in", [500, 11, 10, 7, 1])
def test_sparse_scheme_has_min_10_fan_in_nonzeros_per_unit(fan_in):
    W = init_weights(fan_in, 300, "sparse", np.random.default_rng(1))
    assert W.shape == (fan_in, 300) and W.dtype == np.float64
    np.testing.assert_array_equal(np.count_nonzero(W, axis=0), min(10, fan_in))
    assert np.std(W[W != 0]) == pytest.approx(0.01, rel=0.05)
    assert abs(np.mean(W[W != 0])) < 5 * 0.01 / np.sqrt(np.count_nonzero(W))


def test_sparse_scheme_picks_different_inputs_for_different_units():
    W = init_weights(500, 300, "sparse", 2)
    patterns = {tuple(np.flatnonzero(W[:, j])) for j in range(300)}
    assert len(patterns) > 290
    # every input is about equally likely to be connected: 300 * 10 / 500 = 6 per row on average
    assert np.mean(np.count_nonzero(W, axis=1)) == pytest.approx(6.0)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_same_seed_same_weights(scheme):
    W1 = init_weights(30, 20, scheme, np.random.default_rng(5))
    W2 = init_weights(30, 20, scheme, np.random.default_rng(5))
    W3 = init_weights(30, 20, scheme, 5)                       # an int seed works too
    np.testing.assert_array_equal(W1, W2)
    np.testing.assert_array_equal(W1, W3)
    if scheme != "zeros":
        assert not np.array_equal(W1, init_weights(30, 20, scheme, 6))


def test_generator_is_advanced_so_layers_differ():
    rng = np.random.default_rng(0)
    assert not np.array_equal(init_weights(5, 5, "he", rng), init_weights(5, 5, "he", rng))


def test_calibrated_keeps_output_variance():
    """Var(s) = n Var(w) Var(x): with Var(w) = 1/n the output variance equals the input's."""
    rng = np.random.default_rng(3)
    x = rng.normal(scale=2.0, size=(2000, FAN_IN))           # Var(x) = 4
    s = x @ init_weights(FAN_IN, FAN_OUT, "calibrated", rng)
    assert s.var() == pytest.approx(4.0, rel=0.05)
    s_small = x @ init_weights(FAN_IN, FAN_OUT, "small", rng)
    assert s_small.var() == pytest.approx(FAN_IN * 1e-4 * 4.0, rel=0.05)


@pytest.mark.parametrize("args, message", [
    ((5, 3, "xavier", 0), r"unknown scheme 'xavier'; expected one of 'zeros', 'small', 'calibrated', 'glorot', 'he', 'sparse'"),
    ((0, 3, "he", 0), r"fan_in must be a positive integer; got 0"),
    ((5, 2.0, "he", 0), r"fan_out must be a positive integer; got 2.0"),
    ((5, 3, "he", "seed"), r"rng must be an np.random.Generator, an int seed or None; got str"),
    ((5, 3, "he", np.random.RandomState(0)), r"rng must be an np.random.Generator"),
])
def test_init_weights_validation(args, message):
    with pytest.raises(ValueError, match=message):
        init_weights(*args)


# --------------------------------------------------------------- batch norm
def bn_loop(x, gamma, beta, eps):
    """Batch norm, one feature at a time, the textbook way."""
    N, D = x.shape
    out = np.empty_like(x)
    for d in range(D):
        col = x[:, d]
        mu = sum(col) / N
        var = sum((v - mu) ** 2 for v in col) / N
        for n in range(N):
            out[n, d] = gamma[d] * (col[n] - mu) / np.sqrt(var + eps) + beta[d]
    return out


@pytest.fixture
def bn_data():
    rng = np.random.default_rng(231)
    N, D = 50, 4
    x = 5.0 * rng.normal(size=(N, D)) + 12.0          # far from zero mean, unit variance
    gamma = rng.uniform(0.5, 2.0, size=D)
    beta = rng.normal(size=D)
    return x, gamma, beta


def test_batchnorm_train_matches_loop_and_normalizes(bn_data):
    x, gamma, beta = bn_data
    out, _ = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    assert out.shape == x.shape
    assert rel_error(out, bn_loop(x, gamma, beta, 1e-5)) < 1e-10
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), gamma, rtol=1e-6)


def test_batchnorm_running_averages_follow_the_formula(bn_data):
    x, gamma, beta = bn_data
    bn_param = {"mode": "train", "momentum": 0.8}
    batchnorm_forward(x, gamma, beta, bn_param)
    # missing running statistics start at zero
    np.testing.assert_allclose(bn_param["running_mean"], 0.2 * x.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(bn_param["running_var"], 0.2 * x.var(axis=0), rtol=1e-14)
    first_mean, first_var = bn_param["running_mean"].copy(), bn_param["running_var"].copy()
    x2 = x[::-1] * 0.5 - 1.0
    batchnorm_forward(x2, gamma, beta, bn_param)
    np.testing.assert_allclose(bn_param["running_mean"], 0.8 * first_mean + 0.2 * x2.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(bn_param["running_var"], 0.8 * first_var + 0.2 * x2.var(axis=0), rtol=1e-14)


def test_batchnorm_defaults(bn_data):
    x, gamma, beta = bn_data
    x = x * 1e-3                                           # make eps matter
    explicit = {"mode": "train", "eps": 1e-5, "momentum": 0.9}
    default = {"mode": "train"}
    out_explicit, _ = batchnorm_forward(x, gamma, beta, explicit)
    out_default, _ = batchnorm_forward(x, gamma, beta, default)
    np.testing.assert_array_equal(out_default, out_explicit)
    np.testing.assert_array_equal(default["running_mean"], explicit["running_mean"])
    np.testing.assert_array_equal(default["running_var"], explicit["running_var"])
    np.testing.assert_allclose(default["running_var"], 0.1 * x.var(axis=0), rtol=1e-14)
    out_other_eps, _ = batchnorm_forward(x, gamma, beta, {"mode": "train", "eps": 1e-3})
    assert rel_error(out_other_eps, out_default) > 1e-3


def test_batchnorm_test_mode_uses_running_statistics(bn_data):
    x, gamma, beta = bn_data
    rm, rv = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.5, 1.0, 2.0, 4.0])
    bn_param = {"mode": "test", "running_mean": rm, "running_var": rv, "eps": 1e-5}
    out, _ = batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_allclose(out, gamma * (x - rm) / np.sqrt(rv + 1e-5) + beta, rtol=1e-14)
    assert rel_error(out, bn_loop(x, gamma, beta, 1e-5)) > 0.1      # not the batch statistics
    # test mode does not update the running statistics, and rows are independent
    assert bn_param["running_mean"] is rm and bn_param["running_var"] is rv
    out_one, _ = batchnorm_forward(x[:1], gamma, beta, bn_param)
    np.testing.assert_allclose(out_one, out[:1], rtol=1e-14)


def test_batchnorm_test_mode_after_training_converges_to_data_statistics():
    rng = np.random.default_rng(0)
    gamma, beta = np.ones(3), np.zeros(3)
    bn_param = {"mode": "train"}
    for _ in range(200):
        batchnorm_forward(rng.normal(loc=[1.0, -2.0, 5.0], scale=[1.0, 3.0, 0.5], size=(64, 3)), gamma, beta, bn_param)
    # an exponential average with momentum 0.9 of batches of 64 has the noise of
    # about 64 * 1.9 / 0.1 = 1216 samples: std error of the mean = sigma / 35
    scale = np.array([1.0, 3.0, 0.5])
    assert np.all(np.abs(bn_param["running_mean"] - [1.0, -2.0, 5.0]) < 4 * scale / 35)
    # ... and of the variance about sigma^2 * sqrt(2 / 1216) = sigma^2 / 25
    np.testing.assert_allclose(bn_param["running_var"], scale ** 2, rtol=4 / 25)


def test_batchnorm_does_not_modify_inputs(bn_data):
    x, gamma, beta = bn_data
    rm, rv = np.ones(4), np.ones(4)
    copies = [a.copy() for a in (x, gamma, beta, rm, rv)]
    bn_param = {"mode": "train", "running_mean": rm, "running_var": rv}
    out, cache = batchnorm_forward(x, gamma, beta, bn_param)
    dout = np.ones_like(out)
    batchnorm_backward(dout, cache)
    for a, c in zip((x, gamma, beta, rm, rv), copies):
        np.testing.assert_array_equal(a, c)
    assert np.all(dout == 1)
    assert bn_param["running_mean"] is not rm                     # new arrays were stored


def test_batchnorm_backward_matches_numerical_gradients():
    rng = np.random.default_rng(1)
    N, D = 6, 5
    x = 3.0 * rng.normal(size=(N, D)) + 2.0
    gamma, beta = rng.uniform(0.5, 2.0, size=D), rng.normal(size=D)
    dout = rng.normal(size=(N, D))
    for mode in ("train", "test"):
        bn_param = {"mode": mode, "running_mean": rng.normal(size=D), "running_var": rng.uniform(1, 2, size=D)}
        f = lambda x_, g_, b_: batchnorm_forward(x_, g_, b_, dict(bn_param))[0]
        _, cache = batchnorm_forward(x, gamma, beta, dict(bn_param))
        dx, dgamma, dbeta = batchnorm_backward(dout, cache)
        assert dx.shape == (N, D) and dgamma.shape == (D,) and dbeta.shape == (D,)
        assert rel_error(dx, eval_numerical_gradient_array(lambda v: f(v, gamma, beta), x, dout)) < 1e-7, mode
        assert rel_error(dgamma, eval_numerical_gradient_array(lambda v: f(x, v, beta), gamma, dout)) < 1e-7, mode
        assert rel_error(dbeta, eval_numerical_gradient_array(lambda v: f(x, gamma, v), beta, dout)) < 1e-7, mode


def batchnorm_backward_graph(dout, x, gamma, eps):
    """Backward pass step by step through the computational graph of the forward:

    mu = mean(x); xc = x - mu; var = mean(xc^2); std = sqrt(var + eps);
    inv = 1 / std; x_hat = xc * inv; out = gamma * x_hat + beta
    """
    N = x.shape[0]
    mu = x.mean(axis=0)
    xc = x - mu
    var = (xc ** 2).mean(axis=0)
    std = np.sqrt(var + eps)
    inv = 1.0 / std
    x_hat = xc * inv
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dinv = (dx_hat * xc).sum(axis=0)
    dxc = dx_hat * inv                                   # path 1: xc -> x_hat
    dstd = -dinv / std ** 2
    dvar = dstd * 0.5 / np.sqrt(var + eps)
    dxc += dvar * 2.0 * xc / N                          # path 2: xc -> var -> std -> inv -> x_hat
    dmu = -dxc.sum(axis=0)
    dx = dxc + dmu / N                                  # x -> xc directly, and x -> mu -> xc
    return dx, dgamma, dbeta


def test_batchnorm_compact_backward_equals_graph_backward():
    rng = np.random.default_rng(2)
    x = rng.normal(loc=3.0, scale=2.0, size=(100, 30))
    gamma, beta = rng.normal(size=30), rng.normal(size=30)
    dout = rng.normal(size=(100, 30))
    _, cache = batchnorm_forward(x, gamma, beta, {"mode": "train", "eps": 1e-5})
    for got, expected in zip(batchnorm_backward(dout, cache), batchnorm_backward_graph(dout, x, gamma, 1e-5)):
        assert rel_error(got, expected) < 1e-9


def test_batchnorm_dx_sums_to_zero_per_feature():
    """Shifting a whole column does not change the train-mode output: dx has zero column sums."""
    rng = np.random.default_rng(4)
    x, dout = rng.normal(size=(20, 3)), rng.normal(size=(20, 3))
    _, cache = batchnorm_forward(x, np.ones(3), np.zeros(3), {"mode": "train"})
    dx, _, _ = batchnorm_backward(dout, cache)
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-12)


def test_batchnorm_stable_at_large_inputs():
    x = np.array([[1e3, -1e3], [-1e3, 1e3], [0.0, 1e3]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out, cache = batchnorm_forward(x, np.ones(2), np.zeros(2), {"mode": "train"})
        grads = batchnorm_backward(np.ones_like(x), cache)
        const, cache = batchnorm_forward(np.full((4, 2), 1e3), np.ones(2), np.zeros(2), {"mode": "train"})
        batchnorm_backward(np.ones((4, 2)), cache)
    assert np.all(np.isfinite(out)) and all(np.all(np.isfinite(g)) for g in grads)
    np.testing.assert_array_equal(const, 0.0)           # a constant feature: variance 0, eps avoids 0/0


@pytest.mark.parametrize("args, message", [
    ((np.ones(3), np.ones(3), np.ones(3), {"mode": "train"}), r"x must be a non-empty 2-D array \(N, D\)"),
    ((np.ones((2, 3)), np.ones(2), np.ones(3), {"mode": "train"}), r"gamma and beta must have shape \(3,\)"),
    ((np.ones((2, 3)), np.ones(3), np.ones(3), {}), r"bn_param\['mode'\] must be 'train' or 'test'; got None"),
    ((np.ones((2, 3)), np.ones(3), np.ones(3), {"mode": "eval"}), r"got 'eval'"),
    ((np.ones((2, 3)), np.ones(3), np.ones(3), "train"), r"bn_param must be a dict"),
    ((np.ones((2, 3)), np.ones(3), np.ones(3), {"mode": "train", "momentum": 1.5}), r"momentum'\] must be a number in \[0, 1\]"),
    ((np.ones((2, 3)), np.ones(3), np.ones(3), {"mode": "train", "eps": 0}), r"eps'\] must be a number > 0"),
    ((np.ones((2, 3)), np.ones(3), np.ones(3), {"mode": "test", "running_mean": np.zeros(2)}), r"running_mean and running_var must have shape \(3,\)"),
    ((np.array([[1.0, np.nan]]), np.ones(2), np.ones(2), {"mode": "train"}), r"x contains NaN"),
])
def test_batchnorm_validation(args, message):
    with pytest.raises(ValueError, match=message):
        batchnorm_forward(*args)


def test_batchnorm_backward_validation(bn_data):
    x, gamma, beta = bn_data
    _, cache = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    with pytest.raises(ValueError, match=r"dout must have the shape of the forward output \(50, 4\)"):
        batchnorm_backward(np.ones((4, 50)), cache)
