"""Grading the submissions: nbgrader's Autograde with the sealed execution, one status per submission.

``Course.autograde`` grades what is new or changed in submitted/ (all of it
with ``force``), serially or in worker processes; each submission's outcome is
stored in the status store (``status.py``) the moment it finishes, and the
gradebook holds the sealed points (``record_verdict``).
"""
from dataclasses import dataclass, field

from ..status import fingerprint
from .config import COURSE_ID, CourseError
from .steps import first_error


class Grading:
    """Mixed into ``Course``: autograde and its bookkeeping."""

    def check_isolation(self):
        """Raise CourseError if student code cannot be isolated here (unless grading without isolation)."""
        from ..isolation import isolation_problem
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
                fingerprint(self.source_dir / assignment))

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
        from ..nbgrader_ext import VERDICTS
        outcome = Outcome(student, assignment, isolated=self.isolate)
        VERDICTS.clear()
        try:
            self._run(Autograde, assignment, student, force=True, create_student=True)
        except CourseError as exc:
            outcome.status = f"not graded: {first_error(exc)}"
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
    from . import Course
    _WORKER = Course(root, limits=limits, isolate=isolate)


def _worker_grade(student, assignment):
    return _WORKER.grade_one(student, assignment)


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
        _reapply_late_penalty(gb, assignment, student, notebook)


def _reapply_late_penalty(gb, assignment, student, notebook):
    """nbgrader set the late penalty from its own scores; set it again from the sealed points."""
    from nbgrader.api import MissingEntry
    from .config import late_penalty
    try:
        nb = gb.find_submission_notebook(notebook, assignment, student)
    except MissingEntry:
        return
    gb.db.expire_all()
    late = nb.assignment.total_seconds_late
    nb.late_submission_penalty = late_penalty(nb.score, late) if late > 0 else None
    gb.db.commit()
