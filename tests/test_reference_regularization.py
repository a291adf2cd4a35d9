"""Tests of cs231n_course.reference.regularization (notebook 06_regularization).

Penalties and max-norm are compared with loops written here and checked with
numerical gradients; dropout and DropConnect are checked by their statistics
and self-consistency (same seed -> same mask, backward uses the forward's
mask, test mode is the identity), never by the reference's random stream.
"""
import numpy as np
import pytest

from cs231n_support.gradient_check import (
    eval_numerical_gradient, eval_numerical_gradient_array, rel_error,
)
from cs231n_course.reference.regularization import (
    dropconnect_backward, dropconnect_forward, dropout_backward, dropout_forward,
    elastic_net_penalty, l1_penalty, l2_penalty, max_norm,
)

UNSTABLE = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def weights(shape=(5, 4), seed=0, scale=1.0):
    W = scale * np.random.default_rng(seed).standard_normal(shape)
    W[np.abs(W) < 1e-3] = 0.5              # keep away from the kink of |w| at 0
    return W


# ---------------------------------------------------------------- penalties
def test_l2_penalty_matches_loop_and_gradient():
    W = weights()
    loss, dW = l2_penalty(W, 0.3)
    loop = sum(0.5 * 0.3 * w * w for w in W.ravel())
    assert loss == pytest.approx(loop, rel=1e-12)
    assert np.allclose(dW, 0.3 * W)
    num = eval_numerical_gradient(lambda w: l2_penalty(w, 0.3)[0], W.copy(), verbose=False)
    assert rel_error(dW, num) < 1e-7


def test_l1_penalty_matches_loop_and_gradient():
    W = weights(seed=1)
    loss, dW = l1_penalty(W, 0.7)
    loop = sum(0.7 * abs(w) for w in W.ravel())
    assert loss == pytest.approx(loop, rel=1e-12)
    num = eval_numerical_gradient(lambda w: l1_penalty(w, 0.7)[0], W.copy(), verbose=False)
    assert rel_error(dW, num) < 1e-7


def test_l1_subgradient_is_zero_at_zero():
    _, dW = l1_penalty(np.array([-2.0, 0.0, 3.0]), 0.5)
    assert dW.tolist() == [-0.5, 0.0, 0.5]


def test_elastic_net_is_sum_of_l1_and_l2():
    W = weights(seed=2)
    loss, dW = elastic_net_penalty(W, 0.2, 0.9)
    loop = sum(0.2 * abs(w) + 0.5 * 0.9 * w * w for w in W.ravel())
    assert loss == pytest.approx(loop, rel=1e-12)
    num = eval_numerical_gradient(lambda w: elastic_net_penalty(w, 0.2, 0.9)[0], W.copy(), verbose=False)
    assert rel_error(dW, num) < 1e-7


def test_penalties_accept_any_shape_and_zero_reg():
    for W in (weights((7,)), weights((2, 3, 4))):
        for fn in (l2_penalty, l1_penalty):
            loss, dW = fn(W, 0.0)
            assert loss == 0.0 and dW.shape == W.shape and not dW.any()


def test_l2_weight_decay_shrinks_linearly():
    # A gradient step on the L2 penalty alone: W <- W - lr * reg * W.
    W = weights(seed=3)
    _, dW = l2_penalty(W, 0.1)
    assert np.allclose(W - 0.5 * dW, (1 - 0.05) * W)


def test_penalty_validation():
    W = weights()
    for bad in (-1.0, np.nan, np.inf, "0.1", np.array([0.1, 0.2])):
        with pytest.raises(ValueError, match="reg must be a finite number >= 0"):
            l2_penalty(W, bad)
        with pytest.raises(ValueError, match="reg must be a finite number >= 0"):
            l1_penalty(W, bad)
    with pytest.raises(ValueError, match="NaN"):
        l2_penalty(np.array([1.0, np.nan]), 0.1)


# ----------------------------------------------------------------- max norm
def test_max_norm_matches_loop():
    W = weights((6, 5), scale=2.0)
    c = 3.0
    out = max_norm(W, c)
    for j in range(W.shape[1]):
        col = W[:, j]
        norm = np.sqrt(sum(v * v for v in col))
        expected = col * (c / norm) if norm > c else col
        assert np.allclose(out[:, j], expected)
    assert np.all(np.linalg.norm(out, axis=0) <= c + 1e-12)


