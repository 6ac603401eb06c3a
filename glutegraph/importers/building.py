"""What every importer shares: the triples it builds, the report it gives, its progress bar.

An importer reads records into pydantic models (:mod:`glutegraph.importers.records`), skips a
bad record with its id and reason, and builds triples with a :class:`Builder`. The answer is
an :class:`Import`: the triples and an :class:`ImportReport` (imported, matched to curated
exercises, skipped by reason, triples, seconds, muscle-tag coverage).

Example:
    >>> b = Builder()
    >>> b.add("https://w3id.org/glutegraph/data/x", "rdfs:label", b.text("x", "en"))
    >>> len(b.quads)
    1

"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from pydantic import ValidationError

from glutegraph.namespaces import DATA_IRI, Namespace
from glutegraph.terms import expand

#: Where imported records get their IRIs: ``DATA + "<data set>/exercise/<id>"``.
DATA = Namespace(DATA_IRI)
#: The most records of one import (a bound on memory for a hostile file).
MAX_RECORDS = 200_000

T = TypeVar("T")
_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Skipped:
    """A record that was not imported: its id (or row) and why."""

    record: str
    reason: str


@dataclass
class ImportReport:
    """What an import did, in numbers; ``str()`` gives the summary the CLI prints.

    Example:
        >>> report = ImportReport("demo", records=3, imported=2,
        ...                       skipped=[Skipped("7", "name: missing")])
        >>> report.by_reason()
        {'name: missing': 1}

    """

    source: str
    records: int = 0
    imported: int = 0
    #: Records that a reviewed mapping matches to a curated exercise (skos:exactMatch).
    matched: int = 0
    #: Records that a reviewed mapping calls a close variant of a curated one (skos:closeMatch).
    close: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    #: Muscle tags on imported records, and those whose term has a glutegraph counterpart.
    muscle_tags: int = 0
    muscle_tags_mapped: int = 0
    #: Other names and texts (translations, aliases) imported with the records.
    texts: int = 0
    notes: list[str] = field(default_factory=list)

    def by_reason(self) -> dict[str, int]:
        """Return how many records were skipped for each reason, commonest first."""
        return dict(Counter(s.reason for s in self.skipped).most_common())

    @property
    def coverage(self) -> float | None:
        """The share of muscle tags that map to glutegraph (None when there are no tags)."""
        return self.muscle_tags_mapped / self.muscle_tags if self.muscle_tags else None

    def __str__(self) -> str:
        lines = [
            f"{self.source}: {self.imported} of {self.records} records imported "
            f"({self.matched} matched to curated exercises, {self.close} close variants), "
            f"{len(self.skipped)} skipped; {self.triples} triples in {self.seconds:.2f} s",
        ]
        if self.texts:
            lines.append(f"  {self.texts} names and descriptions in other languages or aliases")
        if self.coverage is not None:
            lines.append(f"  muscle tags: {self.muscle_tags_mapped} of {self.muscle_tags} "
                         f"({self.coverage:.0%}) map to a glutegraph structure")
        for reason, count in self.by_reason().items():
            lines.append(f"  skipped {count}: {reason}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


@dataclass(frozen=True)
class Import:
    """The result of an import: its triples (default graph) and its report.

    ``source`` is the file or folder read, ``digest`` the SHA-256 of its content (so that an
    on-disk store can tell the same import from a changed one). Add it to a graph with
    :meth:`glutegraph.KnowledgeGraph.add`, or write it with :meth:`write`.
    """

    source: str
    digest: str
    size: int
    quads: list[ox.Quad]
    report: ImportReport

    def write(self, path: Path | str) -> Path:
        """Write the triples as Turtle (or N-Triples for ``.nt``) with glutegraph's prefixes.

        Returns:
            the path written.

        """
        from glutegraph.namespaces import PREFIXES

        path = Path(path)
        fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in self.quads]
        data = ox.serialize(triples, format=fmt,
                            prefixes=PREFIXES if fmt == ox.RdfFormat.TURTLE else None)
        if data is None:  # pragma: no cover - serialize returns bytes without an output
            data = b""
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_bytes(data)
        temporary.replace(path)  # all or nothing: a half-written file never has the name
        return path


class Builder:
    """Collects the triples of an import; predicates are CURIEs or IRIs."""

    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []
        self._seen: set[ox.Quad] = set()
        self._predicates: dict[str, ox.NamedNode] = {}

    def node(self, name: str) -> ox.NamedNode:
        """Return a named node for a CURIE or an IRI."""
        return ox.NamedNode(expand(name) or name)

    def add(self, subject: str | ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal
            ) -> None:
        """Add one triple."""
        p = self._predicates.get(predicate)
        if p is None:
            p = self._predicates[predicate] = self.node(predicate)
        s = subject if isinstance(subject, ox.NamedNode) else ox.NamedNode(subject)
        quad = ox.Quad(s, p, obj, ox.DefaultGraph())
        if quad not in self._seen:  # a triple stated twice counts once
            self._seen.add(quad)
            self.quads.append(quad)

    def drop_from(self, start: int) -> None:
        """Forget the triples added since ``len(self.quads)`` was ``start`` (a bad row)."""
        self._seen.difference_update(self.quads[start:])
        del self.quads[start:]

    def link(self, subject: str | ox.NamedNode, predicate: str, obj: str) -> None:
        """Add a triple whose object is a CURIE or IRI."""
        self.add(subject, predicate, self.node(obj))

    @staticmethod
    def text(value: str, lang: str | None = None) -> ox.Literal:
        """Return a string literal (with a language tag when given)."""
        return ox.Literal(value, language=lang) if lang else ox.Literal(value)

    @staticmethod
    def typed(value: object, datatype: str) -> ox.Literal:
        """Return a literal of an XSD datatype (``"integer"``, ``"anyURI"``, ...)."""
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + datatype))


def reason(error: ValidationError) -> str:
    """Return a short, countable reason for a record that failed its model.

    Example:
        >>> from pydantic import BaseModel
        >>> class R(BaseModel):
        ...     name: str
        >>> try:
        ...     R.model_validate({})
        ... except ValidationError as e:
        ...     reason(e)
        'name: field required'

    """
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"] if not isinstance(p, int)) or "record"
    message = first["msg"].replace("Field required", "field required")
    if first["type"] in ("literal_error", "enum"):
        message = "not one of the values the source's schema allows"
    elif first["type"] in ("model_type", "dict_type"):
        message = "not a JSON object"
    return f"{where}: {message}"


def progress(items: Sequence[T], description: str, *, show: bool) -> Iterable[T]:
    """Iterate over ``items``, with a rich progress bar on the terminal when ``show``."""
    if not show:
        return items
    from rich.progress import track

    return track(items, description=description, transient=True)


class Timer:
    """Seconds since it was made."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self) -> float:
        """Return the seconds elapsed (rounded to ms)."""
        return round(time.perf_counter() - self.start, 3)



