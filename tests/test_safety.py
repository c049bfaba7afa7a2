"""boundary-lint never imports or executes the code it checks (shared/PRODUCT.md), except the
``runtime`` command, whose whole purpose is to import modules, and which does it in a
subprocess.

Every module of the test trees writes a marker file when it is imported (at module level, first
thing), named after the module and the importing process. Every front end and command runs on
them, with every output format and option that reads the code in another way (cache warm and
cold, baselines, affected paths, noqa, unsaved buffers on stdin, parallel flake8); no marker may
appear, except, for ``runtime``, markers written by a process other than boundary-lint's own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import BOUNDARY_LINT, clean_env
from conftest import TREES
from flake8_support import PYPROJECT_NATIVE, flake8, make_project

from boundary_lint.formatters import FORMATS


def _arm(tree: Path, markers: Path) -> int:
    """Make every module of ``tree`` leave a marker when imported; return how many."""
    payload = (
        "import os as _boundary_lint_safety_os\n"
        f"open(_boundary_lint_safety_os.path.join({str(markers)!r}, "
        "__name__ + '-' + str(_boundary_lint_safety_os.getpid())), 'w').close()\n"
    )
    count = 0
    for path in sorted(tree.rglob("*.py")):
        if markers in path.parents:
            continue
        path.write_text(payload + path.read_text(encoding="utf-8"), encoding="utf-8")
        count += 1
    return count


@pytest.fixture
def markers(tmp_path: Path) -> Path:
    directory = tmp_path / "markers"
    directory.mkdir()
    return directory


@pytest.fixture
def moves(tmp_path: Path, markers: Path) -> Path:
    """tests/trees/moves: moved and references contracts, dynamic imports, string imports."""
    tree = tmp_path / "moves"
    shutil.copytree(TREES / "moves", tree)
    config = tree / "pyproject.toml"
    config.write_text(
        config.read_text().replace("dynamic_imports = true", "dynamic_imports = true\nstring_imports = true")
    )
    assert _arm(tree, markers) > 10
    return tree


@pytest.fixture
def guest(tmp_path: Path, markers: Path) -> Path:
    """tests/flake8_support.py's project (forbidden and layers contracts, noqa-free)."""
    tree = make_project(tmp_path / "guest", {"pyproject.toml": PYPROJECT_NATIVE})
    assert _arm(tree, markers) > 5
    return tree


def run(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [BOUNDARY_LINT, *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        timeout=120,
    )


def assert_nothing_imported(markers: Path) -> None:
    assert sorted(p.name for p in markers.iterdir()) == []


def test_the_markers_work(guest: Path, markers: Path) -> None:
    """The trap is real: importing a module of the tree does leave a marker."""
    subprocess.run([sys.executable, "-c", "import guest.agent"], cwd=guest, check=True, timeout=60)
    assert any(p.name.startswith("guest.agent-") for p in markers.iterdir())


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_in_every_format_imports_nothing(moves: Path, guest: Path, markers: Path, fmt: str) -> None:
    for tree in (moves, guest):
        for extra in ((), ("--no-cache",), ("--disable-noqa",), ("--verbose",)):
            result = run(tree, "check", "--format", fmt, *extra)
            # (Whether every format renders every code is tests/test_bad_input.py's concern.)
            assert result.returncode in (1, 2) and b"Traceback" not in result.stderr, result.stderr.decode()
    assert_nothing_imported(markers)


def test_check_options_import_nothing(moves: Path, guest: Path, markers: Path) -> None:
    for tree in (moves, guest):
        assert run(tree, "check", "--write-baseline", "baseline.json").returncode == 0
        assert run(tree, "check", "--baseline", "baseline.json", "--strict-baseline").returncode == 0
        assert run(tree, "check", "--output", "report.txt").returncode == 1
        for contract in json.loads(run(tree, "check", "--format", "json").stdout)["contracts"]:
            run(tree, "check", "--contract", contract["id"])
        some_file = next(p for p in sorted(tree.rglob("*.py")) if "markers" not in p.parts)
        run(tree, "check", str(some_file))  # affected mode
    result = subprocess.run(
        [sys.executable, "-m", "boundary_lint", "check"],
        cwd=guest,
        env=clean_env(),
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert_nothing_imported(markers)


def test_flake8_imports_nothing(moves: Path, guest: Path, markers: Path) -> None:
    for tree in (moves, guest):
        for jobs in ("-j1", "-j2"):
            result = flake8(tree, jobs, "--select", "BND")
            assert result.bnd, result
        # an unsaved buffer on stdin, as editors send it
        source = next(
            p for p in sorted(tree.rglob("*.py")) if "markers" not in p.parts and p.stat().st_size > 200
        )
        text = source.read_text() + "\nimport os\n"
        result = flake8(
            tree, "--select", "BND", "--stdin-display-name", str(source.relative_to(tree)), "-", stdin=text
        )
        assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result
    assert_nothing_imported(markers)


def test_other_commands_import_nothing(moves: Path, markers: Path) -> None:
    for args in (
        ("fix", "--diff"),
        ("closure", "troveguest"),
        ("closure", "--format", "json", "troveguest"),
        ("closure", "--format", "rsync", "troveguest"),
        ("closure", "--why", "common.cfg", "troveguest"),
        ("--version",),
        ("--help",),
    ):
        result = run(moves, *args)
        assert b"Traceback" not in result.stderr, (args, result.stderr.decode())
        assert result.returncode in (0, 1), (args, result.stderr.decode())
    result = run(moves, "fix")  # rewrites the files: still nothing imported
    assert result.returncode in (0, 1) and b"Traceback" not in result.stderr, result.stderr.decode()
    assert_nothing_imported(markers)


def test_runtime_imports_only_in_a_subprocess(moves: Path, markers: Path) -> None:
    """The one command that imports project code: it does so when asked, and never in
    boundary-lint's own process."""
    process = subprocess.Popen(
        [BOUNDARY_LINT, "runtime", "troveguest.api"],
        cwd=moves,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    stdout, stderr = process.communicate(timeout=120)
    assert b"Traceback" not in stderr, stderr.decode()
    written = sorted(p.name for p in markers.iterdir())
    assert written, "runtime imported nothing: the test tests nothing"
    assert all(not name.endswith(f"-{process.pid}") for name in written), written
