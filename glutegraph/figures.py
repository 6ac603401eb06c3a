"""Pictures of the graph with matplotlib: the layered graph, the activation heatmap, a comparison.

Every function returns a ``matplotlib.figure.Figure`` (save it with ``fig.savefig("x.png")``,
``.svg`` or ``.pdf``) and draws on the non-interactive Agg backend unless pyplot is already in
use, so it works headless and inline in Jupyter.

- :func:`draw` lays the entities out in layers (nerves, muscles, actions, exercises,
  conditions, treatments by default), one colour per kind, one line style per relation, with a
  legend, and labels stacked so that they never overlap.
- :func:`activation_heatmap`: exercises x muscles, the highest mean %MVIC measured, and the
  study behind each figure named in a numbered list under the chart.
- :func:`exercise_comparison`: the exercises for one muscle ranked by mean %MVIC, with SD
  error bars and the study on each bar.

Example:
    >>> import glutegraph as gg
    >>> fig = draw(gg.load())
    >>> sorted(t.get_text() for t in fig.axes[0].get_legend().get_texts())[:2]
    ['action (9)', 'activates (EMG)']

"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

import networkx as nx

from glutegraph.errors import QueryError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from glutegraph.graph import KnowledgeGraph

__all__ = [
    "DEFAULT_KINDS",
    "KIND_COLOURS",
    "OTHER_STYLE",
    "RELATION_STYLES",
    "activation_heatmap",
    "as_graph",
    "draw",
    "exercise_comparison",
    "layered_layout",
    "select_kinds",
]

#: Node colour per kind (colour-blind-friendly, after Okabe & Ito, plus greys).
KIND_COLOURS: dict[str, str] = {
    "nerve": "#E69F00",
    "muscle": "#D55E00",
    "action": "#0072B2",
    "joint": "#56B4E9",
    "exercise": "#009E73",
    "equipment": "#999999",
    "condition": "#CC79A7",
    "symptom": "#F0E442",
    "risk factor": "#B07AA1",
    "test": "#666666",
    "treatment": "#117733",
    "anatomy": "#8C6D31",
    "claim": "#BBBBBB",
}

#: The left-to-right order of the layers.
LAYER_ORDER: tuple[str, ...] = tuple(KIND_COLOURS)

#: The kinds :func:`draw` shows unless told otherwise.
DEFAULT_KINDS: tuple[str, ...] = ("nerve", "muscle", "action", "exercise", "condition",
                                  "treatment")

#: Edge style per relation: (colour, line style, legend text). Others are drawn thin and grey.
RELATION_STYLES: dict[str, tuple[str, str, str]] = {
    "activates": ("#009E73", "-", "activates (EMG)"),
    "gg:primaryTarget": ("#009E73", "--", "primary target"),
    "gg:secondaryTarget": ("#009E73", ":", "secondary target"),
    "produces": ("#0072B2", "-", "produces (action)"),
    "gg:trainsAction": ("#0072B2", "--", "trains action"),
    "gg:innervatedBy": ("#E69F00", "-", "innervated by"),
    "gg:partOf": ("#D55E00", ":", "part of"),
    "gg:involves": ("#CC79A7", "-", "involves"),
    "treats": ("#117733", "-", "treats (evidence)"),
    "gg:ameliorates": ("#117733", "--", "ameliorates"),
}
OTHER_STYLE: tuple[str, str, str] = ("#BBBBBB", "-", "other link")
_HEADINGS = {"anatomy": "anatomical sites", "equipment": "equipment"}  # the others take an "s"
_CHAR_INCHES = 0.062  # width of one label character at the label font size, roughly
_ROW_INCHES = 0.2
_LABEL_SIZE = 7.0


def _pyplot_free_figure(width: float, height: float) -> Figure:
    """Return a Figure on the Agg canvas, without touching pyplot's global state.

    It shows itself in Jupyter (as PNG) although pyplot's inline backend never saw it.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = _inline_figure_class()(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


