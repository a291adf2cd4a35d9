"""Reference solutions for 05_init: weight initialization and batch normalization.

Part 2 of the notes, "Weight Initialization":
- all-zero weights are a pitfall: every neuron computes the same output, gets
  the same gradient and the same update, so they stay identical (no
  asymmetry);
- small random numbers (0.01 * randn) break the symmetry, but in a deep net
  the signal (and the gradient) shrinks layer after layer;
- calibrating the variance: for s = sum_i w_i x_i with zero-mean, independent
  w and x, Var(s) = n Var(w) Var(x), so Var(w) = 1/n (randn / sqrt(n))
  keeps the output variance equal to the input variance;
  Glorot et al. use Var(w) = 2 / (n_in + n_out); He et al. derive
  Var(w) = 2 / n for ReLU units (randn * sqrt(2 / n)), the recommendation;
- sparse initialization: all weights zero except about 10 random incoming
  connections per neuron, drawn from a small gaussian.
- Batch Normalization (Ioffe and Szegedy, 2015) normalizes each feature over
  the batch to zero mean and unit variance, then scales and shifts it with
  the learned gamma and beta; it makes a network much more robust to a bad
  initialization.

Shapes: a weight matrix is (fan_in, fan_out), so column j holds the incoming
weights of unit j (as W = 0.01 * np.random.randn(D, H) in the notes).
"""
import numpy as np

from cs231n_course.reference._arrays import as_float_array, has_nan

SCHEMES = ("zeros", "small", "calibrated", "glorot", "he", "sparse")

# The sparse scheme connects each unit to this many random inputs (the notes: "10 or so").
SPARSE_CONNECTIONS = 10


def _as_generator(rng, name):
    """rng as an np.random.Generator: a Generator is used as is, an int seeds a new one,
    None gives a fresh unseeded one."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_))):
        return np.random.default_rng(rng)
    raise ValueError(f"{name}: rng must be an np.random.Generator, an int seed or None; "
                     f"got {type(rng).__name__}")


def init_weights(fan_in, fan_out, scheme, rng):
    """Initial weights of one fully-connected layer, by one of the notes' schemes.

    scheme:
    - "zeros":      all zero (the pitfall: no asymmetry between units)
    - "small":      0.01 * randn                        (std 0.01)
    - "calibrated": randn / sqrt(fan_in)                (Var = 1 / fan_in)
    - "glorot":     randn * sqrt(2 / (fan_in + fan_out)) (Var = 2 / (fan_in + fan_out))
    - "he":         randn * sqrt(2 / fan_in)            (Var = 2 / fan_in, for ReLU)
    - "sparse":     zeros except exactly min(10, fan_in) random incoming weights
                    per unit (per column), each 0.01 * randn

    Inputs:
    - fan_in, fan_out: positive ints, the number of inputs and of units
    - scheme: one of the names above
    - rng: np.random.Generator (or an int seed; None for a fresh generator)
    Returns: W, (fan_in, fan_out) float64
    """
    for arg, value in (("fan_in", fan_in), ("fan_out", fan_out)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"init_weights: {arg} must be a positive integer; got {value!r}")
    if scheme not in SCHEMES:
        raise ValueError(f"init_weights: unknown scheme {scheme!r}; expected one of "
                         f"{', '.join(repr(s) for s in SCHEMES)}")
    rng = _as_generator(rng, "init_weights")
    shape = (int(fan_in), int(fan_out))

    if scheme == "zeros":
        return np.zeros(shape)
    if scheme == "small":
        return 0.01 * rng.standard_normal(shape)
    if scheme == "calibrated":
        return rng.standard_normal(shape) / np.sqrt(fan_in)
    if scheme == "glorot":
        return rng.standard_normal(shape) * np.sqrt(2.0 / (fan_in + fan_out))
    if scheme == "he":
        return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)

    # "sparse": for each unit (column) pick k distinct inputs (rows) at random.
    # Sorting a column of uniform random numbers gives a random permutation of
    # the rows; its first k entries are k distinct rows.
    k = min(SPARSE_CONNECTIONS, shape[0])
    rows = np.argsort(rng.random(shape), axis=0)[:k]           # (k, fan_out)
    W = np.zeros(shape)
    W[rows, np.arange(shape[1])] = 0.01 * rng.standard_normal((k, shape[1]))
    return W


# ------------------------------------------------------------------ batch norm
def _is_number(value):
    """True for a single real number (not a bool, not an array, not NaN)."""
    return (isinstance(value, (int, float, np.integer, np.floating))
            and not isinstance(value, (bool, np.bool_)) and not np.isnan(value))


def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalization layer (Ioffe and Szegedy, 2015).

    Train mode: normalize each feature (column) with the batch statistics,
        mu = mean_n x[n],  var = mean_n (x[n] - mu)^2      (ddof 0)
        x_hat = (x - mu) / sqrt(var + eps)
        out = gamma * x_hat + beta
    and update the running averages kept in bn_param:
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var  = momentum * running_var  + (1 - momentum) * var
    Test mode: the same with the running averages instead of the batch
    statistics (one example's output does not depend on the others).

    Inputs:
    - x: (N, D) inputs
    - gamma, beta: (D,) scale and shift
    - bn_param: dict with
      - "mode": "train" or "test" (required)
      - "eps": added to the variance for stability (default 1e-5)
      - "momentum": of the running averages (default 0.9)
      - "running_mean", "running_var": (D,) arrays; zeros when absent
      The running averages are stored back into bn_param (new arrays; the old
      ones are not modified).
    Returns: (out, cache): out (N, D); cache for batchnorm_backward
    """
    name = "batchnorm_forward"
    x, gamma, beta = as_float_array(x), as_float_array(gamma), as_float_array(beta)  # float32 kept
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"{name}: x must be a non-empty 2-D array (N, D); got shape {x.shape}")
    D = x.shape[1]
    if gamma.shape != (D,) or beta.shape != (D,):
        raise ValueError(f"{name}: gamma and beta must have shape ({D},), one per column of x {x.shape}; "
                         f"got {gamma.shape} and {beta.shape}")
    if has_nan(x):
        raise ValueError(f"{name}: x contains NaN")
    if not isinstance(bn_param, dict):
        raise ValueError(f"{name}: bn_param must be a dict (it keeps the running averages); "
                         f"got {type(bn_param).__name__}")
    mode = bn_param.get("mode")
    if mode not in ("train", "test"):
        raise ValueError(f"{name}: bn_param['mode'] must be 'train' or 'test'; got {mode!r}")
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    if not (_is_number(eps) and eps > 0):
        raise ValueError(f"{name}: bn_param['eps'] must be a number > 0; got {eps!r}")
    if not (_is_number(momentum) and 0 <= momentum <= 1):
        raise ValueError(f"{name}: bn_param['momentum'] must be a number in [0, 1]; got {momentum!r}")
    running_mean = np.asarray(bn_param.get("running_mean", np.zeros(D)), dtype=np.float64)
    running_var = np.asarray(bn_param.get("running_var", np.zeros(D)), dtype=np.float64)
    if running_mean.shape != (D,) or running_var.shape != (D,):
        raise ValueError(f"{name}: bn_param's running_mean and running_var must have shape ({D},); "
                         f"got {running_mean.shape} and {running_var.shape}")

    # Speed: on a big batch every pass over an (N, D) array costs about as
    # much as the arithmetic, so this makes as few as the maths allows (marked
    # "speed" below). The cache keeps the centred xc = x - mu and 1/sqrt(var+eps),
    # not x_hat = xc / sqrt(var + eps): x_hat is never stored, which saves a pass.
    if mode == "train":
        mu = x.mean(axis=0)
        xc = x - mu
        # var = mean_n xc[n]^2. Speed: einsum sums the products column by
        # column without building the (N, D) array xc * xc.
        var = np.einsum("nd,nd->d", xc, xc) / x.shape[0]
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    else:
        xc = x - running_mean
        var = running_var
    inv_std = 1.0 / np.sqrt(var + eps)          # (D,)
    # out = gamma * x_hat + beta = xc * (gamma * inv_std) + beta. Speed: the
    # (D,) vector gamma * inv_std is formed first, so xc is scaled once, and
    # beta is added in place (one (N, D) array instead of two).
    out = xc * (gamma * inv_std)
    out += beta
    return out, (xc, gamma, inv_std, mode)


