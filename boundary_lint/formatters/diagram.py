"""Contract diagrams from report data: each contract's members by row, the allowed direction in
grey, every illegal dependency in red with its number of violations (import lines). As Graphviz
dot, as Mermaid, and as a self-contained SVG (a simple layered layout of our own).

A function of the report only. The nodes come from the contract's outline
(``ContractResult.diagram``, see boundary_lint/outline.py); a violation's edge goes from the node
holding its importer to the node holding what its chain reaches. A module that no node holds
(an importer outside a protected contract's lists, siblings on a cycle) is drawn as a node of
its own on an "other modules" row at the top: the package of it that branches off from the
module at the edge's other end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from html import escape

from boundary_lint.escaping import printable
from boundary_lint.formatters.findings import plural
from boundary_lint.report import ContractResult, DiagramNode, Violation

RED, GREY, INK, PURPLE = "#c62828", "#9e9e9e", "#212121", "#6a1b9a"
OTHERS = "other modules"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    count: int = 0  # violations drawn on it; 0 for an allowed (neutral) edge

    @property
    def illegal(self) -> bool:
        return self.count > 0


@dataclass(frozen=True)
class View:
    """What one contract's picture shows."""

    title: str
    kept: bool
    nodes: tuple[DiagramNode, ...]  # rows numbered from 0 at the top
    captions: tuple[str, ...]  # one per row
    edges: tuple[Edge, ...]  # allowed ones first, then the illegal ones
    undrawn: int = 0  # active violations with no node at their end (listed, not drawn)
    # A plan's cut (``with_cuts``): count is the cut imports each edge holds.
    cuts: tuple[Edge, ...] = ()
    unplaced_cuts: tuple[str, ...] = ()  # cut imports with no edge of their own, and why

    @property
    def illegal_nodes(self) -> frozenset[str]:
        return frozenset(m for e in self.edges if e.illegal for m in (e.source, e.target))


def view(contract: ContractResult) -> View:
    diagram = contract.diagram
    declared = {node.module for node in diagram.nodes}
    counts: Counter[tuple[str, str]] = Counter()
    undrawn = 0
    for violation in contract.active_violations:
        ends = edge_of(violation, declared)
        if ends is None:
            undrawn += 1
        else:
            counts[ends] += 1
    others = sorted({m for pair in counts for m in pair} - declared)
    shift = 1 if others else 0
    nodes = [DiagramNode(m, m, 0) for m in others]
    nodes += [DiagramNode(n.module, n.label, n.row + shift, n.group) for n in diagram.nodes]
    rows = max((n.row for n in nodes), default=-1) + 1
    captions = ((OTHERS,) if others else ()) + tuple(diagram.rows)
    captions = (captions + ("",) * rows)[:rows]
    allowed = [Edge(a, b) for a, b in diagram.allowed if a in declared and b in declared]
    illegal = [Edge(a, b, n) for (a, b), n in sorted(counts.items())]
    title = printable(f"{contract.name} [{contract.id}, {contract.type}]")  # a name from the repository
    return View(title, contract.kept, tuple(nodes), captions, tuple(allowed + illegal), undrawn)


def with_cuts(item: View, imports: Iterable[tuple[str, str]]) -> View:
    """The view with a plan's cut imports drawn: each from the box holding its importer to the
    box holding what it imports (the deepest member holding each). One whose ends are in the
    same box, or in none, has no edge: it is listed in ``unplaced_cuts``."""
    members = {node.module for node in item.nodes}
    counts: Counter[tuple[str, str]] = Counter()
    unplaced = []
    for importer, imported in sorted(set(imports)):
        source, target = holder(importer, members), holder(imported, members)
        if source is not None and target is not None and source != target:
            counts[(source, target)] += 1
            continue
        why = (
            f"both ends in {source}"
            if source == target
            else f"no box holds {imported if source else importer}"
        )
        unplaced.append(printable(f"{importer} -> {imported} ({why})"))
    cuts = tuple(Edge(a, b, n) for (a, b), n in sorted(counts.items()))
    return replace(item, cuts=cuts, unplaced_cuts=tuple(unplaced))


def cut_label(edge: Edge) -> str:
    return f"cut {edge.count}"


