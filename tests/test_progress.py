"""Progress on a terminal: shown on stderr while a check runs, never on a pipe, never in the
report, and gone (the line cleared) before the report is written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from cli_support import clean_env, run_on_tty, shop_project

from boundary_lint.progress import TerminalProgress

# Progress appears only after this many seconds of work; 0 shows it on the smallest tree.
NO_DELAY = {"BOUNDARY_LINT_PROGRESS_DELAY": "0", "TERM": "xterm"}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return shop_project(tmp_path / "project")


def test_progress_is_shown_on_a_terminal_and_cleared_before_the_report(shop: Path) -> None:
    code, terminal, stdout = run_on_tty(
        ["check", "--no-cache", "--format", "json"], shop, clean_env(**NO_DELAY), tty="stderr"
    )
    assert code == 1
    assert "boundary-lint: scanning files 0/" in terminal
    assert "boundary-lint: checking contracts 3/3 (100%)" in terminal
    assert terminal.endswith("\r\x1b[K"), "the progress line is cleared at the end"
    assert "scanning" not in stdout
    assert json.loads(stdout)["summary"]["contracts"] == 3


def test_no_progress_on_a_pipe_or_with_no_progress(shop: Path) -> None:
    # stderr on a pipe: the run used by CI logs
    code, _, stderr = run_on_tty(["check", "--no-cache"], shop, clean_env(**NO_DELAY), tty="stdout")
    assert (code, stderr) == (1, "")
    code, terminal, _ = run_on_tty(
        ["check", "--no-cache", "--no-progress"], shop, clean_env(**NO_DELAY), tty="stderr"
    )
    assert (code, terminal) == (1, "")
    code, terminal, _ = run_on_tty(
        ["check", "--no-cache"], shop, clean_env(BOUNDARY_LINT_PROGRESS_DELAY="0", TERM="dumb"), tty="stderr"
    )
    assert (code, terminal) == (1, "")


def test_short_work_shows_nothing() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream, delay=60)
    progress("scanning files", 0, 10)
    progress("scanning files", 10, 10)
    progress.close()
    assert stream.getvalue() == ""


def test_lines_are_rewritten_in_place_and_throttled() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream, delay=0)
    progress("scanning files", 0, 4000)
    progress("scanning files", 2000, 4000)  # within the refresh interval: skipped
    progress("scanning files", 4000, 4000)  # the last step is always shown
    progress.close()
    assert stream.getvalue() == (
        "\r\x1b[Kboundary-lint: scanning files 0/4,000 (0%)"
        "\r\x1b[Kboundary-lint: scanning files 4,000/4,000 (100%)"
        "\r\x1b[K"
    )
