"""Benchmarks of the course's support code: one table of ratios, ours vs a baseline.

    python -m benchmarks.run                 # the full run (about 15-20 minutes)
    python -m benchmarks.run --smoke         # tiny sizes, one repetition (under a minute)
    python -m benchmarks.run --only pca --only cifar10 --repeat 3

Benchmarks are not tests: nothing here fails because a number is slow. Every
row compares "ours" with "theirs" measured side by side in the same run (the
two are timed alternately, and the median of the repetitions is kept) and
says whether the goal of that row is "met" or "MISSED". The exit code is 0
unless a benchmark crashed (its rows then say ERROR).

Peak memory is the peak resident set size (VmHWM) of a fresh child process
that ran only the measured function: tracemalloc does not see the buffers
BLAS allocates, and a parent process's peak mixes every benchmark together.

The benchmarks (names for --only):
- torch      reference layers and losses vs PyTorch CPU, both float32 (MLP and batch norm
             also both float64), forward+backward
- pca        Preprocessor("whiten", n_components=k) vs scikit-learn PCA(whiten=True)
- gradcheck  cost of the cheap gradient checks, and which wrong gradients they catch
- cifar10    load_cifar10 vs a CS231n-style loader, on a full-size synthetic archive
- notebooks  wall time of each source notebook executed with nbclient, without CIFAR-10
             (the offline data sets), then with a full-size synthetic CIFAR-10 present
             (rows "notebooks with CIFAR-10: ...": time and the kernel's peak RSS vs the
             180 s and 3 GB budgets per notebook; skipped in --smoke)
- grading    serial `nbgrader autograde` vs `python -m cs231n_course autograde`
"""
import argparse
import importlib.util
import multiprocessing
import os
import pickle
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
TORCH_MISSING = "skipped: PyTorch not installed (pip install torch==2.13.0)"
NOT_YET = "not yet available"
# PCA and notebook runs take 5-30 s each: they repeat at most this many times.
HEAVY_REPEAT_CAP = 3
# The seven notebooks of the syllabus (a missing one gets a "not yet available" row).
# The class of synthetic students submits this assignment (see bench_grading).
GRADED_ASSIGNMENT = "01_neurons"
NOTEBOOKS = ("01_neurons", "02_activations", "03_architectures", "04_preprocessing",
             "05_init", "06_regularization", "07_losses")


# ---------------------------------------------------------------------------
# Rows of the table
# ---------------------------------------------------------------------------

@dataclass
class Row:
    """One line of the result table.

    - name: "<benchmark>: what is compared"
    - ours, theirs: the two measurements, already formatted
    - ratio: ours / theirs (None when a ratio means nothing)
    - goal: the goal in words, e.g. "<= 1.0x"
    - result: "met", "MISSED", "info" (no goal), "skipped: ...", "not yet available ..."
    - n: number of repetitions the medians are taken over
    - note: anything a reader needs to interpret the row
    """
    name: str
    ours: str = ""
    theirs: str = ""
    ratio: float = None
    goal: str = ""
    result: str = "info"
    n: int = None
    note: str = ""


def ratio_row(name, ours, theirs, max_ratio, unit="s", n=None, note=""):
    """A row whose goal is ours / theirs <= max_ratio (times or bytes)."""
    fmt = _fmt_seconds if unit == "s" else _fmt_bytes
    ratio = ours / theirs if theirs > 0 else float("inf")
    met = round(ratio, 2) <= max_ratio          # judged on the ratio as printed
    return Row(name, fmt(ours), fmt(theirs), ratio, f"<= {max_ratio:.3g}x", "met" if met else "MISSED", n, note)


def check_row(name, value, limit, n=None, note="", theirs=""):
    """A row whose goal is value < limit (a numerical check, not a time)."""
    return Row(name, f"{value:.2e}", theirs, None, f"< {limit:g}",
               "met" if value < limit else "MISSED", n, note)


def _fmt_seconds(s):
    if s >= 100:
        return f"{s:.0f} s"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.1f} us"


def _fmt_bytes(b):
    return f"{b / 1e9:.3f} GB" if b >= 1e8 else f"{b / 1e6:.1f} MB"


