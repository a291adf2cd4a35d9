"""Numerical gradient checks, and verdicts by the rules of the CS231n notes.

The first four functions keep the names and signatures of the CS231n
assignments' ``gradient_check.py``, so assignment-style code runs unchanged:

    rel_error(x, y)
    eval_numerical_gradient(f, x, verbose=True, h=1e-5)
    eval_numerical_gradient_array(f, x, df, h=1e-5)
    grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5)

All of them use the centred difference of the notes,

    df/dx_i  ~  (f(x + h e_i) - f(x - h e_i)) / (2h),

in float64. Like CS231n's, they change ``x`` in place (so ``f`` may ignore its
argument and read the same array, e.g. ``f = lambda _: net.loss(X, y)[0]``)
and put every entry back exactly, even when ``f`` raises.

``check_gradient`` and ``directional_check`` return a verdict by the rules of
the notes (Neural Networks Part 3, "Gradient checks"):

    relative error > 1e-2          the gradient is probably wrong   -> "wrong"
    1e-2 >= relative error > 1e-4  you should feel uncomfortable    -> "doubtful"
    1e-4 >= relative error > 1e-7  okay for objectives with kinks   -> "ok"
                                   but too high without kinks       -> "doubtful"
    1e-7 >= relative error         you should be happy              -> "good"

where the relative error of two numbers is |a - b| / max(1e-8, |a| + |b|).
"""

from dataclasses import dataclass, field

import numpy as np

from .i18n import t

# The notes' thresholds (see the module docstring).
WRONG_ABOVE = 1e-2
KINKS_OK_BELOW = 1e-4
GOOD_BELOW = 1e-7

# Floor of the denominator of the relative error (as in CS231n's rel_error):
# it makes two zero gradients agree (error 0) instead of giving 0/0 = NaN.
_REL_ERROR_FLOOR = 1e-8


# ----------------------------------------------------------------------------
# Input validation (private)
# ----------------------------------------------------------------------------

def _check_x(x, name="x"):
    """Refuse anything but a writable, finite float64 numpy array.

    A centred difference x +- h with h = 1e-5 is meaningless on integers, and
    in float32 (about 7 significant digits) the round-off in f(x +- h) swamps
    the difference, so only float64 is accepted.
    """
    if not isinstance(x, np.ndarray):
        raise TypeError(t(
            "{name} must be a numpy array of dtype float64 (it is changed in "
            "place and restored), got {got}", name=name, got=type(x).__name__
        ))
    if np.issubdtype(x.dtype, np.integer) or x.dtype == np.bool_:
        raise TypeError(t(
            "{name} has integer dtype {dtype}: a centred difference "
            "{name} +- h with h ~ 1e-5 is meaningless on integers. Pass "
            "{name}.astype(np.float64) instead.", name=name, dtype=x.dtype
        ))
    if x.dtype != np.float64:
        raise TypeError(t(
            "{name} has dtype {dtype}, but gradient checks need float64: in "
            "lower precision the round-off in f({name} +- h) swamps the "
            "difference. Use float64, e.g. {name}.astype(np.float64).", name=name, dtype=x.dtype
        ))
    if not x.flags.writeable:
        raise ValueError(t("{name} is read-only; it must be writable (it is "
                           "changed in place and restored)", name=name))
    if not np.all(np.isfinite(x)):
        raise ValueError(t("{name} contains NaN or inf", name=name))


def _check_h(h):
    """h must be a positive finite number."""
    if not np.isscalar(h) or not np.isfinite(h) or h <= 0:
        raise ValueError(t("h must be a positive finite number, got {h!r}", h=h))
    return float(h)


def _as_float64(a, name, shape=None):
    """np.asarray(a, float64), checking the shape when one is given."""
    a = np.asarray(a, dtype=np.float64)
    if shape is not None and a.shape != tuple(shape):
        raise ValueError(t("{name} has shape {shape}, but x has shape {x_shape}; "
                           "they must be equal", name=name, shape=a.shape, x_shape=shape))
    return a


# ----------------------------------------------------------------------------
# The perturbation loop every check is built on (private)
# ----------------------------------------------------------------------------

