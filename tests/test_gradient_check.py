"""Tests for cs231n_support.gradient_check.

Every check must accept correct gradients and reject wrong ones (transposed,
halved, sign-flipped) on three functions with known gradients: a quadratic
f(W) = sum((X @ W)**2), a softmax loss, and an array-valued tanh(x @ A)
checked through an upstream gradient df.
"""

import numpy as np
import pytest

from cs231n_support.gradient_check import (
    DirectionalCheckResult,
    GradCheckResult,
    check_gradient,
    directional_check,
    eval_numerical_gradient,
    eval_numerical_gradient_array,
    grad_check_sparse,
    rel_error,
)


# ----------------------------------------------------------------------------
# Test functions with hand-derived gradients
# ----------------------------------------------------------------------------

def make_case(kind, square, seed=0):
    """Returns (f, x, grad, df) with grad the correct gradient at x.

    square=True makes x square so that its transposed gradient has the right
    shape; otherwise x is (4, 3) or (5, 4).
    """
    rng = np.random.default_rng(seed)
    if kind == "quadratic":
        # f(W) = sum((X W)^2), df/dW = 2 X^T X W; X (7, 4), W (4, 3) or (4, 4)
        X = rng.standard_normal((7, 4))
        W = rng.standard_normal((4, 4 if square else 3))
        f = lambda W: np.sum((X @ W) ** 2)
        return f, W, 2 * X.T @ X @ W, None
    if kind == "softmax":
        # mean over n of -log softmax(X W)[n, y_n]; grad X^T (P - Y) / N
        C = 4 if square else 3
        N = 6
        X = rng.standard_normal((N, 4))
        y = rng.integers(0, C, size=N)
        W = rng.standard_normal((4, C))

        def f(W):
            scores = X @ W
            scores = scores - scores.max(axis=1, keepdims=True)
            log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
            return -np.mean(log_probs[np.arange(N), y])

        scores = X @ W
        P = np.exp(scores - scores.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)
        P[np.arange(N), y] -= 1
        return f, W, X.T @ P / N, None
    if kind == "array":
        # out = tanh(x A), out (rows, M); gradient of sum(out * df) wrt x is
        # ((1 - out^2) * df) A^T
        rows, D = (4, 4) if square else (5, 4)
        x = rng.standard_normal((rows, D))
        A = rng.standard_normal((D, 3)) * 0.5
        df = rng.standard_normal((rows, 3))
        f = lambda x: np.tanh(x @ A)
        out = np.tanh(x @ A)
        return f, x, ((1 - out ** 2) * df) @ A.T, df
    raise ValueError(kind)


KINDS = ["quadratic", "softmax", "array"]


def wrong_gradients(grad, square):
    """The classic bugs, each still the shape of the correct gradient."""
    bugs = {"halved": grad / 2, "sign-flipped": -grad}
    if square:
        bugs["transposed"] = grad.T.copy()
    else:
        bugs["transposed-reshaped"] = grad.T.reshape(grad.shape).copy()
    return bugs


BUGS = [("halved", False), ("halved", True), ("sign-flipped", False),
        ("transposed", True), ("transposed-reshaped", False)]


# ----------------------------------------------------------------------------
# rel_error
# ----------------------------------------------------------------------------

def test_rel_error_matches_a_loop():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 5))
    y = x + 1e-3 * rng.standard_normal((3, 5))
    expected = 0.0
    for a, b in zip(x.ravel(), y.ravel()):
        expected = max(expected, abs(a - b) / max(1e-8, abs(a) + abs(b)))
    assert rel_error(x, y) == pytest.approx(expected, rel=1e-12)


def test_rel_error_zeros_agree_and_scalars_work():
    assert rel_error(np.zeros(4), np.zeros(4)) == 0.0
    assert rel_error(1.0, 1.0) == 0.0
    assert rel_error(1.0, 3.0) == pytest.approx(0.5)
    assert rel_error(np.zeros(0), np.zeros(0)) == 0.0


def test_rel_error_refuses_shapes_that_would_broadcast():
    with pytest.raises(ValueError, match=r"shape \(3,\).*shape \(3, 1\)"):
        rel_error(np.ones(3), np.ones((3, 1)))


# ----------------------------------------------------------------------------
# CS231n-compatible numerical gradients
# ----------------------------------------------------------------------------

