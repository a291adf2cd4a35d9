"""The plausible mistakes of the sample class's student ``sample-mistakes`` in 07_losses.

Each is a wrong variant (see ``cs231n_course/variants.py``); the tests grade them with the other
variants of ``tests/variants/07_losses.py``, and the main job's sample class submits them.
"""
import numpy as np

from cs231n_course.variants import wrong


@wrong("svm_loss", "sums over every class, including the correct one (each example pays 1 extra)", sample=True)
def svm_loss_with_correct_class(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    dscores = (margins > 0).astype(float)
    dscores[rows, y] -= np.sum(margins > 0, axis=1)
    return np.sum(margins) / N, dscores / N


@wrong("softmax_loss", "no max subtraction: exp overflows for scores of 1000", sample=True)
def softmax_loss_unstable(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    e = np.exp(scores)
    probs = e / e.sum(axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[rows, y])) / N
    dscores = probs.copy()
    dscores[rows, y] -= 1.0
    return loss, dscores / N


@wrong("attribute_logistic_loss", "the notes' gradient of the log-likelihood, y - sigma(f): the wrong sign for a loss", sample=True)
def attribute_logistic_loss_sign(scores, Y):
    N = scores.shape[0]
    loss = np.sum(np.logaddexp(0.0, scores) - Y * scores) / N
    probs = np.exp(-np.logaddexp(0.0, -scores))
    return loss, (Y - probs) / N
