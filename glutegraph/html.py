"""An interactive view of the graph in one self-contained HTML file: zoom, drag, search, details.

The page needs nothing from the network: the data, the styles and the script (a few hundred
lines, below) are all inside it, so it opens offline and can be mailed or committed. Nodes sit
in columns, one per kind, ordered as :func:`glutegraph.layered.draw` orders them, under a header row
("muscles (33)"), and the graph is laid out to fill the window. Labels are drawn at 12 px
wherever one fits without covering another label or a dot; in a dense column (84 exercises)
only some fit at first, and more appear as one scrolls to zoom. Drag the background to pan,
drag a node to move it; "fit to window" goes back to the whole graph. The search box finds
entities by label or synonym ("glute med"), selects the best match and zooms to it. Clicking a
node opens the side panel beside the graph (never over it): its details, names, and links
grouped by relation (see :func:`link_groups`), each linked entity once, with what each link
says and its sources. In Jupyter the view shows inline (in an isolated frame).

Labels, synonyms, definitions and sources are put in the page as data (JSON with ``<``, ``>``
and ``&`` escaped, so no text can end its script element) and shown with ``textContent``,
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from glutegraph.layered.drawing import layered_layout as _layout
from glutegraph.layered.styles import OTHER_STYLE, RELATION_STYLES
from glutegraph.network import edge_detail
from glutegraph.pictures.kit import DEFAULT_KINDS, KIND_COLOURS, as_graph, select_kinds
from glutegraph.ranking import edge_rank

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

__all__ = ["InteractiveView", "interactive", "link_groups"]


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
                'style="width:100%;height:720px;border:1px solid #ddd"></iframe>')


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
    chosen, view = select_kinds(as_graph(source), kinds)
    shown = view.copy()  # a graph of its own: much faster to walk than the filtered view
    _, layers, _ = _layout(shown, chosen)
    ends = _all_ends(shown)
    sources: dict[str, int] = {}  # each source's text once in the page; entries give its number
    nodes = []
    for column, layer in enumerate(layers):
        for node in layer:
            data = shown.nodes[node]
            details = {k: v for k, v in data.items()
                       if k not in _NOT_DETAILS and v is not None}
            nodes.append({"id": node, "label": data["label"], "kind": data["kind"],
                          "curie": data["curie"], "column": column,
                          "synonyms": list(data.get("synonyms", [])),
                          "degree": len(ends[node]), "details": details,
                          "links": _numbered(_groups(shown, ends[node]), sources)})
    edges = []
    for u, v, data in shown.edges(data=True):
        style = RELATION_STYLES.get(data.get("relation", ""), OTHER_STYLE)
        edges.append({"source": u, "target": v, "colour": style[0], "dashed": style[1] != "-"})
    columns = [{"kind": shown.nodes[layer[0]]["kind"], "count": len(layer),
                "heading": _heading(shown.nodes[layer[0]]["kind"])} for layer in layers]
    used = {RELATION_STYLES.get(d.get("relation", ""), OTHER_STYLE) for *_, d in
            shown.edges(data=True)}
    styles = [{"label": s[2], "colour": s[0], "dashed": s[1] != "-"}
              for s in (*RELATION_STYLES.values(), OTHER_STYLE) if s in used]
    payload = {"title": title, "nodes": nodes, "edges": edges, "columns": columns,
               "sources": list(sources),
               "colours": {k: KIND_COLOURS[k] for k in chosen}, "styles": styles}
    page = (_PAGE.replace("__TITLE__", html.escape(title))
                 .replace("__DATA__", _script_json(payload)))
    return InteractiveView(page)


_NOT_DETAILS = ("kind", "label", "iri", "curie", "classes", "synonyms")

#: How a link reads from each end: relation -> (from its subject, from its object). Evidence
#: that a treatment treats a condition and the asserted "ameliorates" are one link.
_READINGS: dict[str, tuple[str, str]] = {
    "gg:partOf": ("part of", "has part"),
    "gg:branchOf": ("branch of", "branches"),
    "gg:hasSpinalRoot": ("spinal roots", "spinal root of"),
    "gg:innervatedBy": ("innervated by", "innervates"),
    "produces": ("produces (action)", "produced by"),
    "gg:opposes": ("opposes", "opposed by"),
    "gg:trainsAction": ("trains action", "trained by"),
    "activates": ("activates (EMG %MVIC: means high to low, then peaks, flagged last)",
                  "activated by (EMG %MVIC: means high to low, then peaks, flagged last)"),
    "gg:primaryTarget": ("primary target", "primary target of"),
    "gg:secondaryTarget": ("secondary target", "secondary target of"),
    "gg:variantOf": ("variant of", "variants"),
    "gg:progressesTo": ("progresses to", "progression from"),
    "treats": ("treats", "treated by"),
    "gg:involves": ("involves", "involved in"),
    "gg:subtypeOf": ("subtype of", "subtypes"),
    "gg:relatedCondition": ("related condition", "related condition"),
    "gg:hasSymptom": ("symptoms", "symptom of"),
    "gg:hasRiskFactor": ("risk factors", "risk factor of"),
    "gg:detects": ("detects", "detected by"),
    "gg:usesEquipment": ("uses equipment", "used in"),
    "gg:hasOrigin": ("origin", "origin of"),
    "gg:hasInsertion": ("insertion", "insertion of"),
    "gg:crossesJoint": ("crosses joint", "crossed by"),
    "gg:ofJoint": ("of joint", "joint of"),
    "gg:locatedIn": ("located in", "location of"),
    "gg:about": ("about", "claims about it"),
    "skos:closeMatch": ("close match", "close match"),
}
_SAME_LINK = {"gg:ameliorates": "treats", "detects (measured accuracy)": "gg:detects"}


def link_groups(graph: nx.Graph[str], node: str) -> list[dict[str, object]]:
    """Return the links of ``node`` as the side panel lists them: grouped by relation.

    Each group is ``{"heading", "items"}``; each item one linked entity (``id``, ``label``,
    ``entries``), however many edges join the two: each entry is what one of them says
    (``detail``, such as "86.8 %MVIC mean, n=13", and the ``sources`` that say it), without
    repeats. Groups come in a fixed order (anatomy, actions, exercises,
    treatments, conditions, then any other relation by name); items by label, except
    EMG groups, which rank items and entries by their best figure as ``kg.exercises`` does
    (:mod:`glutegraph.ranking`: means before peaks, figures with a quality concern last).

    Example:
        >>> import glutegraph as gg
        >>> g = gg.load().to_networkx()
        >>> groups = link_groups(g, str(gg.KB.piriformis_syndrome))
        >>> treated = next(g for g in groups if g["heading"] == "treated by")
        >>> [item["label"] for item in treated["items"]][:2]
        ['anti-inflammatory medication', 'botulinum toxin injection into piriformis']
        >>> therapy = next(i for i in treated["items"] if i["label"] == "physical therapy")
        >>> [(e["detail"], e["sources"]) for e in therapy["entries"]][0]  # graded evidence first
        ('limited evidence', ['Fishman 2002, Arch Phys Med Rehabil'])
        >>> therapy["entries"][1]  # then whoever else states the link
        {'detail': '', 'sources': ['The glutes and how to train these muscles (popular article)']}

    """
    ends = [(v, d, 0) for _, v, d in _edges(graph, node, out=True)]
    ends += [(u, d, 1) for u, _, d in _edges(graph, node, out=False)]
    return _groups(graph, ends)


#: A link seen from one of its nodes: the node at the other end, the edge's data, and 0 when
#: the node is the subject, 1 when it is the object.
_End = tuple[str, dict[str, Any], int]


def _groups(graph: nx.Graph[str], ends: list[_End]) -> list[dict[str, object]]:
    grouped: dict[tuple[int, int, str], dict[str, _Item]] = {}
    order = list(_READINGS)
    for other, data, end in ends:
        relation = str(data.get("relation", ""))
        relation = _SAME_LINK.get(relation, relation)
        label = str(data.get("label") or relation)
        reading = _READINGS.get(relation, (label, f"{label} (reverse link)"))[end]
        rank = order.index(relation) if relation in order else len(order)
        items = grouped.setdefault((rank, end, reading), {})
        item = items.setdefault(other, _Item(other, graph.nodes[other]["label"]))
        measured = "mean_mvic" in data or "peak_mvic" in data
        sources = tuple(str(source) for source in data.get("source_labels", []) or [])
        entry = (edge_detail(data), sources)
        if entry not in item.entries:  # EMG figures rank as kg.exercises ranks them
            item.entries[entry] = edge_rank(data) if measured else _UNMEASURED
    groups: list[dict[str, object]] = []
    for (_, _, heading), items in sorted(grouped.items()):
        listed = sorted(items.values(), key=lambda i: (_descending(max(
            i.entries.values(), default=_UNMEASURED)), i.label.casefold()))
        groups.append({"heading": heading, "items": [item.as_dict() for item in listed]})
    return groups


#: The rank of a link that carries no EMG figure: after every figure.
_UNMEASURED = (-1, 0.0)


def _descending(rank: tuple[int, float]) -> tuple[int, float]:
    """Sort key putting the best-ranked figure first."""
    return (-rank[0], -rank[1])


@dataclass
class _Item:
    """One entity in a group of the side panel: what each link to it says, with its sources.

    ``entries`` maps (detail, sources) to the rank of the detail's EMG figure
    (:func:`glutegraph.ranking.edge_rank`; :data:`_UNMEASURED` when it has none).
    """

    id: str
    label: str
    entries: dict[tuple[str, tuple[str, ...]], tuple[int, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        # What was measured or graded first (the best figure first, as kg.exercises ranks
        # them), then the plain link, with only the sources not listed already (none left:
        # the plain link is not repeated).
        order = sorted(self.entries, key=lambda e: (e[0] == "", _descending(self.entries[e]),
                                                    e[0]))
        entries: list[dict[str, object]] = []
        listed: set[str] = set()
        for detail, sources in order:
            kept = [s for s in sources if detail or s not in listed]
            listed.update(sources)
            if detail or kept or not entries:
                entries.append({"detail": detail, "sources": kept})
        return {"id": self.id, "label": self.label, "entries": entries}


def _edges(graph: nx.Graph[str], node: str, *, out: bool) -> list[tuple[str, str, dict[str, Any]]]:
    if isinstance(graph, nx.DiGraph | nx.MultiDiGraph):
        found = graph.out_edges(node, data=True) if out else graph.in_edges(node, data=True)
        return list(found)
    if not out:
        return []
    return [(node, v, d) for _, v, d in graph.edges(node, data=True)]


def _all_ends(graph: nx.Graph[str]) -> dict[str, list[_End]]:
    """Every node's links in one pass over the edges (much faster than asking a view per node)."""
    ends: dict[str, list[_End]] = {node: [] for node in graph}
    directed = graph.is_directed()
    for u, v, data in graph.edges(data=True):
        ends[u].append((v, data, 0))
        if directed or u != v:
            ends[v].append((u, data, 1 if directed else 0))
    return ends


