"""One configuration for every front end: the CLI's commands and the flake8 plugin find the same
contracts from the same place (``boundary_lint.config.loading``), including flake8's
``[flake8] boundary-lint-config`` pointer; discovery never picks silently between two files,
and never skips a file it cannot read or decode. Run through the real console script and flake8."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from cli_support import (
    BOUNDARY_LINT,
    INI_IMPORTLINTER,
    INI_NATIVE,
    PYPROJECT_IMPORTLINTER,
    PYPROJECT_NATIVE,
    SHOP_CONCISE,
    assert_config_error,
    check,
    clean_env,
    concise_lines,
    run_cli,
    shop_project,
    standalone_toml,
    write,
)
from flake8_support import flake8
from test_discovery_edges import reachable_tmp, run_unprivileged  # noqa: F401 (a fixture)

POINTED = standalone_toml("..")  # tools/contracts.toml: the packages are one directory up


@pytest.fixture
def pointed(tmp_path: Path) -> Path:
    """The shop tree whose only contracts are in tools/contracts.toml, which tox.ini's
    ``[flake8]`` section points to (as docs/flake8.md shows for OpenStack projects)."""
    project = shop_project(tmp_path / "project", "tools/contracts.toml", POINTED)
    write(
        project / "tox.ini",
        """
        [tox]
        envlist = pep8

        [flake8]
        max-line-length = 100
        boundary-lint-config = tools/contracts.toml
    """,
    )
    return project


# Paths are relative to the configuration's directory (tools/), hence the ../
POINTED_CONCISE = [f"../{line}" for line in SHOP_CONCISE]


def test_the_flake8_pointer_is_honoured_by_check_from_the_root_and_below(pointed: Path) -> None:
    for cwd in (pointed, pointed / "shop" / "api"):
        result = check("--format", "concise", cwd=cwd)
        assert result.returncode == 1, result
        assert concise_lines(result) == POINTED_CONCISE


def test_the_flake8_pointer_is_honoured_by_closure(pointed: Path) -> None:
    result = run_cli("closure", "shop.api.schemas", cwd=pointed / "shop")
    assert result.returncode == 0, result
    assert result.stdout.splitlines() == ["shop", "shop.api", "shop.api.schemas"]


def test_flake8_and_check_report_the_same_lines_through_the_pointer(pointed: Path) -> None:
    cli = check("--format", "concise", cwd=pointed)
    run = flake8(pointed, "--select", "BND", "shop")
    assert run.returncode == 1, run
    # flake8 names files relative to its working directory; the CLI relative to tools/.
    assert sorted(line.removeprefix("./") for line in run.bnd) == sorted(
        line.removeprefix("../") for line in concise_lines(cli)
    )


@pytest.mark.parametrize("holder", ["setup.cfg", ".flake8"])
def test_a_bare_pointer_is_relative_to_the_file_that_holds_it(tmp_path: Path, holder: str) -> None:
    """flake8 itself leaves a bare name relative to the working directory: both front ends
    take it relative to the file, so running from a subdirectory finds the same contracts."""
    project = shop_project(tmp_path / "project", "contracts.toml", standalone_toml("."))
    write(project / holder, "[flake8]\nboundary_lint_config = contracts.toml\n")
    below = project / "shop" / "api"
    result = check("--format", "concise", cwd=below)
    assert result.returncode == 1, result
    assert concise_lines(result) == SHOP_CONCISE
    run = flake8(below, "--select", "BND", ".")
    assert sorted(run.bnd) == [
        "views.py:3:1: " + SHOP_CONCISE[0].split(": ", 1)[1],
        "views.py:8:5: " + SHOP_CONCISE[1].split(": ", 1)[1],
    ], run


def test_the_pointer_wins_over_contracts_beside_it(pointed: Path) -> None:
    """The pointer is the explicit choice: pyproject.toml's contracts are not used."""
    write(
        pointed / "pyproject.toml",
        """
        [tool.boundary_lint]
        root_packages = ["shop"]

        [[tool.boundary_lint.contracts]]
        id = "other"
        type = "forbidden"
        source_modules = ["shop.util"]
        forbidden_modules = ["shop.api"]
    """,
    )
    result = check("--format", "concise", cwd=pointed)
    assert concise_lines(result) == POINTED_CONCISE, result


def test_a_pointer_to_a_missing_file_names_the_file_that_holds_it(pointed: Path) -> None:
    (pointed / "tools" / "contracts.toml").unlink()
    message = (
        f"{pointed / 'tox.ini'}: [flake8] boundary-lint-config = tools/contracts.toml: "
        f"{pointed / 'tools' / 'contracts.toml'} does not exist"
    )
    assert_config_error(check(cwd=pointed), message)
    closure = run_cli("closure", "shop", cwd=pointed)
    assert (closure.returncode, closure.stderr) == (2, f"boundary-lint: error: {message}\n")


