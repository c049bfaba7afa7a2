"""The pre-commit hooks, run for real with ``pre-commit try-repo`` against a temporary git
repository (pre-commit installs this repository and grimp from the package index into its own
environment, where the checked project is not installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from system_tools import require_tool

from conftest import ROOT

CONFIG = """\
[tool.boundary_lint]
root_packages = ["core", "guest"]

[[tool.boundary_lint.contracts]]
id = "guest-never-core"
type = "forbidden"
source_modules = ["guest"]
forbidden_modules = ["core"]
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment for all tests here: installing it is the slow part."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def repo(tmp_path: Path, pre_commit_home: Path) -> Path:
    require_tool("git", package="git")
    if shutil.which("pre-commit") is None:
        pytest.fail("pre-commit is a test dependency: pip install -e '.[test]'")
    repo = tmp_path / "repo"
    for package in ("core", "guest"):
        (repo / package).mkdir(parents=True)
        (repo / package / "__init__.py").write_text("")
    (repo / "core" / "db.py").write_text("ENGINE = None\n")
    (repo / "guest" / "util.py").write_text("from core import db\n")
    (repo / "guest" / "agent.py").write_text("from guest import util\n")
    (repo / "pyproject.toml").write_text(CONFIG)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "start")
    (repo / ".git" / "pre-commit-home").write_text(str(pre_commit_home))
    return repo


def try_repo(repo: Path, hook: str, *args: str) -> subprocess.CompletedProcess[str]:
    home = (repo / ".git" / "pre-commit-home").read_text()
    env = dict(os.environ, PRE_COMMIT_HOME=home, PRE_COMMIT_COLOR="never")
    return subprocess.run(
        ["pre-commit", "try-repo", str(ROOT), hook, *args],
        cwd=repo, capture_output=True, text=True, env=env, check=False,
    )


def test_hooks_fail_with_bnd_lines_then_pass_after_the_fix(repo: Path) -> None:
    whole = try_repo(repo, "boundary-lint-all", "--all-files")
    assert whole.returncode == 1, whole.stdout + whole.stderr
    assert 'guest/util.py:1:1: BND101 guest.util -> core.db (l.1) breaks "guest-never-core"' in whole.stdout
    assert 'guest/agent.py:1:1: BND102 guest.agent -> guest.util' not in whole.stdout  # belongs to guest.util

    # Affected mode: only the staged file's chains. agent.py's chain goes through util.py.
    (repo / "guest" / "agent.py").write_text("from guest import util  # changed\n")
    git(repo, "add", "guest/agent.py")
    affected = try_repo(repo, "boundary-lint")
    assert affected.returncode == 0, affected.stdout + affected.stderr  # agent.py begins no chain

    (repo / "guest" / "util.py").write_text("ENGINE_NAME = 'none'\n")
    git(repo, "add", "guest/util.py")
    assert try_repo(repo, "boundary-lint").returncode == 0
    fixed = try_repo(repo, "boundary-lint-all", "--all-files")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def test_affected_hook_reports_violation_through_staged_file(repo: Path) -> None:
    (repo / "guest" / "util.py").write_text("from core import db  # still here\n")
    git(repo, "add", "guest/util.py")
    result = try_repo(repo, "boundary-lint")
    assert result.returncode == 1
    assert "guest/util.py:1:1: BND101 guest.util -> core.db (l.1)" in result.stdout
