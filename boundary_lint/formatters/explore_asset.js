"use strict";
// boundary-lint explore: one level of the package tree as a layered graph, drawn from the
// module-level imports embedded in this page. No network: everything is here.
const D = JSON.parse(document.getElementById("explore-data").textContent);
const NS = "http://www.w3.org/2000/svg";
const BOX_W = 170, BOX_H = 34, GAP_Y = 96, MIN_SLOT = 204, MARGIN = 24, CELL = 48, PULL = 0.15;
const moduleName = m => typeof m === "number" ? D.modules[m] : m;
// Violations arrive as arrays (see explore/data.py); named fields from here on.
const pathOf = (module, path) => path === 0 ? D.files[module] : path;
D.violations = D.violations.map(([contract, code, importer, imported, path, line, chain]) => ({
  contract, code, importer: moduleName(importer), imported: moduleName(imported), line,
  path: pathOf(chain.length ? chain[0][0] : importer, path),
  chain: chain.map(([a, b, p, l]) => [moduleName(a), moduleName(b), pathOf(a, p), l]),
}));
const isPackage = new Set();
D.modules.forEach(m => { const parts = m.split("."); for (let i = 1; i < parts.length; i++) isPackage.add(parts.slice(0, i).join(".")); });

function childOf(module, pkg) {
  if (pkg === "") return module.split(".")[0];
  if (!module.startsWith(pkg + ".")) return null;
  const rest = module.slice(pkg.length + 1).split(".")[0];
  return pkg + "." + rest;
}

function level(pkg) {
  const nodes = new Set();
  D.modules.forEach(m => { const c = childOf(m, pkg); if (c !== null) nodes.add(c); });
  const edges = new Map();
  const edge = (a, b) => { const k = a + "\u0000" + b; if (!edges.has(k)) edges.set(k, {from: a, to: b, count: 0, statements: [], violations: [], cuts: []}); return edges.get(k); };
  const child = D.modules.map(m => childOf(m, pkg));
  D.imports.forEach(([i, j, lines]) => {
    const a = child[i], b = child[j];
    if (a === null || b === null || a === b) return;
    const e = edge(a, b); e.count += lines.length; e.statements.push([i, j, lines]);
  });
  D.violations.forEach(v => {
    // The arrow a violation rides on is its first import statement (the chain's first hop).
    const [first, second] = v.chain.length ? v.chain[0] : [v.importer, v.imported];
    const a = childOf(first, pkg), b = childOf(second, pkg);
    if (a !== null && b !== null && a !== b) edge(a, b).violations.push(v);
  });
  D.cuts.forEach(([imp, imd]) => {
    const a = childOf(imp, pkg), b = childOf(imd, pkg);
    if (a !== null && b !== null && a !== b && edges.has(a + "\u0000" + b)) edge(a, b).cuts.push([imp, imd]);
  });
  return {nodes: [...nodes].sort(), edges: [...edges.values()]};
}

// Eades' greedy feedback arc set, weighted by import totals: the arcs against the order are the
// cycle breakers (the lightest set of dependencies whose removal leaves no cycle, greedily).
function dependencyOrder(nodes, edges) {
  const out = new Map(), inn = new Map();
  nodes.forEach(n => { out.set(n, new Map()); inn.set(n, new Map()); });
  edges.forEach(e => { out.get(e.from).set(e.to, e.count); inn.get(e.to).set(e.from, e.count); });
  const left = new Set(nodes), head = [], tail = [];
  const weight = m => { let s = 0; m.forEach((w, n) => { if (left.has(n)) s += w; }); return s; };
  const degree = (m) => { let s = 0; m.forEach((w, n) => { if (left.has(n)) s += 1; }); return s; };
  while (left.size) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const n of [...left]) {
        if (degree(out.get(n)) === 0) { tail.unshift(n); left.delete(n); changed = true; }
        else if (degree(inn.get(n)) === 0) { head.push(n); left.delete(n); changed = true; }
      }
    }
    if (!left.size) break;
    let best = null, bestScore = -Infinity;
    for (const n of left) { const s = weight(out.get(n)) - weight(inn.get(n)); if (s > bestScore) { best = n; bestScore = s; } }
    head.push(best); left.delete(best);
  }
  return head.concat(tail);
}

