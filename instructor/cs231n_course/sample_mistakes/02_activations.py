"""The plausible mistakes of the sample class's student ``sample-mistakes`` in 02_activations.

Each is a wrong variant (see ``cs231n_course/variants.py``); the tests grade them with the other
variants of ``tests/variants/02_activations.py``, and the main job's sample class submits them.
"""
import numpy as np

from cs231n_course.variants import wrong


@wrong("prelu_backward", "dalpha not summed over the examples: shape (N, D)", sample=True)
def prelu_backward_no_sum(dout, cache):
    x, alpha = cache
    neg = x < 0
    return dout * np.where(neg, alpha, 1.0), np.where(neg, dout * x, 0.0)


@wrong("maxout_backward", "sends the gradient to every piece, not just the winner", sample=True)
def maxout_backward_all_pieces(dout, cache):
    x, W, z = cache
    dz = np.repeat(dout[:, :, None], z.shape[2], axis=2)
    return np.einsum("nhk,dhk->nd", dz, W), np.einsum("nd,nhk->dhk", x, dz), dz.sum(axis=0)
