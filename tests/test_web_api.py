"""The web API for real: `glutegraph api` on a loopback port, called with a real HTTP client.

Then property-based tests generated from the API's own OpenAPI document (schemathesis): no
generated request gets a 5xx, and every response matches the schema (status, content type,
body), bounded to a few dozen examples per operation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import rdflib
import schemathesis
from conftest import Page
from hypothesis import HealthCheck, settings
from rdflib.compare import isomorphic
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import glutegraph
from glutegraph.server import free_port
from glutegraph.web import create_app
from glutegraph.web.jsonld import build_context, context, context_file
from glutegraph.web.serve import wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """`glutegraph api` in a child process on a free loopback port; stopped after the module."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    child = subprocess.Popen(
        [sys.executable, "-m", "glutegraph.cli", "api", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_until_up(url, child):
            output = child.stdout.read() if child.stdout else ""
            pytest.fail(f"glutegraph api did not start:\n{output}")
        yield url
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=60) as http:
        yield http


def _problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, object] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert str(body["type"]).startswith("/problems/")
    return body


# ---------------------------------------------------------------------- real answers

def test_top_gluteus_medius_exercise(client: httpx.Client) -> None:
    page = client.get("/exercises", params={"target": "gluteus medius", "limit": 3}).json()
    top = page["items"][0]
    assert top["exercise"]["label"] == "side-lying hip abduction"
    assert top["best"]["mean_mvic"] == "99.9"  # decimals exact, as text (as the library's JSON)
    assert page["limit"] == 3 and page["offset"] == 0 and len(page["items"]) == 3
    assert page["total"] > 3


def test_pages_are_slices_of_one_answer(client: httpx.Client) -> None:
    whole = client.get("/exercises", params={"target": "glute max", "limit": 1000}).json()
    second = client.get("/exercises", params={"target": "glute max", "limit": 5,
                                              "offset": 5}).json()
    assert second["total"] == whole["total"]
    assert second["items"] == whole["items"][5:10]


def test_every_exercise_filter(client: httpx.Client, embedded_kg: glutegraph.KnowledgeGraph
                               ) -> None:
    params = {"target": "gluteus maximus", "action": "hip extension", "equipment": "barbell",
              "difficulty": "intermediate"}
    page = client.get("/exercises", params=params).json()
    expected = embedded_kg.exercises(params["target"], action=params["action"],
                                     equipment=params["equipment"],
                                     difficulty=params["difficulty"])
    assert [i["exercise"]["iri"] for i in page["items"]] == [r.exercise.iri for r in expected]
    assert page["items"], "the filters should leave some exercises"


def test_one_of_each(client: httpx.Client) -> None:
    assert client.get("/exercises/hip thrust").json()["label"] == "barbell hip thrust"
    muscle = client.get("/muscles/glute med").json()
    assert muscle["innervated_by"][0]["label"] == "superior gluteal nerve"
    condition = client.get("/conditions/piriformis syndrome").json()
    assert "FAIR test" in {t["label"] for t in condition["tests"]}
    involving = client.get("/conditions", params={"involving": "sciatic nerve"}).json()
    assert [c["label"] for c in involving["items"]] == [
        "deep gluteal syndrome", "piriformis syndrome", "sciatica"]
    treatments = client.get("/treatments", params={"condition": "piriformis syndrome"}).json()
    assert treatments["items"][0]["strength"]["label"] == "moderate evidence"
    claims = client.get("/claims", params={"verdict": "corrected",
                                           "about": "gluteus medius"}).json()
    assert claims["total"] == 1
    studies = client.get("/studies", params={"about": "piriformis syndrome"}).json()
    assert studies["items"][0]["label"] == "Vij 2021, Anesth Pain Med"
    found = client.get("/measurements", params={"exercise": "hip thrust",
                                                "study": "study_contreras_2015"}).json()
    assert [m["mean_mvic"] for m in found["items"]] == ["99.5", "86.8", "69.5", "40.8"]
    movers = client.get("/muscles", params={"action": "hip abduction",
                                            "role": "prime mover"}).json()
    assert {c["contributor"]["label"] for c in movers["items"]} == {
        "gluteus medius", "gluteus minimus"}


def test_recommend_returns_stages(client: httpx.Client) -> None:
    plan = client.get("/recommend", params=[
        ("target", "lower glutes"), ("level", "expert"), ("equipment", "barbell"),
        ("equipment", "bench"), ("conditions", "gluteal tendinopathy")]).json()
    assert len(plan["stages"]) == 3
    assert all(stage["steps"] for stage in plan["stages"])
    assert plan["profile"]["target"] == "lower gluteus maximus"
    assert "not medical advice" in plan["disclaimer"]


def test_explain_and_similar(client: httpx.Client) -> None:
    why = client.get("/explain", params={"a": "piriformis", "b": "sciatica",
                                         "max_paths": 1}).json()
    assert why["b"]["label"] == "sciatica"
    assert why["explanations"][0]["steps"][0]["sentence"].startswith("piriformis syndrome")
    like = client.get("/exercises/glute bridge/similar", params={"limit": 2}).json()
    assert [s["exercise"]["label"] for s in like] == ["banded glute bridge",
                                                      "barbell glute bridge"]


# ---------------------------------------------------------------------- errors as problems

def test_unknown_name_is_404_with_a_suggestion(client: httpx.Client) -> None:
    body = _problem(client.get("/muscles/gluteus medus"), 404)
    assert body["suggestions"] == ["gluteus medius"]
    assert body["type"] == "/problems/unknown-name"
    body = _problem(client.get("/exercises", params={"target": "glute medus"}), 404)
    assert "gluteus medius" in body["suggestions"]  # type: ignore[operator]


@pytest.mark.parametrize("limit", ["0", "-1", "1001", "ten", "2.5"])
def test_bad_limit_is_400(client: httpx.Client, limit: str) -> None:
    body = _problem(client.get("/exercises", params={"limit": limit}), 400)
    assert body["errors"][0]["parameter"] == "limit"  # type: ignore[index]


def test_library_argument_errors_are_400(client: httpx.Client) -> None:
    _problem(client.get("/recommend", params={"target": "glutes", "laterality": "both"}), 400)
    _problem(client.get("/muscles", params={"hip_flexion": "nan"}), 400)
    _problem(client.get("/muscles", params={"hip_flexion": "200"}), 400)
    _problem(client.get("/explain", params={"a": "piriformis"}), 400)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 3000 + "}" * 3000,  # nesting that would crash the parser
    "SELECT * { FILTER(" + "!" * 5000 + "true) }",
    "SELECT * WHERE { ?s ?p",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "\x00\x01 garbage",
])
def test_hostile_sparql_is_a_4xx_not_a_500(client: httpx.Client, query: str) -> None:
    response = client.post("/sparql", data={"query": query})
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == PROBLEM
    assert client.get("/health").status_code == 200  # and the server lives


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DROP ALL", "CLEAR DEFAULT",
    "PREFIX x: <urn:x:> DELETE WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(client: httpx.Client, update: str) -> None:
    _problem(client.get("/sparql", params={"query": update}), 403)
    _problem(client.post("/sparql", data={"update": update}), 403)
    _problem(client.post("/sparql", content=update,
                         headers={"content-type": "application/sparql-update"}), 403)
    assert client.post("/sparql", data={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}
                       ).json()["boolean"] is False


def test_sparql_json_results_with_prefixes(client: httpx.Client) -> None:
    query = ("SELECT ?label ?n WHERE { kb:piriformis rdfs:label ?label ; "
             "gg:innervatedBy ?n }")
    response = client.get("/sparql", params={"query": query})
    assert response.headers["content-type"] == "application/sparql-results+json"
    [row] = response.json()["results"]["bindings"]
    assert row["label"] == {"type": "literal", "value": "piriformis", "xml:lang": "en"}
    assert row["n"]["type"] == "uri"
    posted = client.post("/sparql", content="ASK { ?s ?p ?o }",
                         headers={"content-type": "application/sparql-query"})
    assert posted.json() == {"head": {}, "boolean": True}
    graph = client.get("/sparql", params={"query": "CONSTRUCT { kb:piriformis ?p ?o } "
                                          "WHERE { kb:piriformis ?p ?o }"})
    assert graph.headers["content-type"].startswith("application/n-triples")
    assert len(rdflib.Graph().parse(data=graph.text, format="nt")) > 5


NERVE_QUERY = ("SELECT ?muscle ?nerve ?label WHERE { ?muscle gg:innervatedBy ?nerve . "
               "?nerve rdfs:label ?label } ORDER BY ?muscle ?nerve")
PIRIFORMIS = "CONSTRUCT { kb:piriformis ?p ?o } WHERE { kb:piriformis ?p ?o }"


def _sparql(client: httpx.Client, query: str, accept: str | None) -> httpx.Response:
    headers = {"accept": accept} if accept else {}
    return client.get("/sparql", params={"query": query}, headers=headers)


