"""``boundary-lint init``: the proposed contracts file is kept on the tree it came from (the CLI
as a subprocess, then ``check`` on the written file), and the ordering logic on its own."""

from __future__ import annotations

import itertools
import os
import random
import sys
import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest
from cli_support import TREES, check, clean_env, copy_tree, run_cli, write

from boundary_lint.adoption import init as adoption
from boundary_lint.graph.builder import build_project_graph


def packages_of(tree: Path) -> list[str]:
    return sorted(p.name for p in tree.iterdir() if (p / "__init__.py").is_file())


def init(cwd: Path, *args: str) -> Any:
    return run_cli("init", *args, cwd=cwd)


def proposal(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def contract(path: Path, package: str) -> dict[str, Any]:
    return next(c for c in proposal(path)["contracts"] if c["id"] == f"{package}-layers")


# --- kept on the tree it came from ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in TREES.iterdir() if p.is_dir() and packages_of(p)))
def test_the_proposal_is_kept_on_the_tree_it_came_from(name: str, tmp_path: Path) -> None:
    tree = copy_tree(name, tmp_path / name)
    packages = packages_of(tree)
    result = init(tree, *packages, "--output", "proposed.toml")
    assert result.returncode == 0, result
    ids = [c["id"] for c in proposal(tree / "proposed.toml")["contracts"]]
    graph = build_project_graph(tuple(packages), (tree,)).graph
    with_layers = [p for p in packages if len(graph.find_children(p)) >= 2]
    assert ids == [f"{p}-layers" for p in with_layers]
    kept = check("--config", "proposed.toml", "--no-cache", "--format", "concise", cwd=tree)
    assert kept.returncode == 0, kept
    assert kept.stdout == ""


def test_a_cycle_is_broken_where_it_costs_fewest_import_statements(tmp_path: Path) -> None:
    tree = copy_tree("init_cycle", tmp_path / "tree")
    result = init(tree, "cyc", "--output", "cyc.toml")
    assert result.returncode == 0, result
    assert (
        "boundary-lint: cyc: 2 imports break every order; they are listed in ignore_imports\n"
        in result.stderr
    )
    layers = contract(tree / "cyc.toml", "cyc")
    assert layers["layers"] == ["mid | top", "low", "base"]
    assert layers["containers"] == ["cyc"] and layers["exhaustive"] is True
    # cyc.mid imports cyc.low on two lines, cyc.low imports cyc.mid on one; cyc.top imports
    # cyc.low on two lines, cyc.low reaches cyc.top on one (through the package's __init__).
    assert layers["ignore_imports"] == ["cyc.low.worker -> cyc", "cyc.low.worker -> cyc.mid.service"]
    text = (tree / "cyc.toml").read_text()
    assert "# 2 imports (2 import statements) break every order of these layers" in text
    assert check("--config", "cyc.toml", "--no-cache", cwd=tree).returncode == 0


def test_an_import_of_the_package_itself_can_be_a_chain_up_the_layers(tmp_path: Path) -> None:
    """Without the ignored import of ``cyc`` (whose __init__ imports cyc.top), the proposal is broken."""
    tree = copy_tree("init_cycle", tmp_path / "tree")
    assert init(tree, "cyc", "--output", "cyc.toml").returncode == 0
    config = tree / "cyc.toml"
    config.write_text(config.read_text().replace('    "cyc.low.worker -> cyc",\n', ""))
    broken = check("--config", "cyc.toml", "--no-cache", "--format", "concise", cwd=tree)
    assert broken.returncode == 1, broken
    assert broken.stdout.splitlines() == [
        'cyc/low/worker.py:1:1: BND112 cyc.low.worker -> cyc (l.1) -> cyc.top.entry (l.3) breaks "The children of cyc, in the order of their imports" (cyc-layers)'
    ]


def test_siblings_that_import_each_other_in_neither_direction_are_independent(tmp_path: Path) -> None:
    tree = copy_tree("init_siblings", tmp_path / "tree")
    result = init(tree, "plug", "--output", "plug.toml")
    assert result.returncode == 0, result
    assert "break every order" not in result.stderr
    layers = contract(tree / "plug.toml", "plug")
    assert layers["layers"] == ["app", "alpha | beta", "core | extra"]
    assert "ignore_imports" not in layers
    assert check("--config", "plug.toml", "--no-cache", cwd=tree).returncode == 0
    # The proposal has teeth: a sibling importing the other breaks it...
    write(tree / "plug" / "alpha" / "first.py", "from plug.core import base\nfrom plug.beta import second\n")
    broken = check("--config", "plug.toml", "--no-cache", "--format", "concise", cwd=tree)
    assert broken.stdout.splitlines() == [
        'plug/alpha/first.py:2:1: BND111 plug.alpha.first -> plug.beta.second (l.2) breaks "The children of plug, in the order of their imports" (plug-layers)'
    ]
    # ...and so does a new child that no layer names (the contract is exhaustive).
    (tree / "plug" / "alpha" / "first.py").write_text("from plug.core import base\n")
    write(tree / "plug" / "newcomer.py", "")
    broken = check("--config", "plug.toml", "--no-cache", "--format", "concise", cwd=tree)
    assert broken.returncode == 1
    assert [line.split(": ")[1].split()[0] for line in broken.stdout.splitlines()] == ["BND115"]


def test_printed_on_stdout_by_default(tmp_path: Path) -> None:
    tree = copy_tree("init_siblings", tmp_path / "tree")
    result = init(tree, "plug")
    assert result.returncode == 0, result
    assert result.stdout.startswith("# Proposed by `boundary-lint init plug` on ")
    assert tomllib.loads(result.stdout)["source_roots"] == ["."]
    write(tree / "printed.toml", result.stdout)
    assert check("--config", "printed.toml", "--no-cache", cwd=tree).returncode == 0


def test_source_roots_are_relative_to_the_written_file(tmp_path: Path) -> None:
    tree = copy_tree("init_siblings", tmp_path / "tree")
    result = init(tree, "plug", "--output", "contracts/plug.toml")
    assert result.returncode == 0, result
    assert proposal(tree / "contracts" / "plug.toml")["source_roots"] == [".."]
    assert check("--config", "contracts/plug.toml", "--no-cache", cwd=tree).returncode == 0


def test_src_layout_found_without_a_source_root(tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_tree("init_siblings", project / "src")
    result = init(project, "plug", "--output", "plug.toml")
    assert result.returncode == 0, result
    assert proposal(project / "plug.toml")["source_roots"] == ["src"]
    assert check("--config", "plug.toml", "--no-cache", cwd=project).returncode == 0


def test_given_source_root(tmp_path: Path) -> None:
    copy_tree("init_siblings", tmp_path / "code")
    (tmp_path / "elsewhere").mkdir()
    result = init(tmp_path / "elsewhere", "plug", "--source-root", "../code", "--output", "plug.toml")
    assert result.returncode == 0, result
    assert proposal(tmp_path / "elsewhere" / "plug.toml")["source_roots"] == ["../code"]


def test_an_existing_file_is_overwritten_only_with_force(tmp_path: Path) -> None:
    tree = copy_tree("init_siblings", tmp_path / "tree")
    write(tree / "plug.toml", "mine\n")
    refused = init(tree, "plug", "--output", "plug.toml")
    assert refused.returncode == 2
    assert refused.stderr == "boundary-lint: error: plug.toml exists: give --force to overwrite it\n"
    assert (tree / "plug.toml").read_text() == "mine\n"
    forced = init(tree, "plug", "--output", "plug.toml", "--force")
    assert forced.returncode == 0, forced
    assert contract(tree / "plug.toml", "plug")["layers"][0] == "app"


def test_a_package_with_one_child_gets_no_contract(tmp_path: Path) -> None:
    tree = copy_tree("init_siblings", tmp_path / "tree")
    write(tree / "solo" / "__init__.py", "")
    write(tree / "solo" / "only.py", "import plug.core.base\n")
    result = init(tree, "plug", "solo", "--output", "both.toml")
    assert result.returncode == 0, result
    note = "no layers contract for solo: it has one child, so there are no layers to order"
    assert f"boundary-lint: note: {note}\n" in result.stderr
    assert "# No layers contract for solo: it has one child" in (tree / "both.toml").read_text()
    assert [c["id"] for c in proposal(tree / "both.toml")["contracts"]] == ["plug-layers"]
    assert check("--config", "both.toml", "--no-cache", cwd=tree).returncode == 0
    alone = init(tree, "solo")
    assert alone.returncode == 2
    assert alone.stdout == ""
    assert alone.stderr.endswith(
        "boundary-lint: error: nothing to propose: a layers contract needs a package "
        "with at least two children\n"
    )


def test_unknown_package(tmp_path: Path) -> None:
    result = init(tmp_path, "nope")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "boundary-lint: error: root package 'nope' not found; looked in (in this "
        "order): . (the current directory); "
    )
    site_packages = next(p for p in sys.path if p.endswith("site-packages"))
    assert f"; {Path(site_packages).resolve()} (sys.path)" in result.stderr
    assert "Traceback" not in result.stderr


# --- the ordering logic, on its own --------------------------------------------------------


def cost_of_best_order(nodes: list[str], weights: dict[tuple[str, str], int]) -> int:
    return min(adoption.order_cost(order, weights) for order in itertools.permutations(nodes))


def random_weights(rng: random.Random, nodes: list[str], density: float = 0.4) -> dict[tuple[str, str], int]:
    return {(a, b): rng.randint(1, 5) for a in nodes for b in nodes if a != b and rng.random() < density}


def test_exact_order_is_the_cheapest_of_all_permutations() -> None:
    rng = random.Random(7)
    for size in range(2, 7):
        for _ in range(20):
            nodes = [f"n{i}" for i in range(size)]
            weights = random_weights(rng, nodes)
            order, exact = adoption.order_cycle(nodes, weights)
            assert exact and sorted(order) == nodes
            assert adoption.order_cost(order, weights) == cost_of_best_order(nodes, weights)


def test_heuristic_for_large_cycles_is_exact_within_a_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the exact search switched off, the heuristic's window pass still finds the cheapest
    order of up to WINDOW nodes, and gives a permutation of larger ones."""
    monkeypatch.setattr(adoption, "EXACT_LIMIT", 0)
    rng = random.Random(3)
    for size in (3, 5, 7):
        for _ in range(10):
            nodes = [f"n{i}" for i in range(size)]
            weights = random_weights(rng, nodes, 0.5)
            order, exact = adoption.order_cycle(nodes, weights)
            assert not exact
            assert adoption.order_cost(order, weights) == cost_of_best_order(nodes, weights)
    nodes = [f"n{i:02}" for i in range(30)]
    order, _ = adoption.order_cycle(nodes, random_weights(rng, nodes, 0.2))
    assert sorted(order) == nodes


def test_a_two_cycle_breaks_its_lighter_side() -> None:
    assert adoption.order_cycle(["a", "b"], {("a", "b"): 1, ("b", "a"): 3}) == (["b", "a"], True)
    # Equal weights: the order first in name order.
    assert adoption.order_cycle(["a", "b"], {("a", "b"): 2, ("b", "a"): 2}) == (["a", "b"], True)


def test_layer_levels_put_dependents_on_top_and_unrelated_nodes_together() -> None:
    edges = {("app", "alpha"), ("app", "beta"), ("alpha", "core"), ("beta", "core"), ("tool", "core")}
    assert adoption.layer_levels(["alpha", "app", "beta", "core", "extra", "tool"], edges) == [
        ["app"],
        ["alpha", "beta", "tool"],
        ["core", "extra"],
    ]


def graph_of(imports: list[tuple[str, str, int]]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported, line in imports:
        for module in (importer, imported):
            for depth in range(1, module.count(".") + 2):
                graph.add_module(".".join(module.split(".")[:depth]))
        graph.add_import(importer=importer, imported=imported, line_number=line, line_contents="import")
    return graph


def test_a_chain_through_another_root_package_is_a_dependency() -> None:
    """a.low reaches a.high only through z.bridge (not a child of a): still a cycle with
    a.high -> a.low, broken on the side with fewer statements."""
    graph = graph_of(
        [
            ("a.high.n", "a.low.m", 1),
            ("a.high.n", "a.low.m", 7),
            ("a.low.m", "z.bridge", 3),
            ("z.bridge", "a.high.n", 1),
            ("a.low.m", "a.base", 2),
        ]
    )
    result = adoption.propose(graph, ["a", "z"])
    assert result.skipped == (("z", "it has one child, so there are no layers to order"),)
    (layers,) = result.contracts
    assert layers.layers == (("high",), ("low",), ("base",))
    assert layers.ignored == (("a.low.m", "z.bridge"),)
    assert layers.ignored_statements == 1 and layers.exact


def shuffled_names(seed: int) -> list[str]:
    names = [f"p.c{i}" for i in range(8)]
    random.Random(seed).shuffle(names)
    return names


@pytest.mark.parametrize("seed", range(5))
def test_no_edge_is_left_against_the_proposed_layers(seed: int) -> None:
    """On random graphs of children: every dependency that is not ignored goes down the layers,
    and children in one layer depend on each other in neither direction."""
    rng = random.Random(seed)
    children = shuffled_names(seed)
    imports = [
        (f"{a}.m", f"{b}.m", rng.randint(1, 9))
        for a in children
        for b in children
        if a != b and rng.random() < 0.25
    ]
    graph = graph_of(imports)
    (layers,) = adoption.propose(graph, ["p"]).contracts
    level = {f"p.{child}": i for i, layer in enumerate(layers.layers) for child in layer}
    assert sorted(level) == sorted(children)
    for importer, imported, _ in imports:
        if (importer, imported) not in layers.ignored:
            assert level[importer.rpartition(".")[0]] < level[imported.rpartition(".")[0]]  # 0: the top


# --- a project as it is: no package names, pyproject.toml -----------------------------------


def test_without_names_the_projects_own_packages_are_proposed(tmp_path: Path) -> None:
    """Flat layout: the packages beside pyproject.toml, less those setuptools' automatic
    discovery would not ship (tests, docs, tools...)."""
    tree = copy_tree("init_siblings", tmp_path / "tree")
    for name in ("tests", "docs", "tools"):
        write(tree / name / "__init__.py", "")
        write(tree / name / "one.py", "import plug.core\n")
        write(tree / name / "two.py", "")
    result = init(tree, "--output", "proposed.toml")
    assert result.returncode == 0, result
    assert "boundary-lint: found root package 'plug': plug (the current directory)\n" in result.stderr
    assert proposal(tree / "proposed.toml")["root_packages"] == ["plug"]
    assert (tree / "proposed.toml").read_text().startswith("# Proposed by `boundary-lint init` on ")
    assert check("--config", "proposed.toml", "--no-cache", cwd=tree).returncode == 0


def test_without_names_a_src_layout_is_found(tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_tree("init_siblings", project / "src")
    copy_tree("init_cycle", project / "src")
    result = init(project, "--output", "proposed.toml")
    assert result.returncode == 0, result
    assert proposal(project / "proposed.toml")["root_packages"] == ["cyc", "plug"]
    assert proposal(project / "proposed.toml")["source_roots"] == ["src"]
    assert check("--config", "proposed.toml", "--no-cache", cwd=project).returncode == 0


def test_without_names_the_packages_the_build_configuration_names(tmp_path: Path) -> None:
    """As on OpenStack Trove: pbr's setup.cfg names the package; another package beside it
    (Trove's backup/) is not the project's."""
    tree = copy_tree("init_siblings", tmp_path / "tree")
    copy_tree("init_cycle", tmp_path / "tree")
    write(tree / "setup.cfg", "[metadata]\nname = plug\n\n[files]\npackages =\n    plug\n")
    result = init(tree)
    assert result.returncode == 0, result
    assert tomllib.loads(result.stdout)["root_packages"] == ["plug"]


@pytest.mark.parametrize(
    ("file", "text"),
    [
        (
            "pyproject.toml",
            '[tool.setuptools.packages.find]\ninclude = ["plug*"]\nexclude = ["plug_bench*"]\n',
        ),
        (
            "setup.cfg",
            "[options]\npackages = find:\n\n[options.packages.find]\nexclude =\n    cyc\n    plug_bench*\n",
        ),
    ],
    ids=["pyproject", "setup.cfg"],
)
def test_without_names_the_packages_setuptools_find_keeps(tmp_path: Path, file: str, text: str) -> None:
    """As on Kedro: `include = ["kedro*"]`, `exclude = ["kedro_benchmarks*"]`; the behave
    steps (features/) and the benchmarks beside the package are not the project's."""
    tree = copy_tree("init_siblings", tmp_path / "tree")
    copy_tree("init_cycle", tmp_path / "tree")
    write(tree / "plug_bench" / "__init__.py", "")
    write(tree / file, text)
    result = init(tree)
    assert result.returncode == 0, result
    assert tomllib.loads(result.stdout)["root_packages"] == ["plug"]


def test_without_names_and_without_packages(tmp_path: Path) -> None:
    write(tmp_path / "tests" / "__init__.py", "")
    result = init(tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "boundary-lint: error: no packages found in the project (looked in . (the current directory)): "
        "name them, as in `boundary-lint init PACKAGE`\n"
    )


PYPROJECTS = {
    "usual": (
        '[build-system]\nrequires = ["setuptools>=61"]  # a comment kept\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "plug"\nversion = "1.0"\n\n[tool.ruff]\nline-length = 99\n\n'
        '[tool.ruff.lint]\nselect = ["E",   "F"]\n\n[tool.pytest.ini_options]\naddopts = "-ra"\n'
    ),
    "crlf": '[project]\r\nname = "plug"\r\n\r\n[tool.black]\r\nline-length = 99\r\n',
    "no final newline": '[project]\nname = "plug"',
    "tool table and more after": '[tool]\nfoo = 1\n[project]\nname = "plug"\n# trailing comment\n',
    "missing": None,
}


@pytest.mark.parametrize("case", sorted(PYPROJECTS))
def test_pyproject_gets_the_section_and_keeps_every_other_byte(tmp_path: Path, case: str) -> None:
    tree = copy_tree("init_siblings", tmp_path / "tree")
    original = PYPROJECTS[case]
    if original is not None:
        (tree / "pyproject.toml").write_bytes(original.encode())
    result = init(tree, "--pyproject")
    assert result.returncode == 0, result
    assert result.stdout == ""
    assert result.stderr.endswith(
        f"boundary-lint: added [tool.boundary_lint] to {tree / 'pyproject.toml'}; check it with: boundary-lint check\n"
    )
    written = (tree / "pyproject.toml").read_bytes().decode()
    before = (original or "").encode().decode()
    # The original, cut in one place, with only our table (and blank lines around it) inserted.
    at = len(os.path.commonprefix([before, written]))
    inserted = written[at : len(written) - (len(before) - at)]
    assert written == before[:at] + inserted + before[at:]
    assert inserted.strip().startswith("[tool.boundary_lint]")
    newline = "\r\n" if case == "crlf" else "\n"
    assert inserted.replace(newline, "").count("\n") == 0 and inserted.replace(newline, "").count("\r") == 0
    data = tomllib.loads(written)
    section = data["tool"]["boundary_lint"]
    assert section["root_packages"] == ["plug"] and section["source_roots"] == ["."]
    assert [c["id"] for c in section["contracts"]] == ["plug-layers"]
    assert "#     boundary-lint check\n" in written.replace("\r\n", "\n")
    kept = check("--no-cache", cwd=tree)  # discovered: no --config
    assert kept.returncode == 0, kept


def test_pyproject_that_already_has_the_section_is_left_alone(tmp_path: Path) -> None:
    tree = copy_tree("init_siblings", tmp_path / "tree")
    original = b'[tool.boundary_lint]\nroot_packages = ["plug"]\n'
    (tree / "pyproject.toml").write_bytes(original)
    result = init(tree, "--pyproject")
    assert result.returncode == 2
    assert result.stderr == (
        f"boundary-lint: error: {tree / 'pyproject.toml'} already has [tool.boundary_lint]: remove it first, "
        "or write the proposal to a file of its own with --output\n"
    )
    assert (tree / "pyproject.toml").read_bytes() == original


@pytest.mark.parametrize(
    "text,message",
    [
        (b"[project\n", "invalid TOML: "),
        (b"name = '\xff'\n", "not valid UTF-8 (invalid start byte)"),
    ],
)
def test_pyproject_that_cannot_be_read(tmp_path: Path, text: bytes, message: str) -> None:
    tree = copy_tree("init_siblings", tmp_path / "tree")
    (tree / "pyproject.toml").write_bytes(text)
    result = init(tree, "--pyproject")
    assert result.returncode == 2
    assert result.stderr.startswith(f"boundary-lint: error: {tree / 'pyproject.toml'}: {message}"), result
    assert (tree / "pyproject.toml").read_bytes() == text


def test_pyproject_without_tomlkit_names_the_extra(tmp_path: Path) -> None:
    tree = copy_tree("init_siblings", tmp_path / "tree")
    hidden = write(
        tmp_path / "no_tomlkit" / "tomlkit" / "__init__.py", "raise ImportError('not installed')\n"
    )
    env = clean_env(PYTHONPATH=str(hidden.parent.parent))
    result = run_cli("init", "--pyproject", cwd=tree, env=env)
    assert result.returncode == 2
    assert result.stderr == (
        f"boundary-lint: error: {tree / 'pyproject.toml'}: writing pyproject.toml needs tomlkit: "
        "pip install 'boundary-lint[init]'\n"
    )
    assert not (tree / "pyproject.toml").exists()


def test_pyproject_and_output_are_one_or_the_other(tmp_path: Path) -> None:
    result = init(tmp_path, "--pyproject", "--output", "x.toml")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr
