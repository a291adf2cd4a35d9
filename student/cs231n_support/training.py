"""A tiny SGD trainer for fully-connected nets, shared by the notebooks' experiments.

    params = init_mlp([2, 100, 3], scheme="he", rng=0)
    history = train(params, X, y, lr=1.0, num_iters=2000, reg=1e-3)
    plt.plot(history["loss"]); predict(params, X_test)

This is support code, like the Solver of CS231n's assignments: it runs whole
nets so that the notebooks can train them, and it is not a model answer. The
net is a list of (W, b) pairs, W (fan_in, fan_out), b (fan_out,): every layer
computes h @ W + b, a non-linearity follows every layer but the last, and a
softmax (or multiclass SVM) loss is taken on the last layer's scores. One
forward routine and one backward routine run the whole net; the layers of
the exercises (affine, ReLU, ..., softmax) are yours to write in the notebooks.
`train` updates the list `params` in place: after each step its entries are
replaced by new (W, b) arrays (the arrays you passed are never modified).

Other data losses plug in as a function (scores, targets) -> (loss, dscores):

    mlp_loss(params, X, targets, data_loss=my_l2_regression_loss)
    train(params, X, targets, data_loss=my_l2_regression_loss, predict_fn=net_scores)

and net_scores(params, X) / hidden_activations(params, X) give the net's raw
scores and the activations of its hidden layers.

Nets with batch normalization and/or inverted dropout come from make_fcnet.
Batch norm (05_init) and dropout (06_regularization) are exercises, so the
trainer has neither: you pass your own layer functions.

    layers = {"batchnorm": (batchnorm_forward, batchnorm_backward),
              "dropout": (dropout_forward, dropout_backward)}
    params, loss_fn, predict_fn = make_fcnet([2, 100, 3], batchnorm=True, dropout=0.5, layers=layers, rng=0)
    history = train(params, X, y, loss_fn=loss_fn, predict_fn=predict_fn, lr=0.1)
    predict_fn(params, X_test)
"""
import numpy as np
from tqdm.auto import tqdm

from ._engine import (ACTIVATIONS, LOSSES, NONLINEARITIES, SCHEMES, WEIGHT_STD, call_data_loss, check_labels, check_net,
                      data_loss_of, initial_weights, run_backward, run_forward)
from .i18n import t

# The layers make_fcnet takes from the caller: key -> (what to pass, the notebook that writes them).
_CALLER_LAYERS = {
    "batchnorm": ("(batchnorm_forward, batchnorm_backward)", "05_init"),
    "dropout": ("(dropout_forward, dropout_backward)", "06_regularization"),
}


def _layer_label(key):
    """The name of a caller's layer in messages, in the language in use."""
    return t("batch norm") if key == "batchnorm" else t("dropout")


