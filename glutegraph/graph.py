"""The knowledge graph object: :func:`load` it, ask it questions, run SPARQL on it.

Example:
    >>> import glutegraph as gg
    >>> kg = gg.load()
    >>> kg.muscle("glute med").innervated_by[0].label
    'superior gluteal nerve'
    >>> kg.query("SELECT ?n WHERE { kb:gluteus_maximus gg:innervatedBy ?n }")[0].n
    'https://w3id.org/glutegraph/kb/inferior_gluteal_nerve'

"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import pyoxigraph as ox

from glutegraph.errors import (
    DataFileError,
    GluteGraphError,
    ProtectedKnowledgeError,
    QueryError,
    ReadOnlyError,
    ResultTooLargeError,
    ShapeViolationError,
    UnknownNameError,
)
from glutegraph.guards import check_query, positive_int, seconds
from glutegraph.jupyter import remember_graph
from glutegraph.models import (
    Claim,
    Condition,
    DiagnosticTest,
    Entity,
    Exercise,
    Joint,
    JointAction,
    MuscularStructure,
    Nerve,
    Ref,
    Study,
    Treatment,
)
from glutegraph.names import NameIndex
from glutegraph.questions import Questions
from glutegraph.rdf import graph_from_triples
from glutegraph.sparql import Backend, rows_of, run, within
from glutegraph.store import (
    ExtensionFile,
    add_extensions,
    already_added,
    as_derived,
    graph_quads,
    open_store,
    read_extension,
)
from glutegraph.terms import expand
from glutegraph.worker import CAN_FORK, bounded

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from glutegraph.importers import Import
    from glutegraph.inference import Derivation

M = TypeVar("M", bound=Entity)

#: The on-disk graphs open in this process, by folder.
_OPEN_GRAPHS: dict[str, KnowledgeGraph] = {}
_OPENING = threading.Lock()


def load(
    extra: Iterable[Path | str] = (),
    *,
    store: Path | str | None = None,
    rebuild: bool | Literal["stale"] = False,
    datasets: Iterable[str] = (),
) -> KnowledgeGraph:
    """Return the knowledge graph: the bundled data plus your own RDF files, ready to query.

    Args:
        extra: RDF files to add (Turtle, N-Triples, RDF/XML, JSON-LD, ...). Each is checked
            against the project's SHACL shapes and quality checks first; a file that fails
            adds nothing (see :meth:`KnowledgeGraph.add`).
        store: a folder for a persistent on-disk store. The first call fills it; later calls
            open it without parsing anything. Files added to it stay in it. In one process,
            loading the same folder again gives the same graph object (see :func:`close_store`).
        rebuild: reload the bundled data into an existing store made by another version
            (``"stale"``: only if it is). Files added to the store are kept, from the copy the
            store holds. The new store is built beside the old one and replaces it only when
            it is complete (see :func:`glutegraph.store.open_store`).
        datasets: open exercise data sets to import beside the curated graph:
            ``"free-exercise-db"`` and/or ``"wger"`` (copies ship with glutegraph; see
            :meth:`KnowledgeGraph.add_datasets`). An on-disk store imports each once.

    Raises:
        DataFileError: an extra file is missing or is not valid RDF.
        ShapeViolationError: an extra file breaks the shapes or checks.
        StoreError: the store folder cannot be used; the message says what to do.

    Warns:
        ExtensionFileWarning: a file added to the store earlier has moved or changed (the
            store still opens with what it holds).

    Example:
        >>> kg = load()
        >>> len(kg) > 4000
        True

    """
    if store is None:
        kg = KnowledgeGraph(open_store(), persistent=False)
    else:  # one graph per folder and process: loading it again (a notebook cell) reuses it
        key = str(Path(store).expanduser().resolve())
        with _OPENING:  # two threads loading one folder get one graph
            known = _OPEN_GRAPHS.get(key) if rebuild is not True else None
            kg = known or KnowledgeGraph(open_store(store, rebuild=rebuild), persistent=True)
            _OPEN_GRAPHS[key] = kg
    kg.add_datasets(*([datasets] if isinstance(datasets, str) else datasets))
    kg.add(*extra)
    return kg


def close_store(store: Path | str) -> None:
    """Forget the on-disk graph of folder ``store`` in this process, so that it can close.

    The next :func:`load` of that folder opens it afresh (checking its data version), and
    once nothing holds the old graph, another process can open the folder.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     kg = load(store=folder)
        ...     load(store=folder) is kg
        ...     close_store(folder)
        ...     del kg                              # nothing holds it now: it closes
        ...     len(load(store=folder)) > 4000      # opened afresh
        ...     close_store(folder)
        True
        True

    """
    _OPEN_GRAPHS.pop(str(Path(store).expanduser().resolve()), None)


class _Triples(bytes):
    """A CONSTRUCT answer as N-Triples bytes, on its way back from the query worker."""


class KnowledgeGraph(Questions):
    """The glutegraph knowledge graph in an embedded pyoxigraph store.

    Typed questions (:meth:`muscles`, :meth:`exercises`, :meth:`condition`, ...) come from
    :class:`~glutegraph.questions.Questions`; :meth:`query` runs your own SPARQL.
    """

    #: Seconds :meth:`query` waits for an answer before :class:`QueryTimeoutError` (None: no limit).
    timeout: float | None = 30.0
    #: Rows (or triples) :meth:`query` returns at most before :class:`ResultTooLargeError`.
    max_rows: int | None = 1_000_000
    #: Whether :meth:`query` may run SERVICE clauses (calls to other endpoints). Off by default.
    allow_network: bool = False
    #: Bytes of memory one :meth:`query` may use (embedded store; None: no limit). The query
    #: runs in a child process with this address-space limit (see :mod:`glutegraph.worker`).
    max_memory: int | None = 2 * 2**30
    #: Bytes the answer of one :meth:`query` may take (pickled; embedded store; None: no limit).
    max_result_bytes: int | None = 256 * 2**20
    #: Whether :meth:`query` sees what the rules derive (``ontology/rules/``; embedded store):
    #: False gives the asserted facts only. :meth:`derivation` says how a fact was derived.
    inferred: bool = True

    def __init__(self, store: Backend, *, persistent: bool = False) -> None:
        self.store = store
        self.persistent = persistent
        self.names = NameIndex.build(store)
        self._network: nx.MultiDiGraph[str] | None = None
        self._adding = threading.Lock()
        self._changes = 0  # how many times add() changed it: live views recount after one
        remember_graph(self)  # answers shown in Jupyter link sources to their web pages

    @property
    def remote(self) -> bool:
        """Whether the graph lives on a remote SPARQL endpoint (see :func:`glutegraph.connect`)."""
        return not isinstance(self.store, ox.Store)

    def __len__(self) -> int:
        """Return the number of triples in the graph (the store's default graph)."""
        answer = run(self.store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert isinstance(answer, ox.QuerySolutions)
        return int(next(answer)[0].value)

    def __repr__(self) -> str:
        if self.remote:
            return f"<KnowledgeGraph: {len(self)} triples at {self._where}>"
        kind = "on-disk" if self.persistent else "in-memory"
        return f"<KnowledgeGraph: {len(self)} triples, {kind} pyoxigraph store>"

    # ------------------------------------------------------------------ SPARQL

    def query(self, sparql: str, **bindings: Any) -> Any:
        """Run a read-only SPARQL query with glutegraph's prefixes (gg:, kb:, rdfs:, ...) declared.

        Keyword arguments bind variables to values: ``str``, numbers, dates become literals;
        pass IRIs as ``glutegraph.iri("kb:...")``, a :class:`Ref` or a model. A bound variable
        must be one the query returns (SPARQL 1.1 substitution).

        Returns:
            :class:`~glutegraph.sparql.Rows` of Python values for SELECT (``rows.to_dataframe()``
            with pandas installed), ``bool`` for ASK, an rdflib graph for CONSTRUCT/DESCRIBE.

        Limits: :attr:`timeout` (seconds), :attr:`max_rows`, :attr:`max_memory` and
        :attr:`max_result_bytes` (bytes), and no SERVICE unless :attr:`allow_network` is set.
        They are attributes of the graph, so that no keyword argument is taken from your
        bindings. On the embedded store the query runs in a forked child process that is
        killed at the timeout and cannot use more memory than allowed (about 7 to 11 ms more
        per query; see :mod:`glutegraph.worker`), so no query can take your process down.
        With both :attr:`timeout` and :attr:`max_memory` set to None it runs in this process.

        Raises:
            QuerySyntaxError: with the line and column of the problem.
            ReadOnlyError: the text is an UPDATE.
            NetworkAccessError: the query has a SERVICE clause.
            QueryTooComplexError: the text is longer or nests deeper than
                :mod:`glutegraph.guards` allows (checked before any parser sees it).
            QueryTimeoutError: no answer within :attr:`timeout` seconds.
            ResultTooLargeError: more than :attr:`max_rows` rows.
            QueryResourceError: the query needed more than :attr:`max_memory`, or its answer
                more than :attr:`max_result_bytes` (embedded store).
            EndpointError: (remote graphs) the endpoint cannot be reached.

        Example:
            >>> kg = load()
            >>> rows = kg.query('''
            ...     SELECT ?name ?muscle ?level WHERE {
            ...       ?muscle rdfs:label ?name ;
            ...               gg:innervatedBy/gg:hasSpinalRoot/gg:spinalLevel ?level
            ...     } ORDER BY ?level''', name=ox.Literal("gluteus medius", language="en"))
            >>> [r.level for r in rows]
            ['L4', 'L5', 'S1']

        """
        check_query(sparql)
        if self.max_rows is not None:
            positive_int(self.max_rows, "KnowledgeGraph.max_rows")
        if self.timeout is not None:
            seconds(self.timeout, "KnowledgeGraph.timeout")
        for limit in ("max_memory", "max_result_bytes"):
            if getattr(self, limit) is not None:
                positive_int(getattr(self, limit), f"KnowledgeGraph.{limit}")
        terms = {k: _as_term(v) for k, v in bindings.items()}
        # no limit at all (timeout and max_memory None): in this process, without the fork
        limited = self.timeout is not None or self.max_memory is not None
        bound = isinstance(self.store, ox.Store) and CAN_FORK and limited

        def answer() -> Any:
            raw = run(self.store, sparql, terms, allow_network=self.allow_network,
                      inferred=self.inferred)
            try:
                if isinstance(raw, ox.QuerySolutions):
                    return rows_of(raw, self.max_rows)
                if isinstance(raw, ox.QueryBoolean):
                    return bool(raw)
                triples: list[Any] = []
                for triple in raw:
                    if self.max_rows is not None and len(triples) >= self.max_rows:
                        raise ResultTooLargeError(self.max_rows)
                    triples.append(triple)
                if bound:  # sent back as N-Triples bytes, made a graph in this process
                    return _Triples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
                return graph_from_triples(triples)
            except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
                if isinstance(exc, GluteGraphError):
                    raise
                raise QueryError(f"the query failed while it ran: {exc}") from None

        if not bound:
            return within(self.timeout, answer, self._where)
        result = bounded(answer, seconds=self.timeout, max_memory=self.max_memory,
                         max_bytes=self.max_result_bytes, where=self._where)
        if isinstance(result, _Triples):
            return graph_from_triples(ox.parse(bytes(result), format=ox.RdfFormat.N_TRIPLES))
        return result

    def derivation(self, subject: str | Ref | Entity, predicate: str, obj: str | Ref | Entity
                   ) -> list[Derivation]:
        """Return how the graph derived a fact: each rule and the asserted facts it used.

        ``subject`` and ``obj`` are names (labels, CURIEs, IRIs) or models, ``predicate`` a
        CURIE or IRI (``"gg:trainsMuscle"``, ``"rdf:type"``). An asserted fact, or one the graph
        does not hold, has no derivation (an empty list).

        Example:
            >>> kg = load()
            >>> [d] = kg.derivation("glute bridge", "gg:trainsMuscle", "gluteus maximus")
            >>> d.rule, d.because[0]
            ('exercise-trains-muscle', 'glute bridge trains hip extension')

        """
        from glutegraph.inference import derivations

        if not isinstance(self.store, ox.Store):
            raise QueryError("derivations need the embedded store: an endpoint does not keep "
                             "the asserted facts apart from the derived ones")
        s = subject.iri if isinstance(subject, Ref | Entity) else self.resolve(subject).iri
        if isinstance(obj, Ref | Entity):
            o = obj.iri
        else:  # a schema term (gg:HipAbductor) is not in the name index: expand it
            schema = expand(obj) if obj.startswith("gg:") else None
            o = schema or self.resolve(obj).iri
        return derivations(self.store, s, expand(predicate) or predicate, o, self.names.labels)

    def to_rdflib(self) -> Graph:
        """Return a copy of the whole graph as an rdflib graph (to change, serialise, send).

        For rdflib code and SHACL tools on the graph itself, without a copy, see
        :meth:`rdflib_view`.

        Example:
            >>> len(load().to_rdflib()) > 4000
            True

        """
        return graph_from_triples(graph_quads(self.store))

    def rdflib_view(self) -> Graph:
        """Return a read-only rdflib ``Graph`` over this graph's own store: live, nothing copied.

        rdflib's SPARQL, pyshacl and other rdflib code run on the graph itself, and what
        :meth:`add` adds later is in the view at once. It holds what :meth:`query` reads (the
        asserted facts and what the rules derived; derived ones also sit in the named graph
        ``urn:glutegraph:derived``). Writes through it raise :class:`ReadOnlyError`: add data
        with :meth:`add`, which checks it. Its SPARQL runs in this process, without
        :meth:`query`'s time and memory limits. See :mod:`glutegraph.rdflib_view`.

        Raises:
            QueryError: the graph is on a remote endpoint, or :attr:`inferred` is False.

        Example:
            >>> import pyshacl
            >>> from glutegraph.validation import shapes_graph
            >>> kg = load()
            >>> view = kg.rdflib_view()
            >>> pyshacl.validate(data_graph=view, shacl_graph=shapes_graph())[0]
            True
            >>> view.store.pyoxigraph_store is kg.store
            True

        """
        from glutegraph.rdflib_view import rdflib_view

        return rdflib_view(self)

    # ------------------------------------------------------------------ networkx

    def to_networkx(self) -> nx.MultiDiGraph[str]:
        """Return the graph as a networkx MultiDiGraph (a copy: change it freely).

        Nodes are entities (``kind``, ``label``, ``iri``, ...), edges are links and evidence
        (``relation``, ``label``, ``sources``, figures). See :mod:`glutegraph.network`.

        Example:
            >>> g = load().to_networkx()
            >>> g.nodes["https://w3id.org/glutegraph/kb/piriformis"]["label"]
            'piriformis'

        """
        return self._networkx().copy()

    def explain(self, a: str, b: str, *, max_paths: int = 3, max_length: int = 4) -> list[Any]:
        """Return how two entities are linked: paths as sentences, each step with its sources.

        Args:
            a: the name of one entity (label, synonym, CURIE or IRI).
            b: the name of the other.
            max_paths: how many explanations at most, shortest first (1 to 50).
            max_length: the longest path, in links (1 to 8).

        Raises:
            UnknownNameError: a name matches nothing (with suggestions).
            InvalidArgumentError: ``max_paths`` or ``max_length`` is out of range (see
                :mod:`glutegraph.explain` for the limits, which bound the search to about 1 s).

        Example:
            >>> for why in load().explain("piriformis", "sciatica", max_paths=1):
            ...     print(why)
            piriformis syndrome involves piriformis [...]
            piriformis syndrome related condition sciatica [...]

        """
        from glutegraph.explain import MAX_LENGTH, MAX_PATHS, explain_paths

        positive_int(max_paths, "max_paths", maximum=MAX_PATHS)  # before any work is done
        positive_int(max_length, "max_length", maximum=MAX_LENGTH)
        start, end = self.resolve(a).iri, self.resolve(b).iri
        graph = self._networkx()
        for name, node in ((a, start), (b, end)):
            if node not in graph:
                raise UnknownNameError("entity in the network view", str(name))
        return list(explain_paths(graph, start, end, max_paths=max_paths, max_length=max_length))

    @property
    def _where(self) -> str:
        """Where the graph lives, for messages: the endpoint URL, or "the embedded store"."""
        return str(getattr(self.store, "url", "the embedded store"))

    def _networkx(self) -> nx.MultiDiGraph[str]:
        if self._network is None:
            from glutegraph.network import to_networkx

            self._network = to_networkx(self)
        return self._network

    # ------------------------------------------------------------------ adding data

    def add(self, *items: Path | str | Import | Entity, partial: bool = False) -> int:
        r"""Add RDF files, tables, imports or models after checking them with the graph.

        ``items`` may be RDF files (Turtle, N-Triples, RDF/XML, JSON-LD, ...), tables of your
        exercises or measurements (``.csv``/``.tsv``, see :mod:`glutegraph.importers.table`;
        ``partial=True`` adds a table's good rows and skips the bad ones), finished imports
        (:func:`glutegraph.importers.import_wger`, ...), or the library's own models
        (:class:`~glutegraph.models.Exercise`, :class:`~glutegraph.models.Study`, ...).

        All files are read and checked before anything is added: if one is unreadable or
        breaks a shape or quality check, none is added and the graph is unchanged. The files
        are then added in one transaction: on disk, a process killed part-way leaves the store
        as it was before or after, never in between. The store keeps a copy of each file's
        triples, so a rebuild does not need the file again. Calls from several threads run one
        at a time, so each is checked against the graph the others left.

        Added files extend the graph but cannot rewrite it: a triple about a schema term or a
        bundled entity, or a link to a bundled entity from a node that cites no source of its
        own, is refused (see :mod:`glutegraph.protect`). Each file's triples are kept in a named
        graph of their own, and explanations say which facts came from which file.

        Returns:
            the number of new triples (0 for a file an on-disk store holds already, unchanged).

        Raises:
            DataFileError: a file is missing or not valid RDF (the message names the line).
            ProtectedKnowledgeError: a file would relabel, redefine or contradict the bundled
                graph, or states a fact about a bundled entity without its own source (each
                triple listed, with how to add the fact properly).
            ShapeViolationError: the files break the shapes or checks (each violation listed).
            ReadOnlyError: the graph is on a remote endpoint (use :func:`glutegraph.upload`).

        Example:
            >>> import pathlib, tempfile
            >>> kg = load()
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     bad = pathlib.Path(folder, "mine.ttl")
            ...     _ = bad.write_text("@prefix gg: <https://w3id.org/glutegraph/ontology/> .\n"
            ...                        "<https://example.org/x> a gg:Exercise .\n")
            ...     kg.add(bad)
            Traceback (most recent call last):
            ...
            glutegraph.errors.ShapeViolationError: .../mine.ttl was not added: ...

        """
        if not items:
            return 0
        if not isinstance(self.store, ox.Store):
            raise ReadOnlyError(
                "a graph on a remote endpoint is read-only here: add your files with "
                "`glutegraph upload STORE_URL FILE...` (or glutegraph.upload), which validates them"
            )
        paths = [i for i in items if isinstance(i, str | Path) and _is_rdf(i)]
        if len(paths) == len(items):
            files = [read_extension(i) for i in paths]  # the common case imports nothing more
        else:
            from glutegraph.importers.extensions import extensions_of

            files = extensions_of(items, self.names, partial=partial)
        return self._add_files(files, check=True)

    def add_datasets(self, *names: str) -> int:
        """Import open data sets shipped with glutegraph (``"free-exercise-db"``, ``"wger"``).

        Their records join the graph under ``fedb:`` and ``wger:`` (see
        :mod:`glutegraph.importers`). The shipped copies and their importers are checked
        against the shapes by glutegraph's own tests, so they are added without checking
        again (about a second for both). An on-disk store imports each once.

        Returns:
            the number of new triples.

        Raises:
            InvalidArgumentError: a name is not a shipped data set.

        Example:
            >>> kg = load()
            >>> kg.add_datasets("free-exercise-db") > 10_000
            True

        """
        if not names:
            return 0
        from glutegraph.guards import choice
        from glutegraph.importers import DATASETS, import_dataset
        from glutegraph.importers.extensions import from_import
        from glutegraph.store import content_digest

        files = []
        for name in dict.fromkeys(names):
            choice(name, "dataset", DATASETS)
            source = DATASETS[name][1]()
            if self.persistent and self._holds(str(source.resolve()), content_digest(source)[0]):
                continue  # imported into this store before
            files.append(from_import(import_dataset(name)))
        added = self._add_files(files, check=False)
        if added and self.persistent:  # so that the next opening need not replay a 50 MB log
            assert isinstance(self.store, ox.Store)
            self.store.flush()
        return added

    def _holds(self, path: str, sha256: str) -> bool:
        assert isinstance(self.store, ox.Store)
        return already_added(self.store, ExtensionFile(path, [], sha256, 0, 0))

    def _add_files(self, files: list[ExtensionFile], *, check: bool) -> int:
        """Add extension files in one transaction, after the protection and shape checks.

        The files are staged in the store (:mod:`glutegraph.addition`), where the rules and
        the checks see them with the graph, focused on what they touch: no copy of the graph.
        """
        assert isinstance(self.store, ox.Store)
        label = ", ".join(f.path for f in files)
        from glutegraph.addition import addition_violations, derive_addition, staged
        from glutegraph.protect import protection_violations
        from glutegraph.validation import validate_addition

        # validate and write as one: another add() waits for this one
        with self._adding, staged(self.store) as staging:
            if self.persistent:  # a file the store holds already, unchanged, is not added again
                files = [f for f in files if not already_added(self.store, f)]
            files = list({(f.path, f.sha256): f for f in files}.values())
            if not files:
                return 0
            self._refuse_a_second_version(files)
            added = staging.stage(q for f in files for q in f.quads)  # those not there yet
            if check:
                protected = [v for f in files for v in protection_violations(
                    f.quads, staging.graph, source=f.path)]
                if protected:  # before the shapes: the clearer message, and much faster
                    raise ProtectedKnowledgeError(label, list(protected))
            derived = derive_addition(staging, added)  # staged too: checked with the files
            if check:  # the shapes on what the files describe, the checks on what they touch
                touched = [*added, *derived]
                report = validate_addition(staging.graph,
                                           [*(q for f in files for q in f.quads), *derived],
                                           checks=addition_violations(staging, touched))
                if not report.conforms:
                    raise ShapeViolationError(label, list(report.violations))
            # in memory too, each file's triples are kept in a named graph of their own,
            # so that answers and explanations can tell which facts came from which file
            recorded = as_derived(derived)
            add_extensions(self.store, files, persistent=True, derived=recorded)
            self._changed(files, recorded)
            return len(added) + len(derived)

    def _refuse_a_second_version(self, files: list[ExtensionFile]) -> None:
        """Refuse a table whose name the graph holds already: adding never replaces rows."""
        from glutegraph.importers.extensions import TABLE_SUFFIXES

        assert isinstance(self.store, ox.Store)
        for f in files:
            if Path(f.path).suffix.lower() not in TABLE_SUFFIXES:
                continue
            from glutegraph.importers.table import table_iri  # pydantic models: tables only

            node = ox.NamedNode(table_iri(f.path))
            if next(iter(self.store.quads_for_pattern(node, None, None, ox.DefaultGraph())), None):
                raise DataFileError(f.path, f"the graph already holds a table named "
                                    f"{Path(f.path).name} (its rows are under {node.value}/). "
                                    "Adding never replaces what the graph holds: to change "
                                    "rows, add the edited table to a fresh graph or store "
                                    "folder; to add more rows, put them in a table of "
                                    "another name")

    def _changed(self, files: list[ExtensionFile], derived: list[ox.Quad]) -> None:
        """Forget what was computed from the graph before files (and what they derive) joined it.

        The name index reads again only the names of the subjects of the new triples.
        """
        subjects = {q.subject.value for f in files for q in f.quads
                    if isinstance(q.subject, ox.NamedNode)}
        subjects.update(q.subject.value for q in derived if isinstance(q.subject, ox.NamedNode))
        self.names.changed(subjects)
        self._changes += 1
        self._network = None
        self._origins = None
        remember_graph(self)

    # ------------------------------------------------------------------ finding entities

    def resolve(self, name: str | Ref | Entity, kind: str | None = None) -> Ref:
        """Return a :class:`Ref` to the entity a label, synonym, CURIE, kb: name or IRI means.

        Args:
            name: what to look up (a :class:`Ref` or model is taken as its IRI).
            kind: restrict to one kind: muscle, action, joint, nerve, exercise, equipment,
                difficulty, condition, symptom, treatment, test, study, claim or position.

        Raises:
            UnknownNameError: nothing matches; the message suggests the nearest names.
            AmbiguousNameError: two entities match equally well.

        Example:
            >>> load().resolve("sumo squat", "exercise")
            Ref(iri='https://w3id.org/glutegraph/kb/wide_stance_squat', label='wide-stance squat')

        """
        if isinstance(name, Ref | Entity):
            name = name.iri
        match = self.names.resolve(name, kind)
        return Ref(iri=match.iri, label=match.label)

    def entity(self, name: str | Ref) -> Entity:
        """Return any entity as its typed model (Muscle, Exercise, Study, Claim, ...).

        Example:
            >>> type(load().entity("UBERON:0001370")).__name__
            'Muscle'

        """
        model = self._describe(self.resolve(name).iri, Entity)
        assert model is not None  # every model is an Entity
        return model

    def muscle(self, name: str) -> MuscularStructure:
        """Return a muscle, muscle region or muscle group with its anatomy and actions.

        Example:
            >>> m = load().muscle("upper glutes")
            >>> m.label, [a.action.label for a in m.actions]
            ('upper gluteus maximus', ['hip abduction'])

        """
        return self._get(name, "muscle", MuscularStructure)

    def action(self, name: str) -> JointAction:
        """Return a joint action with the contributions of every structure that produces it.

        Example:
            >>> sorted(c.contributor.label for c in load().action("hip abduction").contributions
            ...        if c.role.iri.endswith("PrimeMover"))
            ['gluteus medius', 'gluteus minimus']

        """
        return self._get(name, "action", JointAction)

    def joint(self, name: str) -> Joint:
        """Return a joint with its actions and the muscles that cross it.

        Example:
            >>> "piriformis" in [m.label for m in load().joint("hip joint").crossed_by]
            True

        """
        return self._get(name, "joint", Joint)

    def nerve(self, name: str) -> Nerve:
        """Return a nerve with its spinal roots and the muscles it supplies.

        Example:
            >>> [m.label for m in load().nerve("inferior gluteal nerve").supplies]
            ['gluteus maximus']

        """
        return self._get(name, "nerve", Nerve)

    def exercise(self, name: str) -> Exercise:
        """Return an exercise with its targets, equipment, level and EMG measurements.

        Example:
            >>> ex = load().exercise("hip thrust")
            >>> ex.label, ex.difficulty.label
            ('barbell hip thrust', 'intermediate')

        """
        return self._get(name, "exercise", Exercise)

    def condition(self, name: str) -> Condition:
        """Return a condition with its symptoms, tests, treatments (and evidence) and findings.

        Example:
            >>> c = load().condition("piriformis syndrome")
            >>> sorted(t.label for t in c.tests)[:2]
            ['Beatty manoeuvre', 'FAIR test']

        """
        return self._get(name, "condition", Condition)

    def treatment(self, name: str) -> Treatment:
        """Return a treatment with the evidence for it per condition.

        Example:
            >>> [e.strength.label for e in load().treatment("steroid injection").evidence]
            ['evidence against']

        """
        return self._get(name, "treatment", Treatment)

    def test(self, name: str) -> DiagnosticTest:
        """Return a diagnostic test with its measured accuracy.

        Example:
            >>> acc = load().test("electrophysiological FAIR test").accuracy[0]
            >>> acc.sensitivity, acc.specificity
            (Decimal('0.881'), Decimal('0.832'))

        """
        return self._get(name, "test", DiagnosticTest)

    def study(self, name: str) -> Study:
        """Return a study (by label, kb: name or IRI) with its bibliographic details.

        Example:
            >>> load().study("study_contreras_2015").doi
            '10.1123/jab.2014-0301'

        """
        return self._get(name, "study", Study)

    def claim(self, name: str) -> Claim:
        """Return one of the article's claims with its verdict and correction.

        Example:
            >>> load().claim("claim_medius_rotation").verdict.label
            'corrected'

        """
        return self._get(name, "claim", Claim)

    # ------------------------------------------------------------------ internals

    def _get(self, name: str, kind: str, expected: type[M]) -> M:
        model = self._describe(self.resolve(name, kind).iri, expected)
        if model is None:  # an extension typed it oddly
            raise UnknownNameError(kind, str(name))
        return model


def _is_rdf(path: Path | str) -> bool:
    from glutegraph.importers.extensions import TABLE_SUFFIXES

    return Path(path).suffix.lower() not in TABLE_SUFFIXES


def _as_term(value: Any) -> Any:
    if isinstance(value, Ref | Entity):
        return ox.NamedNode(value.iri)
    return value


__all__ = ["KnowledgeGraph", "close_store", "load"]
