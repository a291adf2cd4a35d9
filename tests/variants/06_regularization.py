"""Variants of the graded functions of 06_regularization (see cs231n_course/variants.py).

Each `wrong` variant is a mistake students plausibly make; the autograder
must take points away. Each `right` variant computes the same maths another
way; it must get full marks. The random functions have right variants that
draw their numbers differently from the reference (another generator,
another method): the tests grade statistics and self-consistency only, so
they must get full marks too. Variants run in the notebook's namespace, so
`np` and the notebook's own functions are available.
"""
import numpy as np

from cs231n_course.variants import right, wrong


# --- l2_penalty ------------------------------------------------------------


@wrong("l2_penalty", "no 0.5 in the loss")
def l2_penalty_no_half(W, reg):
    return reg * np.sum(W * W), reg * W


@wrong("l2_penalty", "the L2 norm instead of its square")
def l2_penalty_norm(W, reg):
    norm = np.sqrt(np.sum(W * W))
    return 0.5 * reg * norm, 0.5 * reg * W / norm


@wrong("l2_penalty", "mean of the squares instead of their sum")
def l2_penalty_mean(W, reg):
    return 0.5 * reg * np.mean(W * W), reg * W / W.size


@right("l2_penalty", "dot product of the flattened weights")
def l2_penalty_dot(W, reg):
    w = np.ravel(W).astype(float)
    return 0.5 * reg * float(w @ w), reg * np.asarray(W, dtype=float)


@right("l2_penalty", "np.linalg.norm squared")
def l2_penalty_linalg(W, reg):
    W = np.asarray(W, dtype=float)
    return reg * np.linalg.norm(W.ravel()) ** 2 / 2, W * reg


# --- l1_penalty ------------------------------------------------------------

@wrong("l1_penalty", "gradient reg * W (the L2 gradient) instead of reg * sign(W)")
def l1_penalty_no_sign(W, reg):
    return reg * np.sum(np.abs(W)), reg * W


@wrong("l1_penalty", "gradient reg * |W| (sign lost)")
def l1_penalty_abs_grad(W, reg):
    return reg * np.sum(np.abs(W)), reg * np.abs(W)


@wrong("l1_penalty", "sum of W instead of |W|")
def l1_penalty_no_abs(W, reg):
    return reg * np.sum(W), reg * np.ones_like(W)


@wrong("l1_penalty", "0.5 copied from the L2 penalty")
def l1_penalty_half(W, reg):
    return 0.5 * reg * np.sum(np.abs(W)), 0.5 * reg * np.sign(W)


@right("l1_penalty", "np.where for the sign")
def l1_penalty_where(W, reg):
    W = np.asarray(W, dtype=float)
    sign = np.where(W > 0, 1.0, np.where(W < 0, -1.0, 0.0))
    return reg * float(np.sum(sign * W)), reg * sign


@right("l1_penalty", "W / |W| with zeros handled, and the L1 norm of the flattened weights")
def l1_penalty_ratio(W, reg):
    W = np.asarray(W, dtype=float)
    a = np.abs(W)
    grad = np.divide(W, a, out=np.zeros_like(W), where=a > 0)
    return reg * np.linalg.norm(W.ravel(), 1), reg * grad


# --- elastic_net_penalty ---------------------------------------------------

@wrong("elastic_net_penalty", "no 0.5 on the L2 part (the notes' lambda_2 w^2 literally)")
def elastic_net_penalty_no_half(W, l1, l2):
    return l1 * np.sum(np.abs(W)) + l2 * np.sum(W * W), l1 * np.sign(W) + 2 * l2 * W


@wrong("elastic_net_penalty", "strengths swapped")
def elastic_net_penalty_swapped(W, l1, l2):
    loss1, dW1 = l1_penalty(W, l2)
    loss2, dW2 = l2_penalty(W, l1)
    return loss1 + loss2, dW1 + dW2


@wrong("elastic_net_penalty", "adds the losses but returns only the L2 gradient")
def elastic_net_penalty_l2_grad(W, l1, l2):
    loss1, _ = l1_penalty(W, l1)
    loss2, dW2 = l2_penalty(W, l2)
    return loss1 + loss2, dW2


@right("elastic_net_penalty", "written out directly")
def elastic_net_penalty_direct(W, l1, l2):
    W = np.asarray(W, dtype=float)
    return l1 * np.abs(W).sum() + 0.5 * l2 * (W ** 2).sum(), l1 * np.sign(W) + l2 * W


@right("elastic_net_penalty", "one elementwise penalty array, summed")
def elastic_net_penalty_elementwise(W, l1, l2):
    W = np.asarray(W, dtype=float)
    per_weight = l1 * np.abs(W) + 0.5 * l2 * W * W
    return float(per_weight.sum()), l1 * np.sign(W) + l2 * W


# --- max_norm --------------------------------------------------------------


@wrong("max_norm", "rescales every column to norm c, also the short ones")
def max_norm_always(W, c):
    norms = np.sqrt(np.sum(W * W, axis=0, keepdims=True))
    return W * c / np.maximum(norms, 1e-12)


