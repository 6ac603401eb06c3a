"""Typed models (pydantic) of the graph's entities, their JSON form and their RDF form.

Every field that holds a fact names its RDF predicate (``rdf("gg:partOf")``; a leading ``^``
means the link points at this entity, as ``^gg:partOf`` for a muscle's regions). That one
mapping is used both ways: to build a model from the graph and to turn a model back into
triples, so models round-trip through RDF and through JSON.

Example:
    >>> from glutegraph.namespaces import KB
    >>> muscle = Muscle(iri=KB.gluteus_medius, label="gluteus medius",
    ...                 innervated_by=[Ref(iri=KB.superior_gluteal_nerve)])
    >>> Muscle.from_rdf(muscle.to_rdf(), muscle.iri) == muscle
    True
    >>> Muscle.model_validate_json(muscle.model_dump_json()) == muscle
    True

"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict, Field

from glutegraph.facts import RDF_TYPE, RDFS_LABEL, Shape, Slot, shape_for
from glutegraph.facts import Facts as PlainFacts
from glutegraph.facts import incoming as plain_incoming
from glutegraph.model_table import SHAPES
from glutegraph.namespaces import PREFIXES
from glutegraph.terms import curie, expand, to_term

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "Caution",
    "Claim",
    "Condition",
    "Contribution",
    "DiagnosticAccuracy",
    "DiagnosticTest",
    "Entity",
    "Exercise",
    "Facts",
    "Finding",
    "ImportedExercise",
    "Joint",
    "JointAction",
    "Measurement",
    "Muscle",
    "MuscleGroup",
    "MuscleRegion",
    "MuscularStructure",
    "Nerve",
    "PooledEstimate",
    "Progression",
    "Ref",
    "SourceText",
    "Study",
    "Treatment",
    "TreatmentEvidence",
    "model_for",
]

M = TypeVar("M", bound="Entity")


def rdf(predicate: str, *, lang: str | None = None, datatype: str | None = None) -> Any:
    """Declare a field's RDF predicate (a CURIE; ``^`` first for an incoming link)."""
    extra = {"rdf": predicate, "lang": lang, "datatype": datatype}
    return Field(default=None, json_schema_extra=extra)  # type: ignore[arg-type]


def rdf_list(predicate: str) -> Any:
    """Declare a many-valued field's RDF predicate."""
    return Field(default=[], json_schema_extra={"rdf": predicate})  # copied per instance


class Ref(BaseModel):
    """A link to another entity: its IRI and, when known, its label.

    Example:
        >>> from glutegraph.namespaces import KB
        >>> str(Ref(iri=KB.piriformis, label="piriformis")), Ref(iri=KB.piriformis).curie
        ('piriformis', 'kb:piriformis')

    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    iri: str
    label: str | None = None

    @property
    def curie(self) -> str:
        """The IRI as a CURIE when it has a known prefix."""
        return curie(self.iri)

    @property
    def name(self) -> str:
        """The label, or the IRI's local name when there is no label."""
        return self.label or self.curie.rpartition(":")[2]

    def __str__(self) -> str:
        return self.label or self.curie


