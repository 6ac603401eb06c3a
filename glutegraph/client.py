"""A careful HTTP client for :func:`~glutegraph.connect` and :func:`~glutegraph.upload`.

The standard library's ``http.client``, with the care a client owes its caller when the server
may be slow, broken or hostile:

- **a total deadline per call**: ``timeout`` bounds the whole exchange (connecting, sending,
  the headers and the body), not each read, so a server that drips one byte a second cannot
  hold a call longer than ``timeout``: a watchdog shuts the socket at the deadline;
- **a cap on response bytes**: an answer longer than ``max_bytes`` is refused when the cap is
  passed, never read to the end; of an error page only the first 64 KB are read (the message
  is at its head: Virtuoso's pages echo the whole query after it);
- **no credentials across hosts**: a redirect is followed only to the same scheme, host and
  port (at most :data:`MAX_REDIRECTS`); one to anywhere else is refused before anything,
  headers included, is sent there;
- **typed errors only**: :class:`~glutegraph.errors.QueryTimeoutError` when the deadline
  passes, :class:`~glutegraph.errors.EndpointError` for everything else.

Proxies from the environment (``http_proxy``) are not used: the request goes to the URL given.

Example:
    >>> from glutegraph.server import OxigraphServer
    >>> with OxigraphServer() as server:
    ...     reply = send("GET", server.query_url + "?query=ASK%7B%7D", timeout=5,
    ...                  headers={"Accept": "application/sparql-results+json"})
    >>> reply.status, reply.media_type, reply.body
    (200, 'application/sparql-results+json', b'{"head":{},"boolean":true}')

"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.parse
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from glutegraph.errors import EndpointError, InvalidArgumentError, QueryTimeoutError
from glutegraph.guards import seconds

__all__ = ["MAX_ERROR_BYTES", "MAX_REDIRECTS", "MAX_RESPONSE_BYTES", "Reply", "check_url", "send"]

#: The most bytes of an answer read by default (``connect(max_bytes=)`` changes it).
MAX_RESPONSE_BYTES = 256 * 2**20
#: The most bytes of an error answer (a status other than 2xx) read for its message; the rest
#: of a longer one is left unread.
MAX_ERROR_BYTES = 64 * 2**10
#: The most redirects followed, each to the same scheme, host and port.
MAX_REDIRECTS = 3
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 2**10


class Reply(NamedTuple):
    """An HTTP answer: status code, media type (lower case, no parameters), body, headers.

    ``headers`` maps lower-case names to values (the last one of a repeated header).
    """

    status: int
    media_type: str
    body: bytes
    reason: str = ""
    headers: Mapping[str, str] = MappingProxyType({})


def check_url(url: str) -> str:
    """Return ``url`` if it is an ``http://`` or ``https://`` URL with a host; raise otherwise.

    Raises:
        EndpointError: another scheme, no host, or a port that is not a number.

    Example:
        >>> check_url("file:///etc/passwd")
        Traceback (most recent call last):
        ...
        glutegraph.errors.EndpointError: file:///etc/passwd: an endpoint must be an http://...

    """
    if not isinstance(url, str):
        raise EndpointError(repr(url), "an endpoint must be an http:// or https:// URL (a str)")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise EndpointError(url, "an endpoint must be an http:// or https:// URL")
    try:
        parts.port  # noqa: B018  (parsing it is the check)
    except ValueError:
        raise EndpointError(url, "the port of the URL is not a number from 0 to 65535") from None
    if not parts.hostname:
        raise EndpointError(url, "the URL names no host")
    return url


def check_limits(timeout: object, max_bytes: object) -> tuple[float, int]:
    """Return ``(timeout, max_bytes)`` if both are usable; raise :class:`InvalidArgumentError`.

    Example:
        >>> check_limits(float("inf"), 10)
        Traceback (most recent call last):
        ...
        glutegraph.errors.InvalidArgumentError: timeout must be a finite number of seconds ...

    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise InvalidArgumentError(f"max_bytes must be a positive int, not {max_bytes!r}")
    return seconds(timeout, "timeout"), max_bytes


