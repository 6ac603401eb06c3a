"""Finding entities by name: label, synonym, cross-reference (CURIE), kb: name or IRI.

Nothing is read when a graph opens: each part of the index is read from the store the first
time it is needed, and kept. An on-disk store keeps every name's normalised form (see
:func:`normalise`) in the named graph :data:`KEYS_GRAPH`, written with the data
(:func:`index_names`, :func:`key_quads`), so a name is found by an index lookup of its
normalised form and one query about the few entities that have it. Elsewhere (an in-memory
graph, an endpoint, a store glutegraph did not fill) a name is looked up among the names of
the kind asked for (the muscles, the exercises, ...), read once per kind with one query. An
IRI or CURIE is checked with one query about that entity; labels are read one IRI at a time
(an index lookup on the embedded store) or, from an endpoint, in one query per answer
(:meth:`Labels.fetch`). A user's text never reaches SPARQL: names are compared in Python. A
name that matches nothing raises :class:`~glutegraph.errors.UnknownNameError` with the
nearest labels of the wanted kind, found through a trigram index of that kind's names.

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

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import pyoxigraph as ox

from glutegraph.errors import AmbiguousNameError, UnknownNameError
from glutegraph.guards import choice, text
from glutegraph.namespaces import GG, PREFIXES
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


class Match(NamedTuple):
    """An entity found by name: its IRI, label and gg: classes (local names)."""

    iri: str
    label: str
    kinds: frozenset[str]

    @property
    def curie(self) -> str:
        """The IRI as a CURIE (``kb:gluteus_medius``)."""
        return curie(self.iri)


#: The named graph of the name keys: ``<entity> <urn:glutegraph:nameKey> "normalised name"``.
KEYS_GRAPH = ox.NamedNode("urn:glutegraph:names")
_KEY = ox.NamedNode("urn:glutegraph:nameKey")
#: Present when every name of the store is in :data:`KEYS_GRAPH`.
_KEYED = ox.Quad(ox.NamedNode("urn:glutegraph:store"), ox.NamedNode("urn:glutegraph:namesKeyed"),
                 ox.Literal("1"), KEYS_GRAPH)
#: The predicates an entity is named by (see names.rq).
NAME_PREDICATES = tuple(ox.NamedNode(PREFIXES[p] + local) for p, local in (
    ("rdfs", "label"), ("oboInOwl", "hasExactSynonym"), ("oboInOwl", "hasDbXref"),
    ("oboInOwl", "hasRelatedSynonym"), ("skos", "altLabel")))


def key_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Return the name keys of the names among ``quads``, for :data:`KEYS_GRAPH`.

    Each name's normalised form, and each named IRI's local name (``gluteus medius`` for
    ``kb:gluteus_medius``). A superset of what can be looked up: which of these entities count
    (a gg: class, the kind) is checked when a name is looked up.

    Example:
        >>> q = ox.Quad(ox.NamedNode("https://w3id.org/glutegraph/kb/x_y"), NAME_PREDICATES[0],
        ...             ox.Literal("Glute  Med"))
        >>> sorted(k.object.value for k in key_quads([q]))
        ['glute med', 'x y']

    """
    keys: dict[str, set[str]] = {}  # subject IRI -> its keys
    predicates = {p.value for p in NAME_PREDICATES}
    for quad in quads:
        subject, value = quad.subject, quad.object
        if (quad.predicate.value in predicates and type(subject) is ox.NamedNode
                and not isinstance(value, ox.Triple)):
            keys.setdefault(subject.value, set()).add(normalise(value.value))
    for iri, found in keys.items():
        found.add(normalise(curie(iri).partition(":")[2]))
    return [ox.Quad(ox.NamedNode(s), _KEY, ox.Literal(k), KEYS_GRAPH)
            for s, found in keys.items() for k in found]


