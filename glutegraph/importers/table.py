r"""Your own data from a spreadsheet: exercise lists and EMG measurements as CSV tables.

Save the sheet as CSV (comma, semicolon or tab separated; UTF-8) with a header row. The
header says which template the table follows:

**Exercises** (one row per exercise; ``name`` is required)::

    name, id, level, equipment, primary_muscles, secondary_muscles, instructions, same_as,
    license, author

**Measurements** (one row per exercise, muscle and study; ``exercise``, ``muscle``,
``study``, ``mean_mvic`` or ``peak_mvic``, and ``doi`` or ``url`` are required)::

    exercise, muscle, study, mean_mvic, sd_mvic, peak_mvic, n, year, doi, url, design,
    population, load, electrode, status, id

Levels, muscles, equipment, exercises and ``same_as`` are glutegraph names (labels, synonyms,
CURIEs: "glute med", "kb:barbell"); several values are separated by ``;``. A measurement's
exercise may be a curated one, an imported one, or one of an exercises table added in the
same call. ``design`` is cross-sectional (the default), training, randomised trial, cohort or
systematic review. ``status`` is how the figure was read (primary, secondary, unconfirmed; empty
means unconfirmed); ``n`` left empty is recorded as not reported.

Every row is checked; a bad row is reported with its row number (1 is the header), column and
reason, and nothing is imported unless ``partial=True``, which imports the good rows only.

Example:
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> sheet = folder / "my-exercises.csv"
    >>> _ = sheet.write_text("name,level,primary_muscles\nBanded crab walk,beginner,glute med\n")
    >>> done = import_table(sheet)
    >>> done.report.imported, done.report.muscle_tags_mapped
    (1, 1)

"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from glutegraph.errors import (
    AmbiguousNameError,
    DataFileError,
    GluteGraphError,
    TableError,
    UnknownNameError,
)
from glutegraph.importers.building import (
    DATA,
    MAX_RECORDS,
    Builder,
    Import,
    ImportReport,
    Skipped,
    Timer,
    slug,
)
from glutegraph.importers.records import Name, Text
from glutegraph.importers.sssom import is_record
from glutegraph.store import content_digest

if TYPE_CHECKING:
    from glutegraph.names import NameIndex

#: The largest table read (bytes).
MAX_TABLE_BYTES = 32 * 2**20
EXERCISE_COLUMNS = ("name", "id", "level", "equipment", "primary_muscles", "secondary_muscles",
                    "instructions", "same_as", "license", "author")
MEASUREMENT_COLUMNS = ("exercise", "muscle", "study", "mean_mvic", "sd_mvic", "peak_mvic", "n",
                       "year", "doi", "url", "design", "population", "load", "electrode",
                       "status", "id")
#: Study designs a table may name; an EMG study of exercises is cross-sectional by default.
DESIGN = {"cross-sectional": "gg:CrossSectionalStudy", "training": "gg:TrainingStudy",
          "randomised trial": "gg:RandomisedControlledTrial", "cohort": "gg:CohortStudy",
          "systematic review": "gg:SystematicReview"}
STATUS = {"primary": "gg:Primary", "secondary": "gg:Secondary", "unconfirmed": "gg:Unconfirmed"}
ELECTRODE = {"surface": "gg:SurfaceElectrode", "fine-wire": "gg:FineWireElectrode",
             "fine wire": "gg:FineWireElectrode"}


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def _split(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


#: Applied before a column's type: an empty cell is "not given".
Blank = BeforeValidator(_blank_is_none)
Several = Annotated[list[Name], BeforeValidator(_split), Field(max_length=30)]
Figure = Annotated[Decimal, Field(ge=0, le=1000, max_digits=8)]
Id = Annotated[str, Field(pattern=r"^[0-9A-Za-z_.-]{1,120}$")]
Url = Annotated[str, Field(pattern=r"^https?://\S{1,300}$")]
Doi = Annotated[str, Field(pattern=r"^10\.\d{4,9}/\S{1,200}$")]
Short = Annotated[str, Field(max_length=300)]
Design = Literal["cross-sectional", "training", "randomised trial", "cohort", "systematic review"]


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


class ExerciseRow(BaseModel):
    """One row of the exercises template."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    id: Annotated[Id | None, Blank] = None
    level: Annotated[Name | None, Blank] = None
    equipment: Several = []
    primary_muscles: Several = []
    secondary_muscles: Several = []
    instructions: Annotated[Text | None, Blank] = None
    same_as: Annotated[Name | None, Blank] = None
    license: Annotated[Url | None, Blank] = None
    author: Annotated[Short | None, Blank] = None


