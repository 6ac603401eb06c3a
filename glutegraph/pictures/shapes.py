"""The outlines of the anatomical picture: bones as landmarks and each hip muscle as a shape.

Drawn here from anatomical knowledge (no artwork copied), in the units of a stylised adult
pelvis (about a centimetre each): y up, 0 near the hip joint, the iliac crest at y = 9 and
the thigh cut at y = -14.8. In the posterior view x = 0 is the midline and the patient's right
is at x > 0 (seen from behind, the viewer's right); the patient's left side (x < 0) is the
right side mirrored. In the lateral view (the right hip seen from the right) anterior is at
x > 0.

A shape is a list of *edges*, each a list of points joined by a smooth curve (a Catmull-Rom
spline); consecutive edges share their end points and meet at a corner, so two muscles that
share a border (the upper and lower gluteus maximus) share the very same curve.

Example:
    >>> from glutegraph.pictures.shapes import POSTERIOR, outline
    >>> medius = next(s for s in POSTERIOR if s.key == "gluteus_medius")
    >>> medius.layer, round(float(outline(medius.edges).vertices[:, 1].max()), 1)
    ('superficial', 8.4)

"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.path import Path

__all__ = ["BONES", "LATERAL", "LATERAL_BONES", "MUSCLES", "POSTERIOR", "Bone", "Drawn",
           "Muscle", "mirrored", "outline"]

Point = tuple[float, float]
Edge = Sequence[Point]


@dataclass(frozen=True)
class Muscle:
    """A muscle the picture draws, and where its figure comes from.

    ``sources`` are local names in ``kb:`` whose figures (their regions included) shade it;
    when none has a figure, the figure measured on ``fallback`` itself (the whole muscle or
    the group) shades it, and the label says so.
    """

    key: str
    label: str
    sources: tuple[str, ...]
    fallback: str | None = None
    fallback_note: str = ""


@dataclass(frozen=True)
class Drawn:
    """One shape of a muscle in one view: its outline, fibres, and where its label goes.

    ``fibres`` runs from the origin (two points: the ends of a line of origin) to the
    insertion; lines are drawn between them, clipped to the shape. ``side`` is "left" or
    "right" (posterior view) or "" (lateral view). ``outline_only``: drawn as a dashed
    outline over the muscles that cover it (the minimus in the lateral view).
    """

    key: str
    edges: tuple[Edge, ...]
    fibres: tuple[Point, Point, Point, Point]
    anchor: Point
    label_at: Point
    layer: str = "superficial"
    side: str = ""
    outline_only: bool = False
    name: str = ""  # the label when it differs from the muscle's ("gluteus medius (cut)")


@dataclass(frozen=True)
class Bone:
    """A landmark: bone (grey), ligament or band (lighter), or the body's outline."""

    name: str
    edges: tuple[Edge, ...]
    style: str = "bone"  # bone, femur, band, skin, foramen
    closed: bool = True


#: The muscles, in the order they are listed under the picture.
MUSCLES: dict[str, Muscle] = {m.key: m for m in (
    Muscle("gluteus_maximus_upper", "upper gluteus maximus", ("gluteus_maximus_upper",),
           "gluteus_maximus", "figure for the whole muscle"),
    Muscle("gluteus_maximus_lower", "lower gluteus maximus", ("gluteus_maximus_lower",),
           "gluteus_maximus", "figure for the whole muscle"),
    Muscle("gluteus_medius", "gluteus medius", ("gluteus_medius",)),
    Muscle("gluteus_minimus", "gluteus minimus", ("gluteus_minimus",)),
    Muscle("tensor_fasciae_latae", "tensor fasciae latae", ("tensor_fasciae_latae",)),
    Muscle("piriformis", "piriformis", ("piriformis",)),
    Muscle("obturator_internus", "obturator internus & gemelli",
           ("obturator_internus", "superior_gemellus", "inferior_gemellus")),
    Muscle("quadratus_femoris", "quadratus femoris", ("quadratus_femoris",)),
    Muscle("biceps_femoris", "biceps femoris", ("biceps_femoris",), "hamstrings",
           "figure for the whole hamstrings"),
    Muscle("semitendinosus", "semitendinosus & semimembranosus",
           ("semitendinosus", "semimembranosus"), "hamstrings",
           "figure for the whole hamstrings"),
    Muscle("adductor_magnus", "adductor magnus", ("adductor_magnus",), "hip_adductors",
           "figure for all the adductors"),
    Muscle("vastus_lateralis", "vastus lateralis", ("vastus_lateralis",)),
    Muscle("erector_spinae", "erector spinae", ("erector_spinae",)),
)}


