#!/usr/bin/env python
"""Put every sentence of the notebooks' markdown prose on its own line.

"Semantic line breaks": a one-word change to a notebook then shows in a diff
as one changed sentence instead of a whole paragraph of up to 1,200
characters replaced.  Markdown renders a single newline inside a paragraph as
a space, so the rendered notebooks do not change.

    python tools/reflow_notebooks.py            # rewrite notebooks/*/*.ipynb
    python tools/reflow_notebooks.py --check    # exit 1 if a notebook would change

Only the `source` of markdown cells changes.  The script is conservative:

* a sentence ends at `.`, `?` or `!`, optionally followed by closing `)`, `*`,
  `_` or quotes, then exactly one space, then the start of the next sentence:
  an uppercase letter, a digit, `$`, a backtick or `(` (possibly behind an
  opening `*`, `_`, `[` or quote);
* never inside inline code, `$...$` / `$$...$$` maths, links and images
  (`[...](...)`), HTML tags or autolinks (`<...>`), bare URLs, nor after a
  backslash escape;
* not after abbreviations ("e.g.", "i.e.", "vs.", "Fig.", "et al.", ...) or a
  single capital letter (an initial);
* not where the new line would start a block of its own (`1. ` or `2) `
  would become an ordered list);
* headings, table rows, fenced code, display-maths lines, HTML blocks, link
  definitions and indented code are left exactly as they are; a line with an
  unclosed code span or maths is left as it is ("when unsure, do not split").

A break inside a list item continues on the next line indented to the item's
text; inside a block quote it continues with the same `> ` prefix.
"""
import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NBFORMAT_VERSION = 4          # the repository's notebooks are nbformat 4.5

# Words that end in a period without ending a sentence (compared lowercased,
# without the period).
ABBREVIATIONS = {
    "e.g", "i.e", "vs", "cf", "etc", "al", "fig", "figs", "eq", "eqs", "sec",
    "ch", "p", "pp", "vol", "ref", "refs", "approx", "resp",
    "dr", "mr", "mrs", "ms", "prof", "st", "ca", "incl", "esp", "viz",
}

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Prefix of a prose line: block-quote markers, then an optional list marker.
PREFIX = re.compile(r"^((?: {0,3}> ?)*)( {0,3}(?:[-+*]|\d{1,9}[.)]) +)?")
# A line left exactly as it is (after its block-quote prefix is removed).
VERBATIM = re.compile(
    r"^\s*$"                      # blank
    r"|^ {0,3}#"                  # ATX heading
    r"|^ {0,3}\|"                 # table row
    r"|^ {0,3}\$\$"               # display maths
    r"|^ {0,3}<"                  # HTML block
    r"|^ {0,3}\[[^\]]+\]:"        # link reference definition
    r"|^ {0,3}(?:[-*_] *){3,}$"   # thematic break
    r"|^ {0,3}=+ *$"              # setext underline
    r"|^(?: {4}|\t)"              # indented code (or a deeper nested item)
)
# End of a sentence: punctuation, closers, one space, the next sentence's start.
SENTENCE_END = re.compile(
    r"[.?!][)*_\"'\u201d\u2019]*"
    r"(?P<space> )"
    r"(?=(?:\*\*|[*_\[\"\u201c])?[A-Z0-9$`(\u00c0-\u00de])"
)
# A new line must not start a block: an ordered-list marker.
STARTS_BLOCK = re.compile(r"\d{1,9}[.)](?: |$)")
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")


def _closing(text, i, opener, closer):
    """Index just past the `closer` matching the `opener` at text[i], or None."""
    depth = 0
    j = i
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == opener:
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return None


