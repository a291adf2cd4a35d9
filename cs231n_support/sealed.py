"""Sealed verdicts: grade a submission without trusting anything in it but its solution cells.

nbgrader runs the test cells in the same kernel as the student's code, so that
code can change what the tests see (monkeypatch numpy or the grading helpers,
edit or delete test cells, register input transformers, exit the kernel...).
Here instead:

1. the student's *solution cells* (matched by grade_id with the source
   notebook; nothing else of the submission is used) run in a sandboxed child
   process (``sandbox.Sandbox``);
2. the *test cells come from the instructor's source notebook*, hidden tests
   included, and run in this process, calling the student's functions through
   proxies that exchange plain data only;
3. the comparison with the reference happens here, on inputs the child never
   saw before the call.

The result per test cell is (points earned, points possible, message). The
course commands write it into nbgrader's gradebook (it wins over nbgrader's
in-kernel result) and into the feedback.
"""
import ast
import io
import json
import signal
import warnings
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from .sandbox import Sandbox, SandboxError

TEST_TIMEOUT = 120      # seconds a whole test cell may take
CALL_TIMEOUT = 60       # seconds one call of a student function may take


@dataclass
class TestResult:
    grade_id: str
    points: float
    earned: float
    message: str = ""        # why points were lost ("" when passed)


@dataclass
class NotebookVerdict:
    """The sealed grading of one submitted notebook."""
    tests: list = field(default_factory=list)
    flags: list = field(default_factory=list)        # what the submission tried that it may not do
    problems: list = field(default_factory=list)     # e.g. solution cells that raised
    not_graded: str = ""                              # set when grading itself could not run

    @property
    def earned(self):
        return sum(t.earned for t in self.tests)

    @property
    def possible(self):
        return sum(t.points for t in self.tests)

    def by_id(self):
        return {t.grade_id: t for t in self.tests}


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _meta(cell):
    meta = cell.get("metadata", {})
    return meta.get("nbgrader", {}) if isinstance(meta, dict) else {}


def parse_source(path):
    """(imports code, [solution grade_ids], [graded names], [(grade_id, points, code)]) of a source notebook."""
    cells = json.loads(Path(path).read_text())["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    solution_ids, names, tests = [], [], []
    for c in code:
        m = _meta(c)
        if m.get("solution"):
            solution_ids.append(m["grade_id"])
            tree = ast.parse(_source(c))
            names += [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        elif m.get("grade"):
            tests.append((m["grade_id"], float(m.get("points", 0)), _source(c)))
    return _source(code[0]), solution_ids, names, tests


def student_solutions(path, solution_ids):
    """The student's code for each solution cell id, in the source's order.

    Only cells whose grade_id is a solution cell of the source count; cells
    the student added, test cells and metadata changes are ignored. A missing
    solution cell counts as empty. IPython magics and shell lines are dropped.
    """
    nb = json.loads(Path(path).read_text())
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("not a notebook (no list of cells)")
    found = {}
    for c in nb["cells"]:
        if isinstance(c, dict) and c.get("cell_type") == "code" and _meta(c).get("grade_id") in solution_ids:
            found.setdefault(_meta(c)["grade_id"], _source(c))
    return ["\n".join(line for line in found.get(i, "").splitlines() if not line.lstrip().startswith(("%", "!")))
            for i in solution_ids]


@contextmanager
def _time_limit(seconds):
    def alarm(signum, frame):
        raise TimeoutError(f"the test did not finish within {seconds} s")
    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


class _Missing:
    """Stands for a function the student did not define."""

    def __init__(self, name):
        self.name = name

    def __call__(self, *args, **kwargs):
        raise NameError(f"{self.name} is not defined in your notebook (or its cell raised an error)")


def grade_notebook(submission, source, protected=(), call_timeout=CALL_TIMEOUT, init_timeout=120.0):
    """Grade ``submission`` (a path) with the test cells of ``source`` (a path).

    ``protected``: folders the student's code may not read (the course folder).
    Returns a NotebookVerdict.
    """
    setup, solution_ids, names, tests = parse_source(source)
    verdict = NotebookVerdict()
    try:
        cells = student_solutions(submission, solution_ids)
    except (OSError, ValueError, json.JSONDecodeError) as exc:
        verdict.not_graded = f"the submitted notebook could not be read: {exc}"
        verdict.tests = [TestResult(g, p, 0.0, verdict.not_graded) for g, p, _ in tests]
        return verdict
    sandbox = None
    try:
        def start():
            return Sandbox(setup, cells, protected=protected, call_timeout=call_timeout,
                           init_timeout=init_timeout)
        sandbox = start()
        verdict.problems += sandbox.cell_errors
        for grade_id, points, code in tests:
            if not sandbox.alive():                       # a crash or time-out killed it: start afresh
                verdict.flags += [f for f in sandbox.flags if f not in verdict.flags]
                sandbox.close()
                sandbox = start()
            verdict.tests.append(_run_test(grade_id, points, code, setup, names, sandbox))
            verdict.flags += [f for f in sandbox.flags if f not in verdict.flags]
    except SandboxError as exc:
        done = {t.grade_id for t in verdict.tests}
        verdict.problems.append(str(exc))
        verdict.tests += [TestResult(g, p, 0.0, f"your notebook's solution cells could not run: {exc}")
                          for g, p, _ in tests if g not in done]
    finally:
        if sandbox is not None:
            verdict.flags += [f for f in sandbox.flags if f not in verdict.flags]
            sandbox.close()
    return verdict


def _run_test(grade_id, points, code, setup, names, sandbox):
    ns = {"__name__": "__sealed_test__"}
    exec(compile(setup, "<imports cell>", "exec"), ns)
    for name in names:
        try:
            ns[name] = sandbox.lookup(name) or _Missing(name)
        except Exception as exc:       # the student's name is not a plain function or class
            ns[name] = _Missing(f"{name} ({exc})")
    try:
        with _time_limit(TEST_TIMEOUT), warnings.catch_warnings(), redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore", RuntimeWarning)
            exec(compile(code, f"<test {grade_id}>", "exec"), ns)
        return TestResult(grade_id, points, points)
    except AssertionError as exc:
        return TestResult(grade_id, points, 0.0, str(exc) or "a check failed")
    except SandboxError as exc:
        return TestResult(grade_id, points, 0.0, str(exc))
    except Exception as exc:
        return TestResult(grade_id, points, 0.0, f"{type(exc).__name__}: {exc}")