def mirrored(edges: Sequence[Edge]) -> tuple[Edge, ...]:
    """Return ``edges`` reflected in the midline (x -> -x): the other side of the body."""
    return tuple(tuple((-x, y) for x, y in edge) for edge in edges)


def _spline(points: Edge, steps: int = 8) -> list[Point]:
    """Return points along a Catmull-Rom curve through ``points`` (end tangents one-sided)."""
    if len(points) < 3:
        return list(points)
    padded = [points[0], *points, points[-1]]
    out: list[Point] = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(steps):
            t = step / steps
            t2, t3 = t * t, t * t * t
            out.append(tuple(  # type: ignore[arg-type]
                0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2
                       + (-a + 3 * b - 3 * c + d) * t3)
                for a, b, c, d in zip(p0, p1, p2, p3, strict=True)))
    out.append(points[-1])
    return out


def outline(edges: Sequence[Edge], *, closed: bool = True) -> Path:
    """Return the matplotlib Path of a shape: its edges as smooth curves, corners between."""
    from matplotlib.path import Path

    points: list[Point] = []
    for edge in edges:
        curve = _spline(edge)
        points.extend(curve[1:] if points else curve)
    if closed:
        return Path([*points, points[0]], closed=True)
    return Path(points)


# ---------------------------------------------------------------------- posterior view
# Right-side coordinates (x > 0); the superficial layer is drawn on the patient's left.

_HIP_BONE: tuple[Edge, ...] = ((
    (2.5, 5.6), (3.0, 6.5), (4.0, 7.8), (5.5, 8.7), (7.0, 8.9), (8.4, 8.4), (9.3, 7.3),
    (9.4, 6.0), (8.9, 4.4), (8.3, 2.8), (8.1, 1.8), (7.4, 0.2), (6.6, -1.4), (6.3, -2.4),
    (5.3, -3.0), (4.3, -2.7), (3.4, -2.2), (1.6, -1.9), (0.5, -1.6)), (
    (0.5, -1.6), (0.5, -0.9)), (
    (0.5, -0.9), (1.8, -1.0), (3.2, -1.2), (3.9, -0.6), (3.9, 0.3), (3.5, 1.2), (3.3, 2.3),
    (2.9, 3.2), (2.5, 3.8), (2.5, 5.6)),
)
_FEMUR: tuple[Edge, ...] = ((
    (7.3, 1.9), (8.3, 1.6), (8.9, 1.95), (9.6, 1.2), (9.8, 0.2), (9.6, -1.4), (9.3, -4.0),
    (8.9, -9.0), (8.5, -14.8)), ((8.5, -14.8), (7.1, -14.8)), (
    (7.1, -14.8), (7.3, -9.0), (7.6, -4.0), (7.6, -2.6), (7.1, -2.2), (7.3, -1.6),
    (7.5, -1.2), (6.9, 0.3), (7.3, 1.9)),
)
_FEMORAL_HEAD: tuple[Edge, ...] = ((
    (6.6, 2.5), (7.6, 2.0), (7.8, 1.0), (7.2, 0.2), (6.2, 0.2), (5.5, 0.9), (5.7, 2.0),
    (6.6, 2.5)),)
_SACRUM: tuple[Edge, ...] = ((
    (-2.5, 5.5), (0.0, 5.7), (2.5, 5.5)), (
    (2.5, 5.5), (2.4, 4.2), (2.1, 2.6), (1.6, 1.0), (1.0, -0.2), (0.55, -0.9)), (
    (0.55, -0.9), (0.4, -2.0), (0.0, -2.7), (-0.4, -2.0), (-0.55, -0.9)), (
    (-0.55, -0.9), (-1.0, -0.2), (-1.6, 1.0), (-2.1, 2.6), (-2.4, 4.2), (-2.5, 5.5)),
)


