"""The plausible mistakes of the sample class's student ``sample-mistakes`` in 06_regularization.

Each is a wrong variant (see ``cs231n_course/variants.py``); the tests grade them with the other
variants of ``tests/variants/06_regularization.py``, and the main job's sample class submits them.
"""
import numpy as np

from cs231n_course.variants import wrong


@wrong("l2_penalty", "gradient 2 * reg * W: forgot that the 0.5 cancels the 2", sample=True)
def l2_penalty_double_grad(W, reg):
    return 0.5 * reg * np.sum(W * W), 2 * reg * W


@wrong("max_norm", "clamps the rows (each input's outgoing weights) instead of the columns", sample=True)
def max_norm_rows(W, c):
    norms = np.sqrt(np.sum(W * W, axis=1, keepdims=True))
    return W * (c / np.maximum(norms, c))


@wrong("dropout_backward", "forgets the 1/p: multiplies by the 0/1 mask", sample=True)
def dropout_backward_no_scale(dout, cache):
    p, mode, mask = cache
    if mode == "test":
        return np.array(dout, dtype=float)
    return dout * (mask > 0)
