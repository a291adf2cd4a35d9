"""Sealed grading: run a submitted notebook once, in a sandbox, with the instructor's tests outside it.

nbgrader runs a submission's cells and its test cells in one kernel, so the
student's code could change what the tests see, and it runs as the
instructor inside the course folder. Here instead, for one notebook:

1. every code cell of the submission that is not a test cell runs, in order,
   in one sandbox (``sandbox.Sandbox``: the operating system's isolation,
   see ``isolation.py``); its outputs are kept for the autograded notebook;
2. each *test cell*, at its place in the notebook, runs the code of the
   instructor's source notebook (hidden tests included; whatever the
   submission did to its test cells changes nothing) in the grader's own
   process, calling the student's functions through handles that exchange
   plain data only; its output in the autograded notebook is the verdict;
3. a wall-clock budget covers the whole notebook (``limits.Limits``): when it
   is used up, the sandbox is killed and what was not run scores 0, saying why.

The result is a ``NotebookVerdict``: points per test, the outputs of every
cell, flags (what the submission tried that it may not do) and problems.
"""
import ast
import io
import json
import signal
import threading
import time
import warnings
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from cs231n_support.i18n import t

from .limits import DEFAULT_LIMITS
from .sandbox import Sandbox, SandboxError


def hidden_note():
    """The comment that stands for a test cell's hidden tests in the autograded notebook."""
    return t("# (hidden tests: run by the autograder, not shown)")


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
    outputs: dict = field(default_factory=dict)       # cell index -> nbformat outputs (dicts)
    flags: list = field(default_factory=list)         # what the submission tried that it may not do
    problems: list = field(default_factory=list)      # e.g. solution cells that raised
    not_graded: str = ""                              # set when grading itself could not run
    isolated: bool = True                             # False: graded without the OS's isolation

    @property
    def earned(self):
        return sum(t.earned for t in self.tests)

    @property
    def possible(self):
        return sum(t.points for t in self.tests)

    def by_id(self):
        return {t.grade_id: t for t in self.tests}

    def add_flags(self, flags):
        self.flags += [f for f in flags if f not in self.flags]


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _meta(cell):
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    nbg = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return nbg if isinstance(nbg, dict) else {}


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


def _without_magics(code):
    """IPython magics and shell lines do nothing when graded."""
    return "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))


def _plan(cells, solution_ids, tests):
    """[(cell index or None, kind, grade_id, code)]: the submission's code cells in order, tests in place.

    kind is "test" (run here, from the source), "solution" (a graded solution
    cell) or "cell" (any other cell of the submission). A test cell missing
    from the submission still runs, at the end.
    """
    test_ids, seen, plan = {g for g, _, _ in tests}, set(), []
    for i, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        gid = _meta(cell).get("grade_id")
        if gid in test_ids and gid not in seen and not _meta(cell).get("solution"):
            seen.add(gid)
            plan.append((i, "test", gid, None))
        else:
            plan.append((i, "solution" if gid in solution_ids else "cell", gid, _without_magics(_source(cell))))
    return plan + [(None, "test", g, None) for g, _, _ in tests if g not in seen]


def read_submission(path):
    nb = json.loads(Path(path).read_text())
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("not a notebook (no list of cells)")
    return nb


