"""Data sets for the course.

Three kinds of data live here:

1. CIFAR-10, read from the official "python version" batches
   (``load_cifar10``, ``get_cifar10_data``). It is downloaded only when you
   ask for it (``download_cifar10`` or ``load_cifar10(download=True)``, or
   ``python -m cs231n_support download-cifar10``), with its size and MD5
   checked before anything is unpacked.
2. Toy 2-D data sets (``make_spiral`` and friends) for the small-network
   experiments; every one returns ``X`` of shape (N, 2) and ``y`` of shape (N,).
3. Real data that work offline, taken from files that installed packages
   ship inside their wheels (nothing is downloaded): colour patches of
   photographs (``load_image_patches``: random crops of scikit-learn's two
   sample photos, which may overlap; ``load_image_splits``: non-overlapping
   crops of those two and matplotlib's sample photo, with train, validation
   and test cut from separate regions) and the 8x8 handwritten digits
   (``load_digits``). ``load_images``, ``load_image_splits`` and
   ``get_classification_data`` prefer CIFAR-10 and fall back to these when
   CIFAR-10 is not on disk.

Conventions: images are (N, H, W, 3) float32 with pixel values in 0..255,
labels are int64. Where CIFAR-10 is looked for (``root``): the environment
variable ``CS231N_DATA`` if it is set (the course commands set it to the
course folder's ``data/cache``), else the user's cache folder
(``~/.cache/cs231n``, or ``$XDG_CACHE_HOME/cs231n``).
"""
import gzip
import hashlib
import importlib.util
import os
import pickle
import shutil
import tarfile
import tempfile
import urllib.request
from pathlib import Path, PurePosixPath

import numpy as np
from tqdm import tqdm

from .i18n import t

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"
CIFAR10_SIZE = 170_498_071  # bytes
CIFAR10_FOLDER = "cifar-10-batches-py"
CIFAR10_TRAIN_FILES = [f"data_batch_{i}" for i in range(1, 6)]
CIFAR10_TEST_FILE = "test_batch"
CIFAR10_META_FILE = "batches.meta"
CIFAR10_FILES = CIFAR10_TRAIN_FILES + [CIFAR10_TEST_FILE, CIFAR10_META_FILE]


def how_to_download():
    """How to get CIFAR-10, for the messages that say it is missing (in the language in use)."""
    return t("To download it (about 163 MiB, once), run\n"
             "    python -m cs231n_support download-cifar10\n"
             "in a terminal, or call load_cifar10(download=True) in Python.")


# ---------------------------------------------------------------------------
# Where CIFAR-10 lives
# ---------------------------------------------------------------------------

def default_data_dir():
    """The folder that holds (or will hold) ``cifar-10-batches-py``.

    The environment variable ``CS231N_DATA`` if it is set, else
    ``$XDG_CACHE_HOME/cs231n`` (``~/.cache/cs231n`` by default).
    """
    if os.environ.get("CS231N_DATA"):
        return Path(os.environ["CS231N_DATA"])
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "cs231n"


def cifar10_folder(root=None):
    """Path of the ``cifar-10-batches-py`` folder for a given ``root``.

    ``root`` may be the folder that contains ``cifar-10-batches-py`` or that
    folder itself (recognised by its name or by a ``data_batch_1`` inside);
    None means ``default_data_dir()``.
    """
    root = default_data_dir() if root is None else Path(root).expanduser()
    if root.name == CIFAR10_FOLDER or (root / CIFAR10_TRAIN_FILES[0]).is_file():
        return root
    return root / CIFAR10_FOLDER


def cifar10_available(root=None):
    """True when all seven CIFAR-10 files are present under ``root``."""
    folder = cifar10_folder(root)
    return all((folder / name).is_file() for name in CIFAR10_FILES)


# ---------------------------------------------------------------------------
# Reading the official batches
# ---------------------------------------------------------------------------

def _unpickle(path):
    """Load one pickled CIFAR-10 file into a dict, naming the file on failure."""
    try:
        with open(path, "rb") as f:
            # The official files are Python 2 pickles; encoding="bytes" turns
            # their keys into bytes (b"data", b"labels", ...). Only unpickle
            # files you trust: the download is MD5-checked for this reason.
            d = pickle.load(f, encoding="bytes")
    except Exception as err:  # anything the unpickler says means a bad file
        raise ValueError(t(
            "Could not read the CIFAR-10 file {path} ({error_type}: {error}). It is truncated or corrupted: "
            "delete the folder {folder} and get the data set again.\n{how_to_download}",
            path=path, error_type=type(err).__name__, error=err, folder=Path(path).parent,
            how_to_download=how_to_download())
        ) from err
    if not isinstance(d, dict):
        raise ValueError(t("{path}: expected a pickled dict, got {got}.", path=path, got=type(d).__name__))
    return d


