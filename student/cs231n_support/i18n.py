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


def use_korean_font():
    """Register NanumGothic with matplotlib as the font for Hangul.

    NanumGothic has no U+2212 MINUS SIGN, which matplotlib draws in negative
    tick labels (``axes.unicode_minus``) and always in math text such as the
    ticks 10^-1 of a log axis. So DejaVu Sans (matplotlib's own font, which
    has it) comes first and NanumGothic draws what DejaVu Sans lacks: Hangul.
    """
    import matplotlib
    from matplotlib import font_manager
    path = korean_font_file()
    if KOREAN_FONT not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", KOREAN_FONT]
    matplotlib.rcParams["axes.unicode_minus"] = True
