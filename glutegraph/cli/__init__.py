"""The ``glutegraph`` command: every typed question, SPARQL, export, validation, servers.

``glutegraph --help`` lists the commands (the README's "Command-line reference" is generated
from this parser: ``python -m glutegraph.cli.reference``). The parser and the older commands
live here; the list questions (``exercises``, ``muscles``, ``claims``, ``treatments``,
``compare``, ``measurements``, ``studies``, ``conditions``, ``cautions``, ``progressions``,
``pooled``) in :mod:`glutegraph.cli.tables`, the commands that
write files (``figure``, ``network``, ``dump-json``) in :mod:`glutegraph.cli.files`, shell
completion in :mod:`glutegraph.cli.completion` and the help texts' examples in
:mod:`glutegraph.cli.examples`.

Exit status: 0 done, 1 (validate) does not conform, 2 bad input or an error, which is printed
on stderr. A reader that stops early (``| head``) ends the command quietly, with status 0.

Example:
    >>> from glutegraph.cli import main
    >>> main(["sparql", "SELECT ?root WHERE { kb:inferior_gluteal_nerve gg:hasSpinalRoot ?root }"
    ...       " ORDER BY ?root", "--format", "csv"])
    root
    https://w3id.org/glutegraph/kb/root_L5
    https://w3id.org/glutegraph/kb/root_S1
    https://w3id.org/glutegraph/kb/root_S2
    0

"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glutegraph import __version__
from glutegraph.cli import completion, files, tables
from glutegraph.cli.common import (
    IntermixedParser,
    OneCommand,
    open_entities,
    open_graph,
    positive_int,
    print_card,
    print_renderable,
    source_options,
)
from glutegraph.cli.examples import DESCRIPTION, EPILOG, Formatter, add_examples
from glutegraph.errors import GluteGraphError

if TYPE_CHECKING:
    from glutegraph.graph import KnowledgeGraph

_RESULT_CHOICES = ["table", "csv", "tsv", "json", "xml"]
_GRAPH_CHOICES = ["turtle", "nt", "jsonld", "rdfxml"]
_open = open_graph
_print = print_renderable


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the parser of every command, or (``only``) of the one command being run."""
    parser = argparse.ArgumentParser(
        prog="glutegraph",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=Formatter,
    )
    parser.register("action", "parsers", OneCommand)
    parser.add_argument("--version", action="version", version=f"glutegraph {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     title="commands", parser_class=IntermixedParser)
    assert isinstance(commands, OneCommand)
    commands.only = only
    tour = commands.add_parser("tour", help="a short guided tour of the graph, and a figure")
    tour.add_argument("--figure", type=Path, default=Path("glutegraph-tour.png"),
                      help="where to save the figure of the graph (default %(default)s)")
    _source_options(tour)
    muscle = commands.add_parser("muscle", help="a muscle: anatomy, nerves and roots, actions")
    muscle.add_argument("name", metavar="NAME",
                        help="a muscle, region or group: label, synonym or CURIE ('glute med')")
    tables.add_commands(commands)  # exercises, muscles, claims, treatments, compare, ...
    condition = commands.add_parser("condition", help="a condition: tests, treatments")
    condition.add_argument("name", metavar="NAME",
                           help="a condition ('piriformis syndrome', 'gluteal tendinopathy')")
    explain = commands.add_parser("explain", help="how two entities are linked, with sources")
    explain.add_argument("a", metavar="A", help="one entity: any name, CURIE or IRI")
    explain.add_argument("b", metavar="B", help="the other entity")
    explain.add_argument("--paths", type=positive_int, default=3, metavar="N",
                         help="how many paths at most (default %(default)s)")
    recommend = commands.add_parser(
        "recommend", help="a staged, explained choice of exercises for a target and a person",
        description="Recommend exercises for a target: contact and control first, then load "
        "and complexity, the best evidence first, every step with its reasons and sources; "
        "a condition's cautions applied. A summary of evidence, not medical advice.")
    recommend.add_argument("target", metavar="TARGET", help="a muscle, region or group")
    recommend.add_argument("--level", help="beginner, intermediate or expert: nothing harder")
    recommend.add_argument("--equipment", action="append", metavar="NAME",
                           help="equipment you have (repeat for more; body weight always "
                           "counts); default: anything")
    recommend.add_argument("--condition", action="append", default=[], metavar="NAME",
                           help="a condition to screen for, e.g. 'gluteal tendinopathy' "
                           "(repeat for more)")
    side = recommend.add_mutually_exclusive_group()
    side.add_argument("--single-leg", action="store_const", const="single", dest="laterality",
                      help="only single-leg exercises")
    side.add_argument("--double-leg", action="store_const", const="double", dest="laterality",
                      help="only double-leg exercises")
    recommend.add_argument("--knee-friendly", action="store_true",
                           help="only hip-dominant exercises (little knee load)")
    recommend.add_argument("--stages", type=positive_int, default=3, metavar="N",
                           help="number of stages, 1-6 (default %(default)s)")
    recommend.add_argument("--per-stage", type=positive_int, default=2, metavar="N",
                           help="exercises per stage, 1-10 (default %(default)s)")
    similar = commands.add_parser("similar", help="exercises like another, and which is harder")
    similar.add_argument("exercise", metavar="EXERCISE", help="an exercise ('glute bridge')")
    similar.add_argument("--limit", type=positive_int, default=5, metavar="N",
                         help="how many (default %(default)s)")
    derivation = commands.add_parser(
        "derivation", help="how a derived fact was derived (rule and facts used)",
        description="Say how the rules in ontology/rules/ derived SUBJECT PREDICATE OBJECT, "
        "e.g. glutegraph derivation 'glute bridge' gg:trainsMuscle 'gluteus maximus'.")
    derivation.add_argument("subject", metavar="SUBJECT", help="an entity ('glute bridge')")
    derivation.add_argument("predicate", metavar="PREDICATE",
                            help="a CURIE or IRI (gg:trainsMuscle)")
    derivation.add_argument("object", metavar="OBJECT", help="an entity or a gg: class")
    for question in (muscle, condition, explain, recommend, similar, derivation):
        question.add_argument("--json", action="store_true", help="print JSON instead")
        _source_options(question)

    sparql = commands.add_parser(
        "sparql",
        help="run a SPARQL query (text, a .rq file, or - for stdin)",
        description="Run a read-only SPARQL query. The prefixes gg:, kb:, rdfs:, skos:, "
        "dcterms:, obo:, ... are declared. SELECT/ASK answers print as a table or in a SPARQL "
        "1.1 results format; CONSTRUCT/DESCRIBE answers as RDF (Turtle unless --format says).",
    )
    sparql.add_argument("query", metavar="QUERY_OR_FILE", help="query text, a file, or -")
    sparql.add_argument(
        "-f", "--format", default="table", choices=_RESULT_CHOICES + _GRAPH_CHOICES,
        help="table (default), csv, tsv, json or xml for SELECT/ASK; turtle, nt, jsonld or "
        "rdfxml for CONSTRUCT/DESCRIBE"
    )
    sparql.add_argument("--allow-network", action="store_true",
                        help="let SERVICE clauses call other endpoints (refused by default)")
    sparql.add_argument("--max-memory-mb", type=positive_int, default=2048,
                        help="memory the query may use, embedded store (default %(default)s)")
    sparql.add_argument("--max-result-mb", type=positive_int, default=256,
                        help="largest answer, in MB (default %(default)s)")
    _source_options(sparql)

    export = commands.add_parser("export", help="write the whole graph in an RDF format")
    export.add_argument("-f", "--format", default="turtle", choices=_GRAPH_CHOICES,
                        help="the RDF format (default %(default)s); plain JSON: dump-json")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    _source_options(export)

    validate = commands.add_parser(
        "validate",
        help="validate the bundled graph plus FILEs with SHACL and the quality checks",
        description="Exit 0: conforms; 1: does not conform (violations listed); 2: a file "
        "cannot be read.",
    )
    validate.add_argument("files", nargs="*", metavar="FILE",
                          help="RDF files or CSV tables to check")

    serve = commands.add_parser(
        "serve",
        help="serve the graph read-only over the SPARQL 1.1 Protocol (oxigraph server)",
        description="Run the oxigraph server, read-only, over the bundled graph plus --data "
        "files, until interrupted, behind a front end that applies the query guard, refuses "
        "SERVICE and writes, bounds concurrent queries, time, memory and answer size, and "
        "restarts the engine when a query overruns. It listens on loopback unless --bind says "
        "otherwise.",
    )
    serve.add_argument("--bind", default="127.0.0.1:7878", help="HOST:PORT (default %(default)s)")
    serve.add_argument("--store", type=Path, help="keep the store in this folder")
    serve.add_argument("--data", action="append", default=[], metavar="FILE",
                       help="your RDF file (repeat for more)")
    serve.add_argument("--timeout-s", type=positive_int, default=30,
                       help="per-query limit in seconds (default %(default)s)")
    serve.add_argument("--cors", action="store_true", help="allow browser tools (YASGUI)")
    serve.add_argument("--allow-service", action="store_true",
                       help="let queries use SERVICE (the server fetches other addresses)")
    serve.add_argument("--max-concurrent", type=positive_int, default=4,
                       help="queries run at once; more wait briefly, then get 503")
    serve.add_argument("--max-memory-mb", type=positive_int, default=4096,
                       help="memory limit of the SPARQL engine (restarted past it)")

    api = commands.add_parser(
        "api", help="serve a read-only web API (JSON, OpenAPI at /docs) on loopback",
        description="Serve the typed questions, SPARQL and JSON-LD over HTTP (needs the api "
        "extra: pip install 'glutegraph[api]'), until interrupted. Listens on loopback unless "
        "--bind says otherwise. Example: glutegraph api --bind 127.0.0.1:8000, then open "
        "http://127.0.0.1:8000/docs")
    api.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT (default %(default)s)")
    api.add_argument("--store", type=Path, help="use (or fill) the on-disk store in this folder")
    api.add_argument("--dataset", action="append", default=[],
                     choices=["free-exercise-db", "wger"],
                     help="also import this shipped open data set (repeatable)")
    api.add_argument("--data", action="append", default=[], metavar="FILE",
                     help="your RDF file or CSV table (repeat for more)")
    api.add_argument("--cors", action="store_true",
                     help="send CORS headers so that web pages on other origins can call it")

    upload = commands.add_parser(
        "upload",
        help="put the graph (plus FILEs) into a triple store with the Graph Store Protocol",
        description="Write the bundled graph plus FILEs (validated first) to a SPARQL 1.1 Graph "
        "Store endpoint: Oxigraph http://HOST:7878/store, Fuseki http://HOST:3030/DATASET/data, "
        "GraphDB http://HOST:7200/repositories/REPO/rdf-graphs/service, Virtuoso "
        "http://HOST:8890/sparql-graph-crud (with --graph: it has no default graph to write to).",
    )
    upload.add_argument("store_url", metavar="STORE_URL",
                        help="the Graph Store endpoint (http://HOST:7878/store for Oxigraph)")
    upload.add_argument("files", nargs="*", metavar="FILE", help="your RDF files to add")
    upload.add_argument("--graph", help="named graph to hold the data (default: default graph; "
                        "Virtuoso needs one)")
    upload.add_argument("--replace", action="store_true", help="replace the graph's content")

    imports = commands.add_parser(
        "import",
        help="import free-exercise-db, wger or your CSV tables; write Turtle or fill a store",
        description="Read an open exercise data set (the copy shipped with glutegraph, or "
        "PATH) or your own tables (CSV: the exercises or measurements template, see README), "
        "check every record, and print a report: imported, matched to curated exercises, "
        "skipped with reasons, triples, time. With --output, write the triples as Turtle; "
        "with --store, add them to an on-disk store (then query it with --store). A bad "
        "table row stops the import unless --partial.",
    )
    imports.add_argument("source", choices=["free-exercise-db", "wger", "csv"],
                         help="what to read")
    imports.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                         help="the file or folder (data sets: default the shipped copy); "
                         "for csv, one or more tables")
    imports.add_argument("-o", "--output", type=Path, help="write the triples here (Turtle)")
    imports.add_argument("--store", type=Path, help="add the triples to this store folder")
    imports.add_argument("--partial", action="store_true",
                         help="(csv) add the good rows and report the bad ones")
    files.add_commands(commands)  # figure, network, dump-json
    completion.add_command(commands)
    add_examples(commands)
    return parser