class Entity(BaseModel):
    """Anything in the graph with an IRI: the fields every entity may have.

    ``evidence_status`` says how the facts were checked: Primary (read in the source),
    Secondary (from a summary or reference work) or Unconfirmed.
    """

    # defer_build: a model's validator is built when first used, not at import (the command
    # line and ``import glutegraph.models`` skip about 60 ms of pydantic schema building).
    model_config = ConfigDict(frozen=True, defer_build=True)
    RDF_TYPE: ClassVar[str | None] = None

    iri: str
    label: str | None = rdf("rdfs:label", lang="en")
    definition: str | None = rdf("obo:IAO_0000115", lang="en")
    synonyms: list[str] = rdf_list("oboInOwl:hasExactSynonym")
    related_synonyms: list[str] = rdf_list("oboInOwl:hasRelatedSynonym")
    xrefs: list[str] = rdf_list("oboInOwl:hasDbXref")
    exact_matches: list[Ref] = rdf_list("skos:exactMatch")
    close_matches: list[Ref] = rdf_list("skos:closeMatch")
    broad_matches: list[Ref] = rdf_list("skos:broadMatch")
    close_match_codes: list[str] = rdf_list("gg:closeMatchCode")
    broad_match_codes: list[str] = rdf_list("gg:broadMatchCode")
    sources: list[Ref] = rdf_list("dcterms:source")
    evidence_status: Ref | None = rdf("gg:evidenceStatus")
    notes: list[str] = rdf_list("skos:editorialNote")
    #: The files added with :meth:`glutegraph.KnowledgeGraph.add` that state facts about this
    #: entity (absolute paths); empty when everything about it is bundled. Read it beside
    #: ``sources``: an added measurement cites its own study *and* names the file it came from.
    added_from: list[str] = []

    @property
    def curie(self) -> str:
        """The IRI as a CURIE (``kb:gluteus_medius``)."""
        return curie(self.iri)

    @property
    def ref(self) -> Ref:
        """A :class:`Ref` to this entity."""
        return Ref(iri=self.iri, label=self.label)

    def __str__(self) -> str:
        return f"{self.label or self.curie} ({self.curie})"

    def __repr__(self) -> str:
        """One line (pydantic's repr of a muscle runs to kilobytes): the class and ``str()``."""
        from glutegraph.jupyter import short_repr

        return short_repr(self)

    def _repr_html_(self) -> str:
        """Return a card for Jupyter: label, definition, key fields, sources (links if known)."""
        from glutegraph.jupyter import entity_html

        return entity_html(self)

    def to_triples(self) -> list[ox.Triple]:
        """Return the model as RDF triples (pyoxigraph terms), including nested models."""
        return sorted(set(_to_triples(self)), key=str)

    def to_rdf(self) -> Graph:
        """Return the model as an rdflib graph (with glutegraph's prefixes bound).

        Example:
            >>> from glutegraph.namespaces import KB
            >>> g = Muscle(iri=KB.piriformis, label="piriformis").to_rdf()
            >>> for line in sorted(g.serialize(format="nt").splitlines()):
            ...     print(line)
            <https://w3id.org/glutegraph/kb/piriformis>
                <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>
                <https://w3id.org/glutegraph/ontology/Muscle> .
            <https://w3id.org/glutegraph/kb/piriformis>
                <http://www.w3.org/2000/01/rdf-schema#label> "piriformis"@en .

        """
        from glutegraph.rdf import graph_from_triples

        return graph_from_triples(self.to_triples())

    @classmethod
    def from_rdf(cls, graph: Graph | Iterable[ox.Triple], iri: str) -> typing.Self:
        """Build the model of ``iri`` from an rdflib graph or from pyoxigraph triples."""
        if not isinstance(graph, list | tuple | set):
            from rdflib import Graph

            if isinstance(graph, Graph):
                data = graph.serialize(format="nt", encoding="utf-8")
                graph = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        return Facts.from_triples(graph).build(cls, iri)


# ------------------------------------------------------------------ anatomy and function


class Contribution(Entity):
    """A structure's part in a joint action, with its role and the hip position it needs."""

    RDF_TYPE = "gg:ActionContribution"
    contributor: Ref | None = rdf("gg:contributor")
    action: Ref | None = rdf("gg:action")
    role: Ref | None = rdf("gg:role")
    hip_positions: list[Ref] = rdf_list("gg:inHipPosition")


class MuscularStructure(Entity):
    """A muscle, a region of one, or a group of muscles."""

    part_of: list[Ref] = rdf_list("gg:partOf")
    parts: list[Ref] = rdf_list("^gg:partOf")
    origins: list[Ref] = rdf_list("gg:hasOrigin")
    insertions: list[Ref] = rdf_list("gg:hasInsertion")
    innervated_by: list[Ref] = rdf_list("gg:innervatedBy")
    crosses_joints: list[Ref] = rdf_list("gg:crossesJoint")
    located_in: list[Ref] = rdf_list("gg:locatedIn")
    actions: list[Contribution] = rdf_list("^gg:contributor")


