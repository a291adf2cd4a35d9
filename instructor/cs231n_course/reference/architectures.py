"""Reference solutions for 03_architectures: layers, sizes and capacity (Part 1 §3).

A regular neural network is a stack of fully-connected (affine) layers: every
neuron of one layer is connected to every neuron of the next, and neurons of
the same layer share no connections. The forward pass is repeated matrix
multiplications interwoven with an activation function; the output layer has
no activation (its outputs are the class scores).

Shapes follow the course conventions: a batch is rows, X (N, D); a layer has
weights W (D, M) and biases b (M,); out = X @ W + b. (The notes write one
example as a column, W1 x with W1 [4x3]; our W is the transpose, so a batch
of row vectors goes through with one product.)

A network's parameters are a list of (W, b) pairs, one per layer, input first.
"""
import numpy as np

from cs231n_support._engine import check_net
from cs231n_course.reference._arrays import as_float_array, has_nan
from cs231n_course.reference.activations import (
    leaky_relu_backward, leaky_relu_forward, relu_backward, relu_forward,
    sigmoid_backward, sigmoid_forward, tanh_backward, tanh_forward)

# The hidden-layer non-linearities mlp_forward accepts: name -> (forward, backward)
ACTIVATIONS = {
    "relu": (relu_forward, relu_backward),
    "tanh": (tanh_forward, tanh_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),   # alpha = 0.01
}


# ---------------------------------------------------------------- affine layer
def affine_forward(x, w, b):
    """Fully-connected (affine) layer: out = x @ w + b.

    Each example x[n] of shape (d_1, ..., d_k) is flattened to a vector of
    D = d_1 * ... * d_k numbers first (an image becomes one row of pixels).

    Inputs:
    - x: (N, d_1, ..., d_k) inputs
    - w: (D, M) weights; column w[:, m] holds the incoming weights of neuron m
    - b: (M,) biases
    Returns: (out, cache): out (N, M); cache = (x, w, b)
    """
    x, w, b = as_float_array(x), as_float_array(w), as_float_array(b)   # float32 kept, else float64
    if x.ndim < 2:
        raise ValueError(f"affine_forward: x must have shape (N, d_1, ..., d_k), one example per row; "
                         f"got shape {x.shape}")
    D = int(np.prod(x.shape[1:]))
    if w.ndim != 2 or w.shape[0] != D:
        raise ValueError(f"affine_forward: w must have shape (D, M) with D = {D} (the numbers per "
                         f"example of x {x.shape}); got {w.shape}")
    if b.shape != (w.shape[1],):
        raise ValueError(f"affine_forward: b must have shape ({w.shape[1]},), one bias per column of w; "
                         f"got {b.shape}")
    if has_nan(x):
        raise ValueError("affine_forward: x contains NaN")
    out = x.reshape(x.shape[0], D) @ w
    out += b                                # in place: one (N, M) array instead of two
    return out, (x, w, b)


def affine_backward(dout, cache):
    """Backward pass of the affine layer.

    With out = x w + b (x flattened to (N, D)):
        dx = dout w^T  (reshaped back to x's shape)
        dw = x^T dout
        db = sum over the N examples of dout

    Inputs:  dout, (N, M) upstream gradient; cache from affine_forward
    Returns: (dx, dw, db): shaped like x, (D, M) and (M,)
    """
    x, w, b = cache
    dout = as_float_array(dout)
    if dout.shape != (x.shape[0], w.shape[1]):
        raise ValueError(f"affine_backward: dout must have the shape of the forward output "
                         f"{(x.shape[0], w.shape[1])}; got {dout.shape}")
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


# ---------------------------------------------------------------- sizing a net
def count_parameters(layer_sizes):
    """Size of a fully-connected network, counted as in the notes.

    The input layer has no neurons and is not counted; every other layer of
    size m after a layer of size n has m neurons, n * m weights and m biases.
    [3, 4, 2]    -> 4 + 2 = 6 neurons, 3*4 + 4*2 = 20 weights, 6 biases, 26 in all
    [3, 4, 4, 1] -> 9 neurons, 12 + 16 + 4 = 32 weights, 9 biases, 41 in all

    Inputs:  layer_sizes, a sequence of positive ints, the input layer first
    Returns: (neurons, weights, biases, total), four ints
    """
    sizes = list(layer_sizes) if np.ndim(layer_sizes) == 1 else None
    if sizes is None or len(sizes) < 2:
        raise ValueError(f"count_parameters: layer_sizes must be a list of at least 2 layer sizes "
                         f"(the input layer, then one or more layers); got {layer_sizes!r}")
    for i, n in enumerate(sizes):
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"count_parameters: layer sizes must be positive integers; "
                             f"layer_sizes[{i}] is {n!r}")
    sizes = [int(n) for n in sizes]
    neurons = sum(sizes[1:])
    weights = sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    biases = neurons
    return neurons, weights, biases, weights + biases


