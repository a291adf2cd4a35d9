"""Isolation of student code while a whole class is graded (slow, always run in CI).

One class of 01_neurons submissions is graded once, in parallel, with small
limits. Besides the honest students it holds:

- a *probe*, whose first solution cell prints what it can see of the machine:
  which course paths it can list, read or write (their absolute paths written
  into its code, as a student who guessed them would), the folders above its
  working folder, whether it can reach a port the test listens on, which
  processes it can see; it also leaves double-forked daemons behind that
  later try to write into the course folder. It first switches off the
  sandbox's Python audit hook where it finds it, and also goes through routes
  with no audit event (os.stat, sqlite3's own file access), so that what it
  reports is what the operating system's isolation allows;
- an *attack corpus*: the honest naive sigmoid plus one trick each.

Asserted: the probe saw no course path and no other process, reached nothing
on the network, and left nothing running; every attacker earns exactly what
the naive sigmoid earns (the looper and the fork bombs at most that) and is
flagged; the other students score exactly as in a clean run of the same
students without attackers; submissions are byte-for-byte unchanged; no
feedback page or autograded output shows hidden-test or solution code; the
class finishes within the sum of its budgets.
"""
import hashlib
import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

import cs231n_support
from cs231n_course.course import Course
from cs231n_course.limits import Limits
from cs231n_course.variants import Variant, apply_variant
from conftest import NOTEBOOKS

pytestmark = pytest.mark.slow

A, NB = "01_neurons", "neurons.ipynb"
LIMITS = Limits(budget=20, call=5)
PROJECT = Path(cs231n_support.__file__).resolve().parents[1]     # the checkout holding every source notebook
TOKEN = "iso" + secrets.token_hex(4)     # 11 characters: fits a process name (15); marks every process we start
HONEST = ("naive", "sample-blank", "sample-mistakes", "sample-reference")
PROBE = "probe"
NAIVE = "def sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-x))\n"
LOOPER = "def sigmoid(x):\n    while True:\n        pass\n    return 1.0 / (1.0 + np.exp(-x))\n"


# ---------------------------------------------------------------------------
# Code the students run (a few shared helpers, then one block per trick)

HELPERS = f"""
import ctypes, glob, json, os, socket, sqlite3, sys, time
_TOKEN = {TOKEN!r}

def _ancestors():
    d = os.path.abspath(os.getcwd())
    while True:
        yield d
        if os.path.dirname(d) == d:
            return
        d = os.path.dirname(d)

def _unguard():
    # An audit hook is no security boundary: switch off the grader's where we find it
    # (a module-level phase list), so that what follows meets the operating system's limits.
    off = []
    for name, module in list(sys.modules.items()):
        try:
            phase = getattr(module, "_phase", None)
            if isinstance(phase, list) and phase:
                phase[0] = "setup"
                off.append(name)
        except Exception:
            pass
    return off

def _die():
    # never return into the sandbox's own code: a forked copy of it would answer the grader too
    # (the sandbox may refuse os._exit; posix._exit and a signal to ourselves still end us)
    try:
        import posix
        posix._exit(0)
    except BaseException:
        pass
    try:
        import signal
        signal.raise_signal(signal.SIGKILL)
    except BaseException:
        pass
    while True:
        time.sleep(3600)

def _name_me():
    # every process we leave behind carries the token in its name, so the test can find it
    try:
        with open("/proc/self/comm", "w") as fh:
            fh.write(_TOKEN)
    except Exception:
        try:
            ctypes.CDLL(None).prctl(15, _TOKEN.encode(), 0, 0, 0)
        except Exception:
            pass

def _forks():
    # {{route: fork function, or why it is not available}}
    routes = {{"os.fork": os.fork}}
    try:
        routes["ctypes libc.fork"] = ctypes.CDLL(None, use_errno=True).fork
    except Exception as exc:
        routes["ctypes libc.fork"] = "%s: %s" % (type(exc).__name__, exc)
    return routes

def _daemon(fork, work):
    # double fork: the grandchild is re-parented and outlives the student's process unless the sandbox kills it
    if not callable(fork):
        return fork
    pid = fork()
    if pid < 0:
        return "fork failed: errno %d" % ctypes.get_errno()
    if pid == 0:
        try:
            os.setsid()
            if fork() == 0:
                _name_me()
                work()
        except BaseException:
            pass
        finally:
            _die()
    os.waitpid(pid, 0)
    return "started"

def _any_daemon(work):
    # the first route that works
    tried = {{}}
    for route, fork in _forks().items():
        try:
            tried[route] = _daemon(fork, work)
        except Exception as exc:
            tried[route] = "%s: %s" % (type(exc).__name__, exc)
        if tried[route] == "started":
            break
    return tried
"""


