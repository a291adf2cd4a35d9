"""The grader's side of a sandbox: one isolated process that holds one student's notebook.

``Sandbox`` starts ``python -m cs231n_course.sandbox_child`` inside a
bubblewrap sandbox (``isolation.py``; or, only when the instructor asks for
it, as a plain child process), talks to it over a pipe (``wire.py``), and
kills its whole process tree when closed or when a request takes too long.

    box = Sandbox(setup_code, limits, protected=[...])
    box.run_cell(code, "cell 3", phase="solution", timeout=10)   # -> outputs
    sigmoid = box.lookup("sigmoid")                               # a Handle
    sigmoid(np.zeros(3))        # arguments go in, plain data comes back
    box.close()

Nothing the sandbox sends is ever unpickled; objects that are not plain data
stay in the sandbox and come back as handles.
"""
import builtins
import os
import shutil
import signal
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from cs231n_support.i18n import t

from . import isolation, wire
from .limits import DEFAULT_LIMITS
from .wire import Handle


class SandboxError(RuntimeError):
    """The sandbox failed (crashed, timed out, sent garbage); the message says how."""


class RemoteError(Exception):
    """An exception raised by the student's code in the sandbox."""


_remote_error_classes = {}


def _remote_exception(type_name, message, mro=()):
    """The exception to raise here for one raised in the sandbox.

    It is named like the student's and derives from the nearest built-in
    exception class in its ancestry (``mro``), so a test's ``except
    ValueError`` catches the student's ValueError subclass too.
    """
    if type_name == "NotImplementedError":
        return NotImplementedError(message)
    key = (type_name, tuple(mro))
    cls = _remote_error_classes.get(key)
    if cls is None:
        builtin = next((getattr(builtins, n) for n in [type_name, *mro]
                        if isinstance(getattr(builtins, n, None), type)), None)
        bases = (RemoteError,)
        if isinstance(builtin, type) and issubclass(builtin, Exception):
            bases = (builtin, RemoteError)
        try:
            cls = type(type_name, bases, {})
        except TypeError:                    # incompatible layouts: keep the name only
            cls = type(type_name, (RemoteError,), {})
        _remote_error_classes[key] = cls
    return cls(message)


def _font_cache():
    """matplotlib's font list of this installation, copied into each sandbox (saves a rebuild),
    and the Korean edition's Hangul font if it was made (cs231n_support.i18n)."""
    import matplotlib
    cache = Path(matplotlib.get_cachedir())
    return sorted(cache.glob("fontlist-*.json")) + sorted(cache.glob("cs231n-hangul.ttf"))


