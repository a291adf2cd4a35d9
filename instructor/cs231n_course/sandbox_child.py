"""The program that runs a student's notebook inside the sandbox (``python -m cs231n_course.sandbox_child``).

It speaks the wire protocol (``wire.py``) with the grader on its standard
input and output, and answers requests:

- ``init``: set the limits, switch to the sandbox's own user id (root graders),
  run the notebook's imports cell (trusted, from the instructor's source),
  then install the guards below;
- ``run``: run one cell of the submission and return its outputs as nbformat
  outputs (printed text, the value of the last expression, errors with their
  traceback, every open matplotlib figure as a PNG);
- ``lookup`` / ``getattr`` / ``call``: what the grader's test cells use to
  call the student's functions through handles (see ``wire.py``).

The operating system's isolation (``isolation.py``) is what keeps the
course out of reach: the sandbox sees the student package and this program,
never the course's reference implementation. The guards here only tell the
instructor what a submission tried (*flags*): an audit hook refuses and
reports processes, network, signals, ctypes and looking outside the
sandbox's own folders, and replaced NumPy comparisons, grading helpers or
hooks are reported.
"""
import ast
import base64
import io
import os
import sys
import traceback
import warnings

# Loaded before any limit applies and before any student code runs.
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import cs231n_support.data  # noqa: E402,F401
import cs231n_support.gradient_check  # noqa: E402,F401
import cs231n_support.grading as grading  # noqa: E402
import cs231n_support.plotting  # noqa: E402,F401
import cs231n_support.training  # noqa: E402,F401
import cs231n_support.trees  # noqa: E402,F401
import cs231n_support.i18n as _i18n  # noqa: E402
from cs231n_support.messages_ko import KO as _KO  # noqa: E402  (loaded now: refusals only look up)
from cs231n_course import wire  # noqa: E402

_GRADING_ERROR = grading.GradingError   # bound before any submission runs


def t(template, **fields):
    """A refusal in the class's language (as the imports cell's ``i18n.use`` set it).

    Called inside the audit hook, so it touches no object graded code could have replaced with its
    own: a str template from the Korean table, else the English one."""
    lang = vars(_i18n).get("_lang")
    text = _KO.get(template, template) if type(lang) is str and lang == "ko" else template
    text = text if type(text) is str else template
    return text.format(**fields) if fields else text

MAX_FIGURES = 20
SYSTEM_PATHS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/dev", "/proc/self", "/sys")
PROCESS_EVENTS = ("os.fork", "os.forkpty", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn",
                  "os.spawn", "pty.spawn")
LOOK_EVENTS = ("open", "os.listdir", "os.scandir", "os.chdir", "glob.glob", "sqlite3.connect", "shutil.copyfile",
               "shutil.rmtree", "os.remove", "os.rename", "os.mkdir")

flags = []
_phase = ["setup"]        # setup | solution | cell | call: who is running now


def flag(text):
    if text not in flags:
        flags.append(text)


# ---------------------------------------------------------------------------
# The request loop