@wrong("max_norm", "clips every weight to [-c, c] instead of the norm")
def max_norm_clip(W, c):
    return np.clip(W, -c, c)


@wrong("max_norm", "modifies W in place")
def max_norm_in_place(W, c):
    norms = np.sqrt(np.sum(W * W, axis=0))
    big = norms > c
    W[:, big] *= c / norms[big]
    return W


@wrong("max_norm", "scales by c / norm everywhere with np.minimum: 0/0 for a zero column")
def max_norm_divide(W, c):
    norms = np.linalg.norm(W, axis=0)
    return W * np.minimum(1.0, c / norms)


@right("max_norm", "boolean mask of the too-long columns")
def max_norm_mask(W, c):
    W = np.array(W, dtype=float)                       # a copy
    norms = np.linalg.norm(W, axis=0)
    big = norms > c
    W[:, big] = W[:, big] * (c / norms[big])
    return W


@right("max_norm", "transpose, clamp the rows, transpose back")
def max_norm_transpose(W, c):
    Wt = np.asarray(W, dtype=float).T
    norms = np.sqrt(np.einsum("hd,hd->h", Wt, Wt))
    factor = np.where(norms > c, c / np.where(norms > c, norms, 1.0), 1.0)
    return (Wt * factor[:, None]).T


# --- dropout_forward -------------------------------------------------------

