"""The course commands: nbgrader's workflow for this course, one step at a time.

    python -m cs231n_course release      # student version of every notebook -> release/
    python -m cs231n_course solution     # executed instructor solution key  -> solution/
    python -m cs231n_course sample-class # bundled sample submissions        -> submitted/sample-*/
    python -m cs231n_course autograde    # grade everything in submitted/    -> autograded/, gradebook.db
    python -m cs231n_course feedback     # HTML feedback per student         -> feedback/
    python -m cs231n_course grades       # grades.csv and the gradebook table
    python -m cs231n_course report       # pass rates and flagged submissions -> course_report/
    python -m cs231n_course collect-zip ZIP -a A --roster R  # a Canvas/Moodle download -> submitted/
    python -m cs231n_course export-canvas -a A  # Canvas's gradebook import CSV -> canvas_grades.csv
    python -m cs231n_course publish -a A --due ISO  # release A into nbgrader's exchange, due date in the gradebook
    python -m cs231n_course collect -a A           # students' latest submissions from the exchange -> submitted/
    python -m cs231n_course return-feedback -a A   # feedback, then into the exchange for each student to fetch
    python -m cs231n_course student-wheel  # the student package as a wheel  -> dist/
    python -m cs231n_course all          # the main job: release .. grades in order
    python -m cs231n_course validate NOTEBOOK   # a notebook's visible tests (as students run them)
    python -m cs231n_course download-cifar10    # fetch CIFAR-10 (170 MB) into <course>/data/cache

Every step wraps nbgrader's own converters (GenerateAssignment, GenerateSolution,
Autograde, GenerateFeedback, the CSV exporter) or exchange (ExchangeReleaseAssignment,
ExchangeCollect, ExchangeReleaseFeedback), run in this one process so that
nbgrader's start-up is paid once, with the configuration of ``config.py``.

The rooms: ``config`` (folder, settings, late policy), ``steps`` (release, solution key,
sample class, feedback), ``exchange`` (publish, collect, return feedback), ``grading``
(autograde, statuses), ``reporting`` (grades CSV, report, gradebook table), ``lms``
(Canvas/Moodle downloads in, Canvas gradebook CSV out), ``cli`` (the command line and the main job).
"""
import logging
import os
import sys
from pathlib import Path

from ..limits import DEFAULT_LIMITS
from ..status import StatusStore
from .config import (COURSE_ID, NOT_ISOLATED, PROTECTED, SAMPLE_STUDENTS, CourseError, configure, course_language,
                     default_root, make_config, prepare_environment, protected_paths, source_directory)
from .exchange import ExchangeSteps
from .grading import Grading, Outcome, record_verdict
from .lms import Lms
from .reporting import Reporting
from .steps import Steps, notebook_errors

__all__ = ["Course", "CourseError", "Outcome", "configure", "make_config", "protected_paths", "default_root",
           "record_verdict", "notebook_errors", "COURSE_ID", "PROTECTED", "SAMPLE_STUDENTS", "NOT_ISOLATED", "main"]


class Course(Steps, ExchangeSteps, Grading, Reporting, Lms):
    """One nbgrader course folder (``root``) and the steps run on it."""

    def __init__(self, root=None, verbose=False, limits=DEFAULT_LIMITS, isolate=True, lang=None, exchange=None):
        from nbgrader.apps import NbGraderAPI
        from cs231n_support import i18n

        prepare_environment()
        self.root = Path(root or default_root()).resolve()
        os.environ.setdefault("CS231N_DATA", str(self.root / "data" / "cache"))   # the course's CIFAR-10
        if not (self.root / "notebooks").is_dir():
            raise CourseError(f"{self.root} has no notebooks/ folder; run from the course folder or pass --root")
        self.lang = course_language(self.root, lang)
        i18n.use(self.lang)                      # what the grader writes for students (verdicts, feedback)
        self.source_dir = self.root / source_directory(self.lang)
        if self.lang != "en":
            self._write_edition()
        self.limits, self.isolate = limits, isolate
        self.status = StatusStore(self.root)
        self.config = make_config(self.root, limits, isolate, self.lang, exchange)
        self.api = NbGraderAPI(config=self.config)
        self.api.log.setLevel(logging.DEBUG if verbose else logging.ERROR)
        self.verbose = verbose

    def _write_edition(self):
        """The class's source notebooks in its language, from notebooks/ and translations/."""
        from ..editions import TranslationError, write_edition
        try:
            write_edition(self.root, self.lang, self.assignments())
        except TranslationError as exc:
            raise CourseError(str(exc)) from None

    def assignments(self):
        """Names of the assignments (folders of notebooks/ holding a notebook)."""
        return sorted(p.name for p in (self.root / "notebooks").iterdir()
                      if p.is_dir() and not p.name.startswith((".", "_")) and any(p.glob("*.ipynb")))

    def submissions(self, assignments=None, students=None):
        """(student, assignment) pairs present in submitted/."""
        pairs = []
        for a in assignments or self.assignments():
            for d in sorted((self.root / "submitted").glob(f"*/{a}")):
                if d.parent.name.startswith(("_", ".")):     # _unmatched, _superseded (lms.py)
                    continue
                if students is None or d.parent.name in students:
                    pairs.append((d.parent.name, a))
        return pairs

    def _run(self, converter_cls, assignment, student=".", **traits):
        """Run one nbgrader converter; return its captured log, raise CourseError on failure."""
        return self._run_app(lambda: converter_cls(coursedir=self.api.coursedir, parent=self.api),
                             f"{converter_cls.__name__} failed for {assignment} / {student}", assignment, student,
                             **traits)

    def _run_app(self, make_app, failed, assignment, student=".", **traits):
        """Run the nbgrader app ``make_app()`` makes for one assignment and student; CourseError(``failed``: why)."""
        from nbgrader.utils import capture_log, temp_attrs

        with temp_attrs(self.api.coursedir, assignment_id=assignment, student_id=student):
            app = make_app()
            for k, v in traits.items():
                setattr(app, k, v)
            result = capture_log(app)
        if not result["success"]:
            # nbgrader logs the real cause; its exception only says "see above".
            log = [l for l in result.get("log", "").splitlines() if l.strip()]
            errors = [l for l in log if l.startswith(("[ERROR]", "[CRITICAL]"))] or log[-15:]
            if not errors and result.get("error"):
                errors = result["error"].strip().splitlines()[-1:]
            raise CourseError(f"{failed}:\n  " + "\n  ".join(errors))
        return result.get("log", "")

    def _progress(self, items, desc, total=None):
        from tqdm.auto import tqdm
        return tqdm(items, desc=desc, total=total, unit="nb", leave=False, disable=not sys.stderr.isatty())


def main(argv=None):
    from .cli import main as cli_main
    return cli_main(argv)
