"""What the command modules share: number types, the graph options, printing and CSV."""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glutegraph.cards import Card, Entities
    from glutegraph.graph import KnowledgeGraph


def positive_int(text: str) -> int:
    """Read a count (1 or more) for argparse; a bad one is a usage error (exit 2).

    Example:
        >>> positive_int("3")
        3
        >>> positive_int("0")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: must be a whole number of 1 or more, not '0'

    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not {text!r}")
    return value


def positive_float(text: str) -> float:
    """Read a finite number above 0 (seconds) for argparse.

    Example:
        >>> positive_float("2.5")
        2.5
        >>> positive_float("nan")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: must be a number above 0, not 'nan'

    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number above 0, not {text!r}")
    return value


def hip_angle(text: str) -> float:
    """Read a hip flexion angle in degrees, -30 to 140, for argparse.

    Example:
        >>> hip_angle("90")
        90.0
        >>> hip_angle("200")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: must be an angle in degrees from -30 to 140, not '200'

    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not -30 <= value <= 140:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be an angle in degrees from -30 to 140, not "
                                         f"{text!r}")
    return value


def source_options(command: argparse.ArgumentParser) -> None:
    """Add the options that choose the graph: --data, --dataset, --store, --endpoint."""
    command.add_argument("--data", action="append", default=[], metavar="FILE",
                         help="also load your RDF file or CSV table (repeat for more files)")
    command.add_argument("--dataset", action="append", default=[],
                         choices=["free-exercise-db", "wger"],
                         help="also import this shipped open data set (repeatable)")
    command.add_argument("--store", type=Path, dest="store_folder", metavar="FOLDER",
                         help="use the on-disk store in this folder (see glutegraph import)")
    command.add_argument("--endpoint", metavar="URL",
                         help="query a SPARQL endpoint instead of the bundled graph")
    command.add_argument("--graph", metavar="IRI",
                         help="(with --endpoint) the named graph holding the data")
    command.add_argument("--timeout", type=positive_float, default=30.0, metavar="SECONDS",
                         help="seconds to wait for answers (default %(default)s)")


def output_options(command: argparse.ArgumentParser, *, csv: bool = True) -> None:
    """Add --json (and --csv) to a question command: a table by default."""
    formats = command.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    if csv:
        formats.add_argument("--csv", action="store_true",
                             help="print CSV instead of a table (one row per answer)")


def open_graph(args: argparse.Namespace) -> KnowledgeGraph:
    """Return the graph the options name: an endpoint, a store folder, or the bundled graph."""
    if args.endpoint:
        from glutegraph.remote import connect

        if args.data:
            print("glutegraph: warning: --data is ignored with --endpoint", file=sys.stderr)
        return connect(args.endpoint, graph=args.graph, timeout=args.timeout)
    from glutegraph.graph import load

    return load(args.data, datasets=args.dataset, store=args.store_folder)


def open_entities(args: argparse.Namespace) -> Entities:
    """Return the entities of the graph the options name, to show as cards.

    The bundled graph or a store folder alone is opened as a store, without the typed models
    (the command line's fast path); files, data sets or an endpoint go through
    :func:`open_graph`.
    """
    from glutegraph.cards import Entities

    if args.endpoint or args.data or args.dataset:
        return Entities.of_graph(open_graph(args))
    from glutegraph.store import open_store

    return Entities.of_store(open_store(args.store_folder))


def print_card(card: Card) -> None:
    """Print a card: drawn with rich on a terminal, as plain text into a pipe or a file.

    A terminal is what rich takes for one (``TTY_COMPATIBLE``, ``FORCE_COLOR``, else
    whether stdout is a tty). The plain text is as wide as ``$COLUMNS``, else 80 (as rich's).
    """
    import shutil

    from glutegraph.cards.layout import plain_text, renderable

    if _terminal():
        print_renderable(renderable(card))
    else:
        sys.stdout.write(plain_text(card, shutil.get_terminal_size((80, 24)).columns))
        sys.stdout.flush()


def _terminal() -> bool:
    """Return whether rich would draw for a terminal on stdout (its rules, without rich).

    Example:
        >>> import os
        >>> saved = dict(os.environ)
        >>> os.environ["FORCE_COLOR"] = "1"; _terminal()
        True
        >>> os.environ["TTY_COMPATIBLE"] = "0"; _terminal()
        False
        >>> os.environ.clear(); os.environ.update(saved)

    """
    import os

    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return sys.stdout.isatty()
    except ValueError:  # stdout closed
        return False


def print_renderable(renderable: object) -> None:
    """Print a rich renderable (plain text when stdout is not a terminal)."""
    from rich.console import Console

    Console(soft_wrap=False).print(renderable)


def write_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> None:
    """Write rows as CSV (RFC 4180, a header line) on stdout."""
    names = list(columns or (rows[0] if rows else []))
    writer = csv.DictWriter(sys.stdout, fieldnames=names, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    sys.stdout.flush()


def table(title: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[str],
          *, caption: str | None = None, empty: str = "no answers") -> Any:
    """Return a rich table of rows, numbered, or a line saying there are none."""
    from rich.table import Table
    from rich.text import Text

    if not rows:
        return Text(f"{title}: {empty}.")
    shown = Table("#", *columns, title=title, title_justify="left", caption=caption,
                  caption_justify="left")
    for i, row in enumerate(rows, start=1):
        shown.add_row(str(i), *(_cell(row.get(c)) for c in columns))
    return shown


def _cell(value: Any) -> str:
    return "-" if value is None or value == "" else str(value)


def names(refs: Iterable[Any]) -> str:
    """Join links by their labels, with "; " (labels may hold commas); "" for none."""
    return "; ".join(str(r.label or r.iri) for r in refs if r is not None)


def show(args: argparse.Namespace, answer: Any, rows: Callable[[], list[dict[str, Any]]],
         view: Callable[[], object], *, header: Sequence[str] | None = None) -> int:
    """Print an answer: JSON of the models (--json), CSV of the rows (--csv), or the view.

    ``header`` names the CSV columns, so that an empty answer still has its header line.
    """
    from glutegraph.tour import as_json

    if getattr(args, "json", False):
        print(as_json(answer))
    elif getattr(args, "csv", False):
        write_csv(rows(), header)
    else:
        print_renderable(view())
    return 0


class IntermixedParser(argparse.ArgumentParser):
    """A command's parser that takes options between its names, in any order.

    ``glutegraph compare "hip thrust" -s "upper glutes" "back squat"`` gives both exercises:
    argparse alone stops a list of names at the first option (``parse_intermixed_args``).
    """

    _intermixing = False

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Parse options and names in any order (argparse's intermixed parse)."""
        if self._intermixing:  # Python 3.11 calls parse_known_args from the intermixed parse
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


class OneCommand(argparse._SubParsersAction):  # type: ignore[type-arg]
    """The subcommands, of which only one is built when ``only`` names it.

    ``glutegraph muscle ...`` needs the parser of ``muscle`` alone; building the parsers of
    all 30 commands took about 8 ms of every start. The others' definitions then go to an
    :class:`_Unbuilt` parser that keeps nothing. ``only`` None (help, completion) builds all.
    """

    only: str | None = None

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        """Add the parser of command ``name``; a stand-in if another command is being run."""
        if self.only is not None and name != self.only:
            return _Unbuilt()
        return super().add_parser(name, **kwargs)


class _Unbuilt:
    """A stand-in for the parser of a command not being run: every call is accepted, ignored."""

    def __getattr__(self, name: str) -> Callable[..., _Unbuilt]:
        return lambda *args, **kwargs: self
