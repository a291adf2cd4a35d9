"""Run a student's solution code in a separate, restricted process.

The autograder (``sealed.py``) never runs student code in its own process.
It starts a child process (forked from a server process that has already
imported numpy, matplotlib and this package, see ``_sandbox_preload``; the
server never runs student code), sends it the student's solution cells,
and then calls the student's functions through proxies: arguments go
to the child and results come back as plain data (numbers, strings and
numeric arrays, in tuples, lists and dicts). Anything else the student's code
returns (a cache, an instance of the student's class) stays in the child;
the grader gets an opaque handle it can only pass back or ask attributes of.
Nothing is ever unpickled.

In the child, before any student code runs:
- memory, CPU time and file sizes are limited (``resource.setrlimit``);
- the working directory is an empty temporary folder;
- an audit hook refuses to open files in the protected folders (the course
  folder with the source notebooks and the gradebook, the reference
  implementation) and refuses sockets, subprocesses and signals to other
  processes; the environment keeps only a few harmless variables;
- every function of ``cs231n_support.reference`` gets its code replaced by
  one that reports the call and raises, so the reference cannot be used
  through any alias or import path.
What the child refused is reported back as *flags*.

Wire format: each message is a 4-byte big-endian length followed by UTF-8
JSON. Arrays travel as {"__nd__": [dtype, shape, base64 bytes]}.
"""
import base64
import builtins
import json
import os
import select
import signal
import struct
import sys
import tempfile
import types
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
_suspicious = []        # child side: what encode() noticed, reported as flags
MAX_MESSAGE = 256 * 2**20


# ---------------------------------------------------------------------------
# Encoding plain data (both sides)

def encode(value, handles=None):
    """Plain data -> JSON-able; other objects become handles (child side only)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, (np.ndarray, np.generic)) and np.asarray(value).dtype.kind in "biufc":
        arr = np.ascontiguousarray(value)
        nd = [arr.dtype.str, list(arr.shape), base64.b64encode(arr.tobytes()).decode()]
        return {"__nd__": nd, "scalar": isinstance(value, np.generic)}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, handles) for v in value]}
    if isinstance(value, list):
        return [encode(v, handles) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: encode(v, handles) for k, v in value.items()}}
    if isinstance(value, np.random.Generator):
        bg = value.bit_generator
        return {"__rng__": [type(bg).__name__, bg.state]}
    if isinstance(value, Handle):
        return {"__handle__": value.id}
    if handles is None:
        raise TypeError(f"cannot send a {type(value).__name__} to the sandbox")
    if _equals_anything(value):
        _suspicious.append(f"returned a {type(value).__name__} object that claims to equal anything "
                           "(an always-equal trick?)")
    handles.append(value)
    return {"__handle__": len(handles) - 1, "type": type(value).__name__, "callable": callable(value)}


def _equals_anything(value):
    """True for an object whose == says yes even to a brand-new unrelated object."""
    if type(value).__eq__ is object.__eq__:
        return False
    try:
        return bool(value == object())
    except Exception:
        return False


def decode(obj, resolve=None):
    """JSON-able -> value; ``resolve(handle dict)`` turns handles into objects."""
    if isinstance(obj, list):
        return [decode(v, resolve) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "__nd__" in obj:
        dtype, shape, data = obj["__nd__"]
        arr = np.frombuffer(base64.b64decode(data), dtype=np.dtype(dtype)).reshape(shape).copy()
        return arr[()] if obj.get("scalar") else arr
    if "__tuple__" in obj:
        return tuple(decode(v, resolve) for v in obj["__tuple__"])
    if "__dict__" in obj:
        return {k: decode(v, resolve) for k, v in obj["__dict__"].items()}
    if "__rng__" in obj:
        name, state = obj["__rng__"]
        bg = getattr(np.random, name)()
        bg.state = state
        return np.random.Generator(bg)
    if "__handle__" in obj:
        return resolve(obj)
    raise ValueError(f"unknown message part {sorted(obj)[:3]}")


def _send(stream, msg):
    data = json.dumps(msg).encode()
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def _read_exactly(stream, n):
    """Read n bytes (an unbuffered pipe may return fewer per read)."""
    chunks, got = [], 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            raise EOFError("the sandbox closed the connection")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _recv(stream):
    (n,) = struct.unpack(">I", _read_exactly(stream, 4))
    if n > MAX_MESSAGE:
        raise ValueError(f"message of {n} bytes is too large")
    return json.loads(_read_exactly(stream, n))


# ---------------------------------------------------------------------------
# Grader side

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


class Handle:
    """An object that lives in the sandbox: pass it back, read its attributes, call it."""

    def __init__(self, sandbox, id, type_name, is_callable):
        self._sandbox, self.id, self.type_name, self._callable = sandbox, id, type_name, is_callable

    def __repr__(self):
        return f"<{self.type_name} object from your code>"

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._sandbox.request({"op": "getattr", "target": self.id, "name": name})

    def __call__(self, *args, **kwargs):
        if not self._callable:
            raise TypeError(f"'{self.type_name}' object is not callable")
        return self._sandbox.call(self, args, kwargs)


_CHILD_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def _forkserver():
    """The multiprocessing context whose server process forks the sandboxes.

    The server starts (once per grading process) with this process's sys.path,
    so the children use this very copy of the package, and imports
    _sandbox_preload. It never runs student code.
    """
    import multiprocessing
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["cs231n_support._sandbox_preload"])
    return ctx


@contextmanager
def _caller_main_hidden():
    """Start a multiprocessing child without the caller's __main__ module.

    multiprocessing would re-import the caller's main script in the child (so
    that functions defined there can be unpickled); the sandbox needs nothing
    from it, and a grading script without an ``if __name__ == "__main__"``
    guard would run again in every sandbox. For the few milliseconds of
    Process.start(), __main__ is an empty module.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


