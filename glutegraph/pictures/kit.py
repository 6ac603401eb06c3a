"""What every picture shares: the kinds and their colours, figures that need no pyplot, notes.

The charts (:mod:`glutegraph.figures`), the layered graph (:mod:`glutegraph.layered`), the
anatomical pictures (:mod:`glutegraph.pictures.anatomy`) and the HTML view
(:mod:`glutegraph.html`) all draw with these, so none of them imports another for them.

Example:
    >>> KIND_COLOURS["muscle"], DEFAULT_KINDS[:2]
    ('#D55E00', ('nerve', 'muscle'))
    >>> wrap_lines(["a few words to wrap"], width=1.2, fontsize=8)
    ['a few words to', 'wrap']

"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Literal

import networkx as nx

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from glutegraph.graph import KnowledgeGraph

__all__ = [
    "ANATOMICAL_ORDER",
    "COMPARABILITY_NOTE",
    "DEFAULT_KINDS",
    "KIND_COLOURS",
    "LAYER_ORDER",
    "anatomical_key",
    "as_graph",
    "new_figure",
    "notes_inches",
    "select_kinds",
    "wrap_lines",
    "write_notes",
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

#: The kinds :func:`glutegraph.draw` shows unless told otherwise.
DEFAULT_KINDS: tuple[str, ...] = ("nerve", "muscle", "action", "exercise", "condition",
                                  "treatment")


def new_figure(width: float, height: float,
               layout: Literal["constrained"] | None = "constrained") -> Figure:
    """Return a Figure on the Agg canvas, without touching pyplot's global state.

    It shows itself in Jupyter (as PNG) although pyplot's inline backend never saw it.
    ``layout=None`` leaves the axes where they are put (the layered picture measures in
    inches).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = _inline_figure_class()(figsize=(width, height), layout=layout)
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


#: The muscles in anatomical order, as the heatmap's columns read left to right: the gluteus
#: maximus and its regions, the gluteus medius and its regions, the minimus, the TFL, the deep
#: rotators, then the neighbours (hamstrings, quadriceps, adductors, hip flexor, back, calf).
#: Local names in the ``kb:`` namespace; a muscle not listed follows the muscle it is part of.
ANATOMICAL_ORDER: tuple[str, ...] = (
    "gluteal_muscles",
    "gluteus_maximus", "gluteus_maximus_upper", "gluteus_maximus_lower",
    "gluteus_medius", "gluteus_medius_anterior", "gluteus_medius_posterior",
    "gluteus_minimus", "tensor_fasciae_latae",
    "deep_external_rotators", "piriformis", "superior_gemellus", "obturator_internus",
    "inferior_gemellus", "quadratus_femoris", "obturator_externus",
    "hamstrings", "biceps_femoris", "semitendinosus", "semimembranosus",
    "quadriceps_femoris", "rectus_femoris", "vastus_lateralis", "vastus_medialis",
    "hip_adductors", "adductor_magnus", "adductor_longus",
    "iliopsoas",
    "erector_spinae", "iliocostalis", "longissimus", "spinalis",
    "gastrocnemius",
)

#: The warning both charts print under their figures.
COMPARABILITY_NOTE = (
    "Figures from different studies are not directly comparable: electrode sites, "
    "normalisation (the MVIC test), loads and participants differ. Compare figures from the "
    "same study with the most confidence."
)


def wrap_lines(paragraphs: list[str], width: float, fontsize: float) -> list[str]:
    """Return the lines of ``paragraphs`` wrapped to ``width`` inches of text at ``fontsize``."""
    chars = int((width - 0.3) / (fontsize * 0.55 / 72))
    return [line for paragraph in paragraphs for text in paragraph.split("\n")
            for line in (textwrap.wrap(text, chars) or [""])]


def notes_inches(lines: int, fontsize: float) -> float:
    """Return the height that ``lines`` lines of notes take at ``fontsize`` (inches)."""
    return 0.2 + lines * fontsize * 1.45 / 72


def write_notes(figure: Figure, ax: Axes, lines: list[str], fontsize: float = 7.5) -> None:
    """Write notes (wrapped by :func:`wrap_lines`) at the top of ``ax``, from the left edge.

    The notes stay out of the layout, so a long line never squeezes the chart above.
    """
    from matplotlib.transforms import blended_transform_factory

    note = ax.text(0.1 / figure.get_figwidth(), 1.0, "\n".join(lines), fontsize=fontsize,
                   va="top", ha="left", linespacing=1.35,
                   transform=blended_transform_factory(figure.transFigure, ax.transAxes))
    note.set_in_layout(False)


def anatomical_key(graph: nx.Graph[str], node: str) -> tuple[float, str]:
    """Sort key of a muscle in anatomical order (:data:`ANATOMICAL_ORDER`, the heatmap's)."""
    from glutegraph.namespaces import KB

    order = {str(KB) + local: i for i, local in enumerate(ANATOMICAL_ORDER)}
    label = str(graph.nodes[node]["label"])
    if node in order:
        return (order[node], label)
    wholes = [w for _, w, d in graph.out_edges(node, data=True)  # type: ignore[attr-defined]
              if d.get("relation") == "gg:partOf" and w in order]
    if wholes:
        return (min(order[w] for w in wholes) + 0.5, label)
    return (len(order), label)
