"""The plan's cut drawn: ``plan --format html`` in real headless chromium (the cut listed and
every chain hop that is a cut import marked "break here", as ``plan --format json`` has them;
nothing fetched, no machine path), and ``graph --plan`` as dot and Mermaid (each cut import on
the edge between the boxes holding its ends, the others listed as comments). All through the
CLI on a small tree: one cut import between two boxes twice over, one from a module no box holds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cli_support import run_cli, write

from boundary_lint.formatters import diagram
from boundary_lint.report import DiagramNode

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

FILES = {
    "pkg/__init__.py": "",
    "pkg/a/__init__.py": "",
    "pkg/a/x.py": "import pkg.c.y\n",
    "pkg/a/v.py": "import os\nimport pkg.c.y\n",
    "pkg/a/z.py": "import pkg.h.m\n",
    "pkg/h/__init__.py": "",
    "pkg/h/m.py": "import pkg.c.w\n",
    "pkg/c/__init__.py": "",
    "pkg/c/y.py": "",
    "pkg/c/w.py": "",
    "pkg/b/__init__.py": "",
    "pkg/b/q.py": "import pkg.a.x\n",
}
CONFIG = """
root_packages = ["pkg"]

[[contracts]]
id = "a-not-c"
name = "a does not use c"
type = "forbidden"
source_modules = ["pkg.a"]
forbidden_modules = ["pkg.c"]

