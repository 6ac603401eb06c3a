"""How answers read in Jupyter: HTML tables and cards, short reprs, and tidy table rows.

Every answer type has a ``_repr_html_`` built here: a list of answers (:class:`Results`) is a
table whose columns suit its items (an exercise ranking shows the figure with its SD, the
muscle, the study, n and the load), one entity is a card (label, definition, key fields,
sources), a recommendation shows its stages, and SPARQL rows are a table of their variables.
Every string is escaped: labels and texts may come from files a user added. A source is a link
only where the graph gives its URL (a DOI, a PubMed id or ``gg:url``), and only an ``http(s)``
one.

Example:
    >>> from glutegraph.models import Ref
    >>> print(ref_html(Ref(iri="urn:x", label="<b>bold</b>")))
    &lt;b&gt;bold&lt;/b&gt;

"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from glutegraph.models import Entity, Measurement, PooledEstimate, Ref
from glutegraph.terms import curie

if TYPE_CHECKING:
    from glutegraph.advice.models import Recommendation
    from glutegraph.graph import KnowledgeGraph

__all__ = [
    "COMPARABILITY",
    "entity_html",
    "figure_text",
    "measurement_record",
    "number",
    "recommendation_html",
    "ref_html",
    "remember_graph",
    "results_html",
    "rows_html",
    "short_repr",
]

#: What a table of figures from several studies says under it.
COMPARABILITY = ("Each figure is one study's mean (or peak, where only a peak was reported); "
                 "studies differ in load, population and method, so compare figures from "
                 "different studies with care.")
#: Exercises a recommendation's "left out" shows before folding the rest away.
SHOWN_LEFT_OUT = 8
#: Rows a nested table of a card shows open (a longer one starts folded).
OPEN_NESTED = 6
#: Rows a table shows before "... and N more".
MAX_ROWS = 60
#: The longest short repr, in characters.
MAX_REPR = 200

_STYLE = (
    "<style>.gg-answer{font-family:system-ui,sans-serif;font-size:13px;line-height:1.35;"
    "max-width:1100px}.gg-answer table{border-collapse:collapse;margin:4px 0 6px}"
    ".gg-answer th{text-align:left;background:#f0f0f0;border-bottom:2px solid #999;"
    "padding:3px 8px;vertical-align:bottom}.gg-answer td{text-align:left;padding:3px 8px;"
    "border-bottom:1px solid #ddd;vertical-align:top}.gg-answer td.num,.gg-answer th.num"
    "{text-align:right;white-space:nowrap}.gg-answer .gg-muted{color:#666;font-size:12px}"
    ".gg-answer .gg-note{color:#444;font-size:12px;margin:2px 0 6px}"
    ".gg-answer .gg-card{border:1px solid #ccc;border-radius:4px;padding:6px 10px}"
    ".gg-answer h4{margin:6px 0 4px}.gg-answer ul{margin:2px 0;padding-left:18px}</style>"
)


def esc(value: object) -> str:
    """Escape any value for HTML text or an attribute."""
    return escape("" if value is None else str(value), quote=True)


def number(value: Decimal | float | int | None) -> str:
    """Return a figure as text, without a trailing ``.0`` or an exponent.

    Example:
        >>> number(Decimal("99.90")), number(Decimal("1E+2")), number(None)
        ('99.9', '100', '')

    """
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return f"{value:g}" if isinstance(value, float) else str(value)


def figure_text(m: Measurement | PooledEstimate) -> str:
    """Return the headline figure of a measurement with its SD: ``99.9 ± 12.3``, ``103 (peak)``.

    Example:
        >>> figure_text(Measurement(iri="x", mean_mvic=Decimal("86.8"), sd_mvic=Decimal(20),
        ...                         peak_mvic=Decimal(216)))
        '86.8 ± 20 (peak 216)'

    """
    if isinstance(m, PooledEstimate):
        return m.range.removesuffix(" %MVIC")
    if m.mean_mvic is not None:
        text = number(m.mean_mvic)
        if m.sd_mvic is not None:
            text += f" ± {number(m.sd_mvic)}"
        if m.peak_mvic is not None:
            text += f" (peak {number(m.peak_mvic)})"
        return text
    if m.peak_mvic is not None:
        return f"{number(m.peak_mvic)} (peak)"
    return "-"


# ------------------------------------------------------------------ links to sources

_GRAPH: weakref.ref[KnowledgeGraph] | None = None
_URLS: dict[str, str] | None = None
_URL_QUERY = """
SELECT ?s ?doi ?url ?pmid WHERE {
  { ?s bibo:doi ?doi } UNION { ?s gg:url ?url } UNION { ?s bibo:pmid ?pmid }
}"""


def remember_graph(kg: KnowledgeGraph) -> None:
    """Use ``kg`` to find the URLs of sources (called when a graph is loaded or changes)."""
    global _GRAPH, _URLS
    _GRAPH = weakref.ref(kg)
    _URLS = None


def _urls() -> dict[str, str]:
    global _URLS
    if _URLS is not None:
        return _URLS
    kg = _GRAPH() if _GRAPH is not None else None
    found: dict[str, tuple[int, str]] = {}
    if kg is not None:
        from glutegraph.sparql import select

        try:
            rows: Any = select(kg.store, _URL_QUERY)
        except Exception:  # a link is a nicety: a graph that cannot answer gives none
            rows = []
        for row in rows:
            for rank, url in enumerate((
                f"https://doi.org/{row.doi}" if row.doi else None,
                str(row.url) if row.url else None,
                f"https://pubmed.ncbi.nlm.nih.gov/{row.pmid}/" if row.pmid else None,
            )):
                usable = url is not None and url.startswith(("https://", "http://"))
                if usable and (str(row.s) not in found or rank < found[str(row.s)][0]):
                    found[str(row.s)] = (rank, str(url))
    _URLS = {iri: url for iri, (_rank, url) in found.items()}
    return _URLS


def url_of(iri: str) -> str | None:
    """Return the web address of a source, where the graph knows one (DOI first), else None."""
    return _urls().get(iri)


def ref_html(ref: Ref | None, *, link: bool = False) -> str:
    """Return a label, escaped; a link to its web page when ``link`` and one is known."""
    if ref is None:
        return ""
    text = esc(ref.label or curie(ref.iri))
    if link:
        url = url_of(ref.iri)
        if url:
            return f'<a href="{esc(url)}" target="_blank" rel="noopener">{text}</a>'
    return text


def refs_html(refs: Sequence[Ref], *, link: bool = False, most: int = 12) -> str:
    """Several links, separated by commas; the rest counted after ``most``."""
    shown = [ref_html(r, link=link) for r in refs[:most]]
    more = f" <span class='gg-muted'>+{len(refs) - most} more</span>" if len(refs) > most else ""
    return ", ".join(shown) + more


# ------------------------------------------------------------------ cells and tables


def _cell(value: Any, *, link: bool = False) -> str:
    if value is None or value == [] or value == "":
        return ""
    if isinstance(value, Ref):
        return ref_html(value, link=link)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal | float | int):
        return esc(number(value))
    if isinstance(value, list):
        if all(isinstance(v, Ref) for v in value):
            return refs_html(value, link=link)
        return "; ".join(_cell(v, link=link) for v in value[:12]) + (
            f" <span class='gg-muted'>+{len(value) - 12} more</span>" if len(value) > 12 else "")
    if isinstance(value, BaseModel):
        return esc(value)
    if isinstance(value, dict):
        return esc(", ".join(f"{k}: {v}" for k, v in value.items()))
    if isinstance(value, str) and value.startswith(("https://", "http://")) and " " not in value:
        return _web_link(value, value)
    return esc(value)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Iterable[int] = (),
           total: int | None = None) -> str:
    """Return an HTML table; cells are HTML already (escaped by the caller), headers are text."""
    right = set(numeric)
    head = "".join(f"<th{' class=num' if i in right else ''}>{esc(h)}</th>"
                   for i, h in enumerate(headers))
    body = []
    count = 0
    for row in rows:
        count += 1
        if count > MAX_ROWS:
            continue
        body.append("<tr>" + "".join(f"<td{' class=num' if i in right else ''}>{c}</td>"
                                     for i, c in enumerate(row)) + "</tr>")
    shown = min(count, MAX_ROWS)
    more = total if total is not None else count
    tail = (f"<div class='gg-muted'>... and {more - shown} more (print it, or "
            "to_dataframe(), for all)</div>") if more > shown else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{tail}"


def _wrap(*parts: str) -> str:
    return _STYLE + "<div class='gg-answer'>" + "".join(parts) + "</div>"


def _n(m: Measurement | PooledEstimate) -> str:
    if m.sample_size is not None:
        return esc(m.sample_size)
    if "n" in m.not_reported:
        return "<span class='gg-muted' title='the study does not report n'>not reported</span>"
    if "n" in m.not_read:
        return ("<span class='gg-muted' title='only an abstract or summary could be read'>"
                "not read</span>")
    return "<span class='gg-muted'>-</span>"


def _figure_cell(m: Measurement | PooledEstimate) -> str:
    text = esc(figure_text(m))
    if m.concerns:
        text += f" <span title='{esc('; '.join(m.concerns))}'>&#9888;</span>"
    return text


def _load_cell(m: Measurement) -> str:
    parts = [esc(m.load)] if m.load else []
    if m.population:
        parts.append(f"<span class='gg-muted'>{esc(m.population)}</span>")
    return "<br>".join(parts)


# ------------------------------------------------------------------ answer lists


def results_html(items: Sequence[Any]) -> str:
    """Return the HTML table of a list of answers, with columns that suit the kind of answer."""
    from glutegraph.advice.models import SimilarExercise
    from glutegraph.results import ComparisonRow, RankedExercise

    if not items:
        return _wrap("<div class='gg-muted'>(no answers)</div>")
    first = items[0]
    if isinstance(first, RankedExercise):
        return _ranking_html([i for i in items if isinstance(i, RankedExercise)],
                             getattr(items, "first_rank", 1))
    if isinstance(first, Measurement):
        return _measurements_html([i for i in items if isinstance(i, Measurement)])
    if isinstance(first, ComparisonRow):
        return _comparison_html([i for i in items if isinstance(i, ComparisonRow)])
    if isinstance(first, SimilarExercise):
        rows = [[ref_html(s.exercise), esc(s.direction or ""), esc(f"{s.score:.2f}"),
                 refs_html([*s.shared_actions, *s.shared_targets]),
                 esc("; ".join(s.differences))] for s in items]
        return _wrap(_table(["exercise", "direction", "score", "shares", "differs"], rows,
                            numeric=[2]))
    if isinstance(first, BaseModel):
        return _wrap(_models_html(items))
    rows = [[esc(i)] for i in items]
    return _wrap(_table(["answer"], rows))


def _ranking_html(items: list[Any], first_rank: int = 1) -> str:
    target = next((i.target for i in items if i.target is not None), None)
    rows = []
    for rank, r in enumerate(items, first_rank):
        name = ref_html(r.exercise)
        if len(r.measurements) > 1:
            name += f" <span class='gg-muted'>+{len(r.measurements) - 1} more figures</span>"
        b = r.best
        if r.kind == "imported":
            tags = "; ".join(esc(t) for t in r.tags)
            rows.append([str(rank), name, esc(r.kind), "", tags, esc(r.source_name), "", ""])
        elif b is None:
            why = f"{r.role} target, no EMG figure stored" if r.role else "no EMG figure stored"
            rows.append([str(rank), name, esc(r.kind), "",
                         f"<span class='gg-muted'>{esc(why)}</span>", "", "", ""])
        else:
            rows.append([str(rank), name, esc(r.kind), _figure_cell(b), ref_html(b.muscle),
                         ref_html(b.study, link=True), _n(b), _load_cell(b)])
    title = (f"<h4>Exercises for the {esc(target)}, best measured activation first</h4>"
             if target is not None else "")
    table = _table(["#", "exercise", "kind", "%MVIC ± SD", "muscle", "study", "n",
                    "load / population"], rows, numeric=[0, 3, 6])
    note = f"<div class='gg-note'>{esc(COMPARABILITY)}</div>" if any(
        r.best is not None for r in items) else ""
    return _wrap(title, table, note)


def _measurements_html(items: list[Measurement]) -> str:
    rows = [[ref_html(m.exercise), _figure_cell(m), ref_html(m.muscle),
             ref_html(m.study, link=True), _n(m), _load_cell(m)] for m in items]
    table = _table(["exercise", "%MVIC ± SD", "muscle", "study", "n", "load / population"],
                   rows, numeric=[1, 4])
    return _wrap(table, f"<div class='gg-note'>{esc(COMPARABILITY)}</div>")


def _comparison_html(items: list[Any]) -> str:
    structures = list(dict.fromkeys(s for row in items for s in row.cells))
    rows = []
    for row in items:
        cells = [ref_html(row.exercise)]
        for structure in structures:
            found = row.cells.get(structure, [])
            cells.append("<br>".join(
                f"<b>{esc(figure_text(m))}</b> <span class='gg-muted'>"
                f"{ref_html(m.study, link=True)}"
                f"{', n=' + esc(m.sample_size) if m.sample_size else ''}</span>"
                for m in found) or "<span class='gg-muted'>no figure</span>")
        rows.append(cells)
    table = _table(["exercise", *(f"{s} (%MVIC ± SD)" for s in structures)], rows)
    return _wrap(table, f"<div class='gg-note'>{esc(COMPARABILITY)}</div>")


#: The fields a table of each kind of model shows, after its label.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "Contribution": ("contributor", "action", "role", "hip_positions", "sources"),
    "PooledEstimate": ("exercise", "muscle", "range", "study_count", "review"),
    "TreatmentEvidence": ("treatment", "condition", "strength", "effect_direction",
                          "comparator", "follow_up", "finding", "studies"),
    "Caution": ("advice", "about", "finding", "modification", "sources"),
    "Progression": ("easier", "harder", "kinds", "finding", "evidence"),
    "Claim": ("verdict", "text", "correction", "evidence"),
    "Study": ("citation", "design", "year"),
    "Condition": ("definition", "involves", "symptoms"),
    "Treatment": ("definition", "ameliorates"),
    "DiagnosticTest": ("definition", "detects"),
    "DiagnosticAccuracy": ("test", "condition", "sensitivity", "specificity", "sample_size",
                           "study", "reference_standard"),
    "Finding": ("text", "about", "studies"),
    "Exercise": ("definition", "primary_targets", "difficulty", "equipment"),
    "ImportedExercise": ("level", "tagged_primary", "source_equipment", "sources"),
    "Muscle": ("definition", "innervated_by", "part_of"),
    "MuscleRegion": ("definition", "part_of"),
    "MuscleGroup": ("definition", "parts"),
    "JointAction": ("definition", "joints"),
    "Nerve": ("definition", "spinal_roots", "supplies"),
    "Joint": ("definition",),
    "Ref": ("curie",),
}
#: Fields whose links are sources (shown as links where a URL is known).
_SOURCE_FIELDS = {"sources", "study", "studies", "evidence", "review", "pools"}
#: Labels that stand in for a missing label, per model.
_TITLE_FIELDS = ("label", "treatment", "exercise", "name")


def _title(item: Any) -> str:
    for name in _TITLE_FIELDS:
        value = getattr(item, name, None)
        if value:
            return _cell(value)
    return esc(curie(item.iri)) if hasattr(item, "iri") else esc(item)


def _fields_of(item: BaseModel) -> tuple[str, ...]:
    for cls in type(item).__mro__:
        if cls.__name__ in KEY_FIELDS:
            return KEY_FIELDS[cls.__name__]
    return ("definition",)


def _is_evidence(item: Any) -> bool:
    """Whether an item is an evidence node, whose label only restates its fields."""
    from glutegraph.models import NESTED, ImportedExercise, SourceText

    return isinstance(item, NESTED) and not isinstance(item, ImportedExercise | SourceText)


def _models_html(items: Sequence[Any], *, known: dict[str, str] | None = None) -> str:
    """Return a table of models: the label (unless it only restates the fields), then key fields.

    A column with the same value in every row (the condition of a condition's treatments) is
    said once above the table; ``known`` names columns the caller already shows (left out).
    """
    fields = _fields_of(items[0])
    lead = [] if _is_evidence(items[0]) else ["label"]
    columns = [*lead, *(f for f in fields if f not in lead)]
    cells = [[_title(i) if f == "label" else
              _cell(getattr(i, f, None), link=f in _SOURCE_FIELDS) for f in columns]
             for i in items]
    above = []
    keep = []
    for j, name in enumerate(columns):
        values = {row[j] for row in cells}
        if values == {""}:
            continue
        if known is not None and name in known:
            continue
        if len(items) > 1 and len(values) == 1 and name not in ("label", *lead) and \
                not _is_number_field(items, name):
            above.append(f"{esc(name.replace('_', ' '))}: {values.pop()}")
            continue
        keep.append(j)
    numeric = [k for k, j in enumerate(keep) if _is_number_field(items, columns[j])]
    head = f"<div class='gg-muted'>{'; '.join(above)}</div>" if above else ""
    table = _table([columns[j].replace("_", " ") for j in keep],
                   ([row[j] for j in keep] for row in cells), numeric=numeric)
    return head + table


def _is_number_field(items: Sequence[Any], name: str) -> bool:
    values = [getattr(i, name, None) for i in items]
    return any(v is not None for v in values) and all(
        isinstance(v, Decimal | int | float) and not isinstance(v, bool)
        for v in values if v is not None)


# ------------------------------------------------------------------ one entity

#: Fields a card shows in its head or not at all.
_CARD_SKIP = {"iri", "label", "definition", "sources", "notes", "added_from",
              "evidence_status", "exact_matches", "close_matches", "broad_matches"}


def entity_html(entity: Entity) -> str:
    """Return an entity as a card: label, kind, CURIE, definition, fields and sources."""
    kind = type(entity).__name__
    head = (f"<div><b style='font-size:15px'>{_title(entity)}</b> "
            f"<span class='gg-muted'>{esc(kind)} &middot; {esc(curie(entity.iri))}</span></div>")
    parts = [head]
    if entity.definition:
        parts.append(f"<div style='margin:3px 0'>{esc(entity.definition)}</div>")
    if isinstance(entity, Measurement | PooledEstimate):
        parts.append(f"<div><b>{_figure_cell(entity)}</b> %MVIC</div>")
    rows = []
    nested = []
    for name in type(entity).model_fields:
        if name in _CARD_SKIP:
            continue
        value = getattr(entity, name)
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list) and isinstance(value[0], Entity):
            nested.append(_nested_html(name, value, entity))
            continue
        if name in _WEB_FIELDS and isinstance(value, str):
            rows.append([esc(name), _web_link(_WEB_FIELDS[name].format(value), value)])
            continue
        rows.append([esc(name.replace("_", " ")), _cell(value, link=name in _SOURCE_FIELDS)])
    if isinstance(entity, PooledEstimate):
        rows.insert(0, ["range", esc(entity.range)])
    if rows:
        parts.append("<table>" + "".join(
            f"<tr><th style='background:none;border:0;font-weight:600;vertical-align:top;"
            f"white-space:nowrap'>{k}</th><td>{v}</td></tr>"
            for k, v in rows) + "</table>")
    parts += nested
    if entity.sources:
        parts.append("<div class='gg-note'>sources: " + "; ".join(
            ref_html(s, link=True) for s in entity.sources) + "</div>")
    if entity.evidence_status is not None:
        parts.append(f"<div class='gg-muted'>read: {ref_html(entity.evidence_status)}</div>")
    if entity.notes:
        parts.append(f"<details class='gg-muted'><summary>editorial notes ({len(entity.notes)})"
                     "</summary>" + "<br>".join(esc(n) for n in entity.notes) + "</details>")
    if entity.added_from:
        parts.append("<div class='gg-muted'>added from " + ", ".join(
            esc(f) for f in entity.added_from) + "</div>")
    return _wrap("<div class='gg-card'>", *parts, "</div>")


#: Identifier fields that are links, with their web address.
_WEB_FIELDS = {"doi": "https://doi.org/{}", "pmid": "https://pubmed.ncbi.nlm.nih.gov/{}/",
               "pmcid": "https://pmc.ncbi.nlm.nih.gov/articles/{}/", "url": "{}"}


def _web_link(url: str, text: str) -> str:
    if not url.startswith(("https://", "http://")):
        return esc(text)
    return f'<a href="{esc(url)}" target="_blank" rel="noopener">{esc(text)}</a>'


def _nested_html(name: str, value: list[Any], owner: Entity) -> str:
    if isinstance(value[0], Measurement):
        inner = _measurements_html(value).removeprefix(_STYLE)
    else:
        back = {f for f in _fields_of(value[0])
                if any(getattr(v, f, None) == owner.ref or
                       (isinstance(getattr(v, f, None), Ref) and getattr(v, f).iri == owner.iri)
                       for v in value)}
        inner = _models_html(value, known={f: "" for f in back})
    state = " open" if len(value) <= OPEN_NESTED else ""
    return f"<details{state}><summary><b>{esc(name.replace('_', ' '))}</b> ({len(value)})" \
           f"</summary>{inner}</details>"


# ------------------------------------------------------------------ recommendations, rows


def recommendation_html(plan: Recommendation) -> str:
    """Return a recommendation: stages as tables, what was left out and why, notes."""
    wanted = ", ".join(f"{k}: {v}" for k, v in plan.profile.items())
    parts = [f"<h4>Exercises for the {ref_html(plan.target)}</h4>"
             f"<div class='gg-muted'>{esc(wanted)}</div>"]
    for stage in plan.stages:
        rows = []
        for step in stage.steps:
            evidence = esc(step.evidence)
            if step.best is not None and step.best.study is not None:
                n = f", n={esc(step.best.sample_size)}" if step.best.sample_size else ""
                evidence += (f"<br><span class='gg-muted'>{ref_html(step.best.study, link=True)}"
                             f"{n}</span>")
            why = "<ul>" + "".join(f"<li>{esc(w)}</li>" for w in step.why) + "</ul>"
            rows.append([ref_html(step.exercise), evidence, why,
                         "<br>".join(esc(m) for m in step.modifications)])
        headers = ["exercise", "evidence", "why", "modify"]
        if not any(row[3] for row in rows):
            headers, rows = headers[:3], [row[:3] for row in rows]
        parts.append(f"<h4>Stage {stage.number}: {esc(stage.name)}</h4>")
        parts.append(_table(headers, rows))
    if plan.excluded:
        # what a condition's caution left out comes first: it is why a person was screened
        ordered = sorted(plan.excluded, key=lambda e: not e.sources)
        rows = [[ref_html(e.exercise), esc(e.reason), refs_html(e.sources, link=True)]
                for e in ordered]
        shown, rest = rows[:SHOWN_LEFT_OUT], rows[SHOWN_LEFT_OUT:]
        parts.append(f"<h4>Left out ({len(plan.excluded)})</h4>")
        reasons = Counter(e.reason for e in plan.excluded)
        if len(reasons) < len(plan.excluded):
            parts.append("<div class='gg-muted'>" + "; ".join(
                f"{esc(reason)} ({count})" for reason, count in reasons.most_common()) + "</div>")
        parts.append(_left_out(shown))
        if rest:
            parts.append(f"<details><summary>the other {len(rest)}</summary>"
                         f"{_left_out(rest)}</details>")
    if plan.notes:
        parts.append("<ul>" + "".join(f"<li>Note: {esc(n)}</li>" for n in plan.notes) + "</ul>")
    parts.append(f"<div class='gg-note' style='border-left:3px solid #c60;padding-left:6px'>"
                 f"<i>{esc(plan.disclaimer)}</i></div>")
    return _wrap(*parts)


def _left_out(rows: list[list[str]]) -> str:
    if any(row[2] for row in rows):
        return _table(["exercise", "why", "source"], rows)
    return _table(["exercise", "why"], [row[:2] for row in rows])


def rows_html(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """SPARQL rows as a table: IRIs as CURIEs (the full IRI on hover), numbers to the right."""
    numeric = [j for j in range(len(variables))
               if rows and all(isinstance(r[j], int | float | Decimal) and not isinstance(
                   r[j], bool) for r in rows if r[j] is not None)
               and any(r[j] is not None for r in rows)]

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
            return f"<span title='{esc(value)}'>{esc(curie(value))}</span>"
        if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
            return esc(number(value))
        return esc(value)

    body = ([cell(v) for v in r] for r in rows)
    count = f"<div class='gg-muted'>{len(rows)} row{'s' if len(rows) != 1 else ''}</div>"
    return _wrap(_table([f"?{v}" for v in variables], body, numeric=numeric), count)


def short_repr(obj: Any) -> str:
    """Return a one-line repr: the class and what ``str()`` says, cut at a word near 200 characters.

    Example:
        >>> short_repr(Measurement(iri="x", exercise=Ref(iri="e", label="frog pump"),
        ...     muscle=Ref(iri="m", label="gluteus maximus"), mean_mvic=Decimal(62),
        ...     study=Ref(iri="s", label="Lab pilot 2026"), sample_size=5))
        '<Measurement: frog pump / gluteus maximus: 62 %MVIC (Lab pilot 2026; n=5)>'

    """
    text = " ".join(str(obj).split())
    return f"<{type(obj).__name__}: {shorten(text, MAX_REPR)}>"


def shorten(text: str, width: int) -> str:
    """Cut ``text`` at a word boundary so it is at most ``width`` characters, ending with "...".

    Example:
        >>> shorten("one two three", 9)
        'one ...'

    """
    if len(text) <= width:
        return text
    cut = text[: width - 3].rsplit(" ", 1)[0]
    return cut + " ..."


def measurement_record(m: Measurement | None) -> dict[str, Any]:
    """Return the figure columns of a tidy table: numbers as floats (NaN-able), n as an int."""
    if m is None:
        return {"muscle": None, "mean_mvic": None, "sd_mvic": None, "peak_mvic": None,
                "n": None, "study": None, "load": None, "population": None}
    return {
        "muscle": m.muscle.name if m.muscle else None,
        "mean_mvic": float(m.mean_mvic) if m.mean_mvic is not None else None,
        "sd_mvic": float(m.sd_mvic) if m.sd_mvic is not None else None,
        "peak_mvic": float(m.peak_mvic) if m.peak_mvic is not None else None,
        "n": m.sample_size,
        "study": m.study.name if m.study else None,
        "load": m.load,
        "population": m.population,
    }
