#!/usr/bin/env bash
# The course's JupyterHub on this machine, in one command (as root):
#   sudo CS231N_INSTRUCTORS=ada CS231N_STUDENTS=alice,bob deploy/start.sh
#   deploy/start.sh --setup-only      everything below but starting the hub
# Sets up, the first time: the course folder (this checkout's notebooks/ and translations/), the course's
# environment (instructors), the student environment (no answer key), the nbgrader exchange (1777), the
# configurable-http-proxy; then runs JupyterHub with deploy/jupyterhub_config.py on port 8000.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; REPO="$(dirname "$HERE")"
export CS231N_COURSE_ROOT="${CS231N_COURSE_ROOT:-/srv/cs231n/course}"
export CS231N_COURSE_VENV="${CS231N_COURSE_VENV:-/srv/cs231n/venv}"
export CS231N_STUDENT_VENV="${CS231N_STUDENT_VENV:-/srv/cs231n/student-venv}"
export CS231N_EXCHANGE="${CS231N_EXCHANGE:-/srv/nbgrader/exchange}"
export CS231N_HUB_STATE="${CS231N_HUB_STATE:-/srv/cs231n/hub}"
export CS231N_ROLES="${CS231N_ROLES:-/srv/cs231n/roles}"
export CS231N_INSTRUCTORS="${CS231N_INSTRUCTORS:-}" CS231N_STUDENTS="${CS231N_STUDENTS:-}"
[ "$(id -u)" = 0 ] || { echo "run as root: the hub starts each user's server as that user" >&2; exit 1; }
# The Python of both environments: every user must be able to run it (their servers run as them), so
# not one under /root (pyenv, conda).
PYTHON="${CS231N_PYTHON:-/usr/bin/python3}"
runuser -u nobody -- "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null || {
    echo "$PYTHON is not a Python 3.11+ that every user can run; set CS231N_PYTHON to one" >&2; exit 1; }
for u in ${CS231N_INSTRUCTORS//,/ } ${CS231N_STUDENTS//,/ }; do
    id "$u" >/dev/null 2>&1 || { echo "no Unix user $u: create it first (adduser $u)" >&2; exit 1; }
done
getent group instructors >/dev/null || groupadd instructors
for u in ${CS231N_INSTRUCTORS//,/ }; do usermod -aG instructors "$u"; done
command -v bwrap >/dev/null || apt-get install -y bubblewrap
# The exchange: everyone writes, sticky, as nbgrader requires.
install -d -m 0755 "$(dirname "$CS231N_EXCHANGE")"; install -d -m 1777 "$CS231N_EXCHANGE"
install -d -m 0700 "$CS231N_HUB_STATE"
# Each role's Jupyter and nbgrader settings, readable by everyone; the checkout itself (source notebooks,
# answer key) by root and instructors only.
rm -rf "$CS231N_ROLES"; cp -r "$HERE/roles" "$CS231N_ROLES"; chmod -R a+rX "$CS231N_ROLES"
chgrp -R instructors "$REPO"; chmod -R o-rwx "$REPO"
# The course folder and its environment: instructors only (the answer key is in it).
if [ ! -d "$CS231N_COURSE_ROOT/notebooks" ]; then
    install -d -m 2770 -g instructors "$CS231N_COURSE_ROOT"
    cp -r "$REPO/notebooks" "$REPO/translations" "$CS231N_COURSE_ROOT/"
    cp "$REPO/nbgrader_config.py" "$CS231N_COURSE_ROOT/"     # a copy: it names its own folder as the course
    chgrp -R instructors "$CS231N_COURSE_ROOT"; chmod -R g+rwX "$CS231N_COURSE_ROOT"
fi
if [ ! -x "$CS231N_COURSE_VENV/bin/jupyterhub" ]; then
    "$PYTHON" -m venv "$CS231N_COURSE_VENV"
    "$CS231N_COURSE_VENV/bin/pip" install -q -e "$REPO/student[lab,ko]" -e "$REPO/instructor"
    chgrp -R instructors "$CS231N_COURSE_VENV"; chmod -R o-rwx "$CS231N_COURSE_VENV"
fi
if [ ! -x "$CS231N_STUDENT_VENV/bin/jupyterhub-singleuser" ]; then
    "$PYTHON" -m venv "$CS231N_STUDENT_VENV"
    wheel="$("$CS231N_COURSE_VENV/bin/python" -m cs231n_course --root "$CS231N_COURSE_ROOT" student-wheel \
             --out "$CS231N_HUB_STATE/dist" | sed -n 's/^student wheel written to //p')"
    "$CS231N_STUDENT_VENV/bin/pip" install -q "${wheel}[lab,ko]" "$(grep -o 'jupyterhub[^"]*' "$REPO/instructor/pyproject.toml")"
fi
# The proxy (Node.js); without npm, pip's Python implementation: pip install configurable-http-proxy.
if ! command -v configurable-http-proxy >/dev/null; then npm install -g configurable-http-proxy; fi
if [ "${1:-}" = "--setup-only" ]; then echo "set up; start the hub with: deploy/start.sh"; exit 0; fi
cd "$CS231N_HUB_STATE"
exec "$CS231N_COURSE_VENV/bin/jupyterhub" -f "$HERE/jupyterhub_config.py" "$@"
