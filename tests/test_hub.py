"""A term on a real JupyterHub with deploy/jupyterhub_config.py, on localhost (slow; run in CI, as root).

The test makes, and removes afterwards: four Unix users (the students), a folder under /tmp holding
their homes, the exchange (1777), the course folder, the student environment (a virtual environment
of the system's Python with the student wheel, JupyterLab, nbgrader and JupyterHub, as deploy/start.sh
makes it), configurable-http-proxy (npm) and the hub's state; and the hub, the proxy and the students'
servers, all on 127.0.0.1.

The instructor (root, in the course folder, as on the hub's machine) publishes 01_neurons with a due
date; each student, through the hub's REST API and their own server (nbgrader's Assignments
handlers and Jupyter's contents API, with their own token), fetches it, writes their work and
submits: alice the reference solution, bob the sample class's mistakes, carol the reference
solution after the due date, dave the untouched release and then the reference solution. The
instructor collects, autogrades (sealed) and returns feedback; each student fetches feedback and
gets their own page and score, and cannot list the exchange's feedback or read another's home.
"""
import datetime
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from cs231n_course.course import COURSE_ID, Course
from cs231n_course.sample_class import mistakes_file, sample_submissions
from cs231n_course.variants import load_variants
from conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow
A = "01_neurons"
STUDENTS = {"alice": "reference", "bob": "mistakes", "carol": "reference", "dave": "reference"}
PREFIX = "cs231nt-"                      # the test's Unix users: cs231nt-alice, ...
SYSTEM_PYTHON = "/usr/bin/python3"       # readable by every user, unlike a Python under /root


def missing():
    if os.geteuid() != 0:
        return "needs root (creates Unix users; the hub starts each user's server as that user)"
    for tool in ("useradd", "userdel", "runuser", "npm", "bwrap"):
        if shutil.which(tool) is None:
            return f"needs {tool}"
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"needs {SYSTEM_PYTHON}"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{cmd}:\n{proc.stdout}\n{proc.stderr}"
    return proc


class Hub:
    def __init__(self, url, token):
        self.url, self.token = url, token

    def request(self, method, path, body=None, token=None, raw=False):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Authorization": f"token {token or self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            text = r.read().decode()
        return text if raw else (json.loads(text) if text else None)

    def start_server(self, user):
        try:
            self.request("POST", f"/hub/api/users/{user}/server")
        except urllib.error.HTTPError as e:
            assert e.code == 400, e.read()          # 400: already running
        for _ in range(240):
            if self.request("GET", f"/hub/api/users/{user}")["servers"].get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"the server of {user} did not start")


class Student:
    """A student using their own server through the hub's proxy, with their own token."""

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


def course_cli(root, exchange, *args):
    return subprocess.run([sys.executable, "-m", "cs231n_course", "--root", str(root), "--exchange", str(exchange),
                           *args], capture_output=True, text=True, timeout=1200, cwd=ROOT)


def users_processes(users):
    out = subprocess.run(["ps", "-o", "pid=", "-u", ",".join(users)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


@pytest.fixture(scope="module")
def term():
    why = missing()
    if why:
        pytest.skip(why)
    base = Path(tempfile.mkdtemp(prefix="cs231n-hub-", dir="/tmp"))
    base.chmod(0o755)
    users = {s: PREFIX + s for s in STUDENTS}
    made_users, hub_proc, log = [], None, None
    try:
        (base / "home").mkdir(mode=0o755)
        for u in users.values():
            run(["useradd", "--create-home", "--home-dir", str(base / "home" / u), "--shell", "/usr/sbin/nologin",
                 "--user-group", u])
            made_users.append(u)
            (base / "home" / u).chmod(0o700)
        root, exchange, state, roles = base / "course", base / "exchange", base / "state", base / "roles"
        shutil.copytree(NOTEBOOKS / A, root / "notebooks" / A)
        exchange.mkdir(mode=0o1777)
        exchange.chmod(0o1777)
        state.mkdir(mode=0o700)
        shutil.copytree(ROOT / "deploy" / "roles", roles)
        run(["chmod", "-R", "a+rX", str(roles)])
        # The student environment, as deploy/start.sh makes it: the student wheel, no answer key.
        wheel = run([sys.executable, "-m", "cs231n_course", "--root", str(root), "student-wheel", "--out",
                     str(state / "dist")], cwd=ROOT).stdout.strip().rsplit(" ", 1)[-1]
        venv = base / "student-venv"
        run([SYSTEM_PYTHON, "-m", "venv", str(venv)])
        run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[lab]", "jupyterhub>=5.2"],
            timeout=600)
        run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(base / "proxy"),
             "configurable-http-proxy"], timeout=300)
        port, hub_port, proxy_api = free_port(), free_port(), free_port()
        token = secrets.token_hex(32)
        (state / "test_config.py").write_text(
            f"load_subconfig({str(ROOT / 'deploy' / 'jupyterhub_config.py')!r})\n"
            f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{hub_port}'\n"
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{proxy_api}'\n"
            f"c.ConfigurableHTTPProxy.command = [{str(base / 'proxy' / 'node_modules' / '.bin' / 'configurable-http-proxy')!r}]\n")
        env = dict(os.environ, CS231N_HUB_STATE=str(state), CS231N_STUDENT_VENV=str(venv),
                   CS231N_COURSE_VENV=sys.prefix, CS231N_EXCHANGE=str(exchange), CS231N_ROLES=str(roles),
                   CS231N_COURSE_ROOT=str(root), CS231N_STUDENTS=",".join(users.values()), CS231N_INSTRUCTORS="",
                   CS231N_HUB_URL=f"http://127.0.0.1:{port}", CS231N_HUB_SERVICE_TOKEN=token)
        log = open(state / "hub.log", "w")
        hub_proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(state / "test_config.py")],
                                    cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        hub = Hub(f"http://127.0.0.1:{port}", token)
        for _ in range(120):
            try:
                hub.request("GET", "/hub/api/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert hub_proc.poll() is None, (state / "hub.log").read_text()
                time.sleep(0.5)
        for u in users.values():
            hub.start_server(u)
        students = {s: Student(hub, u) for s, u in users.items()}
        groups = {g["name"]: g["users"] for g in hub.request("GET", "/hub/api/groups")}

        course = Course(root, exchange=exchange)
        course.release([A])
        due = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=45)
        out = {"publish": course_cli(root, exchange, "publish", "-a", A, "--due", due.isoformat())}
        assert out["publish"].returncode == 0, out["publish"].stdout + out["publish"].stderr
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

        for step, args in [("collect", ()), ("autograde", ("--jobs", "2")), ("return", ())]:
            out[step] = course_cli(root, exchange, "return-feedback" if step == "return" else step, "-a", A, *args)
            assert out[step].returncode == 0, f"{step}:\n{out[step].stdout}{out[step].stderr}"
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
                   groups=groups, peeks=peeks, hub=hub, venv=venv)
    finally:
        if hub_proc is not None:
            hub_proc.terminate()                    # the hub stops the proxy and the users' servers
            try:
                hub_proc.wait(60)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(hub_proc.pid, 9)
            except ProcessLookupError:
                pass
            hub_proc.wait()
        if log is not None:
            log.close()
        if made_users:
            for _ in range(20):
                pids = users_processes(made_users)
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, 9)
                    except ProcessLookupError:
                        pass
                time.sleep(0.5)
        for u in made_users:
            subprocess.run(["userdel", "--remove", u], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_students_are_hub_users_in_the_students_group_with_their_own_servers(term):
    assert sorted(term["groups"]["students"]) == sorted(term["users"].values())
    assert term["groups"]["instructors"] == []
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
