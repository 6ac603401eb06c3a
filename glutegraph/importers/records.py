"""Pydantic models of the records the importers read, as their projects publish them.

Each model checks one record as its source defines it (free-exercise-db's ``schema.json``,
wger's Django fixtures); a record that fails is skipped with its id and the reason, and the
others import. Text fields are bounded, so a hostile file cannot make one record huge.

Example:
    >>> FreeExerciseDbRecord.model_validate({"id": "Glute_Kickback", "name": "Glute Kickback",
    ...     "level": "beginner", "primaryMuscles": ["glutes"]}).primary_muscles
    ['glutes']

"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from glutegraph.errors import DataFileError

#: The largest source file an importer reads (bytes).
MAX_SOURCE_BYTES = 64 * 2**20

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Author = Annotated[str, StringConstraints(strip_whitespace=True, max_length=600)]

FreeExerciseDbMuscle = Literal[
    "abdominals", "abductors", "adductors", "biceps", "calves", "chest", "forearms", "glutes",
    "hamstrings", "lats", "lower back", "middle back", "neck", "quadriceps", "shoulders",
    "traps", "triceps",
]


class FreeExerciseDbRecord(BaseModel):
    """One exercise of free-exercise-db (``exercises.json``), as its ``schema.json`` says."""

    model_config = ConfigDict(frozen=True, defer_build=True, populate_by_name=True)

    id: Annotated[str, StringConstraints(pattern=r"^[0-9a-zA-Z_-]+$", max_length=200)]
    name: Name
    force: Literal["static", "pull", "push"] | None = None
    level: Literal["beginner", "intermediate", "expert"]
    mechanic: Literal["isolation", "compound"] | None = None
    equipment: Literal[
        "medicine ball", "dumbbell", "body only", "bands", "kettlebells", "foam roll", "cable",
        "machine", "barbell", "exercise ball", "e-z curl bar", "other",
    ] | None = None
    primary_muscles: list[FreeExerciseDbMuscle] = Field(alias="primaryMuscles", max_length=20)
    secondary_muscles: list[FreeExerciseDbMuscle] = Field(
        default_factory=list, alias="secondaryMuscles", max_length=20)
    instructions: list[Text] = Field(default_factory=list, max_length=50)
    category: Literal[
        "powerlifting", "strength", "stretching", "cardio", "olympic weightlifting",
        "strongman", "plyometrics",
    ] | None = None
    images: list[Annotated[str, StringConstraints(pattern=r"^[0-9a-zA-Z_./-]+$",
                                                  max_length=300)]] = Field(
        default_factory=list, max_length=20)


class WgerRecord(BaseModel):
    """A Django fixture row: ``{"model": ..., "pk": ..., "fields": {...}}``."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    model: str
    pk: int
    fields: dict[str, Any]


class WgerLicensed(BaseModel):
    """The licence fields every wger exercise and translation carries."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="ignore")

    license: int
    license_author: Author = ""


class WgerExercise(WgerLicensed):
    """An exercise (``exercises.exercise``): its muscles, equipment and category by id."""

    uuid: UUID
    category: int
    muscles: list[int] = Field(default_factory=list, max_length=50)
    muscles_secondary: list[int] = Field(default_factory=list, max_length=50)
    equipment: list[int] = Field(default_factory=list, max_length=50)
    variation_group: UUID | None = None


class WgerTranslation(WgerLicensed):
    """A name and description of an exercise in one language (``exercises.translation``)."""

    uuid: UUID
    exercise: int
    language: int
    name: Name
    description: Text = ""


class WgerAlias(BaseModel):
    """Another name of a translation (``exercises.alias``)."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="ignore")

    translation: int
    alias: Name


class WgerMuscle(BaseModel):
    """A muscle of wger's vocabulary: its Latin name and everyday English name."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="ignore")

    name: Name
    name_en: str = ""


class WgerNamed(BaseModel):
    """An equipment or a category: a name."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="ignore")

    name: Name


class WgerLicense(BaseModel):
    """A licence: short name and where it is published."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="ignore")

    short_name: Name
    url: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$")]


class WgerLanguage(BaseModel):
    """A language: its code (``en``, ``de``, ...)."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="ignore")

    short_name: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]


def read_json(path: Path) -> Any:
    """Read a JSON file of a data set, bounded in size.

    Raises:
        DataFileError: the file is missing, too large or not JSON (with the line).

    """
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise DataFileError(str(path), f"is {size / 2**20:.0f} MB, more than the "
                                f"{MAX_SOURCE_BYTES // 2**20} MB an importer reads")
        return json.loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise DataFileError(str(path), "no such file") from exc
    except IsADirectoryError as exc:
        raise DataFileError(str(path), "is a folder, not a JSON file") from exc
    except json.JSONDecodeError as exc:
        raise DataFileError(str(path), f"is not JSON: {exc.msg}", line=exc.lineno,
                            column=exc.colno) from exc
    except (UnicodeDecodeError, RecursionError, OSError) as exc:
        raise DataFileError(str(path), f"cannot be read as JSON: {exc}") from exc