def print_table(rows):
    """Print the rows as one Markdown table (it pastes into the README as is)."""
    header = ("benchmark", "ours", "theirs", "ratio", "goal", "result", "n", "notes")
    lines = [(r.name, r.ours, r.theirs, "" if r.ratio is None else f"{r.ratio:.2f}x",
              r.goal, r.result, "" if r.n is None else str(r.n), r.note) for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *lines)]
    fmt = "| " + " | ".join(f"{{:<{w}}}" for w in widths) + " |"
    print(fmt.format(*header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for line in lines:
        print(fmt.format(*line))


# ---------------------------------------------------------------------------
# Measuring: time (median, side by side) and peak RSS (in a child process)
# ---------------------------------------------------------------------------

def compare_times(ours, theirs, repeat, min_time=0.05):
    """Median seconds per call of ours() and theirs(), timed alternately.

    Each function is called once first (warm-up). A call shorter than
    min_time is repeated inside one sample so that a sample lasts at least
    min_time (timer resolution and noise). Returns (ours_s, theirs_s).
    """
    loops = []
    for fn in (ours, theirs):
        fn()                                            # warm-up
        t0 = time.perf_counter()
        fn()
        once = time.perf_counter() - t0
        loops.append(max(1, int(min_time / max(once, 1e-9))))
    samples = ([], [])
    for _ in range(repeat):
        for fn, number, out in zip((ours, theirs), loops, samples):
            t0 = time.perf_counter()
            for _ in range(number):
                fn()
            out.append((time.perf_counter() - t0) / number)
    return statistics.median(samples[0]), statistics.median(samples[1])


def peak_rss_bytes():
    """Peak resident set size of this process so far, in bytes."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024    # macOS: bytes; Linux: kB


def in_child(target, *args):
    """Run target(*args) in a fresh spawned process.

    target must return (seconds, extras); returns (seconds, peak RSS in
    bytes of the child, extras). The peak is read right after target
    returns, before its extras are pickled back.
    """
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child_main, args=(send, target, args))
    child.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = None                   # the child died before sending anything
    child.join()
    if result is None or child.exitcode != 0:
        raise RuntimeError(f"the child process running {target.__name__} failed "
                           f"(exit code {child.exitcode}; its traceback is above)")
    return result


def _child_main(send, target, args):
    seconds, extras = target(*args)
    send.send((seconds, peak_rss_bytes(), extras))
    send.close()


def child_medians(targets, repeat):
    """Run each target in `targets` (a dict name -> (function, args)) `repeat`
    times, alternating between them, each run in a fresh child process.

    Returns name -> (median seconds, median peak RSS, extras of the first run).
    """
    runs = {name: [] for name in targets}
    for _ in range(repeat):
        for name, (fn, args) in targets.items():
            runs[name].append(in_child(fn, *args))
    return {name: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs), rs[0][2])
            for name, rs in runs.items()}


# ---------------------------------------------------------------------------
# 1. Reference layers and losses vs PyTorch CPU float32
# ---------------------------------------------------------------------------

def bench_torch(smoke, repeat):
    """Forward+backward of the reference code and of PyTorch on the same input
    values, with the same upstream gradient, both in float32 (the reference
    keeps float32 input in float32, reference/_arrays.py). The MLP and batch
    norm are also compared in float64 on both sides, the dtype of the graded
    tests."""
    names = ["torch: affine+ReLU+affine fwd+bwd, float32", "torch: affine+ReLU+affine fwd+bwd, float64",
             "torch: softmax_loss + gradient", "torch: svm_loss + gradient",
             "torch: batchnorm fwd+bwd, float32", "torch: batchnorm fwd+bwd, float64"]
    if importlib.util.find_spec("torch") is None:
        return [Row(n, result=TORCH_MISSING) for n in names]
    import torch
    import torch.nn.functional as F

    from cs231n_course.reference.initialization import batchnorm_backward, batchnorm_forward
    from cs231n_course.reference.losses import softmax_loss, svm_loss

    N, D, H, C = (500, 64, 100, 10) if smoke else (50_000, 3_072, 100, 10)
    NB, DB = (256, 64) if smoke else (4_096, 1_024)
    rows = []
    t = lambda a, grad=False, dtype=torch.float32: torch.tensor(a, dtype=dtype, requires_grad=grad)

    # affine -> ReLU -> affine. Each comparison runs in MLP_PROCESSES fresh
    # processes and the medians over all of them are kept: on this VM the
    # 600 MB arrays make one process's timings cluster (0.9 s in one process,
    # 1.4 s in the next, for the same code), which repetitions inside one
    # process cannot average out.
    procs = 1 if smoke else MLP_PROCESSES
    for name, dtype in ((names[0], "float32"), (names[1], "float64")):
        pairs = [in_child(_torch_mlp_child, (N, D, H, C), dtype, repeat)[2] for _ in range(procs)]
        ours_s = statistics.median(p[0] for p in pairs)
        theirs_s = statistics.median(p[1] for p in pairs)
        rows.append(ratio_row(name, ours_s, theirs_s, 1.0, n=repeat,
                              note=f"{N:,} x {D:,} -> {H} -> {C}; both {dtype}; dX included; "
                                   f"median of {procs} processes"))
    rng = np.random.default_rng(0)
    # softmax and SVM losses on (N, C) scores
    scores = (rng.standard_normal((N, C)) * 3).astype(np.float32)
    y = rng.integers(0, C, N)
    tscores, ty = t(scores, True), torch.tensor(y)

    def torch_loss(fn):
        def run():
            tscores.grad = None
            fn(tscores, ty).backward()
        return run

    ours_s, theirs_s = compare_times(lambda: softmax_loss(scores, y), torch_loss(F.cross_entropy), repeat)
    rows.append(ratio_row(names[2], ours_s, theirs_s, 1.5, n=repeat,
                          note=f"{N:,} x {C}; both float32; vs F.cross_entropy"))
    ours_s, theirs_s = compare_times(lambda: svm_loss(scores, y), torch_loss(F.multi_margin_loss), repeat)
    rows.append(ratio_row(names[3], ours_s, theirs_s, 1.5, n=repeat,
                          note=f"{N:,} x {C}; both float32; vs F.multi_margin_loss (same hinge, / C)"))

    # batch normalization, train mode
    x = rng.standard_normal((NB, DB)) * 2 + 1
    gamma, beta = rng.standard_normal(DB), rng.standard_normal(DB)
    dout = rng.standard_normal((NB, DB))

    def ours_bn(dtype):
        x_, gamma_, beta_, dout_ = (a.astype(dtype) for a in (x, gamma, beta, dout))

        def run():
            out, cache = batchnorm_forward(x_, gamma_, beta_, {"mode": "train"})
            return batchnorm_backward(dout_, cache)
        return run

    def torch_bn(dtype):
        tx, tg, tb = t(x, True, dtype), t(gamma, True, dtype), t(beta, True, dtype)
        tdout = t(dout, dtype=dtype)
        rmean, rvar = torch.zeros(DB, dtype=dtype), torch.ones(DB, dtype=dtype)

        def run():
            for p in (tx, tg, tb):
                p.grad = None
            F.batch_norm(tx, rmean, rvar, tg, tb, training=True, momentum=0.1, eps=1e-5).backward(tdout)
        return run

    for name, dtype, np_dtype in ((names[4], torch.float32, np.float32),
                                  (names[5], torch.float64, np.float64)):
        ours_s, theirs_s = compare_times(ours_bn(np_dtype), torch_bn(dtype), repeat)
        rows.append(ratio_row(name, ours_s, theirs_s, 3.0, n=repeat,
                              note=f"{NB:,} x {DB:,}, train mode; both {np.dtype(np_dtype).name}"))
    return rows


MLP_PROCESSES = 3


def _torch_mlp_child(sizes, dtype, repeat):
    """In a fresh process: median seconds per forward+backward of
    affine -> ReLU -> affine, ours and PyTorch's, on the same values in dtype.
    Ours computes dX too, so PyTorch is asked for it as well."""
    import torch

    from cs231n_course.reference.activations import relu_backward, relu_forward
    from cs231n_course.reference.architectures import affine_backward, affine_forward

    N, D, H, C = sizes
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N, D)).astype(dtype)
    W1, b1 = (rng.standard_normal((D, H)) * np.sqrt(2 / D)).astype(dtype), np.zeros(H, dtype)
    W2, b2 = (rng.standard_normal((H, C)) * np.sqrt(2 / H)).astype(dtype), np.zeros(C, dtype)
    dscores = rng.standard_normal((N, C)).astype(dtype)

    def ours():
        h, c1 = affine_forward(X, W1, b1)
        a, c2 = relu_forward(h)
        s, c3 = affine_forward(a, W2, b2)
        da, dW2, db2 = affine_backward(dscores, c3)
        dX, dW1, db1 = affine_backward(relu_backward(da, c2), c1)
        return dX, dW1, db1, dW2, db2

    tX, tW1, tb1, tW2, tb2 = (torch.tensor(a, requires_grad=True) for a in (X, W1, b1, W2, b2))
    tdscores = torch.tensor(dscores)

    def theirs():
        for p in (tX, tW1, tb1, tW2, tb2):
            p.grad = None
        s = torch.relu(tX @ tW1 + tb1) @ tW2 + tb2
        s.backward(tdscores)

    return None, compare_times(ours, theirs, repeat)


# ---------------------------------------------------------------------------
# 2. PCA and whitening vs scikit-learn
# ---------------------------------------------------------------------------

def make_pca_data(N, D, seed=0):
    """(N, D) float32 data with a decaying spectrum, like pixel data.

    The standard deviation along the i-th of D random orthonormal directions
    is 60 / (i + 1)**0.75 (a power law, as for natural images), and every
    feature has a mean of about 120, as pixel values do.
    """
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((D, D)))
    std = 60.0 / np.arange(1, D + 1) ** 0.75
    Z = rng.standard_normal((N, D), dtype=np.float32) * std.astype(np.float32)
    X = Z @ Q.T.astype(np.float32)
    X += (120 + 10 * rng.standard_normal(D)).astype(np.float32)
    return X


def _pca_child(path, method, k):
    """One timed PCA + whitening in a child: returns (seconds, extras).

    extras: the top-k principal directions as columns (D, k), and the largest
    deviation of the whitened data's covariance from the identity.
    """
    # Import both sides in every child, so that both baselines are the same.
    from sklearn.decomposition import PCA

    from cs231n_course.reference.preprocessing import Preprocessor
    X = np.load(path)
    t0 = time.perf_counter()
    if method == "ours":
        model = Preprocessor("whiten", n_components=k)
        Z = model.fit_transform(X)
        Uk = model.components_
        ddof = 0                                  # pca's variances divide by N
    else:
        model = PCA(n_components=k, whiten=True, svd_solver=method, random_state=0)
        Z = model.fit_transform(X)
        Uk = model.components_.T
        ddof = 1                                  # scikit-learn's divide by N - 1
    seconds = time.perf_counter() - t0
    Z = Z.astype(np.float64)
    cov = Z.T @ Z / (len(Z) - ddof)
    return seconds, {"U": np.asarray(Uk, dtype=np.float64), "cov_error": float(np.max(np.abs(cov - np.eye(k))))}


def exact_top_subspace(X, k, block=4096):
    """The top-k eigenvectors (D, k) of the covariance of X computed in float64
    throughout (centred float64 blocks, float64 products, full eigh): the
    yardstick for both sides' subspaces."""
    mean = X.mean(axis=0, dtype=np.float64)
    cov = np.zeros((X.shape[1], X.shape[1]))
    for start in range(0, len(X), block):
        Xc = X[start:start + block].astype(np.float64) - mean
        cov += Xc.T @ Xc
    _, U = np.linalg.eigh(cov / len(X))
    return U[:, ::-1][:, :k]


def bench_pca(smoke, repeat):
    """Preprocessor("whiten", n_components=k) vs scikit-learn's
    PCA(n_components=k, whiten=True): time, peak RSS and accuracy."""
    from scipy.linalg import subspace_angles

    N, D, k = (500, 64, 8) if smoke else (50_000, 3_072, 144)
    repeat = min(repeat, HEAVY_REPEAT_CAP)
    with tempfile.TemporaryDirectory(prefix="bench-pca-") as tmp:
        path = Path(tmp) / "X.npy"
        X = make_pca_data(N, D)
        np.save(path, X)
        res = child_medians({m: (_pca_child, (str(path), m, k))
                             for m in ("ours", "covariance_eigh", "randomized")}, repeat)
    exact = exact_top_subspace(X, k)
    del X
    size = f"{N:,} x {D:,} float32, k = {k}"
    rows = []
    ours_t, ours_m, ours_x = res["ours"]
    for m in ("covariance_eigh", "randomized"):
        t, mem, _ = res[m]
        rows.append(ratio_row(f"pca: fit_transform time vs sklearn {m}", ours_t, t, 1.0, n=repeat, note=size))
    for m in ("covariance_eigh", "randomized"):
        t, mem, _ = res[m]
        rows.append(ratio_row(f"pca: peak RSS vs sklearn {m}", ours_m, mem, 1.0, unit="B", n=repeat,
                              note="whole child process, incl. the input (%s)" % _fmt_bytes(N * D * 4)))
    angle = lambda x: float(np.max(subspace_angles(x["U"], exact)))
    for m in ("covariance_eigh", "randomized"):
        rows.append(check_row(f"pca: check largest principal angle to exact, vs {m}", angle(ours_x), 1e-3,
                              theirs=f"{angle(res[m][2]):.2e}",
                              note=f"radians; top-{k} subspace vs float64 eigh of the float64 covariance"))
    for m in ("covariance_eigh", "randomized"):
        rows.append(check_row(f"pca: check whitened covariance max abs(C - I), vs {m}", ours_x["cov_error"],
                              1e-3, theirs=f"{res[m][2]['cov_error']:.2e}", note="ours: goal; theirs: for comparison"))
    return rows


# ---------------------------------------------------------------------------
# 3. Gradient checks: cost, and which wrong gradients they catch
# ---------------------------------------------------------------------------

def bench_gradcheck(smoke, repeat):
    """grad_check_sparse (10 entries per array) and directional_check (5
    directions per array) on a 3,072 -> 100 -> 10 net, against the full
    check, and against four wrong gradients."""
    from cs231n_support.gradient_check import directional_check, grad_check_sparse
    from cs231n_support.training import init_mlp, mlp_loss

    N, D, H, C = (20, 64, 10, 10) if smoke else (50, 3_072, 100, 10)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N, D))
    y = rng.integers(0, C, N)
    (W1, b1), (W2, b2) = init_mlp([D, H, C], scheme="he", rng=0, bias=0.01)
    P = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}     # checked in place, so f sees the changes
    calls = [0]

    def f(_):
        calls[0] += 1
        return mlp_loss([(P["W1"], P["b1"]), (P["W2"], P["b2"])], X, y)[0]

    _, grads = mlp_loss([(W1, b1), (W2, b2)], X, y)
    G = {"W1": grads[0][0], "b1": grads[0][1], "W2": grads[1][0], "b2": grads[1][1]}

    def sparse(grad):
        errors = grad_check_sparse(f, P, grad, num_checks=10, verbose=False, seed=0)
        return max(float(np.max(e)) for e in errors.values())

    def directional(grad):
        results = [directional_check(f, P[name], grad[name], num_directions=5, seed=0, has_kinks=True)
                   for name in P]
        return max(r.max_rel_error for r in results)

    # Cost: calls of f and time, vs the full check extrapolated from one call.
    rows = []
    n_params = sum(a.size for a in P.values())
    eval_s, _ = compare_times(lambda: f(None), lambda: None, repeat)
    full_calls, full_s = 2 * n_params, 2 * n_params * eval_s
    for name, check in (("grad_check_sparse, 10 entries/array", sparse),
                        ("directional_check, 5 directions/array", directional)):
        calls[0] = 0
        check(G)
        n_calls = calls[0]
        check_s, _ = compare_times(lambda: check(G), lambda: None, repeat)
        rows.append(Row(f"gradcheck: {name}", f"{n_calls} calls, {_fmt_seconds(check_s)}",
                        f"{full_calls:,} calls, {_fmt_seconds(full_s)}", check_s / full_s, "info", "info",
                        repeat, f"theirs: every entry (extrapolated, 1 call = {_fmt_seconds(eval_s)}); "
                                f"{N} x {D} -> {H} -> {C}"))

    # Which wrong gradients are caught? "caught" = relative error > 1e-4, the
    # notes' limit for an objective with kinks (a ReLU net has kinks).
    picked = np.unravel_index(rng.choice(W1.size, 5, replace=False), W1.shape)
    zeroed = G["W1"].copy()
    zeroed[picked] = 0.0
    variants = {
        "(0) correct gradient (false alarm?)": {},
        "(a) whole dW1 halved": {"W1": G["W1"] / 2},
        "(b) dW1 transposed-reshaped": {"W1": G["W1"].T.reshape(G["W1"].shape)},
        "(c) 5 entries of dW1 set to 0": {"W1": zeroed},
        "(d) db2 sign flipped": {"b2": -G["b2"]},
    }
    for label, change in variants.items():
        wrong = {**G, **change}
        e_sparse, e_dir = sparse(wrong), directional(wrong)
        caught = [e > 1e-4 for e in (e_sparse, e_dir)]
        if label.startswith("(0)"):
            word = lambda c, e: f"{'ALARM' if c else 'quiet'} ({e:.1e})"
            goal, met = "no alarm", not any(caught)
        else:
            word = lambda c, e: f"{'caught' if c else 'missed'} ({e:.1e})"
            # The two checks are complements (see benchmarks/README.md, "Which
            # gradient check to use when"): a bug counts as caught if the pair
            # catches it; a miss by one of them still shows in its column.
            goal, met = "caught by one", any(caught)
        rows.append(Row(f"gradcheck: {label}", "sparse " + word(caught[0], e_sparse),
                        "directional " + word(caught[1], e_dir), None, goal,
                        "met" if met else "MISSED", 1, "caught = max relative error > 1e-4"))
    return rows