class Sandbox:
    """A sandboxed process that holds the student's code.

    - setup_code: trusted code run first (the source notebook's imports cell)
    - limits: a ``limits.Limits``
    - protected: paths the student's code may not touch (reported if it tries)
    - isolate: False grades without the operating system's isolation (explicitly unsafe)
    - files: {name: bytes} put into the sandbox's working folder (its own notebook)
    """

    def __init__(self, setup_code, limits=DEFAULT_LIMITS, protected=(), isolate=True, files=None,
                 init_timeout=None):
        self.limits, self.isolate = limits, isolate
        self.flags, self.defined, self.proc = [], [], None
        self._slot = isolation.UidSlot() if isolate else None
        self._scratch = Path(tempfile.mkdtemp(prefix="cs231n-sandbox-"))
        try:
            self._prepare_scratch(files or {})
            self._start(setup_code, [str(p) for p in protected], init_timeout or limits.call)
        except BaseException:
            self.close()
            raise

    def _prepare_scratch(self, files):
        """scratch/home: the working folder (with ``files``); scratch/mpl: matplotlib's cache."""
        (self._scratch / "home").mkdir()
        (self._scratch / "mpl").mkdir()
        for f in _font_cache():
            shutil.copy(f, self._scratch / "mpl" / f.name)
        for name, data in files.items():
            (self._scratch / "home" / name).write_bytes(data)
        uid = self._slot.uid if self._slot else None
        if uid is not None:
            for p in [self._scratch, *self._scratch.rglob("*")]:
                os.chown(p, uid, uid)
        self._scratch.chmod(0o700)

    def _start(self, setup_code, protected, init_timeout):
        if self.isolate:
            cmd, env, cwd = isolation.bwrap_command(self._scratch, protected), None, None
        else:
            cmd, env = isolation.plain_command(), isolation.plain_environment(self._scratch)
            cwd = self._scratch / "home"
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                     env=env, cwd=cwd, start_new_session=True)
        uid = self._slot.uid if self._slot else None
        nproc_base = 0 if uid is not None or os.geteuid() == 0 else isolation.user_process_count()
        lim = self.limits
        self.request({"op": "init", "setup": setup_code, "memory_mb": lim.memory_mb, "file_mb": lim.file_mb,
                      "cpu_seconds": lim.cpu_seconds, "processes": lim.processes, "nproc_base": nproc_base,
                      "uid": uid, "protected": protected, "visible": isolation._readonly_roots()},
                     timeout=init_timeout, what=t("starting the sandbox"))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def request(self, msg, timeout=None, what=None):
        """Send one request and wait for its answer; kill the sandbox on a time-out.

        ``what``: what the request runs, for the messages (default: "your code", in the language in use)."""
        if not self.alive():
            raise SandboxError(t("the sandbox is not running (an earlier call crashed or timed out)"))
        timeout = self.limits.call if timeout is None else timeout
        what = t("your code") if what is None else what
        try:
            wire.send(self.proc.stdin.fileno(), msg)
            reply = wire.recv(self.proc.stdout.fileno(), deadline=time.monotonic() + max(timeout, 0.01))
        except TimeoutError:
            self.close()
            why = t("{what} did not finish within {timeout:.3g} s (an infinite loop?)", what=what, timeout=timeout)
            self.flags.append(f"ran out of time: {why}")
            raise SandboxError(why) from None
        except (EOFError, BrokenPipeError, ValueError, OSError) as exc:
            raise SandboxError(f"{what}: {self._why_it_stopped(exc)}") from None
        self.flags += [f for f in reply.get("flags", []) if f not in self.flags]
        if not reply.get("ok"):
            raise _remote_exception(reply.get("etype", "Error"), reply.get("error", ""), reply.get("emro", []))
        return wire.decode(reply.get("value"), self._handle)

    def _why_it_stopped(self, exc):
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self._stderr.seek(0)
        tail = self._stderr.read()[-2000:].decode(errors="replace").strip()
        self.close()
        if tail.startswith("bwrap:"):
            return t("the sandbox could not start ({error})", error=tail.splitlines()[-1])
        if self.isolate and code is not None and code > 128:
            code = 128 - code                 # bwrap passes on a killed child's signal as 128 + signal
        if code is not None and code < 0:
            return t("the process running it crashed (killed by {signal}; out of memory, out of CPU time or a "
                     "fault in native code?)", signal=signal.Signals(-code).name)
        # Only the sandbox program's start-up writes here (it sends fd 2 to /dev/null before any student code).
        last = tail.splitlines()[-1] if tail else str(exc)
        return t("the process running it stopped unexpectedly (exit code {code}; {last})", code=code, last=last)

    def extra_processes(self):
        """Processes in the sandbox besides its own Python (and bwrap's init), e.g. a daemon it started."""
        if not self.isolate or not self.alive():
            return []
        return [p for p in isolation.processes_in_namespace(self.proc.pid)
                if not p.startswith(("bwrap", "/usr/bin/bwrap")) and "cs231n_course.sandbox_child" not in p]

    def _handle(self, obj):
        return Handle(self, obj["__handle__"], obj.get("type", "object"), obj.get("callable", False))

    def run_cell(self, code, name, phase, timeout):
        """Run one cell of the submission; {"outputs": [nbformat outputs], "error": str or None}."""
        result = self.request({"op": "run", "code": code, "name": name, "phase": phase,
                               "max_chars": self.limits.output_chars}, timeout=timeout, what=name)
        self.defined = [n for n in result["defined"] if n != "get_ipython"]
        others = self.extra_processes()
        if others:
            flag = f"started other processes ({len(others)} running, e.g. {others[0][:60]!r})"
            if flag not in self.flags:
                self.flags.append(flag)
        return result

    def lookup(self, name):
        """A callable proxy for the student's top-level ``name`` (None if undefined)."""
        if name not in self.defined:
            return None
        return self.request({"op": "lookup", "name": name})

    def call(self, target, args, kwargs, timeout=None):
        """Call ``target`` in the sandbox; copy back in-place changes to array and dict arguments."""
        reply = self.request({"op": "call", "target": target.id, "args": [wire.encode(a) for a in args],
                              "kwargs": {k: wire.encode(v) for k, v in kwargs.items()}},
                             timeout=self.call_timeout() if timeout is None else timeout)
        value, after, caught = reply
        for original, changed in list(zip(args, after)) + [(kwargs[k], after_k) for k, after_k in
                                                           zip(kwargs, after[len(args):])]:
            _write_back(original, changed)
        for message in caught:
            warnings.warn(message, RuntimeWarning, stacklevel=2)
        return value

    deadline = None           # time.monotonic() when the notebook's budget runs out (set by sealed.py)

    def call_timeout(self):
        if self.deadline is None:
            return self.limits.call
        return max(0.0, min(self.limits.call, self.deadline - time.monotonic()))

    def close(self):
        """Kill the sandbox and everything it started; remove its working folder."""
        if self.proc is not None:
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)   # bwrap; its PID namespace dies with it
                except (ProcessLookupError, PermissionError):
                    self.proc.kill()
            self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout, self._stderr):
                try:
                    stream.close()
                except OSError:
                    pass
            self.proc = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
        if self._slot is not None:
            self._slot.release()
            self._slot = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _write_back(original, changed):
    """Make an argument reflect what the student's code did to its copy."""
    if isinstance(original, np.ndarray) and isinstance(changed, np.ndarray):
        if changed.shape == original.shape and original.flags.writeable:
            original[...] = changed
    elif isinstance(original, dict) and isinstance(changed, dict):
        original.clear()
        original.update(changed)
    elif isinstance(original, np.random.Generator) and isinstance(changed, np.random.Generator):
        original.bit_generator.state = changed.bit_generator.state
