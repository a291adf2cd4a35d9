"""The plausible mistakes of the sample class's student ``sample-mistakes`` in 03_architectures.

Each is a wrong variant (see ``cs231n_course/variants.py``); the tests grade them with the other
variants of ``tests/variants/03_architectures.py``, and the main job's sample class submits them.
"""
import numpy as np

from cs231n_course.variants import wrong


@wrong("count_parameters", "counts the inputs as neurons (the notes say 'not counting the inputs')", sample=True)
def count_parameters_input_neurons(layer_sizes):
    sizes = list(layer_sizes)
    neurons = sum(sizes)
    weights = sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    biases = sum(sizes[1:])
    return neurons, weights, biases, weights + biases


@wrong("mlp_forward", "applies the activation on the output layer too", sample=True)
def mlp_forward_output_activation(X, params, activation="relu"):
    f = {"relu": lambda z: np.maximum(0.0, z), "tanh": np.tanh,
         "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),
         "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z)}[activation]
    h = X
    for W, b in params:
        h = f(h @ W + b)
    return h
