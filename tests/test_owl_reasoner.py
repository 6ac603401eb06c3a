"""The ontology opens as OWL 2 in a standard tool and is consistent (HermiT, via owlready2 and Java)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

pytestmark = pytest.mark.slow

owlready2 = pytest.importorskip("owlready2")
if shutil.which("java") is None:  # the reasoner needs a JVM; say so loudly rather than pass
    pytest.fail("HermiT needs Java on PATH (apt-get install default-jre-headless)", pytrace=False)


def run_hermit(graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "glutegraph.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load()
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)


def test_bundled_ontology_is_consistent(graph, tmp_path):
    run_hermit(graph, tmp_path)  # raises OwlReadyInconsistentOntologyError if not


def test_reasoner_detects_an_inconsistency(graph, tmp_path):
    from rdflib import URIRef

    from glutegraph.namespaces import GG, KB

    broken = Graph()
    for triple in graph:
        broken.add(triple)
    # gg:verdict is functional and the verdicts are all different: two verdicts cannot hold.
    broken.add((URIRef(KB.claim_wider_stance), URIRef(GG.verdict), URIRef(GG.Corrected)))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        run_hermit(broken, tmp_path)
