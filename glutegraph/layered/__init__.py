"""The layered picture of the graph: nerves, muscles, actions, exercises, conditions, treatments.

- :func:`~glutegraph.layered.drawing.draw` (``gg.draw``) draws it with matplotlib, focused on
  the gluteal muscles by default (``focus=None`` draws the whole graph);
- :mod:`~glutegraph.layered.focus` chooses what a focused picture shows and counts it;
- :mod:`~glutegraph.layered.links` merges the graph's edges into the lines drawn;
- :mod:`~glutegraph.layered.layout` orders the nodes anatomically with few crossings;
- :mod:`~glutegraph.layered.styles` gives each kind of relation its colour family and codes
  the strength of evidence.

Example:
    >>> import glutegraph as gg
    >>> from glutegraph.layered import draw
    >>> fig = draw(gg.load(), focus="gluteus medius", top=2)
    >>> "superior gluteal nerve" in [t.get_text() for t in fig.axes[0].texts]
    True

"""

from glutegraph.layered.drawing import AUTO, draw, layered_layout
from glutegraph.layered.focus import DEFAULT_FOCUS

__all__ = ["AUTO", "DEFAULT_FOCUS", "draw", "layered_layout"]
