"""Pictures of the graph with matplotlib: the layered graph, the activation heatmap, a comparison.

Every function returns a ``matplotlib.figure.Figure`` (save it with ``fig.savefig("x.png")``,
``.svg`` or ``.pdf``) and draws on the non-interactive Agg backend unless pyplot is already in
use, so it works headless and inline in Jupyter.

- :func:`draw` (from :mod:`glutegraph.layered`) lays the entities out in layers: nerve roots,
  nerves, muscles, actions, exercises, conditions and treatments, focused on the gluteal
  muscles unless told otherwise, one colour family per kind of relation, with the strength of
  the evidence in the line's width (and evidence against in red).
- :func:`activation_heatmap`: exercises x muscles, mean %MVIC, rows ranked by a target
  muscle (the gluteus maximus and its regions by default), columns in anatomical order, each
  cell's study named by a key letter listed under the chart, with n (the sample size).
- :func:`exercise_comparison`: the exercises for one muscle ranked by mean %MVIC, with SD
  error bars and mean ± SD, n and the study beside each bar.

Both charts say what they show and where the figures come from, and warn that figures from
different studies are not directly comparable.

Example:
    >>> import glutegraph as gg
    >>> fig = exercise_comparison(gg.load(), "gluteus medius", limit=3)
    >>> fig.axes[0].get_xlabel()
    'EMG activation, %MVIC (error bars: ± SD where reported)'

"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from glutegraph.errors import QueryError
from glutegraph.pictures.kit import (
    ANATOMICAL_ORDER,
    COMPARABILITY_NOTE,
    DEFAULT_KINDS,
    KIND_COLOURS,
    LAYER_ORDER,
    anatomical_key,
    as_graph,
    new_figure,
    notes_inches,
    select_kinds,
    wrap_lines,
    write_notes,
)
from glutegraph.ranking import edge_rank

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from glutegraph.graph import KnowledgeGraph

__all__ = [
    "ANATOMICAL_ORDER",
    "COMPARABILITY_NOTE",
    "DEFAULT_KINDS",
    "DEFAULT_TARGET",
    "KIND_COLOURS",
    "LAYER_ORDER",
    "activation_heatmap",
    "as_graph",
    "exercise_comparison",
    "select_kinds",
    "short_study",
]

# ---------------------------------------------------------------------- the layered graph

#: Names that moved to :mod:`glutegraph.layered`, still importable from here.
_MOVED = {"draw": "glutegraph.layered.drawing", "layered_layout": "glutegraph.layered.drawing",
          "RELATION_STYLES": "glutegraph.layered.styles",
          "OTHER_STYLE": "glutegraph.layered.styles"}


def __getattr__(name: str) -> Any:
    """Return :func:`glutegraph.layered.draw` and the other names that moved there."""
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------- evidence charts

#: The heatmap's default target: its rows are ranked by this muscle (regions included).
DEFAULT_TARGET = "gluteus maximus"

_PEAK_COLOUR = "#d9d9d9"
#: Characters of a study's name on one line of the comparison's table (longer names wrap).
_STUDY_COLUMN = 36


def _parts_note(whole: str, parts: list[str]) -> str:
    """Say which parts of ``whole`` a ranking includes ("(its upper and lower regions ...)")."""
    if not parts:
        return " (orange frame)"
    if all(part.endswith(" " + whole) for part in parts):
        named = " and ".join(part.removesuffix(" " + whole) for part in parts)
        return f" (its {named} {'region' if len(parts) == 1 else 'regions'} included; orange frame)"
    if len(parts) > 2:
        return f" (the {len(parts)} parts shown included; orange frame)"
    return f" ({' and '.join(parts)} included; orange frame)"


def _study_of(data: dict[str, object]) -> str:
    """Return the label of the study behind a measurement edge (else its first source)."""
    if data.get("study_label"):
        return str(data["study_label"])
    sources = data.get("source_labels")
    return str(sources[0]) if isinstance(sources, list) and sources else "source not given"


def _study_key(i: int) -> str:
    """Return the key letter(s) of the i-th study (0 -> A, 25 -> Z, 26 -> AA)."""
    letters = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def short_study(label: str) -> str:
    """Return a study's name for a chart, whole: its label's first part, without remarks.

    That is "Author year" where the graph knows the author; otherwise the study's title.
    Nothing is cut: a chart wraps a long name (see :func:`exercise_comparison`).

    Example:
        >>> short_study("Contreras 2015, J Appl Biomech")
        'Contreras 2015'
        >>> short_study("Gluteus medius left and right side in bodyweight exercises "
        ...             "(abstract, authors not read)")
        'Gluteus medius left and right side in bodyweight exercises'

    """
    import re

    return re.sub(r"\s*\([^()]*\)", "", label).split(", ")[0].strip() or label


def _resolve_target(source: KnowledgeGraph | nx.Graph[str], graph: nx.Graph[str],
                    target: str) -> str | None:
    """Return the node of the muscle ``target`` names (synonyms too when given the graph).

    A view of the graph without the default target (:data:`DEFAULT_TARGET`) gives None: its
    rows are then ranked by the muscles it shows.
    """
    from glutegraph.errors import UnknownNameError
    from glutegraph.network import find_node

    if not isinstance(source, nx.Graph):
        return source.muscle(target).iri
    try:
        return find_node(graph, target)  # type: ignore[arg-type]
    except UnknownNameError:
        if target == DEFAULT_TARGET:
            return None
        raise


def activation_heatmap(
    source: KnowledgeGraph | nx.Graph[str],
    *,
    muscles: Iterable[str] | None = None,
    exercises: Iterable[str] | None = None,
    max_rows: int = 150,
    target: str | None = DEFAULT_TARGET,
) -> Figure:
    """Draw exercises x muscles coloured by mean %MVIC, ranked by a target muscle, studies keyed.

    Rows are ranked by the ``target`` muscle (its regions included; ``None`` ranks by any
    muscle shown) the way ``kg.exercises(target=...)`` ranks them: the highest mean first,
    then exercises with only a peak reported, then figures with a quality concern; exercises
    with no figure for the target follow below a line, A to Z. Columns are in anatomical
    order (:data:`ANATOMICAL_ORDER`). Each cell shows the best figure one study reported, the
    study's key letter and n, the study's sample size; the study key is printed under the
    chart with the comparability warning. Cells with only a peak are grey and marked "peak"
    (peaks are not on the colour scale).

    ``muscles`` and ``exercises`` (labels) narrow it down; more than ``max_rows`` exercises
    raise :class:`QueryError`. If none of the muscles shown belongs to the target (or a view
    of the graph lacks the default target), rows are ranked by the one muscle shown, or by
    any muscle shown. ``target`` takes a muscle, region or group by name (synonyms too when
    ``source`` is the KnowledgeGraph; labels, CURIEs or IRIs in a networkx graph).

    Example:
        >>> import glutegraph as gg
        >>> fig = activation_heatmap(gg.load())
        >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
        ('muscle (EMG electrode site)', 'exercise')
        >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][:2]
        ['prone hip extension', 'barbell hip thrust']

    """
    import numpy as np
    from matplotlib.patches import Rectangle

    graph = as_graph(source)
    best: dict[tuple[str, str], dict[str, object]] = {}
    for u, v, data in graph.edges(data=True):
        if data.get("relation") != "activates" or edge_rank(data)[1] < 0:
            continue
        if (u, v) not in best or edge_rank(data) > edge_rank(best[(u, v)]):
            best[(u, v)] = data
    wanted_muscles = set(muscles) if muscles is not None else None
    wanted_exercises = set(exercises) if exercises is not None else None

    def label(node: str) -> str:
        return str(graph.nodes[node]["label"])

    best = {k: v for k, v in best.items()
            if (wanted_exercises is None or label(k[0]) in wanted_exercises)
            and (wanted_muscles is None or label(k[1]) in wanted_muscles)}
    if not best:
        raise QueryError("no EMG measurement for these exercises and muscles")
    rows_present = {exercise for exercise, _ in best}
    if len(rows_present) > max_rows:
        raise QueryError(
            f"{len(rows_present)} exercises is more rows than a heatmap can show "
            f"(max_rows={max_rows}); pass exercises=[...] or muscles=[...]"
        )
    columns = sorted({muscle for _, muscle in best}, key=lambda m: anatomical_key(graph, m))
    target_node = _resolve_target(source, graph, target) if target is not None else None
    from glutegraph.layered.focus import parts_of  # (layered imports this module)

    target_columns = set(columns) & parts_of(graph, target_node) if target_node else set()
    if not target_columns and len(columns) == 1:  # one muscle shown: rank by it
        target_node, target_columns = columns[0], {columns[0]}
    ranking_columns = target_columns or set(columns)
    rank: dict[str, tuple[int, float]] = {}
    deciding: dict[str, str] = {}  # exercise -> the column whose figure ranks it
    for (exercise, muscle), data in sorted(best.items(),
                                           key=lambda kv: anatomical_key(graph, kv[0][1])):
        if muscle in ranking_columns and edge_rank(data) > rank.get(exercise, (-1, 0.0)):
            rank[exercise], deciding[exercise] = edge_rank(data), muscle
    rows = sorted(rank, key=lambda e: (-rank[e][0], -rank[e][1], label(e)))
    unranked = sorted(rows_present - set(rank), key=label)
    rows += unranked
    row_of = {e: i for i, e in enumerate(rows)}
    column_of = {m: j for j, m in enumerate(columns)}
    studies = sorted({_study_of(d) for d in best.values()})
    key_of = {study: _study_key(i) for i, study in enumerate(studies)}
    values = np.full((len(rows), len(columns)), np.nan)
    for (exercise, muscle), data in best.items():
        if isinstance(mean := data.get("mean_mvic"), float | int):
            values[row_of[exercise], column_of[muscle]] = mean

    ranked_by = label(target_node) if target_node and target_columns else None
    parts = [label(m) for m in columns if m in target_columns and m != target_node]
    subtitle = [
        f"Rows ranked by the {ranked_by}{_parts_note(ranked_by, parts)}: the highest mean "
        "first, then peaks." if ranked_by
        else "Rows ranked by the highest mean of any muscle shown, then peaks."]
    if unranked and rank:
        subtitle.append("Below the line: exercises with no figure for "
                        + (f"the {ranked_by}." if ranked_by else "these muscles."))
    subtitle.append(f"EMG activation in %MVIC from {len(studies)} published "
                    f"{'study' if len(studies) == 1 else 'studies'} stored in glutegraph; "
                    "each cell is the highest figure one study reported.")

    # the cells' height, and the titles and column names around them (inches)
    chart_height = 0.34 * len(rows)
    names_height = 0.15 + max(len(label(m)) for m in columns) * 8.5 * 0.55 / 72 * 0.58
    around = 0.55 + 0.19 * len(subtitle) + 2 * names_height + 0.35
    # wide enough for the cells, and for the subtitle centred over the cells
    width = max(8.0, 3.6 + 0.75 * len(columns),
                3.0 + max(len(line) for line in subtitle) * 8.5 * 0.56 / 72)
    legend = ["Each cell: the figure (bold), the study's key letter, n = the study's sample "
              "size (sample size not shown when not reported)."]
    if len(ranking_columns) > 1:
        legend.append("Outlined in orange: the figure that ranks the row.")
    if any("mean_mvic" not in d for d in best.values()):
        legend.append("Grey hatched 'peak' cells: the study reported only a peak, which is not "
                      "comparable with a mean; they rank after the means.")
    if any(d.get("quality_concern") for d in best.values()):
        legend.append("! the figure carries a quality concern (see kg.measurements(...)); "
                      "flagged figures rank last.")
    key = "\n".join(f"{key_of[study]}   {study}" for study in studies)
    notes = wrap_lines([*legend, COMPARABILITY_NOTE, "",
                   f"Study key (the letter in each cell)\n{key}"], width, 7.5)
    notes_height = notes_inches(len(notes), 7.5)
    figure = new_figure(width, chart_height + around + notes_height)
    ax, notes_ax = figure.subplots(2, 1, height_ratios=[chart_height, notes_height])
    ax.set_label("heatmap")
    notes_ax.set_label("notes")
    image = ax.imshow(np.ma.masked_invalid(values), cmap="viridis", aspect="auto")
    ax.set_facecolor("#f4f4f4")
    for (exercise, muscle), data in best.items():
        row, column = row_of[exercise], column_of[muscle]
        study = _study_of(data)
        mark = " !" if data.get("quality_concern") else ""
        details = key_of[study] + (f", n={data['n']}" if "n" in data else "")
        mean = data.get("mean_mvic")
        if isinstance(mean, float | int):
            red, green, blue, _ = image.cmap(image.norm(mean))
            dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            colour = "white" if dark else "black"
            figure_text = f"{mean:g}{mark}"
        else:
            ax.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor=_PEAK_COLOUR,
                                   edgecolor="white", hatch="////", linewidth=0))
            colour, figure_text = "black", f"peak {data['peak_mvic']:g}{mark}"
        ax.text(column, row - 0.12, figure_text, ha="center", va="center", fontsize=7.5,
                color=colour, fontweight="bold")
        ax.text(column, row + 0.22, details, ha="center", va="center", fontsize=6.8,
                color=colour)
    ax.set_xticks(range(len(columns)), [label(m) for m in columns], rotation=35, ha="right",
                  fontsize=8.5)
    ax.set_yticks(range(len(rows)), [label(e) for e in rows], fontsize=8.5)
    top = ax.secondary_xaxis("top")  # the column names above a tall chart too
    top.set_xticks(range(len(columns)), [label(m) for m in columns], rotation=35, ha="left",
                   fontsize=8.5)
    top.tick_params(length=0)
    top.spines["top"].set_visible(False)
    ax.tick_params(length=0)
    ax.set_xticks(np.arange(len(columns) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("muscle (EMG electrode site)")
    ax.set_ylabel("exercise")
    if ranked_by:
        for ticks in (ax.get_xticklabels(), top.get_xticklabels()):
            for tick, muscle in zip(ticks, columns, strict=True):
                if muscle in target_columns:
                    tick.set_fontweight("bold")
        first, last = min(column_of[m] for m in target_columns), max(
            column_of[m] for m in target_columns)
        ax.add_patch(Rectangle((first - 0.5, -0.5), last - first + 1, len(rows),
                               fill=False, edgecolor="#D55E00", linewidth=2, zorder=5))
    if unranked and rank:
        ax.axhline(len(rank) - 0.5, color="black", linewidth=1.2)
    if len(ranking_columns) > 1:  # outline the figure that ranks each row
        for exercise, muscle in deciding.items():
            ax.add_patch(Rectangle((column_of[muscle] - 0.47, row_of[exercise] - 0.44), 0.94,
                                   0.88, fill=False, edgecolor="#D55E00", linewidth=1.6,
                                   zorder=4))
    figure.suptitle(
        f"Which exercises activate the {ranked_by} most?" if ranked_by
        else "Which exercises activate these muscles most?", fontsize=12, fontweight="bold")
    ax.set_title("\n".join(subtitle), fontsize=8.5, linespacing=1.4)
    figure.colorbar(image, ax=ax, label="mean %MVIC", shrink=0.6 if len(rows) > 10 else 1.0,
                    aspect=30 if len(rows) > 10 else 12)
    notes_ax.set_axis_off()
    write_notes(figure, notes_ax, notes)
    return figure


def exercise_comparison(kg: KnowledgeGraph, muscle: str, *, limit: int = 12) -> Figure:
    """Draw the exercises for one muscle ranked by mean %MVIC: bars, SD, value, n and study.

    The ranking is ``kg.exercises(target=muscle, limit=limit)``'s measured answers: the
    highest mean first, then exercises with only a peak reported (grey, hatched, marked
    "peak"), then figures with a quality concern (marked "!"). Beside each bar, a table gives
    its figure (mean ± SD, %MVIC), n (the study's sample size), the electrode site when it is
    a part of the muscle, and the study. The title says what is shown and where the figures
    come from; a note warns that figures from different studies are not directly comparable.

    Example:
        >>> import glutegraph as gg
        >>> fig = exercise_comparison(gg.load(), "gluteus medius", limit=5)
        >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][:2]
        ['exercise', 'side-lying hip abduction']
        >>> table = next(a for a in fig.axes if a.get_label() == "table")
        >>> [t.get_text().split() for t in table.get_yticklabels()][:2]
        [['mean', '±', 'SD', 'n', 'study'], ['99.9', '±', '17', '-', 'MacAskill', 'et', 'al.']]

    """
    ranking = [r for r in kg.exercises(target=muscle, limit=limit)
               if r.best is not None and (r.best.mean_mvic is not None
                                          or r.best.peak_mvic is not None)]
    if not ranking:
        raise QueryError(f"no EMG measurement for {muscle!r}")
    target = str(ranking[0].target.label if ranking[0].target else muscle)
    bests = [r.best for r in ranking if r.best is not None]
    exercise_names = [str(r.exercise.label) for r in ranking]
    is_peak = [b.mean_mvic is None for b in bests]
    values = [float(b.mean_mvic if b.mean_mvic is not None else b.peak_mvic or 0) for b in bests]
    errors = [float(b.sd_mvic) if b.sd_mvic is not None and not peak else 0.0
              for b, peak in zip(bests, is_peak, strict=True)]
    studies = [b.study.label or b.study.iri if b.study else "source not given" for b in bests]
    sites = [str(b.muscle.label) if b.muscle and b.muscle.label else target for b in bests]

    # the table beside the bars, one row per bar, in monospace columns; a long study name
    # wraps onto a second (or third) line of its row, under the study column
    cells: list[list[str]] = []
    for best, peak, error, site, study in zip(bests, is_peak, errors, sites, studies,
                                              strict=True):
        mark = " !" if best.concerns else ""
        value = (f"peak {best.peak_mvic}" if peak
                 else f"{best.mean_mvic}" + (f" ± {best.sd_mvic}" if error else "")) + mark
        cells.append([value, str(best.sample_size) if best.sample_size else "-",
                      site if site != target else "", short_study(study)])
    headings = ["mean ± SD", "n", "site" if any(c[2] for c in cells) else "", "study"]
    shown = [i for i, heading in enumerate(headings) if heading]
    names = {i: textwrap.wrap(row[3], _STUDY_COLUMN) or [""] for i, row in enumerate(cells)}
    widths = {i: max(len(row[i]) for row in [headings, *cells]) for i in shown[:-1]}
    widths[3] = max(len(part) for part in [headings[3], *(p for n in names.values() for p in n)])
    lines = ["   ".join(headings[i].rjust(widths[i]) if i == 1 else headings[i].ljust(widths[i])
                        for i in shown).rstrip()]
    indent = sum(widths[i] + 3 for i in shown[:-1])
    for r, row in enumerate(cells):
        first = "   ".join(row[i].rjust(widths[i]) if i == 1 else row[i].ljust(widths[i])
                           for i in shown[:-1])
        lines.append("\n".join([f"{first}   {names[r][0]}".rstrip(),
                                *(" " * indent + more for more in names[r][1:])]))
    tallest = max(len(n) for n in names.values())

    table_inches = max(len(part) for line in lines for part in line.split("\n")) * 8.5 * 0.6 / 72
    label_inches = max(len(name) for name in exercise_names) * 9 * 0.55 / 72
    width = min(16.0, label_inches + 4.6 + table_inches + 1.0)
    count = len(set(studies))
    notes = ["n = the study's sample size (- not reported)."]
    if any(c[2] for c in cells):
        notes.append(f"Site: the part of the {target} the figure was measured on, when it is "
                     "not the whole muscle.")
    if any(is_peak):
        notes.append("Grey hatched bars: the study reported only a peak, which is not "
                     "comparable with a mean; they rank after the means.")
    if any(best.concerns for best in bests):
        notes.append("! the figure carries a quality concern (see kg.measurements(...)); "
                     "flagged figures rank last.")
    notes += [COMPARABILITY_NOTE, "Studies: " + "; ".join(sorted(set(studies))) + "."]
    notes = wrap_lines(notes, width, 8)
    row_inches = 0.36 if tallest == 1 else 0.2 + 0.135 * tallest  # room for wrapped names
    chart_height = row_inches * (len(ranking) + 1)  # the bars' height; titles and axis: 1.4
    notes_height = notes_inches(len(notes), 8)
    figure = new_figure(width, chart_height + 1.4 + notes_height)
    ax, notes_ax = figure.subplots(2, 1, height_ratios=[chart_height, notes_height])
    ax.set_label("bars")
    notes_ax.set_label("notes")
    rows = list(range(len(ranking)))
    bars = ax.barh(rows, values, height=0.68,
                   color=[_PEAK_COLOUR if peak else "#009E73" for peak in is_peak],
                   edgecolor=["#777777" if peak else "none" for peak in is_peak])
    for bar, peak in zip(bars, is_peak, strict=True):
        if peak:
            bar.set_hatch("////")
    if any(is_peak) and not all(is_peak):
        ax.axhline(is_peak.index(True) - 0.5, color="#777777", linewidth=0.8, linestyle="--")
    with_sd = [i for i, e in enumerate(errors) if e > 0]
    ax.errorbar([values[i] for i in with_sd], with_sd, xerr=[errors[i] for i in with_sd],
                fmt="none", ecolor="black", elinewidth=0.9, capsize=3)
    ax.set_ylim(len(ranking) - 0.5, -1.5)  # top to bottom, with a heading row on top
    ax.set_yticks([-1, *rows], ["exercise", *exercise_names], fontsize=9)
    ax.get_yticklabels()[0].set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    top = max(v + e for v, e in zip(values, errors, strict=True))
    ax.set_xlim(0, top * 1.06)
    ax.xaxis.grid(True, color="#e5e5e5")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("EMG activation, %MVIC (error bars: ± SD where reported)", fontsize=9)

    table = ax.twinx()
    table.set_label("table")
    table.set_ylim(ax.get_ylim())
    table.set_yticks([-1, *rows], lines, fontsize=8.5, family="monospace")
    table.get_yticklabels()[0].set_fontweight("bold")
    table.tick_params(axis="y", length=0, pad=10)
    table.spines[["top", "right"]].set_visible(False)

    figure.suptitle(f"Which exercises activate the {target} most?", fontsize=12,
                    fontweight="bold")
    ax.set_title(
        f"The highest mean EMG activation measured for each exercise, in %MVIC: one study's "
        f"figure per bar,\nfrom {count} published {'study' if count == 1 else 'studies'} "
        "stored in glutegraph", fontsize=9)
    notes_ax.set_axis_off()
    write_notes(figure, notes_ax, notes, fontsize=8)
    return figure
