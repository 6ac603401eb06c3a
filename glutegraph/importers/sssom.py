"""Mapping tables in SSSOM TSV: how a data set's own terms relate to glutegraph's.

The tables live in ``ontology/mappings/*.sssom.tsv`` and are data, reviewed by hand: a YAML
header (``# `` lines, with the ``curie_map``), a header row, then one mapping per row
(``subject_id predicate_id object_id``, its justification, confidence and a comment). A
source term with no counterpart in glutegraph is mapped to ``sssom:NoTermFound`` and so
counted, never silently missing. The bundled graph holds each mapping as one SKOS triple
(:func:`mapping_quads`); the tables keep the confidence and the reasons.

Example:
    >>> muscles = read_mappings(mapping_file("free-exercise-db-muscles"))
    >>> glutes = [m for m in muscles.rows if m.subject_label == "glutes"]
    >>> sorted({m.predicate for m in glutes})
    ['skos:closeMatch', 'skos:narrowMatch']

"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from glutegraph.errors import DataFileError
from glutegraph.files import mapping_dir
from glutegraph.files import mapping_files as mapping_files  # (was defined here)

#: The object of a row that says "glutegraph has no such term".
NO_TERM_FOUND = "sssom:NoTermFound"
#: The SKOS predicates a row may use, from the subject (the source's term) to the object.
PREDICATES = ("skos:exactMatch", "skos:closeMatch", "skos:narrowMatch", "skos:broadMatch",
              "skos:relatedMatch")
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "confidence", "comment")


def is_record(iri: str) -> bool:
    """Whether an IRI names an imported record (an exercise), not a source term.

    Records are ``.../data/<data set>/exercise/<id>``; terms ``.../data/<data set>/<kind>/<key>``.

    Example:
        >>> is_record("https://w3id.org/glutegraph/data/wger/exercise/1b020b3a")
        True

    """
    return "/exercise/" in iri


@dataclass(frozen=True)
class Mapping:
    """One row of a mapping table; ids are CURIEs of the table's ``curie_map``."""

    subject_id: str
    subject_label: str
    predicate: str
    object_id: str
    object_label: str
    justification: str
    confidence: Decimal | None
    comment: str

    @property
    def found(self) -> bool:
        """Whether glutegraph has a counterpart (the object is not ``sssom:NoTermFound``)."""
        return self.object_id != NO_TERM_FOUND


@dataclass(frozen=True)
class MappingSet:
    """A mapping table: its prefixes and rows."""

    path: Path
    curie_map: dict[str, str]
    rows: tuple[Mapping, ...]

    def expand(self, curie: str) -> str:
        """Return the IRI of a CURIE of this table.

        Raises:
            DataFileError: the prefix is not in the table's ``curie_map``.

        """
        prefix, _, local = curie.partition(":")
        if prefix not in self.curie_map:
            raise DataFileError(str(self.path), f"prefix {prefix!r} of {curie!r} is not in the "
                                "curie_map of the header")
        return self.curie_map[prefix] + local

    def objects_of(self, subject_iri: str) -> list[Mapping]:
        """Return the rows of one source term (by IRI)."""
        return [m for m in self.rows if self.expand(m.subject_id) == subject_iri]


def mapping_file(name: str) -> Path:
    """Return the bundled table ``name`` (without ``.sssom.tsv``)."""
    return mapping_dir() / f"{name}.sssom.tsv"


@cache
def read_mappings(path: Path) -> MappingSet:
    """Read one SSSOM TSV table (cached: the bundled tables do not change while running).

    Raises:
        DataFileError: a row lacks a column, uses an unknown predicate or prefix, or gives a
            confidence that is not a number from 0 to 1 (the message names the line).

    """
    curie_map: dict[str, str] = {}
    header: list[str] = []
    rows: list[Mapping] = []
    in_map = False
    with path.open(encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines()
    body_start = 0
    for number, line in enumerate(lines, 1):
        if not line.startswith("#"):
            body_start = number - 1
            break
        meta = line[1:].strip()
        if meta.startswith("curie_map:"):
            in_map = True
        elif in_map and ":" in meta and line.startswith("#   "):
            prefix, _, iri = meta.partition(":")
            curie_map[prefix.strip()] = iri.strip()
        else:
            in_map = False
    reader = csv.reader(lines[body_start:], delimiter="\t")
    for offset, fields in enumerate(reader):
        number = body_start + offset + 1
        if not header:
            header = fields
            if tuple(header) != COLUMNS:
                raise DataFileError(str(path), f"the columns must be {', '.join(COLUMNS)}",
                                    line=number)
            continue
        if not fields:
            continue
        if len(fields) != len(COLUMNS):
            raise DataFileError(str(path), f"has {len(fields)} fields, not {len(COLUMNS)}",
                                line=number)
        row = dict(zip(COLUMNS, fields, strict=True))
        if row["object_id"] != NO_TERM_FOUND and row["predicate_id"] not in PREDICATES:
            raise DataFileError(str(path), f"unknown predicate {row['predicate_id']!r}; use one "
                                f"of {', '.join(PREDICATES)}", line=number)
        confidence = None
        if row["confidence"]:
            try:
                confidence = Decimal(row["confidence"])
            except InvalidOperation:
                confidence = Decimal(-1)
            if not 0 <= confidence <= 1:
                raise DataFileError(str(path), f"confidence {row['confidence']!r} is not a "
                                    "number from 0 to 1", line=number)
        rows.append(Mapping(row["subject_id"], row["subject_label"], row["predicate_id"],
                            row["object_id"], row["object_label"],
                            row["mapping_justification"], confidence, row["comment"]))
    table = MappingSet(path, curie_map, tuple(rows))
    for m in table.rows:  # every prefix resolves
        table.expand(m.subject_id)
        if m.found:
            table.expand(m.object_id)
    return table


def mapping_quads() -> list[ox.Quad]:
    """Return the bundled mappings as triples: one SKOS link per row that found a term.

    The source terms and records themselves are described by the importers.

    Example:
        >>> quads = mapping_quads()
        >>> any(q.object.value.endswith("kb/barbell_hip_thrust") for q in quads)
        True

    """
    quads: set[ox.Quad] = set()
    graph = ox.DefaultGraph()
    for path in mapping_files():
        table = read_mappings(path)
        for m in table.rows:
            if m.found:
                quads.add(ox.Quad(ox.NamedNode(table.expand(m.subject_id)),
                                  ox.NamedNode(table.expand(m.predicate)),
                                  ox.NamedNode(table.expand(m.object_id)), graph))
    return sorted(quads, key=str)
