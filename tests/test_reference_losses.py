"""Tests of cs231n_course.reference.losses (notebook 07_losses).

Every loss is compared with a per-example loop written here, its gradient is
checked numerically at points away from kinks, it is run at |scores| = 1e3
with floating-point errors raised, and its input validation is exercised.
"""
import math

import numpy as np
import pytest

from cs231n_support.gradient_check import eval_numerical_gradient, rel_error
from cs231n_course.reference.losses import (
    attribute_hinge_loss, attribute_logistic_loss, balanced_tree_codes,
    hierarchical_softmax_loss, hierarchical_softmax_probs, l1_regression_loss,
    l2_regression_loss, softmax_loss, squared_hinge_loss, svm_loss,
)

# Over/underflow to zero is harmless (exp(-2000) == 0 is the right answer in a
# stable softmax), so only overflow, division by zero and invalid operations
# count as instability. np.errstate(all="raise") would also reject underflow.
UNSTABLE = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def rng_for(seed=0):
    return np.random.default_rng(seed)


def numerical_grad(loss_fn, x):
    """Numerical gradient of loss_fn(x)[0] at a float64 copy of x."""
    x = np.array(x, dtype=np.float64)
    return eval_numerical_gradient(lambda z: loss_fn(z)[0], x, verbose=False)


def class_data(N=7, C=5, seed=0, scale=1.0):
    rng = rng_for(seed)
    return scale * rng.standard_normal((N, C)), rng.integers(0, C, size=N)


def hinge_scores_away_from_kinks(N=6, C=5, seed=0):
    """Scores whose margins f_j - f_y + 1 are all at least 1e-3 away from 0."""
    rng = rng_for(seed)
    while True:
        scores = rng.standard_normal((N, C))
        y = rng.integers(0, C, size=N)
        margins = scores - scores[np.arange(N), y][:, None] + 1
        margins[np.arange(N), y] = 1.0
        if np.all(np.abs(margins) > 1e-3):
            return scores, y


# ---------------------------------------------------------- loop references
def svm_loop(scores, y, squared=False):
    total = 0.0
    for i in range(scores.shape[0]):
        for j in range(scores.shape[1]):
            if j != y[i]:
                m = max(0.0, scores[i, j] - scores[i, y[i]] + 1)
                total += m * m if squared else m
    return total / scores.shape[0]


def softmax_loop(scores, y):
    total = 0.0
    for i in range(scores.shape[0]):
        exps = [math.exp(s) for s in scores[i]]
        total += -math.log(exps[y[i]] / sum(exps))
    return total / scores.shape[0]


def attribute_hinge_loop(scores, Y):
    return sum(max(0.0, 1 - Y[i, j] * scores[i, j])
               for i in range(scores.shape[0]) for j in range(scores.shape[1])) / scores.shape[0]


def attribute_logistic_loop(scores, Y):
    total = 0.0
    for i in range(scores.shape[0]):
        for j in range(scores.shape[1]):
            s = 1 / (1 + math.exp(-scores[i, j]))
            total -= Y[i, j] * math.log(s) + (1 - Y[i, j]) * math.log(1 - s)
    return total / scores.shape[0]


# ---------------------------------------------------------------------- SVM
def test_svm_loss_matches_loop():
    for seed in range(5):
        scores, y = class_data(N=8, C=6, seed=seed)
        loss, _ = svm_loss(scores, y)
        assert loss == pytest.approx(svm_loop(scores, y), rel=1e-12)


def test_svm_loss_equal_scores_gives_C_minus_1():
    # All scores equal: every j != y contributes the margin 1.
    loss, _ = svm_loss(np.zeros((4, 10)), np.arange(4))
    assert loss == pytest.approx(9.0)


def test_svm_loss_gradient():
    scores, y = hinge_scores_away_from_kinks()
    _, dscores = svm_loss(scores, y)
    assert rel_error(dscores, numerical_grad(lambda s: svm_loss(s, y), scores)) < 1e-7


def test_squared_hinge_loss_matches_loop_and_gradient():
    for seed in range(5):
        scores, y = class_data(N=8, C=6, seed=seed)
        loss, _ = squared_hinge_loss(scores, y)
        assert loss == pytest.approx(svm_loop(scores, y, squared=True), rel=1e-12)
    scores, y = hinge_scores_away_from_kinks(seed=1)
    _, dscores = squared_hinge_loss(scores, y)
    assert rel_error(dscores, numerical_grad(lambda s: squared_hinge_loss(s, y), scores)) < 1e-7


def test_squared_hinge_excludes_correct_class():
    # Equal scores: each of the C - 1 wrong classes gives max(0, 1)^2 = 1.
    loss, dscores = squared_hinge_loss(np.zeros((3, 4)), np.array([0, 1, 2]))
    assert loss == pytest.approx(3.0)
    assert np.allclose(dscores.sum(axis=1), 0)


