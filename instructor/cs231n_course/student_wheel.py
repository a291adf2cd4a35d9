"""Build the student package (``cs231n_support``) as a wheel to hand to a class.

    python -m cs231n_course student-wheel          # -> dist/cs231n_support-<version>-py3-none-any.whl

Students install it with ``pip install cs231n_support-...whl`` (add ``[lab]``
for JupyterLab and nbgrader's Assignments panel), or the instructor puts it in
the hub's image. It holds no reference solution (tests/test_distributions.py
checks every wheel it builds).
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from .course.config import CourseError


def student_source():
    """The folder with the student package's pyproject.toml (the course's checkout)."""
    import cs231n_support
    folder = Path(cs231n_support.__file__).resolve().parent.parent
    if not (folder / "pyproject.toml").is_file():
        raise CourseError(f"the student package at {folder} is installed, not checked out: build the wheel "
                          "from the course's repository (its student/ folder)")
    return folder


def build_student_wheel(out_dir):
    """Build the wheel into ``out_dir``; return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cs231n-wheel-") as tmp:
        run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                              "--quiet", "-w", tmp, str(student_source())], capture_output=True, text=True)
        if run.returncode != 0:
            raise CourseError(f"pip could not build the student wheel:\n{run.stderr.strip()[-2000:]}")
        (wheel,) = Path(tmp).glob("cs231n_support-*.whl")
        target = out_dir / wheel.name
        wheel.replace(target) if wheel.stat().st_dev == out_dir.stat().st_dev else target.write_bytes(wheel.read_bytes())
    return target
