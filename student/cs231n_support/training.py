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

LOSSES = ("softmax", "svm")

# The weight initializations of the notes, as the standard deviation of each weight
# for a layer with fan_in inputs and fan_out units ("zeros": every weight 0; "sparse":
# this deviation for the few connected weights of every unit, all others 0).
_WEIGHT_STD = {
    "zeros": lambda fan_in, fan_out: 0.0,
    "small": lambda fan_in, fan_out: 0.01,
    "calibrated": lambda fan_in, fan_out: 1.0 / np.sqrt(fan_in),
    "glorot": lambda fan_in, fan_out: np.sqrt(2.0 / (fan_in + fan_out)),
    "he": lambda fan_in, fan_out: np.sqrt(2.0 / fan_in),
    "sparse": lambda fan_in, fan_out: 0.01,
}
SCHEMES = tuple(_WEIGHT_STD)
_SPARSE_CONNECTIONS = 10                 # "sparse": incoming connections per unit (at most fan_in)


def _logistic(z):
    """1 / (1 + e^-z) with exp taken of -|z| only, so it never overflows."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


# Hidden non-linearities: name -> (h = f(z), the gradient on z from the gradient dh on h).
_NONLINEARITIES = {
    "relu": (lambda z: np.maximum(0.0, z), lambda dh, z, h: dh * (z > 0)),
    "tanh": (np.tanh, lambda dh, z, h: dh * (1.0 - h * h)),
    "sigmoid": (_logistic, lambda dh, z, h: dh * h * (1.0 - h)),
    "leaky_relu": (lambda z: np.where(z >= 0, z, 0.01 * z),                 # slope 0.01 for z < 0
                   lambda dh, z, h: dh * np.where(z >= 0, 1.0, 0.01)),
}
ACTIVATIONS = tuple(_NONLINEARITIES)

# The layers make_fcnet takes from the caller: key -> (its name, what to pass, the notebook that writes them).
_CALLER_LAYERS = {
    "batchnorm": ("batch norm", "(batchnorm_forward, batchnorm_backward)", "05_init"),
    "dropout": ("dropout", "(dropout_forward, dropout_backward)", "06_regularization"),
}


# ------------------------------------------------------------------ parameters
def _initial_weights(fan_in, fan_out, scheme, rng):
    """A (fan_in, fan_out) weight matrix drawn with the standard deviation of _WEIGHT_STD[scheme]."""
    std = _WEIGHT_STD[scheme](fan_in, fan_out)
    if std == 0.0:
        return np.zeros((fan_in, fan_out))
    if scheme != "sparse":
        return rng.standard_normal((fan_in, fan_out)) * std
    k = min(_SPARSE_CONNECTIONS, fan_in)
    # The k smallest of fan_in uniform numbers sit at k distinct random rows, drawn anew for every column.
    connected = np.argpartition(rng.random((fan_in, fan_out)), k - 1, axis=0)[:k]     # (k, fan_out) row numbers
    W = np.zeros((fan_in, fan_out))
    W[connected, np.arange(fan_out)] = std * rng.standard_normal((k, fan_out))
    return W


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
        raise ValueError(f"init_mlp: layer_sizes needs at least an input and an output size; got {layer_sizes!r}")
    for n in sizes:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"init_mlp: layer sizes must be positive integers; got {layer_sizes!r}")
    if scheme not in _WEIGHT_STD:
        raise ValueError(f"init_mlp: unknown scheme {scheme!r}; expected one of {', '.join(map(repr, SCHEMES))}")
    rng = np.random.default_rng(rng)         # a Generator is used as is; an int seeds one
    return [(_initial_weights(int(n_in), int(n_out), scheme, rng), np.full(int(n_out), float(bias)))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


# ---------------------------------------------------------------- the engine
def _run_forward(params, h, activation, normalize=None, drop=None):
    """Forward pass of the whole net.

    Every layer computes z = h @ W + b; a hidden layer then goes through
    normalize(i, z, layer) -> (z, cache) if given, the non-linearity, and
    drop(a) -> (a, cache) if given. Returns (scores, tape): the tape keeps, per
    layer, (its input h, z, its activation a, normalize's cache, drop's cache)
    (only the input for the output layer).
    """
    f = _NONLINEARITIES[activation][0]
    tape = []
    for i, layer in enumerate(params):
        z = h @ layer[0]
        z += layer[1]                        # in place: one (N, M) array instead of two
        if i == len(params) - 1:            # the output layer: no non-linearity, z are the scores
            tape.append((h, None, None, None, None))
            return z, tape
        norm_cache = drop_cache = None
        if normalize is not None:
            z, norm_cache = normalize(i, z, layer)
        a = f(z)
        out = a
        if drop is not None:
            out, drop_cache = drop(a)
        tape.append((h, z, a, norm_cache, drop_cache))
        h = out


def _run_backward(params, tape, dscores, activation, normalize_back=None, drop_back=None):
    """Backward pass through a tape of _run_forward: the gradients of every layer's
    parameters, a list of tuples (dW, db[, the extra gradients normalize_back returns])."""
    df = _NONLINEARITIES[activation][1]
    grads = [None] * len(params)
    dz, dout = dscores, None                 # dout: the gradient on a hidden layer's output
    for i in reversed(range(len(params))):
        h, z, a, norm_cache, drop_cache = tape[i]
        extra = ()
        if i < len(params) - 1:
            if drop_cache is not None:
                dout = drop_back(dout, drop_cache)
            dz = df(dout, z, a)
            if norm_cache is not None:
                dz, *extra = normalize_back(dz, norm_cache)
        grads[i] = (h.T @ dz, dz.sum(axis=0), *extra)
        if i > 0:
            dout = dz @ params[i][0].T       # the gradient on this layer's input h
    return grads


def _check_net(params, X, activation, name):
    """Validate a (W, b) net and its input; return X as float64."""
    if activation not in _NONLINEARITIES:
        raise ValueError(f"{name}: unknown activation {activation!r}; expected one of "
                         f"{', '.join(map(repr, ACTIVATIONS))}")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"{name}: X must be 2-D (N, D), one example per row; got shape {X.shape}")
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise ValueError(f"{name}: params must be a non-empty list of (W, b) pairs, one per layer; "
                         f"got {type(params).__name__}")
    fan_in = X.shape[1]
    for i, layer in enumerate(params):
        if not isinstance(layer, (list, tuple)) or len(layer) != 2:
            raise ValueError(f"{name}: params[{i}] must be a pair (W, b)")
        W, b = np.shape(layer[0]), np.shape(layer[1])
        if len(W) != 2 or W[0] != fan_in:
            source = "X" if i == 0 else f"params[{i - 1}]"
            raise ValueError(f"{name}: params[{i}] has W of shape {W}, but it receives {fan_in} inputs from "
                             f"{source}; W must have shape ({fan_in}, M)")
        if b != (W[1],):
            raise ValueError(f"{name}: params[{i}] has b of shape {b}; expected ({W[1]},) to match its W {W}")
        fan_in = W[1]
    return X


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


def _call_data_loss(data_loss, scores, targets, name):
    """data_loss(scores, targets) -> (loss, dscores), checked."""
    result = data_loss(scores, targets)
    if not (isinstance(result, tuple) and len(result) == 2 and np.shape(result[1]) == scores.shape):
        got = (f"a tuple of {len(result)} with shapes {[np.shape(r) for r in result]}" if isinstance(result, tuple)
               else type(result).__name__)
        raise ValueError(f"{name}: data_loss(scores, targets) must return (loss, dscores) with dscores shaped "
                         f"like the scores {scores.shape}; got {got}")
    return float(result[0]), np.asarray(result[1], dtype=np.float64)


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
            raise ValueError(f"mlp_loss: give either loss (a name) or data_loss (a function), not both; "
                             f"got loss={loss!r}")
        if not callable(data_loss):
            raise ValueError(f"mlp_loss: data_loss must be a function (scores, targets) -> (loss, dscores); "
                             f"got {type(data_loss).__name__}")
    elif loss not in LOSSES:
        raise ValueError(f"mlp_loss: unknown loss {loss!r}; expected one of {', '.join(map(repr, LOSSES))}")
    X = _check_net(params, X, activation, "mlp_loss")
    scores, tape = _run_forward(params, X, activation)
    if data_loss is None:
        X, y = _check_labels(X, y, scores.shape[1], "mlp_loss")
        value, dscores = _data_loss(scores, y, loss)
    else:
        if np.ndim(y) == 0 or len(y) != X.shape[0]:
            raise ValueError(f"mlp_loss: the targets must have one row per row of X ({X.shape[0]}); "
                             f"got shape {np.shape(y)}")
        value, dscores = _call_data_loss(data_loss, scores, y, "mlp_loss")
    grads = _run_backward(params, tape, dscores, activation)
    reg_loss = 0.0
    for i, (W, _) in enumerate(params):
        reg_loss += 0.5 * reg * np.sum(W * W)
        dW, db = grads[i]
        grads[i] = (dW + reg * W, db)
    return value + float(reg_loss), grads


def net_scores(params, X, activation="relu"):
    """The net's raw outputs (the scores, before any loss). Returns (N, C) floats."""
    X = _check_net(params, X, activation, "net_scores")
    return _run_forward(params, X, activation)[0]


