"""The plausible mistakes of the sample class's student ``sample-mistakes`` in 05_init.

Each is a wrong variant (see ``cs231n_course/variants.py``); the tests grade them with the other
variants of ``tests/variants/05_init.py``, and the main job's sample class submits them.
"""
import numpy as np

from cs231n_course.variants import wrong


@wrong("init_weights", "sparse with 10 non-zeros per row (per input) instead of per column (per unit)", sample=True)
def init_weights_sparse_per_row(fan_in, fan_out, scheme, rng):
    shape = (fan_in, fan_out)
    scales = {"zeros": 0.0, "small": 0.01, "calibrated": 1 / np.sqrt(fan_in),
              "glorot": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in)}
    if scheme in scales:
        return scales[scheme] * rng.standard_normal(shape)
    k = min(10, fan_out)
    mask = np.zeros(shape, dtype=bool)
    mask[:, :k] = True
    mask = rng.permuted(mask, axis=1)
    W = np.zeros(shape)
    W[mask] = 0.01 * rng.standard_normal(k * fan_in)
    return W


@wrong("batchnorm_backward", "misses the paths through the mean and variance: dx = gamma * dout / std", sample=True)
def batchnorm_backward_no_mean_terms(dout, cache):
    x, mu, std, x_hat, gamma, mode = cache
    return gamma * dout / std, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
