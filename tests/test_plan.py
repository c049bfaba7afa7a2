"""``boundary-lint plan``: on random small package trees, the planned cut is a minimum (checked
by brute force over every smaller set of direct imports, through the engine) wherever the plan
says it is exact, never smaller than the minimum otherwise; applying it keeps the contract;
each import removes alone the violations it says; the plan is the same every run; and the CLI
prints it as text, JSON and a TOML ratchet."""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
import tempfile
from pathlib import Path

import pytest
from cli_support import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boundary_lint.config import load_config
from boundary_lint.engine import CheckOptions, check_graph, load_graph
from boundary_lint.formatters.plan import to_json, to_text
from boundary_lint.planning.cut import chain_imports, first_hops_without, minimum_cut, without_redundant
from boundary_lint.planning.plan import plan_contract
from boundary_lint.rules.chains import recording_searches

MODULES = ("a", "b", "c", "h", "i")
PAIRS = [(x, y) for x in MODULES for y in MODULES if x != y]

CONTRACTS = """
root_packages = ["pkg"]
cache_dir = false

[[contracts]]
id = "forbidden"
name = "a and b do not use c"
type = "forbidden"
source_modules = ["pkg.a", "pkg.b"]
forbidden_modules = ["pkg.c"]

[[contracts]]
id = "forbidden-direct"
name = "a does not import c itself"
type = "forbidden"
source_modules = ["pkg.a"]
forbidden_modules = ["pkg.c"]
allow_indirect_imports = true

[[contracts]]
id = "layers"
name = "a over b over c"
type = "layers"
layers = ["pkg.a", "pkg.b", "pkg.c"]

[[contracts]]
id = "independence"
name = "a, b and c stand alone"
type = "independence"
modules = ["pkg.a", "pkg.b", "pkg.c"]

[[contracts]]
id = "protected"
name = "only b imports c"
type = "protected"
protected_modules = ["pkg.c"]
allowed_importers = ["pkg.b"]
"""


def write_tree(root: Path, imports: set[tuple[str, str]], packages: bool) -> Path:
    """pkg with modules a, b, c, h, i; a, b, c as packages (each with a submodule ``x`` that
    does the importing) when ``packages``."""
    package = root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in MODULES:
        lines = "".join(
            f"import pkg.{imported}\n" for importer, imported in sorted(imports) if importer == name
        )
        if packages and name in "abc":
            (package / name).mkdir()
            (package / name / "__init__.py").write_text("")
            (package / name / "x.py").write_text(lines.replace("import pkg.c\n", "import pkg.c.x\n"))
        else:
            (package / f"{name}.py").write_text(lines)
    config = root / "boundary-lint.toml"
    config.write_text(CONTRACTS)
    return config


def violations_with(config, project, spec, ignored):
    trial = dataclasses.replace(spec, ignore_imports=(*spec.ignore_imports, *ignored))
    report = check_graph(config, project, [trial], CheckOptions(use_cache=False))
    return [v for v in report.contracts[0].violations if v.chain]


