"""Variants of the graded functions of 02_activations (see cs231n_course/variants.py).

Each `wrong` variant is a mistake students plausibly make; the autograder
must take points away. Each `right` variant computes the same maths another
way; it must get full marks. They run in the notebook's namespace, so `np`
and the notebook's own functions (e.g. `sigmoid_forward`) are available.

A variant replaces one function, so a right forward pass must return the
cache the notebook's backward pass reads (sigmoid, tanh: out; relu: x;
leaky_relu, prelu: (x, alpha); maxout: (x, W, z)) and a right backward pass
must read it; except the pairs at the end of the file, whose forward pass
keeps another kind of cache (list, dict, object, namedtuple, dataclass,
closure) and brings its own backward pass (``also``).
"""
from dataclasses import dataclass

import numpy as np

from cs231n_course.variants import right, wrong


# --- sigmoid_forward -------------------------------------------------------

@wrong("sigmoid_forward", "the textbook formula: exp(1000) overflows for x = -1000")
def sigmoid_forward_naive(x):
    out = 1.0 / (1.0 + np.exp(-x))
    return out, out


@wrong("sigmoid_forward", "stable branches swapped: computes sigmoid(-x)")
def sigmoid_forward_swapped(x):
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, z / (1.0 + z), 1.0 / (1.0 + z))
    return out, out


@wrong("sigmoid_forward", "tanh identity without halving x: (1 + tanh(x)) / 2 is sigmoid(2x)")
def sigmoid_forward_tanh_wrong(x):
    out = 0.5 * (1.0 + np.tanh(x))
    return out, out


@wrong("sigmoid_forward", "returns only out, not the pair (out, cache)")
def sigmoid_forward_no_cache(x):
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


@right("sigmoid_forward", "tanh identity sigmoid(x) = (1 + tanh(x/2)) / 2")
def sigmoid_forward_tanh(x):
    out = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))
    return out, out


@right("sigmoid_forward", "boolean masks: each branch computed only where it is safe")
def sigmoid_forward_masks(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1.0 + e)
    return out, out


@right("sigmoid_forward", "scipy.special.expit")
def sigmoid_forward_scipy(x):
    from scipy.special import expit
    out = expit(np.asarray(x, dtype=float))
    return out, out


# --- sigmoid_backward ------------------------------------------------------

@wrong("sigmoid_backward", "forgets the (1 - sigma) factor")
def sigmoid_backward_no_one_minus(dout, cache):
    return dout * cache


@wrong("sigmoid_backward", "returns the local gradient without multiplying by dout")
def sigmoid_backward_no_dout(dout, cache):
    return cache * (1.0 - cache)


@wrong("sigmoid_backward", "uses tanh's derivative 1 - out**2")
def sigmoid_backward_tanh_derivative(dout, cache):
    return dout * (1.0 - cache ** 2)


@wrong("sigmoid_backward", "treats the cached output as the input x and applies sigma again")
def sigmoid_backward_cache_as_x(dout, cache):
    s = 1.0 / (1.0 + np.exp(-cache))
    return dout * s * (1.0 - s)


@right("sigmoid_backward", "expanded: out - out**2")
def sigmoid_backward_expanded(dout, cache):
    return dout * (cache - cache ** 2)


@right("sigmoid_backward", "sigma (1 - sigma) = 1/4 - (sigma - 1/2)^2")
def sigmoid_backward_square(dout, cache):
    return dout * (0.25 - (cache - 0.5) ** 2)


# --- tanh_forward ----------------------------------------------------------

@wrong("tanh_forward", "(e^x - e^-x) / (e^x + e^-x): inf / inf = NaN for |x| = 1000")
def tanh_forward_naive(x):
    out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
    return out, out


@wrong("tanh_forward", "2 sigmoid(x) - 1: forgets the 2x inside")
def tanh_forward_no_2x(x):
    out = 2.0 * sigmoid_forward(x)[0] - 1.0
    return out, out


@wrong("tanh_forward", "returns the sigmoid")
def tanh_forward_sigmoid(x):
    return sigmoid_forward(x)


@wrong("tanh_forward", "caches x while the backward pass expects tanh(x)")
def tanh_forward_caches_x(x):
    x = np.asarray(x, dtype=float)
    return np.tanh(x), x


