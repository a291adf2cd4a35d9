"""Tests for cs231n_support.data.

CIFAR-10 is never downloaded here: the tests write a small fake CIFAR-10 in
the official format (pickled dicts with bytes keys, 20 images per batch) and,
for the download tests, a .tar.gz of it served through a file:// URL.
"""
import hashlib
import io
import os
import pickle
import tarfile
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from cs231n_support import data

N = 20  # images per fake batch
NAMES = ["airplane", "automobile", "bird", "cat", "deer",
         "dog", "frog", "horse", "ship", "truck"]


def write_fake_cifar(parent, seed=0):
    """Write a fake cifar-10-batches-py into ``parent``; return what was written
    as {file name: (data uint8 (N, 3072), labels list)}."""
    folder = Path(parent) / data.CIFAR10_FOLDER
    folder.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    written = {}
    for name in data.CIFAR10_TRAIN_FILES + [data.CIFAR10_TEST_FILE]:
        pixels = rng.integers(0, 256, size=(N, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, size=N)]
        batch = {b"batch_label": name.encode(), b"labels": labels, b"data": pixels,
                 b"filenames": [f"img_{i}.png".encode() for i in range(N)]}
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f, protocol=2)
        written[name] = (pixels, labels)
    meta = {b"label_names": [n.encode() for n in NAMES],
            b"num_cases_per_batch": N, b"num_vis": 3072}
    with open(folder / data.CIFAR10_META_FILE, "wb") as f:
        pickle.dump(meta, f, protocol=2)
    return written


def expected_image(row):
    """The (32, 32, 3) image of one 3072-byte row, by loops: the row holds the
    red plane, then the green plane, then the blue plane, each row-major."""
    img = np.zeros((32, 32, 3))
    for ch in range(3):
        for r in range(32):
            for c in range(32):
                img[r, c, ch] = row[ch * 1024 + r * 32 + c]
    return img


