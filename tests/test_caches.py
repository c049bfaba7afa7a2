"""The import cache and the report cache: a cached answer is never stale. Each test compares a
cached run with a run that uses no cache at all."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import boundary_lint.graph.cache as cache_module
import boundary_lint.report_cache as report_cache_module
from boundary_lint.config import load_config
from boundary_lint.engine import CheckOptions, check
from boundary_lint.formatters.json_format import render
from boundary_lint.report import Report

CONFIG = """\
[tool.boundary_lint]
root_packages = ["app"]

[[tool.boundary_lint.contracts]]
id = "ui-not-db"
type = "forbidden"
source_modules = ["app.ui"]
forbidden_modules = ["app.db"]
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "pyproject.toml": CONFIG,
            "app/__init__.py": "",
            "app/ui/__init__.py": "",
            "app/ui/view.py": "from app.logic import rules\n",
            "app/logic/__init__.py": "",
            "app/logic/rules.py": "VALUE = 12345\n",
            "app/ui/legacy.py": "import app.db\n",
            "app/db/__init__.py": "",
            "app/db/session.py": "",
        },
    )
    return tmp_path


def cached_and_fresh(project: Path) -> tuple[str, str]:
    config = load_config(project / "pyproject.toml")
    cached = render(check(config, CheckOptions()))
    fresh = render(check(config, CheckOptions(use_cache=False)))
    return cached, fresh


def settle() -> None:
    """Let the files' timestamps age past the caches' racy window, so caches are trusted."""
    time.sleep(cache_module.RACY_NS / 1e9 + 0.1)


def report_cache_hit(project: Path) -> bool:
    """Whether the next check is answered from the report cache (checked by spying on it)."""
    calls = []
    original = report_cache_module.ReportCache.load

    def spy(
        self: report_cache_module.ReportCache, fingerprint: str, newest_change_ns: int, modules: int
    ) -> Report | None:
        result = original(self, fingerprint, newest_change_ns, modules)
        calls.append(result is not None)
        return result

    report_cache_module.ReportCache.load = spy  # type: ignore[method-assign]
    try:
        check(load_config(project / "pyproject.toml"), CheckOptions())
    finally:
        report_cache_module.ReportCache.load = original  # type: ignore[method-assign]
    return calls == [True]


def test_nothing_changed_is_answered_from_the_report_cache(project: Path) -> None:
    cached, fresh = cached_and_fresh(project)
    settle()
    cached, fresh = cached_and_fresh(project)  # stores a report made from settled files
    assert report_cache_hit(project)
    assert cached == fresh


@pytest.mark.parametrize(
    "change",
    ["edit", "same_size_edit_with_old_mtime", "delete", "rename", "add", "config"],
)
def test_changes_invalidate_the_caches(project: Path, change: str) -> None:
    cached_and_fresh(project)
    settle()
    _, before = cached_and_fresh(project)
    assert report_cache_hit(project)
    rules = project / "app/logic/rules.py"
    if change == "edit":
        rules.write_text("from app.db import session\n")
    elif change == "same_size_edit_with_old_mtime":
        stat = rules.stat()
        rules.write_text("import app.db\n")  # as long as the old text
        assert rules.stat().st_size == stat.st_size
        os.utime(rules, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as cp -p or tar would
    elif change == "delete":
        (project / "app/ui/legacy.py").unlink()
    elif change == "rename":
        (project / "app/ui/legacy.py").rename(project / "app/ui/old.py")
    elif change == "add":
        write(project, {"app/ui/form.py": "import app.db\n"})
    elif change == "config":
        config = project / "pyproject.toml"
        config.write_text(
            config.read_text().replace('forbidden_modules = ["app.db"]', 'forbidden_modules = ["app.logic"]')
        )
    cached, fresh = cached_and_fresh(project)
    assert fresh != before  # every change here changes the report...
    assert cached == fresh  # ...and the cached run sees it


def test_a_tool_upgrade_does_not_reuse_caches(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached_and_fresh(project)
    cache_dir = project / ".boundary_lint_cache"
    before = sorted(p.name for p in cache_dir.iterdir())
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    cached, fresh = cached_and_fresh(project)
    assert cached == fresh
    after = sorted(p.name for p in cache_dir.iterdir())
    assert len(after) == len(before) + 3  # new hash, import and report caches


def test_a_grimp_upgrade_does_not_reuse_caches(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached_and_fresh(project)
    cache_dir = project / ".boundary_lint_cache"
    before = sorted(p.name for p in cache_dir.iterdir())
    monkeypatch.setattr(cache_module, "grimp_version", lambda: "99.0")
    cached, fresh = cached_and_fresh(project)
    assert cached == fresh
    after = sorted(p.name for p in cache_dir.iterdir())
    assert len(after) == len(before) + 3  # new hash, import and report caches


WARM_RUN = """
import sys
from boundary_lint.cli import main
code = main(["check", "--config", sys.argv[1], "--format", "concise"])
print(code, sorted(m for m in ("grimp", "boundary_lint.rules.forbidden") if m in sys.modules), file=sys.stderr)
"""


def test_a_warm_run_imports_neither_grimp_nor_the_rules(project: Path) -> None:
    """What makes a run on unchanged files cheap: the report cache answers before the graph."""
    import subprocess
    import sys

    cached_and_fresh(project)
    settle()
    cached_and_fresh(project)  # a report made from settled files
    run = subprocess.run(
        [sys.executable, "-c", WARM_RUN, str(project / "pyproject.toml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.stderr.strip() == "1 []", run.stderr
    assert "BND101" in run.stdout


def test_grimp_version_is_read_without_importing_grimp() -> None:
    # Read from grimp's package metadata, so a warm run need not import grimp to key its
    # caches: in a fresh process, so that nothing else has imported grimp first.
    script = (
        "import sys; from boundary_lint.graph import cache; "
        "print(cache.grimp_version(), 'grimp' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    import grimp

    assert done.stdout.split() == [grimp.__version__, "False"]


def test_corrupt_and_truncated_caches_are_misses(project: Path) -> None:
    cached_and_fresh(project)
    for path in (project / ".boundary_lint_cache").iterdir():
        if path.name != ".gitignore":
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    cached, fresh = cached_and_fresh(project)
    assert cached == fresh
    for path in (project / ".boundary_lint_cache").iterdir():
        if path.name != ".gitignore":
            path.write_bytes(b"not a cache")
    cached, fresh = cached_and_fresh(project)
    assert cached == fresh
