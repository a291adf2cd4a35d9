"""Notebook prose is reviewable as text: one sentence per line, rendering unchanged.

tools/reflow_notebooks.py puts every sentence of a markdown cell on its own
line.  These tests check that the committed notebooks are already reflowed,
that no prose line is a whole paragraph, that the reflow function handles the
tricky cases exactly, and that the inserted newlines change nothing in the
rendered HTML (Markdown renders a newline inside a paragraph as a space).
"""
import importlib.util
import re

import mistune
import nbformat
import pytest

from conftest import NOTEBOOKS, ROOT

_spec = importlib.util.spec_from_file_location("reflow_notebooks", ROOT / "tools" / "reflow_notebooks.py")
reflow_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reflow_notebooks)
reflow = reflow_notebooks.reflow

PATHS = sorted(NOTEBOOKS.glob("*/*.ipynb"))
MAX_LINE = 400          # a reflowed prose line; the old paragraphs went up to ~1,200
MAX_SENTENCE = 600      # even a single sentence that cannot be split


def markdown_cells():
    return [pytest.param(cell.source, id=f"{path.parent.name}-{cell.get('id', i)}")
            for path in PATHS
            for i, cell in enumerate(nbformat.read(path, as_version=4).cells)
            if cell.cell_type == "markdown"]


# -- collapsing the sentence newlines again, independently of the script -------

QUOTE = re.compile(r"(?: {0,3}> ?)*")
FENCE = re.compile(r" {0,3}(?:```|~~~)")
# A line that starts a block of its own and so never continues a paragraph.
BLOCK_START = re.compile(r" {0,3}(?:[-+*] |\d{1,9}[.)] |#|\||\$\$|```|~~~|<|$)")


def collapse(source):
    """Join every continuation line of a paragraph onto its first line with one space."""
    out = []
    joinable, prev_quote = False, None
    fence = maths = False
    for line in source.split("\n"):
        quote = QUOTE.match(line).group()
        body = line[len(quote):]
        if fence or FENCE.match(body):
            fence = fence != bool(FENCE.match(body))
            out.append(line)
            joinable = False
            continue
        if maths or body.lstrip().startswith("$$"):
            maths = maths != bool(body.count("$$") % 2)
            out.append(line)
            joinable = False
            continue
        if joinable and quote == prev_quote and not BLOCK_START.match(body):
            out[-1] += " " + body.lstrip()
        else:
            out.append(line)
        joinable = bool(body.strip()) and not re.match(r" {0,3}[#|]", body)
        prev_quote = quote
    return "\n".join(out)


def rendered(source):
    """mistune's HTML with every run of whitespace as one space (a soft break is a newline)."""
    return re.sub(r"\s+", " ", mistune.html(source)).strip()


def long_lines(source):
    """Prose lines that are too long: (length, line) pairs."""
    bad = []
    in_fence = in_maths = False
    for line in source.split("\n"):
        body = line.lstrip(" >")
        if FENCE.match(body):
            in_fence = not in_fence
            continue
        if in_fence or in_maths or body.startswith(("|", "$$")):
            if not in_fence and body.count("$$") % 2:
                in_maths = not in_maths
            continue                              # code, table rows, display maths
        if len(line) > MAX_SENTENCE:
            bad.append((len(line), line))
        elif len(line) > MAX_LINE and reflow_notebooks.sentence_breaks(body.lstrip("-+*0123456789.) ")):
            bad.append((len(line), line))         # more than one sentence: should have been split
    return bad


# -- the committed notebooks ----------------------------------------------------

def test_there_are_markdown_cells():
    assert len(markdown_cells()) > 50


@pytest.mark.parametrize("source", markdown_cells())
def test_committed_notebooks_are_reflowed(source):
    assert reflow(source) == source, \
        "markdown cell not reflowed: run `python tools/reflow_notebooks.py` and commit the notebooks"


@pytest.mark.parametrize("source", markdown_cells())
def test_no_prose_line_is_a_whole_paragraph(source):
    bad = long_lines(source)
    assert not bad, "prose line(s) too long (%d > %d characters):\n%s" % (
        bad[0][0], MAX_LINE, "\n".join(f"  [{n}] {line}" for n, line in bad))


