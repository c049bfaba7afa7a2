"""Run only in the hacking environment of .ci/run (OpenStack's hacking pins flake8): the
default test run ignores this directory, so nothing here is ever skipped."""

from __future__ import annotations

from pathlib import Path

import hacking  # noqa: F401 - this environment must have it
from flake8_support import AGENT_101, AGENT_111, EXPECTED, PYPROJECT_NATIVE, flake8, make_project


def test_bnd_errors_alongside_hacking_codes(tmp_path: Path) -> None:
    """H codes and BND codes together, in hacking's default selection, on the same import line."""
    project = make_project(tmp_path / "project", {"pyproject.toml": PYPROJECT_NATIVE})
    result = flake8(project, ".")
    h306 = "guest/agent.py:4:1: H306: imports not in alphabetical order (shared.util, core.models)"
    assert result.lines == [AGENT_101, AGENT_111, h306, *EXPECTED[2:]], result
