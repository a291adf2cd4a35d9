"""Every graded function has enough variants to check that grading is fair.

Every graded function of every notebook needs at least three wrong and two
right variants in data/variants/<assignment>.py. They are graded by the real
grading command in tests/test_variants_autograde.py (slow): every wrong
variant must lose points and every right one get full marks.
"""
import ast
import json

import pytest


from conftest import NOTEBOOKS, is_exercise, variants_of

ASSIGNMENTS = sorted(p.parent.name for p in NOTEBOOKS.glob("*/*.ipynb"))


def graded_functions(nb_path):
    """Names of the functions and classes defined in a notebook's solution cells."""
    names = []
    for cell in json.loads(nb_path.read_text())["cells"]:
        if is_exercise(cell):
            tree = ast.parse("".join(cell["source"]))
            names += [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    return names


def notebook(assignment):
    return next((NOTEBOOKS / assignment).glob("*.ipynb"))


def variants(assignment):
    return variants_of(assignment)      # a missing file fails the test below


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_function_has_enough_variants(assignment):
    vs = variants(assignment)
    for name in graded_functions(notebook(assignment)):
        n_wrong = sum(v.target == name and v.kind == "wrong" for v in vs)
        n_right = sum(v.target == name and v.kind == "right" for v in vs)
        assert n_wrong >= 3, f"{assignment}: {name} has {n_wrong} wrong variants, needs 3"
        assert n_right >= 2, f"{assignment}: {name} has {n_right} right variants, needs 2"
    assert any(v.sample for v in vs), "the sample class needs at least one sample mistake"
