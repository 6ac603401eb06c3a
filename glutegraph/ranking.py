"""How EMG figures rank, in every answer, chart and view: one rule, kept here.

A mean ranks above a peak (a peak is not comparable with a mean), and a figure without a
quality concern (``gg:qualityConcern``) above a flagged one; within a tier, the higher figure
first. :func:`figure_rank` gives the sort key of one figure; :func:`measurement_rank` reads it
from a :class:`~glutegraph.models.Measurement` (``kg.exercises``, ``kg.recommend``, the
anatomical picture) and :func:`edge_rank` from an "activates" edge of ``kg.to_networkx()``
(the heatmap, the HTML view's side panel).

Example:
    >>> figure_rank(222.9, None, flagged=True) < figure_rank(48.9, None, flagged=False)
    True
    >>> figure_rank(None, 103, flagged=False) < figure_rank(14.7, None, flagged=False)
    True
    >>> edge_rank({"mean_mvic": 86.8})
    (3, 86.8)

"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glutegraph.models import Measurement

__all__ = ["edge_rank", "figure_rank", "measurement_rank"]


def figure_rank(mean: float | Decimal | None, peak: float | Decimal | None, *,
                flagged: bool) -> tuple[int, float]:
    """Return the sort key of one figure (sort descending: the best first).

    Tiers: 3 a mean, 2 a peak, 1 a flagged mean, 0 a flagged peak; a figure with neither
    number gets the value -1.
    """
    tier = 0 if flagged else 2
    if mean is not None:
        return (tier + 1, float(mean))
    return (tier, float(peak) if peak is not None else -1.0)


def measurement_rank(measurement: Measurement) -> tuple[int, float]:
    """Return :func:`figure_rank` of a measurement (its mean, peak and quality concerns)."""
    return figure_rank(measurement.mean_mvic, measurement.peak_mvic,
                       flagged=bool(measurement.concerns))


def edge_rank(data: Mapping[str, object]) -> tuple[int, float]:
    """Return :func:`figure_rank` of an edge's data: ``mean_mvic``, ``peak_mvic``, a concern."""
    mean, peak = data.get("mean_mvic"), data.get("peak_mvic")
    return figure_rank(mean if isinstance(mean, float | int) else None,
                       peak if isinstance(peak, float | int) else None,
                       flagged=bool(data.get("quality_concern")))
