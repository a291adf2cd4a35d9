"""Set-up files agree with each other: pyproject, environment.yml, README, .ci/run."""
import re
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT


def requirement_name(req):
    return re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0].strip().lower()


def test_environment_yml_lists_every_requirement_of_pyproject():
    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    listed = {requirement_name(line.strip()[2:]) for line in (ROOT / "environment.yml").read_text().splitlines()
              if line.strip().startswith("- ") and not line.strip().startswith("- pip:")}
    missing = [r for r in required if requirement_name(r) not in listed]
    assert not missing, f"environment.yml does not list {missing}"
    assert "-e ." in (ROOT / "environment.yml").read_text(), "environment.yml must install the package itself"


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


@pytest.mark.parametrize("command", ["release", "solution", "sample-class", "autograde", "feedback",
                                     "grades", "all", "validate", "download-cifar10"])
def test_every_course_command_has_help(command):
    out = subprocess.run([sys.executable, "-m", "cs231n_support", command, "--help"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "usage:" in out.stdout


def test_unknown_course_root_is_a_clear_error(tmp_path):
    out = subprocess.run([sys.executable, "-m", "cs231n_support", "--root", str(tmp_path), "release"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "no notebooks/ folder" in out.stdout
