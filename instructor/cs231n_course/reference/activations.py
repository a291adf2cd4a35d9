"""Reference solutions for 02_activations: the non-linearities of Part 1 §2.3.

Every activation function takes a single number and applies a fixed operation
to it; applied elementwise to an array it is a layer of the network:

    sigmoid     sigma(x) = 1 / (1 + e^-x)         squashes to (0, 1)
    tanh        tanh(x) = 2 sigma(2x) - 1         squashes to (-1, 1), zero-centred
    ReLU        max(0, x)                         thresholds at zero
    Leaky ReLU  1(x < 0) (alpha x) + 1(x >= 0) x  small slope alpha for x < 0
    PReLU       Leaky ReLU with one learned alpha per unit
    Maxout      max_j (w_j^T x + b_j)             the max of k linear pieces

Each comes as a pair, as in the CS231n assignments:
    out, cache = *_forward(x, ...)
    dx = *_backward(dout, cache)        (or a tuple when there are parameters)
where dout = dL/dout is the upstream gradient and the backward pass multiplies
it by the local gradient (the chain rule).

At a kink (x = 0 for the rectifiers, a tie between maxout pieces) the
derivative does not exist; we use: ReLU slope 0 at x = 0 (as in CS231n),
Leaky ReLU / PReLU slope 1 at x = 0 (the notes' 1(x >= 0) x), and for maxout
the first of the tied pieces (as np.argmax).
"""
import numpy as np

from cs231n_course.reference._arrays import as_float_array, has_nan
from cs231n_course.reference.neurons import sigmoid


# ---------------------------------------------------------------- validation
def _as_input(x, name, arg="x"):
    """x as a float array (float32 kept, else float64; never the caller's array
    modified); refuse NaN."""
    x = as_float_array(x)
    if has_nan(x):
        raise ValueError(f"{name}: {arg} contains NaN")
    return x


def _check_dout(dout, shape, name):
    """The upstream gradient must have the shape of the forward output."""
    dout = as_float_array(dout)
    if dout.shape != shape:
        raise ValueError(f"{name}: dout must have the shape of the forward pass's output {shape}; "
                         f"got {dout.shape}")
    return dout


def _check_number(value, name, arg):
    """value as a finite float, or a ValueError."""
    if np.ndim(value) != 0 or isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}: {arg} must be a single number; got {value!r}")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {arg} must be a single number; got {value!r}") from None
    if not np.isfinite(value):
        raise ValueError(f"{name}: {arg} must be finite; got {value}")
    return value


# -------------------------------------------------------------------- sigmoid
def sigmoid_forward(x):
    """Sigmoid layer: out = sigma(x) = 1 / (1 + e^-x), elementwise.

    Stable for any |x| (see neurons.sigmoid: exp is only taken of -|x|).

    Inputs:  x, array of any shape
    Returns: (out, cache): out shaped like x with values in [0, 1];
             cache = out (the local gradient only needs the output)
    """
    out = sigmoid(_as_input(x, "sigmoid_forward"))
    return out, out


def sigmoid_backward(dout, cache):
    """Backward pass of the sigmoid: d sigma / dx = sigma(x) (1 - sigma(x)).

    The local gradient is at most 0.25 (at x = 0) and almost 0 when the unit
    saturates near 0 or 1: the "sigmoids kill gradients" of the notes.

    Inputs:  dout, upstream gradient shaped like out; cache from sigmoid_forward
    Returns: dx, shaped like x
    """
    out = cache
    dout = _check_dout(dout, out.shape, "sigmoid_backward")
    return dout * out * (1.0 - out)


# ----------------------------------------------------------------------- tanh
def tanh_forward(x):
    """Tanh layer: out = tanh(x), elementwise; a zero-centred, scaled sigmoid.

    np.tanh is stable for any |x| (it saturates to -1 or 1).

    Inputs:  x, array of any shape
    Returns: (out, cache): out shaped like x with values in [-1, 1]; cache = out
    """
    out = np.tanh(_as_input(x, "tanh_forward"))
    return out, out