def _ring(x: float, y: float, rx: float, ry: float) -> tuple[Edge, ...]:
    """Return a small closed ellipse (sacral foramina, the obturator foramen)."""
    return ((
        (x, y + ry), (x + rx * 0.7, y + ry * 0.7), (x + rx, y), (x + rx * 0.7, y - ry * 0.7),
        (x, y - ry), (x - rx * 0.7, y - ry * 0.7), (x - rx, y), (x - rx * 0.7, y + ry * 0.7),
        (x, y + ry)),)


def _vertebra(y: float) -> tuple[Bone, ...]:
    """Return a lumbar vertebra seen from behind: laminae, transverse, spinous processes."""
    return (
        Bone("vertebra", ((
            (-1.5, y + 0.45), (1.5, y + 0.45)), ((1.5, y + 0.45), (1.6, y + 0.15)), (
            (1.6, y + 0.15), (2.7, y + 0.25), (2.8, y - 0.05), (1.6, y - 0.2)), (
            (1.6, y - 0.2), (1.4, y - 0.5), (0.45, y - 0.5), (0.35, y - 0.85),
            (-0.35, y - 0.85), (-0.45, y - 0.5), (-1.4, y - 0.5), (-1.6, y - 0.2)), (
            (-1.6, y - 0.2), (-2.8, y - 0.05), (-2.7, y + 0.25), (-1.6, y + 0.15)), (
            (-1.6, y + 0.15), (-1.5, y + 0.45)))),
    )


#: The landmarks of the posterior view, back to front.
BONES: tuple[Bone, ...] = (
    Bone("skin", ((
        (-10.2, 11.2), (-10.9, 6.0), (-11.6, 1.0), (-11.4, -4.0), (-10.6, -10.0),
        (-9.9, -14.8)),), style="skin", closed=False),
    Bone("skin", ((
        (10.2, 11.2), (10.9, 6.0), (11.6, 1.0), (11.4, -4.0), (10.6, -10.0),
        (9.9, -14.8)),), style="skin", closed=False),
    Bone("skin", ((
        (-3.0, -14.8), (-1.6, -8.0), (-0.9, -4.5), (0.0, -3.4), (0.9, -4.5), (1.6, -8.0),
        (3.0, -14.8)),), style="skin", closed=False),
    Bone("hip bone", _HIP_BONE),
    Bone("hip bone", mirrored(_HIP_BONE)),
    Bone("femur", _FEMUR, style="femur"),
    Bone("femur", mirrored(_FEMUR), style="femur"),
    Bone("femoral head", _FEMORAL_HEAD, style="femur"),
    Bone("femoral head", mirrored(_FEMORAL_HEAD), style="femur"),
)
#: Landmarks drawn over the deep muscles (the sacrum lies behind the piriformis).
BONES_FRONT: tuple[Bone, ...] = (
    Bone("sacrum", _SACRUM),
    *(Bone("foramen", _ring(side * x, y, 0.32, 0.28), style="foramen")
      for side in (-1, 1) for x, y in ((1.3, 4.3), (1.2, 3.1), (1.0, 1.9), (0.7, 0.8))),
    *_vertebra(6.5), *_vertebra(8.1), *_vertebra(9.7),
)
#: Grey names of landmarks: (text, x, y).
LANDMARK_NAMES: dict[str, tuple[tuple[str, float, float], ...]] = {
    "posterior": (("sacrum", 0.0, 3.6), ("greater\ntrochanter", 10.9, 1.4),
                  ("iliac crest", 6.2, 9.6), ("femur", 8.1, -12.0)),
    "lateral": (("iliac crest", -1.5, 9.9), ("iliotibial\nband", 1.9, -12.5),
                ("ASIS", 6.9, 6.2), ("sacrum", -8.2, 6.6)),
}

