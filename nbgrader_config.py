# nbgrader's configuration for this course (used by `nbgrader ...` and formgrader).
# The settings live in cs231n_course.course.configure, which the course
# commands (`python -m cs231n_course ...`) use too, so both see one course.
from pathlib import Path

from cs231n_course.course import configure

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)
configure(c, Path(__file__).resolve().parent)
