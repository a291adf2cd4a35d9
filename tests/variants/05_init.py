"""Variants of the graded functions of 05_init (see cs231n_course/variants.py).

Each `wrong` variant is a mistake students plausibly make; the autograder
must take points away. Each `right` variant computes the same maths another
way; it must get full marks. They run in the notebook's namespace, so `np`
and the notebook's own functions are available. A batchnorm_backward variant
receives the cache of the notebook's own batchnorm_forward:
(x, mu, std, x_hat, gamma, mode), except in the pairs at the end of the file,
whose forward pass keeps another kind of cache and brings its own backward.
"""
import numpy as np

from cs231n_course.variants import right, wrong


# --- init_weights ------------------------------------------------------------

@wrong("init_weights", "He with sqrt(1/n): the calibrated scheme, missing the ReLU factor 2")
def init_weights_he_without_2(fan_in, fan_out, scheme, rng):
    shape = (fan_in, fan_out)
    if scheme == "zeros":
        return np.zeros(shape)
    if scheme == "small":
        return 0.01 * rng.standard_normal(shape)
    if scheme in ("calibrated", "he"):
        return rng.standard_normal(shape) * np.sqrt(1.0 / fan_in)
    if scheme == "glorot":
        return rng.standard_normal(shape) * np.sqrt(2.0 / (fan_in + fan_out))
    k = min(10, fan_in)
    mask = rng.permuted(np.arange(fan_in)[:, None] < np.full(shape, k), axis=0)
    W = np.zeros(shape)
    W[mask] = 0.01 * rng.standard_normal(k * fan_out)
    return W


@wrong("init_weights", "Glorot with variance 1/(n_in + n_out) instead of 2/(n_in + n_out)")
def init_weights_glorot_half(fan_in, fan_out, scheme, rng):
    shape = (fan_in, fan_out)
    scales = {"zeros": 0.0, "small": 0.01, "calibrated": 1 / np.sqrt(fan_in),
              "glorot": np.sqrt(1.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in)}
    if scheme in scales:
        return scales[scheme] * rng.standard_normal(shape)
    k = min(10, fan_in)
    mask = rng.permuted(np.arange(fan_in)[:, None] < np.full(shape, k), axis=0)
    W = np.zeros(shape)
    W[mask] = 0.01 * rng.standard_normal(k * fan_out)
    return W


@wrong("init_weights", "calibrated as randn / n instead of randn / sqrt(n)")
def init_weights_calibrated_over_n(fan_in, fan_out, scheme, rng):
    shape = (fan_in, fan_out)
    scales = {"zeros": 0.0, "small": 0.01, "calibrated": 1.0 / fan_in,
              "glorot": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in)}
    if scheme in scales:
        return scales[scheme] * rng.standard_normal(shape)
    k = min(10, fan_in)
    mask = rng.permuted(np.arange(fan_in)[:, None] < np.full(shape, k), axis=0)
    W = np.zeros(shape)
    W[mask] = 0.01 * rng.standard_normal(k * fan_out)
    return W


@wrong("init_weights", "sparse always connects the first 10 inputs: the same rows for every unit")
def init_weights_sparse_first_rows(fan_in, fan_out, scheme, rng):
    shape = (fan_in, fan_out)
    scales = {"zeros": 0.0, "small": 0.01, "calibrated": 1 / np.sqrt(fan_in),
              "glorot": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in)}
    if scheme in scales:
        return scales[scheme] * rng.standard_normal(shape)
    k = min(10, fan_in)
    W = np.zeros(shape)
    W[:k] = 0.01 * rng.standard_normal((k, fan_out))
    return W


@wrong("init_weights", "ignores rng and draws from the global np.random: not reproducible")
def init_weights_global_random(fan_in, fan_out, scheme, rng):
    shape = (fan_in, fan_out)
    scales = {"zeros": 0.0, "small": 0.01, "calibrated": 1 / np.sqrt(fan_in),
              "glorot": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in)}
    if scheme in scales:
        return scales[scheme] * np.random.randn(*shape)
    k = min(10, fan_in)
    W = np.zeros(shape)
    for j in range(fan_out):
        W[np.random.choice(fan_in, k, replace=False), j] = 0.01 * np.random.randn(k)
    return W


