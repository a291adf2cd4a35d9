"""Helpers the notebooks' autograder test cells call.

A test cell compares a student's function with the reference implementation
on the same inputs and fails with a message a student can act on: which
output, expected vs got shape, worst relative error and where, and a hint
when the error has the shape of a common mistake (a factor of N, a flipped
sign, a transposed matrix, ...).

    compare_with_reference(sigmoid, "sigmoid", x)
    assert_close(got, expected, name="sigmoid([0, 2])")
    assert_gradient_ok(f, x, analytic, name="dw of binary_softmax_loss")

A student function that merely calls the reference implementation of the
function under test gets no credit: the call is detected while the student's
function runs (see ``_reference_watch``).
"""
import copy
import warnings

import numpy as np

from .i18n import t

__all__ = ["GradingError", "assert_close", "check_known_values", "assert_gradient_ok"]

# Default tolerances. The reference works in float64; a correct student
# implementation that uses another (stable) formula differs by rounding only,
# a few ulps times the condition of the computation, far below 1e-6 relative.
RTOL = 1e-6
ATOL = 1e-9


class GradingError(AssertionError):
    """A check failed. The message is written for the student.

    In a notebook the error shows as its message alone: the frames of this module (how the check
    is made) would push the message below thirty lines of code the student did not write.
    """

    def _render_traceback_(self):
        # IPython's hook for an exception's own rendering (used by the kernel, nbgrader's validate
        # and the autograded notebooks alike); the red name is IPython's colour for an error.
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


# ---------------------------------------------------------------------------
# Comparing arrays

def _describe(value):
    if isinstance(value, np.ndarray):
        return t("array of shape {shape} and dtype {dtype}", shape=value.shape, dtype=value.dtype)
    return f"{type(value).__name__} {value!r}"[:80]


def _as_float_array(value, what):
    """Turn a student's output into a float64 array, or explain why not."""
    if isinstance(value, (bool, np.bool_)):
        raise GradingError(t("{what}: expected a number or an array of numbers, got a boolean {value!r}",
                             what=what, value=value))
    if not isinstance(value, (np.ndarray, np.generic, int, float)):
        raise GradingError(t("{what}: expected a NumPy array or a number, got {got}", what=what, got=_describe(value)))
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise GradingError(t("{what}: expected numbers, got an array of dtype {dtype}", what=what, dtype=arr.dtype))
    return arr.astype(np.float64)


def _hint(got, expected, n_examples=None):
    """Guess the common mistake behind a mismatch, or return ''."""
    if got.shape != expected.shape:
        if got.shape == expected.shape[::-1] and got.ndim == 2:
            return t("Hint: the shape is the transpose of the expected one; check the order of a matrix product "
                     "or a missing .T.")
        if got.size == expected.size:
            return t("Hint: the right number of entries in the wrong shape; check a reshape or a missing axis= "
                     "in a reduction.")
        if got.ndim == expected.ndim + 1 or (expected.ndim == 0 and got.size > 1):
            return t("Hint: an extra dimension; did you forget to sum or average over an axis?")
        return ""
    g, e = got.ravel(), expected.ravel()
    scale = float(np.dot(e, e))
    if scale == 0.0:
        return ""
    ratio = float(np.dot(g, e) / scale)          # least-squares factor got ~ ratio * expected
    if np.allclose(g, ratio * e, rtol=1e-4, atol=1e-10 * np.sqrt(scale)):
        if n_examples and n_examples > 1 and np.isclose(ratio, n_examples, rtol=1e-3):
            return t("Hint: about N = {n} times too large: did you sum over the examples instead of averaging?",
                     n=n_examples)
        if n_examples and n_examples > 1 and np.isclose(ratio, 1.0 / n_examples, rtol=1e-3):
            return t("Hint: about N = {n} times too small: did you divide by N twice?", n=n_examples)
        if np.isclose(ratio, -1.0, rtol=1e-4):
            return t("Hint: exactly the negative of the expected value: check the sign.")
        if np.isclose(ratio, 2.0, rtol=1e-4) or np.isclose(ratio, 0.5, rtol=1e-4):
            return t("Hint: off by a factor of exactly 2 (got {ratio:.3g} times the expected value); "
                     "check the 0.5 in 0.5*reg*sum(W**2) and its gradient reg*W.", ratio=ratio)
        if g.size >= 3:
            return t("Hint: proportional to the expected value (got {ratio:.4g} times it): a missing or extra "
                     "constant factor?", ratio=ratio)
    return ""


