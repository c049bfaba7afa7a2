"""The pre-commit hooks, run for real with ``pre-commit try-repo`` against a temporary git
repository (pre-commit installs this repository and grimp from the package index into its own
environment, where the checked project is not installed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import BOUNDARY_LINT
from conftest import ROOT
from system_tools import require_tool

# Each test installs the hook environment and drives git: seconds to a minute each.
pytestmark = pytest.mark.slow

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
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_hooks_fail_with_bnd_lines_then_pass_after_the_fix(repo: Path) -> None:
    whole = try_repo(repo, "boundary-lint-all", "--all-files")
    assert whole.returncode == 1, whole.stdout + whole.stderr
    assert 'guest/util.py:1:1: BND101 guest.util -> core.db (l.1) breaks "guest-never-core"' in whole.stdout
    assert "guest/agent.py:1:1: BND102 guest.agent -> guest.util" not in whole.stdout  # belongs to guest.util

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


def test_old_violations_never_block_a_commit(repo: Path) -> None:
    """A comment added to guest/util.py (whose old import breaks the contract) is committed:
    the changed-files hook reports only what the change introduces."""
    (repo / "guest" / "util.py").write_text("# A comment.\nfrom core import db\n")
    git(repo, "add", "guest/util.py")
    result = try_repo(repo, "boundary-lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BND" not in result.stdout


def test_a_new_violation_in_a_staged_file_blocks_and_only_it_is_reported(repo: Path) -> None:
    (repo / "guest" / "util.py").write_text("from core import db\nimport core\n")
    git(repo, "add", "guest/util.py")
    result = try_repo(repo, "boundary-lint")
    assert result.returncode == 1, result.stdout + result.stderr
    bnd = [line for line in result.stdout.splitlines() if "BND" in line]
    assert bnd == ['guest/util.py:2:1: BND101 guest.util -> core (l.2) breaks "guest-never-core"']


def test_a_new_file_is_new_though_an_old_file_named_it(repo: Path) -> None:
    """agent.py (committed, unchanged) already imports guest.relay, which did not exist at HEAD;
    the staged new relay.py imports core: its violation is introduced, util.py's is old."""
    (repo / "guest" / "agent.py").write_text("from guest import util\nfrom guest import relay\n")
    git(repo, "add", "guest/agent.py")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "agent")
    (repo / "guest" / "relay.py").write_text("import core.db\n")
    git(repo, "add", "guest/relay.py")
    result = try_repo(repo, "boundary-lint")
    assert result.returncode == 1, result.stdout + result.stderr
    bnd = [line for line in result.stdout.splitlines() if "BND" in line]
    assert bnd == ['guest/relay.py:1:1: BND101 guest.relay -> core.db (l.1) breaks "guest-never-core"']


