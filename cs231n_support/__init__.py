"""Support package for the CS231n neural-network foundations course.

Modules
-------
gradient_check  numerical gradients and verdicts by the notes' rules
data            CIFAR-10 loader, toy 2-D data sets, an offline real image set
reference       reference NumPy implementations of every graded function
grading         helpers the notebooks' autograder test cells call
plotting        plots the notebooks share (decision boundaries, ...)
course          the instructor's commands (release, autograde, feedback, grades)

Grading (see ARCHITECTURE.md): nbgrader_ext (SealedExecute), sealed (one
notebook: cells in a sandbox, tests in the grader), sandbox / sandbox_child /
isolation / wire (the bubblewrap sandbox and what crosses its boundary),
limits, status, feedback_page.
"""

__version__ = "0.1.0"
