"""Variants of the graded functions of 07_losses (see cs231n_course/variants.py).

Each `wrong` variant is a mistake students plausibly make; the autograder
must take points away. Each `right` variant computes the same maths another
way; it must get full marks. They run in the notebook's namespace, so `np`
and the notebook's own functions are available.
"""
import numpy as np

from cs231n_course.variants import right, wrong


# --- svm_loss --------------------------------------------------------------


@wrong("svm_loss", "sums the loss over the examples instead of averaging")
def svm_loss_sum(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    dscores = (margins > 0).astype(float)
    dscores[rows, y] = -dscores.sum(axis=1)
    return np.sum(margins), dscores


@wrong("svm_loss", "the correct class gets -1 instead of -1 per violating class")
def svm_loss_correct_minus_one(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    dscores = (margins > 0).astype(float)
    dscores[rows, y] = -1.0 * (dscores.sum(axis=1) > 0)
    return np.sum(margins) / N, dscores / N


@wrong("svm_loss", "margin 0 instead of 1")
def svm_loss_no_margin(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None])
    margins[rows, y] = 0.0
    dscores = (margins > 0).astype(float)
    dscores[rows, y] = -dscores.sum(axis=1)
    return np.sum(margins) / N, dscores / N


@wrong("svm_loss", "modifies the scores in place to zero the correct class")
def svm_loss_in_place(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    correct = scores[rows, y].copy()
    scores -= correct[:, None] - 1.0
    scores[rows, y] = 0.0
    margins = np.maximum(0.0, scores)
    dscores = (margins > 0).astype(float)
    dscores[rows, y] = -dscores.sum(axis=1)
    return np.sum(margins) / N, dscores / N


@right("svm_loss", "one-hot mask instead of fancy indexing")
def svm_loss_onehot(scores, y):
    N, C = scores.shape
    onehot = np.eye(C)[y]
    correct = np.sum(scores * onehot, axis=1, keepdims=True)
    margins = np.maximum(0.0, scores - correct + 1.0) * (1.0 - onehot)
    active = (margins > 0).astype(float)
    dscores = active - onehot * active.sum(axis=1, keepdims=True)
    return margins.sum() / N, dscores / N


@right("svm_loss", "np.take_along_axis and np.where; the correct class's constant 1 subtracted afterwards")
def svm_loss_take(scores, y):
    N = scores.shape[0]
    correct = np.take_along_axis(scores, y[:, None], axis=1)
    raw = np.maximum(0.0, scores - correct + 1.0)           # the correct class contributes exactly 1
    loss = (raw.sum() - N) / N
    active = np.where(raw > 0, 1.0, 0.0)
    active[np.arange(N), y] = 0.0
    dscores = active.copy()
    np.put_along_axis(dscores, y[:, None], -active.sum(axis=1, keepdims=True), axis=1)
    return loss, dscores / N


# --- squared_hinge_loss ----------------------------------------------------

@wrong("squared_hinge_loss", "gradient of the plain hinge: misses the factor 2 * margin")
def squared_hinge_loss_indicator_grad(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    dscores = (margins > 0).astype(float)
    dscores[rows, y] = -dscores.sum(axis=1)
    return np.sum(margins ** 2) / N, dscores / N


@wrong("squared_hinge_loss", "gradient margin instead of 2 * margin")
def squared_hinge_loss_missing_two(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    dscores = margins.copy()
    dscores[rows, y] = -dscores.sum(axis=1)
    return np.sum(margins ** 2) / N, dscores / N


@wrong("squared_hinge_loss", "squares the total hinge loss of the example instead of each margin")
def squared_hinge_loss_square_of_sum(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    total = margins.sum(axis=1)
    dscores = 2.0 * total[:, None] * (margins > 0)
    dscores[rows, y] = -dscores.sum(axis=1)
    return np.sum(total ** 2) / N, dscores / N


@wrong("squared_hinge_loss", "includes the correct class in the sum")
def squared_hinge_loss_with_correct(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    dscores = 2.0 * margins
    dscores[rows, y] = 0.0
    dscores[rows, y] = -dscores.sum(axis=1)
    return np.sum(margins ** 2) / N, dscores / N


@right("squared_hinge_loss", "one-hot mask and a matrix product for the correct-class column")
def squared_hinge_loss_onehot(scores, y):
    N, C = scores.shape
    onehot = np.eye(C)[y]
    correct = np.sum(scores * onehot, axis=1, keepdims=True)
    m = np.clip(scores - correct + 1.0, 0.0, None) * (1.0 - onehot)
    g = 2.0 * m
    dscores = g - onehot * g.sum(axis=1, keepdims=True)
    return float(np.sum(m * m)) / N, dscores / N


@right("squared_hinge_loss", "mean over rows of the per-example sums")
def squared_hinge_loss_rowmean(scores, y):
    rows = np.arange(len(y))
    m = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    m[rows, y] = 0.0
    L = np.mean(np.sum(np.square(m), axis=1))
    d = 2.0 * m
    d[rows, y] = -2.0 * m.sum(axis=1)
    return L, d / len(y)


# --- softmax_loss ----------------------------------------------------------


@wrong("softmax_loss", "sums over the examples instead of averaging")
def softmax_loss_sum(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1.0
    return -np.sum(log_probs[rows, y]), dscores


@wrong("softmax_loss", "gradient forgets to subtract 1 at the correct class")
def softmax_loss_no_onehot(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.sum(log_probs[rows, y]) / N, np.exp(log_probs) / N


@wrong("softmax_loss", "subtracts the maximum of the whole batch instead of each row: log(0) when rows differ a lot")
def softmax_loss_global_max(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    e = np.exp(scores - scores.max())
    probs = e / e.sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[rows, y] -= 1.0
    return -np.sum(np.log(probs[rows, y])) / N, dscores / N


@right("softmax_loss", "scipy.special.logsumexp and a one-hot matrix")
def softmax_loss_logsumexp(scores, y):
    from scipy.special import logsumexp
    N, C = scores.shape
    onehot = np.eye(C)[y]
    lse = logsumexp(scores, axis=1)
    loss = np.mean(lse - np.sum(scores * onehot, axis=1))
    probs = np.exp(scores - lse[:, None])
    return loss, (probs - onehot) / N


@right("softmax_loss", "stable probabilities first, loss from the log of the correct-class probability sum")
def softmax_loss_probs(scores, y):
    N = scores.shape[0]
    z = scores - np.max(scores, axis=1)[:, None]
    e = np.exp(z)
    s = e.sum(axis=1)
    loss = np.mean(np.log(s) - z[np.arange(N), y])
    d = e / s[:, None]
    d[np.arange(N), y] -= 1
    return loss, d / N


# --- hierarchical_softmax_loss ---------------------------------------------

@wrong("hierarchical_softmax_loss", "sums over the examples instead of averaging")
def hierarchical_softmax_loss_sum(h, y, tree):
    codes = np.asarray(tree, dtype=float)[y]
    z = codes * h
    return np.sum(np.abs(codes) * np.logaddexp(0.0, -z)), -codes * np.exp(-np.logaddexp(0.0, z))


@wrong("hierarchical_softmax_loss", "counts the nodes off the path too (each adds log 2)")
def hierarchical_softmax_loss_all_nodes(h, y, tree):
    N = h.shape[0]
    codes = np.asarray(tree, dtype=float)[y]
    z = codes * h
    return np.sum(np.logaddexp(0.0, -z)) / N, -codes * np.exp(-np.logaddexp(0.0, z)) / N


@wrong("hierarchical_softmax_loss", "naive log(sigmoid): log(0) and overflow for node scores of 1000")
def hierarchical_softmax_loss_naive(h, y, tree):
    N = h.shape[0]
    codes = np.asarray(tree, dtype=float)[y]
    p = 1.0 / (1.0 + np.exp(-codes * h))
    loss = -np.sum(np.abs(codes) * np.log(p)) / N
    return loss, -codes * (1.0 - p) / N


@wrong("hierarchical_softmax_loss", "gradient with the wrong sign (ascends the log-likelihood)")
def hierarchical_softmax_loss_sign(h, y, tree):
    N = h.shape[0]
    codes = np.asarray(tree, dtype=float)[y]
    z = codes * h
    return np.sum(np.abs(codes) * np.logaddexp(0.0, -z)) / N, codes * np.exp(-np.logaddexp(0.0, z)) / N


@wrong("hierarchical_softmax_loss", "right and left swapped: sigma(-h) for going right")
def hierarchical_softmax_loss_swapped(h, y, tree):
    N = h.shape[0]
    codes = -np.asarray(tree, dtype=float)[y]
    z = codes * h
    return np.sum(np.abs(codes) * np.logaddexp(0.0, -z)) / N, -codes * np.exp(-np.logaddexp(0.0, z)) / N


@right("hierarchical_softmax_loss", "separate right/left masks and scipy's log_expit / expit")
def hierarchical_softmax_loss_masks(h, y, tree):
    from scipy.special import expit, log_expit
    N = h.shape[0]
    codes = np.asarray(tree)[y]
    right_, left_ = codes == 1, codes == -1
    loss = -(np.sum(log_expit(h) * right_) + np.sum(log_expit(-h) * left_)) / N
    dh = (-expit(-h) * right_ + expit(h) * left_) / N
    return loss, dh


@right("hierarchical_softmax_loss", "loop over the tree's nodes (vectorized over the examples)")
def hierarchical_softmax_loss_node_loop(h, y, tree):
    N, K = h.shape
    codes = np.asarray(tree, dtype=float)[y]
    loss, dh = 0.0, np.zeros((N, K))
    for j in range(K):
        t = codes[:, j]
        z = t * h[:, j]
        loss += np.sum((t != 0) * np.logaddexp(0.0, -z))
        dh[:, j] = -t * 0.5 * (1.0 - np.tanh(0.5 * z))       # sigma(-z) via tanh
    return loss / N, dh / N


# --- attribute_hinge_loss --------------------------------------------------

@wrong("attribute_hinge_loss", "sums over the examples instead of averaging")
def attribute_hinge_loss_sum(scores, Y):
    margins = np.maximum(0.0, 1.0 - Y * scores)
    return np.sum(margins), -Y * (margins > 0)


@wrong("attribute_hinge_loss", "averages over all N*C entries instead of summing over attributes")
def attribute_hinge_loss_mean_all(scores, Y):
    margins = np.maximum(0.0, 1.0 - Y * scores)
    return np.mean(margins), -Y * (margins > 0) / Y.size


@wrong("attribute_hinge_loss", "gradient -y everywhere, ignoring which margins are active")
def attribute_hinge_loss_no_indicator(scores, Y):
    N = scores.shape[0]
    margins = np.maximum(0.0, 1.0 - Y * scores)
    return np.sum(margins) / N, -Y / N


@wrong("attribute_hinge_loss", "margin 0: max(0, -y f)")
def attribute_hinge_loss_no_margin(scores, Y):
    N = scores.shape[0]
    margins = np.maximum(0.0, -Y * scores)
    return np.sum(margins) / N, -Y * (margins > 0) / N


@right("attribute_hinge_loss", "np.clip and a boolean mask")
def attribute_hinge_loss_clip(scores, Y):
    N = scores.shape[0]
    m = np.clip(1.0 - Y * scores, 0.0, None)
    active = 1.0 - Y * scores > 0
    return float(m.sum()) / N, np.where(active, -Y, 0.0) / N


@right("attribute_hinge_loss", "per-example sums, then their mean")
def attribute_hinge_loss_rows(scores, Y):
    m = np.maximum(0.0, 1.0 - Y * scores)
    return m.sum(axis=1).mean(), -Y * np.heaviside(m, 0.0) / scores.shape[0]


# --- attribute_logistic_loss -----------------------------------------------


@wrong("attribute_logistic_loss", "log of the sigmoid: log(0) for confident scores of 1000")
def attribute_logistic_loss_naive(scores, Y):
    N = scores.shape[0]
    p = 1.0 / (1.0 + np.exp(-scores))
    loss = -np.sum(Y * np.log(p) + (1 - Y) * np.log(1 - p)) / N
    return loss, (p - Y) / N


@wrong("attribute_logistic_loss", "sums over the examples instead of averaging")
def attribute_logistic_loss_sum(scores, Y):
    loss = np.sum(np.logaddexp(0.0, scores) - Y * scores)
    return loss, np.exp(-np.logaddexp(0.0, -scores)) - Y


@wrong("attribute_logistic_loss", "a Softmax over the attributes: they compete instead of being independent")
def attribute_logistic_loss_softmax(scores, Y):
    N = scores.shape[0]
    z = scores - scores.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    p = np.exp(log_p)
    loss = -np.sum(Y * log_p) / N
    dscores = p * Y.sum(axis=1, keepdims=True) - Y
    return loss, dscores / N


@right("attribute_logistic_loss", "scipy.special.log_expit for both log-probabilities, expit for the gradient")
def attribute_logistic_loss_scipy(scores, Y):
    from scipy.special import expit, log_expit
    N = scores.shape[0]
    loss = -np.sum(Y * log_expit(scores) + (1 - Y) * log_expit(-scores)) / N
    return loss, (expit(scores) - Y) / N


@right("attribute_logistic_loss", "labels mapped to t = +-1: log(1 + e^{-t f}), gradient -t sigma(-t f)")
def attribute_logistic_loss_pm1(scores, Y):
    N = scores.shape[0]
    t = 2.0 * Y - 1.0
    z = t * scores
    loss = np.sum(np.logaddexp(0.0, -z)) / N
    sig_minus = 0.5 * (1.0 - np.tanh(0.5 * z))              # sigma(-z)
    return loss, -t * sig_minus / N


# --- l2_regression_loss ----------------------------------------------------

@wrong("l2_regression_loss", "gradient (pred - target) / N: misses the factor 2")
def l2_regression_loss_no_two(pred, target):
    N = pred.shape[0]
    delta = pred - target
    return np.sum(delta ** 2) / N, delta / N


@wrong("l2_regression_loss", "averages over all N*D numbers instead of summing over the D outputs")
def l2_regression_loss_mean_all(pred, target):
    delta = pred - target
    return np.mean(delta ** 2), 2.0 * delta / delta.size


@wrong("l2_regression_loss", "sums over the examples instead of averaging")
def l2_regression_loss_sum(pred, target):
    delta = pred - target
    return np.sum(delta ** 2), 2.0 * delta


@wrong("l2_regression_loss", "the L2 norm, not squared")
def l2_regression_loss_not_squared(pred, target):
    N = pred.shape[0]
    delta = (pred - target).reshape(N, -1)
    norms = np.sqrt(np.sum(delta ** 2, axis=1))
    grad = delta / np.maximum(norms, 1e-12)[:, None]
    return np.sum(norms) / N, grad.reshape(pred.shape) / N


@right("l2_regression_loss", "dot product of the flattened error with itself")
def l2_regression_loss_dot(pred, target):
    delta = np.ravel(pred - target)
    N = len(pred)
    return float(delta @ delta) / N, (2.0 / N) * (pred - target)


@right("l2_regression_loss", "per-example squared norms with np.linalg.norm on (N, -1) rows")
def l2_regression_loss_norm(pred, target):
    N = pred.shape[0]
    delta = pred - target
    per_example = np.linalg.norm(delta.reshape(N, -1), axis=1) ** 2
    return per_example.mean(), 2 * delta / N


# --- l1_regression_loss ----------------------------------------------------

@wrong("l1_regression_loss", "L2-style gradient delta / N instead of sign(delta) / N")
def l1_regression_loss_l2_grad(pred, target):
    N = pred.shape[0]
    delta = pred - target
    return np.sum(np.abs(delta)) / N, delta / N


@wrong("l1_regression_loss", "gradient sign(target - pred): the wrong sign")
def l1_regression_loss_sign(pred, target):
    N = pred.shape[0]
    delta = pred - target
    return np.sum(np.abs(delta)) / N, np.sign(target - pred) / N


@wrong("l1_regression_loss", "averages over all N*D numbers")
def l1_regression_loss_mean_all(pred, target):
    delta = pred - target
    return np.mean(np.abs(delta)), np.sign(delta) / delta.size


@wrong("l1_regression_loss", "forgets the 1/N in the gradient")
def l1_regression_loss_grad_sum(pred, target):
    N = pred.shape[0]
    delta = pred - target
    return np.sum(np.abs(delta)) / N, np.sign(delta)


@right("l1_regression_loss", "np.where for the sign and per-example sums")
def l1_regression_loss_where(pred, target):
    N = pred.shape[0]
    delta = pred - target
    grad = np.where(delta > 0, 1.0, np.where(delta < 0, -1.0, 0.0))
    return np.abs(delta).reshape(N, -1).sum(axis=1).mean(), grad / N


@right("l1_regression_loss", "delta / |delta| with the zeros handled")
def l1_regression_loss_ratio(pred, target):
    N = pred.shape[0]
    delta = pred - target
    a = np.abs(delta)
    grad = np.divide(delta, a, out=np.zeros_like(delta, dtype=float), where=a > 0)
    return float(a.sum()) / N, grad / N