def init_mlp(layer_sizes, scheme="he", rng=None, bias=0.0):
    """Initial parameters of a fully-connected net.

    Inputs:
    - layer_sizes: [D, H_1, ..., H_{L-1}, C], the input layer first
    - scheme: weight initialization, one of the notes' schemes (05_init):
      "zeros", "small" (std 0.01), "calibrated" (std 1/sqrt(fan_in)), "glorot"
      (std sqrt(2/(fan_in+fan_out))), "he" (std sqrt(2/fan_in)) or "sparse"
      (min(10, fan_in) non-zero weights of std 0.01 per unit)
    - rng: np.random.Generator, int seed or None
    - bias: the initial value of every bias (0 as usual; the notes mention 0.01 for ReLU)
    Returns: params, a list of L pairs (W (fan_in, fan_out), b (fan_out,))
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(t("init_mlp: layer_sizes needs at least an input and an output size; got {sizes!r}",
                           sizes=layer_sizes))
    for n in sizes:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(t("init_mlp: layer sizes must be positive integers; got {sizes!r}", sizes=layer_sizes))
    if scheme not in WEIGHT_STD:
        raise ValueError(t("init_mlp: unknown scheme {scheme!r}; expected one of {expected}", scheme=scheme,
                           expected=", ".join(map(repr, SCHEMES))))
    rng = np.random.default_rng(rng)         # a Generator is used as is; an int seeds one
    return [(initial_weights(int(n_in), int(n_out), scheme, rng), np.full(int(n_out), float(bias)))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


# ------------------------------------------------------------ the (W, b) net
def mlp_loss(params, X, y, activation="relu", reg=0.0, loss="softmax", data_loss=None):
    """Loss of the net on (X, y) and its gradient on every parameter.

    loss = mean over the N examples of the data loss
           + 0.5 * reg * sum over layers of sum(W**2)   (biases not regularized)

    Inputs:
    - params: list of (W, b) pairs
    - X: (N, D) inputs; y: (N,) integer labels in 0..C-1 (or any targets of data_loss)
    - activation: hidden non-linearity ("relu", "tanh", "sigmoid", "leaky_relu")
    - reg: L2 regularization strength
    - loss: "softmax" (cross-entropy) or "svm" (multiclass hinge, margin 1)
    - data_loss: optional function (scores, targets) -> (loss, dscores) used
      instead of `loss`, e.g. one of your losses of 07_losses; y is passed to it
      as the targets, unchecked
    Returns: (loss, grads): a float and a list of (dW, db) pairs shaped like params
    """
    if data_loss is not None:
        if loss != "softmax":
            raise ValueError(t("mlp_loss: give either loss (a name) or data_loss (a function), not both; "
                               "got loss={loss!r}", loss=loss))
        if not callable(data_loss):
            raise ValueError(t("mlp_loss: data_loss must be a function (scores, targets) -> (loss, dscores); "
                               "got {got}", got=type(data_loss).__name__))
    elif loss not in LOSSES:
        raise ValueError(t("mlp_loss: unknown loss {loss!r}; expected one of {expected}", loss=loss,
                           expected=", ".join(map(repr, LOSSES))))
    X = check_net(params, X, activation, "mlp_loss")
    scores, tape = run_forward(params, X, activation)
    if data_loss is None:
        X, y = check_labels(X, y, scores.shape[1], "mlp_loss")
        value, dscores = data_loss_of(scores, y, loss)
    else:
        if np.ndim(y) == 0 or len(y) != X.shape[0]:
            raise ValueError(t("mlp_loss: the targets must have one row per row of X ({N}); got shape {shape}",
                               N=X.shape[0], shape=np.shape(y)))
        value, dscores = call_data_loss(data_loss, scores, y, "mlp_loss")
    grads = run_backward(params, tape, dscores, activation)
    reg_loss = 0.0
    for i, (W, _) in enumerate(params):
        reg_loss += 0.5 * reg * np.sum(W * W)
        dW, db = grads[i]
        grads[i] = (dW + reg * W, db)
    return value + float(reg_loss), grads


def net_scores(params, X, activation="relu"):
    """The net's raw outputs (the scores, before any loss). Returns (N, C) floats."""
    X = check_net(params, X, activation, "net_scores")
    return run_forward(params, X, activation)[0]


def hidden_activations(params, X, activation="relu"):
    """The activations of every hidden layer (after the non-linearity), e.g. to plot
    them or to measure dead units. Returns a list of L - 1 arrays, (N, H_l) for hidden layer l."""
    X = check_net(params, X, activation, "hidden_activations")
    _, tape = run_forward(params, X, activation)
    return [a for _, _, a, _, _ in tape[:-1]]


def predict(params, X, activation="relu"):
    """Predicted labels: the index of the highest score. Returns (N,) ints."""
    X = check_net(params, X, activation, "predict")
    return np.argmax(run_forward(params, X, activation)[0], axis=1)


def accuracy(params, X, y, activation="relu"):
    """Fraction of the examples in (X, y) the net classifies correctly."""
    return float(np.mean(predict(params, X, activation) == np.asarray(y)))


# ------------------------------------------------ nets with batch norm, dropout
def _caller_layer(layers, name, asked):
    """The (forward, backward) pair layers[name], or a clear error naming what to pass."""
    what, notebook = _CALLER_LAYERS[name]
    pair = (layers or {}).get(name)
    if pair is None:
        raise ValueError(t("make_fcnet: {asked} needs your own {label} layer (the exercise of {notebook}; "
                           "the trainer has none): pass layers={{{key!r}: {what}}}", asked=asked,
                           label=_layer_label(name), notebook=notebook, key=name, what=what))
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(callable(fn) for fn in pair)):
        raise ValueError(t("make_fcnet: layers[{key!r}] must be the pair of functions {what}; got {pair!r}",
                           key=name, what=what, pair=pair))
    return pair


