"""Caches keyed by content: a fresh clone (new mtimes, ctimes and inodes, the same bytes) with
the previous run's cache directory restored reuses the parsed imports and the report; a changed
byte is always seen; a cache the repository supplies is still never believed.

Each run goes through the CLI in this process, with a spy on what grimp's scanner is handed
and on which report-cache lookup answered; each cached answer is compared with ``--no-cache``.
"""

from __future__ import annotations

import io
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import boundary_lint.graph.builder as builder
import boundary_lint.graph.hashes as hashes
import boundary_lint.report_cache as report_cache
from boundary_lint import cli
from boundary_lint.graph.cache import RACY_NS

CONFIG = """\
[tool.boundary_lint]
root_packages = ["app"]

[[tool.boundary_lint.contracts]]
id = "ui-not-db"
type = "forbidden"
source_modules = ["app.ui"]
forbidden_modules = ["app.db"]
"""

FILES = {
    "pyproject.toml": CONFIG,
    "app/__init__.py": "",
    "app/ui/__init__.py": "",
    "app/ui/view.py": "from app.logic import rules\n",
    "app/ui/legacy.py": "import app.db\n",
    "app/logic/__init__.py": "",
    "app/logic/rules.py": "VALUE = 1\n",
    "app/db/__init__.py": "",
    "app/dc/__init__.py": "",
}


class Spy:
    def __init__(self) -> None:
        self.scanned: list[str] = []
        self.by_content: list[bool] = []

    def reset(self) -> None:
        self.scanned.clear()
        self.by_content.clear()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    found = Spy()
    scan, load_by_content = builder._Scanner.scan, report_cache.ReportCache.load_by_content

    def spied_scan(self: builder._Scanner, to_scan: list[builder.ModuleFile]) -> object:
        found.scanned.extend(mf.module.name for mf in to_scan)
        return scan(self, to_scan)

    def spied_load(self: report_cache.ReportCache, content: str | None) -> object:
        result = load_by_content(self, content)
        found.by_content.append(result is not None)
        return result

    monkeypatch.setattr(builder._Scanner, "scan", spied_scan)
    monkeypatch.setattr(report_cache.ReportCache, "load_by_content", spied_load)
    yield found


def make(root: Path) -> Path:
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    os.mkdir(root / ".git")  # the checkout: a cache inside it is the repository's
    return root


def run(project: Path, *arguments: str | Path) -> str:
    output = io.StringIO()
    cwd = os.getcwd()
    os.chdir(project)
    try:
        with redirect_stdout(output):
            code = cli.main(["check", "--format", "concise", "--no-progress", *map(str, arguments)])
    finally:
        os.chdir(cwd)
    return f"exit {code}\n{output.getvalue()}"


def fresh_clone(project: Path) -> None:
    """The same bytes at the same path, as a new clone has them: every stamp new."""
    moved = project.with_name(project.name + "-old")
    project.rename(moved)
    shutil.copytree(moved, project, copy_function=shutil.copyfile)  # new mtimes and inodes
    shutil.rmtree(moved)


def settle() -> None:
    time.sleep(RACY_NS / 1e9 + 0.1)


def test_a_fresh_clone_with_the_cache_restored_reuses_the_report(tmp_path: Path, spy: Spy) -> None:
    project, cache = make(tmp_path / "project"), tmp_path / "ci-cache"
    first = run(project, "--cache-dir", cache)
    assert "BND" in first and spy.scanned
    settle()
    fresh_clone(project)
    spy.reset()
    cached = run(project, "--cache-dir", cache)
    assert spy.scanned == [] and spy.by_content == [True]  # nothing parsed: the report reused
    assert cached == first == run(project, "--no-cache")
    spy.reset()
    assert run(project, "--cache-dir", cache) == first  # stored again under the new stamps
    assert spy.scanned == []


def test_a_fresh_clone_with_one_file_edited_parses_that_file_alone(tmp_path: Path, spy: Spy) -> None:
    project, cache = make(tmp_path / "project"), tmp_path / "ci-cache"
    run(project, "--cache-dir", cache)
    settle()
    fresh_clone(project)
    (project / "app/ui/view.py").write_text("from app.logic import rules\nimport app.db\n")
    spy.reset()
    cached = run(project, "--cache-dir", cache)
    assert spy.scanned == ["app.ui.view"] and spy.by_content == [False]
    assert cached == run(project, "--no-cache")
    assert "app/ui/view.py:2" in cached


def test_a_changed_byte_is_seen_though_the_stamp_is_set_back(tmp_path: Path, spy: Spy) -> None:
    """The same size, the old mtime restored (cp -p, tar): the content hash differs."""
    project, cache = make(tmp_path / "project"), tmp_path / "ci-cache"
    legacy = project / "app/ui/legacy.py"
    first = run(project, "--cache-dir", cache)
    assert "app/ui/legacy.py:1" in first
    settle()
    fresh_clone(project)
    status = legacy.stat()
    legacy.write_text("import app.dc\n")  # one byte changed
    os.utime(legacy, ns=(status.st_atime_ns, status.st_mtime_ns))
    spy.reset()
    cached = run(project, "--cache-dir", cache)
    assert "app.ui.legacy" in spy.scanned
    assert cached == run(project, "--no-cache") != first
    assert "app/ui/legacy.py" not in cached


