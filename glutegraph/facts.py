"""An entity's facts, from the graph's triples to its plain form (the JSON of its model).

Every model's fields and their RDF predicates are in :data:`glutegraph.model_table.SHAPES`
(written from :mod:`glutegraph.models` by ``python -m glutegraph.model_table``), so that an
entity can be built without pydantic: :meth:`Facts.values` gives the field values of a model,
:func:`describe` the plain form of one entity read from a store (refs as ``{"iri", "label"}``,
nested models as dicts, every field in the model's order). The typed models are built from the
same values (:meth:`glutegraph.models.Facts.build`), so the two forms cannot drift apart.

Example:
    >>> from glutegraph.store import open_store
    >>> from glutegraph.names import Labels
    >>> store = open_store()
    >>> kind, m = describe(store, Labels(store), {}, "https://w3id.org/glutegraph/kb/piriformis")
    >>> kind, m["label"], [n["label"] for n in m["innervated_by"]]
    ('Muscle', 'piriformis', ['nerve to piriformis'])

"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple, Self, TypeVar

import pyoxigraph as ox

from glutegraph.namespaces import PREFIXES
from glutegraph.terms import to_python

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"


class Slot(NamedTuple):
    """A model's field filled from one RDF predicate (``inverse``: links pointing at it)."""

    name: str
    predicate: str
    inverse: bool
    many: bool
    kind: str  # "str", "decimal", "int", "ref" or "model"
    model: str | None  # the nested model's name, for kind "model"
    lang: str | None
    datatype: str | None


class Shape(NamedTuple):
    """A model without pydantic: its fields in order, their RDF slots, its rdf:type."""

    name: str
    #: The model's rdf:type (a full IRI), None for the abstract ones.
    rdf_type: str | None
    #: Every field in the model's order, with whether it is a list (else its default is None).
    fields: tuple[tuple[str, bool], ...]
    slots: tuple[Slot, ...]
    #: The names of the model and of the models it derives from (its method resolution order).
    ancestors: tuple[str, ...]

    @property
    def nests(self) -> bool:
        """Whether some field is filled from links pointing at the entity."""
        return any(slot.inverse for slot in self.slots)


def shape_for(types: Iterable[str]) -> Shape:
    """Return the shape of an entity with these rdf:types (full IRIs); else Entity's.

    Example:
        >>> shape_for([PREFIXES["gg"] + "MuscleRegion"]).name
        'MuscleRegion'

    """
    from glutegraph.model_table import MATCH_ORDER, SHAPES

    wanted = set(types)
    for name in MATCH_ORDER:
        shape = SHAPES[name]
        if shape.rdf_type in wanted:
            return shape
    return SHAPES["Entity"]


