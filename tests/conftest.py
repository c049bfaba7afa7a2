from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TREES = Path(__file__).resolve().parent / "trees"


@pytest.fixture
def repo_root() -> Path:
    return ROOT


# The trees are code under test, not tests (some hold files named test_*.py).
collect_ignore_glob = ["trees/*"]


@pytest.fixture(autouse=True, scope="session")
def _private_cache_key(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The key that authenticates caches (``$XDG_CACHE_HOME/boundary-lint/key``) is made in a
    temporary directory, inherited by every subprocess: tests never touch the real one."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
