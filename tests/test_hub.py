"""A term on a real JupyterHub started by deploy/start.sh, on localhost (slow; run in CI, as root).

The class (tests/hubkit.py: four Unix students and an instructor, their homes, the course folder, the
exchange, the hub, the proxy and the users' servers, all on 127.0.0.1) is made and removed by the test.

The instructor ada (her own Unix user in group instructors, running the course commands in the course
folder as in a terminal on the hub's machine) publishes 01_neurons with a due date; each student, through the hub's REST API and their own server (nbgrader's Assignments
handlers and Jupyter's contents API, with their own token), fetches it, writes their work and
submits: alice the reference solution, bob the sample class's mistakes, carol the reference
solution after the due date, dave the untouched release and then the reference solution. The
instructor collects, autogrades one submission with formgrader in her JupyterLab (nbgrader's API) and
all of them with the course's command (sealed, both, as her unprivileged user) and returns feedback; each student fetches feedback and
gets their own page and score, and cannot list the exchange's feedback or read another's home.
"""
import datetime
import subprocess
import time
import urllib.parse

import nbformat
import pytest

from cs231n_course.course import COURSE_ID, Course
from cs231n_course.sample_class import mistakes_file, sample_submissions
from cs231n_course.variants import load_variants
from conftest import NOTEBOOKS
from hubkit import running_hub

pytestmark = pytest.mark.slow
A = "01_neurons"
STUDENTS = {"alice": "reference", "bob": "mistakes", "carol": "reference", "dave": "reference"}
INSTRUCTOR = "ada"
PREFIX = "cs231nt-"                      # the test's Unix users: cs231nt-alice, ...


class HubUser:
    """A user (a student, or the instructor) using their own server through the hub's proxy, with their own token."""

    def __init__(self, hub, user):
        self.hub, self.user = hub, user
        self.token = hub.request("POST", f"/hub/api/users/{user}/tokens",
                                 {"note": "test", "scopes": [f"access:servers!user={user}"]})["token"]

    def call(self, method, path, body=None, raw=False):
        return self.hub.request(method, f"/user/{self.user}{path}", body, token=self.token, raw=raw)

    def assignments(self, action):
        return self.call("POST", f"/assignments/{action}", {"course_id": COURSE_ID, "assignment_id": A})

    def read(self, path, fmt=None):
        return self.call("GET", f"/api/contents/{urllib.parse.quote(path)}" + (f"?format={fmt}" if fmt else ""))

    def work(self, kind):
        model = self.read(f"{A}/neurons.ipynb")
        release_nb = nbformat.from_dict(model["content"])
        source_nb = nbformat.read(NOTEBOOKS / A / "neurons.ipynb", as_version=4)
        subs = sample_submissions(release_nb, source_nb, load_variants(mistakes_file(A)))
        nb = {"reference": subs["sample-reference"], "mistakes": subs["sample-mistakes"], "blank": release_nb}[kind]
        self.call("PUT", f"/api/contents/{A}/neurons.ipynb", {"type": "notebook", "format": "json", "content": nb})

    def submit(self):
        out = self.assignments("submit")
        assert not (isinstance(out, dict) and out.get("success") is False), out


@pytest.fixture(scope="module")
def term(hub_kit):
    with running_hub(hub_kit, STUDENTS, A, PREFIX, instructors=[INSTRUCTOR]) as cls:
        hub, root, exchange, base = cls.hub, cls.root, cls.exchange, cls.base
        users, ada = {s: cls.users[s] for s in STUDENTS}, cls.users[INSTRUCTOR]
        for u in cls.users.values():
            hub.start_server(u)
        students = {s: HubUser(hub, u) for s, u in users.items()}
        instructor = HubUser(hub, ada)
        groups = {g["name"]: g["users"] for g in hub.request("GET", "/hub/api/groups")}

        def course(*args):
            """A course command, as the instructor runs it in a terminal on the hub's machine."""
            proc = cls.instructor_cli(ada, *args)
            assert proc.returncode == 0, f"{args}:\n{proc.stdout}{proc.stderr}"
            return proc

        course("release", "-a", A)
        due = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=45)
        out = {"publish": course("publish", "-a", A, "--due", due.isoformat())}
        listed = {s: st.call("GET", f"/assignments?course_id={COURSE_ID}") for s, st in students.items()}
        for s, st in students.items():
            st.assignments("fetch")
        for s in ("alice", "bob", "dave"):
            students[s].work("blank" if s == "dave" else STUDENTS[s])
            students[s].submit()
        time.sleep(1.1)
        students["dave"].work("reference")
        students["dave"].submit()
        assert datetime.datetime.now(datetime.timezone.utc) < due, "the machine was too slow for this test's due date"
        time.sleep((due - datetime.datetime.now(datetime.timezone.utc)).total_seconds() + 1)
        students["carol"].work("reference")
        students["carol"].submit()

        out["collect"] = course("collect", "-a", A)
        # formgrader in the instructor's JupyterLab: nbgrader's own autograde, with the course's settings
        formgrader = instructor.call("POST", f"/formgrader/api/submission/{A}/{users['alice']}/autograde")
        from nbgrader.api import Gradebook
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}", COURSE_ID) as gb:
            after_formgrader = gb.find_submission(A, users["alice"]).score
        out["autograde"] = course("autograde", "-a", A, "--jobs", "2")
        out["return"] = course("return-feedback", "-a", A)
        fetched = {}
        for s, st in students.items():
            st.assignments("fetch_feedback")
            stamps = st.read(f"{A}/feedback")["content"]
            fetched[s] = [st.read(f"{d['path']}/neurons.html", "text")["content"] for d in stamps]
        # what a student may see of the exchange and of each other, as their own Unix user
        peeks = {
            "list feedback": subprocess.run(["runuser", "-u", users["alice"], "--", "ls",
                                             str(exchange / COURSE_ID / "feedback")], capture_output=True),
            "read bob's home": subprocess.run(["runuser", "-u", users["alice"], "--", "ls",
                                               str(base / "home" / users["bob"])], capture_output=True),
            "list inbound": subprocess.run(["runuser", "-u", users["alice"], "--", "ls",
                                            str(exchange / COURSE_ID / "inbound")], capture_output=True),
        }
        yield dict(root=root, exchange=exchange, users=users, out=out, fetched=fetched, due=due, listed=listed,
                   groups=groups, peeks=peeks, hub=hub, venv=hub_kit.venv, ada=ada, formgrader=formgrader,
                   after_formgrader=after_formgrader)