def assert_close(got, expected, name="result", rtol=RTOL, atol=ATOL, n_examples=None):
    """Fail with a readable message unless ``got`` matches ``expected``.

    Checks, in order: that ``got`` is numeric, its shape, that it holds no
    NaN or inf, then the values (|got - expected| <= atol + rtol * |expected|
    elementwise). A scalar may be a Python number or a 0-d array.
    """
    expected = np.asarray(expected, dtype=np.float64)
    got = _as_float_array(got, name)
    if got.shape != expected.shape:
        raise GradingError(" ".join(filter(None, [
            t("{name}: expected shape {expected}, got shape {got}.", name=name, expected=expected.shape,
              got=got.shape),
            _hint(got, expected, n_examples)])))
    bad = ~np.isfinite(got)
    if bad.any() and not (~np.isfinite(expected))[bad].all():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise GradingError(t("{name}: contains NaN or inf (first at index {index}) where a finite value "
                             "was expected. Hint: a numerically unstable formula, e.g. exp of a large number, "
                             "log(0) or 0/0.", name=name, index=where))
    err = np.abs(got - expected)
    tol = atol + rtol * np.abs(expected)
    if np.all(err <= tol) or got.size == 0:
        return
    rel = err / np.maximum(np.abs(expected), np.abs(got)).clip(min=1e-300)
    worst = np.unravel_index(int(np.argmax(err - tol)), got.shape) if got.ndim else ()
    n_bad = int(np.count_nonzero(err > tol))
    values = dict(name=name, n_bad=n_bad, size=got.size, expected=expected[worst], got=got[worst],
                  rel=rel[worst], rtol=rtol)
    if got.ndim:
        msg = t("{name}: {n_bad} of {size} values differ from the expected ones; worst at index {index}: "
                "expected {expected:.6g}, got {got:.6g} (relative error {rel:.2g}, tolerance {rtol:g}).",
                index=tuple(int(i) for i in worst), **values)
    else:
        msg = t("{name}: {n_bad} of {size} values differ from the expected ones; worst: "
                "expected {expected:.6g}, got {got:.6g} (relative error {rel:.2g}, tolerance {rtol:g}).", **values)
    hint = _hint(got, expected, n_examples)
    raise GradingError(f"{msg} {hint}".strip())


# ---------------------------------------------------------------------------
# The main check

def _n_examples(args):
    for a in args:
        if isinstance(a, np.ndarray) and a.ndim == 2:
            return a.shape[0]
    return None


def _warning_hint(message):
    if "overflow" in message:
        return t("Hint: exp() of a number above about 709 overflows; rewrite the formula so that exp only "
                 "sees values <= 0 (np.where evaluates both of its branches on every entry).")
    if "divide by zero" in message:
        return t("Hint: log(0) or x/0; e.g. write log(1 + e^f) as np.logaddexp(0, f) instead of taking a log "
                 "of a probability.")
    return t("Hint: a NaN was made, e.g. inf - inf, 0 * inf or 0/0; look for an overflow earlier in the formula.")


