"""A student's session in a real browser: Playwright driving Debian's Chromium through the course's
JupyterHub (started by deploy/start.sh, tests/hubkit.py), once for an English class and once for a
Korean one (slow; run in CI, as root; .ci/run installs chromium and a Hangul font when missing).

The student logs in with their Unix password, opens nbgrader's Assignments panel from the Nbgrader menu,
fetches 01_neurons, opens the notebook from the panel, runs the imports cell, writes a naive sigmoid
(1 / (1 + exp(-x))) into its cell and runs the visible test: it fails with the course's message about
the overflow, alone (not thirty lines of the support package's frames). They rewrite sigmoid another
way than the reference (np.where over both signs) and run the test again: it passes. They save,
validate (nbgrader's Validate button: the other exercises are still unwritten and say so; sigmoid's
cells are not among the failures) and submit from the panel. The instructor collects, autogrades
(sealed) and returns feedback; the student fetches it from the panel, follows "view feedback" and opens
the page: sigmoid's tests have full marks and the score is the gradebook's.

Every step leaves a screenshot in artifacts/browser/<lang>/ (ignored by git), to look at.
"""
import datetime
import os
import re
import shutil
import subprocess
import sys
import time

import nbformat
import pytest

from cs231n_course.course import COURSE_ID
from conftest import ROOT
from hubkit import course_cli, running_hub

pytestmark = pytest.mark.slow
A, NOTEBOOK = "01_neurons", "neurons"
CHROMIUM = "/usr/bin/chromium"
# Headless, and quiet on a machine without the internet: no background connections, no first-run pages.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "artifacts" / "browser"
WAIT = 120_000                     # ms: a kernel's start or nbgrader's validate on a busy two-core machine

NAIVE = '''def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))
'''
# Right, and written another way than the reference (which splits by sign with boolean masks).
STUDENTS_OWN = '''def sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
'''


def grade_ids(nb):
    return {c.metadata.get("nbgrader", {}).get("grade_id"): i for i, c in enumerate(nb.cells)}


def the_message(sigmoid_source, lang):
    """What the support package says about ``sigmoid_source`` in the visible test, in ``lang``
    (in a process of its own: the language is a process's setting)."""
    code = sigmoid_source + """
from cs231n_support.grading import GradingError, check_known_values
try:
    check_known_values(sigmoid, (np.array([-1000.0, -2.0, 0.0, 2.0, 1000.0]),),
                       np.array([0.0, 0.11920292202211769, 0.5, 0.8807970779778823, 1.0]), name="sigmoid")
except GradingError as e:
    print(e)
"""
    out = subprocess.run([sys.executable, "-c", "import numpy as np\n" + code], capture_output=True, text=True,
                         env=dict(os.environ, CS231N_LANG=lang), timeout=120)
    assert out.returncode == 0 and out.stdout.strip(), out.stderr
    return out.stdout.strip()


class Session:
    """The student's browser tab, with a numbered screenshot after each step."""

    def __init__(self, page, shots):
        self.page, self.shots, self.n = page, shots, 0

    def shot(self, step):
        self.n += 1
        self.page.screenshot(path=str(self.shots / f"{self.n:02d}-{step}.png"))

    def open_assignments(self):
        self.page.get_by_role("menuitem", name="Nbgrader").click()
        self.page.get_by_role("menuitem", name="Assignment List").click()
        self.page.wait_for_selector("#assignments")

    def cell(self, index):
        return self.page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell").nth(index)

    def write(self, index, source):
        """Replace a cell's text, as a student selecting all of it and typing (pasting) their own."""
        self.cell(index).locator(".cm-content").click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(source)

    def run(self, index):
        """Run one cell (Shift+Enter) and wait until it has finished."""
        cell = self.cell(index)
        prompt = cell.locator(".jp-InputPrompt")
        before = prompt.inner_text()
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Shift+Enter")
        deadline = time.monotonic() + WAIT / 1000
        while not (re.search(r"\[\d+\]", prompt.inner_text()) and prompt.inner_text() != before):
            assert time.monotonic() < deadline, f"cell {index} did not finish running"
            self.page.wait_for_timeout(200)
        cell.scroll_into_view_if_needed()
        return cell.locator(".jp-OutputArea")