def _numbered(groups: list[dict[str, Any]], sources: dict[str, int]) -> list[dict[str, Any]]:
    """Return the groups with each entry's sources as numbers into ``sources`` (filled here)."""
    for group in groups:
        for item in group["items"]:
            for entry in item["entries"]:
                entry["sources"] = [sources.setdefault(s, len(sources)) for s in entry["sources"]]
    return groups


def _heading(kind: str) -> str:
    return {"anatomy": "anatomical sites", "equipment": "equipment"}.get(kind, kind + "s")


def _script_json(payload: object) -> str:
    """JSON that cannot end or comment its <script> element: every <, > and & escaped."""
    text = json.dumps(payload, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  html, body { margin: 0; height: 100%; font: 14px system-ui, sans-serif; color: #222; }
  #app { display: flex; height: 100%; }
  #canvas { flex: 1; min-width: 0; position: relative; background: #fcfcfc; overflow: hidden; }
  svg { position: absolute; inset: 0; width: 100%; height: 100%; cursor: grab;
        user-select: none; }
  #bar { position: absolute; top: 0; left: 0; right: 0; height: 40px; display: flex; gap: 8px;
         align-items: center; padding: 0 10px; background: #fffd; z-index: 2;
         border-bottom: 1px solid #eee; }
  #search { width: 280px; padding: 5px 8px; border: 1px solid #bbb; border-radius: 4px;
            font: inherit; }
  #found { color: #555; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  #fit { margin-left: auto; font: inherit; padding: 4px 10px; white-space: nowrap; flex: none; }
  #found { flex: 0 1 auto; min-width: 0; }
  #legend { position: absolute; bottom: 0; left: 0; right: 0; background: #fffd; z-index: 2;
            padding: 5px 10px; border-top: 1px solid #eee; font-size: 12px; color: #444; }
  #legend .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%;
                 margin: 0 4px 0 0; vertical-align: middle; }
  #legend .line { display: inline-block; width: 22px; height: 0; margin: 0 4px 0 0;
                  vertical-align: middle; border-top: 2px solid; }
  #legend .entry { margin-right: 12px; white-space: nowrap; display: inline-block; }
  #panel { display: none; position: relative; width: 340px; flex: none; overflow: auto;
           border-left: 1px solid #ddd; padding: 12px 14px; background: #fff;
           box-sizing: border-box; }
  #app.open #panel { display: block; }
  #panel h2 { margin: 0 26px 4px 0; font-size: 18px; }
  #close { position: absolute; top: 8px; right: 8px; font: inherit; font-size: 18px;
           border: none; background: none; cursor: pointer; color: #666; }
  #hint { flex: 1 1 0; min-width: 0; color: #666; font-size: 13px; white-space: nowrap;
          overflow: hidden; text-overflow: ellipsis; }
  #panel h3 { margin: 14px 0 4px; font-size: 14px; }
  #panel .kind { color: #666; margin-bottom: 8px; }
  #panel .help { color: #444; padding-left: 18px; }
  #panel .help li { margin-bottom: 8px; }
  #panel dt { font-weight: 600; margin-top: 6px; }
  #panel dd { margin: 2px 0 0 0; }
  #panel summary { font-weight: 600; cursor: pointer; margin-top: 10px; }
  #panel details.sources summary { font-weight: normal; margin-top: 0; }
  #panel ul { margin: 4px 0 0; padding-left: 18px; }
  #panel li { margin-bottom: 5px; }
  #panel .detail { color: #333; font-size: 13px; }
  #panel .sources { color: #777; font-size: 12px; }
  #panel button.link { background: none; border: none; padding: 0; font: inherit;
                       color: #0b57a4; cursor: pointer; text-align: left; }
  #panel button.link:hover { text-decoration: underline; }
  circle.node { stroke: #fff; stroke-width: 1.5; cursor: pointer; }
  circle.match { stroke: #000; stroke-width: 2.5; }
  circle.selected { stroke: #d00; stroke-width: 3; }
  text.label { font-size: 12px; paint-order: stroke; stroke: #fcfcfc; stroke-width: 4px;
               stroke-linejoin: round; pointer-events: none; fill: #222; }
  text.label.strong { font-weight: 700; }
  text.heading { font-size: 14px; font-weight: 700; fill: #333; paint-order: stroke;
                 stroke: #fcfcfc; stroke-width: 4px; }
  path.edge { stroke-opacity: 0.35; vector-effect: non-scaling-stroke; }
  circle.node { vector-effect: non-scaling-stroke; }
  rect.band { fill: #fcfcfc; fill-opacity: 0.92; }
  svg.focus path.edge { stroke-opacity: 0.07; }
  svg.focus path.edge.near { stroke-opacity: 0.9; stroke-width: 2; }
</style></head>
<body><div id="app">
  <div id="canvas">
    <svg id="svg" role="img" aria-label="__TITLE__"><g id="viewport">
      <g id="edges"></g><g id="nodes"></g></g><g id="labels"></g><g id="headings"></g></svg>
    <div id="bar"><input id="search" type="search" aria-label="search entities"
      placeholder="search: glute med, hip thrust..."><span id="found"></span>
      <span id="hint">click a dot for its details and links · scroll to zoom: more labels
        appear · drag to pan</span>
      <button id="fit" type="button">fit to window</button></div>
    <div id="legend"></div>
  </div>
  <aside id="panel" aria-live="polite"><button id="close" type="button"
      aria-label="close the details">&times;</button><h2 id="panel-title">__TITLE__</h2>
    <div class="kind" id="panel-kind"></div><div id="panel-body"></div></aside>
</div>
<script type="application/json" id="data">__DATA__</script>
<script>
"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const NS = "http://www.w3.org/2000/svg";
const svg = document.getElementById("svg"), viewport = document.getElementById("viewport");
const labelLayer = document.getElementById("labels");
const headingLayer = document.getElementById("headings");
const byId = new Map(data.nodes.map(n => [n.id, n]));
const view = { x: 0, y: 0, k: 1 };
const FONT = 12, TOP = 40 + 30, GAP = 30, DOT = 5;
let selected = null, matches = [];

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
function normalise(text) {
  return text.toLowerCase().replace(/[-_]/g, " ").replace(/\\s+/g, " ").trim();
}

// ---- the picture: edges and dots scale with the zoom, labels and headings keep their size
for (const e of data.edges) {
  e.line = el("path", { class: "edge", stroke: e.colour, fill: "none" },
              document.getElementById("edges"));
  if (e.dashed) e.line.setAttribute("stroke-dasharray", "5 3");
}
for (const n of data.nodes) {
  n.circle = el("circle", { class: "node", r: DOT, fill: data.colours[n.kind] },
                document.getElementById("nodes"));
  n.circle.dataset.id = n.id;
  el("title", {}, n.circle).textContent = n.label;
  n.text = el("text", { class: "label", dy: "0.35em" }, labelLayer);
  n.text.textContent = n.label;
  n.edges = [];
  n.keys = [n.label, ...n.synonyms].map(normalise);
}
for (const e of data.edges) { byId.get(e.source).edges.push(e); byId.get(e.target).edges.push(e); }
// Measure every label, plain and bold (the selected one is bold): all reads, then all writes,
// so the browser lays the page out twice, not twice per label.
for (const n of data.nodes) n.width = n.text.getComputedTextLength();
for (const n of data.nodes) n.text.classList.add("strong");
for (const n of data.nodes) n.boldWidth = n.text.getComputedTextLength();
for (const n of data.nodes) n.text.classList.remove("strong");
el("rect", { class: "band", x: 0, y: 40, width: "100%", height: TOP - 40 - 4 },
                headingLayer);
for (const c of data.columns) {
  c.text = el("text", { class: "heading" }, headingLayer);
  c.text.textContent = `${c.heading} (${c.count})`;
  c.nodes = data.nodes.filter(n => n.column === data.columns.indexOf(c));
  c.width = c.text.getComputedTextLength();
}

const legend = document.getElementById("legend");
for (const [kind, colour] of Object.entries(data.colours)) {
  const entry = html("span", undefined, legend, "entry");
  html("span", undefined, entry, "dot").style.background = colour;
  entry.appendChild(document.createTextNode(kind));
}
for (const style of data.styles) {
  const entry = html("span", undefined, legend, "entry");
  const line = html("span", undefined, entry, "line");
  line.style.borderTopColor = style.colour;
  if (style.dashed) line.style.borderTopStyle = "dashed";
  entry.appendChild(document.createTextNode(style.label));
}

function area() {  // the part of the canvas not under the bar or the legend, in pixels
  const box = svg.getBoundingClientRect();
  const bottom = document.getElementById("legend").offsetHeight;
  return { w: box.width, h: box.height, top: TOP, bottom: box.height - bottom - 8 };
}
function layout() {
  // Columns as wide as most of their labels (the last one as its longest), scaled to the
  // window; rows spread over the height. Positions are in pixels at zoom 1.
  const a = area(), cols = data.columns;
  const wide = cols.map((c, i) => {  // dense columns show only some labels anyway
    const ws = c.nodes.map(n => n.width).sort((p, q) => p - q);
    const dense = i < cols.length - 1 && c.nodes.length * 16 > a.bottom - a.top;
    const most = dense ? ws[Math.floor(ws.length * 0.75)] : ws[ws.length - 1];
    return Math.max(most, c.width) + 2 * DOT + 6;
  });
  const inner = wide.slice(0, -1).reduce((p, q) => p + q + GAP, 0);
  const room = a.w - 24 - wide[wide.length - 1];
  const s = inner > 0 ? Math.min(1.6, Math.max(0.3, room / inner)) : 1;
  let x = 12 + DOT;
  cols.forEach((c, i) => {
    c.x = x;
    const height = a.bottom - a.top, step = Math.min(34, height / Math.max(1, c.nodes.length));
    const top = a.top + (height - step * c.nodes.length) / 2 + step / 2;
    c.nodes.forEach((n, row) => { n.x = x; n.y = top + row * step; });
    c.top = top;
    x += (wide[i] + GAP) * s;
  });
  data.nodes.forEach(place);
}
function place(n) {
  n.circle.setAttribute("cx", n.x); n.circle.setAttribute("cy", n.y);
  for (const e of n.edges) {  // from dot to dot; within a column, an arc to the left
    const s = byId.get(e.source), t = byId.get(e.target);
    let d = `M${s.x},${s.y} L${t.x},${t.y}`;
    if (s.column === t.column) {
      const bend = Math.min(60, 8 + Math.abs(t.y - s.y) / 3);
      d = `M${s.x},${s.y} Q${Math.min(s.x, t.x) - bend},${(s.y + t.y) / 2} ${t.x},${t.y}`;
    }
    e.line.setAttribute("d", d);
  }
}

// ---- labels: shown at 12 px wherever they fit, never under another label, a dot or the edge
let pending = false;
let drawnRadius = null;
function radius() { return DOT * Math.pow(view.k, 0.3); }  // on screen: grows a little
function applyView() {
  viewport.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
  const r = radius() / view.k;
  if (r !== drawnRadius) for (const n of data.nodes) n.circle.setAttribute("r", r);
  drawnRadius = r;
  if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; drawLabels(); }); }
}
let order = null;  // the labels in the order they claim room; again after a new selection
function priority() {
  if (order) return order;
  const near = new Set(), found = new Set(matches);
  if (selected) for (const e of selected.edges) { near.add(e.source); near.add(e.target); }
  const rank = n => n === selected ? 0 : found.has(n) ? 1 : near.has(n.id) ? 2 : 3;
  order = [...data.nodes].sort((p, q) => rank(p) - rank(q) || q.degree - p.degree);
  for (const n of data.nodes) n.focus = rank(n) < 3;
  return order;
}
function drawLabels() {
  const a = area(), cell = 40, grid = new Map();
  const key = (i, j) => i * 100003 + j;
  function boxes(r, add) {
    for (let i = Math.floor(r[0] / cell); i <= Math.floor(r[2] / cell); i++)
      for (let j = Math.floor(r[1] / cell); j <= Math.floor(r[3] / cell); j++) {
        const k = key(i, j);
        if (add) { if (!grid.has(k)) grid.set(k, []); grid.get(k).push(r); }
        else for (const o of grid.get(k) || [])
          if (o[4] !== r[4] && r[0] < o[2] && o[0] < r[2] && r[1] < o[3] && o[1] < r[3])
            return true;
      }
    return false;
  }
  const screen = n => [n.x * view.k + view.x, n.y * view.k + view.y];
  for (const n of data.nodes) {
    const [sx, sy] = screen(n), r = radius();
    if (sx > -20 && sx < a.w + 20 && sy > -20 && sy < a.h + 20)
      boxes([sx - r, sy - r, sx + r, sy + r, n], true);
  }
  let last = -Infinity;
  for (const c of data.columns) {  // one row at the top, over the column while it is in view
    const dot = c.x * view.k + view.x, sy = TOP - 12;
    const sx = Math.min(Math.max(4, dot - DOT), a.w - c.width - 4);
    const shown = dot > 0 && dot < a.w && sx > last + 8;
    c.text.setAttribute("x", sx); c.text.setAttribute("y", sy);
    c.text.style.display = shown ? "" : "none";
    if (shown) { last = sx + c.width; boxes([sx, sy - 14, sx + c.width, sy + 4, c], true); }
  }
  for (const n of priority()) {
    const [sx, sy] = screen(n), h = FONT / 2 + 2, gap = radius() + 4;
    const forced = n === selected || n === matches[0], w = forced ? n.boldWidth : n.width;
    const right = [sx + gap, sy - h, sx + gap + w, sy + h, n];
    const left = [sx - gap - w, sy - h, sx - gap, sy + h, n];
    const inside = r => r[0] >= 2 && r[2] <= a.w - 2 && r[1] >= TOP - 4 && r[3] <= a.bottom + 6;
    // To the right of the dot; at the window's edge, a label that matters now (the selection,
    // the matches and their neighbours) goes to its left.
    let r = null, anchor = "start";
    if (inside(right) && (forced || !boxes(right, false))) r = right;
    else if (right[2] > a.w - 2 && n.focus && inside(left) && (forced || !boxes(left, false))) {
      r = left; anchor = "end";
    }
    if (r) {
      boxes(r, true);
      n.text.setAttribute("x", anchor === "start" ? r[0] : r[2]);
      n.text.setAttribute("y", sy);
      n.text.setAttribute("text-anchor", anchor);
      n.text.style.display = "";
      n.text.classList.toggle("strong", forced);
    } else if (n.text.style.display !== "none") {
      n.text.style.display = "none";
    }
  }
}
function fit() {
  view.x = 0; view.y = 0; view.k = 1;
  layout(); applyView();
}
fit();
drawLabels();
let size = "";
function resized() {  // a new window size or the panel opening: lay out again
  const box = svg.getBoundingClientRect(), now = `${box.width}x${box.height}`;
  if (now === size) return false;
  size = now; layout();
  return true;
}
resized();
new ResizeObserver(() => {
  if (!resized()) return;
  if (selected) zoomTo(selected, view.k); else fit();
}).observe(svg);
document.getElementById("fit").addEventListener("click", fit);
document.getElementById("close").addEventListener("click", () => {
  if (selected) selected.circle.classList.remove("selected");
  document.querySelectorAll("path.near").forEach(l => l.classList.remove("near"));
  selected = null; order = null;
  svg.classList.remove("focus");
  document.getElementById("app").classList.remove("open");
});

// ---- details, links grouped by relation
function select(n) {
  if (selected) selected.circle.classList.remove("selected");
  document.querySelectorAll("path.near").forEach(l => l.classList.remove("near"));
  selected = n; order = null;
  svg.classList.add("focus");
  document.getElementById("app").classList.add("open");
  if (resized()) zoomTo(n, view.k);
  n.circle.classList.add("selected");
  n.edges.forEach(e => e.line.classList.add("near"));
  document.getElementById("panel-title").textContent = n.label;
  document.getElementById("panel-kind").textContent = `${n.kind} · ${n.curie}`;
  const body = document.getElementById("panel-body");
  body.replaceChildren();
  const facts = html("dl", undefined, body);
  if (n.synonyms.length) {
    html("dt", "also called", facts);
    html("dd", n.synonyms.join(", "), facts);
  }
  for (const [k, v] of Object.entries(n.details)) {
    html("dt", k.replace(/_/g, " "), facts);
    html("dd", Array.isArray(v) ? v.join(", ") : String(v), facts);
  }
  const total = n.links.reduce((sum, g) => sum + g.items.length, 0);
  html("h3", `Links (${total})`, body);
  for (const group of n.links) {
    const box = html("details", undefined, body, "group");
    box.open = true;
    html("summary", `${group.heading} (${group.items.length})`, box);
    const list = html("ul", undefined, box);
    for (const item of group.items) {
      const li = html("li", undefined, list);
      const go = html("button", item.label, li, "link");
      go.type = "button";
      go.addEventListener("click", () => { const m = byId.get(item.id); select(m); zoomTo(m); });
      for (const entry of item.entries) {
        entry.sources = entry.sources.map(i => typeof i === "number" ? data.sources[i] : i);
        const box = html("div", undefined, li, "entry");
        if (entry.detail) html("div", entry.detail, box, "detail");
        else if (item.entries.length > 1)
          html("div", "also stated, without a grade:", box, "detail");
        if (entry.sources.length > 2) {  // reference works behind a plain link: folded
          const more = html("details", undefined, box, "sources");
          html("summary", `Sources (${entry.sources.length})`, more);
          html("div", entry.sources.join("; "), more);
        } else if (entry.sources.length) {
          html("div", "Sources: " + entry.sources.join("; "), box, "sources");
        }
      }
    }
  }
  applyView();
}
function zoomTo(n, k) {  // centre the node at zoom 2 (or closer), then make room on the right
  const a = area();
  view.k = Math.max(view.k, k || 2);
  view.x = a.w / 2 - n.x * view.k;
  view.y = (a.top + a.bottom) / 2 - n.y * view.k;
  let right = 0;  // where the labels of its neighbours end
  for (const e of n.edges) {
    const m = byId.get(e.source === n.id ? e.target : e.source);
    right = Math.max(right, m.x * view.k + view.x + radius() + 4 + m.width);
  }
  view.x -= Math.max(0, Math.min(right - (a.w - 8), a.w / 2 - a.w / 4));
  applyView();
}

// ---- search by label or synonym
const search = document.getElementById("search"), found = document.getElementById("found");
function find(query) {
  const q = normalise(query);
  document.querySelectorAll("circle.match").forEach(c => c.classList.remove("match"));
  matches = []; order = null;
  if (!q) { found.textContent = ""; applyView(); return []; }
  const score = n => {
    const i = n.keys.findIndex(k => k === q);
    if (i >= 0) return i === 0 ? 0 : 1;
    if (n.keys[0].startsWith(q)) return 2;
    if (n.keys.some(k => k.startsWith(q))) return 3;
    if (n.keys[0].includes(q)) return 4;
    return n.keys.some(k => k.includes(q)) ? 5 : -1;
  };
  const hits = data.nodes.map(n => [score(n), n]).filter(([s]) => s >= 0);
  hits.sort((p, q2) => p[0] - q2[0] || p[1].label.length - q2[1].label.length);
  matches = hits.map(([, n]) => n); order = null;
  matches.forEach(n => n.circle.classList.add("match"));
  if (!matches.length) { found.textContent = "nothing found"; applyView(); return []; }
  const top = matches[0], via = top.synonyms.find(s => normalise(s).includes(q));
  found.textContent = `${matches.length} found` +
    (hits[0][0] % 2 === 1 && via ? `: ${top.label} (also called ${via})` : "");
  select(top); zoomTo(top);
  return matches;
}
search.addEventListener("input", () => find(search.value));
search.addEventListener("keydown", ev => { if (ev.key === "Enter") find(search.value); });

// ---- zoom, pan, drag
svg.addEventListener("wheel", ev => {
  ev.preventDefault();
  const box = svg.getBoundingClientRect();
  const px = ev.clientX - box.left, py = ev.clientY - box.top;
  const k = Math.min(12, Math.max(0.2, view.k * Math.exp(-ev.deltaY * 0.0015)));
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
  drag.moved = true; place(drag.node); applyView();
});
svg.addEventListener("pointerup", () => {
  if (drag && drag.node && !drag.moved) select(drag.node);
  drag = null;
});
window.glutegraph = { data, find, fit, select: id => select(byId.get(id)), view, drawLabels,
                      zoomTo: n => zoomTo(byId.get(n.id || n)) };
</script></body></html>
"""