class Muscle(MuscularStructure):
    """A skeletal muscle (gluteus maximus, piriformis, ...)."""

    RDF_TYPE = "gg:Muscle"


class MuscleRegion(MuscularStructure):
    """A region of a muscle with its own action or EMG record (upper gluteus maximus, ...)."""

    RDF_TYPE = "gg:MuscleRegion"


class MuscleGroup(MuscularStructure):
    """A named group of muscles (the gluteal muscles, the hamstrings, ...)."""

    RDF_TYPE = "gg:MuscleGroup"


class JointAction(Entity):
    """A movement at a joint (hip extension, hip abduction, pelvic stabilisation, ...)."""

    RDF_TYPE = "gg:JointAction"
    joints: list[Ref] = rdf_list("gg:ofJoint")
    opposes: list[Ref] = rdf_list("gg:opposes")
    opposed_by: list[Ref] = rdf_list("^gg:opposes")
    contributions: list[Contribution] = rdf_list("^gg:action")


class Joint(Entity):
    """A joint (hip, knee, ...)."""

    RDF_TYPE = "gg:Joint"
    actions: list[Ref] = rdf_list("^gg:ofJoint")
    crossed_by: list[Ref] = rdf_list("^gg:crossesJoint")


class Nerve(Entity):
    """A nerve, with its spinal roots and the muscles it supplies."""

    RDF_TYPE = "gg:Nerve"
    spinal_roots: list[Ref] = rdf_list("gg:hasSpinalRoot")
    branch_of: list[Ref] = rdf_list("gg:branchOf")
    branches: list[Ref] = rdf_list("^gg:branchOf")
    supplies: list[Ref] = rdf_list("^gg:innervatedBy")
    located_in: list[Ref] = rdf_list("gg:locatedIn")


# ------------------------------------------------------------------ evidence


class EmgFigure(Entity):
    """What a study's EMG figure and a review's pooled estimate share (``gg:Measurement``).

    The exercise and muscle, the mean and SD in %MVIC, n, the derived activation level, the
    fields the source did not report or that could not be read, and any quality concern.
    """

    exercise: Ref | None = rdf("gg:exercise")
    muscle: Ref | None = rdf("gg:muscle")
    mean_mvic: Decimal | None = rdf("gg:meanPercentMVIC")
    sd_mvic: Decimal | None = rdf("gg:sdPercentMVIC")
    sample_size: int | None = rdf("gg:sampleSize")
    activation_level: Ref | None = rdf("gg:activationLevel")
    not_reported: list[str] = rdf_list("gg:notReported")
    not_read: list[str] = rdf_list("gg:notRead")
    concerns: list[str] = rdf_list("gg:qualityConcern")


class Measurement(EmgFigure):
    """An EMG activation figure: one exercise, one muscle, one study (mean, SD, peak in %MVIC).

    %MVIC figures from different studies are not directly comparable: read the load, the
    population and the sample size beside them.
    """

    RDF_TYPE = "gg:ActivationMeasurement"
    study: Ref | None = rdf("gg:reportedBy")
    peak_mvic: Decimal | None = rdf("gg:peakPercentMVIC")
    load: str | None = rdf("gg:load")
    population: str | None = rdf("gg:population")
    electrode: Ref | None = rdf("gg:electrode")

    @property
    def figure(self) -> str:
        """The headline figure: the mean, or the peak (marked) when only a peak was reported.

        Example:
            >>> Measurement(iri="x", peak_mvic=Decimal(103)).figure
            '103 (peak)'

        """
        if self.mean_mvic is not None:
            return f"{self.mean_mvic}"
        if self.peak_mvic is not None:
            return f"{self.peak_mvic} (peak)"
        return "-"

    def __str__(self) -> str:
        mean = f"{self.figure} %MVIC" if self.figure != "-" else "no mean"
        extra = ", ".join(
            x
            for x in (
                f"n={self.sample_size}" if self.sample_size else "",
                self.population or "",
                self.load or "",
            )
            if x
        )
        context = f"{self.study}; {extra}" if extra else str(self.study)
        return f"{self.exercise} / {self.muscle}: {mean} ({context})"


