"""The matplotlib figures: what they draw (nodes, labels, legend, axes, studies), not only that they run."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys

import numpy as np
import pytest

import glutegraph as gg
from glutegraph.figures import (
    ANATOMICAL_ORDER,
    DEFAULT_KINDS,
    KIND_COLOURS,
    activation_heatmap,
    draw,
    exercise_comparison,
)
from glutegraph.network import neighbourhood


def texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def node_labels(fig):
    """The node labels drawn: label -> (x, y) of the text, in inches (data units)."""
    return {t.get_text(): t.get_position() for t in fig.axes[0].texts if t.get_fontsize() < 8}


def dots(fig):
    """The centres of the node markers, in data units."""
    return [tuple(p) for c in fig.axes[0].collections for p in c.get_offsets()]


def dot_of(fig, label):
    """The centre of the marker beside a node's label (same row, the nearest dot)."""
    x, y = node_labels(fig)[label]
    return min(dots(fig), key=lambda d: (abs(d[1] - y) > 0.05, abs(d[0] - x)))


def links_drawn(fig):
    """(source IRI, target IRI, patch) of every line the picture draws."""
    return [(*p.get_gid().split()[1:], p) for p in fig.axes[0].patches
            if (p.get_gid() or "").startswith("link ")]


def overlapping_labels(fig):
    """Pairs of node labels whose drawn boxes overlap (measured by the Agg renderer)."""
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.axes[0].texts
             if t.get_fontsize() < 8]  # node labels (block headings are larger)
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
            if box_a.overlaps(box_b) and box_a.intersection(box_a, box_b).width > 1
            and box_a.intersection(box_a, box_b).height > 1]


@pytest.fixture(scope="module")
def g(embedded_kg):
    return embedded_kg.to_networkx()


@pytest.fixture(scope="module")
def focused(embedded_kg):
    return draw(embedded_kg)


@pytest.fixture(scope="module")
def full(embedded_kg):
    return draw(embedded_kg, focus=None)


GLUTES = ("gluteus maximus", "gluteus medius", "gluteus minimus", "tensor fasciae latae")


def test_the_default_view_is_the_glutes_and_the_full_graph_is_on_request(g, focused, full):
    shown = [d["label"] for _, d in g.nodes(data=True) if d["kind"] in DEFAULT_KINDS]
    assert sorted(node_labels(full)) == sorted(shown) and len(shown) > 150
    assert len(dots(full)) == len(shown)
    kept = node_labels(focused)
    assert set(GLUTES) <= set(kept) and len(kept) < len(shown) / 3
    assert {"upper gluteus maximus", "superior gluteal nerve", "L5 spinal nerve root",
            "gluteal tendinopathy", "barbell hip thrust"} <= set(kept)
    assert not {"hamstrings", "femoral nerve", "sciatica"} & set(kept)
    # the top exercises per muscle: the highest mean %MVIC for the gluteus medius is kept
    best_gmed = max(((d["mean_mvic"], g.nodes[u]["label"]) for u, v, d in g.edges(data=True)
                     if d["relation"] == "activates" and g.nodes[v]["label"] == "gluteus medius"
                     and "mean_mvic" in d))[1]
    assert best_gmed in kept


def test_lines_start_and_end_at_the_centres_of_the_dots(g, focused):
    centres = set(dots(focused))
    drawn = links_drawn(focused)
    assert len(drawn) > 60
    for _, _, patch in drawn:
        vertices = patch.get_path().vertices
        assert tuple(vertices[0]) in centres and tuple(vertices[-1]) in centres
    by_label = {d["label"]: n for n, d in g.nodes(data=True)}
    for source, target in [("gluteus maximus", "inferior gluteal nerve"),
                           ("barbell hip thrust", "lower gluteus maximus"),
                           ("gluteal tendinopathy", "gluteus medius")]:
        patch = next(p for u, v, p in drawn if (u, v) == (by_label[source], by_label[target]))
        vertices = patch.get_path().vertices
        assert tuple(vertices[0]) == dot_of(focused, source)
        assert tuple(vertices[-1]) == dot_of(focused, target)


