"""Cards: an entity shown whole from its plain form, fast enough for the command line.

:class:`Entities` finds an entity by name and reads its plain form (the JSON of its model,
built without pydantic: :mod:`glutegraph.facts`) from any store: the bundled graph, a store
folder, a graph with your files, an endpoint. :func:`muscle_card` shows a muscle, region or
group as a rich panel. ``glutegraph muscle`` prints these (``--json``: the plain form), and
:func:`glutegraph.tour.muscle_view` is the same card.

Example:
    >>> from rich.console import Console
    >>> from glutegraph.store import open_store
    >>> entities = Entities.of_store(open_store())
    >>> m = entities.get("glute med", "muscle", "MuscularStructure")
    >>> console = Console(width=100, color_system=None)
    >>> with console.capture() as out:
    ...     console.print(muscle_card(entities, m))
    >>> "superior gluteal nerve: L4, L5, S1" in out.get()
    True

"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from glutegraph.cards.entities import Entities

if TYPE_CHECKING:
    from glutegraph.cards.muscle import muscle_card

__all__ = ["Entities", "muscle_card"]


def __getattr__(name: str) -> Any:
    if name == "muscle_card":  # rich loads with the card, not with the plain form (--json)
        from glutegraph.cards.muscle import muscle_card

        return muscle_card
    raise AttributeError(f"module 'glutegraph.cards' has no attribute {name!r}")
