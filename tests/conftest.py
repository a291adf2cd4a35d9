import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(autouse=True)
def _close_figures_and_keep_the_language():
    from cs231n_support import i18n
    language = i18n.current()
    yield
    import matplotlib.pyplot as plt
    plt.close("all")
    # A Korean class's course commands switch their process's language: in-process, that would leak
    # into every later test's messages. Tests that need it run such commands in a process of their own.
    assert i18n.current() == language, f"the test left the messages in {i18n.current()!r}"


def variants_of(assignment):
    """Every variant of an assignment's graded functions: tests/variants/ and the sample class's mistakes."""
    from cs231n_course.sample_class import mistakes_file
    from cs231n_course.variants import load_variants
    files = [ROOT / "tests" / "variants" / f"{assignment}.py", mistakes_file(assignment)]
    return [v for f in files if f.exists() for v in load_variants(f)]


# Solution cells that are not exercises: students paste their own code from earlier notebooks
# there (07's summary net trains with their batch norm and dropout); they have no tests of their own.
PASTE_CELLS = {"summary-layers-solution"}


def is_exercise(cell):
    nbg = cell.get("metadata", {}).get("nbgrader", {})
    return cell["cell_type"] == "code" and nbg.get("solution") and nbg.get("grade_id") not in PASTE_CELLS


@pytest.fixture(scope="session")
def hub_kit():
    """What every JupyterHub of the session shares (tests/hubkit.py): a copy of the checkout, the two
    environments deploy/start.sh makes, the proxy. Removed afterwards, with the group `instructors` if
    start.sh made it."""
    import shutil
    import subprocess
    import tempfile
    from hubkit import HubKit, missing
    why = missing()
    if why:
        pytest.skip(why)
    made_group = subprocess.run(["getent", "group", "instructors"], capture_output=True).returncode != 0
    base = tempfile.mkdtemp(prefix="cs231n-hubkit-", dir="/tmp")
    try:
        yield HubKit(base)
    finally:
        if made_group:
            subprocess.run(["groupdel", "instructors"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
