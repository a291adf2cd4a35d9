"""Run a notebook's visible tests the way the autograder would, before submitting.

    python -m cs231n_support validate path/to/neurons.ipynb

It uses nbgrader's Validator (installed with ``pip install 'cs231n-support[lab]'``,
the same code as the Validate button in JupyterLab) and reads its result:
``nbgrader validate`` itself exits 0 even when a test fails.
"""
import json
import logging
from pathlib import Path

from . import i18n
from .i18n import t

VALIDATE_CELL_TIMEOUT = 300       # seconds a cell may run, like a kernel in JupyterLab left to finish


def edition_language(path):
    """The language of the notebook's edition (its metadata, written by the course), else the one in use."""
    try:
        lang = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {}).get("cs231n", {}).get("lang")
    except (OSError, ValueError, AttributeError):
        lang = None
    return lang if lang in i18n.LANGUAGES else i18n.current()


def validate(path):
    """Return (ok, report): whether every visible test of the notebook at ``path`` passes, and why not."""
    path = Path(path).resolve()
    if not path.is_file():
        return False, t("{path}: no such notebook", path=path)
    i18n.use(edition_language(path))
    try:
        from nbgrader.validator import Validator
    except ImportError:
        return False, t("validate needs nbgrader: pip install 'cs231n-support[lab]' "
                        "(or use the Validate button of JupyterLab's Assignments panel)")
    from traitlets.config import Config
    validator = Validator(config=Config({"Execute": {"timeout": VALIDATE_CELL_TIMEOUT}}))
    validator.log.setLevel(logging.ERROR)
    results = validator.validate(str(path))
    lines = []
    for f in results.get("failed", []):
        error = (f.get("raw_error") or "").strip().splitlines() or [t("(no message)")]
        lines.append(t("- a test failed: {first_line}\n    {error}", first_line=f["source"].splitlines()[0],
                       error=error[-1]))
    for f in results.get("changed", []):
        lines.append(t("- a read-only test cell was changed; restore it from the release: {start!r}",
                       start=f["source"][:60]))
    for f in results.get("type_changed", []):
        lines.append(t("- a cell's type was changed from {old_type} to {new_type}", old_type=f["old_type"],
                       new_type=f["new_type"]))
    if not lines:
        return True, t("{notebook}: every visible test passes (hidden tests run when it is graded).",
                       notebook=path.name)
    return False, "\n".join([t("{notebook}: {count} problem(s):", notebook=path.name, count=len(lines))] + lines)