def protected_mask(text):
    """A list of booleans: True where a sentence must not be broken.

    Returns None when the line has an unclosed code span or maths: such a
    line is not split at all.
    """
    mask = [False] * len(text)
    i = 0
    while i < len(text):
        c = text[i]
        end = None
        if c == "\\":                                  # backslash escape
            end = i + 2
        elif c == "`":                                 # code span
            run = re.match(r"`+", text[i:]).group()
            m = re.compile(r"(?<!`)" + run + r"(?!`)").search(text, i + len(run))
            if m is None:
                return None
            end = m.end()
        elif c == "$":                                 # inline or display maths
            delim = "$$" if text.startswith("$$", i) else "$"
            m = re.compile(r"(?<!\\)" + re.escape(delim)).search(text, i + len(delim))
            if m is None:
                return None
            end = m.end()
        elif c in "![" and text.startswith("[", i + (c == "!")):   # link / image
            end = _closing(text, i + (c == "!"), "[", "]")
            if end is not None and end < len(text) and text[end] == "(":
                end = _closing(text, end, "(", ")") or end
        elif c == "<" and re.match(r"</?[A-Za-z!?]", text[i:i + 2]):   # HTML, autolink
            j = text.find(">", i)
            end = None if j < 0 else j + 1
        else:
            m = URL.match(text, i) if c in "hfw" and (i == 0 or not text[i - 1].isalnum()) else None
            end = m.end() if m else None
        if end is None:
            i += 1
            continue
        end = min(end, len(text))
        for k in range(i, end):
            mask[k] = True
        i = end
    return mask


def _is_abbreviation(text, dot):
    """Does the period at text[dot] end an abbreviation or an initial?"""
    word = re.search(r"[^\s(\[*_\"'\u201c]*$", text[:dot]).group()
    if not word:
        return False
    if re.fullmatch(r"[A-Z]", word):                    # an initial: "A. Karpathy"
        return True
    return word.lower() in ABBREVIATIONS or bool(re.search(r"[A-Za-z]\.[A-Za-z]", word))


def sentence_breaks(text):
    """Offsets of the spaces in `text` that separate two sentences."""
    mask = protected_mask(text)
    if mask is None:
        return []
    breaks = []
    for m in SENTENCE_END.finditer(text):
        space = m.start("space")
        # The punctuation and the space must be outside code, maths and links;
        # the next sentence may start with one ($x$, `x`).
        if any(mask[m.start():space + 1]):
            continue
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        if STARTS_BLOCK.match(text, space + 1):
            continue
        breaks.append(space)
    return breaks


def reflow_line(line):
    """Split one prose line of a markdown cell into one line per sentence."""
    m = PREFIX.match(line)
    quote, marker = m.group(1), m.group(2) or ""
    text = line[m.end():]
    if VERBATIM.match(line[len(quote):] if not marker else text):
        return line
    if marker:                                # "- item" continues under "item"
        lead = " " * len(marker)
    else:                                     # a lazy or continuation line keeps its indentation
        lead = re.match(r" *", text).group()
        text = text[len(lead):]
    breaks = sentence_breaks(text)
    if not breaks:
        return line
    pieces, start = [], 0
    for b in breaks:
        pieces.append(text[start:b])
        start = b + 1
    pieces.append(text[start:])
    head = line[:len(line) - len(text)]
    return head + ("\n" + quote + lead).join(pieces)


def reflow(source):
    """Reflow a markdown cell's source: one sentence per line.

    Fenced code blocks and display maths spanning several lines are left
    untouched, as is every line that is not prose.
    """
    out = []
    fence = None            # the fence that opened the current code block
    in_maths = False        # inside a $$ ... $$ block spanning several lines
    for line in source.split("\n"):
        body = line[len(PREFIX.match(line).group(1)):]
        if fence:
            out.append(line)
            if re.match(r"^ {0,3}" + fence[0] + "{" + str(len(fence)) + r",} *$", body):
                fence = None
            continue
        m = FENCE.match(body)
        if m:
            fence = m.group(1)
            out.append(line)
            continue
        if not in_maths and not body.lstrip().startswith("$$"):
            line = reflow_line(line)
        out.append(line)
        if body.count("$$") % 2:            # display maths opens or closes on this line
            in_maths = not in_maths
    return "\n".join(out)


def notebook_paths(root=NOTEBOOKS):
    return sorted(Path(root).glob("*/*.ipynb"))


def reflow_notebook(path, write=True):
    """Reflow one notebook; return the number of markdown cells that changed."""
    nb = nbformat.read(path, as_version=NBFORMAT_VERSION)
    changed = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            new = reflow(cell.source)
            if new != cell.source:
                cell.source = new
                changed += 1
    if changed and write:
        nbformat.write(nb, path, version=NBFORMAT_VERSION)
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    args = parser.parse_args(argv)
    stale = 0
    for path in args.paths or notebook_paths():
        n = reflow_notebook(path, write=not args.check)
        if n:
            stale += 1
            print(f"{path}: {n} markdown cell(s) {'would be ' if args.check else ''}reflowed")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