def test_max_norm_returns_new_array_and_leaves_small_columns_alone():
    W = np.array([[3.0, 0.1, 0.0], [4.0, 0.2, 0.0]])      # column norms 5, ~0.22, 0
    before = W.copy()
    out = max_norm(W, 4.0)
    assert out is not W and np.array_equal(W, before)
    assert np.allclose(out[:, 0], [2.4, 3.2])
    assert np.array_equal(out[:, 1:], W[:, 1:])


def test_max_norm_validation():
    with pytest.raises(ValueError, match="2-D"):
        max_norm(np.ones(3), 1.0)
    for bad in (0.0, -1.0, np.inf):
        with pytest.raises(ValueError, match="c must be a finite number > 0"):
            max_norm(np.ones((2, 2)), bad)


# ------------------------------------------------------------------ dropout
def test_dropout_statistics():
    x = np.random.default_rng(0).uniform(1, 2, size=(500, 400))
    for p in (0.25, 0.5, 0.8):
        out, _ = dropout_forward(x, p, "train", seed=1)
        kept = out != 0
        assert abs(kept.mean() - p) < 0.01                  # 200,000 draws: sd ~ 0.001
        assert np.allclose(out[kept], x[kept] / p)           # kept units scaled by 1/p
        assert abs(out.mean() / x.mean() - 1) < 0.01         # inverted: E[out] = x


def test_dropout_p_one_keeps_everything():
    x = np.random.default_rng(1).standard_normal((4, 5))
    out, _ = dropout_forward(x, 1.0, "train", seed=0)
    assert np.array_equal(out, x)


def test_dropout_test_mode_is_identity():
    x = np.random.default_rng(1).standard_normal((4, 5))
    out, cache = dropout_forward(x, 0.3, "test", seed=0)
    assert np.array_equal(out, x)
    dout = np.random.default_rng(2).standard_normal((4, 5))
    assert np.array_equal(dropout_backward(dout, cache), dout)


def test_dropout_seed_reproducible_and_generator_accepted():
    x = np.ones((50, 60))
    a, _ = dropout_forward(x, 0.5, "train", seed=123)
    b, _ = dropout_forward(x, 0.5, "train", seed=123)
    c, _ = dropout_forward(x, 0.5, "train", seed=124)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    g1, g2 = np.random.default_rng(7), np.random.default_rng(7)
    assert np.array_equal(dropout_forward(x, 0.5, "train", seed=g1)[0],
                          dropout_forward(x, 0.5, "train", seed=g2)[0])
    # A generator advances: two calls with the same generator give two masks.
    assert not np.array_equal(dropout_forward(x, 0.5, "train", seed=g1)[0],
                              dropout_forward(x, 0.5, "train", seed=g1)[0])


def test_dropout_backward_uses_forward_mask_and_gradient_check():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 7))
    dout = rng.standard_normal((6, 7))
    out, cache = dropout_forward(x, 0.6, "train", seed=5)
    dx = dropout_backward(dout, cache)
    kept = out != 0
    assert np.array_equal(dx == 0, ~kept)                    # same units dropped
    assert np.allclose(dx[kept], dout[kept] / 0.6)
    # Fixed mask (same seed every call) makes the forward pass a fixed function.
    num = eval_numerical_gradient_array(lambda z: dropout_forward(z, 0.6, "train", seed=5)[0], x.copy(), dout)
    assert rel_error(dx, num) < 1e-8


def test_dropout_does_not_modify_input_and_validates():
    x = np.random.default_rng(4).standard_normal((3, 4))
    before = x.copy()
    dropout_forward(x, 0.5, "train", seed=0)
    dropout_forward(x, 0.5, "test")
    assert np.array_equal(x, before)
    for bad in (0.0, -0.1, 1.5, np.nan):
        with pytest.raises(ValueError, match=r"KEEPING .* \(0, 1\]"):
            dropout_forward(x, bad, "train")
    with pytest.raises(ValueError, match="mode must be 'train' or 'test'"):
        dropout_forward(x, 0.5, "eval")
    with pytest.raises(ValueError, match="NaN"):
        dropout_forward(np.array([np.nan]), 0.5, "train")


