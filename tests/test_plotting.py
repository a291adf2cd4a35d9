"""Tests for cs231n_support.plotting, with the non-interactive Agg backend."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cs231n_support.plotting import (plot_curves, plot_decision_boundary,  # noqa: E402
                                     plot_function_and_gradient, show_image_grid)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def three_points():
    X = np.array([[-1.0, -1.0], [1.0, -1.0], [0.0, 1.0]])
    y = np.array([0, 1, 2])
    return X, y


def by_x_sign(points):
    """Class 1 right of the y axis, class 0 left of it."""
    return (points[:, 0] > 0).astype(int)


# ---------------------------------------------------------------------------
# plot_decision_boundary
# ---------------------------------------------------------------------------

def assert_points_coloured_like_regions(ax, y):
    """Each scattered point has the colour of its class's region (up to alpha),
    and the classes have different colours."""
    ax.figure.canvas.draw()  # colours are mapped when drawn
    contour, points = ax.collections[:2]
    region_colours = contour.get_facecolor()[:, :3]
    np.testing.assert_allclose(points.get_facecolors()[:, :3], region_colours[y])
    assert len(np.unique(region_colours.round(6), axis=0)) == len(region_colours)


def test_decision_boundary_levels_colours_and_regions():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [-2.0, 1.0], [2.0, -1.0]])
    y = np.array([0, 1, 0, 1])
    ax = plot_decision_boundary(by_x_sign, X, y, resolution=50, title="sign")
    contour = ax.collections[0]
    np.testing.assert_allclose(contour.levels, [-0.5, 0.5, 1.5])
    assert contour.cmap.N == 2
    assert ax.get_title() == "sign"
    # the band of class 1 lies right of x = 0 (up to one grid step), class 0 left
    step = (2.0 + 2 * 0.5) * 2 / 49
    paths = contour.get_paths()
    assert paths[0].vertices[:, 0].max() <= step
    assert paths[1].vertices[:, 0].min() >= -step
    # the scatter shows the 4 points coloured with the same colormap
    points = ax.collections[1]
    np.testing.assert_array_equal(points.get_offsets(), X)
    np.testing.assert_array_equal(points.get_array(), y)
    assert_points_coloured_like_regions(ax, y)
    # the view is the data plus the padding
    assert ax.get_xlim() == pytest.approx((-2.5, 2.5)) and ax.get_ylim() == pytest.approx((-1.5, 1.5))


def test_decision_boundary_accepts_scores_and_an_axes():
    X, y = three_points()
    centres = X.copy()

    def scores(points):  # (M, 3): minus the squared distance to each class centre
        return -((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)

    fig, ax = plt.subplots()
    out = plot_decision_boundary(scores, X, y, ax=ax, resolution=30)
    assert out is ax
    contour = ax.collections[0]
    assert len(contour.levels) == 4 and contour.cmap.N == 3
    # the nearest centre wins: each centre lies in its own class's region only
    for k, centre in enumerate(centres):
        inside = [path.contains_point(centre) for path in contour.get_paths()]
        assert inside == [j == k for j in range(3)]
    assert_points_coloured_like_regions(ax, y)


def test_decision_boundary_validates():
    X, y = three_points()
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        plot_decision_boundary(by_x_sign, np.zeros((3, 3)), y)
    with pytest.raises(ValueError, match="integer labels"):
        plot_decision_boundary(by_x_sign, X, y.astype(float))
    with pytest.raises(ValueError, match="predict must return"):
        plot_decision_boundary(lambda p: np.zeros(5, int), X, y, resolution=10)


# ---------------------------------------------------------------------------
# show_image_grid
# ---------------------------------------------------------------------------

def test_image_grid_colour_and_normalization():
    rng = np.random.default_rng(0)
    images = rng.uniform(-50, 300, size=(5, 4, 4, 3))
    fig = show_image_grid(images, 2, 3, titles=list("abcde"))
    assert len(fig.axes) == 6
    shown = fig.axes[2].images[0].get_array()
    expected = (images[2] - images[2].min()) / (images[2].max() - images[2].min())
    np.testing.assert_allclose(shown, expected)
    assert fig.axes[4].get_title() == "e"
    assert len(fig.axes[5].images) == 0  # the sixth cell is blank
    assert all(not ax.axison for ax in fig.axes)


def test_image_grid_grey_and_no_normalization():
    images = np.linspace(0, 1, 2 * 3 * 3).reshape(2, 3, 3)
    fig = plt.figure()
    out = show_image_grid(images, 1, 2, fig=fig, normalize=False)
    assert out is fig and len(fig.axes) == 2
    np.testing.assert_allclose(fig.axes[1].images[0].get_array(), images[1])
    assert fig.axes[1].images[0].get_cmap().name == "gray"


def test_image_grid_uint8():
    images = np.full((1, 2, 2, 3), 255, dtype=np.uint8)
    fig = show_image_grid(images, 1, 1, normalize=False)
    np.testing.assert_allclose(fig.axes[0].images[0].get_array(), 1.0)


def test_image_grid_validates():
    with pytest.raises(ValueError, match="do not fit"):
        show_image_grid(np.zeros((5, 2, 2)), 2, 2)
    with pytest.raises(ValueError, match=r"\(K, H, W, 3\)"):
        show_image_grid(np.zeros((2, 2, 2, 4)), 1, 2)
    with pytest.raises(ValueError, match="titles"):
        show_image_grid(np.zeros((2, 2, 2)), 1, 2, titles=["one"])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        show_image_grid(np.full((1, 2, 2), 2.0), 1, 1, normalize=False)


# ---------------------------------------------------------------------------
# plot_curves
# ---------------------------------------------------------------------------

def test_curves():
    curves = {"train": [3.0, 2.0, 1.0, 0.5], "val": np.array([3.5, 2.5, 2.0])}
    ax = plot_curves(curves, xlabel="epoch", ylabel="loss", logy=True, title="losses")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["train", "val"]
    np.testing.assert_array_equal(lines[0].get_ydata(), curves["train"])
    np.testing.assert_array_equal(lines[1].get_xdata(), [0, 1, 2])
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"
    assert ax.get_title() == "losses"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "val"]
    assert plot_curves({"acc": [0.1, 0.2]}, ylabel="accuracy").get_yscale() == "linear"


def test_curves_validate():
    with pytest.raises(ValueError, match="non-empty dict"):
        plot_curves({})
    with pytest.raises(ValueError, match="1-D"):
        plot_curves({"bad": [[1, 2], [3, 4]]})


# ---------------------------------------------------------------------------
# plot_function_and_gradient
# ---------------------------------------------------------------------------

def test_function_and_gradient():
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    fig, ax = plt.subplots()
    out = plot_function_and_gradient(sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x)),
                                     x_range=(-3, 3), ax=ax, title="sigmoid")
    assert out is ax and ax.get_title() == "sigmoid"
    f_line, df_line = [line for line in ax.get_lines() if line.get_label() in ("f(x)", "df/dx")]
    x = f_line.get_xdata()
    assert x[0] == -3 and x[-1] == 3
    np.testing.assert_allclose(f_line.get_ydata(), 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(df_line.get_ydata(), np.exp(-x) / (1 + np.exp(-x)) ** 2)
    assert df_line.get_linestyle() == "--"


def test_function_and_gradient_validates():
    with pytest.raises(ValueError, match="low < high"):
        plot_function_and_gradient(np.tanh, np.tanh, x_range=(1, -1))
    with pytest.raises(ValueError, match="df must map"):
        plot_function_and_gradient(np.tanh, lambda x: 1.0)
