"""Configuration edge cases, through the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PYPROJECT = """\
[tool.boundary_lint]
root_packages = ["app"]
cache_dir = false

[[tool.boundary_lint.contracts]]
id = "ui-not-db"
type = "forbidden"
source_modules = ["app.ui"]
forbidden_modules = ["app.db"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for package in ("app", "app/ui", "app/db"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "app" / "ui" / "view.py").write_text("from app.db import session\n")
    (tmp_path / "app" / "db" / "session.py").write_text("")
    return tmp_path


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boundary_lint", "check", "--format", "concise", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_broken_tox_ini_does_not_stop_a_check_configured_in_pyproject(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT)
    (project / "tox.ini").write_text("[tox\nenvlist = py3\n")
    result = check(project)
    assert result.returncode == 1
    assert (
        result.stdout == 'app/ui/view.py:1:1: BND101 app.ui.view -> app.db.session (l.1) breaks "ui-not-db"\n'
    )


def test_broken_file_is_an_error_when_no_file_holds_our_configuration(project: Path) -> None:
    (project / "tox.ini").write_text("[boundary_lint\nroot_packages = app\n")
    result = check(project)
    assert result.returncode == 2
    assert "tox.ini" in result.stderr and "line 1" in result.stderr and "Traceback" not in result.stderr


def test_id_key_inside_an_ini_contract_section_is_an_error(project: Path) -> None:
    (project / "setup.cfg").write_text(
        "[boundary_lint]\nroot_packages = app\n\n[boundary_lint:contract:one]\nid = two\ntype = forbidden\n"
        "source_modules = app.ui\nforbidden_modules = app.db\n"
    )
    result = check(project)
    assert result.returncode == 2
    assert result.stderr == (
        f"boundary-lint: error: {project / 'setup.cfg'}, contract 'one', key 'id': "
        "the id is the section name's last part ('one'); remove the id key\n"
    )


def test_contract_configuration_error_reaches_stderr_with_machine_formats(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT.replace('["app.db"]', '["app.nothing"]'))
    result = check(project, "--output", str(project / "out.txt"))
    assert result.returncode == 2
    assert (
        "contract 'ui-not-db', key 'forbidden_modules': module 'app.nothing' does not exist" in result.stderr
    )