def _evaluate(f, x, df):
    """One evaluation of the function being differentiated.

    Inputs:
    - f: callable, f(x) returns a scalar (df is None) or an array shaped like df
    - x: the argument to pass to f (an array, or a dict of arrays)
    - df: None, or the upstream gradient, float64 array shaped like f(x)

    Returns the float f(x) when df is None, else a float64 copy of f(x) (a copy,
    because f may return a view of x or reuse its output buffer).
    """
    out = f(x)
    if df is None:
        if isinstance(out, tuple):
            raise TypeError(t(
                "f must return a scalar, got a tuple of length {length}; if "
                "your function returns (loss, grad), pass lambda x: fn(x)[0]", length=len(out)
            ))
        out = np.asarray(out, dtype=np.float64)
        if out.size != 1:
            raise ValueError(t(
                "f must return a scalar, got an array of shape {shape}; for "
                "an array-valued f pass the upstream gradient df (see "
                "eval_numerical_gradient_array)", shape=out.shape
            ))
        out = out.item()
    else:
        out = np.array(out, dtype=np.float64)  # np.array copies
        if out.shape != df.shape:
            raise ValueError(t("f(x) has shape {shape}, but df has shape "
                               "{df_shape}; they must be equal", shape=out.shape, df_shape=df.shape))
    if not np.all(np.isfinite(out)):
        raise ValueError(t("f returned NaN or inf"))
    return out


def _differences(f, x, arr, df, h, indices, one_sided=False):
    """Numerical partial derivatives of g = f (or g = sum(f * df)) by entries.

    Inputs:
    - f: callable, called as f(x)
    - x: the argument of f (an array, or a dict of arrays)
    - arr: float64 array, the array inside x (or x itself) that is perturbed
    - df: None, or float64 array shaped like f(x) (the upstream gradient)
    - h: step size
    - indices: list of K index tuples into arr
    - one_sided: also return the one-sided differences (costs one more call)

    Returns a tuple (centred, forward, backward), each a float64 array of
    shape (K,):
    - centred[k]  = (g(x + h e) - g(x - h e)) / 2h
    - forward[k]  = (g(x + h e) - g(x)) / h       (None unless one_sided)
    - backward[k] = (g(x) - g(x - h e)) / h       (None unless one_sided)
    where e is the unit array with a 1 at indices[k]. arr is restored exactly,
    entry by entry, even if f raises.
    """
    K = len(indices)
    centred = np.zeros(K)
    forward = np.zeros(K) if one_sided else None
    backward = np.zeros(K) if one_sided else None
    g0 = _evaluate(f, x, df) if one_sided else None

    for k, ix in enumerate(indices):
        old_value = arr[ix]  # a float64 copy: putting it back is exact
        try:
            arr[ix] = old_value + h
            g_plus = _evaluate(f, x, df)
            arr[ix] = old_value - h
            g_minus = _evaluate(f, x, df)
        finally:
            arr[ix] = old_value

        # Differences are taken before the sum over outputs (more accurate).
        if df is None:
            centred[k] = (g_plus - g_minus) / (2 * h)
            if one_sided:
                forward[k] = (g_plus - g0) / h
                backward[k] = (g0 - g_minus) / h
        else:
            centred[k] = np.sum((g_plus - g_minus) * df) / (2 * h)
            if one_sided:
                forward[k] = np.sum((g_plus - g0) * df) / h
                backward[k] = np.sum((g0 - g_minus) * df) / h
    return centred, forward, backward


def _elementwise_rel_error(a, b):
    """|a - b| / max(1e-8, |a| + |b|), elementwise; 0 where a = b = 0."""
    return np.abs(a - b) / np.maximum(_REL_ERROR_FLOOR, np.abs(a) + np.abs(b))


def _verdict(error, kinks_crossed):
    """The notes' rule for a relative error. Returns (verdict, reason)."""
    if not np.isfinite(error) or error > WRONG_ABOVE:
        return "wrong", t("relative error > 1e-2: the gradient is probably wrong")
    if error > KINKS_OK_BELOW:
        return "doubtful", t("1e-2 >= relative error > 1e-4: this should make "
                             "you uncomfortable")
    if error > GOOD_BELOW:
        if kinks_crossed:
            return "ok", t("1e-4 >= relative error > 1e-7: usually okay for an "
                           "objective with kinks")
        return "doubtful", t("1e-4 >= relative error > 1e-7: too high for an "
                             "objective without kinks")
    return "good", t("relative error <= 1e-7: you should be happy")


