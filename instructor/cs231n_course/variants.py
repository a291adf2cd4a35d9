"""Alternative implementations of graded functions, and submissions built from them.

``data/variants/<assignment>.py`` holds, for every graded function, plausible
*wrong* implementations (the autograder must take points away) and *right*
ones written differently from the reference (it must give full marks):

    @wrong("sigmoid", "naive formula: overflows for x = -1000", sample=True)
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

The tests grade every variant; the main job's sample class uses the variants
marked ``sample=True`` for its student with plausible mistakes.

A variant replaces one function, so a forward pass that changes the kind of
its cache (a dict, an object, a closure ...) comes with the backward pass
that reads it, in ``also``; code it needs besides (a class, an import) goes
in ``helpers``, placed just before it in the same cell:

    @right("relu_forward", "the cache is an object of the student's own class",
           helpers=[ReluCache], also={"relu_backward": relu_backward_object})
    def relu_forward_object(x):
        return np.maximum(x, 0), ReluCache(x)

``helpers`` items are functions or classes (their source is used as it is,
decorators included) or strings of code; ``also`` maps the name of another
graded function to a plain (undecorated) function written for it.

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
    source: str      # its code, renamed to ``target`` (after its helpers' code)
    sample: bool     # used by the sample class's mistaken student
    also: tuple = () # ((name, code), ...): other graded functions it replaces too

    @property
    def code(self):
        """All of its code: what it puts in place of ``target`` and of the ``also`` functions."""
        return "\n\n".join([self.source] + [code for _, code in self.also])


def _renamed_source(fn, name):
    """The source of function ``fn``, without its decorators, renamed to ``name``."""
    node = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    node.decorator_list = []
    node.name = name
    return ast.unparse(node)


def _helper_source(helper):
    return textwrap.dedent(helper if isinstance(helper, str) else inspect.getsource(helper)).strip()


def _register(kind, target, why, sample, helpers=(), also=None):
    def decorator(fn):
        if _registry is not None:
            source = "\n\n".join([_helper_source(h) for h in helpers] + [_renamed_source(fn, target)])
            extra = tuple((name, _renamed_source(f, name)) for name, f in (also or {}).items())
            _registry.append(Variant(target, kind, why, source, sample, extra))
        return fn
    return decorator


def wrong(target, why, sample=False, helpers=(), also=None):
    """Mark a function as a wrong implementation of ``target`` (see the module docstring)."""
    return _register("wrong", target, why, sample, helpers, also)


def right(target, why, helpers=(), also=None):
    """Mark a function as a correct alternative implementation of ``target`` (see the module docstring)."""
    return _register("right", target, why, False, helpers, also)


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
    """Return a copy of ``nb`` whose definition of ``variant.target`` (and of each
    function in ``variant.also``) is the variant's code."""
    nb = copy.deepcopy(nb)
    for name, code in ((variant.target, variant.source),) + variant.also:
        _replace_definition(nb, name, code)
    return nb


def _replace_definition(nb, name, code):
    """Put ``code`` in place of the top-level definition of ``name`` in a solution cell of ``nb``."""
    for cell in nb.cells:
        if cell.cell_type != "code" or not _nbgrader(cell).get("solution"):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                lines = cell.source.splitlines()
                start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
                lines[start:node.end_lineno] = code.splitlines()
                cell.source = "\n".join(lines)
                return
    raise ValueError(f"no solution cell defines {name}")