def gradebook_code(root):
    """Sets every manual score in every gradebook it can find to 0."""
    return f"""
def _zero_gradebooks():
    hits = []
    for path in [os.path.join(d, "gradebook.db") for d in _ancestors()] + [{str(root / 'gradebook.db')!r}]:
        for route in ("connect", "attach"):      # ATTACH opens the file in C, with no audit event
            try:
                if route == "connect":
                    db = sqlite3.connect("file:" + path + "?mode=rw", uri=True, timeout=30)
                    n = db.execute("UPDATE grade SET manual_score = 0").rowcount
                else:
                    db = sqlite3.connect("file::memory:", uri=True, timeout=30)
                    db.execute("ATTACH DATABASE ? AS g", ("file:" + path + "?mode=rw",))
                    n = db.execute("UPDATE g.grade SET manual_score = 0").rowcount
                db.commit()
                db.close()
                hits.append((path, route, n))
            except Exception as exc:
                hits.append((path, route, repr(exc)[:60]))
    return hits
"""


def tamper_code(root):
    """Appends a byte to every submitted, autograded and feedback file it can find."""
    guessed = [root / "submitted" / s / A / NB for s in HONEST] + [root / "gradebook.db"]
    return f"""
def _tamper():
    found = {[str(p) for p in guessed]!r}
    for base in list(_ancestors()) + [{str(root)!r}]:
        for pattern in ("submitted/*/*/*.ipynb", "autograded/**/*.*", "feedback/**/*.*"):
            try:
                found += glob.glob(os.path.join(base, pattern), recursive=True)
            except Exception:
                pass
    done = []
    for path in found:
        try:
            with open(path, "ab") as fh:
                fh.write(b" ")
            done.append(path)
        except Exception:
            pass
    print("TAMPERED", len(done), done[:5])
_tamper()
"""


def reader_code(root):
    """Prints the hidden tests and solutions of every source notebook it can open."""
    paths = [root / "notebooks" / A / NB, root / "release" / A / NB, PROJECT / "notebooks" / A / NB,
             PROJECT / "notebooks" / "07_losses" / "losses.ipynb"]
    return f"""
for _path in {[str(p) for p in paths]!r}:
    try:
        for _cell in json.load(open(_path))["cells"]:
            _src = "".join(_cell["source"])
            if "### BEGIN" in _src or _path.endswith("release/{A}/{NB}"):
                print(_src)
    except Exception as exc:
        print("could not read", _path, repr(exc)[:80])
"""


FORK_BOMB = """
_name_me()
_me, _made, _failed = os.getpid(), 0, []
_fork = {fork}
for _ in range(9):                  # at most 2**9 processes if nothing stops it
    try:
        _made += _fork() > 0
    except Exception as exc:
        _failed.append(type(exc).__name__)
if os.getpid() != _me:              # every child sleeps, then leaves; the original goes on
    time.sleep(120)
    _die()
print("FORK BOMB: the first process made", _made, "children; refused:", _failed)
"""


def attacks(root):
    """{student: (what the trick tries, code of its solution cell after the naive sigmoid)}."""
    return {
        "x-gradebook": ("UPDATE the gradebook found walking up from cwd, and at its absolute path",
                        HELPERS + gradebook_code(root) + "print('GRADEBOOK', _zero_gradebooks())\n"),
        "x-gradebook-daemon": ("the same from a double-forked daemon that sleeps 2 s first",
                               HELPERS + gradebook_code(root)
                               + "print(_any_daemon(lambda: (time.sleep(2), _zero_gradebooks())))\n"),
        "x-tamper": ("append a byte to every submitted, autograded and feedback file (walk up + literal paths)",
                     HELPERS + tamper_code(root)),
        "x-read-sources": ("print the hidden tests / solutions of the source, release and 07_losses notebooks",
                           HELPERS + reader_code(root)),
        "x-leak-file": ("write leak.txt into its working folder", "open('leak.txt', 'w').write('leaked')\n"),
        "x-looper": ("an endless loop at the top of sigmoid, which most tests call", None),
        "x-fork-bomb": ("os.fork in a loop, every child forking too", HELPERS + FORK_BOMB.format(fork="os.fork")),
        "x-fork-bomb-ctypes": ("the same through libc's fork (no Python audit event for the fork itself)",
                               HELPERS + FORK_BOMB.format(fork="_forks()['ctypes libc.fork']")),
        "x-fork-bomb-unguarded": ("switch off the grader's audit hook, then the os.fork bomb",
                                  HELPERS + "_unguard()\n" + FORK_BOMB.format(fork="os.fork")),
    }


