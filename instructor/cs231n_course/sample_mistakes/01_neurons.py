"""The plausible mistakes of the sample class's student ``sample-mistakes`` in 01_neurons.

Each is a wrong variant (see ``cs231n_course/variants.py``); the tests grade them with the other
variants of ``tests/variants/01_neurons.py``, and the main job's sample class submits them.
"""
import numpy as np

from cs231n_course.variants import wrong


@wrong("sigmoid", "the textbook formula: exp(1000) overflows for x = -1000", sample=True)
def sigmoid_naive(x):
    return 1.0 / (1.0 + np.exp(-x))


@wrong("binary_softmax_loss", "sums the data loss and gradient over examples instead of averaging", sample=True)
def binary_softmax_loss_sum(w, b, X, y, reg):
    f = X @ w + b
    loss = np.sum(np.logaddexp(0.0, f) - y * f) + 0.5 * reg * np.sum(w * w)
    df = sigmoid(f) - y
    return loss, X.T @ df + reg * w, np.sum(df)