def edge_of(violation: Violation, declared: Iterable[str]) -> tuple[str, str] | None:
    """(source node, target node) of a violation, or None if it has no place in the picture: a
    finding about one module (not in any layer), a dead reference, or an edge from a node to
    itself."""
    members = set(declared)
    if not violation.chain and violation.importer == violation.imported:
        return None
    source, target = holder(violation.importer, members), holder(violation.imported, members)
    if target is None and not violation.chain:  # a name in a string: nothing to point at
        return None
    target = target or branch(violation.imported, source or violation.importer)
    source = source or branch(violation.importer, target)
    return None if source == target else (source, target)


def holder(module: str, members: set[str]) -> str | None:
    """The deepest member that is ``module`` or a package of it."""
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        name = ".".join(parts[:length])
        if name in members:
            return name
    return None


def branch(module: str, other: str) -> str:
    """The package of ``module`` one level below what it shares with ``other``
    (``a.b.c.d`` against ``a.b.x``: ``a.b.c``)."""
    parts, other_parts = module.split("."), other.split(".")
    shared = 0
    while shared < min(len(parts), len(other_parts)) and parts[shared] == other_parts[shared]:
        shared += 1
    return ".".join(parts[: shared + 1])


def _rows(view: View) -> list[list[DiagramNode]]:
    rows: list[list[DiagramNode]] = [[] for _ in view.captions]
    for node in view.nodes:
        rows[node.row].append(node)
    return rows


# --- Graphviz dot -------------------------------------------------------------------------------


def to_dot(views: Sequence[View]) -> str:
    out = [
        'digraph "boundary-lint" {',
        "  rankdir=TB; newrank=true; nodesep=0.3; ranksep=0.6;",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#616161", fontname="Helvetica"];',
        f'  edge [color="{GREY}"];',
    ]
    for number, item in enumerate(views):
        ident = {n.module: _dot_id(f"{number}:{n.module}") for n in item.nodes}
        illegal = item.illegal_nodes
        out.append(f'  subgraph "cluster_{number}" {{')
        out.append(f"    label={_dot_id(item.title + ('' if item.kept else ' (BROKEN)'))};")
        out.append(f'    color="{GREY if item.kept else RED}";')
        for group, members in _by_group(item.nodes):
            indent = "    "
            if group:
                out.append(f"    subgraph {_dot_id(f'cluster_{number}:{group}')} {{ label={_dot_id(group)};")
                indent = "      "
            for node in members:
                marks = f', color="{RED}", fillcolor="#ffebee"' if node.module in illegal else ""
                out.append(
                    f"{indent}{ident[node.module]} "
                    f"[label={_dot_id(node.label)}, tooltip={_dot_id(node.module)}{marks}];"
                )
            if group:
                out.append("    }")
        rows = [row for row in _rows(item) if row]
        for row in rows:
            if len(row) > 1:
                out.append("    { rank=same; " + " ".join(ident[n.module] + ";" for n in row) + " }")
        # Rows stay in their order even where no edge joins them.
        for upper, lower in zip(rows, rows[1:]):
            out.append(f"    {ident[upper[0].module]} -> {ident[lower[0].module]} [style=invis];")
        out.append("  }")
        for edge in item.edges:
            attributes = (
                f' [color="{RED}", fontcolor="{RED}", penwidth=2, label="{edge.count}"]'
                if edge.illegal
                else ""
            )
            out.append(f"  {ident[edge.source]} -> {ident[edge.target]}{attributes};")
        out.extend(
            f'  {ident[edge.source]} -> {ident[edge.target]} [color="{PURPLE}", fontcolor="{PURPLE}", '
            f'style=dashed, penwidth=2, label="{cut_label(edge)}"];'
            for edge in item.cuts
        )
        out.extend(f"  // cut import not drawn: {text}" for text in item.unplaced_cuts)
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _by_group(nodes: Iterable[DiagramNode]) -> list[tuple[str, list[DiagramNode]]]:
    groups: dict[str, list[DiagramNode]] = {}
    for node in nodes:
        groups.setdefault(node.group, []).append(node)
    return list(groups.items())


# --- Mermaid --------------------------------------------------------------------------------------


