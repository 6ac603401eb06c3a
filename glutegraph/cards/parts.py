"""The rich pieces the cards and the tour's views are made of: a grid of facts, a title.

Example:
    >>> facts_grid({"what": "a muscle"}).row_count, title("piriformis").plain
    (1, 'piriformis')

"""

from __future__ import annotations

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