# --- hooks as a project configures them: .pre-commit-config.yaml with args, and git commit ----


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This repository as it is now (committed or not, as try-repo sees it), committed in a
    repository of its own, so that a .pre-commit-config.yaml can name it with a rev and args."""
    shadow = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file() and not name.startswith("tests/trees/"):
            (shadow / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, shadow / name)
    git(shadow, "init", "-q")
    git(shadow, "add", ".")
    git(shadow, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "hooks")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=shadow, capture_output=True, text=True, check=True)
    return shadow, rev.stdout.strip()


def configure(repo: Path, hook_repo: tuple[Path, str], hook: str, args: list[str]) -> None:
    path, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: {hook}\n"
        f"        args: {json.dumps(args)}\n"
    )
    git(repo, "add", ".pre-commit-config.yaml")


def commit(repo: Path, message: str) -> subprocess.CompletedProcess[str]:
    """``git commit`` through the installed pre-commit hook."""
    home = (repo / ".git" / "pre-commit-home").read_text()
    env = dict(os.environ, PRE_COMMIT_HOME=home, PRE_COMMIT_COLOR="never")
    subprocess.run(["pre-commit", "install"], cwd=repo, env=env, check=True, capture_output=True)
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-m", message],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )


def test_git_commit_passes_an_edit_and_refuses_a_new_violation(
    repo: Path, hook_repo: tuple[Path, str]
) -> None:
    configure(repo, hook_repo, "boundary-lint", [])
    (repo / "guest" / "util.py").write_text('"""Utilities (docstring edited)."""\nfrom core import db\n')
    git(repo, "add", "guest/util.py")
    edited = commit(repo, "docstring")
    assert edited.returncode == 0, edited.stdout + edited.stderr
    (repo / "guest" / "agent.py").write_text("from guest import util\nfrom core import db\n")
    git(repo, "add", "guest/agent.py")
    refused = commit(repo, "new violation")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    shown = refused.stdout + refused.stderr  # git shows the hook's output on stderr
    assert 'guest/agent.py:2:1: BND101 guest.agent -> core.db (l.2) breaks "guest-never-core"' in shown
    assert "guest/util.py" not in shown


def test_the_whole_project_hook_honours_a_baseline_in_args(repo: Path, hook_repo: tuple[Path, str]) -> None:
    written = subprocess.run(
        [BOUNDARY_LINT, "check", "--write-baseline", "boundary-lint-baseline.json"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert written.returncode == 0, written.stderr
    git(repo, "add", "boundary-lint-baseline.json")
    configure(repo, hook_repo, "boundary-lint-all", ["--baseline", "boundary-lint-baseline.json"])
    (repo / "guest" / "util.py").write_text('"""Docstring."""\nfrom core import db\n')
    git(repo, "add", "guest/util.py")
    known = commit(repo, "docstring")
    assert known.returncode == 0, known.stdout + known.stderr
    (repo / "guest" / "agent.py").write_text("import core.db\n")
    git(repo, "add", "guest/agent.py")
    new = commit(repo, "new violation")
    assert new.returncode == 1 and "guest/agent.py:1:1: BND101" in new.stderr, new.stdout + new.stderr


@pytest.mark.parametrize("how", ["tox.ini pointer", "args"])
def test_hooks_find_contracts_that_discovery_does_not(
    repo: Path, hook_repo: tuple[Path, str], how: str
) -> None:
    """Contracts in tools/contracts.toml: found through tox.ini's [flake8] boundary-lint-config
    (as flake8 finds them), or given in the hook's args."""
    contracts = CONFIG.replace("[tool.boundary_lint]\n", 'source_roots = [".."]\n').replace(
        "tool.boundary_lint.", ""
    )
    (repo / "tools").mkdir()
    (repo / "tools" / "contracts.toml").write_text(contracts)
    git(repo, "rm", "-q", "pyproject.toml")
    git(repo, "add", "tools/contracts.toml")
    if how == "args":
        args = ["--config", "tools/contracts.toml"]
    else:
        args = []
        (repo / "tox.ini").write_text("[flake8]\nboundary-lint-config = tools/contracts.toml\n")
        git(repo, "add", "tox.ini")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "contracts moved")
    for hook in ("boundary-lint", "boundary-lint-all"):
        configure(repo, hook_repo, hook, args)
        (repo / "guest" / "agent.py").write_text(f"import core  # {hook}\n")
        git(repo, "add", "guest/agent.py")
        refused = commit(repo, "new violation")
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert (
            '../guest/agent.py:1:1: BND101 guest.agent -> core (l.1) breaks "guest-never-core"'
            in refused.stderr
        )
        git(repo, "checkout", "-q", "HEAD", "--", "guest/agent.py")


def test_run_from_ref_to_ref_reports_what_the_branch_introduced(
    repo: Path, hook_repo: tuple[Path, str]
) -> None:
    """A CI job: ``pre-commit run --from-ref BASE --to-ref HEAD`` on a committed branch."""
    configure(repo, hook_repo, "boundary-lint", [])
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "hooks")
    git(repo, "branch", "base")
    (repo / "guest" / "agent.py").write_text("from guest import util\nimport core\n")
    (repo / "guest" / "util.py").write_text("# edited\nfrom core import db\n")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "branch")
    home = (repo / ".git" / "pre-commit-home").read_text()
    env = dict(os.environ, PRE_COMMIT_HOME=home, PRE_COMMIT_COLOR="never")
    result = subprocess.run(
        ["pre-commit", "run", "boundary-lint", "--from-ref", "base", "--to-ref", "HEAD"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    bnd = [line for line in result.stdout.splitlines() if "BND" in line]
    assert bnd == ['guest/agent.py:2:1: BND101 guest.agent -> core (l.2) breaks "guest-never-core"']
