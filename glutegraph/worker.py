"""Bounded execution: run a piece of work in a forked child with a memory limit and a real kill.

pyoxigraph cannot cancel a query or bound the memory one uses: a cartesian ``ORDER BY`` grows to
several gigabytes and aborts the process, and a query that timed out keeps running. So
:func:`bounded` runs ``work`` in a child process forked from the caller, which sees the same
store (copy-on-write, nothing is dumped or reopened), with

- an address-space limit (``RLIMIT_AS``): the child may use ``max_memory`` bytes more than the
  parent had when it forked; past that, allocation fails in the child only;
- a deadline: at ``seconds`` the child is killed (``SIGKILL``), so a timed-out query really
  stops using CPU and memory;
- a cap on the bytes of the answer (``max_bytes``), pickled in the child and read by the parent.

Errors come back typed: the work's own :class:`~glutegraph.errors.GluteGraphError` as raised,
:class:`~glutegraph.errors.QueryTimeoutError` at the deadline, and
:class:`~glutegraph.errors.QueryResourceError` when the child ran out of memory (a
``MemoryError``, or an abort from Rust's allocator) or the answer is too large. Forking costs
about 7 to 11 ms per call (measured on the bundled graph; see the README's Security section), so
glutegraph routes only user-written queries here; its own named queries run in-process.

On platforms without ``fork`` (Windows) the work runs in-process under the old rules (a timeout
in a thread, no memory bound).

Example:
    >>> bounded(lambda: sum(range(10)), seconds=5, max_memory=2**28, max_bytes=2**20, where="here")
    45
    >>> bounded(lambda: "x" * 2**30, seconds=5, max_memory=2**28, max_bytes=2**20, where="here")
    Traceback (most recent call last):
    ...
    glutegraph.errors.QueryResourceError: the query needed more than 256 MB of memory; ...

"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

from glutegraph.errors import (
    GluteGraphError,
    QueryError,
    QueryResourceError,
    QueryTimeoutError,
)

T = TypeVar("T")

__all__ = ["CAN_FORK", "bounded"]

#: Whether this platform can run work in a forked child (Linux, macOS).
CAN_FORK = hasattr(os, "fork") and sys.platform != "win32"
_CHUNK = 1 << 16
_NO_ANSWER = 3  # the child's exit code when it could not even report


def bounded(
    work: Callable[[], T],
    *,
    seconds: float | None,
    max_memory: int | None,
    max_bytes: int | None,
    where: str,
    settings: tuple[str, str] = ("KnowledgeGraph.max_memory", "KnowledgeGraph.max_result_bytes"),
) -> T:
    """Return ``work()`` run in a forked child bounded in time, memory and answer bytes.

    Args:
        work: what to run; its value must pickle (rows, bytes, booleans, ...).
        seconds: kill the child after this long (None: no limit).
        max_memory: bytes of address space the child may add to the parent's (None: no limit).
        max_bytes: the largest pickled answer accepted, in bytes (None: no limit).
        where: what runs the query, for messages ("the embedded store").
        settings: the names of the memory and the answer-size limits, for messages.

    Raises:
        QueryTimeoutError: no answer within ``seconds`` (the child is killed).
        QueryResourceError: the child ran out of memory, died, or the answer is too large.
        GluteGraphError: whatever ``work`` raised, with its type and attributes.

    Example:
        >>> bounded(lambda: 1 / 0, seconds=5, max_memory=None, max_bytes=None, where="here")
        Traceback (most recent call last):
        ...
        glutegraph.errors.QueryError: the query failed while it ran: division by zero

    """
    if not CAN_FORK:  # pragma: no cover - exercised on Windows only
        from glutegraph.sparql import within

        return within(seconds, work, where)
    _wait_for_idle_storage()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(work, writer, max_memory, max_bytes)
    os.close(writer)
    try:
        data = _read(reader, pid, seconds, max_bytes, where, settings[1])
    finally:
        os.close(reader)
        _reap(pid)
    return _answer(data, max_memory, settings)  # type: ignore[no-any-return]


#: RocksDB's background threads (an on-disk store's flushes and compactions), by name.
_STORAGE_THREADS = ("rocksdb:",)


def _wait_for_idle_storage(limit: float = 10.0, pause: float = 0.002) -> None:
    """Wait until no background thread of an on-disk store is working, for at most ``limit`` s.

    A forked child has only the thread that forked; a lock another thread held at that moment
    stays held in the child for ever. RocksDB's flush and compaction threads take the
    database's lock while they start and finish a job, so a query forked then would wait in
    the child until its deadline (seen right after reopening a store, while RocksDB compacts
    the files of earlier sessions). Idle means every such thread sleeping, with no CPU time
    used between two looks ``pause`` apart; with no on-disk store open there are none and
    nothing waits. Linux only (elsewhere ``/proc`` is missing and nothing waits).
    """
    deadline = time.monotonic() + limit
    before = _storage_threads()
    while before and time.monotonic() < deadline:
        time.sleep(pause)
        now = _storage_threads()
        if all(state == "S" for state, _ in now.values()) and now == before:
            return
        before = now


def _storage_threads() -> dict[str, tuple[str, str]]:
    """Return each storage thread's state letter and CPU ticks: {thread id: (state, ticks)}."""
    found: dict[str, tuple[str, str]] = {}
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/self/task/{task}/stat", encoding="ascii") as handle:
                stat = handle.read()
        except OSError:  # the thread ended meanwhile
            continue
        name, _, rest = stat.partition("(")[2].rpartition(")")
        if name.startswith(_STORAGE_THREADS):
            fields = rest.split()
            found[task] = (fields[0], fields[11] + "+" + fields[12])  # state, utime+stime
    return found


