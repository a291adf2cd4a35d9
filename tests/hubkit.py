"""A course's JupyterHub on localhost, for tests (tests/test_hub.py, tests/test_browser.py).

`HubKit` is what every hub of a test session shares and is slow to make (once per session, fixture
`hub_kit` in conftest.py): the student wheel, the student environment built from it as deploy/start.sh
builds it (a virtual environment of the system's Python: the student wheel with JupyterLab, nbgrader,
the Korean language pack and JupyterHub; no answer key) and configurable-http-proxy from npm.

`running_hub` is one class: Unix users for its students (created and removed), a course folder with
one assignment in the class's language, an exchange (1777), deploy/roles, and JupyterHub with
deploy/jupyterhub_config.py on 127.0.0.1. When it ends, the hub, the proxy, every process of the
class's users, the users and their folders are gone.
"""
import contextlib
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

from cs231n_course.course.config import course_language
from conftest import NOTEBOOKS, ROOT

SYSTEM_PYTHON = "/usr/bin/python3"       # readable by every user, unlike a Python under /root
DEPLOY = ROOT / "deploy"


def missing():
    """Why a hub cannot run here (None when it can)."""
    if os.geteuid() != 0:
        return "needs root (creates Unix users; the hub starts each user's server as that user)"
    for tool in ("useradd", "userdel", "runuser", "chpasswd", "npm", "bwrap"):
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


def course_cli(root, exchange, *args):
    return subprocess.run([sys.executable, "-m", "cs231n_course", "--root", str(root), "--exchange", str(exchange),
                           *args], capture_output=True, text=True, timeout=1200, cwd=ROOT)


class HubKit:
    """The student environment and the proxy, made once (see the module's docstring)."""

    def __init__(self, base):
        self.base = Path(base)
        self.base.chmod(0o755)
        dist = self.base / "dist"
        wheel = run([sys.executable, "-m", "cs231n_course", "--root", str(self.base), "student-wheel", "--out",
                     str(dist)], cwd=ROOT).stdout.strip().rsplit(" ", 1)[-1]
        self.venv = self.base / "student-venv"
        run([SYSTEM_PYTHON, "-m", "venv", str(self.venv)])
        jupyterhub = run(["grep", "-o", 'jupyterhub[^"]*', str(ROOT / "instructor" / "pyproject.toml")]).stdout.strip()
        run([str(self.venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[lab,ko]", jupyterhub],
            timeout=900)
        run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(self.base / "proxy"),
             "configurable-http-proxy"], timeout=300)
        self.proxy = self.base / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
        run(["chmod", "-R", "a+rX", str(self.base)])


class Hub:
    """The hub's REST API, with the course-admin service's token (or a user's)."""

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
        self.wait_ready(user)

    def wait_ready(self, user):
        for _ in range(240):
            if self.request("GET", f"/hub/api/users/{user}")["servers"].get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"the server of {user} did not start")

    def stop_server(self, user):
        self.request("DELETE", f"/hub/api/users/{user}/server")
        for _ in range(120):
            if not self.request("GET", f"/hub/api/users/{user}")["servers"]:
                return
            time.sleep(0.5)
        raise AssertionError(f"the server of {user} did not stop")


class Class:
    """One running class: `hub`, `users` (name -> Unix user), `passwords`, `root`, `exchange`, `base`."""


def users_processes(users):
    out = subprocess.run(["ps", "-o", "pid=", "-u", ",".join(users)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


@contextlib.contextmanager
def running_hub(kit, students, assignment, prefix, lang="en"):
    """A class of `students` (short names; Unix users `prefix + name`) on a hub; see the module's docstring."""
    base = Path(tempfile.mkdtemp(prefix="cs231n-hub-", dir="/tmp"))
    base.chmod(0o755)
    cls = Class()
    cls.base, cls.users = base, {s: prefix + s for s in students}
    cls.passwords = {s: secrets.token_urlsafe(12) for s in students}
    made_users, hub_proc, log = [], None, None
    try:
        (base / "home").mkdir(mode=0o755)
        for s, u in cls.users.items():
            run(["useradd", "--create-home", "--home-dir", str(base / "home" / u), "--shell", "/usr/sbin/nologin",
                 "--user-group", u])
            made_users.append(u)
            (base / "home" / u).chmod(0o700)
            run(["chpasswd"], input=f"{u}:{cls.passwords[s]}\n")
        cls.root, cls.exchange = base / "course", base / "exchange"
        state, roles = base / "state", base / "roles"
        shutil.copytree(NOTEBOOKS / assignment, cls.root / "notebooks" / assignment)
        if lang != "en":
            (cls.root / "translations" / lang).mkdir(parents=True)
            shutil.copy(ROOT / "translations" / lang / f"{assignment}.md", cls.root / "translations" / lang)
            course_language(cls.root, lang)         # remembered in the course folder, read by the hub
        cls.exchange.mkdir(mode=0o1777)
        cls.exchange.chmod(0o1777)
        state.mkdir(mode=0o700)
        shutil.copytree(DEPLOY / "roles", roles)
        run(["chmod", "-R", "a+rX", str(roles)])
        port, hub_port, proxy_api = free_port(), free_port(), free_port()
        token = secrets.token_hex(32)
        (state / "test_config.py").write_text(
            f"load_subconfig({str(DEPLOY / 'jupyterhub_config.py')!r})\n"
            f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{hub_port}'\n"
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{proxy_api}'\n"
            f"c.ConfigurableHTTPProxy.command = [{str(kit.proxy)!r}]\n")
        env = dict(os.environ, CS231N_HUB_STATE=str(state), CS231N_STUDENT_VENV=str(kit.venv),
                   CS231N_COURSE_VENV=sys.prefix, CS231N_EXCHANGE=str(cls.exchange), CS231N_ROLES=str(roles),
                   CS231N_COURSE_ROOT=str(cls.root), CS231N_STUDENTS=",".join(cls.users.values()),
                   CS231N_INSTRUCTORS="",
                   CS231N_HUB_URL=f"http://127.0.0.1:{port}", CS231N_HUB_SERVICE_TOKEN=token)
        log = open(state / "hub.log", "w")
        hub_proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(state / "test_config.py")],
                                    cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        cls.hub = Hub(f"http://127.0.0.1:{port}", token)
        cls.log = state / "hub.log"
        for _ in range(120):
            try:
                cls.hub.request("GET", "/hub/api/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert hub_proc.poll() is None, cls.log.read_text()
                time.sleep(0.5)
        yield cls
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