# ---------------------------------------------------------------------------
# 4. Loading CIFAR-10
# ---------------------------------------------------------------------------

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def _write_cifar10_files(folder, make_batch, n_per_batch):
    """Write folder/cifar-10-batches-py in the official format; ``make_batch(n)``
    gives (labels (n,) ints, data (n, 3072) uint8) for each of the six batches."""
    folder = Path(folder) / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        labels, pixels = make_batch(n_per_batch)
        batch = {b"batch_label": name.encode(), b"labels": [int(l) for l in labels], b"data": pixels,
                 b"filenames": [f"{name}_{i}.png".encode() for i in range(n_per_batch)]}
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f, protocol=2)
    meta = {b"label_names": [n.encode() for n in CIFAR10_CLASSES],
            b"num_cases_per_batch": n_per_batch, b"num_vis": 3072}
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump(meta, f, protocol=2)
    return folder


def write_cifar10_archive(folder, n_per_batch=10_000, seed=0):
    """A synthetic CIFAR-10 in the official pickle format: data_batch_1..5,
    test_batch (dicts with bytes keys, b"data" uint8 (n, 3072), b"labels"
    a list of ints) and batches.meta."""
    rng = np.random.default_rng(seed)
    return _write_cifar10_files(folder, lambda n: (rng.integers(0, 10, n),
                                                   rng.integers(0, 256, (n, 3072), dtype=np.uint8)), n_per_batch)


