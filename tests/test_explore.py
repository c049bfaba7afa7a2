"""``boundary-lint explore``: the text formats on a small tree, and the page in real headless
chromium (driven by selenium through Debian's chromedriver): drilling in and back (also with the
browser's back button), arrow counts against the graph's import statements, red arrows'
violations against ``check --format json``, search, and no network request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cli_support import run_cli

from boundary_lint.formatters.layout import dependency_order, layers, level

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

FILES = {
    "shop/__init__.py": "",
    "shop/web/__init__.py": "",
    "shop/web/views.py": "from shop.core import models\nimport shop.core.orders\n",
    "shop/core/__init__.py": "",
    "shop/core/models.py": "import shop.db.session\n",
    "shop/core/orders.py": "import os\nfrom shop.web import views\n",
    "shop/core/deep/__init__.py": "",
    "shop/core/deep/a.py": "from shop.core.deep import b\n",
    "shop/core/deep/b.py": "",
    "shop/db/__init__.py": "",
    "shop/db/session.py": "",
}
CONFIG = """root_packages = ["shop"]

[[contracts]]
id = "core-not-web"
name = "The core knows nothing of the web"
type = "forbidden"
source_modules = ["shop.core"]
forbidden_modules = ["shop.web"]
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "contracts.toml").write_text(CONFIG)
    return tmp_path


def test_dot_has_the_level_with_totals_and_violations_in_red(shop: Path) -> None:
    result = run_cli(
        "explore", "shop", "--config", "contracts.toml", "--format", "dot", "--import-totals", cwd=shop
    )
    assert result.returncode == 0, result
    assert '"shop.web" -> "shop.core" [label="2", color="grey"' in result.stdout
    assert '"shop.core" -> "shop.web" [label="1, 1 violations", color="red"' in result.stdout
    assert '"shop.core" -> "shop.db" [label="1", color="grey"' in result.stdout


def test_mermaid_marks_the_cycle_breaker_dashed(shop: Path) -> None:
    result = run_cli(
        "explore", "shop", "--config", "contracts.toml", "--format", "mermaid", "--cycle-breakers", cwd=shop
    )
    assert result.returncode == 0, result
    assert result.stdout.startswith("flowchart TB\n")
    # web <-> core is a cycle: the lighter arc (core -> web, 1 statement) is the one to break.
    assert result.stdout.count("-.->") == 1
    assert "linkStyle" in result.stdout


def test_an_unknown_package_is_an_error(shop: Path) -> None:
    result = run_cli("explore", "shop.nothing", "--config", "contracts.toml", cwd=shop)
    assert result.returncode == 2
    assert "shop.nothing" in result.stderr


def test_dependency_order_breaks_the_lightest_arc_of_a_cycle() -> None:
    order = dependency_order(["a", "b", "c"], {("a", "b"): 5, ("b", "c"): 5, ("c", "a"): 1})
    assert order == ["a", "b", "c"]


def test_wide_layers_wrap_into_rows() -> None:
    nodes = [f"m{i}" for i in range(24)]
    rows = layers(nodes, [], width=6)
    assert [len(r) for r in rows] == [6, 6, 6, 6]
    assert layers(["a", "b", "c"], [("a", "b"), ("b", "c")]) == [["a"], ["b"], ["c"]]


def _page(shop: Path) -> Path:
    result = run_cli("explore", "--config", "contracts.toml", "--output", "page.html", cwd=shop)
    assert result.returncode == 0, result
    return shop / "page.html"