def to_mermaid(views: Sequence[View]) -> str:
    out = ["flowchart TB", f"  classDef illegal stroke:{RED},stroke-width:2px,fill:#ffebee"]
    links: list[str] = []
    # Invisible links stacking a wide group's members in rows of MERMAID_ROW (Mermaid otherwise
    # puts unlinked boxes side by side: Trove's 24 on one row). Emitted after every real link so
    # the linkStyle numbers stay those of the real ones.
    stacking: list[str] = []
    for number, item in enumerate(views):
        ident = {n.module: f"c{number}n{i}" for i, n in enumerate(item.nodes)}
        status = "kept" if item.kept else "BROKEN"
        out.append(f'  subgraph c{number}["{_mermaid_text(item.title)}: {status}"]')
        out.append("    direction TB")
        for index, (group, members) in enumerate(_by_group(item.nodes)):
            indent = "    "
            if group:
                out.append(f'    subgraph c{number}g{index}["{_mermaid_text(group)}"]')
                indent = "      "
            out.extend(f'{indent}{ident[n.module]}["{_mermaid_text(n.label)}"]' for n in members)
            stacking.extend(
                f"  {ident[a.module]} ~~~ {ident[b.module]}" for a, b in zip(members, members[MERMAID_ROW:])
            )
            if group:
                out.append("    end")
        out.append("  end")
        for edge in item.edges:
            label = f'|"{edge.count}"|' if edge.illegal else ""
            out.append(f"  {ident[edge.source]} -->{label} {ident[edge.target]}")
            style = f"stroke:{RED},color:{RED},stroke-width:2px" if edge.illegal else f"stroke:{GREY}"
            links.append(f"  linkStyle {len(links)} {style}")
        for edge in item.cuts:
            out.append(f'  {ident[edge.source]} -.->|"{cut_label(edge)}"| {ident[edge.target]}')
            links.append(
                f"  linkStyle {len(links)} stroke:{PURPLE},color:{PURPLE},stroke-width:2px,stroke-dasharray:6"
            )
        out.extend(f"%% cut import not drawn: {text}" for text in item.unplaced_cuts)
        if item.illegal_nodes:
            out.append(f"  class {','.join(ident[m] for m in sorted(item.illegal_nodes))} illegal")
    return "\n".join(out + stacking + links) + "\n"


MERMAID_ROW = 6


def _mermaid_text(text: str) -> str:
    return escape(text, quote=True).replace("&quot;", "#quot;")


# --- SVG ------------------------------------------------------------------------------------------

FONT_SIZE, CHAR_WIDTH = 12, 7.3  # a monospace font: label widths are known without measuring
NODE_HEIGHT, NODE_PADDING, NODE_GAP = 28, 10, 22
LINE_GAP, ROW_GAP, CAPTION_HEIGHT, GROUP_HEADER = 46, 64, 18, 26
MARGIN, MAX_LINE_WIDTH, ARC_ROOM = 16, 1100, 56


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    width: float

    @property
    def center(self) -> float:
        return self.x + self.width / 2


def to_svg(item: View, id_prefix: str = "d") -> str:
    """The contract as an inline SVG element, or "" when it has no nodes."""
    if not item.nodes:
        return ""
    bands = _bands(item)
    width = max(max(_line_width(line) for _, _, _, lines in bands for line in lines), 240.0) + 2 * MARGIN
    place = {node.module: (node.group, node.row) for node in item.nodes}
    arc_rows = {place[e.source] for e in (*item.edges, *item.cuts) if place[e.source] == place[e.target]}
    boxes: dict[str, _Box] = {}
    background: list[str] = []
    y = float(MARGIN)
    group_top: dict[str, float] = {}
    for index, (group, row, caption, lines) in enumerate(bands):
        if group and group not in group_top:
            group_top[group] = y
            y += GROUP_HEADER
        if caption:
            background.append(_text(MARGIN, y + 12, caption, "caption"))
            y += CAPTION_HEIGHT
        arcs = ARC_ROOM if (group, row) in arc_rows else 0  # room for edges within the row
        y += arcs
        for number, line in enumerate(lines):
            x = (width - _line_width(line)) / 2
            for node in line:
                boxes[node.module] = _Box(x, y, _node_width(node))
                x += _node_width(node) + NODE_GAP
            y += NODE_HEIGHT + (LINE_GAP if number < len(lines) - 1 else 0)
        y += arcs
        last_of_group = index == len(bands) - 1 or bands[index + 1][0] != group
        if group and last_of_group:
            top = group_top[group]
            background.insert(
                0,
                f'<rect class="group" x="{MARGIN / 2}" y="{top}" width="{width - MARGIN}" '
                f'height="{y + 10 - top}" rx="6"/>',
            )
            background.append(_text(MARGIN, top + 17, group, "group-label"))
            y += 10
        y += ROW_GAP
    height = y - ROW_GAP + MARGIN
    allowed, illegal_edges, labels = _edges(item, boxes, id_prefix)
    cut_edges, cut_labels = _cut_edges(item, boxes, id_prefix)
    illegal = item.illegal_nodes
    nodes = [_node(node, boxes[node.module], node.module in illegal) for node in item.nodes]
    return (
        f'<svg class="diagram" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{escape(item.title)}">'
        + _defs(id_prefix, cuts=bool(item.cuts))
        # Red edges over the nodes: one that passes a node is seen to pass it, not to end there.
        + "".join(background + allowed + nodes + illegal_edges + cut_edges + labels + cut_labels)
        + "</svg>"
    )


