"""Grading statuses survive anything, and grading without isolation is refused unless asked for (slow).

- A grading run killed with SIGKILL keeps every submission it finished (score
  in the gradebook, status in grading_status.json); the next run grades only
  what is missing, unless --force.
- On a machine without bubblewrap, autograde stops with a message that says
  what is missing and how to fix it; --no-isolation grades, and the CSV, the
  table and the report say so for every submission.
"""
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from cs231n_course import isolation
from cs231n_course.course import Course, CourseError
from cs231n_course.limits import Limits
from conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow
A, NB = "01_neurons", "neurons.ipynb"


def make_class(root, n):
    shutil.copytree(NOTEBOOKS / A, root / "notebooks" / A)
    course = Course(root)
    course.release([A])
    course.sample_class([A])
    for i in range(n):
        shutil.copytree(root / "submitted" / "sample-reference", root / "submitted" / f"student-{i}")
    return course


def command(root, *args):
    return [sys.executable, "-m", "cs231n_course", "--root", str(root), *args]


def test_a_killed_run_keeps_what_it_finished_and_the_next_run_grades_the_rest(tmp_path):
    course = make_class(tmp_path, 4)          # 7 submissions: 3 sample students + 4 copies
    status = tmp_path / "grading_status.json"
    run = subprocess.Popen(command(tmp_path, "autograde", "--jobs", "1"), cwd=ROOT, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        if status.exists() and len(json.loads(status.read_text())) >= 2:
            break
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    finished = json.loads(status.read_text())        # never a half-written file
    assert 2 <= len(finished) < 7, finished.keys()
    auto = {f"{r['student']}/{r['assignment']}": r["auto"] for r in course.gradebook_rows()}
    for key, entry in finished.items():
        assert entry["status"] == "graded" and entry["isolated"]
        assert auto[key] == sum(e for e, _ in entry["tests"]["neurons"].values())
    # the next run grades only what is missing ...
    again = course.autograde([A], jobs=2)
    assert {f"{s}/{a}" for s, a in again} == {f"{s}/{A}" for s, _ in course.submissions([A])} - set(finished)
    assert len(course.grading_status()) == 7
    assert course.autograde([A]) == {}
    # ... and everything with --force; a changed submission counts as new
    assert len(course.autograde([A], ["student-0", "student-1"], jobs=1, force=True)) == 2
    path = tmp_path / "submitted" / "student-2" / A / NB
    path.write_text(path.read_text().replace("return", "return  ", 1))
    assert list(course.autograde([A])) == [("student-2", A)]


def test_without_bubblewrap_grading_stops_and_says_how_to_fix_it(tmp_path, monkeypatch):
    course = make_class(tmp_path, 0)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))     # no bwrap on PATH
    isolation.isolation_problem.cache_clear()
    try:
        problem = isolation.isolation_problem()
        assert "bubblewrap" in problem and "apt-get install bubblewrap" in problem
        with pytest.raises(CourseError, match="--no-isolation"):
            course.autograde([A])
        assert not (tmp_path / "autograded").exists()
        cli = subprocess.run(command(tmp_path, "autograde"), cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "PATH": str(tmp_path / "empty-bin")}, timeout=300)
        assert cli.returncode == 1 and "bubblewrap" in cli.stdout and "--no-isolation" in cli.stdout
    finally:
        isolation.isolation_problem.cache_clear()


def test_grading_without_isolation_is_said_everywhere(tmp_path):
    make_class(tmp_path, 0)
    course = Course(tmp_path, limits=Limits(budget=120), isolate=False)
    outcomes = course.autograde([A], jobs=2)
    assert all(o.graded and not o.isolated for o in outcomes.values())
    with open(course.export_grades()) as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all("WITHOUT isolation" in r["isolation"] for r in rows)
    assert "NOT ISOLATED" in course.gradebook_table()
    report = (course.report() / "flagged.csv").read_text()
    assert all(f"{s},{A}" in report for s in ("sample-reference", "sample-blank", "sample-mistakes"))
    # an isolated run afterwards grades them again (a sandboxed grade is not the same thing)
    assert len(Course(tmp_path).autograde([A], jobs=2)) == 3