class PooledEstimate(EmgFigure):
    """A review's summary of several studies' figures for one exercise and muscle.

    Kept apart from :class:`Measurement` so that a study's result is never counted twice:
    ``pools`` names the studies whose figures it summarises.

    Example:
        >>> from glutegraph.namespaces import KB
        >>> p = PooledEstimate(iri=KB.pool_x, min_mvic=Decimal(40), max_mvic=Decimal(87))
        >>> p.range
        '40-87 %MVIC'

    """

    RDF_TYPE = "gg:PooledEstimate"
    review: Ref | None = rdf("gg:reportedBy")
    pools: list[Ref] = rdf_list("gg:pools")
    study_count: int | None = rdf("gg:studyCount")
    min_mvic: Decimal | None = rdf("gg:minPercentMVIC")
    max_mvic: Decimal | None = rdf("gg:maxPercentMVIC")

    @property
    def range(self) -> str:
        """The figure as text: the mean, the range, or both."""
        parts = []
        if self.mean_mvic is not None:
            parts.append(f"mean {self.mean_mvic}")
        if self.min_mvic is not None and self.max_mvic is not None:
            parts.append(f"{self.min_mvic}-{self.max_mvic}")
        return (", ".join(parts) or "no figure") + " %MVIC"


class Finding(Entity):
    """A quantitative or qualitative result of a study, about muscles, exercises or conditions."""

    RDF_TYPE = "gg:Finding"
    text: str | None = rdf("gg:finding")
    value: Decimal | None = rdf("gg:value")
    unit: str | None = rdf("gg:unit")
    about: list[Ref] = rdf_list("gg:about")
    conditions: list[Ref] = rdf_list("gg:condition")
    studies: list[Ref] = rdf_list("gg:reportedBy")


class Study(Entity):
    """A published study, with its bibliographic details."""

    RDF_TYPE = "gg:Study"
    title: str | None = rdf("dcterms:title")
    first_author: str | None = rdf("gg:firstAuthor")
    authors: str | None = rdf("gg:authors")
    year: int | None = rdf("gg:year")
    journal: str | None = rdf("gg:journal")
    volume: str | None = rdf("bibo:volume")
    issue: str | None = rdf("bibo:issue")
    pages: str | None = rdf("bibo:pages")
    doi: str | None = rdf("bibo:doi")
    pmid: str | None = rdf("bibo:pmid")
    pmcid: str | None = rdf("gg:pmcid")
    url: str | None = rdf("gg:url", datatype="xsd:anyURI")
    design: Ref | None = rdf("gg:studyDesign")

    @property
    def citation(self) -> str:
        """A one-line citation: authors, year, title, journal, DOI."""
        parts = [self.authors or self.first_author or "", f"({self.year})" if self.year else ""]
        parts += [self.title or self.label or "", self.journal or ""]
        if self.doi:
            parts.append(f"doi:{self.doi}")
        return " ".join(p for p in parts if p)


class Claim(Entity):
    """A statement of the source article, with the verdict of the evidence on it."""

    RDF_TYPE = "gg:Claim"
    text: str | None = rdf("gg:claimText")
    verdict: Ref | None = rdf("gg:verdict")
    correction: str | None = rdf("gg:correction")
    evidence: list[Ref] = rdf_list("gg:evidence")
    about: list[Ref] = rdf_list("gg:about")


# ------------------------------------------------------------------ exercises


class Progression(Entity):
    """One exercise as a harder step after another: how it is harder, and the evidence."""

    RDF_TYPE = "gg:Progression"
    easier: Ref | None = rdf("gg:easierExercise")
    harder: Ref | None = rdf("gg:harderExercise")
    kinds: list[Ref] = rdf_list("gg:progressionBy")
    finding: str | None = rdf("gg:finding")
    evidence: list[Ref] = rdf_list("gg:evidence")


class Caution(Entity):
    """What a person with a condition should avoid or modify (an exercise, action or position)."""

    RDF_TYPE = "gg:ConditionCaution"
    condition: Ref | None = rdf("gg:condition")
    about: list[Ref] = rdf_list("gg:cautionAbout")
    advice: Ref | None = rdf("gg:advice")
    finding: str | None = rdf("gg:finding")
    modification: str | None = rdf("gg:modification")
    evidence: list[Ref] = rdf_list("gg:evidence")