def test_sparql_results_as_accept_asks(client: httpx.Client,
                                       embedded_kg: glutegraph.KnowledgeGraph) -> None:
    """JSON, XML, CSV and TSV of one SELECT: the same rows as kg.query, in each format."""
    import csv
    import io
    import xml.etree.ElementTree as ET

    expected = [(r.muscle, r.nerve, r.label) for r in embedded_kg.query(NERVE_QUERY)]
    assert len(expected) > 20
    as_json = _sparql(client, NERVE_QUERY, None)
    assert as_json.headers["content-type"] == "application/sparql-results+json"
    assert [(b["muscle"]["value"], b["nerve"]["value"], b["label"]["value"])
            for b in as_json.json()["results"]["bindings"]] == expected

    as_xml = _sparql(client, NERVE_QUERY, "application/sparql-results+xml")
    assert as_xml.headers["content-type"] == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    rows = [tuple(result.find(f"r:binding[@name='{v}']", ns)[0].text  # type: ignore[index]
                  for v in ("muscle", "nerve", "label"))
            for result in ET.fromstring(as_xml.content).iterfind("r:results/r:result", ns)]
    assert rows == expected

    as_csv = _sparql(client, NERVE_QUERY, "text/csv")
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    [header, *lines] = list(csv.reader(io.StringIO(as_csv.text)))
    assert header == ["muscle", "nerve", "label"]
    assert [tuple(line) for line in lines] == expected

    as_tsv = _sparql(client, NERVE_QUERY, "text/tab-separated-values")
    assert as_tsv.headers["content-type"] == "text/tab-separated-values; charset=utf-8"
    [head, *cells] = [line.split("\t") for line in as_tsv.text.splitlines()]
    assert head == ["?muscle", "?nerve", "?label"]
    assert [(m.strip("<>"), n.strip("<>"), label) for m, n, label in cells] == [
        (m, n, f'"{label}"@en') for m, n, label in expected]

    # quality values rank the types; a wildcard takes the server's first of its kind
    ranked = _sparql(client, NERVE_QUERY, "text/csv;q=0.4, application/sparql-results+xml;q=0.9")
    assert ranked.headers["content-type"] == "application/sparql-results+xml"
    assert _sparql(client, NERVE_QUERY, "text/*").headers["content-type"].startswith("text/csv")
    browser_like = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert _sparql(client, NERVE_QUERY, browser_like).headers["content-type"] == \
        "application/sparql-results+json"
    asked = _sparql(client, "ASK { kb:piriformis a gg:Muscle }", "application/sparql-results+xml")
    assert ET.fromstring(asked.content).find("r:boolean", ns).text == "true"  # type: ignore[union-attr]
    posted = client.post("/sparql", data={"query": NERVE_QUERY}, headers={"accept": "text/csv"})
    assert posted.text == as_csv.text


def test_graph_answers_as_accept_asks(client: httpx.Client) -> None:
    """N-Triples, Turtle (with glutegraph's prefixes) and JSON-LD: the same triples."""
    nt = _sparql(client, PIRIFORMIS, None)
    assert nt.headers["content-type"] == "application/n-triples"
    triples = rdflib.Graph().parse(data=nt.text, format="nt")
    assert len(triples) > 5
    turtle = _sparql(client, PIRIFORMIS, "text/turtle")
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    assert "@prefix kb: <https://w3id.org/glutegraph/kb/>" in turtle.text
    assert isomorphic(rdflib.Graph().parse(data=turtle.text, format="turtle"), triples)
    jsonld = _sparql(client, PIRIFORMIS, "application/ld+json")
    assert jsonld.headers["content-type"] == "application/ld+json"
    assert isomorphic(rdflib.Graph().parse(data=jsonld.text, format="json-ld"), triples)


def test_an_unsupported_accept_is_a_406_problem(client: httpx.Client) -> None:
    body = _problem(_sparql(client, NERVE_QUERY, "image/png"), 406)
    assert "text/csv" in body["acceptable"] and "text/turtle" in body["acceptable"]  # type: ignore[operator]
    # a type of the other kind of answer: 406, listing this kind's types only
    body = _problem(_sparql(client, NERVE_QUERY, "text/turtle"), 406)
    assert body["acceptable"] == ["application/sparql-results+json",
                                  "application/sparql-results+xml", "text/csv",
                                  "text/tab-separated-values"]
    body = _problem(_sparql(client, PIRIFORMIS, "text/csv"), 406)
    assert body["acceptable"] == ["application/n-triples", "text/turtle", "application/ld+json"]
    _problem(_sparql(client, NERVE_QUERY, "text/csv;q=0"), 406)  # q=0 means "not this"
    assert client.get("/problems/not-acceptable").json()["title"] == "Not acceptable"


