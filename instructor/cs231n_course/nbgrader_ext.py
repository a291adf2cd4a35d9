"""The course's additions to nbgrader's autograde pipeline.

- ``SealedExecute`` takes the place of nbgrader's ``Execute``: instead of
  running the submission and its tests in one kernel as the instructor, it
  grades the notebook with ``sealed.grade_notebook`` (every cell of the
  submission in a sandbox, the instructor's tests outside it) and writes the
  sandbox's outputs into the cells, each test cell showing its verdict
  ("Passed." or an error saying why). nbgrader's own ``SaveAutoGrades`` then
  scores the test cells from those outputs, as it always does, so the
  gradebook, formgrader, feedback and the CSV work unchanged. Hidden tests
  are replaced by a note in the autograded notebook.
- ``LimitOutputSize``: nbgrader's ``LimitOutput`` caps the number of output
  *lines*; this also caps the characters kept per cell output.
- ``LatePenalty``: nbgrader's late-submission plugin with the course's policy
  (``course.config.late_penalty``).
"""
from pathlib import Path

import nbformat
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import LimitOutput, NbGraderPreprocessor
from traitlets import Bool, Float, Integer, List, Unicode

from .limits import Limits

# The verdicts of the notebooks graded in this process, by (student, assignment, notebook):
# the course commands read them after nbgrader's Autograde returns.
VERDICTS = {}


class SealedExecute(NbGraderPreprocessor):
    """Grade the notebook in a sandbox and put the outputs and verdicts into its cells."""

    course_root = Unicode(help="the course folder (holds notebooks/, the instructor's sources)").tag(config=True)
    source_directory = Unicode("notebooks").tag(config=True)
    protected = List(Unicode(), help="paths the student's code may not touch").tag(config=True)
    budget = Float(Limits.budget, help="wall-clock seconds for grading one notebook").tag(config=True)
    call = Float(Limits.call, help="seconds one cell or one call may run").tag(config=True)
    isolate = Bool(True, help="run student code in the operating system's isolation").tag(config=True)
    lang = Unicode("en", help="the class's language: what the verdicts say (\"en\" or \"ko\")").tag(config=True)

    def preprocess(self, nb, resources):
        from cs231n_support import i18n
        from .sealed import grade_notebook, hide_hidden_tests
        i18n.use(self.lang)
        info = resources["nbgrader"]
        source = Path(self.course_root) / self.source_directory / info["assignment"] / f"{info['notebook']}.ipynb"
        verdict = grade_notebook(nb, source, Limits(budget=self.budget, call=self.call),
                                 protected=self.protected, isolate=self.isolate)
        VERDICTS[(info["student"], info["assignment"], info["notebook"])] = verdict
        count = 0
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            count += 1
            cell.execution_count = count
            cell.outputs = [nbformat.from_dict(o) for o in verdict.outputs.get(i, [])]
            for o in cell.outputs:
                if o.output_type == "execute_result":
                    o.execution_count = count
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                cell.source = hide_hidden_tests(cell.source)
        return nb, resources


class LimitOutputSize(LimitOutput):
    """LimitOutput, plus at most ``max_chars`` characters of text per output."""

    max_chars = Integer(100_000, help="maximum characters kept of one text output").tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type != "code":
            return cell, resources
        for output in cell.outputs:
            if output.output_type == "stream" and len(output.text) > self.max_chars:
                output.text = output.text[:self.max_chars] + "\n... Output truncated (too large) ...\n"
            for mime, value in dict(output.get("data", {})).items():
                if mime.startswith("text/") and isinstance(value, str) and len(value) > self.max_chars:
                    output.data[mime] = value[:self.max_chars] + "\n... Output truncated (too large) ..."
        return cell, resources


class LatePenalty(LateSubmissionPlugin):
    """The course's late policy (``course.config.LATE_POLICY``), as nbgrader's late-submission plugin."""

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        from .course.config import late_penalty
        return late_penalty(score, total_seconds_late)
