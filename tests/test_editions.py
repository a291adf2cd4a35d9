"""The Korean edition: one source (the English notebooks) and a translation of what a person reads.

- every cell a person reads has a Korean text that translates the current English one;
- the two editions have the same code (syntax trees with comments and strings set aside),
  the same cells, grade ids and points;
- every glossary term is translated one way throughout, with the English in parentheses at
  its first use in each notebook; the translator's notes are where the notebooks teach them;
- Hangul in every plot with the font from pip, and the minus sign drawable.
"""
import io
import json
import re
import warnings

import pytest

from cs231n_course.editions import (Translation, build_edition, code_shape, english_hash, notebook_of, problems,
                                    source_text, translation_path)
from conftest import NOTEBOOKS, ROOT

ASSIGNMENTS = sorted(p.parent.name for p in NOTEBOOKS.glob("*/*.ipynb"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def translation(assignment):
    return Translation.read(translation_path(ROOT, "ko", assignment))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_cell_a_person_reads_has_an_up_to_date_korean_text(assignment):
    found = problems(notebook_of(ROOT, assignment), translation(assignment), "ko")
    assert not found, "\n".join(found)


def test_a_changed_english_cell_or_changed_code_is_refused():
    nb, tr = notebook_of(ROOT, "01_neurons"), translation("01_neurons")
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code" and c["id"] in tr.blocks)
    nb["cells"][0]["source"] = source_text(nb["cells"][0]) + "\nOne more sentence."
    tr.blocks[first_code["id"]].text += "\nx_extra = 1"
    found = "\n".join(problems(nb, tr, "ko"))
    assert f"cell {nb['cells'][0]['id']} (markdown): stale" in found
    assert f"cell {first_code['id']} (code): the code differs" in found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_both_editions_have_the_same_code_cells_ids_and_points(assignment):
    en = notebook_of(ROOT, assignment)
    ko = build_edition(en, translation(assignment), "ko")
    assert [(c["cell_type"], c.get("id"), c.get("metadata")) for c in en["cells"]] == \
        [(c["cell_type"], c.get("id"), c.get("metadata")) for c in ko["cells"]]
    for a, b in zip(en["cells"], ko["cells"]):
        if a["cell_type"] == "code":
            assert code_shape(source_text(a)) == code_shape(source_text(b)), a["id"]
        if a["cell_type"] == "markdown" and english_hash(a) != english_hash(b):
            assert HANGUL.search(source_text(b)), a["id"]


# ---------------------------------------------------------------------------
# Terms

def glossary(section=0):
    """[(English, Korean)] of docs/glossary.ko.md: its terms (section 0) or its course words (section 1)."""
    rows = []
    text = (ROOT / "docs" / "glossary.ko.md").read_text(encoding="utf-8")
    part = re.split(r"(?m)^## ", text)[section]
    for line in part.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and cells[0] not in ("English", "---") \
                and not set(cells[0]) <= {"-"}:
            rows.append((cells[0], cells[1]))
    return rows


def prose(text):
    """Markdown without code spans, code blocks and formulas."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    return re.sub(r"`[^`]*`|\$[^$]*\$", " ", text)


def core(term):
    """A glossary term without its parenthesised part: "stochastic gradient descent (SGD)" -> "... descent"."""
    return re.sub(r"\s*\(.*?\)", "", term).strip()


def english_pattern(term):
    words = [re.escape(w) for w in core(term).split()]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?:s|es)?(?![\w-])", re.I)


def without_longer_terms(text, term, others, pattern):
    """``text`` with the occurrences of longer terms that contain ``term`` blanked out."""
    for other in sorted(others, key=len, reverse=True):
        if len(other) > len(term) and term.lower() in other.lower():
            text = pattern(other).sub(lambda m: " " * len(m.group(0)), text)
    return text


def test_the_glossary_gives_each_term_one_korean_rendering():
    rows = glossary() + glossary(1)
    assert len(rows) >= 80
    english = [e.lower() for e, _ in rows]
    korean = [k for _, k in rows]
    assert len(set(english)) == len(english)
    assert len(set(korean)) == len(korean), [k for k in korean if korean.count(k) > 1]


def markdown_pairs(assignment):
    en = notebook_of(ROOT, assignment)
    ko = build_edition(en, translation(assignment), "ko")
    return [(prose(source_text(a)), prose(source_text(b))) for a, b in zip(en["cells"], ko["cells"])
            if a["cell_type"] == "markdown"]


# Phrases where a glossary word has another sense than the glossary's (masked before the check).
OTHER_SENSES = {
    "unit": r"unit[\s-]+(?:eigenvectors?|variance|norm|length|gaussian|vectors?|sphere|circle|step)|\(or units\)"
            r"|units? of measurement|measurement units?",
}


def masked(text, term):
    other = OTHER_SENSES.get(core(term).lower())
    return re.sub(other, lambda m: " " * len(m.group(0)), text, flags=re.I) if other else text


# Terms whose Korean is the English word itself, or too short to look for on its own.
SAME_IN_BOTH = {e for e, k in glossary() if e.lower() == k.lower()}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_glossary_term_is_translated_one_way(assignment):
    missing, english_terms = [], [core(e) for e, _ in glossary()]
    for en_text, ko_text in markdown_pairs(assignment):
        for en, ko in glossary():
            alone = without_longer_terms(masked(en_text, en), core(en), english_terms, english_pattern)
            if en not in SAME_IN_BOTH and english_pattern(en).search(alone) and ko not in ko_text:
                missing.append(f"{en!r} -> {ko!r} not in: {ko_text[:80]!r}")
    assert not missing, "\n".join(missing[:40])


def without_headings(text):
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_first_use_of_each_term_gives_the_english_in_parentheses(assignment):
    """For each glossary term of the notebook's English: the first cell whose Korean uses it gives the
    English in parentheses right after it (a particle or ending may come between, as in 포화된(saturated))."""
    pairs = markdown_pairs(assignment)
    english = "\n".join(en for en, _ in pairs)
    english_terms, korean_terms = [core(e) for e, _ in glossary()], [k for _, k in glossary()]
    missing = []
    for en, ko in glossary():
        alone = without_longer_terms(masked(english, en), core(en), english_terms, english_pattern)
        if en in SAME_IN_BOTH or not english_pattern(en).search(alone):
            continue
        cells = [without_longer_terms(k, ko, korean_terms, lambda t: re.compile(re.escape(t))) for _, k in pairs]
        first = next((text for text in cells if ko in without_headings(text)), None)   # a title is not a use
        stem = re.escape(core(en)[:max(4, len(core(en)) - 3)])
        if first is not None and not re.search(re.escape(ko) + r"[^\s(]{0,4}\s?\(" + stem, first, re.I):
            at = first.index(ko)
            missing.append(f"{ko}({core(en)}) in the first cell that uses it: {first[max(0, at - 30):at + 50]!r}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_course_words_are_translated_one_way(assignment):
    words = glossary(1)
    assert len(words) >= 10
    missing = [f"{en!r} -> {ko!r} not in: {ko_text[:80]!r}" for en_text, ko_text in markdown_pairs(assignment)
               for en, ko in words if english_pattern(en).search(en_text) and ko not in ko_text
               and not english_pattern(en).search(ko_text)]          # kept as a code name, e.g. `momentum`
    assert not missing, "\n".join(missing)


TRANSLATOR_NOTES = {             # notebook -> what each note must speak of
    "01_neurons": [r"큰 생각\s?없이"],
    "02_activations": [r"Leaky ReLU"],
    "04_preprocessing": [r"제곱근"],
    "05_init": [r"항등 분산", r"sqrt\(2\s*/\s*n\)|√\(2/n\)|\\sqrt\{2\s*/\s*n\}"],
    "06_regularization": [r"p\s*=\s*0\.5"],
    "07_losses": [r"배타적", r"\\sigma\(f_?j?\)\s*-\s*y|σ\(f\)\s*-\s*y"],
}


@pytest.mark.parametrize("assignment", sorted(TRANSLATOR_NOTES))
def test_translators_notes_are_where_the_notebooks_teach_them(assignment):
    notes = [source_text(c) for c in build_edition(notebook_of(ROOT, assignment), translation(assignment),
                                                    "ko")["cells"] if "역자 주" in source_text(c)]
    for pattern in TRANSLATOR_NOTES[assignment]:
        assert any(re.search(pattern, n) for n in notes), f"{assignment}: no translator's note on {pattern}"


# ---------------------------------------------------------------------------
# Hangul in plots

class caplog_of:
    """The messages logged by ``logger`` (and below) while the block runs (matplotlib logs missing math glyphs)."""

    def __init__(self, logger):
        import logging
        self.logger, self.messages = logging.getLogger(logger), []
        self.handler = logging.Handler()
        self.handler.emit = lambda record: self.messages.append(record.getMessage())

    def __enter__(self):
        self.logger.addHandler(self.handler)
        return self.messages

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)


def test_korean_plots_have_every_glyph_with_the_font_from_pip():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cs231n_support import i18n
    before = dict(matplotlib.rcParams)
    try:
        i18n.use("ko")
        fig, (ax, log) = plt.subplots(1, 2)
        ax.plot([-2, -1, 0, 1], [1, -1, 2, -3], label=r"$(1-\eta\lambda)^t$: 학습 손실")   # text and math
        ax.set(title="활성화 함수의 그래디언트 −1", xlabel="입력 x", ylabel="출력")
        ax.legend()
        log.loglog([1e-3, 1.0, 1e3], [1e-2, 1.0, 1e2])          # math-text ticks with U+2212: 10^-3
        log.set_title("로그 축")
        with warnings.catch_warnings(record=True) as caught, caplog_of("matplotlib") as logged:
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
        problems = [str(w.message) for w in caught if "missing from font" in str(w.message)] + \
            [m for m in logged if "glyph" in m]
        assert not problems, problems
        assert str(i18n.korean_font_file()).endswith("NanumGothic.ttf")
        assert "site-packages" in str(i18n.korean_font_file())       # from pip, not a system font
    finally:
        i18n.use("en")
        matplotlib.rcParams.update(before)


def test_without_the_korean_setup_hangul_is_missing():
    # The check above can fail: the default font has no Hangul.
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("활성화 함수")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    assert any("missing from font" in str(w.message) for w in caught)
    from matplotlib import font_manager
    from cs231n_support import i18n
    font_manager.fontManager.addfont(str(i18n.korean_font_file()))
    with matplotlib.rc_context({"font.family": ["NanumGothic"]}):           # Hangul, but no math minus
        fig, ax = plt.subplots()
        ax.loglog([1e-3, 1.0], [1e-3, 1.0])
        with caplog_of("matplotlib") as logged:
            fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    assert any("glyph" in m for m in logged), logged


def test_messages_have_a_korean_template_with_the_same_fields():
    import ast
    import string
    from cs231n_support.messages_ko import KO
    package = ROOT / "student" / "cs231n_support"
    templates = set()
    for path in list(package.glob("*.py")) + list((ROOT / "instructor" / "cs231n_course").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "t" \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                templates.add(node.args[0].value)
    assert len(templates) >= 20
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)
    missing = [t for t in templates if t not in KO]
    assert not missing, missing
    assert all(fields(KO[t]) == fields(t) for t in templates), [t for t in templates if fields(KO[t]) != fields(t)]
    assert all(HANGUL.search(KO[t]) for t in templates)
    assert not set(KO) - templates, f"Korean templates no code uses: {sorted(set(KO) - templates)[:5]}"


# ---------------------------------------------------------------------------
# JupyterLab in Korean

@pytest.mark.slow
def test_jupyterlab_lists_and_loads_the_korean_locale(tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    import jupyterlab
    assert jupyterlab.__version__.startswith("4.5."), jupyterlab.__version__     # the pack is published for 4.5
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
                               "--ip=127.0.0.1", "--ServerApp.token=cs231n", f"--ServerApp.root_dir={tmp_path}",
                               "--allow-root"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def get(path):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}?token=cs231n", timeout=10) as r:
            return json.loads(r.read())
    try:
        for _ in range(120):
            try:
                listed = get("/lab/api/translations/")["data"]
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        assert "ko_KR" in listed and HANGUL.search(listed["ko_KR"]["nativeName"])
        catalog = get("/lab/api/translations/ko_KR")["data"]["jupyterlab"]
        assert catalog["Edit"] == ["편집"] and catalog["Settings"] == ["설정"]
    finally:
        server.terminate()
        server.wait(timeout=30)
