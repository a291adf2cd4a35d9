"""Variants of the graded functions of 03_architectures (see cs231n_course/variants.py).

Each `wrong` variant is a mistake students plausibly make; the autograder
must take points away. Each `right` variant computes the same maths another
way; it must get full marks. They run in the notebook's namespace, so `np`
and the notebook's own functions (e.g. `affine_forward`) are available.
"""
from dataclasses import dataclass

import numpy as np

from cs231n_course.variants import right, wrong


# --- count_parameters ------------------------------------------------------


@wrong("count_parameters", "total counts the weights only, forgetting the biases")
def count_parameters_no_biases(layer_sizes):
    sizes = list(layer_sizes)
    neurons = sum(sizes[1:])
    weights = sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    return neurons, weights, neurons, weights


@wrong("count_parameters", "folds the biases into the weights: (n_in + 1) * n_out weights per layer")
def count_parameters_bias_in_weights(layer_sizes):
    sizes = list(layer_sizes)
    neurons = sum(sizes[1:])
    weights = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    return neurons, weights, neurons, weights + neurons


@wrong("count_parameters", "multiplies all layer sizes together instead of adjacent pairs")
def count_parameters_product(layer_sizes):
    sizes = list(layer_sizes)
    neurons = sum(sizes[1:])
    weights = int(np.prod(sizes))
    return neurons, weights, neurons, weights + neurons


@right("count_parameters", "NumPy: a dot product of the sizes shifted by one")
def count_parameters_numpy(layer_sizes):
    s = np.array(layer_sizes, dtype=np.int64)
    neurons = int(s[1:].sum())
    weights = int(s[:-1] @ s[1:])
    return neurons, weights, neurons, weights + neurons


@right("count_parameters", "an explicit loop over the layers, accumulating")
def count_parameters_loop(layer_sizes):
    neurons = weights = 0
    previous = None
    for n in layer_sizes:
        if previous is not None:
            neurons += n
            weights += previous * n
        previous = n
    return neurons, weights, neurons, neurons + weights


# --- affine_forward --------------------------------------------------------

@wrong("affine_forward", "forgets the bias")
def affine_forward_no_bias(x, w, b):
    out = x.reshape(x.shape[0], -1) @ w
    return out, (x, w, b)


@wrong("affine_forward", "does not flatten the examples: x @ w fails for (N, d1, d2) inputs")
def affine_forward_no_flatten(x, w, b):
    out = x @ w + b
    return out, (x, w, b)


@wrong("affine_forward", "applies a ReLU: thinks a layer includes its activation")
def affine_forward_relu(x, w, b):
    out = np.maximum(0.0, x.reshape(x.shape[0], -1) @ w + b)
    return out, (x, w, b)


@wrong("affine_forward", "flattens in the wrong order: reshape(D, N).T mixes the examples")
def affine_forward_wrong_flatten(x, w, b):
    N = x.shape[0]
    out = x.reshape(-1, N).T @ w + b
    return out, (x, w, b)


@right("affine_forward", "np.dot with an explicit D and a broadcast bias row")
def affine_forward_dot(x, w, b):
    D = int(np.prod(x.shape[1:]))
    out = np.dot(x.reshape(x.shape[0], D), w) + b[None, :]
    return out, (x, w, b)


@right("affine_forward", "einsum over the flattened examples")
def affine_forward_einsum(x, w, b):
    out = np.einsum("nd,dm->nm", x.reshape(len(x), -1), w) + b
    return out, (x, w, b)


# --- affine_backward -------------------------------------------------------