@right("tanh_forward", "the identity tanh(x) = 2 sigmoid(2x) - 1 with a stable sigmoid")
def tanh_forward_identity(x):
    out = 2.0 * sigmoid_forward(2.0 * np.asarray(x, dtype=float))[0] - 1.0
    return out, out


@right("tanh_forward", "sign(x) (1 - e^(-2|x|)) / (1 + e^(-2|x|)) with expm1")
def tanh_forward_expm1(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-2.0 * np.abs(x))
    out = np.sign(x) * (-np.expm1(-2.0 * np.abs(x))) / (1.0 + e)
    return out, out


# --- tanh_backward ---------------------------------------------------------

@wrong("tanh_backward", "1 - tanh(x): forgets the square")
def tanh_backward_no_square(dout, cache):
    return dout * (1.0 - cache)


@wrong("tanh_backward", "returns the local gradient without multiplying by dout")
def tanh_backward_no_dout(dout, cache):
    return 1.0 - cache ** 2


@wrong("tanh_backward", "uses the sigmoid's derivative out (1 - out)")
def tanh_backward_sigmoid_derivative(dout, cache):
    return dout * cache * (1.0 - cache)


@wrong("tanh_backward", "sign error: 1 + tanh(x)**2")
def tanh_backward_plus(dout, cache):
    return dout * (1.0 + cache ** 2)


@right("tanh_backward", "factored: (1 - out)(1 + out)")
def tanh_backward_factored(dout, cache):
    return dout * (1.0 - cache) * (1.0 + cache)


@right("tanh_backward", "dout - dout * out**2")
def tanh_backward_expanded(dout, cache):
    return dout - dout * np.square(cache)


# --- relu_forward ----------------------------------------------------------

@wrong("relu_forward", "absolute value instead of the threshold")
def relu_forward_abs(x):
    x = np.asarray(x, dtype=float)
    return np.abs(x), x


@wrong("relu_forward", "np.minimum instead of np.maximum")
def relu_forward_min(x):
    x = np.asarray(x, dtype=float)
    return np.minimum(0.0, x), x


@wrong("relu_forward", "zeroes the negative entries of the caller's array in place")
def relu_forward_inplace(x):
    x[x < 0] = 0.0
    return x, x.copy()


@right("relu_forward", "multiply by the indicator x > 0")
def relu_forward_mask(x):
    x = np.asarray(x, dtype=float)
    return x * (x > 0), x


@right("relu_forward", "(x + |x|) / 2")
def relu_forward_abs_half(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * (x + np.abs(x)), x


# --- relu_backward ---------------------------------------------------------

@wrong("relu_backward", "returns the mask without multiplying by dout")
def relu_backward_no_dout(dout, cache):
    return (cache > 0).astype(float)


@wrong("relu_backward", "multiplies dout by x instead of by the indicator")
def relu_backward_times_x(dout, cache):
    return dout * np.maximum(0.0, cache)


@wrong("relu_backward", "inverted mask: passes the gradient where x < 0")
def relu_backward_inverted(dout, cache):
    return dout * (cache < 0)


@right("relu_backward", "np.where on the mask")
def relu_backward_where(dout, cache):
    return np.where(cache > 0, dout, 0.0)


@right("relu_backward", "slope 1 at the kink: (x >= 0) (the tests avoid x = 0)")
def relu_backward_ge(dout, cache):
    return dout * (cache >= 0)


@right("relu_backward", "np.heaviside with value 0 at the kink")
def relu_backward_heaviside(dout, cache):
    return dout * np.heaviside(cache, 0.0)


# --- dead_relu_fraction ----------------------------------------------------

@wrong("dead_relu_fraction", "fraction of all entries that are <= 0, not of units")
def dead_relu_fraction_entries(hidden):
    return float(np.mean(np.asarray(hidden) <= 0))


@wrong("dead_relu_fraction", "a unit counted dead if it is inactive on any example (np.any)")
def dead_relu_fraction_any(hidden):
    return float(np.mean(np.any(np.asarray(hidden) <= 0, axis=0)))


@wrong("dead_relu_fraction", "axis=1: the fraction of examples on which no unit fires")
def dead_relu_fraction_rows(hidden):
    return float(np.mean(np.all(np.asarray(hidden) <= 0, axis=1)))


@wrong("dead_relu_fraction", "looks for exact zeros only: wrong on pre-activations")
def dead_relu_fraction_zeros(hidden):
    return float(np.mean(np.all(np.asarray(hidden) == 0, axis=0)))


@wrong("dead_relu_fraction", "returns the number of dead units, not the fraction")
def dead_relu_fraction_count(hidden):
    return float(np.sum(np.all(np.asarray(hidden) <= 0, axis=0)))


@right("dead_relu_fraction", "1 - fraction of units that fire on at least one example")
def dead_relu_fraction_alive(hidden):
    return 1.0 - float(np.mean(np.any(np.asarray(hidden) > 0, axis=0)))


@right("dead_relu_fraction", "a unit is dead when its largest activation is <= 0")
def dead_relu_fraction_max(hidden):
    hidden = np.asarray(hidden, dtype=float)
    return np.count_nonzero(hidden.max(axis=0) <= 0) / hidden.shape[1]


# --- leaky_relu_forward ----------------------------------------------------

@wrong("leaky_relu_forward", "ignores alpha: always the slope 0.01")
def leaky_relu_forward_fixed(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, x, 0.01 * x), (x, alpha)


@wrong("leaky_relu_forward", "default slope 0.1 instead of the notes' 0.01")
def leaky_relu_forward_default(x, alpha=0.1):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, x, alpha * x), (x, alpha)