// Rows: the same rule as layout.py's layers() (first row below all importers with room, then
// sources moved down next to what they import); keep the two in step.
function rowsOf(order, arcs, width) {
  const rank = new Map(order.map((n, i) => [n, i]));
  const importers = new Map(order.map(n => [n, []])), imported = new Map(order.map(n => [n, []]));
  arcs.forEach(([a, b]) => { if (rank.has(a) && rank.has(b) && rank.get(a) < rank.get(b)) { importers.get(b).push(a); imported.get(a).push(b); } });
  const rows = [], rowOf = new Map();
  order.forEach(n => {
    let r = 0;
    importers.get(n).forEach(m => { r = Math.max(r, rowOf.get(m) + 1); });
    while (r < rows.length && rows[r].length >= width) r++;
    if (r === rows.length) rows.push([]);
    rows[r].push(n); rowOf.set(n, r);
  });
  [...order].reverse().forEach(n => {
    if (importers.get(n).length || !imported.get(n).length) return;
    let target = Math.min(...imported.get(n).map(m => rowOf.get(m))) - 1;
    while (target > rowOf.get(n) && rows[target].length >= width) target--;
    if (target > rowOf.get(n)) { const row = rows[rowOf.get(n)]; row.splice(row.indexOf(n), 1); rows[target].push(n); rowOf.set(n, target); }
  });
  return rows.filter(r => r.length);
}

// Boxes a row may hold: as many as fit the window, at least about the square root of the level's
// size (Home Assistant's 1,286 integrations scroll both ways rather than make 160 rows), and no
// more than needed for a squarish drawing.
function rowWidth(count, available) {
  const fit = Math.max(1, Math.floor(available / MIN_SLOT)), root = Math.ceil(Math.sqrt(count));
  return Math.max(Math.min(fit, Math.ceil(1.5 * root)), root, 1);
}

// Columns: each row spread over the whole width, ordered and pulled towards its neighbours'
// columns (barycentre sweeps, the usual crossing reduction) but only partly (PULL), so thin rows do
// not all collapse into the middle.
function columns(rows, width, neighbours) {
  const col = new Map(), rowOf = new Map();
  const spread = (k, i) => k === 1 ? (width - 1) / 2 : i * (width - 1) / (k - 1);
  rows.forEach((r, ri) => r.forEach((n, i) => { col.set(n, Math.round(spread(r.length, i))); rowOf.set(n, ri); }));
  for (let sweep = 0; sweep < 8; sweep++) {
    const sequence = sweep % 2 ? [...rows.keys()].reverse() : [...rows.keys()];
    sequence.forEach(ri => {
      const row = rows[ri], want = new Map();
      row.forEach(n => {
        const ns = neighbours.get(n).filter(m => rowOf.get(m) !== ri);
        want.set(n, ns.length ? ns.reduce((s, m) => s + col.get(m), 0) / ns.length : col.get(n));
      });
      row.sort((a, b) => want.get(a) - want.get(b));
      const c = [];
      row.forEach((n, i) => c.push(Math.max(Math.round(PULL * want.get(n) + (1 - PULL) * spread(row.length, i)), i ? c[i - 1] + 1 : 0)));
      for (let i = row.length - 1; i >= 0; i--) c[i] = Math.min(c[i], i === row.length - 1 ? width - 1 : c[i + 1] - 1);
      row.forEach((n, i) => col.set(n, c[i]));
    });
  }
  return col;
}