def test_eval_numerical_gradient_uses_centred_differences():
    # For x^3 at 1 the centred difference is exactly 3 + h^2, the forward one
    # 3 + 3h + h^2.
    h = 1e-3
    grad = eval_numerical_gradient(lambda x: np.sum(x ** 3), np.array([1.0]),
                                   verbose=False, h=h)
    assert abs(grad[0] - (3 + h ** 2)) < 1e-9


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("square", [False, True])
def test_eval_numerical_gradient_matches_analytic(kind, square):
    f, x, grad, df = make_case(kind, square)
    if df is None:
        num = eval_numerical_gradient(f, x, verbose=False)
    else:
        num = eval_numerical_gradient_array(f, x, df)
    assert num.shape == x.shape and num.dtype == np.float64
    assert rel_error(num, grad) < 1e-7
    for bug in wrong_gradients(grad, square).values():
        assert rel_error(num, bug) > 1e-2


def test_eval_numerical_gradient_array_matches_a_brute_force_sum():
    # Gradient of sum(f(x) * df), computed here from eval_numerical_gradient.
    f, x, _, df = make_case("array", square=False)
    expected = eval_numerical_gradient(lambda z: np.sum(f(z) * df), x, verbose=False)
    assert rel_error(eval_numerical_gradient_array(f, x, df), expected) < 1e-8


def test_eval_numerical_gradient_array_copies_f_output():
    # f returning x itself (a view that the next perturbation changes) must
    # still give the identity's gradient df.
    x = np.array([1.0, 2.0, 3.0])
    df = np.array([0.5, -1.0, 2.0])
    assert rel_error(eval_numerical_gradient_array(lambda z: z, x, df), df) < 1e-9


def test_verbose_output(capsys):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    eval_numerical_gradient(lambda z: np.sum(z ** 2), x, verbose=True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("(0, 0)") and lines[3].startswith("(1, 1)")
    assert float(lines[3].split()[-1]) == pytest.approx(8.0)

    eval_numerical_gradient(lambda z: np.sum(z ** 2), x, verbose=False)
    assert capsys.readouterr().out == ""


# ----------------------------------------------------------------------------
# grad_check_sparse
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["quadratic", "softmax"])
@pytest.mark.parametrize("square", [False, True])
def test_grad_check_sparse_accepts_correct_and_rejects_bugs(kind, square):
    f, x, grad, _ = make_case(kind, square)
    errors = grad_check_sparse(f, x, grad, num_checks=10, verbose=False, seed=0)
    assert isinstance(errors, np.ndarray) and errors.shape == (10,)
    assert errors.max() < 1e-7
    for name, bug in wrong_gradients(grad, square).items():
        errors = grad_check_sparse(f, x, bug, num_checks=10, verbose=False, seed=0)
        assert errors.max() > 1e-2, name


def test_grad_check_sparse_prints_when_verbose(capsys):
    f, x, grad, _ = make_case("quadratic", square=False)
    errors = grad_check_sparse(f, x, grad, num_checks=5, seed=0)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 5
    assert all(line.startswith("numerical: ") and "analytic: " in line
               and "relative error: " in line for line in lines)
    assert float(lines[0].split()[-1]) == pytest.approx(errors[0])
    grad_check_sparse(f, x, grad, num_checks=5, seed=0, verbose=False)
    assert capsys.readouterr().out == ""


def test_grad_check_sparse_seed_is_reproducible_and_checks_all_small_arrays():
    f, x, grad, _ = make_case("quadratic", square=False)
    bug = grad.copy()
    bug[2, 1] *= -1  # one wrong entry out of 12
    a = grad_check_sparse(f, x, bug, num_checks=6, verbose=False, seed=3)
    b = grad_check_sparse(f, x, bug, num_checks=6, verbose=False, seed=3)
    assert np.array_equal(a, b)
    # More checks than entries: every entry is checked once, so the bug is found.
    errors = grad_check_sparse(f, x, bug, num_checks=100, verbose=False)
    assert errors.shape == (12,)
    assert np.sum(errors > 1e-2) == 1


