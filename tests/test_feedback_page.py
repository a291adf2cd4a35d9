"""The feedback page names each test in its summary and wraps long messages."""
import json
import os
import stat

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cs231n_course.feedback_page import STYLE, polish_feedback_file, polish_feedback_html

SECRET = "SECRET_HIDDEN_MARKER_7f3a"
LONG_MESSAGE = "sigmoid(x) differs from the expected values where x < -30: " + "0123456789" * 35
assert len(LONG_MESSAGE) > 400


def _grade_meta(grade_id, points, score, solution=False, grade=True):
    return {"nbgrader": {"grade": grade, "solution": solution, "locked": not solution,
                         "grade_id": grade_id, "points": points, "score": score,
                         "schema_version": 3}}


def _notebook():
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# Sigmoid\nImplement `sigmoid` below."),
        new_code_cell("def sigmoid(x):\n    return 1 / (1 + np.exp(-x))",
                      metadata=_grade_meta("sigmoid-impl", 0, 0, solution=True, grade=False)),
        new_code_cell(f"# {SECRET}\nassert sigmoid(0) == 0.5",
                      metadata=_grade_meta("sigmoid-test", 2, 2),
                      outputs=[new_output("stream", name="stdout", text="Passed.\n")]),
        new_code_cell(f"# {SECRET}\n# (hidden tests: run by the autograder, not shown)",
                      metadata=_grade_meta("test_sigmoid_hidden", 3, 0),
                      outputs=[new_output("error", ename="Failed", evalue=LONG_MESSAGE,
                                          traceback=[f"Failed: {LONG_MESSAGE}"])]),
    ]
    return nb


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """(notebook, html) exported with nbgrader's real feedback template, configured as GenerateFeedback does."""
    from nbconvert.exporters import HTMLExporter
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    converter = GenerateFeedback(coursedir=CourseDirectory(root=str(tmp_path_factory.mktemp("course"))))
    exporter = HTMLExporter(config=converter.config)
    exporter.register_preprocessor(CSSHTMLHeaderPreprocessor, enabled=True)
    nb = _notebook()
    # What GetGrades would put there from the gradebook (score and points are already in the metadata).
    resources = {"nbgrader": {"notebook": "sigmoid", "score": 2, "max_score": 5, "late_penalty": 0}}
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    assert '<a href="#test_sigmoid_hidden">Test cell</a>' in html   # the template this module expects
    return nb, html


def _summary(html):
    start = html.index('<div id="toc">')
    return html[start:html.index("</ol>", start)]


def test_summary_names_each_test_and_why_it_failed(page):
    nb, html = page
    summary = _summary(polish_feedback_html(html, nb))
    assert "Test cell" not in summary
    assert "<code>sigmoid-test</code>" in summary and "<code>test_sigmoid_hidden</code>" in summary
    assert '<a href="#sigmoid-test">' in summary and '<a href="#test_sigmoid_hidden">' in summary
    assert "(Score: 0.0 / 3.0)" in summary
    reason = "Failed: sigmoid(x) differs from the expected values where x &lt; -30: 0123"
    assert reason in summary and LONG_MESSAGE[150:] not in summary and "\u2026" in summary
    assert summary.count("Failed:") == 1             # the passing test gets no reason


def test_long_output_wraps(page):
    nb, html = page
    polished = polish_feedback_html(html, nb)
    head = polished[:polished.index("</head>")]
    assert "white-space: pre-wrap" in head and "overflow-wrap: anywhere" in head


def test_idempotent_and_nothing_else_changes(page):
    nb, html = page
    once = polish_feedback_html(html, nb)
    assert once != html
    assert polish_feedback_html(once, nb) == once
    # Apart from the added style and the summary's entries, every byte is as it was.
    assert once[once.index("</ol>"):] == html[html.index("</ol>"):]
    before_summary = once[:once.index('<div id="toc">')]
    assert before_summary.replace(STYLE, "", 1) == html[:html.index('<div id="toc">')]


def test_no_cell_source_reaches_the_summary(page):
    nb, html = page
    polished = polish_feedback_html(html, nb)
    assert SECRET not in _summary(polished)
    assert polished.count(SECRET) == html.count(SECRET)   # nothing of the source was added anywhere


def test_polish_file_in_place(page, tmp_path):
    nb, html = page
    page_path, nb_path = tmp_path / "sigmoid.html", tmp_path / "sigmoid.ipynb"
    page_path.write_text(html, encoding="utf-8")
    os.chmod(page_path, 0o644)
    nbformat.write(nb, str(nb_path))
    assert polish_feedback_file(page_path, nb_path) is True
    assert page_path.read_text(encoding="utf-8") == polish_feedback_html(html, json.loads(nb_path.read_text()))
    assert stat.S_IMODE(os.stat(page_path).st_mode) == 0o644
    assert polish_feedback_file(page_path, nb_path) is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sigmoid.html", "sigmoid.ipynb"]
