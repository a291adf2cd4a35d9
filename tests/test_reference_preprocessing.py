"""Tests of cs231n_course.reference.preprocessing (notebook 04_preprocessing).

PCA is checked against np.cov / np.linalg.eigvalsh and between its two routes
(covariance + eigh for N >= D, SVD of the data for N < D); the Preprocessor
against per-feature formulas written here, on small data.
"""
import numpy as np
import pytest

from cs231n_course.reference.preprocessing import NotFittedError, Preprocessor, pca, whiten

UNSTABLE = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def correlated_data(N=300, D=5, seed=0):
    """Gaussian data with distinct variances along a random rotation, off-centre."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((D, D)))
    scales = np.linspace(3.0, 0.3, D)
    return (rng.standard_normal((N, D)) * scales) @ Q.T + rng.uniform(-5, 5, size=D)


def same_subspace(U1, U2, atol=1e-8):
    """True when the columns of U1 and U2 span the same subspace."""
    return np.allclose(U1 @ U1.T, U2 @ U2.T, atol=atol)


# ---------------------------------------------------------------------- pca
def test_pca_basic_properties():
    X = correlated_data()
    mean, U, S = pca(X)
    N, D = X.shape
    assert mean.shape == (D,) and U.shape == (D, D) and S.shape == (D,)
    assert np.allclose(mean, [np.mean(X[:, d]) for d in range(D)])
    assert np.allclose(U.T @ U, np.eye(D), atol=1e-12)                 # orthonormal
    assert np.all(np.diff(S) <= 0)                                     # decreasing
    cov = np.cov(X, rowvar=False, bias=True)                           # Xc.T Xc / N
    assert np.allclose(S, np.linalg.eigvalsh(cov)[::-1], rtol=1e-10)
    assert np.allclose(cov @ U, U * S, atol=1e-10)                     # eigenvectors


def test_pca_sign_convention_largest_entry_positive():
    mean, U, S = pca(correlated_data(seed=1))
    rows = np.argmax(np.abs(U), axis=0)
    assert np.all(U[rows, np.arange(U.shape[1])] > 0)


def test_rotated_covariance_is_diagonal():
    X = correlated_data(seed=2)
    mean, U, S = pca(X)
    Xrot = (X - mean) @ U
    cov_rot = Xrot.T @ Xrot / X.shape[0]
    assert np.allclose(cov_rot, np.diag(S), atol=1e-10)


def test_whitened_covariance_is_identity_up_to_eps():
    X = correlated_data(seed=3)
    mean, U, S = pca(X)
    Xwhite = whiten((X - mean) @ U, S, eps=1e-5)
    cov_white = Xwhite.T @ Xwhite / X.shape[0]
    assert np.allclose(cov_white, np.diag(S / (S + 1e-5)), atol=1e-10)
    # 1 - S / (S + eps) = eps / (S + eps) < eps / min(S): identity up to eps.
    assert np.allclose(cov_white, np.eye(X.shape[1]), rtol=0, atol=1e-5 / S.min())


def test_whiten_divides_by_sqrt_of_variances():
    # S holds variances (eigenvalues of the covariance): divide by sqrt(S + eps).
    Xrot = np.array([[2.0, 3.0], [-2.0, -3.0]])
    out = whiten(Xrot, np.array([4.0, 9.0]), eps=0.0)
    assert np.allclose(out, [[1.0, 1.0], [-1.0, -1.0]])


def test_pca_both_routes_agree_when_N_ge_D():
    X = correlated_data(N=100, D=6, seed=4)
    m1, U1, S1 = pca(X, solver="covariance")
    m2, U2, S2 = pca(X, solver="svd")
    assert np.allclose(m1, m2) and np.allclose(S1, S2, rtol=1e-10)
    for k in range(1, 7):                                              # every leading subspace
        assert same_subspace(U1[:, :k], U2[:, :k])
    assert np.allclose(U1, U2, atol=1e-8)                              # same sign convention


def test_pca_small_N_uses_svd_and_agrees_with_covariance_route():
    X = correlated_data(N=8, D=20, seed=5)                             # N < D
    mean, U, S = pca(X)
    assert U.shape == (20, 8) and S.shape == (8,)
    assert np.allclose(U.T @ U, np.eye(8), atol=1e-12)
    _, U_cov, S_cov = pca(X, solver="covariance")
    assert U_cov.shape == (20, 20)
    assert np.allclose(S, S_cov[:8], atol=1e-10)
    # Centred data have rank N - 1 = 7: those 7 directions are determined.
    assert same_subspace(U[:, :7], U_cov[:, :7])
    assert S[7] == pytest.approx(0, abs=1e-10)


def test_pca_float32_input():
    X = correlated_data(seed=6)
    X32 = X.astype(np.float32)
    mean, U, S = pca(X32)
    mean64, U64, S64 = pca(X32.astype(np.float64))
    assert mean.dtype == U.dtype == S.dtype == np.float64
    assert np.allclose(S, S64, rtol=1e-4)
    assert np.allclose(np.abs(U.T @ U64), np.eye(5), atol=1e-3)


def test_pca_and_whiten_do_not_modify_inputs():
    X = correlated_data(seed=7)
    X_before = X.copy()
    mean, U, S = pca(X)
    Xrot = (X - mean) @ U
    Xrot_before, S_before = Xrot.copy(), S.copy()
    whiten(Xrot, S)
    assert np.array_equal(X, X_before) and np.array_equal(Xrot, Xrot_before) and np.array_equal(S, S_before)


def test_pca_and_whiten_validation():
    with pytest.raises(ValueError, match="2-D"):
        pca(np.ones(5))
    with pytest.raises(ValueError, match="NaN or inf"):
        pca(np.array([[1.0, np.nan], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="solver"):
        pca(np.ones((3, 2)), solver="qr")
    with pytest.raises(ValueError, match=r"S\[:2\]"):
        whiten(np.ones((4, 2)), np.ones(5))
    with pytest.raises(ValueError, match="non-negative"):
        whiten(np.ones((4, 2)), np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="eps > 0"):
        whiten(np.ones((4, 2)), np.array([1.0, 0.0]), eps=0.0)


# ------------------------------------------------------------- Preprocessor
def train_test_with_constant_feature(seed=0):
    """Train/test data; feature 2 is constant on the training data."""
    X = correlated_data(N=60, D=4, seed=seed)
    X_train, X_test = X[:40].copy(), X[40:].copy()
    X_train[:, 2] = 7.25
    return X_train, X_test


@pytest.mark.parametrize("method", ["center", "standardize", "minmax"])
def test_elementwise_methods_use_fit_statistics(method):
    X_train, X_test = train_test_with_constant_feature()
    pre = Preprocessor(method).fit(X_train)
    Z = pre.transform(X_test)
    for d in range(X_train.shape[1]):
        col = X_train[:, d]
        mean = sum(col) / len(col)
        std = np.sqrt(sum((v - mean) ** 2 for v in col) / len(col))
        lo, hi = min(col), max(col)
        for i in range(X_test.shape[0]):
            x = X_test[i, d]
            if method == "center":
                expected = x - mean
            elif method == "standardize":
                expected = (x - mean) / (std if std > 0 else 1.0)
            else:
                expected = 2 * (x - lo) / (hi - lo) - 1 if hi > lo else x - lo
            assert Z[i, d] == pytest.approx(expected, rel=1e-10, abs=1e-10)


@pytest.mark.parametrize("method", ["pca", "whiten"])
def test_pca_methods_use_fit_statistics(method):
    X_train, X_test = correlated_data(N=80, seed=8)[:50], correlated_data(N=80, seed=8)[50:]
    pre = Preprocessor(method, n_components=3).fit(X_train)
    mean, U, S = pca(X_train)
    expected = (X_test - mean) @ U[:, :3]
    if method == "whiten":
        expected = expected / np.sqrt(S[:3] + 1e-5)
    assert np.allclose(pre.transform(X_test), expected, atol=1e-10)
    assert pre.components_.shape == (5, 3) and np.allclose(pre.variances_, S[:3])


@pytest.mark.parametrize("method", ["center", "standardize", "minmax", "pca", "whiten"])
def test_round_trip(method):
    X_train, X_test = train_test_with_constant_feature(seed=1)
    pre = Preprocessor(method)
    for X in (X_train, X_test):
        Z = pre.fit(X_train).transform(X)
        assert np.allclose(pre.inverse_transform(Z), X, rtol=1e-10, atol=1e-10)


def test_fitted_attributes():
    X_train, _ = train_test_with_constant_feature()
    assert np.allclose(Preprocessor("center").fit(X_train).mean_, X_train.mean(axis=0))
    std = Preprocessor("standardize").fit(X_train).std_
    expected = np.std(X_train, axis=0)
    expected[2] = 1.0                                    # constant feature: divide by 1
    assert np.allclose(std, expected)
    pre = Preprocessor("minmax").fit(X_train)
    assert np.array_equal(pre.min_, X_train.min(axis=0)) and np.array_equal(pre.max_, X_train.max(axis=0))
    assert pre.n_features_in_ == 4


def test_standardize_and_minmax_on_fit_data():
    X_train, _ = train_test_with_constant_feature(seed=2)
    with np.errstate(**UNSTABLE):
        Zs = Preprocessor("standardize").fit_transform(X_train)
        Zm = Preprocessor("minmax").fit_transform(X_train)
    assert np.allclose(Zs.mean(axis=0), 0, atol=1e-12)
    assert np.allclose(Zs.std(axis=0), [1, 1, 0, 1])     # constant feature stays 0
    assert np.all(Zs[:, 2] == 0) and np.all(Zm[:, 2] == 0)
    others = [0, 1, 3]
    assert np.all(Zm[:, others].min(axis=0) == -1.0)     # exactly [-1, 1]
    assert np.all(Zm[:, others].max(axis=0) == 1.0)


def test_whiten_method_gives_identity_covariance():
    X = correlated_data(seed=9)
    pre = Preprocessor("whiten")
    Z = pre.fit_transform(X)
    assert np.allclose(Z.T @ Z / len(Z), np.eye(5), rtol=0, atol=1e-5 / pre.variances_.min())


def test_pca_reduction_error_is_sum_of_dropped_variances():
    X = correlated_data(seed=10)
    pre = Preprocessor("pca", n_components=2).fit(X)
    X_rec = pre.inverse_transform(pre.transform(X))
    _, _, S = pca(X)
    assert np.mean(np.sum((X - X_rec) ** 2, axis=1)) == pytest.approx(S[2:].sum(), rel=1e-10)


def test_fit_returns_self_and_fit_transform_matches():
    X = correlated_data(seed=11)
    for method in ("center", "standardize", "minmax", "pca", "whiten"):
        pre = Preprocessor(method)
        assert pre.fit(X) is pre
        assert np.allclose(Preprocessor(method).fit_transform(X), pre.transform(X))


def test_preprocessor_does_not_modify_inputs():
    X_train, X_test = train_test_with_constant_feature(seed=3)
    copies = X_train.copy(), X_test.copy()
    for method in ("center", "standardize", "minmax", "pca", "whiten"):
        pre = Preprocessor(method).fit(X_train)
        Z = pre.transform(X_test)
        Z_before = Z.copy()
        pre.inverse_transform(Z)
        assert np.array_equal(Z, Z_before)
    assert np.array_equal(X_train, copies[0]) and np.array_equal(X_test, copies[1])


def test_float32_stays_float32():
    X = correlated_data(seed=12).astype(np.float32)
    for method in ("center", "standardize", "minmax", "pca", "whiten"):
        pre = Preprocessor(method).fit(X)
        Z = pre.transform(X)
        assert Z.dtype == np.float32 and pre.inverse_transform(Z).dtype == np.float32
    assert Preprocessor("center").fit(X.astype(np.float64)).transform(X.astype(int)).dtype == np.float64


def test_preprocessor_validation():
    X = correlated_data(N=10, D=4, seed=13)
    with pytest.raises(ValueError, match="center, standardize, minmax, pca, whiten"):
        Preprocessor("normalize")
    with pytest.raises(NotFittedError, match=r"call fit\(X_train\) first"):
        Preprocessor("center").transform(X)
    with pytest.raises(ValueError, match="not fitted"):          # NotFittedError is a ValueError
        Preprocessor("pca").inverse_transform(X)
    with pytest.raises(ValueError, match="2-D"):
        Preprocessor("center").fit(X[0])
    with pytest.raises(ValueError, match="NaN or inf"):
        Preprocessor("center").fit(np.where(X > 1, np.inf, X))
    pre = Preprocessor("standardize").fit(X)
    with pytest.raises(ValueError, match="NaN or inf"):
        pre.transform(np.full((2, 4), np.nan))
    with pytest.raises(ValueError, match="X has 3 columns .* fitted on data with 4"):
        pre.transform(X[:, :3])
    with pytest.raises(ValueError, match="Z has 4 columns but transform produces 2"):
        Preprocessor("pca", n_components=2).fit(X).inverse_transform(X)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="n_components"):
            Preprocessor("pca", n_components=bad)
    with pytest.raises(ValueError, match="n_components=5 is out of range"):
        Preprocessor("pca", n_components=5).fit(X)               # D = 4
    with pytest.raises(ValueError, match=r"min\(N, D\) = 3"):
        Preprocessor("whiten", n_components=4).fit(X[:3])         # N = 3 < D
    with pytest.raises(ValueError, match="only used by 'pca' and 'whiten'"):
        Preprocessor("center", n_components=2)
    with pytest.raises(ValueError, match="eps"):
        Preprocessor("whiten", eps=-1.0)


# ------------------------------------------------- blocked covariance in pca
def pixel_like_data(N, D, seed=0):
    """float32 data around 120 (like pixels) with variances from 900 down to 9e-4."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((D, D)))
    stds = np.logspace(np.log10(30.0), np.log10(0.03), D)
    X = (rng.standard_normal((N, D)) * stds) @ Q.T + 120 + rng.uniform(-10, 10, size=D)
    return X.astype(np.float32)


