"""The trainer's engine: a whole dense net's forward and backward pass, its losses and checks.

Support code for ``training.py`` (like the layer utilities of CS231n's
assignments): one routine runs the forward pass of every layer, one the
backward pass; no function here is, or has the body of, a graded function
(tests/test_distributions.py). The layers the notebooks grade are the
students' to write.
"""
import numpy as np

from .i18n import t

LOSSES = ("softmax", "svm")

# The weight initializations of the notes, as the standard deviation of each weight
# for a layer with fan_in inputs and fan_out units ("zeros": every weight 0; "sparse":
# this deviation for the few connected weights of every unit, all others 0).
WEIGHT_STD = {
    "zeros": lambda fan_in, fan_out: 0.0,
    "small": lambda fan_in, fan_out: 0.01,
    "calibrated": lambda fan_in, fan_out: 1.0 / np.sqrt(fan_in),
    "glorot": lambda fan_in, fan_out: np.sqrt(2.0 / (fan_in + fan_out)),
    "he": lambda fan_in, fan_out: np.sqrt(2.0 / fan_in),
    "sparse": lambda fan_in, fan_out: 0.01,
}
SCHEMES = tuple(WEIGHT_STD)
SPARSE_CONNECTIONS = 10                 # "sparse": incoming connections per unit (at most fan_in)


