"""The whole grading round trip with real nbgrader on real kernels (slow, always run in CI).

One run of the main job (`python -m cs231n_course all`) in a temporary
course folder for each edition (English, and Korean with `--lang ko`), then
checks of what it produced: the release, the executed solution key, the
autograded sample class, feedback, the CSV and the table; and that the
Korean class gets exactly the English class's scores.
"""
import csv
import json
import re
import shutil
import subprocess
import sys

import pytest

from cs231n_course.course import Course, SAMPLE_STUDENTS
from conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow
ASSIGNMENTS = sorted(p.parent.name for p in NOTEBOOKS.glob("*/*.ipynb"))


HANGUL = re.compile(r"[\uac00-\ud7a3]")


def main_job(tmp_path_factory, lang):
    root = tmp_path_factory.mktemp(f"course-{lang}")
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    shutil.copytree(ROOT / "translations", root / "translations")
    proc = subprocess.run([sys.executable, "-m", "cs231n_course", "--root", str(root), "--lang", lang, "all"],
                          capture_output=True, text=True, timeout=1800, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, proc.stdout


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return main_job(tmp_path_factory, "en")


@pytest.fixture(scope="module")
def korean(tmp_path_factory):
    return main_job(tmp_path_factory, "ko")


@pytest.fixture(scope="module", params=["en", "ko"])
def course(request):
    return request.getfixturevalue("english" if request.param == "en" else "korean")


def sources(root):
    """The class's source notebooks: notebooks/ (English) or the edition built from translations/."""
    lang = root / "course_language"             # written for a class that is not in English
    return root / ("source_ko" if lang.exists() and lang.read_text().strip() == "ko" else "notebooks")


def source_regions(text, begin, end):
    """Lines between nbgrader markers in a source cell."""
    return re.findall(rf"{re.escape(begin)}\n(.*?){re.escape(end)}", text, flags=re.S)


def significant_lines(block):
    return [l.strip() for l in block.splitlines() if len(l.strip()) > 12 and not l.strip().startswith("#")]


def test_main_job_says_where_everything_went(course):
    root, out = course
    for where in ("release", "solution", "autograded", "feedback", "grades.csv"):
        assert str(root / where) in out, f"the main job does not say where {where} went"
    assert "student" in out and "autograded" in out       # the gradebook table


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solutions_and_no_hidden_tests(course, assignment):
    root, _ = course
    for src_path in (sources(root) / assignment).glob("*.ipynb"):
        released = (root / "release" / assignment / src_path.name).read_text()
        source = src_path.read_text()
        cells = json.loads(source)["cells"]
        assert "BEGIN SOLUTION" not in released and "HIDDEN TESTS" not in released
        assert "Model answer" not in released
        hidden, solutions, public = [], [], []
        for c in cells:
            text = "".join(c["source"])
            hidden += source_regions(text, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
            solutions += source_regions(text, "### BEGIN SOLUTION", "### END SOLUTION")
            for block in hidden + solutions:
                text = text.replace(block, "")
            public.append(text)
        assert hidden and solutions
        public_text = "".join(public)        # what the source shows outside the secret regions
        released_text = "".join("".join(c["source"]) for c in json.loads(released)["cells"])
        for block in hidden + solutions:
            for line in significant_lines(block):
                if line not in public_text:
                    assert line not in released_text, f"leaked into the release: {line!r}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_key_is_executed_without_errors(course, assignment):
    root, _ = course
    for nb in (root / "solution" / assignment).glob("*.ipynb"):
        cells = json.loads(nb.read_text())["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert all(c["execution_count"] for c in code), "not every cell was executed"
        assert not [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
        assert any(o.get("data", {}).get("image/png") for c in code for o in c["outputs"]), "no plot was drawn"


def gradebook_rows(root):
    """The gradebook of a course folder, read in this process (whose messages stay in their language:
    a Course switches its process to the class's language, as the course commands want)."""
    from cs231n_support import i18n
    before = i18n.current()
    try:
        return Course(root).gradebook_rows()
    finally:
        i18n.use(before)


def test_sample_class_scores(course):
    root, _ = course
    rows = {(r["student"], r["assignment"]): r for r in gradebook_rows(root)}
    for a in ASSIGNMENTS:
        ref, blank, bad = (rows[(s, a)] for s in ("sample-reference", "sample-blank", "sample-mistakes"))
        assert ref["auto"] == ref["auto_max"] > 0, f"{a}: the reference solution lost points"
        assert blank["auto"] == 0, f"{a}: the untouched release earned points"
        assert 0 < bad["auto"] < bad["auto_max"], f"{a}: the mistaken submission is not in between"


def test_feedback_for_every_student(course):
    root, _ = course
    for s in SAMPLE_STUDENTS:
        for a in ASSIGNMENTS:
            pages = list((root / "feedback" / s / a).glob("*.html"))
            assert pages, f"no feedback for {s} / {a}"
            assert "<html" in pages[0].read_text().lower()


def test_csv_has_one_row_per_student_and_assignment(course):
    root, _ = course
    with open(root / "grades.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted((r["student_id"], r["assignment"]) for r in rows) == \
        sorted((s, a) for s in SAMPLE_STUDENTS for a in ASSIGNMENTS)
    # where this machine can isolate student code, the main job did (CI installs bubblewrap)
    from cs231n_course.isolation import isolation_problem
    expected = "sandboxed" if isolation_problem() is None else "graded WITHOUT isolation"
    assert all(r["isolation"].startswith(expected) for r in rows), {r["isolation"] for r in rows}


def test_validate_command_for_students(course):
    root, _ = course
    a = ASSIGNMENTS[0]
    nb_name = next((NOTEBOOKS / a).glob("*.ipynb")).name
    good = root / "submitted" / "sample-reference" / a / nb_name
    blank = root / "submitted" / "sample-blank" / a / nb_name
    ok = subprocess.run([sys.executable, "-m", "cs231n_support", "validate", str(good)],
                        capture_output=True, text=True, timeout=600)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run([sys.executable, "-m", "cs231n_support", "validate", str(blank)],
                         capture_output=True, text=True, timeout=600)
    assert bad.returncode == 1 and "NotImplementedError" in bad.stdout
    if sources(root).name == "notebooks":
        assert "every visible test passes" in ok.stdout and "test failed" in bad.stdout
    else:                                      # the Korean edition's validate speaks Korean
        assert HANGUL.search(ok.stdout) and HANGUL.search(bad.stdout), ok.stdout + bad.stdout


def test_the_korean_class_gets_exactly_the_english_scores(english, korean):
    def scores(root):
        return {(r["student"], r["assignment"]): (r["auto"], r["auto_max"], r["written_max"])
                for r in gradebook_rows(root)}
    assert scores(korean[0]) == scores(english[0])
    with open(english[0] / "grades.csv") as en, open(korean[0] / "grades.csv") as ko:
        keep = ("student_id", "assignment", "raw_score", "max_score", "status", "flags")
        assert [{k: r[k] for k in keep} for r in csv.DictReader(en)] == \
            [{k: r[k] for k in keep} for r in csv.DictReader(ko)]


def test_the_korean_class_reads_korean(korean):
    root, _ = korean
    for a in ASSIGNMENTS:
        release = next((root / "release" / a).glob("*.ipynb"))
        markdown = [c for c in json.loads(release.read_text())["cells"] if c["cell_type"] == "markdown"]
        texts = ["".join(c["source"]) for c in markdown]
        assert all(HANGUL.search(t) for t in texts if t.strip() and t.strip() != "YOUR ANSWER HERE"), a
        page = next((root / "feedback" / "sample-mistakes" / a).glob("*.html")).read_text()
        assert HANGUL.search(page), f"{a}: the feedback page has no Korean"