def test_grad_check_sparse_samples_every_array_of_a_dict(capsys):
    rng = np.random.default_rng(2)
    X = rng.standard_normal((5, 3))
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4),
              "W2": rng.standard_normal((4, 2))}

    def f(p):  # reads the dict it is given
        hidden = X @ p["W1"] + p["b1"]
        return np.sum(hidden ** 2) + 0.5 * np.sum(p["W2"] ** 2)

    hidden = X @ params["W1"] + params["b1"]
    grads = {"W1": 2 * X.T @ hidden, "b1": 2 * hidden.sum(axis=0), "W2": params["W2"].copy()}
    errors = grad_check_sparse(f, params, grads, num_checks=3, seed=0)
    assert set(errors) == {"W1", "b1", "W2"}
    assert all(e.shape == (3,) and e.max() < 1e-7 for e in errors.values())
    out = capsys.readouterr().out.strip().splitlines()
    assert sorted(line.split()[0] for line in out) == ["W1"] * 3 + ["W2"] * 3 + ["b1"] * 3

    # A bug in the small bias array alone is found, and only there.
    bad = dict(grads, b1=-grads["b1"])
    errors = grad_check_sparse(f, params, bad, num_checks=3, verbose=False, seed=0)
    assert errors["b1"].min() > 1e-2
    assert errors["W1"].max() < 1e-7 and errors["W2"].max() < 1e-7


def test_grad_check_sparse_dict_needs_matching_keys():
    params = {"W": np.ones((2, 2)), "b": np.ones(2)}
    with pytest.raises(ValueError, match="same keys"):
        grad_check_sparse(lambda p: 0.0, params, {"W": np.ones((2, 2))}, verbose=False)


# ----------------------------------------------------------------------------
# check_gradient
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("square", [False, True])
def test_check_gradient_accepts_correct_gradients(kind, square):
    f, x, grad, df = make_case(kind, square)
    result = check_gradient(f, x, grad, df=df)
    assert isinstance(result, GradCheckResult)
    assert result.verdict == "good" and result.passed
    assert result.max_rel_error < 1e-7
    assert result.kinks == []
    assert result.numeric.shape == x.shape and result.analytic.shape == x.shape
    assert rel_error(result.numeric, grad) < 1e-7


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bug, square", BUGS)
def test_check_gradient_rejects_wrong_gradients(kind, bug, square):
    f, x, grad, df = make_case(kind, square)
    result = check_gradient(f, x, wrong_gradients(grad, square)[bug], df=df)
    assert result.verdict == "wrong" and not result.passed
    assert result.max_rel_error > 1e-2


@pytest.mark.parametrize("kind", KINDS)
def test_check_gradient_refuses_plain_transpose_of_non_square(kind):
    f, x, grad, df = make_case(kind, square=False)
    with pytest.raises(ValueError, match=r"analytic_grad has shape .* but x has shape"):
        check_gradient(f, x, grad.T, df=df)


def test_check_gradient_worst_index_points_at_the_bug():
    f, x, grad, _ = make_case("softmax", square=False)
    bug = grad.copy()
    bug[3, 1] += 0.1
    result = check_gradient(f, x, bug)
    assert result.verdict == "wrong"
    assert result.worst_index == (3, 1)


@pytest.mark.parametrize("relative_error, kinks, verdict", [
    (1e-1, False, "wrong"),
    (1e-3, False, "doubtful"),
    (1e-3, True, "doubtful"),
    (1e-6, False, "doubtful"),  # too high without kinks
    (1e-6, True, "ok"),         # usually okay with kinks
    (1e-9, False, "good"),
    (1e-9, True, "good"),
])
def test_check_gradient_verdicts_follow_the_notes(relative_error, kinks, verdict):
    # f = 0.5 sum(x^2) (+ |x_0| at x_0 = 0, a kink), gradient x; each analytic
    # entry is scaled by (1 + 2 eps), a relative error of eps / (1 + eps).
    rng = np.random.default_rng(4)
    x = rng.uniform(1, 2, size=6) * rng.choice([-1, 1], size=6)
    if kinks:
        x[0] = 0.0
        f = lambda z: 0.5 * np.sum(z ** 2) + abs(z[0])
    else:
        f = lambda z: 0.5 * np.sum(z ** 2)
    analytic = x * (1 + 2 * relative_error)
    result = check_gradient(f, x, analytic)
    assert result.verdict == verdict
    assert result.max_rel_error == pytest.approx(relative_error / (1 + relative_error),
                                                 rel=1e-2)
    assert bool(result.kinks) == kinks


