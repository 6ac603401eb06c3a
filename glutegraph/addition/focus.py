"""The rules and the quality checks, focused on what an addition touches.

A rule or check file marks how a focus binds it, on lines that end in ``# only with ?x``
(left out when it runs on the whole graph, :func:`glutegraph.sparql.file_query`):

- ``VALUES ?x { UNDEF }  # only with ?x``: a slot, where ``?x`` is bound to the focus nodes
  (:func:`~glutegraph.addition.staging.focus_pattern`). Each variable ``x`` named by such
  markers is one *alternative*: the focused query runs once per alternative, with its lines;
- other lines ``# only with ?x`` belong to alternative ``x`` (a path that reaches the row
  from a focus node: a new cycle through a new ``gg:progressesTo`` step);
- lines ``# only with ?focus`` are in every focused run: ``LATERAL {`` after the slots and
  its ``}`` at the end, so that the engine starts from the focus nodes, one at a time.

Which variables: the focus nodes are the subjects of the new triples, so each file binds the
subject of every pattern a new triple can match: a new row (a new fact for a rule, a new
violation for a check) needs a new triple in one of its patterns, since the patterns under
``FILTER NOT EXISTS`` can only take rows away (semi-naive evaluation). Both sides of a pair
are alternatives; a path is reached from the subject of a new step (a new cycle through a new
``gg:progressesTo``, a structure newly ``gg:partOf*`` the gluteal muscles); a duplicate label
is found through the group of the new entity's class and label.

Example:
    >>> from glutegraph.files import rule_files
    >>> [text] = focused(rule_files()[0].read_text())
    >>> "GRAPH <urn:glutegraph:focus> { ?measurement" in text and "LATERAL" in text
    True

"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from glutegraph.addition.staging import Staging, focus_pattern
from glutegraph.files import check_files, rule_files
from glutegraph.sparql import Backend, fill_slots, keep_lines, run, slots
from glutegraph.store import RULE_ROUNDS
from glutegraph.validation import Violation, check_violations

__all__ = ["addition_violations", "derive_addition", "focused"]


def focused(text: str) -> list[str]:
    """Return a rule or check focused on the focus nodes: one query per alternative.

    Raises:
        ValueError: the text has no slot (it could only run on the whole graph).

    """
    alternatives = sorted(set(_ONLY_WITH.findall(text)) - {"focus"}) or ["focus"]
    found = []
    for alternative in alternatives:
        kept = keep_lines(text, {alternative, "focus"})
        names = slots(kept)
        if not names:
            raise ValueError("a rule or check without a `VALUES ?x { UNDEF }  # only with ?x` "
                             "slot cannot be focused")
        found.append(fill_slots(kept, {n: focus_pattern(n) for n in names}))
    return found


_ONLY_WITH = re.compile(r"#\s*only with \?([A-Za-z_][A-Za-z0-9_]*)[ \t]*$", re.MULTILINE)


@cache
def _focused_file(path: Path) -> list[str]:
    return focused(path.read_text(encoding="utf-8"))


def _rows(store: Backend, check: str, queries: list[str]) -> list[Violation]:
    """Return the violations the queries of one focused check find, each once."""
    found: dict[Violation, None] = {}
    for sparql in queries:
        found.update(dict.fromkeys(check_violations(store, check, sparql)))
    return list(found)


def derive_addition(staging: Staging, added: list[ox.Triple]) -> list[ox.Triple]:
    """Return what the rules derive from the graph with ``added``, staging it as it goes.

    Each round runs every rule focused on the triples new in the round before (at first,
    ``added``, staged already), until nothing new comes: the same triples as
    :func:`glutegraph.store.derive_triples` gives on the whole graph with the addition,
    when the graph held what its rules derive before (every glutegraph store does).
    """
    derived: list[ox.Triple] = []
    new = added
    for _ in range(RULE_ROUNDS):
        if not new:
            break
        staging.focus_on(new)
        found: dict[ox.Triple, None] = {}
        for path in rule_files():
            for sparql in _focused_file(path):
                found.update(dict.fromkeys(run(staging.graph, sparql)))
        new = staging.stage(found)
        derived += new
    return derived


def addition_violations(staging: Staging, touched: list[ox.Triple]) -> list[Violation]:
    """Return the quality-check violations the addition brings, each check focused on it.

    ``touched`` is what was staged (the addition and what the rules derived from it). Each
    check runs on the nodes these triples touch, in the graph with the addition and without:
    the rows only the first has are the addition's; a violation the graph held already (data
    added without checks, :meth:`glutegraph.KnowledgeGraph.add_datasets`) is not.
    """
    if not staging.focus_on(touched):
        return []
    found: list[Violation] = []
    for path in check_files():
        queries = _focused_file(path)
        after = _rows(staging.graph, path.name, queries)
        if after:  # (without it the graph has none of them, or they are not the addition's)
            before = set(_rows(staging.before, path.name, queries))
            found += [v for v in after if v not in before]
    return found
