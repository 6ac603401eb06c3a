"""A card's content, said once, and its two renderings: rich (a terminal) and plain text.

A :class:`Card` is a title, named facts and listings (tables). :func:`renderable` makes the
rich panel a terminal shows (imported only then); :func:`plain_text` writes the same content
as plain text for a pipe or a file: the facts one per name, the listings as aligned columns
under a ruled header (as ``glutegraph sparql`` prints a table), long text wrapped to the width.

Example:
    >>> card = Card("piriformis", [("nerve", "nerve to piriformis")],
    ...             [Listing("What it does", ("action", "role"),
    ...                      [("hip external rotation", "prime mover")])])
    >>> print(plain_text(card, 60))
    piriformis
    <BLANKLINE>
      nerve  nerve to piriformis
    <BLANKLINE>
    What it does
      action                 role
      ---------------------  -----------
      hip external rotation  prime mover
    <BLANKLINE>

"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from rich.console import RenderableType


class Listing(NamedTuple):
    """A titled table: its column names and its rows (text)."""

    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]


class Card(NamedTuple):
    """What a card shows: a title, named facts in order, then listings."""

    title: str
    facts: list[tuple[str, str]]
    listings: list[Listing]


def renderable(card: Card) -> RenderableType:
    """Return the card as a rich panel: the facts as a grid (names in bold), then the tables."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    from glutegraph.cards.parts import facts_grid, title

    tables = []
    for listing in card.listings:
        table = Table(*listing.columns, title=listing.title, title_justify="left")
        for row in listing.rows:
            table.add_row(*row)
        tables.append(table)
    return Panel(Group(facts_grid(dict(card.facts)), *tables), title=title(card.title),
                 title_align="left")


def plain_text(card: Card, width: int = 80) -> str:
    """Return the card as plain text at most ``width`` columns wide where words allow.

    A listing's last column (the long one: sources) wraps beside the others, or, when they
    leave it less than :data:`NARROWEST` columns, under each row, indented.
    """
    lines = [card.title, *([""] if card.facts else [])]
    name_width = max((len(name) for name, _ in card.facts), default=0)
    for name, value in card.facts:
        lines += _wrapped(f"  {name.ljust(name_width)}  ", value, width)
    for listing in card.listings:
        lines += ["", listing.title]
        if not listing.rows:
            lines.append("  (none)")
            continue
        widths = [max([len(c), *(len(r[i]) for r in listing.rows)])
                  for i, c in enumerate(listing.columns)]
        lead_width = 2 + sum(w + 2 for w in widths[:-1])  # the last column wraps in the rest
        stacked = width - lead_width < min(widths[-1], NARROWEST)
        widths[-1] = min(widths[-1], max(width - lead_width, 1))
        ruled = [listing.columns, tuple("-" * w for w in widths), *listing.rows]
        for i, row in enumerate(ruled):
            lead = "  " + "".join(cell.ljust(w) + "  " for cell, w in zip(row, widths[:-1],
                                                                        strict=False))
            if not stacked:
                lines += _wrapped(lead, row[-1], width)
            elif i == 1:  # the rule: none under the last column's name, which is below
                lines.append(lead)
            else:
                lines += [lead, *_wrapped("    ", row[-1], width)]
    return "\n".join(line.rstrip() for line in lines) + "\n"


#: The fewest columns a listing's last column wraps in beside the others.
NARROWEST = 30


def _wrapped(lead: str, text: str, width: int) -> list[str]:
    """Return ``lead`` then ``text`` wrapped to ``width``, later lines indented under it."""
    room = width - len(lead)
    if room < 20 or len(text) <= room:
        return [lead + text]
    pieces = textwrap.wrap(text, room, break_on_hyphens=False) or [""]
    return [lead + pieces[0], *(" " * len(lead) + piece for piece in pieces[1:])]