def _bands(item: View) -> list[tuple[str, int, str, list[list[DiagramNode]]]]:
    """(group, row, caption, wrapped lines) per row of each group; the ungrouped first, then
    each group's rows together."""
    groups = list(dict.fromkeys(n.group for n in sorted(item.nodes, key=lambda n: n.group != "")))
    illegal = item.illegal_nodes
    bands = []
    for group in groups:
        for row, members in enumerate(_rows(item)):
            # A long row wraps: the nodes with illegal edges come first, so that those edges
            # need not pass behind the row's other nodes.
            in_group = sorted((n for n in members if n.group == group), key=lambda n: n.module not in illegal)
            if in_group:
                bands.append((group, row, item.captions[row], _wrap(in_group)))
    return bands


def _wrap(nodes: list[DiagramNode]) -> list[list[DiagramNode]]:
    lines: list[list[DiagramNode]] = [[]]
    for node in nodes:
        if lines[-1] and _line_width(lines[-1] + [node]) > MAX_LINE_WIDTH:
            lines.append([])
        lines[-1].append(node)
    return lines


def _node_width(node: DiagramNode) -> float:
    return len(node.label) * CHAR_WIDTH + 2 * NODE_PADDING


def _line_width(line: list[DiagramNode]) -> float:
    return sum(_node_width(n) for n in line) + NODE_GAP * (len(line) - 1)


def _edges(item: View, boxes: dict[str, _Box], prefix: str) -> tuple[list[str], list[str], list[str]]:
    """The allowed edges, the illegal ones, and the illegal ones' counts, as SVG elements."""
    pairs = {(e.source, e.target) for e in item.edges}
    allowed: list[str] = []
    illegal: list[str] = []
    labels: list[str] = []
    for edge in item.edges:
        source, target = boxes[edge.source], boxes[edge.target]
        # Two edges between the same nodes (one each way) are drawn side by side.
        offset = (5 if edge.source < edge.target else -5) if (edge.target, edge.source) in pairs else 0
        kind = "illegal" if edge.illegal else "allowed"
        marker = f'marker-end="url(#{prefix}-{kind})"'
        path, label_at = _line(source, target, offset, near_target=True)
        title = f"<title>{escape(edge.source)} -> {escape(edge.target)}" + (
            f": {edge.count} violation{'s' if edge.count != 1 else ''}</title>"
            if edge.illegal
            else " (allowed)</title>"
        )
        (illegal if edge.illegal else allowed).append(
            f'<path class="edge-{kind}" d="{path}" {marker}>{title}</path>'
        )
        if edge.illegal:
            labels.append(_count_label(label_at, str(edge.count)))
    return allowed, illegal, labels


def _cut_edges(item: View, boxes: dict[str, _Box], prefix: str) -> tuple[list[str], list[str]]:
    """The plan's cut edges, dashed, and their labels (the cut imports each holds)."""
    pairs = {(e.source, e.target) for e in item.edges}
    paths: list[str] = []
    labels: list[str] = []
    for edge in item.cuts:
        # Beside a red edge between the same boxes, not on it; labelled half way, away from its count.
        offset = 10 if {(edge.source, edge.target), (edge.target, edge.source)} & pairs else 0
        path, label_at = _line(boxes[edge.source], boxes[edge.target], offset, near_target=False)
        title = f"<title>{escape(edge.source)} -> {escape(edge.target)}: {plural(edge.count, 'import')} to cut</title>"
        paths.append(f'<path class="edge-cut" d="{path}" marker-end="url(#{prefix}-cut)">{title}</path>')
        labels.append(_count_label(label_at, cut_label(edge), "cut-count"))
    return paths, labels