def cs231n_style_load(folder):
    """The loader of the CS231n assignments (data_utils.py), written out:
    each batch becomes float64 (n, 32, 32, 3), then the batches are concatenated."""
    def load_batch(path):
        with open(path, "rb") as f:
            d = pickle.load(f, encoding="bytes")
        X = d[b"data"]
        n = X.shape[0]
        X = X.reshape(n, 3, 32, 32).transpose(0, 2, 3, 1).astype("float")
        return X, np.array(d[b"labels"])

    xs, ys = zip(*[load_batch(Path(folder) / f"data_batch_{i}") for i in range(1, 6)])
    X_train, y_train = np.concatenate(xs), np.concatenate(ys)
    del xs
    X_test, y_test = load_batch(Path(folder) / "test_batch")
    return X_train, y_train, X_test, y_test


def _cifar_child(folder, which):
    """Load the archive in a child: returns (seconds, extras)."""
    from cs231n_support.data import load_cifar10
    t0 = time.perf_counter()
    if which == "ours":
        X_train, y_train, X_test, y_test = load_cifar10(folder, progress=False)
    else:
        X_train, y_train, X_test, y_test = cs231n_style_load(folder)
    seconds = time.perf_counter() - t0
    return seconds, {"contiguous": X_train.flags.c_contiguous and X_test.flags.c_contiguous,
                     "dtype": str(X_train.dtype), "nbytes": X_train.nbytes + X_test.nbytes,
                     "checksum": float(X_train[::997].sum() + X_test[::997].sum())}