# ------------------------------------------------------------------ softmax
def test_softmax_loss_matches_loop():
    for seed in range(5):
        scores, y = class_data(N=8, C=6, seed=seed, scale=3.0)
        loss, _ = softmax_loss(scores, y)
        assert loss == pytest.approx(softmax_loop(scores, y), rel=1e-12)


def test_softmax_loss_uniform_scores_gives_log_C():
    loss, _ = softmax_loss(np.zeros((5, 10)), np.arange(5))
    assert loss == pytest.approx(np.log(10))


def test_softmax_loss_gradient():
    scores, y = class_data(seed=3)
    _, dscores = softmax_loss(scores, y)
    assert rel_error(dscores, numerical_grad(lambda s: softmax_loss(s, y), scores)) < 1e-7
    assert np.allclose(dscores.sum(axis=1), 0)


# --------------------------------------------------------------- attributes
def test_attribute_hinge_loss_matches_loop_and_gradient():
    rng = rng_for(4)
    scores = rng.standard_normal((6, 5))
    Y = rng.choice([-1, 1], size=(6, 5))
    loss, _ = attribute_hinge_loss(scores, Y)
    assert loss == pytest.approx(attribute_hinge_loop(scores, Y), rel=1e-12)
    scores[np.abs(1 - Y * scores) < 1e-3] += 0.01          # move off the kinks
    _, dscores = attribute_hinge_loss(scores, Y)
    assert rel_error(dscores, numerical_grad(lambda s: attribute_hinge_loss(s, Y), scores)) < 1e-7


def test_attribute_logistic_loss_matches_loop_and_gradient():
    rng = rng_for(5)
    scores = 2 * rng.standard_normal((6, 5))
    Y = rng.integers(0, 2, size=(6, 5))
    loss, dscores = attribute_logistic_loss(scores, Y)
    assert loss == pytest.approx(attribute_logistic_loop(scores, Y), rel=1e-12)
    assert rel_error(dscores, numerical_grad(lambda s: attribute_logistic_loss(s, Y), scores)) < 1e-7
    # The gradient of the loss is sigma(f) - y (the notes write y - sigma(f):
    # the gradient of the log-likelihood, which is maximized).
    assert np.allclose(dscores, (1 / (1 + np.exp(-scores)) - Y) / 6)


# --------------------------------------------------------------- regression
@pytest.mark.parametrize("shape", [(7,), (7, 3)])
def test_regression_losses_match_loops_and_gradients(shape):
    rng = rng_for(6)
    pred, target = rng.standard_normal(shape), rng.standard_normal(shape)
    P, T = pred.reshape(7, -1), target.reshape(7, -1)
    l2_loop = sum(sum((P[i, j] - T[i, j]) ** 2 for j in range(P.shape[1])) for i in range(7)) / 7
    l1_loop = sum(sum(abs(P[i, j] - T[i, j]) for j in range(P.shape[1])) for i in range(7)) / 7

    loss2, dpred2 = l2_regression_loss(pred, target)
    loss1, dpred1 = l1_regression_loss(pred, target)
    assert loss2 == pytest.approx(l2_loop, rel=1e-12)
    assert loss1 == pytest.approx(l1_loop, rel=1e-12)
    assert dpred2.shape == shape and dpred1.shape == shape
    assert rel_error(dpred2, numerical_grad(lambda p: l2_regression_loss(p, target), pred)) < 1e-7
    assert rel_error(dpred1, numerical_grad(lambda p: l1_regression_loss(p, target), pred)) < 1e-7


def test_l2_regression_outlier_gets_a_large_gradient_l1_does_not():
    pred = np.array([0.0, 0.0, 0.0, 100.0])
    target = np.zeros(4)
    _, d2 = l2_regression_loss(pred, target)
    _, d1 = l1_regression_loss(pred, target)
    assert d2[3] == pytest.approx(2 * 100 / 4)
    assert d1[3] == pytest.approx(1 / 4)


# ----------------------------------------------------- hierarchical softmax
def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def walk_tree_probability(h_row, tree, c):
    """P(c | h) by walking the tree the code matrix describes, from the root.

    The root is the node on every leaf's path; at node j the classes split by
    the sign of tree[:, j]; the next node is the one whose leaves are exactly
    the side we went to. Independent of the vectorized formula.
    """
    C = tree.shape[0]
    leaves = set(range(C))
    node = next(j for j in range(C - 1) if np.all(tree[:, j] != 0))
    prob = 1.0
    while True:
        side = tree[c, node]
        prob *= sigmoid(h_row[node]) if side == 1 else sigmoid(-h_row[node])
        leaves = {k for k in leaves if tree[k, node] == side}
        if len(leaves) == 1:
            return prob
        node = next(j for j in range(C - 1) if {k for k in range(C) if tree[k, j] != 0} == leaves)