class Exercise(Entity):
    """An exercise: the actions it trains, the muscles it targets, its equipment and level."""

    RDF_TYPE = "gg:Exercise"
    actions: list[Ref] = rdf_list("gg:trainsAction")
    primary_targets: list[Ref] = rdf_list("gg:primaryTarget")
    secondary_targets: list[Ref] = rdf_list("gg:secondaryTarget")
    equipment: list[Ref] = rdf_list("gg:usesEquipment")
    difficulty: Ref | None = rdf("gg:difficulty")
    complexity: Ref | None = rdf("gg:complexity")
    laterality: Ref | None = rdf("gg:laterality")
    extension_pattern: Ref | None = rdf("gg:extensionPattern")
    dominant_joint: Ref | None = rdf("gg:dominantJoint")
    progresses_to: list[Ref] = rdf_list("gg:progressesTo")
    regresses_to: list[Ref] = rdf_list("^gg:progressesTo")
    harder_steps: list[Progression] = rdf_list("^gg:easierExercise")
    easier_steps: list[Progression] = rdf_list("^gg:harderExercise")
    cautions: list[Caution] = rdf_list("^gg:cautionAbout")
    pooled: list[PooledEstimate] = rdf_list("^gg:exercise")
    variant_of: list[Ref] = rdf_list("gg:variantOf")
    variants: list[Ref] = rdf_list("^gg:variantOf")
    instructions: str | None = rdf("gg:instructions")
    measurements: list[Measurement] = rdf_list("^gg:exercise")
    #: The records of open data sets (or your tables) that a reviewed mapping says are this
    #: same exercise (``skos:exactMatch``, ``ontology/mappings/exercise-matches.sssom.tsv``),
    #: whether or not the data set is loaded.
    same_records: list[Ref] = rdf_list("^skos:exactMatch")
    #: Those records themselves, when their data set is loaded: instructions, pictures, licence.
    records: list[ImportedExercise] = rdf_list("^skos:exactMatch")
    #: Records that are a close variant of it (``skos:closeMatch``).
    close_records: list[ImportedExercise] = rdf_list("^skos:closeMatch")

    @property
    def imported(self) -> bool:
        """Whether this is a record imported from a data set or table, not a curated exercise."""
        return False

    @property
    def free_exercise_db_id(self) -> str | None:
        """The id of the free-exercise-db record that is this exercise, if one is.

        Example:
            >>> Exercise(iri="x", same_records=[Ref(iri=PREFIXES["fedb"] + "exercise/Goblet_Squat")]
            ...          ).free_exercise_db_id
            'Goblet_Squat'

        """
        start = PREFIXES["fedb"] + "exercise/"
        found = sorted(r.iri[len(start):] for r in self.same_records if r.iri.startswith(start))
        return found[0] if found else None


class Attributed(Entity):
    """What every imported record keeps: its id in the data set, its licence and author."""

    identifier: str | None = rdf("dcterms:identifier")
    license: Ref | None = rdf("dcterms:license")
    creator: str | None = rdf("dcterms:creator")


class SourceText(Attributed):
    """A name and description of an imported exercise in one language, with its own author.

    wger's records are translated by many people: each text keeps its licence and author.
    """

    RDF_TYPE = "gg:SourceText"
    name: str | None = rdf("skos:prefLabel")
    language: str | None = rdf("dcterms:language")
    instructions: str | None = rdf("gg:sourceInstructions")