def _get(d, key, path):
    """d[b"key"] (official files) or d["key"], with a clear error if absent."""
    for k in (key.encode(), key):
        if k in d:
            return d[k]
    raise ValueError(t("{path}: the pickled dict has no key {key!r} (keys found: {found}).", path=path,
                       key=key.encode(), found=sorted(map(repr, d))))


def _load_batch(path):
    """Read one CIFAR-10 batch file.

    Returns
    -------
    data : uint8 array, shape (n, 3072); each row is the red plane (1024
        values, row-major 32x32), then the green plane, then the blue plane.
    labels : int64 array, shape (n,), values in 0..9.
    """
    d = _unpickle(path)
    data = np.asarray(_get(d, "data", path))
    labels = np.asarray(_get(d, "labels", path))
    if data.ndim != 2 or data.shape[1] != 3072 or data.dtype != np.uint8:
        raise ValueError(t("{path}: expected b'data' to be a uint8 array of shape (n, 3072), got {dtype} of "
                           "shape {shape}.", path=path, dtype=data.dtype, shape=data.shape))
    if labels.shape != (data.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(t("{path}: expected {n} integer labels, got {dtype} of shape {shape}.", path=path,
                           n=data.shape[0], dtype=labels.dtype, shape=labels.shape))
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(t("{path}: labels must lie in 0..9, found {low}..{high}.", path=path, low=labels.min(),
                           high=labels.max()))
    return data, labels.astype(np.int64)


def _read_batches(paths, progress=False, desc="CIFAR-10"):
    """Read batch files into one preallocated float32 array.

    Every batch must hold as many images as the first (10,000 in the official
    files), so the result can be allocated once and filled batch by batch:
    the peak memory is the result plus one batch, not two copies of it.

    Returns
    -------
    X : float32 array, shape (len(paths) * n, 32, 32, 3), C-contiguous, 0..255.
    y : int64 array, shape (len(paths) * n,).
    """
    X = y = None
    for i, path in enumerate(tqdm(paths, desc=desc, unit="file", disable=not progress)):
        data, labels = _load_batch(path)
        n = data.shape[0]
        if X is None:
            X = np.empty((len(paths) * n, 32, 32, 3), dtype=np.float32)
            y = np.empty(len(paths) * n, dtype=np.int64)
        elif n != X.shape[0] // len(paths):
            raise ValueError(t("{path} holds {n} images but {first} holds {n_first}; all batches must be equal.",
                               path=path, n=n, first=paths[0], n_first=X.shape[0] // len(paths)))
        # Each row of data holds the red, green and blue 32 x 32 planes one
        # after the other; X is (n, 32, 32, 3). Copy plane by plane into
        # X[..., c]: the assignment converts uint8 to float32 without another
        # full copy, and three plane copies run about twice as fast as one
        # copy through the transpose (n, 3, 32, 32) -> (n, 32, 32, 3).
        planes = data.reshape(n, 3, 32, 32)
        for c in range(3):
            X[i * n:(i + 1) * n, :, :, c] = planes[:, c]
        y[i * n:(i + 1) * n] = labels
    return X, y


def _require_cifar10(root, download, progress):
    """Return the CIFAR-10 folder, downloading it only if ``download`` is True."""
    folder = cifar10_folder(root)
    missing = [name for name in CIFAR10_FILES if not (folder / name).is_file()]
    if missing and download:
        download_cifar10(folder, progress=progress)
    elif missing:
        raise FileNotFoundError(t(
            "CIFAR-10 was not found in {folder} (missing: {missing}).\n{how_to_download}\n"
            "To keep it elsewhere, set the environment variable CS231N_DATA or pass root=...",
            folder=folder, missing=", ".join(missing), how_to_download=how_to_download()
        ))
    return folder


def load_cifar10(root=None, download=False, progress=True):
    """Load all of CIFAR-10 from the official python batches.

    Inputs
    - root: folder containing ``cifar-10-batches-py`` (or that folder itself);
      None means ``default_data_dir()``.
    - download: if True and the files are missing, download them first
      (``download_cifar10``). Nothing is ever downloaded otherwise.
    - progress: show a tqdm progress bar.

    Returns a tuple of
    - X_train: float32 array of shape (50000, 32, 32, 3), values 0..255
    - y_train: int64 array of shape (50000,), values 0..9
    - X_test: float32 array of shape (10000, 32, 32, 3)
    - y_test: int64 array of shape (10000,)
    (fewer images if the batch files hold fewer). Peak memory is about the
    size of the result (0.74 GB) plus one batch.

    Raises FileNotFoundError (saying how to download) if the data are absent,
    ValueError naming the file if one is corrupted or has the wrong shapes.
    """
    folder = _require_cifar10(root, download, progress)
    X_train, y_train = _read_batches([folder / name for name in CIFAR10_TRAIN_FILES],
                                     progress, desc=t("CIFAR-10 train"))
    X_test, y_test = _read_batches([folder / CIFAR10_TEST_FILE],
                                   progress, desc=t("CIFAR-10 test"))
    return X_train, y_train, X_test, y_test


def load_cifar10_labels(root=None):
    """The 10 CIFAR-10 class names (``airplane`` ... ``truck``) from batches.meta."""
    folder = _require_cifar10(root, download=False, progress=False)
    path = folder / CIFAR10_META_FILE
    names = _get(_unpickle(path), "label_names", path)
    names = [n.decode("ascii") if isinstance(n, bytes) else str(n) for n in names]
    if len(names) != 10:
        raise ValueError(t("{path}: expected 10 label names, got {n}.", path=path, n=len(names)))
    return names


def _split(X, start, stop):
    """X[start:stop], copied when it is less than half of X.

    A view costs nothing, but keeps all of X alive; a copy of a small part
    lets the rest be freed.
    """
    part = X[start:stop]
    return part.copy() if 2 * (stop - start) < len(X) else part


def _check_count(name, value, minimum=0):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(t("{name} must be an integer >= {minimum}, got {value!r}.", name=name, minimum=minimum,
                           value=value))


def get_cifar10_data(num_training=49000, num_validation=1000, num_test=1000,
                     subtract_mean=True, flatten=False, root=None):
    """CIFAR-10 split into train / validation / test, as in the CS231n assignments.

    The training split is the first ``num_training`` training images, the
    validation split the next ``num_validation`` ones, the test split the
    first ``num_test`` test images. The mean image is computed from the
    training split only and (if ``subtract_mean``) subtracted from all three.

    Returns a dict with
    - X_train (num_training, 32, 32, 3), X_val (num_validation, 32, 32, 3),
      X_test (num_test, 32, 32, 3): float32; (N, 3072) if ``flatten``
    - y_train, y_val, y_test: int64 of shapes (num_training,), ...
    - mean_image: float32 (32, 32, 3), or (3072,) if ``flatten``
    """
    _check_count("num_training", num_training, 1)
    _check_count("num_validation", num_validation)
    _check_count("num_test", num_test)
    X, y, X_test_all, y_test_all = load_cifar10(root)
    if num_training + num_validation > len(X):
        raise ValueError(t("num_training + num_validation = {asked} but there are only {n} training images.",
                           asked=num_training + num_validation, n=len(X)))
    if num_test > len(X_test_all):
        raise ValueError(t("num_test = {asked} but there are only {n} test images.", asked=num_test,
                           n=len(X_test_all)))
    stop = num_training + num_validation
    data = {
        "X_train": _split(X, 0, num_training), "y_train": y[:num_training].copy(),
        "X_val": X[num_training:stop].copy(), "y_val": y[num_training:stop].copy(),
        "X_test": _split(X_test_all, 0, num_test), "y_test": y_test_all[:num_test].copy(),
    }
    del X, X_test_all  # let the unused images be freed
    # float64 accumulation for an exact mean, stored as float32 like the images
    mean_image = data["X_train"].mean(axis=0, dtype=np.float64).astype(np.float32)
    if subtract_mean:
        for key in ("X_train", "X_val", "X_test"):
            data[key] -= mean_image  # in place: these arrays are ours
    if flatten:
        for key in ("X_train", "X_val", "X_test"):
            data[key] = data[key].reshape(len(data[key]), mean_image.size)     # not -1: a split may be empty
        mean_image = mean_image.reshape(-1)
    data["mean_image"] = mean_image
    return data


# ---------------------------------------------------------------------------
# Downloading
# ---------------------------------------------------------------------------

def _safe_members(tar, archive):
    """The archive's members, refusing anything that could escape the folder."""
    members = tar.getmembers()
    for m in members:
        parts = PurePosixPath(m.name).parts
        if m.name.startswith(("/", "\\")) or os.path.isabs(m.name) or ".." in parts:
            raise ValueError(t("{archive}: refusing to unpack member {member!r} (absolute path or '..').",
                               archive=archive, member=m.name))
        if not (m.isfile() or m.isdir()):
            raise ValueError(t("{archive}: refusing to unpack member {member!r} (not a regular file or folder).",
                               archive=archive, member=m.name))
    return members


def _fetch(url, dest, progress):
    """Stream ``url`` into the file ``dest``; return (number of bytes, MD5 hex)."""
    md5 = hashlib.md5()
    n_bytes = 0
    with urllib.request.urlopen(url) as response, open(dest, "wb") as out:
        total = response.headers.get("Content-Length")
        with tqdm(total=int(total) if total else None, unit="B", unit_scale=True,
                  unit_divisor=1024, desc=t("Downloading CIFAR-10"),
                  disable=not progress) as bar:
            while chunk := response.read(1 << 20):
                out.write(chunk)
                md5.update(chunk)
                n_bytes += len(chunk)
                bar.update(len(chunk))
    return n_bytes, md5.hexdigest()


def download_cifar10(root=None, url=CIFAR10_URL, md5=CIFAR10_MD5, size=CIFAR10_SIZE,
                     progress=True):
    """Download and unpack CIFAR-10 into ``root`` (only when called).

    Steps, each one safe to interrupt:
    1. stream ``url`` (http(s) or file://) to a temporary file next to the
       target, with a progress bar;
    2. check its size (``size`` bytes) and MD5 (``md5``) *before* unpacking:
       on a mismatch the temporary file is deleted and OSError is raised;
    3. unpack into a temporary folder, refusing members with absolute paths,
       ``..`` or anything that is not a file or folder;
    4. rename ``cifar-10-batches-py`` into place in one step.
    An interrupted or failed download therefore never leaves a half cache.
    If the data are already present nothing is done.

    Inputs: ``root`` as for ``load_cifar10``. Returns the Path of the
    ``cifar-10-batches-py`` folder.
    """
    folder = cifar10_folder(root)
    if cifar10_available(folder):
        return folder
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()  # an empty folder is in the way of the atomic rename
    if folder.exists():
        raise FileExistsError(t("{folder} exists but does not hold all of {files}. Delete it and try again.",
                                folder=folder, files=", ".join(CIFAR10_FILES)))
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    fd, archive = tempfile.mkstemp(dir=parent, prefix=".cifar-10-download-", suffix=".tar.gz")
    os.close(fd)
    unpack_dir = None
    try:
        try:
            n_bytes, digest = _fetch(url, archive, progress)
        except OSError as err:
            raise OSError(t("Downloading {url} failed ({error}). Nothing was kept. You can also download the "
                            "file by hand and unpack it into {parent}.", url=url, error=err, parent=parent)) from err
        if n_bytes != size:
            raise OSError(t("Downloaded {n_bytes} bytes from {url} but expected {size}: the download is incomplete "
                            "or not CIFAR-10. Nothing was kept.", n_bytes=n_bytes, url=url, size=size))
        if digest != md5:
            raise OSError(t("The MD5 of the file downloaded from {url} is {digest} but expected {md5}: it is "
                            "corrupted. Nothing was kept.", url=url, digest=digest, md5=md5))
        unpack_dir = Path(tempfile.mkdtemp(dir=parent, prefix=".cifar-10-unpack-"))
        with tarfile.open(archive, "r:gz") as tar:
            for member in tqdm(_safe_members(tar, archive), desc=t("Unpacking"),
                               unit="file", disable=not progress):
                target = unpack_dir / member.name
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst)
        unpacked = unpack_dir / CIFAR10_FOLDER
        if not cifar10_available(unpacked):
            raise OSError(t("The archive from {url} does not contain {folder}/ with {files}.", url=url,
                            folder=CIFAR10_FOLDER, files=", ".join(CIFAR10_FILES)))
        os.rename(unpacked, folder)  # atomic: the folder appears complete or not at all
    finally:
        os.remove(archive)
        if unpack_dir is not None:
            shutil.rmtree(unpack_dir, ignore_errors=True)
    return folder


# ---------------------------------------------------------------------------
# Toy 2-D data sets: X (N, 2) float64, y (N,) int64, grouped by class
# ---------------------------------------------------------------------------

def _check_toy(n_per_class, n_classes=2, noise=0.0):
    _check_count("n_per_class", n_per_class, 1)
    _check_count("n_classes", n_classes, 2)
    if not noise >= 0:
        raise ValueError(t("noise must be >= 0, got {noise!r}.", noise=noise))


def make_spiral(n_per_class=100, n_classes=3, noise=0.2, seed=0):
    """The CS231n spiral: ``n_classes`` arms of ``n_per_class`` points each.

    Arm j has radius r = linspace(0, 1) and angle
    t = linspace(4j, 4(j+1)) + noise * randn; the point is (r sin t, r cos t).

    Returns X: float64 (n_per_class * n_classes, 2); y: int64, the arm index.
    """
    _check_toy(n_per_class, n_classes, noise)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), n_per_class)
    r = np.tile(np.linspace(0.0, 1.0, n_per_class), n_classes)
    t = 4.0 * y + np.tile(np.linspace(0.0, 4.0, n_per_class), n_classes)
    t = t + noise * rng.standard_normal(len(y))
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, y.astype(np.int64)