def batchnorm_backward(dout, cache):
    """Backward pass of batch normalization.

    Inputs:  dout, (N, D) upstream gradient; cache from batchnorm_forward
    Returns: (dx, dgamma, dbeta): (N, D), (D,) and (D,)
    """
    xc, gamma, inv_std, mode = cache           # x_hat = xc * inv_std
    dout = as_float_array(dout)
    if dout.shape != xc.shape:
        raise ValueError(f"batchnorm_backward: dout must have the shape of the forward output "
                         f"{xc.shape}; got {dout.shape}")
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)                    # out = gamma * x_hat + beta
    # dgamma = sum_n dout[n] * x_hat[n] = inv_std * sum_n dout[n] * xc[n]. Speed:
    # einsum sums the products without building the (N, D) array dout * xc.
    dgamma = np.einsum("nd,nd->d", dout, xc) * inv_std
    if mode == "test":
        # The running statistics are constants: out is an elementwise affine
        # function of x with slope gamma / sqrt(running_var + eps).
        return dout * (gamma * inv_std), dgamma, dbeta

    # Train mode. Write g = dL/dx_hat = gamma * dout and s = 1 / sqrt(var + eps).
    # Every x[n] of a column moves that column's mean and variance too, so
    # dL/dx[n] collects three paths: through x_hat[n] directly, through mu and
    # through var. With dmu/dx[n] = 1/N and dvar/dx[n] = 2 (x[n] - mu) / N,
    # they sum to
    #     dx[n] = s * (g[n] - mean_m g[m] - x_hat[n] * mean_m (g[m] * x_hat[m])).
    # In words: remove from g its mean (the shift the normalization undoes)
    # and its component along x_hat (the scaling it undoes), then scale by s.
    # Since mean_m g[m] = gamma * dbeta / N and mean_m g[m] x_hat[m] =
    # gamma * dgamma / N, this is the compact
    #     dx = gamma * s * (dout - dbeta / N - x_hat * dgamma / N),
    # which reuses dbeta and dgamma. Speed: it is computed term by term into
    # one new (N, D) array, dx, with x_hat * dgamma = xc * (s * dgamma); the
    # other steps work in place and only (D,) vectors are formed on the way.
    dx = xc * (-inv_std * dgamma / N)
    dx += dout
    dx -= dbeta / N
    dx *= gamma * inv_std
    return dx, dgamma, dbeta
