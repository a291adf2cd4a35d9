"""The course commands: nbgrader's workflow for this course, one step at a time.

    python -m cs231n_support release      # student version of every notebook -> release/
    python -m cs231n_support solution     # executed instructor solution key  -> solution/
    python -m cs231n_support sample-class # bundled sample submissions        -> submitted/sample-*/
    python -m cs231n_support autograde    # grade everything in submitted/    -> autograded/, gradebook.db
    python -m cs231n_support feedback     # HTML feedback per student         -> feedback/
    python -m cs231n_support grades       # grades.csv and the gradebook table
    python -m cs231n_support all          # the main job: every step above in order
    python -m cs231n_support validate NOTEBOOK   # for students: run the visible tests
    python -m cs231n_support download-cifar10    # fetch CIFAR-10 (170 MB) into data/cache

Every step wraps nbgrader's own converters (GenerateAssignment, GenerateSolution,
Autograde, GenerateFeedback, the CSV exporter), run in this one process so that
nbgrader's start-up is paid once, with the configuration below. The same
configuration is what ``nbgrader_config.py`` gives nbgrader's command line and
formgrader, so both see one course.
"""
import argparse
import json
import logging
import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .limits import DEFAULT_LIMITS, Limits
from .status import StatusStore, fingerprint

PACKAGE_DIR = Path(__file__).resolve().parent
COURSE_ID = "cs231n-foundations"
SAMPLE_STUDENTS = ("sample-reference", "sample-blank", "sample-mistakes")
# What a student's code may not touch while it is graded (under the course folder).
PROTECTED = ("notebooks", "source", "release", "solution", "submitted", "autograded", "feedback",
             "course_report", "gradebook.db", "grades.csv", "grading_status.json", ".grading_status.lock")

# nbgrader imports jsonschema (through nbformat and jupyter_events), which
# imports the optional package rfc3987_syntax when it is installed; that
# package builds 39 parsers at import, 1.3 s of CPU in every grading process,
# for an "iri" format check nothing here uses. Without it jsonschema simply
# skips that one check.
sys.modules.setdefault("rfc3987_syntax", None)


def default_root():
    """The course folder: the project checkout if the package lives in one, else the current folder."""
    project = PACKAGE_DIR.parent
    return project if (project / "notebooks").is_dir() else Path.cwd()


def protected_paths(root):
    """What a student's code may not touch: the course's folders and files, and the variants."""
    return [str(Path(root).resolve() / d) for d in PROTECTED] + [str(PACKAGE_DIR.parent / "data")]


def configure(c, root=None, limits=DEFAULT_LIMITS, isolate=True):
    """Apply the course's nbgrader settings to a traitlets Config ``c``."""
    root = Path(root or default_root()).resolve()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.source_directory = "notebooks"
    c.CourseDirectory.course_id = COURSE_ID
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
    from .nbgrader_ext import LimitOutputSize, SealedExecute
    replace = {Execute: SealedExecute, LimitOutput: LimitOutputSize}
    c.Autograde.autograde_preprocessors = [replace.get(p, p) for p in
                                           Autograde.class_traits()["autograde_preprocessors"].default()]
    c.SealedExecute.course_root = str(root)
    c.SealedExecute.protected = protected_paths(root)
    c.SealedExecute.budget, c.SealedExecute.call = float(limits.budget), float(limits.call)
    c.SealedExecute.isolate = bool(isolate)
    return c


def make_config(root=None, limits=DEFAULT_LIMITS, isolate=True):
    from traitlets.config import Config
    return configure(Config(), root, limits, isolate)


def _prepare_environment():
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


