"""Reference solutions for 07_losses: data losses (Part 2 of the notes, "Loss functions").

The data loss is the mean of the per-example losses, L = (1/N) sum_i L_i, where
f = f(x_i; W) are the scores of the output layer. Every function here returns
(loss, dscores): the mean loss (a float) and its gradient with respect to the
scores (same shape as the scores; note the 1/N in it).

- classification, one correct class y_i in [0, C):
  svm_loss, squared_hinge_loss, softmax_loss, hierarchical_softmax_loss
- attribute classification, a binary label per class:
  attribute_hinge_loss (labels +-1), attribute_logistic_loss (labels 0/1)
- regression, real-valued targets: l2_regression_loss, l1_regression_loss

All are vectorized (no loop over examples) and stable for scores up to |1e3|.
"""
import numpy as np

from cs231n_support.trees import balanced_tree_codes  # noqa: F401  (a student tool; re-exported)

from ._arrays import as_float_array
from .neurons import sigmoid as _sigmoid


# ---------------------------------------------------------------- validation
def _check_scores(scores, name, arg="scores"):
    scores = as_float_array(scores)                        # float32 kept, else float64
    if scores.ndim != 2:
        raise ValueError(f"{name}: {arg} must be 2-D (N, C), one row per example; got shape {scores.shape}")
    if scores.shape[0] == 0:
        raise ValueError(f"{name}: {arg} must hold at least one example; got shape {scores.shape}")
    if not np.all(np.isfinite(scores)):
        raise ValueError(f"{name}: {arg} contains NaN or inf")
    return scores


