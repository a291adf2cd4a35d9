"""Imported once by the server process that forks the grading sandboxes.

Every module the notebooks' imports cells use is imported here, so a sandbox
forked from the server finds them loaded (a fresh Python would spend about
0.6 s of CPU importing numpy, matplotlib and this package for every
submission). The server itself never runs student code; the limits of a
sandbox are set in the forked child (sandbox._child_main / _child_init).
"""
import os

# The sandbox's settings, set before numpy loads its BLAS: one thread per
# sandbox (the graders run in parallel), no plot windows. sandbox._child_main
# sets them again in the child's cleaned environment.
SANDBOX_ENV = dict(MPLBACKEND="Agg", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
os.environ.update(SANDBOX_ENV)

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot  # noqa: E402,F401
import numpy  # noqa: E402,F401

import cs231n_support.data  # noqa: E402,F401
import cs231n_support.gradient_check  # noqa: E402,F401
import cs231n_support.grading  # noqa: E402,F401
import cs231n_support.plotting  # noqa: E402,F401
import cs231n_support.reference  # noqa: E402,F401
import cs231n_support.sandbox  # noqa: E402,F401
import cs231n_support.training  # noqa: E402,F401