_MAX_UPPER: tuple[Edge, ...] = (
    ((3.2, 7.0), (2.45, 5.6), (2.35, 4.0), (2.0, 2.2)),
    ((2.0, 2.2), (4.5, 0.9), (7.2, -0.6), (9.9, -2.2)),
    ((9.9, -2.2), (10.1, -1.0), (10.0, 0.8)),
    ((10.0, 0.8), (9.3, 2.0), (7.6, 3.8), (5.6, 5.6), (4.2, 6.8), (3.2, 7.0)),
)
_MAX_LOWER: tuple[Edge, ...] = (
    ((2.0, 2.2), (1.4, 0.6), (0.8, -1.2), (0.7, -2.4)),
    ((0.7, -2.4), (1.6, -3.6), (3.5, -4.6), (5.6, -5.6), (7.6, -6.4), (8.8, -6.6)),
    ((8.8, -6.6), (9.3, -5.5), (9.9, -2.2)),
    ((9.9, -2.2), (7.2, -0.6), (4.5, 0.9), (2.0, 2.2)),
)
_MEDIUS: tuple[Edge, ...] = (
    ((4.0, 7.2), (5.5, 8.2), (7.0, 8.4), (8.3, 7.9), (9.1, 6.9)),
    ((9.1, 6.9), (9.3, 5.4), (9.4, 3.6), (9.6, 1.8)),
    ((9.6, 1.8), (9.1, 1.2), (8.6, 1.4)),
    ((8.6, 1.4), (7.4, 2.9), (6.0, 4.6), (4.8, 6.1), (4.0, 7.2)),
)
_MEDIUS_CUT: tuple[Edge, ...] = (
    ((4.0, 7.2), (5.5, 8.2), (7.0, 8.4), (8.3, 7.9), (9.1, 6.9)),
    ((9.1, 6.9), (9.25, 5.6)),
    ((9.25, 5.6), (8.5, 6.0), (7.8, 5.6), (7.0, 6.2), (6.2, 5.9), (5.5, 6.5), (4.8, 6.1)),
    ((4.8, 6.1), (4.0, 7.2)),
)
_MINIMUS: tuple[Edge, ...] = (
    ((5.0, 5.5), (6.6, 6.4), (8.2, 6.4), (9.25, 5.6)),
    ((9.25, 5.6), (9.4, 3.5), (9.55, 2.0)),
    ((9.55, 2.0), (9.0, 1.75)),
    ((9.0, 1.75), (7.6, 2.7), (6.2, 3.9), (5.0, 5.5)),
)
_PIRIFORMIS: tuple[Edge, ...] = (
    ((1.7, 3.9), (3.2, 3.4), (5.2, 2.6), (7.2, 2.0), (8.7, 1.75)),
    ((8.7, 1.75), (8.75, 1.3)),
    ((8.75, 1.3), (7.0, 1.2), (5.0, 1.1), (3.2, 0.95), (1.5, 1.0)),
    ((1.5, 1.0), (1.7, 3.9)),
)
_OBTURATOR: tuple[Edge, ...] = (
    ((4.0, 0.6), (6.5, 0.75), (8.7, 0.8)),
    ((8.7, 0.8), (8.7, 0.25)),
    ((8.7, 0.25), (6.5, -0.15), (4.3, -0.9)),
    ((4.3, -0.9), (4.0, 0.6)),
)
_QUADRATUS: tuple[Edge, ...] = (
    ((5.8, -1.1), (8.6, -0.5)),
    ((8.6, -0.5), (8.4, -2.1)),
    ((8.4, -2.1), (6.3, -2.4)),
    ((6.3, -2.4), (5.8, -1.1)),
)
_BICEPS: tuple[Edge, ...] = (
    ((5.3, -2.6), (6.0, -2.9)),
    ((6.0, -2.9), (7.6, -5.5), (8.6, -9.0), (8.9, -12.0), (8.7, -14.8)),
    ((8.7, -14.8), (7.0, -14.8)),
    ((7.0, -14.8), (6.6, -11.0), (6.0, -7.5), (5.3, -4.5), (5.3, -2.6)),
)
_SEMI: tuple[Edge, ...] = (
    ((4.5, -2.7), (5.3, -2.6)),
    ((5.3, -2.6), (5.3, -4.5), (6.0, -7.5), (6.6, -11.0), (7.0, -14.8)),
    ((7.0, -14.8), (4.2, -14.8)),
    ((4.2, -14.8), (3.7, -10.0), (3.8, -6.0), (4.5, -2.7)),
)
_ADDUCTOR: tuple[Edge, ...] = (
    ((2.0, -2.5), (3.4, -2.4), (4.5, -2.7)),
    ((4.5, -2.7), (3.8, -6.0), (3.7, -10.0), (4.2, -14.8)),
    ((4.2, -14.8), (3.1, -14.8)),
    ((3.1, -14.8), (2.2, -10.0), (1.6, -6.0), (1.3, -4.0), (2.0, -2.5)),
)
_ERECTOR: tuple[Edge, ...] = (
    ((0.6, 2.2), (0.55, 6.0), (0.55, 11.4)),
    ((0.55, 11.4), (1.9, 11.6), (3.3, 11.3)),
    ((3.3, 11.3), (3.5, 9.6), (3.2, 7.6), (2.5, 5.2), (1.5, 3.0), (0.6, 2.2)),
)
_ITB_POSTERIOR: tuple[Edge, ...] = (
    ((9.5, 0.5), (9.2, -8.0), (8.8, -14.8)), ((8.8, -14.8), (9.7, -14.8)),
    ((9.7, -14.8), (10.2, -8.0), (10.4, 0.5)), ((10.4, 0.5), (9.5, 0.5)),
)
#: Bands drawn over the thigh muscles of the posterior view.
BANDS: tuple[Bone, ...] = (Bone("iliotibial band", mirrored(_ITB_POSTERIOR), style="band"),)


