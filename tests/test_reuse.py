"""A check on a graph changed in memory keeps the last check's outcome of each contract the
changes cannot affect (rules.reuse), and reports what a check from scratch reports."""

from __future__ import annotations

from pathlib import Path

from boundary_lint import api
from boundary_lint.rules.chains import recording_searches

FILES = {
    "pyproject.toml": (
        '[tool.boundary_lint]\nroot_packages = ["app"]\n\n'
        '[[tool.boundary_lint.contracts]]\nid = "low-not-high"\nname = "Low"\ntype = "forbidden"\n'
        'source_modules = ["app.low"]\nforbidden_modules = ["app.high"]\n\n'
        '[[tool.boundary_lint.contracts]]\nid = "plugins"\nname = "Plugins"\ntype = "independence"\n'
        'modules = ["app.one", "app.two"]\n'
    ),
    "app/__init__.py": "",
    "app/low.py": "import app.mid\n",
    "app/mid.py": "VALUE = 1\n",
    "app/high.py": "VALUE = 2\n",
    "app/one.py": "VALUE = 3\n",
    "app/two.py": "VALUE = 4\n",
}


def _project(root: Path, files: dict[str, str]) -> tuple[api.Config, api.ProjectGraph]:
    """The files written under ``root``, their configuration and graph."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    config = api.load_config(root)
    return config, api.load_graph(config)


def _found(report: api.Report) -> list[tuple[str, str, int, str]]:
    return [(v.contract, v.path, v.line, v.message) for v in api.violations(report)]


def test_untouched_contracts_are_not_searched_again_and_results_equal_a_full_check(tmp_path: Path) -> None:
    config, project = _project(tmp_path, FILES)
    memo = api.CheckMemo()
    assert _found(api.check_graph(config, project, memo=memo)) == []
    edits = [
        ("app.one", "import app.two\n", {"plugins"}),  # one is a source of the independence only
        ("app.one", "VALUE = 3\n", {"plugins"}),
        ("app.mid", "import app.high\n", {"low-not-high"}),  # mid leads to nothing yet
        ("app.mid", "\n\nimport app.high\n", {"low-not-high"}),  # mid leads to high now
        ("app.mid", "VALUE = 1\n", {"low-not-high"}),
        ("app.mid", "import app.low\n", set()),  # low leads to no target: nothing can change
        ("app.high", "import app.one\n", {"low-not-high", "plugins"}),  # high leads to one now
    ]
    seen = set()
    for module, text, searched in edits:
        project = project.with_sources({module: text})
        texts = {project.module_files[module]: text}
        with recording_searches() as searches:
            reused = api.check_graph(config, project, texts=texts, memo=memo)
        # Which contracts searched: the independence makes one search per module, forbidden one.
        assert {
            "plugins" if len(s.targets) == 1 and "app.high" not in s.targets else "low-not-high"
            for s in searches
        } == searched, (module, text)
        assert _found(reused) == _found(api.check_graph(config, project, texts=texts)), (module, text)
        seen.update(_found(reused))
    assert {c for c, *_ in seen} == {"plugins", "low-not-high"}  # both contracts found something


def test_a_graph_not_made_from_the_last_one_checked_is_checked_in_full(tmp_path: Path) -> None:
    config, project = _project(tmp_path, FILES)
    memo = api.CheckMemo()
    api.check_graph(config, project.with_sources({"app.one": "import app.two\n"}), memo=memo)
    other = project.with_sources({"app.mid": "VALUE = 5\n"})  # from the first graph, not the last
    with recording_searches() as searches:
        report = api.check_graph(config, other, memo=memo)
    assert len(searches) == 3  # one forbidden search, two independence ones: nothing reused
    assert _found(report) == []


def test_a_contract_with_ignore_imports_is_searched_again_and_its_unmatched_entry_said(
    tmp_path: Path,
) -> None:
    files = dict(FILES)
    files["pyproject.toml"] = FILES["pyproject.toml"].replace(
        'forbidden_modules = ["app.high"]\n',
        'forbidden_modules = ["app.high"]\nignore_imports = ["app.one -> app.mid"]\n',
    )
    config, project = _project(tmp_path, files)
    memo = api.CheckMemo()

    def errors(report: api.Report) -> list[str]:
        return [e.message for c in report.contracts for e in c.errors]

    assert len(errors(api.check_graph(config, project, memo=memo))) == 1  # matches nothing
    for text, unmatched in (("import app.mid\n", 0), ("VALUE = 3\n", 1)):
        project = project.with_sources({"app.one": text})  # no search of low-not-high touched
        assert len(errors(api.check_graph(config, project, memo=memo))) == unmatched
