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


@pytest.mark.skipif(shutil.which("nvim") is None, reason="nvim is not installed")
def test_neovim_shows_the_diagnostics(tmp_path: Path) -> None:
    script = SCRIPTS / "nvim-diagnostics.lua"
    printed = _run(["nvim", "--headless", "--clean", "-c", f"luafile {script}"], tmp_path)
    assert {line.split()[1] for line in printed.splitlines()} == EXPECTED
    assert all(line.startswith("4:1 ") for line in printed.splitlines())


@pytest.mark.skipif(
    shutil.which("emacs") is None or not list(Path("/usr/share/emacs/site-lisp/elpa").glob("eglot-*")),
    reason="emacs with Debian's elpa-eglot is not installed",
)
def test_emacs_eglot_shows_the_diagnostics(tmp_path: Path) -> None:
    printed = _run(["emacs", "--batch", "-l", str(SCRIPTS / "eglot-diagnostics.el")], tmp_path)
    assert {line.split("[")[1].split("]")[0] for line in printed.splitlines()} == EXPECTED
    assert all(line.startswith("4:1 ") for line in printed.splitlines())