@wrong("dropout_forward", "vanilla dropout: no 1/p scaling of the kept units")
def dropout_forward_no_scale(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    if mode == "test":
        return x.copy(), (p, mode, None)
    mask = (np.random.default_rng(seed).random(x.shape) < p).astype(float)
    return x * mask, (p, mode, mask)


@wrong("dropout_forward", "takes p as the probability of DROPPING a unit")
def dropout_forward_drop_prob(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    if mode == "test":
        return x.copy(), (p, mode, None)
    mask = (np.random.default_rng(seed).random(x.shape) >= p) / p
    return x * mask, (p, mode, mask)


@wrong("dropout_forward", "drops units at test time too")
def dropout_forward_test_active(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    mask = (np.random.default_rng(seed).random(x.shape) < p) / p
    return x * mask, (p, "train", mask)


@wrong("dropout_forward", "inverted in training and ALSO scaled by p at test time")
def dropout_forward_test_scaled(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    if mode == "test":
        return p * x, (p, mode, None)
    mask = (np.random.default_rng(seed).random(x.shape) < p) / p
    return x * mask, (p, mode, mask)


@wrong("dropout_forward", "ignores the seed (np.random global state): the same seed gives different masks")
def dropout_forward_no_seed(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    if mode == "test":
        return x.copy(), (p, mode, None)
    mask = (np.random.rand(*x.shape) < p) / p
    return x * mask, (p, mode, mask)


@right("dropout_forward", "legacy np.random.RandomState(seed).rand: another random stream")
def dropout_forward_randomstate(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    if mode == "test":
        return x.copy(), (p, mode, None)
    mask = (np.random.RandomState(seed).rand(*x.shape) < p) / p
    return x * mask, (p, mode, mask)


@right("dropout_forward", "Generator.binomial for the mask, x / p for the kept units")
def dropout_forward_binomial(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    if mode == "test":
        return np.array(x), (p, mode, None)
    keep = np.random.default_rng(seed).binomial(1, p, size=x.shape)
    mask = keep / p
    return np.where(keep == 1, x / p, 0.0), (p, mode, mask)


@right("dropout_forward", "Generator.uniform drawn in another order (transposed)")
def dropout_forward_uniform(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    if mode == "test":
        return x + 0.0, (p, mode, None)
    u = np.random.default_rng(seed).uniform(0.0, 1.0, size=x.shape[::-1]).T
    mask = np.where(u < p, 1.0 / p, 0.0)
    return x * mask, (p, mode, mask)


@right("dropout_forward", "a Philox generator (not PCG64) and one flat draw reshaped: another random stream")
def dropout_forward_philox(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    if mode == "test":
        return x.copy(), (p, mode, None)
    u = np.random.Generator(np.random.Philox(seed)).random(x.size).reshape(x.shape)
    mask = (u < p) / p
    return x * mask, (p, mode, mask)


# --- dropout_backward ------------------------------------------------------


@wrong("dropout_backward", "ignores the mask: dout / p everywhere")
def dropout_backward_no_mask(dout, cache):
    p, mode, mask = cache
    if mode == "test":
        return np.array(dout, dtype=float)
    return dout / p


@wrong("dropout_backward", "draws a new mask instead of using the forward's")
def dropout_backward_new_mask(dout, cache):
    p, mode, mask = cache
    if mode == "test":
        return np.array(dout, dtype=float)
    new_mask = (np.random.default_rng(12345).random(np.shape(dout)) < p) / p
    return dout * new_mask


@wrong("dropout_backward", "multiplies by p instead of dividing")
def dropout_backward_times_p(dout, cache):
    p, mode, mask = cache
    if mode == "test":
        return np.array(dout, dtype=float)
    return dout * (mask > 0) * p


@right("dropout_backward", "np.where on the kept units")
def dropout_backward_where(dout, cache):
    p, mode, mask = cache
    dout = np.asarray(dout, dtype=float)
    if mode == "test":
        return dout.copy()
    return np.where(mask != 0, dout / p, 0.0)


@right("dropout_backward", "np.multiply into a fresh array; the identity mask in test mode")
def dropout_backward_multiply(dout, cache):
    p, mode, mask = cache
    m = np.ones(np.shape(dout)) if mask is None else mask
    return np.multiply(dout, m)


# --- dropout forward/backward pairs with other kinds of cache ----------------
# The cache is the student's business; a forward pass that changes its kind
# brings its backward pass (``also``).

def dropout_backward_closure(dout, cache):
    return dout * cache()


@right("dropout_forward", "cache is a closure returning the mask (ones in test mode), with its backward; "
                          "mask drawn by integers against a threshold",
       also={"dropout_backward": dropout_backward_closure})
def dropout_forward_closure(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    if mode == "test":
        return x.copy(), lambda: 1.0
    mask = (np.random.default_rng(seed).integers(0, 2**53, size=x.shape) < p * 2**53) / p

    def the_mask():
        return mask

    return x * mask, the_mask


def dropout_backward_namedtuple(dout, cache):
    dout = np.asarray(dout, dtype=float)
    return dout.copy() if cache.mode == "test" else dout * cache.keep / cache.p


@right("dropout_forward", "cache is a collections.namedtuple (p, mode, keep), with its backward; "
                          "a generator spawned from default_rng(seed)",
       helpers=["import collections\nDropoutCache = collections.namedtuple('DropoutCache', 'p mode keep')"],
       also={"dropout_backward": dropout_backward_namedtuple})
def dropout_forward_namedtuple(x, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    if mode == "test":
        return x.copy(), DropoutCache(p, mode, None)
    keep = np.random.default_rng(seed).spawn(1)[0].random(x.shape) < p
    return np.where(keep, x / p, 0.0), DropoutCache(p, mode, keep)


# --- dropconnect_forward ---------------------------------------------------

@wrong("dropconnect_forward", "kept weights not scaled by 1/p")
def dropconnect_forward_no_scale(x, W, b, p, mode, seed=None):
    if mode == "test":
        mask = np.ones_like(W, dtype=float)
    else:
        mask = (np.random.default_rng(seed).random(W.shape) < p).astype(float)
    W_used = W * mask
    return x @ W_used + b, (x, W_used, mask)


@wrong("dropconnect_forward", "scales the weights by p at test time as well")
def dropconnect_forward_test_scaled(x, W, b, p, mode, seed=None):
    if mode == "test":
        mask = np.full(W.shape, p)
    else:
        mask = (np.random.default_rng(seed).random(W.shape) < p) / p
    W_used = W * mask
    return x @ W_used + b, (x, W_used, mask)


@wrong("dropconnect_forward", "drops and scales the bias too")
def dropconnect_forward_bias(x, W, b, p, mode, seed=None):
    if mode == "test":
        return x @ W + b, (x, W, np.ones_like(W))
    rng = np.random.default_rng(seed)
    mask = (rng.random(W.shape) < p) / p
    b_mask = (rng.random(b.shape) < p) / p
    return x @ (W * mask) + b * b_mask, (x, W * mask, mask)


@wrong("dropconnect_forward", "takes p as the probability of dropping a weight")
def dropconnect_forward_drop_prob(x, W, b, p, mode, seed=None):
    if mode == "test":
        return x @ W + b, (x, W, np.ones_like(W))
    mask = (np.random.default_rng(seed).random(W.shape) >= p) / p
    return x @ (W * mask) + b, (x, W * mask, mask)


@right("dropconnect_forward", "np.random.RandomState(seed) and a boolean mask")
def dropconnect_forward_randomstate(x, W, b, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    W = np.asarray(W, dtype=float)
    if mode == "test":
        return x @ W + b, (x, W, np.ones_like(W))
    keep = np.random.RandomState(seed).rand(*W.shape) < p
    W_used = np.where(keep, W / p, 0.0)
    return x @ W_used + b, (x, W_used, keep / p)


@right("dropconnect_forward", "one weight mask per example, as in the DropConnect paper")
def dropconnect_forward_per_example(x, W, b, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    W = np.asarray(W, dtype=float)
    if mode == "test":
        return x @ W + b, (x, W, None)
    masks = np.random.default_rng(seed).binomial(1, p, size=(x.shape[0],) + W.shape) / p
    out = np.einsum("nd,ndh->nh", x, W * masks) + b
    return out, (x, W, masks)


@right("dropconnect_forward", "binomial mask from a generator spawned off default_rng(seed), weights drawn transposed")
def dropconnect_forward_spawned(x, W, b, p, mode, seed=None):
    x = np.asarray(x, dtype=float)
    W = np.asarray(W, dtype=float)
    if mode == "test":
        return x @ W + b, (x, W, None)
    rng = np.random.default_rng(seed).spawn(1)[0]
    mask = rng.binomial(1, p, size=W.shape[::-1]).T / p
    W_used = W * mask
    return x @ W_used + b, (x, W_used, mask)