def _line(source: _Box, target: _Box, offset: float, near_target: bool) -> tuple[str, tuple[float, float]]:
    """An edge's path (an arc within a row) and where its label goes."""
    if source.y == target.y:
        return _arc(source, target)
    down = target.y > source.y
    x1, y1 = source.center + offset, source.y + (NODE_HEIGHT if down else 0)
    x2, y2 = target.center + offset, target.y + (0 if down else NODE_HEIGHT)
    # A count sits near the target, where edges that fan out are far apart.
    along = 1 - min(26 / abs(y2 - y1), 0.5) if near_target else 0.5
    return f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}", (x1 + (x2 - x1) * along, y1 + (y2 - y1) * along)


def _arc(source: _Box, target: _Box) -> tuple[str, tuple[float, float]]:
    """An edge within a row: above it left to right, below it right to left."""
    rightward = target.x > source.x
    y = source.y if rightward else source.y + NODE_HEIGHT
    bulge = (-1 if rightward else 1) * min(20 + abs(target.center - source.center) * 0.1, ARC_ROOM - 10)
    x1, x2 = source.center, target.center
    control = ((x1 + x2) / 2, y + bulge * 2)
    # The count at three quarters of the curve: arcs to different targets keep theirs apart.
    label = (x1 / 16 + control[0] * 6 / 16 + x2 * 9 / 16, y + bulge * 2 * 6 / 16)
    return f"M{x1:.1f},{y:.1f} Q{control[0]:.1f},{control[1]:.1f} {x2:.1f},{y:.1f}", label


def _count_label(at: tuple[float, float], text: str, kind: str = "count") -> str:
    width = len(text) * CHAR_WIDTH + 8
    x, y = at
    return (
        f'<g class="{kind}"><rect x="{x - width / 2:.1f}" y="{y - 9:.1f}" width="{width:.1f}" height="18" rx="9"/>'
        f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle">{text}</text></g>'
    )


def _node(node: DiagramNode, box: _Box, illegal: bool) -> str:
    kind = "node node-illegal" if illegal else "node"
    return (
        f'<g class="{kind}"><title>{escape(node.module)}</title>'
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{NODE_HEIGHT}" rx="4"/>'
        f'<text x="{box.center:.1f}" y="{box.y + NODE_HEIGHT / 2 + 4:.1f}" text-anchor="middle">'
        f"{escape(node.label)}</text></g>"
    )


def _text(x: float, y: float, text: str, kind: str) -> str:
    return f'<text class="{kind}" x="{x:.1f}" y="{y:.1f}">{escape(text)}</text>'


def _defs(prefix: str, cuts: bool) -> str:
    """Arrow heads, and the styles, inside the SVG so that it stands on its own."""
    kinds = (("allowed", GREY), ("illegal", RED)) + ((("cut", PURPLE),) if cuts else ())
    markers = "".join(
        f'<marker id="{prefix}-{kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
        for kind, color in kinds
    )
    style = (
        f"text{{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:{FONT_SIZE}px;fill:{INK}}}"
        ".caption{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11px;fill:#757575}"
        ".group-label{font-weight:bold}"
        ".group{fill:#fafafa;stroke:#bdbdbd;stroke-dasharray:4 3}"
        ".node rect{fill:#fff;stroke:#616161;stroke-width:1.2}"
        f".node-illegal rect{{fill:#ffebee;stroke:{RED};stroke-width:1.8}}"
        f".edge-allowed{{fill:none;stroke:{GREY};stroke-width:1.2}}"
        f".edge-illegal{{fill:none;stroke:{RED};stroke-width:1.8;stroke-opacity:.8}}"
        f".count rect{{fill:#fff;stroke:{RED}}} .count text{{fill:{RED};font-weight:bold}}"
    )
    if cuts:
        style += (
            f".edge-cut{{fill:none;stroke:{PURPLE};stroke-width:2;stroke-dasharray:7 4}}"
            f".cut-count rect{{fill:#fff;stroke:{PURPLE}}} .cut-count text{{fill:{PURPLE};font-weight:bold}}"
        )
    return f"<defs>{markers}<style>{style}</style></defs>"
