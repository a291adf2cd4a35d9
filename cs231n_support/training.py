"""A tiny SGD trainer for fully-connected nets, shared by the notebooks' experiments.

    params = init_mlp([2, 100, 3], scheme="he", rng=0)
    history = train(params, X, y, lr=1.0, num_iters=2000, reg=1e-3)
    plt.plot(history["loss"]); predict(params, X_test)

Nets with batch normalization and/or inverted dropout come from make_fcnet,
which returns the parameters with the matching loss and predict functions:

    params, loss_fn, predict_fn = make_fcnet([2, 100, 3], batchnorm=True, dropout=0.5, rng=0)
    history = train(params, X, y, loss_fn=loss_fn, predict_fn=predict_fn, lr=0.1)
    predict_fn(params, X_test)

The default net is a list of (W, b) pairs (see reference/architectures.py), built from
the reference layers: affine layers with a non-linearity after every layer
but the last, then a softmax (or multiclass SVM) loss on the scores.
`train` updates the list `params` in place: after each step its entries are
replaced by new (W, b) arrays (the arrays you passed are never modified).
"""
import numpy as np
from tqdm.auto import tqdm

from cs231n_support.reference.architectures import (ACTIVATIONS, affine_backward, affine_forward, mlp_backward,
                                                     mlp_forward, mlp_forward_with_cache)
from cs231n_support.reference.initialization import batchnorm_backward, batchnorm_forward, init_weights
from cs231n_support.reference.regularization import dropout_backward, dropout_forward

LOSSES = ("softmax", "svm")


