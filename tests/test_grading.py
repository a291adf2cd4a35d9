"""The grading helpers the notebooks' test cells call (visible: cs231n_support.grading; hidden:
cs231n_course.hidden_tests): verdicts and messages."""
import numpy as np
import pytest

from cs231n_course import reference
from cs231n_course.hidden_tests import compare_with_reference
from cs231n_support.grading import GradingError, assert_close, assert_gradient_ok, check_known_values

rng = np.random.default_rng(0)


def test_assert_close_accepts_rounding_differences():
    x = rng.normal(size=(4, 5))
    assert_close(x * (1 + 1e-12), x)
    assert_close(np.float64(2.0), 2.0)
    assert_close(2, np.array(2.0))


@pytest.mark.parametrize("got, expected, words", [
    (np.ones((3, 2)), np.ones((2, 3)), ["shape (2, 3)", "transpose"]),
    (np.ones(6), np.ones((2, 3)), ["wrong shape"]),
    (np.array([1.0, np.nan]), np.array([1.0, 2.0]), ["NaN or inf", "index (1,)"]),
    (np.array([1.0, 2.5, 3.0]), np.array([1.0, 2.0, 3.0]), ["1 of 3", "index (1,)", "expected 2, got 2.5"]),
    (-np.arange(1.0, 5.0), np.arange(1.0, 5.0), ["negative"]),
    (2 * np.arange(1.0, 5.0), np.arange(1.0, 5.0), ["factor of exactly 2"]),
])
def test_assert_close_messages(got, expected, words):
    with pytest.raises(GradingError) as e:
        assert_close(got, expected, name="out")
    for w in words:
        assert w in str(e.value)


def test_hint_n_times_too_large():
    with pytest.raises(GradingError, match="N = 10 times too large"):
        assert_close(10 * 0.7, 0.7, name="loss", n_examples=10)


@pytest.mark.parametrize("value", ["0.5", [0.5], None, True, object()])
def test_non_numeric_results_are_refused(value):
    with pytest.raises(GradingError, match="expected"):
        assert_close(value, 0.5)


def test_always_equal_object_gets_no_credit():
    class AlwaysEqual(np.ndarray):
        def __eq__(self, other):
            return True
    fake = np.zeros(3).view(AlwaysEqual)
    with pytest.raises(GradingError):
        assert_close(fake, np.ones(3))


def test_compare_with_reference_passes_a_correct_function():
    x = rng.normal(size=(3, 4))
    compare_with_reference(lambda z: 0.5 * (1 + np.tanh(z / 2)), "sigmoid", x)


def test_compare_with_reference_tuple_outputs_are_named():
    X = rng.normal(size=(5, 3)); y = rng.integers(0, 2, 5); w = rng.normal(size=3)

    def half_gradient(w, b, X, y, reg):
        loss, dw, db = reference.binary_softmax_loss(w, b, X, y, reg)
        return loss, dw / 2, db
    with pytest.raises(GradingError, match="binary_softmax_loss: dw"):
        compare_with_reference(half_gradient, "binary_softmax_loss", w, 0.0, X, y, 0.1,
                               output_names=["loss", "dw", "db"])

    def wrong_length(w, b, X, y, reg):
        return 0.0, np.zeros(3)
    with pytest.raises(GradingError, match="tuple of 3 values"):
        compare_with_reference(wrong_length, "binary_softmax_loss", w, 0.0, X, y, 0.1)


def test_numpy_warnings_fail_with_a_hint():
    with pytest.raises(GradingError, match="overflow.*Hint"):
        compare_with_reference(lambda x: 1 / (1 + np.exp(-x)), "sigmoid", np.array([-1000.0, 0.0]))


def test_modifying_the_input_is_reported():
    def in_place(x):
        x += 1.0        # the value stays right (sigmoid(0) = 0.5), but the caller's array changed
        return x - 0.5
    with pytest.raises(GradingError, match="modified its input"):
        compare_with_reference(in_place, "sigmoid", np.zeros(3))


def test_exceptions_and_stubs_are_reported():
    def stub(x):
        raise NotImplementedError()
    with pytest.raises(GradingError, match="not implemented yet"):
        compare_with_reference(stub, "sigmoid", np.zeros(3))
    with pytest.raises(GradingError, match="raised ValueError: boom"):
        compare_with_reference(lambda x: (_ for _ in ()).throw(ValueError("boom")), "sigmoid", np.zeros(3))
    with pytest.raises(GradingError, match="expected a function"):
        compare_with_reference(None, "sigmoid", np.zeros(3))


def test_check_known_values():
    check_known_values(lambda a, b: a + b, (np.ones(2), np.ones(2)), np.array([2.0, 2.0]), name="add")
    with pytest.raises(GradingError, match="add"):
        check_known_values(lambda a, b: a - b, (np.ones(2), np.ones(2)), np.array([2.0, 2.0]), name="add")


def test_assert_gradient_ok_accepts_right_and_rejects_wrong_gradients():
    A = rng.normal(size=(4, 3))
    f = lambda w: np.sum((A @ w) ** 2)
    w = rng.normal(size=3)
    grad = 2 * A.T @ (A @ w)
    assert_gradient_ok(f, w, grad)
    for wrong in (grad / 2, -grad, grad + 1e-3):
        with pytest.raises(GradingError, match="relative error"):
            assert_gradient_ok(f, w, wrong, name="dw")
    with pytest.raises(GradingError, match="shape"):
        assert_gradient_ok(f, w, grad[:2])
    np.testing.assert_array_equal(w, w.copy())


def test_a_failed_check_shows_its_message_alone_in_a_real_kernel():
    """In a notebook a failed check is its message, not thirty lines of this package's frames."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nfrom cs231n_support.grading import check_known_values\n"
                                  "def sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-x))"),
        nbformat.v4.new_code_cell("check_known_values(sigmoid, (np.array([-1000.0, 0.0]),), np.array([0.0, 0.5]),"
                                  " name='sigmoid')"),
        nbformat.v4.new_code_cell("1 / 0"),
    ])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    (err,) = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    assert err.ename == "GradingError" and "overflow" in err.evalue
    assert len(err.traceback) == 1 and err.evalue in err.traceback[0]
    (other,) = [o for o in nb.cells[2].outputs if o.output_type == "error"]
    assert len(other.traceback) > 1                  # other errors keep IPython's full traceback