class ImportedExercise(Exercise, Attributed):
    """An exercise as an open data set or your table records it: names and coarse tags.

    The curated fields (actions, targets, laterality, ...) stay empty: the source does not say
    them. ``tagged_primary``/``tagged_secondary`` are the source's own muscle terms
    (``wger:muscle/8`` "Gluteus maximus", ``fedb:muscle/glutes``), which the SSSOM tables in
    ``ontology/mappings/`` relate to glutegraph's; ``sources`` names the data set,
    ``identifier`` the record there, and ``license`` and ``creator`` whom to credit.
    """

    RDF_TYPE = "gg:ImportedExercise"
    level: str | None = rdf("gg:sourceLevel")
    tagged_primary: list[Ref] = rdf_list("gg:taggedPrimary")
    tagged_secondary: list[Ref] = rdf_list("gg:taggedSecondary")
    source_equipment: list[Ref] = rdf_list("gg:sourceEquipment")
    category: Ref | None = rdf("gg:sourceCategory")
    source_instructions: str | None = rdf("gg:sourceInstructions", lang="en")
    images: list[str] = rdf_list("gg:image")
    variation_group: str | None = rdf("gg:variationGroup")
    other_names: list[str] = rdf_list("skos:altLabel")
    row: int | None = rdf("gg:sourceRow")
    #: The record's texts in each language (wger), each with its licence and author.
    texts: list[SourceText] = rdf_list("^gg:translationOf")
    #: The text whose name and instructions the record shows (credit its ``creator`` for them).
    text_from: Ref | None = rdf("gg:textFrom")

    @property
    def instructions_credit(self) -> str | None:
        """Who wrote the instructions shown (the text's author, else the record's), if known."""
        for text in self.texts:
            if self.text_from and text.iri == self.text_from.iri and text.creator:
                return text.creator
        return self.creator

    @property
    def imported(self) -> bool:
        """Always True: this is an imported record."""
        return True


# ------------------------------------------------------------------ conditions and treatments


class DiagnosticAccuracy(Entity):
    """How well a test detects a condition in one study (sensitivity, specificity)."""

    RDF_TYPE = "gg:DiagnosticAccuracy"
    test: Ref | None = rdf("gg:test")
    condition: Ref | None = rdf("gg:condition")
    study: Ref | None = rdf("gg:reportedBy")
    sensitivity: Decimal | None = rdf("gg:sensitivity")
    specificity: Decimal | None = rdf("gg:specificity")
    reference_standard: str | None = rdf("gg:referenceStandard")
    sample_size: int | None = rdf("gg:sampleSize")


class DiagnosticTest(Entity):
    """A clinical test (FAIR test, Freiberg sign, ...), with its accuracy where measured."""

    RDF_TYPE = "gg:DiagnosticTest"
    detects: list[Ref] = rdf_list("gg:detects")
    accuracy: list[DiagnosticAccuracy] = rdf_list("^gg:test")


class TreatmentEvidence(Entity):
    """The evidence for one treatment of one condition, with its strength and studies."""

    RDF_TYPE = "gg:TreatmentEvidence"
    treatment: Ref | None = rdf("gg:treatment")
    condition: Ref | None = rdf("gg:condition")
    strength: Ref | None = rdf("gg:evidenceStrength")
    finding: str | None = rdf("gg:finding")
    effect_direction: Ref | None = rdf("gg:effectDirection")
    comparator: str | None = rdf("gg:comparator")
    follow_up: str | None = rdf("gg:followUp")
    studies: list[Ref] = rdf_list("gg:evidence")


class Treatment(Entity):
    """A treatment, the conditions it is shown to ameliorate, and the evidence per condition."""

    RDF_TYPE = "gg:Treatment"
    ameliorates: list[Ref] = rdf_list("gg:ameliorates")
    evidence: list[TreatmentEvidence] = rdf_list("^gg:treatment")


class Condition(Entity):
    """A condition: what it involves, its symptoms, tests, treatments and findings."""

    RDF_TYPE = "gg:Condition"
    involves: list[Ref] = rdf_list("gg:involves")
    symptoms: list[Ref] = rdf_list("gg:hasSymptom")
    risk_factors: list[Ref] = rdf_list("gg:hasRiskFactor")
    subtype_of: list[Ref] = rdf_list("gg:subtypeOf")
    subtypes: list[Ref] = rdf_list("^gg:subtypeOf")
    related: list[Ref] = rdf_list("gg:relatedCondition")
    tests: list[Ref] = rdf_list("^gg:detects")
    test_accuracy: list[DiagnosticAccuracy] = rdf_list("^gg:condition")
    treatments: list[TreatmentEvidence] = rdf_list("^gg:condition")
    findings: list[Finding] = rdf_list("^gg:condition")
    cautions: list[Caution] = rdf_list("^gg:condition")