def make_fcnet(layer_sizes, activation="relu", scheme="he", batchnorm=False, dropout=1.0, reg=0.0,
               rng=None, bias=0.0, layers=None):
    """A fully-connected net with optional batch norm and inverted dropout, for train().

    Every hidden layer is
        affine -> [batch norm] -> activation -> [dropout]
    (batch norm after the fully-connected layer, before the non-linearity, as
    the notes recommend); the output layer is a plain affine layer, followed
    by the softmax loss.

    Inputs:
    - layer_sizes: [D, H_1, ..., H_{L-1}, C], the input layer first
    - activation: hidden non-linearity ("relu", "tanh", "sigmoid", "leaky_relu")
    - scheme: weight initialization, a scheme of init_mlp
    - batchnorm: add batch normalization to every hidden layer
    - dropout: probability p of KEEPING a hidden unit (1.0 = no dropout)
    - reg: L2 regularization strength, on the weights W only
    - rng: np.random.Generator, int seed or None; draws the weights, then the dropout masks
    - bias: the initial value of every bias
    - layers: your layer functions (contract signatures of the syllabus), needed
      for batch norm and for dropout (extra entries are ignored):
        {"batchnorm": (batchnorm_forward, batchnorm_backward),     # 05_init
         "dropout": (dropout_forward, dropout_backward)}            # 06_regularization
    Returns: (params, loss_fn, predict_fn)
    - params: a list with one tuple per layer: (W, b, gamma, beta) for a hidden
      layer with batch norm (gamma = 1, beta = 0 at the start), (W, b) otherwise
    - loss_fn(params, X, y) -> (loss, grads): training mode (batch statistics,
      updates the running averages, dropout on); grads shaped like params
    - predict_fn(params, X) -> (N,) labels: test mode (running averages, no dropout)
    The batch norm running averages live inside loss_fn/predict_fn (one
    bn_param dict per hidden layer, starting without running averages, so at
    zeros as in batchnorm_forward). The dropout masks are drawn by your
    dropout_forward with the net's generator as its seed argument.
    """
    if activation not in NONLINEARITIES:
        raise ValueError(t("make_fcnet: unknown activation {activation!r}; expected one of {expected}",
                           activation=activation, expected=", ".join(map(repr, ACTIVATIONS))))
    if not (np.ndim(dropout) == 0 and 0 < dropout <= 1):
        raise ValueError(t("make_fcnet: dropout is the probability of keeping a unit, in (0, 1]; got {dropout!r}",
                           dropout=dropout))
    if layers is not None and not (isinstance(layers, dict) and set(layers) <= set(_CALLER_LAYERS)):
        raise ValueError(t("make_fcnet: layers must be a dict with the keys 'batchnorm' and/or 'dropout'; "
                           "got {layers!r}", layers=layers))
    bn_forward = bn_backward = drop_forward = drop_backward = None
    if batchnorm:
        bn_forward, bn_backward = _caller_layer(layers, "batchnorm", "batchnorm=True")
    if dropout < 1:
        drop_forward, drop_backward = _caller_layer(layers, "dropout", f"dropout={dropout!r}")
    rng = np.random.default_rng(rng)
    params = init_mlp(layer_sizes, scheme, rng, bias)
    n_hidden = len(params) - 1
    if batchnorm:
        for i in range(n_hidden):
            W, b = params[i]
            params[i] = (W, b, np.ones(W.shape[1]), np.zeros(W.shape[1]))
    bn_params = [{"mode": "train"} for _ in range(n_hidden)]

    def normalize(i, z, layer):
        result = bn_forward(z, layer[2], layer[3], bn_params[i])
        if not (isinstance(result, tuple) and len(result) == 2):
            raise ValueError(t("make_fcnet: your {function} must return {expected}; got {got}",
                               function="batchnorm_forward", expected="(out, cache)", got=type(result).__name__))
        return result

    def normalize_back(dz, cache):
        result = bn_backward(dz, cache)
        if not (isinstance(result, tuple) and len(result) == 3):
            raise ValueError(t("make_fcnet: your {function} must return {expected}; got {got}",
                               function="batchnorm_backward", expected="(dx, dgamma, dbeta)",
                               got=type(result).__name__))
        return result

    def drop(a):
        result = drop_forward(a, dropout, "train", rng)
        if not (isinstance(result, tuple) and len(result) == 2):
            raise ValueError(t("make_fcnet: your {function} must return {expected}; got {got}",
                               function="dropout_forward", expected="(out, cache)", got=type(result).__name__))
        return result

    def forward(params, X, mode):
        for bn_param in bn_params:
            bn_param["mode"] = mode
        return run_forward(params, np.asarray(X, dtype=np.float64), activation,
                            normalize if batchnorm else None,
                            drop if (dropout < 1 and mode == "train") else None)

    def loss_fn(params, X, y):
        scores, tape = forward(params, X, "train")
        X, y = check_labels(X, y, scores.shape[1], "make_fcnet loss_fn")
        loss, dscores = data_loss_of(scores, y, "softmax")
        grads = run_backward(params, tape, dscores, activation, normalize_back, drop_backward)
        for i in reversed(range(len(params))):
            W = params[i][0]
            loss += 0.5 * reg * float(np.sum(W * W))
            grads[i] = (grads[i][0] + reg * W,) + tuple(grads[i][1:])
        return float(loss), grads

    def predict_fn(params, X):
        return np.argmax(forward(params, X, "test")[0], axis=1)

    return params, loss_fn, predict_fn