def _drawn(driver: WebDriver, package: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(
        lambda d: d.find_element("tag name", "body").get_attribute("data-drawn") == package
    )


def _attr(element: WebElement, name: str) -> str:
    value = element.get_attribute(name)
    assert value is not None, f"no {name} attribute"
    return value


def _nodes(driver: WebDriver) -> list[str]:
    return [_attr(n, "data-name") for n in driver.find_elements("css selector", "g.node")]


def test_drill_down_two_levels_and_back(shop: Path, browser: WebDriver) -> None:
    driver = browser
    driver.get(_page(shop).as_uri())
    _drawn(driver, "")
    assert _nodes(driver) == ["shop"]
    driver.find_element("css selector", 'g.node[data-name="shop"]').click()
    _drawn(driver, "shop")
    assert sorted(_nodes(driver)) == ["shop.core", "shop.db", "shop.web"]
    driver.find_element("css selector", 'g.node[data-name="shop.core"]').click()
    _drawn(driver, "shop.core")
    assert sorted(_nodes(driver)) == ["shop.core.deep", "shop.core.models", "shop.core.orders"]
    driver.back()
    _drawn(driver, "shop")
    crumbs = driver.find_elements("css selector", "#crumbs a")
    assert [c.text for c in crumbs] == ["(root)", "shop"]
    crumbs[0].click()
    _drawn(driver, "")
    driver.back()
    _drawn(driver, "shop")


def test_arrow_counts_and_violations_match_the_graph_and_check(shop: Path, browser: WebDriver) -> None:
    driver = browser
    driver.get(_page(shop).as_uri() + "#shop")
    _drawn(driver, "shop")
    arrows = {
        (e.get_attribute("data-from"), e.get_attribute("data-to")): e
        for e in driver.find_elements("css selector", "g.edge")
    }
    # The import statements of FILES between shop's children, counted by hand.
    counts = {k: int(_attr(e, "data-count")) for k, e in arrows.items()}
    assert counts == {("shop.web", "shop.core"): 2, ("shop.core", "shop.web"): 1, ("shop.core", "shop.db"): 1}
    red = arrows[("shop.core", "shop.web")]
    assert "red" in _attr(red, "class")
    assert "red" not in _attr(arrows[("shop.web", "shop.core")], "class")
    red.find_element("css selector", "text.count").click()
    statements = [s.text for s in driver.find_elements("css selector", "#details li.statement")]
    assert statements == ["shop/core/orders.py:2 shop.core.orders → shop.web.views"]
    shown = [
        v.find_element("tag name", "div").text
        for v in driver.find_elements("css selector", "#details li.violation")
    ]
    checked = run_cli("check", "--config", "contracts.toml", "--format", "json", cwd=shop)
    expected = [
        f"{v['path']}:{v['line']} {v['code']} [{c['id']}] {v['importer']} → {v['imported']}"
        for c in json.loads(checked.stdout)["contracts"]
        for v in c["violations"]
    ]
    assert shown == expected and len(expected) == 1
    hops = [h.text for h in driver.find_elements("css selector", "#details ul.chain li")]
    chain = json.loads(checked.stdout)["contracts"][0]["violations"][0]["chain"]
    assert hops == [f"{h['path']}:{h['line']} {h['importer']} → {h['imported']}" for h in chain]


def test_search_jumps_and_nothing_is_fetched(shop: Path, browser: WebDriver) -> None:
    driver = browser
    driver.get(_page(shop).as_uri())
    _drawn(driver, "")
    box = driver.find_element("id", "search")
    box.send_keys("shop.core.deep.a\n")
    _drawn(driver, "shop.core.deep")
    assert (
        driver.find_element("css selector", "g.node.found").get_attribute("data-name") == "shop.core.deep.a"
    )
    urls = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert urls == []
    html = (shop / "page.html").read_text()
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_graph_mermaid_stacks_a_wide_group_in_rows(tmp_path: Path) -> None:
    names = [f"m{i}" for i in range(14)]
    for name in ["", *names]:
        path = tmp_path / "wide" / name / "__init__.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    forbidden = ", ".join(f'"wide.{n}"' for n in names[1:])
    (tmp_path / "contracts.toml").write_text(
        'root_packages = ["wide"]\n\n[[contracts]]\nid = "f"\nname = "f"\ntype = "forbidden"\n'
        f'source_modules = ["wide.m0"]\nforbidden_modules = [{forbidden}]\n'
    )
    result = run_cli("graph", "--config", "contracts.toml", "--format", "mermaid", cwd=tmp_path)
    assert result.returncode == 0, result
    stacked = [line for line in result.stdout.splitlines() if "~~~" in line]
    # The source and 13 forbidden boxes, in rows of 6: each box but the first row's has one above it.
    assert len(stacked) == 14 - 6, result.stdout


def test_plan_cuts_are_marked_on_their_arrow_with_their_statements(shop: Path, browser: WebDriver) -> None:
    """``explore --plan``: the arrow holding an import of ``plan``'s cut is drawn as a cut, and
    its details list that import's statements; without --plan nothing is marked."""
    driver = browser
    result = run_cli("explore", "--config", "contracts.toml", "--plan", "--output", "planned.html", cwd=shop)
    assert result.returncode == 0, result
    planned = run_cli("plan", "--config", "contracts.toml", "--format", "json", cwd=shop)
    cut = json.loads(planned.stdout)["contracts"][0]["cut"]
    assert [(c["importer"], c["imported"]) for c in cut] == [("shop.core.orders", "shop.web.views")]
    driver.get((shop / "planned.html").as_uri() + "#shop")
    _drawn(driver, "shop")
    marked = [
        (e.get_attribute("data-from"), e.get_attribute("data-to"))
        for e in driver.find_elements("css selector", "g.edge.cut")
    ]
    assert marked == [("shop.core", "shop.web")]
    driver.find_element("css selector", "g.edge.cut text.count").click()
    shown = [li.text for li in driver.find_elements("css selector", "#details li.cut")]
    statement = cut[0]["statements"][0]
    assert shown == [f"{statement['path']}:{statement['line']} shop.core.orders → shop.web.views"]
    driver.get(_page(shop).as_uri() + "#shop")
    _drawn(driver, "shop")
    assert driver.find_elements("css selector", "g.edge.cut") == []


def _wide_tree(root: Path, size: int = 36) -> None:
    """``big`` with ``size`` children each importing four later siblings seven or more places on
    (rows, not one long chain) and a few earlier ones (cycles), and a contract that forbids
    big.m0 big.m1 to m9: many arrows, some red."""
    for i in range(size):
        later = [j for j in (i + 7, i + 8, i + 9, i + 13) if j < size]
        earlier = [i - 9] if i % 6 == 0 and i >= 9 else []
        body = "".join(f"import big.m{j}\n" for j in later + earlier) * (1 + i % 3)
        path = root / "big" / f"m{i}" / "__init__.py"
        path.parent.mkdir(parents=True)
        path.write_text(body)
    (root / "big" / "__init__.py").write_text("")
    forbidden = ", ".join(f'"big.m{j}"' for j in range(1, 10))
    (root / "contracts.toml").write_text(
        'root_packages = ["big"]\n\n[[contracts]]\nid = "f"\nname = "f"\ntype = "forbidden"\n'
        f'source_modules = ["big.m0"]\nforbidden_modules = [{forbidden}]\n'
    )


MEASURE = """
const rect = e => e.getBoundingClientRect();
const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const labels = [...document.querySelectorAll('g.edge text.count')].filter(t => rect(t).width > 0);
const boxes = [...document.querySelectorAll('g.node rect')].map(rect);
const pairs = [];
labels.forEach((a, i) => labels.slice(i + 1).forEach(b => { if (meets(rect(a), rect(b))) pairs.push([a.textContent, b.textContent]); }));
const onBoxes = labels.filter(t => boxes.some(b => meets(rect(t), b))).map(t => t.textContent);
const redHidden = [...document.querySelectorAll('g.edge.red text.count')].filter(t => rect(t).width === 0).length;
return {pairs, onBoxes, redHidden, shown: labels.length, arrows: document.querySelectorAll('g.edge').length,
        span: Math.max(...boxes.map(b => b.right)) - Math.min(...boxes.map(b => b.left)),
        width: document.getElementById('graph').clientWidth,
        rows: [...document.querySelectorAll('g.node')].map(n => [n.dataset.name, Number(n.dataset.row)]),
        perRow: Number(document.querySelector('#graph svg').dataset.rowWidth)};
"""


def test_a_wide_level_is_laid_out_readably(tmp_path: Path, browser: WebDriver) -> None:
    """36 children and over 100 arrows: no count label overlaps another or a box, every red
    count is shown, the boxes span most of the window's width, and the rows are layout.py's."""
    _wide_tree(tmp_path)
    result = run_cli("explore", "big", "--config", "contracts.toml", "--output", "page.html", cwd=tmp_path)
    assert result.returncode == 0, result
    browser.get((tmp_path / "page.html").as_uri())
    _drawn(browser, "big")
    seen = browser.execute_script(MEASURE)
    assert seen["arrows"] >= 100 and len(seen["rows"]) == 36, seen
    assert seen["pairs"] == [] and seen["onBoxes"] == [] and seen["redHidden"] == 0, seen
    assert seen["shown"] >= seen["arrows"] * 0.9, seen
    # The old layout used under 60 % of the window on Trove; a wide level now fills it.
    assert seen["span"] >= 0.8 * seen["width"], seen
    html = (tmp_path / "page.html").read_text()
    data = json.loads(html.split('id="explore-data">', 1)[1].split("</script>", 1)[0].replace("<\\/", "</"))
    view = level(data, "big")
    rows = layers(
        view.nodes, [(a.importer, a.imported) for a in view.arrows if not a.breaker], seen["perRow"]
    )
    drawn: dict[int, set[str]] = {}
    for name, row in seen["rows"]:
        drawn.setdefault(row, set()).add(name)
    assert [drawn[i] for i in sorted(drawn)] == [set(r) for r in rows]
