"""The editor try-outs of docs/editors.md, run for real where the editor is installed: headless
Neovim and batch Emacs (eglot) open a file of examples/trove-split and must print the language
server's diagnostics. Skipped, with the reason, where the editor is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from system_tools import require_tool

pytest.importorskip("pygls")

REPOSITORY = Path(__file__).resolve().parents[1]
SCRIPTS = REPOSITORY / "docs" / "examples" / "editors"
EXPECTED = {"BND101", "BND111"}  # troveguest/api.py line 4 breaks two contracts


def _run(editor: list[str], tmp_path: Path) -> str:
    example = tmp_path / "trove-split"
    shutil.copytree(REPOSITORY / "examples" / "trove-split", example)
    server = Path(sys.executable).parent / "boundary-lint"
    env = {**os.environ, "BOUNDARY_LINT": str(server), "HOME": str(tmp_path)}
    done = subprocess.run(
        [*editor, "troveguest/api.py"], cwd=example, env=env, capture_output=True, text=True, timeout=90
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_neovim_shows_the_diagnostics(tmp_path: Path) -> None:
    nvim = require_tool("nvim", package="neovim")
    script = SCRIPTS / "nvim-diagnostics.lua"
    printed = _run([nvim, "--headless", "--clean", "-c", f"luafile {script}"], tmp_path)
    assert {line.split()[1] for line in printed.splitlines()} == EXPECTED
    assert all(line.startswith("4:1 ") for line in printed.splitlines())


def test_emacs_eglot_shows_the_diagnostics(tmp_path: Path) -> None:
    emacs = require_tool("emacs", package="emacs-nox elpa-eglot")
    if not list(Path("/usr/share/emacs/site-lisp/elpa").glob("eglot-*")):
        require_tool("eglot (Debian's elpa-eglot)", package="elpa-eglot")  # no such command: skips or fails
    printed = _run([emacs, "--batch", "-l", str(SCRIPTS / "eglot-diagnostics.el")], tmp_path)
    assert {line.split("[")[1].split("]")[0] for line in printed.splitlines()} == EXPECTED
    assert all(line.startswith("4:1 ") for line in printed.splitlines())
