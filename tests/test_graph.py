"""``boundary-lint graph``: the contracts as dot and Mermaid diagrams, run as the real CLI on real
trees; illegal edges in red with counts equal to the report's; plus the diagram's pure logic."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from cli_support import copy_tree, run_cli, shop_project, write
from system_tools import require_tool

from boundary_lint.formatters import diagram
from boundary_lint.report import ContractResult, Diagram, DiagramNode, Hop, Violation

RED_LINK = "stroke:#c62828"


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """tests/trees/diagram_app: one contract of each kind with a picture, 12 known violations."""
    return copy_tree("diagram_app", tmp_path / "app")


def mermaid_edges(text: str) -> tuple[dict[str, str], list[tuple[str, str, int, bool]]]:
    """(node id -> label, [(source label, target label, count or 0, red)]) of one contract's
    Mermaid output; each edge's colour is read from its linkStyle line."""
    labels = dict(re.findall(r'^\s+(c\d+n\d+)\["([^"]*)"\]$', text, re.M))
    edges = re.findall(r'^  (c\d+n\d+) -->(?:\|"(\d+)"\|)? (c\d+n\d+)$', text, re.M)
    styles = dict(re.findall(r"^  linkStyle (\d+) (\S+)$", text, re.M))
    assert len(styles) == len(edges), text
    return labels, [
        (labels[a], labels[b], int(count or 0), RED_LINK in styles[str(number)])
        for number, (a, count, b) in enumerate(edges)
    ]


def test_mermaid_draws_each_contracts_nodes_and_red_edges_with_counts(app: Path) -> None:
    result = run_cli("graph", "--format", "mermaid", cwd=app)
    assert result.returncode == 0, result
    assert result.stdout.startswith("flowchart TB\n")
    titles = re.findall(r'^  subgraph c\d+\[".* \[([\w-]+), \w+\]: BROKEN"\]$', result.stdout, re.M)
    assert titles == ["tiers", "billing-not-orders", "orders-db-private", "no-cycles", "apis-apart"]
    labels, edges = mermaid_edges(result.stdout)
    # Layers, per container: the allowed direction grey, the upward imports red.
    assert 'subgraph c0g0["app.billing"]' in result.stdout and 'subgraph c0g1["app.orders"]' in result.stdout
    assert re.findall(r'c0n\d+\["(\w+)"\]', result.stdout) == ["api", "logic", "db", "api", "logic", "db"]
    red = [(a, b, n) for a, b, n, is_red in edges if is_red]
    grey = [(a, b, n) for a, b, n, is_red in edges if not is_red]
    assert grey == [
        ("api", "logic", 0),
        ("logic", "db", 0),
        ("api", "logic", 0),
        ("logic", "db", 0),
        ("app.orders.logic", "app.orders.db", 0),
    ]
    assert red == [
        ("logic", "api", 1),
        ("db", "api", 1),  # tiers: billing, then orders
        ("app.billing", "app.orders", 1),  # forbidden
        ("app.billing", "app.orders.db", 1),  # protected: an importer outside its lists
        ("app.billing", "app.orders", 1),
        ("app.billing.api", "app.billing.logic", 1),  # the cycles
        ("app.billing.logic", "app.billing.api", 1),
        ("app.orders", "app.billing", 1),
        ("app.orders.api", "app.orders.logic", 1),
        ("app.orders.db", "app.orders.api", 1),
        ("app.orders.logic", "app.orders.db", 1),
        ("app.billing.api", "app.orders.api", 1),  # independence, through a chain
    ]
    assert "app.billing" in labels.values()


