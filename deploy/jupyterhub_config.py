# JupyterHub for one course on one machine (The Littlest JupyterHub's shape: the hub runs as root,
# each user's server runs as that user's own Unix account). Started by deploy/start.sh; see deploy/README.md.
#
#   instructors  the Unix users in CS231N_INSTRUCTORS (comma-separated); their servers run the course's
#                environment (CS231N_COURSE_VENV, with cs231n_course: formgrader, the course commands,
#                the sealed grader) and nbgrader's config is the course's own (roles/instructors/).
#   students     the Unix users in CS231N_STUDENTS; their servers run the student environment
#                (CS231N_STUDENT_VENV: cs231n_support, JupyterLab, nbgrader; no answer key), with only
#                nbgrader's Assignments panel and Validate (roles/students/): no formgrader, no gradebook.
#   exchange     CS231N_EXCHANGE (default /srv/nbgrader/exchange): mode 1777, as nbgrader requires.
#
# Every setting below is an environment variable with the default of deploy/start.sh.
import os
from pathlib import Path

from cs231n_course.course.config import course_language

HERE = Path(__file__).resolve().parent


def env(name, default):
    return os.environ.get(name) or default


def users(var):
    return sorted({u.strip() for u in os.environ.get(var, "").split(",") if u.strip()})


STATE = Path(env("CS231N_HUB_STATE", "/srv/cs231n/hub"))
COURSE_ROOT = env("CS231N_COURSE_ROOT", "/srv/cs231n/course")
COURSE_VENV = env("CS231N_COURSE_VENV", "/srv/cs231n/venv")
STUDENT_VENV = env("CS231N_STUDENT_VENV", "/srv/cs231n/student-venv")
EXCHANGE = env("CS231N_EXCHANGE", "/srv/nbgrader/exchange")
ROLES = Path(env("CS231N_ROLES", HERE / "roles"))     # readable by every user (start.sh copies it out)
INSTRUCTORS, STUDENTS = users("CS231N_INSTRUCTORS"), users("CS231N_STUDENTS")

c = get_config()  # noqa: F821

c.JupyterHub.bind_url = env("CS231N_HUB_URL", "http://:8000")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# Users: Unix accounts, logging in with their Unix password (PAM); only the course's users.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(INSTRUCTORS) | set(STUDENTS)
c.JupyterHub.load_groups = {"instructors": {"users": INSTRUCTORS}, "students": {"users": STUDENTS}}

# Services (e.g. a script of the instructor's, or tests/test_hub.py) that manage users' servers.
if os.environ.get("CS231N_HUB_SERVICE_TOKEN"):
    c.JupyterHub.services = [{"name": "course-admin", "api_token": os.environ["CS231N_HUB_SERVICE_TOKEN"]}]
    c.JupyterHub.load_roles = [{"name": "course-admin", "services": ["course-admin"],
                                "scopes": ["admin:users", "admin:servers", "tokens", "access:servers",
                                           "list:groups", "read:groups"]}]

# Each user's server: their own Unix account, their home folder, their role's environment.
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120


def role_of(spawner):
    groups = {g.name for g in spawner.user.groups}
    return "instructors" if "instructors" in groups else "students"


def pre_spawn_hook(spawner):
    role = role_of(spawner)
    venv = COURSE_VENV if role == "instructors" else STUDENT_VENV
    # The role's environment: its jupyterhub-singleuser, and its Python as the kernel.
    spawner.cmd = [str(Path(venv) / "bin" / "jupyterhub-singleuser")]
    # Instructors work in the course folder: formgrader refuses to run when the course folder is not
    # inside the server's root ("nbgrader will not work correctly"); students in their home.
    spawner.notebook_dir = COURSE_ROOT if role == "instructors" else "~"
    spawner.environment.update({
        "PATH": f"{Path(venv) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        # nbgrader's and Jupyter's settings for the role (Assignments panel only, or formgrader too)
        "JUPYTER_CONFIG_PATH": str(ROLES / role),
        "CS231N_EXCHANGE": EXCHANGE,
        "CS231N_COURSE_ROOT": COURSE_ROOT,
        # the class's language (the course folder's course_language): JupyterLab's, see roles/students
        "CS231N_LANG": course_language(COURSE_ROOT),
    })


c.Spawner.pre_spawn_hook = pre_spawn_hook
