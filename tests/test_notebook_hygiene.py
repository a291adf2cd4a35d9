"""Committed source notebooks: no outputs, valid nbgrader metadata, points that add up."""
import json
import re

import nbformat
import pytest

from conftest import NOTEBOOKS, is_exercise

PATHS = sorted(NOTEBOOKS.glob("*/*.ipynb"))
POINTS_RE = re.compile(r"\*\*Points:\*\*\s*(\d+) autograded \+ (\d+) graded by hand = (\d+)")


def test_there_are_notebooks():
    assert PATHS, "no notebooks found under notebooks/"


def cells(path):
    return json.loads(path.read_text())["cells"]


def meta(cell):
    return cell.get("metadata", {}).get("nbgrader")


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.parent.name)
def test_valid_notebook_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, \
                f"{path.name}: a code cell has outputs; clear them before committing"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.parent.name)
def test_nbgrader_metadata_is_complete_and_unique(path):
    ids = []
    for cell in cells(path):
        m = meta(cell)
        if m is None:
            continue
        for key in ("grade", "solution", "locked", "grade_id", "schema_version"):
            assert key in m, f"{path.name}: nbgrader cell without '{key}': {source(cell)[:60]!r}"
        assert m["schema_version"] == 3
        ids.append(m["grade_id"])
        if m["grade"]:
            assert m.get("points", 0) > 0, f"{m['grade_id']}: a graded cell needs points"
        src = source(cell)
        if m["solution"] and cell["cell_type"] == "code":
            # one region per cell, or one per method/function of a cell that gives the signatures
            marks = [l.strip() for l in src.splitlines() if l.strip() in ("### BEGIN SOLUTION", "### END SOLUTION")]
            assert marks and marks == ["### BEGIN SOLUTION", "### END SOLUTION"] * (len(marks) // 2), m["grade_id"]
        if m["grade"] and not m["solution"]:
            assert m["locked"], f"{m['grade_id']}: test cells must be read-only"
            assert src.count("### BEGIN HIDDEN TESTS") == src.count("### END HIDDEN TESTS") <= 1
        if "BEGIN SOLUTION" in src or "HIDDEN TESTS" in src:
            assert m["solution"] or m["grade"], f"{m['grade_id']}: markers outside a graded/solution cell"
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate grade ids"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.parent.name)
def test_points_add_up_to_what_the_notebook_announces(path):
    cs = cells(path)
    announced = POINTS_RE.search(source(cs[0]))
    assert announced, f"{path.name}: the first cell must say '**Points:** A autograded + B graded by hand = C'"
    auto, manual, total = map(int, announced.groups())
    got_auto = sum(meta(c)["points"] for c in cs if meta(c) and meta(c)["grade"] and c["cell_type"] == "code")
    got_manual = sum(meta(c)["points"] for c in cs if meta(c) and meta(c)["grade"] and c["cell_type"] == "markdown")
    assert (got_auto, got_manual) == (auto, manual)
    assert auto + manual == total


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.parent.name)
def test_every_exercise_has_visible_and_hidden_tests(path):
    cs = cells(path)
    tests = [source(c) for c in cs if meta(c) and meta(c)["grade"] and c["cell_type"] == "code"]
    hidden = [t for t in tests if "### BEGIN HIDDEN TESTS" in t]
    visible = [t for t in tests if "### BEGIN HIDDEN TESTS" not in t]
    solutions = [c for c in cs if is_exercise(c)]
    assert len(visible) >= len(solutions) and len(hidden) >= len(solutions)
