"""The hidden tests' comparisons with the course's reference implementation (instructor only).

A hidden test cell imports these in its hidden block and runs in the grader
(``sealed.py``), calling the student's functions through handles; students
never receive this module or the reference it compares with.

    from cs231n_course.hidden_tests import compare_with_reference
    compare_with_reference(sigmoid, "sigmoid", x)

The call of the student's function is checked as in the visible tests
(``cs231n_support.grading``: no NumPy warning, inputs not modified, a message
with a hint on a mismatch).
"""
import copy

from cs231n_support.grading import RTOL, ATOL, GradingError, _call_student, _compare_outputs, _describe, _n_examples
from cs231n_support.i18n import t

from . import reference

__all__ = ["compare_with_reference", "compare_backward_with_reference"]


def compare_with_reference(fn, name, *args, outputs=None, output_names=None, rtol=RTOL, atol=ATOL, **kwargs):
    """Call a student's ``fn`` and the reference ``name`` on the same inputs and compare.

    Inputs:
    - fn: the student's function
    - name: name of the reference function in ``cs231n_course.reference``
    - *args, **kwargs: the inputs (each side gets its own copy)
    - outputs: for a function returning a tuple, the indices to compare
      (default: all); e.g. ``outputs=[0]`` compares ``out`` of ``(out, cache)``
    - output_names: names for the outputs used in messages, e.g.
      ``["loss", "dw", "db"]``
    Raises GradingError with a message for the student on any mismatch.
    """
    ref_fn = getattr(reference, name)
    expected = ref_fn(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    got = _call_student(fn, name, args, kwargs)
    _compare_outputs(got, expected, name, outputs, output_names, rtol, atol, n=_n_examples(args))
    return got


def compare_backward_with_reference(forward, backward, name, args, dout, output_names=None,
                                    rtol=RTOL, atol=ATOL):
    """Check a student's ``*_backward`` through the student's own ``*_forward`` cache.

    Runs ``out, cache = forward(*args)`` and ``backward(dout, cache)`` (the
    student's pair) and compares the gradients with the reference pair
    ``<name>_forward`` / ``<name>_backward`` on the same inputs.

    Inputs:
    - forward, backward: the student's functions
    - name: the layer's name, e.g. "relu" for relu_forward / relu_backward
    - args: tuple of the forward's inputs
    - dout: upstream gradient, shaped like the forward's output
    - output_names: names of the gradients, e.g. ["dx", "dW", "db"]
    """
    fwd_name, bwd_name = f"{name}_forward", f"{name}_backward"
    _, ref_cache = getattr(reference, fwd_name)(*copy.deepcopy(tuple(args)))
    expected = getattr(reference, bwd_name)(copy.deepcopy(dout), ref_cache)
    result = _call_student(forward, fwd_name, tuple(args), {})
    if not isinstance(result, tuple) or len(result) != 2:
        raise GradingError(t("{name}: must return a pair (out, cache); got {got}", name=fwd_name,
                             got=_describe(result)))
    got = _call_student(backward, bwd_name, (dout, result[1]), {})
    if output_names and len(output_names) == 1 and not isinstance(expected, tuple):
        output_names = None
    _compare_outputs(got, expected, bwd_name, output_names=output_names, rtol=rtol, atol=atol,
                     n=_n_examples(args))
    return got
