"""The plausible mistakes of the sample class's student ``sample-mistakes`` in 04_preprocessing.

Each is a wrong variant (see ``cs231n_course/variants.py``); the tests grade them with the other
variants of ``tests/variants/04_preprocessing.py``, and the main job's sample class submits them.
"""
import numpy as np

from cs231n_course.variants import wrong


@wrong("pca", "eigh's ascending order kept: the components are sorted by increasing variance", sample=True)
def pca_unsorted(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.all(np.isfinite(X)):
        raise ValueError("pca: X must be a finite 2-D array")
    N, D = X.shape
    mean = X.mean(axis=0)
    Xc = X - mean
    if N >= D:
        S, U = np.linalg.eigh(Xc.T @ Xc / N)
    else:
        _, sigma, Vt = np.linalg.svd(Xc, full_matrices=False)
        U, S = Vt.T[:, ::-1], sigma[::-1] ** 2 / N
    return mean, U, np.maximum(S, 0.0)


@wrong("whiten", "no eps: divides by sqrt(S), 0/0 = NaN on an axis of zero variance", sample=True)
def whiten_no_eps(Xrot, S, eps=1e-5):
    S = np.asarray(S, dtype=np.float64)
    if S.shape != (np.shape(Xrot)[1],):
        raise ValueError("whiten: S must have one entry per column of Xrot")
    return Xrot / np.sqrt(S)
