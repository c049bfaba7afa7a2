"""System tools some tests drive for real (rsync, chromium, Graphviz's dot, git).

Where a tool is missing, its tests skip with the reason and the Debian package to install. CI
installs every tool and sets ``BOUNDARY_LINT_REQUIRE_TOOLS=1``, which turns such a skip into a
failure, so no test can skip there unnoticed.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE = "BOUNDARY_LINT_REQUIRE_TOOLS"
# The browser variable came first; CI and developers may still set it.
REQUIRE_BROWSER = "BOUNDARY_LINT_REQUIRE_BROWSER"


def require_tool(*names: str, package: str) -> str:
    """The path of the first of ``names`` found on PATH; otherwise skip (or fail when required)."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = f"{names[0]} is not installed (Debian: apt-get install {package})"
    if os.environ.get(REQUIRE) == "1" or (package == "chromium" and os.environ.get(REQUIRE_BROWSER) == "1"):
        pytest.fail(f"{reason}, and {REQUIRE}=1 requires it")
    pytest.skip(f"{reason}; set {REQUIRE}=1 to fail instead")