def _left(key: str, edges: tuple[Edge, ...], fibres: tuple[Point, Point, Point, Point],
          anchor: Point, label_at: Point) -> Drawn:
    """Return a shape of the superficial layer, drawn on the patient's left (mirrored)."""
    (a, b, c, d) = fibres
    return Drawn(key, mirrored(edges), ((-a[0], a[1]), (-b[0], b[1]), (-c[0], c[1]),
                                        (-d[0], d[1])),
                 (-anchor[0], anchor[1]), label_at, "superficial", "left")


#: The posterior view, back to front: the superficial layer on the patient's left (the
#: viewer's left), the deep layer on the right (gluteus maximus removed, medius cut).
POSTERIOR: tuple[Drawn, ...] = (
    _left("adductor_magnus", _ADDUCTOR, ((2.0, -2.5), (4.5, -2.7), (3.1, -14.8),
                                         (4.2, -14.8)), (2.6, -9.0), (-13.0, -14.0)),
    _left("semitendinosus", _SEMI, ((4.5, -2.7), (5.3, -2.6), (4.2, -14.8), (7.0, -14.8)),
          (4.9, -9.5), (-13.0, -10.7)),
    _left("biceps_femoris", _BICEPS, ((5.3, -2.6), (6.0, -2.9), (7.0, -14.8), (8.7, -14.8)),
          (7.6, -7.0), (-13.0, -7.2)),
    _left("gluteus_medius", _MEDIUS, ((4.0, 7.2), (9.1, 6.9), (8.6, 1.4), (9.6, 1.8)),
          (7.9, 6.4), (-13.0, 8.0)),
    _left("erector_spinae", _ERECTOR, ((0.6, 2.2), (1.5, 3.0), (0.55, 11.4), (3.3, 11.3)),
          (1.8, 9.8), (-13.0, 11.2)),
    _left("gluteus_maximus_upper", _MAX_UPPER, ((3.2, 7.0), (2.0, 2.2), (10.0, 0.8),
                                                (9.9, -2.2)), (6.0, 2.6), (-13.0, 3.6)),
    _left("gluteus_maximus_lower", _MAX_LOWER, ((2.0, 2.2), (0.7, -2.4), (9.9, -2.2),
                                                (8.8, -6.6)), (4.6, -2.4), (-13.0, -1.8)),
    Drawn("gluteus_minimus", _MINIMUS, ((5.0, 5.5), (9.25, 5.6), (9.0, 1.75), (9.55, 2.0)),
          (7.4, 4.1), (13.0, 5.0), "deep", "right"),
    Drawn("gluteus_medius", _MEDIUS_CUT, ((4.0, 7.2), (9.1, 6.9), (4.8, 6.1), (9.25, 5.6)),
          (7.0, 7.3), (13.0, 8.0), "deep", "right", name="gluteus medius (cut)"),
    Drawn("piriformis", _PIRIFORMIS, ((1.7, 3.9), (1.5, 1.0), (8.7, 1.75), (8.75, 1.3)),
          (4.4, 2.2), (13.0, 2.2), "deep", "right"),
    Drawn("obturator_internus", _OBTURATOR, ((4.0, 0.6), (4.3, -0.9), (8.7, 0.8), (8.7, 0.25)),
          (5.6, 0.1), (13.0, -0.6), "deep", "right"),
    Drawn("quadratus_femoris", _QUADRATUS, ((5.8, -1.1), (6.3, -2.4), (8.6, -0.5), (8.4, -2.1)),
          (7.0, -1.6), (13.0, -3.4), "deep", "right"),
)