# ----------------------------------------------------------------------------
# CS231n-compatible functions
# ----------------------------------------------------------------------------

def rel_error(x, y):
    """Maximum relative error between two arrays (or numbers).

    Inputs:
    - x, y: arrays of the same shape (or one of them a scalar)

    Returns a float: max over entries of |x - y| / max(1e-8, |x| + |y|).
    Two zeros agree (error 0). An empty pair gives 0.0. Shapes must be equal
    (or one a scalar): broadcasting a (N,) against a (N, 1) would silently
    compare N*N pairs.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape and x.size != 1 and y.size != 1:
        raise ValueError(t("rel_error: x has shape {x_shape} and y has shape "
                           "{y_shape}; they must be equal", x_shape=x.shape, y_shape=y.shape))
    errors = _elementwise_rel_error(x, y)
    return float(np.max(errors)) if errors.size else 0.0


def eval_numerical_gradient(f, x, verbose=True, h=1e-5):
    """Numerical gradient of a scalar function, by centred differences.

    Inputs:
    - f: callable taking the array x and returning a scalar
    - x: float64 array of any shape, the point; changed in place during the
      call and restored exactly (even if f raises)
    - verbose: print each index and its partial derivative
    - h: step size

    Returns grad, float64 array of the same shape as x:
    grad[i] = (f(x + h e_i) - f(x - h e_i)) / 2h. Costs 2 * x.size calls of f.
    """
    _check_x(x)
    h = _check_h(h)
    indices = list(np.ndindex(x.shape))
    centred, _, _ = _differences(f, x, x, None, h, indices)
    grad = centred.reshape(x.shape)
    if verbose:
        for ix in indices:
            print(ix, grad[ix])
    return grad


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """Numerical gradient of an array-valued function, given its upstream gradient.

    Inputs:
    - f: callable taking the array x and returning an array of shape S
    - x: float64 array of any shape, the point; changed in place during the
      call and restored exactly (even if f raises)
    - df: array of shape S, the upstream gradient dL/df(x)
    - h: step size

    Returns dx, float64 array of the same shape as x, the gradient of
    sum(f(x) * df): dx[i] = sum((f(x + h e_i) - f(x - h e_i)) * df) / 2h.
    This is what a backward pass returns when given dout = df.
    """
    _check_x(x)
    h = _check_h(h)
    df = _as_float64(df, "df")
    indices = list(np.ndindex(x.shape))
    centred, _, _ = _differences(f, x, x, df, h, indices)
    return centred.reshape(x.shape)


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5,
                      verbose=True, seed=None):
    """Compare an analytic gradient with centred differences at random entries.

    Unlike CS231n's version this one returns the errors, samples without
    replacement, counts two zero gradients as agreement (error 0, not NaN),
    and also takes a dict of parameter arrays, sampling every array.

    Inputs:
    - f: callable, f(x) returns a scalar (f may ignore its argument and read
      the same arrays, e.g. f = lambda _: net.loss(X, y)[0])
    - x: float64 array of any shape, or a dict name -> float64 array (e.g. a
      network's params); changed in place and restored exactly
    - analytic_grad: array shaped like x, or a dict with the same keys whose
      arrays are shaped like x's
    - num_checks: entries sampled per array (all entries if the array has
      fewer)
    - h: step size
    - verbose: print one line per sampled entry, as CS231n's version does
    - seed: None, int or np.random.Generator, for the choice of entries

    Returns:
    - for an array x: rel_errors, float64 array of shape (min(num_checks,
      x.size),), the relative error |num - ana| / max(1e-8, |num| + |ana|) of
      each sampled entry
    - for a dict x: a dict name -> such an array, one per parameter array
    Costs 2 * num_checks calls of f per array.
    """
    h = _check_h(h)
    if not isinstance(num_checks, (int, np.integer)) or num_checks < 1:
        raise ValueError(t("num_checks must be a positive integer, got {num_checks!r}", num_checks=num_checks))
    rng = np.random.default_rng(seed)

    if isinstance(x, dict):
        if not isinstance(analytic_grad, dict) or set(analytic_grad) != set(x):
            got = sorted(analytic_grad) if isinstance(analytic_grad, dict) else type(analytic_grad).__name__
            raise ValueError(t("x is a dict with keys {keys}, so analytic_grad "
                               "must be a dict with the same keys, got {got}", keys=sorted(x), got=got))
        names = list(x)
        arrays = x
        grads = analytic_grad
    else:
        names = [None]
        arrays = {None: x}
        grads = {None: analytic_grad}

    results = {}
    for name in names:
        arr = arrays[name]
        label = "x" if name is None else f"x[{name!r}]"
        _check_x(arr, label)
        grad = _as_float64(grads[name], t("analytic gradient of {label}", label=label), arr.shape)

        n = min(num_checks, arr.size)
        flat = np.sort(rng.choice(arr.size, size=n, replace=False))
        indices = [np.unravel_index(i, arr.shape) for i in flat]
        numeric, _, _ = _differences(f, x, arr, None, h, indices)
        analytic = np.array([grad[ix] for ix in indices])
        errors = _elementwise_rel_error(numeric, analytic)

        if verbose:
            prefix = "" if name is None else f"{name} "
            for num, ana, err in zip(numeric, analytic, errors):
                print(prefix + t("numerical: {numerical:f} analytic: {analytic:f}, relative error: {err:e}",
                                 numerical=num, analytic=ana, err=err))
        results[name] = errors

    return results[None] if names == [None] else results


# ----------------------------------------------------------------------------
# Checks that return a verdict
# ----------------------------------------------------------------------------

@dataclass
class GradCheckResult:
    """Outcome of check_gradient.

    Attributes:
    - verdict: "good", "ok", "doubtful" or "wrong" (the notes' rules, module
      docstring)
    - reason: the rule that gave the verdict, in words
    - max_rel_error: the error the verdict is judged on, max of rel_errors
    - worst_index: index tuple into x of that error
    - numeric: float64 array shaped like x, centred-difference gradient
    - analytic: float64 array shaped like x, the gradient being checked
    - rel_errors: float64 array shaped like x; at entries away from kinks the
      relative error of analytic against numeric; at kinks the smallest
      relative error against the centred, forward and backward differences
      (at a kink the true derivative is one of the one-sided slopes, and the
      centred difference is neither)
    - kinks: list of index tuples where the slope of f changes inside
      [x - h, x + h] (forward and backward differences disagree)
    - h: the step size used
    """

    verdict: str
    reason: str
    max_rel_error: float
    worst_index: tuple
    numeric: np.ndarray = field(repr=False)
    analytic: np.ndarray = field(repr=False)
    rel_errors: np.ndarray = field(repr=False)
    kinks: list = field(default_factory=list)
    h: float = 1e-5

    @property
    def passed(self):
        """True when the verdict is "good" or "ok"."""
        return self.verdict in ("good", "ok")

    def __str__(self):
        lines = [t("gradient check: {verdict} -- max relative error {err:.2e} at index {index} (h = {h:g})",
                   verdict=self.verdict.upper(), err=self.max_rel_error, index=self.worst_index, h=self.h),
                 f"  {self.reason}"]
        if self.numeric.size:
            ix = self.worst_index
            lines.append("  " + t("at {index}: numeric {numeric:.6e}, analytic {analytic:.6e}",
                                  index=ix, numeric=self.numeric[ix], analytic=self.analytic[ix]))
        if self.kinks:
            shown = ", ".join(str(k) for k in self.kinks[:5])
            if len(self.kinks) > 5:
                lines.append("  " + t("kinks crossed at {count} entries: {shown} and {more} more (judged against "
                                      "the one-sided slopes there)", count=len(self.kinks), shown=shown,
                                      more=len(self.kinks) - 5))
            else:
                lines.append("  " + t("kinks crossed at {count} entries: {shown} (judged against the one-sided "
                                      "slopes there)", count=len(self.kinks), shown=shown))
        else:
            lines.append("  " + t("no kinks crossed"))
        if self.verdict == "doubtful" and self.numeric.size:
            largest = np.max(np.abs(self.analytic))
            if abs(self.analytic[self.worst_index]) < 1e-3 * largest:
                lines.append("  " + t("hint: the worst entry is tiny next to the largest ({largest:.2e}); "
                                      "round-off in f(x +- h) may explain its relative error", largest=largest))
            lines.append("  " + t("hint: re-run with h = 1e-4 and h = 1e-6: an error due to the step size "
                                  "changes with h, a bug's does not"))
        return "\n".join(lines)


def check_gradient(f, x, analytic_grad, df=None, h=1e-5, kink_tol=1e-4):
    """Check an analytic gradient against centred differences at every entry.

    Inputs:
    - f: callable taking the array x; returns a scalar, or (when df is given)
      an array of shape S
    - x: float64 array of any shape (float32 and integers are refused); changed
      in place during the call and restored exactly, even if f raises
    - analytic_grad: array of the same shape as x, the gradient to check (of f,
      or of sum(f(x) * df) when df is given -- what a backward pass returns)
    - df: None, or array of shape S, the upstream gradient
    - h: step size
    - kink_tol: entry i is reported as a kink when its forward and backward
      differences differ by more than kink_tol * max(1, largest |numeric|).
      For a smooth f they differ by about h * |f''| (1e-5 times the
      curvature); a kink such as relu's at 0 changes the slope by O(1).

    Returns a GradCheckResult (verdict by the notes' rules; print it to read
    it). Costs 2 * x.size + 1 calls of f.
    """
    _check_x(x)
    h = _check_h(h)
    analytic = _as_float64(analytic_grad, "analytic_grad", x.shape).copy()
    if df is not None:
        df = _as_float64(df, "df")

    indices = list(np.ndindex(x.shape))
    centred, forward, backward = _differences(f, x, x, df, h, indices, one_sided=True)
    numeric = centred.reshape(x.shape)
    forward = forward.reshape(x.shape)
    backward = backward.reshape(x.shape)

    scale = max(1.0, float(np.max(np.abs(numeric), initial=0.0)))
    is_kink = np.abs(forward - backward) > kink_tol * scale

    errors = _elementwise_rel_error(analytic, numeric)
    errors_one_sided = np.minimum(_elementwise_rel_error(analytic, forward),
                                  _elementwise_rel_error(analytic, backward))
    errors = np.where(is_kink, np.minimum(errors, errors_one_sided), errors)
    errors = np.where(np.isnan(errors), np.inf, errors)  # NaN analytic: wrong

    if errors.size:
        worst_index = np.unravel_index(np.argmax(errors), x.shape)
        worst_index = tuple(int(i) for i in worst_index)
        max_error = float(errors[worst_index])
    else:
        worst_index, max_error = (), 0.0
    kinks = [tuple(int(i) for i in ix) for ix in np.argwhere(is_kink)]
    verdict, reason = _verdict(max_error, bool(kinks))
    return GradCheckResult(verdict=verdict, reason=reason, max_rel_error=max_error,
                           worst_index=worst_index, numeric=numeric,
                           analytic=analytic, rel_errors=errors, kinks=kinks, h=h)


@dataclass
class DirectionalCheckResult:
    """Outcome of directional_check.

    Attributes (K = number of directions):
    - verdict, reason: as in GradCheckResult
    - max_rel_error: worst relative error over the directions
    - numeric: (K,) centred differences (f(x + h v) - f(x - h v)) / 2h
    - analytic: (K,) directional derivatives <analytic_grad, v>
    - rel_errors: (K,) relative error of each direction
    - directions: (K, *x.shape) the unit directions v used
    - h: the step size used
    """

    verdict: str
    reason: str
    max_rel_error: float
    numeric: np.ndarray = field(repr=False)
    analytic: np.ndarray = field(repr=False)
    rel_errors: np.ndarray = field(repr=False)
    directions: np.ndarray = field(repr=False)
    h: float = 1e-5

    @property
    def passed(self):
        """True when the verdict is "good" or "ok"."""
        return self.verdict in ("good", "ok")

    def __str__(self):
        lines = [t("directional check: {verdict} -- max relative error {err:.2e} over {count} random "
                   "directions (h = {h:g})", verdict=self.verdict.upper(), err=self.max_rel_error,
                   count=len(self.rel_errors), h=self.h),
                 f"  {self.reason}"]
        for k, (num, ana, err) in enumerate(zip(self.numeric, self.analytic,
                                                self.rel_errors)):
            lines.append("  " + t("direction {k}: numeric {numeric:.6e}, analytic {analytic:.6e}, "
                                  "relative error {err:.2e}", k=k, numeric=num, analytic=ana, err=err))
        return "\n".join(lines)


def directional_check(f, x, analytic_grad, num_directions=5, h=1e-5, seed=None,
                      df=None, has_kinks=False):
    """Check a gradient along a few random directions: cheap for any size of x.

    For each random unit direction v (||v|| = 1, same shape as x) compare

        numeric  = (f(x + h v) - f(x - h v)) / 2h
        analytic = <analytic_grad, v> = sum(analytic_grad * v),

    which agree when the gradient is right (both are the slope of f along v).
    Costs 2 * num_directions calls of f, whatever x.size is, so it can check a
    whole big weight matrix where check_gradient (2 * x.size calls) is too slow.

    Weakness: each direction tests one number, a weighted sum over all entries.
    A bug confined to a few entries changes that sum by roughly the norm of the
    wrong part over the norm of the whole gradient, so it is diluted: a wrong
    bias gradient (few, small entries) next to a big weight gradient may only
    move the error to ~1e-5 and pass. A sparse check can miss such a bug too,
    if it never samples the wrong entries. So: use directional_check as a fast
    first test of a large gradient, one parameter array at a time (never mix a
    small array with a big one); use check_gradient on small problems, where it
    checks every entry and tells you where the error is; use grad_check_sparse
    on a dict of params to sample every array. Kinks are not detected here
    (that would need one more call); pass has_kinks=True for objectives with
    kinks (ReLU, max, hinge), so that errors <= 1e-4 count as "ok".

    Inputs:
    - f: callable taking the array x, returning a scalar (or an array of shape
      S when df is given)
    - x: float64 array of any shape; changed in place during the call and
      restored exactly, even if f raises
    - analytic_grad: array of the same shape as x
    - num_directions: number K of random directions
    - h: step size
    - seed: None, int or np.random.Generator
    - df: None, or array of shape S, the upstream gradient (checks the
      gradient of sum(f(x) * df))
    - has_kinks: whether the objective has kinks (changes the 1e-7..1e-4 band)

    Returns a DirectionalCheckResult.
    """
    _check_x(x)
    h = _check_h(h)
    analytic_grad = _as_float64(analytic_grad, "analytic_grad", x.shape)
    if df is not None:
        df = _as_float64(df, "df")
    if not isinstance(num_directions, (int, np.integer)) or num_directions < 1:
        raise ValueError(t("num_directions must be a positive integer, got "
                           "{num_directions!r}", num_directions=num_directions))
    if x.size == 0:
        raise ValueError(t("x is empty: there is no direction to check"))
    rng = np.random.default_rng(seed)

    directions = rng.standard_normal((num_directions,) + x.shape)
    norms = np.sqrt(np.sum(directions.reshape(num_directions, -1) ** 2, axis=1))
    directions /= norms.reshape((num_directions,) + (1,) * x.ndim)

    numeric = np.zeros(num_directions)
    x_saved = x.copy()
    try:
        for k, v in enumerate(directions):
            x[...] = x_saved + h * v
            g_plus = _evaluate(f, x, df)
            x[...] = x_saved - h * v
            g_minus = _evaluate(f, x, df)
            if df is None:
                numeric[k] = (g_plus - g_minus) / (2 * h)
            else:
                numeric[k] = np.sum((g_plus - g_minus) * df) / (2 * h)
    finally:
        x[...] = x_saved

    analytic = np.sum((directions * analytic_grad).reshape(num_directions, -1), axis=1)
    errors = _elementwise_rel_error(numeric, analytic)
    errors = np.where(np.isnan(errors), np.inf, errors)
    max_error = float(np.max(errors))
    verdict, reason = _verdict(max_error, has_kinks)
    return DirectionalCheckResult(verdict=verdict, reason=reason,
                                  max_rel_error=max_error, numeric=numeric,
                                  analytic=analytic, rel_errors=errors,
                                  directions=directions, h=h)