def slug(text: str) -> str:
    """Return a source term's key for its IRI: spaces as underscores, nothing unsafe.

    Example:
        >>> slug("lower back"), slug("e-z curl bar")
        ('lower_back', 'e-z_curl_bar')

    """
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text.strip().replace(" ", "_"))


class Vocabulary:
    """A data set's own terms (muscles, equipment, categories) and what the tables map.

    :meth:`term` returns a term's IRI (``DATA + "<data set>/<kind>/<key>"``) and describes
    it once (``gg:SourceTerm`` with its label); :meth:`mapped` says whether a reviewed table
    relates it to a glutegraph term.
    """

    def __init__(self, builder: Builder, dataset: str, source: str) -> None:
        from glutegraph.importers.sssom import is_record, mapping_files, read_mappings

        self.builder, self.dataset, self.source = builder, dataset, source
        self.described: set[str] = set()
        self.found: set[str] = set()
        #: curated exercise matches: record IRI -> the SKOS predicates of its rows
        self.matches: dict[str, set[str]] = {}
        for path in mapping_files():
            table = read_mappings(path)
            for m in table.rows:
                subject = table.expand(m.subject_id)
                if m.found and is_record(subject):
                    self.matches.setdefault(subject, set()).add(m.predicate)
                elif m.found:
                    self.found.add(subject)

    def term(self, kind: str, key: str, label: str) -> ox.NamedNode:
        """Return the IRI of a term of this data set, describing it the first time."""
        iri = DATA[f"{self.dataset}/{kind}/{slug(key)}"]
        if iri not in self.described:
            self.described.add(iri)
            self.builder.link(iri, "rdf:type", "gg:SourceTerm")
            self.builder.add(iri, "rdfs:label", self.builder.text(label))
            self.builder.link(iri, "dcterms:source", self.source)
        return ox.NamedNode(iri)

    def mapped(self, term: ox.NamedNode) -> bool:
        """Whether a reviewed table relates the term to a glutegraph term."""
        return term.value in self.found

    def count_match(self, record: str, report: ImportReport) -> None:
        """Count a record the exercise-matches table matches (exact) or calls close."""
        predicates = self.matches.get(record, set())
        if "skos:exactMatch" in predicates:
            report.matched += 1
        elif "skos:closeMatch" in predicates:
            report.close += 1
