"""collect-zip and export-canvas: LMS downloads in, a Canvas gradebook CSV out, nothing lost.

Fast tests collect zips built here (Canvas- and Moodle-named uploads) and check
every file, timestamp and report line, for every bad input; one slow test
autogrades an on-time, a late and a broken submission and checks the late
penalty in grades.csv and the Canvas CSV.
"""
import csv
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from nbgrader.utils import parse_utc

from cs231n_course.course import Course, CourseError
from cs231n_course.course.config import late_penalty
from conftest import NOTEBOOKS, ROOT

A, NB = "01_neurons", "neurons.ipynb"
DUE = datetime(2025, 3, 1, 23, 59, tzinfo=timezone.utc)
ROSTER = ("student_id,name,canvas_id,moodle_id\n"
          "ada,\"Lovelace, Ada\",101,\n"
          "alan,\"Turing, Alan\",102,\n"
          "grace,\"Hopper, Grace\",,301\n")


def utc(dt):
    """nbgrader's timestamps are naive UTC."""
    return dt.astimezone(timezone.utc).replace(tzinfo=None)


def at(dt):
    return dt.timetuple()[:6]


def make_zip(path, entries):
    """A zip of (name, bytes, datetime) entries, as an LMS gives it."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data, when in entries:
            zf.writestr(zipfile.ZipInfo(name, date_time=at(when)), data)
    return path


@pytest.fixture
def course(tmp_path):
    """A course with 01_neurons; its 'release' is the source notebook (collect-zip needs only its name)."""
    shutil.copytree(NOTEBOOKS / A, tmp_path / "notebooks" / A)
    (tmp_path / "release" / A).mkdir(parents=True)
    shutil.copy(NOTEBOOKS / A / NB, tmp_path / "release" / A / NB)
    (tmp_path / "roster.csv").write_text(ROSTER)
    return Course(tmp_path)


def nb_bytes(tag):
    return (NOTEBOOKS / A / NB).read_bytes().replace(b'"cells"', f'"x_{tag}": 1, "cells"'.encode(), 1)


def submitted(course, *parts):
    return course.root.joinpath("submitted", *parts)


def test_canvas_and_moodle_names_are_collected_byte_identical_with_nbgrader_timestamps(course, tmp_path):
    t1, t2 = DUE - timedelta(hours=5), DUE - timedelta(hours=1)
    z = make_zip(tmp_path / "dl.zip", [
        ("lovelaceada_101_9001_neurons.ipynb", nb_bytes("ada"), t1),
        ("turingalan_102_9002_neurons-1.ipynb", nb_bytes("alan"), t2),          # Canvas resubmission name
        ("Grace Hopper_301_assignsubmission_file_/my notebook.ipynb", nb_bytes("grace"), t2)])
    r = course.collect_zip(z, A, tmp_path / "roster.csv")
    assert sorted(s for s, *_ in r.collected) == ["ada", "alan", "grace"]
    assert not r.unmatched and not r.superseded
    for student, when in [("ada", t1), ("alan", t2), ("grace", t2)]:
        folder = submitted(course, student, A)
        assert (folder / NB).read_bytes() == nb_bytes(student)
        assert course.api.coursedir.get_existing_timestamp(str(folder)) == utc(when)     # as nbgrader reads it
    assert [p for p in course.root.rglob("*.tmp")] == []
    assert [s for s, _ in course.submissions()] == ["ada", "alan", "grace"]


def test_a_zip_that_is_not_a_zip_is_a_clear_error_and_writes_nothing(course, tmp_path):
    bad = tmp_path / "submissions.zip"
    bad.write_text("this is an HTML error page, not a zip")
    with pytest.raises(CourseError, match="is not a zip file"):
        course.collect_zip(bad, A, tmp_path / "roster.csv")
    assert not submitted(course).exists()
    out = subprocess.run([sys.executable, "-m", "cs231n_course", "--root", str(course.root), "collect-zip",
                          str(bad), "-a", A, "--roster", str(tmp_path / "roster.csv")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "is not a zip file" in out.stdout and not submitted(course).exists()


def test_unknown_ids_and_other_files_are_reported_and_kept_the_others_collected(course, tmp_path):
    t = DUE - timedelta(days=1)
    z = make_zip(tmp_path / "dl.zip", [
        ("lovelaceada_101_9001_neurons.ipynb", nb_bytes("ada"), t),
        ("strangerx_999_9003_neurons.ipynb", nb_bytes("x"), t),                  # not in the roster
        ("turingalan_102_9004_notes.pdf", b"%PDF-1.4 notes", t),                 # not a notebook
        ("Nobody Known_777_assignsubmission_file_/neurons.ipynb", nb_bytes("y"), t),
        ("README.txt", b"made by the LMS", t)])                                 # neither name pattern
    r = course.collect_zip(z, A, tmp_path / "roster.csv")
    assert [s for s, *_ in r.collected] == ["ada"]
    why = {entry: (reason, kept) for entry, reason, kept in r.unmatched}
    assert "unknown Canvas id 999" in why["strangerx_999_9003_neurons.ipynb"][0]
    assert "unknown Moodle id 777" in why["Nobody Known_777_assignsubmission_file_/neurons.ipynb"][0]
    assert "not a notebook (notes.pdf)" in why["turingalan_102_9004_notes.pdf"][0]
    assert "neither Canvas's" in why["README.txt"][0]
    unmatched = submitted(course, "_unmatched", f"lms-{A}")
    assert (unmatched / "strangerx_999_9003_neurons.ipynb").read_bytes() == nb_bytes("x")
    assert (unmatched / "turingalan_102_9004_notes.pdf").read_bytes() == b"%PDF-1.4 notes"
    assert (unmatched / "Nobody Known_777_assignsubmission_file_" / NB).read_bytes() == nb_bytes("y")
    assert not submitted(course, "alan").exists()
    assert [s for s, _ in course.submissions()] == ["ada"]          # _unmatched is nobody's submission


def test_two_uploads_by_one_student_the_later_counts_and_the_earlier_is_kept(course, tmp_path):
    early, late = DUE - timedelta(hours=3), DUE - timedelta(hours=2)
    z = make_zip(tmp_path / "dl.zip", [                                         # the later one first in the zip
        ("lovelaceada_101_9002_neurons-1.ipynb", nb_bytes("second"), late),
        ("lovelaceada_101_9001_neurons.ipynb", nb_bytes("first"), early)])
    r = course.collect_zip(z, A, tmp_path / "roster.csv")
    assert (submitted(course, "ada", A, NB)).read_bytes() == nb_bytes("second")
    assert parse_utc(submitted(course, "ada", A, "timestamp.txt").read_text()) == utc(late)
    [(student, what, kept)] = r.superseded
    assert student == "ada" and "lovelaceada_101_9001_neurons.ipynb" in what
    assert kept == submitted(course, "_superseded", "ada", A, early.strftime("%Y%m%dT%H%M%SZ"),
                             "lovelaceada_101_9001_neurons.ipynb")
    assert kept.read_bytes() == nb_bytes("first")


def test_an_existing_submission_is_never_overwritten_silently(course, tmp_path):
    roster, old_time = tmp_path / "roster.csv", DUE - timedelta(days=2)
    folder = submitted(course, "ada", A)
    folder.mkdir(parents=True)
    (folder / NB).write_bytes(nb_bytes("by hand"))
    (folder / "timestamp.txt").write_text(old_time.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    new_time = DUE - timedelta(hours=1)
    z = make_zip(tmp_path / "new.zip", [("lovelaceada_101_9001_neurons.ipynb", nb_bytes("new"), new_time)])
    r = course.collect_zip(z, A, roster)
    assert (folder / NB).read_bytes() == nb_bytes("new")
    [(_, what, kept)] = r.superseded
    assert "earlier submission" in what and kept.read_bytes() == nb_bytes("by hand")
    assert parse_utc((kept.parent / "timestamp.txt").read_text()) == utc(old_time)
    # the same zip again: nothing changes, nothing is reported as new
    r = course.collect_zip(z, A, roster)
    assert r.unchanged == [("ada", NB)] and not r.collected and not r.superseded
    # an older download after a newer one: the submission stays, the upload is kept aside
    z_old = make_zip(tmp_path / "old.zip", [("lovelaceada_101_9000_neurons.ipynb", nb_bytes("older"), old_time)])
    r = course.collect_zip(z_old, A, roster)
    assert (folder / NB).read_bytes() == nb_bytes("new") and not r.collected
    [(_, what, kept)] = r.superseded
    assert "older than the submission already in submitted/" in what and kept.read_bytes() == nb_bytes("older")


def test_due_date_goes_to_nbgrader_and_late_uploads_are_marked(course, tmp_path):
    from nbgrader.api import Gradebook
    z = make_zip(tmp_path / "dl.zip", [
        ("lovelaceada_101_9001_neurons.ipynb", nb_bytes("a"), DUE - timedelta(minutes=1)),
        ("turingalan_LATE_102_9002_neurons.ipynb", nb_bytes("b"), DUE + timedelta(hours=30))])
    r = course.collect_zip(z, A, tmp_path / "roster.csv", due="2025-03-02T08:59:00+09:00")   # = DUE
    assert {s: late for s, _, _, late in r.collected} == {"ada": False, "alan": True}
    with Gradebook(course.api.coursedir.db_url, "cs231n-foundations") as gb:
        assert gb.find_assignment(A).duedate == DUE.replace(tzinfo=None)


def test_canvas_late_mark_without_a_due_date_is_noted(course, tmp_path):
    z = make_zip(tmp_path / "dl.zip", [("turingalan_LATE_102_9002_neurons.ipynb", nb_bytes("b"), DUE)])
    r = course.collect_zip(z, A, tmp_path / "roster.csv")
    assert r.collected[0][3] is False and "no due date is known" in r.notes[0]


@pytest.mark.parametrize("text, message", [
    ("student_id,name\nada,Ada\n", "expected student_id and canvas_id"),
    ("student_id,canvas_id\n../x,101\n", "is not a folder name"),
    ("student_id,canvas_id\nada,101\nalan,101\n", "canvas_id 101 is also ada's")])
def test_a_bad_roster_says_what_was_expected(course, tmp_path, text, message):
    (tmp_path / "bad.csv").write_text(text)
    z = make_zip(tmp_path / "dl.zip", [("lovelaceada_101_9001_neurons.ipynb", nb_bytes("a"), DUE)])
    with pytest.raises(CourseError, match=message):
        course.collect_zip(z, A, tmp_path / "bad.csv")
    assert not submitted(course).exists()


def test_bad_due_date_and_unknown_assignment_are_clear(course, tmp_path):
    z = make_zip(tmp_path / "dl.zip", [("lovelaceada_101_9001_neurons.ipynb", nb_bytes("a"), DUE)])
    with pytest.raises(CourseError, match="not an ISO date-time"):
        course.collect_zip(z, A, tmp_path / "roster.csv", due="next friday")
    with pytest.raises(CourseError, match="unknown assignment"):
        course.collect_zip(z, "99_nothing", tmp_path / "roster.csv")
    assert not submitted(course).exists()


@pytest.mark.parametrize("hours_late, fraction", [(0, 0), (0.01, 0.1), (24, 0.1), (24.5, 0.2), (36, 0.2),
                                                  (24 * 5, 0.5), (24 * 9, 0.5)])
def test_the_late_policy(hours_late, fraction):
    assert late_penalty(12.0, hours_late * 3600) == pytest.approx(12.0 * fraction)


@pytest.mark.slow
def test_late_submission_loses_exactly_the_policy_in_grades_csv_and_the_canvas_csv(tmp_path):
    shutil.copytree(NOTEBOOKS / A, tmp_path / "notebooks" / A)
    # The submissions are the course's own reference solution: graded without the sandbox, which
    # this test is not about (test_isolation is), so it runs wherever the course is importable.
    course = Course(tmp_path, isolate=False)
    course.release([A])
    course.sample_class([A])
    right = submitted(course, "sample-reference", A, NB).read_bytes()
    shutil.rmtree(submitted(course))
    (tmp_path / "roster.csv").write_text(ROSTER)
    z = make_zip(tmp_path / "dl.zip", [
        ("lovelaceada_101_9001_neurons.ipynb", right, DUE - timedelta(hours=1)),          # on time
        ("turingalan_LATE_102_9002_neurons.ipynb", right, DUE + timedelta(hours=30)),     # 2 started days late
        ("Grace Hopper_301_assignsubmission_file_/neurons.ipynb", b"{not json", DUE)])     # cannot be graded
    course.collect_zip(z, A, tmp_path / "roster.csv", due=DUE)
    outcomes = course.autograde([A], jobs=2)
    assert [o.graded for o in outcomes.values()] == [True, True, False]
    rows = {r["student_id"]: r for r in csv.DictReader(open(course.export_grades()))}
    full = float(rows["ada"]["raw_score"])                  # every autograded point (by hand: not yet)
    assert full == 15
    assert float(rows["ada"]["score"]) == pytest.approx(full)
    assert float(rows["ada"]["late_submission_penalty"]) == 0
    assert float(rows["alan"]["raw_score"]) == pytest.approx(full)
    assert float(rows["alan"]["late_submission_penalty"]) == pytest.approx(0.2 * full)
    assert float(rows["alan"]["score"]) == pytest.approx(0.8 * full)
    assert rows["grace"]["score"] == "" and rows["grace"]["status"].startswith("not graded")
    assert f"{0.8 * full:g} / 19 (late: -{0.2 * full:g})" in course.gradebook_table()
    out = subprocess.run([sys.executable, "-m", "cs231n_course", "--root", str(tmp_path), "export-canvas",
                          "-a", A, "--roster", str(tmp_path / "roster.csv"), "--column", "Neurons (555)"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    table = list(csv.reader(open(tmp_path / "canvas_grades.csv")))
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Neurons (555)"]
    assert table[1][0] == "Points Possible" and float(table[1][5]) == float(rows["ada"]["max_score"])
    body = {r[2]: r for r in table[2:]}
    assert body["ada"][:2] == ["Lovelace, Ada", "101"] and float(body["ada"][5]) == pytest.approx(full)
    assert float(body["alan"][5]) == pytest.approx(round(0.8 * full, 2))
    assert body["grace"][5] == ""                           # not graded: empty, never 0
