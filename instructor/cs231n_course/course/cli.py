"""The course's command line (``python -m cs231n_course``) and the main job (``all``)."""
import argparse
import os
from pathlib import Path

from ..limits import DEFAULT_LIMITS, Limits
from . import COURSE_ID, Course, CourseError
from .config import LATE_POLICY
from . import __doc__ as COMMANDS_DOC

def _say(msg):
    print(msg, flush=True)


def _duration(seconds):
    h, rest = divmod(int(round(seconds)), 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}"


def _report_outcomes(outcomes):
    for o in outcomes:
        for line in ([o.status] if not o.graded else []) + [f"FLAGGED: {f}" for f in o.flags] + o.notes:
            _say(f"    {o.student} / {o.assignment}: {line}")


def _collect_zip(course, args):
    """collect-zip, and what happened to every upload."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    try:
        tz = ZoneInfo(args.zip_tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise CourseError(f"--zip-tz {args.zip_tz!r} is not a time zone (expected e.g. UTC or Asia/Seoul)")
    r = course.collect_zip(args.zip, args.assignment, args.roster, args.due, tz)
    for student, nb, time, late in r.collected:
        _say(f"collected {student} / {args.assignment} / {nb} (submitted {time:%Y-%m-%d %H:%M} UTC"
             + (", LATE: " + LATE_POLICY if late else "") + ")")
    for student, nb in r.unchanged:
        _say(f"unchanged {student} / {args.assignment} / {nb} (already collected)")
    for student, what, kept in r.superseded:
        _say(f"superseded {student}: {what} kept in {kept.relative_to(course.root)}")
    for entry, why, kept in r.unmatched:
        _say(f"NOT COLLECTED {entry}: {why}; kept in {kept.relative_to(course.root)}")
    for note in r.notes:
        _say(f"note: {note}")
    _say(f"{len(r.collected)} collected, {len(r.unchanged)} unchanged, {len(r.superseded)} superseded, "
         f"{len(r.unmatched)} not collected")
    return 1 if r.unmatched else 0


def run_all(course):
    """The main job: release, solution key, sample class, autograde, feedback, grades."""
    _say(f"Course folder: {course.root}")
    _say(f"Assignments: {', '.join(course.assignments())}")
    _say("1/6 generating the student release ...")
    rel = course.release()
    _say(f"    release written to {rel}")
    _say("2/6 executing the reference notebooks (instructor solution key) ...")
    sol = course.solution()
    _say(f"    executed solution key written to {sol}")
    _say("3/6 writing the bundled sample class ...")
    students = course.sample_class()
    _say(f"    submissions of {', '.join(students)} written to {course.root / 'submitted'}")
    _say("4/6 autograding every submission ...")
    from ..isolation import isolation_problem
    if course.isolate and isolation_problem():
        # The sample class is the course's own code, so it may be graded without the
        # sandbox where the machine has none; real students' work never is, unless asked.
        _say(f"    this machine cannot isolate student code ({isolation_problem()});\n"
             "    the bundled sample class is the course's own code, so it is graded WITHOUT isolation "
             "(real submissions would be refused)")
        course = Course(course.root, verbose=course.verbose, limits=course.limits, isolate=False, lang=course.lang)
    outcomes = course.autograde(students=students, jobs=os.cpu_count() or 1, force=True)
    bad = [o for o in outcomes.values() if not o.graded]
    _say(f"    {len(outcomes) - len(bad)} of {len(outcomes)} submissions graded into {course.root / 'autograded'}")
    _report_outcomes(outcomes.values())
    _say("5/6 generating feedback ...")
    for (s, a), why in course.feedback(students=students).items():
        _say(f"    no feedback for {s} / {a}: {why}")
    _say(f"    HTML feedback written to {course.root / 'feedback'}")
    _say("6/6 exporting grades and the instructor report ...")
    csv = course.export_grades()
    _say(f"    grades CSV written to {csv}")
    _say(f"    pass rates and flagged submissions written to {course.report()}\n")
    _say(course.gradebook_table())
    return 1 if bad else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m cs231n_course", description=COMMANDS_DOC.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=None,
                        help="course folder holding notebooks/ (default: the current folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show nbgrader's own log")
    parser.add_argument("--budget", type=float, default=DEFAULT_LIMITS.budget,
                        help=f"wall-clock seconds for grading one submitted notebook, all its cells and tests; "
                             f"what is not run by then scores 0 (default {DEFAULT_LIMITS.budget:g})")
    parser.add_argument("--cell-timeout", type=float, default=DEFAULT_LIMITS.call,
                        help=f"seconds one cell of a submission, or one call of a student's function by a test, "
                             f"may run when grading, within the budget (default {DEFAULT_LIMITS.call:g})")
    lang_help = ("the language of this class: the release, solution key, validate, the autograded notebooks "
                 "and the feedback are in it (remembered in the course folder's course_language; default: the "
                 "remembered one, else en); before or after the command")
    parser.add_argument("--lang", choices=("en", "ko"), default=None, help=lang_help)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("en", "ko"), default=argparse.SUPPRESS, help=lang_help)
    from .config import DEFAULT_EXCHANGE, EXCHANGE_ENV
    parser.add_argument("--exchange", type=Path, default=None,
                        help=f"nbgrader's exchange folder for publish, collect and return-feedback (default: "
                             f"${EXCHANGE_ENV}, else {DEFAULT_EXCHANGE})")
    parser.add_argument("--no-isolation", action="store_true",
                        help="grade WITHOUT the operating system's isolation (bubblewrap) where it is missing; "
                             "only for code you trust: the report and grades.csv say so for every submission")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, help_, students=False):
        p = sub.add_parser(name, help=help_, description=help_, parents=[common])
        p.add_argument("--assignment", "-a", action="append", help="only this assignment (repeatable)")
        if students:
            p.add_argument("--student", "-s", action="append", help="only this student (repeatable)")
        return p

    add("release", "generate the student release of every notebook into release/")
    add("solution", "execute the reference notebooks into solution/ (the instructor's solution key)")
    add("sample-class", "write the bundled sample submissions into submitted/sample-*/")
    p = add("autograde", "autograde the submissions in submitted/", students=True)
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                   help="submissions graded at once (default: the number of cores)")
    p.add_argument("--force", action="store_true",
                   help="grade again submissions already graded (default: only new or changed ones)")
    add("feedback", "generate HTML feedback for the autograded submissions into feedback/", students=True)
    p = add("publish", "release the assignment and put it in nbgrader's exchange for students to fetch "
                       "(nbgrader's ExchangeReleaseAssignment)")
    p.add_argument("--due", default=None,
                   help="the due date and time, ISO 8601 (e.g. 2026-10-05T23:59:00+09:00; without a time zone: "
                        "UTC), recorded in the gradebook as nbgrader's assignment due date")
    p.add_argument("--force", action="store_true", help="publish again an assignment already in the exchange")
    add("collect", "copy each student's latest submission from the exchange into submitted/, with its "
                   "timestamp (nbgrader's ExchangeCollect; autograde then marks late ones)")
    add("return-feedback", "generate feedback for the graded submissions and put it in the exchange, each "
                           "page for its student only (nbgrader's ExchangeReleaseFeedback)", students=True)
    sub.add_parser("report", help="per-test pass rates (CSV, plot) and flagged submissions -> course_report/",
                   parents=[common])
    p = sub.add_parser("grades", help="export grades.csv and print the gradebook", parents=[common])
    p.add_argument("--csv", type=Path, default=None, help="where to write the CSV (default: grades.csv)")
    p = sub.add_parser("collect-zip", parents=[common],
                       help="collect a Canvas or Moodle 'download submissions' zip into submitted/<student>/<a>/ "
                            "(with nbgrader's timestamp.txt); nothing is overwritten or lost")
    p.add_argument("zip", type=Path, help="the zip the LMS gave")
    p.add_argument("--assignment", "-a", required=True, help="the assignment the zip holds (e.g. 01_neurons)")
    p.add_argument("--roster", type=Path, required=True,
                   help="CSV with student_id and canvas_id and/or moodle_id (optional: name, sis_user_id, "
                        "sis_login_id, section): maps the LMS's ids to student ids")
    p.add_argument("--due", default=None,
                   help="due date, ISO (e.g. 2025-03-01T23:59:00+09:00; UTC without an offset): stored as "
                        "nbgrader's duedate; later submissions are late: " + LATE_POLICY.replace("%", "%%"))
    p.add_argument("--zip-tz", default="UTC",
                   help="time zone of the zip entries' times, which become the submission times (default UTC)")
    p = sub.add_parser("export-canvas", parents=[common],
                       help="write a gradebook CSV Canvas imports (Grades > Import): one column per assignment; "
                            "not graded or not submitted is left empty, never 0")
    p.add_argument("--assignment", "-a", action="append", help="only this assignment (repeatable)")
    p.add_argument("--out", type=Path, default=None, help="where to write it (default: canvas_grades.csv)")
    p.add_argument("--roster", type=Path, default=None,
                   help="the roster CSV (student_id, canvas_id, name, ...): its students, Canvas ids and names")
    p.add_argument("--column", default=None,
                   help="the assignment's column name as Canvas shows it, e.g. 'Neurons (123456)' "
                        "(default: the assignment's name; only with one --assignment)")
    sub.add_parser("all", help="the main job: every step above, on the bundled sample class", parents=[common])
    p = sub.add_parser("student-wheel", parents=[common],
                       help="build the student package (cs231n_support) as a wheel to hand to a class: "
                            "no reference solution in it")
    p.add_argument("--out", type=Path, default=None, help="where to write it (default: <course>/dist)")
    p = sub.add_parser("validate", help="run a notebook's visible tests, as students do before submitting",
                       parents=[common])
    p.add_argument("notebook", type=Path)
    p = sub.add_parser("download-cifar10", help="download and verify CIFAR-10 (170 MB) into the data cache",
                       parents=[common])
    p.add_argument("--data-root", type=Path, default=None, help="where to put it (default: <course>/data/cache)")

    args = parser.parse_args(argv)
    if args.command == "validate":
        from cs231n_support.validate import validate
        ok, report = validate(args.notebook)
        _say(report)
        return 0 if ok else 1
    if args.command == "download-cifar10":
        from cs231n_support.data import download_cifar10
        root = Path(args.root or ".").resolve()
        _say(f"CIFAR-10 is ready in {download_cifar10(args.data_root or root / 'data' / 'cache')}")
        return 0
    if args.command == "student-wheel":
        from ..student_wheel import build_student_wheel
        try:
            out = args.out or Path(args.root or ".").resolve() / "dist"
            _say(f"student wheel written to {build_student_wheel(out)}")
        except CourseError as exc:
            _say(f"error: {exc}")
            return 1
        return 0
    try:
        limits = Limits(budget=args.budget, call=args.cell_timeout)
        course = Course(args.root, verbose=args.verbose, limits=limits, isolate=not args.no_isolation,
                        lang=args.lang, exchange=args.exchange)
        if args.command == "all":
            return run_all(course)
        if args.command == "release":
            _say(f"release written to {course.release(args.assignment)}")
        elif args.command == "solution":
            _say(f"executed solution key written to {course.solution(args.assignment)}")
        elif args.command == "sample-class":
            _say(f"sample students written: {', '.join(course.sample_class(args.assignment))}")
        elif args.command == "autograde":
            outcomes = course.autograde(args.assignment, args.student, jobs=args.jobs, force=args.force)
            if not outcomes:
                _say("nothing to grade: every submission is graded already (--force grades them again)")
            for o in outcomes.values():
                _say(f"{o.student} / {o.assignment}: {o.status}")
            _report_outcomes(outcomes.values())
            return 0 if all(o.graded for o in outcomes.values()) else 1
        elif args.command == "feedback":
            missing = course.feedback(args.assignment, args.student)
            for (s, a), why in missing.items():
                _say(f"no feedback for {s} / {a}: {why}")
            _say(f"feedback written to {course.root / 'feedback'}")
            return 1 if missing else 0
        elif args.command == "publish":
            for a, due in course.publish(args.assignment, args.due, args.force).items():
                _say(f"{a} published in {course.exchange_root / COURSE_ID / 'outbound' / a}"
                     f" (due {due:%Y-%m-%d %H:%M} UTC)" if due else f"{a} published (no due date)")
        elif args.command == "collect":
            collected = course.collect(args.assignment)
            for (s, a), late in collected.items():
                _say(f"{s} / {a}: collected" + (f", LATE by {_duration(late)}" if late else ""))
            _say(f"{len(collected)} submissions in {course.root / 'submitted'}")
        elif args.command == "return-feedback":
            missing, returned = course.return_feedback(args.assignment, args.student)
            for (s, a), why in missing.items():
                _say(f"no feedback returned to {s} / {a}: {why}")
            _say(f"feedback of {len(returned)} submissions returned through {course.exchange_root}")
            return 1 if missing else 0
        elif args.command == "report":
            _say(f"report written to {course.report()}")
        elif args.command == "collect-zip":
            return _collect_zip(course, args)
        elif args.command == "export-canvas":
            out = course.export_canvas(args.assignment, args.out, args.roster, args.column)
            _say(f"Canvas gradebook CSV written to {out} (import it in Canvas: Grades > Import)")
        elif args.command == "grades":
            _say(f"grades CSV written to {course.export_grades(args.csv)}\n")
            _say(course.gradebook_table())
    except (CourseError, ValueError) as exc:
        _say(f"error: {exc}")
        return 1
    return 0