def lines_over_labels(fig):
    """(line, label) pairs where a drawn line runs through a node label's box (Agg renderer)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer).padded(-1.5))
             for t in fig.axes[0].texts if t.get_fontsize() < 8]
    found = []
    for source, target, patch in links_drawn(fig):
        points = []
        for polygon in patch.get_path().to_polygons(patch.get_transform(), closed_only=False):
            for a, b in itertools.pairwise(polygon):
                points += [a + (b - a) * s for s in np.linspace(0, 1, 12)]
        points = np.array(points)
        for text, box in boxes:
            inside = ((points[:, 0] > box.x0) & (points[:, 0] < box.x1)
                      & (points[:, 1] > box.y0) & (points[:, 1] < box.y1))
            if inside.any():
                found.append((source, target, text))
    return found


def test_no_line_runs_through_a_label(g, focused):
    from glutegraph.network import condition_subgraph

    assert lines_over_labels(focused) == []
    assert lines_over_labels(draw(condition_subgraph(g, "gluteal tendinopathy"), kinds=None)) == []


def test_spinal_roots_stand_in_segment_order(full, focused):
    for fig in (full, focused):
        labels = node_labels(fig)
        roots = sorted((t for t in labels if t.endswith("spinal nerve root")),
                       key=lambda t: -labels[t][1])  # top to bottom
        segments = [t.split()[0] for t in roots]
        key = [("CTLS".index(s[0]), int(s[1:])) for s in segments]
        assert key == sorted(key) and len(set(key)) == len(key)
    assert [t.split()[0] for t in sorted(
        (t for t in node_labels(full) if t.endswith("root")),
        key=lambda t: -node_labels(full)[t][1])] == [
        "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4"]


def test_a_region_sits_directly_under_its_muscle(g, full, focused):
    regions = [(d["label"], g.nodes[v]["label"]) for u, v, d in g.edges(data=True)
               if d["relation"] == "gg:partOf" and "gg:MuscleRegion" in g.nodes[u]["classes"]]
    assert len(regions) >= 7
    muscles = {d["label"] for _, d in g.nodes(data=True) if d["kind"] == "muscle"}
    parts = {}
    for u, v, d in g.edges(data=True):
        if d["relation"] == "gg:partOf":
            parts.setdefault(g.nodes[v]["label"], set()).add(g.nodes[u]["label"])
    for fig in (full, focused):
        labels = node_labels(fig)
        column = sorted((m for m in muscles if m in labels), key=lambda m: -labels[m][1])
        for region, muscle in regions:
            if region not in labels:
                continue
            i, j = column.index(muscle), column.index(region)
            assert j > i, f"{region} is above {muscle}"
            between = column[i + 1:j]
            assert set(between) <= parts[muscle], f"{between} between {muscle} and {region}"
            assert labels[region][0] > labels[muscle][0]  # indented under it


def test_evidence_against_a_treatment_is_drawn_unlike_moderate_evidence(g):
    from glutegraph.network import condition_subgraph

    fig = draw(condition_subgraph(g, "gluteal tendinopathy"), kinds=None)
    by_label = {d["label"]: n for n, d in g.nodes(data=True)}
    condition = by_label["gluteal tendinopathy"]

    def style(treatment):
        patches = [p for u, v, p in links_drawn(fig) if (u, v) == (by_label[treatment], condition)]
        return {(p.get_edgecolor(), p.get_linestyle(), p.get_linewidth()) for p in patches}

    against, moderate = style("wait and see"), style("load-management education plus exercise")
    assert len(against) == len(moderate) == 1
    (colour_a, dash_a, _), (colour_m, dash_m, _) = next(iter(against)), next(iter(moderate))
    assert colour_a[:3] != colour_m[:3] and dash_a != dash_m
    assert colour_a[0] > 0.8 > colour_a[1]  # red
    both = style("corticosteroid injection at the greater trochanter")  # moderate and against
    assert len({c[:3] for c, _, _ in both}) == 2
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"evidence AGAINST the treatment", "treats: moderate evidence"} <= set(legend)


def test_every_legend_entry_says_what_it_is(focused, full):
    for fig in (focused, full):
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert "other link" not in legend
        assert {"Anatomy", "Function", "Exercise loading (EMG)", "Clinical evidence"} <= set(legend)
        assert "EMG >= 60 %MVIC (very high)" in legend and "prime mover of the action" in legend
        colours = {p.get_edgecolor()[:3] for _, _, p in links_drawn(fig)}
        assert len(colours) <= 6  # one colour per family, and red for evidence against
    full_legend = [t.get_text() for t in full.legends[0].get_texts()]
    assert "exercise trains the action (curated)" in full_legend
    assert "exercise trains the action (curated)" not in [
        t.get_text() for t in focused.legends[0].get_texts()]


def tour_counts(kg):
    from rich.console import Console

    from glutegraph.tour import _sizes

    console = Console(width=400, color_system=None)
    with console.capture() as out:
        console.print(_sizes(kg))
    return {noun: int(n) for n, noun in re.findall(r"(\d+) ([a-zA-Z ]+?)(?:,|\.)", out.get())}


def test_the_title_counts_as_the_tour_does(embedded_kg, focused, full):
    tour = tour_counts(embedded_kg)
    assert tour["muscles"] > 10 and tour["exercises"] > 50
    nouns = ("muscles", "muscle regions", "joint actions", "exercises", "conditions",
             "treatments")
    title = focused.axes[0].get_title().replace("\n", " ")
    totals = {noun: int(whole) for _, whole, noun in re.findall(
        r"(\d+) of (\d+) ([a-z ]+?)(?:,|\.)", title)}
    totals |= {noun: int(n) for n, noun in re.findall(r"all (\d+) ([a-z ]+?)(?:,|\.)", title)}
    assert {n: totals[n] for n in nouns} == {n: tour[n] for n in nouns}
    whole = full.axes[0].get_title().replace("\n", " ")
    counted = {noun: int(n) for n, noun in re.findall(r"(\d+) ([a-z ]+?)(?:,|$)", whole)}
    assert {n: counted[n] for n in nouns} == {n: tour[n] for n in nouns}


def test_columns_read_from_nerves_to_treatments(focused):
    x_of = {t.get_text().split(" (")[0]: t.get_position()[0] for t in focused.axes[0].texts}
    order = ["SPINAL NERVE ROOTS", "NERVES", "MUSCLES", "EXERCISES", "TREATMENTS"]
    assert [x_of[h] for h in order] == sorted(x_of[h] for h in order)
    assert x_of["JOINT ACTIONS"] == x_of["NERVES"] and x_of["CONDITIONS"] == x_of["EXERCISES"]
    assert x_of["MUSCLES"] < x_of["gluteus medius"] < x_of["EXERCISES"]


@pytest.mark.parametrize("options", [{}, {"focus": None}, {"focus": None, "kinds": None}],
                         ids=["focused", "full", "every kind"])
def test_node_labels_never_overlap(embedded_kg, options):
    assert overlapping_labels(draw(embedded_kg, **options)) == []


def test_focus_on_another_muscle_by_name_or_synonym(embedded_kg):
    fig = draw(embedded_kg, focus="glute med", top=2)
    labels = node_labels(fig)
    assert {"gluteus medius", "anterior gluteus medius", "superior gluteal nerve"} <= set(labels)
    assert "gluteus maximus" not in labels
    with pytest.raises(gg.InvalidArgumentError, match="focus on muscles: 'sciatica' is a condition"):
        draw(embedded_kg, focus="sciatica")
    with pytest.raises(gg.UnknownNameError):
        draw(embedded_kg, focus="gluteus maximum minimus")
    for wrong in (0, 2.5, True):
        with pytest.raises(gg.InvalidArgumentError, match="top must be a whole number"):
            draw(embedded_kg, top=wrong)


@pytest.mark.parametrize("focus", ["auto", "upper glutes", "hamstrings"])
def test_nothing_of_the_picture_is_cut_off(embedded_kg, focus):
    fig = draw(embedded_kg, focus=focus)
    assert cut_off(fig) == []
    assert fig.legends[0].get_window_extent().x0 >= 0


def test_draw_a_view_and_refuse_what_cannot_be_drawn(g):
    fig = draw(neighbourhood(g, "piriformis syndrome"), kinds=None)
    assert "FAIR test" in texts(fig) and "piriformis" in texts(fig)
    with pytest.raises(gg.QueryError, match="no kind"):
        draw(g, kinds=["muscles"])
    with pytest.raises(gg.QueryError, match="nothing to draw"):
        draw(neighbourhood(g, "piriformis", depth=0), kinds=["treatment"])
    with pytest.raises(gg.QueryError, match="max_rows"):
        draw(g, max_rows=10)
    assert set(DEFAULT_KINDS) <= set(KIND_COLOURS)


@pytest.mark.parametrize(("suffix", "magic"), [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_figures_save_as_png_svg_and_pdf(tmp_path, focused, suffix, magic):
    path = tmp_path / f"graph.{suffix}"
    focused.savefig(path)
    assert path.read_bytes().startswith(magic)


def axes(fig, name):
    return next(a for a in fig.axes if a.get_label() == name)


def ticks(ax, axis="y"):
    return [t.get_text() for t in (ax.get_yticklabels() if axis == "y" else ax.get_xticklabels())]


def cut_off(fig):
    """Texts (titles, labels, notes, cells) drawn partly outside the figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    found = []
    for text in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_window_extent")):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < page.x0 - 1 or box.x1 > page.x1 + 1 or box.y0 < page.y0 - 1 or box.y1 > page.y1 + 1:
            found.append(text.get_text()[:60])
    return found


