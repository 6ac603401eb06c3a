"""Import wger's exercise data: the Django fixtures the wger server loads.

A folder holds ``exercise-base-data.json`` (exercises), ``translations.json`` (names and
descriptions in many languages, aliases), and the vocabularies ``muscles.json``,
``equipment.json``, ``categories.json``, ``licenses.json`` and ``languages.json``.

Each exercise becomes a ``gg:ImportedExercise`` at ``wger:exercise/<uuid>``: its English name
as ``rdfs:label``, its names in other languages and aliases as ``skos:altLabel``, its muscles
(``wger:muscle/<pk>``, mapped by ``ontology/mappings/wger-muscles.sssom.tsv``), equipment,
category, variation group, and its own licence and author. Each translation is a
``gg:SourceText`` node with its name, plain-text description, licence and author, so every
text is attributed to whoever wrote it.

Example:
    >>> done = import_wger()
    >>> done.report.imported, done.report.texts > 1000
    (872, True)

"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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
from glutegraph.importers.records import (
    WgerAlias,
    WgerExercise,
    WgerLanguage,
    WgerLicense,
    WgerMuscle,
    WgerNamed,
    WgerRecord,
    WgerTranslation,
    read_json,
)
from glutegraph.store import content_digest

NAME = "wger"
SOURCE = "kb:src_wger"
ENGLISH = "en"
FILES = ("exercise-base-data.json", "translations.json", "muscles.json", "equipment.json",
         "categories.json", "licenses.json", "languages.json")

M = TypeVar("M", bound=BaseModel)


def locate(folder: Path | str | None = None) -> Path:
    """Return the folder an import of ``folder`` reads (``None``: the shipped copy)."""
    from glutegraph.files import dataset_dir

    return Path(folder) if folder is not None else dataset_dir(NAME)


def import_wger(folder: Path | str | None = None, *, show_progress: bool = False) -> Import:
    """Read a folder of wger fixtures into triples (``None``: the copy shipped with glutegraph).

    Raises:
        DataFileError: a file is missing, not JSON, or not a list of fixtures.

    """
    folder = locate(folder)
    if not folder.is_dir():
        raise DataFileError(str(folder), "is not a folder; give the folder holding wger's "
                            f"fixtures ({', '.join(FILES)})")
    timer = Timer()
    fixtures = {name: _fixtures(folder / name) for name in FILES}
    report = ImportReport(f"{NAME} ({folder})")
    muscles = _table(fixtures["muscles.json"], WgerMuscle, report)
    equipment = _table(fixtures["equipment.json"], WgerNamed, report)
    categories = _table(fixtures["categories.json"], WgerNamed, report)
    licences = _table(fixtures["licenses.json"], WgerLicense, report)
    languages = _table(fixtures["languages.json"], WgerLanguage, report)
    exercises = [f for f in fixtures["exercise-base-data.json"]
                 if f.model == "exercises.exercise"]
    report.records = len(exercises)

    texts: dict[int, list[tuple[int, WgerTranslation]]] = defaultdict(list)
    aliases: dict[int, list[str]] = defaultdict(list)
    for row in fixtures["translations.json"]:
        if row.model == "exercises.translation":
            translation = _model(WgerTranslation, row, report, "translation")
            if translation is not None:
                texts[translation.exercise].append((row.pk, translation))
        elif row.model == "exercises.alias":
            alias = _model(WgerAlias, row, report, "alias")
            if alias is not None:
                aliases[alias.translation].append(alias.alias)

    b = Builder()
    terms = Vocabulary(b, NAME, SOURCE)
    done: set[int] = set()
    for row in progress(exercises, f"importing {NAME}", show=show_progress):
        key = f"exercise {row.pk}"
        exercise = _model(WgerExercise, row, report, "exercise", record=True)
        if exercise is None:
            continue
        problem = _missing(exercise, muscles, equipment, categories, licences)
        if row.pk in done:
            problem = "pk: the same exercise id again"
        written = [(pk, t) for pk, t in texts.get(row.pk, []) if t.language in languages]
        if problem is None and not written:
            problem = "no name in any known language"
        if problem is not None:
            report.skipped.append(Skipped(key, problem))
            continue
        done.add(row.pk)
        node = DATA[f"{NAME}/exercise/{exercise.uuid}"]
        b.link(node, "rdf:type", "gg:ImportedExercise")
        b.link(node, "dcterms:source", SOURCE)
        b.add(node, "dcterms:identifier", b.text(str(exercise.uuid)))
        _licence(b, node, exercise.license_author, licences[exercise.license])
        b.add(node, "gg:sourceCategory",
              terms.term("category", str(exercise.category), categories[exercise.category].name))
        for pk in exercise.equipment:
            b.add(node, "gg:sourceEquipment", terms.term("equipment", str(pk), equipment[pk].name))
        for predicate, ids in (("gg:taggedPrimary", exercise.muscles),
                               ("gg:taggedSecondary", exercise.muscles_secondary)):
            for pk in ids:
                term = terms.term("muscle", str(pk), muscles[pk].name)
                b.add(node, predicate, term)
                report.muscle_tags += 1
                report.muscle_tags_mapped += terms.mapped(term)
        if exercise.variation_group is not None:
            b.add(node, "gg:variationGroup", b.text(str(exercise.variation_group)))
        _texts(b, node, written, aliases, languages, licences, report)
        terms.count_match(node, report)
        report.imported += 1
    digest, size = content_digest(folder)
    report.triples = len(b.quads)
    report.seconds = timer()
    return Import(str(folder.resolve()), digest, size, b.quads, report)


def _fixtures(path: Path) -> list[WgerRecord]:
    data = read_json(path)
    if not isinstance(data, list):
        raise DataFileError(str(path), "is not a list of fixtures ({\"model\", \"pk\", "
                            "\"fields\"} objects, as wger's fixtures are)")
    if len(data) > MAX_RECORDS:
        raise DataFileError(str(path), f"holds {len(data)} records, more than {MAX_RECORDS}")
    rows = []
    for number, item in enumerate(data, 1):
        try:
            rows.append(WgerRecord.model_validate(item))
        except ValidationError as error:
            raise DataFileError(str(path), f"record {number} is not a fixture ("
                                f"{reason(error)})") from error
    return rows


def _model(model: type[M], row: WgerRecord, report: ImportReport, what: str,
           *, record: bool = False) -> M | None:
    """Return the row as ``model``; a bad exercise is skipped, a bad text or term noted."""
    try:
        return model.model_validate(row.fields)
    except ValidationError as error:
        if record:
            report.skipped.append(Skipped(f"{what} {row.pk}", reason(error)))
        else:
            report.notes.append(f"{what} {row.pk} was left out: {reason(error)}")
        return None


def _table(rows: list[WgerRecord], model: type[M], report: ImportReport) -> dict[int, M]:
    table = {}
    for row in rows:
        found = _model(model, row, report, model.__name__.removeprefix("Wger").lower())
        if found is not None:
            table[row.pk] = found
    return table


def _missing(exercise: WgerExercise, muscles: dict[int, Any], equipment: dict[int, Any],
             categories: dict[int, Any], licences: dict[int, Any]) -> str | None:
    for name, ids, known in (("muscles", exercise.muscles, muscles),
                             ("muscles_secondary", exercise.muscles_secondary, muscles),
                             ("equipment", exercise.equipment, equipment),
                             ("category", [exercise.category], categories),
                             ("license", [exercise.license], licences)):
        unknown = [i for i in ids if i not in known]
        if unknown:
            return f"{name}: id {unknown[0]} is not in the vocabulary files"
    return None


def _licence(b: Builder, node: str, author: str, licence: WgerLicense) -> None:
    b.link(node, "dcterms:license", licence.url)
    b.add(licence.url, "rdfs:label", b.text(licence.short_name))  # (the same triple, once)
    if author:
        b.add(node, "dcterms:creator", b.text(author))


def _texts(b: Builder, node: str, written: list[tuple[int, WgerTranslation]],
           aliases: dict[int, list[str]], languages: dict[int, WgerLanguage],
           licences: dict[int, WgerLicense], report: ImportReport) -> None:
    """Name and describe the exercise from its translations; each text attributed."""
    written = sorted(written, key=lambda item: (languages[item[1].language].short_name
                                                != ENGLISH, item[0]))
    label_given = False
    names: set[tuple[str, str]] = set()
    for pk, text in written:
        lang = languages[text.language].short_name
        description = plain_text(text.description)
        source = DATA[f"{NAME}/translation/{text.uuid}"]
        b.link(source, "rdf:type", "gg:SourceText")
        b.link(source, "gg:translationOf", node)
        b.link(source, "dcterms:source", SOURCE)
        b.add(source, "dcterms:identifier", b.text(str(text.uuid)))
        b.add(source, "skos:prefLabel", b.text(text.name, lang))
        if description:
            b.add(source, "gg:sourceInstructions", b.text(description, lang))
        if text.license in licences:
            _licence(b, source, text.license_author, licences[text.license])
        b.add(source, "dcterms:language", b.text(lang))
        if not label_given:  # the English name (or, lacking one, the first) labels it
            b.add(node, "rdfs:label", b.text(text.name, lang))
            b.link(node, "gg:textFrom", source)
            if description:
                b.add(node, "gg:sourceInstructions", b.text(description, lang))
            label_given = True
        else:
            names.add((text.name, lang))
            report.texts += 1
        names.update((alias, lang) for alias in aliases.get(pk, []))
    for name, lang in sorted(names):
        b.add(node, "skos:altLabel", b.text(name, lang))


class _Text(HTMLParser):
    """Collects an HTML fragment's text; what scripts and styles hold is not text."""

    BREAKS = frozenset({"p", "li", "br", "div", "ol", "ul", "h1", "h2", "h3", "h4", "tr"})
    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BREAKS:
            self.parts.append(" ")


def plain_text(html: str) -> str:
    """Return the text of an HTML description: tags dropped, entities read, spaces single.

    Nothing is fetched or run: scripts and links are text to this parser.

    Example:
        >>> plain_text("<p>Push the hips <b>up</b>.</p><ol><li>Hold&nbsp;2 s</li></ol>"
        ...            "<script>alert(1)</script>")
        'Push the hips up. Hold 2 s'

    """
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())
