"""How each submission's grading went: one store, written the moment a submission finishes.

``grading_status.json`` in the course folder maps "student/assignment" to
{status, flags, notes, tests, isolated, submission, source}: "graded" or
"not graded: why", what the submission tried (flags), what went wrong in it
(notes), the points per test, whether it was graded in the operating
system's isolation, and the SHA-256 of the submitted and source notebooks
(so ``autograde`` knows what is already graded). Every update takes an
exclusive lock and atomically replaces the file, so parallel graders do not
lose each other's entries and a run killed at any point (even with SIGKILL)
leaves every finished submission recorded.
"""
import fcntl
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

FILE = "grading_status.json"
LOCK = ".grading_status.lock"


def fingerprint(folder):
    """SHA-256 of the notebooks in a folder (name and bytes), or "" if there are none."""
    h = hashlib.sha256()
    for p in sorted(Path(folder).glob("*.ipynb")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


class StatusStore:
    def __init__(self, root):
        self.path, self.lock_path = Path(root) / FILE, Path(root) / LOCK

    def read(self):
        try:
            return json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}

    @contextmanager
    def _locked(self):
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def put(self, key, entry):
        """Record one submission's entry (replacing the old one), atomically."""
        with self._locked():
            data = self.read()
            data[key] = entry
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".grading_status-", suffix=".json")
            with os.fdopen(fd, "w") as fh:
                json.dump(data, fh, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