def bench_cifar10(smoke, repeat):
    """cs231n_support.data.load_cifar10 vs the CS231n-style loader, on a
    full-size synthetic archive in the official format."""
    n = 100 if smoke else 10_000
    with tempfile.TemporaryDirectory(prefix="bench-cifar-") as tmp:
        folder = write_cifar10_archive(tmp, n)
        res = child_medians({w: (_cifar_child, (str(folder), w)) for w in ("ours", "cs231n")}, repeat)
    (ot, om, ox), (tt, tm, tx) = res["ours"], res["cs231n"]
    if ox["checksum"] != tx["checksum"]:
        raise AssertionError("the two loaders returned different pixels")
    size = f"{5 * n:,} + {n:,} images"
    return [
        ratio_row("cifar10: load time vs CS231n-style loader", ot, tt, 0.5, n=repeat, note=size),
        ratio_row("cifar10: peak RSS vs CS231n-style loader", om, tm, 1.0, unit="B", n=repeat,
                  note=f"goal met if ours is lower; the result alone is {_fmt_bytes(ox['nbytes'])} "
                       f"{ox['dtype']} (theirs: {_fmt_bytes(tx['nbytes'])} {tx['dtype']})"),
        Row("cifar10: peak RSS vs 0.65 GB budget", _fmt_bytes(om), "0.650 GB", om / 0.65e9, "<= 1x",
            "met" if om <= 0.65e9 else "MISSED", repeat,
            f"the float32 result alone is {_fmt_bytes(ox['nbytes'])}; at full size 0.737 GB, "
            f"so this budget cannot be met"),
        Row("cifar10: result C-contiguous", str(ox["contiguous"]), str(tx["contiguous"]), None,
            "True", "met" if ox["contiguous"] else "MISSED", 1, "X_train and X_test"),
    ]


