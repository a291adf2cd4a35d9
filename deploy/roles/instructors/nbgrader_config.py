# nbgrader for an instructor's server (formgrader, `nbgrader ...` in its terminal): the course's own
# settings from cs231n_course.course.configure, so that formgrader's autograde is the sealed grader
# (SealedExecute in nbgrader's Autograde) and the exchange is the course's.
import os

from cs231n_course.course import configure

c = get_config()  # noqa: F821
configure(c, os.environ.get("CS231N_COURSE_ROOT", "/srv/cs231n/course"))