def _check_labels(y, N, C, name):
    """y must be (N,) integers in [0, C)."""
    y = np.asarray(y)
    if y.shape != (N,):
        raise ValueError(f"{name}: y must have shape ({N},), one label per row of scores; got {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"{name}: y must hold integer class labels; got dtype {y.dtype}")
    if N > 0 and (y.min() < 0 or y.max() >= C):
        raise ValueError(f"{name}: labels y must be in [0, {C}); got values from {y.min()} to {y.max()}")
    return y


def _check_binary_labels(Y, shape, values, name):
    """Y must have the scores' shape and hold only the two given values."""
    Y = np.asarray(Y)
    if Y.shape != shape:
        raise ValueError(f"{name}: Y must have the shape of scores {shape}; got {Y.shape}")
    if not np.all(np.isin(Y, values)):
        found = np.unique(Y)[:5].tolist()
        raise ValueError(f"{name}: Y must only hold the values {values}; found {found}")
    return Y.astype(np.float64)


def _log_sigmoid(x):
    """log sigma(x) = -log(1 + e^-x), computed stably by np.logaddexp."""
    return -np.logaddexp(0.0, -x)


# ------------------------------------------------------------ classification
def svm_loss(scores, y):
    """Multiclass SVM loss (Weston-Watkins), margin 1.

    L_i = sum_{j != y_i} max(0, f_j - f_{y_i} + 1)

    Inputs: scores (N, C); y (N,) integer labels in [0, C).
    Returns: (loss, dscores) with dscores (N, C). At a kink (margin exactly 0)
    the subgradient 0 is used.
    """
    scores = _check_scores(scores, "svm_loss")
    N, C = scores.shape
    y = _check_labels(y, N, C, "svm_loss")
    rows = np.arange(N)
    correct = scores[rows, y][:, None]                     # (N, 1)
    margins = np.maximum(0.0, scores - correct + 1.0)      # (N, C)
    margins[rows, y] = 0.0                                 # j != y_i only
    loss = np.sum(margins) / N
    dscores = (margins > 0).astype(scores.dtype)           # +1 for each violating j
    dscores[rows, y] = -np.sum(dscores, axis=1)            # -1 per violation for y_i
    return float(loss), dscores / N


def squared_hinge_loss(scores, y):
    """Squared hinge (L2-SVM) loss.

    L_i = sum_{j != y_i} max(0, f_j - f_{y_i} + 1)^2

    Inputs: scores (N, C); y (N,) integer labels in [0, C).
    Returns: (loss, dscores) with dscores (N, C).
    """
    scores = _check_scores(scores, "squared_hinge_loss")
    N, C = scores.shape
    y = _check_labels(y, N, C, "squared_hinge_loss")
    rows = np.arange(N)
    correct = scores[rows, y][:, None]
    margins = np.maximum(0.0, scores - correct + 1.0)
    margins[rows, y] = 0.0
    loss = np.sum(margins ** 2) / N
    dscores = 2.0 * margins                                # d/df_j of margin_j^2
    dscores[rows, y] = -np.sum(dscores, axis=1)
    return float(loss), dscores / N


def softmax_loss(scores, y):
    """Softmax (cross-entropy) loss, stable.

    L_i = -log( e^{f_{y_i}} / sum_j e^{f_j} ) = -f_{y_i} + log sum_j e^{f_j}

    Subtracting the row maximum from the scores first leaves the loss unchanged
    and keeps every exponent <= 0, so nothing overflows.

    Inputs: scores (N, C); y (N,) integer labels in [0, C).
    Returns: (loss, dscores) with dscores = (softmax(f) - onehot(y)) / N.
    """
    scores = _check_scores(scores, "softmax_loss")
    N, C = scores.shape
    y = _check_labels(y, N, C, "softmax_loss")
    rows = np.arange(N)
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.sum(log_probs[rows, y]) / N
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1.0
    return float(loss), dscores / N


# --------------------------------------------------- attribute classification
def attribute_hinge_loss(scores, Y):
    """Independent binary hinge loss for every attribute.

    L_i = sum_j max(0, 1 - y_ij f_j), with y_ij in {-1, +1}: attribute j is
    present (+1) or absent (-1); the score f_j should agree in sign, by a
    margin of at least 1.

    Inputs: scores (N, C); Y (N, C) with entries -1 or +1.
    Returns: (loss, dscores) with dscores (N, C).
    """
    scores = _check_scores(scores, "attribute_hinge_loss")
    Y = _check_binary_labels(Y, scores.shape, (-1, 1), "attribute_hinge_loss")
    N = scores.shape[0]
    margins = np.maximum(0.0, 1.0 - Y * scores)
    loss = np.sum(margins) / N
    dscores = -Y * (margins > 0) / N
    return float(loss), dscores


def attribute_logistic_loss(scores, Y):
    """Independent logistic regression for every attribute.

    L_i = -sum_j [ y_ij log sigma(f_j) + (1 - y_ij) log(1 - sigma(f_j)) ], y_ij in {0, 1}.

    Note on the notes: they write the log-likelihood sum_j y log sigma(f) +
    (1 - y) log(1 - sigma(f)), which is to be MAXIMIZED, and its gradient
    y - sigma(f). The loss we MINIMIZE is its negative, so its gradient is
    dL_i/df_j = sigma(f_j) - y_ij (the opposite sign).

    Stable form: since log(1 - sigma(f)) = log sigma(f) - f,
    L_ij = log(1 + e^{f}) - y f, and np.logaddexp(0, f) = log(1 + e^f) never
    overflows.

    Inputs: scores (N, C); Y (N, C) with entries 0 or 1.
    Returns: (loss, dscores) with dscores = (sigma(scores) - Y) / N.
    """
    scores = _check_scores(scores, "attribute_logistic_loss")
    Y = _check_binary_labels(Y, scores.shape, (0, 1), "attribute_logistic_loss")
    N = scores.shape[0]
    loss = np.sum(np.logaddexp(0.0, scores) - Y * scores) / N
    dscores = (_sigmoid(scores) - Y) / N
    return float(loss), dscores


# ---------------------------------------------------------------- regression
def _check_regression(pred, target, name):
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if pred.ndim not in (1, 2):
        raise ValueError(f"{name}: pred must be (N,) or (N, D); got shape {pred.shape}")
    if pred.shape[0] == 0:
        raise ValueError(f"{name}: pred must hold at least one example; got shape {pred.shape}")
    if pred.shape != target.shape:
        raise ValueError(f"{name}: pred and target must have the same shape; got {pred.shape} and {target.shape}")
    if not (np.all(np.isfinite(pred)) and np.all(np.isfinite(target))):
        raise ValueError(f"{name}: pred and target must not contain NaN or inf")
    return pred, target


def l2_regression_loss(pred, target):
    """Squared L2 norm of the error, averaged over examples.

    L_i = || f - y_i ||_2^2 = sum_j (f_j - y_ij)^2

    Inputs: pred and target, both (N,) (one number per example) or (N, D).
    Returns: (loss, dpred) with dpred = 2 * (pred - target) / N.
    """
    pred, target = _check_regression(pred, target, "l2_regression_loss")
    N = pred.shape[0]
    delta = pred - target
    return float(np.sum(delta ** 2) / N), 2.0 * delta / N


def l1_regression_loss(pred, target):
    """L1 norm of the error, averaged over examples.

    L_i = || f - y_i ||_1 = sum_j |f_j - y_ij|

    Inputs: pred and target, both (N,) or (N, D).
    Returns: (loss, dpred) with dpred = sign(pred - target) / N (0 at a kink).
    """
    pred, target = _check_regression(pred, target, "l1_regression_loss")
    N = pred.shape[0]
    delta = pred - target
    return float(np.sum(np.abs(delta)) / N), np.sign(delta) / N


# ------------------------------------------------------- hierarchical softmax
# Tree format. A binary tree has the C classes as leaves and C - 1 internal
# nodes, each a binary (sigmoid) classifier with score h_j. The tree is a
# (C, C-1) integer "code" matrix:
#     tree[c, j] = +1  if the path from the root to leaf c goes RIGHT at node j
#                  -1  if it goes LEFT at node j
#                   0  if node j is not on the path to c.
# Going right at node j has probability sigma(h_j), left sigma(-h_j), so
#     P(c | h) = prod_{j on c's path} sigma(tree[c, j] * h_j).
# With balanced trees a path has about log2(C) nodes instead of C classes.
# balanced_tree_codes, which builds one, is a tool given to students: it lives in
# cs231n_support.trees and is imported above.


def _check_tree(tree, name):
    tree = np.asarray(tree)
    if tree.ndim != 2 or tree.shape[0] < 2 or tree.shape[1] != tree.shape[0] - 1:
        raise ValueError(f"{name}: tree must be a (C, C-1) code matrix with C >= 2; got shape {tree.shape}")
    if not np.all(np.isin(tree, (-1, 0, 1))):
        raise ValueError(f"{name}: tree entries must be -1 (left), +1 (right) or 0 (not on the path)")
    if not (np.all(np.any(tree == 1, axis=0)) and np.all(np.any(tree == -1, axis=0))):
        raise ValueError(f"{name}: every internal node (column of tree) needs leaves on both its "
                         f"left (-1) and right (+1) side")
    depths = np.sum(tree != 0, axis=1)
    if not np.isclose(np.sum(2.0 ** -depths.astype(np.float64)), 1.0):
        raise ValueError(f"{name}: the path lengths of tree do not describe a full binary tree "
                         f"(sum over leaves of 2^-depth must be 1)")
    return tree.astype(np.float64)


def _check_node_scores(h, tree, name):
    h = _check_scores(h, name, "h")
    if h.shape[1] != tree.shape[1]:
        raise ValueError(f"{name}: h must have one column per internal node, {tree.shape[1]}; "
                         f"got shape {h.shape}")
    return h


def hierarchical_softmax_probs(h, tree):
    """Probabilities of all C leaves (classes) under a hierarchical softmax.

    log P(c | h_i) = sum_j [tree[c, j] == +1] log sigma(h_ij)
                   + sum_j [tree[c, j] == -1] log sigma(-h_ij)

    Inputs: h (N, C-1) node scores; tree (C, C-1) code matrix.
    Returns: (N, C) probabilities; each row sums to one.
    """
    tree = _check_tree(tree, "hierarchical_softmax_probs")
    h = _check_node_scores(h, tree, "hierarchical_softmax_probs")
    right = (tree == 1).astype(np.float64)                 # (C, C-1)
    left = (tree == -1).astype(np.float64)
    log_p = _log_sigmoid(h) @ right.T + _log_sigmoid(-h) @ left.T   # (N, C)
    return np.exp(log_p)


def hierarchical_softmax_loss(h, y, tree):
    """Hierarchical softmax loss: -mean_i log P(y_i | h_i).

    With codes t = tree[y_i] (one row of the code matrix):
        L_i = -sum_j |t_j| log sigma(t_j h_ij)
        dL_i/dh_ij = -t_j sigma(-t_j h_ij)   (0 for nodes off the path)
    (using d/dz log sigma(z) = sigma(-z)).

    Inputs: h (N, C-1) node scores; y (N,) integer labels in [0, C);
    tree (C, C-1) code matrix (see balanced_tree_codes).
    Returns: (loss, dh) with dh (N, C-1).
    """
    tree = _check_tree(tree, "hierarchical_softmax_loss")
    h = _check_node_scores(h, tree, "hierarchical_softmax_loss")
    N = h.shape[0]
    y = _check_labels(y, N, tree.shape[0], "hierarchical_softmax_loss")
    codes = tree[y]                                        # (N, C-1)
    loss = -np.sum(np.abs(codes) * _log_sigmoid(codes * h)) / N
    dh = -codes * _sigmoid(-codes * h) / N
    return float(loss), dh