@cache
def _inline_figure_class() -> type[Figure]:
    from matplotlib.figure import Figure

    class InlineFigure(Figure):
        """A matplotlib Figure that Jupyter displays as a PNG image."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    return InlineFigure


def as_graph(source: KnowledgeGraph | nx.Graph[str]) -> nx.Graph[str]:
    """Return ``source`` if it is a networkx graph, else the knowledge graph in networkx form."""
    return source if isinstance(source, nx.Graph) else source.to_networkx()


def select_kinds(
    graph: nx.Graph[str], kinds: Iterable[str] | None
) -> tuple[list[str], nx.Graph[str]]:
    """Return the kinds to show, in layer order, and the view of ``graph`` holding only them.

    ``None`` means every kind present; kinds with no node in ``graph`` are dropped.
    """
    present = {d["kind"] for _, d in graph.nodes(data=True)}
    chosen = [k for k in (LAYER_ORDER if kinds is None else kinds) if k in present]
    return chosen, graph.subgraph(n for n, d in graph.nodes(data=True) if d["kind"] in chosen)


# ---------------------------------------------------------------------- the layered graph


def layered_layout(
    graph: nx.Graph[str], kinds: Sequence[str]
) -> tuple[dict[str, tuple[float, float]], list[list[str]], list[float]]:
    """Place nodes in one column per kind; order each column to shorten the links.

    Returns:
        positions in inches (x, y), the layers (node lists, top to bottom) and the x of
        each layer. Rows are :data:`_ROW_INCHES` apart, so labels of one column never
        overlap, and each column is as wide as its longest label.

    """
    layers = [sorted((n for n, d in graph.nodes(data=True) if d["kind"] == kind),
                     key=lambda n: graph.nodes[n]["label"]) for kind in kinds]
    layers = [layer for layer in layers if layer]
    undirected = graph.to_undirected(as_view=True)
    rank: dict[str, float] = {}
    for sweep in range(4):  # barycentre ordering, down then up, twice
        order = range(len(layers)) if sweep % 2 == 0 else range(len(layers) - 1, -1, -1)
        for i in order:
            for position, node in enumerate(layers[i]):
                rank.setdefault(node, position)

            def barycentre(node: str, i: int = i) -> float:
                near = [rank[m] for m in undirected[node] if m in rank and m not in layers[i]]
                return sum(near) / len(near) if near else rank[node]

            layers[i].sort(key=barycentre)
            for position, node in enumerate(layers[i]):
                rank[node] = position * max(1, len(layers[0])) / max(1, len(layers[i]))
    tallest = max((len(layer) for layer in layers), default=0)
    positions: dict[str, tuple[float, float]] = {}
    xs: list[float] = []
    x = 0.0
    for layer in layers:
        xs.append(x)
        top = (tallest - len(layer)) / 2
        for row, node in enumerate(layer):
            positions[node] = (x, -(top + row) * _ROW_INCHES)
        longest = max(len(graph.nodes[n]["label"]) for n in layer)
        x += 0.35 + longest * _CHAR_INCHES + 0.5
    return positions, layers, xs


def draw(
    source: KnowledgeGraph | nx.Graph[str],
    *,
    kinds: Iterable[str] | None = DEFAULT_KINDS,
    title: str | None = None,
    max_rows: int = 300,
) -> Figure:
    """Draw the graph (or any networkx view of it) in layers, coloured by kind.

    Args:
        source: a KnowledgeGraph, or a graph from :mod:`glutegraph.network`.
        kinds: the kinds to show, as layers in this order; None shows every kind present.
        title: the figure title (default: what is shown, with counts).
        max_rows: refuse (QueryError) to draw a column longer than this.

    Example:
        >>> import glutegraph as gg
        >>> from glutegraph.network import neighbourhood
        >>> view = neighbourhood(gg.load().to_networkx(), "piriformis syndrome")
        >>> fig = draw(view, kinds=None)
        >>> "piriformis syndrome" in [t.get_text() for t in fig.axes[0].texts]
        True

    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    wanted = None if kinds is None else list(kinds)
    unknown = set(wanted or ()) - set(KIND_COLOURS)
    if unknown:
        raise QueryError(f"no kind {sorted(unknown)}; kinds are {', '.join(KIND_COLOURS)}")
    chosen, shown = select_kinds(as_graph(source), wanted)
    if shown.number_of_nodes() == 0:
        raise QueryError("nothing to draw: no node of the kinds asked for")
    positions, layers, xs = layered_layout(shown, chosen)
    tallest = max(len(layer) for layer in layers)
    if tallest > max_rows:
        raise QueryError(
            f"{tallest} {shown.nodes[max(layers, key=len)[0]]['kind']} nodes in one column is "
            f"more than a picture can show (max_rows={max_rows}); draw a view instead, such as "
            "glutegraph.network.neighbourhood(graph, name, depth)"
        )
    width = xs[-1] + 0.35 + max(len(shown.nodes[n]["label"]) for n in layers[-1]) * _CHAR_INCHES
    height = max(len(layer) for layer in layers) * _ROW_INCHES
    figure = _pyplot_free_figure(width + 1.0, height + 2.4)
    ax = figure.add_subplot()
    ax.set_axis_off()

    used_styles: dict[str, tuple[str, str, str]] = {}
    layer_of = {n: i for i, layer in enumerate(layers) for n in layer}
    for u, v, data in shown.edges(data=True):
        style = RELATION_STYLES.get(data.get("relation", ""), OTHER_STYLE)
        used_styles[style[2]] = style
        same_column = layer_of[u] == layer_of[v]
        left, right = (u, v) if layer_of[u] <= layer_of[v] else (v, u)
        start = positions[left]
        if not same_column:  # leave from the end of the label, not through it
            start = (start[0] + 0.12 + len(shown.nodes[left]["label"]) * _CHAR_INCHES, start[1])
        ax.add_patch(FancyArrowPatch(
            start, positions[right], arrowstyle="-", color=style[0], linestyle=style[1],
            linewidth=0.8 if style is not OTHER_STYLE else 0.5, alpha=0.55,
            connectionstyle="arc3,rad=0.45" if same_column else "arc3,rad=0.0", zorder=1,
        ))
    for kind in chosen:
        nodes = [n for n in shown if shown.nodes[n]["kind"] == kind]
        ax.scatter([positions[n][0] for n in nodes], [positions[n][1] for n in nodes],
                   s=36, color=KIND_COLOURS[kind], edgecolors="white", linewidths=0.6,
                   zorder=3, label=f"{kind} ({len(nodes)})")
        for node in nodes:
            x, y = positions[node]
            ax.text(x + 0.09, y, shown.nodes[node]["label"], fontsize=_LABEL_SIZE,
                    va="center", ha="left", zorder=4,
                    bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none",
                          "alpha": 0.8})
    for x, layer in zip(xs, layers, strict=True):
        ax.text(x, _ROW_INCHES * 1.5, _HEADINGS.get(shown.nodes[layer[0]]["kind"],
                                                  shown.nodes[layer[0]]["kind"] + "s").upper(),
                fontsize=8, fontweight="bold", va="bottom", ha="left",
                color=KIND_COLOURS[shown.nodes[layer[0]]["kind"]])
    handles, _ = ax.get_legend_handles_labels()
    handles += [Line2D([], [], color=c, linestyle=ls, label=text)  # type: ignore[arg-type]
                for c, ls, text in used_styles.values()]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              ncol=min(6, len(handles)), fontsize=7, frameon=False)
    ax.set_xlim(-0.3, width + 0.3)
    ax.set_ylim(-height - 0.1, _ROW_INCHES * 3)
    ax.set_title(title or f"glutegraph: {shown.number_of_nodes()} entities, "
                 f"{shown.number_of_edges()} links ({', '.join(chosen)})", fontsize=10)
    return figure


