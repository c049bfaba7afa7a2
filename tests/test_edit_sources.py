"""``ProjectGraph.edit_sources`` (the language server's edits) changes the graph in place: it
must leave the graph ``with_sources`` would make, and every cached adjacency (what searches
fetched from grimp) must answer as a fresh one would."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boundary_lint import api
from boundary_lint.graph.adjacency import Adjacency, adjacency

MODULES = ["app", "app.a", "app.b", "app.c", "app.sub", "app.sub.d"]
IMPORTABLE = [*MODULES[1:], "os", "json"]  # externals too: an edit may add a module


@pytest.fixture(scope="module")
def project_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("edit")
    (root / "pyproject.toml").write_text(
        '[tool.boundary_lint]\nroot_packages = ["app"]\ninclude_external_packages = true\ncache_dir = false\n\n'
        '[[tool.boundary_lint.contracts]]\nid = "c"\nname = "C"\ntype = "forbidden"\n'
        'source_modules = ["app.a"]\nforbidden_modules = ["app.c"]\n'
    )
    for module in MODULES:
        parts = module.split(".")
        is_package = module in {"app", "app.sub"}
        path = (
            root.joinpath(*parts, "__init__.py")
            if is_package
            else root.joinpath(*parts[:-1], parts[-1] + ".py")
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("import app.a\n" if module == "app.b" else "")
    return root


def _answers(imports: Adjacency, modules: set[str]) -> dict[str, tuple[set[str], set[str], frozenset[str]]]:
    return {m: (imports.imported_by(m), imports.importers_of(m), imports.package(m)) for m in sorted(modules)}


def _imports(graph: api.ProjectGraph) -> set[tuple[str, str, tuple[int, ...]]]:
    return {
        (importer, imported, tuple(graph.import_lines(importer, imported)))
        for importer in graph.graph.modules
        for imported in graph.graph.find_modules_directly_imported_by(importer)
    }


edits = st.lists(
    st.tuples(
        st.sampled_from(MODULES),
        st.lists(st.sampled_from(IMPORTABLE), max_size=4).map(
            lambda names: "".join(f"import {n}\n" for n in names)
        ),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits)
def test_edits_in_place_equal_copies_and_leave_no_stale_adjacency(
    project_root: Path, steps: list[tuple[str, str]]
) -> None:
    config = api.load_config(project_root)
    edited, copied = api.load_graph(config), api.load_graph(config)  # edited's graph is edited itself
    for module, text in steps:
        _answers(adjacency(edited.graph), edited.graph.modules)  # every answer cached, to go stale
        held = edited.graph
        edited = edited.edit_sources({module: text})
        copied = copied.with_sources({module: text})
        assert edited.graph is held  # in place
        assert _imports(edited) == _imports(copied)
        fresh = Adjacency(edited.graph)
        assert _answers(adjacency(edited.graph), edited.graph.modules) == _answers(
            fresh, edited.graph.modules
        )
        # The same reuse either way (none once a new external module appears).
        assert (edited.derivation and edited.derivation.changed) == (
            copied.derivation and copied.derivation.changed
        )


def test_a_text_in_syntax_newer_than_pythons_is_read_by_grimps_parser(project_root: Path) -> None:
    """Small texts go to Python's parser first; one it cannot parse goes to grimp's, as
    ``check`` reads files (``type`` statements are Python 3.12's: on 3.11 this is that path)."""
    config = api.load_config(project_root)
    edited = api.load_graph(config).edit_sources({"app.a": "type Alias = int\nimport app.c\n"})
    assert edited.graph.find_modules_directly_imported_by("app.a") == {"app.c"}
    assert edited.import_lines("app.a", "app.c") == [2]
    with pytest.raises(api.SourceSyntaxError):
        edited.edit_sources({"app.a": "import (\n"})
    assert edited.graph.find_modules_directly_imported_by("app.a") == {"app.c"}  # left as it was