def hidden_activations(params, X, activation="relu"):
    """The activations of every hidden layer (after the non-linearity), e.g. to plot
    them or to measure dead units. Returns a list of L - 1 arrays, (N, H_l) for hidden layer l."""
    X = _check_net(params, X, activation, "hidden_activations")
    _, tape = _run_forward(params, X, activation)
    return [a for _, _, a, _, _ in tape[:-1]]


def predict(params, X, activation="relu"):
    """Predicted labels: the index of the highest score. Returns (N,) ints."""
    X = _check_net(params, X, activation, "predict")
    return np.argmax(_run_forward(params, X, activation)[0], axis=1)


def accuracy(params, X, y, activation="relu"):
    """Fraction of the examples in (X, y) the net classifies correctly."""
    return float(np.mean(predict(params, X, activation) == np.asarray(y)))


# ------------------------------------------------ nets with batch norm, dropout
def _caller_layer(layers, name, asked):
    """The (forward, backward) pair layers[name], or a clear error naming what to pass."""
    label, what, notebook = _CALLER_LAYERS[name]
    pair = (layers or {}).get(name)
    if pair is None:
        raise ValueError(f"make_fcnet: {asked} needs your own {label} layer (the exercise of {notebook}; "
                         f"the trainer has none): pass layers={{{name!r}: {what}}}")
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(callable(fn) for fn in pair)):
        raise ValueError(f"make_fcnet: layers[{name!r}] must be the pair of functions {what}; got {pair!r}")
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
    if activation not in _NONLINEARITIES:
        raise ValueError(f"make_fcnet: unknown activation {activation!r}; expected one of "
                         f"{', '.join(map(repr, ACTIVATIONS))}")
    if not (np.ndim(dropout) == 0 and 0 < dropout <= 1):
        raise ValueError(f"make_fcnet: dropout is the probability of keeping a unit, in (0, 1]; got {dropout!r}")
    if layers is not None and not (isinstance(layers, dict) and set(layers) <= set(_CALLER_LAYERS)):
        raise ValueError(f"make_fcnet: layers must be a dict with the keys 'batchnorm' and/or 'dropout'; "
                         f"got {layers!r}")
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
            raise ValueError(f"make_fcnet: your batchnorm_forward must return (out, cache); "
                             f"got {type(result).__name__}")
        return result

    def normalize_back(dz, cache):
        result = bn_backward(dz, cache)
        if not (isinstance(result, tuple) and len(result) == 3):
            raise ValueError(f"make_fcnet: your batchnorm_backward must return (dx, dgamma, dbeta); "
                             f"got {type(result).__name__}")
        return result

    def drop(a):
        result = drop_forward(a, dropout, "train", rng)
        if not (isinstance(result, tuple) and len(result) == 2):
            raise ValueError(f"make_fcnet: your dropout_forward must return (out, cache); got {type(result).__name__}")
        return result

    def forward(params, X, mode):
        for bn_param in bn_params:
            bn_param["mode"] = mode
        return _run_forward(params, np.asarray(X, dtype=np.float64), activation,
                            normalize if batchnorm else None,
                            drop if (dropout < 1 and mode == "train") else None)

    def loss_fn(params, X, y):
        scores, tape = forward(params, X, "train")
        X, y = _check_labels(X, y, scores.shape[1], "make_fcnet loss_fn")
        loss, dscores = _data_loss(scores, y, "softmax")
        grads = _run_backward(params, tape, dscores, activation, normalize_back, drop_backward)
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
        raise ValueError(f"train: params must be a list of (W, b) pairs (it is updated in place); "
                         f"got {type(params).__name__}")
    if loss_fn is not None and reg != 0:
        raise ValueError(f"train: reg is used by the default mlp_loss only; with a loss_fn, put the "
                         f"regularization into the loss_fn (e.g. make_fcnet(..., reg={reg!r})); got reg={reg!r}")
    if loss_fn is not None and data_loss is not None:
        raise ValueError("train: data_loss is used by the default mlp_loss only; with a loss_fn, "
                         "apply it inside the loss_fn")
    if loss_fn is None:
        loss_fn = lambda p, X_batch, y_batch: mlp_loss(p, X_batch, y_batch, activation, reg, loss, data_loss)
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
