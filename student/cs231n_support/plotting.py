"""Plots the notebooks share.

Every function draws into the Axes (or Figure) you give it, or makes a new
one, and returns it, so notebooks can add titles or combine plots. Nothing
here picks a backend: it works inline in Jupyter and with "Agg" in tests.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from .i18n import t

CLASS_COLORS = plt.get_cmap("tab10").colors  # one colour per class, up to 10


def _class_cmap(n_classes):
    """A colormap with one distinct colour for each of ``n_classes`` classes."""
    if n_classes <= len(CLASS_COLORS):
        return ListedColormap(CLASS_COLORS[:n_classes])
    return ListedColormap(plt.get_cmap("hsv")(np.linspace(0, 1, n_classes, endpoint=False)))


def plot_decision_boundary(predict, X, y, ax=None, resolution=200, padding=0.5, title=None):
    """Colour the plane by the class a classifier predicts, and show the data.

    Inputs
    - predict: function mapping points of shape (M, 2) to integer labels of
      shape (M,), or to class scores of shape (M, C) (the argmax is taken)
    - X: data points, shape (N, 2)
    - y: their integer labels, shape (N,), values 0..C-1
    - ax: Axes to draw into (default: a new figure)
    - resolution: the grid has resolution x resolution points
    - padding: margin added around the data on every side
    - title: optional Axes title

    Returns the Axes. The filled contour has one level per class, coloured
    like the scattered points of that class.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(t("X must have shape (N, 2), got {shape}.", shape=X.shape))
    if y.shape != (X.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(t("y must hold {N} integer labels, got {dtype} of shape {shape}.", N=X.shape[0],
                           dtype=y.dtype, shape=y.shape))
    if ax is None:
        _, ax = plt.subplots()

    x_min, y_min = X.min(axis=0) - padding
    x_max, y_max = X.max(axis=0) + padding
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, resolution),
                         np.linspace(y_min, y_max, resolution))
    grid = np.column_stack([xx.ravel(), yy.ravel()])  # (resolution**2, 2)
    Z = np.asarray(predict(grid))
    if Z.ndim == 2:
        Z = Z.argmax(axis=1)  # scores -> labels
    if Z.shape != (len(grid),):
        raise ValueError(t("predict must return ({M},) labels or ({M}, C) scores, got shape {shape}.",
                           M=len(grid), shape=Z.shape))
    Z = Z.astype(int).reshape(xx.shape)

    n_classes = int(max(y.max(), Z.max())) + 1
    cmap = _class_cmap(n_classes)
    levels = np.arange(n_classes + 1) - 0.5  # class k fills the band (k - 0.5, k + 0.5)
    ax.contourf(xx, yy, Z, levels=levels, cmap=cmap, alpha=0.3)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=-0.5, vmax=n_classes - 0.5,
               s=20, edgecolors="k", linewidths=0.5)
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    if title is not None:
        ax.set_title(title)
    return ax