@wrong("init_weights", "He with the fan-out: randn * sqrt(2 / fan_out)")
def init_weights_he_fan_out(fan_in, fan_out, scheme, rng):
    shape = (fan_in, fan_out)
    scales = {"zeros": 0.0, "small": 0.01, "calibrated": 1 / np.sqrt(fan_in),
              "glorot": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_out)}
    if scheme in scales:
        return scales[scheme] * rng.standard_normal(shape)
    k = min(10, fan_in)
    mask = rng.permuted(np.arange(fan_in)[:, None] < np.full(shape, k), axis=0)
    W = np.zeros(shape)
    W[mask] = 0.01 * rng.standard_normal(k * fan_out)
    return W


@right("init_weights", "rng.normal with a scale per scheme; sparse rows drawn by rng.choice, one unit at a time")
def init_weights_normal_choice(fan_in, fan_out, scheme, rng):
    std = {"zeros": 0.0, "small": 0.01, "calibrated": np.sqrt(1.0 / fan_in),
           "glorot": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in)}
    if scheme in std:
        return rng.normal(0.0, std[scheme], size=(fan_in, fan_out))
    if scheme != "sparse":
        raise ValueError(f"unknown scheme {scheme!r}")
    k = min(10, fan_in)
    W = np.zeros((fan_in, fan_out))
    for j in range(fan_out):                      # a loop over units, not examples
        W[rng.choice(fan_in, size=k, replace=False), j] = rng.normal(0.0, 0.01, size=k)
    return W


@right("init_weights", "sparse rows as the k smallest of random keys per column (argpartition)")
def init_weights_argpartition(fan_in, fan_out, scheme, rng):
    shape = (fan_in, fan_out)
    if scheme == "zeros":
        return np.zeros(shape)
    if scheme == "sparse":
        k = min(10, fan_in)
        keys = rng.random(shape)
        rows = np.argpartition(keys, k - 1, axis=0)[:k]         # k distinct random rows per column
        W = np.zeros(shape)
        np.put_along_axis(W, rows, 0.01 * rng.standard_normal(rows.shape), axis=0)
        return W
    variance = {"small": 1e-4, "calibrated": 1.0 / fan_in, "glorot": 2.0 / (fan_in + fan_out),
                "he": 2.0 / fan_in}[scheme]
    return np.sqrt(variance) * rng.standard_normal(shape)


@right("init_weights", "a child generator seeded from rng (rng.integers), weights drawn transposed; "
                       "sparse rows from an argsort of random keys")
def init_weights_child_generator(fan_in, fan_out, scheme, rng):
    if scheme == "zeros":
        return np.zeros((fan_in, fan_out))
    child = np.random.default_rng(rng.integers(2**63))    # equal rngs give equal children; rng moves on
    if scheme == "sparse":
        k = min(10, fan_in)
        rows = np.argsort(child.random((fan_out, fan_in)), axis=1)[:, :k]      # (fan_out, k) distinct rows
        W = np.zeros((fan_out, fan_in))
        np.put_along_axis(W, rows, child.normal(0.0, 0.01, size=(fan_out, k)), axis=1)
        return W.T.copy()
    std = {"small": 0.01, "calibrated": 1 / np.sqrt(fan_in), "glorot": np.sqrt(2 / (fan_in + fan_out)),
           "he": np.sqrt(2 / fan_in)}[scheme]
    return (std * child.standard_normal((fan_out, fan_in))).T.copy()


# --- batchnorm_forward -------------------------------------------------------

@wrong("batchnorm_forward", "test mode normalizes with the test batch's statistics, not the running averages")
def batchnorm_forward_batch_stats_at_test(x, gamma, beta, bn_param):
    eps = bn_param.get("eps", 1e-5)
    m = bn_param.get("momentum", 0.9)
    mu, var = x.mean(axis=0), x.var(axis=0)
    if bn_param["mode"] == "train":
        D = x.shape[1]
        bn_param["running_mean"] = m * bn_param.get("running_mean", np.zeros(D)) + (1 - m) * mu
        bn_param["running_var"] = m * bn_param.get("running_var", np.zeros(D)) + (1 - m) * var
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x, mu, std, x_hat, gamma, bn_param["mode"])


@wrong("batchnorm_forward", "never updates the running averages in train mode")
def batchnorm_forward_no_running_update(x, gamma, beta, bn_param):
    eps = bn_param.get("eps", 1e-5)
    D = x.shape[1]
    if bn_param["mode"] == "train":
        mu, var = x.mean(axis=0), x.var(axis=0)
    else:
        mu = bn_param.get("running_mean", np.zeros(D))
        var = bn_param.get("running_var", np.zeros(D))
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x, mu, std, x_hat, gamma, bn_param["mode"])