def send(
    method: str,
    url: str,
    *,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    max_bytes: int = MAX_RESPONSE_BYTES,
) -> Reply:
    """Send one request and return the reply, within ``timeout`` seconds in all.

    Any status is returned (the caller decides what a 400 or 500 means); a 2xx body is read up
    to ``max_bytes``, another one's first :data:`MAX_ERROR_BYTES` only. Same-origin redirects
    are followed with the same method, body and headers.

    Raises:
        QueryTimeoutError: the whole exchange took longer than ``timeout``.
        EndpointError: the server cannot be reached, broke off, redirected to another origin,
            or sent more than the cap.

    """
    timeout, max_bytes = check_limits(timeout, max_bytes)
    deadline = time.monotonic() + timeout
    current = check_url(url)
    for _ in range(MAX_REDIRECTS + 1):
        reply, location = _exchange(method, current, data, dict(headers or {}), url, timeout,
                                    deadline, max_bytes)
        if reply.status not in _REDIRECTS or location is None:
            return reply
        target = urllib.parse.urljoin(current, location)
        try:
            elsewhere = _origin(target) != _origin(url)
        except ValueError:  # a port that is not a number
            elsewhere = True
        if elsewhere:
            raise EndpointError(
                url,
                f"redirected to another server ({target[:200]}); glutegraph does not follow "
                "it, so neither your request nor its headers (credentials) go there: if you "
                "trust that server, give its URL yourself",
            )
        current = target
    raise EndpointError(url, f"more than {MAX_REDIRECTS} redirects")


def _exchange(
    method: str,
    url: str,
    data: bytes | None,
    headers: dict[str, str],
    first_url: str,
    timeout: float,
    deadline: float,
    max_bytes: int,
) -> tuple[Reply, str | None]:
    """Do one request/response within ``deadline``; return the reply and its Location."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise QueryTimeoutError(first_url, timeout)
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname or "", parts.port, timeout=remaining)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    aborted = threading.Event()
    opened: list[socket.socket] = []  # the response may hold the socket once the connection
    # lets go of it (an answer without a length), so the watchdog keeps its own reference

    def abort() -> None:  # the watchdog: at the deadline, whatever the server is doing
        aborted.set()
        for sock in opened:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(remaining, abort)
    watchdog.daemon = True
    watchdog.start()
    sent = False
    try:
        connection.connect()
        opened.append(connection.sock)
        if aborted.is_set():  # the deadline passed while connecting
            raise QueryTimeoutError(first_url, timeout)
        connection.request(method, path, body=data, headers=headers)
        sent = True
        response = connection.getresponse()
        if 200 <= response.status < 300:
            body = _read(response, max_bytes, first_url)
        else:  # the head of an error page says what went wrong; the rest is never read
            body = response.read(MAX_ERROR_BYTES)
        if aborted.is_set():  # the watchdog cut the body short: not the whole answer
            raise QueryTimeoutError(first_url, timeout)
        media_type = response.headers.get_content_type() if response.headers else ""
        names = MappingProxyType({k.lower(): v for k, v in response.getheaders()})
        reply = Reply(response.status, media_type, body, response.reason, names)
        return reply, response.getheader("Location")
    except (EndpointError, QueryTimeoutError):
        raise
    except TimeoutError:
        raise QueryTimeoutError(first_url, timeout) from None
    except (OSError, http.client.HTTPException) as exc:
        if aborted.is_set() or time.monotonic() >= deadline:
            raise QueryTimeoutError(first_url, timeout) from None
        if not sent:
            raise EndpointError(
                first_url, f"cannot reach it ({exc}); is the server running? "
                "`glutegraph serve` starts one on this machine"
            ) from None
        raise EndpointError(first_url, f"the answer broke off: {exc!r}") from None
    except (ValueError, UnicodeError) as exc:  # a header that HTTP cannot carry, say
        raise EndpointError(first_url, f"the request cannot be sent: {exc}") from None
    finally:
        watchdog.cancel()
        connection.close()


def _read(response: http.client.HTTPResponse, limit: int, url: str) -> bytes:
    """Read the body, refusing it as soon as it is longer than ``limit`` bytes."""
    declared = response.getheader("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise EndpointError(url, _too_long(limit, f"announced {int(declared):,} bytes"))
    body = bytearray()
    while True:
        chunk = response.read(min(_CHUNK, limit + 1 - len(body)))
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            raise EndpointError(url, _too_long(limit, "kept sending"))


def _too_long(limit: int, what: str) -> str:
    return (
        f"the answer {what}, more than the {limit:,} bytes glutegraph reads; ask for less "
        "(a LIMIT), or allow more with connect(max_bytes=)"
    )


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"
