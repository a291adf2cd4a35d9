"""Run a notebook's visible tests the way the autograder would, before submitting.

    python -m cs231n_support validate path/to/neurons.ipynb

It uses nbgrader's Validator (installed with ``pip install 'cs231n-support[lab]'``,
the same code as the Validate button in JupyterLab) and reads its result:
``nbgrader validate`` itself exits 0 even when a test fails.
"""
import logging
from pathlib import Path


def validate(path):
    """Return (ok, report): whether every visible test of the notebook at ``path`` passes, and why not."""
    path = Path(path).resolve()
    if not path.is_file():
        return False, f"{path}: no such notebook"
    try:
        from nbgrader.validator import Validator
    except ImportError:
        return False, ("validate needs nbgrader: pip install 'cs231n-support[lab]' "
                       "(or use the Validate button of JupyterLab's Assignments panel)")
    from traitlets.config import Config
    validator = Validator(config=Config({"Execute": {"timeout": 300}}))
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