@wrong("batchnorm_forward", "momentum weights swapped: running = (1 - m) * running + m * batch")
def batchnorm_forward_swapped_momentum(x, gamma, beta, bn_param):
    eps = bn_param.get("eps", 1e-5)
    m = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if bn_param["mode"] == "train":
        mu, var = x.mean(axis=0), x.var(axis=0)
        bn_param["running_mean"] = (1 - m) * running_mean + m * mu
        bn_param["running_var"] = (1 - m) * running_var + m * var
    else:
        mu, var = running_mean, running_var
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x, mu, std, x_hat, gamma, bn_param["mode"])


@wrong("batchnorm_forward", "unbiased variance (ddof=1) instead of dividing by N")
def batchnorm_forward_ddof1(x, gamma, beta, bn_param):
    eps = bn_param.get("eps", 1e-5)
    m = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if bn_param["mode"] == "train":
        mu = x.mean(axis=0)
        var = x.var(axis=0, ddof=1) if x.shape[0] > 1 else np.zeros(D)
        bn_param["running_mean"] = m * running_mean + (1 - m) * mu
        bn_param["running_var"] = m * running_var + (1 - m) * var
    else:
        mu, var = running_mean, running_var
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x, mu, std, x_hat, gamma, bn_param["mode"])


@wrong("batchnorm_forward", "eps added to the standard deviation instead of the variance")
def batchnorm_forward_eps_outside(x, gamma, beta, bn_param):
    eps = bn_param.get("eps", 1e-5)
    m = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if bn_param["mode"] == "train":
        mu, var = x.mean(axis=0), x.var(axis=0)
        bn_param["running_mean"] = m * running_mean + (1 - m) * mu
        bn_param["running_var"] = m * running_var + (1 - m) * var
    else:
        mu, var = running_mean, running_var
    std = np.sqrt(var) + eps
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x, mu, std, x_hat, gamma, bn_param["mode"])


@right("batchnorm_forward", "np.var and keepdims, running averages written with dict.update")
def batchnorm_forward_keepdims(x, gamma, beta, bn_param):
    eps = bn_param.get("eps", 1e-5)
    m = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    if bn_param["mode"] == "train":
        mu = np.mean(x, axis=0, keepdims=True)
        var = np.var(x, axis=0, keepdims=True)
        bn_param.update(
            running_mean=m * bn_param.get("running_mean", np.zeros(D)) + (1 - m) * mu[0],
            running_var=m * bn_param.get("running_var", np.zeros(D)) + (1 - m) * var[0])
    else:
        mu = bn_param.get("running_mean", np.zeros(D))[None, :]
        var = bn_param.get("running_var", np.zeros(D))[None, :]
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    out = gamma[None, :] * x_hat + beta[None, :]
    return out, (x, mu[0], std[0], x_hat, gamma, bn_param["mode"])


@right("batchnorm_forward", "one affine map per column: out = x * scale + shift, scale = gamma / std")
def batchnorm_forward_scale_shift(x, gamma, beta, bn_param):
    D = x.shape[1]
    eps = bn_param.get("eps", 1e-5)
    m = bn_param.get("momentum", 0.9)
    old_mean = bn_param.get("running_mean", np.zeros(D))
    old_var = bn_param.get("running_var", np.zeros(D))
    if bn_param["mode"] == "train":
        mu = x.sum(axis=0) / x.shape[0]
        var = ((x - mu) ** 2).sum(axis=0) / x.shape[0]
        bn_param["running_mean"] = old_mean + (1 - m) * (mu - old_mean)
        bn_param["running_var"] = old_var + (1 - m) * (var - old_var)
    else:
        mu, var = old_mean, old_var
    std = np.sqrt(var + eps)
    scale = gamma / std
    out = x * scale + (beta - mu * scale)
    return out, (x, mu, std, (x - mu) / std, gamma, bn_param["mode"])


# --- batchnorm_backward ------------------------------------------------------


@wrong("batchnorm_backward", "keeps the path through the mean but misses the one through the variance")
def batchnorm_backward_no_var_term(dout, cache):
    x, mu, std, x_hat, gamma, mode = cache
    g = gamma * dout
    dx = g / std if mode == "test" else (g - g.mean(axis=0)) / std
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


