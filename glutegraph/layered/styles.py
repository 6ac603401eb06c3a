"""How the layered picture draws a link: a colour family per kind of relation, a code for evidence.

Four families, one colour each (Okabe & Ito, colour-blind-friendly):

- **anatomy** (orange): nerve supply (spinal root -> nerve -> muscle), a region part of its
  muscle, a nerve's branches, origins and insertions;
- **function** (blue): a muscle produces a joint action (prime mover thick, secondary mover
  thin and dashed); an exercise trains an action;
- **exercise loading** (green): an exercise activates a muscle. The line's width is the highest
  mean EMG any study measured (< 20, 20-39, 40-59, >= 60 %MVIC: low, moderate, high, very high);
  a link curated without a figure is dashed (primary target) or dotted (secondary);
- **clinical** (purple): a condition involves a structure; a treatment treats a condition, the
  line as wide as the evidence is strong, dotted where no trial was found, and **red and
  dash-dotted where the evidence is against the treatment**.

Every style carries the sentence the legend prints, so no entry goes unexplained.

Example:
    >>> treats_style({"strength": "evidence against"}).colour != treats_style(
    ...     {"strength": "moderate evidence"}).colour
    True
    >>> loading_style({"mean_mvic": 86.8}).text
    'EMG >= 60 %MVIC (very high)'

"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "FAMILIES",
    "OTHER_STYLE",
    "RELATION_STYLES",
    "STYLES",
    "LinkStyle",
    "loading_style",
    "produces_style",
    "style_of",
    "treats_style",
]

#: The families in legend order: name -> (colour, legend heading).
FAMILIES: dict[str, tuple[str, str]] = {
    "anatomy": ("#E69F00", "Anatomy"),
    "function": ("#0072B2", "Function"),
    "loading": ("#009E73", "Exercise loading (EMG)"),
    "clinical": ("#AA4499", "Clinical evidence"),
    "other": ("#777777", "Other links"),
}
_AGAINST = "#D7191C"


@dataclass(frozen=True)
class LinkStyle:
    """How one kind of link is drawn, and the legend's sentence for it."""

    family: str
    text: str
    width: float = 1.0
    linestyle: str | tuple[float, tuple[float, ...]] = "-"
    alpha: float = 0.75
    colour: str = ""

    @property
    def drawn_colour(self) -> str:
        """The line's colour: its own, or its family's."""
        return self.colour or FAMILIES[self.family][0]


#: Every style the picture uses, by a short key; the legend lists those a picture uses.
STYLES: dict[str, LinkStyle] = {
    "nerve supply": LinkStyle("anatomy", "nerve supply: spinal root -> nerve -> muscle", 1.2),
    "part of": LinkStyle("anatomy", "part of: a region sits under its muscle", 1.2, alpha=0.9),
    "branch of": LinkStyle("anatomy", "branch of (nerve)", 0.8, "--"),
    "attachment": LinkStyle("anatomy", "origin or insertion on a bone", 0.6, ":"),
    "prime mover": LinkStyle("function", "prime mover of the action", 1.8),
    "secondary mover": LinkStyle("function", "secondary mover of the action", 0.9, "--"),
    "trains action": LinkStyle("function", "exercise trains the action (curated)", 0.5, ":",
                               alpha=0.5),
    "opposes": LinkStyle("function", "action opposes action", 0.6, ":"),
    "very high": LinkStyle("loading", "EMG >= 60 %MVIC (very high)", 2.6, alpha=0.8),
    "high": LinkStyle("loading", "EMG 40-59 %MVIC (high)", 1.6, alpha=0.75),
    "moderate": LinkStyle("loading", "EMG 20-39 %MVIC (moderate)", 0.9, alpha=0.7),
    "low": LinkStyle("loading", "EMG < 20 %MVIC (low)", 0.5, alpha=0.7),
    "peak only": LinkStyle("loading", "EMG: only a peak reported (not comparable)", 0.8,
                           (0, (1, 1.5)), alpha=0.7),
    "primary target": LinkStyle("loading", "primary target, curated (no EMG figure)", 0.9,
                                "--", alpha=0.7),
    "secondary target": LinkStyle("loading", "secondary target, curated (no EMG figure)", 0.5,
                                  ":", alpha=0.6),
    "exercise to exercise": LinkStyle("other", "variant or progression of an exercise", 0.5,
                                      ":"),
    "involves": LinkStyle("clinical", "condition involves the muscle or nerve", 1.0,
                          alpha=0.6),
    "strong evidence": LinkStyle("clinical", "treats: strong evidence", 2.8, alpha=0.85),
    "moderate evidence": LinkStyle("clinical", "treats: moderate evidence", 2.0, alpha=0.8),
    "limited evidence": LinkStyle("clinical", "treats: limited evidence", 0.9, alpha=0.75),
    "no trial found": LinkStyle("clinical", "treats: no trial found", 0.9, ":", alpha=0.8),
    "evidence against": LinkStyle("clinical", "evidence AGAINST the treatment", 2.0, "-.",
                                  alpha=0.9, colour=_AGAINST),
    "not graded": LinkStyle("clinical", "said to help, evidence not graded", 0.7, "--",
                            alpha=0.6),
    "related condition": LinkStyle("clinical", "related condition or subtype", 0.6, ":"),
    "condition detail": LinkStyle("clinical", "symptom, risk factor or test of the condition",
                                  0.5),
}