def make_blobs(n_per_class=100, n_classes=3, std=0.5, seed=0):
    """Gaussian blobs with standard deviation ``std`` around centres spaced
    evenly on a circle of radius 2.

    Returns X: float64 (n_per_class * n_classes, 2); y: int64, the blob index.
    """
    _check_toy(n_per_class, n_classes, std)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), n_per_class)
    angle = 2 * np.pi * y / n_classes
    centres = 2.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    X = centres + std * rng.standard_normal((len(y), 2))
    return X, y.astype(np.int64)


def make_circles(n_per_class=100, noise=0.1, factor=0.5, seed=0):
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor``,
    plus Gaussian noise of standard deviation ``noise``.

    Returns X: float64 (2 * n_per_class, 2); y: int64 in {0, 1}.
    """
    _check_toy(n_per_class, 2, noise)
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n_per_class)
    radius = np.where(y == 0, 1.0, factor)
    angle = rng.uniform(0, 2 * np.pi, len(y))
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X = X + noise * rng.standard_normal(X.shape)
    return X, y.astype(np.int64)


def make_moons(n_per_class=100, noise=0.1, seed=0):
    """Two interleaving half circles: class 0 is (cos t, sin t), class 1 is
    (1 - cos t, 0.5 - sin t) for t in [0, pi], plus Gaussian noise.

    Returns X: float64 (2 * n_per_class, 2); y: int64 in {0, 1}.
    """
    _check_toy(n_per_class, 2, noise)
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n_per_class)
    t = np.tile(np.linspace(0, np.pi, n_per_class), 2)
    X = np.where((y == 0)[:, None],
                 np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]))
    X = X + noise * rng.standard_normal(X.shape)
    return X, y.astype(np.int64)


def make_xor(n_per_class=100, seed=0):
    """XOR in the square [-1, 1]^2: class 0 in the quadrants where x1 and x2
    have the same sign, class 1 where they differ (not linearly separable).

    Returns X: float64 (2 * n_per_class, 2); y: int64 in {0, 1}.
    """
    _check_toy(n_per_class)
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n_per_class)
    sign1 = rng.choice([-1.0, 1.0], len(y))
    sign2 = np.where(y == 0, sign1, -sign1)
    X = rng.uniform(0, 1, (len(y), 2)) * np.column_stack([sign1, sign2])
    return X, y.astype(np.int64)


# ---------------------------------------------------------------------------
# Real data that work offline (files shipped inside scikit-learn's and
# matplotlib's wheels)
# ---------------------------------------------------------------------------

def _sklearn_file(*parts):
    """Path of a data file inside the installed scikit-learn, found without
    importing scikit-learn (which takes about a second)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(t("scikit-learn is needed for the offline data sets."))
    path = Path(list(spec.submodule_search_locations)[0], "datasets", *parts)
    if not path.is_file():
        raise FileNotFoundError(t("{path} is not in this scikit-learn installation.", path=path))
    return path


