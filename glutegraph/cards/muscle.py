"""The muscle card: what a muscle (or region or group) is, where it sits, its nerves, actions.

Example:
    >>> from glutegraph.store import open_store
    >>> from glutegraph.cards.entities import Entities
    >>> entities = Entities.of_store(open_store())
    >>> roots(entities, entities.get("upper glutes", "muscle", "MuscularStructure"))
    'inferior gluteal nerve: L5, S1, S2 (that of the gluteus maximus)'

"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from glutegraph.cards.entities import names
from glutegraph.cards.layout import Card, Listing

if TYPE_CHECKING:
    from glutegraph.cards.entities import Entities


def muscle_card(entities: Entities, m: Mapping[str, Any]) -> Card:
    """Return the card of a muscle's plain form ``m``: facts, nerves and roots, its actions."""
    facts = [
        ("what", m["definition"] or "-"),
        ("also called", ", ".join(m["synonyms"]) or "-"),
        ("identifiers", ", ".join(m["xrefs"]) or "-"),
        ("part of / parts", f"{names(m['part_of'])} / {names(m['parts'])}"),
        ("innervated by", names(m["innervated_by"])),
        ("nerve roots", roots(entities, m)),
        ("origin -> insertion", f"{names(m['origins'])} -> {names(m['insertions'])}"),
    ]
    actions = [(names([c["action"]]), names([c["role"]]), names(c["hip_positions"]),
                names(c["sources"]))
               for c in sorted(m["actions"], key=lambda c: (_label(c["role"]),
                                                            _label(c["action"])))]
    return Card(m["label"] or m["iri"], facts,
                [Listing("What it does", ("action", "role", "hip position", "sources"),
                         actions)])


def roots(entities: Entities, m: Mapping[str, Any]) -> str:
    """Return each nerve's spinal roots ("inferior gluteal nerve: L5, S1, S2").

    A region without nerves of its own (upper gluteus maximus) shows its muscle's.
    """
    nerves = m["innervated_by"] or [
        n for parent in m["part_of"]
        for n in entities.get(parent["iri"], "muscle", "MuscularStructure")["innervated_by"]]
    lines = []
    for ref in nerves:
        nerve = entities.get(ref["iri"], "nerve", "Nerve")
        found = sorted((r["label"] or r["iri"]).removesuffix(" spinal nerve root")
                       for r in nerve["spinal_roots"])
        lines.append(f"{ref['label'] or ref['iri']}: {', '.join(found) or 'not stored'}")
    inherited = ("" if m["innervated_by"] or not lines
                 else f" (that of the {names(m['part_of'])})")
    return "; ".join(lines) + inherited or "-"


def _label(ref: Mapping[str, Any] | None) -> str:
    return (ref["label"] or "") if ref else ""