# ---------------------------------------------------------------------------
# 5. Executing the notebooks
# ---------------------------------------------------------------------------

def _run_notebook(path):
    """Execute one notebook with nbclient in its own folder; return seconds."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute()
    return time.perf_counter() - t0


def bench_notebooks(smoke, repeat):
    """Wall time of each source notebook in notebooks/ (goal < 60 s each, < 4 min all)."""
    os.environ.pop("MPLBACKEND", None)               # let the kernels draw inline as usual
    repeat = 1 if smoke else min(repeat, HEAVY_REPEAT_CAP)
    rows, total, found = [], 0.0, 0
    for name in NOTEBOOKS:
        paths = sorted((PROJECT / "notebooks" / name).glob("*.ipynb"))
        if not paths:
            rows.append(Row(f"notebooks: {name}", result=NOT_YET))
            continue
        if smoke and found:                          # smoke: the first notebook only
            rows.append(Row(f"notebooks: {name}", result="skipped in --smoke"))
            continue
        found += 1
        seconds = sum(statistics.median(_run_notebook(p) for _ in range(repeat)) for p in paths)
        total += seconds
        rows.append(ratio_row(f"notebooks: {name}", seconds, 60.0, 1.0, n=repeat,
                              note="theirs = the 60 s budget; nbclient, source notebook with solutions"))
    if found == len(NOTEBOOKS):
        rows.append(ratio_row("notebooks: all seven", total, 240.0, 1.0, n=repeat, note="theirs = the 4 min budget"))
    else:
        rows.append(Row("notebooks: all seven", _fmt_seconds(total), "240 s", None, "<= 1x",
                        f"{NOT_YET} ({found} of {len(NOTEBOOKS)} run)", repeat))
    return rows + bench_notebooks_with_cifar10(smoke)


# With CIFAR-10 present: the budgets stated in README.md, per notebook.
CIFAR_NOTEBOOK_BUDGET_S = 180.0
CIFAR_NOTEBOOK_BUDGET_BYTES = 3e9
PEAK_MARKER = "BENCH_KERNEL_PEAK"


def write_structured_cifar10(parent, n_per_batch=10_000, seed=0):
    """A full-size synthetic CIFAR-10 in the official format whose images have
    structure: each is its class's template (a colour blob on a coloured
    background, both class-dependent) brightened or darkened as a whole, plus
    pixel noise. Same format as write_cifar10_archive."""
    rng = np.random.default_rng(seed)
    background, blob = rng.integers(30, 200, (10, 3)), rng.integers(0, 256, (10, 3))
    centre, radius = rng.uniform(8, 24, (10, 2)), rng.uniform(4, 9, 10)
    r, c = np.mgrid[0:32, 0:32]
    weight = np.exp(-((r[None] - centre[:, 0, None, None]) ** 2 + (c[None] - centre[:, 1, None, None]) ** 2)
                    / (2 * radius[:, None, None] ** 2))[:, None]               # (10, 1, 32, 32)
    templates = np.round(background[:, :, None, None] * (1 - weight) + blob[:, :, None, None] * weight)
    templates = templates.reshape(10, 3072).astype(np.int16)                   # red, green, blue planes
    rng = np.random.default_rng(seed + 1)

    def make_batch(n):
        labels = rng.integers(0, 10, n)
        pixels = templates[labels]
        pixels += rng.integers(-30, 31, (n, 1), dtype=np.int16)        # brightness
        pixels += rng.integers(-25, 26, pixels.shape, dtype=np.int16)  # noise
        return labels, np.clip(pixels, 0, 255).astype(np.uint8)
    return _write_cifar10_files(parent, make_batch, n_per_batch)


def run_notebook_measured(path, env, workdir):
    """Execute a copy of one notebook in a fresh kernel started with ``env``.

    Returns (the executed notebook, seconds from kernel start to the end of
    the last cell, peak RSS of the kernel process in bytes or None). The peak
    is VmHWM, read by one cell appended at the end and removed again.
    """
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "with open('/proc/self/status') as _f:\n"
        "    _hwm = [l for l in _f if l.startswith('VmHWM:')][0].split()[1]\n"
        f"print('{PEAK_MARKER}', int(_hwm) * 1024)"))
    client = NotebookClient(nb, timeout=900, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})
    t0 = time.perf_counter()
    client.execute(env=env)
    seconds = time.perf_counter() - t0
    tail = "".join(o.get("text", "") for o in nb.cells.pop().outputs)
    peak = next((int(line.split()[1]) for line in tail.splitlines() if line.startswith(PEAK_MARKER)), None)
    return nb, seconds, peak


def first_error(nb):
    """"cell i: ename: evalue" of the first error output of an executed notebook, or None."""
    return next((f"cell {i}: {o.get('ename')}: {str(o.get('evalue'))[:80]}"
                 for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
                 for o in cell.outputs if o.get("output_type") == "error"), None)


def bench_notebooks_with_cifar10(smoke):
    """Each source notebook executed once with a full-size synthetic CIFAR-10
    present (CS231N_DATA), one BLAS thread: wall time vs 180 s, peak RSS of the
    kernel vs 3 GB. Once, not a median: one run takes up to minutes."""
    names = [n for n in NOTEBOOKS if sorted((PROJECT / "notebooks" / n).glob("*.ipynb"))]
    if smoke:
        return [Row(f"notebooks with CIFAR-10: {n}", result="skipped in --smoke",
                    note="needs the full-size archive; run without --smoke") for n in NOTEBOOKS]
    rows = [Row(f"notebooks with CIFAR-10: {n}", result=NOT_YET) for n in NOTEBOOKS if n not in names]
    with tempfile.TemporaryDirectory(prefix="bench-cifar-notebooks-") as tmp:
        write_structured_cifar10(tmp)
        env = dict(os.environ, CS231N_DATA=tmp, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                   MKL_NUM_THREADS="1")
        env.pop("MPLBACKEND", None)
        for name in names:
            seconds, peak, error = 0.0, 0, None
            for path in sorted((PROJECT / "notebooks" / name).glob("*.ipynb")):
                work = Path(tmp) / "work" / name
                work.mkdir(parents=True, exist_ok=True)
                nb, s, p = run_notebook_measured(path, env, work)
                seconds, peak, error = seconds + s, max(peak, p or 0), error or first_error(nb)
            row = ratio_row(f"notebooks with CIFAR-10: {name}", seconds, CIFAR_NOTEBOOK_BUDGET_S, 1.0, n=1,
                            note="theirs = the 180 s budget; full-size synthetic CIFAR-10, 1 BLAS thread")
            mem = ratio_row(f"notebooks with CIFAR-10: {name} peak RSS", peak, CIFAR_NOTEBOOK_BUDGET_BYTES, 1.0,
                            unit="B", n=1, note="theirs = the 3 GB budget; VmHWM of the kernel process")
            if error:
                row.result = mem.result = "MISSED"
                row.note = f"raised: {error}"
            rows += [row, mem]
    return rows


# ---------------------------------------------------------------------------
# 6. Grading a class
# ---------------------------------------------------------------------------

def _course_env():
    """Environment for nbgrader: the venv's scripts on PATH (alembic), inline plots."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("MPLBACKEND", None)
    return env


