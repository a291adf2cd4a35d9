"""Set-up files agree with each other: pyproject, environment.yml, README, .ci/run."""
import re
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT


def requirement_name(req):
    return re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0].strip().lower()


PACKAGES = {"student": "cs231n-support", "instructor": "cs231n-course"}


def package_requirements():
    """{requirement name: requirement} of both packages, the student package itself left out."""
    reqs = {}
    for folder in PACKAGES:
        project = tomllib.loads((ROOT / folder / "pyproject.toml").read_text())["project"]
        extras = project.get("optional-dependencies", {})
        for r in project["dependencies"] + extras.get("lab", []) + extras.get("ko", []):
            if requirement_name(r) not in PACKAGES.values():
                reqs.setdefault(requirement_name(r), r.replace(" ", ""))
    return reqs


def test_environment_yml_lists_exactly_the_requirements_of_the_two_packages():
    deps = (ROOT / "environment.yml").read_text().split("\ndependencies:\n", 1)[1]
    lines = [line.strip()[2:].strip() for line in deps.splitlines() if line.strip().startswith("- ")]
    listed = {requirement_name(l): l.replace(" ", "") for l in lines
              if not l.startswith(("-e ", "pip", "python")) and l != "pip:"}
    assert listed == package_requirements()
    assert {"-e ./student", "-e ./instructor"} <= set(lines), "environment.yml must install both packages"


def test_the_instructor_package_pins_the_student_package_of_this_checkout():
    student = tomllib.loads((ROOT / "student" / "pyproject.toml").read_text())["project"]
    instructor = tomllib.loads((ROOT / "instructor" / "pyproject.toml").read_text())["project"]
    assert f"cs231n-support[ko]=={student['version']}" in instructor["dependencies"]


def quick_start_commands():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```(?:bash|sh)?\n(.*?)```", section, flags=re.S).group(1)
    return [l.strip() for l in block.splitlines() if l.strip() and not l.strip().startswith("#")]


def test_readme_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    commands = quick_start_commands()
    assert len(commands) == 2, commands
    assert commands == ["python3 run.py main", "python3 run.py test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^exec python3 run.py test$", ci, flags=re.M)


@pytest.mark.parametrize("package, command", [
    ("cs231n_course", c) for c in ["release", "solution", "sample-class", "autograde", "feedback", "grades",
                                   "report", "all", "student-wheel", "validate", "download-cifar10",
                                   "collect-zip", "export-canvas", "publish", "collect", "return-feedback"]] + [
    ("cs231n_support", c) for c in ["validate", "download-cifar10"]])
def test_every_command_has_help(package, command):
    out = subprocess.run([sys.executable, "-m", package, command, "--help"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "usage:" in out.stdout


def test_unknown_course_root_is_a_clear_error(tmp_path):
    out = subprocess.run([sys.executable, "-m", "cs231n_course", "--root", str(tmp_path), "release"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "no notebooks/ folder" in out.stdout
