"""``boundary-lint explain``: every shortest chain between two modules, with lines (the CLI as a
subprocess on tests/trees/explain_diamond and cli_shop), and the enumeration on its own, against
brute force and against grimp."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import grimp
import pytest
from cli_support import TREES, copy_tree, run_cli, shop_project

from boundary_lint.adoption.explain import SharedModules, explain
from boundary_lint.graph.builder import build_project_graph


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return copy_tree("explain_diamond", tmp_path / "tree")


def test_every_shortest_chain_with_the_lines_of_each_import(tree: Path) -> None:
    result = run_cli("explain", "ex.a", "ex.c", cwd=tree)
    assert result.returncode == 0, result
    assert (
        result.stdout
        == """\
ex.a imports ex.c: 2 shortest chains

ex.a -> ex.c, 2 imports:
      ex.a -> ex.b1  ex/a.py:1
      ex.b1 -> ex.c  ex/b1.py:1, 5

ex.a -> ex.c, 2 imports:
      ex.a -> ex.b2  ex/a.py:2
      ex.b2 -> ex.c  ex/b2.py:1
"""
    )


def test_max_caps_the_chains_printed_and_says_how_many_more(tree: Path) -> None:
    result = run_cli("explain", "ex.a", "ex.c", "--max", "1", cwd=tree)
    assert result.returncode == 0, result
    assert result.stdout.endswith("""\
      ex.b1 -> ex.c  ex/b1.py:1, 5

... and 1 more chain (--max 1; --max 0 prints all)
""")
    assert "ex.b2" not in result.stdout


def test_packages_include_their_descendants_unless_as_modules(tree: Path) -> None:
    result = run_cli("explain", "ex.pkg", "ex.c", cwd=tree)
    assert result.returncode == 0, result
    # ex.pkg.m2 reaches ex.c only through ex.pkg.m1: that chain is m1's (as in grimp).
    assert (
        result.stdout
        == """\
ex.pkg imports ex.c: 1 shortest chain between 1 pair of modules (as packages: each name with its \
descendants, and no chain passes through another of their modules; --as-modules: the modules alone)

ex.pkg.m1 -> ex.c, 2 imports:
      ex.pkg.m1 -> ex.b1  ex/pkg/m1.py:1
      ex.b1 -> ex.c       ex/b1.py:1, 5
