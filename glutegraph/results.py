"""Answer containers: lists of models that print as readable tables and export to JSON or pandas.

Example:
    >>> from glutegraph.models import Ref
    >>> answer = Results([Ref(iri="https://w3id.org/glutegraph/kb/piriformis", label="piriformis")])
    >>> print(answer)
     1. piriformis
    >>> answer.to_json()
    '[{"iri":"https://w3id.org/glutegraph/kb/piriformis","label":"piriformis"}]'

"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, SupportsIndex, TypeVar, overload

from pydantic import BaseModel, ConfigDict, TypeAdapter

from glutegraph.errors import QueryError
from glutegraph.models import Measurement, Ref

T = TypeVar("T", bound=BaseModel)


class Results(list[T]):
    """A list of typed answers, ranked where the question implies an order.

    In Jupyter it shows as a table (``_repr_html_``) whose columns suit its answers; its
    ``repr`` is one line; :meth:`to_dataframe` gives one row per answer (one per measurement
    for :meth:`~glutegraph.KnowledgeGraph.compare`), with numbers as numbers.
    """

    #: The rank of the first answer: a slice ``ranking[25:35]`` starts at 26.
    first_rank: int = 1

    def __str__(self) -> str:
        if not self:
            return "(no answers)"
        return "\n".join(f"{i:>2}. {item}" for i, item in enumerate(self, self.first_rank))

    def __repr__(self) -> str:
        """One line: how many answers of what kind, and the first.

        Example:
            >>> Results([Ref(iri="urn:x", label="piriformis")])
            <Results: 1 Ref; first: piriformis>

        """
        if not self:
            return "<Results: no answers>"
        from glutegraph.jupyter import shorten

        kinds = sorted({type(item).__name__ for item in self})
        first = shorten(" ".join(str(self[0]).split()), 160)
        return f"<Results: {len(self)} {'/'.join(kinds)}; first: {first}>"

    def _repr_html_(self) -> str:
        from glutegraph.jupyter import results_html

        return results_html(self)

    @overload
    def __getitem__(self, index: SupportsIndex) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Results[T]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> T | Results[T]:
        """Return an answer, or a slice of answers that is :class:`Results` too (a table).

        Example:
            >>> type(Results([Ref(iri="urn:x")])[:1]).__name__
            'Results'

        """
        if isinstance(index, slice):
            part: Results[T] = Results(super().__getitem__(index))
            start, _stop, step = index.indices(len(self))
            part.first_rank = self.first_rank + start if step == 1 else 1
            return part
        return super().__getitem__(index)

    def to_json(self, **kwargs: Any) -> str:
        """Return the answers as a JSON array (pydantic's JSON form of each model)."""
        if not self:
            return "[]"
        adapter: TypeAdapter[list[Any]] = TypeAdapter(list[type(self[0])])  # type: ignore[misc,arg-type]
        return adapter.dump_json(list(self), **kwargs).decode("utf-8")

    def to_records(self) -> list[dict[str, Any]]:
        """Return one flat dict per answer: links as their labels, lists joined with '; '."""
        return [{k: _flat(v) for k, v in item.model_dump().items()} for item in self]

    def to_dataframe(self) -> Any:
        """Return the answers as a tidy pandas DataFrame (needs pandas: ``glutegraph[notebook]``).

        Figures are float columns (NaN where missing) and ``n`` a nullable integer column.
        A ranking (:class:`RankedExercise`) has one row per exercise, with its best figure:
        ``exercise, kind, muscle, mean_mvic, sd_mvic, peak_mvic, n, study, load,
        population`` (and ``source`` for imported records); a list of measurements one row
        per measurement; a comparison (:class:`ComparisonRow`) one row per exercise,
        structure and measurement (a structure with no figure gives one row without
        figures). Other answers are :meth:`to_records`.
        """
        pd = _pandas()
        if not self:
            return pd.DataFrame()
        first = self[0]
        if isinstance(first, RankedExercise | Measurement | ComparisonRow):
            return figure_frame([row for item in self for row in _tidy(item)])
        return pd.DataFrame(self.to_records())


#: The figure columns of a tidy table (floats, NaN where a figure is missing).
FIGURE_COLUMNS = ("mean_mvic", "sd_mvic", "peak_mvic")


def figure_frame(records: list[dict[str, Any]]) -> Any:
    """Return records as a DataFrame whose figures are floats and ``n`` a nullable integer."""
    frame = _pandas().DataFrame(records)
    for column in FIGURE_COLUMNS:
        if column in frame:
            frame[column] = frame[column].astype("float64")
    if "n" in frame:
        frame["n"] = frame["n"].astype("Int64")
    return frame


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:
        raise QueryError("to_dataframe() needs pandas: pip install 'glutegraph[notebook]' "
                         "(or pip install pandas)") from exc
    return pd


def _tidy(item: Any) -> list[dict[str, Any]]:
    from glutegraph.jupyter import measurement_record

    if isinstance(item, RankedExercise):
        row = {"exercise": item.exercise.name, "kind": item.kind,
               **measurement_record(item.best)}
        if item.kind == "imported":
            row["source"] = item.source_name
        return [row]
    if isinstance(item, Measurement):
        return [{"exercise": item.exercise.name if item.exercise else None,
                 **measurement_record(item),
                 "electrode": item.electrode.name if item.electrode else None}]
    rows = []
    for structure, found in item.cells.items():
        for m in found or [None]:
            rows.append({"exercise": item.exercise.name, "structure": structure,
                         **measurement_record(m)})
    return rows


def _flat(value: Any) -> Any:
    if isinstance(value, dict) and "iri" in value:
        return value.get("label") or value["iri"]
    if isinstance(value, list):
        return "; ".join(str(_flat(v)) for v in value)
    if isinstance(value, Decimal):
        return float(value)
    return value


class TagMatch(BaseModel):
    """How an imported record's muscle tag reaches a target structure.

    ``tag`` is the source's own term ("glutes", "Gluteus maximus"), ``role`` ``"primary"`` or
    ``"secondary"`` in the record, ``mapped_to`` the glutegraph structure a reviewed mapping
    relates it to, by ``predicate`` (``skos:exactMatch``, ``skos:narrowMatch``, ...).
    ``coarse`` is True when the tag names a group broader than the target (free-exercise-db's
    "abductors" for gluteus medius): the record does not say which muscle of the group works.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    tag: Ref
    role: str
    mapped_to: Ref
    predicate: str
    coarse: bool
    #: True when ``mapped_to`` itself is broader than the target (a group it belongs to).
    broader: bool = False

    def __str__(self) -> str:
        kind = "coarse tag" if self.coarse else "tag"
        return f"{self.role} {kind} '{self.tag}' ({self.predicate} {self.mapped_to})"

    def __repr__(self) -> str:
        from glutegraph.jupyter import short_repr

        return short_repr(self)


class RankedExercise(BaseModel):
    """One exercise in a ranking for a target: its best measured activation and the rest.

    ``kind`` says why it is listed: ``"measured"`` (an EMG figure of the target; ``best`` is
    the highest mean %MVIC or, when the studies report only peaks, the highest peak),
    ``"curated"`` (the curated graph lists the target as its ``role``, primary or
    secondary, without a measurement), or ``"imported"`` (a data set's record tags the
    target; ``tags`` say how, ``source`` names the data set). They rank in that order.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    exercise: Ref
    target: Ref | None = None
    role: str | None = None
    best: Measurement | None = None
    measurements: list[Measurement] = []
    kind: str = "curated"
    source: Ref | None = None
    tags: list[TagMatch] = []

    @property
    def source_name(self) -> str:
        """The short name of an imported answer's data set ("wger", "table my.csv")."""
        label = self.source.label if self.source and self.source.label else "a data set"
        return label.split(" (")[0].removesuffix(" exercise database")

    def __str__(self) -> str:
        if self.kind == "imported":
            tags = "; ".join(str(t) for t in self.tags)
            return f"{self.exercise} [{self.source_name}]: {tags}"
        if self.best is None:
            why = f"{self.role} target, no EMG measurement stored" if self.role else "no data"
            return f"{self.exercise}: {why}"
        b = self.best
        if b.mean_mvic is not None:
            figures = f"{b.mean_mvic} %MVIC mean"
            if b.peak_mvic is not None:
                figures += f", {b.peak_mvic} peak"
        else:
            figures = f"{b.peak_mvic} %MVIC peak (no mean reported)"
        context = "; ".join(
            x for x in (f"n={b.sample_size}" if b.sample_size else "", b.population, b.load) if x
        )
        more = f" [+{len(self.measurements) - 1} more]" if len(self.measurements) > 1 else ""
        return f"{self.exercise}: {b.muscle} {figures} ({b.study}; {context}){more}"

    def __repr__(self) -> str:
        from glutegraph.jupyter import short_repr

        return short_repr(self)

    def _repr_html_(self) -> str:
        from glutegraph.jupyter import results_html

        return results_html([self])


class ComparisonRow(BaseModel):
    """One exercise in a comparison: its measurements for each structure compared."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    exercise: Ref
    cells: dict[str, list[Measurement]]

    def __str__(self) -> str:
        parts = []
        for structure, found in self.cells.items():
            values = ", ".join(f"{m.figure} ({m.study})" for m in found) or "-"
            parts.append(f"{structure}: {values}")
        return f"{self.exercise}: " + " | ".join(parts)

    def __repr__(self) -> str:
        from glutegraph.jupyter import short_repr

        return short_repr(self)

    def _repr_html_(self) -> str:
        from glutegraph.jupyter import results_html

        return results_html([self])