#: Relations drawn with one style whatever the edge says.
_BY_RELATION: dict[str, str] = {
    "gg:innervatedBy": "nerve supply",
    "gg:hasSpinalRoot": "nerve supply",
    "gg:partOf": "part of",
    "gg:branchOf": "branch of",
    "gg:hasOrigin": "attachment",
    "gg:hasInsertion": "attachment",
    "gg:trainsAction": "trains action",
    "gg:opposes": "opposes",
    "gg:primaryTarget": "primary target",
    "gg:secondaryTarget": "secondary target",
    "gg:variantOf": "exercise to exercise",
    "gg:progressesTo": "exercise to exercise",
    "skos:closeMatch": "exercise to exercise",
    "gg:involves": "involves",
    "gg:ameliorates": "not graded",
    "gg:relatedCondition": "related condition",
    "gg:subtypeOf": "related condition",
    "gg:hasSymptom": "condition detail",
    "gg:hasRiskFactor": "condition detail",
    "gg:detects": "condition detail",
    "detects (measured accuracy)": "condition detail",
}


def loading_style(data: Mapping[str, Any]) -> LinkStyle:
    """Return the style of an "activates" edge: its width says how high the mean %MVIC is."""
    mean = data.get("mean_mvic")
    if not isinstance(mean, int | float):
        return STYLES["peak only"]
    if mean >= 60:
        return STYLES["very high"]
    if mean >= 40:
        return STYLES["high"]
    return STYLES["moderate"] if mean >= 20 else STYLES["low"]


def treats_style(data: Mapping[str, Any]) -> LinkStyle:
    """Return the style of a "treats" edge from its strength of evidence."""
    strength = str(data.get("strength", ""))
    return STYLES.get(strength, STYLES["not graded"])


def produces_style(data: Mapping[str, Any]) -> LinkStyle:
    """Return the style of a "produces" edge from the muscle's role."""
    return STYLES["prime mover" if data.get("role") == "prime mover" else "secondary mover"]


def style_of(data: Mapping[str, Any]) -> LinkStyle:
    """Return the style of any edge of :func:`glutegraph.network.to_networkx`.

    A relation with no style of its own is drawn thin and grey, and the legend names it by
    its label ("uses equipment"), so that every entry says what it is.
    """
    relation = str(data.get("relation", ""))
    if relation == "activates":
        return loading_style(data)
    if relation == "treats":
        return treats_style(data)
    if relation == "produces":
        return produces_style(data)
    if relation in _BY_RELATION:
        return STYLES[_BY_RELATION[relation]]
    return LinkStyle("other", str(data.get("label") or relation or "link"), 0.5, alpha=0.5)


#: The HTML view's styles by relation: (colour, line style, legend text), one per family.
RELATION_STYLES: dict[str, tuple[str, str, str]] = {
    "activates": (FAMILIES["loading"][0], "-", "activates (EMG)"),
    "gg:primaryTarget": (FAMILIES["loading"][0], "--", "primary target (curated)"),
    "gg:secondaryTarget": (FAMILIES["loading"][0], ":", "secondary target (curated)"),
    "produces": (FAMILIES["function"][0], "-", "produces (action)"),
    "gg:trainsAction": (FAMILIES["function"][0], "--", "trains action"),
    "gg:innervatedBy": (FAMILIES["anatomy"][0], "-", "innervated by"),
    "gg:hasSpinalRoot": (FAMILIES["anatomy"][0], "-", "spinal root"),
    "gg:partOf": (FAMILIES["anatomy"][0], ":", "part of"),
    "gg:involves": (FAMILIES["clinical"][0], "-", "involves"),
    "treats": (FAMILIES["clinical"][0], "-", "treats (evidence)"),
    "gg:ameliorates": (FAMILIES["clinical"][0], "--", "said to help (not graded)"),
}
#: The HTML view's style for any other relation (its side panel names each link).
OTHER_STYLE: tuple[str, str, str] = (FAMILIES["other"][0], "-",
                                     "other link (named in the side panel)")