def show_image_grid(images, nrows, ncols, fig=None, normalize=True, titles=None):
    """Show images in a grid of nrows x ncols Axes (without ticks).

    Inputs
    - images: shape (K, H, W, 3) colour or (K, H, W) grey, K <= nrows * ncols;
      uint8 images are read as 0..255
    - nrows, ncols: the grid size; cells past the K-th stay blank
    - fig: Figure to draw into (default: a new one sized for the grid)
    - normalize: rescale each image on its own to [0, 1] (its minimum black,
      its maximum white), as needed for mean-subtracted data or weights;
      if False, float images must already lie in [0, 1]
    - titles: optional sequence of K strings, one above each image

    Returns the Figure; ``fig.axes`` holds the nrows * ncols Axes.
    """
    images = np.asarray(images)
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[3] != 3):
        raise ValueError(t("images must have shape (K, H, W, 3) or (K, H, W), got {shape}.", shape=images.shape))
    k = len(images)
    if k > nrows * ncols:
        raise ValueError(t("{k} images do not fit in a {nrows} x {ncols} grid.", k=k, nrows=nrows, ncols=ncols))
    if titles is not None and len(titles) != k:
        raise ValueError(t("got {n_titles} titles for {k} images.", n_titles=len(titles), k=k))
    if images.dtype == np.uint8:
        images = images / 255.0
    images = images.astype(np.float64)
    if normalize:
        axes = tuple(range(1, images.ndim))
        low = images.min(axis=axes, keepdims=True)
        span = images.max(axis=axes, keepdims=True) - low
        images = (images - low) / np.where(span > 0, span, 1.0)  # a flat image shows black
    elif images.size and (images.min() < 0 or images.max() > 1):
        raise ValueError(t("with normalize=False the images must lie in [0, 1] (or be uint8), got {low:g}..{high:g}.",
                           low=images.min(), high=images.max()))

    if fig is None:
        fig = plt.figure(figsize=(1.2 * ncols, 1.2 * nrows + (0.3 * nrows if titles else 0)))
    grid = fig.subplots(nrows, ncols, squeeze=False)
    for i, ax in enumerate(grid.ravel()):
        ax.axis("off")
        if i < k:
            ax.imshow(images[i], cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
            if titles is not None:
                ax.set_title(titles[i], fontsize=8)
    return fig


def plot_curves(curves, ax=None, xlabel=None, ylabel=None, logy=False, title=None):
    """Several named curves (e.g. training and validation loss) on one Axes.

    Inputs
    - curves: dict name -> 1-D sequence of values; value i is drawn at x = i
    - ax: Axes to draw into (default: a new figure)
    - xlabel, ylabel, title: labels (xlabel and ylabel default to "iteration"
      and "loss", in the language in use)
    - logy: use a logarithmic y axis

    Returns the Axes, with one line per curve and a legend.
    """
    if not isinstance(curves, dict) or not curves:
        raise ValueError(t("curves must be a non-empty dict name -> sequence of values."))
    if ax is None:
        _, ax = plt.subplots()
    for name, values in curves.items():
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 1:
            raise ValueError(t("curve {name!r} must be 1-D, got shape {shape}.", name=name, shape=values.shape))
        ax.plot(np.arange(len(values)), values, label=str(name))
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(t("iteration") if xlabel is None else xlabel)
    ax.set_ylabel(t("loss") if ylabel is None else ylabel)
    if title is not None:
        ax.set_title(title)
    ax.legend()
    return ax


def plot_function_and_gradient(f, df, x_range=(-6, 6), ax=None, title=None):
    """A function f and its local gradient df/dx on one Axes.

    Inputs
    - f, df: functions taking an array x of shape (M,) and returning (M,)
    - x_range: (low, high) of the x axis
    - ax: Axes to draw into (default: a new figure)
    - title: optional Axes title

    Returns the Axes with two lines: f(x) (solid) and df/dx (dashed).
    """
    low, high = x_range
    if not low < high:
        raise ValueError(t("x_range must be (low, high) with low < high, got {x_range}.", x_range=x_range))
    x = np.linspace(low, high, 400)
    fx = np.asarray(f(x), dtype=np.float64)
    dfx = np.asarray(df(x), dtype=np.float64)
    for name, values in (("f", fx), ("df", dfx)):
        if values.shape != x.shape:
            raise ValueError(t("{name} must map shape {shape} to {shape}, got {got}.", name=name, shape=x.shape,
                               got=values.shape))
    if ax is None:
        _, ax = plt.subplots()
    ax.axhline(0, color="gray", linewidth=0.5)
    ax.axvline(0, color="gray", linewidth=0.5)
    ax.plot(x, fx, label="f(x)")
    ax.plot(x, dfx, "--", label="df/dx")
    ax.set_xlabel("x")
    ax.legend()
    if title is not None:
        ax.set_title(title)
    return ax
