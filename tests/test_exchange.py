"""A term through nbgrader's exchange, on a temporary exchange folder (slow: real nbgrader, sealed grading).

The instructor uses the course commands (publish, collect, autograde,
return-feedback); the students are simulated as nbgrader's own tests do, by
running nbgrader's ExchangeFetchAssignment, ExchangeSubmit and
ExchangeFetchFeedback with each student's own id, home folder and cache (as
one Unix user; tests/test_hub.py has real Unix users on a real JupyterHub).

- alice submits the reference solution, bob the sample class's mistakes,
- carol submits the reference solution after the due date,
- dave submits twice: the untouched release, then the reference solution.
"""
import datetime
import shutil
import subprocess
import sys
import time

import nbformat
import pytest

from cs231n_course.course import COURSE_ID, Course, CourseError
from cs231n_course.sample_class import mistakes_file, sample_submissions
from cs231n_course.variants import load_variants
from conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow
A = "01_neurons"
STUDENTS = ("alice", "bob", "carol", "dave")


def student_app(kind, student, home, exchange, assignment=A):
    """Run nbgrader's exchange step ``kind`` (FetchAssignment, Submit, FetchFeedback) as ``student``."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import default
    from traitlets.config import Config
    c = Config()
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.student_id = student
    c.CourseDirectory.assignment_id = assignment
    c.CourseDirectory.root = str(home)
    c.Exchange.root = str(exchange)
    c.Exchange.assignment_dir = str(home)
    c.Exchange.cache = str(home / ".nbgrader_cache")
    coursedir = CourseDirectory(config=c)
    app = getattr(default, f"Exchange{kind}")(coursedir=coursedir, authenticator=Authenticator(config=c), config=c)
    app.start()
    return app


def work(home, kind):
    """Fill the student's fetched notebook with the reference solution, the sample mistakes, or nothing."""
    path = home / A / "neurons.ipynb"
    release_nb = nbformat.read(path, as_version=4)
    source_nb = nbformat.read(NOTEBOOKS / A / "neurons.ipynb", as_version=4)
    subs = sample_submissions(release_nb, source_nb, load_variants(mistakes_file(A)))
    nbformat.write({"reference": subs["sample-reference"], "mistakes": subs["sample-mistakes"],
                    "blank": release_nb}[kind], path)


def course_cli(root, exchange, *args):
    return subprocess.run([sys.executable, "-m", "cs231n_course", "--root", str(root), "--exchange", str(exchange),
                           *args], capture_output=True, text=True, timeout=1200, cwd=ROOT)


def score(html):
    import re
    return re.search(r"Score: ([\d.]+) / ([\d.]+)", html).groups()


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("term")
    root, exchange = tmp / "course", tmp / "exchange"
    shutil.copytree(NOTEBOOKS / A, root / "notebooks" / A)
    exchange.mkdir(mode=0o1777)
    exchange.chmod(0o1777)
    homes = {s: tmp / "home" / s for s in STUDENTS}
    for h in homes.values():
        h.mkdir(parents=True)
    out = {}

    course = Course(root, exchange=exchange)
    course.release([A])                                    # so that publishing takes a moment only
    due = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=25)
    out["publish"] = course_cli(root, exchange, "publish", "-a", A, "--due", due.isoformat())
    assert out["publish"].returncode == 0, out["publish"].stdout + out["publish"].stderr
    for s in STUDENTS:
        student_app("FetchAssignment", s, homes[s], exchange)
    for s, kind in [("alice", "reference"), ("bob", "mistakes"), ("dave", "blank")]:
        work(homes[s], kind)
        student_app("Submit", s, homes[s], exchange)
    time.sleep(1.1)                                        # timestamps are to the microsecond, but be sure
    work(homes["dave"], "reference")
    student_app("Submit", "dave", homes["dave"], exchange)
    assert datetime.datetime.now(datetime.timezone.utc) < due, "the machine was too slow for this test's due date"
    time.sleep((due - datetime.datetime.now(datetime.timezone.utc)).total_seconds() + 1)
    work(homes["carol"], "reference")
    student_app("Submit", "carol", homes["carol"], exchange)

    out["collect"] = course_cli(root, exchange, "collect", "-a", A)
    out["autograde"] = course_cli(root, exchange, "autograde", "-a", A, "--jobs", "2")
    out["return"] = course_cli(root, exchange, "return-feedback", "-a", A)
    for step in ("collect", "autograde", "return"):
        assert out[step].returncode == 0, f"{step}:\n{out[step].stdout}{out[step].stderr}"
    fetched = {}
    for s in STUDENTS:
        student_app("FetchFeedback", s, homes[s], exchange)
        fetched[s] = sorted((homes[s] / A / "feedback").glob("*/*.html"))
    return dict(root=root, exchange=exchange, homes=homes, out=out, fetched=fetched, due=due)