# ---------------------------------------------------------------------- lateral view
# The right hip from the right: anterior at x > 0.

LATERAL_BONES: tuple[Bone, ...] = (
    Bone("skin", ((
        (-6.6, 11.2), (-7.4, 7.0), (-8.2, 3.0), (-8.5, 0.0), (-7.9, -3.6), (-6.3, -6.4),
        (-5.5, -9.0), (-5.0, -14.8)),), style="skin", closed=False),
    Bone("skin", ((
        (6.4, 11.2), (7.0, 7.0), (7.4, 3.0), (7.0, -1.0), (6.5, -6.0), (6.1, -14.8)),),
        style="skin", closed=False),
    Bone("sacrum", ((
        (-5.0, 6.6), (-6.8, 6.4), (-7.5, 4.5), (-7.6, 2.0), (-7.1, -0.5), (-6.2, -2.6),
        (-5.2, -3.7)), ((-5.2, -3.7), (-4.8, -3.0)), (
        (-4.8, -3.0), (-5.4, -1.0), (-5.6, 1.5), (-5.4, 4.0), (-5.0, 6.6)))),
    Bone("hip bone", ((
        (-5.8, 5.6), (-4.5, 7.6), (-2.0, 8.8), (1.0, 9.1), (3.6, 8.3), (5.4, 6.6), (5.9, 5.6)), (
        (5.9, 5.6), (5.6, 4.7), (5.6, 3.8), (4.6, 2.6), (4.4, 1.8), (5.6, 0.8), (6.2, 0.0),
        (6.0, -0.9)), (
        (6.0, -0.9), (4.6, -1.6), (2.8, -2.6), (0.6, -3.4), (-0.8, -3.6), (-1.6, -2.8)), (
        (-1.6, -2.8), (-2.0, -1.2), (-2.4, 0.1), (-2.8, 0.6), (-3.3, 1.2), (-3.9, 2.2),
        (-4.8, 3.3), (-5.4, 4.4), (-5.8, 5.6)))),
    Bone("foramen", ((
        (1.2, -1.2), (2.6, -0.8), (3.9, -1.2), (3.6, -2.0), (2.2, -2.3), (1.2, -1.9),
        (1.2, -1.2)),), style="foramen"),
    Bone("acetabulum", _ring(1.8, 1.0, 1.55, 1.55)),
    Bone("femur", style="femur", edges=((
        (0.0, 0.8), (1.0, 1.3), (2.2, 1.1), (2.8, 0.3), (2.8, -0.9), (2.4, -2.0)), (
        (2.4, -2.0), (2.6, -6.0), (2.8, -10.0), (2.8, -14.8)), ((2.8, -14.8), (1.0, -14.8)), (
        (1.0, -14.8), (0.9, -10.0), (0.6, -6.0), (0.2, -2.4), (-0.2, -1.0), (0.0, 0.8)))),
)

