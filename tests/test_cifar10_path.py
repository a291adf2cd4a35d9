"""The CIFAR-10 path: every notebook run with a full-size CIFAR-10 present (slow, run in CI).

Without CIFAR-10 the notebooks fall back to offline data; with it, the
loaders return 50,000 training images of 3,072 pixels. This test writes a
full-size synthetic CIFAR-10 in the official format (``cifar-10-batches-py``
with data_batch_1..5 of 10,000 images each, test_batch of 10,000 and
batches.meta; structured pixels: a class-dependent colour blob on a
class-dependent background, plus noise) once per session, points
``CS231N_DATA`` at it and executes every source notebook (with its
solutions) with nbclient, one fresh kernel per notebook, one BLAS thread as
the course sets. For each notebook it checks

- no cell raised an error;
- a notebook that calls a CIFAR-aware loader (``load_images``,
  ``load_image_splits``, ``get_classification_data``, ``get_cifar10_data``,
  ``load_cifar10``) says in its output that it used CIFAR-10;
- the budget stated in README.md: at most ``TIME_BUDGET_S`` of wall time
  (kernel start to last cell) and ``MEMORY_BUDGET_BYTES`` of peak resident
  memory of the kernel process (VmHWM, read by a cell appended at the end).

The measured table is printed at the end (``pytest -s`` shows it) and written
to ``cifar10_notebooks.md`` in the session's temporary folder.
"""
import json
import os
import re
import time

import pytest

from benchmarks.run import run_notebook_measured, write_structured_cifar10   # one copy, shared with the benchmark
from conftest import NOTEBOOKS

pytestmark = pytest.mark.slow

TIME_BUDGET_S = 180.0              # per notebook, on two cores
MEMORY_BUDGET_BYTES = 3e9          # peak RSS of the kernel, per notebook
N_PER_BATCH = 10_000               # the official size: 5 x 10,000 + 10,000
CIFAR_LOADERS = ("load_images", "load_image_splits", "get_classification_data",
                 "get_cifar10_data", "load_cifar10")

NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*/*.ipynb"))

# Notebooks known to fail or to exceed a budget with CIFAR-10 present
# (assignment folder -> reason). They are not fixed here; strict xfail keeps
# CI green and honest: it turns red as soon as one of them passes.
KNOWN_FAILURES = {}     # notebook name -> why it is known to fail with CIFAR-10 (marked strict xfail)


def _param(path):
    name = path.parent.name
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[name])] if name in KNOWN_FAILURES else []
    return pytest.param(path, id=name, marks=marks)


# ---------------------------------------------------------------------------
# A full-size synthetic CIFAR-10
# ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def cifar10_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("cifar10_full")
    t0 = time.perf_counter()
    write_structured_cifar10(root, N_PER_BATCH)
    print(f"\nwrote a full-size synthetic CIFAR-10 in {root} in {time.perf_counter() - t0:.1f} s")
    return root


# ---------------------------------------------------------------------------
# Running one notebook
# ---------------------------------------------------------------------------

def kernel_environment(cifar10_root):
    """The kernel's environment: CIFAR-10 present, inline plots, one BLAS thread."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env["CS231N_DATA"] = str(cifar10_root)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    return env


def error_outputs(nb):
    """(cell index, first line of its source, ename: evalue) of every error output."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                first = next((l for l in cell.source.splitlines() if l.strip()), "")
                found.append((i, first[:80], f"{out.get('ename')}: {str(out.get('evalue'))[:300]}"))
    return found


def printed_text(nb):
    """Everything the notebook printed or displayed as text."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            parts.append(out.get("text", ""))
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def calls_cifar_loader(path):
    """True if the notebook's code calls one of the CIFAR-aware loaders."""
    code = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                   if c["cell_type"] == "code")
    return any(re.search(rf"\b{name}\(", code) for name in CIFAR_LOADERS)


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def measurements(tmp_path_factory):
    rows = {}
    t0 = time.perf_counter()
    yield rows
    lines = [f"notebooks with a full-size CIFAR-10 present (budget {TIME_BUDGET_S:.0f} s and "
             f"{MEMORY_BUDGET_BYTES / 1e9:.0f} GB per notebook); {os.cpu_count()} CPUs, "
             f"load average {os.getloadavg()[0]:.1f} at the end",
             "", "| notebook | wall time | peak RSS (kernel) | says CIFAR-10 | errors |",
             "|---|---|---|---|---|"]
    for name, r in sorted(rows.items()):
        peak = "?" if r["peak"] is None else f"{r['peak'] / 1e9:.2f} GB"
        lines.append(f"| {name} | {r['seconds']:.1f} s | {peak} | {r['says_cifar']} | {r['errors'] or 'none'} |")
    lines.append(f"\ntotal: {time.perf_counter() - t0:.0f} s for {len(rows)} notebooks")
    table = "\n".join(lines)
    print("\n" + table)
    out = tmp_path_factory.getbasetemp() / "cifar10_notebooks.md"
    out.write_text(table + "\n")
    print(f"(written to {out})")


@pytest.mark.parametrize("path", [_param(p) for p in NOTEBOOK_PATHS])
def test_notebook_with_cifar10(path, cifar10_root, measurements, tmp_path):
    name = path.parent.name
    env = kernel_environment(cifar10_root)
    nb, seconds, peak = run_notebook_measured(path, env, tmp_path)
    errors = error_outputs(nb)
    text = printed_text(nb)
    needs_cifar = calls_cifar_loader(path)
    says_cifar = "CIFAR-10" in text
    measurements[name] = {
        "seconds": seconds, "peak": peak,
        "says_cifar": ("yes" if says_cifar else "NO") if needs_cifar else "(no loader)",
        "errors": "; ".join(f"cell {i} ({first!r}): {e}" for i, first, e in errors),
    }
    assert not errors, f"{name} raised with CIFAR-10 present: {measurements[name]['errors']}"
    if needs_cifar:
        assert says_cifar, f"{name} calls a CIFAR-aware loader but never says it used CIFAR-10"
    assert peak is not None, f"{name}: the peak RSS of the kernel could not be read"
    assert seconds <= TIME_BUDGET_S, f"{name} took {seconds:.0f} s with CIFAR-10 (budget {TIME_BUDGET_S:.0f} s)"
    assert peak <= MEMORY_BUDGET_BYTES, (f"{name} peaked at {peak / 1e9:.2f} GB with CIFAR-10 "
                                         f"(budget {MEMORY_BUDGET_BYTES / 1e9:.0f} GB)")