def test_only_flake8s_own_configuration_file_is_read_for_the_pointer(tmp_path: Path) -> None:
    """flake8 takes setup.cfg (first in its order) when it has [flake8], and never reads
    tox.ini then: a pointer in tox.ini is not flake8's, so not ours either."""
    project = shop_project(tmp_path / "project")
    write(project / "setup.cfg", "[flake8]\nmax-line-length = 100\n")
    write(project / "tox.ini", "[flake8]\nboundary-lint-config = nowhere.toml\n")
    result = check("--format", "concise", cwd=project)
    assert (result.returncode, concise_lines(result)) == (1, SHOP_CONCISE), result


# --- two configurations in one directory ---------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "kind"),
    [
        (("pyproject.toml", PYPROJECT_NATIVE), ("setup.cfg", INI_NATIVE), "boundary-lint"),
        (("setup.cfg", INI_IMPORTLINTER), (".importlinter", INI_IMPORTLINTER), "import-linter"),
        (("pyproject.toml", PYPROJECT_IMPORTLINTER), ("setup.cfg", INI_IMPORTLINTER), "import-linter"),
    ],
)
def test_two_files_of_one_kind_in_one_directory_are_refused_naming_both(
    tmp_path: Path, first: tuple[str, str], second: tuple[str, str], kind: str
) -> None:
    project = shop_project(tmp_path / "project", *first)
    write(project / second[0], second[1])
    message = (
        f"{project}: {first[0]} and {second[0]} both hold {kind} configuration: keep one, "
        "or choose one with --config (or boundary-lint-config in [flake8])"
    )
    assert_config_error(check(cwd=project / "shop"), message)
    assert run_cli("closure", "shop", cwd=project).stderr == f"boundary-lint: error: {message}\n"
    run = flake8(project, "--select", "BND", "shop")
    assert f"BND901 {message}" in run.stdout, run
    # naming one is the way out
    assert check("--config", second[0], cwd=project).returncode == 1


def test_ours_beside_import_linters_is_used_and_the_other_named_on_stderr(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "project", ".importlinter", INI_IMPORTLINTER)
    write(
        project / "pyproject.toml",
        PYPROJECT_NATIVE.replace('"shop.util", "shop.db"', '"shop.util", "shop.api"'),
    )
    result = check("--format", "concise", cwd=project)
    assert result.returncode == 1, result
    assert result.stderr == (
        f"boundary-lint: warning: {project / '.importlinter'} is ignored: it holds import-linter "
        "configuration, and pyproject.toml beside it holds boundary-lint's, which is used\n"
    )


# --- files that cannot be read are errors, never skipped ---------------------------------------


def _parent_with_contracts(tmp_path: Path) -> tuple[Path, Path]:
    """A project whose parent directory also holds (other) contracts: skipping the project's
    file would check those instead."""
    outer = tmp_path / "outer"
    write(outer / "setup.cfg", INI_NATIVE)
    project = shop_project(outer / "project")
    return outer, project


@pytest.mark.parametrize(
    ("encoding", "problem"),
    [
        ("utf-16", "starts with a byte-order mark (UTF-16)"),
        ("utf-8-sig", "starts with a byte-order mark (UTF-8 with a byte-order mark)"),
        ("latin-1", "not valid UTF-8 (invalid continuation byte at byte 5)"),
    ],
)
def test_an_undecodable_pyproject_is_an_error_naming_it(tmp_path: Path, encoding: str, problem: str) -> None:
    _, project = _parent_with_contracts(tmp_path)
    text = "# Café\n" + (project / "pyproject.toml").read_text(encoding="utf-8")
    (project / "pyproject.toml").write_bytes(text.encode(encoding))
    result = check(cwd=project)
    assert result.returncode == 2, result
    assert result.stderr.startswith(f"boundary-lint: error: {project / 'pyproject.toml'}: {problem}"), result
    run = flake8(project, "--select", "BND", "shop")
    assert f"BND901 {project / 'pyproject.toml'}: {problem}" in run.stdout, run


@pytest.mark.parametrize(("name", "top"), [(".importlinter", "importlinter"), ("setup.cfg", "boundary_lint")])
def test_contracts_without_their_top_section_are_an_error_naming_the_file(
    tmp_path: Path, name: str, top: str
) -> None:
    """A misspelt top section ([import-linter]) leaves contract sections behind: not "no
    configuration found", and not the parent directory's contracts instead."""
    _, project = _parent_with_contracts(tmp_path)
    (project / "pyproject.toml").unlink()
    config = INI_IMPORTLINTER if top == "importlinter" else INI_NATIVE
    write(project / name, config.replace(f"[{top}]", "[import-linter]"))
    message = (
        f"{project / name}: has a [{top}:contract:api-no-db] section but no [{top}] section "
        "(which names the root packages)"
    )
    assert_config_error(check(cwd=project), message)
    run = flake8(project, "--select", "BND", "shop")
    assert f"BND901 {message}" in run.stdout, run


