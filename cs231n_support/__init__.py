"""Support package for the CS231n neural-network foundations course.

Modules
-------
gradient_check  numerical gradients and verdicts by the notes' rules
data            CIFAR-10 loader, toy 2-D data sets, an offline real image set
reference       reference NumPy implementations of every graded function
grading         helpers the notebooks' autograder test cells call
plotting        plots the notebooks share (decision boundaries, ...)
course          the instructor's commands (release, autograde, feedback, grades)
"""

__version__ = "0.1.0"