def tanh_backward(dout, cache):
    """Backward pass of tanh: d tanh(x) / dx = 1 - tanh(x)^2.

    Inputs:  dout, upstream gradient shaped like out; cache from tanh_forward
    Returns: dx, shaped like x
    """
    out = cache
    dout = _check_dout(dout, out.shape, "tanh_backward")
    return dout * (1.0 - out * out)


# ----------------------------------------------------------------------- ReLU
def relu_forward(x):
    """ReLU layer: out = max(0, x), elementwise.

    Inputs:  x, array of any shape
    Returns: (out, cache): out shaped like x; cache = x
    """
    x = _as_input(x, "relu_forward")
    return np.maximum(0.0, x), x


def relu_backward(dout, cache):
    """Backward pass of ReLU: the gradient passes where x > 0 and is 0 elsewhere.

    A unit whose input is <= 0 for every example gets no gradient at all and
    can never recover: a "dead" ReLU (see dead_relu_fraction).

    Inputs:  dout, upstream gradient shaped like x; cache from relu_forward
    Returns: dx, shaped like x (slope 0 at the kink x = 0)
    """
    x = cache
    dout = _check_dout(dout, x.shape, "relu_backward")
    return dout * (x > 0)


def dead_relu_fraction(hidden):
    """Fraction of "dead" units: units inactive (<= 0) on every example.

    The notes: "as much as 40% of your network can be dead (i.e. neurons that
    never activate across the entire training dataset) if the learning rate is
    set too high". Pass the activations of one hidden layer on the whole
    training set.

    Inputs:  hidden, (N, H) activations (ReLU outputs or pre-activations) of
             H units on N examples
    Returns: a float in [0, 1]: (number of columns with every entry <= 0) / H
    """
    hidden = _as_input(hidden, "dead_relu_fraction", "hidden")
    if hidden.ndim != 2 or hidden.shape[0] == 0 or hidden.shape[1] == 0:
        raise ValueError(f"dead_relu_fraction: hidden must be a non-empty 2-D array (N, H), one row "
                         f"per example and one column per unit; got shape {hidden.shape}")
    dead = np.all(hidden <= 0, axis=0)          # (H,) True for a unit that never fires
    return float(np.mean(dead))


# ----------------------------------------------------------------- Leaky ReLU
def leaky_relu_forward(x, alpha=0.01):
    """Leaky ReLU layer: out = 1(x < 0) (alpha x) + 1(x >= 0) x, elementwise.

    Inputs:  x, array of any shape; alpha, the slope for x < 0 (a small constant)
    Returns: (out, cache): out shaped like x; cache = (x, alpha)
    """
    x = _as_input(x, "leaky_relu_forward")
    alpha = _check_number(alpha, "leaky_relu_forward", "alpha")
    out = np.where(x >= 0, x, alpha * x)
    return out, (x, alpha)


def leaky_relu_backward(dout, cache):
    """Backward pass of Leaky ReLU: local gradient 1 for x >= 0, alpha for x < 0.

    Inputs:  dout, upstream gradient shaped like x; cache from leaky_relu_forward
    Returns: dx, shaped like x
    """
    x, alpha = cache
    dout = _check_dout(dout, x.shape, "leaky_relu_backward")
    return dout * np.where(x >= 0, 1.0, alpha)


# ---------------------------------------------------------------------- PReLU
def prelu_forward(x, alpha):
    """PReLU layer (He et al., 2015): a Leaky ReLU whose slope is learned per unit.

    out[n, d] = x[n, d]             if x[n, d] >= 0
              = alpha[d] * x[n, d]  otherwise

    Inputs:
    - x: (N, D) inputs, one row per example, one column per unit
    - alpha: (D,) negative-region slopes, one per unit (a parameter)
    Returns: (out, cache): out (N, D); cache = (x, alpha)
    """
    x = _as_input(x, "prelu_forward")
    alpha = _as_input(alpha, "prelu_forward", "alpha")
    if x.ndim != 2:
        raise ValueError(f"prelu_forward: x must be 2-D (N, D); got shape {x.shape}")
    if alpha.shape != (x.shape[1],):
        raise ValueError(f"prelu_forward: alpha must have shape ({x.shape[1]},), one slope per column "
                         f"of x {x.shape}; got {alpha.shape}")
    out = np.where(x >= 0, x, alpha * x)
    return out, (x, alpha)