def key_of(notes_text):
    """The study key printed under the heatmap: study label -> key letter."""
    listing = notes_text.split("Study key (the letter in each cell)\n", 1)[1]
    return {line.split("   ", 1)[1]: line.split("   ", 1)[0] for line in listing.splitlines()}


def cells(ax):
    """(row label, column label) -> (figure text, study key and n text) of the heatmap."""
    rows, columns = ticks(ax), ticks(ax, "x")
    figures, details = {}, {}
    for t in ax.texts:
        x, y = t.get_position()
        key = (rows[round(y)], columns[round(x)])
        (figures if t.get_fontweight() == "bold" else details)[key] = t.get_text()
    return {k: (figures[k], details.get(k)) for k in figures}


@pytest.fixture(scope="module")
def heatmap(embedded_kg):
    return activation_heatmap(embedded_kg)


def test_heatmap_names_axes_figures_and_the_study_behind_each(heatmap):
    ax, notes = axes(heatmap, "heatmap"), axes(heatmap, "notes")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("muscle (EMG electrode site)", "exercise")
    assert "barbell hip thrust" in ticks(ax) and "lower gluteus maximus" in ticks(ax, "x")
    key = key_of(notes.texts[0].get_text())
    contreras = key["Contreras 2015, J Appl Biomech"]
    assert cells(ax)[("barbell hip thrust", "lower gluteus maximus")] == ("86.8", f"{contreras}, n=13")
    assert heatmap.axes[-1].get_ylabel() == "mean %MVIC"  # the colour bar