def _child(
    work: Callable[[], Any], writer: int, max_memory: int | None, max_bytes: int | None
) -> None:
    """In the forked child: limit memory, run ``work``, write the pickled outcome, exit."""
    code = 0
    try:
        import faulthandler

        faulthandler.disable()  # an abort on failed allocation is expected here, not a crash
        quiet = os.open(os.devnull, os.O_WRONLY)  # Rust's "memory allocation failed" banner:
        os.dup2(quiet, 2)  # the parent reports it as a typed error instead
        if max_memory is not None:
            _limit_memory(max_memory)
        try:
            from glutegraph.sparql import within

            # a thread with the query stack (16 MB), whatever thread forked us
            outcome: tuple[Any, ...] = ("ok", within(1e9, work, "the query worker"))
        except MemoryError:
            outcome = ("memory",)
        except GluteGraphError as exc:
            outcome = ("error", type(exc).__module__, type(exc).__qualname__, str(exc),
                       dict(vars(exc)))
        except Exception as exc:
            outcome = ("failed", f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc))
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory",))
        except Exception as exc:  # an answer that does not pickle: say so
            data = pickle.dumps(("failed", f"the answer could not be sent back: {exc}"))
        if max_bytes is not None and len(data) > max_bytes:
            data = pickle.dumps(("bytes", len(data)))
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view[:_CHUNK]) :]
    except BaseException:
        code = _NO_ANSWER
    finally:
        os._exit(code)


def _limit_memory(extra: int) -> None:
    """Set this process's address-space limit to what it maps now plus ``extra`` bytes."""
    import resource

    now = _mapped_bytes()
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = now + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _mapped_bytes() -> int:
    """Return the bytes of address space this process maps (``VmSize``), or 0 if unknown."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - not Linux: the limit is then max_memory in all


def _read(
    reader: int, pid: int, seconds: float | None, max_bytes: int | None, where: str, setting: str
) -> bytes:
    """Read the child's answer until end of file; kill it at the deadline or past the byte cap."""
    deadline = None if seconds is None else time.monotonic() + seconds
    cap = None if max_bytes is None else max_bytes + 4096  # the child checks; this is the backstop
    chunks: list[bytes] = []
    size = 0
    while True:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            _kill(pid)
            raise QueryTimeoutError(where, seconds)
        ready, _, _ = select.select([reader], [], [], wait)
        if not ready:
            continue
        chunk = os.read(reader, _CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if cap is not None and size > cap:
            _kill(pid)
            raise QueryResourceError(
                f"the answer is larger than {_size(max_bytes)}", setting)


def _answer(data: bytes, max_memory: int | None, settings: tuple[str, str]) -> Any:
    """Return the value the child sent, or raise the error it reported."""
    memory = (
        QueryResourceError(
            f"the query needed more than {_size(max_memory)} of memory", settings[0])
    )
    if not data:  # killed by the kernel or aborted by Rust's allocator, with nothing sent
        raise memory
    outcome = pickle.loads(data)
    kind = outcome[0]
    if kind == "ok":
        return outcome[1]
    if kind == "memory":
        raise memory
    if kind == "bytes":
        raise QueryResourceError(
            f"the answer is {_size(outcome[1])}, larger than allowed", settings[1])
    if kind == "error":
        raise _rebuild(*outcome[1:])
    raise QueryError(f"the query failed while it ran: {outcome[1]}")


def _rebuild(module: str, name: str, message: str, attributes: dict[str, Any]) -> Exception:
    """Return the child's error again: same type, message and attributes."""
    try:
        kind: Any = importlib.import_module(module)
        for part in name.split("."):
            kind = getattr(kind, part)
        error: Exception = kind.__new__(kind)
        error.args = (message,)
        vars(error).update(attributes)
    except (ImportError, AttributeError, TypeError):
        return QueryError(message)
    return error


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(pid: int) -> None:
    """Wait for the child (killing it if it lingers after sending), so no zombie is left."""
    for _ in range(200):
        with contextlib.suppress(ChildProcessError):
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                time.sleep(0.005)
                continue
        return
    _kill(pid)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _size(value: int | None) -> str:
    """Return a byte count for messages: ``'256 MB'``."""
    if value is None:
        return "the limit"
    if value >= 2**20:
        return f"{value / 2**20:.0f} MB"
    return f"{value} bytes"
