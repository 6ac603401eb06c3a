"""Commands that write a file: ``figure``, ``network`` and ``dump-json``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glutegraph.cli.common import open_graph, positive_int, source_options


def add_commands(commands: Any) -> None:
    """Add the file-writing commands to the subcommands of ``glutegraph``."""
    figure = commands.add_parser(
        "figure",
        help="draw a figure (heatmap, layers, comparison or anatomy) to a PNG, SVG or PDF",
        description="Draw one of the figures of glutegraph and save it; the format "
        "follows the file's suffix (.png, .svg, .pdf). heatmap: exercises x muscles coloured "
        "by the highest mean %MVIC, studies numbered. layers: the graph in layers, nerves to "
        "treatments, focused on the gluteal muscles unless told otherwise. comparison: the "
        "exercises for one muscle ranked by mean %MVIC with SD bars. anatomy: the hip muscles "
        "drawn in a posterior and a lateral view, shaded by %MVIC in one exercise (or two side "
        "by side: give --exercise twice).")
    figure.add_argument("kind", choices=["heatmap", "layers", "comparison", "anatomy"],
                        help="which figure to draw")
    figure.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help="where to save it (.png, .svg or .pdf)")
    figure.add_argument("--muscle", action="append", metavar="NAME",
                        help="heatmap: only these muscles (repeat for more); comparison: the "
                        "muscle (default gluteus maximus); layers: focus on these muscles "
                        "(default the gluteal muscles and the TFL)")
    figure.add_argument("--exercise", action="append", metavar="NAME",
                        help="heatmap: only these exercises (repeat for more); anatomy: the "
                        "exercise (twice: two side by side; default barbell hip thrust)")
    figure.add_argument("--kinds", action="append", metavar="KIND",
                        help="(layers) the kinds to show, each in its column "
                        "(repeat; e.g. nerve, muscle, action)")
    figure.add_argument("--full", action="store_true",
                        help="(layers) the whole graph: every node of the kinds, every link")
    figure.add_argument("--limit", type=positive_int, default=12, metavar="N",
                        help="(comparison) at most N exercises (default %(default)s)")
    figure.add_argument("--view", choices=["posterior", "lateral", "both"], default="both",
                        help="(anatomy) which view to draw (default %(default)s)")
    figure.add_argument("--dpi", type=positive_int, default=100, metavar="N",
                        help="dots per inch of a PNG (default %(default)s)")
    source_options(figure)

    network = commands.add_parser(
        "network", help="write the graph for Gephi or Cytoscape: GraphML, GEXF or JSON",
        description="Write the graph as networkx sees it (kg.to_networkx(): entities as nodes "
        "with kind and label, sourced links as edges) to GraphML, GEXF or node-link JSON, by "
        "the file's suffix or --format. Lists become '; '-joined text in GraphML and GEXF.")
    network.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                         help="the file to write (e.g. glutegraph.graphml)")
    network.add_argument("-f", "--format", choices=["graphml", "gexf", "json"],
                         help="the format (default: from the suffix of FILE)")
    source_options(network)

    dump = commands.add_parser(
        "dump-json", help="write every entity as plain JSON (no RDF): exercises, muscles, ...",
        description="Write one JSON object with a list per kind of entity (exercises, "
        "muscles, nerves, conditions, treatments, studies, claims, measurements, ...), each "
        "entity in the form of its typed model: links are {iri, label}, figures decimal "
        "strings. For apps that do not speak RDF; see glutegraph.plain.")
    dump.add_argument("-o", "--output", type=Path, metavar="FILE",
                      help="the file to write (default: stdout)")
    dump.add_argument("--indent", type=positive_int, metavar="N",
                      help="indent by N spaces (default: compact)")
    source_options(dump)


def _figure(args: argparse.Namespace) -> int:
    from glutegraph import figures

    kg = open_graph(args)
    if args.kind == "heatmap":
        drawn = figures.activation_heatmap(kg, muscles=_labels(kg, args.muscle),
                                           exercises=_labels(kg, args.exercise))
    elif args.kind == "layers":
        from glutegraph.layered import AUTO, draw

        focus = None if args.full else _labels(kg, args.muscle) or AUTO
        drawn = (draw(kg, kinds=args.kinds, focus=focus) if args.kinds
                 else draw(kg, focus=focus))
    elif args.kind == "anatomy":
        from glutegraph.pictures.anatomy import anatomy_figure

        wanted = args.exercise or ["barbell hip thrust"]
        if len(wanted) > 2:
            raise _usage("figure anatomy draws one exercise, or two side by side: give "
                         "--exercise once or twice")
        drawn = anatomy_figure(kg, wanted[0], wanted[1] if len(wanted) == 2 else None,
                               view=args.view)
    else:
        if args.muscle and len(args.muscle) > 1:
            raise _usage("figure comparison draws one muscle: give --muscle once")
        muscle = args.muscle[0] if args.muscle else "gluteus maximus"
        drawn = figures.exercise_comparison(kg, muscle, limit=args.limit)
    _save(lambda: drawn.savefig(args.output, dpi=args.dpi), args.output)
    print(f"saved the {args.kind} figure to {args.output.resolve()}")
    return 0


def _labels(kg: Any, wanted: list[str] | None) -> list[str] | None:
    """Return the labels of the named entities (the charts match labels), or None for all."""
    if not wanted:
        return None
    return [kg.resolve(name).label or name for name in wanted]


def _network(args: argparse.Namespace) -> int:
    from glutegraph.network import export

    kg = open_graph(args)
    graph = kg.to_networkx()
    fmt = args.format or args.output.suffix.lstrip(".").lower()
    if fmt not in ("graphml", "gexf", "json"):
        raise _usage(f"cannot tell the format of {args.output.name!r}: name it .graphml, .gexf "
                     "or .json, or give --format")
    written = _save(lambda: export(graph, args.output, fmt), args.output)
    print(f"wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges "
          f"({fmt}) to {Path(written).resolve()}")
    return 0


def _dump_json(args: argparse.Namespace) -> int:
    from glutegraph.plain import dump_json

    text = dump_json(open_graph(args), indent=args.indent)
    if args.output is None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        return 0
    _save(lambda: args.output.write_text(text + "\n", encoding="utf-8"), args.output)
    print(f"wrote {len(text):,} characters of JSON to {args.output.resolve()}")
    return 0


def _save(write: Callable[[], Any], path: Path) -> Any:
    """Run ``write``; a file that cannot be written is a clear error, not a traceback."""
    from glutegraph.errors import DataFileError

    try:
        return write()
    except OSError as exc:
        raise DataFileError(str(path), f"cannot write it: {exc.strerror or exc}") from exc


def _usage(message: str) -> Exception:
    from glutegraph.errors import InvalidArgumentError

    return InvalidArgumentError(message)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "figure": _figure,
    "network": _network,
    "dump-json": _dump_json,
}
