"""The operating system's isolation around a student's code: a bubblewrap sandbox.

Each submitted notebook is graded in one process tree started by
``bwrap`` (bubblewrap) in new mount, PID, network, IPC and UTS namespaces:

- its file system holds only the system's libraries, the Python
  installation and the installed packages (read-only), a private scratch
  folder (its working folder and home, holding a copy of its own submitted
  notebook), a private /tmp, and its own /proc and minimal /dev: the course
  folder, the gradebook, other submissions, the source, release and solution
  notebooks, feedback and reports do not exist in it;
- it has no network (a new network namespace has only a loopback that is down);
- it is PID 2 of its own PID namespace: every process it starts, a
  double-forked daemon included, is killed with it (``--die-with-parent``,
  and the kernel kills a PID namespace whose first process dies);
- when the grader runs as root, the student's code runs as an unprivileged
  user id of its own (one per concurrent sandbox), so RLIMIT_NPROC counts only
  its processes; otherwise it runs as the grading user inside a user namespace.

Where bubblewrap cannot run (not Linux, not installed, user namespaces
disabled), ``isolation_problem()`` says what is missing and how to fix it;
grading then stops unless the instructor explicitly grades without isolation.
"""
import fcntl
import functools
import os
import shutil
import site
import subprocess
import importlib.util
import sys
import tempfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent                     # cs231n_course: the sandbox program
REFERENCE_DIR = PACKAGE_DIR / "reference"                          # ... and the answer key, hidden from it
STUDENT_PACKAGE_DIR = Path(importlib.util.find_spec("cs231n_support").origin).resolve().parent
HOME = "/home/student"           # the sandbox's working folder, inside the sandbox
SANDBOX_UID_BASE = 200_000        # user ids of sandboxes when the grader runs as root
SANDBOX_ENV = {"MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "HOME": HOME, "MPLCONFIGDIR": "/tmp/.matplotlib",
               "TMPDIR": "/tmp", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONHASHSEED": "0"}
PASS_ENV = ("PATH", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
HOW_TO_INSTALL = ("install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; "
                  "Fedora: `sudo dnf install bubblewrap`)")


class IsolationUnavailable(RuntimeError):
    """This machine cannot isolate student code; the message says why and what to do."""


def _readonly_roots():
    """The folders of the Python installation and its packages, deepest first removed."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             str(Path(os.path.realpath(sys.executable)).parent.parent), str(PACKAGE_DIR), str(STUDENT_PACKAGE_DIR)}
    paths.update(site.getsitepackages())
    roots = []
    for p in sorted({os.path.realpath(p) for p in paths if os.path.isdir(p)}):
        if p.startswith(("/usr/", "/lib")) or any(p == r or p.startswith(r + "/") for r in roots):
            continue
        roots.append(p)
    return roots


def check_visible(roots, protected):
    """Refuse to show the sandbox a folder that holds (or is inside) a protected path."""
    for root in roots:
        for p in protected:
            p = os.path.realpath(p)
            if p == root or p.startswith(root.rstrip("/") + "/") or root.startswith(p.rstrip("/") + "/"):
                raise IsolationUnavailable(
                    f"the Python installation or package folder {root} would show the sandbox {p}; "
                    "install the course's environment outside the course folder (e.g. a virtual "
                    "environment next to it)")


def bwrap_command(scratch, protected=(), python=None):
    """The command that starts the sandbox's Python in a bubblewrap sandbox."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise IsolationUnavailable(f"bubblewrap (bwrap) is not installed: {HOW_TO_INSTALL}")
    roots = _readonly_roots()
    check_visible(roots, protected)
    cmd = [bwrap, "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid",
           "--unshare-net", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox"]
    if os.geteuid() == 0:
        # Privileged bubblewrap: no user namespace; the child keeps only the
        # capabilities to switch to its own unprivileged user id (sandbox_child).
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        cmd += ["--unshare-user"]
    for d in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(d):
            cmd += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            cmd += ["--ro-bind", d, d]
    # A private /tmp first: a Python installation under /tmp is bound on top of it, not hidden by it.
    cmd += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(512 * 2**20), "--tmpfs", "/tmp"]
    # Folders above the bound ones, readable by the sandbox's user (bwrap would make them 0700).
    for parent in sorted({str(a) for r in roots + [HOME] for a in Path(r).parents if str(a) not in ("/", "/tmp")}):
        cmd += ["--perms", "0755", "--dir", parent]
    for root in roots:
        cmd += ["--ro-bind", root, root]
    # The answer key: an empty folder in its place, wherever the package is installed.
    cmd += ["--tmpfs", str(REFERENCE_DIR), "--remount-ro", str(REFERENCE_DIR)]
    cmd += [
            "--bind", f"{scratch}/home", HOME, "--bind", f"{scratch}/mpl", "/tmp/.matplotlib",
            "--chdir", HOME, "--clearenv"]
    for k, v in _environment().items():
        cmd += ["--setenv", k, v]
    return cmd + [python or sys.executable, "-I", "-m", "cs231n_course.sandbox_child"]


def plain_command(python=None):
    """The command that starts the sandbox's Python without isolation (explicitly unsafe)."""
    return [python or sys.executable, "-I", "-m", "cs231n_course.sandbox_child"]


def _environment():
    env = {k: os.environ[k] for k in PASS_ENV if k in os.environ}
    env.update(SANDBOX_ENV)
    return env


def plain_environment(scratch):
    env = _environment()
    env.update(HOME=f"{scratch}/home", MPLCONFIGDIR=f"{scratch}/mpl", TMPDIR=f"{scratch}/home")
    return env


@functools.lru_cache(maxsize=None)
def isolation_problem():
    """None if bubblewrap sandboxes work here, else what is missing and how to enable it."""
    if not sys.platform.startswith("linux"):
        return (f"isolating student code needs Linux namespaces (bubblewrap); this is {sys.platform}: "
                "grade on a Linux machine or container")
    if shutil.which("bwrap") is None:
        return f"bubblewrap (bwrap) is not installed: {HOW_TO_INSTALL}"
    with tempfile.TemporaryDirectory(prefix="cs231n-bwrap-check-") as scratch:
        os.mkdir(f"{scratch}/home")
        os.mkdir(f"{scratch}/mpl")
        cmd = bwrap_command(scratch)[:-4] + [sys.executable, "-I", "-c", "print('ok')"]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap failed to start: {exc}"
    if run.returncode == 0 and run.stdout.strip() == "ok":
        return None
    why = (run.stderr.strip() or f"exit code {run.returncode}").splitlines()[-1]
    hint = ""
    if "namespace" in why.lower() or "permission" in why.lower():
        hint = (" (user namespaces look disabled: `sudo sysctl -w kernel.unprivileged_userns_clone=1` "
                "or `user.max_user_namespaces=10000`; Ubuntu 24.04+: allow bwrap in AppArmor, "
                "`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`)")
    return f"bubblewrap cannot create a sandbox here: {why}{hint}"


class UidSlot:
    """A user id of its own for one sandbox, held while the sandbox runs (root graders only).

    Concurrent sandboxes (``autograde --jobs N``, several course commands) take
    different ids, each held by an exclusive lock on a file, so that the
    process limit of one sandbox is not shared with another.
    """

    def __init__(self):
        self.uid, self._fh = None, None
        if os.geteuid() != 0:
            return
        folder = Path(tempfile.gettempdir()) / "cs231n-sandbox-uids"
        folder.mkdir(mode=0o700, exist_ok=True)
        for n in range(10_000):
            fh = open(folder / f"{n}.lock", "w")
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.close()
                continue
            self.uid, self._fh = SANDBOX_UID_BASE + n, fh
            return
        raise IsolationUnavailable("no free sandbox user id (10,000 sandboxes running?)")

    def release(self):
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def user_process_count():
    """Tasks (processes and threads) of this real user id now: RLIMIT_NPROC counts them all."""
    uid, n = os.getuid(), 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    n += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                pass
    return n


def processes_in_namespace(bwrap_pid):
    """Command lines of the processes in the PID namespace bwrap made (host view), or [] if gone."""
    def ns(pid):
        return os.readlink(f"/proc/{pid}/ns/pid")
    try:
        inner = [int(p) for p in Path(f"/proc/{bwrap_pid}/task/{bwrap_pid}/children").read_text().split()]
        target = ns(inner[0])
    except (OSError, IndexError, ValueError):
        return []
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if ns(entry.name) == target:
                    cmd = Path(f"/proc/{entry.name}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    found.append(cmd.strip())
            except OSError:
                pass
    return found