def _call_student(fn, name, args, kwargs):
    """Call the student's function on private copies of the inputs.

    Returns its result; fails on an exception, a NumPy warning (overflow,
    invalid value, divide by zero) or an input modified in place.
    """
    if not callable(fn):
        raise GradingError(t("{name}: expected a function, got {got}", name=name, got=_describe(fn)))
    args_copy, kwargs_copy = copy.deepcopy(args), copy.deepcopy(kwargs)
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            result = fn(*args_copy, **kwargs_copy)
        except NotImplementedError:
            raise GradingError(t("{name}: not implemented yet (it raised NotImplementedError).", name=name)) from None
        except GradingError:
            raise
        except Exception as exc:
            raise GradingError(t("{name}: raised {error_type}: {error}", name=name, error_type=type(exc).__name__,
                                 error=exc)) from exc
    numeric = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if numeric:
        raise GradingError(t("{name}: NumPy warned '{warning}'. The function must be numerically stable for "
                             "inputs up to |x| = 1000. {hint}", name=name, warning=numeric[0].message,
                             hint=_warning_hint(str(numeric[0].message))))
    for i, (a, b) in enumerate(zip(args, args_copy)):
        if isinstance(a, np.ndarray) and not np.array_equal(a, b, equal_nan=True):
            raise GradingError(t("{name}: your function modified its input argument #{number} in place; "
                                 "work on a copy instead.", name=name, number=i + 1))
    return result


def _compare_outputs(got, expected, name, outputs=None, output_names=None, rtol=RTOL, atol=ATOL, n=None):
    """Compare a (possibly tuple-valued) result with the expected one."""
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            if isinstance(got, tuple):
                raise GradingError(t("{name}: expected a tuple of {n} values, got {got} of length {length}",
                                     name=name, n=len(expected), got=_describe(got), length=len(got)))
            raise GradingError(t("{name}: expected a tuple of {n} values, got {got}", name=name, n=len(expected),
                                 got=_describe(got)))
        idx = range(len(expected)) if outputs is None else outputs
        labels = output_names or [t("output {index}", index=i) for i in range(len(expected))]
        for i in idx:
            assert_close(got[i], expected[i], name=f"{name}: {labels[i]}", rtol=rtol, atol=atol, n_examples=n)
    else:
        assert_close(got, expected, name=name, rtol=rtol, atol=atol, n_examples=n)


def check_known_values(fn, args, expected, name, output_names=None, rtol=RTOL, atol=ATOL):
    """Call ``fn(*args)`` and compare the result with known ``expected`` values.

    The visible tests use this: the expected values are written in the
    notebook. The call is checked like every graded call (no NumPy warnings,
    inputs not modified in place).
    """
    got = _call_student(fn, name, tuple(args), {})
    _compare_outputs(got, expected, name, output_names=output_names, rtol=rtol, atol=atol,
                     n=_n_examples(args))
    return got


def assert_gradient_ok(f, x, analytic, name="gradient", tol=1e-6, h=1e-5):
    """Check an analytic gradient against centred differences.

    Inputs:
    - f: function of the array x returning a scalar (x is changed in place
      during the check and restored)
    - x: float64 array where the gradient is checked (use a point away from
      kinks such as max(0, .))
    - analytic: the gradient your code computed, same shape as x
    - tol: largest accepted relative error (the notes: below 1e-7 is good,
      above 1e-4 is suspicious for a smooth function)
    """
    from .gradient_check import eval_numerical_gradient, rel_error

    x = np.array(x, dtype=np.float64)
    analytic = _as_float_array(analytic, name)
    if analytic.shape != x.shape:
        raise GradingError(t("{name}: the gradient must have the shape of the variable, {expected}; got {got}.",
                             name=name, expected=x.shape, got=analytic.shape) + " " + _hint(analytic, x))
    numeric = eval_numerical_gradient(f, x, verbose=False, h=h)
    err = rel_error(numeric, analytic)
    if not err <= tol:
        diff = np.abs(numeric - analytic)
        worst = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
        values = dict(name=name, err=err, tol=tol, numerical=numeric[worst], yours=analytic[worst])
        if diff.ndim:
            msg = t("{name}: relative error {err:.2g} between your gradient and the numerical one (accepted: "
                    "<= {tol:g}); worst at index {index}: numerical {numerical:.6g}, yours {yours:.6g}.",
                    index=tuple(int(i) for i in worst), **values)
        else:
            msg = t("{name}: relative error {err:.2g} between your gradient and the numerical one (accepted: "
                    "<= {tol:g}); worst: numerical {numerical:.6g}, yours {yours:.6g}.", **values)
        raise GradingError(" ".join(filter(None, [msg, _hint(analytic, numeric)])))
