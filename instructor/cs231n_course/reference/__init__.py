"""Reference NumPy implementations of every graded function, one module per notebook.

The hidden tests compare a student's function with these (``hidden_tests.py``).
Students never receive them: they are not in the student package, and the
grader's sandbox sees an empty folder in their place (``isolation.py``).

    neurons         01_neurons
    activations     02_activations
    architectures   03_architectures
    preprocessing   04_preprocessing
    initialization  05_init (weight initialization and batch normalization)
    regularization  06_regularization
    losses          07_losses
"""
from .neurons import binary_softmax_loss, binary_svm_loss, neuron_forward, sigmoid
from .activations import (dead_relu_fraction, leaky_relu_backward, leaky_relu_forward, maxout_backward,
                          maxout_forward, prelu_backward, prelu_forward, relu_backward, relu_forward,
                          sigmoid_backward, sigmoid_forward, tanh_backward, tanh_forward)
from .architectures import (affine_backward, affine_forward, bump_sum, count_parameters, mlp_backward,
                            mlp_forward, mlp_forward_with_cache, mlp_hidden_activations)
from .preprocessing import NotFittedError, Preprocessor, pca, whiten
from .initialization import batchnorm_backward, batchnorm_forward, init_weights
from .regularization import (dropconnect_backward, dropconnect_forward, dropout_backward, dropout_forward,
                             elastic_net_penalty, l1_penalty, l2_penalty, max_norm)
from .losses import (attribute_hinge_loss, attribute_logistic_loss, balanced_tree_codes,
                     hierarchical_softmax_loss, hierarchical_softmax_probs, l1_regression_loss,
                     l2_regression_loss, softmax_loss, squared_hinge_loss, svm_loss)