def chain_tree(C):
    """A maximally unbalanced tree: node j separates class j (left) from j+1.. (right)."""
    tree = np.zeros((C, C - 1), dtype=int)
    for j in range(C - 1):
        tree[j, j] = -1
        tree[j + 1:, j] = 1
    return tree


@pytest.mark.parametrize("C", [2, 3, 5, 8, 10])
def test_balanced_tree_codes_shape_and_depth(C):
    tree = balanced_tree_codes(C)
    assert tree.shape == (C, C - 1)
    assert set(np.unique(tree)) <= {-1, 0, 1}
    depths = np.sum(tree != 0, axis=1)
    assert depths.max() == math.ceil(math.log2(C))          # balanced
    assert len({tuple(row) for row in tree}) == C            # one path per class


@pytest.mark.parametrize("C", [2, 3, 5, 8, 10])
@pytest.mark.parametrize("tree_kind", ["balanced", "chain"])
def test_hierarchical_probs_sum_to_one_and_match_walk(C, tree_kind):
    tree = balanced_tree_codes(C) if tree_kind == "balanced" else chain_tree(C)
    rng = rng_for(C)
    h = 2 * rng.standard_normal((4, C - 1))
    probs = hierarchical_softmax_probs(h, tree)
    assert probs.shape == (4, C)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-12)
    for i in range(4):
        for c in range(C):
            assert probs[i, c] == pytest.approx(walk_tree_probability(h[i], tree, c), rel=1e-12)


@pytest.mark.parametrize("C", [2, 3, 5, 8, 10])
def test_hierarchical_loss_matches_walk_and_gradient(C):
    tree = balanced_tree_codes(C)
    rng = rng_for(10 + C)
    h = rng.standard_normal((6, C - 1))
    y = rng.integers(0, C, size=6)
    loss, dh = hierarchical_softmax_loss(h, y, tree)
    brute = -np.mean([math.log(walk_tree_probability(h[i], tree, y[i])) for i in range(6)])
    assert loss == pytest.approx(brute, rel=1e-12)
    assert rel_error(dh, numerical_grad(lambda z: hierarchical_softmax_loss(z, y, tree), h)) < 1e-7
    # Nodes that are not on the path of y_i get no gradient.
    assert np.all(dh[tree[y] == 0] == 0)


def test_hierarchical_three_classes_by_hand():
    # Root node 0: class 0 left, classes 1 and 2 right; node 1 splits 1 | 2.
    tree = np.array([[-1, 0], [1, -1], [1, 1]])
    h = np.array([[0.3, -1.2]])
    s = lambda z: 1 / (1 + np.exp(-z))
    expected = [s(-0.3), s(0.3) * s(1.2), s(0.3) * s(-1.2)]
    assert np.allclose(hierarchical_softmax_probs(h, tree), [expected])
    loss, _ = hierarchical_softmax_loss(h, np.array([2]), tree)
    assert loss == pytest.approx(-np.log(expected[2]))


def test_hierarchical_two_classes_is_logistic_regression():
    # One node: class 1 is its right leaf, P(1 | h) = sigma(h).
    tree = balanced_tree_codes(2)
    assert tree.tolist() == [[-1], [1]]
    h = np.array([[0.7], [-2.0], [3.0]])
    y = np.array([1, 0, 0])
    loss, dh = hierarchical_softmax_loss(h, y, tree)
    ref_loss, ref_d = attribute_logistic_loss(h, y[:, None])
    assert loss == pytest.approx(ref_loss)
    assert np.allclose(dh, ref_d)


# ---------------------------------------------------------------- stability
def test_all_losses_stable_at_scores_1e3():
    rng = rng_for(7)
    N, C = 6, 5
    scores = 1e3 * rng.choice([-1.0, 1.0], size=(N, C)) * rng.uniform(0.5, 1, size=(N, C))
    y = rng.integers(0, C, size=N)
    Ypm = rng.choice([-1, 1], size=(N, C))
    Y01 = (Ypm > 0).astype(int)
    tree = balanced_tree_codes(C)
    with np.errstate(**UNSTABLE):
        results = [
            svm_loss(scores, y), squared_hinge_loss(scores, y), softmax_loss(scores, y),
            attribute_hinge_loss(scores, Ypm), attribute_logistic_loss(scores, Y01),
            l2_regression_loss(scores, -scores), l1_regression_loss(scores, -scores),
            hierarchical_softmax_loss(scores[:, :C - 1], y, tree),
        ]
        probs = hierarchical_softmax_probs(scores[:, :C - 1], tree)
    for loss, grad in results:
        assert np.isfinite(loss) and np.all(np.isfinite(grad))
    assert np.all(np.isfinite(probs)) and np.allclose(probs.sum(axis=1), 1)