_PHOTOS = None


def _sample_photos():
    """scikit-learn's two sample photos (china.jpg, flower.jpg) as one uint8
    array of shape (2, H, W, 3), cropped to their common size (427 x 640)."""
    global _PHOTOS
    if _PHOTOS is None:
        from PIL import Image  # Pillow comes with matplotlib
        photos = []
        for name in ("china.jpg", "flower.jpg"):
            with Image.open(_sklearn_file("images", name)) as im:
                photos.append(np.asarray(im.convert("RGB")))
        h = min(p.shape[0] for p in photos)
        w = min(p.shape[1] for p in photos)
        _PHOTOS = np.stack([p[:h, :w] for p in photos])
    return _PHOTOS


def load_image_patches(n=1000, size=32, seed=0):
    """Random ``size`` x ``size`` colour patches of real photographs, offline.

    The patches are cut at random places (deterministic for a given ``seed``)
    from the two sample photographs shipped with scikit-learn (a Chinese
    temple and a flower, each 427 x 640). Patches may overlap, so two of
    them can share pixels (or be equal): do not split them into training,
    validation and test sets; ``load_image_splits`` gives disjoint splits.

    Returns X: float32 array of shape (n, size, size, 3), values 0..255.
    """
    _check_count("n", n, 1)
    photos = _sample_photos()
    _, h, w, _ = photos.shape
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 1 <= size <= min(h, w):
        raise ValueError(t("size must be an integer in 1..{largest}, got {size!r}.", largest=min(h, w), size=size))
    rng = np.random.default_rng(seed)
    photo = rng.integers(0, len(photos), n)
    top = rng.integers(0, h - size + 1, n)
    left = rng.integers(0, w - size + 1, n)
    rows = top[:, None] + np.arange(size)     # (n, size)
    cols = left[:, None] + np.arange(size)    # (n, size)
    # photos[photo[i], rows[i, a], cols[i, b]] for every patch i, pixel (a, b)
    X = photos[photo[:, None, None], rows[:, :, None], cols[:, None, :]]
    return X.astype(np.float32)


