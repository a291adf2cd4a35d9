"""Make nbgrader's HTML feedback page readable for the student.

nbgrader's feedback template shows a failed test's message as an error output
inside ``<pre>``, so a long message scrolls sideways instead of wrapping, and
its summary at the top calls every autograded test just "Test cell".
``polish_feedback_html`` adds a small style that wraps ``pre`` and output
areas, and names each test of the summary by its grade_id, plus the first line
of why it failed. Only grade_ids and error messages (``evalue``) of the
autograded notebook are added to the page, never any cell's source, so hidden
test code cannot reach it. Polishing is idempotent; every other byte of the
page is left as it was.

Call ``polish_feedback_file`` on each page after nbgrader's GenerateFeedback.
"""
import html
import json
import os
import re
import stat
import tempfile

from cs231n_support.i18n import t

STYLE_ID = "cs231n-feedback-wrap"
STYLE = (f'<style id="{STYLE_ID}">\n'
         "pre, div.output_area pre, div.output_subarea, div.output_text {\n"
         "  white-space: pre-wrap;\n  overflow-wrap: anywhere;\n}\n"
         "#toc .test-failure { color: #a94442; overflow-wrap: anywhere; }\n"
         "</style>\n")
REASON_CHARS = 120
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _cells(notebook):
    return notebook.get("cells", []) if isinstance(notebook, dict) else notebook.cells


def _failures(notebook):
    """{grade_id: first error message or None} for every test (grade, non-solution) cell."""
    tests = {}
    for cell in _cells(notebook):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade") or meta.get("solution") or not meta.get("grade_id"):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        tests[meta["grade_id"]] = (errors[0].get("evalue") or errors[0].get("ename") or t("error")) if errors else None
    return tests


def _short(message):
    """First non-blank line of an error message, without colour codes, at most REASON_CHARS."""
    lines = [l.strip() for l in _ANSI.sub("", str(message)).splitlines() if l.strip()]
    line = " ".join(lines[0].split()) if lines else t("error")
    return line if len(line) <= REASON_CHARS else line[:REASON_CHARS - 1].rstrip() + "\u2026"


def _label(grade_id):
    """'sigmoid-test' -> 'Sigmoid test'."""
    words = re.sub(r"[-_.]+", " ", grade_id).strip()
    return (words[:1].upper() + words[1:]) if words else grade_id


def _entry(grade_id, reason):
    """Replacement for the summary's '<a href="#id">Test cell</a> (Score: ...)'."""
    def build(match):
        gid = html.escape(grade_id)
        out = f'{match.group(1)}{html.escape(_label(grade_id))}</a> <code>{gid}</code>{match.group(2) or ""}'
        if reason is not None:
            out += f'<br><span class="test-failure">{html.escape(t("Failed: {reason}", reason=_short(reason)))}</span>'
        return out
    return build


def _template_words(html_text):
    """nbgrader's feedback template's own words (scores, headings, links), in the page's language."""
    words = [(r"\(Score: ", t("(Score: ")), (r"Grade cell: ", t("Grade cell: ")),
             (r">\s*Written response\s*<", ">" + t("Written response") + "<"),
             (r">\s*Comment\s*<", ">" + t("Comment") + "<"), (r"\(Top\)", t("(Top)"))]
    for pattern, text in words:
        html_text = re.sub(pattern, lambda m: text, html_text)
    return html_text


def polish_feedback_html(html_text: str, notebook: dict) -> str:
    """Return the feedback page with wrapping output and a summary naming each test.

    ``notebook`` is the autograded notebook (dict or nbformat node) the page was
    made from: it gives each test's grade_id and its error output.
    """
    if f'id="{STYLE_ID}"' not in html_text and "</head>" in html_text:
        i = html_text.index("</head>")
        html_text = html_text[:i] + STYLE + html_text[i:]
    start = html_text.find('<div id="toc">')
    if start < 0:
        return html_text
    end = html_text.find("</ol>", start)
    end = len(html_text) if end < 0 else end
    toc = html_text[start:end]
    for grade_id, reason in _failures(notebook).items():
        hrefs = "|".join(re.escape(h) for h in {grade_id, html.escape(grade_id)})
        pattern = rf'(<a href="#(?:{hrefs})">)\s*Test cell\s*</a>(\s*\(Score:[^)<]*\))?'
        toc = re.sub(pattern, _entry(grade_id, reason), toc, count=1)
    return _template_words(html_text[:start] + toc + html_text[end:])


def polish_feedback_file(html_path, autograded_notebook_path) -> bool:
    """Polish a feedback page in place (atomically, keeping its permissions); True if it changed."""
    with open(autograded_notebook_path, encoding="utf-8") as f:
        notebook = json.load(f)
    with open(html_path, encoding="utf-8", newline="") as f:
        before = f.read()
    after = polish_feedback_html(before, notebook)
    if after == before:
        return False
    mode = stat.S_IMODE(os.stat(html_path).st_mode)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(html_path)), suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(after)
        os.chmod(tmp, mode)
        os.replace(tmp, html_path)
    except BaseException:
        os.unlink(tmp)
        raise
    return True
