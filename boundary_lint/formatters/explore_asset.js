"use strict";
// boundary-lint explore: one level of the package tree as a layered graph, drawn from the
// module-level imports embedded in this page. No network: everything is here.
const D = JSON.parse(document.getElementById("explore-data").textContent);
const NS = "http://www.w3.org/2000/svg";
const BOX_W = 170, BOX_H = 34, GAP_X = 24, GAP_Y = 80, MAX_ROW = 8;
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

// Layers by longest path over the arcs that follow the order; wide layers wrap into several rows;
// rows ordered by barycentre sweeps (the usual crossing reduction).
function layout(view) {
  const order = dependencyOrder(view.nodes, view.edges);
  const rank = new Map(order.map((n, i) => [n, i]));
  view.edges.forEach(e => { e.breaker = rank.get(e.from) > rank.get(e.to); });
  const layerOf = new Map();
  order.forEach(n => layerOf.set(n, 0));
  order.forEach(n => view.edges.forEach(e => {
    if (e.from === n && !e.breaker) layerOf.set(e.to, Math.max(layerOf.get(e.to), layerOf.get(n) + 1));
  }));
  const layers = [];
  order.forEach(n => { const l = layerOf.get(n); (layers[l] = layers[l] || []).push(n); });
  const rows = [];
  layers.filter(Boolean).forEach(layer => { for (let i = 0; i < layer.length; i += MAX_ROW) rows.push(layer.slice(i, i + MAX_ROW)); });
  const rowOf = new Map(); rows.forEach((r, i) => r.forEach(n => rowOf.set(n, i)));
  const neighbours = new Map(view.nodes.map(n => [n, []]));
  view.edges.forEach(e => { neighbours.get(e.from).push(e.to); neighbours.get(e.to).push(e.from); });
  for (let sweep = 0; sweep < 6; sweep++) {
    const pos = new Map(); rows.forEach(r => r.forEach((n, i) => pos.set(n, i / Math.max(1, r.length - 1))));
    const sequence = sweep % 2 ? [...rows.keys()].reverse() : [...rows.keys()];
    sequence.forEach(ri => {
      const centre = n => { const ns = neighbours.get(n).filter(m => rowOf.get(m) !== ri); return ns.length ? ns.reduce((s, m) => s + pos.get(m), 0) / ns.length : pos.get(n); };
      rows[ri].sort((a, b) => centre(a) - centre(b));
      rows[ri].forEach((n, i) => pos.set(n, i / Math.max(1, rows[ri].length - 1)));
    });
  }
  const width = Math.max(...rows.map(r => r.length), 1) * (BOX_W + GAP_X);
  const place = new Map();
  rows.forEach((r, ri) => {
    const offset = (width - r.length * (BOX_W + GAP_X)) / 2;
    r.forEach((n, i) => place.set(n, {x: offset + i * (BOX_W + GAP_X) + GAP_X / 2, y: 20 + ri * (BOX_H + GAP_Y)}));
  });
  return {place, width, height: 40 + rows.length * (BOX_H + GAP_Y), rows: rows.length};
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
  const geometry = layout(view);
  const holder = document.getElementById("graph"); holder.textContent = "";
  const svg = el("svg", {width: geometry.width, height: geometry.height, "data-package": pkg, "data-rows": geometry.rows}, holder, true);
  const defs = el("defs", {}, svg, true);
  [["grey", "#888"], ["red", "#c62828"], ["breaker", "#ef6c00"]].forEach(([id, colour]) => {
    const m = el("marker", {id: "arrow-" + id, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse"}, defs, true);
    el("path", {d: "M0,0 L10,5 L0,10 z", fill: colour}, m, true);
  });
  const { place } = geometry;
  view.edges.forEach(e => {
    const a = place.get(e.from), b = place.get(e.to);
    const down = b.y >= a.y;
    // Both directions between two boxes: side by side, so neither hides the other.
    const twin = view.edges.some(f => f.from === e.to && f.to === e.from) ? (down ? -14 : 14) : 0;
    const x1 = a.x + BOX_W / 2 + twin, y1 = down ? a.y + BOX_H : a.y, x2 = b.x + BOX_W / 2 + twin, y2 = down ? b.y : b.y + BOX_H;
    const kind = e.violations.length ? "red" : e.breaker ? "breaker" : "grey";
    const g = el("g", {class: `edge ${kind}${e.breaker ? " cycle-breaker" : ""}${e.cuts.length ? " cut" : ""}`, "data-from": e.from, "data-to": e.to, "data-count": e.count, "data-violations": e.violations.length}, svg, true);
    const bend = y1 === y2 ? -40 : 0;
    const d = `M${x1},${y1} C${x1},${(y1 + y2) / 2 + bend} ${x2},${(y1 + y2) / 2 + bend} ${x2},${y2}`;
    el("path", {d, class: "hit"}, g, true);
    el("path", {d, class: "line", "marker-end": `url(#arrow-${kind})`, "stroke-dasharray": e.breaker || e.cuts.length ? "5,4" : "none"}, g, true);
    const label = el("text", {x: (x1 + x2) / 2 + twin * 1.5, y: (y1 + y2) / 2 + bend * 0.75 - 3, class: "count"}, g, true);
    label.textContent = e.violations.length ? `${e.count} (${e.violations.length}✗)` : String(e.count);
    g.onclick = () => showEdge(e, pkg);
  });
  view.nodes.forEach(n => {
    const p = place.get(n), drill = isPackage.has(n);
    const g = el("g", {class: "node" + (drill ? " package" : ""), "data-name": n, transform: `translate(${p.x},${p.y})`}, svg, true);
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
