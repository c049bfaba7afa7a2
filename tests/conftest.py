from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from system_tools import require_tool

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

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


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    """Headless chromium driven by selenium (Debian's chromedriver); skips without them."""
    require_tool("chromium", "chromium-browser", package="chromium")
    driver_path = require_tool("chromedriver", package="chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
