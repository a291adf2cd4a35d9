"""Sealed verdicts: the attack corpus and the fault corpus, graded without nbgrader (fast).

Each attack is a submission whose solution cells try one trick on top of some
honest code. It must earn exactly what the honest code alone earns, and the
tricks the sandbox can see are flagged. Each fault must cost only the tests it
affects, with a clear reason.
"""
import hashlib
import os
import json

import nbformat
import pytest

from cs231n_course.limits import Limits
from cs231n_course.sandbox import Sandbox
from cs231n_course.sealed import grade_notebook
from cs231n_course.variants import apply_variant, Variant, strip_solution_markers
from conftest import NOTEBOOKS, ROOT

SOURCE = NOTEBOOKS / "01_neurons" / "neurons.ipynb"
PROTECTED = [NOTEBOOKS]

NAIVE_SIGMOID = "def sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-x))\n"
BLANK_SIGMOID = "def sigmoid(x):\n    raise NotImplementedError()\n"


def reference_submission():
    nb = nbformat.read(SOURCE, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            cell.source = strip_solution_markers(cell.source)
    return nb


def submission(tmp_path, sigmoid=None, extra="", name="neurons.ipynb"):
    """The reference submission with sigmoid replaced and ``extra`` code after it."""
    nb = reference_submission()
    if sigmoid is not None:
        nb = apply_variant(nb, Variant("sigmoid", "wrong", "", sigmoid, False))
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "sigmoid-solution":
            cell.source += "\n" + extra
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def grade(path, **kw):
    return grade_notebook(path, SOURCE, protected=PROTECTED, **kw)


def scores(verdict):
    return {t.grade_id: t.earned for t in verdict.tests}


@pytest.fixture(scope="module")
def honest(tmp_path_factory):
    d = tmp_path_factory.mktemp("honest")
    return {"reference": scores(grade(submission(d))),
            "naive": scores(grade(submission(d, NAIVE_SIGMOID, name="naive.ipynb"))),
            "blank": scores(grade(submission(d, BLANK_SIGMOID, name="blank.ipynb")))}


def test_honest_baselines_differ(honest):
    assert sum(honest["reference"].values()) == 15
    assert sum(honest["blank"].values()) < sum(honest["naive"].values()) < 15


ATTACKS = {
    "monkeypatch numpy": ("naive", NAIVE_SIGMOID, """
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, bool)
np.testing.assert_allclose = lambda *a, **k: None
np.array_equal = lambda *a, **k: True
""", "replaced numpy.allclose"),
    "monkeypatch the grading helpers": ("naive", NAIVE_SIGMOID, """
import cs231n_support.grading as _g
_g.assert_close = _g.compare_with_reference = _g.check_known_values = lambda *a, **k: None
_g._call_student = lambda fn, name, args, kwargs: None
""", "replaced cs231n_support.grading.assert_close"),
    "always-equal object": ("blank", """
class _Yes:
    def __eq__(self, other): return True
    __array_priority__ = 1000
def sigmoid(x):
    return _Yes()
""", "", "always-equal"),
    "silenced tracebacks and exception handlers": ("naive", NAIVE_SIGMOID, """
import sys
sys.excepthook = lambda *a: None
sys.tracebacklimit = 0
try:
    get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)
except NameError:
    pass
""", "replaced sys.excepthook"),
    "IPython input transformer": ("naive", NAIVE_SIGMOID, """
try:
    get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
except NameError:
    pass
""", "input_transformers_post"),
    "sys.exit in the solution cell": ("naive", NAIVE_SIGMOID, "import sys\nsys.exit(0)\n", "tried to stop"),
    "os._exit in the solution cell": ("naive", NAIVE_SIGMOID, "import os\nos._exit(0)\n", "os._exit"),
    "SystemExit raised instead of an answer": ("blank", "def sigmoid(x):\n    raise SystemExit\n", "",
                                               "tried to stop"),
    "os._exit instead of an answer": ("blank", "def sigmoid(x):\n    import os\n    os._exit(0)\n", "", "os._exit"),
    # The reference is not in the sandbox at all (isolation.py puts an empty folder in its place):
    # each way to reach it fails like any missing module, for the blank score.
    "call the reference directly": ("blank", """
def sigmoid(x):
    from cs231n_course.reference import sigmoid as ref
    return ref(x)
""", "", ""),
    "call the reference via importlib": ("blank", """
def sigmoid(x):
    import importlib
    return importlib.import_module("cs231n_course.reference.neurons").sigmoid(x)
""", "", ""),
    "exec the reference's source file": ("blank", """
def sigmoid(x):
    import cs231n_course, os
    path = os.path.join(os.path.dirname(cs231n_course.__file__), "reference", "neurons.py")
    scope = {}
    exec(open(path).read(), scope)
    return scope["sigmoid"](x)
""", "", ""),
    "read the source notebook": ("blank", f"""
def sigmoid(x):
    text = open({str(SOURCE)!r}).read()
    raise NotImplementedError(text[:10])
""", "", "tried to open"),
    "read the gradebook next to the notebooks": ("blank", f"""
def sigmoid(x):
    open({str(NOTEBOOKS / '01_neurons' / '..' / 'gradebook.db')!r}, "rb")
    raise NotImplementedError()
""", "", "tried to open"),
    "open a network connection": ("naive", NAIVE_SIGMOID, """
try:
    import socket
    socket.create_connection(("127.0.0.1", 9), timeout=1)
except Exception:
    pass
""", "network"),
    "kill the process that started the sandbox": ("naive", NAIVE_SIGMOID, """
import os
os.kill(os.getppid(), 9)
""", "signal"),
    "fork a process": ("naive", NAIVE_SIGMOID, """
import os
if os.fork() == 0:
    os._exit(0)
""", "start a process"),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attack_earns_exactly_the_honest_score(tmp_path, honest, attack):
    baseline, code, extra, flag = ATTACKS[attack]
    verdict = grade(submission(tmp_path, code, extra))
    assert scores(verdict) == honest[baseline], attack
    if flag:
        assert any(flag in f for f in verdict.flags), verdict.flags


def test_deleted_edited_test_cells_and_changed_points_change_nothing(tmp_path, honest):
    nb = reference_submission()
    nb.cells = [c for c in nb.cells if not (c.metadata.get("nbgrader", {}).get("grade")
                                            and not c.metadata["nbgrader"].get("solution"))]
    for c in nb.cells:
        if "nbgrader" in c.metadata:
            c.metadata["nbgrader"]["points"] = 1000
    path = tmp_path / "edited.ipynb"
    nbformat.write(nb, path)
    verdict = grade(path)
    assert scores(verdict) == honest["reference"]
    assert verdict.possible == 15


def test_hidden_tests_and_inputs_never_reach_the_student_code(tmp_path):
    # the student's code records every call; nothing of it comes back to the grader but results
    spy = """
def sigmoid(x):
    import numpy as np
    print("SPY", x)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
"""
    verdict = grade(submission(tmp_path, spy))
    assert sum(scores(verdict).values()) == 15
    assert not any("SPY" in t.message for t in verdict.tests)


# ---------------------------------------------------------------------------
# Faults

def test_infinite_loop_in_a_function_costs_only_its_tests(tmp_path, honest):
    loop = "def sigmoid(x):\n    while True:\n        pass\n"
    verdict = grade(submission(tmp_path, loop), limits=Limits(call=2))
    assert scores(verdict) == honest["blank"]
    assert any("did not finish" in t.message for t in verdict.tests)


def test_infinite_loop_at_module_level_gives_a_clear_reason(tmp_path, honest):
    verdict = grade(submission(tmp_path, None, "while True:\n    pass\n"), limits=Limits(call=3))
    assert any("did not finish within 3 s" in p for p in verdict.problems), verdict.problems
    lost = {g for g, earned in scores(verdict).items() if earned < honest["reference"][g]}
    assert {"sigmoid-visible", "sigmoid-hidden"} <= lost      # that cell defined sigmoid; it never finished
    assert "not defined" in verdict.by_id()["sigmoid-visible"].message


def test_memory_bomb_costs_only_its_tests(tmp_path, honest):
    bomb = "def sigmoid(x):\n    return bytearray(1 << 40)\n"
    verdict = grade(submission(tmp_path, bomb))
    assert scores(verdict) == honest["blank"]
    assert any("MemoryError" in t.message for t in verdict.tests)


def test_crash_of_the_process_costs_only_its_tests(tmp_path, honest):
    crash = "def sigmoid(x):\n    import faulthandler\n    faulthandler._sigsegv()\n"
    verdict = grade(submission(tmp_path, crash))
    assert scores(verdict) == honest["blank"]
    assert any("crashed" in t.message for t in verdict.tests)


@pytest.mark.parametrize("content", [b"{ this is not json", b"[]", b'{"cells": 3}'])
def test_unreadable_notebook_is_not_graded_with_a_reason(tmp_path, content):
    path = tmp_path / "neurons.ipynb"
    path.write_bytes(content)
    verdict = grade(path)
    assert verdict.not_graded and "could not be read" in verdict.not_graded
    assert verdict.earned == 0


def test_missing_notebook_is_not_graded_with_a_reason(tmp_path):
    verdict = grade(tmp_path / "neurons.ipynb")
    assert "could not be read" in verdict.not_graded


def test_grading_never_modifies_the_submission(tmp_path):
    path = submission(tmp_path, "def sigmoid(x):\n    x *= 0\n    return x\n")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    grade(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_grading_is_deterministic(tmp_path):
    path = submission(tmp_path, NAIVE_SIGMOID)
    first, second = grade(path), grade(path)
    assert [(t.grade_id, t.earned, t.message) for t in first.tests] == \
        [(t.grade_id, t.earned, t.message) for t in second.tests]


def test_the_sandbox_has_the_student_package_and_not_the_reference():
    from cs231n_course.sandbox import Sandbox
    code = """
import importlib, os
def probe():
    import cs231n_course
    folder = os.path.join(os.path.dirname(cs231n_course.__file__), "reference")
    try:
        importlib.import_module("cs231n_course.reference.neurons")
        imported = True
    except ImportError:          # (the empty folder itself imports as an empty namespace package)
        imported = False
    return imported, os.listdir(folder), importlib.import_module("cs231n_support.trees").balanced_tree_codes(4).shape
"""
    with Sandbox("import numpy as np") as sb:
        sb.run_cell(code, "cell 1", "solution", timeout=20)
        assert sb.lookup("probe")() == (False, [], (4, 3))


def test_sandbox_sees_no_grader_environment_and_an_empty_folder(monkeypatch):
    from cs231n_course.sandbox import Sandbox
    monkeypatch.setenv("GRADER_SECRET_TOKEN", "s3cret")
    cell = "import os\ndef look():\n    return sorted(os.environ), os.listdir('.')\n"
    with Sandbox("import numpy as np") as sandbox:
        sandbox.run_cell(cell, "cell 1", "solution", timeout=10)
        names, files = sandbox.lookup("look")()
    assert "GRADER_SECRET_TOKEN" not in names and files == []


def test_a_grading_script_without_a_main_guard_runs_once(tmp_path):
    """The caller's main script must not be imported again in a sandbox."""
    import subprocess
    import sys
    script = tmp_path / "grade_script.py"
    script.write_text(
        "print('SCRIPT RAN', flush=True)\n"
        "from cs231n_course.sandbox import Sandbox\n"
        "with Sandbox('import numpy as np') as sb:\n"
        "    sb.run_cell('def f():\\n    return 41 + 1\\n', 'cell 1', 'solution', timeout=10)\n"
        "    print('ANSWER', sb.lookup('f')(), flush=True)\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.count("SCRIPT RAN") == 1 and "ANSWER 42" in out.stdout, out.stdout + out.stderr


def test_a_sandbox_that_cannot_start_leaves_the_notebook_not_graded(tmp_path):
    # Only the course's own imports cell runs before the first cell: its failure is the grader's
    # problem, never a score of 0 for the student.
    source = nbformat.read(SOURCE, as_version=4)
    imports = next(c for c in source.cells if c.cell_type == "code")
    imports.source = "import numpy as np\nimport no_such_module_of_the_course\n"
    broken = tmp_path / "source.ipynb"
    nbformat.write(source, broken)
    verdict = grade_notebook(submission(tmp_path), broken, protected=PROTECTED)
    assert "could not start its sandbox" in verdict.not_graded
    assert "no_such_module_of_the_course" in verdict.not_graded
    assert verdict.tests and all(t.earned == 0 and t.message == verdict.not_graded for t in verdict.tests)


def test_a_failed_check_in_a_solution_cell_shows_its_message_alone(tmp_path):
    extra = "check_known_values(sigmoid, (np.array([-1000.0]),), np.array([0.0]), name='sigmoid')\n"
    verdict = grade(submission(tmp_path, NAIVE_SIGMOID, extra=extra))
    errors = [o for outs in verdict.outputs.values() for o in outs if o["output_type"] == "error"
              and o["ename"] == "GradingError" and "overflow" in o["evalue"]]
    assert errors and all(o["traceback"] == [f"GradingError: {o['evalue']}"] for o in errors)


def test_the_graders_refusals_speak_the_class_language(tmp_path):
    extra = ("from cs231n_support import i18n\ni18n.use('ko')\nimport socket\n"
             "try:\n    socket.create_connection(('127.0.0.1', 9))\nexcept PermissionError as e:\n    print('REFUSED', e)\n"
             "i18n.use('en')\n")
    verdict = grade(submission(tmp_path, extra=extra))
    printed = "".join(o.get("text", "") for outs in verdict.outputs.values() for o in outs)
    assert "REFUSED 채점되는 코드는 네트워크를 쓸 수 없다" in printed
    assert sum(t.earned for t in verdict.tests) == 15            # asking changes no score