@pytest.fixture(scope="module", params=["en", "ko"])
def journey(hub_kit, request):
    from playwright.sync_api import sync_playwright
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (.ci/run installs it)")
    lang = request.param
    shots = SHOTS / lang
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    seen = {}
    with running_hub(hub_kit, ["erin"], A, f"cs231nb{lang}-", lang=lang) as cls, sync_playwright() as pw:
        user, password = cls.users["erin"], cls.passwords["erin"]
        # The course commands in their own processes, as the instructor runs them (a Korean class's
        # commands switch their process's language).
        released = course_cli(cls.root, cls.exchange, "release", "-a", A)
        assert released.returncode == 0, released.stdout + released.stderr
        due = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)
        published = course_cli(cls.root, cls.exchange, "publish", "-a", A, "--due", due.isoformat())
        assert published.returncode == 0, published.stdout + published.stderr
        release = nbformat.read(cls.root / "release" / A / f"{NOTEBOOK}.ipynb", as_version=4)
        ids = grade_ids(release)
        solution, visible = ids["sigmoid-solution"], ids["sigmoid-visible"]
        imports = next(i for i, c in enumerate(release.cells) if c.cell_type == "code")

        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900}, locale=("ko-KR" if lang == "ko" else "en-US"))
            s = Session(page, shots)
            page.goto(cls.hub.url + "/hub/login")
            s.shot("login")
            page.fill("#username_input", user)
            page.fill("#password_input", password)
            page.click("#login_submit")
            page.wait_for_selector(".jp-LabShell", timeout=WAIT)
            page.wait_for_selector(".jp-MainAreaWidget", timeout=WAIT)
            seen["url"] = page.url
            seen["menus"] = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
            seen["announcement"] = page.get_by_text("official Jupyter news").count()
            s.shot("lab")

            s.open_assignments()
            page.locator("#released_assignments_list .list_item").first.wait_for(timeout=WAIT)
            seen["released"] = page.locator("#released_assignments_list .item_name").all_inner_texts()
            s.shot("assignments")
            page.locator("#released_assignments_list button", has_text="Fetch").click()
            page.locator("#fetched_assignments_list .list_item").first.wait_for(timeout=WAIT)
            page.locator("a.assignment-notebooks-link", has_text=A).click()
            s.shot("fetched")
            page.locator(".assignment-notebooks a", has_text=NOTEBOOK).click()
            s.cell(solution).wait_for(timeout=WAIT)
            seen["title"] = s.cell(0).inner_text()
            s.shot("notebook")

            s.run(imports)
            s.write(solution, NAIVE)
            s.run(solution)
            seen["naive"] = s.run(visible).inner_text()
            s.shot("naive-sigmoid-fails")
            s.write(solution, STUDENTS_OWN)
            s.run(solution)
            seen["own"] = s.run(visible).inner_text()
            s.shot("own-sigmoid-passes")
            page.keyboard.press("Escape")
            page.keyboard.press("Control+s")
            page.locator(".lm-TabBar-tab.jp-mod-dirty").wait_for(state="detached", timeout=WAIT)

            page.locator(".jp-NotebookPanel:visible .jp-NotebookPanel-toolbar").get_by_text("Validate").click()
            dialog = page.locator(".jp-Dialog")
            dialog.wait_for(timeout=WAIT)
            seen["validate"] = dialog.inner_text()
            s.shot("validate")
            dialog.locator("button.jp-Dialog-button").last.click()

            page.get_by_role("tab", name="Assignments").click()
            page.locator("#fetched_assignments_list button", has_text="Submit").click()
            page.locator("#submitted_assignments_list .list_item").first.wait_for(timeout=WAIT)
            seen["submitted"] = page.locator("#submitted_assignments_list").inner_text()
            s.shot("submitted")

            for step in ("collect", "autograde", "return-feedback"):
                out = course_cli(cls.root, cls.exchange, step, "-a", A)
                assert out.returncode == 0, f"{step}:\n{out.stdout}{out.stderr}"

            page.locator("#submitted_assignments_list button", has_text="Fetch Feedback").click()
            link = page.locator("#submitted_assignments_list a", has_text="view feedback")
            link.wait_for(timeout=WAIT)
            s.shot("feedback-fetched")
            link.click()
            page.locator(".jp-DirListing-item", has_text=f"{NOTEBOOK}.html").dblclick()
            frame = page.frame_locator(".jp-HTMLViewer iframe")
            frame.locator("body").wait_for(timeout=WAIT)
            seen["feedback"] = frame.locator("body").inner_text()
            s.shot("feedback")
        finally:
            browser.close()
        from nbgrader.api import Gradebook
        with Gradebook(f"sqlite:///{cls.root / 'gradebook.db'}", COURSE_ID) as gb:
            seen["score"] = gb.find_submission(A, user).score
        seen.update(lang=lang, user=user, release=release,
                    print_line=re.search(r'print\("([^"]*)"\)', release.cells[visible].source).group(1),
                    sigmoid_points=sum(c.metadata["nbgrader"]["points"] for c in release.cells
                                       if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("sigmoid-")
                                       and c.metadata["nbgrader"].get("grade")))
        yield seen


