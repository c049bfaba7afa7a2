"""``boundary-lint explore``'s page: one self-contained HTML file (data, style and script inline;
nothing fetched), a pure function of the data ``boundary_lint.explore.data`` extracts."""

from __future__ import annotations

import html
import json
from importlib.resources import files
from typing import Any

STYLE = """
body { font: 14px system-ui, sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
header { padding: 8px 12px; background: #263238; color: #eceff1; display: flex; gap: 16px; align-items: center; }
header a { color: #80cbc4; } #crumbs { flex: 1; }
#search.missing { outline: 2px solid #c62828; }
main { flex: 1; display: flex; min-height: 0; }
#graph { flex: 3; overflow: auto; }
#details { flex: 2; overflow: auto; padding: 0 12px; border-left: 1px solid #ccc; font-size: 13px; }
#details:empty { display: none; }
g.node rect { fill: #eceff1; stroke: #546e7a; } g.node.package rect { fill: #e3f2fd; cursor: pointer; }
g.node.found rect { stroke: #ff9800; stroke-width: 3; }
g.node text { text-anchor: middle; font-size: 12px; pointer-events: none; }
g.edge { cursor: pointer; } g.edge .hit { stroke: transparent; stroke-width: 10; fill: none; }
path.line { fill: none; stroke: #9e9e9e; stroke-width: 1.2; }
path.line.red { stroke: #c62828; stroke-width: 2; } path.line.breaker { stroke: #ef6c00; }
path.line.cut { stroke: #6a1b9a; } path.line.hover { stroke-width: 3; }
g.edge line.leader { stroke: #c62828; stroke-width: 0.8; stroke-dasharray: 2,2; }
/* A halo, so that a count stays legible where other arrows cross it. */
g.edge text { font-size: 11px; fill: #555; text-anchor: middle;
              paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
/* No free spot on its arrow: the count shows while the arrow is hovered (red ones always have one). */
g.edge text.hover-only { display: none; } g.edge:hover text.hover-only { display: inline; }
g.edge.red text { fill: #c62828; font-weight: bold; }
.legend span { margin-right: 10px; }
"""


# Nothing may be fetched: the page is data, style and script inline.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
LEGEND = (
    '<span style="color:#c62828">red: violations</span>'
    '<span style="color:#9e9e9e">grey: allowed</span>'
    '<span style="color:#ef6c00">dashed orange: cycle breaker</span>'
)
CUT_LEGEND = '<span style="color:#6a1b9a">dashed purple: the plan breaks an import here</span>'


def page(data: dict[str, Any]) -> str:
    """The page; ``data`` as ``explore_data`` returns it."""
    script = files("boundary_lint.formatters").joinpath("explore_asset.js").read_text(encoding="utf-8")
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    title = html.escape(data.get("package") or "project")
    legend = LEGEND + (CUT_LEGEND if data.get("cuts") else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>boundary-lint explore: {title}</title><style>{STYLE}</style></head>
<body>
<header><nav id="crumbs"></nav>
<span class="legend">{legend}</span>
<input id="search" list="module-list" placeholder="jump to a module" size="30"><button id="search-go">Go</button>
<datalist id="module-list"></datalist></header>
<main><div id="graph"></div><div id="details"></div></main>
<script type="application/json" id="explore-data">{payload}</script>
<script>{script}</script>
</body></html>
"""
