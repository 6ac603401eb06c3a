"""Finding entities by name: label, synonym, cross-reference (CURIE), kb: name or IRI.

The index is built once per graph from two named queries and answers in a dictionary
lookup, so a user's text never reaches SPARQL. A name that matches nothing raises
:class:`~glutegraph.errors.UnknownNameError` with the nearest labels of the wanted kind.

Example:
    >>> from glutegraph.store import open_store
    >>> index = NameIndex.build(open_store())
    >>> index.resolve("Glute Med", "muscle").label
    'gluteus medius'
    >>> index.resolve("gluteus medus", "muscle")
    Traceback (most recent call last):
    ...
    glutegraph.errors.UnknownNameError: no muscle 'gluteus medus'; did you mean 'gluteus medius'?

"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from glutegraph.errors import AmbiguousNameError, UnknownNameError
from glutegraph.guards import choice, text
from glutegraph.namespaces import GG
from glutegraph.sparql import Backend, iterate, named_query
from glutegraph.terms import curie, expand

#: The kinds a lookup can ask for, each the gg: classes it accepts.
KINDS: dict[str, tuple[str, ...]] = {
    "muscle": ("Muscle", "MuscleRegion", "MuscleGroup"),
    "action": ("JointAction",),
    "joint": ("Joint",),
    "nerve": ("Nerve", "SpinalNerveRoot"),
    "exercise": ("Exercise", "ImportedExercise"),
    "equipment": ("Equipment",),
    "difficulty": ("DifficultyLevel",),
    "condition": ("Condition",),
    "symptom": ("Symptom",),
    "treatment": ("Treatment",),
    "test": ("DiagnosticTest",),
    "study": ("Study",),
    "claim": ("Claim",),
    "position": ("HipPosition",),
    "verdict": ("Verdict",),
    "strength": ("EvidenceStrength",),
    "caution": ("ConditionCaution",),
    "progression": ("Progression",),
    "electrode": ("ElectrodeType",),
    "level": ("ActivationLevel",),
}


def normalise(name: str) -> str:
    """Return the form names are compared in: case-folded, '-' and '_' as spaces, spaces single.

    Example:
        >>> normalise("  Single-Leg_Bridge ")
        'single leg bridge'

    """
    return " ".join(name.casefold().replace("-", " ").replace("_", " ").split())


@dataclass(frozen=True)
class Match:
    """An entity found by name: its IRI, label and gg: classes (local names)."""

    iri: str
    label: str
    kinds: frozenset[str]

    @property
    def curie(self) -> str:
        """The IRI as a CURIE (``kb:gluteus_medius``)."""
        return curie(self.iri)


@dataclass
class NameIndex:
    """Names -> entities, and IRIs -> labels, for one graph."""

    labels: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, store: Backend) -> NameIndex:
        """Read every label, synonym and cross-reference in ``store``.

        ``synonyms`` keeps each entity's exact and related synonyms as written (no labels, no
        cross-references), for views that search by them.
        """
        index = cls()
        for row in iterate(store, named_query("labels")):
            index.labels.setdefault(row[0].value, row[1].value)
        gg = str(GG)
        for row in iterate(store, named_query("names")):
            entity, kind = row[0].value, row[1].value[len(gg) :]
            index.kinds.setdefault(entity, set()).add(kind)
            rank = int(row[2].value)
            index.names.setdefault(normalise(row[3].value), []).append((rank, entity))
            if rank in (1, 3) and kind != "ImportedExercise":  # see names.rq: the synonyms
                known = index.synonyms.setdefault(entity, [])
                if row[3].value not in known:
                    known.append(row[3].value)
        for entity in index.kinds:  # the kb: local name works too ("gluteus_medius")
            local = curie(entity).partition(":")[2]
            index.names.setdefault(normalise(local), []).append((4, entity))
        return index

    def label(self, iri: str) -> str | None:
        """Return the label of an IRI, or ``None``."""
        return self.labels.get(iri)

    def resolve(self, name: str, kind: str | None = None) -> Match:
        """Return the entity a name means, of the given kind (see :data:`KINDS`) or any kind.

        Raises:
            UnknownNameError: nothing matches; the message suggests the nearest names.
            AmbiguousNameError: two entities match equally well.
            InvalidArgumentError: ``name`` is not text, or ``kind`` is not one of :data:`KINDS`.

        Example:
            >>> from glutegraph.store import open_store
            >>> NameIndex.build(open_store()).resolve("UBERON:0001371").curie
            'kb:gluteus_medius'

        """
        if kind is not None:
            choice(kind, "kind", KINDS)
        wanted = set(KINDS[kind]) if kind else None
        what = kind or "entity"
        text(name, "a name (label, synonym, CURIE or IRI)")
        if not name.strip():
            raise UnknownNameError(what, name)
        full = expand(name.strip())
        if full is not None and full in self.kinds:
            if wanted is None or self.kinds[full] & wanted:
                return self._match(full)
            raise UnknownNameError(what, name, [self.labels.get(full, curie(full))])
        candidates = [
            (rank, entity)
            for rank, entity in self.names.get(normalise(name), [])
            if wanted is None or self.kinds[entity] & wanted
        ]
        if not candidates:
            raise UnknownNameError(what, name, self.suggest(name, kind))
        best = min(rank for rank, _ in candidates)
        entities = sorted({e for rank, e in candidates if rank == best})
        if len(entities) > 1:
            found = [f"{self.labels.get(e, e)} ({curie(e)})" for e in entities]
            raise AmbiguousNameError(name, found)
        return self._match(entities[0])

    def suggest(self, name: str, kind: str | None = None, n: int = 3) -> list[str]:
        """Return up to ``n`` labels close to ``name`` among entities of ``kind``.

        Example:
            >>> from glutegraph.store import open_store
            >>> NameIndex.build(open_store()).suggest("piriformis syndrom", "condition")
            ['piriformis syndrome']

        """
        wanted = set(KINDS[kind]) if kind else None
        choices: dict[str, str] = {}
        for key, entries in self.names.items():
            for _rank, entity in entries:
                if wanted is None or self.kinds[entity] & wanted:
                    choices.setdefault(key, self.labels.get(entity, curie(entity)))
        close = difflib.get_close_matches(normalise(name), list(choices), n=n * 3, cutoff=0.6)
        if not close:
            return []
        # Keep only the names nearly as close as the closest, so one clear typo gets one answer.
        score = {c: difflib.SequenceMatcher(None, normalise(name), c).ratio() for c in close}
        best = max(score.values())
        near = [c for c in close if score[c] >= best - 0.08]
        return list(dict.fromkeys(choices[c] for c in near))[:n]

    def of_kind(self, kind: str) -> list[Match]:
        """Return every entity of a kind, sorted by label."""
        wanted = set(KINDS[kind])
        found = [self._match(e) for e, k in self.kinds.items() if k & wanted]
        return sorted(found, key=lambda m: m.label.casefold())

    def _match(self, entity: str) -> Match:
        return Match(entity, self.labels.get(entity, curie(entity)), frozenset(self.kinds[entity]))