def test_red_edge_counts_equal_the_reports_violations(tmp_path: Path) -> None:
    """On the shop tree (one violation suppressed by noqa): per contract, the red counts add up
    to the report's active violations, edge by edge."""
    project = shop_project(tmp_path)
    report = json.loads(run_cli("check", "--format", "json", cwd=project).stdout)
    result = run_cli("graph", "--format", "mermaid", cwd=project)
    assert result.returncode == 0, result
    for number, contract in enumerate(report["contracts"]):
        block = re.split(r"^  subgraph c(?=\d+\[)", result.stdout, flags=re.M)[number + 1]
        links = "\n".join(line for line in result.stdout.splitlines() if line.startswith("  linkStyle"))
        _, edges = mermaid_edges(_renumber(block + "\n" + links, result.stdout, number))
        drawn = Counter({(a, b): n for a, b, n, red in edges if red})
        active = [v for v in contract["violations"] if not v["suppressed"]]
        expected: Counter[tuple[str, str]] = Counter()
        for violation in active:
            expected[(_member(violation["importer"]), _member(violation["imported"]))] += 1
        assert drawn == expected, (contract["id"], result.stdout)
    assert "2" in re.findall(r'-->\|"(\d+)"\|', result.stdout)  # api-no-db: 2 of its 3 lines


def _member(module: str) -> str:
    """The shop contracts' members are the second-level packages."""
    return ".".join(module.split(".")[:2])


def _renumber(block: str, whole: str, number: int) -> str:
    """Keep only the linkStyle lines of contract ``number``'s edges, numbered from 0."""
    all_edges = re.findall(r"^  (c\d+)n\d+ -->", whole, re.M)
    mine = [i for i, prefix in enumerate(all_edges) if prefix == f"c{number}"]
    styles = dict(re.findall(r"^  linkStyle (\d+) (\S+)$", whole, re.M))
    kept = [line for line in block.splitlines() if not line.startswith("  linkStyle")]
    return "\n".join(kept + [f"  linkStyle {new} {styles[str(old)]}" for new, old in enumerate(mine)]) + "\n"


def test_dot_output_is_a_well_formed_digraph(app: Path) -> None:
    result = run_cli("graph", "--config", app / "pyproject.toml", cwd=app.parent)
    assert result.returncode == 0, result
    dot = result.stdout
    assert dot.startswith('digraph "boundary-lint" {\n') and dot.endswith("}\n")
    assert dot.count("{") == dot.count("}")
    declared = set(re.findall(r'^\s+("[^"]+") \[label=', dot, re.M))
    edges = re.findall(r'^\s+("[^"]+") -> ("[^"]+")(?: \[([^]]*)\])?;$', dot, re.M)
    assert edges and all(a in declared and b in declared for a, b, _ in edges)
    red = [(a, b, re.search(r'label="(\d+)"', attrs).group(1)) for a, b, attrs in edges if "#c62828" in attrs]  # type: ignore[union-attr]
    assert ('"0:app.orders.db"', '"0:app.orders.api"', "1") in red
    assert ('"2:app.billing"', '"2:app.orders.db"', "1") in red
    assert len(red) == 12  # every violation of the tree, one edge each
    assert 'subgraph "cluster_0:app.orders" { label="app.orders";' in dot


def test_graphviz_reads_the_dot_output(app: Path) -> None:
    dot = require_tool("dot", package="graphviz")
    result = run_cli("graph", cwd=app)
    rendered = subprocess.run([dot, "-Tsvg"], input=result.stdout_bytes, capture_output=True, timeout=60)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout.count(b'stroke="#c62828"') >= 12


