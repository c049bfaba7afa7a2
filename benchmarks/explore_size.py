"""The explore page on real trees: time to write it, its size, and its first drawing in headless
chromium (selenium + Debian's chromedriver; ``performance.now()`` at the end of the first
``render``, from navigation start). Also writes screenshots: Trove's for the docs
(docs/_static/explore-trove.png) and Home Assistant's (under --shots).

    python benchmarks/explore_size.py [--runs 3] [--shots /tmp]

Each run is a fresh process (``boundary-lint explore``, warm cache as CI's second run has it).
Reports medians; the machine's load makes single runs noisy.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TREES = {
    "trove": (Path("/work/trees/trove"), REPO / "contracts/trove-today.toml", "trove"),
    "homeassistant": (
        Path("/work/trees/ha2025/unpacked"),
        REPO / "benchmarks/contracts/homeassistant.toml",
        "homeassistant",
    ),
}


def write_page(root: Path, config: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["boundary-lint", "explore", "--config", str(config), "--output", str(out)],
        cwd=root,
        check=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def open_page(page: Path, package: str, shot: Path | None, height: int = 1000) -> int:
    from selenium import webdriver
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size=1600,{height}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService("/usr/bin/chromedriver"))
    try:
        driver.get(page.as_uri() + "#" + package)
        WebDriverWait(driver, 60).until(
            lambda d: d.find_element("tag name", "body").get_attribute("data-drawn") == package
        )
        drawn = int(driver.find_element("tag name", "body").get_attribute("data-first-drawn-ms") or -1)
        if shot is not None:
            driver.save_screenshot(str(shot))
        return drawn
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shots", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    for name, (root, config, package) in TREES.items():
        page = args.shots / f"explore-{name}.html"
        write_page(root, config, page)  # warms the cache
        writes = [write_page(root, config, page) for _ in range(args.runs)]
        draws = [open_page(page, package, None) for _ in range(args.runs)]
        shot = (
            REPO / "docs/_static/explore-trove.png" if name == "trove" else args.shots / f"explore-{name}.png"
        )
        open_page(page, package, shot, height=1600)  # the whole of Trove's 11 rows
        print(
            f"{name}: written in median {statistics.median(writes):.2f} s ({', '.join(f'{w:.2f}' for w in writes)}),"
            f" {page.stat().st_size / 1e6:.2f} MB, first drawing median {statistics.median(draws)} ms"
            f" ({', '.join(map(str, draws))}); screenshot {shot}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
