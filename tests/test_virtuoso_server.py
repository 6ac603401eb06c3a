"""The Virtuoso the remote suite runs on: loopback only, its own folder, gone after; its limits.

The remote suite itself (typed questions, contracts, CLI, upload) runs on Virtuoso through
conftest's ``remote``, ``remote_kg``, ``any_kg`` and ``scratch_remote``; this file checks the
server the fixtures start, and what glutegraph does at Virtuoso's own limits.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import install_virtuoso

import glutegraph as gg
from glutegraph.engines import virtuoso
from glutegraph.engines.virtuoso import VirtuosoServer


def listening_sockets(pid: int) -> set[tuple[str, int]]:
    """The (address, port) of every TCP socket process ``pid`` listens on (Linux /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                address, port = fields[1].split(":")
                raw = bytes.fromhex(address)
                host = ".".join(str(b) for b in reversed(raw)) if len(raw) == 4 else address
                found.add((host, int(port, 16)))
    return found


def test_virtuoso_listens_on_loopback_only_on_its_two_ports(virtuoso_server):
    assert virtuoso_server.process is not None
    assert listening_sockets(virtuoso_server.process.pid) == {
        ("127.0.0.1", virtuoso_server.port), ("127.0.0.1", virtuoso_server.isql_port)}


def test_its_ini_keeps_everything_in_its_own_folder(virtuoso_server):
    folder = virtuoso_server.folder
    ini = (folder / "virtuoso.ini").read_text()
    assert f"DirsAllowed = {folder}\n" in ini and "ResultSetMaxRows = 1000000" in ini
    files = [line.split("=", 1)[1].strip() for line in ini.splitlines()
             if line.split("=")[0].strip() in ("DatabaseFile", "TransactionFile", "ErrorLogFile")]
    assert len(files) == 5 and all(Path(f).parent == folder for f in files)


def test_the_well_known_dba_password_is_replaced(virtuoso_server):
    other = VirtuosoServer(port=virtuoso_server.port, isql_port=virtuoso_server.isql_port)
    other.process = virtuoso_server.process  # the same server, with the default password
    with pytest.raises(gg.StoreError, match="Virtuoso refused"):
        other.isql("SELECT 1;")
    assert "42" in virtuoso_server.isql("SELECT 42;")


def test_a_cut_answer_is_an_error_and_the_server_goes_away_after():
    install_virtuoso()
    server = VirtuosoServer(max_rows=10_000).start()  # the limit in Debian's own virtuoso.ini
    process, folder = server.process, server.folder
    try:
        gg.upload(server.store_url, graph=server.graph)
        kg = gg.connect(server.query_url, graph=server.graph)
        assert len(kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 9999")) == 9999
        with pytest.raises(gg.EndpointError, match=r"cut the answer at 10000 rows.*ResultSetMaxRows"):
            kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")  # 13,500 rows, never 10,000 silently
        with pytest.raises(gg.EndpointError, match="cut the answer"):
            kg.to_rdflib()
    finally:
        server.stop()
    assert process is not None and process.poll() is not None
    assert folder is not None and not folder.exists()


def test_a_writable_virtuoso_open_to_the_network_is_refused():
    with pytest.raises(gg.StoreError, match=r"anyone who reaches 0\.0\.0\.0"):
        VirtuosoServer(host="0.0.0.0")


def test_a_missing_virtuoso_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(virtuoso, "SEARCH_PATH", str(tmp_path))
    with pytest.raises(gg.StoreError, match="apt-get install virtuoso-opensource"):
        VirtuosoServer().start()


def test_the_bulk_loader_gives_the_graph_an_upload_gives():
    """Virtuoso's own loader takes the same graphs as an upload: the same answers, keys, size."""
    from glutegraph.graph import KnowledgeGraph
    from glutegraph.store import open_store

    install_virtuoso()
    store = open_store()
    embedded = KnowledgeGraph(store)
    with VirtuosoServer() as server:
        assert server.bulk_load(store, graph=server.graph) == len(embedded)
        assert not list(server.folder.glob("*.nq"))  # the file it wrote for the loader is gone
        loaded = gg.connect(server.query_url, graph=server.graph)
        assert len(loaded) == len(embedded)
        assert loaded.muscle("glute med") == embedded.muscle("glute med")  # found by its key
        assert [c.label for c in loaded.conditions(involving="sciatic nerve")] == \
            [c.label for c in embedded.conditions(involving="sciatic nerve")]
        assert {"urn:glutegraph:derived", "urn:glutegraph:names"} <= set(server.graphs())


def test_the_bulk_loader_needs_a_running_server():
    from glutegraph.store import open_store

    with pytest.raises(gg.StoreError, match="not running"):
        VirtuosoServer().bulk_load(open_store())
