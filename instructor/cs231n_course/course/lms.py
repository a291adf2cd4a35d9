"""The LMS's side of the course: collecting a Canvas or Moodle download, exporting grades to Canvas.

``collect-zip`` takes the zip an LMS gives for "download all submissions":

- Canvas: ``<lastfirst>_<user id>_<submission id>_<original name>``, a late one
  ``<lastfirst>_LATE_<user id>_<submission id>_<original name>``; a resubmission's
  original name gets ``-N`` before its extension (``neurons-1.ipynb``).
- Moodle: ``<Full Name>_<participant id>_assignsubmission_file_/<original name>``
  (a folder per participant; also without the slash, when Moodle flattens it).

The names are read by nbgrader's own ``FileNameCollectorPlugin`` (subclassed,
one per LMS, as ``nbgrader zip_collect --collector=...`` would use them). A
roster CSV (``student_id`` plus ``canvas_id`` and/or ``moodle_id``) maps the
LMS's ids to the course's student ids. Each student's latest upload of a
notebook goes to ``submitted/<student>/<assignment>/<release notebook name>``
with nbgrader's ``timestamp.txt`` (the zip entry's time, in ``tz``), written
atomically. Nothing is lost: unknown ids and other files go to
``submitted/_unmatched/lms-<assignment>/``, earlier uploads and a replaced
earlier submission to ``submitted/_superseded/<student>/<assignment>/<time>/``.
nbgrader's ``ZipCollectApp`` is not used for the transfer: with ``--force`` it
deletes a student's earlier submission, and it drops the earlier of two uploads.

``export-canvas`` writes Canvas's gradebook import CSV from nbgrader's gradebook.
"""
import csv
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Unicode

from .config import COURSE_ID, CourseError

LMS_ID_COLUMNS = {"canvas": "canvas_id", "moodle": "moodle_id"}
STAMP = "%Y-%m-%d %H:%M:%S.%f UTC"          # nbgrader's timestamp.txt format


class CanvasCollector(FileNameCollectorPlugin):
    """Canvas's download names: ``<lastfirst>_[LATE_]<user id>_<submission id>_<original name>``."""
    lms = "canvas"
    named_regexp = Unicode(r"^(?P<name>[^/_]+)_(?P<late>LATE_)?(?P<student_id>\d+)_(?P<submission_id>\d+)_"
                           r"(?P<file_id>[^/]+)$").tag(config=True)


class MoodleCollector(FileNameCollectorPlugin):
    """Moodle's: ``<Full Name>_<participant id>_assignsubmission_file_/<original name>``."""
    lms = "moodle"
    named_regexp = Unicode(r"^(?P<name>[^/]+?)_(?P<student_id>\d+)_assignsubmission_file_/?"
                           r"(?P<file_id>[^/]+)$").tag(config=True)


@dataclass
class Upload:
    entry: str                   # its name in the zip
    data: bytes = field(repr=False)
    time: datetime
    lms: str = ""
    lms_id: str = ""
    late_mark: bool = False
    student: str = ""
    notebook: str = ""


@dataclass
class Collection:
    """What collect-zip did: each line says what happened to one upload."""
    collected: list = field(default_factory=list)   # (student, notebook, time, late)
    unmatched: list = field(default_factory=list)   # (entry, why, kept at)
    superseded: list = field(default_factory=list)  # (student, what, kept at)
    unchanged: list = field(default_factory=list)   # (student, notebook)
    notes: list = field(default_factory=list)


def read_roster(path):
    """{(lms, lms id): student id} from a roster CSV with student_id and canvas_id and/or moodle_id."""
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"roster {path} not found (expected a CSV with columns student_id, canvas_id "
                          "and/or moodle_id)")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    columns = set(rows[0]) if rows else set()
    if "student_id" not in columns or not columns & set(LMS_ID_COLUMNS.values()):
        raise CourseError(f"roster {path} has columns {sorted(columns)}; expected student_id and canvas_id "
                          "and/or moodle_id")
    ids = {}
    for n, row in enumerate(rows, start=2):
        student = (row["student_id"] or "").strip()
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._@-]*", student):
            raise CourseError(f"roster {path}, line {n}: student_id {student!r} is not a folder name "
                              "(expected letters, digits, . _ @ -, not starting with _ or .)")
        for lms, col in LMS_ID_COLUMNS.items():
            lms_id = (row.get(col) or "").strip()
            if lms_id:
                if (lms, lms_id) in ids and ids[(lms, lms_id)] != student:
                    raise CourseError(f"roster {path}, line {n}: {col} {lms_id} is also {ids[(lms, lms_id)]}'s")
                ids[(lms, lms_id)] = student
    return ids, rows


