"""Every limit that applies while a submission is graded, in one place.

A student's notebook is graded in one sandbox (see ``isolation.py`` and
``sandbox.py``). These are its limits, as they really apply:

- ``budget``: wall-clock seconds for the whole grading of one notebook
  (running every cell of the submission and every test). When it is used up,
  the sandbox is killed, the cells not yet run show "not run", and the tests
  not yet run score 0 with the reason in the report.
- ``call``: seconds one cell of the submission, or one call of a student's
  function made by a test, may run (never more than what is left of the
  budget). A call that runs longer is stopped and its test fails; the
  sandbox is restarted for what follows.
- ``memory_mb``: address space of the sandbox's process (RLIMIT_AS).
- ``file_mb``: the largest file the sandbox may write (RLIMIT_FSIZE).
- ``processes``: processes and threads the sandbox may start (RLIMIT_NPROC,
  counted for the sandbox's own user id).
- CPU time (RLIMIT_CPU) is the budget plus a few seconds: a sandbox cannot
  use more CPU than wall-clock time anyway, this only stops a runaway child.

The course commands take ``--budget`` and ``--cell-timeout`` (= ``call``);
nbgrader_config.py applies the defaults. A test cell runs in the grader within
what is left of the budget, each of its calls of the student's code within
``call``. nbgrader's own ``Execute`` runs only the instructor's notebooks (the
solution key) and gets ``budget`` as its per-cell timeout. The student's
``validate`` (package ``cs231n_support``) allows 300 s per cell, like a kernel
in JupyterLab that is left to finish.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    budget: float = 300.0
    call: float = 60.0
    memory_mb: int = 3072
    file_mb: int = 16
    processes: int = 16
    output_chars: int = 100_000      # characters kept of one cell's text output

    def __post_init__(self):
        for name in ("budget", "call", "memory_mb", "file_mb", "processes", "output_chars"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"Limits.{name} must be a positive number, got {value!r}")

    @property
    def cpu_seconds(self):
        return int(self.budget) + 5


DEFAULT_LIMITS = Limits()