class Course:
    """One nbgrader course folder (``root``) and the steps run on it."""

    def __init__(self, root=None, verbose=False, limits=DEFAULT_LIMITS, isolate=True):
        from nbgrader.apps import NbGraderAPI

        _prepare_environment()
        self.root = Path(root or default_root()).resolve()
        if not (self.root / "notebooks").is_dir():
            raise CourseError(f"{self.root} has no notebooks/ folder; run from the course folder or pass --root")
        self.limits, self.isolate = limits, isolate
        self.status = StatusStore(self.root)
        self.config = make_config(self.root, limits, isolate)
        self.api = NbGraderAPI(config=self.config)
        self.api.log.setLevel(logging.DEBUG if verbose else logging.ERROR)
        self.verbose = verbose

    # -- helpers ------------------------------------------------------------
    def assignments(self):
        """Names of the assignments (folders of notebooks/ holding a notebook)."""
        return sorted(p.name for p in (self.root / "notebooks").iterdir()
                      if p.is_dir() and not p.name.startswith((".", "_")) and any(p.glob("*.ipynb")))

    def _run(self, converter_cls, assignment, student=".", **traits):
        """Run one nbgrader converter; return its captured log, raise CourseError on failure."""
        from nbgrader.utils import capture_log, temp_attrs

        with temp_attrs(self.api.coursedir, assignment_id=assignment, student_id=student):
            app = converter_cls(coursedir=self.api.coursedir, parent=self.api)
            for k, v in traits.items():
                setattr(app, k, v)
            result = capture_log(app)
        if not result["success"]:
            # nbgrader logs the real cause; its exception only says "see above".
            log = [l for l in result.get("log", "").splitlines() if l.strip()]
            errors = [l for l in log if l.startswith(("[ERROR]", "[CRITICAL]"))] or log[-15:]
            raise CourseError(f"{converter_cls.__name__} failed for {assignment} / {student}:\n  "
                              + "\n  ".join(errors))
        return result.get("log", "")

    def _progress(self, items, desc, total=None):
        from tqdm.auto import tqdm
        return tqdm(items, desc=desc, total=total, unit="nb", leave=False, disable=not sys.stderr.isatty())

    # -- steps --------------------------------------------------------------
    def release(self, assignments=None):
        """Generate the student version of each assignment into release/."""
        from nbgrader.converters import GenerateAssignment
        for a in self._progress(assignments or self.assignments(), "release"):
            self._run(GenerateAssignment, a, force=True, create_assignment=True)
        return self.root / "release"

    def solution(self, assignments=None):
        """Execute the source notebooks into solution/ and check that their own tests pass."""
        from nbgrader.api import Gradebook
        from nbgrader.converters import GenerateSolution
        problems = []
        for a in self._progress(assignments or self.assignments(), "solution"):
            with Gradebook(self.api.coursedir.db_url, COURSE_ID) as gb:
                gb.update_or_create_assignment(a)      # nbgrader refuses unknown assignments here
            self._run(GenerateSolution, a, force=True)
            for nb in sorted((self.root / "solution" / a).glob("*.ipynb")):
                problems += [f"{nb.relative_to(self.root)}: {e}" for e in notebook_errors(nb)]
        if problems:
            raise CourseError("the reference solution fails its own notebook:\n  " + "\n  ".join(problems))
        return self.root / "solution"

    def sample_class(self, assignments=None):
        """Write the bundled sample submissions into submitted/sample-*/."""
        from .sample_class import write_sample_class
        return write_sample_class(self.root, assignments or self.assignments())

    def submissions(self, assignments=None, students=None):
        """(student, assignment) pairs present in submitted/."""
        pairs = []
        for a in assignments or self.assignments():
            for d in sorted((self.root / "submitted").glob(f"*/{a}")):
                if students is None or d.parent.name in students:
                    pairs.append((d.parent.name, a))
        return pairs

    def check_isolation(self):
        """Raise CourseError if student code cannot be isolated here (unless grading without isolation)."""
        from .isolation import isolation_problem
        problem = self.isolate and isolation_problem()
        if problem:
            raise CourseError(f"cannot grade safely on this machine: {problem}.\n  Student code must not run "
                              "outside the sandbox; to grade anyway WITHOUT isolation (only for code you "
                              "trust), pass --no-isolation: the report and grades.csv then say so.")

    def autograde(self, assignments=None, students=None, jobs=1, force=False):
        """Autograde submitted/<student>/<assignment> into autograded/ and the gradebook.

        Each notebook is graded once, in a sandbox (``nbgrader_ext.SealedExecute``
        inside nbgrader's own Autograde). With ``jobs`` > 1, that many
        submissions are graded at once in worker processes. Each finished
        submission's status is stored at once (``status.py``); submissions
        already graded (same submitted and source notebooks) are skipped
        unless ``force``. Returns {(student, assignment): Outcome} of those graded now.
        """
        self.check_isolation()
        pairs = self.submissions(assignments, students)
        if not force:
            pairs = [p for p in pairs if not self._already_graded(*p)]
        if jobs <= 1 or len(pairs) <= 1:
            outcomes = {pair: self.grade_one(*pair) for pair in self._progress(pairs, "autograde")}
        else:
            outcomes = self._grade_in_parallel(pairs, jobs)
        return dict(sorted(outcomes.items()))

    def _fingerprints(self, student, assignment):
        return (fingerprint(self.root / "submitted" / student / assignment),
                fingerprint(self.root / "notebooks" / assignment))

    def _already_graded(self, student, assignment):
        entry = self.status.read().get(f"{student}/{assignment}")
        return (entry is not None and entry["status"] == "graded" and entry.get("isolated") == self.isolate
                and [entry.get("submission"), entry.get("source")] == list(self._fingerprints(student, assignment)))

    def _grade_in_parallel(self, pairs, jobs):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        outcomes = {}
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init,
                                 initargs=(str(self.root), self.limits, self.isolate)) as pool:
            futures = {pool.submit(_worker_grade, *pair): pair for pair in pairs}
            for future in self._progress(as_completed(futures), "autograde", total=len(futures)):
                pair = futures[future]
                try:
                    outcomes[pair] = future.result()
                except Exception as exc:          # the worker process itself died
                    outcomes[pair] = Outcome(*pair, status=f"not graded: the grading process failed ({exc})")
                    self._forget_submission(*pair)
                    self._record(outcomes[pair])
        return outcomes

    def grade_one(self, student, assignment):
        """Grade one submission (nbgrader's Autograde with the sealed execution); record its status."""
        from nbgrader.converters import Autograde
        from .nbgrader_ext import VERDICTS
        outcome = Outcome(student, assignment, isolated=self.isolate)
        VERDICTS.clear()
        try:
            self._run(Autograde, assignment, student, force=True, create_student=True)
        except CourseError as exc:
            outcome.status = f"not graded: {_first_error(exc)}"
        for (s, a, nb), verdict in sorted(VERDICTS.items()):
            self._collect(outcome, nb, verdict)
        if outcome.graded and not outcome.verdicts:
            outcome.status = "not graded: no notebook of the assignment was found in the submission"
        if not outcome.graded:
            self._forget_submission(student, assignment)     # never leave a stale or fake score
        self._record(outcome)
        return outcome

    def _collect(self, outcome, nb, verdict):
        """Take one notebook's sealed verdict into the outcome; make sure the gradebook holds it."""
        outcome.verdicts[nb] = verdict
        outcome.flags += [f"{nb}: {f}" for f in verdict.flags]
        outcome.notes += [f"{nb}: {p}" for p in verdict.problems]
        if verdict.not_graded:
            outcome.status = f"not graded: {verdict.not_graded}"
        elif outcome.graded:
            record_verdict(self.api.coursedir.db_url, outcome.assignment, outcome.student, nb, verdict)

    def _forget_submission(self, student, assignment):
        from nbgrader.api import Gradebook, MissingEntry
        with Gradebook(self.api.coursedir.db_url, COURSE_ID) as gb:
            try:
                gb.remove_submission(assignment, student)
            except MissingEntry:
                pass

    def _record(self, o):
        """Store how one submission's grading went, the moment it finished."""
        submission, source = self._fingerprints(o.student, o.assignment)
        self.status.put(f"{o.student}/{o.assignment}", {
            "status": o.status, "flags": o.flags, "notes": o.notes, "isolated": o.isolated,
            "submission": submission, "source": source,
            "tests": {nb: {t.grade_id: [t.earned, t.points] for t in v.tests} for nb, v in o.verdicts.items()},
            "messages": {nb: {t.grade_id: t.message for t in v.tests if t.message} for nb, v in o.verdicts.items()}})

    def grading_status(self):
        return self.status.read()

    def feedback(self, assignments=None, students=None):
        """Generate HTML feedback for every graded submission into feedback/.

        Returns {(student, assignment): why} for the submissions that got no
        feedback (nbgrader's own command skips them silently).
        """
        from nbgrader.converters import GenerateFeedback
        from .feedback_page import polish_feedback_file
        status = self.grading_status()
        missing = {}
        for student, a in self._progress(self.submissions(assignments, students), "feedback"):
            graded = status.get(f"{student}/{a}", {}).get("status", "graded")
            if graded != "graded" or not (self.root / "autograded" / student / a).is_dir():
                missing[(student, a)] = graded if graded != "graded" else "not autograded yet"
                continue
            try:
                self._run(GenerateFeedback, a, student, force=True)
            except CourseError as exc:
                missing[(student, a)] = f"feedback failed: {_first_error(exc)}"
                continue
            for nb in sorted((self.root / "autograded" / student / a).glob("*.ipynb")):
                page = self.root / "feedback" / student / a / f"{nb.stem}.html"
                if page.exists():
                    polish_feedback_file(page, nb)     # tests named in the summary, messages that wrap
        return missing

    def export_grades(self, path=None):
        """Write the grades CSV (nbgrader's export plus a status column); return its path.

        nbgrader writes 0 for a student without a recorded submission; here a
        submission whose grading failed gets empty scores and a status saying
        "not graded: why", so it cannot pass for an honest zero.
        """
        import csv
        from nbgrader.api import Gradebook
        from nbgrader.plugins import CsvExportPlugin
        path = Path(path or self.root / "grades.csv")
        plugin = CsvExportPlugin(parent=self.api)
        plugin.to = str(path)
        with Gradebook(self.api.coursedir.db_url, COURSE_ID) as gb:
            plugin.export(gb)
        status = self.grading_status()
        with open(path, newline="") as fh:
            rows = list(csv.DictReader(fh))
        extra = ["status", "flags", "isolation"]
        fields = list(rows[0].keys()) + extra if rows else extra
        for row in rows:
            info = status.get(f"{row['student_id']}/{row['assignment']}")
            if info is None:
                row["status"] = "graded" if row.get("timestamp") else "no submission"
                row["flags"] = row["isolation"] = ""
                continue
            row["status"], row["flags"] = info["status"], "; ".join(info["flags"])
            row["isolation"] = "sandboxed" if info.get("isolated", True) else NOT_ISOLATED
            if info["status"] != "graded":
                for key in ("raw_score", "late_submission_penalty", "score"):
                    row[key] = ""
        with open(path, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        return path

    def report(self, out_dir=None):
        """The instructor's report: per-test pass rates (CSV and plot) and the flagged submissions."""
        import csv
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        out = Path(out_dir or self.root / "course_report")
        out.mkdir(parents=True, exist_ok=True)
        status = self.grading_status()
        rates = {}
        for key, info in status.items():
            assignment = key.split("/", 1)[1]
            for nb, tests in info.get("tests", {}).items():
                for grade_id, (earned, points) in tests.items():
                    r = rates.setdefault((assignment, nb, grade_id), [0, 0, points])
                    r[0] += earned >= points
                    r[1] += 1
        with open(out / "pass_rates.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["assignment", "notebook", "test", "points", "passed", "graded", "pass_rate"])
            for (a, nb, g), (passed, n, points) in sorted(rates.items()):
                w.writerow([a, nb, g, points, passed, n, f"{passed / n:.3f}"])
        if rates:
            labels = [f"{a}: {g}" for a, _, g in sorted(rates)]
            values = [rates[k][0] / rates[k][1] for k in sorted(rates)]
            fig, ax = plt.subplots(figsize=(8, 0.22 * len(labels) + 1.2))
            ax.barh(range(len(labels)), values, color="tab:blue")
            ax.set(yticks=range(len(labels)), xlim=(0, 1), xlabel="fraction of the class passing",
                   title="Autograded tests: pass rate across the class")
            ax.set_yticklabels(labels, fontsize=7)
            ax.invert_yaxis()
            fig.tight_layout()
            fig.savefig(out / "pass_rates.png", dpi=110)
            plt.close(fig)
        with open(out / "flagged.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["student", "assignment", "status", "why"])
            for key, info in sorted(status.items()):
                student, assignment = key.split("/", 1)
                whys = info["flags"] + ([] if info["status"] == "graded" else [info["status"]])
                for why in whys + ([] if info.get("isolated", True) else [NOT_ISOLATED]):
                    w.writerow([student, assignment, info["status"], why])
        return out

    def gradebook_rows(self):
        """One dict per (student, assignment) submission in the gradebook."""
        from nbgrader.api import Gradebook, MissingEntry
        rows = []
        with Gradebook(self.api.coursedir.db_url, COURSE_ID) as gb:
            for a in gb.assignments:
                for s in gb.students:
                    try:
                        sub = gb.find_submission(a.name, s.id)
                    except MissingEntry:
                        continue
                    rows.append(dict(student=s.id, assignment=a.name,
                                     auto=sub.code_score, auto_max=sub.max_code_score,
                                     written=sub.written_score, written_max=sub.max_written_score,
                                     needs_manual=sub.needs_manual_grade,
                                     score=sub.score, max_score=sub.max_score))
        return rows

    def gradebook_table(self):
        """The gradebook as a text table: autograded points, hand-graded points, total, status."""
        status = self.grading_status()
        rows = self.gradebook_rows()
        lines = []
        for r in rows:
            info = status.get(f"{r['student']}/{r['assignment']}", {})
            lines.append((r["student"], r["assignment"], f"{r['auto']:g} / {r['auto_max']:g}",
                          f"{r['written']:g} / {r['written_max']:g}" + (" (to grade)" if r["needs_manual"] else ""),
                          f"{r['score']:g} / {r['max_score']:g}",
                          ("flagged" if info.get("flags") else "ok")
                          + ("" if info.get("isolated", True) else ", NOT ISOLATED")))
        graded = {(r["student"], r["assignment"]) for r in rows}
        for key, info in sorted(status.items()):
            student, assignment = key.split("/", 1)
            if (student, assignment) not in graded and info["status"] != "graded":
                lines.append((student, assignment, "-", "-", "-", info["status"][:60]))
        if not lines:
            return "(the gradebook has no submissions yet)"
        header = ("student", "assignment", "autograded", "by hand", "total", "status")
        widths = [max(len(x) for x in col) for col in zip(header, *lines)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        out = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
        out += [fmt.format(*line) for line in sorted(lines, key=lambda l: (l[1], l[0]))]
        return "\n".join(out)


@dataclass
class Outcome:
    """How grading one (student, assignment) went."""
    student: str
    assignment: str
    status: str = "graded"                        # or "not graded: why"
    verdicts: dict = field(default_factory=dict)  # notebook name -> sealed.NotebookVerdict
    flags: list = field(default_factory=list)     # what the submission tried that it may not do
    notes: list = field(default_factory=list)     # solution cells that raised, cells that timed out
    isolated: bool = True                         # False: graded without the operating system's isolation

    @property
    def graded(self):
        return self.status == "graded"


_WORKER = None


def _worker_init(root, limits, isolate):
    global _WORKER
    _WORKER = Course(root, limits=limits, isolate=isolate)


def _worker_grade(student, assignment):
    return _WORKER.grade_one(student, assignment)


def _first_error(exc):
    lines = [l.strip() for l in str(exc).splitlines()[1:] if l.strip()]
    useful = [l for l in lines if "Please see" not in l and "Traceback" not in l]
    return (useful or lines or [str(exc)])[0][:300]


def record_verdict(db_url, assignment, student, notebook, verdict):
    """Make sure nbgrader's gradebook holds the sealed score of every test.

    nbgrader scores each test cell from the outputs SealedExecute wrote (an
    error output is 0, anything else full marks); this writes the verdict's
    exact points, so a partial score or a test cell nbgrader did not score
    still counts as the sealed verdict says.
    """
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url, COURSE_ID) as gb:
        for t in verdict.tests:
            try:
                grade = gb.find_grade(t.grade_id, notebook, assignment, student)
            except MissingEntry:
                continue
            grade.auto_score = t.earned
        gb.db.commit()


def notebook_errors(path):
    """Error outputs ("ename: evalue") of the executed notebook at ``path``."""
    nb = json.loads(Path(path).read_text())
    errors = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
                errors.append(f"cell {grade_id}: {out.get('ename')}: {out.get('evalue')}")
    return errors


def validate(path):
    """Run a notebook's visible tests the way the autograder would; return (ok, report).

    ``nbgrader validate`` exits 0 even when tests fail; this reads the
    Validator's result instead.
    """
    from nbgrader.validator import Validator
    path = Path(path).resolve()
    if not path.is_file():
        return False, f"{path}: no such notebook"
    validator = Validator(config=make_config(default_root()))
    validator.log.setLevel(logging.ERROR)
    results = validator.validate(str(path))
    lines = []
    for f in results.get("failed", []):
        error = (f.get("raw_error") or "").strip().splitlines() or ["(no message)"]
        lines.append(f"- a test failed: {f['source'].splitlines()[0]}\n    {error[-1]}")
    for f in results.get("changed", []):
        lines.append(f"- a read-only test cell was changed; restore it from the release: {f['source'][:60]!r}")
    for f in results.get("type_changed", []):
        lines.append(f"- a cell's type was changed from {f['old_type']} to {f['new_type']}")
    if not lines:
        return True, f"{path.name}: every visible test passes (hidden tests run when it is graded)."
    return False, "\n".join([f"{path.name}: {len(lines)} problem(s):"] + lines)


# ---------------------------------------------------------------------------
# Command line

def _say(msg):
    print(msg, flush=True)


def _report_outcomes(outcomes):
    for o in outcomes:
        for line in ([o.status] if not o.graded else []) + [f"FLAGGED: {f}" for f in o.flags] + o.notes:
            _say(f"    {o.student} / {o.assignment}: {line}")


def run_all(course):
    """The main job: release, solution key, sample class, autograde, feedback, grades."""
    _say(f"Course folder: {course.root}")
    _say(f"Assignments: {', '.join(course.assignments())}")
    _say("1/6 generating the student release ...")
    rel = course.release()
    _say(f"    release written to {rel}")
    _say("2/6 executing the reference notebooks (instructor solution key) ...")
    sol = course.solution()
    _say(f"    executed solution key written to {sol}")
    _say("3/6 writing the bundled sample class ...")
    students = course.sample_class()
    _say(f"    submissions of {', '.join(students)} written to {course.root / 'submitted'}")
    _say("4/6 autograding every submission ...")
    from .isolation import isolation_problem
    if course.isolate and isolation_problem():
        # The sample class is the course's own code, so it may be graded without the
        # sandbox where the machine has none; real students' work never is, unless asked.
        _say(f"    this machine cannot isolate student code ({isolation_problem()});\n"
             "    the bundled sample class is the course's own code, so it is graded WITHOUT isolation "
             "(real submissions would be refused)")
        course = Course(course.root, verbose=course.verbose, limits=course.limits, isolate=False)
    outcomes = course.autograde(students=students, jobs=os.cpu_count() or 1, force=True)
    bad = [o for o in outcomes.values() if not o.graded]
    _say(f"    {len(outcomes) - len(bad)} of {len(outcomes)} submissions graded into {course.root / 'autograded'}")
    _report_outcomes(outcomes.values())
    _say("5/6 generating feedback ...")
    for (s, a), why in course.feedback(students=students).items():
        _say(f"    no feedback for {s} / {a}: {why}")
    _say(f"    HTML feedback written to {course.root / 'feedback'}")
    _say("6/6 exporting grades and the instructor report ...")
    csv = course.export_grades()
    _say(f"    grades CSV written to {csv}")
    _say(f"    pass rates and flagged submissions written to {course.report()}\n")
    _say(course.gradebook_table())
    return 1 if bad else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m cs231n_support", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=None,
                        help="course folder holding notebooks/ (default: the project checkout)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show nbgrader's own log")
    parser.add_argument("--budget", type=float, default=DEFAULT_LIMITS.budget,
                        help=f"wall-clock seconds for grading one submitted notebook, all its cells and tests; "
                             f"what is not run by then scores 0 (default {DEFAULT_LIMITS.budget:g})")
    parser.add_argument("--cell-timeout", type=float, default=DEFAULT_LIMITS.call,
                        help=f"seconds one cell of a submission, or one call of a student's function by a test, "
                             f"may run when grading, within the budget (default {DEFAULT_LIMITS.call:g})")
    parser.add_argument("--no-isolation", action="store_true",
                        help="grade WITHOUT the operating system's isolation (bubblewrap) where it is missing; "
                             "only for code you trust: the report and grades.csv say so for every submission")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, help_, students=False):
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--assignment", "-a", action="append", help="only this assignment (repeatable)")
        if students:
            p.add_argument("--student", "-s", action="append", help="only this student (repeatable)")
        return p

    add("release", "generate the student release of every notebook into release/")
    add("solution", "execute the reference notebooks into solution/ (the instructor's solution key)")
    add("sample-class", "write the bundled sample submissions into submitted/sample-*/")
    p = add("autograde", "autograde the submissions in submitted/", students=True)
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                   help="submissions graded at once (default: the number of cores)")
    p.add_argument("--force", action="store_true",
                   help="grade again submissions already graded (default: only new or changed ones)")
    add("feedback", "generate HTML feedback for the autograded submissions into feedback/", students=True)
    sub.add_parser("report", help="per-test pass rates (CSV, plot) and flagged submissions -> course_report/")
    p = sub.add_parser("grades", help="export grades.csv and print the gradebook")
    p.add_argument("--csv", type=Path, default=None, help="where to write the CSV (default: grades.csv)")
    sub.add_parser("all", help="the main job: every step above, on the bundled sample class")
    p = sub.add_parser("validate", help="for students: run a notebook's visible tests before submitting")
    p.add_argument("notebook", type=Path)
    p = sub.add_parser("download-cifar10", help="download and verify CIFAR-10 (170 MB) into the data cache")
    p.add_argument("--data-root", type=Path, default=None, help="where to put it (default: data/cache)")

    args = parser.parse_args(argv)
    if args.command == "validate":
        ok, report = validate(args.notebook)
        _say(report)
        return 0 if ok else 1
    if args.command == "download-cifar10":
        from .data import download_cifar10
        path = download_cifar10(args.data_root)
        _say(f"CIFAR-10 is ready in {path}")
        return 0
    try:
        limits = Limits(budget=args.budget, call=args.cell_timeout)
        course = Course(args.root, verbose=args.verbose, limits=limits, isolate=not args.no_isolation)
        if args.command == "all":
            return run_all(course)
        if args.command == "release":
            _say(f"release written to {course.release(args.assignment)}")
        elif args.command == "solution":
            _say(f"executed solution key written to {course.solution(args.assignment)}")
        elif args.command == "sample-class":
            _say(f"sample students written: {', '.join(course.sample_class(args.assignment))}")
        elif args.command == "autograde":
            outcomes = course.autograde(args.assignment, args.student, jobs=args.jobs, force=args.force)
            if not outcomes:
                _say("nothing to grade: every submission is graded already (--force grades them again)")
            for o in outcomes.values():
                _say(f"{o.student} / {o.assignment}: {o.status}")
            _report_outcomes(outcomes.values())
            return 0 if all(o.graded for o in outcomes.values()) else 1
        elif args.command == "feedback":
            missing = course.feedback(args.assignment, args.student)
            for (s, a), why in missing.items():
                _say(f"no feedback for {s} / {a}: {why}")
            _say(f"feedback written to {course.root / 'feedback'}")
            return 1 if missing else 0
        elif args.command == "report":
            _say(f"report written to {course.report()}")
        elif args.command == "grades":
            _say(f"grades CSV written to {course.export_grades(args.csv)}\n")
            _say(course.gradebook_table())
    except (CourseError, ValueError) as exc:
        _say(f"error: {exc}")
        return 1
    return 0