def prelu_backward(dout, cache):
    """Backward pass of PReLU.

    dx[n, d]  = dout[n, d] * (1 if x[n, d] >= 0 else alpha[d])
    dalpha[d] = sum_n dout[n, d] * (x[n, d] if x[n, d] < 0 else 0)
    (alpha[d] is shared by all N examples, so its gradient is summed over them.)

    Inputs:  dout, (N, D) upstream gradient; cache from prelu_forward
    Returns: (dx, dalpha): (N, D) and (D,)
    """
    x, alpha = cache
    dout = _check_dout(dout, x.shape, "prelu_backward")
    negative = x < 0
    dx = dout * np.where(negative, alpha, 1.0)
    dalpha = np.sum(dout * np.where(negative, x, 0.0), axis=0)
    return dx, dalpha


# --------------------------------------------------------------------- Maxout
def maxout_forward(x, W, b):
    """Maxout layer (Goodfellow et al., 2013): each unit is the max of k linear pieces.

    out[n, h] = max_j ( x[n] . W[:, h, j] + b[h, j] )

    With k = 2 this is the notes' max(w1^T x + b1, w2^T x + b2); ReLU is the
    special case w1 = 0, b1 = 0. Each unit has k times the parameters of a
    ReLU unit.

    Inputs:
    - x: (N, D) inputs
    - W: (D, H, k) weights of the k pieces of each of the H units
    - b: (H, k) biases
    Returns: (out, cache): out (N, H); cache = (x, W, winner) where winner
             (N, H) is the index of the winning piece (ties: the first, as np.argmax)
    """
    x = _as_input(x, "maxout_forward")
    W = _as_input(W, "maxout_forward", "W")
    b = _as_input(b, "maxout_forward", "b")
    if x.ndim != 2:
        raise ValueError(f"maxout_forward: x must be 2-D (N, D); got shape {x.shape}")
    if W.ndim != 3 or W.shape[0] != x.shape[1]:
        raise ValueError(f"maxout_forward: W must have shape (D, H, k) with D = {x.shape[1]} "
                         f"(the columns of x); got {W.shape}")
    if b.shape != W.shape[1:]:
        raise ValueError(f"maxout_forward: b must have shape (H, k) = {W.shape[1:]} to match W; got {b.shape}")
    N, (D, H, k) = x.shape[0], W.shape
    # All H*k pieces in one matrix product: z[n, h, j] = x[n] . W[:, h, j] + b[h, j]
    z = (x @ W.reshape(D, H * k)).reshape(N, H, k) + b
    winner = np.argmax(z, axis=2)                                   # (N, H)
    out = np.take_along_axis(z, winner[:, :, None], axis=2)[:, :, 0]
    return out, (x, W, winner)


def maxout_backward(dout, cache):
    """Backward pass of Maxout: the max routes the gradient to the winning piece only.

    dz[n, h, j] = dout[n, h] if j is the winner for (n, h), else 0; then, as for
    an affine layer, dx = dz W^T, dW = x^T dz, db = sum_n dz.

    Inputs:  dout, (N, H) upstream gradient; cache from maxout_forward
    Returns: (dx, dW, db): (N, D), (D, H, k) and (H, k)
    """
    x, W, winner = cache
    dout = _check_dout(dout, winner.shape, "maxout_backward")
    N, (D, H, k) = x.shape[0], W.shape
    is_winner = winner[:, :, None] == np.arange(k)                  # (N, H, k) one-hot
    dz = (is_winner * dout[:, :, None]).reshape(N, H * k)
    dx = dz @ W.reshape(D, H * k).T
    dW = (x.T @ dz).reshape(D, H, k)
    db = dz.sum(axis=0).reshape(H, k)
    return dx, dW, db