@wrong("affine_backward", "averages db over the examples instead of summing")
def affine_backward_mean_db(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    return dx, dw, dout.mean(axis=0)


@wrong("affine_backward", "does not reshape dx back to the shape of x")
def affine_backward_flat_dx(dout, cache):
    x, w, b = cache
    dx = dout @ w.T
    dw = x.reshape(x.shape[0], -1).T @ dout
    return dx, dw, dout.sum(axis=0)


@wrong("affine_backward", "dw transposed: dout^T x has shape (M, D)")
def affine_backward_dw_transposed(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = dout.T @ x.reshape(x.shape[0], -1)
    return dx, dw, dout.sum(axis=0)


@wrong("affine_backward", "divides the weight gradients by N (as if the layer averaged)")
def affine_backward_divided(dout, cache):
    x, w, b = cache
    N = x.shape[0]
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(N, -1).T @ dout / N
    return dx, dw, dout.sum(axis=0) / N


@right("affine_backward", "einsum for every gradient")
def affine_backward_einsum(dout, cache):
    x, w, b = cache
    x2 = x.reshape(x.shape[0], -1)
    dx = np.einsum("nm,dm->nd", dout, w).reshape(x.shape)
    dw = np.einsum("nd,nm->dm", x2, dout)
    db = np.einsum("nm->m", dout)
    return dx, dw, db


@right("affine_backward", "np.dot and np.sum, flattening with np.prod")
def affine_backward_dot(dout, cache):
    x, w, b = cache
    D = int(np.prod(x.shape[1:]))
    dx = np.reshape(np.dot(dout, w.T), x.shape)
    dw = np.dot(np.reshape(x, (x.shape[0], D)).T, dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db


# --- affine_forward/backward with other kinds of cache -----------------------
# The cache is the student's business (any value their backward can read); a
# forward pass that changes its kind brings its backward pass (``also``).

def affine_backward_list(dout, cache):
    x_flat, shape, w = cache
    return (dout @ w.T).reshape(shape), x_flat.T @ dout, dout.sum(axis=0)


@right("affine_forward", "cache is a list [flattened x, x's shape, w], with its backward",
       also={"affine_backward": affine_backward_list})
def affine_forward_list(x, w, b):
    x_flat = x.reshape(x.shape[0], -1)
    return x_flat @ w + b, [x_flat, x.shape, w]


@dataclass
class AffineCache:
    x: np.ndarray
    w: np.ndarray


def affine_backward_dataclass(dout, cache):
    x, w = cache.x, cache.w
    return (dout @ w.T).reshape(x.shape), x.reshape(len(x), -1).T @ dout, dout.sum(axis=0)


@right("affine_forward", "cache is a @dataclass (x, w), with its backward",
       helpers=["from dataclasses import dataclass", AffineCache], also={"affine_backward": affine_backward_dataclass})
def affine_forward_dataclass(x, w, b):
    return x.reshape(len(x), -1) @ w + b, AffineCache(x=x, w=w)


# --- mlp_forward -----------------------------------------------------------


@wrong("mlp_forward", "ignores the activation argument: always ReLU")
def mlp_forward_always_relu(X, params, activation="relu"):
    h = X
    for i, (W, b) in enumerate(params):
        h = h @ W + b
        if i < len(params) - 1:
            h = np.maximum(0.0, h)
    return h


@wrong("mlp_forward", "the textbook sigmoid 1 / (1 + exp(-z)) overflows for z = -1000")
def mlp_forward_naive_sigmoid(X, params, activation="relu"):
    f = {"relu": lambda z: np.maximum(0.0, z), "tanh": np.tanh,
         "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
         "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z)}[activation]
    h = X
    for i, (W, b) in enumerate(params):
        h = h @ W + b
        if i < len(params) - 1:
            h = f(h)
    return h


@wrong("mlp_forward", "forgets the biases")
def mlp_forward_no_bias(X, params, activation="relu"):
    f = {"relu": lambda z: np.maximum(0.0, z), "tanh": np.tanh,
         "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),
         "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z)}[activation]
    h = X
    for i, (W, b) in enumerate(params):
        h = h @ W
        if i < len(params) - 1:
            h = f(h)
    return h


@wrong("mlp_forward", "leaky ReLU with slope 0.1 instead of 0.01")
def mlp_forward_leaky_slope(X, params, activation="relu"):
    f = {"relu": lambda z: np.maximum(0.0, z), "tanh": np.tanh,
         "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),
         "leaky_relu": lambda z: np.where(z > 0, z, 0.1 * z)}[activation]
    h = X
    for i, (W, b) in enumerate(params):
        h = h @ W + b
        if i < len(params) - 1:
            h = f(h)
    return h


@right("mlp_forward", "hidden layers in a loop, the output layer after it, through the notebook's affine_forward")
def mlp_forward_affine(X, params, activation="relu"):
    from scipy.special import expit
    if activation == "relu":
        f = lambda z: z * (z > 0)
    elif activation == "tanh":
        f = np.tanh
    elif activation == "sigmoid":
        f = expit
    elif activation == "leaky_relu":
        f = lambda z: np.maximum(z, 0.01 * z)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    h = X
    for W, b in params[:-1]:
        h = f(affine_forward(h, W, b)[0])
    W, b = params[-1]
    return affine_forward(h, W, b)[0]


@right("mlp_forward", "recursion on the list of layers, sigmoid via logaddexp")
def mlp_forward_recursive(X, params, activation="relu"):
    fs = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh,
          "sigmoid": lambda z: np.exp(-np.logaddexp(0.0, -z)),
          "leaky_relu": lambda z: np.where(z >= 0, z, 0.01 * z)}
    W, b = params[0]
    scores = np.dot(X, W) + b
    if len(params) == 1:
        return scores
    return mlp_forward(fs[activation](scores), params[1:], activation)


# --- bump_sum --------------------------------------------------------------

@wrong("bump_sum", "averages the bumps instead of summing them")
def bump_sum_mean(x, a, b, c):
    inside = (a < x[:, None]) & (x[:, None] < b)
    return np.mean(inside * c, axis=1)


@wrong("bump_sum", "forgets the heights: counts the bumps containing x")
def bump_sum_count(x, a, b, c):
    inside = (a < x[:, None]) & (x[:, None] < b)
    return inside.sum(axis=1).astype(float)


@wrong("bump_sum", "takes the highest bump instead of the sum where bumps overlap")
def bump_sum_max(x, a, b, c):
    inside = (a < x[:, None]) & (x[:, None] < b)
    return np.max(inside * c, axis=1)


@wrong("bump_sum", "'or' instead of 'and': a_i < x or x < b_i holds almost everywhere")
def bump_sum_or(x, a, b, c):
    inside = (a < x[:, None]) | (x[:, None] < b)
    return inside @ c


@wrong("bump_sum", "sums over the points instead of over the bumps")
def bump_sum_wrong_axis(x, a, b, c):
    inside = (a < x[:, None]) & (x[:, None] < b)
    return np.sum(inside * c, axis=0)


@right("bump_sum", "a loop over the bumps (not the points) with np.where")
def bump_sum_loop(x, a, b, c):
    g = np.zeros(len(x))
    for a_i, b_i, c_i in zip(a, b, c):
        g = g + np.where((x > a_i) & (x < b_i), c_i, 0.0)
    return g


@right("bump_sum", "logical_and of broadcast comparisons, einsum with float indicators")
def bump_sum_einsum(x, a, b, c):
    X = x.reshape(-1, 1)
    inside = np.logical_and(X > a.reshape(1, -1), X < b.reshape(1, -1)).astype(np.float64)
    return np.einsum("nk,k->n", inside, c)