def init_mlp(layer_sizes, scheme="he", rng=None, bias=0.0):
    """Initial parameters of a fully-connected net.

    Inputs:
    - layer_sizes: [D, H_1, ..., H_{L-1}, C], the input layer first
    - scheme: weight initialization, any scheme of init_weights ("he", "small", ...)
    - rng: np.random.Generator, int seed or None
    - bias: the initial value of every bias (0 as usual; the notes mention 0.01 for ReLU)
    Returns: params, a list of L pairs (W (fan_in, fan_out), b (fan_out,))
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"init_mlp: layer_sizes needs at least an input and an output size; got {layer_sizes!r}")
    rng = np.random.default_rng(rng)         # a Generator is used as is; an int seeds one
    return [(init_weights(n_in, n_out, scheme, rng), np.full(n_out, float(bias)))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _data_loss(scores, y, loss):
    """Mean data loss over the N examples and its gradient on the scores.

    softmax: L_i = -log(e^{f_yi} / sum_j e^{f_j}); shifting the scores by their
             row maximum does not change it and keeps exp from overflowing.
    svm:     L_i = sum_{j != y_i} max(0, f_j - f_yi + 1) (Weston-Watkins).
    """
    N = scores.shape[0]
    rows = np.arange(N)
    if loss == "softmax":
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        data_loss = -np.mean(log_probs[rows, y])
        dscores = np.exp(log_probs)                 # the probabilities
        dscores[rows, y] -= 1.0
    else:
        margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
        margins[rows, y] = 0.0
        data_loss = np.sum(margins) / N
        dscores = (margins > 0).astype(np.float64)
        dscores[rows, y] = -dscores.sum(axis=1)
    return float(data_loss), dscores / N


def _check_labels(X, y, n_classes, name):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"{name}: X must be 2-D (N, D); got shape {X.shape}")
    if y.shape != (X.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"{name}: y must be an integer array of shape ({X.shape[0]},), one label per "
                         f"row of X; got {y.dtype} array of shape {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"{name}: labels must be in 0..{n_classes - 1} (the net has {n_classes} "
                         f"outputs); got labels from {y.min()} to {y.max()}")
    return X, y


def mlp_loss(params, X, y, activation="relu", reg=0.0, loss="softmax"):
    """Loss of the net on (X, y) and its gradient on every parameter.

    loss = mean over the N examples of the data loss
           + 0.5 * reg * sum over layers of sum(W**2)   (biases not regularized)

    Inputs:
    - params: list of (W, b) pairs
    - X: (N, D) inputs; y: (N,) integer labels in 0..C-1
    - activation: hidden non-linearity ("relu", "tanh", "sigmoid", "leaky_relu")
    - reg: L2 regularization strength
    - loss: "softmax" (cross-entropy) or "svm" (multiclass hinge, margin 1)
    Returns: (loss, grads): a float and a list of (dW, db) pairs shaped like params
    """
    if loss not in LOSSES:
        raise ValueError(f"mlp_loss: unknown loss {loss!r}; expected one of {', '.join(map(repr, LOSSES))}")
    scores, cache = mlp_forward_with_cache(X, params, activation)
    X, y = _check_labels(X, y, scores.shape[1], "mlp_loss")
    data_loss, dscores = _data_loss(scores, y, loss)
    grads = mlp_backward(dscores, cache)
    reg_loss = 0.0
    for i, (W, _) in enumerate(params):
        reg_loss += 0.5 * reg * np.sum(W * W)
        dW, db = grads[i]
        grads[i] = (dW + reg * W, db)
    return data_loss + float(reg_loss), grads


def predict(params, X, activation="relu"):
    """Predicted labels: the index of the highest score. Returns (N,) ints."""
    return np.argmax(mlp_forward(X, params, activation), axis=1)


def accuracy(params, X, y, activation="relu"):
    """Fraction of the examples in (X, y) the net classifies correctly."""
    return float(np.mean(predict(params, X, activation) == np.asarray(y)))


def make_fcnet(layer_sizes, activation="relu", scheme="he", batchnorm=False, dropout=1.0, reg=0.0,
               rng=None, bias=0.0):
    """A fully-connected net with optional batch norm and inverted dropout, for train().

    Every hidden layer is
        affine -> [batch norm] -> activation -> [dropout]
    (batch norm after the fully-connected layer, before the non-linearity, as
    the notes recommend); the output layer is a plain affine layer, followed
    by the softmax loss.

    Inputs:
    - layer_sizes: [D, H_1, ..., H_{L-1}, C], the input layer first
    - activation: hidden non-linearity ("relu", "tanh", "sigmoid", "leaky_relu")
    - scheme: weight initialization, any scheme of init_weights
    - batchnorm: add batch normalization to every hidden layer
    - dropout: probability p of KEEPING a hidden unit (1.0 = no dropout)
    - reg: L2 regularization strength, on the weights W only
    - rng: np.random.Generator, int seed or None; draws the weights, then the dropout masks
    - bias: the initial value of every bias
    Returns: (params, loss_fn, predict_fn)
    - params: a list with one tuple per layer: (W, b, gamma, beta) for a hidden
      layer with batch norm (gamma = 1, beta = 0 at the start), (W, b) otherwise
    - loss_fn(params, X, y) -> (loss, grads): training mode (batch statistics,
      updates the running averages, dropout on); grads shaped like params
    - predict_fn(params, X) -> (N,) labels: test mode (running averages, no dropout)
    The batch norm running averages live inside loss_fn/predict_fn (one
    bn_param dict per hidden layer, starting at zeros as in batchnorm_forward).
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"make_fcnet: unknown activation {activation!r}; expected one of "
                         f"{', '.join(map(repr, ACTIVATIONS))}")
    if not (np.ndim(dropout) == 0 and 0 < dropout <= 1):
        raise ValueError(f"make_fcnet: dropout is the probability of keeping a unit, in (0, 1]; got {dropout!r}")
    rng = np.random.default_rng(rng)
    params = init_mlp(layer_sizes, scheme, rng, bias)
    n_hidden = len(params) - 1
    if batchnorm:
        for i in range(n_hidden):
            W, b = params[i]
            params[i] = (W, b, np.ones(W.shape[1]), np.zeros(W.shape[1]))
    bn_params = [{"mode": "train"} for _ in range(n_hidden)]
    act_forward, act_backward = ACTIVATIONS[activation]

    def forward(params, X, mode):
        h, caches = np.asarray(X, dtype=np.float64), []
        for i, layer in enumerate(params):
            h, affine_cache = affine_forward(h, layer[0], layer[1])
            if i == n_hidden:                               # output layer: the scores
                caches.append((affine_cache, None, None, None))
                break
            bn_cache = drop_cache = None
            if batchnorm:
                bn_params[i]["mode"] = mode
                h, bn_cache = batchnorm_forward(h, layer[2], layer[3], bn_params[i])
            h, act_cache = act_forward(h)
            if dropout < 1 and mode == "train":
                h, drop_cache = dropout_forward(h, dropout, "train", rng)
            caches.append((affine_cache, bn_cache, act_cache, drop_cache))
        return h, caches

    def loss_fn(params, X, y):
        scores, caches = forward(params, X, "train")
        X, y = _check_labels(X, y, scores.shape[1], "make_fcnet loss_fn")
        loss, dh = _data_loss(scores, y, "softmax")
        grads = []
        for (W, *_), (affine_cache, bn_cache, act_cache, drop_cache) in zip(params[::-1], caches[::-1]):
            layer_grads = ()
            if act_cache is not None:                       # a hidden layer: undo its steps in reverse
                if drop_cache is not None:
                    dh = dropout_backward(dh, drop_cache)
                dh = act_backward(dh, act_cache)
                if bn_cache is not None:
                    dh, dgamma, dbeta = batchnorm_backward(dh, bn_cache)
                    layer_grads = (dgamma, dbeta)
            dh, dW, db = affine_backward(dh, affine_cache)
            loss += 0.5 * reg * float(np.sum(W * W))
            grads.append((dW + reg * W, db) + layer_grads)
        return float(loss), grads[::-1]

    def predict_fn(params, X):
        return np.argmax(forward(params, X, "test")[0], axis=1)

    return params, loss_fn, predict_fn