@pytest.mark.parametrize("source", markdown_cells())
def test_sentence_newlines_render_as_spaces(source):
    assert rendered(source) == rendered(collapse(source))


def test_the_old_paragraphs_would_fail_the_length_check():
    """The check has teeth: the notebooks' paragraphs joined back into one line fail it."""
    failing = [cell.values[0] for cell in markdown_cells() if long_lines(collapse(cell.values[0]))]
    assert len(failing) >= 20
    longest = max(len(line) for source in failing for line in collapse(source).split("\n"))
    assert longest > 1000


# -- the reflow function on tricky strings --------------------------------------

TRICKY = {
    # inline code containing ". X" is one unit; the sentence after it is split
    "code": ("Call `np.linalg.eigh. Then` here. Then stop.",
             "Call `np.linalg.eigh. Then` here.\nThen stop."),
    "abbreviations": ("Use a prior, e.g. Foo bars, i.e. Bar, vs. Baz as in Fig. 3. Next one.",
                      "Use a prior, e.g. Foo bars, i.e. Bar, vs. Baz as in Fig. 3.\nNext one."),
    "numbers": ("A step of 3.5 and eps = 1e-7. Then 2.5 more. 10 units remain.",
                "A step of 3.5 and eps = 1e-7.\nThen 2.5 more.\n10 units remain."),
    "maths": ("$x = 1.5$. Next $a. B$ is maths. $y$ starts this one.",
              "$x = 1.5$.\nNext $a. B$ is maths.\n$y$ starts this one."),
    "display maths inline": ("Then $$a. B$$ holds. So it goes.",
                             "Then $$a. B$$ holds.\nSo it goes."),
    "bold and quotes": ('**Points.** Two things. He said "Stop." Then (see above.) Go!',
                        '**Points.**\nTwo things.\nHe said "Stop."\nThen (see above.)\nGo!'),
    "bullet item": ("- First point. Second point.\n- Third. Fourth.",
                    "- First point.\n  Second point.\n- Third.\n  Fourth."),
    "numbered item": ("1. Item one. Two.\n10. Ten. Eleven.",
                      "1. Item one.\n   Two.\n10. Ten.\n    Eleven."),
    "block quote": ("> *One sentence. Another one.*",
                    "> *One sentence.\n> Another one.*"),
    "table row": ("| a. B | c. D |\n|---|---|\n| e. F | g. H |",
                  "| a. B | c. D |\n|---|---|\n| e. F | g. H |"),
    "heading": ("## 1. Intro. More", "## 1. Intro. More"),
    "fenced code": ("```python\nx = 1. Y = 2\n```\nAfter. Then.",
                    "```python\nx = 1. Y = 2\n```\nAfter.\nThen."),
    "display maths block": ("$$a = 1. B\n= 2. C$$\nText. More.",
                            "$$a = 1. B\n= 2. C$$\nText.\nMore."),
    "link": ("See [Batch Norm. Paper](http://arxiv.org/abs/1502.03167. X) now. It helps.",
             "See [Batch Norm. Paper](http://arxiv.org/abs/1502.03167. X) now.\nIt helps."),
    "html and url": ('A <span title="a. B">tag</span> here. Go to http://x.org/a. B now.',
                     'A <span title="a. B">tag</span> here.\nGo to http://x.org/a. B now.'),
    # when unsure, do not split
    "unclosed dollar": ("It costs $5. Then more.", "It costs $5. Then more."),
    "initial and et al.": ("By A. Karpathy and Glorot et al. There it is.",
                           "By A. Karpathy and Glorot et al. There it is."),
    "would start a list": ("Year 2015. 3. Next", "Year 2015. 3.\nNext"),   # never a line "3. Next"
    "two spaces": ("One.  Two.", "One.  Two."),
    "lowercase next": ("The value is x. then y.", "The value is x. then y."),
}


@pytest.mark.parametrize("name", TRICKY)
def test_reflow_on_tricky_strings(name):
    text, expected = TRICKY[name]
    assert reflow(text) == expected
    assert reflow(expected) == expected, "not idempotent"


@pytest.mark.parametrize("name", TRICKY)
def test_collapsing_the_newlines_gives_back_the_original(name):
    text, _ = TRICKY[name]
    assert collapse(reflow(text)) == text
    assert rendered(reflow(text)) == rendered(text)