def make_archive(path, source_parent, extra=()):
    """A .tar.gz of source_parent/cifar-10-batches-py (plus ``extra``
    TarInfo/bytes pairs); returns (file:// URL, md5, size)."""
    with tarfile.open(path, "w:gz") as tar:
        tar.add(Path(source_parent) / data.CIFAR10_FOLDER, arcname=data.CIFAR10_FOLDER)
        for info, payload in extra:
            tar.addfile(info, io.BytesIO(payload) if payload is not None else None)
    blob = Path(path).read_bytes()
    return Path(path).resolve().as_uri(), hashlib.md5(blob).hexdigest(), len(blob)


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    """(root folder, what was written)."""
    root = tmp_path_factory.mktemp("fake_cifar")
    return root, write_fake_cifar(root)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """(url, md5, size, what was written) of a .tar.gz of a fake CIFAR-10."""
    src = tmp_path_factory.mktemp("archive_src")
    written = write_fake_cifar(src, seed=1)
    url, md5, size = make_archive(src / "cifar-10-python.tar.gz", src)
    return url, md5, size, written


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Refuse any http(s) request so that no test can reach the network."""
    real_urlopen = urllib.request.urlopen

    def guarded(url, *args, **kwargs):
        if not str(url).startswith("file:"):
            raise AssertionError(f"a test tried to open {url}")
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", guarded)


# ---------------------------------------------------------------------------
# load_cifar10
# ---------------------------------------------------------------------------

def test_load_cifar10_shapes_dtypes_contiguity(fake):
    root, _ = fake
    X_train, y_train, X_test, y_test = data.load_cifar10(root, progress=False)
    assert X_train.shape == (5 * N, 32, 32, 3) and X_test.shape == (N, 32, 32, 3)
    assert y_train.shape == (5 * N,) and y_test.shape == (N,)
    assert X_train.dtype == np.float32 and X_test.dtype == np.float32
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64
    assert X_train.flags.c_contiguous and X_test.flags.c_contiguous


def test_load_cifar10_exact_pixels_and_labels(fake):
    root, written = fake
    X_train, y_train, X_test, y_test = data.load_cifar10(root, progress=False)
    for b, name in enumerate(data.CIFAR10_TRAIN_FILES):
        pixels, labels = written[name]
        assert y_train[b * N:(b + 1) * N].tolist() == labels
        for i in (0, N - 1):
            np.testing.assert_array_equal(X_train[b * N + i], expected_image(pixels[i]))
    pixels, labels = written[data.CIFAR10_TEST_FILE]
    assert y_test.tolist() == labels
    np.testing.assert_array_equal(X_test[3], expected_image(pixels[3]))
    # every value, against a plain reshape of the written bytes
    all_train = np.concatenate([written[n][0] for n in data.CIFAR10_TRAIN_FILES])
    np.testing.assert_array_equal(
        X_train, all_train.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))


def test_channel_order_is_red_green_blue(tmp_path):
    folder = tmp_path / data.CIFAR10_FOLDER
    write_fake_cifar(tmp_path)
    row = np.concatenate([np.full(1024, 10), np.full(1024, 20), np.full(1024, 30)])
    batch = {b"data": np.tile(row, (N, 1)).astype(np.uint8), b"labels": [0] * N}
    with open(folder / "data_batch_2", "wb") as f:
        pickle.dump(batch, f)
    X_train = data.load_cifar10(tmp_path, progress=False)[0]
    img = X_train[N]  # first image of data_batch_2
    assert (img[..., 0] == 10).all() and (img[..., 1] == 20).all() and (img[..., 2] == 30).all()


def test_root_may_be_the_batches_folder_itself(fake):
    root, written = fake
    X_train = data.load_cifar10(root / data.CIFAR10_FOLDER, progress=False)[0]
    np.testing.assert_array_equal(X_train[0], expected_image(written["data_batch_1"][0][0]))


def test_default_root_env_var_and_user_cache(fake, monkeypatch, tmp_path):
    root, _ = fake
    monkeypatch.setenv("CS231N_DATA", str(root))
    assert data.default_data_dir() == root
    assert data.load_cifar10(progress=False)[0].shape == (5 * N, 32, 32, 3)
    monkeypatch.delenv("CS231N_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data.default_data_dir() == tmp_path / "xdg" / "cs231n"     # the user's cache, not the package's
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert data.default_data_dir() == Path.home() / ".cache" / "cs231n"


def test_progress_bar_is_shown(fake, capsys):
    data.load_cifar10(fake[0], progress=True)
    assert "CIFAR-10 train" in capsys.readouterr().err


def test_load_cifar10_labels(fake):
    assert data.load_cifar10_labels(fake[0]) == NAMES


def test_missing_dataset_says_how_to_download(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        data.load_cifar10(tmp_path)
    message = str(info.value)
    assert "python -m cs231n_support download-cifar10" in message
    assert "load_cifar10(download=True)" in message
    assert str(tmp_path) in message
    assert list(tmp_path.iterdir()) == []  # nothing was downloaded or created


def test_download_true_downloads_then_loads(tmp_path, monkeypatch):
    calls = []

    def fake_download(root, progress=True):
        calls.append(root)
        write_fake_cifar(Path(root).parent)

    monkeypatch.setattr(data, "download_cifar10", fake_download)
    X_train = data.load_cifar10(tmp_path, download=True, progress=False)[0]
    assert calls == [tmp_path / data.CIFAR10_FOLDER]
    assert X_train.shape == (5 * N, 32, 32, 3)


def test_truncated_batch_file_error_names_the_file(tmp_path):
    write_fake_cifar(tmp_path)
    path = tmp_path / data.CIFAR10_FOLDER / "data_batch_3"
    blob = path.read_bytes()
    path.write_bytes(blob[:len(blob) // 2])
    with pytest.raises(ValueError, match="data_batch_3.*truncated or corrupted"):
        data.load_cifar10(tmp_path, progress=False)


def test_garbage_batch_file_error_names_the_file(tmp_path):
    write_fake_cifar(tmp_path)
    (tmp_path / data.CIFAR10_FOLDER / "test_batch").write_bytes(b"not a pickle at all")
    with pytest.raises(ValueError, match="test_batch"):
        data.load_cifar10(tmp_path, progress=False)


@pytest.mark.parametrize("batch, match", [
    ({b"data": np.zeros((N, 3071), np.uint8), b"labels": [0] * N}, r"\(n, 3072\).*\(20, 3071\)"),
    ({b"data": np.zeros((N, 3072), np.float64), b"labels": [0] * N}, "uint8"),
    ({b"data": np.zeros((N, 3072), np.uint8), b"labels": [0] * (N - 1)}, "20 integer labels"),
    ({b"data": np.zeros((N, 3072), np.uint8), b"labels": [10] * N}, "0..9"),
    ({b"labels": [0] * N}, "no key b'data'"),
])
def test_wrong_contents_are_reported(tmp_path, batch, match):
    write_fake_cifar(tmp_path)
    with open(tmp_path / data.CIFAR10_FOLDER / "data_batch_4", "wb") as f:
        pickle.dump(batch, f)
    with pytest.raises(ValueError, match=match) as info:
        data.load_cifar10(tmp_path, progress=False)
    assert "data_batch_4" in str(info.value)


def test_unequal_batches_are_reported(tmp_path):
    write_fake_cifar(tmp_path)
    batch = {b"data": np.zeros((N + 1, 3072), np.uint8), b"labels": [0] * (N + 1)}
    with open(tmp_path / data.CIFAR10_FOLDER / "data_batch_5", "wb") as f:
        pickle.dump(batch, f)
    with pytest.raises(ValueError, match="data_batch_5 holds 21 images"):
        data.load_cifar10(tmp_path, progress=False)


# ---------------------------------------------------------------------------
# get_cifar10_data
# ---------------------------------------------------------------------------

def raw_train(written):
    rows = np.concatenate([written[n][0] for n in data.CIFAR10_TRAIN_FILES])
    labels = sum((written[n][1] for n in data.CIFAR10_TRAIN_FILES), [])
    return np.array([expected_image(r) for r in rows]), np.array(labels)


def test_get_cifar10_data_splits_and_training_mean(fake):
    root, written = fake
    X_raw, y_raw = raw_train(written)
    X_test_raw = np.array([expected_image(r) for r in written["test_batch"][0]])
    d = data.get_cifar10_data(70, 15, 12, root=root)
    # the mean image comes from the 70 training images only, by a plain sum
    mean = sum(X_raw[i] for i in range(70)) / 70
    np.testing.assert_allclose(d["mean_image"], mean, rtol=1e-6)
    assert not np.allclose(d["mean_image"], X_raw.mean(axis=0), atol=0.5)
    np.testing.assert_allclose(d["X_train"], X_raw[:70] - mean, atol=1e-4)
    np.testing.assert_allclose(d["X_val"], X_raw[70:85] - mean, atol=1e-4)
    np.testing.assert_allclose(d["X_test"], X_test_raw[:12] - mean, atol=1e-4)
    assert d["y_train"].tolist() == y_raw[:70].tolist()
    assert d["y_val"].tolist() == y_raw[70:85].tolist()
    assert d["y_test"].tolist() == written["test_batch"][1][:12]
    for key in ("X_train", "X_val", "X_test", "mean_image"):
        assert d[key].dtype == np.float32
    for key in ("y_train", "y_val", "y_test"):
        assert d[key].dtype == np.int64
    np.testing.assert_allclose(d["X_train"].mean(axis=0), 0, atol=1e-3)


def test_get_cifar10_data_flatten_and_no_mean(fake):
    root, written = fake
    X_raw, _ = raw_train(written)
    d = data.get_cifar10_data(30, 10, 5, subtract_mean=False, flatten=True, root=root)
    assert d["X_train"].shape == (30, 3072) and d["X_val"].shape == (10, 3072)
    assert d["X_test"].shape == (5, 3072) and d["mean_image"].shape == (3072,)
    np.testing.assert_array_equal(d["X_val"], X_raw[30:40].reshape(10, -1))
    np.testing.assert_allclose(d["mean_image"], X_raw[:30].mean(axis=0).reshape(-1), rtol=1e-6)


def test_get_cifar10_data_flatten_keeps_an_empty_split(fake):
    # 06_regularization asks for num_test=0; a (0, 32, 32, 3) split flattens to (0, 3072)
    d = data.get_cifar10_data(20, 10, 0, flatten=True, root=fake[0])
    assert d["X_test"].shape == (0, 3072) and d["X_train"].shape == (20, 3072)


def test_get_cifar10_data_all_training_images(fake):
    d = data.get_cifar10_data(5 * N - 10, 10, N, root=fake[0])
    assert d["X_train"].shape == (5 * N - 10, 32, 32, 3) and d["X_test"].shape == (N, 32, 32, 3)


@pytest.mark.parametrize("kwargs, match", [
    (dict(num_training=95, num_validation=10), "only 100 training images"),
    (dict(num_training=10, num_validation=5, num_test=N + 1), "only 20 test images"),
    (dict(num_training=0), "num_training must be an integer >= 1"),
    (dict(num_validation=-1), "num_validation"),
    (dict(num_test=2.5), "num_test"),
])
def test_get_cifar10_data_validates_counts(fake, kwargs, match):
    kwargs = {"num_training": 10, "num_validation": 5, "num_test": 5, **kwargs}
    with pytest.raises(ValueError, match=match):
        data.get_cifar10_data(root=fake[0], **kwargs)


# ---------------------------------------------------------------------------
# download_cifar10
# ---------------------------------------------------------------------------

def test_download_success(tmp_path, archive):
    url, md5, size, written = archive
    folder = data.download_cifar10(tmp_path, url=url, md5=md5, size=size, progress=False)
    assert folder == tmp_path / data.CIFAR10_FOLDER
    assert os.listdir(tmp_path) == [data.CIFAR10_FOLDER]  # no temporary files left
    X_train, y_train, _, _ = data.load_cifar10(tmp_path, progress=False)
    np.testing.assert_array_equal(X_train[0], expected_image(written["data_batch_1"][0][0]))
    assert y_train[:N].tolist() == written["data_batch_1"][1]


def test_download_into_a_root_that_does_not_exist_yet(tmp_path, archive, capsys):
    url, md5, size, _ = archive
    root = tmp_path / "a" / "b"
    data.download_cifar10(root, url=url, md5=md5, size=size, progress=True)
    assert data.cifar10_available(root)
    assert "Downloading CIFAR-10" in capsys.readouterr().err


def test_download_root_may_name_the_batches_folder(tmp_path, archive):
    url, md5, size, _ = archive
    folder = data.download_cifar10(tmp_path / data.CIFAR10_FOLDER, url=url, md5=md5,
                                   size=size, progress=False)
    assert folder == tmp_path / data.CIFAR10_FOLDER
    assert sorted(os.listdir(folder)) == sorted(data.CIFAR10_FILES)


def test_download_md5_mismatch_leaves_nothing(tmp_path, archive):
    url, _, size, _ = archive
    with pytest.raises(OSError, match="MD5"):
        data.download_cifar10(tmp_path, url=url, md5="0" * 32, size=size, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_download_size_mismatch_leaves_nothing(tmp_path, archive):
    url, md5, size, _ = archive
    with pytest.raises(OSError, match=f"expected {size + 1}"):
        data.download_cifar10(tmp_path, url=url, md5=md5, size=size + 1, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_truncated_download_leaves_nothing(tmp_path, archive):
    url, md5, size, _ = archive
    blob = Path(urllib.request.url2pathname(url[len("file://"):])).read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(blob[:size // 2])
    root = tmp_path / "root"
    with pytest.raises(OSError, match="incomplete"):
        data.download_cifar10(root, url=cut.as_uri(), md5=md5, size=size, progress=False)
    assert list(root.iterdir()) == []


def test_interrupted_download_leaves_nothing(tmp_path, archive, monkeypatch):
    url, md5, size, _ = archive

    class Broken:
        """A response that dies after its first chunk, like a dropped connection."""
        headers = {"Content-Length": str(size)}

        def __init__(self):
            self.calls = 0

        def read(self, n):
            self.calls += 1
            if self.calls > 1:
                raise ConnectionResetError("connection reset by peer")
            return b"x" * 10

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(urllib.request, "urlopen", lambda url: Broken())
    with pytest.raises(OSError, match="failed.*connection reset"):
        data.download_cifar10(tmp_path, url=url, md5=md5, size=size, progress=False)
    assert list(tmp_path.iterdir()) == []
    # and a later download works
    monkeypatch.undo()
    data.download_cifar10(tmp_path, url=url, md5=md5, size=size, progress=False)
    assert data.cifar10_available(tmp_path)


def test_download_when_present_does_nothing(fake):
    root, _ = fake
    before = sorted(os.listdir(root))
    # a URL that cannot be opened proves that nothing is fetched
    folder = data.download_cifar10(root, url="file:///no/such/file.tar.gz",
                                   md5="0" * 32, size=1, progress=False)
    assert folder == root / data.CIFAR10_FOLDER
    assert sorted(os.listdir(root)) == before


def test_download_refuses_a_half_filled_folder(tmp_path, archive):
    url, md5, size, _ = archive
    (tmp_path / data.CIFAR10_FOLDER).mkdir()
    (tmp_path / data.CIFAR10_FOLDER / "data_batch_1").write_bytes(b"old")
    with pytest.raises(FileExistsError, match="Delete it"):
        data.download_cifar10(tmp_path, url=url, md5=md5, size=size, progress=False)


def _member(name, kind=tarfile.REGTYPE, payload=b"evil"):
    info = tarfile.TarInfo(name)
    info.type = kind
    if kind == tarfile.REGTYPE:
        info.size = len(payload)
        return info, payload
    info.linkname = "/etc/passwd"
    return info, None


@pytest.mark.parametrize("member", [
    _member("../evil.txt"),
    _member("/tmp/cs231n_evil.txt"),
    _member("cifar-10-batches-py/../../evil.txt"),
    _member("cifar-10-batches-py/link", kind=tarfile.SYMTYPE),
])
def test_download_refuses_unsafe_members(tmp_path, member):
    src = tmp_path / "src"
    write_fake_cifar(src)
    url, md5, size = make_archive(tmp_path / "bad.tar.gz", src, extra=[member])
    root = tmp_path / "root"
    with pytest.raises(ValueError, match="refusing to unpack"):
        data.download_cifar10(root, url=url, md5=md5, size=size, progress=False)
    assert list(root.iterdir()) == []
    assert not (tmp_path / "evil.txt").exists()


def test_download_of_an_archive_without_cifar_leaves_nothing(tmp_path):
    src = tmp_path / "src"
    (src / "something").mkdir(parents=True)
    (src / "something" / "file").write_text("hello")
    path = tmp_path / "other.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        tar.add(src / "something", arcname="something")
    blob = path.read_bytes()
    root = tmp_path / "root"
    with pytest.raises(OSError, match="does not contain"):
        data.download_cifar10(root, url=path.as_uri(), md5=hashlib.md5(blob).hexdigest(),
                              size=len(blob), progress=False)
    assert list(root.iterdir()) == []


# ---------------------------------------------------------------------------
# Toy 2-D data sets
# ---------------------------------------------------------------------------

TOY = [
    (data.make_spiral, dict(n_per_class=50, n_classes=4), 4),
    (data.make_blobs, dict(n_per_class=50, n_classes=3), 3),
    (data.make_circles, dict(n_per_class=50), 2),
    (data.make_moons, dict(n_per_class=50), 2),
    (data.make_xor, dict(n_per_class=50), 2),
]


@pytest.mark.parametrize("make, kwargs, n_classes", TOY)
def test_toy_shapes_balance_and_determinism(make, kwargs, n_classes):
    X, y = make(**kwargs, seed=3)
    assert X.shape == (50 * n_classes, 2) and X.dtype == np.float64
    assert y.shape == (50 * n_classes,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [50] * n_classes
    assert np.isfinite(X).all()
    X2, y2 = make(**kwargs, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, make(**kwargs, seed=4)[0])


@pytest.mark.parametrize("make, kwargs, n_classes", TOY)
def test_toy_validation(make, kwargs, n_classes):
    with pytest.raises(ValueError, match="n_per_class"):
        make(n_per_class=0)


def test_spiral_matches_the_cs231n_loop():
    n, k, noise = 30, 3, 0.2
    X, y = data.make_spiral(n, k, noise, seed=7)
    rng = np.random.default_rng(7)
    noises = rng.standard_normal(n * k)  # the same draws, in class order
    for j in range(k):
        r = np.linspace(0.0, 1, n)
        t = np.linspace(j * 4, (j + 1) * 4, n) + noises[j * n:(j + 1) * n] * noise
        for i in range(n):
            np.testing.assert_allclose(X[j * n + i], [r[i] * np.sin(t[i]), r[i] * np.cos(t[i])],
                                       atol=1e-12)
            assert y[j * n + i] == j
    with pytest.raises(ValueError, match="noise"):
        data.make_spiral(noise=-1)


def test_noise_free_shapes_are_exact():
    X, y = data.make_circles(40, noise=0.0, factor=0.3)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), np.where(y == 0, 1.0, 0.3))
    X, y = data.make_moons(40, noise=0.0)
    np.testing.assert_allclose(np.hypot(X[y == 0, 0], X[y == 0, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 1, X[y == 1, 1] - 0.5), 1.0)
    X, y = data.make_xor(200)
    assert ((X[:, 0] * X[:, 1] < 0) == (y == 1)).all() and np.abs(X).max() <= 1
    X, y = data.make_blobs(500, 3, std=0.1)
    for c in range(3):
        angle = 2 * np.pi * c / 3
        np.testing.assert_allclose(X[y == c].mean(axis=0), [2 * np.cos(angle), 2 * np.sin(angle)],
                                   atol=0.05)


# ---------------------------------------------------------------------------
# Offline real data
# ---------------------------------------------------------------------------

def test_image_patches(monkeypatch):
    monkeypatch.setattr(data, "_PHOTOS", None)  # time a load from the files
    start = time.perf_counter()
    X = data.load_image_patches(200, seed=5)
    assert time.perf_counter() - start < 1.0
    assert X.shape == (200, 32, 32, 3) and X.dtype == np.float32
    assert X.min() >= 0 and X.max() <= 255 and (X == np.round(X)).all()
    assert X.std(axis=(1, 2, 3)).max() > 5  # real texture, not blank
    np.testing.assert_array_equal(X, data.load_image_patches(200, seed=5))
    assert not np.array_equal(X, data.load_image_patches(200, seed=6))
    assert data.load_image_patches(3, size=16).shape == (3, 16, 16, 3)
    with pytest.raises(ValueError, match="size"):
        data.load_image_patches(3, size=1000)


def test_image_patches_are_crops_of_the_photos():
    from PIL import Image
    photos = [np.asarray(Image.open(data._sklearn_file("images", f)).convert("RGB"))
              for f in ("china.jpg", "flower.jpg")]
    # with size equal to the photo height, every crop starts at row 0; find the column
    patches = data.load_image_patches(4, size=427, seed=1)
    for patch in patches:
        found = any(np.array_equal(patch, p[:427, left:left + 427])
                    for p in photos for left in range(640 - 427 + 1))
        assert found


def test_digits_match_scikit_learn():
    from sklearn.datasets import load_digits
    start = time.perf_counter()
    X, y = data.load_digits()
    assert time.perf_counter() - start < 1.0
    reference = load_digits()
    assert X.shape == (1797, 8, 8) and X.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(X, reference.images)
    np.testing.assert_array_equal(y, reference.target)


def test_load_images_offline_and_with_cifar(tmp_path, fake):
    X, source = data.load_images(10, root=tmp_path)
    assert source == "photo patches" and X.shape == (10, 32, 32, 3) and X.dtype == np.float32
    X, source = data.load_images(7, root=fake[0], seed=2)
    assert source == "CIFAR-10" and X.shape == (7, 32, 32, 3) and X.dtype == np.float32
    X_train = data.load_cifar10(fake[0], progress=False)[0]
    matches = [np.flatnonzero((X_train == img).all(axis=(1, 2, 3))) for img in X]
    assert all(len(m) == 1 for m in matches)
    assert len({int(m[0]) for m in matches}) == 7  # distinct images
    np.testing.assert_array_equal(X, data.load_images(7, root=fake[0], seed=2)[0])
    X, _ = data.load_images(5 * N, root=fake[0])  # all of them, each once
    np.testing.assert_array_equal(np.sort(X.reshape(5 * N, -1), axis=0),
                                  np.sort(X_train.reshape(5 * N, -1), axis=0))
    with pytest.raises(ValueError, match="only 100 training images"):
        data.load_images(101, root=fake[0])


def test_classification_data_offline_is_digits(tmp_path):
    d = data.get_classification_data(300, 100, 50, root=tmp_path, seed=1)
    assert d["source"] == "digits" and d["image_shape"] == (8, 8)
    assert d["class_names"] == [str(i) for i in range(10)]
    assert d["X_train"].shape == (300, 64) and d["X_val"].shape == (100, 64)
    assert d["X_test"].shape == (50, 64) and d["mean_image"].shape == (64,)
    assert d["X_train"].dtype == np.float32 and d["y_train"].dtype == np.int64
    np.testing.assert_allclose(d["X_train"].mean(axis=0), 0, atol=1e-4)
    # the splits are disjoint rows of the digits, shifted by the training mean
    X, y = data.load_digits()
    X = X.reshape(len(X), -1)
    seen = set()
    for split in ("train", "val", "test"):
        for row, label in zip(d["X_" + split] + d["mean_image"], d["y_" + split]):
            i = np.flatnonzero(np.abs(X - row).max(axis=1) < 1e-4)
            assert len(i) >= 1 and label in y[i]
            seen.add(tuple(row.round(3)))
    assert len(seen) >= 440  # (a few digits are duplicated in the data set)
    again = data.get_classification_data(300, 100, 50, root=tmp_path, seed=1)
    np.testing.assert_array_equal(d["X_val"], again["X_val"])
    other = data.get_classification_data(300, 100, 50, root=tmp_path, seed=2)
    assert not np.array_equal(d["y_train"], other["y_train"])
    with pytest.raises(ValueError, match="1797 digits"):
        data.get_classification_data(1500, 200, 200, root=tmp_path)


def test_classification_data_prefers_cifar(fake):
    d = data.get_classification_data(50, 10, 10, root=fake[0])
    assert d["source"] == "CIFAR-10" and d["image_shape"] == (32, 32, 3)
    assert d["X_train"].shape == (50, 3072) and d["X_test"].shape == (10, 3072)
    assert d["class_names"] == NAMES
    np.testing.assert_allclose(d["X_train"].mean(axis=0), 0, atol=1e-3)


# ---------------------------------------------------------------------------
# load_image_splits: train / validation / test with no pixel in common
# ---------------------------------------------------------------------------

SPLITS = ("train", "val", "test")
PHOTO_FILES = ["china.jpg", "flower.jpg", "grace_hopper.jpg"]
N_PATCHES_32 = 13 * 20 + 13 * 20 + 18 * 16  # 808: 427x640, 427x640, 600x512 photos


def offline_splits(tmp_path, *counts, **kwargs):
    """load_image_splits with a root that holds no CIFAR-10."""
    return data.load_image_splits(*counts, root=tmp_path, **kwargs)


def test_offline_photos_are_the_three_shipped_photographs():
    photos = data._split_photos()
    assert [name for name, _ in photos] == PHOTO_FILES
    assert [px.shape for _, px in photos] == [(427, 640, 3), (427, 640, 3), (600, 512, 3)]
    assert all(px.dtype == np.uint8 and not px.flags.writeable for _, px in photos)


def test_image_splits_offline_shapes_source_and_speed(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "_SPLIT_PHOTOS", None)  # time a load from the files
    start = time.perf_counter()
    d = offline_splits(tmp_path, 500, 100, 200)
    assert time.perf_counter() - start < 1.0
    for split, n in zip(SPLITS, (500, 100, 200)):
        X = d["X_" + split]
        assert X.shape == (n, 32, 32, 3) and X.dtype == np.float32
        assert X.min() >= 0 and X.max() <= 255 and (X == np.round(X)).all()
        assert X.std(axis=(1, 2, 3)).mean() > 5  # real texture, not blank
        assert d["origin_" + split].shape == (n, 3) and d["origin_" + split].dtype == np.int64
    source = d["source"]
    assert source.startswith("photo patches: non-overlapping 32x32 crops of 3 photographs")
    assert all(name in source for name in PHOTO_FILES)
    assert "scikit-learn" in source and "matplotlib" in source
    assert "separate regions" in source
    d = offline_splits(tmp_path, 10, 0, 5, size=16)
    assert d["X_train"].shape == (10, 16, 16, 3) and d["X_val"].shape == (0, 16, 16, 3)
    assert "16x16" in d["source"]


def test_image_splits_origins_are_where_the_pixels_come_from(tmp_path):
    photos = data._split_photos()
    d = offline_splits(tmp_path, 300, 50, 100, seed=4)
    for split in SPLITS:
        for patch, (p, top, left) in zip(d["X_" + split], d["origin_" + split]):
            np.testing.assert_array_equal(patch, photos[p][1][top:top + 32, left:left + 32])


@pytest.mark.parametrize("counts, size, seed", [
    ((500, 100, 200), 32, 0),             # the split of notebook 04
    ((500, 100, 200), 32, 3),
    ((600, 104, 104), 32, 1),             # every one of the 808 patches
    ((1, 1, N_PATCHES_32 - 2), 32, 2),
    ((2000, 600, 600), 16, 0),
])
def test_image_splits_share_no_pixel_by_construction(tmp_path, counts, size, seed):
    """Paint every patch into a map of its photograph: no pixel is painted by
    two splits, nor twice by one split (the patches do not overlap)."""
    photos = data._split_photos()
    d = offline_splits(tmp_path, *counts, size=size, seed=seed)
    owner = [np.full(px.shape[:2], -1) for _, px in photos]
    for s, split in enumerate(SPLITS):
        for p, top, left in d["origin_" + split]:
            region = owner[p][top:top + size, left:left + size]
            assert region.shape == (size, size), "a patch sticks out of its photograph"
            assert (region == -1).all(), (
                f"{split} patch at photo {p}, ({top}, {left}) overlaps a patch of "
                f"{SPLITS[int(region.max())]}")
            region[:] = s
    assert sum(int((o >= 0).sum()) for o in owner) == sum(counts) * size * size


def test_image_splits_take_bands_from_all_over_each_photograph(tmp_path):
    """Each split has patches in the top third and in the bottom third of every
    photograph, and the splits' mean brightness is close (one band per split
    made the validation mean 30 grey levels off on average; a random split of
    the same patches, about 6)."""
    photos = data._split_photos()
    for seed in range(10):
        d = offline_splits(tmp_path, 500, 100, 200, seed=seed)
        for split in SPLITS:
            origin = d["origin_" + split]
            for p, (_, px) in enumerate(photos):
                tops = origin[origin[:, 0] == p, 1]
                height = px.shape[0]
                assert tops.min() < height / 3 and tops.max() + 32 > 2 * height / 3, (seed, split, p)
        train_mean = d["X_train"].mean()
        for split in ("val", "test"):
            assert abs(d["X_" + split].mean() - train_mean) < 15, (seed, split)


def shared_content(d):
    """For each pair of splits: the number of patches, and of rows of patch
    pixels (size x 3 bytes), that occur in both."""
    def hashes(X, rows):
        X = X.astype(np.uint8)
        X = X.reshape(-1, X.shape[2] * 3) if rows else X.reshape(len(X), -1)
        return {hashlib.sha1(row.tobytes()).digest() for row in X}
    out = {}
    for a, b in [("train", "val"), ("train", "test"), ("val", "test")]:
        out[a, b] = tuple(len(hashes(d["X_" + a], r) & hashes(d["X_" + b], r))
                          for r in (False, True))
    return out


@pytest.mark.parametrize("counts, seed", [((500, 100, 200), 0), ((500, 100, 200), 1),
                                          ((600, 104, 104), 0), ((8, 400, 400), 2)])
def test_image_splits_share_no_pixels_by_content(tmp_path, counts, seed):
    """Independent of the origins: no patch, and no row of a patch, is in two splits."""
    d = offline_splits(tmp_path, *counts, seed=seed)
    assert all(v == (0, 0) for v in shared_content(d).values()), shared_content(d)
    # distinct patches within each split too
    for split in SPLITS:
        X = d["X_" + split].reshape(len(d["X_" + split]), -1)
        assert len(np.unique(X, axis=0)) == len(X)


def test_content_check_catches_overlapping_crops(tmp_path):
    """The content check is not vacuous: the random (overlapping) crops of
    load_images, split as notebook 04 used to split them, share pixel rows."""
    images, _ = data.load_images(1200, root=tmp_path, seed=0)
    leaked = shared_content({"X_train": images[:600], "X_val": images[600:800],
                             "X_test": images[800:1000]})
    assert leaked["train", "test"][1] > 0 and leaked["train", "val"][1] > 0


def test_image_splits_deterministic_for_a_seed(tmp_path):
    a = offline_splits(tmp_path, 200, 50, 50, seed=7)
    b = offline_splits(tmp_path, 200, 50, 50, seed=7)
    c = offline_splits(tmp_path, 200, 50, 50, seed=8)
    for split in SPLITS:
        np.testing.assert_array_equal(a["X_" + split], b["X_" + split])
        np.testing.assert_array_equal(a["origin_" + split], b["origin_" + split])
    assert a["source"] == b["source"]
    assert not np.array_equal(a["X_train"], c["X_train"])


@pytest.mark.parametrize("counts", [(N_PATCHES_32 - 2, 1, 1), (1, N_PATCHES_32 - 2, 1),
                                    (1, 1, N_PATCHES_32 - 2), (270, 269, 269), (808, 0, 0)])
def test_image_splits_every_patch_can_be_asked_for(tmp_path, counts):
    d = offline_splits(tmp_path, *counts)
    assert [len(d["X_" + s]) for s in SPLITS] == list(counts)


def test_band_lengths_share_out_every_cell():
    rng = np.random.default_rng(0)
    for _ in range(500):
        cells = rng.integers(0, 40, size=rng.integers(1, 5))
        if cells.sum() == 0:
            continue
        need = rng.multinomial(rng.integers(1, cells.sum() + 1), rng.dirichlet(np.ones(3)))
        if need.sum() == 0:
            continue
        lengths = data._band_lengths(cells, need)
        assert (lengths >= 0).all()
        assert lengths.sum(axis=1).tolist() == cells.tolist()
        assert (lengths.sum(axis=0) >= need).all()


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_train=600, n_val=200, n_test=200),
     r"only 808 non-overlapping 32x32 patches; you asked for n_train \+ n_val \+ n_test = 1000"
     r"(.|\n)*size=16 gives 3264(.|\n)*download-cifar10"),
    (dict(n_train=N_PATCHES_32, n_val=1, n_test=0), "at most 808"),
    (dict(size=1000), "only 0 non-overlapping 1000x1000 patches"),
    (dict(n_train=0), "n_train must be an integer >= 1"),
    (dict(n_val=-1), "n_val must be an integer >= 0"),
    (dict(n_test=2.5), "n_test must be an integer >= 0, got 2.5"),
    (dict(size=0), "size must be an integer >= 1"),
    (dict(size=True), "size must be an integer"),
])
def test_image_splits_errors_say_what_is_available(tmp_path, kwargs, match):
    kwargs = {"n_train": 10, "n_val": 5, "n_test": 5, **kwargs}
    with pytest.raises(ValueError, match=match):
        offline_splits(tmp_path, **kwargs)


def test_image_splits_without_matplotlibs_photo(tmp_path, monkeypatch):
    def missing(name):
        raise FileNotFoundError(name)

    monkeypatch.setattr(data, "_SPLIT_PHOTOS", None)
    monkeypatch.setattr(data, "_matplotlib_sample_file", missing)
    d = offline_splits(tmp_path, 300, 100, 100)
    assert "crops of 2 photographs (china.jpg, flower.jpg; from scikit-learn)" in d["source"]
    with pytest.raises(ValueError, match="2 photographs .* only 520 non-overlapping"):
        offline_splits(tmp_path, 300, 200, 100)


def test_image_splits_with_cifar(fake):
    root, _ = fake
    X_train_all, _, X_test_all, _ = data.load_cifar10(root, progress=False)
    d = data.load_image_splits(50, 30, 15, root=root, seed=3)
    assert d["source"].startswith("CIFAR-10")
    assert "training batches" in d["source"] and "test batch" in d["source"]
    for split, n in zip(SPLITS, (50, 30, 15)):
        assert d["X_" + split].shape == (n, 32, 32, 3) and d["X_" + split].dtype == np.float32
    np.testing.assert_array_equal(d["X_train"], X_train_all[d["origin_train"]])
    np.testing.assert_array_equal(d["X_val"], X_train_all[d["origin_val"]])
    np.testing.assert_array_equal(d["X_test"], X_test_all[d["origin_test"]])
    indices = np.concatenate([d["origin_train"], d["origin_val"]])
    assert len(set(indices.tolist())) == 80  # no training image in train and val
    assert len(set(d["origin_test"].tolist())) == 15
    assert all(v == (0, 0) for v in shared_content(d).values())
    again = data.load_image_splits(50, 30, 15, root=root, seed=3)
    np.testing.assert_array_equal(d["X_val"], again["X_val"])
    np.testing.assert_array_equal(d["X_test"], again["X_test"])
    # CIFAR-10's images are 32x32: another size uses the photographs
    assert data.load_image_splits(5, 5, 5, size=16, root=root)["source"].startswith("photo patches")
    with pytest.raises(ValueError, match="n_train \\+ n_val = 101 but CIFAR-10 has only 100 training"):
        data.load_image_splits(91, 10, 5, root=root)
    with pytest.raises(ValueError, match="n_test = 21 but CIFAR-10 has only 20 test"):
        data.load_image_splits(10, 10, 21, root=root)
    with pytest.raises(ValueError, match="CIFAR-10 images are 32x32 and size = 16"):
        data.load_image_splits(5000, 5, 5, size=16, root=root)