class MeasurementRow(BaseModel):
    """One row of the measurements template."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    exercise: Name
    muscle: Name
    study: Name
    mean_mvic: Annotated[Figure | None, Blank] = None
    sd_mvic: Annotated[Figure | None, Blank] = None
    peak_mvic: Annotated[Figure | None, Blank] = None
    n: Annotated[Annotated[int, Field(ge=1, le=100_000)] | None, Blank] = None
    year: Annotated[Annotated[int, Field(ge=1900, le=2100)] | None, Blank] = None
    doi: Annotated[Doi | None, Blank] = None
    url: Annotated[Url | None, Blank] = None
    design: Annotated[Design | None, Blank, BeforeValidator(_lower)] = None
    population: Annotated[Short | None, Blank] = None
    load: Annotated[Short | None, Blank] = None
    electrode: Annotated[Literal["surface", "fine-wire", "fine wire"] | None, Blank,
                         BeforeValidator(_lower)] = None
    status: Annotated[Literal["primary", "secondary", "unconfirmed"] | None, Blank,
                      BeforeValidator(_lower)] = None
    id: Annotated[Id | None, Blank] = None


def import_table(
    path: Path | str,
    names: NameIndex | None = None,
    *,
    partial: bool = False,
    known: dict[str, str] | None = None,
) -> Import:
    """Read an exercises or measurements table (CSV) into triples, every row checked.

    Args:
        path: the CSV file.
        names: the graph's names, to resolve muscles, equipment and exercises (default: the
            bundled graph's).
        partial: import the good rows and report the bad ones, instead of refusing the table.
        known: exercise names (normalised) -> IRIs from tables read earlier in the same call;
            the exercises of this table are added to it.

    Raises:
        TableError: a row is bad (each problem with row, column and reason), unless
            ``partial``; or the header matches neither template.
        DataFileError: the file is missing, too large, or not text.

    """
    from glutegraph.names import normalise

    path = Path(path)
    timer = Timer()
    rows, header = _read(path)
    if names is None:
        from glutegraph.names import NameIndex
        from glutegraph.store import open_store

        names = NameIndex.build(open_store())
    known = {} if known is None else known
    kind = "measurements" if "muscle" in header and "exercise" in header else "exercises"
    columns = MEASUREMENT_COLUMNS if kind == "measurements" else EXERCISE_COLUMNS
    unknown = [c for c in header if c not in columns]
    required = ("exercise", "muscle", "study") if kind == "measurements" else ("name",)
    missing = [c for c in required if c not in header]
    if unknown or missing:
        why = []
        if missing:
            why.append(f"missing {', '.join(missing)}")
        if unknown:
            why.append(f"unknown {', '.join(repr(c) for c in unknown)}")
        raise TableError(str(path), [(1, "header", f"{'; '.join(why)}. The {kind} template's "
                                      f"columns are: {', '.join(columns)}")])
    table_node = table_iri(path)
    base = table_node + "/"
    b = Builder()
    report = ImportReport(f"{kind} table ({path})", records=len(rows))
    problems: list[tuple[int, str, str]] = []
    b.link(table_node, "rdf:type", "gg:DatasetSource")
    b.add(table_node, "rdfs:label", b.text(f"table {path.name}", "en"))
    b.add(table_node, "gg:url", b.typed(path.resolve().as_uri(), "anyURI"))
    seen: dict[str, int] = {}
    for number, values in rows:
        before = len(b.quads)
        found: list[tuple[int, str, str]] = []
        if kind == "exercises":
            _exercise(values, number, names, b, base, table_node, seen, known, report, found)
        else:
            _measurement(values, number, names, b, base, seen, known, found)
        if found:
            problems += found
            b.drop_from(before)  # nothing of a bad row stays
            for key in [k for k, row in seen.items() if row == number]:
                del seen[key]
            report.skipped.append(Skipped(f"row {number}", f"{found[0][1]}: {found[0][2]}"))
        else:
            report.imported += 1
    if problems and not partial:
        raise TableError(str(path), problems)
    if kind == "exercises":
        known.update({normalise(k): v for k, v in _names_of(b).items()})
    digest, size = content_digest(path)
    report.triples = len(b.quads)
    report.seconds = timer()
    return Import(str(path.resolve()), digest, size, b.quads, report)


def table_iri(path: Path | str) -> str:
    """Return the IRI of a table's data set node; its rows' IRIs start with it and ``/``.

    Example:
        >>> table_iri("/home/coach/My Library.csv")
        'https://w3id.org/glutegraph/data/table/My_Library'

    """
    return f"{DATA}table/{slug(Path(path).stem)}"


def _read(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    try:
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            raise DataFileError(str(path), f"is {size / 2**20:.0f} MB, more than the "
                                f"{MAX_TABLE_BYTES // 2**20} MB a table may be")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise DataFileError(str(path), "no such file") from exc
    except IsADirectoryError as exc:
        raise DataFileError(str(path), "is a folder, not a table") from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(str(path), "is not UTF-8 text; save the sheet as "
                            "\"CSV UTF-8\"") from exc
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [c.strip().lower().replace(" ", "_") for c in next(reader)]
    except StopIteration as exc:
        raise DataFileError(str(path), "is empty; the first row names the columns") from exc
    except csv.Error as exc:
        raise DataFileError(str(path), f"is not a table: {exc}", line=1) from exc
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            if len(rows) >= MAX_RECORDS:
                raise DataFileError(str(path), f"has more than {MAX_RECORDS} rows")
            if not any(v.strip() for v in values):
                continue
            padded = [*values, *[""] * (len(header) - len(values))]
            rows.append((reader.line_num, dict(zip(header, padded, strict=False))))
    except csv.Error as exc:
        raise DataFileError(str(path), f"is not a table: {exc}", line=reader.line_num) from exc
    if not rows:
        raise DataFileError(str(path), "has a header but no rows")
    return rows, header


def _validate(model: type[BaseModel], values: dict[str, str], number: int,
              found: list[tuple[int, str, str]]) -> BaseModel | None:
    try:
        return model.model_validate({k: v for k, v in values.items() if k})
    except ValidationError as error:
        for problem in error.errors():
            column = str(problem["loc"][0]) if problem["loc"] else "row"
            found.append((number, column, _why(problem)))
        return None


def _why(problem: object) -> str:
    p = problem if isinstance(problem, dict) else {}
    given = p.get("input")
    kind = p.get("type", "")
    if kind == "missing" or (isinstance(given, str) and not given.strip()):
        return "required, and empty"
    if kind == "literal_error":
        expected = str(p.get("ctx", {}).get("expected", ""))
        return f"{given!r} is not one of {expected}"
    if kind == "string_pattern_mismatch" and isinstance(given, str):
        return f"{given!r} is not in the expected form"
    return f"{p.get('msg', 'invalid')} (got {str(given)[:60]!r})"


def _resolve(names: NameIndex, name: str, kind: str, number: int, column: str,
             found: list[tuple[int, str, str]], known: dict[str, str] | None = None) -> str | None:
    if known:
        from glutegraph.names import normalise

        if normalise(name) in known:
            return known[normalise(name)]
    try:
        return names.resolve(name, kind).iri
    except (UnknownNameError, AmbiguousNameError) as error:
        found.append((number, column, str(error)))
    except GluteGraphError as error:
        found.append((number, column, str(error)))
    return None


def _exercise(values: dict[str, str], number: int, names: NameIndex, b: Builder, base: str,
              table: str, seen: dict[str, int], known: dict[str, str], report: ImportReport,
              found: list[tuple[int, str, str]]) -> None:
    row = _validate(ExerciseRow, values, number, found)
    if not isinstance(row, ExerciseRow):
        return
    key = row.id or slug(row.name).lower()
    if key in seen:
        found.append((number, "id" if row.id else "name",
                      f"the same exercise as row {seen[key]}; give an id to tell them apart"))
        return
    seen[key] = number
    node = f"{base}exercise/{key}"
    b.link(node, "rdf:type", "gg:ImportedExercise")
    b.add(node, "rdfs:label", b.text(row.name, "en"))
    b.link(node, "dcterms:source", table)
    b.add(node, "dcterms:identifier", b.text(key))
    b.add(node, "gg:sourceRow", b.typed(number, "integer"))
    if row.license:
        b.link(node, "dcterms:license", row.license)
    if row.author:
        b.add(node, "dcterms:creator", b.text(row.author))
    if row.level:  # a glutegraph level, by name ("beginner", "advanced" for expert, ...)
        level = _resolve(names, row.level, "difficulty", number, "level", found)
        if level is not None:
            b.add(node, "gg:sourceLevel", b.text(names.labels.get(level, row.level)))
    if row.instructions:
        b.add(node, "gg:sourceInstructions", b.text(row.instructions, "en"))
    for column, predicate, kind, given in (
        ("primary_muscles", "gg:taggedPrimary", "muscle", row.primary_muscles),
        ("secondary_muscles", "gg:taggedSecondary", "muscle", row.secondary_muscles),
        ("equipment", "gg:sourceEquipment", "equipment", row.equipment),
    ):
        for name in given:
            iri = _resolve(names, name, kind, number, column, found)
            if iri is not None:
                b.link(node, predicate, iri)
                if kind == "muscle":
                    report.muscle_tags += 1
                    report.muscle_tags_mapped += 1
    if row.same_as:
        iri = _resolve(names, row.same_as, "exercise", number, "same_as", found)
        if iri is not None:
            b.link(node, "skos:exactMatch", iri)
            report.matched += 1


def _measurement(values: dict[str, str], number: int, names: NameIndex, b: Builder, base: str,
                 seen: dict[str, int], known: dict[str, str],
                 found: list[tuple[int, str, str]]) -> None:
    row = _validate(MeasurementRow, values, number, found)
    if not isinstance(row, MeasurementRow):
        return
    if row.mean_mvic is None and row.peak_mvic is None:
        found.append((number, "mean_mvic", "give mean_mvic or peak_mvic (or both)"))
        return
    if row.doi is None and row.url is None:
        found.append((number, "doi", "give the study's doi or a url where it can be read"))
        return
    exercise = _resolve(names, row.exercise, "exercise", number, "exercise", found, known)
    muscle = _resolve(names, row.muscle, "muscle", number, "muscle", found)
    if exercise is None or muscle is None:
        return
    key = row.id or slug(f"{row.exercise}-{row.muscle}-{row.study}").lower()
    if key in seen:
        found.append((number, "id", f"the same exercise, muscle and study as row {seen[key]}; "
                      "give an id column to tell them apart"))
        return
    seen[key] = number
    study = f"{base}study/{slug(row.study).lower()}"
    if f"study {study}" not in seen:  # described by its first row
        seen[f"study {study}"] = number
        _study(b, study, row)
    node = f"{base}measurement/{key}"
    figure = f"mean {row.mean_mvic}" if row.mean_mvic is not None else f"peak {row.peak_mvic}"
    b.link(node, "rdf:type", "gg:ActivationMeasurement")
    b.add(node, "rdfs:label", b.text(f"{row.exercise} / {row.muscle}: {figure} %MVIC "
                                     f"({row.study})", "en"))
    b.link(node, "gg:exercise", exercise)
    b.link(node, "gg:muscle", muscle)
    b.link(node, "gg:reportedBy", study)
    b.link(node, "dcterms:source", study)
    b.link(node, "gg:evidenceStatus", STATUS[row.status or "unconfirmed"])
    b.add(node, "gg:sourceRow", b.typed(number, "integer"))
    for predicate, value in (("gg:meanPercentMVIC", row.mean_mvic),
                             ("gg:sdPercentMVIC", row.sd_mvic),
                             ("gg:peakPercentMVIC", row.peak_mvic)):
        if value is not None:
            b.add(node, predicate, b.typed(value, "decimal"))
    if row.n is not None:
        b.add(node, "gg:sampleSize", b.typed(row.n, "integer"))
    else:
        b.add(node, "gg:notReported", b.text("n"))
    if row.sd_mvic is None and row.mean_mvic is not None:
        b.add(node, "gg:notReported", b.text("sd"))
    for predicate, text in (("gg:population", row.population), ("gg:load", row.load)):
        if text:
            b.add(node, predicate, b.text(text))
    if row.electrode:
        b.link(node, "gg:electrode", ELECTRODE[row.electrode])


def _study(b: Builder, study: str, row: MeasurementRow) -> None:
    """Describe a study a measurements table names (from the first row that names it)."""
    b.link(study, "rdf:type", "gg:Study")
    b.add(study, "rdfs:label", b.text(row.study, "en"))
    b.link(study, "dcterms:source", study)
    b.link(study, "gg:evidenceStatus", STATUS[row.status or "unconfirmed"])
    b.link(study, "gg:studyDesign", DESIGN[row.design or "cross-sectional"])
    if row.year is not None:
        b.add(study, "gg:year", b.typed(row.year, "integer"))
    if row.doi:
        b.add(study, "bibo:doi", b.text(row.doi))
    if row.url:
        b.add(study, "gg:url", b.typed(row.url, "anyURI"))


def _names_of(b: Builder) -> dict[str, str]:
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    return {str(q.object.value): str(q.subject.value) for q in b.quads  # type: ignore[union-attr]
            if q.predicate.value == label and is_record(str(q.subject))}