function layout(view, available) {
  const order = dependencyOrder(view.nodes, view.edges);
  const rank = new Map(order.map((n, i) => [n, i]));
  view.edges.forEach(e => { e.breaker = rank.get(e.from) > rank.get(e.to); });
  const perRow = rowWidth(view.nodes.length, available);
  const rows = rowsOf(order, view.edges.filter(e => !e.breaker).map(e => [e.from, e.to]), perRow);
  const neighbours = new Map(view.nodes.map(n => [n, []]));
  view.edges.forEach(e => { neighbours.get(e.from).push(e.to); neighbours.get(e.to).push(e.from); });
  const col = columns(rows, perRow, neighbours);
  const slot = Math.max(MIN_SLOT, available / perRow);
  const place = new Map(), rowOf = new Map();
  rows.forEach((r, ri) => r.forEach(n => {
    rowOf.set(n, ri);
    place.set(n, {x: MARGIN + col.get(n) * slot + (slot - BOX_W) / 2, y: MARGIN + ri * (BOX_H + GAP_Y)});
  }));
  return {place, rowOf, slot, perRow, width: perRow * slot + 2 * MARGIN, height: 2 * MARGIN + rows.length * (BOX_H + GAP_Y) - GAP_Y, rows: rows.length};
}

// Where each arrow leaves and enters a box: its ends spread along the box's bottom (arrows
// down) or top (arrows up) edge, ordered by the other end's x, so no two arrows share a point.
function ports(edges, place) {
  const sides = new Map();
  const add = (node, side, end) => { const k = node + "\u0000" + side; if (!sides.has(k)) sides.set(k, {node, ends: []}); sides.get(k).ends.push(end); };
  edges.forEach(e => {
    const a = place.get(e.from), b = place.get(e.to), down = b.y > a.y;
    e.down = down;
    add(e.from, down ? "bottom" : "top", {e, end: "from", other: b.x});
    add(e.to, down ? "top" : "bottom", {e, end: "to", other: a.x});
  });
  sides.forEach(({node, ends}) => {
    const box = place.get(node);
    ends.sort((p, q) => p.other - q.other || (p.e.from + p.e.to < q.e.from + q.e.to ? -1 : 1));
    ends.forEach((p, i) => { p.e[p.end + "X"] = box.x + BOX_W * (i + 1) / (ends.length + 1); });
  });
}

// An arrow's path and points along it (for its label), each segment's middle first. An arrow that skips rows
// leaves through the row gap into a lane between two columns, goes down (or up) the lane, and
// turns into its target in the last gap: it crosses no box.
function route(e, geometry, lanes) {
  const {place, rowOf, slot} = geometry;
  const a = place.get(e.from), b = place.get(e.to), down = e.down;
  const x1 = e.fromX, y1 = down ? a.y + BOX_H : a.y, x2 = e.toX, y2 = down ? b.y : b.y + BOX_H;
  const s = down ? 1 : -1, g = GAP_Y, span = Math.abs(rowOf.get(e.to) - rowOf.get(e.from));
  const segments = [];
  if (span <= 1) {
    const bend = y1 === y2 ? -40 : 0, ym = (y1 + y2) / 2 + bend;
    segments.push([[x1, y1], [x1, ym], [x2, ym], [x2, y2]]);
  } else {
    const gap = Math.round(((x1 + x2) / 2 - MARGIN) / slot), key = gap + (down ? "d" : "u");
    const lane = lanes.get(key) || 0; lanes.set(key, lane + 1);
    // Lanes alternate around the gap's centre line; 4 px apart, within the gap's width.
    const room = Math.max(4, (slot - BOX_W) / 2 - 4), offset = ((lane % 2 ? 1 : -1) * Math.ceil(lane / 2) * 4) % room;
    const gx = MARGIN + gap * slot + offset;
    const ya = y1 + s * g, yb = y2 - s * g;
    segments.push([[x1, y1], [x1, y1 + s * g / 2], [gx, y1 + s * g / 2], [gx, ya]]);
    segments.push([[gx, ya], [gx, ya], [gx, yb], [gx, yb]]);
    segments.push([[gx, yb], [gx, y2 - s * g / 2], [x2, y2 - s * g / 2], [x2, y2]]);
  }
  const c = segments[0];
  let d = `M${c[0][0]},${c[0][1]}`;
  segments.forEach(([, p1, p2, p3], i) => { d += i === 1 ? ` L${p3[0]},${p3[1]}` : ` C${p1[0]},${p1[1]} ${p2[0]},${p2[1]} ${p3[0]},${p3[1]}`; });
  // A long arrow's label is tried first where it leaves its box (the first gap), then down
  // its lane: in the middle of a lane it would sit screens away from both of its ends.
  const runs = segments.map(([p0, p1, p2, p3], i) => {
    const steps = i === 1 ? Math.max(2, Math.round(Math.abs(p3[1] - p0[1]) / 20)) : 10, run = [];
    for (let k = 1; k < steps; k++) {
      const t = k / steps, u = 1 - t;
      run.push([u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
                u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1]]);
    }
    return middleFirst(run);
  });
  const points = runs.flat();
  return {d, points, middle: points[0]};
}