def test_a_cache_the_repository_supplies_is_rebuilt_after_a_clone(
    tmp_path: Path, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same cache restored into the checkout's default place, written under another key (as
    on another machine), is not believed; named explicitly outside the checkout, it is."""
    project, cache = make(tmp_path / "project"), tmp_path / "ci-cache"
    first = run(project, "--cache-dir", cache)
    settle()
    fresh_clone(project)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-machine"))
    import boundary_lint.graph.store as store

    store._load_key.cache_clear()
    try:
        shutil.copytree(cache, project / ".boundary_lint_cache")
        spy.reset()
        assert run(project) == first
        assert sorted(spy.scanned) == sorted(m for m in _modules() if m)  # all parsed again
        assert True not in spy.by_content  # nor the report taken by its content
        spy.reset()
        assert run(project, "--cache-dir", cache) == first
        assert spy.scanned == [] and spy.by_content == [True]
    finally:
        store._load_key.cache_clear()


def _modules() -> list[str]:
    names = []
    for name in FILES:
        if name.endswith(".py"):
            module = name[: -len(".py")].replace("/", ".")
            names.append(module.removesuffix(".__init__"))
    return names


def test_a_few_edits_leave_the_cache_files_as_they_are_until_enough_accumulate(
    tmp_path: Path, spy: Spy
) -> None:
    """At 2,510 modules, two out-of-date entries are kept (each misses by content and is made
    again); the third edit rewrites both cache files. Every answer equals ``--no-cache``."""
    project, cache = make(tmp_path / "project"), tmp_path / "ci-cache"
    filler = project / "app/filler"
    filler.mkdir()
    (filler / "__init__.py").write_text("")
    for number in range(2500):
        (filler / f"m{number:04}.py").write_text("VALUE = 1\n")
    settle()  # no file's stamp racy once the caches are written
    run(project, "--cache-dir", cache)

    def cache_files() -> dict[str, tuple[int, int]]:
        found = [p for p in cache.iterdir() if p.name.startswith(("imports-", "hashes-"))]
        assert len(found) == 2
        return {p.name.split("-")[0]: (p.stat().st_mtime_ns, p.stat().st_ino) for p in found}

    def edit(name: str, text: str) -> str:
        (project / name).write_text(text)
        spy.reset()
        answer = run(project, "--cache-dir", cache)
        scanned = list(spy.scanned)
        assert answer == run(project, "--no-cache")
        spy.scanned[:] = scanned
        return answer

    written = cache_files()
    assert "app/ui/view.py:2" in edit("app/ui/view.py", "from app.logic import rules\nimport app.db\n")
    assert spy.scanned == ["app.ui.view"] and cache_files() == written
    spy.reset()
    run(project, "--cache-dir", cache)
    assert spy.scanned == []  # the report, stored under the new stamps
    edit("app/logic/rules.py", "import app.dc\n")
    assert sorted(spy.scanned) == ["app.logic.rules", "app.ui.view"] and cache_files() == written
    assert "app/ui/legacy.py" not in edit("app/ui/legacy.py", "")
    assert sorted(spy.scanned) == ["app.logic.rules", "app.ui.legacy", "app.ui.view"]
    rewritten = cache_files()
    assert rewritten["imports"] != written["imports"] and rewritten["hashes"] != written["hashes"]
    edit("app/filler/m0000.py", "VALUE = 2\n")
    # The three files edited just before the rewrite are hashed again (their stamps are
    # racy), so only the import cache is sure to stay as it is.
    assert spy.scanned == ["app.filler.m0000"] and cache_files()["imports"] == rewritten["imports"]


def test_a_cold_run_parses_while_the_hashes_are_made_and_a_clone_waits_for_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With nothing cached no decision needs the hashes: they are made in another thread while
    grimp parses, and awaited after it. With the cache restored on a fresh clone they decide
    what is parsed (and whether the report is reused), so they are awaited first."""
    events: list[str] = []
    scan, result = builder._Scanner.scan, hashes.ContentHashes.result

    def spied_scan(self: builder._Scanner, to_scan: list[builder.ModuleFile]) -> object:
        events.append("scan")
        return scan(self, to_scan)

    def spied_result(self: hashes.ContentHashes) -> tuple[dict[str, str | None], str | None]:
        events.append("hashes" if self._thread is None else "hashes from a thread")
        return result(self)

    monkeypatch.setattr(builder._Scanner, "scan", spied_scan)
    monkeypatch.setattr(hashes.ContentHashes, "result", spied_result)
    project, cache = make(tmp_path / "project"), tmp_path / "ci-cache"
    first = run(project, "--cache-dir", cache)
    assert events[0] == "scan" and "hashes from a thread" in events, events
    settle()
    fresh_clone(project)
    (project / "app/ui/view.py").write_text("import app.db\n")  # one file's bytes changed
    events.clear()
    edited = run(project, "--cache-dir", cache)
    assert events[0].startswith("hashes") and "scan" in events, events
    assert edited != first and edited == run(project, "--no-cache")
