"""The course's steps through nbgrader's exchange: publish, collect, return feedback.

Each wraps nbgrader's own exchange classes (``ExchangeReleaseAssignment``,
``ExchangeCollect``, ``ExchangeReleaseFeedback``, found through nbgrader's
``ExchangeFactory`` so that another exchange, e.g. ngshare's, can take their
place by configuration), run with the course's configuration:

- ``publish``: the course's ``release`` step, the due date written into the
  gradebook as nbgrader's assignment ``duedate``, then the release copied to
  ``<exchange>/<course>/outbound/<assignment>``.
- ``collect``: each student's latest submission from
  ``<exchange>/<course>/inbound`` into ``submitted/<student>/<assignment>``
  with its ``timestamp.txt``, so that nbgrader's Autograde records when it was
  submitted and the gradebook marks it late against the due date.
- ``return_feedback``: the course's ``feedback`` step, then each page copied to
  ``<exchange>/<course>/feedback/<hash>.html``, a name only the student who
  holds that submission's secret can compute (nbgrader's own scheme).

The exchange folder (``c.Exchange.root``) is set in ``config.configure``:
``--exchange``, else ``$CS231N_EXCHANGE``, else ``/srv/nbgrader/exchange``.
"""
import os
from pathlib import Path

from .config import COURSE_ID, CourseError


def parse_due(due):
    """An ISO 8601 date and time (naive means UTC) as nbgrader stores it: naive UTC."""
    from dateutil.parser import isoparse
    from nbgrader.utils import parse_utc
    if due is None:
        return None
    try:
        isoparse(str(due))
    except ValueError:
        raise CourseError(f"--due {due!r} is not an ISO 8601 date and time, e.g. 2026-10-05T23:59:00+09:00") from None
    return parse_utc(str(due))


def late_by(timestamp, duedate):
    """Seconds a submission at ``timestamp`` is late for ``duedate`` (both naive UTC), as nbgrader counts them."""
    if timestamp is None or duedate is None:
        return 0.0
    return max(0.0, (timestamp - duedate).total_seconds())


class ExchangeSteps:
    """Mixed into ``Course``: handing assignments out and work back through nbgrader's exchange."""

    @property
    def exchange_root(self):
        return Path(self.config.Exchange.root)

    def check_exchange(self, need_write=True):
        """Raise CourseError unless the exchange folder exists and this user may use it."""
        root = self.exchange_root
        how = (f"create it as nbgrader requires (writable by everyone, sticky):\n"
               f"    sudo install -d -m 1777 {root}\n"
               "  or choose another folder with --exchange or $CS231N_EXCHANGE")
        if not root.is_dir():
            raise CourseError(f"the nbgrader exchange folder {root} does not exist; {how}")
        mode = os.R_OK | os.X_OK | (os.W_OK if need_write else 0)
        if not os.access(root, mode):
            raise CourseError(f"the nbgrader exchange folder {root} is not "
                              f"{'writable' if need_write else 'readable'} by this user; {how}")

    def _exchange(self, kind, assignment, student="*", **traits):
        """Run one of nbgrader's exchange steps (``kind``: ReleaseAssignment, Collect, ReleaseFeedback)."""
        return self._run_app(lambda: getattr(self.api.exchange, kind)(
            coursedir=self.api.coursedir, authenticator=self.api.authenticator, parent=self.api),
            f"nbgrader's Exchange{kind} failed for {assignment}", assignment, student, **traits)

    def publish(self, assignments=None, due=None, force=False):
        """Release each assignment and put it in the exchange for students to fetch; record its due date.

        Returns {assignment: due date (naive UTC) or None}.
        """
        from nbgrader.api import Gradebook
        self.check_exchange()
        duedate = parse_due(due)
        assignments = assignments or self.assignments()
        unknown = sorted(set(assignments) - set(self.assignments()))
        if unknown:
            raise CourseError(f"no such assignment: {', '.join(unknown)} (notebooks/ has "
                              f"{', '.join(self.assignments())})")
        for a in assignments:
            if (self.exchange_root / COURSE_ID / "outbound" / a).is_dir() and not force:
                raise CourseError(f"{a} is already published in {self.exchange_root / COURSE_ID / 'outbound'}; "
                                  "pass --force to publish it again (students who fetched it keep their copy)")
        self.release(assignments)
        published = {}
        for a in assignments:
            with Gradebook(self.api.coursedir.db_url, COURSE_ID) as gb:
                if duedate is not None:
                    gb.update_or_create_assignment(a, duedate=duedate)
                published[a] = gb.find_assignment(a).duedate
            self._exchange("ReleaseAssignment", a, force=True)
        return published

    def collect(self, assignments=None):
        """Copy each student's latest submission from the exchange into submitted/.

        A submission collected before is replaced only by a newer one. Returns
        {(student, assignment): seconds late} for every submission now in submitted/
        that came from the exchange.
        """
        from nbgrader.api import Gradebook, MissingEntry
        self.check_exchange(need_write=False)
        inbound = self.exchange_root / COURSE_ID / "inbound"
        if not inbound.is_dir():
            raise CourseError(f"nothing was ever published in {self.exchange_root / COURSE_ID} "
                              "(no inbound/ folder): publish an assignment first")
        collected = {}
        for a in assignments or self.assignments():
            self._exchange("Collect", a, update=True)
            with Gradebook(self.api.coursedir.db_url, COURSE_ID) as gb:
                try:
                    duedate = gb.find_assignment(a).duedate
                except MissingEntry:
                    duedate = None
            for student, _ in self.submissions([a]):
                stamp = self.api.coursedir.get_existing_timestamp(str(self.root / "submitted" / student / a))
                if stamp is not None:
                    collected[(student, a)] = late_by(stamp, duedate)
        return dict(sorted(collected.items()))

    def return_feedback(self, assignments=None, students=None):
        """Generate feedback for the graded submissions and put it in the exchange for their students.

        Returns ({(student, assignment): why} of submissions that got no feedback,
        [(student, assignment)] of those returned).
        """
        self.check_exchange()
        missing = self.feedback(assignments, students)
        returned = []
        for a in assignments or self.assignments():
            for student, _ in self.submissions([a], students):
                if (student, a) in missing:
                    continue
                folder = self.root / "feedback" / student / a
                if not (folder / "submission_secret.txt").exists():
                    missing[(student, a)] = "not submitted through the exchange (no submission secret)"
                    continue
                self._exchange("ReleaseFeedback", a, student)
                returned.append((student, a))
        return missing, returned