def _run(cmd, cwd):
    """Run a command; return its wall time in seconds, or raise with its output."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=_course_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited with {proc.returncode}:\n"
                           f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return seconds


PLAIN_NBGRADER_CONFIG = """# plain nbgrader (its own in-kernel Execute), the yardstick of the grading rows
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.source_directory = "notebooks"
c.CourseDirectory.course_id = "cs231n-foundations"
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db?timeout=60"
c.Execute.timeout = 300
"""


def make_class(root, n_students, assignments):
    """A course folder with n_students copies of the sample-reference submission."""
    root.mkdir(parents=True)
    for a in assignments:
        shutil.copytree(PROJECT / "notebooks" / a, root / "notebooks" / a)
    course = [sys.executable, "-m", "cs231n_course", "--root", str(root)]
    _run(course + ["release"], root)
    _run(course + ["sample-class"], root)
    submitted = root / "submitted"
    for i in range(n_students):
        shutil.copytree(submitted / "sample-reference", submitted / f"student-{i:02d}")
    for sample in submitted.glob("sample-*"):
        shutil.rmtree(sample)


def add_looper(root, assignment):
    """Replace one student's sigmoid by an infinite loop (every test of sigmoid calls it)."""
    import nbformat
    from cs231n_course.variants import Variant, apply_variant
    path = next((root / "submitted" / "student-00" / assignment).glob("*.ipynb"))
    loop = Variant("sigmoid", "wrong", "infinite loop", "def sigmoid(x):\n    while True:\n        pass\n", False)
    nbformat.write(apply_variant(nbformat.read(path, as_version=4), loop), path)