def test_check_gradient_reports_relu_kinks():
    x = np.array([-1.0, 0.0, 2.0, 4e-6, -3e-6, 0.5])
    f = lambda z: np.sum(np.maximum(0, z))
    result = check_gradient(f, x, (x > 0).astype(float))
    assert result.kinks == [(1,), (3,), (4,)]
    assert result.passed  # at a kink, either one-sided slope is accepted
    assert "kinks crossed at 3 entries" in str(result)
    # A gradient that matches neither one-sided slope at the kink is wrong.
    bad = (x > 0).astype(float)
    bad[1] = -1.0
    assert check_gradient(f, x, bad).verdict == "wrong"


def test_check_gradient_reports_abs_kinks_and_rejects_flipped_sign():
    x = np.array([[0.0, -2.0], [3e-6, 1.5]])
    f = lambda z: np.sum(np.abs(z))
    result = check_gradient(f, x, np.sign(x))
    assert result.kinks == [(0, 0), (1, 0)]
    assert result.passed
    assert check_gradient(f, x, -np.sign(x)).verdict == "wrong"


def test_check_gradient_str_is_readable():
    f, x, grad, _ = make_case("quadratic", square=False)
    text = str(check_gradient(f, x, -grad))
    assert text.startswith("gradient check: WRONG")
    assert "relative error > 1e-2" in text and "numeric" in text and "analytic" in text
    assert "no kinks crossed" in text


def test_check_gradient_costs_two_calls_per_entry_plus_one():
    calls = []
    x = np.ones((3, 4))
    check_gradient(lambda z: calls.append(1) or np.sum(z ** 2), x, 2 * x)
    assert len(calls) == 2 * 12 + 1


def test_check_gradient_df_shape_is_checked():
    f, x, grad, df = make_case("array", square=False)
    with pytest.raises(ValueError, match=r"f\(x\) has shape \(5, 3\), but df has shape"):
        check_gradient(f, x, grad, df=df[:, :2])


# ----------------------------------------------------------------------------
# directional_check
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("square", [False, True])
def test_directional_check_accepts_correct_gradients(kind, square):
    f, x, grad, df = make_case(kind, square)
    result = directional_check(f, x, grad, num_directions=5, seed=0, df=df)
    assert isinstance(result, DirectionalCheckResult)
    assert result.verdict == "good" and result.passed
    assert result.rel_errors.shape == (5,)
    assert result.directions.shape == (5,) + x.shape
    norms = np.sqrt((result.directions ** 2).reshape(5, -1).sum(axis=1))
    assert np.allclose(norms, 1.0)
    # The analytic side is <grad, v>, computed here with a loop.
    for k in range(5):
        assert result.analytic[k] == pytest.approx(
            sum(g * v for g, v in zip(grad.ravel(), result.directions[k].ravel())))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bug, square", BUGS)
def test_directional_check_rejects_wrong_gradients(kind, bug, square):
    f, x, grad, df = make_case(kind, square)
    result = directional_check(f, x, wrong_gradients(grad, square)[bug], seed=0, df=df)
    assert result.verdict == "wrong" and not result.passed


def test_directional_check_cost_does_not_grow_with_x():
    calls = []
    x = np.random.default_rng(5).standard_normal((100, 100))
    result = directional_check(lambda z: calls.append(1) or np.sum(z ** 2), x, 2 * x,
                               num_directions=3, seed=0)
    assert len(calls) == 6
    assert result.verdict == "good"
    assert "directional check: GOOD" in str(result)


def test_directional_check_has_kinks_changes_the_middle_band():
    # 0.5 sum(x^2) with every analytic entry off by a relative 1e-6.
    x = np.random.default_rng(6).uniform(1, 2, size=8)
    f = lambda z: 0.5 * np.sum(z ** 2)
    assert directional_check(f, x, x * (1 + 2e-6), seed=0).verdict == "doubtful"
    assert directional_check(f, x, x * (1 + 2e-6), seed=0, has_kinks=True).verdict == "ok"


# ----------------------------------------------------------------------------
# Shared behaviour: zero gradients, dtype refusal, restoring x, bad f
# ----------------------------------------------------------------------------

