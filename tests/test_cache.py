"""The cache of the derived bundled graph: used when sound, rebuilt when missing, stale or damaged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest

import glutegraph.store
from glutegraph.cache import bundled
from glutegraph.cache.bundled import CACHE_ENV, bundled_store, cache_folder, cache_path


def _named_quads(store: ox.Store) -> set[ox.Quad]:
    """The quads without blank nodes (a load gives blank nodes new names)."""
    return {q for q in store if not isinstance(q.subject, ox.BlankNode)
            and not isinstance(q.object, ox.BlankNode)}


@pytest.fixture(scope="module")
def fresh() -> ox.Store:
    store = ox.Store()
    glutegraph.store.load_bundled(store)
    return store


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _no_build(monkeypatch) -> None:
    def refuse(store: ox.Store) -> None:
        raise AssertionError("built the graph although the cache file is sound")

    monkeypatch.setattr(glutegraph.store, "load_bundled", refuse)


def _same_graph(store: ox.Store, fresh: ox.Store) -> None:
    assert len(store) == len(fresh) > 10_000
    assert _named_quads(store) == _named_quads(fresh)
    derived = list(store.quads_for_pattern(None, None, None, glutegraph.store.DERIVED_GRAPH))
    assert len(derived) == len(list(
        fresh.quads_for_pattern(None, None, None, glutegraph.store.DERIVED_GRAPH))) > 100


def test_the_first_store_writes_the_cache_and_the_next_loads_it(folder, fresh, monkeypatch):
    first = bundled_store()
    path = cache_path()
    assert path is not None and path.parent == folder and path.is_file()
    _same_graph(first, fresh)
    _no_build(monkeypatch)
    _same_graph(bundled_store(), fresh)
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    header, _, body = data.partition(b"\n")
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "a byte changed":
        at = len(header) + 1 + len(body) // 2
        path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    elif how == "rows dropped, digest recomputed":  # sound file, wrong graph: the count says so
        kept = b"".join(body.splitlines(keepends=True)[:-10])
        fields = header.split()
        fields[5] = hashlib.sha256(kept).hexdigest().encode()
        fields[6] = str(len(kept)).encode()
        path.write_bytes(b" ".join(fields) + b"\n" + kept)
    elif how == "no header":
        path.write_bytes(body)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "not N-Quads":
        junk = b"this is not RDF\n"
        fields = header.split()
        fields[5] = hashlib.sha256(junk).hexdigest().encode()
        fields[6] = str(len(junk)).encode()
        path.write_bytes(b" ".join(fields) + b"\n" + junk)


@pytest.mark.parametrize("how", ["truncated", "a byte changed", "rows dropped, digest recomputed",
                                 "no header", "empty", "not N-Quads"])
def test_a_damaged_cache_is_ignored_and_written_again(folder, fresh, how):
    bundled_store()
    path = cache_path()
    assert path is not None
    sound = path.read_bytes()
    _damage(path, how)
    assert path.read_bytes() != sound
    _same_graph(bundled_store(), fresh)  # built again, not read from the damaged file
    header, body = path.read_bytes().split(b"\n", 1)
    assert header.split()[5] == hashlib.sha256(body).hexdigest().encode()  # rewritten whole
    assert header.split()[7] == sound.split(b"\n", 1)[0].split()[7]  # every quad again
    assert bundled._read(path) is not None


def test_other_data_or_another_version_gets_its_own_file_and_old_ones_go(folder, fresh,
                                                                       monkeypatch):
    bundled_store()
    old = cache_path()
    monkeypatch.setattr(glutegraph, "__version__", "99.0")
    new = cache_path()
    assert old is not None and new is not None and new != old
    _same_graph(bundled_store(), fresh)
    assert sorted(p.name for p in folder.iterdir()) == sorted([old.name, new.name])
    written = [old, new]
    for version in ("99.1", "99.2", "99.3"):  # the newest FILES_KEPT stay
        monkeypatch.setattr(glutegraph, "__version__", version)
        written.append(cache_path())
        bundled_store()
    assert bundled.FILES_KEPT == 4
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written[1:])
    glutegraph.store.data_version.cache_clear()
    monkeypatch.setattr(glutegraph.store, "data_files", _fewer_files)
    try:
        assert cache_path() != new  # other ontology files: another key
    finally:
        glutegraph.store.data_version.cache_clear()


def _fewer_files() -> list[Path]:
    from glutegraph.files import data_files

    return data_files()[:-1]


def test_a_renamed_file_is_not_taken_for_another_key(folder, fresh):
    bundled_store()
    path = cache_path()
    assert path is not None
    other = path.with_name("bundled-0000000000000000.nq")
    path.rename(other)
    assert bundled._read(other) is None  # its header names its own key


def test_an_unwritable_cache_folder_still_gives_the_graph(tmp_path, fresh, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))  # mkdir fails: NotADirectoryError
    _same_graph(bundled_store(), fresh)
    assert not (blocker / "cache").exists()


def test_an_empty_setting_turns_the_cache_off(tmp_path, fresh, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_folder() is None and cache_path() is None
    _same_graph(bundled_store(), fresh)
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "glutegraph"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "glutegraph"


def test_a_leftover_temporary_file_does_not_matter(folder, fresh, monkeypatch):
    bundled_store()
    path = cache_path()
    assert path is not None
    leftover = path.with_name(f".{path.name}.abc.tmp")  # a writer killed before its rename
    leftover.write_bytes(path.read_bytes()[:1000])
    _no_build(monkeypatch)
    _same_graph(bundled_store(), fresh)


def test_a_change_to_the_code_that_builds_the_graph_gives_another_key(folder, tmp_path,
                                                                     monkeypatch):
    builder = tmp_path / "store.py"
    builder.write_text("# one version of the code\n")
    monkeypatch.setattr(bundled, "BUILDERS", (builder,))
    first = cache_path()
    builder.write_text("# another version of the code\n")
    assert cache_path() != first
    builder.unlink()  # no sources (a build without them): still a key
    assert cache_path() not in (None, first)


def test_processes_filling_a_cold_cache_at_once_leave_one_sound_file(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache")}
    code = ("from glutegraph.cache import bundled_store, cache_path; from glutegraph.cache "
            "import bundled; s = bundled_store(); print(len(s), bundled._read(cache_path()) "
            "is not None)")
    children = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                                 env=env) for _ in range(3)]
    answers = {child.communicate(timeout=120)[0].strip() for child in children}
    assert all(child.returncode == 0 for child in children)
    assert len(answers) == 1 and next(iter(answers)).endswith(" True")
    files = list((tmp_path / "cache").iterdir())  # one file, no temporary one left over
    assert len(files) == 1 and files[0].name.startswith("bundled-") and files[0].suffix == ".nq"