def test_heatmap_rows_follow_the_target_muscle_not_any_muscle(embedded_kg, heatmap):
    rows = ticks(axes(heatmap, "heatmap"))
    measured = [r.exercise.label for r in embedded_kg.exercises(target="gluteus maximus", limit=500) if r.best]
    assert rows[: len(measured)] == measured  # the ranking kg.exercises gives, means before peaks
    assert rows[:2] == ["prone hip extension", "barbell hip thrust"]
    assert rows.index("back squat") > rows.index("lateral wall press")  # its 110 is the vastus lateralis
    table = cells(axes(heatmap, "heatmap"))
    peaks = [i for i, row in enumerate(rows[: len(measured)]) if table[(row, "gluteus maximus")][0].startswith("peak")
             if (row, "gluteus maximus") in table]
    means = [i for i, row in enumerate(rows[: len(measured)]) if not table.get((row, "gluteus maximus"), ("peak",))[0].startswith("peak")]
    assert peaks and max(means) < min(peaks)
    below = rows[len(measured):]
    assert below == sorted(below) and "standing hip abduction" in below  # no gluteus maximus figure
    assert all(not any(k == (row, m) for k in table for m in
                       ("gluteus maximus", "upper gluteus maximus", "lower gluteus maximus")) for row in below)


def test_heatmap_target_is_a_parameter_and_back_squat_tops_only_its_own_muscle(embedded_kg):
    by_vl = ticks(axes(activation_heatmap(embedded_kg, target="vastus lateralis"), "heatmap"))
    assert by_vl[:2] == ["back squat", "barbell hip thrust"]  # 110 and 99.5 %MVIC
    medius = activation_heatmap(embedded_kg.to_networkx(), target="gluteus medius")
    rows = ticks(axes(medius, "heatmap"))
    assert rows[:3] == ["side-lying hip abduction", "standing hip abduction", "single-leg squat"]
    assert axes(medius, "heatmap").get_xticklabels()[3].get_fontweight() == "bold"  # the target column
    assert medius.get_suptitle() == "Which exercises activate the gluteus medius most?"
    synonym = activation_heatmap(embedded_kg, target="glute med")
    assert ticks(axes(synonym, "heatmap")) == rows
    glutes = ticks(axes(activation_heatmap(embedded_kg, target="gluteal muscles"), "heatmap"))
    assert glutes[:3] == ["prone hip extension", "side-lying hip abduction", "barbell hip thrust"]
    with pytest.raises(gg.UnknownNameError):
        activation_heatmap(embedded_kg, target="gluteus medus")