def test_the_student_logs_in_to_their_own_jupyterlab(journey):
    assert journey["url"].endswith(f"/user/{journey['user']}/lab")
    assert journey["announcement"] == 0                 # no pop-up about Jupyter's news in a class
    assert "Nbgrader" in journey["menus"]
    if journey["lang"] == "ko":                         # the class's language is JupyterLab's
        assert {"파일", "편집", "실행"} <= set(journey["menus"]), journey["menus"]
    else:
        assert {"File", "Edit", "Run"} <= set(journey["menus"]), journey["menus"]


def test_the_assignment_is_in_the_panel_and_opens_in_the_class_language(journey):
    assert journey["released"] == [A]
    title = journey["release"].cells[0].source.splitlines()[0].lstrip("# ").strip()
    assert title in journey["title"]
    has_hangul = bool(re.search("[\uac00-\ud7a3]", journey["title"]))
    assert has_hangul == (journey["lang"] == "ko")


def test_a_naive_sigmoid_fails_the_visible_test_with_the_course_message_alone(journey):
    out = journey["naive"]
    assert "GradingError" in out and the_message(NAIVE, journey["lang"]) in out
    assert "grading.py" not in out and "_call_student" not in out    # no frames of the support package
    assert journey["print_line"] not in out


def test_the_students_own_sigmoid_passes_the_visible_test(journey):
    assert journey["own"].strip() == journey["print_line"]


def test_validate_names_the_unwritten_exercises_and_not_sigmoid(journey):
    text = journey["validate"]
    assert "Validation Results" in text
    assert "neuron_forward" in text and "NotImplementedError" in text
    assert "check_known_values(sigmoid" not in text


def test_the_submission_is_listed_with_its_time(journey):
    assert A in journey["submitted"] and re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", journey["submitted"])


def test_the_feedback_page_has_sigmoid_full_marks_and_the_gradebook_score(journey):
    page = journey["feedback"]
    assert journey["score"] == journey["sigmoid_points"] > 0
    total = re.search(rf"{NOTEBOOK} \(\D*([\d.]+) / ([\d.]+)\)", page)
    assert total and float(total.group(1)) == journey["score"], page[:500]
    for gid in ("sigmoid-visible", "sigmoid-hidden"):
        line = next(l for l in page.splitlines() if gid in l)
        got, possible = map(float, re.search(r"([\d.]+) / ([\d.]+)", line).groups())
        assert got == possible > 0, line
    if journey["lang"] == "ko":                         # nbgrader's own words too, where the course can reach them
        assert "Comment" not in page.splitlines() and "의견" in page.splitlines()
