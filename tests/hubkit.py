"""A course's JupyterHub on localhost, started the way deploy/README.md says: deploy/start.sh.

`HubKit` is what every hub of a test session shares and is slow to make (once per session, fixture
`hub_kit` in conftest.py): a copy of this checkout (start.sh takes its folder's permissions away from
other users, which the checkout the tests run from must keep), configurable-http-proxy from npm, and
what `deploy/start.sh --setup-only` makes from that copy: the course's environment and the student
environment (the student wheel with JupyterLab, nbgrader, the Korean language pack and JupyterHub; no
answer key).

`running_hub` is one class: Unix users for its students (created and removed), then `deploy/start.sh`
with the class's folders (course folder, exchange, roles, hub state) and the kit's environments, on
127.0.0.1. When it ends, the hub, the proxy, every process of the class's users, the users and their
folders are gone.
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
from conftest import ROOT


def missing():
    """Why a hub cannot run here (None when it can)."""
    if os.geteuid() != 0:
        return "needs root (creates Unix users; the hub starts each user's server as that user)"
    for tool in ("useradd", "userdel", "groupadd", "runuser", "chpasswd", "npm", "bwrap", "git"):
        if shutil.which(tool) is None:
            return f"needs {tool}"
    if not os.access("/usr/bin/python3", os.X_OK):
        return "needs /usr/bin/python3 (deploy/start.sh's Python for every user)"
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


def start_sh_env(kit, base, **extra):
    """deploy/start.sh's settings for a class whose folders are under ``base``."""
    return dict(os.environ, CS231N_COURSE_ROOT=str(base / "course"), CS231N_EXCHANGE=str(base / "exchange"),
                CS231N_HUB_STATE=str(base / "state"), CS231N_ROLES=str(base / "roles"),
                CS231N_COURSE_VENV=str(kit.course_venv), CS231N_STUDENT_VENV=str(kit.venv),
                PATH=f"{kit.proxy.parent}:{os.environ['PATH']}", **extra)


class HubKit:
    """The checkout's copy, the proxy and the two environments, made once (see the module's docstring)."""

    def __init__(self, base):
        self.base = Path(base)
        self.base.chmod(0o755)
        self.repo = self.base / "checkout"
        files = run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        for name in filter(None, files.stdout.split("\0")):
            if (ROOT / name).is_file():
                (self.repo / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, self.repo / name)
        run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(self.base / "proxy"),
             "configurable-http-proxy"], timeout=300)
        self.proxy = self.base / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
        self.course_venv, self.venv = self.base / "venv", self.base / "student-venv"
        self.setup = run(["bash", str(self.repo / "deploy" / "start.sh"), "--setup-only"],
                         env=start_sh_env(self, self.base / "setup"), timeout=1800)


class Hub:
    """The hub's REST API, with the course-admin service's token (or a user's)."""

    def __init__(self, url, token, log=None):
        self.url, self.token, self.log = url, token, log

    def log_tail(self):
        return "\n".join(self.log.read_text().splitlines()[-40:]) if self.log and self.log.exists() else ""

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
            assert e.code == 400, f"{e.read()}\nthe hub's log:\n{self.log_tail()}"   # 400: already running
        self.wait_ready(user)

    def wait_ready(self, user):
        for _ in range(240):
            if self.request("GET", f"/hub/api/users/{user}")["servers"].get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"the server of {user} did not start; the hub's log:\n{self.log_tail()}")


class Class:
    """One running class: `hub`, `users` (name -> Unix user), `instructors` (Unix users), `passwords`,
    `root`, `exchange`, `base`, `kit`."""

    def instructor_cli(self, user, *args):
        """A course command run by an instructor (``user``) in a terminal on the hub's machine."""
        env = {"HOME": str(self.base / "home" / user), "PATH": f"{self.kit.course_venv / 'bin'}:/usr/bin:/bin",
               "LANG": "C.UTF-8", "CS231N_EXCHANGE": str(self.exchange)}
        return subprocess.run(["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in env.items()),
                               str(self.kit.course_venv / "bin" / "python"), "-m", "cs231n_course", *args],
                              capture_output=True, text=True, timeout=1200, cwd=self.root)


def users_processes(users):
    out = subprocess.run(["ps", "-o", "pid=", "-u", ",".join(users)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


@contextlib.contextmanager
def running_hub(kit, students, assignment, prefix, lang="en", instructors=()):
    """A class of `students` and `instructors` (short names; Unix users `prefix + name`) on a hub; see the
    module's docstring.

    Only `assignment` is used, but the course folder has all of them, as start.sh makes it."""
    base = Path(tempfile.mkdtemp(prefix="cs231n-hub-", dir="/tmp"))
    base.chmod(0o755)
    cls = Class()
    cls.base, cls.users = base, {s: prefix + s for s in (*students, *instructors)}
    cls.instructors = [cls.users[s] for s in instructors]
    cls.passwords = {s: secrets.token_urlsafe(12) for s in cls.users}
    cls.root, cls.exchange, cls.log, cls.kit = base / "course", base / "exchange", base / "hub.log", kit
    made_users, hub_proc, log = [], None, None
    try:
        (base / "home").mkdir(mode=0o755)
        for s, u in cls.users.items():
            run(["useradd", "--create-home", "--home-dir", str(base / "home" / u), "--shell", "/usr/sbin/nologin",
                 "--user-group", u])
            made_users.append(u)
            (base / "home" / u).chmod(0o700)
            run(["chpasswd"], input=f"{u}:{cls.passwords[s]}\n")
        port, hub_port, proxy_api = free_port(), free_port(), free_port()
        token = secrets.token_hex(32)
        env = start_sh_env(kit, base, CS231N_STUDENTS=",".join(cls.users[s] for s in students),
                           CS231N_INSTRUCTORS=",".join(cls.instructors),
                           CS231N_HUB_URL=f"http://127.0.0.1:{port}", CS231N_HUB_SERVICE_TOKEN=token)
        log = open(cls.log, "w")
        hub_proc = subprocess.Popen(["bash", str(kit.repo / "deploy" / "start.sh"),
                                     f"--JupyterHub.hub_bind_url=http://127.0.0.1:{hub_port}",
                                     f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{proxy_api}"],
                                    env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        cls.hub = Hub(f"http://127.0.0.1:{port}", token, cls.log)
        for _ in range(240):
            try:
                cls.hub.request("GET", "/hub/api/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert hub_proc.poll() is None, cls.log.read_text()
                time.sleep(0.5)
        else:
            raise AssertionError("the hub did not start:\n" + cls.log.read_text())
        assert (cls.root / "notebooks" / assignment).is_dir(), "start.sh made no course folder"
        if lang != "en":
            course_language(cls.root, lang)         # remembered in the course folder, read by the hub
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