def probe_code(root, port):
    """What the probe prints (two JSON lines) and the daemons it leaves behind."""
    paths = course_paths(root)
    paths.update(other_paths())
    marker = root / f"marker-{TOKEN}"
    return HELPERS + f"""
def _sqlite(path):
    # sqlite3 opens files in C, without Python's audit events
    try:
        db = sqlite3.connect("file::memory:", uri=True)
        if os.path.isdir(path):
            target = os.path.join(path, ".probe-" + _TOKEN + ".db")
            db.execute("ATTACH DATABASE ? AS x", (target,))
            db.execute("CREATE TABLE x.t (a)")
            db.execute("DETACH DATABASE x")
            os.remove(target)
            return "created a file"
        db.execute("ATTACH DATABASE ? AS x", ("file:" + path + "?mode=ro",))
        return "read %d tables" % db.execute("SELECT count(*) FROM x.sqlite_master").fetchone()[0]
    except Exception as exc:
        return "%s: %s" % (type(exc).__name__, exc)

def _look(path):
    r = {{}}
    try:
        os.stat(path)
        r["exists"] = True
    except Exception:
        r["exists"] = False
    try:
        r["list"] = sorted(os.listdir(path))[:40]
    except Exception:
        r["list"] = None
    try:
        with open(path, "rb") as fh:
            r["read"] = fh.read(40).decode("latin-1")
    except Exception:
        r["read"] = None
    try:
        if os.path.isdir(path):            # create and remove a file of our own
            probe = os.path.join(path, ".probe-" + _TOKEN)
            os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            os.unlink(probe)
        else:                              # open for appending, write nothing
            os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
        r["write"] = True
    except Exception:
        r["write"] = False
    r["sqlite"] = _sqlite(path)
    return r

def _listing(path):
    try:
        return sorted(os.listdir(path))[:40]
    except Exception as exc:
        return None

def _processes():
    found = []
    for pid in sorted(os.listdir("/proc")):
        if pid.isdigit():
            try:
                stat = open("/proc/%s/stat" % pid).read()
                cmd = open("/proc/%s/cmdline" % pid, "rb").read().replace(b"\\0", b" ").decode()[:160]
                found.append([int(pid), int(stat.rsplit(")", 1)[1].split()[1]), cmd])
            except Exception:
                pass
    return found

def _connect(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=3).close()
        return "connected"
    except Exception as exc:
        return "%s: %s" % (type(exc).__name__, exc)

def _late_writes():
    time.sleep(3)
    for path in [{str(root / 'gradebook.db')!r}, {str(marker)!r}]:
        try:
            with open(path, "ab") as fh:
                fh.write(b"daemon was here\\n")
        except Exception:
            pass
    time.sleep(300)

def _probe():
    report = {{"unguarded": _unguard(), "cwd": os.getcwd(), "pid": os.getpid(), "uid": os.getuid()}}
    paths = {json.dumps({k: str(v) for k, v in paths.items()})}
    report["paths"] = {{label: _look(path) for label, path in paths.items()}}
    report["walk"] = [[d, _listing(d)] for d in _ancestors()]
    report["connect"] = _connect({port})
    report["processes"] = _processes()
    print("PROBE-REPORT " + json.dumps(report))
    daemons = {{}}
    for route, fork in _forks().items():
        try:
            daemons[route] = _daemon(fork, _late_writes)
        except Exception as exc:
            daemons[route] = "%s: %s" % (type(exc).__name__, exc)
    print("PROBE-DAEMONS " + json.dumps(daemons))

_probe()
"""