def train(params, X, y, lr=1e-1, num_iters=1000, batch_size=None, reg=0.0, activation="relu",
          rng=None, progress=True, X_val=None, y_val=None, record_every=100, momentum=0.0,
          loss="softmax", callback=None, metrics=None, max_loss=1e6, loss_fn=None, predict_fn=None):
    """Train the net with minibatch SGD (optionally with momentum).

    Each iteration: sample a minibatch, compute (loss, grads) with loss_fn
    (default: mlp_loss), then update every parameter
        v = momentum * v - lr * grad;  param = param + v     (v = -lr * grad if momentum = 0)
    Every `record_every` iterations (and before the first and after the last)
    the train accuracy on all of (X, y), the validation accuracy and the
    `metrics` are recorded.

    Inputs:
    - params: list of tuples of arrays, one per layer ((W, b) pairs for the
      default mlp); updated in place (its entries are replaced)
    - X, y: training data (N, D) and labels (N,)
    - lr, num_iters: as the names say
    - reg, activation, loss: of the default mlp_loss / predict (see mlp_loss);
      with a loss_fn, put the regularization into it (reg must stay 0)
    - batch_size: examples per step, sampled with replacement; None = all N (full batch)
    - rng: np.random.Generator, int seed or None, for the minibatches
    - progress: show a tqdm progress bar (False prints nothing)
    - X_val, y_val: optional validation data
    - momentum: 0 for vanilla SGD; e.g. 0.9 for momentum SGD
    - callback: optional callback(it, params, history), called after every
      update; it may replace entries of params (e.g. to apply a max-norm constraint)
    - metrics: optional dict name -> function(params) recorded with the accuracies
      (e.g. {"dead": lambda p: dead_relu_fraction(mlp_hidden_activations(X, p)[0])})
    - max_loss: stop early (history["diverged"] = True) when the loss is not
      finite or exceeds this
    - loss_fn: optional loss_fn(params, X_batch, y_batch) -> (loss, grads), grads
      a list of tuples shaped like params (e.g. from make_fcnet)
    - predict_fn: optional predict_fn(params, X) -> (N,) labels, for the accuracies
    Returns: history, a dict with
    - "loss": the minibatch loss at every iteration (a list of floats)
    - "iteration": the number of updates done at each record
    - "train_acc", "val_acc" (empty without validation data), and one list per metric
    - "diverged": bool
    """
    if not isinstance(params, list):
        raise ValueError(f"train: params must be a list of (W, b) pairs (it is updated in place); "
                         f"got {type(params).__name__}")
    if loss_fn is not None and reg != 0:
        raise ValueError(f"train: reg is used by the default mlp_loss only; with a loss_fn, put the "
                         f"regularization into the loss_fn (e.g. make_fcnet(..., reg={reg!r})); got reg={reg!r}")
    if loss_fn is None:
        loss_fn = lambda p, X_batch, y_batch: mlp_loss(p, X_batch, y_batch, activation, reg, loss)
    if predict_fn is None:
        predict_fn = lambda p, X_: predict(p, X_, activation)
    if not (np.ndim(lr) == 0 and lr > 0):
        raise ValueError(f"train: lr must be a positive number; got {lr!r}")
    if not (isinstance(record_every, (int, np.integer)) and record_every >= 1):
        raise ValueError(f"train: record_every must be a positive integer; got {record_every!r}")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    rng = np.random.default_rng(rng)
    metrics = dict(metrics or {})
    N = X.shape[0]
    history = {"loss": [], "iteration": [], "train_acc": [], "val_acc": [], "diverged": False}
    history.update({name: [] for name in metrics})
    velocity = [tuple(np.zeros_like(p) for p in layer) for layer in params]

    def record(it):
        history["iteration"].append(it)
        history["train_acc"].append(float(np.mean(predict_fn(params, X) == y)))
        if X_val is not None:
            history["val_acc"].append(float(np.mean(predict_fn(params, X_val) == np.asarray(y_val))))
        for name, fn in metrics.items():
            history[name].append(fn(params))

    record(0)
    bar = tqdm(range(num_iters), disable=not progress, leave=False, mininterval=0.5)
    for it in bar:
        if batch_size is None or batch_size >= N:
            X_batch, y_batch = X, y
        else:
            idx = rng.integers(0, N, size=batch_size)
            X_batch, y_batch = X[idx], y[idx]
        loss_value, grads = loss_fn(params, X_batch, y_batch)
        history["loss"].append(loss_value)
        if not np.isfinite(loss_value) or loss_value > max_loss:
            history["diverged"] = True
            break
        for i, (layer, layer_grads) in enumerate(zip(params, grads)):
            velocity[i] = tuple(momentum * v - lr * g for v, g in zip(velocity[i], layer_grads))
            params[i] = tuple(p + v for p, v in zip(layer, velocity[i]))
        if callback is not None:
            callback(it, params, history)
        if (it + 1) % record_every == 0 or it + 1 == num_iters:
            record(it + 1)
            bar.set_postfix(loss=f"{loss_value:.3f}", train_acc=f"{history['train_acc'][-1]:.2f}")
    bar.close()
    if history["diverged"]:
        record(len(history["loss"]) - 1)        # the last parameters (not updated with the bad step)
    return history
