"""The instructor's side of the CS231n neural-network foundations course.

Students never receive this package (they install ``cs231n_support``, see
``student/``). It holds:

reference       the answer key: reference NumPy implementations of every graded function
hidden_tests    the hidden tests' comparisons with the reference
course          the course commands (``python -m cs231n_course ...``), split into
                config, steps, grading, reporting and cli
sealed, sandbox, sandbox_child, isolation, wire, limits, status, nbgrader_ext,
feedback_page   sealed grading (see ARCHITECTURE.md)
sample_class, variants, sample_mistakes/   the bundled sample class

The sandbox sees this package without ``reference/`` (isolation.py hides it).
"""

__version__ = "0.2.0"
