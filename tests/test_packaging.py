"""A wheel built from the repository carries the ontology files and works outside the repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_ontology_and_loads_outside_the_repo(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("glutegraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "glutegraph/ontology/glutegraph.ttl" in names
    assert "glutegraph/ontology/kb/anatomy.ttl" in names
    assert "glutegraph/ontology/shapes/glutegraph-shapes.ttl" in names
    assert "glutegraph/py.typed" in names
    assert "glutegraph/ontology/mappings/exercise-matches.sssom.tsv" in names
    assert "glutegraph/datasets/wger/translations.json" in names
    assert "glutegraph/datasets/free-exercise-db/SOURCE.md" in names
    assert "glutegraph/ontology/context.jsonld" in names  # the JSON-LD context (glutegraph api)
    assert "glutegraph/web/app.py" in names

    # Install without dependencies into an empty target (they are already importable here) and
    # import from a folder outside the repository, so the checkout cannot be found by accident.
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    probe = (
        "import glutegraph, glutegraph.files as f;"
        "print(glutegraph.__file__); print(f.ontology_dir());"
        "print(glutegraph.validate().conforms);"
        "kg = glutegraph.load(datasets=['wger']);"
        "print(kg.exercise('hip thrust').free_exercise_db_id, len(kg.exercise('hip thrust').records));"
        "from glutegraph.web.jsonld import context_file; print(context_file().is_file())"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, check=True, text=True,
                         capture_output=True, env={"PYTHONPATH": str(target), "PATH": ""}).stdout
    module, ontology, conforms, matched, records, has_context = out.split()
    assert module.startswith(str(target)) and ontology.startswith(str(target))
    assert conforms == "True"
    assert matched == "Barbell_Hip_Thrust" and int(records) >= 2  # wger's two hip thrust records
    assert has_context == "True"