def test_students_are_hub_users_in_the_students_group_with_their_own_servers(term):
    assert sorted(term["groups"]["students"]) == sorted(term["users"].values())
    assert term["groups"]["instructors"] == [term["ada"]]
    for s, listed in term["listed"].items():
        assert [a["assignment_id"] for a in listed["value"]] == [A], listed


def test_the_student_environment_has_no_answer_key(term):
    proc = subprocess.run([str(term["venv"] / "bin" / "python"), "-c", "import cs231n_course"], capture_output=True)
    assert proc.returncode != 0


def test_collect_marks_the_late_one_and_takes_the_latest(term):
    from nbgrader.api import Gradebook
    out = term["out"]["collect"].stdout
    u = term["users"]
    assert f"{u['carol']} / {A}: collected, LATE by" in out
    for s in ("alice", "bob", "dave"):
        assert f"{u[s]} / {A}: collected\n" in out
    with Gradebook(f"sqlite:///{term['root'] / 'gradebook.db'}", COURSE_ID) as gb:
        subs = {s: gb.find_submission(A, u[s]) for s in STUDENTS}
        late = {s: sub.total_seconds_late for s, sub in subs.items()}
        points = {s: sub.score for s, sub in subs.items()}
    assert late["carol"] > 0 and all(late[s] == 0 for s in ("alice", "bob", "dave"))
    assert points["alice"] == points["carol"] == points["dave"] > points["bob"]
    status = Course(term["root"]).grading_status()
    assert all(status[f"{u[s]}/{A}"]["isolated"] for s in STUDENTS)


def test_each_student_fetches_only_their_own_feedback(term):
    import re
    u = term["users"]
    scores = {}
    for s in STUDENTS:
        assert len(term["fetched"][s]) == 1, term["fetched"][s]       # dave: his latest submission's only
        got = term["fetched"][s][0]
        assert got == (term["root"] / "feedback" / u[s] / A / "neurons.html").read_text()
        scores[s] = re.search(r"Score: ([\d.]+) / ([\d.]+)", got).groups()
    assert scores["alice"] == scores["dave"] != scores["bob"]
    # carol's page shows her score after the course's late policy (course.config.late_penalty)
    from nbgrader.api import Gradebook
    from cs231n_course.course.config import late_penalty
    with Gradebook(f"sqlite:///{term['root'] / 'gradebook.db'}", COURSE_ID) as gb:
        seconds_late = gb.find_submission(A, u["carol"]).total_seconds_late
    earned, possible = map(float, scores["alice"])
    assert seconds_late > 0 and late_penalty(earned, seconds_late) > 0
    assert tuple(map(float, scores["carol"])) == (earned - late_penalty(earned, seconds_late), possible)
    for what, proc in term["peeks"].items():
        assert proc.returncode != 0, f"a student could {what}: {proc.stdout}"


def test_formgrader_on_the_instructors_server_grades_with_the_sealed_grader(term):
    """The instructor's formgrader runs nbgrader's autograde with the course's settings: the sealed
    grader (which refuses to grade where it cannot isolate), as her own unprivileged Unix user, with the
    score the course's own command gives."""
    log = term["formgrader"].get("log", "")
    assert term["formgrader"].get("success") is True, term["formgrader"]
    assert "Applying preprocessor: SealedExecute" in log and "Applying preprocessor: Execute\n" not in log, log
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{term['root'] / 'gradebook.db'}", COURSE_ID) as gb:
        dave = gb.find_submission(A, term["users"]["dave"]).score
    assert term["after_formgrader"] == dave > 0
