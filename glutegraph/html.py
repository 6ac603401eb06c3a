"""An interactive view of the graph in one self-contained HTML file: zoom, drag, search, details.

The page needs nothing from the network: the data, the styles and the script (a few hundred
lines, below) are all inside it, so it opens offline and can be mailed or committed. Nodes sit
in the same layers as :func:`glutegraph.figures.draw`. Scroll to zoom, drag the background to
pan, drag a node to move it, type in the search box to find an entity, click a node to see its
details, links and sources in the side panel. In Jupyter the view shows inline (in an isolated
frame).

Labels, definitions and sources are put in the page as data and shown with ``textContent``,
never as HTML, so a label cannot inject markup or script.

Example:
    >>> import glutegraph as gg
    >>> view = interactive(gg.load())
    >>> "gluteus medius" in view.html and "<script src" not in view.html
    True

"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from glutegraph.figures import (
    DEFAULT_KINDS,
    KIND_COLOURS,
    OTHER_STYLE,
    RELATION_STYLES,
    as_graph,
    select_kinds,
)
from glutegraph.figures import layered_layout as _layout
from glutegraph.network import edge_detail

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

__all__ = ["InteractiveView", "interactive"]

_PIXELS_PER_INCH = 110


class InteractiveView:
    """A self-contained HTML page of the graph; shows inline in Jupyter, ``save()`` writes it."""

    def __init__(self, page: str) -> None:
        self.html = page

    def save(self, path: Path | str) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                'style="width:100%;height:640px;border:1px solid #ddd"></iframe>')


def interactive(
    source: KnowledgeGraph | nx.Graph[str],
    *,
    kinds: Iterable[str] | None = DEFAULT_KINDS,
    title: str = "glutegraph",
) -> InteractiveView:
    """Return the interactive HTML view of the graph or of any networkx view of it.

    Args:
        source: a KnowledgeGraph, or a graph from :mod:`glutegraph.network`.
        kinds: the kinds to show (layers, in this order); None shows every kind present.
        title: the page title.

    """
    chosen, shown = select_kinds(as_graph(source), kinds)
    positions, _, _ = _layout(shown, chosen)
    nodes = []
    for node, data in shown.nodes(data=True):
        x, y = positions[node]
        details = {k: v for k, v in data.items()
                   if k not in ("kind", "label", "iri", "curie", "classes") and v is not None}
        nodes.append({"id": node, "label": data["label"], "kind": data["kind"],
                      "curie": data["curie"], "x": round(x * _PIXELS_PER_INCH, 1),
                      "y": round(-y * _PIXELS_PER_INCH, 1), "details": details})
    edges = []
    for u, v, data in shown.edges(data=True):
        style = RELATION_STYLES.get(data.get("relation", ""), OTHER_STYLE)
        edges.append({"source": u, "target": v, "label": data.get("label", ""),
                      "colour": style[0], "dashed": style[1] != "-",
                      "detail": edge_detail(data), "sources": data.get("source_labels", [])})
    payload = {"title": title, "nodes": nodes, "edges": edges,
               "colours": {k: KIND_COLOURS[k] for k in chosen}}
    data_json = json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")
    page = (_PAGE.replace("__TITLE__", html.escape(title))
                 .replace("__DATA__", data_json))
    return InteractiveView(page)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  html, body { margin: 0; height: 100%; font: 13px system-ui, sans-serif; color: #222; }
  #app { display: flex; height: 100%; }
  #canvas { flex: 1; position: relative; background: #fcfcfc; }
  svg { width: 100%; height: 100%; cursor: grab; user-select: none; }
  #bar { position: absolute; top: 8px; left: 8px; display: flex; gap: 6px; z-index: 2; }
  #search { width: 240px; padding: 5px 8px; border: 1px solid #bbb; border-radius: 4px; }
  #found { padding: 5px; color: #555; }
  #legend { position: absolute; bottom: 8px; left: 8px; background: #fffe; padding: 6px 8px;
            border: 1px solid #ddd; border-radius: 4px; font-size: 12px; }
  #legend span { display: inline-block; width: 10px; height: 10px; border-radius: 50%;
                 margin: 0 4px 0 10px; vertical-align: middle; }
  #panel { width: 340px; overflow: auto; border-left: 1px solid #ddd; padding: 12px;
           background: #fff; }
  #panel h2 { margin: 0 0 4px; font-size: 17px; }
  #panel .kind { color: #777; margin-bottom: 8px; }
  #panel dt { font-weight: 600; margin-top: 6px; }
  #panel dd { margin: 2px 0 0 0; }
  #panel li { margin-bottom: 6px; }
  #panel .sources { color: #666; font-size: 12px; }
  circle.node { stroke: #fff; stroke-width: 1.5; cursor: pointer; }
  circle.match { stroke: #000; stroke-width: 3; }
  circle.selected { stroke: #d00; stroke-width: 3.5; }
  text.label { font-size: 11px; paint-order: stroke; stroke: #fff; stroke-width: 3px;
               pointer-events: none; }
  line.edge { stroke-opacity: 0.45; stroke-width: 1.2; }
  line.edge.near { stroke-opacity: 1; stroke-width: 2.2; }
</style></head>
<body><div id="app">
  <div id="canvas">
    <div id="bar"><input id="search" type="search" aria-label="search entities"
      placeholder="search: gluteus medius, hip thrust..."><span id="found"></span></div>
    <svg id="svg" role="img" aria-label="__TITLE__"><g id="viewport">
      <g id="edges"></g><g id="nodes"></g></g></svg>
    <div id="legend"></div>
  </div>
  <aside id="panel"><h2 id="panel-title">__TITLE__</h2>
    <div class="kind" id="panel-kind">Click a node or search for an entity.</div>
    <div id="panel-body"></div></aside>
</div>
<script type="application/json" id="data">__DATA__</script>
<script>
"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const NS = "http://www.w3.org/2000/svg";
const svg = document.getElementById("svg"), viewport = document.getElementById("viewport");
const byId = new Map(data.nodes.map(n => [n.id, n]));
const view = { x: 40, y: 60, k: 1 };
let selected = null;

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  parent.appendChild(node);
  return node;
}
function html(tag, text, parent, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  parent.appendChild(node);
  return node;
}
function applyView() {
  viewport.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
}

for (const e of data.edges) {
  e.line = el("line", { class: "edge", stroke: e.colour }, document.getElementById("edges"));
  if (e.dashed) e.line.setAttribute("stroke-dasharray", "4 3");
}
for (const n of data.nodes) {
  n.circle = el("circle", { class: "node", r: 6, fill: data.colours[n.kind] },
                document.getElementById("nodes"));
  n.circle.dataset.id = n.id;
  n.text = el("text", { class: "label", dy: "0.35em" }, document.getElementById("nodes"));
  n.text.textContent = n.label;
  n.edges = [];
}
for (const e of data.edges) { byId.get(e.source).edges.push(e); byId.get(e.target).edges.push(e); }
function place(n) {
  n.circle.setAttribute("cx", n.x); n.circle.setAttribute("cy", n.y);
  n.text.setAttribute("x", n.x + 9); n.text.setAttribute("y", n.y);
  for (const e of n.edges) {
    const s = byId.get(e.source), t = byId.get(e.target);
    e.line.setAttribute("x1", s.x); e.line.setAttribute("y1", s.y);
    e.line.setAttribute("x2", t.x); e.line.setAttribute("y2", t.y);
  }
}
data.nodes.forEach(place);
function fit() {  // the whole graph in view, never enlarged past 1:1
  const box = svg.getBoundingClientRect();
  const xs = data.nodes.map(n => n.x), ys = data.nodes.map(n => n.y);
  const w = Math.max(...xs) - Math.min(...xs) + 260, h = Math.max(...ys) - Math.min(...ys) + 80;
  view.k = Math.min(1, box.width / w, box.height / h);
  view.x = 20 - Math.min(...xs) * view.k; view.y = 50 - Math.min(...ys) * view.k;
  applyView();
}
fit();

const legend = document.getElementById("legend");
for (const [kind, colour] of Object.entries(data.colours)) {
  const dot = html("span", undefined, legend); dot.style.background = colour;
  legend.appendChild(document.createTextNode(kind));
}

function select(n) {
  if (selected) selected.circle.classList.remove("selected");
  document.querySelectorAll("line.near").forEach(l => l.classList.remove("near"));
  selected = n;
  n.circle.classList.add("selected");
  n.edges.forEach(e => e.line.classList.add("near"));
  document.getElementById("panel-title").textContent = n.label;
  document.getElementById("panel-kind").textContent = `${n.kind} · ${n.curie}`;
  const body = document.getElementById("panel-body");
  body.replaceChildren();
  const facts = html("dl", undefined, body);
  for (const [k, v] of Object.entries(n.details)) {
    html("dt", k.replace(/_/g, " "), facts);
    html("dd", Array.isArray(v) ? v.join(", ") : String(v), facts);
  }
  html("h3", `Links (${n.edges.length})`, body);
  const list = html("ul", undefined, body);
  for (const e of n.edges) {
    const item = html("li", undefined, list);
    const s = byId.get(e.source), t = byId.get(e.target);
    html("div", `${s.label} ${e.label} ${t.label}` + (e.detail ? ` (${e.detail})` : ""), item);
    if (e.sources.length) html("div", "Sources: " + e.sources.join("; "), item, "sources");
  }
}
function centre(n) {
  const box = svg.getBoundingClientRect();
  view.x = box.width / 2 - n.x * view.k; view.y = box.height / 2 - n.y * view.k;
  applyView();
}

const search = document.getElementById("search"), found = document.getElementById("found");
function find(query) {
  const q = query.trim().toLowerCase();
  document.querySelectorAll("circle.match").forEach(c => c.classList.remove("match"));
  if (!q) { found.textContent = ""; return []; }
  const hits = data.nodes.filter(n => n.label.toLowerCase().includes(q));
  hits.sort((a, b) => (a.label.toLowerCase() !== q) - (b.label.toLowerCase() !== q)
                      || a.label.length - b.label.length);
  hits.forEach(n => n.circle.classList.add("match"));
  found.textContent = hits.length ? `${hits.length} found` : "nothing found";
  if (hits.length) { select(hits[0]); centre(hits[0]); }
  return hits;
}
search.addEventListener("input", () => find(search.value));
search.addEventListener("keydown", ev => { if (ev.key === "Enter") find(search.value); });

svg.addEventListener("wheel", ev => {
  ev.preventDefault();
  const box = svg.getBoundingClientRect();
  const px = ev.clientX - box.left, py = ev.clientY - box.top;
  const k = Math.min(8, Math.max(0.15, view.k * Math.exp(-ev.deltaY * 0.0015)));
  view.x = px - (px - view.x) * k / view.k; view.y = py - (py - view.y) * k / view.k;
  view.k = k; applyView();
}, { passive: false });

let drag = null;
svg.addEventListener("pointerdown", ev => {
  const id = ev.target.dataset && ev.target.dataset.id;
  drag = id ? { node: byId.get(id), moved: false }
            : { pan: true, x: ev.clientX - view.x, y: ev.clientY - view.y };
  svg.setPointerCapture(ev.pointerId);
});
svg.addEventListener("pointermove", ev => {
  if (!drag) return;
  if (drag.pan) { view.x = ev.clientX - drag.x; view.y = ev.clientY - drag.y; applyView(); return; }
  const box = svg.getBoundingClientRect();
  drag.node.x = (ev.clientX - box.left - view.x) / view.k;
  drag.node.y = (ev.clientY - box.top - view.y) / view.k;
  drag.moved = true; place(drag.node);
});
svg.addEventListener("pointerup", () => {
  if (drag && drag.node && !drag.moved) select(drag.node);
  drag = null;
});
window.glutegraph = { data, find, fit, select: id => select(byId.get(id)), view };
</script></body></html>
"""