def bench_grading(smoke, repeat):
    """Plain serial `nbgrader autograde` vs the course's `autograde` (sealed, isolated),
    serially (--jobs 1: the cost of the sandbox) and in parallel (--jobs 2), on a
    synthetic class of N copies of the sample-reference submission; and the same
    class with one infinite loop, which must cost no more than its budget."""
    n_students = 2 if smoke else 30
    # One assignment is enough to compare the tools' overhead, and keeps the
    # run short (each further assignment adds 3 x 30 gradings).
    assignments = [GRADED_ASSIGNMENT]
    nbgrader = Path(sys.executable).parent / "nbgrader"
    if not nbgrader.exists():
        return [Row("grading: course autograde vs nbgrader CLI",
                    result="skipped: nbgrader is not installed in this environment")]
    times, budget = {}, 10 if smoke else 20
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        tmp = Path(tmp)
        make_class(tmp / "prepared", n_students, assignments)
        for folder in ("nbgrader", "serial", "parallel", "looping"):
            shutil.copytree(tmp / "prepared", tmp / folder)
        (tmp / "nbgrader" / "nbgrader_config.py").write_text(PLAIN_NBGRADER_CONFIG.format(root=str(tmp / "nbgrader")))
        add_looper(tmp / "looping", GRADED_ASSIGNMENT)
        times["nbgrader"] = sum(_run([str(nbgrader), "autograde", a, "--force"], tmp / "nbgrader")
                                for a in assignments)
        for folder, jobs in (("serial", 1), ("parallel", 2), ("looping", 2)):
            times[folder] = _run([sys.executable, "-m", "cs231n_course", "--root", str(tmp / folder),
                                  "--budget", str(budget), "autograde", "--jobs", str(jobs)], tmp / folder)
        for folder in times:
            graded = len(list((tmp / folder / "autograded").glob("student-*/*/*.ipynb")))
            if graded != n_students * len(assignments):
                raise RuntimeError(f"{folder}: {graded} notebooks autograded, expected "
                                   f"{n_students * len(assignments)}")
    n_subs = n_students * len(assignments)
    per = {k: _fmt_seconds(v / n_subs) for k, v in times.items()}
    return [
        ratio_row("grading: sealed and isolated, course --jobs 1 vs plain nbgrader (overhead)", times["serial"],
                  times["nbgrader"], 1.0, n=1,
                  note=f"{n_subs} submissions; per submission {per['serial']} vs {per['nbgrader']}"),
        ratio_row("grading: parallel, course --jobs 2 vs plain serial nbgrader", times["parallel"],
                  times["nbgrader"], 1 / 1.9, n=1,
                  note=f"{n_subs} submissions; goal: at least 1.9x faster; per submission "
                       f"{per['parallel']} vs {per['nbgrader']}"),
        ratio_row("grading: class with one infinite loop vs clean class + the loop's budget (--jobs 2)",
                  times["looping"], times["parallel"] + budget, 1.0, n=1,
                  note=f"{n_subs} submissions, one whose sigmoid never returns; budget {budget} s per notebook"),
    ]


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

BENCHMARKS = {
    "torch": bench_torch,
    "pca": bench_pca,
    "gradcheck": bench_gradcheck,
    "cifar10": bench_cifar10,
    "notebooks": bench_notebooks,
    "grading": bench_grading,
}


def machine_summary():
    """nproc, memory, Python, numpy and its BLAS (and torch, if present)."""
    lines = [f"machine: {platform.platform()}, {os.cpu_count()} CPUs (nproc)"]
    try:
        with open("/proc/meminfo") as f:
            total_kb = int(f.readline().split()[1])
        lines.append(f"memory: {total_kb / 2**20:.1f} GiB total")
    except OSError:
        pass
    lines.append(f"python {platform.python_version()}, numpy {np.__version__}")
    if importlib.util.find_spec("threadpoolctl"):
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            lines.append(f"  {info.get('user_api')}: {info.get('internal_api')} {info.get('version')}, "
                         f"{info.get('num_threads')} threads ({Path(info.get('filepath', '')).name})")
    if importlib.util.find_spec("sklearn"):
        import sklearn
        lines.append(f"scikit-learn {sklearn.__version__}")
    if importlib.util.find_spec("torch"):
        import torch
        lines.append(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    else:
        lines.append("torch: not installed")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes and --repeat 1 (under a minute)")
    parser.add_argument("--only", action="append", choices=list(BENCHMARKS), metavar="NAME",
                        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}")
    parser.add_argument("--repeat", type=int, default=None,
                        help="repetitions per measurement, the median is kept (default 7; 1 with --smoke)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.smoke else 7)
    if repeat < 1:
        parser.error(f"--repeat must be >= 1, got {repeat}")

    print(machine_summary(), flush=True)
    rows, crashed = [], False
    for name in args.only or BENCHMARKS:
        t0 = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            rows += BENCHMARKS[name](args.smoke, repeat)
        except Exception as exc:
            crashed = True
            traceback.print_exc()
            rows.append(Row(f"{name}: benchmark crashed", result="ERROR", note=f"{type(exc).__name__}: {exc}"[:200]))
        print(f"  {name} took {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    print()
    print_table(rows)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
