"""Variants of the graded functions of 04_preprocessing (see cs231n_course/variants.py).

Each `wrong` variant is a mistake students plausibly make; the autograder
must take points away. Each `right` variant computes the same maths another
way; it must get full marks. They run in the notebook's namespace, so `np`
and the notebook's own functions (`pca`, `whiten`) are available.

Eigenvectors are only defined up to their sign, so the right variants include
implementations whose components have the opposite signs of the reference's:
the tests compare them sign-invariantly and must give them full marks.
"""
import numpy as np

from cs231n_course.variants import right, wrong


# --- pca -------------------------------------------------------------------


@wrong("pca", "forgets to centre the data: eigenvectors of X.T @ X / N instead of the covariance")
def pca_not_centred(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.all(np.isfinite(X)):
        raise ValueError("pca: X must be a finite 2-D array")
    N, D = X.shape
    if N >= D:
        S, U = np.linalg.eigh(X.T @ X / N)
        S, U = S[::-1], U[:, ::-1]
    else:
        _, sigma, Vt = np.linalg.svd(X, full_matrices=False)
        U, S = Vt.T, sigma ** 2 / N
    return X.mean(axis=0), U, np.maximum(S, 0.0)


@wrong("pca", "np.cov divides by N - 1, not by N as the notes' covariance")
def pca_np_cov(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.all(np.isfinite(X)):
        raise ValueError("pca: X must be a finite 2-D array")
    N, D = X.shape
    mean = X.mean(axis=0)
    if N >= D and N > 1:
        S, U = np.linalg.eigh(np.atleast_2d(np.cov(X, rowvar=False)))
        S, U = S[::-1], U[:, ::-1]
    else:
        _, sigma, Vt = np.linalg.svd(X - mean, full_matrices=False)
        U, S = Vt.T, sigma ** 2 / max(N - 1, 1)
    return mean, U, np.maximum(S, 0.0)


@wrong("pca", "returns the singular values of the data as S: standard deviations times sqrt(N), not variances")
def pca_singular_values(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.all(np.isfinite(X)):
        raise ValueError("pca: X must be a finite 2-D array")
    mean = X.mean(axis=0)
    _, sigma, Vt = np.linalg.svd(X - mean, full_matrices=False)
    return mean, Vt.T, sigma


@wrong("pca", "returns svd's Vt as U: the eigenvectors are its rows, not its columns")
def pca_rows(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.all(np.isfinite(X)):
        raise ValueError("pca: X must be a finite 2-D array")
    mean = X.mean(axis=0)
    _, sigma, Vt = np.linalg.svd(X - mean, full_matrices=False)
    return mean, Vt, sigma ** 2 / X.shape[0]


@right("pca", "the reference computation with every eigenvector's sign flipped (u and -u are both eigenvectors)")
def pca_flipped_signs(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"pca: X must be 2-D, got shape {X.shape}")
    if np.isnan(X).any() or np.isinf(X).any():
        raise ValueError("pca: X contains NaN or inf")
    N, D = X.shape
    mean = X.mean(axis=0)
    Xc = X - mean
    if N >= D:
        S, U = np.linalg.eigh(Xc.T @ Xc / N)
        order = np.argsort(S)[::-1]
        S, U = S[order], U[:, order]
    else:
        _, sigma, Vt = np.linalg.svd(Xc, full_matrices=False)
        S, U = sigma ** 2 / N, Vt.T
    return mean, -U, np.clip(S, 0.0, None)


@right("pca", "the notes' np.linalg.svd of the covariance for N >= D (its singular values are the eigenvalues)")
def pca_svd_of_cov(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.isfinite(X).all():
        raise ValueError(f"pca: expected a finite 2-D array, got shape {X.shape}")
    N, D = X.shape
    mean = np.sum(X, axis=0) / N
    Xc = X - mean
    if N >= D:
        U, S, _ = np.linalg.svd(np.dot(Xc.T, Xc) / N)
    else:
        # eigenvectors of the small N x N Gram matrix would fail for zero variances; use the data's SVD
        _, sigma, Vt = np.linalg.svd(Xc, full_matrices=False)
        U, S = Vt.T, sigma * sigma / N
    return mean, U, np.maximum(S, 0.0)


@right("pca", "always the thin SVD of the centred data (K = min(N, D) columns in both cases)")
def pca_always_svd(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.isfinite(X).all():
        raise ValueError(f"pca: expected a finite 2-D array, got shape {X.shape}")
    mean = X.mean(axis=0)
    _, sigma, Vt = np.linalg.svd(X - mean, full_matrices=False)
    signs = np.where(np.arange(len(sigma)) % 2 == 0, 1.0, -1.0)      # any signs are fine
    return mean, Vt.T * signs, sigma ** 2 / X.shape[0]


@right("pca", "eigh, then each eigenvector's sign chosen so that its last component is negative")
def pca_last_component_negative(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.isfinite(X).all():
        raise ValueError(f"pca: expected a finite 2-D array, got shape {X.shape}")
    N, D = X.shape
    mean = X.mean(axis=0)
    Xc = X - mean
    if N >= D:
        S, U = np.linalg.eigh(Xc.T @ Xc / N)
        S, U = S[::-1], U[:, ::-1]
    else:
        _, sigma, Vt = np.linalg.svd(Xc, full_matrices=False)
        S, U = sigma ** 2 / N, Vt.T
    signs = np.where(U[-1] > 0, -1.0, 1.0)                 # (K,): one sign per eigenvector
    return mean, U * signs, np.maximum(S, 0.0)


@right("pca", "another orthonormal basis of every repeated eigenvalue's eigenspace: a reflection mixes tied columns")
def pca_tied_basis_reflected(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.isfinite(X).all():
        raise ValueError(f"pca: expected a finite 2-D array, got shape {X.shape}")
    N, D = X.shape
    mean = X.mean(axis=0)
    Xc = X - mean
    if N >= D:
        S, U = np.linalg.eigh(Xc.T @ Xc / N)
        S, U = S[::-1], U[:, ::-1]
    else:
        _, sigma, Vt = np.linalg.svd(Xc, full_matrices=False)
        S, U = sigma ** 2 / N, Vt.T
    # Columns with equal eigenvalues span one eigenspace; any orthonormal basis of it is right.
    # Mix each group of tied columns by the Householder reflection I - 2 v v^T / m, v = ones(m).
    tied = np.isclose(S[1:], S[:-1], rtol=1e-10, atol=1e-12 * max(S[0], 1e-300))
    starts = np.flatnonzero(np.concatenate([[True], ~tied]))
    for start, stop in zip(starts, np.append(starts[1:], len(S))):      # a loop over groups, not examples
        m = stop - start
        if m > 1:
            U[:, start:stop] = U[:, start:stop] @ (np.eye(m) - 2.0 / m)
    return mean, U, np.maximum(S, 0.0)


# --- whiten ----------------------------------------------------------------


@wrong("whiten", "divides by the eigenvalues S (as the notes' comment says) instead of their square roots")
def whiten_by_eigenvalues(Xrot, S, eps=1e-5):
    S = np.asarray(S, dtype=np.float64)
    if S.shape != (np.shape(Xrot)[1],):
        raise ValueError("whiten: S must have one entry per column of Xrot")
    return Xrot / (S + eps)


@wrong("whiten", "eps outside the square root: sqrt(S) + eps")
def whiten_eps_outside(Xrot, S, eps=1e-5):
    S = np.asarray(S, dtype=np.float64)
    if S.shape != (np.shape(Xrot)[1],):
        raise ValueError("whiten: S must have one entry per column of Xrot")
    return Xrot / (np.sqrt(S) + eps)


@wrong("whiten", "multiplies by the standard deviations instead of dividing")
def whiten_multiplies(Xrot, S, eps=1e-5):
    S = np.asarray(S, dtype=np.float64)
    if S.shape != (np.shape(Xrot)[1],):
        raise ValueError("whiten: S must have one entry per column of Xrot")
    return Xrot * np.sqrt(S + eps)


@right("whiten", "multiplies by (S + eps) ** -0.5")
def whiten_power(Xrot, S, eps=1e-5):
    Xrot = np.array(Xrot, dtype=np.float64)
    S = np.array(S, dtype=np.float64)
    if Xrot.ndim != 2 or S.ndim != 1 or len(S) != Xrot.shape[1]:
        raise ValueError(f"whiten: expected Xrot (N, K) and S (K,), got {Xrot.shape} and {S.shape}")
    return Xrot * (S + eps) ** -0.5


@right("whiten", "a matrix product with the diagonal matrix diag(1 / sqrt(S + eps))")
def whiten_diag(Xrot, S, eps=1e-5):
    Xrot = np.asarray(Xrot, dtype=np.float64)
    S = np.asarray(S, dtype=np.float64).reshape(-1) if np.ndim(S) == 1 else np.asarray(S)
    if Xrot.ndim != 2 or np.ndim(S) != 1 or S.size != Xrot.shape[1]:
        raise ValueError(f"whiten: S needs one variance per column of Xrot; got {np.shape(S)} for Xrot {Xrot.shape}")
    return Xrot @ np.diag(1.0 / np.sqrt(S + eps))


# --- Preprocessor ----------------------------------------------------------
# Each variant is a complete class (it replaces the notebook's class); the
# comment "# <-" marks the line that makes a wrong one wrong.

@wrong("Preprocessor", "recomputes the statistics in transform: each split is preprocessed with its own statistics (the notes' pitfall)")
class PreprocessorRecomputes:
    METHODS = ("center", "standardize", "minmax", "pca", "whiten")

    def __init__(self, method, n_components=None, eps=1e-5):
        if method not in self.METHODS:
            raise ValueError(f"unknown method {method!r}")
        self.method, self.n_components, self.eps = method, n_components, eps

    def _check(self, X, n_columns=None):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or not np.all(np.isfinite(X)):
            raise ValueError("Preprocessor: expected a finite 2-D array")
        if n_columns is not None and X.shape[1] != n_columns:
            raise ValueError(f"Preprocessor: expected {n_columns} columns, got {X.shape[1]}")
        return X

    def fit(self, X_train):
        X = self._check(X_train)
        self.D = X.shape[1]
        self._stats(X)
        return self

    def _stats(self, X):
        if self.method == "minmax":
            lo, hi = X.min(axis=0), X.max(axis=0)
            self.shift, scale = (hi + lo) / 2, (hi - lo) / 2
        elif self.method in ("center", "standardize"):
            self.shift = X.mean(axis=0)
            scale = X.std(axis=0) if self.method == "standardize" else np.ones(X.shape[1])
        else:
            mean, U, S = pca(X)
            k = U.shape[1] if self.n_components is None else self.n_components
            if k > U.shape[1]:
                raise ValueError("Preprocessor: n_components too large")
            self.mean, self.U, self.S = mean, U[:, :k], S[:k]
            return
        self.scale = np.where(scale > 0, scale, 1.0)

    def transform(self, X):
        if not hasattr(self, "D"):
            raise ValueError("Preprocessor: call fit first")
        X = self._check(X, self.D)
        self._stats(X)                                            # <- statistics of the data being transformed
        if self.method in ("pca", "whiten"):
            Z = (X - self.mean) @ self.U
            return whiten(Z, self.S, self.eps) if self.method == "whiten" else Z
        return (X - self.shift) / self.scale

    def inverse_transform(self, Z):
        if not hasattr(self, "D"):
            raise ValueError("Preprocessor: call fit first")
        if self.method in ("pca", "whiten"):
            Z = self._check(Z, self.U.shape[1])
            if self.method == "whiten":
                Z = Z * np.sqrt(self.S + self.eps)
            return Z @ self.U.T + self.mean
        return self._check(Z, self.D) * self.scale + self.shift


@wrong("Preprocessor", "minmax scales to [0, 1] instead of the notes' [-1, 1]")
class PreprocessorMinmax01:
    METHODS = ("center", "standardize", "minmax", "pca", "whiten")

    def __init__(self, method, n_components=None, eps=1e-5):
        if method not in self.METHODS:
            raise ValueError(f"unknown method {method!r}")
        self.method, self.n_components, self.eps = method, n_components, eps

    def _check(self, X, n_columns=None):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or not np.all(np.isfinite(X)):
            raise ValueError("Preprocessor: expected a finite 2-D array")
        if n_columns is not None and X.shape[1] != n_columns:
            raise ValueError(f"Preprocessor: expected {n_columns} columns, got {X.shape[1]}")
        return X

    def fit(self, X_train):
        X = self._check(X_train)
        self.D = X.shape[1]
        if self.method == "minmax":
            self.shift, scale = X.min(axis=0), X.max(axis=0) - X.min(axis=0)   # <- maps to [0, 1]
        elif self.method in ("center", "standardize"):
            self.shift = X.mean(axis=0)
            scale = X.std(axis=0) if self.method == "standardize" else np.ones(self.D)
        else:
            mean, U, S = pca(X)
            k = U.shape[1] if self.n_components is None else self.n_components
            if k > U.shape[1]:
                raise ValueError("Preprocessor: n_components too large")
            self.mean, self.U, self.S = mean, U[:, :k], S[:k]
            return self
        self.scale = np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, X):
        if not hasattr(self, "D"):
            raise ValueError("Preprocessor: call fit first")
        X = self._check(X, self.D)
        if self.method in ("pca", "whiten"):
            Z = (X - self.mean) @ self.U
            return whiten(Z, self.S, self.eps) if self.method == "whiten" else Z
        return (X - self.shift) / self.scale

    def inverse_transform(self, Z):
        if not hasattr(self, "D"):
            raise ValueError("Preprocessor: call fit first")
        if self.method in ("pca", "whiten"):
            Z = self._check(Z, self.U.shape[1])
            if self.method == "whiten":
                Z = Z * np.sqrt(self.S + self.eps)
            return Z @ self.U.T + self.mean
        return self._check(Z, self.D) * self.scale + self.shift


@wrong("Preprocessor", "standardize with np.std(ddof=1) instead of the notes' ddof 0")
class PreprocessorDdof1:
    METHODS = ("center", "standardize", "minmax", "pca", "whiten")

    def __init__(self, method, n_components=None, eps=1e-5):
        if method not in self.METHODS:
            raise ValueError(f"unknown method {method!r}")
        self.method, self.n_components, self.eps = method, n_components, eps

    def _check(self, X, n_columns=None):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or not np.all(np.isfinite(X)):
            raise ValueError("Preprocessor: expected a finite 2-D array")
        if n_columns is not None and X.shape[1] != n_columns:
            raise ValueError(f"Preprocessor: expected {n_columns} columns, got {X.shape[1]}")
        return X

    def fit(self, X_train):
        X = self._check(X_train)
        self.D = X.shape[1]
        if self.method == "minmax":
            lo, hi = X.min(axis=0), X.max(axis=0)
            self.shift, scale = (hi + lo) / 2, (hi - lo) / 2
        elif self.method in ("center", "standardize"):
            self.shift = X.mean(axis=0)
            scale = X.std(axis=0, ddof=1) if self.method == "standardize" else np.ones(self.D)   # <- ddof=1
        else:
            mean, U, S = pca(X)
            k = U.shape[1] if self.n_components is None else self.n_components
            if k > U.shape[1]:
                raise ValueError("Preprocessor: n_components too large")
            self.mean, self.U, self.S = mean, U[:, :k], S[:k]
            return self
        self.scale = np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, X):
        if not hasattr(self, "D"):
            raise ValueError("Preprocessor: call fit first")
        X = self._check(X, self.D)
        if self.method in ("pca", "whiten"):
            Z = (X - self.mean) @ self.U
            return whiten(Z, self.S, self.eps) if self.method == "whiten" else Z
        return (X - self.shift) / self.scale

    def inverse_transform(self, Z):
        if not hasattr(self, "D"):
            raise ValueError("Preprocessor: call fit first")
        if self.method in ("pca", "whiten"):
            Z = self._check(Z, self.U.shape[1])
            if self.method == "whiten":
                Z = Z * np.sqrt(self.S + self.eps)
            return Z @ self.U.T + self.mean
        return self._check(Z, self.D) * self.scale + self.shift


@wrong("Preprocessor", "standardize divides by the std without centring first")
class PreprocessorNotCentred:
    METHODS = ("center", "standardize", "minmax", "pca", "whiten")

    def __init__(self, method, n_components=None, eps=1e-5):
        if method not in self.METHODS:
            raise ValueError(f"unknown method {method!r}")
        self.method, self.n_components, self.eps = method, n_components, eps

    def _check(self, X, n_columns=None):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or not np.all(np.isfinite(X)):
            raise ValueError("Preprocessor: expected a finite 2-D array")
        if n_columns is not None and X.shape[1] != n_columns:
            raise ValueError(f"Preprocessor: expected {n_columns} columns, got {X.shape[1]}")
        return X

    def fit(self, X_train):
        X = self._check(X_train)
        self.D = X.shape[1]
        if self.method == "minmax":
            lo, hi = X.min(axis=0), X.max(axis=0)
            self.shift, scale = (hi + lo) / 2, (hi - lo) / 2
        elif self.method == "center":
            self.shift, scale = X.mean(axis=0), np.ones(self.D)
        elif self.method == "standardize":
            self.shift, scale = np.zeros(self.D), X.std(axis=0)                 # <- no centring
        else:
            mean, U, S = pca(X)
            k = U.shape[1] if self.n_components is None else self.n_components
            if k > U.shape[1]:
                raise ValueError("Preprocessor: n_components too large")
            self.mean, self.U, self.S = mean, U[:, :k], S[:k]
            return self
        self.scale = np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, X):
        if not hasattr(self, "D"):
            raise ValueError("Preprocessor: call fit first")
        X = self._check(X, self.D)
        if self.method in ("pca", "whiten"):
            Z = (X - self.mean) @ self.U
            return whiten(Z, self.S, self.eps) if self.method == "whiten" else Z
        return (X - self.shift) / self.scale

    def inverse_transform(self, Z):
        if not hasattr(self, "D"):
            raise ValueError("Preprocessor: call fit first")
        if self.method in ("pca", "whiten"):
            Z = self._check(Z, self.U.shape[1])
            if self.method == "whiten":
                Z = Z * np.sqrt(self.S + self.eps)
            return Z @ self.U.T + self.mean
        return self._check(Z, self.D) * self.scale + self.shift


@wrong("Preprocessor", "pca / whiten: transform projects X without subtracting the training mean")
class PreprocessorProjectsUncentred:
    METHODS = ("center", "standardize", "minmax", "pca", "whiten")

    def __init__(self, method, n_components=None, eps=1e-5):
        if method not in self.METHODS:
            raise ValueError(f"unknown method {method!r}")
        self.method, self.n_components, self.eps = method, n_components, eps

    def _check(self, X, n_columns=None):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or not np.all(np.isfinite(X)):
            raise ValueError("Preprocessor: expected a finite 2-D array")
        if n_columns is not None and X.shape[1] != n_columns:
            raise ValueError(f"Preprocessor: expected {n_columns} columns, got {X.shape[1]}")
        return X

    def fit(self, X_train):
        X = self._check(X_train)
        self.D = X.shape[1]
        if self.method == "minmax":
            lo, hi = X.min(axis=0), X.max(axis=0)
            self.shift, scale = (hi + lo) / 2, (hi - lo) / 2
        elif self.method in ("center", "standardize"):
            self.shift = X.mean(axis=0)
            scale = X.std(axis=0) if self.method == "standardize" else np.ones(self.D)
        else:
            mean, U, S = pca(X)
            k = U.shape[1] if self.n_components is None else self.n_components
            if k > U.shape[1]:
                raise ValueError("Preprocessor: n_components too large")
            self.mean, self.U, self.S = mean, U[:, :k], S[:k]
            return self
        self.scale = np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, X):
        if not hasattr(self, "D"):
            raise ValueError("Preprocessor: call fit first")
        X = self._check(X, self.D)
        if self.method in ("pca", "whiten"):
            Z = X @ self.U                                                      # <- mean not subtracted
            return whiten(Z, self.S, self.eps) if self.method == "whiten" else Z
        return (X - self.shift) / self.scale

    def inverse_transform(self, Z):
        if not hasattr(self, "D"):
            raise ValueError("Preprocessor: call fit first")
        if self.method in ("pca", "whiten"):
            Z = self._check(Z, self.U.shape[1])
            if self.method == "whiten":
                Z = Z * np.sqrt(self.S + self.eps)
            return Z @ self.U.T
        return self._check(Z, self.D) * self.scale + self.shift


@wrong("Preprocessor", "no input validation: transform before fit raises AttributeError, bad shapes or NaN pass silently")
class PreprocessorNoValidation:
    def __init__(self, method, n_components=None, eps=1e-5):
        self.method, self.n_components, self.eps = method, n_components, eps

    def fit(self, X_train):
        X = np.asarray(X_train, dtype=np.float64)
        self.mean = X.mean(axis=0)
        std = X.std(axis=0)
        self.std = np.where(std > 0, std, 1.0)
        self.lo, self.hi = X.min(axis=0), X.max(axis=0)
        if self.method in ("pca", "whiten"):
            _, U, S = pca(X)
            k = self.n_components or U.shape[1]
            self.U, self.S = U[:, :k], S[:k]
        return self

    def transform(self, X):
        X = np.asarray(X, dtype=np.float64)
        if self.method == "center":
            return X - self.mean
        if self.method == "standardize":
            return (X - self.mean) / self.std
        if self.method == "minmax":
            span = np.where(self.hi > self.lo, self.hi - self.lo, 2.0)
            return 2 * (X - self.lo) / span - np.where(self.hi > self.lo, 1.0, 0.0)
        Z = (X - self.mean) @ self.U
        return Z / np.sqrt(self.S + self.eps) if self.method == "whiten" else Z

    def inverse_transform(self, Z):
        Z = np.asarray(Z, dtype=np.float64)
        if self.method == "center":
            return Z + self.mean
        if self.method == "standardize":
            return Z * self.std + self.mean
        if self.method == "minmax":
            span = np.where(self.hi > self.lo, self.hi - self.lo, 2.0)
            return (Z + np.where(self.hi > self.lo, 1.0, 0.0)) * span / 2 + self.lo
        if self.method == "whiten":
            Z = Z * np.sqrt(self.S + self.eps)
        return Z @ self.U.T + self.mean


@right("Preprocessor", "one branch per method, the notes' formulas; components with flipped signs")
class PreprocessorBranches:
    def __init__(self, method, n_components=None, eps=1e-5):
        if method not in ("center", "standardize", "minmax", "pca", "whiten"):
            raise ValueError(f"Preprocessor: unknown method {method!r}")
        self.method, self.n_components, self.eps = method, n_components, eps
        self.stats = None

    def _validate(self, X, width, what):
        X = np.array(X, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"Preprocessor.{what}: need a 2-D array, got {X.ndim}-D")
        if np.isnan(X).any() or np.isinf(X).any():
            raise ValueError(f"Preprocessor.{what}: NaN or inf in the data")
        if width is not None and X.shape[1] != width:
            raise ValueError(f"Preprocessor.{what}: {X.shape[1]} columns, the fitted data had {width}")
        return X

    def fit(self, X_train):
        X = self._validate(X_train, None, "fit")
        st = {"D": X.shape[1]}
        if self.method == "minmax":
            st["min"], st["max"] = np.min(X, axis=0), np.max(X, axis=0)
        elif self.method in ("pca", "whiten"):
            mean, U, S = pca(X)
            k = self.n_components if self.n_components is not None else U.shape[1]
            if k > U.shape[1]:
                raise ValueError(f"Preprocessor.fit: only {U.shape[1]} components, asked for {k}")
            st["mean"], st["U"], st["S"] = mean, -U[:, :k], S[:k]
        else:
            st["mean"], st["std"] = np.mean(X, axis=0), np.std(X, axis=0)
        self.stats = st
        return self

    def _fitted(self, what):
        if self.stats is None:
            raise ValueError(f"Preprocessor.{what}: fit first")
        return self.stats

    def transform(self, X):
        st = self._fitted("transform")
        X = self._validate(X, st["D"], "transform")
        m = self.method
        if m == "center":
            return X - st["mean"]
        if m == "standardize":
            std = st["std"].copy()
            std[std == 0] = 1.0
            return (X - st["mean"]) / std
        if m == "minmax":
            span = st["max"] - st["min"]
            ok = span > 0
            return np.where(ok, 2.0 * (X - st["min"]) / np.where(ok, span, 1.0) - 1.0, X - st["min"])
        Xrot = np.dot(X - st["mean"], st["U"])
        return Xrot / np.sqrt(st["S"] + self.eps) if m == "whiten" else Xrot

    def inverse_transform(self, Z):
        st = self._fitted("inverse_transform")
        m = self.method
        width = st["U"].shape[1] if m in ("pca", "whiten") else st["D"]
        Z = self._validate(Z, width, "inverse_transform")
        if m == "center":
            return Z + st["mean"]
        if m == "standardize":
            return Z * np.where(st["std"] == 0, 1.0, st["std"]) + st["mean"]
        if m == "minmax":
            span = st["max"] - st["min"]
            ok = span > 0
            return np.where(ok, (Z + 1.0) * span / 2.0, Z) + st["min"]
        if m == "whiten":
            Z = Z * np.sqrt(st["S"] + self.eps)
        return np.dot(Z, st["U"].T) + st["mean"]


@right("Preprocessor", "stores an affine map X -> (X - a) @ B for every method, and the matrix that undoes it")
class PreprocessorAffine:
    def __init__(self, method, n_components=None, eps=1e-5):
        if method not in ("center", "standardize", "minmax", "pca", "whiten"):
            raise ValueError(f"Preprocessor: method must be center, standardize, minmax, pca or whiten; got {method!r}")
        self.method, self.n_components, self.eps = method, n_components, eps

    @staticmethod
    def _as_data(X, what):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or not np.isfinite(X).all():
            raise ValueError(f"Preprocessor.{what}: expected a finite 2-D array (N, D); got shape {X.shape}")
        return X

    def fit(self, X_train):
        X = self._as_data(X_train, "fit")
        N, D = X.shape
        if self.method in ("center", "standardize", "minmax"):
            if self.method == "minmax":
                a = (X.max(axis=0) + X.min(axis=0)) / 2
                scale = (X.max(axis=0) - X.min(axis=0)) / 2
            else:
                a = X.mean(axis=0)
                scale = np.sqrt(np.mean((X - a) ** 2, axis=0)) if self.method == "standardize" else np.ones(D)
            scale = np.where(scale == 0, 1.0, scale)
            self.a_, self.B_, self.B_inv_ = a, np.diag(1 / scale), np.diag(scale)
        else:
            mean, U, S = pca(X)
            k = U.shape[1] if self.n_components is None else int(self.n_components)
            if k > U.shape[1]:
                raise ValueError(f"Preprocessor.fit: n_components={k} exceeds the {U.shape[1]} components")
            d = np.sqrt(S[:k] + self.eps) if self.method == "whiten" else np.ones(k)
            self.a_, self.B_, self.B_inv_ = mean, U[:, :k] / d, (U[:, :k] * d).T
        return self

    def transform(self, X):
        if not hasattr(self, "B_"):
            raise ValueError("Preprocessor.transform: not fitted; call fit(X_train) first")
        X = self._as_data(X, "transform")
        if X.shape[1] != self.B_.shape[0]:
            raise ValueError(f"Preprocessor.transform: X has {X.shape[1]} columns, expected {self.B_.shape[0]}")
        return (X - self.a_) @ self.B_

    def inverse_transform(self, Z):
        if not hasattr(self, "B_"):
            raise ValueError("Preprocessor.inverse_transform: not fitted; call fit(X_train) first")
        Z = self._as_data(Z, "inverse_transform")
        if Z.shape[1] != self.B_.shape[1]:
            raise ValueError(f"Preprocessor.inverse_transform: Z has {Z.shape[1]} columns, expected {self.B_.shape[1]}")
        return Z @ self.B_inv_ + self.a_
