"""Reference solutions for 06_regularization: controlling a network's capacity.

Part 2 of the notes, "Regularization":
- penalties added to the loss: L2 (0.5 * reg * w^2 for every weight), L1
  (reg * |w|) and their sum, the elastic net;
- max-norm constraints: after each update, clamp every unit's incoming weight
  vector to norm <= c;
- dropout: during training keep each unit with probability p (inverted dropout
  scales the kept units by 1/p so test time needs no change);
- DropConnect: the same idea applied to individual weights.

Shapes: a layer's weights W are (D, H), so column W[:, j] holds the incoming
weights of unit j; activations x are (N, D) or any shape for dropout.
Randomness goes through `seed`: an int, None, or an np.random.Generator.
"""
import numbers

import numpy as np


def _as_number(v):
    """v as a float, or None when v is not a single real number."""
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v.item()
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        return None
    return float(v)


def _check_reg(reg, name, arg="reg"):
    value = _as_number(reg)
    if value is None or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name}: {arg} must be a finite number >= 0; got {reg!r}")
    return value


def _check_array(x, name, arg):
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name}: {arg} contains NaN or inf")
    return x


def _check_p_mode(p, mode, name):
    value = _as_number(p)
    if value is None or not 0 < value <= 1:
        raise ValueError(f"{name}: p is the probability of KEEPING a unit and must be in (0, 1]; got {p!r}")
    if mode not in ("train", "test"):
        raise ValueError(f"{name}: mode must be 'train' or 'test'; got {mode!r}")
    return value


# ------------------------------------------------------------------ penalties
def l2_penalty(W, reg):
    """L2 regularization: loss = 0.5 * reg * sum(W**2), gradient reg * W.

    The 0.5 makes the gradient reg * W instead of 2 * reg * W, so a gradient
    step W -= lr * reg * W decays every weight linearly towards zero
    ("weight decay").

    Inputs: W, weights of any shape; reg >= 0, the regularization strength.
    Returns: (loss, dW): a float and an array shaped like W.
    """
    W = _check_array(W, "l2_penalty", "W")
    reg = _check_reg(reg, "l2_penalty")
    return float(0.5 * reg * np.sum(W * W)), reg * W


def l1_penalty(W, reg):
    """L1 regularization: loss = reg * sum(|W|), (sub)gradient reg * sign(W).

    |w| has a kink at 0; we use the subgradient 0 there (np.sign(0) = 0).
    L1 drives many weights to exactly zero (sparse weights).

    Inputs: W, weights of any shape; reg >= 0.
    Returns: (loss, dW): a float and an array shaped like W.
    """
    W = _check_array(W, "l1_penalty", "W")
    reg = _check_reg(reg, "l1_penalty")
    return float(reg * np.sum(np.abs(W))), reg * np.sign(W)


def elastic_net_penalty(W, l1, l2):
    """Elastic net: l1_penalty(W, l1) + l2_penalty(W, l2).

    loss = l1 * sum|W| + 0.5 * l2 * sum(W**2) (the notes write lambda_2 w^2; we
    keep the course's 0.5 on the L2 part), gradient l1 * sign(W) + l2 * W.

    Inputs: W, weights of any shape; l1 >= 0 and l2 >= 0, the two strengths.
    Returns: (loss, dW): a float and an array shaped like W.
    """
    loss1, dW1 = l1_penalty(W, l1)
    loss2, dW2 = l2_penalty(W, l2)
    return loss1 + loss2, dW1 + dW2


def max_norm(W, c):
    """Max-norm constraint: rescale every unit's incoming weights to norm <= c.

    W is (D, H) and column W[:, j] holds the incoming weights of unit j. A
    column whose L2 norm exceeds c is scaled down to norm exactly c; the other
    columns are returned unchanged. Apply it after each parameter update.

    Inputs: W (D, H); c > 0 (the notes suggest 3 or 4).
    Returns: a NEW (D, H) array; W itself is not modified.
    """
    W = _check_array(W, "max_norm", "W")
    if W.ndim != 2:
        raise ValueError(f"max_norm: W must be 2-D (D, H) with one column per unit; got shape {W.shape}")
    c_value = _as_number(c)
    if c_value is None or not np.isfinite(c_value) or c_value <= 0:
        raise ValueError(f"max_norm: c must be a finite number > 0; got {c!r}")
    c = c_value
    norms = np.sqrt(np.sum(W * W, axis=0))                  # (H,)
    scale = np.where(norms > c, c / np.maximum(norms, c), 1.0)
    return W * scale


