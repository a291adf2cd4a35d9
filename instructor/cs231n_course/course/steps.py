"""The course's steps that make things from the notebooks: release, solution key, sample class, feedback.

Each wraps one of nbgrader's own converters (GenerateAssignment,
GenerateSolution, GenerateFeedback), run by ``Course._run``.
"""
import json
from pathlib import Path

from .config import COURSE_ID, CourseError


class Steps:
    """Mixed into ``Course``: the steps before and after grading."""

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
        from ..sample_class import write_sample_class
        return write_sample_class(self.root, assignments or self.assignments(), self.source_dir)

    def feedback(self, assignments=None, students=None):
        """Generate HTML feedback for every graded submission into feedback/.

        Returns {(student, assignment): why} for the submissions that got no
        feedback (nbgrader's own command skips them silently).
        """
        from nbgrader.converters import GenerateFeedback
        from ..feedback_page import polish_feedback_file
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
                missing[(student, a)] = f"feedback failed: {first_error(exc)}"
                continue
            for nb in sorted((self.root / "autograded" / student / a).glob("*.ipynb")):
                page = self.root / "feedback" / student / a / f"{nb.stem}.html"
                if page.exists():
                    polish_feedback_file(page, nb)     # tests named in the summary, messages that wrap
        return missing


def notebook_errors(path):
    """Errors of the executed notebook at ``path``: error outputs, and plots drawn without their glyphs."""
    nb = json.loads(Path(path).read_text())
    errors = []
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id", "?")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append(f"cell {grade_id}: {out.get('ename')}: {out.get('evalue')}")
            text = "".join(out.get("text", "")) if out.get("output_type") == "stream" else ""
            if "missing from font" in text or "does not have a glyph" in text:   # drawn as empty boxes
                errors.append(f"cell {grade_id}: a plot lacks glyphs: {text.strip().splitlines()[0][:160]}")
    return errors


def first_error(exc):
    lines = [l.strip() for l in str(exc).splitlines()[1:] if l.strip()]
    useful = [l for l in lines if "Please see" not in l and "Traceback" not in l]
    return (useful or lines or [str(exc)])[0][:300]