def load_digits():
    """scikit-learn's handwritten digits (UCI), offline.

    Returns
    - X: float32 array of shape (1797, 8, 8), grey levels 0..16
    - y: int64 array of shape (1797,), the digit 0..9
    """
    with gzip.open(_sklearn_file("data", "digits.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",")  # (1797, 65): 64 pixels, then the label
    X = table[:, :64].reshape(-1, 8, 8).astype(np.float32)
    y = table[:, 64].astype(np.int64)
    return X, y


def load_images(n, root=None, seed=0):
    """``n`` real 32x32 colour images: CIFAR-10 if it is on disk, else photo patches.

    With CIFAR-10 these are ``n`` different training images picked at random
    (deterministic for a given ``seed``); without it, ``load_image_patches``,
    whose patches may overlap. For training, validation and test sets with
    no image (or pixel) in common use ``load_image_splits``.

    Returns (X, source): X float32 of shape (n, 32, 32, 3), values 0..255;
    source a short name of the data set used ("CIFAR-10" or "photo patches").
    """
    _check_count("n", n, 1)
    if not cifar10_available(root):
        return load_image_patches(n, size=32, seed=seed), "photo patches"
    folder = cifar10_folder(root)
    X, _ = _read_batches([folder / name for name in CIFAR10_TRAIN_FILES])
    if n > len(X):
        raise ValueError(t("n = {n} but CIFAR-10 has only {count} training images.", n=n, count=len(X)))
    idx = np.sort(np.random.default_rng(seed).choice(len(X), n, replace=False))
    return X[idx], "CIFAR-10"


# Photographs for load_image_splits: (package, file, what it shows). The
# package ships the file in its wheel, so every installation has it.
OFFLINE_PHOTOS = (
    ("scikit-learn", "china.jpg", "a temple in China, 427 x 640"),
    ("scikit-learn", "flower.jpg", "a dahlia, 427 x 640"),
    ("matplotlib", "grace_hopper.jpg", "a portrait of Grace Hopper, 600 x 512"),
)

_SPLIT_PHOTOS = None
SPLIT_NAMES = ("train", "val", "test")
# Offline, each split takes this many bands of each photograph, spread from
# its top to its bottom, so that the three splits show the same mix of each
# scene (with one band per split, the validation mean differed from the
# training mean by 30 grey levels on average; with four, by 5, like a random
# split of patches).
BANDS_PER_SPLIT = 4


def _matplotlib_sample_file(name):
    """Path of a file in matplotlib's ``mpl-data/sample_data`` (the folder
    ``matplotlib.get_data_path()`` names), found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(t("matplotlib is needed for its sample photograph."))
    path = Path(list(spec.submodule_search_locations)[0], "mpl-data", "sample_data", name)
    if not path.is_file():
        raise FileNotFoundError(t("{path} is not in this matplotlib installation.", path=path))
    return path


def _split_photos():
    """The photographs of ``OFFLINE_PHOTOS`` that this installation has, as a
    tuple of (file name, read-only uint8 array (H, W, 3)), in that order.

    A photograph whose file is missing (a trimmed matplotlib, say) is left
    out; the ``source`` of ``load_image_splits`` names the ones used.
    """
    global _SPLIT_PHOTOS
    if _SPLIT_PHOTOS is None:
        from PIL import Image  # Pillow comes with matplotlib
        photos = []
        for package, name, _ in OFFLINE_PHOTOS:
            try:
                path = (_sklearn_file("images", name) if package == "scikit-learn"
                        else _matplotlib_sample_file(name))
            except (ImportError, FileNotFoundError):
                continue
            with Image.open(path) as im:
                pixels = np.array(im.convert("RGB"), dtype=np.uint8)
            pixels.flags.writeable = False
            photos.append((name, pixels))
        if not photos:
            raise FileNotFoundError(t(
                "None of the offline photographs ({photos}) is installed; reinstall scikit-learn and matplotlib.",
                photos=", ".join(t("{name} from {package}", name=name, package=package)
                                 for package, name, _ in OFFLINE_PHOTOS)))
        _SPLIT_PHOTOS = tuple(photos)
    return _SPLIT_PHOTOS


def _patch_grid(height, width, size):
    """The non-overlapping ``size`` x ``size`` cells of an image, centred in it.

    Returns (tops, lefts): int64 arrays, the pixel row and column of each
    cell's top-left corner, in raster order (row of cells by row of cells).
    """
    rows, cols = height // size, width // size
    top0, left0 = (height - rows * size) // 2, (width - cols * size) // 2
    tops = np.repeat(top0 + size * np.arange(rows), cols)
    lefts = np.tile(left0 + size * np.arange(cols), rows)
    return tops.astype(np.int64), lefts.astype(np.int64)


def _band_lengths(cells, need):
    """How many consecutive cells of each photograph go to each split.

    ``cells[p]`` is the number of cells of photograph p, ``need[s]`` the
    number of patches split s asks for (sum(need) <= sum(cells)). Each
    photograph is shared out in proportion to ``need`` (largest remainder),
    then single cells are moved from splits with a surplus to splits short
    of their ``need``. Returns an int64 array (P, 3) whose row p sums to
    ``cells[p]`` and whose column s sums to at least ``need[s]``.
    """
    cells = np.asarray(cells, dtype=np.int64)
    need = np.asarray(need, dtype=np.int64)
    exact = cells[:, None] * need[None, :] / need.sum()
    lengths = np.floor(exact).astype(np.int64)
    for p in range(len(cells)):
        extra = cells[p] - lengths[p].sum()
        lengths[p, np.argsort(lengths[p] - exact[p], kind="stable")[:extra]] += 1
    short = need - lengths.sum(axis=0)
    while short.max() > 0:
        s, t = int(np.argmax(short)), int(np.argmin(short))  # t has a surplus
        p = int(np.argmax(lengths[:, t]))
        lengths[p, t] -= 1
        lengths[p, s] += 1
        short = need - lengths.sum(axis=0)
    return lengths


def _photo_splits(need, size, seed, why):
    """Train / validation / test patches from separate regions of the photos.

    Every photograph is cut into its grid of non-overlapping ``size`` x
    ``size`` cells. In raster order its cells are divided into runs of
    consecutive cells (horizontal bands, whose first and last rows of cells
    may be partial): ``BANDS_PER_SPLIT`` rounds of three bands, one band per
    split in each round, in an order drawn from ``seed``. Each split then
    draws its patches at random from its own bands. A cell belongs to one
    band only, so no pixel is in two splits.
    """
    photos = _split_photos()
    grids = [_patch_grid(pixels.shape[0], pixels.shape[1], size) for _, pixels in photos]
    cells = [len(tops) for tops, _ in grids]
    names = ", ".join(name for name, _ in photos)
    if sum(need) > sum(cells):
        smaller = [s for s in (16, 8) if s < size]
        values = dict(why=why, n_photos=len(photos), names=names, available=sum(cells), size=size,
                      asked=sum(need), how_to_download=how_to_download())
        if smaller:
            raise ValueError(t(
                "{why}, so the splits are cut from {n_photos} photographs ({names}), which give only {available} "
                "non-overlapping {size}x{size} patches; you asked for n_train + n_val + n_test = {asked}. Ask for "
                "at most {available} in total, use smaller patches (size={smaller} gives {smaller_available}), or "
                "download CIFAR-10.\n{how_to_download}", smaller=smaller[0],
                smaller_available=sum(len(_patch_grid(*px.shape[:2], smaller[0])[0]) for _, px in photos), **values))
        raise ValueError(t(
            "{why}, so the splits are cut from {n_photos} photographs ({names}), which give only {available} "
            "non-overlapping {size}x{size} patches; you asked for n_train + n_val + n_test = {asked}. Ask for at "
            "most {available} in total, use smaller patches, or download CIFAR-10.\n{how_to_download}", **values))
    rng = np.random.default_rng(seed)
    lengths = _band_lengths(cells, need)
    pools = [[] for _ in SPLIT_NAMES]   # per split: (photo, top, left) arrays
    for p, (tops, lefts) in enumerate(grids):
        # bands[s][k]: the length of split s's band in round k
        bands = [np.diff(np.round(np.linspace(0, lengths[p, s], BANDS_PER_SPLIT + 1)))
                 .astype(np.int64) for s in range(len(SPLIT_NAMES))]
        start = 0
        for k in range(BANDS_PER_SPLIT):
            for s in rng.permutation(len(SPLIT_NAMES)):
                stop = start + bands[s][k]
                pools[s].append(np.column_stack([np.full(stop - start, p),
                                                 tops[start:stop], lefts[start:stop]]))
                start = stop
    out = {}
    for s, name in enumerate(SPLIT_NAMES):
        pool = np.concatenate(pools[s]).astype(np.int64)
        origin = pool[rng.choice(len(pool), need[s], replace=False)]
        X = np.empty((need[s], size, size, 3), dtype=np.float32)
        for i, (p, top, left) in enumerate(origin):
            X[i] = photos[p][1][top:top + size, left:left + size]
        out["X_" + name], out["origin_" + name] = X, origin
    used = {name for name, _ in photos}
    packages = list(dict.fromkeys(package for package, name, _ in OFFLINE_PHOTOS
                                  if name in used))
    # The description starts with the data set's name ("photo patches") in every language.
    out["source"] = t("photo patches: non-overlapping {size}x{size} crops of {n_photos} photographs ({names}; "
                      "from {packages}); train, validation and test from separate regions", size=size,
                      n_photos=len(photos), names=names, packages=", ".join(packages))
    return out


def _cifar10_splits(need, seed, root):
    """Random CIFAR-10 splits: train and validation disjoint sets of training
    images, test from the test batch."""
    n_train, n_val, n_test = need
    folder = cifar10_folder(root)
    X, _ = _read_batches([folder / name for name in CIFAR10_TRAIN_FILES])
    if n_train + n_val > len(X):
        raise ValueError(t("n_train + n_val = {asked} but CIFAR-10 has only {count} training images.",
                           asked=n_train + n_val, count=len(X)))
    X_test, _ = _read_batches([folder / CIFAR10_TEST_FILE])
    if n_test > len(X_test):
        raise ValueError(t("n_test = {asked} but CIFAR-10 has only {count} test images.", asked=n_test,
                           count=len(X_test)))
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(X), n_train + n_val, replace=False)
    idx_test = rng.choice(len(X_test), n_test, replace=False)
    out = {"X_train": X[idx[:n_train]], "origin_train": idx[:n_train].astype(np.int64),
           "X_val": X[idx[n_train:]], "origin_val": idx[n_train:].astype(np.int64),
           "X_test": X_test[idx_test], "origin_test": idx_test.astype(np.int64)}
    # The description starts with the data set's name ("CIFAR-10") in every language.
    out["source"] = t("CIFAR-10: train and validation from the training batches (no image in both), "
                      "test from the test batch")
    return out


def load_image_splits(n_train, n_val, n_test, size=32, seed=0, root=None):
    """Real colour images split into train / validation / test with nothing shared.

    With CIFAR-10 on disk (and ``size`` = 32, its image size): ``n_train +
    n_val`` different training images drawn at random, the first ``n_train``
    for training and the rest for validation, and ``n_test`` images of the
    test batch. Otherwise, offline: non-overlapping ``size`` x ``size``
    patches of the photographs in ``OFFLINE_PHOTOS`` (scikit-learn's
    china.jpg and flower.jpg, matplotlib's grace_hopper.jpg), each
    photograph divided into horizontal bands, ``BANDS_PER_SPLIT`` (4) for
    each split spread from its top to its bottom, so that no pixel is in two
    splits. Both are deterministic for a given ``seed``.

    The offline set is small: three photographs give 808 patches of 32x32
    (3,264 of 16x16), and its images are parts of three scenes, not
    CIFAR-10's variety of objects; ``source`` says which set was used.

    Inputs
    - n_train (>= 1), n_val (>= 0), n_test (>= 0): the number of images of
      each split.
    - size: the side of the offline patches; CIFAR-10 is used only for 32.
    - seed: picks the images (and, offline, the order of the bands).
    - root: where CIFAR-10 is looked for, as for ``load_cifar10``.

    Returns a dict with
    - X_train (n_train, size, size, 3), X_val (n_val, ...), X_test (n_test, ...):
      float32, values 0..255
    - source: a short description of the data used
    - origin_train, origin_val, origin_test: where each image comes from;
      for CIFAR-10 its index (n,) in the training images (train, val) or in
      the test batch (test), for photo patches rows (photo, top, left) (n, 3):
      the index of the photograph among those used and the pixel row and
      column of the patch's top-left corner.

    Raises ValueError if more images are asked for than the data set has
    (the message says how many there are).
    """
    _check_count("n_train", n_train, 1)
    _check_count("n_val", n_val)
    _check_count("n_test", n_test)
    _check_count("size", size, 1)
    need = [int(n_train), int(n_val), int(n_test)]
    on_disk = cifar10_available(root)
    if on_disk and size == 32:
        return _cifar10_splits(need, seed, root)
    why = (t("CIFAR-10 images are 32x32 and size = {size}", size=size) if on_disk
           else t("CIFAR-10 is not on disk"))
    return _photo_splits(need, int(size), seed, why)


def get_classification_data(num_training=1000, num_validation=200, num_test=200,
                            root=None, seed=0):
    """A real, labelled, flattened data set: CIFAR-10 if on disk, else the digits.

    With CIFAR-10: ``get_cifar10_data(..., flatten=True)`` (its fixed CS231n
    split; ``seed`` is not used). Without it: the 1797 digits, shuffled with
    ``seed`` and split into train / val / test; then
    num_training + num_validation + num_test must be <= 1797.
    In both cases the mean image of the training split is subtracted.

    Returns a dict with
    - X_train (num_training, D), X_val (num_validation, D), X_test (num_test, D):
      float32, D = 3072 (CIFAR-10) or 64 (digits)
    - y_train, y_val, y_test: int64, classes 0..9
    - mean_image: float32 (D,)
    - source: "CIFAR-10" or "digits"
    - image_shape: (32, 32, 3) or (8, 8), to reshape a row for display
    - class_names: the 10 class names
    """
    _check_count("num_training", num_training, 1)
    _check_count("num_validation", num_validation)
    _check_count("num_test", num_test)
    if cifar10_available(root):
        data = get_cifar10_data(num_training, num_validation, num_test,
                                flatten=True, root=root)
        data.update(source="CIFAR-10", image_shape=(32, 32, 3),
                    class_names=load_cifar10_labels(root))
        return data

    X, y = load_digits()
    total = num_training + num_validation + num_test
    if total > len(X):
        raise ValueError(t(
            "CIFAR-10 is not on disk, so the {n} digits are used, but num_training + num_validation + num_test "
            "= {total}. Ask for fewer examples, or download CIFAR-10.\n{how_to_download}", n=len(X), total=total,
            how_to_download=how_to_download()))
    X = X.reshape(len(X), -1)
    order = np.random.default_rng(seed).permutation(len(X))
    idx_train = order[:num_training]
    idx_val = order[num_training:num_training + num_validation]
    idx_test = order[num_training + num_validation:total]
    mean_image = X[idx_train].mean(axis=0, dtype=np.float64).astype(np.float32)
    return {
        "X_train": X[idx_train] - mean_image, "y_train": y[idx_train],
        "X_val": X[idx_val] - mean_image, "y_val": y[idx_val],
        "X_test": X[idx_test] - mean_image, "y_test": y[idx_test],
        "mean_image": mean_image,
        "source": "digits",
        "image_shape": (8, 8),
        "class_names": [str(d) for d in range(10)],
    }