_L_MEDIUS: tuple[Edge, ...] = (
    ((-4.0, 7.0), (-2.0, 8.2), (1.0, 8.5), (3.4, 7.8), (4.8, 6.6)),
    ((4.8, 6.6), (4.0, 4.2), (2.5, 1.2)),
    ((2.5, 1.2), (0.7, 0.6)),
    ((0.7, 0.6), (-1.2, 2.6), (-3.0, 4.8), (-4.0, 7.0)),
)
_L_MINIMUS: tuple[Edge, ...] = (
    ((-1.8, 5.8), (0.8, 6.6), (3.2, 6.0), (4.3, 4.8)),
    ((4.3, 4.8), (3.6, 3.0), (2.7, 1.3)),
    ((2.7, 1.3), (1.9, 0.9)),
    ((1.9, 0.9), (0.4, 2.4), (-1.0, 4.0), (-1.8, 5.8)),
)
_L_TFL: tuple[Edge, ...] = (
    ((4.5, 7.4), (6.0, 5.6)),
    ((6.0, 5.6), (5.9, 2.0), (4.9, -2.2), (3.5, -5.6)),
    ((3.5, -5.6), (2.5, -5.2)),
    ((2.5, -5.2), (3.2, -1.2), (4.0, 3.0), (4.5, 7.4)),
)
_L_MAX_UPPER: tuple[Edge, ...] = (
    ((-4.6, 7.2), (-6.2, 6.0), (-7.4, 3.8), (-7.5, 2.2)),
    ((-7.5, 2.2), (-3.2, -0.2), (1.0, -3.0)),
    ((1.0, -3.0), (1.3, -1.5), (1.6, 0.0)),
    ((1.6, 0.0), (0.0, 2.2), (-2.0, 4.6), (-4.6, 7.2)),
)
_L_MAX_LOWER: tuple[Edge, ...] = (
    ((-7.5, 2.2), (-7.6, 1.0), (-7.0, -1.6), (-6.0, -3.4)),
    ((-6.0, -3.4), (-4.0, -4.8), (-1.6, -6.0), (0.2, -6.6)),
    ((0.2, -6.6), (0.6, -4.5), (1.0, -3.0)),
    ((1.0, -3.0), (-3.2, -0.2), (-7.5, 2.2)),
)
_L_VASTUS: tuple[Edge, ...] = (
    ((2.4, -1.6), (4.2, -2.8), (5.6, -6.0), (5.8, -10.0), (5.5, -14.8)),
    ((5.5, -14.8), (0.6, -14.8)),
    ((0.6, -14.8), (0.3, -10.0), (0.4, -6.0), (1.0, -3.0), (2.4, -1.6)),
)
_L_BICEPS: tuple[Edge, ...] = (
    ((-2.2, -3.4), (-1.0, -3.8)),
    ((-1.0, -3.8), (-0.4, -6.5), (0.0, -10.0), (0.2, -14.8)),
    ((0.2, -14.8), (-4.3, -14.8)),
    ((-4.3, -14.8), (-4.6, -10.0), (-3.8, -6.5), (-2.2, -3.4)),
)
_L_ITB: tuple[Edge, ...] = (
    ((0.8, 0.8), (1.0, -6.0), (1.3, -10.0), (1.6, -14.8)), ((1.6, -14.8), (2.9, -14.8)),
    ((2.9, -14.8), (2.7, -10.0), (3.0, -5.0), (3.4, 0.8)), ((3.4, 0.8), (0.8, 0.8)),
)
#: Bands drawn over the thigh muscles of the lateral view.
LATERAL_BANDS: tuple[Bone, ...] = (Bone("iliotibial band", _L_ITB, style="band"),)

#: The lateral view, back to front; the minimus lies under the medius (a dashed outline).
LATERAL: tuple[Drawn, ...] = (
    Drawn("vastus_lateralis", _L_VASTUS, ((2.4, -1.6), (4.2, -2.8), (0.6, -14.8), (5.5, -14.8)),
          (4.4, -8.0), (8.5, -8.0)),
    Drawn("biceps_femoris", _L_BICEPS, ((-2.2, -3.4), (-1.0, -3.8), (-4.3, -14.8),
                                        (0.2, -14.8)), (-2.4, -10.5), (-10.0, -10.5)),
    Drawn("gluteus_medius", _L_MEDIUS, ((-4.0, 7.0), (4.8, 6.6), (0.7, 0.6), (2.5, 1.2)),
          (0.8, 6.2), (0.8, 11.3)),
    Drawn("tensor_fasciae_latae", _L_TFL, ((4.5, 7.4), (6.0, 5.6), (2.5, -5.2), (3.5, -5.6)),
          (4.9, 1.0), (8.5, 1.6)),
    Drawn("gluteus_maximus_upper", _L_MAX_UPPER, ((-4.6, 7.2), (-7.5, 2.2), (1.6, 0.0),
                                                  (1.0, -3.0)), (-3.2, 2.6), (-10.0, 4.2)),
    Drawn("gluteus_maximus_lower", _L_MAX_LOWER, ((-7.5, 2.2), (-6.0, -3.4), (1.0, -3.0),
                                                  (0.2, -6.6)), (-4.4, -2.6), (-10.0, -2.6)),
    Drawn("gluteus_minimus", _L_MINIMUS, ((-1.8, 5.8), (4.3, 4.8), (1.9, 0.9), (2.7, 1.3)),
          (2.2, 4.4), (8.5, 4.8), outline_only=True,
          name="gluteus minimus (under the medius)"),
)