[[contracts]]
id = "b-not-c"
name = "b does not import c itself"
type = "forbidden"
source_modules = ["pkg.b"]
forbidden_modules = ["pkg.c"]
allow_indirect_imports = true
"""
PURPLE = "#6a1b9a"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name, text in FILES.items():
        write(root / name, text)
    write(root / "contracts.toml", CONFIG)
    return root


def planned_cut(project: Path) -> list[tuple[str, str]]:
    result = run_cli("plan", "--config", "contracts.toml", "--format", "json", cwd=project)
    assert result.returncode == 0, result
    (contract,) = [c for c in json.loads(result.stdout)["contracts"] if c["cut"]]
    return [(c["importer"], c["imported"]) for c in contract["cut"]]


def expected_cut_edges(
    cut: list[tuple[str, str]], members: set[str]
) -> tuple[dict[tuple[str, str], int], int]:
    """({(box, box): cut imports}, cut imports not drawn): each end to the deepest member holding it."""

    def box(module: str) -> str | None:
        held = [m for m in members if module == m or module.startswith(m + ".")]
        return max(held, key=len, default=None)

    edges: dict[tuple[str, str], int] = {}
    undrawn = 0
    for importer, imported in cut:
        ends = box(importer), box(imported)
        if ends[0] is None or ends[1] is None or ends[0] == ends[1]:
            undrawn += 1
        else:
            edges[(ends[0], ends[1])] = edges.get((ends[0], ends[1]), 0) + 1
    return edges, undrawn


def test_the_tree_has_a_cut_to_draw_and_one_not_to(project: Path) -> None:
    assert sorted(planned_cut(project)) == [
        ("pkg.a.v", "pkg.c.y"),
        ("pkg.a.x", "pkg.c.y"),
        ("pkg.h.m", "pkg.c.w"),
    ]


def test_plan_html_lists_the_cut_and_marks_its_hops(project: Path, browser: WebDriver) -> None:
    cut = planned_cut(project)
    result = run_cli("plan", "--config", "contracts.toml", "--format", "html", cwd=project)
    assert result.returncode == 0, result
    page = project / "plan.html"
    page.write_text(result.stdout, encoding="utf-8")
    browser.get(page.as_uri())
    listed = [e.get_attribute("data-import") for e in browser.find_elements("css selector", "ol.cut li.cut")]
    assert listed == [f"{a} -> {b}" for a, b in cut]  # ranked as plan ranks them
    marked = set()
    for hop in browser.find_elements("css selector", "ol.chain li.cut"):
        importer, imported = (
            s.get_attribute("textContent") for s in hop.find_elements("css selector", ".mono")
        )
        assert hop.find_elements("css selector", ".break-here"), "a marked hop has its badge"
        marked.add((importer, imported))
    assert marked == set(cut)
    # Only cut imports are marked: every other hop is plain.
    plain = browser.find_elements("css selector", "ol.chain li:not(.cut) .break-here")
    assert plain == []
    assert browser.find_elements("css selector", "svg path.edge-cut")
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    html = result.stdout
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert str(project) not in html and str(project.parent) not in html


def test_plan_html_is_the_same_every_run(project: Path) -> None:
    runs = [run_cli("plan", "--config", "contracts.toml", "--format", "html", cwd=project) for _ in range(2)]
    assert runs[0].returncode == 0 and runs[0].stdout == runs[1].stdout


def test_check_html_marks_nothing(project: Path) -> None:
    result = run_cli("check", "--config", "contracts.toml", "--format", "html", cwd=project)
    assert "break-here" not in result.stdout and "edge-cut" not in result.stdout


def dot_members_and_cut_edges(text: str) -> tuple[set[str], dict[tuple[str, str], int], int]:
    members = set(re.findall(r'^\s+"0:([^"]+)" \[label=', text, re.M))
    edges = {
        (a, b): int(n)
        for a, b, n in re.findall(
            rf'^  "0:([^"]+)" -> "0:([^"]+)" \[color="{PURPLE}", fontcolor="{PURPLE}", style=dashed, '
            r'penwidth=2, label="cut (\d+)"\];$',
            text,
            re.M,
        )
    }
    return members, edges, len(re.findall(r"^  // cut import not drawn: ", text, re.M))


def test_graph_plan_dot_draws_the_cut_between_the_boxes_holding_its_ends(project: Path) -> None:
    cut = planned_cut(project)
    result = run_cli("graph", "--config", "contracts.toml", "--plan", "--contract", "a-not-c", cwd=project)
    assert result.returncode == 0, result
    members, edges, undrawn = dot_members_and_cut_edges(result.stdout)
    assert members == {"pkg.a", "pkg.c"}
    assert (edges, undrawn) == expected_cut_edges(cut, members)
    assert edges == {("pkg.a", "pkg.c"): 2} and undrawn == 1
    assert "// cut import not drawn: pkg.h.m -> pkg.c.w (no box holds pkg.h.m)" in result.stdout
    again = run_cli("graph", "--config", "contracts.toml", "--plan", "--contract", "a-not-c", cwd=project)
    assert again.stdout == result.stdout
    plain = run_cli("graph", "--config", "contracts.toml", "--contract", "a-not-c", cwd=project)
    assert PURPLE not in plain.stdout and "cut" not in plain.stdout


def test_graph_plan_mermaid_draws_the_cut_dashed_and_purple(project: Path) -> None:
    cut = planned_cut(project)
    result = run_cli("graph", "--config", "contracts.toml", "--plan", "--format", "mermaid", cwd=project)
    assert result.returncode == 0, result
    text = result.stdout
    labels = dict(re.findall(r'^\s+(c\d+n\d+)\["([^"]*)"\]$', text, re.M))
    links = re.findall(r"^  (c\d+n\d+) (-->|-\.->)(?:\|\"([^\"]*)\"\|)? (c\d+n\d+)$", text, re.M)
    styles = dict(re.findall(r"^  linkStyle (\d+) (\S+)$", text, re.M))
    assert len(styles) == len(links)
    drawn = {}
    for number, (a, arrow, label, b) in enumerate(links):
        purple = PURPLE in styles[str(number)]
        assert purple == (arrow == "-.->"), "cut links, and only they, are dashed and purple"
        if purple:
            assert a.startswith("c0") and b.startswith("c0"), "the cut is the first contract's"
            drawn[(labels[a], labels[b])] = int(label.removeprefix("cut "))
    members = {labels[n] for n in labels if n.startswith("c0")}
    assert (drawn, len(re.findall(r"^%% cut import not drawn: ", text, re.M))) == expected_cut_edges(
        cut, members
    )
    assert drawn == {("pkg.a", "pkg.c"): 2}


def test_graph_plan_html_draws_the_cut_in_the_diagram(project: Path) -> None:
    result = run_cli("graph", "--config", "contracts.toml", "--plan", "--format", "html", cwd=project)
    assert result.returncode == 0, result
    assert result.stdout.count('class="edge-cut"') == 1
    assert "1 cut import not drawn" in result.stdout
    assert "break-here" not in result.stdout.split("</style>")[1]  # no chains on the graph page


def test_a_cut_within_one_box_or_outside_every_box_is_listed() -> None:
    nodes = (DiagramNode("p.a", "a", 0), DiagramNode("p.a.inner", "inner", 0), DiagramNode("p.c", "c", 1))
    view = diagram.View("t", False, nodes, ("", ""), ())
    cut = [("p.a.x", "p.c.y"), ("p.a.inner.k", "p.c"), ("p.a.x", "p.a.y"), ("p.h", "p.c.y")]
    drawn = diagram.with_cuts(view, cut)
    assert drawn.cuts == (diagram.Edge("p.a", "p.c", 1), diagram.Edge("p.a.inner", "p.c", 1))
    assert drawn.unplaced_cuts == ("p.a.x -> p.a.y (both ends in p.a)", "p.h -> p.c.y (no box holds p.h)")
