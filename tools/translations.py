#!/usr/bin/env python3
"""Translations of the notebooks: what is missing or stale, and skeletons to fill in.

    python tools/translations.py status [--lang ko]          # per notebook: done / missing / stale
    python tools/translations.py skeleton [--lang ko] [NN_name ...]   # add the missing cells, in English
    python tools/translations.py check [--lang ko] [NN_name ...]      # every problem the build would refuse

The Korean text of ``notebooks/<NN_name>/<name>.ipynb`` lives in
``translations/<lang>/<NN_name>.md``, one block per cell that a person reads
(every markdown cell; every code cell with a comment or a string), in the
notebook's order:

    === markdown <cell id> en=<first 12 hex digits of sha256 of the English cell>
    <the translated markdown>

    === code <cell id> en=<...>
    <the cell's code with its comments, docstrings and strings translated>

``en=`` records which English text a block translates: when the English cell
changes, its block is *stale* (the tests say so) until it is translated again
and its hash updated (``skeleton`` never overwrites a block; ``status`` lists
stale ones; ``rehash`` marks blocks as up to date after you checked them).
A code block must keep the English code token for token: only comments and
string constants may differ (the tests compare the syntax trees).
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "instructor"))
sys.path.insert(0, str(ROOT / "student"))

from cs231n_course.editions import (Translation, english_hash, needs_translation,  # noqa: E402
                                    notebook_of, notebook_path, problems, translation_path)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    lang = argv[argv.index("--lang") + 1] if "--lang" in argv else "ko"
    if lang in args:
        args.remove(lang)
    if not args or args[0] not in ("status", "skeleton", "rehash", "check"):
        print(__doc__)
        return 2
    command, wanted = args[0], args[1:]
    assignments = sorted(p.name for p in (ROOT / "notebooks").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))
    bad = 0
    for a in wanted or assignments:
        nb = notebook_of(ROOT, a)
        path = translation_path(ROOT, lang, a)
        tr = Translation.read(path) if path.exists() else Translation({})
        cells = [c for c in nb["cells"] if needs_translation(c)]
        missing = [c for c in cells if c["id"] not in tr.blocks]
        stale = [c for c in cells if c["id"] in tr.blocks and tr.blocks[c["id"]].en != english_hash(c)]
        print(f"{a}: blocks for {len(cells) - len(missing) - len(stale)} of {len(cells)} cells, "
              f"{len(missing)} missing, {len(stale)} stale")
        bad += len(missing) + len(stale)
        if command == "check":
            found = problems(nb, tr, lang)
            print("".join(f"    {p}\n" for p in found), end="")
            bad += len(found)
        if command == "skeleton" and missing:
            tr.add_missing(nb, lang)
            tr.write(path, nb, notebook_path(ROOT, a).relative_to(ROOT))
            print(f"    {len(missing)} English blocks added to {path.relative_to(ROOT)}: translate them")
        if command == "rehash" and stale:
            for c in stale:
                tr.blocks[c["id"]].en = english_hash(c)
            tr.write(path, nb, notebook_path(ROOT, a).relative_to(ROOT))
            print(f"    {len(stale)} blocks marked as translating the current English text")
    return 1 if bad and command in ("status", "check") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