def covariance_from_pca(X):
    mean, U, S = pca(X, solver="covariance")
    return U @ np.diag(S) @ U.T


def test_blocked_covariance_equals_np_cov_with_large_mean():
    """pca sums the covariance over blocks of rows of centred data (several
    blocks here, the last one partial); it must equal np.cov in float64, even
    for the smallest variances (9e-4) under means of ~120."""
    import cs231n_course.reference.preprocessing as prep
    N, D = 2 * prep.BLOCK_ROWS + 1234, 12
    X = pixel_like_data(N, D)
    expected = np.cov(X.astype(np.float64).T, bias=True)
    got = covariance_from_pca(X)
    # Float32 products of centred data: errors ~3e-7 of the largest entry and
    # < 1 % on the smallest eigenvalue (9e-4).
    def close_enough(cov):
        return (np.abs(cov - expected).max() < 1e-6 * np.abs(expected).max()
                and np.allclose(np.linalg.eigvalsh(cov), np.linalg.eigvalsh(expected), rtol=1e-2, atol=0))
    assert close_enough(got)
    # The test can fail: the uncentred shortcut X.T @ X / N - mean mean^T with
    # a float32 product (scikit-learn's covariance_eigh) does not pass it.
    mean = X.mean(axis=0, dtype=np.float64)
    shortcut = (X.T @ X / np.float32(N)).astype(np.float64) - np.outer(mean, mean)
    assert not close_enough(shortcut)


