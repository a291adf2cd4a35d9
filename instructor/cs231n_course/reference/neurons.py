"""Reference solutions for 01_neurons: one neuron as a linear classifier.

Part 1 §2 of the notes. A neuron computes a dot product of its inputs with
its weights, adds a bias and applies a non-linearity (here the sigmoid). With
a loss on its output it becomes a binary Softmax classifier (logistic
regression) or a binary SVM.

Shapes: X (N, D) holds one example per row, w (D,), b a float, y (N,).
"""
import numpy as np


def _check_classifier_inputs(w, b, X, y, labels, name):
    """Validate the arguments shared by the two binary losses."""
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"{name}: X must be 2-D (N, D); got shape {X.shape}")
    if w.shape != (X.shape[1],):
        raise ValueError(f"{name}: w must have shape ({X.shape[1]},) to match X {X.shape}; got {w.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"{name}: y must have shape ({X.shape[0]},), one label per row of X; got {y.shape}")
    if not np.isscalar(b) and np.ndim(b) != 0:
        raise ValueError(f"{name}: b must be a single number; got an array of shape {np.shape(b)}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(w)) and np.isfinite(b)):
        raise ValueError(f"{name}: X, w and b must not contain NaN or inf")
    if not np.all(np.isin(y, labels)):
        raise ValueError(f"{name}: labels y must be in {set(labels)}; got values {sorted(set(np.unique(y).tolist()))[:5]}")
    return w, float(b), X, y.astype(np.float64)


def sigmoid(x):
    """Elementwise logistic sigmoid 1 / (1 + exp(-x)), stable for large |x|.

    exp is only ever taken of -|x| <= 0, so it cannot overflow:
    for x >= 0, sigma(x) = 1 / (1 + e^-x); for x < 0, sigma(x) = e^x / (1 + e^x).

    Inputs:  x, an array of any shape (or a number)
    Returns: an array of the same shape with values in [0, 1]
    """
    x = np.asarray(x, dtype=np.float64)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def neuron_forward(X, w, b):
    """Firing rates of one sigmoid neuron for a batch of inputs.

    Inputs:
    - X: (N, D) inputs, one example per row
    - w: (D,) synaptic weights
    - b: float, the bias
    Returns: (N,) firing rates sigma(X @ w + b)
    """
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if X.ndim != 2 or w.shape != (X.shape[1],):
        raise ValueError(f"neuron_forward: expected X (N, D) and w (D,); got X {X.shape}, w {w.shape}")
    return sigmoid(X @ w + b)


def binary_softmax_loss(w, b, X, y, reg):
    """Binary Softmax classifier (logistic regression) with an L2 penalty.

    P(y=1 | x) = sigma(f) with f = x . w + b. The data loss is the mean
    cross-entropy -[y log sigma(f) + (1 - y) log(1 - sigma(f))], written
    stably as log(1 + e^f) - y f (np.logaddexp(0, f) never overflows).
    The penalty is 0.5 * reg * sum(w**2); the bias is not regularized.

    Inputs:
    - w: (D,) weights; b: float bias
    - X: (N, D) inputs; y: (N,) labels in {0, 1}
    - reg: L2 regularization strength
    Returns: (loss, dw, db): a float, (D,) and a float.
    """
    w, b, X, y = _check_classifier_inputs(w, b, X, y, (0, 1), "binary_softmax_loss")
    N = X.shape[0]
    f = X @ w + b
    loss = np.mean(np.logaddexp(0.0, f) - y * f) + 0.5 * reg * np.sum(w * w)
    df = (sigmoid(f) - y) / N          # d(mean loss) / df
    dw = X.T @ df + reg * w
    db = np.sum(df)
    return float(loss), dw, float(db)


def binary_svm_loss(w, b, X, y, reg):
    """Binary SVM: mean hinge loss max(0, 1 - y f) plus an L2 penalty.

    f = x . w + b and the labels are y in {-1, +1}. The penalty is
    0.5 * reg * sum(w**2); the bias is not regularized. At the kink
    (margin exactly 0) the subgradient 0 is used.

    Inputs:
    - w: (D,) weights; b: float bias
    - X: (N, D) inputs; y: (N,) labels in {-1, +1}
    - reg: L2 regularization strength
    Returns: (loss, dw, db): a float, (D,) and a float.
    """
    w, b, X, y = _check_classifier_inputs(w, b, X, y, (-1, 1), "binary_svm_loss")
    N = X.shape[0]
    f = X @ w + b
    margins = np.maximum(0.0, 1.0 - y * f)
    loss = np.mean(margins) + 0.5 * reg * np.sum(w * w)
    df = -y * (margins > 0) / N        # d(mean hinge) / df
    dw = X.T @ df + reg * w
    db = np.sum(df)
    return float(loss), dw, float(db)