class Facts:
    """Triples grouped for building entities: outgoing by subject, incoming by object.

    ``labels`` gives the label of an IRI; ``origins`` maps a subject IRI to the added files
    stating it (see :class:`glutegraph.store.Origins`).
    """

    def __init__(self, labels: Mapping[str, str] | None = None,
                 origins: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.out: dict[str, dict[str, list[Any]]] = defaultdict(dict)
        self.inc: dict[str, dict[str, list[str]]] = defaultdict(dict)
        self.labels: Mapping[str, str] = {} if labels is None else labels
        self.refs: dict[str, Any] = {}  # one ref per IRI, shared
        self.origins: Mapping[str, tuple[str, ...]] = {} if origins is None else origins

    @classmethod
    def from_triples(
        cls, triples: Iterable[ox.Triple | ox.Quad], labels: dict[str, str] | None = None
    ) -> Self:
        """Group triples (pyoxigraph terms); labels default to the triples' rdfs:label."""
        own: dict[str, str] = {}
        facts = cls(labels=labels if labels is not None else own)
        for t in triples:
            facts.add(t.subject, t.predicate, t.object)
        if labels is None:
            for subject, by_predicate in facts.out.items():
                for term in by_predicate.get(RDFS_LABEL, [])[:1]:
                    own[subject] = term.value
        return facts

    def add(self, subject: Any, predicate: Any, obj: Any) -> None:
        """Add one triple of pyoxigraph terms (a triple seen before is ignored)."""
        s, p = subject.value, predicate.value
        values = self.out[s].setdefault(p, [])
        if obj in values:
            return
        values.append(obj)
        if type(obj) is ox.NamedNode:
            self.inc[obj.value].setdefault(p, []).append(s)

    def types(self, iri: str) -> list[str]:
        """Return the rdf:types of ``iri`` (full IRIs)."""
        return [t.value for t in self.out.get(iri, {}).get(RDF_TYPE, [])]

    def values(self, model: str | Shape, iri: str) -> dict[str, Any]:
        """Return the field values of a model (its name or shape) for ``iri``, in field order.

        Refs and nested models come from :meth:`ref` and :meth:`nested`: plain dicts here. Only
        the predicates ``iri`` has are visited (a measurement has a dozen of its model's thirty
        fields), each value converted to its field's type (:meth:`_value`).
        """
        from glutegraph.model_table import SHAPES

        shape = SHAPES[model] if isinstance(model, str) else model
        forward, inverse = _plan(shape)
        values: dict[str, Any] = {name: [] if many else None for name, many in shape.fields}
        values["iri"] = iri
        values["added_from"] = list(self.origins.get(iri, ()))
        for predicate, terms in self.out.get(iri, {}).items():
            for slot in forward.get(predicate, ()):
                self._fill(values, slot, terms)
        if inverse:
            pointing = self.inc.get(iri, {})
            for slot in inverse:
                subjects = pointing.get(slot.predicate)
                if subjects:
                    self._fill(values, slot, [ox.NamedNode(s) for s in subjects])
        return values

    def ref(self, iri: str) -> Any:
        """Return the link to ``iri``: ``{"iri", "label"}``."""
        return {"iri": iri, "label": self.labels.get(iri)}

    def nested(self, model: str, iri: str) -> Any:
        """Return the nested entity ``iri`` of the model named ``model``: its values."""
        return self.values(model, iri)

    def _fill(self, values: dict[str, Any], slot: Slot, terms: list[Any]) -> None:
        """Set the field of ``slot`` in ``values`` from its terms (left out: its default)."""
        if slot.kind == "model":
            from glutegraph.model_table import SHAPES

            assert slot.model is not None
            wanted = SHAPES[slot.model].rdf_type
            nodes = sorted(t.value for t in terms if wanted in self.types(t.value))
            values[slot.name] = [self.nested(slot.model, n) for n in nodes]
            return
        converted = [c for c in (self._value(slot.kind, t) for t in terms) if c is not None]
        if slot.many:
            values[slot.name] = sorted(converted, key=_sort_key) if len(converted) > 1 \
                else converted
        elif converted:
            values[slot.name] = converted[0] if len(converted) == 1 \
                else min(converted, key=_sort_key)

    def _value(self, kind: str, term: Any) -> Any:
        """Return a term as the Python type of a field of ``kind``, or None if it is not one."""
        if kind == "ref":
            if type(term) is not ox.NamedNode:
                return None
            iri = term.value
            ref = self.refs.get(iri)
            if ref is None:
                ref = self.refs[iri] = self.ref(iri)
            return ref
        if type(term) is not ox.Literal:
            return None
        if kind == "str":
            return term.value
        value = to_python(term)
        if kind == "decimal":
            if not isinstance(value, Decimal):
                try:
                    value = Decimal(str(value))
                except ArithmeticError:
                    return None
            return value if value.is_finite() else None  # (pydantic refuses NaN and infinity)
        if kind == "int" and isinstance(value, int):
            return int(value)  # (a boolean as 0 or 1, as pydantic would)
        return None


Plan = tuple[dict[str, tuple[Slot, ...]], tuple[Slot, ...]]
#: id(shape) -> (the shape, kept so that its id stays its own; its plan). Keyed by identity:
#: hashing a shape hashes all its slots (1.4 us), once per entity built.
_PLANS: dict[int, tuple[Shape, Plan]] = {}


def _plan(shape: Shape) -> Plan:
    """Return a shape's slots by outgoing predicate (full IRI), and its incoming slots."""
    known = _PLANS.get(id(shape))
    if known is not None and known[0] is shape:
        return known[1]
    forward: dict[str, tuple[Slot, ...]] = {}
    for slot in shape.slots:
        if not slot.inverse:
            forward[slot.predicate] = (*forward.get(slot.predicate, ()), slot)
    plan = forward, tuple(slot for slot in shape.slots if slot.inverse)
    _PLANS[id(shape)] = (shape, plan)
    return plan


def _sort_key(value: Any) -> Any:
    if isinstance(value, dict):
        return ((value["label"] or "").casefold(), value["iri"])
    if hasattr(value, "iri"):  # a Ref model
        return ((value.label or "").casefold(), value.iri)
    return (str(value).casefold(), str(value))


def values_json(values: Any) -> str:
    """Return plain values as indented JSON, as pydantic writes the model (``model_dump_json``).

    Example:
        >>> print(values_json({"iri": "x", "mean_mvic": Decimal("64.5"), "sources": []}))
        {
          "iri": "x",
          "mean_mvic": "64.5",
          "sources": []
        }

    """
    import json

    return json.dumps(values, indent=2, ensure_ascii=False, default=str)


F = TypeVar("F", bound="Facts")


def read_facts(store: Any, sparql: str, facts: F) -> F:
    """Run a query returning ?s ?p ?o, group its triples into ``facts`` and return them.

    From an endpoint, the labels of every IRI of the answer are fetched in one round trip
    (``facts.labels`` is then a :class:`glutegraph.names.Labels`).
    """
    from glutegraph.sparql import run

    answer = run(store, sparql)
    assert isinstance(answer, ox.QuerySolutions)
    s, p, o = (answer.variables.index(ox.Variable(v)) for v in "spo")
    add = facts.add
    for solution in answer:
        add(solution[s], solution[p], solution[o])
    if not isinstance(store, ox.Store):  # an endpoint: the labels in one round trip
        named = [*facts.out, *(t.value for by in facts.out.values() for ts in by.values()
                               for t in ts if isinstance(t, ox.NamedNode))]
        facts.labels.fetch(named)  # type: ignore[attr-defined]
    return facts


def incoming(expected: str) -> list[str] | None:
    """Return the links pointing at an entity that its model reads (full IRIs), or None for all.

    The model built is the one its rdf:types say (:func:`shape_for`), any model derived from
    ``expected`` (a model name): the links of each are wanted. For "Entity" every link is.

    Example:
        >>> [p.rpartition("/")[2] for p in incoming("MuscularStructure")]
        ['contributor', 'partOf']
        >>> incoming("Entity") is None
        True

    """
    from glutegraph.model_table import MATCH_ORDER, SHAPES

    if expected == "Entity":
        return None
    return sorted({slot.predicate for name in (*MATCH_ORDER, expected)
                   if expected in SHAPES[name].ancestors
                   for slot in SHAPES[name].slots if slot.inverse})


def describe_query(expected: str, iris: list[str]) -> tuple[str, dict[str, Any]]:
    """Return the named query (and its values) that reads the entities ``iris`` as ``expected``.

    ``describe_out`` for a model (a name) that reads no link pointing at it; else ``describe``
    with only the links its model reads (:func:`incoming`; every link for "Entity").

    Example:
        >>> describe_query("Study", ["urn:x:a"])[0]
        'describe_out'

    """
    from glutegraph.model_table import SHAPES

    focus = [ox.NamedNode(i) for i in iris]
    if expected != "Entity" and not SHAPES[expected].nests:
        return "describe_out", {"focus": focus}
    links = incoming(expected)
    return "describe", {"focus": focus,
                        "in": None if links is None else [ox.NamedNode(p) for p in links]}


def describe(store: Any, labels: Any, origins: Mapping[str, tuple[str, ...]], iri: str,
             expected: str = "Entity", facts: Facts | None = None) -> tuple[str, Any] | None:
    """Return the model name and the values of entity ``iri``; None if it is not ``expected``.

    ``expected`` is a model name ("MuscularStructure", "Nerve", ...); "Entity" takes any
    kind (and fetches everything that might be nested). ``facts`` (empty) says how to build
    refs and nested entities: plain dicts by default.
    """
    from glutegraph.sparql import named_query

    name, values = describe_query(expected, [iri])
    found = read_facts(store, named_query(name, **values),
                       facts if facts is not None else Facts(labels, origins))
    shape = shape_for(found.types(iri))
    if expected not in shape.ancestors:
        return None
    return shape.name, found.values(shape.name, iri)