function middleFirst(points) {
  const mid = Math.floor(points.length / 2), ordered = [];
  for (let k = 0; k < points.length; k++) { const i = mid + (k % 2 ? -1 : 1) * Math.ceil(k / 2); if (i >= 0 && i < points.length) ordered.push(points[i]); }
  return ordered;
}

// Rectangles already taken (boxes, placed labels), bucketed in a grid for quick look-ups.
class Taken {
  constructor(width, height) { this.cells = new Map(); this.width = width; this.height = height; }
  *keys(r) { for (let i = Math.floor(r.x / CELL); i <= Math.floor((r.x + r.w) / CELL); i++) for (let j = Math.floor(r.y / CELL); j <= Math.floor((r.y + r.h) / CELL); j++) yield i + "," + j; }
  free(r) {
    if (r.x < 0 || r.y < 0 || r.x + r.w > this.width || r.y + r.h > this.height) return false;
    for (const k of this.keys(r)) for (const q of this.cells.get(k) || []) if (r.x < q.x + q.w && q.x < r.x + r.w && r.y < q.y + q.h && q.y < r.y + r.h) return false;
    return true;
  }
  add(r) { for (const k of this.keys(r)) { if (!this.cells.has(k)) this.cells.set(k, []); this.cells.get(k).push(r); } }
}

// A count's rectangle centred on a point; digits of the 11 px font are under 7 px wide.
function labelBox(content, [x, y]) { const w = [...content].length * 7 + 6, h = 15; return {x: x - w / 2, y: y - h / 2, w, h}; }

// Each count on a free spot of its own arrow, red ones first; a red count with no room on its
// arrow goes to the nearest free spot with a leader line; another one shows when hovered.
function placeLabel(content, path, taken, red) {
  for (const p of path.points) { const r = labelBox(content, p); if (taken.free(r)) return {r, at: p}; }
  if (!red) return null;
  const [cx, cy] = path.middle;
  for (let ring = 1; ring < 60; ring++) for (let k = 0; k < 8 * ring; k++) {
    const angle = 2 * Math.PI * k / (8 * ring), p = [cx + ring * 9 * Math.cos(angle), cy + ring * 9 * Math.sin(angle)];
    const r = labelBox(content, p); if (taken.free(r)) return {r, at: p, leader: path.middle};
  }
  return {r: labelBox(content, path.middle), at: path.middle};
}

function el(tag, attrs, parent, ns) {
  const e = ns ? document.createElementNS(NS, tag) : document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  if (parent) parent.appendChild(e);
  return e;
}
function text(tag, content, parent, attrs) { const e = el(tag, attrs, parent); e.textContent = content; return e; }
function short(name, pkg) { return pkg === "" ? name : name.slice(pkg.length + 1); }

function currentPackage() { return decodeURIComponent(location.hash.slice(1)); }
function go(pkg) { location.hash = encodeURIComponent(pkg); }