def index_names(store: ox.Store) -> None:
    """Write the keys of every name in ``store`` (one transaction), unless it has them.

    Example:
        >>> store = ox.Store()
        >>> index_names(store)
        >>> is_keyed(store)
        True

    """
    if is_keyed(store):
        return
    names = (q for p in NAME_PREDICATES
             for q in store.quads_for_pattern(None, p, None, ox.DefaultGraph()))
    store.extend([*key_quads(names), _KEYED])


def is_keyed(store: Backend) -> bool:
    """Return whether ``store`` holds every name's key (see :func:`index_names`).

    An endpoint does when it serves a glutegraph on-disk store (``glutegraph serve``), or when
    ``glutegraph upload`` put the data there (it sends the keys with the data, see
    :func:`uploaded_keys`), whether into the default graph or a named one.
    """
    if isinstance(store, ox.Store):
        return next(iter(store.quads_for_pattern(*_KEYED)), None) is not None
    marker = keyed_marker(getattr(store, "graph", None))
    ask = f"ASK {{ GRAPH {KEYS_GRAPH} {{ {marker.subject} {marker.predicate} {marker.object} }} }}"
    return bool(store.query(ask))


def keyed_marker(graph: str | None) -> ox.Triple:
    """Return the triple of :data:`KEYS_GRAPH` saying that the data in ``graph`` is keyed.

    The store's own marker for the default graph; for a named graph (uploaded with
    ``graph=``), one naming that graph, as the keys graph is shared by every graph of the store.

    Example:
        >>> keyed_marker("https://example.org/g").subject.value
        'https://example.org/g'

    """
    return _KEYED.triple if graph is None else ox.Triple(ox.NamedNode(graph), _KEYED.predicate,
                                                         _KEYED.object)


def uploaded_keys(store: ox.Store, graph: str | None) -> list[ox.Triple]:
    """Return the name keys to send with ``store``'s data uploaded into ``graph`` (None: default).

    The keys of every name (written into ``store`` first if it has none) and the marker of
    :func:`keyed_marker`. An endpoint then finds a name by its key as a glutegraph on-disk store
    does: a few rows per question whatever the size of the graph, not every name of a kind.

    Example:
        >>> from glutegraph.store import open_store
        >>> keys = uploaded_keys(open_store(), None)
        >>> keyed_marker(None) in keys and len(keys) > 1000
        True

    """
    index_names(store)
    keys = [q.triple for q in store.quads_for_pattern(None, _KEY, None, KEYS_GRAPH)]
    return [*keys, keyed_marker(graph)]


#: Names of a kind above which suggestions are looked for among the names sharing the most
#: trigrams with the typo (:data:`SUGGESTION_POOL` of them), not among all.
SUGGESTION_POOL = 300
#: Keyed lookups kept (the names a program uses again and again); forgotten all at once beyond.
LOOKUPS_KEPT = 4096
#: Labels fetched in one query from an endpoint (each query stays well inside the guards).
FETCH_BATCH = 400


