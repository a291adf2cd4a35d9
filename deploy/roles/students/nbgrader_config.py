# nbgrader for a student's server: the course and the exchange, nothing else
# (no gradebook, no grader: students only fetch, validate, submit and fetch feedback).
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "cs231n-foundations"
c.Exchange.root = os.environ.get("CS231N_EXCHANGE", "/srv/nbgrader/exchange")
