"""``check --new-since REV``: only the violations a change introduces, on a real temporary git
repository, through the CLI (the pre-commit hook's rule; tests/test_precommit.py runs the hook)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import (
    SHOP_CONCISE,
    assert_config_error,
    check,
    clean_env,
    concise_lines,
    run_cli,
    shop_project,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git (apt-get install git)")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    project = shop_project(tmp_path / "project")
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "start")
    return project


def test_old_violations_are_not_shown_and_an_edit_above_them_changes_nothing(repo: Path) -> None:
    views = repo / "shop" / "api" / "views.py"
    views.write_text("# a new first line moves every old import down\n" + views.read_text())
    result = check("--format", "concise", "--new-since", "HEAD", cwd=repo)
    assert (result.returncode, result.stdout) == (0, ""), result
    assert "not shown: 3 violations already there at HEAD (2 contracts broken only by them)" in result.stderr


def test_a_new_import_is_shown_alone(repo: Path) -> None:
    (repo / "shop" / "util.py").write_text("import shop.db.session\n")
    result = check("--format", "concise", "--new-since", "HEAD", cwd=repo)
    assert result.returncode == 1, result
    assert concise_lines(result) == [
        'shop/util.py:1:1: BND121 shop.util -> shop.db.session (l.1) breaks "util and db are independent" (util-alone)'
    ], result


def test_a_file_added_since_is_new_and_named_paths_are_the_change(repo: Path) -> None:
    (repo / "shop" / "api" / "extra.py").write_text("import shop.db.models\n")
    named = check("--format", "concise", "--new-since", "HEAD", "shop/api/extra.py", cwd=repo)
    found = check("--format", "concise", "--new-since", "HEAD", cwd=repo)  # untracked: git says it is new
    expected = [
        'shop/api/extra.py:1:1: BND101 shop.api.extra -> shop.db.models (l.1) breaks "The API never touches the database" (api-no-db)'
    ]
    assert (named.returncode, concise_lines(named)) == (1, expected), named
    assert (found.returncode, concise_lines(found)) == (1, expected), found


def test_before_the_first_commit_every_violation_is_new(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "project")
    git(project, "init", "-q")
    result = check("--format", "concise", "--new-since", "HEAD", cwd=project)
    assert (result.returncode, concise_lines(result)) == (1, SHOP_CONCISE), result


def test_an_unknown_revision_or_no_repository_is_exit_2(repo: Path, tmp_path: Path) -> None:
    assert_config_error(
        check("--new-since", "nope", cwd=repo),
        f"--new-since nope: not a revision of the git repository at {repo}",
    )
    plain = shop_project(tmp_path / "plain")
    result = check("--new-since", "HEAD", cwd=plain)
    assert result.returncode == 2 and "--new-since needs a git repository" in result.stderr, result


def test_a_branch_is_compared_with_where_it_left_its_base(repo: Path) -> None:
    """``A...B`` is their merge base, as in git diff; and pre-commit's from/to refs (pre-commit
    run --from-ref A --to-ref B, a pre-push hook) make the hook's HEAD mean A...B."""
    git(repo, "branch", "-q", "base")
    (repo / "shop" / "util.py").write_text("import shop.db.session\n")
    git(repo, "commit", "-q", "-am", "new violation")
    expected = [
        'shop/util.py:1:1: BND121 shop.util -> shop.db.session (l.1) breaks "util and db are independent" (util-alone)'
    ]
    committed = check("--format", "concise", "--new-since", "HEAD", cwd=repo)
    assert (committed.returncode, committed.stdout) == (0, ""), committed  # nothing since HEAD
    branch = check("--format", "concise", "--new-since", "base...HEAD", cwd=repo)
    assert (branch.returncode, concise_lines(branch)) == (1, expected), branch
    env = clean_env(PRE_COMMIT_FROM_REF="base", PRE_COMMIT_TO_REF="HEAD")
    hook = run_cli("check", "--format", "concise", "--new-since", "HEAD", "shop/util.py", cwd=repo, env=env)
    assert (hook.returncode, concise_lines(hook)) == (1, expected), hook