def test_cors_only_when_asked(client: httpx.Client) -> None:
    response = client.get("/exercises", headers={"Origin": "https://app.example"})
    assert "access-control-allow-origin" not in response.headers
    from fastapi.testclient import TestClient

    with TestClient(create_app(glutegraph.load(), cors=True)) as with_cors:
        answer = with_cors.get("/claims", headers={"Origin": "https://app.example"})
        assert answer.headers["access-control-allow-origin"] == "*"


# ---------------------------------------------------------------------- JSON-LD

def test_context_is_served_and_matches_the_models(client: httpx.Client) -> None:
    assert json.loads(context_file().read_text("utf-8")) == build_context(), (
        "ontology/context.jsonld is out of date: regenerate it from build_context()")
    served = client.get("/context.jsonld")
    assert served.headers["content-type"] == "application/ld+json"
    assert served.json() == context()


@pytest.mark.parametrize("name", ["kb:gluteus_medius", "barbell hip thrust",
                                  "piriformis syndrome", "study_contreras_2015"])
def test_entity_jsonld_is_compact_and_the_same_triples(
        client: httpx.Client, embedded_kg: glutegraph.KnowledgeGraph, name: str) -> None:
    response = client.get(f"/entities/{name}.jsonld")
    assert response.headers["content-type"] == "application/ld+json"
    document = response.json()
    assert document["@context"] == "/context.jsonld"
    assert "https://w3id.org/glutegraph" not in response.text  # every IRI as a CURIE
    inline = {**document, "@context": context()["@context"]}
    parsed = rdflib.Graph().parse(data=json.dumps(inline), format="json-ld")
    assert isomorphic(parsed, embedded_kg.entity(name).to_rdf())


# ---------------------------------------------------------------------- generated from OpenAPI

#: The app's own OpenAPI document (made without a graph: the schema does not depend on one);
#: test_the_served_schema_is_this_one checks that the server serves the same document.
OPENAPI = create_app(cast(Any, None)).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)


def test_the_served_schema_is_this_one(client: httpx.Client) -> None:
    assert client.get("/openapi.json").json() == OPENAPI


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_5xx_and_every_response_matches_its_schema(case: schemathesis.Case,
                                                      base_url: str) -> None:
    case.call_and_validate(base_url=base_url,
                           checks=[not_a_server_error, status_code_conformance,
                                   content_type_conformance, response_schema_conformance])


# ---------------------------------------------------------------------- interactive docs

#: Where test_docs_render_offline_in_chromium leaves its screenshot, to look at.
DOCS_SHOT = Path(os.environ.get("GLUTEGRAPH_SHOTS", "/tmp")) / "glutegraph-api-docs.png"


def test_docs_render_offline_in_chromium(browser: Any, base_url: str) -> None:
    """/docs in real headless Chromium that can reach nothing but the server on loopback."""
    opened = Page(browser, f"{base_url}/docs", only_loopback=True)
    try:
        page = opened.page
        page.wait_for_selector(".opblock-summary", timeout=30_000)
        operations = {(o.lower(), path) for path, item in OPENAPI["paths"].items()
                      for o in item if o in ("get", "post")}
        shown = page.evaluate("""() => [...document.querySelectorAll(".opblock")].map(b => [
            b.querySelector(".opblock-summary-method").textContent.toLowerCase(),
            b.querySelector(".opblock-summary-path").getAttribute("data-path")])""")
        assert {tuple(s) for s in shown} == operations
        assert page.locator(".info .title").inner_text().startswith("glutegraph API")
        page.screenshot(path=str(DOCS_SHOT), full_page=False)
        assert opened.blocked == [], opened.blocked   # nothing asked of the internet
        assert opened.problems == [], opened.problems
        assert any("/docs-assets/swagger-ui-bundle.js" in r for r in opened.requests)
    finally:
        opened.page.close()


def test_import_glutegraph_stays_light() -> None:
    """The web modules load only for `glutegraph api` (or an explicit import)."""
    code = ("import sys, glutegraph, glutegraph.cli; glutegraph.load; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('fastapi', 'uvicorn', 'starlette') or m.startswith('glutegraph.web')))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True).stdout
    assert out.strip() == "[]"


def test_api_command_refuses_a_bad_bind() -> None:
    from glutegraph.cli import main

    assert main(["api", "--bind", "nonsense"]) == 2


def test_a_query_past_the_time_limit_is_503_with_retry_after() -> None:
    from fastapi.testclient import TestClient

    kg = glutegraph.load()
    kg.timeout = 0.05
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with TestClient(create_app(kg)) as local:
        response = local.get("/sparql", params={"query": heavy})
    body = _problem(response, 503)
    assert body["type"] == "/problems/timeout"
    assert response.headers["retry-after"]
