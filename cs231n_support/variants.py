"""Alternative implementations of graded functions, and submissions built from them.

``data/variants/<assignment>.py`` holds, for every graded function, plausible
*wrong* implementations (the autograder must take points away) and *right*
ones written differently from the reference (it must give full marks):

    @wrong("sigmoid", "naive formula: overflows for x = -1000", sample=True)
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

The tests grade every variant; the main job's sample class uses the variants
marked ``sample=True`` for its student with plausible mistakes.

This module also builds submissions from the student release: the reference
student (solution cells filled from the source notebook), and a student whose
solution cells have some functions replaced by variants.
"""
import ast
import copy
import inspect
import runpy
import textwrap
from dataclasses import dataclass
from pathlib import Path

_registry = None


@dataclass(frozen=True)
class Variant:
    target: str      # the graded function it replaces
    kind: str        # "wrong" or "right"
    why: str         # what is different about it
    source: str      # its code, renamed to ``target``
    sample: bool     # used by the sample class's mistaken student


def _register(kind, target, why, sample):
    def decorator(fn):
        if _registry is not None:
            node = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
            node.decorator_list = []
            node.name = target
            _registry.append(Variant(target, kind, why, ast.unparse(node), sample))
        return fn
    return decorator


def wrong(target, why, sample=False):
    """Mark a function as a wrong implementation of ``target``."""
    return _register("wrong", target, why, sample)


def right(target, why):
    """Mark a function as a correct alternative implementation of ``target``."""
    return _register("right", target, why, False)


def load_variants(path):
    """Read a variants file and return its ``Variant`` list, in file order."""
    global _registry
    _registry = []
    try:
        runpy.run_path(str(path))
        return list(_registry)
    finally:
        _registry = None


# ---------------------------------------------------------------------------
# Building submissions

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def strip_solution_markers(source):
    """The solution code of a source cell, without nbgrader's marker lines."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in SOLUTION_MARKERS)


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def fill_release(release_nb, source_nb, answer_text="(sample student: left for manual grading)"):
    """A submission: the release notebook with every solution cell filled in.

    Code solution cells get the source notebook's solution (markers removed);
    written answers get ``answer_text``. Cells are matched by grade_id.
    """
    solutions = {_nbgrader(c)["grade_id"]: c["source"] for c in source_nb.cells
                 if _nbgrader(c).get("solution")}
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if not meta.get("solution"):
            continue
        if cell.cell_type == "code":
            cell.source = strip_solution_markers(solutions[meta["grade_id"]])
        else:
            cell.source = cell.source.replace("YOUR ANSWER HERE", answer_text)
    return nb


def apply_variant(nb, variant):
    """Return a copy of ``nb`` whose definition of ``variant.target`` is the variant's code."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type != "code" or not _nbgrader(cell).get("solution"):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == variant.target:
                lines = cell.source.splitlines()
                start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
                lines[start:node.end_lineno] = variant.source.splitlines()
                cell.source = "\n".join(lines)
                return nb
    raise ValueError(f"no solution cell defines {variant.target}")
