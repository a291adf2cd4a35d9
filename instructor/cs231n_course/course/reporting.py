"""What the instructor reads: the grades CSV, the pass-rate report, the gradebook table."""
from pathlib import Path

from .config import COURSE_ID, NOT_ISOLATED


class Reporting:
    """Mixed into ``Course``: grades.csv, course_report/, the gradebook as a table."""

    def export_grades(self, path=None):
        """Write the grades CSV (nbgrader's export plus a status column); return its path.

        nbgrader writes 0 for a student without a recorded submission; here a
        submission whose grading failed gets empty scores and a status saying
        "not graded: why", so it cannot pass for an honest zero.
        """
        import csv
        from nbgrader.api import Gradebook
        from nbgrader.plugins import CsvExportPlugin
        path = Path(path or self.root / "grades.csv")
        plugin = CsvExportPlugin(parent=self.api)
        plugin.to = str(path)
        with Gradebook(self.api.coursedir.db_url, COURSE_ID) as gb:
            plugin.export(gb)
        status = self.grading_status()
        with open(path, newline="") as fh:
            rows = list(csv.DictReader(fh))
        extra = ["status", "flags", "isolation"]
        fields = list(rows[0].keys()) + extra if rows else extra
        for row in rows:
            info = status.get(f"{row['student_id']}/{row['assignment']}")
            if info is None:
                row["status"] = "graded" if row.get("timestamp") else "no submission"
                row["flags"] = row["isolation"] = ""
                continue
            row["status"], row["flags"] = info["status"], "; ".join(info["flags"])
            row["isolation"] = "sandboxed" if info.get("isolated", True) else NOT_ISOLATED
            if info["status"] != "graded":
                for key in ("raw_score", "late_submission_penalty", "score"):
                    row[key] = ""
        with open(path, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        return path

    def report(self, out_dir=None):
        """The instructor's report: per-test pass rates (CSV and plot) and the flagged submissions."""
        import csv
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        out = Path(out_dir or self.root / "course_report")
        out.mkdir(parents=True, exist_ok=True)
        status = self.grading_status()
        rates = {}
        for key, info in status.items():
            assignment = key.split("/", 1)[1]
            for nb, tests in info.get("tests", {}).items():
                for grade_id, (earned, points) in tests.items():
                    r = rates.setdefault((assignment, nb, grade_id), [0, 0, points])
                    r[0] += earned >= points
                    r[1] += 1
        with open(out / "pass_rates.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["assignment", "notebook", "test", "points", "passed", "graded", "pass_rate"])
            for (a, nb, g), (passed, n, points) in sorted(rates.items()):
                w.writerow([a, nb, g, points, passed, n, f"{passed / n:.3f}"])
        if rates:
            labels = [f"{a}: {g}" for a, _, g in sorted(rates)]
            values = [rates[k][0] / rates[k][1] for k in sorted(rates)]
            fig, ax = plt.subplots(figsize=(8, 0.22 * len(labels) + 1.2))
            ax.barh(range(len(labels)), values, color="tab:blue")
            ax.set(yticks=range(len(labels)), xlim=(0, 1), xlabel="fraction of the class passing",
                   title="Autograded tests: pass rate across the class")
            ax.set_yticklabels(labels, fontsize=7)
            ax.invert_yaxis()
            fig.tight_layout()
            fig.savefig(out / "pass_rates.png", dpi=110)
            plt.close(fig)
        with open(out / "flagged.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["student", "assignment", "status", "why"])
            for key, info in sorted(status.items()):
                student, assignment = key.split("/", 1)
                whys = info["flags"] + ([] if info["status"] == "graded" else [info["status"]])
                for why in whys + ([] if info.get("isolated", True) else [NOT_ISOLATED]):
                    w.writerow([student, assignment, info["status"], why])
        return out

    def gradebook_rows(self):
        """One dict per (student, assignment) submission in the gradebook."""
        from nbgrader.api import Gradebook, MissingEntry
        rows = []
        with Gradebook(self.api.coursedir.db_url, COURSE_ID) as gb:
            for a in gb.assignments:
                for s in gb.students:
                    try:
                        sub = gb.find_submission(a.name, s.id)
                    except MissingEntry:
                        continue
                    rows.append(dict(student=s.id, assignment=a.name,
                                     auto=sub.code_score, auto_max=sub.max_code_score,
                                     written=sub.written_score, written_max=sub.max_written_score,
                                     needs_manual=sub.needs_manual_grade,
                                     score=sub.score, max_score=sub.max_score,
                                     late_penalty=sub.late_submission_penalty or 0.0))
        return rows

    def gradebook_table(self):
        """The gradebook as a text table: autograded, hand-graded, total (after a late penalty), status."""
        status = self.grading_status()
        rows = self.gradebook_rows()
        lines = []
        for r in rows:
            info = status.get(f"{r['student']}/{r['assignment']}", {})
            lines.append((r["student"], r["assignment"], f"{r['auto']:g} / {r['auto_max']:g}",
                          f"{r['written']:g} / {r['written_max']:g}" + (" (to grade)" if r["needs_manual"] else ""),
                          f"{max(0.0, r['score'] - r['late_penalty']):g} / {r['max_score']:g}"
                          + (f" (late: -{r['late_penalty']:g})" if r["late_penalty"] else ""),
                          ("flagged" if info.get("flags") else "ok")
                          + ("" if info.get("isolated", True) else ", NOT ISOLATED")))
        graded = {(r["student"], r["assignment"]) for r in rows}
        for key, info in sorted(status.items()):
            student, assignment = key.split("/", 1)
            if (student, assignment) not in graded and info["status"] != "graded":
                lines.append((student, assignment, "-", "-", "-", info["status"][:60]))
        if not lines:
            return "(the gradebook has no submissions yet)"
        header = ("student", "assignment", "autograded", "by hand", "total", "status")
        widths = [max(len(x) for x in col) for col in zip(header, *lines)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        out = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
        out += [fmt.format(*line) for line in sorted(lines, key=lambda l: (l[1], l[0]))]
        return "\n".join(out)
