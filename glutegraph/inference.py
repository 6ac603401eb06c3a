"""How a derived fact was derived: the rule, and the asserted facts it used.

The rules in ``ontology/rules/`` are SPARQL CONSTRUCT queries of one template triple; what
they derive joins the graph and is recorded in the named graph ``urn:glutegraph:derived``
(:data:`~glutegraph.store.DERIVED_GRAPH`), so it can be told apart from what is asserted;
queries see it unless ``kg.inferred`` is False. To explain a derived triple, each rule whose
template can produce it runs again, as a SELECT over the asserted facts with the template's
variables bound to the triple's terms; every answer is one way the rule reached it.

Example:
    >>> from glutegraph.store import open_store
    >>> [d.rule for d in derivations(open_store(), KB.gluteus_medius, RDF_TYPE, GG.HipAbductor)]
    ['functional-class']

"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from glutegraph.files import rule_files
from glutegraph.namespaces import GG, KB, PREFIXES
from glutegraph.sparql import keep_lines
from glutegraph.terms import curie, expand

__all__ = ["GG", "KB", "RDF_TYPE", "Derivation", "Rule", "derivations", "rules"]

RDF_TYPE = PREFIXES["rdf"] + "type"
_RULE = re.compile(r"CONSTRUCT\s*\{\s*(\S+)\s+(\S+)\s+(\S+)\s*\}\s*WHERE\s*(\{.*\})\s*$",
                   re.DOTALL)


@dataclass(frozen=True)
class Rule:
    """A derivation rule: its name (file stem), what it says, its template and reasons.

    ``reasons`` are the file's ``# because:`` lines: sentences with ``{variable}``
    placeholders, filled from a derivation (one whose variable is unbound is left out).
    """

    name: str
    description: str
    template: tuple[str, str, str]
    where: str
    reasons: tuple[str, ...] = ()

    def binds(self, subject: str, predicate: str, obj: str) -> dict[str, ox.NamedNode] | None:
        """Return the variable bindings that make the template the triple, or None."""
        bound: dict[str, ox.NamedNode] = {}
        for term, value in zip(self.template, (subject, predicate, obj), strict=True):
            if term.startswith("?"):
                if bound.get(term[1:], ox.NamedNode(value)).value != value:
                    return None
                bound[term[1:]] = ox.NamedNode(value)
            elif (RDF_TYPE if term == "a" else expand(term)) != value:
                return None
        return bound


class Derivation(BaseModel):
    """One way a rule derived a fact: the rule, what it says, and the facts it used.

    ``used`` maps each variable of the rule to what it matched (a label where there is one);
    ``because`` says the same in short sentences.
    """

    model_config = ConfigDict(frozen=True)

    rule: str
    description: str
    used: dict[str, str]
    because: list[str]

    def __str__(self) -> str:
        return f"{self.rule}: " + "; ".join(self.because)


@cache
def rules() -> tuple[Rule, ...]:
    """Return the bundled rules, parsed (each file: comment lines, then one CONSTRUCT)."""
    found = []
    for path in rule_files():
        found.append(_parse(path))
    return tuple(found)


def _parse(path: Path) -> Rule:
    text = path.read_text(encoding="utf-8")
    comments = [line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")]
    reasons = tuple(c.removeprefix("because:").strip() for c in comments
                    if c.startswith("because:"))
    comment = " ".join(c for c in comments if not c.startswith("because:")).strip()
    body = "\n".join(line for line in keep_lines(text, ()).splitlines()
                     if not line.startswith("#"))  # (and without the lines for a focus)
    match = _RULE.search(body)
    if match is None:  # pragma: no cover - the bundled rules are tested to parse
        raise ValueError(f"{path.name}: a rule is one CONSTRUCT {{ s p o }} WHERE {{ ... }}")
    s, p, o, where = match.groups()
    return Rule(path.stem, comment, (s, p, o), where, reasons)


def derivations(store: ox.Store, subject: str, predicate: str, obj: str,
                labels: Mapping[str, str] | None = None) -> list[Derivation]:
    """Return every way the rules derive ``subject predicate obj`` from the asserted facts.

    Nothing, when the triple is asserted (it needs no derivation) or no rule yields it.
    """
    from glutegraph.sparql import run
    from glutegraph.store import DERIVED_GRAPH, asserted_view

    triple = (ox.NamedNode(subject), ox.NamedNode(predicate), ox.NamedNode(obj))
    if next(iter(store.quads_for_pattern(*triple, DERIVED_GRAPH)), None) is None:
        return []
    labels = {} if labels is None else labels  # (not `or`: that would count every label)
    found = []
    asserted: ox.Store | None = None
    for rule in rules():
        bound = rule.binds(subject, predicate, obj)
        if bound is None:
            continue
        select = f"SELECT * WHERE {rule.where}"
        asserted = asserted if asserted is not None else asserted_view(store)
        answer = run(asserted, select, bound)
        names = answer.variables
        for solution in answer:
            used = {v.value: _show(solution[v], labels) for v in names if solution[v] is not None}
            used.update({k: _show(v, labels) for k, v in bound.items()})
            found.append(Derivation(rule=rule.name, description=rule.description, used=used,
                                    because=_because(rule, used)))
    return found


def _show(term: object, labels: Mapping[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        return labels.get(term.value) or curie(term.value)
    return getattr(term, "value", str(term))


def _because(rule: Rule, used: dict[str, str]) -> list[str]:
    """Fill the rule's reasons from what a derivation used (see :class:`Rule`)."""
    said = []
    for reason in rule.reasons:
        try:
            said.append(reason.format_map(used))
        except KeyError:  # an optional part the derivation did not use
            continue
    return said or [f"{name} = {value}" for name, value in sorted(used.items())]
