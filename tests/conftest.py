from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TREES = Path(__file__).resolve().parent / "trees"


@pytest.fixture
def repo_root() -> Path:
    return ROOT

# The trees are code under test, not tests (some hold files named test_*.py).
collect_ignore_glob = ["trees/*"]