def main():
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):
        os.dup2(devnull, std)                       # C-level output goes nowhere
    sys.stdin = open(os.devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w")
    handles, ns = [], {"__name__": "__main__"}

    def resolve(obj):
        return handles[obj["__handle__"]]

    while True:
        try:
            msg = wire.recv(proto_in)
        except EOFError:
            return
        reply = {"ok": True}
        try:
            op = msg["op"]
            if op == "init":
                reply["value"] = wire.encode(init(msg, ns))
            elif op == "run":
                reply["value"] = wire.encode(run_cell(msg["code"], msg["name"], msg["phase"], ns, msg["max_chars"]))
            elif op == "lookup":
                reply["value"] = wire.encode(ns[msg["name"]], handles)
            elif op == "getattr":
                reply["value"] = wire.encode(getattr(handles[msg["target"]], msg["name"]), handles)
            elif op == "call":
                reply["value"] = call(handles[msg["target"]], msg, resolve, handles)
            else:
                raise ValueError(f"unknown op {op!r}")
        except BaseException as exc:     # the student's code may raise anything, SystemExit included
            if not isinstance(exc, Exception):
                flag(f"tried to stop the grader ({type(exc).__name__})")
            reply = {"ok": False, "etype": type(exc).__name__, "error": str(exc)[:2000],
                     "emro": [c.__name__ for c in type(exc).__mro__[1:]]}
        for text in wire.suspicious:
            flag(text)
        wire.suspicious.clear()
        reply["flags"], flags[:] = list(flags), []
        try:
            wire.send(proto_out, reply)
        except (TypeError, ValueError) as exc:
            wire.send(proto_out, {"ok": False, "etype": "TypeError", "error": f"result cannot be sent: {exc}",
                                  "flags": []})


def call(fn, msg, resolve, handles):
    args = [wire.decode(a, resolve) for a in msg["args"]]
    kwargs = {k: wire.decode(v, resolve) for k, v in msg["kwargs"].items()}
    _phase[0] = "call"
    try:
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
            warnings.simplefilter("always")
            value = fn(*args, **kwargs)
    finally:
        _phase[0] = "idle"
    after = [wire.encode(a, handles) if type(a) in (np.ndarray, dict, np.random.Generator) else None
             for a in list(args) + list(kwargs.values())]
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return {"__tuple__": [wire.encode(value, handles), after, messages]}


# ---------------------------------------------------------------------------
# Start-up: limits, user id, trusted imports, guards

def init(msg, ns):
    import resource
    mb = 2**20
    for res, value in [(resource.RLIMIT_AS, msg["memory_mb"] * mb), (resource.RLIMIT_FSIZE, msg["file_mb"] * mb),
                       (resource.RLIMIT_CORE, 0), (resource.RLIMIT_NOFILE, 256)]:
        resource.setrlimit(res, (value, value))
    resource.setrlimit(resource.RLIMIT_CPU, (msg["cpu_seconds"], msg["cpu_seconds"] + 5))
    if msg.get("uid") is not None and os.getuid() == 0:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(38, 1, 0, 0, 0)       # PR_SET_NO_NEW_PRIVS
        os.setgroups([])
        os.setgid(msg["uid"])
        os.setuid(msg["uid"])                    # drops every capability
    nproc = msg["processes"] + msg.get("nproc_base", 0)
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    exec(compile(msg["setup"], "<imports cell>", "exec"), ns)       # trusted: the course's own imports
    plt.show = lambda *args, **kwargs: None                          # figures are collected after each cell
    _install_audit_hook(tuple(msg["protected"]), tuple(msg["visible"]))
    _refuse_hard_exit()
    ns["get_ipython"] = lambda: _IPythonStandIn()
    _phase[0] = "idle"
    return {"pid": os.getpid()}


def _watched_attributes():
    """What tampering with the tests would replace: numpy's comparisons, the grading helpers, hooks."""
    watched = {}
    for owner, label, attrs in [
            (np, "numpy", ("allclose", "isclose", "array_equal", "all", "any", "abs", "testing")),
            (np.testing, "numpy.testing", ("assert_allclose", "assert_array_equal", "assert_array_almost_equal")),
            (grading, "cs231n_support.grading", [n for n in vars(grading) if not n.startswith("__")]),
            (sys, "sys", ("excepthook", "displayhook", "settrace", "setprofile"))]:
        for attr in attrs:
            if hasattr(owner, attr):
                watched[f"{label}.{attr}"] = (owner, attr, getattr(owner, attr))
    return watched


_WATCHED = _watched_attributes()


def _refuse_hard_exit():
    """os._exit would end this process without a word; make it an ordinary exception."""
    import posix

    def refused_exit(*args):
        flag("called os._exit")
        raise SystemExit(t("os._exit is not allowed in graded code"))

    os._exit = posix._exit = refused_exit


def _install_audit_hook(protected, visible):
    own_pid = os.getpid()
    home = os.getcwd()
    allowed = (home, "/tmp") + visible + SYSTEM_PATHS

    def inside(path, roots):
        return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)

    def hook(event, args):
        if _phase[0] == "setup":
            return
        if event in ("gc.get_objects", "gc.get_referrers", "gc.get_referents"):
            flag(f"inspected the grader's objects ({event})")
            raise PermissionError(t("graded code may not inspect the garbage collector's objects"))
        elif event in LOOK_EVENTS and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.fsdecode(args[0])
            if event == "sqlite3.connect" and path.startswith("file:"):     # an SQLite URI
                path = path[5:].split("?")[0]
            path = os.path.abspath(path)
            if inside(path, protected):
                flag(f"tried to open {path}")
                raise PermissionError(t("graded code may not open {path}", path=path))
            if not inside(path, allowed):
                flag(f"looked outside its own folder ({event} {path})")
        elif event.startswith("socket."):
            if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo"):
                flag("tried to use the network")
                raise PermissionError(t("graded code may not use the network"))
        elif event in PROCESS_EVENTS:
            flag(f"tried to start a process ({event})")
            raise PermissionError(t("graded code may not start processes"))
        elif event in ("ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle"):
            flag("called C functions directly through ctypes")
            raise PermissionError(t("graded code may not use ctypes"))
        elif event in ("os.kill", "os.killpg") and args[0] not in (0, own_pid):
            flag(f"tried to send a signal to another process ({event})")
            raise PermissionError(t("graded code may not signal other processes"))
        elif event == "sys.addaudithook":
            raise PermissionError("not allowed")

    sys.addaudithook(hook)