def test_heatmap_outlines_the_figure_that_ranks_each_row(heatmap):
    ax = axes(heatmap, "heatmap")
    rows, columns = ticks(ax), ticks(ax, "x")
    outlined = {rows[round(p.get_y() + 0.44)]: columns[round(p.get_x() + 0.47)]
                for p in ax.patches if p.get_width() == pytest.approx(0.94)}
    assert outlined["barbell hip thrust"] == "lower gluteus maximus"  # 86.8, not the 58.41 beside it
    assert outlined["back squat"] == "lower gluteus maximus" and outlined["lunge"] == "gluteus maximus"
    assert "standing hip abduction" not in outlined
    assert "Outlined in orange: the figure that ranks the row." in axes(heatmap, "notes").texts[0].get_text()


def test_heatmap_prefers_a_figure_without_a_quality_concern(heatmap):
    table = cells(axes(heatmap, "heatmap"))
    assert table[("Y-balance reach", "gluteus medius")][0] == "48.9"  # not the flagged 222.9 of the controls
    assert table[("Y-balance reach", "gluteus maximus")][0] == "39"


def test_heatmap_columns_are_in_anatomical_order(heatmap, g):
    columns = ticks(axes(heatmap, "heatmap"), "x")
    assert columns[:5] == ["gluteus maximus", "upper gluteus maximus", "lower gluteus maximus",
                           "gluteus medius", "tensor fasciae latae"]
    assert columns.index("hamstrings") < columns.index("biceps femoris") < columns.index("vastus lateralis")
    assert columns.index("vastus lateralis") < columns.index("adductor longus") < columns.index("erector spinae")
    local = {d["label"]: d["curie"].removeprefix("kb:") for _, d in g.nodes(data=True) if d["kind"] == "muscle"}
    positions = [ANATOMICAL_ORDER.index(local[c]) for c in columns]
    assert positions == sorted(positions)
    assert set(local.values()) <= set(ANATOMICAL_ORDER)  # every bundled muscle has its place


def test_heatmap_says_what_it_shows_where_figures_come_from_and_what_n_means(heatmap):
    ax, notes = axes(heatmap, "heatmap"), axes(heatmap, "notes").texts[0].get_text()
    assert heatmap.get_suptitle() == "Which exercises activate the gluteus maximus most?"
    assert "Rows ranked by the gluteus maximus (its upper and lower regions included" in ax.get_title()
    assert "from 17 published studies stored in glutegraph" in ax.get_title()
    assert "Below the line: exercises with no figure for the gluteus maximus" in ax.get_title()
    assert "not directly comparable" in notes and "n = the study's sample size" in notes
    assert not any(re.search(r"\[\d+\]", t.get_text()) for t in ax.texts)  # no "[n]" for a study
    key = set(key_of(notes).values())
    for _, detail in cells(ax).values():
        letter, _, n = detail.partition(", n=")
        assert letter in key and (not n or n.isdigit())
    assert cells(ax)[("plank with bent-leg hip extension", "gluteus maximus")][0] == "peak 106"
    assert "only a peak" in notes


def test_heatmap_can_be_narrowed_and_says_when_nothing_is_left(embedded_kg):
    fig = activation_heatmap(embedded_kg, muscles=["gluteus medius"])
    assert ticks(axes(fig, "heatmap"), "x") == ["gluteus medius"]
    assert fig.get_suptitle() == "Which exercises activate the gluteus medius most?"  # ranked by the one shown
    with pytest.raises(gg.QueryError, match="no EMG measurement"):
        activation_heatmap(embedded_kg, muscles=["no such muscle"])
    with pytest.raises(gg.QueryError, match="max_rows=3"):
        activation_heatmap(embedded_kg, max_rows=3)
    view = activation_heatmap(neighbourhood(embedded_kg.to_networkx(), "standing hip abduction"))
    assert view.get_suptitle() == "Which exercises activate the gluteus medius most?"  # no maximus in the view
    few = activation_heatmap(embedded_kg, target=None, exercises=["back squat", "clamshell"])
    assert ticks(axes(few, "heatmap")) == ["back squat", "clamshell"]  # 110 (VL) before 40
    assert "any muscle shown" in axes(few, "heatmap").get_title()


@pytest.mark.parametrize("kwargs", [{}, {"target": "gluteus medius"}, {"muscles": ["gluteus medius"]},
                                    {"exercises": ["back squat", "clamshell"], "target": None}])