def grade_notebook(submission, source, limits=DEFAULT_LIMITS, protected=(), isolate=True):
    """Grade ``submission`` (a path or a notebook dict) with the tests of ``source`` (a path)."""
    setup, solution_ids, names, tests = parse_source(source)
    points = {g: (p, code) for g, p, code in tests}
    verdict = NotebookVerdict(isolated=isolate)
    try:
        cells = (read_submission(submission) if isinstance(submission, (str, Path)) else submission)["cells"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        verdict.not_graded = t("the submitted notebook could not be read: {error}", error=exc)
        verdict.tests = [TestResult(g, p, 0.0, verdict.not_graded) for g, p, _ in tests]
        return verdict
    deadline = time.monotonic() + limits.budget
    box, replay, number, started, gave_up = None, [], 0, False, ""
    try:
        for index, kind, gid, code in _plan(cells, solution_ids, tests):
            number += kind != "test" or index is not None
            left = deadline - time.monotonic()
            if left <= 0:
                _not_run(verdict, index, kind, gid, points,
                         t("not run: this notebook's time budget ({budget:g} s) was used up", budget=limits.budget))
                continue
            if gave_up:
                _not_run(verdict, index, kind, gid, points, gave_up)
                continue
            if box is None or not box.alive():
                box = _restart(box, verdict, setup, replay, limits, protected, isolate, deadline, first=not started)
                started = True
                if verdict.not_graded:
                    verdict.tests = [TestResult(g, p, 0.0, verdict.not_graded) for g, p, _ in tests]
                    break
                if box is None:
                    gave_up = t("not run: {why}", why=verdict.problems[-1])
                    _not_run(verdict, index, kind, gid, points, gave_up)
                    continue
            if kind == "test":
                result = _run_test(gid, *points[gid], setup, names, box, deadline)
                verdict.tests.append(result)
                if index is not None:
                    verdict.outputs[index] = [_verdict_output(result)]
                continue
            name = t("cell {number}", number=number) if kind == "cell" else t("solution cell {grade_id}", grade_id=gid)
            try:
                ran = box.run_cell(code, name, kind, timeout=min(limits.call, left))
            except SandboxError as exc:
                verdict.outputs[index] = [_error_output(t("NotRun"), str(exc))]
                verdict.problems.append(f"{name}: {exc}")
                continue
            verdict.outputs[index] = clean_outputs(ran["outputs"])
            if kind == "solution":
                replay.append((code, name))
                if ran["error"]:
                    verdict.problems.append(t("{name} raised {error}", name=name, error=ran["error"]))
            verdict.add_flags(box.flags)
    finally:
        if box is not None:
            verdict.add_flags(box.flags)
            box.close()
    return verdict


def _restart(box, verdict, setup, replay, limits, protected, isolate, deadline, first=False):
    """A fresh sandbox with the solution cells run so far run again (after a crash or time-out)."""
    if box is not None:
        verdict.add_flags(box.flags)
        box.close()
    try:
        box = Sandbox(setup, limits, protected=protected, isolate=isolate,
                      init_timeout=max(1.0, min(limits.call, deadline - time.monotonic())))
    except Exception as exc:        # a SandboxError, or the imports cell's own error reported by the sandbox
        error = exc if isinstance(exc, SandboxError) else f"{type(exc).__name__}: {exc}"
        if first:      # only the course's own imports cell ran: not the student's doing, so no score at all
            verdict.not_graded = t("the grader could not start its sandbox: {error}", error=error)
            return None
        verdict.problems.append(t("the sandbox could not start again: {error}", error=error))
        return None
    try:
        for code, name in replay:
            box.run_cell(code, name, "solution", timeout=max(0.01, min(limits.call, deadline - time.monotonic())))
    except SandboxError as exc:
        verdict.problems.append(t("the sandbox could not run your solution cells again: {error}", error=exc))
        return None
    box.deadline = deadline
    return box


def _not_run(verdict, index, kind, gid, points, why):
    if kind == "test":
        result = TestResult(gid, points[gid][0], 0.0, why)
        verdict.tests.append(result)
        if index is not None:
            verdict.outputs[index] = [_verdict_output(result)]
    elif index is not None:
        verdict.outputs[index] = [_error_output(t("NotRun"), why)]


def clean_outputs(outputs):
    """Only the kinds of output the sandbox makes, as plain text and PNGs.

    The sandbox is not trusted: anything else (HTML or JavaScript that
    formgrader or the feedback page would render for the instructor, odd
    fields) is dropped here.
    """
    import base64
    import binascii
    clean = []
    for o in outputs if isinstance(outputs, list) else []:
        kind = o.get("output_type") if isinstance(o, dict) else None
        if kind == "stream" and o.get("name") in ("stdout", "stderr"):
            clean.append({"output_type": "stream", "name": o["name"], "text": str(o.get("text", ""))})
        elif kind == "error":
            clean.append({"output_type": "error", "ename": str(o.get("ename", "Error"))[:100],
                          "evalue": str(o.get("evalue", "")),
                          "traceback": [str(line) for line in o.get("traceback", [])][:60]})
        elif kind in ("execute_result", "display_data"):
            data = o.get("data", {}) if isinstance(o.get("data"), dict) else {}
            kept = {"text/plain": str(data.get("text/plain", ""))}
            try:
                if base64.b64decode(str(data.get("image/png", "")), validate=True).startswith(b"\x89PNG"):
                    kept["image/png"] = data["image/png"]
            except (binascii.Error, ValueError):
                pass
            out = {"output_type": kind, "metadata": {}, "data": kept}
            if kind == "execute_result":
                out["execution_count"] = None
            clean.append(out)
    return clean


def _error_output(ename, message):
    return {"output_type": "error", "ename": ename, "evalue": message, "traceback": [f"{ename}: {message}"]}


def _verdict_output(result):
    if result.earned >= result.points:
        return {"output_type": "stream", "name": "stdout", "text": t("Passed.") + "\n"}
    return _error_output(t("Failed"), result.message)


@contextmanager
def _time_limit(seconds):
    """Stop a test cell that runs past the notebook's budget (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum, frame):
        raise TimeoutError(t("the test did not finish within this notebook's time budget"))
    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class _Missing:
    """Stands for a function the student did not define."""

    def __init__(self, name):
        self.name = name

    def __call__(self, *args, **kwargs):
        raise NameError(t("{name} is not defined in your notebook (or its cell raised an error)", name=self.name))


def _run_test(grade_id, points, code, setup, names, sandbox, deadline):
    ns = {"__name__": "__sealed_test__"}
    exec(compile(setup, "<imports cell>", "exec"), ns)
    try:
        for name in names:
            try:
                ns[name] = sandbox.lookup(name) or _Missing(name)
            except SandboxError:
                raise
            except Exception as exc:       # the student's name is not a plain function or class
                ns[name] = _Missing(f"{name} ({exc})")
        with _time_limit(deadline - time.monotonic()), warnings.catch_warnings(), \
                redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore", RuntimeWarning)
            exec(compile(code, f"<test {grade_id}>", "exec"), ns)
        return TestResult(grade_id, points, points)
    except AssertionError as exc:
        return TestResult(grade_id, points, 0.0, str(exc) or t("a check failed"))
    except SandboxError as exc:
        return TestResult(grade_id, points, 0.0, str(exc))
    except Exception as exc:
        return TestResult(grade_id, points, 0.0, f"{type(exc).__name__}: {exc}")


def hide_hidden_tests(source):
    """A test cell's code with its hidden part replaced by a note."""
    if "### BEGIN HIDDEN TESTS" not in source:
        return source
    visible = source.split("### BEGIN HIDDEN TESTS")[0].rstrip()
    return (visible + "\n" if visible else "") + hidden_note()
