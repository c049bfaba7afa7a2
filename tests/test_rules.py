"""Each contract type's rule on a graph built in memory: grimp's real graph, no files, no engine.

What a rule finds is module chains (``Finding``); the engine turns them into violations on
import statements (tested through the CLI elsewhere). Here: which chains, with which code."""

from __future__ import annotations

from typing import Any

import grimp
import pytest

from boundary_lint import codes
from boundary_lint.config.model import (
    AcyclicSiblingsSpec,
    ContractSpec,
    ForbiddenSpec,
    IndependenceSpec,
    LayerModule,
    LayerSpec,
    LayersSpec,
    ProtectedSpec,
)
from boundary_lint.config.registry import contract_type_of
from boundary_lint.rules.common import ContractError, RuleContext


def graph_of(*edges: str) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for edge in edges:
        importer, imported = edge.split(" -> ")
        for module in (importer, imported):
            parts = module.split(".")
            for depth in range(1, len(parts) + 1):  # parents exist, as in a real package tree
                graph.add_module(".".join(parts[:depth]))
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return graph


def findings(spec: ContractSpec, graph: grimp.ImportGraph) -> list[tuple[str, tuple[str, ...]]]:
    rule: Any = __import__(contract_type_of(spec).rules, fromlist=["check"])
    outcome = rule.check(spec, RuleContext(graph, ("app",), include_external_packages=False))
    return sorted((f.code, f.chain) for f in outcome.findings)


def layers(*lines: str, **options: Any) -> LayersSpec:
    specs = tuple(LayerSpec(tuple(LayerModule(tail.strip()) for tail in line.split("|"))) for line in lines)
    return LayersSpec(id="c", name="c", layers=specs, **options)


GRAPH = graph_of(
    "app.ui.views -> app.domain.models",
    "app.ui.views -> app.util",
    "app.util -> app.db.tables",
    "app.domain.models -> app.db.tables",
    "app.db.tables -> app.ui.widgets",
)


def test_forbidden_direct_and_indirect() -> None:
    spec = ForbiddenSpec(id="c", name="c", source_modules=("app.ui",), forbidden_modules=("app.db",))
    assert findings(spec, GRAPH) == [
        (codes.FORBIDDEN_INDIRECT, ("app.ui.views", "app.domain.models", "app.db.tables")),
        (codes.FORBIDDEN_INDIRECT, ("app.ui.views", "app.util", "app.db.tables")),
    ]
    direct = ForbiddenSpec(
        id="c",
        name="c",
        source_modules=("app.domain",),
        forbidden_modules=("app.db",),
        allow_indirect_imports=True,
    )
    assert findings(direct, GRAPH) == [(codes.FORBIDDEN_DIRECT, ("app.domain.models", "app.db.tables"))]


def test_forbidden_not_as_packages_sees_only_the_named_modules() -> None:
    spec = ForbiddenSpec(
        id="c", name="c", source_modules=("app.ui",), forbidden_modules=("app.db",), as_packages=False
    )
    assert findings(spec, GRAPH) == []  # app.ui itself imports nothing


def test_layers_upward_imports() -> None:
    spec = layers("ui", "domain", "db", containers=("app",))
    assert findings(spec, GRAPH) == [
        (codes.LAYER_UPWARD_DIRECT, ("app.db.tables", "app.ui.widgets")),
    ]


def test_layers_siblings_on_one_line_are_independent() -> None:
    spec = layers("ui", "domain | util", "db", containers=("app",))
    graph = graph_of("app.ui.x -> app.domain.a", "app.domain.a -> app.util.b", "app.util.c -> app.db.d")
    assert findings(spec, graph) == [(codes.LAYER_UPWARD_DIRECT, ("app.domain.a", "app.util.b"))]


def test_independence() -> None:
    spec = IndependenceSpec(id="c", name="c", modules=("app.ui", "app.db"))
    assert findings(spec, GRAPH) == [
        (codes.INDEPENDENCE_DIRECT, ("app.db.tables", "app.ui.widgets")),
        (codes.INDEPENDENCE_INDIRECT, ("app.ui.views", "app.domain.models", "app.db.tables")),
        (codes.INDEPENDENCE_INDIRECT, ("app.ui.views", "app.util", "app.db.tables")),
    ]


def test_protected_allows_only_the_allowed_importers() -> None:
    spec = ProtectedSpec(id="c", name="c", protected_modules=("app.db",), allowed_importers=("app.domain",))
    assert findings(spec, GRAPH) == [(codes.PROTECTED_IMPORTED, ("app.util", "app.db.tables"))]


def test_acyclic_siblings() -> None:
    spec = AcyclicSiblingsSpec(id="c", name="c", ancestors=("app",), depth=1)
    cycle = {chain for _, chain in findings(spec, GRAPH)}
    # ui -> domain -> db -> ui and ui -> util -> db -> ui: every import between those siblings.
    assert cycle == {
        ("app.ui.views", "app.domain.models"),
        ("app.ui.views", "app.util"),
        ("app.util", "app.db.tables"),
        ("app.domain.models", "app.db.tables"),
        ("app.db.tables", "app.ui.widgets"),
    }
    assert findings(spec, graph_of("app.a.x -> app.b.y")) == []


def test_a_module_that_does_not_exist_is_a_contract_error() -> None:
    spec = ForbiddenSpec(id="c", name="c", source_modules=("app.nowhere",), forbidden_modules=("app.db",))
    with pytest.raises(ContractError):
        findings(spec, GRAPH)
