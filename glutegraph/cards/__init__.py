"""Cards: an entity shown whole from its plain form, fast enough for the command line.

:class:`Entities` finds an entity by name and reads its plain form (the JSON of its model,
built without pydantic: :mod:`glutegraph.facts`) from any store: the bundled graph, a store
folder, a graph with your files, an endpoint. :func:`muscle_card` says what a muscle's card
holds (:class:`Card`); :func:`renderable` draws a card with rich for a terminal and
:func:`plain_text` writes it for a pipe or a file. ``glutegraph muscle`` prints these
(``--json``: the plain form), and :func:`glutegraph.tour.muscle_view` is the same card.

Example:
    >>> from glutegraph.store import open_store
    >>> entities = Entities.of_store(open_store())
    >>> card = muscle_card(entities, entities.get("glute med", "muscle", "MuscularStructure"))
    >>> "superior gluteal nerve: L4, L5, S1" in plain_text(card)
    True

"""

from __future__ import annotations

from glutegraph.cards.entities import Entities
from glutegraph.cards.layout import Card, Listing, plain_text, renderable
from glutegraph.cards.muscle import muscle_card

__all__ = ["Card", "Entities", "Listing", "muscle_card", "plain_text", "renderable"]