class Sandbox:
    """A child process that holds the student's code.

    Inputs:
    - setup_code: trusted code run first (the notebook's imports cell)
    - cells: the student's solution cells, run in order; errors are recorded
    - protected: folders the student's code may not read
    - call_timeout: seconds one call may take; memory_mb: address-space limit
    """

    def __init__(self, setup_code, cells, protected=(), call_timeout=60.0, memory_mb=4096,
                 init_timeout=120.0):
        self.setup_code, self.cells = setup_code, list(cells)
        self.protected = [str(Path(p).resolve()) for p in protected] + [str(REFERENCE_DIR)]
        self.call_timeout, self.memory_mb, self.init_timeout = call_timeout, memory_mb, init_timeout
        self.flags, self.cell_errors, self.defined = [], [], []
        self.proc = None
        self._start()

    def _start(self):
        self._workdir = tempfile.TemporaryDirectory(prefix="cs231n-sandbox-")
        # The child is forked from a server process that has already imported
        # numpy, matplotlib and this package (_sandbox_preload), so it starts
        # in milliseconds instead of re-importing them for every submission
        # (0.6 s of CPU each). Everything that limits the child happens after
        # the fork, in the child only (_child_main, _child_init).
        ctx = _forkserver()
        ours, theirs = ctx.Pipe()                 # one duplex socket for the wire protocol
        self.proc = ctx.Process(target=_child_main, args=(theirs, self._workdir.name), daemon=True)
        with _caller_main_hidden():
            self.proc.start()
        theirs.close()
        self._conn = ours
        self._in = os.fdopen(os.dup(ours.fileno()), "rb", buffering=0)
        self._out = os.fdopen(os.dup(ours.fileno()), "wb", buffering=0)
        self.cell_errors, self.defined = self.request({"op": "init", "setup": self.setup_code, "cells": self.cells,
                              "protected": self.protected, "memory_mb": self.memory_mb},
                             timeout=self.init_timeout, what="running your notebook's solution cells")

    def alive(self):
        return self.proc is not None and self.proc.is_alive()

    def request(self, msg, timeout=None, what="your code"):
        """Send one request, wait for its answer; kill the child on a time-out."""
        if not self.alive():
            raise SandboxError("the sandbox is not running (an earlier call crashed or timed out)")
        timeout = self.call_timeout if timeout is None else timeout
        try:
            _send(self._out, msg)
            ready, _, _ = select.select([self._in], [], [], timeout)
            if not ready:
                self.close()
                raise SandboxError(f"{what} did not finish within {timeout:g} s (an infinite loop?)")
            reply = _recv(self._in)
        except (EOFError, BrokenPipeError, ValueError, OSError) as exc:
            self.proc.join(timeout=5)
            code = self.proc.exitcode                 # None if still running; < 0: killed by a signal
            self.close()
            if code is not None and code < 0:
                how = f"crashed (killed by {signal.Signals(-code).name}; out of memory or a fault in native code?)"
            else:
                how = f"stopped unexpectedly (exit code {code}; {exc})"
            raise SandboxError(f"{what}: the process running it {how}") from None
        self.flags += reply.get("flags", [])
        if not reply.get("ok"):
            raise _remote_exception(reply.get("etype", "Error"), reply.get("error", ""), reply.get("emro", []))
        return decode(reply.get("value"), self._handle)

    def _handle(self, obj):
        return Handle(self, obj["__handle__"], obj.get("type", "object"), obj.get("callable", False))

    def lookup(self, name):
        """A callable proxy for the student's top-level ``name`` (None if undefined)."""
        if name not in self.defined:
            return None
        return self.request({"op": "lookup", "name": name})

    def call(self, target, args, kwargs):
        """Call ``target`` in the child; copy back in-place changes to array and dict arguments."""
        reply = self.request({"op": "call", "target": target.id, "args": [encode(a) for a in args],
                              "kwargs": {k: encode(v) for k, v in kwargs.items()}})
        value, after, caught = reply
        for original, changed in list(zip(args, after)) + [(kwargs[k], after_k) for k, after_k in
                                                           zip(kwargs, after[len(args):])]:
            _write_back(original, changed)
        for message in caught:
            warnings.warn(message, RuntimeWarning, stacklevel=2)
        return value

    def close(self):
        if self.proc is not None:
            if self.proc.is_alive():
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)     # the child and anything it started
                except (ProcessLookupError, PermissionError):
                    self.proc.kill()
            self.proc.join()
            for stream in (self._in, self._out, self._conn):
                try:
                    stream.close()
                except OSError:
                    pass
        if getattr(self, "_workdir", None) is not None:
            self._workdir.cleanup()
            self._workdir = None

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


