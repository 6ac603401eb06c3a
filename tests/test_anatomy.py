"""The anatomical picture: each muscle's shade is its real figure, the shapes sit where the muscles are."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.colors import Normalize, to_rgba
from matplotlib.text import Text

import glutegraph as gg
from glutegraph.cli import main
from glutegraph.pictures.anatomy import COLOURMAP, NO_FIGURE, anatomy_figure
from glutegraph.pictures.shapes import MUSCLES

#: A muscle of the picture -> the name the API answers for (kg.exercises(target=...)).
TARGETS = {"gluteus_maximus_upper": "upper gluteus maximus",
           "gluteus_maximus_lower": "lower gluteus maximus",
           "gluteus_medius": "gluteus medius", "biceps_femoris": "biceps femoris",
           "tensor_fasciae_latae": "tensor fasciae latae", "vastus_lateralis": "vastus lateralis",
           "erector_spinae": "erector spinae", "piriformis": "piriformis",
           "gluteus_minimus": "gluteus minimus"}


def panel(fig, label):
    return next(ax for ax in fig.axes if ax.get_label() == label)


def muscle_patches(ax):
    """muscle key -> its filled patches in one view."""
    found: dict[str, list] = {}
    for patch in ax.patches:
        if patch.get_gid() in MUSCLES:
            found.setdefault(patch.get_gid(), []).append(patch)
    return found


def label_of(ax, key):
    return next(t for t in ax.texts if t.get_gid() == f"label:{key}").get_text()


def scale(fig):
    """The colour scale of the picture, read from its one colour bar."""
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert len(bars) == 1
    low, high = bars[0].get_ylim()
    return Normalize(low, high), colormaps[COLOURMAP]


def api_best(kg, exercise, target):
    """The figure kg.exercises ranks first for this exercise and muscle, or None."""
    return next((r.best for r in kg.exercises(target=target) if r.exercise.label == exercise),
                None)


def centroid(patch):
    """Area centroid of a patch's outline (in data units)."""
    polygon = np.array(patch.get_path().to_polygons()[0])
    x, y = polygon[:, 0], polygon[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = cross.sum() / 2
    return (np.array([((x + np.roll(x, -1)) * cross).sum(), ((y + np.roll(y, -1)) * cross).sum()])
            / (6 * area), abs(area))


def combined(patches):
    points = [centroid(p) for p in patches]
    total = sum(a for _, a in points)
    return sum(c * a for c, a in points) / total


@pytest.fixture(scope="module")
def hip_thrust(embedded_kg):
    return anatomy_figure(embedded_kg, "hip thrust")


@pytest.mark.parametrize(("exercise", "view"), [("barbell hip thrust", "posterior"),
                                                ("barbell hip thrust", "lateral"),
                                                ("back squat", "lateral"),
                                                ("side-lying hip abduction", "lateral"),
                                                ("prone hip extension", "posterior")])
def test_each_muscle_is_shaded_by_its_real_figure(embedded_kg, exercise, view):
    fig = anatomy_figure(embedded_kg, exercise, view=view)
    ax = panel(fig, f"{view}: {exercise}")
    norm, cmap = scale(fig)
    patches = muscle_patches(ax)
    shaded = 0
    for key, target in TARGETS.items():
        if key not in patches:
            continue  # not in this view
        best = api_best(embedded_kg, exercise, target)
        if best is None and key.startswith("gluteus_maximus_"):  # a whole-muscle figure
            whole = api_best(embedded_kg, exercise, "gluteus maximus")
            best = whole if whole and whole.muscle.label == "gluteus maximus" else None
        for patch in patches[key]:
            if best is not None and best.mean_mvic is not None:
                assert patch.get_facecolor() == pytest.approx(cmap(norm(float(best.mean_mvic))))
                assert f"{best.mean_mvic:g} %MVIC" in label_of(ax, key)
                shaded += 1
            elif best is None:
                assert patch.get_facecolor() == pytest.approx(to_rgba(NO_FIGURE))
                assert patch.get_hatch() and "no figure" in label_of(ax, key)
    assert shaded >= 2


def test_the_hip_thrust_reads_as_the_study_says(hip_thrust, embedded_kg):
    ax = panel(hip_thrust, "posterior: barbell hip thrust")
    assert "86.8 %MVIC (A)" in label_of(ax, "gluteus_maximus_lower")
    assert "69.5 %MVIC (A)" in label_of(ax, "gluteus_maximus_upper")
    assert label_of(ax, "piriformis") == "piriformis\nno figure"
    assert label_of(ax, "gluteus_minimus") == "gluteus minimus\nno figure"
    lower = muscle_patches(ax)["gluteus_maximus_lower"][0].get_facecolor()
    upper = muscle_patches(ax)["gluteus_maximus_upper"][0].get_facecolor()
    assert sum(lower[:3]) < sum(upper[:3])  # the lower part: the higher figure, darker


def test_a_flagged_figure_does_not_shade_the_muscle_when_the_api_ranks_it_last(embedded_kg):
    fig = anatomy_figure(embedded_kg, "Y-balance reach", view="posterior")
    ax = panel(fig, "posterior: Y-balance reach")
    norm, cmap = scale(fig)
    best = api_best(embedded_kg, "Y-balance reach", "gluteus medius")
    assert not best.concerns and best.mean_mvic < 100  # Fatima 2020's flagged 222.9 ranks last
    for patch in muscle_patches(ax)["gluteus_medius"]:
        assert patch.get_facecolor() == pytest.approx(cmap(norm(float(best.mean_mvic))))
    assert norm.vmax == 100  # the flagged 222.9 does not stretch the scale either


def test_a_peak_only_figure_is_grey_and_says_peak(embedded_kg):
    fig = anatomy_figure(embedded_kg, "side plank with hip abduction", view="posterior")
    ax = panel(fig, "posterior: side plank with hip abduction")
    best = api_best(embedded_kg, "side plank with hip abduction", "gluteus medius")
    assert best.mean_mvic is None and best.peak_mvic == 103
    patch = muscle_patches(ax)["gluteus_medius"][0]
    assert patch.get_facecolor() == pytest.approx(to_rgba("#d9d9d9")) and patch.get_hatch()
    assert "peak 103 %MVIC" in label_of(ax, "gluteus_medius")
    notes = panel(fig, "notes").texts[0].get_text()
    assert "only a peak" in notes


def test_a_whole_muscle_figure_shades_both_regions_and_says_so(embedded_kg):
    best = api_best(embedded_kg, "clamshell", "gluteus maximus")
    assert best.muscle.label == "gluteus maximus"  # no regional figure for the clamshell
    fig = anatomy_figure(embedded_kg, "clamshell", view="posterior")
    ax = panel(fig, "posterior: clamshell")
    norm, cmap = scale(fig)
    for key in ("gluteus_maximus_upper", "gluteus_maximus_lower"):
        assert muscle_patches(ax)[key][0].get_facecolor() == pytest.approx(
            cmap(norm(float(best.mean_mvic))))
        assert "figure for the whole muscle" in label_of(ax, key)


def test_two_exercises_share_one_scale_and_name_their_studies(embedded_kg):
    fig = anatomy_figure(embedded_kg, "hip thrust", compare_with="back squat", view="both")
    assert [ax.get_label() for ax in fig.axes[:4]] == [
        "posterior: barbell hip thrust", "posterior: back squat",
        "lateral: barbell hip thrust", "lateral: back squat"]
    norm, cmap = scale(fig)
    highest = max(float(m.mean_mvic) for exercise in ("barbell hip thrust", "back squat")
                  for m in embedded_kg.measurements(exercise=exercise)
                  if m.mean_mvic is not None and not m.concerns)
    assert norm.vmin == 0 and norm.vmax >= highest  # the back squat's vastus lateralis
    for exercise in ("barbell hip thrust", "back squat"):
        ax = panel(fig, f"lateral: {exercise}")
        best = api_best(embedded_kg, exercise, "lower gluteus maximus")
        assert muscle_patches(ax)["gluteus_maximus_lower"][0].get_facecolor() == pytest.approx(
            cmap(norm(float(best.mean_mvic))))
    notes = panel(fig, "notes").texts[0].get_text().replace("\n", " ")
    study = embedded_kg.measurements(exercise="back squat", muscle="lower gluteus maximus")[0]
    assert f"A = {study.study.label} (n = {study.sample_size})" in notes
    assert "not directly comparable" in notes
    assert fig.get_suptitle() == \
        "Which hip muscles do the barbell hip thrust and the back squat activate?"


def test_figures_not_drawn_in_a_view_are_listed_under_it(embedded_kg):
    fig = anatomy_figure(embedded_kg, "back squat", view="posterior")
    notes = panel(fig, "notes").texts[0].get_text().replace("\n", " ")
    assert "not drawn in the posterior view: " in notes and "vastus lateralis 110 %MVIC" in notes


def test_posterior_shapes_sit_where_the_muscles_are(hip_thrust):
    ax = panel(hip_thrust, "posterior: barbell hip thrust")
    patches = muscle_patches(ax)
    for key, shapes in patches.items():
        for patch in shapes:  # one side of the midline: superficial left, deep right
            xs = np.array(patch.get_path().to_polygons()[0])[:, 0]
            assert (xs < 0).all() or (xs > 0).all(), key
    left = {k: [p for p in v if combined([p])[0] < 0] for k, v in patches.items()}
    right = {k: [p for p in v if combined([p])[0] > 0] for k, v in patches.items()}
    maximus = combined(left["gluteus_maximus_upper"] + left["gluteus_maximus_lower"])
    medius = combined(left["gluteus_medius"])
    piriformis = combined(right["piriformis"])
    minimus = combined(right["gluteus_minimus"])
    assert medius[1] > piriformis[1] > maximus[1]  # medius above, piriformis between
    assert minimus[1] > piriformis[1]  # the minimus lies above the piriformis
    assert combined(left["gluteus_maximus_upper"])[1] > combined(left["gluteus_maximus_lower"])[1]
    assert combined(left["biceps_femoris"])[1] < maximus[1]  # hamstrings below
    assert {"gluteus_maximus_upper", "gluteus_maximus_lower", "biceps_femoris"} <= set(left)
    assert not right["gluteus_maximus_upper"]  # the deep side has the maximus removed
    # the maximus runs down and out: its lateral end lower than its sacral origin
    outline = np.array(left["gluteus_maximus_upper"][0].get_path().to_polygons()[0])
    assert outline[outline[:, 0].argmin()][1] < outline[outline[:, 0].argmax()][1]


def test_lateral_shapes_run_front_to_back(hip_thrust):
    patches = muscle_patches(panel(hip_thrust, "lateral: barbell hip thrust"))
    x = {key: combined(shapes)[0] for key, shapes in patches.items()}
    assert x["tensor_fasciae_latae"] > x["gluteus_medius"] > x["gluteus_maximus_upper"]
    assert x["vastus_lateralis"] > x["biceps_femoris"]


def test_labels_neither_overlap_nor_leave_the_figure(hip_thrust):
    hip_thrust.canvas.draw()
    renderer = hip_thrust.canvas.get_renderer()
    page = hip_thrust.bbox
    for ax in hip_thrust.axes:
        labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label:")]
        boxes = [Text.get_window_extent(t, renderer) for t in labels]  # without leaders
        for box in boxes:
            assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0
        assert not [(a.get_text(), b.get_text()) for (a, x), (b, y) in
                    itertools.combinations(zip(labels, boxes, strict=True), 2) if x.overlaps(y)]


def test_bad_names_and_views_are_typed_errors(embedded_kg):
    with pytest.raises(gg.UnknownNameError, match="did you mean 'barbell hip thrust'"):
        anatomy_figure(embedded_kg, "barbel hip thrust")
    with pytest.raises(gg.UnknownNameError):
        anatomy_figure(embedded_kg, "hip thrust", compare_with="no such exercise")
    with pytest.raises(gg.InvalidArgumentError, match="posterior, lateral, both"):
        anatomy_figure(embedded_kg, "hip thrust", view="anterior")


def test_it_is_exported_lazily_and_leaves_pyplot_alone():
    code = ("import sys, glutegraph as gg; assert 'glutegraph.pictures' not in sys.modules; "
            "gg.anatomy_figure(gg.load(), 'clamshell'); print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_command_line_draws_it(tmp_path, capsys):
    path = tmp_path / "anatomy.png"
    code = main(["figure", "anatomy", "--exercise", "hip thrust", "--exercise", "back squat",
                 "-o", str(path), "--view", "posterior"])
    assert code == 0 and path.read_bytes().startswith(b"\x89PNG")
    assert capsys.readouterr().out.strip() == f"saved the anatomy figure to {path}"
    code = main(["figure", "anatomy", "--exercise", "a", "--exercise", "b", "--exercise", "c",
                 "-o", str(path)])
    assert code == 2 and "once or twice" in capsys.readouterr().err
    assert main(["figure", "anatomy", "--exercise", "hip thrus", "-o", str(path)]) == 2
    assert "did you mean 'barbell hip thrust'" in capsys.readouterr().err