def test_dropout_stable_at_1e3():
    x = 1e3 * np.random.default_rng(5).standard_normal((10, 10))
    with np.errstate(**UNSTABLE):
        out, cache = dropout_forward(x, 0.3, "train", seed=0)
        dx = dropout_backward(np.ones_like(x), cache)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dx))


# -------------------------------------------------------------- DropConnect
def dropconnect_data(seed=0, N=5, D=4, H=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, D)), rng.standard_normal((D, H)), rng.standard_normal(H)


def test_dropconnect_matches_loop_with_its_mask():
    x, W, b = dropconnect_data()
    out, cache = dropconnect_forward(x, W, b, 0.5, "train", seed=3)
    # Recover the mask from the gradient of a single output: dW = x.T @ dout * mask.
    _, dW, _ = dropconnect_backward(np.ones_like(out), cache)
    mask = (dW != 0) / 0.5
    for i in range(x.shape[0]):
        for h in range(W.shape[1]):
            expected = b[h] + sum(x[i, d] * W[d, h] * mask[d, h] for d in range(W.shape[0]))
            assert out[i, h] == pytest.approx(expected, rel=1e-12)


def test_dropconnect_test_mode_is_plain_affine():
    x, W, b = dropconnect_data(seed=1)
    out, cache = dropconnect_forward(x, W, b, 0.3, "test", seed=0)
    assert np.allclose(out, x @ W + b, rtol=0, atol=1e-14)
    dout = np.random.default_rng(2).standard_normal(out.shape)
    dx, dW, db = dropconnect_backward(dout, cache)
    assert np.allclose(dx, dout @ W.T) and np.allclose(dW, x.T @ dout) and np.allclose(db, dout.sum(0))


def test_dropconnect_statistics():
    # E over masks of the output equals the test-time output x @ W + b.
    x, W, b = dropconnect_data(seed=2, N=3, D=50, H=40)
    outs = [dropconnect_forward(x, W, b, 0.5, "train", seed=s)[0] for s in range(400)]
    spread = np.std(outs, axis=0) / np.sqrt(len(outs))
    assert np.all(np.abs(np.mean(outs, axis=0) - (x @ W + b)) < 5 * spread + 1e-12)
    # The fraction of weights kept is p.
    _, cache = dropconnect_forward(np.ones((1, 300)), np.ones((300, 200)), np.zeros(200), 0.3, "train", seed=9)
    _, dW, _ = dropconnect_backward(np.ones((1, 200)), cache)
    assert abs(np.mean(dW != 0) - 0.3) < 0.01


def test_dropconnect_seed_and_gradients_with_fixed_mask():
    x, W, b = dropconnect_data(seed=3)
    out1, cache = dropconnect_forward(x, W, b, 0.7, "train", seed=11)
    out2, _ = dropconnect_forward(x, W, b, 0.7, "train", seed=11)
    assert np.array_equal(out1, out2)
    dout = np.random.default_rng(4).standard_normal(out1.shape)
    dx, dW, db = dropconnect_backward(dout, cache)
    fwd = lambda x_, W_, b_: dropconnect_forward(x_, W_, b_, 0.7, "train", seed=11)[0]
    num_dx = eval_numerical_gradient_array(lambda z: fwd(z, W, b), x.copy(), dout)
    num_dW = eval_numerical_gradient_array(lambda z: fwd(x, z, b), W.copy(), dout)
    num_db = eval_numerical_gradient_array(lambda z: fwd(x, W, z), b.copy(), dout)
    assert rel_error(dx, num_dx) < 1e-8
    assert rel_error(dW, num_dW) < 1e-8
    assert rel_error(db, num_db) < 1e-8


def test_dropconnect_validation_and_no_mutation():
    x, W, b = dropconnect_data()
    copies = [a.copy() for a in (x, W, b)]
    dropconnect_forward(x, W, b, 0.5, "train", seed=0)
    assert all(np.array_equal(a, c) for a, c in zip((x, W, b), copies))
    with pytest.raises(ValueError, match=r"expected x \(N, D\), W \(D, H\), b \(H,\)"):
        dropconnect_forward(x, W.T, b, 0.5, "train")
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        dropconnect_forward(x, W, b, 0.0, "train")
    with pytest.raises(ValueError, match="mode"):
        dropconnect_forward(x, W, b, 0.5, "training")