# ---------------------------------------------------------------------------
# Child side

def _child_main(conn, workdir):
    """The sandbox process: answer the grader's requests on the socket ``conn``."""
    os.setsid()                      # its own process group, so close() can kill all of it
    os.chdir(workdir)                # an empty temporary folder
    keep = {k: v for k, v in os.environ.items() if k in _CHILD_ENV}
    os.environ.clear()               # no secrets of the grader's environment
    from cs231n_support._sandbox_preload import SANDBOX_ENV    # loaded already by the fork server
    os.environ.update(keep, **SANDBOX_ENV)
    fd = os.dup(conn.fileno())
    conn.close()
    proto_in = os.fdopen(os.dup(fd), "rb")
    proto_out = os.fdopen(fd, "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):
        os.dup2(devnull, std)        # whatever the student's code prints goes nowhere
    sys.stdout = sys.stderr = open(os.devnull, "w")
    handles, flags, ns = [], [], {"__name__": "__main__"}

    def resolve(obj):
        return handles[obj["__handle__"]]

    while True:
        try:
            msg = _recv(proto_in)
        except EOFError:
            return
        reply = {"ok": True}
        try:
            op = msg["op"]
            if op == "init":
                reply["value"] = list(_child_init(msg, ns, flags))
            elif op == "lookup":
                reply["value"] = encode(ns[msg["name"]], handles)
            elif op == "getattr":
                reply["value"] = encode(getattr(handles[msg["target"]], msg["name"]), handles)
            elif op == "call":
                args = [decode(a, resolve) for a in msg["args"]]
                kwargs = {k: decode(v, resolve) for k, v in msg["kwargs"].items()}
                with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
                    warnings.simplefilter("always")
                    value = handles[msg["target"]](*args, **kwargs)
                after = [encode(a, handles) if isinstance(a, (np.ndarray, dict, np.random.Generator)) else None
                         for a in list(args) + list(kwargs.values())]
                messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
                reply["value"] = {"__tuple__": [encode(value, handles), after, messages]}
            else:
                raise ValueError(f"unknown op {op!r}")
        except BaseException as exc:       # the student's code may raise anything, SystemExit included
            if not isinstance(exc, Exception):
                flags.append(f"tried to stop the grader ({type(exc).__name__})")
            reply = {"ok": False, "etype": type(exc).__name__, "error": str(exc)[:2000],
                     "emro": [c.__name__ for c in type(exc).__mro__[1:]]}
        flags += _suspicious
        _suspicious.clear()
        reply["flags"], flags[:] = list(flags), []
        try:
            _send(proto_out, reply)
        except (TypeError, ValueError) as exc:
            _send(proto_out, {"ok": False, "etype": "TypeError", "error": f"result cannot be sent: {exc}",
                              "flags": []})


def _child_init(msg, ns, flags):
    import resource

    limit = int(msg["memory_mb"]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 2**20, 16 * 2**20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    exec(compile(msg["setup"], "<imports cell>", "exec"), ns)       # trusted: the course's own imports
    _poison_reference(flags)
    _install_audit_hook(msg["protected"], flags)
    _refuse_hard_exit(flags)
    ns["get_ipython"] = lambda: _IPythonStandIn(flags)
    watched = _watched_attributes()
    errors = []
    for i, src in enumerate(msg["cells"]):
        try:
            exec(compile(src, f"<your solution cell {i + 1}>", "exec"), ns)
        except BaseException as exc:
            errors.append(f"solution cell {i + 1} raised {type(exc).__name__}: {str(exc)[:300]}")
            if not isinstance(exc, Exception):
                flags.append(f"solution cell {i + 1} tried to stop the grader ({type(exc).__name__})")
    flags += [f"replaced {name}" for name, (owner, attr, value) in watched.items()
              if getattr(owner, attr, None) is not value]
    defined = sorted(k for k, v in ns.items() if not k.startswith("_") and callable(v) and k != "get_ipython")
    return errors, defined


def _watched_attributes():
    """What tampering with the tests would replace: numpy's comparisons, the grading helpers, hooks."""
    import cs231n_support.grading as grading
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


class _IPythonStandIn:
    """What get_ipython() returns to graded code: it only notes the attempt."""

    def __init__(self, flags):
        object.__setattr__(self, "_flags", flags)

    def __getattr__(self, name):
        self._flags.append(f"used get_ipython().{name} (IPython hooks have no effect on grading)")
        return _Inert()

    def __setattr__(self, name, value):
        self._flags.append(f"set get_ipython().{name}")


class _Inert:
    def __call__(self, *args, **kwargs):
        return _Inert()

    def __getattr__(self, name):
        return _Inert()

    def __iter__(self):
        return iter(())


def _poison_reference(flags):
    """Replace the code of every reference function with one that reports and refuses."""
    import cs231n_support.reference as reference_pkg

    def refuse(*args, **kwargs):
        raise PermissionError("the course's reference implementation cannot be used by graded code")

    for module in list(sys.modules.values()):
        if not getattr(module, "__file__", None) or not str(module.__file__).startswith(str(REFERENCE_DIR)):
            continue
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                members = list(vars(value).values())
            else:
                members = [value]
            for fn in members:
                if getattr(fn, "__name__", None) in reference_pkg.ALLOWED_HELPERS:
                    continue
                if callable(fn) and getattr(fn, "__code__", None) is not None and not fn.__code__.co_freevars:
                    name = f"{module.__name__.rsplit('.', 1)[-1]}.{fn.__name__}"
                    fn.__code__ = _refusing_code(name)
    del reference_pkg


def _refusing_code(name):
    """A code object that tells the audit hook it ran, then raises."""
    src = (f"def refused(*args, **kwargs):\n"
           f"    __import__('sys').audit('cs231n.reference', {name!r})\n"
           f"    raise PermissionError('the course reference implementation ({name}) cannot be used by graded code')\n")
    scope = {}
    exec(src, scope)
    return scope["refused"].__code__


def _refuse_hard_exit(flags):
    """os._exit would end this process without a word; make it an ordinary exception."""
    import posix

    def refused_exit(*args):
        flags.append("called os._exit")
        raise SystemExit("os._exit is not allowed in graded code")

    os._exit = posix._exit = refused_exit


def _install_audit_hook(protected, flags):
    protected = tuple(protected) + (str(REFERENCE_DIR),)
    seen = set()

    def flag(text):
        if text not in seen:
            seen.add(text)
            flags.append(text)

    def hook(event, args):
        if event == "cs231n.reference":
            flag(f"called the reference implementation ({args[0]})")
        elif event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.realpath(os.fsdecode(args[0]))
            if path.startswith(protected):
                flag(f"tried to open {path}")
                raise PermissionError(f"graded code may not open {path}")
        elif event in ("socket.connect", "socket.bind"):
            flag("tried to use the network")
            raise PermissionError("graded code may not use the network")
        elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork", "os.spawn"):
            flag(f"tried to start a process ({event})")
            raise PermissionError("graded code may not start processes")
        elif event in ("os.kill", "os.killpg") and args[0] not in (0, own_pid):
            flag(f"tried to send a signal to another process ({event})")
            raise PermissionError("graded code may not signal other processes")
        elif event in ("sys.addaudithook",):
            raise PermissionError("not allowed")

    own_pid = os.getpid()
    sys.addaudithook(hook)

