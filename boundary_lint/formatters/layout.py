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
    """Rows top to bottom: longest-path layers over the arcs that follow ``order``, each wrapped
    at ``width`` so a wide layer becomes several rows instead of one unreadable line."""
    rank = {n: i for i, n in enumerate(order)}
    depth = dict.fromkeys(order, 0)
    forward = sorted((a, b) for a, b in arcs if a in rank and b in rank and rank[a] < rank[b])
    for n in order:
        for a, b in forward:
            if a == n:
                depth[b] = max(depth[b], depth[a] + 1)
    grouped: dict[int, list[str]] = {}
    for n in order:
        grouped.setdefault(depth[n], []).append(n)
    rows: list[list[str]] = []
    for d in sorted(grouped):
        row = grouped[d]
        rows.extend(row[i : i + width] for i in range(0, len(row), width))
    return rows
