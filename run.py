#!/usr/bin/env python3
"""One entry point for a fresh machine that has only Python 3.11+.

    python3 run.py main    # set up .venv, then run the main job (release,
                           # solution key, autograde the sample class,
                           # feedback, grades CSV, gradebook table)
    python3 run.py test    # set up .venv, then run the whole test suite

Set-up creates a virtual environment in ``.venv`` next to this file and
installs the course's two packages, editable, with everything their
``pyproject.toml`` files list: ``student/`` (cs231n_support, what the
notebooks import) and ``instructor/`` (cs231n_course: the answer key, the
grader, the course commands). It is redone only when one of them changes.
Extra arguments are passed on (to the course command or to pytest).
Only the standard library is used here, on purpose.
"""
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".cs231n-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


PACKAGES = ("student", "instructor")


def _wanted_stamp():
    return hashlib.sha256(b"".join((ROOT / p / "pyproject.toml").read_bytes() for p in PACKAGES)).hexdigest()


def ensure_venv():
    """Create ``.venv`` and install the project into it if needed."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if PY.exists() and STAMP.exists() and STAMP.read_text() == _wanted_stamp():
        return
    if not PY.exists():
        print(f"[run.py] creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("[run.py] installing the course package and its dependencies "
          "(about a minute the first time) ...", flush=True)
    editable = [arg for p in PACKAGES for arg in ("-e", str(ROOT / p))]
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", *editable], check=True, cwd=ROOT)
    STAMP.write_text(_wanted_stamp())


def main(argv):
    commands = {
        "main": [str(PY), "-m", "cs231n_course", "all"],
        "test": [str(PY), "-m", "pytest"],
    }
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    ensure_venv()
    cmd = commands[argv[0]] + argv[1:]
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
