"""A class with attacks and faults, graded by real nbgrader in parallel (slow, always run in CI).

Grading the whole class finishes; every faulty submission gets the score it
earned or "not graded: why"; the other students are unaffected; submitted
files are byte-for-byte unchanged; the gradebook never keeps a stale score.
"""
import csv
import hashlib
import shutil

import nbformat
import pytest

from cs231n_course.course import Course
from cs231n_course.limits import Limits
from cs231n_course.sealed import grade_notebook
from cs231n_course.variants import Variant, apply_variant
from conftest import NOTEBOOKS

pytestmark = pytest.mark.slow
A, NB = "01_neurons", "neurons.ipynb"
NAIVE = "def sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-x))\n"
MONKEYPATCH = """
import cs231n_support.grading as _g
np.allclose = lambda *a, **k: True
_g.assert_close = _g.compare_with_reference = _g.check_known_values = lambda *a, **k: None
"""


def hashes(folder):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def with_sigmoid(nb, source, extra=""):
    nb = apply_variant(nb, Variant("sigmoid", "wrong", "", source, False))
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "sigmoid-solution":
            cell.source += "\n" + extra
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("faulty-class")
    shutil.copytree(NOTEBOOKS / A, root / "notebooks" / A)
    course = Course(root, limits=Limits(budget=90, call=3))
    course.release([A])
    course.sample_class([A])
    ref = nbformat.read(root / "submitted" / "sample-reference" / A / NB, as_version=4)
    students = {
        "monkeypatcher": with_sigmoid(ref, NAIVE, MONKEYPATCH),
        "looper": with_sigmoid(ref, "def sigmoid(x):\n    while True:\n        pass\n"),
        "exiter": with_sigmoid(ref, "def sigmoid(x):\n    import os\n    os._exit(0)\n"),
        "printer": with_sigmoid(ref, NAIVE, "print('x' * 30_000_000)\n"),
    }
    for name, nb in students.items():
        (root / "submitted" / name / A).mkdir(parents=True)
        nbformat.write(nb, root / "submitted" / name / A / NB)
    (root / "submitted" / "broken-json" / A).mkdir(parents=True)
    (root / "submitted" / "broken-json" / A / NB).write_text("{ not a notebook")
    (root / "submitted" / "renamed" / A).mkdir(parents=True)
    shutil.copy(root / "submitted" / "sample-reference" / A / NB, root / "submitted" / "renamed" / A / "my_work.ipynb")
    before = hashes(root / "submitted")
    outcomes = course.autograde([A], jobs=2)
    no_feedback = course.feedback([A])
    assert ("broken-json", A) in no_feedback and "not graded" in no_feedback[("broken-json", A)]
    assert ("sample-reference", A) not in no_feedback
    csv_path = course.export_grades()
    with open(csv_path) as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    return root, course, outcomes, rows, before


def auto(course, student):
    return {r["student"]: r["auto"] for r in course.gradebook_rows()}.get(student)


def test_every_submission_gets_an_outcome_and_files_are_unchanged(graded):
    root, course, outcomes, rows, before = graded
    assert len(outcomes) == 9
    assert hashes(root / "submitted") == before


def test_enormous_output_is_truncated_and_graded(graded):
    root, course, outcomes, rows, before = graded
    assert outcomes[("printer", A)].graded
    assert 0 < auto(course, "printer") < 15
    for folder in ("autograded", "feedback"):
        for path in (root / folder / "printer").rglob("*.*"):
            assert path.stat().st_size < 5_000_000, path


def test_honest_students_are_unaffected(graded):
    root, course, outcomes, rows, before = graded
    assert auto(course, "sample-reference") == 15
    assert auto(course, "sample-blank") == 0
    assert rows["sample-reference"]["status"] == "graded"


def test_monkeypatching_earns_the_honest_score(graded):
    root, course, outcomes, rows, before = graded
    honest = grade_notebook(root / "submitted" / "sample-mistakes" / A / NB, NOTEBOOKS / A / NB)
    naive_only = with_sigmoid(nbformat.read(root / "submitted" / "sample-reference" / A / NB, as_version=4), NAIVE)
    path = root / "naive.ipynb"
    nbformat.write(naive_only, path)
    expected = grade_notebook(path, NOTEBOOKS / A / NB).earned
    assert honest.earned < expected < 15
    assert auto(course, "monkeypatcher") == expected


@pytest.mark.parametrize("student", ["looper", "exiter"])
def test_faulty_functions_cost_only_their_tests(graded, student):
    root, course, outcomes, rows, before = graded
    outcome = outcomes[(student, A)]
    got = auto(course, student)
    if outcome.graded:
        assert 0 < got < 15
        verdict = outcome.verdicts["neurons"]
        assert any(t.message for t in verdict.tests)
    else:
        # nbgrader could not run it (e.g. the kernel died): never an honest-looking zero
        assert got is None and rows[student]["score"] == "" and "not graded" in rows[student]["status"]


@pytest.mark.parametrize("student", ["broken-json", "renamed"])
def test_unreadable_or_renamed_notebooks_are_not_graded_with_a_reason(graded, student):
    root, course, outcomes, rows, before = graded
    assert not outcomes[(student, A)].graded
    assert auto(course, student) is None
    assert rows[student]["score"] == "" and rows[student]["status"].startswith("not graded:")
    assert len(rows[student]["status"]) > len("not graded: ") + 10


def test_feedback_never_shows_hidden_tests(graded):
    root, course, outcomes, rows, before = graded
    source = (NOTEBOOKS / A / NB).read_text()
    hidden_line = "rng = np.random.default_rng(2311)"
    assert hidden_line in source
    for page in (root / "feedback").rglob("*.html"):
        assert hidden_line not in page.read_text()


def test_a_failed_regrade_leaves_no_stale_score(graded):
    root, course, outcomes, rows, before = graded
    assert auto(course, "sample-reference") == 15
    sub = root / "submitted" / "sample-reference" / A / NB
    saved = sub.read_bytes()
    try:
        sub.write_text("{ broken on resubmission")
        outcome = course.autograde([A], ["sample-reference"])[("sample-reference", A)]
        assert not outcome.graded
        assert auto(course, "sample-reference") is None
        with open(course.export_grades()) as fh:
            row = {r["student_id"]: r for r in csv.DictReader(fh)}["sample-reference"]
        assert row["score"] == "" and row["status"].startswith("not graded")
    finally:
        sub.write_bytes(saved)
        course.autograde([A], ["sample-reference"])
    assert auto(course, "sample-reference") == 15
