"""Mutation tests: plausible wrong implementations lose points, correct alternatives get full marks.

Every graded function of every notebook needs at least three wrong and two
right variants in data/variants/<assignment>.py; each one is graded by the
notebook's own test cells (tests/notebook_harness.py).
"""
import ast
import json

import pytest

from cs231n_support.variants import load_variants
from conftest import NOTEBOOKS, ROOT
from notebook_harness import grade

ASSIGNMENTS = sorted(p.parent.name for p in NOTEBOOKS.glob("*/*.ipynb"))


def graded_functions(nb_path):
    """Names of the functions and classes defined in a notebook's solution cells."""
    names = []
    for cell in json.loads(nb_path.read_text())["cells"]:
        if cell["cell_type"] == "code" and cell["metadata"].get("nbgrader", {}).get("solution"):
            tree = ast.parse("".join(cell["source"]))
            names += [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    return names


def notebook(assignment):
    return next((NOTEBOOKS / assignment).glob("*.ipynb"))


def variants(assignment):
    path = ROOT / "data" / "variants" / f"{assignment}.py"
    return load_variants(path) if path.exists() else []   # a missing file fails the test below


CASES = [(a, v) for a in ASSIGNMENTS for v in variants(a)]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_gets_full_marks(assignment):
    results = grade(notebook(assignment))
    failed = {k: v[2] for k, v in results.items() if v[0] != v[1]}
    assert not failed, f"the reference solution fails its own tests: {failed}"
    assert sum(v[1] for v in results.values()) > 0


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_function_has_enough_variants(assignment):
    vs = variants(assignment)
    for name in graded_functions(notebook(assignment)):
        n_wrong = sum(v.target == name and v.kind == "wrong" for v in vs)
        n_right = sum(v.target == name and v.kind == "right" for v in vs)
        assert n_wrong >= 3, f"{assignment}: {name} has {n_wrong} wrong variants, needs 3"
        assert n_right >= 2, f"{assignment}: {name} has {n_right} right variants, needs 2"
    assert any(v.sample for v in vs), "the sample class needs at least one sample mistake"


@pytest.mark.parametrize("assignment,variant", CASES,
                         ids=[f"{a}-{v.kind}-{v.target}-{i}" for i, (a, v) in enumerate(CASES)])
def test_variant_is_graded_fairly(assignment, variant):
    results = grade(notebook(assignment), variant.source)
    lost = {k: v[2] for k, v in results.items() if v[0] < v[1]}
    if variant.kind == "right":
        assert not lost, f"a correct alternative ({variant.why}) lost points: {lost}"
    else:
        assert lost, f"a wrong implementation ({variant.why}) got full marks"
        # The failing tests say something a student can act on.
        assert all(msg and len(msg) > 20 for msg in lost.values()), lost