def _logistic(z):
    """1 / (1 + e^-z) with exp taken of -|z| only, so it never overflows."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


# Hidden non-linearities: name -> (h = f(z), the gradient on z from the gradient dh on h).
NONLINEARITIES = {
    "relu": (lambda z: np.maximum(0.0, z), lambda dh, z, h: dh * (z > 0)),
    "tanh": (np.tanh, lambda dh, z, h: dh * (1.0 - h * h)),
    "sigmoid": (_logistic, lambda dh, z, h: dh * h * (1.0 - h)),
    "leaky_relu": (lambda z: np.where(z >= 0, z, 0.01 * z),                 # slope 0.01 for z < 0
                   lambda dh, z, h: dh * np.where(z >= 0, 1.0, 0.01)),
}
ACTIVATIONS = tuple(NONLINEARITIES)

# ------------------------------------------------------------------ parameters
def initial_weights(fan_in, fan_out, scheme, rng):
    """A (fan_in, fan_out) weight matrix drawn with the standard deviation of WEIGHT_STD[scheme]."""
    std = WEIGHT_STD[scheme](fan_in, fan_out)
    if std == 0.0:
        return np.zeros((fan_in, fan_out))
    if scheme != "sparse":
        return rng.standard_normal((fan_in, fan_out)) * std
    k = min(SPARSE_CONNECTIONS, fan_in)
    # The k smallest of fan_in uniform numbers sit at k distinct random rows, drawn anew for every column.
    connected = np.argpartition(rng.random((fan_in, fan_out)), k - 1, axis=0)[:k]     # (k, fan_out) row numbers
    W = np.zeros((fan_in, fan_out))
    W[connected, np.arange(fan_out)] = std * rng.standard_normal((k, fan_out))
    return W


# ---------------------------------------------------------------- the engine
def run_forward(params, h, activation, normalize=None, drop=None):
    """Forward pass of the whole net.

    Every layer computes z = h @ W + b; a hidden layer then goes through
    normalize(i, z, layer) -> (z, cache) if given, the non-linearity, and
    drop(a) -> (a, cache) if given. Returns (scores, tape): the tape keeps, per
    layer, (its input h, z, its activation a, normalize's cache, drop's cache)
    (only the input for the output layer).
    """
    f = NONLINEARITIES[activation][0]
    tape = []
    for i, layer in enumerate(params):
        z = h @ layer[0]
        z += layer[1]                        # in place: one (N, M) array instead of two
        if i == len(params) - 1:            # the output layer: no non-linearity, z are the scores
            tape.append((h, None, None, None, None))
            return z, tape
        norm_cache = drop_cache = None
        if normalize is not None:
            z, norm_cache = normalize(i, z, layer)
        a = f(z)
        out = a
        if drop is not None:
            out, drop_cache = drop(a)
        tape.append((h, z, a, norm_cache, drop_cache))
        h = out


def run_backward(params, tape, dscores, activation, normalize_back=None, drop_back=None):
    """Backward pass through a tape of run_forward: the gradients of every layer's
    parameters, a list of tuples (dW, db[, the extra gradients normalize_back returns])."""
    df = NONLINEARITIES[activation][1]
    grads = [None] * len(params)
    dz, dout = dscores, None                 # dout: the gradient on a hidden layer's output
    for i in reversed(range(len(params))):
        h, z, a, norm_cache, drop_cache = tape[i]
        extra = ()
        if i < len(params) - 1:
            if drop_cache is not None:
                dout = drop_back(dout, drop_cache)
            dz = df(dout, z, a)
            if norm_cache is not None:
                dz, *extra = normalize_back(dz, norm_cache)
        grads[i] = (h.T @ dz, dz.sum(axis=0), *extra)
        if i > 0:
            dout = dz @ params[i][0].T       # the gradient on this layer's input h
    return grads


def check_net(params, X, activation, name):
    """Validate a (W, b) net and its input (also used by the course's own checks); return X as float64."""
    if activation not in NONLINEARITIES:
        raise ValueError(t("{name}: unknown activation {activation!r}; expected one of {expected}", name=name,
                           activation=activation, expected=", ".join(map(repr, ACTIVATIONS))))
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(t("{name}: X must be 2-D (N, D), one example per row; got shape {shape}", name=name,
                           shape=X.shape))
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise ValueError(t("{name}: params must be a non-empty list of (W, b) pairs, one per layer; got {got}",
                           name=name, got=type(params).__name__))
    fan_in = X.shape[1]
    for i, layer in enumerate(params, start=1):
        if not isinstance(layer, (list, tuple)) or len(layer) != 2:
            raise ValueError(t("{name}: layer {i} (params[{index}]) must be a pair (W, b)", name=name, i=i,
                               index=i - 1))
        W, b = np.shape(layer[0]), np.shape(layer[1])
        source = "X" if i == 1 else t("layer {i}", i=i - 1)
        if len(W) != 2 or W[0] != fan_in:
            raise ValueError(t("{name}: layer {i} (params[{index}]) has W of shape {W}, but it receives "
                               "{fan_in} inputs from {source}; W must have shape ({fan_in}, M)", name=name, i=i,
                               index=i - 1, W=W, fan_in=fan_in, source=source))
        if b != (W[1],):
            raise ValueError(t("{name}: layer {i} (params[{index}]) has b of shape {b}; "
                               "expected ({M},) to match its W {W}", name=name, i=i, index=i - 1, b=b, M=W[1],
                               W=W))
        fan_in = W[1]
    return X


def data_loss_of(scores, y, loss):
    """Mean data loss over the N examples and its gradient on the scores.

    softmax: L_i = -log(e^{f_yi} / sum_j e^{f_j}); shifting the scores by their
             row maximum does not change it and keeps exp from overflowing.
    svm:     L_i = sum_{j != y_i} max(0, f_j - f_yi + 1) (Weston-Watkins).
    """
    N = scores.shape[0]
    rows = np.arange(N)
    if loss == "softmax":
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        data_loss = -np.mean(log_probs[rows, y])
        dscores = np.exp(log_probs)                 # the probabilities
        dscores[rows, y] -= 1.0
    else:
        margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
        margins[rows, y] = 0.0
        data_loss = np.sum(margins) / N
        dscores = (margins > 0).astype(np.float64)
        dscores[rows, y] = -dscores.sum(axis=1)
    return float(data_loss), dscores / N


def call_data_loss(data_loss, scores, targets, name):
    """data_loss(scores, targets) -> (loss, dscores), checked."""
    result = data_loss(scores, targets)
    if not (isinstance(result, tuple) and len(result) == 2 and np.shape(result[1]) == scores.shape):
        got = (t("a tuple of {length} with shapes {shapes}", length=len(result),
                 shapes=[np.shape(r) for r in result]) if isinstance(result, tuple) else type(result).__name__)
        raise ValueError(t("{name}: data_loss(scores, targets) must return (loss, dscores) with dscores shaped "
                           "like the scores {shape}; got {got}", name=name, shape=scores.shape, got=got))
    return float(result[0]), np.asarray(result[1], dtype=np.float64)


def check_labels(X, y, n_classes, name):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError(t("{name}: X must be 2-D (N, D); got shape {shape}", name=name, shape=X.shape))
    if y.shape != (X.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(t("{name}: y must be an integer array of shape ({N},), one label per row of X; "
                           "got {dtype} array of shape {shape}", name=name, N=X.shape[0], dtype=y.dtype,
                           shape=y.shape))
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(t("{name}: labels must be in 0..{last} (the net has {n_classes} outputs); "
                           "got labels from {low} to {high}", name=name, last=n_classes - 1, n_classes=n_classes,
                           low=y.min(), high=y.max()))
    return X, y