function breadcrumbs(pkg) {
  const nav = document.getElementById("crumbs"); nav.textContent = "";
  const home = text("a", "(root)", nav, {href: "#", "data-package": ""});
  home.onclick = ev => { ev.preventDefault(); go(""); };
  if (pkg === "") return;
  pkg.split(".").forEach((part, i, parts) => {
    nav.appendChild(document.createTextNode(" › "));
    const target = parts.slice(0, i + 1).join(".");
    const a = text("a", part, nav, {href: "#" + encodeURIComponent(target), "data-package": target});
    a.onclick = ev => { ev.preventDefault(); go(target); };
  });
}

function showEdge(e, pkg) {
  const panel = document.getElementById("details"); panel.textContent = "";
  text("h2", `${short(e.from, pkg)} → ${short(e.to, pkg)}: ${e.count} import statement${e.count === 1 ? "" : "s"}`, panel);
  if (e.breaker) text("p", "Cycle breaker: the lightest dependencies against the layering; removing them leaves this level without cycles.", panel, {class: "breaker-note"});
  if (e.violations.length) {
    text("h3", `${e.violations.length} violation${e.violations.length === 1 ? "" : "s"}`, panel);
    const list = el("ol", {class: "violations"}, panel);
    e.violations.forEach(v => {
      const item = el("li", {class: "violation"}, list);
      text("div", `${v.path}:${v.line} ${v.code} [${v.contract}] ${v.importer} → ${v.imported}`, item);
      const chain = el("ul", {class: "chain"}, item);
      v.chain.forEach(([a, b, path, line]) => text("li", `${path}:${line} ${a} → ${b}`, chain));
    });
  }
  if (e.cuts.length) {
    // The plan's imports on this arrow, each with its statements: the place to break.
    text("h3", `Plan: break ${e.cuts.length} import${e.cuts.length === 1 ? "" : "s"} here`, panel);
    const cuts = el("ul", {class: "cuts"}, panel);
    const planned = new Set(e.cuts.map(([a, b]) => a + "\u0000" + b));
    e.statements.forEach(([i, j, lines]) => {
      if (planned.has(D.modules[i] + "\u0000" + D.modules[j])) lines.forEach(line => text("li", `${D.files[i]}:${line} ${D.modules[i]} → ${D.modules[j]}`, cuts, {class: "cut"}));
    });
  }
  text("h3", "Import statements", panel);
  const list = el("ul", {class: "statements"}, panel);
  e.statements.forEach(([i, j, lines]) => lines.forEach(line => text("li", `${D.files[i]}:${line} ${D.modules[i]} → ${D.modules[j]}`, list, {class: "statement"})));
}

