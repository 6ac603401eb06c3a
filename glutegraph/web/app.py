"""The read-only web API: the typed questions of a :class:`KnowledgeGraph` over HTTP (FastAPI).

Every answer is the library's own pydantic model, so the OpenAPI document (``/openapi.json``,
browsable at ``/docs``, which works offline) is generated from the same classes the Python API
returns. Lists come in pages (``limit``, ``offset``, ``total``); errors are RFC 9457 problems
(:mod:`glutegraph.web.problems`); ``/sparql`` runs read-only SPARQL under the graph's guards
(:mod:`glutegraph.web.query`); ``/context.jsonld`` and ``/entities/{name}.jsonld`` give compact
JSON-LD (:mod:`glutegraph.web.jsonld`). CORS headers are sent only when asked for.

Example:
    >>> import glutegraph as gg
    >>> from fastapi.testclient import TestClient
    >>> client = TestClient(create_app(gg.load()))
    >>> top = client.get("/exercises", params={"target": "gluteus medius", "limit": 1}).json()
    >>> top["items"][0]["exercise"]["label"], top["items"][0]["best"]["mean_mvic"]
    ('side-lying hip abduction', '99.9')

"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, TypeVar

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from glutegraph import __version__
from glutegraph.advice.models import Recommendation, SimilarExercise
from glutegraph.errors import GluteGraphError
from glutegraph.models import (
    Claim,
    Condition,
    Contribution,
    Entity,
    Exercise,
    Measurement,
    MuscularStructure,
    Ref,
    Study,
    TreatmentEvidence,
)
from glutegraph.results import RankedExercise
from glutegraph.web.jsonld import compact, context
from glutegraph.web.problems import MEDIA_TYPE, PROBLEM_TYPES, Problem, problem, problem_for
from glutegraph.web.query import GRAPH_TYPES, JSON_LD, RESULT_TYPES, RESULTS_JSON, answer

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

__all__ = ["DEFAULT_LIMIT", "DOCS_ASSETS", "MAX_LIMIT", "Page", "create_app"]

#: Where the API serves the Swagger UI script and styles of ``/docs`` (from fastapi-offline).
DOCS_ASSETS = "/docs-assets"

T = TypeVar("T")
log = logging.getLogger("glutegraph.web")

#: Answers in one page unless ``limit`` says otherwise, and the most one page may hold.
DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
#: The longest name or filter accepted, in characters (names are short; this bounds the work).
MAX_NAME = 500
#: SPARQL queries run at once (each may fork a child); more wait this long, then get 503.
SPARQL_SLOTS = 2
SPARQL_QUEUE_S = 5.0


class Page(BaseModel, Generic[T]):
    """One page of a list answer: ``items`` from ``offset``, and how many there are in all."""

    total: int
    offset: int
    limit: int
    items: list[T]


class ExplanationStep(BaseModel):
    """One link of an explanation: subject, relation, object, the evidence and its sources."""

    subject: str
    relation: str
    object: str
    detail: str = ""
    sources: list[str] = []
    added_from: list[str] = []
    sentence: str


class Explanation(BaseModel):
    """One path between the two entities, as steps."""

    steps: list[ExplanationStep]


class ExplainAnswer(BaseModel):
    """How two entities are linked: the entities the names mean, and the paths, shortest first."""

    a: Ref
    b: Ref
    explanations: list[Explanation]


class Index(BaseModel):
    """What the API is and where to start."""

    name: str
    version: str
    triples: int
    docs: str
    openapi: str
    context: str
    routes: list[str]


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="answers per page")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="answers to skip")]


def _filter(description: str, example: str | None = None) -> Any:
    return Query(min_length=1, max_length=MAX_NAME, description=description,
                 examples=[example] if example else None)


def _name(example: str) -> Any:
    return Path(min_length=1, max_length=MAX_NAME, examples=[example],
                description="a label, synonym or CURIE (kb:...)")


def _json(answer: BaseModel) -> Response:
    """Return a model as the JSON response, written once by pydantic.

    The routes declare their ``response_model`` for the OpenAPI document; returning the
    response itself spares FastAPI validating the answer again on its way out (a third of
    the time of a large answer). The schemathesis tests check the answers match the schema.
    """
    return Response(answer.model_dump_json(), media_type="application/json")


def _page(found: Sequence[Any], limit: int, offset: int) -> Response:
    return _json(Page[Any](total=len(found), offset=offset, limit=limit,
                           items=list(found[offset:offset + limit])))


def create_app(kg: KnowledgeGraph, *, cors: bool | Sequence[str] = False) -> FastAPI:
    """Return the API over ``kg`` (an ASGI app: run it with uvicorn, or ``glutegraph api``).

    Args:
        kg: the graph to answer from (read only: nothing the API does changes it).
        cors: send CORS headers: True for any origin, or a list of origins; False: none.

    """
    # /docs: Swagger UI from the copy fastapi-offline ships, not from a CDN, so the interactive
    # docs work with no internet and the page asks nothing of other hosts. (No /redoc: ReDoc
    # fetches its logo from cdn.redoc.ly.)
    app = FastAPIOffline(
        redoc_url=None,
        static_url=DOCS_ASSETS,
        title="glutegraph API",
        version=__version__,
        description="Read-only answers from the glutegraph knowledge graph of the gluteal "
        "muscles: exercises ranked by measured EMG activation, muscles, conditions, "
        "treatments, claims, studies, measurements, explanations and recommendations, each "
        "with its sources. Errors are RFC 9457 problems. A summary of evidence, not medical "
        "advice.",
        responses={400: {"model": Problem, "description": "a parameter or query is invalid"},
                   404: {"model": Problem, "description": "no entity by that name"},
                   503: {"model": Problem, "description": "busy, or the query timed out"}},
    )
    if cors:
        origins = ["*"] if cors is True else list(cors)
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["*"], expose_headers=["Retry-After"])
    _handlers(app)
    slots = threading.BoundedSemaphore(SPARQL_SLOTS)
    network_lock = threading.Lock()

    @app.get("/", response_model=Index, summary="What the API is, and its routes")
    def index() -> Index:
        routes = sorted({getattr(r, "path", "") for r in app.routes} - {""})
        return Index(name="glutegraph", version=__version__, triples=len(kg), docs="/docs",
                     openapi="/openapi.json", context="/context.jsonld", routes=routes)

    # ------------------------------------------------------------------ exercises

    @app.get("/exercises", response_model=Page[RankedExercise], tags=["exercises"],
             summary="Exercises, ranked for a target by measured EMG activation")
    def exercises(
        target: Annotated[str | None, _filter("a muscle, region or group",
                                              "gluteus medius")] = None,
        action: Annotated[str | None, _filter("only exercises that train this action")] = None,
        equipment: Annotated[str | None, _filter("only exercises using this equipment")] = None,
        difficulty: Annotated[str | None, _filter("beginner, intermediate or expert")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response:
        found = kg.exercises(target, action=action, equipment=equipment, difficulty=difficulty)
        return _page(found, limit, offset)

    @app.get("/exercises/{name}", response_model=Exercise, tags=["exercises"],
             summary="One exercise: targets, equipment, level, EMG measurements")
    def exercise(name: Annotated[str, _name("hip thrust")]) -> Response:
        return _json(kg.exercise(name))

    @app.get("/exercises/{name}/similar", response_model=list[SimilarExercise],
             tags=["exercises"], summary="Curated exercises like this one, and which is harder")
    def similar(name: Annotated[str, _name("glute bridge")],
                limit: Annotated[int, Query(ge=1, le=100)] = 5) -> Response:
        return Response(kg.similar(name, limit=limit).to_json(), media_type="application/json")

    @app.get("/recommend", response_model=Recommendation, tags=["exercises"],
             summary="A staged, explained choice of exercises for a target and a person")
    def recommend(
        target: Annotated[str, Query(min_length=1, max_length=MAX_NAME,
                                     description="a muscle, region or group",
                                     examples=["upper glutes"])],
        level: Annotated[str | None, _filter("beginner, intermediate or expert")] = None,
        equipment: Annotated[list[str] | None, Query(
            max_length=50, description="what the person has (repeat the parameter); "
            "body weight always counts; left out: anything")] = None,
        conditions: Annotated[list[str] | None, Query(
            max_length=20, description="conditions to screen for (repeat)")] = None,
        laterality: Literal["single", "double"] | None = None,
        knee_friendly: bool = False,
        stages: Annotated[int, Query(ge=1, le=6)] = 3,
        per_stage: Annotated[int, Query(ge=1, le=10)] = 2,
    ) -> Response:
        return _json(kg.recommend(target, level=level, equipment=equipment,
                                  conditions=conditions or [], laterality=laterality,
                                  knee_friendly=knee_friendly, stages=stages,
                                  per_stage=per_stage))

    @app.get("/measurements", response_model=Page[Measurement], tags=["evidence"],
             summary="EMG measurements, highest mean %MVIC first")
    def measurements(
        exercise: Annotated[str | None, _filter("only this exercise")] = None,
        muscle: Annotated[str | None, _filter("only this structure (or its regions)")] = None,
        study: Annotated[str | None, _filter("only this study")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response:
        found = kg.measurements(exercise=exercise, muscle=muscle, study=study)
        return _page(found, limit, offset)

    # ------------------------------------------------------------------ anatomy

    @app.get("/muscles", response_model=Page[Contribution], tags=["anatomy"],
             summary="Which structures produce which action (kg.muscles)")
    def muscles(
        action: Annotated[str | None, _filter("a joint action, e.g. hip abduction")] = None,
        hip_flexion: Annotated[float | None, Query(
            ge=-30, le=140, description="hip flexion in degrees (-30 to 140)")] = None,
        role: Annotated[str | None, _filter("prime mover or secondary mover")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response:
        return _page(kg.muscles(action, hip_flexion=hip_flexion, role=role), limit, offset)

    @app.get("/muscles/{name}", response_model=MuscularStructure, tags=["anatomy"],
             summary="One muscle, region or group: anatomy, nerves, actions")
    def muscle(name: Annotated[str, _name("glute med")]) -> Response:
        return _json(kg.muscle(name))

    # ------------------------------------------------------------------ conditions

    @app.get("/conditions", response_model=Page[Condition], tags=["conditions"],
             summary="Conditions, with symptoms, tests, treatments and findings")
    def conditions(
        involving: Annotated[str | None, _filter("a muscle, nerve or joint")] = None,
        symptom: Annotated[str | None, _filter("a symptom, e.g. lateral hip pain")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response:
        return _page(kg.conditions(involving, symptom=symptom), limit, offset)

    @app.get("/conditions/{name}", response_model=Condition, tags=["conditions"],
             summary="One condition: symptoms, tests and accuracy, treatments and evidence")
    def condition(name: Annotated[str, _name("piriformis syndrome")]) -> Response:
        return _json(kg.condition(name))

    @app.get("/treatments", response_model=Page[TreatmentEvidence], tags=["conditions"],
             summary="Treatments with the strength of their evidence, strongest first")
    def treatments(
        condition: Annotated[str | None, _filter("only treatments of this condition")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response:
        return _page(kg.treatments(condition), limit, offset)

    # ------------------------------------------------------------------ evidence

    @app.get("/claims", response_model=Page[Claim], tags=["evidence"],
             summary="The source article's claims, with the verdict of the evidence")
    def claims(
        verdict: Annotated[str | None, _filter(
            "supported, qualified, corrected or not supported")] = None,
        about: Annotated[str | None, _filter("only claims about this entity")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response:
        return _page(kg.claims(verdict, about=about), limit, offset)

    @app.get("/studies", response_model=Page[Study], tags=["evidence"],
             summary="The studies, newest first")
    def studies(
        about: Annotated[str | None, _filter("only studies about this entity")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Response:
        return _page(kg.studies(about=about), limit, offset)

    @app.get("/explain", response_model=ExplainAnswer, tags=["evidence"],
             summary="How two entities are linked, as sourced sentences")
    def explain(
        a: Annotated[str, Query(min_length=1, max_length=MAX_NAME, description="one entity",
                                examples=["piriformis"])],
        b: Annotated[str, Query(min_length=1, max_length=MAX_NAME, description="the other",
                                examples=["sciatica"])],
        max_paths: Annotated[int, Query(ge=1, le=50)] = 3,
        max_length: Annotated[int, Query(ge=1, le=8)] = 4,
    ) -> ExplainAnswer:
        first, second = kg.resolve(a), kg.resolve(b)
        with network_lock:  # the network view is built once, by the first caller
            kg._networkx()
        found = kg.explain(first.iri, second.iri, max_paths=max_paths, max_length=max_length)
        return ExplainAnswer(a=first, b=second, explanations=[
            Explanation(steps=[ExplanationStep(
                subject=s.subject, relation=s.relation, object=s.object, detail=s.detail,
                sources=list(s.sources), added_from=list(s.added_from), sentence=str(s))
                for s in path.steps])
            for path in found])

    # ------------------------------------------------------------------ linked data

    @app.get("/context.jsonld", tags=["linked data"], summary="The JSON-LD @context",
             responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}},
                              "description": "the context document"}})
    def context_document() -> Response:
        return JSONResponse(context(), media_type="application/ld+json")

    @app.get("/entities/{name}.jsonld", tags=["linked data"],
             summary="Any entity as compact JSON-LD (with /context.jsonld)",
             responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}},
                              "description": "the entity and its nested nodes"}})
    def entity_jsonld(name: Annotated[str, _name("kb:gluteus_medius")]) -> Response:
        found = kg.entity(name)
        return JSONResponse(compact(found.to_triples(), "/context.jsonld"),
                            media_type="application/ld+json")

    @app.get("/entities/{name}", response_model=Entity, tags=["linked data"],
             summary="Any entity as its typed model (Muscle, Exercise, Study, ...)",
             responses={200: {"content": {"application/json": {"schema": {"type": "object"}}},
                              "description": "the entity's model; its fields depend on its kind"}})
    def entity(name: Annotated[str, _name("kb:piriformis")]) -> Response:
        return Response(kg.entity(name).model_dump_json(), media_type="application/json")

    # ------------------------------------------------------------------ SPARQL

    sparql_doc = ("A read-only SPARQL 1.1 query (the prefixes gg:, kb:, rdfs:, skos:, ... are "
                  "declared). The Accept header picks the format: SELECT and ASK answer SPARQL "
                  "JSON results (the default), XML, CSV or TSV; CONSTRUCT and DESCRIBE "
                  "N-Triples (the default), Turtle or JSON-LD; any other type is a 406. "
                  "Guarded as KnowledgeGraph.query: text limits, no UPDATE or SERVICE, time, "
                  "memory and row limits.")
    sparql_responses: dict[int | str, dict[str, Any]] = {
        200: {"content": {
            **{media: {"schema": {"type": "string"}} for media in [*RESULT_TYPES, *GRAPH_TYPES]},
            RESULTS_JSON: {"schema": {"type": "object"}},
            JSON_LD: {"schema": {"type": ["array", "object"]}},
        }, "description": "the answer, in the format the Accept header asks for"},
        403: {"model": Problem, "description": "an UPDATE or SERVICE"},
        406: {"model": Problem, "description": "the Accept header asks for no format of the "
              "answer ('acceptable' lists them)"},
    }

    def run_sparql(text: str, accept: str | None) -> Response:
        if not slots.acquire(timeout=SPARQL_QUEUE_S):
            busy = problem("busy", 503, f"more than {SPARQL_SLOTS} queries are running")
            return _problem_response(busy, headers={"Retry-After": "2"})
        try:
            body, media = answer(kg, text, accept)
        finally:
            slots.release()
        return Response(body, media_type=media)

    @app.get("/sparql", tags=["SPARQL"], summary="Run a read-only SPARQL query",
             description=sparql_doc, responses=sparql_responses, response_class=Response)
    def sparql_get(query: Annotated[str, Query(
            description="the query text",
            examples=["SELECT ?muscle ?nerve WHERE { ?muscle gg:innervatedBy ?nerve } LIMIT 5"])],
                   request: Request) -> Response:
        return run_sparql(query, request.headers.get("accept"))

    form_body = {"requestBody": {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": {
            "type": "object", "properties": {"query": {"type": "string"}},
            "required": ["query"]}}}}}

    @app.post("/sparql", tags=["SPARQL"], summary="Run a read-only SPARQL query (form)",
              description=sparql_doc + " The body is a form with query=, or the query itself "
              "as application/sparql-query.", responses=sparql_responses,
              response_class=Response, openapi_extra=form_body)
    async def sparql_post(request: Request) -> Response:
        text = await _posted_query(request)
        return await run_in_threadpool(run_sparql, text, request.headers.get("accept"))

    @app.get("/problems/{kind}", tags=["about"], summary="What a problem type means",
             response_model=Problem)
    def problem_type(kind: Annotated[str, Path(max_length=40)]) -> Any:
        if kind not in PROBLEM_TYPES:
            return _problem_response(problem("not-found", 404, f"no problem type {kind!r}"))
        title, meaning = PROBLEM_TYPES[kind]
        return Problem(type=f"/problems/{kind}", title=title, status=200, detail=meaning)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/api", include_in_schema=False)
    def docs_redirect() -> RedirectResponse:
        return RedirectResponse("/docs")

    app.openapi = _openapi(app)  # type: ignore[method-assign]
    return app


async def _posted_query(request: Request) -> str:
    """Return the query of a POST: a form's ``query=``, or a body of application/sparql-query."""
    from urllib.parse import parse_qs

    from glutegraph.errors import InvalidArgumentError, ReadOnlyError
    from glutegraph.guards import MAX_QUERY_CHARS

    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    body = await request.body()
    if len(body) > 4 * MAX_QUERY_CHARS:  # percent-encoding at most triples a character
        raise InvalidArgumentError(f"the request body is larger than {4 * MAX_QUERY_CHARS:,} "
                                   "bytes; a query may have at most "
                                   f"{MAX_QUERY_CHARS:,} characters")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidArgumentError("the request body is not UTF-8 text") from None
    if media == "application/sparql-query":
        return text
    if media == "application/sparql-update":
        raise ReadOnlyError("this API is read-only: SPARQL UPDATE is refused")
    if media != "application/x-www-form-urlencoded":
        raise InvalidArgumentError("POST /sparql takes a form (application/x-www-form-"
                                   "urlencoded) with query=, or application/sparql-query, "
                                   f"not {media or 'a body without a type'}")
    fields = parse_qs(text, keep_blank_values=True)
    if "update" in fields:
        raise ReadOnlyError("this API is read-only: SPARQL UPDATE is refused")
    if len(fields.get("query", [])) != 1:
        raise InvalidArgumentError("the form needs exactly one query= field")
    return fields["query"][0]


