"""Editions of the course in other languages, built from one source.

The English source notebooks (``notebooks/``) hold the code, the tests, the
grade ids and the points. A translation (``translations/<lang>/<NN_name>.md``,
see ``tools/translations.py`` for its format) holds, for every cell a person
reads, its text in that language and the hash of the English text it
translates. ``write_edition`` puts the two together into
``source_<lang>/<NN_name>/<name>.ipynb``, the source folder nbgrader uses for
a class in that language (``course.config``); every cell keeps its metadata,
so grade ids and points are the same in both editions.
"""
import hashlib
import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("en", "ko")
HEADER = re.compile(r"^=== (markdown|code) (\S+) en=([0-9a-f]{12})\s*$")
PROSE = re.compile(r"[A-Za-z]{2,}[^\n]*\s[A-Za-z]{2,}")      # two words: a sentence, a label, a title


class TranslationError(ValueError):
    """A translation file is malformed, stale or incomplete; the message says where."""


def source_text(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def english_hash(cell):
    return hashlib.sha256(source_text(cell).encode()).hexdigest()[:12]


def _code_prose(code):
    """Comments and prose-like string constants of a code cell."""
    found = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type == tokenize.COMMENT or (tok.type == tokenize.STRING and PROSE.search(tok.string)):
                found.append(tok.string)
            elif tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1) and PROSE.search(tok.string):
                found.append(tok.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return found


class _NoStrings(__import__("ast").NodeTransformer):
    """Every string constant (docstrings, messages, labels, f-string text) replaced by one value."""

    def visit_Constant(self, node):
        return __import__("ast").Constant("") if isinstance(node.value, str) else node


def code_shape(code):
    """The syntax tree of ``code`` with comments and string constants set aside (magics ignored)."""
    import ast
    lines = [("pass" if l.lstrip().startswith(("%", "!")) else l) for l in code.splitlines()]
    return ast.dump(_NoStrings().visit(ast.parse("\n".join(lines))), include_attributes=False)


def needs_translation(cell):
    """Every markdown cell with words; every code cell with a comment or a prose string."""
    text = source_text(cell)
    if cell["cell_type"] == "markdown":
        return bool(re.search(r"[A-Za-z]{2,}", text))
    return cell["cell_type"] == "code" and bool(_code_prose(text))


@dataclass
class Block:
    kind: str
    en: str
    text: str


class Translation:
    """The blocks of one translation file, by cell id."""

    def __init__(self, blocks):
        self.blocks = blocks

    @classmethod
    def read(cls, path):
        blocks, current, lines = {}, None, []

        def close():
            if current is not None:
                blocks[current[1]] = Block(current[0], current[2], "\n".join(lines).strip("\n"))
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            m = HEADER.match(line)
            if m:
                close()
                if m.group(2) in blocks:
                    raise TranslationError(f"{path}:{number}: a second block for cell {m.group(2)}")
                current, lines = m.groups(), []
            elif line.startswith("=== "):
                raise TranslationError(f"{path}:{number}: malformed block header {line!r}; expected "
                                       "'=== markdown|code <cell id> en=<12 hex digits>'")
            elif current is not None:
                lines.append(line)
        close()
        return cls(blocks)

    def write(self, path, nb, name="the notebook"):
        """Write the blocks in the notebook's cell order (blocks of cells no longer there are dropped)."""
        out = [f"<!-- The translation of {name}: one block per cell, see tools/translations.py -->", ""]
        for cell in nb["cells"]:
            b = self.blocks.get(cell.get("id"))
            if b is not None:
                out += [f"=== {b.kind} {cell['id']} en={b.en}", b.text, ""]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text("\n".join(out), encoding="utf-8")

    def add_missing(self, nb, lang):
        for cell in nb["cells"]:
            if needs_translation(cell) and cell["id"] not in self.blocks:
                self.blocks[cell["id"]] = Block(cell["cell_type"], english_hash(cell), source_text(cell).strip("\n"))


def translation_path(root, lang, assignment):
    return Path(root) / "translations" / lang / f"{assignment}.md"


def notebook_path(root, assignment):
    paths = sorted((Path(root) / "notebooks" / assignment).glob("*.ipynb"))
    if len(paths) != 1:
        raise TranslationError(f"notebooks/{assignment} must hold exactly one notebook; found {len(paths)}")
    return paths[0]


def notebook_of(root, assignment):
    return json.loads(notebook_path(root, assignment).read_text(encoding="utf-8"))


def problems(nb, translation, lang):
    """Why ``translation`` cannot make the ``lang`` edition of ``nb`` (empty: it can)."""
    found = []
    ids = {c.get("id") for c in nb["cells"]}
    for cell in nb["cells"]:
        if not needs_translation(cell):
            continue
        b = translation.blocks.get(cell["id"])
        where = f"cell {cell['id']} ({cell['cell_type']})"
        if b is None:
            found.append(f"{where}: no {lang} text")
        elif b.kind != cell["cell_type"]:
            found.append(f"{where}: the block is a {b.kind} block")
        elif b.en != english_hash(cell):
            found.append(f"{where}: stale: the English text changed since it was translated (en={b.en}, "
                         f"now {english_hash(cell)})")
        elif lang == "ko" and not re.search(r"[\uac00-\ud7a3]", b.text):
            found.append(f"{where}: no Hangul: still the English text?")
        elif b.kind == "code":
            try:
                if code_shape(b.text) != code_shape(source_text(cell)):
                    found.append(f"{where}: the code differs from the English cell (only comments and "
                                 "strings may be translated)")
            except SyntaxError as exc:
                found.append(f"{where}: the translated code does not parse: {exc}")
    found += [f"cell {i}: the translation has a block for a cell the notebook does not have"
              for i in translation.blocks if i not in ids]
    return found


def build_edition(nb, translation, lang):
    """The ``lang`` edition of the English notebook ``nb`` (a dict); raises TranslationError if incomplete."""
    bad = problems(nb, translation, lang)
    if bad:
        raise TranslationError(f"the {lang} translation is not complete:\n  " + "\n  ".join(bad[:20])
                               + (f"\n  ... and {len(bad) - 20} more" if len(bad) > 20 else ""))
    edition = json.loads(json.dumps(nb))
    for cell in edition["cells"]:
        b = translation.blocks.get(cell.get("id"))
        if b is not None:
            cell["source"] = b.text.splitlines(keepends=True)
    edition["metadata"]["language_info"] = dict(edition["metadata"].get("language_info", {}))
    edition["metadata"]["cs231n"] = {"lang": lang}
    return edition


def write_edition(root, lang, assignments):
    """Write ``source_<lang>/<assignment>/<name>.ipynb`` for each assignment; only files that change."""
    root = Path(root)
    for a in assignments:
        src = notebook_path(root, a)
        nb = json.loads(src.read_text(encoding="utf-8"))
        path = translation_path(root, lang, a)
        if not path.exists():
            raise TranslationError(f"no {lang} translation of {a}: {path} is missing")
        text = json.dumps(build_edition(nb, Translation.read(path), lang), indent=1, ensure_ascii=False) + "\n"
        out = root / f"source_{lang}" / a / src.name
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    return root / f"source_{lang}"