# -------------------------------------------------------------------- dropout
def dropout_forward(x, p, mode, seed=None):
    """Inverted dropout, forward pass.

    Training: each unit is kept with probability p and dropped (set to 0)
    otherwise, and the kept units are divided by p:
        mask = (rand(*x.shape) < p) / p;  out = x * mask
    so E[out] = x and the test-time forward pass needs no scaling.
    Test: out is x unchanged (a float64 copy).

    Inputs:
    - x: activations, any shape (usually (N, H))
    - p: probability of KEEPING a unit, in (0, 1]
    - mode: "train" or "test"
    - seed: int, None or np.random.Generator, the source of randomness
    Returns (out, cache): out shaped like x; cache for dropout_backward.
    """
    x = _check_array(x, "dropout_forward", "x")
    p = _check_p_mode(p, mode, "dropout_forward")
    if mode == "test":
        return x.copy(), (p, mode, None)
    rng = np.random.default_rng(seed)
    mask = (rng.random(x.shape) < p) / p                   # 0 or 1/p
    return x * mask, (p, mode, mask)


def dropout_backward(dout, cache):
    """Inverted dropout, backward pass: dx = dout * mask (the forward's mask).

    Inputs: dout, upstream gradient shaped like the forward's x; cache from
    dropout_forward. Returns: dx shaped like dout (a copy of dout in test mode).
    """
    p, mode, mask = cache
    dout = _check_array(dout, "dropout_backward", "dout")
    if mode == "test":
        return dout.copy()
    if dout.shape != mask.shape:
        raise ValueError(f"dropout_backward: dout has shape {dout.shape} but the forward input had {mask.shape}")
    return dout * mask


# ---------------------------------------------------------------- DropConnect
def dropconnect_forward(x, W, b, p, mode, seed=None):
    """DropConnect affine layer, forward pass (inverted, like dropout).

    Training: each weight is kept with probability p, and kept weights are
    scaled by 1/p, so E[W_used] = W:
        M = rand(D, H) < p;  W_used = W * M / p;  out = x @ W_used + b
    One mask is drawn per call and shared by the whole mini-batch (the paper
    draws one per example; sharing keeps this a single matrix product).
    Test: out = x @ W + b (the mean network; the paper instead averages
    sampled outputs, which the notes call handling the noise "numerically").

    Inputs:
    - x: (N, D) inputs; W: (D, H) weights; b: (H,) biases (never dropped)
    - p: probability of KEEPING a weight, in (0, 1]
    - mode: "train" or "test"; seed: int, None or np.random.Generator
    Returns (out, cache): out (N, H); cache for dropconnect_backward.
    """
    x = _check_array(x, "dropconnect_forward", "x")
    W = _check_array(W, "dropconnect_forward", "W")
    b = _check_array(b, "dropconnect_forward", "b")
    p = _check_p_mode(p, mode, "dropconnect_forward")
    if x.ndim != 2 or W.ndim != 2 or b.ndim != 1 or x.shape[1] != W.shape[0] or b.shape[0] != W.shape[1]:
        raise ValueError(f"dropconnect_forward: expected x (N, D), W (D, H), b (H,); "
                         f"got x {x.shape}, W {W.shape}, b {b.shape}")
    if mode == "test":
        mask = np.ones_like(W)
    else:
        rng = np.random.default_rng(seed)
        mask = (rng.random(W.shape) < p) / p               # 0 or 1/p
    W_used = W * mask
    out = x @ W_used + b
    return out, (x, W_used, mask)


def dropconnect_backward(dout, cache):
    """DropConnect affine layer, backward pass with the forward's weight mask.

    out = x @ (W * mask) + b, so
        dx = dout @ (W * mask).T,  dW = (x.T @ dout) * mask,  db = sum of dout over rows.
    Dropped weights get zero gradient. In test mode mask is all ones.

    Inputs: dout (N, H); cache from dropconnect_forward.
    Returns: (dx, dW, db) shaped (N, D), (D, H), (H,).
    """
    x, W_used, mask = cache
    dout = _check_array(dout, "dropconnect_backward", "dout")
    if dout.shape != (x.shape[0], W_used.shape[1]):
        raise ValueError(f"dropconnect_backward: dout must have shape {(x.shape[0], W_used.shape[1])}; "
                         f"got {dout.shape}")
    dx = dout @ W_used.T
    dW = (x.T @ dout) * mask
    db = np.sum(dout, axis=0)
    return dx, dW, db