def test_zero_gradients_agree_everywhere():
    x = np.random.default_rng(7).standard_normal((3, 2))
    f = lambda z: 3.0
    zeros = np.zeros_like(x)
    assert rel_error(eval_numerical_gradient(f, x, verbose=False), zeros) == 0.0
    errors = grad_check_sparse(f, x, zeros, num_checks=4, verbose=False, seed=0)
    assert not np.any(np.isnan(errors)) and np.all(errors == 0.0)
    result = check_gradient(f, x, zeros)
    assert result.verdict == "good" and result.max_rel_error == 0.0
    assert directional_check(f, x, zeros, seed=0).verdict == "good"


def all_checks(x):
    """Each public check called on x with f = sum(z^2); for the dtype tests."""
    f = lambda z: np.sum(np.asarray(z, dtype=np.float64) ** 2)
    g = 2 * np.asarray(x, dtype=np.float64)
    return [
        lambda: eval_numerical_gradient(f, x, verbose=False),
        lambda: eval_numerical_gradient_array(lambda z: z * 1.0, x, np.ones(x.shape)),
        lambda: grad_check_sparse(f, x, g, verbose=False),
        lambda: grad_check_sparse(f, {"W": x}, {"W": g}, verbose=False),
        lambda: check_gradient(f, x, g),
        lambda: directional_check(f, x, g),
    ]


@pytest.mark.parametrize("which", range(6))
def test_integer_arrays_are_refused(which):
    x = np.arange(6).reshape(2, 3)
    with pytest.raises(TypeError, match="integer dtype int64.*meaningless"):
        all_checks(x)[which]()


@pytest.mark.parametrize("which", range(6))
def test_float32_is_refused(which):
    x = np.ones((2, 3), dtype=np.float32)
    with pytest.raises(TypeError, match="dtype float32.*Use float64"):
        all_checks(x)[which]()


def test_lists_and_bad_h_are_refused():
    with pytest.raises(TypeError, match="numpy array of dtype float64.*got list"):
        check_gradient(lambda z: 0.0, [1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="h must be a positive"):
        eval_numerical_gradient(lambda z: 0.0, np.ones(2), h=0.0)


def test_f_returning_a_tuple_gets_a_clear_message():
    with pytest.raises(TypeError, match=r"lambda x: fn\(x\)\[0\]"):
        check_gradient(lambda z: (np.sum(z), z), np.ones(3), np.ones(3))


def fresh_x():
    """Values where x + h - 2h + h != x in floating point, so that only exact
    restoring (putting back the saved value) leaves x bit-for-bit unchanged."""
    x = np.random.default_rng(8).standard_normal((3, 4))
    h = 1e-5
    assert np.any(((x + h) - 2 * h) + h != x)  # the test can fail
    return x


CHECKS = {
    "eval_numerical_gradient": lambda f, x: eval_numerical_gradient(f, x, verbose=False),
    "eval_numerical_gradient_array": lambda f, x: eval_numerical_gradient_array(
        lambda z: np.atleast_1d(f(z)), x, np.ones(1)),
    "grad_check_sparse": lambda f, x: grad_check_sparse(f, x, 2 * x, verbose=False),
    "grad_check_sparse_dict": lambda f, x: grad_check_sparse(
        lambda p: f(p["W"]), {"W": x}, {"W": 2 * x}, verbose=False),
    "check_gradient": lambda f, x: check_gradient(f, x, 2 * x),
    "directional_check": lambda f, x: directional_check(f, x, 2 * x),
}


@pytest.mark.parametrize("name", CHECKS)
def test_x_is_restored_exactly(name):
    x = fresh_x()
    original = x.copy()
    CHECKS[name](lambda z: np.sum(z ** 2), x)
    assert np.array_equal(x, original)


@pytest.mark.parametrize("name", CHECKS)
def test_x_is_restored_exactly_when_f_raises(name):
    x = fresh_x()
    original = x.copy()
    calls = []

    def f(z):
        calls.append(1)
        if len(calls) == 4:  # raise while an entry (or direction) is perturbed
            raise RuntimeError("boom")
        return np.sum(z ** 2)

    with pytest.raises(RuntimeError, match="boom"):
        CHECKS[name](f, x)
    assert np.array_equal(x, original)
