"""Variants of the graded functions of 01_neurons (see cs231n_course/variants.py).

Each `wrong` variant is a mistake students plausibly make; the autograder
must take points away. Each `right` variant computes the same maths another
way; it must get full marks. They run in the notebook's namespace, so `np`
and the notebook's own functions (e.g. `sigmoid`) are available.
"""
import numpy as np

from cs231n_course.variants import right, wrong


# --- sigmoid ---------------------------------------------------------------


@wrong("sigmoid", "e^x / (1 + e^x) everywhere: inf/inf = NaN for large positive x")
def sigmoid_other_naive(x):
    return np.exp(x) / (1.0 + np.exp(x))


@wrong("sigmoid", "stable branches swapped: computes sigmoid(-x)")
def sigmoid_swapped(x):
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, z / (1.0 + z), 1.0 / (1.0 + z))


@wrong("sigmoid", "tanh identity without halving x: (1 + tanh(x)) / 2 is sigmoid(2x)")
def sigmoid_tanh_wrong(x):
    return 0.5 * (1.0 + np.tanh(x))


@right("sigmoid", "tanh identity sigmoid(x) = (1 + tanh(x/2)) / 2, stable because tanh saturates")
def sigmoid_tanh(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@right("sigmoid", "boolean masks: each branch computed only where it is safe")
def sigmoid_masks(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1.0 + e)
    return out


@right("sigmoid", "scipy.special.expit")
def sigmoid_scipy(x):
    from scipy.special import expit
    return expit(x)


# --- neuron_forward --------------------------------------------------------

@wrong("neuron_forward", "forgets the non-linearity: returns the cell-body sum")
def neuron_forward_no_sigmoid(X, w, b):
    return X @ w + b


@wrong("neuron_forward", "forgets the bias")
def neuron_forward_no_bias(X, w, b):
    return sigmoid(X @ w)


@wrong("neuron_forward", "subtracts the bias")
def neuron_forward_minus_bias(X, w, b):
    return sigmoid(X @ w - b)


@wrong("neuron_forward", "the notes' np.sum(inputs * weights) applied to the whole batch: one number")
def neuron_forward_total_sum(X, w, b):
    return sigmoid(np.sum(X * w) + b)


@right("neuron_forward", "einsum and the tanh form of the sigmoid")
def neuron_forward_einsum(X, w, b):
    s = np.einsum("nd,d->n", X, w) + b
    return 0.5 * (1.0 + np.tanh(0.5 * s))


@right("neuron_forward", "elementwise product summed over each row")
def neuron_forward_rowsum(X, w, b):
    return sigmoid(np.sum(X * w[None, :], axis=1) + b)


# --- binary_softmax_loss ---------------------------------------------------


@wrong("binary_softmax_loss", "log of the sigmoid: log(0) for confident scores")
def binary_softmax_loss_naive_log(w, b, X, y, reg):
    N = X.shape[0]
    p = sigmoid(X @ w + b)
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + 0.5 * reg * np.sum(w * w)
    df = (p - y) / N
    return loss, X.T @ df + reg * w, np.sum(df)


@wrong("binary_softmax_loss", "penalty reg*sum(w**2) without the 0.5 (gradient 2*reg*w)")
def binary_softmax_loss_no_half(w, b, X, y, reg):
    N = X.shape[0]
    f = X @ w + b
    loss = np.mean(np.logaddexp(0.0, f) - y * f) + reg * np.sum(w * w)
    df = (sigmoid(f) - y) / N
    return loss, X.T @ df + 2 * reg * w, np.sum(df)


@wrong("binary_softmax_loss", "gradient of the log-likelihood (sign flipped)")
def binary_softmax_loss_sign(w, b, X, y, reg):
    N = X.shape[0]
    f = X @ w + b
    loss = np.mean(np.logaddexp(0.0, f) - y * f) + 0.5 * reg * np.sum(w * w)
    df = (y - sigmoid(f)) / N
    return loss, X.T @ df + reg * w, np.sum(df)


@wrong("binary_softmax_loss", "regularizes the bias too")
def binary_softmax_loss_reg_bias(w, b, X, y, reg):
    N = X.shape[0]
    f = X @ w + b
    loss = np.mean(np.logaddexp(0.0, f) - y * f) + 0.5 * reg * (np.sum(w * w) + b * b)
    df = (sigmoid(f) - y) / N
    return loss, X.T @ df + reg * w, np.sum(df) + reg * b


@right("binary_softmax_loss", "labels mapped to t = +-1: loss log(1 + exp(-t f)), gradient -t sigmoid(-t f)")
def binary_softmax_loss_pm1(w, b, X, y, reg):
    N = X.shape[0]
    t = 2.0 * y - 1.0
    f = X @ w + b
    loss = np.mean(np.logaddexp(0.0, -t * f)) + 0.5 * reg * w @ w
    df = -t * sigmoid(-t * f) / N
    return loss, X.T @ df + reg * w, df.sum()


@right("binary_softmax_loss", "log-sigmoid per class with np.where on stable arrays, einsum gradient")
def binary_softmax_loss_where(w, b, X, y, reg):
    N = len(y)
    f = X @ w + b
    nll = np.where(y == 1, np.logaddexp(0.0, -f), np.logaddexp(0.0, f))
    p = sigmoid(f)
    dw = np.einsum("n,nd->d", p - y, X) / N + reg * w
    return nll.mean() + 0.5 * reg * np.sum(w ** 2), dw, np.mean(p - y)


# --- binary_svm_loss -------------------------------------------------------

@wrong("binary_svm_loss", "sums over examples instead of averaging")
def binary_svm_loss_sum(w, b, X, y, reg):
    f = X @ w + b
    margins = np.maximum(0.0, 1.0 - y * f)
    df = -y * (margins > 0)
    return np.sum(margins) + 0.5 * reg * np.sum(w * w), X.T @ df + reg * w, np.sum(df)


@wrong("binary_svm_loss", "gradient ignores which margins are active (-y for every example)")
def binary_svm_loss_no_indicator(w, b, X, y, reg):
    N = X.shape[0]
    f = X @ w + b
    margins = np.maximum(0.0, 1.0 - y * f)
    df = -y / N
    return np.mean(margins) + 0.5 * reg * np.sum(w * w), X.T @ df + reg * w, np.sum(df)


@wrong("binary_svm_loss", "treats the labels as 0/1 and maps them with 2y - 1")
def binary_svm_loss_01_labels(w, b, X, y, reg):
    N = X.shape[0]
    t = 2 * y - 1
    f = X @ w + b
    margins = np.maximum(0.0, 1.0 - t * f)
    df = -t * (margins > 0) / N
    return np.mean(margins) + 0.5 * reg * np.sum(w * w), X.T @ df + reg * w, np.sum(df)


@wrong("binary_svm_loss", "penalty without the 0.5")
def binary_svm_loss_no_half(w, b, X, y, reg):
    N = X.shape[0]
    f = X @ w + b
    margins = np.maximum(0.0, 1.0 - y * f)
    df = -y * (margins > 0) / N
    return np.mean(margins) + reg * np.sum(w * w), X.T @ df + 2 * reg * w, np.sum(df)


@right("binary_svm_loss", "select the active examples with a boolean mask")
def binary_svm_loss_mask(w, b, X, y, reg):
    N = X.shape[0]
    f = X @ w + b
    active = 1.0 - y * f > 0
    loss = np.sum(1.0 - y[active] * f[active]) / N + 0.5 * reg * np.dot(w, w)
    dw = -(X[active].T @ y[active]) / N + reg * w
    db = -np.sum(y[active]) / N
    return loss, dw, db


@right("binary_svm_loss", "np.clip for the hinge and np.heaviside for its derivative")
def binary_svm_loss_clip(w, b, X, y, reg):
    N = X.shape[0]
    margins = np.clip(1.0 - y * (X @ w + b), 0.0, None)
    df = -y * np.heaviside(margins, 0.0) / N
    return margins.mean() + 0.5 * reg * (w ** 2).sum(), X.T @ df + reg * w, df.sum()
