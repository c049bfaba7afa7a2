"""A reader that goes away before the output is written (``check | true``) is not a broken
contract: the exit status is the verdict, whatever became of the output. Through the CLI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from cli_support import BOUNDARY_LINT, INI_NATIVE_ONE_CONTRACT, clean_env, shop_project

KEPT_ONLY = """
    [tool.boundary_lint]
    root_packages = ["shop"]

    [[tool.boundary_lint.contracts]]
    id = "util-alone"
    type = "independence"
    modules = ["shop.util", "shop.db"]
"""


def run_into_closed_pipe(cwd: Path, *args: str) -> tuple[int, bytes]:
    """Run with stdout a pipe whose reading end is already closed: every write fails (EPIPE)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        completed = subprocess.run(
            [BOUNDARY_LINT, *args],
            cwd=cwd,
            stdout=write_end,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=clean_env(),
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    return completed.returncode, completed.stderr


@pytest.mark.parametrize("fmt", ["text", "concise", "json"])
def test_kept_contracts_exit_0_into_a_closed_pipe(tmp_path: Path, fmt: str) -> None:
    project = shop_project(tmp_path / "project", config=KEPT_ONLY)
    assert run_into_closed_pipe(project, "check", "--format", fmt) == (0, b"")


def test_broken_contracts_exit_1_into_a_closed_pipe(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "project", "setup.cfg", INI_NATIVE_ONE_CONTRACT)
    assert run_into_closed_pipe(project, "check") == (1, b"")


def test_a_configuration_error_is_still_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, stderr = run_into_closed_pipe(empty, "check")
    assert code == 2 and stderr.startswith(b"boundary-lint: error: no configuration found")


def test_other_commands_keep_their_status_into_a_closed_pipe(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "project")
    assert run_into_closed_pipe(project, "closure", "shop.api") == (0, b"")