def parse_due(text):
    """An ISO date-time (UTC unless it says otherwise) -> aware datetime."""
    try:
        due = datetime.fromisoformat(text)
    except ValueError:
        raise CourseError(f"--due {text!r} is not an ISO date-time (expected e.g. 2025-03-01T23:59:00+09:00)")
    return due if due.tzinfo else due.replace(tzinfo=timezone.utc)


class Lms:
    """Mixed into ``Course``: collect-zip and export-canvas."""

    def collect_zip(self, zip_path, assignment, roster, due=None, tz=timezone.utc):
        """Collect an LMS download of ``assignment`` into submitted/; return a ``Collection``."""
        zip_path = Path(zip_path)
        if assignment not in self.assignments():
            raise CourseError(f"unknown assignment {assignment!r}; expected one of {', '.join(self.assignments())}")
        if not zip_path.is_file() or not zipfile.is_zipfile(zip_path):
            raise CourseError(f"{zip_path} is not a zip file (expected the .zip Canvas or Moodle gives for "
                              "'Download submissions'); nothing was collected")
        ids, _ = read_roster(roster)
        released = sorted(p.name for p in (self.root / "release" / assignment).glob("*.ipynb"))
        if not released:
            raise CourseError(f"release/{assignment} has no notebook: run `release` first (collect-zip names "
                              "each upload after the release notebook)")
        due = self._set_due(assignment, due)
        result = Collection()
        try:                                   # read everything before writing anything
            with zipfile.ZipFile(zip_path) as zf:
                entries = [i for i in zf.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
                uploads = [Upload(i.filename, zf.read(i),
                                  datetime(*i.date_time, tzinfo=tz).astimezone(timezone.utc)) for i in entries]
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise CourseError(f"{zip_path} cannot be read as a zip file ({exc}); nothing was collected") from None
        collectors = [CanvasCollector(parent=self.api), MoodleCollector(parent=self.api)]
        accepted = {}
        for up in uploads:
            why = self._identify(up, collectors, ids, released)
            if why:
                kept = self._keep(self.root / "submitted" / "_unmatched" / f"lms-{assignment}", up.entry, up.data)
                result.unmatched.append((up.entry, why, kept))
            else:
                accepted.setdefault((up.student, up.notebook), []).append(up)
        for (student, notebook), ups in sorted(accepted.items()):
            ups.sort(key=lambda u: (u.time, u.entry))
            *earlier, latest = ups
            for up in earlier:
                kept = self._keep(self._superseded(student, assignment, up.time), Path(up.entry).name, up.data)
                result.superseded.append((student, f"earlier upload {up.entry}", kept))
            self._place(result, assignment, latest, due)
        return result

    def _identify(self, up, collectors, ids, released):
        """Fill in who and which notebook; return why not, or None."""
        for collector in collectors:
            info = collector._match(up.entry)
            if info:
                break
        else:
            return "its name is neither Canvas's <lastfirst>_<user id>_<submission id>_<name> nor Moodle's " \
                   "<Full Name>_<participant id>_assignsubmission_file_/<name>"
        up.lms, up.lms_id, up.late_mark = collector.lms, info["student_id"], bool(info.get("late"))
        original = info["file_id"]
        up.student = ids.get((up.lms, up.lms_id), "")
        if not up.student:
            return f"unknown {up.lms.capitalize()} id {up.lms_id} ({info['name']}): not in the roster's " \
                   f"{LMS_ID_COLUMNS[up.lms]} column"
        if os.path.splitext(original)[1] not in collector.valid_ext:
            return f"not a notebook ({original}); expected {' or '.join(released)}"
        stem = re.sub(r"-\d+$", "", os.path.splitext(original)[0])        # Canvas's resubmission -N
        if f"{stem}.ipynb" in released:
            up.notebook = f"{stem}.ipynb"
        elif len(released) == 1:
            up.notebook = released[0]
        else:
            return f"notebook {original} is not one of the assignment's: {', '.join(released)}"
        return None

    def _place(self, result, assignment, up, due):
        """Put the latest upload into submitted/, keeping whatever it replaces."""
        folder = self.root / "submitted" / up.student / assignment
        dest, stamp_file = folder / up.notebook, folder / "timestamp.txt"
        old_time = None
        if stamp_file.exists():
            from nbgrader.utils import parse_utc
            try:
                old_time = parse_utc(stamp_file.read_text().strip()).replace(tzinfo=timezone.utc)   # naive UTC
            except (ValueError, AttributeError):
                pass
        if dest.exists():
            old = dest.read_bytes()
            if old == up.data and old_time == up.time:
                result.unchanged.append((up.student, up.notebook))
                return
            if old_time is not None and old_time > up.time:       # what is there already is later
                kept = self._keep(self._superseded(up.student, assignment, up.time), Path(up.entry).name, up.data)
                result.superseded.append((up.student, f"upload {up.entry} (older than the submission "
                                                      f"already in submitted/)", kept))
                return
            kept = self._keep(self._superseded(up.student, assignment, old_time), up.notebook, old)
            if stamp_file.exists():
                self._keep(kept.parent, "timestamp.txt", stamp_file.read_bytes())
            result.superseded.append((up.student, f"earlier submission {dest.relative_to(self.root)}", kept))
        _atomic_write(dest, up.data)
        _atomic_write(stamp_file, up.time.strftime(STAMP).encode())
        late = due is not None and up.time > due
        result.collected.append((up.student, up.notebook, up.time, late))
        if up.late_mark and due is None:
            result.notes.append(f"{up.student}: Canvas marks {up.entry} LATE, but no due date is known "
                                "(pass --due, or nbgrader's duedate) so nbgrader will not mark it late")

    def _superseded(self, student, assignment, time):
        stamp = time.strftime("%Y%m%dT%H%M%SZ") if time else "untimed"
        return self.root / "submitted" / "_superseded" / student / assignment / stamp

    def _keep(self, folder, name, data):
        """Keep ``data`` as folder/name (never over a different file: a -N suffix then); return the path."""
        parts = [p for p in Path(name).parts if p not in ("", ".", "..", "/")] or ["upload"]
        path = folder.joinpath(*parts)
        stem, n = path, 1
        while path.exists() and path.read_bytes() != data:
            path = stem.with_name(f"{stem.stem}-{n}{stem.suffix}")
            n += 1
        if not path.exists():
            _atomic_write(path, data)
        return path

    def _set_due(self, assignment, due):
        """Record --due as nbgrader's duedate of the assignment; return the due date nbgrader has (or None)."""
        from nbgrader.api import Gradebook
        with Gradebook(self.api.coursedir.db_url, COURSE_ID) as gb:
            if due is not None:
                due = parse_due(due) if isinstance(due, str) else due
                gb.update_or_create_assignment(assignment, duedate=due.astimezone(timezone.utc).replace(tzinfo=None))
            known = gb.update_or_create_assignment(assignment).duedate
        return known.replace(tzinfo=timezone.utc) if known else None

    def export_canvas(self, assignments=None, out=None, roster=None, column=None):
        """Write Canvas's gradebook import CSV (one column per assignment); return its path.

        Rows: the roster's students (else the gradebook's). A submission that
        was not graded, or no submission, is left empty (Canvas keeps what it
        has), never 0. Scores are nbgrader's, after the late penalty.
        """
        from nbgrader.api import Gradebook, MissingEntry
        assignments = assignments or self.assignments()
        if column and len(assignments) != 1:
            raise CourseError("--column names one assignment's column; pass exactly one --assignment")
        status = self.grading_status()
        out = Path(out or self.root / "canvas_grades.csv")
        with Gradebook(self.api.coursedir.db_url, COURSE_ID) as gb:
            if roster:
                people = read_roster(roster)[1]
            else:
                people = [dict(student_id=s.id, name=", ".join(x for x in (s.last_name, s.first_name) if x))
                          for s in gb.students]
            header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [column or a for a in assignments]
            points = ["Points Possible", "", "", "", ""]
            known = {a.name: a for a in gb.assignments}
            for a in assignments:
                points.append(f"{known[a].max_score:g}" if a in known else "")
            rows = []
            for p in people:
                sid = p["student_id"].strip()
                row = [p.get("name") or sid, p.get("canvas_id") or "", p.get("sis_user_id") or sid,
                       p.get("sis_login_id") or "", p.get("section") or ""]
                for a in assignments:
                    info = status.get(f"{sid}/{a}")
                    try:
                        sub = gb.find_submission(a, sid)
                    except MissingEntry:
                        row.append("")
                        continue
                    graded = info is None or info["status"] == "graded"
                    score = max(0.0, sub.score - (sub.late_submission_penalty or 0.0))
                    row.append(f"{round(score, 2):g}" if graded else "")
                rows.append(row)
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", newline="", dir=out.parent, delete=False, suffix=".tmp") as fh:
            w = csv.writer(fh)
            w.writerows([header, points] + rows)
        os.replace(fh.name, out)
        return out


def _atomic_write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)

