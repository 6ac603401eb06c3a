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
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from glutegraph.errors import QueryError
from glutegraph.models import Measurement, Ref

T = TypeVar("T", bound=BaseModel)


class Results(list[T]):
    """A list of typed answers, ranked where the question implies an order."""

    def __str__(self) -> str:
        if not self:
            return "(no answers)"
        return "\n".join(f"{i:>2}. {item}" for i, item in enumerate(self, 1))

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
        """Return :meth:`to_records` as a pandas DataFrame (needs pandas installed)."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise QueryError("to_dataframe() needs pandas: pip install pandas") from exc
        return pd.DataFrame(self.to_records())


def _flat(value: Any) -> Any:
    if isinstance(value, dict) and "iri" in value:
        return value.get("label") or value["iri"]
    if isinstance(value, list):
        return "; ".join(str(_flat(v)) for v in value)
    if isinstance(value, Decimal):
        return float(value)
    return value


class RankedExercise(BaseModel):
    """One exercise in a ranking for a target: its best measured activation and the rest.

    ``role`` is ``"primary"`` or ``"secondary"`` when the exercise lists the target (or one of
    its parts) as such; ``best`` is the measurement with the highest mean %MVIC or, when the
    studies report only peaks (Boren 2011 ranked by average peak), the highest peak.
    """

    model_config = ConfigDict(frozen=True)

    exercise: Ref
    target: Ref | None = None
    role: str | None = None
    best: Measurement | None = None
    measurements: list[Measurement] = []

    def __str__(self) -> str:
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


class ComparisonRow(BaseModel):
    """One exercise in a comparison: its measurements for each structure compared."""

    model_config = ConfigDict(frozen=True)

    exercise: Ref
    cells: dict[str, list[Measurement]]

    def __str__(self) -> str:
        parts = []
        for structure, found in self.cells.items():
            values = ", ".join(f"{m.figure} ({m.study})" for m in found) or "-"
            parts.append(f"{structure}: {values}")
        return f"{self.exercise}: " + " | ".join(parts)
