"""What the answer key looks like, to find it anywhere: names and normalised-AST fingerprints.

A *fingerprint* of a function is its body's syntax tree with the docstring
removed and every argument and local name replaced by its order of first
appearance (``v0``, ``v1``, ...): renaming variables, reformatting or editing
comments does not change it, so a copy of a reference function found in the
student package or a release notebook is found whatever it is called.
"""
import ast
import json
from pathlib import Path

import cs231n_course.reference
from cs231n_course.sealed import parse_source

REFERENCE_DIR = Path(cs231n_course.reference.__file__).parent
SMALLEST = 12      # syntax-tree nodes: smaller bodies (``return x``) are not worth a fingerprint


class _Canonical(ast.NodeTransformer):
    """Rename arguments and local names in order of appearance; keep globals and attributes."""

    def __init__(self, local):
        self.local, self.names = local, {}

    def _name(self, name):
        if name not in self.local:
            return name
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node):
        return ast.copy_location(ast.Name(id=self._name(node.id), ctx=node.ctx), node)

    def visit_arg(self, node):
        return ast.copy_location(ast.arg(arg=self._name(node.arg), annotation=None), node)


def _locals(fn):
    names = {a.arg for a in ast.walk(fn.args) if isinstance(a, ast.arg)}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def fingerprint(fn):
    """The normalised body of a FunctionDef/Lambda node, or None if it is too small to mean anything."""
    body = fn.body if isinstance(fn.body, list) else [ast.Return(fn.body)]
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    if sum(1 for stmt in body for _ in ast.walk(stmt)) < SMALLEST:
        return None
    tree = ast.Module(body=[ast.fix_missing_locations(ast.parse(ast.unparse(s))).body[0] for s in body],
                      type_ignores=[])
    tree = _Canonical(_locals(fn)).visit(tree)
    return ast.dump(tree, annotate_fields=False, include_attributes=False)


def functions(tree):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]


def reference_fingerprints():
    """{fingerprint: "module.function"} of every function of the reference package."""
    prints = {}
    for path in sorted(REFERENCE_DIR.glob("*.py")):
        for fn in functions(ast.parse(path.read_text())):
            fp = fingerprint(fn)
            if fp is not None:
                prints[fp] = f"{path.stem}.{getattr(fn, 'name', 'lambda')}"
    return prints


def _stubbed(source):
    """A solution cell as the release has it: each solution region replaced by a NotImplementedError."""
    import re
    return re.sub(r"(?m)^([ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION[ \t]*$",
                  lambda m: f"{m.group(1)}raise NotImplementedError()", source, flags=re.S)


def solution_fingerprints(notebooks):
    """{fingerprint: "notebook: function"} of the functions the source notebooks' solution regions fill in.

    Code a solution cell gives students (outside its solution markers, e.g. a
    class's ``__init__``) is in the release on purpose and is left out.
    """
    from cs231n_course.variants import strip_solution_markers
    prints = {}
    for nb in sorted(Path(notebooks).glob("*/*.ipynb")):
        for cell in json.loads(nb.read_text())["cells"]:
            if cell["cell_type"] == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                source = "".join(cell["source"])
                given = {fingerprint(fn) for fn in functions(ast.parse(_stubbed(source)))}
                for fn in functions(ast.parse(strip_solution_markers(source))):
                    fp = fingerprint(fn)
                    if fp is not None and fp not in given:
                        prints[fp] = f"{nb.name}: {getattr(fn, 'name', 'lambda')}"
    return prints


def graded_names(notebooks):
    """Names the students write: every function and class of the source notebooks' solution cells."""
    names = set()
    for nb in sorted(Path(notebooks).glob("*/*.ipynb")):
        names.update(parse_source(nb)[2])
    return names


def code_cells(path):
    """(cell number, code) of a notebook's code cells, IPython magics left out."""
    cells = json.loads(Path(path).read_text())["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            yield i, "\n".join(l for l in src.splitlines() if not l.lstrip().startswith(("%", "!")))


def is_stub(fn):
    """A function whose body only raises NotImplementedError (after its docstring and comments)."""
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return len(body) == 1 and isinstance(body[0], ast.Raise) and "NotImplementedError" in ast.unparse(body[0])