def test_stable_losses_have_the_right_values_at_1e3():
    with np.errstate(**UNSTABLE):
        scores = np.array([[1000.0, 0.0, -1000.0]])
        assert softmax_loss(scores, np.array([0]))[0] == pytest.approx(0.0, abs=1e-12)
        assert softmax_loss(scores, np.array([2]))[0] == pytest.approx(2000.0)
        loss, d = softmax_loss(scores, np.array([2]))
        assert np.allclose(d, [[1, 0, -1]])
        f = np.array([[1000.0, -1000.0]])
        assert attribute_logistic_loss(f, np.array([[1, 0]]))[0] == pytest.approx(0.0, abs=1e-12)
        loss, d = attribute_logistic_loss(f, np.array([[0, 1]]))
        assert loss == pytest.approx(2000.0)
        assert np.allclose(d, [[1, -1]])
        # h = 1000 at the single node: class 1 (right) is certain, class 0 costs 1000.
        assert hierarchical_softmax_loss(np.array([[1000.0]]), np.array([0]), balanced_tree_codes(2))[0] \
            == pytest.approx(1000.0)


# --------------------------------------------------------------- validation
def test_inputs_are_not_modified():
    scores, y = class_data()
    Y = (scores > 0).astype(int)
    tree = balanced_tree_codes(5)
    copies = [a.copy() for a in (scores, y, Y, tree)]
    for fn in (svm_loss, squared_hinge_loss, softmax_loss):
        fn(scores, y)
    attribute_hinge_loss(scores, 2 * Y - 1)
    attribute_logistic_loss(scores, Y)
    l2_regression_loss(scores, -scores)
    l1_regression_loss(scores, -scores)
    hierarchical_softmax_loss(scores[:, :4], y, tree)
    for before, after in zip(copies, (scores, y, Y, tree)):
        assert np.array_equal(before, after)


@pytest.mark.parametrize("fn", [svm_loss, squared_hinge_loss, softmax_loss])
def test_classification_validation(fn):
    scores, y = class_data(N=4, C=3)
    with pytest.raises(ValueError, match="2-D"):
        fn(scores[0], y)
    with pytest.raises(ValueError, match="NaN"):
        fn(np.where(scores > 0, np.nan, scores), y)
    with pytest.raises(ValueError, match="shape"):
        fn(scores, y[:3])
    with pytest.raises(ValueError, match="integer"):
        fn(scores, y.astype(float))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        fn(scores, np.array([0, 1, 2, 3]))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        fn(scores, np.array([0, -1, 2, 1]))


def test_attribute_validation():
    scores = np.zeros((3, 4))
    with pytest.raises(ValueError, match="values"):
        attribute_hinge_loss(scores, np.zeros((3, 4)))            # 0 is not a +-1 label
    with pytest.raises(ValueError, match="values"):
        attribute_logistic_loss(scores, -np.ones((3, 4)))         # -1 is not a 0/1 label
    with pytest.raises(ValueError, match="shape"):
        attribute_logistic_loss(scores, np.ones((4, 3)))
    with pytest.raises(ValueError, match="NaN"):
        attribute_hinge_loss(np.full((3, 4), np.nan), np.ones((3, 4)))


def test_regression_validation():
    with pytest.raises(ValueError, match="same shape"):
        l2_regression_loss(np.zeros(5), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="NaN"):
        l1_regression_loss(np.zeros(5), np.array([0, 0, np.inf, 0, 0]))
    with pytest.raises(ValueError, match=r"\(N,\) or \(N, D\)"):
        l2_regression_loss(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))


def test_hierarchical_validation():
    tree = balanced_tree_codes(4)
    h = np.zeros((2, 3))
    with pytest.raises(ValueError, match="one column per internal node"):
        hierarchical_softmax_loss(np.zeros((2, 4)), np.array([0, 1]), tree)
    with pytest.raises(ValueError, match=r"\[0, 4\)"):
        hierarchical_softmax_loss(h, np.array([0, 4]), tree)
    with pytest.raises(ValueError, match=r"\(C, C-1\)"):
        hierarchical_softmax_probs(h, np.zeros((4, 4)))
    with pytest.raises(ValueError, match="-1"):
        hierarchical_softmax_probs(h, 2 * tree)
    bad = tree.copy()
    bad[:, 0] = -1                                                 # root with no right side
    with pytest.raises(ValueError, match="both"):
        hierarchical_softmax_probs(h, bad)
    bad = chain_tree(4)
    bad[3, 1] = 0                          # leaf 3 skips node 1: paths no longer form a tree
    with pytest.raises(ValueError, match="full binary tree"):
        hierarchical_softmax_probs(h, bad)
    for C in (1, 2.0, True):
        with pytest.raises(ValueError, match="integer >= 2"):
            balanced_tree_codes(C)