class _IPythonStandIn:
    """What get_ipython() returns to graded code: it only notes the attempt."""

    def __getattr__(self, name):
        if name in ("run_line_magic", "run_cell_magic", "magic", "system"):
            return lambda *args, **kwargs: None                      # %matplotlib inline and the like
        flag(f"used get_ipython().{name} (IPython hooks have no effect on grading)")
        return _Inert()

    def __setattr__(self, name, value):
        flag(f"set get_ipython().{name}")


class _Inert:
    def __call__(self, *args, **kwargs):
        return _Inert()

    def __getattr__(self, name):
        return _Inert()

    def __iter__(self):
        return iter(())


# ---------------------------------------------------------------------------
# Running one cell

class _Capture(io.TextIOBase):
    """sys.stdout / sys.stderr while a cell runs: text becomes nbformat stream outputs."""

    def __init__(self, name, outputs, room):
        self.name, self.outputs, self.room = name, outputs, room

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        if self.room[0] <= 0:
            return len(text)
        kept = text[:self.room[0]]
        self.room[0] -= len(kept)
        if self.room[0] <= 0:
            kept += "\n... output truncated (too large) ...\n"
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == self.name:
            last["text"] += kept
        else:
            self.outputs.append({"output_type": "stream", "name": self.name, "text": kept})
        return len(text)


def run_cell(code, name, phase, ns, max_chars):
    """Run one cell of the submission; return {"outputs": [...], "error": "ename: evalue" or None}."""
    outputs, room, error = [], [max_chars], None
    sys.stdout, sys.stderr = _Capture("stdout", outputs, room), _Capture("stderr", outputs, room)
    _phase[0] = phase
    try:
        tree = ast.parse(code, filename=name)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, name, "exec"), ns)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), name, "eval"), ns)
            if value is not None and not _is_figure_artist(value):
                outputs.append({"output_type": "execute_result", "execution_count": None, "metadata": {},
                                "data": {"text/plain": repr(value)[:max_chars]}})
    except BaseException as exc:
        if not isinstance(exc, Exception):
            flag(f"{name} tried to stop the grader ({type(exc).__name__})")
        error = f"{type(exc).__name__}: {str(exc)[:300]}"
        _phase[0] = "setup"                     # formatting reads source files; that is the grader's doing
        evalue = str(exc)[:2000]
        if type(exc) is _GRADING_ERROR:         # a check's verdict: its message alone, as in the notebook
            lines = [f"{_GRADING_ERROR.__name__}: {evalue}"]
        else:
            lines = [l.rstrip("\n") for l in traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next)]
        outputs.append({"output_type": "error", "ename": type(exc).__name__, "evalue": evalue,
                        "traceback": lines[-40:]})
    finally:
        _phase[0] = "idle"
        sys.stdout = sys.stderr = open(os.devnull, "w")
    outputs += _figures()
    for label, (owner, attr, value) in _WATCHED.items():
        if getattr(owner, attr, None) is not value:
            flag(f"replaced {label}")
    return {"outputs": outputs, "error": error,
            "defined": sorted(k for k, v in ns.items() if not k.startswith("_") and callable(v))}


def _is_figure_artist(value):
    from matplotlib.artist import Artist
    return isinstance(value, Artist) or (isinstance(value, list) and value and isinstance(value[0], Artist))


def _figures():
    """Every open figure as a PNG display output (what the inline backend shows), then closed."""
    outputs = []
    for num in plt.get_fignums()[:MAX_FIGURES]:
        fig = plt.figure(num)
        buf = io.BytesIO()
        try:
            fig.savefig(buf, format="png", bbox_inches="tight")
        except Exception as exc:       # a broken figure is the student's problem, not the grader's
            outputs.append({"output_type": "stream", "name": "stderr", "text": f"figure failed to draw: {exc}\n"})
            continue
        w, h = fig.get_size_inches() * fig.dpi
        outputs.append({"output_type": "display_data", "metadata": {},
                        "data": {"image/png": base64.b64encode(buf.getvalue()).decode(),
                                 "text/plain": f"<Figure size {w:g}x{h:g} with {len(fig.axes)} Axes>"}})
    plt.close("all")
    return outputs


if __name__ == "__main__":
    main()
