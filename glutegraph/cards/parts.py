"""The pieces the cards and the tour's views are made of: a grid of facts, a title, names.

Example:
    >>> names([{"iri": "kb:a", "label": "gluteus medius"}, None, {"iri": "kb:b", "label": None}])
    'gluteus medius, kb:b'

"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.table import Table
from rich.text import Text


def facts_grid(rows: dict[str, str]) -> Table:
    """Return a two-column grid of named facts, names in bold."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for name, value in rows.items():
        grid.add_row(name, value)
    return grid


def title(text: str) -> Text:
    """Return a card's title: bold cyan."""
    return Text(text, style="bold cyan")


def names(refs: Iterable[Mapping[str, Any] | None]) -> str:
    """Join plain links (``{"iri", "label"}``) by their labels, with ", "; "-" for none."""
    return ", ".join(r["label"] or r["iri"] for r in refs if r is not None) or "-"