# ------------------------------------------------------------------------- MLP
def mlp_forward_with_cache(X, params, activation="relu"):
    """Forward pass of a fully-connected net, keeping what the backward pass needs.

    Inputs: as mlp_forward.
    Returns: (scores, cache): scores (N, C); cache, a list with one
             (affine_cache, activation_cache) per layer (activation_cache is
             None for the output layer)
    """
    X = check_net(params, X, activation, "mlp_forward")
    act_forward = ACTIVATIONS[activation][0]
    h, cache = X, []
    for i, (W, b) in enumerate(params):
        h, affine_cache = affine_forward(h, W, b)
        act_cache = None
        if i < len(params) - 1:             # no activation on the output layer
            h, act_cache = act_forward(h)
        cache.append((affine_cache, act_cache))
    return h, (activation, cache)


def mlp_forward(X, params, activation="relu"):
    """Forward pass of a fully-connected net: the notes' 3-layer example, any depth.

        h1 = f(X @ W1 + b1)
        h2 = f(h1 @ W2 + b2)
        ...
        scores = h_{L-1} @ W_L + b_L      (no activation on the output layer)

    Inputs:
    - X: (N, D) inputs, one example per row
    - params: list of L pairs (W, b), W (fan_in, fan_out), b (fan_out,);
      consecutive layers must chain (fan_out of one = fan_in of the next)
    - activation: "relu", "tanh", "sigmoid" or "leaky_relu" (alpha 0.01),
      applied after every layer except the last
    Returns: scores, (N, C) with C the fan_out of the last layer
    """
    scores, _ = mlp_forward_with_cache(X, params, activation)
    return scores


def mlp_backward(dscores, cache):
    """Backward pass of the net: backpropagate dscores through every layer.

    Inputs:  dscores, (N, C) gradient of the loss on the scores;
             cache from mlp_forward_with_cache
    Returns: grads, a list of (dW, db) pairs shaped like params
    """
    activation, layer_caches = cache
    act_backward = ACTIVATIONS[activation][1]
    grads = []
    dh = dscores
    for affine_cache, act_cache in reversed(layer_caches):
        if act_cache is not None:
            dh = act_backward(dh, act_cache)
        dh, dW, db = affine_backward(dh, affine_cache)
        grads.append((dW, db))
    return grads[::-1]


def mlp_hidden_activations(X, params, activation="relu"):
    """The hidden layers' activations (after the non-linearity), e.g. to plot or
    to measure dead units.

    Inputs:  as mlp_forward
    Returns: a list of L - 1 arrays, (N, H_l) for hidden layer l
    """
    _, (_, layer_caches) = mlp_forward_with_cache(X, params, activation)
    # The input x of layer l + 1 (first entry of its affine cache) is the
    # activation of hidden layer l.
    return [affine_cache[0] for affine_cache, _ in layer_caches[1:]]


# ---------------------------------------------------------- indicator bumps
def bump_sum(x, a, b, c):
    """The notes' "sum of indicator bumps" g(x) = sum_i c_i 1(a_i < x < b_i).

    In one dimension it is also a universal approximator (with enough bumps
    it fits any continuous function), yet nobody learns with it: the point of
    §3.3 is that universal approximation alone says little.

    Inputs:
    - x: (N,) points
    - a, b, c: (K,) left ends, right ends and heights of the K bumps
    Returns: (N,) values g(x)
    """
    x = np.asarray(x, dtype=np.float64)
    a, b, c = (np.asarray(v, dtype=np.float64) for v in (a, b, c))
    if x.ndim != 1:
        raise ValueError(f"bump_sum: x must be 1-D (N,); got shape {x.shape}")
    if a.ndim != 1 or a.shape != b.shape or a.shape != c.shape:
        raise ValueError(f"bump_sum: a, b and c must be 1-D of the same length (K,); "
                         f"got {a.shape}, {b.shape} and {c.shape}")
    if any(np.isnan(v).any() for v in (x, a, b, c)):
        raise ValueError("bump_sum: x, a, b and c must not contain NaN")
    inside = (a < x[:, None]) & (x[:, None] < b)        # (N, K): is x[n] inside bump k?
    return inside @ c