# ---------------------------------------------------------------------- evidence charts


def activation_heatmap(
    source: KnowledgeGraph | nx.Graph[str],
    *,
    muscles: Iterable[str] | None = None,
    exercises: Iterable[str] | None = None,
    max_rows: int = 150,
) -> Figure:
    """Draw exercises x muscles coloured by the highest mean %MVIC measured, studies named.

    Each cell shows the figure and the number of its study; the numbered list of studies is
    printed under the chart. ``muscles`` and ``exercises`` (labels) narrow it down; more
    than ``max_rows`` exercises raise :class:`QueryError`.

    Example:
        >>> import glutegraph as gg
        >>> fig = activation_heatmap(gg.load())
        >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
        ('muscle (EMG electrode site)', 'exercise')

    """
    import numpy as np

    graph = as_graph(source)
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for u, v, data in graph.edges(data=True):
        if data.get("relation") == "activates" and "mean_mvic" in data:
            key = (graph.nodes[u]["label"], graph.nodes[v]["label"])
            study = (data.get("source_labels") or ["source not given"])[0]
            if key not in best or data["mean_mvic"] > best[key][0]:
                best[key] = (data["mean_mvic"], study)
    wanted_muscles = set(muscles) if muscles is not None else None
    wanted_exercises = set(exercises) if exercises is not None else None
    best = {k: v for k, v in best.items()
            if (wanted_exercises is None or k[0] in wanted_exercises)
            and (wanted_muscles is None or k[1] in wanted_muscles)}
    if not best:
        raise QueryError("no EMG measurement for these exercises and muscles")
    per_muscle: dict[str, int] = defaultdict(int)
    top: dict[str, float] = {}
    for (exercise, muscle), (mean, _) in best.items():
        per_muscle[muscle] += 1
        top[exercise] = max(mean, top.get(exercise, mean))
    if len(top) > max_rows:
        raise QueryError(
            f"{len(top)} exercises is more rows than a heatmap can show (max_rows={max_rows}); "
            "pass exercises=[...] or muscles=[...]"
        )
    columns = sorted(per_muscle, key=lambda m: (-per_muscle[m], m))
    rows = sorted(top, key=lambda e: (-top[e], e))
    row_of = {e: i for i, e in enumerate(rows)}
    column_of = {m: j for j, m in enumerate(columns)}
    studies = sorted({study for _, study in best.values()})
    number_of = {study: i for i, study in enumerate(studies, start=1)}
    values = np.full((len(rows), len(columns)), np.nan)
    for (exercise, muscle), (mean, _) in best.items():
        values[row_of[exercise], column_of[muscle]] = mean

    chart_height, notes_height = 1.6 + 0.32 * len(rows), 0.3 + 0.13 * len(studies)
    figure = _pyplot_free_figure(max(7.0, 2.6 + 0.75 * len(columns)),
                                 chart_height + notes_height)
    ax, notes_ax = figure.subplots(2, 1, height_ratios=[chart_height, notes_height])
    image = ax.imshow(np.ma.masked_invalid(values), cmap="viridis", aspect="auto")
    ax.set_facecolor("#eeeeee")
    middle = float(np.nanmean(values))
    for (exercise, muscle), (mean, study) in best.items():
        ax.text(column_of[muscle], row_of[exercise], f"{mean:g}\n[{number_of[study]}]",
                ha="center", va="center", fontsize=6.5,
                color="white" if mean < middle else "black")
    ax.set_xticks(range(len(columns)), columns, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_xlabel("muscle (EMG electrode site)")
    ax.set_ylabel("exercise")
    ax.set_title("Highest mean EMG activation measured (%MVIC); [n] = study", fontsize=10)
    figure.colorbar(image, ax=ax, label="mean %MVIC", shrink=0.8)
    notes = "\n".join(f"[{i}] {study}" for i, study in enumerate(studies, start=1))
    notes_ax.set_axis_off()
    notes_ax.text(0.0, 1.0, f"Studies:\n{notes}\n%MVIC from different studies is not directly "
                  "comparable (electrodes, loads and normalisation differ).",
                  fontsize=7, va="top", ha="left", transform=notes_ax.transAxes)
    return figure


def exercise_comparison(kg: KnowledgeGraph, muscle: str, *, limit: int = 12) -> Figure:
    """Draw the exercises for one muscle ranked by mean %MVIC, with SD bars and the study.

    Example:
        >>> import glutegraph as gg
        >>> fig = exercise_comparison(gg.load(), "gluteus medius", limit=5)
        >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][0]
        'side-lying hip abduction'

    """
    ranking = [r for r in kg.exercises(target=muscle, limit=limit)
               if r.best is not None and r.best.mean_mvic is not None]
    if not ranking:
        raise QueryError(f"no EMG measurement for {muscle!r}")
    target = ranking[0].target.label if ranking[0].target else muscle
    figure = _pyplot_free_figure(8.0, 1.2 + 0.38 * len(ranking))
    ax = figure.add_subplot()
    names = [str(r.exercise.label) for r in ranking]
    means = [float(r.best.mean_mvic) for r in ranking if r.best and r.best.mean_mvic]
    errors = [float(r.best.sd_mvic) if r.best and r.best.sd_mvic is not None else 0.0
              for r in ranking]
    bars = ax.barh(names, means, color="#009E73", alpha=0.85)
    with_sd = [i for i, e in enumerate(errors) if e > 0]
    ax.errorbar([means[i] for i in with_sd], [i for i in with_sd],
                xerr=[errors[i] for i in with_sd], fmt="none", ecolor="black",
                elinewidth=0.8, capsize=2)
    ax.invert_yaxis()
    for bar, r, error in zip(bars, ranking, errors, strict=True):
        assert r.best is not None
        study = r.best.study.label if r.best.study else "source not given"
        where = f"{r.best.muscle.label}, " if r.best.muscle and r.best.muscle.label != target \
            else ""
        ax.text(bar.get_width() + error + 2, bar.get_y() + bar.get_height() / 2,
                f"{where}{study}", va="center", fontsize=7)
    ax.set_xlabel("mean EMG activation (%MVIC); bars: SD where reported")
    ax.set_title(f"Exercises for the {target}, by highest mean activation measured",
                 fontsize=10)
    ax.set_xlim(0, max(m + e for m, e in zip(means, errors, strict=True)) * 1.6)
    ax.tick_params(axis="y", labelsize=8)
    return figure

