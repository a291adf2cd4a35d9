"""Reference NumPy implementations of every graded function, one module per notebook.

The hidden autograder tests compare a student's function with these, and later
notebooks use them in their demos (so a student who has not finished an early
notebook can still run a later one).
"""
from .neurons import sigmoid, neuron_forward, binary_softmax_loss, binary_svm_loss

__all__ = ["sigmoid", "neuron_forward", "binary_softmax_loss", "binary_svm_loss"]
