"""The benchmarks still run: `python -m benchmarks.run --smoke` on tiny sizes.

This checks that every benchmark runs and prints its rows, not how fast
anything is (benchmarks are not tests: a MISSED goal does not fail here).
"""
import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def benchmark_names():
    """The keys of BENCHMARKS in benchmarks/run.py (read without importing it)."""
    tree = ast.parse((ROOT / "benchmarks" / "run.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "BENCHMARKS":
            return [key.value for key in node.value.keys]
    raise AssertionError("benchmarks/run.py defines no BENCHMARKS dict")


@pytest.mark.slow
def test_smoke_run_prints_a_row_for_every_benchmark():
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--smoke"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)   # a hang guard, not a speed test
    assert proc.returncode == 0, f"exit code {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"

    rows = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert rows and rows[0].split("|")[1].strip() == "benchmark", proc.stdout[-3000:]
    names = benchmark_names()
    assert len(names) == 6, names
    for name in names:
        mine = [r for r in rows if r.startswith(f"| {name}: ")]
        assert mine, f"benchmark {name!r} printed no row:\n{proc.stdout[-3000:]}"
        for row in mine:
            result = row.split("|")[6].strip()
            assert result, f"row without a result: {row}"
            assert result != "ERROR", f"benchmark {name!r} crashed: {row}\n{proc.stderr[-3000:]}"
