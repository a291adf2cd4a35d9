"""Class trees for 07_losses' hierarchical Softmax (a tool given to students, not an exercise).

Tree format. A binary tree has the C classes as leaves and C - 1 internal
nodes, each a binary (sigmoid) classifier with score h_j. The tree is a
(C, C-1) integer "code" matrix:
    tree[c, j] = +1  if the path from the root to leaf c goes RIGHT at node j
                 -1  if it goes LEFT at node j
                  0  if node j is not on the path to c.
Going right at node j has probability sigma(h_j), left sigma(-h_j), so
    P(c | h) = prod_{j on c's path} sigma(tree[c, j] * h_j).
With balanced trees a path has about log2(C) nodes instead of C classes.
"""
import numpy as np

from .i18n import t


def balanced_tree_codes(C):
    """Code matrix of a balanced binary tree over the classes 0 .. C-1.

    Each node splits its (contiguous) classes in two halves, the left half
    taking the extra class when the count is odd. Internal nodes are numbered
    level by level from the root (node 0). Works for any C >= 2.

    Returns: (C, C-1) int8 array with entries in {-1, 0, +1}.
    """
    if isinstance(C, bool) or not isinstance(C, (int, np.integer)) or C < 2:
        raise ValueError(t("balanced_tree_codes: C must be an integer >= 2; got {C!r}", C=C))
    tree = np.zeros((C, C - 1), dtype=np.int8)
    todo = [(0, C)]                       # class ranges [lo, hi) that need a node
    node = 0
    while node < len(todo):               # breadth-first: todo grows as we go
        lo, hi = todo[node]
        mid = (lo + hi + 1) // 2
        tree[lo:mid, node] = -1           # left half
        tree[mid:hi, node] = +1           # right half
        for a, b in ((lo, mid), (mid, hi)):
            if b - a >= 2:
                todo.append((a, b))
        node += 1
    return tree