def course_paths(root):
    """Paths of the course (and of the project's source notebooks) the sandbox must not see."""
    paths = {"course root": root, "notebooks/": root / "notebooks", "release/": root / "release",
             "submitted/": root / "submitted",
             "own submission": root / "submitted" / PROBE / A / NB,
             "own submission folder": root / "submitted" / PROBE / A,
             "other's submission": root / "submitted" / "sample-reference" / A / NB,
             "other's submission folder": root / "submitted" / "sample-reference" / A,
             "autograded/": root / "autograded", "feedback/": root / "feedback",
             "a feedback file": root / "feedback" / "earlier.html",
             "gradebook.db": root / "gradebook.db", "grading_status.json": root / "grading_status.json",
             "source notebook": root / "notebooks" / A / NB,
             "project's notebooks/": PROJECT / "notebooks",
             "project's 07_losses source": PROJECT / "notebooks" / "07_losses" / "losses.ipynb"}
    if (root / "source").exists():
        paths["source/"] = root / "source"
    return paths


def other_paths():
    """Printed for the report; only the project checkout's listing is asserted on."""
    import cs231n_course.reference
    reference = Path(cs231n_course.reference.__file__).parent
    return {"project checkout": PROJECT, "/root": Path("/root"), "/home": Path("/home"),
            "/etc/passwd": Path("/etc/passwd"), "the answer key's folder": reference,
            "a file of the answer key": reference / "losses.py"}


# ---------------------------------------------------------------------------
# Building and grading the class

def with_solution(nb, sigmoid, extra=""):
    """``nb`` with sigmoid replaced and ``extra`` appended to the sigmoid solution cell."""
    nb = apply_variant(nb, Variant("sigmoid", "wrong", "", sigmoid, False))
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "sigmoid-solution":
            cell.source += "\n" + extra
    return nb


def submit(root, student, nb):
    (root / "submitted" / student / A).mkdir(parents=True)
    nbformat.write(nb, root / "submitted" / student / A / NB)


def new_course(root):
    shutil.copytree(NOTEBOOKS / A, root / "notebooks" / A)
    course = Course(root, limits=LIMITS)
    course.release([A])
    course.sample_class([A])
    reference = nbformat.read(root / "submitted" / "sample-reference" / A / NB, as_version=4)
    submit(root, "naive", with_solution(reference, NAIVE))
    return course, reference


def hashes(folder):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def token_processes():
    """(pid, name, command line) of every process carrying this run's token."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if TOKEN in comm or TOKEN in cmd:
            found.append((int(pid), comm, cmd[:120]))
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]

    clean, _ = new_course(tmp_path_factory.mktemp("clean-class"))
    root = tmp_path_factory.mktemp("attacked-class")
    course, reference = new_course(root)
    submit(root, PROBE, with_solution(reference, NAIVE, probe_code(root, port)))
    corpus = attacks(root)
    for student, (_, code) in corpus.items():
        submit(root, student, with_solution(reference, LOOPER, "") if code is None
               else with_solution(reference, NAIVE, code))
    # Things the probe should not see either: an earlier feedback page and status file.
    (root / "feedback").mkdir()
    (root / "feedback" / "earlier.html").write_text("<p>feedback of an earlier run</p>\n")
    (root / "grading_status.json").write_text("{}")
    before = hashes(root / "submitted")

    try:
        start = time.monotonic()
        outcomes = course.autograde([A], jobs=2)
        elapsed = time.monotonic() - start
        finished = time.monotonic()
        course.feedback([A])
        course.export_grades()
        clean.autograde([A], jobs=2)
        clean.feedback([A])
        time.sleep(max(0.0, finished + 6 - time.monotonic()))   # the probe's daemons write 3 s after it ran
        survivors = token_processes()
        try:
            listener.accept()[0].close()
            accepted = True
        except BlockingIOError:
            accepted = False
        yield SimpleNamespace(root=root, course=course, clean=clean, outcomes=outcomes, elapsed=elapsed,
                              before=before, survivors=survivors, accepted=accepted, corpus=corpus,
                              notebooks=len(list((root / "submitted").glob(f"*/{A}/*.ipynb"))))
    finally:
        listener.close()
        for _ in range(3):
            for pid, _, _ in token_processes():      # whatever escaped: ours, found by its token
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.5)


# ---------------------------------------------------------------------------
# Reading results

def per_test(course, student):
    """{grade_id: earned} of a student's graded notebook, from the grading status."""
    info = course.grading_status().get(f"{student}/{A}", {})
    return {g: e for nb in info.get("tests", {}).values() for g, (e, _) in nb.items()}


