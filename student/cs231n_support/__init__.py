"""What the notebooks of the CS231n neural-network foundations course import.

This is the student package: it holds no implementation of any graded
function (the instructor's package, ``cs231n_course``, keeps the answer key).

Modules
-------
gradient_check  numerical gradients and verdicts by the notes' rules
data            CIFAR-10 loader, toy 2-D data sets, an offline real image set
grading         helpers the notebooks' visible test cells call
plotting        plots the notebooks share (decision boundaries, ...)
training        a small SGD trainer for the notebooks' experiments
trees           the class trees of 07_losses' hierarchical Softmax
validate        ``python -m cs231n_support validate NOTEBOOK``: the visible tests, before submitting
"""

__version__ = "0.2.0"
