"""Import free-exercise-db (yuhonas/free-exercise-db): one JSON array of exercises.

Each record becomes a ``gg:ImportedExercise`` at ``fedb:exercise/<id>`` with its name, level,
equipment, category, muscle tags (``gg:taggedPrimary``/``gg:taggedSecondary`` to the data
set's own terms, which ``ontology/mappings/free-exercise-db-muscles.sssom.tsv`` maps),
instructions and image links, its id and its licence (public domain: the Unlicense).

Example:
    >>> done = import_free_exercise_db()
    >>> done.report.imported, done.report.skipped
    (873, [])

"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from glutegraph.errors import DataFileError
from glutegraph.importers.building import (
    DATA,
    MAX_RECORDS,
    Builder,
    Import,
    ImportReport,
    Skipped,
    Timer,
    Vocabulary,
    progress,
    reason,
)
from glutegraph.importers.records import FreeExerciseDbRecord, read_json
from glutegraph.store import content_digest

NAME = "free-exercise-db"
SOURCE = "kb:src_free_exercise_db"
LICENSE = "https://unlicense.org/"
#: Where the project publishes each record's pictures (its README's address for them).
IMAGE_BASE = "https://raw.githubusercontent.com/yuhonas/free-exercise-db/main/exercises/"


def locate(path: Path | str | None = None) -> Path:
    """Return the file an import of ``path`` reads (``None``: the shipped copy)."""
    from glutegraph.files import dataset_dir

    found = Path(path) if path is not None else dataset_dir(NAME)
    return found / "exercises.json" if found.is_dir() else found


def import_free_exercise_db(path: Path | str | None = None, *, show_progress: bool = False
                            ) -> Import:
    """Read free-exercise-db's ``exercises.json`` (or a folder holding it) into triples.

    Args:
        path: the file or its folder; ``None`` reads the copy shipped with glutegraph.
        show_progress: show a progress bar on the terminal.

    Raises:
        DataFileError: the file is missing, not JSON, or not a list of exercises.

    """
    path = locate(path)
    timer = Timer()
    data = read_json(path)
    if not isinstance(data, list):
        raise DataFileError(str(path), "is not a list of exercises (free-exercise-db's "
                            "exercises.json is one JSON array)")
    if len(data) > MAX_RECORDS:
        raise DataFileError(str(path), f"holds {len(data)} records, more than {MAX_RECORDS}")
    report = ImportReport(f"{NAME} ({path})", records=len(data))
    b = Builder()
    terms = Vocabulary(b, NAME, SOURCE)
    seen: set[str] = set()
    for number, raw in enumerate(progress(data, f"importing {NAME}", show=show_progress)):
        given = raw.get("id") if isinstance(raw, dict) else None
        key = str(given) if isinstance(given, str) and given else f"record {number + 1}"
        try:
            record = FreeExerciseDbRecord.model_validate(raw)
        except ValidationError as error:
            report.skipped.append(Skipped(key[:200], reason(error)))
            continue
        if record.id in seen:
            report.skipped.append(Skipped(record.id, "id: the same id again"))
            continue
        seen.add(record.id)
        node = DATA[f"{NAME}/exercise/{record.id}"]
        b.link(node, "rdf:type", "gg:ImportedExercise")
        b.add(node, "rdfs:label", b.text(record.name, "en"))
        b.link(node, "dcterms:source", SOURCE)
        b.add(node, "dcterms:identifier", b.text(record.id))
        b.link(node, "dcterms:license", LICENSE)
        b.add(node, "gg:sourceLevel", b.text(record.level))
        for predicate, muscles in (("gg:taggedPrimary", record.primary_muscles),
                                   ("gg:taggedSecondary", record.secondary_muscles)):
            for muscle in muscles:
                term = terms.term("muscle", muscle, muscle)
                b.add(node, predicate, term)
                report.muscle_tags += 1
                report.muscle_tags_mapped += terms.mapped(term)
        if record.equipment:
            b.add(node, "gg:sourceEquipment",
                  terms.term("equipment", record.equipment, record.equipment))
        if record.category:
            b.add(node, "gg:sourceCategory",
                  terms.term("category", record.category, record.category))
        steps = " ".join(step.strip() for step in record.instructions if step.strip())
        if steps:
            b.add(node, "gg:sourceInstructions", b.text(steps, "en"))
        for image in record.images:
            b.add(node, "gg:image", b.typed(IMAGE_BASE + image, "anyURI"))
        terms.count_match(node, report)
        report.imported += 1
    if report.imported:
        b.add(LICENSE, "rdfs:label", b.text("Unlicense (public domain)"))
    digest, size = content_digest(path)
    report.triples = len(b.quads)
    report.seconds = timer()
    return Import(str(path.resolve()), digest, size, b.quads, report)