#: The node classes built inside other models (fetched with the entity they point at).
NESTED = (
    Contribution,
    Measurement,
    PooledEstimate,
    Finding,
    DiagnosticAccuracy,
    TreatmentEvidence,
    Progression,
    Caution,
    ImportedExercise,
    SourceText,
)

_MODELS: tuple[type[Entity], ...] = (
    Muscle,
    MuscleRegion,
    MuscleGroup,
    JointAction,
    Joint,
    Nerve,
    Exercise,
    Condition,
    Treatment,
    DiagnosticTest,
    Study,
    Claim,
    *NESTED,
)


def nests(model: type[Entity]) -> bool:
    """Return True when a model has fields filled from links that point at the entity.

    Example:
        >>> nests(Muscle), nests(Study)
        (True, False)

    """
    return _shape(model).nests


def incoming(expected: type[Entity]) -> list[str] | None:
    """Return the links pointing at an entity that its model reads (full IRIs), or None for all.

    See :func:`glutegraph.facts.incoming` (by the model's name).

    Example:
        >>> [curie(p) for p in incoming(MuscularStructure)]
        ['gg:contributor', 'gg:partOf']
        >>> incoming(Entity) is None
        True

    """
    return plain_incoming(expected.__name__)


def model_for(types_: Iterable[str]) -> type[Entity]:
    """Return the model class for an entity with these rdf:types (full IRIs); else Entity.

    Example:
        >>> model_for([expand("gg:Exercise")]).__name__
        'Exercise'

    """
    return _CLASSES[shape_for(types_).name]


def model_named(name: str) -> type[Entity]:
    """Return the model class of this name (``"Muscle"``; see :func:`entity_classes`)."""
    return _CLASSES[name]


# ------------------------------------------------------------------ the predicate mapping


def _slots(cls: type[Entity]) -> tuple[Slot, ...]:
    return _shape(cls).slots


@cache
def _shape(cls: type[Entity]) -> Shape:
    """Return a model's shape: from the table, else (a model made outside) from its fields."""
    known = SHAPES.get(cls.__name__)
    return known if known is not None and _CLASSES.get(cls.__name__) is cls else shape_of(cls)


def entity_classes() -> list[type[Entity]]:
    """Return Entity and every model derived from it, parents first.

    Example:
        >>> [c.__name__ for c in entity_classes()][:3]
        ['Entity', 'Contribution', 'MuscularStructure']

    """
    found: list[type[Entity]] = []
    todo: list[type[Entity]] = [Entity]
    while todo:
        cls = todo.pop(0)
        if cls not in found:
            found.append(cls)
            todo += cls.__subclasses__()
    return found


_CLASSES: dict[str, type[Entity]] = {cls.__name__: cls for cls in entity_classes()}


def shape_of(cls: type[Entity]) -> Shape:
    """Return a model's shape as its pydantic fields declare it (what model_table.py holds).

    Example:
        >>> shape_of(Nerve) == SHAPES["Nerve"]
        True

    """
    slots = []
    fields = []
    hints = typing.get_type_hints(cls)
    for name, info in cls.model_fields.items():
        many, inner = _unwrap(hints[name])
        assert name == "iri" or info.default == ([] if many else None), (cls, name)
        fields.append((name, many))
        extra = info.json_schema_extra
        if not isinstance(extra, dict) or "rdf" not in extra:
            continue
        raw = str(extra["rdf"])
        predicate = expand(raw.lstrip("^"))
        assert predicate is not None, raw
        kind = {str: "str", Decimal: "decimal", int: "int", Ref: "ref"}.get(inner, "model")
        lang, datatype = extra.get("lang"), extra.get("datatype")
        slots.append(Slot(name, predicate, raw.startswith("^"), many, kind,
                          inner.__name__ if kind == "model" else None,
                          str(lang) if lang else None,
                          expand(str(datatype)) if datatype else None))
    ancestors = tuple(c.__name__ for c in cls.__mro__ if issubclass(c, Entity))
    return Shape(cls.__name__, expand(cls.RDF_TYPE) if cls.RDF_TYPE else None, tuple(fields),
                 tuple(slots), ancestors)


