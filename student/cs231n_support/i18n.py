"""The language of what the course's code tells a student: messages, hints, plot labels, the font.

Every notebook's imports cell says which edition it belongs to:

    i18n.use("en")        # the English edition
    i18n.use("ko")        # the Korean edition: messages in Korean, Hangul in every plot

A message is written once, in English, as a template; ``t`` gives it in the
language in use (the Korean templates are in ``messages_ko.py``; a test checks
that every template has one, with the same fields):

    raise GradingError(t("{name}: expected a tuple of {n} values, got {got}", name=name, n=3, got=got))

Without ``use``, the language is the environment variable ``CS231N_LANG`` if
set, else English.
"""
import importlib.util
import os
from pathlib import Path

LANGUAGES = ("en", "ko")
KOREAN_FONT_PACKAGE = "koreanize_matplotlib"      # ships the OFL font NanumGothic, installed by pip
KOREAN_FONT = "NanumGothic"

_lang = os.environ.get("CS231N_LANG", "en") if os.environ.get("CS231N_LANG", "en") in LANGUAGES else "en"


def use(lang):
    """Use ``lang`` ("en" or "ko") from now on; for Korean, set matplotlib up to draw Hangul."""
    global _lang
    if lang not in LANGUAGES:
        raise ValueError(f"i18n.use: unknown language {lang!r}; expected one of {LANGUAGES}")
    _lang = lang
    if lang == "ko":
        use_korean_font()
    return lang


def current():
    return _lang


def t(template, **fields):
    """``template`` in the language in use, with ``fields`` filled in (str.format)."""
    if _lang == "ko":
        from .messages_ko import KO
        template = KO.get(template, template)
    return template.format(**fields) if fields else template


def korean_font_file():
    """The NanumGothic font file of the pip package that ships it (no system font is assumed)."""
    spec = importlib.util.find_spec(KOREAN_FONT_PACKAGE)
    if spec is None or spec.origin is None:
        raise ImportError(t("the Korean edition draws Hangul with the font NanumGothic from the package "
                            "koreanize-matplotlib: pip install 'cs231n-support[ko]' (or koreanize-matplotlib)"))
    return Path(spec.origin).parent / "fonts" / f"{KOREAN_FONT}.ttf"


HANGUL_FAMILY = "CS231n Hangul"     # NanumGothic with a minus sign, made once in matplotlib's cache


def hangul_font_with_minus():
    """NanumGothic with U+2212 MINUS SIGN mapped to its hyphen, as a font file of its own.

    Matplotlib draws U+2212 in negative tick labels and always in math text
    (the ticks 10^-1 of a log axis), with the same font as the Hangul of a
    label that mixes text and math; NanumGothic lacks that one glyph. The
    derived font (OFL allows it; renamed as the licence asks) is written once
    into matplotlib's cache folder.
    """
    import matplotlib
    out = Path(matplotlib.get_cachedir()) / "cs231n-hangul.ttf"
    if out.exists():
        return out
    from fontTools.ttLib import TTFont
    font = TTFont(str(korean_font_file()))
    for table in font["cmap"].tables:
        if table.isUnicode() and 0x2212 not in table.cmap and 0x2D in table.cmap:
            table.cmap[0x2212] = table.cmap[0x2D]
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = HANGUL_FAMILY
        elif record.nameID == 4:
            record.string = f"{HANGUL_FAMILY} Regular"
        elif record.nameID == 6:
            record.string = "CS231nHangul-Regular"
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    font.save(str(tmp))
    os.replace(tmp, out)              # atomic: a concurrent reader sees the whole file or none
    return out


def use_korean_font():
    """Make Hangul drawable in every plot: the font NanumGothic (with a minus sign) for all text."""
    import matplotlib
    from matplotlib import font_manager
    path = hangul_font_with_minus()
    if HANGUL_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    # Text and math text's \mathdefault (tick labels, the words around a formula) in the Hangul font;
    # DejaVu Sans after it for any glyph it lacks in plain text; formulas keep their math fonts.
    matplotlib.rcParams["font.family"] = [HANGUL_FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = True