def test_heatmap_text_is_never_cut_off(embedded_kg, kwargs):
    assert cut_off(activation_heatmap(embedded_kg, **kwargs)) == []


def test_comparison_ranks_exercises_by_the_measured_mean_with_studies(embedded_kg):
    ranking = [r for r in embedded_kg.exercises(target="gluteus medius", limit=6) if r.best]
    fig = exercise_comparison(embedded_kg, "gluteus medius", limit=6)
    ax = axes(fig, "bars")
    assert ticks(ax) == ["exercise"] + [r.exercise.label for r in ranking]
    assert [p.get_width() for p in ax.patches] == [float(r.best.mean_mvic) for r in ranking]
    assert "%MVIC" in ax.get_xlabel() and fig.get_suptitle() == "Which exercises activate the gluteus medius most?"
    assert "published studies stored in glutegraph" in ax.get_title()
    with pytest.raises(gg.UnknownNameError, match="did you mean"):
        exercise_comparison(embedded_kg, "gluteus medus")


def test_comparison_bars_carry_value_n_and_study_and_the_axis_fits_them(embedded_kg):
    ranking = [r for r in embedded_kg.exercises(target="gluteus medius", limit=8) if r.best]
    fig = exercise_comparison(embedded_kg, "gluteus medius", limit=8)
    rows = ticks(axes(fig, "table"))
    assert rows[0].split() == ["mean", "±", "SD", "n", "study"]
    for row, r in zip(rows[1:], ranking, strict=True):
        b = r.best
        value = f"{b.mean_mvic} ± {b.sd_mvic}" if b.sd_mvic is not None else f"{b.mean_mvic}"
        assert row.startswith(value + " ")
        assert f" {b.sample_size} " in row if b.sample_size else "   -   " in row
        assert row.endswith(b.study.label.split(",")[0])
    assert rows[1].split() == ["99.9", "±", "17", "-", "MacAskill", "et", "al."]
    assert rows[3].split() == ["64", "±", "25", "21", "Distefano", "2009"]
    low, high = axes(fig, "bars").get_xlim()
    reach = max(float(r.best.mean_mvic + (r.best.sd_mvic or 0)) for r in ranking)
    assert low == 0 and reach < high <= reach * 1.15  # no half-empty axis
    notes = axes(fig, "notes").texts[0].get_text()
    assert "not directly comparable" in notes and "n = the study's sample size" in notes
    assert "MacAskill et al., Int J Sports Phys Ther" in notes  # the studies in full
    assert cut_off(fig) == []


def test_comparison_marks_peaks_and_electrode_sites(embedded_kg):
    fig = exercise_comparison(embedded_kg, "gluteus maximus", limit=40)
    ax, rows = axes(fig, "bars"), ticks(axes(fig, "table"))
    names = ticks(ax)[1:]
    plank = names.index("plank with bent-leg hip extension")
    assert rows[plank + 1].startswith("peak 106") and ax.patches[plank].get_hatch() == "////"
    assert all(not ax.patches[i].get_hatch() for i in range(plank))  # means first, then peaks
    thrust = rows[names.index("barbell hip thrust") + 1]
    assert thrust.split()[:5] == ["86.8", "13", "lower", "gluteus", "maximus"]
    assert "site" in rows[0].split() and "only a peak" in axes(fig, "notes").texts[0].get_text()
    assert cut_off(fig) == []


def test_comparison_names_every_study_in_full_wrapping_long_names(embedded_kg):
    fig = exercise_comparison(embedded_kg, "gluteus maximus", limit=40)
    table = axes(fig, "table")
    rows = dict(zip(ticks(axes(fig, "bars"))[1:], ticks(table)[1:], strict=True))
    assert all("…" not in row for row in rows.values())
    lunge = rows["lunge"].split("\n")
    assert len(lunge) == 2 and lunge[0].split()[:4] == ["54", "±", "20", "12"]
    column = lunge[0].index("Lunge")  # the name goes on under the study column
    assert lunge[1][:column].strip() == "" and lunge[1][column:] == lunge[1].strip()
    assert " ".join(part[column:] for part in lunge) == (
        "Lunge variations and trunk position EMG study in trained women")
    assert rows["barbell hip thrust"].endswith("Contreras 2015")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in table.get_yticklabels()]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    assert cut_off(fig) == []


def test_figures_leave_pyplot_alone():
    code = ("import sys, glutegraph as gg; gg.draw(gg.load()); gg.activation_heatmap(gg.load()); "
            "print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
