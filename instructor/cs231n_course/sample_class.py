"""The bundled sample class the main job grades.

Three students per assignment, built from the student release so that they
look exactly like real submissions:

- ``sample-reference`` filled in every solution cell with the reference solution,
- ``sample-blank`` submitted the release untouched,
- ``sample-mistakes`` filled in the reference solution except for the plausible
  mistakes in ``sample_mistakes/<assignment>.py`` (wrong variants, see
  ``variants.py``; the tests grade them with the others in ``tests/variants/``).
"""
from pathlib import Path

import nbformat

from .variants import apply_variant, fill_release, load_variants

MISTAKES_DIR = Path(__file__).resolve().parent / "sample_mistakes"


def mistakes_file(assignment):
    """The sample student's mistakes in ``assignment`` (a file of wrong variants)."""
    return MISTAKES_DIR / f"{assignment}.py"


def sample_submissions(release_nb, source_nb, variants):
    """{student id: notebook} for one notebook of the sample class."""
    reference = fill_release(release_nb, source_nb)
    mistakes = reference
    for v in variants:
        if v.sample and v.kind == "wrong":
            mistakes = apply_variant(mistakes, v)
    return {"sample-reference": reference, "sample-blank": release_nb, "sample-mistakes": mistakes}


def write_sample_class(root, assignments, source_dir=None):
    """Write submitted/<student>/<assignment>/<notebook> for the sample students; return their ids."""
    root = Path(root)
    students = set()
    for a in assignments:
        vfile = mistakes_file(a)
        variants = load_variants(vfile) if vfile.exists() else []
        for release_path in sorted((root / "release" / a).glob("*.ipynb")):
            release_nb = nbformat.read(release_path, as_version=4)
            source_nb = nbformat.read(Path(source_dir or root / "notebooks") / a / release_path.name, as_version=4)
            for student, nb in sample_submissions(release_nb, source_nb, variants).items():
                out = root / "submitted" / student / a / release_path.name
                out.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, out)
                students.add(student)
    return sorted(students)