class Labels(Mapping[str, str]):
    """IRI -> label, read from the store when first asked for, and kept.

    On the embedded store a missing label is one index lookup. An endpoint would need a round
    trip per IRI, so questions :meth:`fetch` the labels of an answer in one query first; a
    label asked for without that (a view of the whole graph) reads every label at once.
    Iterating reads every label too.

    Example:
        >>> from glutegraph.store import open_store
        >>> Labels(open_store()).get("https://w3id.org/glutegraph/kb/piriformis")
        'piriformis'

    """

    def __init__(self, store: Backend) -> None:
        self._store = store
        self._known: dict[str, str | None] = {}
        self._complete = False

    def __getitem__(self, iri: str) -> str:
        label: str | None = self.get(iri)
        if label is None:
            raise KeyError(iri)
        return label

    def get(self, iri: str, default: Any = None) -> Any:  # noqa: D102 (Mapping.get, faster)
        label = self._known[iri] if iri in self._known else self._read(iri)
        return default if label is None else label

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and self.get(iri) is not None

    def __iter__(self) -> Iterator[str]:
        self._read_all()
        return (iri for iri, label in list(self._known.items()) if label is not None)

    def __len__(self) -> int:
        self._read_all()
        return sum(label is not None for label in self._known.values())

    def fetch(self, iris: Iterable[str]) -> None:
        """Read the labels of ``iris`` not known yet from an endpoint, in one query per batch."""
        if self._complete or isinstance(self._store, ox.Store):
            return  # on the embedded store each label is an index lookup when asked for
        wanted = list(dict.fromkeys(i for i in iris if i not in self._known))
        for at in range(0, len(wanted), FETCH_BATCH):
            batch = wanted[at:at + FETCH_BATCH]
            query = named_query("labels", iri=[ox.NamedNode(i) for i in batch])
            found: dict[str, str] = {}
            for row in iterate(self._store, query):
                found.setdefault(row[0].value, row[1].value)
            for iri in batch:
                self._known[iri] = found.get(iri)

    def forget(self, iris: Iterable[str]) -> None:
        """Forget what is known of ``iris`` (the graph changed around them)."""
        for iri in iris:
            self._known.pop(iri, None)
        self._complete = False

    def _read(self, iri: str) -> str | None:
        if self._complete:
            return None
        if not isinstance(self._store, ox.Store):
            self._read_all()
            return self._known.get(iri)
        label = None
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            node = None
        if node is not None:
            for quad in self._store.quads_for_pattern(node, _LABEL, None, ox.DefaultGraph()):
                if not isinstance(quad.object, ox.Triple):
                    label = quad.object.value
                    break
        self._known[iri] = label
        return label

    def _read_all(self) -> None:
        if self._complete:
            return
        found: dict[str, str] = {}
        for row in iterate(self._store, named_query("labels")):
            found.setdefault(row[0].value, row[1].value)
        self._known = {**dict.fromkeys(self._known), **found}
        self._complete = True


_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")


class _Names:
    """The names of the entities of one kind (or of every kind): normalised name -> entities."""

    def __init__(self, names: dict[str, list[tuple[int, str]]] | None = None,
                 kinds: dict[str, set[str]] | None = None) -> None:
        self.names: dict[str, list[tuple[int, str]]] = {} if names is None else names
        self.kinds: dict[str, set[str]] = {} if kinds is None else kinds
        self.trigrams: dict[str, list[str]] | None = None

    def add(self, store: Backend, **which: Any) -> None:
        """Read the names of the entities ``which`` selects (see names.rq) into this index."""
        gg = str(GG)
        found: set[str] = set()
        for row in iterate(store, named_query("names", **which)):
            entity = row[0].value
            self.kinds.setdefault(entity, set()).add(row[1].value[len(gg):])
            self.names.setdefault(normalise(row[3].value), []).append((int(row[2].value), entity))
            found.add(entity)
        for entity in found:  # the kb: local name works too ("gluteus_medius")
            local = curie(entity).partition(":")[2]
            self.names.setdefault(normalise(local), []).append((4, entity))
        self.trigrams = None

    def drop(self, entities: set[str]) -> None:
        """Forget every name of ``entities`` (before reading them again)."""
        for entity in entities & set(self.kinds):
            del self.kinds[entity]
        for key in [k for k, v in self.names.items() if any(e in entities for _, e in v)]:
            kept = [(r, e) for r, e in self.names[key] if e not in entities]
            if kept:
                self.names[key] = kept
            else:
                del self.names[key]
        self.trigrams = None

    def near(self, name: str) -> list[str]:
        """Return the names worth comparing with ``name`` for a suggestion.

        All of them for a small kind; for a large one, the :data:`SUGGESTION_POOL` names that
        share the most trigrams with it (from a trigram index built on the first typo).
        """
        if len(self.names) <= SUGGESTION_POOL:
            return list(self.names)
        if self.trigrams is None:
            self.trigrams = {}
            for key in self.names:
                for gram in _trigrams(key):
                    self.trigrams.setdefault(gram, []).append(key)
        shared: Counter[str] = Counter()
        for gram in _trigrams(name):
            shared.update(self.trigrams.get(gram, ()))
        return [key for key, _ in shared.most_common(SUGGESTION_POOL)]


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