def gradebook(course, student):
    rows = [r for r in course.gradebook_rows() if r["student"] == student and r["assignment"] == A]
    return (rows[0]["auto"], rows[0]["score"]) if rows else None


def output_text(nb_path):
    """All text of the outputs of an executed notebook."""
    nb = json.loads(Path(nb_path).read_text())
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            for key in ("text", "evalue", "traceback"):
                value = out.get(key)
                parts.append(("\n" if key == "traceback" else "").join(value) if isinstance(value, list)
                             else str(value or ""))
            for value in out.get("data", {}).values():
                if isinstance(value, (str, list)):
                    parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


def probe_line(root, prefix):
    """The first line the probe printed starting with ``prefix``, parsed (JSON)."""
    text = output_text(root / "autograded" / PROBE / A / NB)
    lines = [line for line in text.splitlines() if line.startswith(prefix + " ")]
    assert lines, f"no {prefix} line in the probe's autograded notebook:\n" + text[:3000]
    return json.loads(lines[0][len(prefix) + 1:])


@pytest.fixture(scope="module")
def report(graded):
    rep = probe_line(graded.root, "PROBE-REPORT")
    print(json.dumps(rep, indent=1))
    return rep


def sections(source, begin, end):
    out, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            out.append(line)
    return out


def secret_lines():
    """Lines (25+ characters) of the hidden tests and solutions of all seven source notebooks."""
    secret = set()
    for path in sorted(NOTEBOOKS.glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for kind in ("HIDDEN TESTS", "SOLUTION"):
                lines = sections(cell.source, f"### BEGIN {kind}", f"### END {kind}")
                secret.update(line.strip() for line in lines if len(line.strip()) >= 25)
    return secret


def notebook_lines(path):
    return {l.strip() for cell in nbformat.read(path, as_version=4).cells for l in cell.source.splitlines()}


def page_text(path):
    return html.unescape(re.sub(r"<[^>]+>", "", Path(path).read_text(errors="replace")))


# ---------------------------------------------------------------------------
# The clean class

def test_clean_baselines_differ(graded):
    clean = graded.clean
    assert gradebook(clean, "sample-reference")[0] == 15
    assert gradebook(clean, "sample-blank")[0] < gradebook(clean, "naive")[0] < 15


# ---------------------------------------------------------------------------
# The probe

def visible(look):
    """Whether any route of the probe reached the path (stat, listdir, open, sqlite's own open)."""
    return (look["exists"] or look["list"] is not None or look["read"] is not None or look["write"]
            or "unable to open" not in look["sqlite"])


def test_probe_switched_off_the_python_guards(report):
    # Not a property of the grader: tells that the probe below tested the operating system's
    # isolation, not only the sandbox's audit hook.
    assert report["unguarded"], "the probe found no audit-hook phase to switch off; it tested the hook too"


def test_probe_sees_no_course_path(graded, report):
    seen = {label: look for label, look in report["paths"].items()
            if label in course_paths(graded.root) and visible(look)}
    assert not seen, seen


def test_probe_sees_no_course_above_its_working_folder(graded, report):
    assert not report["cwd"].startswith(str(graded.root)) and not report["cwd"].startswith(str(PROJECT) + "/")
    course_names = {"gradebook.db", "submitted", "autograded", "feedback", "release", "grading_status.json"}
    for folder, listing in report["walk"]:
        assert not course_names & set(listing or []), (folder, listing)
    checkout = report["paths"]["project checkout"]["list"] or []
    assert not {"notebooks", "data", "tests", ".git"} & set(checkout), checkout


def test_probe_finds_no_answer_key(report):
    # The instructor's package is in the sandbox (its sandbox program), its reference/ is an empty folder.
    assert report["paths"]["the answer key's folder"]["list"] == []
    key_file = report["paths"]["a file of the answer key"]
    assert not key_file["exists"] and key_file["read"] is None, key_file


def test_probe_reaches_no_port_on_the_grader_machine(graded, report):
    assert report["connect"] != "connected"
    assert not graded.accepted


def test_probe_sees_only_its_own_processes(report):
    processes = report["processes"]
    assert 0 < len(processes) <= 6, processes
    assert not [p for p in processes if "pytest" in p[2] or "multiprocessing" in p[2]], processes


def test_no_daemon_outlives_grading(graded, report):
    print("daemons:", probe_line(graded.root, "PROBE-DAEMONS"))
    assert not (graded.root / f"marker-{TOKEN}").exists()
    assert not graded.survivors, graded.survivors
    assert b"daemon was here" not in (graded.root / "gradebook.db").read_bytes()


def test_probe_earns_the_naive_score(graded):
    assert per_test(graded.course, PROBE) == per_test(graded.clean, "naive")


# ---------------------------------------------------------------------------
# The attack corpus

ATTACKERS = ["x-gradebook", "x-gradebook-daemon", "x-tamper", "x-read-sources", "x-leak-file",
             "x-looper", "x-fork-bomb", "x-fork-bomb-ctypes", "x-fork-bomb-unguarded"]
HARMFUL = {"x-looper", "x-fork-bomb", "x-fork-bomb-ctypes", "x-fork-bomb-unguarded"}   # may lose what they break
# Not required to be flagged, as there is nothing to notice: writing into its own working folder is
# what any student may do (that the file stays in the sandbox is checked below), and with the audit
# hook switched off only the kernel sees the forks (the process limit and the PID namespace stop them).
SILENT = {"x-leak-file", "x-fork-bomb-unguarded"}


def test_attack_list_is_the_corpus(graded):
    assert sorted(graded.corpus) == sorted(ATTACKERS)


@pytest.mark.parametrize("student", ATTACKERS)
def test_attacker_earns_the_naive_score(graded, student):
    naive = per_test(graded.clean, "naive")
    got = per_test(graded.course, student)
    assert set(got) == set(naive), got
    if student in HARMFUL:
        assert all(got[g] <= naive[g] for g in naive), (got, naive)
        assert gradebook(graded.course, student)[0] <= gradebook(graded.clean, "naive")[0]
    else:
        assert got == naive
        assert gradebook(graded.course, student) == gradebook(graded.clean, "naive")


@pytest.mark.parametrize("student", [s for s in ATTACKERS if s not in SILENT])
def test_attacker_is_flagged(graded, student):
    status = graded.course.grading_status()[f"{student}/{A}"]
    assert status["flags"], status


def test_other_students_score_as_in_a_clean_run(graded):
    for student in HONEST:
        assert per_test(graded.course, student) == per_test(graded.clean, student), student
        assert gradebook(graded.course, student) == gradebook(graded.clean, student), student
        assert graded.outcomes[(student, A)].graded


def test_submissions_are_unchanged(graded):
    assert hashes(graded.root / "submitted") == graded.before


def test_leak_file_stays_in_the_sandbox(graded):
    assert not list(graded.root.rglob("leak.txt"))


def test_no_feedback_or_output_shows_hidden_or_solution_code(graded):
    root = graded.root
    allowed = notebook_lines(root / "release" / A / NB)
    secret = secret_lines() - allowed
    assert len(secret) > 100
    leaks = {}
    for sub in sorted((root / "submitted").glob(f"*/{A}/{NB}")):
        student = sub.parent.parent.name
        forbidden = secret - notebook_lines(sub)
        texts = {}
        for page in (root / "feedback" / student).rglob("*.html"):
            texts[page] = page_text(page)
        autograded = root / "autograded" / student / A / NB
        if autograded.exists():
            texts[autograded] = output_text(autograded)
        for where, text in texts.items():
            found = sorted(l for l in forbidden if l in text)
            if found:
                leaks[str(where.relative_to(root))] = found[:5]
    assert not leaks, leaks
    assert list((root / "feedback").rglob(f"*/{A}/*.html")), "no feedback was generated"


def test_class_finishes_within_the_sum_of_its_budgets(graded):
    assert graded.notebooks == len(HONEST) + 1 + len(ATTACKERS)
    print(f"{graded.notebooks} notebooks graded in {graded.elapsed:.1f} s (jobs=2)")
    assert graded.elapsed < graded.notebooks * LIMITS.budget, graded.elapsed