# ---------------------------------------------------------------------- train
def train(params, X, y, lr=1e-1, num_iters=1000, batch_size=None, reg=0.0, activation="relu",
          rng=None, progress=True, X_val=None, y_val=None, record_every=100, momentum=0.0,
          loss="softmax", callback=None, metrics=None, max_loss=1e6, loss_fn=None, predict_fn=None,
          data_loss=None):
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
    - X, y: training data (N, D) and labels (N,) (or the targets of data_loss)
    - lr, num_iters: as the names say
    - reg, activation, loss, data_loss: of the default mlp_loss / predict (see
      mlp_loss); with a loss_fn, put the regularization into it (reg must stay 0)
    - batch_size: examples per step, sampled with replacement; None = all N (full batch)
    - rng: np.random.Generator, int seed or None, for the minibatches
    - progress: show a tqdm progress bar (False prints nothing)
    - X_val, y_val: optional validation data
    - momentum: 0 for vanilla SGD; e.g. 0.9 for momentum SGD
    - callback: optional callback(it, params, history), called after every
      update; it may replace entries of params (e.g. to apply a max-norm constraint)
    - metrics: optional dict name -> function(params) recorded with the accuracies
      (e.g. {"dead": lambda p: dead_relu_fraction(hidden_activations(p, X)[0])})
    - max_loss: stop early (history["diverged"] = True) when the loss is not
      finite or exceeds this
    - loss_fn: optional loss_fn(params, X_batch, y_batch) -> (loss, grads), grads
      a list of tuples shaped like params (e.g. from make_fcnet)
    - predict_fn: optional predict_fn(params, X) -> predictions compared with y
      (elementwise, averaged) for the accuracies; default: predict
    Returns: history, a dict with
    - "loss": the minibatch loss at every iteration (a list of floats)
    - "iteration": the number of updates done at each record
    - "train_acc", "val_acc" (empty without validation data), and one list per metric
    - "diverged": bool
    """
    if not isinstance(params, list):
        raise ValueError(t("train: params must be a list of (W, b) pairs (it is updated in place); got {got}",
                           got=type(params).__name__))
    if loss_fn is not None and reg != 0:
        raise ValueError(t("train: reg is used by the default mlp_loss only; with a loss_fn, put the "
                           "regularization into the loss_fn (e.g. make_fcnet(..., reg={reg!r})); got reg={reg!r}",
                           reg=reg))
    if loss_fn is not None and data_loss is not None:
        raise ValueError(t("train: data_loss is used by the default mlp_loss only; with a loss_fn, "
                           "apply it inside the loss_fn"))
    if loss_fn is None:
        loss_fn = lambda p, X_batch, y_batch: mlp_loss(p, X_batch, y_batch, activation, reg, loss, data_loss)
    if predict_fn is None:
        predict_fn = lambda p, X_: predict(p, X_, activation)
    if not (np.ndim(lr) == 0 and lr > 0):
        raise ValueError(t("train: lr must be a positive number; got {lr!r}", lr=lr))
    if not (isinstance(record_every, (int, np.integer)) and record_every >= 1):
        raise ValueError(t("train: record_every must be a positive integer; got {record_every!r}",
                           record_every=record_every))
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