function render() {
  const pkg = currentPackage();
  breadcrumbs(pkg);
  document.getElementById("details").textContent = "";
  const view = level(pkg);
  const holder = document.getElementById("graph"); holder.textContent = "";
  const geometry = layout(view, Math.max(400, holder.clientWidth - 2 * MARGIN - 16));
  const svg = el("svg", {width: geometry.width, height: geometry.height, "data-package": pkg, "data-rows": geometry.rows, "data-row-width": geometry.perRow}, holder, true);
  const defs = el("defs", {}, svg, true);
  [["grey", "#888"], ["red", "#c62828"], ["breaker", "#ef6c00"], ["cut", "#6a1b9a"]].forEach(([id, colour]) => {
    const m = el("marker", {id: "arrow-" + id, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse"}, defs, true);
    el("path", {d: "M0,0 L10,5 L0,10 z", fill: colour}, m, true);
  });
  const { place } = geometry;
  ports(view.edges, place);
  // Lines under every count and hit area, counts under the boxes: a count is never crossed by
  // a line drawn after it.
  const lines = el("g", {class: "lines"}, svg, true), arrows = el("g", {class: "arrows"}, svg, true);
  const taken = new Taken(geometry.width, geometry.height);
  view.nodes.forEach(n => { const p = place.get(n); taken.add({x: p.x - 2, y: p.y - 2, w: BOX_W + 4, h: BOX_H + 4}); });
  const lanes = new Map();
  const paths = new Map(view.edges.map(e => [e, route(e, geometry, lanes)]));
  const labelOrder = [...view.edges].sort((p, q) => (q.violations.length > 0) - (p.violations.length > 0) || q.count - p.count);
  const labels = new Map();
  labelOrder.forEach(e => {
    const content = e.violations.length ? `${e.count} (${e.violations.length}✗)` : String(e.count);
    const spot = placeLabel(content, paths.get(e), taken, e.violations.length > 0);
    if (spot) taken.add(spot.r);
    labels.set(e, {content, spot});
  });
  view.edges.forEach(e => {
    const kind = e.violations.length ? "red" : e.cuts.length ? "cut" : e.breaker ? "breaker" : "grey";
    const classes = `${e.violations.length ? " red" : ""}${e.breaker ? " breaker cycle-breaker" : ""}${e.cuts.length ? " cut" : ""}`;
    const {d} = paths.get(e);
    const line = el("path", {d, class: "line" + classes, "marker-end": `url(#arrow-${kind})`, "stroke-dasharray": e.breaker || e.cuts.length ? "5,4" : "none"}, lines, true);
    const g = el("g", {class: "edge" + classes, "data-from": e.from, "data-to": e.to, "data-count": e.count, "data-violations": e.violations.length}, arrows, true);
    el("path", {d, class: "hit"}, g, true);
    const {content, spot} = labels.get(e);
    if (spot && spot.leader) el("line", {x1: spot.leader[0], y1: spot.leader[1], x2: spot.at[0], y2: spot.at[1], class: "leader"}, g, true);
    const at = spot ? spot.at : paths.get(e).middle;
    const label = el("text", {x: at[0], y: at[1] + 4, class: "count" + (spot ? "" : " hover-only")}, g, true);
    label.textContent = content;
    el("title", {}, g, true).textContent = `${short(e.from, pkg)} → ${short(e.to, pkg)}: ${content}`;
    g.onmouseenter = () => line.classList.add("hover");
    g.onmouseleave = () => line.classList.remove("hover");
    g.onclick = () => showEdge(e, pkg);
  });
  view.nodes.forEach(n => {
    const p = place.get(n), drill = isPackage.has(n);
    const g = el("g", {class: "node" + (drill ? " package" : ""), "data-name": n, "data-row": geometry.rowOf.get(n), transform: `translate(${p.x},${p.y})`}, svg, true);
    el("rect", {width: BOX_W, height: BOX_H, rx: 5}, g, true);
    const t = el("text", {x: BOX_W / 2, y: BOX_H / 2 + 4}, g, true);
    const name = short(n, pkg);
    t.textContent = name.length > 22 ? name.slice(0, 21) + "…" : name;
    el("title", {}, g, true).textContent = n;
    if (drill) g.onclick = () => go(n);
  });
  const wanted = sessionStorage.getItem("explore-highlight");
  if (wanted) { const node = svg.querySelector(`g.node[data-name="${CSS.escape(wanted)}"]`); if (node) { node.classList.add("found"); node.scrollIntoView({block: "center"}); } }
  document.body.setAttribute("data-drawn", pkg);
  if (!document.body.hasAttribute("data-first-drawn-ms")) document.body.setAttribute("data-first-drawn-ms", Math.round(performance.now()));
}

function search() {
  const box = document.getElementById("search"), options = document.getElementById("module-list");
  D.modules.forEach(m => el("option", {value: m}, options));
  const jump = () => {
    const wanted = box.value.trim();
    const match = D.modules.includes(wanted) ? wanted : D.modules.find(m => m.endsWith("." + wanted) || m === wanted);
    if (!match) { box.classList.add("missing"); return; }
    box.classList.remove("missing");
    const parent = match.includes(".") ? match.slice(0, match.lastIndexOf(".")) : "";
    sessionStorage.setItem("explore-highlight", match);
    if (currentPackage() === parent) render(); else go(parent);
  };
  box.addEventListener("keydown", ev => { if (ev.key === "Enter") jump(); });
  document.getElementById("search-go").onclick = jump;
}

window.addEventListener("hashchange", render);
search();
if (location.hash === "" && D.package) history.replaceState(null, "", "#" + encodeURIComponent(D.package));
render();