_source_options = source_options


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    words = sys.argv[1:] if argv is None else list(argv)
    command = words[0] if words and words[0] in _COMMANDS else None  # else: help, a typo
    args = _parser(command).parse_args(words)
    try:
        return int(_COMMANDS[args.command](args))
    except GluteGraphError as exc:
        print(f"glutegraph: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader stopped early (| head): stop quietly
        _quiet_stdout()
        return 0


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that the final flush at exit cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file (a test's capture): nothing to flush
        pass


def _sparql(args: argparse.Namespace) -> int:
    from glutegraph.formats import serialize_answer
    from glutegraph.guards import check_query, positive_int
    from glutegraph.sparql import run, within
    from glutegraph.worker import CAN_FORK, bounded

    text = check_query(_query_text(args.query))  # before any parser (or the graph) is touched
    positive_int(args.max_memory_mb, "--max-memory-mb")
    positive_int(args.max_result_mb, "--max-result-mb")
    kg = _open(args)
    where = args.endpoint or "the embedded store"

    def answer() -> bytes:
        return serialize_answer(run(kg.store, text, allow_network=args.allow_network), args.format)

    if kg.remote or not CAN_FORK:
        data = within(args.timeout, answer, where)
    else:  # a child process with a memory limit, killed at the timeout (glutegraph.worker)
        data = bounded(answer, seconds=args.timeout, max_memory=args.max_memory_mb * 2**20,
                       max_bytes=args.max_result_mb * 2**20, where=where,
                       settings=("--max-memory-mb", "--max-result-mb"))
    _write(data, None)
    return 0


def _export(args: argparse.Namespace) -> int:
    from glutegraph.formats import serialize_graph
    from glutegraph.store import graph_quads

    kg = _open(args)
    data = serialize_graph(graph_quads(kg.store), args.format)
    _write(data, args.output)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from glutegraph.importers.extensions import extensions_of
    from glutegraph.protect import HOW_TO_ADD, protection_violations
    from glutegraph.store import derive, open_store
    from glutegraph.validation import ValidationReport, validate_store

    store = open_store()  # the same checks as KnowledgeGraph.add, on the embedded store
    files = [(f.path, f.quads) for f in extensions_of(args.files, None)]  # RDF files, tables
    for _, quads in files:
        store.extend(quads)
    protected = [v for name, quads in files
                 for v in protection_violations(quads, store, source=name)]
    if protected:  # the bundled graph would be rewritten: said before the shapes run
        print(ValidationReport(violations=tuple(protected)))
        print(HOW_TO_ADD)
        return 1
    derive(store)
    report = validate_store(store)
    print(report)
    return 0 if report.conforms else 1


def _serve(args: argparse.Namespace) -> int:
    from glutegraph.front import FrontEnd
    from glutegraph.guards import positive_int
    from glutegraph.server import LOOPBACK, OxigraphServer

    host, _, port = args.bind.rpartition(":")
    if not host or not port.isdigit():
        print(f"glutegraph: error: --bind wants HOST:PORT, not {args.bind!r}", file=sys.stderr)
        return 2
    host = host.strip("[]")
    if host not in (LOOPBACK, "localhost", "::1"):
        print(f"glutegraph: warning: listening on {host}: anyone who can reach this machine "
              "can query the graph", file=sys.stderr)
    positive_int(args.timeout_s, "--timeout-s")
    positive_int(args.max_concurrent, "--max-concurrent")
    positive_int(args.max_memory_mb, "--max-memory-mb")
    engine = OxigraphServer.for_data(args.data, store=args.store, cors=args.cors)
    server = FrontEnd(
        engine, host=host, port=int(port), timeout_s=args.timeout_s,
        max_concurrent=args.max_concurrent, max_memory=args.max_memory_mb * 2**20,
        allow_service=args.allow_service,
    )
    _stop_on_terminate()
    with server:
        print(f"glutegraph: SPARQL endpoint (read-only) at {server.query_url}", flush=True)
        print(f"  try: curl {server.query_url} -H 'Accept: text/csv' "
              "--data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3'", flush=True)
        print(f"  or in Python: glutegraph.connect({server.query_url!r})", flush=True)
        print("  Ctrl-C stops it.", flush=True)
        server.wait()
        return 0


def _stop_on_terminate() -> None:
    """Make SIGTERM and SIGHUP end ``serve`` like Ctrl-C does, so the server child is stopped."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


def _api(args: argparse.Namespace) -> int:
    try:
        from glutegraph.web.serve import serve
    except ImportError as exc:  # fastapi or uvicorn missing
        print(f"glutegraph: error: the web API needs the api extra ({exc.name} is missing): "
              "pip install 'glutegraph[api]'", file=sys.stderr)
        return 2
    _stop_on_terminate()
    return serve(args.bind, store=args.store, datasets=args.dataset, data=args.data,
                 cors=args.cors)


def _upload(args: argparse.Namespace) -> int:
    from glutegraph.remote import upload

    count = upload(args.store_url, args.files, graph=args.graph, replace=args.replace)
    target = f"graph <{args.graph}>" if args.graph else "the default graph"
    print(f"uploaded {count} triples to {target} of {args.store_url}")
    return 0


def _tour(args: argparse.Namespace) -> int:
    from glutegraph.tour import tour

    _print(tour(_open(args), args.figure))
    return 0


def _muscle(args: argparse.Namespace) -> int:
    """Show a muscle's card, or its plain form as JSON (--json); no typed models are built."""
    entities = open_entities(args)
    m = entities.get(args.name, "muscle", "MuscularStructure")
    if args.json:
        from glutegraph.facts import values_json

        print(values_json(m))
        return 0
    from glutegraph.cards import muscle_card

    print_card(muscle_card(entities, m))
    return 0


def _question(args: argparse.Namespace) -> int:
    """Answer condition / explain / recommend / similar / derivation, as tables or --json."""
    from glutegraph import tour

    kg = _open(args)
    if args.json:
        answers: dict[str, Callable[[], Any]] = {
            "condition": lambda: kg.condition(args.name),
            "explain": lambda: kg.explain(args.a, args.b, max_paths=args.paths),
            "recommend": lambda: _recommendation(kg, args),
            "similar": lambda: kg.similar(args.exercise, limit=args.limit),
            "derivation": lambda: _derivations(kg, args),
        }
        print(tour.as_json(answers[args.command]()))
        return 0
    views: dict[str, Callable[[], Any]] = {
        "condition": lambda: tour.condition_view(kg, args.name),
        "explain": lambda: tour.explain_view(kg, args.a, args.b, max_paths=args.paths),
        "recommend": lambda: tour.recommend_view(_recommendation(kg, args)),
        "similar": lambda: tour.similar_view(kg, args.exercise, limit=args.limit),
        "derivation": lambda: "\n".join(str(d) for d in _derivations(kg, args))
        or "not derived: the graph asserts it, or does not hold it",
    }
    _print(views[args.command]())
    return 0


def _recommendation(kg: KnowledgeGraph, args: argparse.Namespace) -> Any:
    return kg.recommend(args.target, level=args.level, equipment=args.equipment,
                        conditions=args.condition, laterality=args.laterality,
                        knee_friendly=args.knee_friendly, stages=args.stages,
                        per_stage=args.per_stage)


def _derivations(kg: KnowledgeGraph, args: argparse.Namespace) -> Any:
    from glutegraph.results import Results

    return Results(kg.derivation(args.subject, args.predicate, args.object))


def _import(args: argparse.Namespace) -> int:
    from glutegraph.importers.command import run_import

    return run_import(args.source, args.paths, output=args.output, store=args.store,
                      partial=args.partial, show_progress=sys.stderr.isatty())


_COMMANDS = {
    "import": _import,
    "tour": _tour,
    "muscle": _muscle,
    "condition": _question,
    "explain": _question,
    "recommend": _question,
    "similar": _question,
    "derivation": _question,
    "sparql": _sparql,
    "export": _export,
    "validate": _validate,
    "serve": _serve,
    "api": _api,
    "upload": _upload,
}
_COMMANDS.update({**tables.COMMANDS, **files.COMMANDS, **completion.COMMANDS})


def _query_text(query: str) -> str:
    """Return the query text: ``query`` itself, a file's text or stdin's.

    A file or stdin is read up to the size limit and one character more, so that a huge file
    is refused by the guard, not read whole.
    """
    from glutegraph.errors import DataFileError
    from glutegraph.guards import MAX_QUERY_CHARS

    if query == "-":
        return sys.stdin.read(MAX_QUERY_CHARS + 1)
    looks_like_file = "{" not in query and (
        query.endswith((".rq", ".sparql")) or Path(query).is_file()
    )
    if not looks_like_file:
        return query
    try:
        with Path(query).open(encoding="utf-8") as handle:
            return handle.read(MAX_QUERY_CHARS + 1)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataFileError(query, f"cannot read the query file: {exc}") from exc


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(data.decode("utf-8"))  # every format glutegraph writes is UTF-8 text
        sys.stdout.flush()
    else:
        output.write_bytes(data)