class NameIndex:
    """Names -> entities, and IRIs -> labels, for one graph, read lazily (see the module).

    Example:
        >>> from glutegraph.store import open_store
        >>> NameIndex.build(open_store()).resolve("sumo squat", "exercise").curie
        'kb:wide_stance_squat'

    """

    def __init__(self, store: Backend) -> None:
        self.store = store
        self.labels = Labels(store)
        self._by_kind: dict[str | None, _Names] = {}
        self._synonyms: dict[str, list[str]] | None = None
        self._keyed: bool | None = None
        #: (normalised name, kind) -> what a keyed lookup found (see :meth:`_named`).
        self._looked_up: dict[tuple[str, str | None], _Names] = {}

    @classmethod
    def build(cls, store: Backend) -> NameIndex:
        """Return the name index of ``store``; nothing is read until a name is looked up."""
        return cls(store)

    @property
    def synonyms(self) -> dict[str, list[str]]:
        """Each entity's exact and related synonyms as written (no labels, no cross-references).

        For views that search by them; read from the whole graph on first use.
        """
        if self._synonyms is None:
            synonyms: dict[str, list[str]] = {}
            gg = str(GG)
            for row in iterate(self.store, named_query("names")):
                if int(row[2].value) in (1, 3) and row[1].value[len(gg):] != "ImportedExercise":
                    known = synonyms.setdefault(row[0].value, [])
                    if row[3].value not in known:
                        known.append(row[3].value)
            self._synonyms = synonyms
        return self._synonyms

    def changed(self, entities: Iterable[str]) -> None:
        """Bring the index up to date after triples about ``entities`` were added.

        The names of those entities are read again into every part of the index read so far
        (one query each, proportional to the entities, not to the graph).
        """
        touched = set(entities)
        if not touched:
            return
        self.labels.forget(touched)
        self._synonyms = None
        self._looked_up = {}
        nodes = [ox.NamedNode(e) for e in sorted(touched)]
        # each part is updated in a copy swapped in when ready: a question asked meanwhile (by
        # another thread) sees the old part whole
        for kind, names in list(self._by_kind.items()):
            fresh = _Names({k: list(v) for k, v in names.names.items()},
                           {k: set(v) for k, v in names.kinds.items()})
            fresh.drop(touched)
            for at in range(0, len(nodes), FETCH_BATCH):
                fresh.add(self.store, entity=nodes[at:at + FETCH_BATCH], type=_types(kind))
            self._by_kind[kind] = fresh

    def label(self, iri: str) -> str | None:
        """Return the label of an IRI, or ``None``."""
        label: str | None = self.labels.get(iri)
        return label

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
        if full is not None:
            kinds = self._kinds_of(full)
            if kinds:
                if wanted is None or kinds & wanted:
                    return self._match(full, kinds)
                raise UnknownNameError(what, name, [self.labels.get(full, curie(full))])
        index = self._named(normalise(name), kind)
        candidates = [
            (rank, entity)
            for rank, entity in index.names.get(normalise(name), [])
            if wanted is None or index.kinds[entity] & wanted
        ]
        if not candidates:
            raise UnknownNameError(what, name, self.suggest(name, kind))
        best = min(rank for rank, _ in candidates)
        entities = sorted({e for rank, e in candidates if rank == best})
        if len(entities) > 1:
            self.labels.fetch(entities)
            found = [f"{self.labels.get(e, e)} ({curie(e)})" for e in entities]
            raise AmbiguousNameError(name, found)
        return self._match(entities[0], index.kinds[entities[0]])

    def suggest(self, name: str, kind: str | None = None, n: int = 3) -> list[str]:
        """Return up to ``n`` labels close to ``name`` among entities of ``kind``.

        Example:
            >>> from glutegraph.store import open_store
            >>> NameIndex.build(open_store()).suggest("piriformis syndrom", "condition")
            ['piriformis syndrome']

        """
        import difflib

        wanted = set(KINDS[kind]) if kind else None
        index = self._index(kind)
        typed = normalise(name)
        choices: dict[str, str] = {}  # a name -> the first entity of the kind it names
        for key in index.near(typed):
            for _rank, entity in index.names[key]:
                if wanted is None or index.kinds[entity] & wanted:
                    choices.setdefault(key, entity)
        close = difflib.get_close_matches(typed, list(choices), n=n * 3, cutoff=0.6)
        if not close:
            return []
        # Keep only the names nearly as close as the closest, so one clear typo gets one answer.
        score = {c: difflib.SequenceMatcher(None, typed, c).ratio() for c in close}
        best = max(score.values())
        near = [c for c in close if score[c] >= best - 0.08]
        self.labels.fetch(choices[c] for c in near)
        labels = [self.labels.get(choices[c], curie(choices[c])) for c in near]
        return list(dict.fromkeys(labels))[:n]

    def of_kind(self, kind: str) -> list[Match]:
        """Return every entity of a kind, sorted by label."""
        wanted = set(KINDS[kind])
        index = self._index(kind)
        entities = [e for e, k in index.kinds.items() if k & wanted]
        self.labels.fetch(entities)
        found = [self._match(e, index.kinds[e]) for e in entities]
        return sorted(found, key=lambda m: m.label.casefold())

    @property
    def keyed(self) -> bool:
        """Whether the store holds every name's key (asked once: one query to an endpoint)."""
        if self._keyed is None:
            self._keyed = is_keyed(self.store)
        return self._keyed

    def _named(self, key: str, kind: str | None) -> _Names:
        """Return an index holding every entity of ``kind`` with a name normalised as ``key``.

        On a keyed store, the entities with that key (an index lookup), then their names (one
        query); elsewhere the names of the whole kind, read on first use.
        """
        if kind in self._by_kind or not self.keyed:
            return self._index(kind)
        found = self._looked_up.get((key, kind))
        if found is not None:
            return found
        found = _Names()
        found.add(self.store, key=ox.Literal(key), type=_types(kind))
        if len(self._looked_up) >= LOOKUPS_KEPT:
            self._looked_up.clear()
        self._looked_up[(key, kind)] = found
        return found

    def _index(self, kind: str | None) -> _Names:
        """Return the names of ``kind`` (None: of every kind), read on first use."""
        index = self._by_kind.get(kind)
        if index is None:
            index = self._by_kind[kind] = _Names()
            index.add(self.store, type=_types(kind))
        return index

    def _kinds_of(self, iri: str) -> set[str]:
        """Return the gg: classes of a named entity ``iri`` (empty: no such named entity)."""
        everything = self._by_kind.get(None)
        if everything is not None:
            return everything.kinds.get(iri, set())
        try:
            node = ox.NamedNode(iri)
        except ValueError:  # not an IRI pyoxigraph accepts: no entity has it
            return set()
        one = _Names()
        one.add(self.store, entity=node)  # one query about this entity
        return one.kinds.get(iri, set())

    def _match(self, entity: str, kinds: set[str]) -> Match:
        self.labels.fetch([entity])
        return Match(entity, self.labels.get(entity, curie(entity)), frozenset(kinds))


def _types(kind: str | None) -> list[ox.NamedNode] | None:
    """Return the gg: classes of a kind as IRIs (None: every class)."""
    return None if kind is None else [ox.NamedNode(str(GG) + c) for c in KINDS[kind]]