@wrong("leaky_relu_forward", "outputs the constant alpha for x < 0 instead of alpha * x")
def leaky_relu_forward_constant(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, x, alpha), (x, alpha)


@wrong("leaky_relu_forward", "branches swapped: alpha * x for x >= 0, x for x < 0")
def leaky_relu_forward_swapped(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, alpha * x, x), (x, alpha)


@right("leaky_relu_forward", "max(x, alpha x), valid for 0 <= alpha <= 1")
def leaky_relu_forward_max(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.maximum(x, alpha * x), (x, alpha)


@right("leaky_relu_forward", "max(0, x) + alpha min(0, x)")
def leaky_relu_forward_split(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.maximum(0.0, x) + alpha * np.minimum(0.0, x), (x, alpha)


# --- leaky_relu_backward ---------------------------------------------------

@wrong("leaky_relu_backward", "slope 0.01 for x < 0 whatever alpha is")
def leaky_relu_backward_fixed(dout, cache):
    x, alpha = cache
    return dout * np.where(x >= 0, 1.0, 0.01)


@wrong("leaky_relu_backward", "the ReLU gradient: 0 for x < 0")
def leaky_relu_backward_relu(dout, cache):
    x, alpha = cache
    return dout * (x >= 0)


@wrong("leaky_relu_backward", "slopes swapped: alpha for x >= 0, 1 for x < 0")
def leaky_relu_backward_swapped(dout, cache):
    x, alpha = cache
    return dout * np.where(x >= 0, alpha, 1.0)


@wrong("leaky_relu_backward", "returns the local gradient without multiplying by dout")
def leaky_relu_backward_no_dout(dout, cache):
    x, alpha = cache
    return np.where(x >= 0, 1.0, alpha)


@right("leaky_relu_backward", "np.where on dout directly")
def leaky_relu_backward_where(dout, cache):
    x, alpha = cache
    return np.where(x >= 0, dout, alpha * dout)


@right("leaky_relu_backward", "alpha + (1 - alpha) * indicator")
def leaky_relu_backward_blend(dout, cache):
    x, alpha = cache
    return dout * (alpha + (1.0 - alpha) * (x >= 0))


# --- prelu_forward ---------------------------------------------------------

@wrong("prelu_forward", "alpha broadcast along the rows (alpha[:, None]): one slope per example")
def prelu_forward_rows(x, alpha):
    x = np.asarray(x, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    return np.where(x >= 0, x, alpha[:, None] * x), (x, alpha)


@wrong("prelu_forward", "one shared slope: the mean of alpha")
def prelu_forward_shared(x, alpha):
    x = np.asarray(x, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    return np.where(x >= 0, x, np.mean(alpha) * x), (x, alpha)


@wrong("prelu_forward", "max(x, alpha x): only PReLU when 0 <= alpha <= 1, a learned alpha can leave that range")
def prelu_forward_max(x, alpha):
    x = np.asarray(x, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    return np.maximum(x, alpha * x), (x, alpha)


@wrong("prelu_forward", "outputs alpha for x < 0 instead of alpha * x")
def prelu_forward_constant(x, alpha):
    x = np.asarray(x, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    return np.where(x >= 0, x, alpha + 0.0 * x), (x, alpha)


@right("prelu_forward", "max(0, x) + alpha min(0, x)")
def prelu_forward_split(x, alpha):
    x = np.asarray(x, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    return np.maximum(0.0, x) + alpha[None, :] * np.minimum(0.0, x), (x, alpha)


@right("prelu_forward", "x times a per-entry slope")
def prelu_forward_slope(x, alpha):
    x = np.asarray(x, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    slope = np.where(x < 0, alpha, 1.0)
    return x * slope, (x, alpha)


# --- prelu_backward --------------------------------------------------------


@wrong("prelu_backward", "dalpha summed over everything: one number")
def prelu_backward_scalar(dout, cache):
    x, alpha = cache
    neg = x < 0
    return dout * np.where(neg, alpha, 1.0), np.sum(np.where(neg, dout * x, 0.0))


@wrong("prelu_backward", "dalpha sums dout * x over all entries, not only the negative ones")
def prelu_backward_all_x(dout, cache):
    x, alpha = cache
    return dout * np.where(x < 0, alpha, 1.0), np.sum(dout * x, axis=0)


@wrong("prelu_backward", "dalpha forgets dout")
def prelu_backward_no_dout(dout, cache):
    x, alpha = cache
    neg = x < 0
    return dout * np.where(neg, alpha, 1.0), np.sum(np.where(neg, x, 0.0), axis=0)


@wrong("prelu_backward", "dx uses the ReLU gradient (0 for x < 0)")
def prelu_backward_relu_dx(dout, cache):
    x, alpha = cache
    neg = x < 0
    return dout * (~neg), np.sum(np.where(neg, dout * x, 0.0), axis=0)


@right("prelu_backward", "dalpha with min(x, 0) and einsum")
def prelu_backward_einsum(dout, cache):
    x, alpha = cache
    dx = np.where(x >= 0, dout, alpha * dout)
    dalpha = np.einsum("nd,nd->d", dout, np.minimum(x, 0.0))
    return dx, dalpha


@right("prelu_backward", "float masks and column sums")
def prelu_backward_masks(dout, cache):
    x, alpha = cache
    neg = (x < 0).astype(float)
    dx = dout * (1.0 - neg) + dout * neg * alpha
    dalpha = (dout * x * neg).sum(axis=0)
    return dx, dalpha


# --- maxout_forward --------------------------------------------------------

@wrong("maxout_forward", "max over the units (axis 1) instead of over the pieces")
def maxout_forward_wrong_axis(x, W, b):
    x = np.asarray(x, dtype=float)
    z = np.einsum("nd,dhk->nhk", x, W) + b
    return z.max(axis=1), (x, W, z)


@wrong("maxout_forward", "forgets the biases")
def maxout_forward_no_bias(x, W, b):
    x = np.asarray(x, dtype=float)
    z = np.einsum("nd,dhk->nhk", x, W)
    return z.max(axis=2), (x, W, z + b)


@wrong("maxout_forward", "min of the pieces instead of the max")
def maxout_forward_min(x, W, b):
    x = np.asarray(x, dtype=float)
    z = np.einsum("nd,dhk->nhk", x, W) + b
    return z.min(axis=2), (x, W, z)


@wrong("maxout_forward", "the sum of the pieces instead of their max")
def maxout_forward_sum(x, W, b):
    x = np.asarray(x, dtype=float)
    z = np.einsum("nd,dhk->nhk", x, W) + b
    return z.sum(axis=2), (x, W, z)


@right("maxout_forward", "one matrix product with W reshaped to (D, H*k)")
def maxout_forward_reshape(x, W, b):
    x = np.asarray(x, dtype=float)
    D, H, k = W.shape
    z = (x @ W.reshape(D, H * k)).reshape(x.shape[0], H, k) + b
    return z.max(axis=2), (x, W, z)


@right("maxout_forward", "a loop over the k pieces (not over examples), np.maximum.reduce")
def maxout_forward_pieces(x, W, b):
    x = np.asarray(x, dtype=float)
    z = np.stack([x @ W[:, :, j] + b[:, j] for j in range(W.shape[2])], axis=2)
    return np.maximum.reduce([z[:, :, j] for j in range(z.shape[2])]), (x, W, z)


# --- maxout_backward -------------------------------------------------------


@wrong("maxout_backward", "splits the gradient equally among the k pieces")
def maxout_backward_split(dout, cache):
    x, W, z = cache
    dz = np.repeat(dout[:, :, None], z.shape[2], axis=2) / z.shape[2]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


@wrong("maxout_backward", "routes the gradient to the losing piece (argmin)")
def maxout_backward_argmin(dout, cache):
    x, W, z = cache
    dz = (np.argmin(z, axis=2)[:, :, None] == np.arange(z.shape[2])) * dout[:, :, None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


@wrong("maxout_backward", "db not summed over the examples: shape (N, H, k)")
def maxout_backward_db_unsummed(dout, cache):
    x, W, z = cache
    dz = (np.argmax(z, axis=2)[:, :, None] == np.arange(z.shape[2])) * dout[:, :, None]
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz


@wrong("maxout_backward", "dW forgets x: sums dz over the examples for every input")
def maxout_backward_dW_no_x(dout, cache):
    x, W, z = cache
    dz = (np.argmax(z, axis=2)[:, :, None] == np.arange(z.shape[2])) * dout[:, :, None]
    dW = np.broadcast_to(dz.sum(axis=0), W.shape).copy()
    return np.einsum("nhk,dhk->nd", dz, W), dW, dz.sum(axis=0)


@right("maxout_backward", "mask z == max (no ties in the tests) and reshaped matrix products")
def maxout_backward_reshape(dout, cache):
    x, W, z = cache
    N, H, k = z.shape
    D = W.shape[0]
    dz = (z == z.max(axis=2, keepdims=True)) * dout[:, :, None]
    dz2 = dz.reshape(N, H * k)
    return dz2 @ W.reshape(D, H * k).T, (x.T @ dz2).reshape(D, H, k), dz2.sum(axis=0).reshape(H, k)


@right("maxout_backward", "winning piece's weights gathered with take_along_axis")
def maxout_backward_gather(dout, cache):
    x, W, z = cache
    N, H, k = z.shape
    winner = np.argmax(z, axis=2)                                     # (N, H)
    W_win = W[:, np.arange(H)[None, :], winner]                       # (D, N, H): weights of the winners
    dx = np.einsum("nh,dnh->nd", dout, W_win)
    dz = np.zeros_like(z)
    np.put_along_axis(dz, winner[:, :, None], dout[:, :, None], axis=2)
    return dx, np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)


# --- forward/backward pairs with other kinds of cache ----------------------
# The contract lets the cache be any Python value the student's backward pass
# can read. Each forward pass below changes the kind of its cache, so it comes
# with the backward pass that reads it (``also``); classes it needs are its
# ``helpers``. relu has one pair per kind; the other layers one kind each.


def relu_backward_tuple(dout, cache):
    x, out = cache
    return dout * (x > 0)


@right("relu_forward", "cache is a tuple (x, out), with its backward",
       also={"relu_backward": relu_backward_tuple})
def relu_forward_tuple(x):
    x = np.asarray(x, dtype=float)
    out = np.maximum(0.0, x)
    return out, (x, out)


def relu_backward_list(dout, cache):
    [positive] = cache
    return dout * positive


@right("relu_forward", "cache is a list holding the boolean mask x > 0, with its backward",
       also={"relu_backward": relu_backward_list})
def relu_forward_list(x):
    x = np.asarray(x, dtype=float)
    return np.maximum(0.0, x), [x > 0]


def relu_backward_dict(dout, cache):
    return np.where(cache["x"] > 0, dout, 0.0)


@right("relu_forward", "cache is a dict {'x': x}, with its backward",
       also={"relu_backward": relu_backward_dict})
def relu_forward_dict(x):
    x = np.asarray(x, dtype=float)
    return np.maximum(0.0, x), {"x": x}


class ReluCache:
    """What relu_backward needs: the input x."""

    def __init__(self, x):
        self.x = x


def relu_backward_object(dout, cache):
    return dout * (cache.x > 0)


@right("relu_forward", "cache is an instance of the student's own class ReluCache, with its backward",
       helpers=[ReluCache], also={"relu_backward": relu_backward_object})
def relu_forward_object(x):
    x = np.asarray(x, dtype=float)
    return np.maximum(0.0, x), ReluCache(x)


def relu_backward_namedtuple(dout, cache):
    return dout * (cache.x > 0)


@right("relu_forward", "cache is a collections.namedtuple (x, out) read by field name, with its backward",
       helpers=["import collections\nReluSaved = collections.namedtuple('ReluSaved', ['x', 'out'])"],
       also={"relu_backward": relu_backward_namedtuple})
def relu_forward_namedtuple(x):
    x = np.asarray(x, dtype=float)
    out = np.maximum(0.0, x)
    return out, ReluSaved(x=x, out=out)


@dataclass
class ReluState:
    x: np.ndarray


def relu_backward_dataclass(dout, cache):
    return dout * (cache.x > 0)


@right("relu_forward", "cache is a @dataclass instance, with its backward",
       helpers=["from dataclasses import dataclass", ReluState], also={"relu_backward": relu_backward_dataclass})
def relu_forward_dataclass(x):
    x = np.asarray(x, dtype=float)
    return np.maximum(0.0, x), ReluState(x=x)


def relu_backward_closure(dout, cache):
    x = cache()
    return dout * (x > 0)


@right("relu_forward", "cache is a closure that returns x, with its backward",
       also={"relu_backward": relu_backward_closure})
def relu_forward_closure(x):
    x = np.asarray(x, dtype=float)

    def saved():
        return x

    return np.maximum(0.0, x), saved


def sigmoid_backward_dict(dout, cache):
    s = cache["out"]
    return dout * s * (1.0 - s)


@right("sigmoid_forward", "cache is a dict {'out': out}, with its backward",
       also={"sigmoid_backward": sigmoid_backward_dict})
def sigmoid_forward_dict(x):
    x = np.asarray(x, dtype=float)
    out = np.exp(-np.logaddexp(0.0, -x))
    return out, {"out": out}


def tanh_backward_closure(dout, cache):
    return dout * (1.0 - cache() ** 2)


@right("tanh_forward", "cache is a lambda returning out, with its backward",
       also={"tanh_backward": tanh_backward_closure})
def tanh_forward_closure(x):
    out = np.tanh(np.asarray(x, dtype=float))
    return out, lambda: out


def leaky_relu_backward_namedtuple(dout, cache):
    return dout * np.where(cache.x >= 0, 1.0, cache.alpha)


@right("leaky_relu_forward", "cache is a collections.namedtuple (x, alpha), with its backward",
       helpers=["import collections\nLeakyCache = collections.namedtuple('LeakyCache', 'x alpha')"],
       also={"leaky_relu_backward": leaky_relu_backward_namedtuple})
def leaky_relu_forward_namedtuple(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, x, alpha * x), LeakyCache(x, alpha)


@dataclass
class PReLUCache:
    x: np.ndarray
    alpha: np.ndarray


def prelu_backward_dataclass(dout, cache):
    negative = cache.x < 0
    return dout * np.where(negative, cache.alpha, 1.0), np.sum(dout * cache.x * negative, axis=0)


@right("prelu_forward", "cache is a @dataclass (x, alpha), with its backward",
       helpers=["from dataclasses import dataclass", PReLUCache], also={"prelu_backward": prelu_backward_dataclass})
def prelu_forward_dataclass(x, alpha):
    x, alpha = np.asarray(x, dtype=float), np.asarray(alpha, dtype=float)
    return np.where(x >= 0, x, alpha * x), PReLUCache(x, alpha)


class MaxoutCache:
    """Inputs, weights and the winning piece of every unit, for maxout_backward."""

    def __init__(self, x, W, winner, k):
        self.x, self.W, self.winner, self.k = x, W, winner, k


def maxout_backward_object(dout, cache):
    dz = (cache.winner[:, :, None] == np.arange(cache.k)) * dout[:, :, None]    # (N, H, k)
    return (np.einsum("nhk,dhk->nd", dz, cache.W), np.einsum("nd,nhk->dhk", cache.x, dz), dz.sum(axis=0))


@right("maxout_forward", "cache is an instance of the student's own class (x, W, winning piece), with its backward",
       helpers=[MaxoutCache], also={"maxout_backward": maxout_backward_object})
def maxout_forward_object(x, W, b):
    x = np.asarray(x, dtype=float)
    z = np.einsum("nd,dhk->nhk", x, W) + b
    return z.max(axis=2), MaxoutCache(x, W, z.argmax(axis=2), W.shape[2])
