"""A check on a graph changed in memory keeps the last check's outcome of each contract the
changes cannot affect (rules.reuse), and reports what a check from scratch reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boundary_lint import api
from boundary_lint.rules.chains import ChainSearch, recording_searches

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


LAYERED = {
    "pyproject.toml": (
        '[tool.boundary_lint]\nroot_packages = ["app"]\ncache_dir = false\n\n'
        '[[tool.boundary_lint.contracts]]\nid = "low-not-high"\nname = "Low"\ntype = "forbidden"\n'
        'source_modules = ["app.low"]\nforbidden_modules = ["app.high"]\n\n'
        '[[tool.boundary_lint.contracts]]\nid = "plugins"\nname = "Plugins"\ntype = "independence"\n'
        'modules = ["app.one", "app.two"]\n\n'
        '[[tool.boundary_lint.contracts]]\nid = "layers"\nname = "Layers"\ntype = "layers"\n'
        'layers = ["app.high", "app.mid", "app.low"]\n'
    ),
    "app/__init__.py": "",
    **{f"app/{name}.py": "" for name in ("low", "mid", "high", "one", "two", "x", "y")},
}
NAMES = ["app.low", "app.mid", "app.high", "app.one", "app.two", "app.x", "app.y"]


def test_a_search_again_takes_the_last_distances_where_the_change_cannot_alter_them(tmp_path: Path) -> None:
    config, project = _project(tmp_path, {**LAYERED, "app/x.py": "import app.high\n"})
    memo = api.CheckMemo()
    with recording_searches() as first:
        api.check_graph(config, project, memo=memo)
    # low is a source of every search of low-not-high and layers: they take the distances.
    project = project.edit_sources({"app.low": "import app.x\n"})
    with recording_searches() as second:
        report = api.check_graph(config, project, memo=memo)
    # The forbidden search, the independence's two (not searched again: untouched), the layers'
    # two (to high, to mid).
    assert len(first) == 5 and len(second) == 3
    assert [s.distance is f.distance for s, f in zip(second, [first[0], *first[3:]])] == [True] * 3
    assert _found(report) == _found(api.check_graph(config, project))
    assert {c for c, *_ in _found(report)} == {"low-not-high", "layers"}
    # y may be interior and now leads to high through x: the searches to high search anew;
    # the one to mid (which x does not lead to) takes its distances still.
    project = project.edit_sources({"app.y": "import app.x\n"})
    with recording_searches() as third:
        report = api.check_graph(config, project, memo=memo)
    assert [t.distance is s.distance for t, s in zip(third, second)] == [False, False, True]
    assert _found(report) == _found(api.check_graph(config, project))
    # low imports nothing again: the first hops it began are gone from the answers taken.
    project = project.edit_sources({"app.low": ""})
    with recording_searches() as fourth:
        assert _found(api.check_graph(config, project, memo=memo)) == []
    assert [f.distance is t.distance for f, t in zip(fourth, third)] == [True] * 3
    assert [list(f.first_hops()) for f in fourth] == [[], [], []]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=3)),
        min_size=1,
        max_size=8,
    )
)
def test_edits_checked_with_the_memo_report_what_a_check_from_scratch_reports(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, list[str]]]
) -> None:
    config, edited = _project(tmp_path_factory.mktemp("memo"), LAYERED)
    copied = api.load_graph(config)
    memo = api.CheckMemo()
    api.check_graph(config, edited, memo=memo)
    for module, imports in steps:
        text = "".join(f"import {name}\n" for name in imports)
        edited, copied = edited.edit_sources({module: text}), copied.with_sources({module: text})
        texts = {edited.module_files[module]: text}
        with recording_searches() as searches:
            reused = api.check_graph(config, edited, texts=texts, memo=memo)
        assert _found(reused) == _found(api.check_graph(config, copied, texts=texts)), steps
        for search in searches:  # answers taken or not, those of a search from scratch
            fresh = ChainSearch(
                edited.graph, search.sources, search.targets, search.blocked, direct_only=search.direct_only
            )
            assert search.distance == fresh.distance and list(search.first_hops()) == list(fresh.first_hops())
