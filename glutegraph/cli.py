"""The ``glutegraph`` command.

Subcommands:
    tour                 print a summary of the graph with a few answers
    validate [FILE...]   check the bundled graph (plus FILEs) against the shapes and quality checks;
                         exit 0 conforms, 1 does not conform, 2 input error

Example:
    >>> from glutegraph.cli import main
    >>> main(["validate"])
    conforms: no SHACL violation, every quality check returned no rows
    0

"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from glutegraph import __version__
from glutegraph.errors import GluteGraphError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="glutegraph", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"glutegraph {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("tour", help="print a summary of the graph with a few answers")
    validate = commands.add_parser(
        "validate", help="validate the bundled graph, plus any FILEs, with SHACL and quality checks"
    )
    validate.add_argument(
        "files", nargs="*", metavar="FILE", help="RDF files to add before checking"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "tour":
            from glutegraph.summary import format_summary

            print(format_summary())
            return 0
        from glutegraph.rdf import load_rdflib
        from glutegraph.validation import validate

        report = validate(load_rdflib(extra=args.files))
        print(report)
        return 0 if report.conforms else 1
    except GluteGraphError as exc:
        print(f"glutegraph: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