"""
    )
    alone = run_cli("explain", "ex.pkg", "ex.c", "--as-modules", cwd=tree)
    assert alone.returncode == 1, alone
    assert alone.stdout == "ex.pkg does not import ex.c, directly or indirectly\n"


def test_no_chain_exits_1(tree: Path) -> None:
    result = run_cli("explain", "ex.c", "ex.a", cwd=tree)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "ex.c does not import ex.a, directly or indirectly\n",
        "",
    )


def test_unknown_module_is_an_error_with_a_suggestion(tree: Path) -> None:
    result = run_cli("explain", "ex.a", "ex.bb2", cwd=tree)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "boundary-lint: error: 'ex.bb2' is not a module of the project (ex) (did you mean 'ex.b2'?)\n"
    )


def test_overlapping_packages_are_an_error(tree: Path) -> None:
    result = run_cli("explain", "ex", "ex.c", cwd=tree)
    assert result.returncode == 2
    assert result.stderr.startswith("boundary-lint: error: ex and ex.c overlap as packages")
    assert (
        run_cli("explain", "ex", "ex.c", "--as-modules", cwd=tree).returncode == 1
    )  # ex/__init__.py is empty
    same = run_cli("explain", "ex.a", "ex.a", "--as-modules", cwd=tree)
    assert (same.returncode, same.stderr) == (
        2,
        "boundary-lint: error: ex.a is both the importer and the imported: give two modules\n",
    )


def test_configuration_errors_exit_2(tree: Path) -> None:
    missing = run_cli("explain", "ex.a", "ex.c", "--config", "nope.toml", cwd=tree)
    assert missing.returncode == 2 and missing.stderr.startswith("boundary-lint: error: ")
    assert "Traceback" not in missing.stderr
    (tree / "pyproject.toml").unlink()
    none = run_cli("explain", "ex.a", "ex.c", cwd=tree)
    assert none.returncode == 2 and "no configuration found" in none.stderr


def test_explains_what_check_reports(tmp_path: Path) -> None:
    """On cli_shop, check reports shop.api.views -> shop.services.orders (l.3) -> shop.db.models
    (l.1); explain names the same lines."""
    project = shop_project(tmp_path / "shop")
    result = run_cli("explain", "shop.services.orders", "shop.db.models", cwd=project)
    assert result.returncode == 0, result
    assert "shop.services.orders -> shop.db.models  shop/services/orders.py:1\n" in result.stdout
    result = run_cli("explain", "shop.api.views", "shop.db", "--as-modules", cwd=project)
    assert result.returncode == 1  # shop.db's own __init__ is imported by nobody
    result = run_cli("explain", "shop.api.views", "shop.db", cwd=project)
    assert result.returncode == 0, result
    assert "      shop.api.views -> shop.db.models  shop/api/views.py:8\n" in result.stdout
    assert "      shop.api.views -> shop.db.session  shop/api/views.py:4\n" in result.stdout


# --- the enumeration, on its own -----------------------------------------------------------


def graph_of(imports: list[tuple[str, str]], modules: tuple[str, ...] = ()) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for module in [*modules, *(m for pair in imports for m in pair)]:
        for depth in range(1, module.count(".") + 2):
            graph.add_module(".".join(module.split(".")[:depth]))
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    return graph


def brute_force(graph: grimp.ImportGraph, starts: set[str], ends: set[str]) -> list[tuple[str, ...]]:
    """Every shortest simple chain of each (start, end) pair whose interior avoids both sets."""
    barrier = starts | ends
    found = []
    for start, end in itertools.product(sorted(starts), sorted(ends)):
        chains: list[tuple[str, ...]] = []
        paths: list[tuple[str, ...]] = [(start,)]
        while paths and not chains:
            longer: list[tuple[str, ...]] = []
            for path in paths:
                for module in sorted(graph.find_modules_directly_imported_by(path[-1])):
                    if module == end:
                        chains.append((*path, module))
                    elif module not in barrier and module not in path:
                        longer.append((*path, module))
            paths = longer
        found.extend(chains)
    return sorted(found, key=lambda c: (len(c), c[0], c[-1], c))


@pytest.mark.parametrize("seed", range(30))
def test_every_shortest_chain_in_name_order_as_brute_force_finds_them(seed: int) -> None:
    rng = random.Random(seed)
    modules = [f"r.{p}.{m}" for p in "abc" for m in "xyz"] + ["r.a", "r.b", "r.c"]
    imports = [(i, j) for i in modules for j in modules if i != j and rng.random() < 0.15]
    graph = graph_of(imports, tuple(modules))
    for importer, imported, as_packages in (
        ("r.a", "r.c", True),
        ("r.a.x", "r.c.z", False),
        ("r.b", "r.a.y", True),
    ):
        starts = {importer, *graph.find_descendants(importer)} if as_packages else {importer}
        ends = {imported, *graph.find_descendants(imported)} if as_packages else {imported}
        found = explain(graph, importer, imported, as_packages=as_packages)
        expected = brute_force(graph, starts, ends)
        assert list(found.chains()) == expected
        assert found.total == len(expected)


def test_counts_chains_without_listing_them() -> None:
    """Three diamonds in a row: 27 shortest chains, counted, and listed lazily."""
    imports = []
    for step in range(3):
        for side in "lmr":
            imports += [(f"d.n{step}", f"d.{side}{step}"), (f"d.{side}{step}", f"d.n{step + 1}")]
    found = explain(graph_of(imports), "d.n0", "d.n3", as_packages=False)
    assert found.total == 27
    first = next(found.chains())
    assert first == ("d.n0", "d.l0", "d.n1", "d.l1", "d.n2", "d.l2", "d.n3")


def test_overlap_as_packages_is_refused() -> None:
    graph = graph_of([("p.a", "p.b")])
    with pytest.raises(SharedModules):
        explain(graph, "p", "p.b")
    assert list(explain(graph, "p.a", "p.b").chains()) == [("p.a", "p.b")]


@pytest.mark.parametrize(
    "tree_name, packages",
    [
        ("moves", ("trove", "troveguest", "common")),
        ("diff_layers", ("lyr",)),
        ("diff_acyclic", ("acy",)),
    ],
)
def test_agrees_with_grimp(tree_name: str, packages: tuple[str, ...]) -> None:
    """For every pair of packages: a chain exists exactly when grimp says so; grimp's shortest
    chain is one of ours and as short as our shortest; and each chain of grimp's
    find_shortest_chains, cut at its last module of the importer and the first of the imported
    after it, joins a pair of ours by a chain no shorter than ours."""
    graph = build_project_graph(packages, (TREES / tree_name,)).graph
    names = sorted(m for m in graph.modules if not graph.is_module_squashed(m))
    compared = 0
    for importer, imported in itertools.permutations(names, 2):
        if importer.startswith(imported + ".") or imported.startswith(importer + "."):
            continue
        found = explain(graph, importer, imported)
        assert bool(found.pairs) == graph.chain_exists(importer, imported, as_packages=True)
        if not found.pairs:
            continue
        compared += 1
        ours = set(found.chains())
        shortest = graph.find_shortest_chain(importer, imported, as_packages=True)
        assert shortest in ours and len(shortest) == len(found.pairs[0].chains().__next__())
        lengths = {(p.start, p.end): p.length for p in found.pairs}
        starts = {importer, *graph.find_descendants(importer)}
        ends = {imported, *graph.find_descendants(imported)}
        for chain in graph.find_shortest_chains(importer, imported, as_packages=True):
            first_end = next(i for i, m in enumerate(chain) if m in ends)
            last_start = max(i for i, m in enumerate(chain[:first_end]) if m in starts)
            assert lengths[(chain[last_start], chain[first_end])] <= first_end - last_start
    assert compared > 10
