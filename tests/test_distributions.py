"""The answer key stays with the instructor.

What a class receives is the student wheel (``python -m cs231n_course
student-wheel``) and the release (``python -m cs231n_course release``). Here:

- neither holds the answer key: no function of the student package is named
  like a graded function, and no function of either has the body of a
  function of the reference package or of a source notebook's solution
  cells (normalised-AST fingerprints, ``answer_key.py``);
- in a fresh virtual environment with only the student wheel installed
  (and what it requires), every release notebook with the reference
  solution filled in runs top to bottom, and the untouched release fails
  in each exercise with "not implemented" and nothing else.
"""
import ast
import json
import shutil
import subprocess
import sys
import venv
import zipfile

import nbformat
import pytest

from answer_key import (code_cells, fingerprint, functions, graded_names, is_stub, reference_fingerprints,
                        solution_fingerprints)
from conftest import NOTEBOOKS

ASSIGNMENTS = sorted(p.parent.name for p in NOTEBOOKS.glob("*/*.ipynb"))
COURSE = [sys.executable, "-m", "cs231n_course"]


@pytest.fixture(scope="module")
def answer_key():
    key = reference_fingerprints()
    key.update(solution_fingerprints(NOTEBOOKS))
    return key


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A course folder with its release, and the student wheel."""
    tmp = tmp_path_factory.mktemp("distributions")
    root = tmp / "course"
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    for args in (["release"], ["student-wheel", "--out", str(tmp / "dist")]):
        run = subprocess.run(COURSE + ["--root", str(root)] + args, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
    (wheel,) = (tmp / "dist").glob("cs231n_support-*.whl")
    return root, wheel


def test_the_fingerprints_find_a_renamed_copy(answer_key):
    # The checks below can fail: a reference function renamed, its variables renamed, its docstring gone.
    import inspect
    import textwrap
    from answer_key import _locals
    from cs231n_course.reference import losses
    fn = ast.parse(textwrap.dedent(inspect.getsource(losses.softmax_loss))).body[0]
    rename = {name: f"renamed_{k}" for k, name in enumerate(sorted(_locals(fn)))}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node):
            node.id = rename.get(node.id, node.id)
            return node

        def visit_arg(self, node):
            node.arg = rename.get(node.arg, node.arg)
            return node
    fn = Rename().visit(fn)
    fn.name, fn.body = "my_loss", fn.body[1:]
    copied = ast.parse(ast.unparse(fn)).body[0]
    assert [a.arg for a in copied.args.args] == ["renamed_0", "renamed_1"] or copied.args.args[0].arg != "scores"
    assert answer_key.get(fingerprint(copied)) == "losses.softmax_loss"


def test_student_wheel_holds_no_answer_key(built, answer_key):
    _, wheel = built
    names = graded_names(NOTEBOOKS)
    found, files = [], zipfile.ZipFile(wheel).namelist()
    assert not [f for f in files if "reference" in f or f.startswith("cs231n_course")], files
    assert any(f == "cs231n_support/training.py" for f in files), files
    for name in files:
        if not name.endswith(".py"):
            continue
        tree = ast.parse(zipfile.ZipFile(wheel).read(name))
        for fn in functions(tree):
            label = f"{name}: {getattr(fn, 'name', 'a lambda')} (line {fn.lineno})"
            if getattr(fn, "name", None) in names:
                found.append(f"{label} is named like a graded function")
            if fingerprint(fn) in answer_key:
                found.append(f"{label} has the body of {answer_key[fingerprint(fn)]}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in names:
                found.append(f"{name}: class {node.name} is a graded class")
    assert not found, "\n".join(found)
    metadata = next(f for f in files if f.endswith("METADATA"))
    assert "cs231n-course" not in zipfile.ZipFile(wheel).read(metadata).decode()


def answer_key_in(notebook, names, answer_key):
    """What of the answer key a notebook holds: graded functions that are not stubs, copied bodies."""
    found = []
    for i, code in code_cells(notebook):
        for fn in functions(ast.parse(code)):
            label = f"{notebook.name} cell {i}: {getattr(fn, 'name', 'a lambda')}"
            if getattr(fn, "name", None) in names and not is_stub(fn):
                found.append(f"{label} is a graded function that is not a stub")
            if fingerprint(fn) in answer_key:
                found.append(f"{label} has the body of {answer_key[fingerprint(fn)]}")
    return found


def test_release_holds_no_answer_key(built, answer_key):
    root, _ = built
    names = graded_names(NOTEBOOKS)
    release = sorted((root / "release").glob("*/*.ipynb"))
    assert [p.parent.name for p in release] == ASSIGNMENTS
    found = []
    for nb in release:
        text = nb.read_text()
        assert "cs231n_course" not in text and "BEGIN HIDDEN TESTS" not in text, nb
        found += answer_key_in(nb, names, answer_key)
    assert not found, "\n".join(found)


def test_the_release_check_finds_every_solution_in_the_source_notebooks(answer_key):
    # The same check on the instructor's notebooks finds each graded function's solution.
    names = graded_names(NOTEBOOKS)
    found = " ".join(f for nb in sorted(NOTEBOOKS.glob("*/*.ipynb")) for f in answer_key_in(nb, names, answer_key))
    assert all(f": {name} is a graded function" in found for name in names - {"Preprocessor"})


# ---------------------------------------------------------------------------
# A student's machine: a fresh virtual environment with only the student wheel

@pytest.fixture(scope="module")
def student_env(built, tmp_path_factory):
    """(python, kernel manager factory) of a fresh venv with the student wheel installed."""
    _, wheel = built
    tmp = tmp_path_factory.mktemp("student-env")
    venv.EnvBuilder(with_pip=True).create(tmp / "venv")
    python = tmp / "venv" / "bin" / "python"
    run = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    spec = tmp / "kernels" / "cs231n-student"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "student wheel only", "language": "python",
        "env": {"CS231N_DATA": str(tmp / "no-cifar10"), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}}))
    return python, tmp / "kernels"


def test_the_student_environment_has_no_instructor_package(student_env):
    python, _ = student_env
    code = ("import importlib.util, cs231n_support.training, cs231n_support.trees;"
            "print(importlib.util.find_spec('cs231n_course'), importlib.util.find_spec('nbgrader'))")
    run = subprocess.run([str(python), "-I", "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.split() == ["None", "None"], run.stdout + run.stderr


def execute(nb, student_env, workdir):
    """Run ``nb`` in the student environment's kernel; return it with its outputs."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    _, kernels = student_env
    km = KernelManager(kernel_name="cs231n-student",
                       kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    workdir.mkdir(parents=True, exist_ok=True)
    NotebookClient(nb, km=km, timeout=600, allow_errors=True,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return nb


def errors(nb):
    """[(cell index, grade id or None, ename, evalue)] of the executed notebook."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                found.append((i, gid, out["ename"], out["evalue"][:300]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_with_the_reference_solution_runs_with_the_student_wheel_alone(
        built, student_env, assignment, tmp_path):
    from cs231n_course.variants import fill_release
    root, _ = built
    (release,) = (root / "release" / assignment).glob("*.ipynb")
    source = nbformat.read(root / "notebooks" / assignment / release.name, as_version=4)
    nb = fill_release(nbformat.read(release, as_version=4), source)
    assert not errors(execute(nb, student_env, tmp_path / assignment))


def not_implemented(ename, evalue):
    return "NotImplementedError" in ename or "not implemented" in evalue


def names_in(code, ctx):
    try:
        return {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name) and isinstance(n.ctx, ctx)}
    except SyntaxError:
        return set()


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_fails_with_not_implemented_and_nothing_else(built, student_env, assignment, tmp_path):
    """Every visible test fails with "not implemented"; any other error comes from a cell that reads
    what an earlier cell failing that way did not make (e.g. a demo's results)."""
    root, _ = built
    (release,) = (root / "release" / assignment).glob("*.ipynb")
    nb = execute(nbformat.read(release, as_version=4), student_env, tmp_path / assignment)
    found = {i: (gid, ename, evalue) for i, gid, ename, evalue in errors(nb)}
    tests = [i for i, c in enumerate(nb.cells)            # visible tests (a hidden-only cell is empty here)
             if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")
             and c.cell_type == "code" and ast.parse(c.source).body]
    assert tests and set(tests) <= set(found), f"visible tests that pass on the empty release: {set(tests) - set(found)}"
    unmade, other = set(), []       # names assigned by cells that failed
    for i, (gid, ename, evalue) in sorted(found.items()):
        code = nb.cells[i].source
        if not_implemented(ename, evalue) or (i not in tests and names_in(code, ast.Load) & unmade):
            unmade |= names_in(code, ast.Store)
        else:
            other.append(f"cell {i} ({gid}): {ename}: {evalue}")
    assert not other, "\n".join(other)
    assert all(not_implemented(*found[i][1:]) for i in tests), [found[i] for i in tests]
