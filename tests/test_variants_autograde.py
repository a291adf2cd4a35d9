"""Every variant graded by the real grading command: right ones get full marks, wrong ones lose points.

One course folder holds all seven assignments. Each variant of
data/variants/<assignment>.py is one student's submission (the student release
filled with the reference solution, the variant applied), the reference
solution is one more student, and the whole class is graded at once by
``Course.autograde`` -- nbgrader and the sealed verdicts, exactly what gives
real students their marks. The tests then read each submission's result from
the gradebook and the grading status, one test per variant, so a failure
names the variant.
"""
import shutil
import time

import nbformat
import pytest

from cs231n_course.course import Course
from cs231n_course.variants import apply_variant, fill_release
from conftest import NOTEBOOKS, variants_of

pytestmark = pytest.mark.slow

ASSIGNMENTS = sorted(p.parent.name for p in NOTEBOOKS.glob("*/*.ipynb"))
VARIANTS = [(a, i, v) for a in ASSIGNMENTS
            for i, v in enumerate(variants_of(a))]
REFERENCE = "reference"      # the student who submits the reference solution of every assignment


def student_id(assignment, index):
    return f"v-{assignment}-{index:03d}"


def without_demo_cells(nb):
    """The notebook without its code cells that are not nbgrader cells.

    A student may delete the demo cells (imports, plots, experiments): they
    earn nothing and the sealed grader runs the course's own imports cell.
    Without them nbgrader executes only the solution and test cells, which
    keeps grading to ~1-2 s per submission instead of a full notebook run.
    """
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or "nbgrader" in c.metadata]
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade the whole class once; return ({(student, assignment): gradebook row}, grading status)."""
    root = tmp_path_factory.mktemp("variants_course")
    shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    course = Course(root)
    course.release()
    for a in ASSIGNMENTS:
        variants = [(i, v) for b, i, v in VARIANTS if b == a]
        for release_path in sorted((root / "release" / a).glob("*.ipynb")):
            source_nb = nbformat.read(root / "notebooks" / a / release_path.name, as_version=4)
            reference = fill_release(nbformat.read(release_path, as_version=4), source_nb)
            submissions = {REFERENCE: reference}
            submissions.update({student_id(a, i): apply_variant(reference, v) for i, v in variants})
            for student, nb in submissions.items():
                out = root / "submitted" / student / a / release_path.name
                out.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(without_demo_cells(nb), out)
    start = time.monotonic()
    course.autograde(jobs=2)
    print(f"\nautograded {len(VARIANTS) + len(ASSIGNMENTS)} submissions in {time.monotonic() - start:.0f} s")
    rows = {(r["student"], r["assignment"]): r for r in course.gradebook_rows()}
    return rows, course.grading_status()


def result(graded, student, assignment):
    """(gradebook row, status entry, {"notebook/grade_id": (earned, points)} of the tests that lost points)."""
    rows, status = graded
    info = status.get(f"{student}/{assignment}")
    assert info is not None, f"{student} / {assignment} was not graded at all"
    row = rows.get((student, assignment))
    assert row is not None, f"{student} / {assignment} is not in the gradebook: {info['status']}"
    assert row["auto_max"] > 0
    lost = {f"{nb}/{gid}": (earned, points) for nb, tests in info["tests"].items()
            for gid, (earned, points) in tests.items() if earned < points}
    return row, info, lost


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_gets_full_marks(graded, assignment):
    row, info, lost = result(graded, REFERENCE, assignment)
    assert info["status"] == "graded" and not lost, f"the reference solution lost points: {lost}; notes: {info['notes']}"
    assert row["auto"] == row["auto_max"], row
    assert not info["flags"], f"the reference solution was flagged: {info['flags']}"


@pytest.mark.parametrize("assignment,index,variant", VARIANTS,
                         ids=[f"{a}-{i:03d}-{v.kind}-{v.target}" for a, i, v in VARIANTS])
def test_variant_is_graded_fairly(graded, assignment, index, variant):
    row, info, lost = result(graded, student_id(assignment, index), assignment)
    if variant.kind == "right":
        assert info["status"] == "graded" and not lost and row["auto"] == row["auto_max"], \
            f"a correct alternative ({variant.why}) lost points: {lost}; notes: {info['notes']}"
        assert not info["flags"], f"a correct alternative ({variant.why}) was flagged: {info['flags']}"
    else:
        assert lost and row["auto"] < row["auto_max"], f"a wrong implementation ({variant.why}) got full marks"
        # Each test it failed says why, in words a student can act on (the status store keeps the
        # messages as {notebook: {grade_id: message}}; a store without them is not checked).
        if "messages" in info:
            unclear = {t: info["messages"].get(t.split("/")[0], {}).get(t.split("/")[1], "") for t in lost}
            unclear = {t: msg for t, msg in unclear.items() if len(msg) <= 20}
            assert not unclear, f"failed tests of a wrong implementation ({variant.why}) without a clear message: {unclear}"