def _instance(request: Request) -> str:
    """Return the request's path as sent (percent-encoded), for a problem's ``instance``."""
    raw = request.scope.get("raw_path")
    return raw.decode("latin-1") if isinstance(raw, bytes) else str(request.url.path)


def _problem_response(found: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(found.model_dump(exclude_none=True), status_code=found.status,
                        media_type=MEDIA_TYPE, headers=headers)


def _handlers(app: FastAPI) -> None:
    """Map errors to problem responses: typed errors, bad parameters, unknown routes, bugs."""

    @app.exception_handler(GluteGraphError)
    def typed(request: Request, error: GluteGraphError) -> JSONResponse:
        found = problem_for(error)
        found.instance = _instance(request)
        headers = {"Retry-After": "5"} if found.status == 503 else None
        return _problem_response(found, headers)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{"parameter": ".".join(str(p) for p in e.get("loc", ())[1:]) or "body",
                   "in": str(e.get("loc", ("?",))[0]), "problem": str(e.get("msg", ""))}
                  for e in error.errors()]
        detail = "; ".join(f"{e['parameter']}: {e['problem']}" for e in errors)
        found = problem("invalid-argument", 400, detail, errors=errors)
        found.instance = _instance(request)
        return _problem_response(found)

    @app.exception_handler(StarletteHTTPException)
    def http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code)
        if kind is None:
            found = Problem(title=str(error.detail), status=error.status_code)
        else:
            found = problem(kind, error.status_code, str(error.detail))
        found.instance = _instance(request)
        return _problem_response(found, dict(error.headers or {}))

    @app.exception_handler(Exception)
    def bug(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error answering %s", request.url.path)
        found = problem("internal", 500, f"{type(error).__name__}: the server failed; "
                        "please report it with the request")
        found.instance = _instance(request)
        return _problem_response(found)


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """Return the OpenAPI builder: problems as application/problem+json, 400 instead of 422."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.get("responses", {})
                responses.pop("422", None)
                for status, response in responses.items():
                    if status.startswith(("4", "5")) and "content" in response:
                        content = response["content"]
                        if "application/json" in content:
                            content[MEDIA_TYPE] = content.pop("application/json")
        components = schema.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    return build
