"""One level of ``explore`` as DOT or Mermaid text (import-linter's ``drawgraph`` equivalent)."""

from __future__ import annotations

from boundary_lint.formatters.layout import Arrow, Level


def _short(name: str, package: str) -> str:
    return name[len(package) + 1 :] if package else name


def _label(arrow: Arrow, totals: bool) -> str:
    parts = [str(arrow.count)] if totals else []
    if arrow.violations:
        parts.append(f"{arrow.violations} violations")
    return ", ".join(parts)


def to_dot(view: Level, totals: bool = False, breakers: bool = False) -> str:
    lines = ["digraph explore {", "  rankdir=TB;", "  node [shape=box];"]
    for node in view.nodes:
        lines.append(f'  "{node}" [label="{_short(node, view.package)}"];')
    for arrow in view.arrows:
        attributes = []
        label = _label(arrow, totals)
        if label:
            attributes.append(f'label="{label}"')
        attributes.append('color="red"' if arrow.violations else 'color="grey"')
        if breakers and arrow.breaker:
            attributes.append('style="dashed", constraint=false')
        lines.append(f'  "{arrow.importer}" -> "{arrow.imported}" [{", ".join(attributes)}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(view: Level, totals: bool = False, breakers: bool = False) -> str:
    ids = {node: f"n{i}" for i, node in enumerate(view.nodes)}
    lines = ["flowchart TB"]
    lines += [f'  {ids[n]}["{_short(n, view.package)}"]' for n in view.nodes]
    red: list[int] = []
    for index, arrow in enumerate(view.arrows):
        label = _label(arrow, totals)
        link = "-.->" if breakers and arrow.breaker else "-->"
        text = f"|{label}|" if label else ""
        lines.append(f"  {ids[arrow.importer]} {link}{text} {ids[arrow.imported]}")
        if arrow.violations:
            red.append(index)
    if red:
        lines.append(f"  linkStyle {','.join(map(str, red))} stroke:red")
    return "\n".join(lines) + "\n"
