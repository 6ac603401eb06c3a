"""The hip muscles drawn as shapes, each shaded by its EMG activation (%MVIC) in an exercise.

:func:`anatomy_figure` draws a posterior view (the superficial layer on the patient's left,
the deep layer on the right: gluteus maximus removed, medius cut to show the minimus and the
piriformis and other deep rotators) and a lateral view of the right hip (tensor fasciae latae,
medius, maximus, vastus lateralis, biceps femoris; the minimus as a dashed outline under the
medius). Each muscle is shaded by the figure :func:`muscle_figures` picks for it: the best
figure the graph holds for that exercise and muscle (its regions included), ranked as
``kg.exercises`` ranks figures (:mod:`glutegraph.ranking`). A muscle without a figure is grey,
hatched and labelled "no figure"; a figure that is only a peak is grey and dotted (a peak is
not comparable with a mean). The studies behind the figures are keyed by letter under the
picture, with n; two exercises are drawn side by side on one colour scale.

Example:
    >>> import glutegraph as gg
    >>> fig = anatomy_figure(gg.load(), "hip thrust", compare_with="back squat")
    >>> [ax.get_label() for ax in fig.axes][:2]
    ['posterior: barbell hip thrust', 'posterior: back squat']

"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from glutegraph.errors import InvalidArgumentError, UnknownNameError
from glutegraph.pictures.shapes import (
    BANDS,
    BONES,
    BONES_FRONT,
    LANDMARK_NAMES,
    LATERAL,
    LATERAL_BANDS,
    LATERAL_BONES,
    MUSCLES,
    POSTERIOR,
    Bone,
    Drawn,
    Muscle,
    outline,
)
from glutegraph.ranking import measurement_rank

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap, Normalize
    from matplotlib.figure import Figure

    from glutegraph.graph import KnowledgeGraph
    from glutegraph.models import Measurement, Ref

__all__ = ["COLOURMAP", "NO_FIGURE", "VIEWS", "Shade", "anatomy_figure", "muscle_figures"]

#: The views :func:`anatomy_figure` draws.
VIEWS = ("posterior", "lateral", "both")
#: The colour map of %MVIC (pale: little activation, dark red: much).
COLOURMAP = "YlOrRd"
#: The face colour of a muscle with no figure (drawn hatched).
NO_FIGURE = "#eeeeee"
_PEAK = "#d9d9d9"
_EDGE = "#5b2a1c"
_BONE = {"bone": ("#ededed", "#a9a9a9"), "femur": ("#e1e1e1", "#9c9c9c"),
         "foramen": ("#ffffff", "#c8c8c8"),
         "band": ("#f4f4f4", "#c4c4c4"), "skin": ("none", "#cfcfcf")}
_LIMITS = {"posterior": ((-22.0, 22.0), (-16.6, 13.6)),
           "lateral": ((-19.0, 17.0), (-16.6, 13.6))}
_INCHES_PER_UNIT = 0.165


@dataclass(frozen=True)
class Shade:
    """The figure that shades one muscle: the measurement (None: no figure) and a note.

    ``note`` says when the figure was measured on the whole muscle or the group rather than
    the part drawn ("figure for the whole muscle").
    """

    muscle: Muscle
    measurement: Measurement | None = None
    note: str = ""

    @property
    def mean(self) -> float | None:
        """The mean %MVIC that sets the colour, or None (no figure, or only a peak)."""
        m = self.measurement
        return float(m.mean_mvic) if m is not None and m.mean_mvic is not None else None

    @property
    def peak(self) -> float | None:
        """The peak %MVIC when the study reported only a peak."""
        m = self.measurement
        if m is None or m.mean_mvic is not None or m.peak_mvic is None:
            return None
        return float(m.peak_mvic)

    @property
    def study(self) -> str | None:
        """The label of the study behind the figure."""
        m = self.measurement
        if m is None:
            return None
        if m.study is not None:
            return m.study.label or m.study.iri
        return m.sources[0].label or m.sources[0].iri if m.sources else "source not given"


def muscle_figures(kg: KnowledgeGraph, exercise: str) -> tuple[Ref, dict[str, Shade],
                                                                list[Measurement]]:
    """Return the exercise, the figure shading each muscle of the picture, and every figure.

    For each muscle of :data:`~glutegraph.pictures.shapes.MUSCLES`, the best of
    ``kg.measurements(exercise=..., muscle=...)`` over its sources (regions included), ranked
    by :func:`~glutegraph.ranking.measurement_rank` as ``kg.exercises`` ranks them; failing
    that, a figure measured on its fallback (the whole gluteus maximus for its regions, the
    hamstrings group for the biceps femoris).

    Raises:
        UnknownNameError: no exercise of that name (with suggestions).

    Example:
        >>> import glutegraph as gg
        >>> ref, shades, _ = muscle_figures(gg.load(), "hip thrust")
        >>> ref.label, shades["gluteus_maximus_lower"].mean, shades["piriformis"].measurement
        ('barbell hip thrust', 86.8, None)

    """
    from glutegraph.namespaces import KB

    ref = kg.resolve(exercise, "exercise")

    def measured(local: str) -> list[Measurement]:
        try:
            return list(kg.measurements(exercise=ref.iri, muscle=str(KB) + local))
        except UnknownNameError:  # a graph without this muscle: no figure for it
            return []

    shades: dict[str, Shade] = {}
    for muscle in MUSCLES.values():
        found = [m for local in muscle.sources for m in measured(local)]
        note = ""
        if not found and muscle.fallback:
            whole = str(KB) + muscle.fallback
            found = [m for m in measured(muscle.fallback)
                     if m.muscle is not None and m.muscle.iri == whole]
            note = muscle.fallback_note if found else ""
        best = max(found, key=measurement_rank, default=None)
        shades[muscle.key] = Shade(muscle, best, note)
    return ref, shades, list(kg.measurements(exercise=ref.iri))


def anatomy_figure(
    kg: KnowledgeGraph,
    exercise: str,
    compare_with: str | None = None,
    *,
    view: str = "both",
) -> Figure:
    """Draw the hip muscles shaded by %MVIC in an exercise (or two, side by side).

    Args:
        kg: the knowledge graph.
        exercise: an exercise by name or synonym ("hip thrust").
        compare_with: a second exercise, drawn beside the first on the same colour scale.
        view: "posterior", "lateral" or "both".

    Raises:
        UnknownNameError: no exercise of that name (with suggestions).
        InvalidArgumentError: ``view`` is not one of :data:`VIEWS`.

    Each muscle is labelled with its name and figure and the key letter of its study; the
    studies are listed under the picture with n (the sample size). Figures measured on a
    muscle that the views do not draw (the vastus lateralis in the posterior view) are listed
    there too.

    Example:
        >>> import glutegraph as gg
        >>> fig = anatomy_figure(gg.load(), "side-lying hip abduction", view="lateral")
        >>> fig.axes[0].get_label()
        'lateral: side-lying hip abduction'

    """
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    from glutegraph.pictures.kit import (
        COMPARABILITY_NOTE,
        new_figure,
        notes_inches,
        wrap_lines,
        write_notes,
    )

    if not isinstance(view, str) or view not in VIEWS:
        raise InvalidArgumentError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    views = ["posterior", "lateral"] if view == "both" else [view]
    answers = [muscle_figures(kg, name) for name in (exercise, compare_with) if name is not None]
    drawn_keys = {d.key for v in views for d in _shapes(v)}
    highest = max((s.mean for _, shades, _ in answers for key, s in shades.items()
                   if key in drawn_keys and s.mean is not None), default=0.0)
    norm = Normalize(0.0, max(100.0, math.ceil(highest / 10) * 10))
    cmap = colormaps[COLOURMAP]

    # the studies of the figures shown, keyed A, B, ... across both exercises
    studies: dict[str, set[int]] = {}
    for _, shades, _ in answers:
        for key, shade in shades.items():
            if key in drawn_keys and shade.study is not None:
                sizes = studies.setdefault(shade.study, set())
                if shade.measurement is not None and shade.measurement.sample_size:
                    sizes.add(shade.measurement.sample_size)
    letters = {study: chr(ord("A") + i) if i < 26 else f"A{i - 25}"
               for i, study in enumerate(sorted(studies))}

    notes = _legend(answers, drawn_keys, letters, studies, views)
    if len(studies) > 1:
        notes.append(COMPARABILITY_NOTE)
    columns = len(answers)
    panel_widths = [_LIMITS[v][0][1] - _LIMITS[v][0][0] for v in views]
    panel_height = (_LIMITS["posterior"][1][1] - _LIMITS["posterior"][1][0]) * _INCHES_PER_UNIT
    width = max(panel_widths) * _INCHES_PER_UNIT * columns + 1.8
    wrapped = wrap_lines(notes, width, 8)
    notes_height = notes_inches(len(wrapped), 8)
    figure = new_figure(width, panel_height * len(views) + 1.0 + notes_height)
    grid = figure.add_gridspec(len(views) + 1, columns,
                               height_ratios=[panel_height] * len(views) + [notes_height])
    panels: list[Axes] = []
    for row, name in enumerate(views):
        for column, (ref, shades, _) in enumerate(answers):
            ax = figure.add_subplot(grid[row, column])
            ax.set_label(f"{name}: {ref.label}")
            _draw_view(ax, name, shades, letters, norm, cmap)
            ax.set_title(f"{ref.label}: {name} view" + (" of the right hip" if name == "lateral"
                                                        else ""),
                         fontsize=10, fontweight="bold")
            panels.append(ax)
    notes_ax = figure.add_subplot(grid[len(views), :])
    notes_ax.set_label("notes")
    notes_ax.set_axis_off()
    write_notes(figure, notes_ax, wrapped, fontsize=8)
    bar = figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=panels, shrink=0.55,
                          aspect=25, pad=0.01)
    bar.set_label("mean EMG activation, %MVIC", fontsize=9)
    names = [str(ref.label) for ref, _, _ in answers]
    figure.suptitle(f"Which hip muscles does the {names[0]} activate?" if columns == 1
                    else f"Which hip muscles do the {names[0]} and the {names[1]} activate?",
                    fontsize=13, fontweight="bold")
    return figure


def _shapes(view: str) -> tuple[Drawn, ...]:
    return POSTERIOR if view == "posterior" else LATERAL


def _legend(answers: list[tuple[Ref, dict[str, Shade], list[Measurement]]],
            drawn: set[str], letters: dict[str, str], studies: dict[str, set[int]],
            views: list[str]) -> list[str]:
    """Return the notes under the picture: how to read it, the studies, figures not drawn."""
    shown = [s for _, shades, _ in answers for k, s in shades.items() if k in drawn]
    notes = ["Each muscle is shaded by the highest mean %MVIC one study reported for the "
             "exercise (ranked as kg.exercises ranks figures: means before peaks, figures with "
             "a quality concern last); the letter names the study. Grey hatched: no figure "
             "in glutegraph for that muscle and exercise."]
    if any(s.peak is not None for s in shown):
        notes.append("Grey dotted: the study reported only a peak, which is not comparable "
                     "with a mean (not on the colour scale).")
    if any(s.measurement is not None and s.measurement.concerns for s in shown):
        notes.append("! the figure carries a quality concern (see kg.measurements(...)).")
    if any(s.note for s in shown):
        notes.append("'figure for the whole ...': the study measured the whole muscle or "
                     "group, not the part drawn.")
    key = "; ".join(
        f"{letters[study]} = {study}"
        + (f" (n = {'/'.join(str(n) for n in sorted(sizes))})" if sizes else " (n not reported)")
        for study, sizes in sorted(studies.items(), key=lambda kv: letters[kv[0]]))
    notes.append(f"Studies: {key}." if key else "No figure in glutegraph for these muscles.")
    for ref, shades, every in answers:
        used = {s.measurement.iri for k, s in shades.items() if k in drawn and s.measurement}
        drawn_sites = {m.muscle.iri for m in every if m.iri in used and m.muscle}
        sites: dict[str, Measurement] = {}
        for m in every:
            site = m.muscle.label if m.muscle and m.muscle.label else None
            if site is None or m.muscle is None or m.muscle.iri in drawn_sites:
                continue  # a figure of this site is drawn (the best one)
            if site not in sites or measurement_rank(m) > measurement_rank(sites[site]):
                sites[site] = m
        if sites:
            listed = "; ".join(f"{site} {_figure_text(m)} ({m.study.label if m.study else '?'})"
                               for site, m in sorted(sites.items()))
            notes.append(f"Also measured in the {ref.label}, not drawn in the "
                         f"{' or '.join(views)} view: {listed}.")
    return notes


def _figure_text(m: Measurement) -> str:
    if m.mean_mvic is not None:
        return f"{m.mean_mvic:g} %MVIC" + (" !" if m.concerns else "")
    return f"peak {m.peak_mvic:g} %MVIC" if m.peak_mvic is not None else "no figure"


def _draw_view(ax: Axes, view: str, shades: dict[str, Shade], letters: dict[str, str],
               norm: Normalize, cmap: Colormap) -> None:
    """Draw one view: landmarks, muscles shaded by their figures, labels with leaders."""
    ax.set_aspect("equal")
    ax.set_axis_off()
    (x0, x1), (y0, y1) = _LIMITS[view]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    if view == "posterior":
        for bone in BONES:
            _draw_bone(ax, bone, 1.0)
        for bone in BONES_FRONT:
            _draw_bone(ax, bone, 3.0)
        for bone in BANDS:
            _draw_bone(ax, bone, 4.0025)  # over the hamstrings, under the glutes
        ax.text(-1.0, 12.6, "left: superficial layer", ha="right", va="bottom",
                fontsize=8, color="#444444", style="italic")
        ax.text(1.0, 12.6, "right: deep layer (maximus removed, medius cut)", ha="left",
                va="bottom", fontsize=8, color="#444444", style="italic")
        ax.axvline(0.0, ymin=0.02, ymax=0.9, color="#bbbbbb", linewidth=0.6, linestyle=":",
                   zorder=0.5)
    else:
        for bone in LATERAL_BONES:
            _draw_bone(ax, bone, 1.0)
        for bone in LATERAL_BANDS:
            _draw_bone(ax, bone, 4.0015)  # over the thigh, under the hip muscles
        ax.text(x1 - 0.5, y0 + 0.3, "anterior →", ha="right", va="bottom", fontsize=7.5,
                color="#777777")
        ax.text(x0 + 0.5, y0 + 0.3, "← posterior", ha="left", va="bottom", fontsize=7.5,
                color="#777777")
    for text, x, y in LANDMARK_NAMES[view]:
        ax.text(x, y, text, ha="center", va="center", fontsize=6.5, color="#8a8a8a",
                style="italic", zorder=8)
    shapes = _shapes(view)
    for order, drawn in enumerate(shapes):
        z = (2.0 if drawn.layer == "deep" else 4.0) + order * 0.001
        _draw_muscle(ax, drawn, shades[drawn.key], norm, cmap, z, letters)


def _draw_bone(ax: Axes, bone: Bone, z: float) -> None:
    from matplotlib.patches import PathPatch

    face, edge = _BONE[bone.style if bone.style in _BONE else "bone"]
    patch = PathPatch(outline(bone.edges, closed=bone.closed), facecolor=face,
                      edgecolor=edge, linewidth=1.2 if bone.style == "skin" else 0.8,
                      fill=bone.closed and face != "none", zorder=z,
                      alpha=0.9 if bone.style == "band" else 1.0)
    patch.set_gid(f"landmark:{bone.name}")
    ax.add_patch(patch)


def _draw_muscle(ax: Axes, drawn: Drawn, shade: Shade, norm: Normalize, cmap: Colormap,
                 z: float, letters: dict[str, str]) -> None:
    """Draw one muscle shape with its fibres, shaded by its figure, and its label."""
    import numpy as np
    from matplotlib.patches import PathPatch

    path = outline(drawn.edges)
    face: str | tuple[float, float, float, float]
    if shade.mean is not None:
        face, hatch, edge = cmap(norm(shade.mean)), None, _EDGE
    elif shade.peak is not None:
        face, hatch, edge = _PEAK, "...", "#777777"
    else:
        face, hatch, edge = NO_FIGURE, "////", "#9a9a9a"
    if drawn.outline_only:  # under another muscle: its outline, dashed, over it
        patch = PathPatch(path, fill=False, edgecolor="#333333", linewidth=1.3,
                          linestyle=(0, (3, 2)), zorder=6)
        patch.set_gid(f"outline:{drawn.key}")
        ax.add_patch(patch)
    else:
        patch = PathPatch(path, facecolor=face, edgecolor=edge, linewidth=0.9, hatch=hatch,
                          zorder=z)
        patch.set_gid(drawn.key)
        ax.add_patch(patch)
        (a, b, c, d) = (np.array(p) for p in drawn.fibres)
        dark = shade.mean is not None and norm(shade.mean) > 0.55
        for t in np.linspace(0.06, 0.94, 11):
            start, end = a + (b - a) * t, c + (d - c) * t
            fibre, = ax.plot([start[0], end[0]], [start[1], end[1]], linewidth=0.55,
                             color="white" if dark else _EDGE, alpha=0.35, zorder=z + 0.0005)
            fibre.set_clip_path(patch)
    name = drawn.name or shade.muscle.label
    if shade.measurement is None:
        value = "no figure"
    else:
        value = f"{_figure_text(shade.measurement)} ({letters.get(shade.study or '', '?')})"
        if shade.note:
            value += f"\n{shade.note}"
    x, y = drawn.label_at
    ha = "center" if abs(x - drawn.anchor[0]) < 1.0 else ("right" if x < drawn.anchor[0]
                                                          else "left")
    label = ax.annotate(
        f"{name}\n{value}", xy=drawn.anchor, xytext=(x, y), ha=ha,
        va="bottom" if ha == "center" else "center", fontsize=7.5, zorder=9,
        linespacing=1.25,
        arrowprops={"arrowstyle": "-", "color": "#444444", "linewidth": 0.6,
                    "shrinkA": 2, "shrinkB": 0},
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
    label.set_gid(f"label:{drawn.key}")
    ax.plot(*drawn.anchor, "o", markersize=2.2, color="#222222", zorder=9)