def test_publish_puts_the_release_in_the_exchange_with_its_due_date(term):
    from nbgrader.api import Gradebook
    assert "due" in term["out"]["publish"].stdout
    outbound = term["exchange"] / COURSE_ID / "outbound" / A / "neurons.ipynb"
    assert outbound.read_bytes() == (term["root"] / "release" / A / "neurons.ipynb").read_bytes()
    with Gradebook(f"sqlite:///{term['root'] / 'gradebook.db'}", COURSE_ID) as gb:
        due = gb.find_assignment(A).duedate
    assert abs((due - term["due"].replace(tzinfo=None)).total_seconds()) < 1e-3
    for s, home in term["homes"].items():
        assert (home / A / "neurons.ipynb").exists()


def test_collect_takes_each_latest_submission_and_says_which_are_late(term):
    out = term["out"]["collect"]
    assert out.returncode == 0, out.stdout + out.stderr
    assert "carol / 01_neurons: collected, LATE by" in out.stdout
    for s in ("alice", "bob", "dave"):
        assert f"{s} / 01_neurons: collected\n" in out.stdout
    for s in STUDENTS:
        assert (term["root"] / "submitted" / s / A / "timestamp.txt").exists()


def test_autograde_is_sealed_and_nbgrader_marks_the_late_submission(term):
    from nbgrader.api import Gradebook
    out = term["out"]["autograde"]
    assert out.returncode == 0, out.stdout + out.stderr
    status = Course(term["root"]).grading_status()
    assert all(status[f"{s}/{A}"]["isolated"] for s in STUDENTS)
    with Gradebook(f"sqlite:///{term['root'] / 'gradebook.db'}", COURSE_ID) as gb:
        subs = {s: gb.find_submission(A, s) for s in STUDENTS}
        late = {s: sub.total_seconds_late for s, sub in subs.items()}
        points = {s: sub.score for s, sub in subs.items()}
    assert late["carol"] > 0 and all(late[s] == 0 for s in ("alice", "bob", "dave"))
    assert points["alice"] == points["carol"] == points["dave"] > points["bob"]   # dave's second one counts


def test_each_student_fetches_their_own_feedback_and_no_one_elses(term):
    from nbgrader.utils import notebook_hash
    out = term["out"]["return"]
    assert out.returncode == 0, out.stdout + out.stderr
    released = {p.name for p in (term["exchange"] / COURSE_ID / "feedback").glob("*.html")}
    assert len(released) == len(STUDENTS)                            # one page per student's collected submission
    for s in STUDENTS:
        secret = (term["root"] / "submitted" / s / A / "submission_secret.txt").read_text()
        own = f"{notebook_hash(secret=secret, notebook_id='neurons')}.html"
        assert own in released
        assert len(term["fetched"][s]) == 1, term["fetched"][s]      # dave: only his latest submission's
        got = term["fetched"][s][0].read_text()
        assert got == (term["exchange"] / COURSE_ID / "feedback" / own).read_text()
        assert got == (term["root"] / "feedback" / s / A / "neurons.html").read_text()
        # the page's name is the submission's secret, which only this student's own cache holds
        caches = [p for o in STUDENTS for p in (term["homes"][o] / ".nbgrader_cache").rglob("submission_secret.txt")
                  if p.read_text() == secret]
        assert caches and all(term["homes"][s] in p.parents for p in caches)
    pages = {s: term["fetched"][s][0].read_text() for s in STUDENTS}
    assert score(pages["alice"]) == score(pages["dave"]) != score(pages["bob"])
    # carol's page shows her score after the course's late policy (course.config.late_penalty)
    from nbgrader.api import Gradebook
    from cs231n_course.course.config import late_penalty
    with Gradebook(f"sqlite:///{term['root'] / 'gradebook.db'}", COURSE_ID) as gb:
        seconds_late = gb.find_submission(A, "carol").total_seconds_late
    earned, possible = map(float, score(pages["alice"]))
    assert seconds_late > 0 and late_penalty(earned, seconds_late) > 0
    assert tuple(map(float, score(pages["carol"]))) == (earned - late_penalty(earned, seconds_late), possible)


def test_a_missing_or_unwritable_exchange_is_a_clear_error(tmp_path):
    root = tmp_path / "course"
    shutil.copytree(NOTEBOOKS / A, root / "notebooks" / A)
    out = course_cli(root, tmp_path / "nowhere", "publish", "-a", A)
    assert out.returncode == 1 and "does not exist" in out.stdout and "install -d -m 1777" in out.stdout
    out = course_cli(root, tmp_path / "nowhere", "collect", "-a", A)
    assert out.returncode == 1 and "does not exist" in out.stdout
    with pytest.raises(CourseError, match="not an ISO 8601"):
        (tmp_path / "x").mkdir()
        Course(root, exchange=tmp_path / "x").publish([A], due="next friday")
