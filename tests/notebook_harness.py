"""Run a source notebook's graded test cells in-process, fast, for mutation tests.

The real grading round trip (tests/test_round_trip.py) runs nbgrader on real
kernels; this harness runs the same test-cell code, in the same order, in a
plain namespace, so that dozens of variant implementations can be graded in
seconds. It executes: the first code cell (imports), every solution cell, the
variant's code (replacing one function), then each autograded test cell,
recording which ones fail.
"""
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

from cs231n_support.variants import strip_solution_markers


@dataclass
class TestCell:
    grade_id: str
    points: float
    source: str


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _src(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def load_parts(path):
    """(imports source, [solution sources], [TestCell]) of a source notebook."""
    cells = json.loads(Path(path).read_text())["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    imports = _src(code[0])
    solutions = [strip_solution_markers(_src(c)) for c in code if _nbgrader(c).get("solution")]
    tests = [TestCell(_nbgrader(c)["grade_id"], _nbgrader(c).get("points", 0), _src(c))
             for c in code if _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")]
    return imports, solutions, tests


def grade(path, replacement=None):
    """Score the reference solution of ``path`` (with ``replacement`` code run after it).

    Returns {grade_id: (points earned, points possible, error message or None)}.
    """
    imports, solutions, tests = load_parts(path)
    ns = {"__name__": "__graded__"}
    exec(compile(imports, "<imports>", "exec"), ns)
    for i, s in enumerate(solutions):
        exec(compile(s, f"<solution {i}>", "exec"), ns)
    if replacement:
        exec(compile(replacement, "<variant>", "exec"), ns)
    results = {}
    for t in tests:
        try:
            # Wrong variants may overflow where a test cell calls them directly;
            # the grading helpers record such warnings themselves.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                exec(compile(t.source, f"<test {t.grade_id}>", "exec"), dict(ns))
            results[t.grade_id] = (t.points, t.points, None)
        except Exception as exc:  # a failing test cell of any kind loses its points
            results[t.grade_id] = (0, t.points, f"{type(exc).__name__}: {exc}")
    return results