def _unwrap(hint: Any) -> tuple[bool, Any]:
    """``list[X]`` -> (True, X); ``X | None`` -> (False, X)."""
    origin = typing.get_origin(hint)
    if origin is list:
        return True, typing.get_args(hint)[0]
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return False, inner[0]
    return False, hint


def table_source() -> str:
    """Return the text of :mod:`glutegraph.model_table`: every model's shape, from its fields."""
    lines = [
        '"""The fields of every model and their RDF predicates (see :mod:`glutegraph.facts`).',
        "",
        "Written from glutegraph/models.py by ``python -m glutegraph.model_table``: do not edit;",
        "run that after changing a model (tests/test_facts.py checks that this file is current).",
        '"""',
        "",
        "from glutegraph.facts import Shape, Slot",
        "",
        "#: The models tried, in order, for an entity's rdf:types (glutegraph.facts.shape_for).",
        f"MATCH_ORDER = {tuple(m.__name__ for m in _MODELS)!r}",
        "",
        "#: Model name -> its shape.",
        "SHAPES: dict[str, Shape] = {",
    ]
    for cls in entity_classes():
        shape = shape_of(cls)
        lines.append(f"    {shape.name!r}: Shape(")
        lines.append(f"        {shape.name!r}, {shape.rdf_type!r},")
        lines.append(f"        {shape.fields!r},")
        lines.append("        (")
        lines += [f"            {slot!r}," for slot in shape.slots]
        lines.append("        ),")
        lines.append(f"        {shape.ancestors!r},")
        lines.append("    ),")
    lines += [
        "}",
        "",
        "",
        'if __name__ == "__main__":  # python -m glutegraph.model_table: write this file again',
        "    from pathlib import Path",
        "",
        "    from glutegraph.models import table_source",
        "",
        '    Path(__file__).write_text(table_source(), encoding="utf-8")',
    ]
    return "\n".join(lines) + "\n"


class Facts(PlainFacts):
    """Triples grouped for building models (see :class:`glutegraph.facts.Facts`).

    Refs are :class:`Ref` models (one per IRI, shared: Ref is frozen), nested entities models.
    """

    def ref(self, iri: str) -> Ref:
        """Return the :class:`Ref` to ``iri``."""
        return Ref(iri=iri, label=self.labels.get(iri))

    def nested(self, model: str, iri: str) -> Entity:
        """Return the nested entity ``iri`` as its model."""
        return self.build(_CLASSES[model], iri)

    def build(self, cls: type[M], iri: str) -> M:
        """Return the model of ``iri`` from these facts."""
        return cls.model_validate(self.values(_shape(cls), iri))


def _to_triples(model: Entity) -> Iterable[ox.Triple]:
    subject = ox.NamedNode(model.iri)
    if model.RDF_TYPE:
        yield ox.Triple(subject, ox.NamedNode(RDF_TYPE), ox.NamedNode(expand(model.RDF_TYPE) or ""))
    for slot in _slots(type(model)):
        value = getattr(model, slot.name)
        items = value if slot.many else ([] if value is None else [value])
        predicate = ox.NamedNode(slot.predicate)
        for item in items:
            if slot.kind == "model":
                yield from _to_triples(item)
                node: Any = ox.NamedNode(item.iri)
            elif slot.kind == "ref":
                node = ox.NamedNode(item.iri)
                if item.label is not None:
                    label = ox.Literal(item.label, language="en")
                    yield ox.Triple(node, ox.NamedNode(RDFS_LABEL), label)
            elif slot.lang:
                node = ox.Literal(str(item), language=slot.lang)
            elif slot.datatype:
                node = ox.Literal(str(item), datatype=ox.NamedNode(slot.datatype))
            else:
                node = to_term(item)
            if slot.inverse:
                yield ox.Triple(node, predicate, subject)
            else:
                yield ox.Triple(subject, predicate, node)