def test_blocked_covariance_does_not_depend_on_block_size(monkeypatch):
    """float64 data, blocks of 7 rows (N = 50: 8 blocks, the last of 1 row)."""
    import cs231n_course.reference.preprocessing as prep
    X = correlated_data(N=50, D=5, seed=11) + 120.0
    expected = np.cov(X.T, bias=True)
    monkeypatch.setattr(prep, "BLOCK_ROWS", 7)
    np.testing.assert_allclose(covariance_from_pca(X), expected, rtol=1e-10, atol=1e-12)
    monkeypatch.setattr(prep, "BLOCK_ROWS", 1)
    np.testing.assert_allclose(covariance_from_pca(X), expected, rtol=1e-10, atol=1e-12)


# -------------------------------------------------------- top-k components
@pytest.mark.parametrize("N, solver", [(300, "covariance"), (4, "svd")])
def test_pca_n_components_gives_the_top_of_the_full_result(N, solver):
    """With n_components=k only the k largest components are computed (scipy's
    syevr for the covariance solver); they must be the first k of the full run."""
    X = correlated_data(N=N, D=6, seed=3)
    mean, U, S = pca(X, solver=solver)
    for k in (1, 3, U.shape[1]):
        mean_k, U_k, S_k = pca(X, solver=solver, n_components=k)
        assert U_k.shape == (6, k) and S_k.shape == (k,)
        np.testing.assert_allclose(mean_k, mean)
        np.testing.assert_allclose(S_k, S[:k], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(U_k, U[:, :k], atol=1e-8)           # same sign rule too


@pytest.mark.parametrize("bad", [0, 7, -1, 2.0, True, "3"])
def test_pca_rejects_bad_n_components(bad):
    with pytest.raises(ValueError, match="n_components"):
        pca(correlated_data(N=50, D=6), n_components=bad)


@pytest.mark.parametrize("method", ["pca", "whiten"])
def test_transform_by_blocks_equals_one_product(monkeypatch, method):
    """transform projects (X - mean_) @ components_ block by block; the result
    must not depend on the block size (blocks of 7 rows: the last one partial)."""
    import cs231n_course.reference.preprocessing as prep
    X = correlated_data(N=50, D=5, seed=4)
    pre = Preprocessor(method, n_components=3).fit(X)
    expected = (X - pre.mean_) @ pre.components_
    if method == "whiten":
        expected = expected / np.sqrt(pre.variances_ + pre.eps)
    monkeypatch.setattr(prep, "BLOCK_ROWS", 7)
    np.testing.assert_allclose(pre.transform(X), expected, rtol=1e-12, atol=1e-12)
