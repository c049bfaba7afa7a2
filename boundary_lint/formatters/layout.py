"""Pure graph helpers shared by ``explore``'s text formats and ``graph``: one level of the
package tree from the explore data, and a dependency order whose backward arcs are the cycle
breakers (Eades' greedy feedback arc set, weighted by import totals: the same as the page's)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Arrow:
    importer: str
    imported: str
    count: int = 0  # import statements
    violations: int = 0
    breaker: bool = False


@dataclass
class Level:
    package: str
    nodes: list[str]
    arrows: list[Arrow] = field(default_factory=list)


def child_of(module: str, package: str) -> str | None:
    if not package:
        return module.split(".")[0]
    if not module.startswith(package + "."):
        return None
    return package + "." + module[len(package) + 1 :].split(".")[0]


def level(data: Mapping[str, Any], package: str) -> Level:
    """The children of ``package`` ("" for the roots) and the imports between them."""
    children = [child_of(m, package) for m in data["modules"]]
    arrows: dict[tuple[str, str], Arrow] = {}
    for i, j, lines in data["imports"]:
        a, b = children[i], children[j]
        if a is not None and b is not None and a != b:
            arrows.setdefault((a, b), Arrow(a, b)).count += len(lines)
    for _contract, _code, importer, imported, _path, _line, chain in data["violations"]:
        first, second = (chain[0][0], chain[0][1]) if chain else (importer, imported)
        a, b = child_of(_name(data, first), package), child_of(_name(data, second), package)
        if a is not None and b is not None and a != b:
            arrows.setdefault((a, b), Arrow(a, b)).violations += 1
    nodes = sorted({c for c in children if c is not None})
    order = dependency_order(nodes, {k: a.count for k, a in arrows.items()})
    rank = {n: i for i, n in enumerate(order)}
    for arrow in arrows.values():
        arrow.breaker = rank[arrow.importer] > rank[arrow.imported]
    return Level(package, order, sorted(arrows.values(), key=lambda a: (a.importer, a.imported)))


def _name(data: Mapping[str, Any], module: int | str) -> str:
    return data["modules"][module] if isinstance(module, int) else module


def dependency_order(nodes: Iterable[str], weights: Mapping[tuple[str, str], int]) -> list[str]:
    """Importers before what they import as far as cycles allow (arcs against it are few and light)."""
    left = dict.fromkeys(nodes)
    out: dict[str, dict[str, int]] = {n: {} for n in left}
    into: dict[str, dict[str, int]] = {n: {} for n in left}
    for (a, b), w in weights.items():
        out[a][b] = w
        into[b][a] = w
    head: list[str] = []
    tail: list[str] = []
    while left:
        changed = True
        while changed:
            changed = False
            for n in list(left):
                if not any(m in left for m in out[n]):
                    tail.insert(0, n)
                elif not any(m in left for m in into[n]):
                    head.append(n)
                else:
                    continue
                del left[n]
                changed = True
        if left:
            best = max(left, key=lambda n: _weight(out[n], left) - _weight(into[n], left))
            head.append(best)
            del left[best]
    return head + tail


def _weight(edges: Mapping[str, int], left: Mapping[str, None]) -> int:
    return sum(w for m, w in edges.items() if m in left)


def layers(order: list[str], arcs: Iterable[tuple[str, str]], width: int = 6) -> list[list[str]]:
    """Rows top to bottom, at most ``width`` boxes each: every importer above what it imports
    over the arcs that follow ``order`` (the others are the cycle breakers). Each node, in
    ``order``, goes to the first row below all its importers that has room (a Coffman-Graham
    like width bound: a wide layer fills several rows instead of one unreadable line); then a
    node that imports but is not imported moves down to the row just above the highest row it
    imports (or the nearest above that with room), so its arrows are short. The page's script
    (explore_asset.js, ``rowsOf``) does the same."""
    rank = {n: i for i, n in enumerate(order)}
    forward = [(a, b) for a, b in arcs if a in rank and b in rank and rank[a] < rank[b]]
    importers: dict[str, list[str]] = {n: [] for n in order}
    imported: dict[str, list[str]] = {n: [] for n in order}
    for a, b in forward:
        importers[b].append(a)
        imported[a].append(b)
    rows: list[list[str]] = []
    row_of: dict[str, int] = {}
    for n in order:
        r = max((row_of[m] + 1 for m in importers[n]), default=0)
        while r < len(rows) and len(rows[r]) >= width:
            r += 1
        if r == len(rows):
            rows.append([])
        rows[r].append(n)
        row_of[n] = r
    for n in reversed(order):
        if importers[n] or not imported[n]:
            continue
        target = min(row_of[m] for m in imported[n]) - 1
        while target > row_of[n] and len(rows[target]) >= width:
            target -= 1
        if target > row_of[n]:
            rows[row_of[n]].remove(n)
            rows[target].append(n)
            row_of[n] = target
    return [row for row in rows if row]