def test_a_bom_in_a_named_file_is_named(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "project")
    (project / "pyproject.toml").write_bytes(b"\xef\xbb\xbf" + (project / "pyproject.toml").read_bytes())
    result = check("--config", "pyproject.toml", cwd=project)
    assert (
        result.returncode == 2
        and "byte-order mark" in result.stderr
        and "Invalid statement" not in result.stderr
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (os.mkfifo)")
def test_a_fifo_given_as_config_is_refused_at_once(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "project")
    os.mkfifo(project / "contracts.toml")
    # A reader of the FIFO would wait for a writer forever: the timeout makes a hang a failure.
    completed = subprocess.run(
        [BOUNDARY_LINT, "check", "--config", "contracts.toml"],
        cwd=project,
        capture_output=True,
        timeout=30,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 2
    assert (
        completed.stderr
        == b"boundary-lint: error: contracts.toml: cannot read: not a regular file (a FIFO)\n"
    )
    # the same for a FIFO where discovery looks
    os.mkfifo(project / "setup.cfg")
    found = subprocess.run(
        [BOUNDARY_LINT, "check"],
        cwd=project,
        capture_output=True,
        timeout=30,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
    )
    assert found.returncode == 2
    assert (
        found.stderr
        == f"boundary-lint: error: {project / 'setup.cfg'}: cannot read: not a regular file (a FIFO)\n".encode()
    )


def test_a_directory_given_as_config_is_refused(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "project")
    assert_config_error(
        check("--config", "shop", cwd=project), "shop: cannot read: not a regular file (a directory)"
    )


# --- a file whose name says neither TOML nor INI -----------------------------------------------


@pytest.mark.parametrize("content", [standalone_toml("."), INI_NATIVE, INI_IMPORTLINTER])
def test_contracts_conf_is_read_as_what_it_holds(tmp_path: Path, content: str) -> None:
    project = shop_project(tmp_path / "project", "contracts.conf", content)
    result = check("--config", "contracts.conf", "--format", "concise", cwd=project)
    assert (result.returncode, concise_lines(result)) == (1, SHOP_CONCISE), result


def test_contracts_conf_that_is_neither_says_both(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "project", "contracts.conf", 'root_packages = ["shop"\n')
    result = check("--config", "contracts.conf", cwd=project)
    assert result.returncode == 2, result
    assert result.stderr.startswith(
        "boundary-lint: error: contracts.conf: is neither TOML nor INI: as TOML, invalid TOML: "
    ), result
    assert "; as INI, invalid INI: line 1: 'root_packages" in result.stderr, result


def test_a_toml_file_without_contracts_named_conf_says_how_it_was_read(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "project", "contracts.conf", "[tool.black]\nline-length = 100\n")
    result = check("--config", "contracts.conf", cwd=project)
    assert result.returncode == 2 and "read as TOML and as INI" in result.stderr, result


@pytest.mark.parametrize(
    ("command", "code", "expected"),
    [
        (["graph"], 0, 'digraph "boundary-lint"'),
        (["explain", "shop.api.views", "shop.db.models"], 0, "shop.api.views -> shop.db.models"),
        (["fix", "--diff"], 2, "tools/contracts.toml: no `moved` contract"),
        (["runtime", "shop.api.views"], 1, 'which "api-no-db" forbids it'),
    ],
)
def test_every_command_reads_the_pointer(pointed: Path, command: list[str], code: int, expected: str) -> None:
    result = run_cli(*command, cwd=pointed / "shop")
    assert result.returncode == code, result
    assert expected in result.stdout + result.stderr, result


def test_an_unreadable_pyproject_is_an_error_naming_it(request: pytest.FixtureRequest) -> None:
    """Run as an unprivileged user (tests/test_discovery_edges.py: root reads everything)."""
    directory: Path = request.getfixturevalue("reachable_tmp")
    _, project = _parent_with_contracts(directory)
    for path, dirs, files in os.walk(directory):
        for name in dirs:
            os.chmod(os.path.join(path, name), 0o755)
        for name in files:
            os.chmod(os.path.join(path, name), 0o644)
    (project / "pyproject.toml").chmod(0o200)
    result = run_unprivileged([BOUNDARY_LINT, "check", "--no-cache"], project)
    assert result.returncode == 2, result
    assert (
        result.stderr
        == f"boundary-lint: error: {project / 'pyproject.toml'}: cannot read: Permission denied\n"
    )
