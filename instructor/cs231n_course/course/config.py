"""The course's configuration: its folder, what student code may not touch, nbgrader's settings.

``configure`` is what the course commands and ``nbgrader_config.py`` (nbgrader's
own command line and formgrader) both apply, so both see one course.
"""
import math
import os
import sys
import warnings
from pathlib import Path

from ..limits import DEFAULT_LIMITS

COURSE_ID = "cs231n-foundations"
SAMPLE_STUDENTS = ("sample-reference", "sample-blank", "sample-mistakes")
# What a student's code may not touch while it is graded (under the course folder).
PROTECTED = ("notebooks", "translations", "source", "source_ko", "release", "solution", "submitted", "autograded",
             "feedback", "course_report", "gradebook.db", "grades.csv", "grading_status.json",
             ".grading_status.lock", "course_language")
LANGUAGES = ("en", "ko")
LANGUAGE_FILE = "course_language"     # the language of the class in this course folder: "en" or "ko"
# The late-submission policy, applied by nbgrader (AssignLatePenalties with nbgrader_ext.LatePenalty)
# from timestamp.txt and the assignment's due date: a late notebook loses 10% of the points it
# earned per started day (24 h) after the due date, at most 50%.
LATE_PENALTY_PER_DAY = 0.10
LATE_PENALTY_MAX = 0.50
LATE_POLICY = "a late notebook loses 10% of the points it earned per started day late, at most 50%"


def late_penalty(score, seconds_late):
    """The points a notebook scoring ``score`` loses when submitted ``seconds_late`` after the due date."""
    if not seconds_late or seconds_late <= 0:
        return 0.0
    days = math.ceil(seconds_late / 86400)
    return round(score * min(LATE_PENALTY_MAX, LATE_PENALTY_PER_DAY * days), 6)


# nbgrader's exchange folder (assignments out, submissions in, feedback back): --exchange, else this variable,
# else the folder deploy/ sets up (writable by everyone, sticky, as nbgrader requires).
EXCHANGE_ENV = "CS231N_EXCHANGE"
DEFAULT_EXCHANGE = "/srv/nbgrader/exchange"


def exchange_root(exchange=None):
    """The nbgrader exchange folder: ``exchange``, else $CS231N_EXCHANGE, else /srv/nbgrader/exchange."""
    return str(Path(exchange or os.environ.get(EXCHANGE_ENV) or DEFAULT_EXCHANGE).absolute())


def course_language(root, lang=None):
    """The class's language: ``lang`` if given (and remembered), else the one remembered, else English."""
    path = Path(root) / LANGUAGE_FILE
    if lang is None:
        lang = path.read_text().strip() if path.exists() else "en"
    if lang not in LANGUAGES:
        raise CourseError(f"unknown language {lang!r} for this class; expected one of {', '.join(LANGUAGES)}")
    if (path.read_text().strip() if path.exists() else "en") != lang:
        path.write_text(lang + "\n")
    return lang


def source_directory(lang):
    """Where nbgrader finds the source notebooks of a class in ``lang`` (built by editions.py for "ko")."""
    return "notebooks" if lang == "en" else f"source_{lang}"

# nbgrader imports jsonschema (through nbformat and jupyter_events), which
# imports the optional package rfc3987_syntax when it is installed; that
# package builds 39 parsers at import, 1.3 s of CPU in every grading process,
# for an "iri" format check nothing here uses. Without it jsonschema simply
# skips that one check.
sys.modules.setdefault("rfc3987_syntax", None)


def default_root():
    """The course folder: the current folder (the course commands take --root)."""
    return Path.cwd()


def protected_paths(root):
    """What a student's code may not touch: the course's folders and files."""
    return [str(Path(root).resolve() / d) for d in PROTECTED]


def configure(c, root=None, limits=DEFAULT_LIMITS, isolate=True, lang=None, exchange=None):
    """Apply the course's nbgrader settings to a traitlets Config ``c``."""
    root = Path(root or default_root()).resolve()
    lang = course_language(root, lang) if root.is_dir() else "en"
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.source_directory = source_directory(lang)
    c.CourseDirectory.course_id = COURSE_ID
    c.Exchange.root = exchange_root(exchange)
    # Parallel graders write to one SQLite gradebook: wait for a lock instead of failing.
    c.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}?timeout=60"
    # A deleted or edited test cell is put back from the release; without this
    # a deleted test cell would be left "needs manual grading".
    c.OverwriteCells.add_missing_cells = True
    # nbgrader's Execute runs only the instructor's own notebooks (the solution key).
    c.Execute.timeout = int(limits.budget)
    c.Execute.interrupt_on_timeout = True
    # nbgrader's default kernel argument, plus quieting the kernel's own log
    # (ipykernel warns about TCP transport for every kernel it starts).
    c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
    # nbgrader's own pipeline, with the student's code run only in the sandbox (SealedExecute
    # instead of Execute) and an output limit that also caps characters.
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, LimitOutput
    from ..nbgrader_ext import LimitOutputSize, SealedExecute
    replace = {Execute: SealedExecute, LimitOutput: LimitOutputSize}
    c.Autograde.autograde_preprocessors = [replace.get(p, p) for p in
                                           Autograde.class_traits()["autograde_preprocessors"].default()]
    # The course's late policy (late_penalty above), in nbgrader's own late-penalty step.
    from ..nbgrader_ext import LatePenalty
    c.AssignLatePenalties.plugin_class = LatePenalty
    c.SealedExecute.course_root = str(root)
    c.SealedExecute.source_directory = source_directory(lang)
    c.SealedExecute.lang = lang
    c.SealedExecute.protected = protected_paths(root)
    c.SealedExecute.budget, c.SealedExecute.call = float(limits.budget), float(limits.call)
    c.SealedExecute.isolate = bool(isolate)
    return c


def make_config(root=None, limits=DEFAULT_LIMITS, isolate=True, lang=None, exchange=None):
    from traitlets.config import Config
    return configure(Config(), root, limits, isolate, lang, exchange)


def prepare_environment():
    """Environment for nbgrader and the kernels it starts.

    - nbgrader runs the ``alembic`` command when it creates a gradebook; in a
      virtual environment that was not activated, its scripts folder is not on
      PATH, so put it there.
    - One BLAS thread per kernel (see below).
    - A non-interactive MPLBACKEND (e.g. Agg, set by test runners) would stop
      the kernels from drawing plots into the notebooks; let them use their
      inline backend.
    """
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
    os.environ.pop("MPLBACKEND", None)
    # Notebooks multiply small matrices; on a busy 2-core machine (several
    # kernels grading in parallel) multi-threaded BLAS makes them ~10x slower.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    # nbgrader 0.9.6 triggers SQLAlchemy "not in session" warnings on every
    # autograde; they are harmless and would bury the course's own messages.
    from sqlalchemy.exc import SAWarning
    warnings.filterwarnings("ignore", category=SAWarning)


NOT_ISOLATED = "graded WITHOUT isolation (--no-isolation): its code ran with the grader's rights"


class CourseError(RuntimeError):
    """A course step failed; the message says what and where."""