@wrong("batchnorm_backward", "dgamma from the raw inputs x instead of the normalized x_hat")
def batchnorm_backward_dgamma_raw_x(dout, cache):
    x, mu, std, x_hat, gamma, mode = cache
    g = gamma * dout
    dx = g / std if mode == "test" else (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std
    return dx, np.sum(dout * x, axis=0), np.sum(dout, axis=0)


@wrong("batchnorm_backward", "uses the train-mode formula on test-mode caches too")
def batchnorm_backward_always_train(dout, cache):
    x, mu, std, x_hat, gamma, mode = cache
    g = gamma * dout
    dx = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


@wrong("batchnorm_backward", "variance path with the wrong sign: + x_hat * mean(g * x_hat)")
def batchnorm_backward_var_sign(dout, cache):
    x, mu, std, x_hat, gamma, mode = cache
    g = gamma * dout
    dx = g / std if mode == "test" else (g - g.mean(axis=0) + x_hat * (g * x_hat).mean(axis=0)) / std
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


@right("batchnorm_backward", "step by step through the computational graph x -> mu -> var -> x_hat -> out")
def batchnorm_backward_graph(dout, cache):
    x, mu, std, x_hat, gamma, mode = cache
    N = x.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    if mode == "test":
        return dx_hat / std, dgamma, dbeta
    xc = x - mu                                       # x_hat = xc / std, std = sqrt(var + eps)
    dxc = dx_hat / std                                # direct path
    dstd = -np.sum(dx_hat * xc, axis=0) / std ** 2
    dvar = dstd / (2 * std)
    dxc += 2 * xc * dvar / N                          # var = mean(xc ** 2)
    dmu = -np.sum(dxc, axis=0)                        # xc = x - mu
    dx = dxc + dmu / N                                # mu = mean(x)
    return dx, dgamma, dbeta


@right("batchnorm_backward", "the compact form gamma / (N std) * (N dout - dbeta - x_hat dgamma)")
def batchnorm_backward_compact(dout, cache):
    x, mu, std, x_hat, gamma, mode = cache
    N = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    if mode == "test":
        return dout * (gamma / std), dgamma, dbeta
    dx = (gamma / (N * std)) * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


# --- batchnorm forward/backward pairs with other kinds of cache ----------------
# The cache is the student's business; a forward pass that changes its kind
# brings its backward pass (``also``).

def _batch_statistics(x, bn_param):
    """(mu, var) of the batch in train mode (updating the running averages), else the running ones."""
    D = x.shape[1]
    m = bn_param.get("momentum", 0.9)
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if bn_param["mode"] != "train":
        return running_mean, running_var
    mu, var = x.mean(axis=0), x.var(axis=0)
    bn_param["running_mean"] = m * running_mean + (1 - m) * mu
    bn_param["running_var"] = m * running_var + (1 - m) * var
    return mu, var


def batchnorm_backward_dict(dout, cache):
    g = cache["gamma"] * dout
    dgamma, dbeta = np.sum(dout * cache["x_hat"], axis=0), np.sum(dout, axis=0)
    if not cache["train"]:
        return g / cache["std"], dgamma, dbeta
    x_hat = cache["x_hat"]
    return (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / cache["std"], dgamma, dbeta


@right("batchnorm_forward", "cache is a dict (x_hat, std, gamma, train), with its backward",
       helpers=[_batch_statistics], also={"batchnorm_backward": batchnorm_backward_dict})
def batchnorm_forward_dict(x, gamma, beta, bn_param):
    mu, var = _batch_statistics(x, bn_param)
    std = np.sqrt(var + bn_param.get("eps", 1e-5))
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, {"x_hat": x_hat, "std": std, "gamma": gamma, "train": bn_param["mode"] == "train"}


class BatchNormCache:
    """What batchnorm_backward needs: the normalized input, its std, gamma and the mode."""

    def __init__(self, x_hat, std, gamma, mode):
        self.x_hat, self.std, self.gamma, self.mode = x_hat, std, gamma, mode


def batchnorm_backward_object(dout, cache):
    N = dout.shape[0]
    dbeta, dgamma = dout.sum(axis=0), (dout * cache.x_hat).sum(axis=0)
    if cache.mode == "test":
        return dout * cache.gamma / cache.std, dgamma, dbeta
    return cache.gamma / (N * cache.std) * (N * dout - dbeta - cache.x_hat * dgamma), dgamma, dbeta


@right("batchnorm_forward", "cache is an instance of the student's own class, with its backward",
       helpers=[_batch_statistics, BatchNormCache], also={"batchnorm_backward": batchnorm_backward_object})
def batchnorm_forward_object(x, gamma, beta, bn_param):
    mu, var = _batch_statistics(x, bn_param)
    std = np.sqrt(var + bn_param.get("eps", 1e-5))
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, BatchNormCache(x_hat, std, gamma, bn_param["mode"])