def test_contract_option_output_file_and_errors(app: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiers.mmd"
    result = run_cli("graph", "--contract", "tiers", "--format", "mermaid", "--output", out, cwd=app)
    assert (result.returncode, result.stdout) == (0, ""), result
    assert (
        len(re.findall(r"^  subgraph c\d+\[", out.read_text(), re.M)) == 1
        and "[tiers, layers]" in out.read_text()
    )
    unknown = run_cli("graph", "--contract", "nope", cwd=app)
    assert unknown.returncode == 2 and "unknown contract id 'nope'" in unknown.stderr, unknown
    (app / "pyproject.toml").write_text("[tool.boundary_lint]\nroot_packages = 'app'\n")
    broken = run_cli("graph", cwd=app)
    assert broken.returncode == 2 and broken.stdout == "" and "Traceback" not in broken.stderr, broken
    missing = write(
        tmp_path / "bad.toml",
        'root_packages = ["app"]\n[[contracts]]\nid = "x"\ntype = "forbidden"\n'
        'source_modules = ["app.nothing"]\nforbidden_modules = ["app"]\n',
    )
    error = run_cli("graph", "--config", missing, cwd=tmp_path)
    assert error.returncode == 2 and "app.nothing" in error.stderr and error.stdout == "", error


def test_graph_html_is_the_diagrams_without_the_violations(app: Path) -> None:
    result = run_cli("graph", "--format", "html", cwd=app)
    assert result.returncode == 0, result
    assert result.stdout.count("<svg") == 5 and '<table class="violations"' not in result.stdout


# --- the pure logic ------------------------------------------------------------------------------


def violation(importer: str, imported: str, *, chain: bool = True, suppressed: bool = False) -> Violation:
    hops = (Hop(importer, imported, "x.py", 1, (1,)),) if chain else ()
    return Violation("BND101", "c", "m", importer, imported, "x.py", 1, 1, hops, suppressed=suppressed)


def test_each_violation_goes_from_the_node_holding_its_importer_to_the_node_holding_its_end() -> None:
    nodes = (
        DiagramNode("a.ui", "a.ui", 0),
        DiagramNode("a.db", "a.db", 1),
        DiagramNode("a.db.raw", "a.db.raw", 1),
    )
    contract = ContractResult("c", "C", "forbidden", diagram=Diagram(nodes, (), ("source", "forbidden")))
    contract.violations = [
        violation("a.ui.view", "a.db.raw.sql"),  # the deepest member holds it
        violation("a.ui.view", "a.db.raw"),
        violation("a.ui", "a.db.models"),
        violation("a.ui", "a.db.x", suppressed=True),  # not drawn: suppressed
        violation("a.tools.x", "a.db.y"),  # an importer outside: a node of its own
        violation("a.ui.x", "a.ui.x", chain=False),  # about a module, not an import
        violation("a.ui.x", "a.gone.Name", chain=False),  # a dead name: nothing to point at
    ]
    picture = diagram.view(contract)
    assert [e for e in picture.edges if e.illegal] == [
        diagram.Edge("a.tools", "a.db", 1),
        diagram.Edge("a.ui", "a.db", 1),
        diagram.Edge("a.ui", "a.db.raw", 2),
    ]
    assert picture.undrawn == 2
    assert [(n.module, n.row) for n in picture.nodes] == [
        ("a.tools", 0),
        ("a.ui", 1),
        ("a.db", 2),
        ("a.db.raw", 2),
    ]
    assert picture.captions == ("other modules", "source", "forbidden")


def test_branch_and_holder() -> None:
    assert diagram.branch("a.b.c.d", "a.b.x") == "a.b.c"
    assert diagram.branch("other.x", "a.b") == "other"
    assert diagram.branch("a.b", "a.b.c") == "a.b"
    assert diagram.holder("a.bc.d", {"a.b", "a"}) == "a"
    assert diagram.holder("z", {"a"}) is None


def test_svg_is_self_contained_and_escapes_labels() -> None:
    nodes = (DiagramNode("p.<x>", "p.<x>", 0), DiagramNode("p.y", "p.y", 0))
    contract = ContractResult("c", 'A "quoted" <name>', "independence", diagram=Diagram(nodes))
    contract.violations = [violation("p.<x>", "p.y")]
    svg = diagram.to_svg(diagram.view(contract), id_prefix="d7")
    assert svg.startswith('<svg class="diagram"') and svg.endswith("</svg>")
    assert "p.&lt;x&gt;" in svg and "<x>" not in svg and "&quot;quoted&quot;" in svg
    assert "url(#d7-illegal)" in svg and "http" not in svg
    assert diagram.to_svg(diagram.view(ContractResult("e", "E", "references"))) == ""
