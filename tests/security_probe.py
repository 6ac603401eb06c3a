"""Run every way a user's input could reach the network, with a canary server and an audit hook.

Run by tests/test_security.py in a fresh interpreter (an audit hook cannot be removed). A
canary TCP server listens on loopback; every hostile input points at it. The audit hook records
each ``socket.connect`` and ``urllib.Request`` event. Prints one JSON object: what each attempt
raised, how many connections the canary received and how many connects the hook saw, and, as a
control that the harness works, what happens when the caller does ask for the network.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

events: list[str] = []


def audit(event: str, args: tuple[Any, ...]) -> None:
    if event in ("socket.connect", "urllib.Request"):
        events.append(f"{event} {args[1] if event == 'socket.connect' else args[0]}")


def main() -> None:
    canary = socket.socket()
    canary.bind(("127.0.0.1", 0))
    canary.listen(16)
    port = canary.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    hits: list[str] = []

    def accept() -> None:
        while True:
            try:
                connection, address = canary.accept()
            except OSError:
                return
            hits.append(str(address))
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    folder = Path(tempfile.mkdtemp())
    files = {
        "remote-context.jsonld": f'{{"@context": "{url}/context.jsonld", "@id": "http://x/a", "name": "b"}}',
        "imports.ttl": f"<http://x/o> a <http://www.w3.org/2002/07/owl#Ontology> ; "
                       f"<http://www.w3.org/2002/07/owl#imports> <{url}/o.ttl> .",
        "external-entity.rdf": f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{url}/e">]>'
                               '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                               'xmlns:ex="http://x/"><rdf:Description rdf:about="http://x/a">'
                               "<ex:p>&e;</ex:p></rdf:Description></rdf:RDF>",
        "external-dtd.rdf": f'<?xml version="1.0"?><!DOCTYPE rdf:RDF SYSTEM "{url}/r.dtd">'
                            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
    }
    for name, text in files.items():
        (folder / name).write_text(text)

    sys.addaudithook(audit)  # from here on, every connect is recorded

    import glutegraph as gg
    from glutegraph.cli import main as cli

    kg = gg.load()
    attempts: dict[str, Any] = {
        "SERVICE in kg.query": lambda: kg.query(f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"),
        "SERVICE SILENT, lower case, nested": lambda: kg.query(
            f"select * {{ {{ ?s ?p ?o }} union {{ service silent <{url}/q> {{ ?s ?p ?o }} }} }}"),
        "LOAD in kg.query": lambda: kg.query(f"LOAD <{url}/data.ttl>"),
        "URL given as a file to add()": lambda: kg.add(f"{url}/data.ttl"),
        "URL given as a file to load()": lambda: gg.load([f"{url}/data.ttl"]),
        "URL given to load_rdflib()": lambda: gg.load_rdflib([f"{url}/data.ttl"]),
        **{f"add({name})": (lambda p=folder / name: kg.add(p)) for name in files},
        **{f"load_rdflib({name})": (lambda p=folder / name: gg.load_rdflib([p])) for name in files},
        "glutegraph validate remote-context.jsonld": lambda: cli(["validate", str(folder / "remote-context.jsonld")]),
        "glutegraph sparql with SERVICE": lambda: cli(["sparql", f"SELECT * {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}"]),
    }
    outcomes = {}
    for label, attempt in attempts.items():
        try:
            result = attempt()
            outcomes[label] = f"returned {type(result).__name__}: {result!r}"[:120]
        except Exception as error:  # what is raised is the point of the probe
            outcomes[label] = f"{type(error).__name__}: {error}"[:300]
    checked_events, checked_hits = list(events), list(hits)

    # Control: the caller asks for the network, and the canary does hear from us.
    kg.allow_network = True
    kg.timeout = 5
    with contextlib.suppress(gg.GluteGraphError):
        kg.query(f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}")
    import time

    time.sleep(0.2)
    print(json.dumps({"outcomes": outcomes, "events": checked_events, "hits": checked_hits,
                      "control_hits": len(hits) - len(checked_hits)}))


if __name__ == "__main__":
    main()