def direct_imports(project) -> list[str]:
    graph = project.graph
    return sorted(
        f"{importer} -> {imported}"
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(imports=st.sets(st.sampled_from(PAIRS), max_size=8), packages=st.booleans())
def test_the_cut_is_a_verified_minimum(imports: set[tuple[str, str]], packages: bool) -> None:
    with tempfile.TemporaryDirectory() as directory:
        config = load_config(write_tree(Path(directory), imports, packages))
        project = load_graph(config, CheckOptions(use_cache=False))
        candidates = direct_imports(project)
        for spec in config.contracts:
            plan = plan_contract(config, project, spec)
            assert plan.verified
            cut = plan.ignore_imports()
            assert violations_with(config, project, spec, cut) == []
            assert plan.violations == len(violations_with(config, project, spec, []))
            smaller = next(
                (
                    chosen
                    for size in range(len(cut))
                    for chosen in itertools.combinations(candidates, size)
                    if not violations_with(config, project, spec, chosen)
                ),
                None,
            )
            if plan.exact:
                assert smaller is None, f"{spec.id}: {cut} is not a minimum, {smaller} keeps it too"
            for dropped in cut:  # minimal either way: every import of the cut is needed
                rest = [expression for expression in cut if expression != dropped]
                assert violations_with(config, project, spec, rest), f"{spec.id}: {dropped} is not needed"
            for cut_import in plan.cut:
                alone = violations_with(
                    config, project, spec, [f"{cut_import.importer} -> {cut_import.imported}"]
                )
                assert plan.violations - len(alone) == cut_import.removes, spec.id
            assert sum(len(c.violations) for c in plan.cut) == plan.violations
            again = plan_contract(config, project, spec)
            assert to_json([again]) == to_json([plan]) and to_text([again]) == to_text([plan])


@pytest.fixture
def chained(tmp_path: Path) -> Path:
    """a and b reach c only through h, c through h twice: one import (h -> c) removes all."""
    write_tree(tmp_path, {("a", "h"), ("b", "h"), ("h", "c"), ("i", "c"), ("a", "i")}, packages=False)
    return tmp_path


def test_cli_json_names_the_cut_with_statements_and_removes(chained: Path) -> None:
    result = run_cli(
        "plan", "--config", "boundary-lint.toml", "--contract", "forbidden", "--format", "json", cwd=chained
    )
    assert result.returncode == 0, result.stderr
    (contract,) = json.loads(result.stdout)["contracts"]
    assert contract["exact"] is True and contract["verified"] is True
    cut = [(c["importer"], c["imported"], c["removes"], c["statements"]) for c in contract["cut"]]
    assert cut == [
        ("pkg.h", "pkg.c", 2, [{"path": "pkg/h.py", "line": 1}]),
        ("pkg.i", "pkg.c", 1, [{"path": "pkg/i.py", "line": 1}]),
    ]


def test_an_import_another_parts_cut_makes_unnecessary_is_not_in_the_plan(tmp_path: Path) -> None:
    """As on Kedro: the part pkg.low -> pkg.top cuts pkg -> pkg.hub (one import where pkg.hub's
    three to pkg.top are three); the part pkg.low -> pkg.mid, cut nearest its target, would cut
    pkg.hub -> pkg.mid.x, which the first makes unnecessary."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("import pkg.hub\n")
    (tmp_path / "pkg" / "hub.py").write_text(
        "import pkg.top.a\nimport pkg.top.b\nimport pkg.top.c\nimport pkg.mid.x\n"
    )
    for module in ("top/__init__", "top/a", "top/b", "top/c", "mid/__init__", "mid/x", "low/__init__"):
        (tmp_path / "pkg" / f"{module}.py").parent.mkdir(exist_ok=True)
        (tmp_path / "pkg" / f"{module}.py").write_text("")
    (tmp_path / "pkg" / "low" / "m.py").write_text("import pkg\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = pkg\n\n[importlinter:contract:layers]\nname = layers\n"
        "type = layers\nlayers =\n    pkg.top\n    pkg.mid\n    pkg.low\n"
    )
    result = run_cli("plan", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (contract,) = json.loads(result.stdout)["contracts"]
    assert [(c["importer"], c["imported"]) for c in contract["cut"]] == [("pkg", "pkg.hub")]
    assert contract["exact"] is True and contract["verified"] is True


def test_cli_text_and_toml(chained: Path) -> None:
    text = run_cli("plan", "--config", "boundary-lint.toml", "--contract", "forbidden", cwd=chained)
    assert "break 2 import(s), a minimum" in text.stdout
    assert "1. pkg.h -> pkg.c  removes 2 alone" in text.stdout
    assert "at pkg/h.py:1" in text.stdout
    toml = run_cli(
        "plan", "--config", "boundary-lint.toml", "--contract", "forbidden", "--format", "toml", cwd=chained
    )
    assert '"pkg.h -> pkg.c",  # hides 2; pkg/h.py:1' in toml.stdout


def test_the_toml_ratchet_keeps_the_contract(chained: Path) -> None:
    toml = run_cli(
        "plan", "--config", "boundary-lint.toml", "--contract", "layers", "--format", "toml", cwd=chained
    ).stdout
    entries = [line.split('"')[1] for line in toml.splitlines() if line.startswith('    "')]
    config = chained / "boundary-lint.toml"
    text = config.read_text().replace(
        'layers = ["pkg.a", "pkg.b", "pkg.c"]',
        f'layers = ["pkg.a", "pkg.b", "pkg.c"]\nignore_imports = {entries!r}',
    )
    config.write_text(text.replace("'", '"'))
    result = run_cli("check", "--config", "boundary-lint.toml", "--contract", "layers", cwd=chained)
    assert result.returncode == 0, result.stdout


def still_reaching(search, removed) -> frozenset[str]:
    """The modules that still reach a target over the search's imports without ``removed``."""
    usable = [edge for edge in chain_imports(search) if edge not in removed]
    reaching = set(search.targets)
    while more := {a for a, b in usable if b in reaching and a not in reaching}:
        reaching |= more
    return frozenset(reaching)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(imports=st.sets(st.sampled_from(PAIRS), max_size=10), packages=st.booleans())
def test_each_part_cut_is_the_minimum_nearest_the_targets(
    imports: set[tuple[str, str]], packages: bool
) -> None:
    """The maximum flow, by brute force on every search each contract type makes: the cut breaks
    every chain, no smaller set does, and of the minimum cuts it leaves the fewest modules
    leading to a target."""
    with tempfile.TemporaryDirectory() as directory:
        config = load_config(write_tree(Path(directory), imports, packages))
        project = load_graph(config, CheckOptions(use_cache=False))
        with recording_searches() as searches:
            check_graph(config, project, config.contracts, CheckOptions(use_cache=False))
        for search in searches:
            cut = minimum_cut(search)
            assert not first_hops_without(search, cut)
            edges = chain_imports(search)
            minimum = next(
                size
                for size in range(len(edges) + 1)
                if any(not first_hops_without(search, set(c)) for c in itertools.combinations(edges, size))
            )
            assert len(cut) == minimum
            for other in itertools.combinations(edges, minimum):
                if not first_hops_without(search, set(other)):
                    assert still_reaching(search, cut) <= still_reaching(search, set(other))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(imports=st.sets(st.sampled_from(PAIRS), max_size=10), packages=st.booleans(), seed=st.randoms())
def test_redundant_imports_leave_a_cut_that_still_breaks_every_chain(
    imports: set[tuple[str, str]], packages: bool, seed: random.Random
) -> None:
    """without_redundant, against every search searched again from its targets: what it keeps of
    any cut that breaks every chain (each contract's searches together, any extra import)
    still breaks every chain, and each import it keeps is needed."""
    with tempfile.TemporaryDirectory() as directory:
        config = load_config(write_tree(Path(directory), imports, packages))
        project = load_graph(config, CheckOptions(use_cache=False))
        for spec in config.contracts:
            with recording_searches() as searches:
                check_graph(config, project, [spec], CheckOptions(use_cache=False))
            edges = sorted({edge for search in searches for edge in chain_imports(search)})
            cut = {edge for search in searches for edge in minimum_cut(search)}
            cut |= set(seed.sample(edges, min(len(edges), 2)))
            kept = without_redundant(cut, searches)
            assert kept <= cut
            assert not any(first_hops_without(search, kept) for search in searches)
            for edge in kept:
                assert any(first_hops_without(search, kept - {edge}) for search in searches), edge


def test_plan_needs_no_networkx(chained: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The maximum flow is boundary-lint's own: the plan is made with networkx unimportable."""
    from cli_support import clean_env

    blocker = tmp_path_factory.mktemp("no-networkx")
    (blocker / "networkx.py").write_text("raise ImportError('networkx is not installed')\n")
    result = run_cli(
        "plan", "--config", "boundary-lint.toml", cwd=chained, env=clean_env(PYTHONPATH=str(blocker))
    )
    assert result.returncode == 0, result.stderr
    assert "break 2 import(s), a minimum" in result.stdout
