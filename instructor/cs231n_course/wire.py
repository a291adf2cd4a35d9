"""What travels between the grader and a sandbox: plain data, never pickles.

Each message is a 4-byte big-endian length followed by UTF-8 JSON. Arrays
travel as {"__nd__": [dtype, shape, base64 bytes]}; tuples, lists and dicts
with string keys of exactly those types travel as themselves; a NumPy
Generator travels as its bit generator's state. Any other object (a cache
object, a namedtuple, a closure, an instance of the student's class) stays
in the sandbox and travels as a *handle*: the grader can pass it back, call
it or read its attributes, but never holds the object itself.
"""
import base64
import json
import os
import select
import struct
import time

import numpy as np

MAX_MESSAGE = 256 * 2**20
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
suspicious = []        # sandbox side: what encode() noticed, reported as flags


class Handle:
    """Grader side: an object that lives in the sandbox (see ``sandbox.Sandbox``)."""

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

    # A handle names one object in the sandbox, which the grader cannot change:
    # copying it (the grading helpers deep-copy every argument) gives itself.
    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def encode(value, handles=None):
    """Plain data -> JSON-able; other objects become handles (sandbox side only)."""
    kind = type(value)
    if value is None or kind in (bool, str, int, float):
        return value
    if isinstance(value, (np.ndarray, np.generic)) and np.asarray(value).dtype.kind in "biufc":
        arr = np.asarray(value)
        arr = np.ascontiguousarray(arr) if arr.ndim else arr.copy()     # ascontiguousarray makes 0-d 1-d
        nd = [arr.dtype.str, list(arr.shape), base64.b64encode(arr.tobytes()).decode()]
        return {"__nd__": nd, "scalar": isinstance(value, np.generic)}
    if kind is tuple:
        return {"__tuple__": [encode(v, handles) for v in value]}
    if kind is list:
        return [encode(v, handles) for v in value]
    if kind is dict and all(type(k) is str for k in value):
        return {"__dict__": {k: encode(v, handles) for k, v in value.items()}}
    if kind is np.random.Generator:
        bg = value.bit_generator
        return {"__rng__": [type(bg).__name__, bg.state]}
    if kind is Handle:
        return {"__handle__": value.id}
    if handles is None:
        raise TypeError(f"cannot send a {kind.__name__} to the sandbox")
    if _equals_anything(value):
        suspicious.append(f"returned a {kind.__name__} object that claims to equal anything "
                          "(an always-equal trick?)")
    handles.append(value)
    return {"__handle__": len(handles) - 1, "type": kind.__name__, "callable": callable(value)}


def _equals_anything(value):
    """True for an object whose == says yes even to a brand-new unrelated object."""
    if type(value).__eq__ is object.__eq__:
        return False
    try:
        return bool(value == object())
    except Exception:
        return False


def decode(obj, resolve=None):
    """JSON-able -> value; ``resolve(handle dict)`` turns handles into objects.

    The grader decodes what a (possibly hostile) sandbox sent: only numeric
    dtypes and the known bit generators are accepted, anything else is a ValueError.
    """
    if isinstance(obj, list):
        return [decode(v, resolve) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "__nd__" in obj:
        dtype, shape, data = obj["__nd__"]
        dtype = np.dtype(str(dtype))
        if dtype.kind not in "biufc" or dtype.hasobject:
            raise ValueError(f"arrays of dtype {dtype} are not accepted")
        arr = np.frombuffer(base64.b64decode(data), dtype=dtype).reshape([int(n) for n in shape]).copy()
        return arr[()] if obj.get("scalar") else arr
    if "__tuple__" in obj:
        return tuple(decode(v, resolve) for v in obj["__tuple__"])
    if "__dict__" in obj:
        return {k: decode(v, resolve) for k, v in obj["__dict__"].items()}
    if "__rng__" in obj:
        name, state = obj["__rng__"]
        if name not in BIT_GENERATORS:
            raise ValueError(f"unknown bit generator {name!r}")
        bg = getattr(np.random, name)()
        bg.state = state
        return np.random.Generator(bg)
    if "__handle__" in obj:
        return resolve(obj)
    raise ValueError(f"unknown message part {sorted(obj)[:3]}")


def send(fd, msg):
    data = json.dumps(msg).encode()
    data = struct.pack(">I", len(data)) + data
    while data:
        data = data[os.write(fd, data):]


def _read_exactly(fd, n, deadline):
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError("the sandbox closed the connection")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def recv(fd, deadline=None):
    """One message from file descriptor ``fd``; TimeoutError after ``deadline`` (time.monotonic())."""
    (n,) = struct.unpack(">I", _read_exactly(fd, 4, deadline))
    if n > MAX_MESSAGE:
        raise ValueError(f"message of {n} bytes is too large")
    return json.loads(_read_exactly(fd, n, deadline))
